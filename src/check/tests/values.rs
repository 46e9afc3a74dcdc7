//! Missing and misplaced values: each rule passing and failing, with the implied figure.

use super::*;

/// An activities table whose row 1 is `row` (unit, plan, actual, pct), with two filled rows.
fn activities(row: &str) -> String {
    format!(
        r#"
[[tables]]
id = "A"
kind = "activities"
caption = "c"
label_headers = ["فعالیت", "فعالیت"]
columns = [
  {{ key = "unit", label = "سنجه", type = "text", role = "unit" }},
  {{ key = "plan", label = "برنامه", role = "plan" }},
  {{ key = "actual", label = "عملکرد", role = "actual" }},
  {{ key = "pct", label = "درصد", type = "percent", role = "pct" }},
]
rows = [
  {{ no = "1", label = ["الف", "استان"], values = {row} }},
  {{ no = "2", label = ["ب", "ستاد"], values = ["تعداد", 10, 12, 120] }},
  {{ no = "3", label = ["ج", "ستاد"], values = ["نفر ساعت", 20, 20, 100] }},
]
"#
    )
}

fn only(tables: &str, rule: Rule) -> Vec<Finding> {
    findings(tables)
        .into_iter()
        .filter(|f| f.rule == rule)
        .collect()
}

#[test]
fn a_stated_percentage_with_an_empty_actual_implies_it() {
    assert!(rules(&activities(r#"["تعداد", 882, 2346, 266]"#)).is_empty());
    let found = only(
        &activities(r#"["تعداد", 882, "", 266]"#),
        Rule::MissingValue,
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].column().map(ToString::to_string).as_deref(),
        Some("actual")
    );
    assert_eq!(found[0].expected(), Some("2346"));
    assert!(
        found[0].message.contains("882 × 266 ÷ 100"),
        "{}",
        found[0].message
    );
    let plan = only(
        &activities(r#"["تعداد", "", 658, 153]"#),
        Rule::MissingValue,
    );
    assert_eq!(plan[0].expected(), Some("430"));
}

#[test]
fn empty_number_cells_stand_out_where_the_other_rows_are_filled() {
    assert!(only(&activities(r#"["تعداد", 5, 6, 120]"#), Rule::EmptyCells).is_empty());
    let found = only(&activities(r#"["تعداد", 5, 6, ""]"#), Rule::EmptyCells);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].column().map(ToString::to_string).as_deref(),
        Some("pct")
    );
    assert_eq!(
        found[0].expected(),
        Some("120"),
        "actual ÷ plan implies the %"
    );
    // a text the report prints (a dash, «حسب درخواست») is not empty
    assert!(
        only(
            &activities(r#"["تعداد", "حسب درخواست", 6, "-"]"#),
            Rule::EmptyCells
        )
        .is_empty()
    );
}

#[test]
fn a_unit_or_label_in_a_number_column_is_a_shifted_row() {
    assert!(
        only(
            &activities(r#"["تعداد", 100, 212, 212]"#),
            Rule::MisplacedText
        )
        .is_empty()
    );
    let found = only(
        &activities(r#"["", "تعداد", 39062, 212]"#),
        Rule::MisplacedText,
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].column().map(ToString::to_string).as_deref(),
        Some("plan")
    );
    assert!(
        found[0]
            .message
            .contains("unit `تعداد`, plan 39062, actual empty, pct 212 (actual ≈ 82811)"),
        "{}",
        found[0].message
    );
    // a row label («استان», «ستاد») in the unit column
    let label = only(
        &activities(r#"["ستاد", 99, 117, 118]"#),
        Rule::MisplacedText,
    );
    assert_eq!(label.len(), 1, "{label:?}");
}

#[test]
fn a_number_in_a_text_column_is_found() {
    assert!(only(&activities(r#"["تعداد", 1, 1, 100]"#), Rule::NumberInText).is_empty());
    for row in [r#"[882, 1, 1, 100]"#, r#"["۸۸۲", 1, 1, 100]"#] {
        let found = only(&activities(row), Rule::NumberInText);
        assert_eq!(found.len(), 1, "{row}: {found:?}");
        assert!(found[0].message.contains("882"), "{}", found[0].message);
    }
}

#[test]
fn a_column_wide_acknowledgement_covers_every_row_of_its_rule() {
    let two = activities(r#"["تعداد", 882, "", 266]"#)
        .replace(r#"["تعداد", 10, 12, 120]"#, r#"["تعداد", 10, "", 120]"#);
    assert_eq!(rules(&two), ["missing-value", "missing-value"]);
    let acknowledged = format!(
        "{two}\n[[tables.discrepancies]]\ncolumn = \"actual\"\nrule = \"missing-value\"\nnote = \"n\"\n"
    );
    assert!(
        rules(&acknowledged).is_empty(),
        "{:?}",
        rules(&acknowledged)
    );
    assert!(
        findings(&acknowledged)
            .iter()
            .all(|f| f.rule != Rule::StaleAcknowledgement)
    );
}

#[test]
fn a_draft_years_empty_cells_are_to_be_filled_not_missing() {
    let tables = activities(r#"["تعداد", "", "", 266]"#);
    let text = format!("title = \"s\"\npage = 7\n{tables}");
    let meta = "year = 1401\ntitle = \"t\"\norganization = \"o\"\npublisher = \"p\"\npublished = \"\"\ndraft = true\n";
    let draft = LoadedYear::parse(
        Path::new("1401"),
        meta.to_string(),
        vec![section("s", &text)],
    )
    .unwrap();
    let found: Vec<Rule> = check_year(&draft, CheckOptions::default())
        .iter()
        .map(|f| f.rule)
        .collect();
    assert!(found.contains(&Rule::Completeness), "{found:?}");
    assert!(
        !found.contains(&Rule::MissingValue) && !found.contains(&Rule::EmptyCells),
        "{found:?}"
    );
    // the same row in a published year is missing its plan and actual
    assert!(!only(&tables, Rule::MissingValue).is_empty());
}
