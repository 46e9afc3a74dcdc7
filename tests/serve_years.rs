//! `karnameh serve` of a site of several years, one of them frozen: every file a build writes
//! is served with its type (the downloads, the series pages, `years.js`, the frozen year from
//! its archive), the files byte for byte; a save serves the new downloads and series page; an
//! edit to the frozen year shows the overlay over the last good site.

mod common;
mod serving;
use common::*;
use serving::*;

const BASE: &str = "/reports/";

/// The multi-year fixture with 1398 archived and frozen.
fn frozen_years_site() -> tempfile::TempDir {
    let site = fixture("years");
    run("archive", site.path(), &["1398"]);
    edit(
        site.path(),
        "content/1398/year.toml",
        "year = 1398\n",
        "year = 1398\nfrozen = true\n",
    );
    site
}

/// The `Content-Type` serve must send for a file of the build named `name`.
fn content_type(name: &str) -> Option<&'static str> {
    Some(match name.rsplit('.').next()? {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "woff2" => "font/woff2",
        "csv" => "text/csv; charset=utf-8",
        "json" => "application/json",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "zip" => "application/zip",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "ico" => "image/x-icon",
        _ => return None,
    })
}

/// The text between `<main` and `</main>`: what a page shows, without serve's additions.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").unwrap();
    &html[start..html[start..].find("</main>").unwrap() + start]
}

#[test]
fn every_file_of_a_build_is_served_with_its_type_and_its_bytes() {
    let site = frozen_years_site();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let built = build_into(site.path(), &out, &[]);
    assert!(built.status.success(), "{}", stderr(&built));
    let files = snapshot(&out);
    let server = Server::start(site.path(), &[]);
    let mut kinds = std::collections::BTreeSet::new();
    for (path, bytes) in &files {
        let name = path.to_str().unwrap();
        if name == ".karnameh-output" {
            continue;
        }
        let served = server.get(&format!("{BASE}{name}"));
        assert_eq!(served.status, 200, "{name}");
        let kind =
            content_type(name).unwrap_or_else(|| panic!("a file of an unknown type: {name}"));
        assert_eq!(served.header("content-type"), Some(kind), "{name}");
        kinds.insert(kind);
        if !name.ends_with(".html") {
            assert!(served.bytes == *bytes, "{name} differs from the build's");
            continue;
        }
        assert!(
            served.body.contains("/__karnameh/events"),
            "{name}: no reload script"
        );
        if name.starts_with("1398/") {
            // the frozen year's pages are its archive's, as the build publishes them
            let built = String::from_utf8_lossy(bytes);
            assert_eq!(main_of(&served.body), main_of(&built), "{name}");
        }
    }
    assert_eq!(kinds.len(), 10, "every kind of file is served: {kinds:?}");
    for name in [
        "years.js",
        "series/province-standards/index.html",
        "1398/T1.csv",
    ] {
        assert!(files.contains_key(std::path::Path::new(name)), "{name}");
    }
    let script = server.get(&format!("{BASE}years.js"));
    assert!(
        !script.body.contains("karnameh-scroll"),
        "years.js is no page"
    );
}

#[test]
fn a_save_serves_new_downloads_and_an_edit_to_a_frozen_year_shows_the_overlay() {
    let site = frozen_years_site();
    let server = Server::start(site.path(), &[]);
    let csv = format!("{BASE}1400/T1.csv");
    let package = server.get(&format!("{BASE}1400/1400-data.zip")).bytes;
    let series = format!("{BASE}series/province-standards/");
    assert!(server.get(&csv).body.contains("120,132,110"));
    save_by_rename(
        site.path(),
        "content/1400/07-provinces.toml",
        "values = [120, 132, 110]",
        "values = [120, 144, 120]",
    );
    eventually(10, "the new figures are in the CSV", || {
        server.get(&csv).body.contains("120,144,120").then_some(())
    });
    assert_ne!(
        server.get(&format!("{BASE}1400/1400-data.zip")).bytes,
        package,
        "the year's package holds the new figures"
    );
    assert!(
        texts(&server.get(&series).html(), "td")
            .iter()
            .any(|t| t == "۱۴۴"),
        "the series page shows the new figure"
    );

    let frozen = "content/1398/07-provinces.toml";
    save_by_rename(
        site.path(),
        frozen,
        "values = [100, 90, 90]",
        "values = [100, 91, 91]",
    );
    let shown = eventually(10, "the overlay names the frozen file", || {
        let page = server.get(&format!("{BASE}1400/provinces/"));
        select(&page.html(), "#karnameh-overlay").first().map(text)
    });
    assert!(shown.contains("07-provinces.toml"), "{shown}");
    // the last good site is still served, the frozen year from its archive
    let archived = server.get(&format!("{BASE}1398/T1.csv"));
    assert!(archived.body.contains("100,90,90"), "{}", archived.body);
    assert!(server.get(&csv).body.contains("120,144,120"));

    save_by_rename(
        site.path(),
        frozen,
        "values = [100, 91, 91]",
        "values = [100, 90, 90]",
    );
    eventually(10, "the overlay is gone", || {
        let page = server.get(&format!("{BASE}1400/provinces/"));
        select(&page.html(), "#karnameh-overlay")
            .is_empty()
            .then_some(())
    });
}
