//! The generated Typst document of one year: the title page as printed, the table of contents
//! with the PDF's own page numbers, every section in the report's order (its heading, the
//! foreword or body, its overview chart, its tables with their notes and charts), wide tables
//! on landscape pages, and an appendix of the extraction corrections.

use super::charts::{self, ChartFile, Placement};
use super::columns::{self, Orientation, Plan};
use super::date::DocumentDate;
use super::markup::{Field, Markup, Origin};
use super::measure::Measure;
use super::prose;
use super::table::{self, TableAt};
use crate::config::{DigitStyle, SiteConfig};
use crate::load::LoadedSection;
use crate::model::SectionModel;
use crate::model::rows::Part;
use crate::numfmt::localize_digits;
use crate::state::YearState;

/// What one year's PDF is made from: the year's state and its sections' models with their
/// charts drawn.
pub struct Report<'a> {
    pub config: &'a SiteConfig,
    pub year: &'a YearState,
    pub sections: &'a [SectionModel],
    pub date: Option<DocumentDate>,
    /// Made although `check` found unacknowledged errors: the title page and header say so.
    pub draft: bool,
}

const DRAFT: &str = "پیش‌نویس: گزارش هنوز خطاهای بررسی‌نشده دارد";
const APPENDIX_TITLE: &str = "پیوست: اصلاح خطاهای استخراج متن";

/// Writes the document of `report` into `m`; returns the charts it refers to.
pub fn write(m: &mut Markup, report: &Report) -> Vec<ChartFile> {
    let mut files = Vec::new();
    let plans = plan_tables(report);
    preamble(m, report);
    title_page(m, report);
    let foreword_alone = !report.sections.iter().any(|s| s.foreword);
    if foreword_alone {
        foreword(m, report, true);
    }
    contents(m, report, foreword_alone);
    for (i, (section, loaded)) in report
        .sections
        .iter()
        .zip(&report.year.loaded.sections)
        .enumerate()
    {
        let start = m.position();
        write_section(m, report, i, (section, loaded), &plans[i], &mut files);
        m.region(start, format!("section {}", loaded.path.display()));
    }
    appendix(m, report);
    files
}

/// Every table's page, type size and column widths.
fn plan_tables(report: &Report) -> Vec<Vec<Plan>> {
    let mut measure = Measure::default();
    let digits = report.config.digits;
    report
        .sections
        .iter()
        .zip(&report.year.loaded.sections)
        .map(|(section, loaded)| {
            section
                .tables
                .iter()
                .zip(&loaded.data.tables)
                .map(|(model, table)| columns::needs(model, table, digits, &mut measure).plan())
                .collect()
        })
        .collect()
}

fn preamble(m: &mut Markup, report: &Report) {
    let model = &report.year.model;
    let meta = Origin {
        file: Some(&report.year.loaded.meta_path),
        ..Origin::default()
    };
    let header = if report.draft {
        format!("پیش‌نویس — {}", model.title)
    } else {
        model.title.clone()
    };
    m.code("#import \"/karnameh.typ\": *\n#show: report.with(\n  title: ")
        .text(&model.title, &meta)
        .code(",\n  header: ")
        .text(&header, &meta)
        .code(",\n  organization: ")
        .text(&model.organization, &meta)
        .code(",\n  date: ");
    match &report.date {
        Some(date) => m.code(&date.typst()),
        None => m.code("none"),
    };
    let digits = match report.config.digits {
        DigitStyle::Persian => "۱",
        DigitStyle::Latin => "1",
    };
    m.code(",\n  digits: ").own(digits).code(",\n)\n");
}

fn title_page(m: &mut Markup, report: &Report) {
    let model = &report.year.model;
    let at = |field| Origin {
        file: Some(&report.year.loaded.meta_path),
        field: Some(Field::Named(field)),
        ..Origin::default()
    };
    m.code("#title-page(");
    if let Some(country) = &model.country {
        m.code("country: ").text(country, &at("country")).code(", ");
    }
    let date = match &model.place {
        Some(place) => format!("{}، {place}", model.published),
        None => model.published.clone(),
    };
    m.code("organization: ")
        .text(&model.organization, &at("organization"))
        .code(", title: ")
        .text(&model.title, &at("title"))
        .code(", publisher: ")
        .text(&model.publisher, &at("publisher"))
        .code(", date: ")
        .text(&date, &at("published"));
    if report.draft {
        m.code(", draft: ").own(DRAFT);
    }
    m.code(")\n");
}

/// The foreword and its signature; `alone`: under a heading of its own, when no section of
/// the report carries it.
fn foreword(m: &mut Markup, report: &Report, alone: bool) {
    let loaded = &report.year.loaded;
    let Some(text) = &loaded.meta.foreword else {
        return;
    };
    if alone {
        m.code("#section-heading(")
            .own("مقدمه")
            .code(", <foreword>)\n");
    }
    let origin = Origin {
        file: Some(&loaded.meta_path),
        line: Some(loaded.meta_lines.line(text.span().start)),
        field: Some(Field::Named("the foreword")),
        ..Origin::default()
    };
    m.code("#prose[\n");
    prose::write(m, text.get_ref(), &origin);
    m.code("]\n");
    if let Some(signature) = &loaded.meta.foreword_signature {
        let at = Origin {
            field: Some(Field::Named("foreword_signature")),
            line: None,
            ..origin
        };
        m.code("#signature(").text(signature, &at).code(")\n");
    }
}

/// The table of contents: every part and section with the page it starts on in this PDF.
fn contents(m: &mut Markup, report: &Report, foreword_alone: bool) {
    m.code("#toc-heading(").own("فهرست").code(", <contents>)\n");
    if foreword_alone && report.year.loaded.meta.foreword.is_some() {
        m.code("#toc-entry(").own("مقدمه").code(", <foreword>)\n");
    }
    let mut part: Option<&str> = None;
    for (i, (section, loaded)) in report
        .sections
        .iter()
        .zip(&report.year.loaded.sections)
        .enumerate()
    {
        let origin = Origin {
            file: Some(&loaded.path),
            field: Some(Field::Named("title")),
            ..Origin::default()
        };
        let level = if section.part.is_some() { 2 } else { 1 };
        if section.part.is_some() && section.part.as_deref() != part {
            let title = section.part.as_deref().unwrap_or_default();
            m.code("#toc-entry(")
                .text(title, &origin)
                .code_fmt(format_args!(", <p{i}>, strong: true)\n"));
        }
        part = section.part.as_deref();
        m.code("#toc-entry(")
            .text(&section.title, &origin)
            .code_fmt(format_args!(", <s{i}>, level: {level})\n"));
    }
    if has_corrections(report) {
        m.code("#toc-entry(")
            .own(APPENDIX_TITLE)
            .code(", <appendix>)\n");
    }
}

/// One section; its heading and what precedes its first table go on that table's pages
/// (upright or turned), each later table opening turned or upright pages as it needs.
fn write_section(
    m: &mut Markup,
    report: &Report,
    index: usize,
    (section, loaded): (&SectionModel, &LoadedSection),
    plans: &[Plan],
    files: &mut Vec<ChartFile>,
) {
    let mut current = plans
        .first()
        .map_or(Orientation::Portrait, |p| p.orientation);
    open(m, current);
    heading(m, report, index, (section, loaded));
    intro(m, report, (section, loaded), current, files);
    let level = if section.part.is_some() { 2 } else { 1 };
    let tables = section.tables.iter().zip(&loaded.data.tables).zip(plans);
    for (t, ((model, content), plan)) in tables.enumerate() {
        if plan.orientation != current {
            close(m, current);
            current = plan.orientation;
            open(m, current);
        }
        let lines = |part: Part, row: usize| match part {
            Part::Body => content
                .rows
                .get(row)
                .and_then(|r| line_at(loaded, r.span().start)),
            Part::Foot => content
                .total
                .as_ref()
                .and_then(|r| line_at(loaded, r.span().start)),
        };
        let at = TableAt {
            file: &loaded.path,
            lines: &lines,
            heading_level: level + 1,
            label: format!("t{index}-{t}"),
            plan,
            digits: report.config.digits,
        };
        table::write(m, model, content, &at);
        // a wide table's charts stay on its turned pages only when they fit there whole
        let page = charts::page_for(&model.charts, plan.orientation);
        if page != current {
            close(m, current);
            current = page;
            open(m, current);
        }
        table::write_charts(m, model, &loaded.path, current, files);
    }
    close(m, current);
}

/// What a section prints before its tables: the foreword, its body, its overview chart.
fn intro(
    m: &mut Markup,
    report: &Report,
    (section, loaded): (&SectionModel, &LoadedSection),
    orientation: Orientation,
    files: &mut Vec<ChartFile>,
) {
    let origin = Origin {
        file: Some(&loaded.path),
        ..Origin::default()
    };
    if section.foreword {
        foreword(m, report, false);
    }
    if let Some(body) = &loaded.data.body {
        let at = Origin {
            line: line_at(loaded, body.span().start),
            field: Some(Field::Named("the body")),
            ..origin
        };
        m.code("#prose[\n");
        prose::write(m, body.get_ref(), &at);
        m.code("]\n");
    }
    if let Some(chart) = &section.overview {
        let placement = (orientation, Placement::UnderHeading);
        charts::write(m, chart, None, placement, &origin, files);
    }
}

fn open(m: &mut Markup, orientation: Orientation) {
    if orientation == Orientation::Landscape {
        m.code("#landscape[\n");
    }
}

fn close(m: &mut Markup, orientation: Orientation) {
    if orientation == Orientation::Landscape {
        m.code("]\n");
    }
}

/// The line of byte `offset` of a section file, when its text is held.
fn line_at(loaded: &LoadedSection, offset: usize) -> Option<usize> {
    (!loaded.text.is_empty()).then(|| loaded.lines.line(offset))
}

/// A section's heading (after its part's, when it opens a part) and its printed pages.
fn heading(
    m: &mut Markup,
    report: &Report,
    index: usize,
    (section, loaded): (&SectionModel, &LoadedSection),
) {
    let at = |field| Origin {
        file: Some(&loaded.path),
        field: Some(Field::Named(field)),
        ..Origin::default()
    };
    let opens_part = section.part.is_some()
        && index
            .checked_sub(1)
            .and_then(|p| report.sections.get(p))
            .is_none_or(|previous| previous.part != section.part);
    if let (true, Some(part)) = (opens_part, &section.part) {
        m.code("#section-heading(")
            .text(part, &at("part"))
            .code_fmt(format_args!(", <p{index}>, level: 1)\n"));
    }
    let level = if section.part.is_some() { 2 } else { 1 };
    m.code("#section-heading(")
        .text(&section.title, &at("title"))
        .code_fmt(format_args!(
            ", <s{index}>, level: {level}, new-page: {}, printed: ",
            !opens_part
        ))
        .own(&printed_pages(section, report.config.digits));
    if let Some(subtitle) = &section.heading {
        m.code(", subtitle: ").text(subtitle, &at("heading"));
    }
    m.code(")\n");
}

/// `صفحه ۴ تا ۶ گزارش چاپی`: where the section is in the printed report, which the content's
/// own notes refer to.
fn printed_pages(section: &SectionModel, digits: DigitStyle) -> String {
    let page = |n: u32| localize_digits(&n.to_string(), digits);
    match section.last_page {
        Some(last) if last != section.page => {
            format!("صفحه {} تا {} گزارش چاپی", page(section.page), page(last))
        }
        _ => format!("صفحه {} گزارش چاپی", page(section.page)),
    }
}

fn has_corrections(report: &Report) -> bool {
    report
        .sections
        .iter()
        .any(|s| !s.corrections.is_empty() || s.tables.iter().any(|t| !t.corrections.is_empty()))
}

/// The corrections of extraction defects, which the site shows under each table: the printed
/// report has none of them, so the PDF keeps its tables as printed and lists them here.
fn appendix(m: &mut Markup, report: &Report) {
    if !has_corrections(report) {
        return;
    }
    m.code("#section-heading(")
        .own(APPENDIX_TITLE)
        .code(", <appendix>)\n");
    m.code("#prose(").own(
        "متن گزارش از نسخه چاپی استخراج شده است. هر جا استخراج متن خطا داشته و اصلاح شده است، متن استخراج‌شده و دلیل اصلاح در این پیوست آمده است.",
    );
    m.code(")\n");
    for (section, loaded) in report.sections.iter().zip(&report.year.loaded.sections) {
        let origin = Origin {
            file: Some(&loaded.path),
            field: Some(Field::Named("a correction")),
            ..Origin::default()
        };
        let mut groups: Vec<(String, &[crate::model::CorrectionNote], Option<&str>)> = Vec::new();
        if !section.corrections.is_empty() {
            groups.push((
                format!("فهرست: {}", section.title),
                &section.corrections,
                None,
            ));
        }
        for model in &section.tables {
            if !model.corrections.is_empty() {
                let page = localize_digits(&model.page.to_string(), report.config.digits);
                let title = format!("جدول {}، صفحه {page}: {}", model.id, model.caption);
                groups.push((title, &model.corrections, Some(model.id.as_str())));
            }
        }
        for (title, corrections, table) in groups {
            let at = Origin { table, ..origin };
            corrections_group(m, &title, corrections, &at);
        }
    }
}

fn corrections_group(
    m: &mut Markup,
    title: &str,
    corrections: &[crate::model::CorrectionNote],
    origin: &Origin,
) {
    m.code("#block(above: 1.1em, below: 0.4em, sticky: true, text(weight: \"bold\", size: 9.5pt, ")
        .text(title, origin)
        .code("))\n#text(size: 9pt, list(");
    for c in corrections {
        m.code("[#")
            .text(&format!("{}: چاپ‌شده «", c.place), origin)
            .code(";#")
            .quoted(&c.printed)
            .code(";#")
            .text(&format!("»؛ {}", c.reason), origin)
            .code(";], ");
    }
    m.code("))\n");
}
