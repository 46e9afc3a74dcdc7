//! Share tables: bars sorted by value, labelled with the value and its share.

use super::bars::{BarChart, BarRow, Segment, Stacking};
use super::describe::{self, Extreme};
use super::svg::DARK_BLUE;
use super::{Chart, Fmt, Result, draw_bars, row_names, scale, series};
use crate::content::{Role, Table};

pub fn chart(table: &Table, f: Fmt) -> Result<Option<Chart>> {
    let (Some(v), s) = (
        table.column_with(Role::Value),
        table.column_with(Role::Share),
    ) else {
        return Ok(None);
    };
    let names = row_names(table.value_rows());
    // sorted by value, a row's group heading would repeat: bars carry their full names
    let mut items: Vec<(String, f64, Option<f64>)> = table
        .value_rows()
        .zip(names)
        .filter_map(|(row, name)| {
            row.number(v)
                .map(|value| (name.full, value, s.and_then(|s| row.number(s))))
        })
        .collect();
    items.sort_by(|a, b| b.1.total_cmp(&a.1));
    let (Some(first), Some(last)) = (items.first().cloned(), items.last().cloned()) else {
        return Ok(None);
    };
    let text = |value: f64, share: Option<f64>| match share {
        Some(share) => format!("{} ({})", f.num(value), f.pct_exact(share)),
        None => f.num(value),
    };
    let values: Vec<f64> = items.iter().map(|i| i.1).collect();
    let chart = BarChart {
        rows: items
            .iter()
            .map(|(label, value, share)| BarRow {
                label: label.clone(),
                group: None,
                segments: vec![Segment {
                    series: 0,
                    value: *value,
                    text: text(*value, *share),
                }],
                note: None,
                side: None,
            })
            .collect(),
        series: vec![series(&table.columns[v].label, DARK_BLUE)],
        stacking: Stacking::Grouped,
        scale: scale::scale_for(&values, table.chart.as_ref().and_then(|c| c.cap), 0.0),
        reference: None,
        side_header: None,
        cap_label: None,
    };
    let top = Extreme {
        name: &first.0,
        value: text(first.1, first.2),
    };
    let low = Extreme {
        name: &last.0,
        value: text(last.1, last.2),
    };
    let desc = describe::share(f, items.len(), top, low);
    let id = format!("{}-chart1", table.id);
    let title = describe::share_title(table);
    Ok(Some(draw_bars(&chart, id, title, desc, Vec::new())))
}
