//! Identifiers written in the content that end up in HTML attributes, URLs and file names,
//! and the typed references to rows and columns built from them. Each is checked against its
//! pattern where it is read, so no quote, space or markup can reach the output through one
//! (see `docs/content-format.md`, "Identifiers").

use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// Longest identifier accepted: ids are repeated in every cell's `headers` attribute.
const MAX_ID: usize = 64;

/// `T010`, `hq`, `plan_intl`: an ASCII letter, then ASCII letters, digits, `_` or `-`.
fn is_key(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && text.len() <= MAX_ID
}

/// `12`, `1-3`, `2.1`, `7a`: ASCII letters and digits in groups joined by `-`, `.` or `/`.
fn is_row_no(text: &str) -> bool {
    text.len() <= 16
        && text
            .split(['-', '.', '/'])
            .all(|g| !g.is_empty() && g.chars().all(|c| c.is_ascii_alphanumeric()))
}

macro_rules! identifier {
    ($(#[$doc:meta])* $name:ident, $what:literal, $valid:ident, $pattern:expr) => {
        $(#[$doc])*
        /// Shared text: ids are cloned into every finding and model that names them.
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(Arc<str>);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;

            fn try_from(text: String) -> Result<Self, String> {
                if $valid(&text) {
                    Ok($name(Arc::from(text)))
                } else {
                    Err(format!(
                        "{} `{}` is not allowed: use {}",
                        $what,
                        text.escape_debug(),
                        $pattern
                    ))
                }
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0.to_string()
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                &*self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                &*self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                *self.0 == **other
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    };
}

const KEY_PATTERN: &str =
    "an ASCII letter followed by ASCII letters, digits, `_` or `-` (at most 64), e.g. `T010`";

identifier!(
    /// A table's id, unique in its year: `T010`.
    TableId,
    "table id",
    is_key,
    KEY_PATTERN
);
identifier!(
    /// A column's key, unique in its table: `plan`, `actual_intl`.
    ColumnKey,
    "column key",
    is_key,
    KEY_PATTERN
);
identifier!(
    /// A part of the report declared in `year.toml`: `hq`.
    PartId,
    "part id",
    is_key,
    KEY_PATTERN
);
identifier!(
    /// A table's series: the same table across years (`national-standards-provinces`), so that
    /// a later year compares its figures with the previous year's and a page charts them all.
    SeriesKey,
    "series key",
    is_key,
    KEY_PATTERN
);
identifier!(
    /// A row's stable key across the years of a series: a province code (ISO 3166-2:IR) or
    /// any key that outlives a respelled label; rows without one are matched by their label.
    RowKey,
    "row key",
    is_key,
    KEY_PATTERN
);
identifier!(
    /// A row's printed number: `12`, `1-3`.
    RowNo,
    "row number",
    is_row_no,
    "ASCII letters and digits, in groups joined by `-`, `.` or `/` (at most 16), e.g. `12` or `1-3`"
);

/// A row of a table as corrections, discrepancies and links name it: its printed number when
/// that is unique in the table, its position among the rows (`#5`, 1-based), or `total`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(try_from = "String", into = "String")]
pub enum RowRef {
    /// The totals row.
    Total,
    /// A printed row number.
    No(RowNo),
    /// A 1-based position among the rows (heading rows included).
    Position(usize),
}

impl TryFrom<String> for RowRef {
    type Error = String;

    fn try_from(text: String) -> Result<RowRef, String> {
        if text == "total" {
            return Ok(RowRef::Total);
        }
        if let Some(position) = text.strip_prefix('#') {
            return match position.parse::<usize>() {
                Ok(n) if n >= 1 => Ok(RowRef::Position(n)),
                _ => Err(format!(
                    "row `{}` is not a position: write `#1` for the first row",
                    text.escape_debug()
                )),
            };
        }
        RowNo::try_from(text)
            .map(RowRef::No)
            .map_err(|e| format!("{e}; or `#5` for the 5th row, or `total`"))
    }
}

impl From<RowRef> for String {
    fn from(row: RowRef) -> String {
        row.to_string()
    }
}

impl fmt::Display for RowRef {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            RowRef::Total => f.write_str("total"),
            RowRef::No(no) => f.write_str(no),
            RowRef::Position(n) => write!(f, "#{n}"),
        }
    }
}

/// A column as corrections, discrepancies and marks name it: a value column by its key, or the
/// row-label (`label`) or row-number (`no`) column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(try_from = "String", into = "String")]
pub enum ColumnRef {
    Label,
    No,
    Key(ColumnKey),
}

impl TryFrom<String> for ColumnRef {
    type Error = String;

    fn try_from(text: String) -> Result<ColumnRef, String> {
        match text.as_str() {
            "label" => Ok(ColumnRef::Label),
            "no" => Ok(ColumnRef::No),
            _ => ColumnKey::try_from(text).map(ColumnRef::Key),
        }
    }
}

impl From<ColumnRef> for String {
    fn from(column: ColumnRef) -> String {
        column.to_string()
    }
}

impl fmt::Display for ColumnRef {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            ColumnRef::Label => f.write_str("label"),
            ColumnRef::No => f.write_str("no"),
            ColumnRef::Key(key) => f.write_str(key),
        }
    }
}

impl ColumnRef {
    pub fn key(&self) -> Option<&ColumnKey> {
        match self {
            ColumnRef::Key(key) => Some(key),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_ascii_identifiers() {
        for ok in ["T010", "hq", "plan_intl", "a-b"] {
            assert!(TableId::try_from(ok.to_string()).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "1T",
            "T010\" onload=\"x",
            "جدول",
            "a b",
            "a<b",
            &"x".repeat(65),
        ] {
            assert!(TableId::try_from(bad.to_string()).is_err(), "{bad}");
        }
    }

    #[test]
    fn row_numbers_are_groups_of_letters_and_digits() {
        for ok in ["1", "12", "1-3", "2.1", "7a", "3/4"] {
            assert!(RowNo::try_from(ok.to_string()).is_ok(), "{ok}");
        }
        for bad in ["", "-1", "1-", "1 2", "۱", "1\"", "1--2"] {
            assert!(RowNo::try_from(bad.to_string()).is_err(), "{bad}");
        }
    }

    #[test]
    fn row_and_column_references_parse_and_print_back() {
        for (text, parsed) in [
            ("total", RowRef::Total),
            ("#5", RowRef::Position(5)),
            (
                "1-3",
                RowRef::No(RowNo::try_from("1-3".to_string()).unwrap()),
            ),
        ] {
            assert_eq!(RowRef::try_from(text.to_string()).unwrap(), parsed);
            assert_eq!(parsed.to_string(), text);
        }
        for bad in ["#0", "#x", "", "a b"] {
            assert!(RowRef::try_from(bad.to_string()).is_err(), "{bad}");
        }
        assert_eq!(
            ColumnRef::try_from("label".to_string()).unwrap(),
            ColumnRef::Label
        );
        assert_eq!(
            ColumnRef::try_from("no".to_string()).unwrap(),
            ColumnRef::No
        );
        assert_eq!(
            ColumnRef::try_from("plan".to_string()).unwrap().to_string(),
            "plan"
        );
        assert!(ColumnRef::try_from("p l".to_string()).is_err());
    }

    #[test]
    fn the_error_quotes_the_text_escaped_and_names_the_pattern() {
        let err = ColumnKey::try_from("a\"b".to_string()).unwrap_err();
        assert!(
            err.contains("`a\\\"b`") && err.contains("ASCII letter"),
            "{err}"
        );
    }
}
