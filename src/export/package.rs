//! A year's data package: one zip with every table's CSV, XLSX and JSON, a `datapackage.json`
//! (a Frictionless Tabular Data Package, one resource per CSV with its table schema) and a
//! README. Deterministic: entries sorted by name, fixed dates and permissions, fixed compression.
//! Entries are compressed in parallel; a workbook is deflated whole, its parts stored.

use super::{TableContext, TableFiles};
use crate::config::DigitStyle;
use crate::content::flat::{FlatColumnKind, RowKind, neutralized};
use crate::content::{Cell, ColumnType, Table};
use crate::load::LoadedYear;
use crate::numfmt::localize_digits;
use crate::routes::DataFormat;
use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Cursor;
use zip::write::{PreparedZipFile, SimpleFileOptions};
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

pub const DATAPACKAGE: &str = "datapackage.json";
const README: &str = "README.md";

/// A year's last package and, by entry name, files it was made of.
#[derive(Debug, Clone)]
pub struct PreviousPackage<'a> {
    pub zip: &'a [u8],
    pub packed: BTreeMap<String, &'a [u8]>,
    /// Whether an entry is copied only when its checksum agrees with what packing the file
    /// gives: for a package read back from an earlier build's output, not for one this
    /// process made of the files it holds.
    pub checked: bool,
}

impl<'a> PreviousPackage<'a> {
    /// `zip`, made by this process of (at least) `files`.
    pub fn of_files(
        zip: &'a [u8],
        files: impl IntoIterator<Item = (&'a TableFiles, DataFormat)>,
    ) -> PreviousPackage<'a> {
        PreviousPackage {
            zip,
            packed: files
                .into_iter()
                .map(|(f, format)| (file_name(f, format), f.bytes(format)))
                .collect(),
            checked: false,
        }
    }

    /// `zip`, read back from an earlier build, said to be made of `files`.
    pub fn of_earlier_files(
        zip: &'a [u8],
        files: impl IntoIterator<Item = (&'a TableFiles, DataFormat)>,
    ) -> PreviousPackage<'a> {
        PreviousPackage {
            checked: true,
            ..PreviousPackage::of_files(zip, files)
        }
    }
}

/// An entry of the package: made now, or copied compressed from the previous package.
enum Entry {
    Made(PreparedZipFile),
    Copied(String),
}

/// The zip's bytes. With `previous`, an entry whose bytes are those the previous package was
/// made with is copied from it as it was compressed there (the same bytes compressing would
/// give): a rebuild after one section changed compresses that section's files only.
pub fn data_package(
    year: &LoadedYear,
    sections: &[Vec<TableFiles>],
    previous: Option<PreviousPackage>,
) -> Result<Vec<u8>> {
    let tables: Vec<(TableContext, &Table, &TableFiles)> = year
        .sections
        .iter()
        .zip(sections)
        .flat_map(|(s, files)| {
            let context = TableContext::new(&year.meta, &s.data);
            s.data
                .tables
                .iter()
                .zip(files)
                .map(move |(t, f)| (context, t, f))
        })
        .collect();
    let descriptor = descriptor(year, &tables)?;
    let readme = readme(year, &tables);
    let mut entries: Vec<(String, &[u8], Packing)> = vec![
        (
            DATAPACKAGE.to_string(),
            descriptor.as_slice(),
            Packing::Text,
        ),
        (README.to_string(), readme.as_bytes(), Packing::Text),
    ];
    for (_, _, files) in &tables {
        for format in DataFormat::ALL {
            let packing = match format {
                DataFormat::Xlsx => Packing::Workbook,
                DataFormat::Csv | DataFormat::Json => Packing::Text,
            };
            entries.push((file_name(files, format), files.bytes(format), packing));
        }
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let mut old = previous
        .as_ref()
        .map(|p| ZipArchive::new(Cursor::new(p.zip)))
        .transpose()
        .context("reading the previous data package")?;
    let copyable = copyable_entries(previous.as_ref(), old.as_mut())?;
    let made = entries
        .par_iter()
        .map(|(name, bytes, packing)| {
            let old = copyable
                .get(name.as_str())
                .filter(|old| old.packed == *bytes);
            if old.is_some_and(|old| !old.checked) {
                return Ok(Entry::Copied(name.clone()));
            }
            let content = packing
                .content(bytes)
                .with_context(|| format!("packing {name}"))?;
            if old.is_some_and(|old| old.holds(&content)) {
                return Ok(Entry::Copied(name.clone()));
            }
            Ok(PreparedZipFile::from_data(name, packing.options(), &content).map(Entry::Made)?)
        })
        .collect::<Result<Vec<_>>>()
        .context("compressing the data package")?;
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for entry in made {
        match (entry, old.as_mut()) {
            (Entry::Made(prepared), _) => zip.add_prepared_file(prepared)?,
            (Entry::Copied(name), Some(old)) => {
                zip.raw_copy_file(old.by_name_raw(name.as_bytes())?)?
            }
            (Entry::Copied(name), None) => anyhow::bail!("no previous package to copy {name} from"),
        }
    }
    Ok(zip.finish()?.into_inner())
}

/// How a file goes into the package.
#[derive(Debug, Clone, Copy)]
enum Packing {
    /// Deflated as it is.
    Text,
    /// A workbook, its parts stored instead of deflated, and the whole deflated: each part of a
    /// workbook deflated alone (as the site's download is) leaves the parts every workbook
    /// repeats (theme, styles, relationships) a third bigger than deflated together, and that
    /// made the 1400 report's package 1.15 MB instead of 0.9 MB.
    Workbook,
}

impl Packing {
    /// What the entry holds for the file's `bytes`.
    fn content<'b>(self, bytes: &'b [u8]) -> Result<Cow<'b, [u8]>> {
        match self {
            Packing::Text => Ok(Cow::Borrowed(bytes)),
            Packing::Workbook => with_parts_stored(bytes).map(Cow::Owned),
        }
    }

    fn options(self) -> SimpleFileOptions {
        let level = match self {
            Packing::Text => 6,
            // a fast level: the workbook is ten times the size of its CSV and JSON together
            Packing::Workbook => WORKBOOK_LEVEL,
        };
        options(CompressionMethod::Deflated).compression_level(Some(level))
    }
}

/// Measured on the 1400 report's 96 workbooks: level 4 makes them 2% bigger than level 6 at
/// three quarters of its cost, and 2% smaller than level 3 for the same.
const WORKBOOK_LEVEL: i64 = 4;

/// The workbook `xlsx` with each part stored rather than deflated: the same parts, in the same
/// order, with the same names and dates. Excel and every zip reader read a stored part.
fn with_parts_stored(xlsx: &[u8]) -> Result<Vec<u8>> {
    let mut workbook = ZipArchive::new(Cursor::new(xlsx)).context("reading the workbook")?;
    let mut stored = ZipWriter::new(Cursor::new(Vec::with_capacity(xlsx.len() * 4)));
    for index in 0..workbook.len() {
        let mut part = workbook.by_index(index)?;
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Stored)
            .last_modified_time(part.last_modified().unwrap_or_default())
            .unix_permissions(part.unix_mode().unwrap_or(0o600));
        stored.start_file(part.name()?.into_owned(), options)?;
        std::io::copy(&mut part, &mut stored)?;
    }
    Ok(stored.finish()?.into_inner())
}

/// A deflated entry of the previous package, with the bytes it was made of.
struct OldEntry<'a> {
    packed: &'a [u8],
    crc32: u32,
    size: u64,
    /// See [`PreviousPackage::checked`].
    checked: bool,
}

impl OldEntry<'_> {
    /// Whether the entry holds `content`, as far as its checksum and size tell (should a
    /// package and the files it is said to be made of have parted).
    fn holds(&self, content: &[u8]) -> bool {
        let mut crc = flate2::Crc::new();
        crc.update(content);
        self.size == content.len() as u64 && self.crc32 == crc.sum()
    }
}

/// The previous package's deflated entries (every entry is deflated now) that were made of
/// known bytes, by name.
fn copyable_entries<'a>(
    previous: Option<&PreviousPackage<'a>>,
    old: Option<&mut ZipArchive<Cursor<&[u8]>>>,
) -> Result<BTreeMap<String, OldEntry<'a>>> {
    let (Some(previous), Some(old)) = (previous, old) else {
        return Ok(BTreeMap::new());
    };
    let mut entries = BTreeMap::new();
    for index in 0..old.len() {
        let entry = old.by_index_raw(index)?;
        let name = entry.name()?.into_owned();
        if let Some(packed) = previous.packed.get(&name)
            && entry.compression() == CompressionMethod::Deflated
        {
            let old = OldEntry {
                packed,
                crc32: entry.crc32(),
                size: entry.size(),
                checked: previous.checked,
            };
            entries.insert(name, old);
        }
    }
    Ok(entries)
}

fn options(method: CompressionMethod) -> SimpleFileOptions {
    SimpleFileOptions::default()
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644)
        .compression_method(method)
}

fn file_name(files: &TableFiles, format: DataFormat) -> String {
    format!("{}.{}", files.id, format.extension())
}

#[derive(Serialize)]
struct Descriptor<'a> {
    profile: &'static str,
    name: String,
    title: &'a str,
    description: String,
    sources: [Source<'a>; 1],
    resources: Vec<Resource<'a>>,
}

#[derive(Serialize)]
struct Source<'a> {
    title: &'a str,
}

#[derive(Serialize)]
struct Resource<'a> {
    name: String,
    path: String,
    profile: &'static str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    format: &'static str,
    mediatype: &'static str,
    encoding: &'static str,
    bytes: usize,
    hash: String,
    dialect: Dialect,
    schema: Schema,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Dialect {
    delimiter: &'static str,
    line_terminator: &'static str,
    quote_char: &'static str,
    double_quote: bool,
    header: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Schema {
    fields: Vec<Field>,
    missing_values: Vec<String>,
}

#[derive(Serialize)]
struct Field {
    name: String,
    #[serde(rename = "type")]
    ty: &'static str,
    #[serde(skip_serializing_if = "String::is_empty")]
    description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    constraints: Option<Constraints>,
}

#[derive(Serialize)]
#[serde(rename = "camelCase")]
struct Constraints {
    #[serde(rename = "enum")]
    one_of: Vec<&'static str>,
}

fn descriptor(
    year: &LoadedYear,
    tables: &[(TableContext, &Table, &TableFiles)],
) -> Result<Vec<u8>> {
    let meta = &year.meta;
    let document = Descriptor {
        profile: "tabular-data-package",
        name: format!("report-{}", meta.year),
        title: &meta.title,
        description: format!("{}، {}", meta.publisher, meta.published),
        sources: [Source {
            title: &meta.organization,
        }],
        resources: tables
            .iter()
            .map(|(_, table, files)| resource(table, files))
            .collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&document).context("writing datapackage.json")?;
    bytes.push(b'\n');
    Ok(bytes)
}

fn resource<'a>(table: &'a Table, files: &TableFiles) -> Resource<'a> {
    Resource {
        name: files.id.to_ascii_lowercase(),
        path: file_name(files, DataFormat::Csv),
        profile: "tabular-data-resource",
        title: &table.caption,
        description: table.note.as_deref(),
        format: "csv",
        mediatype: DataFormat::Csv.media_type(),
        // the byte-order mark is UTF-8's; readers that honour it are told so by the mark itself
        encoding: "utf-8",
        bytes: files.csv.len(),
        hash: format!("sha256:{:x}", Sha256::digest(&files.csv)),
        dialect: Dialect {
            delimiter: ",",
            line_terminator: "\r\n",
            quote_char: "\"",
            double_quote: true,
            header: true,
        },
        schema: schema(table),
    }
}

/// One field per CSV column; texts printed in number columns (`-`, `حسب درخواست`) are the
/// schema's missing values, so the number columns stay typed.
fn schema(table: &Table) -> Schema {
    let fields = table
        .flat_columns()
        .into_iter()
        .map(|c| {
            let (ty, description, constraints) = field_type(table, c.kind);
            Field {
                name: neutralized(&c.header).into_owned(),
                ty,
                description,
                constraints,
            }
        })
        .collect();
    let mut missing: BTreeSet<String> = BTreeSet::from([String::new()]);
    for row in table
        .rows
        .iter()
        .map(|r| r.get_ref())
        .chain(table.total.as_ref().map(|t| t.get_ref()))
    {
        for (column, cell) in table.columns.iter().zip(&row.values) {
            if let (true, Cell::Text(text)) = (column.ty.is_numeric(), cell) {
                missing.insert(neutralized(text).into_owned());
            }
        }
    }
    Schema {
        fields,
        missing_values: missing.into_iter().collect(),
    }
}

fn field_type(table: &Table, kind: FlatColumnKind) -> (&'static str, String, Option<Constraints>) {
    match kind {
        FlatColumnKind::No => (
            "string",
            "شماره ردیف، همان‌گونه که چاپ شده".to_string(),
            None,
        ),
        FlatColumnKind::Label(level) => ("string", format!("عنوان ردیف، سطح {}", level + 1), None),
        FlatColumnKind::RowKind => (
            "string",
            "خالی برای ردیف داده؛ «جمع جزء»، «جمع کل» یا «عنوان» برای ردیف‌های دیگر".to_string(),
            Some(Constraints {
                one_of: [
                    RowKind::Data,
                    RowKind::Subtotal,
                    RowKind::Total,
                    RowKind::Heading,
                ]
                .map(RowKind::marker)
                .to_vec(),
            }),
        ),
        FlatColumnKind::Value(index) => {
            let column = &table.columns[index];
            let unit = column.unit.as_deref().or(table.unit.as_deref());
            let (ty, what) = match column.ty {
                ColumnType::Integer | ColumnType::Decimal => ("integer", ""),
                ColumnType::Percent => ("number", "درصد (۱۵۳ یعنی ۱۵۳٪)"),
                ColumnType::Text => ("string", ""),
                ColumnType::List => ("string", "فهرست: هر بند در یک سطر"),
            };
            let ty = if column.ty == ColumnType::Decimal {
                "number"
            } else {
                ty
            };
            let description = match unit {
                Some(unit) if column.ty.is_numeric() && what.is_empty() => format!("واحد: {unit}"),
                Some(unit) if column.ty.is_numeric() => format!("{what}؛ واحد: {unit}"),
                _ => what.to_string(),
            };
            (ty, description, None)
        }
    }
}

/// What the package holds, for a reader who opens the zip.
fn readme(year: &LoadedYear, tables: &[(TableContext, &Table, &TableFiles)]) -> String {
    let meta = &year.meta;
    let mut text = format!(
        "# داده‌های {}\n\n{}، {}\n\n\
         هر جدول گزارش سه پرونده دارد:\n\n\
         - `<جدول>.csv`: UTF-8 با نشانه ترتیب بایت (BOM)، جداکننده `,`، ارقام لاتین و ممیز `.`، \
         بدون جداکننده هزارگان؛ یک سطر سرستون (سرستون‌های چندسطری با « — » به هم پیوسته‌اند)؛ \
         ستون «{}» ردیف‌های جمع جزء، جمع کل و عنوان را نشان می‌دهد و ردیف جمع کل آخرین ردیف است. \
         متنی که با `=`، `+`، `-`، `@`، تب یا CR آغاز شود با یک `'` در آغاز نوشته شده تا \
         صفحه‌گسترده آن را فرمول نخواند (جز «-» تنها).\n\
         - `<جدول>.xlsx`: همان جدول با سرستون‌های ادغام‌شده مانند گزارش چاپی، و برگه «{}» با \
         عنوان، واحد، صفحه، پانویس‌ها، اصلاحات و ناسازگاری‌ها.\n\
         - `<جدول>.json`: جدول با نوع داده‌ها، و همه توضیحات آن.\n\n\
         `{DATAPACKAGE}` بسته داده Frictionless است (یک منبع برای هر CSV با طرح ستون‌های آن).\n\n\
         ## جدول‌ها\n\n",
        meta.title,
        meta.organization,
        meta.publisher,
        crate::content::flat::ROW_KIND_HEADER,
        super::NOTES_SHEET,
    );
    for (context, table, _) in tables {
        let page = localize_digits(&context.page(table).to_string(), DigitStyle::Persian);
        let _ = writeln!(text, "- {}: {} (صفحه {page})", table.id, table.caption);
    }
    text
}
