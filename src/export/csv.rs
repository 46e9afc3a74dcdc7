//! A table as CSV: UTF-8 with a byte-order mark (without it Excel reads Persian as mojibake),
//! RFC 4180 quoting and CRLF line ends, one header row, ASCII numbers, the flat grid of
//! [`crate::content::flat`]. Text that a spreadsheet would run as a formula is neutralized.

use crate::content::Table;
use crate::content::flat::{FlatValue, ascii_number, joined_list, neutralized};
use anyhow::{Context, Result};

const BOM: &[u8] = b"\xEF\xBB\xBF";

pub fn table_csv(table: &Table) -> Result<Vec<u8>> {
    let columns = table.flat_columns();
    let mut out = Vec::with_capacity(64 * (table.rows.len() + 2) * columns.len());
    out.extend_from_slice(BOM);
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    writer.write_record(columns.iter().map(|c| neutralized(&c.header).into_owned()))?;
    let mut record: Vec<String> = Vec::with_capacity(columns.len());
    for row in table.flat_rows() {
        record.clear();
        record.extend(
            columns
                .iter()
                .map(|c| csv_text(table.flat_value(&row, c.kind))),
        );
        writer.write_record(&record)?;
    }
    writer
        .into_inner()
        .map_err(|e| anyhow::anyhow!("{}", e.error()))
        .with_context(|| format!("writing the CSV of table {}", table.id))
}

fn csv_text(value: FlatValue) -> String {
    match value {
        FlatValue::Empty => String::new(),
        FlatValue::Text(t) => neutralized(t).into_owned(),
        FlatValue::List(items) => neutralized(&joined_list(items)).into_owned(),
        number => ascii_number(number).unwrap_or_default(),
    }
}
