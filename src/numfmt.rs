//! How numbers are written: on the page in Persian or Latin digits with Persian separators,
//! and plainly (ASCII, no separators) in `check`'s messages. Every number a reader or a
//! reviewer sees is formatted here.

use crate::config::DigitStyle;

const PERSIAN_DIGITS: [char; 10] = ['۰', '۱', '۲', '۳', '۴', '۵', '۶', '۷', '۸', '۹'];
const PERSIAN_THOUSANDS: char = '\u{066C}'; // ٬
const PERSIAN_DECIMAL: char = '\u{066B}'; // ٫
const PERSIAN_PERCENT: char = '\u{066A}'; // ٪
/// Keeps a leading minus on the left of the digits inside right-to-left text.
const LEFT_TO_RIGHT_MARK: char = '\u{200E}';

/// Replaces ASCII digits with the style's digits; other characters are kept.
pub fn localize_digits(text: &str, style: DigitStyle) -> String {
    match style {
        DigitStyle::Latin => text.to_string(),
        DigitStyle::Persian => text.chars().map(|c| digit(c, style)).collect(),
    }
}

/// The digits of running text in the site's style: in Persian, ASCII digits become Persian
/// except inside Latin tokens and beside them (`ISO/IEC 17025`, `A4`, `L3108`); in Latin,
/// Persian digits become ASCII. Notes and corrections are written by people in either.
pub fn localize_text(text: &str, style: DigitStyle) -> String {
    match style {
        DigitStyle::Latin => text
            .chars()
            .map(|c| match PERSIAN_DIGITS.iter().position(|&p| p == c) {
                Some(d) => char::from(b'0' + d as u8),
                None => c,
            })
            .collect(),
        DigitStyle::Persian if !text.bytes().any(|b| b.is_ascii_digit()) => text.to_string(),
        DigitStyle::Persian => {
            let words: Vec<&str> = text.split(' ').collect();
            let latin: Vec<bool> = words.iter().map(|w| is_latin_token(w)).collect();
            let mut out = String::with_capacity(text.len() + 16);
            for (i, word) in words.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                let beside_latin = latin[i]
                    || (i > 0 && latin[i - 1])
                    || latin.get(i + 1).copied().unwrap_or(false);
                if beside_latin {
                    out.push_str(word);
                } else {
                    out.push_str(&localize_digits(word, style));
                }
            }
            out
        }
    }
}

/// A word with a Latin letter in it (`ISO/IEC`, `A4`, `CNG`).
pub fn is_latin_token(word: &str) -> bool {
    word.chars().any(|c| c.is_ascii_alphabetic())
}

/// `1234567.5` → `۱٬۲۳۴٬۵۶۷٫۵` (Persian) or `1,234,567.5` (Latin).
/// `decimals`: digits after the point; `None` prints as few as the value needs (at most 2).
pub fn format_number(value: f64, decimals: Option<usize>, style: DigitStyle) -> String {
    let mut out = String::with_capacity(24);
    push_number(&mut out, value, decimals, style);
    out
}

/// [`format_number`] written onto `out`. Every figure of a page, chart and search index goes
/// through here, so the digits are written straight into `out` (no intermediate strings).
pub fn push_number(out: &mut String, value: f64, decimals: Option<usize>, style: DigitStyle) {
    let mut ascii = AsciiText::default();
    let text = ascii.of(value.abs(), decimals);
    let (int_part, frac_part) = text
        .split_once('.')
        .map_or((text, None), |(i, f)| (i, Some(f)));
    let (thousands, point) = match style {
        DigitStyle::Persian => (PERSIAN_THOUSANDS, PERSIAN_DECIMAL),
        DigitStyle::Latin => (',', '.'),
    };
    if value < 0.0 && text.chars().any(|c| c != '0' && c != '.') {
        out.push(LEFT_TO_RIGHT_MARK);
        out.push('-');
    }
    for (i, c) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i).is_multiple_of(3) {
            out.push(thousands);
        }
        out.push(digit(c, style));
    }
    if let Some(frac) = frac_part {
        out.push(point);
        out.extend(frac.chars().map(|c| digit(c, style)));
    }
}

/// `153` → `۱۵۳٪` (Persian) or `153%` (Latin).
pub fn format_percent(value: f64, style: DigitStyle) -> String {
    let mut out = String::with_capacity(24);
    push_percent(&mut out, value, style);
    out
}

/// [`format_percent`] written onto `out`.
pub fn push_percent(out: &mut String, value: f64, style: DigitStyle) {
    push_number(out, value, None, style);
    out.push(match style {
        DigitStyle::Persian => PERSIAN_PERCENT,
        DigitStyle::Latin => '%',
    });
}

fn digit(c: char, style: DigitStyle) -> char {
    match (style, c) {
        (DigitStyle::Persian, '0'..='9') => PERSIAN_DIGITS[c as usize - '0' as usize],
        _ => c,
    }
}

/// A non-negative number's ASCII text (`1234567.5`), on the stack: whole numbers (nearly
/// every figure of a report) through `itoa`, others through float formatting.
#[derive(Default)]
struct AsciiText {
    bytes: [u8; 32],
    len: usize,
    integer: itoa::Buffer,
    /// A text longer than `bytes` (`1e300`, or many decimals).
    spilled: Option<String>,
}

impl AsciiText {
    fn of(&mut self, value: f64, decimals: Option<usize>) -> &str {
        match decimals {
            None if value.fract() == 0.0 && value < 1e15 => self.integer.format(value as u64),
            Some(d) => self.formatted(format_args!("{value:.d$}")),
            None => {
                // at most 2 decimals, without trailing zeros
                trim_zero_decimals(self.formatted(format_args!("{value:.2}")))
            }
        }
    }

    fn formatted(&mut self, args: std::fmt::Arguments) -> &str {
        use std::fmt::Write as _;
        if self.write_fmt(args).is_err() {
            return self.spilled.insert(args.to_string());
        }
        // only whole `str`s are ever written into `bytes`
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

impl std::fmt::Write for AsciiText {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        let room = self.bytes.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        room.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// A number as `check` prints it: whole numbers without a point, others to at most two places,
/// never `-0`.
pub fn plain(n: f64) -> String {
    let rounded = (n * 100.0).round() / 100.0;
    if rounded == 0.0 {
        return "0".to_string();
    }
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        trim_zero_decimals(&format!("{rounded:.2}")).to_string()
    }
}

/// A file size as readers see it: `۸۶۰ بایت`, `۲٫۱ کیلوبایت`, `۱٫۳ مگابایت` (from 1000 KiB on,
/// never `۱٬۰۲۳٫۸ کیلوبایت`).
pub fn format_size(bytes: u64, style: DigitStyle) -> String {
    const KIB: f64 = 1024.0;
    let size = bytes as f64;
    if size < KIB {
        format!("{} بایت", format_number(size, None, style))
    } else if size < 1000.0 * KIB {
        format!("{} کیلوبایت", format_number(size / KIB, Some(1), style))
    } else {
        format!(
            "{} مگابایت",
            format_number(size / KIB / KIB, Some(1), style)
        )
    }
}

/// A number written as text the way people type it in a spreadsheet: Persian (`۱۲۳`) or
/// Arabic-Indic (`١٢٣`) digits, `٬` or `,` between thousands, `٫` or `.` before decimals, a
/// trailing `٪` or `%`, a leading minus. `None` when `text` is not such a number (thousands
/// separators must group by three, so `1,23` is refused rather than guessed).
pub fn parse_localized(text: &str) -> Option<f64> {
    let mut ascii = String::with_capacity(text.len());
    for c in text.trim().chars() {
        match c {
            '0'..='9' | '.' | '-' => ascii.push(c),
            '۰'..='۹' => ascii.push(char::from(b'0' + (c as u32 - '۰' as u32) as u8)),
            '٠'..='٩' => ascii.push(char::from(b'0' + (c as u32 - '٠' as u32) as u8)),
            PERSIAN_DECIMAL => ascii.push('.'),
            '\u{2212}' => ascii.push('-'),
            PERSIAN_THOUSANDS | ',' => ascii.push(','),
            // bidi marks that copying from a page or a Persian spreadsheet brings along
            '\u{200E}' | '\u{200F}' | '\u{061C}' => {}
            _ => ascii.push(c),
        }
    }
    let ascii = ascii
        .strip_suffix(['%', PERSIAN_PERCENT])
        .unwrap_or(&ascii)
        .trim_end();
    let (sign, body) = match ascii.strip_prefix('-') {
        Some(rest) => (-1.0, rest),
        None => (1.0, ascii),
    };
    let (int_part, frac_part) = body.split_once('.').unwrap_or((body, ""));
    let groups: Vec<&str> = int_part.split(',').collect();
    let grouped = groups.len() == 1
        || (!groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3));
    let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !grouped
        || int_part.is_empty()
        || !groups.iter().all(|g| digits_only(g))
        || !digits_only(frac_part)
        || (body.contains('.') && frac_part.is_empty())
    {
        return None;
    }
    let plain = format!(
        "{}.{}",
        groups.concat(),
        if frac_part.is_empty() { "0" } else { frac_part }
    );
    plain.parse::<f64>().ok().map(|n| sign * n)
}

/// `12.50` → `12.5`, `12.00` → `12`; a whole number's zeros stay (`120`).
fn trim_zero_decimals(text: &str) -> &str {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DigitStyle::{Latin, Persian};

    /// The formatter before it wrote onto its output (four strings per number): the new one
    /// must write the same text for every kind of value.
    fn formatted_through_strings(value: f64, decimals: Option<usize>, style: DigitStyle) -> String {
        let text = match decimals {
            Some(d) => format!("{:.*}", d, value.abs()),
            None if value.fract() == 0.0 && value.abs() < 1e15 => (value.abs() as u64).to_string(),
            None => trim_zero_decimals(&format!("{:.2}", value.abs())).to_string(),
        };
        let (int_part, frac_part) = text
            .split_once('.')
            .map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
        let (thousands, point) = match style {
            Persian => (PERSIAN_THOUSANDS, PERSIAN_DECIMAL),
            Latin => (',', '.'),
        };
        let mut out = String::new();
        if value < 0.0 && text.chars().any(|c| c != '0' && c != '.') {
            out.push(LEFT_TO_RIGHT_MARK);
            out.push('-');
        }
        // grouped from the right, threes of characters joined by the separator
        let chars: Vec<char> = int_part.chars().collect();
        let groups: Vec<String> = chars.rchunks(3).rev().map(String::from_iter).collect();
        out.push_str(&groups.join(thousands.encode_utf8(&mut [0; 4])));
        if let Some(frac) = frac_part {
            out.push(point);
            out.push_str(frac);
        }
        localize_digits(&out, style)
    }

    #[test]
    fn numbers_are_written_as_the_string_formatter_wrote_them() {
        let mut values = vec![
            0.0,
            -0.0,
            0.004,
            -0.004,
            0.005,
            1.0,
            -1.0,
            12.5,
            93.4,
            99.995,
            999.0,
            1000.0,
            -1234.567,
            1e14,
            999_999_999_999_999.0,
            1e15,
            1.5e15,
            1e20,
            1e300,
            -1e300,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ];
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..2000 {
            // xorshift: values of every magnitude, whole and not
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let magnitude = 10f64.powi((x % 13) as i32);
            let value = (x >> 11) as f64 / (1u64 << 53) as f64 * magnitude;
            values.push(if x.is_multiple_of(3) {
                value.round()
            } else {
                value
            });
            values.push(-value);
        }
        for value in values {
            for style in [Persian, Latin] {
                for decimals in [None, Some(0), Some(1), Some(2), Some(60)] {
                    assert_eq!(
                        format_number(value, decimals, style),
                        formatted_through_strings(value, decimals, style),
                        "{value:?} {decimals:?} {style:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn persian_digits_and_separators() {
        assert_eq!(format_number(1234567.0, None, Persian), "۱٬۲۳۴٬۵۶۷");
        assert_eq!(format_number(2.5, None, Persian), "۲٫۵");
        assert_eq!(format_number(0.0, None, Persian), "۰");
        assert_eq!(format_number(999.0, None, Persian), "۹۹۹");
        assert_eq!(format_number(1000.0, None, Persian), "۱٬۰۰۰");
    }

    #[test]
    fn latin_style_keeps_ascii() {
        assert_eq!(format_number(436031.0, None, Latin), "436,031");
        assert_eq!(format_percent(153.0, Latin), "153%");
    }

    #[test]
    fn percent_sign_follows_the_number() {
        assert_eq!(format_percent(153.0, Persian), "۱۵۳٪");
        assert_eq!(format_percent(12.5, Persian), "۱۲٫۵٪");
    }

    #[test]
    fn negative_numbers_keep_the_minus_on_the_left() {
        assert_eq!(format_number(-1200.0, None, Persian), "\u{200E}-۱٬۲۰۰");
        assert_eq!(format_number(-0.001, None, Persian), "۰");
    }

    #[test]
    fn fixed_decimals_and_trimming() {
        assert_eq!(format_number(12.345, Some(1), Latin), "12.3");
        assert_eq!(format_number(3.10, None, Latin), "3.1");
        assert_eq!(format_number(3.0, None, Latin), "3");
    }

    #[test]
    fn sizes_in_bytes_kilobytes_and_megabytes() {
        assert_eq!(format_size(860, Persian), "۸۶۰ بایت");
        assert_eq!(format_size(2150, Persian), "۲٫۱ کیلوبایت");
        assert_eq!(format_size(1_363_149, Latin), "1.3 مگابایت");
        assert_eq!(format_size(1_048_353, Latin), "1.0 مگابایت");
    }

    #[test]
    fn typed_numbers_in_persian_or_arabic_digits_parse() {
        for (text, value) in [
            ("۱۲۳", 123.0),
            ("١٢٣", 123.0),
            ("۱٬۲۳۴٬۵۶۷", 1_234_567.0),
            ("1,234", 1234.0),
            ("۲٫۵", 2.5),
            ("12.75", 12.75),
            ("۱۵۳٪", 153.0),
            ("153 %", 153.0),
            ("-۴۲", -42.0),
            ("\u{2212}7", -7.0),
            (" \u{200E}-1200 ", -1200.0),
        ] {
            assert_eq!(parse_localized(text), Some(value), "{text}");
        }
        for text in [
            "",
            "-",
            "حسب درخواست",
            "1,23",
            "12O",
            "1.2.3",
            ",123",
            "1.",
            "۱ فقره",
            "--1",
        ] {
            assert_eq!(parse_localized(text), None, "{text}");
        }
    }

    #[test]
    fn plain_numbers_for_messages_never_show_minus_zero() {
        assert_eq!(plain(153.0), "153");
        assert_eq!(plain(152.549), "152.55");
        assert_eq!(plain(2.50), "2.5");
        assert_eq!(plain(-0.0), "0");
        assert_eq!(plain(-0.001), "0");
        assert_eq!(plain(-12.0), "-12");
    }

    #[test]
    fn running_text_keeps_latin_tokens_and_their_numbers() {
        assert_eq!(localize_text("ردیف 23، برنامه", Persian), "ردیف ۲۳، برنامه");
        assert_eq!(
            localize_text("استاندارد ISO/IEC 17025 و کاغذ A4 در سطر L3108", Persian),
            "استاندارد ISO/IEC 17025 و کاغذ A4 در سطر L3108"
        );
        assert_eq!(localize_text("«17020 ISO/IEC»", Persian), "«17020 ISO/IEC»");
        assert_eq!(localize_text("سال ۱۴۰۰ و 1401", Latin), "سال 1400 و 1401");
    }

    #[test]
    fn localize_only_changes_ascii_digits() {
        assert_eq!(localize_digits("2-1", Persian), "۲-۱");
        assert_eq!(localize_digits("ISO 17025", Latin), "ISO 17025");
    }
}
