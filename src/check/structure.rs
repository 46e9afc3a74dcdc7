//! Structure: content that cannot be rendered as it is written stops the build.

use super::SectionAt;
use crate::content::{Cell, ColumnType, RowAt, RowRef, Table};
use crate::diagnostics::{Finding, Rule};
use crate::load::LoadedYear;
use std::collections::{BTreeMap, BTreeSet};

/// The section's own fields: its part must be declared in `year.toml`.
pub fn check_section(at: &SectionAt, year: &LoadedYear, out: &mut Vec<Finding>) {
    if let Some(part) = &at.section.data.part
        && !year.meta.parts.iter().any(|p| &p.id == part)
    {
        let message = format!("part `{part}` is not declared in year.toml");
        out.push(at.finding(Rule::UnknownPart, 0, None, message));
    }
}

/// Across the year's sections: one slug and one table id each, pages in order.
pub fn check_across(year: &LoadedYear, out: &mut Vec<Finding>) {
    let mut slugs = BTreeSet::new();
    let mut tables = BTreeMap::new();
    let mut last_page = 0;
    for section in &year.sections {
        let at = SectionAt::new(section, year.meta.year);
        if !slugs.insert(section.slug.as_str()) {
            let message = format!("slug `{}` is used twice", section.slug);
            out.push(at.finding(Rule::DuplicateSlug, 0, None, message));
        }
        if section.data.page < last_page {
            let message = "pages must not decrease from one section to the next".to_string();
            out.push(at.finding(Rule::PageOrder, 0, None, message));
        }
        last_page = section.data.last_page.unwrap_or(section.data.page);
        for table in &section.data.tables {
            if let Some(first) = tables.insert(&table.id, section) {
                let message = format!(
                    "table id `{}` is also used in {}",
                    table.id,
                    first.path.display()
                );
                out.push(at.finding(Rule::DuplicateTable, 0, Some(table), message));
            }
        }
    }
}

/// Series: one table per series in a year, and rows a later year can tell apart (distinct
/// keys, or distinct labels where rows have no key).
pub fn check_series(year: &LoadedYear, out: &mut Vec<Finding>) {
    let mut series = BTreeMap::new();
    for section in &year.sections {
        let at = SectionAt::new(section, year.meta.year);
        for table in &section.data.tables {
            let Some(key) = &table.series else { continue };
            if let Some(first) = series.insert(key, &table.id) {
                let message = format!(
                    "series `{key}` is also the series of table {first}: one table per series in a year"
                );
                out.push(at.finding(Rule::Series, table.span.start, Some(table), message));
            }
            let mut rows = BTreeMap::new();
            for (identity, row) in table.identified_rows() {
                if rows.insert(identity, row).is_some() {
                    let message = format!(
                        "two rows of series `{key}` are both {}: give them distinct `key`s so that another year's rows can be matched to them",
                        row.label_text()
                    );
                    out.push(at.finding(Rule::Series, table.span.start, Some(table), message));
                }
            }
        }
    }
}

/// A table's columns, rows and references.
pub fn check_table(at: &SectionAt, table: &Table, out: &mut Vec<Finding>) {
    let mut keys = BTreeSet::new();
    for column in &table.columns {
        if !keys.insert(&column.key) {
            let message = format!("column key `{}` is used twice", column.key);
            out.push(at.finding(Rule::DuplicateColumn, 0, Some(table), message));
        }
    }
    let refs = table.row_refs();
    for row in table.rows_at(&refs) {
        check_row_shape(at, table, &row, out);
    }
    check_references(at, table, &refs, out);
}

fn check_row_shape(at: &SectionAt, table: &Table, row: &RowAt, out: &mut Vec<Finding>) {
    let r = row.row;
    let mut fail = |rule, message: String| {
        out.push(
            at.finding(rule, row.offset, Some(table), message)
                .at_row(row.reference.clone()),
        );
    };
    if r.heading().is_some() {
        if !r.values.is_empty() || !r.label.is_empty() {
            fail(
                Rule::HeadingRow,
                "a heading row has no label or values".into(),
            );
        }
        return;
    }
    if r.values.len() != table.columns.len() {
        let message = format!(
            "{} values for {} columns",
            r.values.len(),
            table.columns.len()
        );
        fail(Rule::RowWidth, message);
    }
    let depth = table.label_headers.len();
    if r.label.len() != depth {
        fail(
            Rule::LabelDepth,
            format!("{} labels for {} label headers", r.label.len(), depth),
        );
    }
    for (column, cell) in table.columns.iter().zip(&r.values) {
        let key = &column.key;
        match (column.ty, cell) {
            (ty, Cell::Text(text)) if ty.is_numeric() && looks_like_a_number(text) => fail(
                Rule::NumberAsText,
                format!(
                    "column `{key}`: `{text}` is a number written as text: write it as a TOML number"
                ),
            ),
            (ColumnType::List, Cell::Integer(_) | Cell::Decimal(_)) => fail(
                Rule::CellType,
                format!(
                    "column `{key}` holds lists but the cell is {}",
                    cell_kind(cell)
                ),
            ),
            (ty, Cell::List(_)) if ty != ColumnType::List => fail(
                Rule::CellType,
                format!("column `{key}` is `{ty:?}` but the cell is a list"),
            ),
            (ColumnType::Integer, Cell::Decimal(d)) => fail(
                Rule::CellType,
                format!("column `{key}` holds integers but the cell is {d}"),
            ),
            _ => {}
        }
    }
    for column in r.marks().keys() {
        if !table.has_column(column) {
            fail(
                Rule::UnknownMark,
                format!("mark on unknown column `{column}`"),
            );
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

/// Corrections and discrepancies must name rows and columns that exist, and a discrepancy
/// must acknowledge a rule of the report's arithmetic.
fn check_references(at: &SectionAt, table: &Table, refs: &[RowRef], out: &mut Vec<Finding>) {
    let known: BTreeSet<&RowRef> = refs.iter().collect();
    let row_ok = |r: &RowRef| *r == RowRef::Total || known.contains(r);
    let mut bad = Vec::new();
    let mut name = |what: &str, kind: &str, text: String| {
        bad.push(format!(
            "{what} names {kind} `{text}`, which does not exist"
        ));
    };
    for d in &table.discrepancies {
        if let Some(row) = d.row.as_ref().filter(|r| !row_ok(r)) {
            name("discrepancy", "row", row.to_string());
        }
        if let Some(column) = d.column.as_ref().filter(|c| !table.has_column(c)) {
            name("discrepancy", "column", column.to_string());
        }
    }
    for c in &table.corrections {
        if let Some(row) = c.row.as_ref().filter(|r| !row_ok(r)) {
            name("correction", "row", row.to_string());
        }
        if let Some(column) = c.column.as_ref().filter(|c| !table.has_column(c)) {
            name("correction", "column", column.to_string());
        }
    }
    for d in &table.discrepancies {
        if !d.rule.can_be_acknowledged() {
            bad.push(format!(
                "discrepancy acknowledges rule `{}`, which is fixed rather than acknowledged: only the report's own figures and headers are acknowledged",
                d.rule
            ));
        }
    }
    for message in bad {
        out.push(at.finding(Rule::Reference, 0, Some(table), message));
    }
}
