//! The report as printed (`karnameh check --as-printed`): every correction undone (the
//! `printed` text put back where it was corrected) and every acknowledgement dropped, which is
//! what a reviewer of newly typed content starts from. Only `check` reads it; nothing is built.

use super::{Cell, CellCorrection, ColumnRef, RowNo, SectionField, SectionFile, Table};

/// Undoes the section's corrections and drops its tables' acknowledgements.
pub fn as_printed(section: &mut SectionFile) {
    for c in std::mem::take(&mut section.corrections) {
        match c.field {
            SectionField::Title => section.title = c.printed,
            SectionField::Heading => section.heading = Some(c.printed),
            SectionField::Page => {
                if let Ok(page) = c.printed.trim().parse() {
                    section.page = page;
                }
            }
        }
    }
    for table in &mut section.tables {
        table.discrepancies.clear();
        let refs = table.row_refs();
        for c in std::mem::take(&mut table.corrections) {
            let row = c
                .row
                .as_ref()
                .map(|r| refs.iter().position(|x| x == r).unwrap_or(table.rows.len()));
            undo(table, row, &c);
        }
    }
}

/// Puts `c.printed` back into row `row` (a position; past the rows: the totals row), or into
/// the header when the correction names no row.
fn undo(table: &mut Table, row: Option<usize>, c: &CellCorrection) {
    let Some(row) = row else {
        return undo_header(table, c);
    };
    let numeric = match &c.column {
        Some(ColumnRef::Key(key)) => table
            .column_index(key)
            .map(|i| (i, table.columns[i].ty.is_numeric())),
        _ => None,
    };
    let depth = table.label_headers.len();
    let target = match table.rows.get_mut(row) {
        Some(r) => r.get_mut(),
        None => match table.total.as_mut() {
            Some(t) => t.get_mut(),
            None => return,
        },
    };
    match &c.column {
        Some(ColumnRef::Key(_)) => {
            if let Some((i, numeric)) = numeric
                && let Some(cell) = target.values.get_mut(i)
            {
                *cell = if numeric {
                    printed_cell(&c.printed)
                } else {
                    Cell::text(c.printed.clone())
                };
            }
        }
        Some(ColumnRef::No) => target.more_mut().no = RowNo::try_from(c.printed.clone()).ok(),
        Some(ColumnRef::Label) => target.label = printed_label(&target.label, &c.printed, depth),
        None => {}
    }
}

fn undo_header(table: &mut Table, c: &CellCorrection) {
    match &c.column {
        Some(ColumnRef::Key(key)) => {
            if let Some(i) = table.column_index(key) {
                table.columns[i].label = c.printed.clone();
            }
        }
        Some(ColumnRef::Label) => {
            if let Some(first) = table.label_headers.first_mut() {
                *first = c.printed.clone();
            }
        }
        Some(ColumnRef::No) => table.number_header = c.printed.clone(),
        None => table.caption = c.printed.clone(),
    }
}

/// A row's label as printed: the levels of `printed` joined by ` — `, or one level. A level
/// printed alone that equals one of the corrected levels means the others were filled in.
fn printed_label(label: &[String], printed: &str, depth: usize) -> Vec<String> {
    let levels: Vec<&str> = printed.split(" — ").collect();
    if levels.len() == depth.max(1) && depth > 1 {
        return levels.iter().map(|l| (*l).to_string()).collect();
    }
    let mut out = label.to_vec();
    out.resize(depth.max(1), String::new());
    if printed.is_empty() {
        return vec![String::new(); out.len()];
    }
    if let Some(kept) = out.iter().position(|l| l == printed) {
        return (0..out.len())
            .map(|i| {
                if i == kept {
                    printed.to_string()
                } else {
                    String::new()
                }
            })
            .collect();
    }
    let closest = (0..out.len())
        .max_by_key(|&i| shared_chars(&out[i], printed))
        .unwrap_or(0);
    out[closest] = printed.to_string();
    out
}

fn shared_chars(a: &str, b: &str) -> usize {
    a.chars().filter(|c| b.contains(*c)).count()
}

/// A printed figure as a cell: `39,062` and `۶۳۰` are numbers, anything else text.
fn printed_cell(printed: &str) -> Cell {
    let ascii: String = printed
        .chars()
        .filter(|c| !matches!(c, ',' | '٬'))
        .map(|c| match c {
            '۰'..='۹' => char::from_digit(c as u32 - '۰' as u32, 10).unwrap_or(c),
            '٫' => '.',
            other => other,
        })
        .collect();
    if let Ok(i) = ascii.parse::<i64>() {
        return Cell::Integer(i);
    }
    match ascii.parse::<f64>() {
        Ok(d) if d.is_finite() && ascii.contains('.') => Cell::Decimal(d),
        _ => Cell::text(printed.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_figures_become_numbers_and_words_stay_text() {
        assert_eq!(printed_cell("۶۳۰"), Cell::Integer(630));
        assert_eq!(printed_cell("39,062"), Cell::Integer(39062));
        assert_eq!(printed_cell("۱۲٫۵"), Cell::Decimal(12.5));
        assert_eq!(printed_cell("تعداد"), Cell::text("تعداد"));
        assert_eq!(printed_cell(""), Cell::text(String::new()));
    }

    #[test]
    fn a_printed_label_replaces_the_levels_it_names() {
        let label = vec!["تدوین".to_string(), "استان".to_string()];
        assert_eq!(printed_label(&label, "استان", 2), ["", "استان"]);
        assert_eq!(printed_label(&label, "الف — ب", 2), ["الف", "ب"]);
        assert_eq!(printed_label(&label, "", 2), ["", ""]);
        assert_eq!(printed_label(&label, "تدوین و", 2), ["تدوین و", "استان"]);
    }
}
