//! Streaming (`score --stream`, `mtharness::stream`): the same reports as the in-memory path,
//! byte for byte, whatever the chunk size and thread count; the same errors; no partial report
//! after an error; refusals of options that need the whole corpus.

mod common;
use common::{bin, stderr};

use std::path::{Path, PathBuf};

use mtharness::corpus::{self, Limits, LoadSpec};
use mtharness::eval::{evaluate, EvalOptions};
use mtharness::metrics::{build_metrics, MetricOptions};
use mtharness::report::{write_csv_reports, CsvOptions};
use mtharness::stream::{score_stream, CsvSink, NullSink, StreamOptions};

const REPORTS: [&str; 3] = ["segments.csv", "documents.csv", "systems.csv"];

/// The three reports of a folder, and nothing else may be there (no temporary file).
fn reports(dir: &Path) -> Vec<(String, String)> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["documents.csv", "segments.csv", "systems.csv"]);
    REPORTS
        .iter()
        .map(|n| (n.to_string(), std::fs::read_to_string(dir.join(n)).unwrap()))
        .collect()
}

fn assert_same(a: &[(String, String)], b: &[(String, String)], what: &str) {
    for ((name, x), (_, y)) in a.iter().zip(b) {
        assert!(x.lines().count() > 1, "{name} is empty");
        if x != y {
            let first = x.lines().zip(y.lines()).position(|(p, q)| p != q);
            panic!(
                "{what}: {name} differs at line {first:?} ({} vs {} lines)",
                x.lines().count(),
                y.lines().count()
            );
        }
    }
}

#[test]
fn score_stream_writes_the_same_reports_and_table_as_score() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let mut args = common::ru_en_score_args(&shared, true);
    let base = args.clone();
    args.extend(["-m", "bleu", "chrf", "ter", "wer"].map(String::from));
    let plain_dir = tmp.path().join("plain");
    let plain = bin()
        .args(&args)
        .arg("--csv")
        .arg(&plain_dir)
        .output()
        .unwrap();
    assert!(plain.status.success(), "{}", stderr(&plain));
    let expected = reports(&plain_dir);
    for threads in ["1", "3"] {
        let dir = tmp.path().join(format!("stream{threads}"));
        let o = bin()
            .args(&args)
            .args(["--stream", "--csv"])
            .arg(&dir)
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&plain.stdout),
            "printed table, {threads} threads"
        );
        assert_same(&expected, &reports(&dir), &format!("{threads} threads"));
    }
    // -b and -f csv print the same as without --stream.
    for extra in [
        &["-b", "-m", "bleu"][..],
        &["-f", "csv", "-w", "4", "-m", "chrf"],
    ] {
        let args = &base;
        let a = bin().args(args).args(extra).output().unwrap();
        let b = bin()
            .args(args)
            .args(extra)
            .arg("--stream")
            .output()
            .unwrap();
        assert!(a.status.success() && b.status.success(), "{}", stderr(&b));
        assert_eq!(a.stdout, b.stdout, "{extra:?}");
    }
}

/// The library path with chunks smaller than documents, a selection of systems, two
/// references and normalisation: the same CSV bytes as `evaluate` + `write_csv_reports`.
#[test]
fn chunk_sizes_do_not_change_the_reports() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let ru = shared.join("corpora/wmt22-ru-en");
    let de = shared.join("corpora/wmt22-de-en");
    let specs = [
        LoadSpec {
            refs: vec![ru.join("ref.A.en")],
            hyps: ["Online-B", "HuaweiTSC", "Lan-Bridge"]
                .map(|s| ru.join(format!("hyp.{s}.en")))
                .to_vec(),
            docids: Some(ru.join("docids")),
            source: Some(ru.join("src.ru")),
            systems: Some(vec!["Lan-Bridge".into(), "Online-B".into()]),
            ..LoadSpec::default()
        },
        LoadSpec {
            refs: vec![de.join("ref.A.en"), de.join("ref.B.en")],
            hyps: vec![de.join("hyp.LT22.en"), de.join("hyp.PROMT.en")],
            ..LoadSpec::default()
        },
    ];
    let names: Vec<String> = ["bleu", "chrf++", "cer"].map(String::from).to_vec();
    let tmp = tempfile::tempdir().unwrap();
    // normalisation on the first corpus only (each run scores both corpora several times)
    for (k, (spec, norm)) in specs.iter().zip(["all", "none"]).enumerate() {
        let normalizer: mtharness::text::Normalizer = norm.parse().unwrap();
        let metrics = build_metrics(&names, &MetricOptions::default()).unwrap();
        let ev = evaluate(
            corpus::load(spec).unwrap(),
            metrics,
            &EvalOptions {
                normalizer: normalizer.clone(),
                ..EvalOptions::default()
            },
        )
        .unwrap();
        let plain_dir = tmp.path().join(format!("plain{k}{norm}"));
        write_csv_reports(&ev, &plain_dir, &CsvOptions::default()).unwrap();
        let expected = reports(&plain_dir);
        for chunk_lines in [1, 7, 100_000] {
            let dir = tmp.path().join(format!("stream{k}{norm}{chunk_lines}"));
            let metrics = build_metrics(&names, &MetricOptions::default()).unwrap();
            let n_sys = ev.systems.len();
            let mut sink = CsvSink::create(&dir, &metrics, n_sys, CsvOptions::default()).unwrap();
            let opts = StreamOptions {
                normalizer: normalizer.clone(),
                chunk_lines,
            };
            let out = score_stream(spec, metrics, &opts, &mut sink).unwrap();
            sink.finish(&out).unwrap();
            let what = format!("spec {k}, --normalize {norm}, chunks of {chunk_lines}");
            assert_same(&expected, &reports(&dir), &what);
            // System sums are bit-identical.
            for (a, b) in ev.systems.iter().zip(&out.evaluation.systems) {
                assert_eq!(a.name, b.name, "{what}");
                assert_eq!(a.stats, b.stats, "{what}");
            }
            assert_eq!(out.segments, ev.corpus.num_segments(), "{what}");
            assert_eq!(out.documents, ev.documents.len(), "{what}");
        }
    }
}

/// Writes small line-aligned files into `dir`: `(name, content)`.
fn write_files(dir: &Path, files: &[(&str, &[u8])]) -> Vec<PathBuf> {
    files
        .iter()
        .map(|(name, content)| {
            let p = dir.join(name);
            std::fs::write(&p, content).unwrap();
            p
        })
        .collect()
}

/// The error of the in-memory path and of streaming (with tiny chunks) for the same input.
fn both_errors(spec: &LoadSpec) -> (String, String) {
    let names = vec!["bleu".to_string()];
    let plain = corpus::load(spec)
        .and_then(|c| {
            evaluate(
                &c,
                build_metrics(&names, &MetricOptions::default())?,
                &EvalOptions::default(),
            )
        })
        .err()
        .map(|e| e.to_string())
        .unwrap_or_else(|| "no error".into());
    let opts = StreamOptions {
        chunk_lines: 2,
        ..StreamOptions::default()
    };
    let metrics = build_metrics(&names, &MetricOptions::default()).unwrap();
    let streamed = score_stream(spec, metrics, &opts, &mut NullSink)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_else(|| "no error".into());
    (plain, streamed)
}

#[test]
fn input_errors_are_the_same_as_without_streaming() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let five = b"a b\nc d\ne f\ng h\ni j\n";
    let p = write_files(
        d,
        &[
            ("ref.A.en", five),
            ("hyp.S.en", b"a b\nc d\ne f\ng h\ni j\n"),
            ("hyp.short.en", b"a b\nc d\ne f\n"),
            ("hyp.long.en", b"a b\nc d\ne f\ng h\ni j\nk\nl\n"),
            ("hyp.badutf8.en", b"a b\nc \xFF\ne f\ng h\ni j\n"),
            ("hyp.bom.en", b"\xEF\xBB\xBFa b\r\nc d\ne f\ng h\ni j"),
            ("empty.en", b""),
            ("bomonly.en", b"\xEF\xBB\xBF"),
            ("ids.ok", b"d1\nd1\nd2\nd2\nd2\n"),
            ("ids.back", b"d1\nd2\nd1\nd3\nd3\n"),
            ("ids.blank", b"d1\nd1\n \nd2\nd2\n"),
            ("ids.short", b"d1\nd1\n"),
            (
                "hyp.longline.en",
                b"a b\nc d\ne f g h i j k l m n o p\ng h\ni j\n",
            ),
        ],
    );
    let path = |name: &str| p.iter().find(|x| x.ends_with(name)).unwrap().clone();
    let spec = |refs: &[&str], hyps: &[&str]| LoadSpec {
        refs: refs.iter().map(|n| path(n)).collect(),
        hyps: hyps.iter().map(|n| path(n)).collect(),
        ..LoadSpec::default()
    };
    let with_ids = |ids: &str| LoadSpec {
        docids: Some(path(ids)),
        ..spec(&["ref.A.en"], &["hyp.S.en"])
    };
    let cases: Vec<(&str, LoadSpec)> = vec![
        (
            "short system",
            spec(&["ref.A.en"], &["hyp.S.en", "hyp.short.en"]),
        ),
        (
            "long system",
            spec(&["ref.A.en"], &["hyp.long.en", "hyp.S.en"]),
        ),
        ("short reference", spec(&["hyp.short.en"], &["hyp.S.en"])),
        ("invalid UTF-8", spec(&["ref.A.en"], &["hyp.badutf8.en"])),
        ("empty system", spec(&["ref.A.en"], &["empty.en"])),
        ("empty reference", spec(&["empty.en"], &["hyp.S.en"])),
        ("BOM only", spec(&["ref.A.en"], &["bomonly.en"])),
        ("docid comes back", with_ids("ids.back")),
        ("blank docid", with_ids("ids.blank")),
        ("short docids", with_ids("ids.short")),
        ("empty docids", with_ids("empty.en")),
        (
            "unknown system",
            LoadSpec {
                systems: Some(vec!["nope".into()]),
                ..spec(&["ref.A.en"], &["hyp.S.en"])
            },
        ),
        (
            "line too long",
            LoadSpec {
                limits: Limits {
                    max_line_bytes: 10,
                    ..Limits::default()
                },
                ..spec(&["ref.A.en"], &["hyp.S.en", "hyp.longline.en"])
            },
        ),
        (
            "document too long",
            LoadSpec {
                limits: Limits {
                    max_doc_segments: 2,
                    ..Limits::default()
                },
                ..with_ids("ids.ok")
            },
        ),
        (
            "document too long and a long line in it (the document length is reported)",
            LoadSpec {
                limits: Limits {
                    max_doc_segments: 2,
                    max_line_bytes: 10,
                },
                docids: Some(path("ids.ok")),
                ..spec(&["ref.A.en"], &["hyp.longline.en"])
            },
        ),
    ];
    for (what, spec) in &cases {
        let (plain, streamed) = both_errors(spec);
        assert_ne!(plain, "no error", "{what}");
        assert_eq!(plain, streamed, "{what}");
    }
    // Valid oddities (CRLF, BOM, no final newline, documents) score the same.
    for spec in [
        spec(&["ref.A.en"], &["hyp.bom.en"]),
        with_ids("ids.ok"),
        LoadSpec {
            source: Some(path("hyp.S.en")),
            ..spec(&["ref.A.en", "hyp.S.en"], &["hyp.bom.en", "hyp.S.en"])
        },
    ] {
        assert_eq!(both_errors(&spec), ("no error".into(), "no error".into()));
    }
}

/// An error found after rows were written (a system with one line too many, found at the end)
/// leaves the old reports as they were and no temporary file.
#[test]
fn an_error_midway_leaves_no_partial_report() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let many: String = (0..50).map(|i| format!("word {i} and more\n")).collect();
    let p = write_files(
        d,
        &[
            ("ref.A.en", many.as_bytes()),
            ("hyp.S.en", many.as_bytes()),
            ("hyp.T.en", format!("{many}extra\n").as_bytes()),
        ],
    );
    let out = d.join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("segments.csv"), "old").unwrap();
    let spec = LoadSpec {
        refs: vec![p[0].clone()],
        hyps: vec![p[1].clone(), p[2].clone()],
        ..LoadSpec::default()
    };
    let names = vec!["bleu".to_string()];
    let metrics = build_metrics(&names, &MetricOptions::default()).unwrap();
    let mut sink = CsvSink::create(&out, &metrics, 2, CsvOptions::default()).unwrap();
    let opts = StreamOptions {
        chunk_lines: 4,
        ..StreamOptions::default()
    };
    let err = score_stream(&spec, metrics, &opts, &mut sink)
        .err()
        .expect("a line-count mismatch");
    drop(sink);
    let msg = err.to_string();
    assert!(msg.contains("hyp.T.en has 51 lines"), "{msg}");
    let left: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["segments.csv"], "temporary files left behind");
    assert_eq!(
        std::fs::read_to_string(out.join("segments.csv")).unwrap(),
        "old"
    );

    // Through the CLI: exit 2, the message, nothing written.
    let o = bin()
        .args(["score", "--stream", "-q", "-r"])
        .arg(&p[0])
        .arg("-i")
        .args([&p[1], &p[2]])
        .arg("--csv")
        .arg(d.join("cli"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("51 lines"), "{}", stderr(&o));
    let written = std::fs::read_dir(d.join("cli")).map_or(0, |r| r.count());
    assert_eq!(written, 0, "a failed run left files");
}

#[test]
fn options_that_need_the_whole_corpus_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let p = write_files(d, &[("ref.A.en", b"a b\n"), ("hyp.S.en", b"a c\n")]);
    let base = |extra: &[&str]| {
        let mut c = bin();
        c.args(["score", "--stream", "-r"])
            .arg(&p[0])
            .arg("-i")
            .arg(&p[1])
            .args(extra);
        c.output().unwrap()
    };
    for (extra, flag) in [
        (&["--html", "x.html"][..], "--html"),
        (&["--json", "x.json"], "--json"),
        (&["-f", "json"], "--format json"),
        (&["--glossary", "g.csv"], "--glossary"),
        (&["--align"], "--align"),
        (&["--stats", "s.csv"], "--stats"),
    ] {
        let o = base(extra);
        assert_eq!(o.status.code(), Some(2), "{extra:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(flag) && stderr(&o).contains("--stream"),
            "{extra:?}: {}",
            stderr(&o)
        );
    }
    let o = bin().args(["score", "--stream"]).arg(d).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("line-aligned"), "{}", stderr(&o));
    // The plain options work.
    let o = base(&["-b", "-m", "bleu"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// `bench --stream` rows: one per metric and one for all, each with the scored pairs and a
/// peak RSS (Linux).
#[test]
fn bench_stream_rows_count_pairs() {
    use mtharness::bench::{run_stream_bench, BenchOptions, STREAM_ROW_PREFIX};
    let tmp = tempfile::tempdir().unwrap();
    let text: String = (0..300).map(|i| format!("the cat {i} sat\n")).collect();
    let p = write_files(
        tmp.path(),
        &[
            ("ref.A.en", text.as_bytes()),
            ("hyp.S.en", text.as_bytes()),
            ("hyp.T.en", text.as_bytes()),
        ],
    );
    let spec = LoadSpec {
        refs: vec![p[0].clone()],
        hyps: vec![p[1].clone(), p[2].clone()],
        ..LoadSpec::default()
    };
    let opts = BenchOptions {
        metrics: vec!["bleu".into(), "wer".into()],
        threads: vec![1, 2],
        ..BenchOptions::default()
    };
    let rows = run_stream_bench(&spec, &opts, |_| {}).unwrap();
    let labels: Vec<&str> = rows.iter().map(|r| r.metric.as_str()).collect();
    let expected: Vec<String> = ["BLEU", "WER", "all"]
        .iter()
        .map(|m| format!("{STREAM_ROW_PREFIX}{m}"))
        .collect();
    assert_eq!(labels, [&expected[..], &expected[..]].concat());
    for r in &rows {
        assert_eq!(r.segments, 600, "{}", r.metric);
        assert_eq!(r.bytes, 2 * 2 * text.len() as u64 - 4 * 300, "{}", r.metric);
        if cfg!(target_os = "linux") {
            assert!(r.peak_rss_kb.is_some_and(|k| k > 0), "{}", r.metric);
        }
    }
}
