//! Markdown that may not be published (raw HTML, script links, outside requests), reported at
//! its line in the file.

use super::{CheckOptions, TextAt};
use crate::diagnostics::{Finding, Rule};
use toml::Spanned;

/// Findings for the Markdown `markdown`, a string written in `text`.
pub fn check(
    text: &TextAt,
    markdown: &Spanned<String>,
    page: u32,
    options: CheckOptions,
    out: &mut Vec<Finding>,
) {
    let start = markdown.span().start;
    // a multi-line string's first newline, right after its opening quotes, is not content
    let literal = text.text.get(start..).unwrap_or("");
    let skipped = ["\"\"\"\n", "\"\"\"\r\n", "'''\n", "'''\r\n"]
        .iter()
        .any(|q| literal.starts_with(q));
    let first_line = text.line(start) + usize::from(skipped);
    for problem in crate::markdown::problems(markdown.get_ref(), options.allow_external_links) {
        let newlines = markdown.get_ref()[..problem.offset].matches('\n').count();
        let rule = match problem.kind {
            crate::markdown::ProblemKind::Html => Rule::MarkdownHtml,
            crate::markdown::ProblemKind::Link => Rule::MarkdownLink,
        };
        out.push(Finding::new(
            rule,
            &text.place,
            first_line + newlines,
            page,
            problem.message,
        ));
    }
}
