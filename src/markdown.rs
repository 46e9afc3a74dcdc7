//! Markdown of the content (the foreword, section bodies): rendered to HTML, and checked first.
//! Raw HTML is refused rather than sanitised (Markdown says everything a report needs), as are
//! `javascript:`-like links and images from other hosts: the site makes no outside request.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};

/// The HTML of `text`. A link or image path from the site root (`/1400/summary/`,
/// `/img/a.png`) is given to `site_path` (without its `/`), which says how the page writes it:
/// relative to the page, or under the base path.
pub fn to_html(text: &str, site_path: &dyn Fn(&str) -> String) -> String {
    let rewrite = |url: CowStr<'static>| -> CowStr<'static> {
        match url.strip_prefix('/') {
            Some(path) if !path.starts_with('/') => CowStr::from(site_path(path)),
            _ => url,
        }
    };
    let events = Parser::new_ext(text, Options::ENABLE_TABLES).map(|event| match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: rewrite(dest_url.into_static()),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: rewrite(dest_url.into_static()),
            title,
            id,
        }),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

/// Something in a Markdown text that may not be published, at a byte offset of the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub offset: usize,
    pub kind: ProblemKind,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// Raw HTML.
    Html,
    /// A link or image that may not be published.
    Link,
}

/// What a link or image points at.
#[derive(Debug, PartialEq)]
enum Target {
    /// A path or fragment of this site.
    Internal,
    /// `mailto:` and `tel:`: no request is made.
    Contact,
    /// `https://other.host/…` or `//other.host/…`.
    OtherHost,
    /// Any other scheme (`javascript:`, `data:`, `file:` …).
    Forbidden(String),
}

fn target(url: &str) -> Target {
    // browsers ignore white space and control characters inside a scheme ("java\tscript:")
    let compact: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    if compact.starts_with("//") {
        return Target::OtherHost;
    }
    let scheme = compact
        .split_once(':')
        .map(|(s, _)| s)
        .filter(|s| !s.contains(['/', '?', '#']));
    match scheme {
        None => Target::Internal,
        Some("http" | "https") => Target::OtherHost,
        Some("mailto" | "tel") => Target::Contact,
        Some(other) => Target::Forbidden(other.to_string()),
    }
}

/// Raw HTML, forbidden links, and (unless `allow_external_links`) links to other hosts.
pub fn problems(text: &str, allow_external_links: bool) -> Vec<Problem> {
    let mut found = Vec::new();
    for (event, range) in Parser::new_ext(text, Options::ENABLE_TABLES).into_offset_iter() {
        let mut problem = |kind, message: String| {
            found.push(Problem {
                offset: range.start,
                kind,
                message,
            })
        };
        match event {
            Event::Html(html) | Event::InlineHtml(html) => problem(
                ProblemKind::Html,
                format!(
                    "raw HTML `{}` is not allowed in Markdown: write it in Markdown (**bold**, *italic*, lists, tables)",
                    html.trim().chars().take(40).collect::<String>()
                ),
            ),
            Event::Start(Tag::Link { dest_url, .. }) => match target(&dest_url) {
                Target::Forbidden(scheme) => problem(
                    ProblemKind::Link,
                    format!(
                        "a `{scheme}:` link is not allowed: link to a page of the site or to https://"
                    ),
                ),
                Target::OtherHost if !allow_external_links => problem(
                    ProblemKind::Link,
                    format!(
                        "the link to `{dest_url}` leaves the site, which promises no outside request: remove it, or set `allow-external-links = true` in site.toml"
                    ),
                ),
                _ => {}
            },
            Event::Start(Tag::Image { dest_url, .. }) => match target(&dest_url) {
                Target::Internal => {}
                _ => problem(
                    ProblemKind::Link,
                    format!(
                        "the image `{dest_url}` is not a file of the site: put it in static/ and link to it by its path"
                    ),
                ),
            },
            _ => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(text: &str, allow: bool) -> Vec<&'static str> {
        problems(text, allow)
            .into_iter()
            .map(|p| match p.kind {
                ProblemKind::Html => "markdown-html",
                ProblemKind::Link => "markdown-link",
            })
            .collect()
    }

    #[test]
    fn markdown_without_html_or_outside_links_passes() {
        let text = "**مقدمه**\n\n- یک\n- [فهرست](/1400/) و [بند](#a) و [نامه](mailto:a@b.ir)\n\n![نمودار](img/a.png)\n";
        assert!(rules(text, false).is_empty(), "{:?}", problems(text, false));
        let html = to_html(text, &|path| format!("../../{path}"));
        assert!(html.contains("<strong>مقدمه</strong>"));
        assert!(
            html.contains("href=\"../../1400/\"") && html.contains("href=\"#a\""),
            "paths from the site root are written as the page says: {html}"
        );
        assert!(html.contains("src=\"img/a.png\""), "{html}");
    }

    #[test]
    fn raw_html_is_refused_where_it_stands() {
        let text = "سطر\n\n<script>alert(1)</script>\n\nو <b>پررنگ</b>";
        let found = problems(text, false);
        assert_eq!(
            found.iter().map(|p| p.kind).collect::<Vec<_>>(),
            [ProblemKind::Html; 3]
        );
        assert_eq!(found[0].offset, text.find("<script>").unwrap());
    }

    #[test]
    fn script_links_and_outside_requests_are_refused() {
        assert_eq!(rules("[x](javascript:alert(1))", true), ["markdown-link"]);
        assert_eq!(rules("[x](JaVaScript:alert(1))", true), ["markdown-link"]);
        assert_eq!(
            rules("[x](<java\tscript:alert(1)>)", true),
            ["markdown-link"]
        );
        assert_eq!(rules("[x](data:text/html,hi)", true), ["markdown-link"]);
        assert_eq!(
            rules("[x](https://other.example/)", false),
            ["markdown-link"]
        );
        assert!(rules("[x](https://other.example/)", true).is_empty());
        assert_eq!(rules("<https://other.example/>", false), ["markdown-link"]);
        assert_eq!(
            rules("![x](https://other.example/a.png)", true),
            ["markdown-link"]
        );
        assert_eq!(
            rules("![x](//other.example/a.png)", true),
            ["markdown-link"]
        );
    }
}
