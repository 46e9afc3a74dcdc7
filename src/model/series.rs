//! The page of one series: its table's figures in every year that has it, row by row. Rows
//! missing from a year are shown as missing; nothing is filled in.

use crate::charts::series::{CHART_YEARS, YearRow, years_chart};
use crate::content::{Cell, RowIdentity, SeriesKey, Table};
use crate::load::LoadedYear;
use crate::routes::Route;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub struct SeriesModel {
    pub key: SeriesKey,
    /// The caption of the latest year's table.
    pub title: String,
    pub unit: Option<String>,
    /// Oldest first.
    pub years: Vec<SeriesYear>,
    /// One block per compared column of the latest year's table.
    pub columns: Vec<SeriesColumn>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SeriesYear {
    pub year: u32,
    pub caption: String,
    /// The page of the year's table, and the table's anchor there.
    pub route: Route,
    pub anchor: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SeriesColumn {
    pub label: String,
    pub rows: Vec<SeriesRow>,
    /// Its rows over the years, drawn by the charts stage.
    pub chart: Option<crate::charts::Chart>,
}

impl SeriesModel {
    /// Draws each column's chart: every row but the totals row, one bar per year of the
    /// latest [`CHART_YEARS`].
    pub fn draw_charts(&mut self, digits: crate::config::DigitStyle) -> Result<(), String> {
        let skip = self.years.len().saturating_sub(CHART_YEARS);
        let years: Vec<u32> = self.years[skip..].iter().map(|y| y.year).collect();
        for (i, column) in self.columns.iter_mut().enumerate() {
            let rows: Vec<YearRow> = column
                .rows
                .iter()
                .filter(|r| !r.total)
                .map(|r| YearRow {
                    label: r.label.clone(),
                    values: r.values[skip..]
                        .iter()
                        .map(|v| v.as_ref().and_then(Cell::as_number))
                        .collect(),
                })
                .collect();
            let id = format!("series-{}-chart{}", self.key, i + 1);
            let title = format!("{}: {}", self.title, column.label);
            column.chart = years_chart(id, title, &years, &rows, digits)?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SeriesRow {
    pub label: String,
    pub total: bool,
    /// Per year (as `SeriesModel::years`): the cell, or `None` where the year lacks the row.
    pub values: Vec<Option<Cell>>,
}

/// One table of a series in one year.
struct Found<'a> {
    year: u32,
    slug: &'a str,
    table: &'a Table,
}

/// Every series that at least two years have, by key.
pub fn site_series(years: &[&LoadedYear]) -> Vec<SeriesModel> {
    let mut found: BTreeMap<&SeriesKey, Vec<Found>> = BTreeMap::new();
    for year in years {
        for section in &year.sections {
            for table in &section.data.tables {
                if let Some(key) = &table.series {
                    found.entry(key).or_default().push(Found {
                        year: year.meta.year,
                        slug: &section.slug,
                        table,
                    });
                }
            }
        }
    }
    found
        .into_iter()
        .filter(|(_, tables)| tables.len() >= 2)
        .map(|(key, tables)| series_model(key, &tables))
        .collect()
}

fn series_model(key: &SeriesKey, tables: &[Found]) -> SeriesModel {
    let latest = tables[tables.len() - 1].table;
    SeriesModel {
        key: key.clone(),
        title: latest.caption.clone(),
        unit: latest.unit.clone(),
        years: tables
            .iter()
            .map(|f| SeriesYear {
                year: f.year,
                caption: f.table.caption.clone(),
                route: Route::Section(f.year, f.slug.to_string()),
                anchor: f.table.id.to_string(),
            })
            .collect(),
        columns: latest
            .compared_columns()
            .into_iter()
            .map(|i| series_column(latest, i, tables))
            .collect(),
    }
}

/// Rows in the latest year's order, then rows only older years have, newest first.
fn series_column(latest: &Table, index: usize, tables: &[Found]) -> SeriesColumn {
    let key = &latest.columns[index].key;
    let mut order: Vec<(RowIdentity, String)> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut by_year: Vec<BTreeMap<RowIdentity, Option<Cell>>> = Vec::new();
    for found in tables.iter().rev() {
        let column = found.table.column_index(key);
        let mut cells = BTreeMap::new();
        for (identity, row) in found.table.identified_rows() {
            if seen.insert(identity.clone()) {
                order.push((identity.clone(), row.label_text()));
            }
            cells.insert(identity, column.and_then(|c| row.values.get(c).cloned()));
        }
        by_year.push(cells);
    }
    by_year.reverse();
    // the totals row last, as tables print it
    order.sort_by_key(|(identity, _)| *identity == RowIdentity::Total);
    SeriesColumn {
        label: super::compare::compared_label(latest, index),
        chart: None,
        rows: order
            .into_iter()
            .map(|(identity, label)| SeriesRow {
                label,
                total: identity == RowIdentity::Total,
                values: by_year
                    .iter()
                    .map(|cells| cells.get(&identity).cloned().flatten())
                    .collect(),
            })
            .collect(),
    }
}
