//! `.karnameh-output`: the list of every file a build wrote, with its SHA-256. It marks a
//! folder as karnameh's to replace, and lets anyone verify a published copy. Deterministic:
//! sorted by path, no timestamps.

use crate::config::SiteConfig;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

/// The manifest's file name, at the root of every output.
pub const MANIFEST: &str = ".karnameh-output";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Always `karnameh`: what wrote the folder.
    pub generator: String,
    /// The karnameh version that wrote it.
    pub version: String,
    /// An archive's year (`karnameh archive`); absent from a build's output manifest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<u32>,
    /// An archive's site settings, as its year was built with them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<SiteConfig>,
    /// Path (relative, `/`-separated) → lowercase hex SHA-256 of its bytes.
    pub files: BTreeMap<String, String>,
    /// Path → the key of what the file was made from (downloads only): a later build of the
    /// same inputs by the same program takes the file rather than make it again.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub inputs: BTreeMap<String, String>,
}

impl Manifest {
    /// The manifest of `files`: (relative path, bytes).
    pub fn of<'a>(files: impl IntoIterator<Item = (String, &'a [u8])>) -> Manifest {
        Manifest::from_hashes(
            files
                .into_iter()
                .map(|(path, bytes)| (path, sha256_hex(bytes)))
                .collect(),
        )
    }

    /// The manifest of files whose hashes are already known: path → hex SHA-256.
    pub fn from_hashes(files: BTreeMap<String, String>) -> Manifest {
        Manifest {
            generator: "karnameh".to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            year: None,
            settings: None,
            files,
            inputs: BTreeMap::new(),
        }
    }

    /// The manifest at `path`, or `None` when there is none or it is not karnameh's.
    pub fn read(path: &Path) -> Option<Manifest> {
        let text = std::fs::read_to_string(path).ok()?;
        serde_json::from_str::<Manifest>(&text)
            .ok()
            .filter(|m| m.generator == "karnameh")
    }

    pub fn lists(&self, relative: &str) -> bool {
        self.files.contains_key(relative)
    }

    pub fn to_json(&self) -> String {
        // a BTreeMap of strings always serializes
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// `dir/a/b.html` → `a/b.html`, with `/` whatever the platform.
pub fn relative_name(path: &Path, dir: &Path) -> String {
    let relative = path.strip_prefix(dir).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_is_sorted_hashed_and_reads_back() {
        let files = [
            ("b/index.html".to_string(), b"b".as_slice()),
            ("a.css".to_string(), b"".as_slice()),
        ];
        let manifest = Manifest::of(files);
        let json = manifest.to_json();
        assert!(json.find("a.css").unwrap() < json.find("b/index.html").unwrap());
        // SHA-256 of the empty string
        assert!(json.contains("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(MANIFEST), &json).unwrap();
        assert_eq!(Manifest::read(&dir.path().join(MANIFEST)), Some(manifest));
        std::fs::write(dir.path().join(MANIFEST), "{}").unwrap();
        assert_eq!(Manifest::read(&dir.path().join(MANIFEST)), None);
    }
}
