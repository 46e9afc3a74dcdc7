//! The held state: after one section file changes, rebuilding that section through
//! `pipeline::update_section` gives the same pages, byte for byte, as a full build of the
//! changed site, and renders only the pages that changed.

mod common;
use common::*;
use karnameh::pipeline::{
    Articles, CheckedSite, PageSink, PageStream, StageTimes, load_site, render_pages,
    update_section, write_search,
};
use karnameh::render::Renderer;
use karnameh::routes::Route;
use karnameh::serve::builder::Builder;
use karnameh::serve::watch::Change;
use karnameh::state::{ChartsHeld, SiteState};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

fn real_site_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for part in ["content", "themes"] {
        copy_dir(&repo_root().join(part), &dir.path().join(part));
    }
    std::fs::copy(repo_root().join("site.toml"), dir.path().join("site.toml")).unwrap();
    dir
}

fn full_state(root: &Path) -> SiteState {
    let checked = CheckedSite::check(load_site(root, None).unwrap());
    assert!(!checked.has_structural_errors());
    checked
        .into_state(&mut StageTimes::default(), ChartsHeld::InModel)
        .unwrap()
}

fn renderer(state: &SiteState) -> Renderer {
    Renderer::new(&state.root.join("themes/default"), state.config.digits).unwrap()
}

/// `routes` rendered, by output path.
fn render(state: &SiteState, routes: &[Route]) -> BTreeMap<PathBuf, String> {
    let pages = Mutex::new(BTreeMap::new());
    render_pages(
        state,
        &renderer(state),
        routes,
        &Articles::once(),
        &|route: &Route, html: String| {
            pages
                .lock()
                .unwrap()
                .insert(state.routes.output_path(route), html);
            Ok(())
        },
    )
    .unwrap();
    pages.into_inner().unwrap()
}

/// Edits `file` of the site in `state`, rebuilds it alone, and checks the pages and the
/// downloads against a full build; returns the routes the partial rebuild rendered and the
/// downloads it reports changed.
fn edit_and_compare(
    site: &Path,
    state: &mut SiteState,
    file: &str,
    from: &str,
    to: &str,
) -> (Vec<Route>, Vec<Route>) {
    let mut pages = render(state, &state.page_routes());
    edit(site, file, from, to);
    let changes = update_section(state, &site.join(file)).unwrap();
    pages.extend(render(state, &changes.routes));
    let fresh = full_state(site);
    let expected = render(&fresh, &fresh.page_routes());
    assert_eq!(pages.len(), expected.len());
    for (path, html) in &expected {
        assert!(
            pages.get(path) == Some(html),
            "{} differs after a partial rebuild",
            path.display()
        );
    }
    let files: Vec<(Route, &[u8])> = state.files().collect();
    let expected: Vec<(Route, &[u8])> = fresh.files().collect();
    assert!(
        files == expected,
        "the downloads differ after a partial rebuild"
    );
    (changes.routes, changes.files)
}

fn sections(routes: &[Route]) -> Vec<&str> {
    routes
        .iter()
        .filter_map(|r| match r {
            Route::Section(_, slug) => Some(slug.as_str()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_changed_number_rebuilds_its_page_and_gives_the_bytes_of_a_full_build() {
    let site = real_site_copy();
    let mut state = full_state(site.path());
    // T010 row 1: its total and the summary's link to that total now disagree
    let file = "content/1400/07-national-standards.toml";
    let (routes, files) = edit_and_compare(
        site.path(),
        &mut state,
        file,
        "values = [25, 30, 120]",
        "values = [25, 31, 124]",
    );
    assert_eq!(sections(&routes), ["national-standards"]);
    let t010 = karnameh::content::TableId::try_from("T010".to_string()).unwrap();
    let mut expected: Vec<Route> = karnameh::routes::DataFormat::ALL
        .into_iter()
        .map(|f| Route::TableFile(1400, t010.clone(), f))
        .collect();
    expected.push(Route::DataPackage(1400));
    assert_eq!(
        files, expected,
        "only T010's files and the package are written again"
    );
    let findings: Vec<_> = state.findings().filter(|f| f.fails_check()).collect();
    assert!(
        findings.iter().any(|f| f.rule.name() == "total"),
        "{findings:?}"
    );
}

#[test]
fn a_changed_title_rebuilds_the_neighbours_that_link_to_it() {
    let site = real_site_copy();
    let mut state = full_state(site.path());
    let file = "content/1400/07-national-standards.toml";
    let text = std::fs::read_to_string(site.path().join(file)).unwrap();
    let title = text
        .lines()
        .find(|l| l.starts_with("title = "))
        .unwrap()
        .to_string();
    let (routes, _) = edit_and_compare(
        site.path(),
        &mut state,
        file,
        &title,
        "title = \"تدوین استاندارد ملی در استان‌ها\"",
    );
    let mut changed = sections(&routes);
    changed.sort();
    assert_eq!(
        changed,
        ["national-standards", "standards-review", "summary"]
    );
    assert!(routes.contains(&Route::Year(1400)));
}

#[test]
fn a_change_to_one_year_rebuilds_the_next_years_comparison_and_the_series_page() {
    let site = fixture("years");
    let mut state = full_state(site.path());
    let (routes, _) = edit_and_compare(
        site.path(),
        &mut state,
        "content/1399/07-provinces.toml",
        "[100, 110, 110]",
        "[100, 120, 120]",
    );
    for route in [
        Route::Section(1399, "provinces".into()),
        Route::Section(1400, "provinces".into()),
        Route::Series(
            karnameh::ids::SeriesKey::try_from("province-standards".to_string()).unwrap(),
        ),
    ] {
        assert!(routes.contains(&route), "{route:?} not in {routes:?}");
    }
    assert!(!routes.contains(&Route::Section(1400, "office".into())));
}

#[test]
fn a_broken_file_leaves_the_state_as_it_was() {
    let site = real_site_copy();
    let mut state = full_state(site.path());
    let file = "content/1400/07-national-standards.toml";
    let before = render(&state, &state.page_routes());
    edit(
        site.path(),
        file,
        "values = [25, 30, 120]",
        "values = [25, 30]",
    );
    let err = update_section(&mut state, &site.path().join(file)).unwrap_err();
    assert!(err.to_string().contains("row-width"), "{err}");
    edit(
        site.path(),
        file,
        "values = [25, 30]",
        "values = [25, = 30]",
    );
    let err = update_section(&mut state, &site.path().join(file)).unwrap_err();
    assert!(
        format!("{err:#}").contains("07-national-standards.toml:"),
        "{err:#}"
    );
    assert_eq!(render(&state, &state.page_routes()), before);
}

/// The search files of `routes`, by output path.
fn search_files(state: &SiteState, routes: &[Route]) -> BTreeMap<PathBuf, String> {
    let files = Mutex::new(BTreeMap::new());
    write_search(state, routes, &|route: &Route, text: String| {
        let path = state.routes.output_path(route);
        files.lock().unwrap().insert(path, text);
        Ok(())
    })
    .unwrap();
    files.into_inner().unwrap()
}

#[test]
fn a_changed_section_writes_its_years_search_index_again_as_a_full_build_does() {
    let site = real_site_copy();
    let mut state = full_state(site.path());
    let before = search_files(&state, &[Route::SearchIndex(1400)]);
    let file = "content/1400/07-national-standards.toml";
    edit(
        site.path(),
        file,
        "values = [25, 30, 120]",
        "values = [25, 3031, 124]",
    );
    let changes = update_section(&mut state, &site.path().join(file)).unwrap();
    assert_eq!(changes.search, [Route::SearchIndex(1400)]);
    let rebuilt = search_files(&state, &changes.search);
    let fresh = full_state(site.path());
    assert_eq!(rebuilt, search_files(&fresh, &changes.search));
    assert_ne!(rebuilt, before);
    assert!(rebuilt.values().all(|index| index.contains("\"3031\"")));
}

/// Every file `serve` holds for the site at `root`, from a fresh start.
fn served(builder: &Builder) -> BTreeMap<String, Vec<u8>> {
    let site = builder.published().site.expect("the site builds");
    site.paths()
        .map(|p| (p.to_string(), site.get(p).unwrap().bytes.to_vec()))
        .collect()
}

#[test]
fn serve_rebuilds_one_section_into_the_bytes_of_a_fresh_start_findings_included() {
    let site = real_site_copy();
    let root = site.path().canonicalize().unwrap();
    let mut builder = Builder::new(&root);
    assert!(builder.apply(&Change::Everything).new_problems.is_empty());
    // T010 adds up again with a new total, which the summary restates: the summary's content
    // is the same, its finding (a link that no longer holds) is new
    let file = "content/1400/07-national-standards.toml";
    let text = std::fs::read_to_string(root.join(file)).unwrap();
    let text = text
        .replacen("values = [25, 30, 120]", "values = [25, 31, 124]", 1)
        .replacen("values = [430, 658, 153]", "values = [430, 659, 153]", 1);
    std::fs::write(root.join(file), text).unwrap();
    let report = builder.apply(&Change::Sections(BTreeSet::from([root.join(file)])));
    assert!(report.new_problems.is_empty(), "{:?}", report.new_problems);
    assert!(!report.whole_site);
    let mut pages = report.pages.clone();
    pages.sort();
    assert_eq!(
        pages,
        [
            "/",
            "/1400/",
            // T010's downloads and the year's package hold the new figures
            "/1400/1400-data.zip",
            "/1400/T010.csv",
            "/1400/T010.json",
            "/1400/T010.xlsx",
            "/1400/national-standards/",
            // the print edition holds the section again
            "/1400/print/",
            "/1400/review/",
            "/1400/summary/",
            "/404.html",
            "/years.js"
        ]
    );
    let mut fresh = Builder::new(&root);
    fresh.apply(&Change::Everything);
    let (after, expected) = (served(&builder), served(&fresh));
    assert_eq!(after.len(), expected.len());
    for (path, bytes) in &expected {
        assert!(
            after.get(path) == Some(bytes),
            "{path} differs after a partial rebuild"
        );
    }
    let summary = String::from_utf8_lossy(&after["1400/summary/index.html"]).into_owned();
    assert!(
        summary.contains("finding-error"),
        "the summary shows its broken link"
    );
}

/// Pages into memory, as `build` writes them into its staging folder: the print edition and the
/// search index a piece at a time, a few sections rendered at a time.
struct StreamingSink<'a> {
    state: &'a SiteState,
    pages: Mutex<BTreeMap<PathBuf, String>>,
    at_a_time: usize,
}

/// A streamed page: its pieces, counted, then the page once finished.
struct Pieces<'a> {
    sink: &'a StreamingSink<'a>,
    path: PathBuf,
    bytes: Vec<u8>,
}

impl std::io::Write for Pieces<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.bytes.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl PageStream for Pieces<'_> {
    fn finish(self: Box<Self>) -> anyhow::Result<()> {
        let text = String::from_utf8(self.bytes)?;
        self.sink.pages.lock().unwrap().insert(self.path, text);
        Ok(())
    }
}

impl PageSink for StreamingSink<'_> {
    fn put(&self, route: &Route, html: String) -> anyhow::Result<()> {
        let path = self.state.routes.output_path(route);
        assert!(self.pages.lock().unwrap().insert(path, html).is_none());
        Ok(())
    }

    fn stream(&self, route: &Route) -> anyhow::Result<Option<Box<dyn PageStream + '_>>> {
        Ok(Some(Box::new(Pieces {
            sink: self,
            path: self.state.routes.output_path(route),
            bytes: Vec::new(),
        })))
    }

    fn sections_at_a_time(&self) -> usize {
        self.at_a_time
    }
}

#[test]
fn a_streamed_print_edition_and_search_index_are_the_pages_made_whole() {
    let state = full_state(&repo_root());
    let routes = state.page_routes();
    let whole = render(&state, &routes);
    let print = state.routes.output_path(&Route::Print(1400));
    let sections = state.year(1400).unwrap().loaded.sections.len();
    // one section at a time, a slice that does not divide the sections, and all at once
    for at_a_time in [1, 5, sections, sections + 10] {
        let sink = StreamingSink {
            state: &state,
            pages: Mutex::new(BTreeMap::new()),
            at_a_time,
        };
        render_pages(&state, &renderer(&state), &routes, &Articles::once(), &sink).unwrap();
        let streamed = sink.pages.into_inner().unwrap();
        assert_eq!(streamed.len(), whole.len());
        assert!(
            streamed[&print].len() > 1_000_000,
            "the edition holds every section"
        );
        for (path, html) in &whole {
            assert!(
                streamed.get(path) == Some(html),
                "{} differs when streamed {at_a_time} sections at a time",
                path.display()
            );
        }
    }
    // the print edition alone: its sections are rendered for it, and handed over as no page
    let sink = StreamingSink {
        state: &state,
        pages: Mutex::new(BTreeMap::new()),
        at_a_time: 7,
    };
    let only = [Route::Print(1400)];
    render_pages(&state, &renderer(&state), &only, &Articles::once(), &sink).unwrap();
    let streamed = sink.pages.into_inner().unwrap();
    assert_eq!(streamed.keys().collect::<Vec<_>>(), [&print]);
    assert!(streamed[&print] == whole[&print]);
    // the search index written as it is made is the one made whole
    let search = state.search_routes();
    let sink = StreamingSink {
        state: &state,
        pages: Mutex::new(BTreeMap::new()),
        at_a_time: 1,
    };
    write_search(&state, &search, &sink).unwrap();
    assert_eq!(
        sink.pages.into_inner().unwrap(),
        search_files(&state, &search)
    );
}
