//! Bad input: clear errors naming file, position, field or template, and nothing half-written.

mod common;
use common::*;
use std::fs;

#[test]
fn malformed_toml_names_file_line_and_column() {
    let site = fixture("site");
    let file = site.path().join("content/1400/09-tests.toml");
    fs::write(&file, "title = \"x\"\npage = = 9\n").unwrap();
    let output = karnameh(&["check", "--root", site.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("09-tests.toml:2:8"), "{err}");
}

#[test]
fn wrong_type_names_the_field_path() {
    let site = fixture("site");
    let file = site.path().join("content/1400/09-tests.toml");
    let text = fs::read_to_string(&file)
        .unwrap()
        .replace("kind = \"pass-fail\"", "kind = 3");
    fs::write(&file, text).unwrap();
    let output = karnameh(&["build", "--root", site.path().to_str().unwrap()]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        err.contains("09-tests.toml:6:8") && err.contains("tables[0].kind"),
        "{err}"
    );
}

#[test]
fn unknown_site_key_is_refused() {
    let site = fixture("site");
    fs::write(site.path().join("site.toml"), "titel = \"x\"\n").unwrap();
    let output = karnameh(&["build", "--root", site.path().to_str().unwrap()]);
    let err = stderr(&output);
    assert!(!output.status.success());
    assert!(
        err.contains("site.toml:1:1") && err.contains("titel"),
        "{err}"
    );
}

#[test]
fn number_written_as_text_is_a_structural_error() {
    let site = fixture("site");
    let file = site.path().join("content/1400/07-provinces.toml");
    let text = fs::read_to_string(&file)
        .unwrap()
        .replace("[25, 30, 120]", "[\"25\", 30, 120]");
    fs::write(&file, text).unwrap();
    let output = karnameh(&["check", "--root", site.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    assert!(
        out.contains("number-as-text") && out.contains("line 17"),
        "{out}"
    );
}

#[test]
fn missing_template_is_named() {
    let site = fixture("site");
    fs::remove_file(site.path().join("themes/default/templates/review.html")).unwrap();
    let output = karnameh(&["build", "--root", site.path().to_str().unwrap()]);
    let err = stderr(&output);
    assert!(!output.status.success());
    assert!(err.contains("`review.html`"), "{err}");
}

#[test]
fn failed_build_leaves_the_previous_output_intact() {
    let site = fixture("site");
    let out = build(site.path());
    let before = fs::read(out.join("1400/provinces/index.html")).unwrap();
    let file = site.path().join("content/1400/07-provinces.toml");
    let text = fs::read_to_string(&file)
        .unwrap()
        .replace("[25, 30, 120]", "[25, 30]");
    fs::write(&file, text).unwrap();
    let output = karnameh(&[
        "build",
        "--root",
        site.path().to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("row-width"), "{}", stderr(&output));
    assert_eq!(
        fs::read(out.join("1400/provinces/index.html")).unwrap(),
        before
    );
    let leftovers: Vec<String> = fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".karnameh"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
