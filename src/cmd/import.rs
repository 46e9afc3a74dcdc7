//! `karnameh import`: a spreadsheet's figures into a table's rows (printed, or written with
//! `--write`).

use crate::import::{ImportOptions, ImportReport, import};
use crate::pipeline::load_site;
use anyhow::Result;

pub fn run(options: &ImportOptions) -> Result<ImportReport> {
    let site = load_site(&options.root, None)?;
    import(&site, options)
}
