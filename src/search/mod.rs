//! Built-in search, offline and in Persian. At build time each year gets an index (`index`) of
//! its pages, section titles, table captions, column labels and every table row, with the
//! texts folded by `fold`; in the browser a small client (`assets/search/search.js`, written
//! as `search.js` at the site root) folds the query the same way and answers as the reader
//! types. Both are plain scripts, so search works from `file://` and under any sub-path: every
//! address in them is a link made by `Routes` from the file that holds it (the client's to the
//! indexes and search pages, an index's to its pages), which the client resolves against that
//! file's own address.

pub mod fold;
mod index;

use crate::config::DigitStyle;
use crate::numfmt::localize_digits;
use crate::routes::{Route, Routes};
use anyhow::{Result, anyhow};
use serde::Serialize;
use std::sync::OnceLock;

pub use index::{FORMAT, YearIndex};

/// The client as written, readable; the build ships it minified.
pub const CLIENT_SOURCE: &str = include_str!("../../assets/search/search.js");

/// The name the client's last line passes its settings under; the build writes them there.
const SETTINGS: &str = "KARNAMEH_SEARCH_SETTINGS";

/// What the client is told about the site.
#[derive(Serialize)]
struct Settings {
    digits: DigitStyle,
    years: Vec<YearSettings>,
}

#[derive(Serialize)]
struct YearSettings {
    year: u32,
    /// The year as pages print it.
    label: String,
    /// Links from the client.
    index: String,
    page: String,
}

/// The client script for a site of `years`, minified, with its settings written in.
pub fn client_script(routes: &Routes, years: &[u32], digits: DigitStyle) -> Result<String> {
    let here = Route::SearchClient;
    let settings = Settings {
        digits,
        years: years
            .iter()
            .map(|&year| YearSettings {
                year,
                label: localize_digits(&year.to_string(), digits),
                index: routes.link(&here, &Route::SearchIndex(year)),
                page: routes.link(&here, &Route::Search(year)),
            })
            .collect(),
    };
    let minified = minified_client()?;
    Ok(minified.replacen(SETTINGS, &serde_json::to_string(&settings)?, 1))
}

/// The client minified once per run (it is the same for every site).
fn minified_client() -> Result<&'static str> {
    static MINIFIED: OnceLock<Result<String, String>> = OnceLock::new();
    let minified = MINIFIED.get_or_init(|| {
        let code = minifier::js::minify(CLIENT_SOURCE)
            .map_err(|e| format!("the search client does not minify: {e}"))?
            .to_string();
        if code.matches(SETTINGS).count() == 1 {
            Ok(code)
        } else {
            Err(format!("the search client must name {SETTINGS} once"))
        }
    });
    minified.as_deref().map_err(|e| anyhow!("{e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_gets_its_settings_and_loses_its_comments() {
        let routes = Routes::new("/reports/", true);
        let script = client_script(&routes, &[1400, 1401], DigitStyle::Persian).unwrap();
        assert!(!script.contains(SETTINGS) && !script.contains("// "));
        assert!(
            script.contains(r#"{"digits":"persian","years":[{"year":1400,"label":"۱۴۰۰","index":"1400/search/index.js","page":"1400/search/index.html"},"#),
            "{script}"
        );
        let absolute =
            client_script(&Routes::new("/reports/", false), &[1400], DigitStyle::Latin).unwrap();
        assert!(
            absolute.contains(
                r#""index":"/reports/1400/search/index.js","page":"/reports/1400/search/"}"#
            ),
            "{absolute}"
        );
        assert!(script.len() < CLIENT_SOURCE.len() * 3 / 4);
    }
}
