//! The Typst world of one PDF: the generated document and karnameh's template as in-memory
//! sources, the charts' SVG as in-memory files, the compiled-in Vazirmatn faces as the only
//! fonts. Nothing is read from disk, no package is fetched and there is no clock, so the same
//! document always gives the same pages.

use crate::fonts::{BOLD_TTF, REGULAR_TTF};
use std::collections::HashMap;
use std::sync::OnceLock;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// Where the generated document and the template live in the world.
pub const MAIN_PATH: &str = "/report.typ";
pub const TEMPLATE_PATH: &str = "/karnameh.typ";

/// The template the generated document imports: page, type and table styles and the functions
/// the document calls. It is karnameh's own code, never the content's.
pub const TEMPLATE: &str = include_str!("karnameh.typ");

pub struct ReportWorld {
    main: Source,
    template: Source,
    files: HashMap<FileId, Bytes>,
}

/// A file id of the project root; `path` is one of karnameh's own, never the content's.
pub fn file_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl ReportWorld {
    /// A world whose main file is `document`; `files` are served by path (the charts).
    pub fn new(document: String, files: Vec<(String, Vec<u8>)>) -> Result<ReportWorld, String> {
        let id = |path: &str| file_id(path).ok_or_else(|| format!("`{path}` is not a valid path"));
        let main = Source::new(id(MAIN_PATH)?, document);
        let template = Source::new(id(TEMPLATE_PATH)?, TEMPLATE.to_string());
        // only looked up, never listed: its order cannot reach the PDF
        let mut served = HashMap::new();
        for (path, bytes) in files {
            served.insert(id(&path)?, Bytes::new(bytes));
        }
        Ok(ReportWorld {
            main,
            template,
            files: served,
        })
    }

    pub fn main_source(&self) -> &Source {
        &self.main
    }
}

/// Typst's standard library, built once per process.
fn library() -> &'static LazyHash<Library> {
    static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::default()))
}

/// The two Vazirmatn faces and their book, parsed once per process.
fn fonts() -> &'static (LazyHash<FontBook>, Vec<Font>) {
    static FONTS: OnceLock<(LazyHash<FontBook>, Vec<Font>)> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = [REGULAR_TTF, BOLD_TTF]
            .into_iter()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
    })
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().0
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else if id == self.template.id() {
            Ok(self.template.clone())
        } else {
            Err(not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        match self.files.get(&id) {
            Some(bytes) => Ok(bytes.clone()),
            None => self
                .source(id)
                .map(|s| Bytes::from_string(s.text().to_string())),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().1.get(index).cloned()
    }

    /// No clock: the document's date is given, never "today".
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_without_slash().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_faces_parse_and_share_the_family() {
        assert_eq!(fonts().1.len(), 2, "both compiled-in files parse");
        let book = &fonts().0;
        let families: Vec<&str> = book.families().map(|(name, _)| name).collect();
        assert_eq!(families, ["Vazirmatn"]);
    }

    #[test]
    fn only_the_main_file_the_template_and_given_files_exist() {
        let world = ReportWorld::new(
            "hello".into(),
            vec![("/charts/1.svg".into(), b"<svg/>".to_vec())],
        )
        .unwrap();
        assert_eq!(world.source(world.main()).unwrap().text(), "hello");
        let chart = file_id("/charts/1.svg").unwrap();
        assert_eq!(world.file(chart).unwrap().as_slice(), b"<svg/>");
        assert!(world.file(file_id("/etc/passwd").unwrap()).is_err());
        assert!(world.today(None).is_none());
    }
}
