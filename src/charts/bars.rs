//! Horizontal bar charts laid out right to left, in both layouts (see `svg`): wide, with the
//! row labels flush right in a column beside the bars; narrow, with each label above its bars.
//! Bars grow leftwards; value labels sit at the bars' ends, in room kept for them at the left.
//! Every vertical line is drawn row by row and left out where a text would cross it.

use super::scale::Scale;
use super::svg::{
    self, BOLD_WIDTH, Color, Edge, GRID, INK, LABEL_SIZE, LINE_HEIGHT, Layer, Layout, MUTED,
    Shapes, TextSpec, VALUE_SIZE, WHITE, X,
};
use super::text::{text_width, wrap};
use std::rc::Rc;

const PAD: f64 = 8.0;
const GAP: f64 = 10.0;
const BAR: f64 = 12.0;
const BAR_GAP: f64 = 3.0;
/// Space between a bar's end and its value label.
const VALUE_GAP: f64 = 4.0;
const HEADER_LINE: f64 = 20.0;
/// How far the labels of a group's rows are set in from its heading.
const INDENT: f64 = 14.0;

#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub color: Color,
    /// Text colour on top of this series' bars.
    pub on_color: Color,
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
    /// The parent the label belongs to («ISO/IEC 17025 …» over «صدور»): drawn as a heading
    /// above the first row of each run of rows that share it.
    pub group: Option<String>,
    pub segments: Vec<Segment>,
    /// Shown instead of bars where the row has no number (e.g. «حسب درخواست»).
    pub note: Option<String>,
    /// A short text in the side column (the row's achievement %), and its colour.
    pub side: Option<(String, Color)>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Stacking {
    /// One bar per segment, under each other.
    Grouped,
    /// Segments side by side in one bar of 100%.
    Stacked,
}

pub struct BarChart {
    pub rows: Vec<BarRow>,
    pub series: Vec<Series>,
    pub stacking: Stacking,
    pub scale: Scale,
    /// A vertical reference line (value, label), e.g. 100%.
    pub reference: Option<(f64, String)>,
    pub side_header: Option<String>,
    /// The text for a cut bar's true value: shown, not hidden, when the scale is capped.
    pub cap_label: Option<String>,
}

/// Widths measured once and shared by both layouts.
struct Measures {
    widest_label: f64,
    side: f64,
    value: f64,
}

/// Where things go in one layout, as shares of the chart's width (see `svg::X`).
struct Columns {
    layout: Layout,
    /// The right edge of row labels.
    label_x: X,
    label_width: f64,
    /// Labels sit above their bars (the narrow layout).
    above: bool,
    bars_right: f64,
    bars_left: f64,
    /// Where the side column's texts are anchored, and on which edge.
    side: Option<(X, Edge)>,
}

impl Columns {
    fn plot(&self) -> f64 {
        self.bars_right - self.bars_left
    }

    /// A chart share inside the bars' region (0 at its left end, 1 at its right end).
    fn region(&self, share: f64) -> f64 {
        (share - self.bars_left) / self.plot()
    }

    /// Pixels at the layout's narrowest width, where every fit is checked.
    fn px(&self, x: X) -> f64 {
        x.at(self.layout.min_width())
    }
}

/// The texts drawn over a row's bars, as pixel intervals at the narrowest width: a vertical
/// line that would cross one of them is left out on that row.
#[derive(Default)]
struct Band {
    top: f64,
    bottom: f64,
    texts: Vec<(f64, f64)>,
}

impl Band {
    fn clear_at(&self, px: f64) -> bool {
        self.texts
            .iter()
            .all(|&(l, r)| px < l - 1.0 || px > r + 1.0)
    }
}

/// The horizontal extent of a text at the narrowest width, by its anchor.
fn extent(at: f64, width: f64, edge: Edge) -> (f64, f64) {
    match edge {
        Edge::Right => (at - width, at),
        Edge::Left => (at, at + width),
        Edge::Center => (at - width / 2.0, at + width / 2.0),
    }
}

impl BarChart {
    fn measures(&self) -> Measures {
        let widest_label = self
            .rows
            .iter()
            .map(|r| text_width(&r.label, LABEL_SIZE) + indent(r))
            .fold(60.0, f64::max);
        let side = self
            .rows
            .iter()
            .filter_map(|r| r.side.as_ref().map(|(t, _)| text_width(t, VALUE_SIZE)))
            .map(|w| w * BOLD_WIDTH)
            .chain(self.side_header.iter().map(|h| text_width(h, VALUE_SIZE)))
            .fold(0.0, f64::max);
        let value = match self.stacking {
            Stacking::Grouped => self
                .rows
                .iter()
                .flat_map(|r| r.segments.iter().map(|s| text_width(&s.text, VALUE_SIZE)))
                .fold(0.0, f64::max),
            Stacking::Stacked => 0.0,
        };
        Measures {
            widest_label,
            side,
            value,
        }
    }

    fn columns(&self, layout: Layout, m: &Measures) -> Columns {
        let w = layout.min_width();
        let side_room = if m.side > 0.0 { m.side + GAP } else { 0.0 };
        let value_room = if m.value > 0.0 {
            m.value + VALUE_GAP + 2.0
        } else {
            0.0
        };
        match layout {
            Layout::Wide => {
                let label_width = m.widest_label.min(0.3 * w);
                Columns {
                    layout,
                    label_x: X::share(1.0).moved(-PAD),
                    label_width,
                    above: false,
                    bars_right: layout.share(w - PAD - label_width - GAP),
                    bars_left: layout.share(PAD + side_room + value_room),
                    side: (m.side > 0.0).then(|| (X::px(PAD + m.side), Edge::Right)),
                }
            }
            Layout::Narrow => {
                let right = layout.share(w - PAD);
                Columns {
                    layout,
                    label_x: X::share(right),
                    label_width: w - 2.0 * PAD - side_room,
                    above: true,
                    bars_right: right,
                    bars_left: layout.share(PAD + value_room),
                    side: (m.side > 0.0).then(|| (X::px(PAD), Edge::Left)),
                }
            }
        }
    }

    /// Draws the chart into a new SVG, both layouts (see `svg::render`).
    pub fn render(&self, a11y: &svg::Accessible) -> String {
        let measures = self.measures();
        let [mut wide, narrow] =
            Layout::ALL.map(|layout| self.draw(&self.columns(layout, &measures)));
        svg::render(a11y, &wide.remove(0), &narrow)
    }

    fn bars_height(&self, row: &BarRow) -> f64 {
        match self.stacking {
            Stacking::Grouped => row.segments.len().max(1) as f64 * (BAR + BAR_GAP) - BAR_GAP,
            Stacking::Stacked => 1.5 * BAR,
        }
    }

    /// The layout's drawing: one layer, or for the narrow layout as many as it takes to keep
    /// each within `svg::PART_HEIGHT` (each prints whole on a page), every one with the header
    /// and the heading of the group it continues.
    fn draw(&self, columns: &Columns) -> Vec<Layer> {
        let mut parts = Vec::new();
        let mut sheet = Sheet::default();
        let mut y = self.draw_header(&mut sheet.layer, columns);
        let top = y;
        let mut group: Option<&str> = None;
        for row in &self.rows {
            let lines = wrap(&row.label, LABEL_SIZE, columns.label_width - indent(row));
            let opens = row.group.as_deref() != group;
            let heading = row
                .group
                .as_deref()
                .filter(|_| opens)
                .map(|h| heading_lines(columns, h));
            let height = self.row_height(columns, row, lines.len())
                + heading.as_ref().map_or(0.0, |l| heading_height(l.len()));
            if columns.above && y > top && y + height + PAD > svg::PART_HEIGHT {
                parts.push(sheet.finish(self, columns, y));
                sheet = Sheet::default();
                y = self.draw_header(&mut sheet.layer, columns);
                if let (false, Some(parent)) = (opens, group) {
                    let lines = heading_lines(columns, parent);
                    y = draw_heading(&mut sheet.layer, columns, &lines, y);
                }
            }
            group = row.group.as_deref();
            if let Some(lines) = heading {
                y = draw_heading(&mut sheet.layer, columns, &lines, y);
            }
            let (band, next) = self.draw_row(&mut sheet, columns, row, &lines, y);
            sheet.bands.push(band);
            y = next;
        }
        parts.push(sheet.finish(self, columns, y));
        parts
    }

    /// A row's height in the layout, its label wrapped into `lines` lines.
    fn row_height(&self, columns: &Columns, row: &BarRow, lines: usize) -> f64 {
        let text_height = lines as f64 * LINE_HEIGHT;
        let bars = self.bars_height(row);
        if columns.above {
            text_height + bars + 9.0
        } else {
            (bars + 8.0).max(text_height + 4.0)
        }
    }

    /// The header line(s): the reference line's label, the cap's, the side column's header.
    /// Texts that would collide at the narrowest width go on a line of their own.
    fn draw_header(&self, layer: &mut Layer, columns: &Columns) -> f64 {
        let mut texts: Vec<TextSpec> = Vec::new();
        if let Some((value, label)) = &self.reference {
            let x = X::share(self.end_of(columns, *value));
            texts.push(TextSpec::value(label, x, 0.0, Edge::Center).bold());
        }
        if self.scale.capped
            && let Some(label) = &self.cap_label
        {
            let spec = TextSpec::value(label, X::share(columns.bars_left), 0.0, Edge::Left);
            texts.push(spec.colored(MUTED));
        }
        if let (Some(header), Some((x, edge))) = (&self.side_header, columns.side) {
            texts.push(TextSpec::value(header, x, 0.0, edge).colored(MUTED));
        }
        let mut lines: Vec<Vec<(f64, f64)>> = Vec::new();
        for mut spec in texts {
            let span = extent(
                columns.px(spec.x),
                text_width(spec.text, spec.size) * BOLD_WIDTH,
                spec.edge,
            );
            let free = |line: &Vec<(f64, f64)>| {
                line.iter()
                    .all(|&(l, r)| span.1 + 6.0 < l || span.0 > r + 6.0)
            };
            let line = match lines.iter().position(free) {
                Some(i) => i,
                None => {
                    lines.push(Vec::new());
                    lines.len() - 1
                }
            };
            lines[line].push(span);
            spec.y = PAD + (line as f64 + 0.5) * HEADER_LINE;
            layer.text(spec);
        }
        PAD + lines.len() as f64 * HEADER_LINE + 2.0
    }

    /// The share of the chart's width where a bar of `value` ends.
    fn end_of(&self, columns: &Columns, value: f64) -> f64 {
        columns.bars_right - self.scale.pixels(value, columns.plot())
    }

    /// One row: its label, its side text, its bars or note. Returns its band and the next y.
    fn draw_row(
        &self,
        sheet: &mut Sheet,
        columns: &Columns,
        row: &BarRow,
        lines: &[String],
        y: f64,
    ) -> (Band, f64) {
        let Sheet { layer, shapes, .. } = sheet;
        let indent = indent(row);
        let text_height = lines.len() as f64 * LINE_HEIGHT;
        let bars = self.bars_height(row);
        let h = self.row_height(columns, row, lines.len());
        let (label_top, bars_top) = if columns.above {
            (y, y + text_height + 1.0)
        } else {
            (y + (h - text_height) / 2.0, y + (h - bars) / 2.0)
        };
        let next = y + h;
        for (i, line) in lines.iter().enumerate() {
            let line_y = label_top + (i as f64 + 0.5) * LINE_HEIGHT;
            let x = columns.label_x.moved(-indent);
            layer.text(TextSpec::label(line, x, line_y, Edge::Right));
        }
        if let (Some((text, color)), Some((x, edge))) = (&row.side, columns.side) {
            let side_y = if columns.above {
                label_top + LINE_HEIGHT / 2.0
            } else {
                bars_top + bars / 2.0
            };
            layer.text(
                TextSpec::value(text, x, side_y, edge)
                    .colored(*color)
                    .bold(),
            );
        }
        let mut band = Band {
            top: bars_top - 2.0,
            bottom: bars_top + bars + 2.0,
            texts: Vec::new(),
        };
        match (&row.note, self.stacking) {
            (Some(note), _) if row.segments.is_empty() => {
                let x = X::share(columns.bars_right).moved(-VALUE_GAP);
                let spec = TextSpec::value(note, x, bars_top + bars / 2.0, Edge::Right);
                band.texts.push(extent(
                    columns.px(x),
                    text_width(note, VALUE_SIZE),
                    Edge::Right,
                ));
                layer.text(spec.colored(MUTED));
            }
            (_, Stacking::Grouped) => {
                self.draw_grouped(layer, shapes, columns, row, bars_top, &mut band);
            }
            (_, Stacking::Stacked) => {
                self.draw_stacked(layer, shapes, columns, row, bars_top, &mut band);
            }
        }
        (band, next)
    }

    fn draw_grouped(
        &self,
        layer: &mut Layer,
        shapes: &mut Shapes,
        columns: &Columns,
        row: &BarRow,
        top: f64,
        band: &mut Band,
    ) {
        let min_px = columns.layout.share(1.0);
        for (i, segment) in row.segments.iter().enumerate() {
            let bar_top = top + i as f64 * (BAR + BAR_GAP);
            let series = &self.series[segment.series];
            let mut end = self.end_of(columns, segment.value);
            if segment.value > 0.0 {
                end = end.min(columns.bars_right - min_px);
            }
            shapes.rect(
                series.color,
                (columns.region(end), 1.0),
                (bar_top, bar_top + BAR),
            );
            if self.scale.is_cut(segment.value) {
                for dx in [8.0, 13.0] {
                    let x = columns.region(end + columns.layout.share(dx));
                    shapes.vline(WHITE, 2, x, (bar_top, bar_top + BAR));
                }
            }
            let x = X::share(end).moved(-VALUE_GAP);
            let width = text_width(&segment.text, VALUE_SIZE);
            band.texts.push(extent(columns.px(x), width, Edge::Right));
            layer.text(TextSpec::value(
                &segment.text,
                x,
                bar_top + BAR / 2.0,
                Edge::Right,
            ));
        }
    }

    fn draw_stacked(
        &self,
        layer: &mut Layer,
        shapes: &mut Shapes,
        columns: &Columns,
        row: &BarRow,
        top: f64,
        band: &mut Band,
    ) {
        let total: f64 = row.segments.iter().map(|s| s.value).sum();
        if total <= 0.0 {
            return;
        }
        let height = self.bars_height(row);
        let mut right = columns.bars_right;
        for segment in &row.segments {
            let series = &self.series[segment.series];
            let width = segment.value / total * columns.plot();
            shapes.rect(
                series.color,
                (columns.region(right - width), columns.region(right)),
                (top, top + height),
            );
            let text_px = text_width(&segment.text, VALUE_SIZE);
            if width * columns.layout.min_width() >= text_px + 2.0 * VALUE_GAP {
                let x = X::share(right).moved(-VALUE_GAP);
                band.texts.push(extent(columns.px(x), text_px, Edge::Right));
                let spec = TextSpec::value(&segment.text, x, top + height / 2.0, Edge::Right);
                layer.text(spec.colored(series.on_color));
            }
            right -= width;
        }
    }

    /// The axis at the bars' right end, the reference line and the cap, row by row.
    fn draw_lines(&self, shapes: &mut Shapes, columns: &Columns, bands: &[Band]) {
        let mut lines = vec![(columns.bars_right, MUTED)];
        if let Some((value, _)) = &self.reference {
            lines.push((self.end_of(columns, *value), INK));
        }
        if self.scale.capped && self.cap_label.is_some() {
            lines.push((columns.bars_left, GRID));
        }
        for (share, color) in lines {
            let px = columns.px(X::share(share));
            for band in bands.iter().filter(|b| b.clear_at(px)) {
                shapes.vline(color, 1, columns.region(share), (band.top, band.bottom));
            }
        }
    }
}

fn indent(row: &BarRow) -> f64 {
    if row.group.is_some() { INDENT } else { 0.0 }
}

/// A layer being drawn: its elements, its bars and lines, the texts over each row's bars.
#[derive(Default)]
struct Sheet {
    layer: Layer,
    shapes: Shapes,
    bands: Vec<Band>,
}

impl Sheet {
    /// The layer, `y` tall, with its bars and row-by-row lines.
    fn finish(mut self, chart: &BarChart, columns: &Columns, y: f64) -> Layer {
        self.layer.height = y + PAD;
        chart.draw_lines(&mut self.shapes, columns, &self.bands);
        self.layer
            .shapes(&self.shapes, columns.bars_left, columns.bars_right);
        self.layer
    }
}

/// A group's heading wrapped across the chart's width.
fn heading_lines(columns: &Columns, heading: &str) -> Rc<[String]> {
    let width = columns.layout.min_width() - 2.0 * PAD;
    wrap(heading, LABEL_SIZE, width / BOLD_WIDTH)
}

fn heading_height(lines: usize) -> f64 {
    lines as f64 * LINE_HEIGHT + 6.0
}

/// A group's heading (the parent label of the rows under it), across the chart's width.
fn draw_heading(layer: &mut Layer, columns: &Columns, lines: &[String], y: f64) -> f64 {
    let top = y + 4.0;
    for (i, line) in lines.iter().enumerate() {
        let line_y = top + (i as f64 + 0.5) * LINE_HEIGHT;
        layer.text(TextSpec::label(line, columns.label_x, line_y, Edge::Right).bold());
    }
    y + heading_height(lines.len())
}
