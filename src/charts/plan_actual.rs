//! Plan-actual tables: plan and actual bars per row, and the achievement view.

use super::bars::{BarChart, BarRow, Segment, Stacking};
use super::describe::{self, Extreme};
use super::svg::{DARK_BLUE, INK, ORANGE, SLATE};
use super::{
    Chart, Fmt, LegendItem, Result, achievement, draw_bars, extremes, row_names, scale, series,
};
use crate::content::{ChartKind, ChartSettings, Table, Triple};

pub fn charts(table: &Table, settings: &ChartSettings, f: Fmt) -> Result<Vec<Chart>> {
    let mut charts = Vec::new();
    for (n, triple) in table.achievement_triples().into_iter().enumerate() {
        if settings.kind != Some(ChartKind::Achievement) {
            charts.extend(values_chart(table, triple, f, n)?);
        }
        if settings.kind != Some(ChartKind::PlanActual) {
            charts.extend(achievement::chart(table, settings, f, n)?);
        }
    }
    Ok(charts)
}

/// Plan and actual side by side per row, with the stated achievement % in the left column.
fn values_chart(table: &Table, triple: Triple, f: Fmt, n: usize) -> Result<Option<Chart>> {
    let mut rows = Vec::new();
    let mut actuals = Vec::new();
    let mut values = Vec::new();
    let mut under = 0;
    let names = row_names(table.value_rows());
    for (row, name) in table.value_rows().zip(names) {
        let (plan, actual) = (row.number(triple.plan), row.number(triple.actual));
        let mut segments = Vec::new();
        for (series, value) in [(0, plan), (1, actual)] {
            if let Some(v) = value {
                values.push(v);
                segments.push(Segment {
                    series,
                    value: v,
                    text: f.num(v),
                });
            }
        }
        if let Some(v) = actual {
            actuals.push((name.full.clone(), v));
        }
        let side = row.number(triple.pct).map(|pct| {
            under += usize::from(pct < 100.0);
            (f.pct(pct), if pct < 100.0 { ORANGE } else { INK })
        });
        let note = segments.is_empty().then(|| "-".to_string());
        rows.push(BarRow {
            label: name.label,
            group: name.group,
            segments,
            note,
            side,
        });
    }
    let Some(((top, top_v), (low, low_v))) = extremes(&actuals) else {
        return Ok(None);
    };
    let chart = BarChart {
        rows,
        series: vec![
            series(&table.columns[triple.plan].label, SLATE),
            series(&table.columns[triple.actual].label, DARK_BLUE),
        ],
        stacking: Stacking::Grouped,
        scale: scale::linear(&values),
        reference: None,
        side_header: Some(describe::ACHIEVEMENT_SIDE.to_string()),
        cap_label: None,
    };
    let top = Extreme {
        name: &top,
        value: f.num(top_v),
    };
    let low = Extreme {
        name: &low,
        value: f.num(low_v),
    };
    let desc = describe::values(f, chart.rows.len(), top, low, under);
    let title = describe::values_title(table, triple.plan);
    // the side column's orange marks the rows under their plan: say so in the legend
    let extra = (under > 0)
        .then(|| LegendItem {
            color: ORANGE.hex(),
            label: describe::UNDER_PLAN.to_string(),
        })
        .into_iter()
        .collect();
    let id = format!("{}-chart{}", table.id, 2 * n + 1);
    Ok(Some(draw_bars(&chart, id, title, desc, extra)))
}
