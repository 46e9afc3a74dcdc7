//! The content format: what `content/<year>/*.toml` files deserialize into.
//! `docs/content-format.md` is the reader's description of the same structs.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use toml::Spanned;

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
    #[serde(default)]
    pub foreword: String,
    #[serde(default)]
    pub foreword_signature: Option<String>,
    #[serde(default)]
    pub parts: Vec<Part>,
}

/// A heading of the report's hierarchy that groups several sections.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Part {
    pub id: String,
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
    pub part: Option<String>,
    #[serde(default)]
    pub heading: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub foreword: bool,
    /// Draw one chart of every activity's achievement % on this page (the national summary).
    #[serde(default)]
    pub overview_chart: bool,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub corrections: Vec<SectionCorrection>,
    #[serde(default)]
    pub tables: Vec<Table>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SectionCorrection {
    pub field: String,
    pub printed: String,
    pub reason: String,
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
    pub id: String,
    pub kind: TableKind,
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
    #[serde(default)]
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
    pub key: String,
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
}

/// One cell as written in TOML: a number, text, or a list of text items.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Cell {
    Integer(i64),
    Decimal(f64),
    Text(String),
    List(Vec<String>),
}

impl Cell {
    pub fn as_number(&self) -> Option<f64> {
        match self {
            Cell::Integer(i) => Some(*i as f64),
            Cell::Decimal(d) => Some(*d),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Row {
    #[serde(default)]
    pub no: Option<String>,
    #[serde(default)]
    pub label: Vec<String>,
    #[serde(default)]
    pub values: Vec<Cell>,
    #[serde(default)]
    pub heading: Option<String>,
    #[serde(default)]
    pub subtotal: bool,
    #[serde(default)]
    pub marks: BTreeMap<String, String>,
}

impl Row {
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

/// An extraction defect that was undone; `printed` keeps what the extracted text said.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CellCorrection {
    #[serde(default)]
    pub row: Option<String>,
    #[serde(default)]
    pub column: Option<String>,
    pub printed: String,
    pub reason: String,
}

/// An inconsistency of the report itself, kept as printed and explained to readers.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Discrepancy {
    pub row: String,
    pub column: String,
    pub rule: String,
    pub note: String,
}

/// A figure this table shares with another table, which `check` compares.
///
/// - Without `row`: every row of this table is matched, by its label, to the row of `table` with
///   the same label (the totals rows to each other), and `column` must equal `other_column`.
/// - With `row`: only that row, against `other_row` of the other table.
/// - With `by = "columns"`: each row of this table is matched to the column of the other table
///   whose header label equals the row's label, read in `other_row` (default `total`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub table: String,
    pub column: String,
    #[serde(default)]
    pub other_column: Option<String>,
    #[serde(default)]
    pub row: Option<String>,
    #[serde(default)]
    pub other_row: Option<String>,
    #[serde(default)]
    pub by: LinkBy,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkBy {
    #[default]
    Rows,
    Columns,
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
    pub kind: Option<String>,
    /// The value at which the achievement (or share) scale is cut; default: chosen from the data.
    #[serde(default)]
    pub cap: Option<f64>,
}
