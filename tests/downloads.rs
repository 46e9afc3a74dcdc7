//! The downloads: every table of the real 1400 site has its CSV, XLSX and JSON, linked from its
//! page with sizes; the year has its data package. The files are read back with real parsers
//! (csv, calamine, serde_json, zip) and compared with the content; a rebuild gives the same
//! bytes; text that a spreadsheet would run as a formula never reaches one as a formula.

mod common;

use calamine::{Data, Reader, Xlsx};
use common::*;
use karnameh::config::DigitStyle;
use karnameh::numfmt::format_size;
use std::collections::BTreeSet;
use std::fs;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn built() -> &'static Path {
    static OUT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, out) = OUT.get_or_init(build_real_site);
    out
}

/// The synthetic fixture site with hostile texts, sub-headings, lists and grouped headers.
fn fixture_built() -> &'static Path {
    static OUT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, out) = OUT.get_or_init(|| {
        let dir = fixture("data");
        let out = build(dir.path());
        (dir, out)
    });
    out
}

fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let bytes = fs::read(path).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "{}: no BOM",
        path.display()
    );
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[3..]);
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn workbook(path: &Path) -> Xlsx<Cursor<Vec<u8>>> {
    Xlsx::new(Cursor::new(fs::read(path).unwrap())).unwrap()
}

/// A part of an xlsx (a zip) as text.
fn xlsx_part(path: &Path, part: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(fs::read(path).unwrap())).unwrap();
    let mut text = String::new();
    zip.by_name(part)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

fn table_ids(out: &Path) -> Vec<String> {
    let mut ids: Vec<String> = fs::read_dir(out.join("1400"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".csv").map(str::to_string))
        .collect();
    ids.sort();
    ids
}

#[test]
fn every_table_links_its_three_files_with_their_sizes() {
    let out = built();
    let mut linked = 0;
    for entry in fs::read_dir(out.join("1400")).unwrap() {
        let entry = entry.unwrap();
        let page = entry.path().join("index.html");
        // the print edition holds the section pages' tables again
        if !page.is_file() || entry.file_name() == "print" {
            continue;
        }
        let html = parse_file(&page);
        for figure in select(&html, "figure.report-table") {
            let id = figure.value().attr("id").unwrap();
            let list = scraper::Selector::parse(".downloads ul").unwrap();
            let list = figure
                .select(&list)
                .next()
                .unwrap_or_else(|| panic!("{id}: no downloads"));
            let label_id = list.value().attr("aria-labelledby").unwrap();
            assert_eq!(
                select(&html, &format!("#{label_id}")).len(),
                1,
                "{id}: the list's label"
            );
            let links: Vec<_> = list
                .select(&scraper::Selector::parse("a").unwrap())
                .collect();
            let formats: Vec<String> = links
                .iter()
                .map(|a| text(a).split(' ').next().unwrap().to_string())
                .collect();
            assert_eq!(formats, ["CSV", "XLSX", "JSON"], "{id}");
            for (a, ext) in links.iter().zip(["csv", "xlsx", "json"]) {
                let href = a.value().attr("href").unwrap();
                assert_eq!(
                    href,
                    format!("../{id}.{ext}"),
                    "relative to the section's folder"
                );
                assert_eq!(
                    a.value().attr("download"),
                    Some(format!("1400-{id}.{ext}").as_str())
                );
                let bytes = fs::metadata(out.join(format!("1400/{id}.{ext}")))
                    .unwrap()
                    .len();
                let size = format_size(bytes, DigitStyle::Persian);
                assert!(
                    text(a).contains(&size),
                    "{id}.{ext}: {} lacks {size}",
                    text(a)
                );
                assert!(!text(a).chars().any(|c| c.is_ascii_digit()), "{}", text(a));
            }
            linked += 1;
        }
    }
    assert_eq!(linked, 96);
    assert_eq!(table_ids(out).len(), 96);
    let year = page(out, "1400/index.html");
    let package = select(&year, ".data-package a");
    assert_eq!(package.len(), 1);
    assert_eq!(package[0].value().attr("href"), Some("1400-data.zip"));
    let bytes = fs::metadata(out.join("1400/1400-data.zip")).unwrap().len();
    assert!(text(&package[0]).contains(&format_size(bytes, DigitStyle::Persian)));
}

#[test]
fn csv_has_a_bom_one_flat_header_ascii_numbers_and_the_totals_row_last() {
    let rows = csv_rows(&built().join("1400/T010.csv"));
    assert_eq!(
        rows[0],
        [
            "ردیف",
            "استان",
            "برنامه سال ۱۴۰۰",
            "عملکرد سال ۱۴۰۰",
            "درصد تحقق برنامه",
            "نوع ردیف"
        ]
    );
    let tehran = rows.iter().find(|r| r[0] == "8").unwrap();
    assert_eq!(tehran[3], "199");
    let total = rows.last().unwrap();
    assert_eq!(
        (total[1].as_str(), total[4].as_str(), total[5].as_str()),
        ("جمع کل", "153", "جمع کل")
    );
    assert!(rows[1..rows.len() - 1].iter().all(|r| r[5].is_empty()));
    let bytes = fs::read(built().join("1400/T010.csv")).unwrap();
    assert!(
        String::from_utf8(bytes).unwrap().ends_with("\r\n"),
        "CRLF line ends"
    );
    // grouped headers flatten, repeated label headers are numbered, text is kept as printed
    let summary = csv_rows(&built().join("1400/T002.csv"));
    assert_eq!(&summary[0][..3], ["ردیف", "فعالیت ۱", "فعالیت ۲"]);
    assert!(summary.iter().any(|r| r[3..].contains(&"-".to_string())));
    let subtotal = summary
        .iter()
        .find(|r| r.last().unwrap() == "جمع جزء")
        .unwrap();
    assert_eq!(&subtotal[1..3], ["تدوین و تجدیدنظر استاندارد", "جمع"]);
    for id in table_ids(built()) {
        for row in csv_rows(&built().join(format!("1400/{id}.csv"))) {
            for cell in row {
                if cell.parse::<f64>().is_ok() {
                    assert!(
                        cell.bytes()
                            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-'),
                        "{id}: {cell}"
                    );
                }
            }
        }
    }
}

#[test]
fn xlsx_is_right_to_left_typed_merged_and_frozen_with_a_notes_sheet() {
    let path = built().join("1400/T010.xlsx");
    let mut book = workbook(&path);
    assert_eq!(book.sheet_names(), ["T010", "درباره جدول"]);
    let sheet = book.worksheet_range("T010").unwrap();
    assert_eq!(sheet.get_value((0, 1)), Some(&Data::String("استان".into())));
    let tehran = (1..sheet.height() as u32)
        .find(|&r| sheet.get_value((r, 0)) == Some(&Data::Float(8.0)))
        .unwrap();
    assert_eq!(sheet.get_value((tehran, 3)), Some(&Data::Float(199.0)));
    let xml = xlsx_part(&path, "xl/worksheets/sheet1.xml");
    assert!(xml.contains("rightToLeft=\"1\""), "RTL sheet");
    assert!(
        xml.contains("state=\"frozen\"") && xml.contains("topLeftCell=\"C2\""),
        "frozen header and labels"
    );
    let styles = xlsx_part(&path, "xl/styles.xml");
    assert!(
        styles.contains(r##"formatCode="#,##0""##),
        "integers grouped"
    );
    assert!(
        styles.contains(r##"formatCode="#,##0&quot;٪&quot;""##),
        "percents keep 153 and show ٪"
    );
    assert!(xlsx_part(&path, "xl/worksheets/sheet2.xml").contains("rightToLeft=\"1\""));
    let notes = book.worksheet_range("درباره جدول").unwrap();
    let texts: Vec<String> = notes.used_cells().map(|(_, _, d)| d.to_string()).collect();
    assert!(texts.contains(&"تدوین و تجدیدنظر استاندارد ملی توسط دبیران استان‌ها".to_string()));
    assert!(texts.contains(&"7".to_string()), "the page");
    // a table with corrections and discrepancies carries both, printed values included
    let content = karnameh::pipeline::load_site(&repo_root(), None).unwrap();
    let table = content.years[0]
        .sections
        .iter()
        .flat_map(|s| &s.data.tables)
        .find(|t| !t.corrections.is_empty() && !t.discrepancies.is_empty())
        .unwrap();
    let mut book = workbook(&built().join(format!("1400/{}.xlsx", table.id)));
    let notes = book.worksheet_range("درباره جدول").unwrap();
    let texts: BTreeSet<String> = notes.used_cells().map(|(_, _, d)| d.to_string()).collect();
    for c in &table.corrections {
        // an empty printed cell (a value the report left out) is an empty cell of the sheet
        assert!(
            (c.printed.is_empty() || texts.contains(&c.printed)) && texts.contains(&c.reason),
            "{}: {}",
            table.id,
            c.printed
        );
    }
    for d in &table.discrepancies {
        assert!(texts.contains(&d.note), "{}: {}", table.id, d.note);
    }
}

#[test]
fn xlsx_merges_multi_level_headers_as_printed() {
    let path = fixture_built().join("1401/T1.xlsx");
    let mut book = workbook(&path);
    let merges = book.merge_cells_by_sheet_name("T1").unwrap();
    let spans: BTreeSet<((u32, u32), (u32, u32))> =
        merges.iter().map(|d| (d.start, d.end)).collect();
    // ردیف and استان span both header rows; each group spans its three columns
    for span in [
        ((0, 0), (1, 0)),
        ((0, 1), (1, 1)),
        ((0, 2), (0, 4)),
        ((0, 5), (0, 7)),
        ((0, 8), (1, 8)),
    ] {
        assert!(spans.contains(&span), "{span:?} in {spans:?}");
    }
    let sheet = book.worksheet_range("T1").unwrap();
    assert_eq!(
        sheet.get_value((0, 2)),
        Some(&Data::String("اجباری".into()))
    );
    assert_eq!(
        sheet.get_value((1, 3)),
        Some(&Data::String("عملکرد".into()))
    );
    assert_eq!(sheet.get_value((4, 2)), Some(&Data::Float(1200.0)));
    assert_eq!(sheet.get_value((3, 5)), Some(&Data::String("-".into())));
    assert!(xlsx_part(&path, "xl/worksheets/sheet1.xml").contains("topLeftCell=\"C3\""));
}

#[test]
fn formula_like_text_is_neutralized_in_csv_and_a_plain_string_in_xlsx() {
    let out = fixture_built();
    let rows = csv_rows(&out.join("1401/T2.csv"));
    assert_eq!(rows[2][2], "'=HYPERLINK(\"http://example.invalid\")");
    assert_eq!(rows[2][3], "'+98 21 5555");
    assert_eq!(rows[2][4], "'@SUM(A1)\nبند دوم");
    assert_eq!(rows[3][3], "'-2+3");
    assert_eq!(rows[3][4], "'\tبا تب");
    assert_eq!(rows[4][3], "-", "a lone dash is printed as is");
    assert_eq!(rows[1][1..], ["بخش نخست", "", "", "", "", "عنوان"]);
    let path = out.join("1401/T2.xlsx");
    let xml = xlsx_part(&path, "xl/worksheets/sheet1.xml");
    assert!(!xml.contains("<f>"), "no formula in the sheet");
    let strings = xlsx_part(&path, "xl/sharedStrings.xml");
    assert!(strings.contains("<t>=HYPERLINK(\"http://example.invalid\")</t>"));
    assert!(xlsx_part(&path, "xl/styles.xml").contains("quotePrefix=\"1\""));
    let mut book = workbook(&path);
    let formulas = book.worksheet_formula("T2").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
    let sheet = book.worksheet_range("T2").unwrap();
    assert_eq!(
        sheet.get_value((2, 3)),
        Some(&Data::String("+98 21 5555".into()))
    );
}

#[test]
fn json_is_the_typed_table_with_its_metadata() {
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(fixture_built().join("1401/T1.json")).unwrap()).unwrap();
    assert_eq!(json["report"]["year"], 1401);
    assert_eq!(json["page"], 5);
    assert_eq!(json["unit"], "تعداد");
    assert_eq!(json["columns"][2]["type"], "percent");
    assert_eq!(json["columns"][2]["role"], "pct");
    assert_eq!(json["columns"][0]["group"][0], "اجباری");
    assert_eq!(json["rows"][1]["key"], "2");
    assert_eq!(json["rows"][1]["values"]["actual_m"], 15);
    assert_eq!(json["rows"][1]["values"]["plan_e"], "-");
    assert_eq!(json["rows"][1]["marks"]["actual_m"], "*");
    assert_eq!(json["total"]["key"], "total");
    assert_eq!(json["total"]["values"]["actual_m"], 1527);
    assert_eq!(json["footnotes"][0]["marker"], "*");
    assert_eq!(json["corrections"][0]["printed"], "۱۲۰۰۰");
    let t2: serde_json::Value =
        serde_json::from_slice(&fs::read(fixture_built().join("1401/T2.json")).unwrap()).unwrap();
    assert_eq!(t2["rows"][0]["kind"], "heading");
    assert_eq!(t2["rows"][1]["values"]["items"][0], "@SUM(A1)");
    assert_eq!(t2["rows"][3]["values"]["share"], 12.125);
}

#[test]
fn the_year_package_holds_every_file_and_a_frictionless_descriptor() {
    let out = built();
    let bytes = fs::read(out.join("1400/1400-data.zip")).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let names: Vec<String> = (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().unwrap().to_string())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "entries in name order");
    assert_eq!(names.len(), 96 * 3 + 2);
    for name in &names {
        let entry = zip.by_name(name).unwrap();
        assert_eq!(
            entry.last_modified().map(|d| d.year()),
            Some(1980),
            "{name}: fixed date"
        );
    }
    let mut descriptor = String::new();
    zip.by_name("datapackage.json")
        .unwrap()
        .read_to_string(&mut descriptor)
        .unwrap();
    let descriptor: serde_json::Value = serde_json::from_str(&descriptor).unwrap();
    assert_eq!(descriptor["profile"], "tabular-data-package");
    let resources = descriptor["resources"].as_array().unwrap();
    assert_eq!(resources.len(), 96);
    for resource in resources {
        let path = resource["path"].as_str().unwrap();
        let mut csv_bytes = Vec::new();
        zip.by_name(path)
            .unwrap()
            .read_to_end(&mut csv_bytes)
            .unwrap();
        assert_eq!(
            csv_bytes,
            fs::read(out.join("1400").join(path)).unwrap(),
            "{path}"
        );
        assert_eq!(resource["bytes"], csv_bytes.len());
        let hash = format!(
            "sha256:{}",
            karnameh::output::manifest::sha256_hex(&csv_bytes)
        );
        assert_eq!(resource["hash"], hash.as_str());
        let header = csv_rows(&out.join("1400").join(path)).remove(0);
        let fields: Vec<&str> = resource["schema"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        assert_eq!(fields, header, "{path}: one field per column");
        let unique: BTreeSet<&&str> = fields.iter().collect();
        assert_eq!(unique.len(), fields.len(), "{path}: field names are unique");
    }
    // each workbook is the site's, its parts stored so that the package deflates it whole
    for name in names.iter().filter(|n| n.ends_with(".xlsx")) {
        let mut packed = Vec::new();
        zip.by_name(name).unwrap().read_to_end(&mut packed).unwrap();
        let mut packed = zip::ZipArchive::new(Cursor::new(packed)).unwrap();
        let site = fs::read(out.join("1400").join(name)).unwrap();
        let mut site = zip::ZipArchive::new(Cursor::new(site)).unwrap();
        assert_eq!(packed.len(), site.len(), "{name}");
        for i in 0..site.len() {
            let (mut ours, mut theirs) = (Vec::new(), Vec::new());
            let mut part = packed.by_index(i).unwrap();
            assert_eq!(part.compression(), zip::CompressionMethod::Stored);
            part.read_to_end(&mut ours).unwrap();
            let part_name = part.name().unwrap().to_string();
            drop(part);
            let mut part = site.by_index(i).unwrap();
            assert_eq!(part.name().unwrap(), part_name, "{name}: parts in order");
            part.read_to_end(&mut theirs).unwrap();
            assert!(ours == theirs, "{name}: {part_name} differs");
        }
    }
    let size = fs::metadata(out.join("1400/1400-data.zip")).unwrap().len();
    assert!(size < 1_000_000, "the package is {size} bytes");
    let t002 = resources.iter().find(|r| r["path"] == "T002.csv").unwrap();
    let missing = t002["schema"]["missingValues"].as_array().unwrap();
    assert!(missing.contains(&"-".into()) && missing.contains(&"".into()));
    assert_eq!(t002["schema"]["fields"][5]["type"], "integer");
}

#[test]
fn every_download_is_byte_identical_when_built_again_under_another_base_url() {
    let again = tempfile::tempdir().unwrap();
    let out = again.path().join("public");
    let result = build_into(&repo_root(), &out, &["--base-url", "/elsewhere/"]);
    assert!(result.status.success(), "{}", stderr(&result));
    let first = snapshot(&built().join("1400"));
    let second = snapshot(&out.join("1400"));
    let data = |s: &std::collections::BTreeMap<PathBuf, Vec<u8>>| -> Vec<PathBuf> {
        s.keys()
            .filter(|p| {
                p.extension()
                    .is_some_and(|e| ["csv", "xlsx", "json", "zip"].contains(&e.to_str().unwrap()))
            })
            .cloned()
            .collect()
    };
    assert_eq!(data(&first).len(), 96 * 3 + 1);
    for path in data(&first) {
        assert!(first[&path] == second[&path], "{} differs", path.display());
    }
}

#[test]
fn download_links_resolve_under_a_sub_path() {
    let out = fixture_built();
    let section = Path::new("1401/data/index.html");
    let html = page(out, section.to_str().unwrap());
    let hrefs: Vec<&str> = select(&html, ".downloads a")
        .iter()
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert_eq!(hrefs.len(), 6);
    for href in hrefs {
        let file = resolve(out, &out.join(section), href, "/reports/")
            .unwrap_or_else(|| panic!("{href} leaves the site"));
        assert!(file.is_file(), "{href}");
    }
    let year = page(out, "1401/index.html");
    let package = select(&year, ".data-package a");
    assert_eq!(package[0].value().attr("href"), Some("1401-data.zip"));
    assert!(out.join("1401/1401-data.zip").is_file());
}

#[test]
fn a_site_with_downloads_off_has_no_files_and_no_links_to_them() {
    let dir = fixture("data");
    edit(
        dir.path(),
        "site.toml",
        "base-url = \"/reports/\"",
        "base-url = \"/reports/\"\ndownloads = false",
    );
    let out = build(dir.path());
    let generated: Vec<PathBuf> = snapshot(&out)
        .into_keys()
        .filter(|p| {
            p.extension()
                .is_some_and(|e| ["csv", "xlsx", "json", "zip"].contains(&e.to_str().unwrap()))
        })
        .collect();
    assert!(generated.is_empty(), "{generated:?}");
    let section = page(&out, "1401/data/index.html");
    assert!(select(&section, ".downloads").is_empty());
    assert!(
        !select(&section, "table").is_empty(),
        "the tables are still there"
    );
    let year = page(&out, "1401/index.html");
    assert!(select(&year, ".data-package").is_empty());
    assert_links_resolve(&out, "/reports/");
}

/// Replaces the file at `name` of the output `out` by `bytes` and lists them in its manifest, as
/// if the build that wrote the output had written them.
fn vouch(out: &Path, name: &str, bytes: &[u8]) {
    fs::write(out.join(name), bytes).unwrap();
    let path = out.join(".karnameh-output");
    let mut manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    manifest["files"][name] = karnameh::output::manifest::sha256_hex(bytes).into();
    fs::write(&path, manifest.to_string()).unwrap();
}

fn package_entry(out: &Path, name: &str) -> Vec<u8> {
    let bytes = fs::read(out.join("1401/1401-data.zip")).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut entry = Vec::new();
    zip.by_name(name).unwrap().read_to_end(&mut entry).unwrap();
    entry
}

#[test]
fn a_rebuild_takes_the_downloads_made_from_the_same_inputs_and_makes_the_others() {
    let dir = fixture("data");
    let (out, fresh_out) = (dir.path().join("out"), dir.path().join("fresh"));
    let build = |out: &Path| {
        let result = build_into(dir.path(), out, &[]);
        assert!(result.status.success(), "{}", stderr(&result));
    };
    build(&out);
    let manifest = fs::read_to_string(out.join(".karnameh-output")).unwrap();
    let inputs: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    let key = inputs["inputs"]["1401/T1.xlsx"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(key.len(), 64, "a SHA-256");
    assert_eq!(
        inputs["inputs"]["1401/T1.csv"],
        key.as_str(),
        "one key per table"
    );
    let package_key = inputs["inputs"]["1401/1401-data.zip"].as_str().unwrap();
    assert_eq!(package_key.len(), 64, "the package has a key of its own");
    assert_ne!(package_key, key);
    let first = snapshot(&out);
    build(&out);
    assert!(
        snapshot(&out) == first,
        "rebuilt over itself: the same bytes"
    );

    // every file taken, the package made from the same tables is taken too: only a build that
    // took it can have these bytes as its package
    let package = first[Path::new("1401/1401-data.zip")].clone();
    let mut vouched = package.clone();
    vouched.extend_from_slice(b"taken whole");
    vouch(&out, "1401/1401-data.zip", &vouched);
    build(&out);
    assert!(fs::read(out.join("1401/1401-data.zip")).unwrap() == vouched);
    vouch(&out, "1401/1401-data.zip", &package);

    // a file the manifest vouches for, made from the same inputs, is taken as it is: the
    // workbook below is T2's, and only a build that took it can have it as T1's
    let t2 = first[Path::new("1401/T2.xlsx")].clone();
    vouch(&out, "1401/T1.xlsx", &t2);
    // a file edited by hand is not: it is made again
    fs::write(out.join("1401/T1.csv"), "edited by hand").unwrap();
    build(&out);
    assert!(fs::read(out.join("1401/T1.xlsx")).unwrap() == t2);
    // the package's entry is made again too: the earlier package was not made of these bytes
    let entry = Xlsx::new(Cursor::new(package_entry(&out, "T1.xlsx"))).unwrap();
    assert_eq!(entry.sheet_names()[0], "T2");
    assert!(fs::read(out.join("1401/T1.csv")).unwrap() == first[Path::new("1401/T1.csv")]);

    // once its table changes, the file is made again, and so is its package entry
    edit(
        dir.path(),
        "content/1401/01-data.toml",
        "values = [10, 12, 120, 4, 2, 50]",
        "values = [11, 12, 109, 4, 2, 50]",
    );
    edit(
        dir.path(),
        "content/1401/01-data.toml",
        "values = [1230, 1527, 124,",
        "values = [1231, 1527, 124,",
    );
    build(&out);
    build(&fresh_out);
    let (rebuilt, fresh) = (snapshot(&out), snapshot(&fresh_out));
    assert!(rebuilt[Path::new("1401/T1.xlsx")] != first[Path::new("1401/T1.xlsx")]);
    assert!(rebuilt == fresh, "a rebuild gives a fresh build's bytes");
    let csv = String::from_utf8(package_entry(&out, "T1.csv")).unwrap();
    assert!(csv.contains(",11,12,109,"), "{csv}");
}
