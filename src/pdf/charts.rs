//! The site's charts in the PDF: the very SVG the build draws, made standalone for Typst's SVG
//! reader (usvg), and placed as vector images, none split across pages.
//!
//! The site's chart holds two layouts (`<g class="wide">`, `<g class="narrow">`) whose x
//! coordinates are shares of the chart's width, for CSS to show one by the page's width; a
//! long narrow layout continues in an `<svg>` per part. usvg knows no CSS, and neither the
//! namespace-less SVG of HTML, `vector-effect` nor right-to-left `dx` (it moves only a text's
//! first letter), so one layout is drawn again as plain SVG at the width of the PDF's
//! column: every share made pixels, each stretched region's paths moved into place, each text's
//! anchor made the physical edge it means under `direction="rtl"` (usvg reads anchors left to
//! right). An upright page is narrower than the wide layout's least width (as an A4 page in
//! print is): it gets the narrow layout, part by part; a landscape page gets the wide layout
//! when it fits the page's height, else the narrow one too.

use super::columns::Orientation;
use super::markup::{Field, Markup, Origin};
use crate::charts::{Chart, Layout, escape_into, push_num};
use roxmltree::Node;
use std::fmt::Write;

const SVG_NAMESPACE: &str = "http://www.w3.org/2000/svg";
/// A CSS pixel is ¾ of a point: a chart's text keeps the size it has on the site.
const POINTS_PER_PIXEL: f64 = 0.75;
/// Room a chart's legend and title take besides its drawing, and a line of its keys.
const CHART_FURNITURE: f64 = 60.0;
const KEY_LINE: f64 = 12.0;
/// What a section's heading takes above a chart that must share its page.
const HEADING_ROOM: f64 = 110.0;
/// The attributes of the site's `<svg>` that its texts inherit.
const INHERITED: [&str; 5] = [
    "direction",
    "font-family",
    "font-size",
    "fill",
    "dominant-baseline",
];

/// Where a chart is placed: after its table, or right under its section's heading (whose page
/// it must share, or the heading would be left alone at the foot of the page before).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    AfterTable,
    UnderHeading,
}

/// A chart's SVG, served to Typst at `path`.
pub struct ChartFile {
    pub path: String,
    pub svg: Vec<u8>,
}

/// One layout (or one part of it) as an SVG for usvg, and its size in pixels.
#[derive(Debug)]
pub struct Standalone {
    pub svg: String,
    pub width: f64,
    pub height: f64,
}

/// `layout` of the site's chart `svg` (all its parts, or the wide layer) drawn `width` pixels
/// wide, each part a standalone SVG.
pub fn standalone(svg: &str, layout: Layout, width: f64) -> Result<Vec<Standalone>, String> {
    // a long chart is several `<svg>`s in a row: one document of them
    let wrapped = format!("<chart>{svg}</chart>");
    let doc = roxmltree::Document::parse(&wrapped).map_err(|e| format!("the chart's SVG: {e}"))?;
    let (class, height_of) = match layout {
        Layout::Wide => ("wide", "--hw"),
        Layout::Narrow => ("narrow", "--hn"),
    };
    let mut parts = Vec::new();
    for root in doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name("svg"))
    {
        let Some(layer) = root
            .children()
            .find(|n| n.has_tag_name("g") && n.attribute("class") == Some(class))
        else {
            continue;
        };
        let height = style_px(root, height_of)
            .ok_or_else(|| format!("the chart's SVG has no {height_of} height"))?;
        parts.push(Standalone {
            svg: layer_svg(root, layer, width, height)?,
            width,
            height,
        });
    }
    if parts.is_empty() {
        return Err(format!("the chart's SVG has no {class} layout"));
    }
    Ok(parts)
}

/// A length of the chart's style, in pixels (`--hn:91px`).
fn style_px(root: Node, name: &str) -> Option<f64> {
    let style = root.attribute("style")?;
    style.split(';').find_map(|rule| {
        let (key, value) = rule.split_once(':')?;
        let px = value.trim().trim_end_matches("px").parse::<f64>().ok()?;
        (key.trim() == name && px.is_finite() && px > 0.0).then_some(px)
    })
}

/// `layer` of `root` as a whole SVG, `width` × `height` pixels.
fn layer_svg(root: Node, layer: Node, width: f64, height: f64) -> Result<String, String> {
    let mut out = String::with_capacity(4096);
    let _ = write!(
        out,
        "<svg xmlns=\"{SVG_NAMESPACE}\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\"",
        w = num(width),
        h = num(height)
    );
    for name in INHERITED {
        if let Some(value) = root.attribute(name) {
            attribute(&mut out, name, value);
        }
    }
    out.push('>');
    let rtl = root.attribute("direction") == Some("rtl");
    for item in layer.children().filter(Node::is_element) {
        match item.tag_name().name() {
            "text" => text(&mut out, item, width, rtl)?,
            "svg" => stretched(&mut out, item, width)?,
            other => return Err(format!("the chart's SVG has a <{other}> in a layout")),
        }
    }
    out.push_str("</svg>");
    Ok(out)
}

/// A text at its x in pixels (its share of `width` and its `dx`), anchored at the edge meant.
fn text(out: &mut String, text: Node, width: f64, rtl: bool) -> Result<(), String> {
    let x = length(text.attribute("x").unwrap_or("0"), width)?
        + length(text.attribute("dx").unwrap_or("0"), width)?;
    let y = length(text.attribute("y").unwrap_or("0"), width)?;
    let _ = write!(out, "<text x=\"{}\" y=\"{}\"", num(x), num(y));
    let anchor = text.attribute("text-anchor").unwrap_or("start");
    let physical = match (rtl, anchor) {
        (true, "start") => "end",
        (true, "end") => "start",
        (_, other) => other,
    };
    attribute(out, "text-anchor", physical);
    for name in ["font-size", "fill", "font-weight"] {
        if let Some(value) = text.attribute(name) {
            attribute(out, name, value);
        }
    }
    out.push('>');
    escape_into(out, text.text().unwrap_or_default());
    out.push_str("</text>");
    Ok(())
}

/// A stretched region (`<svg x="10%" width="50%" viewBox="0 0 1000 h"
/// preserveAspectRatio="none">`): its paths moved and scaled into the chart's pixels, so that
/// strokes keep their width as `vector-effect="non-scaling-stroke"` keeps them on the site.
fn stretched(out: &mut String, region: Node, width: f64) -> Result<(), String> {
    let left = length(region.attribute("x").unwrap_or("0"), width)?;
    let span = length(region.attribute("width").unwrap_or("100%"), width)?;
    let units = region
        .attribute("viewBox")
        .and_then(|v| v.split_whitespace().nth(2))
        .and_then(|w| w.parse::<f64>().ok())
        .filter(|w| *w > 0.0)
        .ok_or("a stretched region of the chart has no viewBox")?;
    let scale = span / units;
    for path in region.children().filter(Node::is_element) {
        if !path.has_tag_name("path") {
            return Err("a stretched region of the chart holds more than paths".to_string());
        }
        out.push_str("<path");
        for name in ["fill", "stroke", "stroke-width"] {
            if let Some(value) = path.attribute(name) {
                attribute(out, name, value);
            }
        }
        let d = moved_path(path.attribute("d").unwrap_or_default(), left, scale)?;
        attribute(out, "d", &d);
        out.push_str("/>");
    }
    Ok(())
}

/// Path data with every x scaled by `scale` and moved by `left` (y is kept): the commands the
/// charts draw with, `M L H V Z` and their relative forms.
fn moved_path(d: &str, left: f64, scale: f64) -> Result<String, String> {
    let mut out = String::with_capacity(d.len() + 16);
    let mut command = ' ';
    // the coordinates of the command so far (pairs alternate x, y)
    let mut index = 0;
    let mut rest = d.trim_start();
    while !rest.is_empty() {
        let first = rest.chars().next().unwrap_or(' ');
        if first.is_ascii_alphabetic() {
            if !"MmLlHhVvZz".contains(first) {
                return Err(format!("the chart's path has a `{first}` command"));
            }
            command = first;
            index = 0;
            out.push(first);
            rest = rest[1..].trim_start_matches([' ', ',']);
            continue;
        }
        let end = number_end(rest);
        let value: f64 = rest[..end]
            .parse()
            .map_err(|_| format!("the chart's path has `{}`", &rest[..end.max(1)]))?;
        let is_x = match command {
            'H' | 'h' => true,
            'V' | 'v' => false,
            'M' | 'm' | 'L' | 'l' => index % 2 == 0,
            _ => return Err("the chart's path has a number after Z".to_string()),
        };
        let moved = match (is_x, command.is_ascii_uppercase()) {
            (true, true) => left + value * scale,
            (true, false) => value * scale,
            (false, _) => value,
        };
        if index > 0 {
            out.push(' ');
        }
        out.push_str(&num(moved));
        index += 1;
        rest = rest[end..].trim_start_matches([' ', ',']);
    }
    Ok(out)
}

/// Where the number at the start of `text` ends (a sign, digits, one point).
fn number_end(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut end = usize::from(matches!(bytes.first(), Some(b'-' | b'+')));
    let mut point = false;
    while let Some(&b) = bytes.get(end) {
        match b {
            b'0'..=b'9' => {}
            b'.' if !point => point = true,
            _ => break,
        }
        end += 1;
    }
    end
}

/// A length in pixels: a share of `width` (`50%`) or pixels (`12`, `12px`).
fn length(value: &str, width: f64) -> Result<f64, String> {
    let value = value.trim();
    let (number, share) = match value.strip_suffix('%') {
        Some(n) => (n, true),
        None => (value.trim_end_matches("px"), false),
    };
    let n: f64 = number
        .parse()
        .map_err(|_| format!("the chart's SVG has the length `{value}`"))?;
    Ok(if share { n / 100.0 * width } else { n })
}

fn attribute(out: &mut String, name: &str, value: &str) {
    let _ = write!(out, " {name}=\"");
    escape_into(out, value);
    out.push('"');
}

/// A coordinate as the site's charts write it (at most two decimals): the same chart gives the
/// same bytes.
fn num(value: f64) -> String {
    let mut text = String::new();
    push_num(&mut text, value);
    text
}

/// The pages a table's `charts` go on after a table set on `orientation`: turned pages
/// when each chart's wide layout fits one, else upright ones (in the narrow layout, two parts
/// of a long chart to a page, as the site prints them).
pub fn page_for(charts: &[Chart], orientation: Orientation) -> Orientation {
    let turned = orientation == Orientation::Landscape
        && charts.iter().all(|chart| {
            let room = room(chart, orientation, Placement::AfterTable);
            matches!(parts_for(chart, orientation, room), Ok((Layout::Wide, _)))
        });
    if turned {
        Orientation::Landscape
    } else {
        Orientation::Portrait
    }
}

/// The room in points a chart's drawing may take on a page of `orientation`.
fn room(chart: &Chart, orientation: Orientation, placement: Placement) -> f64 {
    let key_lines = chart.keys.len().div_ceil(3) as f64;
    let heading = match placement {
        Placement::UnderHeading => HEADING_ROOM,
        Placement::AfterTable => 0.0,
    };
    orientation.height() - CHART_FURNITURE - key_lines * KEY_LINE - heading
}

/// The layout of `chart` for a page of `orientation` (see the module's comment) whose room
/// for the drawing is `room` points, and its parts, each drawn the column's width.
fn parts_for(
    chart: &Chart,
    orientation: Orientation,
    room: f64,
) -> Result<(Layout, Vec<Standalone>), String> {
    let width = orientation.width() / POINTS_PER_PIXEL;
    if orientation == Orientation::Landscape && width >= Layout::Wide.min_width() {
        let wide = standalone(&chart.svg, Layout::Wide, width)?;
        if wide.iter().all(|p| p.height * POINTS_PER_PIXEL <= room) {
            return Ok((Layout::Wide, wide));
        }
    }
    Ok((
        Layout::Narrow,
        standalone(&chart.svg, Layout::Narrow, width)?,
    ))
}

/// Writes `chart` (of `table`, if any) for a page of `orientation`, adding its files to
/// `files`. A chart whose SVG cannot be read (a karnameh bug) is left out and reported in `m`.
pub fn write(
    m: &mut Markup,
    chart: &Chart,
    table: Option<&str>,
    (orientation, placement): (Orientation, Placement),
    origin: &Origin,
    files: &mut Vec<ChartFile>,
) {
    let room = room(chart, orientation, placement);
    let parts = match parts_for(chart, orientation, room) {
        Ok((_, parts)) => parts,
        Err(e) => {
            m.bug(format!("chart {}: {e}", chart.id));
            return;
        }
    };
    let at = Origin {
        field: Some(Field::Named("a chart")),
        ..*origin
    };
    let mut title = chart.title.clone();
    if let Some(id) = table {
        title.push_str(&format!(" (داده‌ها در جدول {id})"));
    }
    m.code("#chart((");
    for part in parts {
        let path = format!("/charts/{}.svg", files.len());
        // a part taller than its page (none is drawn so) is made smaller to fit
        let natural = part.width * POINTS_PER_PIXEL;
        let width = natural.min(room.max(100.0) * part.width / part.height);
        m.code("(")
            .own(&path)
            .code_fmt(format_args!(", {width:.2}pt), "));
        files.push(ChartFile {
            path,
            svg: part.svg.into_bytes(),
        });
    }
    m.code("), title: ")
        .text(&title, &at)
        .code(", alt: ")
        .text(&chart.title, &at)
        .code(", legend: (");
    for item in &chart.legend {
        m.code("(")
            .own(&item.color)
            .code(", ")
            .text(&item.label, &at)
            .code("), ");
    }
    m.code("), keys: (");
    for key in &chart.keys {
        m.text(key, &at).code(", ");
    }
    m.code("))\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    const SITE: &str = concat!(
        r##"<svg class="chart-svg" width="100%" height="40" style="--hw:40px;--hn:30px" role="img" direction="rtl" font-family="Vazirmatn" font-size="13" fill="#1b1f24" dominant-baseline="central">"##,
        r##"<title id="t">t</title><g class="wide"><text x="100%" dx="-8" y="10">تهران</text>"##,
        r##"<text x="5" y="30" text-anchor="end" font-size="12">۱۲۰٪</text>"##,
        r##"<svg x="10%" width="50%" height="30" viewBox="0 0 1000 30" preserveAspectRatio="none" overflow="visible"><path fill="#08306b" d="M0 0h500v10h-500z"/><path fill="none" stroke="#c9cfd6" stroke-width="1" vector-effect="non-scaling-stroke" d="M1000 0V30"/></svg></g>"##,
        r##"<g class="narrow"><text x="50%" y="5" text-anchor="middle">میانه</text></g></svg>"##,
        r##"<svg class="chart-svg" width="100%" height="0" style="--hw:0px;--hn:20px" aria-hidden="true" direction="rtl"><g class="narrow"><text x="100%" y="5">ایلام</text></g></svg>"##,
    );

    fn parsed(svg: &str) -> roxmltree::Document<'_> {
        let doc = roxmltree::Document::parse(svg).unwrap();
        assert_eq!(
            doc.root_element().tag_name().namespace(),
            Some(SVG_NAMESPACE)
        );
        doc
    }

    #[test]
    fn the_wide_layer_is_drawn_in_pixels_with_physical_anchors() {
        let parts = standalone(SITE, Layout::Wide, 1000.0).unwrap();
        assert_eq!(parts.len(), 1, "the wide layout is one drawing");
        assert_eq!((parts[0].width, parts[0].height), (1000.0, 40.0));
        let doc = parsed(&parts[0].svg);
        let root = doc.root_element();
        assert_eq!(root.attribute("viewBox"), Some("0 0 1000 40"));
        assert_eq!(root.attribute("dominant-baseline"), Some("central"));
        let texts: Vec<_> = (doc.descendants().filter(|n| n.has_tag_name("text")))
            .map(|n| {
                let a = |k| n.attribute(k).unwrap_or("");
                (n.text().unwrap(), a("x"), a("text-anchor"), a("dx"))
            })
            .collect();
        // the right edge (`start` under rtl) is `end` to usvg; dx is in x
        assert_eq!(
            texts,
            [("تهران", "992", "end", ""), ("۱۲۰٪", "5", "start", "")]
        );
        let d: Vec<&str> = (doc.descendants().filter(|n| n.has_tag_name("path")))
            .map(|n| n.attribute("d").unwrap())
            .collect();
        // the region spans 100..600 px: 1000 units are 500 px
        assert_eq!(d, ["M100 0h250v10h-250z", "M600 0V30"]);
        assert!(!parts[0].svg.contains("vector-effect") && !parts[0].svg.contains("<svg x="));
        assert!(!parts[0].svg.contains("narrow") && !parts[0].svg.contains("میانه"));
    }

    #[test]
    fn the_narrow_layout_is_one_drawing_per_part() {
        let parts = standalone(SITE, Layout::Narrow, 400.0).unwrap();
        let heights: Vec<f64> = parts.iter().map(|p| p.height).collect();
        assert_eq!(heights, [30.0, 20.0]);
        let doc = parsed(&parts[0].svg);
        let text = doc.descendants().find(|n| n.has_tag_name("text")).unwrap();
        assert_eq!(text.attribute("x"), Some("200"));
        assert_eq!(text.attribute("text-anchor"), Some("middle"));
        assert!(!parts[0].svg.contains("تهران"), "no wide text");
        assert!(parts[1].svg.contains("ایلام"));
    }

    #[test]
    fn what_the_charts_never_draw_is_an_error() {
        assert!(standalone("<svg", Layout::Narrow, 100.0).is_err());
        let no_layer = r#"<svg style="--hn:10px"><text>x</text></svg>"#;
        assert!(standalone(no_layer, Layout::Narrow, 100.0).is_err());
        let curve = r#"<svg style="--hn:10px"><g class="narrow"><svg viewBox="0 0 1000 10"><path d="M0 0C1 1 2 2 3 3"/></svg></g></svg>"#;
        assert!(standalone(curve, Layout::Narrow, 100.0).is_err());
        assert_eq!(
            moved_path("M0 0H1000V5L500,2z", 10.0, 0.1).unwrap(),
            "M10 0H110V5L60 2z"
        );
    }
}
