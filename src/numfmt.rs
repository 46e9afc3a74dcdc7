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
        DigitStyle::Persian => text
            .chars()
            .map(|c| match c {
                '0'..='9' => PERSIAN_DIGITS[c as usize - '0' as usize],
                other => other,
            })
            .collect(),
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
    let text = match decimals {
        Some(d) => format!("{:.*}", d, value.abs()),
        // whole numbers (nearly every figure of a report) skip float formatting
        None if value.fract() == 0.0 && value.abs() < 1e15 => (value.abs() as u64).to_string(),
        None => trim_decimals(format!("{:.2}", value.abs())),
    };
    let (int_part, frac_part) = text
        .split_once('.')
        .map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let (thousands, point) = match style {
        DigitStyle::Persian => (PERSIAN_THOUSANDS, PERSIAN_DECIMAL),
        DigitStyle::Latin => (',', '.'),
    };
    let mut out = String::new();
    if value < 0.0 && text.chars().any(|c| c != '0' && c != '.') {
        out.push(LEFT_TO_RIGHT_MARK);
        out.push('-');
    }
    out.push_str(&group_thousands(int_part, thousands));
    if let Some(frac) = frac_part {
        out.push(point);
        out.push_str(frac);
    }
    localize_digits(&out, style)
}

/// `153` → `۱۵۳٪` (Persian) or `153%` (Latin).
pub fn format_percent(value: f64, style: DigitStyle) -> String {
    let sign = match style {
        DigitStyle::Persian => PERSIAN_PERCENT,
        DigitStyle::Latin => '%',
    };
    format!("{}{sign}", format_number(value, None, style))
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
        trim_decimals(format!("{rounded:.2}"))
    }
}

fn trim_decimals(text: String) -> String {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

fn group_thousands(digits: &str, separator: char) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 2);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use DigitStyle::{Latin, Persian};

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
