//! Cross-table checks: figures one table shares with another, as its `[[tables.links]]` say.

use crate::content::{Link, LinkBy, Table};
use crate::load::LoadedYear;
use crate::validate::{Finding, RowAt, Severity, data_rows, fmt};
use std::collections::BTreeMap;

/// A row found on one side of a link.
type Side<'t> = RowAt<'t>;

pub fn check_links(year: &LoadedYear, findings: &mut Vec<Finding>) {
    let tables: BTreeMap<&str, &Table> = year
        .sections
        .iter()
        .flat_map(|s| s.data.tables.iter().map(|t| (t.id.as_str(), t)))
        .collect();
    for section in &year.sections {
        for table in &section.data.tables {
            for link in &table.links {
                let mut emit = |severity: Severity,
                                at: Option<(String, usize)>,
                                message: String,
                                found: Option<(String, String)>| {
                    let (row, line) = match at {
                        Some((r, offset)) => (Some(r), section.lines.line(offset)),
                        None => (None, 1),
                    };
                    let acknowledged = severity == Severity::Error
                        && table.discrepancies.iter().any(|d| {
                            d.rule == "link"
                                && Some(&d.row) == row.as_ref()
                                && d.column == link.column
                        });
                    findings.push(Finding {
                        severity,
                        file: section.path.clone(),
                        line,
                        page: table.page.unwrap_or(section.data.page),
                        table: Some(table.id.to_string()),
                        row,
                        column: Some(link.column.clone()),
                        rule: "link",
                        expected: found.as_ref().map(|f| f.0.clone()),
                        found: found.map(|f| f.1),
                        message,
                        acknowledged,
                    });
                };
                match tables.get(link.table.as_str()) {
                    None => emit(
                        Severity::Structure,
                        None,
                        format!("link to unknown table `{}`", link.table),
                        None,
                    ),
                    Some(other) => compare(table, other, link, &mut emit),
                }
            }
        }
    }
}

type Emit<'e> = dyn FnMut(Severity, Option<(String, usize)>, String, Option<(String, String)>) + 'e;

fn compare(table: &Table, other: &Table, link: &Link, emit: &mut Emit) {
    let Some(column) = column_index(table, &link.column) else {
        return emit(
            Severity::Structure,
            None,
            format!("link names unknown column `{}`", link.column),
            None,
        );
    };
    let pairs = match link.by {
        LinkBy::Rows => pair_rows(table, other, link),
        LinkBy::Columns => pair_columns(table, other, link),
    };
    let pairs = match pairs {
        Ok(p) => p,
        Err(message) => return emit(Severity::Structure, None, message, None),
    };
    for (mine, theirs, their_column) in pairs {
        let (Some(a), Some(b)) = (
            mine.row.number(column),
            theirs.as_ref().and_then(|t| t.row.number(their_column)),
        ) else {
            if theirs.is_none() {
                let message = format!(
                    "row `{}` has no matching row in {}",
                    mine.reference, other.id
                );
                emit(
                    Severity::Error,
                    Some((mine.reference.clone(), mine.offset)),
                    message,
                    None,
                );
            }
            continue;
        };
        if (a - b).abs() > 1e-6 {
            let theirs = theirs.expect("a number was read from it");
            let message = format!(
                "{} but {} row {} column {} is {}",
                fmt(a),
                other.id,
                theirs.reference,
                other.columns[their_column].key,
                fmt(b)
            );
            emit(
                Severity::Error,
                Some((mine.reference.clone(), mine.offset)),
                message,
                Some((fmt(b), fmt(a))),
            );
        }
    }
}

type Pair<'t> = (Side<'t>, Option<Side<'t>>, usize);

fn pair_rows<'t>(table: &'t Table, other: &'t Table, link: &Link) -> Result<Vec<Pair<'t>>, String> {
    let other_key = link.other_column.as_deref().unwrap_or(&link.column);
    let their_column = column_index(other, other_key)
        .ok_or_else(|| format!("link names unknown column `{other_key}` of {}", other.id))?;
    let mine = sides(table);
    let theirs = sides(other);
    if let Some(row) = &link.row {
        let other_row = link.other_row.as_deref().unwrap_or(row);
        let a = take(mine, row).ok_or_else(|| format!("link names unknown row `{row}`"))?;
        let b = take(theirs, other_row)
            .ok_or_else(|| format!("link names unknown row `{other_row}` of {}", other.id))?;
        return Ok(vec![(a, Some(b), their_column)]);
    }
    let mut by_label: BTreeMap<String, Side> =
        theirs.into_iter().map(|s| (label_key(&s), s)).collect();
    Ok(mine
        .into_iter()
        .filter(|s| s.row.heading.is_none())
        .map(|s| {
            let matched = by_label.remove(&label_key(&s));
            (s, matched, their_column)
        })
        .collect())
}

fn pair_columns<'t>(
    table: &'t Table,
    other: &'t Table,
    link: &Link,
) -> Result<Vec<Pair<'t>>, String> {
    let other_row = link.other_row.as_deref().unwrap_or("total");
    let source = take(sides(other), other_row)
        .ok_or_else(|| format!("link names unknown row `{other_row}` of {}", other.id))?;
    let mut pairs = Vec::new();
    for side in sides(table).into_iter().filter(|s| s.row.heading.is_none()) {
        let label = if side.reference == "total" {
            None
        } else {
            side.row.label.last().map(|l| normalize(l))
        };
        let column = match label {
            Some(label) => other
                .columns
                .iter()
                .position(|c| normalize(&c.label) == label),
            None => other
                .columns
                .iter()
                .position(|c| c.role == Some(crate::content::Role::Total)),
        };
        let matched = column.map(|_| Side {
            reference: source.reference.clone(),
            offset: source.offset,
            row: source.row,
        });
        pairs.push((side, matched, column.unwrap_or(0)));
    }
    Ok(pairs)
}

fn sides(table: &Table) -> Vec<Side<'_>> {
    data_rows(table)
}

fn take<'t>(sides: Vec<Side<'t>>, reference: &str) -> Option<Side<'t>> {
    sides.into_iter().find(|s| s.reference == reference)
}

/// Rows are matched by label; totals rows match each other whatever their printed label.
fn label_key(side: &Side) -> String {
    if side.reference == "total" {
        return "\u{0}total".into();
    }
    side.row
        .label
        .iter()
        .map(|l| normalize(l))
        .collect::<Vec<_>>()
        .join("/")
}

/// Compares labels without the differences the report itself is inconsistent about.
fn normalize(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{200C}')
        .collect()
}

fn column_index(table: &Table, key: &str) -> Option<usize> {
    table.columns.iter().position(|c| c.key == key)
}
