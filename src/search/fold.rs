//! The one Persian folding of search: what the index stores and what the browser's client
//! (`assets/search/search.js`) does to a query, rule for rule, so that a query in either script
//! or either digit set finds what the page prints. Both run the cases of
//! `tests/search/vectors.json`.
//!
//! Folding: compatibility decomposition (NFKD: presentation forms and full-width digits become
//! plain letters and digits, `آ`/`أ`/`ؤ`/`ئ`/`ۀ` a letter plus a mark), every combining mark
//! (harakat, madda, hamza) and tatweel and invisible format characters dropped, Arabic letters
//! mapped to the Persian ones, Persian and Arabic-Indic digits to ASCII, ASCII lowercased.
//! Words: runs of letters and digits; a thousands separator between digits is dropped and a
//! decimal point kept as `.`; a zero-width non-joiner between letters joins the parts of one
//! word, which the index stores joined and as each part.

use std::ops::Range;
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

const ZWNJ: char = '\u{200C}';

/// `text` folded: see the module's rules.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            decompose_compatible(c, |d| {
                if let Some(folded) = fold_char(d) {
                    out.push(folded);
                }
            });
        }
    }
    out
}

/// One decomposed character folded, or `None` when it is dropped.
fn fold_char(c: char) -> Option<char> {
    if is_combining_mark(c) || is_dropped(c) {
        return None;
    }
    Some(match c {
        'ي' | 'ى' => 'ی',
        'ك' | 'ڪ' => 'ک',
        'ة' | 'ۃ' | 'ە' | 'ھ' => 'ه',
        'ٱ' => 'ا',
        '۰'..='۹' => digit(c as u32 - '۰' as u32),
        '٠'..='٩' => digit(c as u32 - '٠' as u32),
        _ => c.to_ascii_lowercase(),
    })
}

fn digit(value: u32) -> char {
    char::from_digit(value, 10).unwrap_or('0')
}

/// Tatweel and invisible characters that can sit inside a word (bidi controls, joiners other
/// than ZWNJ, soft hyphen, byte-order mark).
fn is_dropped(c: char) -> bool {
    matches!(c,
        '\u{0640}' | '\u{00AD}' | '\u{061C}' | '\u{200D}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Letters and digits: Unicode's Alphabetic property (the client's `\p{Alphabetic}`), with
/// the Arabic letters, most of what the index reads, answered without the table lookup.
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '\u{0620}'..='\u{064A}' | '\u{066E}'..='\u{06D3}')
        || (!c.is_ascii() && c.is_alphabetic())
}

fn is_thousands_separator(c: char) -> bool {
    c == ',' || c == '\u{066C}'
}

fn is_decimal_point(c: char) -> bool {
    c == '.' || c == '\u{066B}'
}

/// The words of `text`, folded, each as its parts (more than one when written with ZWNJ).
pub fn words(text: &str) -> Vec<Vec<String>> {
    let mut words = Vec::new();
    scan(text, |buffer, parts| {
        words.push(
            parts
                .iter()
                .map(|r| buffer[r.clone()].to_string())
                .collect(),
        );
    });
    words
}

/// The terms the index stores for `text`: every word, and a word of several parts also each
/// part, so that `استان‌ها` is found by `استانها`, `استان ها` and `استان`.
pub fn index_terms(text: &str, mut each: impl FnMut(&str)) {
    scan(text, |buffer, parts| {
        if let (Some(first), Some(last), true) = (parts.first(), parts.last(), parts.len() > 1) {
            // the parts sit side by side in the buffer: together they are the joined word
            each(&buffer[first.start..last.end]);
        }
        parts.iter().for_each(|r| each(&buffer[r.clone()]));
    });
}

/// Calls `word` with each word of `text`: the parts, as ranges of a buffer holding them one
/// after the other (a separator dropped, a decimal point written `.`).
fn scan(text: &str, mut word: impl FnMut(&str, &[Range<usize>])) {
    let chars: Vec<char> = fold(text).chars().collect();
    let mut buffer = String::with_capacity(text.len());
    let mut parts: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    let mut end_word = |buffer: &str, parts: &mut Vec<Range<usize>>, start: usize| {
        if buffer.len() > start {
            parts.push(start..buffer.len());
        }
        if !parts.is_empty() {
            word(buffer, parts);
            parts.clear();
        }
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let between_digits = i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        match c {
            c if is_word_char(c) => buffer.push(c),
            // `۱٬۴۰۰` and `1,400` are 1400
            c if between_digits && is_thousands_separator(c) => {}
            c if between_digits && is_decimal_point(c) => buffer.push('.'),
            ZWNJ if buffer.len() > start => {
                let next = chars[i..].iter().position(|&n| n != ZWNJ).map(|n| i + n);
                match next {
                    Some(n) if is_word_char(chars[n]) => {
                        parts.push(start..buffer.len());
                        start = buffer.len();
                        i = n;
                        continue;
                    }
                    _ => {
                        end_word(&buffer, &mut parts, start);
                        start = buffer.len();
                    }
                }
            }
            _ => {
                end_word(&buffer, &mut parts, start);
                start = buffer.len();
            }
        }
        i += 1;
    }
    end_word(&buffer, &mut parts, start);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Vectors {
        fold: Vec<(String, String)>,
        words: Vec<(String, Vec<Vec<String>>)>,
        matches: Vec<(String, String, bool)>,
    }

    fn vectors() -> Vectors {
        serde_json::from_str(include_str!("../../tests/search/vectors.json")).unwrap()
    }

    /// The client's rule: each query word is a prefix of a term, or each of its parts is.
    fn matches(text: &str, query: &str) -> bool {
        let mut terms = Vec::new();
        index_terms(text, |t| terms.push(t.to_string()));
        let found = |q: &str| terms.iter().any(|t| t.starts_with(q));
        let words = words(query);
        !words.is_empty()
            && words
                .iter()
                .all(|parts| found(&parts.concat()) || parts.iter().all(|p| found(p)))
    }

    #[test]
    fn the_shared_fold_vectors() {
        let failed: Vec<String> = vectors()
            .fold
            .iter()
            .filter(|(text, expected)| fold(text) != *expected)
            .map(|(text, expected)| format!("{text:?} → {:?}, not {expected:?}", fold(text)))
            .collect();
        assert!(failed.is_empty(), "{failed:#?}");
    }

    #[test]
    fn the_shared_word_vectors() {
        let failed: Vec<String> = vectors()
            .words
            .iter()
            .filter(|(text, expected)| words(text) != *expected)
            .map(|(text, expected)| format!("{text:?} → {:?}, not {expected:?}", words(text)))
            .collect();
        assert!(failed.is_empty(), "{failed:#?}");
    }

    #[test]
    fn the_shared_match_vectors() {
        let failed: Vec<String> = vectors()
            .matches
            .iter()
            .filter(|(text, query, expected)| matches(text, query) != *expected)
            .map(|(text, query, expected)| format!("{query:?} in {text:?}: expected {expected}"))
            .collect();
        assert!(failed.is_empty(), "{failed:#?}");
    }

    #[test]
    fn the_shortcut_for_arabic_letters_agrees_with_the_alphabetic_property() {
        for c in ('\u{0600}'..='\u{06FF}').chain('\0'..='\u{7F}') {
            assert_eq!(
                is_word_char(c),
                c.is_ascii_digit() || c.is_alphabetic(),
                "{c:?}"
            );
        }
    }

    #[test]
    fn a_word_with_zwnj_is_stored_joined_and_as_its_parts() {
        let mut terms = Vec::new();
        index_terms("گواهی‌های ۱٬۴۰۰", |t| {
            terms.push(t.to_string())
        });
        assert_eq!(terms, ["گواهیهای", "گواهی", "های", "1400"]);
    }
}
