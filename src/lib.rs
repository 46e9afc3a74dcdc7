//! karnameh: a static site generator for annual performance reports, in Persian, right to left.
//!
//! Data flows one way: [`source`] (TOML text) → [`content`] (the format) → [`load`] →
//! [`check`] → [`charts`] → [`export`] (the downloads) → [`model`] → [`render`] → [`output`];
//! [`pdf`] typesets the same model as the printed edition, in the faces of [`fonts`].
//! [`pipeline`] runs the stages and keeps their outputs in [`state`] so that one changed file
//! can be rebuilt alone; [`routes`] gives every URL and output path; [`diagnostics`] is what
//! checks report; [`search`] writes each year's search index and the client that reads it;
//! [`archive`] is the format of a year's archive, [`scaffold`] starts next
//! year's content, [`import`] reads spreadsheets back into a table's rows. The commands in
//! [`cmd`] are thin; [`serve`] is the reviewers' loop (live rebuild and reload).

pub mod archive;
pub mod charts;
pub mod check;
pub mod cmd;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod export;
pub mod fonts;
pub mod ids;
pub mod import;
pub mod load;
pub mod markdown;
pub mod model;
pub mod numfmt;
pub mod output;
pub mod pdf;
pub mod pipeline;
pub mod render;
pub mod report;
pub mod routes;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod source;
pub mod state;
