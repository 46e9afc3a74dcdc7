//! Every generated page passes the Nu HTML Checker (the W3C validator, npm `vnu-jar`, run
//! with Java): valid HTML, and `headers`/`id` references that resolve within their tables.
//! `.ci/run` installs it into `.tools/` as the README's test command does.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn vnu_jar() -> PathBuf {
    let jar = std::env::var_os("KARNAMEH_VNU_JAR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join(".tools/node_modules/vnu-jar/build/dist/vnu.jar"));
    assert!(
        jar.is_file(),
        "no Nu HTML Checker at {}: run `npm install --prefix .tools vnu-jar@26.9.27` (as .ci/run does)",
        jar.display()
    );
    jar
}

fn html_files(out: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(out)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect()
}

fn validate(out: &Path) {
    validate_all(&[out]);
}

/// One run of the checker over the pages of every folder of `outs` (Java starts once).
fn validate_all(outs: &[&Path]) {
    let files: Vec<PathBuf> = outs.iter().flat_map(|out| html_files(out)).collect();
    assert!(!files.is_empty());
    let output = Command::new("java")
        .arg("-jar")
        .arg(vnu_jar())
        .args(["--format", "gnu"])
        .args(&files)
        .output()
        .expect("java runs (the machine's OpenJDK)");
    let messages = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && messages.trim().is_empty(),
        "{} files checked:\n{messages}",
        files.len()
    );
}

#[test]
fn the_real_site_is_valid_html() {
    let (_dir, out) = build_real_site();
    validate(&out);
}

#[test]
fn the_fixture_site_with_every_table_kind_is_valid_html() {
    let site = fixture("site");
    validate(&build(site.path()));
}

#[test]
fn the_reviewer_view_is_valid_html() {
    let real = tempfile::tempdir().unwrap();
    let real_out = real.path().join("public");
    let built = build_into(&repo_root(), &real_out, &["--review"]);
    assert!(built.status.success(), "{}", stderr(&built));
    // the fixture with an error and a warning: every kind of mark is on a page
    let (_site, fixture_out) = reviewed_fixture();
    validate_all(&[&real_out, &fixture_out]);
}

#[test]
fn the_multi_year_fixture_with_a_draft_year_is_valid_html() {
    let site = fixture("years");
    let root = site.path().to_str().unwrap();
    let new = karnameh(&["new", "1401", "--from", "1400", "--root", root]);
    assert!(new.status.success(), "{}", stderr(&new));
    let out = site.path().join("public");
    let output = build_into(site.path(), &out, &["--drafts"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(out.join("series/province-standards/index.html").is_file());
    validate(&out);
}
