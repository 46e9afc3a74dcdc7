//! Search in a real browser: headless Chromium types a query (in Arabic letters) into the
//! header's box of one page, reads the results, moves to one with the arrow keys, closes the
//! panel with Escape, follows the result and lands on the highlighted, focused row of another
//! page; and the search page answers a query in its address. Over HTTP under a sub-path (with
//! relative links, and with absolute ones), and from `file://` after the site was moved.

mod common;
use common::*;
use std::path::Path;

/// Drives the page it is injected into, carrying what it saw across the navigation in
/// `window.name`, and writes its findings on `<body data-probe>`.
const PROBE: &str = r#"<script>
window.addEventListener('load', () => {
  const report = found => document.body.setAttribute('data-probe', JSON.stringify(found));
  const wait = (ready, then, tries = 200) => ready() ? then()
    : tries ? setTimeout(() => wait(ready, then, tries - 1), 25) : report({ error: 'timed out', at: location.href });
  const carried = window.name ? JSON.parse(window.name) : null;
  const key = (target, name) => target.dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true }));
  if (location.pathname.includes('/search/')) {
    wait(() => document.querySelector('#search-results a.search-hit'), () => report({
      status: document.getElementById('search-status').textContent,
      groups: document.querySelectorAll('#search-results h2').length,
      hits: [...document.querySelectorAll('#search-results a.search-hit')].map(a => a.href),
      fallback_hidden: document.querySelector('.search-fallback').hidden,
      query: document.getElementById('search-q').value
    }));
  } else if (!carried) {
    const input = document.querySelector('form[data-search="box"] input[type="search"]');
    input.focus();
    input.value = 'اذربايجان';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    const panel = document.getElementById(input.getAttribute('aria-controls'));
    wait(() => panel.querySelector('a.search-hit'), () => {
      const hits = [...panel.querySelectorAll('a')].map(a => a.href);
      const wanted = [...panel.querySelectorAll('a.search-hit')].find(a => a.hash === '#T1-1');
      let presses = 0;
      while (wanted && document.activeElement !== wanted && presses < 20) {
        key(document.activeElement, 'ArrowDown');
        presses++;
      }
      const reached = document.activeElement.href || null, shown = !panel.hidden;
      key(document.activeElement, 'Escape');
      window.name = JSON.stringify({
        status: panel.querySelector('[role="status"]').textContent,
        shown, hits, presses, reached,
        closed: panel.hidden && document.activeElement === input
      });
      wanted.click();
    });
  } else {
    wait(() => document.activeElement && document.activeElement.tagName === 'TR', () => {
      const row = document.querySelector(':target');
      report(Object.assign(carried, {
        landed: location.href,
        target: row && row.id,
        focused: document.activeElement.id,
        background: row && getComputedStyle(row.querySelector('td')).backgroundColor,
        outline: row && getComputedStyle(row).outlineStyle
      }));
    });
  }
});
</script>"#;

#[derive(Debug, serde::Deserialize)]
struct Followed {
    status: String,
    shown: bool,
    hits: Vec<String>,
    presses: usize,
    reached: Option<String>,
    closed: bool,
    landed: String,
    target: Option<String>,
    focused: String,
    background: Option<String>,
    outline: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
struct Answered {
    status: String,
    groups: usize,
    hits: Vec<String>,
    fallback_hidden: bool,
    query: String,
}

/// Types into the box of `start`, follows the result for row T1-1 and checks where it lands.
fn follow(browser: &str, start: &str, row_page: &str) {
    let json = probe_json(browser, start, 1280);
    let found: Followed = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    let wanted = format!("{row_page}#T1-1");
    assert!(found.hits.contains(&wanted), "{found:#?}");
    assert!(found.status.contains("نتیجه"), "{found:#?}");
    assert!(found.shown);
    assert!(found.presses >= 1, "reached by the arrow keys: {found:#?}");
    assert_eq!(found.reached.as_deref(), Some(wanted.as_str()));
    assert!(
        found.closed,
        "Escape closes the panel and returns to the box"
    );
    assert_eq!(found.landed, wanted);
    assert_eq!(found.target.as_deref(), Some("T1-1"), "{found:#?}");
    assert_eq!(found.focused, "T1-1", "the row takes the focus");
    // `tr:target td` and `tr:target` in the theme's stylesheet
    assert_eq!(found.background.as_deref(), Some("rgb(227, 239, 255)"));
    assert_eq!(found.outline.as_deref(), Some("solid"));
}

/// Opens the search page with a query in Arabic-Indic digits: row T1-2 (۴٬۲۴۵) is among the results.
fn answer(browser: &str, search_page: &str, row_page: &str) {
    let url = format!("{search_page}?q=%D9%A4%D9%A2%D9%A4%D9%A5");
    let json = probe_json(browser, &url, 360);
    let found: Answered = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    assert_eq!(found.query, "٤٢٤٥");
    assert!(found.fallback_hidden, "{found:?}");
    assert!(
        found.groups >= 1 && found.status.contains("نتیجه"),
        "{found:?}"
    );
    assert!(
        found.hits.contains(&format!("{row_page}#T1-2")),
        "{found:?}"
    );
}

#[test]
fn a_query_typed_in_the_box_leads_to_the_highlighted_row_over_http_under_a_sub_path() {
    let browser = chromium();
    let site = fixture("site");
    let out = build(site.path());
    let port = serve(out, "/reports", PROBE);
    let root = format!("http://127.0.0.1:{port}/reports/");
    // relative links name each page's index.html
    let pages = format!("{root}1400/provinces/index.html");
    follow(&browser, &format!("{root}1400/tests/"), &pages);
    answer(&browser, &format!("{root}1400/search/"), &pages);
}

#[test]
fn a_query_typed_in_the_box_leads_to_the_highlighted_row_with_absolute_links() {
    let browser = chromium();
    let site = fixture("site");
    edit(
        site.path(),
        "site.toml",
        "base-url",
        "relative-urls = false\nbase-url",
    );
    let out = build(site.path());
    let port = serve(out, "/reports", PROBE);
    let root = format!("http://127.0.0.1:{port}/reports/");
    let pages = format!("{root}1400/provinces/");
    follow(&browser, &format!("{root}1400/tests/"), &pages);
    answer(&browser, &format!("{root}1400/search/"), &pages);
}

#[test]
fn a_query_typed_in_the_box_leads_to_the_highlighted_row_from_disk() {
    let browser = chromium();
    let site = fixture("site");
    let built = build(site.path());
    // opened from another folder than the one it was built into
    let moved = tempfile::tempdir().unwrap();
    let out = moved.path().join("elsewhere/site");
    copy_dir(&built, &out);
    inject(&out, PROBE);
    let root = format!("file://{}/", out.display());
    let pages = format!("{root}1400/provinces/index.html");
    follow(&browser, &format!("{root}1400/tests/index.html"), &pages);
    answer(&browser, &format!("{root}1400/search/index.html"), &pages);
}

/// Adds `script` to the end of every HTML page under `out`.
fn inject(out: &Path, script: &str) {
    for entry in walkdir::WalkDir::new(out) {
        let path = entry.unwrap().into_path();
        if path.extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(&path).unwrap();
            std::fs::write(&path, html.replace("</body>", &format!("{script}</body>"))).unwrap();
        }
    }
}
