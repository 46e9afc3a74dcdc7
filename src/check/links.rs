//! Cross-table checks: figures one table shares with another, as its `[[tables.links]]` say.
//! Each link is resolved into pairs of cells; the check compares them, the explanation search
//! and the link coverage read the same pairs.

use super::SectionAt;
use super::relations::{self, CellId, Constraint, Relation};
use super::tables::{TableAt, YearTables};
use crate::content::{ColumnKey, ColumnRef, Link, LinkBy, Role, RowAt, RowRef, Table};
use crate::diagnostics::{Finding, Rule};
use crate::load::LoadedYear;
use std::collections::BTreeMap;

/// A cell of one table and the cell of another table that it restates, or the cells whose
/// sum it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkPair {
    pub mine: CellId,
    pub theirs: Vec<CellId>,
}

impl LinkPair {
    /// The link as a constraint, over the cells that hold numbers (`None`: nothing to compare).
    pub fn constraint(&self, tables: &YearTables) -> Option<Constraint> {
        tables.number(self.mine)?;
        let parts: Vec<CellId> = self
            .theirs
            .iter()
            .copied()
            .filter(|c| tables.number(*c).is_some())
            .collect();
        let relation = match (self.theirs.as_slice(), parts.as_slice()) {
            ([_], [one]) => Relation::Equal {
                mine: self.mine,
                theirs: *one,
            },
            (_, []) | ([_], _) => return None,
            _ => Relation::Sum {
                total: self.mine,
                parts,
            },
        };
        Some(Constraint {
            rule: Rule::Link,
            relation,
        })
    }
}

/// What the year's links pair up, and the links (or rows) that cannot be paired.
#[derive(Default)]
pub struct YearLinks {
    pub pairs: Vec<LinkPair>,
    pub unpaired: Vec<Finding>,
}

/// Every link of the year resolved into pairs of cells.
pub fn resolve(year: &LoadedYear, tables: &YearTables) -> YearLinks {
    let mut links = YearLinks::default();
    for (number, mine) in tables.tables.iter().enumerate() {
        let at = SectionAt::new(&year.sections[mine.section], year.meta.year);
        let number = u32::try_from(number).unwrap_or(u32::MAX);
        for link in &mine.table.links {
            let resolver = Resolver {
                at: &at,
                mine,
                number,
                link,
            };
            match tables.position(&link.table) {
                None => links
                    .unpaired
                    .push(resolver.broken(format!("link to unknown table `{}`", link.table))),
                Some(other) => resolver.pair(tables, other, &mut links),
            }
        }
    }
    links
}

/// The findings of the year's links: pairs whose figures differ, and links that cannot be
/// paired.
pub fn check_links(year: &LoadedYear, tables: &YearTables, out: &mut Vec<Finding>) {
    let links = resolve(year, tables);
    out.extend(links.unpaired);
    for pair in links.pairs {
        let Some(constraint) = pair.constraint(tables) else {
            continue;
        };
        let value = |cell| tables.number(cell).unwrap_or(0.0);
        let reading = constraint.read(&value);
        if !constraint.holds(reading) {
            out.push(mismatch(year, tables, &constraint, &value));
        }
    }
}

/// "T010 row total column plan": how a link's message names the other cell.
pub fn cell_name(tables: &YearTables, cell: CellId) -> String {
    cells_name(tables, &[cell])
}

/// "T069 rows 1, #2 column plan": cells by table and column, with their rows.
pub fn cells_name(tables: &YearTables, cells: &[CellId]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut rest = cells;
    while let Some(first) = rest.first() {
        let same = rest
            .iter()
            .take_while(|c| c.table == first.table && c.column == first.column)
            .count();
        let table = tables.at(first.table);
        let column = &table.table.columns[usize::from(first.column)].key;
        let rows: Vec<String> = rest[..same]
            .iter()
            .map(|c| table.reference(c.row as usize).to_string())
            .collect();
        let word = if rows.len() == 1 { "row" } else { "rows" };
        parts.push(format!(
            "{} {word} {} column {column}",
            table.table.id,
            rows.join(", ")
        ));
        rest = &rest[same..];
    }
    parts.join(" and ")
}

/// How a link's message names the other side of `constraint`.
pub fn other_name(tables: &YearTables, constraint: &Constraint) -> String {
    match &constraint.relation {
        Relation::Equal { theirs, .. } => cell_name(tables, *theirs),
        Relation::Sum { parts, .. } => cells_name(tables, parts),
        _ => String::new(),
    }
}

/// The finding of a link whose two figures differ, reported on this table's cell.
pub fn mismatch(
    year: &LoadedYear,
    tables: &YearTables,
    constraint: &Constraint,
    value: &impl Fn(CellId) -> f64,
) -> Finding {
    let mine = constraint.at();
    let table = tables.at(mine.table);
    let at = SectionAt::new(&year.sections[table.section], year.meta.year);
    let rows = table.rows();
    let row = &rows[mine.row as usize];
    let (expected, found) = constraint.read(value).compared();
    let message = relations::message(constraint, value, &other_name(tables, constraint));
    let key = ColumnRef::Key(table.table.columns[usize::from(mine.column)].key.clone());
    at.finding(Rule::Link, row.offset, Some(table.table), message)
        .at_row(row.reference.clone())
        .at_column(key)
        .comparing(expected, found)
}

struct Resolver<'a> {
    at: &'a SectionAt<'a>,
    mine: &'a TableAt<'a>,
    number: u32,
    link: &'a Link,
}

/// A row of this table, the rows of the other table it restates (one, or several it is the sum
/// of; none: no row matches), and the other table's column to read: positions in the tables'
/// `rows_at`.
type Pair = (usize, Option<Vec<usize>>, usize);

impl Resolver<'_> {
    fn table(&self) -> &Table {
        self.mine.table
    }

    /// The link itself is wrong: it names a table, row or column that does not exist.
    fn broken(&self, message: String) -> Finding {
        self.at
            .finding(
                Rule::LinkTarget,
                self.table().span.start,
                Some(self.table()),
                message,
            )
            .at_column(ColumnRef::Key(self.link.column.clone()))
    }

    fn pair(&self, tables: &YearTables, number: u32, out: &mut YearLinks) {
        let other = tables.at(number);
        let Some(column) = self.table().column_index(&self.link.column) else {
            let message = format!("link names unknown column `{}`", self.link.column);
            return out.unpaired.push(self.broken(message));
        };
        let plus = match self.plus(tables) {
            Ok(cells) => cells,
            Err(message) => return out.unpaired.push(self.broken(message)),
        };
        let mine = self.mine.rows();
        let theirs = other.rows();
        let pairs = match self.link.by {
            LinkBy::Rows => self.pair_rows(other.table, &mine, &theirs),
            LinkBy::Columns => self.pair_columns(other.table, &mine, &theirs),
        };
        let pairs = match pairs {
            Ok(p) => p,
            Err(message) => return out.unpaired.push(self.broken(message)),
        };
        for (row, matched, their_column) in pairs {
            let Some(matched) = matched else {
                let row = &mine[row];
                let message = format!(
                    "row `{}` has no matching row in {}",
                    row.reference, other.table.id
                );
                out.unpaired.push(
                    self.at
                        .finding(Rule::Link, row.offset, Some(self.table()), message)
                        .at_row(row.reference.clone())
                        .at_column(ColumnRef::Key(self.link.column.clone())),
                );
                continue;
            };
            out.pairs.push(LinkPair {
                mine: CellId::new(self.number, row, column),
                theirs: matched
                    .into_iter()
                    .map(|m| CellId::new(number, m, their_column))
                    .chain(plus.iter().copied())
                    .collect(),
            });
        }
    }

    fn pair_rows(
        &self,
        other: &Table,
        mine: &[RowAt],
        theirs: &[RowAt],
    ) -> Result<Vec<Pair>, String> {
        let other_key: &ColumnKey = self.link.other_column.as_ref().unwrap_or(&self.link.column);
        let their_column = other
            .column_index(other_key)
            .ok_or_else(|| format!("link names unknown column `{other_key}` of {}", other.id))?;
        if let Some(row) = &self.link.row {
            let a = find(mine, row).ok_or_else(|| format!("link names unknown row `{row}`"))?;
            return Ok(vec![(
                a,
                Some(self.other_rows(other, theirs, row)?),
                their_column,
            )]);
        }
        if !self.link.other_rows.is_empty() {
            return Err(
                "link names `other_rows` without `row`: name the row they add up to".into(),
            );
        }
        // a label printed twice in the other table pairs with its last row
        let mut by_label: BTreeMap<String, usize> = theirs
            .iter()
            .enumerate()
            .map(|(i, s)| (label_key(s), i))
            .collect();
        Ok(mine
            .iter()
            .enumerate()
            .filter(|(_, s)| s.row.heading().is_none())
            .map(|(i, s)| {
                (
                    i,
                    by_label.remove(&label_key(s)).map(|m| vec![m]),
                    their_column,
                )
            })
            .collect())
    }

    fn pair_columns(
        &self,
        other: &Table,
        mine: &[RowAt],
        theirs: &[RowAt],
    ) -> Result<Vec<Pair>, String> {
        let other_row = self.link.other_row.as_ref().unwrap_or(&RowRef::Total);
        let source = find(theirs, other_row)
            .ok_or_else(|| format!("link names unknown row `{other_row}` of {}", other.id))?;
        let mut pairs = Vec::new();
        for (i, side) in mine
            .iter()
            .enumerate()
            .filter(|(_, s)| s.row.heading().is_none())
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
            pairs.push((i, column.map(|_| vec![source]), column.unwrap_or(0)));
        }
        Ok(pairs)
    }
}

impl Resolver<'_> {
    /// The cells of further tables that the link's figure adds up (`plus`).
    fn plus(&self, tables: &YearTables) -> Result<Vec<CellId>, String> {
        if !self.link.plus.is_empty() && self.link.row.is_none() {
            return Err("link names `plus` without `row`: name the row they add up to".into());
        }
        let mut cells = Vec::new();
        for part in &self.link.plus {
            let number = tables
                .position(&part.table)
                .ok_or_else(|| format!("link adds up rows of unknown table `{}`", part.table))?;
            let at = tables.at(number);
            let key = part
                .column
                .as_ref()
                .or(self.link.other_column.as_ref())
                .unwrap_or(&self.link.column);
            let column = at
                .table
                .column_index(key)
                .ok_or_else(|| format!("link names unknown column `{key}` of {}", part.table))?;
            let rows = at.rows();
            for r in &part.rows {
                let row = find(&rows, r)
                    .ok_or_else(|| format!("link names unknown row `{r}` of {}", part.table))?;
                cells.push(CellId::new(number, row, column));
            }
        }
        Ok(cells)
    }

    /// The other table's rows that row `row` restates: `other_row` (default: the same
    /// reference), or the `other_rows` it is the sum of.
    fn other_rows(
        &self,
        other: &Table,
        theirs: &[RowAt],
        row: &RowRef,
    ) -> Result<Vec<usize>, String> {
        let named: Vec<&RowRef> = if self.link.other_rows.is_empty() {
            vec![self.link.other_row.as_ref().unwrap_or(row)]
        } else if self.link.other_row.is_some() {
            return Err("link names both `other_row` and `other_rows`: keep one".into());
        } else {
            self.link.other_rows.iter().collect()
        };
        named
            .into_iter()
            .map(|r| {
                find(theirs, r)
                    .ok_or_else(|| format!("link names unknown row `{r}` of {}", other.id))
            })
            .collect()
    }
}

fn find(rows: &[RowAt], reference: &RowRef) -> Option<usize> {
    rows.iter().position(|s| s.reference == reference)
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
pub fn normalize(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{200C}')
        .collect()
}
