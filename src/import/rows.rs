//! The sheet's rows matched to the table's (by number and label, the totals row included) and
//! their cells turned into content cells: numbers typed as text in Persian or Arabic-Indic
//! digits, with `٬` `٫` `,` separators or `٪`, become numbers, and each such conversion is listed.

use super::Problem;
use super::layout::{Layout, normalize};
use super::sheet::{Grid, SheetCell};
use crate::content::flat::{FlatColumnKind, FlatRow, RowKind, unneutralized};
use crate::content::{Cell, Column, ColumnType, Table};
use crate::numfmt::parse_localized;

/// The new cells of the table's rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// Per body row of the table, in its order; `None` for sub-heading rows (they hold no cells).
    pub rows: Vec<Option<Vec<Cell>>>,
    pub total: Option<Vec<Cell>>,
    /// Every text turned into a number, as `Sheet1!C7: «۱٬۲۳۴» → 1234`.
    pub conversions: Vec<String>,
}

/// One data row of the sheet, as matching needs it.
struct SheetRow {
    r: usize,
    no: Option<String>,
    label: Vec<String>,
    kind: Option<RowKind>,
}

pub fn read_rows(table: &Table, grid: &Grid, layout: &Layout) -> Result<Imported, Vec<Problem>> {
    let flat = table.flat_rows();
    let mut taken: Vec<Option<usize>> = vec![None; flat.len()];
    let mut problems = Vec::new();
    let mut values: Vec<Option<Vec<Cell>>> = vec![None; flat.len()];
    let mut conversions = Vec::new();
    for r in layout.header_rows..grid.cells.len() {
        if (0..grid.width()).all(|c| {
            layout.columns.get(c).copied().flatten().is_none() || grid.cell(r, c).is_empty()
        }) {
            continue;
        }
        let row = match sheet_row(grid, layout, r) {
            Ok(row) => row,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        let Some(i) = (0..flat.len())
            .find(|&i| taken[i].is_none() && matches(table, grid, layout, &flat[i], &row))
        else {
            problems.push(unknown_row(table, grid, &row));
            continue;
        };
        taken[i] = Some(r);
        if flat[i].kind != RowKind::Heading {
            let mut cells = Cells {
                grid,
                layout,
                conversions: &mut conversions,
                problems: &mut problems,
            };
            values[i] = Some(cells.read(table, r));
        }
    }
    unplaced(table, grid, layout, &flat, &taken, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    let total = table.total.as_ref().and_then(|_| values.pop().flatten());
    Ok(Imported {
        rows: values,
        total,
        conversions,
    })
}

/// What matching left over: one-row merges that turned out not to be sub-headings, and rows of
/// the table the sheet does not have.
fn unplaced(
    table: &Table,
    grid: &Grid,
    layout: &Layout,
    flat: &[FlatRow],
    taken: &[Option<usize>],
    problems: &mut Vec<Problem>,
) {
    for merge in &layout.heading_merges {
        let row = taken.iter().position(|t| *t == Some(merge.first.0));
        if !row.is_some_and(|i| flat[i].kind == RowKind::Heading) {
            problems.push(Problem::new(
                grid.range(merge),
                "a merged cell over value cells cannot be placed: only a sub-heading row of the table may span its columns",
            ));
        }
    }
    for (row, taken) in flat.iter().zip(taken) {
        if taken.is_none() && row.kind != RowKind::Heading {
            problems.push(Problem::new(
                grid.name.clone(),
                format!("the sheet has no row for {}", describe(table, row)),
            ));
        }
    }
}

fn sheet_row(grid: &Grid, layout: &Layout, r: usize) -> Result<SheetRow, Problem> {
    let text_at = |kind: FlatColumnKind| -> Result<Option<String>, Problem> {
        let Some(c) = layout.column_of(kind) else {
            return Ok(None);
        };
        match grid.cell(r, c).text() {
            Some(t) => Ok(Some(normalize(unneutralized(&t)))),
            None => Err(Problem::new(
                grid.address((r, c)),
                format!("{} cannot be a row number or label", shown(grid.cell(r, c))),
            )),
        }
    };
    let no = text_at(FlatColumnKind::No)?.filter(|t| !t.is_empty());
    let mut label = Vec::new();
    for kind in layout.columns.iter().flatten() {
        if let FlatColumnKind::Label(level) = *kind {
            if label.len() <= level {
                label.resize(level + 1, String::new());
            }
            label[level] = text_at(*kind)?.unwrap_or_default();
        }
    }
    while label.last().is_some_and(String::is_empty) {
        label.pop();
    }
    let kind = match text_at(FlatColumnKind::RowKind)? {
        None => None,
        Some(marker) => Some(RowKind::from_marker(&marker).ok_or_else(|| {
            Problem::new(
                grid.address((r, layout.column_of(FlatColumnKind::RowKind).unwrap_or(0))),
                format!("«{marker}» is not a row kind (leave it empty, or write «جمع جزء»، «جمع کل» or «عنوان»)"),
            )
        })?),
    };
    Ok(SheetRow { r, no, label, kind })
}

/// Whether the sheet row is the table's row `row`: same kind (when the sheet says), same
/// number (when the sheet has the column), same label (or, for a sub-heading, its text).
fn matches(table: &Table, grid: &Grid, layout: &Layout, row: &FlatRow, sheet: &SheetRow) -> bool {
    if sheet.kind.is_some_and(|k| k != row.kind) {
        return false;
    }
    if layout.has(FlatColumnKind::No) && sheet.no.as_deref() != row.row.no_text() {
        return false;
    }
    if let Some(heading) = row.row.heading() {
        let Some(c) = layout.column_of(table.heading_column()) else {
            return false;
        };
        let text = grid
            .cell(sheet.r, c)
            .text()
            .map(|t| normalize(&t))
            .unwrap_or_default();
        return text == normalize(heading);
    }
    if sheet.kind.is_none() && heading_like(table, grid, layout, sheet) {
        return false;
    }
    if layout.has_labels() {
        let mut label: Vec<String> = row.row.label.iter().map(|l| normalize(l)).collect();
        while label.last().is_some_and(String::is_empty) {
            label.pop();
        }
        return label == sheet.label;
    }
    layout.has(FlatColumnKind::No) || row.kind != RowKind::Heading
}

/// A row whose only text is in the heading column, where the table has a sub-heading of that
/// text: never taken for a data row.
fn heading_like(table: &Table, grid: &Grid, layout: &Layout, sheet: &SheetRow) -> bool {
    let Some(c) = layout.column_of(table.heading_column()) else {
        return false;
    };
    let text = grid
        .cell(sheet.r, c)
        .text()
        .map(|t| normalize(&t))
        .unwrap_or_default();
    table
        .rows
        .iter()
        .any(|r| r.get_ref().heading().is_some_and(|h| normalize(h) == text))
}

fn unknown_row(table: &Table, grid: &Grid, row: &SheetRow) -> Problem {
    let what = match (&row.no, row.label.is_empty()) {
        (Some(no), false) => format!("row {no} «{}»", row.label.join(" / ")),
        (Some(no), true) => format!("row {no}"),
        (None, false) => format!("row «{}»", row.label.join(" / ")),
        (None, true) => "this row".to_string(),
    };
    Problem::new(
        grid.address((row.r, 0)),
        format!(
            "{what} is not a row of table {} (or appears twice): the rows must be the table's, matched by number and label",
            table.id
        ),
    )
}

fn describe(table: &Table, row: &FlatRow) -> String {
    let label = row
        .row
        .label
        .iter()
        .filter(|l| !l.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" / ");
    match (row.row.no(), row.kind) {
        (_, RowKind::Total) => format!("the totals row «{label}» of table {}", table.id),
        (Some(no), _) => format!("row {no} «{label}» of table {}", table.id),
        (None, _) => format!("row «{label}» of table {}", table.id),
    }
}

/// What a cell holds, for messages.
fn shown(cell: &SheetCell) -> String {
    match cell {
        SheetCell::Bool(b) => format!("the logical value {b}"),
        SheetCell::Date(d) => format!(
            "a date ({d}; a spreadsheet may have turned a row number such as 1-3 into a date)"
        ),
        SheetCell::Error(e) => format!("the error value {e}"),
        SheetCell::FormulaWithoutValue(f) => format!(
            "the formula ={f}, which has no saved value (open the file in a spreadsheet, let it calculate and save it)"
        ),
        SheetCell::Number(n) | SheetCell::ExcelPercent(n) => format!("the number {n}"),
        SheetCell::Text(t) => format!("«{t}»"),
        SheetCell::Empty => "an empty cell".to_string(),
    }
}

/// Reads one row's value cells into content cells.
struct Cells<'a> {
    grid: &'a Grid,
    layout: &'a Layout,
    conversions: &'a mut Vec<String>,
    problems: &'a mut Vec<Problem>,
}

impl Cells<'_> {
    fn read(&mut self, table: &Table, r: usize) -> Vec<Cell> {
        table
            .columns
            .iter()
            .enumerate()
            .map(|(i, column)| {
                let c = self.layout.column_of(FlatColumnKind::Value(i)).unwrap_or(0);
                let at = self.grid.address((r, c));
                match convert(column, self.grid.cell(r, c), self.grid.neutralized) {
                    Ok((cell, None)) => cell,
                    Ok((cell, Some(note))) => {
                        self.conversions.push(format!("{at}: {note}"));
                        cell
                    }
                    Err(reason) => {
                        self.problems.push(Problem::new(at, reason));
                        Cell::text(String::new())
                    }
                }
            })
            .collect()
    }
}

/// A sheet cell as the content cell of `column`, with a note when text became a number.
fn convert(
    column: &Column,
    cell: &SheetCell,
    neutralized: bool,
) -> Result<(Cell, Option<String>), String> {
    let text = |t: &str| {
        if neutralized {
            unneutralized(t).to_string()
        } else {
            t.to_string()
        }
    };
    match (column.ty, cell) {
        (_, SheetCell::Empty) => Ok((Cell::text(String::new()), None)),
        (ColumnType::List, SheetCell::Text(t)) => {
            let items = text(t)
                .split('\n')
                .map(|i| i.trim_end_matches('\r').to_string())
                .collect();
            Ok((Cell::list(items), None))
        }
        (ColumnType::Text | ColumnType::List, SheetCell::Number(n)) => {
            let written = SheetCell::Number(*n).text().unwrap_or_default();
            let cell = if column.ty == ColumnType::List {
                Cell::list(vec![written.clone()])
            } else {
                Cell::text(written.clone())
            };
            Ok((
                cell,
                Some(format!(
                    "the number {n} kept as the text «{written}» (a text column)"
                )),
            ))
        }
        (ColumnType::Text, SheetCell::Text(t)) => Ok((Cell::text(text(t)), None)),
        (_, SheetCell::Number(n)) => Ok((number(*n), None)),
        (_, SheetCell::ExcelPercent(n)) => {
            let value = (n * 100.0 * 1e9).round() / 1e9;
            Ok((
                number(value),
                Some(format!(
                    "{value}% kept by the spreadsheet as {n} (a percent format) → {value}"
                )),
            ))
        }
        (_, SheetCell::Text(t)) => number_from_text(&text(t)),
        (_, other) => Err(format!(
            "{} is not a value a table cell can hold",
            shown(other)
        )),
    }
}

/// Text in a number column: a number written as text, or text as printed (`-`, `حسب درخواست`).
fn number_from_text(text: &str) -> Result<(Cell, Option<String>), String> {
    let plain = text.trim();
    if let Ok(i) = plain.parse::<i64>() {
        return Ok((Cell::Integer(i), None));
    }
    if let Some(value) = parse_localized(plain) {
        let cell = number(value);
        let shown = match &cell {
            Cell::Integer(i) => i.to_string(),
            _ => value.to_string(),
        };
        let note = (plain != shown).then(|| format!("«{text}» → {shown}"));
        return Ok((cell, note));
    }
    if looks_numeric(plain) {
        return Err(format!(
            "«{text}» is not a number: a number column holds numbers, or text as printed (such as «-», «حسب درخواست» or «۲ مورد»)"
        ));
    }
    Ok((Cell::text(text.to_string()), None))
}

/// Text with digits but no word of letters (`12O`, `1,23`, `۱۲/۵`): a mistyped number rather
/// than text as printed (`۲ مورد`), which has words.
fn looks_numeric(text: &str) -> bool {
    let digit =
        |c: char| c.is_ascii_digit() || ('۰'..='۹').contains(&c) || ('٠'..='٩').contains(&c);
    let word =
        |w: &str| w.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !w.chars().any(digit);
    text.chars().any(digit) && !text.split_whitespace().any(word)
}

/// Whole numbers are integers, as the content writes them.
fn number(value: f64) -> Cell {
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        Cell::Integer(value as i64)
    } else {
        Cell::Decimal(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(ty: ColumnType) -> Column {
        Column {
            key: crate::content::ColumnKey::try_from("k".to_string()).unwrap(),
            label: "k".into(),
            ty,
            role: None,
            group: vec![],
            unit: None,
            footnote: None,
            allow_negative: false,
        }
    }

    #[test]
    fn persian_digits_in_text_become_numbers_and_are_listed() {
        let c = column(ColumnType::Integer);
        let (cell, note) = convert(&c, &SheetCell::Text("۱٬۲۳۴".into()), false).unwrap();
        assert_eq!(cell, Cell::Integer(1234));
        assert_eq!(note.as_deref(), Some("«۱٬۲۳۴» → 1234"));
        let (cell, note) = convert(&c, &SheetCell::Text("1234".into()), true).unwrap();
        assert_eq!((cell, note), (Cell::Integer(1234), None));
        let p = column(ColumnType::Percent);
        let (cell, _) = convert(&p, &SheetCell::Text("۱۲٫۵٪".into()), false).unwrap();
        assert_eq!(cell, Cell::Decimal(12.5));
        let (cell, note) = convert(&p, &SheetCell::ExcelPercent(1.53), false).unwrap();
        assert_eq!(cell, Cell::Integer(153));
        assert!(note.unwrap().contains("1.53"));
    }

    #[test]
    fn printed_text_stays_and_text_with_digits_is_refused() {
        let c = column(ColumnType::Integer);
        for text in ["-", "حسب درخواست"] {
            let (cell, note) = convert(&c, &SheetCell::Text(text.into()), false).unwrap();
            assert_eq!((cell, note), (Cell::text(text), None));
        }
        assert!(
            convert(&c, &SheetCell::Text("12O".into()), false)
                .unwrap_err()
                .contains("not a number")
        );
        assert!(convert(&c, &SheetCell::Text("۱۲/۵".into()), false).is_err());
        let (cell, _) = convert(&c, &SheetCell::Text("۲ مورد".into()), false).unwrap();
        assert_eq!(cell, Cell::text("۲ مورد"));
        let t = column(ColumnType::Text);
        let (cell, note) = convert(&t, &SheetCell::Text("۱ فقره".into()), false).unwrap();
        assert_eq!((cell, note), (Cell::text("۱ فقره"), None));
        assert!(
            convert(&c, &SheetCell::FormulaWithoutValue("B2*2".into()), false)
                .unwrap_err()
                .contains("no saved value")
        );
        let l = column(ColumnType::List);
        let (cell, _) = convert(&l, &SheetCell::Text("a\r\nb".into()), false).unwrap();
        assert_eq!(cell, Cell::list(vec!["a".into(), "b".into()]));
    }
}
