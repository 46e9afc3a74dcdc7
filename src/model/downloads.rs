//! The links to generated files: what a page says about each download (format, size, name).

use super::{DownloadModel, PdfLink};
use crate::export::TableFiles;
use crate::routes::{DataFormat, Route};

/// The link to one generated file (its URL is made for each page that links it).
pub(super) fn download(
    route: Route,
    label: &'static str,
    media_type: &'static str,
    bytes: &[u8],
) -> DownloadModel {
    DownloadModel {
        label,
        name: route.download_name().unwrap_or_default(),
        route,
        media_type,
        bytes: bytes.len() as u64,
    }
}

/// The links to a table's files, in the order the page offers them.
pub(super) fn table_downloads(year: u32, files: Option<&TableFiles>) -> Vec<DownloadModel> {
    let Some(files) = files else {
        return Vec::new();
    };
    DataFormat::ALL
        .into_iter()
        .map(|format| {
            let route = Route::TableFile(year, files.id.clone(), format);
            download(
                route,
                format.label(),
                format.media_type(),
                files.bytes(format),
            )
        })
        .collect()
}

/// The link to a year's printed edition of `pages` pages.
pub fn pdf_link(year: u32, bytes: &[u8], pages: usize) -> PdfLink {
    PdfLink {
        file: download(Route::Pdf(year), "PDF", "application/pdf", bytes),
        pages,
    }
}
