//! The `mtharness` command line: the binary's own code, not part of the library. `args`
//! holds the clap definitions, `progress` the progress bars; this file turns parsed arguments
//! into library calls and prints tables. `main.rs` only calls [`run`] and turns its result
//! into an exit code.

mod args;
mod hints;
mod latex;
mod numbers;
mod progress;
mod sacre;
mod stdin;

use std::io::Write;

use clap::Parser;

use mtharness::compare::{self, CompareOptions};
use mtharness::corpus::{self, LoadSpec};
use mtharness::eval::{evaluate, AlignMode, EvalOptions};
use mtharness::metrics::TermAccuracy;
use mtharness::metrics::{build_metrics, MetricSpec};
use mtharness::report::{self, CsvOptions, TableOptions};
use mtharness::significance::{parse_seed, seed_from_env, PairedTest};
use mtharness::terms::{Pairing, TermEvaluator, TermOptions};
use mtharness::text::Normalizer;
use mtharness::{Error, Result};

use args::*;
use progress::{load_corpus, progress_for};

/// Exit codes, documented in the README.
pub mod exit {
    /// Everything ran; every gate passed.
    pub const OK: i32 = 0;
    /// A quality gate failed (`rules test`; `compare` has no gate and exits 0 whatever its
    /// p-values).
    pub const GATE_FAILED: i32 = 1;
    /// Bad input, bad usage, or an I/O error.
    pub const BAD_INPUT: i32 = 2;
}

/// sacreBLEU's multi-letter single-dash flags, rewritten to their long forms before clap parses
/// them (clap's short flags are one letter).
const SACREBLEU_FLAGS: [(&str, &str); 3] = [
    ("-tok", "--tokenize"),
    ("-lc", "--lowercase"),
    ("-sl", "--sentence-level"),
];

/// Rewrites sacreBLEU-style flags (`-tok 13a`, `-lc`) to ours.
pub fn rewrite_args<I: IntoIterator<Item = String>>(args: I) -> Vec<String> {
    args.into_iter()
        .map(|a| {
            SACREBLEU_FLAGS
                .iter()
                .find(|(from, _)| *from == a)
                .map_or(a, |(_, to)| to.to_string())
        })
        .collect()
}

/// Parses the arguments and runs the command. Returns the exit code.
pub fn run<I: IntoIterator<Item = String>>(args: I) -> Result<i32> {
    let args = rewrite_args(args);
    hints::check_subcommand_flags(&args)?;
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::BAD_INPUT
            } else {
                exit::OK
            };
            let _ = e.print();
            return Ok(code);
        }
    };
    mtharness::corpus::set_follow_symlinks(cli.follow_symlinks);
    let csv = CsvOptions {
        escape: !cli.no_csv_escape,
        ..CsvOptions::default()
    };
    let result = match cli.command {
        Command::Score(args) => score(&args, &csv),
        Command::Compare(args) => compare(&args, &csv),
        Command::Terms(args) => terms(&args, &csv),
        Command::Rules(args) => rules(&args, &csv),
        Command::Completions { shell } => {
            // Into a buffer first: `generate` panics when its writer fails (a closed pipe).
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut cmd, "mtharness", &mut buf);
            print_stdout(&buf)?;
            Ok(exit::OK)
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            let mut buf = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut buf)
                .map_err(|e| Error::io(STDOUT, e))?;
            print_stdout(&buf)?;
            Ok(exit::OK)
        }
        Command::Align(args) => align(&args, &csv),
        Command::Bench(args) => bench(&args),
        Command::Merge(args) => merge(&args, &csv),
    };
    let unshifted = mtharness::metrics::unshifted_pairs();
    if unshifted > 0 {
        let _ = writeln!(
            std::io::stderr(),
            "mtharness: warning: TER scored {unshifted} pair(s) longer than {} cells \
             ((hyp words + 1) x (ref words + 2), about 2,000 words a side) without shift \
             search: their edits are the edit distance alone, at least sacreBLEU's",
            mtharness::metrics::MAX_TER_CELLS
        );
    }
    result
}

fn align(a: &AlignArgs, csv: &CsvOptions) -> Result<i32> {
    let corpus = load_corpus(&a.input.load_spec()?, a.quiet)?;
    let opts = EvalOptions {
        normalizer: a.normalize.parse()?,
        align: AlignMode::Always,
        resegment: a.resegment,
        progress: progress_for(a.quiet),
        ..EvalOptions::default()
    };
    let al = mtharness::eval::align_corpus(&corpus, &opts)?;
    if let Some(dir) = &a.csv_dir {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        report::write_alignments_csv(&dir.join("alignments.csv"), &al, csv)?;
    }
    if !a.quiet {
        let table = report::format_alignment_table(&report::alignment_summary(&al));
        print_stdout(table.as_bytes())?;
    }
    Ok(exit::OK)
}

fn score(a: &ScoreArgs, csv: &CsvOptions) -> Result<i32> {
    if a.stream {
        return score_stream(a, csv);
    }
    let corpus = load_corpus(&a.input.load_spec()?, a.quiet)?;
    let mut metrics = build_metrics(&a.scoring.metrics, &a.scoring.metric.options()?)?;
    let glossary = a.glossary.load()?;
    if let Some(g) = &glossary {
        metrics.push(MetricSpec {
            id: "TermAcc".into(),
            metric: Box::new(TermAccuracy::new(g.clone(), TermOptions::default())?),
        });
    }
    let normalizer: Normalizer = a.scoring.normalize.parse()?;
    let align = if a.align {
        AlignMode::Always
    } else if a.no_align {
        AlignMode::Never
    } else {
        AlignMode::Auto
    };
    let opts = EvalOptions {
        normalizer,
        align,
        resegment: a.resegment,
        progress: progress_for(a.quiet),
        ..EvalOptions::default()
    };
    let ev = match &a.stats {
        None => mtharness::eval::evaluate(corpus, metrics, &opts)?,
        Some(path) => {
            if a.resegment {
                return Err(Error::config(
                    "--stats does not record --resegment yet: drop one of them",
                ));
            }
            if glossary.is_some() {
                return Err(Error::config(
                    "--stats cannot store terminology statistics: drop --glossary \
                     (run `mtharness terms` on the whole corpus instead)",
                ));
            }
            let shard = match &a.shard {
                Some(s) => s.parse()?,
                None => mtharness::shard::ShardSpec::WHOLE,
            };
            let cfg = mtharness::shard::ShardConfig {
                metrics: a.scoring.metrics.clone(),
                metric_options: a.scoring.metric.options()?,
                normalizer: opts.normalizer.clone(),
                align,
            };
            let (ev, stats) = mtharness::shard::evaluate_shard(&corpus, &cfg, shard)?;
            mtharness::shard::write_stats(path, &stats)?;
            ev
        }
    };
    let term_records = match &glossary {
        Some(g) if a.csv_dir.is_some() || a.html.is_some() => Some(
            TermEvaluator::new(g.clone(), TermOptions::default())?
                .corpus(&ev.corpus, Pairing::Auto)?,
        ),
        _ => None,
    };
    if let Some(dir) = &a.csv_dir {
        report::write_csv_reports(&ev, dir, csv)?;
        if let Some(systems) = &term_records {
            report::write_terms_csv(&dir.join("terms.csv"), systems, csv)?;
        }
    }
    match &a.json {
        Some(path) if path.as_os_str() == "-" => {
            print_stdout(report::json_string(&ev)?.as_bytes())?
        }
        Some(path) => report::write_json(&ev, path)?,
        None => {}
    }
    if let Some(path) = &a.html {
        report::write_html(path, &ev, term_records.as_deref())?;
    }
    print_scores(a, &ev, csv)
}

/// `score --stream`: the line-aligned files scored chunk by chunk ([`mtharness::stream`]), CSV
/// reports written as rows come, the same table and reports as [`score`].
fn score_stream(a: &ScoreArgs, csv: &CsvOptions) -> Result<i32> {
    let refuse = |what: &str| -> Result<i32> {
        Err(Error::config(format!(
            "--stream cannot be used with {what}, which needs the whole corpus in memory: \
             drop one of them"
        )))
    };
    let refused = [
        (a.html.is_some(), "--html"),
        (a.json.is_some(), "--json"),
        (a.format == ScoreFormat::Json, "--format json"),
        (a.glossary.glossary.is_some(), "--glossary"),
        (a.align, "--align"),
        (a.resegment, "--resegment"),
        (a.stats.is_some(), "--stats"),
        (a.shard.is_some(), "--shard"),
        (a.input.collection.is_some(), "--collection"),
    ];
    if let Some((_, what)) = refused.iter().find(|(given, _)| *given) {
        return refuse(what);
    }
    let spec = a.input.load_spec()?;
    if let Some(input) = &spec.input {
        return refuse(&format!(
            "{} (a corpus folder or an XML, TSV or JSONL file; --stream reads line-aligned \
             files given with -r/-i)",
            input.display()
        ));
    }
    let metrics = build_metrics(&a.scoring.metrics, &a.scoring.metric.options()?)?;
    let opts = mtharness::stream::StreamOptions {
        normalizer: a.scoring.normalize.parse()?,
        ..mtharness::stream::StreamOptions::default()
    };
    let outcome = match &a.csv_dir {
        Some(dir) => {
            let mut sink = mtharness::stream::CsvSink::create(
                dir,
                &metrics,
                spec.systems.as_ref().map_or(spec.hyps.len(), Vec::len),
                csv.clone(),
            )?;
            let outcome = mtharness::stream::score_stream(&spec, metrics, &opts, &mut sink)?;
            sink.finish(&outcome)?;
            outcome
        }
        None => mtharness::stream::score_stream(
            &spec,
            metrics,
            &opts,
            &mut mtharness::stream::NullSink,
        )?,
    };
    print_scores(a, &outcome.evaluation, csv)
}

/// The standard output of `score`: the table, the scores only (`-b`), JSON or systems CSV.
fn print_scores(a: &ScoreArgs, ev: &mtharness::eval::Evaluation, csv: &CsvOptions) -> Result<i32> {
    if a.quiet {
        return Ok(exit::OK);
    }
    let (confidence, seed) = if a.confidence {
        sacre::confidence(ev, a)?
    } else {
        (Vec::new(), String::new())
    };
    let lines = sacre::LineOptions {
        width: a.width,
        score_only: a.score_only,
        smooth: a.scoring.metric.options()?.smooth,
        confidence,
        seed,
    };
    let text = if a.sentence_level {
        sacre::sentence_lines(ev, &lines)
    } else if a.format == ScoreFormat::Line || a.confidence {
        sacre::corpus_lines(ev, &lines)
    } else if a.format == ScoreFormat::Latex && !a.score_only {
        latex::table(ev, a.width)
    } else if a.score_only {
        let mut s = String::new();
        for (i, sys) in ev.systems.iter().enumerate() {
            let scores: Vec<String> = (0..ev.metrics.len())
                .map(|m| report::fmt_score(ev.system_score(i, m), a.width))
                .collect();
            if ev.systems.len() > 1 {
                s.push_str(&sys.name);
                s.push('\t');
            }
            s.push_str(&scores.join("\t"));
            s.push('\n');
        }
        s
    } else {
        match a.format {
            ScoreFormat::Text | ScoreFormat::Line | ScoreFormat::Latex => report::format_table(
                ev,
                &TableOptions {
                    decimals: a.width,
                    signatures: true,
                },
            ),
            ScoreFormat::Json => report::json_string(ev)?,
            ScoreFormat::Csv => {
                let mut buf = Vec::new();
                report::write_systems_csv(
                    ev,
                    &CsvOptions {
                        decimals: a.width,
                        ..*csv
                    },
                    &mut buf,
                )
                .map_err(|e| Error::io(STDOUT, e))?;
                String::from_utf8_lossy(&buf).into_owned()
            }
        }
    };
    print_stdout(text.as_bytes())?;
    Ok(exit::OK)
}

fn compare(a: &CompareArgs, csv: &CsvOptions) -> Result<i32> {
    let corpus = load_corpus(&a.input.load_spec()?, a.quiet)?;
    let progress = progress_for(a.quiet);
    let metrics = build_metrics(&a.scoring.metrics, &a.scoring.metric.options()?)?;
    let normalizer: Normalizer = a.scoring.normalize.parse()?;
    let seed = match &a.seed {
        Some(s) => parse_seed(s)?,
        None => seed_from_env()?,
    };
    let test = if a.paired_ar {
        PairedTest::ApproximateRandomization
    } else {
        PairedTest::Bootstrap
    };
    let opts = CompareOptions {
        baseline: a.baseline.clone(),
        test,
        n_samples: if a.paired_ar {
            a.paired_ar_n
        } else {
            a.paired_bs_n
        },
        confidence: !a.no_confidence,
        confidence_n: a.confidence_n,
        seed,
        decimals: a.width,
        progress: progress.clone(),
    };
    // Paired tests resample aligned segments: never align here.
    let ev = evaluate(
        &corpus,
        metrics,
        &EvalOptions {
            normalizer,
            align: AlignMode::Never,
            progress,
            ..EvalOptions::default()
        },
    )?;
    let cmp = compare::compare(&ev, &opts)?;
    if let Some(dir) = &a.csv_dir {
        cmp.write_csv_report(dir, csv)?;
    }
    if let Some(path) = &a.html {
        report::write_compare_html(path, &cmp, Some(&ev))?;
    }
    if a.quiet {
        return Ok(exit::OK);
    }
    let text = match a.format {
        Format::Text => cmp.format_text(),
        Format::Json => cmp.to_json()?,
        Format::Csv => {
            let mut buf = Vec::new();
            cmp.write_csv(&mut buf, csv.escape)
                .map_err(|e| Error::io(STDOUT, e))?;
            String::from_utf8_lossy(&buf).into_owned()
        }
    };
    print_stdout(text.as_bytes())?;
    Ok(exit::OK)
}

fn terms(a: &TermsArgs, csv: &CsvOptions) -> Result<i32> {
    let Some(glossary) = a.glossary.load()? else {
        return Err(Error::config(
            "terms needs a glossary: --glossary FILE (.csv or .tbx)",
        ));
    };
    let corpus = corpus::load(&a.input.load_spec()?)?;
    let normalizer: Normalizer = a.normalize.parse()?;
    let corpus = mtharness::eval::normalize_corpus(&corpus, &normalizer);
    let systems =
        TermEvaluator::new(glossary, TermOptions::default())?.corpus(&corpus, Pairing::Auto)?;
    if let Some(dir) = &a.csv_dir {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        report::write_terms_csv(&dir.join("terms.csv"), &systems, csv)?;
    }
    if !a.quiet {
        print_stdout(report::format_terms_table(&systems, a.width).as_bytes())?;
    }
    Ok(exit::OK)
}

fn rules(a: &RulesArgs, csv: &CsvOptions) -> Result<i32> {
    match &a.command {
        RulesCommand::Apply(x) => {
            let set = mtharness::rules::load_rules(&x.rules)?;
            let hits = mtharness::rules::apply_paths(&set, &x.inputs, &x.out)?;
            mtharness::rules::write_hits_csv(&x.out.join("hits.csv"), &hits, csv)?;
            Ok(exit::OK)
        }
        RulesCommand::Test(x) => {
            let set = mtharness::rules::load_rules(&x.rules)?;
            let spec = x.input.load_spec()?;
            let format = corpus::detect_format(&spec)?;
            let corpus = load_corpus(&spec, x.quiet)?;
            let opts = mtharness::rules::TestOptions {
                eval: EvalOptions {
                    progress: progress_for(x.quiet),
                    ..EvalOptions::default()
                },
                metrics: x.metrics.clone(),
                delete_mode: mtharness::rules::delete_mode_for(format),
                max_worse_docs: x.max_worse_docs,
                max_worse_segments: x.max_worse_segments,
                min_gain: mtharness::rules::parse_min_gains(&x.min_gain)?,
                baseline: match &x.baseline {
                    Some(p) => Some(mtharness::rules::read_rules_csv(p)?),
                    None => None,
                },
                seed: mtharness::significance::seed_from_env()?,
                ..mtharness::rules::TestOptions::default()
            };
            let report = mtharness::rules::test_rules(&set, &corpus, &opts)?;
            if let Some(dir) = &x.csv_dir {
                mtharness::rules::write_test_csvs(&report, dir, csv)?;
                mtharness::rules::write_hits_csv(&dir.join("hits.csv"), &report.hits, csv)?;
            }
            if let Some(path) = &x.html {
                report::write_rules_html(path, &report, x.width)?;
            }
            if !x.quiet {
                // A closed pipe does not hide the gate's verdict: the exit code still tells it.
                match print_stdout(
                    mtharness::rules::format_test_report(&report, x.width).as_bytes(),
                ) {
                    Err(e) if !is_broken_pipe(&e) => return Err(e),
                    _ => {}
                }
            }
            Ok(if report.passed() {
                exit::OK
            } else {
                exit::GATE_FAILED
            })
        }
    }
}

fn bench(a: &BenchArgs) -> Result<i32> {
    use mtharness::bench::{self, BenchInput, BenchOptions};
    let spec = a.input.load_spec()?;
    let has_files = spec.input.is_some() || !spec.refs.is_empty() || !spec.hyps.is_empty();
    let input = if has_files {
        BenchInput::Files(spec)
    } else {
        let corpus = bench::synthetic_corpus(a.segments, a.synthetic_systems.max(1), a.seed);
        match &a.write_corpus {
            Some(dir) => {
                let (r, h) = bench::write_line_aligned(&corpus, dir)?;
                BenchInput::Files(LoadSpec {
                    refs: vec![r],
                    hyps: h,
                    ..LoadSpec::default()
                })
            }
            None => BenchInput::Synthetic(corpus),
        }
    };
    let opts = BenchOptions {
        metrics: a.metrics.clone(),
        metric_options: a.metric.options()?,
        threads: a.threads.clone(),
        repeat: a.repeat,
    };
    let quiet = a.quiet;
    let mut header_done = false;
    // The first failed write to standard output; the rows still go to `--out`.
    let mut print_error: Option<Error> = None;
    let show = |r: &bench::BenchRow| {
        if quiet || print_error.is_some() {
            return;
        }
        let mut text = String::new();
        if !std::mem::replace(&mut header_done, true) {
            text.push_str(&bench::THROUGHPUT_HEADER.join("\t"));
            text.push('\n');
        }
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\t{:.3}\t{:.0}\t{:.2}\t{}\n",
            r.metric,
            r.segments,
            r.bytes,
            r.threads,
            r.seconds,
            r.segments_per_s,
            r.mb_per_s,
            r.peak_rss_kb.map_or(String::new(), |k| k.to_string())
        ));
        if let Err(e) = print_stdout(text.as_bytes()) {
            print_error = Some(e);
        }
    };
    let rows = if a.stream {
        let BenchInput::Files(spec) = &input else {
            return Err(Error::config(
                "bench --stream reads line-aligned files: give -r/-i (or --write-corpus)",
            ));
        };
        bench::run_stream_bench(spec, &opts, show)?
    } else {
        bench::run_bench(&input, &opts, show)?
    };
    if let Some(out) = &a.out {
        bench::write_throughput_csv(out, &rows)?;
    }
    match print_error {
        Some(e) => Err(e),
        None => Ok(exit::OK),
    }
}

fn merge(a: &MergeArgs, csv: &CsvOptions) -> Result<i32> {
    let ev = mtharness::shard::merge_files(&a.stats)?;
    if let Some(dir) = &a.csv_dir {
        report::write_csv_reports(&ev, dir, csv)?;
    }
    if !a.quiet {
        let text = report::format_table(
            &ev,
            &TableOptions {
                decimals: a.width,
                signatures: true,
            },
        );
        print_stdout(text.as_bytes())?;
    }
    Ok(exit::OK)
}

/// How errors name standard output.
const STDOUT: &str = "standard output";

/// Writes `text` to standard output and flushes it: the one way this binary prints (no
/// `print!`, which panics when the write fails). A failed write is an [`Error::io`] on
/// [`STDOUT`]; `main` ends quietly with exit 0 when it is a closed pipe ([`is_broken_pipe`]).
fn print_stdout(text: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text)
        .and_then(|()| out.flush())
        .map_err(|e| Error::io(STDOUT, e))
}

/// Whether `e` is a write to standard output whose reader has gone (`mtharness ... | head`):
/// not an error, the run ends quietly with exit 0, as `head`'s other writers do.
pub fn is_broken_pipe(e: &Error) -> bool {
    matches!(
        e.kind(),
        mtharness::ErrorKind::Io { path, source }
            if path.as_os_str() == STDOUT && source.kind() == std::io::ErrorKind::BrokenPipe
    )
}
