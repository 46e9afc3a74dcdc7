//! `karnameh build`: check the content, then render every page into a staging folder that
//! replaces the output in one step.

use super::refuse_unpublishable;
use crate::check;
use crate::export::{EarlierDownloads, NoEarlierDownloads, ReadAhead};
use crate::output::{EarlierOutput, StagedFile, Staging, TakenFiles, check_output};
use crate::pdf;
use crate::pipeline::{
    Articles, CheckedSite, PageSink, PageStream, StageTimes, load_config, load_content,
    render_pages, write_search, year_assets,
};
use crate::render::{Renderer, View};
use crate::routes::{Route, Routes};
use crate::state::{ChartsHeld, SiteState};
use anyhow::{Result, bail};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Overrides `output-dir` of site.toml (relative paths are taken from the current folder).
    pub output: Option<PathBuf>,
    /// Overrides `base-url` of site.toml.
    pub base_url: Option<String>,
    /// Replace an output folder karnameh did not write (never the site's own folders).
    pub force: bool,
    /// Publish although `check` finds unacknowledged errors (a draft for reviewers).
    pub allow_errors: bool,
    /// Include the years marked `draft = true` (left out by default).
    pub drafts: bool,
    /// Write the reviewer view: every finding marked on the page (never for publishing).
    pub review: bool,
}

#[derive(Debug)]
pub struct BuildSummary {
    pub stages: StageTimes,
    pub output: PathBuf,
    pub pages: usize,
    pub tables: usize,
    pub charts: usize,
    /// PDFs typeset (one per year with `pdf = true`).
    pub pdfs: usize,
    /// Unacknowledged `check` errors published anyway (only with `allow_errors`).
    pub findings: usize,
    /// Draft years left out (without `drafts`).
    pub drafts_left_out: Vec<u32>,
    /// Frozen years, written from their archives.
    pub frozen: Vec<u32>,
    pub elapsed: std::time::Duration,
}

pub fn build(options: &BuildOptions) -> Result<BuildSummary> {
    build_held(options).map(|(summary, _)| summary)
}

/// [`build`], handing back the site's state as well: a command that exits once it has printed
/// the summary leaves freeing it to the system (`std::mem::forget`), which takes a fifth of a
/// small build's time.
pub fn build_held(options: &BuildOptions) -> Result<(BuildSummary, SiteState)> {
    let started = Instant::now();
    let mut stages = StageTimes::default();
    let config = load_config(&options.root, options.base_url.as_deref())?;
    let theme_dir = options.root.join("themes").join(&config.theme);
    let digits = config.digits;
    let mut site = load_content(&options.root, config)?;
    let drafts_left_out = if options.drafts {
        Vec::new()
    } else {
        site.leave_out_drafts()
    };
    if site.years.is_empty() {
        bail!(
            "every year of the site is a draft ({}): pass --drafts to build them",
            list(&drafts_left_out)
        );
    }
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join(&site.config.output_dir));
    let target = check_output(&options.root, &output, options.force)?;
    stages.load = started.elapsed();
    let clock = Instant::now();
    let routes = Routes::new(&site.config.base_path(), site.config.relative_urls);
    let earlier = EarlierOutput::open(&target).map(|output| EarlierBuild { output, routes });
    let downloads: &dyn EarlierDownloads = match &earlier {
        Some(build) => build,
        None => &NoEarlierDownloads,
    };
    // the theme's templates are parsed, and the earlier downloads read, while the content is
    // checked: both are one thread's work, and the checks of the whole year leave a thread free
    let (findings, (renderer, ahead)) = rayon::join(
        || check::check_site(&site),
        || {
            rayon::join(
                || Renderer::new(&theme_dir, digits),
                || {
                    site.config
                        .downloads
                        .then(|| ReadAhead::read(&site.years, downloads))
                },
            )
        },
    );
    let mut checked = CheckedSite { site, findings };
    if !checked.site.config.pdf {
        // the PDF names the line of a text its font cannot set
        checked.site.release_sources();
    }
    let unchecked = refuse_unpublishable(&checked, options.allow_errors)?;
    if !options.review {
        checked.keep_published_findings();
    }
    stages.check = clock.elapsed();
    let downloads: &dyn EarlierDownloads = match &ahead {
        Some(ahead) => ahead,
        None => downloads,
    };
    let mut state = checked.into_state_reusing(&mut stages, ChartsHeld::WhenRendered, downloads)?;
    drop(ahead);
    let taken = earlier.map_or_else(TakenFiles::default, |e| e.output.into_taken());
    let clock = Instant::now();
    let pdfs = pdf::publish_all(&mut state, unchecked > 0)?.len();
    stages.pdf = clock.elapsed();
    let view = if options.review {
        View::Review
    } else {
        View::Published
    };
    let renderer = renderer?.with_view(view);
    let (pages, charts) = write(&state, &target, &renderer, &taken, &mut stages)?;
    let summary = BuildSummary {
        stages,
        output,
        pages,
        tables: state.table_count(),
        charts,
        pdfs,
        findings: unchecked,
        drafts_left_out,
        frozen: state
            .years
            .iter()
            .filter(|y| y.loaded.frozen.is_some())
            .map(|y| y.year())
            .collect(),
        elapsed: started.elapsed(),
    };
    Ok((summary, state))
}

fn list(years: &[u32]) -> String {
    years
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Renders every page (drawing its charts) straight into the staging folder, then swaps it into
/// place, with the downloads and the search client and indexes. Returns the number of pages and
/// of charts. The theme's files go to the root and into every year's folder; a frozen year's
/// folder is its archive's.
fn write(
    state: &SiteState,
    target: &Path,
    renderer: &Renderer,
    taken: &TakenFiles,
    stages: &mut StageTimes,
) -> Result<(usize, usize)> {
    let clock = Instant::now();
    let staging = Staging::begin(target)?;
    let theme_files = year_assets(&state.root, &state.theme_dir())?;
    staging.copy_static(&state.static_dirs())?;
    for year in &state.years {
        match &year.loaded.frozen {
            Some(frozen) => {
                for (path, bytes) in frozen.archive.site_files() {
                    staging.put(Path::new(path), bytes)?;
                }
            }
            None => staging.put_all(&theme_files, &format!("{}/", year.year()))?,
        }
    }
    let routes = state.page_routes();
    let sink = StagedPages {
        state,
        staging: &staging,
    };
    // the downloads and the search index are written while the pages render
    let (charts, (files, search)) = rayon::join(
        || render_pages(state, renderer, &routes, &Articles::once(), &sink),
        || {
            rayon::join(
                || write_files(state, &staging, taken),
                || {
                    let clock = Instant::now();
                    write_search(state, &state.search_routes(), &sink).map(|()| clock.elapsed())
                },
            )
        },
    );
    let (charts, ()) = (charts?, files?);
    stages.search = search?;
    stages.render = clock.elapsed();
    let clock = Instant::now();
    staging.finish(target)?;
    stages.write = clock.elapsed();
    Ok((routes.len(), charts))
}

/// Pages written into the staging folder as they are rendered; the print edition a piece at a
/// time.
struct StagedPages<'a> {
    state: &'a SiteState,
    staging: &'a Staging,
}

impl PageSink for StagedPages<'_> {
    fn put(&self, route: &Route, html: String) -> Result<()> {
        self.staging
            .put(&self.state.routes.output_path(route), html.as_bytes())
    }

    fn stream(&self, route: &Route) -> Result<Option<Box<dyn PageStream + '_>>> {
        let file = self.staging.create(&self.state.routes.output_path(route))?;
        Ok(Some(Box::new(file)))
    }
}

impl PageStream for StagedFile<'_> {
    fn finish(self: Box<Self>) -> Result<()> {
        StagedFile::finish(*self)
    }
}

/// The downloads and the PDFs, in parallel (those `taken` from the output being replaced linked
/// from it); and what the downloads were made from.
fn write_files(state: &SiteState, staging: &Staging, taken: &TakenFiles) -> Result<()> {
    let files: Vec<(Route, &[u8])> = state.files().collect();
    files.par_iter().try_for_each(|(route, bytes)| {
        staging.put_taken(&state.routes.output_path(route), bytes, taken)
    })?;
    let unfrozen = state.years.iter().filter(|y| y.loaded.frozen.is_none());
    for (route, key) in unfrozen.flat_map(|y| y.exports.inputs()) {
        staging.note_input(&state.routes.output_path(&route), key)?;
    }
    Ok(())
}

/// The output being replaced, whose downloads made from the same inputs are taken.
struct EarlierBuild {
    output: EarlierOutput,
    routes: Routes,
}

impl EarlierDownloads for EarlierBuild {
    fn file(&self, route: &Route, made_from: Option<&str>) -> Option<Vec<u8>> {
        self.output.file(&self.routes.output_path(route), made_from)
    }
}
