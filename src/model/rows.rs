//! A table's rows as cells, produced one row at a time from the content and the table's
//! layout: what the HTML (and any other writer) prints for each cell.

use super::ids::{label_cell_id, label_header_id, number_cell_id, number_header_id};
use super::spans::Span;
use super::view::{MarkModel, RowLayout, TableModel};
use crate::config::DigitStyle;
use crate::content::{Cell, ColumnRef, ColumnType, Row, Table};
use crate::content::{ColumnKey, RowRef};
use crate::numfmt::{localize_digits, push_number, push_percent};
use std::borrow::Cow;

/// One row of a table as printed.
pub struct RowView<'a> {
    pub anchor: &'a str,
    /// How corrections, discrepancies and findings name the row.
    pub reference: &'a RowRef,
    /// A full-width sub-heading row instead of data.
    pub heading: Option<&'a str>,
    pub subtotal: bool,
    pub flagged: bool,
    pub cells: Vec<CellView<'a>>,
}

/// One cell as printed.
pub struct CellView<'a> {
    /// Row numbers and labels are row headers.
    pub header: bool,
    pub id: Option<String>,
    pub headers: String,
    pub rowspan: usize,
    pub colspan: usize,
    /// `integer`, `decimal`, `percent`, `text`, `list`, `no` (a row number), `label`.
    pub ty: &'static str,
    pub content: CellContent<'a>,
    pub mark: Option<MarkModel>,
    pub flagged: bool,
    /// The value column the cell is in (`None` for a row's number and label cells).
    pub column: Option<&'a ColumnKey>,
}

pub enum CellContent<'a> {
    /// Numbers in the site's digits and separators, text as printed.
    Text(Cow<'a, str>),
    List(&'a [String]),
}

/// A run of rows of a table: its body, or its totals row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Body,
    Foot,
}

impl TableModel {
    /// Calls `each` with every row of `part` of `table` (the content this model was built
    /// from), one at a time; the layout is computed here, so a model never holds it.
    pub fn for_each_row<'a>(
        &'a self,
        table: &'a Table,
        part: Part,
        digits: DigitStyle,
        mut each: impl FnMut(RowView),
    ) {
        let (rows, layout): (Vec<&Row>, RowLayout) = match part {
            Part::Body => (
                table.rows.iter().map(|r| r.get_ref()).collect(),
                RowLayout::body(table),
            ),
            Part::Foot => (
                table.total.iter().map(|r| r.get_ref()).collect(),
                RowLayout::foot(table),
            ),
        };
        let builder = RowBuilder {
            model: self,
            table,
            layout: &layout,
            digits,
        };
        for (i, row) in rows.into_iter().enumerate() {
            each(builder.row(row, i));
        }
    }
}

struct RowBuilder<'l> {
    model: &'l TableModel,
    table: &'l Table,
    layout: &'l RowLayout,
    digits: DigitStyle,
}

impl<'l> RowBuilder<'l> {
    fn row(&self, row: &'l Row, index: usize) -> RowView<'l> {
        let anchor = self.layout.anchors[index].as_str();
        let reference = &self.layout.refs[index];
        let mut cells = Vec::with_capacity(row.values.len() + row.label.len() + 1);
        if row.heading().is_none() {
            let row_headers = self.label_cells(row, index, &mut cells);
            for (i, (column, cell)) in self.table.columns.iter().zip(&row.values).enumerate() {
                let mut headers = self.model.column_headers[i].clone();
                for id in &row_headers {
                    headers.push(' ');
                    headers.push_str(id);
                }
                cells.push(CellView {
                    header: false,
                    id: None,
                    headers,
                    rowspan: 1,
                    colspan: 1,
                    ty: cell_type(column.ty, cell),
                    content: cell_content(column.ty, cell, self.digits),
                    mark: self.mark(row.marks().get(&ColumnRef::Key(column.key.clone()))),
                    flagged: self.model.flags.cell(reference, &column.key),
                    column: Some(&column.key),
                });
            }
        } else if let Some(no) = row.no() {
            cells.push(self.number_cell(no, anchor, 1));
        }
        RowView {
            anchor,
            reference,
            heading: row.heading(),
            subtotal: row.subtotal(),
            flagged: self.model.flags.row(reference),
            cells,
        }
    }

    fn mark(&self, marker: Option<&String>) -> Option<MarkModel> {
        let marker = marker?;
        let index = self
            .table
            .footnotes
            .iter()
            .position(|f| &f.marker == marker)?;
        Some(MarkModel {
            marker: marker.clone(),
            target: self.model.footnotes[index].id.clone(),
        })
    }

    fn number_cell(&self, no: &str, anchor: &str, rowspan: usize) -> CellView<'l> {
        CellView {
            header: true,
            id: Some(number_cell_id(anchor)),
            headers: number_header_id(&self.table.id),
            rowspan,
            colspan: 1,
            ty: "no",
            content: CellContent::Text(Cow::Owned(localize_digits(no, self.digits))),
            mark: None,
            flagged: false,
            column: None,
        }
    }

    /// The row's number and label cells; returns the ids of the row headers its values belong to.
    fn label_cells(
        &self,
        row: &'l Row,
        index: usize,
        cells: &mut Vec<CellView<'l>>,
    ) -> Vec<String> {
        let spans = &self.layout.spans;
        let anchor = self.layout.anchors[index].as_str();
        if self.table.has_number_column() {
            match (spans.number[index], row.no()) {
                (Span::Start(n), Some(no)) => cells.push(self.number_cell(no, anchor, n)),
                // an empty header cell names nothing: a data cell holds the space
                (Span::Start(n), None) => cells.push(CellView {
                    header: false,
                    id: None,
                    content: CellContent::Text(Cow::Borrowed("")),
                    ..self.number_cell("", anchor, n)
                }),
                _ => {}
            }
        }
        let mut row_headers = Vec::new();
        for level in 0..self.table.label_headers.len() {
            match spans.labels[index][level] {
                // an empty label names no row: a data cell keeps its place
                Span::Start(n) if row.label[level].is_empty() => cells.push(CellView {
                    header: false,
                    id: None,
                    headers: label_header_id(self.table, level),
                    rowspan: n,
                    colspan: spans.colspans[index][level],
                    ty: if level == 0 { "label" } else { "label sub" },
                    content: CellContent::Text(Cow::Borrowed("")),
                    mark: None,
                    flagged: false,
                    column: None,
                }),
                Span::Start(n) => {
                    let id = label_cell_id(anchor, level);
                    let mark = row
                        .marks()
                        .get(&ColumnRef::Label)
                        .filter(|_| level == row.last_label_level());
                    cells.push(CellView {
                        header: true,
                        id: Some(id.clone()),
                        headers: label_header_id(self.table, level),
                        rowspan: n,
                        colspan: spans.colspans[index][level],
                        // the outermost label stays in view while numbers scroll
                        ty: if level == 0 { "label" } else { "label sub" },
                        content: CellContent::Text(Cow::Borrowed(&row.label[level])),
                        mark: self.mark(mark),
                        flagged: false,
                        column: None,
                    });
                    row_headers.push(id);
                }
                Span::Covered(origin) => {
                    row_headers.push(label_cell_id(&self.layout.anchors[origin], level))
                }
                Span::Widened => {}
            }
        }
        row_headers
    }
}

impl RowLayout {
    fn body(table: &Table) -> RowLayout {
        let refs = table.row_refs();
        let rows: Vec<&Row> = table.rows.iter().map(|r| r.get_ref()).collect();
        RowLayout::of(table, refs, &rows)
    }

    fn foot(table: &Table) -> RowLayout {
        let rows: Vec<&Row> = table.total.iter().map(|r| r.get_ref()).collect();
        let refs = rows.iter().map(|_| RowRef::Total).collect();
        RowLayout::of(table, refs, &rows)
    }

    fn of(table: &Table, refs: Vec<RowRef>, rows: &[&Row]) -> RowLayout {
        RowLayout {
            anchors: refs
                .iter()
                .map(|r| super::ids::row_anchor(&table.id, r))
                .collect(),
            spans: super::spans::LabelSpans::compute(rows, table.label_headers.len()),
            refs,
        }
    }
}

fn cell_type(ty: ColumnType, cell: &Cell) -> &'static str {
    match (ty, cell) {
        (_, Cell::Text(_)) => "text",
        (_, Cell::List(_)) => "list",
        (ColumnType::Percent, _) => "percent",
        (ColumnType::Decimal, _) | (_, Cell::Decimal(_)) => "decimal",
        _ => "integer",
    }
}

/// A value cell as the page prints it.
pub fn cell_content(ty: ColumnType, cell: &Cell, digits: DigitStyle) -> CellContent<'_> {
    match cell {
        Cell::Integer(_) | Cell::Decimal(_) => {
            let mut text = String::with_capacity(24);
            push_cell_text(&mut text, ty, cell, digits);
            CellContent::Text(Cow::Owned(text))
        }
        Cell::Text(t) => CellContent::Text(Cow::Borrowed(t)),
        Cell::List(items) => CellContent::List(items),
    }
}

/// A value cell's text as the page prints it, written onto `out`; a list's items joined by
/// `، ` (what search results show).
pub fn push_cell_text(out: &mut String, ty: ColumnType, cell: &Cell, digits: DigitStyle) {
    let number = || cell.as_number().unwrap_or_default();
    match (ty, cell) {
        (ColumnType::Percent, Cell::Integer(_) | Cell::Decimal(_)) => {
            push_percent(out, number(), digits)
        }
        (_, Cell::Integer(_) | Cell::Decimal(_)) => push_number(out, number(), None, digits),
        (_, Cell::Text(t)) => out.push_str(t),
        (_, Cell::List(items)) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str("، ");
                }
                out.push_str(item);
            }
        }
    }
}
