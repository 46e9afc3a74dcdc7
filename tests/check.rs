//! `karnameh check`: its findings, its exit codes and its JSON output.

mod common;
use common::*;
use std::fs;

fn check_json(root: &std::path::Path) -> (Option<i32>, serde_json::Value) {
    let output = karnameh(&[
        "check",
        "--root",
        root.to_str().unwrap(),
        "--format",
        "json",
    ]);
    (
        output.status.code(),
        serde_json::from_str(&stdout(&output)).unwrap(),
    )
}

fn rules(findings: &serde_json::Value) -> Vec<(String, String, String, bool)> {
    findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["table"].as_str().unwrap_or("").to_string(),
                f["row"].as_str().unwrap_or("").to_string(),
                f["rule"].as_str().unwrap().to_string(),
                f["acknowledged"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[test]
fn clean_fixture_passes_with_its_acknowledged_discrepancy() {
    let site = fixture("site");
    let (code, findings) = check_json(site.path());
    assert_eq!(code, Some(0));
    assert_eq!(
        rules(&findings),
        [
            ("T3".into(), "2".into(), "row-total".into(), true),
            ("T3".into(), "total".into(), "row-total".into(), true)
        ]
    );
}

#[test]
fn wrong_achievement_and_total_are_errors_with_expected_and_found() {
    let site = fixture("site");
    let file = site.path().join("content/1400/07-provinces.toml");
    let text = fs::read_to_string(&file)
        .unwrap()
        .replace("[25, 30, 120]", "[25, 30, 130]")
        .replace("[1025, 4275, 417]", "[1025, 4276, 417]");
    fs::write(&file, text).unwrap();
    let (code, findings) = check_json(site.path());
    assert_eq!(code, Some(1));
    let found = rules(&findings);
    assert!(
        found.contains(&("T1".into(), "1".into(), "achievement".into(), false)),
        "{found:?}"
    );
    assert!(
        found.contains(&("T1".into(), "total".into(), "total".into(), false)),
        "{found:?}"
    );
    let achievement = findings
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "achievement")
        .unwrap();
    assert_eq!(achievement["expected"], "120.0");
    assert_eq!(achievement["found"], "130");
    assert_eq!(achievement["line"], 17);
}

#[test]
fn text_report_groups_by_page_and_table() {
    let site = fixture("site");
    let output = karnameh(&["check", "--root", site.path().to_str().unwrap()]);
    assert!(output.status.success());
    let out = stdout(&output);
    assert!(out.contains("page 8 T3"), "{out}");
    assert!(
        out.contains("acknowledged") && out.contains("row 2"),
        "{out}"
    );
    assert!(out.contains("0 error(s), 2 acknowledged"), "{out}");
}

fn schema(name: &str) -> jsonschema::Validator {
    let path = repo_root().join("docs/schemas").join(name);
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn assert_valid(validator: &jsonschema::Validator, value: &serde_json::Value) {
    let errors: Vec<String> = validator
        .iter_errors(value)
        .take(5)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

fn json_of(args: &[&str]) -> serde_json::Value {
    let output = karnameh(args);
    serde_json::from_str(&stdout(&output)).unwrap_or_else(|e| panic!("{e}: {}", stderr(&output)))
}

#[test]
fn the_json_outputs_validate_against_their_schemas_in_docs() {
    let root = repo_root();
    let root = root.to_str().unwrap();
    // as printed, the real report has findings of most rules, with explanations
    let findings = json_of(&["check", "--root", root, "--as-printed", "--format", "json"]);
    assert!(
        findings
            .as_array()
            .unwrap()
            .iter()
            .any(|f| !f["explanation"].is_null())
    );
    assert_valid(&schema("check.schema.json"), &findings);
    let summary = json_of(&[
        "check",
        "--root",
        root,
        "--as-printed",
        "--summary",
        "--format",
        "json",
    ]);
    assert_valid(&schema("check-summary.schema.json"), &summary);
    let site = fixture("site");
    let links = json_of(&[
        "check",
        "--root",
        site.path().to_str().unwrap(),
        "--links",
        "--format",
        "json",
    ]);
    assert_valid(&schema("check-links.schema.json"), &links);
    let real_links = json_of(&["check", "--root", root, "--links", "--format", "json"]);
    assert_valid(&schema("check-links.schema.json"), &real_links);
}

#[test]
fn the_schema_names_every_rule_and_nothing_else() {
    let path = repo_root().join("docs/schemas/check.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    let named: Vec<&str> = schema["$defs"]["rule"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    let rules: Vec<&str> = karnameh::diagnostics::Rule::ALL
        .iter()
        .map(|r| r.name())
        .collect();
    assert_eq!(named, rules);
}

/// (file, line, rule, row, column) of each finding line of the text report.
fn text_order(text: &str) -> Vec<(String, String, String, String)> {
    text.lines()
        .filter(|l| l.starts_with("  ") && l.contains(" line "))
        .map(|l| {
            // the finding's place, before its message
            let head = l.split_once(": ").map_or(l, |(head, _)| head);
            let words: Vec<&str> = head.split_whitespace().collect();
            let after = |word: &str| {
                words
                    .iter()
                    .position(|w| *w == word)
                    .map(|i| words[i + 1].trim_end_matches(':').to_string())
                    .unwrap_or_default()
            };
            let line = after("line");
            let rule = words[words.iter().position(|w| *w == "line").unwrap() + 2]
                .trim_end_matches(':')
                .to_string();
            (line, rule, after("row"), after("column"))
        })
        .collect()
}

#[test]
fn text_and_json_list_the_findings_in_one_order_by_page_table_and_row() {
    let root = repo_root();
    let root = root.to_str().unwrap();
    let text = stdout(&karnameh(&["check", "--root", root, "--as-printed"]));
    let json = json_of(&["check", "--root", root, "--as-printed", "--format", "json"]);
    let from_json: Vec<(String, String, String, String)> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let text = |k: &str| f[k].as_str().unwrap_or("").to_string();
            (
                f["line"].to_string(),
                text("rule"),
                text("row"),
                text("column"),
            )
        })
        .collect();
    assert_eq!(text_order(&text), from_json);
    // pages never go back, and within a table the lines never do
    let keys: Vec<(u64, String, u64)> = json
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["year"] == 1400)
        .map(|f| {
            (
                f["page"].as_u64().unwrap(),
                f["table"].as_str().unwrap_or("").to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    for pair in keys.windows(2) {
        assert!(pair[0].0 <= pair[1].0, "{pair:?}");
        if pair[0].0 == pair[1].0 && pair[0].1 == pair[1].1 {
            assert!(pair[0].2 <= pair[1].2, "{pair:?}");
        }
    }
    assert!(
        !text.contains("-0 ") && !text.contains("-0.0"),
        "no minus zero"
    );
}

#[test]
fn summary_prints_one_line_per_rule_and_the_tally() {
    let root = repo_root();
    let output = karnameh(&[
        "check",
        "--root",
        root.to_str().unwrap(),
        "--as-printed",
        "--summary",
    ]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "as printed, the report has errors"
    );
    let out = stdout(&output);
    let lines: Vec<&str> = out.lines().collect();
    let rules: Vec<&str> = lines[..lines.len() - 1]
        .iter()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    let mut unique = rules.clone();
    unique.dedup();
    assert_eq!(rules, unique, "one line per rule: {out}");
    assert!(out.contains("achievement "), "{out}");
    assert!(lines.last().unwrap().contains("error(s)"), "{out}");
}

#[test]
fn as_printed_the_misread_plan_of_the_summary_is_explained_by_its_fix() {
    let root = repo_root();
    let json = json_of(&[
        "check",
        "--root",
        root.to_str().unwrap(),
        "--as-printed",
        "--format",
        "json",
    ]);
    let finding = json
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["table"] == "T002" && f["row"] == "1" && f["rule"] == "achievement")
        .expect("plan ۶۳۰ as printed breaks its achievement %");
    let best = &finding["explanation"]["suggestions"][0];
    assert_eq!(best["changes"][0]["printed"], 630.0);
    assert_eq!(best["changes"][0]["probably"], 430.0);
    assert_eq!(best["misreading"]["kind"], "digit");
    let text = best["text"].as_str().unwrap();
    assert!(text.contains("658 ÷ 430 = 153% as stated"), "{text}");
}

#[test]
fn links_reports_uncovered_rows_with_proposals_to_paste() {
    let site = fixture("site");
    let output = karnameh(&["check", "--root", site.path().to_str().unwrap(), "--links"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(out.contains("link coverage of 1400"), "{out}");
    assert!(out.contains("all: "), "{out}");
}
