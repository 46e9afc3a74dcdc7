//! What each template sees: `site` (its title and years), `page` (where this page links to:
//! home, its theme files, the years script), `search` (its search box), and where relevant `year` (all of it on the
//! year's own pages, its head elsewhere), `section` and `series`. Every URL is made here for
//! the page being rendered (see `links`); tables reach a section page as placeholders that
//! `fill_tables` replaces with their figures.

use super::figure;
use super::links::{self, Linker, SectionView, YearContext};
use super::review::PageReview;
use super::yoy;
use crate::config::DigitStyle;
use crate::load::LoadedSection;
use crate::model::SectionModel;
use crate::model::series::SeriesModel;
use crate::routes::Route;
use crate::state::{SiteState, YearState};
use anyhow::{Result, anyhow, bail};
use memchr::memmem;
use serde::Serialize;

#[derive(Serialize)]
pub struct Page<'a> {
    site: SiteHead<'a>,
    page: PageHead,
    year: Option<YearContext<'a>>,
    section: Option<SectionView<'a>>,
    /// The print edition: one placeholder per section, in order (see `fill_sections`).
    sections: Vec<String>,
    series: Option<SeriesView<'a>>,
    search: SearchLinks,
    #[serde(skip)]
    parts: Option<(&'a SectionModel, &'a LoadedSection)>,
}

/// The site without its years' content (pages link to years, they don't embed them).
#[derive(Serialize)]
struct SiteHead<'a> {
    title: &'a str,
    organization: &'a str,
    base_path: &'a str,
    /// The year switcher: on a year's pages the years up to that year (so that adding a year
    /// changes no byte of the years before it), elsewhere every year; oldest first.
    years: Vec<YearLink<'a>>,
    /// The latest year: on the pages at the site root only.
    latest: Option<YearLink<'a>>,
    /// Every series page: on the pages at the site root only.
    series: Vec<SeriesLink<'a>>,
}

#[derive(Serialize, Clone)]
struct YearLink<'a> {
    year: u32,
    url: String,
    title: &'a str,
    current: bool,
    /// A draft built for review (`--drafts`).
    draft: bool,
}

#[derive(Serialize)]
struct SeriesLink<'a> {
    url: String,
    title: &'a str,
    years: Vec<u32>,
}

/// Where this page links to, relative to it (or absolute: see `Routes::link`).
#[derive(Serialize)]
struct PageHead {
    /// The root page.
    home: String,
    /// The folder of the theme's files for this page: `style.css`, `fonts/` (the year's own
    /// copy on a year's pages). Empty on a page beside them.
    assets: String,
    /// On a year's pages: the script at the site root that says whether a later year exists.
    years_script: Option<String>,
    /// The year the page belongs to.
    year: Option<u32>,
}

/// What the search box of a page needs: the client, the search page it falls back to without
/// JavaScript, and the year it searches (none: every year).
#[derive(Serialize)]
struct SearchLinks {
    client: String,
    page: String,
    year: Option<u32>,
}

impl SearchLinks {
    /// A year's pages search that year; the others every year, from the latest searchable
    /// year's page.
    fn of(state: &SiteState, route: &Route, links: &Linker) -> SearchLinks {
        let year = route
            .year()
            .or_else(|| state.searchable_years().last().copied());
        SearchLinks {
            client: links.to(&Route::SearchClient),
            page: year.map_or_else(String::new, |y| links.to(&Route::Search(y))),
            year: route.year(),
        }
    }
}

#[derive(Serialize)]
struct SeriesView<'a> {
    key: &'a str,
    title: &'a str,
    unit: Option<&'a str>,
    years: Vec<SeriesYearView<'a>>,
    /// Per column: a chart and a table of every year, written by `yoy`.
    figures_html: String,
}

#[derive(Serialize)]
struct SeriesYearView<'a> {
    year: u32,
    caption: &'a str,
    url: String,
}

fn section_placeholder(index: usize) -> String {
    format!("<!--karnameh:section:{index}-->")
}

impl<'a> Page<'a> {
    /// The context of `route`; a section page shows `section` when given (a model whose charts
    /// were drawn for this page only), else the state's model.
    pub fn of(
        state: &'a SiteState,
        route: &'a Route,
        section: Option<&'a SectionModel>,
    ) -> Result<Page<'a>> {
        let links = Linker::new(&state.routes, route);
        let year = match route.year() {
            Some(y) => Some(state.year(y).ok_or_else(|| anyhow!("no year {y}"))?),
            None => None,
        };
        let mut page = Page {
            site: site_head(state, route, &links),
            page: page_head(route, &links),
            year: None,
            section: None,
            sections: Vec::new(),
            series: None,
            search: SearchLinks::of(state, route, &links),
            parts: None,
        };
        match (route, year) {
            (Route::Year(_) | Route::Review(_), Some(year)) => {
                page.year = Some(links::whole_year(&year.model, &links));
            }
            (Route::Search(_), Some(year)) => {
                page.year = Some(links::year_head(&year.model, &links, false));
            }
            (Route::Print(_), Some(year)) => {
                page.year = Some(links::whole_year(&year.model, &links));
                page.sections = (0..year.model.sections.len())
                    .map(section_placeholder)
                    .collect();
            }
            (Route::Section(_, slug), Some(year)) => {
                let (held, loaded) = section_of(year, slug)?;
                let model = section.unwrap_or(held);
                page.year = Some(links::year_head(&year.model, &links, model.foreword));
                page.section = Some(links::section_view(model, &links, overview(model)));
                page.parts = Some((model, loaded));
            }
            (Route::Series(key), _) => {
                let series = state
                    .series(key)
                    .ok_or_else(|| anyhow!("no series `{key}`"))?;
                page.series = Some(series_view(series, &links, state.config.digits));
            }
            _ => {}
        }
        Ok(page)
    }

    pub fn section_parts(&self) -> Option<(&'a SectionModel, &'a LoadedSection)> {
        self.parts
    }
}

fn site_head<'a>(state: &'a SiteState, route: &Route, links: &Linker) -> SiteHead<'a> {
    let page_year = route.year();
    let years: Vec<YearLink> = state
        .years
        .iter()
        .filter(|y| page_year.is_none_or(|p| y.year() <= p))
        .map(|y| YearLink {
            year: y.model.year,
            url: links.to(&Route::Year(y.model.year)),
            title: &y.model.title,
            current: page_year == Some(y.model.year),
            draft: y.model.draft,
        })
        .collect();
    let at_root = page_year.is_none();
    // a draft built for review (`--drafts`) is not the latest report
    let latest = years.iter().rev().find(|y| !y.draft).cloned();
    SiteHead {
        title: &state.config.title,
        organization: &state.config.organization,
        base_path: state.routes.base_path(),
        latest: latest.filter(|_| at_root),
        years,
        series: if at_root {
            state.series.iter().map(|s| series_link(s, links)).collect()
        } else {
            Vec::new()
        },
    }
}

fn series_link<'a>(series: &'a SeriesModel, links: &Linker) -> SeriesLink<'a> {
    SeriesLink {
        url: links.to(&Route::Series(series.key.clone())),
        title: &series.title,
        years: series.years.iter().map(|y| y.year).collect(),
    }
}

fn page_head(route: &Route, links: &Linker) -> PageHead {
    let year = route.year();
    let assets = match year {
        Some(y) => Route::YearFile(y, String::new()),
        None => Route::File(String::new()),
    };
    PageHead {
        home: links.to(&Route::Root),
        assets: links.to(&assets),
        years_script: year.map(|_| links.to(&Route::YearsScript)),
        year,
    }
}

fn section_of<'a>(
    year: &'a YearState,
    slug: &str,
) -> Result<(&'a SectionModel, &'a LoadedSection)> {
    let index = year
        .loaded
        .sections
        .iter()
        .position(|s| s.slug == slug)
        .ok_or_else(|| anyhow!("no section `{slug}` in {}", year.year()))?;
    Ok((&year.model.sections[index], &year.loaded.sections[index]))
}

fn overview(model: &SectionModel) -> Option<String> {
    model.overview.as_ref().map(|c| {
        let mut html = String::new();
        figure::chart(&mut html, c, None);
        html
    })
}

fn series_view<'a>(series: &'a SeriesModel, links: &Linker, digits: DigitStyle) -> SeriesView<'a> {
    SeriesView {
        key: &series.key,
        title: &series.title,
        unit: series.unit.as_deref(),
        years: series
            .years
            .iter()
            .map(|y| SeriesYearView {
                year: y.year,
                caption: &y.caption,
                url: links.to_anchor(&y.route, &y.anchor),
            })
            .collect(),
        figures_html: yoy::series_figures(series, digits),
    }
}

/// The print edition: its frame with each section's placeholder replaced by the section's
/// `<article>`, as its own page has it. Each article is freed once copied: the edition of a
/// large report is hundreds of megabytes, and would otherwise be held twice.
pub fn fill_sections(frame: &str, articles: Vec<String>) -> Result<String> {
    let pieces = split_sections(frame, articles.len())?;
    let mut page =
        String::with_capacity(frame.len() + articles.iter().map(String::len).sum::<usize>());
    page.push_str(pieces[0]);
    for (article, piece) in articles.into_iter().zip(&pieces[1..]) {
        page.push_str(&article);
        page.push_str(piece);
    }
    Ok(page)
}

/// `frame` cut at the placeholders of its `sections` sections: the pieces before, between and
/// after them.
pub fn split_sections(frame: &str, sections: usize) -> Result<Vec<&str>> {
    let mut pieces = Vec::with_capacity(sections + 1);
    let mut rest = frame;
    for index in 0..sections {
        let marker = section_placeholder(index);
        let Some(at) = rest.find(&marker) else {
            bail!(
                "it must print every entry of `sections`, in order (section {} is missing)",
                index + 1
            );
        };
        pieces.push(&rest[..at]);
        rest = &rest[at + marker.len()..];
    }
    pieces.push(rest);
    Ok(pieces)
}

/// The `<article>` of a rendered section page as the print edition holds it: its charts in
/// their narrow layout only, the one print shows (a third of the edition's bytes less).
pub fn article_of(page: &str) -> Result<String> {
    // memchr's searchers: the print edition's articles are most of a large site's bytes
    let start = memmem::find(page.as_bytes(), b"<article");
    let end = memmem::rfind(page.as_bytes(), b"</article>");
    let article = match (start, end) {
        (Some(start), Some(end)) if start < end => &page[start..end + "</article>".len()],
        _ => bail!(
            "section.html must hold the section in one <article> (the print edition prints it)"
        ),
    };
    Ok(without_wide_layouts(article))
}

/// `html` without the charts' `<g class="wide">` layers (a layer holds no `<g>` of its own).
fn without_wide_layouts(html: &str) -> String {
    const OPEN: &str = "<g class=\"wide\">";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let (open, close) = (memmem::Finder::new(OPEN), memmem::Finder::new("</g>"));
    while let Some(at) = open.find(rest.as_bytes()) {
        out.push_str(&rest[..at]);
        match close.find(&rest.as_bytes()[at..]) {
            Some(end) => rest = &rest[at + end + "</g>".len()..],
            None => break,
        }
    }
    out.push_str(rest);
    out
}

/// The section page: its frame with each table's placeholder replaced by the table's figure
/// (with its findings in the reviewer view).
pub fn fill_tables(
    frame: String,
    model: &SectionModel,
    loaded: &LoadedSection,
    digits: DigitStyle,
    links: &Linker,
    review: Option<&PageReview>,
) -> Result<String> {
    // room for every table at once: a page of one huge table is never copied while it grows
    // (untouched capacity costs no memory)
    let cells: usize = loaded
        .data
        .tables
        .iter()
        .map(|t| (t.rows.len() + 2) * (t.columns.len() + t.label_headers.len() + 1))
        .sum();
    let mut page =
        String::with_capacity(frame.len() + cells * 160 + model.tables.len() * 64 * 1024);
    let mut rest = frame.as_str();
    for (index, (table, content)) in model.tables.iter().zip(&loaded.data.tables).enumerate() {
        let marker = links::placeholder(index);
        let Some(at) = rest.find(&marker) else {
            bail!(
                "it must print every entry of `section.tables`, in order (table {} is missing)",
                table.id
            );
        };
        page.push_str(&rest[..at]);
        let marks = review.and_then(|r| r.table(&table.id));
        figure::table(&mut page, table, content, digits, links, marks);
        rest = &rest[at + marker.len()..];
    }
    page.push_str(rest);
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_print_edition_keeps_the_narrow_layout_of_charts() {
        let page = "<main><article id=\"s\"><svg class=\"chart-svg\"><title>t</title><g class=\"wide\"><text>w</text></g><g class=\"narrow\"><text>n</text></g></svg></article></main>";
        assert_eq!(
            article_of(page).unwrap(),
            "<article id=\"s\"><svg class=\"chart-svg\"><title>t</title><g class=\"narrow\"><text>n</text></g></svg></article>"
        );
        assert!(article_of("<main></main>").is_err());
    }
}
