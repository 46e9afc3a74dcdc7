//! Widths of texts as Typst will set them: shaped with rustybuzz in the same Vazirmatn faces,
//! in em (multiply by the font size). Table columns are planned from these before Typst runs.

use crate::fonts::{BOLD_TTF, REGULAR_TTF};
use rustybuzz::{Face, UnicodeBuffer};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Weight {
    Regular,
    Bold,
}

/// Shapes words once and remembers their widths: a report repeats its labels and figures.
pub struct Measure {
    regular: Option<Face<'static>>,
    bold: Option<Face<'static>>,
    /// Widths of words already shaped, per weight.
    words: [HashMap<String, f64>; 2],
}

/// A text's width on one line, and its widest word (what a column can shrink to).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Extent {
    pub line: f64,
    pub word: f64,
}

impl Default for Measure {
    fn default() -> Self {
        Measure {
            regular: Face::from_slice(REGULAR_TTF, 0),
            bold: Face::from_slice(BOLD_TTF, 0),
            words: [HashMap::new(), HashMap::new()],
        }
    }
}

impl Measure {
    /// The width in em of `text` on one line, and of its widest word.
    pub fn extent(&mut self, text: &str, weight: Weight) -> Extent {
        let space = self.word(" ", weight);
        let mut extent = Extent::default();
        let mut words = 0usize;
        for word in text.split_whitespace() {
            let width = self.word(word, weight);
            extent.word = extent.word.max(width);
            extent.line += width;
            words += 1;
        }
        extent.line += space * words.saturating_sub(1) as f64;
        extent
    }

    fn word(&mut self, word: &str, weight: Weight) -> f64 {
        let known = &self.words[weight as usize];
        if let Some(&width) = known.get(word) {
            return width;
        }
        let face = match weight {
            Weight::Regular => self.regular.as_ref(),
            Weight::Bold => self.bold.as_ref().or(self.regular.as_ref()),
        };
        let Some(face) = face else {
            return 0.0;
        };
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(word);
        buffer.guess_segment_properties();
        let shaped = rustybuzz::shape(face, &[], buffer);
        let advance: i32 = shaped.glyph_positions().iter().map(|p| p.x_advance).sum();
        let width = f64::from(advance) / f64::from(face.units_per_em());
        self.words[weight as usize].insert(word.to_string(), width);
        width
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_measured_joined_and_bold_is_wider() {
        let mut measure = Measure::default();
        let regular = measure.extent("آذربایجان شرقی", Weight::Regular);
        let bold = measure.extent("آذربایجان شرقی", Weight::Bold);
        assert!(regular.line > 4.0 && regular.line < 8.0, "{regular:?}");
        assert!(regular.word < regular.line);
        assert!(bold.line > regular.line);
        assert_eq!(measure.extent("", Weight::Regular), Extent::default());
        // a figure is one word: it never wraps
        let figure = measure.extent("۱۲٬۳۴۵", Weight::Regular);
        assert_eq!(figure.line, figure.word);
    }
}
