//! `karnameh check`: the checks on loaded content, one module per kind: `structure` (a broken
//! file stops the build), `arithmetic` (the report's own sums and percentages, as
//! `relations`), `links` (figures one table restates from another), `values` (missing and
//! misplaced figures), `labels` (headers and row labels), `lint` (Persian text) and
//! `markdown`. `explain` searches each arithmetic or link finding's likeliest fix, and
//! `coverage` tells which summary rows no link ties to the tables they restate. Findings are
//! kept per section file and per year, so that a change to one file re-checks only that file
//! and what spans the year.

mod arithmetic;
mod completeness;
pub mod coverage;
mod explain;
mod frozen;
mod labels;
mod links;
pub mod lint;
mod markdown;
mod misreading;
mod proposals;
mod relations;
mod runs;
mod structure;
mod suggestion;
mod tables;
mod values;

use crate::content::{ColumnRef, Discrepancy, RowRef, Table, TableId};
use crate::diagnostics::{Finding, Place, Rule};
use crate::load::{LoadedSection, LoadedSite, LoadedYear};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

/// The default tolerance of achievement %: the report rounds or truncates to whole percents.
pub const PCT_TOLERANCE: f64 = 1.0;
/// Shares are printed to whole percents (sometimes one decimal): their sum may miss 100 by this.
pub const SHARE_SUM_TOLERANCE: f64 = 1.5;

/// What `check` found in one year.
#[derive(Debug, Clone, Default)]
pub struct YearFindings {
    /// Per section file, in the year's section order: what the file holds by itself.
    pub sections: Vec<Vec<Finding>>,
    /// Across the year: the foreword, duplicate ids, page order, links, stale acknowledgements.
    pub year: Vec<Finding>,
}

impl YearFindings {
    pub fn iter(&self) -> impl Iterator<Item = &Finding> {
        self.sections.iter().flatten().chain(&self.year)
    }

    /// What section `index` (whose file is `path`) is told about: its own findings, and those
    /// across the year that are in its file (links it restates, stale acknowledgements).
    pub fn of_section<'f>(
        &'f self,
        index: usize,
        path: &'f Path,
    ) -> impl Iterator<Item = &'f Finding> {
        let own = self.sections.get(index).into_iter().flatten();
        own.chain(self.year.iter().filter(move |f| &*f.file == path))
    }

    /// Gives each arithmetic finding its likeliest fix, searched across the whole year (see
    /// [`explain::explain`]). Only the explanations change: what is found, and whether the year
    /// has structural errors, is known before.
    pub fn explain(&mut self, year: &LoadedYear) {
        self.explain_with(year, &tables::YearTables::new(year));
    }

    fn explain_with(&mut self, year: &LoadedYear, tables: &tables::YearTables) {
        let findings = self
            .sections
            .iter_mut()
            .flatten()
            .chain(self.year.iter_mut());
        explain::explain(year, tables, findings);
    }
}

/// Options of the checks that come from `site.toml`.
#[derive(Debug, Clone, Copy, Default)]
pub struct CheckOptions {
    pub allow_external_links: bool,
}

pub fn check_site(site: &LoadedSite) -> Vec<YearFindings> {
    let options = CheckOptions {
        allow_external_links: site.config.allow_external_links,
    };
    site.years.iter().map(|y| check_year(y, options)).collect()
}

/// Every check of one year: each section, then what spans sections.
pub fn check_year(year: &LoadedYear, options: CheckOptions) -> YearFindings {
    let sections: Vec<Vec<Finding>> = year
        .sections
        .par_iter()
        .map(|s| check_section(s, year, options))
        .collect();
    with_year_checks(year, sections, options)
}

/// The year's findings from its sections' own (in section order) and the checks that span it,
/// each arithmetic or link finding with its likeliest fix.
pub fn with_year_checks(
    year: &LoadedYear,
    sections: Vec<Vec<Finding>>,
    options: CheckOptions,
) -> YearFindings {
    let tables = tables::YearTables::new(year);
    let mut findings = across_year(year, &tables, sections, options);
    findings.explain_with(year, &tables);
    findings
}

/// [`with_year_checks`] without the explanations ([`YearFindings::explain`]), which a partial
/// rebuild makes while it draws the changed section's charts.
pub fn with_year_checks_unexplained(
    year: &LoadedYear,
    sections: Vec<Vec<Finding>>,
    options: CheckOptions,
) -> YearFindings {
    across_year(year, &tables::YearTables::new(year), sections, options)
}

/// The sections' findings with what spans the year.
fn across_year(
    year: &LoadedYear,
    tables: &tables::YearTables,
    sections: Vec<Vec<Finding>>,
    options: CheckOptions,
) -> YearFindings {
    let across = check_across(year, tables, &sections, options);
    YearFindings {
        sections,
        year: across,
    }
}

/// What one section file holds by itself: its structure, arithmetic, text and Markdown.
pub fn check_section(
    section: &LoadedSection,
    year: &LoadedYear,
    options: CheckOptions,
) -> Vec<Finding> {
    let at = SectionAt::new(section, year.meta.year);
    let mut findings = Vec::new();
    structure::check_section(&at, year, &mut findings);
    for (index, table) in section.data.tables.iter().enumerate() {
        let before = findings.len();
        structure::check_table(&at, table, &mut findings);
        // arithmetic on a malformed table would only add noise
        if findings[before..]
            .iter()
            .all(|f| f.rule.severity() != crate::diagnostics::Severity::Structure)
        {
            arithmetic::check_table(&at, table, &mut findings);
            values::check_table(&at, table, year.meta.draft, &mut findings);
            labels::check_table(&at, year.meta.year, table, &mut findings);
        }
        lint::lint_table(&at, index, table, &mut findings);
    }
    lint::lint_section(&at, &mut findings);
    if let Some(body) = &section.data.body {
        markdown::check(&at.text(), body, at.page(None), options, &mut findings);
    }
    acknowledge(&section.data.tables, &mut findings);
    findings
}

/// What spans the year: the foreword, ids and pages across sections, links between tables,
/// and acknowledgements that no finding matches any more.
fn check_across(
    year: &LoadedYear,
    tables: &tables::YearTables,
    sections: &[Vec<Finding>],
    options: CheckOptions,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    if let Some(foreword) = &year.meta.foreword {
        let text = TextAt {
            place: Place {
                year: year.meta.year,
                file: year.meta_path.clone(),
            },
            text: &year.meta_text,
            lines: &year.meta_lines,
        };
        markdown::check(&text, foreword, 0, options, &mut findings);
    }
    structure::check_across(year, &mut findings);
    structure::check_series(year, &mut findings);
    frozen::check(year, &mut findings);
    completeness::check(year, &mut findings);
    links::check_links(year, tables, &mut findings);
    let tables: Vec<&Table> = year.sections.iter().flat_map(|s| &s.data.tables).collect();
    acknowledge(tables.iter().copied(), &mut findings);
    let found: Vec<&Finding> = sections.iter().flatten().chain(&findings).collect();
    let stale = stale_acknowledgements(year, &found);
    findings.extend(stale);
    findings
}

/// What an acknowledgement matches: table, rule, row, column. Without a row it matches its
/// rule's findings in every row of the column, and about the column's header.
type AckKey<'a> = (&'a TableId, Rule, Option<&'a RowRef>, Option<&'a ColumnRef>);

/// The acknowledgement a finding matches, if any: its own row's, else its column's.
fn matching<'f>(acknowledged: &BTreeSet<AckKey>, f: &'f Finding) -> Option<AckKey<'f>> {
    if !f.rule.can_be_acknowledged() {
        return None;
    }
    let table = f.table.as_ref()?;
    let own = (table, f.rule, f.row(), f.column());
    let column = (table, f.rule, None, f.column());
    [own, column].into_iter().find(|k| acknowledged.contains(k))
}

fn discrepancy_keys<'t>(tables: impl IntoIterator<Item = &'t Table>) -> BTreeSet<AckKey<'t>> {
    tables
        .into_iter()
        .flat_map(|t| {
            t.discrepancies
                .iter()
                .map(move |d| (&t.id, d.rule, d.row.as_ref(), d.column.as_ref()))
        })
        .collect()
}

/// Marks the findings that a table's `discrepancies` acknowledge.
fn acknowledge<'t>(tables: impl IntoIterator<Item = &'t Table>, findings: &mut [Finding]) {
    let acknowledged = discrepancy_keys(tables);
    for finding in findings.iter_mut() {
        if finding.rule.can_be_acknowledged() {
            finding.acknowledged = matching(&acknowledged, finding).is_some();
        }
    }
}

/// A discrepancy written in the data that no finding matches: the figure was corrected, or the
/// acknowledgement names the wrong cell or rule.
fn stale_acknowledgements(year: &LoadedYear, found: &[&Finding]) -> Vec<Finding> {
    let written = discrepancy_keys(year.sections.iter().flat_map(|s| &s.data.tables));
    let matched: BTreeSet<AckKey> = found
        .iter()
        .filter(|f| f.acknowledged)
        .filter_map(|f| matching(&written, f))
        .collect();
    let mut stale = Vec::new();
    for section in &year.sections {
        let at = SectionAt::new(section, year.meta.year);
        for (index, table) in section.data.tables.iter().enumerate() {
            for d in &table.discrepancies {
                let key = (&table.id, d.rule, d.row.as_ref(), d.column.as_ref());
                if !matched.contains(&key) {
                    stale.push(stale_finding(&at, index, table, d));
                }
            }
        }
    }
    stale
}

fn stale_finding(at: &SectionAt, index: usize, table: &Table, d: &Discrepancy) -> Finding {
    let line = at.section.line_of(&d.note, at.section.table_region(index));
    let place =
        |what: &str, named: Option<String>| named.map_or(String::new(), |n| format!(" {what} {n}"));
    let message = format!(
        "the discrepancy acknowledged for{}{} ({}) matches no finding: remove it, or correct its row, column or rule",
        place("row", d.row.as_ref().map(ToString::to_string)),
        place("column", d.column.as_ref().map(ToString::to_string)),
        d.rule
    );
    let mut finding = Finding::new(
        Rule::StaleAcknowledgement,
        &at.place,
        line,
        at.page(Some(table)),
        message,
    )
    .in_table(&table.id);
    if let Some(row) = &d.row {
        finding = finding.at_row(row.clone());
    }
    if let Some(column) = &d.column {
        finding = finding.at_column(column.clone());
    }
    finding
}

/// A text with its line index and where its findings are reported.
pub(crate) struct TextAt<'a> {
    pub place: Place,
    pub text: &'a str,
    pub lines: &'a crate::source::LineIndex,
}

impl TextAt<'_> {
    pub fn line(&self, offset: usize) -> usize {
        self.lines.line(offset)
    }
}

/// Where the findings of one section file are reported.
pub(crate) struct SectionAt<'a> {
    pub section: &'a LoadedSection,
    pub place: Place,
}

impl<'a> SectionAt<'a> {
    pub fn new(section: &'a LoadedSection, year: u32) -> SectionAt<'a> {
        SectionAt {
            section,
            place: Place {
                year,
                file: Arc::clone(&section.path),
            },
        }
    }

    fn text(&self) -> TextAt<'a> {
        TextAt {
            place: self.place.clone(),
            text: &self.section.text,
            lines: &self.section.lines,
        }
    }

    /// The printed page of `table`, or of the section.
    pub fn page(&self, table: Option<&Table>) -> u32 {
        table.and_then(|t| t.page).unwrap_or(self.section.data.page)
    }

    /// A finding at byte `offset` of the file (0: the table's `[[tables]]` line, or line 1 for
    /// the file as a whole).
    pub fn finding(
        &self,
        rule: Rule,
        offset: usize,
        table: Option<&Table>,
        message: String,
    ) -> Finding {
        let offset = match (offset, table) {
            (0, Some(t)) => t.span.start,
            _ => offset,
        };
        let line = if offset == 0 {
            1
        } else {
            self.section.lines.line(offset)
        };
        let finding = Finding::new(rule, &self.place, line, self.page(table), message);
        match table {
            Some(t) => finding.in_table(&t.id),
            None => finding,
        }
    }
}

/// Findings by table, for the pages that show them next to their cells.
pub fn by_table<'f>(
    findings: impl IntoIterator<Item = &'f Finding>,
) -> BTreeMap<&'f TableId, Vec<&'f Finding>> {
    let mut map: BTreeMap<&TableId, Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        if let Some(table) = &f.table {
            map.entry(table).or_default().push(f);
        }
    }
    map
}

#[cfg(test)]
mod tests;
