//! Reading a spreadsheet into a plain grid of cells with their merged ranges: an `.xlsx` sheet
//! through calamine (cached values of formulas, Excel's percent formats noted) or a `.csv` file
//! through the csv crate (BOM stripped). Positions are 0-based; addresses are printed as
//! `Sheet1!C7`.

use anyhow::{Context, Result, anyhow, bail};
use calamine::{Data, Reader, Xlsx, open_workbook};
use std::path::Path;

/// One cell as the spreadsheet holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum SheetCell {
    Empty,
    Number(f64),
    /// A number shown with a percent format: Excel keeps `153%` as `1.53`.
    ExcelPercent(f64),
    Text(String),
    Bool(bool),
    Date(String),
    Error(String),
    /// A formula whose value was never computed and saved (written by a program, not Excel).
    FormulaWithoutValue(String),
}

impl SheetCell {
    pub fn is_empty(&self) -> bool {
        match self {
            SheetCell::Empty => true,
            SheetCell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text for matching headers and labels (`None` for what is not text-like).
    pub fn text(&self) -> Option<String> {
        match self {
            SheetCell::Empty => Some(String::new()),
            SheetCell::Text(t) => Some(t.clone()),
            SheetCell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => Some(format!("{n:.0}")),
            SheetCell::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }
}

/// A rectangle of merged cells, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    pub first: (usize, usize),
    pub last: (usize, usize),
}

impl Merge {
    pub fn contains(&self, (r, c): (usize, usize)) -> bool {
        (self.first.0..=self.last.0).contains(&r) && (self.first.1..=self.last.1).contains(&c)
    }
}

/// A sheet read into memory.
#[derive(Debug, Clone)]
pub struct Grid {
    /// The sheet name, or the CSV file's name: what addresses start with.
    pub name: String,
    /// Rows of cells from A1.
    pub cells: Vec<Vec<SheetCell>>,
    pub merges: Vec<Merge>,
    /// Whether cells starting a formula were neutralized with an apostrophe (CSV downloads).
    pub neutralized: bool,
}

impl Grid {
    pub fn cell(&self, r: usize, c: usize) -> &SheetCell {
        self.cells
            .get(r)
            .and_then(|row| row.get(c))
            .unwrap_or(&SheetCell::Empty)
    }

    pub fn width(&self) -> usize {
        self.cells.iter().map(Vec::len).max().unwrap_or(0)
    }

    /// `Sheet1!C7`.
    pub fn address(&self, (r, c): (usize, usize)) -> String {
        format!("{}!{}", self.name, cell_name(r, c))
    }

    /// `Sheet1!B1:C2`.
    pub fn range(&self, merge: &Merge) -> String {
        format!(
            "{}!{}:{}",
            self.name,
            cell_name(merge.first.0, merge.first.1),
            cell_name(merge.last.0, merge.last.1)
        )
    }
}

/// `C7` for row 6, column 2 (0-based).
pub fn cell_name(r: usize, c: usize) -> String {
    let mut letters = Vec::new();
    let mut n = c + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(r + 1).to_string()
}

/// Reads `path`: a CSV file, or one sheet of an `.xlsx` workbook (`sheet`, or the first).
pub fn read(path: &Path, sheet: Option<&str>) -> Result<Grid> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("csv") => {
            if sheet.is_some() {
                bail!(
                    "--sheet applies to workbooks; {} is a CSV file",
                    path.display()
                );
            }
            read_csv(path)
        }
        Some("xlsx" | "xlsm") => read_xlsx(path, sheet),
        _ => bail!(
            "{}: karnameh imports .xlsx workbooks and .csv files (save other spreadsheets as one of them)",
            path.display()
        ),
    }
}

fn read_csv(path: &Path) -> Result<Grid> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        anyhow!(
            "{}: not UTF-8 text (byte {}); save the CSV as UTF-8",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut cells = Vec::new();
    for record in reader.records() {
        let record = record.with_context(|| format!("{}: not a valid CSV file", path.display()))?;
        cells.push(
            record
                .iter()
                .map(|t| match t {
                    "" => SheetCell::Empty,
                    t => SheetCell::Text(t.to_string()),
                })
                .collect(),
        );
    }
    Ok(Grid {
        name: file_name(path),
        cells,
        merges: Vec::new(),
        neutralized: true,
    })
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn read_xlsx(path: &Path, sheet: Option<&str>) -> Result<Grid> {
    let mut workbook: Xlsx<_> =
        open_workbook(path).with_context(|| format!("cannot open {}", path.display()))?;
    let name = sheet_name(&workbook.sheet_names(), sheet, path)?;
    let fail = |what: &str| {
        format!(
            "{}: cannot read the {what} of sheet `{name}`",
            path.display()
        )
    };
    let values = workbook
        .worksheet_range(&name)
        .with_context(|| fail("cells"))?;
    let formulas = workbook
        .worksheet_formula(&name)
        .with_context(|| fail("formulas"))?;
    let styles = workbook
        .worksheet_style(&name)
        .with_context(|| fail("formats"))?;
    let merges = workbook
        .merge_cells_by_sheet_name(&name)
        .with_context(|| fail("merged cells"))?;
    Ok(Grid {
        cells: xlsx_cells(&values, &formulas, &styles),
        name,
        merges: merges
            .iter()
            .map(|d| Merge {
                first: (d.start.0 as usize, d.start.1 as usize),
                last: (d.end.0 as usize, d.end.1 as usize),
            })
            .collect(),
        neutralized: false,
    })
}

/// The sheet asked for, or the first.
fn sheet_name(names: &[String], wanted: Option<&str>, path: &Path) -> Result<String> {
    match wanted {
        Some(wanted) => names.iter().find(|n| *n == wanted).cloned().ok_or_else(|| {
            anyhow!(
                "{} has no sheet `{wanted}`; its sheets: {}",
                path.display(),
                names.join(", ")
            )
        }),
        None => names
            .first()
            .cloned()
            .ok_or_else(|| anyhow!("{} has no sheet", path.display())),
    }
}

/// Every cell from A1: its saved value, or the formula that has none; numbers shown as
/// percentages are marked.
fn xlsx_cells(
    values: &calamine::Range<Data>,
    formulas: &calamine::Range<String>,
    styles: &calamine::StyleRange,
) -> Vec<Vec<SheetCell>> {
    let (height, width) = extent(&[values.end(), formulas.end()]);
    let mut cells = vec![vec![SheetCell::Empty; width]; height];
    for (r, row) in cells.iter_mut().enumerate() {
        for (c, cell) in row.iter_mut().enumerate() {
            let at = (r as u32, c as u32);
            let formula = formulas.get_value(at).filter(|f| !f.is_empty());
            let percent = styles
                .get(at)
                .and_then(|s| s.number_format.as_ref())
                .is_some_and(|f| is_percent_format(&f.format_code));
            *cell = match (values.get_value(at), formula) {
                (None | Some(Data::Empty), Some(f)) => SheetCell::FormulaWithoutValue(f.clone()),
                (Some(value), _) => sheet_cell(value, percent),
                (None, None) => SheetCell::Empty,
            };
        }
    }
    cells
}

/// Rows and columns from A1 to the farthest end.
fn extent(ends: &[Option<(u32, u32)>]) -> (usize, usize) {
    ends.iter().flatten().fold((0, 0), |(h, w), (r, c)| {
        (h.max(*r as usize + 1), w.max(*c as usize + 1))
    })
}

fn sheet_cell(value: &Data, percent: bool) -> SheetCell {
    match value {
        Data::Empty => SheetCell::Empty,
        Data::Int(i) => SheetCell::Number(*i as f64),
        Data::Float(f) if percent => SheetCell::ExcelPercent(*f),
        Data::Float(f) => SheetCell::Number(*f),
        Data::String(s) => SheetCell::Text(s.clone()),
        Data::Bool(b) => SheetCell::Bool(*b),
        Data::DateTime(d) => SheetCell::Date(d.to_string()),
        Data::DateTimeIso(d) | Data::DurationIso(d) => SheetCell::Date(d.clone()),
        Data::Error(e) => SheetCell::Error(e.to_string()),
    }
}

/// Whether a number format shows values × 100 with `%` (not a `"%"` or `\%` literal).
fn is_percent_format(code: &str) -> bool {
    let mut quoted = false;
    let mut escaped = false;
    for c in code.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            '%' if !quoted => return true,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_use_spreadsheet_letters() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(6, 2), "C7");
        assert_eq!(cell_name(0, 25), "Z1");
        assert_eq!(cell_name(9, 26), "AA10");
        assert_eq!(cell_name(0, 701), "ZZ1");
        assert_eq!(cell_name(0, 702), "AAA1");
    }

    #[test]
    fn percent_formats_are_told_from_a_literal_percent_sign() {
        assert!(is_percent_format("0%"));
        assert!(is_percent_format("0.0%"));
        assert!(!is_percent_format("#,##0\"٪\""));
        assert!(!is_percent_format("0\"%\""));
        assert!(!is_percent_format("0\\%"));
        assert!(!is_percent_format("General"));
    }
}
