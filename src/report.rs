//! Presenting `check` findings: a readable report grouped by page and table, or JSON.

use crate::validate::{Finding, Severity};
use std::collections::BTreeMap;
use std::fmt::Write;

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

/// The human report: findings grouped by printed page and table, then a one-line tally.
pub fn text_report(findings: &[Finding]) -> String {
    let mut by_page: BTreeMap<(u32, String), Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        by_page
            .entry((f.page, f.table.clone().unwrap_or_default()))
            .or_default()
            .push(f);
    }
    let mut out = String::new();
    for ((page, table), items) in &by_page {
        let file = items[0].file.display();
        let title = if table.is_empty() {
            String::new()
        } else {
            format!(" {table}")
        };
        let _ = writeln!(out, "page {page}{title} ({file})");
        for f in items {
            let _ = write!(out, "  {:<12} line {:<4} {}", label(f), f.line, f.rule);
            if let Some(row) = &f.row {
                let _ = write!(out, "  row {row}");
            }
            if let Some(column) = &f.column {
                let _ = write!(out, "  column {column}");
            }
            let _ = writeln!(out, ": {}", f.message);
        }
    }
    let _ = writeln!(out, "{}", tally(findings));
    out
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
