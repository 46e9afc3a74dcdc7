//! The held state of a build: each year's stage outputs, kept so that `serve` can recompute
//! what one changed file affects. A plain struct of stage outputs; the stages themselves live
//! in their own modules and `pipeline` runs them.

use crate::check::YearFindings;
use crate::config::SiteConfig;
use crate::load::LoadedYear;
use crate::model::YearModel;
use crate::routes::{Route, Routes};
use std::path::PathBuf;

pub struct SiteState {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub routes: Routes,
    /// In year order.
    pub years: Vec<YearState>,
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
    /// The render model; the charts are inside it.
    pub model: YearModel,
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

    /// Every page of the site, in a fixed order.
    pub fn page_routes(&self) -> Vec<Route> {
        let mut routes = vec![Route::Root, Route::NotFound];
        for year in &self.years {
            routes.extend(year.page_routes());
        }
        routes
    }

    pub fn findings(&self) -> impl Iterator<Item = &crate::diagnostics::Finding> {
        self.years.iter().flat_map(|y| y.findings.iter())
    }

    pub fn chart_count(&self) -> usize {
        self.years
            .iter()
            .flat_map(|y| &y.model.sections)
            .map(|s| {
                s.tables.iter().map(|t| t.charts.len()).sum::<usize>()
                    + usize::from(s.overview.is_some())
            })
            .sum()
    }

    pub fn table_count(&self) -> usize {
        self.years.iter().map(|y| y.model.table_count).sum()
    }
}

impl YearState {
    pub fn year(&self) -> u32 {
        self.loaded.meta.year
    }

    /// The year page, its review page and one page per section.
    pub fn page_routes(&self) -> Vec<Route> {
        let y = self.year();
        let mut routes = vec![Route::Year(y), Route::Review(y)];
        routes.extend(
            self.loaded
                .sections
                .iter()
                .map(|s| Route::Section(y, s.slug.clone())),
        );
        routes
    }
}
