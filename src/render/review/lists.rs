//! Writing the reviewer view's lists: the page's panel, the list under a table, each entry
//! (where it is, its kind and rule, the figures compared, check's message, the file) and the
//! tip a marked cell shows.

use super::{Context, FOLDED_FROM, Item, Kind};
use crate::config::DigitStyle;
use crate::content::{RowRef, Table};
use crate::diagnostics::Finding;
use crate::numfmt::{format_number, localize_digits};
use crate::render::html::{attr, escaped};
use crate::routes::Route;
use std::fmt::Write as _;

impl Context<'_> {
    /// The panel: a count per kind and every finding of the page, linked to where it is;
    /// what is to be fixed first, the acknowledged discrepancies (the report's own, often
    /// many) folded after. Entries listed under a table carry their ids there, the others here.
    pub(super) fn panel(
        &self,
        title: &str,
        items: &[Item],
        listed_in_a_table: impl Fn(&Item) -> bool,
    ) -> String {
        let count = |kind: Kind| items.iter().filter(|it| it.kind == kind).count();
        let to_fix = count(Kind::Error) + count(Kind::Warning);
        let mut out = String::from(
            "\n<aside class=\"review-panel\" aria-labelledby=\"review-panel-title\">\n<details",
        );
        if to_fix > 0 || items.len() <= FOLDED_FROM {
            out.push_str(" open");
        }
        out.push_str("><summary><span id=\"review-panel-title\">");
        escaped(&mut out, title);
        out.push_str("</span>: ");
        let counts: Vec<String> = [Kind::Error, Kind::Acknowledged, Kind::Warning]
            .into_iter()
            .map(|kind| {
                let n = localize_digits(&count(kind).to_string(), self.digits);
                let (class, name) = (kind.class(), kind.name());
                format!("<span class=\"count {class}\">{n} {name}</span>")
            })
            .collect();
        out.push_str(&counts.join("، "));
        out.push_str("</summary>\n");
        let numbered: Vec<(usize, &Item)> = items.iter().enumerate().collect();
        let (acknowledged, first): (Vec<_>, Vec<_>) = numbered
            .into_iter()
            .partition(|(_, it)| it.kind == Kind::Acknowledged);
        self.panel_list(&mut out, &first, &listed_in_a_table);
        if !acknowledged.is_empty() {
            let folded = to_fix > 0 || acknowledged.len() > FOLDED_FROM;
            out.push_str(if folded {
                "<details>"
            } else {
                "<details open>"
            });
            let n = localize_digits(&acknowledged.len().to_string(), self.digits);
            let _ = write!(out, "<summary>ناسازگاری‌های پذیرفته‌شده ({n})</summary>");
            self.panel_list(&mut out, &acknowledged, &listed_in_a_table);
            out.push_str("</details>\n");
        }
        out.push_str("<p class=\"review-note\">این نمای بازبینی است: یافته‌های <code>karnameh check</code> روی صفحه. در پایگاه منتشرشده نیست.</p>\n</details>\n</aside>\n");
        out
    }

    fn panel_list(
        &self,
        out: &mut String,
        items: &[(usize, &Item)],
        listed_in_a_table: impl Fn(&Item) -> bool,
    ) {
        if items.is_empty() {
            return;
        }
        out.push_str(self.list());
        for (n, it) in items {
            out.push_str("<li");
            if !listed_in_a_table(it) {
                attr(out, "id", &entry_id(self.page, *n));
            }
            self.entry(out, it);
        }
        out.push_str("</ol>\n");
    }

    /// An ordered list numbered in the site's digits.
    pub(super) fn list(&self) -> &'static str {
        match self.digits {
            DigitStyle::Persian => "<ol class=\"digits-persian\">",
            DigitStyle::Latin => "<ol>",
        }
    }

    /// The rest of a list entry after `<li`: its class, link, kind, rule, figures and source.
    pub(super) fn entry(&self, out: &mut String, it: &Item) {
        let f = it.finding;
        out.push_str(" class=\"finding-item ");
        out.push_str(it.kind.class());
        out.push_str("\">");
        match &it.href {
            Some(href) => {
                out.push_str("<a");
                attr(out, "href", href);
                out.push('>');
                escaped(out, &it.place);
                out.push_str("</a>");
            }
            None => escaped(out, &it.place),
        }
        out.push_str(": ");
        self.tip(out, it);
        out.push_str(" <span class=\"finding-message\" dir=\"ltr\" lang=\"en\">");
        escaped(out, &f.message);
        out.push_str("</span> <span class=\"finding-source\" dir=\"ltr\">");
        let file = f.file.strip_prefix(self.root).unwrap_or(&f.file);
        escaped(out, &format!("{}:{}", file.display(), f.line));
        out.push_str("</span></li>");
    }

    /// `خطا · ردیف جمع: مورد انتظار ۱۲۰؛ ثبت‌شده ۱۲۴`.
    pub(super) fn tip(&self, out: &mut String, it: &Item) {
        let f = it.finding;
        out.push_str("<strong class=\"finding-kind\">");
        out.push_str(it.kind.name());
        out.push_str("</strong> · ");
        escaped(out, f.rule.persian_name());
        if let (Some(expected), Some(found)) = (f.expected(), f.found()) {
            out.push_str(": مورد انتظار <bdi>");
            escaped(out, &figure(expected, self.digits));
            out.push_str("</bdi>؛ ثبت‌شده <bdi>");
            escaped(out, &figure(found, self.digits));
            out.push_str("</bdi>");
        }
    }
}

/// The id of the `n`th (0-based) entry of a page's findings; a section's name their section,
/// so that they stay unique in the year's print edition, which holds every section.
pub(super) fn entry_id(page: &Route, n: usize) -> String {
    match page {
        Route::Section(_, slug) => format!("finding-{slug}-{}", n + 1),
        _ => format!("finding-{}", n + 1),
    }
}

/// «جدول T010، ردیف ۳، برنامه» (page and table on a year's pages, where many tables are).
pub(super) fn place(f: &Finding, table: Option<&Table>, digits: DigitStyle) -> String {
    let mut parts = vec![format!(
        "صفحه {}",
        localize_digits(&f.page.to_string(), digits)
    )];
    if let Some(id) = &f.table {
        parts.push(format!("جدول {id}"));
    }
    match f.row() {
        Some(RowRef::Total) => parts.push("ردیف جمع".to_string()),
        Some(row) => parts.push(format!(
            "ردیف {}",
            localize_digits(&row.to_string().replace('#', ""), digits)
        )),
        None => {}
    }
    if let Some(column) = f.column() {
        parts.push(match table {
            Some(t) => t.column_label(column, " / "),
            None => column.to_string(),
        });
    }
    parts.join("، ")
}

/// A figure of a finding (`check` writes them plainly) in the site's digits and separators.
fn figure(text: &str, digits: DigitStyle) -> String {
    match text.parse::<f64>() {
        Ok(n) if n.is_finite() => format_number(n, None, digits),
        _ => localize_digits(text, digits),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_written_in_the_sites_digits() {
        assert_eq!(figure("6634", DigitStyle::Persian), "۶٬۶۳۴");
        assert_eq!(figure("25200.0", DigitStyle::Latin), "25,200");
        assert_eq!(figure("n/a", DigitStyle::Persian), "n/a");
    }
}
