//! The reviewer view (`serve`, `build --review`): every `check` finding shown where it applies.
//! A cell a finding is about is outlined by the finding's kind and shows the expected and
//! found figures on hover and focus; a list under its table and a panel at the top of the page
//! link to the cells. A published build never contains any of it.

use super::html::{attr, escaped};
use crate::config::DigitStyle;
use crate::content::{ColumnKey, ColumnRef, Row, RowRef, Table, TableId};
use crate::diagnostics::{Finding, Severity};
use crate::model::ids::{row_anchor, value_cell_id};
use crate::numfmt::localize_digits;
use crate::routes::{Route, Routes};
use crate::state::{SiteState, YearState};
use std::collections::BTreeMap;
use std::path::Path;

/// The view's stylesheet, put in the page's `<head>`: the theme knows nothing of findings.
pub const STYLE: &str = include_str!("review.css");

mod lists;
use lists::{entry_id, place};

/// A panel (or its acknowledged discrepancies) with more entries than this starts folded.
const FOLDED_FROM: usize = 12;

/// How a finding is shown, in the order a reviewer acts on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// Fails `check`: a structural error or arithmetic that does not hold.
    Error,
    /// Lint and style.
    Warning,
    /// The report's own inconsistency, kept as printed and explained in the data.
    Acknowledged,
}

impl Kind {
    pub fn of(f: &Finding) -> Kind {
        match (f.acknowledged, f.severity) {
            (true, _) => Kind::Acknowledged,
            (false, Severity::Warning | Severity::Info) => Kind::Warning,
            _ => Kind::Error,
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            Kind::Error => "finding-error",
            Kind::Warning => "finding-warning",
            Kind::Acknowledged => "finding-acknowledged",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Error => "خطا",
            Kind::Warning => "هشدار",
            Kind::Acknowledged => "ناسازگاری پذیرفته‌شده",
        }
    }
}

/// What one marked cell carries: its worst kind, the list entries that describe it, the tip.
#[derive(Debug, Clone)]
pub struct Marks {
    pub kind: Kind,
    /// Ids of the entries in the list under the table, space-separated.
    pub described_by: String,
    /// The tip's HTML: each finding's kind, rule and figures.
    pub tip: String,
}

/// What one table shows in the reviewer view.
#[derive(Debug, Default)]
pub struct TableReview {
    cells: BTreeMap<(RowRef, ColumnKey), Marks>,
    rows: BTreeMap<RowRef, Kind>,
    /// The list under the table.
    notes: String,
}

impl TableReview {
    pub fn cell(&self, row: &RowRef, column: &ColumnKey) -> Option<&Marks> {
        self.cells.get(&(row.clone(), column.clone()))
    }

    /// The worst kind of the findings about a row as a whole (or a cell the page does not
    /// print on its own, such as a row's label).
    pub fn row(&self, row: &RowRef) -> Option<Kind> {
        self.rows.get(row).copied()
    }

    pub fn notes(&self) -> &str {
        &self.notes
    }
}

/// The reviewer view of one page: its panel, and what each of its tables shows.
#[derive(Debug, Default)]
pub struct PageReview {
    panel: String,
    tables: BTreeMap<TableId, TableReview>,
}

impl PageReview {
    /// The view of `route`: a section page's findings, or a year's on its own pages.
    pub fn of(state: &SiteState, route: &Route, digits: DigitStyle) -> Option<PageReview> {
        let year = state.year(route.year()?)?;
        let context = Context {
            root: &state.root,
            routes: &state.routes,
            page: route,
            digits,
        };
        match route {
            Route::Section(_, slug) => {
                let index = year.loaded.sections.iter().position(|s| &s.slug == slug)?;
                Some(context.section_page(year, index))
            }
            Route::Year(_) | Route::Review(_) => Some(context.year_page(year)),
            _ => None,
        }
    }

    pub fn panel(&self) -> &str {
        &self.panel
    }

    pub fn table(&self, id: &TableId) -> Option<&TableReview> {
        self.tables.get(id)
    }
}

/// One finding as the page lists it.
struct Item<'a> {
    finding: &'a Finding,
    kind: Kind,
    /// Where it is, in readers' words: «جدول T010، ردیف ۳، جمع».
    place: String,
    /// The cell, row or table it points at, when a page shows it.
    href: Option<String>,
    /// The element the finding is about, on its own page.
    target: Target,
}

/// What a finding marks on its section page.
#[derive(Debug, Clone, PartialEq)]
enum Target {
    Cell(RowRef, ColumnKey),
    Row(RowRef),
    Table,
    Nothing,
}

struct Context<'a> {
    root: &'a Path,
    routes: &'a Routes,
    /// The page being rendered: links from it are relative to it.
    page: &'a Route,
    digits: DigitStyle,
}

impl Context<'_> {
    /// A section page: its own findings and those across the year that are in its file.
    fn section_page(&self, year: &YearState, index: usize) -> PageReview {
        let section = &year.loaded.sections[index];
        let tables = &section.data.tables;
        let mut findings: Vec<&Finding> = year.findings.of_section(index, &section.path).collect();
        let position = |f: &Finding| {
            f.table
                .as_ref()
                .and_then(|id| tables.iter().position(|t| &t.id == id))
        };
        // what to act on first, then in page order
        findings.sort_by_key(|f| (Kind::of(f), position(f), f.line));
        let mut rows: BTreeMap<usize, Rows> = BTreeMap::new();
        let items: Vec<Item> = findings
            .into_iter()
            .map(|f| {
                let Some(i) = position(f) else {
                    return self.item(f, None, None, Target::Nothing);
                };
                let index = rows.entry(i).or_insert_with(|| Rows::of(&tables[i]));
                let (target, id) = index.target(f);
                self.item(f, Some(&tables[i]), id.map(|id| format!("#{id}")), target)
            })
            .collect();
        let mut review = PageReview {
            panel: String::new(),
            tables: BTreeMap::new(),
        };
        for table in tables {
            let numbered: Vec<(usize, &Item)> = items
                .iter()
                .enumerate()
                .filter(|(_, it)| it.finding.table.as_ref() == Some(&table.id))
                .collect();
            if !numbered.is_empty() {
                review
                    .tables
                    .insert(table.id.clone(), self.table(table, &numbered));
            }
        }
        let listed_in_a_table = |it: &Item| {
            it.finding
                .table
                .as_ref()
                .is_some_and(|t| review.tables.contains_key(t))
        };
        review.panel = self.panel("یافته‌های بررسی این صفحه", &items, listed_in_a_table);
        review
    }

    /// A year's own pages: every finding of the year, each linked to its section page.
    fn year_page(&self, year: &YearState) -> PageReview {
        let sections = &year.loaded.sections;
        let mut rows: BTreeMap<&TableId, Rows> = BTreeMap::new();
        let items: Vec<Item> = year
            .findings
            .iter()
            .map(|f| {
                let Some(section) = sections.iter().find(|s| s.path == f.file) else {
                    return self.item(f, None, None, Target::Nothing);
                };
                let route = Route::Section(year.year(), section.slug.clone());
                let table = f.table.as_ref().and_then(|id| {
                    let table = section.data.tables.iter().find(|t| &t.id == id)?;
                    Some(rows.entry(id).or_insert_with(|| Rows::of(table)))
                });
                let href = match table.as_ref().and_then(|t| t.target(f).1) {
                    Some(id) => self.routes.link_to(self.page, &route, &id),
                    None => self.routes.link(self.page, &route),
                };
                let table = table.map(|t| t.table);
                self.item(f, table, Some(href), Target::Nothing)
            })
            .collect();
        let mut items = items;
        items.sort_by_key(|it| it.kind);
        PageReview {
            panel: self.panel("یافته‌های بررسی این سال", &items, |_| false),
            tables: BTreeMap::new(),
        }
    }

    fn item<'f>(
        &self,
        finding: &'f Finding,
        table: Option<&Table>,
        href: Option<String>,
        target: Target,
    ) -> Item<'f> {
        Item {
            finding,
            kind: Kind::of(finding),
            place: place(finding, table, self.digits),
            href,
            target,
        }
    }

    /// The marks and the list of one table; `numbered` are its items with their page numbers.
    fn table(&self, table: &Table, numbered: &[(usize, &Item)]) -> TableReview {
        let mut review = TableReview::default();
        let count = localize_digits(&numbered.len().to_string(), self.digits);
        review.notes.push_str("<div class=\"review-notes\" role=\"note\"><p class=\"notes-title\">یافته‌های بررسی جدول ");
        escaped(&mut review.notes, &table.id);
        review.notes.push_str(" (");
        review.notes.push_str(&count);
        review.notes.push_str(")</p>");
        review.notes.push_str(self.list());
        for (n, it) in numbered {
            let id = entry_id(self.page, *n);
            review.notes.push_str("<li");
            attr(&mut review.notes, "id", &id);
            self.entry(&mut review.notes, it);
            match &it.target {
                Target::Cell(row, key) => {
                    let marks = review.cells.entry((row.clone(), key.clone()));
                    let marks = marks.or_insert_with(|| Marks {
                        kind: it.kind,
                        described_by: String::new(),
                        tip: String::new(),
                    });
                    marks.kind = marks.kind.min(it.kind);
                    if !marks.described_by.is_empty() {
                        marks.described_by.push(' ');
                        marks.tip.push_str("<br>");
                    }
                    marks.described_by.push_str(&id);
                    self.tip(&mut marks.tip, it);
                }
                Target::Row(row) => {
                    let kind = review.rows.entry(row.clone()).or_insert(it.kind);
                    *kind = (*kind).min(it.kind);
                }
                Target::Table | Target::Nothing => {}
            }
        }
        review.notes.push_str("</ol></div>\n");
        review
    }
}

/// A table's printed rows by reference, to find what a finding points at.
struct Rows<'t> {
    table: &'t Table,
    by_ref: BTreeMap<RowRef, &'t Row>,
}

impl<'t> Rows<'t> {
    fn of(table: &'t Table) -> Rows<'t> {
        let mut by_ref: BTreeMap<RowRef, &Row> = table
            .row_refs()
            .into_iter()
            .zip(table.rows.iter().map(|r| r.get_ref()))
            .collect();
        if let Some(total) = &table.total {
            by_ref.insert(RowRef::Total, total.get_ref());
        }
        Rows { table, by_ref }
    }

    /// What `f` marks and the id of the element to link to: its cell when the table prints
    /// one for its row and column, else its row, else the table.
    fn target(&self, f: &Finding) -> (Target, Option<String>) {
        let table = self.table;
        let whole = (Target::Table, Some(table.id.to_string()));
        let Some((row, printed)) = f.row().and_then(|r| Some((r, *self.by_ref.get(r)?))) else {
            return whole;
        };
        let anchor = row_anchor(&table.id, row);
        match f.column() {
            Some(ColumnRef::Key(key))
                if printed.heading().is_none() && table.column(key).is_some() =>
            {
                let id = value_cell_id(&anchor, key);
                (Target::Cell(row.clone(), key.clone()), Some(id))
            }
            _ => (Target::Row(row.clone()), Some(anchor)),
        }
    }
}

/// `html` with the view's stylesheet before `</head>` and `panel` at the start of `<main>`
/// (or of `<body>` in a theme without one).
pub fn insert(html: String, panel: &str) -> String {
    let mut html = html;
    if let Some(at) = html.find("</head>") {
        html.insert_str(at, &format!("<style>\n{STYLE}</style>\n"));
    }
    let opening = ["<main", "<body"]
        .iter()
        .find_map(|tag| after_opening_tag(&html, tag));
    if let Some(at) = opening {
        html.insert_str(at, panel);
    }
    html
}

/// The offset just after the `>` of the first `tag` element's opening tag.
fn after_opening_tag(html: &str, tag: &str) -> Option<usize> {
    let start = html.match_indices(tag).find_map(|(i, _)| {
        let next = html.as_bytes().get(i + tag.len())?;
        (next.is_ascii_whitespace() || *next == b'>').then_some(i)
    })?;
    html[start..].find('>').map(|end| start + end + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_panel_goes_into_main_and_the_style_into_head() {
        let page = "<html><head><title>t</title></head><body class=\"x\"><mainly></mainly><main id=\"main\">a</main></body></html>".to_string();
        let out = insert(page, "<aside>p</aside>");
        assert!(
            out.contains("<main id=\"main\"><aside>p</aside>a</main>"),
            "{out}"
        );
        assert!(out.contains("<style>") && out.find("<style>") < out.find("</head>"));
        let bare = insert("<body><p>x</p></body>".to_string(), "P");
        assert_eq!(bare, "<body>P<p>x</p></body>");
    }

    #[test]
    fn the_worst_kind_comes_first() {
        assert!(Kind::Error < Kind::Warning && Kind::Warning < Kind::Acknowledged);
    }
}
