//! Writing HTML into a string: escaped text and attributes, and numbers in the site's digits.
//! Escaping is Tera's (the templates' autoescape), so generated and templated markup agree.

use std::fmt::Write;

/// Appends `text` escaped as Tera escapes: `& < > " ' /`.
pub fn escaped(out: &mut String, text: &str) {
    // bytes, not chars: all six are ASCII, so a match is a character boundary, and most text
    // is Persian, whose characters a char pattern would decode one by one
    let special = |b: &u8| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'' | b'/');
    let mut rest = text;
    while let Some(i) = rest.as_bytes().iter().position(special) {
        out.push_str(&rest[..i]);
        out.push_str(match rest.as_bytes()[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#x27;",
            _ => "&#x2F;",
        });
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
}

/// Appends ` name="value"` with the value escaped.
pub fn attr(out: &mut String, name: &str, value: &str) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    escaped(out, value);
    out.push('"');
}

/// Appends ` name="n"` when `n > 1` (a span).
pub fn span(out: &mut String, name: &str, n: usize) {
    if n > 1 {
        let _ = write!(out, " {name}=\"{n}\"");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_matches_teras() {
        for text in ["ISO/IEC 17025", "a & b <c> \"d\" 'e'", "ساده", ""] {
            let mut out = String::new();
            escaped(&mut out, text);
            assert_eq!(out, tera::escape_html(text), "{text}");
        }
        let mut out = String::new();
        attr(&mut out, "id", "T1\" onload=\"x");
        assert_eq!(out, " id=\"T1&quot; onload=&quot;x\"");
    }
}
