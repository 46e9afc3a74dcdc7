//! Where a table is in a sheet: how many header rows it has (one flattened row, as in the CSV,
//! or as many as the printed table, merged, as in the workbook), which sheet column is which
//! column of the table (matched by header text), and which merged cells can be placed.

use super::Problem;
use super::sheet::{Grid, Merge};
use crate::content::Table;
use crate::content::flat::{FlatColumn, FlatColumnKind, HEADER_SEPARATOR};
use unicode_normalization::UnicodeNormalization;

/// The table's place in the sheet.
#[derive(Debug, Clone)]
pub struct Layout {
    pub header_rows: usize,
    /// For each sheet column, the column of the flat grid it holds (`None`: an empty column).
    pub columns: Vec<Option<FlatColumnKind>>,
    /// Merged cells in data rows, each spanning one row from the heading column: they can only
    /// be a sub-heading row, which the rows check.
    pub heading_merges: Vec<Merge>,
}

impl Layout {
    pub fn has(&self, kind: FlatColumnKind) -> bool {
        self.column_of(kind).is_some()
    }

    pub fn column_of(&self, kind: FlatColumnKind) -> Option<usize> {
        self.columns.iter().position(|c| *c == Some(kind))
    }

    pub fn has_labels(&self) -> bool {
        self.columns
            .iter()
            .any(|c| matches!(c, Some(FlatColumnKind::Label(_))))
    }
}

/// Text as headers and labels are compared: NFC, Persian ی/ک, ASCII digits, no zero-width
/// non-joiners or bidi marks, single spaces.
pub fn normalize(text: &str) -> String {
    let mapped: String = text
        .nfc()
        .filter(|c| {
            !matches!(
                c,
                '\u{200C}' | '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{feff}'
            )
        })
        .map(|c| match c {
            'ي' | 'ى' => 'ی',
            'ك' => 'ک',
            '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
            '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
            other => other,
        })
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Finds the table in `grid`, filling merged header and label cells in; every problem found
/// when none of the header depths fits.
pub fn find(table: &Table, grid: &mut Grid) -> Result<Layout, Vec<Problem>> {
    let depth = table.header_depth();
    let mut best: Option<Vec<Problem>> = None;
    for rows in [depth, 1].into_iter().take(if depth == 1 { 1 } else { 2 }) {
        let mut filled = grid.clone();
        match try_depth(table, &mut filled, rows) {
            Ok(layout) => {
                *grid = filled;
                return Ok(layout);
            }
            Err(problems) => {
                if best.as_ref().is_none_or(|b| problems.len() < b.len()) {
                    best = Some(problems);
                }
            }
        }
    }
    Err(best.unwrap_or_default())
}

fn try_depth(table: &Table, grid: &mut Grid, header_rows: usize) -> Result<Layout, Vec<Problem>> {
    let mut problems = Vec::new();
    for merge in &grid.merges {
        if merge.first.0 < header_rows && merge.last.0 >= header_rows {
            problems.push(Problem::new(
                grid.range(merge),
                "a merged cell across the header and the rows below it cannot be placed: unmerge it",
            ));
        }
    }
    fill_merges(grid, |m| m.last.0 < header_rows);
    let flat = table.flat_columns();
    let mut columns: Vec<Option<FlatColumnKind>> = vec![None; grid.width()];
    for (c, column) in columns.iter_mut().enumerate() {
        let path = header_path(grid, header_rows, c);
        if path.is_empty() {
            continue;
        }
        match match_column(table, &flat, &path) {
            Some(kind) => *column = Some(kind),
            None => problems.push(Problem::new(
                grid.address((header_rows - 1, c)),
                format!(
                    "header «{}» is not a column of table {} (its columns: {})",
                    path.join(HEADER_SEPARATOR),
                    table.id,
                    flat.iter()
                        .map(|f| format!("«{}»", f.header))
                        .collect::<Vec<_>>()
                        .join("، ")
                ),
            )),
        }
    }
    check_columns(table, grid, &flat, &mut columns, header_rows, &mut problems);
    let heading_merges = data_merges(table, grid, &columns, header_rows, &mut problems);
    if problems.is_empty() {
        Ok(Layout {
            header_rows,
            columns,
            heading_merges,
        })
    } else {
        Err(problems)
    }
}

/// Copies the text of each merged range that `placeable` accepts into every cell it covers.
fn fill_merges(grid: &mut Grid, placeable: impl Fn(&Merge) -> bool) {
    let merges: Vec<Merge> = grid
        .merges
        .iter()
        .copied()
        .filter(|m| placeable(m))
        .collect();
    for merge in merges {
        let value = grid.cell(merge.first.0, merge.first.1).clone();
        for r in merge.first.0..=merge.last.0 {
            for c in merge.first.1..=merge.last.1 {
                if let Some(cell) = grid.cells.get_mut(r).and_then(|row| row.get_mut(c)) {
                    *cell = value.clone();
                }
            }
        }
    }
}

/// A column's header texts from the top, repeats (a header merged down) once.
fn header_path(grid: &Grid, rows: usize, c: usize) -> Vec<String> {
    let mut path: Vec<String> = Vec::new();
    for r in 0..rows {
        let text = grid
            .cell(r, c)
            .text()
            .map(|t| normalize(&t))
            .unwrap_or_default();
        if !text.is_empty() && path.last() != Some(&text) {
            path.push(text);
        }
    }
    path
}

/// The column of the flat grid whose header is `path`: the whole path, the one-row flattened
/// header, or (when no other value column shares it) the leaf label alone.
fn match_column(table: &Table, flat: &[FlatColumn], path: &[String]) -> Option<FlatColumnKind> {
    let joined = path.join(HEADER_SEPARATOR);
    let exact = flat.iter().find(|f| {
        normalize(&f.header) == joined || normalize(&f.path.join(HEADER_SEPARATOR)) == joined
    });
    if let Some(f) = exact {
        return Some(f.kind);
    }
    let leaves: Vec<&FlatColumn> = flat
        .iter()
        .filter(|f| matches!(f.kind, FlatColumnKind::Value(_)))
        .filter(|f| f.path.last().is_some_and(|l| normalize(l) == joined))
        .collect();
    match leaves.as_slice() {
        [only] => Some(only.kind),
        _ => table
            .label_headers
            .iter()
            .position(|h| normalize(h) == joined)
            .map(FlatColumnKind::Label),
    }
}

/// Every value and label column once; label levels under one printed header in order.
fn check_columns(
    table: &Table,
    grid: &Grid,
    flat: &[FlatColumn],
    columns: &mut [Option<FlatColumnKind>],
    header_rows: usize,
    problems: &mut Vec<Problem>,
) {
    assign_repeated_labels(table, columns);
    for (c, kind) in columns.iter().enumerate() {
        let Some(kind) = kind else { continue };
        if columns[..c].contains(&Some(*kind)) {
            let header = flat
                .iter()
                .find(|f| f.kind == *kind)
                .map(|f| f.header.clone())
                .unwrap_or_default();
            problems.push(second_column(table, grid, header_rows, c, &header));
        }
    }
    for f in flat {
        let required = matches!(f.kind, FlatColumnKind::Value(_) | FlatColumnKind::Label(_));
        if required && !columns.contains(&Some(f.kind)) {
            problems.push(Problem::new(
                grid.name.clone(),
                format!(
                    "the sheet has no column «{}» of table {}",
                    f.header, table.id
                ),
            ));
        }
    }
}

/// A column whose header another column already has; a merged header that spans too many
/// columns is named as the cause.
fn second_column(
    table: &Table,
    grid: &Grid,
    header_rows: usize,
    c: usize,
    header: &str,
) -> Problem {
    let merged = grid.merges.iter().find(|m| {
        m.first.0 < header_rows && m.first.1 != m.last.1 && (m.first.1..=m.last.1).contains(&c)
    });
    match merged {
        Some(m) => Problem::new(
            grid.range(m),
            format!(
                "the merged header «{}» spans {} columns, which gives a second column «{header}» (table {} has one)",
                grid.cell(m.first.0, m.first.1).text().unwrap_or_default(),
                m.last.1 - m.first.1 + 1,
                table.id
            ),
        ),
        None => Problem::new(
            grid.address((header_rows - 1, c)),
            format!("a second column «{header}»"),
        ),
    }
}

/// Label levels printed under one header (`فعالیت` over two levels) take their levels in order.
fn assign_repeated_labels(table: &Table, columns: &mut [Option<FlatColumnKind>]) {
    for level in 0..table.label_headers.len() {
        let same: Vec<usize> = (0..table.label_headers.len())
            .filter(|&l| table.label_headers[l] == table.label_headers[level])
            .collect();
        if same.len() < 2 || same[0] != level {
            continue;
        }
        let mut next = same.iter();
        for column in columns.iter_mut() {
            if *column == Some(FlatColumnKind::Label(level))
                && let Some(&l) = next.next()
            {
                *column = Some(FlatColumnKind::Label(l));
            }
        }
    }
}

/// Places the merged cells below the header: label cells merged down or across are filled in,
/// a row number merged down belongs to its first row, a one-row merge from the heading column
/// may be a sub-heading row; any other merge over value cells is a problem.
fn data_merges(
    table: &Table,
    grid: &mut Grid,
    columns: &[Option<FlatColumnKind>],
    header_rows: usize,
    problems: &mut Vec<Problem>,
) -> Vec<Merge> {
    let kind = |c: usize| columns.get(c).copied().flatten();
    let all = |m: &Merge, f: &dyn Fn(Option<FlatColumnKind>) -> bool| {
        (m.first.1..=m.last.1).all(|c| f(kind(c)))
    };
    let mut headings = Vec::new();
    let mut labels = Vec::new();
    for merge in grid.merges.iter().filter(|m| m.first.0 >= header_rows) {
        let heading_start = kind(merge.first.1) == Some(table.heading_column());
        if all(merge, &|k| matches!(k, Some(FlatColumnKind::Label(_)))) {
            labels.push(*merge);
        } else if merge.first.1 == merge.last.1 && kind(merge.first.1) == Some(FlatColumnKind::No) {
            // the number belongs to the first row of the merge, as the page prints it
        } else if merge.first.0 == merge.last.0 && heading_start {
            headings.push(*merge);
        } else {
            problems.push(Problem::new(
                grid.range(merge),
                "a merged cell over value cells cannot be placed: unmerge it and write each value in its own cell",
            ));
        }
    }
    fill_merges(grid, |m| labels.contains(m));
    headings
}
