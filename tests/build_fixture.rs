//! Builds the fixture site (every table kind) and reads the pages back with an HTML parser.

mod common;
use common::*;

#[test]
fn every_page_is_rtl_persian_and_every_link_is_relative_and_resolves() {
    let site = fixture("site");
    let out = build(site.path());
    for path in [
        "index.html",
        "404.html",
        "1400/index.html",
        "1400/review/index.html",
        "1400/provinces/index.html",
    ] {
        let html = page(&out, path);
        let root = select(&html, "html");
        assert_eq!(root[0].value().attr("lang"), Some("fa"), "{path}");
        assert_eq!(root[0].value().attr("dir"), Some("rtl"), "{path}");
    }
    assert_links_resolve(&out, "/reports/");
    let provinces = page(&out, "1400/provinces/index.html");
    assert_eq!(
        select(&provinces, "link[rel=stylesheet]")[0]
            .value()
            .attr("href"),
        Some("../style.css"),
        "a year's pages use the year's own copy of the theme"
    );
    let missing = page(&out, "404.html");
    assert_eq!(
        select(&missing, "link[rel=stylesheet]")[0]
            .value()
            .attr("href"),
        Some("/reports/style.css"),
        "the 404 page is served at any URL: its links are absolute"
    );
    assert!(out.join("1400/fonts/Vazirmatn-Regular.woff2").is_file());
    assert!(out.join("fonts/Vazirmatn-Regular.woff2").is_file());
    assert!(out.join("fonts/OFL.txt").is_file());
    assert!(out.join("style.css").is_file());
}

#[test]
fn plan_actual_table_has_caption_headers_numbers_and_totals_in_tfoot() {
    let site = fixture("site");
    let out = build(site.path());
    let html = page(&out, "1400/provinces/index.html");
    let caption = texts(&html, "#T1 caption").join(" ");
    assert!(
        caption.contains("برنامه و عملکرد") && caption.contains("تعداد"),
        "{caption}"
    );
    assert_eq!(
        texts(&html, "#T1 thead th"),
        ["ردیف", "استان", "برنامه", "عملکرد", "درصد"]
    );
    let row = texts(&html, "#T1-2 td");
    assert_eq!(row, ["۱٬۰۰۰", "۴٬۲۴۵", "۴۲۵٪"]);
    assert_eq!(texts(&html, "#T1-3 td"), ["۰", "۰", "-"]);
    // the totals row has no number: its number cell is an empty data cell, not a header
    assert_eq!(texts(&html, "#T1 tfoot td.no"), [""]);
    assert_eq!(
        texts(&html, "#T1 tfoot td:not(.no)"),
        ["۱٬۰۲۵", "۴٬۲۷۵", "۴۱۷٪"]
    );
    // the footnote marker links to its footnote
    let mark = select(&html, "#T1-2 th sup a");
    assert_eq!(mark[0].value().attr("href"), Some("#T1-fn1"));
    assert_eq!(texts(&html, "#T1-fn1"), ["* یادداشت آزمایشی"]);
    assert_eq!(texts(&html, ".page-no")[0], "صفحه ۷ تا ۸");
}

#[test]
fn value_cells_name_their_column_and_row_headers() {
    let site = fixture("site");
    let out = build(site.path());
    let html = page(&out, "1400/provinces/index.html");
    let cell = select(&html, "#T3-1 td")[0];
    let headers: Vec<&str> = cell.value().attr("headers").unwrap().split(' ').collect();
    for id in &headers {
        assert_eq!(
            select(&html, &format!("[id='{id}']")).len(),
            1,
            "header id {id} must exist once"
        );
    }
    assert!(
        headers.contains(&"T3-c-food")
            && headers.contains(&"T3-g0-0")
            && headers.contains(&"T3-1-l0")
    );
    let group = select(&html, "#T3-g0-0")[0];
    assert_eq!(group.value().attr("colspan"), Some("2"));
    assert_eq!(group.value().attr("scope"), Some("colgroup"));
}

#[test]
fn acknowledged_discrepancy_and_correction_are_shown_under_the_table_and_on_the_review_page() {
    let site = fixture("site");
    let out = build(site.path());
    let html = page(&out, "1400/provinces/index.html");
    let note = texts(&html, "#T3 .discrepancies li").join(" ");
    assert!(note.contains("جمع ردیف ۴ چاپ شده"), "{note}");
    assert_eq!(
        select(&html, "#T3 .discrepancies a")[0]
            .value()
            .attr("href"),
        Some("#T3-2")
    );
    assert_eq!(select(&html, "#T3-2 td.flagged").len(), 1);
    // readers are told of the report's misprint, not of the extraction's defect
    assert_eq!(
        texts(&html, "#T3 .corrections li"),
        ["ردیف ۲، استان: چاپ‌شده «پ»؛ درست آن «ب» است"]
    );
    let review = page(&out, "1400/review/index.html");
    let link = select(&review, "table.review a")[0]
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    assert_eq!(link, "../provinces/index.html#T3-2");
    // the review page lists both corrections, with what was extracted and why
    let corrections = texts(&review, "#corrections-caption ~ tbody tr");
    assert_eq!(corrections.len(), 2, "{corrections:?}");
    assert!(
        corrections[0].contains("ردیف ۱، رشته صنعت / غذایی")
            && corrections[0].contains("رقم اشتباه خوانده شده.")
    );
    assert!(corrections[1].contains("(غلط چاپی گزارش)"));
}

#[test]
fn activities_rows_merge_spanning_labels_and_keep_text_plans() {
    let site = fixture("site");
    let out = build(site.path());
    let html = page(&out, "1400/office/index.html");
    let first = select(&html, "#T6-1 th");
    assert_eq!(
        first[0].value().attr("rowspan"),
        Some("3"),
        "row number spans its unnumbered rows"
    );
    assert_eq!(
        first[1].value().attr("rowspan"),
        Some("3"),
        "the activity label spans its rows"
    );
    assert_eq!(text(&first[1]), "تدوین");
    assert_eq!(texts(&html, "#T6-p2 th"), ["ستاد"]);
    let consult = select(&html, "#T6-2 th");
    assert_eq!(
        consult[1].value().attr("colspan"),
        Some("2"),
        "an empty sub-label widens its parent"
    );
    assert_eq!(
        texts(&html, "#T6-2 td"),
        ["تعداد", "حسب درخواست", "۱۲", "-"]
    );
    assert!(
        select(&html, "#T6-p3")
            .iter()
            .all(|r| r.value().attr("class") == Some("subtotal"))
    );
    assert_eq!(texts(&html, ".prose em"), ["توضیحی"]);
    assert_eq!(texts(&html, ".breadcrumb span"), ["ستاد"]);
}

#[test]
fn narrative_list_pass_fail_and_no_data_tables_render() {
    let site = fixture("site");
    let out = build(site.path());
    let office = page(&out, "1400/office/index.html");
    assert_eq!(
        texts(&office, "#T7 tbody th.row-heading"),
        ["سطح ملی", "تدوین استانداردها"]
    );
    assert_eq!(texts(&office, "#T7-2-1 td"), ["ارسال برای چاپ", "۱ فقره"]);
    assert_eq!(texts(&office, "#T8-1 td.list li"), ["پشتیبانی", "توسعه"]);
    let tests = page(&out, "1400/tests/index.html");
    assert_eq!(
        texts(&tests, "#T4 thead tr:first-child th"),
        ["ردیف", "استان", "نتایج آزمون", "جمع", "درصد سهم"]
    );
    assert_eq!(texts(&tests, "#T4-1 td"), ["۸۰", "۲۰", "۱۰۰", "۸۰٪", "۲۰٪"]);
    assert_eq!(texts(&tests, "#T5 .note"), ["آمار اخذ نگردیده است."]);
}

#[test]
fn toc_lists_sections_in_page_order_with_prev_next_links() {
    let site = fixture("site");
    let out = build(site.path());
    let year = page(&out, "1400/index.html");
    assert_eq!(texts(&year, ".toc .toc-page"), ["۳", "۷", "۹", "۶۵"]);
    assert_eq!(texts(&year, ".foreword strong"), ["مقدمه"]);
    let provinces = page(&out, "1400/provinces/index.html");
    let prev = select(&provinces, "a[rel=prev]")[0]
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    let next = select(&provinces, "a[rel=next]")[0]
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    assert_eq!(
        (prev.as_str(), next.as_str()),
        ("../foreword/index.html", "../tests/index.html")
    );
    let root = page(&out, "index.html");
    assert_eq!(
        select(&root, ".lead a")[0].value().attr("href"),
        Some("1400/index.html")
    );
}

#[test]
fn latin_digit_style_and_base_url_override() {
    let site = fixture("site");
    std::fs::write(
        site.path().join("site.toml"),
        "digits = \"latin\"\nbase-url = \"/a/\"\n",
    )
    .unwrap();
    let out = site.path().join("out");
    let output = karnameh(&[
        "build",
        "--root",
        site.path().to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--base-url",
        "https://x.example/b/",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let html = page(&out, "1400/provinces/index.html");
    assert_eq!(texts(&html, "#T1-2 td"), ["1,000", "4,245", "425%"]);
    assert_links_resolve(&out, "/b/");
    let missing = page(&out, "404.html");
    assert_eq!(
        select(&missing, ".site-title")[0].value().attr("href"),
        Some("/b/")
    );
}

#[test]
fn with_relative_urls_off_every_link_starts_at_the_base_path() {
    let site = fixture("site");
    std::fs::write(
        site.path().join("site.toml"),
        "base-url = \"/a/\"\nrelative-urls = false\n",
    )
    .unwrap();
    let out = build(site.path());
    let urls = all_urls(&out);
    assert!(urls.len() > 20);
    for (file, url) in &urls {
        assert!(
            url.starts_with("/a/") || url.starts_with('#'),
            "{}: `{url}`",
            file.display()
        );
        let target = resolve(&out, file, url, "/a/").unwrap();
        assert!(target.is_file(), "{}: `{url}`", file.display());
    }
    let html = page(&out, "1400/provinces/index.html");
    assert_eq!(
        select(&html, "link[rel=stylesheet]")[0]
            .value()
            .attr("href"),
        Some("/a/1400/style.css")
    );
}

#[test]
fn build_is_byte_for_byte_reproducible() {
    let site = fixture("site");
    let first = build(site.path());
    let a = snapshot(&first);
    let second = build(site.path());
    assert_eq!(a, snapshot(&second));
}

#[test]
fn a_draft_lists_its_open_errors_with_their_likeliest_fix_on_the_review_page() {
    let site = fixture("site");
    // a plan misread ۴ for ۶: its achievement % and its subtotal no longer agree
    edit(
        site.path(),
        "content/1400/65-office.toml",
        "[\"تعداد\", 430, 658, 153]",
        "[\"تعداد\", 630, 658, 153]",
    );
    let out = site.path().join("public");
    let output = karnameh(&[
        "build",
        "--root",
        site.path().to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--allow-errors",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let review = page(&out, "1400/review/index.html");
    let captions = texts(&review, "table.review caption");
    assert!(
        captions.iter().any(|c| c.contains("بررسی‌نشده")),
        "{captions:?}"
    );
    let fixes = texts(&review, ".likely-fix");
    assert!(!fixes.is_empty());
    for fix in &fixes {
        assert!(
            fix.contains("۶۳۰ احتمالاً ۴۳۰ است") && fix.contains("رقم ۴ به صورت ۶ خوانده شده"),
            "{fix}"
        );
    }
    // the published site of the same content without the error has no such table
    let clean = fixture("site");
    let built = build(clean.path());
    let review = page(&built, "1400/review/index.html");
    assert!(select(&review, ".likely-fix").is_empty());
    assert!(
        !texts(&review, "table.review caption")
            .iter()
            .any(|c| c.contains("بررسی‌نشده")),
        "no table of open errors"
    );
}

#[test]
fn a_site_stylesheet_replaces_the_themes_at_the_root_and_in_every_year() {
    let site = fixture("site");
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    std::fs::write(
        site.path().join("static/style.css"),
        "/* the site's own */\n",
    )
    .unwrap();
    let out = build(site.path());
    for path in ["style.css", "1400/style.css"] {
        assert_eq!(
            std::fs::read_to_string(out.join(path)).unwrap(),
            "/* the site's own */\n",
            "{path}"
        );
    }
    assert!(out.join("1400/fonts/Vazirmatn-Regular.woff2").is_file());
}
