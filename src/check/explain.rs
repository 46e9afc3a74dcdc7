//! The likeliest single fix of each arithmetic or link finding. The cells its rule reads are
//! tried with every figure some rule touching them asks for, with the common misreadings of
//! their printed digits, and exchanged with the other failing cells of their row or column.
//! A change counts only if every rule that reads a changed cell then agrees; among those, the
//! change that makes the most failing rules agree wins, a common misreading before any other
//! figure. Nothing is ever applied: the suggestion is shown to the reviewer.

use super::arithmetic;
use super::links;
use super::misreading;
use super::relations::{CellId, Constraint, Place, Reading};
use super::suggestion::{self, Edit};
use super::tables::YearTables;
use crate::content::{ColumnKey, ColumnRef, ColumnType, RowRef, TableId};
use crate::diagnostics::{Explanation, Finding, Misreading, Rule};
use crate::load::LoadedYear;
use std::collections::{BTreeMap, BTreeSet, HashMap};

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
    let mut explained: BTreeMap<usize, Option<Explanation>> = BTreeMap::new();
    for finding in wanted {
        let Some(&k) = key_of(finding).and_then(|key| failing.get(&key)) else {
            continue;
        };
        if explained.len() >= MAX_EXPLAINED && !explained.contains_key(&k) {
            continue;
        }
        let explanation = explained.entry(k).or_insert_with(|| search.explain(k));
        finding.explain(explanation.clone());
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

/// Every constraint of a year with its printed readings, and which cells each one reads.
pub(crate) struct Search<'a> {
    pub tables: &'a YearTables<'a>,
    pub constraints: Vec<Constraint>,
    pub readings: Vec<Reading>,
    pub holds: Vec<bool>,
    touching: HashMap<CellId, Vec<(usize, Place)>>,
    /// Per table, the cells read by a failing constraint.
    failing_cells: BTreeMap<u32, BTreeSet<CellId>>,
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
        let mut touching: HashMap<CellId, Vec<(usize, Place)>> = HashMap::new();
        let mut failing_cells: BTreeMap<u32, BTreeSet<CellId>> = BTreeMap::new();
        for (k, constraint) in constraints.iter().enumerate() {
            for (cell, place) in constraint.cells() {
                touching.entry(cell).or_default().push((k, place));
                if !holds[k] {
                    failing_cells.entry(cell.table).or_default().insert(cell);
                }
            }
        }
        Search {
            tables,
            constraints,
            readings,
            holds,
            touching,
            failing_cells,
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
        let mut scored: Vec<(Score, Edit)> = self
            .candidates(k)
            .into_iter()
            .filter_map(|edit| Some((self.score(&edit, k)?, edit)))
            .collect();
        scored.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
        let (best, best_edit) = scored.first()?;
        // the same cells with another figure within a tolerance is the same fix, not a rival
        let ties = scored
            .iter()
            .filter(|(s, e)| s.rank() == best.rank() && e.cells() != best_edit.cells())
            .count();
        let suggestions = scored
            .iter()
            .take(SUGGESTIONS)
            .enumerate()
            .map(|(i, (score, edit))| {
                let ties = if i == 0 { ties } else { 0 };
                suggestion::describe(self, k, edit, score.fixed, ties)
            })
            .collect();
        Some(Explanation { suggestions })
    }

    /// Every change tried for constraint `k`.
    fn candidates(&self, k: usize) -> Vec<Edit> {
        let cells: Vec<CellId> = unique(self.constraints[k].cells().into_iter().map(|(c, _)| c));
        let misread = cells.len() <= MISREAD_CELLS;
        let mut edits = Vec::new();
        for &cell in &cells {
            let printed = self.value(cell);
            let mut figures: Vec<f64> = self.solutions(cell);
            if misread || cell == self.constraints[k].at() {
                figures.extend(misreading::readings(printed).into_iter().map(|(v, _)| v));
            }
            for figure in figures {
                if let Some(figure) = self.admissible(cell, figure)
                    && figure != printed
                    && !edits.contains(&Edit::Set(cell, figure))
                {
                    edits.push(Edit::Set(cell, figure));
                }
            }
            for swap in self.swaps(cell) {
                if !edits.iter().any(|e| e.cells() == swap.cells()) {
                    edits.push(swap);
                }
            }
        }
        edits
    }

    /// The figures the constraints reading `cell` ask of it, the others kept.
    fn solutions(&self, cell: CellId) -> Vec<f64> {
        let printed = self.value(cell);
        let mut out = Vec::new();
        for &(k, place) in self.touching.get(&cell).map_or(&[][..], Vec::as_slice) {
            if let Some(v) = self.constraints[k].solve(self.readings[k], place, printed) {
                out.push(v);
                // the report truncates percentages as often as it rounds them
                if place == Place::Stated && matches!(self.readings[k], Reading::Ratio { .. }) {
                    out.push(v.trunc());
                }
            }
        }
        out
    }

    /// Exchanges of `cell` with another failing cell of its row or column.
    fn swaps(&self, cell: CellId) -> Vec<Edit> {
        let Some(others) = self.failing_cells.get(&cell.table) else {
            return Vec::new();
        };
        let percent = |c: CellId| self.column_type(c) == ColumnType::Percent;
        others
            .iter()
            .filter(|o| **o != cell && (o.row == cell.row || o.column == cell.column))
            .filter(|o| percent(**o) == percent(cell) && self.value(**o) != self.value(cell))
            .map(|o| Edit::Swap(cell.min(*o), cell.max(*o)))
            .collect()
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

    /// How good `edit` is for constraint `k`, if it makes `k` and every constraint reading a
    /// changed cell hold.
    fn score(&self, edit: &Edit, k: usize) -> Option<Score> {
        let after = self.after(edit);
        if !after.contains_key(&k) || after.values().any(|holds| !holds) {
            return None;
        }
        let fixed = after.keys().filter(|k| !self.holds[**k]).count();
        let misreading = self.misreading(edit);
        let plausibility = match misreading {
            Some(Misreading::Digit { .. } | Misreading::SwappedDigits) => 3,
            Some(
                Misreading::DroppedDigit | Misreading::DoubledDigit | Misreading::SwappedCells,
            ) => 2,
            None => 0,
        };
        let changes = edit.changes(self);
        let change = changes
            .iter()
            .map(|(c, new)| {
                let old = self.value(*c);
                ((new - old).abs() / old.abs().max(1.0) * 1000.0) as u64
            })
            .sum::<u64>();
        // within a tolerance, the figure nearest to what the rules ask for
        let off = changes
            .iter()
            .map(|(c, new)| {
                let nearest = self
                    .solutions(*c)
                    .iter()
                    .map(|s| (s - new).abs())
                    .fold(f64::INFINITY, f64::min);
                (nearest.min(1e6) * 1000.0) as u64
            })
            .sum::<u64>();
        Some(Score {
            fixed,
            plausibility,
            support: after.len(),
            precision: u64::MAX - off,
            closeness: u64::MAX - change,
        })
    }

    /// The readings of the constraints that read a changed cell, after `edit`.
    pub fn readings_after(&self, edit: &Edit) -> BTreeMap<usize, Reading> {
        let mut readings: BTreeMap<usize, Reading> = BTreeMap::new();
        for (cell, new) in edit.changes(self) {
            let old = self.value(cell);
            for &(k, place) in self.touching.get(&cell).map_or(&[][..], Vec::as_slice) {
                let reading = readings.entry(k).or_insert(self.readings[k]);
                *reading = reading.with(place, old, new);
            }
        }
        readings
    }

    /// Whether each constraint reading a changed cell holds after `edit`.
    fn after(&self, edit: &Edit) -> BTreeMap<usize, bool> {
        self.readings_after(edit)
            .into_iter()
            .map(|(k, r)| (k, self.constraints[k].holds(r)))
            .collect()
    }

    pub fn misreading(&self, edit: &Edit) -> Option<Misreading> {
        match edit {
            Edit::Set(cell, figure) => misreading::classify(self.value(*cell), *figure),
            Edit::Swap(..) => Some(Misreading::SwappedCells),
        }
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

fn unique(cells: impl Iterator<Item = CellId>) -> Vec<CellId> {
    let mut seen = BTreeSet::new();
    cells.filter(|c| seen.insert(*c)).collect()
}
