//! The content's Markdown (the foreword, section bodies) as Typst: structure as Typst
//! functions, every text as a string literal. Links to pages of the site have no target in
//! the PDF and keep only their text; an image shows its description.

use super::markup::{Markup, Origin};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Writes `markdown` into the document.
pub fn write(m: &mut Markup, markdown: &str, origin: &Origin) {
    let mut state = State::default();
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(tag) => start(m, tag, &mut state, origin),
            Event::End(tag) => end(m, tag, &mut state, origin),
            Event::Text(text) => match &mut state.code_block {
                Some(code) => code.push_str(&text),
                None => {
                    m.code("#").text(&text, origin).code(";");
                }
            },
            Event::Code(text) => {
                m.code("#raw(").text(&text, origin).code(");");
            }
            Event::Html(text) | Event::InlineHtml(text) => {
                m.code("#").text(&text, origin).code(";");
            }
            Event::SoftBreak => {
                m.code("#\" \";");
            }
            Event::HardBreak => {
                m.code("#linebreak();");
            }
            Event::Rule => {
                m.code("#line(length: 100%, stroke: 0.4pt)\n");
            }
            _ => {}
        }
    }
}

#[derive(Default)]
struct State {
    /// Per open link: whether it was written as a link (only mail, telephone and other hosts).
    links: Vec<bool>,
    code_block: Option<String>,
}

fn start(m: &mut Markup, tag: Tag, state: &mut State, origin: &Origin) {
    match tag {
        Tag::Paragraph => {
            m.code("#par[");
        }
        Tag::Heading { level, .. } => {
            let size = if level == HeadingLevel::H1 {
                "1.2em"
            } else {
                "1.05em"
            };
            m.code_fmt(format_args!(
                "#block(above: 1.2em, below: 0.6em, sticky: true, text(weight: \"bold\", size: {size})["
            ));
        }
        Tag::BlockQuote(_) => {
            m.code("#quote(block: true)[");
        }
        Tag::CodeBlock(_) => state.code_block = Some(String::new()),
        Tag::List(Some(first)) => {
            m.code_fmt(format_args!("#enum(tight: true, start: {first}, "));
        }
        Tag::List(None) => {
            m.code("#list(tight: true, ");
        }
        Tag::Item | Tag::TableCell => {
            m.code("[");
        }
        Tag::Table(alignments) => {
            m.code_fmt(format_args!(
                "#table(columns: {}, ",
                alignments.len().max(1)
            ));
        }
        Tag::TableHead => {
            m.code("table.header(");
        }
        Tag::Emphasis | Tag::Image { .. } => {
            m.code("#emph[");
        }
        Tag::Strong => {
            m.code("#strong[");
        }
        Tag::Strikethrough => {
            m.code("#strike[");
        }
        Tag::Link { dest_url, .. } => {
            let outside = ["mailto:", "tel:", "http://", "https://"]
                .iter()
                .any(|scheme| dest_url.to_ascii_lowercase().starts_with(scheme));
            if outside {
                m.code("#link(").text(&dest_url, origin).code(")[");
            }
            state.links.push(outside);
        }
        _ => {}
    }
}

fn end(m: &mut Markup, tag: TagEnd, state: &mut State, origin: &Origin) {
    match tag {
        TagEnd::Paragraph | TagEnd::BlockQuote(_) => {
            m.code("]\n");
        }
        TagEnd::Heading(_) => {
            m.code("])\n");
        }
        TagEnd::CodeBlock => {
            let code = state.code_block.take().unwrap_or_default();
            m.code("#raw(block: true, ")
                .lines(&code, origin)
                .code(")\n");
        }
        TagEnd::List(_) | TagEnd::Table => {
            m.code(")\n");
        }
        TagEnd::Item | TagEnd::TableCell => {
            m.code("], ");
        }
        TagEnd::TableHead => {
            m.code("), ");
        }
        TagEnd::Emphasis | TagEnd::Image | TagEnd::Strong | TagEnd::Strikethrough => {
            m.code("]");
        }
        // a link ends with the bracket only if its start opened one
        TagEnd::Link if state.links.pop() == Some(true) => {
            m.code("]");
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::glyphs::Coverage;

    fn typst(markdown: &str) -> String {
        let coverage = Coverage::of_report_font();
        let mut m = Markup::new(&coverage);
        write(&mut m, markdown, &Origin::default());
        m.finish().unwrap().0
    }

    #[test]
    fn paragraphs_emphasis_and_lists_become_functions_around_literals() {
        assert_eq!(
            typst("یک **دو** *سه*\n\n- الف\n- ب"),
            "#par[#\"یک \";#strong[#\"دو\";]#\" \";#emph[#\"سه\";]]\n#list(tight: true, [#\"الف\";], [#\"ب\";], )\n"
        );
    }

    #[test]
    fn markup_characters_and_site_links_are_only_text() {
        let out = typst("= #set [x](/1400/) <b>");
        assert!(out.contains("#\"= #set \";#\"x\";"), "{out}");
        assert!(
            !out.contains("#link"),
            "a link to a page of the site has no target here"
        );
        assert!(typst("[نامه](mailto:a@b.ir)").contains("#link(\"mailto:a@b.ir\")[#\"نامه\";]"));
    }

    #[test]
    fn code_blocks_keep_their_lines() {
        assert_eq!(typst("```\na\nb\n```"), "#raw(block: true, \"a\\nb\\n\")\n");
    }
}
