//! The render model: loaded content resolved into what the templates show (URLs, header
//! spans, row anchors, acknowledged notes). Numbers stay numbers: display is the renderer's.

use crate::charts::{Chart, ChartSet};
use crate::config::DigitStyle;
use crate::content::{Cell, Column, ColumnType, Row, Table};
use crate::load::{LoadedSection, LoadedSite, LoadedYear};
use crate::markdown;
use crate::numfmt::{format_number, format_percent, localize_digits};
use crate::validate::{Finding, row_refs};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct SiteModel {
    pub title: String,
    pub organization: String,
    pub base_path: String,
    pub years: Vec<YearModel>,
}

#[derive(Debug, Serialize)]
pub struct YearModel {
    pub year: u32,
    pub url: String,
    pub review_url: String,
    pub title: String,
    pub country: Option<String>,
    pub organization: String,
    pub publisher: String,
    pub published: String,
    pub place: Option<String>,
    pub index_page: Option<u32>,
    pub foreword_html: String,
    pub foreword_signature: Option<String>,
    /// The table of contents: the printed page index, in its order.
    pub toc: Vec<TocEntry>,
    /// Pages render one section each; the year's own context carries only the `toc`.
    #[serde(skip_serializing)]
    pub sections: Vec<SectionModel>,
    pub table_count: usize,
    pub discrepancies: Vec<DiscrepancyNote>,
}

#[derive(Debug, Serialize)]
pub struct TocEntry {
    pub url: String,
    pub title: String,
    pub page: u32,
    pub part: Option<String>,
    pub tables: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct LinkModel {
    pub url: String,
    pub title: String,
    pub page: u32,
}

#[derive(Debug, Serialize)]
pub struct SectionModel {
    pub slug: String,
    pub url: String,
    pub title: String,
    pub heading: Option<String>,
    pub page: u32,
    pub last_page: Option<u32>,
    pub part: Option<String>,
    pub foreword: bool,
    pub body_html: Option<String>,
    pub corrections: Vec<CorrectionNote>,
    pub tables: Vec<TableModel>,
    pub overview: Option<Chart>,
    pub prev: Option<LinkModel>,
    pub next: Option<LinkModel>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CorrectionNote {
    pub anchor: Option<String>,
    pub place: String,
    pub printed: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DiscrepancyNote {
    pub table: String,
    pub anchor: String,
    pub url: String,
    pub row: String,
    pub column: String,
    pub rule: String,
    pub note: String,
    pub page: u32,
}

/// A heading printed above a table, opened where the chain differs from the previous table's.
#[derive(Debug, Serialize)]
pub struct HeadingModel {
    pub level: usize,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct TableModel {
    pub id: String,
    pub kind: &'static str,
    pub caption: String,
    pub page: u32,
    pub headings: Vec<HeadingModel>,
    pub unit: Option<String>,
    pub note: Option<String>,
    pub header_rows: Vec<Vec<HeaderCell>>,
    pub body_rows: Vec<BodyRow>,
    pub foot_rows: Vec<BodyRow>,
    pub column_count: usize,
    pub footnotes: Vec<FootnoteModel>,
    pub corrections: Vec<CorrectionNote>,
    pub discrepancies: Vec<DiscrepancyNote>,
    pub charts: Vec<Chart>,
}

#[derive(Debug, Serialize)]
pub struct HeaderCell {
    pub id: String,
    pub text: String,
    pub colspan: usize,
    pub rowspan: usize,
    pub scope: &'static str,
    pub numeric: bool,
    pub mark: Option<MarkModel>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MarkModel {
    pub marker: String,
    pub target: String,
}

#[derive(Debug, Serialize)]
pub struct BodyRow {
    pub anchor: String,
    /// A full-width sub-heading row instead of data.
    pub heading: Option<String>,
    pub subtotal: bool,
    pub flagged: bool,
    pub cells: Vec<BodyCell>,
}

#[derive(Debug, Serialize)]
pub struct BodyCell {
    /// `th` for row labels and numbers, `td` for values.
    pub tag: &'static str,
    pub id: Option<String>,
    pub headers: String,
    pub rowspan: usize,
    pub colspan: usize,
    /// `integer`, `decimal`, `percent`, `text`, `list`, `no` (a row number), `label`.
    pub ty: &'static str,
    pub value: CellValue,
    /// The value as shown: numbers in the site's digits and separators, text as printed.
    pub text: String,
    pub mark: Option<MarkModel>,
    pub flagged: bool,
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum CellValue {
    Number(f64),
    Text(String),
    List(Vec<String>),
}

#[derive(Debug, Serialize)]
pub struct FootnoteModel {
    pub id: String,
    pub marker: String,
    pub text: String,
}

/// Builds the render model; charts are moved into the tables and sections that show them.
pub fn build_model(site: &LoadedSite, findings: &[Finding], mut charts: ChartSet) -> SiteModel {
    let base = site.config.base_path();
    SiteModel {
        title: site.config.title.clone(),
        organization: site.config.organization.clone(),
        years: site
            .years
            .iter()
            .map(|y| year_model(y, &base, findings, &mut charts, site.config.digits))
            .collect(),
        base_path: base,
    }
}

fn year_model(
    year: &LoadedYear,
    base: &str,
    findings: &[Finding],
    charts: &mut ChartSet,
    digits: DigitStyle,
) -> YearModel {
    let url = format!("{base}{}/", year.meta.year);
    let mut sections: Vec<SectionModel> = year
        .sections
        .iter()
        .map(|s| section_model(s, year, &url, findings, digits))
        .collect();
    attach_charts(&mut sections, year.meta.year, charts);
    link_neighbours(&mut sections);
    let discrepancies = sections
        .iter()
        .flat_map(|s| {
            s.tables
                .iter()
                .flat_map(|t| t.discrepancies.iter().cloned())
        })
        .collect();
    YearModel {
        year: year.meta.year,
        review_url: format!("{url}review/"),
        title: year.meta.title.clone(),
        country: year.meta.country.clone(),
        organization: year.meta.organization.clone(),
        publisher: year.meta.publisher.clone(),
        published: year.meta.published.clone(),
        place: year.meta.place.clone(),
        index_page: year.meta.index_page,
        foreword_html: year
            .meta
            .foreword
            .as_ref()
            .map_or_else(String::new, |f| markdown::to_html(f.get_ref())),
        foreword_signature: year.meta.foreword_signature.clone(),
        table_count: sections.iter().map(|s| s.tables.len()).sum(),
        toc: sections
            .iter()
            .map(|s| TocEntry {
                url: s.url.clone(),
                title: s.title.clone(),
                page: s.page,
                part: s.part.clone(),
                tables: s.tables.len(),
            })
            .collect(),
        sections,
        discrepancies,
        url,
    }
}

fn attach_charts(sections: &mut [SectionModel], year: u32, charts: &mut ChartSet) {
    for section in sections {
        section.overview = charts.overviews.remove(&(year, section.slug.clone()));
        for table in &mut section.tables {
            table.charts = charts
                .tables
                .remove(&(year, table.id.to_string()))
                .unwrap_or_default();
        }
    }
}

fn link_neighbours(sections: &mut [SectionModel]) {
    let links: Vec<LinkModel> = sections
        .iter()
        .map(|s| LinkModel {
            url: s.url.clone(),
            title: s.title.clone(),
            page: s.page,
        })
        .collect();
    for (i, section) in sections.iter_mut().enumerate() {
        section.prev = i.checked_sub(1).map(|p| links[p].clone());
        section.next = links.get(i + 1).cloned();
    }
}

fn section_model(
    section: &LoadedSection,
    year: &LoadedYear,
    year_url: &str,
    findings: &[Finding],
    digits: DigitStyle,
) -> SectionModel {
    let data = &section.data;
    let url = format!("{year_url}{}/", section.slug);
    let mut previous_headings: &[String] = &[];
    let tables = data
        .tables
        .iter()
        .map(|t| {
            let page = PageContext {
                page: data.page,
                url: &url,
                findings,
                digits,
            };
            let model = table_model(t, &page, previous_headings);
            previous_headings = &t.headings;
            model
        })
        .collect();
    SectionModel {
        slug: section.slug.clone(),
        title: data.title.clone(),
        heading: data.heading.clone(),
        page: data.page,
        last_page: data.last_page,
        part: data
            .part
            .as_ref()
            .and_then(|id| year.meta.parts.iter().find(|p| &p.id == id))
            .map(|p| p.title.clone()),
        foreword: data.foreword,
        body_html: data.body.as_ref().map(|b| markdown::to_html(b.get_ref())),
        corrections: data
            .corrections
            .iter()
            .map(|c| CorrectionNote {
                anchor: None,
                place: c.field.clone(),
                printed: c.printed.clone(),
                reason: c.reason.clone(),
            })
            .collect(),
        tables,
        overview: None,
        prev: None,
        next: None,
        url,
    }
}

/// `T010` + `13` → `T010-13`; position refs `#5` → `T010-p5`.
pub fn row_anchor(table_id: &str, reference: &str) -> String {
    match reference.strip_prefix('#') {
        Some(position) => format!("{table_id}-p{position}"),
        None => format!(
            "{table_id}-{}",
            reference.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "_")
        ),
    }
}

/// What a table's model needs from the page it is on.
struct PageContext<'a> {
    page: u32,
    url: &'a str,
    findings: &'a [Finding],
    digits: DigitStyle,
}

fn table_model(table: &Table, at: &PageContext, previous: &[String]) -> TableModel {
    let (section_page, url, findings) = (at.page, at.url, at.findings);
    let shared = previous
        .iter()
        .zip(&table.headings)
        .take_while(|(a, b)| a == b)
        .count();
    let headings = table.headings[shared..]
        .iter()
        .enumerate()
        .map(|(i, text)| HeadingModel {
            level: shared + i,
            text: text.clone(),
        })
        .collect();
    let refs = row_refs(table);
    let flagged: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.table.as_deref() == Some(table.id.as_str()) && f.acknowledged)
        .collect();
    let page = table.page.unwrap_or(section_page);
    let builder = RowBuilder {
        table,
        flagged: &flagged,
        digits: at.digits,
    };
    let body_rows = builder.rows(
        table
            .rows
            .iter()
            .map(|r| r.get_ref())
            .zip(refs.iter().cloned())
            .collect(),
    );
    let foot_rows = table
        .total
        .as_ref()
        .map(|t| builder.rows(vec![(t.get_ref(), "total".to_string())]))
        .unwrap_or_default();
    TableModel {
        id: table.id.to_string(),
        kind: table.kind.as_str(),
        caption: table.caption.clone(),
        page,
        headings,
        unit: table.unit.clone(),
        note: table.note.clone(),
        header_rows: header_rows(table),
        column_count: usize::from(has_number_column(table))
            + table.label_headers.len()
            + table.columns.len(),
        body_rows,
        foot_rows,
        footnotes: table
            .footnotes
            .iter()
            .enumerate()
            .map(|(i, f)| FootnoteModel {
                id: footnote_id(&table.id, i),
                marker: f.marker.clone(),
                text: f.text.clone(),
            })
            .collect(),
        corrections: table
            .corrections
            .iter()
            .map(|c| CorrectionNote {
                anchor: c.row.as_deref().map(|r| row_anchor(&table.id, r)),
                place: correction_place(table, c.row.as_deref(), c.column.as_deref()),
                printed: c.printed.clone(),
                reason: c.reason.clone(),
            })
            .collect(),
        discrepancies: table
            .discrepancies
            .iter()
            .map(|d| DiscrepancyNote {
                table: table.id.to_string(),
                anchor: row_anchor(&table.id, &d.row),
                url: format!("{url}#{}", row_anchor(&table.id, &d.row)),
                row: d.row.clone(),
                column: column_label(table, &d.column),
                rule: d.rule.clone(),
                note: d.note.clone(),
                page,
            })
            .collect(),
        charts: Vec::new(),
    }
}

fn has_number_column(table: &Table) -> bool {
    !table.number_header.is_empty()
}

fn footnote_id(table_id: &str, index: usize) -> String {
    format!("{table_id}-fn{}", index + 1)
}

fn column_label(table: &Table, key: &str) -> String {
    match key {
        "label" => table.label_headers.first().cloned().unwrap_or_default(),
        "no" => table.number_header.clone(),
        _ => table
            .columns
            .iter()
            .find(|c| c.key == key)
            .map(|c| {
                let mut parts = c.group.clone();
                parts.push(c.label.clone());
                parts.join(" / ")
            })
            .unwrap_or_else(|| key.to_string()),
    }
}

fn correction_place(table: &Table, row: Option<&str>, column: Option<&str>) -> String {
    let row_text = row.map(|r| {
        if r == "total" {
            "ردیف جمع".to_string()
        } else {
            format!("ردیف {}", r.trim_start_matches('#'))
        }
    });
    let column_text = column.map(|c| column_label(table, c));
    match (row_text, column_text) {
        (Some(r), Some(c)) => format!("{r}، {c}"),
        (Some(r), None) => r,
        (None, Some(c)) => format!("سرستون «{c}»"),
        (None, None) => "کل جدول".to_string(),
    }
}

fn mark_for(table: &Table, marker: &str) -> Option<MarkModel> {
    let index = table.footnotes.iter().position(|f| f.marker == marker)?;
    Some(MarkModel {
        marker: marker.to_string(),
        target: footnote_id(&table.id, index),
    })
}

fn leaf_id(table: &Table, column: &Column) -> String {
    format!("{}-c-{}", table.id, column.key)
}

fn group_id(table: &Table, level: usize, first_column: usize) -> String {
    format!("{}-g{level}-{first_column}", table.id)
}

/// The `<thead>` rows: group headers span their columns, leaves span down to the last row.
fn header_rows(table: &Table) -> Vec<Vec<HeaderCell>> {
    let depth = table
        .columns
        .iter()
        .map(|c| c.group.len())
        .max()
        .unwrap_or(0)
        + 1;
    let mut rows: Vec<Vec<HeaderCell>> = (0..depth).map(|_| Vec::new()).collect();
    if has_number_column(table) {
        rows[0].push(HeaderCell {
            id: format!("{}-c-no", table.id),
            text: table.number_header.clone(),
            colspan: 1,
            rowspan: depth,
            scope: "col",
            numeric: false,
            mark: None,
        });
    }
    for (i, run) in runs(&table.label_headers, |a, b| a == b) {
        rows[0].push(HeaderCell {
            id: format!("{}-c-label{i}", table.id),
            text: table.label_headers[i].clone(),
            colspan: run,
            rowspan: depth,
            scope: if run > 1 { "colgroup" } else { "col" },
            numeric: false,
            mark: None,
        });
    }
    for (level, row) in rows.iter_mut().enumerate() {
        let mut i = 0;
        while i < table.columns.len() {
            let column = &table.columns[i];
            if level < column.group.len() {
                let prefix = &column.group[..=level];
                let span = table.columns[i..]
                    .iter()
                    .take_while(|c| c.group.len() > level && c.group[..=level] == *prefix)
                    .count();
                row.push(HeaderCell {
                    id: group_id(table, level, i),
                    text: column.group[level].clone(),
                    colspan: span,
                    rowspan: 1,
                    scope: "colgroup",
                    numeric: false,
                    mark: None,
                });
                i += span;
            } else {
                if level == column.group.len() {
                    row.push(HeaderCell {
                        id: leaf_id(table, column),
                        text: column.label.clone(),
                        colspan: 1,
                        rowspan: depth - level,
                        scope: "col",
                        numeric: column.ty.is_numeric(),
                        mark: column.footnote.as_deref().and_then(|m| mark_for(table, m)),
                    });
                }
                i += 1;
            }
        }
    }
    rows
}

/// The id of the header cell over label `level`: equal adjacent label headers share one cell,
/// named after the first level it covers.
fn label_header_id(table: &Table, level: usize) -> String {
    let start = runs(&table.label_headers, |a, b| a == b)
        .into_iter()
        .find(|&(start, len)| level >= start && level < start + len)
        .map_or(level, |(start, _)| start);
    format!("{}-c-label{start}", table.id)
}

/// Adjacent runs of equal items: `(start index, length)`.
fn runs<T>(items: &[T], same: impl Fn(&T, &T) -> bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=items.len() {
        if i == items.len() || !same(&items[start], &items[i]) {
            out.push((start, i - start));
            start = i;
        }
    }
    out
}

/// Column header ids a value cell belongs to: its groups and its leaf.
fn column_headers(table: &Table, index: usize) -> Vec<String> {
    let column = &table.columns[index];
    let mut ids: Vec<String> = (0..column.group.len())
        .map(|level| {
            let first = (0..=index)
                .rev()
                .take_while(|&j| {
                    let c = &table.columns[j];
                    c.group.len() > level && c.group[..=level] == column.group[..=level]
                })
                .last()
                .unwrap_or(index);
            group_id(table, level, first)
        })
        .collect();
    ids.push(leaf_id(table, column));
    ids
}

/// Where a row stands among its table's rows.
struct RowPlace<'a> {
    index: usize,
    spans: &'a LabelSpans,
    anchors: &'a [String],
}

struct RowBuilder<'a> {
    table: &'a Table,
    flagged: &'a [&'a Finding],
    digits: DigitStyle,
}

impl RowBuilder<'_> {
    fn rows(&self, rows: Vec<(&Row, String)>) -> Vec<BodyRow> {
        let spans = LabelSpans::compute(&rows, self.table.label_headers.len());
        let anchors: Vec<String> = rows
            .iter()
            .map(|(_, r)| row_anchor(&self.table.id, r))
            .collect();
        rows.iter()
            .enumerate()
            .map(|(i, (row, reference))| self.row(row, reference, i, &spans, &anchors))
            .collect()
    }

    fn is_flagged(&self, reference: &str, column: Option<&str>) -> bool {
        self.flagged.iter().any(|f| {
            f.row.as_deref() == Some(reference)
                && (column.is_none() || f.column.as_deref() == column)
        })
    }

    fn row(
        &self,
        row: &Row,
        reference: &str,
        index: usize,
        spans: &LabelSpans,
        anchors: &[String],
    ) -> BodyRow {
        let table = self.table;
        let anchor = anchors[index].clone();
        let mut cells = Vec::new();
        let mut row_header_ids = Vec::new();
        if row.heading.is_none() {
            let at = RowPlace {
                index,
                spans,
                anchors,
            };
            self.label_cells(row, &at, &mut cells, &mut row_header_ids);
            for (i, (column, cell)) in table.columns.iter().zip(&row.values).enumerate() {
                let mut headers = column_headers(table, i);
                headers.extend(row_header_ids.iter().cloned());
                cells.push(BodyCell {
                    tag: "td",
                    id: None,
                    headers: headers.join(" "),
                    rowspan: 1,
                    colspan: 1,
                    ty: cell_type(column.ty, cell),
                    value: cell_value(cell),
                    text: cell_text(column.ty, cell, self.digits),
                    mark: row
                        .marks
                        .get(column.key.as_str())
                        .and_then(|m| mark_for(table, m)),
                    flagged: self.is_flagged(reference, Some(&column.key)),
                });
            }
        } else if let Some(no) = &row.no {
            cells.push(self.number_cell(no, &anchor, 1));
        }
        BodyRow {
            heading: row.heading.clone(),
            subtotal: row.subtotal,
            flagged: self.is_flagged(reference, None),
            cells,
            anchor,
        }
    }

    fn number_cell(&self, no: &str, anchor: &str, rowspan: usize) -> BodyCell {
        BodyCell {
            tag: "th",
            id: Some(format!("{anchor}-no")),
            headers: format!("{}-c-no", self.table.id),
            rowspan,
            colspan: 1,
            ty: "no",
            value: CellValue::Text(no.to_string()),
            text: localize_digits(no, self.digits),
            mark: None,
            flagged: false,
        }
    }

    fn label_cells(
        &self,
        row: &Row,
        at: &RowPlace,
        cells: &mut Vec<BodyCell>,
        row_header_ids: &mut Vec<String>,
    ) {
        let table = self.table;
        let (index, spans) = (at.index, at.spans);
        let anchor = at.anchors[index].as_str();
        if has_number_column(table) {
            match (spans.number[index], &row.no) {
                (Span::Start(n), Some(no)) => cells.push(self.number_cell(no, anchor, n)),
                (Span::Start(n), None) => cells.push(BodyCell {
                    value: CellValue::Text(String::new()),
                    text: String::new(),
                    id: None,
                    ..self.number_cell("", anchor, n)
                }),
                _ => {}
            }
        }
        for level in 0..table.label_headers.len() {
            match spans.labels[index][level] {
                Span::Start(n) => {
                    let id = format!("{anchor}-l{level}");
                    let colspan = spans.colspans[index][level];
                    cells.push(BodyCell {
                        tag: "th",
                        id: Some(id.clone()),
                        headers: label_header_id(table, level),
                        rowspan: n,
                        colspan,
                        ty: "label",
                        value: CellValue::Text(row.label[level].clone()),
                        text: row.label[level].clone(),
                        mark: row
                            .marks
                            .get("label")
                            .filter(|_| level == last_label_level(row))
                            .and_then(|m| mark_for(table, m)),
                        flagged: false,
                    });
                    row_header_ids.push(id);
                }
                Span::Covered(origin) => {
                    row_header_ids.push(format!("{}-l{level}", at.anchors[origin]))
                }
                Span::Widened => {}
            }
        }
    }
}

/// The deepest non-empty label: where a row's label mark is shown.
fn last_label_level(row: &Row) -> usize {
    row.label.iter().rposition(|l| !l.is_empty()).unwrap_or(0)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Span {
    /// The cell starts here and spans this many rows.
    Start(usize),
    /// Covered from above by the cell that starts at this row index.
    Covered(usize),
    /// Covered from the side: an empty deeper label level, absorbed by the level before it.
    Widened,
}

/// Row spans of the number column and each label level, merged as the report prints them.
struct LabelSpans {
    number: Vec<Span>,
    labels: Vec<Vec<Span>>,
    colspans: Vec<Vec<usize>>,
}

impl LabelSpans {
    fn compute(rows: &[(&Row, String)], depth: usize) -> LabelSpans {
        let n = rows.len();
        let is_data = |i: usize| rows[i].0.heading.is_none();
        let mut number = vec![Span::Start(1); n];
        let mut labels = vec![vec![Span::Start(1); depth]; n];
        let mut colspans = vec![vec![1; depth]; n];
        for (i, (row, _)) in rows.iter().enumerate() {
            let last = last_label_level(row);
            if depth > 0 && last + 1 < depth {
                colspans[i][last] = depth - last;
                labels[i][last + 1..].fill(Span::Widened);
            }
        }
        for i in 1..n {
            if !(is_data(i) && is_data(i - 1)) {
                continue;
            }
            if rows[i].0.no.is_none() {
                number[i] = Span::Covered(origin(&number, i - 1));
            }
            for level in 0..depth {
                let parent_merged = level == 0 || matches!(labels[i][level - 1], Span::Covered(_));
                let same = parent_merged
                    && labels[i][level] != Span::Widened
                    && colspans[i][level] == colspans[i - 1][level]
                    && !rows[i].0.label[level].is_empty()
                    && rows[i].0.label[..=level] == rows[i - 1].0.label[..=level];
                if same {
                    let column: Vec<Span> = labels.iter().map(|l| l[level]).collect();
                    labels[i][level] = Span::Covered(origin(&column, i - 1));
                }
            }
        }
        count_spans(&mut number);
        for level in 0..depth {
            let mut column: Vec<Span> = labels.iter().map(|l| l[level]).collect();
            count_spans(&mut column);
            for (row, span) in labels.iter_mut().zip(column) {
                row[level] = span;
            }
        }
        LabelSpans {
            number,
            labels,
            colspans,
        }
    }
}

fn origin(spans: &[Span], i: usize) -> usize {
    match spans[i] {
        Span::Covered(o) => o,
        _ => i,
    }
}

/// Turns each `Start(1)` into `Start(rows it spans)`.
fn count_spans(spans: &mut [Span]) {
    for i in 0..spans.len() {
        if let Span::Start(_) = spans[i] {
            let covered = spans[i + 1..]
                .iter()
                .take_while(|s| matches!(s, Span::Covered(o) if *o == i))
                .count();
            spans[i] = Span::Start(covered + 1);
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

fn cell_text(ty: ColumnType, cell: &Cell, digits: DigitStyle) -> String {
    match (ty, cell) {
        (ColumnType::Percent, Cell::Integer(_) | Cell::Decimal(_)) => {
            format_percent(cell.as_number().unwrap_or_default(), digits)
        }
        (_, Cell::Integer(_) | Cell::Decimal(_)) => {
            format_number(cell.as_number().unwrap_or_default(), None, digits)
        }
        (_, Cell::Text(t)) => t.clone(),
        (_, Cell::List(_)) => String::new(),
    }
}

fn cell_value(cell: &Cell) -> CellValue {
    match cell {
        Cell::Integer(i) => CellValue::Number(*i as f64),
        Cell::Decimal(d) => CellValue::Number(*d),
        Cell::Text(t) => CellValue::Text(t.clone()),
        Cell::List(l) => CellValue::List(l.clone()),
    }
}
