//! `karnameh serve`: build the site into memory, serve it, and rebuild it on every save.

pub use crate::serve::ServeOptions;
use anyhow::Result;

/// Serves the site at `options.root` until Ctrl-C.
pub fn serve(options: &ServeOptions) -> Result<()> {
    crate::serve::run(options)
}
