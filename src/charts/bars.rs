//! Horizontal bar charts laid out right to left: row labels flush right, bars growing
//! leftwards from the label column, value labels at the bars' ends.

use super::scale::Scale;
use super::svg::{
    self, Area, DrawResult, Edge, GRID, INK, LABEL_SIZE, LINE_HEIGHT, MUTED, TextSpec,
};
use super::text::{text_width, wrap};
use plotters::style::{RGBColor, WHITE};

pub const WIDTH: f64 = 600.0;
const PAD: f64 = 8.0;
const VALUE_SIZE: f64 = 11.0;
const BAR: f64 = 11.0;
const BAR_GAP: f64 = 2.0;
const TOP: f64 = 26.0;

#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub color: RGBColor,
    /// Text colour on top of this series' bars.
    pub on_color: RGBColor,
}

#[derive(Debug, Clone)]
pub struct Segment {
    pub series: usize,
    pub value: f64,
    /// The value as shown (localized digits, `٪`).
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct BarRow {
    pub label: String,
    pub segments: Vec<Segment>,
    /// Shown instead of bars where the row has no number (e.g. «حسب درخواست»).
    pub note: Option<String>,
    /// A short text in the leftmost column (the row's achievement %), and its colour.
    pub side: Option<(String, RGBColor)>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Layout {
    /// One bar per segment, under each other.
    Grouped,
    /// Segments side by side in one bar of 100%.
    Stacked,
}

pub struct BarChart {
    pub rows: Vec<BarRow>,
    pub series: Vec<Series>,
    pub layout: Layout,
    pub scale: Scale,
    /// A vertical reference line (value, label), e.g. 100%.
    pub reference: Option<(f64, String)>,
    pub side_header: Option<String>,
    /// The text for a cut bar's true value: shown, not hidden, when the scale is capped.
    pub cap_label: Option<String>,
}

/// Where everything goes, computed once from the texts' measured widths.
struct Placement {
    columns: Columns,
    lines: Vec<Vec<String>>,
    heights: Vec<f64>,
    height: f64,
}

/// Horizontal positions.
struct Columns {
    label_width: f64,
    bars_right: f64,
    bars_left: f64,
    side_right: f64,
}

impl BarChart {
    fn columns(&self) -> Columns {
        let widest_label = self
            .rows
            .iter()
            .map(|r| text_width(&r.label, LABEL_SIZE))
            .fold(60.0, f64::max);
        let label_width = widest_label.min(210.0);
        let side_width = self
            .rows
            .iter()
            .filter_map(|r| r.side.as_ref().map(|(t, _)| text_width(t, VALUE_SIZE)))
            .chain(self.side_header.iter().map(|h| text_width(h, VALUE_SIZE)))
            .fold(0.0, f64::max);
        let value_width = match self.layout {
            Layout::Grouped => self
                .rows
                .iter()
                .flat_map(|r| r.segments.iter().map(|s| text_width(&s.text, VALUE_SIZE)))
                .fold(0.0, f64::max),
            Layout::Stacked => 0.0,
        };
        let side_right = if side_width > 0.0 {
            PAD + side_width
        } else {
            PAD - 8.0
        };
        Columns {
            label_width,
            bars_right: WIDTH - PAD - label_width - 10.0,
            bars_left: side_right + 12.0 + value_width + if value_width > 0.0 { 6.0 } else { 0.0 },
            side_right,
        }
    }

    fn row_lines(&self, columns: &Columns) -> Vec<Vec<String>> {
        self.rows
            .iter()
            .map(|r| wrap(&r.label, LABEL_SIZE, columns.label_width))
            .collect()
    }

    fn row_height(&self, row: &BarRow, lines: usize) -> f64 {
        let bars = match self.layout {
            Layout::Grouped => row.segments.len().max(1) as f64,
            Layout::Stacked => 1.5,
        };
        (bars * (BAR + BAR_GAP) + 8.0).max(lines as f64 * LINE_HEIGHT + 4.0)
    }

    fn place(&self) -> Placement {
        let columns = self.columns();
        let lines = self.row_lines(&columns);
        let heights: Vec<f64> = self
            .rows
            .iter()
            .zip(&lines)
            .map(|(r, l)| self.row_height(r, l.len()))
            .collect();
        let height = TOP + heights.iter().sum::<f64>() + PAD;
        Placement {
            columns,
            lines,
            heights,
            height,
        }
    }

    /// Draws the chart into a new SVG (see `svg::render`).
    pub fn render(&self, a11y: &svg::Accessible) -> Result<String, String> {
        let placement = self.place();
        svg::render(WIDTH as u32, placement.height.ceil() as u32, a11y, |area| {
            self.draw(area, &placement)
        })
    }

    fn draw(&self, area: &Area, placement: &Placement) -> DrawResult {
        let Placement {
            columns,
            lines,
            heights,
            height,
        } = placement;
        let plot_width = columns.bars_right - columns.bars_left;
        self.draw_frame(area, columns, *height, plot_width)?;
        let mut y = TOP;
        for ((row, row_lines), &h) in self.rows.iter().zip(lines).zip(heights) {
            svg::row_label(area, row_lines, WIDTH - PAD, y + h / 2.0)?;
            if let Some((side, color)) = &row.side {
                svg::text(
                    area,
                    TextSpec {
                        text: side,
                        x: columns.side_right,
                        y: y + h / 2.0,
                        size: VALUE_SIZE,
                        color: *color,
                        edge: Edge::Right,
                        bold: true,
                    },
                )?;
            }
            match (&row.note, self.layout) {
                (Some(note), _) if row.segments.is_empty() => {
                    let spec = TextSpec {
                        text: note,
                        x: columns.bars_right - 4.0,
                        y: y + h / 2.0,
                        size: VALUE_SIZE,
                        color: MUTED,
                        edge: Edge::Right,
                        bold: false,
                    };
                    svg::text(area, spec)?;
                }
                (_, Layout::Grouped) => self.draw_grouped(area, row, columns, y, h, plot_width)?,
                (_, Layout::Stacked) => self.draw_stacked(area, row, columns, y, h, plot_width)?,
            }
            y += h;
        }
        Ok(())
    }

    fn draw_frame(
        &self,
        area: &Area,
        columns: &Columns,
        height: f64,
        plot_width: f64,
    ) -> DrawResult {
        let bottom = height - PAD;
        svg::line(
            area,
            &[
                (columns.bars_right, TOP - 4.0),
                (columns.bars_right, bottom),
            ],
            MUTED,
            1,
        )?;
        if let Some((value, label)) = &self.reference {
            let x = columns.bars_right - self.scale.pixels(*value, plot_width);
            svg::line(area, &[(x, TOP - 4.0), (x, bottom)], INK, 1)?;
            svg::text(
                area,
                TextSpec {
                    text: label,
                    x,
                    y: TOP / 2.0 - 2.0,
                    size: VALUE_SIZE,
                    color: INK,
                    edge: Edge::Center,
                    bold: true,
                },
            )?;
        }
        if self.scale.capped
            && let Some(label) = &self.cap_label
        {
            let x = columns.bars_left;
            svg::line(area, &[(x, TOP - 4.0), (x, bottom)], GRID, 1)?;
            svg::text(
                area,
                TextSpec {
                    text: label,
                    x,
                    y: TOP / 2.0 - 2.0,
                    size: VALUE_SIZE,
                    color: MUTED,
                    edge: Edge::Left,
                    bold: false,
                },
            )?;
        }
        if let Some(header) = &self.side_header {
            svg::text(
                area,
                TextSpec {
                    text: header,
                    x: columns.side_right,
                    y: TOP / 2.0 - 2.0,
                    size: VALUE_SIZE,
                    color: MUTED,
                    edge: Edge::Right,
                    bold: false,
                },
            )?;
        }
        Ok(())
    }

    fn draw_grouped(
        &self,
        area: &Area,
        row: &BarRow,
        columns: &Columns,
        y: f64,
        h: f64,
        plot_width: f64,
    ) -> DrawResult {
        let n = row.segments.len() as f64;
        let mut top = y + (h - n * (BAR + BAR_GAP) + BAR_GAP) / 2.0;
        for segment in &row.segments {
            let series = &self.series[segment.series];
            let length = self
                .scale
                .pixels(segment.value, plot_width)
                .max(if segment.value > 0.0 { 1.0 } else { 0.0 });
            let left = columns.bars_right - length;
            svg::rect(
                area,
                (left, top),
                (columns.bars_right, top + BAR),
                series.color,
            )?;
            if self.scale.is_cut(segment.value) {
                draw_cut(area, left, top)?;
            }
            let spec = TextSpec {
                text: &segment.text,
                x: left - 4.0,
                y: top + BAR / 2.0,
                size: VALUE_SIZE,
                color: INK,
                edge: Edge::Right,
                bold: false,
            };
            svg::text(area, spec)?;
            top += BAR + BAR_GAP;
        }
        Ok(())
    }

    fn draw_stacked(
        &self,
        area: &Area,
        row: &BarRow,
        columns: &Columns,
        y: f64,
        h: f64,
        plot_width: f64,
    ) -> DrawResult {
        let total: f64 = row.segments.iter().map(|s| s.value).sum();
        if total <= 0.0 {
            return Ok(());
        }
        let (top, bottom) = (y + h / 2.0 - BAR * 0.75, y + h / 2.0 + BAR * 0.75);
        let mut right = columns.bars_right;
        for segment in &row.segments {
            let series = &self.series[segment.series];
            let width = segment.value / total * plot_width;
            svg::rect(area, (right - width, top), (right, bottom), series.color)?;
            if width >= text_width(&segment.text, VALUE_SIZE) + 8.0 {
                let spec = TextSpec {
                    text: &segment.text,
                    x: right - 4.0,
                    y: y + h / 2.0,
                    size: VALUE_SIZE,
                    color: series.on_color,
                    edge: Edge::Right,
                    bold: false,
                };
                svg::text(area, spec)?;
            }
            right -= width;
        }
        Ok(())
    }
}

/// Two white slashes near the end of a cut bar: the bar is longer than drawn.
fn draw_cut(area: &Area, left: f64, top: f64) -> DrawResult {
    for dx in [8.0, 13.0] {
        svg::line(
            area,
            &[(left + dx, top + BAR + 1.0), (left + dx + 4.0, top - 1.0)],
            WHITE,
            2,
        )?;
    }
    Ok(())
}
