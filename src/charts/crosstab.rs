//! Crosstabs (provinces × sectors): a heat map with numbered columns named in a key list.

use super::describe::{self, Extreme};
use super::heatmap::{self, HeatMap};
use super::svg::Accessible;
use super::{Chart, Fmt, LegendItem, Result, row_names};
use crate::content::{Role, Table};

pub fn chart(table: &Table, f: Fmt) -> Result<Option<Chart>> {
    let categories = table.columns_with(Role::Category);
    let rows: Vec<_> = table.value_rows().collect();
    if categories.is_empty() || rows.is_empty() {
        return Ok(None);
    }
    let values: Vec<Vec<Option<f64>>> = rows
        .iter()
        .map(|r| categories.iter().map(|&c| r.number(c)).collect())
        .collect();
    let all: Vec<f64> = values.iter().flatten().flatten().copied().collect();
    let bins = heatmap::quantile_bins(&all);
    let keys: Vec<String> = categories
        .iter()
        .map(|&c| table.header_path(c).join(" / "))
        .collect();
    let map = HeatMap {
        rows: row_names(rows.iter().copied())
            .into_iter()
            .map(|n| n.full)
            .collect(),
        columns: (1..=categories.len()).map(|i| f.count(i)).collect(),
        values,
        bins: bins.clone(),
    };
    let Some((r, c, v)) = largest(&map.values) else {
        return Ok(None);
    };
    let id = format!("{}-chart1", table.id);
    let title = describe::heat_map_title(table);
    let top = Extreme {
        name: &map.rows[r],
        value: f.num(v),
    };
    let desc = describe::heat_map(f, map.rows.len(), keys.len(), top, &keys[c]);
    let a11y = Accessible {
        id: &id,
        title: &title,
        desc: &desc,
    };
    let svg = map.render(&a11y);
    Ok(Some(Chart {
        id,
        title,
        svg,
        legend: legend(f, &bins),
        keys,
    }))
}

/// The largest value and where it is: (row, column, value).
fn largest(values: &[Vec<Option<f64>>]) -> Option<(usize, usize, f64)> {
    let mut best: Option<(usize, usize, f64)> = None;
    for (r, row) in values.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if let Some(v) = v
                && best.is_none_or(|b| *v > b.2)
            {
                best = Some((r, c, *v));
            }
        }
    }
    best
}

/// White for zero, then one entry per shade that holds values.
fn legend(f: Fmt, bins: &[f64]) -> Vec<LegendItem> {
    let mut legend = vec![LegendItem {
        color: heatmap::ZERO.hex(),
        label: f.num(0.0),
    }];
    let mut low = 0.0;
    for (color, high) in heatmap::RAMP.iter().zip(bins) {
        if *high > low {
            legend.push(LegendItem {
                color: color.hex(),
                label: describe::bin(f, low, *high),
            });
            low = *high;
        }
    }
    legend
}
