//! The render model: loaded content resolved into what pages show (URLs, header cells, row
//! layout, notes, flags). `view` holds the types, `spans` the label-merging algorithm, `ids`
//! the anchor scheme, `rows` the cells of a table's rows. Numbers stay numbers until a row is
//! written: display is the renderer's.

pub mod compare;
mod downloads;
mod finding_notes;
pub mod ids;
mod notes;
pub mod rows;
pub mod series;
pub mod spans;
pub mod view;

use crate::charts::SectionCharts;
use crate::config::DigitStyle;
use crate::content::{ColumnRef, Table, TableId};
use crate::diagnostics::Finding;
use crate::export::{TableFiles, YearExports};
use crate::load::{LoadedSection, LoadedYear};
use crate::routes::Route;
use compare::Previous;
pub use downloads::pdf_link;
use downloads::{download, table_downloads};
use ids::{footnote_id, group_id, leaf_id, number_header_id, row_anchor, section_anchor};
use notes::{correction_place, reader_note, review_corrections, section_field_name};
use spans::runs;
use std::collections::BTreeMap;
pub use view::*;

/// Findings by table id, for the flags of the year's tables.
pub type FindingsByTable<'f> = BTreeMap<&'f TableId, Vec<&'f Finding>>;

/// The model of one year: its sections' models, linked to each other and listed.
pub fn year_model(
    year: &LoadedYear,
    mut sections: Vec<SectionModel>,
    exports: &YearExports,
) -> YearModel {
    let y = year.meta.year;
    link_neighbours(&mut sections);
    let meta = &year.meta;
    YearModel {
        year: y,
        title: meta.title.clone(),
        country: meta.country.clone(),
        organization: meta.organization.clone(),
        publisher: meta.publisher.clone(),
        published: meta.published.clone(),
        place: meta.place.clone(),
        index_page: meta.index_page,
        foreword: meta.foreword.as_ref().map(|f| f.get_ref().clone()),
        foreword_signature: meta.foreword_signature.clone(),
        foreword_in_sections: sections.iter().any(|s| s.foreword),
        draft: meta.draft,
        table_count: sections.iter().map(|s| s.tables.len()).sum(),
        toc: sections.iter().map(toc_entry).collect(),
        corrections: sections.iter().flat_map(review_corrections).collect(),
        sections,
        data_package: exports
            .package
            .as_deref()
            .map(|package| download(Route::DataPackage(y), "ZIP", "application/zip", package)),
        pdf: None,
    }
}

fn toc_entry(s: &SectionModel) -> TocEntry {
    TocEntry {
        route: s.route.clone(),
        anchor: s.anchor.clone(),
        title: s.title.clone(),
        page: s.page,
        part: s.part.clone(),
        tables: s.tables.len(),
    }
}

fn link_neighbours(sections: &mut [SectionModel]) {
    let links: Vec<LinkModel> = sections
        .iter()
        .map(|s| LinkModel {
            route: s.route.clone(),
            title: s.title.clone(),
            page: s.page,
        })
        .collect();
    for (i, section) in sections.iter_mut().enumerate() {
        section.prev = i.checked_sub(1).map(|p| links[p].clone());
        section.next = links.get(i + 1).cloned();
    }
}

/// The model of one section; its charts are moved into the tables that show them, and its
/// tables of a series are compared with `previous` year's.
pub fn section_model(
    section: &LoadedSection,
    year: &LoadedYear,
    findings: &FindingsByTable,
    charts: SectionCharts,
    digits: DigitStyle,
    previous: Option<Previous>,
    files: &[TableFiles],
) -> SectionModel {
    let data = &section.data;
    let route = Route::Section(year.meta.year, section.slug.clone());
    let at = SectionAt {
        page: data.page,
        year: year.meta.year,
        route: &route,
        findings,
        digits,
        loaded: year,
        previous,
    };
    let mut files_of = files.iter();
    let mut previous: &[String] = &[];
    let mut charts_of = charts.tables.into_iter();
    let tables = data
        .tables
        .iter()
        .map(|t| {
            let mut model = table_model(t, &at, previous, charts_of.next().unwrap_or_default());
            model.downloads = table_downloads(year.meta.year, files_of.next());
            previous = &t.headings;
            model
        })
        .collect();
    SectionModel {
        slug: section.slug.clone(),
        route: route.clone(),
        anchor: section_anchor(&section.slug),
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
        body: data.body.as_ref().map(|b| b.get_ref().clone()),
        corrections: data
            .corrections
            .iter()
            .map(|c| CorrectionNote {
                anchor: None,
                place: section_field_name(c.field).to_string(),
                printed: c.printed.clone(),
                reason: c.reason.clone(),
                reader_note: reader_note(c.misprint, &c.printed, c.note.as_deref(), digits),
            })
            .collect(),
        tables,
        overview: charts.overview,
        prev: None,
        next: None,
    }
}

/// What a table's model needs from the page it is on.
struct SectionAt<'a> {
    page: u32,
    year: u32,
    route: &'a Route,
    findings: &'a FindingsByTable<'a>,
    digits: DigitStyle,
    /// The year, for the places an explanation names.
    loaded: &'a LoadedYear,
    previous: Option<Previous<'a>>,
}

impl SectionAt<'_> {
    fn notes_at(&self, page: u32) -> finding_notes::NotesAt<'_> {
        finding_notes::NotesAt {
            page,
            route: self.route,
            year: self.loaded,
            digits: self.digits,
        }
    }
}

fn table_model(
    table: &Table,
    at: &SectionAt,
    previous: &[String],
    charts: Vec<crate::charts::Chart>,
) -> TableModel {
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
    let page = table.page.unwrap_or(at.page);
    let findings = at.findings.get(&table.id).map_or(&[][..], Vec::as_slice);
    let footnotes: Vec<FootnoteModel> = table
        .footnotes
        .iter()
        .enumerate()
        .map(|(i, f)| FootnoteModel {
            id: footnote_id(&table.id, i),
            marker: f.marker.clone(),
            text: f.text.clone(),
        })
        .collect();
    TableModel {
        id: table.id.clone(),
        kind: table.kind.as_str(),
        caption: table.caption.clone(),
        page,
        headings,
        unit: table.unit.clone(),
        note: table.note.clone(),
        header_rows: header_rows(table, &footnotes),
        column_headers: (0..table.columns.len())
            .map(|i| column_headers(table, i))
            .collect(),
        column_count: usize::from(table.has_number_column())
            + table.label_headers.len()
            + table.columns.len(),
        has_totals: table.total.is_some(),
        flags: flags(findings),
        corrections: table
            .corrections
            .iter()
            .map(|c| CorrectionNote {
                anchor: c.row.as_ref().map(|r| row_anchor(&table.id, r)),
                place: correction_place(table, c.row.as_ref(), c.column.as_ref(), at.digits),
                printed: c.printed.clone(),
                reason: c.reason.clone(),
                reader_note: reader_note(c.misprint, &c.printed, c.note.as_deref(), at.digits),
            })
            .collect(),
        discrepancies: finding_notes::discrepancy_notes(table, &at.notes_at(page), findings),
        open: finding_notes::open_notes(table, &at.notes_at(page), findings),
        footnotes,
        charts,
        comparison: compare::compare(table, at.year, at.previous),
        downloads: Vec::new(),
    }
}

/// What acknowledged discrepancies outline: their rows, and their cells.
fn flags(findings: &[&Finding]) -> Flags {
    let mut flags = Flags::default();
    for f in findings.iter().filter(|f| f.acknowledged) {
        let Some(row) = f.row() else { continue };
        flags.rows.insert(row.clone());
        if let Some(key) = f.column().and_then(ColumnRef::key) {
            flags.cells.insert((row.clone(), key.clone()));
        }
    }
    flags
}

fn mark_for(table: &Table, footnotes: &[FootnoteModel], marker: &str) -> Option<MarkModel> {
    let index = table.footnotes.iter().position(|f| f.marker == marker)?;
    Some(MarkModel {
        marker: marker.to_string(),
        target: footnotes[index].id.clone(),
    })
}

/// The `<thead>` rows: group headers span their columns, leaves span down to the last row.
fn header_rows(table: &Table, footnotes: &[FootnoteModel]) -> Vec<Vec<HeaderCell>> {
    let depth = table.header_depth();
    let mut rows: Vec<Vec<HeaderCell>> = (0..depth).map(|_| Vec::new()).collect();
    if table.has_number_column() {
        rows[0].push(HeaderCell {
            id: number_header_id(&table.id),
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
                    id: group_id(&table.id, level, i),
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
                        id: leaf_id(&table.id, column),
                        text: column.label.clone(),
                        colspan: 1,
                        rowspan: depth - level,
                        scope: "col",
                        numeric: column.ty.is_numeric(),
                        mark: column
                            .footnote
                            .as_deref()
                            .and_then(|m| mark_for(table, footnotes, m)),
                    });
                }
                i += 1;
            }
        }
    }
    rows
}

/// The ids of the header cells over value column `index`: its groups and its leaf.
fn column_headers(table: &Table, index: usize) -> String {
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
            group_id(&table.id, level, first)
        })
        .collect();
    ids.push(leaf_id(&table.id, column));
    ids.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::RowRef;
    use crate::source::parse_toml;
    use std::path::Path;

    fn table(toml: &str) -> Table {
        let text =
            format!("title = \"s\"\npage = 1\n[[tables]]\nid = \"T1\"\ncaption = \"c\"\n{toml}");
        parse_toml::<crate::content::SectionFile>(Path::new("t.toml"), &text)
            .unwrap()
            .tables
            .remove(0)
    }

    const GROUPED: &str = r#"kind = "crosstab"
label_headers = ["استان", "استان"]
columns = [
  { key = "a", label = "صدور", role = "category", group = ["اجباری"] },
  { key = "b", label = "تمدید", role = "category", group = ["اجباری"] },
  { key = "c", label = "جمع", role = "total" },
]
rows = [ { no = "1", label = ["الف", "ب"], values = [1, 2, 3] } ]
"#;

    #[test]
    fn header_rows_span_groups_and_equal_label_headers() {
        let t = table(GROUPED);
        let rows = header_rows(&t, &[]);
        let first: Vec<(&str, usize, usize)> = rows[0]
            .iter()
            .map(|h| (h.text.as_str(), h.colspan, h.rowspan))
            .collect();
        assert_eq!(
            first,
            [
                ("ردیف", 1, 2),
                ("استان", 2, 2),
                ("اجباری", 2, 1),
                ("جمع", 1, 2)
            ]
        );
        let second: Vec<&str> = rows[1].iter().map(|h| h.text.as_str()).collect();
        assert_eq!(second, ["صدور", "تمدید"]);
        assert_eq!(column_headers(&t, 1), "T1-g0-0 T1-c-b");
        assert_eq!(column_headers(&t, 2), "T1-c-c");
    }

    #[test]
    fn only_acknowledged_findings_flag_rows_and_cells() {
        use crate::diagnostics::{Place, Rule};
        let place = Place {
            year: 1400,
            file: std::sync::Arc::from(Path::new("a.toml")),
        };
        let key = ColumnRef::try_from("a".to_string()).unwrap();
        let mut acknowledged = Finding::new(Rule::Total, &place, 1, 1, String::new())
            .at_row(RowRef::Total)
            .at_column(key.clone());
        acknowledged.acknowledged = true;
        let open = Finding::new(Rule::Total, &place, 1, 1, String::new())
            .at_row(RowRef::Position(1))
            .at_column(key);
        let flags = flags(&[&acknowledged, &open]);
        assert!(flags.row(&RowRef::Total) && !flags.row(&RowRef::Position(1)));
        assert_eq!(flags.cells.len(), 1);
    }
}
