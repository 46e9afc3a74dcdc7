//! Which characters the PDF's font can set. Typst draws a character no font has as an empty
//! box, without an error: karnameh checks every text before Typst sees it.

use crate::fonts::{BOLD_TTF, REGULAR_TTF};
use rustybuzz::ttf_parser::Face;
use std::borrow::Cow;
use std::fmt::Write;

/// Characters the faces lack that the template draws (a `show` rule of `karnameh.typ` each):
/// marks a note quotes from the printed report.
pub const DRAWN: [char; 1] = ['○'];

/// The characters of the basic multilingual plane the faces have, as a bit set (8 KiB), and
/// the faces for the rest.
pub struct Coverage {
    bmp: Vec<u64>,
    faces: Vec<Face<'static>>,
}

impl Coverage {
    /// Both Vazirmatn faces: a character either has is set (Typst falls back between them).
    pub fn of_report_font() -> Coverage {
        let faces: Vec<Face<'static>> = [REGULAR_TTF, BOLD_TTF]
            .into_iter()
            .filter_map(|data| Face::parse(data, 0).ok())
            .collect();
        let mut bmp = vec![0u64; 0x10000 / 64];
        for c in DRAWN {
            let code = u32::from(c);
            bmp[code as usize / 64] |= 1 << (code % 64);
        }
        for face in &faces {
            let Some(cmap) = face.tables().cmap else {
                continue;
            };
            for subtable in cmap.subtables.into_iter().filter(|s| s.is_unicode()) {
                subtable.codepoints(|code| {
                    if code < 0x10000 {
                        bmp[code as usize / 64] |= 1 << (code % 64);
                    }
                });
            }
        }
        Coverage { bmp, faces }
    }

    pub fn has(&self, c: char) -> bool {
        let code = u32::from(c);
        if code < 0x10000 {
            self.bmp[code as usize / 64] & (1 << (code % 64)) != 0
        } else {
            self.faces.iter().any(|f| f.glyph_index(c).is_some())
        }
    }

    /// `text` with each character the faces lack written as its code point, `[U+0431]`.
    pub fn spelled<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if self.first_missing(text).is_none() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len() + 16);
        for c in text.chars() {
            if is_invisible(c) || self.has(c) {
                out.push(c);
            } else {
                let _ = write!(out, "[U+{:04X}]", u32::from(c));
            }
        }
        Cow::Owned(out)
    }

    /// The first character of `text` that would print as an empty box.
    pub fn first_missing(&self, text: &str) -> Option<char> {
        text.chars().find(|&c| !is_invisible(c) && !self.has(c))
    }
}

/// Characters that are shaped away rather than drawn: white space, joiners and direction
/// marks, variation selectors. A font need not have them.
fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c,
            '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{E0100}'..='\u{E01EF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persian_digits_separators_and_latin_are_covered_emoji_are_not() {
        let coverage = Coverage::of_report_font();
        assert_eq!(coverage.faces.len(), 2, "both faces parse");
        for text in [
            "آذربایجان شرقی",
            "می‌شود",
            "۱۲٬۳۴۵٫۶ ۱۵۳٪",
            "\u{200e}-۵",
            "ISO 9001 «T044» (الف) ؛ ، ؟",
            "ـ",
        ] {
            assert_eq!(coverage.first_missing(text), None, "{text}");
        }
        assert_eq!(coverage.first_missing("ok 😀"), Some('😀'));
        assert_eq!(coverage.first_missing("\u{4e2d}"), Some('\u{4e2d}'));
        assert_eq!(coverage.spelled("بیلбо"), "بیل[U+0431][U+043E]");
        assert!(matches!(coverage.spelled("بیلبورد"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_template_draws_each_mark_the_faces_lack() {
        let template = include_str!("karnameh.typ");
        let faces: Vec<Face> = [REGULAR_TTF, BOLD_TTF]
            .into_iter()
            .map(|data| Face::parse(data, 0).unwrap())
            .collect();
        for c in DRAWN {
            assert!(template.contains(&format!("show \"{c}\":")), "{c}");
            assert!(
                faces.iter().all(|f| f.glyph_index(c).is_none()),
                "{c} is in the font now"
            );
            assert!(Coverage::of_report_font().has(c));
        }
    }
}
