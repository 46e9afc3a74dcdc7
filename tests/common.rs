//! Shared test helpers: fixture sites copied into temp dirs, built, and parsed as HTML.
#![allow(dead_code)]

use scraper::{ElementRef, Html, Selector};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The fixture site of `tests/fixtures/<name>` with the repository's themes, in a temp dir.
pub fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("tests/fixtures").join(name), dir.path());
    copy_dir(&repo_root().join("themes"), &dir.path().join("themes"));
    dir
}

pub fn karnameh(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_karnameh"))
        .args(args)
        .output()
        .unwrap()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn build(root: &Path) -> PathBuf {
    let out = root.join("public");
    let output = karnameh(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "build failed: {}", stderr(&output));
    out
}

/// The real site of the repository root, built into a temp dir (kept alive by the TempDir).
pub fn build_real_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let output = karnameh(&[
        "build",
        "--root",
        repo_root().to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    (dir, out)
}

pub fn page(out: &Path, path: &str) -> Html {
    parse_file(&out.join(path))
}

pub fn parse_file(file: &Path) -> Html {
    let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    Html::parse_document(&text)
}

pub fn select<'a>(html: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

pub fn text(element: &ElementRef) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn texts(html: &Html, css: &str) -> Vec<String> {
    select(html, css).iter().map(text).collect()
}

/// Every `href`/`src` in all HTML files under `out`.
pub fn all_urls(out: &Path) -> Vec<(PathBuf, String)> {
    let mut urls = Vec::new();
    for entry in walkdir::WalkDir::new(out).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "html") {
            let html = Html::parse_document(&fs::read_to_string(entry.path()).unwrap());
            for element in select(&html, "[href], [src]") {
                for attr in ["href", "src"] {
                    if let Some(url) = element.value().attr(attr) {
                        urls.push((entry.path().to_path_buf(), url.to_string()));
                    }
                }
            }
        }
    }
    urls
}

/// The inline chart SVGs of a page, as written (each holds nested `<svg>` regions, and ends
/// with its last layout: `</g></svg>`).
pub fn chart_svgs(html: &str) -> Vec<&str> {
    html.match_indices("<svg class=\"chart-svg\"")
        .map(|(start, _)| {
            let end = html[start..]
                .find("</g></svg>")
                .map_or(html.len(), |e| start + e + "</g></svg>".len());
            &html[start..end]
        })
        .collect()
}

/// Every file under `dir` with its bytes, by relative path: to prove a folder is unchanged.
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// `karnameh build --root <root> --output <output>` plus `extra` arguments.
pub fn build_into(root: &Path, output: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        output.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    karnameh(&args)
}

/// Replaces `from` by `to` in a file of the site, asserting that `from` was there.
pub fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no `{from}`");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}
