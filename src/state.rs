//! The held state of a build: each year's stage outputs, kept so that `serve` can recompute
//! what one changed file affects. A plain struct of stage outputs; the stages themselves live
//! in their own modules and `pipeline` runs them.

use crate::check::YearFindings;
use crate::config::SiteConfig;
use crate::export::YearExports;
use crate::load::LoadedYear;
use crate::model::YearModel;
use crate::model::series::SeriesModel;
use crate::routes::{Route, Routes};
use std::path::PathBuf;

pub struct SiteState {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub routes: Routes,
    /// In year order.
    pub years: Vec<YearState>,
    /// Every series that two years or more have, with its charts.
    pub series: Vec<SeriesModel>,
    pub charts: ChartsHeld,
}

/// Where charts are kept between stages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartsHeld {
    /// In the model, drawn once: what `serve` wants, to redraw only what changed.
    InModel,
    /// Drawn for each section page as it is rendered and dropped with it: a one-shot build of
    /// a big site never holds every chart at once.
    WhenRendered,
}

/// One year, stage by stage.
pub struct YearState {
    pub loaded: LoadedYear,
    pub findings: YearFindings,
    /// The downloads: every table's files and the data package.
    pub exports: YearExports,
    /// The render model; the charts are inside it.
    pub model: YearModel,
    /// The printed edition, typeset when the site has `pdf = true`.
    pub pdf: Option<Vec<u8>>,
}

impl SiteState {
    /// `themes/<theme>` of the site.
    pub fn theme_dir(&self) -> PathBuf {
        self.root.join("themes").join(&self.config.theme)
    }

    /// The folders whose files are copied to the site's root: the theme's, then the site's
    /// own (which win).
    pub fn static_dirs(&self) -> [PathBuf; 2] {
        [self.theme_dir().join("static"), self.root.join("static")]
    }

    pub fn year(&self, year: u32) -> Option<&YearState> {
        self.years.iter().find(|y| y.loaded.meta.year == year)
    }

    /// Every page the build renders, in a fixed order: a frozen year's pages are not
    /// rendered, its archive holds them.
    pub fn page_routes(&self) -> Vec<Route> {
        let mut routes = self.site_routes();
        for year in self.years.iter().filter(|y| y.loaded.frozen.is_none()) {
            routes.extend(year.page_routes());
        }
        routes
    }

    /// The pages at the site root: they change with every year added.
    pub fn site_routes(&self) -> Vec<Route> {
        let mut routes = vec![Route::Root, Route::NotFound, Route::YearsScript];
        routes.extend(self.series.iter().map(|s| Route::Series(s.key.clone())));
        routes
    }

    pub fn series(&self, key: &crate::content::SeriesKey) -> Option<&SeriesModel> {
        self.series.iter().find(|s| &s.key == key)
    }

    /// Every generated file that is not a page (the downloads), with its bytes; a frozen
    /// year's are in its archive.
    pub fn files(&self) -> impl Iterator<Item = (Route, &[u8])> {
        self.years
            .iter()
            .filter(|y| y.loaded.frozen.is_none())
            .flat_map(|y| y.files())
    }

    /// The search files the build makes (`pipeline::search_file`), in a fixed order: the
    /// client, and each year's index but a frozen year's (its archive holds it).
    pub fn search_routes(&self) -> Vec<Route> {
        let mut routes = vec![Route::SearchClient];
        routes.extend(
            self.years
                .iter()
                .filter(|y| y.loaded.frozen.is_none())
                .map(|y| Route::SearchIndex(y.year())),
        );
        routes
    }

    /// The years the client can search: each year with an index in the output (a frozen
    /// year's archive may predate search).
    pub fn searchable_years(&self) -> Vec<u32> {
        self.years
            .iter()
            .filter(|y| match &y.loaded.frozen {
                None => true,
                Some(frozen) => {
                    let index = self.routes.output_path(&Route::SearchIndex(y.year()));
                    frozen
                        .archive
                        .site_files()
                        .any(|(path, _)| std::path::Path::new(path) == index)
                }
            })
            .map(YearState::year)
            .collect()
    }

    /// The bytes of a generated file.
    pub fn file(&self, route: &Route) -> Option<&[u8]> {
        let year = self.year(route.year()?)?;
        match route {
            Route::Pdf(_) => year.pdf.as_deref(),
            _ => year.exports.file(route),
        }
    }

    pub fn findings(&self) -> impl Iterator<Item = &crate::diagnostics::Finding> {
        self.years.iter().flat_map(|y| y.findings.iter())
    }

    pub fn chart_count(&self) -> usize {
        let series: usize = self
            .series
            .iter()
            .flat_map(|s| &s.columns)
            .filter(|c| c.chart.is_some())
            .count();
        self.years
            .iter()
            .flat_map(|y| &y.model.sections)
            .map(|s| s.chart_count())
            .sum::<usize>()
            + series
    }

    pub fn table_count(&self) -> usize {
        self.years.iter().map(|y| y.model.table_count).sum()
    }
}

impl YearState {
    pub fn year(&self) -> u32 {
        self.loaded.meta.year
    }

    /// The year's generated files that are not pages: its downloads and its PDF.
    pub fn files(&self) -> impl Iterator<Item = (Route, &[u8])> {
        let pdf = self
            .pdf
            .as_deref()
            .map(|bytes| (Route::Pdf(self.year()), bytes));
        self.exports.files().chain(pdf)
    }

    /// The year page, its review, print and search pages and one page per section.
    pub fn page_routes(&self) -> Vec<Route> {
        let y = self.year();
        let mut routes = vec![
            Route::Year(y),
            Route::Review(y),
            Route::Print(y),
            Route::Search(y),
        ];
        routes.extend(
            self.loaded
                .sections
                .iter()
                .map(|s| Route::Section(y, s.slug.clone())),
        );
        routes
    }
}
