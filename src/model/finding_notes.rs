//! What the review page says about a finding: its explanation (the likeliest fix `check`
//! found, never applied) in readers' words, and the findings a draft publishes unresolved.
//! Figures stay numbers and digits stay ASCII here; the template localizes them.

use super::ids::row_anchor;
use super::notes::correction_place;
use super::view::{ChangeNote, DiscrepancyNote, ExplanationNote, FindingNote};
use crate::config::DigitStyle;
use crate::content::{ColumnRef, RowRef, Table, TableId};
use crate::diagnostics::{Explanation, Finding, Misreading, Rule};
use crate::load::LoadedYear;
use crate::numfmt::localize_text;
use crate::routes::Route;

/// Where a table's notes link to: its page and the year it is in.
pub struct NotesAt<'a> {
    pub page: u32,
    pub route: &'a Route,
    pub year: &'a LoadedYear,
    pub digits: DigitStyle,
}

/// The table's acknowledged discrepancies, each with the explanation of its finding.
pub fn discrepancy_notes(
    table: &Table,
    at: &NotesAt,
    findings: &[&Finding],
) -> Vec<DiscrepancyNote> {
    table
        .discrepancies
        .iter()
        .map(|d| {
            let anchor = d
                .row
                .as_ref()
                .map_or_else(|| table.id.to_string(), |r| row_anchor(&table.id, r));
            let explanation = findings
                .iter()
                .find(|f| {
                    f.acknowledged
                        && f.rule == d.rule
                        && f.row() == d.row.as_ref()
                        && f.column() == d.column.as_ref()
                })
                .and_then(|f| f.explanation())
                .and_then(|e| explanation_note(e, at.year));
            DiscrepancyNote {
                table: table.id.to_string(),
                caption: table.caption.clone(),
                route: at.route.clone(),
                anchor,
                row: d.row.as_ref().map(ToString::to_string).unwrap_or_default(),
                column: d
                    .column
                    .as_ref()
                    .map(|c| table.column_label(c, " / "))
                    .unwrap_or_default(),
                rule: d.rule.name().to_string(),
                note: localize_text(&d.note, at.digits),
                page: at.page,
                explanation,
            }
        })
        .collect()
}

/// The table's errors a draft publishes unresolved.
pub fn open_notes(table: &Table, at: &NotesAt, findings: &[&Finding]) -> Vec<FindingNote> {
    findings
        .iter()
        .filter(|f| f.fails_check())
        .map(|f| {
            let anchor = f
                .row()
                .map_or_else(|| table.id.to_string(), |r| row_anchor(&table.id, r));
            FindingNote {
                table: table.id.to_string(),
                route: at.route.clone(),
                anchor,
                place: correction_place(table, f.row(), f.column(), at.digits),
                rule: f.rule.name().to_string(),
                message: f.message.clone(),
                page: at.page,
                explanation: f.explanation().and_then(|e| explanation_note(e, at.year)),
            }
        })
        .collect()
}

/// The first suggestion of `explanation`, as the review page shows it.
pub fn explanation_note(explanation: &Explanation, year: &LoadedYear) -> Option<ExplanationNote> {
    let best = explanation.suggestions.first()?;
    let changes = best
        .changes
        .iter()
        .map(|c| ChangeNote {
            place: cell_place(year, &c.table, c.page, &c.row, &c.column),
            printed: c.printed,
            probably: c.probably,
            ty: if c.percent { "percent" } else { "integer" },
        })
        .collect();
    let mut agrees: Vec<String> = Vec::new();
    for a in &best.agrees {
        let words = rule_words(a.rule, a.page);
        if !agrees.contains(&words) {
            agrees.push(words);
        }
    }
    let rotated = best.misreading == Some(Misreading::RotatedRows);
    let rows = rotated.then(|| rotated_rows(best)).flatten();
    Some(ExplanationNote {
        kind: match (rotated, best.changes.len()) {
            (true, _) => "rotate",
            (false, 1) => "set",
            (false, _) => "swap",
        },
        rows,
        changes,
        misreading: best.misreading.and_then(misreading_words),
        agrees: join(&agrees),
        ties: best.ties,
    })
}

/// `جدول صفحه 4، ردیف 1، برنامه سال ۱۴۰۰`.
pub fn cell_place(
    year: &LoadedYear,
    table: &TableId,
    page: u32,
    row: &RowRef,
    column: &crate::content::ColumnKey,
) -> String {
    let label = find_table(year, table).map_or_else(
        || column.to_string(),
        |t| t.column_label(&ColumnRef::Key(column.clone()), " / "),
    );
    format!("جدول صفحه {page}، {}، {label}", row_words(row))
}

/// `جدول صفحه 38، ردیف‌های 20، 21 و 22`: the rows a rotation moves, in order.
fn rotated_rows(best: &crate::diagnostics::Suggestion) -> Option<String> {
    let first = best.changes.first()?;
    let mut rows: Vec<String> = Vec::new();
    for c in &best.changes {
        let words = row_words(&c.row).replace("ردیف ", "");
        if !rows.contains(&words) {
            rows.push(words);
        }
    }
    Some(format!("جدول صفحه {}، ردیف‌های {}", first.page, join(&rows)))
}

pub fn row_words(row: &RowRef) -> String {
    match row {
        RowRef::Total => "ردیف جمع".to_string(),
        RowRef::Position(n) => format!("ردیف {n}"),
        RowRef::No(no) => format!("ردیف {no}"),
    }
}

fn find_table<'y>(year: &'y LoadedYear, id: &TableId) -> Option<&'y Table> {
    year.sections
        .iter()
        .flat_map(|s| &s.data.tables)
        .find(|t| &t.id == id)
}

/// What agrees after the change, in readers' words.
fn rule_words(rule: Rule, page: u32) -> String {
    match rule {
        Rule::Achievement => "درصد تحقق".into(),
        Rule::Total => "جمع ستون".into(),
        Rule::Subtotal => "جمع جزء".into(),
        Rule::RowTotal => "جمع سطر".into(),
        Rule::PassFail => "جمع مطابق و مغایر".into(),
        Rule::Share => "درصد سهم".into(),
        Rule::Link => format!("رقم جدول صفحه {page}"),
        other => other.name().to_string(),
    }
}

fn misreading_words(how: Misreading) -> Option<String> {
    Some(match how {
        Misreading::Digit { printed, meant } => format!("رقم {meant} به صورت {printed} خوانده شده"),
        Misreading::DroppedDigit => "رقمی از قلم افتاده".into(),
        Misreading::DoubledDigit => "رقمی دو بار آمده".into(),
        Misreading::SwappedDigits => "دو رقم پس و پیش شده‌اند".into(),
        Misreading::SwappedCells | Misreading::RotatedRows => return None,
    })
}

/// `الف`، `الف و ب`، `الف، ب و ج`.
fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} و {last}", rest.join("، ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persian_lists_and_misreadings() {
        assert_eq!(join(&["الف".into(), "ب".into(), "ج".into()]), "الف، ب و ج");
        assert_eq!(
            misreading_words(Misreading::Digit {
                printed: '6',
                meant: '4'
            })
            .as_deref(),
            Some("رقم 4 به صورت 6 خوانده شده")
        );
        assert_eq!(rule_words(Rule::Link, 7), "رقم جدول صفحه 7");
    }
}
