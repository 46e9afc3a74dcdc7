//! Watching the site's folders: `site.toml` (through the site folder), `content/`, `themes/`,
//! `static/` and `archives/` (frozen years), as folders rather than files, so that editors that save by renaming a
//! temporary file over the original are seen. Events are debounced (a save is several events)
//! and sorted into what to rebuild.

use anyhow::{Context, Result};
use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, PollWatcher, RecursiveMode, Watcher};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, FileIdCache, NoCache, RecommendedCache, new_debouncer,
    new_debouncer_opt,
};
use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

/// How long a file must be quiet before it is read: long enough for every event of one save,
/// short enough not to be felt.
pub const DEBOUNCE: Duration = Duration::from_millis(50);
/// How often the debouncer looks for quiet files: the latency it adds beyond `DEBOUNCE`.
const TICK: Duration = Duration::from_millis(5);
/// How often `--poll` looks at the files.
pub const POLL_INTERVAL: Duration = Duration::from_millis(200);
/// More changed sections than this at once (a checkout, a copy) rebuild everything.
const MOST_SECTIONS_ALONE: usize = 8;

/// What a batch of file events asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// These section files changed (and still exist).
    Sections(BTreeSet<PathBuf>),
    Everything,
}

/// The folders of a site that `serve` watches, below `root`.
const WATCHED: [&str; 4] = ["content", "themes", "static", "archives"];

/// What the watcher sends: the paths of one debounced batch, or why watching failed.
pub type Batch = std::result::Result<Vec<PathBuf>, String>;

/// A running watcher; dropping it stops watching.
pub enum Watch {
    Native(Debouncer<notify::RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, NoCache>),
}

impl Watch {
    /// Watches the site at `root` (canonical) and sends each batch of relevant paths to `to`.
    pub fn start(root: &Path, poll: bool, to: Sender<Batch>) -> Result<Watch> {
        let handler = move |result: DebounceEventResult| {
            let batch = match result {
                Ok(events) => Ok(events
                    .into_iter()
                    .filter(|e| relevant(&e.kind))
                    .flat_map(|e| e.event.paths)
                    .collect::<Vec<_>>()),
                Err(errors) => Err(errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")),
            };
            if batch.as_ref().is_ok_and(Vec::is_empty) {
                return;
            }
            // the receiver is gone only when the server is stopping
            let _ = to.send(batch);
        };
        let mut watch = if poll {
            // file times are compared to the second: two saves in one second differ only
            // in content, which is small enough to hash on every poll
            let config = notify::Config::default()
                .with_poll_interval(POLL_INTERVAL)
                .with_compare_contents(true);
            Watch::Poll(new_debouncer_opt(
                DEBOUNCE,
                Some(TICK),
                handler,
                NoCache,
                config,
            )?)
        } else {
            Watch::Native(new_debouncer(DEBOUNCE, Some(TICK), handler)?)
        };
        watch.follow(root)?;
        Ok(watch)
    }

    /// Watches the site folder itself (not below it) and each watched folder that exists now;
    /// called again after a rebuild, for folders created since.
    pub fn follow(&mut self, root: &Path) -> Result<()> {
        match self {
            Watch::Native(d) => follow(d, root),
            Watch::Poll(d) => follow(d, root),
        }
    }
}

fn follow<T: Watcher, C: FileIdCache>(debouncer: &mut Debouncer<T, C>, root: &Path) -> Result<()> {
    debouncer
        .watch(root, RecursiveMode::NonRecursive)
        .with_context(|| format!("cannot watch {}", root.display()))?;
    for name in WATCHED {
        let dir = root.join(name);
        if dir.is_dir() {
            debouncer
                .watch(&dir, RecursiveMode::Recursive)
                .with_context(|| format!("cannot watch {}", dir.display()))?;
        }
    }
    Ok(())
}

/// Events that may change a file: not reads (the rebuild's own reads would start another).
fn relevant(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// What `paths` (below `root`) ask to rebuild, given the site's section files; `None` when
/// nothing of the site changed (an editor's swap file, the output folder, a read).
pub fn classify(root: &Path, sections: &BTreeSet<PathBuf>, paths: &[PathBuf]) -> Option<Change> {
    let mut changed = BTreeSet::new();
    for path in paths {
        match kind_of(root, sections, path) {
            Some(Change::Everything) => return Some(Change::Everything),
            Some(Change::Sections(paths)) => changed.extend(paths),
            None => {}
        }
    }
    match changed.len() {
        0 => None,
        n if n > MOST_SECTIONS_ALONE => Some(Change::Everything),
        _ => Some(Change::Sections(changed)),
    }
}

fn kind_of(root: &Path, sections: &BTreeSet<PathBuf>, path: &Path) -> Option<Change> {
    let relative = path.strip_prefix(root).ok()?;
    let parts: Vec<&OsStr> = relative
        .components()
        .filter_map(|c| match c {
            Component::Normal(name) => Some(name),
            _ => None,
        })
        .collect();
    let name = parts.last()?.to_str().unwrap_or("");
    if is_editor_temporary(name) {
        return None;
    }
    let first = parts.first()?.to_str().unwrap_or("");
    let is_toml = name.ends_with(".toml");
    match (first, parts.len()) {
        ("site.toml", 1) | ("themes" | "static" | "archives", _) => Some(Change::Everything),
        // a year folder itself: its time changes with every save in it (seen by `--poll`)
        ("content", 1 | 2) if path.is_dir() => {
            let known = sections.iter().any(|s| s.starts_with(path));
            (!known).then_some(Change::Everything)
        }
        ("content", 1 | 2) => Some(Change::Everything),
        ("content", _) if sections.contains(path) => Some(if path.is_file() {
            Change::Sections(BTreeSet::from([path.to_path_buf()]))
        } else {
            Change::Everything
        }),
        ("content", _) if name == "year.toml" || (is_toml && path.is_file()) => {
            Some(Change::Everything)
        }
        _ => None,
    }
}

/// Files editors write beside the one being edited: vim's swap and backup files and its
/// `4913` probe, emacs' lock and autosave files, and temporary names of rename-saves.
fn is_editor_temporary(name: &str) -> bool {
    name.starts_with(".#")
        || name.starts_with('#')
        || name.ends_with('~')
        || name == "4913"
        || [
            ".swp",
            ".swx",
            ".swo",
            ".tmp",
            ".bak",
            ".part",
            ".crdownload",
        ]
        .iter()
        .any(|e| name.ends_with(e))
        || name.starts_with(".goutputstream-")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> (tempfile::TempDir, BTreeSet<PathBuf>) {
        let dir = tempfile::tempdir().unwrap();
        let year = dir.path().join("content/1400");
        std::fs::create_dir_all(&year).unwrap();
        std::fs::create_dir_all(dir.path().join("content/1401")).unwrap();
        let section = year.join("07-a.toml");
        std::fs::write(&section, "").unwrap();
        std::fs::write(year.join("08-new.toml"), "").unwrap();
        (dir, BTreeSet::from([section]))
    }

    fn change(
        dir: &tempfile::TempDir,
        sections: &BTreeSet<PathBuf>,
        names: &[&str],
    ) -> Option<Change> {
        let paths: Vec<PathBuf> = names.iter().map(|n| dir.path().join(n)).collect();
        classify(dir.path(), sections, &paths)
    }

    #[test]
    fn a_section_saved_through_a_temporary_file_is_rebuilt_alone() {
        let (dir, sections) = site();
        let saved = change(
            &dir,
            &sections,
            &[
                "content/1400/.07-a.toml.swp",
                "content/1400/07-a.toml.tmp",
                "content/1400/4913",
                "content/1400/07-a.toml~",
                "content/1400/07-a.toml",
            ],
        );
        let section = dir.path().join("content/1400/07-a.toml");
        assert_eq!(saved, Some(Change::Sections(BTreeSet::from([section]))));
    }

    #[test]
    fn settings_themes_static_years_and_new_or_removed_sections_rebuild_everything() {
        let (dir, sections) = site();
        for name in [
            "site.toml",
            "themes/default/templates/base.html",
            "static/logo.svg",
            "archives/1398.tar.gz",
            "content/1400/year.toml",
            "content/1400/08-new.toml",
            "content/1401",
            "content/1399",
        ] {
            assert_eq!(
                change(&dir, &sections, &[name]),
                Some(Change::Everything),
                "{name}"
            );
        }
        std::fs::remove_file(dir.path().join("content/1400/07-a.toml")).unwrap();
        assert_eq!(
            change(&dir, &sections, &["content/1400/07-a.toml"]),
            Some(Change::Everything)
        );
    }

    #[test]
    fn what_is_not_the_site_is_ignored() {
        let (dir, sections) = site();
        for name in [
            "public/index.html",
            "README.md",
            "content/1400/notes.txt",
            "content/1400/gone.toml",
            "content/1400",
            "content",
        ] {
            assert_eq!(change(&dir, &sections, &[name]), None, "{name}");
        }
        assert!(!relevant(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(relevant(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
    }
}
