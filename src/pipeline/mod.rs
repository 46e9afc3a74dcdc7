//! Running the stages: config → load → check → charts → model → render, for a whole site, or
//! again for the one section file that changed (what `serve` does on every save). Both paths
//! run the same stage functions, so a partial rebuild gives the bytes a full build gives.

use crate::charts::{self, SectionCharts};
use crate::check::{self, CheckOptions, YearFindings};
use crate::config::{DigitStyle, SiteConfig, base_path};
use crate::diagnostics::{Finding, Severity};
use crate::export::{self, EarlierDownloads, NoEarlierDownloads, TableFiles, YearExports};
use crate::load::{self, LoadedSection, LoadedSite, LoadedYear};
use crate::model::compare::{self, Previous, SeriesIndex};
use crate::model::series::SeriesModel;
use crate::model::{self, SectionModel, YearModel};
use crate::report::StructuralErrors;
use crate::routes::{Route, Routes};
use crate::search::{self, YearIndex};
use crate::source::read_text;
use crate::state::{ChartsHeld, SiteState, YearState};
use anyhow::{Context, Result, anyhow};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

mod pages;
pub use pages::{
    Articles, PageSink, PageStream, render_pages, sections_with_charts, year_assets, year_files,
};

/// Time spent in each stage of one build.
#[derive(Debug, Clone, Default)]
pub struct StageTimes {
    pub load: Duration,
    pub check: Duration,
    pub charts: Duration,
    pub export: Duration,
    pub model: Duration,
    pub render: Duration,
    /// The search client and indexes, made alongside the pages.
    pub search: Duration,
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
    load_content(root, load_config(root, base_url)?)
}

/// Loads the content below `root`, `config` being its `site.toml`.
pub fn load_content(root: &Path, config: SiteConfig) -> Result<LoadedSite> {
    load::load_site(root, config)
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
    /// cells; the errors a draft built with `--allow-errors` publishes are listed on its review
    /// page): a one-shot build, once it has refused what it must, needs no more.
    pub fn keep_published_findings(&mut self) {
        for year in &mut self.findings {
            for list in year.sections.iter_mut().chain([&mut year.year]) {
                list.retain(|f| f.acknowledged || f.fails_check());
                list.shrink_to_fit();
            }
        }
    }

    pub fn has_structural_errors(&self) -> bool {
        self.findings().any(|f| f.severity == Severity::Structure)
    }

    /// Charts and models of every year (the content must have no structural error), and the
    /// series that span years.
    pub fn into_state(self, times: &mut StageTimes, held: ChartsHeld) -> Result<SiteState> {
        self.into_state_reusing(times, held, &NoEarlierDownloads)
    }

    /// [`CheckedSite::into_state`], taking from `earlier` the downloads an earlier build made
    /// from the same inputs.
    pub fn into_state_reusing(
        self,
        times: &mut StageTimes,
        held: ChartsHeld,
        earlier: &dyn EarlierDownloads,
    ) -> Result<SiteState> {
        let config = self.site.config;
        let routes = Routes::new(&config.base_path(), config.relative_urls);
        let loaded = self.site.years;
        let indexes: Vec<SeriesIndex> = loaded.iter().map(compare::series_index).collect();
        let mut models = Vec::new();
        let mut exported = Vec::new();
        for (i, (year, findings)) in loaded.iter().zip(&self.findings).enumerate() {
            let clock = Instant::now();
            let charts = match held {
                ChartsHeld::InModel => draw_charts(&year.sections, &config)?,
                ChartsHeld::WhenRendered => vec![SectionCharts::default(); year.sections.len()],
            };
            times.charts += clock.elapsed();
            let clock = Instant::now();
            let exports = export::export_year(year, config.downloads, earlier)?;
            times.export += clock.elapsed();
            let clock = Instant::now();
            let previous = previous_of(&loaded, &indexes, i);
            models.push(year_model(
                year,
                findings,
                charts,
                previous,
                &exports,
                config.digits,
            ));
            exported.push(exports);
            times.model += clock.elapsed();
        }
        drop(indexes);
        let clock = Instant::now();
        let series = site_series(&loaded.iter().collect::<Vec<_>>(), &config)?;
        times.charts += clock.elapsed();
        let years = loaded
            .into_iter()
            .zip(self.findings)
            .zip(models)
            .zip(exported)
            .map(|(((loaded, findings), model), exports)| YearState {
                loaded,
                findings,
                exports,
                model,
                pdf: None,
            })
            .collect();
        Ok(SiteState {
            root: self.site.root,
            config,
            routes,
            years,
            series,
            charts: held,
        })
    }
}

/// The year before year `index`, with its tables by series.
fn previous_of<'a>(
    years: &'a [LoadedYear],
    indexes: &'a [SeriesIndex<'a>],
    index: usize,
) -> Option<Previous<'a>> {
    let before = index.checked_sub(1)?;
    Some(Previous {
        year: years[before].meta.year,
        tables: &indexes[before],
    })
}

/// Every series of the site with its charts drawn.
fn site_series(years: &[&LoadedYear], config: &SiteConfig) -> Result<Vec<SeriesModel>> {
    let mut series = model::series::site_series(years);
    for s in &mut series {
        s.draw_charts(config.digits)
            .map_err(|e| anyhow!("chart of series `{}`: {e}", s.key))?;
    }
    Ok(series)
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

/// The model stage for one year, compared with `previous`.
fn year_model(
    loaded: &LoadedYear,
    findings: &YearFindings,
    charts: Vec<SectionCharts>,
    previous: Option<Previous>,
    exports: &YearExports,
    digits: DigitStyle,
) -> YearModel {
    let by_table = check::by_table(findings.iter());
    let sections: Vec<SectionModel> = loaded
        .sections
        .par_iter()
        .zip(charts)
        .zip(&exports.sections)
        .map(|((s, c), files)| {
            model::section_model(s, loaded, &by_table, c, digits, previous, files)
        })
        .collect();
    model::year_model(loaded, sections, exports)
}

/// Makes the search files of `routes` (see [`SiteState::search_routes`]) in parallel and
/// hands each to `put`.
pub fn write_search(state: &SiteState, routes: &[Route], sink: &dyn PageSink) -> Result<()> {
    routes.par_iter().try_for_each(|route| match route {
        Route::SearchIndex(y) => match sink.stream(route)? {
            Some(mut stream) => {
                year_index(state, *y)?
                    .write_script(&mut stream)
                    .map_err(|e| anyhow!("search index of {y}: {e}"))?;
                stream.finish()
            }
            None => sink.put(route, search_file(state, route)?),
        },
        _ => sink.put(route, search_file(state, route)?),
    })
}

fn year_index(state: &SiteState, year: u32) -> Result<YearIndex<'_>> {
    let held = state.year(year).ok_or_else(|| anyhow!("no year {year}"))?;
    Ok(YearIndex::of(
        &held.loaded,
        &state.routes,
        state.config.digits,
    ))
}

/// The text of a search file: the client, or a year's index.
pub fn search_file(state: &SiteState, route: &Route) -> Result<String> {
    let digits = state.config.digits;
    match route {
        Route::SearchClient => {
            search::client_script(&state.routes, &state.searchable_years(), digits)
        }
        Route::SearchIndex(y) => year_index(state, *y)?
            .to_script()
            .map_err(|e| anyhow!("search index of {y}: {e}")),
        _ => Err(anyhow!("{route:?} is not a search file")),
    }
}

/// What a partial rebuild changed.
#[derive(Debug, Default)]
pub struct Changes {
    /// Pages to render again.
    pub routes: Vec<Route>,
    /// Generated files (downloads) whose bytes changed: write them again.
    pub files: Vec<Route>,
    /// Search files to make again (`search_file`): the year's index.
    pub search: Vec<Route>,
    /// Section pages whose findings changed although their content did not (a figure they
    /// restate changed elsewhere): only the reviewer view of them is different.
    pub reviewed: Vec<Route>,
}

/// Re-reads the section file at `path` and recomputes what depends on it: its checks, the
/// checks that span its year, its charts, and the models of its year. Returns the pages to
/// render again; on an error (the file does not parse, or the year has a structural error
/// now) the state is left as it was. The year's PDF is dropped with its link (and the next
/// year's, when its model changed): with `pdf = true` the caller typesets them again
/// (`pdf::publish_all`), which takes far longer than the pages.
pub fn update_section(state: &mut SiteState, path: &Path) -> Result<Changes> {
    let (year_index, section_index) = locate(state, path)
        .ok_or_else(|| anyhow!("{} is not a section of the site", path.display()))?;
    let options = check_options(&state.config);
    let year = &state.years[year_index];
    let reloaded = LoadedSection::parse(path, read_text(path)?)?;
    let mut loaded = year.loaded.clone();
    loaded.sections[section_index] = reloaded;
    loaded.sort_sections();
    let mut findings = recheck(&loaded, &year.findings, &year.loaded, path, options);
    StructuralErrors::check(findings.iter())?;
    // the explanations search the whole year: the changed section's charts and downloads are
    // made meanwhile (they need a sound structure, not the explanations)
    let (findings, (charts, exports)) = rayon::join(
        || {
            findings.explain(&loaded);
            findings
        },
        || {
            rayon::join(
                || reuse_charts(&loaded, &year.model, path, &state.config),
                || reuse_exports(&loaded, &year.exports, &year.loaded, path),
            )
        },
    );
    let (charts, exports) = (charts?, exports?);
    let model = {
        let index = year_index
            .checked_sub(1)
            .map(|p| compare::series_index(&state.years[p].loaded));
        let previous = index.as_ref().map(|tables| Previous {
            year: state.years[year_index - 1].year(),
            tables,
        });
        year_model(
            &loaded,
            &findings,
            charts,
            previous,
            &exports,
            state.config.digits,
        )
    };
    let mut routes = year_routes(&year.model, &model);
    let reviewed = reviewed_routes(
        (&year.loaded, &year.findings),
        (&loaded, &findings),
        &routes,
    );
    let files = exports
        .files()
        .filter(|(route, bytes)| year.exports.file(route) != Some(*bytes))
        .map(|(route, _)| route)
        .collect();
    state.years[year_index] = YearState {
        loaded,
        findings,
        exports,
        model,
        pdf: None,
    };
    // the next year's tables compare themselves with this year's
    if year_index + 1 < state.years.len() {
        routes.extend(remodel(state, year_index + 1)?);
    }
    let years: Vec<&LoadedYear> = state.years.iter().map(|y| &y.loaded).collect();
    state.series = site_series(&years, &state.config)?;
    routes.splice(0..0, state.site_routes());
    let search = vec![Route::SearchIndex(state.years[year_index].year())];
    Ok(Changes {
        routes,
        reviewed,
        files,
        search,
    })
}

/// The pages of a year whose model went from `old` to `new`: its own pages, and the sections
/// that changed. A frozen year's pages are never rendered.
fn year_routes(old: &YearModel, new: &YearModel) -> Vec<Route> {
    let y = new.year;
    let mut routes = vec![Route::Year(y), Route::Review(y), Route::Print(y)];
    for section in &new.sections {
        let before = old.sections.iter().find(|s| s.slug == section.slug);
        if before != Some(section) {
            routes.push(Route::Section(y, section.slug.clone()));
        }
    }
    routes
}

/// The model of year `index` again, after the year before it changed; its changed pages.
fn remodel(state: &mut SiteState, index: usize) -> Result<Vec<Route>> {
    let year = &state.years[index];
    let nothing = Path::new("");
    let charts = reuse_charts(&year.loaded, &year.model, nothing, &state.config)?;
    let tables = compare::series_index(&state.years[index - 1].loaded);
    let previous = Previous {
        year: state.years[index - 1].year(),
        tables: &tables,
    };
    let model = year_model(
        &year.loaded,
        &year.findings,
        charts,
        Some(previous),
        &year.exports,
        state.config.digits,
    );
    let routes = if year.loaded.frozen.is_some() {
        Vec::new()
    } else {
        year_routes(&year.model, &model)
    };
    if model != year.model {
        // its PDF may compare with the year before too: typeset again with the pages
        state.years[index].pdf = None;
    }
    state.years[index].model = model;
    Ok(routes)
}

/// The section pages, not among `rendered`, whose findings went from `old` to `new`.
fn reviewed_routes(
    old: (&LoadedYear, &YearFindings),
    new: (&LoadedYear, &YearFindings),
    rendered: &[Route],
) -> Vec<Route> {
    let y = new.0.meta.year;
    let mut reviewed = Vec::new();
    for (index, section) in new.0.sections.iter().enumerate() {
        let route = Route::Section(y, section.slug.clone());
        let before = old.0.sections.iter().position(|s| s.slug == section.slug);
        if !rendered.contains(&route)
            && before.map(|i| of_section(old.0, old.1, i)) != Some(of_section(new.0, new.1, index))
        {
            reviewed.push(route);
        }
    }
    reviewed
}

/// The findings of section `index` (see [`YearFindings::of_section`]).
fn of_section<'f>(
    loaded: &'f LoadedYear,
    findings: &'f YearFindings,
    index: usize,
) -> Vec<&'f Finding> {
    findings
        .of_section(index, &loaded.sections[index].path)
        .collect()
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
/// kept, and what spans the year checked again; not explained yet ([`YearFindings::explain`]).
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
    check::with_year_checks_unexplained(loaded, sections, options)
}

fn same_file(a: &Path, b: &Path) -> bool {
    a == b || a.canonicalize().ok() == b.canonicalize().ok()
}

/// Downloads of the changed section made again, the others kept; the package made again.
fn reuse_exports(
    loaded: &LoadedYear,
    old: &YearExports,
    old_loaded: &LoadedYear,
    changed: &Path,
) -> Result<YearExports> {
    if old.package.is_none() {
        return Ok(YearExports::none(loaded));
    }
    let kept: BTreeMap<&str, &Vec<TableFiles>> = old_loaded
        .sections
        .iter()
        .zip(&old.sections)
        .map(|(s, files)| (s.slug.as_str(), files))
        .collect();
    let sections = loaded
        .sections
        .par_iter()
        .map(|s| match kept.get(s.slug.as_str()) {
            Some(files) if !same_file(&s.path, changed) => Ok((*files).clone()),
            _ => export::section_files(&loaded.meta, s),
        })
        .collect::<Result<Vec<_>>>()?;
    export::year_exports(loaded, sections, Some(old))
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
