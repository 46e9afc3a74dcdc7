//! The site `serve` holds in memory: every page and static file under the path a static host
//! would serve it at. A rebuild makes a new `ServedSite` and swaps it in whole, so a request
//! sees the site before a change or after it, never half of it. Paths are looked up, never
//! joined to a folder: nothing outside the site can be reached.

use super::reload;
use axum::body::Bytes;
use percent_encoding::percent_decode_str;
use std::collections::BTreeMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;

/// One file of the site as served.
#[derive(Debug)]
pub struct Resource {
    pub bytes: Bytes,
    pub content_type: String,
    /// A hash of the content as rendered or read (before the server adds to a page): an open
    /// page compares its own with the server's to know whether a rebuild changed it, and a
    /// browser revalidates a static file with it.
    pub version: String,
    pub kind: ResourceKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceKind {
    /// A page, always sent afresh: it changes under the reviewer.
    Page,
    /// A static file (fonts, CSS), revalidated by its version.
    File,
}

impl Resource {
    /// A rendered page, with the reload script added.
    pub fn page(html: &str) -> Resource {
        let version = content_version(html.as_bytes());
        Resource {
            bytes: Bytes::from(reload::inject(html, &version)),
            content_type: "text/html; charset=utf-8".to_string(),
            version,
            kind: ResourceKind::Page,
        }
    }

    /// A file that is not a page (a font, a stylesheet, a download, `years.js`), typed by its
    /// name. `Bytes` clones share their buffer: the theme's files in every year's folder are
    /// held once.
    pub fn file(name: &str, bytes: impl Into<Bytes>) -> Resource {
        let bytes = bytes.into();
        Resource {
            version: content_version(&bytes),
            bytes,
            content_type: content_type(name),
            kind: ResourceKind::File,
        }
    }

    /// A file at `path` of the output: a page if it is HTML (a frozen year's archived pages
    /// get the reload script too), a file otherwise.
    pub fn at(path: &str, bytes: impl Into<Bytes>) -> Resource {
        let bytes = bytes.into();
        if is_page(path) {
            Resource::page(&String::from_utf8_lossy(&bytes))
        } else {
            Resource::file(path, bytes)
        }
    }

    /// A rendered file at `path`: a page if it is HTML, a file otherwise (`years.js`).
    pub fn rendered(path: &str, text: String) -> Resource {
        if is_page(path) {
            Resource::page(&text)
        } else {
            Resource::file(path, text)
        }
    }

    pub fn is_page(&self) -> bool {
        self.kind == ResourceKind::Page
    }
}

/// What a request path leads to.
#[derive(Debug)]
pub enum Lookup<'a> {
    Found(&'a Resource),
    /// A folder asked for without its final `/`, or the root of a site under a sub-path.
    Redirect(String),
    /// No such file: the site's 404 page, when it has one.
    NotFound(Option<&'a Resource>),
    /// A path that no file of any site has: `..`, `\`, NUL, or not UTF-8.
    BadRequest,
}

#[derive(Debug, Default, Clone)]
pub struct ServedSite {
    /// Starts and ends with `/`.
    base_path: String,
    /// By path below the base path, as in the output folder: `1400/summary/index.html`.
    files: BTreeMap<String, Arc<Resource>>,
}

/// The page served for unknown paths, as in the output folder.
const NOT_FOUND: &str = "404.html";

impl ServedSite {
    pub fn new(base_path: &str) -> ServedSite {
        ServedSite {
            base_path: base_path.to_string(),
            files: BTreeMap::new(),
        }
    }

    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// Adds or replaces the file at `path` (below the base path).
    pub fn put(&mut self, path: String, resource: Resource) {
        self.files.insert(path, Arc::new(resource));
    }

    /// Every file's path, in order.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    pub fn get(&self, path: &str) -> Option<&Resource> {
        self.files.get(path).map(Arc::as_ref)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// What the request path `raw` (percent-encoded, as sent) leads to. Directory paths serve
    /// their `index.html`, as a static host does.
    pub fn resolve(&self, raw: &str) -> Lookup<'_> {
        let Ok(path) = percent_decode_str(raw).decode_utf8() else {
            return Lookup::BadRequest;
        };
        let hostile = path.contains(['\\', '\0']) || path.split('/').any(|s| s == ".." || s == ".");
        if hostile {
            return Lookup::BadRequest;
        }
        let not_found = || Lookup::NotFound(self.get(NOT_FOUND));
        let Some(rest) = path.strip_prefix(&self.base_path) else {
            let is_root = path == "/" || path == self.base_path.trim_end_matches('/');
            return if is_root {
                Lookup::Redirect(self.base_path.clone())
            } else {
                not_found()
            };
        };
        if rest.starts_with('/') {
            return not_found();
        }
        let file = if rest.is_empty() || rest.ends_with('/') {
            format!("{rest}index.html")
        } else {
            rest.to_string()
        };
        match self.get(&file) {
            Some(resource) => Lookup::Found(resource),
            None if self.files.contains_key(&format!("{rest}/index.html")) => {
                Lookup::Redirect(format!("{raw}/"))
            }
            None => not_found(),
        }
    }
}

fn is_page(path: &str) -> bool {
    path.ends_with(".html")
}

/// A short hash of a file's bytes: equal files, equal versions, across restarts too (a fixed
/// seed). foldhash, because every rebuild hashes the year's print edition, megabytes long.
fn content_version(bytes: &[u8]) -> String {
    let mut hasher = foldhash::quality::FixedState::with_seed(0).build_hasher();
    hasher.write(bytes);
    format!("{:016x}", hasher.finish())
}

/// The `Content-Type` of a file by its name; text is UTF-8 (JSON is by definition, and takes
/// no charset).
fn content_type(name: &str) -> String {
    let mime = mime_guess::from_path(name).first_or_octet_stream();
    let text = mime.type_() == mime_guess::mime::TEXT
        || matches!(mime.subtype().as_str(), "javascript" | "xml" | "svg");
    if text && mime.get_param("charset").is_none() {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> ServedSite {
        let mut site = ServedSite::new("/reports/");
        site.put("index.html".into(), Resource::page("<body>root</body>"));
        site.put(
            "1400/index.html".into(),
            Resource::page("<body>year</body>"),
        );
        site.put("404.html".into(), Resource::page("<body>lost</body>"));
        site.put(
            "style.css".into(),
            Resource::file("style.css", b"a{}".to_vec()),
        );
        site
    }

    fn found(site: &ServedSite, path: &str) -> Option<String> {
        match site.resolve(path) {
            Lookup::Found(r) => Some(String::from_utf8_lossy(&r.bytes).into_owned()),
            _ => None,
        }
    }

    #[test]
    fn folders_serve_their_index_and_need_their_slash() {
        let site = site();
        assert!(found(&site, "/reports/").unwrap().contains("root"));
        assert!(found(&site, "/reports/1400/").unwrap().contains("year"));
        assert!(found(&site, "/reports/1400/index.html").is_some());
        assert!(
            matches!(site.resolve("/reports/1400"), Lookup::Redirect(to) if to == "/reports/1400/")
        );
        assert!(matches!(site.resolve("/"), Lookup::Redirect(to) if to == "/reports/"));
        assert!(matches!(site.resolve("/reports"), Lookup::Redirect(to) if to == "/reports/"));
    }

    #[test]
    fn traversal_and_unknown_paths_never_find_a_file() {
        let site = site();
        for path in [
            "/reports/../site.toml",
            "/reports/%2e%2e/site.toml",
            "/reports/%2E%2E%2Fsite.toml",
            "/reports/1400/..%2f..%2fsite.toml",
            "/reports/./style.css",
            "/reports/..%5csite.toml",
            "/reports/%00",
            "/reports/%ff",
        ] {
            assert!(matches!(site.resolve(path), Lookup::BadRequest), "{path}");
        }
        for path in [
            "/reports//etc/passwd",
            "/etc/passwd",
            "/reports/%252e%252e/x",
            "/reports/nope",
        ] {
            match site.resolve(path) {
                Lookup::NotFound(Some(page)) => assert!(page.is_page(), "{path}"),
                other => panic!("{path}: {other:?}"),
            }
        }
    }

    #[test]
    fn content_types_name_utf8_text() {
        assert_eq!(content_type("a.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("fonts/V.woff2"), "font/woff2");
        assert_eq!(content_type("chart.svg"), "image/svg+xml; charset=utf-8");
        assert_eq!(content_type("data.csv"), "text/csv; charset=utf-8");
        assert_eq!(content_type("data.json"), "application/json");
        assert_eq!(
            content_type("data.xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        assert_eq!(content_type("years.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("1400/data-1400.zip"), "application/zip");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }

    #[test]
    fn equal_pages_have_equal_versions() {
        let a = Resource::page("<body>x</body>");
        assert_eq!(a.version, Resource::page("<body>x</body>").version);
        assert_ne!(a.version, Resource::page("<body>y</body>").version);
        assert_eq!(Resource::file("a.css", b"x".to_vec()).version.len(), 16);
    }
}
