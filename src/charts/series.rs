//! A series over the years: per row, one bar per year (oldest at the top), so a reader sees
//! each row's figures side by side. A year without the row draws no bar and says so.

use super::bars::{BarChart, BarRow, Segment, Stacking};
use super::svg::{Color, DARK_BLUE, ORANGE, SLATE};
use super::{Chart, Fmt, Result, draw_bars, scale, series};
use crate::config::DigitStyle;

/// One row of the chart: its label and its figure in each year (`None`: not a number, or the
/// year lacks the row).
pub struct YearRow {
    pub label: String,
    pub values: Vec<Option<f64>>,
}

/// Colours by age, oldest first: the latest year is dark blue. Each ≥ 3:1 against white.
const COLORS: [Color; 5] = [
    Color(0x6a, 0x3d, 0x9a),
    Color(0x1b, 0x78, 0x37),
    ORANGE,
    SLATE,
    DARK_BLUE,
];

/// A chart shows at most this many years, the latest: the series page's table has them all.
pub const CHART_YEARS: usize = COLORS.len();

/// One bar per year that has a figure.
fn bar_row(row: &YearRow, f: Fmt) -> BarRow {
    let segments: Vec<Segment> = row
        .values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            v.map(|value| Segment {
                series: i,
                value,
                text: f.num(value),
            })
        })
        .collect();
    BarRow {
        label: row.label.clone(),
        group: None,
        note: segments.is_empty().then(|| "-".to_string()),
        segments,
        side: None,
    }
}

/// The chart of one column of a series: `rows` with a figure per year of `years` (at most
/// [`CHART_YEARS`]).
pub fn years_chart(
    id: String,
    title: String,
    years: &[u32],
    rows: &[YearRow],
    digits: DigitStyle,
) -> Result<Option<Chart>> {
    if years.len() > CHART_YEARS {
        return Err(format!(
            "{} years in one chart: at most {CHART_YEARS}",
            years.len()
        ));
    }
    let f = Fmt { digits };
    let values: Vec<f64> = rows
        .iter()
        .flat_map(|r| r.values.iter().flatten())
        .copied()
        .collect();
    if values.is_empty() {
        return Ok(None);
    }
    let color = |i: usize| COLORS[COLORS.len() - years.len() + i];
    let chart = BarChart {
        rows: rows.iter().map(|row| bar_row(row, f)).collect(),
        series: years
            .iter()
            .enumerate()
            .map(|(i, y)| series(&f.count(*y as usize), color(i)))
            .collect(),
        stacking: Stacking::Grouped,
        scale: scale::linear(&values),
        reference: None,
        side_header: None,
        cap_label: None,
    };
    let desc = format!(
        "نمودار میله‌ای {} ردیف در {} سال: برای هر ردیف یک میله برای هر سال؛ سالی که ردیف را ندارد میله ندارد.",
        f.count(rows.len()),
        f.count(years.len())
    );
    Ok(Some(draw_bars(&chart, id, title, desc, Vec::new())))
}
