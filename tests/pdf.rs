//! The printed edition: the real 1400 report typeset as a PDF, read back with poppler's
//! `pdftotext`, `pdfinfo`, `pdftohtml` and `pdfimages` and with Typst's laid-out pages; the
//! fixture site for the `pdf` setting and for content the font cannot set.

mod common;
mod printed_report;

use common::*;
use karnameh::content::{Cell, TableId};
use karnameh::pipeline::{CheckedSite, StageTimes, load_site};
use karnameh::state::{ChartsHeld, SiteState};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// What the tests read from the real report's PDF, typeset once in this process.
struct Real {
    _dir: tempfile::TempDir,
    pdf: PathBuf,
    bytes: Vec<u8>,
    /// `pdftotext`'s text of each page, without its direction marks.
    pages: Vec<String>,
    landscape: Vec<bool>,
    warnings: Vec<String>,
    overflows: Vec<karnameh::pdf::frames::Overflow>,
    svg_images: usize,
    raster_images: usize,
    state: SiteState,
}

fn real() -> &'static Real {
    static REAL: OnceLock<Real> = OnceLock::new();
    REAL.get_or_init(|| {
        let checked = CheckedSite::check(load_site(&repo_root(), None).unwrap());
        let state = checked
            .into_state(&mut StageTimes::default(), ChartsHeld::WhenRendered)
            .unwrap();
        let typeset = karnameh::pdf::typeset(&state, 1400, false).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("report-1400.pdf");
        std::fs::write(&pdf, &typeset.pdf).unwrap();
        let document = &typeset.document;
        Real {
            pages: pdftotext(&pdf),
            landscape: document
                .pages()
                .iter()
                .map(|p| p.frame.width() > p.frame.height())
                .collect(),
            warnings: typeset.warnings.clone(),
            overflows: karnameh::pdf::frames::overflows(document),
            svg_images: karnameh::pdf::frames::svg_images(document),
            raster_images: poppler(&["pdfimages", "-list"], &pdf)
                .lines()
                .skip(2)
                .count(),
            bytes: typeset.pdf,
            pdf,
            _dir: dir,
            state,
        }
    })
}

/// Runs a poppler tool on `pdf` (its last argument) and returns what it printed.
fn poppler(command: &[&str], pdf: &Path) -> String {
    poppler_to(command, pdf, &[])
}

fn poppler_to(command: &[&str], pdf: &Path, after: &[&str]) -> String {
    let output = Command::new(command[0])
        .args(&command[1..])
        .arg(pdf)
        .args(after)
        .output()
        .unwrap_or_else(|e| panic!("{} (from poppler-utils): {e}", command[0]));
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output)
}

/// Each page's text; `pdftotext` wraps right-to-left lines in direction marks, left out here.
fn pdftotext(pdf: &Path) -> Vec<String> {
    let text = poppler_to(&["pdftotext", "-enc", "UTF-8"], pdf, &["-"]);
    let clean: String = text
        .chars()
        .filter(|c| !('\u{202A}'..='\u{202E}').contains(c))
        .collect();
    clean.split('\u{c}').map(str::to_string).collect()
}

/// What of `text` `pdftotext` keeps in order: its letters and digits, in logical order, as it
/// reads them from a correct PDF. A glyph that stands for several characters (a lam-alef
/// ligature; a letter with the zero-width non-joiner before it) has them in logical order in
/// the PDF (`to_unicode_maps_are_in_logical_order` checks that), but poppler spreads them over
/// the glyph from left to right and reads right-to-left text from the right, so the pair
/// flips in its output; and it places spaces, punctuation and brackets by its own reading of
/// the bidi rules. A PDF in visual order, or with digits reversed, fails this key.
fn key(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        match (chars[i], chars.get(i + 1)) {
            ('ل', Some(&alef @ ('ا' | 'آ' | 'أ' | 'إ'))) => {
                out.push(alef);
                out.push('ل');
                i += 2;
            }
            (c, _) => {
                if c.is_alphanumeric() {
                    out.push(c);
                }
                i += 1;
            }
        }
    }
    out
}

/// The letters and digits of extracted text, in the order they were extracted.
fn letters(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Runs of white space folded, as titles are spaced in the content.
fn folded(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A page's text as words: figures are found whole.
fn words(text: &str) -> Vec<&str> {
    text.split_whitespace().collect()
}

fn persian(n: usize) -> String {
    karnameh::numfmt::localize_digits(&n.to_string(), karnameh::config::DigitStyle::Persian)
}

/// The (0-based) pages whose text has `text`.
fn pages_with(text: &str) -> Vec<usize> {
    let wanted = key(text);
    (real().pages.iter().enumerate())
        .filter(|(_, page)| letters(page).contains(&wanted))
        .map(|(i, _)| i)
        .collect()
}

/// The (0-based) page a table starts on: the one with its id and printed page under its
/// caption (chart titles and the appendix repeat its caption).
fn table_page(id: &str) -> usize {
    let page = real().state.years[0]
        .model
        .sections
        .iter()
        .flat_map(|s| &s.tables)
        .find(|t| t.id.as_str() == id)
        .unwrap()
        .page;
    let meta = format!("جدول {id}، صفحه {} گزارش چاپی", persian(page as usize));
    let pages = pages_with(&meta);
    assert_eq!(pages.len(), 1, "{meta}");
    pages[0]
}

fn table(id: &str) -> &'static karnameh::content::Table {
    let id = TableId::try_from(id.to_string()).unwrap();
    real().state.years[0]
        .loaded
        .sections
        .iter()
        .flat_map(|s| &s.data.tables)
        .find(|t| t.id == id)
        .unwrap()
}

#[test]
fn the_report_is_typeset_on_a4_pages_without_a_warning() {
    let real = real();
    assert!(real.warnings.is_empty(), "{:?}", real.warnings);
    // 56 sections, each from a new page, 96 tables and their charts (at the site's size, in
    // its narrow layout: a bar or a row of cells per line): over three times the 99 printed
    // pages, which had no charts
    let pages = real.pages.len() - 1;
    assert!((300..=420).contains(&pages), "{pages} pages");
    let info = poppler(&["pdfinfo", "-f", "1", "-l", "999"], &real.pdf);
    let portrait = info.matches("595.276 x 841.89 pts (A4)").count();
    let landscape = info.matches("841.89 x 595.276 pts (A4)").count();
    assert_eq!(portrait + landscape, pages, "every page is A4");
    assert_eq!(landscape, real.landscape.iter().filter(|l| **l).count());
    assert!(landscape > 0, "wide tables are turned");
}

#[test]
fn no_table_or_chart_reaches_past_the_margins() {
    assert_eq!(real().overflows, [], "items wider than their page");
}

#[test]
fn every_caption_is_in_the_text_layer() {
    let all: String = real().pages.iter().map(|p| letters(p)).collect();
    let mut count = 0;
    for section in &real().state.years[0].loaded.sections {
        for t in &section.data.tables {
            assert!(all.contains(&key(&t.caption)), "{}: «{}»", t.id, t.caption);
            count += 1;
        }
    }
    assert_eq!(count, 96);
}

#[test]
fn t044_is_turned_its_header_repeated_and_its_provinces_in_order() {
    let t044 = table("T044");
    let first = table_page("T044");
    assert!(letters(&real().pages[first]).contains(&key(&t044.caption)));
    assert!(real().landscape[first] && real().landscape[first + 1]);
    // the table breaks after a page of rows: the next page repeats the header rows (no words
    // of theirs are in the running header). A header set on several lines is read by
    // pdftotext line by line across the columns, so each of its words is looked for
    let next = letters(&real().pages[first + 1]);
    for header in ["غذایی و کشاورزی", "سامانه احتراقی", "ردیف", "کد رهگیری"]
    {
        for word in header.split_whitespace().filter(|w| w.chars().count() > 1) {
            assert!(next.contains(&key(word)), "{header} repeated");
        }
    }
    let text = letters(&format!(
        "{} {}",
        real().pages[first],
        real().pages[first + 1]
    ));
    let mut at = 0;
    for row in &t044.rows {
        let province = key(&row.get_ref().label[0]);
        let found = text[at..].find(&province);
        assert!(found.is_some(), "{province} after byte {at}");
        at += found.unwrap_or_default() + province.len();
    }
}

#[test]
fn numbers_are_found_as_typed() {
    let t044 = table("T044");
    let tehran = t044.rows[7].get_ref();
    assert_eq!(tehran.label[0], "تهران");
    let figure = |cell: &Cell| {
        karnameh::numfmt::format_number(
            cell.as_number().unwrap(),
            None,
            karnameh::config::DigitStyle::Persian,
        )
    };
    let text = words(&real().pages[table_page("T044")]);
    for cell in &tehran.values {
        assert!(text.contains(&figure(cell).as_str()), "{}", figure(cell));
    }
    for (value, table) in [
        ("۳۱۰٬۱۹۶", "T044"),
        ("۱۵۳٪", "T010"),
        ("۹۹٬۹۱۳", "T007"),
        ("۲۸۲٬۰۴۶", "T004"),
    ] {
        let page = table_page(table);
        let near = format!(
            "{} {}",
            real().pages[page],
            real().pages.get(page + 1).map_or("", |p| p)
        );
        assert!(words(&near).contains(&value), "{value} near {table}");
    }
}

/// `pdftohtml`'s outline: (level, title, page).
fn bookmarks() -> Vec<(usize, String, usize)> {
    let xml = poppler(
        &["pdftohtml", "-xml", "-i", "-stdout", "-f", "1", "-l", "1"],
        &real().pdf,
    );
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(&xml, options).unwrap();
    let mut found = Vec::new();
    for item in doc.descendants().filter(|n| n.has_tag_name("item")) {
        let level = item
            .ancestors()
            .filter(|n| n.has_tag_name("outline"))
            .count();
        let page = item.attribute("page").unwrap().parse().unwrap();
        found.push((level, item.text().unwrap_or("").to_string(), page));
    }
    found
}

#[test]
fn bookmarks_follow_the_table_of_contents_and_its_page_numbers_are_the_pdfs() {
    let marks = bookmarks();
    let titles: Vec<&str> = marks.iter().map(|(_, t, _)| t.as_str()).collect();
    // the headquarters' offices are the part that starts on printed page 65
    let part = printed_report::PAGE_INDEX
        .iter()
        .position(|(p, _)| *p == 65)
        .unwrap();
    let mut expected = vec!["فهرست"];
    for (i, (_, title)) in printed_report::PAGE_INDEX.iter().enumerate() {
        if i == part {
            expected.push("عملکرد و برنامه مدیریت‌های ستاد");
        }
        expected.push(title);
    }
    expected.push("پیوست: اصلاح خطاهای استخراج متن");
    let folded_titles: Vec<String> = titles.iter().map(|t| folded(t)).collect();
    let expected: Vec<String> = expected.iter().map(|t| folded(t)).collect();
    assert_eq!(folded_titles, expected);
    // the offices' sections are under their part, the rest (the appendixes too) at the top
    let offices = real().state.years[0]
        .model
        .toc
        .iter()
        .filter(|entry| entry.part.is_some())
        .count();
    assert_eq!(offices, 16);
    let top = part + 2;
    let level = |marks: &[(usize, String, usize)]| marks.iter().map(|m| m.0).collect::<Vec<_>>();
    assert_eq!(level(&marks[..top]), vec![1; top]);
    assert_eq!(level(&marks[top..top + offices]), vec![2; offices]);
    assert_eq!(
        level(&marks[top + offices..]),
        vec![1; marks.len() - top - offices]
    );
    let contents = letters(&format!("{} {}", real().pages[1], real().pages[2]));
    for (_, title, page) in marks.iter().skip(1) {
        let on_page = letters(&real().pages[page - 1]);
        assert!(on_page.contains(&key(title)), "«{title}» on page {page}");
        let entry = format!("{}{}", key(title), persian(*page));
        assert!(
            contents.contains(&entry),
            "the contents give «{title}» page {page}"
        );
    }
}

#[test]
fn metadata_has_title_language_organization_and_the_publication_date() {
    let info = poppler(&["pdfinfo"], &real().pdf);
    assert!(
        info.contains("Title:           گزارش عملکرد سال ۱۴۰۰ سازمان ملی استاندارد ایران"),
        "{info}"
    );
    assert!(
        info.contains("Author:          سازمان ملی استاندارد ایران"),
        "{info}"
    );
    // اردیبهشت ۱۴۰۱ began on 21 April 2022
    assert!(
        info.contains("CreationDate:    Thu Apr 21 00:00:00 2022"),
        "{info}"
    );
    assert!(info.contains("Tagged:          yes"), "{info}");
    let xmp = poppler(&["pdfinfo", "-meta"], &real().pdf);
    assert!(
        xmp.contains("<rdf:li>fa</rdf:li>") || xmp.contains(">fa<"),
        "{xmp}"
    );
}

#[test]
fn every_chart_is_a_vector_drawing() {
    let year = &real().state.years[0];
    let (mut charts, mut parts) = (0, 0);
    for s in &year.loaded.sections {
        let drawn = karnameh::charts::section_charts(
            &s.slug,
            &s.data,
            karnameh::config::DigitStyle::Persian,
        )
        .unwrap();
        charts += drawn.count();
        let all = drawn.tables.iter().flatten().chain(&drawn.overview);
        parts += all
            .map(|c| c.svg.matches("<svg class=\"chart-svg\"").count())
            .sum::<usize>();
    }
    assert!(charts > 90, "{charts}");
    // each chart is drawn whole (its wide layout on a landscape page) or in its narrow parts
    let images = real().svg_images;
    assert!(
        (charts..=parts).contains(&images),
        "{charts} ≤ {images} ≤ {parts}"
    );
    assert!(parts > charts, "long charts are drawn in parts");
    assert_eq!(real().raster_images, 0, "no chart is a bitmap");
}

#[test]
fn to_unicode_maps_are_in_logical_order() {
    let maps = karnameh_test_cmaps(&real().bytes);
    let lam_alef: Vec<&String> = maps
        .iter()
        .filter(|m| m.contains('ل') && m.chars().count() == 2)
        .collect();
    assert!(!lam_alef.is_empty(), "the report has lam-alef ligatures");
    assert!(lam_alef.iter().all(|m| m.starts_with('ل')), "{lam_alef:?}");
    let joined: Vec<&String> = maps.iter().filter(|m| m.contains('\u{200C}')).collect();
    assert!(
        joined.iter().all(|m| m.starts_with('\u{200C}')),
        "{joined:?}"
    );
}

/// Every multi-character target of the PDF's ToUnicode maps, decoded.
fn karnameh_test_cmaps(pdf: &[u8]) -> Vec<String> {
    use std::io::Read;
    let mut targets = Vec::new();
    let mut rest = pdf;
    while let Some(at) = find(rest, b"stream\n") {
        let body = &rest[at + 7..];
        let end = find(body, b"endstream").unwrap_or(body.len());
        let mut text = String::new();
        let decoded = flate2::read::ZlibDecoder::new(&body[..end]).read_to_string(&mut text);
        if decoded.is_ok() && text.contains("begincmap") {
            for pair in text.split('<').filter_map(|s| s.split_once('>')) {
                let hex = pair.0;
                if hex.len() >= 8 && hex.len() % 4 == 0 {
                    let units: Vec<u16> = (0..hex.len() / 4)
                        .filter_map(|i| u16::from_str_radix(&hex[i * 4..i * 4 + 4], 16).ok())
                        .collect();
                    targets.push(String::from_utf16_lossy(&units));
                }
            }
        }
        rest = body.get(end + b"endstream".len()..).unwrap_or_default();
    }
    targets
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[test]
fn two_builds_give_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("again.pdf");
    let root = repo_root();
    let output = karnameh(&[
        "pdf",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("typeset 1400"),
        "{}",
        stdout(&output)
    );
    assert!(
        std::fs::read(&out).unwrap() == real().bytes,
        "a second build differs"
    );
}

#[test]
fn build_with_the_pdf_setting_writes_it_beside_the_site_and_links_it() {
    let site = fixture("site");
    let toml = site.path().join("site.toml");
    let settings = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{settings}pdf = true\n")).unwrap();
    let out = build(site.path());
    let pdf = std::fs::read(out.join("1400/report-1400.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let manifest = std::fs::read_to_string(out.join(".karnameh-output")).unwrap();
    assert!(manifest.contains("1400/report-1400.pdf"), "{manifest}");
    let year = page(&out, "1400/index.html");
    // relative, so the year's folder works from disk
    let links = select(
        &year,
        "a[href='report-1400.pdf'][download='report-1400.pdf']",
    );
    assert_eq!(links.len(), 1, "the year page links the PDF");
    let label = text(&links[0]);
    assert!(label.contains("صفحه") && label.contains("PDF"), "{label}");
    let pages = poppler(&["pdfinfo"], &out.join("1400/report-1400.pdf"));
    let count: usize = pages
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|n| n.trim().parse().unwrap())
        .unwrap();
    assert!(
        label.contains(&format!("{} صفحه", persian(count))),
        "the link gives the page count {count}: {label}"
    );
    let plain = fixture("site");
    let out = build(plain.path());
    assert!(!out.join("1400/report-1400.pdf").exists());
    assert!(select(&page(&out, "1400/index.html"), "a[href$='.pdf']").is_empty());
}

#[test]
fn a_character_the_font_lacks_is_named_with_its_file_line_table_and_cell() {
    let site = fixture("site");
    edit(
        site.path(),
        "content/1400/07-provinces.toml",
        "values = [1000, 4245, 425]",
        "values = [1000, 4245, \"۴۲۵ ☂\"]",
    );
    let out = site.path().join("x.pdf");
    let output = karnameh(&[
        "pdf",
        "--root",
        site.path().to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--allow-errors",
    ]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.contains("07-provinces.toml:18, table T1, row 2, column «درصد»"),
        "{message}"
    );
    assert!(message.contains("U+2602"), "{message}");
    assert!(
        !message.to_lowercase().contains("typst"),
        "no Typst diagnostic: {message}"
    );
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn pdf_names_the_years_it_has_and_refuses_unchecked_errors() {
    let site = fixture("site");
    let root = site.path().to_str().unwrap();
    let output = karnameh(&["pdf", "--root", root, "--year", "1399"]);
    assert!(
        stderr(&output).contains("there is no year 1399 in the content (it has 1400)"),
        "{}",
        stderr(&output)
    );
    edit(
        site.path(),
        "content/1400/07-provinces.toml",
        "values = [25, 30, 120]",
        "values = [25, 30, 999]",
    );
    let output = karnameh(&["pdf", "--root", root, "--output", "/dev/null"]);
    assert!(
        stderr(&output).contains("unacknowledged check error"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn every_year_gets_its_pdf_an_archive_keeps_it_and_a_frozen_year_serves_it() {
    let site = fixture("years");
    let toml = site.path().join("site.toml");
    let settings = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{settings}pdf = true\n")).unwrap();
    run("archive", site.path(), &["1399"]);
    let archived = karnameh::archive::tarball::read(
        &std::fs::read(site.path().join("archives/1399.tar.gz")).unwrap(),
    )
    .unwrap();
    let kept = &archived["site/1399/report-1399.pdf"];
    assert!(kept.starts_with(b"%PDF-"));
    edit(
        site.path(),
        "content/1399/year.toml",
        "year = 1399\n",
        "year = 1399\nfrozen = true\n",
    );
    let out = site.path().join("public");
    let built = run("build", site.path(), &["--output", out.to_str().unwrap()]);
    assert!(built.contains("and 2 PDFs"), "{built}");
    for year in [1398_usize, 1399, 1400] {
        let file = format!("report-{year}.pdf");
        let pdf = std::fs::read(out.join(format!("{year}/{file}"))).unwrap();
        let title = poppler(&["pdfinfo"], &out.join(format!("{year}/{file}")));
        assert!(title.contains(&persian(year)), "{year}: {title}");
        if year == 1399 {
            assert!(&pdf == kept, "the frozen year's PDF is its archive's");
        }
        let year_page = page(&out, &format!("{year}/index.html"));
        let links = select(&year_page, &format!("a[href='{file}']"));
        assert_eq!(links.len(), 1, "{year}'s page links its PDF");
    }
}
