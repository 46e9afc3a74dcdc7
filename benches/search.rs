//! `cargo bench --bench search`: the search index of the real 1400 site (its size, raw and
//! gzipped, and the time to make it), the client's size, and how fast a query answers in
//! headless Chromium: the 50 queries of `tests/search/variants.json` (and a few short ones)
//! typed into the header's box, each timed inside the page with `performance.now()` from the
//! input event to the results shown. Figures are printed; nothing is asserted.

use flate2::{Compression, write::GzEncoder};
use karnameh::cmd::build::{BuildOptions, build};
use karnameh::pipeline::load_site;
use karnameh::search::{CLIENT_MINIFIED, CLIENT_SOURCE, YearIndex};
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

/// The CPU time of this thread: what the index costs, whatever else the machine runs.
fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the timespec it is given
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// Runs (deferred, after the client) before the page's load event, in real time: types a first
/// query, which makes the client load the index; once the index script has run (and the client
/// answered), types every query, each timed from the input event to the results laid out. The
/// load event waits for the index script, so `--dump-dom` sees the times.
const PROBE: &str = r#"
const input = document.querySelector('form[data-search="box"] input[type="search"]');
const panel = document.getElementById(input.getAttribute('aria-controls'));
input.value = 'کرمان';
input.dispatchEvent(new Event('input'));
document.querySelector('script[src$="index.js"]').addEventListener('load', () => {
  const times = QUERIES.map(q => {
    input.value = q;
    const start = performance.now();
    input.dispatchEvent(new Event('input'));
    panel.getBoundingClientRect();
    return performance.now() - start;
  });
  document.body.setAttribute('data-probe', JSON.stringify({ times, shown: panel.querySelectorAll('a.search-hit').length }));
});
"#;

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

/// The per-query times (ms) Chromium measured on a section page of `out`.
fn latency(out: &Path) -> Option<Vec<f64>> {
    let html = std::fs::read_to_string(out.join("1400/summary/index.html")).ok()?;
    let probe = PROBE.replace("QUERIES", &serde_json::to_string(&queries()).ok()?);
    std::fs::write(out.join("probe.js"), probe).ok()?;
    // deferred scripts run in order: the probe after the client
    // after the search client's tag (the years banner's script may come first)
    let client = html.find("search.js\"")?;
    let after = client + html[client..].find("</script>")? + "</script>".len();
    let with_probe = format!(
        "{}<script src=\"{}/probe.js\" defer></script>{}",
        &html[..after],
        out.display(),
        &html[after..]
    );
    let timed = out.join("1400/summary/timed.html");
    std::fs::write(&timed, with_probe).ok()?;
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
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", timed.display()))
        .output()
        .ok()?;
    let dom = String::from_utf8_lossy(&output.stdout);
    let start = dom.find("data-probe=\"")? + "data-probe=\"".len();
    let json = &dom[start..start + dom[start..].find('"')?];
    let found: serde_json::Value = serde_json::from_str(&json.replace("&quot;", "\"")).ok()?;
    println!("(the last query showed {} results)", found["shown"]);
    serde_json::from_value(found["times"].clone()).ok()
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let site = load_site(&root, None).expect("the 1400 site loads");
    let year = &site.years[0];
    let routes = karnameh::routes::Routes::new("/", site.config.relative_urls);
    let index = YearIndex::of(year, &routes, site.config.digits);
    println!("karnameh search bench: {} rows indexed", index.row_count());
    let (mut made, mut written, mut cpu) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let (started, on_cpu) = (Instant::now(), thread_cpu_time());
        let index = YearIndex::of(year, &routes, site.config.digits);
        made.push(started.elapsed());
        cpu.push(thread_cpu_time() - on_cpu);
        let started = Instant::now();
        std::hint::black_box(index.to_script().expect("the index serializes"));
        written.push(started.elapsed());
    }
    let started = Instant::now();
    let client = karnameh::search::client_script(&routes, &[1400], site.config.digits);
    let written_client = started.elapsed();
    std::hint::black_box(client.expect("the client takes its settings"));
    for (name, samples) in [
        ("index made", made),
        ("  on the CPU", cpu),
        ("index written as a script", written),
    ] {
        println!(
            "{name:<28} median {:>7.2} ms over {RUNS} runs (alongside the pages)",
            median(samples).as_secs_f64() * 1e3
        );
    }
    println!(
        "{:<28} {:>7.2} ms, once per build",
        "client written",
        written_client.as_secs_f64() * 1e3
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
    sizes("client minified, no settings", CLIENT_MINIFIED.as_bytes());

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
