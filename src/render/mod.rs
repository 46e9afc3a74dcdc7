//! Rendering pages: the theme's Tera templates (parsed once) give each page its frame, and the
//! tables and charts are written into it by `figure`. Each page's context holds only what that
//! page shows, so a page costs the same however many pages the site has.

mod context;
pub mod figure;
mod filters;
pub mod html;
mod links;
mod yoy;

use crate::config::DigitStyle;
use crate::model::SectionModel;
use crate::routes::{PageKind, Route};
use crate::state::SiteState;
use anyhow::{Result, anyhow};
use std::path::Path;
use tera::Tera;

/// Templates every theme must provide.
pub const REQUIRED_TEMPLATES: [&str; 7] = [
    "index.html",
    "year.html",
    "section.html",
    "review.html",
    "404.html",
    "series.html",
    "years.js",
];

pub struct Renderer {
    tera: Tera,
    digits: DigitStyle,
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
        tera.register_filter("filesize", filters::SizeFilter { digits });
        tera.autoescape_on(vec![".html"]);
        Ok(Renderer { tera, digits })
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
        match (kind, page.section_parts()) {
            (PageKind::Section, Some((section, loaded))) => {
                let links = links::Linker::new(&state.routes, route);
                context::fill_tables(frame, section, loaded, self.digits, &links)
                    .map_err(|e| anyhow!("template `{template}`: {e}"))
            }
            _ => Ok(frame),
        }
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
