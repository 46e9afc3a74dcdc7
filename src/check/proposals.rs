//! Candidate links for a row that no link covers, found by its figures: the rows of other
//! tables of the year holding the same plan, actual or % (or nearly: off by one, or one
//! common misreading apart), in the same unit. A candidate is scored by its agreeing figures,
//! each worth more the rarer it is in the year (a 10 or a 100% is everywhere), by whether the
//! other row is a total or subtotal, and by how alike the labels read; another table's plain
//! row must share words with the row's label.

use super::coverage::{linkable, words};
use super::links::normalize;
use super::misreading;
use super::relations::CellId;
use super::runs::{self, Run, Runs};
use super::tables::TableAt;
use super::tables::YearTables;
use crate::content::{Cell, ColumnKey, Role, Row, RowRef, TableId};
use crate::numfmt::plain;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// Proposals kept per row.
const PROPOSALS: usize = 3;
/// The score a candidate needs: two rare figures, or a rare figure in a total.
const THRESHOLD: f64 = 5.0;
/// The score a run of rows needs: sums of small figures are easy to come by.
const RUN_THRESHOLD: f64 = 7.0;
/// How alike the labels of a candidate that is a plain row must read (shared words over all).
const SIMILAR: f64 = 0.25;
/// Below this, a figure one off or misread is no evidence (a 4 for a 6 is not a near miss).
const NEAR_FROM: f64 = 100.0;

/// How the two figures of a match compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Closeness {
    Misread,
    Near,
    Exact,
}

/// What kind of row the other row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RowKind {
    Total,
    Subtotal,
    Row,
    /// Consecutive rows whose sum the row restates.
    Sum,
}

#[derive(Debug, Clone, Serialize)]
pub struct Match {
    pub column: ColumnKey,
    pub other_column: ColumnKey,
    pub value: f64,
    pub other_value: f64,
    pub closeness: Closeness,
    /// A plan or actual (a % only supports the match).
    #[serde(skip)]
    figure: bool,
}

/// A link the figures suggest, to be checked against the report and pasted by hand.
#[derive(Debug, Clone, Serialize)]
pub struct Proposal {
    pub table: TableId,
    pub page: u32,
    /// The other row (for a sum, its first row).
    pub row: RowRef,
    /// For a sum, every row it adds up; else empty.
    pub rows: Vec<RowRef>,
    pub kind: RowKind,
    pub label: Vec<String>,
    pub matches: Vec<Match>,
    pub score: f64,
    /// The `[[tables.links]]` to paste under the row's own table.
    pub toml: String,
}

/// Every figure of the year, found by value.
pub struct Candidates<'a> {
    tables: &'a YearTables<'a>,
    by_value: BTreeMap<i64, Vec<CellId>>,
    runs: Runs,
    /// How many figures the year holds.
    figures: usize,
    /// The words of each category column's header, by table and column: read for every
    /// candidate row, made once.
    category_words: BTreeMap<(u32, usize), BTreeSet<String>>,
}

/// A figure as an index key: hundredths.
pub fn bucket(value: f64) -> i64 {
    (value * 100.0).round() as i64
}

/// The roles of the other table's column that can restate a figure of `role`.
fn restates(role: Option<Role>, other: Option<Role>) -> bool {
    match role {
        Some(Role::Plan) => other == Some(Role::Plan),
        Some(Role::Actual) => matches!(
            other,
            Some(Role::Actual | Role::Value | Role::Total | Role::Category)
        ),
        Some(Role::Pct) => other == Some(Role::Pct),
        _ => false,
    }
}

impl<'a> Candidates<'a> {
    pub fn new(tables: &'a YearTables<'a>) -> Candidates<'a> {
        let mut by_value: BTreeMap<i64, Vec<CellId>> = BTreeMap::new();
        for (number, at) in tables.tables.iter().enumerate() {
            let number = u32::try_from(number).unwrap_or(u32::MAX);
            for (r, row) in at.rows().iter().enumerate() {
                for (c, cell) in row.row.values.iter().enumerate() {
                    if let Some(v) = cell.as_number().filter(|v| *v != 0.0) {
                        by_value
                            .entry(bucket(v))
                            .or_default()
                            .push(CellId::new(number, r, c));
                    }
                }
            }
        }
        let figures = by_value.values().map(Vec::len).sum();
        let mut category_words = BTreeMap::new();
        for (number, at) in tables.tables.iter().enumerate() {
            let number = u32::try_from(number).unwrap_or(u32::MAX);
            for column in (0..at.table.columns.len()).filter(|&c| is_category(at, c)) {
                category_words.insert((number, column), words(&at.table.header_path(column)));
            }
        }
        Candidates {
            tables,
            by_value,
            runs: Runs::new(tables),
            figures,
            category_words,
        }
    }

    /// What an agreeing figure is worth: the rarer in the year, the more (log10 of its rarity);
    /// a % or a near miss half, a 0 little.
    fn weight(&self, value: f64, how: Closeness, percent: bool) -> f64 {
        let count = self.by_value.get(&bucket(value)).map_or(1, Vec::len).max(1);
        let rarity = if value == 0.0 {
            0.5
        } else {
            (self.figures.max(1) as f64 / count as f64).log10().max(0.5)
        };
        let rarity = if percent { rarity / 2.0 } else { rarity };
        match how {
            Closeness::Exact => rarity,
            Closeness::Near | Closeness::Misread => rarity / 2.0,
        }
    }

    /// The best links for row `row` of table `table`, whose columns `unlinked` no link reads.
    pub fn propose(&self, table: u32, row: usize, unlinked: &[usize]) -> Vec<Proposal> {
        let mine = self.tables.at(table);
        let Some(cells) = mine.row(row).map(|r| &r.values) else {
            return Vec::new();
        };
        let label = label_words(mine.row(row).map_or(&[][..], |r| &r.label));
        let mut rows: BTreeSet<(u32, u32)> = BTreeSet::new();
        let mut sums: BTreeSet<Run> = BTreeSet::new();
        for &c in unlinked {
            let Some(value) = cells.get(c).and_then(Cell::as_number).filter(|v| *v != 0.0) else {
                continue;
            };
            for cell in self.near(value) {
                if cell.table != table {
                    rows.insert((cell.table, cell.row));
                }
            }
            sums.extend(
                self.runs
                    .with_sum(value)
                    .iter()
                    .filter(|r| r.table != table),
            );
        }
        let mut proposals: Vec<Proposal> = rows
            .into_iter()
            .filter_map(|(t, r)| self.score((table, row, &label), unlinked, t, r as usize))
            .chain(
                sums.into_iter()
                    .filter_map(|run| self.score_run(table, row, unlinked, run)),
            )
            .filter(|p| {
                let needed = if p.kind == RowKind::Sum {
                    RUN_THRESHOLD
                } else {
                    THRESHOLD
                };
                p.score >= needed
            })
            .collect();
        proposals.sort_by(|a, b| b.score.total_cmp(&a.score));
        proposals.truncate(PROPOSALS);
        proposals
    }

    /// Whether a row's label (its words) names category column `column` of table `t`
    /// (`اجباری` of «صدور / اجباری»): one of many categories matches only what it names.
    fn names_category(&self, label: &BTreeSet<String>, t: u32, column: usize) -> bool {
        self.category_words
            .get(&(t, column))
            .is_some_and(|header| header.intersection(label).next().is_some())
    }

    /// Cells holding `value`, a figure one off, or a common misreading of it.
    fn near(&self, value: f64) -> Vec<CellId> {
        let slack = (value.abs() * 0.001).max(1.0);
        let mut out: Vec<CellId> = self
            .by_value
            .range(bucket(value - slack)..=bucket(value + slack))
            .flat_map(|(_, cells)| cells.iter().copied())
            .collect();
        for (reading, _) in misreading::readings(value) {
            out.extend(self.by_value.get(&bucket(reading)).into_iter().flatten());
        }
        out
    }

    /// Row `r` of table `t` as a candidate for row `row` of table `table`.
    fn score(
        &self,
        (table, row, label): (u32, usize, &BTreeSet<String>),
        unlinked: &[usize],
        t: u32,
        r: usize,
    ) -> Option<Proposal> {
        let (mine, theirs) = (self.tables.at(table), self.tables.at(t));
        let (my_row, their_row) = (mine.row(row)?, theirs.row(r)?);
        if their_row.heading().is_some() || !units_agree(mine, my_row, theirs, their_row) {
            return None;
        }
        let mut matches = Vec::new();
        let mut score = 0.0;
        for (c, column) in mine.table.columns.iter().enumerate() {
            let Some(value) = my_row.number(c) else {
                continue;
            };
            if !(linkable(column.role) || column.role == Some(Role::Pct)) {
                continue;
            }
            let comparable: Vec<(usize, f64)> = (0..theirs.table.columns.len())
                .filter(|&o| restates(column.role, theirs.table.columns[o].role))
                .filter(|&o| !is_category(theirs, o) || self.names_category(label, t, o))
                .filter_map(|o| Some((o, their_row.number(o)?)))
                .collect();
            let best = comparable
                .iter()
                .filter_map(|&(o, figure)| Some((closeness(value, figure)?, o, figure)))
                .max_by(|a, b| a.0.cmp(&b.0));
            let Some((how, other, other_value)) = best else {
                // a plan or actual the other row holds otherwise counts against it
                if linkable(column.role) && !comparable.is_empty() {
                    score -= self.weight(value, Closeness::Exact, false) / 2.0;
                }
                continue;
            };
            let other_column = theirs.table.columns[other].key.clone();
            score += self.weight(value, how, column.role == Some(Role::Pct));
            matches.push(Match {
                column: column.key.clone(),
                other_column,
                value,
                other_value,
                closeness: how,
                figure: linkable(column.role),
            });
        }
        if !one_group(theirs, &matches) {
            return None;
        }
        let exact_figure = matches
            .iter()
            .any(|m| m.figure && m.closeness == Closeness::Exact && m.value != 0.0);
        if !exact_figure {
            return None;
        }
        let kind = if theirs.reference(r) == &RowRef::Total {
            RowKind::Total
        } else if their_row.subtotal() {
            RowKind::Subtotal
        } else {
            RowKind::Row
        };
        let similar = similarity(label, theirs, their_row, kind != RowKind::Row);
        if kind == RowKind::Row && similar < SIMILAR {
            return None;
        }
        if kind != RowKind::Row {
            score += 2.0;
        }
        score += 4.0 * similar;
        let links = unlinked_matches(mine, unlinked, &matches);
        Some(Proposal {
            table: theirs.table.id.clone(),
            page: theirs.page,
            row: theirs.reference(r).clone(),
            rows: Vec::new(),
            kind,
            label: their_row.label.clone(),
            toml: toml(
                mine.reference(row),
                std::slice::from_ref(theirs.reference(r)),
                &theirs.table.id,
                &links,
            ),
            matches,
            score: (score * 10.0).round() / 10.0,
        })
    }
}

impl Candidates<'_> {
    /// Consecutive rows `run` of another table as the rows that row `row` of table `table`
    /// adds up: every plan and actual of the row must equal its column's sum.
    fn score_run(&self, table: u32, row: usize, unlinked: &[usize], run: Run) -> Option<Proposal> {
        let (mine, theirs) = (self.tables.at(table), self.tables.at(run.table));
        let my_row = mine.row(row)?;
        let mut matches = Vec::new();
        for (c, column) in mine.table.columns.iter().enumerate() {
            let Some(value) = my_row.number(c).filter(|_| linkable(column.role)) else {
                continue;
            };
            let sums: Vec<(usize, f64)> = (0..theirs.table.columns.len())
                .filter(|&o| {
                    restates(column.role, theirs.table.columns[o].role) && !is_category(theirs, o)
                })
                .filter_map(|o| Some((o, runs::sum(self.tables, run, o)?)))
                .collect();
            let (o, sum) = *sums.iter().find(|(_, s)| (s - value).abs() < 1e-9)?;
            matches.push(Match {
                column: column.key.clone(),
                other_column: theirs.table.columns[o].key.clone(),
                value,
                other_value: sum,
                closeness: Closeness::Exact,
                figure: true,
            });
        }
        if matches.iter().filter(|m| m.value != 0.0).count() < 2 {
            return None;
        }
        let first = theirs.row(run.start as usize)?;
        let labels: Vec<&str> = run
            .rows()
            .filter_map(|r| theirs.row(r))
            .flat_map(|r| r.label.iter().map(String::as_str))
            .collect();
        let mine_words = words(&my_row.label.iter().map(String::as_str).collect::<Vec<_>>());
        let theirs_words = words(&labels);
        let shared = mine_words.intersection(&theirs_words).count() as f64;
        let similar = shared / mine_words.union(&theirs_words).count().max(1) as f64;
        // sums of small figures are easy to come by: the labels must say the same
        if similar < SIMILAR || !one_group(theirs, &matches) {
            return None;
        }
        let score = matches
            .iter()
            .map(|m| self.weight(m.value, Closeness::Exact, false))
            .sum::<f64>()
            + 2.0
            + 4.0 * similar;
        let rows: Vec<RowRef> = run.rows().map(|r| theirs.reference(r).clone()).collect();
        let links = unlinked_matches(mine, unlinked, &matches);
        Some(Proposal {
            table: theirs.table.id.clone(),
            page: theirs.page,
            row: rows[0].clone(),
            toml: toml(mine.reference(row), &rows, &theirs.table.id, &links),
            rows,
            kind: RowKind::Sum,
            label: first.label.clone(),
            matches,
            score: (score * 10.0).round() / 10.0,
        })
    }
}

/// The matches of columns of `mine` that no link reads yet (`unlinked`): what a proposal links.
fn unlinked_matches<'m>(
    mine: &TableAt,
    unlinked: &[usize],
    matches: &'m [Match],
) -> Vec<&'m Match> {
    matches
        .iter()
        .filter(|m| {
            unlinked
                .iter()
                .any(|&c| mine.table.columns[c].key == m.column)
        })
        .collect()
}

/// Whether the other table's matched columns are of one header group (a plan and an actual of
/// one triple, not the plan of one and the actual of another).
fn one_group(at: &TableAt, matches: &[Match]) -> bool {
    let groups: BTreeSet<&Vec<String>> = matches
        .iter()
        .filter_map(|m| at.table.column(&m.other_column))
        .filter(|c| c.role != Some(Role::Category))
        .map(|c| &c.group)
        .collect();
    groups.len() <= 1
}

fn is_category(at: &TableAt, column: usize) -> bool {
    at.table.columns[column].role == Some(Role::Category)
}

/// The words of a row's label path.
fn label_words(label: &[String]) -> BTreeSet<String> {
    words(&label.iter().map(String::as_str).collect::<Vec<_>>())
}

fn closeness(a: f64, b: f64) -> Option<Closeness> {
    if (a - b).abs() < 1e-9 {
        Some(Closeness::Exact)
    } else if a.abs() < NEAR_FROM {
        None
    } else if (a - b).abs() <= (a.abs() * 0.001).max(1.0) {
        Some(Closeness::Near)
    } else if misreading::classify(a, b).is_some() {
        Some(Closeness::Misread)
    } else {
        None
    }
}

/// The unit of a row: its unit cell, else its table's.
fn unit_of(at: &TableAt, row: &Row) -> Option<String> {
    let cell = at
        .table
        .column_with(Role::Unit)
        .and_then(|u| row.values.get(u))
        .and_then(|c| match c {
            Cell::Text(t) if !t.trim().is_empty() => Some(String::clone(t)),
            _ => None,
        });
    cell.or_else(|| at.table.unit.clone())
        .map(|u| normalize(&u).replace(['-', '‐'], ""))
}

fn units_agree(a: &TableAt, ra: &Row, b: &TableAt, rb: &Row) -> bool {
    match (unit_of(a, ra), unit_of(b, rb)) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

/// How alike two rows' labels read (shared words over all words); a total's label says little,
/// so its table's caption is read with it.
fn similarity(mine: &BTreeSet<String>, b: &TableAt, rb: &Row, with_caption: bool) -> f64 {
    let mut theirs_texts: Vec<&str> = rb.label.iter().map(String::as_str).collect();
    if with_caption {
        theirs_texts.push(&b.table.caption);
    }
    let theirs = words(&theirs_texts);
    let shared = mine.intersection(&theirs).count() as f64;
    let all = mine.union(&theirs).count() as f64;
    if all == 0.0 { 0.0 } else { shared / all }
}

/// The links of `matches` as TOML to paste under the row's table: to one other row, or to
/// the sum of several.
fn toml(row: &RowRef, other_rows: &[RowRef], table: &TableId, matches: &[&Match]) -> String {
    let mut out = String::new();
    for m in matches {
        if !out.is_empty() {
            out.push('\n');
        }
        if m.closeness != Closeness::Exact {
            let _ = writeln!(
                out,
                "# {} here, {} there: the link will report the difference",
                plain(m.value),
                plain(m.other_value)
            );
        }
        let _ = writeln!(
            out,
            "[[tables.links]]\ntable = \"{table}\"\ncolumn = \"{}\"",
            m.column
        );
        if m.other_column != m.column {
            let _ = writeln!(out, "other_column = \"{}\"", m.other_column);
        }
        let _ = writeln!(out, "row = \"{row}\"");
        match other_rows {
            [one] => {
                let _ = writeln!(out, "other_row = \"{one}\"");
            }
            many => {
                let quoted: Vec<String> = many.iter().map(|r| format!("\"{r}\"")).collect();
                let _ = writeln!(out, "other_rows = [{}]", quoted.join(", "));
            }
        }
    }
    out
}
