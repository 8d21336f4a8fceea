//! The clap definitions of every command and its options.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use mtharness::compare::DEFAULT_COMPARE_METRICS;
use mtharness::corpus::{self, LoadSpec};
use mtharness::metrics::{MetricOptions, DEFAULT_METRICS, METRIC_NAMES};
use mtharness::significance::{DEFAULT_AR_TRIALS, DEFAULT_BOOTSTRAP_SAMPLES};
use mtharness::{Result, Smooth, Ter};

use super::numbers;

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
    /// Read input files that are symbolic links (refused by default, naming the link, so that a
    /// link planted in a corpus is not copied into reports or `rules apply --out`). Links to
    /// folders are always refused.
    #[arg(long = "follow-symlinks", global = true)]
    pub follow_symlinks: bool,
}

// Parsed once per run: the size difference between variants does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Score MT output against references: system table, and CSV/JSON reports.
    Score(ScoreArgs),
    /// Compare systems with a baseline: bootstrap CIs, paired significance tests
    /// (sacreBLEU's --paired-bs / --paired-ar), per-document wins/losses/ties, a ranking.
    #[command(mut_arg("metrics", |a| a
        .default_values(DEFAULT_COMPARE_METRICS)
        .help(metrics_help(" (ranking by the first)"))))]
    #[command(mut_arg("normalize", |a| a
        .help("Normalisation steps applied to every segment before scoring (as `score --normalize`)")))]
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
    #[arg(long, default_value_t = 20_000, value_parser = numbers::segments)]
    pub segments: usize,
    /// Systems of the synthetic corpus.
    #[arg(long = "synthetic-systems", default_value_t = 1, value_parser = numbers::systems)]
    pub synthetic_systems: usize,
    /// Seed of the synthetic corpus.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Metrics timed one by one, then all together.
    #[arg(short = 'm', long = "metrics", num_args = 1.., default_values_t = DEFAULT_METRICS.map(String::from), value_parser = super::hints::metric_name)]
    pub metrics: Vec<String>,
    #[command(flatten)]
    pub metric: MetricArgs,
    /// Thread counts, comma-separated.
    #[arg(long, value_delimiter = ',', default_values_t = vec![1, 2], value_parser = numbers::threads)]
    pub threads: Vec<usize>,
    /// Timed runs per row (the fastest is kept).
    #[arg(long, default_value_t = 1, value_parser = numbers::repeat)]
    pub repeat: usize,
    /// Also write the rows as CSV to this file (`reports/throughput.csv` is the tracked one;
    /// nothing is written unless asked).
    #[arg(long)]
    pub out: Option<PathBuf>,
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
    #[arg(short = 'm', long = "metrics", num_args = 1.., default_values_t = DEFAULT_METRICS.map(String::from), value_parser = super::hints::metric_name)]
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
    #[arg(short = 'w', long = "width", default_value_t = 2, value_parser = numbers::width)]
    pub width: usize,
    /// Print nothing but errors (no report, no progress); the exit code still tells the gate.
    #[arg(short = 'q', long)]
    pub quiet: bool,
}

/// The glossary options shared by `score` and `terms`.
#[derive(Args, Debug, Clone, Default)]
pub struct GlossaryArgs {
    /// Glossary: CSV (columns in the README) or TBX-Basic (.tbx or .xml).
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
    pub(super) fn load(&self) -> Result<Option<mtharness::glossary::Glossary>> {
        let Some(path) = &self.glossary else {
            return Ok(None);
        };
        let tbx = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("tbx") || e.eq_ignore_ascii_case("xml"));
        let g = if tbx {
            mtharness::glossary::Glossary::from_tbx_path(
                path,
                &self.glossary_lang,
                self.glossary_src_lang.as_deref(),
            )?
        } else {
            mtharness::glossary::Glossary::from_csv_path(path)?
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
    #[arg(short = 'w', long = "width", default_value_t = 2, value_parser = numbers::width)]
    pub width: usize,
    /// Print nothing but errors.
    #[arg(short = 'q', long)]
    pub quiet: bool,
}

/// Where the corpus comes from.
// No `Default`: the limits' defaults live in the clap attributes (a derived 0 would refuse all).
#[derive(Args, Debug, Clone)]
pub struct InputArgs {
    /// A corpus folder (ref/ and mt/), a WMT XML test set, or a .tsv / .jsonl table; or, as
    /// sacreBLEU takes them, reference files (`REF [REF...] -i HYP`, or the system output on
    /// standard input).
    #[arg(value_name = "INPUT|REF")]
    pub inputs: Vec<PathBuf>,
    /// Reference files, one segment a line (several for multi-reference).
    #[arg(short = 'r', long = "refs", num_args = 1..)]
    pub refs: Vec<PathBuf>,
    /// System output files, one segment a line, line-aligned with the references; `-` is
    /// standard input (the default when references are given and standard input is a pipe).
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
    /// What to read: see [`super::stdin::resolve`] for positional references and `-`.
    pub(super) fn load_spec(&self) -> Result<LoadSpec> {
        let (input, refs, hyps) = super::stdin::resolve(&self.inputs, &self.refs, &self.hyps)?;
        Ok(LoadSpec {
            input,
            refs,
            hyps,
            docids: self.docids.clone(),
            source: self.source.clone(),
            name: None,
            collection: self.collection.clone(),
            systems: self.systems.clone(),
            limits: corpus::Limits {
                max_line_bytes: self.max_line_bytes,
                max_doc_segments: self.max_doc_segments,
            },
        })
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

/// Output format of `score` on standard output.
#[derive(ValueEnum, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ScoreFormat {
    /// The system table with signatures.
    #[default]
    Text,
    Json,
    /// The systems CSV.
    Csv,
    /// sacreBLEU's score lines (its `-f text` of one system), e.g.
    /// `BLEU|nrefs:1|... = 33.25 66.8/41.5/27.9/19.2 (BP = 0.953 ratio = 0.954 ...)`.
    Line,
    /// The system table as a LaTeX booktabs tabular (sacreBLEU's `-f latex`).
    Latex,
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
    #[arg(long = "smooth-value", allow_negative_numbers = true, value_parser = numbers::smooth_value)]
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
    pub fn options(&self) -> mtharness::Result<MetricOptions> {
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

/// The metrics and the normalisation of `score` and `compare` (`compare` gives `-m` other
/// defaults and both options its own help, with `mut_arg` on its subcommand).
#[derive(Args, Debug)]
pub struct ScoringArgs {
    #[arg(
        short = 'm',
        long = "metrics",
        num_args = 1..,
        help = metrics_help(""),
        default_values_t = DEFAULT_METRICS.map(String::from),
        value_parser = super::hints::metric_name
    )]
    pub metrics: Vec<String>,
    #[command(flatten)]
    pub metric: MetricArgs,
    /// Normalisation steps applied to every segment before scoring:
    /// nfc|nfkc, quotes, dashes, punct, lc, ws (comma-separated; `all` = nfkc,quotes,dashes,ws).
    #[arg(long, default_value = "none")]
    pub normalize: String,
}

#[derive(Args, Debug)]
pub struct ScoreArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub glossary: GlossaryArgs,
    #[command(flatten)]
    pub scoring: ScoringArgs,
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
    #[arg(short = 'f', long = "format", value_enum, default_value_t = ScoreFormat::Text)]
    pub format: ScoreFormat,
    /// One line per segment, its sentence-level scores in sacreBLEU's line format
    /// (sacreBLEU's `-sl`; with -b the scores alone).
    #[arg(long = "sentence-level", conflicts_with_all = ["json", "html", "csv_dir", "stream"])]
    pub sentence_level: bool,
    /// Bootstrap confidence intervals of one system's scores, printed in sacreBLEU's lines
    /// (`33.25 (μ = 33.25 ± 0.89)`; as sacreBLEU's `--confidence`, its resamples for the same
    /// seed). Several systems: use `mtharness compare`.
    #[arg(long, conflicts_with_all = ["sentence_level", "stream"])]
    pub confidence: bool,
    /// Resamples of --confidence.
    #[arg(long = "confidence-n", default_value_t = DEFAULT_BOOTSTRAP_SAMPLES, value_parser = numbers::samples, requires = "confidence")]
    pub confidence_n: usize,
    /// Random seed of --confidence, or `none` (default: $SACREBLEU_SEED, else 12345).
    #[arg(long, requires = "confidence")]
    pub seed: Option<String>,
    /// Decimals shown (sacreBLEU's `-w`).
    #[arg(short = 'w', long = "width", default_value_t = 2, value_parser = numbers::width)]
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
    /// not with options that need the whole corpus (--html, --json, -f json, --glossary,
    /// --align, --resegment, --stats, --shard, --collection, folder/XML/TSV/JSONL inputs).
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
    #[arg(short = 'w', long = "width", default_value_t = 2, value_parser = numbers::width)]
    pub width: usize,
    /// Print nothing but errors.
    #[arg(short = 'q', long)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct CompareArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub scoring: ScoringArgs,
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
    #[arg(long = "paired-bs-n", default_value_t = DEFAULT_BOOTSTRAP_SAMPLES, value_parser = numbers::samples)]
    pub paired_bs_n: usize,
    /// Trials of approximate randomisation.
    #[arg(long = "paired-ar-n", default_value_t = DEFAULT_AR_TRIALS, value_parser = numbers::samples)]
    pub paired_ar_n: usize,
    /// Bootstrap confidence intervals (on by default; kept for sacreBLEU's flag).
    #[arg(long, conflicts_with = "no_confidence")]
    pub confidence: bool,
    /// No confidence intervals.
    #[arg(long = "no-confidence")]
    pub no_confidence: bool,
    /// Resamples of the intervals under --paired-ar.
    #[arg(long = "confidence-n", default_value_t = DEFAULT_BOOTSTRAP_SAMPLES, value_parser = numbers::samples)]
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
    #[arg(short = 'w', long = "width", default_value_t = 2, value_parser = numbers::width)]
    pub width: usize,
    /// Print nothing but errors.
    #[arg(short = 'q', long)]
    pub quiet: bool,
}

/// Help of `-m` for `score` and `compare`: every name [`build_metrics`] accepts, taken from
/// [`METRIC_NAMES`] so that the list cannot drift from the code, then `note`.
fn metrics_help(note: &str) -> String {
    format!("Metrics: {}{note}", METRIC_NAMES.join(" "))
}
