//! The model as one page shows it: every URL made for that page. The model holds routes; a
//! `Linker` turns them into links from the page being rendered (relative, or absolute where
//! the site or the page needs it), and Markdown is rendered here for the same reason.

use crate::markdown;
use crate::model::{
    CorrectionNote, DiscrepancyNote, DownloadModel, FindingNote, LinkModel, PdfLink,
    ReviewCorrection, SectionModel, TocEntry, YearModel,
};
use crate::routes::{Route, Routes};
use serde::Serialize;

/// Links from one page.
pub struct Linker<'a> {
    routes: &'a Routes,
    from: &'a Route,
}

impl<'a> Linker<'a> {
    pub fn new(routes: &'a Routes, from: &'a Route) -> Linker<'a> {
        Linker { routes, from }
    }

    pub fn to(&self, route: &Route) -> String {
        self.routes.link(self.from, route)
    }

    pub fn to_anchor(&self, route: &Route, anchor: &str) -> String {
        self.routes.link_to(self.from, route, anchor)
    }

    /// Markdown with its paths from the site root linked from this page.
    pub fn markdown(&self, text: &str) -> String {
        markdown::to_html(text, &|path| self.routes.path_link(self.from, path))
    }
}

/// An item of the model with its URL from the page.
#[derive(Serialize)]
pub struct Linked<'a, T> {
    #[serde(flatten)]
    item: &'a T,
    url: String,
}

#[derive(Serialize)]
#[serde(untagged)]
pub enum YearContext<'a> {
    /// The year page, the review page and the print edition: the table of contents, every
    /// discrepancy and correction.
    Whole(YearView<'a>),
    /// Other pages of the year.
    Head(YearHead<'a>),
}

#[derive(Serialize)]
pub struct YearView<'a> {
    #[serde(flatten)]
    model: &'a YearModel,
    url: String,
    review_url: String,
    print_url: String,
    foreword_html: String,
    toc: Vec<Linked<'a, TocEntry>>,
    discrepancies: Vec<Linked<'a, DiscrepancyNote>>,
    corrections: Vec<Linked<'a, ReviewCorrection>>,
    open_findings: Vec<Linked<'a, FindingNote>>,
    data_package: Option<Linked<'a, DownloadModel>>,
    pdf: Option<Linked<'a, PdfLink>>,
}

#[derive(Serialize)]
pub struct YearHead<'a> {
    year: u32,
    url: String,
    review_url: String,
    title: &'a str,
    foreword_html: String,
    foreword_signature: Option<&'a str>,
    draft: bool,
}

pub fn whole_year<'a>(model: &'a YearModel, links: &Linker) -> YearContext<'a> {
    YearContext::Whole(YearView {
        model,
        url: links.to(&Route::Year(model.year)),
        review_url: links.to(&Route::Review(model.year)),
        print_url: links.to(&Route::Print(model.year)),
        foreword_html: foreword_html(model, links),
        toc: model
            .toc
            .iter()
            .map(|entry| Linked {
                item: entry,
                url: links.to(&entry.route),
            })
            .collect(),
        discrepancies: model
            .discrepancies()
            .map(|d| Linked {
                item: d,
                url: links.to_anchor(&d.route, &d.anchor),
            })
            .collect(),
        corrections: model
            .corrections
            .iter()
            .map(|c| Linked {
                item: c,
                url: match &c.target {
                    Some(anchor) => links.to_anchor(&c.route, anchor),
                    None => links.to(&c.route),
                },
            })
            .collect(),
        open_findings: model
            .open_findings()
            .map(|f| Linked {
                item: f,
                url: links.to_anchor(&f.route, &f.anchor),
            })
            .collect(),
        data_package: model.data_package.as_ref().map(|package| Linked {
            item: package,
            url: links.to(&package.route),
        }),
        pdf: model.pdf.as_ref().map(|pdf| Linked {
            item: pdf,
            url: links.to(&pdf.file.route),
        }),
    })
}

/// The year's head for one of its section pages; the foreword only where the page shows it.
pub fn year_head<'a>(model: &'a YearModel, links: &Linker, foreword: bool) -> YearContext<'a> {
    YearContext::Head(YearHead {
        year: model.year,
        url: links.to(&Route::Year(model.year)),
        review_url: links.to(&Route::Review(model.year)),
        title: &model.title,
        foreword_html: if foreword {
            foreword_html(model, links)
        } else {
            String::new()
        },
        foreword_signature: model.foreword_signature.as_deref(),
        draft: model.draft,
    })
}

fn foreword_html(model: &YearModel, links: &Linker) -> String {
    model
        .foreword
        .as_deref()
        .map_or_else(String::new, |f| links.markdown(f))
}

#[derive(Serialize)]
pub struct SectionView<'a> {
    #[serde(flatten)]
    model: &'a SectionModel,
    url: String,
    body_html: Option<String>,
    prev: Option<Linked<'a, LinkModel>>,
    next: Option<Linked<'a, LinkModel>>,
    /// One placeholder per table, in order.
    tables: Vec<String>,
    overview_html: Option<String>,
    /// Corrections of the section's own fields that were the report's misprints.
    misprints: Vec<&'a CorrectionNote>,
}

pub fn placeholder(index: usize) -> String {
    format!("<!--karnameh:table:{index}-->")
}

pub fn section_view<'a>(
    model: &'a SectionModel,
    links: &Linker,
    overview_html: Option<String>,
) -> SectionView<'a> {
    let link = |l: &'a Option<LinkModel>| {
        l.as_ref().map(|item| Linked {
            item,
            url: links.to(&item.route),
        })
    };
    SectionView {
        model,
        url: links.to(&model.route),
        body_html: model.body.as_deref().map(|b| links.markdown(b)),
        prev: link(&model.prev),
        next: link(&model.next),
        tables: (0..model.tables.len()).map(placeholder).collect(),
        overview_html,
        misprints: model
            .corrections
            .iter()
            .filter(|c| c.reader_note.is_some())
            .collect(),
    }
}
