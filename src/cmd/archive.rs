//! `karnameh archive <year>`: the year built as `build` builds it, with the source it was built
//! from and a manifest, into one deterministic tar.gz; `karnameh verify` reads one back.

use super::write_atomically;
use crate::archive::{Archive, SITE, SOURCE, default_path};
use crate::diagnostics::{Finding, Rule};
use crate::load::LoadedSite;
use crate::output::manifest::relative_name;
use crate::pipeline::{CheckedSite, StageTimes, load_site, year_assets, year_files};
use crate::render::Renderer;
use crate::report::one_line;
use crate::state::ChartsHeld;
use anyhow::{Context, Result, bail};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use walkdir::WalkDir;

#[derive(Debug, Clone)]
pub struct ArchiveOptions {
    pub root: PathBuf,
    pub year: u32,
    /// Default: `archives/<year>.tar.gz` in the site folder.
    pub output: Option<PathBuf>,
}

#[derive(Debug)]
pub struct ArchiveSummary {
    pub path: PathBuf,
    pub files: usize,
    pub bytes: usize,
    pub elapsed: Duration,
}

/// Why a year is archived: to keep it, or to compare with a kept archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// `archive`: refuses a frozen year, whose archive is the record.
    Keep,
    /// `verify --source`: builds a frozen year afresh too.
    Compare,
}

pub fn archive(options: &ArchiveOptions) -> Result<ArchiveSummary> {
    let started = Instant::now();
    let archive = year_archive(&options.root, options.year, Purpose::Keep)?;
    let bytes = archive.to_bytes()?;
    let path = options
        .output
        .clone()
        .unwrap_or_else(|| default_path(&options.root, options.year));
    write_atomically(&path, &bytes)?;
    Ok(ArchiveSummary {
        path,
        files: archive.files.len(),
        bytes: bytes.len(),
        elapsed: started.elapsed(),
    })
}

/// The archive of `year` as the site at `root` builds it now.
pub fn year_archive(root: &Path, year: u32, purpose: Purpose) -> Result<Archive> {
    let mut site = load_site(root, None)?;
    site.leave_out_drafts();
    let index = year_index(&site, year, root)?;
    if purpose == Purpose::Compare {
        // the comparison is with the archive given, not with the one the site keeps
        site.years[index].frozen = None;
    } else if site.years[index].meta.frozen {
        bail!(
            "year {year} is frozen: its archive {} is the record of what was published; to archive it again, set `frozen = false` in {}",
            default_path(root, year).display(),
            site.years[index].meta_path.display()
        );
    }
    let sources = source_dirs(&site, year);
    let checked = CheckedSite::check(site);
    refuse_errors(checked.findings().filter(|f| f.year == year))?;
    let mut state = checked.into_state(&mut StageTimes::default(), ChartsHeld::WhenRendered)?;
    if state.config.pdf {
        crate::pdf::publish(&mut state, year, false)?;
    }
    let theme_dir = state.root.join("themes").join(&state.config.theme);
    let renderer = Renderer::new(&theme_dir, state.config.digits)?;
    let theme_files = year_assets(&state.root, &theme_dir)?;
    let mut files: BTreeMap<String, Vec<u8>> = year_files(&state, &renderer, &theme_files, year)?
        .into_iter()
        .map(|(path, bytes)| (format!("{SITE}{path}"), bytes))
        .collect();
    let mut sources = sources;
    sources.push(theme_dir);
    for (path, bytes) in source_files(root, &sources)? {
        files.insert(format!("{SOURCE}{path}"), bytes);
    }
    Ok(Archive::new(year, &state.config, files))
}

fn year_index(site: &LoadedSite, year: u32, root: &Path) -> Result<usize> {
    match site.years.iter().position(|y| y.meta.year == year) {
        Some(index) => Ok(index),
        None => {
            let years: Vec<String> = site.years.iter().map(|y| y.meta.year.to_string()).collect();
            bail!(
                "{} has no published year {year} (its years: {}; drafts are not archived)",
                root.join("content").display(),
                years.join(", ")
            )
        }
    }
}

/// What year `year`'s pages are built from: `site.toml`, `static/`, and the content of that
/// year and of the years before it (the year switcher lists them, and a table compares itself
/// with the previous year's).
fn source_dirs(site: &LoadedSite, year: u32) -> Vec<PathBuf> {
    let mut dirs = vec![site.root.join("site.toml"), site.root.join("static")];
    dirs.extend(
        site.years
            .iter()
            .filter(|y| y.meta.year <= year)
            .map(|y| y.dir.clone()),
    );
    dirs
}

/// Every file below `paths` (files or folders), by its path from `root`.
fn source_files(root: &Path, paths: &[PathBuf]) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut files = BTreeMap::new();
    for path in paths.iter().filter(|p| p.exists()) {
        for entry in WalkDir::new(path).sort_by_file_name() {
            let entry = entry.with_context(|| format!("cannot walk {}", path.display()))?;
            if entry.file_type().is_file() {
                let bytes = std::fs::read(entry.path())
                    .with_context(|| format!("cannot read {}", entry.path().display()))?;
                files.insert(relative_name(entry.path(), root), bytes);
            }
        }
    }
    Ok(files)
}

/// An archive keeps what was published: nothing `build` would refuse to publish.
fn refuse_errors<'a>(findings: impl Iterator<Item = &'a Finding>) -> Result<()> {
    let failing: Vec<String> = findings
        .filter(|f| f.fails_check() && f.rule != Rule::Completeness)
        .take(20)
        .map(|f| format!("  {}", one_line(f)))
        .collect();
    if failing.is_empty() {
        return Ok(());
    }
    bail!(
        "the year has errors that `build` would not publish; nothing was archived:\n{}",
        failing.join("\n")
    )
}
