//! Charts drawn at build time with plotters as inline SVG, one module per concern:
//! `text` (shaping), `scale`, `svg` (drawing and RTL finishing), `bars`, `heatmap`.
//! This file turns tables into charts by their kind.

mod bars;
mod heatmap;
mod scale;
mod svg;
mod text;

use crate::config::DigitStyle;
use crate::content::{Cell, ChartSettings, Role, Row, SectionFile, Table, TableKind};
use crate::numfmt::{format_number, format_percent, localize_digits};
use crate::validate::achievement_triples;
use bars::{BarChart, BarRow, Layout, Segment, Series};
use heatmap::HeatMap;
use plotters::style::{RGBColor, WHITE};
use serde::Serialize;
use svg::{Accessible, DARK_BLUE, ORANGE, SLATE};

#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub id: String,
    pub title: String,
    pub svg: String,
    /// Colour keys, shown in HTML beside the chart (plotters' legends are left to right).
    pub legend: Vec<LegendItem>,
    /// Names of numbered columns (heat maps), in order.
    pub keys: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LegendItem {
    pub color: String,
    pub label: String,
}

type Result<T> = std::result::Result<T, String>;

/// Tables with more rows than this get no chart: a bar per row would be unreadable.
pub const MAX_CHART_ROWS: usize = 200;

/// The charts of one table, by its kind and its `chart` settings.
pub fn table_charts(table: &Table, digits: DigitStyle) -> Result<Vec<Chart>> {
    let settings = table.chart.clone().unwrap_or_default();
    if settings.off || chart_rows(table).len() > MAX_CHART_ROWS {
        return Ok(Vec::new());
    }
    let f = Fmt { digits };
    match table.kind {
        TableKind::PlanActual => plan_actual_charts(table, &settings, f),
        TableKind::Activities => Ok(achievement_chart(table, &settings, f, 0)?
            .into_iter()
            .collect()),
        TableKind::Share => Ok(share_chart(table, f)?.into_iter().collect()),
        TableKind::Crosstab => Ok(crosstab_chart(table, f)?.into_iter().collect()),
        TableKind::PassFail => Ok(pass_fail_chart(table, f)?.into_iter().collect()),
        TableKind::Narrative | TableKind::NoData | TableKind::List => Ok(Vec::new()),
    }
}

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
    fn count(self, n: usize) -> String {
        localize_digits(&n.to_string(), self.digits)
    }
}

/// The rows a chart draws: data rows, without headings, subtotals or the totals row.
fn chart_rows(table: &Table) -> Vec<&Row> {
    table
        .rows
        .iter()
        .map(|r| r.get_ref())
        .filter(|r| r.heading.is_none() && !r.subtotal)
        .collect()
}

/// The row's name in a chart: its deepest label, with its parent when that label is short.
fn row_name(row: &Row) -> String {
    let parts: Vec<&str> = row
        .label
        .iter()
        .map(String::as_str)
        .filter(|l| !l.is_empty())
        .collect();
    match parts.as_slice() {
        [] => row.no.as_ref().map(ToString::to_string).unwrap_or_default(),
        [only] => (*only).to_string(),
        [.., parent, last] if last.split_whitespace().count() <= 2 => format!("{parent} – {last}"),
        [.., last] => (*last).to_string(),
    }
}

fn text_cell(row: &Row, index: usize) -> Option<&str> {
    match row.values.get(index) {
        Some(Cell::Text(t)) if !t.trim().is_empty() => Some(t.as_str()),
        _ => None,
    }
}

fn series(name: &str, color: RGBColor) -> Series {
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
            color: svg::hex(s.color),
            label: s.name.clone(),
        })
        .collect()
}

fn group_suffix(table: &Table, column: usize) -> String {
    let group = &table.columns[column].group;
    if group.is_empty() {
        String::new()
    } else {
        format!(" ({})", group.join(" / "))
    }
}

fn draw_bars(chart: &BarChart, id: String, title: String, desc: String) -> Result<Chart> {
    let svg = chart.render(&Accessible {
        id: &id,
        title: &title,
        desc: &desc,
    })?;
    Ok(Chart {
        legend: legend(&chart.series),
        keys: Vec::new(),
        id,
        title,
        svg,
    })
}

/// A row's name and its value.
type Named = (String, f64);

/// The highest and the lowest of `items`.
fn extremes(items: &[Named]) -> Option<(Named, Named)> {
    let max = items.iter().max_by(|a, b| a.1.total_cmp(&b.1))?;
    let min = items.iter().min_by(|a, b| a.1.total_cmp(&b.1))?;
    Some((max.clone(), min.clone()))
}

fn plan_actual_charts(table: &Table, settings: &ChartSettings, f: Fmt) -> Result<Vec<Chart>> {
    let mut charts = Vec::new();
    for (n, &(p, a, s)) in achievement_triples(table).iter().enumerate() {
        if settings.kind.as_deref() != Some("achievement") {
            charts.extend(values_chart(table, (p, a, s), f, n)?);
        }
        if settings.kind.as_deref() != Some("plan-actual") {
            charts.extend(achievement_chart(table, settings, f, n)?);
        }
    }
    Ok(charts)
}

/// Plan and actual side by side per row, with the stated achievement % in the left column.
fn values_chart(
    table: &Table,
    (p, a, s): (usize, usize, usize),
    f: Fmt,
    n: usize,
) -> Result<Option<Chart>> {
    let mut rows = Vec::new();
    let mut actuals = Vec::new();
    let mut values = Vec::new();
    let mut under = 0;
    for row in chart_rows(table) {
        let (plan, actual) = (row.number(p), row.number(a));
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
            actuals.push((row_name(row), v));
        }
        let side = row.number(s).map(|pct| {
            under += usize::from(pct < 100.0);
            (f.pct(pct), if pct < 100.0 { ORANGE } else { DARK_BLUE })
        });
        let note = segments.is_empty().then(|| "-".to_string());
        rows.push(BarRow {
            label: row_name(row),
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
            series(&table.columns[p].label, SLATE),
            series(&table.columns[a].label, DARK_BLUE),
        ],
        layout: Layout::Grouped,
        scale: scale::linear(&values),
        reference: None,
        side_header: Some("تحقق".to_string()),
        cap_label: None,
    };
    let title = format!(
        "{}{}: برنامه و عملکرد",
        table.caption,
        group_suffix(table, p)
    );
    let desc = format!(
        "نمودار میله‌ای برنامه و عملکرد {} ردیف جدول {}. بیشترین عملکرد: {} ({})؛ کمترین عملکرد: {} ({})؛ {} ردیف زیر ۱۰۰٪ برنامه.",
        f.count(chart.rows.len()),
        table.id,
        top,
        f.num(top_v),
        low,
        f.num(low_v),
        f.count(under)
    );
    draw_bars(
        &chart,
        format!("{}-chart{}", table.id, 2 * n + 1),
        title,
        desc,
    )
    .map(Some)
}

/// A row of an achievement view: its name, and its % or the text printed instead of one.
struct AchievementRow {
    name: String,
    pct: Option<f64>,
    note: Option<String>,
}

/// The rows of one (plan, actual, pct) triple that print a % or a text plan.
fn achievement_rows(table: &Table, (p, s): (usize, usize)) -> Vec<AchievementRow> {
    chart_rows(table)
        .into_iter()
        .filter_map(|row| {
            let pct = row.number(s);
            let note = text_cell(row, p)
                .or_else(|| text_cell(row, s))
                .map(str::to_string);
            (pct.is_some() || note.is_some()).then(|| AchievementRow {
                name: row_name(row),
                pct,
                note,
            })
        })
        .collect()
}

/// Achievement % per row against the 100% line, cut where an outlier would flatten the rest,
/// and its description. `subject` names what the rows are («ردیف جدول T010»).
fn achievement_view(
    rows: Vec<AchievementRow>,
    cap: Option<f64>,
    f: Fmt,
    subject: &str,
) -> Option<(BarChart, String)> {
    let items: Vec<Named> = rows
        .iter()
        .filter_map(|r| r.pct.map(|v| (r.name.clone(), v)))
        .collect();
    let ((top, top_v), (low, low_v)) = extremes(&items)?;
    let values: Vec<f64> = items.iter().map(|i| i.1).collect();
    let scale = scale::scale_for(&values, cap, 100.0);
    let without = rows.iter().filter(|r| r.pct.is_none()).count();
    let bar_rows = rows
        .into_iter()
        .map(|r| BarRow {
            label: r.name,
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
    let under = values.iter().filter(|v| **v < 100.0).count();
    let mut desc = format!(
        "درصد تحقق برنامه در {} {subject}. بیشترین: {} ({})؛ کمترین: {} ({})؛ {} مورد زیر ۱۰۰٪.",
        f.count(values.len()),
        top,
        f.pct(top_v),
        low,
        f.pct(low_v),
        f.count(under)
    );
    if without > 0 {
        desc.push_str(&format!(
            " {} مورد بدون برنامه عددی است و میله ندارد.",
            f.count(without)
        ));
    }
    if scale.capped {
        let cut = values.iter().filter(|v| scale.is_cut(**v)).count();
        desc.push_str(&format!(
            " مقیاس در {} بریده شده و {} مورد بیش از آن است؛ رقم واقعی کنار میله آمده است.",
            f.pct(scale.limit),
            f.count(cut)
        ));
    }
    let chart = BarChart {
        rows: bar_rows,
        series: vec![series("درصد تحقق برنامه", DARK_BLUE)],
        layout: Layout::Grouped,
        reference: Some((100.0, f.pct(100.0))),
        side_header: None,
        cap_label: scale
            .capped
            .then(|| format!("مقیاس بریده در {}", f.pct(scale.limit))),
        scale,
    };
    Some((chart, desc))
}

fn achievement_chart(
    table: &Table,
    settings: &ChartSettings,
    f: Fmt,
    n: usize,
) -> Result<Option<Chart>> {
    let Some(&(p, _, s)) = achievement_triples(table).get(n) else {
        return Ok(None);
    };
    let subject = format!("ردیف جدول {}", table.id);
    let Some((chart, desc)) =
        achievement_view(achievement_rows(table, (p, s)), settings.cap, f, &subject)
    else {
        return Ok(None);
    };
    let title = format!(
        "{}{}: درصد تحقق برنامه",
        table.caption,
        group_suffix(table, s)
    );
    draw_bars(
        &chart,
        format!("{}-chart{}", table.id, 2 * n + 2),
        title,
        desc,
    )
    .map(Some)
}

fn share_chart(table: &Table, f: Fmt) -> Result<Option<Chart>> {
    let column = |role| table.columns.iter().position(|c| c.role == Some(role));
    let (Some(v), s) = (column(Role::Value), column(Role::Share)) else {
        return Ok(None);
    };
    let mut items: Vec<(String, f64, Option<f64>)> = chart_rows(table)
        .into_iter()
        .filter_map(|row| {
            row.number(v)
                .map(|value| (row_name(row), value, s.and_then(|s| row.number(s))))
        })
        .collect();
    items.sort_by(|a, b| b.1.total_cmp(&a.1));
    let (Some(first), Some(last)) = (items.first().cloned(), items.last().cloned()) else {
        return Ok(None);
    };
    let text = |value: f64, share: Option<f64>| match share {
        Some(share) => format!("{} ({})", f.num(value), format_percent(share, f.digits)),
        None => f.num(value),
    };
    let values: Vec<f64> = items.iter().map(|i| i.1).collect();
    let chart = BarChart {
        rows: items
            .iter()
            .map(|(label, value, share)| BarRow {
                label: label.clone(),
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
        layout: Layout::Grouped,
        scale: scale::scale_for(&values, table.chart.as_ref().and_then(|c| c.cap), 0.0),
        reference: None,
        side_header: None,
        cap_label: None,
    };
    let desc = format!(
        "{} ردیف جدول {} به ترتیب مقدار. بیشترین: {} ({})؛ کمترین: {} ({}).",
        f.count(items.len()),
        table.id,
        first.0,
        text(first.1, first.2),
        last.0,
        text(last.1, last.2)
    );
    let title = format!("{}: به ترتیب مقدار", table.caption);
    draw_bars(&chart, format!("{}-chart1", table.id), title, desc).map(Some)
}

fn crosstab_chart(table: &Table, f: Fmt) -> Result<Option<Chart>> {
    let categories: Vec<usize> = table
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| c.role == Some(Role::Category))
        .map(|(i, _)| i)
        .collect();
    let rows = chart_rows(table);
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
        .map(|&c| {
            let column = &table.columns[c];
            let mut parts = column.group.clone();
            parts.push(column.label.clone());
            parts.join(" / ")
        })
        .collect();
    let map = HeatMap {
        rows: rows.iter().map(|r| row_name(r)).collect(),
        columns: (1..=categories.len()).map(|i| f.count(i)).collect(),
        values,
        bins: bins.clone(),
    };
    let mut best: Option<(usize, usize, f64)> = None;
    for (r, row) in map.values.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if let Some(v) = v
                && best.is_none_or(|b| *v > b.2)
            {
                best = Some((r, c, *v));
            }
        }
    }
    let Some((r, c, v)) = best else {
        return Ok(None);
    };
    let id = format!("{}-chart1", table.id);
    let title = format!("{}: نقشه حرارتی", table.caption);
    let desc = format!(
        "نقشه حرارتی {} ردیف در {} ستون جدول {}؛ هرچه خانه تیره‌تر، مقدار بیشتر. بیشترین مقدار: {} در «{}» ({}). شماره ستون‌ها در راهنمای زیر نمودار نام برده شده است.",
        f.count(map.rows.len()),
        f.count(keys.len()),
        table.id,
        map.rows[r],
        keys[c],
        f.num(v)
    );
    let a11y = Accessible {
        id: &id,
        title: &title,
        desc: &desc,
    };
    let svg = svg::render(
        heatmap::WIDTH as u32,
        map.height().ceil() as u32,
        &a11y,
        |area| map.draw(area),
    )?;
    let mut legend = vec![LegendItem {
        color: svg::hex(heatmap::ZERO),
        label: f.num(0.0),
    }];
    let mut low = 0.0;
    for (color, high) in heatmap::RAMP.iter().zip(&bins) {
        if *high > low {
            let label = if low == 0.0 {
                format!("تا {}", f.num(*high))
            } else {
                format!("{} تا {}", f.num(low), f.num(*high))
            };
            legend.push(LegendItem {
                color: svg::hex(*color),
                label,
            });
            low = *high;
        }
    }
    Ok(Some(Chart {
        id,
        title,
        svg,
        legend,
        keys,
    }))
}

fn pass_fail_chart(table: &Table, f: Fmt) -> Result<Option<Chart>> {
    let column = |role| table.columns.iter().position(|c| c.role == Some(role));
    let (Some(pass), Some(fail)) = (column(Role::Pass), column(Role::Fail)) else {
        return Ok(None);
    };
    let mut fail_shares = Vec::new();
    let rows: Vec<BarRow> = chart_rows(table)
        .into_iter()
        .filter_map(|row| {
            let (p, q) = (row.number(pass)?, row.number(fail)?);
            let total = p + q;
            if total <= 0.0 {
                return None;
            }
            fail_shares.push((row_name(row), q / total * 100.0));
            Some(BarRow {
                label: row_name(row),
                segments: vec![
                    Segment {
                        series: 0,
                        value: p,
                        text: f.pct(p / total * 100.0),
                    },
                    Segment {
                        series: 1,
                        value: q,
                        text: f.pct(q / total * 100.0),
                    },
                ],
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
        layout: Layout::Stacked,
        scale: scale::Scale {
            limit: 100.0,
            capped: false,
        },
        reference: None,
        side_header: None,
        cap_label: None,
    };
    let desc = format!(
        "سهم {} و {} از نتایج هر ردیف جدول {} (میله صددرصدی). بیشترین سهم {}: {} ({})؛ کمترین: {} ({}).",
        table.columns[pass].label,
        table.columns[fail].label,
        table.id,
        table.columns[fail].label,
        top,
        f.pct(top_v),
        low,
        f.pct(low_v)
    );
    let title = format!("{}: سهم نتایج", table.caption);
    draw_bars(&chart, format!("{}-chart1", table.id), title, desc).map(Some)
}

/// One chart of the achievement % of every activity in a section (the national summary).
pub fn overview_chart(
    slug: &str,
    section: &SectionFile,
    digits: DigitStyle,
) -> Result<Option<Chart>> {
    let rows = section
        .tables
        .iter()
        .flat_map(|t| {
            achievement_triples(t)
                .into_iter()
                .flat_map(move |(p, _, s)| achievement_rows(t, (p, s)))
        })
        .collect();
    let Some((chart, desc)) = achievement_view(rows, None, Fmt { digits }, "فعالیت این بخش")
    else {
        return Ok(None);
    };
    let title = format!("{}: درصد تحقق برنامه همه فعالیت‌ها", section.title);
    draw_bars(&chart, format!("{slug}-overview"), title, desc).map(Some)
}

/// Every chart of the site, keyed by (year, table id) and (year, section slug).
#[derive(Debug, Default)]
pub struct ChartSet {
    pub tables: std::collections::BTreeMap<(u32, String), Vec<Chart>>,
    pub overviews: std::collections::BTreeMap<(u32, String), Chart>,
}

impl ChartSet {
    pub fn count(&self) -> usize {
        self.tables.values().map(Vec::len).sum::<usize>() + self.overviews.len()
    }
}

/// The charts stage: every table's charts, drawn in parallel.
pub fn build_charts(site: &crate::load::LoadedSite) -> anyhow::Result<ChartSet> {
    use rayon::prelude::*;
    let digits = site.config.digits;
    let sections: Vec<(u32, &crate::load::LoadedSection)> = site
        .years
        .iter()
        .flat_map(|y| y.sections.iter().map(move |s| (y.meta.year, s)))
        .collect();
    let tables = sections
        .par_iter()
        .flat_map(|(year, section)| {
            section
                .data
                .tables
                .par_iter()
                .map(move |t| (*year, *section, t))
        })
        .map(|(year, section, table)| {
            let charts = table_charts(table, digits).map_err(|e| {
                anyhow::anyhow!(
                    "{}: chart of table {}: {e}",
                    section.path.display(),
                    table.id
                )
            })?;
            Ok(((year, table.id.to_string()), charts))
        })
        .collect::<anyhow::Result<_>>()?;
    let overviews = sections
        .par_iter()
        .filter(|(_, s)| s.data.overview_chart)
        .map(|(year, section)| {
            let chart = overview_chart(&section.slug, &section.data, digits)
                .map_err(|e| anyhow::anyhow!("{}: overview chart: {e}", section.path.display()))?;
            Ok(chart.map(|c| ((*year, section.slug.clone()), c)))
        })
        .collect::<anyhow::Result<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect();
    Ok(ChartSet { tables, overviews })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::SectionFile;
    use std::path::Path;

    fn tables(toml: &str) -> Vec<Table> {
        let text = format!("title = \"s\"\npage = 1\n{toml}");
        crate::source::parse_toml::<SectionFile>(Path::new("t.toml"), &text)
            .unwrap()
            .tables
    }

    fn charts(toml: &str) -> Vec<Chart> {
        table_charts(&tables(toml)[0], DigitStyle::Persian).unwrap()
    }

    /// The SVG parsed as XML (it must be well-formed): rects, and texts with their anchors.
    struct Parsed {
        rects: usize,
        texts: Vec<(String, String, f64)>,
        root: Vec<(String, String)>,
    }

    fn parse(svg: &str) -> Parsed {
        let doc =
            roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("invalid SVG: {e}\n{svg}"));
        let root = doc
            .root_element()
            .attributes()
            .map(|a| (a.name().to_string(), a.value().to_string()))
            .collect();
        let rects = doc.descendants().filter(|n| n.has_tag_name("rect")).count();
        let texts = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .map(|n| {
                let x = n.attribute("x").unwrap_or("0").parse().unwrap();
                (
                    n.text().unwrap_or("").trim().to_string(),
                    n.attribute("text-anchor").unwrap_or("").to_string(),
                    x,
                )
            })
            .collect();
        Parsed { rects, texts, root }
    }

    const PLAN_ACTUAL: &str = r#"
[[tables]]
id = "T1"
kind = "plan-actual"
caption = "آزمون"
label_headers = ["استان"]
columns = [
  { key = "plan", label = "برنامه", role = "plan" },
  { key = "actual", label = "عملکرد", role = "actual" },
  { key = "pct", label = "درصد", type = "percent", role = "pct" },
]
rows = [
  { no = "1", label = ["آذربایجان شرقی"], values = [25, 30, 120] },
  { no = "2", label = ["تهران"], values = [70, 199, 284] },
  { no = "3", label = ["ایلام"], values = [3, 2, 67] },
  { no = "4", label = ["قم"], values = [10, 10, 100] },
  { no = "5", label = ["یزد"], values = [1, 50, 5000] },
]
total = { label = ["جمع کل"], values = [109, 291, 267] }
"#;

    #[test]
    fn plan_actual_draws_grouped_bars_and_an_achievement_view() {
        let charts = charts(PLAN_ACTUAL);
        assert_eq!(charts.len(), 2);
        let values = parse(&charts[0].svg);
        assert_eq!(
            values.rects, 10,
            "plan and actual for 5 rows, the totals row left out"
        );
        let labels: Vec<&str> = values.texts.iter().map(|t| t.0.as_str()).collect();
        for name in ["آذربایجان شرقی", "تهران", "ایلام", "۱۹۹", "۱۲۰٪", "تحقق"]
        {
            assert!(labels.contains(&name), "{name} in {labels:?}");
        }
        assert!(!labels.contains(&"جمع کل"));
        // row labels flush right: anchored at the right edge, which is "start" in an rtl SVG
        let tehran = values.texts.iter().find(|t| t.0 == "تهران").unwrap();
        assert_eq!((tehran.1.as_str(), tehran.2), ("start", 592.0));
        assert_eq!(charts[0].legend.len(), 2);
    }

    #[test]
    fn an_outlier_is_cut_visibly_and_keeps_its_true_value() {
        let achievement = &charts(PLAN_ACTUAL)[1];
        let parsed = parse(&achievement.svg);
        let labels: Vec<&str> = parsed.texts.iter().map(|t| t.0.as_str()).collect();
        assert!(labels.contains(&"۵٬۰۰۰٪"), "{labels:?}");
        assert!(
            labels.iter().any(|l| l.starts_with("مقیاس بریده در")),
            "{labels:?}"
        );
        assert!(
            labels.contains(&"۱۰۰٪"),
            "the 100% reference line is labelled"
        );
        let desc = parsed.root.iter().any(|(k, _)| k == "aria-labelledby");
        assert!(
            desc && achievement.svg.contains("بریده شده"),
            "the description says the scale is cut"
        );
    }

    #[test]
    fn svg_root_is_rtl_accessible_and_names_no_url() {
        for chart in charts(PLAN_ACTUAL) {
            let root = parse(&chart.svg).root;
            let attr = |k: &str| root.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
            assert_eq!(attr("role").as_deref(), Some("img"));
            assert_eq!(attr("direction").as_deref(), Some("rtl"));
            assert!(!chart.svg.contains("://"));
            assert!(chart.svg.contains("<title id=") && chart.svg.contains("<desc id="));
            // no float noise in attributes
            assert!(!chart.svg.contains(".0000"), "{}", chart.svg);
        }
    }

    #[test]
    fn the_same_table_gives_byte_identical_svg() {
        assert_eq!(charts(PLAN_ACTUAL)[0].svg, charts(PLAN_ACTUAL)[0].svg);
        assert_eq!(charts(PLAN_ACTUAL)[1].svg, charts(PLAN_ACTUAL)[1].svg);
    }

    #[test]
    fn chart_settings_turn_views_off() {
        let off = PLAN_ACTUAL.replace(
            "kind = \"plan-actual\"",
            "kind = \"plan-actual\"\nchart = { off = true }",
        );
        assert!(charts(&off).is_empty());
        let only = PLAN_ACTUAL.replace(
            "kind = \"plan-actual\"",
            "kind = \"plan-actual\"\nchart = { kind = \"achievement\", cap = 300 }",
        );
        let only = charts(&only);
        assert_eq!(only.len(), 1);
        assert!(only[0].svg.contains("مقیاس بریده در ۳۰۰٪"));
    }

    #[test]
    fn activities_without_a_numeric_plan_say_so_instead_of_a_zero_bar() {
        let toml = r#"
[[tables]]
id = "T2"
kind = "activities"
caption = "دفتر"
label_headers = ["فعالیت"]
columns = [
  { key = "plan", label = "برنامه", role = "plan" },
  { key = "actual", label = "عملکرد", role = "actual" },
  { key = "pct", label = "درصد", type = "percent", role = "pct" },
]
rows = [
  { no = "1", label = ["آموزش"], values = [10, 12, 120] },
  { no = "2", label = ["مشاوره"], values = ["حسب درخواست", 4, "-"] },
]
"#;
        let charts = charts(toml);
        assert_eq!(charts.len(), 1);
        let parsed = parse(&charts[0].svg);
        assert_eq!(parsed.rects, 1, "one bar: the text plan gets none");
        assert!(parsed.texts.iter().any(|t| t.0 == "حسب درخواست"));
    }

    #[test]
    fn pass_fail_is_one_full_bar_per_row_and_crosstab_a_numbered_heat_map() {
        let pass_fail = r#"
[[tables]]
id = "T3"
kind = "pass-fail"
caption = "آزمون"
label_headers = ["استان"]
columns = [
  { key = "pass", label = "مطابق", role = "pass" },
  { key = "fail", label = "مغایر", role = "fail" },
]
rows = [ { no = "1", label = ["الف"], values = [80, 20] }, { no = "2", label = ["ب"], values = [0, 0] } ]
"#;
        let chart = &charts(pass_fail)[0];
        let parsed = parse(&chart.svg);
        assert_eq!(
            parsed.rects, 2,
            "two segments for the row with results, none for the empty row"
        );
        assert!(
            parsed.texts.iter().any(|t| t.0 == "۸۰٪") && parsed.texts.iter().any(|t| t.0 == "۲۰٪")
        );
        let crosstab = r#"
[[tables]]
id = "T4"
kind = "crosstab"
caption = "صنعت"
label_headers = ["استان"]
columns = [
  { key = "a", label = "غذایی", role = "category" },
  { key = "b", label = "شیمیایی", role = "category" },
  { key = "sum", label = "جمع", role = "total" },
]
rows = [ { no = "1", label = ["الف"], values = [1, 2, 3] }, { no = "2", label = ["ب"], values = [0, 5, 5] } ]
"#;
        let chart = &charts(crosstab)[0];
        assert_eq!(chart.keys, ["غذایی", "شیمیایی"]);
        let parsed = parse(&chart.svg);
        assert_eq!(
            parsed.rects, 4,
            "2 rows × 2 categories, the total column left out"
        );
        assert!(parsed.texts.iter().any(|t| t.0 == "۱") && parsed.texts.iter().any(|t| t.0 == "۲"));
    }

    #[test]
    fn narrative_no_data_and_list_tables_get_no_chart() {
        for kind in ["narrative", "no-data", "list"] {
            let toml = format!(
                "[[tables]]\nid = \"T5\"\nkind = \"{kind}\"\ncaption = \"c\"\nlabel_headers = []\ncolumns = [ {{ key = \"a\", label = \"a\", type = \"text\" }} ]\nrows = [ {{ values = [\"x\"] }} ]\n"
            );
            assert!(charts(&toml).is_empty(), "{kind}");
        }
    }
}
