//! Source text of TOML files: reading (UTF-8, an optional byte-order mark), line positions,
//! and deserializing with errors that name file, line, column and field.

use serde::de::DeserializeOwned;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A read, parse or type error in one file, with the position and field path.
#[derive(Debug)]
pub struct ContentError {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub field: String,
    pub message: String,
}

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file.display(), self.line, self.column)?;
        if !self.field.is_empty() && self.field != "." {
            write!(f, "field `{}`: ", self.field)?;
        }
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for ContentError {}

/// Byte offsets of line starts, to turn a span into `line:column` (both 1-based).
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(line_starts(text.as_bytes()));
        LineIndex { starts }
    }

    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.line(offset);
        let start = self.starts[line - 1];
        let column = text
            .get(start..offset.min(text.len()))
            .map_or(1, |s| s.chars().count() + 1);
        (line, column)
    }

    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).max(1)
    }
}

/// Offsets just after every newline.
fn line_starts(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i + 1)
}

/// The UTF-8 byte-order mark some editors (Notepad, Excel exports) put first.
const BOM: &str = "\u{FEFF}";

/// Reads `path` as UTF-8 text without its byte-order mark; invalid UTF-8 is reported at its
/// line and column.
pub fn read_text(path: &Path) -> Result<String, ContentError> {
    let bytes = std::fs::read(path).map_err(|e| ContentError {
        file: path.to_path_buf(),
        line: 1,
        column: 1,
        field: String::new(),
        message: format!("cannot read the file: {e}"),
    })?;
    decode(path, bytes)
}

/// `bytes` as text, without a leading byte-order mark.
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<String, ContentError> {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with(BOM) {
                text.drain(..BOM.len());
            }
            Ok(text)
        }
        Err(e) => {
            let bytes = e.as_bytes();
            let valid = e.utf8_error().valid_up_to();
            // the valid prefix is text: count its lines and characters
            let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
            let prefix = prefix.strip_prefix(BOM).unwrap_or(prefix);
            let line = prefix.matches('\n').count() + 1;
            let column = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            Err(ContentError {
                file: path.to_path_buf(),
                line,
                column,
                field: String::new(),
                message: format!(
                    "the file is not valid UTF-8 (byte 0x{:02X}): save it as UTF-8",
                    bytes[valid]
                ),
            })
        }
    }
}

/// Deserializes `source` (the text of `path`), naming file, line, column and field on error.
pub fn parse_toml<T: DeserializeOwned>(path: &Path, source: &str) -> Result<T, ContentError> {
    let located = |span: Option<Range<usize>>, field: String, message: String| {
        let (line, column) =
            span.map_or((1, 1), |s| LineIndex::new(source).line_col(source, s.start));
        ContentError {
            file: path.to_path_buf(),
            line,
            column,
            field,
            message,
        }
    };
    let parse = || {
        toml::de::Deserializer::parse(source)
            .map_err(|e| located(e.span(), String::new(), e.message().trim().to_string()))
    };
    // the field's path is tracked only once a value is known to be wrong: tracking it for
    // every value costs a fifth of reading the content
    if let Ok(value) = T::deserialize(parse()?) {
        return Ok(value);
    }
    serde_path_to_error::deserialize(parse()?).map_err(|e| {
        let field = readable_path(&e.path().to_string());
        let inner = e.into_inner();
        located(
            inner.span(),
            field,
            readable_message(inner.message().trim()),
        )
    })
}

/// The field path as the user wrote it: without the wrapper serde puts around spanned values.
fn readable_path(path: &str) -> String {
    path.replace(".$__serde_spanned_private_value", "")
        .replace("$__serde_spanned_private_value.", "")
        .replace("$__serde_spanned_private_value", "")
}

/// serde's message in the words of the content format: no Rust type names.
fn readable_message(message: &str) -> String {
    const TYPES: [(&str, &str); 6] = [
        (
            "expected u32",
            "expected a whole number from 0 to 4294967295",
        ),
        ("expected u64", "expected a whole number of 0 or more"),
        ("expected usize", "expected a whole number of 0 or more"),
        ("expected i64", "expected a whole number"),
        ("expected f64", "expected a number"),
        ("expected a boolean", "expected true or false"),
    ];
    let mut text = message.replace(" as i128", "").replace(" as u128", "");
    for (rust, words) in TYPES {
        text = text.replace(rust, words);
    }
    text
}

/// Reads and deserializes one TOML file.
pub fn parse_file<T: DeserializeOwned>(path: &Path) -> Result<T, ContentError> {
    parse_toml(path, &read_text(path)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Doc {
        title: String,
        page: u32,
        #[serde(default)]
        rows: Vec<toml::Spanned<Row>>,
    }

    #[derive(Debug, Deserialize)]
    struct Row {
        n: u32,
    }

    #[test]
    fn a_document_with_spanned_rows_parses() {
        let src = "title = \"x\"\npage = 3\nrows = [ { n = 1 } ]\n";
        let doc = parse_toml::<Doc>(Path::new("s.toml"), src).unwrap();
        assert_eq!((doc.title.as_str(), doc.page), ("x", 3));
        assert_eq!(doc.rows[0].get_ref().n, 1);
        assert_eq!(&src[doc.rows[0].span()], "{ n = 1 }");
    }

    #[test]
    fn malformed_toml_names_line_and_column() {
        let err =
            parse_toml::<Doc>(Path::new("s.toml"), "title = \"x\"\npage = = 3\n").unwrap_err();
        assert_eq!((err.line, err.column), (2, 8), "{err}");
    }

    #[test]
    fn field_paths_hide_the_span_wrapper() {
        let src = "title = \"x\"\npage = 3\nrows = [ { n = 1 }, { n = \"a\" } ]\n";
        let err = parse_toml::<Doc>(Path::new("s.toml"), src).unwrap_err();
        assert_eq!(err.field, "rows[1].n", "{err}");
        assert!(!err.to_string().contains("serde"), "{err}");
    }

    #[test]
    fn messages_name_no_rust_types() {
        let src = "title = \"x\"\npage = -99999999999999999999\n";
        let err = parse_toml::<Doc>(Path::new("s.toml"), src)
            .unwrap_err()
            .to_string();
        assert!(!err.contains("i128") && !err.contains("u32"), "{err}");
        assert!(err.contains("whole number from 0"), "{err}");
    }

    #[test]
    fn line_index_counts_characters_not_bytes() {
        let text = "ab\nسلام x";
        let idx = LineIndex::new(text);
        let offset = text.find('x').unwrap();
        assert_eq!(idx.line_col(text, offset), (2, 6));
    }

    #[test]
    fn a_byte_order_mark_is_dropped_and_bad_utf8_is_located() {
        let text = decode(Path::new("a.toml"), b"\xEF\xBB\xBFtitle = 1".to_vec()).unwrap();
        assert_eq!(text, "title = 1");
        let err = decode(Path::new("a.toml"), b"a = 1\nb = \"\xD8x\"\n".to_vec()).unwrap_err();
        assert_eq!((err.line, err.column), (2, 6), "{err}");
        assert!(err.message.contains("UTF-8"), "{err}");
    }
}
