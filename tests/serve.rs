//! `karnameh serve` as a reviewer uses it: a copy of the fixture site served on a free port;
//! values saved the way editors save (a temporary file renamed over the section file) are
//! served once rebuilt; broken content shows an overlay over the last good page; hundreds of
//! saves under concurrent requests never serve anything but complete pages; nothing outside
//! the site is reachable.

mod common;
mod serving;
use common::*;
use serving::*;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

const SECTION: &str = "content/1400/07-provinces.toml";
const PAGE: &str = "/reports/1400/provinces/";
const ROW: &str = "values = [25, 30, 120]";

/// The cells of T1's first row as served.
fn first_row(server: &Server) -> Vec<String> {
    texts(&server.get(PAGE).html(), "#T1-1 td")
}

fn overlay(page: &Fetched) -> Option<String> {
    select(&page.html(), "#karnameh-overlay").first().map(text)
}

#[test]
fn a_saved_value_is_served_and_broken_content_shows_over_the_last_good_page() {
    let site = fixture("site");
    let server = Server::start(site.path(), &[]);
    assert_eq!(first_row(&server), ["۲۵", "۳۰", "۱۲۰٪"]);

    save_by_rename(site.path(), SECTION, ROW, "values = [25, 31, 124]");
    eventually(10, "the new value is served", || {
        (first_row(&server) == ["۲۵", "۳۱", "۱۲۴٪"]).then_some(())
    });
    // the total no longer adds up: the finding is on the page, at its cell
    let page = server.get(PAGE).html();
    let marked = select(&page, "td.finding-error");
    assert_eq!(
        marked.len(),
        1,
        "{:?}",
        marked.iter().map(text).collect::<Vec<_>>()
    );
    assert_eq!(marked[0].value().id(), Some("T1-total-c-actual"));
    assert!(
        text(&marked[0]).contains("مورد انتظار ۴٬۲۷۶"),
        "{}",
        text(&marked[0])
    );

    save_by_rename(
        site.path(),
        SECTION,
        "values = [25, 31, 124]",
        "values = [25, = 31]",
    );
    let shown = eventually(10, "the overlay is shown", || overlay(&server.get(PAGE)));
    assert!(
        shown.contains("content/1400/07-provinces.toml:17:"),
        "{shown}"
    );
    assert!(shown.contains("values = [25, = 31]"), "{shown}");
    assert!(shown.contains("آخرین نسخهٔ سالم"), "{shown}");
    // the last good page is still served, on this page and on every other
    assert_eq!(first_row(&server), ["۲۵", "۳۱", "۱۲۴٪"]);
    assert!(overlay(&server.get("/reports/1400/tests/")).is_some());
    let errors = || {
        server
            .stderr()
            .matches("error: content/1400/07-provinces.toml:17:")
            .count()
    };
    assert_eq!(errors(), 1, "{}", server.stderr());

    save_by_rename(site.path(), SECTION, "values = [25, = 31]", ROW);
    eventually(10, "the overlay is gone", || {
        overlay(&server.get(PAGE)).is_none().then_some(())
    });
    assert_eq!(first_row(&server), ["۲۵", "۳۰", "۱۲۰٪"]);
    assert_eq!(
        errors(),
        1,
        "the error is printed once: {}",
        server.stderr()
    );
    assert!(
        server.stdout().contains("fixed: the content builds again"),
        "{}",
        server.stdout()
    );
}

#[test]
fn a_structural_error_is_shown_with_its_rule_and_line() {
    let site = fixture("site");
    let server = Server::start(site.path(), &[]);
    save_by_rename(site.path(), SECTION, ROW, "values = [25, 30]");
    let shown = eventually(10, "the overlay is shown", || overlay(&server.get(PAGE)));
    assert!(
        shown.contains("content/1400/07-provinces.toml:17"),
        "{shown}"
    );
    assert!(shown.contains("[row-width]"), "{shown}");
    assert!(shown.contains("values = [25, 30]"), "{shown}");
    assert_eq!(
        first_row(&server),
        ["۲۵", "۳۰", "۱۲۰٪"],
        "the last good page"
    );
}

#[test]
fn two_hundred_saves_under_concurrent_requests_serve_only_whole_pages() {
    let site = fixture("site");
    let server = Server::start(site.path(), &[]);
    let saving = AtomicBool::new(true);
    // Each save waits for an answer served after the previous one, so requests interleave
    // with the saves however fast the machine saves or rebuilds.
    let answered = AtomicUsize::new(0);
    let answers = std::thread::scope(|scope| {
        let fetchers: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| {
                    let mut answers = Vec::new();
                    while saving.load(Ordering::Relaxed) {
                        for path in [PAGE, "/reports/1400/", "/reports/style.css"] {
                            let page = server.get(path);
                            let whole =
                                path.ends_with(".css") || page.body.trim_end().ends_with("</html>");
                            answers.push((path, page.status, whole));
                            answered.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    answers
                })
            })
            .collect();
        let mut value = 30;
        for _ in 0..200 {
            let before = answered.load(Ordering::Relaxed);
            eventually(10, "a request answered between saves", || {
                (answered.load(Ordering::Relaxed) > before).then_some(())
            });
            let next = if value == 30 { 31 } else { 30 };
            save_by_rename(
                site.path(),
                SECTION,
                &format!("values = [25, {value}, 120]"),
                &format!("values = [25, {next}, 120]"),
            );
            value = next;
        }
        // the last save is served, then the fetchers stop
        eventually(10, "the last save is served", || {
            (first_row(&server)[1] == "۳۰").then_some(())
        });
        saving.store(false, Ordering::Relaxed);
        fetchers
            .into_iter()
            .flat_map(|f| f.join().unwrap())
            .collect::<Vec<_>>()
    });
    assert!(answers.len() >= 200, "only {} requests", answers.len());
    let bad: Vec<_> = answers
        .iter()
        .filter(|(_, status, whole)| *status != 200 || !whole)
        .collect();
    assert!(
        bad.is_empty(),
        "{} of {} answers: {:?}",
        bad.len(),
        answers.len(),
        &bad[..bad.len().min(5)]
    );
}

#[test]
fn nothing_outside_the_site_is_reachable_and_files_have_their_types() {
    let site = fixture("site");
    let statics = site.path().join("static");
    std::fs::create_dir_all(&statics).unwrap();
    std::fs::write(
        statics.join("logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    std::fs::write(statics.join("data.csv"), "a,b\n1,2\n").unwrap();
    std::fs::write(statics.join("data.json"), "{}").unwrap();
    let server = Server::start(site.path(), &[]);
    let secret = "base-url";
    for path in [
        "/reports/../site.toml",
        "/reports/%2e%2e/site.toml",
        "/reports/%2e%2e%2fsite.toml",
        "/reports/1400/..%2F..%2Fsite.toml",
        "/reports/..%5csite.toml",
        "/reports//etc/passwd",
        "/reports/%2Fetc%2Fpasswd",
        "//etc/passwd",
        "/etc/passwd",
        "/../../../../etc/passwd",
        "http://127.0.0.1/../site.toml",
        "/reports/content/1400/07-provinces.toml",
        "/reports/themes/default/templates/base.html",
    ] {
        let (status, body) = server.raw(&format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        ));
        assert!(status == 400 || status == 404, "{path}: {status}");
        assert!(
            !body.contains(secret) && !body.contains("root:"),
            "{path}: {body}"
        );
    }
    let missing = server.get("/reports/no-such-page/");
    assert_eq!(missing.status, 404);
    assert_eq!(texts(&missing.html(), "h1"), ["صفحه پیدا نشد"]);

    for (path, kind) in [
        ("/reports/", "text/html; charset=utf-8"),
        ("/reports/style.css", "text/css; charset=utf-8"),
        ("/reports/fonts/Vazirmatn-Regular.woff2", "font/woff2"),
        ("/reports/logo.svg", "image/svg+xml; charset=utf-8"),
        ("/reports/data.csv", "text/csv; charset=utf-8"),
        ("/reports/data.json", "application/json"),
    ] {
        let file = server.get(path);
        assert_eq!(
            (file.status, file.header("content-type")),
            (200, Some(kind)),
            "{path}"
        );
    }
    // pages are always sent afresh; static files are revalidated by their version
    let style = server.get("/reports/style.css");
    assert_eq!(style.header("cache-control"), Some("no-cache"));
    let etag = style.header("etag").unwrap();
    let again = server.request_with("GET", "/reports/style.css", &[("If-None-Match", etag)]);
    assert_eq!((again.status, again.body.as_str()), (304, ""));
    let page = server.get(PAGE);
    assert_eq!(page.header("cache-control"), Some("no-store"));
    assert!(
        page.header("x-karnameh-version")
            .is_some_and(|v| v.len() == 16)
    );
    let head = server.request("HEAD", PAGE);
    let get = server.get(PAGE);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("content-length"),
        Some(get.body.len().to_string().as_str())
    );
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        let refused = server.request(method, PAGE);
        assert_eq!(
            (refused.status, refused.header("allow")),
            (405, Some("GET, HEAD")),
            "{method}"
        );
    }
    let folder = server.get("/reports/1400");
    assert_eq!(
        (folder.status, folder.header("location")),
        (308, Some("/reports/1400/"))
    );
    let root = server.get("/");
    assert_eq!(
        (root.status, root.header("location")),
        (308, Some("/reports/"))
    );
    let (status, _) =
        server.raw("GET /reports/ HTTP/1.1\r\nHost: rebound.example\r\nConnection: close\r\n\r\n");
    assert_eq!(status, 421, "a page reached through another host name");
    let (status, _) = server.raw(&format!(
        "GET /__karnameh/events HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nOrigin: https://evil.example\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
        server.port
    ));
    assert_eq!(status, 403, "another site's page may not follow the server");
}

#[test]
fn a_static_link_out_of_the_site_is_never_served() {
    let site = fixture("site");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "the secret").unwrap();
    let statics = site.path().join("static");
    std::fs::create_dir_all(&statics).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        statics.join("secret.txt"),
    )
    .unwrap();
    let server = Server::start(site.path(), &[]);
    let page = server.get("/reports/secret.txt");
    assert_eq!(page.status, 503, "the site cannot be built");
    assert!(!page.body.contains("the secret"));
    let shown = overlay(&page).unwrap();
    assert!(
        shown.contains("secret.txt is a symbolic link to a place outside"),
        "{shown}"
    );
    std::fs::remove_file(statics.join("secret.txt")).unwrap();
    eventually(10, "the site is served once the link is gone", || {
        (server.get("/reports/").status == 200).then_some(())
    });
    assert_eq!(server.get("/reports/secret.txt").status, 404);
}

#[test]
fn a_port_in_use_names_the_fix_and_ctrl_c_stops_the_server() {
    let site = fixture("site");
    let mut server = Server::start(site.path(), &[]);
    let port = server.port.to_string();
    let taken = karnameh(&[
        "serve",
        "--root",
        site.path().to_str().unwrap(),
        "--port",
        &port,
    ]);
    assert_eq!(taken.status.code(), Some(1));
    let err = stderr(&taken);
    assert!(
        err.contains(&format!("port {port} on 127.0.0.1 is already in use")),
        "{err}"
    );
    assert!(err.contains("--port 0"), "{err}");

    // an open page's socket must not keep the server from stopping
    let (_socket, _) =
        tungstenite::connect(format!("ws://127.0.0.1:{port}/__karnameh/events")).unwrap();
    // SAFETY: signals the child this test started
    assert_eq!(unsafe { libc::kill(server.pid() as i32, libc::SIGINT) }, 0);
    let status = server.wait_for_exit(10);
    assert!(status.success(), "{status}: {}", server.stderr());
    assert!(server.stdout().ends_with("stopped"), "{}", server.stdout());
}

#[test]
fn a_folder_that_is_not_a_site_is_refused_before_serving() {
    let empty = tempfile::tempdir().unwrap();
    let refused = karnameh(&[
        "serve",
        "--root",
        empty.path().to_str().unwrap(),
        "--port",
        "0",
    ]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("is not a karnameh site (it has no site.toml)"),
        "{}",
        stderr(&refused)
    );
}

#[test]
fn with_poll_a_save_is_seen_without_the_systems_file_events() {
    let site = fixture("site");
    let server = Server::start(site.path(), &["--poll"]);
    assert!(
        server.stdout().contains("(polling site.toml"),
        "{}",
        server.stdout()
    );
    save_by_rename(site.path(), SECTION, ROW, "values = [25, 31, 124]");
    eventually(10, "the new value is served", || {
        (first_row(&server) == ["۲۵", "۳۱", "۱۲۴٪"]).then_some(())
    });
}

#[test]
fn with_the_pdf_setting_the_pdf_is_served_linked_and_typeset_again_after_a_save() {
    let site = fixture("site");
    let toml = site.path().join("site.toml");
    let settings = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{settings}pdf = true\n")).unwrap();
    let server = Server::start(site.path(), &[]);
    let pdf = || server.get("/reports/1400/report-1400.pdf");
    let first = pdf();
    assert_eq!(first.status, 200);
    assert!(first.bytes.starts_with(b"%PDF-"));
    let year = server.get("/reports/1400/").html();
    assert_eq!(select(&year, "a[download='report-1400.pdf']").len(), 1);

    save_by_rename(site.path(), SECTION, ROW, "values = [25, 31, 124]");
    let again = eventually(60, "the PDF is typeset again", || {
        let now = pdf();
        (now.status == 200 && now.bytes != first.bytes).then_some(now)
    });
    assert!(again.bytes.starts_with(b"%PDF-"));
    assert!(first_row(&server) == ["۲۵", "۳۱", "۱۲۴٪"]);
    let year = server.get("/reports/1400/").html();
    assert_eq!(select(&year, "a[download='report-1400.pdf']").len(), 1);
}
