//! The real site in a real browser. Headless Chromium (Debian's `chromium`, driven over the
//! DevTools protocol, see `browser/cdp.rs`) opens every page at 360, 768 and 1,366 px and
//! checks that nothing but a table's scroll box is wider than the screen, and that every
//! chart's texts stay inside it, apart and at least 12 px; axe-core (npm) finds no
//! accessibility violation on any page; the print edition prints to an A4 PDF that holds
//! every table. `.ci/run` installs Chromium, axe-core and poppler-utils.

#[path = "browser/cdp.rs"]
mod cdp;
mod common;

use cdp::Browser;
use common::*;
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const WIDTHS: [u32; 3] = [1366, 768, 360];
const PROBE: &str = include_str!("browser/probe.js");
/// What axe checks: WCAG 2.0/2.1 A and AA, and its best practices.
const AXE_TAGS: &str = r#"["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]"#;

/// Serves `root` on a loopback port.
fn serve(root: PathBuf) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || answer(stream, &root));
        }
    });
    port
}

fn answer(mut stream: TcpStream, root: &Path) -> std::io::Result<()> {
    let mut request = String::new();
    BufReader::new(&stream).read_line(&mut request)?;
    let path = request
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .split(['?', '#'])
        .next()
        .unwrap_or("/");
    let mut file = root.join(path.trim_start_matches('/'));
    if file.is_dir() {
        file = file.join("index.html");
    }
    let (status, body) = match std::fs::read(&file) {
        Ok(bytes) => ("200 OK", bytes),
        Err(_) => ("404 Not Found", Vec::new()),
    };
    let kind = match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css",
        "woff2" => "font/woff2",
        "svg" => "image/svg+xml",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)
}

fn chromium() -> String {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        if Command::new(name)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return name.to_string();
        }
    }
    panic!(
        "no Chromium found: install Debian's `chromium` package (apt-get install chromium), as .ci/run does"
    );
}

fn axe_source() -> String {
    let path = std::env::var_os("KARNAMEH_AXE")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join(".tools/node_modules/axe-core/axe.min.js"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run `npm install --prefix .tools axe-core@4.11.0` (as .ci/run does)",
            path.display()
        )
    })
}

/// What one page showed.
#[derive(Debug, Default)]
struct PageReport {
    page: String,
    layout: Vec<String>,
    axe: Vec<String>,
    charts: u64,
    texts: u64,
    fonts: Vec<String>,
    nodes: u64,
    shift: f64,
    seconds: f64,
}

/// Opens `page` and probes it at every width, then runs axe on it at the widest and the
/// narrowest width.
fn report(browser: &mut Browser, axe: &str, base: &str, page: &str) -> PageReport {
    browser.viewport(WIDTHS[0], 900, false);
    browser.open(&format!("{base}{page}"));
    let started = std::time::Instant::now();
    let mut report = PageReport {
        page: page.to_string(),
        ..PageReport::default()
    };
    let state = browser.eval(STATE);
    report.fonts = strings(&state["fonts"]);
    report.nodes = state["nodes"].as_u64().unwrap_or(0);
    report.shift = state["shift"].as_f64().unwrap_or(0.0);
    for width in WIDTHS {
        browser.viewport(width, 900, false);
        let probe = browser.eval(PROBE);
        report.layout.extend(strings(&probe["problems"]));
        report.charts = report.charts.max(probe["charts"].as_u64().unwrap_or(0));
        report.texts += probe["texts"].as_u64().unwrap_or(0);
        // the print edition once: its articles are the section pages', checked at both
        let print = page.ends_with("/print/");
        if width == WIDTHS[0] || (width == WIDTHS[2] && !print) {
            report.axe.extend(run_axe(browser, axe, width));
        }
    }
    report.seconds = started.elapsed().as_secs_f64();
    report
}

/// The page's fonts, its size in nodes and its cumulative layout shift so far.
const STATE: &str = r#"(async () => {
  await document.fonts.ready;
  await new Promise((done) => setTimeout(done, 300));
  const shift = await new Promise((done) => {
    let sum = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) sum += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
    setTimeout(() => done(sum), 50);
  });
  const fonts = [...document.fonts].filter((f) => f.status === 'loaded').map((f) => f.family.replace(/"/g, '') + ' ' + f.weight);
  return { fonts, nodes: document.getElementsByTagName('*').length, shift };
})()"#;

/// axe's violations on the page. The print edition's sections are the section pages'
/// articles, checked there (axe takes minutes on the whole edition): it is checked without
/// them, and its ids are checked unique in tests/real_site.rs.
fn run_axe(browser: &mut Browser, axe: &str, width: u32) -> Vec<String> {
    if browser.eval("typeof axe") != "object" {
        browser.eval(&format!("{axe};true"));
    }
    let script = format!(
        "axe.run({{ exclude: [['.print-edition > article']] }}, {{ runOnly: {{ type: 'tag', values: {AXE_TAGS} }} }}).then((r) => r.violations.map((v) => `${{v.id}} (${{v.impact}}, ${{v.nodes.length}} nodes, e.g. ${{v.nodes[0].target}}): ${{v.help}}`))"
    );
    strings(&browser.eval(&script))
        .into_iter()
        .map(|v| format!("at {width}px: {v}"))
        .collect()
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Every page of the built site, relative to its root (`1400/summary/`).
fn pages(out: &Path) -> Vec<String> {
    let mut pages: Vec<String> = walkdir::WalkDir::new(out)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .map(|p| {
            let relative = p.strip_prefix(out).unwrap().to_string_lossy().into_owned();
            relative.trim_end_matches("index.html").to_string()
        })
        .collect();
    pages.sort();
    pages
}

/// The built site's folder, the port it is served on, and every page's report.
type Site = (PathBuf, u16, Vec<PageReport>);

/// Serves the site built in `out` and reports on each of its pages (two browsers at a time:
/// one per core of the CI machine).
fn probe_site(out: PathBuf) -> Site {
    let port = serve(out.clone());
    let base = format!("http://127.0.0.1:{port}/");
    let pages = pages(&out);
    let (browser, axe) = (chromium(), axe_source());
    let reports = std::thread::scope(|scope| {
        let halves: Vec<_> = pages
            .chunks(pages.len().div_ceil(2))
            .map(|chunk| {
                let (browser, axe, base) = (&browser, &axe, &base);
                scope.spawn(move || {
                    let mut tab = Browser::launch(browser);
                    chunk
                        .iter()
                        .map(|p| report(&mut tab, axe, base, p))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        halves.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    (out, port, reports)
}

/// The real site, built once, and every page's report.
fn site() -> &'static Site {
    static SITE: OnceLock<(tempfile::TempDir, Site)> = OnceLock::new();
    &SITE
        .get_or_init(|| {
            let (dir, out) = build_real_site();
            let site = probe_site(out);
            assert!(site.2.len() >= 60, "{} pages", site.2.len());
            (dir, site)
        })
        .1
}

/// The synthetic site of three years (tests/fixtures/years), built once: the page kinds the
/// real site of one year lacks (series pages, the year switcher of several years, the banner
/// of an older year), and every page's report.
fn years_site() -> &'static Site {
    static SITE: OnceLock<(tempfile::TempDir, Site)> = OnceLock::new();
    &SITE
        .get_or_init(|| {
            let site = fixture("years");
            let out = build(site.path());
            let probed = probe_site(out);
            let series = probed.2.iter().filter(|r| r.page.starts_with("series/"));
            assert!(series.count() >= 2, "series pages");
            (site, probed)
        })
        .1
}

/// Every page's report: the real site's and the synthetic years'.
fn all_reports() -> impl Iterator<Item = &'static PageReport> {
    site().2.iter().chain(years_site().2.iter())
}

#[test]
fn every_page_fits_360_768_and_1366_px_and_its_charts_keep_their_text_apart() {
    let (_, _, reports) = site();
    let failures: Vec<String> = all_reports()
        .flat_map(|r| r.layout.iter().map(move |p| format!("{}: {p}", r.page)))
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
    let with_charts = reports.iter().filter(|r| r.charts > 0).count();
    assert!(with_charts >= 40, "{with_charts} pages with charts");
    for r in all_reports().filter(|r| r.charts > 0) {
        assert!(r.texts > 0, "{}: charts without a text", r.page);
        assert!(
            r.fonts.iter().any(|f| f.starts_with("Vazirmatn ")),
            "{}: Vazirmatn did not load: {:?}",
            r.page,
            r.fonts
        );
    }
}

#[test]
fn axe_finds_no_violation_on_any_page() {
    let failures: Vec<String> = all_reports()
        .flat_map(|r| r.axe.iter().map(move |v| format!("{}: {v}", r.page)))
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The fonts loaded, a colour the stylesheet gives the header, and the year banner.
const DISK_PROBE: &str = r#"document.fonts.ready.then(() => {
  const loaded = [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replace(/"/g, ''));
  const header = getComputedStyle(document.querySelector('.site-header')).backgroundColor;
  const banner = document.getElementById('year-banner');
  const link = banner && !banner.hidden ? banner.querySelector('a') : null;
  return { loaded, header, banner: link ? banner.textContent : null, latest: link ? link.href : null };
})"#;

#[derive(Debug, serde::Deserialize)]
struct DiskProbe {
    loaded: Vec<String>,
    header: String,
    banner: Option<String>,
    latest: Option<String>,
}

#[test]
fn pages_opened_from_disk_load_their_stylesheet_font_and_banner_even_moved() {
    let site = fixture("years");
    let built = build(site.path());
    // the whole site moved under another folder, and one year's folder alone, renamed
    let moved = tempfile::tempdir().unwrap();
    let site_copy = moved.path().join("elsewhere/site");
    copy_dir(&built, &site_copy);
    let lone = moved.path().join("kept/report-1398");
    copy_dir(&built.join("1398"), &lone);
    let mut browser = Browser::launch(&chromium());
    browser.viewport(1280, 900, false);
    let mut open = |file: &Path| -> DiskProbe {
        browser.open(&format!("file://{}", file.display()));
        serde_json::from_value(browser.eval(DISK_PROBE)).unwrap()
    };
    let band = "rgb(243, 245, 247)";
    for page in [
        site_copy.join("index.html"),
        site_copy.join("1400/provinces/index.html"),
        site_copy.join("1400/print/index.html"),
        site_copy.join("series/province-standards/index.html"),
        lone.join("provinces/index.html"),
        lone.join("index.html"),
    ] {
        let probe = open(&page);
        assert!(
            probe.loaded.iter().any(|f| f == "Vazirmatn") && probe.header == band,
            "{}: {probe:?}",
            page.display()
        );
    }
    let old = open(&site_copy.join("1398/provinces/index.html"));
    assert!(
        old.banner.as_deref().is_some_and(|b| b.contains("۱۳۹۸")),
        "{old:?}"
    );
    let latest = format!("file://{}", site_copy.join("1400/index.html").display());
    assert_eq!(old.latest.as_deref(), Some(latest.as_str()));
    let current = open(&site_copy.join("1400/office/index.html"));
    assert_eq!(current.banner, None, "the latest year has no banner");
}

/// Not a check (timings and shifts vary with the machine): the figures the issue asks for,
/// printed with `cargo test --test browser -- --nocapture`.
#[test]
fn prints_each_pages_size_and_layout_shift() {
    let (_, _, reports) = site();
    let mut by_size: Vec<&PageReport> = reports.iter().collect();
    by_size.sort_by_key(|r| std::cmp::Reverse(r.nodes));
    for r in by_size.iter().take(5) {
        println!(
            "{:>6} DOM nodes  CLS {:.3}  probed in {:.1} s  {}",
            r.nodes, r.shift, r.seconds, r.page
        );
    }
    let worst = reports.iter().map(|r| r.shift).fold(0.0, f64::max);
    println!("largest cumulative layout shift: {worst:.3}");
    assert!(by_size[0].nodes > 0);
}

#[test]
fn the_print_edition_prints_every_table_on_a4_without_clipping() {
    let (out, port, _) = site();
    let pdf = tempfile::tempdir().unwrap();
    let file = pdf.path().join("report.pdf");
    let profile = tempfile::tempdir().unwrap();
    let status = Command::new(chromium())
        .args(cdp::FLAGS)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--no-pdf-header-footer")
        .arg("--virtual-time-budget=20000")
        .arg(format!("--print-to-pdf={}", file.display()))
        .arg(format!("http://127.0.0.1:{port}/1400/print/"))
        .output()
        .unwrap();
    assert!(file.is_file(), "no PDF: {}", stderr(&status));
    let info = Command::new("pdfinfo")
        .arg(&file)
        .output()
        .expect("pdfinfo (poppler-utils)");
    let info = stdout(&info);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    // 96 tables and 121 charts, each section from a new page
    assert!((100..=600).contains(&pages), "{pages} pages\n{info}");
    assert!(info.contains("(A4)"), "A4: {info}");
    let text = normalized(&stdout(
        &Command::new("pdftotext")
            .arg(&file)
            .arg("-")
            .output()
            .unwrap(),
    ));
    let print = page(out, "1400/print/index.html");
    let captions = texts(&print, "caption .caption-text");
    assert_eq!(captions.len(), 96, "every table is in the print edition");
    let missing: Vec<&String> = captions
        .iter()
        .filter(|c| !text.contains(&normalized(c)))
        .collect();
    assert!(
        missing.is_empty(),
        "captions missing from the PDF: {missing:#?}"
    );
    let t044 = texts(&print, "#T044 tbody th.label");
    assert_eq!(t044.len(), 31);
    let totals = texts(&print, "#T044 tfoot td");
    for name in t044.iter().chain(&totals) {
        assert!(
            text.contains(&normalized(name)),
            "«{name}» of T044 is not in the PDF"
        );
    }
    // a totals row repeated at the foot of every page would print «جمع کل» more often
    let total = normalized("جمع کل");
    assert_eq!(
        text.matches(&total).count(),
        normalized(&printed_text(&print)).matches(&total).count(),
        "each totals row prints once"
    );
}

/// Text as compared with `pdftotext`'s: letters and digits only, without alef and lam, which
/// it reads out of the lam-alef ligature in the wrong order («عالمت» for «علامت»).
fn normalized(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric() && !"اآأإل".contains(*c))
        .collect()
}

/// The page's text as printed: no head, scripts, chart titles and descriptions, nor the wide
/// layout of charts (print shows the narrow one).
fn printed_text(html: &scraper::Html) -> String {
    let mut out = String::new();
    for node in html.tree.root().descendants() {
        let Some(text) = node.value().as_text() else {
            continue;
        };
        let hidden = node.ancestors().any(|a| {
            a.value().as_element().is_some_and(|e| {
                matches!(e.name(), "head" | "script" | "style" | "title" | "desc")
                    || (e.name() == "g" && e.classes().any(|c| c == "wide"))
            })
        });
        if !hidden {
            out.push_str(text);
            out.push(' ');
        }
    }
    out
}

#[test]
fn printed_tables_fit_their_pages() {
    let (_, port, _) = site();
    let mut browser = Browser::launch(&chromium());
    browser.open(&format!("http://127.0.0.1:{port}/1400/print/"));
    // A4 less the margins of `@page` (14 mm each side) in CSS pixels; landscape for `.wide`
    for (width, selector) in [
        (688, ".report-table:not(.wide) table"),
        (1016, ".report-table.wide table"),
    ] {
        browser.viewport(width, 1000, true);
        let script = format!(
            "document.fonts.ready.then(() => [...document.querySelectorAll('{selector}')].filter((t) => t.getBoundingClientRect().width > {width} + 1).map((t) => t.closest('figure').id + ': ' + Math.round(t.getBoundingClientRect().width)))"
        );
        let wide = strings(&browser.eval(&script));
        assert!(wide.is_empty(), "wider than a {width}px page: {wide:?}");
    }
}

#[test]
fn the_probe_reports_a_label_outside_its_chart_colliding_labels_and_small_text() {
    let dir = tempfile::tempdir().unwrap();
    let page = r#"<!DOCTYPE html><html lang="fa" dir="rtl"><body style="margin:0">
<figure id="bad"><svg class="chart-svg" width="100" height="60" direction="rtl">
<text x="95" y="15">یک برچسب بسیار بلند که بیرون می‌زند</text>
<text x="95" y="30" font-size="13">الف</text><text x="95" y="31" font-size="13">الف</text>
<text x="50" y="50" font-size="9">ب</text>
</svg></figure><div style="width:2000px">wide</div></body></html>"#;
    std::fs::write(dir.path().join("index.html"), page).unwrap();
    let port = serve(dir.path().to_path_buf());
    let mut browser = Browser::launch(&chromium());
    browser.viewport(360, 600, false);
    browser.open(&format!("http://127.0.0.1:{port}/"));
    let problems = strings(&browser.eval(PROBE)["problems"]);
    for expected in [
        "text outside its chart bad",
        "texts overlap in bad",
        "text of 9.0px",
        "wider than the 360px viewport: div",
    ] {
        assert!(
            problems.iter().any(|p| p.starts_with(expected)),
            "{expected}: {problems:#?}"
        );
    }
}

/// A helper for working on the probes, not a check: `KARNAMEH_URL=… KARNAMEH_JS=… cargo test
/// --test browser evaluate -- --ignored --nocapture` prints what a script returns on a page;
/// `KARNAMEH_JS=axe` runs axe, `KARNAMEH_JS=state` measures the page (nodes, layout shift);
/// `KARNAMEH_SLOW=1` loads it under Lighthouse's mobile network and CPU throttling.
#[test]
#[ignore]
fn evaluate() {
    let url = std::env::var("KARNAMEH_URL").unwrap();
    let script = std::env::var("KARNAMEH_JS").unwrap();
    let width = std::env::var("KARNAMEH_WIDTH").map_or(1366, |w| w.parse().unwrap());
    let mut browser = Browser::launch(&chromium());
    browser.viewport(width, 900, false);
    if std::env::var_os("KARNAMEH_SLOW").is_some() {
        // Lighthouse's mobile conditions: slow 4G and a CPU four times slower
        browser.call("Network.enable", serde_json::json!({}));
        browser.call(
            "Network.emulateNetworkConditions",
            serde_json::json!({ "offline": false, "latency": 150, "downloadThroughput": 204800, "uploadThroughput": 96000 }),
        );
        browser.call(
            "Emulation.setCPUThrottlingRate",
            serde_json::json!({ "rate": 4 }),
        );
    }
    browser.open(&url);
    let started = std::time::Instant::now();
    if script == "state" {
        println!("{}", browser.eval(STATE));
    } else if script == "axe" {
        println!("{:#?}", run_axe(&mut browser, &axe_source(), width));
    } else {
        println!("{}", browser.eval(&script));
    }
    println!("in {:?}", started.elapsed());
}
