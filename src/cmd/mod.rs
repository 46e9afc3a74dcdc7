//! One module per command: options in, the pipeline run, a summary out. `main` parses the
//! command line and prints.

pub mod archive;
pub mod build;
pub mod check;
pub mod import;
pub mod new;
pub mod pdf;
pub mod serve;
pub mod verify;

use crate::diagnostics::{Finding, Severity};
use crate::pipeline::CheckedSite;
use crate::report::one_line;
use anyhow::{Context, Result, bail};
use std::path::Path;

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

/// Writes `bytes` to `path` through a temporary file beside it: a failed write leaves no half
/// file. The file gets the permissions of any new file: it is meant to be kept and shared (an
/// archive, a PDF).
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let partial = dir.join(format!(".{name}.{}.partial", std::process::id()));
    let written = std::fs::write(&partial, bytes).and_then(|()| std::fs::rename(&partial, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written.with_context(|| format!("cannot write {}", path.display()))
}
