//! Heat map for crosstabs (provinces × industry sectors): stacking 12-15 sectors would hide the
//! small ones. Columns are numbered; the page's legend names them.

use super::svg::{self, Area, DrawResult, Edge, GRID, INK, LABEL_SIZE, LINE_HEIGHT, TextSpec};
use super::text::{text_width, wrap};
use plotters::style::RGBColor;

pub const WIDTH: f64 = 600.0;
const PAD: f64 = 8.0;
const HEAD_SIZE: f64 = 11.0;
const TOP: f64 = 24.0;

/// A sequential blue ramp; light to dark, so it also reads in grayscale.
pub const RAMP: [RGBColor; 6] = [
    RGBColor(0xef, 0xf3, 0xff),
    RGBColor(0xc6, 0xdb, 0xef),
    RGBColor(0x9e, 0xca, 0xe1),
    RGBColor(0x6b, 0xae, 0xd6),
    RGBColor(0x31, 0x82, 0xbd),
    RGBColor(0x08, 0x51, 0x9c),
];
pub const ZERO: RGBColor = RGBColor(0xff, 0xff, 0xff);

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

pub fn shade(value: f64, bins: &[f64]) -> RGBColor {
    if value <= 0.0 {
        return ZERO;
    }
    let step = bins
        .iter()
        .position(|&b| value <= b)
        .unwrap_or(RAMP.len() - 1);
    RAMP[step.min(RAMP.len() - 1)]
}

impl HeatMap {
    fn label_width(&self) -> f64 {
        self.rows
            .iter()
            .map(|r| text_width(r, LABEL_SIZE))
            .fold(60.0, f64::max)
            .min(180.0)
    }

    fn lines(&self) -> Vec<Vec<String>> {
        let width = self.label_width();
        self.rows
            .iter()
            .map(|r| wrap(r, LABEL_SIZE, width))
            .collect()
    }

    pub fn height(&self) -> f64 {
        TOP + self
            .lines()
            .iter()
            .map(|l| row_height(l.len()))
            .sum::<f64>()
            + PAD
    }

    pub fn draw(&self, area: &Area) -> DrawResult {
        let label_width = self.label_width();
        let right = WIDTH - PAD - label_width - 8.0;
        let cell = (right - PAD) / self.columns.len().max(1) as f64;
        for (c, head) in self.columns.iter().enumerate() {
            let x = right - (c as f64 + 0.5) * cell;
            svg::text(
                area,
                TextSpec {
                    text: head,
                    x,
                    y: TOP / 2.0,
                    size: HEAD_SIZE,
                    color: INK,
                    edge: Edge::Center,
                    bold: true,
                },
            )?;
        }
        let mut y = TOP;
        for (r, lines) in self.lines().iter().enumerate() {
            let h = row_height(lines.len());
            svg::row_label(area, lines, WIDTH - PAD, y + h / 2.0)?;
            for (c, value) in self.values[r].iter().enumerate() {
                let x1 = right - c as f64 * cell;
                let color = value.map_or(ZERO, |v| shade(v, &self.bins));
                svg::rect(
                    area,
                    (x1 - cell + 1.0, y + 1.0),
                    (x1 - 1.0, y + h - 1.0),
                    color,
                )?;
                if color == ZERO {
                    let frame = [
                        (x1 - cell + 1.0, y + 1.0),
                        (x1 - 1.0, y + 1.0),
                        (x1 - 1.0, y + h - 1.0),
                        (x1 - cell + 1.0, y + h - 1.0),
                        (x1 - cell + 1.0, y + 1.0),
                    ];
                    svg::line(area, &frame, GRID, 1)?;
                }
            }
            y += h;
        }
        Ok(())
    }
}

fn row_height(lines: usize) -> f64 {
    (lines as f64 * LINE_HEIGHT + 4.0).max(20.0)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
