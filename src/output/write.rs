//! Writing the output folder: everything goes to a fresh staging folder beside the output,
//! which replaces the output in one step only once complete. A failed or killed build leaves
//! the previous site intact and at most one staging folder, which the next build recognises by
//! its marker and removes. Nothing else beside the output is ever touched.

use super::manifest::{MANIFEST, Manifest, relative_name, sha256_hex};
use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use walkdir::WalkDir;

/// A file of the site, relative to the output folder.
pub struct OutputFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// Staging folders are named `.karnameh-staging-<random>` and hold this marker while in use.
const STAGING_PREFIX: &str = ".karnameh-staging-";
const MARKER: &str = ".karnameh-staging";

/// Writes `files` and the static folders (later folders win, generated files over all of them)
/// with a manifest, and swaps the result into place at `output` (already checked by the guard).
pub fn write_site(output: &Path, files: &[OutputFile], static_dirs: &[PathBuf]) -> Result<()> {
    let staging = Staging::begin(output)?;
    staging.copy_static(static_dirs)?;
    files
        .par_iter()
        .try_for_each(|f| staging.put(&f.path, &f.bytes))?;
    staging.finish(output)
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

/// The files of the static folders by relative name (`fonts/a.woff2`), later folders over
/// earlier ones: what a build copies, and what `serve` holds in memory.
pub fn read_static(dirs: &[PathBuf]) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut files = BTreeMap::new();
    for dir in dirs {
        files.extend(static_files(dir)?);
    }
    Ok(files)
}

/// A static folder's files, sorted, as (relative name, bytes). A symbolic link is followed
/// only when it points inside the folder: static copying never reaches outside it.
fn static_files(source: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    if !source.is_dir() {
        return Ok(Vec::new());
    }
    let real_source = source
        .canonicalize()
        .with_context(|| format!("cannot read {}", source.display()))?;
    let mut out = Vec::new();
    for entry in WalkDir::new(source).sort_by_file_name() {
        let entry = entry.with_context(|| format!("cannot walk {}", source.display()))?;
        let path = entry.path();
        if entry.path_is_symlink() {
            let target = path.canonicalize().ok();
            match target {
                Some(t) if t.starts_with(&real_source) && t.is_file() => {}
                _ => bail!(
                    "{} is a symbolic link to a place outside {} (or to nothing): copy the file itself into the folder",
                    path.display(),
                    source.display()
                ),
            }
        } else if !entry.file_type().is_file() {
            continue;
        }
        let bytes = fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        out.push((relative_name(path, source), bytes));
    }
    Ok(out)
}

/// A staging folder of this build, marked so that a later build can recognise it if this one
/// is killed before it finishes. Files are written into it as they are made (in parallel), and
/// their hashes kept for the manifest.
pub struct Staging {
    path: PathBuf,
    /// The output this staging replaces, when there is one: a file that has not changed is
    /// linked from it rather than written again (see [`Staging::put`]).
    previous: Option<PathBuf>,
    hashes: Mutex<BTreeMap<String, String>>,
    /// The manifest's `inputs`: what downloads were made from.
    inputs: Mutex<BTreeMap<String, String>>,
    /// Folders already made: a site puts hundreds of files in one folder, and asking the file
    /// system to make it again each time costs a system call per file.
    folders: Mutex<BTreeSet<PathBuf>>,
}

impl Staging {
    /// A new staging folder beside `output`, after removing what killed builds of it left.
    pub fn begin(output: &Path) -> Result<Staging> {
        let parent = output
            .parent()
            .context("the output folder has no parent folder")?;
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        remove_leftovers(parent, output);
        let dir = tempfile::Builder::new()
            .prefix(STAGING_PREFIX)
            .tempdir_in(parent)
            .with_context(|| format!("cannot create a staging folder in {}", parent.display()))?;
        let staging = Staging {
            path: dir.keep(),
            previous: output
                .join(MANIFEST)
                .is_file()
                .then(|| output.to_path_buf()),
            hashes: Mutex::new(BTreeMap::new()),
            inputs: Mutex::new(BTreeMap::new()),
            folders: Mutex::new(BTreeSet::new()),
        };
        write_file(&staging.path.join(MARKER), &marker_text(output))?;
        Ok(staging)
    }

    /// Copies the static folders, later ones over earlier ones; write generated files after.
    pub fn copy_static(&self, dirs: &[PathBuf]) -> Result<()> {
        self.put_all(&read_static(dirs)?, "")
    }

    /// Writes `files` (relative name → bytes) below `prefix` (`1400/`, or `` for the root).
    pub fn put_all(&self, files: &BTreeMap<String, Vec<u8>>, prefix: &str) -> Result<()> {
        files
            .par_iter()
            .try_for_each(|(name, bytes)| self.put(Path::new(&format!("{prefix}{name}")), bytes))
    }

    /// Writes one file of the site (relative to its root).
    pub fn put(&self, relative: &Path, bytes: &[u8]) -> Result<()> {
        let name = relative_name(relative, Path::new(""));
        let path = self.path.join(&name);
        self.make_folder(&path)?;
        if !self.link_unchanged(&name, &path, bytes) {
            fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
        }
        self.record(name, sha256_hex(bytes))
    }

    /// Writes one file of the site that this build took from the output it replaces, when
    /// `taken` lists it: linked from there without reading it again ([`EarlierOutput::file`]
    /// read it and checked it against the hash listed, moments ago), and listed with that
    /// hash. Any other file is [`Staging::put`].
    pub fn put_taken(&self, relative: &Path, bytes: &[u8], taken: &TakenFiles) -> Result<()> {
        let name = relative_name(relative, Path::new(""));
        let (Some(hash), Some(previous)) = (taken.0.get(&name), self.previous.as_deref()) else {
            return self.put(relative, bytes);
        };
        let path = self.path.join(&name);
        self.make_folder(&path)?;
        if !link_same_size(previous, &name, &path, bytes, |_| true) {
            return self.put(relative, bytes);
        }
        self.record(name, hash.clone())
    }

    /// A file of the site (relative to its root) to be written a piece at a time; it is in the
    /// manifest once [`StagedFile::finish`]ed. It is always written afresh.
    pub fn create(&self, relative: &Path) -> Result<StagedFile<'_>> {
        let name = relative_name(relative, Path::new(""));
        let path = self.path.join(&name);
        self.make_folder(&path)?;
        let file =
            fs::File::create(&path).with_context(|| format!("cannot write {}", path.display()))?;
        Ok(StagedFile {
            staging: self,
            name,
            file: std::io::BufWriter::with_capacity(
                1 << 16,
                HashedFile {
                    file,
                    hash: Sha256::new(),
                },
            ),
        })
    }

    /// Notes in the manifest what the file at `relative` was made from (see
    /// [`Manifest::inputs`]).
    pub fn note_input(&self, relative: &Path, made_from: &str) -> Result<()> {
        let name = relative_name(relative, Path::new(""));
        locked(&self.inputs)?.insert(name, made_from.to_string());
        Ok(())
    }

    fn record(&self, name: String, hash: String) -> Result<()> {
        locked(&self.hashes)?.insert(name, hash);
        Ok(())
    }

    /// Links `path` to the previous output's file of the same name when that holds `bytes`
    /// already; false when it does not (or cannot be linked), and the file is to be written.
    ///
    /// Making a file costs far more than reading one: on ext4 without a journal, every new
    /// inode is looked for past the inodes deleted in the last seconds, which is the old
    /// output's when a build replaces it, so writing every file anew costs time that grows
    /// with the square of the file count. A link makes no inode, and removing the old output
    /// then frees none of the linked ones. The bytes are compared, not the manifest's hash:
    /// a file changed in the old output by hand is written afresh.
    fn link_unchanged(&self, name: &str, path: &Path, bytes: &[u8]) -> bool {
        let Some(previous) = &self.previous else {
            return false;
        };
        link_same_size(previous, name, path, bytes, |old| holds(old, bytes))
    }

    /// Makes the folder of `path` unless this staging made it already.
    fn make_folder(&self, path: &Path) -> Result<()> {
        let Some(dir) = path.parent() else {
            return Ok(());
        };
        if locked(&self.folders)?.contains(dir) {
            return Ok(());
        }
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        locked(&self.folders)?.insert(dir.to_path_buf());
        Ok(())
    }

    /// Writes the manifest and puts the staged site at `output` in one step.
    pub fn finish(self, output: &Path) -> Result<()> {
        let mut manifest = Manifest::from_hashes(std::mem::take(&mut *locked(&self.hashes)?));
        manifest.inputs = std::mem::take(&mut *locked(&self.inputs)?);
        // a file noted but never written is no input of this output
        let files = &manifest.files;
        manifest.inputs.retain(|name, _| files.contains_key(name));
        write_file(&self.path.join(MANIFEST), manifest.to_json().as_bytes())?;
        self.swap_into(output)
    }

    /// Puts the staged site at `output` in one step and removes what was there before.
    fn swap_into(self, output: &Path) -> Result<()> {
        fs::remove_file(self.path.join(MARKER))
            .with_context(|| format!("cannot finish {}", self.path.display()))?;
        let replaced = if output.exists() {
            exchange(&self.path, output)
                .with_context(|| format!("cannot move the new site to {}", output.display()))?;
            true
        } else {
            fs::rename(&self.path, output)
                .with_context(|| format!("cannot move the new site to {}", output.display()))?;
            false
        };
        if replaced {
            // the new site is in place: a removal cut short is finished by the next build
            let _ = fs::write(self.path.join(MARKER), marker_text(output));
            let _ = remove_marked(&self.path);
        }
        std::mem::forget(self);
        Ok(())
    }
}

impl Drop for Staging {
    /// A build that failed after staging began leaves nothing behind.
    fn drop(&mut self) {
        let _ = remove_marked(&self.path);
    }
}

/// `mutex` locked, or an error when a writer thread panicked while holding it.
fn locked<T>(mutex: &Mutex<T>) -> Result<std::sync::MutexGuard<'_, T>> {
    mutex
        .lock()
        .map_err(|_| anyhow::anyhow!("a writer thread failed"))
}

/// The output a build is about to replace, as its manifest lists it: files a build may take
/// rather than make again.
pub struct EarlierOutput {
    dir: PathBuf,
    manifest: Manifest,
    taken: Mutex<TakenFiles>,
}

/// Files of the output being replaced that a build took as files of its own, by name, with
/// their hashes as checked when they were read (see [`Staging::put_taken`]).
#[derive(Debug, Default)]
pub struct TakenFiles(BTreeMap<String, String>);

impl EarlierOutput {
    /// The output at `dir`, when karnameh wrote it.
    pub fn open(dir: &Path) -> Option<EarlierOutput> {
        Some(EarlierOutput {
            dir: dir.to_path_buf(),
            manifest: Manifest::read(&dir.join(MANIFEST))?,
            taken: Mutex::default(),
        })
    }

    /// The bytes of the file at `relative` if they are still those the manifest lists (a file
    /// edited by hand is not taken); with `made_from`, only when the manifest says the file was
    /// made from inputs of that key, and the file is then taken as the new output's own (see
    /// [`EarlierOutput::into_taken`]).
    pub fn file(&self, relative: &Path, made_from: Option<&str>) -> Option<Vec<u8>> {
        let name = relative_name(relative, Path::new(""));
        if made_from
            .is_some_and(|key| self.manifest.inputs.get(&name).map(String::as_str) != Some(key))
        {
            return None;
        }
        let listed = self.manifest.files.get(&name)?;
        let path = self.dir.join(&name);
        // a file, not a link to one elsewhere
        fs::symlink_metadata(&path).ok()?.is_file().then_some(())?;
        let bytes = fs::read(path).ok()?;
        (&sha256_hex(&bytes) == listed).then_some(())?;
        if made_from.is_some()
            && let Ok(mut taken) = self.taken.lock()
        {
            taken.0.insert(name, listed.clone());
        }
        Some(bytes)
    }

    /// The files [`EarlierOutput::file`] handed out as the new output's own.
    pub fn into_taken(self) -> TakenFiles {
        self.taken.into_inner().unwrap_or_default()
    }
}

/// A file of a [`Staging`] being written; hashed as it is.
pub struct StagedFile<'a> {
    staging: &'a Staging,
    name: String,
    /// Buffered before the hash, so that the many small writes of a serialiser reach the
    /// hasher and the system as blocks.
    file: std::io::BufWriter<HashedFile>,
}

struct HashedFile {
    file: fs::File,
    hash: Sha256,
}

impl std::io::Write for HashedFile {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let written = self.file.write(bytes)?;
        self.hash.update(&bytes[..written]);
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

impl std::io::Write for StagedFile<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.file.write(bytes)
    }

    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.file.write_all(bytes)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

impl StagedFile<'_> {
    /// Writes what is buffered and puts the file in the manifest.
    pub fn finish(self) -> Result<()> {
        let path = self.staging.path.join(&self.name);
        let hashed = self
            .file
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(|| format!("cannot write {}", path.display()))?;
        let hash = format!("{:x}", hashed.hash.finalize());
        self.staging.record(self.name, hash)
    }
}

/// Links `path` to the file `name` of the `previous` output when that is a file of `bytes`'s
/// size and `unchanged` says it holds them; whether it did.
fn link_same_size(
    previous: &Path,
    name: &str,
    path: &Path,
    bytes: &[u8],
    unchanged: impl FnOnce(&Path) -> bool,
) -> bool {
    let old = previous.join(name);
    let same_size =
        fs::symlink_metadata(&old).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64);
    same_size && unchanged(&old) && fs::hard_link(&old, path).is_ok()
}

/// Whether the file at `path` holds exactly `bytes`, read a block at a time: the print edition
/// of a large site is hundreds of megabytes, and reading it whole would double the build's peak
/// memory.
fn holds(path: &Path, bytes: &[u8]) -> bool {
    use std::io::Read;
    let Ok(mut file) = fs::File::open(path) else {
        return false;
    };
    // on the stack: a zeroed buffer the size of each file, allocated for each, cost more
    // (fresh pages to clear) than the comparison
    let mut block = [0; 64 * 1024];
    let mut rest = bytes;
    while !rest.is_empty() {
        let want = &mut block[..rest.len().min(64 * 1024)];
        if file.read_exact(want).is_err() || want[..] != rest[..want.len()] {
            return false;
        }
        rest = &rest[want.len()..];
    }
    // a file that grew since its size was read holds more than `bytes`
    file.read(&mut [0]).is_ok_and(|n| n == 0)
}

/// Swaps two folders atomically where the system can (Linux `renameat2` with `RENAME_EXCHANGE`),
/// so there is no moment without an output; elsewhere, moves the old one aside first.
fn exchange(staged: &Path, output: &Path) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, staged, CWD, output, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(()),
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            Err(e) => return Err(std::io::Error::from(e).into()),
        }
    }
    let parent = output.parent().unwrap_or(Path::new("."));
    let aside = tempfile::Builder::new()
        .prefix(STAGING_PREFIX)
        .tempdir_in(parent)?
        .keep();
    fs::write(aside.join(MARKER), marker_text(output))?;
    fs::remove_dir_all(&aside)?;
    fs::rename(output, &aside)?;
    if let Err(e) = fs::rename(staged, output) {
        fs::rename(&aside, output)?;
        return Err(e.into());
    }
    fs::rename(&aside, staged)?;
    Ok(())
}

/// What a staging folder's marker says: the output it was for and the process that made it.
fn marker_text(output: &Path) -> Vec<u8> {
    format!("output={}\npid={}\n", output.display(), std::process::id()).into_bytes()
}

/// Removes a staging folder: everything but its marker first, the marker last, so a removal
/// cut short still leaves a folder the next build recognises.
fn remove_marked(dir: &Path) -> std::io::Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name() == MARKER {
            continue;
        }
        if entry.file_type()?.is_dir() {
            fs::remove_dir_all(entry.path())?;
        } else {
            fs::remove_file(entry.path())?;
        }
    }
    let _ = fs::remove_file(dir.join(MARKER));
    fs::remove_dir(dir)
}

/// Removes staging folders of earlier builds of `output` that were killed before they finished.
/// Only folders with karnameh's name and marker for this very output, whose build is not
/// running any more, are removed.
fn remove_leftovers(parent: &Path, output: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let is_staging = entry
            .file_name()
            .to_string_lossy()
            .starts_with(STAGING_PREFIX)
            && entry.file_type().is_ok_and(|t| t.is_dir());
        if !is_staging {
            continue;
        }
        let marker = fs::read_to_string(entry.path().join(MARKER)).unwrap_or_default();
        let for_this_output = marker
            .lines()
            .any(|l| l.strip_prefix("output=") == Some(&output.display().to_string()));
        let pid = marker
            .lines()
            .find_map(|l| l.strip_prefix("pid="))
            .and_then(|p| p.parse::<u32>().ok());
        if (for_this_output && pid.is_some_and(|p| !is_running(p))) || unmarked_ours(&entry.path())
        {
            let _ = remove_marked(&entry.path());
        }
    }
}

/// A staging folder that a build killed while it swapped its finished site in left without its
/// marker: the staged site or the replaced one, both karnameh's output with its manifest.
fn unmarked_ours(dir: &Path) -> bool {
    !dir.join(MARKER).exists() && dir.join(MANIFEST).is_file()
}

/// Whether process `pid` still runs (then its staging folder is in use).
fn is_running(pid: u32) -> bool {
    if pid == std::process::id() {
        return false;
    }
    let proc = Path::new("/proc");
    if proc.is_dir() {
        return proc.join(pid.to_string()).exists();
    }
    // without /proc we cannot tell: keep the folder rather than risk a running build's
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: PathBuf::from(path),
            bytes: text.as_bytes().to_vec(),
        }
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[cfg(unix)]
    fn inode(path: &Path) -> u64 {
        use std::os::unix::fs::MetadataExt;
        fs::metadata(path).unwrap().ino()
    }

    #[cfg(unix)]
    #[test]
    fn a_rebuild_links_the_files_that_did_not_change_and_writes_the_others() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let first = [
            page("same.html", "same"),
            page("a/changed.html", "before"),
            page("edited.html", "as built"),
        ];
        write_site(&output, &first, &[]).unwrap();
        let same = inode(&output.join("same.html"));
        let changed = inode(&output.join("a/changed.html"));
        // somebody edits a file of the output by hand: the manifest's hash no longer holds
        fs::write(output.join("edited.html"), "by hand!").unwrap();
        let edited = inode(&output.join("edited.html"));
        let second = [
            page("same.html", "same"),
            page("a/changed.html", "after"),
            page("edited.html", "as built"),
        ];
        write_site(&output, &second, &[]).unwrap();
        assert_eq!(
            inode(&output.join("same.html")),
            same,
            "linked, not written"
        );
        assert_ne!(inode(&output.join("a/changed.html")), changed);
        assert_eq!(
            fs::read_to_string(output.join("a/changed.html")).unwrap(),
            "after"
        );
        assert_ne!(inode(&output.join("edited.html")), edited);
        assert_eq!(
            fs::read_to_string(output.join("edited.html")).unwrap(),
            "as built"
        );
        // the old output is gone, and the linked file has one name again
        use std::os::unix::fs::MetadataExt;
        assert_eq!(fs::metadata(output.join("same.html")).unwrap().nlink(), 1);
        assert_eq!(entries(dir.path()), ["public"]);
    }

    #[test]
    fn a_file_holds_its_bytes_only_when_every_block_and_the_length_agree() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        // three blocks and a bit, so that a difference in the last block is looked for
        let bytes: Vec<u8> = (0..800_001u32).map(|i| (i % 251) as u8).collect();
        fs::write(&path, &bytes).unwrap();
        assert!(holds(&path, &bytes));
        let mut last = bytes.clone();
        *last.last_mut().unwrap() ^= 1;
        assert!(!holds(&path, &last));
        assert!(
            !holds(&path, &bytes[..bytes.len() - 1]),
            "the file is longer"
        );
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(!holds(&path, &longer), "the file is shorter");
        assert!(!holds(&dir.path().join("missing"), b""));
        fs::write(&path, b"").unwrap();
        assert!(holds(&path, b""));
    }

    #[test]
    fn an_earlier_file_is_taken_only_as_listed_made_from_its_key_and_not_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let staging = Staging::begin(&output).unwrap();
        for name in ["1400/T1.csv", "1400/T2.csv", "1400/T3.csv"] {
            staging.put(Path::new(name), name.as_bytes()).unwrap();
            staging.note_input(Path::new(name), "key").unwrap();
        }
        staging
            .note_input(Path::new("1400/never-written.csv"), "key")
            .unwrap();
        staging.finish(&output).unwrap();
        let manifest = Manifest::read(&output.join(MANIFEST)).unwrap();
        assert_eq!(manifest.inputs.len(), 3, "only written files have inputs");
        fs::write(output.join("1400/T2.csv"), "edited by hand").unwrap();
        let outside = dir.path().join("outside.csv");
        fs::write(&outside, "1400/T3.csv").unwrap();
        fs::remove_file(output.join("1400/T3.csv")).unwrap();
        std::os::unix::fs::symlink(&outside, output.join("1400/T3.csv")).unwrap();
        let earlier = EarlierOutput::open(&output).unwrap();
        let file = |name: &str, key| earlier.file(Path::new(name), key);
        assert_eq!(file("1400/T1.csv", Some("key")).unwrap(), b"1400/T1.csv");
        assert_eq!(file("1400/T1.csv", None).unwrap(), b"1400/T1.csv");
        assert!(file("1400/T1.csv", Some("another key")).is_none());
        assert!(file("1400/T2.csv", Some("key")).is_none(), "edited by hand");
        assert!(
            file("1400/T3.csv", Some("key")).is_none(),
            "a link, bytes as listed"
        );
        assert!(file("1400/never-written.csv", Some("key")).is_none());
        assert!(EarlierOutput::open(dir.path()).is_none(), "no manifest");
    }

    #[cfg(unix)]
    #[test]
    fn a_taken_file_is_linked_with_its_checked_hash_and_only_a_file_asked_for_by_key() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let staging = Staging::begin(&output).unwrap();
        for (name, bytes) in [("1400/T1.csv", "one"), ("1400/T2.csv", "two")] {
            staging.put(Path::new(name), bytes.as_bytes()).unwrap();
            staging.note_input(Path::new(name), "key").unwrap();
        }
        staging.finish(&output).unwrap();
        let earlier = EarlierOutput::open(&output).unwrap();
        let t1 = earlier.file(Path::new("1400/T1.csv"), Some("key")).unwrap();
        // asked for without a key, a file is what another is made from, not taken
        earlier.file(Path::new("1400/T2.csv"), None).unwrap();
        let taken = earlier.into_taken();
        assert_eq!(taken.0.len(), 1);
        let linked = inode(&output.join("1400/T1.csv"));
        let staging = Staging::begin(&output).unwrap();
        staging
            .put_taken(Path::new("1400/T1.csv"), &t1, &taken)
            .unwrap();
        staging
            .put_taken(Path::new("1400/T2.csv"), b"made anew", &taken)
            .unwrap();
        staging.finish(&output).unwrap();
        assert_eq!(inode(&output.join("1400/T1.csv")), linked);
        assert_eq!(fs::read(output.join("1400/T2.csv")).unwrap(), b"made anew");
        let manifest = Manifest::read(&output.join(MANIFEST)).unwrap();
        assert_eq!(manifest.files["1400/T1.csv"], sha256_hex(b"one"));
        assert_eq!(manifest.files["1400/T2.csv"], sha256_hex(b"made anew"));
    }

    #[test]
    fn a_file_written_a_piece_at_a_time_is_in_the_manifest_with_its_hash() {
        use std::io::Write as _;
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let staging = Staging::begin(&output).unwrap();
        let mut file = staging.create(Path::new("1400/print/index.html")).unwrap();
        let mut whole = Vec::new();
        for piece in 0..20_000 {
            let text = format!("<p>{piece}</p>");
            file.write_all(text.as_bytes()).unwrap();
            whole.extend_from_slice(text.as_bytes());
        }
        file.finish().unwrap();
        staging.finish(&output).unwrap();
        let written = fs::read(output.join("1400/print/index.html")).unwrap();
        assert!(written == whole);
        let manifest = Manifest::read(&output.join(MANIFEST)).unwrap();
        assert_eq!(manifest.files["1400/print/index.html"], sha256_hex(&whole));
    }

    #[test]
    fn replaces_the_output_copies_static_files_and_writes_the_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        fs::create_dir_all(output.join("stale")).unwrap();
        let static_dir = dir.path().join("static");
        fs::create_dir_all(static_dir.join("img")).unwrap();
        fs::write(static_dir.join("img/a.txt"), "a").unwrap();
        fs::write(static_dir.join("index.html"), "static").unwrap();
        write_site(&output, &[page("index.html", "page")], &[static_dir]).unwrap();
        assert_eq!(fs::read_to_string(output.join("img/a.txt")).unwrap(), "a");
        assert_eq!(
            fs::read_to_string(output.join("index.html")).unwrap(),
            "page"
        );
        assert!(!output.join("stale").exists());
        let manifest = Manifest::read(&output.join(MANIFEST)).unwrap();
        let names: Vec<&str> = manifest.files.keys().map(String::as_str).collect();
        assert_eq!(names, ["img/a.txt", "index.html"]);
        assert_eq!(entries(dir.path()), ["public", "static"]);
    }

    #[test]
    fn a_killed_builds_staging_folder_is_removed_and_foreign_folders_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        // what a killed build leaves: a marked staging folder of a process that is gone
        let dead = dir.path().join(".karnameh-staging-dead");
        fs::create_dir_all(dead.join("1400")).unwrap();
        let marker = format!("output={}\npid=4000000000\n", output.display());
        fs::write(dead.join(MARKER), marker).unwrap();
        // folders karnameh did not make, even with similar names, stay
        for keep in [".public.old", ".karnameh-staging-unmarked"] {
            fs::create_dir_all(dir.path().join(keep)).unwrap();
        }
        // a swap cut short: a staged or replaced site whose marker was already taken out
        let swapped = dir.path().join(".karnameh-staging-swapped");
        fs::create_dir_all(&swapped).unwrap();
        fs::write(swapped.join(MANIFEST), "{}").unwrap();
        write_site(&output, &[page("index.html", "x")], &[]).unwrap();
        assert_eq!(
            entries(dir.path()),
            [".karnameh-staging-unmarked", ".public.old", "public"]
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_static_link_out_of_its_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let static_dir = dir.path().join("static");
        fs::create_dir_all(&static_dir).unwrap();
        fs::write(dir.path().join("secret.txt"), "s").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), static_dir.join("s.txt"))
            .unwrap();
        let err = write_site(
            &dir.path().join("public"),
            &[],
            std::slice::from_ref(&static_dir),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("symbolic link"), "{err}");
        assert!(!dir.path().join("public").exists());
        // a link inside the folder is copied as the file it names
        fs::remove_file(static_dir.join("s.txt")).unwrap();
        fs::write(static_dir.join("real.txt"), "r").unwrap();
        std::os::unix::fs::symlink(static_dir.join("real.txt"), static_dir.join("l.txt")).unwrap();
        write_site(&dir.path().join("public"), &[], &[static_dir]).unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join("public/l.txt")).unwrap(),
            "r"
        );
    }
}
