//! `karnameh pdf`: check the content, then typeset one year of the report as a PDF file,
//! replaced only once it is complete.

use super::{refuse_unpublishable, write_atomically};
use crate::pipeline::{CheckedSite, StageTimes, load_site};
use crate::state::ChartsHeld;
use anyhow::{Result, anyhow};
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Default)]
pub struct PdfOptions {
    pub root: PathBuf,
    /// The year to typeset [default: the latest].
    pub year: Option<u32>,
    /// The file to write [default: `report-<year>.pdf` in the current folder].
    pub output: Option<PathBuf>,
    /// Typeset although `check` finds unacknowledged errors (a draft, marked as one).
    pub allow_errors: bool,
}

#[derive(Debug)]
pub struct PdfSummary {
    pub output: PathBuf,
    pub year: u32,
    pub pages: usize,
    pub bytes: usize,
    /// Unacknowledged `check` errors in the draft (only with `allow_errors`).
    pub findings: usize,
    pub elapsed: Duration,
    pub stages: crate::pdf::Stages,
}

pub fn pdf(options: &PdfOptions) -> Result<PdfSummary> {
    let started = Instant::now();
    let mut site = load_site(&options.root, None)?;
    // a draft year is typeset only when asked for by name
    let draft_asked_for = site
        .years
        .iter()
        .any(|y| y.meta.draft && Some(y.meta.year) == options.year);
    if !draft_asked_for {
        site.leave_out_drafts();
    }
    let checked = CheckedSite::check(site);
    let findings = refuse_unpublishable(&checked, options.allow_errors)?;
    let state = checked.into_state(&mut StageTimes::default(), ChartsHeld::WhenRendered)?;
    let year = match options.year {
        Some(year) => year,
        None => state
            .years
            .last()
            .map(|y| y.year())
            .ok_or_else(|| anyhow!("the content has no year"))?,
    };
    let typeset = crate::pdf::typeset(&state, year, findings > 0)?;
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(crate::routes::pdf_file_name(year)));
    write_atomically(&output, &typeset.pdf)?;
    Ok(PdfSummary {
        output,
        year,
        pages: typeset.pages(),
        bytes: typeset.pdf.len(),
        findings,
        elapsed: started.elapsed(),
        stages: typeset.stages,
    })
}
