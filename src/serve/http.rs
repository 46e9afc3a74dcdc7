//! The HTTP side of `serve`: the site from memory (GET and HEAD only, directory URLs to their
//! `index.html`, unknown URLs to the site's 404 page with status 404), the error overlay on
//! every page while the content is broken, and the WebSocket open pages follow.

use super::builder::Published;
use super::reload::{EVENTS_PATH, VERSION_HEADER, state_message, with_overlay};
use super::site::{Lookup, Resource, ResourceKind};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use tokio::sync::watch;

/// What every handler sees: the published site, and whether the server is stopping.
#[derive(Clone)]
pub struct App {
    pub published: watch::Receiver<Published>,
    pub stopping: watch::Receiver<bool>,
    /// The server listens on a loopback address: requests must name a loopback host too, so
    /// a web page cannot reach the draft site through a rebound DNS name.
    pub loopback: bool,
}

pub fn router(app: App) -> Router {
    Router::new()
        .route(EVENTS_PATH, any(events))
        .fallback(site)
        .with_state(app)
}

async fn site(State(app): State<App>, method: Method, uri: Uri, headers: HeaderMap) -> Response {
    if let Some(refused) = refuse(&app, &method, &headers) {
        return refused;
    }
    let published = app.published.borrow().clone();
    let asked = Asked {
        head: method == Method::HEAD,
        holds: headers
            .get(header::IF_NONE_MATCH)
            .and_then(|h| h.to_str().ok()),
    };
    let overlay = published.overlay.as_deref();
    let Some(site) = &published.site else {
        return unavailable(overlay.unwrap_or(""), asked);
    };
    match site.resolve(uri.path()) {
        Lookup::Found(resource) => send(StatusCode::OK, resource, overlay, asked),
        Lookup::NotFound(Some(page)) => send(StatusCode::NOT_FOUND, page, overlay, asked),
        Lookup::NotFound(None) => plain(StatusCode::NOT_FOUND, "not found"),
        Lookup::Redirect(to) => redirect(&to),
        Lookup::BadRequest => plain(
            StatusCode::BAD_REQUEST,
            "bad request: the path leaves the site",
        ),
    }
}

/// Only GET and HEAD, and on a loopback server only for loopback host names.
fn refuse(app: &App, method: &Method, headers: &HeaderMap) -> Option<Response> {
    if method != Method::GET && method != Method::HEAD {
        let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD");
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return Some(response);
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    if app.loopback && !host.is_some_and(is_loopback_host) {
        return Some(plain(
            StatusCode::MISDIRECTED_REQUEST,
            "this server answers for 127.0.0.1 and localhost only",
        ));
    }
    None
}

/// A browser names the page that opens a socket: it must be one of the site's (another site
/// open in the reviewer's browser may not read the content's errors).
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
        return true;
    };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin_host = origin.split_once("://").map(|(_, rest)| rest);
    origin_host.is_some() && origin_host == host
}

/// `localhost:1111`, `127.0.0.1`, `[::1]:1111`.
fn is_loopback_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// How a request asks: for headers only (HEAD), and what copy it already has.
#[derive(Clone, Copy)]
struct Asked<'a> {
    head: bool,
    /// `If-None-Match`: the versions of a static file the browser holds.
    holds: Option<&'a str>,
}

fn send(status: StatusCode, resource: &Resource, overlay: Option<&str>, asked: Asked) -> Response {
    let etag = format!("\"{}\"", resource.version);
    let held = asked.holds.is_some_and(|h| {
        h.split(',')
            .any(|tag| tag.trim() == etag || tag.trim() == "*")
    });
    let (status, bytes) = match (resource.kind, overlay) {
        (ResourceKind::File, _) if held && status == StatusCode::OK => {
            (StatusCode::NOT_MODIFIED, Bytes::new())
        }
        (ResourceKind::Page, Some(overlay)) => {
            (status, Bytes::from(with_overlay(&resource.bytes, overlay)))
        }
        _ => (status, resource.bytes.clone()),
    };
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    let headers = response.headers_mut();
    if status != StatusCode::NOT_MODIFIED {
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
        if let Ok(kind) = HeaderValue::from_str(&resource.content_type) {
            headers.insert(header::CONTENT_TYPE, kind);
        }
    }
    fresh(headers);
    match resource.kind {
        ResourceKind::Page => {
            if let Ok(version) = HeaderValue::from_str(&resource.version) {
                headers.insert(VERSION_HEADER, version);
            }
        }
        // fonts and styles are asked for again on every reload: a 304 keeps them in place
        ResourceKind::File => {
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            if let Ok(etag) = HeaderValue::from_str(&etag) {
                headers.insert(header::ETAG, etag);
            }
        }
    }
    if !asked.head {
        *response.body_mut() = Body::from(bytes);
    }
    response
}

/// A draft changes under the reviewer: nothing is kept, nothing sniffed.
fn fresh(headers: &mut HeaderMap) {
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

/// Before the content has ever built: a page with the overlay, which reloads once it builds.
fn unavailable(overlay: &str, asked: Asked) -> Response {
    let page = super::reload::inject(
        &format!(
            "<!DOCTYPE html><html lang=\"fa\" dir=\"rtl\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>karnameh serve</title></head><body>{overlay}</body></html>"
        ),
        "none",
    );
    let resource = Resource {
        bytes: Bytes::from(page),
        content_type: "text/html; charset=utf-8".to_string(),
        version: "none".to_string(),
        kind: ResourceKind::Page,
    };
    send(StatusCode::SERVICE_UNAVAILABLE, &resource, None, asked)
}

fn redirect(to: &str) -> Response {
    match HeaderValue::from_str(to) {
        Ok(location) => {
            let mut response = StatusCode::PERMANENT_REDIRECT.into_response();
            response.headers_mut().insert(header::LOCATION, location);
            fresh(response.headers_mut());
            response
        }
        Err(_) => plain(StatusCode::BAD_REQUEST, "bad request"),
    }
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut response = (status, text).into_response();
    fresh(response.headers_mut());
    response
}

/// The WebSocket an open page follows: the overlay to show now, then again after each rebuild.
async fn events(
    State(app): State<App>,
    method: Method,
    headers: HeaderMap,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    if let Some(refused) = refuse(&app, &method, &headers) {
        return refused;
    }
    if !same_origin(&headers) {
        return plain(
            StatusCode::FORBIDDEN,
            "only the site's own pages follow the server",
        );
    }
    let Ok(upgrade) = upgrade else {
        return plain(
            StatusCode::BAD_REQUEST,
            "a WebSocket for karnameh serve's pages",
        );
    };
    upgrade.on_upgrade(move |socket| follow(socket, app))
}

async fn follow(mut socket: WebSocket, mut app: App) {
    loop {
        let message = {
            let published = app.published.borrow_and_update();
            state_message(published.overlay.as_deref())
        };
        if socket.send(Message::Text(message.into())).await.is_err() {
            return;
        }
        loop {
            tokio::select! {
                changed = app.published.changed() => match changed {
                    Ok(()) => break,
                    Err(_) => return,
                },
                _ = app.stopping.changed() => {
                    let _ = socket.send(Message::Close(None)).await;
                    return;
                }
                incoming = socket.recv() => match incoming {
                    Some(Ok(Message::Close(_)) | Err(_)) | None => return,
                    Some(Ok(_)) => {}
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_socket_is_for_the_sites_own_pages() {
        let headers = |origin: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:1111"));
            if !origin.is_empty() {
                h.insert(header::ORIGIN, HeaderValue::from_str(origin).unwrap());
            }
            h
        };
        assert!(same_origin(&headers("http://127.0.0.1:1111")));
        assert!(same_origin(&headers("")), "not a browser");
        assert!(!same_origin(&headers("https://evil.example")));
        assert!(!same_origin(&headers("http://127.0.0.1:2222")));
        assert!(!same_origin(&headers("null")));
    }

    #[test]
    fn loopback_hosts_are_loopback_names_and_addresses() {
        for host in [
            "localhost:1111",
            "LOCALHOST",
            "127.0.0.1:80",
            "127.1.2.3",
            "[::1]:1111",
            "[::1]",
        ] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in [
            "evil.example:1111",
            "192.168.1.5",
            "localhost.evil.example",
            "[::2]:1",
        ] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }
}
