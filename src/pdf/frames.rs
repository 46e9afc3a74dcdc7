//! Reading Typst's laid-out pages: what sticks out of a page's text area. A table planned too
//! wide would show here as text or rules beyond the margins.

use typst::layout::{Abs, Frame, FrameItem, Point, Transform};
use typst::visualize::ImageKind;
use typst_layout::PagedDocument;

/// Something drawn outside its page's text area.
#[derive(Debug, Clone, PartialEq)]
pub struct Overflow {
    /// 1-based.
    pub page: usize,
    /// How far past the area's left or right edge it reaches, in points.
    pub by: f64,
    /// The text that sticks out, if it is text.
    pub text: Option<String>,
}

/// The side margins the template sets, in points.
pub const SIDE_MARGIN: f64 = 56.69;
/// Rounding and rule widths.
const TOLERANCE: f64 = 1.0;

/// Every item of `document` that reaches beyond the side margins of its page.
pub fn overflows(document: &PagedDocument) -> Vec<Overflow> {
    let mut found = Vec::new();
    for (i, page) in document.pages().iter().enumerate() {
        let width = page.frame.width().to_pt();
        let area = (SIDE_MARGIN - TOLERANCE, width - SIDE_MARGIN + TOLERANCE);
        walk(
            &page.frame,
            Transform::identity(),
            &mut |left, right, text| {
                let by = (area.0 - left).max(right - area.1);
                if by > 0.0 {
                    found.push(Overflow {
                        page: i + 1,
                        by,
                        text,
                    });
                }
            },
        );
    }
    found
}

/// How many vector (SVG) drawings the pages show: the charts.
pub fn svg_images(document: &PagedDocument) -> usize {
    fn count(frame: &Frame) -> usize {
        frame
            .items()
            .map(|(_, item)| match item {
                FrameItem::Group(group) => count(&group.frame),
                FrameItem::Image(image, ..) => {
                    usize::from(matches!(image.kind(), ImageKind::Svg(_)))
                }
                _ => 0,
            })
            .sum()
    }
    document.pages().iter().map(|p| count(&p.frame)).sum()
}

/// Calls `each` with the horizontal extent (in page points) of every text, shape and image.
fn walk(frame: &Frame, ts: Transform, each: &mut dyn FnMut(f64, f64, Option<String>)) {
    for (pos, item) in frame.items() {
        let here = ts.pre_concat(Transform::translate(pos.x, pos.y));
        let extent = |min: Point, max: Point| {
            let corners = [min, Point::new(min.x, max.y), Point::new(max.x, min.y), max];
            let xs = corners.map(|p| p.transform(here).x.to_pt());
            let left = xs.iter().copied().fold(f64::INFINITY, f64::min);
            let right = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            (left, right)
        };
        match item {
            FrameItem::Group(group) => walk(&group.frame, here.pre_concat(group.transform), each),
            FrameItem::Text(text) => {
                let (left, right) = extent(Point::zero(), Point::new(text.width(), Abs::zero()));
                each(left, right, Some(text.text.to_string()));
            }
            FrameItem::Shape(shape, _) => {
                let bbox = shape.bbox(false);
                let (left, right) = extent(bbox.min, bbox.max);
                each(left, right, None);
            }
            FrameItem::Image(_, size, _) => {
                let (left, right) = extent(Point::zero(), size.to_point());
                each(left, right, None);
            }
            FrameItem::Link(..) | FrameItem::Tag(_) => {}
        }
    }
}
