//! Header and label lint: a year in a caption or header that is neither the report's year nor
//! the one before, two columns with one header, two rows with one label path that nothing
//! tells apart, a row without a label.

use super::SectionAt;
use super::links::normalize;
use crate::content::{Cell, ColumnRef, Role, RowAt, RowRef, Table};
use crate::diagnostics::{Finding, Rule};
use std::collections::BTreeMap;

/// Years this far from the report's year are read as years; other four-digit figures are not.
const YEAR_SPAN: u32 = 50;

pub fn check_table(at: &SectionAt, year: u32, table: &Table, out: &mut Vec<Finding>) {
    foreign_years(at, year, table, out);
    duplicate_headers(at, table, out);
    let refs = table.row_refs();
    let rows = table.rows_at(&refs);
    duplicate_labels(at, table, &rows, out);
    missing_labels(at, table, &rows, out);
}

/// The years written in `text` (ASCII or Persian digits) that are not `year` or `year - 1`.
pub fn foreign_years_in(text: &str, year: u32) -> Vec<u32> {
    let mut found = Vec::new();
    let mut digits = String::new();
    for c in text.chars().chain([' ']) {
        match c {
            '0'..='9' => digits.push(c),
            '۰'..='۹' => digits.push(char::from(b'0' + (c as u32 - '۰' as u32) as u8)),
            _ => {
                if digits.len() == 4
                    && let Ok(n) = digits.parse::<u32>()
                    && n.abs_diff(year) <= YEAR_SPAN
                    && n != year
                    && n + 1 != year
                    && !found.contains(&n)
                {
                    found.push(n);
                }
                digits.clear();
            }
        }
    }
    found
}

fn foreign_years(at: &SectionAt, year: u32, table: &Table, out: &mut Vec<Finding>) {
    let mut texts: Vec<(String, Option<ColumnRef>, &str)> =
        vec![("caption".into(), None, &table.caption)];
    texts.extend(
        table
            .headings
            .iter()
            .map(|h| ("heading".into(), None, h.as_str())),
    );
    texts.extend(table.label_headers.iter().map(|h| {
        (
            "row-label header".into(),
            Some(ColumnRef::Label),
            h.as_str(),
        )
    }));
    for column in &table.columns {
        let key = Some(ColumnRef::Key(column.key.clone()));
        let place = format!("column `{}`", column.key);
        texts.push((place.clone(), key.clone(), &column.label));
        texts.extend(
            column
                .group
                .iter()
                .map(|g| (format!("{place} group"), key.clone(), g.as_str())),
        );
    }
    let region = at.section.table_region(at_index(at, table));
    for (place, column, text) in texts {
        for n in foreign_years_in(text, year) {
            let message = format!(
                "{place} «{text}» names the year {n}, neither the report's year {year} nor {}",
                year - 1
            );
            let line = at.section.line_of(text, region.clone());
            let mut finding = at.finding(Rule::ForeignYear, 0, Some(table), message);
            finding.line = line;
            if let Some(column) = &column {
                finding = finding.at_column(column.clone());
            }
            out.push(finding.comparing(year.to_string(), n.to_string()));
        }
    }
}

/// The table's position in its section, for the part of the file to search its texts in.
fn at_index(at: &SectionAt, table: &Table) -> usize {
    at.section
        .data
        .tables
        .iter()
        .position(|t| std::ptr::eq(t, table))
        .unwrap_or(0)
}

fn duplicate_headers(at: &SectionAt, table: &Table, out: &mut Vec<Finding>) {
    let mut seen: BTreeMap<Vec<String>, usize> = BTreeMap::new();
    for (i, column) in table.columns.iter().enumerate() {
        let path: Vec<String> = table.header_path(i).iter().map(|t| normalize(t)).collect();
        if let Some(&first) = seen.get(&path) {
            let message = format!(
                "columns `{}` and `{}` are both headed «{}»",
                table.columns[first].key,
                column.key,
                table.header_path(i).join(" / ")
            );
            out.push(
                at.finding(Rule::DuplicateHeader, 0, Some(table), message)
                    .at_column(ColumnRef::Key(column.key.clone())),
            );
        } else {
            seen.insert(path, i);
        }
    }
}

/// Rows with one label path that nothing tells apart: not a heading between them, not the
/// printed number they fall under (a row without a number belongs to the numbered row above
/// it), not their units. One finding per path, at its first repeat.
fn duplicate_labels(at: &SectionAt, table: &Table, rows: &[RowAt], out: &mut Vec<Finding>) {
    let unit = table.column_with(Role::Unit);
    let (mut block, mut numbered) = (0, None);
    type Place<'r> = (usize, Option<&'r str>, Vec<String>);
    let mut groups: BTreeMap<Place, Vec<&RowAt>> = BTreeMap::new();
    for row in rows {
        if row.row.heading().is_some() {
            (block, numbered) = (block + 1, row.row.no_text());
            continue;
        }
        if let Some(no) = row.row.no_text() {
            numbered = Some(no);
        }
        let mut path: Vec<String> = row.row.label.iter().map(|l| normalize(l)).collect();
        if *row.reference == RowRef::Total || path.iter().all(String::is_empty) {
            continue;
        }
        // rows of one activity in two units («تعداد مکاتبه», «تعداد پرونده») are two rows
        if let Some(Cell::Text(unit)) = unit.and_then(|u| row.row.values.get(u)) {
            path.push(normalize(unit));
        }
        groups.entry((block, numbered, path)).or_default().push(row);
    }
    let mut repeats: Vec<Vec<&RowAt>> = groups.into_values().filter(|g| g.len() > 1).collect();
    repeats.sort_by_key(|g| g[1].offset);
    for group in repeats {
        let (first, same) = (group[0], &group[1..]);
        let names: Vec<String> = same.iter().map(|r| r.reference.to_string()).collect();
        let message = format!(
            "row {} repeats the label of row {} («{}»){}; if the report prints it so, acknowledge it",
            names[0],
            first.reference,
            shown(&first.row.label),
            if names.len() > 1 {
                format!(", as do rows {}", names[1..].join(", "))
            } else {
                String::new()
            }
        );
        out.push(
            at.finding(Rule::DuplicateLabel, same[0].offset, Some(table), message)
                .at_row(same[0].reference.clone())
                .at_column(ColumnRef::Label),
        );
    }
}

/// A label path as readers see it: its printed levels.
fn shown(label: &[String]) -> String {
    let levels: Vec<&str> = label
        .iter()
        .map(String::as_str)
        .filter(|l| !l.is_empty())
        .collect();
    levels.join(" / ")
}

fn missing_labels(at: &SectionAt, table: &Table, rows: &[RowAt], out: &mut Vec<Finding>) {
    if table.label_headers.is_empty() {
        return;
    }
    for row in rows {
        if row.row.heading().is_some() || row.row.label.iter().any(|l| !l.trim().is_empty()) {
            continue;
        }
        let message = format!("row {} has no label", row.reference);
        out.push(
            at.finding(Rule::MissingLabel, row.offset, Some(table), message)
                .at_row(row.reference.clone())
                .at_column(ColumnRef::Label),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_other_than_this_one_and_the_last_are_foreign() {
        assert_eq!(foreign_years_in("عملکرد سال ۱۴۰۱", 1400), [1401]);
        assert!(foreign_years_in("برنامه سال ۱۴۰۰ و عملکرد ۱۳۹۹", 1400).is_empty());
        assert_eq!(foreign_years_in("سال 1398", 1400), [1398]);
        // standards and figures are not years
        assert!(foreign_years_in("ISO/IEC 17025 و ISO 9001 و ۱۴۰۰۰", 1400).is_empty());
    }
}
