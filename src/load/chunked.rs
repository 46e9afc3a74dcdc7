//! Big section files parsed piece by piece. The toml crate holds a whole document as a tree
//! of about 40 times the file's size before serde sees it; a generated 50 MB section would
//! need 2 GB. Cut at its `[[tables]]` headers and, inside a table, into slices of its `rows`
//! array, each piece is parsed alone (in parallel) and the positions put back, so memory stays
//! a small multiple of the file. Any piece that does not parse alone sends the whole file back
//! to the ordinary parser, whose error then names the true position.

use crate::content::{Row, SectionFile, Table};
use rayon::prelude::*;
use serde::Deserialize;
use std::ops::Range;
use toml::Spanned;

/// Files from this size on are parsed in pieces.
pub const CHUNKED_FROM: usize = 1 << 20;

/// Rows per slice of a `rows` array.
const SLICE_ROWS: usize = 2000;

const ROWS_OPEN: &str = "rows = [";

#[derive(Deserialize)]
struct TablesOnly {
    tables: Vec<Spanned<Table>>,
}

#[derive(Deserialize)]
struct RowsOnly {
    rows: Vec<Spanned<Row>>,
}

/// The section in `text`, parsed in pieces; `None` when the file is not laid out in the usual
/// way (or has an error), so the caller parses it whole.
pub fn parse(text: &str) -> Option<SectionFile> {
    parse_with(text, SLICE_ROWS)
}

fn parse_with(text: &str, slice_rows: usize) -> Option<SectionFile> {
    let starts = table_starts(text);
    let first = *starts.first()?;
    let mut section: SectionFile = toml::from_str(&text[..first]).ok()?;
    if !section.tables.is_empty() {
        return None;
    }
    let ends = starts.iter().skip(1).copied().chain([text.len()]);
    let chunks: Vec<Range<usize>> = starts
        .iter()
        .copied()
        .zip(ends)
        .map(|(s, e)| s..e)
        .collect();
    let tables: Option<Vec<Table>> = chunks
        .par_iter()
        .map(|chunk| parse_table(text, chunk.clone(), slice_rows))
        .collect();
    section.tables = tables?;
    Some(section)
}

/// Offsets of the lines that are exactly `[[tables]]`, outside multi-line strings.
fn table_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut in_multiline = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let quotes = line.matches("\"\"\"").count() + line.matches("'''").count();
        if !in_multiline && line.trim_end() == "[[tables]]" {
            starts.push(offset);
        }
        in_multiline ^= quotes % 2 == 1;
        offset += line.len();
    }
    starts
}

/// One table from its chunk of `text`: everything but its rows parsed at once, the rows in
/// slices, all positions relative to the whole file.
fn parse_table(text: &str, chunk: Range<usize>, slice_rows: usize) -> Option<Table> {
    let rows = rows_region(text, chunk.clone());
    // the rows are blanked out (same length, so every other position stays right)
    let masked: String = match &rows {
        Some(region) => {
            // one space per byte, not per character: the length must not change
            let blank: String = text.as_bytes()[region.clone()]
                .iter()
                .map(|&b| if b == b'\n' { '\n' } else { ' ' })
                .collect();
            [
                &text[chunk.start..region.start],
                &blank,
                &text[region.end..chunk.end],
            ]
            .concat()
        }
        None => text[chunk.clone()].to_string(),
    };
    let mut parsed: TablesOnly = toml::from_str(&masked).ok()?;
    if parsed.tables.len() != 1 {
        return None;
    }
    let spanned = parsed.tables.pop()?;
    let span = shift(spanned.span(), chunk.start);
    let mut table = spanned.into_inner();
    table.span = span;
    table.total = table
        .total
        .map(|t| Spanned::new(shift(t.span(), chunk.start), t.into_inner()));
    table.rows = table
        .rows
        .into_iter()
        .map(|r| Spanned::new(shift(r.span(), chunk.start), r.into_inner()))
        .collect();
    if let Some(region) = rows {
        if !table.rows.is_empty() {
            return None;
        }
        table.rows = parse_rows(text, region, slice_rows)?;
    }
    Some(table)
}

fn shift(span: Range<usize>, by: usize) -> Range<usize> {
    span.start + by..span.end + by
}

/// The lines between a `rows = [` line and the `]` line that closes it, in `chunk`.
fn rows_region(text: &str, chunk: Range<usize>) -> Option<Range<usize>> {
    let mut offset = chunk.start;
    let mut start = None;
    for line in text[chunk].split_inclusive('\n') {
        match start {
            None if line.trim_end() == ROWS_OPEN => start = Some(offset + line.len()),
            Some(s) if line.trim_end() == "]" => return Some(s..offset),
            _ => {}
        }
        offset += line.len();
    }
    None
}

/// The rows written in `region`, parsed in slices that each begin where a row begins.
fn parse_rows(text: &str, region: Range<usize>, slice_rows: usize) -> Option<Vec<Spanned<Row>>> {
    let slices = row_slices(text, region, slice_rows);
    let parsed: Option<Vec<Vec<Spanned<Row>>>> = slices
        .par_iter()
        .map(|slice| {
            let source = format!("{ROWS_OPEN}\n{}\n]\n", &text[slice.clone()]);
            let rows: RowsOnly = toml::from_str(&source).ok()?;
            let by = slice.start - (ROWS_OPEN.len() + 1);
            Some(
                rows.rows
                    .into_iter()
                    .map(|r| Spanned::new(shift(r.span(), by), r.into_inner()))
                    .collect(),
            )
        })
        .collect();
    Some(parsed?.into_iter().flatten().collect())
}

/// Cuts `region` at the starts of lines that begin a row (`{`), every `slice_rows` rows.
fn row_slices(text: &str, region: Range<usize>, slice_rows: usize) -> Vec<Range<usize>> {
    let mut slices = Vec::new();
    let (mut start, mut offset, mut rows) = (region.start, region.start, 0);
    for line in text[region.clone()].split_inclusive('\n') {
        if line.trim_start().starts_with('{') {
            if rows == slice_rows {
                slices.push(start..offset);
                start = offset;
                rows = 0;
            }
            rows += 1;
        }
        offset += line.len();
    }
    slices.push(start..region.end);
    slices
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::parse_toml;
    use std::path::Path;

    /// What a section parses to, with every position: equal means the same content.
    fn fingerprint(section: &SectionFile) -> String {
        let mut out = serde_json::to_string(section).unwrap();
        for table in &section.tables {
            out.push_str(&format!("{:?}", table.span));
            for row in table.rows.iter().chain(table.total.iter()) {
                out.push_str(&format!("{:?}", row.span()));
            }
        }
        out
    }

    #[test]
    fn every_section_of_the_real_report_parses_the_same_in_pieces() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/1400");
        let mut compared = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|n| n == "year.toml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let whole: SectionFile = parse_toml(&path, &text).unwrap();
            if whole.tables.is_empty() {
                continue;
            }
            let pieces = parse_with(&text, 3)
                .unwrap_or_else(|| panic!("{} did not parse in pieces", path.display()));
            assert_eq!(
                fingerprint(&pieces),
                fingerprint(&whole),
                "{}",
                path.display()
            );
            compared += 1;
        }
        assert!(compared > 40, "{compared}");
    }

    #[test]
    fn a_file_that_does_not_parse_in_pieces_is_left_to_the_whole_parser() {
        let broken = "title = \"t\"\npage = 1\n\n[[tables]]\nid = \"T1\"\nkind = \"list\"\ncaption = \"c\"\ncolumns = []\nrows = [\n  { no = \"1\" values = [] },\n]\n";
        assert!(parse_with(broken, 1).is_none());
        let inline = "title = \"t\"\npage = 1\ntables = []\n\n[[tables]]\nid = \"T1\"\n";
        assert!(parse_with(inline, 1).is_none());
    }
}
