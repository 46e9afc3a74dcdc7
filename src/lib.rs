//! karnameh: a static site generator for annual performance reports, in Persian, right to left.
//!
//! The pipeline, one module per stage: [`config`] → [`load`] → [`validate`] → [`model`] →
//! [`render`] → [`write`], driven by [`build`].

pub mod build;
pub mod charts;
pub mod config;
pub mod content;
pub mod links;
pub mod lint;
pub mod load;
pub mod markdown;
pub mod model;
pub mod numfmt;
pub mod output;
pub mod render;
pub mod report;
pub mod source;
pub mod validate;
