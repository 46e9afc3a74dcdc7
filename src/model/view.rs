//! The render model's types: what a page shows, resolved (URLs, page numbers, notes, header
//! cells, row layout). The page-level types are what templates see; a table's rows are
//! produced on demand from the content (`rows`), so a huge table is never held twice.

use super::spans::LabelSpans;
use crate::charts::Chart;
use crate::content::{ColumnKey, RowRef, TableId};
use crate::routes::Route;
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearModel {
    pub year: u32,
    pub title: String,
    pub country: Option<String>,
    pub organization: String,
    pub publisher: String,
    pub published: String,
    pub place: Option<String>,
    pub index_page: Option<u32>,
    /// Markdown: rendered for each page that shows it, as its links are relative to the page.
    #[serde(skip)]
    pub foreword: Option<String>,
    pub foreword_signature: Option<String>,
    /// Whether a section shows the foreword (then the print edition prints it there).
    pub foreword_in_sections: bool,
    pub draft: bool,
    /// The table of contents: the printed page index, in its order (templates see it with
    /// each entry's URL).
    #[serde(skip)]
    pub toc: Vec<TocEntry>,
    /// Pages render one section each; the year's own pages carry only the `toc`.
    #[serde(skip_serializing)]
    pub sections: Vec<SectionModel>,
    pub table_count: usize,
    /// Every correction of the year, for the review page (templates see it with URLs).
    #[serde(skip)]
    pub corrections: Vec<ReviewCorrection>,
    /// Every table's files in one zip (templates see it with its URL).
    #[serde(skip)]
    pub data_package: Option<DownloadModel>,
    /// The year's printed edition, when the build makes it (templates see it with its URL).
    #[serde(skip)]
    pub pdf: Option<PdfLink>,
}

impl YearModel {
    /// Every acknowledged discrepancy of the year's tables, in the report's order (templates
    /// see them with URLs). Read from the tables rather than copied: a draft of 15,000 tables
    /// has as many.
    pub fn discrepancies(&self) -> impl Iterator<Item = &DiscrepancyNote> {
        self.tables().flat_map(|t| &t.discrepancies)
    }

    /// Errors a draft publishes unresolved (`build --allow-errors`): none on a published site
    /// (templates see them with each one's URL).
    pub fn open_findings(&self) -> impl Iterator<Item = &FindingNote> {
        self.tables().flat_map(|t| &t.open)
    }

    fn tables(&self) -> impl Iterator<Item = &TableModel> {
        self.sections.iter().flat_map(|s| &s.tables)
    }
}

/// A correction as the review page lists it: where, what the extracted text said, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewCorrection {
    pub section: String,
    pub page: u32,
    /// The table's caption, or none for the section's own fields.
    pub table: Option<String>,
    /// Its section's page, and where on it (a row, or its table).
    #[serde(skip)]
    pub route: Route,
    #[serde(skip)]
    pub target: Option<String>,
    #[serde(flatten)]
    pub note: CorrectionNote,
}

/// A file offered for download, with what its link says about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DownloadModel {
    /// The format as readers know it: `CSV`.
    pub label: &'static str,
    /// Where it is; pages link it by the URL made for them.
    #[serde(skip)]
    pub route: Route,
    /// The name it is saved under.
    pub name: String,
    pub media_type: &'static str,
    pub bytes: u64,
}

/// The printed edition as its link describes it: the file, and its number of pages.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PdfLink {
    #[serde(flatten)]
    pub file: DownloadModel,
    pub pages: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TocEntry {
    #[serde(skip)]
    pub route: Route,
    /// The section's id in the print edition.
    pub anchor: String,
    pub title: String,
    pub page: u32,
    pub part: Option<String>,
    pub tables: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkModel {
    #[serde(skip)]
    pub route: Route,
    pub title: String,
    pub page: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionModel {
    pub slug: String,
    #[serde(skip)]
    pub route: Route,
    /// The id of the section's `<article>`, unique in the year (the print edition holds all).
    pub anchor: String,
    pub title: String,
    pub heading: Option<String>,
    pub page: u32,
    pub last_page: Option<u32>,
    pub part: Option<String>,
    pub foreword: bool,
    /// Markdown, rendered for the page (see `YearModel::foreword`).
    #[serde(skip)]
    pub body: Option<String>,
    pub corrections: Vec<CorrectionNote>,
    #[serde(skip_serializing)]
    pub tables: Vec<TableModel>,
    #[serde(skip_serializing)]
    pub overview: Option<Chart>,
    #[serde(skip)]
    pub prev: Option<LinkModel>,
    #[serde(skip)]
    pub next: Option<LinkModel>,
}

impl SectionModel {
    /// The charts of the section: its tables' and its overview.
    pub fn chart_count(&self) -> usize {
        self.tables.iter().map(|t| t.charts.len()).sum::<usize>()
            + usize::from(self.overview.is_some())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CorrectionNote {
    pub anchor: Option<String>,
    /// Where the correction is, as readers say it (`ردیف ۵، برنامه`, `عنوان`), in the site's
    /// digits.
    pub place: String,
    /// What the extracted text said, as extracted (for reviewers).
    pub printed: String,
    /// Why, for reviewers.
    pub reason: String,
    /// For a misprint of the report: what readers are told under the table
    /// (`چاپ‌شده «…»؛ …`), in the site's digits.
    pub reader_note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiscrepancyNote {
    pub table: String,
    pub caption: String,
    pub anchor: String,
    /// The page of its table.
    #[serde(skip)]
    pub route: Route,
    /// The row reference as written (`total`, `#5`, `12`); empty for a header.
    pub row: String,
    /// The column's header text; empty for the caption.
    pub column: String,
    pub rule: String,
    pub note: String,
    pub page: u32,
    /// The likeliest fix `check` found for it, never applied.
    pub explanation: Option<ExplanationNote>,
}

/// An unresolved error of a draft, for its reviewers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingNote {
    pub table: String,
    /// The page of its table, and the row's anchor there (the table's for a header).
    #[serde(skip)]
    pub route: Route,
    pub anchor: String,
    /// Where, as readers say it (`ردیف 5، برنامه`).
    pub place: String,
    pub rule: String,
    /// `check`'s message (in English, as `check` prints it).
    pub message: String,
    pub page: u32,
    pub explanation: Option<ExplanationNote>,
}

/// A suggestion of `check`'s explanation search, in readers' words (ASCII digits).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExplanationNote {
    /// `set` (one cell), `swap` (two cells exchanged) or `rotate` (rows' figures moved).
    pub kind: &'static str,
    /// For `rotate`: the rows, as readers say them.
    pub rows: Option<String>,
    /// The changed cells.
    pub changes: Vec<ChangeNote>,
    /// How the figure may have been misread (`رقم 4 به صورت 6 خوانده شده`).
    pub misreading: Option<String>,
    /// What then agrees (`درصد تحقق، جمع جزء و رقم جدول صفحه 7`).
    pub agrees: String,
    /// Other changes that would fit as well.
    pub ties: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeNote {
    /// `جدول صفحه 4، ردیف 1، برنامه سال ۱۴۰۰`.
    pub place: String,
    pub printed: f64,
    pub probably: f64,
    /// How the `num` filter shows the figures: `percent` or `integer`.
    pub ty: &'static str,
}

impl DiscrepancyNote {
    /// Where it is, as readers name it: `عنوان جدول` (the caption), `ستون «…»` (a header),
    /// `ردیف جمع، …` or `ردیف ۵، …` (a cell: its row and column).
    pub fn place(&self, digits: crate::config::DigitStyle) -> String {
        match (self.row.as_str(), self.column.as_str()) {
            ("", "") => "عنوان جدول".to_string(),
            ("", column) => format!("ستون «{column}»"),
            ("total", column) => format!("ردیف جمع، {column}"),
            (row, column) => format!(
                "ردیف {}، {column}",
                crate::numfmt::localize_digits(&row.replace('#', ""), digits)
            ),
        }
    }
}

/// A heading printed above a table, opened where the chain differs from the previous table's.
#[derive(Debug, Clone, PartialEq)]
pub struct HeadingModel {
    pub level: usize,
    pub text: String,
}

/// One table as a page shows it. Its rows are laid out and their cells produced from the
/// content only when the page is written (`rows`), so a model stays small.
#[derive(Debug, Clone, PartialEq)]
pub struct TableModel {
    pub id: TableId,
    pub kind: &'static str,
    pub caption: String,
    pub page: u32,
    pub headings: Vec<HeadingModel>,
    pub unit: Option<String>,
    pub note: Option<String>,
    pub header_rows: Vec<Vec<HeaderCell>>,
    /// Per value column: the ids of the header cells above it, space-separated.
    pub column_headers: Vec<String>,
    pub column_count: usize,
    pub has_totals: bool,
    pub flags: Flags,
    pub footnotes: Vec<FootnoteModel>,
    pub corrections: Vec<CorrectionNote>,
    pub discrepancies: Vec<DiscrepancyNote>,
    /// The table's unresolved errors (drafts only).
    pub open: Vec<FindingNote>,
    pub charts: Vec<Chart>,
    /// The previous year's figures of the table's series, beside this year's.
    pub comparison: Option<super::compare::Comparison>,
    /// The table's data files: CSV, XLSX, JSON.
    pub downloads: Vec<DownloadModel>,
}

/// How a run of rows (the body, or the totals row) is laid out: references, anchors, spans.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RowLayout {
    pub refs: Vec<RowRef>,
    pub anchors: Vec<String>,
    pub spans: LabelSpans,
}

/// The rows and cells that acknowledged discrepancies point at, outlined on the page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Flags {
    pub rows: BTreeSet<RowRef>,
    pub cells: BTreeSet<(RowRef, ColumnKey)>,
}

impl Flags {
    pub fn row(&self, row: &RowRef) -> bool {
        self.rows.contains(row)
    }

    pub fn cell(&self, row: &RowRef, column: &ColumnKey) -> bool {
        self.cells.contains(&(row.clone(), column.clone()))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct HeaderCell {
    pub id: String,
    pub text: String,
    pub colspan: usize,
    pub rowspan: usize,
    pub scope: &'static str,
    pub numeric: bool,
    pub mark: Option<MarkModel>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MarkModel {
    pub marker: String,
    pub target: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FootnoteModel {
    pub id: String,
    pub marker: String,
    pub text: String,
}
