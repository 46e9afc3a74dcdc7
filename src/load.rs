//! Reading the site folder: `site.toml`, then every year under `content/`, in a fixed order.

use crate::config::SiteConfig;
use crate::content::{SectionFile, YearMeta};
use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use serde::de::DeserializeOwned;
use std::fmt;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// A parse or type error in one content file, with the position and field path.
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
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
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

/// Deserializes `source` (the text of `path`), naming file, line, column and field on error.
pub fn parse_toml<T: DeserializeOwned>(path: &Path, source: &str) -> Result<T, ContentError> {
    let located = |span: Option<std::ops::Range<usize>>, field: String, message: String| {
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
    let deserializer = toml::de::Deserializer::parse(source)
        .map_err(|e| located(e.span(), String::new(), e.message().trim().to_string()))?;
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let field = e.path().to_string();
        let inner = e.into_inner();
        located(inner.span(), field, inner.message().trim().to_string())
    })
}

/// One section file as read from disk.
#[derive(Debug, Clone)]
pub struct LoadedSection {
    pub path: PathBuf,
    pub slug: String,
    pub text: String,
    pub lines: LineIndex,
    pub data: SectionFile,
}

impl LoadedSection {
    /// The line where `value` (a text of this file) is written, or 1 when it is escaped.
    pub fn line_of(&self, value: &str) -> usize {
        let needle: String = value
            .lines()
            .next()
            .unwrap_or("")
            .chars()
            .take(40)
            .collect();
        match self.text.find(needle.as_str()) {
            Some(offset) if !needle.is_empty() => self.lines.line(offset),
            _ => 1,
        }
    }
}

/// One year's folder as read from disk.
#[derive(Debug, Clone)]
pub struct LoadedYear {
    pub dir: PathBuf,
    pub meta: YearMeta,
    pub sections: Vec<LoadedSection>,
}

#[derive(Debug, Clone)]
pub struct LoadedSite {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub years: Vec<LoadedYear>,
}

pub fn load_site(root: &Path, config: SiteConfig) -> Result<LoadedSite> {
    let content = root.join("content");
    if !content.is_dir() {
        bail!("{}: no content folder", content.display());
    }
    let mut years = Vec::new();
    for dir in sorted_subdirs(&content)? {
        years.push(load_year(&dir)?);
    }
    if years.is_empty() {
        bail!(
            "{}: no year folder (expected content/<year>/year.toml)",
            content.display()
        );
    }
    years.sort_by_key(|y| y.meta.year);
    Ok(LoadedSite {
        root: root.to_path_buf(),
        config,
        years,
    })
}

fn sorted_subdirs(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut dirs = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            dirs.push(path);
        }
    }
    dirs.sort();
    Ok(dirs)
}

fn load_year(dir: &Path) -> Result<LoadedYear> {
    let meta_path = dir.join("year.toml");
    let meta: YearMeta = parse_file(&meta_path)?;
    let paths = section_paths(dir)?;
    let mut sections = paths
        .par_iter()
        .map(|path| load_section(path))
        .collect::<Result<Vec<_>>>()?;
    sections.sort_by(|a, b| (a.data.page, &a.path).cmp(&(b.data.page, &b.path)));
    Ok(LoadedYear {
        dir: dir.to_path_buf(),
        meta,
        sections,
    })
}

/// Every `*.toml` below the year folder except `year.toml`, sorted by path.
fn section_paths(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut paths = Vec::new();
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("cannot walk {}", dir.display()))?;
        let path = entry.path();
        let is_section = entry.file_type().is_file()
            && path.extension().is_some_and(|e| e == "toml")
            && path.file_name().is_some_and(|n| n != "year.toml");
        if is_section {
            paths.push(path.to_path_buf());
        }
    }
    Ok(paths)
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

fn parse_file<T: DeserializeOwned>(path: &Path) -> Result<T> {
    Ok(parse_toml(path, &read(path)?)?)
}

fn load_section(path: &Path) -> Result<LoadedSection> {
    let text = read(path)?;
    let data: SectionFile = parse_toml(path, &text)?;
    Ok(LoadedSection {
        path: path.to_path_buf(),
        slug: slug_of(path)?,
        lines: LineIndex::new(&text),
        text,
        data,
    })
}

/// `07-national-standards.toml` → `national-standards`: the numeric prefix only orders files.
pub fn slug_of(path: &Path) -> Result<String> {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .with_context(|| format!("{}: file name is not UTF-8", path.display()))?;
    let slug = match stem.split_once('-') {
        Some((prefix, rest))
            if !prefix.is_empty() && prefix.bytes().all(|b| b.is_ascii_digit()) =>
        {
            rest
        }
        _ => stem,
    };
    let valid = !slug.is_empty()
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !valid {
        bail!(
            "{}: the slug `{slug}` must be lowercase ASCII letters, digits and `-`",
            path.display()
        );
    }
    Ok(slug.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::SectionFile;

    #[test]
    fn slug_drops_the_ordering_prefix() {
        assert_eq!(
            slug_of(Path::new("a/07-national-standards.toml")).unwrap(),
            "national-standards"
        );
        assert_eq!(slug_of(Path::new("summary.toml")).unwrap(), "summary");
        assert!(slug_of(Path::new("07-Bad Name.toml")).is_err());
    }

    #[test]
    fn malformed_toml_names_line_and_column() {
        let err = parse_toml::<SectionFile>(Path::new("s.toml"), "title = \"x\"\npage = = 3\n")
            .unwrap_err();
        assert_eq!((err.line, err.column), (2, 8), "{err}");
    }

    #[test]
    fn wrong_type_names_the_field_path() {
        let src = "title = \"x\"\npage = 3\n[[tables]]\nid = \"T1\"\nkind = \"list\"\ncaption = \"c\"\ncolumns = []\nrows = [ { no = 1 } ]\n";
        let err = parse_toml::<SectionFile>(Path::new("s.toml"), src).unwrap_err();
        assert!(err.field.contains("tables[0].rows[0]"), "{err}");
        assert_eq!(err.line, 8, "{err}");
    }

    #[test]
    fn line_index_counts_characters_not_bytes() {
        let text = "ab\nسلام x";
        let idx = LineIndex::new(text);
        let offset = text.find('x').unwrap();
        assert_eq!(idx.line_col(text, offset), (2, 6));
    }
}
