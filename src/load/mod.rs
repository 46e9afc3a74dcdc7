//! Reading the site folder: `site.toml`, then every year under `content/`, in a fixed order.

use crate::config::SiteConfig;
use crate::content::{SectionFile, YearMeta};
use crate::routes::RESERVED_SLUGS;
use crate::source::{LineIndex, parse_toml, read_text};
use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use walkdir::WalkDir;

mod chunked;
mod frozen;

pub use frozen::FrozenYear;

/// One section file as read from disk.
#[derive(Debug, Clone)]
pub struct LoadedSection {
    /// Shared by every finding in the file.
    pub path: Arc<Path>,
    pub slug: String,
    pub text: String,
    pub lines: LineIndex,
    pub data: SectionFile,
}

impl LoadedSection {
    /// The line where `value` (a text of this file) is first written within `region`, or the
    /// region's first line when it is written with escapes. Searching only the region keeps the
    /// cost of locating every finding linear in the size of the file.
    pub fn line_of(&self, value: &str, region: Range<usize>) -> usize {
        let start = region.start.min(self.text.len());
        let end = region.end.clamp(start, self.text.len());
        let needle: String = value
            .lines()
            .next()
            .unwrap_or("")
            .chars()
            .take(40)
            .collect();
        let haystack = self.text.get(start..end).unwrap_or("");
        match haystack.find(needle.as_str()) {
            Some(offset) if !needle.is_empty() => self.lines.line(start + offset),
            _ => self.lines.line(start),
        }
    }

    /// The part of the file from table `index`'s `[[tables]]` header to the next table's.
    pub fn table_region(&self, index: usize) -> Range<usize> {
        let tables = &self.data.tables;
        let start = tables.get(index).map_or(0, |t| t.span.start);
        let end = tables
            .get(index + 1)
            .map_or(self.text.len(), |t| t.span.start.max(start));
        start..end
    }
}

/// One year's folder as read from disk.
#[derive(Debug, Clone)]
pub struct LoadedYear {
    pub dir: PathBuf,
    pub meta: YearMeta,
    /// `year.toml`, its text and line index (findings in the foreword point into it).
    pub meta_path: Arc<Path>,
    pub meta_text: String,
    pub meta_lines: LineIndex,
    pub sections: Vec<LoadedSection>,
    /// A frozen year's archive, and the fingerprints of its source files as they are now.
    pub frozen: Option<std::sync::Arc<FrozenYear>>,
}

#[derive(Debug, Clone)]
pub struct LoadedSite {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub years: Vec<LoadedYear>,
}

impl LoadedSite {
    /// Drops the files' text and line indexes, which only `check` reads: a one-shot build
    /// needs no more than the parsed content once it is checked.
    pub fn release_sources(&mut self) {
        for section in self.years.iter_mut().flat_map(|y| &mut y.sections) {
            section.text = String::new();
            section.lines = LineIndex::default();
        }
    }

    /// Leaves out the years still being written (`draft = true`); returns them.
    pub fn leave_out_drafts(&mut self) -> Vec<u32> {
        let drafts = self
            .years
            .iter()
            .filter(|y| y.meta.draft)
            .map(|y| y.meta.year)
            .collect();
        self.years.retain(|y| !y.meta.draft);
        drafts
    }
}

pub fn load_site(root: &Path, config: SiteConfig) -> Result<LoadedSite> {
    let content = root.join("content");
    if !content.is_dir() {
        bail!("{}: no content folder", content.display());
    }
    let mut years = Vec::new();
    for dir in sorted_subdirs(&content)? {
        let mut year = load_year(&dir)?;
        if year.meta.frozen {
            year.frozen = Some(std::sync::Arc::new(FrozenYear::load(root, &year)?));
        }
        years.push(year);
    }
    if years.is_empty() {
        bail!(
            "{}: no year folder (expected content/<year>/year.toml)",
            content.display()
        );
    }
    years.sort_by_key(|y| y.meta.year);
    refuse_duplicate_years(&years)?;
    Ok(LoadedSite {
        root: root.to_path_buf(),
        config,
        years,
    })
}

/// Two folders declaring the same year would publish into one `/<year>/`.
fn refuse_duplicate_years(years: &[LoadedYear]) -> Result<()> {
    for pair in years.windows(2) {
        if pair[0].meta.year == pair[1].meta.year {
            bail!(
                "year {} is declared twice: in {} and in {}; each year needs its own folder",
                pair[0].meta.year,
                pair[0].dir.join("year.toml").display(),
                pair[1].dir.join("year.toml").display()
            );
        }
    }
    Ok(())
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
    let meta_text = read_text(&dir.join("year.toml"))?;
    let paths = section_paths(dir)?;
    let sections = paths
        .par_iter()
        .map(|path| load_section(path))
        .collect::<Result<Vec<_>>>()?;
    LoadedYear::parse(dir, meta_text, sections)
}

impl LoadedYear {
    /// The year of folder `dir`, from the text of its `year.toml` and its sections.
    pub fn parse(
        dir: &Path,
        meta_text: String,
        sections: Vec<LoadedSection>,
    ) -> Result<LoadedYear> {
        let meta_path: Arc<Path> = Arc::from(dir.join("year.toml"));
        let meta: YearMeta = parse_toml(&meta_path, &meta_text)?;
        let mut year = LoadedYear {
            dir: dir.to_path_buf(),
            meta,
            meta_lines: LineIndex::new(&meta_text),
            meta_path,
            meta_text,
            sections,
            frozen: None,
        };
        year.sort_sections();
        Ok(year)
    }

    /// Sections in the report's order: by printed page, then by file name.
    pub fn sort_sections(&mut self) {
        self.sections
            .sort_by(|a, b| (a.data.page, &a.path).cmp(&(b.data.page, &b.path)));
    }
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

fn load_section(path: &Path) -> Result<LoadedSection> {
    LoadedSection::parse(path, read_text(path)?)
}

impl LoadedSection {
    /// The section file at `path`, whose text is `text`.
    pub fn parse(path: &Path, text: String) -> Result<LoadedSection> {
        let in_pieces = (text.len() >= chunked::CHUNKED_FROM)
            .then(|| chunked::parse(&text))
            .flatten();
        let data: SectionFile = match in_pieces {
            Some(data) => data,
            None => parse_toml(path, &text)?,
        };
        Ok(LoadedSection {
            path: Arc::from(path),
            slug: slug_of(path)?,
            lines: LineIndex::new(&text),
            text,
            data,
        })
    }
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
    if RESERVED_SLUGS.contains(&slug) {
        bail!(
            "{}: the slug `{slug}` is taken by the year's own `{slug}/` page: rename the file",
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
        for taken in ["12-search.toml", "review.toml"] {
            let err = slug_of(Path::new(taken)).unwrap_err().to_string();
            assert!(err.contains("taken by the year's own"), "{err}");
        }
    }

    #[test]
    fn wrong_type_names_the_field_path() {
        let src = "title = \"x\"\npage = 3\n[[tables]]\nid = \"T1\"\nkind = \"list\"\ncaption = \"c\"\ncolumns = []\nrows = [ { no = 1 } ]\n";
        let err = parse_toml::<SectionFile>(Path::new("s.toml"), src).unwrap_err();
        assert!(err.field.contains("tables[0].rows[0]"), "{err}");
        assert_eq!(err.line, 8, "{err}");
    }
}
