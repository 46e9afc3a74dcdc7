//! A table as an Excel workbook: a right-to-left sheet laid out as printed (multi-level headers
//! merged, header rows and label columns frozen, numbers typed with number formats, subtotals and
//! the totals row in bold) and a second sheet about the table (`notes`). The bytes depend on the
//! content only: the document date is fixed.

use super::TableContext;
use super::notes::notes_sheet;
use crate::content::flat::{
    FlatColumn, FlatColumnKind, FlatRow, FlatValue, RowKind, joined_list, looks_like_formula,
};
use crate::content::{Cell, ColumnType, Table};
use anyhow::{Context, Result};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
    XlsxError,
};

/// The band colour of the site's table headers and totals.
const BAND: u32 = 0xF3F5F7;
const MAX_WIDTH: usize = 60;

pub fn table_xlsx(context: &TableContext, table: &Table) -> Result<Vec<u8>> {
    let mut workbook = Workbook::new();
    workbook.set_properties(&properties(context, table)?);
    data_sheet(workbook.add_worksheet(), table)?;
    notes_sheet(workbook.add_worksheet(), context, table)?;
    // Level 3 writes a workbook a fifth smaller than level 1 (whose fixed Huffman codes suit
    // XML badly) and within 2% of the default 6 at two thirds of its cost. The year's package
    // stores the workbook as it is, rather than deflate it again.
    workbook
        .set_zip_compression_level(3)
        .save_to_buffer()
        .with_context(|| format!("writing the workbook of table {}", table.id))
}

/// The title, the publisher and a fixed date: the same content gives the same bytes. (The rest
/// is on the notes sheet; every byte counts 96 times in the year's package.)
fn properties(context: &TableContext, table: &Table) -> Result<DocProperties> {
    let epoch = ExcelDateTime::from_ymd(1980, 1, 1)?;
    Ok(DocProperties::new()
        .set_title(&table.caption)
        .set_author(&context.meta.publisher)
        .set_creation_datetime(&epoch))
}

/// How one column's cells look, in an ordinary row, a subtotal and the totals row.
struct ColumnFormats {
    plain: Format,
    bold: Format,
    total: Format,
}

impl ColumnFormats {
    fn new(base: Format) -> ColumnFormats {
        let bold = base.clone().set_bold();
        ColumnFormats {
            total: bold
                .clone()
                .set_background_color(Color::RGB(BAND))
                .set_border_top(FormatBorder::Medium),
            plain: base,
            bold,
        }
    }

    /// The format a cell of a `kind` row is written with: `None` for the column's own format,
    /// which data rows take from the column (looking a format up per cell is costly).
    fn for_row(&self, kind: RowKind) -> Option<&Format> {
        match kind {
            RowKind::Data => None,
            RowKind::Subtotal | RowKind::Heading => Some(&self.bold),
            RowKind::Total => Some(&self.total),
        }
    }
}

fn data_sheet(sheet: &mut Worksheet, table: &Table) -> Result<(), XlsxError> {
    // Excel's limit for a sheet name; ids are ASCII letters, digits, `_` and `-`, all allowed
    sheet.set_name(table.id.chars().take(31).collect::<String>())?;
    sheet.set_right_to_left(true);
    let columns = table.flat_columns();
    let depth = table.header_depth() as u32;
    header_rows(sheet, table, &columns)?;
    let formats: Vec<ColumnFormats> = columns
        .iter()
        .map(|c| ColumnFormats::new(cell_format(table, c.kind)))
        .collect();
    for (c, f) in formats.iter().enumerate() {
        sheet.set_column_format(c as u16, &f.plain)?;
    }
    let rows = table.flat_rows();
    for (i, row) in rows.iter().enumerate() {
        let r = depth + i as u32;
        if row.kind == RowKind::Heading {
            heading_row(sheet, table, &columns, &formats, row, r)?;
            continue;
        }
        for (c, column) in columns.iter().enumerate() {
            let value = table.flat_value(row, column.kind);
            write_value(
                sheet,
                (r, c as u16),
                column.kind,
                value,
                (&formats[c], row.kind),
            )?;
        }
    }
    let frozen_columns = columns
        .iter()
        .take_while(|c| matches!(c.kind, FlatColumnKind::No | FlatColumnKind::Label(_)))
        .count();
    sheet.set_freeze_panes(depth, frozen_columns as u16)?;
    for (c, column) in columns.iter().enumerate() {
        sheet.set_column_width(c as u16, column_width(table, &rows, column) as f64)?;
    }
    Ok(())
}

/// The header rows as printed: groups span their columns, other headers span down.
fn header_rows(
    sheet: &mut Worksheet,
    table: &Table,
    columns: &[FlatColumn],
) -> Result<(), XlsxError> {
    let format = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color(Color::RGB(BAND))
        .set_border(FormatBorder::Thin);
    let last = table.header_depth() as u32 - 1;
    let mut c = 0;
    while c < columns.len() {
        let column = &columns[c];
        // equal label headers are printed as one header over their levels
        let run = match column.kind {
            FlatColumnKind::Label(_) => columns[c..]
                .iter()
                .take_while(|o| matches!(o.kind, FlatColumnKind::Label(_)) && o.path == column.path)
                .count(),
            _ => 1,
        };
        let levels = column.path.len() as u32;
        for level in 0..levels.saturating_sub(1) {
            let span = group_span(columns, c, level as usize);
            if c == 0 || !same_group(&columns[c - 1], column, level as usize) {
                cell_or_merge(
                    sheet,
                    (level, c, level, c + span - 1),
                    column.path[level as usize],
                    &format,
                )?;
            }
        }
        let leaf = column.path[column.path.len() - 1];
        cell_or_merge(sheet, (levels - 1, c, last, c + run - 1), leaf, &format)?;
        c += run;
    }
    Ok(())
}

/// Columns from `start` that share its group path down to `level`.
fn group_span(columns: &[FlatColumn], start: usize, level: usize) -> usize {
    columns[start..]
        .iter()
        .take_while(|o| same_group(&columns[start], o, level))
        .count()
}

fn same_group(a: &FlatColumn, b: &FlatColumn, level: usize) -> bool {
    a.path.len() > level + 1 && b.path.len() > level + 1 && a.path[..=level] == b.path[..=level]
}

/// Writes `text` in one cell, or merged over (first row, first column, last row, last column).
fn cell_or_merge(
    sheet: &mut Worksheet,
    (r1, c1, r2, c2): (u32, usize, u32, usize),
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    if r1 == r2 && c1 == c2 {
        write_text(sheet, (r1, c1 as u16), text, format)
    } else if looks_like_formula(text) {
        sheet.merge_range(r1, c1 as u16, r2, c2 as u16, "", format)?;
        write_text(sheet, (r1, c1 as u16), text, format)
    } else {
        sheet.merge_range(
            r1,
            c1 as u16,
            r2,
            c2 as u16,
            within_cell_limit(text),
            format,
        )?;
        Ok(())
    }
}

/// A sub-heading row: its number, and its text across the label and value columns.
fn heading_row(
    sheet: &mut Worksheet,
    table: &Table,
    columns: &[FlatColumn],
    formats: &[ColumnFormats],
    row: &FlatRow,
    r: u32,
) -> Result<(), XlsxError> {
    let heading_column = table.heading_column();
    let first = columns.iter().position(|c| c.kind == heading_column);
    let last = columns.len().saturating_sub(2);
    for (c, column) in columns.iter().enumerate() {
        let format = &formats[c].bold;
        let value = table.flat_value(row, column.kind);
        match first {
            Some(first) if c == first && last > first => {
                let text = match value {
                    FlatValue::Text(t) => t,
                    _ => "",
                };
                cell_or_merge(sheet, (r, first, r, last), text, format)?;
            }
            Some(first) if c > first && c <= last => {}
            _ => write_value(
                sheet,
                (r, c as u16),
                column.kind,
                value,
                (&formats[c], RowKind::Heading),
            )?,
        }
    }
    Ok(())
}

fn write_value(
    sheet: &mut Worksheet,
    (r, c): (u32, u16),
    kind: FlatColumnKind,
    value: FlatValue,
    (formats, row): (&ColumnFormats, RowKind),
) -> Result<(), XlsxError> {
    let format = formats.for_row(row);
    let number = |sheet: &mut Worksheet, n: f64| match format {
        Some(f) => sheet.write_number_with_format(r, c, n, f).map(|_| ()),
        None => sheet.write_number(r, c, n).map(|_| ()),
    };
    match value {
        FlatValue::Empty => match format {
            Some(f) => sheet.write_blank(r, c, f).map(|_| ()),
            None => Ok(()),
        },
        FlatValue::Integer(i) => number(sheet, i as f64),
        FlatValue::Decimal(d) => number(sheet, d),
        FlatValue::Text(t) => match row_number(t) {
            Some(n) if kind == FlatColumnKind::No => number(sheet, n),
            _ => write_text(sheet, (r, c), t, format.unwrap_or(&formats.plain)),
        },
        FlatValue::List(items) => write_text(
            sheet,
            (r, c),
            &joined_list(items),
            format.unwrap_or(&formats.plain),
        ),
    }
}

/// A printed row number that is a plain whole number (`12`, not `1-3` or `012`) is written as a
/// number, so the sheet does not flag it as "a number stored as text".
fn row_number(text: &str) -> Option<f64> {
    let plain =
        !text.starts_with('0') && text.bytes().all(|b| b.is_ascii_digit()) && text.len() < 10;
    plain.then(|| text.parse().ok()).flatten()
}

/// Text as a string cell; text that would start a formula also gets Excel's quote prefix, so
/// editing the cell does not turn it into one.
fn write_text(
    sheet: &mut Worksheet,
    (r, c): (u32, u16),
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    let text = within_cell_limit(text);
    if looks_like_formula(text) {
        sheet.write_string_with_format(r, c, text, &format.clone().set_quote_prefix())?;
    } else {
        sheet.write_string_with_format(r, c, text, format)?;
    }
    Ok(())
}

/// Excel holds at most 32,767 characters in a cell; a longer text (none in a printed report)
/// is cut there in the workbook, and is whole in the CSV and JSON.
pub(super) fn within_cell_limit(text: &str) -> &str {
    const LIMIT: usize = 32_767;
    match text.char_indices().nth(LIMIT) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

/// A column's number format and alignment.
fn cell_format(table: &Table, kind: FlatColumnKind) -> Format {
    // no cell borders: the sheet's gridlines draw them, and every format counts in each file
    let base = Format::new().set_align(FormatAlign::Top);
    let FlatColumnKind::Value(index) = kind else {
        return match kind {
            FlatColumnKind::No => base.set_align(FormatAlign::Center),
            _ => base.set_text_wrap(),
        };
    };
    let column = &table.columns[index];
    let decimals = decimals_in(table, index);
    let fraction = if decimals == 0 {
        String::new()
    } else {
        format!(".{}", "0".repeat(decimals))
    };
    match column.ty {
        ColumnType::Integer | ColumnType::Decimal => {
            base.set_num_format(format!("#,##0{fraction}"))
        }
        ColumnType::Percent => base.set_num_format(format!("#,##0{fraction}\"٪\"")),
        ColumnType::Text | ColumnType::List => base.set_text_wrap(),
    }
}

/// The most digits after the point of any number in column `index` (at most 6).
fn decimals_in(table: &Table, index: usize) -> usize {
    table
        .rows
        .iter()
        .map(|r| r.get_ref())
        .chain(table.total.as_ref().map(|t| t.get_ref()))
        .filter_map(|r| match r.values.get(index) {
            Some(Cell::Decimal(d)) => d.to_string().split_once('.').map(|(_, f)| f.len()),
            _ => None,
        })
        .max()
        .unwrap_or(0)
        .min(6)
}

/// Wide enough for the longest header word and cell text, within limits.
fn column_width(table: &Table, rows: &[FlatRow], column: &FlatColumn) -> usize {
    let header = column
        .path
        .iter()
        .flat_map(|p| p.split_whitespace())
        .map(|w| w.chars().count())
        .max()
        .unwrap_or(0);
    let cells = rows
        .iter()
        .map(|row| match table.flat_value(row, column.kind) {
            FlatValue::Text(t) => t.chars().count(),
            FlatValue::List(items) => items.iter().map(|i| i.chars().count()).max().unwrap_or(0),
            FlatValue::Integer(i) => i.to_string().len() + 2,
            FlatValue::Decimal(d) => d.to_string().len() + 2,
            FlatValue::Empty => 0,
        })
        .max()
        .unwrap_or(0);
    (header + 2).max(cells + 1).clamp(6, MAX_WIDTH)
}
