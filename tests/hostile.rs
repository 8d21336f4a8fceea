//! Inputs and invocations that once crashed mtharness, cost without bound or lost or damaged
//! files (issue 21's findings): each runs the binary on a small generated input and checks the exit code, the
//! message and, where the finding was about cost, the time and the peak memory (from
//! `/usr/bin/time -v` when it is installed). TESTING.md lists each test beside its finding.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The outcome of one run of the binary.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    /// Peak resident set size in KiB, when `/usr/bin/time` measured it.
    max_rss_kb: Option<u64>,
}

impl Run {
    /// Fails unless the run exited with `code` and its standard error contains every `needles`.
    fn expect(&self, code: i32, needles: &[&str]) -> &Run {
        assert_eq!(
            self.code, code,
            "exit code {} (want {code}); stderr: {}",
            self.code, self.stderr
        );
        for n in needles {
            assert!(
                self.stderr.contains(n),
                "{n:?} not in stderr: {}",
                self.stderr
            );
        }
        self
    }

    /// Fails if the run took longer than `secs` or peaked above `mb` MiB.
    fn within(&self, secs: u64, mb: u64) -> &Run {
        assert!(
            self.elapsed < Duration::from_secs(secs),
            "took {:?} (bound {secs} s)",
            self.elapsed
        );
        if let Some(kb) = self.max_rss_kb {
            assert!(kb < mb * 1024, "peak RSS {kb} KiB (bound {mb} MiB)");
        }
        self
    }
}

/// Runs the binary in `dir` with `args` (under `/usr/bin/time -v` when installed, for the
/// peak memory), standard input closed and standard output captured.
fn run(dir: &Path, args: &[&str]) -> Run {
    let time = Path::new("/usr/bin/time");
    let rusage = dir.join(format!(".rusage.{}", std::process::id()));
    let mut cmd = if time.exists() {
        let mut c = Command::new(time);
        c.arg("-v")
            .arg("-o")
            .arg(&rusage)
            .arg(env!("CARGO_BIN_EXE_mtharness"));
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_mtharness"))
    };
    cmd.args(args).current_dir(dir).stdin(Stdio::null());
    let start = Instant::now();
    let out = cmd.output().expect("run mtharness");
    let elapsed = start.elapsed();
    let max_rss_kb = std::fs::read_to_string(&rusage).ok().and_then(|t| {
        t.lines()
            .find_map(|l| {
                l.trim()
                    .strip_prefix("Maximum resident set size (kbytes): ")
            })
            .and_then(|v| v.trim().parse().ok())
    });
    let _ = std::fs::remove_file(&rusage);
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        elapsed,
        max_rss_kb,
    }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// A two-line reference and MT file pair in `dir`: `ref.txt`, `hyp.sys.en`.
fn small_pair(dir: &Path) {
    write(dir, "ref.txt", "the cat sat on the mat\nhello world\n");
    write(
        dir,
        "hyp.sys.en",
        "the cat sat on a mat\nhello there world\n",
    );
}

/// A TBX glossary of one English entry whose `<term>` holds `inner`.
fn tbx(inner: &str) -> String {
    format!(
        "<tbx><text><body><conceptEntry id=\"a\"><langSec xml:lang=\"en\"><termSec>\
         <term>{inner}</term></termSec></langSec></conceptEntry></body></text></tbx>\n"
    )
}

fn terms_with(dir: &Path, glossary: &str) -> Run {
    small_pair(dir);
    run(
        dir,
        &[
            "terms",
            "-r",
            "ref.txt",
            "-i",
            "hyp.sys.en",
            "--glossary",
            glossary,
        ],
    )
}

fn sample() -> String {
    format!("{}/corpora/sample", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn f01_deep_tbx_nesting_is_refused_before_it_overflows_the_stack() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 13_000;
    let inner = format!("{}x{}", "<hi>".repeat(depth), "</hi>".repeat(depth));
    write(dir.path(), "g.tbx", &tbx(&inner));
    terms_with(dir.path(), "g.tbx")
        .expect(
            2,
            &[
                "g.tbx:1:",
                "elements nested more than 256 deep",
                "TBX glossary",
            ],
        )
        .within(10, 200);
}

#[test]
fn f01_tbx_within_the_depth_limit_still_reads() {
    let dir = tempfile::tempdir().unwrap();
    let inner = format!("{}cat{}", "<hi>".repeat(100), "</hi>".repeat(100));
    write(dir.path(), "g.tbx", &tbx(&inner));
    let r = terms_with(dir.path(), "g.tbx");
    r.expect(0, &[]);
    assert!(r.stdout.contains("sys"), "{}", r.stdout);
}

#[test]
fn f02_ter_on_one_long_line_is_bounded() {
    // One 1 MB line a side (under the 1 MiB line limit), unrelated words: TER tried to
    // allocate 93 GB. Now the pair is scored without shift search, with a warning.
    let dir = tempfile::tempdir().unwrap();
    let line = |seed: u64| {
        let mut x = seed;
        let mut s = String::new();
        while s.len() < 1_000_000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            s += &format!("w{} ", (x >> 33) % 5000);
        }
        s.truncate(1_000_000);
        s.push('\n');
        s
    };
    write(dir.path(), "ref.txt", &line(1));
    write(dir.path(), "hyp.sys.en", &line(2));
    let r = run(
        dir.path(),
        &[
            "score",
            "-r",
            "ref.txt",
            "-i",
            "hyp.sys.en",
            "-m",
            "ter",
            "-b",
        ],
    );
    r.expect(
        0,
        &["warning: TER scored 1 pair(s)", "without shift search"],
    )
    .within(30, 10 * 2 + 200);
    let ter: f64 = r.stdout.trim().parse().unwrap();
    assert!(ter > 50.0 && ter <= 100.0, "{ter}");
}

#[test]
fn f03_a_huge_width_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    small_pair(dir.path());
    for w in ["65536", "21", "x"] {
        run(
            dir.path(),
            &["score", "-r", "ref.txt", "-i", "hyp.sys.en", "-w", w],
        )
        .expect(2, &["--width", "from 0 to 20"]);
    }
    let r = run(
        dir.path(),
        &[
            "score",
            "-r",
            "ref.txt",
            "-i",
            "hyp.sys.en",
            "-m",
            "bleu",
            "-w",
            "20",
            "-b",
        ],
    );
    r.expect(0, &[]);
    let decimals = r.stdout.trim().split_once('.').map(|(_, d)| d.len());
    assert_eq!(decimals, Some(20), "{}", r.stdout);
}

/// Writes the stats file of a one-shard run of the small pair and returns its text.
fn stats_file(dir: &Path) -> String {
    small_pair(dir);
    run(
        dir,
        &[
            "score",
            "-r",
            "ref.txt",
            "-i",
            "hyp.sys.en",
            "--shard",
            "0/1",
            "--stats",
            "s.csv",
            "-q",
        ],
    )
    .expect(0, &[]);
    std::fs::read_to_string(dir.join("s.csv")).unwrap()
}

/// `text` with column `col` of the first `seg` row set to `value`.
fn edit_seg_row(text: &str, col: usize, value: &str) -> (String, usize) {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let k = lines.iter().position(|l| l.starts_with("seg,")).unwrap();
    let mut cells: Vec<&str> = lines[k].split(',').collect();
    cells[col] = value;
    lines[k] = cells.join(",");
    (lines.join("\n") + "\n", k + 1)
}

#[test]
fn f04_a_huge_shard_count_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    small_pair(dir.path());
    run(
        dir.path(),
        &[
            "score",
            "-r",
            "ref.txt",
            "-i",
            "hyp.sys.en",
            "--shard",
            "0/18446744073709551615",
            "--stats",
            "s.csv",
        ],
    )
    .expect(2, &["--shard '0/18446744073709551615'", "N <= 100000"])
    .within(10, 200);
    assert!(!dir.path().join("s.csv").exists());
    // A stats file edited to claim a huge run or a huge corpus: refused, nothing sized by it.
    let text = stats_file(dir.path());
    write(
        dir.path(),
        "n.csv",
        &text.replace("# shard: 0/1", "# shard: 0/100000"),
    );
    run(dir.path(), &["merge", "n.csv"])
        .expect(2, &["shard 1/100000 is missing (1 of 100000 given)"])
        .within(10, 200);
    write(
        dir.path(),
        "d.csv",
        &text.replace("# documents: 1", "# documents: 18446744073709551615"),
    );
    run(dir.path(), &["merge", "d.csv"])
        .expect(2, &["document 1 is in no shard"])
        .within(10, 200);
}

#[test]
fn f05_a_hostile_stats_row_is_refused_naming_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let text = stats_file(dir.path());
    // ref_to (column 7) far beyond the document's two reference segments
    let (bad, line) = edit_seg_row(&text, 6, "4000000000");
    write(dir.path(), "a.csv", &bad);
    run(dir.path(), &["merge", "a.csv", "--csv", "out"])
        .expect(
            2,
            &[
                &format!("a.csv:{line}:"),
                "expected at most 4 segments a side",
            ],
        )
        .within(10, 200);
    let (bad, _) = edit_seg_row(&text, 5, "99999999");
    let (bad, line) = edit_seg_row(&bad, 6, "100000000");
    write(dir.path(), "b.csv", &bad);
    run(dir.path(), &["merge", "b.csv", "--csv", "out"])
        .expect(
            2,
            &[
                &format!("b.csv:{line}:"),
                "column ref_to: 100000000; expected at most 2, the reference segments of document 0",
            ],
        )
        .within(10, 200);
    assert!(!dir.path().join("out").exists());
}

#[test]
fn f06_huge_resample_counts_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    small_pair(dir.path());
    write(dir.path(), "hyp.other.en", "the cat sat\nhello world\n");
    for (flag, extra) in [
        ("--paired-bs-n", None),
        ("--paired-ar-n", Some("--paired-ar")),
        ("--confidence-n", Some("--paired-ar")),
    ] {
        let mut args = vec![
            "compare",
            "-r",
            "ref.txt",
            "-i",
            "hyp.sys.en",
            "hyp.other.en",
        ];
        args.extend(extra);
        args.extend([flag, "1000000000000"]);
        run(dir.path(), &args)
            .expect(2, &[flag, "from 1 to 1000000"])
            .within(10, 200);
    }
}

/// Runs the binary with its standard output a pipe whose reader is gone before it writes.
fn into_closed_pipe(args: &[&str]) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mtharness"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn f07_a_closed_pipe_ends_quietly_with_exit_0() {
    let s = sample();
    for args in [
        vec!["score", s.as_str(), "--json", "-"],
        vec!["score", s.as_str()],
        vec!["score", s.as_str(), "-f", "csv"],
        vec!["completions", "bash"],
        vec!["man"],
        vec![
            "terms",
            s.as_str(),
            "--glossary",
            &format!("{s}/glossary.csv"),
        ],
    ] {
        let (code, stderr) = into_closed_pipe(&args);
        assert_eq!((code, stderr.as_str()), (0, ""), "{args:?}");
    }
}

#[test]
fn f17_absurd_thread_counts_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for t in ["1000000", "0", "1,2,5000"] {
        run(
            dir.path(),
            &[
                "bench",
                "--segments",
                "10",
                "-m",
                "bleu",
                "--threads",
                t,
                "--out",
                "t.csv",
            ],
        )
        .expect(2, &["--threads", "from 1 to 1024"])
        .within(10, 200);
    }
    assert!(!dir.path().join("t.csv").exists());
}

#[test]
fn f19_write_errors_on_stdout_exit_2() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("skipping: no /dev/full");
        return;
    };
    for args in [vec!["score", &sample()[..]], vec!["completions", "bash"]] {
        let out = Command::new(env!("CARGO_BIN_EXE_mtharness"))
            .args(&args)
            .stdout(full.try_clone().unwrap())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("mtharness: error: standard output: No space left on device"),
            "{stderr}"
        );
    }
}

#[test]
fn f27_bad_smoothing_values_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    small_pair(dir.path());
    for (method, v) in [("floor", "-5"), ("add-k", "NaN"), ("floor", "inf")] {
        run(
            dir.path(),
            &[
                "score",
                "-r",
                "ref.txt",
                "-i",
                "hyp.sys.en",
                "-m",
                "bleu",
                "--smooth-method",
                method,
                "--smooth-value",
                v,
            ],
        )
        .expect(2, &["--smooth-value", "expected a finite number >= 0"]);
    }
}

#[test]
fn f27_jsonl_duplicate_keys_name_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "t.jsonl",
        "{\"system\": \"s\", \"hyp\": \"a\", \"ref\": \"b\"}\n\
         {\"system\": \"s\", \"hyp\": \"a\", \"ref\": \"b\", \"hyp\": \"c\"}\n",
    );
    run(dir.path(), &["score", "t.jsonl"]).expect(
        2,
        &["t.jsonl:2:", "key \"hyp\" appears twice in one object"],
    );
}

#[test]
fn f27_a_baseline_with_nan_gains_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "base.csv",
        "rule,system,hits,segments_changed,gain_BLEU,segments_worse\nr,seed-mt,1,1,0.5,0\n\
         r2,seed-mt,1,1,NaN,0\n",
    );
    let s = sample();
    run(
        dir.path(),
        &[
            "rules",
            "test",
            &format!("{s}/rules.toml"),
            &s,
            "--baseline",
            "base.csv",
            "-q",
        ],
    )
    .expect(
        2,
        &[
            "base.csv:3:",
            "gain_BLEU: \"NaN\"; expected a finite number",
        ],
    );
    let dir2 = tempfile::tempdir().unwrap();
    run(
        dir2.path(),
        &[
            "rules",
            "test",
            &format!("{s}/rules.toml"),
            &s,
            "--min-gain",
            "BLEU=nan",
            "-q",
        ],
    )
    .expect(2, &["--min-gain \"BLEU=nan\"", "not a finite number"]);
}

#[test]
fn f27_empty_glossaries_are_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "g.csv", "id,expected\n");
    terms_with(dir.path(), "g.csv").expect(2, &["g.csv: no term after the header row"]);
    // a TBX whose only entry is French, read for English
    write(
        dir.path(),
        "g.tbx",
        "<tbx><text><body><conceptEntry id=\"a\"><langSec xml:lang=\"fr\"><termSec>\
         <term>chat</term></termSec></langSec></conceptEntry></body></text></tbx>\n",
    );
    terms_with(dir.path(), "g.tbx").expect(2, &["g.tbx: no entry has a \"en\" language section"]);
}

#[test]
fn f13_dtd_entities_in_tbx_are_refused() {
    // One 100 KB entity referenced 1,000 times: took 4.8 GB and 72 s.
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE tbx [<!ENTITY e \"{}\">]>\n{}",
        "a".repeat(100_000),
        tbx(&"&e;".repeat(1000))
    );
    write(dir.path(), "g.tbx", &text);
    terms_with(dir.path(), "g.tbx")
        .expect(
            2,
            &[
                "g.tbx:2:1:",
                "<!DOCTYPE> with declarations in [...] (entities) is refused",
            ],
        )
        .within(10, 200);
    // TBX 2008's external DOCTYPE is never fetched and still reads.
    let text = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE martif SYSTEM \"TBXcoreStructV02.dtd\">\n{}",
        tbx("cat")
    );
    write(dir.path(), "ok.tbx", &text);
    terms_with(dir.path(), "ok.tbx").expect(0, &[]);
}

#[test]
fn f08_many_attributes_are_refused_in_wmt_xml_and_tbx() {
    // 400,000 attributes on one element took 204 s (quadratic duplicate check).
    let dir = tempfile::tempdir().unwrap();
    let attrs: String = (0..400_000).map(|k| format!(" a{k}=\"\"")).collect();
    write(dir.path(), "g.tbx", &tbx(&format!("<hi{attrs}>cat</hi>")));
    terms_with(dir.path(), "g.tbx")
        .expect(2, &["g.tbx:1:", "an element with more than 256 attributes"])
        .within(10, 200);
    let mut xml = std::fs::File::create(dir.path().join("t.xml")).unwrap();
    write!(
        xml,
        "<dataset>\n<collection id=\"general\"{attrs}></collection></dataset>\n"
    )
    .unwrap();
    drop(xml);
    run(dir.path(), &["score", "t.xml"])
        .expect(
            2,
            &[
                "t.xml:2:1:",
                "an element with more than 256 attributes",
                "WMT XML",
            ],
        )
        .within(10, 200);
}

#[test]
fn f09_a_tsv_header_with_400000_columns_is_refused() {
    // took 138 s (a quadratic duplicate-name check)
    let dir = tempfile::tempdir().unwrap();
    let header: Vec<String> = (0..400_000).map(|k| format!("c{k}")).collect();
    write(
        dir.path(),
        "t.tsv",
        &format!("system\thyp\tref\t{}\ns\ta\tb\n", header.join("\t")),
    );
    run(dir.path(), &["score", "t.tsv"])
        .expect(
            2,
            &[
                "t.tsv:1:",
                "the header has 400003 columns; expected at most 1024",
            ],
        )
        .within(10, 200);
}

/// Whether `p` is a character device (as `/dev/null` must stay).
fn is_char_device(p: &str) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::metadata(p).is_ok_and(|m| m.file_type().is_char_device())
}

#[test]
fn f18_devices_and_fifos_are_written_directly_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let s = sample();
    if is_char_device("/dev/null") {
        run(dir.path(), &["score", &s, "--json", "/dev/null"]).expect(0, &[]);
        run(dir.path(), &["score", &s, "--html", "/dev/null"]).expect(0, &[]);
        assert!(is_char_device("/dev/null"), "/dev/null was replaced");
    }
    if is_char_device("/dev/full") {
        run(dir.path(), &["score", &s, "--html", "/dev/full"])
            .expect(2, &["/dev/full", "No space left on device"]);
        assert!(is_char_device("/dev/full"), "/dev/full was replaced");
    }
    // A FIFO: a reader on the other end gets the whole report, and the FIFO stays a FIFO.
    let fifo = dir.path().join("report.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipping the FIFO case: no mkfifo");
        return;
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    run(dir.path(), &["score", &s, "--json", "report.fifo"]).expect(0, &[]);
    let text = reader.join().unwrap();
    assert!(text.trim_start().starts_with('{') && text.contains("\"systems\""));
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
}

/// Names in `dir` of our temporary form `.mth.*`.
fn temp_names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".mth."))
        .collect();
    v.sort();
    v
}

#[test]
fn f21_temporary_files_of_dead_runs_are_cleaned_and_none_left_on_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // Beyond Linux's largest pid (2^22): a run that no longer exists.
    write(&out, ".mth.99999999.0.tmp", "stale");
    write(&out, ".mth.99999999.7.tmp", "stale part");
    // This test's own process is alive: its file is kept; so are names not of our form.
    let live = format!(".mth.{}.0.tmp", std::process::id());
    write(&out, &live, "live");
    write(&out, ".mth.notes.tmp", "a user's file");
    write(
        &out,
        ".segments.csv.99999999.tmp",
        "an older form: left alone",
    );
    run(dir.path(), &["score", &sample(), "--csv", "out"]).expect(0, &[]);
    assert_eq!(
        temp_names(&out),
        vec![live.clone(), ".mth.notes.tmp".into()]
    );
    assert!(out.join(".segments.csv.99999999.tmp").exists());
    for f in ["segments.csv", "documents.csv", "systems.csv"] {
        assert!(out.join(f).is_file(), "{f}");
    }
    // A failed run removes its own temporary files: systems.csv is a folder here.
    let bad = dir.path().join("bad");
    std::fs::create_dir_all(bad.join("systems.csv")).unwrap();
    run(dir.path(), &["score", &sample(), "--csv", "bad"])
        .expect(2, &["systems.csv", "is a folder, expected a file name"]);
    assert!(temp_names(&bad).is_empty(), "{:?}", temp_names(&bad));
    // And so does a streamed run that fails midway (a line over the limit).
    small_pair(dir.path());
    write(dir.path(), "ref.txt", &format!("a\n{}\n", "x".repeat(5000)));
    run(
        dir.path(),
        &[
            "score",
            "-r",
            "ref.txt",
            "-i",
            "hyp.sys.en",
            "--stream",
            "--max-line-bytes",
            "1000",
            "--csv",
            "out",
        ],
    )
    .expect(2, &["ref.txt"]);
    assert_eq!(temp_names(&out), vec![live, ".mth.notes.tmp".into()]);
}

#[test]
fn f28_a_250_character_report_name_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let name = format!("{}.json", "r".repeat(245));
    assert_eq!(name.len(), 250);
    run(dir.path(), &["score", &sample(), "--json", &name]).expect(0, &[]);
    assert!(dir.path().join(&name).is_file());
    assert!(temp_names(dir.path()).is_empty());
}

/// A copy of the sample corpus at `dir/corpus` (ref/, mt/, rules.toml); returns its path.
fn sample_copy(dir: &Path) -> PathBuf {
    let to = dir.join("corpus");
    let ok = Command::new("cp")
        .arg("-r")
        .arg(sample())
        .arg(&to)
        .status()
        .unwrap();
    assert!(ok.success());
    to
}

/// Every file under `dir`, with its contents, sorted (a snapshot to compare).
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(tree(&p));
        } else {
            out.push((p.clone(), std::fs::read(&p).unwrap()));
        }
    }
    out.sort();
    out
}

#[test]
fn f22_rules_apply_refuses_an_out_folder_inside_its_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = sample_copy(dir.path());
    let rules = corpus.join("rules.toml").display().to_string();
    let before = tree(&corpus);
    for out in [
        "corpus",
        "corpus/",
        "corpus/ref/x",
        "corpus/mt/seed-mt",
        "corpus/../corpus/new/deeper",
    ] {
        run(
            dir.path(),
            &["rules", "apply", &rules, "corpus", "--out", out],
        )
        .expect(
            2,
            &[&format!("--out {out}"), "inside the input folder corpus"],
        );
        assert_eq!(tree(&corpus), before, "--out {out} changed the corpus");
    }
    // A line-aligned input's own folder: its output would replace it.
    let mt = corpus.join("mt/seed-mt");
    let file = mt.join("000_ce49ac1db8a694aa.txt").display().to_string();
    run(
        dir.path(),
        &[
            "rules",
            "apply",
            &rules,
            &file,
            "--out",
            &mt.display().to_string(),
        ],
    )
    .expect(2, &["would replace the input", "000_ce49ac1db8a694aa.txt"]);
    assert_eq!(tree(&corpus), before);
    // A later input that fails leaves nothing of the earlier ones in --out.
    write(dir.path(), "a.txt", "first file\n");
    std::fs::write(dir.path().join("b.txt"), b"bad \xff utf-8\n").unwrap();
    run(
        dir.path(),
        &[
            "rules", "apply", &rules, "a.txt", "b.txt", "--out", "cleaned",
        ],
    )
    .expect(2, &["b.txt"]);
    assert!(!dir.path().join("cleaned").exists(), "a half-written --out");
    // Outside every input it works.
    run(
        dir.path(),
        &["rules", "apply", &rules, "corpus", "--out", "clean"],
    )
    .expect(0, &[]);
    assert!(dir
        .path()
        .join("clean/mt/seed-mt/000_ce49ac1db8a694aa.txt")
        .is_file());
}

#[test]
fn f23_symlinked_input_files_are_refused_unless_followed() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = sample_copy(dir.path());
    let secret = write(dir.path(), "secret.txt", "root:x:0:0:secret\n");
    let link = corpus.join("ref/p.txt");
    std::os::unix::fs::symlink(&secret, &link).unwrap();
    let rules = corpus.join("rules.toml").display().to_string();
    run(
        dir.path(),
        &["rules", "apply", &rules, "corpus", "--out", "o1"],
    )
    .expect(2, &["p.txt", "a symbolic link", "--follow-symlinks"]);
    assert!(!dir.path().join("o1").exists());
    // In a corpus folder read by `score`: a reference document that is a link.
    let doc = corpus.join("ref/000_ce49ac1db8a694aa.txt");
    let moved = dir.path().join("moved.txt");
    std::fs::rename(&doc, &moved).unwrap();
    std::os::unix::fs::symlink(&moved, &doc).unwrap();
    std::fs::remove_file(&link).unwrap();
    run(dir.path(), &["score", "corpus", "--html", "r.html"])
        .expect(2, &["000_ce49ac1db8a694aa.txt", "a symbolic link"]);
    assert!(!dir.path().join("r.html").exists());
    run(
        dir.path(),
        &["score", "corpus", "--html", "r.html", "--follow-symlinks"],
    )
    .expect(0, &[]);
    std::os::unix::fs::symlink(&secret, &link).unwrap();
    // Line-aligned files given by name, in each command that reads inputs.
    small_pair(dir.path());
    std::os::unix::fs::symlink(dir.path().join("ref.txt"), dir.path().join("ref.link")).unwrap();
    let glossary = format!("{}/glossary.csv", sample());
    for args in [
        vec!["score", "-r", "ref.link", "-i", "hyp.sys.en"],
        vec!["score", "-r", "ref.link", "-i", "hyp.sys.en", "--stream"],
        vec!["compare", "-r", "ref.link", "-i", "hyp.sys.en"],
        vec![
            "terms",
            "-r",
            "ref.link",
            "-i",
            "hyp.sys.en",
            "--glossary",
            &glossary,
        ],
    ] {
        run(dir.path(), &args).expect(2, &["ref.link", "a symbolic link"]);
        let mut followed = args.clone();
        followed.push("--follow-symlinks");
        let r = run(dir.path(), &followed);
        assert!(
            !r.stderr.contains("symbolic link"),
            "{followed:?}: {}",
            r.stderr
        );
    }
    // Followed on request.
    run(
        dir.path(),
        &[
            "rules",
            "apply",
            &rules,
            "corpus",
            "--out",
            "o2",
            "--follow-symlinks",
        ],
    )
    .expect(0, &[]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("o2/ref/p.txt")).unwrap(),
        "root:x:0:0:secret\n"
    );
}

/// The report files of `dir` (hidden names skipped), with their contents.
fn report_set(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .map(|n| (n.clone(), std::fs::read(dir.join(&n)).unwrap()))
        .collect();
    v.sort();
    v
}

#[test]
fn f20_a_csv_report_folder_is_replaced_as_a_set() {
    let dir = tempfile::tempdir().unwrap();
    let s = sample();
    run(dir.path(), &["score", &s, "--csv", "out", "-q"]).expect(0, &[]);
    let old = report_set(&dir.path().join("out"));
    let names: Vec<&str> = old.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "alignments.csv",
            "documents.csv",
            "segments.csv",
            "systems.csv"
        ]
    );
    // A run whose last file (alignments.csv, about 6 KB) goes over a 4 KiB file size limit
    // after the other three were written: killed by SIGXFSZ, it must leave the old set.
    let bin = env!("CARGO_BIN_EXE_mtharness");
    let status = Command::new("bash")
        .args(["-c", "ulimit -f 4; exec \"$0\" \"$@\"", bin])
        .args(["score", &s, "-m", "bleu", "--csv", "out", "-q"])
        .current_dir(dir.path())
        .status()
        .unwrap();
    assert!(!status.success(), "the size limit did not stop the run");
    assert_eq!(report_set(&dir.path().join("out")), old, "a mixed set");
    // A new set without alignments: no alignments.csv of the old run lingers, and the killed
    // run's staging folder is gone.
    small_pair(dir.path());
    let args = [
        "score",
        "-r",
        "ref.txt",
        "-i",
        "hyp.sys.en",
        "--csv",
        "out",
        "-q",
    ];
    run(dir.path(), &args).expect(0, &[]);
    let new = report_set(&dir.path().join("out"));
    let names: Vec<&str> = new.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["documents.csv", "segments.csv", "systems.csv"]);
    assert!(temp_names(&dir.path().join("out")).is_empty());
}

#[test]
fn f10_many_literal_rules_load_in_linear_time() {
    // 100,000 literal rules (8 MB) took 157 s: each rule's line was found by rescanning the file
    let dir = tempfile::tempdir().unwrap();
    let rules: String = (0..50_000)
        .map(|i| {
            format!(
                "[[rule]]\nid = \"r{i}\"\npattern = \"phrase number {i}\"\nreplace = \"p{i}\"\n\n"
            )
        })
        .collect();
    write(dir.path(), "rules.toml", &rules);
    write(
        dir.path(),
        "a.txt",
        "the phrase number 7 and phrase number 49999\n",
    );
    run(
        dir.path(),
        &["rules", "apply", "rules.toml", "a.txt", "--out", "out"],
    )
    .expect(0, &[])
    .within(20, 400);
    let out = std::fs::read_to_string(dir.path().join("out/a.txt")).unwrap();
    assert_eq!(out, "the p7 and p49999\n");
}

#[test]
fn f11_unrelated_documents_align_in_linear_time() {
    // 10,000 reference against 5,000 unrelated MT sentences took 110 s and 1.2 GB: the band
    // widened to the whole matrix; it is capped now
    let dir = tempfile::tempdir().unwrap();
    let mut rng = 7u64;
    let mut word = || {
        rng = rng
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        format!("w{}", (rng >> 33) % 5000)
    };
    let mut sentences = |n: usize| -> String {
        (0..n)
            .map(|i| {
                let words: Vec<String> = (0..8 + i % 17).map(|_| word()).collect();
                format!("{}.\n", words.join(" "))
            })
            .collect()
    };
    let (refs, hyps) = (sentences(10_000), sentences(5_000));
    std::fs::create_dir_all(dir.path().join("c/ref")).unwrap();
    std::fs::create_dir_all(dir.path().join("c/mt/sys")).unwrap();
    write(dir.path(), "c/ref/d.txt", &refs);
    write(dir.path(), "c/mt/sys/d.txt", &hyps);
    run(dir.path(), &["score", "c", "-m", "bleu", "-q"])
        .expect(0, &[])
        .within(60, 400);
}

#[test]
fn f14_a_growing_replacement_stops_at_the_limit_not_after() {
    // a regex rule `.` with a 100 KB replacement on a 20 KB line used 3.9 GB before the growth
    // error fired
    let dir = tempfile::tempdir().unwrap();
    let rule = format!(
        "[[rule]]\nid = \"dot\"\nregex = true\npattern = \".\"\nreplace = \"{}\"\n",
        "x".repeat(100_000)
    );
    write(dir.path(), "rules.toml", &rule);
    write(dir.path(), "a.txt", &format!("{}\n", "y".repeat(20_000)));
    run(
        dir.path(),
        &["rules", "apply", "rules.toml", "a.txt", "--out", "out"],
    )
    .expect(
        2,
        &["rule \"dot\"", "the segment grew from 20000", "limit 81024"],
    )
    .within(10, 200);
}
