//! Presenting `check` findings: a readable report grouped by page and table, or JSON.

use crate::validate::{Finding, Severity};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::io;

pub fn one_line(f: &Finding) -> String {
    let mut out = format!("{}:{}: ", f.file.display(), f.line);
    if let Some(table) = &f.table {
        let _ = write!(out, "{table} ");
    }
    if let Some(row) = &f.row {
        let _ = write!(out, "row {row} ");
    }
    if let Some(column) = &f.column {
        let _ = write!(out, "column {column} ");
    }
    let _ = write!(out, "[{}] {}", f.rule, f.message);
    out
}

fn label(f: &Finding) -> &'static str {
    match (f.severity, f.acknowledged) {
        (_, true) => "acknowledged",
        (Severity::Structure, _) => "error",
        (Severity::Error, _) => "error",
        (Severity::Warning, _) => "warning",
    }
}

/// The human report (see [`write_text_report`]) as a string.
pub fn text_report(findings: &[Finding]) -> String {
    let mut out = Vec::new();
    // writing into memory cannot fail
    let _ = write_text_report(findings, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// The human report: findings grouped by printed page and table, then a one-line tally;
/// written as it goes, so a report of a million findings is never held whole.
pub fn write_text_report(findings: &[Finding], out: &mut dyn io::Write) -> io::Result<()> {
    let mut by_page: BTreeMap<(u32, String), Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        by_page
            .entry((f.page, f.table.clone().unwrap_or_default()))
            .or_default()
            .push(f);
    }
    for ((page, table), items) in &by_page {
        let file = items[0].file.display();
        let title = if table.is_empty() {
            String::new()
        } else {
            format!(" {table}")
        };
        writeln!(out, "page {page}{title} ({file})")?;
        for f in items {
            write!(out, "  {:<12} line {:<4} {}", label(f), f.line, f.rule)?;
            if let Some(row) = &f.row {
                write!(out, "  row {row}")?;
            }
            if let Some(column) = &f.column {
                write!(out, "  column {column}")?;
            }
            writeln!(out, ": {}", f.message)?;
        }
    }
    writeln!(out, "{}", tally(findings))
}

pub fn tally(findings: &[Finding]) -> String {
    let errors = findings.iter().filter(|f| f.fails_check()).count();
    let acknowledged = findings.iter().filter(|f| f.acknowledged).count();
    let warnings = findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .count();
    format!(
        "{errors} error(s), {acknowledged} acknowledged discrepancy(ies), {warnings} warning(s)"
    )
}
