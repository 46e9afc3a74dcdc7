use anyhow::Result;
use clap::{Parser, Subcommand, ValueEnum};
use karnameh::cmd::build::{BuildOptions, build};
use karnameh::cmd::check::{CheckWhat, check_links, check_site};
use karnameh::diagnostics::Finding;
use karnameh::report::{rule_counts, tally, write_coverage, write_summary, write_text_report};
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
            let draft = if summary.findings > 0 {
                format!(
                    " (a draft: {} unacknowledged check error(s) published; run `karnameh check`)",
                    summary.findings
                )
            } else {
                String::new()
            };
            emit(&format!(
                "built {} pages with {} tables and {} charts into {} in {:.1} ms{draft}\n",
                summary.pages,
                summary.tables,
                summary.charts,
                summary.output.display(),
                summary.elapsed.as_secs_f64() * 1000.0,
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Check {
            root,
            format,
            summary,
            links,
            as_printed,
        } => {
            let what = CheckWhat { as_printed };
            let findings = if links {
                let (coverage, findings) = check_links(&root, what)?;
                match format {
                    Format::Text => emit_with(|out| write_coverage(&coverage, out))?,
                    Format::Json => emit_json(&coverage)?,
                }
                eprintln!("{}", tally(&findings));
                findings
            } else {
                let (_, findings) = check_site(&root, what)?;
                print_findings(&findings, format, summary)?;
                findings
            };
            let failed = findings.iter().any(|f| f.fails_check());
            Ok(if failed {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
    }
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
