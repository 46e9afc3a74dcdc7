//! Text measuring for chart layout: rustybuzz shapes Persian as the browser does (joined
//! letter forms); the layouts of `bars` and `heatmap` are computed from these widths.

use rustc_hash::FxHashMap as HashMap;
use rustybuzz::{Direction, Face, Script, ShapePlan, UnicodeBuffer};
use std::cell::RefCell;
use std::sync::OnceLock;

pub use crate::fonts::{FAMILY as FONT_FAMILY, REGULAR_TTF as FONT_TTF};

fn face() -> &'static Face<'static> {
    static FACE: OnceLock<Face<'static>> = OnceLock::new();
    // the font is compiled in, and a unit test proves it parses
    FACE.get_or_init(|| Face::from_slice(FONT_TTF, 0).expect("the embedded Vazirmatn font parses"))
}

thread_local! {
    /// Shape plans by direction and script: building one costs more than shaping a word.
    static PLANS: RefCell<HashMap<(Direction, Script), ShapePlan>> = RefCell::new(HashMap::default());
    /// Unit widths of words already shaped: labels and figures repeat across charts and wrap
    /// attempts. Per thread, so that drawing threads never wait on each other.
    static WORDS: RefCell<HashMap<String, f64>> = RefCell::new(HashMap::default());
}

/// Width of `text` at a size of one pixel, shaped as one run.
fn shaped_width(text: &str) -> f64 {
    let face = face();
    let mut buffer = UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.guess_segment_properties();
    let key = (buffer.direction(), buffer.script());
    let shaped = PLANS.with_borrow_mut(|plans| {
        let plan = plans
            .entry(key)
            .or_insert_with(|| ShapePlan::new(face, key.0, Some(key.1), None, &[]));
        rustybuzz::shape_with_plan(face, plan, buffer)
    });
    let advance: i32 = shaped.glyph_positions().iter().map(|p| p.x_advance).sum();
    f64::from(advance) / f64::from(face.units_per_em())
}

/// Characters of figures (digits, separators, signs): they never join or kern, so a figure's
/// width is the sum of its characters' (a unit test holds this against shaping).
fn is_figure(c: char) -> bool {
    c.is_ascii_digit() || ('۰'..='۹').contains(&c) || "٬٫٪%,.-+\u{200E}".contains(c)
}

fn word_width(word: &str) -> f64 {
    if word.chars().all(is_figure) {
        return word.chars().map(char_width).sum();
    }
    if let Some(w) = WORDS.with_borrow(|words| words.get(word).copied()) {
        return w;
    }
    let width = shaped_width(word);
    WORDS.with_borrow_mut(|words| words.insert(word.to_string(), width));
    width
}

fn char_width(c: char) -> f64 {
    thread_local! {
        static CHARS: RefCell<HashMap<char, f64>> = RefCell::new(HashMap::default());
    }
    if let Some(w) = CHARS.with_borrow(|chars| chars.get(&c).copied()) {
        return w;
    }
    let width = shaped_width(c.encode_utf8(&mut [0; 4]));
    CHARS.with_borrow_mut(|chars| chars.insert(c, width));
    width
}

/// Width in pixels of `text` set in Vazirmatn at `size` pixels. Letters join only within a
/// word, so a text is measured as its words (each shaped once) plus its spaces.
pub fn text_width(text: &str, size: f64) -> f64 {
    if text.is_empty() {
        return 0.0;
    }
    let words: f64 = text.split(' ').map(word_width).sum();
    let spaces = text.matches(' ').count() as f64 * word_width(" ");
    (words + spaces) * size
}

/// Breaks `text` into lines no wider than `max_width` (a longer single word keeps its line).
pub fn wrap(text: &str, size: f64, max_width: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if !current.is_empty() && text_width(&candidate, size) > max_width {
            lines.push(std::mem::replace(&mut current, word.to_string()));
        } else {
            current = candidate;
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_font_parses_and_measures_joined_persian() {
        let joined = text_width("آذربایجان شرقی", 13.0);
        assert!(joined > 60.0 && joined < 110.0, "{joined}");
        // digits are narrower than letters, and width scales with size
        assert!(text_width("۱۲۳", 13.0) < text_width("تهران", 13.0));
        let double = text_width("تهران", 26.0);
        assert!((double - 2.0 * text_width("تهران", 13.0)).abs() < 0.01);
        // words plus spaces measure as the whole text shaped at once
        let text = "کهگیلویه و بویراحمد";
        assert!((text_width(text, 13.0) - shaped_width(text) * 13.0).abs() < 0.05);
    }

    #[test]
    fn a_figure_measures_as_the_sum_of_its_characters() {
        use crate::config::DigitStyle::{Latin, Persian};
        use crate::numfmt::{format_number, format_percent};
        for n in (0..100_000u64).step_by(997).chain([1_234_567, 999_999_999]) {
            let v = n as f64;
            for text in [
                format_number(v, None, Persian),
                format_percent(v / 100.0, Persian),
                format_number(-v, None, Latin),
            ] {
                assert_eq!(word_width(&text), shaped_width(&text), "{text}");
            }
        }
    }

    #[test]
    fn wrap_keeps_lines_within_the_width() {
        let text = "نظارت بر عملکرد ادارات استانی در حوزه اجرای استاندارد و روش‌های اجرایی";
        let lines = wrap(text, 13.0, 150.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| text_width(l, 13.0) <= 150.0));
        assert_eq!(lines.join(" "), text);
        assert_eq!(wrap("", 13.0, 100.0), [""]);
    }
}
