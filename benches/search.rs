//! `cargo bench --bench search`: the search index of the real 1400 site (its size, raw and
//! gzipped, and the time to make it), the client's size, and how fast a query answers in
//! headless Chromium: the 50 queries of `tests/search/variants.json` (and a few short ones)
//! typed into the header's box, each timed inside the page with `performance.now()` from the
//! input event to the results shown. Figures are printed; nothing is asserted.

use flate2::{Compression, write::GzEncoder};
use karnameh::cmd::build::{BuildOptions, build};
use karnameh::pipeline::load_site;
use karnameh::search::{CLIENT_SOURCE, YearIndex};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 15;

fn gzipped(bytes: &[u8], level: u32) -> usize {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::new(level));
    encoder.write_all(bytes).expect("gzip in memory");
    encoder.finish().expect("gzip in memory").len()
}

fn sizes(name: &str, bytes: &[u8]) {
    println!(
        "{name:<28} {:>8} bytes raw   {:>7} gzip -6   {:>7} gzip -9",
        bytes.len(),
        gzipped(bytes, 6),
        gzipped(bytes, 9)
    );
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// Types every query into the box once the index is loaded and reports the times.
const PROBE: &str = r#"<script>
window.addEventListener('load', () => {
  const input = document.querySelector('form[data-search="box"] input[type="search"]');
  const panel = () => document.getElementById(input.getAttribute('aria-controls'));
  input.focus();
  input.value = 'کرمان';
  input.dispatchEvent(new Event('input'));
  const ready = () => panel().querySelector('a.search-hit') ? run() : setTimeout(ready, 20);
  const run = () => {
    const times = QUERIES.map(q => {
      input.value = q;
      const start = performance.now();
      input.dispatchEvent(new Event('input'));
      panel().getBoundingClientRect();
      return performance.now() - start;
    });
    document.body.setAttribute('data-probe', JSON.stringify(times));
  };
  ready();
});
</script>"#;

fn queries() -> Vec<String> {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/search/variants.json");
    let text = std::fs::read_to_string(file).expect("tests/search/variants.json");
    let list: serde_json::Value = serde_json::from_str(&text).expect("variants parse");
    let mut queries: Vec<String> = list["queries"]
        .as_array()
        .expect("a list of queries")
        .iter()
        .filter_map(|q| q["query"].as_str().map(str::to_string))
        .collect();
    // the first letters a reader types match the most
    queries.extend(["ا", "۱", "کر"].map(String::from));
    queries.truncate(50);
    queries
}

/// The per-query times (ms) Chromium measured on the section page of `out`.
fn latency(out: &Path) -> Option<Vec<f64>> {
    let page = out.join("1400/summary/index.html");
    let html = std::fs::read_to_string(&page).ok()?;
    let probe = PROBE.replace("QUERIES", &serde_json::to_string(&queries()).ok()?);
    let timed = out.join("1400/summary/timed.html");
    std::fs::write(&timed, html.replace("</body>", &format!("{probe}</body>"))).ok()?;
    let profile = tempfile::tempdir().ok()?;
    let output = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1366,900",
            "--virtual-time-budget=20000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", timed.display()))
        .output()
        .ok()?;
    let dom = String::from_utf8_lossy(&output.stdout);
    let start = dom.find("data-probe=\"")? + "data-probe=\"".len();
    let json = &dom[start..start + dom[start..].find('"')?];
    serde_json::from_str(&json.replace("&quot;", "\"")).ok()
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let site = load_site(&root, None).expect("the 1400 site loads");
    let year = &site.years[0];
    let routes = karnameh::routes::Routes::new("/");
    let index = YearIndex::of(year, &routes, site.config.digits);
    println!("karnameh search bench: {} rows indexed", index.row_count());
    let mut made = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        let index = YearIndex::of(year, &routes, site.config.digits);
        std::hint::black_box(index.to_script().expect("the index serializes"));
        made.push(started.elapsed());
    }
    println!(
        "{:<28} median {:>7.2} ms over {RUNS} runs (made alongside the pages)",
        "index made and written",
        median(made).as_secs_f64() * 1e3
    );

    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("public");
    let options = BuildOptions {
        root,
        output: Some(out.clone()),
        base_url: Some(format!("{}/", out.display())),
        ..BuildOptions::default()
    };
    build(&options).expect("the site builds");
    sizes(
        "index 1400/search/index.js",
        &std::fs::read(out.join("1400/search/index.js")).expect("the index"),
    );
    sizes(
        "client search.js (shipped)",
        &std::fs::read(out.join("search.js")).expect("the client"),
    );
    sizes("client source", CLIENT_SOURCE.as_bytes());

    match latency(&out) {
        Some(mut times) => {
            times.sort_by(f64::total_cmp);
            let at = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
            println!(
                "query in Chromium ({} queries) median {:>6.2} ms   p90 {:>6.2} ms   max {:>6.2} ms",
                times.len(),
                at(0.5),
                at(0.9),
                at(1.0)
            );
        }
        None => {
            println!("query in Chromium: not measured (no `chromium`, or the probe did not run)")
        }
    }
}
