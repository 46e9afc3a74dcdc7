//! Search: the index holds every table row of the fixture site (read back from the built pages
//! with an HTML parser), the client in node folds exactly as the indexer does (the shared
//! vectors, and every Arabic and Persian code point), the spelling-variant queries of
//! `tests/search/variants.json` and every row of the real site are found from the header's box,
//! and a second year is searchable without changing a byte of the first. `.ci/run` has node.

mod common;
use common::*;
use karnameh::search::fold::fold;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// `tests/search/client.test.js <out> <args>`: what it prints, parsed.
fn node(out: &Path, args: &[&str]) -> Value {
    let script = repo_root().join("tests/search/client.test.js");
    let output = Command::new("node")
        .arg(&script)
        .arg(out)
        .args(args)
        .output()
        .expect("node runs (`.ci/run` has it)");
    assert!(
        output.status.success(),
        "node {args:?}: {}",
        stderr(&output)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// A year's index as the client receives it.
fn index(out: &Path, year: u32) -> Value {
    let script = std::fs::read_to_string(out.join(format!("{year}/search/index.js"))).unwrap();
    let prefix = format!("(window.karnamehIndex=window.karnamehIndex||{{}})[{year}]=");
    let json = script
        .strip_prefix(&prefix)
        .and_then(|s| s.trim_end().strip_suffix(';'))
        .expect("the index assigns one global");
    serde_json::from_str(json).unwrap()
}

fn texts_of(index: &Value, ids: &Value) -> Vec<String> {
    let texts = index["texts"].as_array().unwrap();
    ids.as_array()
        .unwrap()
        .iter()
        .map(|i| {
            texts[i.as_u64().unwrap() as usize]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

/// The page a link of `year`'s index names, from the output folder: `1400/summary/index.html`.
fn page_of_link(out: &Path, year: u32, link: &str) -> String {
    let index = out.join(format!("{year}/search/index.js"));
    let page = resolve(out, &index, link, "/").expect("the index links inside the site");
    assert!(page.is_file(), "{link}: no page {}", page.display());
    page.strip_prefix(out)
        .unwrap()
        .to_string_lossy()
        .to_string()
}

/// Every row of every table on the section pages under `out`: (page file, row anchor) →
/// (row label cells, value cells), as the HTML shows them.
fn rows_in_pages(out: &Path) -> BTreeMap<(String, String), (Vec<String>, Vec<String>)> {
    let mut rows = BTreeMap::new();
    for entry in std::fs::read_dir(out.join("1400")).unwrap() {
        let dir = entry.unwrap().path();
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        // the print edition repeats the section pages; the index points at the sections' own
        if !dir.join("index.html").is_file()
            || ["review", "search", "print"].contains(&name.as_str())
        {
            continue;
        }
        let html = parse_file(&dir.join("index.html"));
        for row in select(
            &html,
            "figure.report-table tbody tr, figure.report-table tfoot tr",
        ) {
            // a list cell's items, joined as the index shows them
            let li = scraper::Selector::parse("li").unwrap();
            let cells = |css: &str| -> Vec<String> {
                row.select(&scraper::Selector::parse(css).unwrap())
                    .map(
                        |c| match c.select(&li).map(|i| text(&i)).collect::<Vec<_>>() {
                            items if items.is_empty() => without_marks(&c),
                            items => items.join("، "),
                        },
                    )
                    .collect()
            };
            let id = row.value().attr("id").expect("every row has an anchor");
            let labels = [cells("th.label"), cells("th.row-heading")].concat();
            rows.insert(
                (format!("1400/{name}/index.html"), id.to_string()),
                // the totals row's empty number cell is a `td` (a row number is a `th`)
                (labels, cells("td:not(.no)")),
            );
        }
    }
    rows
}

/// A cell's text without its footnote marks (`<sup class="mark">`).
fn without_marks(cell: &scraper::ElementRef) -> String {
    let own: String = cell
        .children()
        .filter_map(|n| n.value().as_text().map(|t| t.to_string()))
        .collect();
    own.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_index_holds_every_table_row_of_the_fixture_site_with_its_values_as_printed() {
    let site = fixture("site");
    let out = build(site.path());
    let index = index(&out, 1400);
    let pages = index["pages"].as_array().unwrap();
    let tables = index["tables"].as_array().unwrap();
    let mut indexed = BTreeMap::new();
    for row in index["rows"].as_array().unwrap() {
        let table = &tables[row[0].as_u64().unwrap() as usize];
        let link = pages[table[0].as_u64().unwrap() as usize][0]
            .as_str()
            .unwrap();
        let key = (
            page_of_link(&out, 1400, link),
            row[1].as_str().unwrap().to_string(),
        );
        indexed.insert(key, (texts_of(&index, &row[2]), texts_of(&index, &row[3])));
    }
    let printed = rows_in_pages(&out);
    assert!(printed.len() >= 20, "{printed:#?}");
    assert_eq!(
        indexed.keys().collect::<Vec<_>>(),
        printed.keys().collect::<Vec<_>>()
    );
    for (key, (labels, values)) in &printed {
        let (indexed_labels, indexed_values) = &indexed[key];
        assert_eq!(indexed_values, values, "{key:?}");
        // merged label cells print once; the index repeats them on every row
        for label in labels.iter().filter(|l| !l.is_empty()) {
            assert!(
                indexed_labels.contains(label),
                "{key:?}: {label} in {indexed_labels:?}"
            );
        }
    }
    let row = &indexed[&("1400/provinces/index.html".to_string(), "T1-2".to_string())];
    assert_eq!(
        row,
        &(
            vec!["تهران".to_string()],
            vec!["۱٬۰۰۰".into(), "۴٬۲۴۵".into(), "۴۲۵٪".into()]
        )
    );
    let captions: Vec<String> = tables
        .iter()
        .map(|t| texts_of(&index, &Value::from(vec![t[2].clone()]))[0].clone())
        .collect();
    assert!(
        captions.contains(&"برنامه و عملکرد".to_string()),
        "{captions:?}"
    );
    let columns = texts_of(&index, &tables[2][4]);
    assert_eq!(columns, ["غذایی", "شیمیایی", "جمع"]);
    // T4: two columns named مطابق, told apart by their groups
    let columns = texts_of(&index, &tables[3][4]);
    assert_eq!(columns[0], "نتایج آزمون / مطابق");
    assert_eq!(columns[3], "درصد سهم / مطابق");
    assert!(texts_of(&index, &tables[2][3]).contains(&"رشته صنعت".to_string()));
}

#[test]
fn the_index_terms_are_folded_sorted_and_each_texts_terms_are_its_words() {
    let site = fixture("site");
    let out = build(site.path());
    let index = index(&out, 1400);
    let terms: Vec<&str> = index["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    let utf16 = |s: &str| s.encode_utf16().collect::<Vec<u16>>();
    assert!(terms.windows(2).all(|w| utf16(w[0]) < utf16(w[1])));
    assert!(terms.iter().all(|t| fold(t) == *t));
    assert!(terms.contains(&"4245") && terms.contains(&"استانها") && terms.contains(&"استان"));
    let texts = index["texts"].as_array().unwrap();
    let of = |text: &str| -> Vec<&str> {
        let at = texts.iter().position(|t| t == text).unwrap();
        index["textTerms"][at]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| terms[t.as_u64().unwrap() as usize])
            .collect()
    };
    assert_eq!(of("۴٬۲۴۵"), ["4245"]);
    assert_eq!(of("آذربایجان شرقی"), ["اذربایجان", "شرقی"]);
}

#[test]
fn the_client_in_node_passes_the_shared_vectors_and_folds_every_code_point_as_rust_does() {
    let site = fixture("site");
    let out = build(site.path());
    let vectors = repo_root().join("tests/search/vectors.json");
    let report = node(&out, &["vectors", vectors.to_str().unwrap()]);
    assert!(report["cases"].as_u64().unwrap() > 100, "{report}");
    assert_eq!(report["failures"], Value::Array(vec![]), "{report:#}");
    // Arabic, Arabic Supplement and Extended-A, Latin, punctuation and format characters,
    // presentation forms, full-width forms
    let ranges = [
        (0x20, 0x24f),
        (0x600, 0x77f),
        (0x8a0, 0x8ff),
        (0x2000, 0x206f),
        (0xfb50, 0xfdff),
        (0xfe70, 0xfeff),
        (0xff00, 0xffef),
    ];
    let mut differ = Vec::new();
    for (from, to) in ranges {
        let folded = node(&out, &["fold", &from.to_string(), &to.to_string()]);
        for pair in folded.as_array().unwrap() {
            let cp = pair[0].as_u64().unwrap() as u32;
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            if fold(&c.to_string()) != pair[1].as_str().unwrap() {
                differ.push(format!(
                    "U+{cp:04X}: {:?} / {:?}",
                    fold(&c.to_string()),
                    pair[1]
                ));
            }
        }
    }
    assert!(differ.is_empty(), "{} differ: {differ:#?}", differ.len());
}

#[test]
fn every_spelling_variant_finds_its_row_in_the_header_box_of_the_real_site() {
    let (_dir, out) = build_real_site();
    let variants = repo_root().join("tests/search/variants.json");
    let results = node(&out, &["queries", variants.to_str().unwrap()]);
    let results = results.as_array().unwrap();
    assert!(results.len() >= 40, "{} variants", results.len());
    let missed: Vec<&Value> = results.iter().filter(|r| r["rank"] == -1).collect();
    for r in results {
        println!(
            "{:>2}  {}  →  {}#{}",
            r["rank"], r["query"], r["page"], r["anchor"]
        );
    }
    assert!(missed.is_empty(), "{missed:#?}");
}

#[test]
fn every_row_of_the_real_site_is_found_by_its_label_and_caption_in_either_script() {
    let (_dir, out) = build_real_site();
    for script in ["persian", "arabic"] {
        let report = node(&out, &["rows", script]);
        assert!(report["count"].as_u64().unwrap() > 2000, "{report}");
        assert_eq!(
            report["misses"],
            Value::Array(vec![]),
            "{script}: {report:#}"
        );
    }
}

#[test]
fn the_search_page_points_to_the_contents_without_javascript_and_boxes_name_their_year() {
    let site = fixture("site");
    let out = build(site.path());
    let html = page(&out, "1400/search/index.html");
    let fallback = select(&html, ".search-fallback a");
    assert_eq!(fallback[0].value().attr("href"), Some("../index.html"));
    let form = select(&html, "form[role=search][data-search=page]");
    assert_eq!(form[0].value().attr("data-year"), Some("1400"));
    assert!(
        select(&html, "form[data-search=box]").is_empty(),
        "one search form"
    );
    assert_eq!(texts(&html, "#search-status"), [""]);
    let section = page(&out, "1400/provinces/index.html");
    let boxes = select(&section, "header form[role=search][data-search=box]");
    assert_eq!(
        boxes[0].value().attr("action"),
        Some("../search/index.html")
    );
    assert_eq!(boxes[0].value().attr("data-year"), Some("1400"));
    let label = select(&section, "label[for=site-search-q]");
    assert!(text(&label[0]).contains("گزارش آزمایشی"));
    let scripts = select(&section, "script[src]");
    let client = scripts
        .iter()
        .filter_map(|s| s.value().attr("src"))
        .find(|src| src.ends_with("search.js"));
    assert_eq!(client, Some("../../search.js"));
    // the root page searches every year
    let root = page(&out, "index.html");
    let boxes = select(&root, "form[data-search=box]");
    assert_eq!(boxes[0].value().attr("data-year"), None);
    assert_eq!(select(&root, "form input[name=scope][value=all]").len(), 1);
}

/// The fixture site with a synthetic second year, 1401, made from 1400 in the test.
fn two_years() -> tempfile::TempDir {
    let site = fixture("site");
    let content = site.path().join("content");
    copy_dir(&content.join("1400"), &content.join("1401"));
    edit(
        site.path(),
        "content/1401/year.toml",
        "year = 1400",
        "year = 1401",
    );
    edit(
        site.path(),
        "content/1401/07-provinces.toml",
        "\"قم\"",
        "\"قزوین\"",
    );
    site
}

#[test]
fn a_second_year_is_searchable_and_adding_it_changes_no_search_byte_of_the_first() {
    let one = fixture("site");
    let before = build(one.path());
    let two = two_years();
    let after = build(two.path());
    for file in ["1400/search/index.js", "1400/search/index.html"] {
        assert_eq!(
            std::fs::read(before.join(file)).unwrap(),
            std::fs::read(after.join(file)).unwrap(),
            "{file}"
        );
    }
    assert_eq!(index(&after, 1401)["year"], 1401);
    let client = std::fs::read_to_string(after.join("search.js")).unwrap();
    assert!(
        client.contains(r#""index":"1401/search/index.js","page":"1401/search/index.html""#),
        "{client}"
    );
    let queries = two.path().join("queries.json");
    let qazvin = r#"{"queries": [
        {"query": "قزوين", "page": "1401/provinces/", "anchor": "T1-3"},
        {"query": "قم", "page": "1400/provinces/", "anchor": "T1-3"}
    ]}"#;
    std::fs::write(&queries, qazvin).unwrap();
    let results = node(&after, &["queries", queries.to_str().unwrap()]);
    for r in results.as_array().unwrap() {
        assert!(r["rank"].as_i64().unwrap() >= 0, "{r:#}");
    }
}

#[test]
fn a_frozen_years_index_comes_from_its_archive_and_the_client_searches_every_year() {
    let site = fixture("years");
    run("archive", site.path(), &["1399"]);
    edit(
        site.path(),
        "content/1399/year.toml",
        "year = 1399\n",
        "year = 1399\nfrozen = true\n",
    );
    let out = build(site.path());
    let archive = std::fs::read(site.path().join("archives/1399.tar.gz")).unwrap();
    let archived = karnameh::archive::tarball::read(&archive).unwrap();
    assert_eq!(
        archived.get("site/1399/search/index.js"),
        Some(&std::fs::read(out.join("1399/search/index.js")).unwrap()),
        "the frozen year's index is its archive's"
    );
    let client = std::fs::read_to_string(out.join("search.js")).unwrap();
    for year in [1398, 1399, 1400] {
        assert!(
            client.contains(&format!(r#""index":"{year}/search/index.js""#)),
            "{client}"
        );
    }
    // the frozen year's pages load the client the build rewrites at the root
    let page = page(&out, "1399/provinces/index.html");
    let scripts: Vec<&str> = select(&page, "script[src]")
        .iter()
        .filter_map(|s| s.value().attr("src"))
        .collect();
    assert!(scripts.contains(&"../../search.js"), "{scripts:?}");
    let queries = site.path().join("queries.json");
    let across = r#"{"queries": [
        {"query": "فارس ۱۳۹۹", "page": "1399/provinces/", "anchor": "T1-3"},
        {"query": "خراسان رضوي ۱۴۰۰", "page": "1400/provinces/", "anchor": "T1-3"},
        {"query": "تهران ۱۳۹۸", "page": "1398/provinces/", "anchor": "T1-1"}
    ]}"#;
    std::fs::write(&queries, across).unwrap();
    let results = node(&out, &["queries", queries.to_str().unwrap()]);
    for r in results.as_array().unwrap() {
        assert!(r["rank"].as_i64().unwrap() >= 0, "{r:#}");
    }
}

/// The terser the README and `.ci/run` install (`npm install --prefix .tools terser@5.51.2`),
/// or the one `KARNAMEH_TERSER` names.
fn terser() -> std::path::PathBuf {
    let terser = std::env::var_os("KARNAMEH_TERSER")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| repo_root().join(".tools/node_modules/terser/bin/terser"));
    assert!(
        terser.is_file(),
        "no terser at {}: run `npm install --prefix .tools terser@5.51.2` (as .ci/run does)",
        terser.display()
    );
    terser
}

#[test]
fn the_shipped_client_is_its_source_minified_by_terser_and_under_10_kb() {
    let source = repo_root().join("assets/search/search.js");
    let output = Command::new("node")
        .arg(terser())
        .arg(&source)
        .args(["--compress", "--mangle", "--ecma", "2020"])
        .output()
        .expect("node runs terser");
    assert!(output.status.success(), "terser: {}", stderr(&output));
    let shipped = std::fs::read(repo_root().join("assets/search/search.min.js")).unwrap();
    assert!(
        output.stdout == shipped,
        "assets/search/search.min.js is not assets/search/search.js minified: run `node .tools/node_modules/terser/bin/terser assets/search/search.js --compress --mangle --ecma 2020 > assets/search/search.min.js`"
    );
    // the client as a site gets it, with its settings written in
    let site = fixture("site");
    let out = build(site.path());
    let client = std::fs::read(out.join("search.js")).unwrap();
    assert!(client.len() <= 10 * 1024, "{} bytes", client.len());
}
