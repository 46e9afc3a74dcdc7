//! `karnameh check`: load and check the content, without writing anything.

use crate::diagnostics::Finding;
use crate::pipeline::{CheckedSite, load_site};
use anyhow::Result;
use std::path::Path;

/// Every finding of the site at `root`, year by year.
pub fn check(root: &Path) -> Result<Vec<Finding>> {
    let checked = CheckedSite::check(load_site(root, None)?);
    Ok(checked.findings().cloned().collect())
}
