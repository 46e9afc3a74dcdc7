//! `karnameh check`: the checks on loaded content, one module per kind: `structure` (a broken
//! file stops the build), `arithmetic` (the report's own sums and percentages), `links` (figures
//! one table restates from another), `lint` (Persian text) and `markdown`. Findings are kept
//! per section file and per year, so that a change to one file re-checks only that file and
//! what spans the year.

mod arithmetic;
mod completeness;
mod frozen;
mod links;
pub mod lint;
mod markdown;
mod structure;

use crate::content::{ColumnRef, Discrepancy, RowRef, Table, TableId};
use crate::diagnostics::{Finding, Place, Rule};
use crate::load::{LoadedSection, LoadedSite, LoadedYear};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
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

/// The year's findings from its sections' own (in section order) and the checks that span it.
pub fn with_year_checks(
    year: &LoadedYear,
    sections: Vec<Vec<Finding>>,
    options: CheckOptions,
) -> YearFindings {
    let across = check_across(year, &sections, options);
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
    links::check_links(year, &mut findings);
    let tables: Vec<&Table> = year.sections.iter().flat_map(|s| &s.data.tables).collect();
    acknowledge(tables.iter().copied(), &mut findings);
    let found: Vec<&Finding> = sections.iter().flatten().chain(&findings).collect();
    let stale = stale_acknowledgements(year, &found);
    findings.extend(stale);
    findings
}

/// What an acknowledgement matches: table, rule, row, column.
type AckKey<'a> = (&'a TableId, Rule, &'a RowRef, &'a ColumnRef);

/// Marks the arithmetic findings that a table's `discrepancies` acknowledge.
fn acknowledge<'t>(tables: impl IntoIterator<Item = &'t Table>, findings: &mut [Finding]) {
    let acknowledged: BTreeSet<AckKey> = tables
        .into_iter()
        .flat_map(|t| {
            t.discrepancies
                .iter()
                .map(move |d| (&t.id, d.rule, &d.row, &d.column))
        })
        .collect();
    for finding in findings.iter_mut() {
        if !finding.rule.can_be_acknowledged() {
            continue;
        }
        if let (Some(table), Some(row), Some(column)) =
            (&finding.table, finding.row(), finding.column())
        {
            finding.acknowledged = acknowledged.contains(&(table, finding.rule, row, column));
        }
    }
}

/// A discrepancy written in the data that no finding matches: the figure was corrected, or the
/// acknowledgement names the wrong cell or rule.
fn stale_acknowledgements(year: &LoadedYear, found: &[&Finding]) -> Vec<Finding> {
    let matched: BTreeSet<AckKey> = found
        .iter()
        .filter(|f| f.acknowledged)
        .filter_map(|f| Some((f.table.as_ref()?, f.rule, f.row()?, f.column()?)))
        .collect();
    let mut stale = Vec::new();
    for section in &year.sections {
        let at = SectionAt::new(section, year.meta.year);
        for (index, table) in section.data.tables.iter().enumerate() {
            for d in &table.discrepancies {
                if matched.contains(&(&table.id, d.rule, &d.row, &d.column)) {
                    continue;
                }
                stale.push(stale_finding(&at, index, table, d));
            }
        }
    }
    stale
}

fn stale_finding(at: &SectionAt, index: usize, table: &Table, d: &Discrepancy) -> Finding {
    let line = at.section.line_of(&d.note, at.section.table_region(index));
    let message = format!(
        "the discrepancy acknowledged for row {} column {} ({}) matches no finding: remove it, or correct its row, column or rule",
        d.row, d.column, d.rule
    );
    Finding::new(
        Rule::StaleAcknowledgement,
        &at.place,
        line,
        at.page(Some(table)),
        message,
    )
    .in_table(&table.id)
    .at_row(d.row.clone())
    .at_column(d.column.clone())
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

    /// A finding at byte `offset` of the file (0: the file as a whole, line 1).
    pub fn finding(
        &self,
        rule: Rule,
        offset: usize,
        table: Option<&Table>,
        message: String,
    ) -> Finding {
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
