//! The workbook's second sheet: everything printed about a table besides its cells (caption,
//! unit, page, headings, note, footnotes and the markers placed in cells), the extraction
//! defects that were corrected (with what was printed) and the report's own inconsistencies
//! kept as printed.

use super::xlsx::within_cell_limit;
use super::{TableContext, column_name, row_name};
use crate::content::{ColumnRef, Table};
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

pub const NOTES_SHEET: &str = "درباره جدول";

pub fn notes_sheet(
    sheet: &mut Worksheet,
    context: &TableContext,
    table: &Table,
) -> Result<(), XlsxError> {
    sheet.set_name(NOTES_SHEET)?;
    sheet.set_right_to_left(true);
    let mut writer = Writer {
        sheet,
        row: 0,
        label: Format::new().set_bold().set_align(FormatAlign::Top),
        text: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        header: Format::new()
            .set_bold()
            .set_background_color(Color::RGB(0xF3F5F7))
            .set_border_bottom(FormatBorder::Thin),
    };
    about(&mut writer, context, table)?;
    lists(&mut writer, table)?;
    for (c, width) in [28.0, 60.0, 30.0, 70.0].into_iter().enumerate() {
        writer.sheet.set_column_width(c as u16, width)?;
    }
    Ok(())
}

struct Writer<'s> {
    sheet: &'s mut Worksheet,
    row: u32,
    label: Format,
    text: Format,
    header: Format,
}

impl Writer<'_> {
    /// A "name: value" line; nothing when there is no value.
    fn field(&mut self, name: &str, value: Option<&str>) -> Result<(), XlsxError> {
        let Some(value) = value.filter(|v| !v.is_empty()) else {
            return Ok(());
        };
        self.sheet
            .write_string_with_format(self.row, 0, name, &self.label)?;
        self.sheet
            .write_string_with_format(self.row, 1, within_cell_limit(value), &self.text)?;
        self.row += 1;
        Ok(())
    }

    fn number(&mut self, name: &str, value: u32) -> Result<(), XlsxError> {
        self.sheet
            .write_string_with_format(self.row, 0, name, &self.label)?;
        self.sheet.write_number_with_format(
            self.row,
            1,
            value,
            &self.text.clone().set_align(FormatAlign::Right),
        )?;
        self.row += 1;
        Ok(())
    }

    /// A titled block of rows under column headers; nothing when `rows` is empty.
    fn block(
        &mut self,
        title: &str,
        headers: &[&str],
        rows: Vec<Vec<String>>,
    ) -> Result<(), XlsxError> {
        if rows.is_empty() {
            return Ok(());
        }
        self.row += 1;
        self.sheet
            .write_string_with_format(self.row, 0, title, &self.label)?;
        self.row += 1;
        for (c, h) in headers.iter().enumerate() {
            self.sheet
                .write_string_with_format(self.row, c as u16, *h, &self.header)?;
        }
        self.row += 1;
        for cells in rows {
            for (c, text) in cells.iter().enumerate() {
                // text only, never a formula: the same neutral string cells as the data sheet
                self.sheet.write_string_with_format(
                    self.row,
                    c as u16,
                    within_cell_limit(text),
                    &quoted(&self.text, text),
                )?;
            }
            self.row += 1;
        }
        Ok(())
    }
}

fn quoted(format: &Format, text: &str) -> Format {
    if crate::content::flat::looks_like_formula(text) {
        format.clone().set_quote_prefix()
    } else {
        format.clone()
    }
}

fn about(w: &mut Writer, context: &TableContext, table: &Table) -> Result<(), XlsxError> {
    let meta = context.meta;
    w.field("جدول", Some(table.id.as_str()))?;
    w.field("عنوان جدول", Some(&table.caption))?;
    w.field("واحد", table.unit.as_deref())?;
    w.number("صفحه در گزارش چاپی", context.page(table))?;
    w.field("بخش", Some(context.section_title))?;
    w.field("عنوان‌های بالای جدول", Some(&table.headings.join(" › ")))?;
    w.field("یادداشت", table.note.as_deref())?;
    w.field("گزارش", Some(&meta.title))?;
    w.number("سال", meta.year)?;
    w.field("سازمان", Some(&meta.organization))?;
    w.field("تهیه‌کننده", Some(&meta.publisher))?;
    w.field("تاریخ انتشار", Some(&meta.published))?;
    w.field("سطرهای متن استخراج‌شده", table.source.as_deref())
}

fn lists(w: &mut Writer, table: &Table) -> Result<(), XlsxError> {
    w.block(
        "پانویس‌ها",
        &["نشانه", "متن"],
        table
            .footnotes
            .iter()
            .map(|f| vec![f.marker.clone(), f.text.clone()])
            .collect(),
    )?;
    w.block(
        "نشانه‌های پانویس در جدول",
        &["ردیف", "ستون", "نشانه"],
        marks(table),
    )?;
    corrections(w, table)
}

/// Where footnote markers are printed: in cells, and after column headers.
fn marks(table: &Table) -> Vec<Vec<String>> {
    let refs = table.row_refs();
    table
        .rows_at(&refs)
        .iter()
        .flat_map(|r| {
            r.row.marks().iter().map(|(column, marker)| {
                vec![
                    row_name(r.reference),
                    column_name(table, column),
                    marker.clone(),
                ]
            })
        })
        .chain(table.columns.iter().filter_map(|c| {
            let marker = c.footnote.clone()?;
            Some(vec![
                "سرستون".to_string(),
                column_name(table, &ColumnRef::Key(c.key.clone())),
                marker,
            ])
        }))
        .collect()
}

/// The corrected extraction defects and the report's own discrepancies.
fn corrections(w: &mut Writer, table: &Table) -> Result<(), XlsxError> {
    w.block(
        "اصلاح خطاهای استخراج متن",
        &["ردیف", "ستون", "چاپ‌شده", "دلیل"],
        table
            .corrections
            .iter()
            .map(|c| {
                vec![
                    c.row.as_ref().map(row_name).unwrap_or_default(),
                    c.column
                        .as_ref()
                        .map(|k| column_name(table, k))
                        .unwrap_or_default(),
                    c.printed.clone(),
                    c.reason.clone(),
                ]
            })
            .collect(),
    )?;
    w.block(
        "ناسازگاری‌های خود گزارش (ارقام همان‌گونه که چاپ شده‌اند)",
        &["ردیف", "ستون", "قاعده", "توضیح"],
        table
            .discrepancies
            .iter()
            .map(|d| {
                // no row: the column's header, or every row of it; no column: the caption
                vec![
                    d.row.as_ref().map(row_name).unwrap_or_default(),
                    d.column
                        .as_ref()
                        .map_or_else(|| "عنوان جدول".to_string(), |k| column_name(table, k)),
                    d.rule.name().to_string(),
                    d.note.clone(),
                ]
            })
            .collect(),
    )
}
