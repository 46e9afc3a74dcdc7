//! The tables of one year, numbered in order, with their row references: what the checks that
//! span a year (links, explanations, link coverage) look cells up in.

use super::relations::CellId;
use crate::content::{Row, RowAt, RowRef, Table, TableId};
use crate::load::LoadedYear;
use std::collections::BTreeMap;

/// One table of the year, where it is and how its rows are named.
pub struct TableAt<'a> {
    pub table: &'a Table,
    /// Its section's position in the year.
    pub section: usize,
    /// Its printed page.
    pub page: u32,
    pub refs: Vec<RowRef>,
}

impl<'a> TableAt<'a> {
    /// The rows with the totals row last: a [`CellId`]'s `row` indexes this list.
    pub fn rows(&self) -> Vec<RowAt<'_>> {
        self.table.rows_at(&self.refs)
    }

    /// Row `index` of [`TableAt::rows`], without building the list.
    pub fn row(&self, index: usize) -> Option<&'a Row> {
        match self.table.rows.get(index) {
            Some(row) => Some(row.get_ref()),
            None if index == self.table.rows.len() => {
                self.table.total.as_ref().map(|t| t.get_ref())
            }
            None => None,
        }
    }

    /// The reference of row `index`: its number or position, or `total` past the last row.
    pub fn reference(&self, index: usize) -> &RowRef {
        self.refs.get(index).unwrap_or(&RowRef::Total)
    }
}

/// Every table of a year, in section order, found by position or id.
pub struct YearTables<'a> {
    pub tables: Vec<TableAt<'a>>,
    by_id: BTreeMap<&'a TableId, u32>,
}

impl<'a> YearTables<'a> {
    pub fn new(year: &'a LoadedYear) -> YearTables<'a> {
        let mut tables = Vec::new();
        let mut by_id = BTreeMap::new();
        for (section, s) in year.sections.iter().enumerate() {
            for table in &s.data.tables {
                // a second table with one id is a structural error; links reach the first
                let number = u32::try_from(tables.len()).unwrap_or(u32::MAX);
                by_id.entry(&table.id).or_insert(number);
                tables.push(TableAt {
                    table,
                    section,
                    page: table.page.unwrap_or(s.data.page),
                    refs: table.row_refs(),
                });
            }
        }
        YearTables { tables, by_id }
    }

    pub fn position(&self, id: &TableId) -> Option<u32> {
        self.by_id.get(id).copied()
    }

    pub fn at(&self, table: u32) -> &TableAt<'a> {
        &self.tables[table as usize]
    }

    /// The figure in `cell`, when it holds a number.
    pub fn number(&self, cell: CellId) -> Option<f64> {
        self.at(cell.table)
            .row(cell.row as usize)?
            .number(usize::from(cell.column))
    }
}
