//! `karnameh check`: load and check the content, without writing anything.

use crate::check::YearFindings;
use crate::check::coverage::{Coverage, coverage};
use crate::content::printed::as_printed;
use crate::diagnostics::Finding;
use crate::load::LoadedSite;
use crate::pipeline::{CheckedSite, load_site};
use crate::report;
use anyhow::Result;
use std::path::Path;

/// What `check` reads.
#[derive(Debug, Clone, Copy, Default)]
pub struct CheckWhat {
    /// The report as printed: corrections undone, acknowledgements dropped.
    pub as_printed: bool,
}

/// Every finding of the site at `root`, year by year, in the reports' order.
pub fn check(root: &Path) -> Result<Vec<Finding>> {
    Ok(check_site(root, CheckWhat::default())?.1)
}

/// The site as checked, and its findings in the reports' order.
pub fn check_site(root: &Path, what: CheckWhat) -> Result<(LoadedSite, Vec<Finding>)> {
    let mut site = load_site(root, None)?;
    if what.as_printed {
        for section in site.years.iter_mut().flat_map(|y| &mut y.sections) {
            as_printed(&mut section.data);
        }
    }
    let checked = CheckedSite::check(site);
    let mut findings = into_list(checked.findings);
    report::sort(&mut findings);
    Ok((checked.site, findings))
}

/// The link coverage of the site at `root`, with its findings.
pub fn check_links(root: &Path, what: CheckWhat) -> Result<(Coverage, Vec<Finding>)> {
    let (site, findings) = check_site(root, what)?;
    Ok((coverage(&site), findings))
}

/// The findings moved into one list of exactly their number: a big file's million findings
/// are never held twice.
fn into_list(years: Vec<YearFindings>) -> Vec<Finding> {
    let total = years.iter().map(|y| y.iter().count()).sum();
    let mut list = Vec::with_capacity(total);
    for year in years {
        for section in year.sections {
            list.extend(section);
        }
        list.extend(year.year);
    }
    list
}
