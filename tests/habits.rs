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
