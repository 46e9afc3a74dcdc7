//! A table as JSON: its columns with their types, roles and units; its rows with their
//! references (`12`, `#5`, as corrections name them) and values keyed by column; the totals row;
//! and everything printed about it (caption, page, footnotes, corrections, discrepancies).

use super::TableContext;
use crate::content::flat::RowKind;
use crate::content::{
    Cell, CellCorrection, Column, ColumnRef, ColumnType, Discrepancy, Footnote, Role, Row, RowRef,
    Table,
};
use anyhow::{Context, Result};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use std::collections::BTreeMap;

#[derive(Serialize)]
struct TableJson<'a> {
    report: Report<'a>,
    id: &'a str,
    kind: &'static str,
    caption: &'a str,
    unit: Option<&'a str>,
    page: u32,
    section: SectionRef<'a>,
    headings: &'a [String],
    note: Option<&'a str>,
    /// Lines of the extracted source text, for reviewers.
    source: Option<&'a str>,
    number_header: &'a str,
    label_headers: &'a [String],
    columns: Vec<ColumnJson<'a>>,
    rows: Vec<RowJson<'a>>,
    total: Option<RowJson<'a>>,
    footnotes: &'a [Footnote],
    corrections: &'a [CellCorrection],
    discrepancies: &'a [Discrepancy],
}

/// The report the table is from (who published it is in the year's `datapackage.json`).
#[derive(Serialize)]
struct Report<'a> {
    year: u32,
    title: &'a str,
    organization: &'a str,
}

#[derive(Serialize)]
struct SectionRef<'a> {
    title: &'a str,
    page: u32,
}

#[derive(Serialize)]
struct ColumnJson<'a> {
    key: &'a str,
    label: &'a str,
    /// Outer header rows, outermost first (the CSV header joins them with « — »).
    group: &'a [String],
    #[serde(rename = "type")]
    ty: ColumnType,
    role: Option<Role>,
    unit: Option<&'a str>,
    footnote: Option<&'a str>,
}

#[derive(Serialize)]
struct RowJson<'a> {
    /// How corrections, discrepancies and links name the row.
    key: String,
    kind: &'static str,
    no: Option<&'a str>,
    label: &'a [String],
    /// Only on sub-heading rows.
    #[serde(skip_serializing_if = "Option::is_none")]
    heading: Option<&'a str>,
    values: Values<'a>,
    /// Footnote markers inside cells, by column key (`label` for the row label); only where
    /// there are some.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    marks: &'a BTreeMap<ColumnRef, String>,
}

/// A row's cells keyed by column, in the table's column order.
struct Values<'a> {
    columns: &'a [Column],
    cells: &'a [Cell],
}

impl Serialize for Values<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.cells.len()))?;
        for (column, cell) in self.columns.iter().zip(self.cells) {
            map.serialize_entry(column.key.as_str(), cell)?;
        }
        map.end()
    }
}

pub fn table_json(context: &TableContext, table: &Table) -> Result<Vec<u8>> {
    let meta = context.meta;
    let flat = table.flat_rows();
    let row = |i: usize| {
        let r = &flat[i];
        row_json(table, r.row, &r.reference, r.kind)
    };
    let body = table.rows.len();
    let document = TableJson {
        report: Report {
            year: meta.year,
            title: &meta.title,
            organization: &meta.organization,
        },
        id: table.id.as_str(),
        kind: table.kind.as_str(),
        caption: &table.caption,
        unit: table.unit.as_deref(),
        page: context.page(table),
        section: SectionRef {
            title: context.section_title,
            page: context.section_page,
        },
        headings: &table.headings,
        note: table.note.as_deref(),
        source: table.source.as_deref(),
        number_header: &table.number_header,
        label_headers: &table.label_headers,
        columns: table
            .columns
            .iter()
            .map(|c| ColumnJson {
                key: c.key.as_str(),
                label: &c.label,
                group: &c.group,
                ty: c.ty,
                role: c.role,
                unit: c.unit.as_deref(),
                footnote: c.footnote.as_deref(),
            })
            .collect(),
        rows: (0..body).map(row).collect(),
        total: table.total.as_ref().map(|_| row(body)),
        footnotes: &table.footnotes,
        corrections: &table.corrections,
        discrepancies: &table.discrepancies,
    };
    let mut bytes = serde_json::to_vec(&document)
        .with_context(|| format!("writing the JSON of table {}", table.id))?;
    bytes.push(b'\n');
    Ok(bytes)
}

fn row_json<'a>(table: &'a Table, row: &'a Row, reference: &RowRef, kind: RowKind) -> RowJson<'a> {
    RowJson {
        key: reference.to_string(),
        kind: match kind {
            RowKind::Data => "data",
            RowKind::Subtotal => "subtotal",
            RowKind::Total => "total",
            RowKind::Heading => "heading",
        },
        no: row.no_text(),
        label: &row.label,
        heading: row.heading(),
        values: Values {
            columns: &table.columns,
            cells: &row.values,
        },
        marks: row.marks(),
    }
}
