//! Several years side by side (the synthetic fixture `tests/fixtures/years`: 1398, 1399,
//! 1400): the year switcher, frozen years, archives and `verify`, year over year, and `new`.

mod common;
use common::*;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

fn years() -> tempfile::TempDir {
    fixture("years")
}

/// `karnameh <command> --root <root> <args>`, which must succeed; its standard output.
fn run(command: &str, root: &Path, args: &[&str]) -> String {
    let mut all = vec![command, "--root", root.to_str().unwrap()];
    all.extend_from_slice(args);
    let output = karnameh(&all);
    assert!(
        output.status.success(),
        "karnameh {all:?} failed: {}{}",
        stdout(&output),
        stderr(&output)
    );
    stdout(&output)
}

/// The files below `dir` of `snapshot`.
fn below(snapshot: &BTreeMap<PathBuf, Vec<u8>>, dir: &str) -> BTreeMap<PathBuf, Vec<u8>> {
    snapshot
        .iter()
        .filter(|(p, _)| p.starts_with(dir))
        .map(|(p, b)| (p.clone(), b.clone()))
        .collect()
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
    let bars = doc.descendants().filter(|n| n.has_tag_name("rect")).count();
    assert_eq!(bars, 10, "one bar per row and year that has it (4 + 3 + 3)");
    assert_eq!(
        texts(&html, ".series-years a .year"),
        ["۱۴۰۰", "۱۳۹۹", "۱۳۹۸"]
    );
    let root = page(&out, "index.html");
    assert_eq!(select(&root, ".series-list a").len(), 2);
}

fn archive(root: &Path, year: &str, to: &Path) -> Vec<u8> {
    run("archive", root, &[year, "--output", to.to_str().unwrap()]);
    fs::read(to).unwrap()
}

#[test]
fn an_archive_has_the_same_bytes_from_two_runs_and_after_every_file_is_touched() {
    let site = years();
    let dir = tempfile::tempdir().unwrap();
    let first = archive(site.path(), "1399", &dir.path().join("a.tar.gz"));
    let second = archive(site.path(), "1399", &dir.path().join("b.tar.gz"));
    assert!(first == second, "two runs differ");
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(86_400);
    for entry in walkdir::WalkDir::new(site.path()) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let file = fs::File::options().write(true).open(entry.path()).unwrap();
            file.set_modified(later).unwrap();
        }
    }
    let touched = archive(site.path(), "1399", &dir.path().join("c.tar.gz"));
    assert!(first == touched, "touching the files changed the archive");
    let files = karnameh::archive::tarball::read(&first).unwrap();
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    for name in [
        "manifest.json",
        "site/1399/index.html",
        "site/1399/provinces/index.html",
        "site/1399/style.css",
        "site/1399/fonts/Vazirmatn-Regular.woff2",
        "source/site.toml",
        "source/content/1398/year.toml",
        "source/content/1399/07-provinces.toml",
        "source/themes/default/templates/base.html",
    ] {
        assert!(names.contains(&name), "{name} not in {names:?}");
    }
    assert!(
        !names.iter().any(|n| n.contains("1400")),
        "a year's archive holds nothing of later years: {names:?}"
    );
    let manifest: serde_json::Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
    assert_eq!(manifest["year"], 1399);
    assert_eq!(
        manifest["settings"]["base-url"],
        "https://portal.example/reports/"
    );
    assert_eq!(manifest["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        manifest["files"]["site/1399/index.html"],
        karnameh::output::manifest::sha256_hex(&files["site/1399/index.html"])
    );
    // what the archive holds is what `build` writes
    let out = build(site.path());
    assert_eq!(
        files["site/1399/provinces/index.html"],
        fs::read(out.join("1399/provinces/index.html")).unwrap()
    );
}

/// The archive at `path` with `change` applied to its entries (manifest left as it was).
fn tamper(path: &Path, change: impl FnOnce(&mut BTreeMap<String, Vec<u8>>)) {
    let mut files = karnameh::archive::tarball::read(&fs::read(path).unwrap()).unwrap();
    change(&mut files);
    fs::write(path, karnameh::archive::tarball::write(&files, 0).unwrap()).unwrap();
}

fn verify(archive: &Path, source: Option<&Path>) -> (bool, String) {
    let mut args = vec!["verify", archive.to_str().unwrap()];
    if let Some(source) = source {
        args.extend(["--source", source.to_str().unwrap()]);
    }
    let output = karnameh(&args);
    (output.status.success(), stdout(&output) + &stderr(&output))
}

#[test]
fn verify_names_a_changed_byte_a_missing_file_and_what_a_rebuild_changes() {
    let site = years();
    let path = site.path().join("1400.tar.gz");
    archive(site.path(), "1400", &path);
    let (ok, text) = verify(&path, Some(site.path()));
    assert!(ok, "{text}");
    assert!(
        text.contains("every file matches its hash and the year built from"),
        "{text}"
    );
    tamper(&path, |files| {
        let page = files.get_mut("site/1400/office/index.html").unwrap();
        let at = page.len() / 2;
        page[at] ^= 1;
        files.remove("source/content/1400/09-office.toml");
    });
    let (ok, text) = verify(&path, None);
    assert!(!ok);
    assert!(
        text.contains("changed     site/1400/office/index.html"),
        "{text}"
    );
    assert!(
        text.contains("missing     source/content/1400/09-office.toml"),
        "{text}"
    );
    // a fresh archive, and the source edited since: the rebuild names what differs
    archive(site.path(), "1400", &path);
    edit(
        site.path(),
        "content/1400/09-office.toml",
        "values = [\"مورد\", \"حسب درخواست\", 6, \"-\"]",
        "values = [\"مورد\", \"حسب درخواست\", 7, \"-\"]",
    );
    let (ok, text) = verify(&path, Some(site.path()));
    assert!(!ok);
    assert!(
        text.contains("changed     site/1400/office/index.html"),
        "{text}"
    );
    assert!(
        text.contains("changed     source/content/1400/09-office.toml"),
        "{text}"
    );
    assert!(
        !text.contains("provinces"),
        "only what changed is named: {text}"
    );
}

#[test]
fn a_frozen_year_is_served_from_its_archive_and_an_edit_to_it_stops_the_build() {
    let site = years();
    run("archive", site.path(), &["1399"]);
    let archived = fs::read(site.path().join("archives/1399.tar.gz")).unwrap();
    edit(
        site.path(),
        "content/1399/year.toml",
        "year = 1399\n",
        "year = 1399\nfrozen = true\n",
    );
    // the theme changes after 1399 was published: 1399 keeps its look, 1400 takes the new one
    let css = site.path().join("themes/default/static/style.css");
    fs::write(
        &css,
        fs::read_to_string(&css).unwrap() + "\n/* new look */\n",
    )
    .unwrap();
    let out = site.path().join("public");
    let built = run("build", site.path(), &["--output", out.to_str().unwrap()]);
    assert!(built.contains("frozen 1399 from their archives"), "{built}");
    let served = snapshot(&out);
    let files = karnameh::archive::tarball::read(&archived).unwrap();
    let from_archive: BTreeMap<PathBuf, Vec<u8>> = files
        .iter()
        .filter_map(|(p, b)| Some((PathBuf::from(p.strip_prefix("site/")?), b.clone())))
        .collect();
    assert!(
        below(&served, "1399") == from_archive,
        "1399/ is not its archive's"
    );
    let new_look = |p: &str| String::from_utf8_lossy(&served[Path::new(p)]).contains("new look");
    assert!(!new_look("1399/style.css") && new_look("1400/style.css"));
    // an edit to the frozen year's data is refused, naming the file
    edit(
        site.path(),
        "content/1399/07-provinces.toml",
        "[100, 110, 110]",
        "[100, 111, 111]",
    );
    let output = build_into(site.path(), &out, &[]);
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(
        err.contains("07-provinces.toml") && err.contains("[frozen]") && err.contains("was edited"),
        "{err}"
    );
    let check = karnameh(&["check", "--root", site.path().to_str().unwrap()]);
    assert!(!check.status.success());
    assert!(stdout(&check).contains("frozen"), "{}", stdout(&check));
    // archiving a frozen year again is refused: its archive is the record
    let again = karnameh(&["archive", "1399", "--root", site.path().to_str().unwrap()]);
    assert!(stderr(&again).contains("is frozen"), "{}", stderr(&again));
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
fn a_frozen_years_damaged_archive_stops_the_build() {
    let site = years();
    run("archive", site.path(), &["1398"]);
    edit(
        site.path(),
        "content/1398/year.toml",
        "year = 1398\n",
        "year = 1398\nfrozen = true\n",
    );
    let path = site.path().join("archives/1398.tar.gz");
    tamper(&path, |files| {
        files.insert(
            "site/1398/index.html".into(),
            b"<p>not as published</p>".to_vec(),
        );
    });
    let output = build_into(site.path(), &site.path().join("public"), &[]);
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(
        err.contains("is damaged (changed     site/1398/index.html)"),
        "{err}"
    );
    fs::remove_file(&path).unwrap();
    let output = build_into(site.path(), &site.path().join("public"), &[]);
    assert!(
        stderr(&output).contains("year 1398 is frozen, but its archive"),
        "{}",
        stderr(&output)
    );
}
