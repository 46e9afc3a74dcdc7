//! The user's files are never lost and no bad number or markup is published: refused outputs,
//! the output manifest, killed builds, hostile numbers, ids and Markdown, escapes from the
//! site, broken pipes.

mod common;
use common::*;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// Asserts that a build into `output` is refused with `why` and that nothing in `watched`
/// (the site, the output) changed.
fn refused(site: &Path, output: &Path, extra: &[&str], why: &str, watched: &[&Path]) {
    let before: Vec<_> = watched.iter().map(|w| snapshot(w)).collect();
    let result = build_into(site, output, extra);
    assert_eq!(result.status.code(), Some(1), "{}", stdout(&result));
    let err = stderr(&result);
    assert!(err.contains(why), "expected `{why}` in: {err}");
    let after: Vec<_> = watched.iter().map(|w| snapshot(w)).collect();
    assert!(after == before, "files changed after: {err}");
}

#[test]
fn the_site_folder_and_its_inputs_are_never_an_output_even_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_dir(&repo_root().join("tests/fixtures/site"), &site);
    copy_dir(&repo_root().join("themes"), &site.join("themes"));
    for (output, why) in [
        (site.clone(), "it is the site folder"),
        (site.join("content"), "inside the site's content/ folder"),
        (
            site.join("content/1400"),
            "inside the site's content/ folder",
        ),
        (site.join("themes"), "inside the site's themes/ folder"),
        (dir.path().to_path_buf(), "contains the site folder"),
    ] {
        refused(&site, &output, &["--force"], why, &[dir.path()]);
    }
    // `--output .` from inside the site
    let result = Command::new(env!("CARGO_BIN_EXE_karnameh"))
        .args(["build", "--output", "."])
        .current_dir(&site)
        .output()
        .unwrap();
    assert!(
        stderr(&result).contains("it is the site folder"),
        "{}",
        stderr(&result)
    );
}

#[test]
fn an_empty_or_dot_output_dir_in_site_toml_is_a_configuration_error() {
    for value in ["\"\"", "\".\"", "\"./\""] {
        let site = fixture("site");
        fs::write(
            site.path().join("site.toml"),
            format!("title = \"t\"\noutput-dir = {value}\n"),
        )
        .unwrap();
        let before = snapshot(site.path());
        let result = karnameh(&["build", "--root", site.path().to_str().unwrap()]);
        assert_eq!(result.status.code(), Some(1));
        let err = stderr(&result);
        assert!(
            err.contains("site.toml: output-dir") && err.contains("site folder itself"),
            "{err}"
        );
        assert_eq!(snapshot(site.path()), before);
    }
}

#[test]
fn an_unrelated_folder_is_refused_without_force_and_replaced_with_it() {
    let site = fixture("site");
    let other = tempfile::tempdir().unwrap();
    let photos = other.path().join("photos");
    fs::create_dir_all(photos.join("2021")).unwrap();
    fs::write(photos.join("notes.txt"), "my notes").unwrap();
    fs::write(photos.join("2021/a.jpg"), [0xFF, 0xD8, 0xFF]).unwrap();
    refused(
        site.path(),
        &photos,
        &[],
        "is not a karnameh output",
        &[site.path(), other.path()],
    );
    let result = build_into(site.path(), &photos, &["--force"]);
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(photos.join("1400/index.html").is_file());
    assert!(!photos.join("notes.txt").exists());
}

#[test]
fn a_file_added_to_an_output_is_kept_until_force() {
    let site = fixture("site");
    let out = build(site.path());
    fs::write(out.join("notes.txt"), "mine").unwrap();
    refused(site.path(), &out, &[], "notes.txt", &[site.path()]);
    let result = build_into(site.path(), &out, &["--force"]);
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(!out.join("notes.txt").exists());
}

#[test]
fn the_manifest_lists_every_file_with_its_sha256_and_nothing_beside_the_output_is_touched() {
    let site = fixture("site");
    let old = site.path().join(".public.old");
    fs::create_dir_all(&old).unwrap();
    fs::write(old.join("keep.txt"), "mine").unwrap();
    let out = build(site.path());
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join(".karnameh-output")).unwrap()).unwrap();
    assert_eq!(manifest["generator"], "karnameh");
    let files = manifest["files"].as_object().unwrap();
    let on_disk: Vec<String> = snapshot(&out)
        .keys()
        .map(|p| p.to_string_lossy().into_owned())
        .filter(|p| p != ".karnameh-output")
        .collect();
    assert_eq!(files.keys().cloned().collect::<Vec<_>>(), on_disk);
    let css = fs::read(out.join("style.css")).unwrap();
    let sha = Command::new("sha256sum")
        .arg(out.join("style.css"))
        .output()
        .unwrap();
    let expected = String::from_utf8_lossy(&sha.stdout);
    assert_eq!(
        files["style.css"].as_str(),
        expected.split_whitespace().next()
    );
    assert!(!css.is_empty());
    build(site.path());
    assert_eq!(fs::read_to_string(old.join("keep.txt")).unwrap(), "mine");
    let strays: Vec<_> = fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".karnameh"))
        .collect();
    assert!(strays.is_empty(), "{strays:?}");
}

/// Names of staging folders beside `out`.
fn staging_folders(out: &Path) -> Vec<String> {
    fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".karnameh-staging-"))
        .collect()
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_previous_site_and_one_staging_folder_at_most() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    for part in ["content", "themes"] {
        copy_dir(&repo_root().join(part), &site.join(part));
    }
    fs::copy(repo_root().join("site.toml"), site.join("site.toml")).unwrap();
    let out = dir.path().join("public");
    assert!(build_into(&site, &out, &[]).status.success());
    let old = snapshot(&out);
    edit(
        &site,
        "content/1400/year.toml",
        "organization = \"",
        "organization = \"(آزمون) ",
    );
    let fresh = dir.path().join("fresh");
    let started = std::time::Instant::now();
    assert!(build_into(&site, &fresh, &[]).status.success());
    let full = started.elapsed();
    let new = snapshot(&fresh);
    assert_ne!(old, new);
    // kills spread over the whole build, most of them in its last part, where it writes
    for percent in [10, 40, 60, 70, 78, 84, 88, 92, 95, 98, 101, 105] {
        let delay = full.as_millis() as u64 * percent / 100;
        let mut child = Command::new(env!("CARGO_BIN_EXE_karnameh"))
            .args(["build", "--root", site.to_str().unwrap()])
            .args(["--output", out.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill(); // SIGKILL on Unix: no clean-up runs
        let _ = child.wait();
        let now = snapshot(&out);
        assert!(
            now == old || now == new,
            "killed after {delay} ms: a mixed output"
        );
        assert!(
            staging_folders(&out).len() <= 1,
            "{:?}",
            staging_folders(&out)
        );
        eprintln!(
            "killed after {delay} ms: {} staging folder(s), output {}",
            staging_folders(&out).len(),
            if now == new { "new" } else { "old" }
        );
    }
    assert!(build_into(&site, &out, &[]).status.success());
    assert_eq!(snapshot(&out), new);
    assert!(
        staging_folders(&out).is_empty(),
        "{:?}",
        staging_folders(&out)
    );
}

/// `karnameh check` of the fixture with `from` replaced by `to` in a section file.
fn check_after(file: &str, from: &str, to: &str) -> (Option<i32>, String) {
    let site = fixture("site");
    edit(site.path(), file, from, to);
    let result = karnameh(&["check", "--root", site.path().to_str().unwrap()]);
    (result.status.code(), stderr(&result) + &stdout(&result))
}

const PROVINCES: &str = "content/1400/07-provinces.toml";

#[test]
fn nan_infinity_and_overflow_are_refused_where_they_are_written() {
    for (value, says) in [
        ("nan", "`NaN` is not a number a cell can hold"),
        ("-inf", "`-inf` is not a number a cell can hold"),
        (
            "99999999999999999999",
            "integer too large for a cell: 99999999999999999999",
        ),
    ] {
        let (code, err) = check_after(PROVINCES, "[25, 30, 120]", &format!("[25, {value}, 120]"));
        assert_eq!(code, Some(1), "{err}");
        assert!(err.contains("07-provinces.toml:17:"), "{value}: {err}");
        assert!(err.contains(says), "{value}: {err}");
        assert!(err.contains("tables[0].rows[0].values[1]"), "{err}");
        assert!(!err.contains("serde") && !err.contains("i128"), "{err}");
    }
    let (code, err) = check_after(
        PROVINCES,
        "kind = \"plan-actual\"",
        "kind = \"plan-actual\"\npct_tolerance = nan",
    );
    assert_eq!(code, Some(1));
    assert!(
        err.contains("pct_tolerance") && err.contains("finite number"),
        "{err}"
    );
}

#[test]
fn negative_counts_are_warned_about_unless_the_column_allows_them() {
    let (code, out) = check_after(PROVINCES, "[25, 30, 120]", "[25, -30, 120]");
    assert!(
        out.contains("negative") && out.contains("-30 is negative"),
        "{out}"
    );
    assert_eq!(code, Some(1), "the total no longer adds up: {out}");
    let site = fixture("site");
    edit(
        site.path(),
        PROVINCES,
        "role = \"actual\" }",
        "role = \"actual\", allow_negative = true }",
    );
    edit(site.path(), PROVINCES, "[25, 30, 120]", "[25, -30, 120]");
    let result = karnameh(&["check", "--root", site.path().to_str().unwrap()]);
    assert!(
        !stdout(&result).contains("is negative"),
        "{}",
        stdout(&result)
    );
}

#[test]
fn a_hostile_id_is_refused_at_load_with_its_position() {
    let (code, err) = check_after(
        PROVINCES,
        "id = \"T1\"",
        "id = \"T1\\\" onload=\\\"alert(1)\"",
    );
    assert_eq!(code, Some(1));
    assert!(
        err.contains("07-provinces.toml:6:") && err.contains("table id"),
        "{err}"
    );
    let (_, err) = check_after(PROVINCES, "key = \"plan\"", "key = \"p l\"");
    assert!(err.contains("column key `p l` is not allowed"), "{err}");
    let (_, err) = check_after(PROVINCES, "no = \"1\"", "no = \"1<b>\"");
    assert!(err.contains("row number"), "{err}");
}

#[test]
fn every_chart_of_the_fixture_is_well_formed_xml() {
    let site = fixture("site");
    let out = build(site.path());
    let mut charts = 0;
    for (path, bytes) in snapshot(&out) {
        if path.extension().is_some_and(|e| e == "html") {
            let html = String::from_utf8(bytes).unwrap();
            for svg in chart_svgs(&html) {
                roxmltree::Document::parse(svg)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                charts += 1;
            }
        }
    }
    assert!(charts >= 5, "{charts}");
}

#[test]
fn raw_html_script_links_and_outside_requests_in_markdown_stop_the_build() {
    for (markdown, says) in [
        (
            "<script>alert(1)</script>",
            "raw HTML `<script>alert(1)</script>`",
        ),
        ("[x](javascript:alert(1))", "`javascript:` link"),
        (
            "![x](https://cdn.example/a.png)",
            "is not a file of the site",
        ),
        ("[x](https://other.example/)", "allow-external-links"),
    ] {
        let site = fixture("site");
        let body = format!("body = \"\"\"\nسطر یک\n\n{markdown}\n\"\"\"\n");
        edit(
            site.path(),
            "content/1400/09-tests.toml",
            "page = 9\n",
            &format!("page = 9\n{body}"),
        );
        let out = site.path().join("public");
        let result = build_into(site.path(), &out, &[]);
        assert_eq!(result.status.code(), Some(1));
        let err = stderr(&result);
        assert!(err.contains(says), "{markdown}: {err}");
        // the body starts on line 3; its Markdown line 3 is line 6 of the file
        assert!(err.contains("09-tests.toml:6:"), "{err}");
        assert!(!out.exists());
    }
    let site = fixture("site");
    fs::write(
        site.path().join("site.toml"),
        "title = \"t\"\nallow-external-links = true\n",
    )
    .unwrap();
    edit(
        site.path(),
        "content/1400/09-tests.toml",
        "page = 9\n",
        "page = 9\nbody = \"[سازمان](https://inso.gov.ir/)\"\n",
    );
    let result = build_into(site.path(), &site.path().join("public"), &[]);
    assert!(result.status.success(), "{}", stderr(&result));
}

#[test]
fn a_theme_path_and_a_base_url_without_scheme_are_refused_with_the_fix() {
    let site = fixture("site");
    for (setting, says) in [
        (
            "theme = \"../../etc\"",
            "must be the name of a folder under themes/",
        ),
        (
            "theme = \"/tmp\"",
            "must be the name of a folder under themes/",
        ),
        (
            "base-url = \"portal.example/reports/\"",
            "write `https://portal.example/reports/`",
        ),
    ] {
        fs::write(site.path().join("site.toml"), format!("{setting}\n")).unwrap();
        let result = karnameh(&["build", "--root", site.path().to_str().unwrap()]);
        assert_eq!(result.status.code(), Some(1));
        assert!(stderr(&result).contains(says), "{}", stderr(&result));
    }
}

#[cfg(unix)]
#[test]
fn a_static_link_out_of_the_site_is_refused() {
    let site = fixture("site");
    let secret = tempfile::tempdir().unwrap();
    fs::write(secret.path().join("passwd"), "secret").unwrap();
    fs::create_dir_all(site.path().join("static")).unwrap();
    std::os::unix::fs::symlink(
        secret.path().join("passwd"),
        site.path().join("static/p.txt"),
    )
    .unwrap();
    let out = site.path().join("public");
    let result = build_into(site.path(), &out, &[]);
    assert_eq!(result.status.code(), Some(1));
    assert!(
        stderr(&result).contains("symbolic link"),
        "{}",
        stderr(&result)
    );
    assert!(!out.exists());
}

#[test]
fn a_year_declared_twice_names_both_folders() {
    let site = fixture("site");
    let copy = site.path().join("content/1400-copy");
    copy_dir(&site.path().join("content/1400"), &copy);
    let result = karnameh(&["check", "--root", site.path().to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(1));
    let err = stderr(&result);
    assert!(err.contains("year 1400 is declared twice"), "{err}");
    assert!(
        err.contains("content/1400/year.toml") && err.contains("content/1400-copy/year.toml"),
        "{err}"
    );
}

#[test]
fn invalid_utf8_is_located_and_a_byte_order_mark_is_accepted() {
    let site = fixture("site");
    let file = site.path().join(PROVINCES);
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(fs::read(&file).unwrap());
    fs::write(&file, &bytes).unwrap();
    let result = karnameh(&["check", "--root", site.path().to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    let mut broken = fs::read(&file).unwrap();
    let at = broken.windows(4).position(|w| w == b"page").unwrap();
    broken.insert(at + 2, 0xFF);
    fs::write(&file, &broken).unwrap();
    let result = karnameh(&["check", "--root", site.path().to_str().unwrap()]);
    let err = stderr(&result);
    assert!(
        err.contains("07-provinces.toml:2:3") && err.contains("not valid UTF-8"),
        "{err}"
    );
}

#[test]
fn unacknowledged_errors_stop_the_build_unless_it_is_a_draft() {
    let site = fixture("site");
    let out = build(site.path());
    let before = snapshot(&out);
    edit(site.path(), PROVINCES, "[25, 30, 120]", "[25, 30, 130]");
    let result = build_into(site.path(), &out, &[]);
    assert_eq!(result.status.code(), Some(1));
    let err = stderr(&result);
    assert!(
        err.contains("unacknowledged check error") && err.contains("[achievement]"),
        "{err}"
    );
    assert!(err.contains("--allow-errors"), "{err}");
    assert_eq!(snapshot(&out), before);
    let result = build_into(site.path(), &out, &["--allow-errors"]);
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(
        stdout(&result).contains("a draft: 1 unacknowledged check error(s)"),
        "{}",
        stdout(&result)
    );
}

#[test]
fn check_into_a_closed_pipe_exits_quietly() {
    let site = fixture("site");
    // enough findings to fill the pipe
    let mut text = fs::read_to_string(site.path().join(PROVINCES)).unwrap();
    for n in 0..2000 {
        text.push_str(&format!(
            "\n[[tables]]\nid = \"X{n}\"\nkind = \"list\"\ncaption = \"توليدي\"\ncolumns = []\n"
        ));
    }
    fs::write(site.path().join(PROVINCES), text).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_karnameh"))
        .args(["check", "--root", site.path().to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader goes away, as `head` does
    let output = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_ne!(output.status.code(), Some(101), "{err}");
}
