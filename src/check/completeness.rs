//! A draft year's progress: how many of each table's cells are filled in. Empty cells of a
//! draft are "to be filled", never errors; this says how far along each table is.

use super::SectionAt;
use crate::content::Table;
use crate::diagnostics::{Finding, Place, Rule};
use crate::load::LoadedYear;

/// Filled cells and all cells of `table`: every value cell of its rows and totals row, but
/// its `unit` columns, which name the row's measure.
pub fn filled(table: &Table) -> (usize, usize) {
    let columns: Vec<usize> = table.value_columns().collect();
    let mut counts = (0, 0);
    for (_, row) in table.identified_rows() {
        for &i in &columns {
            counts.1 += 1;
            counts.0 += usize::from(row.values.get(i).is_some_and(|c| !c.is_empty()));
        }
    }
    counts
}

/// `12 of 105 cells filled (11%)`: rounded down, so that only a complete table says 100%.
fn progress(filled: usize, cells: usize) -> String {
    let percent = (filled * 100).checked_div(cells).unwrap_or(100);
    format!("{filled} of {cells} cells filled ({percent}%)")
}

pub fn check(year: &LoadedYear, out: &mut Vec<Finding>) {
    if !year.meta.draft {
        return;
    }
    let mut total = (0, 0);
    for section in &year.sections {
        let at = SectionAt::new(section, year.meta.year);
        for table in &section.data.tables {
            let (done, cells) = filled(table);
            if cells == 0 {
                continue;
            }
            total = (total.0 + done, total.1 + cells);
            let message = format!("to be filled: {}", progress(done, cells));
            out.push(at.finding(Rule::Completeness, table.span.start, Some(table), message));
        }
    }
    let place = Place {
        year: year.meta.year,
        file: year.meta_path.clone(),
    };
    let message = format!(
        "draft year {}: {} in all (remove `draft = true` from year.toml when it is complete)",
        year.meta.year,
        progress(total.0, total.1)
    );
    out.push(Finding::new(Rule::Completeness, &place, 1, 0, message));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_rounds_down_and_an_empty_table_is_complete() {
        assert_eq!(progress(0, 105), "0 of 105 cells filled (0%)");
        assert_eq!(progress(104, 105), "104 of 105 cells filled (99%)");
        assert_eq!(progress(0, 0), "0 of 0 cells filled (100%)");
    }
}
