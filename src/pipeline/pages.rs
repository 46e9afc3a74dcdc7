//! Rendering: the site's pages in parallel (each section page's charts drawn for it when the
//! state does not hold them), a year's print edition from its section pages' articles, and
//! every file of a year's folder.

use crate::charts;
use crate::model::SectionModel;
use crate::render::Renderer;
use crate::routes::Route;
use crate::state::{ChartsHeld, SiteState, YearState};
use anyhow::{Context, Result, anyhow};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::Write as _;
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

/// Where rendered pages go: files, or memory.
pub trait PageSink: Sync {
    /// Takes one whole page.
    fn put(&self, route: &Route, html: String) -> Result<()>;

    /// A writer for a page too large to hold whole (a year's print edition holds every
    /// section), or `None` to have it handed to [`PageSink::put`].
    fn stream(&self, _route: &Route) -> Result<Option<Box<dyn PageStream + '_>>> {
        Ok(None)
    }

    /// How many sections of a streamed print edition are rendered at a time: their articles
    /// are held until written, in order, while the next ones render.
    fn sections_at_a_time(&self) -> usize {
        SECTIONS_AT_A_TIME
    }
}

impl<F: Fn(&Route, String) -> Result<()> + Sync> PageSink for F {
    fn put(&self, route: &Route, html: String) -> Result<()> {
        self(route, html)
    }
}

/// A page written a piece at a time; [`PageStream::finish`] tells it is whole.
pub trait PageStream: std::io::Write + Send {
    fn finish(self: Box<Self>) -> Result<()>;
}

/// 32 articles of the generated bench sites are ~2.5 MB, held twice (one slice written while
/// the next renders): enough for both threads to stay busy, 18 MB less at 15,000 tables than 128.
const SECTIONS_AT_A_TIME: usize = 32;

/// Renders `routes` in parallel and hands each page to `sink` (a file, or memory). Returns the
/// number of charts drawn for the pages when the state does not hold them.
///
/// A year's print edition is made of its section pages' `<article>`s: they are kept in
/// `articles` as those pages are rendered (so no chart is drawn twice), and the edition is
/// made last. When the sink streams it and `articles` needs none kept, the year's sections are
/// rendered a slice at a time instead, and their articles written as soon as they are in
/// order: a large site's edition is never held whole.
pub fn render_pages(
    state: &SiteState,
    renderer: &Renderer,
    routes: &[Route],
    articles: &Articles,
    sink: &dyn PageSink,
) -> Result<usize> {
    let drawn = AtomicUsize::new(0);
    let printed: Vec<u32> = routes
        .iter()
        .filter_map(|r| match r {
            Route::Print(year) => Some(*year),
            _ => None,
        })
        .collect();
    let mut streams = BTreeMap::new();
    if !articles.kept {
        for &year in &printed {
            if let Some(stream) = sink.stream(&Route::Print(year))? {
                streams.insert(year, stream);
            }
        }
    }
    let streamed_years: Vec<u32> = streams.keys().copied().collect();
    let streamed =
        |route: &Route| matches!(route, Route::Section(year, _) if streamed_years.contains(year));
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
        .filter(|r| !matches!(r, Route::Print(_)) && !streamed(r))
        .try_for_each(|route| {
            let html = render_page(state, renderer, route, &drawn)?;
            keep(route, &html)?;
            sink.put(route, html)
        })?;
    for year in printed {
        match streams.remove(&year) {
            Some(stream) => {
                let edition = Edition {
                    state,
                    renderer,
                    routes: routes.iter().collect(),
                    sink,
                    drawn: &drawn,
                };
                edition
                    .stream(year, stream)
                    .with_context(|| format!("writing the print edition of {year}"))?;
            }
            None => {
                let articles = print_articles(state, renderer, year, articles, &drawn)?;
                sink.put(
                    &Route::Print(year),
                    renderer.render_print(state, year, articles)?,
                )?;
            }
        }
    }
    Ok(drawn.into_inner())
}

/// A print edition written as its sections are rendered.
struct Edition<'a> {
    state: &'a SiteState,
    renderer: &'a Renderer,
    /// The pages to hand to the sink (a section outside them is rendered for its article only).
    routes: rustc_hash::FxHashSet<&'a Route>,
    sink: &'a dyn PageSink,
    drawn: &'a AtomicUsize,
}

impl Edition<'_> {
    /// Renders `year`'s sections a slice at a time, each slice while the one before it is
    /// written, and writes the edition to `stream`.
    fn stream(&self, year: u32, mut stream: Box<dyn PageStream + '_>) -> Result<()> {
        let held = self
            .state
            .year(year)
            .ok_or_else(|| anyhow!("no year {year}"))?;
        let sections: Vec<Route> = held
            .loaded
            .sections
            .iter()
            .map(|s| Route::Section(year, s.slug.clone()))
            .collect();
        let frame = self.renderer.print_frame(self.state, year)?;
        let pieces = Renderer::print_pieces(&frame, sections.len())?;
        let write = |stream: &mut Box<dyn PageStream + '_>, articles: Vec<String>, from: usize| {
            for (at, article) in articles.into_iter().enumerate() {
                stream.write_all(article.as_bytes())?;
                stream.write_all(pieces[from + at + 1].as_bytes())?;
            }
            Ok::<(), std::io::Error>(())
        };
        stream.write_all(pieces[0].as_bytes())?;
        let mut rendered: Vec<String> = Vec::new();
        let mut from = 0;
        for slice in sections.chunks(self.sink.sections_at_a_time().max(1)) {
            let done = std::mem::take(&mut rendered);
            let count = done.len();
            let (written, next) = rayon::join(
                || write(&mut stream, done, from),
                || {
                    slice
                        .par_iter()
                        .map(|route| self.article(route))
                        .collect::<Result<Vec<_>>>()
                },
            );
            written?;
            from += count;
            rendered = next?;
        }
        write(&mut stream, rendered, from)?;
        stream.finish()
    }

    /// The `<article>` of a section page, after handing the page to the sink if it is wanted.
    fn article(&self, route: &Route) -> Result<String> {
        let html = render_page(self.state, self.renderer, route, self.drawn)?;
        let article = Renderer::article_of(&html)?;
        if self.routes.contains(route) {
            self.sink.put(route, html)?;
        }
        Ok(article)
    }
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
        &|route: &Route, html: String| {
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
