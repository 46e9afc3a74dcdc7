//! `karnameh serve` in a real browser: headless Chromium keeps a page open (driven over the
//! DevTools protocol) while the section file is saved. The page reloads by itself after a save
//! that changes it, at the same scroll position; a breaking save shows the overlay without a
//! reload, over the last good page; fixing the file removes it; after the server restarts the
//! page reconnects and picks up what changed meanwhile.

mod common;
mod serving;
use common::*;
use serde_json::{Value, json};
use serving::*;
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

const SECTION: &str = "content/1400/07-provinces.toml";
const PAGE: &str = "/reports/1400/provinces/";

/// Chromium with one page open at `url`, killed when dropped.
struct Browser {
    child: Child,
    _profile: tempfile::TempDir,
    page: WebSocket<MaybeTlsStream<TcpStream>>,
    next_id: u64,
}

impl Browser {
    fn open(url: &str) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let child = Command::new(chromium())
            .args(CHROMIUM_FLAGS)
            .args([
                "--remote-debugging-port=0",
                "--window-size=360,640",
                &format!("--user-data-dir={}", profile.path().display()),
                url,
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let port = eventually(30, "Chromium writes its DevTools port", || {
            let text = std::fs::read_to_string(profile.path().join("DevToolsActivePort")).ok()?;
            text.lines().next()?.trim().parse::<u16>().ok()
        });
        let page = eventually(30, "Chromium lists the page", || page_socket(port, url));
        let (page, _) = tungstenite::connect(page.as_str()).unwrap();
        if let MaybeTlsStream::Plain(stream) = page.get_ref() {
            stream
                .set_read_timeout(Some(Duration::from_secs(10)))
                .unwrap();
        }
        Browser {
            child,
            _profile: profile,
            page,
            next_id: 0,
        }
    }

    /// The value of `expression` in the page, or `Null` while the page is (re)loading.
    fn eval(&mut self, expression: &str) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let call = json!({
            "id": id,
            "method": "Runtime.evaluate",
            "params": { "expression": expression, "returnByValue": true },
        });
        self.page.send(Message::text(call.to_string())).unwrap();
        loop {
            let Message::Text(text) = self.page.read().unwrap() else {
                continue;
            };
            let answer: Value = serde_json::from_str(&text).unwrap();
            if answer["id"] == id {
                return answer["result"]["result"]["value"].clone();
            }
        }
    }

    /// Waits (bounded) until `expression` is true in the page; says what the page showed if
    /// it never is.
    fn until(&mut self, what: &str, expression: &str) {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while self.eval(expression) != Value::Bool(true) {
            if std::time::Instant::now() > deadline {
                let seen = self.eval(SEEN);
                panic!("not within 30 s: {what} (`{expression}`); the page: {seen}");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// What a failed wait reports about the page.
const SEEN: &str = "JSON.stringify({ url: location.href, ready: document.readyState, \
    fonts: document.fonts.status, scrollY, row: [...document.querySelectorAll('#T1-1 td')].map(c => c.textContent), \
    overlay: !!document.getElementById('karnameh-overlay'), mark: window.karnamehTestMark === true })";

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The DevTools socket of the page Chromium shows at `url`.
fn page_socket(port: u16, url: &str) -> Option<String> {
    let text = ureq::get(&format!("http://127.0.0.1:{port}/json/list"))
        .call()
        .ok()?
        .body_mut()
        .read_to_string()
        .ok()?;
    let list: Value = serde_json::from_str(&text).ok()?;
    let page = list
        .as_array()?
        .iter()
        .find(|t| t["type"] == "page" && t["url"] == url)?;
    Some(page["webSocketDebuggerUrl"].as_str()?.to_string())
}

const FIRST_ROW: &str =
    "[...document.querySelectorAll('#T1-1 td')].map(c => c.textContent).join(' ')";

fn row_is(values: &str) -> String {
    format!("document.readyState === 'complete' && {FIRST_ROW} === '{values}'")
}

/// A marker that lives as long as the page: gone after a reload.
const MARK: &str = "window.karnamehTestMark = true";
const MARKED: &str = "window.karnamehTestMark === true";
const OVERLAY: &str = "document.getElementById('karnameh-overlay')";

/// T3's distance from the top of the view, once the page has its fonts (a later font swap
/// would move it).
const T3_TOP: &str = "Math.round(document.getElementById('T3').getBoundingClientRect().top)";

/// Scrolls T3 into the middle of the view; returns its distance from the top.
fn scroll_to_t3(browser: &mut Browser) -> i64 {
    browser.until("the fonts are in", "document.fonts.status === 'loaded'");
    browser.eval("document.getElementById('T3').scrollIntoView({ block: 'center' }); 0");
    assert!(
        browser.eval("scrollY").as_f64().unwrap() > 200.0,
        "the phone-sized page scrolls"
    );
    browser.eval(T3_TOP).as_i64().unwrap()
}

#[test]
fn an_open_page_reloads_after_a_save_shows_the_overlay_and_follows_a_restarted_server() {
    let site = fixture("site");
    let mut server = Server::start(site.path(), &[]);
    let url = format!("{}{PAGE}", server.origin);
    let mut browser = Browser::open(&url);
    browser.until("the page shows the first value", &row_is("۲۵ ۳۰ ۱۲۰٪"));
    let top = scroll_to_t3(&mut browser);
    browser.eval(MARK);

    save_by_rename(
        site.path(),
        SECTION,
        "values = [25, 30, 120]",
        "values = [25, 31, 124]",
    );
    browser.until("the page reloads with the new value", &row_is("۲۵ ۳۱ ۱۲۴٪"));
    assert_eq!(
        browser.eval(MARKED),
        Value::Bool(false),
        "the page was reloaded"
    );
    browser.until(
        "the reader's place is kept",
        &format!("Math.abs({T3_TOP} - {top}) <= 2"),
    );
    // the finding the save caused is on the reloaded page
    browser.until(
        "the error is marked",
        "document.querySelectorAll('td.finding-error').length === 1",
    );
    browser.eval(MARK);

    save_by_rename(
        site.path(),
        SECTION,
        "values = [25, 31, 124]",
        "values = [25, = 31]",
    );
    browser.until("the overlay is shown", &format!("{OVERLAY} !== null"));
    let shown = browser
        .eval(&format!("{OVERLAY}.innerText"))
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        shown.contains("content/1400/07-provinces.toml:17:"),
        "{shown}"
    );
    assert!(shown.contains("values = [25, = 31]"), "{shown}");
    assert_eq!(
        browser.eval(MARKED),
        Value::Bool(true),
        "no reload for the overlay"
    );
    assert_eq!(
        browser.eval(&format!("{FIRST_ROW} === '۲۵ ۳۱ ۱۲۴٪'")),
        Value::Bool(true)
    );
    assert_eq!(
        browser.eval(&format!("getComputedStyle({OVERLAY}).direction")),
        Value::String("rtl".into())
    );

    save_by_rename(
        site.path(),
        SECTION,
        "values = [25, = 31]",
        "values = [25, 31, 124]",
    );
    browser.until("the overlay is gone", &format!("{OVERLAY} === null"));

    // the server stops, the file changes, a new server starts on the same port
    let port = server.port;
    drop(server);
    save_by_rename(
        site.path(),
        SECTION,
        "values = [25, 31, 124]",
        "values = [25, 30, 120]",
    );
    server = Server::start_on(site.path(), port, &[]);
    browser.until("the page follows the new server", &row_is("۲۵ ۳۰ ۱۲۰٪"));
    drop(server);
}

#[test]
fn the_overlay_shows_on_a_page_opened_while_the_content_is_broken() {
    let site = fixture("site");
    let server = Server::start(site.path(), &[]);
    save_by_rename(site.path(), SECTION, "page = 7", "page = \"seven\"");
    eventually(10, "the error is served", || {
        server
            .get(PAGE)
            .body
            .contains("karnameh-overlay")
            .then_some(())
    });
    let mut browser = Browser::open(&format!("{}{PAGE}", server.origin));
    browser.until("the overlay is shown", &format!("{OVERLAY} !== null"));
    let shown = browser
        .eval(&format!("{OVERLAY}.innerText"))
        .as_str()
        .unwrap()
        .to_string();
    assert!(shown.contains("07-provinces.toml:2:8"), "{shown}");
    assert!(shown.contains("بستن"), "{shown}");
    // clicked until it closes: a click before the page's script has started is not seen
    browser.until(
        "the overlay closes",
        &format!("({OVERLAY}?.querySelector('button').click(), {OVERLAY} === null)"),
    );
}
