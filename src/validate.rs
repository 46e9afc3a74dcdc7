//! Checks on loaded content: structure (a broken file stops the build) and arithmetic
//! (the report's own sums and percentages, reported by `karnameh check`).

use crate::content::{Cell, ColumnType, Role, Row, Table, TableKind};
use crate::load::{LoadedSection, LoadedSite, LoadedYear};
use crate::source::LineIndex;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;
use toml::Spanned;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Lint and style: reported, never fails `check`.
    Warning,
    /// Arithmetic that does not hold: fails `check` unless acknowledged in the data.
    Error,
    /// Broken content: fails `check` and stops `build`.
    Structure,
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub file: Arc<Path>,
    pub line: usize,
    pub page: u32,
    pub table: Option<String>,
    pub row: Option<String>,
    pub column: Option<String>,
    pub rule: &'static str,
    pub expected: Option<String>,
    pub found: Option<String>,
    pub message: String,
    pub acknowledged: bool,
}

impl Finding {
    pub fn fails_check(&self) -> bool {
        self.severity >= Severity::Error && !self.acknowledged
    }
}

/// The default tolerance of achievement %: the report rounds or truncates to whole percents.
pub const PCT_TOLERANCE: f64 = 1.0;
/// Shares are printed to whole percents (sometimes one decimal): their sum may miss 100 by this.
pub const SHARE_SUM_TOLERANCE: f64 = 1.5;

pub fn validate_site(site: &LoadedSite) -> Vec<Finding> {
    let allow_external = site.config.allow_external_links;
    site.years
        .iter()
        .flat_map(|y| validate_year(y, allow_external))
        .collect()
}

pub fn validate_year(year: &LoadedYear, allow_external_links: bool) -> Vec<Finding> {
    let mut findings = Vec::new();
    if let Some(foreword) = &year.meta.foreword {
        let markdown = MarkdownAt {
            file: &year.meta_path,
            text: &year.meta_text,
            lines: &year.meta_lines,
            page: 0,
        };
        markdown.check(foreword, allow_external_links, &mut findings);
    }
    let mut table_ids: BTreeMap<&str, &LoadedSection> = BTreeMap::new();
    let mut slugs = BTreeSet::new();
    let parts: BTreeSet<&str> = year.meta.parts.iter().map(|p| p.id.as_str()).collect();
    let mut last_page = 0;
    for section in &year.sections {
        let mut at = Reporter::new(section, &mut findings);
        if !slugs.insert(section.slug.as_str()) {
            at.structure(
                0,
                None,
                "duplicate-slug",
                format!("slug `{}` is used twice", section.slug),
            );
        }
        if let Some(part) = &section.data.part
            && !parts.contains(part.as_str())
        {
            at.structure(
                0,
                None,
                "unknown-part",
                format!("part `{part}` is not declared in year.toml"),
            );
        }
        if section.data.page < last_page {
            at.structure(
                0,
                None,
                "page-order",
                "pages must not decrease from one section to the next".into(),
            );
        }
        last_page = section.data.last_page.unwrap_or(section.data.page);
        if let Some(body) = &section.data.body {
            let markdown = MarkdownAt {
                file: &section.path,
                text: &section.text,
                lines: &section.lines,
                page: section.data.page,
            };
            markdown.check(body, allow_external_links, at.out);
        }
        for table in &section.data.tables {
            if let Some(first) = table_ids.insert(table.id.as_str(), section) {
                let msg = format!(
                    "table id `{}` is also used in {}",
                    table.id,
                    first.path.display()
                );
                at.structure(0, Some(table), "duplicate-table", msg);
            }
            check_table(table, &mut at);
        }
        crate::lint::lint_section(section, &mut findings);
    }
    crate::links::check_links(year, &mut findings);
    findings
}

/// Where a Markdown text of a file stands, to locate its problems.
struct MarkdownAt<'a> {
    file: &'a Arc<Path>,
    text: &'a str,
    lines: &'a LineIndex,
    page: u32,
}

impl MarkdownAt<'_> {
    fn check(&self, markdown: &Spanned<String>, allow_external: bool, out: &mut Vec<Finding>) {
        let start = markdown.span().start;
        // a multi-line string's first newline, right after its opening quotes, is not content
        let literal = self.text.get(start..).unwrap_or("");
        let skipped = ["\"\"\"\n", "\"\"\"\r\n", "'''\n", "'''\r\n"]
            .iter()
            .any(|q| literal.starts_with(q));
        let first_line = self.lines.line(start) + usize::from(skipped);
        for problem in crate::markdown::problems(markdown.get_ref(), allow_external) {
            let newlines = markdown.get_ref()[..problem.offset].matches('\n').count();
            out.push(Finding {
                severity: Severity::Structure,
                file: self.file.clone(),
                line: first_line + newlines,
                page: self.page,
                table: None,
                row: None,
                column: None,
                rule: problem.rule,
                expected: None,
                found: None,
                message: problem.message,
                acknowledged: false,
            });
        }
    }
}

/// Collects findings for one section file, locating rows by their span.
struct Reporter<'a> {
    section: &'a LoadedSection,
    out: &'a mut Vec<Finding>,
}

impl<'a> Reporter<'a> {
    fn new(section: &'a LoadedSection, out: &'a mut Vec<Finding>) -> Self {
        Reporter { section, out }
    }

    fn push(&mut self, finding: Finding) {
        self.out.push(finding);
    }

    fn base(
        &self,
        offset: usize,
        table: Option<&Table>,
        rule: &'static str,
        message: String,
    ) -> Finding {
        Finding {
            severity: Severity::Structure,
            file: self.section.path.clone(),
            line: if offset == 0 {
                1
            } else {
                self.section.lines.line(offset)
            },
            page: table.and_then(|t| t.page).unwrap_or(self.section.data.page),
            table: table.map(|t| t.id.to_string()),
            row: None,
            column: None,
            rule,
            expected: None,
            found: None,
            message,
            acknowledged: false,
        }
    }

    fn structure(
        &mut self,
        offset: usize,
        table: Option<&Table>,
        rule: &'static str,
        message: String,
    ) {
        let finding = self.base(offset, table, rule, message);
        self.push(finding);
    }
}

/// The rows of a table with their references, as `docs/content-format.md` defines them.
pub fn row_refs(table: &Table) -> Vec<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for row in &table.rows {
        if let Some(no) = &row.get_ref().no {
            *counts.entry(no.as_str()).or_default() += 1;
        }
    }
    table
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| match &row.get_ref().no {
            Some(no) if counts[no.as_str()] == 1 => no.to_string(),
            _ => format!("#{}", i + 1),
        })
        .collect()
}

/// A row to check: its reference, its span offset, and the row itself.
pub(crate) struct RowAt<'t> {
    pub reference: String,
    pub offset: usize,
    pub row: &'t Row,
}

/// The rows of a table with the totals row last, each with its reference and position.
pub(crate) fn data_rows(table: &Table) -> Vec<RowAt<'_>> {
    let refs = row_refs(table);
    let mut rows: Vec<RowAt> = table
        .rows
        .iter()
        .zip(refs)
        .map(|(r, reference)| RowAt {
            reference,
            offset: r.span().start,
            row: r.get_ref(),
        })
        .collect();
    if let Some(total) = &table.total {
        rows.push(RowAt {
            reference: "total".into(),
            offset: total.span().start,
            row: total.get_ref(),
        });
    }
    rows
}

fn check_table(table: &Table, at: &mut Reporter) {
    let before = at.out.len();
    check_structure(table, at);
    if at.out[before..]
        .iter()
        .any(|f| f.severity == Severity::Structure)
    {
        return; // arithmetic on a malformed table would only add noise
    }
    let rows = data_rows(table);
    let mut arithmetic = Vec::new();
    check_achievement(table, &rows, &mut arithmetic);
    check_column_totals(table, &rows, &mut arithmetic);
    check_subtotals(table, &rows, &mut arithmetic);
    check_row_totals(table, &rows, &mut arithmetic);
    check_pass_fail(table, &rows, &mut arithmetic);
    check_shares(table, &rows, &mut arithmetic);
    check_negatives(table, &rows, at);
    for issue in arithmetic {
        let mut finding = at.base(issue.offset, Some(table), issue.rule, issue.message);
        finding.severity = Severity::Error;
        finding.acknowledged = table
            .discrepancies
            .iter()
            .any(|d| d.rule == issue.rule && d.row == issue.row && d.column == issue.column);
        finding.row = Some(issue.row);
        finding.column = Some(issue.column);
        finding.expected = Some(issue.expected);
        finding.found = Some(issue.found);
        at.push(finding);
    }
}

/// Counts, plans, actuals and shares are never negative unless the column says they may be.
fn check_negatives(table: &Table, rows: &[RowAt], at: &mut Reporter) {
    for row in rows {
        for (column, cell) in table.columns.iter().zip(&row.row.values) {
            let Some(value) = cell.as_number().filter(|v| *v < 0.0) else {
                continue;
            };
            if column.allow_negative {
                continue;
            }
            let message = format!(
                "column `{}`: {} is negative; set `allow_negative = true` on the column if it may be",
                column.key,
                fmt(value)
            );
            let mut finding = at.base(row.offset, Some(table), "negative", message);
            finding.severity = Severity::Warning;
            finding.row = Some(row.reference.clone());
            finding.column = Some(column.key.to_string());
            at.push(finding);
        }
    }
}

fn check_structure(table: &Table, at: &mut Reporter) {
    if let Some(kind) = table.chart.as_ref().and_then(|c| c.kind.as_deref())
        && !matches!(kind, "achievement" | "plan-actual")
    {
        let message = format!("chart kind `{kind}` is not one of `achievement`, `plan-actual`");
        at.structure(0, Some(table), "chart-kind", message);
    }
    let mut keys = BTreeSet::new();
    for column in &table.columns {
        if !keys.insert(column.key.as_str()) {
            at.structure(
                0,
                Some(table),
                "duplicate-column",
                format!("column key `{}` is used twice", column.key),
            );
        }
    }
    let depth = table.label_headers.len();
    for row in data_rows(table) {
        check_row_shape(table, &row, depth, at);
    }
    check_references(table, at);
}

fn check_row_shape(table: &Table, row: &RowAt, depth: usize, at: &mut Reporter) {
    let r = row.row;
    let mut fail = |rule, message: String| {
        let mut f = at.base(row.offset, Some(table), rule, message);
        f.row = Some(row.reference.clone());
        at.push(f);
    };
    if r.heading.is_some() {
        if !r.values.is_empty() || !r.label.is_empty() {
            fail("heading-row", "a heading row has no label or values".into());
        }
        return;
    }
    if r.values.len() != table.columns.len() {
        let msg = format!(
            "{} values for {} columns",
            r.values.len(),
            table.columns.len()
        );
        fail("row-width", msg);
    }
    if r.label.len() != depth {
        fail(
            "label-depth",
            format!("{} labels for {} label headers", r.label.len(), depth),
        );
    }
    for (column, cell) in table.columns.iter().zip(&r.values) {
        match (column.ty, cell) {
            (ty, Cell::Text(text)) if ty.is_numeric() && looks_like_a_number(text) => fail(
                "number-as-text",
                format!(
                    "column `{}`: `{text}` is a number written as text: write it as a TOML number",
                    column.key
                ),
            ),
            (ColumnType::List, Cell::Integer(_) | Cell::Decimal(_)) => fail(
                "cell-type",
                format!(
                    "column `{}` holds lists but the cell is {}",
                    column.key,
                    cell_kind(cell)
                ),
            ),
            (ty, Cell::List(_)) if ty != ColumnType::List => fail(
                "cell-type",
                format!("column `{}` is `{ty:?}` but the cell is a list", column.key),
            ),
            (ColumnType::Integer, Cell::Decimal(d)) => fail(
                "cell-type",
                format!("column `{}` holds integers but the cell is {d}", column.key),
            ),
            _ => {}
        }
    }
    for key in r.marks.keys() {
        if key != "label" && key != "no" && !table.columns.iter().any(|c| &c.key == key) {
            fail("unknown-mark", format!("mark on unknown column `{key}`"));
        }
    }
}

/// `"1,234"`, `"۱۲۳"`, `"45%"`: text that is only a number, its separators and a sign.
fn looks_like_a_number(text: &str) -> bool {
    text.chars().any(char::is_numeric)
        && text
            .chars()
            .all(|c| c.is_numeric() || c.is_whitespace() || ",.٬٫%٪-+".contains(c))
}

fn cell_kind(cell: &Cell) -> &'static str {
    match cell {
        Cell::Integer(_) => "an integer",
        Cell::Decimal(_) => "a decimal",
        Cell::Text(_) => "text",
        Cell::List(_) => "a list",
    }
}

/// Corrections and discrepancies must name rows and columns that exist.
fn check_references(table: &Table, at: &mut Reporter) {
    let refs: BTreeSet<String> = row_refs(table)
        .into_iter()
        .chain(["total".to_string()])
        .collect();
    let column_ok = |c: &str| c == "label" || c == "no" || table.columns.iter().any(|k| k.key == c);
    let mut bad = Vec::new();
    for d in &table.discrepancies {
        if !refs.contains(&d.row) {
            bad.push(format!(
                "discrepancy names row `{}`, which does not exist",
                d.row
            ));
        }
        if !column_ok(&d.column) {
            bad.push(format!(
                "discrepancy names column `{}`, which does not exist",
                d.column
            ));
        }
    }
    for c in &table.corrections {
        if let Some(row) = &c.row
            && !refs.contains(row)
        {
            bad.push(format!(
                "correction names row `{row}`, which does not exist"
            ));
        }
        if let Some(column) = &c.column
            && !column_ok(column)
        {
            bad.push(format!(
                "correction names column `{column}`, which does not exist"
            ));
        }
    }
    for message in bad {
        at.structure(0, Some(table), "reference", message);
    }
}

/// An arithmetic finding before it is located.
struct Issue {
    offset: usize,
    rule: &'static str,
    row: String,
    column: String,
    expected: String,
    found: String,
    message: String,
}

fn columns_with(table: &Table, role: Role) -> Vec<usize> {
    table
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| c.role == Some(role))
        .map(|(i, _)| i)
        .collect()
}

/// (plan, actual, pct) column triples: per header group, or the table's only triple.
pub fn achievement_triples(table: &Table) -> Vec<(usize, usize, usize)> {
    let (plans, actuals, pcts) = (
        columns_with(table, Role::Plan),
        columns_with(table, Role::Actual),
        columns_with(table, Role::Pct),
    );
    if plans.len() == 1 && actuals.len() == 1 && pcts.len() == 1 {
        return vec![(plans[0], actuals[0], pcts[0])];
    }
    let group = |i: usize| &table.columns[i].group;
    plans
        .iter()
        .filter_map(|&p| {
            let a = actuals.iter().copied().find(|&a| group(a) == group(p))?;
            let s = pcts.iter().copied().find(|&s| group(s) == group(p))?;
            Some((p, a, s))
        })
        .collect()
}

/// A number as `check` prints it: whole numbers without a point, others to two places.
pub(crate) fn fmt(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{n:.0}")
    } else {
        format!("{n:.2}").trim_end_matches('0').to_string()
    }
}

fn check_achievement(table: &Table, rows: &[RowAt], out: &mut Vec<Issue>) {
    let tolerance = table.pct_tolerance.unwrap_or(PCT_TOLERANCE);
    for (p, a, s) in achievement_triples(table) {
        for row in rows {
            let (Some(plan), Some(actual), Some(stated)) =
                (row.row.number(p), row.row.number(a), row.row.number(s))
            else {
                continue;
            };
            if plan == 0.0 {
                continue;
            }
            let exact = actual / plan * 100.0;
            if (exact - stated).abs() >= tolerance {
                out.push(Issue {
                    offset: row.offset,
                    rule: "achievement",
                    row: row.reference.clone(),
                    column: table.columns[s].key.to_string(),
                    expected: format!("{:.1}", exact),
                    found: fmt(stated),
                    message: format!(
                        "achievement {}% but actual ÷ plan = {} ÷ {} = {:.1}% (tolerance ±{})",
                        fmt(stated),
                        fmt(actual),
                        fmt(plan),
                        exact,
                        fmt(tolerance)
                    ),
                });
            }
        }
    }
}

/// Columns whose totals row is the sum of the rows: counts, not percentages or text.
fn summable_columns(table: &Table) -> Vec<usize> {
    table
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            matches!(c.ty, ColumnType::Integer | ColumnType::Decimal)
                && !matches!(
                    c.role,
                    Some(Role::Pct | Role::Share | Role::PassShare | Role::FailShare | Role::Unit)
                )
        })
        .map(|(i, _)| i)
        .collect()
}

fn check_column_totals(table: &Table, rows: &[RowAt], out: &mut Vec<Issue>) {
    let Some(total) = rows.iter().find(|r| r.reference == "total") else {
        return;
    };
    let body: Vec<&RowAt> = rows
        .iter()
        .filter(|r| r.reference != "total" && !r.row.subtotal && r.row.heading.is_none())
        .collect();
    for i in summable_columns(table) {
        let Some(stated) = total.row.number(i) else {
            continue;
        };
        let sum: f64 = body.iter().filter_map(|r| r.row.number(i)).sum();
        if (sum - stated).abs() > 1e-6 {
            out.push(Issue {
                offset: total.offset,
                rule: "total",
                row: "total".into(),
                column: table.columns[i].key.to_string(),
                expected: fmt(sum),
                found: fmt(stated),
                message: format!("total {} but the rows sum to {}", fmt(stated), fmt(sum)),
            });
        }
    }
}

fn check_subtotals(table: &Table, rows: &[RowAt], out: &mut Vec<Issue>) {
    for (index, row) in rows.iter().enumerate() {
        if !row.row.subtotal || row.row.label.is_empty() {
            continue;
        }
        let prefix = &row.row.label[..row.row.label.len() - 1];
        let parts: Vec<&RowAt> = rows[..index]
            .iter()
            .filter(|r| {
                !r.row.subtotal
                    && r.row.label.starts_with(prefix)
                    && r.row.label.len() == row.row.label.len()
            })
            .collect();
        for i in summable_columns(table) {
            let Some(stated) = row.row.number(i) else {
                continue;
            };
            let sum: f64 = parts.iter().filter_map(|r| r.row.number(i)).sum();
            if (sum - stated).abs() > 1e-6 {
                out.push(Issue {
                    offset: row.offset,
                    rule: "subtotal",
                    row: row.reference.clone(),
                    column: table.columns[i].key.to_string(),
                    expected: fmt(sum),
                    found: fmt(stated),
                    message: format!("subtotal {} but its rows sum to {}", fmt(stated), fmt(sum)),
                });
            }
        }
    }
}

/// Crosstab: the `total` column is the sum of the `category` columns.
fn check_row_totals(table: &Table, rows: &[RowAt], out: &mut Vec<Issue>) {
    if table.kind != TableKind::Crosstab {
        return;
    }
    let categories = columns_with(table, Role::Category);
    for t in columns_with(table, Role::Total) {
        for row in rows {
            let Some(stated) = row.row.number(t) else {
                continue;
            };
            let sum: f64 = categories.iter().filter_map(|&c| row.row.number(c)).sum();
            if (sum - stated).abs() > 1e-6 {
                out.push(Issue {
                    offset: row.offset,
                    rule: "row-total",
                    row: row.reference.clone(),
                    column: table.columns[t].key.to_string(),
                    expected: fmt(sum),
                    found: fmt(stated),
                    message: format!(
                        "row total {} but its categories sum to {}",
                        fmt(stated),
                        fmt(sum)
                    ),
                });
            }
        }
    }
}

fn check_pass_fail(table: &Table, rows: &[RowAt], out: &mut Vec<Issue>) {
    if table.kind != TableKind::PassFail {
        return;
    }
    let one = |role| columns_with(table, role).first().copied();
    let (Some(pass), Some(fail), Some(total)) =
        (one(Role::Pass), one(Role::Fail), one(Role::Total))
    else {
        return;
    };
    for row in rows {
        let (Some(p), Some(f), Some(t)) = (
            row.row.number(pass),
            row.row.number(fail),
            row.row.number(total),
        ) else {
            continue;
        };
        if (p + f - t).abs() > 1e-6 {
            out.push(Issue {
                offset: row.offset,
                rule: "pass-fail",
                row: row.reference.clone(),
                column: table.columns[total].key.to_string(),
                expected: fmt(p + f),
                found: fmt(t),
                message: format!(
                    "total {} but compliant + non-compliant = {} + {} = {}",
                    fmt(t),
                    fmt(p),
                    fmt(f),
                    fmt(p + f)
                ),
            });
        }
        for (share_role, part_value) in [(Role::PassShare, p), (Role::FailShare, f)] {
            let Some(s) = one(share_role) else { continue };
            let Some(stated) = row.row.number(s) else {
                continue;
            };
            if t == 0.0 {
                continue;
            }
            let exact = part_value / t * 100.0;
            if (exact - stated).abs() >= PCT_TOLERANCE {
                out.push(Issue {
                    offset: row.offset,
                    rule: "share",
                    row: row.reference.clone(),
                    column: table.columns[s].key.to_string(),
                    expected: format!("{exact:.1}"),
                    found: fmt(stated),
                    message: format!(
                        "share {}% but {} ÷ {} = {:.1}%",
                        fmt(stated),
                        fmt(part_value),
                        fmt(t),
                        exact
                    ),
                });
            }
        }
    }
}

/// Share tables: each share is value ÷ total, and the shares add up to 100.
fn check_shares(table: &Table, rows: &[RowAt], out: &mut Vec<Issue>) {
    if table.kind != TableKind::Share {
        return;
    }
    let (Some(&v), Some(&s)) = (
        columns_with(table, Role::Value).first(),
        columns_with(table, Role::Share).first(),
    ) else {
        return;
    };
    let body: Vec<&RowAt> = rows
        .iter()
        .filter(|r| r.reference != "total" && r.row.heading.is_none())
        .collect();
    let total = rows
        .iter()
        .find(|r| r.reference == "total")
        .and_then(|r| r.row.number(v))
        .unwrap_or_else(|| body.iter().filter_map(|r| r.row.number(v)).sum());
    if total == 0.0 {
        return;
    }
    for row in &body {
        let (Some(value), Some(stated)) = (row.row.number(v), row.row.number(s)) else {
            continue;
        };
        let exact = value / total * 100.0;
        if (exact - stated).abs() >= PCT_TOLERANCE {
            out.push(Issue {
                offset: row.offset,
                rule: "share",
                row: row.reference.clone(),
                column: table.columns[s].key.to_string(),
                expected: format!("{exact:.1}"),
                found: fmt(stated),
                message: format!(
                    "share {}% but {} ÷ {} = {:.1}%",
                    fmt(stated),
                    fmt(value),
                    fmt(total),
                    exact
                ),
            });
        }
    }
    let sum: f64 = body.iter().filter_map(|r| r.row.number(s)).sum();
    if (sum - 100.0).abs() > SHARE_SUM_TOLERANCE {
        out.push(Issue {
            offset: rows.last().map_or(0, |r| r.offset),
            rule: "share",
            row: "total".into(),
            column: table.columns[s].key.to_string(),
            expected: "100".into(),
            found: fmt(sum),
            message: format!(
                "the shares sum to {}%, not 100% (tolerance ±{SHARE_SUM_TOLERANCE})",
                fmt(sum)
            ),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{LoadedSection, LoadedYear};
    use std::path::Path;

    fn section(slug: &str, text: &str) -> LoadedSection {
        LoadedSection::parse(Path::new(&format!("{slug}.toml")), text.to_string()).unwrap()
    }

    fn year(sections: Vec<LoadedSection>) -> LoadedYear {
        let meta = "year = 1400\ntitle = \"t\"\norganization = \"o\"\npublisher = \"p\"\npublished = \"d\"\n";
        LoadedYear::parse(Path::new("1400"), meta.to_string(), sections).unwrap()
    }

    /// The failing rules of one section holding `tables` (TOML text after the section keys).
    fn rules(tables: &str) -> Vec<&'static str> {
        let text = format!("title = \"s\"\npage = 7\n{tables}");
        validate_year(&year(vec![section("s", &text)]), false)
            .into_iter()
            .filter(|f| f.fails_check())
            .map(|f| f.rule)
            .collect()
    }

    const PLAN_ACTUAL: &str = r#"
[[tables]]
id = "T1"
kind = "plan-actual"
caption = "c"
label_headers = ["استان"]
columns = [
  { key = "plan", label = "p", role = "plan" },
  { key = "actual", label = "a", role = "actual" },
  { key = "pct", label = "%", type = "percent", role = "pct" },
]
rows = [
  { no = "1", label = ["الف"], values = [10, 15, 150] },
  { no = "2", label = ["ب"], values = [3, 2, 66] },
]
total = { label = ["جمع"], values = [13, 17, 131] }
"#;

    #[test]
    fn achievement_within_one_point_passes_and_beyond_fails() {
        assert!(
            rules(PLAN_ACTUAL).is_empty(),
            "66 for 66.7% is within tolerance"
        );
        assert_eq!(
            rules(&PLAN_ACTUAL.replace("[10, 15, 150]", "[10, 15, 151]")),
            ["achievement"]
        );
        let wider = PLAN_ACTUAL.replace(
            "kind = \"plan-actual\"",
            "kind = \"plan-actual\"\npct_tolerance = 2.0",
        );
        assert!(rules(&wider.replace("[10, 15, 150]", "[10, 15, 151]")).is_empty());
    }

    #[test]
    fn totals_row_must_be_the_sum_of_rows() {
        assert_eq!(
            rules(&PLAN_ACTUAL.replace("[13, 17, 131]", "[13, 18, 131]")),
            ["achievement", "total"]
        );
    }

    #[test]
    fn acknowledged_discrepancy_does_not_fail() {
        let acknowledged = format!(
            "{}\n[[tables.discrepancies]]\nrow = \"1\"\ncolumn = \"pct\"\nrule = \"achievement\"\nnote = \"n\"\n",
            PLAN_ACTUAL.replace("[10, 15, 150]", "[10, 15, 151]")
        );
        assert!(rules(&acknowledged).is_empty());
    }

    const ACTIVITIES: &str = r#"
[[tables]]
id = "T2"
kind = "activities"
caption = "c"
label_headers = ["f", "f"]
columns = [
  { key = "plan", label = "p", role = "plan" },
  { key = "actual", label = "a", role = "actual" },
  { key = "pct", label = "%", type = "percent", role = "pct" },
]
rows = [
  { no = "1", label = ["x", "استان"], values = [10, 10, 100] },
  { label = ["x", "ستاد"], values = [5, 10, 200] },
  { label = ["x", "جمع"], values = [15, 20, 133], subtotal = true },
  { no = "2", label = ["y", ""], values = ["حسب درخواست", 4, "-"] },
]
"#;

    #[test]
    fn subtotal_is_the_sum_of_its_sibling_rows() {
        assert!(rules(ACTIVITIES).is_empty());
        assert_eq!(
            rules(&ACTIVITIES.replace("[15, 20, 133]", "[15, 21, 140]")),
            ["subtotal"]
        );
    }

    const CROSSTAB: &str = r#"
[[tables]]
id = "T3"
kind = "crosstab"
caption = "c"
label_headers = ["استان"]
columns = [
  { key = "a", label = "غذایی", role = "category" },
  { key = "b", label = "شیمیایی", role = "category" },
  { key = "sum", label = "جمع", role = "total" },
]
rows = [ { no = "1", label = ["الف"], values = [1, 2, 3] } ]
total = { label = ["جمع"], values = [1, 2, 3] }
"#;

    #[test]
    fn crosstab_row_total_is_the_sum_of_its_categories() {
        assert!(rules(CROSSTAB).is_empty());
        assert_eq!(
            rules(&CROSSTAB.replacen("[1, 2, 3]", "[1, 2, 4]", 1)),
            ["total", "row-total"]
        );
    }

    const PASS_FAIL: &str = r#"
[[tables]]
id = "T4"
kind = "pass-fail"
caption = "c"
label_headers = ["استان"]
columns = [
  { key = "pass", label = "مطابق", role = "pass" },
  { key = "fail", label = "مغایر", role = "fail" },
  { key = "total", label = "جمع", role = "total" },
  { key = "ps", label = "مطابق", type = "percent", role = "pass-share" },
  { key = "fs", label = "مغایر", type = "percent", role = "fail-share" },
]
rows = [ { no = "1", label = ["الف"], values = [75, 25, 100, 75, 25] } ]
"#;

    #[test]
    fn pass_and_fail_add_up_to_the_total_and_their_shares() {
        assert!(rules(PASS_FAIL).is_empty());
        assert_eq!(
            rules(&PASS_FAIL.replace("[75, 25, 100, 75, 25]", "[75, 25, 101, 74, 25]")),
            ["pass-fail"]
        );
        assert_eq!(
            rules(&PASS_FAIL.replace("[75, 25, 100, 75, 25]", "[75, 25, 100, 70, 30]")),
            ["share", "share"]
        );
    }

    const SHARE: &str = r#"
[[tables]]
id = "T5"
kind = "share"
caption = "c"
label_headers = ["استان"]
columns = [
  { key = "value", label = "v", role = "value" },
  { key = "share", label = "s", type = "percent", role = "share" },
]
rows = [
  { no = "1", label = ["الف"], values = [1, 33] },
  { no = "2", label = ["ب"], values = [2, 67] },
]
total = { label = ["جمع"], values = [3, 100] }
"#;

    #[test]
    fn shares_match_their_values_and_sum_to_100() {
        assert!(rules(SHARE).is_empty());
        assert_eq!(
            rules(&SHARE.replace("[2, 67]", "[2, 60]")),
            ["share", "share"]
        );
    }

    #[test]
    fn structural_rules() {
        let cases = [
            (
                PLAN_ACTUAL.replace("[10, 15, 150]", "[10, 15]"),
                "row-width",
            ),
            (
                PLAN_ACTUAL.replace("label = [\"الف\"]", "label = []"),
                "label-depth",
            ),
            (
                PLAN_ACTUAL.replace("[10, 15, 150]", "[\"1,0\", 15, 150]"),
                "number-as-text",
            ),
            (
                PLAN_ACTUAL.replace("[10, 15, 150]", "[10.5, 15, 150]"),
                "cell-type",
            ),
            (
                PLAN_ACTUAL.replace("key = \"actual\"", "key = \"plan\""),
                "duplicate-column",
            ),
            (
                format!(
                    "{PLAN_ACTUAL}\n[[tables.corrections]]\nrow = \"9\"\nprinted = \"x\"\nreason = \"r\"\n"
                ),
                "reference",
            ),
            (format!("{PLAN_ACTUAL}{}", PLAN_ACTUAL), "duplicate-table"),
            (format!("part = \"nope\"\n{PLAN_ACTUAL}"), "unknown-part"),
            (
                PLAN_ACTUAL.replace(
                    "kind = \"plan-actual\"",
                    "kind = \"plan-actual\"\nchart = { kind = \"pie\" }",
                ),
                "chart-kind",
            ),
        ];
        for (text, rule) in cases {
            assert!(rules(&text).contains(&rule), "{rule}: {:?}", rules(&text));
        }
        // text that is not a number may stand in a numeric column
        let text_plan = PLAN_ACTUAL
            .replace("[3, 2, 66]", "[\"حسب مورد (۲ مورد)\", 2, \"-\"]")
            .replace("[13, 17, 131]", "[10, 17, 170]");
        assert!(rules(&text_plan).is_empty(), "{:?}", rules(&text_plan));
    }

    #[test]
    fn links_compare_rows_by_label_and_rows_with_columns() {
        let summary = r#"
[[tables]]
id = "S"
kind = "activities"
caption = "c"
label_headers = ["f"]
columns = [ { key = "actual", label = "a", role = "actual" } ]
rows = [ { no = "1", label = ["x"], values = [17] } ]
links = [ { table = "T1", column = "actual", row = "1", other_row = "total" } ]
"#;
        let cross = CROSSTAB
            .replace("[1, 2, 3] }\ntotal", "[10, 5, 15] }\ntotal")
            .replace("values = [1, 2, 3] }", "values = [10, 5, 15] }");
        let cross = format!(
            "{cross}links = [ {{ table = \"T1\", column = \"sum\", other_column = \"actual\" }} ]\n"
        );
        let industry = r#"
[[tables]]
id = "I"
kind = "share"
caption = "c"
label_headers = ["رشته"]
columns = [ { key = "value", label = "v", role = "value" }, { key = "share", label = "s", type = "percent", role = "share" } ]
rows = [ { no = "1", label = ["غذایی"], values = [10, 67] }, { no = "2", label = ["شیمیایی"], values = [5, 33] } ]
total = { label = ["جمع"], values = [15, 100] }
links = [ { table = "T3", column = "value", by = "columns" } ]
"#;
        let all = format!("{PLAN_ACTUAL}{summary}{cross}{industry}");
        // S row 1 = T1 total (17) and I = T3's column totals agree; T3's total 15 ≠ T1's 17
        assert_eq!(rules(&all), ["link"]);
        let acknowledged = all.replace(
            "links = [ { table = \"T1\", column = \"sum\"",
            "discrepancies = [ { row = \"total\", column = \"sum\", rule = \"link\", note = \"n\" } ]\nlinks = [ { table = \"T1\", column = \"sum\"",
        );
        assert!(
            rules(&acknowledged).is_empty(),
            "{:?}",
            rules(&acknowledged)
        );
        assert_eq!(
            rules(&summary.replace("table = \"T1\"", "table = \"T9\"")),
            ["link"]
        );
    }
}
