//! `karnameh check`: load and check the content, without writing anything.

use crate::check::YearFindings;
use crate::diagnostics::Finding;
use crate::pipeline::{CheckedSite, load_site};
use anyhow::Result;
use std::path::Path;

/// Every finding of the site at `root`, year by year.
pub fn check(root: &Path) -> Result<Vec<Finding>> {
    let checked = CheckedSite::check(load_site(root, None)?);
    Ok(into_list(checked.findings))
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
