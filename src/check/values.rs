//! Missing and misplaced values: a stated achievement % whose plan or actual is empty, number
//! cells left empty where the other rows are filled, a unit or row label in a number column
//! (a row shifted by a column), a number in a text column. Each finding gives the figure the
//! row implies where one can be derived. In a draft year empty cells are still to be filled
//! (`completeness` counts them), so only misplaced values are findings there.

use super::SectionAt;
use crate::content::{Cell, ColumnRef, ColumnType, Role, RowAt, Table, TableKind};
use crate::diagnostics::{Finding, Rule};
use crate::numfmt::plain;
use std::collections::BTreeSet;

/// The share of a column's other rows that must be filled for an empty cell to stand out.
const FILLED_SHARE: f64 = 0.75;

pub fn check_table(at: &SectionAt, table: &Table, draft: bool, out: &mut Vec<Finding>) {
    if table.kind == TableKind::NoData {
        return;
    }
    let refs = table.row_refs();
    let rows: Vec<RowAt> = table
        .rows_at(&refs)
        .into_iter()
        .filter(|r| r.row.heading().is_none())
        .collect();
    let check = Values {
        at,
        table,
        rows: &rows,
    };
    if !draft {
        let missing = check.missing_values(out);
        check.empty_cells(&missing, out);
    }
    check.misplaced_text(out);
    check.numbers_in_text(out);
}

struct Values<'a> {
    at: &'a SectionAt<'a>,
    table: &'a Table,
    rows: &'a [RowAt<'a>],
}

fn is_empty(cell: Option<&Cell>) -> bool {
    matches!(cell, Some(Cell::Text(t)) if t.trim().is_empty())
}

/// Texts compared without the spacing, joiners and hyphens the report is inconsistent about.
fn normalized(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '\u{200C}' | '-' | '‐' | '–'))
        .collect()
}

impl Values<'_> {
    fn finding(&self, rule: Rule, row: &RowAt, column: usize, message: String) -> Finding {
        self.at
            .finding(rule, row.offset, Some(self.table), message)
            .at_row(row.reference.clone())
            .at_column(ColumnRef::Key(self.table.columns[column].key.clone()))
    }

    fn key(&self, column: usize) -> &str {
        &self.table.columns[column].key
    }

    /// A stated % with an empty plan or actual; returns the cells reported.
    fn missing_values(&self, out: &mut Vec<Finding>) -> BTreeSet<(usize, usize)> {
        let mut reported = BTreeSet::new();
        for triple in self.table.achievement_triples() {
            for (i, row) in self.rows.iter().enumerate() {
                let r = row.row;
                let Some(pct) = r.number(triple.pct) else {
                    continue;
                };
                let (plan, actual) = (r.values.get(triple.plan), r.values.get(triple.actual));
                let (empty, implied) = match (is_empty(plan), is_empty(actual)) {
                    (true, false) => (
                        triple.plan,
                        r.number(triple.actual).filter(|_| pct != 0.0).map(|a| {
                            (
                                a * 100.0 / pct,
                                format!("actual × 100 ÷ % = {} × 100 ÷ {}", plain(a), plain(pct)),
                            )
                        }),
                    ),
                    (false, true) => (
                        triple.actual,
                        r.number(triple.plan).map(|p| {
                            (
                                p * pct / 100.0,
                                format!("plan × % ÷ 100 = {} × {} ÷ 100", plain(p), plain(pct)),
                            )
                        }),
                    ),
                    (true, true) => (triple.actual, None),
                    (false, false) => continue,
                };
                let mut message = format!(
                    "achievement {}% is stated but `{}` is empty",
                    plain(pct),
                    self.key(empty)
                );
                let mut finding = self.finding(Rule::MissingValue, row, empty, String::new());
                if let Some((value, how)) = implied {
                    message.push_str(&format!(
                        ": it would be about {} ({how})",
                        plain(value.round())
                    ));
                    finding = finding.comparing(plain(value.round()), String::new());
                }
                finding.message = message;
                out.push(finding);
                reported.insert((i, empty));
            }
        }
        reported
    }

    /// Number columns and how many rows fill each.
    fn filled(&self, column: usize) -> usize {
        self.rows
            .iter()
            .filter(|r| r.row.values.get(column).is_some_and(|c| !is_empty(Some(c))))
            .count()
    }

    /// Empty number cells in columns that the other rows fill; one finding per row.
    fn empty_cells(&self, missing: &BTreeSet<(usize, usize)>, out: &mut Vec<Finding>) {
        let columns: Vec<(usize, usize)> = (0..self.table.columns.len())
            .filter(|&c| self.table.columns[c].ty.is_numeric())
            .map(|c| (c, self.filled(c)))
            .collect();
        for (i, row) in self.rows.iter().enumerate() {
            let others = self.rows.len() - 1;
            let empty: Vec<usize> = columns
                .iter()
                .filter(|(c, filled)| {
                    is_empty(row.row.values.get(*c))
                        && !missing.contains(&(i, *c))
                        && others >= 2
                        && *filled as f64 >= FILLED_SHARE * others as f64
                })
                .map(|(c, _)| *c)
                .collect();
            let Some(&first) = empty.first() else {
                continue;
            };
            let keys: Vec<String> = empty
                .iter()
                .map(|c| format!("`{}`", self.key(*c)))
                .collect();
            let filled = columns
                .iter()
                .find(|(c, _)| *c == first)
                .map_or(0, |(_, f)| *f);
            let mut message = format!(
                "{} empty where {filled} of the {others} other rows are filled",
                if keys.len() == 1 {
                    format!("{} is", keys[0])
                } else {
                    format!("{} are", keys.join(", "))
                }
            );
            let mut finding = self.finding(Rule::EmptyCells, row, first, String::new());
            if let Some(pct) = self.implied_pct(row, &empty) {
                message.push_str(&format!(": actual ÷ plan = {}%", plain(pct.round())));
                finding = finding.comparing(plain(pct.round()), String::new());
            }
            finding.message = message;
            out.push(finding);
        }
    }

    /// An empty % that the row's plan and actual give.
    fn implied_pct(&self, row: &RowAt, empty: &[usize]) -> Option<f64> {
        self.table.achievement_triples().into_iter().find_map(|t| {
            let (plan, actual) = (row.row.number(t.plan)?, row.row.number(t.actual)?);
            (empty.contains(&t.pct) && plan != 0.0).then(|| actual / plan * 100.0)
        })
    }

    /// Texts that belong in other columns: the table's units, and its rows' labels.
    fn units_and_labels(&self) -> (BTreeSet<String>, BTreeSet<String>) {
        let unit_columns = self.table.columns_with(Role::Unit);
        let mut units: BTreeSet<String> = self
            .table
            .unit
            .iter()
            .chain(self.table.columns.iter().filter_map(|c| c.unit.as_ref()))
            .map(|u| normalized(u))
            .collect();
        let mut labels = BTreeSet::new();
        for row in self.rows {
            for &u in &unit_columns {
                if let Some(Cell::Text(t)) = row.row.values.get(u) {
                    units.insert(normalized(t));
                }
            }
            labels.extend(row.row.label.iter().map(|l| normalized(l)));
        }
        units.remove("");
        labels.remove("");
        (units, labels)
    }

    /// A unit or a row label in a number column, or a label in the unit column.
    fn misplaced_text(&self, out: &mut Vec<Finding>) {
        let (units, labels) = self.units_and_labels();
        for row in self.rows {
            for (c, column) in self.table.columns.iter().enumerate() {
                let Some(Cell::Text(text)) = row.row.values.get(c) else {
                    continue;
                };
                let key = normalized(text);
                let what = if column.ty.is_numeric() && units.contains(&key) {
                    "a unit"
                } else if (column.ty.is_numeric() || column.role == Some(Role::Unit))
                    && labels.contains(&key)
                {
                    "a row label"
                } else {
                    continue;
                };
                let mut message = format!(
                    "`{text}` is {what}, in column `{}`: the row looks shifted",
                    column.key
                );
                if let Some(reading) = self.shifted_reading(row, c) {
                    message.push_str(&format!("; shifted back one column it reads {reading}"));
                }
                out.push(self.finding(Rule::MisplacedText, row, c, message));
            }
        }
    }

    /// The row read one column to the left from `from`, when the column before it is empty:
    /// "unit `تعداد`, plan 39062, actual empty, pct 212 (actual ≈ 82811)". A % holding a number
    /// keeps its column: the figure before it is the one lost.
    fn shifted_reading(&self, row: &RowAt, from: usize) -> Option<String> {
        let values = &row.row.values;
        let before = from.checked_sub(1)?;
        if !is_empty(values.get(before)) {
            return None;
        }
        let pct = self
            .table
            .column_with(Role::Pct)
            .filter(|p| *p > from && values[*p].as_number().is_some());
        let shifted = |c: usize| match pct {
            Some(p) if c == p => values.get(p),
            Some(p) if c + 1 == p => None,
            _ => values.get(c + 1),
        };
        let words: Vec<String> = (before..values.len())
            .map(|c| {
                let key = &self.table.columns[c].key;
                match shifted(c) {
                    Some(cell @ (Cell::Integer(_) | Cell::Decimal(_))) => {
                        format!("{key} {}", plain(cell.as_number().unwrap_or(0.0)))
                    }
                    Some(Cell::Text(t)) if !t.is_empty() => format!("{key} `{t}`"),
                    _ => format!("{key} empty"),
                }
            })
            .collect();
        let mut reading = words.join(", ");
        let number = |c: usize| shifted(c).and_then(Cell::as_number);
        if let Some(t) = self.table.achievement_triples().first()
            && t.actual >= before
            && shifted(t.actual).is_none()
            && let (Some(p), Some(s)) = (number(t.plan), number(t.pct))
        {
            reading.push_str(&format!(" (actual ≈ {})", plain((p * s / 100.0).round())));
        }
        Some(reading)
    }

    /// A number in a text column (a unit, a remark).
    fn numbers_in_text(&self, out: &mut Vec<Finding>) {
        for row in self.rows {
            for (c, column) in self.table.columns.iter().enumerate() {
                if column.ty != ColumnType::Text {
                    continue;
                }
                let number = match row.row.values.get(c) {
                    Some(cell @ (Cell::Integer(_) | Cell::Decimal(_))) => cell.as_number(),
                    Some(Cell::Text(t)) if column.role == Some(Role::Unit) => numeric_text(t),
                    _ => None,
                };
                let Some(number) = number else { continue };
                let message = format!(
                    "text column `{}` holds the number {}: the row looks shifted, or the column's type is wrong",
                    column.key,
                    plain(number)
                );
                out.push(self.finding(Rule::NumberInText, row, c, message));
            }
        }
    }
}

/// The figure of a text that is only a number (`882`, `۸۸۲`, `1,250`).
fn numeric_text(text: &str) -> Option<f64> {
    let ascii: String = text
        .chars()
        .filter(|c| !matches!(c, ',' | '٬' | ' '))
        .map(|c| match c {
            '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
            '٫' => '.',
            other => other,
        })
        .collect();
    if ascii.is_empty() || !ascii.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    ascii.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_texts_in_either_digits() {
        assert_eq!(numeric_text("۸۸۲"), Some(882.0));
        assert_eq!(numeric_text("1,250"), Some(1250.0));
        assert_eq!(numeric_text("تعداد"), None);
        assert_eq!(numeric_text(""), None);
    }

    #[test]
    fn texts_compare_without_spacing_and_hyphens() {
        assert_eq!(normalized("نفر - ساعت"), normalized("نفر‌ساعت"));
    }

    #[test]
    fn only_blank_text_is_empty() {
        assert!(is_empty(Some(&Cell::text(String::new()))));
        assert!(!is_empty(Some(&Cell::text("-"))));
        assert!(!is_empty(Some(&Cell::Integer(0))));
        assert!(!is_empty(None));
    }
}
