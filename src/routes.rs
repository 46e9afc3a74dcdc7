//! Every page and file of the site: its URL (absolute, under the base path, or relative to
//! another page) and its path in the output folder, from one table. The model, the renderer
//! and the writer all ask here; nothing else builds a URL.

use std::path::PathBuf;

/// A page or generated file of the site.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Route {
    /// The root page: every year, latest first.
    Root,
    /// The page served for unknown URLs.
    NotFound,
    /// A year's title page, foreword and table of contents.
    Year(u32),
    /// A year's acknowledged discrepancies.
    Review(u32),
    /// One entry of a year's page index.
    Section(u32, String),
    /// A year's printed edition, when the site makes it (`pdf = true`).
    Pdf(u32),
    /// A file at the site root, e.g. `style.css`.
    File(String),
}

/// The kind of page a route is: it decides the template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Root,
    NotFound,
    Year,
    Review,
    Section,
}

impl PageKind {
    pub fn template(self) -> &'static str {
        match self {
            PageKind::Root => "index.html",
            PageKind::NotFound => "404.html",
            PageKind::Year => "year.html",
            PageKind::Review => "review.html",
            PageKind::Section => "section.html",
        }
    }
}

impl Route {
    /// The kind of page, or `None` for a file that is not a page.
    pub fn page_kind(&self) -> Option<PageKind> {
        match self {
            Route::Root => Some(PageKind::Root),
            Route::NotFound => Some(PageKind::NotFound),
            Route::Year(_) => Some(PageKind::Year),
            Route::Review(_) => Some(PageKind::Review),
            Route::Section(..) => Some(PageKind::Section),
            Route::Pdf(_) | Route::File(_) => None,
        }
    }

    pub fn year(&self) -> Option<u32> {
        match self {
            Route::Year(y) | Route::Review(y) | Route::Section(y, _) | Route::Pdf(y) => Some(*y),
            _ => None,
        }
    }

    /// The route's path below the site root, as in its URL: `1400/summary/`, `404.html`.
    fn path(&self) -> String {
        match self {
            Route::Root => String::new(),
            Route::NotFound => "404.html".to_string(),
            Route::Year(y) => format!("{y}/"),
            Route::Review(y) => format!("{y}/review/"),
            Route::Section(y, slug) => format!("{y}/{slug}/"),
            Route::Pdf(y) => format!("{y}/{}", pdf_file_name(*y)),
            Route::File(name) => name.clone(),
        }
    }

    /// The folder a page's relative links start from.
    fn folder(&self) -> String {
        let path = self.path();
        match path.rfind('/') {
            Some(i) => path[..=i].to_string(),
            None => String::new(),
        }
    }
}

/// The printed edition's file name, `report-1400.pdf`: what a reader's download is called.
pub fn pdf_file_name(year: u32) -> String {
    format!("report-{year}.pdf")
}

/// The URLs of one site: its base path (`/`, `/reports/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Routes {
    base_path: String,
}

impl Routes {
    /// `base_path` starts and ends with `/` (see `config::base_path`).
    pub fn new(base_path: &str) -> Routes {
        Routes {
            base_path: base_path.to_string(),
        }
    }

    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// `/reports/1400/summary/`.
    pub fn url(&self, route: &Route) -> String {
        format!("{}{}", self.base_path, route.path())
    }

    /// `/reports/1400/summary/#T010-3`.
    pub fn url_to(&self, route: &Route, anchor: &str) -> String {
        format!("{}#{anchor}", self.url(route))
    }

    /// The file in the output folder: `1400/summary/index.html`.
    pub fn output_path(&self, route: &Route) -> PathBuf {
        let path = route.path();
        if path.is_empty() || path.ends_with('/') {
            PathBuf::from(format!("{path}index.html"))
        } else {
            PathBuf::from(path)
        }
    }

    /// The URL of `to` relative to the page `from`: `../summary/`, `../../style.css`, `./`.
    pub fn relative(&self, from: &Route, to: &Route) -> String {
        let folder = from.folder();
        let depth = folder.matches('/').count();
        let url = format!("{}{}", "../".repeat(depth), to.path());
        if url.is_empty() {
            "./".to_string()
        } else {
            url
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section() -> Route {
        Route::Section(1400, "summary".into())
    }

    #[test]
    fn urls_start_at_the_base_path_and_files_end_in_index_html() {
        let routes = Routes::new("/reports/");
        assert_eq!(routes.url(&Route::Root), "/reports/");
        assert_eq!(routes.url(&section()), "/reports/1400/summary/");
        assert_eq!(routes.url(&Route::Review(1400)), "/reports/1400/review/");
        assert_eq!(
            routes.url_to(&section(), "T010-3"),
            "/reports/1400/summary/#T010-3"
        );
        assert_eq!(
            routes.url(&Route::File("style.css".into())),
            "/reports/style.css"
        );
        assert_eq!(
            routes.output_path(&Route::Root),
            PathBuf::from("index.html")
        );
        assert_eq!(
            routes.output_path(&section()),
            PathBuf::from("1400/summary/index.html")
        );
        assert_eq!(
            routes.output_path(&Route::NotFound),
            PathBuf::from("404.html")
        );
        assert_eq!(
            routes.url(&Route::Pdf(1400)),
            "/reports/1400/report-1400.pdf"
        );
        assert_eq!(
            routes.output_path(&Route::Pdf(1400)),
            PathBuf::from("1400/report-1400.pdf")
        );
    }

    #[test]
    fn relative_urls_climb_out_of_the_pages_folder() {
        let routes = Routes::new("/");
        let css = Route::File("style.css".into());
        assert_eq!(routes.relative(&section(), &css), "../../style.css");
        assert_eq!(
            routes.relative(&section(), &Route::Year(1400)),
            "../../1400/"
        );
        assert_eq!(
            routes.relative(&Route::Year(1400), &section()),
            "../1400/summary/"
        );
        assert_eq!(routes.relative(&Route::Root, &Route::Root), "./");
        assert_eq!(routes.relative(&Route::Root, &css), "style.css");
        assert_eq!(
            routes.relative(&Route::NotFound, &Route::Year(1400)),
            "1400/"
        );
    }

    #[test]
    fn each_page_kind_has_its_template() {
        assert_eq!(
            section().page_kind().map(PageKind::template),
            Some("section.html")
        );
        assert_eq!(Route::File("a".into()).page_kind(), None);
        assert_eq!(Route::Review(1401).year(), Some(1401));
    }
}
