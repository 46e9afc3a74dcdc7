//! `karnameh import`: every table of the 1400 report read back from its own XLSX and CSV gives
//! the same rows, values and labels (written back, the content files are byte for byte what they
//! were); figures typed as Persian text are converted and listed; sheets that do not fit are
//! refused with the cell and the reason, and nothing is written. Spreadsheets for the error
//! cases are made here (rust_xlsxwriter) or edited from the synthetic fixture's downloads.

mod common;

use common::*;
use karnameh::content::TableId;
use karnameh::import::{ImportOptions, import};
use karnameh::pipeline::load_site;
use rust_xlsxwriter::{Format, Formula, Workbook};
use std::fs;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

fn options(root: &Path, file: &Path, table: &str, write: bool) -> ImportOptions {
    ImportOptions {
        root: root.to_path_buf(),
        file: file.to_path_buf(),
        table: TableId::try_from(table.to_string()).unwrap(),
        year: None,
        sheet: None,
        write,
    }
}

#[test]
fn every_table_of_1400_imports_from_its_own_xlsx_and_csv_unchanged() {
    let (_dir, out) = build_real_site();
    let copy = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("content"), &copy.path().join("content"));
    copy_dir(&repo_root().join("themes"), &copy.path().join("themes"));
    fs::copy(repo_root().join("site.toml"), copy.path().join("site.toml")).unwrap();
    let site = load_site(copy.path(), None).unwrap();
    let tables: Vec<_> = site.years[0]
        .sections
        .iter()
        .flat_map(|s| &s.data.tables)
        .collect();
    assert_eq!(tables.len(), 96);
    for table in &tables {
        for ext in ["xlsx", "csv"] {
            let file = out.join(format!("1400/{}.{ext}", table.id));
            let imported = karnameh::import::read(&file, None, table)
                .unwrap_or_else(|e| panic!("{}.{ext}: {e:#}", table.id));
            for (row, cells) in table.rows.iter().zip(&imported.rows) {
                let row = row.get_ref();
                match cells {
                    Some(cells) => assert_eq!(cells, &row.values, "{}.{ext}", table.id),
                    None => assert!(
                        row.heading().is_some(),
                        "{}.{ext}: only sub-headings hold no cells",
                        table.id
                    ),
                }
            }
            assert_eq!(imported.rows.len(), table.rows.len());
            assert_eq!(
                imported.total.as_ref(),
                table.total.as_ref().map(|t| &t.get_ref().values)
            );
            assert!(
                imported.conversions.is_empty(),
                "{}.{ext}: {:?}",
                table.id,
                imported.conversions
            );
            let report =
                import(&site, &options(copy.path(), &file, table.id.as_str(), true)).unwrap();
            assert!(report.written);
        }
    }
    // written back: rows, values, labels, marks, comments and layout are what they were
    let before = snapshot(&repo_root().join("content"));
    let after = snapshot(&copy.path().join("content"));
    assert_eq!(before.len(), after.len());
    for (path, bytes) in &before {
        assert!(after[path] == *bytes, "{} changed", path.display());
    }
}

/// The synthetic fixture with its downloads built; returns (site dir, output dir).
fn fixture_site() -> (tempfile::TempDir, PathBuf) {
    let dir = fixture("data");
    let out = build(dir.path());
    (dir, out)
}

const SECTION: &str = "content/1401/01-data.toml";

fn import_cli(root: &Path, file: &Path, table: &str, write: bool) -> std::process::Output {
    let mut args = vec![
        "import",
        file.to_str().unwrap(),
        "--table",
        table,
        "--root",
        root.to_str().unwrap(),
    ];
    if write {
        args.push("--write");
    }
    karnameh(&args)
}

/// T1's CSV download with `from` replaced by `to`, saved as `name`.
fn edited_csv(out: &Path, dir: &Path, name: &str, from: &str, to: &str) -> PathBuf {
    let text = fs::read_to_string(out.join("1401/T1.csv")).unwrap();
    assert!(text.contains(from), "{from}");
    let path = dir.join(name);
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
    path
}

/// Runs a failing import with `--write` and returns its message; the site is left unchanged.
fn refused(root: &Path, file: &Path, table: &str) -> String {
    let before = snapshot(root);
    let output = import_cli(root, file, table, true);
    assert!(!output.status.success(), "{}", stdout(&output));
    assert_eq!(snapshot(root), before, "nothing is written on an error");
    stderr(&output)
}

#[test]
fn persian_digits_separators_and_percent_in_text_become_numbers_and_are_listed() {
    let (dir, out) = fixture_site();
    let root = dir.path();
    let file = edited_csv(
        &out,
        root,
        "next.csv",
        "1,استان الف,10,12,120,",
        "1,استان الف,۱٬۲۳۴,\"1,500\",۱۲۱٫۵٪,",
    );
    let printed = import_cli(root, &file, "T1", false);
    assert!(printed.status.success(), "{}", stderr(&printed));
    assert!(
        stdout(&printed).contains(
            "{ no = \"1\", label = [\"استان الف\"], values = [1234, 1500, 121.5, 4, 2, 50] }"
        ),
        "{}",
        stdout(&printed)
    );
    let listed = stderr(&printed);
    for conversion in [
        "next.csv!C2: «۱٬۲۳۴» → 1234",
        "next.csv!D2: «1,500» → 1500",
        "next.csv!E2: «۱۲۱٫۵٪» → 121.5",
    ] {
        assert!(listed.contains(conversion), "{conversion} in {listed}");
    }
    let original = fs::read_to_string(root.join(SECTION)).unwrap();
    let written = import_cli(root, &file, "T1", true);
    assert!(written.status.success(), "{}", stderr(&written));
    let text = fs::read_to_string(root.join(SECTION)).unwrap();
    let changed: Vec<(&str, &str)> = original
        .lines()
        .zip(text.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(
        changed,
        [(
            "  { no = \"1\", label = [\"استان الف\"], values = [10, 12, 120, 4, 2, 50] },  # a comment kept by import",
            "  { no = \"1\", label = [\"استان الف\"], values = [1234, 1500, 121.5, 4, 2, 50] },  # a comment kept by import"
        )]
    );
    assert_eq!(original.lines().count(), text.lines().count());
    // Persian digits in a text column stay text as printed
    let t2 = fs::read_to_string(out.join("1401/T2.csv"))
        .unwrap()
        .replacen("ردیف دوم,'-2+3", "ردیف دوم,۲ مورد", 1);
    fs::write(root.join("t2.csv"), t2).unwrap();
    let printed = import_cli(root, &root.join("t2.csv"), "T2", false);
    assert!(
        stdout(&printed).contains("values = [\"۲ مورد\", [\"\\tبا تب\"], 0.25]"),
        "{}",
        stdout(&printed)
    );
}

#[test]
fn a_mismatched_header_an_extra_row_or_a_missing_row_is_refused_with_its_cell() {
    let (dir, out) = fixture_site();
    let root = dir.path();
    let header = edited_csv(
        &out,
        root,
        "header.csv",
        "اجباری — عملکرد",
        "اجباری — عملکرد ۱۴۰۲",
    );
    let message = refused(root, &header, "T1");
    assert!(
        message
            .contains("header.csv!D1: header «اجباری — عملکرد 1402» is not a column of table T1"),
        "{message}"
    );
    assert!(
        message.contains("the sheet has no column «اجباری — عملکرد»"),
        "{message}"
    );
    let extra = edited_csv(
        &out,
        root,
        "extra.csv",
        ",جمع کل,",
        "4,استان ت,1,1,100,1,1,100,\r\n,جمع کل,",
    );
    let message = refused(root, &extra, "T1");
    assert!(
        message.contains("extra.csv!A5: row 4 «استان ت» is not a row of table T1"),
        "{message}"
    );
    let missing = edited_csv(
        &out,
        root,
        "missing.csv",
        "2,استان ب,20,15,75,-,-,-,\r\n",
        "",
    );
    let message = refused(root, &missing, "T1");
    assert!(
        message.contains("the sheet has no row for row 2 «استان ب» of table T1"),
        "{message}"
    );
    let typo = edited_csv(&out, root, "typo.csv", "1200,1500", "12O0,1500");
    let message = refused(root, &typo, "T1");
    assert!(
        message.contains("typo.csv!C4: «12O0» is not a number"),
        "{message}"
    );
}

/// A workbook laid out like T1's download, changed by `edit` before it is saved; `tashvighi`
/// is the last column the «تشویقی» group header is merged over (7 as printed).
fn t1_workbook(path: &Path, tashvighi: u16, edit: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let bold = Format::new().set_bold();
    sheet.merge_range(0, 0, 1, 0, "ردیف", &bold).unwrap();
    sheet.merge_range(0, 1, 1, 1, "استان", &bold).unwrap();
    sheet.merge_range(0, 2, 0, 4, "اجباری", &bold).unwrap();
    sheet
        .merge_range(0, 5, 0, tashvighi, "تشویقی", &bold)
        .unwrap();
    for (c, leaf) in ["برنامه", "عملکرد", "درصد", "برنامه", "عملکرد", "درصد"]
        .iter()
        .enumerate()
    {
        sheet.write(1, c as u16 + 2, *leaf).unwrap();
    }
    let rows: [(&str, &str, [f64; 6]); 4] = [
        ("1", "استان الف", [10.0, 12.0, 120.0, 4.0, 2.0, 50.0]),
        ("2", "استان ب", [20.0, 15.0, 75.0, 0.0, 0.0, 0.0]),
        ("3", "استان پ", [1200.0, 1500.0, 125.0, 8.0, 10.0, 125.0]),
        ("", "جمع کل", [1230.0, 1527.0, 124.0, 12.0, 12.0, 100.0]),
    ];
    for (r, (no, label, values)) in rows.iter().enumerate() {
        let r = r as u32 + 2;
        if !no.is_empty() {
            sheet.write(r, 0, *no).unwrap();
        }
        sheet.write(r, 1, *label).unwrap();
        for (c, v) in values.iter().enumerate() {
            sheet.write(r, c as u16 + 2, *v).unwrap();
        }
    }
    edit(sheet);
    book.save(path).unwrap();
}

#[test]
fn a_printed_layout_workbook_imports_and_excel_percents_are_scaled_back() {
    let (dir, _) = fixture_site();
    let file = dir.path().join("printed.xlsx");
    t1_workbook(&file, 7, |sheet| {
        sheet
            .write_number_with_format(2, 4, 1.25, &Format::new().set_num_format("0%"))
            .unwrap();
    });
    let output = import_cli(dir.path(), &file, "T1", false);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("values = [10, 12, 125, 4, 2, 50]"),
        "{}",
        stdout(&output)
    );
    assert!(
        stderr(&output).contains("Sheet1!E3: 125% kept by the spreadsheet as 1.25"),
        "{}",
        stderr(&output)
    );
    assert!(
        stdout(&output)
            .contains("total = { label = [\"جمع کل\"], values = [1230, 1527, 124, 12, 12, 100] }")
    );
}

#[test]
fn a_merged_header_or_value_cell_it_cannot_place_is_refused() {
    let (dir, _) = fixture_site();
    let root = dir.path();
    let header = root.join("header.xlsx");
    // «تشویقی» merged over one column too many: two columns would be «تشویقی — برنامه»
    t1_workbook(&header, 8, |sheet| {
        sheet.write(1, 8, "برنامه").unwrap();
    });
    let message = refused(root, &header, "T1");
    assert!(message.contains("Sheet1!F1:I1: the merged header «تشویقی» spans 4 columns, which gives a second column «تشویقی — برنامه»"), "{message}");
    let values = root.join("values.xlsx");
    t1_workbook(&values, 7, |sheet| {
        sheet.merge_range(3, 2, 3, 3, "20", &Format::new()).unwrap();
    });
    let message = refused(root, &values, "T1");
    assert!(
        message.contains("Sheet1!C4:D4: a merged cell over value cells cannot be placed"),
        "{message}"
    );
}

/// Removes the saved results of formulas from a workbook, as a program that writes formulas
/// without computing them leaves them.
fn without_formula_results(path: &Path) {
    let mut archive = zip::ZipArchive::new(Cursor::new(fs::read(path).unwrap())).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut text = Vec::new();
        entry.read_to_end(&mut text).unwrap();
        if name.ends_with("sheet1.xml") {
            let xml = String::from_utf8(text).unwrap();
            let cut = regex_free_cut(&xml);
            text = cut.into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&text).unwrap();
    }
    fs::write(path, out.finish().unwrap().into_inner()).unwrap();
}

/// `<f>…</f><v>0</v>` → `<f>…</f>`.
fn regex_free_cut(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    while let Some(at) = rest.find("</f><v>") {
        out.push_str(&rest[..at + 4]);
        let after = &rest[at + 4..];
        let end = after.find("</v>").unwrap() + 4;
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn a_formula_without_a_saved_value_is_refused_and_one_with_a_value_is_used() {
    let (dir, _) = fixture_site();
    let root = dir.path();
    let file = root.join("formula.xlsx");
    t1_workbook(&file, 7, |sheet| {
        sheet
            .write_formula(2, 3, Formula::new("=C3*1.2").set_result("12"))
            .unwrap();
    });
    let output = import_cli(root, &file, "T1", false);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("values = [10, 12, 120, 4, 2, 50]"));
    without_formula_results(&file);
    let message = refused(root, &file, "T1");
    assert!(
        message.contains("Sheet1!D3: the formula =C3*1.2, which has no saved value"),
        "{message}"
    );
}

#[test]
fn import_asks_which_table_and_sheet_and_refuses_other_files() {
    let (dir, out) = fixture_site();
    let root = dir.path();
    let file = out.join("1401/T1.xlsx");
    let output = import_cli(root, &file, "T9", false);
    assert!(
        stderr(&output).contains("no year has a table T9"),
        "{}",
        stderr(&output)
    );
    let output = karnameh(&[
        "import",
        file.to_str().unwrap(),
        "--table",
        "T1",
        "--root",
        root.to_str().unwrap(),
        "--sheet",
        "نیست",
    ]);
    assert!(
        stderr(&output).contains("has no sheet `نیست`; its sheets: T1, درباره جدول"),
        "{}",
        stderr(&output)
    );
    let notes = karnameh(&[
        "import",
        file.to_str().unwrap(),
        "--table",
        "T1",
        "--root",
        root.to_str().unwrap(),
        "--sheet",
        "T1",
    ]);
    assert!(notes.status.success(), "{}", stderr(&notes));
    fs::write(root.join("x.ods"), "").unwrap();
    let output = import_cli(root, &root.join("x.ods"), "T1", false);
    assert!(
        stderr(&output).contains("imports .xlsx workbooks and .csv files"),
        "{}",
        stderr(&output)
    );
}
