//! The Persian titles and descriptions of charts: the `<title>` and `<desc>` a screen reader
//! reads, and the caption under the chart. Kept apart from drawing so wording changes in one
//! place.

use super::Fmt;
use crate::content::Table;

/// ` (اجباری / صدور)` for a column inside groups, empty otherwise.
pub fn group_suffix(table: &Table, column: usize) -> String {
    let group = &table.columns[column].group;
    if group.is_empty() {
        String::new()
    } else {
        format!(" ({})", group.join(" / "))
    }
}

/// A row's name and value, for "highest" and "lowest".
pub struct Extreme<'a> {
    pub name: &'a str,
    pub value: String,
}

pub fn values_title(table: &Table, plan: usize) -> String {
    format!(
        "{}{}: برنامه و عملکرد",
        table.caption,
        group_suffix(table, plan)
    )
}

pub fn values(f: Fmt, rows: usize, top: Extreme, low: Extreme, under: usize) -> String {
    format!(
        "نمودار میله‌ای برنامه و عملکرد {} ردیف {}. بیشترین عملکرد: {} ({})؛ کمترین عملکرد: {} ({})؛ {} ردیف زیر ۱۰۰٪ برنامه{}.",
        f.count(rows),
        THIS_TABLE,
        top.name,
        top.value,
        low.name,
        low.value,
        f.count(under),
        if under > 0 {
            "، با درصد تحقق نارنجی"
        } else {
            ""
        }
    )
}

/// How a chart names the table it draws: it sits under that table.
const THIS_TABLE: &str = "این جدول";

/// The legend's entry for the side column's colour.
pub const UNDER_PLAN: &str = "درصد تحقق زیر ۱۰۰٪ (ستون «تحقق»)";

pub fn achievement_title(table: &Table, pct: usize) -> String {
    format!(
        "{}{}: درصد تحقق برنامه",
        table.caption,
        group_suffix(table, pct)
    )
}

/// What the rows of an achievement view are: the rows of the table above it.
pub fn table_rows() -> String {
    format!("ردیف {THIS_TABLE}")
}

/// What the rows of the overview are.
pub const OVERVIEW_ROWS: &str = "فعالیت این بخش";

pub fn overview_title(section_title: &str) -> String {
    format!("{section_title}: درصد تحقق برنامه همه فعالیت‌ها")
}

/// The figures an achievement view describes.
pub struct AchievementFacts<'a> {
    pub count: usize,
    pub top: Extreme<'a>,
    pub low: Extreme<'a>,
    pub under: usize,
    /// Rows without a numeric plan (shown as text, without a bar).
    pub without: usize,
    /// Where the scale is cut, and how many bars are longer: `(limit, cut)`.
    pub cut: Option<(f64, usize)>,
}

pub fn achievement(f: Fmt, subject: &str, facts: AchievementFacts) -> String {
    let mut desc = format!(
        "درصد تحقق برنامه در {} {subject}. بیشترین: {} ({})؛ کمترین: {} ({})؛ {} مورد زیر ۱۰۰٪.",
        f.count(facts.count),
        facts.top.name,
        facts.top.value,
        facts.low.name,
        facts.low.value,
        f.count(facts.under)
    );
    if facts.without > 0 {
        desc.push_str(&format!(
            " {} مورد بدون برنامه عددی است و میله ندارد.",
            f.count(facts.without)
        ));
    }
    if let Some((limit, cut)) = facts.cut {
        desc.push_str(&format!(
            " مقیاس در {} بریده شده و {} مورد بیش از آن است؛ رقم واقعی کنار میله آمده است.",
            f.pct(limit),
            f.count(cut)
        ));
    }
    desc
}

pub fn cap_label(f: Fmt, limit: f64) -> String {
    format!("مقیاس بریده در {}", f.pct(limit))
}

pub const ACHIEVEMENT_SERIES: &str = "درصد تحقق برنامه";
pub const ACHIEVEMENT_SIDE: &str = "تحقق";

pub fn share_title(table: &Table) -> String {
    format!("{}: به ترتیب مقدار", table.caption)
}

pub fn share(f: Fmt, rows: usize, top: Extreme, low: Extreme) -> String {
    format!(
        "{} ردیف {THIS_TABLE} به ترتیب مقدار. بیشترین: {} ({})؛ کمترین: {} ({}).",
        f.count(rows),
        top.name,
        top.value,
        low.name,
        low.value
    )
}

pub fn heat_map_title(table: &Table) -> String {
    format!("{}: نقشه حرارتی", table.caption)
}

pub fn heat_map(f: Fmt, rows: usize, columns: usize, top: Extreme, column: &str) -> String {
    format!(
        "نقشه حرارتی {} ردیف در {} ستون {THIS_TABLE}؛ هرچه خانه تیره‌تر، مقدار بیشتر. بیشترین مقدار: {} در «{}» ({}). شماره ستون‌ها در راهنمای زیر نمودار نام برده شده است.",
        f.count(rows),
        f.count(columns),
        top.name,
        column,
        top.value
    )
}

/// A heat map's legend entry for values from `low` (exclusive) to `high`.
pub fn bin(f: Fmt, low: f64, high: f64) -> String {
    if low == 0.0 {
        format!("تا {}", f.num(high))
    } else {
        format!("{} تا {}", f.num(low), f.num(high))
    }
}

pub fn pass_fail_title(table: &Table) -> String {
    format!("{}: سهم نتایج", table.caption)
}

pub fn pass_fail(table: &Table, pass: usize, fail: usize, top: Extreme, low: Extreme) -> String {
    let (pass, fail) = (&table.columns[pass].label, &table.columns[fail].label);
    format!(
        "سهم {pass} و {fail} از نتایج هر ردیف {THIS_TABLE} (میله صددرصدی). بیشترین سهم {fail}: {} ({})؛ کمترین: {} ({}).",
        top.name, top.value, low.name, low.value
    )
}
