//! `rules test`: scores a corpus before and after the rules and gates on the change.
//!
//! Attribution: each rule's gain is measured by applying **that rule alone** to the original
//! corpus (not by ablation from the full set), re-scoring only the documents where it fires, and
//! substituting their document statistics into the system sums (exact, since statistics add).
//! Rules that interact (one rule's match hiding another's in the leftmost-longest pass) are
//! therefore credited as if alone; the before/after totals are those of the whole set.
//!
//! Segments of the two evaluations are matched by their reference range (the aligner's bead);
//! MT segments paired with no reference (additions) are summed per document into one row, so
//! deleting boilerplate that was an addition shows as that row improving. A segment or document
//! is *worse* when any metric's score is worse by more than [`WORSE_EPSILON`] (direction by
//! [`SegmentMetric::higher_is_better`](crate::SegmentMetric::higher_is_better)).
//!
//! Cost: one evaluation of the corpus before, one after, and one per rule over the documents it
//! touches; plus a paired bootstrap (1000 resamples) per system for BLEU and chrF.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{DeleteMode, Hit, RuleSet};
use crate::corpus::Corpus;
use crate::distance::{editops, EditKind};
use crate::error::{Error, Result};
use crate::eval::{
    evaluate, needs_alignment, pair_texts, AlignMode, EvalOptions, Evaluation, SystemEval,
};
use crate::metrics::{build_metrics, MetricOptions, MetricSpec};
use crate::pipeline::{accumulate, add_sums};
use crate::progress::ProgressHandle;
use crate::significance::{paired_bootstrap, PairedResult, StatsMatrix, DEFAULT_BOOTSTRAP_SAMPLES};

mod output;

pub use output::{format_test_report, read_rules_csv, write_test_csvs};

/// Score changes smaller than this are not "worse" (floating-point noise of summed statistics).
pub const WORSE_EPSILON: f64 = 1e-9;

/// Most word edits shown in one segment diff.
const MAX_DIFF_OPS: usize = 12;

/// Options of [`test_rules`].
#[derive(Debug, Clone)]
pub struct TestOptions {
    /// Metric names for [`build_metrics`].
    pub metrics: Vec<String>,
    pub metric_options: MetricOptions,
    pub eval: EvalOptions,
    pub delete_mode: DeleteMode,
    /// Gate: most documents allowed to get worse.
    pub max_worse_docs: usize,
    /// Gate: most segments allowed to get worse on any metric (ours, beside the documents'
    /// gate: a rule can damage one segment while the document improves overall).
    pub max_worse_segments: usize,
    /// Gate: least system-level gain per metric id (case-insensitive), e.g. `("BLEU", 1.0)`.
    pub min_gain: Vec<(String, f64)>,
    /// Gate: rows of a previous `rules.csv`; a rule whose gain on a metric dropped fails.
    pub baseline: Option<Vec<RuleRow>>,
    /// Paired bootstrap resamples and seed (sacreBLEU's defaults: 1000, 12345).
    pub bootstrap_samples: usize,
    pub seed: Option<u64>,
}

impl Default for TestOptions {
    fn default() -> TestOptions {
        TestOptions {
            metrics: crate::metrics::DEFAULT_METRICS.map(String::from).to_vec(),
            metric_options: MetricOptions::default(),
            eval: EvalOptions::default(),
            delete_mode: DeleteMode::Blank,
            max_worse_docs: 0,
            max_worse_segments: 0,
            min_gain: Vec::new(),
            baseline: None,
            bootstrap_samples: DEFAULT_BOOTSTRAP_SAMPLES,
            seed: Some(crate::significance::DEFAULT_SEED),
        }
    }
}

/// One rule's effect on one system (a row of `rules.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct RuleRow {
    pub rule: String,
    pub system: String,
    /// Matches in the full run.
    pub hits: usize,
    /// Segments the rule fired in, in the full run.
    pub segments_changed: usize,
    /// `(metric id, gain)`, gain positive when better (rule alone).
    pub gains: Vec<(String, f64)>,
    /// Segments worse on some metric with the rule alone.
    pub segments_worse: usize,
}

/// System-level scores before and after.
#[derive(Debug, Clone)]
pub struct SystemDelta {
    pub system: String,
    pub before: Vec<f64>,
    pub after: Vec<f64>,
    /// Paired bootstrap of after against before, for BLEU and chrF when scored.
    pub significance: Vec<(String, PairedResult)>,
}

#[derive(Debug, Clone)]
pub struct DocumentDelta {
    pub system: String,
    pub document: String,
    pub before: Vec<f64>,
    pub after: Vec<f64>,
    /// Metric ids on which the document got worse.
    pub worse: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct SegmentDelta {
    pub system: String,
    pub document: String,
    /// Reference line(s) of the pair (`12`, `12-13`), or `additions`.
    pub segment: String,
    pub before: Vec<f64>,
    pub after: Vec<f64>,
    pub worse: Vec<String>,
    /// Word diff of the MT text, for worse segments.
    pub diff: String,
    /// MT text before and after the rules, for worse segments (empty otherwise).
    pub before_text: String,
    pub after_text: String,
}

/// Everything `rules test` found.
#[derive(Debug, Clone)]
pub struct TestReport {
    pub metrics: Vec<String>,
    pub higher_is_better: Vec<bool>,
    pub systems: Vec<SystemDelta>,
    pub documents: Vec<DocumentDelta>,
    /// Every compared segment (changed or not).
    pub segments: Vec<SegmentDelta>,
    pub rules: Vec<RuleRow>,
    pub hits: Vec<Hit>,
    /// Failing inline examples.
    pub example_failures: Vec<String>,
    /// Gate failures (examples included); empty when every gate passed.
    pub failures: Vec<String>,
}

impl TestReport {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Key of a pair: document and reference range; additions `(doc, MAX, MAX)`.
type Key = (usize, usize, usize);

/// Per-segment statistics of one system keyed by bead, additions summed per document.
/// `doc_map` maps the evaluation's document index to the full corpus's.
fn keyed(sys: &SystemEval, doc_map: &dyn Fn(usize) -> usize) -> BTreeMap<Key, Vec<Vec<f64>>> {
    let mut out: BTreeMap<Key, Vec<Vec<f64>>> = BTreeMap::new();
    for (k, seg) in sys.segments.iter().enumerate() {
        let stats = sys.segment(k);
        let d = doc_map(seg.doc);
        let key = if seg.pair.refs.is_empty() {
            (d, usize::MAX, usize::MAX)
        } else {
            (d, seg.pair.refs.start, seg.pair.refs.end)
        };
        match out.get_mut(&key) {
            Some(st) => accumulate(st, stats),
            None => {
                out.insert(key, stats.to_vecs());
            }
        }
    }
    out
}

fn zeros(metrics: &[MetricSpec]) -> Vec<Vec<f64>> {
    metrics
        .iter()
        .map(|m| vec![0.0; m.metric.stat_names().len()])
        .collect()
}

/// Gain of each metric, positive when better.
fn gains(metrics: &[MetricSpec], before: &[f64], after: &[f64]) -> Vec<f64> {
    metrics
        .iter()
        .zip(before.iter().zip(after))
        .map(|(m, (b, a))| {
            if m.metric.higher_is_better() {
                a - b
            } else {
                b - a
            }
        })
        .collect()
}

fn worse_ids(metrics: &[MetricSpec], before: &[f64], after: &[f64]) -> Vec<String> {
    gains(metrics, before, after)
        .iter()
        .zip(metrics)
        .filter(|(g, _)| **g < -WORSE_EPSILON)
        .map(|(_, m)| m.id.clone())
        .collect()
}

fn sentence_scores(metrics: &[MetricSpec], stats: &[Vec<f64>]) -> Vec<f64> {
    metrics
        .iter()
        .zip(stats)
        .map(|(m, s)| m.metric.sentence_score(s))
        .collect()
}

fn corpus_scores(metrics: &[MetricSpec], stats: &[Vec<f64>]) -> Vec<f64> {
    metrics
        .iter()
        .zip(stats)
        .map(|(m, s)| m.metric.corpus_score(s))
        .collect()
}

/// A short word-level diff `a -> b`: `[-old-]{+new+}` per edit, at most [`MAX_DIFF_OPS`].
pub fn word_diff(a: &str, b: &str) -> String {
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let mut id = |w| {
        let n = ids.len() as u32;
        *ids.entry(w).or_insert(n)
    };
    let aw: Vec<&str> = a.split_whitespace().collect();
    let bw: Vec<&str> = b.split_whitespace().collect();
    let ai: Vec<u32> = aw.iter().map(|w| id(w)).collect();
    let bi: Vec<u32> = bw.iter().map(|w| id(w)).collect();
    let ops = editops(&ai, &bi);
    let mut parts: Vec<String> = ops
        .iter()
        .take(MAX_DIFF_OPS)
        .map(|op| {
            let old = aw.get(op.src_pos).copied().unwrap_or("");
            let new = bw.get(op.dest_pos).copied().unwrap_or("");
            match op.kind {
                EditKind::Replace => format!("[-{old}-]{{+{new}+}}"),
                EditKind::Insert => format!("{{+{new}+}}"),
                EditKind::Delete => format!("[-{old}-]"),
            }
        })
        .collect();
    if ops.len() > MAX_DIFF_OPS {
        parts.push(format!("... ({} more)", ops.len() - MAX_DIFF_OPS));
    }
    parts.join(" ")
}

/// Segment label: 1-based reference line(s) of a key.
fn segment_label(corpus: &Corpus, key: &Key) -> String {
    if key.1 == usize::MAX {
        return "additions".into();
    }
    let lines = &corpus.documents[key.0].lines;
    let first = lines.get(key.1).copied().unwrap_or(key.1 + 1);
    let last = lines.get(key.2.saturating_sub(1)).copied().unwrap_or(key.2);
    if key.2 <= key.1 + 1 {
        first.to_string()
    } else {
        format!("{first}-{last}")
    }
}

/// MT text of the pairs under `key` in an evaluation (joined with spaces).
fn hyp_text(ev: &Evaluation, s: usize, key: &Key, doc_map: &dyn Fn(usize) -> usize) -> String {
    let mut parts = Vec::new();
    for seg in &ev.systems[s].segments {
        let d = doc_map(seg.doc);
        let k = if seg.pair.refs.is_empty() {
            (d, usize::MAX, usize::MAX)
        } else {
            (d, seg.pair.refs.start, seg.pair.refs.end)
        };
        if k == *key {
            let (_, h) = pair_texts(&ev.corpus.documents[seg.doc], s, &seg.pair);
            parts.push(h.into_owned());
        }
    }
    parts.join(" ")
}

/// Scores `corpus` before and after `rules`, attributes the change to each rule, runs the
/// inline examples and checks the gates of `opts`. Library errors (bad input, evaluation
/// failure) are `Err`; gate failures are listed in [`TestReport::failures`].
pub fn test_rules(rules: &RuleSet, corpus: &Corpus, opts: &TestOptions) -> Result<TestReport> {
    let metrics = || build_metrics(&opts.metrics, &opts.metric_options);
    let ms = metrics()?;
    let ids: Vec<String> = ms.iter().map(|m| m.id.clone()).collect();
    for (name, _) in &opts.min_gain {
        if !ids.iter().any(|i| i.eq_ignore_ascii_case(name)) {
            return Err(Error::config(format!(
                "--min-gain {name}: not a scored metric; scored: {}",
                ids.join(", ")
            )));
        }
    }
    let (cleaned, hits) = rules.apply_corpus(corpus, opts.delete_mode)?;
    // Before and after must be paired at the same granularity: when any document on either
    // side needs sentence alignment (a rule that deletes lines changes segment counts), every
    // evaluation of this test aligns every document.
    let mut eval_opts = opts.eval.clone();
    if eval_opts.align == AlignMode::Auto {
        let mut any = false;
        for d in corpus.documents.iter().chain(&cleaned.documents) {
            any |= needs_alignment(d, AlignMode::Auto)?;
        }
        if any {
            eval_opts.align = AlignMode::Always;
        }
    }
    let opts = &TestOptions {
        eval: eval_opts,
        ..opts.clone()
    };
    let before = evaluate(corpus, metrics()?, &opts.eval)?;
    let after = evaluate(&cleaned, metrics()?, &opts.eval)?;
    let ident = |d: usize| d;

    let mut report = TestReport {
        metrics: ids.clone(),
        higher_is_better: ms.iter().map(|m| m.metric.higher_is_better()).collect(),
        systems: Vec::new(),
        documents: Vec::new(),
        segments: Vec::new(),
        rules: Vec::new(),
        hits,
        example_failures: rules.check_examples()?,
        failures: Vec::new(),
    };

    for (s, name) in corpus.system_names.iter().enumerate() {
        let (b, a) = (&before.systems[s], &after.systems[s]);
        // Segments.
        let kb = keyed(b, &ident);
        let ka = keyed(a, &ident);
        let keys: BTreeSet<Key> = kb.keys().chain(ka.keys()).copied().collect();
        let zero = zeros(&ms);
        let mut rows_b: Vec<Vec<Vec<f64>>> = Vec::with_capacity(keys.len());
        let mut rows_a: Vec<Vec<Vec<f64>>> = Vec::with_capacity(keys.len());
        for key in &keys {
            let sb = kb.get(key).unwrap_or(&zero);
            let sa = ka.get(key).unwrap_or(&zero);
            let (scb, sca) = (sentence_scores(&ms, sb), sentence_scores(&ms, sa));
            let worse = worse_ids(&ms, &scb, &sca);
            let (diff, before_text, after_text) = if worse.is_empty() {
                (String::new(), String::new(), String::new())
            } else {
                let (tb, ta) = (
                    hyp_text(&before, s, key, &ident),
                    hyp_text(&after, s, key, &ident),
                );
                (word_diff(&tb, &ta), tb, ta)
            };
            report.segments.push(SegmentDelta {
                system: name.clone(),
                document: corpus.documents[key.0].id.clone(),
                segment: segment_label(corpus, key),
                before: scb,
                after: sca,
                worse,
                diff,
                before_text,
                after_text,
            });
            rows_b.push(sb.clone());
            rows_a.push(sa.clone());
        }
        // Documents.
        for (db, da) in b.documents.iter().zip(&a.documents) {
            let (sb, sa) = (corpus_scores(&ms, &db.stats), corpus_scores(&ms, &da.stats));
            report.documents.push(DocumentDelta {
                system: name.clone(),
                document: corpus.documents[db.doc].id.clone(),
                worse: worse_ids(&ms, &sb, &sa),
                before: sb,
                after: sa,
            });
        }
        // System and significance.
        let mut significance = Vec::new();
        for (m, spec) in ms.iter().enumerate() {
            if spec.id != "BLEU" && spec.id != "chrF" {
                continue;
            }
            let w = spec.metric.stat_names().len();
            let mb = StatsMatrix::from_rows(w, &rows_b.iter().map(|r| &r[m]).collect::<Vec<_>>())?;
            let ma = StatsMatrix::from_rows(w, &rows_a.iter().map(|r| &r[m]).collect::<Vec<_>>())?;
            if mb.is_empty() {
                continue;
            }
            let r = paired_bootstrap(
                spec.metric.as_ref(),
                &mb,
                &ma,
                opts.bootstrap_samples,
                opts.seed,
            )?;
            significance.push((spec.id.clone(), r));
        }
        report.systems.push(SystemDelta {
            system: name.clone(),
            before: corpus_scores(&ms, &b.stats),
            after: corpus_scores(&ms, &a.stats),
            significance,
        });
    }

    // Per-rule attribution: each rule alone, re-scoring only the documents it touches. One
    // progress stage over the rules; the small per-rule evaluations report nothing.
    let progress = opts.eval.progress.clone();
    let quiet_eval = EvalOptions {
        progress: ProgressHandle::none(),
        ..opts.eval.clone()
    };
    progress.start("rules", rules.rules.len() as u64);
    for (r, rule) in rules.rules.iter().enumerate() {
        progress.inc(1);
        let alone = rules.subset(&[r])?;
        let (applied, alone_hits) = alone.apply_corpus(corpus, opts.delete_mode)?;
        let touched: BTreeSet<&str> = alone_hits.iter().map(|h| h.document.as_str()).collect();
        let doc_idx: Vec<usize> = (0..corpus.documents.len())
            .filter(|&d| touched.contains(corpus.documents[d].id.as_str()))
            .collect();
        let sub = Corpus {
            documents: doc_idx
                .iter()
                .map(|&d| applied.documents[d].clone())
                .collect(),
            ..applied.clone()
        };
        let sub_ev = if doc_idx.is_empty() {
            None
        } else {
            Some(evaluate(&sub, metrics()?, &quiet_eval)?)
        };
        let map = |d: usize| doc_idx.get(d).copied().unwrap_or(d);
        for (s, name) in corpus.system_names.iter().enumerate() {
            let full: Vec<&Hit> = report
                .hits
                .iter()
                .filter(|h| h.rule == rule.id && h.system == *name)
                .collect();
            let mut stats = before.systems[s].stats.clone();
            let mut segments_worse = 0;
            if let Some(ev) = &sub_ev {
                for &d in &doc_idx {
                    for (m, st) in before.systems[s].documents[d].stats.iter().enumerate() {
                        for (x, y) in stats[m].iter_mut().zip(st) {
                            *x -= *y;
                        }
                    }
                }
                for de in &ev.systems[s].documents {
                    add_sums(&mut stats, &de.stats);
                }
                let kb = keyed(&before.systems[s], &ident);
                let ka = keyed(&ev.systems[s], &map);
                let zero = zeros(&ms);
                let keys: BTreeSet<Key> = kb
                    .keys()
                    .filter(|k| doc_idx.contains(&k.0))
                    .chain(ka.keys())
                    .copied()
                    .collect();
                segments_worse = keys
                    .iter()
                    .filter(|k| {
                        let sb = sentence_scores(&ms, kb.get(k).unwrap_or(&zero));
                        let sa = sentence_scores(&ms, ka.get(k).unwrap_or(&zero));
                        !worse_ids(&ms, &sb, &sa).is_empty()
                    })
                    .count();
            }
            let g = gains(
                &ms,
                &corpus_scores(&ms, &before.systems[s].stats),
                &corpus_scores(&ms, &stats),
            );
            report.rules.push(RuleRow {
                rule: rule.id.clone(),
                system: name.clone(),
                hits: full.iter().map(|h| h.count).sum(),
                segments_changed: full.len(),
                gains: ids.iter().cloned().zip(g).collect(),
                segments_worse,
            });
        }
    }
    progress.finish();

    // Gates.
    report
        .failures
        .extend(report.example_failures.iter().cloned());
    let worse_docs: Vec<&DocumentDelta> = report
        .documents
        .iter()
        .filter(|d| !d.worse.is_empty())
        .collect();
    if worse_docs.len() > opts.max_worse_docs {
        for d in &worse_docs {
            let rules_here: BTreeSet<&str> = report
                .hits
                .iter()
                .filter(|h| h.system == d.system && h.document == d.document)
                .map(|h| h.rule.as_str())
                .collect();
            report.failures.push(format!(
                "system {}, document {}: worse on {} (rules fired: {})",
                d.system,
                d.document,
                d.worse.join(", "),
                rules_here.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
        report.failures.push(format!(
            "{} document(s) got worse; at most {} allowed (--max-worse-docs)",
            worse_docs.len(),
            opts.max_worse_docs
        ));
    }
    let worse_segs: Vec<&SegmentDelta> = report
        .segments
        .iter()
        .filter(|s| !s.worse.is_empty())
        .collect();
    if worse_segs.len() > opts.max_worse_segments {
        for seg in &worse_segs {
            // Name the rules that fired in the worse segment.
            let fired: BTreeSet<&str> = report
                .hits
                .iter()
                .filter(|h| {
                    h.system == seg.system
                        && h.document == seg.document
                        && seg.segment == h.segment.to_string()
                })
                .map(|h| h.rule.as_str())
                .collect();
            report.failures.push(format!(
                "system {}, document {}, segment {}: worse on {} (rules: {}): {}",
                seg.system,
                seg.document,
                seg.segment,
                seg.worse.join(", "),
                fired.into_iter().collect::<Vec<_>>().join(", "),
                seg.diff
            ));
        }
        report.failures.push(format!(
            "{} segment(s) got worse; at most {} allowed (--max-worse-segments)",
            worse_segs.len(),
            opts.max_worse_segments
        ));
    }
    for (name, min) in &opts.min_gain {
        let Some(m) = ids.iter().position(|i| i.eq_ignore_ascii_case(name)) else {
            continue;
        };
        for sys in &report.systems {
            let g = gains(&ms, &sys.before, &sys.after)[m];
            if g < *min {
                report.failures.push(format!(
                    "system {}: {} gain {g:.4} is below --min-gain {min}",
                    sys.system, ids[m]
                ));
            }
        }
    }
    if let Some(base) = &opts.baseline {
        for old in base {
            let Some(new) = report
                .rules
                .iter()
                .find(|r| r.rule == old.rule && r.system == old.system)
            else {
                continue;
            };
            for (metric, og) in &old.gains {
                let Some((_, ng)) = new.gains.iter().find(|(m, _)| m == metric) else {
                    continue;
                };
                if *ng < og - BASELINE_TOLERANCE {
                    report.failures.push(format!(
                        "rule {:?} (system {}): {metric} gain dropped from {og:.4} to {ng:.4} \
                         (--baseline)",
                        old.rule, old.system
                    ));
                }
            }
        }
    }
    Ok(report)
}

/// Gains in `rules.csv` are written with 4 decimals: a drop must exceed their rounding.
const BASELINE_TOLERANCE: f64 = 1e-4;
