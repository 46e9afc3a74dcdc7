//! Rendering pages: the theme's Tera templates (parsed once) give each page its frame, and the
//! tables and charts are written into it by `figure`. Each page's context holds only what that
//! page shows, so a page costs the same however many pages the site has.

mod context;
pub mod figure;
mod filters;
pub mod html;
mod links;
pub mod review;
mod yoy;

use crate::config::DigitStyle;
use crate::model::SectionModel;
use crate::routes::{PageKind, Route};
use crate::state::SiteState;
use anyhow::{Result, anyhow};
use review::PageReview;
use std::path::Path;
use tera::Tera;

/// Templates every theme must provide.
pub const REQUIRED_TEMPLATES: [&str; 9] = [
    "index.html",
    "year.html",
    "section.html",
    "review.html",
    "search.html",
    "print.html",
    "404.html",
    "series.html",
    "years.js",
];

/// Which view of the site pages show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    /// What readers see: the published site.
    #[default]
    Published,
    /// The reviewer view: every `check` finding marked where it applies (see [`review`]).
    Review,
}

pub struct Renderer {
    tera: Tera,
    digits: DigitStyle,
    view: View,
}

impl Renderer {
    /// Parses every template of `themes/<theme>/templates` once.
    pub fn new(theme_dir: &Path, digits: DigitStyle) -> Result<Renderer> {
        let templates = theme_dir.join("templates");
        if !templates.is_dir() {
            return Err(anyhow!(
                "theme folder {} has no templates/ folder",
                theme_dir.display()
            ));
        }
        let glob = format!("{}/**/*.{{html,js}}", templates.display());
        let mut tera = Tera::new(&glob)
            .map_err(|e| anyhow!("{}: {}", templates.display(), error_chain(&e)))?;
        for name in REQUIRED_TEMPLATES {
            if !tera.get_template_names().any(|n| n == name) {
                return Err(anyhow!(
                    "template `{name}` is missing from {}",
                    templates.display()
                ));
            }
        }
        tera.register_filter("num", filters::NumberFilter { digits });
        tera.register_filter("digits", filters::DigitsFilter { digits });
        tera.register_filter("css_string", filters::css_string);
        tera.register_filter("filesize", filters::SizeFilter { digits });
        tera.autoescape_on(vec![".html"]);
        Ok(Renderer {
            tera,
            digits,
            view: View::Published,
        })
    }

    /// The same templates, rendering `view`.
    pub fn with_view(self, view: View) -> Renderer {
        Renderer { view, ..self }
    }

    /// The print edition of `year`: its frame with the `<article>` of each section page (in
    /// order; see `context::article_of`).
    pub fn render_print(
        &self,
        state: &SiteState,
        year: u32,
        articles: Vec<String>,
    ) -> Result<String> {
        let frame = self.print_frame(state, year)?;
        context::fill_sections(&frame, articles).map_err(|e| anyhow!("template `print.html`: {e}"))
    }

    /// The print edition of `year` without its sections: a placeholder where each goes (see
    /// [`Renderer::print_pieces`]).
    pub fn print_frame(&self, state: &SiteState, year: u32) -> Result<String> {
        self.render_with(state, &Route::Print(year), None)
    }

    /// The print edition's frame cut at its sections' placeholders: `sections + 1` pieces, the
    /// edition being the pieces with the sections' articles in between.
    pub fn print_pieces(frame: &str, sections: usize) -> Result<Vec<&str>> {
        context::split_sections(frame, sections).map_err(|e| anyhow!("template `print.html`: {e}"))
    }

    /// The `<article>` of a rendered section page, as the print edition holds it.
    pub fn article_of(page: &str) -> Result<String> {
        context::article_of(page)
    }

    /// The HTML of one page of the site.
    pub fn render(&self, state: &SiteState, route: &Route) -> Result<String> {
        self.render_with(state, route, None)
    }

    /// The HTML of one page; a section page shows `section` instead of the state's model of it
    /// when given (see [`crate::state::ChartsHeld`]).
    pub fn render_with(
        &self,
        state: &SiteState,
        route: &Route,
        section: Option<&SectionModel>,
    ) -> Result<String> {
        let kind = route
            .page_kind()
            .ok_or_else(|| anyhow!("{route:?} is not a page"))?;
        let template = kind.template();
        let page = context::Page::of(state, route, section)?;
        let fail = |e: tera::Error| {
            anyhow!(
                "rendering {} with template `{template}`: {}",
                state.routes.output_path(route).display(),
                error_chain(&e)
            )
        };
        let context = tera::Context::from_serialize(&page).map_err(fail)?;
        let frame = self.tera.render(template, &context).map_err(fail)?;
        let review = match self.view {
            View::Review => PageReview::of(state, route, self.digits),
            View::Published => None,
        };
        let html = match (kind, page.section_parts()) {
            (PageKind::Section, Some((section, loaded))) => {
                let links = links::Linker::new(&state.routes, route);
                context::fill_tables(frame, section, loaded, self.digits, &links, review.as_ref())
                    .map_err(|e| anyhow!("template `{template}`: {e}"))?
            }
            _ => frame,
        };
        Ok(match &review {
            Some(review) => review::insert(html, review.panel()),
            None => html,
        })
    }
}

/// Tera's errors nest the useful part (the template line) in their sources.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut parts = vec![error.to_string()];
    let mut source = error.source();
    while let Some(e) = source {
        parts.push(e.to_string());
        source = e.source();
    }
    parts.join(": ")
}
