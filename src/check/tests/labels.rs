//! Header and label lint: each rule passing and failing.

use super::*;

fn header(columns: &str, rows: &str) -> String {
    format!(
        r#"
[[tables]]
id = "H"
kind = "activities"
caption = "عملکرد سال ۱۴۰۰ در برابر ۱۳۹۹"
label_headers = ["فعالیت", "فعالیت"]
columns = [ {columns} ]
rows = [ {rows} ]
"#
    )
}

const COLUMNS: &str = r#"{ key = "plan", label = "برنامه سال ۱۴۰۰", role = "plan" }, { key = "actual", label = "عملکرد سال ۱۴۰۰", role = "actual" }"#;
const ROWS: &str = r#"{ no = "1", label = ["الف", "استان"], values = [1, 1] }, { label = ["الف", "ستاد"], values = [2, 2] }"#;

#[test]
fn a_year_other_than_the_report_s_or_the_one_before_is_found() {
    assert!(rules(&header(COLUMNS, ROWS)).is_empty());
    let foreign = header(&COLUMNS.replace("عملکرد سال ۱۴۰۰", "عملکرد سال ۱۴۰۱"), ROWS);
    let found: Vec<Finding> = findings(&foreign)
        .into_iter()
        .filter(|f| f.rule == Rule::ForeignYear)
        .collect();
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].column().map(ToString::to_string).as_deref(),
        Some("actual")
    );
    assert_eq!(
        (found[0].expected(), found[0].found()),
        (Some("1400"), Some("1401"))
    );
    // the header finding is acknowledged without a row
    let acknowledged = format!(
        "{foreign}[[tables.discrepancies]]\ncolumn = \"actual\"\nrule = \"foreign-year\"\nnote = \"چاپ شده\"\n"
    );
    assert!(
        rules(&acknowledged).is_empty(),
        "{:?}",
        rules(&acknowledged)
    );
    let caption = header(COLUMNS, ROWS).replace("در برابر ۱۳۹۹", "در برابر 1398");
    assert_eq!(rules(&caption), ["foreign-year"]);
}

#[test]
fn two_columns_with_one_header_are_found() {
    let grouped = r#"{ key = "a", label = "مطابق", group = ["نتایج"] }, { key = "b", label = "مطابق", group = ["درصد"] }"#;
    assert!(
        rules(&header(
            grouped,
            r#"{ label = ["x", "y"], values = [1, 1] }"#
        ))
        .is_empty()
    );
    let same = grouped.replace("درصد", "نتایج");
    let found = findings(&header(&same, r#"{ label = ["x", "y"], values = [1, 1] }"#));
    let duplicate: Vec<&Finding> = found
        .iter()
        .filter(|f| f.rule == Rule::DuplicateHeader)
        .collect();
    assert_eq!(duplicate.len(), 1);
    assert_eq!(
        duplicate[0].column().map(ToString::to_string).as_deref(),
        Some("b")
    );
}

#[test]
fn a_label_path_twice_is_found_unless_numbers_units_or_headings_tell_the_rows_apart() {
    let twice = r#"{ no = "1", label = ["الف", "استان"], values = [1, 1] }, { label = ["الف", "استان"], values = [2, 2] }, { label = ["الف", "استان"], values = [3, 3] }"#;
    let found: Vec<Finding> = findings(&header(COLUMNS, twice))
        .into_iter()
        .filter(|f| f.rule == Rule::DuplicateLabel)
        .collect();
    assert_eq!(found.len(), 1, "one finding per repeated path");
    assert_eq!(
        found[0].row().map(ToString::to_string).as_deref(),
        Some("#2")
    );
    assert!(
        found[0].message.contains("as do rows #3"),
        "{}",
        found[0].message
    );
    // under another printed number, the same label is another row («تمدید» of each licence)
    let numbered = twice.replace(
        r#"{ label = ["الف", "استان"], values = [2, 2] }"#,
        r#"{ no = "2", label = ["الف", "استان"], values = [2, 2] }"#,
    );
    let found: Vec<Finding> = findings(&header(COLUMNS, &numbered))
        .into_iter()
        .filter(|f| f.rule == Rule::DuplicateLabel)
        .collect();
    assert_eq!(found.len(), 1, "#3 repeats row 2, under the same number");
    assert_eq!(
        found[0].row().map(ToString::to_string).as_deref(),
        Some("#3")
    );
    let headed = r#"{ heading = "سطح ملی" }, { label = ["الف", "استان"], values = [1, 1] }, { heading = "سطح استانی" }, { label = ["الف", "استان"], values = [2, 2] }"#;
    assert!(rules(&header(COLUMNS, headed)).is_empty());
}

#[test]
fn a_row_without_a_label_is_found() {
    assert!(rules(&header(COLUMNS, ROWS)).is_empty());
    let unlabelled = r#"{ no = "1", label = ["الف", "استان"], values = [1, 1] }, { label = ["", ""], values = [2, 2] }"#;
    assert_eq!(rules(&header(COLUMNS, unlabelled)), ["missing-label"]);
}
