//! What `serve` adds to every page it sends, and `build` never writes: the overlay's style,
//! and a small script that follows the server over a WebSocket, reloads the page when a
//! rebuild changed it (keeping the scroll position), shows the error overlay, and reconnects
//! after the server restarts.

use super::overlay;

/// Where open pages follow the server; outside every site's files (see the README).
pub const EVENTS_PATH: &str = "/__karnameh/events";

/// The header that carries a page's version, which the script compares with its own.
pub const VERSION_HEADER: &str = "x-karnameh-version";

const SCRIPT: &str = include_str!("reload.js");

/// `html` with the overlay's style before `</head>` and the script, knowing the page's
/// `version`, before `</body>`.
pub fn inject(html: &str, version: &str) -> String {
    let style = format!("<style>\n{}</style>\n", overlay::STYLE);
    let script = format!("<script data-version=\"{version}\">\n{SCRIPT}</script>\n");
    let mut out = String::with_capacity(html.len() + style.len() + script.len());
    let head = html.find("</head>").unwrap_or(0);
    out.push_str(&html[..head]);
    out.push_str(&style);
    let rest = &html[head..];
    let body = rest.rfind("</body>").unwrap_or(rest.len());
    out.push_str(&rest[..body]);
    out.push_str(&script);
    out.push_str(&rest[body..]);
    out
}

/// A served page with the error overlay added at the end of its body.
pub fn with_overlay(page: &[u8], overlay: &str) -> Vec<u8> {
    let body = find_last(page, b"</body>").unwrap_or(page.len());
    let mut out = Vec::with_capacity(page.len() + overlay.len());
    out.extend_from_slice(&page[..body]);
    out.extend_from_slice(overlay.as_bytes());
    out.extend_from_slice(&page[body..]);
    out
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// What the socket tells open pages: the overlay to show, or none.
pub fn state_message(overlay: Option<&str>) -> String {
    serde_json::json!({ "overlay": overlay }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_at_the_end_of_the_body_and_the_style_into_the_head() {
        let page = "<html><head><title>t</title></head><body><p>a</p></body></html>";
        let out = inject(page, "00ff");
        let style = out.find("<style>").unwrap();
        let script = out.find("<script data-version=\"00ff\">").unwrap();
        assert!(style < out.find("</head>").unwrap());
        assert!(out.find("<p>a</p>").unwrap() < script);
        assert!(script < out.find("</body>").unwrap());
        assert!(
            out.contains(EVENTS_PATH),
            "the script follows the events path"
        );
        let shown = String::from_utf8(with_overlay(out.as_bytes(), "<div id=o></div>")).unwrap();
        assert!(shown.ends_with("<div id=o></div></body></html>"), "{shown}");
    }

    #[test]
    fn the_message_is_json() {
        assert_eq!(state_message(None), r#"{"overlay":null}"#);
        assert_eq!(
            state_message(Some("<p>\"x\"</p>")),
            r#"{"overlay":"<p>\"x\"</p>"}"#
        );
    }
}
