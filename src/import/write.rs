//! Putting imported cells into a section file with toml_edit: only the `values` of the table's
//! rows and totals row change, so comments, layout and everything else of the file stay as they
//! were. The new text is parsed again before anything is written, and written atomically (a
//! temporary file beside the section file, renamed over it).

use super::rows::Imported;
use crate::content::{Cell, SectionFile, TableId};
use crate::source::parse_toml;
use anyhow::{Context, Result, anyhow, bail};
use std::io::Write;
use std::path::Path;
use toml_edit::{Array, DocumentMut, Item, TableLike, Value};

/// The section file's text with the rows of table `id` (its `index`-th table) replaced, and the
/// replaced `rows`/`total` as TOML for printing.
pub fn replace_rows(
    path: &Path,
    text: &str,
    id: &TableId,
    imported: &Imported,
) -> Result<(String, String)> {
    let mut document: DocumentMut = text
        .parse()
        .with_context(|| format!("{} is not TOML toml_edit can edit", path.display()))?;
    let table =
        table_mut(&mut document, id).ok_or_else(|| anyhow!("{}: no table {id}", path.display()))?;
    set_rows(table, imported)?;
    let printed = printed_rows(table);
    let edited = document.to_string();
    verify(path, &edited, id, imported)?;
    Ok((edited, printed))
}

fn table_mut<'d>(document: &'d mut DocumentMut, id: &TableId) -> Option<&'d mut toml_edit::Table> {
    document
        .get_mut("tables")?
        .as_array_of_tables_mut()?
        .iter_mut()
        .find(|t| t.get("id").and_then(Item::as_str) == Some(id.as_str()))
}

fn set_rows(table: &mut toml_edit::Table, imported: &Imported) -> Result<()> {
    let rows = table.get_mut("rows");
    let mut new_values = imported.rows.iter();
    let mut each = |row: &mut dyn TableLike| -> Result<()> {
        match new_values.next() {
            Some(Some(cells)) => set_values(row, cells),
            Some(None) => Ok(()),
            None => bail!("the section file has more rows than the table"),
        }
    };
    match rows {
        Some(Item::Value(Value::Array(array))) => {
            for value in array.iter_mut() {
                let row = value
                    .as_inline_table_mut()
                    .ok_or_else(|| anyhow!("a row is not a table"))?;
                each(row)?;
            }
        }
        Some(Item::ArrayOfTables(tables)) => {
            for row in tables.iter_mut() {
                each(row)?;
            }
        }
        None if imported.rows.is_empty() => {}
        _ => bail!("the table's `rows` are neither an array of tables nor `[[tables.rows]]`"),
    }
    if let Some(cells) = &imported.total {
        let total = table
            .get_mut("total")
            .and_then(Item::as_table_like_mut)
            .ok_or_else(|| anyhow!("the table's `total` is not a table"))?;
        set_values(total, cells)?;
    }
    Ok(())
}

/// Replaces a row's `values`, keeping the spacing around them.
fn set_values(row: &mut dyn TableLike, cells: &[Cell]) -> Result<()> {
    let mut array: Array = cells.iter().map(toml_value).collect();
    array.fmt();
    let mut value = Value::Array(array);
    match row.get_mut("values").and_then(Item::as_value_mut) {
        Some(old) => {
            *value.decor_mut() = old.decor().clone();
            *old = value;
        }
        None => {
            value.decor_mut().set_prefix(" ");
            row.insert("values", Item::Value(value));
        }
    }
    Ok(())
}

fn toml_value(cell: &Cell) -> Value {
    match cell {
        Cell::Integer(i) => Value::from(*i),
        Cell::Decimal(d) => Value::from(*d),
        Cell::Text(t) => Value::from(t.as_str()),
        Cell::List(items) => {
            let mut array: Array = items.iter().map(|i| Value::from(i.as_str())).collect();
            array.fmt();
            Value::Array(array)
        }
    }
}

/// `rows = [...]` and `total = {...}` of the edited table, as they will be written.
fn printed_rows(table: &toml_edit::Table) -> String {
    let mut out = DocumentMut::new();
    for key in ["rows", "total"] {
        if let Some(item) = table.get(key) {
            out.insert(key, item.clone());
        }
    }
    out.to_string()
}

/// The edited file must still be a section file whose table holds exactly the imported cells.
fn verify(path: &Path, edited: &str, id: &TableId, imported: &Imported) -> Result<()> {
    let section: SectionFile =
        parse_toml(path, edited).map_err(|e| anyhow!("the edited file would not load: {e}"))?;
    let table = section
        .tables
        .iter()
        .find(|t| &t.id == id)
        .ok_or_else(|| anyhow!("the edited file lost table {id}"))?;
    let rows_match = table
        .rows
        .iter()
        .zip(&imported.rows)
        .all(|(row, cells)| cells.as_ref().is_none_or(|c| &row.get_ref().values == c));
    let total_match = imported.total.as_ref().is_none_or(|c| {
        table
            .total
            .as_ref()
            .is_some_and(|t| &t.get_ref().values == c)
    });
    if !rows_match || !total_match || table.rows.len() != imported.rows.len() {
        bail!("the edited file does not hold the imported values (nothing was written)");
    }
    Ok(())
}

/// Writes `text` to `path` in one step: a temporary file beside it (same permissions), renamed.
pub fn write_atomically(path: &Path, text: &str) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let permissions = std::fs::metadata(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .permissions();
    let mut file = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.as_file().sync_all())
        .with_context(|| format!("cannot write a temporary file in {}", dir.display()))?;
    std::fs::set_permissions(file.path(), permissions)
        .with_context(|| format!("cannot set the permissions of {}", file.path().display()))?;
    file.persist(path)
        .map_err(|e| anyhow!("cannot replace {}: {}", path.display(), e.error))?;
    Ok(())
}
