//! A table as one flat grid: a column per row-number, label level and value column (headers
//! flattened from their groups, `اجباری — صدور`) plus a column that marks subtotals, the totals
//! row and sub-heading rows, and the rows in printed order with the totals row last. Every
//! download writes this grid and `import` reads it back, so the two cannot drift apart.

use super::{Cell, Row, RowRef, Table};
use std::borrow::Cow;

/// Between the levels of a flattened header: `اجباری — صدور`.
pub const HEADER_SEPARATOR: &str = " — ";
/// The header of the column that marks what kind of row each row is.
pub const ROW_KIND_HEADER: &str = "نوع ردیف";

/// What a column of the flat grid holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlatColumnKind {
    /// The printed row number.
    No,
    /// One level of the row label.
    Label(usize),
    /// A value column of the table, by index.
    Value(usize),
    /// The row's kind (see [`RowKind::marker`]).
    RowKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlatColumn<'t> {
    pub kind: FlatColumnKind,
    /// The one-row header: groups and label joined by [`HEADER_SEPARATOR`].
    pub header: String,
    /// The header as printed over several rows, outermost first.
    pub path: Vec<&'t str>,
}

/// How a row counts: only data rows carry a row's own figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    Data,
    Subtotal,
    Total,
    Heading,
}

impl RowKind {
    /// What the row-kind column says: nothing for a data row.
    pub fn marker(self) -> &'static str {
        match self {
            RowKind::Data => "",
            RowKind::Subtotal => "جمع جزء",
            RowKind::Total => "جمع کل",
            RowKind::Heading => "عنوان",
        }
    }

    pub fn from_marker(text: &str) -> Option<RowKind> {
        [
            RowKind::Data,
            RowKind::Subtotal,
            RowKind::Total,
            RowKind::Heading,
        ]
        .into_iter()
        .find(|k| k.marker() == text.trim())
    }
}

/// One row of the flat grid.
#[derive(Debug, Clone)]
pub struct FlatRow<'t> {
    pub kind: RowKind,
    pub reference: RowRef,
    pub row: &'t Row,
}

/// One cell of the flat grid, typed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FlatValue<'t> {
    Empty,
    Integer(i64),
    Decimal(f64),
    Text(&'t str),
    List(&'t [String]),
}

impl Table {
    /// The columns of the flat grid, in order: number, label levels, values, row kind.
    pub fn flat_columns(&self) -> Vec<FlatColumn<'_>> {
        let mut columns = Vec::with_capacity(self.columns.len() + self.label_headers.len() + 2);
        if self.has_number_column() {
            columns.push(FlatColumn {
                kind: FlatColumnKind::No,
                header: self.number_header.clone(),
                path: vec![self.number_header.as_str()],
            });
        }
        for (level, header) in self.label_headers.iter().enumerate() {
            columns.push(FlatColumn {
                kind: FlatColumnKind::Label(level),
                header: self.label_column_header(level),
                path: vec![header.as_str()],
            });
        }
        for index in 0..self.columns.len() {
            let path = self.header_path(index);
            columns.push(FlatColumn {
                kind: FlatColumnKind::Value(index),
                header: path.join(HEADER_SEPARATOR),
                path,
            });
        }
        columns.push(FlatColumn {
            kind: FlatColumnKind::RowKind,
            header: ROW_KIND_HEADER.to_string(),
            path: vec![ROW_KIND_HEADER],
        });
        columns
    }

    /// A label level's one-row header: levels printed under one merged header (`فعالیت`
    /// over two levels) are told apart by their number (`فعالیت ۱`, `فعالیت ۲`).
    pub fn label_column_header(&self, level: usize) -> String {
        let header = &self.label_headers[level];
        let same: Vec<usize> = (0..self.label_headers.len())
            .filter(|&l| &self.label_headers[l] == header)
            .collect();
        if same.len() == 1 {
            return header.clone();
        }
        let nth = same.iter().position(|&l| l == level).unwrap_or(0) + 1;
        format!(
            "{header} {}",
            crate::numfmt::localize_digits(&nth.to_string(), crate::config::DigitStyle::Persian)
        )
    }

    /// The rows of the flat grid: the body in printed order, then the totals row.
    pub fn flat_rows(&self) -> Vec<FlatRow<'_>> {
        let refs = self.row_refs();
        let mut rows: Vec<FlatRow> = self
            .rows
            .iter()
            .zip(refs)
            .map(|(row, reference)| {
                let row = row.get_ref();
                let kind = match (row.heading(), row.subtotal()) {
                    (Some(_), _) => RowKind::Heading,
                    (None, true) => RowKind::Subtotal,
                    (None, false) => RowKind::Data,
                };
                FlatRow {
                    kind,
                    reference,
                    row,
                }
            })
            .collect();
        if let Some(total) = &self.total {
            rows.push(FlatRow {
                kind: RowKind::Total,
                reference: RowRef::Total,
                row: total.get_ref(),
            });
        }
        rows
    }

    /// The column a sub-heading row's text is written in: the first label level, or the first
    /// value column of a table without labels.
    pub fn heading_column(&self) -> FlatColumnKind {
        if self.label_headers.is_empty() {
            FlatColumnKind::Value(0)
        } else {
            FlatColumnKind::Label(0)
        }
    }

    /// The cell of `row` in `column`.
    pub fn flat_value<'t>(&self, row: &FlatRow<'t>, column: FlatColumnKind) -> FlatValue<'t> {
        let text = |t: &'t str| {
            if t.is_empty() {
                FlatValue::Empty
            } else {
                FlatValue::Text(t)
            }
        };
        let r = row.row;
        match column {
            FlatColumnKind::No => r.no_text().map_or(FlatValue::Empty, text),
            FlatColumnKind::RowKind => text(row.kind.marker()),
            _ if r.heading().is_some() => match (r.heading(), column == self.heading_column()) {
                (Some(heading), true) => text(heading),
                _ => FlatValue::Empty,
            },
            FlatColumnKind::Label(level) => {
                r.label.get(level).map_or(FlatValue::Empty, |l| text(l))
            }
            FlatColumnKind::Value(index) => match r.values.get(index) {
                None => FlatValue::Empty,
                Some(Cell::Integer(i)) => FlatValue::Integer(*i),
                Some(Cell::Decimal(d)) => FlatValue::Decimal(*d),
                Some(Cell::Text(t)) => text(t),
                Some(Cell::List(items)) => FlatValue::List(items),
            },
        }
    }
}

/// The characters that make a spreadsheet read a cell as a formula (CSV/XLSX injection).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];
/// What a spreadsheet never runs: it keeps an apostrophe-led cell as text.
const NEUTRALIZER: char = '\'';

/// Whether a spreadsheet would take `text` for a formula. A lone `-` (the report's "none") is
/// plain text to every spreadsheet and is printed as such.
pub fn looks_like_formula(text: &str) -> bool {
    text != "-" && text.starts_with(FORMULA_STARTS)
}

/// `text` made safe for a CSV cell: an apostrophe before what would start a formula.
pub fn neutralized(text: &str) -> Cow<'_, str> {
    if looks_like_formula(text) {
        Cow::Owned(format!("{NEUTRALIZER}{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The text a CSV cell written by [`neutralized`] held.
pub fn unneutralized(text: &str) -> &str {
    match text.strip_prefix(NEUTRALIZER) {
        Some(rest) if looks_like_formula(rest) => rest,
        _ => text,
    }
}

/// A list cell as one text: its items on separate lines.
pub fn joined_list(items: &[String]) -> String {
    items.join("\n")
}

/// A number as a CSV or TOML reader wants it: ASCII digits, `.` before decimals, no grouping.
pub fn ascii_number(value: FlatValue) -> Option<String> {
    match value {
        FlatValue::Integer(i) => Some(i.to_string()),
        FlatValue::Decimal(d) => Some(d.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::SectionFile;
    use crate::source::parse_toml;
    use std::path::Path;

    fn table(toml: &str) -> Table {
        let text =
            format!("title = \"s\"\npage = 1\n[[tables]]\nid = \"T1\"\ncaption = \"c\"\n{toml}");
        parse_toml::<SectionFile>(Path::new("t.toml"), &text)
            .unwrap()
            .tables
            .remove(0)
    }

    const ACTIVITIES: &str = r#"kind = "activities"
label_headers = ["فعالیت", "فعالیت"]
columns = [
  { key = "p", label = "صدور", group = ["اجباری"] },
  { key = "s", label = "درصد", type = "percent" },
]
rows = [
  { heading = "سطح ملی" },
  { no = "1", label = ["الف", "استان"], values = [12, 2.5] },
  { label = ["الف", "جمع"], values = [12, "-"], subtotal = true },
]
total = { label = ["جمع کل", "جمع کل"], values = [12, 2.5] }
"#;

    #[test]
    fn headers_flatten_and_repeated_label_headers_are_numbered() {
        let t = table(ACTIVITIES);
        let headers: Vec<String> = t.flat_columns().into_iter().map(|c| c.header).collect();
        assert_eq!(
            headers,
            [
                "ردیف",
                "فعالیت ۱",
                "فعالیت ۲",
                "اجباری — صدور",
                "درصد",
                "نوع ردیف"
            ]
        );
        assert_eq!(t.flat_columns()[3].path, ["اجباری", "صدور"]);
    }

    #[test]
    fn rows_are_typed_marked_and_the_totals_row_comes_last() {
        let t = table(ACTIVITIES);
        let rows = t.flat_rows();
        let kinds: Vec<RowKind> = rows.iter().map(|r| r.kind).collect();
        assert_eq!(
            kinds,
            [
                RowKind::Heading,
                RowKind::Data,
                RowKind::Subtotal,
                RowKind::Total
            ]
        );
        assert_eq!(
            t.flat_value(&rows[0], FlatColumnKind::Label(0)),
            FlatValue::Text("سطح ملی")
        );
        assert_eq!(
            t.flat_value(&rows[0], FlatColumnKind::Value(0)),
            FlatValue::Empty
        );
        assert_eq!(
            t.flat_value(&rows[1], FlatColumnKind::No),
            FlatValue::Text("1")
        );
        assert_eq!(
            t.flat_value(&rows[1], FlatColumnKind::Value(1)),
            FlatValue::Decimal(2.5)
        );
        assert_eq!(
            t.flat_value(&rows[2], FlatColumnKind::Value(1)),
            FlatValue::Text("-")
        );
        assert_eq!(
            t.flat_value(&rows[3], FlatColumnKind::RowKind),
            FlatValue::Text("جمع کل")
        );
        assert_eq!(RowKind::from_marker("جمع جزء"), Some(RowKind::Subtotal));
        assert_eq!(RowKind::from_marker(""), Some(RowKind::Data));
    }

    #[test]
    fn formula_starts_are_neutralized_and_restored() {
        for text in ["=1+2", "+98", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            let safe = neutralized(text);
            assert!(safe.starts_with('\''), "{text}");
            assert_eq!(unneutralized(&safe), text);
        }
        for text in ["-", "حسب درخواست", "'quoted", "a=b"] {
            assert_eq!(neutralized(text), text);
            assert_eq!(unneutralized(text), text);
        }
        assert_eq!(
            ascii_number(FlatValue::Decimal(2.5)).as_deref(),
            Some("2.5")
        );
        assert_eq!(
            ascii_number(FlatValue::Integer(1_234_567)).as_deref(),
            Some("1234567")
        );
    }
}
