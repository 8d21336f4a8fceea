//! Shared helpers for tests that read `../shared` (corpora and oracle scores from the reference
//! implementations). Locally a missing `../shared` skips those tests with a message; in CI
//! (`CI` set) it fails them, so a fidelity test can never pass by not running.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::PathBuf;

/// `../shared` beside the checkout (or `$MTHARNESS_SHARED`). `None` means: skip (only outside CI).
pub fn shared_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("MTHARNESS_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    if dir.join("oracle").is_dir() && dir.join("corpora").is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "../shared not found at {} (CI is set): fidelity tests must run in CI",
            dir.display()
        );
    }
    eprintln!("skipping: ../shared not found at {}", dir.display());
    None
}

/// Reads a file of lines as sacreBLEU does (`rstrip("\n")` per line, UTF-8).
pub fn read_lines(path: &std::path::Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines().map(str::to_string).collect()
}

/// One of the shared WMT22 corpora, loaded line-aligned.
pub struct WmtSet {
    pub name: String,
    /// `(name, lines)` for `ref.NAME.en`, sorted by name (A, B).
    pub refs: Vec<(String, Vec<String>)>,
    /// `(system, lines)` for `hyp.SYSTEM.en`, sorted by system.
    pub systems: Vec<(String, Vec<String>)>,
}

pub const CORPORA: [&str; 2] = ["wmt22-ru-en", "wmt22-de-en"];

pub fn load_set(shared: &std::path::Path, name: &str) -> WmtSet {
    let dir = shared.join("corpora").join(name);
    let mut refs = Vec::new();
    let mut systems = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    entries.sort();
    for f in entries {
        if let Some(rest) = f.strip_prefix("ref.").and_then(|r| r.strip_suffix(".en")) {
            refs.push((rest.to_string(), read_lines(&dir.join(&f))));
        } else if let Some(rest) = f.strip_prefix("hyp.").and_then(|r| r.strip_suffix(".en")) {
            systems.push((rest.to_string(), read_lines(&dir.join(&f))));
        }
    }
    WmtSet {
        name: name.to_string(),
        refs,
        systems,
    }
}

/// Reads an oracle CSV into rows of `column -> value`.
pub fn oracle_csv(
    shared: &std::path::Path,
    corpus: &str,
    file: &str,
) -> Vec<HashMap<String, String>> {
    let path = shared.join("oracle").join(corpus).join(file);
    let mut rdr =
        csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = rdr.headers().unwrap().clone();
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// System-level oracle score: `systems.csv` row for (system, metric).
pub fn oracle_system_score(
    shared: &std::path::Path,
    corpus: &str,
    system: &str,
    metric: &str,
) -> f64 {
    oracle_csv(shared, corpus, "systems.csv")
        .iter()
        .find(|r| r["system"] == system && r["metric"] == metric)
        .unwrap_or_else(|| panic!("no oracle row for {corpus} {system} {metric}"))["score"]
        .parse()
        .unwrap()
}

// sacreBLEU's `-f text` paired-test table (../shared/oracle/wmt22-ru-en/significance.json),
// read by tests/significance.rs and tests/compare.rs.

/// One metric cell of sacreBLEU's paired-test table.
#[derive(Debug, Clone, PartialEq)]
pub struct OracleCell {
    pub score: f64,
    /// `(mean, half_width)` for `--paired-bs`.
    pub ci: Option<(f64, f64)>,
    /// `None` for the baseline.
    pub p_value: Option<f64>,
    /// sacreBLEU's `*`.
    pub starred: bool,
}

/// One system row: `(system name, cells by metric column)`.
#[derive(Debug, Clone)]
pub struct OracleRow {
    pub system: String,
    pub cells: Vec<OracleCell>,
}

/// Parses sacreBLEU's `-f text` paired-test table (the `output` lines of one test in
/// `significance.json`): returns the metric column names (`BLEU`, `chrF2`) and the rows, the
/// baseline first (its name without the `Baseline: ` prefix, and `hyp.`/`.en` stripped).
pub fn parse_oracle_table(lines: &[String]) -> (Vec<String>, Vec<OracleRow>) {
    let split = |l: &str| -> Vec<String> {
        l.trim_matches('│')
            .split('│')
            .map(|c| c.trim().to_string())
            .collect()
    };
    let mut header = Vec::new();
    let mut rows: Vec<OracleRow> = Vec::new();
    for line in lines.iter().take_while(|l| !l.starts_with('╘')) {
        if !line.starts_with('│') {
            continue;
        }
        let cols = split(line);
        if cols[0] == "System" {
            header = cols[1..]
                .iter()
                .map(|c| c.split_whitespace().next().unwrap().to_string())
                .collect();
            continue;
        }
        if cols[0].is_empty() {
            // Continuation line: the p-values of the row above.
            let row = rows.last_mut().expect("p-value line before a system row");
            for (cell, text) in row.cells.iter_mut().zip(&cols[1..]) {
                let p = text
                    .strip_prefix("(p = ")
                    .and_then(|t| t.split(')').next())
                    .unwrap_or_else(|| panic!("bad p-value cell {text:?}"));
                cell.p_value = Some(p.parse().unwrap());
                cell.starred = text.ends_with('*');
            }
            continue;
        }
        let name = cols[0].trim_start_matches("Baseline: ");
        let name = name.trim_start_matches("hyp.").trim_end_matches(".en");
        let cells = cols[1..]
            .iter()
            .map(|text| {
                let nums: Vec<f64> = text
                    .split(|c: char| !(c.is_ascii_digit() || c == '.'))
                    .filter(|t| !t.is_empty())
                    .map(|t| t.parse().unwrap())
                    .collect();
                OracleCell {
                    score: nums[0],
                    ci: (nums.len() == 3).then(|| (nums[1], nums[2])),
                    p_value: None,
                    starred: false,
                }
            })
            .collect();
        rows.push(OracleRow {
            system: name.to_string(),
            cells,
        });
    }
    (header, rows)
}

pub fn oracle_test_lines(shared: &std::path::Path, test: &str) -> Vec<String> {
    let path = shared.join("oracle/wmt22-ru-en/significance.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    json[test]["output"]
        .as_array()
        .unwrap_or_else(|| panic!("{test}: no output in {}", path.display()))
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .collect()
}

/// `mtharness score` arguments for WMT22 ru-en: reference A and three systems
/// (ALMAnaCH-Inria, HuaweiTSC, Online-B), with `--docids` when asked.
pub fn ru_en_score_args(shared: &std::path::Path, docids: bool) -> Vec<String> {
    let dir = shared.join("corpora/wmt22-ru-en");
    let mut v = vec!["score".to_string(), "-r".into()];
    v.push(dir.join("ref.A.en").display().to_string());
    v.push("-i".into());
    for s in ["ALMAnaCH-Inria", "HuaweiTSC", "Online-B"] {
        v.push(dir.join(format!("hyp.{s}.en")).display().to_string());
    }
    if docids {
        v.push("--docids".into());
        v.push(dir.join("docids").display().to_string());
    }
    v
}

/// The `mtharness` binary of this build, as a command to add arguments to.
pub fn bin() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_mtharness"))
}

/// Runs the `mtharness` binary with `args` to its end: (exit code, or -1 when a signal ended
/// it; standard output; standard error).
pub fn mtharness(args: &[&str]) -> (i32, String, String) {
    let out = run(bin().args(args));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr(&out),
    )
}

/// Runs `cmd` to its end; failing to start it fails the test.
pub fn run(cmd: &mut std::process::Command) -> std::process::Output {
    cmd.output().expect("run mtharness")
}

/// A finished command's standard error as text.
pub fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
