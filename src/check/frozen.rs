//! A frozen year's content against its archive: any file edited, added or removed since the
//! year was archived is a structural error, so that `build` stops before an old year's data
//! changes unnoticed. The archive's own hashes are checked too.

use crate::archive::{Difference, archived_fingerprints, differences};
use crate::diagnostics::{Finding, Place, Rule};
use crate::load::LoadedYear;
use std::path::Path;
use std::sync::Arc;

pub fn check(year: &LoadedYear, out: &mut Vec<Finding>) {
    let Some(frozen) = &year.frozen else { return };
    let y = year.meta.year;
    let archive = frozen.archive_path.display();
    for broken in frozen.archive.check() {
        let message = format!(
            "the archive {archive} is damaged ({broken}): restore it from a copy; `karnameh verify` names every file"
        );
        out.push(finding(y, &frozen.archive_path, message));
    }
    let archived = archived_fingerprints(&frozen.archive, &frozen.content_prefix);
    for difference in differences(&archived, &frozen.current) {
        let (path, what) = match &difference {
            Difference::Changed(p) => (p, "was edited"),
            Difference::Missing(p) => (p, "was removed"),
            Difference::Unexpected(p) => (p, "was added"),
        };
        let message = format!(
            "year {y} is frozen and this file {what} since it was archived in {archive}: restore it (the archive's source/{path} holds the published file), or set `frozen = false` in year.toml and archive the year again"
        );
        out.push(finding(y, &frozen.root.join(path), message));
    }
}

fn finding(year: u32, file: &Path, message: String) -> Finding {
    let place = Place {
        year,
        file: Arc::from(file),
    };
    Finding::new(Rule::Frozen, &place, 1, 0, message)
}
