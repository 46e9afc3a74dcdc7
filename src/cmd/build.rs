//! `karnameh build`: check the content, then render every page into a staging folder that
//! replaces the output in one step.

use super::refuse_unpublishable;
use crate::model::PdfLink;
use crate::output::{Staging, check_output};
use crate::pdf;
use crate::pipeline::{CheckedSite, StageTimes, load_site, render_pages};
use crate::render::Renderer;
use crate::routes::Route;
use crate::state::{ChartsHeld, SiteState};
use anyhow::Result;
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
    pub elapsed: std::time::Duration,
}

pub fn build(options: &BuildOptions) -> Result<BuildSummary> {
    let started = Instant::now();
    let mut stages = StageTimes::default();
    let site = load_site(&options.root, options.base_url.as_deref())?;
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join(&site.config.output_dir));
    let target = check_output(&options.root, &output, options.force)?;
    stages.load = started.elapsed();
    let clock = Instant::now();
    let mut checked = CheckedSite::check(site);
    if !checked.site.config.pdf {
        // the PDF names the line of a text its font cannot set
        checked.site.release_sources();
    }
    let unchecked = refuse_unpublishable(&checked, options.allow_errors)?;
    checked.keep_published_findings();
    stages.check = clock.elapsed();
    let mut state = checked.into_state(&mut stages, ChartsHeld::WhenRendered)?;
    let clock = Instant::now();
    let pdfs = typeset_pdfs(&mut state, unchecked > 0)?;
    stages.pdf = clock.elapsed();
    let (pages, charts) = write(&state, &target, &pdfs, &mut stages)?;
    Ok(BuildSummary {
        stages,
        output,
        pages,
        tables: state.table_count(),
        charts,
        pdfs: pdfs.len(),
        findings: unchecked,
        elapsed: started.elapsed(),
    })
}

/// With `pdf = true`, each year typeset as a PDF, its year page told of it (before pages are
/// rendered, so the link gives its size); `draft` marks them as drafts.
fn typeset_pdfs(state: &mut SiteState, draft: bool) -> Result<Vec<(Route, Vec<u8>)>> {
    if !state.config.pdf {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for index in 0..state.years.len() {
        let year = state.years[index].year();
        let typeset = pdf::typeset(state, year, draft)?;
        let route = Route::Pdf(year);
        state.years[index].model.pdf = Some(PdfLink {
            url: state.routes.url(&route),
            pages: typeset.pages(),
            megabytes: (typeset.pdf.len() as f64 / 100_000.0).round() / 10.0,
        });
        files.push((route, typeset.pdf));
    }
    Ok(files)
}

/// Renders every page (drawing its charts) straight into the staging folder beside `files`,
/// then swaps it into place. Returns the number of pages and of charts.
fn write(
    state: &SiteState,
    target: &Path,
    files: &[(Route, Vec<u8>)],
    stages: &mut StageTimes,
) -> Result<(usize, usize)> {
    let clock = Instant::now();
    let theme_dir = state.root.join("themes").join(&state.config.theme);
    let renderer = Renderer::new(&theme_dir, state.config.digits)?;
    let staging = Staging::begin(target)?;
    staging.copy_static(&[theme_dir.join("static"), state.root.join("static")])?;
    for (route, bytes) in files {
        staging.put(&state.routes.output_path(route), bytes)?;
    }
    let routes = state.page_routes();
    let charts = render_pages(state, &renderer, &routes, &|route, html| {
        staging.put(&state.routes.output_path(route), html.as_bytes())
    })?;
    stages.render = clock.elapsed();
    let clock = Instant::now();
    staging.finish(target)?;
    stages.write = clock.elapsed();
    Ok((routes.len(), charts))
}
