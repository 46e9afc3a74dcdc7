//! Property-based fuzzing of the whole build on stable Rust: real content (the fixture site,
//! every table kind) mutated in its bytes, its TOML structure and its values (NaN, huge,
//! negative, empty, text in number columns, ids with quotes, hostile Markdown). Whatever the
//! input, the build never panics, every rejection names a file, and a failed build leaves the
//! previous output byte-identical.
//!
//! `cargo test` runs a short round (64 cases); a long one:
//! `KARNAMEH_FUZZ_CASES=5000 cargo test --release --test fuzz -- --nocapture`.

mod common;
use common::*;
use karnameh::cmd::build::BuildOptions;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::collections::BTreeMap;
use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The files mutations apply to, relative to the site folder.
const FILES: [&str; 6] = [
    "site.toml",
    "content/1400/year.toml",
    "content/1400/03-foreword.toml",
    "content/1400/07-provinces.toml",
    "content/1400/09-tests.toml",
    "content/1400/65-office.toml",
];

/// Values put in place of a number.
const VALUES: [&str; 16] = [
    "nan",
    "inf",
    "-inf",
    "1e400",
    "99999999999999999999",
    "-99999999999999999999",
    "-5",
    "-0.0",
    "0",
    "\"\"",
    "\"متن\"",
    "\"=1+1\"",
    "\"۱۲۳\"",
    "[]",
    "true",
    "{}",
];

/// Texts put in place of an id, a key, a row number or any other string.
const TEXTS: [&str; 10] = [
    "T1\\\" onload=\\\"alert(1)",
    "",
    "a b",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "T1",
    "total",
    "#1",
    "javascript:alert(1)",
    "\\u0000",
];

/// Markdown put into a section body.
const MARKDOWN: [&str; 6] = [
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "![x](https://cdn.example/a.png)",
    "<img src=x onerror=alert(1)>",
    "[x](//other.example/)",
    "**ok** [فهرست](/1400/)",
];

#[derive(Debug, Clone)]
enum Mutation {
    /// Replace `remove` bytes at a relative position by `bytes`.
    Bytes {
        file: usize,
        at: f64,
        remove: usize,
        bytes: Vec<u8>,
    },
    /// Replace the `nth` number literal by a hostile value.
    Number {
        file: usize,
        nth: usize,
        value: usize,
    },
    /// Replace the `nth` string literal by a hostile text.
    Text {
        file: usize,
        nth: usize,
        value: usize,
    },
    /// Delete, duplicate or move the `nth` line.
    Line { file: usize, nth: usize, op: u8 },
    /// Put hostile Markdown into a section body.
    Markdown { value: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let file = 0..FILES.len();
    prop_oneof![
        (
            file.clone(),
            0.0..1.0f64,
            0..8usize,
            proptest::collection::vec(any::<u8>(), 0..6)
        )
            .prop_map(|(file, at, remove, bytes)| Mutation::Bytes {
                file,
                at,
                remove,
                bytes
            }),
        (file.clone(), 0..400usize, 0..VALUES.len())
            .prop_map(|(file, nth, value)| Mutation::Number { file, nth, value }),
        (file.clone(), 0..300usize, 0..TEXTS.len()).prop_map(|(file, nth, value)| Mutation::Text {
            file,
            nth,
            value
        }),
        (file, 0..200usize, 0..3u8).prop_map(|(file, nth, op)| Mutation::Line { file, nth, op }),
        (0..MARKDOWN.len()).prop_map(|value| Mutation::Markdown { value }),
    ]
}

/// Byte ranges of number literals (digit runs not inside a string) in TOML text.
fn numbers(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let (mut found, mut in_string, mut i) = (Vec::new(), false, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'"' => in_string = !in_string,
            b'0'..=b'9' if !in_string && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()) => {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
                    i += 1;
                }
                found.push((start, i));
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// Byte ranges of the insides of one-line basic strings.
fn strings(text: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut open = None;
    for (i, c) in text.char_indices() {
        match (c, open) {
            ('"', None) => open = Some(i + 1),
            ('"', Some(start)) => {
                found.push((start, i));
                open = None;
            }
            ('\n', _) => open = None,
            _ => {}
        }
    }
    found
}

fn splice(text: &[u8], (start, end): (usize, usize), with: &[u8]) -> Vec<u8> {
    [&text[..start], with, &text[end..]].concat()
}

fn apply(site: &Path, mutation: &Mutation) {
    let path_of = |file: &usize| site.join(FILES[*file]);
    match mutation {
        Mutation::Bytes {
            file,
            at,
            remove,
            bytes,
        } => {
            let text = fs::read(path_of(file)).unwrap();
            let start = ((text.len() as f64) * at) as usize;
            let end = (start + remove).min(text.len());
            fs::write(path_of(file), splice(&text, (start, end), bytes)).unwrap();
        }
        Mutation::Number { file, nth, value } => {
            let text = fs::read_to_string(path_of(file)).unwrap();
            let found = numbers(&text);
            if let Some(range) = found.get(nth % found.len().max(1)) {
                fs::write(
                    path_of(file),
                    splice(text.as_bytes(), *range, VALUES[*value].as_bytes()),
                )
                .unwrap();
            }
        }
        Mutation::Text { file, nth, value } => {
            let text = fs::read_to_string(path_of(file)).unwrap();
            let found = strings(&text);
            if let Some(range) = found.get(nth % found.len().max(1)) {
                fs::write(
                    path_of(file),
                    splice(text.as_bytes(), *range, TEXTS[*value].as_bytes()),
                )
                .unwrap();
            }
        }
        Mutation::Line { file, nth, op } => {
            let text = fs::read_to_string(path_of(file)).unwrap();
            let mut lines: Vec<&str> = text.lines().collect();
            if lines.is_empty() {
                return;
            }
            let i = nth % lines.len();
            match op {
                0 => {
                    lines.remove(i);
                }
                1 => lines.insert(i, lines[i]),
                _ => {
                    let line = lines.remove(i);
                    lines.insert((i * 7 + 3) % (lines.len() + 1), line);
                }
            }
            fs::write(path_of(file), lines.join("\n") + "\n").unwrap();
        }
        Mutation::Markdown { value } => {
            let file = site.join("content/1400/09-tests.toml");
            let text = fs::read_to_string(&file).unwrap();
            let body = format!("page = 9\nbody = '''\n{}\n'''\n", MARKDOWN[*value]);
            fs::write(&file, text.replacen("page = 9\n", &body, 1)).unwrap();
        }
    }
}

/// What a successful build must never publish.
fn assert_publishable(out: &Path) {
    for (path, bytes) in snapshot(out) {
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = String::from_utf8(bytes).expect("pages are UTF-8");
        let document = scraper::Html::parse_document(&html);
        for element in select(&document, "*") {
            for (name, value) in element.value().attrs() {
                let value = value.trim().to_ascii_lowercase();
                assert!(
                    !name.starts_with("on"),
                    "{}: an `{name}` attribute",
                    path.display()
                );
                let url = matches!(name, "href" | "src");
                assert!(
                    !url || !(value.starts_with("javascript:") || value.contains("cdn.example")),
                    "{}: {name}=\"{value}\" published",
                    path.display()
                );
            }
        }
        for script in select(&document, "script") {
            assert!(
                !text(&script).contains("alert("),
                "{}: a script was published",
                path.display()
            );
        }
        assert_eq!(
            chart_svgs(&html).len(),
            html.matches("<svg class=\"chart-svg\"").count(),
            "every chart is closed"
        );
        for xml in chart_svgs(&html) {
            if let Err(e) = roxmltree::Document::parse(xml) {
                panic!("{}: a chart is not XML: {e}", path.display());
            }
        }
    }
}

struct Tally {
    built: AtomicUsize,
    refused: AtomicUsize,
    reasons: std::sync::Mutex<BTreeMap<String, usize>>,
}

fn run_case(golden: &Path, mutation: &Mutation, tally: &Tally) -> Result<(), TestCaseError> {
    let site = fixture("site");
    let out = site.path().join("public");
    copy_dir(golden, &out);
    let before = snapshot(&out);
    apply(site.path(), mutation);
    let options = BuildOptions {
        root: site.path().to_path_buf(),
        output: Some(out.clone()),
        ..BuildOptions::default()
    };
    let result = catch_unwind(AssertUnwindSafe(|| karnameh::cmd::build::build(&options)));
    let Ok(result) = result else {
        return Err(TestCaseError::fail(format!(
            "the build panicked on {mutation:?}"
        )));
    };
    match result {
        Ok(_) => {
            tally.built.fetch_add(1, Ordering::Relaxed);
            assert_publishable(&out);
        }
        Err(error) => {
            tally.refused.fetch_add(1, Ordering::Relaxed);
            let message = format!("{error:#}");
            prop_assert!(
                message.contains(".toml"),
                "a rejection that names no file, for {mutation:?}: {message}"
            );
            prop_assert!(
                snapshot(&out) == before,
                "the output changed after: {message}"
            );
            // what was wrong, without the file and position before it
            let after_file = message
                .find(".toml")
                .map_or(message.as_str(), |i| &message[i..]);
            let reason = after_file
                .split_once(": ")
                .map_or(after_file, |(_, r)| r)
                .chars()
                .take(70)
                .collect::<String>();
            *tally.reasons.lock().unwrap().entry(reason).or_default() += 1;
        }
    }
    Ok(())
}

#[test]
fn mutated_content_never_panics_names_its_file_and_keeps_the_previous_output() {
    let cases = std::env::var("KARNAMEH_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(64);
    let good = fixture("site");
    let golden: PathBuf = build(good.path());
    let tally = Tally {
        built: AtomicUsize::new(0),
        refused: AtomicUsize::new(0),
        reasons: Default::default(),
    };
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let outcome = runner.run(&mutation(), |m| run_case(&golden, &m, &tally));
    eprintln!(
        "fuzz: {cases} cases, {} built, {} refused",
        tally.built.load(Ordering::Relaxed),
        tally.refused.load(Ordering::Relaxed)
    );
    let mut reasons: Vec<_> = tally.reasons.into_inner().unwrap().into_iter().collect();
    reasons.sort_by_key(|r| std::cmp::Reverse(r.1));
    for (reason, count) in reasons.iter().take(15) {
        eprintln!("  {count:>5}  {reason}");
    }
    if let Err(e) = outcome {
        panic!("{e}");
    }
}

#[test]
fn the_mutation_helpers_find_numbers_and_strings() {
    let text = "a = 12\nb = \"x1\"\nc = [3, 4.5]\n";
    let numbers: Vec<&str> = numbers(text).iter().map(|(s, e)| &text[*s..*e]).collect();
    assert_eq!(numbers, ["12", "3", "4.5"]);
    let strings: Vec<&str> = strings(text).iter().map(|(s, e)| &text[*s..*e]).collect();
    assert_eq!(strings, ["x1"]);
}
