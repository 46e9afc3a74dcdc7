//! One table of the report as Typst: the headings above it, its caption, header rows, body
//! and totals row (cells, spans and texts exactly as the site's HTML has them, from
//! `TableModel::for_each_row`), the notes under it; and its charts.

use super::charts::{self, ChartFile, Placement};
use super::columns::{Orientation, Plan};
use super::markup::{Field, Markup, Origin};
use crate::config::DigitStyle;
use crate::content::Table;
use crate::model::rows::{CellContent, CellView, Part};
use crate::model::{MarkModel, TableModel};
use crate::numfmt::localize_digits;
use std::path::Path;

/// What a table is written with: its place in the content, its layout, the site's digits.
pub struct TableAt<'a> {
    pub file: &'a Path,
    /// The line of each body row and of the totals row in the file, when the text is held.
    pub lines: &'a dyn Fn(Part, usize) -> Option<usize>,
    pub heading_level: usize,
    pub label: String,
    pub plan: &'a Plan,
    pub digits: DigitStyle,
}

/// Writes `model` (whose content is `table`) with its notes.
pub fn write(m: &mut Markup, model: &TableModel, table: &Table, at: &TableAt) {
    let start = m.position();
    let origin = Origin {
        file: Some(at.file),
        table: Some(model.id.as_str()),
        ..Origin::default()
    };
    for h in &model.headings {
        let at_heading = Origin {
            field: Some(Field::Named("a heading above the table")),
            ..origin
        };
        m.code("#table-heading(")
            .text(&h.text, &at_heading)
            .code_fmt(format_args!(", {})\n", at.heading_level + h.level));
    }
    caption(m, model, at, &origin);
    header(m, model, &origin);
    m.code("  body: (\n");
    rows(m, model, table, Part::Body, at, &origin);
    m.code("  ),\n");
    if model.has_totals {
        m.code("  foot: (\n");
        rows(m, model, table, Part::Foot, at, &origin);
        m.code("  ),\n");
    }
    m.code(")\n");
    notes(m, model, &origin, at.digits);
    m.region(start, format!("table {}", model.id));
}

/// Writes the charts of `model` for pages of `orientation` (see `charts::page_for`); their
/// SVG files are added to `files`.
pub fn write_charts(
    m: &mut Markup,
    model: &TableModel,
    file: &Path,
    orientation: Orientation,
    files: &mut Vec<ChartFile>,
) {
    let start = m.position();
    let origin = Origin {
        file: Some(file),
        table: Some(model.id.as_str()),
        ..Origin::default()
    };
    let placement = (orientation, Placement::AfterTable);
    for chart in &model.charts {
        charts::write(m, chart, Some(model.id.as_str()), placement, &origin, files);
    }
    m.region(start, format!("the charts of table {}", model.id));
}

fn caption(m: &mut Markup, model: &TableModel, at: &TableAt, origin: &Origin) {
    let at_caption = Origin {
        field: Some(Field::Named("the caption")),
        ..*origin
    };
    m.code("#report-table(\n  caption: ")
        .text(&model.caption, &at_caption);
    if let Some(unit) = &model.unit {
        let at_unit = Origin {
            field: Some(Field::Named("the unit")),
            ..*origin
        };
        m.code(", unit: ").text(unit, &at_unit);
    }
    let page = localize_digits(&model.page.to_string(), at.digits);
    m.code(", meta: ")
        .text(
            &format!("جدول {}، صفحه {page} گزارش چاپی", model.id),
            origin,
        )
        .code_fmt(format_args!(", target: <{}>,\n", at.label))
        .code_fmt(format_args!("  size: {}pt,\n  columns: (", at.plan.size));
    for width in &at.plan.widths {
        m.code_fmt(format_args!("{width:.2}pt, "));
    }
    m.code("),\n");
}

fn header(m: &mut Markup, model: &TableModel, origin: &Origin) {
    m.code("  header: (\n");
    for row in &model.header_rows {
        m.code("    ");
        for cell in row {
            let at = Origin {
                field: Some(Field::Header { column: &cell.text }),
                ..*origin
            };
            m.code("hc(");
            body(m, &cell.text, cell.mark.as_ref(), &at);
            spans(m, cell.rowspan, cell.colspan);
            m.code("), ");
        }
        m.code("\n");
    }
    m.code("  ),\n");
}

fn spans(m: &mut Markup, rowspan: usize, colspan: usize) {
    if rowspan > 1 {
        m.code_fmt(format_args!(", rs: {rowspan}"));
    }
    if colspan > 1 {
        m.code_fmt(format_args!(", cs: {colspan}"));
    }
}

/// A cell's text, with its footnote marker raised after it.
fn body(m: &mut Markup, text: &str, mark: Option<&MarkModel>, origin: &Origin) {
    match mark {
        None => {
            m.text(text, origin);
        }
        Some(mark) => {
            m.code("[#").text(text, origin).code(";#super(");
            m.text(&mark.marker, origin).code(");]");
        }
    }
}

fn rows(
    m: &mut Markup,
    model: &TableModel,
    table: &Table,
    part: Part,
    at: &TableAt,
    origin: &Origin,
) {
    let mut index = 0;
    model.for_each_row(table, part, at.digits, |row| {
        let line = (at.lines)(part, index);
        let name = row_name(table, part, index);
        index += 1;
        let at_row = Origin { line, ..*origin };
        m.code("    ");
        match row.heading {
            Some(heading) => {
                for cell in &row.cells {
                    cell_code(m, cell, RowStyle::Plain, &name, None, &at_row);
                }
                let colspan = model.column_count.saturating_sub(row.cells.len());
                let at_heading = Origin {
                    field: Some(Field::RowLabel { row: &name }),
                    ..at_row
                };
                m.code("rh(")
                    .text(heading, &at_heading)
                    .code_fmt(format_args!(", cs: {colspan}), "));
            }
            None => {
                let style = match part {
                    Part::Foot => RowStyle::Totals,
                    Part::Body if row.subtotal => RowStyle::Subtotal,
                    Part::Body => RowStyle::Plain,
                };
                for cell in &row.cells {
                    let column = cell.column.and_then(|key| {
                        let found = table.columns.iter().find(|c| &c.key == key);
                        found.map(|c| c.label.as_str())
                    });
                    cell_code(m, cell, style, &name, column, &at_row);
                }
            }
        }
        m.code("\n");
    });
}

/// How a row is named in errors: its number as written (`5`, `2.1`), else its place (`#3`).
fn row_name(table: &Table, part: Part, index: usize) -> String {
    if part == Part::Foot {
        return "total".to_string();
    }
    match table.rows.get(index).and_then(|r| r.get_ref().no()) {
        Some(no) => no.to_string(),
        None => format!("#{}", index + 1),
    }
}

/// How a row's cells are set, as the site's `tr.subtotal` and `tfoot`.
#[derive(Debug, Clone, Copy)]
enum RowStyle {
    Plain,
    Subtotal,
    Totals,
}

/// A cell's Typst; `column` names a value cell's column in errors.
fn cell_code(
    m: &mut Markup,
    cell: &CellView,
    style: RowStyle,
    row: &str,
    column: Option<&str>,
    origin: &Origin,
) {
    let field = match column {
        Some(column) => Field::Cell { row, column },
        None => Field::RowLabel { row },
    };
    let at = Origin {
        field: Some(field),
        ..*origin
    };
    let function = match cell.ty {
        "no" => "rc",
        // the site marks labels below the outermost (`label sub`) only to style them
        "label" | "label sub" => "lc",
        "integer" | "decimal" | "percent" => "nc",
        _ => "tc",
    };
    m.code(function).code("(");
    match &cell.content {
        CellContent::Text(text) => body(m, text, cell.mark.as_ref(), &at),
        CellContent::List(items) => {
            m.code("items(");
            for item in *items {
                m.text(item, &at).code(", ");
            }
            m.code(")");
        }
    }
    match cell.ty {
        "no" => spans(m, cell.rowspan, 1),
        "label" | "label sub" => spans(m, cell.rowspan, cell.colspan),
        _ if cell.flagged => {
            m.code(", f: true");
        }
        _ => {}
    }
    m.code(match style {
        RowStyle::Plain => "), ",
        RowStyle::Subtotal => ", b: true), ",
        RowStyle::Totals => ", t: true), ",
    });
}

/// Footnotes, the note and the acknowledged discrepancies under the table.
fn notes(m: &mut Markup, model: &TableModel, origin: &Origin, digits: DigitStyle) {
    let any =
        !model.footnotes.is_empty() || model.note.is_some() || !model.discrepancies.is_empty();
    if !any {
        return;
    }
    let at = |name| Origin {
        field: Some(Field::Named(name)),
        ..*origin
    };
    m.code("#table-notes(footnotes: (");
    for f in &model.footnotes {
        m.code("(")
            .text(&f.marker, &at("a footnote"))
            .code(", ")
            .text(&f.text, &at("a footnote"))
            .code("), ");
    }
    m.code(")");
    if let Some(note) = &model.note {
        m.code(", note: ").text(note, &at("the note"));
    }
    if !model.discrepancies.is_empty() {
        m.code(", discrepancies-title: ")
            .own("ناسازگاری‌های خود گزارش (ارقام همان‌گونه که چاپ شده‌اند):");
        m.code(", discrepancies: (");
        for d in &model.discrepancies {
            let place = format!("{}: ", d.place(digits));
            m.code("[#")
                .text(&place, &at("a discrepancy"))
                .code(";#")
                .text(&d.note, &at("a discrepancy"))
                .code(";], ");
        }
        m.code(")");
    }
    m.code(")\n");
}
