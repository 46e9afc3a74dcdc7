//! `karnameh serve` driven from a test: started on a free port, fetched from, stopped. Tests
//! of serve declare `mod serving;` beside `mod common;`.
#![allow(dead_code)]

use crate::common::eventually;
use scraper::Html;
use std::path::Path;
use std::process::Command;

/// A response, read whole.
#[derive(Debug)]
pub struct Fetched {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// The body as text (lossy for a binary file; `bytes` holds it exactly).
    pub body: String,
    pub bytes: Vec<u8>,
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
        // a fresh connection per request: a pooled one the server has closed meanwhile
        // ("peer disconnected") would fail a request that has nothing to do with it
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_idle_connections(0)
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
        let bytes = response
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_vec()
            .unwrap_or_default();
        Fetched {
            status: response.status().as_u16(),
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes,
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
