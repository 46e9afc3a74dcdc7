//! Link coverage (`karnameh check --links`): which rows of the summary and office tables
//! (`activities`) no link ties to a table they restate, and the links their figures suggest:
//! a row whose plan or actual equals, or nearly equals, a figure of the same kind in a totals
//! row, a subtotal or a row of another table of the same year, in the same unit.

use super::links::{self, normalize};
use super::proposals;
use super::relations::CellId;
use super::tables::YearTables;
use crate::content::{ColumnKey, Role, RowRef, TableId, TableKind};
use crate::load::{LoadedSite, LoadedYear};
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// The coverage of every year of a site.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    pub years: Vec<YearCoverage>,
}

#[derive(Debug, Clone, Serialize)]
pub struct YearCoverage {
    pub year: u32,
    /// Every `activities` table, in the order of the report.
    pub tables: Vec<TableCoverage>,
    /// The rows with a figure no link reads, in the order of the report, with proposals.
    pub rows: Vec<RowCoverage>,
}

/// How many rows of one table links cover.
#[derive(Debug, Clone, Serialize)]
pub struct TableCoverage {
    pub table: TableId,
    pub page: u32,
    pub file: PathBuf,
    /// The section's title: the summary, an office.
    pub section: String,
    /// Rows with a plan or actual figure.
    pub rows: usize,
    /// Rows whose every plan and actual figure a link reads.
    pub covered: usize,
    /// Rows with some figures read by a link and some not.
    pub partly: usize,
}

/// A row with a figure no link reads.
#[derive(Debug, Clone, Serialize)]
pub struct RowCoverage {
    pub table: TableId,
    pub page: u32,
    pub file: PathBuf,
    pub line: usize,
    pub row: RowRef,
    pub label: Vec<String>,
    /// Columns a link reads, and columns with a figure that none reads.
    pub linked: Vec<ColumnKey>,
    pub unlinked: Vec<ColumnKey>,
    /// Candidate links, best first.
    pub proposals: Vec<proposals::Proposal>,
}

pub fn coverage(site: &LoadedSite) -> Coverage {
    Coverage {
        years: site.years.iter().map(year_coverage).collect(),
    }
}

/// The columns whose figures a link of a summary row would read.
pub fn linkable(role: Option<Role>) -> bool {
    matches!(role, Some(Role::Plan | Role::Actual))
}

pub fn year_coverage(year: &LoadedYear) -> YearCoverage {
    let tables = YearTables::new(year);
    let pairs = links::resolve(year, &tables).pairs;
    let linked: BTreeSet<CellId> = pairs
        .iter()
        .flat_map(|p| std::iter::once(p.mine).chain(p.theirs.iter().copied()))
        .collect();
    let search = proposals::Candidates::new(&tables);
    let mut out = YearCoverage {
        year: year.meta.year,
        tables: Vec::new(),
        rows: Vec::new(),
    };
    for (number, at) in tables.tables.iter().enumerate() {
        if at.table.kind != TableKind::Activities {
            continue;
        }
        let number = u32::try_from(number).unwrap_or(u32::MAX);
        let section = &year.sections[at.section];
        let mut counts = TableCoverage {
            table: at.table.id.clone(),
            page: at.page,
            file: section.path.to_path_buf(),
            section: section.data.title.clone(),
            rows: 0,
            covered: 0,
            partly: 0,
        };
        for (i, row) in at.rows().iter().enumerate() {
            let figures: Vec<usize> = (0..at.table.columns.len())
                .filter(|&c| linkable(at.table.columns[c].role) && row.row.number(c).is_some())
                .collect();
            if row.row.heading().is_some() || figures.is_empty() {
                continue;
            }
            let cell = |c: usize| CellId::new(number, i, c);
            let (read, unread): (Vec<usize>, Vec<usize>) =
                figures.iter().partition(|&&c| linked.contains(&cell(c)));
            counts.rows += 1;
            match (read.is_empty(), unread.is_empty()) {
                (_, true) => counts.covered += 1,
                (false, false) => counts.partly += 1,
                (true, false) => {}
            }
            if unread.is_empty() {
                continue;
            }
            let key = |c: &usize| at.table.columns[*c].key.clone();
            out.rows.push(RowCoverage {
                table: at.table.id.clone(),
                page: at.page,
                file: section.path.to_path_buf(),
                line: section.lines.line(row.offset),
                row: row.reference.clone(),
                label: row.row.label.clone(),
                linked: read.iter().map(key).collect(),
                unlinked: unread.iter().map(key).collect(),
                proposals: search.propose(number, i, &unread),
            });
        }
        out.tables.push(counts);
    }
    out
}

/// Words of a label path for comparing it with another: no joiners, no short words.
pub fn words(texts: &[&str]) -> BTreeSet<String> {
    texts
        .iter()
        .flat_map(|t| t.split(|c: char| c.is_whitespace() || "()،,/-–:«»".contains(c)))
        .map(normalize)
        .filter(|w| w.chars().count() > 2)
        .collect()
}
