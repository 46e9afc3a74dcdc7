use anyhow::Result;
use clap::{Parser, Subcommand, ValueEnum};
use karnameh::cmd::build::{BuildOptions, build};
use karnameh::cmd::check::check;
use karnameh::cmd::pdf::{PdfOptions, pdf};
use karnameh::report::{tally, write_text_report};
use std::io::{ErrorKind, Write};
use std::path::PathBuf;
use std::process::ExitCode;

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
        /// it is deleted. The site folder and its content/, themes/ and static/ are never replaced
        #[arg(long)]
        force: bool,
        /// Publish a draft although `check` finds unacknowledged errors (for reviewers); the
        /// summary line says so. Structural errors always stop the build
        #[arg(long)]
        allow_errors: bool,
    },
    /// Typeset one year of the report as a PDF (A4, Vazirmatn, searchable Persian text)
    Pdf {
        /// The site folder, holding site.toml, content/ and themes/
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The year to typeset [default: the latest]
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
        /// How to print the findings
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
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
        } => {
            let summary = build(&BuildOptions {
                root,
                output,
                base_url,
                force,
                allow_errors,
            })?;
            if std::env::var_os("KARNAMEH_TIMINGS").is_some() {
                eprintln!("{:?}", summary.stages);
            }
            let draft = draft_note(summary.findings);
            let pdfs = match summary.pdfs {
                0 => String::new(),
                1 => " and a PDF".to_string(),
                n => format!(" and {n} PDFs"),
            };
            emit(&format!(
                "built {} pages with {} tables and {} charts{pdfs} into {} in {:.1} ms{draft}\n",
                summary.pages,
                summary.tables,
                summary.charts,
                summary.output.display(),
                summary.elapsed.as_secs_f64() * 1000.0,
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Pdf {
            root,
            year,
            output,
            allow_errors,
        } => {
            let summary = pdf(&PdfOptions {
                root,
                year,
                output,
                allow_errors,
            })?;
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
        Command::Check { root, format } => {
            let findings = check(&root)?;
            match format {
                Format::Text => emit_with(|out| write_text_report(&findings, out))?,
                Format::Json => {
                    emit_with(|out| {
                        serde_json::to_writer_pretty(&mut *out, &findings)?;
                        writeln!(out)
                    })?;
                    eprintln!("{}", tally(&findings));
                }
            }
            let failed = findings.iter().any(|f| f.fails_check());
            Ok(if failed {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
    }
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
