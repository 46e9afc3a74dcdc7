//! The real 1400 report: built from the repository root, read back with an HTML parser and
//! compared with the printed report's page index, its table inventory and spot values.

mod common;
mod printed_report;

use common::*;
use printed_report::{PAGE_INDEX, TABLE_PAGES};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The site is built once for all tests of this file.
fn built() -> &'static Path {
    static OUT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, out) = OUT.get_or_init(build_real_site);
    out
}

fn persian(n: u32) -> String {
    karnameh::numfmt::localize_digits(&n.to_string(), karnameh::config::DigitStyle::Persian)
}

fn toc() -> Vec<(String, String, String)> {
    let year = page(built(), "1400/index.html");
    select(&year, ".toc li a")
        .iter()
        .map(|a| {
            let title = texts_in(a, ".toc-title");
            let number = texts_in(a, ".toc-page");
            (title, number, a.value().attr("href").unwrap().to_string())
        })
        .collect()
}

fn texts_in(element: &scraper::ElementRef, css: &str) -> String {
    element
        .select(&scraper::Selector::parse(css).unwrap())
        .map(|e| text(&e))
        .collect()
}

/// Title with runs of white space folded, as `text()` reads it from the page.
fn folded(title: &str) -> String {
    title.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn table_of_contents_equals_the_printed_page_index() {
    let toc = toc();
    let expected: Vec<(String, String)> = PAGE_INDEX
        .iter()
        .map(|(p, t)| (folded(t), persian(*p)))
        .collect();
    let found: Vec<(String, String)> = toc.iter().map(|(t, p, _)| (t.clone(), p.clone())).collect();
    assert_eq!(found, expected);
}

#[test]
fn every_index_entry_has_its_page_showing_its_printed_number() {
    for ((title, number, href), (page_no, _)) in toc().iter().zip(PAGE_INDEX) {
        // the year page links to its sections relatively: `summary/index.html`
        let path = format!("1400/{href}");
        let html = page(built(), &path);
        assert_eq!(
            texts(&html, "article h1"),
            std::slice::from_ref(title),
            "{path}"
        );
        let shown = texts(&html, "article .page-no").join(" ");
        assert!(
            shown.starts_with(&format!("صفحه {number}")),
            "{path}: {shown}"
        );
        let pager = select(&html, ".pager a");
        let expect_links = if page_no == PAGE_INDEX[0].0 || page_no == PAGE_INDEX[55].0 {
            1
        } else {
            2
        };
        assert_eq!(pager.len(), expect_links, "{path}: previous/next links");
    }
}

#[test]
fn every_table_of_the_inventory_is_on_its_page_once() {
    let pages: BTreeMap<u32, String> = PAGE_INDEX
        .iter()
        .zip(toc())
        .map(|((p, _), (_, _, href))| (*p, format!("1400/{href}")))
        .collect();
    let mut expected: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (id, page_no) in TABLE_PAGES {
        // a table printed on a later page belongs to the last index entry at or before it
        let (_, path) = pages.range(..=page_no).next_back().unwrap();
        expected.entry(path.as_str()).or_default().push(id);
    }
    let mut total = 0;
    for (path, ids) in expected {
        let html = page(built(), path);
        let found: Vec<String> = select(&html, "figure.report-table")
            .iter()
            .map(|f| f.value().attr("id").unwrap().to_string())
            .collect();
        assert_eq!(found, ids, "{path}");
        total += found.len();
    }
    assert_eq!(total, 96, "96 data tables besides the page index");
}

/// (page path, css selector of a cell, expected text): values read from the seed by hand.
const SPOT_VALUES: &[(&str, &str, &str)] = &[
    // national summary: T002 row 1 actual, T007 row 3 (آزمون نمونه از مراکز تولیدی)
    (
        "1400/summary/index.html",
        "#T002-1 td:nth-of-type(3)",
        "۶۵۸",
    ),
    (
        "1400/summary/index.html",
        "#T007-3 td:nth-of-type(3)",
        "۹۹٬۹۱۳",
    ),
    (
        "1400/summary/index.html",
        "#T004-1 td:nth-of-type(2)",
        "۲۸۲٬۰۴۶",
    ),
    // province tables: T010 Tehran, total; T020 Zanjan 1215%; T014 person-hours total
    (
        "1400/national-standards/index.html",
        "#T010-8 td:nth-of-type(2)",
        "۱۹۹",
    ),
    (
        "1400/national-standards/index.html",
        "#T010-total td:nth-of-type(4)", // after the empty number cell
        "۱۵۳٪",
    ),
    (
        "1400/mandatory-licence-renewal/index.html",
        "#T020-14 td:nth-of-type(3)",
        "۱٬۲۱۵٪",
    ),
    // crosstab and pass-fail
    (
        "1400/technical-visits/index.html",
        "#T030-total td:last-of-type",
        "۶۷٬۹۷۴",
    ),
    (
        "1400/production-testing/index.html",
        "#T041-1 td:nth-of-type(1)",
        "۶٬۸۵۵",
    ),
    (
        "1400/production-testing/index.html",
        "#T041-1 td:nth-of-type(4)",
        "۸۰٪",
    ),
    // share, no-data
    (
        "1400/mark-permits/index.html",
        "#T023-total td:nth-of-type(2)",
        "۲٬۱۵۱",
    ),
    (
        "1400/cng-stations/index.html",
        "#T034-1 td:nth-of-type(1)",
        "",
    ),
    // HQ offices and the halal narrative
    (
        "1400/hq-national-standards/index.html",
        "#T067-1 td:last-of-type",
        "۱۵۳٪",
    ),
    (
        "1400/hq-food-halal/index.html",
        "#T078-2-1 td:nth-of-type(2)",
        "۱ فقره",
    ),
    (
        "1400/hq-export-import/index.html",
        "#T080-1 td:nth-of-type(2)",
        "۱۵",
    ),
];

#[test]
fn spot_values_from_every_part_of_the_report() {
    for (path, css, expected) in SPOT_VALUES {
        let html = page(built(), path);
        let found = texts(&html, css);
        assert_eq!(
            found.first().map(String::as_str),
            Some(*expected),
            "{path} {css}: {found:?}"
        );
    }
}

#[test]
fn the_only_year_shows_no_comparison_and_no_series_page() {
    assert!(!built().join("series").exists());
    let summary = std::fs::read_to_string(built().join("1400/summary/index.html")).unwrap();
    assert!(!summary.contains("yoy-table"));
    assert!(!summary.contains("aria-current=\"true\">۱۳۹۹"));
}

#[test]
fn no_url_leaves_the_site_and_every_internal_link_resolves() {
    assert_links_resolve(built(), "/");
}

#[test]
fn no_page_has_a_script_but_the_sites_own() {
    for (file, html) in html_pages(built()) {
        let scripts = scripts_but_the_sites_own(&html);
        assert!(scripts.is_empty(), "{file}: {scripts:?}");
    }
}

#[test]
fn check_finds_no_unacknowledged_error_in_the_real_content() {
    let findings = karnameh::cmd::check::check(&repo_root()).unwrap();
    let failing: Vec<String> = findings
        .iter()
        .filter(|f| f.fails_check())
        .map(karnameh::report::one_line)
        .collect();
    assert!(failing.is_empty(), "{failing:#?}");
    let warnings = findings
        .iter()
        .filter(|f| f.severity == karnameh::diagnostics::Severity::Warning)
        .count();
    assert_eq!(warnings, 0, "text lint warnings in the real content");
}

#[test]
fn reader_text_names_no_internal_id_and_writes_persian_digits() {
    let failures = reader_text_failures(built());
    assert!(failures.is_empty(), "{failures:#?}");
    // the checks themselves
    assert_eq!(
        table_ids("جدول T002، صفحه ۴ و AT0012 و T1 و T20a"),
        ["T002", "T1"]
    );
    assert_eq!(
        stray_latin_digits("ردیف 23، برنامه و ISO/IEC 17025 و A4").len(),
        1
    );
}

#[test]
fn the_print_edition_holds_every_section_in_order_with_unique_ids() {
    let print = page(built(), "1400/print/index.html");
    let articles: Vec<String> = select(&print, "article.section")
        .iter()
        .map(|a| a.value().attr("id").unwrap().to_string())
        .collect();
    let toc: Vec<String> = select(&print, ".toc li a")
        .iter()
        .map(|a| {
            a.value()
                .attr("href")
                .unwrap()
                .trim_start_matches('#')
                .to_string()
        })
        .collect();
    assert_eq!(articles.len(), PAGE_INDEX.len());
    assert_eq!(articles, toc, "the contents link to the sections, in order");
    assert_eq!(select(&print, "figure.report-table").len(), 96);
    let mut seen = std::collections::BTreeSet::new();
    let duplicates: Vec<&str> = select(&print, "[id]")
        .iter()
        .filter_map(|e| e.value().attr("id"))
        .filter(|id| !seen.insert(*id))
        .collect();
    assert!(duplicates.is_empty(), "{duplicates:?}");
    // each section as its own page shows it
    let summary = page(built(), "1400/summary/index.html");
    assert_eq!(
        texts(&summary, "article caption"),
        texts(&print, "#section-summary caption")
    );
    let year = page(built(), "1400/index.html");
    assert_eq!(
        select(&year, ".print-link a")[0].value().attr("href"),
        Some("print/index.html")
    );
}

#[test]
fn the_review_page_shows_the_likeliest_fix_of_a_discrepancy() {
    let review = page(built(), "1400/review/index.html");
    let rows = select(&review, "table.review tbody tr");
    let warnings = rows
        .iter()
        .find(|r| {
            let links_t053 = r
                .select(&scraper::Selector::parse("a").unwrap())
                .any(|a| a.value().attr("href").is_some_and(|h| h.contains("#T053")));
            text(r).contains("ایمنی، سلامت") && links_t053
        })
        .expect("the acknowledged total of T053's safety column");
    let fix = texts_in(warnings, ".likely-fix");
    // the column total 14 and Kurdistan's row total 464 both agree if its safety cell is 3
    assert!(fix.contains("ردیف 20") || fix.contains("ردیف ۲۰"), "{fix}");
    assert!(fix.contains("۰ احتمالاً ۳ است"), "{fix}");
    assert!(fix.contains("جمع ستون") && fix.contains("جمع سطر"), "{fix}");
}
