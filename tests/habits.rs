//! sacreBLEU users' command-line habits, driven through the binary: standard input,
//! positional references. Expected numbers come from live sacreBLEU 2.6.0; each names its
//! command (run in `$MTHARNESS_SHARED/corpora/wmt22-de-en`).

mod common;
use common::{bin, stderr};

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Runs `cmd` with `input` on its standard input.
fn run_with_stdin(cmd: &mut Command, input: &[u8]) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run mtharness");
    let mut stdin = child.stdin.take().unwrap();
    // The binary may stop reading early (an error); a broken pipe here is not the test's concern.
    let _ = stdin.write_all(input);
    drop(stdin);
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn de_en(shared: &Path) -> PathBuf {
    shared.join("corpora/wmt22-de-en")
}

#[test]
fn hypothesis_from_a_pipe_without_dash_i() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let dir = de_en(&shared);
    let hyp = std::fs::read(dir.join("hyp.Online-B.en")).unwrap();
    // sacrebleu ref.A.en -i hyp.Online-B.en -m bleu -b -w 2  ->  33.25
    let o = run_with_stdin(
        bin()
            .args(["score", "-m", "bleu", "-b", "-r"])
            .arg(dir.join("ref.A.en")),
        &hyp,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "33.25\n");
    // The same with `-i -`.
    let o = run_with_stdin(
        bin()
            .args(["score", "-m", "bleu", "-b", "-r"])
            .arg(dir.join("ref.A.en"))
            .args(["-i", "-"]),
        &hyp,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "33.25\n");
    // And read in chunks (`--stream`).
    let o = run_with_stdin(
        bin()
            .args(["score", "--stream", "-m", "bleu", "-b"])
            .arg(dir.join("ref.A.en")),
        &hyp,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "33.25\n");
}

#[test]
fn positional_references_as_sacrebleu_takes_them() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let dir = de_en(&shared);
    // sacrebleu ref.A.en -i hyp.Online-B.en -m bleu -b -w 2  ->  33.25
    let o = bin()
        .args(["score", "-m", "bleu", "-b"])
        .arg(dir.join("ref.A.en"))
        .arg("-i")
        .arg(dir.join("hyp.Online-B.en"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "33.25\n");
    // cat hyp.Online-B.en | sacrebleu ref.A.en ref.B.en -m bleu -b -w 2  ->  49.74
    let hyp = std::fs::read(dir.join("hyp.Online-B.en")).unwrap();
    let o = run_with_stdin(
        bin()
            .args(["score", "-m", "bleu", "-b"])
            .arg(dir.join("ref.A.en"))
            .arg(dir.join("ref.B.en")),
        &hyp,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "49.74\n");
}

#[test]
fn standard_input_errors_name_it_and_the_line() {
    let tmp = tempfile::tempdir().unwrap();
    let r = tmp.path().join("ref.en");
    std::fs::write(&r, "a b\nc d\n").unwrap();
    let o = run_with_stdin(bin().arg("score").arg(&r), b"a b\n\xff\n");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("<stdin>:2:1: invalid UTF-8"),
        "{}",
        stderr(&o)
    );
    let o = run_with_stdin(bin().arg("score").arg(&r), b"a b\n");
    assert!(
        stderr(&o).contains("<stdin> has 1 lines but"),
        "{}",
        stderr(&o)
    );
    let o = run_with_stdin(bin().arg("score").arg(&r), b"");
    assert!(
        stderr(&o).contains("<stdin>: file is empty"),
        "{}",
        stderr(&o)
    );
    let o = run_with_stdin(bin().arg("score").args(["-r", "-", "-i", "-"]), b"a b\n");
    assert!(stderr(&o).contains("more than once"), "{}", stderr(&o));
    let o = bin()
        .arg("score")
        .arg(&r)
        .arg("-r")
        .arg(&r)
        .arg("-i")
        .arg(&r)
        .output()
        .unwrap();
    assert!(
        stderr(&o).contains("both as arguments and with -r"),
        "{}",
        stderr(&o)
    );
}

/// `NAME|SIG = ...` with our signature's `|compat:...` and `|version:...` fields swapped for
/// sacreBLEU's `|version:2.6.0`, so that lines can be compared with sacreBLEU's verbatim.
fn as_sacrebleu(line: &str) -> String {
    let Some((head, rest)) = line.split_once(" = ") else {
        return line.to_string();
    };
    let head: Vec<&str> = head
        .split('|')
        .filter(|f| !f.starts_with("compat:") && !f.starts_with("version:"))
        .collect();
    format!("{}|version:2.6.0 = {rest}", head.join("|"))
}

fn run_de_en(shared: &Path, args: &[&str]) -> String {
    let dir = de_en(shared);
    let o = bin()
        .arg("score")
        .arg(dir.join("ref.A.en"))
        .arg("-i")
        .arg(dir.join("hyp.Online-B.en"))
        .args(args)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
}

/// Sum of the printed two-decimal scores, in hundredths.
fn cents(text: &str) -> i64 {
    text.lines()
        .map(|l| l.trim().replace('.', "").parse::<i64>().unwrap())
        .sum()
}

#[test]
fn sentence_level_lines_are_sacrebleus() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    // sacrebleu ref.A.en -i hyp.Online-B.en -m bleu -sl -w 2 | head -3 (and chrf, ter)
    let expected = [
        ("bleu", [
            "BLEU|nrefs:1|case:mixed|eff:yes|tok:13a|smooth:exp|version:2.6.0 = 100.00 100.0/100.0/100.0/100.0 (BP = 1.000 ratio = 1.000 hyp_len = 8 ref_len = 8)",
            "BLEU|nrefs:1|case:mixed|eff:yes|tok:13a|smooth:exp|version:2.6.0 = 69.68 81.2/73.3/64.3/61.5 (BP = 1.000 ratio = 1.067 hyp_len = 16 ref_len = 15)",
            "BLEU|nrefs:1|case:mixed|eff:yes|tok:13a|smooth:exp|version:2.6.0 = 38.56 76.5/56.2/46.7/35.7 (BP = 0.745 ratio = 0.773 hyp_len = 17 ref_len = 22)",
        ]),
        ("chrf", [
            "chrF2|nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0 = 100.00",
            "chrF2|nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0 = 67.93",
            "chrF2|nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0 = 51.64",
        ]),
        ("ter", [
            "TER|nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:2.6.0 = 0.00",
            "TER|nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:2.6.0 = 27.27",
            "TER|nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:2.6.0 = 58.82",
        ]),
    ];
    for (metric, lines) in expected {
        let out = run_de_en(&shared, &["-m", metric, "-sl"]);
        assert_eq!(out.lines().count(), 1984);
        let ours: Vec<String> = out.lines().take(3).map(as_sacrebleu).collect();
        assert_eq!(ours, lines, "{metric}");
    }
    // Every segment: sacrebleu ref.A.en -i hyp.Online-B.en -m M -sl -w 2 -b, summed
    // (awk '{s+=$1} END {printf "%.2f", s}'): bleu 63895.09, chrf 114281.89, ter 102272.78.
    // (The outputs were also byte-identical, md5sum, when this test was written.)
    for (metric, sum) in [
        ("bleu", 6_389_509),
        ("chrf", 11_428_189),
        ("ter", 10_227_278),
    ] {
        let out = run_de_en(&shared, &["-m", metric, "--sentence-level", "-b"]);
        assert_eq!(cents(&out), sum, "{metric}");
    }
    // Several metrics: one line per segment, the metrics' parts separated by a tab.
    let out = run_de_en(&shared, &["-m", "bleu", "ter", "-sl", "-b"]);
    assert_eq!(out.lines().next(), Some("100.00\t0.00"));
}

#[test]
fn format_line_is_sacrebleus_verbose_line() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    // sacrebleu ref.A.en -i hyp.Online-B.en -m bleu chrf ter -f text -w 2 (lines trimmed: the
    // alignment on `=` depends on the signatures' lengths)
    let expected = [
        "BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0 = 33.25 66.8/41.5/27.9/19.2 (BP = 0.953 ratio = 0.954 hyp_len = 35899 ref_len = 37634)",
        "chrF2|nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0 = 58.28",
        "TER|nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:2.6.0 = 51.69",
    ];
    let out = run_de_en(&shared, &["-m", "bleu", "chrf", "ter", "-f", "line"]);
    let ours: Vec<String> = out.lines().map(|l| as_sacrebleu(l.trim_start())).collect();
    assert_eq!(ours, expected);
    // Aligned on ` = ` as sacreBLEU aligns them.
    let at: Vec<usize> = out.lines().map(|l| l.find(" = ").unwrap()).collect();
    assert!(at.iter().all(|&i| i == at[0]), "{out}");
    // sacrebleu ref.A.en ref.B.en -i hyp.Online-B.en -m bleu -f text -w 2 --tokenize intl -lc
    let dir = de_en(&shared);
    let o = bin()
        .arg("score")
        .arg(dir.join("ref.A.en"))
        .arg(dir.join("ref.B.en"))
        .arg("-i")
        .arg(dir.join("hyp.Online-B.en"))
        .args(["-m", "bleu", "-f", "line", "-tok", "intl", "-lc"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        as_sacrebleu(stdout(&o).trim_end()),
        "BLEU|nrefs:2|case:lc|eff:no|tok:intl|smooth:exp|version:2.6.0 = 51.07 82.1/59.6/43.8/32.1 (BP = 0.997 ratio = 0.997 hyp_len = 36983 ref_len = 37095)"
    );
}

#[test]
fn format_latex_is_a_booktabs_system_table() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let dir = de_en(&shared);
    let o = bin()
        .arg("score")
        .arg(dir.join("ref.A.en"))
        .arg("-i")
        .arg(dir.join("hyp.Online-B.en"))
        .arg(dir.join("hyp.LT22.en"))
        .args(["-m", "bleu", "chrf", "ter", "-f", "latex", "-w", "1"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    // sacrebleu ref.A.en -i hyp.Online-B.en hyp.LT22.en -m bleu chrf ter -f latex prints
    //  hyp.Online-B.en &  33.3  &  58.3   & 51.7  \\
    //      hyp.LT22.en &  26.0  &  51.3   & 58.1  \\
    // (our system names drop `hyp.` and `.en`; tabulate pads its last column one space less).
    let expected_head = "\\begin{tabular}{rccc}\n\\toprule\n   System &  BLEU  &  chrF2  &  TER   \\\\\n\\midrule\n Online-B &  33.3  &  58.3   &  51.7  \\\\\n     LT22 &  26.0  &  51.3   &  58.1  \\\\\n\\bottomrule\n\\end{tabular}\n";
    assert!(out.starts_with(expected_head), "{out}");
    assert!(out.contains("\n% TER        nrefs:1|case:lc|"), "{out}");
}

#[test]
fn confidence_on_score_prints_sacrebleus_intervals() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    // sacrebleu ref.A.en -i hyp.Online-B.en -m bleu chrf ter --confidence -w 2 -f text
    let expected = [
        "BLEU|nrefs:1|bs:1000|seed:12345|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0 = 33.25 (μ = 33.25 ± 0.89) 66.8/41.5/27.9/19.2 (BP = 0.953 ratio = 0.954 hyp_len = 35899 ref_len = 37634)",
        "chrF2|nrefs:1|bs:1000|seed:12345|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0 = 58.28 (μ = 58.29 ± 0.63)",
        "TER|nrefs:1|bs:1000|seed:12345|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:2.6.0 = 51.69 (μ = 51.70 ± 0.88)",
    ];
    let out = run_de_en(&shared, &["-m", "bleu", "chrf", "ter", "--confidence"]);
    let ours: Vec<String> = out.lines().map(|l| as_sacrebleu(l.trim_start())).collect();
    assert_eq!(ours, expected);
    // sacrebleu ref.A.en -i hyp.Online-B.en -m bleu --confidence -b --confidence-n 100 -w 2
    let out = run_de_en(
        &shared,
        &["-m", "bleu", "--confidence", "-b", "--confidence-n", "100"],
    );
    assert_eq!(out, "33.25 (μ = 33.33 ± 0.82)\n");
    // SACREBLEU_SEED=7 sacrebleu ... -m bleu --confidence --confidence-n 100 -w 2 -f text
    let out = run_de_en(
        &shared,
        &[
            "-m",
            "bleu",
            "--confidence",
            "--confidence-n",
            "100",
            "--seed",
            "7",
        ],
    );
    assert!(
        out.contains("|bs:100|seed:7|") && out.contains(" = 33.25 (μ = 33.29 ± 0.98) 66.8/"),
        "{out}"
    );
    // Several systems: the command that does it.
    let dir = de_en(&shared);
    let o = bin()
        .arg("score")
        .arg(dir.join("ref.A.en"))
        .arg("-i")
        .arg(dir.join("hyp.Online-B.en"))
        .arg(dir.join("hyp.LT22.en"))
        .arg("--confidence")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("use `mtharness compare`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn flags_in_the_wrong_place_get_a_hint() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/sample");
    for flag in ["--paired-bs", "--paired-ar", "--paired-bs-n=10"] {
        let o = bin().arg("score").arg(&sample).arg(flag).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{flag}");
        assert!(
            stderr(&o).contains("belongs to `mtharness compare`"),
            "{flag}: {}",
            stderr(&o)
        );
    }
    // `-m` takes every word up to the next flag: the folder is not a metric.
    let o = bin()
        .args(["score", "-m", "bleu", "chrf"])
        .arg(&sample)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("did you mean the input? put it before -m"),
        "{e}"
    );
    assert!(o.stdout.is_empty());
    // A misspelt metric is named, without the input hint.
    let o = bin()
        .args(["score", "-m", "blue"])
        .arg(&sample)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("invalid value 'blue'"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("did you mean the input"));
    // The input before -m works.
    let o = bin()
        .arg("score")
        .arg(&sample)
        .args(["-m", "bleu", "chrf", "-b"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn jiwer_cli_numbers_scaled_to_percent() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    // jiwer -r ref.A.en -h hyp.Online-B.en       ->  0.5539203932382208
    // jiwer -r ref.A.en -h hyp.Online-B.en -c    ->  0.40253167237554727
    let out = run_de_en(&shared, &["-m", "wer", "cer", "-b", "-w", "4"]);
    assert_eq!(out, "55.3920\t40.2532\n");
}
