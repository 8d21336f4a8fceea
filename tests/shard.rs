//! Sharded scoring: `score --shard I/N --stats FILE` on every shard, then `merge`, must write
//! the same systems.csv / documents.csv / segments.csv as one `score` run, byte for byte.

mod common;
use common::bin;

use std::path::{Path, PathBuf};
use std::process::Output;

use mtharness::corpus::{Corpus, Document};
use mtharness::eval::{evaluate, AlignMode, EvalOptions};
use mtharness::metrics::{build_metrics, MetricOptions};
use mtharness::report::{write_csv_reports, CsvOptions};
use mtharness::shard::{evaluate_shard, merge, read_stats, write_stats, ShardConfig, ShardSpec};

fn ok(o: Output) -> Output {
    assert!(
        o.status.success(),
        "mtharness failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn files(dir: &Path) -> Vec<(String, String)> {
    let mut v: Vec<_> = ["systems.csv", "documents.csv", "segments.csv"]
        .iter()
        .map(|n| {
            (
                n.to_string(),
                std::fs::read_to_string(dir.join(n)).unwrap_or_else(|e| panic!("{n}: {e}")),
            )
        })
        .collect();
    v.sort();
    v
}

fn assert_same_reports(single: &Path, merged: &Path) {
    for ((name, a), (_, b)) in files(single).into_iter().zip(files(merged)) {
        assert!(a.lines().count() > 1, "{name} is empty");
        if a != b {
            let first = a.lines().zip(b.lines()).position(|(x, y)| x != y);
            panic!("{name} differs at line {first:?}");
        }
    }
}

/// Scores `args` once and as `n` shards, merges, and compares the CSV reports.
fn check_sharded(args: &[String], n: usize, tmp: &Path) {
    let single = tmp.join("single");
    ok(bin()
        .args(args)
        .arg("--csv")
        .arg(&single)
        .arg("-q")
        .output()
        .unwrap());
    let mut stats: Vec<PathBuf> = Vec::new();
    // shards in reverse order: the merge must not depend on the order it is given files in
    for i in (0..n).rev() {
        let p = tmp.join(format!("stats.{i}.csv"));
        ok(bin()
            .args(args)
            .args(["--shard", &format!("{i}/{n}"), "--stats"])
            .arg(&p)
            .arg("-q")
            .output()
            .unwrap());
        stats.push(p);
    }
    let merged = tmp.join("merged");
    ok(bin()
        .arg("merge")
        .args(&stats)
        .arg("--csv")
        .arg(&merged)
        .arg("-q")
        .output()
        .unwrap());
    assert_same_reports(&single, &merged);
}

#[test]
fn ru_en_three_shards_by_document_equal_single_run() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    check_sharded(&common::ru_en_score_args(&shared, true), 3, tmp.path());
}

#[test]
fn ru_en_one_document_three_shards_by_segment_equal_single_run() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let mut args = common::ru_en_score_args(&shared, false);
    args.extend(["-m", "bleu", "ter", "cer"].map(String::from));
    check_sharded(&args, 3, tmp.path());
}

// Regression: the sample is one document whose MT must be aligned; shard 0 scores it whole and
// shards 1 and 2 wrote a `doc` row for an empty stand-in of it, so merge refused them ("shards
// disagree on document 0").
#[test]
fn one_aligned_document_in_three_shards_merges_to_the_single_run() {
    let tmp = tempfile::tempdir().unwrap();
    let args = ["score", "corpora/sample"].map(String::from);
    check_sharded(&args, 3, tmp.path());
}

#[test]
fn shards_scored_differently_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("ref.txt"), "a b c\nd e f\ng h\n").unwrap();
    std::fs::write(dir.join("hyp.txt"), "a b x\nd f\ng h i\n").unwrap();
    std::fs::write(dir.join("docids"), "d1\nd2\nd3\n").unwrap();
    let base = |extra: &[&str], i: usize, out: &str| {
        bin()
            .args(["score", "-r"])
            .arg(dir.join("ref.txt"))
            .arg("-i")
            .arg(dir.join("hyp.txt"))
            .arg("--docids")
            .arg(dir.join("docids"))
            .args([
                "-m",
                "bleu",
                "ter",
                "-q",
                "--shard",
                &format!("{i}/2"),
                "--stats",
            ])
            .arg(dir.join(out))
            .args(extra)
            .output()
            .unwrap()
    };
    ok(base(&[], 0, "s0.csv"));
    ok(base(&[], 1, "s1.csv"));
    ok(base(&["--lowercase"], 1, "s1lc.csv"));
    let merge = |names: &[&str]| {
        bin()
            .arg("merge")
            .args(names.iter().map(|n| dir.join(n)))
            .arg("-q")
            .output()
            .unwrap()
    };
    ok(merge(&["s1.csv", "s0.csv"]));
    let o = merge(&["s0.csv", "s1lc.csv"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("scored differently") && err.contains("lowercase"),
        "{err}"
    );
    let err_of = |o: Output| {
        assert_eq!(o.status.code(), Some(2));
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    assert!(err_of(merge(&["s0.csv"])).contains("shard 1/2 is missing"));
    assert!(err_of(merge(&["s0.csv", "s0.csv", "s1.csv"])).contains("given twice"));
    // a bad shard spec and a tampered file are errors, not panics
    let o = bin()
        .args(["score", "-r"])
        .arg(dir.join("ref.txt"))
        .arg("-i")
        .arg(dir.join("hyp.txt"))
        .args(["--shard", "2/2", "--stats"])
        .arg(dir.join("x.csv"))
        .output()
        .unwrap();
    assert!(err_of(o).contains("0 <= I < N"));
    let text = std::fs::read_to_string(dir.join("s1.csv")).unwrap();
    let tampered = text.replacen("\nseg,", "\nseg,no-such-system-", 1);
    std::fs::write(dir.join("bad.csv"), tampered).unwrap();
    assert!(err_of(merge(&["s0.csv", "bad.csv"])).contains("unknown system"));
}

/// Documents whose segment counts differ are sentence-aligned; shards align them the same way.
#[test]
fn aligned_documents_merge_exactly() {
    let doc = |id: &str, refs: &[&str], hyps: &[&str]| Document {
        id: id.into(),
        source: None,
        refs: vec![refs.iter().map(|s| s.to_string()).collect()],
        hyps: vec![hyps.iter().map(|s| s.to_string()).collect()],
        lines: Vec::new(),
    };
    let mut documents = vec![
        doc(
            "a",
            &["The cat sat on the mat.", "It was happy.", "Then it left."],
            &[
                "The cat sat on the mat. It was happy.",
                "Then it went away.",
            ],
        ),
        doc("b", &["One line."], &["One line."]),
        doc(
            "c",
            &["x y z", "p q"],
            &["x y", "p q r", "extra words here"],
        ),
    ];
    let mut line = 1;
    for d in &mut documents {
        d.lines = (line..line + d.refs[0].len()).collect();
        line += d.refs[0].len();
    }
    let corpus = Corpus {
        name: "toy".into(),
        ref_names: vec!["A".into()],
        system_names: vec!["sys".into()],
        documents,
    };
    let cfg = ShardConfig {
        metrics: vec!["bleu".into(), "chrf".into(), "ter".into()],
        metric_options: MetricOptions::default(),
        normalizer: Default::default(),
        align: AlignMode::Auto,
    };
    let tmp = tempfile::tempdir().unwrap();
    let single = evaluate(
        &corpus,
        build_metrics(&cfg.metrics, &cfg.metric_options).unwrap(),
        &EvalOptions::default(),
    )
    .unwrap();
    assert!(single.systems[0]
        .segments
        .iter()
        .any(|s| s.pair.similarity.is_some()));
    write_csv_reports(&single, &tmp.path().join("single"), &CsvOptions::default()).unwrap();
    let mut shards = Vec::new();
    for i in 0..2 {
        let (_, st) = evaluate_shard(&corpus, &cfg, ShardSpec { index: i, count: 2 }).unwrap();
        let p = tmp.path().join(format!("s{i}.csv"));
        write_stats(&p, &st).unwrap();
        shards.push(read_stats(&p).unwrap());
    }
    let merged = merge(shards).unwrap();
    write_csv_reports(&merged, &tmp.path().join("merged"), &CsvOptions::default()).unwrap();
    assert_same_reports(&tmp.path().join("single"), &tmp.path().join("merged"));
    assert_eq!(merged.systems, single.systems);
}
