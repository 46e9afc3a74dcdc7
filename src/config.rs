//! `site.toml`: site-wide settings, refusing unknown keys.

use crate::source::parse_file;
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

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct SiteConfig {
    pub title: String,
    pub organization: String,
    /// Where the site is published; its path (`/reports/`) prefixes absolute links (the 404
    /// page's always, every page's when `relative_urls` is off).
    pub base_url: String,
    /// Pages link to each other, to their stylesheet and to their fonts relatively, so that the
    /// site (or one year's folder) works from disk, under any sub-path and after being moved.
    pub relative_urls: bool,
    pub language: String,
    pub theme: String,
    pub output_dir: PathBuf,
    pub digits: DigitStyle,
    /// Whether Markdown may link to other hosts (images from other hosts are never allowed:
    /// the site makes no outside request).
    pub allow_external_links: bool,
    /// Whether every table is offered as CSV, XLSX and JSON, and each year as a data package.
    pub downloads: bool,
    /// Whether `build` also typesets each year as a PDF, linked from the year's page.
    pub pdf: bool,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "کارنامه".to_string(),
            organization: String::new(),
            base_url: "/".to_string(),
            relative_urls: true,
            language: "fa".to_string(),
            theme: "default".to_string(),
            output_dir: PathBuf::from("public"),
            digits: DigitStyle::Persian,
            allow_external_links: false,
            downloads: true,
            pdf: false,
        }
    }
}

impl SiteConfig {
    pub fn load(path: &Path) -> Result<SiteConfig> {
        let config: SiteConfig = parse_file(path)?;
        config.check(path)?;
        Ok(config)
    }

    fn check(&self, path: &Path) -> Result<()> {
        let fail =
            |key: &str, message: String| anyhow::anyhow!("{}: {key}: {message}", path.display());
        if self.language != "fa" {
            return Err(fail(
                "language",
                format!("`{}` is not supported (only `fa`)", self.language),
            ));
        }
        base_path(&self.base_url).map_err(|e| fail("base-url", e.to_string()))?;
        check_theme_name(&self.theme).map_err(|e| fail("theme", e))?;
        check_output_dir(&self.output_dir).map_err(|e| fail("output-dir", e))?;
        Ok(())
    }

    /// The path part of `base_url`, always starting and ending with `/`.
    pub fn base_path(&self) -> String {
        base_path(&self.base_url).unwrap_or_else(|_| "/".to_string())
    }
}

/// A theme is a folder directly under `themes/`: a plain name, never a path.
fn check_theme_name(theme: &str) -> Result<(), String> {
    let plain = !theme.is_empty()
        && theme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if plain {
        Ok(())
    } else {
        Err(format!(
            "`{}` must be the name of a folder under themes/ (ASCII letters, digits, `-`, `_`), not a path",
            theme.escape_debug()
        ))
    }
}

/// The output folder is replaced on every build: it can never be the site folder itself.
fn check_output_dir(dir: &Path) -> Result<(), String> {
    let names_the_root = dir
        .components()
        .all(|c| matches!(c, std::path::Component::CurDir));
    if names_the_root {
        return Err(format!(
            "`{}` names the site folder itself, which a build would replace: use a folder of its own, e.g. \"public\"",
            dir.display()
        ));
    }
    Ok(())
}

/// `https://portal.example/reports` → `/reports/`; `/` → `/`; `/a/b` → `/a/b/`.
pub fn base_path(base_url: &str) -> Result<String> {
    let after_scheme = match base_url.split_once("://") {
        Some((scheme, rest)) => {
            if scheme != "http" && scheme != "https" {
                bail!(
                    "`{base_url}` must start with http:// or https://, or be a path starting with /"
                );
            }
            rest.find('/').map_or("", |i| &rest[i..])
        }
        None if base_url.starts_with('/') => base_url,
        None => {
            let fix = if base_url.split('/').next().is_some_and(|h| h.contains('.')) {
                format!("https://{base_url}")
            } else {
                format!("/{base_url}")
            };
            bail!("`{base_url}` has no scheme and is not a path: write `{fix}`");
        }
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
    use crate::source::parse_toml;

    #[test]
    fn base_path_keeps_only_the_sub_path() {
        assert_eq!(
            base_path("https://portal.example/reports/").unwrap(),
            "/reports/"
        );
        assert_eq!(base_path("https://portal.example").unwrap(), "/");
        assert_eq!(base_path("/").unwrap(), "/");
        assert_eq!(base_path("/a/b").unwrap(), "/a/b/");
        assert!(base_path("ftp://x/").is_err());
        assert!(base_path("/a?b").is_err());
    }

    #[test]
    fn a_base_url_without_scheme_is_refused_with_the_fix() {
        let err = base_path("portal.example/reports/")
            .unwrap_err()
            .to_string();
        assert!(err.contains("`https://portal.example/reports/`"), "{err}");
        let err = base_path("reports").unwrap_err().to_string();
        assert!(err.contains("`/reports`"), "{err}");
    }

    #[test]
    fn theme_must_be_a_plain_name_and_output_dir_not_the_root() {
        assert!(check_theme_name("default").is_ok());
        for bad in ["", "../x", "/etc", "a/b", "."] {
            assert!(check_theme_name(bad).is_err(), "{bad}");
        }
        for bad in ["", ".", "./", "./."] {
            assert!(check_output_dir(Path::new(bad)).is_err(), "{bad:?}");
        }
        assert!(check_output_dir(Path::new("public")).is_ok());
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
