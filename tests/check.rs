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
