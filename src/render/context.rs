//! What each template sees: `site` (its title and years), and where relevant `year` (all of it
//! on the year's own pages, its head elsewhere) and `section`. Tables reach a section page as
//! placeholders that `fill_tables` replaces with their figures.

use super::figure;
use super::review::PageReview;
use crate::config::DigitStyle;
use crate::load::LoadedSection;
use crate::model::{SectionModel, YearModel};
use crate::routes::Route;
use crate::state::{SiteState, YearState};
use anyhow::{Result, anyhow, bail};
use serde::Serialize;

#[derive(Serialize)]
pub struct Page<'a> {
    site: SiteHead<'a>,
    year: Option<YearContext<'a>>,
    section: Option<SectionView<'a>>,
    #[serde(skip)]
    parts: Option<(&'a SectionModel, &'a LoadedSection)>,
}

/// The site without its years' content (pages link to years, they don't embed them).
#[derive(Serialize)]
struct SiteHead<'a> {
    title: &'a str,
    organization: &'a str,
    base_path: &'a str,
    years: Vec<YearLink<'a>>,
    latest: Option<YearLink<'a>>,
}

#[derive(Serialize, Clone)]
struct YearLink<'a> {
    year: u32,
    url: &'a str,
    title: &'a str,
}

#[derive(Serialize)]
#[serde(untagged)]
enum YearContext<'a> {
    /// The year page and the review page: the table of contents and every discrepancy.
    Whole(&'a YearModel),
    /// Other pages of the year.
    Head(YearHead<'a>),
}

#[derive(Serialize)]
struct YearHead<'a> {
    year: u32,
    url: &'a str,
    review_url: &'a str,
    title: &'a str,
    foreword_html: &'a str,
    foreword_signature: Option<&'a str>,
}

#[derive(Serialize)]
struct SectionView<'a> {
    #[serde(flatten)]
    model: &'a SectionModel,
    /// One placeholder per table, in order.
    tables: Vec<String>,
    overview_html: Option<String>,
}

fn placeholder(index: usize) -> String {
    format!("<!--karnameh:table:{index}-->")
}

impl<'a> Page<'a> {
    /// The context of `route`; a section page shows `section` when given (a model whose charts
    /// were drawn for this page only), else the state's model.
    pub fn of(
        state: &'a SiteState,
        route: &Route,
        section: Option<&'a SectionModel>,
    ) -> Result<Page<'a>> {
        let site = site_head(state);
        let year = match route.year() {
            Some(y) => Some(state.year(y).ok_or_else(|| anyhow!("no year {y}"))?),
            None => None,
        };
        let mut page = Page {
            site,
            year: None,
            section: None,
            parts: None,
        };
        match (route, year) {
            (Route::Year(_) | Route::Review(_), Some(year)) => {
                page.year = Some(YearContext::Whole(&year.model));
            }
            (Route::Section(_, slug), Some(year)) => {
                page.year = Some(YearContext::Head(year_head(&year.model)));
                let (held, loaded) = section_of(year, slug)?;
                let model = section.unwrap_or(held);
                page.section = Some(section_view(model));
                page.parts = Some((model, loaded));
            }
            _ => {}
        }
        Ok(page)
    }

    pub fn section_parts(&self) -> Option<(&'a SectionModel, &'a LoadedSection)> {
        self.parts
    }
}

fn site_head(state: &SiteState) -> SiteHead<'_> {
    let years: Vec<YearLink> = state
        .years
        .iter()
        .map(|y| YearLink {
            year: y.model.year,
            url: &y.model.url,
            title: &y.model.title,
        })
        .collect();
    SiteHead {
        title: &state.config.title,
        organization: &state.config.organization,
        base_path: state.routes.base_path(),
        latest: years.last().cloned(),
        years,
    }
}

fn year_head(model: &YearModel) -> YearHead<'_> {
    YearHead {
        year: model.year,
        url: &model.url,
        review_url: &model.review_url,
        title: &model.title,
        foreword_html: &model.foreword_html,
        foreword_signature: model.foreword_signature.as_deref(),
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

fn section_view(model: &SectionModel) -> SectionView<'_> {
    SectionView {
        model,
        tables: (0..model.tables.len()).map(placeholder).collect(),
        overview_html: model.overview.as_ref().map(|c| {
            let mut html = String::new();
            figure::chart(&mut html, c, None);
            html
        }),
    }
}

/// The section page: its frame with each table's placeholder replaced by the table's figure
/// (with its findings in the reviewer view).
pub fn fill_tables(
    frame: String,
    model: &SectionModel,
    loaded: &LoadedSection,
    digits: DigitStyle,
    review: Option<&PageReview>,
) -> Result<String> {
    let mut page = String::with_capacity(frame.len() + model.tables.len() * 16 * 1024);
    let mut rest = frame.as_str();
    for (index, (table, content)) in model.tables.iter().zip(&loaded.data.tables).enumerate() {
        let marker = placeholder(index);
        let Some(at) = rest.find(&marker) else {
            bail!(
                "it must print every entry of `section.tables`, in order (table {} is missing)",
                table.id
            );
        };
        page.push_str(&rest[..at]);
        let marks = review.and_then(|r| r.table(&table.id));
        figure::table(&mut page, table, content, digits, marks);
        rest = &rest[at + marker.len()..];
    }
    page.push_str(rest);
    Ok(page)
}
