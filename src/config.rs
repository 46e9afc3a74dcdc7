//! `site.toml`: site-wide settings, refusing unknown keys.

use crate::load::parse_toml;
use anyhow::{Result, bail};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// How numbers are written on the site.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DigitStyle {
    #[default]
    Persian,
    Latin,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct SiteConfig {
    pub title: String,
    pub organization: String,
    /// Where the site is published; its path (`/reports/`) prefixes every link.
    pub base_url: String,
    pub language: String,
    pub theme: String,
    pub output_dir: PathBuf,
    pub digits: DigitStyle,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "کارنامه".to_string(),
            organization: String::new(),
            base_url: "/".to_string(),
            language: "fa".to_string(),
            theme: "default".to_string(),
            output_dir: PathBuf::from("public"),
            digits: DigitStyle::Persian,
        }
    }
}

impl SiteConfig {
    pub fn load(path: &Path) -> Result<SiteConfig> {
        let source = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
        let config: SiteConfig = parse_toml(path, &source)?;
        config.check(path)?;
        Ok(config)
    }

    fn check(&self, path: &Path) -> Result<()> {
        if self.language != "fa" {
            bail!(
                "{}: language `{}` is not supported (only `fa`)",
                path.display(),
                self.language
            );
        }
        base_path(&self.base_url)
            .map_err(|e| anyhow::anyhow!("{}: base-url: {e}", path.display()))?;
        Ok(())
    }

    /// The path part of `base_url`, always starting and ending with `/`.
    pub fn base_path(&self) -> String {
        base_path(&self.base_url).unwrap_or_else(|_| "/".to_string())
    }
}

/// `https://portal.example/reports` → `/reports/`; `/` → `/`; `reports` → `/reports/`.
pub fn base_path(base_url: &str) -> Result<String> {
    let after_scheme = match base_url.split_once("://") {
        Some((scheme, rest)) => {
            if scheme != "http" && scheme != "https" {
                bail!("`{base_url}` must be http(s):// or a path");
            }
            rest.find('/').map_or("", |i| &rest[i..])
        }
        None => base_url,
    };
    if after_scheme.contains(['?', '#', ' ']) {
        bail!("`{base_url}` must not contain a query, fragment or space");
    }
    let trimmed = after_scheme.trim_matches('/');
    Ok(if trimmed.is_empty() {
        "/".to_string()
    } else {
        format!("/{trimmed}/")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_keeps_only_the_sub_path() {
        assert_eq!(
            base_path("https://portal.example/reports/").unwrap(),
            "/reports/"
        );
        assert_eq!(base_path("https://portal.example").unwrap(), "/");
        assert_eq!(base_path("/").unwrap(), "/");
        assert_eq!(base_path("a/b").unwrap(), "/a/b/");
        assert!(base_path("ftp://x/").is_err());
        assert!(base_path("/a?b").is_err());
    }

    #[test]
    fn unknown_key_is_refused_with_its_name_and_line() {
        let err =
            parse_toml::<SiteConfig>(Path::new("site.toml"), "title = \"x\"\nbase-ulr = \"/\"\n")
                .unwrap_err()
                .to_string();
        assert!(err.contains("site.toml:2"), "{err}");
        assert!(err.contains("base-ulr"), "{err}");
    }
}
