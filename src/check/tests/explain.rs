//! The explanation search on planted errors: a misread digit in a plan, a pair of figures
//! exchanged between two rows that another table restates, a wrong total. The planted fix
//! must be the first suggestion of every finding it causes.

use super::*;
use crate::diagnostics::{Misreading, Suggestion};

/// The first suggestion of every finding of `rule` (with its row).
fn first_suggestions(tables: &str) -> Vec<(Rule, String, Option<Suggestion>)> {
    findings(tables)
        .into_iter()
        .filter(|f| f.rule.is_arithmetic())
        .map(|f| {
            let row = f.row().map(ToString::to_string).unwrap_or_default();
            let best = f.explanation().and_then(|e| e.suggestions.first().cloned());
            (f.rule, row, best)
        })
        .collect()
}

/// (table, row, column, printed, probably) of each change of `s`.
fn changes(s: &Suggestion) -> Vec<(String, String, String, f64, f64)> {
    s.changes
        .iter()
        .map(|c| {
            (
                c.table.to_string(),
                c.row.to_string(),
                c.column.to_string(),
                c.printed,
                c.probably,
            )
        })
        .collect()
}

const DETAIL: &str = r#"
[[tables]]
id = "D"
kind = "plan-actual"
caption = "تدوین استاندارد استان‌ها"
label_headers = ["استان"]
columns = [
  { key = "plan", label = "برنامه", role = "plan" },
  { key = "actual", label = "عملکرد", role = "actual" },
  { key = "pct", label = "درصد", type = "percent", role = "pct" },
]
rows = [
  { no = "1", label = ["الف"], values = [400, 600, 150] },
  { no = "2", label = ["ب"], values = [30, 58, 193] },
]
total = { label = ["جمع کل"], values = [430, 658, 153] }
"#;

const SUMMARY: &str = r#"
[[tables]]
id = "S"
kind = "activities"
caption = "الف) تدوین استاندارد ملی"
label_headers = ["فعالیت", "فعالیت"]
columns = [
  { key = "plan", label = "برنامه", role = "plan" },
  { key = "actual", label = "عملکرد", role = "actual" },
  { key = "pct", label = "درصد", type = "percent", role = "pct" },
]
rows = [
  { no = "1", label = ["تدوین", "استان"], values = [630, 658, 153] },
  { label = ["تدوین", "پژوهشگاه"], values = [100, 121, 121] },
  { label = ["تدوین", "ستاد"], values = [70, 70, 100] },
  { label = ["تدوین", "جمع"], values = [600, 849, 142], subtotal = true },
]
links = [
  { table = "D", column = "plan", row = "1", other_row = "total" },
  { table = "D", column = "actual", row = "1", other_row = "total" },
]
"#;

#[test]
fn a_misread_digit_in_a_plan_is_the_first_suggestion_of_every_finding_it_causes() {
    let found = first_suggestions(&format!("{DETAIL}{SUMMARY}"));
    let rules: Vec<Rule> = found.iter().map(|(r, _, _)| *r).collect();
    assert_eq!(
        rules,
        [Rule::Achievement, Rule::Subtotal, Rule::Link],
        "{found:?}"
    );
    for (rule, _, best) in &found {
        let best = best
            .as_ref()
            .unwrap_or_else(|| panic!("{rule}: no suggestion"));
        assert_eq!(
            changes(best),
            [("S".into(), "1".into(), "plan".into(), 630.0, 430.0)],
            "{rule}: {}",
            best.text
        );
        assert_eq!(
            best.misreading,
            Some(Misreading::Digit {
                printed: '6',
                meant: '4'
            })
        );
        assert_eq!(best.resolves, 3, "achievement, subtotal and link agree");
        assert_eq!(best.ties, 0);
    }
    let text = &found[0].2.as_ref().unwrap().text;
    assert!(
        text.starts_with(
            "plan 630 is probably 430 (a 4 misread as 6): then 658 ÷ 430 = 153% as stated"
        ),
        "{text}"
    );
    assert!(
        text.contains("it equals D row total column plan (430)"),
        "{text}"
    );
}

const PAIR_DETAIL: &str = r#"
[[tables]]
id = "D"
kind = "plan-actual"
caption = "c"
label_headers = ["استان"]
columns = [
  { key = "plan", label = "برنامه", role = "plan" },
  { key = "actual", label = "عملکرد", role = "actual" },
  { key = "pct", label = "درصد", type = "percent", role = "pct" },
]
rows = [
  { no = "1", label = ["الف"], values = [10, 15, 200] },
  { no = "2", label = ["ب"], values = [10, 20, 150] },
]
total = { label = ["جمع"], values = [20, 35, 175] }
"#;

const PAIR_SUMMARY: &str = r#"
[[tables]]
id = "S"
kind = "activities"
caption = "c"
label_headers = ["استان"]
columns = [ { key = "actual", label = "عملکرد", role = "actual" } ]
rows = [
  { no = "1", label = ["الف"], values = [20] },
  { no = "2", label = ["ب"], values = [15] },
]
links = [ { table = "D", column = "actual" } ]
"#;

#[test]
fn a_pair_exchanged_between_two_rows_that_another_table_restates_is_found() {
    let found = first_suggestions(&format!("{PAIR_DETAIL}{PAIR_SUMMARY}"));
    assert_eq!(
        found.len(),
        4,
        "two achievements in D, two links from S: {found:?}"
    );
    for (rule, row, best) in &found {
        let best = best
            .as_ref()
            .unwrap_or_else(|| panic!("{rule} {row}: no suggestion"));
        assert_eq!(
            changes(best),
            [
                ("D".into(), "1".into(), "actual".into(), 15.0, 20.0),
                ("D".into(), "2".into(), "actual".into(), 20.0, 15.0)
            ],
            "{rule} {row}: {}",
            best.text
        );
        assert_eq!(best.misreading, Some(Misreading::SwappedCells));
        assert_eq!(best.resolves, 4);
    }
}

#[test]
fn a_wrong_total_is_the_first_suggestion_of_its_sum_and_its_percentage() {
    let swapped = PLAN_ACTUAL.replace("[13, 17, 131]", "[13, 71, 131]");
    let found = first_suggestions(&swapped);
    assert_eq!(found.len(), 2, "{found:?}");
    for (rule, row, best) in &found {
        assert_eq!(row, "total");
        let best = best
            .as_ref()
            .unwrap_or_else(|| panic!("{rule}: no suggestion"));
        assert_eq!(
            changes(best),
            [("T1".into(), "total".into(), "actual".into(), 71.0, 17.0)]
        );
        assert_eq!(best.misreading, Some(Misreading::SwappedDigits));
        assert_eq!(best.resolves, 2);
    }
    // a total off by two, no misreading: still the total, as the rows agree with their own %
    let off = first_suggestions(&PLAN_ACTUAL.replace("[13, 17, 131]", "[13, 19, 131]"));
    let best = off[0].2.as_ref().unwrap();
    assert_eq!(
        changes(best),
        [("T1".into(), "total".into(), "actual".into(), 19.0, 17.0)]
    );
    assert_eq!(best.misreading, None);
}

#[test]
fn one_cell_can_explain_a_row_total_and_a_column_total_at_once() {
    let cross = CROSSTAB.replacen("[1, 2, 3]", "[1, 0, 3]", 1);
    let found = first_suggestions(&cross);
    assert_eq!(found.len(), 2, "{found:?}");
    for (_, _, best) in &found {
        let best = best.as_ref().unwrap();
        assert_eq!(
            changes(best),
            [("T3".into(), "1".into(), "b".into(), 0.0, 2.0)]
        );
        assert_eq!(best.resolves, 2);
    }
}

#[test]
fn no_suggestion_when_no_single_change_makes_every_rule_agree() {
    // both sides of the link are pinned: the summary by its %, the detail by its rows
    let pinned = format!("{DETAIL}{SUMMARY}")
        .replace("[630, 658, 153]", "[430, 700, 163]")
        .replace("[600, 849, 142]", "[600, 891, 149]");
    let found = first_suggestions(&pinned);
    let link = found
        .iter()
        .find(|(r, _, _)| *r == Rule::Link)
        .expect("the actuals differ");
    assert!(link.2.is_none(), "{:?}", link.2);
}

const ROTATED_DETAIL: &str = r#"
[[tables]]
id = "D"
kind = "plan-actual"
caption = "c"
label_headers = ["استان"]
columns = [
  { key = "plan", label = "برنامه", role = "plan" },
  { key = "actual", label = "عملکرد", role = "actual" },
  { key = "pct", label = "درصد", type = "percent", role = "pct" },
]
rows = [
  { no = "1", label = ["الف"], values = [10, 20, 200] },
  { no = "2", label = ["ب"], values = [10, 30, 300] },
  { no = "3", label = ["ج"], values = [10, 15, 150] },
]
total = { label = ["جمع"], values = [30, 65, 217] }
"#;

/// The summary restates D's actuals, and a third table restates the summary's: only D's rows
/// can have moved.
const ROTATED_SUMMARY: &str = r#"
[[tables]]
id = "S"
kind = "activities"
caption = "c"
label_headers = ["استان"]
columns = [ { key = "actual", label = "عملکرد", role = "actual" } ]
rows = [
  { no = "1", label = ["الف"], values = [15] },
  { no = "2", label = ["ب"], values = [20] },
  { no = "3", label = ["ج"], values = [30] },
]
links = [ { table = "D", column = "actual" } ]

[[tables]]
id = "E"
kind = "activities"
caption = "c"
label_headers = ["استان"]
columns = [ { key = "actual", label = "عملکرد", role = "actual" } ]
rows = [
  { no = "1", label = ["الف"], values = [15] },
  { no = "2", label = ["ب"], values = [20] },
  { no = "3", label = ["ج"], values = [30] },
]
links = [ { table = "S", column = "actual" } ]
"#;

#[test]
fn three_rows_whose_labels_moved_are_found_as_one_rotation() {
    let found = first_suggestions(&format!("{ROTATED_DETAIL}{ROTATED_SUMMARY}"));
    assert_eq!(found.len(), 3, "three links from S to D: {found:?}");
    for (rule, row, best) in &found {
        let best = best
            .as_ref()
            .unwrap_or_else(|| panic!("{rule} {row}: no suggestion"));
        assert_eq!(
            best.misreading,
            Some(Misreading::RotatedRows),
            "{}",
            best.text
        );
        assert_eq!(best.resolves, 3);
        let mut actuals: Vec<(String, f64, f64)> = changes(best)
            .into_iter()
            .filter(|(table, _, column, _, _)| table == "D" && column == "actual")
            .map(|(_, row, _, printed, probably)| (row, printed, probably))
            .collect();
        actuals.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            actuals,
            [
                ("1".into(), 20.0, 15.0),
                ("2".into(), 30.0, 20.0),
                ("3".into(), 15.0, 30.0)
            ],
            "{}",
            best.text
        );
        assert!(best.changes.iter().all(|c| c.table == "D"), "{}", best.text);
        assert!(
            best.text.contains("probably belong to rows"),
            "{}",
            best.text
        );
    }
}
