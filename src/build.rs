//! The pipeline: config → load → validate → model → render → write.

use crate::config::SiteConfig;
use crate::load::{LoadedSite, load_site};
use crate::model::build_model;
use crate::output::{OutputFile, check_output, write_site};
use crate::render::Renderer;
use crate::validate::{Finding, Severity, validate_site};
use anyhow::{Result, bail};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Overrides `output-dir` of site.toml (relative paths are taken from the current folder).
    pub output: Option<PathBuf>,
    /// Overrides `base-url` of site.toml.
    pub base_url: Option<String>,
    /// Replace an output folder karnameh did not write (never the site's own folders).
    pub force: bool,
    /// Publish although `check` finds unacknowledged errors (a draft for reviewers).
    pub allow_errors: bool,
}

/// Time spent in each stage of one build.
#[derive(Debug, Clone, Default)]
pub struct StageTimes {
    pub load: Duration,
    pub validate: Duration,
    pub charts: Duration,
    pub model: Duration,
    pub render: Duration,
    pub write: Duration,
}

#[derive(Debug)]
pub struct BuildSummary {
    pub stages: StageTimes,
    pub output: PathBuf,
    pub pages: usize,
    pub tables: usize,
    pub charts: usize,
    /// Unacknowledged `check` errors published anyway (only with `allow_errors`).
    pub findings: usize,
    pub elapsed: Duration,
}

/// Loads `site.toml` and the content below `root`, with command-line overrides applied.
pub fn load(root: &Path, base_url: Option<&str>) -> Result<LoadedSite> {
    let mut config = SiteConfig::load(&root.join("site.toml"))?;
    if let Some(url) = base_url {
        crate::config::base_path(url).map_err(|e| anyhow::anyhow!("--base-url: {e}"))?;
        config.base_url = url.to_string();
    }
    load_site(root, config)
}

/// Loads and validates: what `karnameh check` reports.
pub fn check(root: &Path) -> Result<Vec<Finding>> {
    Ok(validate_site(&load(root, None)?))
}

pub fn build(options: &BuildOptions) -> Result<BuildSummary> {
    let started = Instant::now();
    let mut stages = StageTimes::default();
    let mut clock = Instant::now();
    let mut lap = |slot: &mut Duration| {
        *slot = clock.elapsed();
        clock = Instant::now();
    };
    let site = load(&options.root, options.base_url.as_deref())?;
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join(&site.config.output_dir));
    let target = check_output(&options.root, &output, options.force)?;
    lap(&mut stages.load);
    let findings = validate_site(&site);
    refuse(&findings, |f| f.severity == Severity::Structure, STRUCTURE)?;
    if !options.allow_errors {
        refuse(&findings, Finding::fails_check, UNCHECKED)?;
    }
    lap(&mut stages.validate);
    let charts = crate::charts::build_charts(&site)?;
    let chart_count = charts.count();
    lap(&mut stages.charts);
    let model = build_model(&site, &findings, charts);
    lap(&mut stages.model);
    let theme_dir = options.root.join("themes").join(&site.config.theme);
    let renderer = Renderer::new(&theme_dir, site.config.digits)?;
    let pages = renderer.render_site(&model)?;
    lap(&mut stages.render);
    let page_count = pages.len();
    let files: Vec<OutputFile> = pages
        .into_iter()
        .map(|p| OutputFile {
            path: p.path,
            bytes: p.html.into_bytes(),
        })
        .collect();
    let static_dirs = [theme_dir.join("static"), options.root.join("static")];
    write_site(&target, &files, &static_dirs)?;
    lap(&mut stages.write);
    Ok(BuildSummary {
        stages,
        output,
        pages: page_count,
        tables: model.years.iter().map(|y| y.table_count).sum(),
        charts: chart_count,
        findings: findings.iter().filter(|f| f.fails_check()).count(),
        elapsed: started.elapsed(),
    })
}

const STRUCTURE: &str = "structural error(s)";
const UNCHECKED: &str = "unacknowledged check error(s)";

/// Stops the build before anything is written when `findings` has any that `stops` says stop
/// it: structural errors always, check errors unless the build is a draft.
fn refuse(findings: &[Finding], stops: impl Fn(&Finding) -> bool, what: &str) -> Result<()> {
    let broken: Vec<&Finding> = findings.iter().filter(|f| stops(f)).collect();
    if broken.is_empty() {
        return Ok(());
    }
    let listed: Vec<String> = broken
        .iter()
        .take(20)
        .map(|f| format!("  {}", crate::report::one_line(f)))
        .collect();
    let more = broken.len().saturating_sub(20);
    let hint = if what == UNCHECKED {
        "fix them or acknowledge them as discrepancies of the report; `--allow-errors` publishes a draft anyway"
    } else {
        "fix them and build again"
    };
    bail!(
        "the content has {} {what}; nothing was written ({hint}):\n{}{}",
        broken.len(),
        listed.join("\n"),
        if more > 0 {
            format!("\n  … and {more} more (run `karnameh check`)")
        } else {
            String::new()
        }
    )
}
