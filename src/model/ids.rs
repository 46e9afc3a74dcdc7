//! The id scheme of a table's HTML: anchors of rows, header cells and footnotes. Links from the
//! review page, the charts and (later) search results point at these, so they are stable.

use super::spans::runs;
use crate::content::{Column, ColumnKey, RowRef, Table, TableId};

/// `T010` + `13` → `T010-13`; `#5` → `T010-p5`; the totals row → `T010-total`.
pub fn row_anchor(table: &TableId, row: &RowRef) -> String {
    let mut anchor = String::with_capacity(24);
    push_row_anchor(&mut anchor, table, row);
    anchor
}

/// [`row_anchor`] written onto `out`.
pub fn push_row_anchor(out: &mut String, table: &TableId, row: &RowRef) {
    out.push_str(table.as_str());
    match row {
        RowRef::Position(n) => {
            out.push_str("-p");
            out.push_str(itoa::Buffer::new().format(*n));
        }
        RowRef::Total => out.push_str("-total"),
        RowRef::No(no) => {
            out.push('-');
            let safe = |c: char| match c {
                c if c.is_ascii_alphanumeric() || c == '-' => c,
                _ => '_',
            };
            out.extend(no.chars().map(safe));
        }
    }
}

/// The `<article>` of a section: `section-summary`.
pub fn section_anchor(slug: &str) -> String {
    format!("section-{slug}")
}

pub fn footnote_id(table: &TableId, index: usize) -> String {
    format!("{table}-fn{}", index + 1)
}

pub fn caption_id(table: &TableId) -> String {
    format!("{table}-caption")
}

/// The label of a table's list of downloads.
pub fn downloads_id(table: &TableId) -> String {
    format!("{table}-downloads")
}

pub fn number_header_id(table: &TableId) -> String {
    format!("{table}-c-no")
}

/// The header cell of a value column.
pub fn leaf_id(table: &TableId, column: &Column) -> String {
    format!("{table}-c-{}", column.key)
}

/// A group header cell, named after its level and its first column.
pub fn group_id(table: &TableId, level: usize, first_column: usize) -> String {
    format!("{table}-g{level}-{first_column}")
}

/// The header cell over label `level`: equal adjacent label headers share one cell, named
/// after the first level it covers.
pub fn label_header_id(table: &Table, level: usize) -> String {
    let start = runs(&table.label_headers, |a, b| a == b)
        .into_iter()
        .find(|&(start, len)| level >= start && level < start + len)
        .map_or(level, |(start, _)| start);
    format!("{}-c-label{start}", table.id)
}

/// A row's number cell and its label cells.
pub fn number_cell_id(anchor: &str) -> String {
    format!("{anchor}-no")
}

pub fn label_cell_id(anchor: &str, level: usize) -> String {
    format!("{anchor}-l{level}")
}

/// A value cell: only the reviewer view names them, to link findings to their cells.
pub fn value_cell_id(anchor: &str, key: &ColumnKey) -> String {
    format!("{anchor}-c-{key}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id() -> TableId {
        TableId::try_from("T010".to_string()).unwrap()
    }

    #[test]
    fn row_anchors_follow_the_documented_scheme() {
        let no = |n: &str| RowRef::try_from(n.to_string()).unwrap();
        assert_eq!(row_anchor(&id(), &no("13")), "T010-13");
        assert_eq!(row_anchor(&id(), &no("#5")), "T010-p5");
        assert_eq!(row_anchor(&id(), &no("total")), "T010-total");
        assert_eq!(row_anchor(&id(), &no("2.1")), "T010-2_1");
        assert_eq!(footnote_id(&id(), 0), "T010-fn1");
        assert_eq!(group_id(&id(), 1, 4), "T010-g1-4");
    }
}
