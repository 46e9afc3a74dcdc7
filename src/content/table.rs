//! What can be asked of a table: its rows with the references `docs/content-format.md`
//! defines, its columns by role, its header path. Checks, charts, the model and the downloads
//! all ask the table itself rather than keeping copies of these rules.

use super::{Column, ColumnKey, ColumnRef, Role, Row, RowKey, RowRef, Table};
use std::collections::BTreeMap;

/// A row with its reference and where it is written (the byte offset of its span).
#[derive(Debug, Clone, Copy)]
pub struct RowAt<'t> {
    pub reference: &'t RowRef,
    pub offset: usize,
    pub row: &'t Row,
}

/// Who a row is across the years of a series: its `key`, else its label path; the totals row
/// is the totals row of every year.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum RowIdentity {
    Total,
    Key(RowKey),
    Label(Vec<String>),
}

/// The three columns of one plan/actual/achievement-% group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Triple {
    pub plan: usize,
    pub actual: usize,
    pub pct: usize,
}

impl Table {
    /// Each row's reference: its printed number when unique in the table, else `#position`.
    pub fn row_refs(&self) -> Vec<RowRef> {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for row in &self.rows {
            if let Some(no) = &row.get_ref().no() {
                *counts.entry(no.as_str()).or_default() += 1;
            }
        }
        self.rows
            .iter()
            .enumerate()
            .map(|(i, row)| match row.get_ref().no() {
                Some(no) if counts[no.as_str()] == 1 => RowRef::No(no.clone()),
                _ => RowRef::Position(i + 1),
            })
            .collect()
    }

    /// The rows with the totals row last, each with its reference (from `refs`, which must
    /// be this table's `row_refs`) and its position in the file.
    pub fn rows_at<'t>(&'t self, refs: &'t [RowRef]) -> Vec<RowAt<'t>> {
        let mut rows: Vec<RowAt> = self
            .rows
            .iter()
            .zip(refs)
            .map(|(r, reference)| RowAt {
                reference,
                offset: r.span().start,
                row: r.get_ref(),
            })
            .collect();
        if let Some(total) = &self.total {
            rows.push(RowAt {
                reference: &RowRef::Total,
                offset: total.span().start,
                row: total.get_ref(),
            });
        }
        rows
    }

    /// Rows that carry a row's own figures: no heading rows, subtotals or the totals row.
    pub fn value_rows(&self) -> impl Iterator<Item = &Row> {
        self.rows
            .iter()
            .map(|r| r.get_ref())
            .filter(|r| r.heading().is_none() && !r.subtotal())
    }

    pub fn columns_with(&self, role: Role) -> Vec<usize> {
        self.columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.role == Some(role))
            .map(|(i, _)| i)
            .collect()
    }

    /// The first column with `role`.
    pub fn column_with(&self, role: Role) -> Option<usize> {
        self.columns.iter().position(|c| c.role == Some(role))
    }

    pub fn column_index(&self, key: &ColumnKey) -> Option<usize> {
        self.columns.iter().position(|c| &c.key == key)
    }

    pub fn column(&self, key: &ColumnKey) -> Option<&Column> {
        self.columns.iter().find(|c| &c.key == key)
    }

    /// Whether `column` names a column of this table.
    pub fn has_column(&self, column: &ColumnRef) -> bool {
        match column {
            ColumnRef::Label | ColumnRef::No => true,
            ColumnRef::Key(key) => self.column_index(key).is_some(),
        }
    }

    /// (plan, actual, pct) column triples: per header group, or the table's only triple.
    pub fn achievement_triples(&self) -> Vec<Triple> {
        let (plans, actuals, pcts) = (
            self.columns_with(Role::Plan),
            self.columns_with(Role::Actual),
            self.columns_with(Role::Pct),
        );
        if plans.len() == 1 && actuals.len() == 1 && pcts.len() == 1 {
            return vec![Triple {
                plan: plans[0],
                actual: actuals[0],
                pct: pcts[0],
            }];
        }
        let group = |i: usize| &self.columns[i].group;
        plans
            .iter()
            .filter_map(|&plan| {
                let actual = actuals.iter().copied().find(|&a| group(a) == group(plan))?;
                let pct = pcts.iter().copied().find(|&s| group(s) == group(plan))?;
                Some(Triple { plan, actual, pct })
            })
            .collect()
    }

    /// A column's header path, outermost group first, its own label last.
    pub fn header_path(&self, index: usize) -> Vec<&str> {
        let column = &self.columns[index];
        column
            .group
            .iter()
            .map(String::as_str)
            .chain([column.label.as_str()])
            .collect()
    }

    /// The header text of `column` as readers see it, groups joined by `separator`.
    pub fn column_label(&self, column: &ColumnRef, separator: &str) -> String {
        match column {
            ColumnRef::Label => self.label_headers.first().cloned().unwrap_or_default(),
            ColumnRef::No => self.number_header.clone(),
            ColumnRef::Key(key) => match self.column_index(key) {
                Some(i) => self.header_path(i).join(separator),
                None => key.to_string(),
            },
        }
    }

    /// The columns a later year compares with the previous year's (by key): what the table
    /// reports as done: actuals, values, row totals.
    pub fn compared_columns(&self) -> Vec<usize> {
        self.columns
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                c.ty.is_numeric()
                    && matches!(c.role, Some(Role::Actual | Role::Value | Role::Total))
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// The rows that carry figures (no heading rows), totals last, each with its identity
    /// across years.
    pub fn identified_rows(&self) -> Vec<(RowIdentity, &Row)> {
        let rows = self.rows.iter().map(|r| r.get_ref());
        rows.filter(|r| r.heading().is_none())
            .map(|r| (r.identity(), r))
            .chain(self.total.iter().map(|t| (RowIdentity::Total, t.get_ref())))
            .collect()
    }

    /// The columns that hold the year's figures: all but `unit` columns, which name the
    /// measure of a row as its label does.
    pub fn value_columns(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.columns.len()).filter(|&i| self.columns[i].role != Some(Role::Unit))
    }

    /// Whether the table prints a row-number column.
    pub fn has_number_column(&self) -> bool {
        !self.number_header.is_empty()
    }

    /// Header rows above the columns: one, plus one per level of `group`.
    pub fn header_depth(&self) -> usize {
        self.columns
            .iter()
            .map(|c| c.group.len())
            .max()
            .unwrap_or(0)
            + 1
    }
}

impl Row {
    /// Who the row is across years (not meaningful for the totals row: see
    /// [`Table::identified_rows`]).
    pub fn identity(&self) -> RowIdentity {
        match self.key() {
            Some(key) => RowIdentity::Key(key.clone()),
            None => RowIdentity::Label(
                self.label
                    .iter()
                    .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                    .collect(),
            ),
        }
    }

    /// The label as one text (`تدوین – استان`), or the row's number when it has no label.
    pub fn label_text(&self) -> String {
        let parts: Vec<&str> = self
            .label
            .iter()
            .map(String::as_str)
            .filter(|l| !l.is_empty())
            .collect();
        if parts.is_empty() {
            self.no()
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default()
        } else {
            parts.join(" – ")
        }
    }

    /// The deepest non-empty label level: where a row's label mark is shown.
    pub fn last_label_level(&self) -> usize {
        self.label.iter().rposition(|l| !l.is_empty()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::SectionFile;
    use crate::source::parse_toml;
    use std::path::Path;

    fn table(toml: &str) -> Table {
        let text =
            format!("title = \"s\"\npage = 1\n[[tables]]\nid = \"T1\"\ncaption = \"c\"\n{toml}");
        parse_toml::<SectionFile>(Path::new("t.toml"), &text)
            .unwrap()
            .tables
            .remove(0)
    }

    #[test]
    fn rows_are_named_by_a_unique_number_or_their_position() {
        let t = table(
            "kind = \"list\"\ncolumns = []\nrows = [ { no = \"1\" }, { no = \"2\" }, { no = \"2\" }, {} ]\ntotal = {}\n",
        );
        let refs: Vec<String> = t.row_refs().iter().map(ToString::to_string).collect();
        assert_eq!(refs, ["1", "#2", "#3", "#4"]);
        let refs = t.row_refs();
        let at: Vec<String> = t
            .rows_at(&refs)
            .iter()
            .map(|r| r.reference.to_string())
            .collect();
        assert_eq!(at, ["1", "#2", "#3", "#4", "total"]);
    }

    #[test]
    fn triples_pair_columns_of_one_group_and_labels_join_the_path() {
        let t = table(
            r#"kind = "plan-actual"
columns = [
  { key = "p1", label = "برنامه", role = "plan", group = ["اجباری"] },
  { key = "a1", label = "عملکرد", role = "actual", group = ["اجباری"] },
  { key = "s1", label = "درصد", role = "pct", group = ["اجباری"] },
  { key = "p2", label = "برنامه", role = "plan", group = ["تشویقی"] },
  { key = "a2", label = "عملکرد", role = "actual", group = ["تشویقی"] },
  { key = "s2", label = "درصد", role = "pct", group = ["تشویقی"] },
]
"#,
        );
        let triples = t.achievement_triples();
        assert_eq!(
            triples,
            [
                Triple {
                    plan: 0,
                    actual: 1,
                    pct: 2
                },
                Triple {
                    plan: 3,
                    actual: 4,
                    pct: 5
                }
            ]
        );
        let key = ColumnRef::try_from("a2".to_string()).unwrap();
        assert_eq!(t.column_label(&key, " — "), "تشویقی — عملکرد");
        assert_eq!(t.header_depth(), 2);
        assert!(
            t.has_column(&ColumnRef::Label)
                && !t.has_column(&ColumnRef::try_from("x".to_string()).unwrap())
        );
    }
}
