//! A frozen year as loaded: its archive (what the site serves for it) and the fingerprints of
//! its source files as they are now, which `check` compares with the archived ones.

use super::LoadedYear;
use crate::archive::{Archive, default_path, source_fingerprint};
use crate::output::manifest::relative_name;
use anyhow::{Context, Result, bail};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

#[derive(Debug)]
pub struct FrozenYear {
    /// The site folder.
    pub root: PathBuf,
    pub archive_path: PathBuf,
    pub archive: Archive,
    /// `content/<folder>/`: where the year's source is, from the site folder.
    pub content_prefix: String,
    /// Every file below the year's folder now, by its path from the site folder.
    pub current: BTreeMap<String, String>,
}

impl FrozenYear {
    /// The archive of the frozen `year` of the site at `root`, which must be there.
    pub fn load(root: &Path, year: &LoadedYear) -> Result<FrozenYear> {
        let y = year.meta.year;
        let archive_path = default_path(root, y);
        if !archive_path.is_file() {
            bail!(
                "{}: year {y} is frozen, but its archive {} is not there: archive the year (`karnameh archive {y}`) before freezing it, or set `frozen = false`",
                year.meta_path.display(),
                archive_path.display()
            );
        }
        let archive = Archive::read(&archive_path)?;
        if archive.year() != Some(y) {
            bail!(
                "{}: the archive of year {y} is of year {:?}",
                archive_path.display(),
                archive.year()
            );
        }
        let content_prefix = format!("{}/", relative_name(&year.dir, root));
        let current = fingerprints(root, &year.dir)?;
        Ok(FrozenYear {
            root: root.to_path_buf(),
            archive_path,
            archive,
            content_prefix,
            current,
        })
    }
}

/// Every file below `dir`, by its path from `root`, with its fingerprint.
fn fingerprints(root: &Path, dir: &Path) -> Result<BTreeMap<String, String>> {
    let mut found = BTreeMap::new();
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("cannot walk {}", dir.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let bytes = std::fs::read(entry.path())
            .with_context(|| format!("cannot read {}", entry.path().display()))?;
        let name = relative_name(entry.path(), root);
        found.insert(name.clone(), source_fingerprint(&name, &bytes));
    }
    Ok(found)
}
