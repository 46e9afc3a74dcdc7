//! What each template sees: `site` (its title and years), and where relevant `year` (all of it
//! on the year's own pages, its head elsewhere) and `section`. Tables reach a section page as
//! placeholders that `fill_tables` replaces with their figures.

use super::figure;
use crate::config::DigitStyle;
use crate::load::LoadedSection;
use crate::model::{CorrectionNote, SectionModel, YearModel};
use crate::routes::Route;
use crate::state::{SiteState, YearState};
use anyhow::{Result, anyhow, bail};
use serde::Serialize;

#[derive(Serialize)]
pub struct Page<'a> {
    site: SiteHead<'a>,
    year: Option<YearContext<'a>>,
    section: Option<SectionView<'a>>,
    /// The print edition: one placeholder per section, in order (see `fill_sections`).
    sections: Vec<String>,
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
    /// The year page, the review page and the print edition: all of the year's head.
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
    /// Corrections of the section's own fields that were the report's misprints.
    misprints: Vec<&'a CorrectionNote>,
}

fn placeholder(index: usize) -> String {
    format!("<!--karnameh:table:{index}-->")
}

fn section_placeholder(index: usize) -> String {
    format!("<!--karnameh:section:{index}-->")
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
            sections: Vec::new(),
            parts: None,
        };
        match (route, year) {
            (Route::Year(_) | Route::Review(_), Some(year)) => {
                page.year = Some(YearContext::Whole(&year.model));
            }
            (Route::Print(_), Some(year)) => {
                page.year = Some(YearContext::Whole(&year.model));
                page.sections = (0..year.model.sections.len())
                    .map(section_placeholder)
                    .collect();
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
        misprints: model
            .corrections
            .iter()
            .filter(|c| c.reader_note.is_some())
            .collect(),
    }
}

/// The print edition: its frame with each section's placeholder replaced by the section's
/// `<article>`, as its own page has it.
pub fn fill_sections(frame: String, articles: &[String]) -> Result<String> {
    let mut page =
        String::with_capacity(frame.len() + articles.iter().map(String::len).sum::<usize>());
    let mut rest = frame.as_str();
    for (index, article) in articles.iter().enumerate() {
        let marker = section_placeholder(index);
        let Some(at) = rest.find(&marker) else {
            bail!(
                "it must print every entry of `sections`, in order (section {} is missing)",
                index + 1
            );
        };
        page.push_str(&rest[..at]);
        page.push_str(article);
        rest = &rest[at + marker.len()..];
    }
    page.push_str(rest);
    Ok(page)
}

/// The `<article>` of a rendered section page as the print edition holds it: its charts in
/// their narrow layout only, the one print shows (a third of the edition's bytes less).
pub fn article_of(page: &str) -> Result<String> {
    let start = page.find("<article");
    let end = page.rfind("</article>");
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
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        match rest[at..].find("</g>") {
            Some(end) => rest = &rest[at + end + "</g>".len()..],
            None => break,
        }
    }
    out.push_str(rest);
    out
}

/// The section page: its frame with each table's placeholder replaced by the table's figure.
pub fn fill_tables(
    frame: String,
    model: &SectionModel,
    loaded: &LoadedSection,
    digits: DigitStyle,
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
        figure::table(&mut page, table, content, digits);
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
