//! The reviewer view (`build --review`, and every page `serve` sends): each finding of `check`
//! marked on its cell with the expected and found figures, listed under its table and in the
//! page's panel with links that resolve; and none of it, nor `serve`'s script, in a build.

mod common;
use common::*;

const REVIEW_MARKUP: &str = ".review-panel, .review-notes, .finding, .finding-item, .finding-tip, [id^=finding-], #karnameh-overlay";

#[test]
fn a_build_has_no_reviewer_view_and_no_script_of_serve() {
    let site = fixture("site");
    let out = build(site.path());
    let pages = html_pages(&out);
    assert!(pages.len() >= 8);
    for (path, html) in &pages {
        let scripts = scripts_but_the_sites_own(html);
        assert!(scripts.is_empty(), "{path} has a script: {scripts:?}");
        assert!(
            select(html, REVIEW_MARKUP).is_empty(),
            "{path} has reviewer markup"
        );
        assert!(
            !html.html().contains("__karnameh"),
            "{path} names serve's socket"
        );
    }
}

#[test]
fn each_finding_marks_its_cell_with_expected_and_found_and_is_listed_with_links() {
    let (_site, out) = reviewed_fixture();
    let page = page(&out, "1400/provinces/index.html");
    let error = select(&page, "td.finding-error");
    assert_eq!(error.len(), 1);
    let cell = error[0].value();
    assert_eq!(cell.id(), Some("T1-total-c-actual"));
    assert_eq!(cell.attr("tabindex"), Some("0"));
    assert_eq!(
        texts(&page, "td.finding-error .finding-tip"),
        ["خطا · ردیف جمع: مورد انتظار ۴٬۲۷۶؛ ثبت‌شده ۴٬۲۷۵"]
    );
    let described = cell.attr("aria-describedby").unwrap();
    let entry = texts(&page, &format!("#{described}"));
    assert!(
        entry[0].contains("مورد انتظار ۴٬۲۷۶؛ ثبت‌شده ۴٬۲۷۵"),
        "{entry:?}"
    );
    assert!(entry[0].contains("07-provinces.toml:"), "{entry:?}");

    // the two acknowledged discrepancies of T3, distinct from the error
    let acknowledged: Vec<_> = select(&page, "td.finding-acknowledged")
        .iter()
        .map(|c| c.value().id().unwrap_or("").to_string())
        .collect();
    assert_eq!(acknowledged, ["T3-2-c-sum", "T3-total-c-sum"]);
    // the warning is about T2's caption, not a cell: listed under T2, no cell outlined
    assert!(select(&page, "td.finding-warning").is_empty());
    let notes = texts(&page, "#T2 > .review-notes .finding-warning");
    assert_eq!(notes.len(), 1);
    assert!(notes[0].contains("فاصله‌گذاری"), "{notes:?}");

    // the panel counts and links every finding; every link resolves on the page
    let summary = texts(&page, ".review-panel summary");
    assert!(
        summary[0].contains("۱ خطا")
            && summary[0].contains("۲ ناسازگاری پذیرفته‌شده")
            && summary[0].contains("۱ هشدار"),
        "{summary:?}"
    );
    let links = select(&page, ".review-panel a[href], .review-notes a[href]");
    assert_eq!(
        links.len(),
        8,
        "4 findings, each in the panel and under its table"
    );
    for link in links {
        let target = link
            .value()
            .attr("href")
            .unwrap()
            .strip_prefix('#')
            .unwrap();
        assert_eq!(
            select(&page, &format!("[id='{target}']")).len(),
            1,
            "{target}"
        );
    }
    assert!(
        scripts_but_the_sites_own(&page).is_empty(),
        "a review build has no script of serve either"
    );
}

#[test]
fn the_year_pages_list_every_finding_with_links_to_the_cells() {
    let (_site, out) = reviewed_fixture();
    let provinces = out
        .canonicalize()
        .unwrap()
        .join("1400/provinces/index.html");
    for file in ["1400/index.html", "1400/review/index.html"] {
        let page = page(&out, file);
        // relative links, each to the cell's page and the cell
        let targets: Vec<(std::path::PathBuf, String)> = select(&page, ".review-panel a[href]")
            .iter()
            .map(|a| {
                let href = a.value().attr("href").unwrap();
                assert!(!href.starts_with('/'), "{file}: {href} is absolute");
                let path = resolve(
                    &out.canonicalize().unwrap(),
                    &out.canonicalize().unwrap().join(file),
                    href,
                    "/reports/",
                )
                .unwrap();
                (path, href.split_once('#').unwrap().1.to_string())
            })
            .collect();
        for anchor in ["T1-total-c-actual", "T3-2-c-sum", "T2"] {
            assert!(
                targets.contains(&(provinces.clone(), anchor.to_string())),
                "{file}: {targets:?}"
            );
        }
    }
    // pages without findings say so
    let quiet = page(&out, "1400/tests/index.html");
    let summary = texts(&quiet, ".review-panel summary");
    assert!(summary[0].contains("۰ خطا"), "{summary:?}");
}

#[test]
fn every_link_of_the_real_sites_reviewer_view_resolves_to_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let built = build_into(&repo_root(), &out, &["--review"]);
    assert!(built.status.success(), "{}", stderr(&built));
    assert_links_resolve(&out, "/");
    // the 101 acknowledged discrepancies of the report, each on its cell
    let review = page(&out, "1400/review/index.html");
    assert_eq!(
        select(&review, ".review-panel li.finding-acknowledged").len(),
        101
    );
    // each on its section's page (the print edition holds every section again), on its cell;
    // the ten repeated row labels and the one foreign year of a header are about a label or
    // a header, which the list under the table names instead
    let marked: usize = html_pages(&out)
        .iter()
        .filter(|(path, _)| !path.contains("/print/"))
        .map(|(_, html)| select(html, "td.finding-acknowledged").len())
        .sum();
    assert_eq!(marked, 101 - 11);
}
