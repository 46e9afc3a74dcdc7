//! A year's search index: its pages, tables and every table row, with each text stored once
//! and each folded term stored once. Entries are arrays of numbers (positions in `texts`), so
//! that the 1400 report's 2,400 rows weigh tens of kilobytes.

use super::fold::index_terms;
use crate::config::DigitStyle;
use crate::content::{Part, Row, RowRef, Table};
use crate::load::{LoadedSection, LoadedYear};
use crate::model::ids::row_anchor;
use crate::model::rows::{CellContent, cell_content};
use crate::numfmt::localize_digits;
use crate::routes::{Route, Routes};
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;

/// Changes whenever the shape below changes: the client refuses an index of another format.
pub const FORMAT: u32 = 1;

/// The index of one year, as the client reads it. The numbers in `pages`, `tables` and `rows`
/// are positions in `texts`; `textTerms[i]` holds the positions in `terms` of text `i`'s terms.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct YearIndex {
    format: u32,
    year: u32,
    /// In JavaScript's string order (UTF-16 code units), for the client's binary search.
    terms: Vec<String>,
    texts: Vec<String>,
    text_terms: Vec<Vec<u32>>,
    pages: Vec<PageEntry>,
    tables: Vec<TableEntry>,
    rows: Vec<RowEntry>,
}

/// `[link to the page from the index's folder (see `YearIndex::of`), title, its printed pages as the page says them (`صفحه ۷ تا ۸`),
/// other texts (the body's heading, the part)]`.
#[derive(Debug, Serialize)]
struct PageEntry(String, u32, String, Vec<u32>);

/// `[page, anchor, caption, other texts (id, unit, headings, label headers), the label of
/// each value column]`.
#[derive(Debug, Serialize)]
struct TableEntry(u32, String, u32, Vec<u32>, Vec<u32>);

/// `[table, anchor, label path, each value column's cell as the page prints it]`.
#[derive(Debug, Serialize)]
struct RowEntry(u32, String, Vec<u32>, Vec<u32>);

impl YearIndex {
    /// The index of `year`: its title page and every section, in the report's order. Pages
    /// are named by their links from the index itself, which the client resolves against the
    /// index's address: relative links keep a moved site, or one opened from disk, working.
    pub fn of(year: &LoadedYear, routes: &Routes, digits: DigitStyle) -> YearIndex {
        let y = year.meta.year;
        let here = Route::SearchIndex(y);
        let mut builder = Builder {
            digits,
            texts: Texts::default(),
            pages: Vec::new(),
            tables: Vec::new(),
            rows: Vec::new(),
        };
        let title = builder.texts.id(&year.meta.title);
        let path = routes.link(&here, &Route::Year(y));
        builder
            .pages
            .push(PageEntry(path, title, String::new(), Vec::new()));
        for section in &year.sections {
            let path = routes.link(&here, &Route::Section(y, section.slug.clone()));
            builder.section(section, path, &year.meta.parts);
        }
        let (terms, texts, text_terms) = builder.texts.finish();
        YearIndex {
            format: FORMAT,
            year: y,
            terms,
            texts,
            text_terms,
            pages: builder.pages,
            tables: builder.tables,
            rows: builder.rows,
        }
    }

    /// The index as a script that assigns it to `window.karnamehIndex[year]`: a plain
    /// `<script>` loads it from disk too, where `fetch` is refused.
    pub fn to_script(&self) -> serde_json::Result<String> {
        let json = serde_json::to_string(self)?;
        Ok(format!(
            "(window.karnamehIndex=window.karnamehIndex||{{}})[{}]={json};\n",
            self.year
        ))
    }

    pub fn row_count(&self) -> usize {
        self.rows.len()
    }
}

struct Builder {
    digits: DigitStyle,
    texts: Texts,
    pages: Vec<PageEntry>,
    tables: Vec<TableEntry>,
    rows: Vec<RowEntry>,
}

impl Builder {
    fn section(&mut self, section: &LoadedSection, path: String, parts: &[Part]) {
        let data = &section.data;
        let part = data
            .part
            .as_ref()
            .and_then(|id| parts.iter().find(|p| &p.id == id))
            .map(|p| p.title.as_str());
        let others = [data.heading.as_deref(), part]
            .into_iter()
            .flatten()
            .map(|t| self.texts.id(t))
            .collect();
        let title = self.texts.id(&data.title);
        let mut pages = format!(
            "صفحه {}",
            localize_digits(&data.page.to_string(), self.digits)
        );
        if let Some(last) = data.last_page.filter(|&l| l != data.page) {
            pages.push_str(" تا ");
            pages.push_str(&localize_digits(&last.to_string(), self.digits));
        }
        let page = position(&self.pages);
        self.pages.push(PageEntry(path, title, pages, others));
        for table in &data.tables {
            self.table(page, table);
        }
    }

    fn table(&mut self, page: u32, table: &Table) {
        let columns = column_labels(table)
            .iter()
            .map(|label| self.texts.id(label))
            .collect();
        let mut others: Vec<&str> = vec![table.id.as_str()];
        others.extend(table.unit.as_deref());
        others.extend(table.headings.iter().map(String::as_str));
        others.extend(table.label_headers.iter().map(String::as_str));
        others.extend(
            table
                .columns
                .iter()
                .flat_map(|c| c.group.iter().map(String::as_str)),
        );
        let mut ids: Vec<u32> = Vec::with_capacity(others.len());
        for text in others {
            let id = self.texts.id(text);
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        let others = ids;
        let caption = self.texts.id(&table.caption);
        let index = position(&self.tables);
        self.tables.push(TableEntry(
            page,
            table.id.to_string(),
            caption,
            others,
            columns,
        ));
        let refs = table.row_refs();
        let body = table.rows.iter().map(|r| r.get_ref()).zip(&refs);
        let foot = table.total.iter().map(|r| (r.get_ref(), &RowRef::Total));
        for (row, reference) in body.chain(foot) {
            let entry = self.row(index, table, row, reference);
            self.rows.push(entry);
        }
    }

    fn row(&mut self, table_index: u32, table: &Table, row: &Row, reference: &RowRef) -> RowEntry {
        let anchor = row_anchor(&table.id, reference);
        if let Some(heading) = &row.heading {
            return RowEntry(
                table_index,
                anchor,
                vec![self.texts.id(heading)],
                Vec::new(),
            );
        }
        let mut labels: Vec<u32> = row
            .label
            .iter()
            .filter(|l| !l.is_empty())
            .map(|l| self.texts.id(l))
            .collect();
        if let (true, Some(no)) = (labels.is_empty(), &row.no) {
            // a row known only by its number (`2-1`) is shown by it
            labels.push(self.texts.id(no.as_str()));
        }
        let values = table
            .columns
            .iter()
            .zip(&row.values)
            .map(
                |(column, cell)| match cell_content(column.ty, cell, self.digits) {
                    CellContent::Text(text) => self.texts.id(&text),
                    CellContent::List(items) => self.texts.id(&items.join("، ")),
                },
            )
            .collect();
        RowEntry(table_index, anchor, labels, values)
    }
}

/// Each value column's label as a result shows it: its own, or its header path where another
/// column has the same label (`اجباری / صدور`, `تشویقی / صدور`). Group labels are searched
/// as texts of the table.
fn column_labels(table: &Table) -> Vec<String> {
    (0..table.columns.len())
        .map(|i| {
            let label = &table.columns[i].label;
            let twins = table.columns.iter().filter(|c| &c.label == label).count();
            if twins > 1 {
                table.header_path(i).join(" / ")
            } else {
                label.clone()
            }
        })
        .collect()
}

/// The position the next item pushed onto `items` takes.
fn position<T>(items: &[T]) -> u32 {
    u32::try_from(items.len()).unwrap_or(u32::MAX)
}

/// Every text of the index once, with its terms, and every term once.
#[derive(Default)]
struct Texts {
    texts: Vec<String>,
    text_terms: Vec<Vec<u32>>,
    /// Lookups only: positions come from the order of first use, so output is deterministic.
    ids: HashMap<String, u32>,
    terms: Vec<String>,
    term_ids: HashMap<String, u32>,
}

impl Texts {
    fn id(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        let id = position(&self.texts);
        let mut terms = Vec::new();
        index_terms(text, |term| terms.push(self.term(term)));
        terms.sort_unstable();
        terms.dedup();
        self.texts.push(text.to_string());
        self.text_terms.push(terms);
        self.ids.insert(text.to_string(), id);
        id
    }

    fn term(&mut self, term: &str) -> u32 {
        if let Some(&id) = self.term_ids.get(term) {
            return id;
        }
        let id = position(&self.terms);
        self.terms.push(term.to_string());
        self.term_ids.insert(term.to_string(), id);
        id
    }

    /// The terms sorted as JavaScript compares strings, and each text's terms renumbered.
    fn finish(self) -> (Vec<String>, Vec<String>, Vec<Vec<u32>>) {
        let mut order: Vec<u32> = (0..position(&self.terms)).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&self.terms[a as usize], &self.terms[b as usize]);
            a.encode_utf16().cmp(b.encode_utf16())
        });
        let mut renumbered = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            renumbered[old as usize] = new as u32;
        }
        let text_terms = self
            .text_terms
            .into_iter()
            .map(|terms| {
                let mut terms: Vec<u32> = terms.iter().map(|&t| renumbered[t as usize]).collect();
                terms.sort_unstable();
                terms
            })
            .collect();
        let mut terms = self.terms;
        let sorted = order
            .iter()
            .map(|&i| std::mem::take(&mut terms[i as usize]))
            .collect();
        (sorted, self.texts, text_terms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_and_terms_are_stored_once_and_terms_sorted_as_javascript_does() {
        let mut texts = Texts::default();
        let a = texts.id("کرمان");
        let b = texts.id("کرمانشاه ۱۴۰۰");
        assert_eq!(texts.id("کرمان"), a);
        // U+FA0E comes before U+10400 in code points, after it in UTF-16
        let c = texts.id("\u{FA0E} \u{10400}");
        let (terms, stored, text_terms) = texts.finish();
        assert_eq!(stored.len(), 3);
        assert_eq!(
            terms,
            ["1400", "کرمان", "کرمانشاه", "\u{10400}", "\u{FA0E}"]
        );
        assert_eq!(text_terms[a as usize], [1]);
        assert_eq!(text_terms[b as usize], [0, 2]);
        assert_eq!(text_terms[c as usize], [3, 4]);
    }
}
