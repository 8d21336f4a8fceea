//! The command line: clap definitions, and the glue from parsed arguments to library calls.
//! `main.rs` only calls [`run`] and turns its result into an exit code.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::corpus::{self, LoadSpec};
use crate::error::{Error, Result};
use crate::eval::{evaluate, AlignMode, EvalOptions};
use crate::metrics::{build_metrics, MetricOptions, DEFAULT_METRICS};
use crate::report::{self, CsvOptions, TableOptions};
use crate::text::normalize::Normalizer;

/// Exit codes, documented in the README.
pub mod exit {
    /// Everything ran; every gate passed.
    pub const OK: i32 = 0;
    /// A quality gate failed (rules test, compare).
    pub const GATE_FAILED: i32 = 1;
    /// Bad input, bad usage, or an I/O error.
    pub const BAD_INPUT: i32 = 2;
}

#[derive(Parser, Debug)]
#[command(
    name = "mtharness",
    version,
    about = "Translation-quality evaluation: sacreBLEU-faithful BLEU, chrF, TER, jiwer-faithful WER, CER, \
             sentence alignment of whole articles, terminology errors and cleanup-rule regression tests.",
    after_help = "Examples:\n  \
      mtharness score corpora/sample\n  \
      mtharness score -r ref.A.en ref.B.en -i hyp.sys1.en hyp.sys2.en -m bleu chrf ter\n  \
      mtharness score -r ref.en -i hyp.en --docids docids --csv reports/run1\n  \
      mtharness score wmttest2022.ru-en.all.xml -tok 13a -w 4"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

// Parsed once per run: the size difference between variants does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Score MT output against references: system table, and CSV/JSON reports.
    Score(ScoreArgs),
    /// Cleanup rules: apply them, or test them against references (regression gate).
    Rules(RulesArgs),
}

#[derive(Args, Debug)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub command: RulesCommand,
}

#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
pub enum RulesCommand {
    /// Write cleaned copies of a corpus folder or of line-aligned MT files, plus hits.csv.
    Apply(RulesApplyArgs),
    /// Score before and after the rules, per rule, and fail (exit 1) when a gate fails.
    Test(RulesTestArgs),
}

#[derive(Args, Debug)]
pub struct RulesApplyArgs {
    /// The rule file (TOML).
    pub rules: PathBuf,
    /// One corpus folder, or line-aligned MT files.
    #[arg(required = true, num_args = 1..)]
    pub inputs: Vec<PathBuf>,
    /// Output folder (the input's layout, plus hits.csv).
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Args, Debug)]
pub struct RulesTestArgs {
    /// The rule file (TOML).
    pub rules: PathBuf,
    #[command(flatten)]
    pub input: InputArgs,
    /// Metrics scored before and after.
    #[arg(short = 'm', long = "metrics", num_args = 1.., default_values_t = DEFAULT_METRICS.map(String::from))]
    pub metrics: Vec<String>,
    /// Gate: most documents allowed to get worse on any metric.
    #[arg(long = "max-worse-docs", default_value_t = 0)]
    pub max_worse_docs: usize,
    /// Gate: most segments allowed to get worse on any metric.
    #[arg(long = "max-worse-segments", default_value_t = 0)]
    pub max_worse_segments: usize,
    /// Gate: least system-level gain, e.g. `BLEU=1.5` (repeatable; positive is better).
    #[arg(long = "min-gain")]
    pub min_gain: Vec<String>,
    /// Gate: a previous rules.csv; a rule whose gain dropped fails.
    #[arg(long)]
    pub baseline: Option<PathBuf>,
    /// Write rules.csv, rules_segments.csv and hits.csv into this folder.
    #[arg(long = "csv")]
    pub csv_dir: Option<PathBuf>,
    /// Decimals shown.
    #[arg(short = 'w', long = "width", default_value_t = 2)]
    pub width: usize,
}

/// Where the corpus comes from.
#[derive(Args, Debug, Clone, Default)]
pub struct InputArgs {
    /// A corpus folder (ref/ and mt/), a WMT XML test set, or a .tsv / .jsonl table.
    pub input: Option<PathBuf>,
    /// Reference files, one segment a line (several for multi-reference).
    #[arg(short = 'r', long = "refs", num_args = 1..)]
    pub refs: Vec<PathBuf>,
    /// System output files, one segment a line, line-aligned with the references.
    #[arg(short = 'i', long = "input", num_args = 1..)]
    pub hyps: Vec<PathBuf>,
    /// Document id of each line (line-aligned with the references).
    #[arg(long)]
    pub docids: Option<PathBuf>,
    /// Source file (line-aligned).
    #[arg(long = "src")]
    pub source: Option<PathBuf>,
    /// WMT XML collection to read (default: `general` when present).
    #[arg(long)]
    pub collection: Option<String>,
    /// Only these systems, in this order.
    #[arg(long, num_args = 1..)]
    pub systems: Option<Vec<String>>,
}

impl InputArgs {
    fn load_spec(&self) -> LoadSpec {
        LoadSpec {
            input: self.input.clone(),
            refs: self.refs.clone(),
            hyps: self.hyps.clone(),
            docids: self.docids.clone(),
            source: self.source.clone(),
            name: None,
            collection: self.collection.clone(),
            systems: self.systems.clone(),
        }
    }
}

/// Output format on standard output.
#[derive(ValueEnum, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    #[default]
    Text,
    Json,
    Csv,
}

#[derive(Args, Debug)]
pub struct ScoreArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Metrics: bleu chrf chrf++ ter wer mer wil cer charsim.
    #[arg(short = 'm', long = "metrics", num_args = 1.., default_values_t = DEFAULT_METRICS.map(String::from))]
    pub metrics: Vec<String>,
    /// BLEU tokenizer: 13a, intl, zh, char, none (sacreBLEU's `-tok`).
    #[arg(long = "tokenize", default_value = "13a")]
    pub tokenize: String,
    /// Lower-case for BLEU and chrF (sacreBLEU's `-lc`).
    #[arg(long = "lowercase")]
    pub lowercase: bool,
    /// BLEU smoothing: exp, floor, add-k, none.
    #[arg(long = "smooth-method", default_value = "exp")]
    pub smooth_method: String,
    /// Value of floor / add-k smoothing (sacreBLEU's defaults 0.1 and 1).
    #[arg(long = "smooth-value")]
    pub smooth_value: Option<f64>,
    /// TER: case-sensitive (sacreBLEU's TER lower-cases by default).
    #[arg(long = "ter-case-sensitive")]
    pub ter_case_sensitive: bool,
    /// TER: tercom's normalisation of punctuation and numbers.
    #[arg(long = "ter-normalized")]
    pub ter_normalized: bool,
    /// TER: remove punctuation.
    #[arg(long = "ter-no-punct")]
    pub ter_no_punct: bool,
    /// TER: Asian-language support in normalisation.
    #[arg(long = "ter-asian-support")]
    pub ter_asian_support: bool,
    /// Normalisation steps applied to every segment before scoring:
    /// nfc|nfkc, quotes, dashes, punct, lc, ws (comma-separated; `all` = nfkc,quotes,dashes,ws).
    #[arg(long, default_value = "none")]
    pub normalize: String,
    /// Align sentences even when segment counts agree.
    #[arg(long, conflicts_with = "no_align")]
    pub align: bool,
    /// Never align: differing segment counts are an error.
    #[arg(long = "no-align")]
    pub no_align: bool,
    /// Write segments.csv, documents.csv and systems.csv into this folder.
    #[arg(long = "csv")]
    pub csv_dir: Option<PathBuf>,
    /// Write the JSON report to this file (`-` for standard output).
    #[arg(long = "json")]
    pub json: Option<PathBuf>,
    /// Format of standard output.
    #[arg(short = 'f', long = "format", value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Decimals shown (sacreBLEU's `-w`).
    #[arg(short = 'w', long = "width", default_value_t = 2)]
    pub width: usize,
    /// Print only the scores, one line per system (sacreBLEU's `-b`).
    #[arg(short = 'b', long = "score-only")]
    pub score_only: bool,
    /// Print nothing but errors.
    #[arg(short = 'q', long)]
    pub quiet: bool,
}

/// sacreBLEU's multi-letter single-dash flags, rewritten to their long forms before clap parses
/// them (clap's short flags are one letter).
const SACREBLEU_FLAGS: [(&str, &str); 2] = [("-tok", "--tokenize"), ("-lc", "--lowercase")];

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
    let cli = match Cli::try_parse_from(rewrite_args(args)) {
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
    match cli.command {
        Command::Score(args) => score(&args),
        Command::Rules(args) => rules(&args),
    }
}

fn metric_options(a: &ScoreArgs) -> MetricOptions {
    MetricOptions {
        tokenize: a.tokenize.clone(),
        lowercase: a.lowercase,
        smooth_method: a.smooth_method.clone(),
        smooth_value: a.smooth_value,
        ter_case_sensitive: a.ter_case_sensitive,
        ter_normalized: a.ter_normalized,
        ter_no_punct: a.ter_no_punct,
        ter_asian_support: a.ter_asian_support,
    }
}

fn score(a: &ScoreArgs) -> Result<i32> {
    let corpus = corpus::load(&a.input.load_spec())?;
    let metrics = build_metrics(&a.metrics, &metric_options(a))?;
    let normalizer: Normalizer = a.normalize.parse()?;
    let align = if a.align {
        AlignMode::Always
    } else if a.no_align {
        AlignMode::Never
    } else {
        AlignMode::Auto
    };
    let ev = evaluate(&corpus, metrics, &EvalOptions { normalizer, align })?;
    if let Some(dir) = &a.csv_dir {
        report::write_csv_reports(&ev, dir, &CsvOptions::default())?;
    }
    if let Some(path) = &a.json {
        report::write_json(&ev, path)?;
    }
    if a.quiet {
        return Ok(exit::OK);
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let text = if a.score_only {
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
            Format::Text => report::format_table(
                &ev,
                &TableOptions {
                    decimals: a.width,
                    signatures: true,
                },
            ),
            Format::Json => {
                serde_json::to_string_pretty(&report::json_report(&ev))
                    .map_err(|e| Error::config(format!("JSON: {e}")))?
                    + "\n"
            }
            Format::Csv => {
                let mut buf = Vec::new();
                report::write_systems_csv(&ev, &CsvOptions { decimals: a.width }, &mut buf)
                    .map_err(|e| Error::io("<stdout>", e))?;
                String::from_utf8_lossy(&buf).into_owned()
            }
        }
    };
    out.write_all(text.as_bytes())
        .map_err(|e| Error::io("<stdout>", e))?;
    Ok(exit::OK)
}

fn rules(a: &RulesArgs) -> Result<i32> {
    match &a.command {
        RulesCommand::Apply(x) => {
            let set = crate::rules::load_rules(&x.rules)?;
            let hits = crate::rules::apply_paths(&set, &x.inputs, &x.out)?;
            crate::rules::write_hits_csv(&x.out.join("hits.csv"), &hits)?;
            Ok(exit::OK)
        }
        RulesCommand::Test(x) => {
            let set = crate::rules::load_rules(&x.rules)?;
            let spec = x.input.load_spec();
            let format = corpus::detect_format(&spec)?;
            let corpus = corpus::load(&spec)?;
            let opts = crate::rules::TestOptions {
                metrics: x.metrics.clone(),
                delete_mode: crate::rules::delete_mode_for(format),
                max_worse_docs: x.max_worse_docs,
                max_worse_segments: x.max_worse_segments,
                min_gain: crate::rules::parse_min_gains(&x.min_gain)?,
                baseline: match &x.baseline {
                    Some(p) => Some(crate::rules::read_rules_csv(p)?),
                    None => None,
                },
                seed: crate::significance::seed_from_env()?,
                ..crate::rules::TestOptions::default()
            };
            let report = crate::rules::test_rules(&set, &corpus, &opts)?;
            if let Some(dir) = &x.csv_dir {
                crate::rules::write_test_csvs(&report, dir)?;
                crate::rules::write_hits_csv(&dir.join("hits.csv"), &report.hits)?;
            }
            std::io::stdout()
                .lock()
                .write_all(crate::rules::format_test_report(&report, x.width).as_bytes())
                .map_err(|e| Error::io("<stdout>", e))?;
            Ok(if report.passed() {
                exit::OK
            } else {
                exit::GATE_FAILED
            })
        }
    }
}
