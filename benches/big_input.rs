//! `cargo bench --bench big_input`: `check` and `build` of one generated section file of
//! 12.5, 25 and 50 MB (plan/actual tables of 2,000 rows, every row with lint warnings), run as
//! the release binary; prints wall time and peak memory (the child's maximum resident set).
//! `KARNAMEH_BIG_SIZES=50` picks sizes; `KARNAMEH_BIG_SHAPE=one-table` writes one giant table.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

const YEAR: &str = "year = 1400\ntitle = \"گزارش آزمایشی\"\norganization = \"سازمان\"\npublisher = \"دفتر\"\npublished = \"۱۴۰۱\"\n";

/// A section file of about `bytes` bytes: tables of `rows_per_table` rows (plan, actual, %),
/// whose labels hold Arabic ي/ك so that every row also yields lint warnings.
fn section(bytes: usize, rows_per_table: usize) -> String {
    let mut text = String::from("title = \"بخش بزرگ آزمایشی\"\npage = 1\n\n");
    let mut table = 0;
    while text.len() < bytes {
        table += 1;
        let _ = write!(
            text,
            "[[tables]]\nid = \"T{table}\"\nkind = \"plan-actual\"\ncaption = \"جدول آزمایشی {table}\"\nlabel_headers = [\"استان\"]\ncolumns = [\n  {{ key = \"plan\", label = \"برنامه\", role = \"plan\" }},\n  {{ key = \"actual\", label = \"عملکرد\", role = \"actual\" }},\n  {{ key = \"pct\", label = \"درصد\", type = \"percent\", role = \"pct\" }},\n]\nrows = [\n"
        );
        let (mut plans, mut actuals) = (0, 0);
        for row in 1..=rows_per_table {
            let (plan, actual) = (100 + row % 50, 90 + row % 70);
            plans += plan;
            actuals += actual;
            let _ = writeln!(
                text,
                "  {{ no = \"{row}\", label = [\"استان {row} كرمان\"], values = [{plan}, {actual}, {}] }},",
                actual * 100 / plan
            );
            if text.len() >= bytes && rows_per_table == usize::MAX {
                break;
            }
        }
        let _ = write!(
            text,
            "]\ntotal = {{ label = [\"جمع\"], values = [{plans}, {actuals}, {}] }}\n\n",
            actuals * 100 / plans
        );
    }
    text
}

fn site(root: &Path, bytes: usize, rows_per_table: usize) {
    let year = root.join("content/1400");
    fs::create_dir_all(&year).unwrap();
    fs::write(root.join("site.toml"), "title = \"آزمون\"\n").unwrap();
    fs::write(year.join("year.toml"), YEAR).unwrap();
    fs::write(year.join("01-big.toml"), section(bytes, rows_per_table)).unwrap();
    let themes = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes");
    copy(&themes, &root.join("themes"));
}

fn copy(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Runs karnameh with `args`; returns (seconds, peak resident memory in MB, success).
// the child is reaped by `wait4`, which also reports its peak memory
#[allow(clippy::zombie_processes)]
fn run(args: &[&str]) -> (f64, f64, bool) {
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_karnameh"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut status = 0;
    // SAFETY: rusage is plain data, filled in by wait4 for the child we just spawned
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    // SAFETY: waits for our own child; the pointers are valid for the call
    unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let seconds = started.elapsed().as_secs_f64();
    let exited_ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) <= 1;
    (seconds, usage.ru_maxrss as f64 / 1024.0, exited_ok)
}

fn main() {
    let sizes: Vec<f64> = std::env::var("KARNAMEH_BIG_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.parse().ok()).collect())
        .unwrap_or_else(|| vec![12.5, 25.0, 50.0]);
    let one_table = std::env::var("KARNAMEH_BIG_SHAPE").is_ok_and(|s| s == "one-table");
    let rows = if one_table { usize::MAX } else { 2000 };
    println!("| input | check | check peak | × input | build | build peak | × input |");
    println!("|---|---|---|---|---|---|---|");
    for mb in sizes {
        let dir = tempfile::tempdir().unwrap();
        let bytes = (mb * 1024.0 * 1024.0) as usize;
        site(dir.path(), bytes, rows);
        let size = fs::metadata(dir.path().join("content/1400/01-big.toml"))
            .unwrap()
            .len() as f64
            / 1024.0
            / 1024.0;
        let root = dir.path().to_str().unwrap();
        let out = dir.path().join("public");
        let (check_s, check_mb, check_ok) = run(&["check", "--root", root]);
        let (build_s, build_mb, build_ok) =
            run(&["build", "--root", root, "--output", out.to_str().unwrap()]);
        assert!(check_ok && build_ok, "karnameh failed on {size:.1} MB");
        println!(
            "| {size:.1} MB | {check_s:.2} s | {check_mb:.0} MB | {:.1} | {build_s:.2} s | {build_mb:.0} MB | {:.1} |",
            check_mb / size,
            build_mb / size
        );
    }
}
