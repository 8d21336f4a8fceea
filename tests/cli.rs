//! End-to-end tests of the `mtharness` binary: reports, determinism, exit codes and messages.

mod common;
use common::{bin, run, stderr};

use std::path::{Path, PathBuf};

fn ru_en_args(shared: &Path) -> Vec<String> {
    let dir = shared.join("corpora/wmt22-ru-en");
    let mut v = vec!["score".to_string(), "-r".into()];
    v.push(dir.join("ref.A.en").display().to_string());
    v.push("-i".into());
    for s in ["ALMAnaCH-Inria", "HuaweiTSC"] {
        v.push(dir.join(format!("hyp.{s}.en")).display().to_string());
    }
    v.push("--docids".into());
    v.push(dir.join("docids").display().to_string());
    v
}

fn read_dir_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p: PathBuf = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().to_string(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn csv_reports_are_byte_identical_whatever_the_thread_count() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let mut outputs = Vec::new();
    for threads in ["1", "2", "3"] {
        let dir = tmp.path().join(format!("t{threads}"));
        let o = run(bin()
            .args(ru_en_args(&shared))
            .arg("--csv")
            .arg(&dir)
            .arg("--quiet")
            .env("RAYON_NUM_THREADS", threads));
        assert!(o.status.success(), "{}", stderr(&o));
        outputs.push(read_dir_files(&dir));
    }
    let names: Vec<&str> = outputs[0].iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["documents.csv", "segments.csv", "systems.csv"]);
    assert_eq!(outputs[0], outputs[1], "1 vs 2 threads");
    assert_eq!(outputs[0], outputs[2], "1 vs 3 threads");
}

#[test]
fn csv_columns_and_row_counts() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let o = run(bin()
        .args(ru_en_args(&shared))
        .args(["-m", "bleu", "chrf", "--csv"])
        .arg(tmp.path())
        .arg("--quiet"));
    assert!(o.status.success(), "{}", stderr(&o));
    let seg = std::fs::read_to_string(tmp.path().join("segments.csv")).unwrap();
    let mut lines = seg.lines();
    assert_eq!(
        lines.next().unwrap(),
        "system,document,segment,line,ref_ids,hyp_ids,bead,BLEU,BLEU:hyp_len,BLEU:ref_len,\
         BLEU:correct_1,BLEU:correct_2,BLEU:correct_3,BLEU:correct_4,BLEU:total_1,BLEU:total_2,\
         BLEU:total_3,BLEU:total_4,chrF,chrF:c1_hyp,chrF:c1_ref,chrF:c1_match,chrF:c2_hyp,\
         chrF:c2_ref,chrF:c2_match,chrF:c3_hyp,chrF:c3_ref,chrF:c3_match,chrF:c4_hyp,\
         chrF:c4_ref,chrF:c4_match,chrF:c5_hyp,chrF:c5_ref,chrF:c5_match,chrF:c6_hyp,\
         chrF:c6_ref,chrF:c6_match"
    );
    assert_eq!(lines.count(), 2 * 2016);
    let docs = std::fs::read_to_string(tmp.path().join("documents.csv")).unwrap();
    assert_eq!(docs.lines().count(), 1 + 2 * 227);
    let sys = std::fs::read_to_string(tmp.path().join("systems.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(sys.as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4);
    // System BLEU from the report equals the oracle to the printed precision.
    let bleu: f64 = rows[0][2].parse().unwrap();
    let oracle = common::oracle_system_score(&shared, "wmt22-ru-en", "ALMAnaCH-Inria", "BLEU");
    assert!((bleu - oracle).abs() < 5e-6, "{bleu} vs {oracle}");
    assert!(rows[0][3].starts_with("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp"));
}

#[test]
fn system_scores_are_sums_of_segment_statistics() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let o = run(bin()
        .args(ru_en_args(&shared))
        .args(["-m", "bleu", "--csv"])
        .arg(tmp.path())
        .arg("--quiet"));
    assert!(o.status.success(), "{}", stderr(&o));
    let mut rdr = csv::Reader::from_path(tmp.path().join("segments.csv")).unwrap();
    let mut sums = [0.0f64; 10];
    for r in rdr.records() {
        let r = r.unwrap();
        if &r[0] != "ALMAnaCH-Inria" {
            continue;
        }
        for (k, s) in sums.iter_mut().enumerate() {
            *s += r[8 + k].parse::<f64>().unwrap();
        }
    }
    let mut rdr = csv::Reader::from_path(tmp.path().join("systems.csv")).unwrap();
    let row = rdr.records().next().unwrap().unwrap();
    let stats: Vec<f64> = row[6].split(' ').map(|x| x.parse().unwrap()).collect();
    assert_eq!(stats, sums);
}

#[test]
fn json_report_parses() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let o = run(bin()
        .args(ru_en_args(&shared))
        .args(["-m", "chrf", "-f", "json"]));
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["systems"].as_array().unwrap().len(), 2);
    assert_eq!(v["systems"][0]["documents"].as_array().unwrap().len(), 227);
}

#[test]
fn sacrebleu_style_flags_and_bare_scores() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let o = run(bin()
        .args(ru_en_args(&shared))
        .args(["-m", "bleu", "-tok", "13a", "-b", "-w", "4"]));
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8(o.stdout).unwrap();
    let first = out.lines().next().unwrap();
    assert_eq!(first, "ALMAnaCH-Inria\t30.3298");
}

#[test]
fn unknown_metric_is_a_usage_error_with_exit_code_2() {
    let tmp = tempfile::tempdir().unwrap();
    let r = tmp.path().join("r.txt");
    std::fs::write(&r, "a b c\n").unwrap();
    let o = run(bin()
        .arg("score")
        .arg("-r")
        .arg(&r)
        .arg("-i")
        .arg(&r)
        .args(["-m", "blue"]));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown metric 'blue'"),
        "{}",
        stderr(&o)
    );
}

/// `wip` was accepted by `-m` but missing from `score --help` and `compare --help`: the help
/// must list every name `build_metrics` accepts.
#[test]
fn metrics_help_lists_every_accepted_metric() {
    for cmd in ["score", "compare"] {
        let o = run(bin().args([cmd, "--help"]));
        assert_eq!(o.status.code(), Some(0), "{cmd} --help: {}", stderr(&o));
        let help = String::from_utf8_lossy(&o.stdout);
        let line = help
            .lines()
            .find(|l| l.trim_start().starts_with("Metrics:"))
            .unwrap_or_else(|| panic!("{cmd} --help has no metrics line:\n{help}"));
        let listed: Vec<&str> = line.split_whitespace().collect();
        for name in mtharness::metrics::METRIC_NAMES {
            assert!(listed.contains(&name), "{cmd} --help omits {name}: {line}");
        }
    }
}

#[test]
fn line_count_mismatch_names_both_files_and_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let r = tmp.path().join("ref.txt");
    let h = tmp.path().join("hyp.txt");
    std::fs::write(&r, "a\nb\nc\n").unwrap();
    std::fs::write(&h, "a\nb\n").unwrap();
    let o = run(bin().arg("score").arg("-r").arg(&r).arg("-i").arg(&h));
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("hyp.txt") && e.contains("ref.txt"), "{e}");
    assert!(e.contains('2') && e.contains('3'), "{e}");
}

#[test]
fn missing_file_is_an_error_not_a_panic() {
    let o = run(bin().args(["score", "-r", "/nonexistent/ref", "-i", "/nonexistent/hyp"]));
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("/nonexistent/"), "{e}");
    assert!(!e.contains("panicked"), "{e}");
}

#[test]
fn sample_article_is_aligned_and_the_boilerplate_comes_out_as_additions() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let o = run(bin()
        .arg("score")
        .arg(root.join("corpora/sample"))
        .arg("--csv")
        .arg(tmp.path())
        .arg("--quiet"));
    assert!(o.status.success(), "{}", stderr(&o));
    let mut rdr = csv::Reader::from_path(tmp.path().join("segments.csv")).unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let beads: Vec<&str> = rows.iter().map(|r| &r[6]).collect();
    // Every reference sentence is paired one to one, in order; the scraper boilerplate
    // ("Source link", "Leave a Reply", "Your email address ... marked *", split in two) is added.
    let n = beads.len();
    assert!(beads[..n - 4].iter().all(|b| *b == "1-1"), "{beads:?}");
    assert!(beads[n - 4..].iter().all(|b| *b == "0-1"), "{beads:?}");
    for (k, r) in rows[..n - 4].iter().enumerate() {
        assert_eq!(&r[4], (k + 1).to_string(), "ref ids in order");
        assert_eq!(&r[5], (k + 1).to_string(), "hyp ids in order");
    }
    let docs = std::fs::read_to_string(tmp.path().join("documents.csv")).unwrap();
    let row = docs.lines().nth(1).unwrap();
    assert!(
        row.starts_with("seed-mt,000_ce49ac1db8a694aa,24,0,4,"),
        "{row}"
    );
}

/// `bench` wrote the tracked `reports/throughput.csv` of whatever folder it ran in: it writes a
/// CSV only when `--out` names one.
#[test]
fn bench_writes_a_csv_only_when_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let args = [
        "bench",
        "--segments",
        "50",
        "--threads",
        "1",
        "-m",
        "bleu",
        "-q",
    ];
    let o = run(bin().current_dir(tmp.path()).args(args));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!tmp.path().join("reports").exists());
    let o = run(bin()
        .current_dir(tmp.path())
        .args(args)
        .args(["--out", "t.csv"]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let csv = std::fs::read_to_string(tmp.path().join("t.csv")).unwrap();
    assert!(csv.starts_with("metric,segments,bytes,threads,"), "{csv}");
}

/// `terms.csv` numbered segments from 0 for line-aligned input while `segments.csv` numbers
/// them from 1: both count from 1 now.
#[test]
fn terms_csv_numbers_segments_from_one_as_segments_csv() {
    let tmp = tempfile::tempdir().unwrap();
    let p = |n: &str| tmp.path().join(n);
    std::fs::write(p("ref.txt"), "a ceasefire now\nno ceasefire\n").unwrap();
    std::fs::write(p("hyp.txt"), "a high fire now\nno ceasefire\n").unwrap();
    std::fs::write(
        p("g.csv"),
        "id,expected,allowed,forbidden,kind\nceasefire,ceasefire,,high fire,term\n",
    )
    .unwrap();
    let o = run(bin()
        .current_dir(tmp.path())
        .args([
            "terms",
            "-r",
            "ref.txt",
            "-i",
            "hyp.txt",
            "--glossary",
            "g.csv",
        ])
        .args(["--csv", "out", "-q"]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let csv = std::fs::read_to_string(p("out/terms.csv")).unwrap();
    let cells: Vec<(String, String)> = csv
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[1].to_string(), f[6].to_string())
        })
        .collect();
    assert_eq!(
        cells,
        [
            ("1".into(), "forbidden".into()),
            ("2".into(), "correct".into()),
            // a finding of the whole document (two renderings of one term) has no segment
            ("".into(), "inconsistent".into()),
        ],
        "{csv}"
    );
}
