//! The content format: what `content/<year>/*.toml` files deserialize into.
//! `docs/content-format.md` is the reader's description of the same structs; `table` holds
//! what can be asked of a table (its rows with their references, its columns by role).

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use toml::Spanned;

pub mod flat;
pub mod printed;
mod table;

pub use crate::diagnostics::Rule;
pub use crate::ids::{ColumnKey, ColumnRef, PartId, RowKey, RowNo, RowRef, SeriesKey, TableId};
pub use table::{RowAt, RowIdentity, Triple};

/// `content/<year>/year.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct YearMeta {
    pub year: u32,
    pub title: String,
    #[serde(default)]
    pub country: Option<String>,
    pub organization: String,
    pub publisher: String,
    pub published: String,
    #[serde(default)]
    pub place: Option<String>,
    #[serde(default)]
    pub index_page: Option<u32>,
    /// Markdown, with its position in `year.toml` for findings.
    #[serde(default)]
    pub foreword: Option<Spanned<String>>,
    #[serde(default)]
    pub foreword_signature: Option<String>,
    #[serde(default)]
    pub parts: Vec<Part>,
    /// Published and kept as published: `build` writes the year's folder from its archive
    /// (`archives/<year>.tar.gz`) and refuses content that differs from the archived source.
    #[serde(default)]
    pub frozen: bool,
    /// Being written (`karnameh new`): empty values are "to be filled", `check` reports how
    /// complete each table is, and `build` leaves the year out unless given `--drafts`.
    #[serde(default)]
    pub draft: bool,
}

/// A heading of the report's hierarchy that groups several sections.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Part {
    pub id: PartId,
    pub title: String,
}

/// One entry of the printed page index, with everything printed on its pages.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SectionFile {
    pub title: String,
    pub page: u32,
    #[serde(default)]
    pub last_page: Option<u32>,
    #[serde(default)]
    pub part: Option<PartId>,
    #[serde(default)]
    pub heading: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub foreword: bool,
    /// Draw one chart of every activity's achievement % on this page (the national summary).
    #[serde(default)]
    pub overview_chart: bool,
    /// Markdown, with its position in the file for findings.
    #[serde(default)]
    pub body: Option<Spanned<String>>,
    #[serde(default)]
    pub corrections: Vec<SectionCorrection>,
    #[serde(default, deserialize_with = "tables_with_spans")]
    pub tables: Vec<Table>,
}

/// Tables keep the position of their `[[tables]]` header: lint findings are searched for
/// from there, not from the top of a file that may hold thousands of tables.
fn tables_with_spans<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Table>, D::Error> {
    let spanned: Vec<Spanned<Table>> = Vec::deserialize(d)?;
    Ok(spanned
        .into_iter()
        .map(|s| {
            let span = s.span();
            let mut table = s.into_inner();
            table.span = span;
            table
        })
        .collect())
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SectionCorrection {
    pub field: SectionField,
    pub printed: String,
    pub reason: String,
    #[serde(default)]
    pub misprint: bool,
    #[serde(default)]
    pub note: Option<String>,
}

/// A field of a section file that a correction can be about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SectionField {
    Title,
    Page,
    Heading,
}

/// What a table means; it decides which checks and which chart apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TableKind {
    PlanActual,
    Activities,
    Share,
    Crosstab,
    PassFail,
    Narrative,
    NoData,
    List,
}

impl TableKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TableKind::PlanActual => "plan-actual",
            TableKind::Activities => "activities",
            TableKind::Share => "share",
            TableKind::Crosstab => "crosstab",
            TableKind::PassFail => "pass-fail",
            TableKind::Narrative => "narrative",
            TableKind::NoData => "no-data",
            TableKind::List => "list",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    pub id: TableId,
    pub kind: TableKind,
    /// The same table in every year: a later year compares its figures with the previous
    /// year's table of this series.
    #[serde(default)]
    pub series: Option<SeriesKey>,
    pub caption: String,
    #[serde(default)]
    pub page: Option<u32>,
    #[serde(default)]
    pub headings: Vec<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default = "default_number_header")]
    pub number_header: String,
    #[serde(default)]
    pub label_headers: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default, deserialize_with = "finite_non_negative")]
    pub pct_tolerance: Option<f64>,
    pub columns: Vec<Column>,
    #[serde(default)]
    pub rows: Vec<Spanned<Row>>,
    #[serde(default)]
    pub total: Option<Spanned<Row>>,
    #[serde(default)]
    pub footnotes: Vec<Footnote>,
    #[serde(default)]
    pub corrections: Vec<CellCorrection>,
    #[serde(default)]
    pub discrepancies: Vec<Discrepancy>,
    #[serde(default)]
    pub links: Vec<Link>,
    #[serde(default)]
    pub chart: Option<ChartSettings>,
    /// Where the table starts in its file (its `[[tables]]` header).
    #[serde(skip)]
    pub span: Range<usize>,
}

/// An optional setting that must be a finite number ≥ 0 (`nan` would silently pass every check).
fn finite_non_negative<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    let value = f64::deserialize(d)?;
    if !value.is_finite() || value < 0.0 {
        return Err(de::Error::custom(format!(
            "`{value}` is not allowed here: write a finite number of 0 or more"
        )));
    }
    Ok(Some(value))
}

fn default_number_header() -> String {
    "ردیف".to_string()
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ColumnType {
    #[default]
    Integer,
    Decimal,
    Percent,
    Text,
    List,
}

impl ColumnType {
    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            ColumnType::Integer | ColumnType::Decimal | ColumnType::Percent
        )
    }
}

/// The meaning of a column to the validator and the charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Unit,
    Plan,
    Actual,
    Pct,
    Value,
    Share,
    Category,
    Total,
    Pass,
    Fail,
    PassShare,
    FailShare,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    pub key: ColumnKey,
    pub label: String,
    #[serde(default, rename = "type")]
    pub ty: ColumnType,
    #[serde(default)]
    pub role: Option<Role>,
    #[serde(default)]
    pub group: Vec<String>,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub footnote: Option<String>,
    /// Whether negative numbers are expected here; otherwise `check` warns about them.
    #[serde(default)]
    pub allow_negative: bool,
}

/// One cell as written in TOML: a number, text, or a list of text items. Numbers are finite:
/// `nan` and `inf` are refused where they are written.
///
/// Text and lists are boxed: figures are nearly every cell of a report, and a boxed cell takes
/// 16 bytes rather than 32 (30 MB of a 15,000-table report's 2 million cells).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
#[allow(clippy::box_collection, reason = "keeps `Cell` 16 bytes: see above")]
pub enum Cell {
    Integer(i64),
    Decimal(f64),
    Text(Box<String>),
    List(Box<Vec<String>>),
}

impl<'de> Deserialize<'de> for Cell {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Cell, D::Error> {
        d.deserialize_any(CellVisitor)
    }
}

struct CellVisitor;

fn too_large<E: de::Error>(value: impl fmt::Display) -> E {
    E::custom(format!(
        "integer too large for a cell: {value} (the largest is {})",
        i64::MAX
    ))
}

impl<'de> Visitor<'de> for CellVisitor {
    type Value = Cell;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number, a text, or a list of texts")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Cell, E> {
        Ok(Cell::Integer(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Cell, E> {
        i64::try_from(v)
            .map(Cell::Integer)
            .map_err(|_| too_large(v))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Cell, E> {
        i64::try_from(v)
            .map(Cell::Integer)
            .map_err(|_| too_large(v))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Cell, E> {
        i64::try_from(v)
            .map(Cell::Integer)
            .map_err(|_| too_large(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Cell, E> {
        if v.is_finite() {
            Ok(Cell::Decimal(v))
        } else {
            Err(E::custom(format!(
                "`{v}` is not a number a cell can hold: write the figure, or text such as \"-\""
            )))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Cell, E> {
        Ok(Cell::text(v))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Cell, E> {
        Ok(Cell::text(v))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Cell, E> {
        Err(E::custom(format!(
            "`{v}` is not a cell value: write a number, a text, or a list of texts"
        )))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Cell, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<String>()? {
            items.push(item);
        }
        Ok(Cell::list(items))
    }
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Cell {
        Cell::Text(Box::new(text.into()))
    }

    pub fn list(items: Vec<String>) -> Cell {
        Cell::List(Box::new(items))
    }

    /// An empty cell: `""` (or only white space), or an empty list. In a draft year, a value
    /// still to be filled.
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Text(t) => t.trim().is_empty(),
            Cell::List(items) => items.iter().all(|i| i.trim().is_empty()),
            Cell::Integer(_) | Cell::Decimal(_) => false,
        }
    }

    pub fn as_number(&self) -> Option<f64> {
        match self {
            Cell::Integer(i) => Some(*i as f64),
            Cell::Decimal(d) => Some(*d),
            _ => None,
        }
    }
}

/// A row of a table: its label and figures, and what fewer rows say (their number, key,
/// heading, subtotal mark, footnote marks) held apart: a report of 15,000 tables has half a
/// million rows, most of them a label and figures only.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(from = "RowFields")]
pub struct Row {
    pub label: Vec<String>,
    pub values: Vec<Cell>,
    more: Option<Box<RowMore>>,
}

/// What a row says besides its label and figures.
#[derive(Debug, Clone, Default)]
pub struct RowMore {
    pub no: Option<RowNo>,
    /// The row's key across the years of a series (a province code); default: its label.
    pub key: Option<RowKey>,
    pub heading: Option<String>,
    pub subtotal: bool,
    /// Footnote markers inside cells, by column (`label` for the row label).
    pub marks: BTreeMap<ColumnRef, String>,
}

impl RowMore {
    fn is_empty(&self) -> bool {
        self.no.is_none()
            && self.key.is_none()
            && self.heading.is_none()
            && !self.subtotal
            && self.marks.is_empty()
    }
}

/// A row as its file writes it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RowFields {
    #[serde(default)]
    no: Option<RowNo>,
    #[serde(default)]
    key: Option<RowKey>,
    #[serde(default)]
    label: Vec<String>,
    #[serde(default)]
    values: Vec<Cell>,
    #[serde(default)]
    heading: Option<String>,
    #[serde(default)]
    subtotal: bool,
    #[serde(default)]
    marks: BTreeMap<ColumnRef, String>,
}

impl From<RowFields> for Row {
    fn from(f: RowFields) -> Row {
        let more = RowMore {
            no: f.no,
            key: f.key,
            heading: f.heading,
            subtotal: f.subtotal,
            marks: f.marks,
        };
        Row::new(f.label, f.values).with(more)
    }
}

/// [`RowFields`] borrowed from a row, in the same order: a row serialises as its file wrote it.
#[derive(Serialize)]
struct RowFieldsRef<'a> {
    no: Option<&'a RowNo>,
    key: Option<&'a RowKey>,
    label: &'a [String],
    values: &'a [Cell],
    heading: Option<&'a str>,
    subtotal: bool,
    marks: &'a BTreeMap<ColumnRef, String>,
}

impl Serialize for Row {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        RowFieldsRef {
            no: self.no(),
            key: self.key(),
            label: &self.label,
            values: &self.values,
            heading: self.heading(),
            subtotal: self.subtotal(),
            marks: self.marks(),
        }
        .serialize(serializer)
    }
}

/// The marks of a row that has none.
static NO_MARKS: BTreeMap<ColumnRef, String> = BTreeMap::new();

impl Row {
    pub fn new(label: Vec<String>, values: Vec<Cell>) -> Row {
        Row {
            label,
            values,
            more: None,
        }
    }

    /// The row with `more` (held only when it says something).
    pub fn with(mut self, more: RowMore) -> Row {
        self.more = (!more.is_empty()).then(|| Box::new(more));
        self
    }

    pub fn no(&self) -> Option<&RowNo> {
        self.more.as_ref().and_then(|m| m.no.as_ref())
    }

    /// The row's number as text (`2-1`).
    pub fn no_text(&self) -> Option<&str> {
        self.no().map(RowNo::as_str)
    }

    pub fn key(&self) -> Option<&RowKey> {
        self.more.as_ref().and_then(|m| m.key.as_ref())
    }

    pub fn heading(&self) -> Option<&str> {
        self.more.as_ref().and_then(|m| m.heading.as_deref())
    }

    pub fn subtotal(&self) -> bool {
        self.more.as_ref().is_some_and(|m| m.subtotal)
    }

    /// Footnote markers inside cells, by column (`label` for the row label).
    pub fn marks(&self) -> &BTreeMap<ColumnRef, String> {
        self.more.as_ref().map_or(&NO_MARKS, |m| &m.marks)
    }

    /// What the row says besides its label and figures, to change it.
    pub fn more_mut(&mut self) -> &mut RowMore {
        self.more.get_or_insert_with(Box::default)
    }

    /// The cell of column `index` when it is a number.
    pub fn number(&self, index: usize) -> Option<f64> {
        self.values.get(index).and_then(Cell::as_number)
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Footnote {
    pub marker: String,
    pub text: String,
}

/// A defect that was undone; `printed` keeps what the extracted text said and `reason` tells
/// reviewers why (shown on the review page). Most defects are the extraction's; a `misprint`
/// is the printed report's own, and readers see it under the table: what was printed, and
/// `note` when given.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CellCorrection {
    #[serde(default)]
    pub row: Option<RowRef>,
    #[serde(default)]
    pub column: Option<ColumnRef>,
    pub printed: String,
    pub reason: String,
    #[serde(default)]
    pub misprint: bool,
    #[serde(default)]
    pub note: Option<String>,
}

/// An inconsistency of the report itself, kept as printed and explained to readers.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Discrepancy {
    /// The row; none for a finding about a header (a column's label, the caption).
    #[serde(default)]
    pub row: Option<RowRef>,
    /// The column; none for a finding about the caption.
    #[serde(default)]
    pub column: Option<ColumnRef>,
    pub rule: Rule,
    pub note: String,
}

/// A figure this table shares with another table, which `check` compares.
///
/// - Without `row`: every row of this table is matched, by its label, to the row of `table` with
///   the same label (the totals rows to each other), and `column` must equal `other_column`.
/// - With `row`: only that row, against `other_row` of the other table, or against the sum
///   of its `other_rows` (a summary row that adds up a group of the other table's rows), and
///   of the rows of further tables that `plus` names.
/// - With `by = "columns"`: each row of this table is matched to the column of the other table
///   whose header label equals the row's label, read in `other_row` (default `total`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub table: TableId,
    pub column: ColumnKey,
    #[serde(default)]
    pub other_column: Option<ColumnKey>,
    #[serde(default)]
    pub row: Option<RowRef>,
    #[serde(default)]
    pub other_row: Option<RowRef>,
    #[serde(default)]
    pub other_rows: Vec<RowRef>,
    /// Rows of further tables that the figure adds up too (`[[tables.links.plus]]`).
    #[serde(default)]
    pub plus: Vec<LinkPart>,
    #[serde(default)]
    pub by: LinkBy,
}

/// Rows of another table that a linked figure adds up, besides the link's own `other_rows`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LinkPart {
    pub table: TableId,
    pub rows: Vec<RowRef>,
    /// Default: the link's `other_column`, else its `column`.
    #[serde(default)]
    pub column: Option<ColumnKey>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkBy {
    #[default]
    Rows,
    Columns,
}

/// One view of a plan-actual table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChartKind {
    /// Achievement % per row against the 100% line.
    Achievement,
    /// Plan and actual bars per row.
    PlanActual,
}

/// Per-table chart settings (all optional).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChartSettings {
    /// No chart for this table.
    #[serde(default)]
    pub off: bool,
    /// For plan-actual tables: only `"achievement"` or only `"plan-actual"` (default: both).
    #[serde(default)]
    pub kind: Option<ChartKind>,
    /// The value at which the achievement (or share) scale is cut; default: chosen from the data.
    #[serde(default, deserialize_with = "finite_non_negative")]
    pub cap: Option<f64>,
}
