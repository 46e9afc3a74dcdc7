//! A year's data package: one zip with every table's CSV, XLSX and JSON, a `datapackage.json`
//! (a Frictionless Tabular Data Package, one resource per CSV with its table schema) and a
//! README. Deterministic: entries sorted by name, fixed dates and permissions, fixed compression.
//! Entries are compressed in parallel; workbooks, zips already, are stored as they are.

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
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Cursor;
use zip::write::{PreparedZipFile, SimpleFileOptions};
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

pub const DATAPACKAGE: &str = "datapackage.json";
const README: &str = "README.md";

/// A year's last package and the files it was made of.
#[derive(Debug, Clone, Copy)]
pub struct PreviousPackage<'a> {
    pub zip: &'a [u8],
    pub files: &'a [Vec<TableFiles>],
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
    let mut entries: Vec<(String, &[u8], CompressionMethod)> = vec![
        (
            DATAPACKAGE.to_string(),
            descriptor.as_slice(),
            CompressionMethod::Deflated,
        ),
        (
            README.to_string(),
            readme.as_bytes(),
            CompressionMethod::Deflated,
        ),
    ];
    for (_, _, files) in &tables {
        for format in DataFormat::ALL {
            let method = match format {
                // a workbook is a zip already: deflating it again costs time and wins little
                DataFormat::Xlsx => CompressionMethod::Stored,
                DataFormat::Csv | DataFormat::Json => CompressionMethod::Deflated,
            };
            entries.push((file_name(files, format), files.bytes(format), method));
        }
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let packed: BTreeMap<String, &[u8]> = previous
        .iter()
        .flat_map(|p| p.files.iter().flatten())
        .flat_map(|files| DataFormat::ALL.map(|f| (file_name(files, f), files.bytes(f))))
        .collect();
    let made = entries
        .par_iter()
        .map(|(name, bytes, method)| match packed.get(name) {
            Some(old) if old == bytes => Ok(Entry::Copied(name.clone())),
            _ => PreparedZipFile::from_data(name, options(*method), bytes).map(Entry::Made),
        })
        .collect::<Result<Vec<_>, _>>()
        .context("compressing the data package")?;
    let mut old = previous
        .map(|p| ZipArchive::new(Cursor::new(p.zip)))
        .transpose()
        .context("reading the previous data package")?;
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

fn options(method: CompressionMethod) -> SimpleFileOptions {
    let options = SimpleFileOptions::default()
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644)
        .compression_method(method);
    match method {
        CompressionMethod::Deflated => options.compression_level(Some(6)),
        _ => options,
    }
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
