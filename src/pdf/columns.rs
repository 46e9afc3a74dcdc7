//! How wide a table's columns are, and whether the table needs a landscape page or a smaller
//! type: planned from the widths of its texts (`measure`) before Typst runs. A figure never
//! wraps, so a column is never narrower than its widest figure or word; a table that cannot
//! fit upright is turned, and one that cannot fit turned either is set smaller.

use super::measure::{Extent, Measure, Weight};
use crate::config::DigitStyle;
use crate::content::Table;
use crate::model::TableModel;
use crate::model::rows::{CellContent, CellView, Part};

/// A4 less the template's side margins of 2 cm, in points.
pub const PORTRAIT_WIDTH: f64 = 595.28 - 2.0 * 56.69;
pub const LANDSCAPE_WIDTH: f64 = 841.89 - 2.0 * 56.69;
/// The text height of a page, less room for a chart's legend and title.
pub const PORTRAIT_HEIGHT: f64 = 841.89 - 70.87 - 56.69;
pub const LANDSCAPE_HEIGHT: f64 = 595.28 - 70.87 - 56.69;
/// The type size of tables, and the smallest a table is set in to fit a landscape page.
pub const TABLE_SIZE: f64 = 9.0;
pub const SMALLEST_SIZE: f64 = 6.0;
/// A cell's left and right inset (the template's 3 pt each) and its rule.
const CELL_PADDING: f64 = 6.4;
/// Room for shaping differences between rustybuzz's measure and Typst's layout.
const SAFETY: f64 = 1.03;
/// The widest a label or text column asks to be on one line, in em.
const TEXT_CAP: f64 = 18.0;
/// A list item's bullet and its gap, in em.
const BULLET: f64 = 1.1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orientation {
    Portrait,
    Landscape,
}

impl Orientation {
    pub fn width(self) -> f64 {
        match self {
            Orientation::Portrait => PORTRAIT_WIDTH,
            Orientation::Landscape => LANDSCAPE_WIDTH,
        }
    }

    pub fn height(self) -> f64 {
        match self {
            Orientation::Portrait => PORTRAIT_HEIGHT,
            Orientation::Landscape => LANDSCAPE_HEIGHT,
        }
    }
}

/// What a table's columns need, in em: the least each can be (its widest word or figure) and
/// what it would take on one line; `grows`: label and text columns, which take spare room.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Needs {
    pub min: Vec<f64>,
    pub want: Vec<f64>,
    pub grows: Vec<bool>,
    spanning: Vec<(usize, usize, f64, f64)>,
}

/// The outcome: the page the table is set on, its type size and its column widths in points.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub orientation: Orientation,
    pub size: f64,
    pub widths: Vec<f64>,
}

impl Needs {
    fn new(columns: usize) -> Needs {
        Needs {
            min: vec![0.0; columns],
            want: vec![0.0; columns],
            grows: vec![false; columns],
            spanning: Vec::new(),
        }
    }

    /// A cell at `start` spanning `span` columns that needs `min` and asks for `want` em.
    fn cell(&mut self, start: usize, span: usize, min: f64, want: f64) {
        let end = (start + span).min(self.min.len());
        if start >= end {
            return;
        }
        if end - start == 1 {
            self.min[start] = self.min[start].max(min);
            self.want[start] = self.want[start].max(want);
        } else {
            self.spanning.push((start, end - start, min, want));
        }
    }

    /// Widens the columns under a spanning cell that does not fit them, evenly.
    fn settle_spans(&mut self) {
        for &(start, span, min, want) in &self.spanning {
            for (values, need) in [(&mut self.min, min), (&mut self.want, want)] {
                let have: f64 = values[start..start + span].iter().sum();
                if have < need {
                    let each = (need - have) / span as f64;
                    values[start..start + span]
                        .iter_mut()
                        .for_each(|v| *v += each);
                }
            }
        }
        for (want, min) in self.want.iter_mut().zip(&self.min) {
            *want = want.max(*min);
        }
    }

    /// The page, size and widths for these needs.
    pub fn plan(&self) -> Plan {
        let columns = self.min.len() as f64;
        let points = |size: f64, ems: f64| size * ems * SAFETY + columns * CELL_PADDING;
        let least: f64 = self.min.iter().sum();
        let (orientation, size) = if points(TABLE_SIZE, least) <= PORTRAIT_WIDTH {
            (Orientation::Portrait, TABLE_SIZE)
        } else if points(TABLE_SIZE, least) <= LANDSCAPE_WIDTH {
            (Orientation::Landscape, TABLE_SIZE)
        } else {
            let fitting = (LANDSCAPE_WIDTH - columns * CELL_PADDING) / (least * SAFETY);
            (
                Orientation::Landscape,
                (fitting * 4.0)
                    .floor()
                    .clamp(SMALLEST_SIZE * 4.0, TABLE_SIZE * 4.0)
                    / 4.0,
            )
        };
        Plan {
            orientation,
            size,
            widths: self.widths(orientation.width(), size),
        }
    }

    /// Column widths in points filling `width`: each column its one-line width when all fit
    /// (spare room to the label and text columns), else its least plus a fair part of the rest.
    fn widths(&self, width: f64, size: f64) -> Vec<f64> {
        let to_points = |ems: f64| ems * size * SAFETY + CELL_PADDING;
        let min: Vec<f64> = self.min.iter().map(|&m| to_points(m)).collect();
        let want: Vec<f64> = self.want.iter().map(|&w| to_points(w)).collect();
        let (least, wanted): (f64, f64) = (min.iter().sum(), want.iter().sum());
        if wanted <= width {
            let growing: f64 = want
                .iter()
                .zip(&self.grows)
                .filter(|(_, g)| **g)
                .map(|(w, _)| w)
                .sum();
            let spare = width - wanted;
            return want
                .iter()
                .zip(&self.grows)
                .map(|(&w, &grows)| match (growing > 0.0, grows) {
                    (true, true) => w + spare * w / growing,
                    (true, false) => w,
                    (false, _) => w + spare * w / wanted,
                })
                .map(round)
                .collect();
        }
        let share = if wanted > least {
            ((width - least) / (wanted - least)).max(0.0)
        } else {
            0.0
        };
        min.iter()
            .zip(&want)
            .map(|(&m, &w)| round(m + (w - m) * share))
            .collect()
    }
}

/// Widths are written with two decimals; rounding down keeps their sum within the page.
fn round(points: f64) -> f64 {
    (points * 100.0).floor() / 100.0
}

/// What the columns of `model` (whose content is `table`) need.
pub fn needs(
    model: &TableModel,
    table: &Table,
    digits: DigitStyle,
    measure: &mut Measure,
) -> Needs {
    let mut needs = Needs::new(model.column_count);
    let mut grid = Grid::new(model.column_count);
    for row in &model.header_rows {
        for cell in row {
            let start = grid.place(cell.colspan, cell.rowspan);
            let mut extent = measure.extent(&cell.text, Weight::Bold);
            if let Some(mark) = &cell.mark {
                extent.word += 0.7 * measure.extent(&mark.marker, Weight::Bold).line + 0.2;
            }
            needs.cell(
                start,
                cell.colspan,
                extent.word,
                extent.word.max(extent.line / 3.0),
            );
        }
        grid.end_row();
    }
    let mut grid = Grid::new(model.column_count);
    for part in [Part::Body, Part::Foot] {
        model.for_each_row(table, part, digits, |row| {
            let bold = row.subtotal || part == Part::Foot;
            if row.heading.is_some() {
                grid.end_row();
                return;
            }
            for cell in &row.cells {
                let start = grid.place(cell.colspan, cell.rowspan);
                let (min, want, grows) = cell_need(cell, bold, measure);
                needs.cell(start, cell.colspan, min, want);
                if grows && cell.colspan == 1 {
                    needs.grows[start] = true;
                }
            }
            grid.end_row();
        });
    }
    needs.settle_spans();
    needs
}

/// A body cell's least and one-line widths in em, and whether its column may take spare room.
fn cell_need(cell: &CellView, bold: bool, measure: &mut Measure) -> (f64, f64, bool) {
    let weight = if bold { Weight::Bold } else { Weight::Regular };
    let mark = cell
        .mark
        .as_ref()
        .map_or(0.0, |m| 0.7 * measure.extent(&m.marker, weight).line + 0.2);
    match &cell.content {
        CellContent::List(items) => {
            let mut widest = Extent::default();
            for item in *items {
                let e = measure.extent(item, weight);
                widest.word = widest.word.max(e.word);
                widest.line = widest.line.max(e.line);
            }
            (
                widest.word + BULLET,
                widest.line.min(TEXT_CAP) + BULLET,
                true,
            )
        }
        CellContent::Text(text) => {
            let e = measure.extent(text, weight);
            let numeric = matches!(cell.ty, "integer" | "decimal" | "percent" | "no");
            if numeric {
                (e.line + mark, e.line + mark, false)
            } else {
                (e.word + mark, e.line.min(TEXT_CAP).max(e.word) + mark, true)
            }
        }
    }
}

/// Places cells in a grid the way HTML and Typst do: left to right in a row, skipping columns
/// that a cell of a row above still spans.
struct Grid {
    /// Per column, how many more rows a cell placed above covers.
    busy: Vec<usize>,
    next: usize,
}

impl Grid {
    fn new(columns: usize) -> Grid {
        Grid {
            busy: vec![0; columns],
            next: 0,
        }
    }

    /// The first column of a cell of `colspan` × `rowspan` placed next in the row.
    fn place(&mut self, colspan: usize, rowspan: usize) -> usize {
        let mut start = self.next;
        while start < self.busy.len() && self.busy[start] > 0 {
            start += 1;
        }
        let end = (start + colspan).min(self.busy.len());
        for column in start..end {
            self.busy[column] = rowspan.max(1);
        }
        self.next = end;
        start
    }

    fn end_row(&mut self) {
        for rows in &mut self.busy {
            *rows = rows.saturating_sub(1);
        }
        self.next = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needs_of(min: &[f64], want: &[f64], grows: &[bool]) -> Needs {
        Needs {
            min: min.to_vec(),
            want: want.to_vec(),
            grows: grows.to_vec(),
            spanning: Vec::new(),
        }
    }

    #[test]
    fn a_narrow_table_stays_upright_and_fills_the_width_through_its_label_column() {
        let plan = needs_of(&[1.0, 5.0, 3.0], &[1.0, 12.0, 3.0], &[false, true, false]).plan();
        assert_eq!(plan.orientation, Orientation::Portrait);
        assert_eq!(plan.size, TABLE_SIZE);
        let total: f64 = plan.widths.iter().sum();
        assert!(
            total <= PORTRAIT_WIDTH && total > PORTRAIT_WIDTH - 0.1,
            "{total}"
        );
        let figure = 3.0 * TABLE_SIZE * SAFETY + CELL_PADDING;
        assert!(
            (plan.widths[2] - figure).abs() < 0.01,
            "the figure column keeps its width"
        );
    }

    #[test]
    fn a_wide_table_is_turned_and_a_wider_one_set_smaller() {
        let wide = needs_of(&[3.0; 16], &[3.0; 16], &[false; 16]).plan();
        assert_eq!(wide.orientation, Orientation::Landscape);
        assert_eq!(wide.size, TABLE_SIZE);
        // 80 em of words: too wide for a landscape page at 9 pt, not at the smallest size
        let widest = needs_of(&[4.0; 20], &[4.0; 20], &[false; 20]).plan();
        assert_eq!(widest.orientation, Orientation::Landscape);
        assert!(widest.size < TABLE_SIZE && widest.size >= SMALLEST_SIZE);
        let total: f64 = widest.widths.iter().sum();
        assert!(total <= LANDSCAPE_WIDTH, "{total}");
    }

    #[test]
    fn when_not_everything_fits_each_column_keeps_its_least_width() {
        let needs = needs_of(&[2.0, 4.0], &[2.0, 80.0], &[false, true]);
        let plan = needs.plan();
        let least = 2.0 * TABLE_SIZE * SAFETY + CELL_PADDING;
        assert!(plan.widths[0] >= least - 0.01);
        assert!(plan.widths.iter().sum::<f64>() <= PORTRAIT_WIDTH);
    }

    #[test]
    fn spanning_cells_widen_the_columns_under_them() {
        let mut needs = Needs::new(2);
        needs.cell(0, 1, 1.0, 1.0);
        needs.cell(1, 1, 1.0, 1.0);
        needs.cell(0, 2, 6.0, 6.0);
        needs.settle_spans();
        assert_eq!(needs.min, [3.0, 3.0]);
    }

    #[test]
    fn the_grid_skips_columns_spanned_from_above() {
        let mut grid = Grid::new(4);
        assert_eq!(grid.place(1, 2), 0);
        assert_eq!(grid.place(2, 1), 1);
        assert_eq!(grid.place(1, 2), 3);
        grid.end_row();
        assert_eq!(grid.place(1, 1), 1);
        assert_eq!(grid.place(1, 1), 2);
    }
}
