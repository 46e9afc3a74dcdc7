//! The downloads stage: every table's data as CSV, XLSX and JSON, and each year's data package
//! (a zip of every table's files with a Frictionless `datapackage.json`). It reads the checked
//! content only, so the files are the same whatever the theme or base URL; the model learns their
//! sizes for the download links.

mod csv;
mod json;
mod notes;
mod package;
mod reuse;
mod xlsx;

use crate::content::{ColumnRef, RowRef, SectionFile, Table, TableId, YearMeta};
use crate::load::{LoadedSection, LoadedYear};
use crate::routes::{DataFormat, Route};
use anyhow::Result;
use rayon::prelude::*;

pub use notes::NOTES_SHEET;
pub use package::{DATAPACKAGE, PreviousPackage};
pub use reuse::{EarlierDownloads, NoEarlierDownloads, ReadAhead, YearInputs};

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
    /// What the files were made from, by this program (see [`YearInputs::key`]): a later
    /// build given the same key may take them instead of making them again. `None` when the
    /// program cannot tell itself apart from another version.
    pub made_from: Option<String>,
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
    /// What the package was made from (see [`YearInputs::package_key`]), when known.
    pub package_made_from: Option<String>,
}

impl YearExports {
    /// No downloads: an empty list per section.
    pub fn none(year: &LoadedYear) -> YearExports {
        YearExports {
            year: year.meta.year,
            sections: vec![Vec::new(); year.sections.len()],
            package: None,
            package_made_from: None,
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

    /// Each table file and the package with the key of what it was made from, when known.
    pub fn inputs(&self) -> impl Iterator<Item = (Route, &str)> {
        let year = self.year;
        let tables = self.sections.iter().flatten().flat_map(move |t| {
            t.made_from.as_deref().into_iter().flat_map(move |key| {
                DataFormat::ALL
                    .into_iter()
                    .map(move |f| (Route::TableFile(year, t.id.clone(), f), key))
            })
        });
        let package = self.package.as_ref().and(self.package_made_from.as_deref());
        tables.chain(package.map(|key| (Route::DataPackage(year), key)))
    }

    /// The tables' files of `year`, with the key of the package to be made of them (see
    /// [`YearInputs::package_key`]) and no package yet.
    fn of_tables(
        year: &LoadedYear,
        sections: Vec<Vec<TableFiles>>,
        inputs: &YearInputs,
    ) -> YearExports {
        let tables = sections.iter().flatten();
        let package_made_from = inputs.package_key(tables.map(|t| t.made_from.as_deref()));
        YearExports {
            year: year.meta.year,
            sections,
            package: None,
            package_made_from,
        }
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

/// A table's file in one format.
pub fn table_file(context: &TableContext, table: &Table, format: DataFormat) -> Result<Vec<u8>> {
    match format {
        DataFormat::Csv => csv::table_csv(table),
        DataFormat::Xlsx => xlsx::table_xlsx(context, table),
        DataFormat::Json => json::table_json(context, table),
    }
}

/// The files of every table of `section`, made anew, in parallel.
pub fn section_files(meta: &YearMeta, section: &LoadedSection) -> Result<Vec<TableFiles>> {
    let inputs = YearInputs::of(meta);
    let made = reuse::section_files(meta, section, &inputs, &NoEarlierDownloads)?;
    Ok(made.into_iter().map(|(files, _)| files).collect())
}

/// A year's downloads from its sections' files (`sections[i]` belongs to `year.sections[i]`);
/// the package's entries that `previous` holds already are copied from it.
pub fn year_exports(
    year: &LoadedYear,
    sections: Vec<Vec<TableFiles>>,
    previous: Option<&YearExports>,
) -> Result<YearExports> {
    let previous = previous.and_then(|p| {
        let files = p.sections.iter().flatten();
        Some(PreviousPackage::of_files(
            p.package.as_deref()?,
            files.flat_map(|f| DataFormat::ALL.map(|format| (f, format))),
        ))
    });
    let package = package::data_package(year, &sections, previous)?;
    let mut exports = YearExports::of_tables(year, sections, &YearInputs::of(&year.meta));
    exports.package = Some(package);
    Ok(exports)
}

/// Every download of a year; none when the site has them off. A file `earlier` holds, made
/// from the same inputs by this program, is taken from it instead of made again, and the
/// package copies its entries from the earlier package.
pub fn export_year(
    year: &LoadedYear,
    downloads: bool,
    earlier: &dyn EarlierDownloads,
) -> Result<YearExports> {
    if !downloads {
        return Ok(YearExports::none(year));
    }
    let inputs = YearInputs::of(&year.meta);
    let made = year
        .sections
        .par_iter()
        .map(|s| reuse::section_files(&year.meta, s, &inputs, earlier))
        .collect::<Result<Vec<_>>>()?;
    let (sections, taken): (Vec<Vec<TableFiles>>, Vec<Vec<Vec<DataFormat>>>) =
        made.into_iter().map(|s| s.into_iter().unzip()).unzip();
    let mut exports = YearExports::of_tables(year, sections, &inputs);
    let route = Route::DataPackage(year.meta.year);
    // every file taken, the earlier package made from the same tables by this program was
    // made of these very files: it is the package making it again would give
    let all_taken = taken
        .iter()
        .flatten()
        .all(|f| f.len() == DataFormat::ALL.len());
    if let (true, Some(key)) = (all_taken, exports.package_made_from.as_deref()) {
        exports.package = earlier.file(&route, Some(key));
        if exports.package.is_some() {
            return Ok(exports);
        }
    }
    let sections = &exports.sections;
    let taken: Vec<(&TableFiles, DataFormat)> = sections
        .iter()
        .flatten()
        .zip(taken.iter().flatten())
        .flat_map(|(files, formats)| formats.iter().map(move |&f| (files, f)))
        .collect();
    let earlier_package = match taken.is_empty() {
        true => None,
        false => earlier.file(&route, None),
    };
    let previous = earlier_package
        .as_deref()
        .map(|zip| PreviousPackage::of_earlier_files(zip, taken.iter().copied()));
    exports.package = Some(package::data_package(year, sections, previous)?);
    Ok(exports)
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
