//! Broken content while serving: each problem with its file, line and column, its message and
//! the offending line of the file, shown in the terminal and as an overlay, right to left and
//! in Persian, on every open page (over the last good site, which is still served).

use crate::config::DigitStyle;
use crate::numfmt::localize_digits;
use crate::render::html::{attr, escaped};
use crate::report::StructuralErrors;
use crate::report::one_line;
use crate::source::ContentError;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The overlay's stylesheet, added to every page `serve` sends.
pub const STYLE: &str = include_str!("overlay.css");

/// The element an open page replaces or removes when the content breaks or is fixed.
pub const OVERLAY_ID: &str = "karnameh-overlay";

/// One thing that stops the site from building.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Relative to the site folder.
    pub file: Option<PathBuf>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    /// The file's text at `line`.
    pub source: Option<Excerpt>,
}

/// The offending line (a window of it around the column when it is long), and where in it the
/// caret goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    pub text: String,
    /// 0-based, in characters.
    pub caret: Option<usize>,
}

/// The longest stretch of an offending line shown (a minified file can be one line).
const SOURCE_WIDTH: usize = 160;

impl Problem {
    /// The problems `error` reports: a file's parse error, the content's structural errors,
    /// or any other failure (a template, a folder) as its message.
    pub fn from_error(root: &Path, error: &anyhow::Error) -> Vec<Problem> {
        if let Some(StructuralErrors(findings)) = error.downcast_ref::<StructuralErrors>() {
            return findings
                .iter()
                .map(|f| {
                    let full = one_line(f);
                    let message = full.split_once(": ").map_or(full.as_str(), |(_, m)| m);
                    Problem::at(root, &f.file, f.line, None, message.to_string())
                })
                .collect();
        }
        if let Some(e) = error.chain().find_map(|e| e.downcast_ref::<ContentError>()) {
            let message = match e.field.as_str() {
                "" | "." => e.message.clone(),
                field => format!("field `{field}`: {}", e.message),
            };
            return vec![Problem::at(root, &e.file, e.line, Some(e.column), message)];
        }
        vec![Problem {
            file: None,
            line: None,
            column: None,
            message: format!("{error:#}"),
            source: None,
        }]
    }

    fn at(
        root: &Path,
        file: &Path,
        line: usize,
        column: Option<usize>,
        message: String,
    ) -> Problem {
        let source = std::fs::read_to_string(file)
            .ok()
            .and_then(|text| text.lines().nth(line.saturating_sub(1)).map(str::to_string));
        Problem {
            file: Some(file.strip_prefix(root).unwrap_or(file).to_path_buf()),
            line: Some(line),
            column,
            message,
            source: source.map(|s| Excerpt::of(&s, column)),
        }
    }

    /// `content/1400/07-x.toml:12:8`, as far as it is known.
    pub fn location(&self) -> Option<String> {
        let file = self.file.as_ref()?;
        let mut out = file.display().to_string();
        if let Some(line) = self.line {
            let _ = write!(out, ":{line}");
            if let Some(column) = self.column {
                let _ = write!(out, ":{column}");
            }
        }
        Some(out)
    }

    /// The offending line with a caret under its column, as `rustc` shows it.
    fn excerpt(&self) -> Option<String> {
        let source = self.source.as_ref()?;
        let number = self.line?.to_string();
        let mut out = format!("{number} | {}", source.text);
        if let Some(at) = source.caret {
            let pad = " ".repeat(number.len());
            let _ = write!(out, "\n{pad} | {}^", " ".repeat(at));
        }
        Some(out)
    }

    /// What the terminal prints: `error: file:line:col: message` and the excerpt.
    pub fn terminal(&self) -> String {
        let mut out = String::from("error: ");
        if let Some(location) = self.location() {
            let _ = write!(out, "{location}: ");
        }
        out.push_str(&self.message);
        if let Some(excerpt) = self.excerpt() {
            for line in excerpt.lines() {
                let _ = write!(out, "\n    {line}");
            }
        }
        out
    }
}

impl Excerpt {
    /// `line` as shown: whole when short, else about `SOURCE_WIDTH` characters around
    /// `column` (1-based, in characters), marked `…` where cut.
    fn of(line: &str, column: Option<usize>) -> Excerpt {
        let chars: Vec<char> = line.chars().collect();
        let at = column.map(|c| c.saturating_sub(1).min(chars.len()));
        if chars.len() <= SOURCE_WIDTH {
            return Excerpt {
                text: line.to_string(),
                caret: at,
            };
        }
        let start = at.map_or(0, |a| a.saturating_sub(SOURCE_WIDTH / 2));
        let end = (start + SOURCE_WIDTH).min(chars.len());
        let mut text = String::new();
        if start > 0 {
            text.push('…');
        }
        text.extend(&chars[start..end]);
        if end < chars.len() {
            text.push('…');
        }
        let lead = usize::from(start > 0);
        Excerpt {
            text,
            caret: at.map(|a| a - start + lead),
        }
    }
}

/// The overlay shown over every open page while `problems` stop the build. Its `data-key`
/// names the problems, so that an overlay the reader closed stays closed until they change.
pub fn overlay(problems: &[Problem], digits: DigitStyle) -> String {
    let mut body = String::new();
    body.push_str("<div class=\"karnameh-overlay-box\"><p id=\"karnameh-overlay-title\" class=\"karnameh-overlay-title\">محتوا خطا دارد و سایت بازسازی نشد؛ آخرین نسخهٔ سالم نمایش داده می‌شود.</p>");
    for p in problems {
        problem(&mut body, p, digits);
    }
    body.push_str("<p class=\"karnameh-overlay-hint\">پرونده را درست و ذخیره کنید؛ این پیام خودبه‌خود می‌رود.</p>");
    // serve's script closes it
    body.push_str("<button type=\"button\" class=\"karnameh-overlay-close\">بستن</button></div>");
    let mut hasher = std::hash::DefaultHasher::new();
    std::hash::Hasher::write(&mut hasher, body.as_bytes());
    let key = std::hash::Hasher::finish(&hasher);
    let mut out = String::with_capacity(body.len() + 160);
    out.push_str("<div");
    attr(&mut out, "id", OVERLAY_ID);
    let _ = write!(out, " data-key=\"{key:016x}\"");
    out.push_str(
        " dir=\"rtl\" lang=\"fa\" role=\"alertdialog\" aria-labelledby=\"karnameh-overlay-title\">",
    );
    out.push_str(&body);
    out.push_str("</div>");
    out
}

fn problem(out: &mut String, p: &Problem, digits: DigitStyle) {
    out.push_str("<section class=\"karnameh-problem\"");
    if let Some(location) = p.location() {
        attr(out, "data-location", &location);
    }
    out.push('>');
    if let Some(location) = p.location() {
        out.push_str("<p class=\"karnameh-where\"><code dir=\"ltr\">");
        escaped(out, &location);
        out.push_str("</code>");
        if let Some(line) = p.line {
            let _ = write!(out, " (خط {}", localize_digits(&line.to_string(), digits));
            if let Some(column) = p.column {
                let _ = write!(
                    out,
                    "، ستون {}",
                    localize_digits(&column.to_string(), digits)
                );
            }
            out.push(')');
        }
        out.push_str("</p>");
    }
    out.push_str("<p class=\"karnameh-message\" dir=\"ltr\" lang=\"en\">");
    escaped(out, &p.message);
    out.push_str("</p>");
    if let (Some(source), Some(line)) = (&p.source, p.line) {
        source_html(out, source, line);
    }
    out.push_str("</section>");
}

/// The offending line with its column marked: a caret line would not stay under it, since
/// Persian letters in the line are not as wide as the caret line's spaces.
fn source_html(out: &mut String, source: &Excerpt, line: usize) {
    let _ = write!(
        out,
        "<pre class=\"karnameh-source\" dir=\"ltr\"><code><span class=\"karnameh-line-no\">{line} | </span>"
    );
    let chars: Vec<char> = source.text.chars().collect();
    match source.caret {
        Some(at) => {
            let before: String = chars[..at.min(chars.len())].iter().collect();
            escaped(out, &before);
            out.push_str("<mark>");
            match chars.get(at) {
                Some(c) => escaped(out, &c.to_string()),
                None => out.push(' '),
            }
            out.push_str("</mark>");
            let after: String = chars.get(at + 1..).unwrap_or_default().iter().collect();
            escaped(out, &after);
        }
        None => escaped(out, &source.text),
    }
    out.push_str("</code></pre>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::parse_toml;

    #[test]
    fn a_parse_error_names_file_line_column_and_shows_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("content/1400/07-a.toml");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        let text = "title = \"t\"\npage = = 3\n";
        std::fs::write(&file, text).unwrap();
        let error = parse_toml::<toml::Table>(&file, text).unwrap_err();
        let problems = Problem::from_error(dir.path(), &anyhow::Error::new(error));
        let p = &problems[0];
        assert_eq!(p.location().as_deref(), Some("content/1400/07-a.toml:2:8"));
        assert_eq!(
            p.source.as_ref().map(|s| s.text.as_str()),
            Some("page = = 3")
        );
        let terminal = p.terminal();
        assert!(
            terminal.starts_with("error: content/1400/07-a.toml:2:8: "),
            "{terminal}"
        );
        assert!(
            terminal.ends_with("2 | page = = 3\n      |        ^"),
            "{terminal}"
        );
        let html = overlay(&problems, DigitStyle::Persian);
        assert!(
            html.contains("data-location=\"content&#x2F;1400&#x2F;07-a.toml:2:8\""),
            "{html}"
        );
        assert!(html.contains("(خط ۲، ستون ۸)"), "{html}");
        assert!(
            html.contains("2 | </span>page = <mark>=</mark> 3"),
            "{html}"
        );
    }

    #[test]
    fn any_other_failure_is_its_message() {
        let error = anyhow::anyhow!("template `base.html`: unexpected end").context("rendering");
        let problems = Problem::from_error(Path::new("/site"), &error);
        assert_eq!(
            problems[0].message,
            "rendering: template `base.html`: unexpected end"
        );
        assert_eq!(
            problems[0].terminal(),
            "error: rendering: template `base.html`: unexpected end"
        );
    }

    #[test]
    fn a_long_line_is_cut_around_its_column() {
        let mut long = "x".repeat(1000);
        long.replace_range(899..900, "!");
        let near = Excerpt::of(&long, Some(3));
        assert_eq!(near.text.chars().count(), SOURCE_WIDTH + 1);
        assert_eq!(near.caret, Some(2));
        let far = Excerpt::of(&long, Some(900));
        let caret = far.caret.unwrap();
        assert_eq!(far.text.chars().nth(caret), Some('!'));
        assert!(far.text.starts_with('…') && far.text.ends_with('…'));
    }
}
