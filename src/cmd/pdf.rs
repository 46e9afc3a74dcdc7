//! `karnameh pdf`: check the content, then typeset one year of the report as a PDF file,
//! replaced only once it is complete.

use super::refuse_unpublishable;
use crate::pipeline::{CheckedSite, StageTimes, load_site};
use crate::state::ChartsHeld;
use anyhow::{Context, Result, anyhow};
use std::path::{Path, PathBuf};
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
    let checked = CheckedSite::check(load_site(&options.root, None)?);
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
    write_whole(&output, &typeset.pdf)?;
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

/// Writes `bytes` to `path` through a file beside it renamed into place, so a reader never
/// sees half a PDF and a failed write leaves the previous file.
fn write_whole(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| anyhow!("{}: not a file name", path.display()))?;
    let partial = path.with_file_name(format!(
        ".{}.{}.partial",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = std::fs::write(&partial, bytes).and_then(|()| std::fs::rename(&partial, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written.with_context(|| format!("cannot write {}", path.display()))
}
