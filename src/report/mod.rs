//! Presenting `check` findings: a readable report grouped by page and table, a summary per
//! rule (`summary`), the link coverage (`links`), or JSON. Text and JSON list the findings in
//! one order, [`sort`]'s.

mod links;
mod summary;

pub use links::write_coverage;
pub use summary::{RuleCount, rule_counts, write_summary};

use crate::diagnostics::{Finding, Severity};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;
use std::path::Path;

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

/// What the text report groups findings by: a year's page, a table (or none), a file.
type Group<'f> = (u32, u32, Option<&'f str>, &'f Path);

fn group(f: &Finding) -> Group<'_> {
    (f.year, f.page, f.table.as_deref(), &f.file)
}

/// The order of every report: by year and printed page, then the groups (a table, or a
/// section's own texts) in the order they are written, then by line within a group (a table's
/// rows in order, its totals row last), then by rule.
pub fn sort(findings: &mut Vec<Finding>) {
    let keys: Vec<(usize, usize, crate::diagnostics::Rule)> = {
        let mut first_line: BTreeMap<Group, usize> = BTreeMap::new();
        for f in findings.iter() {
            let line = first_line.entry(group(f)).or_insert(f.line);
            *line = (*line).min(f.line);
        }
        let mut groups: Vec<(Group, usize)> = first_line.into_iter().collect();
        groups
            .sort_by_key(|((year, page, table, file), line)| (*year, *page, *file, *line, *table));
        let rank: BTreeMap<Group, usize> = groups
            .into_iter()
            .enumerate()
            .map(|(rank, (g, _))| (g, rank))
            .collect();
        findings
            .iter()
            .map(|f| (rank[&group(f)], f.line, f.rule))
            .collect()
    };
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by_key(|&i| keys[i]);
    let mut taken: Vec<Option<Finding>> = std::mem::take(findings).into_iter().map(Some).collect();
    *findings = order.iter().filter_map(|&i| taken[i].take()).collect();
}

/// The human report (see [`write_text_report`]) as a string.
pub fn text_report(findings: &[Finding]) -> String {
    let mut out = Vec::new();
    // writing into memory cannot fail
    let _ = write_text_report(findings, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// The human report: findings (in [`sort`]'s order) under a heading per year, printed page and
/// table, each explained finding followed by its likeliest fix, then a one-line tally; written
/// as it goes, so a report of a million findings is never held whole.
pub fn write_text_report(findings: &[Finding], out: &mut dyn io::Write) -> io::Result<()> {
    let several_years = findings.iter().any(|f| f.year != findings[0].year);
    let mut current: Option<Group> = None;
    for f in findings {
        if current != Some(group(f)) {
            current = Some(group(f));
            let title = f
                .table
                .as_ref()
                .map(|t| format!(" {t}"))
                .unwrap_or_default();
            let year = if several_years {
                format!("{} ", f.year)
            } else {
                String::new()
            };
            writeln!(out, "{year}page {}{title} ({})", f.page, f.file.display())?;
        }
        write!(out, "  {:<12} line {:<4} {}", label(f), f.line, f.rule)?;
        if let Some(row) = f.row() {
            write!(out, "  row {row}")?;
        }
        if let Some(column) = f.column() {
            write!(out, "  column {column}")?;
        }
        writeln!(out, ": {}", f.message)?;
        if let Some(best) = f.explanation().and_then(|e| e.suggestions.first()) {
            writeln!(out, "{:16}likely fix: {}", "", best.text)?;
        }
    }
    writeln!(out, "{}", tally(findings))
}

/// `2 error(s), 65 acknowledged discrepancy(ies), 0 warning(s)`.
pub fn tally<'f>(findings: impl IntoIterator<Item = &'f Finding>) -> String {
    let (mut errors, mut acknowledged, mut warnings) = (0, 0, 0);
    for f in findings {
        errors += usize::from(f.fails_check());
        acknowledged += usize::from(f.acknowledged);
        warnings += usize::from(f.severity == Severity::Warning);
    }
    format!(
        "{errors} error(s), {acknowledged} acknowledged discrepancy(ies), {warnings} warning(s)"
    )
}

/// Content that has structural errors, which stop a build: the findings, in file order.
#[derive(Debug, Clone)]
pub struct StructuralErrors(pub Vec<Finding>);

impl std::fmt::Display for StructuralErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let lines: Vec<String> = self.0.iter().map(one_line).collect();
        write!(f, "{}", lines.join("\n"))
    }
}

impl std::error::Error for StructuralErrors {}

impl StructuralErrors {
    /// The structural errors among `findings`, as an error if there are any.
    pub fn check<'f>(findings: impl IntoIterator<Item = &'f Finding>) -> Result<(), Self> {
        let found: Vec<Finding> = findings
            .into_iter()
            .filter(|f| f.severity == Severity::Structure)
            .cloned()
            .collect();
        if found.is_empty() {
            Ok(())
        } else {
            Err(StructuralErrors(found))
        }
    }
}
