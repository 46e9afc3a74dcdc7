//! The printed edition: one year of the report typeset as a PDF with Typst, used as a library.
//!
//! `source` writes a Typst document from the same model the HTML is rendered from (through
//! `table`, `prose` and `charts`, which embeds the build's own SVG), with every text of the
//! content as a string literal checked against the font (`markup`, `glyphs`); `columns` plans
//! each table's page and widths from shaped text widths (`measure`); `world` gives Typst the
//! document, karnameh's template (`karnameh.typ`), the charts and the compiled-in Vazirmatn
//! faces, and nothing else. The same content gives the same bytes: the document date is fixed
//! (`date`) and nothing reads a clock, the disk or the network.
//!
//! A Typst error in the generated document is a bug of karnameh's: it is reported as one,
//! naming the table being typeset, never as Typst's diagnostic.

mod charts;
mod columns;
pub mod date;
pub mod frames;
mod glyphs;
mod markup;
mod measure;
mod prose;
mod source;
mod table;
mod world;

use crate::model::SectionModel;
use crate::state::SiteState;
use anyhow::{Result, anyhow, bail};
use glyphs::Coverage;
use markup::{Markup, Region, Unwritable};
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use typst::World;
use typst::WorldExt;
use typst::diag::{SourceDiagnostic, Warned};
use typst::foundations::Smart;
use typst_layout::PagedDocument;

/// A typeset year: the PDF's bytes and the laid-out pages they were made from.
pub struct Typeset {
    pub pdf: Vec<u8>,
    pub document: PagedDocument,
    /// Typst's warnings about the generated document (none is expected: each is a defect).
    pub warnings: Vec<String>,
    pub stages: Stages,
}

/// Time spent in each step of typesetting.
#[derive(Debug, Clone, Default)]
pub struct Stages {
    /// Drawing the charts.
    pub charts: Duration,
    /// Planning the tables and writing the Typst document.
    pub source: Duration,
    /// Typst: evaluating and laying out the document.
    pub layout: Duration,
    /// Writing the PDF.
    pub export: Duration,
}

impl Typeset {
    pub fn pages(&self) -> usize {
        self.document.pages().len()
    }
}

/// Environment variable naming a folder where the generated Typst document and Typst's
/// diagnostics are written when typesetting fails, for a bug report.
pub const DEBUG_VARIABLE: &str = "KARNAMEH_PDF_DEBUG";

/// Typesets `year` of `state`; `draft`: made although `check` found unacknowledged errors.
pub fn typeset(state: &SiteState, year: u32, draft: bool) -> Result<Typeset> {
    let Some(held) = state.year(year) else {
        let years: Vec<String> = state.years.iter().map(|y| y.year().to_string()).collect();
        bail!(
            "there is no year {year} in the content (it has {})",
            years.join(", ")
        );
    };
    let mut stages = Stages::default();
    let clock = Instant::now();
    let sections: Vec<SectionModel> = crate::pipeline::sections_with_charts(state, held)?;
    stages.charts = clock.elapsed();
    let clock = Instant::now();
    let epoch = std::env::var("SOURCE_DATE_EPOCH").ok();
    let date =
        date::document_date(&held.model.published, epoch.as_deref()).map_err(|e| anyhow!(e))?;
    let report = source::Report {
        config: &state.config,
        year: held,
        sections: &sections,
        date,
        draft,
    };
    let mut markup = Markup::new(coverage());
    let files = source::write(&mut markup, &report);
    let (document, regions) = markup.finish().map_err(unwritable)?;
    drop(sections);
    let files = files.into_iter().map(|f| (f.path, f.svg)).collect();
    let world = world::ReportWorld::new(document, files).map_err(|e| bug(&e))?;
    stages.source = clock.elapsed();
    compile(&world, &regions, year, stages)
}

/// With `pdf = true`, typesets every year the build renders that has no PDF yet (a frozen
/// year's PDF is in its archive): each year in a build, the years a partial rebuild changed
/// (`update_section` drops their PDFs). Keeps each PDF in its year's state, the year page's
/// model told of it (before pages are rendered, so the link gives its size). Returns the
/// years typeset.
pub fn publish_all(state: &mut SiteState, draft: bool) -> Result<Vec<u32>> {
    if !state.config.pdf {
        return Ok(Vec::new());
    }
    let years: Vec<u32> = state
        .years
        .iter()
        .filter(|y| y.loaded.frozen.is_none() && y.pdf.is_none())
        .map(|y| y.year())
        .collect();
    for &year in &years {
        publish(state, year, draft)?;
    }
    Ok(years)
}

/// Typesets `year` and keeps the PDF in its state, with its link in the year's model.
pub fn publish(state: &mut SiteState, year: u32, draft: bool) -> Result<()> {
    let typeset = typeset(state, year, draft)?;
    let link = crate::model::pdf_link(year, &typeset.pdf, typeset.pages());
    if let Some(held) = state.years.iter_mut().find(|y| y.year() == year) {
        held.model.pdf = Some(link);
        held.pdf = Some(typeset.pdf);
    }
    Ok(())
}

fn coverage() -> &'static Coverage {
    static COVERAGE: OnceLock<Coverage> = OnceLock::new();
    COVERAGE.get_or_init(Coverage::of_report_font)
}

fn unwritable(error: Unwritable) -> anyhow::Error {
    match error {
        Unwritable::Missing(missing) => {
            let lines: Vec<String> = missing.iter().map(|m| format!("  {m}")).collect();
            anyhow!(
                "the PDF cannot be made: {} text(s) of the content have characters its font lacks:\n{}",
                missing.len(),
                lines.join("\n")
            )
        }
        Unwritable::Bug(messages) => bug(&messages.join("; ")),
    }
}

fn bug(detail: &str) -> anyhow::Error {
    anyhow!(
        "karnameh could not typeset the PDF ({detail}); this is a bug in karnameh, not in the content: please report it"
    )
}

fn compile(
    world: &world::ReportWorld,
    regions: &[Region],
    year: u32,
    mut stages: Stages,
) -> Result<Typeset> {
    let clock = Instant::now();
    let Warned { output, warnings } = typst::compile::<PagedDocument>(world);
    let document = output.map_err(|errors| failed(world, regions, &errors))?;
    stages.layout = clock.elapsed();
    let clock = Instant::now();
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom(format!("karnameh-report-{year}")),
        creator: Smart::Custom(Some(format!("karnameh {}", env!("CARGO_PKG_VERSION")))),
        ..typst_pdf::PdfOptions::default()
    };
    let pdf =
        typst_pdf::pdf(&document, &options).map_err(|errors| failed(world, regions, &errors))?;
    stages.export = clock.elapsed();
    let warnings = warnings.iter().map(|w| describe(world, w)).collect();
    Ok(Typeset {
        pdf,
        document,
        warnings,
        stages,
    })
}

/// The karnameh error for Typst errors: where in the report it happened; Typst's own words
/// only in the debug folder.
fn failed(
    world: &world::ReportWorld,
    regions: &[Region],
    errors: &[SourceDiagnostic],
) -> anyhow::Error {
    let place = errors
        .iter()
        .find_map(|e| {
            let at = world.range(e.span)?;
            (e.span.id() == Some(world.main())).then_some(at.start)
        })
        .and_then(|at| {
            regions
                .iter()
                .filter(|r| r.range.contains(&at))
                .min_by_key(|r| r.range.len())
        })
        .map_or_else(|| "the template".to_string(), |r| r.what.clone());
    let hint = match save_debug(world, errors) {
        Some(dir) => format!("the Typst document and its errors are in {dir}"),
        None => format!("set {DEBUG_VARIABLE}=<folder> to save the Typst document for the report"),
    };
    bug(&format!("at {place}; {hint}"))
}

fn describe(world: &world::ReportWorld, diagnostic: &SourceDiagnostic) -> String {
    let line = world
        .range(diagnostic.span)
        .and_then(|r| world.main_source().lines().byte_to_line(r.start))
        .map_or(String::new(), |l| format!("line {}: ", l + 1));
    format!("{line}{}", diagnostic.message)
}

/// Writes the document and the diagnostics into the folder named by `DEBUG_VARIABLE`.
fn save_debug(world: &world::ReportWorld, errors: &[SourceDiagnostic]) -> Option<String> {
    let dir = std::path::PathBuf::from(std::env::var_os(DEBUG_VARIABLE)?);
    std::fs::create_dir_all(&dir).ok()?;
    std::fs::write(dir.join("report.typ"), world.main_source().text()).ok()?;
    std::fs::write(dir.join("karnameh.typ"), world::TEMPLATE).ok()?;
    let listed: Vec<String> = errors.iter().map(|e| describe(world, e)).collect();
    std::fs::write(dir.join("errors.txt"), listed.join("\n")).ok()?;
    Some(dir.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typeset_source(source: &str, regions: &[Region]) -> Result<Typeset> {
        let world = world::ReportWorld::new(source.to_string(), Vec::new()).map_err(|e| bug(&e))?;
        compile(&world, regions, 1400, Stages::default())
    }

    #[test]
    fn the_template_sets_a_small_document_without_a_warning() {
        let source = "#import \"/karnameh.typ\": *\n#show: report.with(title: \"آزمون\", header: \"آزمون\", organization: \"سازمان\", date: none)\n#title-page(organization: \"سازمان\", title: \"آزمون\", publisher: \"دفتر\", date: \"۱۴۰۱\")\n#section-heading(\"بخش\", <s0>)\n#report-table(caption: \"جدول\", meta: \"T1\", columns: (40pt, 80pt), header: (hc(\"ردیف\"), hc(\"استان\")), body: (rc(\"۱\"), lc(\"تهران\")), foot: (rc(\"\"), lc(\"جمع\", t: true)))\n";
        let typeset = typeset_source(source, &[]).unwrap();
        assert_eq!(typeset.warnings, Vec::<String>::new());
        assert_eq!(typeset.pages(), 2);
        assert!(typeset.pdf.starts_with(b"%PDF-"));
    }

    #[test]
    fn a_typst_error_is_karnamehs_bug_named_by_the_table_it_was_written_for() {
        let source = "#import \"/karnameh.typ\": *\n#report-table(caption: \"c\", columns: (10pt,), header: (), body: (no-such-cell(\"x\"),))\n";
        let start = source.find("#report-table").unwrap_or_default();
        let regions = [Region {
            range: start..source.len(),
            what: "table T9".to_string(),
        }];
        let Err(error) = typeset_source(source, &regions) else {
            panic!("the source has an unknown function");
        };
        let message = error.to_string();
        assert!(message.contains("at table T9"), "{message}");
        assert!(
            message.contains("a bug in karnameh, not in the content"),
            "{message}"
        );
        assert!(
            !message.contains("no-such-cell"),
            "Typst's diagnostic stays out: {message}"
        );
        assert!(message.contains(DEBUG_VARIABLE), "{message}");
    }
}
