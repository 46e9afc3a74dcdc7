//! The charts of each table kind, parsed back as XML.

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

/// The SVG parsed as XML (it must be well-formed): per layout, its paths and its texts
/// with their anchors and x positions.
struct Parsed {
    paths: [usize; 2],
    texts: [Vec<(String, String, String)>; 2],
    root: Vec<(String, String)>,
}

impl Parsed {
    fn wide(&self) -> Vec<&str> {
        self.texts[0].iter().map(|t| t.0.as_str()).collect()
    }
}

fn parse(svg: &str) -> Parsed {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("invalid SVG: {e}\n{svg}"));
    let root = doc
        .root_element()
        .attributes()
        .map(|a| (a.name().to_string(), a.value().to_string()))
        .collect();
    let layer = |class: &str| {
        doc.descendants()
            .find(|n| n.attribute("class") == Some(class))
            .unwrap_or_else(|| panic!("no {class} layer"))
    };
    let paths = ["wide", "narrow"].map(|c| {
        layer(c)
            .descendants()
            .filter(|n| n.has_tag_name("path"))
            .count()
    });
    let texts = ["wide", "narrow"].map(|c| {
        layer(c)
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .map(|n| {
                (
                    n.text().unwrap_or("").trim().to_string(),
                    // no anchor is `start`, the SVG default
                    n.attribute("text-anchor").unwrap_or("start").to_string(),
                    format!(
                        "{}{}",
                        n.attribute("x").unwrap_or(""),
                        n.attribute("dx").unwrap_or("")
                    ),
                )
            })
            .collect()
    });
    Parsed { paths, texts, root }
}

/// Filled rectangles of both layouts: one `z` per rectangle in the paths' data.
fn rects(svg: &str) -> usize {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("path") && n.attribute("fill") != Some("none"))
        .map(|n| n.attribute("d").unwrap_or("").matches('z').count())
        .sum()
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
    // per layout: one path per series (5 rows each), the axis and no reference line
    assert_eq!(values.paths, [3, 3], "{}", charts[0].svg);
    for texts in &values.texts {
        let labels: Vec<&str> = texts.iter().map(|t| t.0.as_str()).collect();
        for name in ["آذربایجان شرقی", "تهران", "ایلام", "۱۹۹", "۱۲۰٪", "تحقق"]
        {
            assert!(labels.contains(&name), "{name} in {labels:?}");
        }
        assert!(!labels.contains(&"جمع کل"));
    }
    // row labels flush right: anchored at the right edge, which is "start" in an rtl SVG;
    // wide: 8 px from the chart's right edge whatever its width
    let tehran = values.texts[0].iter().find(|t| t.0 == "تهران").unwrap();
    assert_eq!((tehran.1.as_str(), tehran.2.as_str()), ("start", "100%-8"));
    // plan and actual, and the orange of rows under their plan (ایلام: ۶۷٪)
    let legend: Vec<&str> = charts[0].legend.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(legend.len(), 3, "{legend:?}");
    assert!(legend[2].contains("زیر ۱۰۰٪"));
}

#[test]
fn an_outlier_is_cut_visibly_and_keeps_its_true_value() {
    let achievement = &charts(PLAN_ACTUAL)[1];
    let parsed = parse(&achievement.svg);
    let labels = parsed.wide();
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
        // no float noise in attributes, no scaling of the whole drawing
        assert!(!chart.svg.contains(".0000"), "{}", chart.svg);
        assert_eq!(attr("viewBox"), None);
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
    let bars = charts[0].svg.matches("<path fill=\"#08306b\"").count();
    assert_eq!(bars, 2, "one bar per layout: the text plan gets none");
    assert_eq!(rects(&charts[0].svg), 2, "one rectangle per layout");
    assert!(parsed.wide().contains(&"حسب درخواست"));
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
        rects(&chart.svg),
        4,
        "two segments per layout for the row with results, none for the empty row"
    );
    assert!(parsed.wide().contains(&"۸۰٪") && parsed.wide().contains(&"۲۰٪"));
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
        rects(&chart.svg),
        6,
        "per layout, 2 rows × 2 categories, the total column left out, zero an outline"
    );
    assert!(parsed.wide().contains(&"۱") && parsed.wide().contains(&"۲"));
}

#[test]
fn child_labels_repeated_under_several_parents_are_drawn_under_their_parent() {
    let toml = r#"
[[tables]]
id = "T9"
kind = "activities"
caption = "تایید صلاحیت"
label_headers = ["فعالیت", "مرحله"]
columns = [
  { key = "plan", label = "برنامه", role = "plan" },
  { key = "actual", label = "عملکرد", role = "actual" },
  { key = "pct", label = "درصد", type = "percent", role = "pct" },
]
rows = [
  { no = "1", label = ["آزمایشگاه ISO/IEC 17025", "صدور (بر حسب دامنه)"], values = [70, 348, 497] },
  { label = ["آزمایشگاه ISO/IEC 17025", "تجدید (بر حسب دامنه)"], values = [70, 213, 304] },
  { no = "2", label = ["بازرسی ISO/IEC 17020", "صدور (بر حسب دامنه)"], values = [22, 53, 241] },
  { label = ["بازرسی ISO/IEC 17020", "تجدید (بر حسب دامنه)"], values = [50, 36, 72] },
]
"#;
    let chart = &charts(toml)[0];
    for texts in &parse(&chart.svg).texts {
        let labels: Vec<&str> = texts.iter().map(|t| t.0.as_str()).collect();
        let at = |s: &str| labels.iter().position(|l| *l == s).unwrap();
        assert_eq!(
            labels
                .iter()
                .filter(|l| **l == "صدور (بر حسب دامنه)")
                .count(),
            2
        );
        assert!(at("آزمایشگاه ISO/IEC 17025") < at("۴۹۷٪"));
        assert!(at("بازرسی ISO/IEC 17020") > at("۳۰۴٪"));
    }
    // the description names the parent with the child
    assert!(
        chart
            .svg
            .contains("آزمایشگاه ISO/IEC 17025 – صدور (بر حسب دامنه) (۴۹۷٪)"),
        "{}",
        chart.svg
    );
}

#[test]
fn the_reference_line_is_left_out_where_a_value_label_would_cross_it() {
    let toml = PLAN_ACTUAL.replace("[3, 2, 67]", "[100, 97, 97]");
    let achievement = &charts(&toml)[1];
    let doc = roxmltree::Document::parse(&achievement.svg).unwrap();
    let wide = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("wide"))
        .unwrap();
    let reference = wide
        .descendants()
        .find(|n| n.attribute("stroke") == Some("#1b1f24"))
        .unwrap();
    // five rows; the 97% row's label would sit on the line
    let segments = reference.attribute("d").unwrap().matches('M').count();
    assert_eq!(segments, 4, "{}", achievement.svg);
}

#[test]
fn a_long_narrow_layout_is_drawn_in_parts_that_each_fit_a_printed_page() {
    let rows: Vec<String> = (1..=60)
        .map(|i| {
            format!("  {{ no = \"{i}\", label = [\"استان {i}\"], values = [{i}, {i}, 100] }},")
        })
        .collect();
    let toml = PLAN_ACTUAL.replace(
        &PLAN_ACTUAL[PLAN_ACTUAL.find("rows = [").unwrap()..PLAN_ACTUAL.find("total =").unwrap()],
        &format!("rows = [\n{}\n]\n", rows.join("\n")),
    );
    let chart = &charts(&toml)[0];
    let parts = chart_svgs(&chart.svg);
    assert!(parts.len() >= 3, "{} parts", parts.len());
    let mut labels = 0;
    for (i, part) in parts.iter().enumerate() {
        let doc = roxmltree::Document::parse(part).unwrap();
        let root = doc.root_element();
        // the first names the chart and holds the wide layout; the others continue it
        assert_eq!(root.attribute("role") == Some("img"), i == 0);
        assert_eq!(root.attribute("aria-hidden") == Some("true"), i > 0);
        let style = root.attribute("style").unwrap();
        let hn: f64 = style
            .split("--hn:")
            .nth(1)
            .unwrap()
            .trim_end_matches("px")
            .parse()
            .unwrap();
        assert!(hn <= svg::PART_HEIGHT + 8.0, "{style}");
        let narrow = doc
            .descendants()
            .find(|n| n.attribute("class") == Some("narrow"))
            .unwrap();
        let texts: Vec<&str> = narrow
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .collect();
        assert!(texts.contains(&"تحقق"), "every part has the header");
        labels += texts.iter().filter(|t| t.starts_with("استان ")).count();
    }
    assert_eq!(labels, 60, "every row once");
}

/// The chart and the parts that continue it, each a whole `<svg>`.
fn chart_svgs(html: &str) -> Vec<&str> {
    html.split_inclusive("</g></svg>").collect()
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
