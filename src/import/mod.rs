//! `karnameh import`: a spreadsheet laid out like a table's download (or like its printed form:
//! header rows, label columns, value columns) read into that table's rows. Columns are matched
//! by header text and rows by number and label; numbers typed as Persian text are converted and
//! listed. Any mismatch, unplaceable merged cell or formula without a saved value is refused with
//! its cell address, and then nothing is written.

mod layout;
mod rows;
pub mod sheet;
mod write;

use crate::content::{Table, TableId};
use crate::load::{LoadedSection, LoadedSite};
use anyhow::{Result, anyhow, bail};
use std::fmt;
use std::path::{Path, PathBuf};

pub use rows::Imported;

/// Something in the sheet that stops the import: where, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `Sheet1!C7`, `Sheet1!B1:C1`, or the sheet's name for the sheet as a whole.
    pub at: String,
    pub reason: String,
}

impl Problem {
    pub fn new(at: impl Into<String>, reason: impl Into<String>) -> Problem {
        Problem {
            at: at.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.reason)
    }
}

/// What to import, and where.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub root: PathBuf,
    pub file: PathBuf,
    pub table: TableId,
    /// The year the table is in; needed only when several years have a table of that id.
    pub year: Option<u32>,
    pub sheet: Option<String>,
    pub write: bool,
}

/// What an import did.
#[derive(Debug, Clone)]
pub struct ImportReport {
    /// The section file that holds the table.
    pub section: PathBuf,
    pub imported: Imported,
    /// The table's new `rows` and `total`, as TOML.
    pub toml: String,
    pub written: bool,
}

/// Reads the sheet into the table's rows; writes the section file only with `write` and only
/// when everything matched.
pub fn import(site: &LoadedSite, options: &ImportOptions) -> Result<ImportReport> {
    let (section, table) = find_table(site, &options.table, options.year)?;
    let imported = read(&options.file, options.sheet.as_deref(), table)?;
    let (edited, toml) = write::replace_rows(&section.path, &section.text, &table.id, &imported)?;
    if options.write {
        write::write_atomically(&section.path, &edited)?;
    }
    Ok(ImportReport {
        section: section.path.to_path_buf(),
        imported,
        toml,
        written: options.write,
    })
}

/// The cells of `table` read from the spreadsheet at `file`; every problem, when there is any.
pub fn read(file: &Path, sheet: Option<&str>, table: &Table) -> Result<Imported> {
    let mut grid = sheet::read(file, sheet)?;
    let found =
        layout::find(table, &mut grid).and_then(|layout| rows::read_rows(table, &grid, &layout));
    found.map_err(|problems| {
        let listed: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
        anyhow!(
            "{} does not fit table {} ({} problem(s)); nothing was written:\n{}",
            file.display(),
            table.id,
            problems.len(),
            listed.join("\n")
        )
    })
}

fn find_table<'s>(
    site: &'s LoadedSite,
    id: &TableId,
    year: Option<u32>,
) -> Result<(&'s LoadedSection, &'s Table)> {
    let mut found: Vec<(u32, &LoadedSection, &Table)> = Vec::new();
    for y in site
        .years
        .iter()
        .filter(|y| year.is_none_or(|wanted| y.meta.year == wanted))
    {
        for s in &y.sections {
            found.extend(
                s.data
                    .tables
                    .iter()
                    .filter(|t| &t.id == id)
                    .map(|t| (y.meta.year, s, t)),
            );
        }
    }
    match found.as_slice() {
        [(_, section, table)] => Ok((section, table)),
        [] => match year {
            Some(y) => bail!("year {y} has no table {id}"),
            None => bail!("no year has a table {id}"),
        },
        several => bail!(
            "table {id} is in years {}: choose one with --year",
            several
                .iter()
                .map(|(y, _, _)| y.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
