//! The held state: after one section file changes, rebuilding that section through
//! `pipeline::update_section` gives the same pages, byte for byte, as a full build of the
//! changed site, and renders only the pages that changed.

mod common;
use common::*;
use karnameh::pipeline::{CheckedSite, StageTimes, load_site, render_pages, update_section};
use karnameh::render::Renderer;
use karnameh::routes::Route;
use karnameh::state::{ChartsHeld, SiteState};
use std::collections::BTreeMap;
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
    render_pages(state, &renderer(state), routes, &|route, html| {
        pages
            .lock()
            .unwrap()
            .insert(state.routes.output_path(route), html);
        Ok(())
    })
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
