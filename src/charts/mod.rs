//! Charts drawn at build time as inline SVG, in a wide and a narrow layout that fit any width
//! (see `svg`). Drawing (`bars`, `heatmap`, `svg`, `scale`, `text`) never sees content; one module per table kind turns a table into charts
//! (`plan_actual`, `achievement`, `share`, `crosstab`, `pass_fail`), and `describe` writes
//! their Persian titles and descriptions.

mod achievement;
mod bars;
mod crosstab;
mod describe;
mod heatmap;
mod names;
mod pass_fail;
mod plan_actual;
mod scale;
pub mod series;
mod share;
mod svg;
mod text;

use crate::config::DigitStyle;
use crate::content::{Cell, Row, SectionFile, Table, TableKind};
use crate::numfmt::{format_number, format_percent, localize_digits};
use bars::{BarChart, Series};
use names::{RowName, row_names};
use rayon::prelude::*;
use serde::Serialize;
pub use svg::Layout;
use svg::{Color, WHITE};
pub(crate) use svg::{escape_into, push_num};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chart {
    pub id: String,
    pub title: String,
    /// The chart's `<svg>`, and those that continue its narrow layout (see `svg::render`).
    pub svg: String,
    /// Colour keys, shown in HTML above the chart: one list for both layouts, and real text.
    pub legend: Vec<LegendItem>,
    /// Names of numbered columns (heat maps), in order.
    pub keys: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LegendItem {
    pub color: String,
    pub label: String,
}

type Result<T> = std::result::Result<T, String>;

/// Tables with more rows than this get no chart: a bar per row would be unreadable.
pub const MAX_CHART_ROWS: usize = 200;

/// The charts of one section: per table (in the section's order), and its overview.
#[derive(Debug, Clone, Default)]
pub struct SectionCharts {
    pub tables: Vec<Vec<Chart>>,
    pub overview: Option<Chart>,
}

impl SectionCharts {
    pub fn count(&self) -> usize {
        self.tables.iter().map(Vec::len).sum::<usize>() + usize::from(self.overview.is_some())
    }
}

/// The charts stage for one section: its tables' charts (in parallel) and its overview.
pub fn section_charts(
    slug: &str,
    section: &SectionFile,
    digits: DigitStyle,
) -> Result<SectionCharts> {
    let tables = section
        .tables
        .par_iter()
        .map(|t| table_charts(t, digits).map_err(|e| format!("chart of table {}: {e}", t.id)))
        .collect::<Result<Vec<_>>>()?;
    let overview = if section.overview_chart {
        achievement::overview_chart(slug, section, Fmt { digits })
            .map_err(|e| format!("overview chart: {e}"))?
    } else {
        None
    };
    Ok(SectionCharts { tables, overview })
}

/// The charts of one table, by its kind and its `chart` settings.
pub fn table_charts(table: &Table, digits: DigitStyle) -> Result<Vec<Chart>> {
    let settings = table.chart.clone().unwrap_or_default();
    if settings.off || table.value_rows().count() > MAX_CHART_ROWS {
        return Ok(Vec::new());
    }
    let f = Fmt { digits };
    let one = |chart: Option<Chart>| chart.into_iter().collect();
    Ok(match table.kind {
        TableKind::PlanActual => plan_actual::charts(table, &settings, f)?,
        TableKind::Activities => one(achievement::chart(table, &settings, f, 0)?),
        TableKind::Share => one(share::chart(table, f)?),
        TableKind::Crosstab => one(crosstab::chart(table, f)?),
        TableKind::PassFail => one(pass_fail::chart(table, f)?),
        TableKind::Narrative | TableKind::NoData | TableKind::List => Vec::new(),
    })
}

/// How a chart writes its numbers: the site's digits.
#[derive(Clone, Copy)]
struct Fmt {
    digits: DigitStyle,
}

impl Fmt {
    fn num(self, v: f64) -> String {
        format_number(v, None, self.digits)
    }
    fn pct(self, v: f64) -> String {
        format_percent(v.round(), self.digits)
    }
    /// A percentage as printed, without rounding.
    fn pct_exact(self, v: f64) -> String {
        format_percent(v, self.digits)
    }
    fn count(self, n: usize) -> String {
        localize_digits(&n.to_string(), self.digits)
    }
}

fn text_cell(row: &Row, index: usize) -> Option<&str> {
    match row.values.get(index) {
        Some(Cell::Text(t)) if !t.trim().is_empty() => Some(t.as_str()),
        _ => None,
    }
}

fn series(name: &str, color: Color) -> Series {
    Series {
        name: name.to_string(),
        color,
        on_color: WHITE,
    }
}

fn legend(series: &[Series]) -> Vec<LegendItem> {
    series
        .iter()
        .map(|s| LegendItem {
            color: s.color.hex(),
            label: s.name.clone(),
        })
        .collect()
}

/// The chart's SVG and its legend: its series, and `extra` colour keys (the side column's).
fn draw_bars(
    chart: &BarChart,
    id: String,
    title: String,
    desc: String,
    extra: Vec<LegendItem>,
) -> Chart {
    let svg = chart.render(&svg::Accessible {
        id: &id,
        title: &title,
        desc: &desc,
    });
    let mut legend = legend(&chart.series);
    legend.extend(extra);
    Chart {
        legend,
        keys: Vec::new(),
        id,
        title,
        svg,
    }
}

/// A row's name and its value.
type Named = (String, f64);

/// The highest and the lowest of `items`.
fn extremes(items: &[Named]) -> Option<(Named, Named)> {
    let max = items.iter().max_by(|a, b| a.1.total_cmp(&b.1))?;
    let min = items.iter().min_by(|a, b| a.1.total_cmp(&b.1))?;
    Some((max.clone(), min.clone()))
}

#[cfg(test)]
mod tests;
