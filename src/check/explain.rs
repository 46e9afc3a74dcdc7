//! The likeliest single fix of each arithmetic or link finding. The cells its rule reads are
//! tried with every figure some rule touching them asks for, with the common misreadings of
//! their printed digits, and exchanged with the other failing cells of their row or column.
//! A change counts only if every rule that reads a changed cell then agrees; among those, the
//! change that makes the most failing rules agree wins, a common misreading before any other
//! figure. Nothing is ever applied: the suggestion is shown to the reviewer.

use super::arithmetic;
use super::links;
use super::misreading;
use super::relations::{CellId, Constraint, Place, Reading, Relation};
use super::suggestion::{self, Edit, MAX_ROTATION, Rotation};
use super::tables::YearTables;
use crate::content::{ColumnKey, ColumnRef, ColumnType, RowRef, TableId};
use crate::diagnostics::{Explanation, Finding, Misreading, Rule};
use crate::load::LoadedYear;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Suggestions kept per finding.
const SUGGESTIONS: usize = 3;
/// Failing rules explained per year: beyond, the search would cost more than it tells.
const MAX_EXPLAINED: usize = 20_000;
/// Above this many cells, a rule's cells are tried only with the figures rules ask for.
const MISREAD_CELLS: usize = 64;

/// Sets the explanation of every arithmetic or link finding among `findings` (clearing the
/// ones it had).
pub fn explain<'f>(
    year: &LoadedYear,
    tables: &YearTables,
    findings: impl Iterator<Item = &'f mut Finding>,
) {
    let mut wanted: Vec<&mut Finding> = findings
        .filter(|f| f.rule.is_arithmetic() && f.cell.is_some())
        .collect();
    for finding in &mut wanted {
        finding.explain(None);
    }
    if wanted.is_empty() {
        return;
    }
    let search = Search::new(year, tables);
    let failing = search.failing_by_key();
    // which constraint explains each finding, the first MAX_EXPLAINED distinct ones in the
    // findings' order; then each explained once, in parallel (the search only reads)
    let mut chosen: BTreeMap<usize, Option<Explanation>> = BTreeMap::new();
    let mut of_finding = Vec::with_capacity(wanted.len());
    for finding in wanted {
        let Some(&k) = key_of(finding).and_then(|key| failing.get(&key)) else {
            continue;
        };
        if chosen.len() >= MAX_EXPLAINED && !chosen.contains_key(&k) {
            continue;
        }
        chosen.insert(k, None);
        of_finding.push((finding, k));
    }
    chosen
        .par_iter_mut()
        .for_each(|(k, explanation)| *explanation = search.explain(*k));
    for (finding, k) in of_finding {
        finding.explain(chosen[&k].clone());
    }
}

/// What tells a finding's constraint apart: where it is reported, its rule, its figures.
type Key = (TableId, RowRef, ColumnKey, Rule, String, String);

fn key_of(f: &Finding) -> Option<Key> {
    Some((
        f.table.clone()?,
        f.row()?.clone(),
        f.column().and_then(ColumnRef::key)?.clone(),
        f.rule,
        f.expected()?.to_string(),
        f.found()?.to_string(),
    ))
}

/// A column of a table, by their numbers in the year.
type ColumnAt = (u32, u16);

/// The failing links between two columns of two tables ((mine, theirs) columns), with the
/// (mine, theirs) cells of each.
type FailingLinks = BTreeMap<(ColumnAt, ColumnAt), Vec<(CellId, CellId)>>;

/// The two columns a link compares.
fn linked_columns(mine: CellId, theirs: CellId) -> (ColumnAt, ColumnAt) {
    ((mine.table, mine.column), (theirs.table, theirs.column))
}

/// Every constraint of a year with its printed readings, and which cells each one reads.
pub(crate) struct Search<'a> {
    pub tables: &'a YearTables<'a>,
    pub constraints: Vec<Constraint>,
    pub readings: Vec<Reading>,
    pub holds: Vec<bool>,
    touching: HashMap<CellId, Vec<(usize, Place)>>,
    /// The cells read by a failing constraint, by table and row, and by table and column:
    /// the partners an exchange is tried with.
    failing_by_row: BTreeMap<(u32, u32), BTreeSet<CellId>>,
    failing_by_column: BTreeMap<ColumnAt, BTreeSet<CellId>>,
    failing_links: FailingLinks,
}

impl<'a> Search<'a> {
    pub fn new(year: &LoadedYear, tables: &'a YearTables<'a>) -> Search<'a> {
        let mut constraints = Vec::new();
        for (number, table) in tables.tables.iter().enumerate() {
            let rows = table.rows();
            let number = u32::try_from(number).unwrap_or(u32::MAX);
            constraints.extend(arithmetic::constraints(table.table, &rows, number));
        }
        constraints.extend(
            links::resolve(year, tables)
                .pairs
                .iter()
                .filter_map(|p| p.constraint(tables)),
        );
        let value = |cell| tables.number(cell).unwrap_or(0.0);
        let readings: Vec<Reading> = constraints.iter().map(|c| c.read(&value)).collect();
        let holds: Vec<bool> = constraints
            .iter()
            .zip(&readings)
            .map(|(c, r)| c.holds(*r))
            .collect();
        let mut failing_by_row: BTreeMap<(u32, u32), BTreeSet<CellId>> = BTreeMap::new();
        let mut failing_by_column: BTreeMap<(u32, u16), BTreeSet<CellId>> = BTreeMap::new();
        let mut failing_links = FailingLinks::new();
        let failing = constraints.iter().zip(&holds).filter(|(_, holds)| !**holds);
        for (constraint, _) in failing {
            if let Relation::Equal { mine, theirs } = constraint.relation {
                let key = linked_columns(mine, theirs);
                failing_links.entry(key).or_default().push((mine, theirs));
            }
            for (cell, _) in constraint.cells() {
                failing_by_row
                    .entry((cell.table, cell.row))
                    .or_default()
                    .insert(cell);
                let column = (cell.table, cell.column);
                failing_by_column.entry(column).or_default().insert(cell);
            }
        }
        // Every edit tried changes cells of rows that hold a failing cell (a figure of one, an
        // exchange of two, or whole rows rotated): only their cells' rules are looked up.
        let mut touching: HashMap<CellId, Vec<(usize, Place)>> = HashMap::new();
        for (k, constraint) in constraints.iter().enumerate() {
            for (cell, place) in constraint.cells() {
                if failing_by_row.contains_key(&(cell.table, cell.row)) {
                    touching.entry(cell).or_default().push((k, place));
                }
            }
        }
        Search {
            tables,
            constraints,
            readings,
            holds,
            touching,
            failing_by_row,
            failing_by_column,
            failing_links,
        }
    }

    pub fn value(&self, cell: CellId) -> f64 {
        self.tables.number(cell).unwrap_or(0.0)
    }

    /// The failing constraints by what their findings show.
    fn failing_by_key(&self) -> BTreeMap<Key, usize> {
        let mut map = BTreeMap::new();
        for (k, constraint) in self.constraints.iter().enumerate() {
            if self.holds[k] {
                continue;
            }
            let at = constraint.at();
            let table = self.tables.at(at.table);
            let rows = table.rows();
            let (row, _) = arithmetic::locate(&rows, at.row);
            let column = table.table.columns[usize::from(at.column)].key.clone();
            let (expected, found) = self.readings[k].compared();
            let key = (
                table.table.id.clone(),
                row,
                column,
                constraint.rule,
                expected,
                found,
            );
            map.entry(key).or_insert(k);
        }
        map
    }

    /// The best changes that make failing constraint `k` hold, best first.
    fn explain(&self, k: usize) -> Option<Explanation> {
        let mut scored: Vec<(Score, Candidate)> = self
            .candidates(k)
            .into_iter()
            .filter_map(|mut candidate| Some((self.score(&mut candidate, k)?, candidate)))
            .collect();
        scored.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
        let (best, best_edit) = scored.first()?;
        // the same cells with another figure within a tolerance is the same fix, not a rival
        let ties = scored
            .iter()
            .filter(|(s, c)| {
                s.rank() == best.rank() && c.edit.cells(self) != best_edit.edit.cells(self)
            })
            .count();
        let suggestions = scored
            .iter()
            .take(SUGGESTIONS)
            .enumerate()
            .map(|(i, (score, c))| {
                let ties = if i == 0 { ties } else { 0 };
                suggestion::describe(self, k, &c.edit, c.misreading, score.fixed, ties)
            })
            .collect();
        Some(Explanation { suggestions })
    }

    /// Every change tried for constraint `k`, each once: the figures the rules reading its
    /// cells ask for, and, where a tolerance lets several figures fit (a percentage), the
    /// misreadings of the printed ones; and exchanges with other failing cells.
    fn candidates(&self, k: usize) -> Vec<Candidate> {
        let constraint = &self.constraints[k];
        let cells: Vec<CellId> = unique(constraint.cells().into_iter().map(|(c, _)| c));
        let tolerant = matches!(
            constraint.relation,
            Relation::Ratio { .. } | Relation::Hundred { .. }
        ) && cells.len() <= MISREAD_CELLS;
        let mut out = Vec::new();
        let mut seen: HashSet<(CellId, u64)> = HashSet::new();
        let mut swapped: HashSet<(CellId, CellId)> = HashSet::new();
        for &cell in &cells {
            let printed = self.value(cell);
            let readings = if tolerant {
                misreading::readings(printed)
            } else {
                Vec::new()
            };
            // the report truncates percentages as often as it rounds them
            let truncated = self
                .is_stated_percentage(cell)
                .then(|| self.solutions(cell));
            let figures = self
                .solutions(cell)
                .into_iter()
                .chain(truncated.into_iter().flatten().map(f64::trunc))
                .map(|s| (s, None))
                .chain(readings.into_iter().map(|(v, how)| (v, Some(how))));
            for (figure, misreading) in figures {
                let Some(figure) = self.admissible(cell, figure).filter(|f| *f != printed) else {
                    continue;
                };
                if seen.insert((cell, figure.to_bits())) {
                    out.push(Candidate {
                        edit: Edit::Set(cell, figure),
                        misreading,
                    });
                }
            }
            for swap in self.swaps(cell, k) {
                if let Edit::Swap(a, b) = swap
                    && swapped.insert((a, b))
                {
                    out.push(Candidate {
                        edit: swap,
                        misreading: Some(Misreading::SwappedCells),
                    });
                }
            }
        }
        out.extend(self.rotations(k).into_iter().map(|edit| Candidate {
            edit,
            misreading: Some(Misreading::RotatedRows),
        }));
        out
    }

    /// For a failing link: the rows of either table whose figures, moved along a cycle,
    /// make the failing links between the same two columns agree (labels that went to the
    /// wrong rows; two rows, or up to four in turn).
    fn rotations(&self, k: usize) -> Vec<Edit> {
        let Relation::Equal { mine, theirs } = self.constraints[k].relation else {
            return Vec::new();
        };
        let key = linked_columns(mine, theirs);
        let Some(pairs) = self.failing_links.get(&key) else {
            return Vec::new();
        };
        let flipped: Vec<(CellId, CellId)> = pairs.iter().map(|(m, t)| (*t, *m)).collect();
        [(pairs.as_slice(), mine), (flipped.as_slice(), theirs)]
            .into_iter()
            .filter_map(|(pairs, start)| {
                let rows = self.cycle(pairs, start)?;
                Some(Edit::Rotate(Rotation::new(start.table, &rows)?))
            })
            .collect()
    }

    /// The rows a cycle visits from `start` among `pairs` (own cell, the other side's cell):
    /// each row wants the figure the other side holds, and takes it from the row that holds
    /// it, until the cycle closes.
    fn cycle(&self, pairs: &[(CellId, CellId)], start: CellId) -> Option<Vec<u32>> {
        let mut rows = vec![start.row];
        let mut current = start;
        loop {
            let partner = pairs.iter().find(|(own, _)| *own == current)?.1;
            let wanted = self.value(partner);
            let next = pairs
                .iter()
                .map(|(own, _)| *own)
                .find(|c| self.value(*c) == wanted && (*c == start || !rows.contains(&c.row)))?;
            if next == start {
                return (rows.len() >= 2).then_some(rows);
            }
            if rows.len() == MAX_ROTATION {
                return None;
            }
            rows.push(next.row);
            current = next;
        }
    }

    /// The figures the constraints reading `cell` ask of it, the others kept.
    fn solutions(&self, cell: CellId) -> Vec<f64> {
        let printed = self.value(cell);
        let mut out = Vec::new();
        for &(k, place) in self.touching(cell) {
            if let Some(v) = self.constraints[k].solve(self.readings[k], place, printed) {
                out.push(v);
            }
        }
        out
    }

    /// Exchanges of `cell` with another failing cell of its row or column that make
    /// constraint `k` hold.
    fn swaps(&self, cell: CellId, k: usize) -> impl Iterator<Item = Edit> + '_ {
        let row = self.failing_by_row.get(&(cell.table, cell.row));
        let column = self.failing_by_column.get(&(cell.table, cell.column));
        let percent = |c: CellId| self.column_type(c) == ColumnType::Percent;
        row.into_iter()
            .chain(column)
            .flatten()
            .filter(move |o| **o != cell && percent(**o) == percent(cell))
            .filter(move |o| self.value(**o) != self.value(cell))
            .map(move |o| Edit::Swap(cell.min(*o), cell.max(*o)))
            .filter(move |swap| self.fixes(swap, k))
    }

    /// Whether `cell` is the stated figure of a percentage.
    fn is_stated_percentage(&self, cell: CellId) -> bool {
        self.touching(cell).iter().any(|(k, place)| {
            *place == Place::Stated && matches!(self.readings[*k], Reading::Ratio { .. })
        })
    }

    fn column_type(&self, cell: CellId) -> ColumnType {
        self.tables.at(cell.table).table.columns[usize::from(cell.column)].ty
    }

    /// `figure` as the cell's column would print it, if the column may hold it at all.
    fn admissible(&self, cell: CellId, figure: f64) -> Option<f64> {
        let column = &self.tables.at(cell.table).table.columns[usize::from(cell.column)];
        let printed = self.value(cell);
        let figure = match column.ty {
            ColumnType::Integer => figure.round(),
            ColumnType::Percent if printed.fract() == 0.0 => figure.round(),
            _ => (figure * 100.0).round() / 100.0,
        };
        (figure.is_finite() && (figure >= 0.0 || column.allow_negative)).then_some(figure)
    }

    /// How good a candidate is for constraint `k`, if it makes `k` and every constraint that
    /// reads a changed cell hold.
    fn score(&self, candidate: &mut Candidate, k: usize) -> Option<Score> {
        if !self.fixes(&candidate.edit, k) {
            return None;
        }
        let after = self.after(&candidate.edit);
        if after.iter().any(|(_, holds)| !holds) {
            return None;
        }
        let fixed = after.iter().filter(|(j, _)| !self.holds[*j]).count();
        if let (None, Edit::Set(cell, figure)) = (candidate.misreading, candidate.edit) {
            candidate.misreading = misreading::classify(self.value(cell), figure);
        }
        let plausibility = match candidate.misreading {
            Some(Misreading::Digit { .. } | Misreading::SwappedDigits) => 3,
            Some(
                Misreading::DroppedDigit
                | Misreading::DoubledDigit
                | Misreading::SwappedCells
                | Misreading::RotatedRows,
            ) => 2,
            None => 0,
        };
        let (mut change, mut off) = (0, 0);
        for (cell, new) in candidate.edit.changes(self) {
            let old = self.value(cell);
            change += ((new - old).abs() / old.abs().max(1.0) * 1000.0) as u64;
            off += nearest(&self.solutions(cell), new);
        }
        Some(Score {
            fixed,
            plausibility,
            support: after.len(),
            precision: u64::MAX - off,
            closeness: u64::MAX - change,
        })
    }

    /// The readings of the constraints that read a changed cell, after `edit`.
    pub fn readings_after(&self, edit: &Edit) -> Vec<(usize, Reading)> {
        let mut readings: Vec<(usize, Reading)> = Vec::new();
        for (cell, new) in edit.changes(self) {
            let old = self.value(cell);
            for &(k, place) in self.touching(cell) {
                let at = match readings.iter().position(|(j, _)| *j == k) {
                    Some(at) => at,
                    None => {
                        readings.push((k, self.readings[k]));
                        readings.len() - 1
                    }
                };
                readings[at].1 = readings[at].1.with(place, old, new);
            }
        }
        readings.sort_by_key(|(k, _)| *k);
        readings
    }

    /// Whether each constraint reading a changed cell holds after `edit`.
    fn after(&self, edit: &Edit) -> Vec<(usize, bool)> {
        self.readings_after(edit)
            .into_iter()
            .map(|(k, r)| (k, self.constraints[k].holds(r)))
            .collect()
    }

    /// Whether constraint `k` holds after `edit`: the quick test most edits fail.
    fn fixes(&self, edit: &Edit, k: usize) -> bool {
        let mut reading = self.readings[k];
        let mut touched = false;
        for (cell, new) in edit.changes(self) {
            let old = self.value(cell);
            for &(_, place) in self.touching(cell).iter().filter(|(j, _)| *j == k) {
                reading = reading.with(place, old, new);
                touched = true;
            }
        }
        touched && self.constraints[k].holds(reading)
    }

    fn touching(&self, cell: CellId) -> &[(usize, Place)] {
        self.touching.get(&cell).map_or(&[], Vec::as_slice)
    }
}

/// How good a change is, compared field by field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Score {
    /// Failing rules it makes agree.
    fixed: usize,
    /// A common misreading (3: a look-alike digit or swapped digits, 2: a dropped or doubled
    /// digit, or two cells exchanged, 0: another figure).
    plausibility: u8,
    /// Rules that read the changed cells and agree.
    support: usize,
    /// The nearer to the figure the rules ask for (within their tolerance), the better.
    precision: u64,
    /// The smaller the change, the better.
    closeness: u64,
}

impl Score {
    /// What two changes must share to be equally likely.
    fn rank(self) -> (usize, u8, usize) {
        (self.fixed, self.plausibility, self.support)
    }
}

/// A change to try, with how it may be a misreading (found when it is scored, unless it was
/// made from one).
struct Candidate {
    edit: Edit,
    misreading: Option<Misreading>,
}

/// How far `figure` is from the nearest of `solutions`, in thousandths.
fn nearest(solutions: &[f64], figure: f64) -> u64 {
    let distance = solutions
        .iter()
        .map(|s| (s - figure).abs())
        .fold(f64::INFINITY, f64::min);
    (distance.min(1e9) * 1000.0) as u64
}

fn unique(cells: impl Iterator<Item = CellId>) -> Vec<CellId> {
    let mut seen = BTreeSet::new();
    cells.filter(|c| seen.insert(*c)).collect()
}
