//! A change found by the explanation search, put in words: "plan 630 is probably 430 (a 4
//! misread as 6): then 658 ÷ 430 = 153% as stated, and it equals T010 row total column plan".

use super::explain::Search;
use super::links;
use super::relations::{CellId, Reading, Relation, one_decimal};
use crate::content::{ColumnType, RowRef};
use crate::diagnostics::{Agreement, CellChange, Misreading, Rule, Suggestion};
use crate::numfmt::plain;

/// The clauses a suggestion's sentence lists before it counts the rest.
const CLAUSES: usize = 4;

/// A change of the figures: one cell set to a figure, two cells' figures exchanged, or the
/// figures of whole rows rotated among them (labels that went to the wrong rows).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Edit {
    Set(CellId, f64),
    Swap(CellId, CellId),
    Rotate(Rotation),
}

/// Rows of one table whose figures moved: row `rows[i]` gets those printed in `rows[i + 1]`
/// (the last, those of the first), in every column where they all hold numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rotation {
    pub table: u32,
    rows: [u32; MAX_ROTATION],
    len: usize,
}

/// The most rows a rotation moves.
pub const MAX_ROTATION: usize = 4;

impl Rotation {
    /// The rotation of `rows`, started at its first row in the table (a cycle read from any
    /// of its rows is the same rotation).
    pub fn new(table: u32, rows: &[u32]) -> Option<Rotation> {
        if !(2..=MAX_ROTATION).contains(&rows.len()) {
            return None;
        }
        let first = (0..rows.len()).min_by_key(|&i| rows[i]).unwrap_or(0);
        let mut fixed = [0; MAX_ROTATION];
        for (i, slot) in fixed.iter_mut().take(rows.len()).enumerate() {
            *slot = rows[(first + i) % rows.len()];
        }
        Some(Rotation {
            table,
            rows: fixed,
            len: rows.len(),
        })
    }

    pub fn rows(&self) -> &[u32] {
        &self.rows[..self.len]
    }

    /// Each changed cell with the figure it gets.
    fn changes(&self, search: &Search) -> Vec<(CellId, f64)> {
        let rows = self.rows();
        let columns = search.tables.at(self.table).table.columns.len();
        let mut out = Vec::new();
        for c in 0..columns {
            let cell = |r: u32| CellId::new(self.table, r as usize, c);
            if rows
                .iter()
                .any(|r| search.tables.number(cell(*r)).is_none())
            {
                continue;
            }
            for (i, r) in rows.iter().enumerate() {
                let from = rows[(i + 1) % rows.len()];
                out.push((cell(*r), search.value(cell(from))));
            }
        }
        out
    }
}

/// The cells an edit changes, with their figures: one or two without allocating (the search
/// tries thousands of edits), a rotation's many.
pub enum Changes {
    Few(std::iter::Flatten<std::array::IntoIter<Option<(CellId, f64)>, 2>>),
    Many(std::vec::IntoIter<(CellId, f64)>),
}

impl Iterator for Changes {
    type Item = (CellId, f64);

    fn next(&mut self) -> Option<(CellId, f64)> {
        match self {
            Changes::Few(few) => few.next(),
            Changes::Many(many) => many.next(),
        }
    }
}

impl Edit {
    /// The changed cells, in order.
    pub fn cells(&self, search: &Search) -> Vec<CellId> {
        let mut cells: Vec<CellId> = self.changes(search).map(|(c, _)| c).collect();
        cells.sort();
        cells
    }

    /// Each changed cell with its new figure.
    pub fn changes(&self, search: &Search) -> Changes {
        let pair = match *self {
            Edit::Set(cell, figure) => [Some((cell, figure)), None],
            Edit::Swap(a, b) => [Some((a, search.value(b))), Some((b, search.value(a)))],
            Edit::Rotate(rotation) => return Changes::Many(rotation.changes(search).into_iter()),
        };
        Changes::Few(pair.into_iter().flatten())
    }
}

/// The suggestion of `edit` for failing constraint `k`, which it and `fixed - 1` other failing
/// rules agree with; `ties` other changes would fit as well.
pub fn describe(
    search: &Search,
    k: usize,
    edit: &Edit,
    misreading: Option<Misreading>,
    fixed: usize,
    ties: usize,
) -> Suggestion {
    let at = search.constraints[k].at();
    let changes: Vec<(CellId, f64)> = edit.changes(search).collect();
    let changed: Vec<CellId> = changes.iter().map(|(c, _)| *c).collect();
    let mut agrees: Vec<Agreement> = search
        .readings_after(edit)
        .into_iter()
        .map(|(j, reading)| agreement(search, j, reading, &changed))
        .collect();
    // the rules that failed first, as a reader asks what the change repairs
    agrees.sort_by_key(|a| !a.resolved);
    let subject = match edit {
        Edit::Set(cell, figure) => format!(
            "{} {} is probably {}{}",
            relative_name(search, *cell, at),
            plain(search.value(*cell)),
            plain(*figure),
            misreading.map(words).unwrap_or_default()
        ),
        Edit::Swap(a, b) => format!(
            "{} {} and {} {} are probably exchanged",
            relative_name(search, *a, at),
            plain(search.value(*a)),
            relative_name(search, *b, at),
            plain(search.value(*b))
        ),
        Edit::Rotate(rotation) => rotated(search, rotation, at),
    };
    // what the change repairs, and how many rules that agreed still do
    let resolved: Vec<&str> = agrees
        .iter()
        .filter(|a| a.resolved)
        .map(|a| a.text.as_str())
        .collect();
    let others: Vec<&str> = agrees
        .iter()
        .filter(|a| !a.resolved)
        .map(|a| a.text.as_str())
        .collect();
    let mut clauses: Vec<String> = resolved
        .iter()
        .take(CLAUSES)
        .map(|c| c.to_string())
        .collect();
    let left = resolved.len().saturating_sub(CLAUSES);
    if left > 0 {
        clauses.push(format!("{left} more failing rule(s) agree"));
    }
    match others.len() {
        0 => {}
        n if n + clauses.len() <= CLAUSES => clauses.extend(others.iter().map(|c| c.to_string())),
        n => clauses.push(format!(
            "the {n} other rule(s) reading the changed cells still agree"
        )),
    }
    let clauses: Vec<&str> = clauses.iter().map(String::as_str).collect();
    let mut text = format!("{subject}: then {}", join(&clauses));
    if ties > 0 {
        text.push_str(&format!(
            " (one of {} changes that fit equally well)",
            ties + 1
        ));
    }
    Suggestion {
        changes: changes
            .iter()
            .map(|(cell, figure)| cell_change(search, *cell, *figure))
            .collect(),
        misreading,
        agrees,
        resolves: fixed,
        ties,
        text,
    }
}

fn cell_change(search: &Search, cell: CellId, figure: f64) -> CellChange {
    let table = search.tables.at(cell.table);
    let column = &table.table.columns[usize::from(cell.column)];
    CellChange {
        table: table.table.id.clone(),
        page: table.page,
        row: table.reference(cell.row as usize).clone(),
        column: column.key.clone(),
        printed: search.value(cell),
        probably: figure,
        percent: column.ty == ColumnType::Percent,
    }
}

/// A constraint reading a changed cell, as it holds after the change, named by the cell it is
/// reported at; a link by the figure the changed cell then equals.
fn agreement(search: &Search, k: usize, reading: Reading, changed: &[CellId]) -> Agreement {
    let constraint = &search.constraints[k];
    let at = constraint.at();
    let named = match constraint.relation {
        Relation::Equal { mine, theirs } if changed.contains(&mine) => theirs,
        _ => at,
    };
    let table = search.tables.at(named.table);
    Agreement {
        rule: constraint.rule,
        table: table.table.id.clone(),
        page: table.page,
        row: if named.row == u32::MAX {
            RowRef::Total
        } else {
            table.reference(named.row as usize).clone()
        },
        column: table.table.columns[usize::from(named.column)].key.clone(),
        resolved: !search.holds[k],
        text: clause(search, k, reading, changed.contains(&at), changed),
    }
}

/// What holds after the change, in words.
fn clause(
    search: &Search,
    k: usize,
    reading: Reading,
    stated_changed: bool,
    changed: &[CellId],
) -> String {
    let rule = search.constraints[k].rule;
    match reading {
        Reading::Ratio {
            stated,
            part,
            whole,
        } => {
            let exact = part / whole * 100.0;
            let ratio = format!("{} ÷ {} = ", plain(part), plain(whole));
            if stated_changed {
                let exact = if (exact - exact.round()).abs() < 0.05 {
                    plain(exact.round())
                } else {
                    one_decimal(exact)
                };
                format!("{ratio}{exact}%")
            } else if (exact.round() - stated).abs() < 1e-9 {
                format!("{ratio}{}% as stated", plain(stated))
            } else {
                format!(
                    "{ratio}{}% ({}% as stated)",
                    one_decimal(exact),
                    plain(stated)
                )
            }
        }
        Reading::Sum { stated, sum } => match (rule, stated_changed) {
            (Rule::PassFail, _) => format!("compliant + non-compliant = {}", plain(sum)),
            (Rule::Link, true) => format!(
                "it equals the sum of {} ({})",
                links::other_name(search.tables, &search.constraints[k]),
                plain(sum)
            ),
            (Rule::Link, false) => format!(
                "{} sum to {} as stated",
                links::other_name(search.tables, &search.constraints[k]),
                plain(stated)
            ),
            (Rule::Subtotal, true) => format!("its rows sum to {}", plain(sum)),
            (Rule::Subtotal, false) => format!("the subtotal {} adds up", plain(stated)),
            (Rule::RowTotal, true) => format!("its categories sum to {}", plain(sum)),
            (Rule::RowTotal, false) => format!("the row total {} adds up", plain(stated)),
            (_, true) => format!("the rows sum to {}", plain(sum)),
            (_, false) => format!("the total {} adds up", plain(stated)),
        },
        Reading::Hundred { sum } => format!("the shares sum to {}%", plain(sum)),
        Reading::Equal { mine, .. } => {
            let Relation::Equal { mine: m, theirs: t } = search.constraints[k].relation else {
                return String::new();
            };
            let other = if changed.contains(&m) { t } else { m };
            format!(
                "it equals {} ({})",
                links::cell_name(search.tables, other),
                plain(mine)
            )
        }
    }
}

/// "the figures printed in rows 21, 22, 20 probably belong to rows 20, 21, 22".
fn rotated(search: &Search, rotation: &Rotation, at: CellId) -> String {
    let table = search.tables.at(rotation.table);
    let rows = rotation.rows();
    let name = |r: u32| table.reference(r as usize).to_string();
    let printed: Vec<String> = (0..rows.len())
        .map(|i| name(rows[(i + 1) % rows.len()]))
        .collect();
    let belong: Vec<String> = rows.iter().map(|r| name(*r)).collect();
    let of = if rotation.table == at.table {
        String::new()
    } else {
        format!(" of {}", table.table.id)
    };
    format!(
        "the figures printed in rows {}{of} probably belong to rows {}",
        printed.join(", "),
        belong.join(", ")
    )
}

/// A cell named from where the finding is: its column in the same row, its row and column in
/// the same table, or its table too.
fn relative_name(search: &Search, cell: CellId, at: CellId) -> String {
    let table = search.tables.at(cell.table);
    let column = &table.table.columns[usize::from(cell.column)].key;
    if cell.table != at.table {
        return links::cell_name(search.tables, cell);
    }
    if cell.row == at.row {
        return column.to_string();
    }
    format!("row {} {column}", table.reference(cell.row as usize))
}

fn words(how: Misreading) -> String {
    match how {
        Misreading::Digit { printed, meant } => format!(" (a {meant} misread as {printed})"),
        Misreading::DroppedDigit => " (a digit dropped)".into(),
        Misreading::DoubledDigit => " (a digit doubled)".into(),
        Misreading::SwappedDigits => " (two digits swapped)".into(),
        Misreading::SwappedCells | Misreading::RotatedRows => String::new(),
    }
}

/// `a`, `a and b`, `a, b and c`.
fn join(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
