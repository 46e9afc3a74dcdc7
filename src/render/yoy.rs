//! Year over year, written into the page as figure.rs writes tables: a table's comparison
//! with the previous year of its series, and a series page's figures (a chart and a table of
//! every year per compared column). A row one year lacks is shown as lacking, never filled.

use super::figure;
use super::html::{attr, escaped};
use super::links::Linker;
use crate::config::DigitStyle;
use crate::content::Cell;
use crate::model::compare::{ComparedRow, Comparison, Presence, change};
use crate::model::series::{SeriesColumn, SeriesModel};
use crate::numfmt::{format_number, format_percent, localize_digits};
use crate::routes::Route;
use std::fmt::Write;

/// What a missing row shows; the figures' notes say what it means.
const ABSENT: &str = "—";

/// The comparison of table `id` with the previous year's table of its series.
pub fn comparison(out: &mut String, id: &str, c: &Comparison, digits: DigitStyle, links: &Linker) {
    let year = |y: u32| localize_digits(&y.to_string(), digits);
    let caption = format!("{id}-yoy-caption");
    out.push_str("<div class=\"yoy table-scroll\" tabindex=\"0\" role=\"region\"");
    attr(out, "aria-labelledby", &caption);
    out.push_str(">\n<table class=\"yoy-table\">\n<caption");
    attr(out, "id", &caption);
    let _ = write!(out, ">مقایسه با سال {}", year(c.previous_year));
    if let [only] = c.columns.as_slice() {
        out.push_str(": ");
        escaped(out, only);
    }
    out.push_str(" <a");
    attr(out, "href", &links.to(&Route::Series(c.series.clone())));
    out.push_str(">همه سال‌ها</a></caption>\n<thead>\n");
    let leaves = format!(
        "<th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">تغییر</th><th scope=\"col\">درصد تغییر</th>",
        year(c.previous_year),
        year(c.year)
    );
    if c.columns.len() > 1 {
        out.push_str("<tr><th scope=\"col\" rowspan=\"2\">ردیف</th>");
        for label in &c.columns {
            out.push_str("<th scope=\"colgroup\" colspan=\"4\">");
            escaped(out, label);
            out.push_str("</th>");
        }
        out.push_str("</tr>\n<tr>");
        out.push_str(&leaves.repeat(c.columns.len()));
    } else {
        out.push_str("<tr><th scope=\"col\">ردیف</th>");
        out.push_str(&leaves);
    }
    out.push_str("</tr>\n</thead>\n<tbody>\n");
    for row in c.rows.iter().filter(|r| !r.total) {
        compared_row(out, row, c, digits);
    }
    out.push_str("</tbody>\n");
    if c.rows.iter().any(|r| r.total) {
        out.push_str("<tfoot>\n");
        for row in c.rows.iter().filter(|r| r.total) {
            compared_row(out, row, c, digits);
        }
        out.push_str("</tfoot>\n");
    }
    out.push_str("</table>\n</div>\n");
}

fn compared_row(out: &mut String, row: &ComparedRow, c: &Comparison, digits: DigitStyle) {
    out.push_str("<tr");
    match row.presence {
        Presence::Both => {}
        Presence::CurrentOnly => out.push_str(" class=\"only-current\""),
        Presence::PreviousOnly => out.push_str(" class=\"only-previous\""),
    }
    out.push_str("><th scope=\"row\">");
    escaped(out, &row.label);
    out.push_str("</th>");
    for (previous, current) in &row.cells {
        value_cell(out, previous.as_ref(), digits);
        value_cell(out, current.as_ref(), digits);
        let only = match row.presence {
            Presence::Both => None,
            Presence::CurrentOnly => Some(c.year),
            Presence::PreviousOnly => Some(c.previous_year),
        };
        if let Some(y) = only {
            let y = localize_digits(&y.to_string(), digits);
            let _ = write!(
                out,
                "<td class=\"presence\" colspan=\"2\">فقط در سال {y}</td>"
            );
            continue;
        }
        match change(previous.as_ref(), current.as_ref()) {
            Some((difference, percent)) => {
                out.push_str("<td class=\"decimal change\">");
                signed(out, format_number(difference, None, digits), difference);
                out.push_str("</td><td class=\"percent change\">");
                match percent {
                    Some(p) => {
                        let rounded = (p * 10.0).round() / 10.0;
                        signed(out, format_percent(rounded, digits), rounded);
                    }
                    None => out.push_str(ABSENT),
                }
                out.push_str("</td>");
            }
            None => out.push_str("<td class=\"text\"></td><td class=\"text\"></td>"),
        }
    }
    out.push_str("</tr>\n");
}

/// A change with its sign: `+۲۴۵`, `‎-۱۲` (the minus comes with the number).
fn signed(out: &mut String, text: String, value: f64) {
    if value > 0.0 {
        out.push('+');
    }
    escaped(out, &text);
}

/// A figure as printed: a number in the site's digits, text as written, `—` where the year
/// lacks the row.
fn value_cell(out: &mut String, cell: Option<&Cell>, digits: DigitStyle) {
    match cell {
        None => {
            let _ = write!(out, "<td class=\"absent\">{ABSENT}</td>");
        }
        Some(cell) => match cell.as_number() {
            Some(n) => {
                out.push_str("<td class=\"integer\">");
                escaped(out, &format_number(n, None, digits));
                out.push_str("</td>");
            }
            None => {
                out.push_str("<td class=\"text\">");
                if let Cell::List(items) = cell {
                    escaped(out, &items.join("، "));
                } else if let Cell::Text(t) = cell {
                    escaped(out, t);
                }
                out.push_str("</td>");
            }
        },
    }
}

/// A series page's figures: per compared column, its chart and a table of every year.
pub fn series_figures(series: &SeriesModel, digits: DigitStyle) -> String {
    let mut out = String::new();
    for (i, column) in series.columns.iter().enumerate() {
        let id = format!("series-{}-{}", series.key, i + 1);
        out.push_str("\n<section class=\"series-column\"");
        attr(&mut out, "aria-labelledby", &format!("{id}-title"));
        out.push_str(">\n<h2");
        attr(&mut out, "id", &format!("{id}-title"));
        out.push('>');
        escaped(&mut out, &column.label);
        out.push_str("</h2>\n");
        if let Some(chart) = &column.chart {
            figure::chart(&mut out, chart, None);
        }
        years_table(&mut out, &id, series, column, digits);
        out.push_str("</section>\n");
    }
    out
}

fn years_table(
    out: &mut String,
    id: &str,
    series: &SeriesModel,
    column: &SeriesColumn,
    digits: DigitStyle,
) {
    out.push_str("<div class=\"table-scroll\" tabindex=\"0\" role=\"region\"");
    attr(out, "aria-labelledby", &format!("{id}-caption"));
    out.push_str(">\n<table class=\"series-table\">\n<caption");
    attr(out, "id", &format!("{id}-caption"));
    out.push('>');
    escaped(out, &column.label);
    out.push_str(" در هر سال</caption>\n<thead><tr><th scope=\"col\">ردیف</th>");
    for y in &series.years {
        let _ = write!(
            out,
            "<th scope=\"col\">{}</th>",
            localize_digits(&y.year.to_string(), digits)
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &column.rows {
        out.push_str(if row.total {
            "<tr class=\"subtotal\">"
        } else {
            "<tr>"
        });
        out.push_str("<th scope=\"row\">");
        escaped(out, &row.label);
        out.push_str("</th>");
        for value in &row.values {
            value_cell(out, value.as_ref(), digits);
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n<p class=\"table-notes\">");
    let _ = write!(
        out,
        "{ABSENT}: ردیف در جدول آن سال نیست (چیزی به جای آن حدس زده نشده است)."
    );
    out.push_str("</p>\n");
}
