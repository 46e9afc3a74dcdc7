//! Heat map for crosstabs (provinces × industry sectors): stacking 12-15 sectors would hide the
//! small ones. Columns are numbered; the page's legend names them.

use super::svg::{
    self, Color, Edge, GRID, LABEL_SIZE, LINE_HEIGHT, Layer, Layout, Shapes, TextSpec, X,
};
use super::text::{text_width, wrap};

const PAD: f64 = 8.0;
const GAP: f64 = 8.0;
const HEADER: f64 = 24.0;
/// Height of a row's strip of cells in the narrow layout, where its label is above it.
const STRIP: f64 = 16.0;

/// A sequential blue ramp; light to dark, so it also reads in grayscale.
pub const RAMP: [Color; 6] = [
    Color(0xef, 0xf3, 0xff),
    Color(0xc6, 0xdb, 0xef),
    Color(0x9e, 0xca, 0xe1),
    Color(0x6b, 0xae, 0xd6),
    Color(0x31, 0x82, 0xbd),
    Color(0x08, 0x51, 0x9c),
];
pub const ZERO: Color = Color(0xff, 0xff, 0xff);

pub struct HeatMap {
    pub rows: Vec<String>,
    /// Column headers as drawn (numbers); the legend carries the names.
    pub columns: Vec<String>,
    /// `values[row][column]`; `None` where the cell is not a number.
    pub values: Vec<Vec<Option<f64>>>,
    /// Upper bounds of the ramp's bins, one per ramp step.
    pub bins: Vec<f64>,
}

/// Bin bounds from the non-zero values' quantiles, so each shade holds a share of the cells.
pub fn quantile_bins(values: &[f64]) -> Vec<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| *v > 0.0).collect();
    sorted.sort_by(f64::total_cmp);
    if sorted.is_empty() {
        return vec![0.0; RAMP.len()];
    }
    (1..=RAMP.len())
        .map(|k| {
            let rank = (sorted.len() * k).div_ceil(RAMP.len()).max(1) - 1;
            sorted[rank.min(sorted.len() - 1)]
        })
        .collect()
}

pub fn shade(value: f64, bins: &[f64]) -> Color {
    if value <= 0.0 {
        return ZERO;
    }
    let step = bins
        .iter()
        .position(|&b| value <= b)
        .unwrap_or(RAMP.len() - 1);
    RAMP[step.min(RAMP.len() - 1)]
}

/// The cells' region and the labels' place in one layout, as shares of the chart's width.
struct Grid {
    layout: Layout,
    left: f64,
    right: f64,
    label_x: X,
    label_width: f64,
    /// Labels sit above their strip of cells (the narrow layout).
    above: bool,
}

impl HeatMap {
    /// Draws both layouts into a new SVG (see `svg::render`).
    pub fn render(&self, a11y: &svg::Accessible) -> String {
        let widest = self
            .rows
            .iter()
            .map(|r| text_width(r, LABEL_SIZE))
            .fold(60.0, f64::max);
        let [mut wide, narrow] = Layout::ALL.map(|layout| self.draw(&grid(layout, widest)));
        svg::render(a11y, &wide.remove(0), &narrow)
    }

    /// The column numbers over the cells; returns where the rows start.
    fn draw_header(&self, layer: &mut Layer, grid: &Grid) -> f64 {
        let cell = (grid.right - grid.left) / self.columns.len().max(1) as f64;
        for (c, head) in self.columns.iter().enumerate() {
            let x = X::share(grid.right - (c as f64 + 0.5) * cell);
            let spec = TextSpec::value(head, x, PAD + HEADER / 2.0 - 4.0, Edge::Center);
            layer.text(spec.bold());
        }
        PAD + HEADER - 4.0
    }

    /// The layout's drawing: one layer, or in the narrow layout as many as keep each within
    /// `svg::PART_HEIGHT`, each with the column numbers (see `bars`).
    fn draw(&self, grid: &Grid) -> Vec<Layer> {
        let mut parts = Vec::new();
        let mut layer = Layer::default();
        let mut shapes = Shapes::default();
        let mut y = self.draw_header(&mut layer, grid);
        let top = y;
        for (r, label) in self.rows.iter().enumerate() {
            let lines = wrap(label, LABEL_SIZE, grid.label_width);
            let text_height = lines.len() as f64 * LINE_HEIGHT;
            let height = if grid.above {
                text_height + STRIP + 6.0
            } else {
                (text_height + 4.0).max(20.0)
            };
            if grid.above && y > top && y + height + PAD > svg::PART_HEIGHT {
                layer.height = y + PAD;
                layer.shapes(&std::mem::take(&mut shapes), grid.left, grid.right);
                parts.push(std::mem::take(&mut layer));
                y = self.draw_header(&mut layer, grid);
            }
            let (label_top, cells) = if grid.above {
                (y, (y + text_height, y + text_height + STRIP))
            } else {
                (
                    y + (height - text_height) / 2.0,
                    (y + 1.0, y + height - 1.0),
                )
            };
            for (i, line) in lines.iter().enumerate() {
                let line_y = label_top + (i as f64 + 0.5) * LINE_HEIGHT;
                layer.text(TextSpec::label(line, grid.label_x, line_y, Edge::Right));
            }
            self.draw_cells(&mut shapes, grid, r, cells);
            y += height;
        }
        layer.height = y + PAD;
        layer.shapes(&shapes, grid.left, grid.right);
        parts.push(layer);
        parts
    }

    /// Row `r`'s cells, right to left, spanning `cells` vertically.
    fn draw_cells(&self, shapes: &mut Shapes, grid: &Grid, r: usize, cells: (f64, f64)) {
        let n = self.columns.len().max(1) as f64;
        // a pixel of white between cells, as a share of the region
        let inset = grid.layout.share(1.0) / (grid.right - grid.left);
        for (c, value) in self.values[r].iter().enumerate() {
            let x1 = 1.0 - c as f64 / n - inset;
            let x0 = 1.0 - (c as f64 + 1.0) / n + inset;
            match value.map(|v| shade(v, &self.bins)) {
                Some(color) if color != ZERO => shapes.rect(color, (x0, x1), cells),
                _ => shapes.frame(GRID, (x0, x1), cells),
            }
        }
    }
}

fn grid(layout: Layout, widest_label: f64) -> Grid {
    let w = layout.min_width();
    match layout {
        Layout::Wide => {
            let label_width = widest_label.min(0.25 * w);
            Grid {
                layout,
                left: layout.share(PAD),
                right: layout.share(w - PAD - label_width - GAP),
                label_x: X::share(1.0).moved(-PAD),
                label_width,
                above: false,
            }
        }
        Layout::Narrow => {
            let right = layout.share(w - PAD);
            Grid {
                layout,
                left: layout.share(PAD),
                right,
                label_x: X::share(right),
                label_width: w - 2.0 * PAD,
                above: true,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::svg::{BOLD_WIDTH, VALUE_SIZE};

    /// Whether `count` column numbers fit over their cells in every layout.
    fn numbers_fit(count: usize) -> bool {
        Layout::ALL.iter().all(|&layout| {
            let g = grid(layout, 0.25 * layout.min_width());
            let cell = (g.right - g.left) * layout.min_width() / count.max(1) as f64;
            let widest = crate::numfmt::localize_digits(
                &count.to_string(),
                crate::config::DigitStyle::Persian,
            );
            text_width(&widest, VALUE_SIZE) * BOLD_WIDTH + 2.0 <= cell
        })
    }

    #[test]
    fn bins_split_the_non_zero_values_and_zero_stays_white() {
        let values: Vec<f64> = (0..=12).map(f64::from).collect();
        let bins = quantile_bins(&values);
        assert_eq!(bins.len(), RAMP.len());
        assert_eq!(*bins.last().unwrap(), 12.0);
        assert_eq!(shade(0.0, &bins), ZERO);
        assert_eq!(shade(1.0, &bins), RAMP[0]);
        assert_eq!(shade(12.0, &bins), RAMP[5]);
    }

    #[test]
    fn column_numbers_fit_their_cells_for_the_widest_crosstab() {
        // T044 has 15 industries, the most of any crosstab
        assert!(numbers_fit(15));
    }
}
