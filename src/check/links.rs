//! Cross-table checks: figures one table shares with another, as its `[[tables.links]]` say.

use super::SectionAt;
use crate::content::{ColumnKey, ColumnRef, Link, LinkBy, Role, RowAt, RowRef, Table, TableId};
use crate::diagnostics::{Finding, Rule};
use crate::load::LoadedYear;
use crate::numfmt::plain;
use std::collections::BTreeMap;

pub fn check_links(year: &LoadedYear, out: &mut Vec<Finding>) {
    let tables: BTreeMap<&TableId, &Table> = year
        .sections
        .iter()
        .flat_map(|s| s.data.tables.iter().map(|t| (&t.id, t)))
        .collect();
    for section in &year.sections {
        let at = SectionAt::new(section, year.meta.year);
        for table in &section.data.tables {
            let refs = table.row_refs();
            for link in &table.links {
                let check = LinkCheck {
                    at: &at,
                    table,
                    refs: &refs,
                    link,
                };
                match tables.get(&link.table) {
                    None => {
                        out.push(check.broken(format!("link to unknown table `{}`", link.table)))
                    }
                    Some(other) => check.compare(other, out),
                }
            }
        }
    }
}

struct LinkCheck<'a> {
    at: &'a SectionAt<'a>,
    table: &'a Table,
    refs: &'a [RowRef],
    link: &'a Link,
}

/// A row of this table, the row of the other table it restates (if any), and the other
/// table's column to read.
type Pair<'t> = (RowAt<'t>, Option<RowAt<'t>>, usize);

impl<'a> LinkCheck<'a> {
    fn column_ref(&self) -> ColumnRef {
        ColumnRef::Key(self.link.column.clone())
    }

    /// The link itself is wrong: it names a table, row or column that does not exist.
    fn broken(&self, message: String) -> Finding {
        self.at
            .finding(Rule::LinkTarget, 0, Some(self.table), message)
            .at_column(self.column_ref())
    }

    fn compare(&self, other: &'a Table, out: &mut Vec<Finding>) {
        let Some(column) = self.table.column_index(&self.link.column) else {
            return out
                .push(self.broken(format!("link names unknown column `{}`", self.link.column)));
        };
        let other_refs = other.row_refs();
        let pairs = match self.link.by {
            LinkBy::Rows => self.pair_rows(other, &other_refs),
            LinkBy::Columns => self.pair_columns(other, &other_refs),
        };
        let pairs = match pairs {
            Ok(p) => p,
            Err(message) => return out.push(self.broken(message)),
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
                    out.push(self.mismatch(&mine, message, None));
                }
                continue;
            };
            if (a - b).abs() > 1e-6 {
                let Some(theirs) = theirs else { continue };
                let message = format!(
                    "{} but {} row {} column {} is {}",
                    plain(a),
                    other.id,
                    theirs.reference,
                    other.columns[their_column].key,
                    plain(b)
                );
                out.push(self.mismatch(&mine, message, Some((plain(b), plain(a)))));
            }
        }
    }

    fn mismatch(
        &self,
        mine: &RowAt,
        message: String,
        compared: Option<(String, String)>,
    ) -> Finding {
        let finding = self
            .at
            .finding(Rule::Link, mine.offset, Some(self.table), message)
            .at_row(mine.reference.clone())
            .at_column(self.column_ref());
        match compared {
            Some((expected, found)) => finding.comparing(expected, found),
            None => finding,
        }
    }

    fn pair_rows<'t>(
        &'t self,
        other: &'t Table,
        other_refs: &'t [RowRef],
    ) -> Result<Vec<Pair<'t>>, String> {
        let other_key: &ColumnKey = self.link.other_column.as_ref().unwrap_or(&self.link.column);
        let their_column = other
            .column_index(other_key)
            .ok_or_else(|| format!("link names unknown column `{other_key}` of {}", other.id))?;
        let mine = self.table.rows_at(self.refs);
        let theirs = other.rows_at(other_refs);
        if let Some(row) = &self.link.row {
            let other_row = self.link.other_row.as_ref().unwrap_or(row);
            let a = find(&mine, row).ok_or_else(|| format!("link names unknown row `{row}`"))?;
            let b = find(&theirs, other_row)
                .ok_or_else(|| format!("link names unknown row `{other_row}` of {}", other.id))?;
            return Ok(vec![(a, Some(b), their_column)]);
        }
        let mut by_label: BTreeMap<String, RowAt> =
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
        &'t self,
        other: &'t Table,
        other_refs: &'t [RowRef],
    ) -> Result<Vec<Pair<'t>>, String> {
        let other_row = self.link.other_row.as_ref().unwrap_or(&RowRef::Total);
        let source = find(&other.rows_at(other_refs), other_row)
            .ok_or_else(|| format!("link names unknown row `{other_row}` of {}", other.id))?;
        let mut pairs = Vec::new();
        for side in self
            .table
            .rows_at(self.refs)
            .into_iter()
            .filter(|s| s.row.heading.is_none())
        {
            let label = if *side.reference == RowRef::Total {
                None
            } else {
                side.row.label.last().map(|l| normalize(l))
            };
            let column = match label {
                Some(label) => other
                    .columns
                    .iter()
                    .position(|c| normalize(&c.label) == label),
                None => other.column_with(Role::Total),
            };
            pairs.push((side, column.map(|_| source), column.unwrap_or(0)));
        }
        Ok(pairs)
    }
}

fn find<'t>(rows: &[RowAt<'t>], reference: &RowRef) -> Option<RowAt<'t>> {
    rows.iter().find(|s| s.reference == reference).copied()
}

/// Rows are matched by label; totals rows match each other whatever their printed label.
fn label_key(side: &RowAt) -> String {
    if *side.reference == RowRef::Total {
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
