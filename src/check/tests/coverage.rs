//! Link coverage: rows no link reads, and the links their figures suggest. A proposal's TOML,
//! pasted under its table, covers the row.

use super::*;
use crate::check::coverage::{YearCoverage, year_coverage};

const DETAIL: &str = r#"
[[tables]]
id = "D"
kind = "plan-actual"
caption = "صدور پروانه کاربرد علامت استاندارد"
label_headers = ["استان"]
columns = [
  { key = "plan", label = "برنامه", role = "plan" },
  { key = "actual", label = "عملکرد", role = "actual" },
  { key = "pct", label = "درصد", type = "percent", role = "pct" },
]
rows = [
  { no = "1", label = ["الف"], values = [3000, 4000, 133] },
  { no = "2", label = ["ب"], values = [376, 245, 65] },
]
total = { label = ["جمع کل"], values = [3376, 4245, 126] }

[[tables]]
id = "O"
kind = "activities"
caption = "عملکرد دفتر"
label_headers = ["فعالیت", "فعالیت"]
columns = [
  { key = "plan", label = "برنامه", role = "plan" },
  { key = "actual", label = "عملکرد", role = "actual" },
  { key = "pct", label = "درصد", type = "percent", role = "pct" },
]
rows = [
  { no = "1", label = ["تایید صلاحیت", "کارشناسان"], values = [75, 52, 69] },
  { label = ["تایید صلاحیت", "مراکز آموزشی"], values = [470, 599, 127] },
  { no = "2", label = ["برگزاری سمینار", ""], values = [10, 10, 100] },
]
"#;

const SUMMARY: &str = r#"
[[tables]]
id = "S"
kind = "activities"
caption = "صدور گواهی"
label_headers = ["فعالیت"]
columns = [
  { key = "plan", label = "برنامه", role = "plan" },
  { key = "actual", label = "عملکرد", role = "actual" },
  { key = "pct", label = "درصد", type = "percent", role = "pct" },
]
rows = [
  { no = "1", label = ["پروانه کاربرد علامت استاندارد"], values = [3376, 4245, 126] },
  { no = "2", label = ["تایید صلاحیت کارشناسان و مراکز آموزشی"], values = [545, 651, 119] },
  { no = "3", label = ["جلسات"], values = [10, 10, 100] },
]
"#;

fn coverage(text: &str) -> YearCoverage {
    let text = format!("title = \"s\"\npage = 4\n{text}");
    year_coverage(&year(vec![section("s", &text)]))
}

#[test]
fn uncovered_rows_get_links_to_a_total_and_to_a_sum_of_rows() {
    let found = coverage(&format!("{DETAIL}{SUMMARY}"));
    let summary = found.tables.iter().find(|t| t.table == "S").unwrap();
    assert_eq!((summary.rows, summary.covered, summary.partly), (3, 0, 0));
    let proposals = |row: &str| {
        found
            .rows
            .iter()
            .find(|r| r.table == "S" && r.row.to_string() == row)
            .map(|r| r.proposals.clone())
            .unwrap()
    };
    let total = proposals("1");
    assert_eq!(
        (total[0].table.as_str(), total[0].row.to_string()),
        ("D", "total".into())
    );
    assert!(
        total[0].toml.contains("other_row = \"total\""),
        "{}",
        total[0].toml
    );
    let sum = proposals("2");
    assert_eq!(sum[0].table.as_str(), "O");
    assert!(
        sum[0].toml.contains("other_rows = [\"1\", \"#2\"]"),
        "{}",
        sum[0].toml
    );
    // 10, 10, 100% is everywhere: no evidence of anything
    assert!(proposals("3").is_empty(), "{:?}", proposals("3"));
    // pasted, the proposals cover the rows and agree
    let pasted = format!("{DETAIL}{SUMMARY}{}\n{}", total[0].toml, sum[0].toml);
    let after = coverage(&pasted);
    let summary = after.tables.iter().find(|t| t.table == "S").unwrap();
    assert_eq!(summary.covered, 2, "{:?}", after.rows);
    assert!(rules(&pasted).is_empty(), "{:?}", rules(&pasted));
}

#[test]
fn a_link_declared_by_either_table_covers_both_rows() {
    let linked = format!(
        "{DETAIL}{SUMMARY}\n[[tables.links]]\ntable = \"D\"\ncolumn = \"plan\"\nrow = \"1\"\nother_row = \"total\"\n"
    );
    let found = coverage(&linked);
    let summary = found.tables.iter().find(|t| t.table == "S").unwrap();
    assert_eq!(
        (summary.covered, summary.partly),
        (0, 1),
        "the actual is not linked"
    );
    let row = found
        .rows
        .iter()
        .find(|r| r.table == "S" && r.row.to_string() == "1")
        .unwrap();
    assert_eq!(
        row.unlinked.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        ["actual"]
    );
    assert!(row.proposals[0].toml.contains("column = \"actual\""));
    assert!(!row.proposals[0].toml.contains("column = \"plan\""));
}

#[test]
fn a_sum_link_compares_a_row_with_the_sum_of_rows() {
    let link = "\n[[tables.links]]\ntable = \"O\"\ncolumn = \"actual\"\nrow = \"2\"\nother_rows = [\"1\", \"#2\"]\n";
    assert!(rules(&format!("{DETAIL}{SUMMARY}{link}")).is_empty());
    let wrong = format!("{DETAIL}{SUMMARY}{link}").replace("[545, 651, 119]", "[545, 650, 119]");
    let found: Vec<Finding> = findings(&wrong)
        .into_iter()
        .filter(|f| f.rule == Rule::Link)
        .collect();
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].message,
        "650 but O rows 1, #2 column actual sum to 651"
    );
    let unpaired = link.replace("row = \"2\"\n", "");
    assert_eq!(
        rules(&format!("{DETAIL}{SUMMARY}{unpaired}")),
        ["link-target"]
    );
}
