//! Comparing N systems against a baseline, like sacreBLEU's `--paired-bs` / `--paired-ar`
//! multi-system mode (`sacrebleu/utils.py` `print_results_table`, `sacrebleu/significance.py`),
//! plus what sacreBLEU lacks: per-document wins/losses/ties against the baseline, a ranking,
//! and machine-readable output (JSON, `compare.csv`).
//!
//! For every metric and system: the actual corpus score, a bootstrap estimate (`μ ± half-width`,
//! sacreBLEU's `--confidence`), and for every system but the baseline a paired test against the
//! baseline with its p-value and sacreBLEU's star (`p <= 0.05`). Everything works on the stored
//! per-segment statistics of an [`Evaluation`]: nothing is re-tokenised.
//!
//! The baseline is `--baseline NAME`, else the first system given (sacreBLEU's convention).
//!
//! Work is spread with rayon over (metric, system) tasks, and inside each task over resamples;
//! the significance functions give bit-identical results for any thread count, and tasks are
//! collected in input order, so a [`Comparison`] does not depend on the number of threads.
//!
//! Cost: paired bootstrap `O(metrics * systems * n_samples * segments * width)`; approximate
//! randomisation `O(metrics * systems * n_trials * segments * width / 2)`, plus bootstrap
//! intervals when asked for; document wins `O(metrics * systems * documents)`.
//!
//! # Example
//!
//! ```
//! use mtharness::compare::{compare, CompareOptions};
//! use mtharness::eval::{evaluate, EvalOptions};
//! use mtharness::metrics::{build_metrics, MetricOptions};
//! use mtharness::{Corpus, Document};
//!
//! let refs: Vec<String> = (0..40).map(|i| format!("the cat number {i} sat on the mat")).collect();
//! let good = refs.clone();
//! let bad: Vec<String> = (0..40).map(|i| format!("a dog {i} sat there")).collect();
//! let corpus = Corpus {
//!     name: "demo".into(),
//!     ref_names: vec!["A".into()],
//!     system_names: vec!["baseline".into(), "better".into()],
//!     documents: vec![Document {
//!         id: "d".into(),
//!         source: None,
//!         lines: (1..=refs.len()).collect(),
//!         refs: vec![refs],
//!         hyps: vec![bad, good],
//!     }],
//! };
//! let ev = evaluate(&corpus, build_metrics(&["bleu".into()], &MetricOptions::default())?,
//!                   &EvalOptions::default())?;
//! // Paired bootstrap resampling (sacreBLEU's `--paired-bs`) against the first system.
//! let c = compare(&ev, &CompareOptions { n_samples: 200, ..CompareOptions::default() })?;
//! let better = &c.systems[1];
//! assert_eq!(better.name, "better");
//! assert_eq!(better.rank, 1);
//! # Ok::<(), mtharness::Error>(())
//! ```

use std::cmp::Ordering;
use std::io::Write;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::eval::Evaluation;
use crate::progress::ProgressHandle;
use crate::report::{csv_string, fmt_score, write_atomic, CsvOptions};
use crate::significance::{
    bootstrap_ci, bootstrap_signature, paired_approximate_randomization, paired_bootstrap,
    Interval, PairedResult, PairedTest, StatsMatrix, DEFAULT_AR_TRIALS, DEFAULT_BOOTSTRAP_SAMPLES,
    DEFAULT_SEED, SIGNIFICANCE_LEVEL,
};

/// The metrics `mtharness compare` uses when none are named: sacreBLEU's three corpus metrics.
pub const DEFAULT_COMPARE_METRICS: [&str; 3] = ["bleu", "chrf", "ter"];

/// Decimals of scores in `compare.csv` (as the other CSV reports).
const CSV_DECIMALS: usize = 6;

/// sacreBLEU prints p-values with 4 decimals whatever `-w` is (`_format_score_lines`).
const P_VALUE_DECIMALS: usize = 4;

/// Options of [`compare`].
#[derive(Debug, Clone)]
pub struct CompareOptions {
    /// Name of the baseline system; `None` = the first system.
    pub baseline: Option<String>,
    /// Paired bootstrap (sacreBLEU's default `--paired-bs`) or approximate randomisation.
    pub test: PairedTest,
    /// Resamples (bootstrap) or trials (AR) of the paired test.
    pub n_samples: usize,
    /// Bootstrap intervals: for the paired bootstrap they come from the test's own resamples
    /// (`n_samples`, as sacreBLEU); for AR from `confidence_n` extra resamples.
    pub confidence: bool,
    /// Resamples of the intervals under AR (sacreBLEU's `--confidence-n`).
    pub confidence_n: usize,
    /// `None` draws a seed from the OS (sacreBLEU's `SACREBLEU_SEED=none`).
    pub seed: Option<u64>,
    /// Decimals shown; document scores equal at this precision are ties, and so are systems
    /// in the ranking.
    pub decimals: usize,
    /// Progress callback (stage `resampling`, one unit per metric and system); reports
    /// nothing by default and never changes results.
    pub progress: ProgressHandle,
}

impl Default for CompareOptions {
    fn default() -> CompareOptions {
        CompareOptions {
            baseline: None,
            test: PairedTest::Bootstrap,
            n_samples: DEFAULT_BOOTSTRAP_SAMPLES,
            confidence: true,
            confidence_n: DEFAULT_BOOTSTRAP_SAMPLES,
            seed: Some(DEFAULT_SEED),
            decimals: 2,
            progress: ProgressHandle::default(),
        }
    }
}

impl CompareOptions {
    /// Options for `test` with sacreBLEU's default sample count for it.
    pub fn with_test(test: PairedTest) -> CompareOptions {
        let n_samples = match test {
            PairedTest::Bootstrap => DEFAULT_BOOTSTRAP_SAMPLES,
            PairedTest::ApproximateRandomization => DEFAULT_AR_TRIALS,
        };
        CompareOptions {
            test,
            n_samples,
            ..CompareOptions::default()
        }
    }
}

/// One metric as compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricInfo {
    /// Report id (`BLEU`, `chrF`, `TER`).
    pub id: String,
    /// The metric's own name, as sacreBLEU prints it (`chrF2`).
    pub name: String,
    pub higher_is_better: bool,
    /// Signature with the test fields (`nrefs:1|bs:1000|seed:12345|...`).
    pub signature: String,
}

/// Per-document outcome of a system against the baseline on one metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct DocCounts {
    /// Documents where the system's score is better (in the metric's direction).
    pub wins: usize,
    pub losses: usize,
    /// Equal scores at the printed precision (also: a score that is NaN on either side).
    pub ties: usize,
}

/// One system on one metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricResult {
    /// Actual corpus score (from summed statistics).
    pub score: f64,
    /// `score - baseline score`.
    pub difference: f64,
    /// Bootstrap estimate; `None` when confidence is off.
    pub interval: Option<Interval>,
    /// Paired test against the baseline; `None` for the baseline itself.
    pub p_value: Option<f64>,
    /// `p_value <= 0.05` (sacreBLEU's `*`); `None` for the baseline.
    pub significant: Option<bool>,
    /// Per-document wins/losses/ties; `None` for the baseline.
    pub docs: Option<DocCounts>,
}

/// One system's row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SystemResult {
    pub name: String,
    pub is_baseline: bool,
    /// Rank by the first metric (1 = best; equal scores at the printed precision share a rank).
    pub rank: usize,
    /// `metrics[m]`, in the order of [`Comparison::metrics`].
    pub metrics: Vec<MetricResult>,
}

/// The result of [`compare`]. Systems are in input order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub corpus: String,
    /// Index of the baseline in `systems`.
    pub baseline: usize,
    pub test: PairedTest,
    pub n_samples: usize,
    /// Resamples behind the intervals; `None` when confidence is off.
    pub confidence_n: Option<usize>,
    pub seed: Option<u64>,
    pub decimals: usize,
    pub documents: usize,
    pub segments: usize,
    pub metrics: Vec<MetricInfo>,
    pub systems: Vec<SystemResult>,
}

/// Outcome of one (metric, system) task.
enum Task {
    Baseline(Option<Interval>),
    Paired(PairedResult),
}

/// Compares every system of `ev` with the baseline on every metric; see the module docs.
///
/// Fails if there are fewer than two systems, the baseline name is unknown, or the systems'
/// segments are not paired with the same reference segments (paired tests need that).
pub fn compare(ev: &Evaluation, opts: &CompareOptions) -> Result<Comparison> {
    if ev.systems.len() < 2 {
        return Err(Error::config(
            "compare needs at least two systems (a baseline and one to compare)",
        ));
    }
    if ev.metrics.is_empty() {
        return Err(Error::config("compare needs at least one metric"));
    }
    let base = match &opts.baseline {
        None => 0,
        Some(name) => ev
            .systems
            .iter()
            .position(|s| s.name == *name)
            .ok_or_else(|| {
                Error::config(format!(
                    "baseline {name:?} is not a system; systems: {}",
                    ev.systems
                        .iter()
                        .map(|s| s.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?,
    };
    check_paired_segments(ev, base)?;

    // stats[m][s]: the per-segment statistics matrices.
    let stats: Vec<Vec<StatsMatrix>> = (0..ev.metrics.len())
        .map(|m| {
            let width = ev.metrics[m].metric.stat_names().len();
            ev.systems
                .par_iter()
                .map(|sys| {
                    let mut flat = Vec::with_capacity(sys.segments.len() * width);
                    for k in 0..sys.segments.len() {
                        flat.extend_from_slice(sys.segment_stats(k, m));
                    }
                    StatsMatrix::from_flat(flat, width)
                })
                .collect::<Result<Vec<_>>>()
        })
        .collect::<Result<_>>()?;

    let n_sys = ev.systems.len();
    let tasks: Vec<(usize, usize)> = (0..ev.metrics.len())
        .flat_map(|m| (0..n_sys).map(move |s| (m, s)))
        .collect();
    opts.progress.start("resampling", tasks.len() as u64);
    let outcomes: Vec<Task> = tasks
        .par_iter()
        .map(|&(m, s)| {
            let t = run_task(ev, &stats[m], m, s, base, opts);
            // One call per task: each task is a whole resampling run (1000s of samples).
            opts.progress.inc(1);
            t
        })
        .collect::<Result<_>>()?;
    opts.progress.finish();

    let metrics: Vec<MetricInfo> = (0..ev.metrics.len())
        .map(|m| {
            let spec = &ev.metrics[m];
            let plain = ev.signature(m);
            let paired = outcomes[m * n_sys..(m + 1) * n_sys]
                .iter()
                .find_map(|t| match t {
                    Task::Paired(r) => Some(r.signature(&plain)),
                    Task::Baseline(_) => None,
                });
            MetricInfo {
                id: spec.id.clone(),
                name: spec.metric.name(),
                higher_is_better: spec.metric.higher_is_better(),
                signature: paired
                    .unwrap_or_else(|| bootstrap_signature(&plain, opts.n_samples, opts.seed)),
            }
        })
        .collect();

    let mut systems: Vec<SystemResult> = ev
        .systems
        .iter()
        .enumerate()
        .map(|(s, sys)| SystemResult {
            name: sys.name.clone(),
            is_baseline: s == base,
            rank: 0,
            metrics: (0..ev.metrics.len())
                .map(|m| {
                    let score = ev.system_score(s, m);
                    let difference = score - ev.system_score(base, m);
                    match &outcomes[m * n_sys + s] {
                        Task::Baseline(interval) => MetricResult {
                            score,
                            difference,
                            interval: *interval,
                            p_value: None,
                            significant: None,
                            docs: None,
                        },
                        Task::Paired(r) => MetricResult {
                            score,
                            difference,
                            interval: r.system,
                            p_value: Some(r.p_value),
                            significant: Some(r.significant),
                            docs: Some(doc_counts(ev, m, s, base, opts.decimals)),
                        },
                    }
                })
                .collect(),
        })
        .collect();
    let ranks = rank_systems(
        &systems,
        ev.metrics[0].metric.higher_is_better(),
        opts.decimals,
    );
    for (sys, r) in systems.iter_mut().zip(ranks) {
        sys.rank = r;
    }

    Ok(Comparison {
        corpus: ev.corpus_name.clone(),
        baseline: base,
        test: opts.test,
        n_samples: opts.n_samples,
        confidence_n: opts.confidence.then_some(match opts.test {
            PairedTest::Bootstrap => opts.n_samples,
            PairedTest::ApproximateRandomization => opts.confidence_n,
        }),
        seed: opts.seed,
        decimals: opts.decimals,
        documents: ev.documents.len(),
        segments: ev.systems[base].segments.len(),
        metrics,
        systems,
    })
}

fn run_task(
    ev: &Evaluation,
    stats: &[StatsMatrix],
    m: usize,
    s: usize,
    base: usize,
    opts: &CompareOptions,
) -> Result<Task> {
    let metric = ev.metrics[m].metric.as_ref();
    if s == base {
        // The baseline's interval: the same resamples the paired tests use for it.
        let n = match opts.test {
            PairedTest::Bootstrap => opts.n_samples,
            PairedTest::ApproximateRandomization => opts.confidence_n,
        };
        let iv = if opts.confidence {
            Some(bootstrap_ci(metric, &stats[s], n, opts.seed)?)
        } else {
            None
        };
        return Ok(Task::Baseline(iv));
    }
    let mut r = match opts.test {
        PairedTest::Bootstrap => {
            paired_bootstrap(metric, &stats[base], &stats[s], opts.n_samples, opts.seed)?
        }
        PairedTest::ApproximateRandomization => paired_approximate_randomization(
            metric,
            &stats[base],
            &stats[s],
            opts.n_samples,
            opts.confidence.then_some(opts.confidence_n),
            opts.seed,
        )?,
    };
    if !opts.confidence {
        r.baseline = None;
        r.system = None;
    }
    Ok(Task::Paired(r))
}

/// Paired tests resample segment `i` of both systems together: every system must pair the
/// same reference segments of the same documents as the baseline.
fn check_paired_segments(ev: &Evaluation, base: usize) -> Result<()> {
    let b = &ev.systems[base];
    for sys in &ev.systems {
        let same = sys.segments.len() == b.segments.len()
            && sys
                .segments
                .iter()
                .zip(&b.segments)
                .all(|(x, y)| x.doc == y.doc && x.pair.refs == y.pair.refs);
        if !same {
            return Err(Error::mismatch(format!(
                "system {} is not paired segment by segment with the baseline {}; \
                 paired tests need line-aligned systems",
                sys.name, b.name
            )));
        }
    }
    Ok(())
}

/// Orders two scores in the metric's direction: `Greater` = `a` is better. `None` if either
/// is NaN or both print the same at `decimals`.
fn better(a: f64, b: f64, higher_is_better: bool, decimals: usize) -> Option<Ordering> {
    if fmt_score(a, decimals) == fmt_score(b, decimals) {
        return None;
    }
    let o = a.partial_cmp(&b)?;
    Some(if higher_is_better { o } else { o.reverse() })
}

/// Wins/losses/ties of system `s` against `base` over documents, metric `m`; a document score
/// comes from the document's summed statistics. O(documents).
fn doc_counts(ev: &Evaluation, m: usize, s: usize, base: usize, decimals: usize) -> DocCounts {
    let metric = ev.metrics[m].metric.as_ref();
    let hib = metric.higher_is_better();
    let mut c = DocCounts::default();
    for (d, bd) in ev.systems[s]
        .documents
        .iter()
        .zip(&ev.systems[base].documents)
    {
        let x = metric.corpus_score(&d.stats[m]);
        let y = metric.corpus_score(&bd.stats[m]);
        match better(x, y, hib, decimals) {
            Some(Ordering::Greater) => c.wins += 1,
            Some(Ordering::Less) => c.losses += 1,
            _ => c.ties += 1,
        }
    }
    c
}

/// Competition ranks ("1224") by the first metric; NaN scores rank last.
fn rank_systems(systems: &[SystemResult], higher_is_better: bool, decimals: usize) -> Vec<usize> {
    let score = |i: usize| systems[i].metrics[0].score;
    let mut order: Vec<usize> = (0..systems.len()).collect();
    let key = |i: usize| {
        let x = score(i);
        if x.is_nan() {
            f64::NEG_INFINITY
        } else if higher_is_better {
            x
        } else {
            -x
        }
    };
    order.sort_by(|&a, &b| key(b).total_cmp(&key(a)));
    let mut ranks = vec![0; systems.len()];
    for (pos, &i) in order.iter().enumerate() {
        ranks[i] = match pos.checked_sub(1).map(|p| order[p]) {
            Some(prev) if fmt_score(score(prev), decimals) == fmt_score(score(i), decimals) => {
                ranks[prev]
            }
            _ => pos + 1,
        };
    }
    ranks
}

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

impl Comparison {
    fn test_name(&self) -> (&'static str, &'static str) {
        match self.test {
            PairedTest::Bootstrap => ("bootstrap resampling", "resampling trials"),
            PairedTest::ApproximateRandomization => ("approximate randomization", "trials"),
        }
    }

    /// The system name as the table shows it (`Baseline: NAME` for the baseline).
    fn display_name(&self, s: usize) -> String {
        if s == self.baseline {
            format!("Baseline: {}", self.systems[s].name)
        } else {
            self.systems[s].name.clone()
        }
    }

    /// The terminal table, laid out like sacreBLEU's `-f text` paired table (tabulate
    /// `fancy_grid`: system column right-aligned, cells centred, the p-value on a second line),
    /// with a third line per cell for document wins/losses/ties, a `Rank` column, then the
    /// test description and the signatures.
    pub fn format_text(&self) -> String {
        let w = self.decimals;
        let ci_suffix = if self.confidence_n.is_some() {
            " (μ ± 95% CI)"
        } else {
            ""
        };
        let mut head = vec!["System".to_string()];
        head.extend(
            self.metrics
                .iter()
                .map(|m| format!("{}{ci_suffix}", m.name)),
        );
        head.push("Rank".into());
        // rows[s][col] = lines of the cell.
        let rows: Vec<Vec<Vec<String>>> = self
            .systems
            .iter()
            .enumerate()
            .map(|(s, sys)| {
                let mut row = vec![vec![self.display_name(s)]];
                for r in &sys.metrics {
                    let mut cell = vec![match &r.interval {
                        Some(iv) => format!(
                            "{} ({} ± {})",
                            fmt_score(r.score, w),
                            fmt_score(iv.mean, w),
                            fmt_score(iv.half_width, w)
                        ),
                        None => fmt_score(r.score, w),
                    }];
                    if let (Some(p), Some(sig)) = (r.p_value, r.significant) {
                        let star = if sig { "*" } else { "" };
                        cell.push(format!("(p = {p:.P_VALUE_DECIMALS$}){star}"));
                    }
                    if let Some(d) = r.docs {
                        cell.push(format!("docs +{} -{} ={}", d.wins, d.losses, d.ties));
                    }
                    row.push(cell);
                }
                row.push(vec![sys.rank.to_string()]);
                row
            })
            .collect();
        let mut out = fancy_grid(&head, &rows);
        out.push('\n');
        let (test, samples) = self.test_name();
        let msg = format!("Paired {test} test with {} {samples}", self.n_samples);
        let rule = "-".repeat(msg.chars().count());
        let base = self.display_name(self.baseline);
        out.push_str(&format!("{rule}\n{msg}\n{rule}\n"));
        out.push_str(&format!(" - Each system is pairwise compared to {base}.\n"));
        if self.confidence_n.is_some() {
            out.push_str(
                "   Actual system score / bootstrap estimated true mean / 95% CI are provided for each metric.\n",
            );
        } else {
            out.push_str("   Actual system score is provided for each metric.\n");
        }
        out.push_str(&format!(
            " - p-values <= {SIGNIFICANCE_LEVEL} are marked with \"*\": the delta is unlikely to be due to chance,\n   \
             the system is significantly \"different\" from the baseline (not necessarily \"better\").\n"
        ));
        out.push_str(&format!(
            " - docs +W -L =T: documents ({}) where the system scores better / worse / the same\n   \
             (at {w} decimals) than the baseline. Rank: by {}.\n\n",
            self.documents,
            self.metrics.first().map_or("", |m| m.name.as_str())
        ));
        let title = "Metric signatures";
        out.push_str(&format!(
            "{0}\n{title}\n{0}\n",
            "-".repeat(title.chars().count())
        ));
        let name_w = self
            .metrics
            .iter()
            .map(|m| m.name.chars().count())
            .max()
            .unwrap_or(0)
            .max(10);
        for m in &self.metrics {
            out.push_str(&format!(" - {:<name_w$} {}\n", m.name, m.signature));
        }
        out
    }

    /// Pretty JSON of the whole comparison (serde), with a final newline.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self)
            .map(|s| s + "\n")
            .map_err(|e| Error::config(format!("JSON: {e}")))
    }

    /// `compare.csv` rows: one per (system, metric), systems in input order. Columns:
    /// `system, metric, score, ci_mean, ci_half_width, p_value, significant, doc_wins,
    /// doc_losses, doc_ties, rank, signature`; cells that do not apply (the baseline's test,
    /// intervals when off) are empty.
    /// Text cells are guarded when `escape` is on ([`crate::report::CsvOptions::escape`]).
    pub fn write_csv<W: Write>(&self, w: W, escape: bool) -> std::io::Result<()> {
        let mut wtr = csv::Writer::from_writer(w);
        let io = std::io::Error::other;
        wtr.write_record([
            "system",
            "metric",
            "score",
            "ci_mean",
            "ci_half_width",
            "p_value",
            "significant",
            "doc_wins",
            "doc_losses",
            "doc_ties",
            "rank",
            "signature",
        ])
        .map_err(io)?;
        let num = |x: Option<f64>| x.map_or(String::new(), |x| fmt_score(x, CSV_DECIMALS));
        let int = |x: Option<usize>| x.map_or(String::new(), |x| x.to_string());
        for sys in &self.systems {
            for (info, r) in self.metrics.iter().zip(&sys.metrics) {
                wtr.write_record([
                    csv_string(&sys.name, escape),
                    info.id.clone(),
                    fmt_score(r.score, CSV_DECIMALS),
                    num(r.interval.map(|i| i.mean)),
                    num(r.interval.map(|i| i.half_width)),
                    num(r.p_value),
                    r.significant.map_or(String::new(), |s| s.to_string()),
                    int(r.docs.map(|d| d.wins)),
                    int(r.docs.map(|d| d.losses)),
                    int(r.docs.map(|d| d.ties)),
                    sys.rank.to_string(),
                    info.signature.clone(),
                ])
                .map_err(io)?;
            }
        }
        wtr.flush()
    }

    /// Writes `compare.csv` into `dir` (created if missing), atomically.
    pub fn write_csv_report(&self, dir: &Path, opts: &CsvOptions) -> Result<()> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        write_atomic(&dir.join("compare.csv"), |w| self.write_csv(w, opts.escape))
    }
}

/// Renders a table as tabulate's `fancy_grid` does: one space of padding, the first column
/// right-aligned, the others centred (an odd margin puts the extra space on the right, as
/// Python's `format(s, '^n')`), multi-line cells, a rule between rows.
/// O(total cell characters).
fn fancy_grid(head: &[String], rows: &[Vec<Vec<String>>]) -> String {
    let len = |s: &String| s.chars().count();
    let widths: Vec<usize> = (0..head.len())
        .map(|c| {
            rows.iter()
                .flat_map(|r| r.get(c).into_iter().flatten())
                .map(len)
                .chain([len(&head[c])])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let rule = |l: &str, fill: &str, mid: &str, r: &str| -> String {
        let parts: Vec<String> = widths.iter().map(|w| fill.repeat(w + 2)).collect();
        format!("{l}{}{r}\n", parts.join(mid))
    };
    let line = |cells: &[&str]| -> String {
        let mut s = String::from("│");
        for (c, w) in widths.iter().enumerate() {
            let cell = cells.get(c).copied().unwrap_or("");
            let pad = w - cell.chars().count().min(*w);
            let (left, right) = if c == 0 {
                (pad, 0)
            } else {
                (pad / 2, pad - pad / 2)
            };
            s.push_str(&format!(
                " {}{cell}{} │",
                " ".repeat(left),
                " ".repeat(right)
            ));
        }
        s.push('\n');
        s
    };
    let mut out = rule("╒", "═", "╤", "╕");
    let head_refs: Vec<&str> = head.iter().map(String::as_str).collect();
    out.push_str(&line(&head_refs));
    out.push_str(&rule("╞", "═", "╪", "╡"));
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            out.push_str(&rule("├", "─", "┼", "┤"));
        }
        let height = row.iter().map(Vec::len).max().unwrap_or(1);
        for k in 0..height {
            let cells: Vec<&str> = row
                .iter()
                .map(|cell| cell.get(k).map_or("", String::as_str))
                .collect();
            out.push_str(&line(&cells));
        }
    }
    out.push_str(&rule("╘", "═", "╧", "╛"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_matches_tabulate_layout() {
        let head = vec!["System".to_string(), "BLEU (μ ± 95% CI)".to_string()];
        let rows = vec![
            vec![
                vec!["Baseline: A".to_string()],
                vec!["30.3298 (30.3134 ± 0.9126)".to_string()],
            ],
            vec![
                vec!["B".to_string()],
                vec![
                    "45.0805 (45.0646 ± 1.0216)".to_string(),
                    "(p = 0.0010)*".to_string(),
                ],
            ],
        ];
        let t = fancy_grid(&head, &rows);
        let lines: Vec<&str> = t.lines().collect();
        // sacreBLEU's oracle lines, with a shorter system column.
        assert_eq!(lines[1], "│      System │     BLEU (μ ± 95% CI)      │");
        assert_eq!(lines[3], "│ Baseline: A │ 30.3298 (30.3134 ± 0.9126) │");
        assert_eq!(lines[6], "│             │       (p = 0.0010)*        │");
        assert!(lines[0].starts_with("╒═") && lines[7].starts_with("╘═"));
    }

    #[test]
    fn ties_are_at_the_printed_precision() {
        assert_eq!(better(1.004, 1.001, true, 2), None);
        assert_eq!(better(1.01, 1.001, true, 2), Some(Ordering::Greater));
        assert_eq!(better(1.01, 1.001, false, 2), Some(Ordering::Less));
        assert_eq!(better(f64::NAN, 1.0, true, 2), None);
    }
}
