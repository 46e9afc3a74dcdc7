//! `karnameh new <year> --from <year>`: next year's content folder, started from an earlier
//! year's (see `scaffold`), written beside `content/` and moved into place once complete.

use crate::output::manifest::relative_name;
use crate::pipeline::load_site;
use crate::scaffold;
use anyhow::{Context, Result, anyhow, bail};
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

#[derive(Debug, Clone)]
pub struct NewOptions {
    pub root: PathBuf,
    pub year: u32,
    pub from: u32,
}

#[derive(Debug)]
pub struct NewSummary {
    pub dir: PathBuf,
    pub files: usize,
    pub cells: usize,
    /// Files of the old year that are not TOML, left behind.
    pub skipped: Vec<String>,
}

pub fn new_year(options: &NewOptions) -> Result<NewSummary> {
    let site = load_site(&options.root, None)?;
    if site.years.iter().any(|y| y.meta.year == options.year) {
        bail!("the site already has year {}", options.year);
    }
    let from = site
        .years
        .iter()
        .find(|y| y.meta.year == options.from)
        .ok_or_else(|| anyhow!("the site has no year {} to start from", options.from))?;
    let content = options.root.join("content");
    let dir = content.join(options.year.to_string());
    if dir.exists() {
        bail!("{} exists already", dir.display());
    }
    let staging = tempfile::Builder::new()
        .prefix(".karnameh-new-")
        .tempdir_in(&options.root)
        .with_context(|| format!("cannot write into {}", options.root.display()))?;
    let mut summary = NewSummary {
        dir: dir.clone(),
        files: 0,
        cells: 0,
        skipped: Vec::new(),
    };
    for entry in WalkDir::new(&from.dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("cannot walk {}", from.dir.display()))?;
        if entry.file_type().is_file() {
            scaffold_file(
                entry.path(),
                &from.dir,
                staging.path(),
                options,
                &mut summary,
            )?;
        }
    }
    std::fs::rename(staging.keep(), &dir)
        .with_context(|| format!("cannot move the new year into {}", dir.display()))?;
    Ok(summary)
}

/// The new year's version of the file at `path` (below `from_dir`), written below `into`.
fn scaffold_file(
    path: &Path,
    from_dir: &Path,
    into: &Path,
    options: &NewOptions,
    summary: &mut NewSummary,
) -> Result<()> {
    let name = relative_name(path, from_dir);
    if path.extension().is_none_or(|e| e != "toml") {
        summary.skipped.push(name);
        return Ok(());
    }
    let text = crate::source::read_text(path)?;
    let fail = |e: toml_edit::TomlError| anyhow!("{}: {e}", path.display());
    let next = if name == "year.toml" {
        scaffold::year_file(&text, options.from, options.year).map_err(fail)?
    } else {
        let (next, cells) =
            scaffold::section_file(&text, options.from, options.year).map_err(fail)?;
        summary.cells += cells;
        next
    };
    let target = into.join(&name);
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&target, next).with_context(|| format!("cannot write {}", target.display()))?;
    summary.files += 1;
    Ok(())
}
