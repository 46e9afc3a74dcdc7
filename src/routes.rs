//! Every page and file of the site: its URL (absolute, under the base path, or relative to
//! another page) and its path in the output folder, from one table. The model, the renderer
//! and the writer all ask here; nothing else builds a URL.

use crate::ids::TableId;
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
    /// A file at the site root, e.g. `style.css`.
    File(String),
    /// One table's data in one format: `1400/T010.csv`.
    TableFile(u32, TableId, DataFormat),
    /// A year's data package: every table's files and `datapackage.json`, zipped.
    DataPackage(u32),
}

/// The formats each table is offered in for download.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DataFormat {
    Csv,
    Xlsx,
    Json,
}

impl DataFormat {
    /// In the order the page offers them.
    pub const ALL: [DataFormat; 3] = [DataFormat::Csv, DataFormat::Xlsx, DataFormat::Json];

    pub fn extension(self) -> &'static str {
        match self {
            DataFormat::Csv => "csv",
            DataFormat::Xlsx => "xlsx",
            DataFormat::Json => "json",
        }
    }

    /// The name readers know the format by.
    pub fn label(self) -> &'static str {
        match self {
            DataFormat::Csv => "CSV",
            DataFormat::Xlsx => "XLSX",
            DataFormat::Json => "JSON",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            DataFormat::Csv => "text/csv",
            DataFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            DataFormat::Json => "application/json",
        }
    }
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
            Route::File(_) | Route::TableFile(..) | Route::DataPackage(_) => None,
        }
    }

    pub fn year(&self) -> Option<u32> {
        match self {
            Route::Year(y) | Route::Review(y) | Route::Section(y, _) => Some(*y),
            Route::TableFile(y, ..) | Route::DataPackage(y) => Some(*y),
            _ => None,
        }
    }

    /// The name a downloaded file is saved under: unique across years (`1400-T010.csv`).
    pub fn download_name(&self) -> Option<String> {
        match self {
            Route::TableFile(y, id, format) => Some(format!("{y}-{id}.{}", format.extension())),
            Route::DataPackage(y) => Some(format!("{y}-data.zip")),
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
            Route::File(name) => name.clone(),
            // slugs hold no `.`: a data file never collides with a section's folder
            Route::TableFile(y, id, format) => format!("{y}/{id}.{}", format.extension()),
            Route::DataPackage(y) => format!("{y}/{y}-data.zip"),
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
        assert_eq!(Route::DataPackage(1400).page_kind(), None);
    }

    #[test]
    fn data_files_sit_in_the_year_folder_and_download_under_unique_names() {
        let routes = Routes::new("/reports/");
        let id = TableId::try_from("T010".to_string()).unwrap();
        let csv = Route::TableFile(1400, id, DataFormat::Csv);
        assert_eq!(routes.url(&csv), "/reports/1400/T010.csv");
        assert_eq!(routes.output_path(&csv), PathBuf::from("1400/T010.csv"));
        assert_eq!(csv.download_name().as_deref(), Some("1400-T010.csv"));
        assert_eq!(routes.relative(&section(), &csv), "../../1400/T010.csv");
        let zip = Route::DataPackage(1400);
        assert_eq!(routes.url(&zip), "/reports/1400/1400-data.zip");
        assert_eq!(zip.download_name().as_deref(), Some("1400-data.zip"));
        assert_eq!(csv.year(), Some(1400));
    }
}
