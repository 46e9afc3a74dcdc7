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

/// The file `url` (an `href`/`src` of the page `file`) names in the output `out`: relative to
/// the page's folder, or absolute under `base_path`. `None` for a URL that leaves the site.
pub fn resolve(out: &Path, file: &Path, url: &str, base_path: &str) -> Option<PathBuf> {
    if url.contains("://") || url.starts_with("//") {
        return None;
    }
    let path = url.split(['#', '?']).next().unwrap_or("");
    let target = if path.is_empty() {
        file.to_path_buf()
    } else if let Some(absolute) = path.strip_prefix('/') {
        out.join(absolute.strip_prefix(base_path.trim_start_matches('/'))?)
    } else {
        file.parent()?.join(path)
    };
    let mut normal = PathBuf::new();
    for part in target.components() {
        match part {
            std::path::Component::ParentDir => {
                normal.pop();
            }
            std::path::Component::CurDir => {}
            other => normal.push(other),
        }
    }
    Some(if normal.is_dir() {
        normal.join("index.html")
    } else {
        normal
    })
}

/// Every `href`/`src` of every page under `out` names a file of the output, and its
/// fragment an element of that page once; pages other than 404.html link relatively.
pub fn assert_links_resolve(out: &Path, base_path: &str) {
    let out = out.canonicalize().unwrap();
    let mut ids: std::collections::BTreeMap<PathBuf, std::collections::BTreeSet<String>> =
        Default::default();
    for (file, url) in all_urls(&out) {
        let not_found = file.file_name().is_some_and(|n| n == "404.html");
        let relative = !url.starts_with('/');
        assert!(
            relative != not_found || url.starts_with('#'),
            "{}: `{url}` should be {}",
            file.display(),
            if not_found { "absolute" } else { "relative" }
        );
        let target = resolve(&out, &file, &url, base_path)
            .unwrap_or_else(|| panic!("{}: `{url}` leaves the site", file.display()));
        assert!(
            target.starts_with(&out) && target.is_file(),
            "{}: `{url}` does not resolve ({})",
            file.display(),
            target.display()
        );
        let Some((_, fragment)) = url.split_once('#') else {
            continue;
        };
        let known = ids.entry(target.clone()).or_insert_with(|| {
            select(&parse_file(&target), "[id]")
                .iter()
                .filter_map(|e| e.value().attr("id").map(String::from))
                .collect()
        });
        assert!(
            known.contains(fragment),
            "{}: `{url}`: no element #{fragment}",
            file.display()
        );
    }
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

/// `karnameh <command> --root <root> <args>`, which must succeed; its standard output.
pub fn run(command: &str, root: &Path, args: &[&str]) -> String {
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
pub fn below(
    snapshot: &std::collections::BTreeMap<PathBuf, Vec<u8>>,
    dir: &str,
) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    snapshot
        .iter()
        .filter(|(p, _)| p.starts_with(dir))
        .map(|(p, b)| (p.clone(), b.clone()))
        .collect()
}
