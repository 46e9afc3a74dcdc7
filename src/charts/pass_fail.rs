//! Pass-fail tables: one 100% bar per row, compliant and non-compliant shares.

use super::bars::{BarChart, BarRow, Segment, Stacking};
use super::describe::{self, Extreme};
use super::svg::{DARK_BLUE, ORANGE};
use super::{Chart, Fmt, Result, draw_bars, extremes, row_names, scale, series};
use crate::content::{Role, Table};

pub fn chart(table: &Table, f: Fmt) -> Result<Option<Chart>> {
    let (Some(pass), Some(fail)) = (table.column_with(Role::Pass), table.column_with(Role::Fail))
    else {
        return Ok(None);
    };
    let mut fail_shares = Vec::new();
    let names = row_names(table.value_rows());
    let rows: Vec<BarRow> = table
        .value_rows()
        .zip(names)
        .filter_map(|(row, name)| {
            let (p, q) = (row.number(pass)?, row.number(fail)?);
            let total = p + q;
            if total <= 0.0 {
                return None;
            }
            fail_shares.push((name.full.clone(), q / total * 100.0));
            let segment = |series, value: f64| Segment {
                series,
                value,
                text: f.pct(value / total * 100.0),
            };
            Some(BarRow {
                label: name.label,
                group: name.group,
                segments: vec![segment(0, p), segment(1, q)],
                note: None,
                side: None,
            })
        })
        .collect();
    let Some(((top, top_v), (low, low_v))) = extremes(&fail_shares) else {
        return Ok(None);
    };
    let chart = BarChart {
        rows,
        series: vec![
            series(&table.columns[pass].label, DARK_BLUE),
            series(&table.columns[fail].label, ORANGE),
        ],
        stacking: Stacking::Stacked,
        scale: scale::Scale {
            limit: 100.0,
            capped: false,
        },
        reference: None,
        side_header: None,
        cap_label: None,
    };
    let top = Extreme {
        name: &top,
        value: f.pct(top_v),
    };
    let low = Extreme {
        name: &low,
        value: f.pct(low_v),
    };
    let desc = describe::pass_fail(table, pass, fail, top, low);
    let id = format!("{}-chart1", table.id);
    let title = describe::pass_fail_title(table);
    Ok(Some(draw_bars(&chart, id, title, desc, Vec::new())))
}
