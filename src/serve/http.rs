//! The HTTP side of `serve`: the site from memory (GET and HEAD only, directory URLs to their
//! `index.html`, unknown URLs to the site's 404 page with status 404), the error overlay on
//! every page while the content is broken, and the WebSocket open pages follow.

use super::builder::Published;
use super::reload::{EVENTS_PATH, VERSION_HEADER, state_message, with_overlay};
use super::site::{Lookup, Resource};
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
    let head = method == Method::HEAD;
    let overlay = published.overlay.as_deref();
    let Some(site) = &published.site else {
        return unavailable(overlay.unwrap_or(""), head);
    };
    match site.resolve(uri.path()) {
        Lookup::Found(resource) => send(StatusCode::OK, resource, overlay, head),
        Lookup::NotFound(Some(page)) => send(StatusCode::NOT_FOUND, page, overlay, head),
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

fn send(status: StatusCode, resource: &Resource, overlay: Option<&str>, head: bool) -> Response {
    let bytes = match overlay {
        Some(overlay) if resource.is_page() => Bytes::from(with_overlay(&resource.bytes, overlay)),
        _ => resource.bytes.clone(),
    };
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    if let Ok(kind) = HeaderValue::from_str(&resource.content_type) {
        headers.insert(header::CONTENT_TYPE, kind);
    }
    if let Some(version) = resource
        .version
        .as_deref()
        .and_then(|v| HeaderValue::from_str(v).ok())
    {
        headers.insert(VERSION_HEADER, version);
    }
    fresh(headers);
    if !head {
        *response.body_mut() = Body::from(bytes);
    }
    response
}

/// A draft changes under the reviewer: nothing is cached, nothing sniffed.
fn fresh(headers: &mut HeaderMap) {
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

/// Before the content has ever built: a page with the overlay, which reloads once it builds.
fn unavailable(overlay: &str, head: bool) -> Response {
    let page = super::reload::inject(
        &format!(
            "<!DOCTYPE html><html lang=\"fa\" dir=\"rtl\"><head><meta charset=\"utf-8\"><title>karnameh serve</title></head><body>{overlay}</body></html>"
        ),
        "none",
    );
    let resource = Resource {
        bytes: Bytes::from(page),
        content_type: "text/html; charset=utf-8".to_string(),
        version: Some("none".to_string()),
    };
    send(StatusCode::SERVICE_UNAVAILABLE, &resource, None, head)
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
