//! What a chart calls its rows: the deepest label, with its parent where the label alone is
//! ambiguous.

use crate::content::Row;

/// A row's names in a chart: `group` (its parent label, drawn as a heading over its run of
/// rows), `label` (drawn beside its bar) and `full` (both, for descriptions).
#[derive(Debug, Clone, PartialEq)]
pub struct RowName {
    pub group: Option<String>,
    pub label: String,
    pub full: String,
}

/// The names of `rows` in one chart. A deepest label that several rows share («صدور» under
/// four accreditation bodies) is drawn under its parent as a heading; a short unique one takes
/// its parent beside it («سطح ملی – جمع»); otherwise the deepest label alone.
pub fn row_names<'r>(rows: impl IntoIterator<Item = &'r Row>) -> Vec<RowName> {
    let paths: Vec<(Option<&str>, String)> = rows
        .into_iter()
        .map(|row| {
            let parts: Vec<&str> = row
                .label
                .iter()
                .map(String::as_str)
                .filter(|l| !l.is_empty())
                .collect();
            match parts.as_slice() {
                [] => (None, row.no().map(ToString::to_string).unwrap_or_default()),
                [only] => (None, (*only).to_string()),
                [.., parent, last] => (Some(*parent), (*last).to_string()),
            }
        })
        .collect();
    let repeated = |last: &str| paths.iter().filter(|(_, l)| l == last).count() > 1;
    paths
        .iter()
        .map(|(parent, last)| match parent {
            None => RowName {
                group: None,
                label: last.clone(),
                full: last.clone(),
            },
            Some(parent) => {
                let full = format!("{parent} – {last}");
                if repeated(last) {
                    RowName {
                        group: Some((*parent).to_string()),
                        label: last.clone(),
                        full,
                    }
                } else if last.split_whitespace().count() <= 2 {
                    RowName {
                        group: None,
                        label: full.clone(),
                        full,
                    }
                } else {
                    RowName {
                        group: None,
                        label: last.clone(),
                        full: last.clone(),
                    }
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(label: &[&str]) -> Row {
        Row::new(label.iter().map(|l| l.to_string()).collect(), Vec::new())
    }

    #[test]
    fn repeated_children_go_under_their_parent_and_short_ones_beside_it() {
        let rows = [
            row(&["ISO/IEC 17025", "صدور (بر حسب دامنه)"]),
            row(&["ISO/IEC 17020", "صدور (بر حسب دامنه)"]),
            row(&["سطح ملی", "جمع"]),
            row(&["تهران"]),
            row(&["آموزش", "دوره‌های آموزشی کارشناسان استاندارد"]),
        ];
        let names = row_names(&rows);
        assert_eq!(names[0].group.as_deref(), Some("ISO/IEC 17025"));
        assert_eq!(names[1].label, "صدور (بر حسب دامنه)");
        assert_eq!(names[1].full, "ISO/IEC 17020 – صدور (بر حسب دامنه)");
        assert_eq!(
            (names[2].group.as_ref(), names[2].label.as_str()),
            (None, "سطح ملی – جمع")
        );
        assert_eq!(names[3].full, "تهران");
        assert_eq!(names[4].label, "دوره‌های آموزشی کارشناسان استاندارد");
    }
}
