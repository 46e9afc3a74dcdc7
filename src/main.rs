use anyhow::Result;
use clap::{Parser, Subcommand, ValueEnum};
use karnameh::build::{BuildOptions, build, check};
use karnameh::report::{tally, text_report};
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
        } => {
            let summary = build(&BuildOptions {
                root,
                output,
                base_url,
            })?;
            if std::env::var_os("KARNAMEH_TIMINGS").is_some() {
                eprintln!("{:?}", summary.stages);
            }
            println!(
                "built {} pages with {} tables and {} charts into {} in {:.1} ms{}",
                summary.pages,
                summary.tables,
                summary.charts,
                summary.output.display(),
                summary.elapsed.as_secs_f64() * 1000.0,
                if summary.findings > 0 {
                    format!(
                        " ({} unacknowledged check error(s): run `karnameh check`)",
                        summary.findings
                    )
                } else {
                    String::new()
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { root, format } => {
            let findings = check(&root)?;
            match format {
                Format::Text => print!("{}", text_report(&findings)),
                Format::Json => {
                    println!("{}", serde_json::to_string_pretty(&findings)?);
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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
