//! `cargo bench --bench serve_latency`: how long a reviewer waits. `karnameh serve` (the
//! release binary) runs on a copy of the real 1400 site; a section file is saved 50 times the
//! way editors save (a temporary file renamed over it), each time with a new number, and the
//! time from the rename to the new page being served is measured; then `site.toml` is saved
//! 20 times (a whole rebuild); then the server's memory is read from /proc.
//! Targets (the issue's): median ≤ 80 ms, p95 ≤ 150 ms, whole rebuild p95 ≤ 400 ms, ≤ 150 MB.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const SECTION: &str = "content/1400/07-national-standards.toml";
const SECTION_PAGE: &str = "1400/national-standards/";
const SAVES: usize = 50;
const SETTINGS_SAVES: usize = 20;
/// Between saves: longer than the debounce, so that each save is rebuilt on its own.
const PAUSE: Duration = Duration::from_millis(150);

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("the site is readable");
        let target = to.join(entry.path().strip_prefix(from).expect("below the root"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("a folder is created");
        } else {
            std::fs::copy(entry.path(), &target).expect("a file is copied");
        }
    }
}

/// Writes `text` beside `path` and renames it over `path`, as editors save.
fn save_by_rename(path: &Path, text: &str) {
    let temporary = path.with_extension("toml.tmp");
    std::fs::write(&temporary, text).expect("the temporary file is written");
    std::fs::rename(&temporary, path).expect("the rename succeeds");
}

struct Server {
    child: Child,
    url: String,
    agent: ureq::Agent,
    /// The rebuild times the server prints (`rebuilt … in 8.1 ms`), in ms.
    rebuilds: Arc<Mutex<Vec<f64>>>,
}

impl Server {
    fn start(root: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_karnameh"))
            .args([
                "serve",
                "--root",
                &root.display().to_string(),
                "--port",
                "0",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("karnameh serve starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut lines = BufReader::new(stdout).lines();
        let url = lines
            .by_ref()
            .map_while(Result::ok)
            .find_map(|l| Some(l.strip_prefix("serving ")?.split(' ').next()?.to_string()))
            .expect("serve prints its URL");
        // keep reading, so that the server never blocks on a full pipe
        let rebuilds = Arc::new(Mutex::new(Vec::new()));
        let times = Arc::clone(&rebuilds);
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                let ms = line
                    .split(" in ")
                    .nth(1)
                    .and_then(|t| t.split(" ms").next());
                if let Some(ms) = ms.and_then(|t| t.parse::<f64>().ok()) {
                    times.lock().expect("the reader runs").push(ms);
                }
            }
        });
        Server {
            child,
            url,
            rebuilds,
            agent: ureq::Agent::config_builder()
                .http_status_as_error(false)
                .build()
                .into(),
        }
    }

    /// The version the server gives `path` now.
    fn version(&self, path: &str) -> String {
        let response = self
            .agent
            .head(&format!("{}{path}", self.url))
            .call()
            .expect("the server answers");
        let version = response.headers().get("x-karnameh-version");
        version
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }

    fn body(&self, path: &str) -> String {
        let mut response = self
            .agent
            .get(&format!("{}{path}", self.url))
            .call()
            .expect("the server answers");
        let body = response.body_mut().with_config().limit(64 << 20);
        body.read_to_string().expect("a page is text")
    }

    /// Saves `text` to `file` and returns how long until `path` is served changed.
    fn time_save(&self, file: &Path, text: &str, path: &str) -> Duration {
        let before = self.version(path);
        let started = Instant::now();
        save_by_rename(file, text);
        while self.version(path) == before {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "no rebuild of {path}"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        started.elapsed()
    }

    /// VmRSS and VmHWM (the peak) of the server, in MB.
    fn memory(&self) -> (f64, f64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("the server's /proc status");
        let field = |name: &str| {
            let line = status.lines().find(|l| l.starts_with(name)).unwrap_or("");
            let kb: f64 = line
                .split_whitespace()
                .nth(1)
                .and_then(|n| n.parse().ok())
                .unwrap_or(0.0);
            kb / 1024.0
        };
        (field("VmRSS:"), field("VmHWM:"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Median, 95th percentile and maximum, in ms.
fn spread(mut samples: Vec<Duration>) -> (f64, f64, f64) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let p95 = (samples.len() * 95).div_ceil(100).saturating_sub(1);
    (
        ms(samples[samples.len() / 2]),
        ms(samples[p95]),
        ms(samples[samples.len() - 1]),
    )
}

fn verdict(ok: bool) -> &'static str {
    if ok { "ok" } else { "MISSED" }
}

fn main() {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path().canonicalize().expect("the folder exists");
    for part in ["content", "themes"] {
        copy_dir(&repo.join(part), &root.join(part));
    }
    std::fs::copy(repo.join("site.toml"), root.join("site.toml")).expect("site.toml is copied");
    let server = Server::start(&root);
    // the real site is published at `/`: the server's URL is the site's root
    let page = SECTION_PAGE;
    let section = root.join(SECTION);
    let original = std::fs::read_to_string(&section).expect("the section file");
    assert!(original.contains("values = [25, 30, 120]"));

    let mut saves = Vec::new();
    server.rebuilds.lock().expect("the reader runs").clear();
    for i in 0..SAVES {
        let value = 31 + i;
        let text = original.replacen(
            "values = [25, 30, 120]",
            &format!("values = [25, {value}, 120]"),
            1,
        );
        saves.push(server.time_save(&section, &text, page));
        let shown = persian(value);
        assert!(
            server.body(page).contains(&shown),
            "save {i}: {shown} is not served"
        );
        std::thread::sleep(PAUSE);
    }
    let section_rebuilds = std::mem::take(&mut *server.rebuilds.lock().expect("the reader runs"));
    let settings = root.join("site.toml");
    let original_settings = std::fs::read_to_string(&settings).expect("site.toml");
    let mut whole = Vec::new();
    for i in 0..SETTINGS_SAVES {
        let text = original_settings.replacen("title = \"", &format!("title = \"{i} "), 1);
        whole.push(server.time_save(&settings, &text, ""));
        std::thread::sleep(PAUSE);
    }
    let (rss, peak) = server.memory();
    let whole_rebuilds = std::mem::take(&mut *server.rebuilds.lock().expect("the reader runs"));
    let ms = |v: Vec<f64>| {
        v.into_iter()
            .map(|ms| Duration::from_secs_f64(ms / 1e3))
            .collect()
    };

    let (median, p95, max) = spread(saves);
    println!(
        "karnameh serve on the real 1400 site (release build), from a rename-save to the new page served:"
    );
    println!(
        "  section number, {SAVES} saves   median {median:>6.1} ms   p95 {p95:>6.1} ms   max {max:>6.1} ms   [{} median ≤ 80, {} p95 ≤ 150]",
        verdict(median <= 80.0),
        verdict(p95 <= 150.0)
    );
    let (median, p95, max) = spread(ms(section_rebuilds));
    println!(
        "    of which the rebuild   median {median:>6.1} ms   p95 {p95:>6.1} ms   max {max:>6.1} ms   (the rest: the 50 ms debounce)"
    );
    let (median, p95, max) = spread(whole);
    println!(
        "  site.toml, {SETTINGS_SAVES} saves (whole)   median {median:>6.1} ms   p95 {p95:>6.1} ms   max {max:>6.1} ms   [{} p95 ≤ 400]",
        verdict(p95 <= 400.0)
    );
    let (median, p95, max) = spread(ms(whole_rebuilds));
    println!(
        "    of which the rebuild   median {median:>6.1} ms   p95 {p95:>6.1} ms   max {max:>6.1} ms"
    );
    println!(
        "  memory: VmRSS {rss:.1} MB, peak VmHWM {peak:.1} MB   [{} ≤ 150]",
        verdict(peak <= 150.0)
    );
}

/// `34` → `۳۴`, as the site prints it.
fn persian(n: usize) -> String {
    n.to_string()
        .chars()
        .map(|c| char::from_u32(c as u32 - '0' as u32 + 0x06F0).unwrap_or(c))
        .collect()
}
