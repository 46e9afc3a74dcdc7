//! Shared test helpers: fixture sites copied into temp dirs, built, and parsed as HTML.
#![allow(dead_code)]

use scraper::{ElementRef, Html, Selector};
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
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

/// Every HTML page under `out`, parsed, by its path relative to `out`.
pub fn html_pages(out: &Path) -> Vec<(String, Html)> {
    walkdir::WalkDir::new(out)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .map(|p| {
            (
                p.strip_prefix(out).unwrap().display().to_string(),
                parse_file(&p),
            )
        })
        .collect()
}

/// The page's scripts other than the site's own files, the years banner (`years.js`) and the
/// search client (`search.js`): a build has no other, inline or not.
pub fn scripts_but_the_sites_own(html: &Html) -> Vec<String> {
    select(html, "script")
        .iter()
        .filter(|s| {
            let src = s.value().attr("src").unwrap_or("");
            let own = src.ends_with("years.js") || src.ends_with("search.js");
            !own || !s.text().collect::<String>().is_empty()
        })
        .map(|s| s.html())
        .collect()
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

/// Serves `root` on a loopback port under the URL path `prefix` (`""`, or `/reports` for a site
/// published under a sub-path), adding `inject` to the end of every HTML page.
pub fn serve(root: PathBuf, prefix: &'static str, inject: &'static str) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    // a connection each: Chromium may open one it sends nothing on, which must not hold up
    // the others
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || answer(stream, &root, prefix, inject));
        }
    });
    port
}

fn answer(mut stream: TcpStream, root: &Path, prefix: &str, inject: &str) -> std::io::Result<()> {
    let mut request = String::new();
    BufReader::new(&stream).read_line(&mut request)?;
    let path = request
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .split(['?', '#'])
        .next()
        .unwrap_or("/");
    let path = path.strip_prefix(prefix).unwrap_or("/missing");
    let mut file = root.join(path.trim_start_matches('/'));
    if file.is_dir() {
        file = file.join("index.html");
    }
    let (status, mut body) = match fs::read(&file) {
        Ok(bytes) => ("200 OK", bytes),
        Err(_) => ("404 Not Found", Vec::new()),
    };
    let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
    let kind = match ext {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css",
        "js" => "text/javascript; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    };
    if ext == "html" {
        let html = String::from_utf8_lossy(&body).replace("</body>", &format!("{inject}</body>"));
        body = html.into_bytes();
    }
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)
}

/// Debian's `chromium` (or another Chromium on PATH).
pub fn chromium() -> String {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        if Command::new(name)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return name.to_string();
        }
    }
    panic!(
        "no Chromium found: install Debian's `chromium` package (apt-get install chromium), as .ci/run does"
    );
}

/// Opens `url` in headless Chromium at `width` and returns what a script in the page wrote on
/// `<body data-probe>` once the page settled.
pub fn probe_json(browser: &str, url: &str, width: u32) -> String {
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            // with the back-forward cache, a page that navigates to another over HTTP never
            // lets virtual time run out
            "--disable-features=BackForwardCache",
            "--virtual-time-budget=10000",
            &format!("--window-size={width},900"),
            &format!("--user-data-dir={}", profile.path().display()),
            "--dump-dom",
            url,
        ])
        .output()
        .unwrap();
    let dom = Html::parse_document(&String::from_utf8_lossy(&output.stdout));
    let body = select(&dom, "body");
    body.first()
        .and_then(|b| b.value().attr("data-probe"))
        .unwrap_or_else(|| {
            panic!(
                "{url} at {width}px: the probe did not run; stderr: {}",
                String::from_utf8_lossy(&output.stderr)
            )
        })
        .to_string()
}

/// Headless, and quiet: no request leaves the machine.
pub const CHROMIUM_FLAGS: [&str; 8] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// The fixture with one check error (T1's total no longer adds up) and one warning (a double
/// space in T2's caption), built in the reviewer view into its `public/`.
pub fn reviewed_fixture() -> (tempfile::TempDir, PathBuf) {
    let site = fixture("site");
    let section = "content/1400/07-provinces.toml";
    edit(
        site.path(),
        section,
        "values = [25, 30, 120]",
        "values = [25, 31, 124]",
    );
    edit(
        site.path(),
        section,
        "caption = \"سهم\"",
        "caption = \"سهم  استان‌ها\"",
    );
    let out = site.path().join("public");
    let built = build_into(site.path(), &out, &["--review", "--allow-errors"]);
    assert!(built.status.success(), "{}", stderr(&built));
    assert!(
        stdout(&built).contains("not for publishing"),
        "{}",
        stdout(&built)
    );
    (site, out)
}

/// Replaces `from` by `to` in a file of the site the way editors save: the new text is written
/// to a temporary file beside it, which is then renamed over the original.
pub fn save_by_rename(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no `{from}`");
    let temporary = path.with_extension("toml.tmp");
    fs::write(&temporary, text.replacen(from, to, 1)).unwrap();
    fs::rename(&temporary, &path).unwrap();
}

/// Calls `probe` until it gives a value, for at most `seconds`; panics with `what` after.
pub fn eventually<T>(seconds: u64, what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    loop {
        if let Some(value) = probe() {
            return value;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "not within {seconds} s: {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
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

/// The text a reader sees on `html`: its text nodes (and the SVG's title and description),
/// without scripts, styles and the review page's raw extracted text (`.source-text`).
pub fn reader_text(html: &scraper::Html) -> String {
    let mut out = String::new();
    for node in html.tree.root().descendants() {
        let Some(text) = node.value().as_text() else {
            continue;
        };
        let hidden = node.ancestors().any(|a| {
            a.value().as_element().is_some_and(|e| {
                matches!(e.name(), "script" | "style" | "head")
                    || e.classes().any(|c| c == "source-text")
            })
        });
        if !hidden {
            out.push_str(text);
            out.push(' ');
        }
    }
    out
}

/// `T044`-like internal table ids in `text` (`T` and digits, a word of its own).
pub fn table_ids(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let word = |i: usize| chars.get(i).is_some_and(char::is_ascii_alphanumeric);
    let mut ids = Vec::new();
    for i in 0..chars.len() {
        if chars[i] != 'T' || (i > 0 && word(i - 1)) {
            continue;
        }
        let end = (i + 1..=chars.len())
            .find(|&j| !chars.get(j).is_some_and(char::is_ascii_digit))
            .unwrap_or(chars.len());
        if end > i + 1 && !word(end) {
            ids.push(chars[i..end].iter().collect());
        }
    }
    ids
}

/// Words with Latin digits that are neither Latin tokens nor beside one (`ISO/IEC 17025`).
pub fn stray_latin_digits(text: &str) -> Vec<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let latin = |i: usize| {
        words
            .get(i)
            .is_some_and(|w| karnameh::numfmt::is_latin_token(w))
    };
    (0..words.len())
        .filter(|&i| words[i].bytes().any(|b| b.is_ascii_digit()))
        .filter(|&i| !(latin(i) || latin(i + 1) || (i > 0 && latin(i - 1))))
        .map(|i| words[i.saturating_sub(2)..(i + 3).min(words.len())].join(" "))
        .collect()
}

/// Every internal table id and every stray Latin digit in the reader text of the pages under
/// `out`, each with its page.
pub fn reader_text_failures(out: &Path) -> Vec<String> {
    let mut failures = Vec::new();
    for entry in walkdir::WalkDir::new(out).sort_by_file_name() {
        let path = entry.unwrap().into_path();
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let text = reader_text(&parse_file(&path));
        let name = path.strip_prefix(out).unwrap().display().to_string();
        failures.extend(
            table_ids(&text)
                .into_iter()
                .map(|id| format!("{name}: {id}")),
        );
        failures.extend(
            stray_latin_digits(&text)
                .into_iter()
                .map(|w| format!("{name}: Latin digits in «{w}»")),
        );
    }
    failures
}
