//! Achievement % per row against the 100% line: for activities tables, for each triple of a
//! plan-actual table, and for a whole section (the national summary's overview).

use super::bars::{BarChart, BarRow, Segment, Stacking};
use super::describe::{self, AchievementFacts, Extreme};
use super::svg::DARK_BLUE;
use super::{
    Chart, Fmt, Named, Result, RowName, draw_bars, extremes, row_names, scale, series, text_cell,
};
use crate::content::{ChartSettings, SectionFile, Table, Triple};

/// A row of an achievement view: its name, and its % or the text printed instead of one.
struct AchievementRow {
    name: RowName,
    pct: Option<f64>,
    note: Option<String>,
}

/// The rows of one triple that print a % or a text plan.
fn rows(table: &Table, triple: Triple) -> Vec<AchievementRow> {
    let names = row_names(table.value_rows());
    table
        .value_rows()
        .zip(names)
        .filter_map(|(row, name)| {
            let pct = row.number(triple.pct);
            let note = text_cell(row, triple.plan)
                .or_else(|| text_cell(row, triple.pct))
                .map(str::to_string);
            (pct.is_some() || note.is_some()).then_some(AchievementRow { name, pct, note })
        })
        .collect()
}

/// Achievement % per row against the 100% line, cut where an outlier would flatten the rest,
/// and its description. `subject` names what the rows are («ردیف این جدول»).
fn view(
    rows: Vec<AchievementRow>,
    cap: Option<f64>,
    f: Fmt,
    subject: &str,
) -> Option<(BarChart, String)> {
    let items: Vec<Named> = rows
        .iter()
        .filter_map(|r| r.pct.map(|v| (r.name.full.clone(), v)))
        .collect();
    let ((top, top_v), (low, low_v)) = extremes(&items)?;
    let values: Vec<f64> = items.iter().map(|i| i.1).collect();
    let scale = scale::scale_for(&values, cap, 100.0);
    let without = rows.iter().filter(|r| r.pct.is_none()).count();
    let bar_rows = rows
        .into_iter()
        .map(|r| BarRow {
            label: r.name.label,
            group: r.name.group,
            segments: r
                .pct
                .map(|v| Segment {
                    series: 0,
                    value: v,
                    text: f.pct(v),
                })
                .into_iter()
                .collect(),
            note: if r.pct.is_none() { r.note } else { None },
            side: None,
        })
        .collect();
    let facts = AchievementFacts {
        count: values.len(),
        top: Extreme {
            name: &top,
            value: f.pct(top_v),
        },
        low: Extreme {
            name: &low,
            value: f.pct(low_v),
        },
        under: values.iter().filter(|v| **v < 100.0).count(),
        without,
        cut: scale.capped.then(|| {
            (
                scale.limit,
                values.iter().filter(|v| scale.is_cut(**v)).count(),
            )
        }),
    };
    let desc = describe::achievement(f, subject, facts);
    let chart = BarChart {
        rows: bar_rows,
        series: vec![series(describe::ACHIEVEMENT_SERIES, DARK_BLUE)],
        stacking: Stacking::Grouped,
        reference: Some((100.0, f.pct(100.0))),
        side_header: None,
        cap_label: scale.capped.then(|| describe::cap_label(f, scale.limit)),
        scale,
    };
    Some((chart, desc))
}

/// The achievement view of triple `n` of `table`.
pub fn chart(table: &Table, settings: &ChartSettings, f: Fmt, n: usize) -> Result<Option<Chart>> {
    let Some(&triple) = table.achievement_triples().get(n) else {
        return Ok(None);
    };
    let subject = describe::table_rows();
    let Some((chart, desc)) = view(rows(table, triple), settings.cap, f, &subject) else {
        return Ok(None);
    };
    let title = describe::achievement_title(table, triple.pct);
    let id = format!("{}-chart{}", table.id, 2 * n + 2);
    Ok(Some(draw_bars(&chart, id, title, desc, Vec::new())))
}

/// One chart of the achievement % of every activity in a section (the national summary).
pub fn overview_chart(slug: &str, section: &SectionFile, f: Fmt) -> Result<Option<Chart>> {
    let all = section
        .tables
        .iter()
        .flat_map(|t| {
            t.achievement_triples()
                .into_iter()
                .flat_map(move |triple| rows(t, triple))
        })
        .collect();
    let Some((chart, desc)) = view(all, None, f, describe::OVERVIEW_ROWS) else {
        return Ok(None);
    };
    let title = describe::overview_title(&section.title);
    let id = format!("{slug}-overview");
    Ok(Some(draw_bars(&chart, id, title, desc, Vec::new())))
}
