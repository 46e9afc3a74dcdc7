//! Text measuring for chart layout: rustybuzz shapes Persian as the browser does (joined
//! letter forms); the layouts of `bars` and `heatmap` are computed from these widths.

use rustc_hash::FxHashMap as HashMap;
use rustybuzz::{Direction, Face, Script, ShapePlan, UnicodeBuffer};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::{OnceLock, RwLock};

pub use crate::fonts::{FAMILY as FONT_FAMILY, REGULAR_TTF as FONT_TTF};

fn face() -> &'static Face<'static> {
    static FACE: OnceLock<Face<'static>> = OnceLock::new();
    // the font is compiled in, and a unit test proves it parses
    FACE.get_or_init(|| Face::from_slice(FONT_TTF, 0).expect("the embedded Vazirmatn font parses"))
}

thread_local! {
    /// Shape plans by direction and script: building one costs more than shaping a word.
    static PLANS: RefCell<HashMap<(Direction, Script), ShapePlan>> = RefCell::new(HashMap::default());
    /// Unit widths of words already measured: labels repeat across charts and wrap attempts.
    /// Per thread, so that drawing threads never wait on each other for the words they met.
    static WORDS: RefCell<HashMap<String, f64>> = RefCell::new(HashMap::default());
    /// Labels already wrapped, by size and width: a row's label is wrapped again for every
    /// chart of every table that has the row, mostly at the same few widths.
    static WRAPPED: RefCell<WrappedLabels> = RefCell::new(HashMap::default());
}

/// Lines by label, by the bits of the size and the width they were wrapped at.
type WrappedLabels = HashMap<(u64, u64), HashMap<String, Rc<[String]>>>;

/// How many wrapped labels a thread keeps before it forgets them all.
const WRAPPED_KEPT: usize = 4096;

/// Unit widths of the words any thread has shaped: the threads draw different charts of the
/// same labels, and shaping a word costs a hundred look-ups.
fn shaped_words() -> &'static RwLock<HashMap<String, f64>> {
    static SHAPED: OnceLock<RwLock<HashMap<String, f64>>> = OnceLock::new();
    SHAPED.get_or_init(RwLock::default)
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

/// The characters of figures (digits, separators, signs): they never join or kern, so a
/// figure's width is the sum of its characters' (a unit test holds this against shaping).
const FIGURE_CHARS: [char; 29] = [
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '۰', '۱', '۲', '۳', '۴', '۵', '۶', '۷', '۸',
    '۹', '٬', '٫', '٪', '%', ',', '.', '-', '+', '\u{200E}',
];

/// `c`'s position in [`FIGURE_CHARS`], if it is a figure's character.
fn figure_char(c: char) -> Option<usize> {
    match c {
        '0'..='9' => Some(c as usize - '0' as usize),
        '۰'..='۹' => Some(10 + c as usize - '۰' as usize),
        _ => FIGURE_CHARS[20..]
            .iter()
            .position(|&f| f == c)
            .map(|i| 20 + i),
    }
}

/// The width of each of [`FIGURE_CHARS`], shaped once: figures are most of a chart's texts.
fn figure_widths() -> &'static [f64; FIGURE_CHARS.len()] {
    static WIDTHS: OnceLock<[f64; FIGURE_CHARS.len()]> = OnceLock::new();
    WIDTHS.get_or_init(|| FIGURE_CHARS.map(|c| shaped_width(c.encode_utf8(&mut [0; 4]))))
}

/// A figure's width: the sum of its characters' in order, or none if it is not a figure.
fn figure_width(word: &str) -> Option<f64> {
    let widths = figure_widths();
    word.chars()
        .map(|c| figure_char(c).map(|i| widths[i]))
        .sum()
}

fn word_width(word: &str) -> f64 {
    if let Some(width) = figure_width(word) {
        return width;
    }
    if let Some(w) = WORDS.with_borrow(|words| words.get(word).copied()) {
        return w;
    }
    let shaped = shaped_words();
    let known = shaped
        .read()
        .ok()
        .and_then(|words| words.get(word).copied());
    let width = known.unwrap_or_else(|| {
        let width = shaped_width(word);
        if let Ok(mut words) = shaped.write() {
            words.insert(word.to_string(), width);
        }
        width
    });
    WORDS.with_borrow_mut(|words| words.insert(word.to_string(), width));
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
/// A candidate line's width is [`text_width`]'s, summed as it sums: its words' widths in
/// order, then its spaces.
pub fn wrap(text: &str, size: f64, max_width: f64) -> Rc<[String]> {
    let key = (size.to_bits(), max_width.to_bits());
    let known = WRAPPED.with_borrow(|wrapped| wrapped.get(&key)?.get(text).cloned());
    if let Some(lines) = known {
        return lines;
    }
    let lines: Rc<[String]> = wrap_words(text, size, max_width).into();
    WRAPPED.with_borrow_mut(|wrapped| {
        if wrapped.values().map(HashMap::len).sum::<usize>() >= WRAPPED_KEPT {
            wrapped.clear();
        }
        let at_width = wrapped.entry(key).or_default();
        at_width.insert(text.to_string(), Rc::clone(&lines));
    });
    lines
}

/// [`wrap`], computed.
fn wrap_words(text: &str, size: f64, max_width: f64) -> Vec<String> {
    let space = word_width(" ");
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    // the widths of `current`'s words, summed from the left, and its spaces
    let mut words = 0.0;
    let mut spaces = 0usize;
    for word in text.split_whitespace() {
        let width = word_width(word);
        if current.is_empty() {
            current.push_str(word);
            (words, spaces) = (width, 0);
            continue;
        }
        let candidate = (words + width + (spaces + 1) as f64 * space) * size;
        if candidate > max_width {
            lines.push(std::mem::replace(&mut current, word.to_string()));
            (words, spaces) = (width, 0);
        } else {
            current.push(' ');
            current.push_str(word);
            (words, spaces) = (words + width, spaces + 1);
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
        assert_eq!(*wrap("", 13.0, 100.0), [""]);
        // wrapped once per thread, the same lines again
        assert!(Rc::ptr_eq(&wrap(text, 13.0, 150.0), &lines));
        assert_eq!(wrap(text, 13.0, 2000.0).len(), 1);
    }
}
