//! Running the stages: config → load → check → charts → model → render, for a whole site, or
//! again for the one section file that changed (what `serve` does on every save). Both paths
//! run the same stage functions, so a partial rebuild gives the bytes a full build gives.

use crate::charts::{self, SectionCharts};
use crate::check::{self, CheckOptions, YearFindings};
use crate::config::{SiteConfig, base_path};
use crate::diagnostics::{Finding, Severity};
use crate::load::{self, LoadedSection, LoadedSite, LoadedYear};
use crate::model::{self, SectionModel, YearModel};
use crate::render::Renderer;
use crate::routes::{Route, Routes};
use crate::source::read_text;
use crate::state::{ChartsHeld, SiteState, YearState};
use anyhow::{Context, Result, anyhow};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Time spent in each stage of one build.
#[derive(Debug, Clone, Default)]
pub struct StageTimes {
    pub load: Duration,
    pub check: Duration,
    pub charts: Duration,
    pub model: Duration,
    pub render: Duration,
    pub write: Duration,
    /// Typesetting the PDFs (only with `pdf = true`).
    pub pdf: Duration,
}

/// `site.toml` with command-line overrides applied.
pub fn load_config(root: &Path, base_url: Option<&str>) -> Result<SiteConfig> {
    let mut config = SiteConfig::load(&root.join("site.toml"))?;
    if let Some(url) = base_url {
        base_path(url).map_err(|e| anyhow!("--base-url: {e}"))?;
        config.base_url = url.to_string();
    }
    Ok(config)
}

/// Loads `site.toml` and the content below `root`.
pub fn load_site(root: &Path, base_url: Option<&str>) -> Result<LoadedSite> {
    load::load_site(root, load_config(root, base_url)?)
}

pub fn check_options(config: &SiteConfig) -> CheckOptions {
    CheckOptions {
        allow_external_links: config.allow_external_links,
    }
}

/// The site's content with its findings: what `check` reports, and what `build` needs before
/// it draws anything.
pub struct CheckedSite {
    pub site: LoadedSite,
    pub findings: Vec<YearFindings>,
}

impl CheckedSite {
    pub fn check(site: LoadedSite) -> CheckedSite {
        let findings = check::check_site(&site);
        CheckedSite { site, findings }
    }

    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().flat_map(YearFindings::iter)
    }

    /// Keeps only the findings published pages show (acknowledged discrepancies outline their
    /// cells): a one-shot build, once it has refused what it must, needs no more.
    pub fn keep_published_findings(&mut self) {
        for year in &mut self.findings {
            for list in year.sections.iter_mut().chain([&mut year.year]) {
                list.retain(|f| f.acknowledged);
                list.shrink_to_fit();
            }
        }
    }

    pub fn has_structural_errors(&self) -> bool {
        self.findings().any(|f| f.severity == Severity::Structure)
    }

    /// Charts and models of every year (the content must have no structural error).
    pub fn into_state(self, times: &mut StageTimes, held: ChartsHeld) -> Result<SiteState> {
        let config = self.site.config;
        let routes = Routes::new(&config.base_path());
        let mut years = Vec::new();
        for (loaded, findings) in self.site.years.into_iter().zip(self.findings) {
            let clock = Instant::now();
            let charts = match held {
                ChartsHeld::InModel => draw_charts(&loaded.sections, &config)?,
                ChartsHeld::WhenRendered => vec![SectionCharts::default(); loaded.sections.len()],
            };
            times.charts += clock.elapsed();
            let clock = Instant::now();
            let model = year_model(&loaded, &findings, charts, &routes);
            times.model += clock.elapsed();
            years.push(YearState {
                loaded,
                findings,
                model,
            });
        }
        Ok(SiteState {
            root: self.site.root,
            config,
            routes,
            years,
            charts: held,
        })
    }
}

/// The charts stage for `sections`, in parallel.
fn draw_charts(sections: &[LoadedSection], config: &SiteConfig) -> Result<Vec<SectionCharts>> {
    sections
        .par_iter()
        .map(|s| {
            charts::section_charts(&s.slug, &s.data, config.digits)
                .map_err(|e| anyhow!("{}: {e}", s.path.display()))
        })
        .collect()
}

/// The model stage for one year.
fn year_model(
    loaded: &LoadedYear,
    findings: &YearFindings,
    charts: Vec<SectionCharts>,
    routes: &Routes,
) -> YearModel {
    let by_table = check::by_table(findings.iter());
    let sections: Vec<SectionModel> = loaded
        .sections
        .par_iter()
        .zip(charts)
        .map(|(s, c)| model::section_model(s, loaded, routes, &by_table, c))
        .collect();
    model::year_model(loaded, routes, sections)
}

/// Renders `routes` in parallel and hands each page to `put` (a file, or memory). Returns the
/// number of charts drawn for the pages when the state does not hold them.
pub fn render_pages(
    state: &SiteState,
    renderer: &Renderer,
    routes: &[Route],
    put: &(dyn Fn(&Route, String) -> Result<()> + Sync),
) -> Result<usize> {
    let drawn = AtomicUsize::new(0);
    routes.par_iter().try_for_each(|route| {
        let html = match (state.charts, route) {
            (ChartsHeld::WhenRendered, Route::Section(year, slug)) => {
                let section = with_charts(state, *year, slug)?;
                drawn.fetch_add(section.chart_count(), Ordering::Relaxed);
                renderer.render_with(state, route, Some(&section))?
            }
            _ => renderer.render(state, route)?,
        };
        put(route, html)
    })?;
    Ok(drawn.into_inner())
}

/// A section's model with its charts drawn, for one page.
fn with_charts(state: &SiteState, year: u32, slug: &str) -> Result<SectionModel> {
    let year = state.year(year).ok_or_else(|| anyhow!("no year {year}"))?;
    let index = year
        .loaded
        .sections
        .iter()
        .position(|s| s.slug == slug)
        .ok_or_else(|| anyhow!("no section `{slug}`"))?;
    section_with_charts(state, year, index)
}

/// Section `index` of `year` with its charts: the held ones, or drawn now.
fn section_with_charts(state: &SiteState, year: &YearState, index: usize) -> Result<SectionModel> {
    let mut section = year.model.sections[index].clone();
    if state.charts == ChartsHeld::InModel {
        return Ok(section);
    }
    let loaded = &year.loaded.sections[index];
    let charts = charts::section_charts(&loaded.slug, &loaded.data, state.config.digits)
        .map_err(|e| anyhow!("{}: {e}", loaded.path.display()))?;
    section.overview = charts.overview;
    for (table, drawn) in section.tables.iter_mut().zip(charts.tables) {
        table.charts = drawn;
    }
    Ok(section)
}

/// Every section of `year` with its charts (what the PDF shows), drawn in parallel.
pub fn sections_with_charts(state: &SiteState, year: &YearState) -> Result<Vec<SectionModel>> {
    (0..year.model.sections.len())
        .into_par_iter()
        .map(|index| section_with_charts(state, year, index))
        .collect()
}

/// What a partial rebuild changed.
#[derive(Debug, Default)]
pub struct Changes {
    /// Pages to render again.
    pub routes: Vec<Route>,
}

/// Re-reads the section file at `path` and recomputes what depends on it: its checks, the
/// checks that span its year, its charts, and the models of its year. Returns the pages to
/// render again; on an error (the file does not parse, or the year has a structural error
/// now) the state is left as it was.
pub fn update_section(state: &mut SiteState, path: &Path) -> Result<Changes> {
    let (year_index, section_index) = locate(state, path)
        .ok_or_else(|| anyhow!("{} is not a section of the site", path.display()))?;
    let options = check_options(&state.config);
    let year = &state.years[year_index];
    let reloaded = LoadedSection::parse(path, read_text(path)?)?;
    let mut loaded = year.loaded.clone();
    loaded.sections[section_index] = reloaded;
    loaded.sort_sections();
    let findings = recheck(&loaded, &year.findings, &year.loaded, path, options);
    if let Some(f) = findings.iter().find(|f| f.severity == Severity::Structure) {
        return Err(anyhow!("{}", crate::report::one_line(f)));
    }
    let charts = reuse_charts(&loaded, &year.model, path, &state.config)?;
    let model = year_model(&loaded, &findings, charts, &state.routes);
    let y = loaded.meta.year;
    let mut routes = vec![
        Route::Root,
        Route::NotFound,
        Route::Year(y),
        Route::Review(y),
    ];
    for section in &model.sections {
        let old = year.model.sections.iter().find(|s| s.slug == section.slug);
        if old != Some(section) {
            routes.push(Route::Section(y, section.slug.clone()));
        }
    }
    state.years[year_index] = YearState {
        loaded,
        findings,
        model,
    };
    Ok(Changes { routes })
}

/// (year, section) indexes of the section file at `path`.
fn locate(state: &SiteState, path: &Path) -> Option<(usize, usize)> {
    let wanted = path.canonicalize().ok()?;
    state.years.iter().enumerate().find_map(|(y, year)| {
        let s = year
            .loaded
            .sections
            .iter()
            .position(|s| s.path.canonicalize().ok().as_deref() == Some(wanted.as_path()))?;
        Some((y, s))
    })
}

/// The year's findings after one section changed: that section checked again, the others
/// kept, and what spans the year checked again.
fn recheck(
    loaded: &LoadedYear,
    old: &YearFindings,
    old_loaded: &LoadedYear,
    changed: &Path,
    options: CheckOptions,
) -> YearFindings {
    let kept: BTreeMap<&str, &Vec<Finding>> = old_loaded
        .sections
        .iter()
        .zip(&old.sections)
        .map(|(s, f)| (s.slug.as_str(), f))
        .collect();
    let sections = loaded
        .sections
        .par_iter()
        .map(|s| match kept.get(s.slug.as_str()) {
            Some(findings) if !same_file(&s.path, changed) => (*findings).clone(),
            _ => check::check_section(s, loaded, options),
        })
        .collect();
    check::with_year_checks(loaded, sections, options)
}

fn same_file(a: &Path, b: &Path) -> bool {
    a == b || a.canonicalize().ok() == b.canonicalize().ok()
}

/// Charts for the changed section drawn again; the others taken from the current model.
fn reuse_charts(
    loaded: &LoadedYear,
    old: &YearModel,
    changed: &Path,
    config: &SiteConfig,
) -> Result<Vec<SectionCharts>> {
    loaded
        .sections
        .par_iter()
        .map(|s| {
            let previous = old.sections.iter().find(|m| m.slug == s.slug);
            match previous {
                Some(m) if !same_file(&s.path, changed) => Ok(SectionCharts {
                    tables: m.tables.iter().map(|t| t.charts.clone()).collect(),
                    overview: m.overview.clone(),
                }),
                _ => charts::section_charts(&s.slug, &s.data, config.digits)
                    .map_err(|e| anyhow!("{}: {e}", s.path.display())),
            }
        })
        .collect::<Result<Vec<_>>>()
        .context("drawing charts")
}
