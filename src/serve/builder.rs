//! The rebuild loop's state: the held site state, its renderer (the reviewer view), the site
//! served from memory, and what failed. A changed section file is rebuilt alone; anything
//! else (site.toml, year.toml, a theme, static files, a section added or removed) rebuilds
//! everything. A failure keeps the last good site and is tried again on every later change,
//! so it clears when the content is fixed, whichever file fixes it.

use super::overlay::{Problem, overlay};
use super::site::{Resource, ServedSite};
use super::watch::Change;
use crate::config::DigitStyle;
use crate::output::manifest::relative_name;
use crate::output::read_static;
use crate::pdf;
use crate::pipeline::{
    Articles, CheckedSite, StageTimes, load_site, render_pages, search_file, update_section,
    year_assets,
};
use crate::render::{Renderer, View};
use crate::report::StructuralErrors;
use crate::routes::Route;
use crate::state::{ChartsHeld, SiteState};
use anyhow::{Result, anyhow};
use axum::body::Bytes;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the server shows after a rebuild: the site, and the overlay while content is broken.
#[derive(Debug, Clone, Default)]
pub struct Published {
    /// The last good site; `None` while the content has never built.
    pub site: Option<Arc<ServedSite>>,
    pub overlay: Option<Arc<str>>,
}

/// What a failure is of: the whole site, or one section file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Source {
    Site,
    Section(PathBuf),
}

struct Built {
    state: SiteState,
    renderer: Renderer,
    /// The section pages' articles, which a partial rebuild's print edition is made of.
    articles: Articles,
    site: Arc<ServedSite>,
}

pub struct Builder {
    root: PathBuf,
    built: Option<Built>,
    failures: BTreeMap<Source, Vec<Problem>>,
}

/// What one rebuild did, for the terminal.
#[derive(Debug)]
pub struct Report {
    /// The pages rendered again, by URL, section pages first; empty when nothing could be
    /// rebuilt.
    pub pages: Vec<String>,
    pub whole_site: bool,
    pub elapsed: Duration,
    /// What fails now: those new since the last rebuild, and those still failing.
    pub new_problems: Vec<Problem>,
    pub old_problems: Vec<Problem>,
    /// The content failed before and builds now.
    pub fixed: bool,
    /// The findings of the site as it is served, counted.
    pub tally: String,
}

impl Builder {
    /// A builder of the site at `root` (which should be canonical, as watched paths are),
    /// not built yet.
    pub fn new(root: &Path) -> Builder {
        Builder {
            root: root.to_path_buf(),
            built: None,
            failures: BTreeMap::new(),
        }
    }

    /// The section files of the site as built: what the watcher rebuilds alone.
    pub fn sections(&self) -> BTreeSet<PathBuf> {
        let Some(built) = &self.built else {
            return BTreeSet::new();
        };
        // a frozen year's files are not rebuilt alone: an edit of one is a `frozen` error,
        // which only the whole check finds
        let open = built
            .state
            .years
            .iter()
            .filter(|y| y.loaded.frozen.is_none());
        let sections = open.flat_map(|y| &y.loaded.sections);
        sections.map(|s| s.path.to_path_buf()).collect()
    }

    pub fn published(&self) -> Published {
        let problems = self.problems();
        let digits = self
            .built
            .as_ref()
            .map_or(DigitStyle::Persian, |b| b.state.config.digits);
        Published {
            site: self.built.as_ref().map(|b| Arc::clone(&b.site)),
            overlay: (!problems.is_empty()).then(|| Arc::from(overlay(&problems, digits))),
        }
    }

    fn problems(&self) -> Vec<Problem> {
        self.failures.values().flatten().cloned().collect()
    }

    /// Rebuilds what `change` affects, and retries what failed before.
    pub fn apply(&mut self, change: &Change) -> Report {
        let started = Instant::now();
        let before = self.problems();
        let whole_site = matches!(change, Change::Everything)
            || self.built.is_none()
            || self.failures.contains_key(&Source::Site);
        let pages = if whole_site {
            self.rebuild_all()
        } else {
            let mut paths: BTreeSet<PathBuf> = match change {
                Change::Sections(paths) => paths.clone(),
                Change::Everything => BTreeSet::new(),
            };
            paths.extend(self.failures.keys().filter_map(|s| match s {
                Source::Section(path) => Some(path.clone()),
                Source::Site => None,
            }));
            self.rebuild_sections(&paths)
        };
        let now = self.problems();
        let (old_problems, new_problems) = now.into_iter().partition(|p| before.contains(p));
        Report {
            pages,
            whole_site,
            elapsed: started.elapsed(),
            new_problems,
            old_problems,
            fixed: !before.is_empty() && self.failures.is_empty(),
            tally: self
                .built
                .as_ref()
                .map_or_else(String::new, |b| crate::report::tally(b.state.findings())),
        }
    }

    fn rebuild_all(&mut self) -> Vec<String> {
        match build_all(&self.root) {
            Ok(built) => {
                let pages = page_urls(&built.state, &built.state.page_routes());
                self.built = Some(built);
                self.failures.clear();
                pages
            }
            Err(e) => {
                self.failures.clear();
                let problems = Problem::from_error(&self.root, &e);
                self.failures.insert(Source::Site, problems);
                Vec::new()
            }
        }
    }

    /// Rebuilds each of `paths` alone, then renders the pages they changed into a new site.
    fn rebuild_sections(&mut self, paths: &BTreeSet<PathBuf>) -> Vec<String> {
        let Some(built) = &mut self.built else {
            return Vec::new();
        };
        let mut routes = BTreeSet::new();
        let mut files = BTreeSet::new();
        let mut search = BTreeSet::new();
        for path in paths {
            let source = Source::Section(path.clone());
            match update_section(&mut built.state, path) {
                Ok(changes) => {
                    routes.extend(changes.routes);
                    routes.extend(changes.reviewed);
                    files.extend(changes.files);
                    search.extend(changes.search);
                    self.failures.remove(&source);
                }
                Err(e) => {
                    self.failures
                        .insert(source, Problem::from_error(&self.root, &e));
                }
            }
        }
        // the years changed lost their PDFs: typeset before their pages link them
        let draft = built.state.findings().any(|f| f.fails_check());
        match pdf::publish_all(&mut built.state, draft) {
            Ok(years) => files.extend(years.into_iter().map(Route::Pdf)),
            Err(e) => {
                // the pages would link a PDF that is not there: only a whole rebuild mends it
                let problems = Problem::from_error(&self.root, &e);
                self.failures.insert(Source::Site, problems);
                return Vec::new();
            }
        }
        if routes.is_empty() && files.is_empty() {
            return Vec::new();
        }
        let routes: Vec<Route> = routes.into_iter().collect();
        let mut site = ServedSite::clone(&built.site);
        for route in &files {
            if let Some(bytes) = built.state.file(route) {
                put_file(&built.state, &mut site, route, bytes);
            }
        }
        let search: Vec<Route> = search.into_iter().collect();
        let rendered = render_with_search(built, &routes, &search, &mut site);
        match rendered {
            Ok(()) => {
                built.site = Arc::new(site);
                let files: Vec<Route> = files.into_iter().collect();
                let mut urls = page_urls(&built.state, &routes);
                urls.extend(page_urls(&built.state, &files));
                urls
            }
            Err(e) => {
                // the state moved on without its pages: only a whole rebuild brings them back
                let problems = Problem::from_error(&self.root, &e);
                self.failures.insert(Source::Site, problems);
                Vec::new()
            }
        }
    }
}

/// The whole site, from the files: content checked, charts drawn and held, every page
/// rendered in the reviewer view, static files read.
fn build_all(root: &Path) -> Result<Built> {
    let checked = CheckedSite::check(load_site(root, None)?);
    StructuralErrors::check(checked.findings())?;
    let mut state = checked.into_state(&mut StageTimes::default(), ChartsHeld::InModel)?;
    let draft = state.findings().any(|f| f.fails_check());
    pdf::publish_all(&mut state, draft)?;
    let renderer = Renderer::new(&state.theme_dir(), state.config.digits)?.with_view(View::Review);
    let mut site = ServedSite::new(state.routes.base_path());
    put_files(&state, &mut site)?;
    let mut built = Built {
        state,
        renderer,
        articles: Articles::kept(),
        site: Arc::new(ServedSite::new("")),
    };
    let routes = built.state.page_routes();
    render_with_search(&built, &routes, &built.state.search_routes(), &mut site)?;
    built.site = Arc::new(site);
    Ok(built)
}

/// Every file a build writes that is not a rendered page: the static files at the root, the
/// theme's in every year's folder, a frozen year's folder from its archive, the downloads and
/// the PDFs.
fn put_files(state: &SiteState, site: &mut ServedSite) -> Result<()> {
    for (name, bytes) in read_static(&state.static_dirs())? {
        site.put(name.clone(), Resource::file(&name, bytes));
    }
    let theme_files: Vec<(String, Bytes)> = year_assets(&state.root, &state.theme_dir())?
        .into_iter()
        .map(|(name, bytes)| (name, Bytes::from(bytes)))
        .collect();
    for year in &state.years {
        match &year.loaded.frozen {
            Some(frozen) => {
                for (path, bytes) in frozen.archive.site_files() {
                    site.put(path.to_string(), Resource::at(path, bytes.to_vec()));
                }
            }
            None => {
                for (name, bytes) in &theme_files {
                    let path = format!("{}/{name}", year.year());
                    site.put(path, Resource::file(name, bytes.clone()));
                }
            }
        }
    }
    for (route, bytes) in state.files() {
        put_file(state, site, &route, bytes);
    }
    Ok(())
}

/// A download (`Route::TableFile`, `Route::DataPackage`, `Route::Pdf`) at its path.
fn put_file(state: &SiteState, site: &mut ServedSite, route: &Route, bytes: &[u8]) {
    let path = relative_name(&state.routes.output_path(route), Path::new(""));
    let file = Resource::file(&path, bytes.to_vec());
    site.put(path, file);
}

/// Renders the pages of `routes` and makes the search files of `search` (the client, a year's
/// index) side by side, then puts them into `site` over what it held at their paths.
fn render_with_search(
    built: &Built,
    routes: &[Route],
    search: &[Route],
    site: &mut ServedSite,
) -> Result<()> {
    let state = &built.state;
    let (pages, texts) = rayon::join(
        || render(built, routes),
        || {
            search
                .par_iter()
                .map(|route| Ok((route, search_file(state, route)?)))
                .collect::<Result<Vec<_>>>()
        },
    );
    for (route, text) in texts? {
        put_file(state, site, route, text.as_bytes());
    }
    for (path, page) in pages? {
        site.put(path, page);
    }
    Ok(())
}

/// The pages of `routes`, rendered in parallel, by their paths.
fn render(built: &Built, routes: &[Route]) -> Result<Vec<(String, Resource)>> {
    let state = &built.state;
    let pages = Mutex::new(Vec::with_capacity(routes.len()));
    render_pages(
        state,
        &built.renderer,
        routes,
        &built.articles,
        &|route: &Route, html: String| {
            let path = relative_name(&state.routes.output_path(route), Path::new(""));
            // `years.js` is rendered from a template too, but it is no page
            let page = Resource::rendered(&path, html);
            let mut pages = pages
                .lock()
                .map_err(|_| anyhow!("a render thread failed"))?;
            pages.push((path, page));
            Ok(())
        },
    )?;
    pages
        .into_inner()
        .map_err(|_| anyhow!("a render thread failed"))
}

/// The URLs of `routes`, section pages first (what a report names).
fn page_urls(state: &SiteState, routes: &[Route]) -> Vec<String> {
    let (sections, others): (Vec<&Route>, Vec<&Route>) =
        routes.iter().partition(|r| matches!(r, Route::Section(..)));
    sections
        .into_iter()
        .chain(others)
        .map(|r| state.routes.url(r))
        .collect()
}
