//! Writing chart SVG: fluid drawings whose horizontal positions are shares of the chart's width.
//!
//! A chart is drawn twice at build time, a wide layout (a label column beside the bars) and a
//! narrow one (each label above its bar), into one `<svg>` whose CSS shows one of them. Neither
//! has a `viewBox`: x coordinates are percentages of the chart's width and text keeps its size
//! in pixels, so a layout fits every width of its range without shrinking its text, and a
//! layout checked at its narrowest width (`Layout::min_width`) fits every wider one: shares
//! only grow apart. Bars and cells are paths inside a nested `<svg>` that stretches
//! horizontally (one path per colour, few DOM nodes); their strokes do not stretch.
//!
//! The root carries `direction="rtl"`: `text-anchor="start"` is a text's right edge, and
//! Persian numbers with `٪` read in the right order.

use super::text::FONT_FAMILY;
use std::fmt::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Color(pub u8, pub u8, pub u8);

impl Color {
    pub fn hex(self) -> String {
        let mut out = String::with_capacity(7);
        self.push_hex(&mut out);
        out
    }

    /// Appends `#rrggbb`, lowercase: charts write a colour per coloured text and path.
    pub fn push_hex(self, out: &mut String) {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        out.push('#');
        for byte in [self.0, self.1, self.2] {
            out.push(char::from(DIGITS[usize::from(byte >> 4)]));
            out.push(char::from(DIGITS[usize::from(byte & 0xf)]));
        }
    }
}

/// Colours: each ≥ 3:1 against white, and apart in grayscale and for colour-blind readers.
pub const DARK_BLUE: Color = Color(0x08, 0x30, 0x6b);
pub const SLATE: Color = Color(0x5b, 0x7a, 0x99);
pub const ORANGE: Color = Color(0xb3, 0x52, 0x09);
pub const INK: Color = Color(0x1b, 0x1f, 0x24);
pub const MUTED: Color = Color(0x4d, 0x55, 0x60);
pub const GRID: Color = Color(0xc9, 0xcf, 0xd6);
pub const WHITE: Color = Color(0xff, 0xff, 0xff);

/// Size and line height of row labels; figures are set at `VALUE_SIZE`. Nothing is smaller
/// than 12 px, and no layout is ever scaled down.
pub const LABEL_SIZE: f64 = 13.0;
pub const VALUE_SIZE: f64 = 12.0;
pub const LINE_HEIGHT: f64 = 18.0;
/// Bold text measures wider than the regular face `text` shapes with.
pub const BOLD_WIDTH: f64 = 1.08;

/// The two layouts of every chart. The theme's CSS shows `Wide` from a viewport of 57rem
/// (912 px: an 880 px column), `Narrow` below it (phones, tablets and A4 portrait pages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Wide,
    Narrow,
}

impl Layout {
    pub const ALL: [Layout; 2] = [Layout::Wide, Layout::Narrow];

    /// The narrowest chart width the layout is drawn for, in CSS pixels.
    pub fn min_width(self) -> f64 {
        match self {
            Layout::Wide => 880.0,
            Layout::Narrow => 296.0,
        }
    }

    /// The share of the chart's width that `px` pixels take at the narrowest width.
    pub fn share(self, px: f64) -> f64 {
        px / self.min_width()
    }
}

/// A horizontal position: a share of the chart's width, moved by `px` pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct X {
    pub share: f64,
    pub px: f64,
}

impl X {
    pub fn share(share: f64) -> X {
        X { share, px: 0.0 }
    }

    pub fn px(px: f64) -> X {
        X { share: 0.0, px }
    }

    pub fn moved(self, px: f64) -> X {
        X {
            px: self.px + px,
            ..self
        }
    }

    /// Where the position is on a chart `width` pixels wide.
    pub fn at(self, width: f64) -> f64 {
        self.share * width + self.px
    }
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
    pub x: X,
    /// The text's vertical centre.
    pub y: f64,
    pub size: f64,
    pub color: Color,
    pub edge: Edge,
    pub bold: bool,
}

impl TextSpec<'_> {
    /// A label: `LABEL_SIZE`, ink, regular weight.
    pub fn label(text: &str, x: X, y: f64, edge: Edge) -> TextSpec<'_> {
        TextSpec {
            text,
            x,
            y,
            size: LABEL_SIZE,
            color: INK,
            edge,
            bold: false,
        }
    }

    /// A figure: `VALUE_SIZE`, ink, regular weight.
    pub fn value(text: &str, x: X, y: f64, edge: Edge) -> TextSpec<'_> {
        TextSpec {
            size: VALUE_SIZE,
            ..TextSpec::label(text, x, y, edge)
        }
    }

    pub fn colored(self, color: Color) -> Self {
        TextSpec { color, ..self }
    }

    pub fn bold(self) -> Self {
        TextSpec { bold: true, ..self }
    }
}

/// The drawing of one layout: its elements, and the height it takes.
#[derive(Debug, Default)]
pub struct Layer {
    body: String,
    pub height: f64,
}

impl Layer {
    pub fn text(&mut self, spec: TextSpec) {
        let out = &mut self.body;
        out.push_str("<text x=\"");
        if spec.x.share != 0.0 || spec.x.px == 0.0 {
            push_num(out, spec.x.share * 100.0);
            out.push('%');
            if spec.x.px != 0.0 {
                out.push_str("\" dx=\"");
                push_num(out, spec.x.px);
            }
        } else {
            push_num(out, spec.x.px);
        }
        out.push_str("\" y=\"");
        push_num(out, spec.y);
        out.push('"');
        match spec.edge {
            Edge::Right => {}
            Edge::Left => out.push_str(" text-anchor=\"end\""),
            Edge::Center => out.push_str(" text-anchor=\"middle\""),
        }
        if spec.size != LABEL_SIZE {
            out.push_str(" font-size=\"");
            push_num(out, spec.size);
            out.push('"');
        }
        if spec.color != INK {
            out.push_str(" fill=\"");
            spec.color.push_hex(out);
            out.push('"');
        }
        if spec.bold {
            out.push_str(" font-weight=\"bold\"");
        }
        out.push('>');
        escape_into(out, spec.text);
        out.push_str("</text>");
    }

    /// Draws `shapes` stretched over `left..right` (shares of the chart's width).
    pub fn shapes(&mut self, shapes: &Shapes, left: f64, right: f64) {
        if shapes.is_empty() {
            return;
        }
        let out = &mut self.body;
        out.push_str("<svg x=\"");
        push_num(out, left * 100.0);
        out.push_str("%\" width=\"");
        push_num(out, (right - left) * 100.0);
        let _ = write!(
            out,
            "%\" height=\"{h}\" viewBox=\"0 0 {UNITS} {h}\" preserveAspectRatio=\"none\" overflow=\"visible\">",
            h = self.height.ceil()
        );
        for (color, d) in &shapes.fills {
            out.push_str("<path fill=\"");
            color.push_hex(out);
            out.push_str("\" d=\"");
            out.push_str(d);
            out.push_str("\"/>");
        }
        for ((color, width), d) in &shapes.strokes {
            let _ = write!(
                out,
                "<path fill=\"none\" stroke=\"{}\" stroke-width=\"{width}\" vector-effect=\"non-scaling-stroke\" d=\"{d}\"/>",
                color.hex()
            );
        }
        out.push_str("</svg>");
    }
}

/// Horizontal units of a stretched region: its full width.
const UNITS: f64 = 1000.0;

/// Filled rectangles and vertical strokes of a stretched region, grouped by colour so that
/// each colour is one path. x is a share of the region (0 at its left, 1 at its right).
#[derive(Debug, Default)]
pub struct Shapes {
    fills: Vec<(Color, String)>,
    strokes: Vec<((Color, u32), String)>,
}

impl Shapes {
    fn is_empty(&self) -> bool {
        self.fills.is_empty() && self.strokes.is_empty()
    }

    fn path_of<K: PartialEq + Copy>(paths: &mut Vec<(K, String)>, key: K) -> &mut String {
        let at = match paths.iter().position(|(k, _)| *k == key) {
            Some(at) => at,
            None => {
                paths.push((key, String::new()));
                paths.len() - 1
            }
        };
        &mut paths[at].1
    }

    pub fn rect(&mut self, color: Color, (x0, x1): (f64, f64), (y0, y1): (f64, f64)) {
        let (x0, x1) = (x0.min(x1) * UNITS, x0.max(x1) * UNITS);
        if x1 - x0 <= 0.0 || y1 <= y0 {
            return;
        }
        let d = Shapes::path_of(&mut self.fills, color);
        d.push('M');
        push_num(d, x0);
        d.push(' ');
        push_num(d, y0);
        d.push('h');
        push_num(d, x1 - x0);
        d.push('v');
        push_num(d, y1 - y0);
        d.push('h');
        push_num(d, x0 - x1);
        d.push('z');
    }

    /// A rectangle's outline, for cells that hold zero.
    pub fn frame(&mut self, color: Color, (x0, x1): (f64, f64), (y0, y1): (f64, f64)) {
        let d = Shapes::path_of(&mut self.strokes, (color, 1));
        d.push('M');
        push_num(d, x0 * UNITS);
        d.push(' ');
        push_num(d, y0);
        d.push('H');
        push_num(d, x1 * UNITS);
        d.push('V');
        push_num(d, y1);
        d.push('H');
        push_num(d, x0 * UNITS);
        d.push('z');
    }

    pub fn vline(&mut self, color: Color, width: u32, x: f64, (y0, y1): (f64, f64)) {
        let d = Shapes::path_of(&mut self.strokes, (color, width));
        d.push('M');
        push_num(d, x * UNITS);
        d.push(' ');
        push_num(d, y0);
        d.push('V');
        push_num(d, y1);
    }
}

/// What the chart says to assistive technology.
pub struct Accessible<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub desc: &'a str,
}

/// The height a narrow layer may take: two parts that tall print whole on one A4 page (its
/// content is ~990 px tall), so that parts seldom leave a page half empty.
pub const PART_HEIGHT: f64 = 460.0;

/// The chart's `<svg>`: both layouts, its accessible name and description. The CSS of the
/// theme picks the layout and its height (`--hw`, `--hn`); the `height` attribute is the
/// wide one's, for a page without the theme. A narrow layout drawn in several parts (see
/// `PART_HEIGHT`) continues in an `<svg>` per part after the first, hidden from assistive
/// technology (the first names and describes the whole chart) and of no height where the
/// wide layout shows (`--hw:0px`).
pub fn render(a11y: &Accessible, wide: &Layer, narrow: &[Layer]) -> String {
    let id = escape(a11y.id);
    let bytes = wide.body.len() + narrow.iter().map(|l| l.body.len() + 256).sum::<usize>();
    let mut out = String::with_capacity(bytes + 512);
    for (i, part) in narrow.iter().enumerate() {
        let wide = (i == 0).then_some(wide);
        let (hw, hn) = (wide.map_or(0.0, |w| w.height.ceil()), part.height.ceil());
        let _ = write!(
            out,
            "<svg class=\"chart-svg\" width=\"100%\" height=\"{hw}\" style=\"--hw:{hw}px;--hn:{hn}px\""
        );
        if wide.is_some() {
            let _ = write!(
                out,
                " role=\"img\" aria-labelledby=\"{id}-title {id}-desc\""
            );
        } else {
            out.push_str(" aria-hidden=\"true\"");
        }
        let _ = write!(
            out,
            " direction=\"rtl\" font-family=\"{FONT_FAMILY}\" font-size=\"{LABEL_SIZE}\" fill=\"{}\" dominant-baseline=\"central\">",
            INK.hex()
        );
        if let Some(wide) = wide {
            let _ = write!(
                out,
                "<title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc><g class=\"wide\">{}</g>",
                escape(a11y.title),
                escape(a11y.desc),
                wide.body
            );
        }
        let _ = write!(out, "<g class=\"narrow\">{}</g></svg>", part.body);
    }
    out
}

/// A coordinate with at most two decimals and no trailing zeros: output stays small and
/// byte-identical across runs. Charts write hundreds of coordinates each, so the hundredths are
/// written as integers rather than through float formatting (the same text).
pub(crate) fn push_num(out: &mut String, value: f64) {
    let scaled = value * 100.0;
    // NaN, infinities and values past i64's exact range, also once rounded
    let hundredths = match scaled.abs() < 1e15 {
        true => round_half_away(scaled),
        false => i64::MAX,
    };
    if hundredths.unsigned_abs() >= 1_000_000_000_000_000 {
        return push_num_formatted(out, value);
    }
    if hundredths < 0 && hundredths / 100 == 0 && hundredths % 100 != 0 {
        out.push('-');
    }
    let mut digits = itoa::Buffer::new();
    out.push_str(digits.format(hundredths / 100));
    let fraction = (hundredths % 100).unsigned_abs();
    if fraction != 0 {
        out.push('.');
        out.push(char::from(b'0' + (fraction / 10) as u8));
        if !fraction.is_multiple_of(10) {
            out.push(char::from(b'0' + (fraction % 10) as u8));
        }
    }
}

/// `x.round()` as an integer, for `|x| < 1e15`: the truncation and the fraction are exact, and
/// x86-64's baseline has no rounding instruction, so `f64::round` is a call into libm.
fn round_half_away(x: f64) -> i64 {
    let whole = x as i64;
    let fraction = x - whole as f64;
    if fraction >= 0.5 {
        whole + 1
    } else if fraction <= -0.5 {
        whole - 1
    } else {
        whole
    }
}

/// [`push_num`] through float formatting: for values too large for the integer path.
fn push_num_formatted(out: &mut String, value: f64) {
    let rounded = (value * 100.0).round() / 100.0;
    if rounded.fract() == 0.0 {
        let _ = write!(out, "{}", rounded as i64);
    } else {
        let text = format!("{rounded:.2}");
        out.push_str(text.trim_end_matches('0'));
    }
}

/// Escapes text and attribute values alike, without control characters, which XML forbids
/// (ids are checked where they are read; this keeps the SVG well-formed whatever reaches it).
pub(crate) fn escape_into(out: &mut String, text: &str) {
    // Most texts have nothing to escape: no `& < > "`, no C0 control or DEL, and no 0xC2 byte,
    // which leads every C1 control (U+0080..U+009F). Persian letters lead with 0xD8..0xDB.
    let plain_byte = |b: &u8| !matches!(b, b'&' | b'<' | b'>' | b'"' | 0..=0x1f | 0x7f | 0xc2);
    if text.as_bytes().iter().all(plain_byte) {
        return out.push_str(text);
    }
    // runs of plain text are copied whole: a chart's labels are mostly Persian letters
    let mut plain = 0;
    for (i, c) in text.char_indices() {
        let replacement = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            c if c.is_control() && c != '\n' && c != '\t' => "",
            _ => continue,
        };
        out.push_str(&text[plain..i]);
        out.push_str(replacement);
        plain = i + c.len_utf8();
    }
    out.push_str(&text[plain..]);
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_is_rtl_fluid_and_accessible() {
        let mut wide = Layer {
            height: 40.0,
            ..Layer::default()
        };
        wide.text(TextSpec::label(
            "تهران",
            X::share(1.0).moved(-8.0),
            10.0,
            Edge::Right,
        ));
        wide.text(TextSpec::value("۱۲۰٪", X::px(5.0), 30.0, Edge::Left).bold());
        let narrow = Layer {
            height: 90.4,
            ..Layer::default()
        };
        let a11y = Accessible {
            id: "T1-c1",
            title: "t <x>",
            desc: "d\u{7}",
        };
        let svg = render(&a11y, &wide, &[narrow]);
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let root = doc.root_element();
        assert_eq!(root.attribute("role"), Some("img"));
        assert_eq!(root.attribute("direction"), Some("rtl"));
        assert_eq!(root.attribute("viewBox"), None, "fluid: no viewBox");
        assert_eq!(root.attribute("style"), Some("--hw:40px;--hn:91px"));
        assert!(svg.contains(
            "<title id=\"T1-c1-title\">t &lt;x&gt;</title><desc id=\"T1-c1-desc\">d</desc>"
        ));
        // the right edge is the default anchor in an rtl SVG; offsets are pixels
        assert!(
            svg.contains("<text x=\"100%\" dx=\"-8\" y=\"10\">تهران</text>"),
            "{svg}"
        );
        assert!(
            svg.contains(
                "<text x=\"5\" y=\"30\" text-anchor=\"end\" font-size=\"12\" font-weight=\"bold\">"
            ),
            "{svg}"
        );
        assert!(!svg.contains("://"));
    }

    #[test]
    fn shapes_of_one_colour_are_one_path_in_a_stretched_region() {
        let mut layer = Layer {
            height: 30.0,
            ..Layer::default()
        };
        let mut shapes = Shapes::default();
        shapes.rect(DARK_BLUE, (0.5, 1.0), (2.0, 13.0));
        shapes.rect(DARK_BLUE, (0.25, 1.0), (15.0, 26.0));
        shapes.vline(INK, 1, 0.5, (0.0, 30.0));
        layer.shapes(&shapes, 0.1, 0.6);
        assert_eq!(layer.body.matches("<path").count(), 2, "{}", layer.body);
        assert!(
            layer.body.starts_with("<svg x=\"10%\" width=\"50%\" height=\"30\" viewBox=\"0 0 1000 30\" preserveAspectRatio=\"none\""),
            "{}",
            layer.body
        );
        assert!(
            layer
                .body
                .contains("d=\"M500 2h500v11h-500zM250 15h750v11h-750z\"")
        );
        assert!(
            layer
                .body
                .contains("vector-effect=\"non-scaling-stroke\" d=\"M500 0V30\"")
        );
    }

    #[test]
    fn colours_are_lowercase_hex_and_texts_escaped_without_controls() {
        assert_eq!(DARK_BLUE.hex(), "#08306b");
        assert_eq!(WHITE.hex(), "#ffffff");
        let mut out = String::new();
        for text in [
            "تهران ۱۲٪",
            "a<b & \"c\">",
            "x\u{85}y\u{7f}z\u{1}",
            "¢\u{9f}é\n",
        ] {
            escape_into(&mut out, text);
            out.push('|');
        }
        assert_eq!(out, "تهران ۱۲٪|a&lt;b &amp; &quot;c&quot;&gt;|xyz|¢é\n|");
    }

    #[test]
    fn positions_grow_apart_with_the_width() {
        let a = X::share(0.5).moved(-4.0);
        assert_eq!(a.at(640.0), 316.0);
        assert_eq!(a.at(1000.0), 496.0);
        assert_eq!(Layout::Narrow.share(29.6), 0.1);
        let mut out = String::new();
        push_num(&mut out, 12.999_999);
        out.push(' ');
        push_num(&mut out, 10.48);
        out.push(' ');
        push_num(&mut out, -0.5);
        assert_eq!(out, "13 10.48 -0.5");
    }

    #[test]
    fn coordinates_are_written_as_float_formatting_writes_them() {
        let mut values = vec![
            0.0, -0.0, 0.004, -0.004, 0.005, -0.005, 1.5, -1.5, 0.1, -0.25,
        ];
        values.extend([
            12.345,
            99.995,
            -99.995,
            1e9 + 0.07,
            -123456.78,
            2e15,
            9_999_999_999_999.995,
            0.125,
            -0.125,
            0.495_f64.next_down(),
            0.005_f64.next_up(),
            4.999_999_999_999_999e-3,
            f64::NAN,
            f64::INFINITY,
        ]);
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let unit = (seed >> 11) as f64 / (1u64 << 53) as f64;
            values.push((unit - 0.5) * 2_000.0);
            values.push((unit - 0.5) * 2e7);
        }
        for value in values {
            let scaled = value * 100.0;
            if scaled.abs() < 1e15 {
                assert_eq!(round_half_away(scaled), scaled.round() as i64, "{value}");
            }
            let (mut fast, mut formatted) = (String::new(), String::new());
            push_num(&mut fast, value);
            push_num_formatted(&mut formatted, value);
            assert_eq!(fast, formatted, "{value}");
        }
    }
}
