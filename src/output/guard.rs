//! Which folder a build may replace. The output is deleted and rewritten on every build, so it
//! must be a folder karnameh wrote (it holds the manifest) and never the user's own files.

use super::manifest::{MANIFEST, Manifest};
use anyhow::{Result, bail};
use std::path::{Component, Path, PathBuf};
use walkdir::WalkDir;

/// How many unexpected files an error names before it says "and N more".
const LISTED: usize = 5;

/// `output` resolved to the folder a build of the site at `root` may replace.
///
/// Refused whatever `force` says: the site folder, a folder that contains it, or a folder inside
/// its `content/`, `themes/`, `static/`, `archives/` or `.git/`. Refused unless `force`: an existing non-empty
/// folder without karnameh's manifest, or one holding files that its manifest does not list.
pub fn check_output(root: &Path, output: &Path, force: bool) -> Result<PathBuf> {
    let site = resolve(root)?;
    let target = resolve(output)?;
    let refuse = |why: String| -> Result<PathBuf> {
        bail!(
            "refusing to write the site into {}: {why}; nothing was touched. Write it into a folder of its own, e.g. --output {}",
            output.display(),
            site.join("public").display()
        )
    };
    if target == site {
        return refuse(format!("it is the site folder {}", site.display()));
    }
    if site.starts_with(&target) {
        return refuse(format!("it contains the site folder {}", site.display()));
    }
    for name in ["content", "themes", "static", "archives", ".git"] {
        let dir = resolve(&site.join(name))?;
        if target.starts_with(&dir) {
            return refuse(format!(
                "it lies inside the site's {name}/ folder ({})",
                dir.display()
            ));
        }
    }
    if target.exists() && !target.is_dir() {
        bail!(
            "refusing to write the site into {}: it exists and is not a folder",
            output.display()
        );
    }
    if !force {
        check_ownership(&target, output)?;
    }
    Ok(target)
}

/// An existing output must be karnameh's own: a manifest, and no file the manifest doesn't list.
fn check_ownership(target: &Path, shown: &Path) -> Result<()> {
    if !target.is_dir() || is_empty(target)? {
        return Ok(());
    }
    let Some(manifest) = Manifest::read(&target.join(MANIFEST)) else {
        bail!(
            "{} is not a karnameh output (it has no {MANIFEST} manifest) and is not empty; pass --force to replace it and delete what it holds",
            shown.display()
        );
    };
    let strangers = unlisted_files(target, &manifest)?;
    if !strangers.is_empty() {
        let more = strangers.len().saturating_sub(LISTED);
        let listed: Vec<&str> = strangers.iter().take(LISTED).map(String::as_str).collect();
        bail!(
            "{} holds files karnameh did not write: {}{}; move them elsewhere (files in static/ are copied into every build) or pass --force to replace the folder",
            shown.display(),
            listed.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        );
    }
    Ok(())
}

fn is_empty(dir: &Path) -> Result<bool> {
    Ok(std::fs::read_dir(dir)?.next().is_none())
}

/// Files under `dir` (relative, `/`-separated) that `manifest` does not list.
fn unlisted_files(dir: &Path, manifest: &Manifest) -> Result<Vec<String>> {
    let mut strangers = Vec::new();
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = entry?;
        if entry.file_type().is_dir() {
            continue;
        }
        let relative = super::manifest::relative_name(entry.path(), dir);
        if relative != MANIFEST && !manifest.lists(&relative) {
            strangers.push(relative);
        }
    }
    Ok(strangers)
}

/// An absolute path with every symbolic link of its existing part resolved and `.`/`..`
/// applied, whether or not the path exists yet (a new output is judged by where it would be).
pub fn resolve(path: &Path) -> Result<PathBuf> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let mut resolved = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => resolved.push(component),
            Component::CurDir => {}
            // `resolved` has no links left in it, so its parent is the real parent
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(name) => {
                resolved.push(name);
                if let Ok(real) = resolved.canonicalize() {
                    resolved = real;
                }
            }
        }
    }
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["content/1400", "themes/default", "static"] {
            fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        fs::write(dir.path().join("site.toml"), "").unwrap();
        dir
    }

    fn refused(root: &Path, output: &Path, force: bool) -> String {
        check_output(root, output, force)
            .map(|p| panic!("accepted {}", p.display()))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn the_site_folder_its_parent_and_its_inputs_are_refused_even_with_force() {
        let dir = site();
        let root = dir.path();
        for (output, why) in [
            (root.to_path_buf(), "is the site folder"),
            (root.join("."), "is the site folder"),
            (root.join("public/.."), "is the site folder"),
            (
                root.parent().unwrap().to_path_buf(),
                "contains the site folder",
            ),
            (root.join("content"), "inside the site's content/"),
            (root.join("content/1400/new"), "inside the site's content/"),
            (root.join("themes"), "inside the site's themes/"),
            (root.join("static/x"), "inside the site's static/"),
            (root.join("archives"), "inside the site's archives/"),
            (
                root.join("nothing/../content"),
                "inside the site's content/",
            ),
        ] {
            let err = refused(root, &output, true);
            assert!(
                err.contains(why) && err.contains("nothing was touched"),
                "{err}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_to_the_content_is_refused() {
        let dir = site();
        let link = dir.path().join("out");
        std::os::unix::fs::symlink(dir.path().join("content"), &link).unwrap();
        assert!(refused(dir.path(), &link, true).contains("content/"));
    }

    #[test]
    fn a_foreign_non_empty_folder_needs_force_and_an_empty_one_does_not() {
        let dir = site();
        let other = tempfile::tempdir().unwrap();
        fs::write(other.path().join("notes.txt"), "mine").unwrap();
        let err = refused(dir.path(), other.path(), false);
        assert!(
            err.contains("is not a karnameh output") && err.contains("--force"),
            "{err}"
        );
        assert!(check_output(dir.path(), other.path(), true).is_ok());
        let empty = tempfile::tempdir().unwrap();
        assert!(check_output(dir.path(), empty.path(), false).is_ok());
        assert!(check_output(dir.path(), &dir.path().join("public"), false).is_ok());
    }

    #[test]
    fn files_the_manifest_does_not_list_are_named() {
        let dir = site();
        let out = dir.path().join("public");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("index.html"), "x").unwrap();
        let manifest = Manifest::of([("index.html".to_string(), b"x".as_slice())]);
        fs::write(out.join(MANIFEST), manifest.to_json()).unwrap();
        assert!(check_output(dir.path(), &out, false).is_ok());
        fs::write(out.join("notes.txt"), "mine").unwrap();
        let err = refused(dir.path(), &out, false);
        assert!(err.contains("notes.txt"), "{err}");
    }
}
