//! The command line: clap definitions, and the glue from parsed arguments to library calls.
//! `main.rs` only calls [`run`] and turns its result into an exit code.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::compare::{self, CompareOptions, DEFAULT_COMPARE_METRICS};
use crate::corpus::{self, LoadSpec};
use crate::error::{Error, Result};
use crate::eval::{evaluate, AlignMode, EvalOptions};
use crate::metrics::bleu::Smooth;
use crate::metrics::ter::Ter;
use crate::metrics::terms::{Pairing, TermAccuracy, TermEvaluator, TermOptions};
use crate::metrics::{build_metrics, MetricOptions, MetricSpec, DEFAULT_METRICS};
use crate::progress::{Progress, ProgressHandle};
use crate::report::{self, CsvOptions, TableOptions};
use crate::significance::{
    parse_seed, seed_from_env, PairedTest, DEFAULT_AR_TRIALS, DEFAULT_BOOTSTRAP_SAMPLES,
};
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
      mtharness score corpora/sample --glossary corpora/sample/glossary.csv --html reports/sample.html\n  \
      mtharness score wmttest2022.ru-en.all.xml -tok 13a -w 4"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Write CSV text cells as they are: do not put `'` before a cell that begins with `=`,
    /// `+`, `-`, `@`, tab or carriage return (spreadsheet formula injection guard).
    #[arg(long = "no-csv-escape", global = true)]
    pub no_csv_escape: bool,
}

// Parsed once per run: the size difference between variants does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Score MT output against references: system table, and CSV/JSON reports.
    Score(ScoreArgs),
    /// Compare systems with a baseline: bootstrap CIs, paired significance tests
    /// (sacreBLEU's --paired-bs / --paired-ar), per-document wins/losses/ties, a ranking.
    Compare(CompareArgs),
    /// Terminology errors against a glossary: per-system table and terms.csv.
    Terms(TermsArgs),
    /// Cleanup rules: apply them, or test them against references (regression gate).
    Rules(RulesArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) of mtharness.
    Man,
    /// Split every document into sentences and align MT to reference: summary table and
    /// alignments.csv.
    Align(AlignArgs),
    /// Throughput of the whole pipeline per metric, on a corpus or a synthetic one:
    /// writes throughput.csv.
    Bench(BenchArgs),
    /// Combine the stats files of sharded `score --shard I/N --stats FILE` runs into the
    /// reports of a single run.
    Merge(MergeArgs),
}

#[derive(Args, Debug)]
pub struct AlignArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Normalisation steps applied before splitting (as `score --normalize`).
    #[arg(long, default_value = "none")]
    pub normalize: String,
    /// Cut a document's MT that is one unsegmented stream into the reference's sentences
    /// (minimal word edit distance) instead of splitting and aligning it.
    #[arg(long)]
    pub resegment: bool,
    /// Write alignments.csv into this folder.
    #[arg(long = "csv")]
    pub csv_dir: Option<PathBuf>,
    /// Print nothing but errors.
    #[arg(short = 'q', long)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct BenchArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Without input files: generate a synthetic corpus of this many segments.
    #[arg(long, default_value_t = 20_000)]
    pub segments: usize,
    /// Systems of the synthetic corpus.
    #[arg(long = "synthetic-systems", default_value_t = 1)]
    pub synthetic_systems: usize,
    /// Seed of the synthetic corpus.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Metrics timed one by one, then all together.
    #[arg(short = 'm', long = "metrics", num_args = 1.., default_values_t = DEFAULT_METRICS.map(String::from))]
    pub metrics: Vec<String>,
    #[command(flatten)]
    pub metric: MetricArgs,
    /// Thread counts, comma-separated.
    #[arg(long, value_delimiter = ',', default_values_t = vec![1, 2])]
    pub threads: Vec<usize>,
    /// Timed runs per row (the fastest is kept).
    #[arg(long, default_value_t = 1)]
    pub repeat: usize,
    /// Where to write the CSV.
    #[arg(long, default_value = "reports/throughput.csv")]
    pub out: PathBuf,
    /// Write the synthetic corpus as line-aligned files into this folder (and bench them).
    #[arg(long = "write-corpus")]
    pub write_corpus: Option<PathBuf>,
    /// Time only the streaming path (`score --stream`: read in chunks and score, rows
    /// discarded) on line-aligned files; the rows' peak RSS is that of streaming alone.
    #[arg(long)]
    pub stream: bool,
    /// Print nothing but errors.
    #[arg(short = 'q', long)]
    pub quiet: bool,
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
    /// Write an HTML report (systems before/after, rules, worse segments with their diff).
    #[arg(long = "html", value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Decimals shown.
    #[arg(short = 'w', long = "width", default_value_t = 2)]
    pub width: usize,
    /// Print nothing but errors (no report, no progress); the exit code still tells the gate.
    #[arg(short = 'q', long)]
    pub quiet: bool,
}

/// The glossary options shared by `score` and `terms`.
#[derive(Args, Debug, Clone, Default)]
pub struct GlossaryArgs {
    /// Glossary: CSV (columns in the README) or TBX-Basic (.tbx).
    #[arg(long)]
    pub glossary: Option<PathBuf>,
    /// Target language of a TBX glossary.
    #[arg(long = "glossary-lang", default_value = "en")]
    pub glossary_lang: String,
    /// Source language of a TBX glossary (source terms make occurrences expected).
    #[arg(long = "glossary-src-lang")]
    pub glossary_src_lang: Option<String>,
}

impl GlossaryArgs {
    fn load(&self) -> Result<Option<crate::glossary::Glossary>> {
        let Some(path) = &self.glossary else {
            return Ok(None);
        };
        let tbx = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("tbx") || e.eq_ignore_ascii_case("xml"));
        let g = if tbx {
            crate::glossary::Glossary::from_tbx_path(
                path,
                &self.glossary_lang,
                self.glossary_src_lang.as_deref(),
            )?
        } else {
            crate::glossary::Glossary::from_csv_path(path)?
        };
        Ok(Some(g))
    }
}

#[derive(Args, Debug)]
pub struct TermsArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub glossary: GlossaryArgs,
    /// Normalisation steps applied before matching (as `score --normalize`).
    #[arg(long, default_value = "none")]
    pub normalize: String,
    /// Write terms.csv into this folder.
    #[arg(long = "csv")]
    pub csv_dir: Option<PathBuf>,
    /// Decimals shown.
    #[arg(short = 'w', long = "width", default_value_t = 2)]
    pub width: usize,
    /// Print nothing but errors.
    #[arg(short = 'q', long)]
    pub quiet: bool,
}

/// Where the corpus comes from.
// No `Default`: the limits' defaults live in the clap attributes (a derived 0 would refuse all).
#[derive(Args, Debug, Clone)]
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
    /// Longest segment accepted, in bytes (broken input guard).
    #[arg(long = "max-line-bytes", default_value_t = corpus::DEFAULT_MAX_LINE_BYTES)]
    pub max_line_bytes: usize,
    /// Most segments accepted in one document (broken input guard; line-aligned files without
    /// --docids are one document of any length).
    #[arg(long = "max-doc-segments", default_value_t = corpus::DEFAULT_MAX_DOC_SEGMENTS)]
    pub max_doc_segments: usize,
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
            limits: corpus::Limits {
                max_line_bytes: self.max_line_bytes,
                max_doc_segments: self.max_doc_segments,
            },
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

/// Options of the metrics (sacreBLEU's flags), shared by `score` and `compare`.
#[derive(Args, Debug, Clone)]
pub struct MetricArgs {
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
}

impl MetricArgs {
    /// The typed options; an unknown tokeniser or smoothing method is a configuration error.
    pub fn options(&self) -> crate::Result<MetricOptions> {
        Ok(MetricOptions {
            tokenize: self.tokenize.parse()?,
            lowercase: self.lowercase,
            smooth: Smooth::from_name(&self.smooth_method, self.smooth_value)?,
            ter: Ter {
                case_sensitive: self.ter_case_sensitive,
                normalized: self.ter_normalized,
                no_punct: self.ter_no_punct,
                asian_support: self.ter_asian_support,
            },
        })
    }
}

#[derive(Args, Debug)]
pub struct ScoreArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub glossary: GlossaryArgs,
    /// Metrics: bleu chrf chrf++ ter wer mer wil cer charsim.
    #[arg(short = 'm', long = "metrics", num_args = 1.., default_values_t = DEFAULT_METRICS.map(String::from))]
    pub metrics: Vec<String>,
    #[command(flatten)]
    pub metric: MetricArgs,
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
    /// In aligned documents, cut MT that is one unsegmented stream into the reference's
    /// sentences instead of splitting and aligning it.
    #[arg(long, conflicts_with = "no_align")]
    pub resegment: bool,
    /// Write segments.csv, documents.csv and systems.csv into this folder (and alignments.csv
    /// when a document was aligned).
    #[arg(long = "csv")]
    pub csv_dir: Option<PathBuf>,
    /// Write the JSON report to this file (`-` for standard output).
    #[arg(long = "json")]
    pub json: Option<PathBuf>,
    /// Write a self-contained HTML report to this file (tables, distributions, worst
    /// segments, each document side by side with word edits and term errors marked).
    #[arg(long = "html", value_name = "FILE")]
    pub html: Option<PathBuf>,
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
    /// Score only shard I of N (documents with index % N == I; segments for a one-document
    /// corpus); needs --stats.
    #[arg(long, requires = "stats")]
    pub shard: Option<String>,
    /// Write the sufficient statistics of this run (or shard) to FILE, for `mtharness merge`.
    #[arg(long)]
    pub stats: Option<PathBuf>,
    /// Read line-aligned files (-r/-i [--docids] [--src]) in chunks and write segment rows as
    /// they come: memory stays flat whatever the corpus length. Same reports as without it;
    /// not with options that need the whole corpus (--html, --json, --glossary, --align,
    /// --resegment, --stats, -f json, folder/XML/TSV/JSONL inputs).
    #[arg(long)]
    pub stream: bool,
}

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// Stats files written by `score --shard I/N --stats FILE` (all N of them).
    #[arg(required = true, num_args = 1..)]
    pub stats: Vec<PathBuf>,
    /// Write segments.csv, documents.csv and systems.csv into this folder.
    #[arg(long = "csv")]
    pub csv_dir: Option<PathBuf>,
    /// Decimals shown.
    #[arg(short = 'w', long = "width", default_value_t = 2)]
    pub width: usize,
    /// Print nothing but errors.
    #[arg(short = 'q', long)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct CompareArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Metrics: bleu chrf chrf++ ter wer mer wil cer charsim (ranking by the first).
    #[arg(short = 'm', long = "metrics", num_args = 1.., default_values_t = DEFAULT_COMPARE_METRICS.map(String::from))]
    pub metrics: Vec<String>,
    #[command(flatten)]
    pub metric: MetricArgs,
    /// Normalisation steps applied to every segment before scoring (as `score --normalize`).
    #[arg(long, default_value = "none")]
    pub normalize: String,
    /// The baseline system (default: the first system, as sacreBLEU).
    #[arg(long)]
    pub baseline: Option<String>,
    /// Paired bootstrap resampling test (the default).
    #[arg(long = "paired-bs", conflicts_with = "paired_ar")]
    pub paired_bs: bool,
    /// Paired approximate randomisation test.
    #[arg(long = "paired-ar")]
    pub paired_ar: bool,
    /// Resamples of the paired bootstrap (and of its intervals).
    #[arg(long = "paired-bs-n", default_value_t = DEFAULT_BOOTSTRAP_SAMPLES)]
    pub paired_bs_n: usize,
    /// Trials of approximate randomisation.
    #[arg(long = "paired-ar-n", default_value_t = DEFAULT_AR_TRIALS)]
    pub paired_ar_n: usize,
    /// Bootstrap confidence intervals (on by default; kept for sacreBLEU's flag).
    #[arg(long, conflicts_with = "no_confidence")]
    pub confidence: bool,
    /// No confidence intervals.
    #[arg(long = "no-confidence")]
    pub no_confidence: bool,
    /// Resamples of the intervals under --paired-ar.
    #[arg(long = "confidence-n", default_value_t = DEFAULT_BOOTSTRAP_SAMPLES)]
    pub confidence_n: usize,
    /// Random seed, or `none` (default: $SACREBLEU_SEED, else 12345).
    #[arg(long)]
    pub seed: Option<String>,
    /// Write compare.csv into this folder.
    #[arg(long = "csv")]
    pub csv_dir: Option<PathBuf>,
    /// Write an HTML page with the comparison table.
    #[arg(long = "html", value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Format of standard output.
    #[arg(short = 'f', long = "format", value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Decimals shown; document scores equal at this precision are ties (sacreBLEU's `-w`).
    #[arg(short = 'w', long = "width", default_value_t = 2)]
    pub width: usize,
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
    let csv = CsvOptions {
        escape: !cli.no_csv_escape,
        ..CsvOptions::default()
    };
    match cli.command {
        Command::Score(args) => score(&args, &csv),
        Command::Compare(args) => compare(&args, &csv),
        Command::Terms(args) => terms(&args, &csv),
        Command::Rules(args) => rules(&args, &csv),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut out = std::io::stdout().lock();
            clap_complete::generate(shell, &mut cmd, "mtharness", &mut out);
            Ok(exit::OK)
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            let mut buf = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut buf)
                .map_err(|e| Error::io("<stdout>", e))?;
            std::io::stdout()
                .lock()
                .write_all(&buf)
                .map_err(|e| Error::io("<stdout>", e))?;
            Ok(exit::OK)
        }
        Command::Align(args) => align(&args, &csv),
        Command::Bench(args) => bench(&args),
        Command::Merge(args) => merge(&args, &csv),
    }
}

/// The CLI's [`Progress`]: one indicatif bar per stage on standard error, with items per
/// second. indicatif's stderr target draws nothing when standard error is not a terminal
/// (`ProgressDrawTarget::is_hidden` is `!term.is_term()`), so pipes and logs stay clean.
struct BarProgress {
    bar: std::sync::Mutex<Option<indicatif::ProgressBar>>,
}

/// Layout of a stage's bar: stage, bar, count, rate (`{rate}`, see [`stage_unit`]), time left.
const BAR_TEMPLATE: &str = "{msg:>16} [{bar:32}] {human_pos}/{human_len} {rate} eta {eta}";

/// What one unit of a library progress stage is, for the rate shown beside the bar.
fn stage_unit(stage: &str) -> &'static str {
    match stage.split(' ').next() {
        Some("scoring") => "segments",
        Some("aligning") => "documents",
        Some("resampling") => "tests",
        Some("rules") => "rules",
        _ => "items",
    }
}

impl Progress for BarProgress {
    fn start(&self, stage: &str, total: u64) {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(total),
            indicatif::ProgressDrawTarget::stderr(),
        );
        let unit = stage_unit(stage);
        if let Ok(style) = indicatif::ProgressStyle::with_template(BAR_TEMPLATE) {
            let style = style.progress_chars("=> ").with_key(
                "rate",
                move |st: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0} {unit}/s", st.per_sec());
                },
            );
            bar.set_style(style);
        }
        bar.set_message(stage.to_string());
        if let Ok(mut b) = self.bar.lock() {
            if let Some(old) = b.replace(bar) {
                old.finish_and_clear();
            }
        }
    }

    fn inc(&self, n: u64) {
        // Called once per chunk of work (see `progress::PROGRESS_CHUNK`), not per segment.
        if let Ok(b) = self.bar.lock() {
            if let Some(bar) = b.as_ref() {
                bar.inc(n);
            }
        }
    }

    fn finish(&self) {
        if let Ok(mut b) = self.bar.lock() {
            if let Some(bar) = b.take() {
                bar.finish_and_clear();
            }
        }
    }
}

/// A progress handle for a command: bars on standard error unless `quiet` (and drawn only when
/// standard error is a terminal).
fn progress_for(quiet: bool) -> ProgressHandle {
    if quiet {
        ProgressHandle::none()
    } else {
        ProgressHandle::new(std::sync::Arc::new(BarProgress {
            bar: std::sync::Mutex::new(None),
        }))
    }
}

/// Loads a corpus with a `reading` spinner on `progress` (file sizes are not known upfront).
fn load_corpus(spec: &LoadSpec, quiet: bool) -> Result<crate::corpus::Corpus> {
    if quiet {
        return corpus::load(spec);
    }
    let spinner =
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    if let Ok(style) = indicatif::ProgressStyle::with_template(SPINNER_TEMPLATE) {
        spinner.set_style(style);
    }
    spinner.set_message("reading");
    spinner.enable_steady_tick(std::time::Duration::from_millis(SPINNER_TICK_MS));
    let corpus = corpus::load(spec);
    spinner.finish_and_clear();
    corpus
}

/// Spinner refresh period while reading (indicatif's examples use 80-120 ms).
const SPINNER_TICK_MS: u64 = 100;
/// Layout of the reading spinner (aligned with the stage names of [`BAR_TEMPLATE`]).
const SPINNER_TEMPLATE: &str = "{msg:>16} {spinner} {elapsed}";

fn align(a: &AlignArgs, csv: &CsvOptions) -> Result<i32> {
    let corpus = load_corpus(&a.input.load_spec(), a.quiet)?;
    let opts = EvalOptions {
        normalizer: a.normalize.parse()?,
        align: AlignMode::Always,
        resegment: a.resegment,
        progress: progress_for(a.quiet),
        ..EvalOptions::default()
    };
    let al = crate::eval::align_corpus(&corpus, &opts)?;
    if let Some(dir) = &a.csv_dir {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        report::write_alignments_csv(&dir.join("alignments.csv"), &al, csv)?;
    }
    if !a.quiet {
        let table = report::format_alignment_table(&report::alignment_summary(&al));
        std::io::stdout()
            .lock()
            .write_all(table.as_bytes())
            .map_err(|e| Error::io("<stdout>", e))?;
    }
    Ok(exit::OK)
}

fn score(a: &ScoreArgs, csv: &CsvOptions) -> Result<i32> {
    if a.stream {
        return score_stream(a, csv);
    }
    let corpus = load_corpus(&a.input.load_spec(), a.quiet)?;
    let mut metrics = build_metrics(&a.metrics, &a.metric.options()?)?;
    let glossary = a.glossary.load()?;
    if let Some(g) = &glossary {
        metrics.push(MetricSpec {
            id: "TermAcc".into(),
            metric: Box::new(TermAccuracy::new(g.clone(), TermOptions::default())?),
        });
    }
    let normalizer: Normalizer = a.normalize.parse()?;
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
        None => crate::eval::evaluate_owned(corpus, metrics, &opts)?,
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
                None => crate::shard::ShardSpec::WHOLE,
            };
            let cfg = crate::shard::ShardConfig {
                metrics: a.metrics.clone(),
                metric_options: a.metric.options()?,
                normalize: a.normalize.clone(),
                align,
            };
            let (ev, stats) = crate::shard::evaluate_shard(&corpus, &cfg, shard)?;
            crate::shard::write_stats(path, &stats, &ev.metrics)?;
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
    if let Some(path) = &a.json {
        report::write_json(&ev, path)?;
    }
    if let Some(path) = &a.html {
        report::write_html(path, &ev, term_records.as_deref())?;
    }
    print_scores(a, &ev, csv)
}

/// `score --stream`: the line-aligned files scored chunk by chunk ([`crate::stream`]), CSV
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
        (a.format == Format::Json, "--format json"),
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
    if let Some(input) = &a.input.input {
        return refuse(&format!(
            "{} (a corpus folder or an XML, TSV or JSONL file; --stream reads line-aligned \
             files given with -r/-i)",
            input.display()
        ));
    }
    let metrics = build_metrics(&a.metrics, &a.metric.options()?)?;
    let opts = crate::stream::StreamOptions {
        normalizer: a.normalize.parse()?,
        ..crate::stream::StreamOptions::default()
    };
    let spec = a.input.load_spec();
    let outcome = match &a.csv_dir {
        Some(dir) => {
            let mut sink = crate::stream::CsvSink::create(
                dir,
                &metrics,
                spec.systems.as_ref().map_or(spec.hyps.len(), Vec::len),
                csv.clone(),
            )?;
            let outcome = crate::stream::score_stream(&spec, metrics, &opts, &mut sink)?;
            sink.finish(&outcome)?;
            outcome
        }
        None => crate::stream::score_stream(&spec, metrics, &opts, &mut crate::stream::NullSink)?,
    };
    print_scores(a, &outcome.evaluation, csv)
}

/// The standard output of `score`: the table, the scores only (`-b`), JSON or systems CSV.
fn print_scores(a: &ScoreArgs, ev: &crate::eval::Evaluation, csv: &CsvOptions) -> Result<i32> {
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
                ev,
                &TableOptions {
                    decimals: a.width,
                    signatures: true,
                },
            ),
            Format::Json => {
                serde_json::to_string_pretty(&report::json_report(ev))
                    .map_err(|e| Error::config(format!("JSON: {e}")))?
                    + "\n"
            }
            Format::Csv => {
                let mut buf = Vec::new();
                report::write_systems_csv(
                    ev,
                    &CsvOptions {
                        decimals: a.width,
                        ..*csv
                    },
                    &mut buf,
                )
                .map_err(|e| Error::io("<stdout>", e))?;
                String::from_utf8_lossy(&buf).into_owned()
            }
        }
    };
    out.write_all(text.as_bytes())
        .map_err(|e| Error::io("<stdout>", e))?;
    Ok(exit::OK)
}

fn compare(a: &CompareArgs, csv: &CsvOptions) -> Result<i32> {
    let corpus = load_corpus(&a.input.load_spec(), a.quiet)?;
    let progress = progress_for(a.quiet);
    let metrics = build_metrics(&a.metrics, &a.metric.options()?)?;
    let normalizer: Normalizer = a.normalize.parse()?;
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
                .map_err(|e| Error::io("<stdout>", e))?;
            String::from_utf8_lossy(&buf).into_owned()
        }
    };
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(|e| Error::io("<stdout>", e))?;
    Ok(exit::OK)
}

fn terms(a: &TermsArgs, csv: &CsvOptions) -> Result<i32> {
    let Some(glossary) = a.glossary.load()? else {
        return Err(Error::config(
            "terms needs a glossary: --glossary FILE (.csv or .tbx)",
        ));
    };
    let corpus = corpus::load(&a.input.load_spec())?;
    let normalizer: Normalizer = a.normalize.parse()?;
    let corpus = crate::eval::normalize_corpus(&corpus, &normalizer);
    let systems =
        TermEvaluator::new(glossary, TermOptions::default())?.corpus(&corpus, Pairing::Auto)?;
    if let Some(dir) = &a.csv_dir {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        report::write_terms_csv(&dir.join("terms.csv"), &systems, csv)?;
    }
    if !a.quiet {
        print!("{}", report::format_terms_table(&systems, a.width));
    }
    Ok(exit::OK)
}

fn rules(a: &RulesArgs, csv: &CsvOptions) -> Result<i32> {
    match &a.command {
        RulesCommand::Apply(x) => {
            let set = crate::rules::load_rules(&x.rules)?;
            let hits = crate::rules::apply_paths(&set, &x.inputs, &x.out)?;
            crate::rules::write_hits_csv(&x.out.join("hits.csv"), &hits, csv)?;
            Ok(exit::OK)
        }
        RulesCommand::Test(x) => {
            let set = crate::rules::load_rules(&x.rules)?;
            let spec = x.input.load_spec();
            let format = corpus::detect_format(&spec)?;
            let corpus = load_corpus(&spec, x.quiet)?;
            let opts = crate::rules::TestOptions {
                eval: EvalOptions {
                    progress: progress_for(x.quiet),
                    ..EvalOptions::default()
                },
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
                crate::rules::write_test_csvs(&report, dir, csv)?;
                crate::rules::write_hits_csv(&dir.join("hits.csv"), &report.hits, csv)?;
            }
            if let Some(path) = &x.html {
                report::write_rules_html(path, &report, x.width)?;
            }
            if !x.quiet {
                std::io::stdout()
                    .lock()
                    .write_all(crate::rules::format_test_report(&report, x.width).as_bytes())
                    .map_err(|e| Error::io("<stdout>", e))?;
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
    use crate::bench::{self, BenchInput, BenchOptions};
    let spec = a.input.load_spec();
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
    let show = |r: &bench::BenchRow| {
        if !quiet {
            if !std::mem::replace(&mut header_done, true) {
                println!("{}", bench::THROUGHPUT_HEADER.join("\t"));
            }
            println!(
                "{}\t{}\t{}\t{}\t{:.3}\t{:.0}\t{:.2}\t{}",
                r.metric,
                r.segments,
                r.bytes,
                r.threads,
                r.seconds,
                r.segments_per_s,
                r.mb_per_s,
                r.peak_rss_kb.map_or(String::new(), |k| k.to_string())
            );
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
    bench::write_throughput_csv(&a.out, &rows)?;
    Ok(exit::OK)
}

fn merge(a: &MergeArgs, csv: &CsvOptions) -> Result<i32> {
    let ev = crate::shard::merge_files(&a.stats)?;
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
        std::io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .map_err(|e| Error::io("<stdout>", e))?;
    }
    Ok(exit::OK)
}
