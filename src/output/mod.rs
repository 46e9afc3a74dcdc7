//! The output folder: which folder a build may replace (`guard`), the manifest that marks it
//! as karnameh's (`manifest`), and writing it atomically (`write`).

pub mod guard;
pub mod manifest;
pub mod write;

pub use guard::check_output;
pub use manifest::{MANIFEST, Manifest};
pub use write::{
    EarlierOutput, OutputFile, StagedFile, Staging, TakenFiles, read_static, write_site,
};
