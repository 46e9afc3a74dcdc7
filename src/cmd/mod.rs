//! One module per command: options in, the pipeline run, a summary out. `main` parses the
//! command line and prints.

pub mod archive;
pub mod build;
pub mod check;
pub mod import;
pub mod new;
pub mod verify;
