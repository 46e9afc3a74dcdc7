//! Downloads taken from an earlier build instead of made again. A table's files are a function
//! of what [`TableContext`] and the [`Table`] hold, and of the program that writes them: their
//! key hashes exactly those (the content as serialised, and this executable's version, size
//! and modification time), so an earlier file with the same key is the file making it again
//! would give. Making the 1400 report's 96 workbooks costs more than every page of it.

use super::{TableContext, TableFiles, table_file};
use crate::content::{Table, YearMeta};
use crate::load::{LoadedSection, LoadedYear};
use crate::routes::{DataFormat, Route};
use anyhow::Result;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// Files an earlier build left, as far as they can be trusted.
pub trait EarlierDownloads: Sync {
    /// The bytes an earlier build wrote at `route`, unchanged since then; with `made_from`,
    /// only if that build made them from inputs of that key, and they are then taken as the
    /// file itself (without, as what it is made again from).
    fn file(&self, route: &Route, made_from: Option<&str>) -> Option<Vec<u8>>;
}

/// No earlier build: every file is made.
pub struct NoEarlierDownloads;

impl EarlierDownloads for NoEarlierDownloads {
    fn file(&self, _route: &Route, _made_from: Option<&str>) -> Option<Vec<u8>> {
        None
    }
}

/// What every table of a year is made with besides itself: the program and the year's
/// metadata, hashed once.
#[derive(Debug, Clone)]
pub struct YearInputs {
    hash: Option<Sha256>,
}

impl YearInputs {
    pub fn of(meta: &YearMeta) -> YearInputs {
        let hash = program().map(|program| {
            let mut hash = Sha256::new();
            hash.update(program.as_bytes());
            hash.update(b"\0");
            // a serialisation to a hasher cannot fail but for a non-string map key, which
            // the content has none of; failing, the key is still the program's and the meta's
            let _ = serde_json::to_writer(HashWriter(&mut hash), meta);
            hash
        });
        YearInputs { hash }
    }

    /// The key of `table`'s files: the program, the year's metadata, the section's title and
    /// page, and the table. `None` when the program is unknown.
    pub fn key(&self, context: &TableContext, table: &Table) -> Option<String> {
        let mut hash = self.hash.clone()?;
        hash.update(b"\0");
        hash.update(context.section_title.as_bytes());
        hash.update(b"\0");
        hash.update(context.section_page.to_le_bytes());
        serde_json::to_writer(HashWriter(&mut hash), table).ok()?;
        Some(format!("{:x}", hash.finalize()))
    }

    /// The key of the year's data package: its tables' keys in order (the package holds their
    /// files and the year's metadata, which each key covers). `None` when one is unknown.
    pub fn package_key<'k>(
        &self,
        table_keys: impl IntoIterator<Item = Option<&'k str>>,
    ) -> Option<String> {
        let mut hash = self.hash.clone()?;
        hash.update(b"\0package");
        for key in table_keys {
            hash.update(b"\0");
            hash.update(key?.as_bytes());
        }
        Some(format!("{:x}", hash.finalize()))
    }
}

/// This executable, as precisely as its file tells it: a rebuilt karnameh writes its files
/// afresh. `None` when the file cannot be read.
fn program() -> Option<&'static str> {
    static PROGRAM: OnceLock<Option<String>> = OnceLock::new();
    PROGRAM
        .get_or_init(|| {
            let exe = std::env::current_exe().ok()?;
            let meta = std::fs::metadata(exe).ok()?;
            let modified = meta
                .modified()
                .ok()?
                .duration_since(std::time::UNIX_EPOCH)
                .ok()?;
            Some(format!(
                "karnameh {} {} {}",
                env!("CARGO_PKG_VERSION"),
                meta.len(),
                modified.as_nanos()
            ))
        })
        .as_deref()
}

struct HashWriter<'a>(&'a mut Sha256);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Earlier files read while the content is still being checked: taking a file needs only its
/// table's key and the earlier output (making one needs checked content), and reading and
/// hashing them is most of a rebuild's downloads stage. Each file read ahead is handed out once,
/// for the key it was read for; any other is asked of the earlier output then.
pub struct ReadAhead<'a> {
    read: Mutex<HashMap<Route, (String, Vec<u8>)>>,
    earlier: &'a dyn EarlierDownloads,
}

impl<'a> ReadAhead<'a> {
    /// Reads from `earlier` every download of `years` made from the inputs they have now, and
    /// each year's package when all its files are there.
    pub fn read(years: &[LoadedYear], earlier: &'a dyn EarlierDownloads) -> ReadAhead<'a> {
        let read = years
            .par_iter()
            .flat_map_iter(|year| year_ahead(year, earlier))
            .collect();
        ReadAhead {
            read: Mutex::new(read),
            earlier,
        }
    }
}

impl EarlierDownloads for ReadAhead<'_> {
    fn file(&self, route: &Route, made_from: Option<&str>) -> Option<Vec<u8>> {
        if let (Some(key), Ok(mut read)) = (made_from, self.read.lock())
            && read.get(route).is_some_and(|(read_for, _)| read_for == key)
        {
            return read.remove(route).map(|(_, bytes)| bytes);
        }
        self.earlier.file(route, made_from)
    }
}

/// The files of `year` that `earlier` holds made from its inputs, by route with their key.
fn year_ahead(
    year: &LoadedYear,
    earlier: &dyn EarlierDownloads,
) -> Vec<(Route, (String, Vec<u8>))> {
    let inputs = YearInputs::of(&year.meta);
    let tables: Vec<(TableContext, &Table)> = year
        .sections
        .iter()
        .flat_map(|s| {
            let context = TableContext::new(&year.meta, &s.data);
            s.data.tables.iter().map(move |t| (context, t))
        })
        .collect();
    let keys: Vec<Option<String>> = tables
        .par_iter()
        .map(|(context, table)| inputs.key(context, table))
        .collect();
    let mut read: Vec<(Route, (String, Vec<u8>))> = tables
        .par_iter()
        .zip(&keys)
        .flat_map_iter(|((_, table), key)| {
            let key = key.as_deref();
            DataFormat::ALL.into_iter().filter_map(move |format| {
                let route = Route::TableFile(year.meta.year, table.id.clone(), format);
                let bytes = earlier.file(&route, Some(key?))?;
                Some((route, (key?.to_string(), bytes)))
            })
        })
        .collect();
    let package = inputs.package_key(keys.iter().map(Option::as_deref));
    if let (true, Some(key)) = (read.len() == tables.len() * DataFormat::ALL.len(), package) {
        let route = Route::DataPackage(year.meta.year);
        if let Some(bytes) = earlier.file(&route, Some(&key)) {
            read.push((route, (key, bytes)));
        }
    }
    read
}

/// The files of every table of `section`, in parallel, each with the formats taken from
/// `earlier` (see [`table_files`]).
pub fn section_files(
    meta: &YearMeta,
    section: &LoadedSection,
    inputs: &YearInputs,
    earlier: &dyn EarlierDownloads,
) -> Result<Vec<(TableFiles, Vec<DataFormat>)>> {
    let context = TableContext::new(meta, &section.data);
    section
        .data
        .tables
        .par_iter()
        .map(|t| table_files(&context, t, inputs, earlier))
        .collect()
}

/// A table's three files, each taken from `earlier` when it holds it made from the same
/// inputs; with the formats taken.
fn table_files(
    context: &TableContext,
    table: &Table,
    inputs: &YearInputs,
    earlier: &dyn EarlierDownloads,
) -> Result<(TableFiles, Vec<DataFormat>)> {
    let made_from = inputs.key(context, table);
    let mut taken = Vec::new();
    let mut file = |format: DataFormat| -> Result<Vec<u8>> {
        let route = Route::TableFile(context.meta.year, table.id.clone(), format);
        match made_from
            .as_deref()
            .and_then(|key| earlier.file(&route, Some(key)))
        {
            Some(bytes) => {
                taken.push(format);
                Ok(bytes)
            }
            None => table_file(context, table, format),
        }
    };
    let files = TableFiles {
        id: table.id.clone(),
        csv: file(DataFormat::Csv)?,
        xlsx: file(DataFormat::Xlsx)?,
        json: file(DataFormat::Json)?,
        made_from,
    };
    Ok((files, taken))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::SectionFile;

    fn section() -> SectionFile {
        toml::from_str(
            r#"
            title = "بخش"
            page = 7
            [[tables]]
            id = "T001"
            kind = "list"
            caption = "جدول"
            columns = [{ key = "plan", label = "برنامه" }]
            rows = [{ label = ["تهران"], values = [12] }]
            "#,
        )
        .unwrap()
    }

    fn meta() -> YearMeta {
        toml::from_str(
            r#"
            year = 1400
            title = "گزارش"
            organization = "سازمان"
            publisher = "سازمان"
            published = "۱۴۰۱"
            "#,
        )
        .unwrap()
    }

    #[test]
    fn the_key_changes_with_every_input_and_only_with_them() {
        let (meta, section) = (meta(), section());
        let key = |meta: &YearMeta, section: &SectionFile| {
            let context = TableContext::new(meta, section);
            YearInputs::of(meta)
                .key(&context, &section.tables[0])
                .expect("the test binary can be read")
        };
        let first = key(&meta, &section);
        assert_eq!(first, key(&meta.clone(), &section.clone()), "same inputs");
        let mut value = section.clone();
        value.tables[0].rows[0].get_mut().values[0] = crate::content::Cell::Integer(13);
        let mut page = section.clone();
        page.page = 8;
        let mut title = section.clone();
        title.title = "بخش دیگر".to_string();
        let mut publisher = meta.clone();
        publisher.publisher = "ناشر".to_string();
        let keys = [
            key(&meta, &value),
            key(&meta, &page),
            key(&meta, &title),
            key(&publisher, &section),
        ];
        for (i, other) in keys.iter().enumerate() {
            assert_ne!(&first, other, "input {i} changed");
        }
    }

    #[test]
    fn the_package_key_follows_its_tables_keys_in_order() {
        let meta = meta();
        let inputs = YearInputs::of(&meta);
        let key = |keys: &[Option<&str>]| inputs.package_key(keys.iter().copied());
        let both = key(&[Some("a"), Some("b")]).expect("the test binary can be read");
        assert_eq!(Some(&both), key(&[Some("a"), Some("b")]).as_ref());
        assert_ne!(Some(&both), key(&[Some("b"), Some("a")]).as_ref(), "order");
        assert_ne!(Some(&both), key(&[Some("a")]).as_ref(), "a table fewer");
        assert_ne!(Some(&both), key(&[Some("ab")]).as_ref(), "keys kept apart");
        assert_eq!(key(&[Some("a"), None]), None, "a table of unknown inputs");
        let mut other = meta.clone();
        other.title = "گزارش دیگر".to_string();
        let empty = YearInputs::of(&other).package_key([]);
        assert_ne!(key(&[]), empty, "the year's metadata");
    }

    /// Every earlier file there, made from any inputs; counting how often it was asked.
    #[derive(Default)]
    struct Counted(std::sync::atomic::AtomicUsize);

    impl EarlierDownloads for Counted {
        fn file(&self, route: &Route, _made_from: Option<&str>) -> Option<Vec<u8>> {
            self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Some(format!("{route:?}").into_bytes())
        }
    }

    fn year() -> LoadedYear {
        let data = section();
        LoadedYear {
            dir: "content/1400".into(),
            meta: meta(),
            meta_path: std::path::Path::new("content/1400/year.toml").into(),
            meta_text: String::new(),
            meta_lines: Default::default(),
            sections: vec![LoadedSection {
                path: std::path::Path::new("content/1400/01.toml").into(),
                slug: "section".to_string(),
                text: String::new(),
                lines: Default::default(),
                data,
            }],
            frozen: None,
        }
    }

    #[test]
    fn a_file_read_ahead_is_handed_out_once_for_its_key() {
        let (year, earlier) = (year(), Counted::default());
        let asked = || earlier.0.load(std::sync::atomic::Ordering::Relaxed);
        let ahead = ReadAhead::read(std::slice::from_ref(&year), &earlier);
        assert_eq!(asked(), 4, "the table's three files, then the package");
        let context = TableContext::new(&year.meta, &year.sections[0].data);
        let key = YearInputs::of(&year.meta)
            .key(&context, &year.sections[0].data.tables[0])
            .unwrap();
        let route = Route::TableFile(
            1400,
            year.sections[0].data.tables[0].id.clone(),
            DataFormat::Csv,
        );
        assert_eq!(
            ahead.file(&route, Some(&key)).unwrap(),
            format!("{route:?}").into_bytes()
        );
        assert_eq!(asked(), 4, "read already");
        ahead.file(&route, Some(&key)).unwrap();
        assert_eq!(
            asked(),
            5,
            "handed out once: asked of the earlier output again"
        );
        let json = Route::TableFile(
            1400,
            year.sections[0].data.tables[0].id.clone(),
            DataFormat::Json,
        );
        ahead.file(&json, Some("another key")).unwrap();
        ahead.file(&json, None).unwrap();
        assert_eq!(asked(), 7, "read for another key, or asked for without one");
    }

    /// Earlier files that hold a marker, to tell taken files from made ones.
    struct Marked(&'static str);

    impl EarlierDownloads for Marked {
        fn file(&self, route: &Route, made_from: Option<&str>) -> Option<Vec<u8>> {
            let wanted = matches!(route, Route::TableFile(_, _, DataFormat::Xlsx));
            (wanted && made_from == Some(self.0)).then(|| b"earlier".to_vec())
        }
    }

    #[test]
    fn a_file_is_taken_only_when_its_key_is_the_earlier_files() {
        let (meta, section) = (meta(), section());
        let context = TableContext::new(&meta, &section);
        let table = &section.tables[0];
        let inputs = YearInputs::of(&meta);
        let key = inputs.key(&context, table).unwrap();
        let leaked: &'static str = Box::leak(key.into_boxed_str());
        let (files, taken) = table_files(&context, table, &inputs, &Marked(leaked)).unwrap();
        assert_eq!(taken, [DataFormat::Xlsx]);
        assert_eq!(files.xlsx, b"earlier");
        let (made, _) = table_files(&context, table, &inputs, &NoEarlierDownloads).unwrap();
        assert_eq!(files, {
            let mut made = made.clone();
            made.xlsx = b"earlier".to_vec();
            made
        });
        let (files, taken) = table_files(&context, table, &inputs, &Marked("other")).unwrap();
        assert!(taken.is_empty());
        assert!(files == made);
        assert!(made.xlsx == table_file(&context, table, DataFormat::Xlsx).unwrap());
    }
}
