//! A year's search index: its pages, tables and every table row, with each text stored once
//! and each folded term stored once. Entries are arrays of numbers (positions in `texts`), so
//! that the 1400 report's 2,400 rows weigh tens of kilobytes. In memory, texts, terms and the
//! rows' lists are flat buffers rather than a `String` or `Vec` each: a report of 15,000
//! tables has millions of them.

use super::fold::index_terms;
use crate::config::DigitStyle;
use crate::content::{Part, Row, RowRef, Table};
use crate::load::{LoadedSection, LoadedYear};
use crate::model::ids::push_row_anchor;
use crate::model::rows::push_cell_text;
use crate::numfmt::localize_digits;
use crate::routes::{Route, Routes};
use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;
use serde::Serialize;
use std::hash::BuildHasher as _;

/// Changes whenever the shape below changes: the client refuses an index of another format.
pub const FORMAT: u32 = 1;

/// The index of one year, as the client reads it. The numbers in `pages`, `tables` and `rows`
/// are positions in `texts`; `textTerms[i]` holds the positions in `terms` of text `i`'s terms.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct YearIndex<'a> {
    format: u32,
    year: u32,
    /// In JavaScript's string order (UTF-16 code units), for the client's binary search.
    terms: Strings,
    texts: Strings,
    text_terms: IdLists,
    pages: Vec<PageEntry>,
    tables: Vec<TableEntry>,
    rows: Rows<'a>,
}

/// `[link to the page from the index's folder (see `YearIndex::of`), title, its printed pages as the page says them (`صفحه ۷ تا ۸`),
/// other texts (the body's heading, the part)]`.
#[derive(Debug, Serialize)]
struct PageEntry(String, u32, String, Vec<u32>);

/// `[page, anchor, caption, other texts (id, unit, headings, label headers), the label of
/// each value column]`.
#[derive(Debug, Serialize)]
struct TableEntry(u32, String, u32, Vec<u32>, Vec<u32>);

/// Each row as `[table, anchor, label path, each value column's cell as the page prints it]`.
/// Only the texts are held: a row's table and anchor are the year's, written out as the rows
/// are (a 15,000-table report has half a million rows).
#[derive(Debug)]
struct Rows<'a> {
    year: &'a LoadedYear,
    labels: IdLists,
    values: IdLists,
}

impl<'a> Rows<'a> {
    fn with_capacity(year: &'a LoadedYear, rows: usize, cells: usize) -> Rows<'a> {
        Rows {
            year,
            labels: IdLists::with_capacity(rows, rows),
            values: IdLists::with_capacity(cells, rows),
        }
    }

    fn len(&self) -> usize {
        self.labels.len()
    }
}

impl Serialize for Rows<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut rows = serializer.serialize_seq(Some(self.len()))?;
        let tables = self.year.sections.iter().flat_map(|s| &s.data.tables);
        let mut anchor = String::new();
        let mut i = 0;
        for (index, table) in tables.enumerate() {
            for reference in row_refs(table) {
                anchor.clear();
                push_row_anchor(&mut anchor, &table.id, &reference);
                let entry = (
                    index,
                    anchor.as_str(),
                    self.labels.get(i),
                    self.values.get(i),
                );
                rows.serialize_element(&entry)?;
                i += 1;
            }
        }
        rows.end()
    }
}

/// Each row's reference, the totals row's last: the index's order of a table's rows.
fn row_refs(table: &Table) -> impl Iterator<Item = RowRef> {
    let total = table.total.is_some().then_some(RowRef::Total);
    table.row_refs().into_iter().chain(total)
}

impl<'a> YearIndex<'a> {
    /// The index of `year`: its title page and every section, in the report's order. Pages
    /// are named by their links from the index itself, which the client resolves against the
    /// index's address: relative links keep a moved site, or one opened from disk, working.
    pub fn of(year: &'a LoadedYear, routes: &Routes, digits: DigitStyle) -> YearIndex<'a> {
        let y = year.meta.year;
        let here = Route::SearchIndex(y);
        let size = Size::of(year);
        let mut builder = Builder {
            digits,
            texts: Texts::default(),
            pages: Vec::with_capacity(year.sections.len() + 1),
            tables: Vec::with_capacity(size.tables),
            rows: Rows::with_capacity(year, size.rows, size.cells),
            cell: String::new(),
            ids: Vec::new(),
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
        let mut script = Vec::new();
        self.write_script(&mut script)?;
        // serde_json writes UTF-8 only
        String::from_utf8(script).map_err(serde::ser::Error::custom)
    }

    /// The script of [`YearIndex::to_script`], written to `out` as it is made (a large
    /// report's index is tens of megabytes).
    pub fn write_script(&self, mut out: impl std::io::Write) -> serde_json::Result<()> {
        write!(
            out,
            "(window.karnamehIndex=window.karnamehIndex||{{}})[{}]=",
            self.year
        )
        .map_err(serde_json::Error::io)?;
        serde_json::to_writer(&mut out, self)?;
        out.write_all(b";\n").map_err(serde_json::Error::io)
    }

    pub fn row_count(&self) -> usize {
        self.rows.len()
    }
}

/// What a year's index will hold, counted before it is built: its vectors of rows and tables
/// are made their size at once rather than grown by doubling (which, at 15,000 tables, held up
/// to twice them while they were built, and a copy of each as it moved). Texts grow as they
/// are found: most of a report's figures recur (a fifth of its cells are different texts).
struct Size {
    tables: usize,
    rows: usize,
    cells: usize,
}

impl Size {
    fn of(year: &LoadedYear) -> Size {
        let tables = year.sections.iter().flat_map(|s| &s.data.tables);
        let mut size = Size {
            tables: 0,
            rows: 0,
            cells: 0,
        };
        for table in tables {
            let rows = table.rows.len() + usize::from(table.total.is_some());
            size.tables += 1;
            size.rows += rows;
            size.cells += rows * table.columns.len();
        }
        size
    }
}

struct Builder<'a> {
    digits: DigitStyle,
    texts: Texts,
    pages: Vec<PageEntry>,
    tables: Vec<TableEntry>,
    rows: Rows<'a>,
    /// A cell's text as it is written, and a row's ids as they are found (reused).
    cell: String,
    ids: Vec<u32>,
}

impl Builder<'_> {
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
        self.tables.push(TableEntry(
            page,
            table.id.to_string(),
            caption,
            others,
            columns,
        ));
        let body = table.rows.iter().map(|r| r.get_ref());
        for row in body.chain(table.total.as_ref().map(|r| r.get_ref())) {
            self.row(table, row);
        }
    }

    /// A row's texts (its table and anchor are written from the year: `Rows`).
    fn row(&mut self, table: &Table, row: &Row) {
        let ids = &mut self.ids;
        ids.clear();
        if let Some(heading) = row.heading() {
            ids.push(self.texts.id(heading));
            self.rows.labels.push(ids);
            self.rows.values.push(&[]);
            return;
        }
        let labels = row.label.iter().filter(|l| !l.is_empty());
        ids.extend(labels.map(|l| self.texts.id(l)));
        if let (true, Some(no)) = (ids.is_empty(), row.no()) {
            // a row known only by its number (`2-1`) is shown by it
            ids.push(self.texts.id(no.as_str()));
        }
        self.rows.labels.push(ids);
        ids.clear();
        for (column, cell) in table.columns.iter().zip(&row.values) {
            self.cell.clear();
            push_cell_text(&mut self.cell, column.ty, cell, self.digits);
            ids.push(self.texts.id(&self.cell));
        }
        self.rows.values.push(ids);
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

/// Every text of the index once, with its terms, and every term once. A large report's index
/// holds hundreds of thousands of texts (most figures are one): each is stored once, the
/// entries hold its position only, and the texts' terms are one list.
#[derive(Default)]
struct Texts {
    texts: Interned,
    text_terms: IdLists,
    terms: Interned,
    /// A text's terms as they are found, before they are sorted into `text_terms`.
    found: Vec<u32>,
}

impl Texts {
    fn id(&mut self, text: &str) -> u32 {
        let (hash, known) = self.texts.find(text);
        if let Some(id) = known {
            return id;
        }
        let mut found = std::mem::take(&mut self.found);
        index_terms(text, |term| found.push(self.terms.id(term)));
        found.sort_unstable();
        found.dedup();
        self.text_terms.push(&found);
        found.clear();
        self.found = found;
        self.texts.insert(hash, text)
    }

    /// The terms sorted as JavaScript compares strings, and each text's terms renumbered.
    fn finish(self) -> (Strings, Strings, IdLists) {
        let terms = self.terms.strings;
        let mut order: Vec<u32> = (0..position(&terms.ends)).collect();
        let term = |id: u32| terms.get(id as usize);
        // Terms are distinct, so an unstable sort gives the one order. UTF-8 bytes sort as
        // UTF-16 units do unless a character lies past U+FFFF (a lead byte from 0xF0 on).
        if terms.text.bytes().any(|b| b >= 0xF0) {
            order.sort_unstable_by(|&a, &b| term(a).encode_utf16().cmp(term(b).encode_utf16()));
        } else {
            order.sort_unstable_by(|&a, &b| term(a).cmp(term(b)));
        }
        let mut renumbered = vec![0; order.len()];
        let mut sorted = Strings::with_capacity(terms.text.len(), order.len());
        for (new, &old) in order.iter().enumerate() {
            renumbered[old as usize] = new as u32;
            sorted.push(terms.get(old as usize));
        }
        let mut text_terms = self.text_terms;
        text_terms.renumber(&renumbered);
        (sorted, self.texts.strings, text_terms)
    }
}

/// Strings stored once each, numbered in the order of first use (so output is deterministic)
/// and found by their hash.
#[derive(Default)]
struct Interned {
    strings: Strings,
    /// Positions in `strings`.
    ids: HashTable<u32>,
    hasher: FxBuildHasher,
}

impl Interned {
    /// The position of `text`.
    fn id(&mut self, text: &str) -> u32 {
        match self.find(text) {
            (_, Some(id)) => id,
            (hash, None) => self.insert(hash, text),
        }
    }

    /// `text`'s hash, and its position if it is stored.
    fn find(&self, text: &str) -> (u64, Option<u32>) {
        let hash = self.hasher.hash_one(text);
        let strings = &self.strings;
        let id = self.ids.find(hash, |&id| strings.get(id as usize) == text);
        (hash, id.copied())
    }

    /// Stores `text`, which is not stored yet and hashes to `hash`.
    fn insert(&mut self, hash: u64, text: &str) -> u32 {
        let id = position(&self.strings.ends);
        self.strings.push(text);
        let (strings, hasher) = (&self.strings, &self.hasher);
        self.ids
            .insert_unique(hash, id, |&id| hasher.hash_one(strings.get(id as usize)));
        id
    }
}

/// Strings one after the other in one buffer: serialised as an array of strings.
#[derive(Debug, Default)]
struct Strings {
    text: String,
    /// Where each string ends in `text` (a year's index is far below 4 GB).
    ends: Vec<u32>,
}

impl Strings {
    fn with_capacity(bytes: usize, strings: usize) -> Strings {
        Strings {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(strings),
        }
    }

    fn push(&mut self, text: &str) {
        self.text.push_str(text);
        self.end();
    }

    /// Ends the string written onto `text` since the last one ended.
    fn end(&mut self) {
        self.ends
            .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
    }

    fn get(&self, index: usize) -> &str {
        let start = match index {
            0 => 0,
            _ => self.ends[index - 1] as usize,
        };
        &self.text[start..self.ends[index] as usize]
    }
}

impl Serialize for Strings {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((0..self.ends.len()).map(|i| self.get(i)))
    }
}

/// Lists of positions (a text's terms, a row's texts) in one vector: serialised as an array of
/// arrays.
#[derive(Debug, Default)]
struct IdLists {
    terms: Vec<u32>,
    /// Where each list ends in `terms`.
    ends: Vec<u32>,
}

impl IdLists {
    fn with_capacity(ids: usize, lists: usize) -> IdLists {
        IdLists {
            terms: Vec::with_capacity(ids),
            ends: Vec::with_capacity(lists),
        }
    }

    fn push(&mut self, list: &[u32]) {
        self.terms.extend_from_slice(list);
        self.ends.push(position(&self.terms));
    }

    fn get(&self, index: usize) -> &[u32] {
        let start = match index {
            0 => 0,
            _ => self.ends[index - 1] as usize,
        };
        &self.terms[start..self.ends[index] as usize]
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    /// Each term `t` becomes `new[t]`, and each list is sorted again.
    fn renumber(&mut self, new: &[u32]) {
        let mut start = 0;
        for &end in &self.ends {
            let list = &mut self.terms[start..end as usize];
            for term in list.iter_mut() {
                *term = new[*term as usize];
            }
            list.sort_unstable();
            start = end as usize;
        }
    }
}

impl Serialize for IdLists {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut lists = serializer.serialize_seq(Some(self.len()))?;
        for index in 0..self.len() {
            lists.serialize_element(self.get(index))?;
        }
        lists.end()
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
        assert_eq!(stored.ends.len(), 3);
        assert_eq!(
            serde_json::to_value(&terms).unwrap(),
            serde_json::json!(["1400", "کرمان", "کرمانشاه", "\u{10400}", "\u{FA0E}"])
        );
        assert_eq!(stored.get(1), "کرمانشاه ۱۴۰۰");
        assert_eq!(text_terms.get(a as usize), [1]);
        assert_eq!(text_terms.get(b as usize), [0, 2]);
        assert_eq!(text_terms.get(c as usize), [3, 4]);
        assert_eq!(
            serde_json::to_string(&text_terms).unwrap(),
            "[[1],[0,2],[3,4]]"
        );
    }

    #[test]
    fn terms_of_the_basic_plane_sort_by_bytes_as_by_utf16_units() {
        // letters of one, two and three UTF-8 bytes, up to U+FA0E (one that folds to itself)
        let chars = ['a', '7', 'é', 'ی', 'ߊ', 'ࠀ', '가', '\u{FA0E}'];
        let mut texts = Texts::default();
        for (i, a) in chars.iter().enumerate() {
            for b in &chars[i..] {
                texts.id(&format!("{a}{b}z {b}{a}"));
            }
        }
        let (terms, _, _) = texts.finish();
        let sorted: Vec<&str> = (0..terms.ends.len()).map(|i| terms.get(i)).collect();
        let mut by_units = sorted.clone();
        by_units.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
        assert!(sorted.len() > 30, "{sorted:?}");
        assert_eq!(sorted, by_units);
    }
}
