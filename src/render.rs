//! Rendering the model through the theme's Tera templates, parsed once, pages in parallel.

use crate::config::DigitStyle;
use crate::model::{SectionModel, SiteModel, YearModel};
use crate::numfmt::{format_number, format_percent, localize_digits};
use anyhow::{Context as _, Result, anyhow};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use tera::{Context, Tera, Value};

/// Templates every theme must provide.
pub const REQUIRED_TEMPLATES: [&str; 5] = [
    "index.html",
    "year.html",
    "section.html",
    "review.html",
    "404.html",
];

/// A rendered file, relative to the output folder.
pub struct Page {
    pub path: PathBuf,
    pub html: String,
}

pub struct Renderer {
    tera: Tera,
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
        let glob = format!("{}/**/*.html", templates.display());
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
        tera.register_filter("num", NumberFilter { digits });
        tera.register_filter("digits", DigitsFilter { digits });
        tera.autoescape_on(vec![".html"]);
        Ok(Renderer { tera })
    }

    pub fn render_site(&self, site: &SiteModel) -> Result<Vec<Page>> {
        type Job<'m> = (
            PathBuf,
            &'static str,
            Option<&'m YearModel>,
            Option<&'m SectionModel>,
        );
        let mut jobs: Vec<Job> = vec![
            (PathBuf::from("index.html"), "index.html", None, None),
            (PathBuf::from("404.html"), "404.html", None, None),
        ];
        for year in &site.years {
            let dir = PathBuf::from(year.year.to_string());
            jobs.push((dir.join("index.html"), "year.html", Some(year), None));
            jobs.push((
                dir.join("review/index.html"),
                "review.html",
                Some(year),
                None,
            ));
            for section in &year.sections {
                let path = dir.join(&section.slug).join("index.html");
                jobs.push((path, "section.html", Some(year), Some(section)));
            }
        }
        // building a context serializes the page's model: it is half the work, so it runs in parallel too
        jobs.into_par_iter()
            .map(|(path, template, year, section)| {
                let ctx = context(site, year, section)?;
                let html = self.tera.render(template, &ctx).map_err(|e| {
                    anyhow!(
                        "rendering {} with template `{template}`: {}",
                        path.display(),
                        error_chain(&e)
                    )
                })?;
                Ok(Page { path, html })
            })
            .collect()
    }
}

/// What every template sees: `site`, and where relevant `year` and `section`.
#[derive(Serialize)]
struct PageContext<'a> {
    site: SiteHead<'a>,
    year: Option<&'a YearModel>,
    section: Option<&'a SectionModel>,
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

fn context(
    site: &SiteModel,
    year: Option<&YearModel>,
    section: Option<&SectionModel>,
) -> Result<Context> {
    let years: Vec<YearLink> = site
        .years
        .iter()
        .map(|y| YearLink {
            year: y.year,
            url: &y.url,
            title: &y.title,
        })
        .collect();
    let head = SiteHead {
        title: &site.title,
        organization: &site.organization,
        base_path: &site.base_path,
        latest: years.last().cloned(),
        years,
    };
    let page = PageContext {
        site: head,
        year,
        section,
    };
    Context::from_serialize(&page).context("building the template context")
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

/// `{{ value | num(ty="percent") }}`: a number in the site's digits and separators.
struct NumberFilter {
    digits: DigitStyle,
}

impl tera::Filter for NumberFilter {
    fn filter(&self, value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let Some(number) = value.as_f64() else {
            // text such as "-" or "حسب درخواست" in a numeric column is shown as printed
            return Ok(value.clone());
        };
        let ty = args.get("ty").and_then(Value::as_str).unwrap_or("integer");
        let text = match ty {
            "percent" => format_percent(number, self.digits),
            _ => format_number(number, None, self.digits),
        };
        Ok(Value::String(text))
    }

    fn is_safe(&self) -> bool {
        false
    }
}

/// `{{ page | digits }}`: ASCII digits of a number or text in the site's digits.
struct DigitsFilter {
    digits: DigitStyle,
}

impl tera::Filter for DigitsFilter {
    fn filter(&self, value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            other => {
                return Err(tera::Error::msg(format!(
                    "`digits` expects a number or text, got {other}"
                )));
            }
        };
        Ok(Value::String(localize_digits(&text, self.digits)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tera::Filter;

    #[test]
    fn number_filter_formats_percent_and_keeps_text() {
        let f = NumberFilter {
            digits: DigitStyle::Persian,
        };
        let mut args = HashMap::new();
        args.insert("ty".to_string(), Value::from("percent"));
        assert_eq!(
            f.filter(&Value::from(153), &args).unwrap(),
            Value::from("۱۵۳٪")
        );
        assert_eq!(
            f.filter(&Value::from("-"), &args).unwrap(),
            Value::from("-")
        );
        assert_eq!(
            f.filter(&Value::from(4245), &HashMap::new()).unwrap(),
            Value::from("۴٬۲۴۵")
        );
    }

    #[test]
    fn digits_filter_localizes_page_numbers() {
        let f = DigitsFilter {
            digits: DigitStyle::Persian,
        };
        assert_eq!(
            f.filter(&Value::from(25), &HashMap::new()).unwrap(),
            Value::from("۲۵")
        );
        assert_eq!(
            f.filter(&Value::from("2-1"), &HashMap::new()).unwrap(),
            Value::from("۲-۱")
        );
    }
}
