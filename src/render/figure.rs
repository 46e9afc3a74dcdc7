//! A table's figure (caption, header rows, body, totals row, charts, notes) and a chart's
//! figure, written straight into the page. Tables are the bulk of every page: writing them here
//! rather than through template macros keeps a page's cost proportional to its cells, and a
//! big table is written without being held twice. Themes style them through the classes used
//! here (see `docs/theme.md`).

use super::html::{attr, escaped, span};
use super::links::Linker;
use super::review::{Marks, TableReview};
use crate::charts::Chart;
use crate::config::DigitStyle;
use crate::content::Table;
use crate::model::ids::{caption_id, downloads_id, value_cell_id};
use crate::model::rows::{CellContent, CellView, Part, RowView};
use crate::model::{DownloadModel, MarkModel, TableModel};
use crate::numfmt::{format_size, localize_digits, localize_text};
use std::fmt::Write;

/// Tables with at least this many columns print on a landscape page (theme class `wide`).
const WIDE_COLUMNS: usize = 12;
/// Tables with more rows than this scroll in a box that keeps their header in view (`long`).
const LONG_ROWS: usize = 20;

/// Writes the figure of `model`, whose content is `table`, on the page `links` link from;
/// `review` marks its findings (the reviewer view) and lists them under it.
pub fn table(
    out: &mut String,
    model: &TableModel,
    table: &Table,
    digits: DigitStyle,
    links: &Linker,
    review: Option<&TableReview>,
) {
    out.push('\n');
    for h in &model.headings {
        let level = h.level + 2;
        let _ = write!(out, "<h{level} class=\"table-heading\">");
        escaped(out, &h.text);
        let _ = writeln!(out, "</h{level}>");
    }
    out.push('\n');
    out.push_str("<figure class=\"report-table kind-");
    escaped(out, model.kind);
    if model.column_count >= WIDE_COLUMNS {
        out.push_str(" wide");
    }
    out.push('"');
    attr(out, "id", &model.id);
    out.push_str(">\n<div class=\"table-scroll");
    if table.rows.len() > LONG_ROWS {
        out.push_str(" long");
    }
    out.push_str("\" tabindex=\"0\" role=\"region\"");
    attr(out, "aria-labelledby", &caption_id(&model.id));
    out.push_str(if table.has_number_column() {
        ">\n<table class=\"numbered\">\n"
    } else {
        ">\n<table>\n"
    });
    caption(out, model, digits);
    out.push_str("<thead>\n");
    for row in &model.header_rows {
        out.push_str("<tr>");
        for h in row {
            out.push_str("<th");
            attr(out, "id", &h.id);
            attr(out, "scope", h.scope);
            span(out, "colspan", h.colspan);
            span(out, "rowspan", h.rowspan);
            if h.numeric {
                out.push_str(" class=\"num\"");
            }
            out.push('>');
            escaped(out, &h.text);
            if let Some(m) = &h.mark {
                mark(out, m);
            }
            out.push_str("</th>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</thead>\n<tbody>\n");
    let columns = model.column_count;
    model.for_each_row(table, Part::Body, digits, |row| {
        table_row(out, &row, columns, review)
    });
    out.push_str("</tbody>\n");
    if model.has_totals {
        out.push_str("<tfoot>\n");
        model.for_each_row(table, Part::Foot, digits, |row| {
            table_row(out, &row, columns, review)
        });
        out.push_str("</tfoot>");
    }
    out.push_str("\n</table>\n</div>\n");
    // right under the table, before its comparison and charts: next to the cells it names
    if let Some(review) = review {
        out.push_str(review.notes());
    }
    if let Some(comparison) = &model.comparison {
        super::yoy::comparison(out, &model.id, comparison, digits, links);
    }
    downloads(out, model, digits, links);
    for c in &model.charts {
        chart(out, c, Some(&model.id));
    }
    out.push('\n');
    notes(out, model, digits);
    out.push_str("\n</figure>\n");
}

/// The table's data files: a labelled list of links, each with its format and size.
fn downloads(out: &mut String, model: &TableModel, digits: DigitStyle, links: &Linker) {
    if model.downloads.is_empty() {
        return;
    }
    let label = downloads_id(&model.id);
    out.push_str("<div class=\"downloads\"><span class=\"downloads-title\"");
    attr(out, "id", &label);
    out.push_str(">داده‌های این جدول:</span> <ul");
    attr(out, "aria-labelledby", &label);
    out.push('>');
    for d in &model.downloads {
        out.push_str("<li>");
        download_link(out, d, &links.to(&d.route), digits);
        out.push_str("</li>");
    }
    out.push_str("</ul></div>\n");
}

/// `<a href download type>CSV <span class="size">(۲٫۱ کیلوبایت)</span></a>`.
fn download_link(out: &mut String, d: &DownloadModel, url: &str, digits: DigitStyle) {
    out.push_str("<a");
    attr(out, "href", url);
    attr(out, "download", &d.name);
    attr(out, "type", d.media_type);
    out.push('>');
    escaped(out, d.label);
    out.push_str(" <span class=\"size\">(");
    escaped(out, &format_size(d.bytes, digits));
    out.push_str(")</span></a>");
}

fn caption(out: &mut String, model: &TableModel, digits: DigitStyle) {
    out.push_str("<caption");
    attr(out, "id", &caption_id(&model.id));
    out.push_str("><span class=\"caption-text\">");
    escaped(out, &model.caption);
    out.push_str("</span>");
    if let Some(unit) = &model.unit {
        out.push_str(" <span class=\"unit\">(");
        escaped(out, unit);
        out.push_str(")</span>");
    }
    out.push_str(" <span class=\"table-meta\">صفحه ");
    escaped(out, &localize_digits(&model.page.to_string(), digits));
    out.push_str(" گزارش");
    out.push_str("</span></caption>\n");
}

fn mark(out: &mut String, m: &MarkModel) {
    out.push_str("<sup class=\"mark\"><a");
    attr(out, "href", &format!("#{}", m.target));
    attr(out, "aria-label", &format!("پانویس {}", m.marker));
    out.push('>');
    escaped(out, &m.marker);
    out.push_str("</a></sup>");
}

fn table_row(out: &mut String, row: &RowView, column_count: usize, review: Option<&TableReview>) {
    out.push_str("<tr");
    attr(out, "id", row.anchor);
    let finding = review.and_then(|r| r.row(row.reference));
    if row.subtotal || row.flagged || finding.is_some() {
        out.push_str(" class=\"");
        if row.subtotal {
            out.push_str("subtotal");
        }
        if row.flagged {
            out.push_str(" flagged");
        }
        if let Some(kind) = finding {
            out.push_str(" finding ");
            out.push_str(kind.class());
        }
        out.push('"');
    }
    out.push('>');
    match row.heading {
        Some(heading) => {
            for c in &row.cells {
                out.push_str("<th scope=\"row\" class=\"no\">");
                content(out, &c.content);
                out.push_str("</th>");
            }
            let _ = write!(
                out,
                "<th scope=\"colgroup\" class=\"row-heading\" colspan=\"{}\">",
                column_count.saturating_sub(row.cells.len())
            );
            escaped(out, heading);
            out.push_str("</th>");
        }
        None => {
            for c in &row.cells {
                let marks = review
                    .zip(c.column)
                    .and_then(|(r, key)| r.cell(row.reference, key));
                cell(out, c, marks.map(|m| (m, row.anchor)));
            }
        }
    }
    out.push_str("</tr>\n");
}

/// Writes one cell; `marks` (with the row's anchor) are its findings in the reviewer view.
fn cell(out: &mut String, c: &CellView, marks: Option<(&Marks, &str)>) {
    let tag = if c.header { "th" } else { "td" };
    out.push('<');
    out.push_str(tag);
    if let Some(id) = &c.id {
        attr(out, "id", id);
    }
    if let (Some((m, anchor)), Some(key)) = (marks, c.column) {
        attr(out, "id", &value_cell_id(anchor, key));
        out.push_str(" tabindex=\"0\"");
        attr(out, "aria-describedby", &m.described_by);
    }
    if c.header {
        out.push_str(" scope=\"row\"");
    }
    attr(out, "headers", &c.headers);
    span(out, "rowspan", c.rowspan);
    span(out, "colspan", c.colspan);
    out.push_str(" class=\"");
    out.push_str(c.ty);
    if c.flagged {
        out.push_str(" flagged");
    }
    if let Some((m, _)) = marks {
        out.push_str(" finding ");
        out.push_str(m.kind.class());
    }
    out.push_str("\">");
    content(out, &c.content);
    if let Some(m) = &c.mark {
        mark(out, m);
    }
    if let Some((m, _)) = marks {
        out.push_str("<span class=\"finding-tip\" aria-hidden=\"true\">");
        out.push_str(&m.tip);
        out.push_str("</span>");
    }
    out.push_str("</");
    out.push_str(tag);
    out.push('>');
}

fn content(out: &mut String, content: &CellContent) {
    match content {
        CellContent::Text(text) => escaped(out, text),
        CellContent::List(items) => {
            out.push_str("<ul>");
            for item in *items {
                out.push_str("<li>");
                escaped(out, item);
                out.push_str("</li>");
            }
            out.push_str("</ul>");
        }
    }
}

/// Footnotes, the note, acknowledged discrepancies and corrections under the table.
fn notes(out: &mut String, model: &TableModel, digits: DigitStyle) {
    let any = !model.footnotes.is_empty()
        || model.note.is_some()
        || !model.discrepancies.is_empty()
        || model.corrections.iter().any(|c| c.reader_note.is_some());
    if !any {
        return;
    }
    out.push_str("\n<figcaption class=\"table-notes\">\n");
    if !model.footnotes.is_empty() {
        out.push_str("<ol class=\"footnotes\">");
        for f in &model.footnotes {
            out.push_str("<li");
            attr(out, "id", &f.id);
            out.push_str("><span class=\"marker\">");
            escaped(out, &f.marker);
            out.push_str("</span> ");
            escaped(out, &localize_text(&f.text, digits));
            out.push_str("</li>");
        }
        out.push_str("</ol>");
    }
    out.push('\n');
    if let Some(note) = &model.note {
        out.push_str("<p class=\"note\">");
        escaped(out, &localize_text(note, digits));
        out.push_str("</p>");
    }
    out.push('\n');
    discrepancies(out, model, digits);
    out.push('\n');
    corrections(out, model, digits);
    out.push_str("\n</figcaption>\n");
}

/// Lists longer than this under a table are folded into a one-line summary.
const FOLD_AFTER: usize = 3;

fn discrepancies(out: &mut String, model: &TableModel, digits: DigitStyle) {
    let count = model.discrepancies.len();
    if count == 0 {
        return;
    }
    let folded = count > FOLD_AFTER;
    if folded {
        let n = localize_digits(&count.to_string(), digits);
        let _ = write!(
            out,
            "<details class=\"discrepancies\"><summary>{n} ناسازگاری در ارقام خود گزارش؛ ارقام همان‌گونه که چاپ شده‌اند آمده‌اند</summary><ul>"
        );
    } else {
        out.push_str("<div class=\"discrepancies\" role=\"note\"><p class=\"notes-title\">ناسازگاری‌های خود گزارش (ارقام همان‌گونه که چاپ شده‌اند):</p><ul>");
    }
    for d in &model.discrepancies {
        out.push_str("<li><a");
        attr(out, "href", &format!("#{}", d.anchor));
        out.push('>');
        escaped(out, &d.place(digits));
        out.push_str("</a>: ");
        escaped(out, &d.note);
        out.push_str("</li>");
    }
    out.push_str(if folded {
        "</ul></details>"
    } else {
        "</ul></div>"
    });
}

/// The report's own misprints that were corrected; extraction defects are the review page's.
fn corrections(out: &mut String, model: &TableModel, digits: DigitStyle) {
    let misprints: Vec<_> = model
        .corrections
        .iter()
        .filter_map(|c| c.reader_note.as_ref().map(|note| (c, note)))
        .collect();
    if misprints.is_empty() {
        return;
    }
    let count = localize_digits(&misprints.len().to_string(), digits);
    let _ = write!(
        out,
        "<details class=\"corrections\"><summary>غلط‌های چاپی گزارش که اصلاح شد ({count})</summary><ul>"
    );
    for (c, note) in misprints {
        out.push_str("<li>");
        match &c.anchor {
            Some(anchor) => {
                out.push_str("<a");
                attr(out, "href", &format!("#{anchor}"));
                out.push('>');
                escaped(out, &c.place);
                out.push_str("</a>");
            }
            None => escaped(out, &c.place),
        }
        out.push_str(": ");
        escaped(out, note);
        out.push_str("</li>");
    }
    out.push_str("</ul></details>");
}

/// Writes a chart's figure; `table` links its caption to the table that holds its data.
pub fn chart(out: &mut String, c: &Chart, table: Option<&str>) {
    out.push_str("\n<figure class=\"chart\"");
    attr(out, "id", &c.id);
    out.push_str(">\n");
    if !c.legend.is_empty() {
        out.push_str("<ul class=\"legend\">");
        for item in &c.legend {
            // a border, not a background: borders print even without "background graphics"
            out.push_str("<li><span class=\"swatch\"");
            attr(out, "style", &format!("border-color:{}", item.color));
            out.push_str("></span>");
            escaped(out, &item.label);
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    out.push('\n');
    out.push_str(&c.svg);
    out.push('\n');
    if !c.keys.is_empty() {
        out.push_str("<ol class=\"chart-keys\">");
        for k in &c.keys {
            out.push_str("<li>");
            escaped(out, k);
            out.push_str("</li>");
        }
        out.push_str("</ol>");
    }
    out.push_str("\n<figcaption>");
    escaped(out, &c.title);
    if let Some(id) = table {
        out.push_str(" (<a");
        attr(out, "href", &format!("#{}", caption_id_str(id)));
        out.push_str(">داده‌ها در جدول بالا</a>)");
    }
    out.push_str("</figcaption>\n</figure>\n");
}

fn caption_id_str(table: &str) -> String {
    format!("{table}-caption")
}
