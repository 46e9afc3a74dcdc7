//! Archives of a year (the synthetic fixture `tests/fixtures/years`): the same bytes from two
//! runs and after every file is touched, `verify` naming what differs, and frozen years served
//! from their archives.

mod common;
use common::*;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

fn years() -> tempfile::TempDir {
    fixture("years")
}

fn archive(root: &Path, year: &str, to: &Path) -> Vec<u8> {
    run("archive", root, &[year, "--output", to.to_str().unwrap()]);
    fs::read(to).unwrap()
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
