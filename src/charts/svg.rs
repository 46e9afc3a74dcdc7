//! Drawing with plotters' SVG backend, then fixing its output for a right-to-left page:
//! `direction="rtl"` with swapped anchors, rounded font sizes, an accessible name.

use super::text::{FONT_FAMILY, FONT_TTF};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, register_font};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

pub type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
pub type DrawResult = Result<(), String>;

/// Colours: each ≥ 3:1 against white, and apart in grayscale and for colour-blind readers.
pub const DARK_BLUE: RGBColor = RGBColor(0x08, 0x30, 0x6b);
pub const SLATE: RGBColor = RGBColor(0x5b, 0x7a, 0x99);
pub const ORANGE: RGBColor = RGBColor(0xb3, 0x52, 0x09);
pub const INK: RGBColor = RGBColor(0x1b, 0x1f, 0x24);
pub const MUTED: RGBColor = RGBColor(0x4d, 0x55, 0x60);
pub const GRID: RGBColor = RGBColor(0xc9, 0xcf, 0xd6);

pub fn hex(color: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", color.0, color.1, color.2)
}

/// Registers the embedded font with plotters once; without it text fails to draw.
fn register() -> Result<(), String> {
    static REGISTERED: OnceLock<Result<(), String>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            for style in [FontStyle::Normal, FontStyle::Bold] {
                register_font(FONT_FAMILY, style, FONT_TTF)
                    .map_err(|_| "the chart font is not a valid TTF".to_string())?;
            }
            Ok(())
        })
        .clone()
}

/// Where a text's x coordinate is, on the page as seen (not in the text's own direction).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Edge {
    Right,
    Left,
    Center,
}

pub struct TextSpec<'s> {
    pub text: &'s str,
    pub x: f64,
    pub y: f64,
    pub size: f64,
    pub color: RGBColor,
    pub edge: Edge,
    pub bold: bool,
}

pub fn text(area: &Area, spec: TextSpec) -> DrawResult {
    // plotters writes start/end for Left/Right; `finish` swaps them for direction="rtl"
    let h_pos = match spec.edge {
        Edge::Right => HPos::Right,
        Edge::Left => HPos::Left,
        Edge::Center => HPos::Center,
    };
    let style = if spec.bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    };
    let font = font_desc(spec.size, style)
        .color(&spec.color)
        .pos(Pos::new(h_pos, VPos::Center));
    let clean: String = spec.text.chars().filter(|c| !c.is_control()).collect();
    area.draw(&Text::new(clean, (round(spec.x), round(spec.y)), font))
        .map_err(|e| e.to_string())
}

/// The font at `size` in `style`, made once per thread: making one looks the font up again.
fn font_desc(size: f64, style: FontStyle) -> FontDesc<'static> {
    thread_local! {
        static FONTS: RefCell<HashMap<(u64, bool), FontDesc<'static>>> = RefCell::new(HashMap::new());
    }
    let key = (size.to_bits(), matches!(style, FontStyle::Bold));
    FONTS.with_borrow_mut(|fonts| {
        fonts
            .entry(key)
            // plotters divides the size by 1.24 when it writes it
            .or_insert_with(|| FontDesc::new(FontFamily::Name(FONT_FAMILY), size * 1.24, style))
            .clone()
    })
}

/// Size and line height of row labels, shared by every chart.
pub const LABEL_SIZE: f64 = 13.0;
pub const LINE_HEIGHT: f64 = 18.0;

/// A row label wrapped into `lines`, flush right at `right`, centred on `center_y`.
pub fn row_label(area: &Area, lines: &[String], right: f64, center_y: f64) -> DrawResult {
    let first = center_y - (lines.len() as f64 - 1.0) * LINE_HEIGHT / 2.0;
    for (i, line) in lines.iter().enumerate() {
        let y = first + i as f64 * LINE_HEIGHT;
        text(
            area,
            TextSpec {
                text: line,
                x: right,
                y,
                size: LABEL_SIZE,
                color: INK,
                edge: Edge::Right,
                bold: false,
            },
        )?;
    }
    Ok(())
}

pub fn rect(
    area: &Area,
    (x0, y0): (f64, f64),
    (x1, y1): (f64, f64),
    color: RGBColor,
) -> DrawResult {
    let corners = [(round(x0), round(y0)), (round(x1), round(y1))];
    area.draw(&Rectangle::new(corners, color.filled()))
        .map_err(|e| e.to_string())
}

pub fn line(area: &Area, points: &[(f64, f64)], color: RGBColor, width: u32) -> DrawResult {
    let points: Vec<(i32, i32)> = points.iter().map(|&(x, y)| (round(x), round(y))).collect();
    area.draw(&PathElement::new(points, color.stroke_width(width)))
        .map_err(|e| e.to_string())
}

fn round(v: f64) -> i32 {
    v.round() as i32
}

/// What the chart says to assistive technology, and which table it draws.
pub struct Accessible<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub desc: &'a str,
}

/// Draws a `width` × `height` chart with `draw`, then finishes it for an RTL page.
pub fn render(
    width: u32,
    height: u32,
    a11y: &Accessible,
    draw: impl FnOnce(&Area) -> DrawResult,
) -> Result<String, String> {
    register()?;
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        draw(&area)?;
        area.present().map_err(|e| e.to_string())?;
    }
    Ok(finish(&svg, a11y))
}

/// Post-processes plotters' SVG:
/// - `direction="rtl"` on the root and `start`↔`end` swapped, so anchors mean the same inside
///   a `dir=rtl` page and Persian numbers with `٪` read in the right order;
/// - `role="img"` with `<title>` and `<desc>`;
/// - no `xmlns` URL (inline SVG in HTML does not need it, and the site names no outside URL);
/// - font sizes rounded (plotters writes `size / 1.24`).
pub fn finish(svg: &str, a11y: &Accessible) -> String {
    let mut out = String::with_capacity(svg.len() + 512);
    for line in svg.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with("<?xml") {
            continue;
        }
        if let Some(rest) = line.strip_prefix("<svg ") {
            let attributes = rest.replace(" xmlns=\"http://www.w3.org/2000/svg\"", "");
            let id = escape(a11y.id);
            out.push_str(&format!(
                "<svg {} role=\"img\" direction=\"rtl\" aria-labelledby=\"{id}-title {id}-desc\" class=\"chart-svg\" font-family=\"{FONT_FAMILY}\">",
                attributes.trim_end_matches('>').trim_end(),
            ));
            out.push_str(&format!(
                "<title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
                escape(a11y.title),
                escape(a11y.desc)
            ));
            continue;
        }
        finish_line(&mut out, line);
    }
    out
}

/// Appends one element of plotters' output, its attributes rewritten in one pass: the text
/// anchor swapped for `direction="rtl"` and left out when it is the default (`start`, the right
/// edge), font sizes rounded, and what only repeats a default or the root (`opacity="1"`,
/// `stroke="none"`, the font family) left out, which halves a chart's size.
fn finish_line(out: &mut String, line: &str) {
    let Some(tag_end) = line.find([' ', '>', '/']).filter(|_| line.starts_with('<')) else {
        out.push_str(line);
        return;
    };
    let tag = &line[1..tag_end];
    out.push_str(&line[..tag_end]);
    let mut rest = &line[tag_end..];
    while let Some((name, value, after)) = next_attribute(rest) {
        match (tag, name, value) {
            ("text", "text-anchor", "end") | (_, "font-family", _) | (_, "opacity", "1") => {}
            ("text", "text-anchor", "start") => out.push_str(" text-anchor=\"end\""),
            ("rect", "stroke", "none") => {}
            (_, "font-size", size) => {
                out.push_str(" font-size=\"");
                push_rounded(out, size);
                out.push('"');
            }
            _ => {
                out.push(' ');
                out.push_str(name);
                out.push_str("=\"");
                out.push_str(value);
                out.push('"');
            }
        }
        rest = after;
    }
    out.push_str(rest);
}

/// ` name="value" rest` → `(name, value, rest)`; `None` at the end of the attributes.
fn next_attribute(text: &str) -> Option<(&str, &str, &str)> {
    let text = text.strip_prefix(' ')?;
    let (name, after) = text.split_once("=\"")?;
    if name.contains([' ', '>', '/']) {
        return None;
    }
    let (value, rest) = after.split_once('"')?;
    Some((name, value, rest))
}

/// `12.999999` → `13`, `10.48` → `10.48`: plotters writes sizes divided by 1.24.
fn push_rounded(out: &mut String, value: &str) {
    match value.parse::<f64>() {
        Ok(size) => {
            let text = format!("{size:.2}");
            out.push_str(text.trim_end_matches('0').trim_end_matches('.'));
        }
        Err(_) => out.push_str(value),
    }
}

/// Escapes text and attribute values alike, without control characters, which XML forbids
/// (ids are checked where they are read; this keeps the SVG well-formed whatever reaches it).
fn escape(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect::<String>()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finish_makes_the_root_rtl_accessible_and_url_free() {
        let raw = "<svg width=\"10\" height=\"5\" viewBox=\"0 0 10 5\" xmlns=\"http://www.w3.org/2000/svg\">\n<text x=\"1\" y=\"2\" text-anchor=\"end\" font-size=\"12.999999\">a</text>\n<text text-anchor=\"start\">b</text>\n</svg>\n";
        let a11y = Accessible {
            id: "T1-c1",
            title: "t <x>",
            desc: "d",
        };
        let svg = finish(raw, &a11y);
        assert!(
            svg.starts_with(
                "<svg width=\"10\" height=\"5\" viewBox=\"0 0 10 5\" role=\"img\" direction=\"rtl\""
            ),
            "{svg}"
        );
        assert!(!svg.contains("http"));
        assert!(svg.contains(
            "<title id=\"T1-c1-title\">t &lt;x&gt;</title><desc id=\"T1-c1-desc\">d</desc>"
        ));
        // plotters' `end` becomes `start`, the default, and is left out; sizes are rounded
        assert!(
            svg.contains("<text x=\"1\" y=\"2\" font-size=\"13\">a"),
            "{svg}"
        );
        assert!(svg.contains("text-anchor=\"end\">b"), "{svg}");
    }

    #[test]
    fn drawn_text_keeps_its_edge_after_the_swap() {
        let a11y = Accessible {
            id: "x",
            title: "t",
            desc: "d",
        };
        let svg = render(100, 40, &a11y, |area| {
            text(
                area,
                TextSpec {
                    text: "تهران",
                    x: 90.0,
                    y: 10.0,
                    size: 13.0,
                    color: INK,
                    edge: Edge::Right,
                    bold: false,
                },
            )?;
            text(
                area,
                TextSpec {
                    text: "۱۲۰٪",
                    x: 5.0,
                    y: 30.0,
                    size: 11.0,
                    color: INK,
                    edge: Edge::Left,
                    bold: true,
                },
            )
        })
        .unwrap();
        // right edge → "end" from plotters → "start" in an rtl SVG, the right edge and the
        // default, so no anchor is written; the root names the font
        assert!(
            svg.contains("x=\"90\" y=\"10\" dy=\"0.5ex\" font-size=\"13\" fill=\"#1B1F24\">"),
            "{svg}"
        );
        assert!(
            !svg.contains("opacity") && svg.matches("Vazirmatn").count() == 1,
            "{svg}"
        );
        assert!(
            svg.contains("x=\"5\" y=\"30\" dy=\"0.5ex\" text-anchor=\"end\""),
            "{svg}"
        );
        assert!(svg.contains("font-weight=\"bold\""));
    }
}
