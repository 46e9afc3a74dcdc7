//! Charts drawn at build time with plotters as inline SVG. Drawing (`bars`, `heatmap`, `svg`,
//! `scale`, `text`) never sees content; one module per table kind turns a table into charts
//! (`plan_actual`, `achievement`, `share`, `crosstab`, `pass_fail`), and `describe` writes
//! their Persian titles and descriptions.

mod achievement;
mod bars;
mod crosstab;
mod describe;
mod heatmap;
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
use plotters::style::{RGBColor, WHITE};
use rayon::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chart {
    pub id: String,
    pub title: String,
    pub svg: String,
    /// Colour keys, shown in HTML beside the chart (plotters' legends are left to right).
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

fn draw_bars(chart: &BarChart, id: String, title: String, desc: String) -> Result<Chart> {
    let svg = chart.render(&svg::Accessible {
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
                    // no anchor is `start`, the SVG default
                    n.attribute("text-anchor").unwrap_or("start").to_string(),
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
