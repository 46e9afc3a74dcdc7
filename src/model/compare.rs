//! Year over year: a table of a series beside the previous year's table of the same series,
//! row by row (matched by key or label) and column by column (matched by key). Rows found in
//! one year only are kept as such: nothing is paired by guess.

use crate::content::{Cell, Role, RowIdentity, SeriesKey, Table};
use crate::load::LoadedYear;
use std::collections::BTreeMap;

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
    let before_columns: Vec<Option<usize>> = columns
        .iter()
        .map(|&i| before.column_index(&table.columns[i].key))
        .collect();
    let earlier: BTreeMap<RowIdentity, &crate::content::Row> =
        before.identified_rows().into_iter().collect();
    let mut seen = std::collections::BTreeSet::new();
    let mut rows = Vec::new();
    for (identity, row) in table.identified_rows() {
        let old = earlier.get(&identity).copied();
        rows.push(ComparedRow {
            label: row.label_text(),
            total: identity == RowIdentity::Total,
            presence: if old.is_some() {
                Presence::Both
            } else {
                Presence::CurrentOnly
            },
            cells: columns
                .iter()
                .zip(&before_columns)
                .map(|(&now, &then)| {
                    let then = old.zip(then).and_then(|(r, i)| r.values.get(i).cloned());
                    (then, row.values.get(now).cloned())
                })
                .collect(),
        });
        seen.insert(identity);
    }
    for (identity, row) in before.identified_rows() {
        if seen.contains(&identity) {
            continue;
        }
        rows.push(ComparedRow {
            label: row.label_text(),
            total: identity == RowIdentity::Total,
            presence: Presence::PreviousOnly,
            cells: before_columns
                .iter()
                .map(|then| (then.and_then(|i| row.values.get(i).cloned()), None))
                .collect(),
        });
    }
    Some(Comparison {
        series: series.clone(),
        previous_year: previous.year,
        year,
        columns: columns.iter().map(|&i| compared_label(table, i)).collect(),
        rows,
    })
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
