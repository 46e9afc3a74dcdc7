//! A year's archive: one deterministic tar.gz holding the year's built folder (`site/<year>/`),
//! the source it was built from (`source/`: `site.toml`, the content of that year and the years
//! before it, the theme, `static/`) and `manifest.json`: the karnameh version, the year, the
//! site settings and the SHA-256 of every other file. `tarball` writes and reads the bytes.

pub mod tarball;

use crate::config::SiteConfig;
use crate::output::manifest::{Manifest, sha256_hex};
use anyhow::{Context, Result, bail};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The manifest's name inside an archive.
pub const MANIFEST_ENTRY: &str = "manifest.json";
/// Where the built year is inside an archive: `site/1400/index.html`.
pub const SITE: &str = "site/";
/// Where the source is: `source/content/1400/year.toml`.
pub const SOURCE: &str = "source/";

/// Where `karnameh archive` writes a year's archive by default, and where `build` looks for
/// a frozen year's: `archives/<year>.tar.gz` in the site folder.
pub fn default_path(root: &Path, year: u32) -> PathBuf {
    root.join("archives").join(format!("{year}.tar.gz"))
}

/// An archive in memory: its manifest and its files (every entry but the manifest).
#[derive(Debug, Clone, PartialEq)]
pub struct Archive {
    pub manifest: Manifest,
    pub files: BTreeMap<String, Vec<u8>>,
}

/// How one file of an archive differs from what it should be.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Difference {
    /// Its bytes are not the ones expected.
    Changed(String),
    /// Expected, and not there.
    Missing(String),
    /// There, and not expected.
    Unexpected(String),
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Difference::Changed(path) => write!(f, "changed     {path}"),
            Difference::Missing(path) => write!(f, "missing     {path}"),
            Difference::Unexpected(path) => write!(f, "unexpected  {path}"),
        }
    }
}

impl Archive {
    /// The archive of `year` holding `files` (`site/…` and `source/…` entries).
    pub fn new(year: u32, settings: &SiteConfig, files: BTreeMap<String, Vec<u8>>) -> Archive {
        let mut manifest = Manifest::of(files.iter().map(|(p, b)| (p.clone(), b.as_slice())));
        manifest.year = Some(year);
        manifest.settings = Some(settings.clone());
        Archive { manifest, files }
    }

    pub fn year(&self) -> Option<u32> {
        self.manifest.year
    }

    /// The archive's bytes: every file and the manifest, deterministically.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut entries = self.files.clone();
        entries.insert(
            MANIFEST_ENTRY.to_string(),
            self.manifest.to_json().into_bytes(),
        );
        tarball::write(&entries, tarball::entry_time()?)
    }

    /// Reads the archive at `path`; its hashes are not checked yet (see [`Archive::check`]).
    pub fn read(path: &Path) -> Result<Archive> {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let mut files = tarball::read(&bytes).with_context(|| format!("{}", path.display()))?;
        let Some(manifest) = files.remove(MANIFEST_ENTRY) else {
            bail!(
                "{}: no {MANIFEST_ENTRY}: not a karnameh archive",
                path.display()
            );
        };
        let manifest: Manifest = serde_json::from_slice(&manifest).with_context(|| {
            format!(
                "{}: {MANIFEST_ENTRY} is not a karnameh manifest",
                path.display()
            )
        })?;
        if manifest.generator != "karnameh" || manifest.year.is_none() {
            bail!(
                "{}: {MANIFEST_ENTRY} is not a karnameh archive's manifest",
                path.display()
            );
        }
        Ok(Archive { manifest, files })
    }

    /// Every file whose bytes do not have the hash the manifest gives, is not listed, or is
    /// listed and absent.
    pub fn check(&self) -> Vec<Difference> {
        let actual: BTreeMap<String, String> = self
            .files
            .iter()
            .map(|(p, b)| (p.clone(), sha256_hex(b)))
            .collect();
        differences(&self.manifest.files, &actual)
    }

    /// The built year's files, by their path in a site's output (`1400/index.html`).
    pub fn site_files(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files
            .iter()
            .filter_map(|(p, b)| Some((p.strip_prefix(SITE)?, b.as_slice())))
    }
}

/// What compares source files: their SHA-256, but a `year.toml` without its `frozen` key, so
/// that freezing a year after archiving it is not an edit of its content.
pub fn source_fingerprint(path: &str, bytes: &[u8]) -> String {
    let is_year = path.rsplit('/').next() == Some("year.toml");
    let unfrozen = is_year
        .then(|| {
            std::str::from_utf8(bytes)
                .ok()?
                .parse::<toml_edit::DocumentMut>()
                .ok()
        })
        .flatten()
        .map(|mut doc| {
            doc.remove("frozen");
            doc.to_string()
        });
    match unfrozen {
        Some(text) => sha256_hex(text.as_bytes()),
        None => sha256_hex(bytes),
    }
}

/// The fingerprints of the archived source files below `prefix` (`content/1399/`), by their
/// path from the site folder.
pub fn archived_fingerprints(archive: &Archive, prefix: &str) -> BTreeMap<String, String> {
    archive
        .files
        .iter()
        .filter_map(|(p, bytes)| {
            let path = p.strip_prefix(SOURCE)?;
            path.starts_with(prefix)
                .then(|| (path.to_string(), source_fingerprint(path, bytes)))
        })
        .collect()
}

/// How `actual` (path → hash) differs from `expected`, path by path, in path order.
pub fn differences(
    expected: &BTreeMap<String, String>,
    actual: &BTreeMap<String, String>,
) -> Vec<Difference> {
    let mut found = Vec::new();
    for (path, hash) in expected {
        match actual.get(path) {
            None => found.push(Difference::Missing(path.clone())),
            Some(h) if h != hash => found.push(Difference::Changed(path.clone())),
            Some(_) => {}
        }
    }
    for path in actual.keys().filter(|p| !expected.contains_key(*p)) {
        found.push(Difference::Unexpected(path.clone()));
    }
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn archive() -> Archive {
        let mut files = BTreeMap::new();
        files.insert("site/1400/index.html".to_string(), b"<p>1400</p>".to_vec());
        files.insert(
            "source/content/1400/year.toml".to_string(),
            b"year = 1400\n".to_vec(),
        );
        Archive::new(1400, &SiteConfig::default(), files)
    }

    #[test]
    fn an_archive_reads_back_and_its_hashes_hold() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("1400.tar.gz");
        std::fs::write(&path, archive().to_bytes().unwrap()).unwrap();
        let read = Archive::read(&path).unwrap();
        assert_eq!(read, archive());
        assert!(read.check().is_empty());
        assert_eq!(
            read.site_files().map(|(p, _)| p).collect::<Vec<_>>(),
            ["1400/index.html"]
        );
        assert_eq!(
            archived_fingerprints(&read, "content/1400/")
                .keys()
                .collect::<Vec<_>>(),
            ["content/1400/year.toml"]
        );
    }

    #[test]
    fn freezing_a_year_does_not_change_its_fingerprint_and_an_edit_does() {
        let plain = source_fingerprint("content/1400/year.toml", b"year = 1400\n");
        let frozen = source_fingerprint("content/1400/year.toml", b"year = 1400\nfrozen = true\n");
        let edited = source_fingerprint("content/1400/year.toml", b"year = 1401\n");
        assert_eq!(plain, frozen);
        assert_ne!(plain, edited);
        assert_eq!(
            source_fingerprint("content/1400/a.toml", b"x"),
            sha256_hex(b"x")
        );
    }

    #[test]
    fn a_changed_byte_a_missing_and_an_unlisted_file_are_named() {
        let mut broken = archive();
        broken
            .files
            .insert("site/1400/index.html".to_string(), b"<p>1401</p>".to_vec());
        broken.files.remove("source/content/1400/year.toml");
        broken
            .files
            .insert("site/extra.txt".to_string(), Vec::new());
        assert_eq!(
            broken.check(),
            [
                Difference::Changed("site/1400/index.html".into()),
                Difference::Missing("source/content/1400/year.toml".into()),
                Difference::Unexpected("site/extra.txt".into()),
            ]
        );
    }
}
