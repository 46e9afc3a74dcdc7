//! The report's own arithmetic: achievement %, totals and subtotals, crosstab row totals,
//! pass/fail totals and shares (as [`Constraint`]s), and the signs of counts. A finding states
//! the figure the rule expected and the one printed.

use super::relations::{self, CellId, Constraint, Relation, Whole};
use super::{PCT_TOLERANCE, SHARE_SUM_TOLERANCE, SectionAt};
use crate::content::{ColumnRef, ColumnType, Role, RowAt, RowRef, Table, TableKind};
use crate::diagnostics::{Finding, Rule};
use crate::numfmt::plain;
use std::collections::BTreeMap;

/// The findings of `table`'s own arithmetic: its constraints that do not hold, and negatives.
pub fn check_table(at: &SectionAt, table: &Table, out: &mut Vec<Finding>) {
    let refs = table.row_refs();
    let rows = table.rows_at(&refs);
    let value = |cell: CellId| {
        rows.get(cell.row as usize)
            .and_then(|r| r.row.number(usize::from(cell.column)))
            .unwrap_or(0.0)
    };
    for constraint in constraints(table, &rows, 0) {
        let reading = constraint.read(&value);
        if !constraint.holds(reading) {
            out.push(failure(at, table, &rows, &constraint, &value));
        }
    }
    negatives(at, table, &rows, out);
}

/// The finding of a constraint of `table` that does not hold.
fn failure(
    at: &SectionAt,
    table: &Table,
    rows: &[RowAt],
    constraint: &Constraint,
    value: &impl Fn(CellId) -> f64,
) -> Finding {
    let cell = constraint.at();
    let (reference, offset) = locate(rows, cell.row);
    let (expected, found) = constraint.read(value).compared();
    let key = ColumnRef::Key(table.columns[usize::from(cell.column)].key.clone());
    at.finding(
        constraint.rule,
        offset,
        Some(table),
        relations::message(constraint, value, ""),
    )
    .at_row(reference)
    .at_column(key)
    .comparing(expected, found)
}

/// A row's reference and position in the file; past the last row, the totals line.
pub fn locate(rows: &[RowAt], row: u32) -> (RowRef, usize) {
    match rows.get(row as usize) {
        Some(r) => (r.reference.clone(), r.offset),
        None => (RowRef::Total, rows.last().map_or(0, |r| r.offset)),
    }
}

/// Every sum and percentage of `table` (numbered `number` in its year) that its figures must
/// satisfy; `rows` are its `rows_at`.
pub fn constraints(table: &Table, rows: &[RowAt], number: u32) -> Vec<Constraint> {
    let build = Build {
        table,
        rows,
        number,
    };
    let mut out = Vec::new();
    build.achievement(&mut out);
    build.column_totals(&mut out);
    build.subtotals(&mut out);
    build.row_totals(&mut out);
    build.pass_fail(&mut out);
    build.shares(&mut out);
    out
}

/// Builds the constraints of one table.
struct Build<'a> {
    table: &'a Table,
    rows: &'a [RowAt<'a>],
    number: u32,
}

impl Build<'_> {
    fn cell(&self, row: usize, column: usize) -> CellId {
        CellId::new(self.number, row, column)
    }

    /// The cell at (`row`, `column`) when it holds a number.
    fn numeric(&self, row: usize, column: usize) -> Option<CellId> {
        self.rows[row]
            .row
            .number(column)
            .map(|_| self.cell(row, column))
    }

    /// Positions of the rows that carry their own figures: no totals, subtotal or heading row.
    fn body(&self) -> impl Iterator<Item = usize> + '_ {
        self.rows.iter().enumerate().filter_map(|(i, r)| {
            (*r.reference != RowRef::Total && !r.row.subtotal() && r.row.heading().is_none())
                .then_some(i)
        })
    }

    fn totals_row(&self) -> Option<usize> {
        self.rows.iter().position(|r| *r.reference == RowRef::Total)
    }

    fn sum(&self, rule: Rule, total: CellId, parts: Vec<CellId>) -> Constraint {
        Constraint {
            rule,
            relation: Relation::Sum { total, parts },
        }
    }

    fn achievement(&self, out: &mut Vec<Constraint>) {
        let tolerance = self.table.pct_tolerance.unwrap_or(PCT_TOLERANCE);
        for triple in self.table.achievement_triples() {
            for i in 0..self.rows.len() {
                let (Some(plan), Some(actual), Some(pct)) = (
                    self.numeric(i, triple.plan),
                    self.numeric(i, triple.actual),
                    self.numeric(i, triple.pct),
                ) else {
                    continue;
                };
                out.push(Constraint {
                    rule: Rule::Achievement,
                    relation: Relation::Ratio {
                        pct,
                        part: actual,
                        whole: Whole::Cell(plan),
                        tolerance,
                    },
                });
            }
        }
    }

    /// Columns whose totals are the sum of their rows: counts, not percentages or text.
    fn summable_columns(&self) -> Vec<usize> {
        self.table
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                matches!(c.ty, ColumnType::Integer | ColumnType::Decimal)
                    && !matches!(
                        c.role,
                        Some(
                            Role::Pct
                                | Role::Share
                                | Role::PassShare
                                | Role::FailShare
                                | Role::Unit
                        )
                    )
            })
            .map(|(i, _)| i)
            .collect()
    }

    fn column_totals(&self, out: &mut Vec<Constraint>) {
        let Some(total) = self.totals_row() else {
            return;
        };
        for i in self.summable_columns() {
            let Some(stated) = self.numeric(total, i) else {
                continue;
            };
            let parts = self.body().filter_map(|r| self.numeric(r, i)).collect();
            out.push(self.sum(Rule::Total, stated, parts));
        }
    }

    /// A subtotal row sums the rows above it that share its label path but the last level
    /// (and its depth): the rows gathered per path as they come keep this linear in the rows.
    fn subtotals(&self, out: &mut Vec<Constraint>) {
        let columns = self.summable_columns();
        let mut parts: BTreeMap<(&[String], usize), Vec<usize>> = BTreeMap::new();
        for (index, row) in self.rows.iter().enumerate() {
            let label = &row.row.label;
            let Some((_, prefix)) = label.split_last() else {
                continue;
            };
            let key = (prefix, label.len());
            if !row.row.subtotal() {
                parts.entry(key).or_default().push(index);
                continue;
            }
            let rows = parts.get(&key).map_or(&[][..], Vec::as_slice);
            for &i in &columns {
                let Some(stated) = self.numeric(index, i) else {
                    continue;
                };
                let cells = rows.iter().filter_map(|&j| self.numeric(j, i)).collect();
                out.push(self.sum(Rule::Subtotal, stated, cells));
            }
        }
    }

    /// Crosstab: the `total` column is the sum of the `category` columns.
    fn row_totals(&self, out: &mut Vec<Constraint>) {
        if self.table.kind != TableKind::Crosstab {
            return;
        }
        let categories = self.table.columns_with(Role::Category);
        for t in self.table.columns_with(Role::Total) {
            for row in 0..self.rows.len() {
                let Some(stated) = self.numeric(row, t) else {
                    continue;
                };
                let parts = categories
                    .iter()
                    .filter_map(|&c| self.numeric(row, c))
                    .collect();
                out.push(self.sum(Rule::RowTotal, stated, parts));
            }
        }
    }

    fn pass_fail(&self, out: &mut Vec<Constraint>) {
        if self.table.kind != TableKind::PassFail {
            return;
        }
        let one = |role| self.table.column_with(role);
        let (Some(pass), Some(fail), Some(total)) =
            (one(Role::Pass), one(Role::Fail), one(Role::Total))
        else {
            return;
        };
        for row in 0..self.rows.len() {
            let (Some(p), Some(f), Some(t)) = (
                self.numeric(row, pass),
                self.numeric(row, fail),
                self.numeric(row, total),
            ) else {
                continue;
            };
            out.push(self.sum(Rule::PassFail, t, vec![p, f]));
            for (share_role, part) in [(Role::PassShare, p), (Role::FailShare, f)] {
                let Some(pct) = one(share_role).and_then(|s| self.numeric(row, s)) else {
                    continue;
                };
                out.push(Constraint {
                    rule: Rule::Share,
                    relation: Relation::Ratio {
                        pct,
                        part,
                        whole: Whole::Cell(t),
                        tolerance: PCT_TOLERANCE,
                    },
                });
            }
        }
    }

    /// Share tables: each share is value ÷ total, and the shares add up to 100.
    fn shares(&self, out: &mut Vec<Constraint>) {
        if self.table.kind != TableKind::Share {
            return;
        }
        let (Some(v), Some(s)) = (
            self.table.column_with(Role::Value),
            self.table.column_with(Role::Share),
        ) else {
            return;
        };
        let body: Vec<usize> = (0..self.rows.len())
            .filter(|&i| {
                *self.rows[i].reference != RowRef::Total && self.rows[i].row.heading().is_none()
            })
            .collect();
        let stated = self.totals_row().and_then(|t| self.numeric(t, v));
        let values: Vec<CellId> = body.iter().filter_map(|&i| self.numeric(i, v)).collect();
        let total: f64 = match stated {
            Some(c) => self.rows[c.row as usize].row.number(v).unwrap_or(0.0),
            None => values
                .iter()
                .filter_map(|c| self.rows[c.row as usize].row.number(v))
                .sum(),
        };
        if total == 0.0 {
            return;
        }
        for &i in &body {
            let (Some(part), Some(pct)) = (self.numeric(i, v), self.numeric(i, s)) else {
                continue;
            };
            let whole = stated.map_or_else(|| Whole::Sum(values.clone()), Whole::Cell);
            out.push(Constraint {
                rule: Rule::Share,
                relation: Relation::Ratio {
                    pct,
                    part,
                    whole,
                    tolerance: PCT_TOLERANCE,
                },
            });
        }
        let shares: Vec<CellId> = body.iter().filter_map(|&i| self.numeric(i, s)).collect();
        if !shares.is_empty() {
            out.push(Constraint {
                rule: Rule::Share,
                relation: Relation::Hundred {
                    shares,
                    tolerance: SHARE_SUM_TOLERANCE,
                },
            });
        }
    }
}

/// Counts, plans, actuals and shares are never negative unless the column says they may be.
fn negatives(at: &SectionAt, table: &Table, rows: &[RowAt], out: &mut Vec<Finding>) {
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
                plain(value)
            );
            let finding = at
                .finding(Rule::Negative, row.offset, Some(table), message)
                .at_row(row.reference.clone())
                .at_column(ColumnRef::Key(column.key.clone()));
            out.push(finding);
        }
    }
}
