//! The downloads stage: every table's data as CSV, XLSX and JSON, and each year's data package
//! (a zip of every table's files with a Frictionless `datapackage.json`). It reads the checked
//! content only, so the files are the same whatever the theme or base URL; the model learns their
//! sizes for the download links.

mod csv;
mod json;
mod notes;
mod package;
mod xlsx;

use crate::content::{ColumnRef, RowRef, SectionFile, Table, TableId, YearMeta};
use crate::load::{LoadedSection, LoadedYear};
use crate::routes::{DataFormat, Route};
use anyhow::Result;
use rayon::prelude::*;

pub use notes::NOTES_SHEET;
pub use package::{DATAPACKAGE, PreviousPackage};

/// What a table's files say about where it is printed.
#[derive(Debug, Clone, Copy)]
pub struct TableContext<'a> {
    pub meta: &'a YearMeta,
    pub section_title: &'a str,
    pub section_page: u32,
}

impl<'a> TableContext<'a> {
    pub fn new(meta: &'a YearMeta, section: &'a SectionFile) -> TableContext<'a> {
        TableContext {
            meta,
            section_title: &section.title,
            section_page: section.page,
        }
    }

    /// The printed page of `table`.
    pub fn page(&self, table: &Table) -> u32 {
        table.page.unwrap_or(self.section_page)
    }
}

/// One table's downloads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableFiles {
    pub id: TableId,
    pub csv: Vec<u8>,
    pub xlsx: Vec<u8>,
    pub json: Vec<u8>,
}

impl TableFiles {
    pub fn bytes(&self, format: DataFormat) -> &[u8] {
        match format {
            DataFormat::Csv => &self.csv,
            DataFormat::Xlsx => &self.xlsx,
            DataFormat::Json => &self.json,
        }
    }
}

/// A year's downloads: per section, its tables' files; and the data package. A site without
/// downloads (`downloads = false`) has no files and no package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearExports {
    pub year: u32,
    pub sections: Vec<Vec<TableFiles>>,
    pub package: Option<Vec<u8>>,
}

impl YearExports {
    /// No downloads: an empty list per section.
    pub fn none(year: &LoadedYear) -> YearExports {
        YearExports {
            year: year.meta.year,
            sections: vec![Vec::new(); year.sections.len()],
            package: None,
        }
    }

    /// Every file with its route, tables first, in content order.
    pub fn files(&self) -> impl Iterator<Item = (Route, &[u8])> {
        let year = self.year;
        self.sections
            .iter()
            .flatten()
            .flat_map(move |t| {
                DataFormat::ALL
                    .into_iter()
                    .map(move |f| (Route::TableFile(year, t.id.clone(), f), t.bytes(f)))
            })
            .chain(
                self.package
                    .as_deref()
                    .map(|package| (Route::DataPackage(year), package)),
            )
    }

    pub fn file(&self, route: &Route) -> Option<&[u8]> {
        match route {
            Route::TableFile(y, id, format) if *y == self.year => self
                .sections
                .iter()
                .flatten()
                .find(|t| &t.id == id)
                .map(|t| t.bytes(*format)),
            Route::DataPackage(y) if *y == self.year => self.package.as_deref(),
            _ => None,
        }
    }
}

/// A table's three files.
pub fn table_files(context: &TableContext, table: &Table) -> Result<TableFiles> {
    Ok(TableFiles {
        id: table.id.clone(),
        csv: table_file(context, table, DataFormat::Csv)?,
        xlsx: table_file(context, table, DataFormat::Xlsx)?,
        json: table_file(context, table, DataFormat::Json)?,
    })
}

/// A table's file in one format.
pub fn table_file(context: &TableContext, table: &Table, format: DataFormat) -> Result<Vec<u8>> {
    match format {
        DataFormat::Csv => csv::table_csv(table),
        DataFormat::Xlsx => xlsx::table_xlsx(context, table),
        DataFormat::Json => json::table_json(context, table),
    }
}

/// The files of every table of `section`, in parallel.
pub fn section_files(meta: &YearMeta, section: &LoadedSection) -> Result<Vec<TableFiles>> {
    let context = TableContext::new(meta, &section.data);
    section
        .data
        .tables
        .par_iter()
        .map(|t| table_files(&context, t))
        .collect()
}

/// A year's downloads from its sections' files (`sections[i]` belongs to `year.sections[i]`);
/// the package's entries that `previous` holds already are copied from it.
pub fn year_exports(
    year: &LoadedYear,
    sections: Vec<Vec<TableFiles>>,
    previous: Option<&YearExports>,
) -> Result<YearExports> {
    let previous = previous.and_then(|p| {
        Some(PreviousPackage {
            zip: p.package.as_deref()?,
            files: &p.sections,
        })
    });
    let package = package::data_package(year, &sections, previous)?;
    Ok(YearExports {
        year: year.meta.year,
        sections,
        package: Some(package),
    })
}

/// Every download of a year, made from scratch; none when the site has them off.
pub fn export_year(year: &LoadedYear, downloads: bool) -> Result<YearExports> {
    if !downloads {
        return Ok(YearExports::none(year));
    }
    let sections = year
        .sections
        .par_iter()
        .map(|s| section_files(&year.meta, s))
        .collect::<Result<Vec<_>>>()?;
    year_exports(year, sections, None)
}

/// A row as the notes name it: its number, `#5`, or the totals row.
fn row_name(row: &RowRef) -> String {
    match row {
        RowRef::Total => "جمع کل".to_string(),
        other => other.to_string(),
    }
}

/// A column as the notes name it: its header, groups joined.
fn column_name(table: &Table, column: &ColumnRef) -> String {
    table.column_label(column, crate::content::flat::HEADER_SEPARATOR)
}
