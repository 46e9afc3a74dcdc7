//! `cargo bench`: times the whole build of the real 1400 site and the chart stage alone, and
//! prints the figures (median and spread over repeated runs, release build).

use karnameh::charts::section_charts;
use karnameh::cmd::build::{BuildOptions, build};
use karnameh::export::{NoEarlierDownloads, TableContext, export_year, table_file};
use karnameh::load::LoadedSite;
use karnameh::pipeline::load_site;
use karnameh::routes::DataFormat;
use std::time::{Duration, Instant};

const RUNS: usize = 15;

fn median(mut samples: Vec<Duration>) -> (Duration, Duration, Duration) {
    samples.sort();
    (
        samples[0],
        samples[samples.len() / 2],
        samples[samples.len() - 1],
    )
}

fn show(name: &str, samples: Vec<Duration>) {
    let (min, mid, max) = median(samples);
    println!(
        "{name:<24} median {:>7.2} ms   min {:>7.2} ms   max {:>7.2} ms",
        mid.as_secs_f64() * 1e3,
        min.as_secs_f64() * 1e3,
        max.as_secs_f64() * 1e3
    );
}

/// The charts stage of every section, one after the other; returns the number of charts.
fn draw_charts(site: &LoadedSite) -> usize {
    let digits = site.config.digits;
    site.years
        .iter()
        .flat_map(|y| &y.sections)
        .map(|s| {
            section_charts(&s.slug, &s.data, digits)
                .expect("charts draw")
                .count()
        })
        .sum()
}

/// The downloads stage (in parallel, as the build runs it), and each format alone on one thread.
fn export_stage(site: &LoadedSite) {
    let samples = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            for year in &site.years {
                std::hint::black_box(
                    export_year(year, true, &NoEarlierDownloads).expect("the downloads are made"),
                );
            }
            started.elapsed()
        })
        .collect();
    show("export stage", samples);
    for year in &site.years {
        let exports = export_year(year, true, &NoEarlierDownloads).expect("the downloads are made");
        let files: usize = exports.files().map(|(_, b)| b.len()).sum();
        println!(
            "  {} downloads: {} files, {:.2} MiB; data package {} bytes ({:.3} MiB)",
            year.meta.year,
            exports.files().count(),
            files as f64 / 1048576.0,
            exports.package.as_ref().map_or(0, Vec::len),
            exports.package.as_ref().map_or(0, Vec::len) as f64 / 1048576.0
        );
    }
    for format in DataFormat::ALL {
        let samples = (0..RUNS)
            .map(|_| {
                let started = Instant::now();
                for year in &site.years {
                    for section in &year.sections {
                        let context = TableContext::new(&year.meta, &section.data);
                        for table in &section.data.tables {
                            std::hint::black_box(
                                table_file(&context, table, format).expect("a file"),
                            );
                        }
                    }
                }
                started.elapsed()
            })
            .collect();
        show(&format!("  {} (one thread)", format.label()), samples);
    }
}

fn main() {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().expect("a temporary folder");
    let options = BuildOptions {
        root: root.clone(),
        output: Some(out.path().join("public")),
        ..BuildOptions::default()
    };
    let site = load_site(&root, None).expect("the 1400 site loads");
    let count = draw_charts(&site);
    println!("karnameh bench: {RUNS} runs each, {count} charts");

    let mut chart_samples = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        std::hint::black_box(draw_charts(&site));
        chart_samples.push(started.elapsed());
    }
    let per_chart: Vec<Duration> = chart_samples.iter().map(|d| *d / count as u32).collect();
    show("charts stage", chart_samples);
    show("  per chart", per_chart);

    export_stage(&site);

    let mut totals = Vec::new();
    let mut stages: Vec<[Duration; 8]> = Vec::new();
    build(&options).expect("warm-up build");
    for _ in 0..RUNS {
        let summary = build(&options).expect("the site builds");
        totals.push(summary.elapsed);
        let s = summary.stages;
        stages.push([
            s.load, s.check, s.charts, s.export, s.model, s.render, s.search, s.write,
        ]);
    }
    show("whole build", totals);
    for (i, name) in [
        "  load",
        "  check",
        "  charts",
        "  export",
        "  model",
        "  render",
        "  (search, in render)",
        "  write",
    ]
    .iter()
    .enumerate()
    {
        show(name, stages.iter().map(|s| s[i]).collect());
    }
}
