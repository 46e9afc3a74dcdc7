//! One module per command: options in, the pipeline run, a summary out. `main` parses the
//! command line and prints.

pub mod build;
pub mod check;
pub mod pdf;

use crate::diagnostics::{Finding, Severity};
use crate::pipeline::CheckedSite;
use crate::report::one_line;
use anyhow::{Result, bail};

/// Stops a command that publishes (`build`, `pdf`) before anything is written: on structural
/// errors always, on unacknowledged check errors unless `allow_errors` (a draft). Returns the
/// number of check errors published anyway.
pub(crate) fn refuse_unpublishable(checked: &CheckedSite, allow_errors: bool) -> Result<usize> {
    let findings: Vec<&Finding> = checked.findings().collect();
    refuse(&findings, |f| f.severity == Severity::Structure, STRUCTURE)?;
    if !allow_errors {
        refuse(&findings, |f| f.fails_check(), UNCHECKED)?;
    }
    Ok(findings.iter().filter(|f| f.fails_check()).count())
}

const STRUCTURE: &str = "structural error(s)";
const UNCHECKED: &str = "unacknowledged check error(s)";

/// Stops the build before anything is written when `findings` has any that `stops` says stop
/// it: structural errors always, check errors unless the build is a draft.
fn refuse(findings: &[&Finding], stops: impl Fn(&Finding) -> bool, what: &str) -> Result<()> {
    let broken: Vec<&&Finding> = findings.iter().filter(|f| stops(f)).collect();
    if broken.is_empty() {
        return Ok(());
    }
    let listed: Vec<String> = broken
        .iter()
        .take(20)
        .map(|f| format!("  {}", one_line(f)))
        .collect();
    let more = broken.len().saturating_sub(20);
    let hint = if what == UNCHECKED {
        "fix them or acknowledge them as discrepancies of the report; `--allow-errors` publishes a draft anyway"
    } else {
        "fix them and build again"
    };
    bail!(
        "the content has {} {what}; nothing was written ({hint}):\n{}{}",
        broken.len(),
        listed.join("\n"),
        if more > 0 {
            format!("\n  … and {more} more (run `karnameh check`)")
        } else {
            String::new()
        }
    )
}
