//! The report's own arithmetic: achievement %, totals and subtotals, crosstab row totals,
//! pass/fail totals and shares, and the signs of counts. A finding states the figure the rule
//! expected and the one printed.

use super::{PCT_TOLERANCE, SHARE_SUM_TOLERANCE, SectionAt};
use crate::content::{ColumnRef, ColumnType, Role, RowAt, RowRef, Table, TableKind};
use crate::diagnostics::{Finding, Rule};
use crate::numfmt::plain;
use std::collections::BTreeMap;

pub fn check_table(at: &SectionAt, table: &Table, out: &mut Vec<Finding>) {
    let refs = table.row_refs();
    let rows = table.rows_at(&refs);
    let check = TableCheck {
        at,
        table,
        rows: &rows,
    };
    check.achievement(out);
    check.column_totals(out);
    check.subtotals(out);
    check.row_totals(out);
    check.pass_fail(out);
    check.shares(out);
    check.negatives(out);
}

struct TableCheck<'a> {
    at: &'a SectionAt<'a>,
    table: &'a Table,
    rows: &'a [RowAt<'a>],
}

impl TableCheck<'_> {
    /// A finding of `rule` at `row`, column `column`, comparing `expected` with `found`.
    fn issue(
        &self,
        rule: Rule,
        row: &RowAt,
        column: usize,
        compared: (String, String),
        message: String,
    ) -> Finding {
        let key = ColumnRef::Key(self.table.columns[column].key.clone());
        self.at
            .finding(rule, row.offset, Some(self.table), message)
            .at_row(row.reference.clone())
            .at_column(key)
            .comparing(compared.0, compared.1)
    }

    /// A finding when `stated` is not `sum`: "total 10 but the rows sum to 11".
    fn sum_issue(
        &self,
        rule: Rule,
        row: &RowAt,
        column: usize,
        (stated, sum): (f64, f64),
        words: (&str, &str),
    ) -> Option<Finding> {
        if (sum - stated).abs() <= 1e-6 {
            return None;
        }
        let (what, parts) = words;
        let message = format!("{what} {} but {parts} sum to {}", plain(stated), plain(sum));
        Some(self.issue(rule, row, column, (plain(sum), plain(stated)), message))
    }

    fn body(&self) -> impl Iterator<Item = &RowAt<'_>> {
        self.rows
            .iter()
            .filter(|r| *r.reference != RowRef::Total && !r.row.subtotal && r.row.heading.is_none())
    }

    fn totals_row(&self) -> Option<&RowAt<'_>> {
        self.rows.iter().find(|r| *r.reference == RowRef::Total)
    }

    fn achievement(&self, out: &mut Vec<Finding>) {
        let tolerance = self.table.pct_tolerance.unwrap_or(PCT_TOLERANCE);
        for triple in self.table.achievement_triples() {
            for row in self.rows {
                let r = row.row;
                let (Some(plan), Some(actual), Some(stated)) = (
                    r.number(triple.plan),
                    r.number(triple.actual),
                    r.number(triple.pct),
                ) else {
                    continue;
                };
                if plan == 0.0 {
                    continue;
                }
                let exact = actual / plan * 100.0;
                if (exact - stated).abs() >= tolerance {
                    let message = format!(
                        "achievement {}% but actual ÷ plan = {} ÷ {} = {:.1}% (tolerance ±{})",
                        plain(stated),
                        plain(actual),
                        plain(plan),
                        exact,
                        plain(tolerance)
                    );
                    let compared = (format!("{exact:.1}"), plain(stated));
                    out.push(self.issue(Rule::Achievement, row, triple.pct, compared, message));
                }
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

    fn column_totals(&self, out: &mut Vec<Finding>) {
        let Some(total) = self.totals_row() else {
            return;
        };
        for i in self.summable_columns() {
            let Some(stated) = total.row.number(i) else {
                continue;
            };
            let sum: f64 = self.body().filter_map(|r| r.row.number(i)).sum();
            out.extend(self.sum_issue(Rule::Total, total, i, (stated, sum), ("total", "the rows")));
        }
    }

    /// A subtotal row sums the rows above it that share its label path but the last level
    /// (and its depth): running sums per path keep this linear in the rows.
    fn subtotals(&self, out: &mut Vec<Finding>) {
        let columns = self.summable_columns();
        let mut sums: BTreeMap<(&[String], usize), Vec<f64>> = BTreeMap::new();
        for row in self.rows {
            let label = &row.row.label;
            let Some((_, prefix)) = label.split_last() else {
                continue;
            };
            let key = (prefix, label.len());
            if !row.row.subtotal {
                let entry = sums.entry(key).or_insert_with(|| vec![0.0; columns.len()]);
                for (sum, &i) in entry.iter_mut().zip(&columns) {
                    *sum += row.row.number(i).unwrap_or(0.0);
                }
                continue;
            }
            let zero = vec![0.0; columns.len()];
            let totals = sums.get(&key).unwrap_or(&zero);
            for (&sum, &i) in totals.iter().zip(&columns) {
                let Some(stated) = row.row.number(i) else {
                    continue;
                };
                let words = ("subtotal", "its rows");
                out.extend(self.sum_issue(Rule::Subtotal, row, i, (stated, sum), words));
            }
        }
    }

    /// Crosstab: the `total` column is the sum of the `category` columns.
    fn row_totals(&self, out: &mut Vec<Finding>) {
        if self.table.kind != TableKind::Crosstab {
            return;
        }
        let categories = self.table.columns_with(Role::Category);
        for t in self.table.columns_with(Role::Total) {
            for row in self.rows {
                let Some(stated) = row.row.number(t) else {
                    continue;
                };
                let sum: f64 = categories.iter().filter_map(|&c| row.row.number(c)).sum();
                let words = ("row total", "its categories");
                out.extend(self.sum_issue(Rule::RowTotal, row, t, (stated, sum), words));
            }
        }
    }

    fn pass_fail(&self, out: &mut Vec<Finding>) {
        if self.table.kind != TableKind::PassFail {
            return;
        }
        let one = |role| self.table.column_with(role);
        let (Some(pass), Some(fail), Some(total)) =
            (one(Role::Pass), one(Role::Fail), one(Role::Total))
        else {
            return;
        };
        for row in self.rows {
            let r = row.row;
            let (Some(p), Some(f), Some(t)) = (r.number(pass), r.number(fail), r.number(total))
            else {
                continue;
            };
            if (p + f - t).abs() > 1e-6 {
                let message = format!(
                    "total {} but compliant + non-compliant = {} + {} = {}",
                    plain(t),
                    plain(p),
                    plain(f),
                    plain(p + f)
                );
                out.push(self.issue(
                    Rule::PassFail,
                    row,
                    total,
                    (plain(p + f), plain(t)),
                    message,
                ));
            }
            for (share_role, part) in [(Role::PassShare, p), (Role::FailShare, f)] {
                let Some(s) = one(share_role) else { continue };
                let Some(stated) = r.number(s) else { continue };
                if t == 0.0 {
                    continue;
                }
                let exact = part / t * 100.0;
                if (exact - stated).abs() >= PCT_TOLERANCE {
                    let message = format!(
                        "share {}% but {} ÷ {} = {:.1}%",
                        plain(stated),
                        plain(part),
                        plain(t),
                        exact
                    );
                    out.push(self.issue(
                        Rule::Share,
                        row,
                        s,
                        (format!("{exact:.1}"), plain(stated)),
                        message,
                    ));
                }
            }
        }
    }

    /// Share tables: each share is value ÷ total, and the shares add up to 100.
    fn shares(&self, out: &mut Vec<Finding>) {
        if self.table.kind != TableKind::Share {
            return;
        }
        let (Some(v), Some(s)) = (
            self.table.column_with(Role::Value),
            self.table.column_with(Role::Share),
        ) else {
            return;
        };
        let body: Vec<&RowAt> = self
            .rows
            .iter()
            .filter(|r| *r.reference != RowRef::Total && r.row.heading.is_none())
            .collect();
        let total = self
            .totals_row()
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
                let message = format!(
                    "share {}% but {} ÷ {} = {:.1}%",
                    plain(stated),
                    plain(value),
                    plain(total),
                    exact
                );
                out.push(self.issue(
                    Rule::Share,
                    row,
                    s,
                    (format!("{exact:.1}"), plain(stated)),
                    message,
                ));
            }
        }
        let sum: f64 = body.iter().filter_map(|r| r.row.number(s)).sum();
        if (sum - 100.0).abs() > SHARE_SUM_TOLERANCE {
            let Some(last) = self.rows.last() else { return };
            let message = format!(
                "the shares sum to {}%, not 100% (tolerance ±{SHARE_SUM_TOLERANCE})",
                plain(sum)
            );
            let at_total = RowAt {
                reference: &RowRef::Total,
                ..*last
            };
            out.push(self.issue(
                Rule::Share,
                &at_total,
                s,
                ("100".into(), plain(sum)),
                message,
            ));
        }
    }

    /// Counts, plans, actuals and shares are never negative unless the column says they may be.
    fn negatives(&self, out: &mut Vec<Finding>) {
        for row in self.rows {
            for (i, (column, cell)) in self.table.columns.iter().zip(&row.row.values).enumerate() {
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
                let key = ColumnRef::Key(self.table.columns[i].key.clone());
                let finding = self
                    .at
                    .finding(Rule::Negative, row.offset, Some(self.table), message)
                    .at_row(row.reference.clone())
                    .at_column(key);
                out.push(finding);
            }
        }
    }
}
