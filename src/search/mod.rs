//! Built-in search, offline and in Persian. At build time each year gets an index (`index`) of
//! its pages, section titles, table captions, column labels and every table row, with the
//! texts folded by `fold`; in the browser a small client (`assets/search/search.js`, shipped
//! minified as `search.js` at the site root) folds the query the same way and answers as the
//! reader types. Both are plain scripts, so search works from `file://` and under any sub-path: every
//! address in them is a link made by `Routes` from the file that holds it (the client's to the
//! indexes and search pages, an index's to its pages), which the client resolves against that
//! file's own address.

pub mod fold;
mod index;

use crate::config::DigitStyle;
use crate::numfmt::localize_digits;
use crate::routes::{Route, Routes};
use anyhow::{Result, bail};
use serde::Serialize;

pub use index::{FORMAT, YearIndex};

/// The client as written, readable.
pub const CLIENT_SOURCE: &str = include_str!("../../assets/search/search.js");

/// The client as shipped: `CLIENT_SOURCE` minified by terser (its names shortened, which no
/// Rust minifier does reliably), kept beside it; a test checks that it is up to date.
pub const CLIENT_MINIFIED: &str = include_str!("../../assets/search/search.min.js");

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
    if CLIENT_MINIFIED.matches(SETTINGS).count() != 1 {
        bail!("the search client must name {SETTINGS} once");
    }
    Ok(CLIENT_MINIFIED.replacen(SETTINGS, &serde_json::to_string(&settings)?, 1))
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
