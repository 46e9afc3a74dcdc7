//! Shared test helpers: fixture sites copied into temp dirs, built, and parsed as HTML.
#![allow(dead_code)]

use scraper::{ElementRef, Html, Selector};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The fixture site of `tests/fixtures/<name>` with the repository's themes, in a temp dir.
pub fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("tests/fixtures").join(name), dir.path());
    copy_dir(&repo_root().join("themes"), &dir.path().join("themes"));
    dir
}

pub fn karnameh(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_karnameh"))
        .args(args)
        .output()
        .unwrap()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn build(root: &Path) -> PathBuf {
    let out = root.join("public");
    let output = karnameh(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "build failed: {}", stderr(&output));
    out
}

/// The real site of the repository root, built into a temp dir (kept alive by the TempDir).
pub fn build_real_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let output = karnameh(&[
        "build",
        "--root",
        repo_root().to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    (dir, out)
}

pub fn page(out: &Path, path: &str) -> Html {
    parse_file(&out.join(path))
}

pub fn parse_file(file: &Path) -> Html {
    let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    Html::parse_document(&text)
}

pub fn select<'a>(html: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

pub fn text(element: &ElementRef) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn texts(html: &Html, css: &str) -> Vec<String> {
    select(html, css).iter().map(text).collect()
}

/// Every `href`/`src` in all HTML files under `out`.
pub fn all_urls(out: &Path) -> Vec<(PathBuf, String)> {
    let mut urls = Vec::new();
    for entry in walkdir::WalkDir::new(out).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "html") {
            let html = Html::parse_document(&fs::read_to_string(entry.path()).unwrap());
            for element in select(&html, "[href], [src]") {
                for attr in ["href", "src"] {
                    if let Some(url) = element.value().attr(attr) {
                        urls.push((entry.path().to_path_buf(), url.to_string()));
                    }
                }
            }
        }
    }
    urls
}

/// Every HTML page under `out`, parsed, by its path relative to `out`.
pub fn html_pages(out: &Path) -> Vec<(String, Html)> {
    walkdir::WalkDir::new(out)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .map(|p| {
            (
                p.strip_prefix(out).unwrap().display().to_string(),
                parse_file(&p),
            )
        })
        .collect()
}

/// Every `href`/`src` of the site at `out` (published at `/`) stays inside it and resolves,
/// fragments included.
pub fn assert_links_resolve(out: &Path) {
    let mut ids: std::collections::BTreeMap<PathBuf, std::collections::BTreeMap<String, usize>> =
        Default::default();
    for (file, url) in all_urls(out) {
        assert!(
            !url.contains("://") && !url.starts_with("//"),
            "{}: external `{url}`",
            file.display()
        );
        let (path, fragment) = url.split_once('#').unwrap_or((&url, ""));
        let target = if path.is_empty() {
            file.clone()
        } else {
            let target = out.join(path.trim_start_matches('/'));
            if target.is_dir() {
                target.join("index.html")
            } else {
                target
            }
        };
        assert!(
            target.is_file(),
            "{}: `{url}` does not resolve",
            file.display()
        );
        if !fragment.is_empty() && target.extension().is_some_and(|e| e == "html") {
            let on_page = ids.entry(target.clone()).or_insert_with(|| {
                let mut counts = std::collections::BTreeMap::new();
                for element in select(&parse_file(&target), "[id]") {
                    let id = element.value().id().unwrap_or("").to_string();
                    *counts.entry(id).or_default() += 1;
                }
                counts
            });
            assert_eq!(
                on_page.get(fragment),
                Some(&1),
                "{}: `{url}`",
                file.display()
            );
        }
    }
}

/// Every file under `dir` with its bytes, by relative path: to prove a folder is unchanged.
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// `karnameh build --root <root> --output <output>` plus `extra` arguments.
pub fn build_into(root: &Path, output: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        output.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    karnameh(&args)
}

/// Replaces `from` by `to` in a file of the site, asserting that `from` was there.
pub fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no `{from}`");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// Debian's Chromium, as `.ci/run` installs it.
pub fn chromium() -> String {
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

/// Headless, and quiet: no request leaves the machine.
pub const CHROMIUM_FLAGS: [&str; 8] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// The fixture with one check error (T1's total no longer adds up) and one warning (a double
/// space in T2's caption), built in the reviewer view into its `public/`.
pub fn reviewed_fixture() -> (tempfile::TempDir, PathBuf) {
    let site = fixture("site");
    let section = "content/1400/07-provinces.toml";
    edit(
        site.path(),
        section,
        "values = [25, 30, 120]",
        "values = [25, 31, 124]",
    );
    edit(
        site.path(),
        section,
        "caption = \"سهم\"",
        "caption = \"سهم  استان‌ها\"",
    );
    let out = site.path().join("public");
    let built = build_into(site.path(), &out, &["--review", "--allow-errors"]);
    assert!(built.status.success(), "{}", stderr(&built));
    assert!(
        stdout(&built).contains("not for publishing"),
        "{}",
        stdout(&built)
    );
    (site, out)
}

/// Replaces `from` by `to` in a file of the site the way editors save: the new text is written
/// to a temporary file beside it, which is then renamed over the original.
pub fn save_by_rename(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no `{from}`");
    let temporary = path.with_extension("toml.tmp");
    fs::write(&temporary, text.replacen(from, to, 1)).unwrap();
    fs::rename(&temporary, &path).unwrap();
}

/// Calls `probe` until it gives a value, for at most `seconds`; panics with `what` after.
pub fn eventually<T>(seconds: u64, what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    loop {
        if let Some(value) = probe() {
            return value;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "not within {seconds} s: {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// A response, read whole.
#[derive(Debug)]
pub struct Fetched {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Fetched {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn html(&self) -> Html {
        Html::parse_document(&self.body)
    }
}

/// `karnameh serve` on a free loopback port, stopped (killed) when dropped.
pub struct Server {
    child: std::process::Child,
    /// `http://127.0.0.1:PORT`.
    pub origin: String,
    pub port: u16,
    /// What the server printed, line by line.
    stdout: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    stderr: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    agent: ureq::Agent,
}

impl Server {
    /// Starts `karnameh serve --root <root> --port 0` (plus `extra`) and waits for its URL.
    pub fn start(root: &Path, extra: &[&str]) -> Server {
        Server::start_on(root, 0, extra)
    }

    pub fn start_on(root: &Path, port: u16, extra: &[&str]) -> Server {
        let port = port.to_string();
        let mut args = vec!["serve", "--root", root.to_str().unwrap(), "--port", &port];
        args.extend_from_slice(extra);
        let mut child = Command::new(env!("CARGO_BIN_EXE_karnameh"))
            .args(&args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = collect_lines(child.stdout.take().unwrap());
        let stderr = collect_lines(child.stderr.take().unwrap());
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        let mut server = Server {
            child,
            origin: String::new(),
            port: 0,
            stdout,
            stderr,
            agent,
        };
        let url = eventually(120, "serve prints its URL", || {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("serve exited with {status}: {}", server.stderr());
            }
            let lines = server.stdout.lock().unwrap();
            let line = lines.iter().find(|l| l.starts_with("serving http://"))?;
            Some(line.split_whitespace().nth(1)?.to_string())
        });
        let rest = url.strip_prefix("http://").unwrap();
        let authority = rest.split('/').next().unwrap();
        server.origin = format!("http://{authority}");
        server.port = authority.rsplit(':').next().unwrap().parse().unwrap();
        server
    }

    /// GET (or another method) of `path` (absolute, e.g. `/reports/`).
    pub fn request(&self, method: &str, path: &str) -> Fetched {
        self.request_with(method, path, &[])
    }

    /// `request` with extra request headers.
    pub fn request_with(&self, method: &str, path: &str, headers: &[(&str, &str)]) -> Fetched {
        let url = format!("{}{path}", self.origin);
        let mut request = ureq::http::Request::builder().method(method).uri(&url);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = request.body(()).unwrap();
        let mut response = self
            .agent
            .run(request)
            .unwrap_or_else(|e| panic!("{url}: {e}"));
        let headers = response
            .headers()
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        let body = response
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_string()
            .unwrap_or_default();
        Fetched {
            status: response.status().as_u16(),
            headers,
            body,
        }
    }

    pub fn get(&self, path: &str) -> Fetched {
        self.request("GET", path)
    }

    /// Sends `request` (the whole HTTP/1.1 request head) as written, for paths a client would
    /// normalize; returns the status and the body (as long as its `Content-Length` says, so
    /// that a kept-alive connection does not leave the read waiting).
    pub fn raw(&self, request: &str) -> (u16, String) {
        use std::io::{BufRead, Read, Write};
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut reader = std::io::BufReader::new(stream);
        let mut head = Vec::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
                break;
            }
            head.push(line.trim_end().to_string());
        }
        let status = head
            .first()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let length = head
            .iter()
            .find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse::<usize>().ok())?
            })
            .unwrap_or(0);
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    pub fn stdout(&self) -> String {
        self.stdout.lock().unwrap().join("\n")
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().join("\n")
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits (bounded) for the server to exit by itself, and returns its status.
    pub fn wait_for_exit(&mut self, seconds: u64) -> std::process::ExitStatus {
        let child = &mut self.child;
        eventually(seconds, "serve exits", || child.try_wait().unwrap())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn collect_lines(
    from: impl std::io::Read + Send + 'static,
) -> std::sync::Arc<std::sync::Mutex<Vec<String>>> {
    use std::io::BufRead;
    let lines = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let into = lines.clone();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(from).lines().map_while(Result::ok) {
            into.lock().unwrap().push(line);
        }
    });
    lines
}
