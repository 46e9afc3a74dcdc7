//! Writing the generated Typst source. Every text of the content reaches Typst as a string
//! literal (`"…"`), never as markup, so no character of it can start a heading, a list, a
//! function call or a smart quote; and every such text is checked against the font on the way,
//! so a character Typst could not set is reported with the place of the content it came from.

use super::glyphs::Coverage;
use std::fmt::{self, Write};
use std::ops::Range;
use std::path::Path;

/// Where in the content the text being written comes from, for errors.
#[derive(Debug, Clone, Copy, Default)]
pub struct Origin<'a> {
    pub file: Option<&'a Path>,
    pub line: Option<usize>,
    pub table: Option<&'a str>,
    /// What in the file or table: `row 5, column «جمع»`, `the caption`, `the foreword`.
    pub field: Option<Field<'a>>,
}

/// A field of the content, named as its author knows it.
#[derive(Debug, Clone, Copy)]
pub enum Field<'a> {
    Named(&'static str),
    Cell { row: &'a str, column: &'a str },
    RowLabel { row: &'a str },
    Header { column: &'a str },
}

impl fmt::Display for Field<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Field::Named(name) => f.write_str(name),
            Field::Cell { row, column } => write!(f, "row {row}, column «{column}»"),
            Field::RowLabel { row } => write!(f, "the label of row {row}"),
            Field::Header { column } => write!(f, "the header «{column}»"),
        }
    }
}

/// A character of the content that the font has no glyph for.
#[derive(Debug, Clone, PartialEq)]
pub struct Missing {
    pub character: char,
    pub at: String,
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "{}: the character U+{:04X} «{}» is not in the PDF's font (Vazirmatn), so the PDF cannot show it: write it with a character the font has, or leave it out",
            self.at,
            u32::from(self.character),
            self.character.escape_debug()
        )
    }
}

impl Origin<'_> {
    fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(file) = self.file {
            parts.push(match self.line {
                Some(line) => format!("{}:{line}", file.display()),
                None => file.display().to_string(),
            });
        }
        if let Some(table) = self.table {
            parts.push(format!("table {table}"));
        }
        if let Some(field) = self.field {
            parts.push(field.to_string());
        }
        if parts.is_empty() {
            "the site settings".to_string()
        } else {
            parts.join(", ")
        }
    }
}

/// Tells which table a byte range of the generated source belongs to: Typst's diagnostics
/// are mapped back through it.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    pub range: Range<usize>,
    pub what: String,
}

/// The generated source being written.
pub struct Markup<'c> {
    out: String,
    coverage: &'c Coverage,
    missing: Vec<Missing>,
    bugs: Vec<String>,
    regions: Vec<Region>,
}

/// Why the source could not be written: characters the font lacks (the content's to fix), or
/// a defect of karnameh's own.
#[derive(Debug)]
pub enum Unwritable {
    Missing(Vec<Missing>),
    Bug(Vec<String>),
}

/// At most this many missing characters are reported: one is enough to act on, a few show a
/// pattern, thousands would bury both.
const MAX_MISSING: usize = 20;

impl<'c> Markup<'c> {
    pub fn new(coverage: &'c Coverage) -> Markup<'c> {
        Markup {
            out: String::with_capacity(1 << 20),
            coverage,
            missing: Vec::new(),
            bugs: Vec::new(),
            regions: Vec::new(),
        }
    }

    /// karnameh's own Typst code.
    pub fn code(&mut self, code: &str) -> &mut Self {
        self.out.push_str(code);
        self
    }

    /// Formatted Typst code of karnameh's own (numbers, lengths).
    pub fn code_fmt(&mut self, args: fmt::Arguments) -> &mut Self {
        let _ = self.out.write_fmt(args);
        self
    }

    /// A text of the content as a Typst string literal, checked against the font.
    pub fn text(&mut self, text: &str, origin: &Origin) -> &mut Self {
        self.check(text, origin);
        push_literal(&mut self.out, text);
        self
    }

    /// A text quoted from the extracted source (a correction's `printed`), which records stray
    /// characters as they were: those the font lacks are written as their code points.
    pub fn quoted(&mut self, text: &str) -> &mut Self {
        let spelled = self.coverage.spelled(text);
        push_literal(&mut self.out, &spelled);
        self
    }

    /// A text of the content whose line breaks matter (a code block), checked like `text`.
    pub fn lines(&mut self, text: &str, origin: &Origin) -> &mut Self {
        self.check(text, origin);
        push_literal_lines(&mut self.out, text);
        self
    }

    /// A text of karnameh's own (labels in Persian, formatted numbers) as a string literal.
    pub fn own(&mut self, text: &str) -> &mut Self {
        push_literal(&mut self.out, text);
        self
    }

    /// Records a defect of karnameh's own found while writing (the PDF is not made).
    pub fn bug(&mut self, message: String) {
        self.bugs.push(message);
    }

    pub fn position(&self) -> usize {
        self.out.len()
    }

    /// Records that the source written since `start` belongs to `what`.
    pub fn region(&mut self, start: usize, what: String) {
        let range = start..self.out.len();
        self.regions.push(Region { range, what });
    }

    fn check(&mut self, text: &str, origin: &Origin) {
        if self.missing.len() >= MAX_MISSING {
            return;
        }
        if let Some(character) = self.coverage.first_missing(text) {
            let at = origin.describe();
            let missing = Missing { character, at };
            if !self.missing.contains(&missing) {
                self.missing.push(missing);
            }
        }
    }

    /// The source and its regions, or every character the font lacks with where each was
    /// written.
    pub fn finish(self) -> Result<(String, Vec<Region>), Unwritable> {
        if !self.bugs.is_empty() {
            Err(Unwritable::Bug(self.bugs))
        } else if !self.missing.is_empty() {
            Err(Unwritable::Missing(self.missing))
        } else {
            Ok((self.out, self.regions))
        }
    }
}

/// `text` as a Typst string literal. Line breaks and tabs become spaces, as the site's HTML
/// shows them; other control characters are escaped so the literal always parses.
pub fn push_literal(out: &mut String, text: &str) {
    literal(out, text, false);
}

/// `text` as a Typst string literal that keeps its line breaks.
fn push_literal_lines(out: &mut String, text: &str) {
    literal(out, text, true);
}

fn literal(out: &mut String, text: &str, keep_lines: bool) {
    out.reserve(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' if keep_lines => out.push_str("\\n"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literal(text: &str) -> String {
        let mut out = String::new();
        push_literal(&mut out, text);
        out
    }

    #[test]
    fn literals_escape_quotes_backslashes_and_controls() {
        assert_eq!(literal(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(literal("یک\nدو\tسه"), "\"یک دو سه\"");
        assert_eq!(literal("\u{7}"), "\"\\u{7}\"");
        // markup characters stay as they are: inside a string they mean nothing
        assert_eq!(
            literal("#set = * _ $ <a> @b // [x]"),
            "\"#set = * _ $ <a> @b // [x]\""
        );
    }

    #[test]
    fn a_missing_glyph_names_the_place_it_was_written() {
        let coverage = Coverage::of_report_font();
        let mut markup = Markup::new(&coverage);
        let origin = Origin {
            file: Some(Path::new("content/1400/07-x.toml")),
            line: Some(12),
            table: Some("T010"),
            field: Some(Field::Cell {
                row: "3",
                column: "عملکرد",
            }),
        };
        markup
            .text("تهران", &origin)
            .text("ok \u{200c}\u{200e}", &origin);
        markup.text("تهران 😀", &origin);
        let Err(Unwritable::Missing(missing)) = markup.finish() else {
            panic!("the emoji is reported");
        };
        assert_eq!(missing.len(), 1);
        let message = missing[0].to_string();
        assert!(
            message.starts_with(
                "content/1400/07-x.toml:12, table T010, row 3, column «عملکرد»: the character U+1F600"
            ),
            "{message}"
        );
    }
}
