//! Next year's content started from this year's (`karnameh new`): the same sections, tables,
//! columns, row labels, keys and series, with every value emptied to be filled in. Files are
//! edited with toml_edit so that they keep their layout and comments and stay readable.
//!
//! Kept: structure (titles, pages, parts, tables, columns, rows, labels, `unit` columns, which
//! name a row's measure), footnotes and notes (for the office to review), links and chart
//! settings, and the acknowledgements of repeated or missing row labels and headers (the labels
//! are kept, and so is why they are printed so). Emptied: every other cell (`""`). Dropped:
//! corrections, the other discrepancies (about figures the new year does not have yet),
//! `source` references into the old year's text, section bodies and the foreword. The old year's number
//! in titles, captions and headers becomes the new year's.

use toml_edit::{DocumentMut, Item, TableLike, Value};

/// `year.toml` of the new year: `draft = true`, what is the old year's own emptied.
pub fn year_file(text: &str, from: u32, to: u32) -> Result<String, toml_edit::TomlError> {
    let mut doc: DocumentMut = text.parse()?;
    let table = doc.as_table_mut();
    table.insert("year", toml_edit::value(i64::from(to)));
    if let Some(mut key) = table.key_mut("year") {
        let note = format!(
            "# Started with `karnameh new {to} --from {from}`: fill in the values (`karnameh check`\n# says how complete each table is), then remove `draft = true`.\n"
        );
        key.leaf_decor_mut().set_prefix(note);
    }
    table.remove("frozen");
    table.insert("draft", toml_edit::value(true));
    table.remove("foreword");
    table.insert("published", toml_edit::value(""));
    replace_year_in(table, &["title"], from, to);
    Ok(doc.to_string())
}

/// A section file of the new year, and how many of its cells were emptied.
pub fn section_file(
    text: &str,
    from: u32,
    to: u32,
) -> Result<(String, usize), toml_edit::TomlError> {
    let mut doc: DocumentMut = text.parse()?;
    let section = doc.as_table_mut();
    for key in ["source", "corrections", "body"] {
        section.remove(key);
    }
    replace_year_in(section, &["title", "heading"], from, to);
    let mut emptied = 0;
    if let Some(tables) = section.get_mut("tables") {
        each_table(tables, &mut |table| {
            emptied += table_of_next_year(table, from, to)
        });
    }
    Ok((doc.to_string(), emptied))
}

/// The rules about labels and headers, whose acknowledgements stay with the labels.
const LABEL_RULES: [&str; 3] = ["duplicate-label", "duplicate-header", "missing-label"];

fn table_of_next_year(table: &mut dyn TableLike, from: u32, to: u32) -> usize {
    for key in ["source", "corrections"] {
        table.remove(key);
    }
    keep_label_acknowledgements(table);
    replace_year_in(table, &["caption", "headings", "unit"], from, to);
    let mut units = Vec::new();
    if let Some(columns) = table.get_mut("columns") {
        let mut index = 0;
        each_table(columns, &mut |column| {
            replace_year_in(column, &["label", "group"], from, to);
            let role = column.get("role").and_then(Item::as_str);
            if role == Some("unit") {
                units.push(index);
            }
            index += 1;
        });
    }
    let mut emptied = 0;
    for key in ["rows", "total"] {
        if let Some(rows) = table.get_mut(key) {
            each_table(rows, &mut |row| emptied += empty_values(row, &units));
        }
    }
    emptied
}

/// Drops every discrepancy of `table` but those of the [`LABEL_RULES`].
fn keep_label_acknowledgements(table: &mut dyn TableLike) {
    let about_labels = |t: &dyn TableLike| {
        t.get("rule")
            .and_then(Item::as_str)
            .is_some_and(|rule| LABEL_RULES.contains(&rule))
    };
    let left = match table.get_mut("discrepancies") {
        Some(Item::ArrayOfTables(tables)) => {
            tables.retain(|t| about_labels(t));
            tables.len()
        }
        Some(Item::Value(Value::Array(array))) => {
            array.retain(|v| v.as_inline_table().is_some_and(|t| about_labels(t)));
            array.len()
        }
        _ => 0,
    };
    if left == 0 {
        table.remove("discrepancies");
    }
}

/// Empties a row's values but those of the `keep` columns; returns how many were emptied.
fn empty_values(row: &mut dyn TableLike, keep: &[usize]) -> usize {
    let Some(values) = row.get_mut("values").and_then(Item::as_array_mut) else {
        return 0;
    };
    let mut emptied = 0;
    for (i, value) in values.iter_mut().enumerate() {
        if keep.contains(&i) {
            continue;
        }
        let decor = value.decor().clone();
        *value = Value::from("");
        *value.decor_mut() = decor;
        emptied += 1;
    }
    emptied
}

/// Calls `f` with each table of `item`: an array of tables (`[[tables]]`), an array of inline
/// tables (`rows = [ { … } ]`) or one inline table (`total = { … }`).
fn each_table(item: &mut Item, f: &mut dyn FnMut(&mut dyn TableLike)) {
    match item {
        Item::ArrayOfTables(tables) => tables.iter_mut().for_each(|t| f(t)),
        Item::Value(Value::Array(array)) => {
            for value in array.iter_mut() {
                if let Some(t) = value.as_inline_table_mut() {
                    f(t);
                }
            }
        }
        Item::Value(Value::InlineTable(t)) => f(t),
        Item::Table(t) => f(t),
        _ => {}
    }
}

/// The old year's number made the new one's in the texts (or arrays of texts) under `keys`.
fn replace_year_in(table: &mut dyn TableLike, keys: &[&str], from: u32, to: u32) {
    for key in keys {
        let Some(Item::Value(value)) = table.get_mut(key) else {
            continue;
        };
        match value {
            Value::Array(array) => array
                .iter_mut()
                .for_each(|v| replace_year_value(v, from, to)),
            other => replace_year_value(other, from, to),
        }
    }
}

fn replace_year_value(value: &mut Value, from: u32, to: u32) {
    let Some(text) = value.as_str() else { return };
    let replaced = replace_year(text, from, to);
    if replaced != text {
        let decor = value.decor().clone();
        *value = Value::from(replaced);
        *value.decor_mut() = decor;
    }
}

/// `عملکرد سال ۱۴۰۰` → `عملکرد سال ۱۴۰۱`: the year in Persian or Latin digits, where it is a
/// number of its own (not part of a longer one).
pub fn replace_year(text: &str, from: u32, to: u32) -> String {
    let mut out = text.to_string();
    for style in [
        crate::config::DigitStyle::Latin,
        crate::config::DigitStyle::Persian,
    ] {
        let old = crate::numfmt::localize_digits(&from.to_string(), style);
        let new = crate::numfmt::localize_digits(&to.to_string(), style);
        out = replace_number(&out, &old, &new);
    }
    out
}

fn replace_number(text: &str, old: &str, new: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(old) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + old.len()..].chars().next();
        let alone = !before.is_some_and(char::is_numeric) && !after.is_some_and(char::is_numeric);
        out.push_str(&rest[..at]);
        out.push_str(if alone { new } else { old });
        rest = &rest[at + old.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_year_is_replaced_only_where_it_is_a_number_of_its_own() {
        assert_eq!(
            replace_year("عملکرد سال ۱۴۰۰", 1400, 1401),
            "عملکرد سال ۱۴۰۱"
        );
        assert_eq!(
            replace_year("plan 1400, not 14000", 1400, 1401),
            "plan 1401, not 14000"
        );
        assert_eq!(replace_year("۱۴۰۰۰ و ۲۱۴۰۰", 1400, 1401), "۱۴۰۰۰ و ۲۱۴۰۰");
    }

    #[test]
    fn a_section_keeps_its_structure_and_loses_its_values() {
        let text = r#"title = "استان‌ها"
page = 7
source = "L1-9"

[[tables]]
id = "T1"
kind = "activities"
series = "s1"
caption = "برنامه و عملکرد سال ۱۴۰۰"
columns = [
  { key = "unit", label = "واحد", type = "text", role = "unit" },
  { key = "actual", label = "عملکرد سال ۱۴۰۰", role = "actual" },
]
rows = [
  { no = "1", key = "tehran", label = ["تهران"], values = ["تعداد", 30] },
]
total = { label = ["جمع"], values = ["تعداد", 30] }

[[tables.discrepancies]]
row = "1"
column = "actual"
rule = "total"
note = "x"

[[tables.discrepancies]]
row = "1"
column = "label"
rule = "duplicate-label"
note = "printed twice"
"#;
        let (next, emptied) = section_file(text, 1400, 1401).unwrap();
        assert_eq!(emptied, 2);
        assert!(next.contains("values = [\"تعداد\", \"\"]"), "{next}");
        assert!(next.contains("key = \"tehran\"") && next.contains("series = \"s1\""));
        assert!(
            next.contains("caption = \"برنامه و عملکرد سال ۱۴۰۱\""),
            "{next}"
        );
        assert!(next.contains("label = \"عملکرد سال ۱۴۰۱\""), "{next}");
        assert!(
            !next.contains("rule = \"total\"") && !next.contains("source"),
            "{next}"
        );
        // the labels are kept, and so is the acknowledgement of one printed twice
        assert!(
            next.contains("rule = \"duplicate-label\"") && next.contains("printed twice"),
            "{next}"
        );
    }

    #[test]
    fn the_year_file_becomes_a_draft_of_the_new_year() {
        let text = "# old\nyear = 1400\ntitle = \"گزارش ۱۴۰۰\"\norganization = \"o\"\npublisher = \"p\"\nfrozen = true\npublished = \"اردیبهشت ۱۴۰۱\"\nforeword = \"x\"\n";
        let next = year_file(text, 1400, 1401).unwrap();
        let meta: crate::content::YearMeta = toml::from_str(&next).unwrap_or_else(|e| {
            panic!("{e}\n{next}");
        });
        assert_eq!((meta.year, meta.draft, meta.frozen), (1401, true, false));
        assert_eq!(meta.title, "گزارش ۱۴۰۱");
        assert!(meta.published.is_empty() && meta.foreword.is_none());
        assert!(
            next.starts_with("# Started with `karnameh new 1401 --from 1400`"),
            "{next}"
        );
    }
}
