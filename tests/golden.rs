//! Golden outputs: every report, table and file the `mtharness` binary writes, compared byte for
//! byte with the outputs recorded in `tests/golden/` (first recorded from commit a1e846f, before
//! the redesign of the scoring pipeline), so that a change of internals cannot change an output
//! unnoticed.
//!
//! Each case runs one or more commands (`STEP`s) of the binary under test from a fixed working
//! folder with relative input paths, writing into a fresh temporary folder `$OUT`, and compares
//! everything with `tests/golden/GROUP/CASE/`:
//! - `command`: the working folder, each command line (`$OUT`, `$REPO` as written) and its exit
//!   code;
//! - `STEP.stdout`, `STEP.stderr`: what each command printed;
//! - `out/...`: every file the commands wrote, at its path under `$OUT` (a missing or an extra
//!   file is a failure too).
//!
//! Groups: `sample` (`corpora/sample`, working folder the repository root; always runs), and
//! `wmt22-ru-en`, `wmt22-de-en` (the shared WMT22 corpora, working folder `SHARED/corpora`; they
//! need `common::shared_dir()`: skipped locally without `../shared` or `$MTHARNESS_SHARED`,
//! failing in CI). Sample outputs are stored as they are. A WMT output of 200 KB or more is stored
//! as `NAME.sha256` holding one line `sha256 HEX bytes N lines K` (K: `\n`-ended lines, plus one
//! for an unterminated last line). On a mismatch the test names the first differing line and
//! prints both lines (stored files) or both hash lines (hashed files), and keeps the produced
//! outputs in a temporary folder (same layout as the golden folder) whose path it prints.
//!
//! Stability: commands run with relative input paths; in every output the absolute paths of
//! `$OUT`, of the repository (`$REPO`) and of the shared corpus folder (`$CORPORA`) are replaced by
//! those names (no current output embeds them; the corpus name in reports is the name of the
//! first reference's parent folder: `sample`, `wmt22-ru-en`, ...). Error messages embed the
//! (relative) input paths. `SACREBLEU_SEED` (the default seed of `compare` and of `rules test`'s
//! bootstrap) and `CLICOLOR_FORCE`/`CLICOLOR`/`NO_COLOR` are removed from the environment. The
//! outputs embed the version: `version:mtharness-0.1.0` in every metric signature,
//! `# version: 0.1.0` in stats files, `--version` and the man page; a version bump needs a
//! re-bless.
//!
//! Not covered, nondeterministic by nature: `bench` timings (its `throughput.csv` and its table
//! are ignored; the synthetic corpus it writes is covered). Compare and `rules test` use a fixed
//! seed.
//!
//! Regenerate (after an intended output change):
//! `MTHARNESS_BLESS=1 MTHARNESS_SHARED=/path/to/shared cargo test --test golden` rewrites
//! `tests/golden/GROUP` of every group that runs. Blessing runs every command twice and refuses to
//! record outputs that differ between the two runs.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// WMT outputs of this size or more are stored as a hash line.
const HASH_FROM_BYTES: usize = 200 * 1024;
/// Suffix of a golden file holding a hash line instead of the output.
const HASH_SUFFIX: &str = ".sha256";

struct Step {
    label: &'static str,
    /// Arguments; `$OUT` and `$REPO` are replaced by the output folder and the repository.
    args: Vec<String>,
}

struct Case {
    name: &'static str,
    steps: Vec<Step>,
    /// Outputs not compared nor stored (nondeterministic by nature), as named in the results:
    /// `STEP.stdout`, `out/PATH`.
    ignore: &'static [&'static str],
}

struct Group {
    name: &'static str,
    /// Working folder of every command.
    cwd: PathBuf,
    /// How `command` names the working folder.
    cwd_label: &'static str,
    /// Store outputs of `HASH_FROM_BYTES` or more as hash lines.
    hash_large: bool,
    cases: Vec<Case>,
}

/// Splits a command line on spaces (no argument here has one).
fn args(line: &str) -> Vec<String> {
    line.split_whitespace().map(String::from).collect()
}

fn step(label: &'static str, line: &str) -> Step {
    Step {
        label,
        args: args(line),
    }
}

fn case(name: &'static str, steps: Vec<Step>) -> Case {
    Case {
        name,
        steps,
        ignore: &[],
    }
}

/// A one-command case whose step is named after the subcommand.
fn single(name: &'static str, line: &str) -> Case {
    let label = match line.split_whitespace().next() {
        Some("score") => "score",
        Some("terms") => "terms",
        Some("rules") => "rules",
        Some("compare") => "compare",
        Some("align") => "align",
        Some("merge") => "merge",
        other => panic!("no step label for {other:?}"),
    };
    case(name, vec![step(label, line)])
}

/// `score --shard I/3 --stats $OUT/stats.I.csv` for every I, then `merge` of the three files.
fn shards_then_merge(name: &'static str, score: &str) -> Case {
    let mut steps: Vec<Step> = ["shard0", "shard1", "shard2"]
        .iter()
        .enumerate()
        .map(|(i, label)| {
            step(
                label,
                &format!("{score} --shard {i}/3 --stats $OUT/stats.{i}.csv"),
            )
        })
        .collect();
    steps.push(step(
        "merge",
        "merge $OUT/stats.0.csv $OUT/stats.1.csv $OUT/stats.2.csv --csv $OUT/merged",
    ));
    case(name, steps)
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn golden_root() -> PathBuf {
    repo().join("tests/golden")
}

fn sample_group() -> Group {
    const GLOSSARY: &str = "--glossary corpora/sample/glossary.csv";
    const RULES: &str = "corpora/sample/rules.toml";
    const REF: &str = "corpora/sample/ref/000_ce49ac1db8a694aa.txt";
    const MT: &str = "corpora/sample/mt/seed-mt/000_ce49ac1db8a694aa.txt";
    let mut help = vec![
        step("help", "--help"),
        step("version", "--version"),
        step("man", "man"),
    ];
    for (label, sub) in [
        ("score-help", "score"),
        ("compare-help", "compare"),
        ("terms-help", "terms"),
        ("rules-help", "rules"),
        ("rules-apply-help", "rules apply"),
        ("rules-test-help", "rules test"),
        ("align-help", "align"),
        ("bench-help", "bench"),
        ("merge-help", "merge"),
        ("completions-help", "completions"),
        ("man-help", "man"),
    ] {
        help.push(step(label, &format!("{sub} --help")));
    }
    for (label, shell) in [
        ("completions-bash", "bash"),
        ("completions-zsh", "zsh"),
        ("completions-fish", "fish"),
        ("completions-elvish", "elvish"),
        ("completions-powershell", "powershell"),
    ] {
        help.push(step(label, &format!("completions {shell}")));
    }
    let cases = vec![
        single(
            "score-default",
            "score corpora/sample --csv $OUT/csv --json $OUT/report.json",
        ),
        single(
            "score-all-metrics-intl-lc-normalize",
            "score corpora/sample -m bleu chrf chrf++ ter wer mer wil wip cer charsim -tok intl \
             -lc --normalize all --csv $OUT/csv --json $OUT/report.json",
        ),
        single(
            "score-ter-options-floor-w4",
            "score corpora/sample -m ter bleu chrf --ter-case-sensitive --ter-normalized \
             --ter-no-punct --ter-asian-support --smooth-method floor --smooth-value 0.2 -w 4 \
             --csv $OUT/csv",
        ),
        single("score-format-json", "score corpora/sample -f json"),
        single("score-format-csv", "score corpora/sample -f csv"),
        single("score-score-only", "score corpora/sample -b -w 4"),
        single(
            "score-resegment",
            "score corpora/sample --resegment --csv $OUT/csv",
        ),
        single(
            "score-glossary-html",
            &format!(
                "score corpora/sample {GLOSSARY} --html $OUT/report.html --csv $OUT/csv \
                 --json $OUT/report.json"
            ),
        ),
        case(
            "stats-merge",
            vec![
                step("score", "score corpora/sample --stats $OUT/stats.csv"),
                step("merge", "merge $OUT/stats.csv --csv $OUT/merged"),
            ],
        ),
        // One document that must be aligned: shard 0 scores it whole, shards 1 and 2 nothing
        // (they once wrote a `doc` row of an empty stand-in, and merge refused them).
        shards_then_merge("shard3-merge", "score corpora/sample"),
        single(
            "terms",
            &format!("terms corpora/sample {GLOSSARY} --csv $OUT/terms"),
        ),
        single(
            "terms-normalize",
            &format!("terms corpora/sample {GLOSSARY} --normalize all --csv $OUT/terms -w 3"),
        ),
        single(
            "rules-test",
            &format!("rules test {RULES} corpora/sample --csv $OUT/rules --html $OUT/rules.html"),
        ),
        single(
            "rules-test-gates",
            &format!(
                "rules test {RULES} corpora/sample -m bleu ter --min-gain BLEU=10 --csv $OUT/rules"
            ),
        ),
        single(
            "rules-apply-folder",
            &format!("rules apply {RULES} corpora/sample --out $OUT/applied"),
        ),
        single(
            "rules-apply-files",
            &format!("rules apply {RULES} {MT} --out $OUT/applied"),
        ),
        single("align", "align corpora/sample --csv $OUT/align"),
        single(
            "align-resegment",
            "align corpora/sample --resegment --csv $OUT/align",
        ),
        // Error paths: the sample's files are not line-aligned, and one system cannot be compared
        // without aligning.
        single(
            "error-lines-differ",
            &format!("score -r {REF} -i {MT} --csv $OUT/csv"),
        ),
        single(
            "error-lines-differ-stream",
            &format!("score --stream -r {REF} -i {MT} --csv $OUT/csv"),
        ),
        single("error-compare-unaligned", "compare corpora/sample"),
        // `bench`: its timings (throughput.csv, the table) are nondeterministic and ignored; the
        // synthetic corpus it writes is fixed by the seed, and scored in a second step.
        Case {
            name: "bench-synthetic-corpus",
            steps: vec![
                step(
                    "bench",
                    "bench --segments 200 --synthetic-systems 2 --seed 7 --threads 1 -m bleu \
                     --write-corpus $OUT/synthetic --out $OUT/throughput.csv",
                ),
                step(
                    "score",
                    "score -r $OUT/synthetic/ref.en -i $OUT/synthetic/hyp.sys1.en \
                     $OUT/synthetic/hyp.sys2.en --csv $OUT/scored",
                ),
            ],
            ignore: &["bench.stdout", "bench.stderr", "out/throughput.csv"],
        },
        case("cli-help", help),
    ];
    Group {
        name: "sample",
        cwd: repo(),
        cwd_label: "the repository root",
        hash_large: false,
        cases,
    }
}

fn ru_en_group(shared: &Path) -> Group {
    const SYSTEMS: &str = "-i wmt22-ru-en/hyp.ALMAnaCH-Inria.en wmt22-ru-en/hyp.HuaweiTSC.en \
                           wmt22-ru-en/hyp.JDExploreAcademy.en wmt22-ru-en/hyp.Lan-Bridge.en \
                           wmt22-ru-en/hyp.Online-B.en";
    let ru = format!("-r wmt22-ru-en/ref.A.en {SYSTEMS} --docids wmt22-ru-en/docids");
    let ru_one_doc = format!("-r wmt22-ru-en/ref.A.en {SYSTEMS}");
    let cases = vec![
        single(
            "score-default",
            &format!("score {ru} --csv $OUT/csv --json $OUT/report.json"),
        ),
        single(
            "score-all-metrics-intl-lc-normalize",
            &format!(
                "score {ru} -m bleu chrf chrf++ ter wer mer wil wip cer charsim -tok intl -lc \
                 --normalize all --csv $OUT/csv --json $OUT/report.json"
            ),
        ),
        single(
            "score-stream",
            &format!("score {ru} --stream --csv $OUT/csv"),
        ),
        single(
            "score-stream-options",
            &format!(
                "score {ru} --stream -m bleu chrf++ ter wer -lc --normalize nfc,quotes,punct \
                 --csv $OUT/csv"
            ),
        ),
        shards_then_merge("shard3-merge-by-document", &format!("score {ru}")),
        shards_then_merge(
            "shard3-merge-by-segment",
            &format!("score {ru_one_doc} -m bleu ter cer"),
        ),
        single(
            "score-xml",
            "score wmt22-ru-en/wmttest2022.ru-en.all.xml --csv $OUT/csv --json $OUT/report.json",
        ),
        single(
            "compare-paired-bs",
            &format!(
                "compare {ru} --seed 12345 --csv $OUT/compare --html $OUT/compare.html -f json"
            ),
        ),
        single(
            "compare-paired-ar",
            &format!(
                "compare {ru} --seed 7 --paired-ar --paired-ar-n 1000 --confidence-n 200 \
                 -m bleu chrf --baseline Online-B --csv $OUT/compare"
            ),
        ),
        single(
            "terms-sample-glossary",
            &format!("terms {ru} --glossary $REPO/corpora/sample/glossary.csv --csv $OUT/terms"),
        ),
        single("align", &format!("align {ru} --csv $OUT/align")),
    ];
    Group {
        name: "wmt22-ru-en",
        cwd: shared.join("corpora"),
        cwd_label: "SHARED/corpora",
        hash_large: true,
        cases,
    }
}

fn de_en_group(shared: &Path) -> Group {
    let de = "-r wmt22-de-en/ref.A.en wmt22-de-en/ref.B.en -i wmt22-de-en/hyp.JDExploreAcademy.en \
              wmt22-de-en/hyp.LT22.en wmt22-de-en/hyp.Online-B.en wmt22-de-en/hyp.PROMT.en";
    let cases = vec![
        single(
            "score-default",
            &format!("score {de} --csv $OUT/csv --json $OUT/report.json"),
        ),
        single(
            "score-options",
            &format!(
                "score {de} -m bleu chrf chrf++ ter mer charsim -tok char --ter-normalized \
                 --normalize nfkc,dashes,ws --csv $OUT/csv --json $OUT/report.json"
            ),
        ),
        single(
            "score-ref-b",
            "score -r wmt22-de-en/ref.B.en -i wmt22-de-en/hyp.LT22.en -m bleu chrf ter wer \
             --csv $OUT/csv",
        ),
        single(
            "score-stream",
            &format!("score {de} --stream --csv $OUT/csv"),
        ),
        shards_then_merge("shard3-merge", &format!("score {de}")),
        single(
            "compare-paired-bs",
            &format!("compare {de} --seed 12345 --paired-bs-n 300 --csv $OUT/compare -f csv"),
        ),
    ];
    Group {
        name: "wmt22-de-en",
        cwd: shared.join("corpora"),
        cwd_label: "SHARED/corpora",
        hash_large: true,
        cases,
    }
}

// ---------------------------------------------------------------------------------------------
// Running a case
// ---------------------------------------------------------------------------------------------

/// Outputs of a case by name (`command`, `STEP.stdout`, `STEP.stderr`, `out/PATH`), normalised.
type Outputs = BTreeMap<String, Vec<u8>>;

fn replace_all(data: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    let mut rest = data;
    while let Some(k) = memchr::memmem::find(rest, from) {
        out.extend_from_slice(&rest[..k]);
        out.extend_from_slice(to);
        rest = &rest[k + from.len()..];
    }
    out.extend_from_slice(rest);
    out
}

/// `(absolute path, placeholder)` pairs, longest path first (also the canonical forms).
fn substitutions(out: &Path, corpora: &Path) -> Vec<(Vec<u8>, &'static str)> {
    let mut v = Vec::new();
    for (p, name) in [(out, "$OUT"), (&repo(), "$REPO"), (corpora, "$CORPORA")] {
        v.push((p.to_string_lossy().as_bytes().to_vec(), name));
        if let Ok(c) = std::fs::canonicalize(p) {
            v.push((c.to_string_lossy().as_bytes().to_vec(), name));
        }
    }
    v.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
    v.dedup();
    v
}

fn normalise(data: &[u8], subst: &[(Vec<u8>, &'static str)]) -> Vec<u8> {
    subst.iter().fold(data.to_vec(), |d, (from, to)| {
        replace_all(&d, from, to.as_bytes())
    })
}

/// Every file under `dir`, by path relative to it with `/` separators, sorted.
fn walk(dir: &Path) -> Vec<(String, PathBuf)> {
    fn go(base: &Path, dir: &Path, acc: &mut Vec<(String, PathBuf)>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries {
            let path = e.unwrap().path();
            if path.is_dir() {
                go(base, &path, acc);
            } else {
                let rel = path.strip_prefix(base).unwrap();
                let parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                acc.push((parts.join("/"), path));
            }
        }
    }
    let mut acc = Vec::new();
    go(dir, dir, &mut acc);
    acc.sort();
    acc
}

/// Runs `case` in `dir` (made empty; outputs go to `dir/out`) and returns its normalised outputs.
/// Writes the normalised outputs into `dir` in the golden layout, so that a kept folder can be
/// compared with (or copied over) the golden one.
fn run_case(group: &Group, case: &Case, dir: &Path) -> Outputs {
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let subst = substitutions(&out, &group.cwd);
    let out_str = out.to_str().expect("temporary path is UTF-8");
    let repo_str = repo()
        .to_str()
        .expect("repository path is UTF-8")
        .to_string();
    let mut outputs = Outputs::new();
    let mut command = format!("# working folder: {}\n", group.cwd_label);
    for s in &case.steps {
        let argv: Vec<String> = s
            .args
            .iter()
            .map(|a| a.replace("$OUT", out_str).replace("$REPO", &repo_str))
            .collect();
        let o = common::run(
            common::bin()
                .args(&argv)
                .current_dir(&group.cwd)
                .env_remove("SACREBLEU_SEED")
                .env_remove("CLICOLOR_FORCE")
                .env_remove("CLICOLOR")
                .env_remove("NO_COLOR"),
        );
        let code = o
            .status
            .code()
            .map_or_else(|| format!("signal ({})", o.status), |c| c.to_string());
        writeln!(
            command,
            "[{}] $ mtharness {}\nexit: {code}",
            s.label,
            s.args.join(" ")
        )
        .unwrap();
        outputs.insert(format!("{}.stdout", s.label), normalise(&o.stdout, &subst));
        outputs.insert(format!("{}.stderr", s.label), normalise(&o.stderr, &subst));
    }
    outputs.insert("command".into(), command.into_bytes());
    for (rel, path) in walk(&out) {
        let data = std::fs::read(&path).unwrap();
        let n = normalise(&data, &subst);
        if n != data {
            std::fs::write(&path, &n).unwrap();
        }
        outputs.insert(format!("out/{rel}"), n);
    }
    for name in case.ignore {
        outputs.remove(*name);
    }
    for (name, data) in &outputs {
        if !name.starts_with("out/") {
            std::fs::write(dir.join(name), data).unwrap();
        }
    }
    outputs
}

// ---------------------------------------------------------------------------------------------
// Goldens
// ---------------------------------------------------------------------------------------------

/// `sha256 HEX bytes N lines K`.
fn hash_line(data: &[u8]) -> String {
    let hex: String = Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let newlines = data.iter().filter(|&&b| b == b'\n').count();
    let lines = newlines + usize::from(data.last().is_some_and(|&b| b != b'\n'));
    format!("sha256 {hex} bytes {} lines {lines}", data.len())
}

enum Golden {
    Bytes(Vec<u8>),
    Hash(String),
}

/// The golden outputs of a case by output name (`NAME.sha256` files under `NAME`).
fn read_golden(dir: &Path) -> BTreeMap<String, Golden> {
    walk(dir)
        .into_iter()
        .map(|(rel, path)| {
            let data = std::fs::read(&path).unwrap();
            match rel.strip_suffix(HASH_SUFFIX) {
                Some(name) => (
                    name.to_string(),
                    Golden::Hash(String::from_utf8_lossy(&data).trim_end().to_string()),
                ),
                None => (rel, Golden::Bytes(data)),
            }
        })
        .collect()
}

fn shorten(line: &[u8]) -> String {
    let s = String::from_utf8_lossy(line);
    let mut t: String = s.chars().take(400).collect();
    if t.len() < s.len() {
        t.push_str(" [...]");
    }
    format!("{t:?}")
}

/// Describes the first difference of two texts: line number (from 1) and both lines.
fn first_difference(golden: &[u8], produced: &[u8]) -> String {
    let g: Vec<&[u8]> = golden.split_inclusive(|&b| b == b'\n').collect();
    let p: Vec<&[u8]> = produced.split_inclusive(|&b| b == b'\n').collect();
    let k = (0..g.len().max(p.len()))
        .find(|&k| g.get(k) != p.get(k))
        .unwrap_or(0);
    let show = |l: Option<&&[u8]>| l.map_or_else(|| "(end of file)".to_string(), |l| shorten(l));
    format!(
        "first difference at line {}\n    golden:   {}\n    produced: {}",
        k + 1,
        show(g.get(k)),
        show(p.get(k))
    )
}

/// Compares the outputs of a case with its golden folder; returns the failures.
fn compare(case_golden: &Path, label: &str, outputs: &Outputs, produced_dir: &Path) -> Vec<String> {
    let mut failures = Vec::new();
    if !case_golden.is_dir() {
        failures.push(format!(
            "{label}: no golden folder {} (record it with MTHARNESS_BLESS=1)",
            case_golden.display()
        ));
        return failures;
    }
    let golden = read_golden(case_golden);
    for (name, data) in outputs {
        let produced_path = produced_dir.join(name);
        match golden.get(name) {
            None => failures.push(format!(
                "{label}/{name}: produced but not in the golden folder\n    produced file: {}",
                produced_path.display()
            )),
            Some(Golden::Bytes(g)) if g != data => failures.push(format!(
                "{label}/{name} differs: {}\n    produced file: {}",
                first_difference(g, data),
                produced_path.display()
            )),
            Some(Golden::Hash(h)) => {
                let p = hash_line(data);
                if *h != p {
                    failures.push(format!(
                        "{label}/{name} differs (hashed golden)\n    golden:   {h}\n    \
                         produced: {p}\n    produced file: {}",
                        produced_path.display()
                    ));
                }
            }
            Some(Golden::Bytes(_)) => {}
        }
    }
    for name in golden.keys().filter(|n| !outputs.contains_key(*n)) {
        failures.push(format!(
            "{label}/{name}: in the golden folder but not produced"
        ));
    }
    failures
}

fn blessing() -> bool {
    std::env::var_os("MTHARNESS_BLESS").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Runs every case of `group` and compares with (or, blessing, rewrites) `tests/golden/GROUP`.
fn check(group: Group) {
    let tmp = tempfile::tempdir().unwrap();
    let golden_dir = golden_root().join(group.name);
    let names: Vec<&str> = group.cases.iter().map(|c| c.name).collect();
    let mut seen = std::collections::BTreeSet::new();
    assert!(
        names.iter().all(|n| seen.insert(*n)),
        "duplicate case names"
    );
    let mut failures = Vec::new();
    if blessing() {
        let mut all = Vec::new();
        for case in &group.cases {
            let first = run_case(&group, case, &tmp.path().join(case.name));
            let again = run_case(
                &group,
                case,
                &tmp.path().join(format!("{}.again", case.name)),
            );
            for (name, data) in &first {
                if again.get(name) != Some(data) {
                    failures.push(format!(
                        "{}/{}/{name}: differs between two runs (nondeterministic)",
                        group.name, case.name
                    ));
                }
            }
            all.push((case.name, first));
        }
        if failures.is_empty() {
            if golden_dir.exists() {
                std::fs::remove_dir_all(&golden_dir).unwrap();
            }
            let mut stored = 0usize;
            for (case, outputs) in all {
                for (name, data) in outputs {
                    let (path, bytes) = if group.hash_large && data.len() >= HASH_FROM_BYTES {
                        let line = format!("{}\n", hash_line(&data));
                        (format!("{name}{HASH_SUFFIX}"), line.into_bytes())
                    } else {
                        (name, data)
                    };
                    let path = golden_dir.join(case).join(path);
                    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                    stored += bytes.len();
                    std::fs::write(&path, bytes).unwrap();
                }
            }
            eprintln!(
                "blessed {}: {} cases, {stored} bytes",
                golden_dir.display(),
                group.cases.len()
            );
            return;
        }
    } else {
        for case in &group.cases {
            let dir = tmp.path().join(case.name);
            let outputs = run_case(&group, case, &dir);
            let label = format!("{}/{}", group.name, case.name);
            failures.extend(compare(&golden_dir.join(case.name), &label, &outputs, &dir));
        }
        if let Ok(entries) = std::fs::read_dir(&golden_dir) {
            for e in entries {
                let name = e.unwrap().file_name().to_string_lossy().into_owned();
                if !names.contains(&name.as_str()) {
                    failures.push(format!(
                        "{}/{name}: golden folder of no case (re-bless with MTHARNESS_BLESS=1)",
                        group.name
                    ));
                }
            }
        }
    }
    if failures.is_empty() {
        return;
    }
    let kept = tmp.keep();
    let shown = failures.len().min(40);
    panic!(
        "{} golden failure(s) in {} ({} shown); produced outputs kept in {}; if the change is \
         intended, re-record with MTHARNESS_BLESS=1 (see tests/golden.rs)\n\n{}",
        failures.len(),
        group.name,
        shown,
        kept.display(),
        failures[..shown].join("\n\n")
    );
}

#[test]
fn sample() {
    check(sample_group());
}

#[test]
fn wmt22_ru_en() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    check(ru_en_group(&shared));
}

#[test]
fn wmt22_de_en() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    check(de_en_group(&shared));
}
