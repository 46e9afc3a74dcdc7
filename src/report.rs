//! Presenting `check` findings: a readable report grouped by page and table, or JSON.

use crate::diagnostics::{Finding, Severity};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;

/// One finding on one line: `file:line: table row column [rule] message`.
pub fn one_line(f: &Finding) -> String {
    let mut out = format!("{}:{}: ", f.file.display(), f.line);
    if let Some(table) = &f.table {
        let _ = write!(out, "{table} ");
    }
    if let Some(row) = f.row() {
        let _ = write!(out, "row {row} ");
    }
    if let Some(column) = f.column() {
        let _ = write!(out, "column {column} ");
    }
    let _ = write!(out, "[{}] {}", f.rule, f.message);
    out
}

fn label(f: &Finding) -> &'static str {
    match (f.severity, f.acknowledged) {
        (_, true) => "acknowledged",
        (Severity::Info, _) => "to fill",
        (Severity::Structure | Severity::Error, _) => "error",
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

/// The human report: findings grouped by year, printed page and table, then a one-line tally;
/// written as it goes, so a report of a million findings is never held whole.
pub fn write_text_report(findings: &[Finding], out: &mut dyn io::Write) -> io::Result<()> {
    let mut groups: BTreeMap<(u32, u32, Option<&str>), Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        let table = f.table.as_deref();
        groups.entry((f.year, f.page, table)).or_default().push(f);
    }
    let years: std::collections::BTreeSet<u32> = findings.iter().map(|f| f.year).collect();
    for ((year, page, table), items) in &groups {
        let file = items[0].file.display();
        let title = table.map(|t| format!(" {t}")).unwrap_or_default();
        let year = if years.len() > 1 {
            format!("{year} ")
        } else {
            String::new()
        };
        writeln!(out, "{year}page {page}{title} ({file})")?;
        for f in items {
            write!(out, "  {:<12} line {:<4} {}", label(f), f.line, f.rule)?;
            if let Some(row) = f.row() {
                write!(out, "  row {row}")?;
            }
            if let Some(column) = f.column() {
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
