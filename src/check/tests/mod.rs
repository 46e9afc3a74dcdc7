//! Each rule of `check` with a passing and a failing case: here the structure, arithmetic and
//! links; `values`, `labels`, `explain` and `coverage` hold the rest.

mod coverage;
mod explain;
mod labels;
mod values;

use super::*;
use crate::load::{LoadedSection, LoadedYear};
use std::path::Path;

pub(super) fn section(slug: &str, text: &str) -> LoadedSection {
    LoadedSection::parse(Path::new(&format!("{slug}.toml")), text.to_string()).unwrap()
}

pub(super) fn year(sections: Vec<LoadedSection>) -> LoadedYear {
    let meta =
        "year = 1400\ntitle = \"t\"\norganization = \"o\"\npublisher = \"p\"\npublished = \"d\"\n";
    LoadedYear::parse(Path::new("1400"), meta.to_string(), sections).unwrap()
}

/// Every finding of one year holding one section with `tables` (TOML after the section keys).
pub(super) fn findings(tables: &str) -> Vec<Finding> {
    let text = format!("title = \"s\"\npage = 7\n{tables}");
    let year = year(vec![section("s", &text)]);
    check_year(&year, CheckOptions::default())
        .iter()
        .cloned()
        .collect()
}

/// The failing rules of one section holding `tables`.
pub(super) fn rules(tables: &str) -> Vec<&'static str> {
    findings(tables)
        .into_iter()
        .filter(|f| f.fails_check())
        .map(|f| f.rule.name())
        .collect()
}

pub(super) const PLAN_ACTUAL: &str = r#"
[[tables]]
id = "T1"
kind = "plan-actual"
caption = "c"
label_headers = ["استان"]
columns = [
  { key = "plan", label = "p", role = "plan" },
  { key = "actual", label = "a", role = "actual" },
  { key = "pct", label = "%", type = "percent", role = "pct" },
]
rows = [
  { no = "1", label = ["الف"], values = [10, 15, 150] },
  { no = "2", label = ["ب"], values = [3, 2, 66] },
]
total = { label = ["جمع"], values = [13, 17, 131] }
"#;

#[test]
fn achievement_within_one_point_passes_and_beyond_fails() {
    assert!(
        rules(PLAN_ACTUAL).is_empty(),
        "66 for 66.7% is within tolerance"
    );
    assert_eq!(
        rules(&PLAN_ACTUAL.replace("[10, 15, 150]", "[10, 15, 151]")),
        ["achievement"]
    );
    let wider = PLAN_ACTUAL.replace(
        "kind = \"plan-actual\"",
        "kind = \"plan-actual\"\npct_tolerance = 2.0",
    );
    assert!(rules(&wider.replace("[10, 15, 150]", "[10, 15, 151]")).is_empty());
}

#[test]
fn totals_row_must_be_the_sum_of_rows() {
    assert_eq!(
        rules(&PLAN_ACTUAL.replace("[13, 17, 131]", "[13, 18, 131]")),
        ["achievement", "total"]
    );
}

#[test]
fn acknowledged_discrepancy_does_not_fail() {
    let acknowledged = format!(
        "{}\n[[tables.discrepancies]]\nrow = \"1\"\ncolumn = \"pct\"\nrule = \"achievement\"\nnote = \"n\"\n",
        PLAN_ACTUAL.replace("[10, 15, 150]", "[10, 15, 151]")
    );
    assert!(rules(&acknowledged).is_empty());
}

pub(super) const ACTIVITIES: &str = r#"
[[tables]]
id = "T2"
kind = "activities"
caption = "c"
label_headers = ["f", "f"]
columns = [
  { key = "plan", label = "p", role = "plan" },
  { key = "actual", label = "a", role = "actual" },
  { key = "pct", label = "%", type = "percent", role = "pct" },
]
rows = [
  { no = "1", label = ["x", "استان"], values = [10, 10, 100] },
  { label = ["x", "ستاد"], values = [5, 10, 200] },
  { label = ["x", "جمع"], values = [15, 20, 133], subtotal = true },
  { no = "2", label = ["y", ""], values = ["حسب درخواست", 4, "-"] },
]
"#;

#[test]
fn subtotal_is_the_sum_of_its_sibling_rows() {
    assert!(rules(ACTIVITIES).is_empty());
    assert_eq!(
        rules(&ACTIVITIES.replace("[15, 20, 133]", "[15, 21, 140]")),
        ["subtotal"]
    );
}

pub(super) const CROSSTAB: &str = r#"
[[tables]]
id = "T3"
kind = "crosstab"
caption = "c"
label_headers = ["استان"]
columns = [
  { key = "a", label = "غذایی", role = "category" },
  { key = "b", label = "شیمیایی", role = "category" },
  { key = "sum", label = "جمع", role = "total" },
]
rows = [ { no = "1", label = ["الف"], values = [1, 2, 3] } ]
total = { label = ["جمع"], values = [1, 2, 3] }
"#;

#[test]
fn crosstab_row_total_is_the_sum_of_its_categories() {
    assert!(rules(CROSSTAB).is_empty());
    assert_eq!(
        rules(&CROSSTAB.replacen("[1, 2, 3]", "[1, 2, 4]", 1)),
        ["total", "row-total"]
    );
}

const PASS_FAIL: &str = r#"
[[tables]]
id = "T4"
kind = "pass-fail"
caption = "c"
label_headers = ["استان"]
columns = [
  { key = "pass", label = "مطابق", group = ["نتایج"], role = "pass" },
  { key = "fail", label = "مغایر", group = ["نتایج"], role = "fail" },
  { key = "total", label = "جمع", role = "total" },
  { key = "ps", label = "مطابق", group = ["درصد"], type = "percent", role = "pass-share" },
  { key = "fs", label = "مغایر", group = ["درصد"], type = "percent", role = "fail-share" },
]
rows = [ { no = "1", label = ["الف"], values = [75, 25, 100, 75, 25] } ]
"#;

#[test]
fn pass_and_fail_add_up_to_the_total_and_their_shares() {
    assert!(rules(PASS_FAIL).is_empty());
    assert_eq!(
        rules(&PASS_FAIL.replace("[75, 25, 100, 75, 25]", "[75, 25, 101, 74, 25]")),
        ["pass-fail"]
    );
    assert_eq!(
        rules(&PASS_FAIL.replace("[75, 25, 100, 75, 25]", "[75, 25, 100, 70, 30]")),
        ["share", "share"]
    );
}

const SHARE: &str = r#"
[[tables]]
id = "T5"
kind = "share"
caption = "c"
label_headers = ["استان"]
columns = [
  { key = "value", label = "v", role = "value" },
  { key = "share", label = "s", type = "percent", role = "share" },
]
rows = [
  { no = "1", label = ["الف"], values = [1, 33] },
  { no = "2", label = ["ب"], values = [2, 67] },
]
total = { label = ["جمع"], values = [3, 100] }
"#;

#[test]
fn shares_match_their_values_and_sum_to_100() {
    assert!(rules(SHARE).is_empty());
    assert_eq!(
        rules(&SHARE.replace("[2, 67]", "[2, 60]")),
        ["share", "share"]
    );
}

#[test]
fn structural_rules() {
    let cases = [
        (
            PLAN_ACTUAL.replace("[10, 15, 150]", "[10, 15]"),
            "row-width",
        ),
        (
            PLAN_ACTUAL.replace("label = [\"الف\"]", "label = []"),
            "label-depth",
        ),
        (
            PLAN_ACTUAL.replace("[10, 15, 150]", "[\"1,0\", 15, 150]"),
            "number-as-text",
        ),
        (
            PLAN_ACTUAL.replace("[10, 15, 150]", "[10.5, 15, 150]"),
            "cell-type",
        ),
        (
            PLAN_ACTUAL.replace("key = \"actual\"", "key = \"plan\""),
            "duplicate-column",
        ),
        (
            format!(
                "{PLAN_ACTUAL}\n[[tables.corrections]]\nrow = \"9\"\nprinted = \"x\"\nreason = \"r\"\n"
            ),
            "reference",
        ),
        (format!("{PLAN_ACTUAL}{}", PLAN_ACTUAL), "duplicate-table"),
        (format!("part = \"nope\"\n{PLAN_ACTUAL}"), "unknown-part"),
        (
            format!(
                "{PLAN_ACTUAL}\n[[tables.discrepancies]]\nrow = \"1\"\ncolumn = \"pct\"\nrule = \"zwnj\"\nnote = \"n\"\n"
            ),
            "reference",
        ),
    ];
    for (text, rule) in cases {
        assert!(rules(&text).contains(&rule), "{rule}: {:?}", rules(&text));
    }
    // text that is not a number may stand in a numeric column
    let text_plan = PLAN_ACTUAL
        .replace("[3, 2, 66]", "[\"حسب مورد (۲ مورد)\", 2, \"-\"]")
        .replace("[13, 17, 131]", "[10, 17, 170]");
    assert!(rules(&text_plan).is_empty(), "{:?}", rules(&text_plan));
}

#[test]
fn links_compare_rows_by_label_and_rows_with_columns() {
    let summary = r#"
[[tables]]
id = "S"
kind = "activities"
caption = "c"
label_headers = ["f"]
columns = [ { key = "actual", label = "a", role = "actual" } ]
rows = [ { no = "1", label = ["x"], values = [17] } ]
links = [ { table = "T1", column = "actual", row = "1", other_row = "total" } ]
"#;
    let cross = CROSSTAB
        .replace("[1, 2, 3] }\ntotal", "[10, 5, 15] }\ntotal")
        .replace("values = [1, 2, 3] }", "values = [10, 5, 15] }");
    let cross = format!(
        "{cross}links = [ {{ table = \"T1\", column = \"sum\", other_column = \"actual\" }} ]\n"
    );
    let industry = r#"
[[tables]]
id = "I"
kind = "share"
caption = "c"
label_headers = ["رشته"]
columns = [ { key = "value", label = "v", role = "value" }, { key = "share", label = "s", type = "percent", role = "share" } ]
rows = [ { no = "1", label = ["غذایی"], values = [10, 67] }, { no = "2", label = ["شیمیایی"], values = [5, 33] } ]
total = { label = ["جمع"], values = [15, 100] }
links = [ { table = "T3", column = "value", by = "columns" } ]
"#;
    let all = format!("{PLAN_ACTUAL}{summary}{cross}{industry}");
    // S row 1 = T1 total (17) and I = T3's column totals agree; T3's total 15 ≠ T1's 17
    assert_eq!(rules(&all), ["link"]);
    let acknowledged = all.replace(
        "links = [ { table = \"T1\", column = \"sum\"",
        "discrepancies = [ { row = \"total\", column = \"sum\", rule = \"link\", note = \"n\" } ]\nlinks = [ { table = \"T1\", column = \"sum\"",
    );
    assert!(
        rules(&acknowledged).is_empty(),
        "{:?}",
        rules(&acknowledged)
    );
    assert_eq!(
        rules(&summary.replace("table = \"T1\"", "table = \"T9\"")),
        ["link-target"]
    );
}

#[test]
fn an_unknown_rule_or_chart_kind_in_the_data_is_refused_where_it_is_written() {
    for (added, says) in [
        (
            "\n[[tables.discrepancies]]\nrow = \"1\"\ncolumn = \"pct\"\nrule = \"acheivement\"\nnote = \"n\"\n",
            "unknown variant `acheivement`",
        ),
        ("\nchart = { kind = \"pie\" }\n", "unknown variant `pie`"),
        (
            "\n[[tables.corrections]]\nrow = \"#0\"\nprinted = \"x\"\nreason = \"r\"\n",
            "is not a position",
        ),
    ] {
        let text = format!("title = \"s\"\npage = 7\n{PLAN_ACTUAL}{added}");
        let err = LoadedSection::parse(Path::new("s.toml"), text.clone())
            .unwrap_err()
            .to_string();
        let line = text[..text.find(added.trim_start()).unwrap()]
            .matches('\n')
            .count()
            + 1;
        assert!(err.contains(says), "{err}");
        assert!(err.starts_with("s.toml:"), "{err}");
        let at: usize = err.split(':').nth(1).unwrap().parse().unwrap();
        assert!(at >= line, "{err}: expected at or after line {line}");
    }
}

#[test]
fn an_acknowledgement_that_matches_no_finding_is_reported_as_stale() {
    let stale = format!(
        "{PLAN_ACTUAL}\n[[tables.discrepancies]]\nrow = \"2\"\ncolumn = \"pct\"\nrule = \"achievement\"\nnote = \"گمان خطا\"\n"
    );
    let found = findings(&stale);
    let warning = found
        .iter()
        .find(|f| f.rule == Rule::StaleAcknowledgement)
        .expect("a stale acknowledgement is reported");
    assert!(!warning.fails_check());
    assert_eq!(warning.row().map(ToString::to_string).as_deref(), Some("2"));
    assert_eq!(
        warning.line,
        stale.lines().position(|l| l.contains("گمان خطا")).unwrap() + 3
    );
    // once the figure is wrong, the same acknowledgement is no longer stale
    let used = stale.replace("[3, 2, 66]", "[3, 2, 70]");
    assert!(
        findings(&used)
            .iter()
            .all(|f| f.rule != Rule::StaleAcknowledgement)
    );
    assert!(rules(&used).is_empty(), "{:?}", rules(&used));
}
