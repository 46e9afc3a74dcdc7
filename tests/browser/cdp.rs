//! A minimal Chrome DevTools Protocol client over `--remote-debugging-pipe`: one headless
//! Chromium, one tab, driven in sequence (navigate, resize, evaluate). Messages are JSON, each
//! ended by a NUL byte, written to the browser's fd 3 and read from its fd 4. No crate and no
//! TCP port: the browser starts in tens of milliseconds and is probed many times.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};

pub struct Browser {
    child: Child,
    to_browser: std::io::PipeWriter,
    from_browser: BufReader<std::io::PipeReader>,
    next_id: u64,
    session: String,
    _profile: tempfile::TempDir,
}

/// The flags the project's tests run Chromium with (see tests/browser.rs).
pub const FLAGS: [&str; 8] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

impl Browser {
    pub fn launch(binary: &str) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let (their_in, to_browser) = std::io::pipe().unwrap();
        let (from_browser, their_out) = std::io::pipe().unwrap();
        // the browser's ends: kept open until it has them, then closed here
        let (their_in, their_out): (OwnedFd, OwnedFd) = (their_in.into(), their_out.into());
        let (r, w) = (their_in.as_raw_fd(), their_out.as_raw_fd());
        let mut command = Command::new(binary);
        command
            .args(FLAGS)
            .arg("--remote-debugging-pipe")
            .arg("--hide-scrollbars")
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        // SAFETY: between fork and exec only async-signal-safe calls (fcntl, dup2) are made.
        // Both ends are first moved above 10, so that neither is overwritten by the other's
        // dup2; dup2 clears close-on-exec on 3 and 4.
        unsafe {
            command.pre_exec(move || {
                let (r, w) = (
                    libc::fcntl(r, libc::F_DUPFD, 10),
                    libc::fcntl(w, libc::F_DUPFD, 10),
                );
                if r < 0 || w < 0 || libc::dup2(r, 3) < 0 || libc::dup2(w, 4) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = command.spawn().expect("Chromium starts");
        drop((their_in, their_out));
        let mut browser = Browser {
            child,
            to_browser,
            from_browser: BufReader::new(from_browser),
            next_id: 0,
            session: String::new(),
            _profile: profile,
        };
        let target = browser.call("Target.createTarget", json!({ "url": "about:blank" }));
        let target_id = target["targetId"].as_str().unwrap().to_string();
        let attached = browser.call(
            "Target.attachToTarget",
            json!({ "targetId": target_id, "flatten": true }),
        );
        browser.session = attached["sessionId"].as_str().unwrap().to_string();
        browser.send("Page.enable", json!({}));
        browser
    }

    fn write(&mut self, message: Value) -> u64 {
        self.next_id += 1;
        let mut message = message;
        message["id"] = json!(self.next_id);
        if !self.session.is_empty() {
            message["sessionId"] = json!(self.session);
        }
        let mut bytes = serde_json::to_vec(&message).unwrap();
        bytes.push(0);
        self.to_browser.write_all(&bytes).unwrap();
        self.next_id
    }

    fn read(&mut self) -> Value {
        let mut bytes = Vec::new();
        self.from_browser.read_until(0, &mut bytes).unwrap();
        assert!(bytes.pop() == Some(0), "the browser closed its pipe");
        serde_json::from_slice(&bytes).unwrap()
    }

    /// Sends a command and waits for its result (events that arrive meanwhile are dropped).
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.write(json!({ "method": method, "params": params }));
        loop {
            let message = self.read();
            if message["id"] == json!(id) {
                if let Some(error) = message.get("error") {
                    panic!("{method}: {error}");
                }
                return message["result"].clone();
            }
        }
    }

    fn send(&mut self, method: &str, params: Value) {
        self.call(method, params);
    }

    /// Loads `url` and waits for its load event.
    pub fn open(&mut self, url: &str) {
        let id = self.write(json!({ "method": "Page.navigate", "params": { "url": url } }));
        let (mut answered, mut loaded) = (false, false);
        while !(answered && loaded) {
            let message = self.read();
            answered |= message["id"] == json!(id);
            loaded |= message["method"] == "Page.loadEventFired";
        }
    }

    /// The viewport: `width` × `height` CSS pixels; `print` emulates print media.
    pub fn viewport(&mut self, width: u32, height: u32, print: bool) {
        self.send(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false }),
        );
        let media = if print { "print" } else { "screen" };
        self.send("Emulation.setEmulatedMedia", json!({ "media": media }));
    }

    /// Evaluates `expression` in the page (awaiting a promise) and returns its value.
    pub fn eval(&mut self, expression: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            json!({ "expression": expression, "awaitPromise": true, "returnByValue": true }),
        );
        if let Some(exception) = result.get("exceptionDetails") {
            panic!("script failed: {exception}");
        }
        result["result"]["value"].clone()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
