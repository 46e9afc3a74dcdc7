//! Rendering: the site's pages in parallel (each section page's charts drawn for it when the
//! state does not hold them), a year's print edition from its section pages' articles, and
//! every file of a year's folder.

use crate::charts;
use crate::model::SectionModel;
use crate::render::Renderer;
use crate::routes::Route;
use crate::state::{ChartsHeld, SiteState, YearState};
use anyhow::{Result, anyhow};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The `<article>`s of the section pages rendered so far, which a year's print edition is made
/// of. A one-shot build hands each over once; `serve` keeps them between rebuilds, so that a
/// partial rebuild renders only the sections that changed and takes the others from here (a
/// section that was not rendered again has the page, and so the article, it had).
#[derive(Debug, Default)]
pub struct Articles {
    held: Mutex<BTreeMap<Route, String>>,
    kept: bool,
}

impl Articles {
    /// For one render of every page.
    pub fn once() -> Articles {
        Articles::default()
    }

    /// For a site rendered again and again.
    pub fn kept() -> Articles {
        Articles {
            kept: true,
            ..Articles::default()
        }
    }

    fn put(&self, route: &Route, article: String) {
        lock(&self.held).insert(route.clone(), article);
    }

    fn get(&self, route: &Route) -> Option<String> {
        let mut held = lock(&self.held);
        if self.kept {
            held.get(route).cloned()
        } else {
            held.remove(route)
        }
    }
}

/// Renders `routes` in parallel and hands each page to `put` (a file, or memory). Returns the
/// number of charts drawn for the pages when the state does not hold them.
///
/// A year's print edition is made of its section pages' `<article>`s: they are kept in
/// `articles` as those pages are rendered (so no chart is drawn twice), and the edition is
/// written last.
pub fn render_pages(
    state: &SiteState,
    renderer: &Renderer,
    routes: &[Route],
    articles: &Articles,
    put: &(dyn Fn(&Route, String) -> Result<()> + Sync),
) -> Result<usize> {
    let drawn = AtomicUsize::new(0);
    let printed: Vec<u32> = routes
        .iter()
        .filter_map(|r| match r {
            Route::Print(year) => Some(*year),
            _ => None,
        })
        .collect();
    let keep = |route: &Route, html: &str| -> Result<()> {
        if let Route::Section(year, _) = route
            && (articles.kept || printed.contains(year))
        {
            articles.put(route, Renderer::article_of(html)?);
        }
        Ok(())
    };
    routes
        .par_iter()
        .filter(|r| !matches!(r, Route::Print(_)))
        .try_for_each(|route| {
            let html = render_page(state, renderer, route, &drawn)?;
            keep(route, &html)?;
            put(route, html)
        })?;
    for year in printed {
        let articles = print_articles(state, renderer, year, articles, &drawn)?;
        put(
            &Route::Print(year),
            renderer.render_print(state, year, articles)?,
        )?;
    }
    Ok(drawn.into_inner())
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // a thread that panicked while holding it left whole entries or none
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// One page, its charts drawn for it when the state does not hold them.
fn render_page(
    state: &SiteState,
    renderer: &Renderer,
    route: &Route,
    drawn: &AtomicUsize,
) -> Result<String> {
    match (state.charts, route) {
        (ChartsHeld::WhenRendered, Route::Section(year, slug)) => {
            let section = with_charts(state, *year, slug)?;
            drawn.fetch_add(section.chart_count(), Ordering::Relaxed);
            renderer.render_with(state, route, Some(&section))
        }
        _ => renderer.render(state, route),
    }
}

/// The articles of `year`'s sections in order: those held, the others (never rendered yet)
/// rendered now.
fn print_articles(
    state: &SiteState,
    renderer: &Renderer,
    year: u32,
    articles: &Articles,
    drawn: &AtomicUsize,
) -> Result<Vec<String>> {
    let held = state.year(year).ok_or_else(|| anyhow!("no year {year}"))?;
    held.loaded
        .sections
        .iter()
        .map(|s| Route::Section(year, s.slug.clone()))
        .map(|route| match articles.get(&route) {
            Some(article) => Ok(article),
            None => {
                let html = render_page(state, renderer, &route, drawn)?;
                let article = Renderer::article_of(&html)?;
                if articles.kept {
                    articles.put(&route, article.clone());
                }
                Ok(article)
            }
        })
        .collect()
}

/// The theme's files as every year's folder gets them: the theme's `static/`, each file
/// replaced by the site's `static/` file of the same name (a site's own stylesheet wins in
/// every folder, as it does at the root).
pub fn year_assets(root: &Path, theme_dir: &Path) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut files = crate::output::read_static(&[theme_dir.join("static")])?;
    let site = crate::output::read_static(&[root.join("static")])?;
    for (name, bytes) in files.iter_mut() {
        if let Some(own) = site.get(name) {
            bytes.clone_from(own);
        }
    }
    Ok(files)
}

/// Every file of year `year`'s folder, by its path in the output (`1400/index.html`): the
/// theme's files (`theme_files`), its downloads and PDF, its search index, and its pages rendered
/// afresh (a frozen year's too).
/// What `build` writes there, and what `archive` keeps.
pub fn year_files(
    state: &SiteState,
    renderer: &Renderer,
    theme_files: &BTreeMap<String, Vec<u8>>,
    year: u32,
) -> Result<BTreeMap<String, Vec<u8>>> {
    let held = state
        .year(year)
        .ok_or_else(|| anyhow!("the site has no year {year}"))?;
    let routes = held.page_routes();
    let mut own: BTreeMap<String, Vec<u8>> = theme_files
        .iter()
        .map(|(name, bytes)| (format!("{year}/{name}"), bytes.clone()))
        .collect();
    for (route, bytes) in held.files() {
        own.insert(output_name(state, &route), bytes.to_vec());
    }
    let index = Route::SearchIndex(year);
    own.insert(
        output_name(state, &index),
        super::search_file(state, &index)?.into_bytes(),
    );
    let files = std::sync::Mutex::new(own);
    render_pages(
        state,
        renderer,
        &routes,
        &Articles::once(),
        &|route, html| {
            let path = output_name(state, route);
            files
                .lock()
                .map_err(|_| anyhow!("a render thread failed"))?
                .insert(path, html.into_bytes());
            Ok(())
        },
    )?;
    files
        .into_inner()
        .map_err(|_| anyhow!("a render thread failed"))
}

/// `route`'s file in the output, as a manifest and an archive name it (`1400/T010.csv`).
fn output_name(state: &SiteState, route: &Route) -> String {
    crate::output::manifest::relative_name(&state.routes.output_path(route), Path::new(""))
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
