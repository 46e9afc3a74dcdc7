//! Charts in a real browser: headless Chromium renders pages at desktop and phone widths, and
//! a probe script reports whether Vazirmatn loaded and whether any chart label leaves its
//! chart or collides with another. `.ci/run` installs Debian's `chromium`.

mod common;
use common::*;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs in the page once fonts are ready; writes its findings on `<body data-probe>`.
const PROBE: &str = r#"<script>
document.fonts.ready.then(() => {
  const loaded = [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replace(/"/g, ''));
  const problems = [];
  let texts = 0;
  const charts = document.querySelectorAll('svg.chart-svg');
  for (const svg of charts) {
    const vb = svg.viewBox.baseVal;
    const boxes = [];
    for (const t of svg.querySelectorAll('text')) {
      texts++;
      const b = t.getBBox();
      if (b.x < vb.x - 1 || b.x + b.width > vb.x + vb.width + 1 || b.y < vb.y - 1 || b.y + b.height > vb.y + vb.height + 1) {
        problems.push('overflow ' + svg.id + ': ' + t.textContent);
      }
      // the glyph body: the middle 60% of the line box
      boxes.push({ x0: b.x, x1: b.x + b.width, y0: b.y + b.height * 0.2, y1: b.y + b.height * 0.8, s: t.textContent });
    }
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], c = boxes[j];
      const w = Math.min(a.x1, c.x1) - Math.max(a.x0, c.x0), h = Math.min(a.y1, c.y1) - Math.max(a.y0, c.y0);
      if (w > 1 && h > 1) problems.push('overlap ' + svg.id + ': ' + a.s + ' / ' + c.s);
    }
  }
  document.body.setAttribute('data-probe', JSON.stringify({ loaded, charts: charts.length, texts, problems }));
});
</script>"#;

/// Serves `root` on a loopback port, injecting the probe into HTML pages.
fn serve(root: PathBuf) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let _ = answer(stream, &root);
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
    let (status, mut body) = match std::fs::read(&file) {
        Ok(bytes) => ("200 OK", bytes),
        Err(_) => ("404 Not Found", Vec::new()),
    };
    let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
    let kind = match ext {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    };
    if ext == "html" {
        let html = String::from_utf8_lossy(&body).replace("</body>", &format!("{PROBE}</body>"));
        body = html.into_bytes();
    }
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

#[derive(Debug, serde::Deserialize)]
struct Probe {
    loaded: Vec<String>,
    charts: usize,
    texts: usize,
    problems: Vec<String>,
}

fn probe(browser: &str, url: &str, width: u32) -> Probe {
    serde_json::from_str(&dump_probe(browser, url, width)).unwrap()
}

/// Opens `url` in headless Chromium and returns what a probe script wrote on
/// `<body data-probe>`.
fn dump_probe(browser: &str, url: &str, width: u32) -> String {
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=10000",
            &format!("--window-size={width},900"),
            &format!("--user-data-dir={}", profile.path().display()),
            "--dump-dom",
            url,
        ])
        .output()
        .unwrap();
    let dom = scraper::Html::parse_document(&String::from_utf8_lossy(&output.stdout));
    let body = select(&dom, "body");
    body.first()
        .and_then(|b| b.value().attr("data-probe"))
        .unwrap_or_else(|| {
            panic!(
                "{url} at {width}px: the probe did not run; stderr: {}",
                String::from_utf8_lossy(&output.stderr)
            )
        })
        .to_string()
}

/// Reports the fonts loaded, a colour the stylesheet gives the header, and the year banner.
const DISK_PROBE: &str = r#"<script>
window.addEventListener('load', () => document.fonts.ready.then(() => {
  const loaded = [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replace(/"/g, ''));
  const header = getComputedStyle(document.querySelector('.site-header')).backgroundColor;
  const banner = document.getElementById('year-banner');
  const link = banner && !banner.hidden ? banner.querySelector('a') : null;
  document.body.setAttribute('data-probe', JSON.stringify({
    loaded, header, banner: link ? banner.textContent : null, latest: link ? link.href : null }));
}));
</script>"#;

#[derive(Debug, serde::Deserialize)]
struct DiskProbe {
    loaded: Vec<String>,
    header: String,
    banner: Option<String>,
    latest: Option<String>,
}

#[test]
fn pages_opened_from_disk_load_their_stylesheet_font_and_banner_even_moved() {
    let browser = chromium();
    let site = fixture("years");
    let built = build(site.path());
    // the whole site moved under another folder, and one year's folder alone, renamed
    let moved = tempfile::tempdir().unwrap();
    let site_copy = moved.path().join("elsewhere/site");
    copy_dir(&built, &site_copy);
    let lone = moved.path().join("kept/report-1398");
    copy_dir(&built.join("1398"), &lone);
    for entry in walkdir::WalkDir::new(moved.path()) {
        let path = entry.unwrap().into_path();
        if path.extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(&path).unwrap();
            std::fs::write(
                &path,
                html.replace("</body>", &format!("{DISK_PROBE}</body>")),
            )
            .unwrap();
        }
    }
    let open = |file: &Path| -> DiskProbe {
        let url = format!("file://{}", file.display());
        serde_json::from_str(&dump_probe(&browser, &url, 1280)).unwrap()
    };
    let band = "rgb(243, 245, 247)";
    for page in [
        site_copy.join("index.html"),
        site_copy.join("1400/provinces/index.html"),
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

/// Every section page that has a chart, relative to the output folder.
fn pages_with_charts(out: &Path) -> Vec<String> {
    let mut pages = Vec::new();
    for entry in walkdir::WalkDir::new(out.join("1400")).sort_by_file_name() {
        let entry = entry.unwrap();
        let is_page = entry.file_name() == "index.html";
        if is_page
            && std::fs::read_to_string(entry.path())
                .unwrap()
                .contains("class=\"chart-svg\"")
        {
            let dir = entry.path().parent().unwrap().strip_prefix(out).unwrap();
            pages.push(format!("{}/", dir.display()));
        }
    }
    pages
}

#[test]
fn charts_fit_their_boxes_and_the_font_loads_at_desktop_and_phone_widths() {
    let browser = chromium();
    let (_dir, out) = build_real_site();
    let pages = pages_with_charts(&out);
    assert!(pages.len() >= 40, "{} pages with charts", pages.len());
    let port = serve(out);
    let jobs: Vec<(String, u32)> = pages
        .iter()
        .flat_map(|p| [(p.clone(), 1280), (p.clone(), 360)])
        .collect();
    // two browsers at a time: one per core of the CI machine
    let failures: Vec<String> = std::thread::scope(|scope| {
        let halves = jobs.chunks(jobs.len().div_ceil(2)).map(|chunk| {
            let browser = &browser;
            scope.spawn(move || {
                let mut failures = Vec::new();
                for (page, width) in chunk {
                    let url = format!("http://127.0.0.1:{port}/{page}");
                    let probe = probe(browser, &url, *width);
                    if !probe.loaded.iter().any(|f| f == "Vazirmatn") {
                        failures.push(format!(
                            "{url} at {width}px: Vazirmatn not loaded ({:?})",
                            probe.loaded
                        ));
                    }
                    if probe.charts == 0 || probe.texts == 0 {
                        failures.push(format!("{url} at {width}px: no chart drawn"));
                    }
                    failures.extend(
                        probe
                            .problems
                            .iter()
                            .map(|p| format!("{url} at {width}px: {p}")),
                    );
                }
                failures
            })
        });
        halves
            .collect::<Vec<_>>()
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn the_probe_reports_a_label_outside_its_chart_and_colliding_labels() {
    let browser = chromium();
    let dir = tempfile::tempdir().unwrap();
    let page = r#"<!DOCTYPE html><html lang="fa" dir="rtl"><body>
<svg class="chart-svg" id="bad" width="100" height="40" viewBox="0 0 100 40" direction="rtl">
<text x="95" y="15" text-anchor="start">یک برچسب بسیار بلند که بیرون می‌زند</text>
<text x="95" y="30" text-anchor="start">الف</text><text x="95" y="31" text-anchor="start">الف</text>
</svg></body></html>"#;
    std::fs::write(dir.path().join("index.html"), page).unwrap();
    let port = serve(dir.path().to_path_buf());
    let probe = probe(&browser, &format!("http://127.0.0.1:{port}/"), 360);
    assert!(
        probe.problems.iter().any(|p| p.starts_with("overflow bad")),
        "{probe:?}"
    );
    assert!(
        probe.problems.iter().any(|p| p.starts_with("overlap bad")),
        "{probe:?}"
    );
}
