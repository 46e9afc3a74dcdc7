//! A change found by the explanation search, put in words: "plan 630 is probably 430 (a 4
//! misread as 6): then 658 ÷ 430 = 153% as stated, and it equals T010 row total column plan".

use super::explain::Search;
use super::links;
use super::relations::{CellId, Reading, Relation, one_decimal};
use crate::content::{ColumnType, RowRef};
use crate::diagnostics::{Agreement, CellChange, Misreading, Rule, Suggestion};
use crate::numfmt::plain;

/// A change of the figures: one cell set to a figure, or two cells' figures exchanged.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Edit {
    Set(CellId, f64),
    Swap(CellId, CellId),
}

impl Edit {
    /// The changed cells, in order.
    pub fn cells(&self) -> Vec<CellId> {
        match *self {
            Edit::Set(cell, _) => vec![cell],
            Edit::Swap(a, b) => vec![a.min(b), a.max(b)],
        }
    }

    /// Each changed cell with its new figure.
    pub fn changes(&self, search: &Search) -> Vec<(CellId, f64)> {
        match *self {
            Edit::Set(cell, figure) => vec![(cell, figure)],
            Edit::Swap(a, b) => vec![(a, search.value(b)), (b, search.value(a))],
        }
    }
}

/// The suggestion of `edit` for failing constraint `k`, which it and `fixed - 1` other failing
/// rules agree with; `ties` other changes would fit as well.
pub fn describe(search: &Search, k: usize, edit: &Edit, fixed: usize, ties: usize) -> Suggestion {
    let at = search.constraints[k].at();
    let changes = edit.changes(search);
    let changed: Vec<CellId> = changes.iter().map(|(c, _)| *c).collect();
    let misreading = search.misreading(edit);
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
    };
    let clauses: Vec<&str> = agrees.iter().map(|a| a.text.as_str()).collect();
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
                format!("{ratio}{}%", plain(stated))
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
        Misreading::SwappedCells => String::new(),
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
