//! Year over year: a table of a series beside the previous year's table of the same series,
//! row by row (matched by key or label) and column by column (matched by key). Rows found in
//! one year only are kept as such: nothing is paired by guess.

use crate::content::{Cell, Role, Row, RowIdentity, SeriesKey, Table};
use crate::load::LoadedYear;
use std::collections::{BTreeMap, BTreeSet};

/// The tables of one year by series.
pub type SeriesIndex<'a> = BTreeMap<&'a SeriesKey, &'a Table>;

/// The tables of `year` that declare a series.
pub fn series_index(year: &LoadedYear) -> SeriesIndex<'_> {
    year.sections
        .iter()
        .flat_map(|s| &s.data.tables)
        .filter_map(|t| Some((t.series.as_ref()?, t)))
        .collect()
}

/// The year before, as a table's comparison needs it.
#[derive(Clone, Copy)]
pub struct Previous<'a> {
    pub year: u32,
    pub tables: &'a SeriesIndex<'a>,
}

/// A table and the previous year's table of its series, compared.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub series: SeriesKey,
    pub previous_year: u32,
    pub year: u32,
    /// The compared columns' header texts.
    pub columns: Vec<String>,
    pub rows: Vec<ComparedRow>,
}

/// In which of the two years a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Both,
    CurrentOnly,
    PreviousOnly,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ComparedRow {
    pub label: String,
    pub total: bool,
    pub presence: Presence,
    /// Per compared column: (previous year's cell, this year's cell).
    pub cells: Vec<(Option<Cell>, Option<Cell>)>,
}

/// The comparison of `table` with the previous year's table of its series, if there is one.
pub fn compare(table: &Table, year: u32, previous: Option<Previous>) -> Option<Comparison> {
    let series = table.series.as_ref()?;
    let previous = previous?;
    let before = previous.tables.get(series)?;
    let columns = table.compared_columns();
    if columns.is_empty() {
        return None;
    }
    let pairs: Vec<(usize, Option<usize>)> = columns
        .iter()
        .map(|&i| (i, before.column_index(&table.columns[i].key)))
        .collect();
    let mut rows = this_years_rows(table, before, &pairs);
    rows.extend(previous_only(table, before, &pairs));
    Some(Comparison {
        series: series.clone(),
        previous_year: previous.year,
        year,
        columns: columns.iter().map(|&i| compared_label(table, i)).collect(),
        rows,
    })
}

/// The rows of `table`, in its order, each beside its row of `before` if it has one;
/// `pairs` are the compared columns: (this table's, the previous table's).
fn this_years_rows(
    table: &Table,
    before: &Table,
    pairs: &[(usize, Option<usize>)],
) -> Vec<ComparedRow> {
    let earlier: BTreeMap<RowIdentity, &Row> = before.identified_rows().into_iter().collect();
    table
        .identified_rows()
        .into_iter()
        .map(|(identity, row)| {
            let old = earlier.get(&identity).copied();
            ComparedRow {
                label: row.label_text(),
                total: identity == RowIdentity::Total,
                presence: if old.is_some() {
                    Presence::Both
                } else {
                    Presence::CurrentOnly
                },
                cells: pairs
                    .iter()
                    .map(|&(now, then)| {
                        let then = old.zip(then).and_then(|(r, i)| r.values.get(i).cloned());
                        (then, row.values.get(now).cloned())
                    })
                    .collect(),
            }
        })
        .collect()
}

/// The rows of `before` that `table` does not have.
fn previous_only(
    table: &Table,
    before: &Table,
    pairs: &[(usize, Option<usize>)],
) -> Vec<ComparedRow> {
    let now: BTreeSet<RowIdentity> = table
        .identified_rows()
        .into_iter()
        .map(|(i, _)| i)
        .collect();
    before
        .identified_rows()
        .into_iter()
        .filter(|(identity, _)| !now.contains(identity))
        .map(|(identity, row)| ComparedRow {
            label: row.label_text(),
            total: identity == RowIdentity::Total,
            presence: Presence::PreviousOnly,
            cells: pairs
                .iter()
                .map(|&(_, then)| (then.and_then(|i| row.values.get(i).cloned()), None))
                .collect(),
        })
        .collect()
}

/// A compared column as the years share it: its groups and what it is (`اجباری / عملکرد`),
/// not its header, which often names its own year (`عملکرد سال ۱۴۰۰`).
pub fn compared_label(table: &Table, index: usize) -> String {
    let column = &table.columns[index];
    let what = match column.role {
        Some(Role::Actual) => "عملکرد",
        Some(Role::Value) => "مقدار",
        Some(Role::Total) => "جمع",
        _ => column.label.as_str(),
    };
    let mut path: Vec<&str> = column.group.iter().map(String::as_str).collect();
    path.push(what);
    path.join(" / ")
}

/// The change from `previous` to `current` when both are numbers: (difference, % of the
/// previous, when that is not zero).
pub fn change(previous: Option<&Cell>, current: Option<&Cell>) -> Option<(f64, Option<f64>)> {
    let (before, now) = (previous?.as_number()?, current?.as_number()?);
    let difference = now - before;
    let percent = (before != 0.0).then(|| difference / before.abs() * 100.0);
    Some((difference, percent))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_is_a_difference_and_a_share_of_the_previous_figure() {
        let (a, b) = (Cell::Integer(80), Cell::Integer(120));
        assert_eq!(change(Some(&a), Some(&b)), Some((40.0, Some(50.0))));
        let zero = Cell::Integer(0);
        assert_eq!(change(Some(&zero), Some(&b)), Some((120.0, None)));
        let text = Cell::text("-");
        assert_eq!(change(Some(&text), Some(&b)), None, "text has no change");
        assert_eq!(
            change(None, Some(&b)),
            None,
            "a row one year lacks has none"
        );
    }
}
