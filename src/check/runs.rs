//! Runs of consecutive rows whose sum a summary row may restate (the four «تایید صلاحیت» rows
//! of the training office that the summary's «صدور و تمدید تاییدیه…» adds up), found by the
//! sum of a plan or actual column.

use super::proposals::bucket;
use super::tables::YearTables;
use crate::content::{Role, RowAt, RowRef};
use std::collections::BTreeMap;

/// The longest run tried.
const MAX_RUN: usize = 8;

/// Rows `start..end` of a table's `rows_at`: no heading, subtotal or totals row among them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Run {
    pub table: u32,
    pub start: u32,
    pub end: u32,
}

impl Run {
    pub fn rows(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// Every run of the year, found by the sum of one of its plan or actual columns.
pub struct Runs {
    by_sum: BTreeMap<i64, Vec<Run>>,
}

/// A row that carries its own figures: no heading, subtotal or totals row.
fn plain_row(r: &RowAt) -> bool {
    r.row.heading().is_none() && !r.row.subtotal() && *r.reference != RowRef::Total
}

fn summed(role: Option<Role>) -> bool {
    matches!(role, Some(Role::Plan | Role::Actual | Role::Value))
}

impl Runs {
    pub fn new(tables: &YearTables) -> Runs {
        let mut by_sum: BTreeMap<i64, Vec<Run>> = BTreeMap::new();
        for (number, at) in tables.tables.iter().enumerate() {
            let number = u32::try_from(number).unwrap_or(u32::MAX);
            let rows = at.rows();
            let plain = |i: usize| plain_row(&rows[i]);
            for start in (0..rows.len()).filter(|&i| plain(i)) {
                let mut sums = vec![0.0; at.table.columns.len()];
                let run = rows[start..]
                    .iter()
                    .take(MAX_RUN)
                    .take_while(|r| plain_row(r));
                for (length, row) in run.enumerate() {
                    for (c, sum) in sums.iter_mut().enumerate() {
                        *sum += row.row.number(c).unwrap_or(0.0);
                    }
                    if length == 0 {
                        continue;
                    }
                    let run = Run {
                        table: number,
                        start: u32::try_from(start).unwrap_or(u32::MAX),
                        end: u32::try_from(start + length + 1).unwrap_or(u32::MAX),
                    };
                    for (c, column) in at.table.columns.iter().enumerate() {
                        if summed(column.role) && sums[c] != 0.0 {
                            by_sum.entry(bucket(sums[c])).or_default().push(run);
                        }
                    }
                }
            }
        }
        Runs { by_sum }
    }

    /// The runs with a column that sums to `value`.
    pub fn with_sum(&self, value: f64) -> &[Run] {
        self.by_sum.get(&bucket(value)).map_or(&[], Vec::as_slice)
    }
}

/// The sum of column `column` over `run`, if every row of it holds a number there.
pub fn sum(tables: &YearTables, run: Run, column: usize) -> Option<f64> {
    let at = tables.at(run.table);
    run.rows()
        .map(|r| at.row(r).and_then(|row| row.number(column)))
        .sum()
}
