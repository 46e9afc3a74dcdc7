//! `karnameh serve`: the reviewers' loop. The site is built into memory in the reviewer view
//! and served over HTTP (`http`); the site's folders are watched (`watch`) and each change
//! rebuilds what it affects (`builder`) on a thread of its own, which then swaps the new site
//! in whole (`site`) and tells open pages, which reload if they changed (`reload`) or show the
//! error overlay (`overlay`) while the content is broken.

pub mod builder;
mod http;
pub mod overlay;
pub mod reload;
pub mod site;
pub mod watch;

use anyhow::{Context, Result, bail};
use builder::{Builder, Published, Report};
use std::io::ErrorKind;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::time::Duration;
use tokio::sync::watch as channel;
use watch::{Batch, Change, Watch, classify};

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// Open the site in the default browser.
    pub open: bool,
    /// Poll the files instead of asking the system for events.
    pub poll: bool,
}

/// How long open connections may take to finish once the server is asked to stop.
const STOP_GRACE: Duration = Duration::from_secs(2);

/// Serves the site until Ctrl-C (or SIGTERM).
pub fn run(options: &ServeOptions) -> Result<()> {
    let root = options
        .root
        .canonicalize()
        .with_context(|| format!("{}: cannot open the site folder", options.root.display()))?;
    if !root.join("site.toml").is_file() {
        bail!(
            "{} is not a karnameh site (it has no site.toml): pass the site's folder with --root",
            root.display()
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    let listener = runtime.block_on(bind(SocketAddr::new(options.bind, options.port)))?;
    let address = listener.local_addr()?;
    if let Some(warning) = exposure(options.bind) {
        eprintln!("{warning}");
    }
    let mut builder = Builder::new(&root);
    print_report(&builder.apply(&Change::Everything));
    return_freed_memory();
    let published = builder.published();
    let base = published
        .site
        .as_ref()
        .map_or("/", |s| s.base_path())
        .to_string();
    let (publish, follow) = channel::channel(published);
    let (batches_in, batches) = std::sync::mpsc::channel();
    let watcher = Watch::start(&root, options.poll, batches_in)?;
    std::thread::Builder::new()
        .name("karnameh rebuild".to_string())
        .spawn(move || rebuild_loop(builder, watcher, &batches, &publish, &root))
        .context("cannot start the rebuild thread")?;
    let url = format!("http://{address}{base}");
    let how = if options.poll { "polling" } else { "watching" };
    println!(
        "serving {url} ({how} site.toml, content/, themes/, static/, archives/; Ctrl-C stops)"
    );
    if options.open
        && let Err(e) = open::that_detached(&url)
    {
        eprintln!("warning: cannot open a browser ({e}): open {url} yourself");
    }
    let (stop, stopping) = channel::channel(false);
    let app = http::App {
        published: follow,
        stopping,
        loopback: options.bind.is_loopback(),
    };
    runtime.block_on(serve_until_stopped(listener, app, stop))?;
    println!("stopped");
    Ok(())
}

/// The warning for an address other computers can reach.
fn exposure(bind: IpAddr) -> Option<String> {
    (!bind.is_loopback()).then(|| format!(
        "warning: listening on {bind} makes the draft site and its findings reachable from other computers; the default --bind 127.0.0.1 keeps it on this one"
    ))
}

/// Binds `address`, explaining the usual failures with their fix.
async fn bind(address: SocketAddr) -> Result<tokio::net::TcpListener> {
    match tokio::net::TcpListener::bind(address).await {
        Ok(listener) => Ok(listener),
        Err(e) if e.kind() == ErrorKind::AddrInUse => bail!(
            "port {} on {} is already in use (another `karnameh serve`, or another server): stop that one, or choose another port with `--port {}` (`--port 0` picks a free one)",
            address.port(),
            address.ip(),
            address.port().wrapping_add(1).max(1024)
        ),
        Err(e) if e.kind() == ErrorKind::PermissionDenied => bail!(
            "not allowed to listen on port {} (ports below 1024 need administrator rights): choose another with `--port 1111`",
            address.port()
        ),
        Err(e) if e.kind() == ErrorKind::AddrNotAvailable => bail!(
            "{} is not an address of this computer: use `--bind 127.0.0.1` (or one of its own addresses)",
            address.ip()
        ),
        Err(e) => Err(e).with_context(|| format!("cannot listen on {address}")),
    }
}

async fn serve_until_stopped(
    listener: tokio::net::TcpListener,
    app: http::App,
    stop: channel::Sender<bool>,
) -> Result<()> {
    let mut stopping = app.stopping.clone();
    let server = axum::serve(listener, http::router(app)).with_graceful_shutdown(async move {
        let _ = stopping.wait_for(|s| *s).await;
    });
    let server = tokio::spawn(server.into_future());
    stop_signal().await;
    let _ = stop.send(true);
    match tokio::time::timeout(STOP_GRACE, server).await {
        Ok(Ok(result)) => result.context("the server failed"),
        Ok(Err(e)) => Err(e).context("the server failed"),
        // connections still open after the grace period are dropped with the process
        Err(_) => Ok(()),
    }
}

/// Ctrl-C, or SIGTERM where there is one.
async fn stop_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = interrupt => {}
                _ = terminate.recv() => {}
            }
            return;
        }
    }
    let _ = interrupt.await;
}

/// Rebuilds after each batch of file events, publishes the result, and says what happened.
fn rebuild_loop(
    mut builder: Builder,
    mut watcher: Watch,
    batches: &Receiver<Batch>,
    publish: &channel::Sender<Published>,
    root: &Path,
) {
    while let Ok(batch) = batches.recv() {
        let mut paths = Vec::new();
        // batches that came while the last rebuild ran are one change
        for batch in std::iter::once(batch).chain(batches.try_iter()) {
            match batch {
                Ok(more) => paths.extend(more),
                Err(e) => eprintln!("warning: watching the files failed: {e} (`--poll` may help)"),
            }
        }
        let Some(change) = classify(root, &builder.sections(), &paths) else {
            continue;
        };
        let report = builder.apply(&change);
        if !report.pages.is_empty() || !report.new_problems.is_empty() || report.fixed {
            publish.send_replace(builder.published());
        }
        print_report(&report);
        if change == Change::Everything {
            return_freed_memory();
            if let Err(e) = watcher.follow(root) {
                eprintln!("warning: {e:#}");
            }
        }
    }
}

/// Gives the memory a whole rebuild freed (the old site's) back to the system, from every
/// thread that rebuilt: the allocator keeps freed pages for reuse otherwise, and a server runs
/// for hours. Not after a section's rebuild: the next one reuses what it freed, where pages
/// given back would have to be zeroed again.
fn return_freed_memory() {
    // SAFETY: `mi_collect` only frees pages its heap holds no block of (a no-op when mimalloc
    // is not the program's allocator)
    rayon::broadcast(|_| unsafe { libmimalloc_sys::mi_collect(true) });
    unsafe { libmimalloc_sys::mi_collect(true) };
}

/// One line per rebuild, and each new error in full (once: not again on later changes).
fn print_report(report: &Report) {
    for problem in &report.new_problems {
        eprintln!("{}", problem.terminal());
    }
    for problem in &report.old_problems {
        let at = problem
            .location()
            .unwrap_or_else(|| problem.message.clone());
        eprintln!("still failing: {at}");
    }
    if !report.new_problems.is_empty() || !report.old_problems.is_empty() {
        eprintln!("the pages show the error; the last good site is served until it is fixed");
    }
    if report.fixed {
        println!("fixed: the content builds again");
    }
    if report.pages.is_empty() {
        return;
    }
    let ms = report.elapsed.as_secs_f64() * 1000.0;
    let what = if report.whole_site {
        format!("built the whole site ({} pages)", report.pages.len())
    } else {
        let first = &report.pages[0];
        format!(
            "rebuilt {first} (and {} more page(s))",
            report.pages.len() - 1
        )
    };
    println!("{what} in {ms:.1} ms; findings: {}", report.tally);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_loopback_address_is_listened_on_without_a_warning() {
        for quiet in ["127.0.0.1", "127.0.0.2", "::1"] {
            assert_eq!(exposure(quiet.parse().unwrap()), None, "{quiet}");
        }
        for open in ["0.0.0.0", "::", "192.168.1.10"] {
            let warning = exposure(open.parse().unwrap()).unwrap();
            assert!(
                warning.contains("reachable from other computers"),
                "{warning}"
            );
        }
    }
}
