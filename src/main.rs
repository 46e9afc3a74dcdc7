use anyhow::Result;
use clap::{Parser, Subcommand, ValueEnum};
use karnameh::cmd::archive::{ArchiveOptions, archive};
use karnameh::cmd::build::{BuildOptions, build_held};
use karnameh::cmd::check::{CheckWhat, check_links, check_site};
use karnameh::cmd::new::{NewOptions, NewSummary, new_year};
use karnameh::cmd::pdf::{PdfOptions, pdf};
use karnameh::cmd::serve::{ServeOptions, serve};
use karnameh::cmd::verify::{VerifyOptions, VerifyReport, verify};
use karnameh::content::TableId;
use karnameh::diagnostics::Finding;
use karnameh::import::ImportOptions;
use karnameh::report::{rule_counts, tally, write_coverage, write_summary, write_text_report};
use std::io::{ErrorKind, Write};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// A build allocates and frees many small strings from two threads at once: glibc's allocator
// spent a sixth of a large build consolidating its free lists.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_arena_eager_commit` (its `mimalloc.h`; the binding names no constant).
#[cfg(target_os = "linux")]
const MI_OPTION_ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;

/// Arenas committed as they are used, not whole (as `MIMALLOC_ARENA_EAGER_COMMIT=0` would):
/// `serve` holds a site for hours, and eager commits kept ~40 MB more of it resident, for no
/// time a build can measure. Set before `main`, ahead of the first arena.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array.00099")]
static COMMIT_LAZILY: extern "C" fn() = {
    extern "C" fn commit_lazily() {
        // SAFETY: sets an option's value; mimalloc reads it when it reserves an arena
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0) }
    }
    commit_lazily
};

/// karnameh (کارنامه) builds an organization's annual performance report into a fast,
/// right-to-left Persian website: TOML data in, static HTML out.
#[derive(Parser, Debug)]
#[command(name = "karnameh", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build the site into the output folder (replaced only when the build succeeds)
    Build {
        /// The site folder, holding site.toml, content/ and themes/
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: output-dir of site.toml, inside the root]
        #[arg(long)]
        output: Option<PathBuf>,
        /// Where the site will be published, e.g. https://portal.example/reports/ [default: base-url of site.toml]
        #[arg(long)]
        base_url: Option<String>,
        /// Replace the output folder even if karnameh did not write it (it has no
        /// .karnameh-output manifest, or holds files the manifest does not list): everything in
        /// it is deleted. The site folder and its content/, themes/, static/ and archives/ are
        /// never replaced
        #[arg(long)]
        force: bool,
        /// Publish a draft although `check` finds unacknowledged errors (for reviewers); the
        /// summary line says so. Structural errors always stop the build
        #[arg(long)]
        allow_errors: bool,
        /// Include the years marked `draft = true` in their year.toml (left out by default)
        #[arg(long)]
        drafts: bool,
        /// Write the reviewer view: each table marks its `check` findings (errors,
        /// acknowledged discrepancies, warnings) with the expected and found figures, and a
        /// panel lists the page's findings. A draft for reviewers, never for publishing
        #[arg(long)]
        review: bool,
    },
    /// Serve the site from memory in the reviewer view, rebuilding and reloading open pages on
    /// every save; broken content shows on the pages while the last good site is served
    Serve {
        /// The site folder, holding site.toml, content/ and themes/
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The address to listen on; anything but a loopback address lets other computers in
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// The port to listen on (0: any free port, printed at start)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
        /// Look for changes by polling, for file systems whose change events do not arrive
        /// (network shares, some containers and virtual machines)
        #[arg(long)]
        poll: bool,
    },
    /// Read a table's figures from a spreadsheet (.xlsx or .csv) laid out like its download or its
    /// printed form; print the table's new rows as TOML, or replace them in its section file
    Import {
        /// The spreadsheet: an .xlsx workbook or a .csv file
        file: PathBuf,
        /// The table's id, e.g. T010
        #[arg(long, value_parser = parse_table_id)]
        table: TableId,
        /// The workbook's sheet [default: the first]
        #[arg(long)]
        sheet: Option<String>,
        /// The year of the table, when several years have a table of that id
        #[arg(long)]
        year: Option<u32>,
        /// Replace the table's rows in its section file (atomically, keeping comments and the
        /// rest of the file); without it nothing is written
        #[arg(long)]
        write: bool,
        /// The site folder, holding site.toml, content/ and themes/
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Typeset one year of the report as a PDF (A4, Vazirmatn, searchable Persian text)
    Pdf {
        /// The site folder, holding site.toml, content/ and themes/
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The year to typeset [default: the latest that is not a draft]
        #[arg(long)]
        year: Option<u32>,
        /// The file to write [default: report-<year>.pdf in the current folder]
        #[arg(long)]
        output: Option<PathBuf>,
        /// Typeset a draft although `check` finds unacknowledged errors; the PDF says it is a
        /// draft. Structural errors always stop it
        #[arg(long)]
        allow_errors: bool,
    },
    /// Load and validate the content without writing anything; exit 1 on unacknowledged errors
    Check {
        /// The site folder, holding site.toml, content/ and themes/
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// How to print the findings (JSON: an array of findings, see docs/checking.md)
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Print one line per rule (how many findings, failing, acknowledged) instead of each
        /// finding
        #[arg(long, conflicts_with = "links")]
        summary: bool,
        /// Print which summary and office rows no link ties to the tables they restate, with
        /// the links their figures suggest as TOML to paste, instead of the findings
        #[arg(long)]
        links: bool,
        /// Check the report as printed: every correction undone and every acknowledgement
        /// dropped (what a reviewer of newly typed content starts from)
        #[arg(long)]
        as_printed: bool,
    },
    /// Write one year (built as `build` builds it, with its source and a manifest of SHA-256
    /// hashes) into one deterministic tar.gz
    Archive {
        /// The year to archive
        year: u32,
        /// The site folder, holding site.toml, content/ and themes/
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The archive to write [default: archives/<year>.tar.gz in the site folder]
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Check an archive's files against its manifest and, given the site's source, against the
    /// year built afresh; names every file that differs and exits 1 if any does
    Verify {
        /// The archive (`karnameh archive` wrote it)
        archive: PathBuf,
        /// The site folder to build the year from and compare with
        #[arg(long)]
        source: Option<PathBuf>,
    },
    /// Start a new year's content from an earlier year's: the same sections, tables, columns,
    /// rows and series with empty values, marked `draft = true`
    New {
        /// The new year
        year: u32,
        /// The year to start from
        #[arg(long)]
        from: u32,
        /// The site folder, holding site.toml, content/ and themes/
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            force,
            allow_errors,
            drafts,
            review,
        } => run_build(&BuildOptions {
            root,
            output,
            base_url,
            force,
            allow_errors,
            drafts,
            review,
        }),
        Command::Serve {
            root,
            bind,
            port,
            open,
            poll,
        } => {
            serve(&ServeOptions {
                root,
                bind,
                port,
                open,
                poll,
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Archive { year, root, output } => {
            let summary = archive(&ArchiveOptions { root, year, output })?;
            emit(&format!(
                "archived year {year}: {} files in {} ({} bytes) in {:.1} ms\n",
                summary.files,
                summary.path.display(),
                summary.bytes,
                summary.elapsed.as_secs_f64() * 1000.0
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Verify { archive, source } => {
            let options = VerifyOptions { archive, source };
            let report = verify(&options)?;
            emit(&verify_text(&report, &options))?;
            Ok(exit_code(report.passed()))
        }
        Command::New { year, from, root } => {
            let summary = new_year(&NewOptions { root, year, from })?;
            emit(&new_text(&summary, year, from))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Import {
            file,
            table,
            sheet,
            year,
            write,
            root,
        } => import(ImportOptions {
            root,
            file,
            table,
            year,
            sheet,
            write,
        }),
        Command::Pdf {
            root,
            year,
            output,
            allow_errors,
        } => run_pdf(&PdfOptions {
            root,
            year,
            output,
            allow_errors,
        }),
        Command::Check {
            root,
            format,
            summary,
            links,
            as_printed,
        } => {
            let what = CheckWhat { as_printed };
            if links {
                run_check_links(&root, format, what)
            } else {
                run_check(&root, format, summary, what)
            }
        }
    }
}

fn exit_code(success: bool) -> ExitCode {
    if success {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn run_build(options: &BuildOptions) -> Result<ExitCode> {
    let (summary, state) = build_held(options)?;
    // the process ends now: the system frees the site's memory faster than its destructors
    std::mem::forget(state);
    if std::env::var_os("KARNAMEH_TIMINGS").is_some() {
        eprintln!("{:?}", summary.stages);
    }
    let draft = draft_note(summary.findings);
    let years = years_note(&summary.frozen, &summary.drafts_left_out);
    let pdfs = match summary.pdfs {
        0 => String::new(),
        1 => " and a PDF".to_string(),
        n => format!(" and {n} PDFs"),
    };
    let view = if options.review {
        " (the reviewer view, with every finding marked: not for publishing)"
    } else {
        ""
    };
    emit(&format!(
        "built {} pages with {} tables and {} charts{pdfs} into {} in {:.1} ms{years}{draft}{view}\n",
        summary.pages,
        summary.tables,
        summary.charts,
        summary.output.display(),
        summary.elapsed.as_secs_f64() * 1000.0,
    ))?;
    Ok(ExitCode::SUCCESS)
}

fn run_pdf(options: &PdfOptions) -> Result<ExitCode> {
    let summary = pdf(options)?;
    if std::env::var_os("KARNAMEH_TIMINGS").is_some() {
        eprintln!("{:?}", summary.stages);
    }
    let draft = draft_note(summary.findings);
    emit(&format!(
        "typeset {} ({} pages, {:.1} MB) into {} in {:.0} ms{draft}\n",
        summary.year,
        summary.pages,
        summary.bytes as f64 / 1e6,
        summary.output.display(),
        summary.elapsed.as_secs_f64() * 1000.0,
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// What a summary line adds for a draft: the unacknowledged check errors it publishes.
fn draft_note(findings: usize) -> String {
    if findings > 0 {
        format!(
            " (a draft: {findings} unacknowledged check error(s) published; run `karnameh check`)"
        )
    } else {
        String::new()
    }
}

fn run_check(root: &Path, format: Format, summary: bool, what: CheckWhat) -> Result<ExitCode> {
    let (site, findings) = check_site(root, what)?;
    // the process ends now: the system frees the site's memory faster than its destructors
    std::mem::forget(site);
    print_findings(&findings, format, summary)?;
    Ok(exit_code(!findings.iter().any(|f| f.fails_check())))
}

/// `check --links`: the link coverage instead of the findings (their tally on standard error).
fn run_check_links(root: &Path, format: Format, what: CheckWhat) -> Result<ExitCode> {
    let (coverage, findings) = check_links(root, what)?;
    match format {
        Format::Text => emit_with(|out| write_coverage(&coverage, out))?,
        Format::Json => emit_json(&coverage)?,
    }
    eprintln!("{}", tally(&findings));
    Ok(exit_code(!findings.iter().any(|f| f.fails_check())))
}

fn new_text(summary: &NewSummary, year: u32, from: u32) -> String {
    let skipped = if summary.skipped.is_empty() {
        String::new()
    } else {
        format!(" (not TOML, left behind: {})", summary.skipped.join(", "))
    };
    format!(
        "started {year} from {from} in {}: {} files, {} values to fill; `karnameh check` says how complete each table is{skipped}\n",
        summary.dir.display(),
        summary.files,
        summary.cells
    )
}

/// ` (frozen years 1398, 1399 from their archives; draft 1401 left out: --drafts builds it)`.
fn years_note(frozen: &[u32], drafts: &[u32]) -> String {
    let list = |years: &[u32]| {
        years
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = Vec::new();
    if !frozen.is_empty() {
        parts.push(format!("frozen {} from their archives", list(frozen)));
    }
    if !drafts.is_empty() {
        parts.push(format!(
            "draft {} left out (--drafts builds it)",
            list(drafts)
        ));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join("; "))
    }
}

/// What `verify` found: every file that differs, under what it differs from.
fn verify_text(report: &VerifyReport, options: &VerifyOptions) -> String {
    let (archive, source) = (&options.archive, options.source.as_deref());
    let mut out = format!(
        "{}: year {}, {} files, made by karnameh {}\n",
        archive.display(),
        report.year,
        report.files,
        report.version
    );
    if !report.damaged.is_empty() {
        out.push_str("damaged (bytes that do not match the manifest, or files it lists and the archive lacks):\n");
        for d in &report.damaged {
            out.push_str(&format!("  {d}\n"));
        }
    }
    if let (Some(rebuilt), Some(source)) = (&report.rebuilt, source)
        && !rebuilt.is_empty()
    {
        out.push_str(&format!(
            "differs from the year built from {} (changed: other bytes; missing: the build has no such file; unexpected: only the build has it):\n",
            source.display()
        ));
        for d in rebuilt {
            out.push_str(&format!("  {d}\n"));
        }
    }
    if report.passed() {
        out.push_str("every file matches its hash");
        if let Some(source) = source {
            out.push_str(&format!(" and the year built from {}", source.display()));
        }
        out.push('\n');
    }
    out
}

/// The findings as a report or JSON, each or per rule.
fn print_findings(findings: &[Finding], format: Format, summary: bool) -> Result<()> {
    match (format, summary) {
        (Format::Text, false) => emit_with(|out| write_text_report(findings, out)),
        (Format::Text, true) => emit_with(|out| write_summary(findings, out)),
        (Format::Json, false) => {
            emit_json(&findings)?;
            eprintln!("{}", tally(findings));
            Ok(())
        }
        (Format::Json, true) => {
            emit_json(&rule_counts(findings))?;
            eprintln!("{}", tally(findings));
            Ok(())
        }
    }
}

fn emit_json(value: &impl serde::Serialize) -> Result<()> {
    emit_with(|out| {
        serde_json::to_writer_pretty(&mut *out, value)?;
        writeln!(out)
    })
}

/// A table id given on the command line, validated as in the content.
fn parse_table_id(text: &str) -> Result<TableId, String> {
    TableId::try_from(text.to_string())
}

/// Runs an import: the conversions on standard error; the new rows on standard output, or a
/// line saying where they were written.
fn import(options: ImportOptions) -> Result<ExitCode> {
    let report = karnameh::cmd::import::run(&options)?;
    for conversion in &report.imported.conversions {
        eprintln!("converted {conversion}");
    }
    if report.written {
        eprintln!(
            "replaced the rows of table {} in {} ({} text cell(s) converted to numbers); run `karnameh check`",
            options.table,
            report.section.display(),
            report.imported.conversions.len()
        );
    } else {
        emit(&report.toml)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints to standard output; a reader that stopped reading (`karnameh check | head`) is not
/// an error.
fn emit(text: &str) -> Result<()> {
    emit_with(|out| out.write_all(text.as_bytes()))
}

/// Writes to standard output through a buffer, as `emit` does.
fn emit_with(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
