//! Several years side by side (the synthetic fixture `tests/fixtures/years`: 1398, 1399,
//! 1400): the year switcher, unchanged years when one is added, year over year, series pages
//! and `new`. Archives and frozen years: `tests/archives.rs`.

mod common;
use common::*;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

fn years() -> tempfile::TempDir {
    fixture("years")
}

#[test]
fn every_page_switches_between_the_years_published_up_to_its_own() {
    let site = years();
    let out = build(site.path());
    let switcher = |path: &str| texts(&page(&out, path), ".year-switcher a");
    assert_eq!(switcher("1398/provinces/index.html"), ["۱۳۹۸", "همه سال‌ها"]);
    assert_eq!(
        switcher("1400/office/index.html"),
        ["۱۴۰۰", "۱۳۹۹", "۱۳۹۸", "همه سال‌ها"]
    );
    let html = page(&out, "1399/index.html");
    let current = select(&html, ".year-switcher a[aria-current]");
    assert_eq!(current.len(), 1);
    assert_eq!(current[0].value().attr("href"), Some("index.html"));
    let all = select(&html, ".year-switcher a")
        .last()
        .unwrap()
        .value()
        .attr("href");
    assert_eq!(all, Some("../index.html"), "the root page lists every year");
    // the banner is left to the script at the site root: the page carries its year only
    let script = select(&html, "script[src]");
    assert_eq!(script[0].value().attr("src"), Some("../years.js"));
    assert_eq!(script[0].value().attr("data-year"), Some("1399"));
    assert_eq!(select(&html, "#year-banner[hidden]").len(), 1);
    let js = fs::read_to_string(out.join("years.js")).unwrap();
    assert!(
        js.contains("\"url\":\"1400/index.html\",\"year\":1400"),
        "{js}"
    );
    let root = page(&out, "index.html");
    assert_eq!(
        texts(&root, ".years .year"),
        ["۱۴۰۰", "۱۳۹۹", "۱۳۹۸"],
        "latest first"
    );
    assert_eq!(
        select(&root, ".lead a")[0].value().attr("href"),
        Some("1400/index.html")
    );
    assert_links_resolve(&out, "/reports/");
}

#[test]
fn adding_a_year_changes_no_byte_of_the_years_before_it() {
    let site = years();
    let next = site.path().join("next-year");
    fs::rename(site.path().join("content/1400"), &next).unwrap();
    let before = snapshot(&build(site.path()));
    fs::rename(&next, site.path().join("content/1400")).unwrap();
    let after = snapshot(&build(site.path()));
    for year in ["1398", "1399"] {
        let (old, new) = (below(&before, year), below(&after, year));
        assert!(old.len() > 5, "{year}: {} files", old.len());
        assert!(old == new, "{year}/ changed when 1400 was added");
    }
    assert_ne!(
        before.get(Path::new("years.js")),
        after.get(Path::new("years.js")),
        "the script at the root learns of the new year"
    );
}

#[test]
fn a_table_shows_the_previous_years_figures_and_rows_found_in_one_year_only() {
    let site = years();
    let out = build(site.path());
    let html = page(&out, "1400/provinces/index.html");
    let rows: Vec<Vec<String>> = select(&html, "#T1 .yoy-table tr")
        .iter()
        .map(|tr| {
            tr.child_elements()
                .map(|c| text(&c))
                .collect::<Vec<String>>()
        })
        .collect();
    assert_eq!(rows[0], ["ردیف", "۱۳۹۹", "۱۴۰۰", "تغییر", "درصد تغییر"]);
    // Isfahan is matched by its key although its label changed
    assert_eq!(rows[1], ["تهران", "۱۱۰", "۱۳۲", "+۲۲", "+۲۰٪"]);
    assert_eq!(rows[2], ["استان اصفهان", "۵۴", "۶۶", "+۱۲", "+۲۲٫۲٪"]);
    assert_eq!(
        rows[3],
        ["خراسان رضوی", "۲۵", "۲۴", "\u{200e}-۱", "\u{200e}-۴٪"]
    );
    assert_eq!(rows[4], ["فارس", "۳۰", "—", "فقط در سال ۱۳۹۹"]);
    assert_eq!(rows[5], ["جمع کل", "۲۱۹", "۲۲۲", "+۳", "+۱٫۴٪"]);
    let caption = texts(&html, "#T1 .yoy-table caption").join("");
    assert!(
        caption.starts_with("مقایسه با سال ۱۳۹۹: عملکرد"),
        "{caption}"
    );
    let series = select(&html, "#T1 .yoy-table caption a")[0]
        .value()
        .attr("href");
    assert_eq!(series, Some("../../series/province-standards/index.html"));
    // rows matched by label; a plan printed as text has no change
    let office = page(&out, "1399/office/index.html");
    assert_eq!(
        texts(&office, "#T2 .yoy-table tbody tr:first-child td"),
        ["۸۰", "۱۲۰", "+۴۰", "+۵۰٪"]
    );
    let first = page(&out, "1398/provinces/index.html");
    assert!(
        select(&first, ".yoy-table").is_empty(),
        "1398 has no year before it"
    );
}

#[test]
fn a_series_page_charts_and_lists_every_year() {
    let site = years();
    let out = build(site.path());
    let html = page(&out, "series/province-standards/index.html");
    assert_eq!(
        texts(&html, ".series-table thead th"),
        ["ردیف", "۱۳۹۸", "۱۳۹۹", "۱۴۰۰"]
    );
    let rows: BTreeMap<String, Vec<String>> = select(&html, ".series-table tbody tr")
        .iter()
        .map(|tr| {
            let cells: Vec<String> = tr.child_elements().map(|c| text(&c)).collect();
            (cells[0].clone(), cells[1..].to_vec())
        })
        .collect();
    assert_eq!(rows["تهران"], ["۹۰", "۱۱۰", "۱۳۲"]);
    assert_eq!(rows["خراسان رضوی"], ["—", "۲۵", "۲۴"], "not there in 1398");
    assert_eq!(rows["فارس"], ["۴۰", "۳۰", "—"], "not there in 1400");
    assert_eq!(rows["جمع کل"], ["۱۹۰", "۲۱۹", "۲۲۲"]);
    let svg = &select(&html, ".chart svg")[0].html();
    let doc = roxmltree::Document::parse(svg).unwrap();
    // bars are filled rectangles, one `z` each in the paths of a layout
    for layout in ["wide", "narrow"] {
        let layer = doc
            .descendants()
            .find(|n| n.attribute("class") == Some(layout))
            .unwrap();
        let bars: usize = layer
            .descendants()
            .filter(|n| n.has_tag_name("path") && n.attribute("fill") != Some("none"))
            .map(|n| n.attribute("d").unwrap().matches('z').count())
            .sum();
        assert_eq!(
            bars, 10,
            "{layout}: a bar per row and year that has it (4 + 3 + 3)"
        );
    }
    assert_eq!(
        texts(&html, ".series-years a .year"),
        ["۱۴۰۰", "۱۳۹۹", "۱۳۹۸"]
    );
    let root = page(&out, "index.html");
    assert_eq!(select(&root, ".series-list a").len(), 2);
}

#[test]
fn new_starts_next_year_as_a_draft_that_builds_and_is_zero_percent_complete() {
    let site = years();
    let said = run("new", site.path(), &["1401", "--from", "1400"]);
    assert!(said.contains("started 1401 from 1400"), "{said}");
    let provinces = fs::read_to_string(site.path().join("content/1401/07-provinces.toml")).unwrap();
    assert!(provinces.contains("series = \"province-standards\""));
    assert!(
        provinces.contains(
            "key = \"khorasan-razavi\", label = [\"خراسان رضوی\"], values = [\"\", \"\", \"\"]"
        ),
        "{provinces}"
    );
    assert!(
        provinces.contains("label = \"برنامه سال ۱۴۰۱\""),
        "{provinces}"
    );
    let report = stdout(&karnameh(&[
        "check",
        "--root",
        site.path().to_str().unwrap(),
    ]));
    assert!(
        report.contains("to be filled: 0 of 12 cells filled (0%)"),
        "{report}"
    );
    assert!(
        report.contains("to be filled: 0 of 6 cells filled (0%)"),
        "{report}"
    );
    assert!(
        report.contains("draft year 1401: 0 of 18 cells filled (0%)"),
        "{report}"
    );
    assert!(report.contains("0 error(s)"), "{report}");
    let out = build(site.path());
    assert!(!out.join("1401").exists(), "a draft is left out by default");
    let drafts = site.path().join("drafts");
    run(
        "build",
        site.path(),
        &["--output", drafts.to_str().unwrap(), "--drafts"],
    );
    let html = page(&drafts, "1401/provinces/index.html");
    assert_eq!(texts(&html, ".draft-banner").len(), 1);
    assert_eq!(texts(&html, "#T1-1 td"), ["", "", ""]);
    assert_eq!(
        texts(&html, "#T1 .yoy-table tbody tr:first-child td"),
        ["۱۳۲", "", "", ""],
        "nothing to compare yet, and nothing guessed"
    );
}

#[test]
fn the_real_1400_report_starts_1401() {
    let dir = tempfile::tempdir().unwrap();
    for part in ["content", "themes"] {
        copy_dir(&repo_root().join(part), &dir.path().join(part));
    }
    fs::copy(repo_root().join("site.toml"), dir.path().join("site.toml")).unwrap();
    run("new", dir.path(), &["1401", "--from", "1400"]);
    let report = stdout(&karnameh(&[
        "check",
        "--root",
        dir.path().to_str().unwrap(),
    ]));
    assert!(report.contains("0 error(s)"), "{report}");
    let overall = report
        .lines()
        .find(|l| l.contains("draft year 1401"))
        .unwrap_or_else(|| panic!("{report}"));
    assert!(overall.contains("cells filled (0%)"), "{overall}");
    let out = dir.path().join("public");
    run(
        "build",
        dir.path(),
        &["--output", out.to_str().unwrap(), "--drafts"],
    );
    assert!(out.join("1401/summary/index.html").is_file());
}

#[test]
fn a_series_is_one_table_a_year_and_its_rows_must_be_told_apart() {
    let site = years();
    edit(
        site.path(),
        "content/1400/09-office.toml",
        "series = \"office-training\"",
        "series = \"province-standards\"",
    );
    edit(
        site.path(),
        "content/1399/07-provinces.toml",
        "key = \"fars\"",
        "key = \"tehran\"",
    );
    let output = build_into(site.path(), &site.path().join("public"), &[]);
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(
        err.contains("09-office.toml") && err.contains("also the series of table T1"),
        "{err}"
    );
    assert!(
        err.contains("1399/07-provinces.toml") && err.contains("give them distinct `key`s"),
        "{err}"
    );
}

#[test]
fn reader_text_of_every_year_and_series_page_names_no_internal_id_and_writes_persian_digits() {
    let site = years();
    let out = build(site.path());
    assert!(out.join("series").is_dir() && out.join("1398/print/index.html").is_file());
    let failures = reader_text_failures(&out);
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn every_page_kind_describes_itself_in_a_meta_description() {
    let site = years();
    let out = build(site.path());
    let description = |path: &str| {
        let html = page(&out, path);
        let meta = select(&html, "meta[name=description]");
        assert_eq!(meta.len(), 1, "{path}");
        meta[0].value().attr("content").unwrap().to_string()
    };
    let pages = [
        "index.html",
        "404.html",
        "1399/index.html",
        "1399/provinces/index.html",
        "1399/review/index.html",
        "1399/print/index.html",
        "series/province-standards/index.html",
    ];
    let all: Vec<String> = pages.iter().map(|p| description(p)).collect();
    for (path, text) in pages.iter().zip(&all) {
        assert!(text.chars().count() > 20, "{path}: «{text}»");
        assert!(
            !text.chars().any(|c| c.is_ascii_digit()),
            "{path}: «{text}»"
        );
    }
    assert!(all[6].contains("۱۳۹۸، ۱۳۹۹، ۱۴۰۰"), "{}", all[6]);
    assert!(all[3].starts_with("استان‌ها"), "{}", all[3]);
}
