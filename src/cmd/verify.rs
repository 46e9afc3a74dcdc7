//! `karnameh verify <archive> [--source DIR]`: every file of the archive against the
//! manifest's hashes, and given the source, against the year built afresh from it. Every file
//! that differs is named.

use super::archive::{Purpose, year_archive};
use crate::archive::{Archive, Difference, SOURCE, differences, source_fingerprint};
use crate::output::manifest::sha256_hex;
use anyhow::{Result, anyhow};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct VerifyOptions {
    pub archive: PathBuf,
    pub source: Option<PathBuf>,
}

#[derive(Debug)]
pub struct VerifyReport {
    pub year: u32,
    pub version: String,
    pub files: usize,
    /// Files whose bytes do not match the manifest, or that it lists and the archive lacks.
    pub damaged: Vec<Difference>,
    /// With a source: files whose archived bytes differ from a build of the source.
    pub rebuilt: Option<Vec<Difference>>,
}

impl VerifyReport {
    pub fn passed(&self) -> bool {
        self.damaged.is_empty() && self.rebuilt.as_ref().is_none_or(Vec::is_empty)
    }
}

pub fn verify(options: &VerifyOptions) -> Result<VerifyReport> {
    let archive = Archive::read(&options.archive)?;
    let year = archive
        .year()
        .ok_or_else(|| anyhow!("{}: the manifest names no year", options.archive.display()))?;
    let rebuilt = match &options.source {
        Some(source) => Some(against_source(&archive, source, year)?),
        None => None,
    };
    Ok(VerifyReport {
        year,
        version: archive.manifest.version.clone(),
        files: archive.files.len(),
        damaged: archive.check(),
        rebuilt,
    })
}

/// How the archive differs from the year as the site at `source` builds it.
fn against_source(archive: &Archive, source: &Path, year: u32) -> Result<Vec<Difference>> {
    let fresh = year_archive(source, year, Purpose::Compare)?;
    Ok(differences(&fingerprints(archive), &fingerprints(&fresh)))
}

/// A source file is compared as `frozen` makes no difference; a built file byte for byte.
fn fingerprints(archive: &Archive) -> BTreeMap<String, String> {
    archive
        .files
        .iter()
        .map(|(path, bytes)| {
            let hash = match path.strip_prefix(SOURCE) {
                Some(source) => source_fingerprint(source, bytes),
                None => sha256_hex(bytes),
            };
            (path.clone(), hash)
        })
        .collect()
}
