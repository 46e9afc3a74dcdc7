//! Writing the output folder: everything goes to a fresh temporary folder beside the output,
//! which replaces the output only once complete, so a failed build leaves the old site intact.

use crate::render::Page;
use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// A file to write that is not a rendered page (charts, data downloads).
pub struct Asset {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// Writes pages, assets and static folders (later folders win) and swaps the result into place.
pub fn write_site(
    output: &Path,
    pages: &[Page],
    assets: &[Asset],
    static_dirs: &[PathBuf],
) -> Result<()> {
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(".karnameh-build-")
        .tempdir_in(parent)
        .with_context(|| format!("cannot create a temporary folder in {}", parent.display()))?;
    for dir in static_dirs {
        copy_dir(dir, staging.path())?;
    }
    let files = pages
        .iter()
        .map(|p| (&p.path, p.html.as_bytes()))
        .chain(assets.iter().map(|a| (&a.path, a.bytes.as_slice())));
    files
        .collect::<Vec<_>>()
        .par_iter()
        .try_for_each(|(path, bytes)| write_file(&staging.path().join(path), bytes))?;
    swap_into_place(staging, output)
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

/// Copies a folder's files into `target`, sorted so the result never depends on the walk.
fn copy_dir(source: &Path, target: &Path) -> Result<()> {
    if !source.is_dir() {
        return Ok(());
    }
    for entry in WalkDir::new(source).sort_by_file_name() {
        let entry = entry.with_context(|| format!("cannot walk {}", source.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry.path().strip_prefix(source).unwrap_or(entry.path());
        let bytes = fs::read(entry.path())
            .with_context(|| format!("cannot read {}", entry.path().display()))?;
        write_file(&target.join(relative), &bytes)?;
    }
    Ok(())
}

fn swap_into_place(staging: tempfile::TempDir, output: &Path) -> Result<()> {
    if output.exists() && !output.is_dir() {
        bail!("output {} exists and is not a folder", output.display());
    }
    let old = output.with_file_name(format!(
        ".{}.old",
        output
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("output")
    ));
    if old.exists() {
        fs::remove_dir_all(&old).with_context(|| format!("cannot remove {}", old.display()))?;
    }
    if output.exists() {
        fs::rename(output, &old)
            .with_context(|| format!("cannot move {} aside", output.display()))?;
    }
    let staged = staging.keep();
    if let Err(e) = fs::rename(&staged, output) {
        // put the previous site back before reporting
        if old.exists() {
            let _ = fs::rename(&old, output);
        }
        let _ = fs::remove_dir_all(&staged);
        return Err(e).with_context(|| format!("cannot move the new site to {}", output.display()));
    }
    if old.exists() {
        fs::remove_dir_all(&old).with_context(|| format!("cannot remove {}", old.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_output_and_copies_static_files() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        fs::create_dir_all(output.join("stale")).unwrap();
        let static_dir = dir.path().join("static");
        fs::create_dir_all(static_dir.join("img")).unwrap();
        fs::write(static_dir.join("img/a.txt"), "a").unwrap();
        let pages = [Page {
            path: PathBuf::from("1400/index.html"),
            html: "<p>x</p>".into(),
        }];
        write_site(&output, &pages, &[], &[static_dir]).unwrap();
        assert!(output.join("1400/index.html").is_file());
        assert!(output.join("img/a.txt").is_file());
        assert!(!output.join("stale").exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| n.to_string_lossy().starts_with('.'))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
}
