//! `karnameh check --links`: how many rows of each summary and office table links cover, then
//! each row with a figure no link reads, with the links its figures suggest as TOML to paste.

use crate::check::coverage::{Coverage, RowCoverage, YearCoverage};
use crate::numfmt::plain;
use std::io;

pub fn write_coverage(coverage: &Coverage, out: &mut dyn io::Write) -> io::Result<()> {
    for year in &coverage.years {
        write_year(year, out)?;
    }
    Ok(())
}

fn write_year(year: &YearCoverage, out: &mut dyn io::Write) -> io::Result<()> {
    writeln!(
        out,
        "link coverage of {} (summary and office tables):",
        year.year
    )?;
    let mut totals = (0, 0, 0);
    for t in &year.tables {
        let not = t.rows - t.covered - t.partly;
        writeln!(
            out,
            "  page {:<3} {:<6} {:>3} of {:>3} rows covered, {:>3} partly, {:>3} not  {}",
            t.page, t.table, t.covered, t.rows, t.partly, not, t.section
        )?;
        totals = (totals.0 + t.rows, totals.1 + t.covered, totals.2 + t.partly);
    }
    let (rows, covered, partly) = totals;
    writeln!(
        out,
        "  all: {covered} of {rows} rows covered, {partly} partly, {} not",
        rows - covered - partly
    )?;
    for row in &year.rows {
        write_row(row, out)?;
    }
    Ok(())
}

fn write_row(row: &RowCoverage, out: &mut dyn io::Write) -> io::Result<()> {
    let unlinked: Vec<&str> = row.unlinked.iter().map(|k| k.as_str()).collect();
    writeln!(
        out,
        "\npage {} {} row {} («{}», {}:{}): no link reads {}",
        row.page,
        row.table,
        row.row,
        shown(&row.label),
        row.file.display(),
        row.line,
        unlinked.join(", ")
    )?;
    if row.proposals.is_empty() {
        return writeln!(out, "  no other table of the year holds its figures");
    }
    for p in &row.proposals {
        let matches: Vec<String> = p
            .matches
            .iter()
            .map(|m| {
                let sign = if m.value == m.other_value { "=" } else { "≈" };
                format!(
                    "{} {} {sign} {} {}",
                    m.column,
                    plain(m.value),
                    m.other_column,
                    plain(m.other_value)
                )
            })
            .collect();
        let rows = if p.rows.is_empty() {
            format!("row {}", p.row)
        } else {
            let rows: Vec<String> = p.rows.iter().map(ToString::to_string).collect();
            format!("rows {} (their sum)", rows.join(", "))
        };
        writeln!(
            out,
            "  candidate {} {rows} (page {}, «{}», score {}): {}",
            p.table,
            p.page,
            shown(&p.label),
            plain(p.score),
            matches.join(", ")
        )?;
        if !p.toml.is_empty() {
            writeln!(
                out,
                "    # under table {} in {}",
                row.table,
                row.file.display()
            )?;
            for line in p.toml.lines() {
                if line.is_empty() {
                    writeln!(out)?;
                } else {
                    writeln!(out, "    {line}")?;
                }
            }
        }
    }
    Ok(())
}

/// A label path as readers see it: its printed levels.
fn shown(label: &[String]) -> String {
    let levels: Vec<&str> = label
        .iter()
        .map(String::as_str)
        .filter(|l| !l.is_empty())
        .collect();
    levels.join(" / ")
}
