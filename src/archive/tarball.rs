//! Deterministic tar.gz: entries sorted by path, every header the same but for path and size
//! (mode 0644, owner 0:0 without names, one fixed modification time), gzip without a name or
//! a time. The same files give the same bytes on any machine, whatever their times on disk.

use anyhow::{Context, Result, bail};
use flate2::Compression;
use flate2::read::GzDecoder;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Component, Path};

/// The modification time of every entry: `SOURCE_DATE_EPOCH` when set (the reproducible-builds
/// convention), else 2000-01-01T00:00:00Z.
pub fn entry_time() -> Result<u64> {
    const DEFAULT: u64 = 946_684_800;
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) => text
            .trim()
            .parse()
            .with_context(|| format!("SOURCE_DATE_EPOCH=`{text}` is not a number of seconds")),
        Err(_) => Ok(DEFAULT),
    }
}

/// The tar.gz of `files` (path → bytes; paths relative, `/`-separated).
pub fn write(files: &BTreeMap<String, Vec<u8>>, mtime: u64) -> Result<Vec<u8>> {
    let gzip = flate2::GzBuilder::new()
        .mtime(0)
        .operating_system(255)
        .write(Vec::new(), Compression::best());
    let mut tar = tar::Builder::new(gzip);
    tar.mode(tar::HeaderMode::Deterministic);
    for (path, bytes) in files {
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Regular);
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_uid(0);
        header.set_gid(0);
        header.set_mtime(mtime);
        tar.append_data(&mut header, path, bytes.as_slice())
            .with_context(|| format!("cannot add {path} to the archive"))?;
    }
    let gzip = tar.into_inner().context("cannot finish the archive")?;
    gzip.finish().context("cannot compress the archive")
}

/// The files of a tar.gz, refusing anything but regular files at plain relative paths.
pub fn read(bytes: &[u8]) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut archive = tar::Archive::new(GzDecoder::new(bytes));
    let mut files = BTreeMap::new();
    for entry in archive.entries().context("not a tar.gz archive")? {
        let mut entry = entry.context("a broken archive entry")?;
        let path = entry.path().context("an entry with a broken path")?;
        let name = plain_path(&path)?;
        match entry.header().entry_type() {
            tar::EntryType::Regular => {}
            tar::EntryType::Directory => continue,
            other => {
                bail!("entry {name} is a {other:?}, not a file: karnameh archives hold only files")
            }
        }
        let mut data = Vec::new();
        entry
            .read_to_end(&mut data)
            .with_context(|| format!("cannot read entry {name}"))?;
        if files.insert(name.clone(), data).is_some() {
            bail!("entry {name} is in the archive twice");
        }
    }
    Ok(files)
}

/// `a/b.html`: no root, no `..`, no `.`.
fn plain_path(path: &Path) -> Result<String> {
    let mut parts = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => parts.push(
                part.to_str()
                    .with_context(|| format!("entry {} is not UTF-8", path.display()))?,
            ),
            _ => bail!(
                "entry {} is not a plain relative path: karnameh never writes one",
                path.display()
            ),
        }
    }
    if parts.is_empty() {
        bail!("an entry with an empty path");
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> BTreeMap<String, Vec<u8>> {
        let mut files = BTreeMap::new();
        files.insert("b/index.html".to_string(), b"<p>b</p>".to_vec());
        files.insert("a.css".to_string(), Vec::new());
        let long = format!("{}/x.html", "long-folder-name".repeat(8));
        files.insert(long, b"x".to_vec());
        files
    }

    #[test]
    fn the_same_files_give_the_same_bytes_and_read_back() {
        let first = write(&files(), 946_684_800).unwrap();
        assert_eq!(first, write(&files(), 946_684_800).unwrap());
        assert_ne!(
            first,
            write(&files(), 1).unwrap(),
            "the time is in the headers"
        );
        assert_eq!(read(&first).unwrap(), files());
    }

    #[test]
    fn garbage_is_refused() {
        assert!(read(b"not an archive").is_err());
    }
}
