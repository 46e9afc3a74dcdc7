//! The site's charts in the PDF: the very SVG the build draws, made standalone for Typst's SVG
//! reader (usvg), and placed as a vector image that never splits across pages.
//!
//! The site's SVG is written for a browser inside a right-to-left page: no `xmlns` (HTML does
//! not need it) and `direction="rtl"`, under which `text-anchor="start"` is a text's right
//! edge. usvg needs the namespace and reads anchors left to right, so every text's anchor is
//! turned into the physical one it means.

use super::columns::Orientation;
use super::markup::{Field, Markup, Origin};
use crate::charts::Chart;
use std::ops::Range;
use std::sync::OnceLock;

const SVG_NAMESPACE: &str = "http://www.w3.org/2000/svg";
/// A CSS pixel is ¾ of a point: a chart keeps the size it has on the site.
const POINTS_PER_PIXEL: f64 = 0.75;
/// Room a chart's legend and title take besides its drawing, and a line of its keys.
const CHART_FURNITURE: f64 = 60.0;
const KEY_LINE: f64 = 12.0;
/// What a section's heading takes above a chart that must share its page.
const HEADING_ROOM: f64 = 110.0;

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

/// An SVG for usvg, and its size in pixels.
#[derive(Debug)]
pub struct Standalone {
    pub svg: String,
    pub width: f64,
    pub height: f64,
}

/// `svg` with the SVG namespace and left-to-right anchors.
pub fn standalone(svg: &str) -> Result<Standalone, String> {
    let doc = roxmltree::Document::parse(svg).map_err(|e| format!("the chart's SVG: {e}"))?;
    let root = doc.root_element();
    let size = |name: &str| -> Result<f64, String> {
        root.attribute(name)
            .and_then(|v| v.trim_end_matches("px").parse::<f64>().ok())
            .filter(|v| v.is_finite() && *v > 0.0)
            .ok_or_else(|| format!("the chart's SVG has no {name}"))
    };
    let (width, height) = (size("width")?, size("height")?);
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let after_name = |node: roxmltree::Node| {
        let at = node.range().start + 1 + node.tag_name().name().len();
        at..at
    };
    if root.tag_name().namespace().is_none() {
        edits.push((after_name(root), format!(" xmlns=\"{SVG_NAMESPACE}\"")));
    }
    for text in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let rtl = text
            .ancestors()
            .find_map(|n| n.attribute("direction"))
            .is_some_and(|d| d == "rtl");
        if !rtl {
            continue;
        }
        let inherited = text.ancestors().find_map(|n| n.attribute("text-anchor"));
        let physical = match inherited.unwrap_or("start") {
            "start" => "end",
            "end" => "start",
            other => other,
        };
        match text.attribute_node("text-anchor") {
            Some(own) => edits.push((own.range_value(), physical.to_string())),
            None => edits.push((after_name(text), format!(" text-anchor=\"{physical}\""))),
        }
    }
    for text in doc.descendants().filter(|n| n.has_tag_name("text")) {
        edits.extend(baseline_shift(text));
    }
    edits.sort_by_key(|(range, _)| range.start);
    let mut out = String::with_capacity(svg.len() + edits.len() * 20);
    let mut copied = 0;
    for (range, replacement) in edits {
        out.push_str(&svg[copied..range.start]);
        out.push_str(&replacement);
        copied = range.end;
    }
    out.push_str(&svg[copied..]);
    Ok(Standalone {
        svg: out,
        width,
        height,
    })
}

/// A text's `dy` moved into its `y`. usvg shifts only the first character of a right-to-left
/// text by `dy` (browsers shift the whole line), which drops a label's first letter below the
/// rest; `ex` is the font's x-height, as browsers take it.
fn baseline_shift(text: roxmltree::Node) -> Vec<(Range<usize>, String)> {
    let (Some(dy), Some(y)) = (text.attribute_node("dy"), text.attribute_node("y")) else {
        return Vec::new();
    };
    let size = text
        .ancestors()
        .find_map(|n| n.attribute("font-size"))
        .and_then(|v| v.trim_end_matches("px").parse::<f64>().ok())
        .unwrap_or(16.0);
    let value = dy.value().trim();
    let shift = if let Some(ex) = value.strip_suffix("ex") {
        ex.parse::<f64>().ok().map(|n| n * size * x_height())
    } else if let Some(em) = value.strip_suffix("em") {
        em.parse::<f64>().ok().map(|n| n * size)
    } else {
        value.trim_end_matches("px").parse::<f64>().ok()
    };
    let (Some(shift), Ok(at)) = (shift, y.value().trim().parse::<f64>()) else {
        return Vec::new();
    };
    let whole = dy.range();
    // the attribute and the space before it
    let dy_range = whole.start.saturating_sub(1)..whole.end;
    vec![
        (y.range_value(), format!("{:.2}", at + shift)),
        (dy_range, String::new()),
    ]
}

/// Vazirmatn's x-height in em.
fn x_height() -> f64 {
    static X_HEIGHT: OnceLock<f64> = OnceLock::new();
    *X_HEIGHT.get_or_init(|| {
        rustybuzz::ttf_parser::Face::parse(crate::fonts::REGULAR_TTF, 0)
            .ok()
            .and_then(|face| {
                let height = face.x_height()?;
                Some(f64::from(height) / f64::from(face.units_per_em()))
            })
            .unwrap_or(0.5)
    })
}

/// Writes `chart` (of `table`, if any) for a page of `orientation`, adding its file to `files`.
/// A chart whose SVG cannot be read (a karnameh bug) is left out and reported in `m`.
pub fn write(
    m: &mut Markup,
    chart: &Chart,
    table: Option<&str>,
    (orientation, placement): (Orientation, Placement),
    origin: &Origin,
    files: &mut Vec<ChartFile>,
) {
    let drawing = match standalone(&chart.svg) {
        Ok(drawing) => drawing,
        Err(e) => {
            m.bug(format!("chart {}: {e}", chart.id));
            return;
        }
    };
    let path = format!("/charts/{}.svg", files.len());
    let key_lines = chart.keys.len().div_ceil(3) as f64;
    let heading = match placement {
        Placement::UnderHeading => HEADING_ROOM,
        Placement::AfterTable => 0.0,
    };
    let room = orientation.height() - CHART_FURNITURE - key_lines * KEY_LINE - heading;
    let natural = drawing.width * POINTS_PER_PIXEL;
    let width = natural
        .min(orientation.width())
        .min(room.max(100.0) * drawing.width / drawing.height);
    let at = Origin {
        field: Some(Field::Named("a chart")),
        ..*origin
    };
    let mut title = chart.title.clone();
    if let Some(id) = table {
        title.push_str(&format!(" (داده‌ها در جدول {id})"));
    }
    m.code("#chart(")
        .own(&path)
        .code_fmt(format_args!(", width: {width:.2}pt, title: "))
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
    files.push(ChartFile {
        path,
        svg: drawing.svg.into_bytes(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_become_physical_and_the_namespace_is_added() {
        let site = r#"<svg width="600" height="200" viewBox="0 0 600 200" direction="rtl"><g><text x="590" y="10" dy="1em" font-size="13">تهران</text><text x="10" y="10" text-anchor="end">۱۹۹</text><text x="300" y="10" text-anchor="middle">میانه</text></g></svg>"#;
        let out = standalone(site).unwrap();
        assert_eq!((out.width, out.height), (600.0, 200.0));
        let doc = roxmltree::Document::parse(&out.svg).unwrap();
        assert_eq!(
            doc.root_element().tag_name().namespace(),
            Some(SVG_NAMESPACE)
        );
        let anchors: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .map(|n| n.attribute("text-anchor").unwrap())
            .collect();
        assert_eq!(anchors, ["end", "start", "middle"]);
        let texts: Vec<&str> = (doc.descendants())
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(texts, ["تهران", "۱۹۹", "میانه"]);
        let shifted = doc.descendants().find(|n| n.has_tag_name("text")).unwrap();
        assert_eq!(shifted.attribute("y"), Some("23.00"), "dy moved into y");
        assert_eq!(shifted.attribute("dy"), None);
    }

    #[test]
    fn a_left_to_right_svg_with_its_namespace_is_kept() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text x="1" y="1">a</text></svg>"#;
        assert_eq!(standalone(svg).unwrap().svg, svg);
        assert!(standalone("<svg width=\"10\"/>").is_err());
        assert!(standalone("<svg").is_err());
    }
}
