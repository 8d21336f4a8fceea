//! What the HTML report shows, as plain data: [`Report::build`] computes every score, count,
//! word edit and term mark the page shows from an [`Evaluation`] and the term results, and
//! [`super::render`] only writes it out. Texts are borrowed from the evaluation (a merged
//! bead's text is joined once, here). The model serialises with serde, so the same data can be
//! written as JSON.
//!
//! What is computed where: here the system table, the histogram bins, the scores by reference
//! length (the one place this report sums statistics, through [`eval::summarize`]), the worst
//! documents and segments and the terminology totals; in [`views`] the document views, with
//! TER's word edits ([`edits`]) and the term records located in the text.

mod edits;
mod views;

pub use self::edits::{Word, E_DEL, E_INS, E_SHIFT, E_SUB};
pub use self::views::{BeadKind, DocumentView, Documents, Mark, MarkedText, PairRow, SystemView};

use serde::Serialize;

use crate::eval::{self, Evaluation, Pair, SegmentEval};
use crate::terms::SystemTerms;

/// Worst segments listed in the navigation (over all systems).
const WORST_SEGMENTS: usize = 25;
/// Worst documents listed in the navigation (over all systems).
const WORST_DOCUMENTS: usize = 15;
/// Documents shown open on load when the corpus has at most this many (closed `<details>`
/// are not laid out, which keeps large reports fast to open; see [`Documents::open`]).
const OPEN_DOCUMENTS: usize = 3;
/// Bins of the segment-score histograms over [0, 100] (the last bin also holds scores above).
pub const HIST_BINS: usize = 20;
/// Upper bounds (exclusive) of the reference-length buckets in words; compare-mt's default
/// `--length_bucket` cut points 10, 20, 30, 40, 50, 60 and a last open bucket.
const LENGTH_BUCKETS: [usize; 6] = [10, 20, 30, 40, 50, 60];
/// Metrics plotted and bucketed when present (others only appear in the system table).
const PLOTTED: [&str; 6] = ["BLEU", "chrF", "chrF++", "TER", "WER", "CER"];
/// Characters of MT text shown in the worst-segment list.
const PREVIEW_CHARS: usize = 90;

/// Everything the evaluation report shows, in page order.
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    pub corpus: &'a str,
    pub documents: usize,
    pub reference_sets: usize,
    /// mtharness's version.
    pub version: &'static str,
    /// Every metric, in column order.
    pub metrics: Vec<MetricInfo<'a>>,
    /// The system table.
    pub systems: Vec<SystemRow<'a>>,
    /// Segment-score histograms, per system.
    pub histograms: Vec<SystemHistograms<'a>>,
    /// Scores by reference length, one table per plotted metric.
    pub lengths: Vec<LengthTable<'a>>,
    pub worst: Worst<'a>,
    /// Terminology totals per system, with a glossary.
    pub terms: Option<Vec<TermTotals<'a>>>,
    pub views: Documents<'a>,
}

/// A metric's column name and signature.
#[derive(Debug, Serialize)]
pub struct MetricInfo<'a> {
    pub id: &'a str,
    pub signature: String,
}

/// One row of the system table.
#[derive(Debug, Serialize)]
pub struct SystemRow<'a> {
    pub name: &'a str,
    /// System score of each metric, in [`Report::metrics`] order.
    pub scores: Vec<f64>,
    pub omissions: usize,
    pub additions: usize,
}

/// The histograms of one system.
#[derive(Debug, Serialize)]
pub struct SystemHistograms<'a> {
    pub system: &'a str,
    pub metrics: Vec<Histogram<'a>>,
}

/// Sentence scores of one system on one metric, counted in [`HIST_BINS`] bins over [0, 100].
#[derive(Debug, Serialize)]
pub struct Histogram<'a> {
    pub metric: &'a str,
    /// `bins[b]` counts scores in `[5b, 5b + 5)` (the last bin also scores of 100 and above).
    pub bins: [usize; HIST_BINS],
    /// Finite scores counted (NaN is left out).
    pub scored: usize,
}

/// One metric's scores by reference length.
#[derive(Debug, Serialize)]
pub struct LengthTable<'a> {
    pub metric: &'a str,
    pub systems: Vec<&'a str>,
    pub rows: Vec<LengthRow>,
}

/// One reference-length bucket: `words` in `min..end` (no upper bound when `end` is `None`).
#[derive(Debug, Serialize)]
pub struct LengthRow {
    pub min: usize,
    pub end: Option<usize>,
    /// One cell per system, in [`LengthTable::systems`] order.
    pub cells: Vec<BucketCell>,
}

/// Pairs of one system in one bucket and the corpus score of their summed statistics.
#[derive(Debug, Serialize)]
pub struct BucketCell {
    pub pairs: usize,
    /// `None` when the bucket is empty.
    pub score: Option<f64>,
}

/// The worst documents and segments by the primary metric.
#[derive(Debug, Serialize)]
pub struct Worst<'a> {
    pub metric: &'a str,
    pub documents: Vec<WorstDocument<'a>>,
    pub segments: Vec<WorstSegment<'a>>,
}

#[derive(Debug, Serialize)]
pub struct WorstDocument<'a> {
    pub system: usize,
    pub system_name: &'a str,
    pub doc: usize,
    pub document: &'a str,
    pub score: f64,
    pub pairs: usize,
}

#[derive(Debug, Serialize)]
pub struct WorstSegment<'a> {
    pub at: SegmentAt,
    pub system: &'a str,
    pub document: &'a str,
    pub lines: Option<(usize, usize)>,
    pub score: f64,
    /// The first [`PREVIEW_CHARS`] characters of the MT.
    pub preview: String,
    /// The MT is longer than the preview.
    pub truncated: bool,
}

/// Where a segment row is: system `system`, document `doc`, segment `segment` of the system's
/// segments (its anchor in the page).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct SegmentAt {
    pub system: usize,
    pub doc: usize,
    pub segment: usize,
}

/// Terminology totals of one system.
#[derive(Debug, Serialize)]
pub struct TermTotals<'a> {
    pub system: &'a str,
    pub expected: u64,
    pub correct: u64,
    pub forbidden: u64,
    pub misspelt: u64,
    pub missing: u64,
    pub inconsistent: u64,
    /// Proper nouns misspelt or missing.
    pub name_errors: u64,
}

impl<'a> Report<'a> {
    /// The model of the report of `ev`. `terms` are the results of
    /// `TermEvaluator::corpus(&ev.corpus, ..)` (one entry per system), when a glossary was
    /// given. Needs the texts ([`Evaluation::has_texts`]). Cost: one TER alignment per pair and
    /// system (as scoring TER), in parallel over documents, then O(bytes).
    pub fn build(ev: &'a Evaluation, terms: Option<&'a [SystemTerms]>) -> Report<'a> {
        Report {
            corpus: &ev.corpus_name,
            documents: ev.documents.len(),
            reference_sets: ev.ref_names.len(),
            version: crate::metrics::VERSION,
            metrics: (0..ev.metrics.len())
                .map(|m| MetricInfo {
                    id: &ev.metrics[m].id,
                    signature: ev.signature(m),
                })
                .collect(),
            systems: system_rows(ev),
            histograms: histograms(ev),
            lengths: length_tables(ev),
            worst: worst(ev),
            terms: terms.map(term_totals),
            views: Documents::build(ev, terms),
        }
    }
}

fn system_rows(ev: &Evaluation) -> Vec<SystemRow<'_>> {
    ev.systems
        .iter()
        .enumerate()
        .map(|(s, sys)| SystemRow {
            name: &sys.name,
            scores: (0..ev.metrics.len())
                .map(|m| ev.system_score(s, m))
                .collect(),
            omissions: sys.omissions(),
            additions: sys.additions(),
        })
        .collect()
}

/// The metric used to rank documents and segments: chrF when computed, else the first.
fn primary_metric(ev: &Evaluation) -> usize {
    ev.metrics.iter().position(|m| m.id == "chrF").unwrap_or(0)
}

fn plotted(ev: &Evaluation) -> Vec<usize> {
    (0..ev.metrics.len())
        .filter(|&m| PLOTTED.contains(&ev.metrics[m].id.as_str()))
        .collect()
}

/// Sentence score of segment `k` of system `s` on metric `m`.
fn sentence_score(ev: &Evaluation, s: usize, k: usize, m: usize) -> f64 {
    ev.metrics[m]
        .metric
        .sentence_score(ev.systems[s].segment_stats(k, m))
}

/// Sorts scores worst first for metric `m` (NaN last).
fn worse_first(ev: &Evaluation, m: usize, a: f64, b: f64) -> std::cmp::Ordering {
    let hib = ev.metrics[m].metric.higher_is_better();
    let key = |x: f64| {
        if x.is_nan() {
            f64::INFINITY
        } else if hib {
            x
        } else {
            -x
        }
    };
    key(a).total_cmp(&key(b))
}

fn histograms(ev: &Evaluation) -> Vec<SystemHistograms<'_>> {
    let plotted = plotted(ev);
    let of_system = |s: usize| SystemHistograms {
        system: &ev.systems[s].name,
        metrics: plotted.iter().map(|&m| histogram(ev, s, m)).collect(),
    };
    (0..ev.systems.len()).map(of_system).collect()
}

/// Sentence scores of system `s` on metric `m` counted in [`HIST_BINS`] bins.
fn histogram(ev: &Evaluation, s: usize, m: usize) -> Histogram<'_> {
    let mut h = Histogram {
        metric: &ev.metrics[m].id,
        bins: [0; HIST_BINS],
        scored: 0,
    };
    for k in 0..ev.systems[s].segments.len() {
        let x = sentence_score(ev, s, k, m);
        if x.is_finite() {
            let b = ((x.max(0.0) / 100.0) * HIST_BINS as f64) as usize;
            h.bins[b.min(HIST_BINS - 1)] += 1;
            h.scored += 1;
        }
    }
    h
}

/// Reference length in words of a pair (first reference).
fn ref_words(ev: &Evaluation, seg: &SegmentEval) -> usize {
    ev.corpus.documents[seg.doc].refs.first().map_or(0, |r| {
        r[seg.pair.refs.clone()]
            .iter()
            .map(|s| s.split_whitespace().count())
            .sum()
    })
}

/// Index of the bucket of a reference of `words` words.
fn length_bucket(words: usize) -> usize {
    LENGTH_BUCKETS
        .iter()
        .position(|&b| words < b)
        .unwrap_or(LENGTH_BUCKETS.len())
}

fn length_tables(ev: &Evaluation) -> Vec<LengthTable<'_>> {
    let buckets = LENGTH_BUCKETS.len() + 1;
    // Each system's segments grouped by bucket instead of by document: `summarize` then sums
    // each bucket's statistics, every metric at once, in segment order.
    let sums: Vec<eval::SystemEval> = ev
        .systems
        .iter()
        .map(|sys| {
            let by_bucket = sys
                .segments
                .iter()
                .map(|seg| SegmentEval {
                    doc: length_bucket(ref_words(ev, seg)),
                    pair: seg.pair.clone(),
                })
                .collect();
            let stats = sys.flat_segment_stats().to_vec();
            // sums: the one place this report sums statistics (per length bucket).
            eval::summarize(&sys.name, by_bucket, stats, buckets, &ev.metrics)
        })
        .collect();
    plotted(ev)
        .into_iter()
        .map(|m| LengthTable {
            metric: &ev.metrics[m].id,
            systems: ev.systems.iter().map(|s| s.name.as_str()).collect(),
            rows: (0..buckets)
                .map(|b| LengthRow {
                    min: if b == 0 { 0 } else { LENGTH_BUCKETS[b - 1] },
                    end: LENGTH_BUCKETS.get(b).copied(),
                    cells: sums
                        .iter()
                        .map(|sys| {
                            let bucket = &sys.documents[b];
                            BucketCell {
                                pairs: bucket.pairs,
                                score: (bucket.pairs > 0)
                                    .then(|| ev.metrics[m].metric.corpus_score(&bucket.stats[m])),
                            }
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

/// First and last reference line of a pair; `None` for an addition.
fn lines(ev: &Evaluation, d: usize, pair: &Pair) -> Option<(usize, usize)> {
    let lines = &ev.documents[d].lines;
    let at = |i: usize| lines.get(i).copied().unwrap_or(i + 1);
    (!pair.refs.is_empty()).then(|| (at(pair.refs.start), at(pair.refs.end - 1)))
}

fn worst(ev: &Evaluation) -> Worst<'_> {
    let m = primary_metric(ev);
    let mut docs: Vec<(usize, usize, f64)> = Vec::new();
    for (s, sys) in ev.systems.iter().enumerate() {
        for de in &sys.documents {
            if de.pairs > 0 {
                docs.push((s, de.doc, ev.metrics[m].metric.corpus_score(&de.stats[m])));
            }
        }
    }
    docs.sort_by(|a, b| worse_first(ev, m, a.2, b.2));
    let mut segs: Vec<(usize, usize, f64)> = Vec::new();
    for (s, sys) in ev.systems.iter().enumerate() {
        for k in 0..sys.segments.len() {
            segs.push((s, k, sentence_score(ev, s, k, m)));
        }
    }
    segs.sort_by(|a, b| worse_first(ev, m, a.2, b.2));
    Worst {
        metric: &ev.metrics[m].id,
        documents: docs
            .iter()
            .take(WORST_DOCUMENTS)
            .map(|&(s, d, score)| WorstDocument {
                system: s,
                system_name: &ev.systems[s].name,
                doc: d,
                document: &ev.documents[d].id,
                score,
                pairs: ev.systems[s].documents[d].pairs,
            })
            .collect(),
        segments: segs
            .iter()
            .take(WORST_SEGMENTS)
            .map(|&(s, k, score)| {
                let seg = &ev.systems[s].segments[k];
                let doc = &ev.corpus.documents[seg.doc];
                let (_, hyp) = eval::pair_texts(doc, s, &seg.pair);
                WorstSegment {
                    at: SegmentAt {
                        system: s,
                        doc: seg.doc,
                        segment: k,
                    },
                    system: &ev.systems[s].name,
                    document: &ev.documents[seg.doc].id,
                    lines: lines(ev, seg.doc, &seg.pair),
                    score,
                    preview: hyp.chars().take(PREVIEW_CHARS).collect(),
                    truncated: hyp.chars().count() > PREVIEW_CHARS,
                }
            })
            .collect(),
    }
}

fn term_totals(terms: &[SystemTerms]) -> Vec<TermTotals<'_>> {
    terms
        .iter()
        .map(|t| TermTotals {
            system: &t.system,
            expected: t.stats.expected,
            correct: t.stats.correct,
            forbidden: t.stats.forbidden,
            misspelt: t.stats.misspelt,
            missing: t.stats.missing,
            inconsistent: t.stats.inconsistent_groups,
            name_errors: t.names.misspelt + t.names.missing,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_buckets_follow_compare_mt() {
        assert_eq!(length_bucket(0), 0);
        assert_eq!(length_bucket(9), 0);
        assert_eq!(length_bucket(10), 1);
        assert_eq!(length_bucket(59), 5);
        assert_eq!(length_bucket(60), 6);
    }

    #[test]
    fn model_holds_scores_buckets_edits_and_marks() {
        use crate::eval::{evaluate, EvalOptions};
        use crate::glossary::{Entry, Glossary, TermKind};
        use crate::metrics::{build_metrics, MetricOptions};
        use crate::terms::{Pairing, TermEvaluator, TermOptions};

        // One document of two segments, with our texts.
        let mut corpus = crate::bench::synthetic_corpus(2, 1, 1);
        let texts = |v: [&str; 2]| vec![v.map(String::from).to_vec()];
        let doc = &mut corpus.documents[0];
        doc.refs = texts(["a ceasefire now", "the talks went on for a while"]);
        doc.hyps = texts(["a fire now", "the talks went on for a while"]);
        let names = ["bleu".to_string(), "chrf".to_string()];
        let metrics = build_metrics(&names, &MetricOptions::default()).unwrap();
        let ev = evaluate(&corpus, metrics, &EvalOptions::default()).unwrap();
        let mut cf = Entry::new("cf", "ceasefire", TermKind::Term);
        cf.forbidden = vec!["fire".into()];
        let glossary = Glossary::from_entries(vec![cf]).unwrap();
        let terms = TermEvaluator::new(glossary, TermOptions::default())
            .unwrap()
            .corpus(&ev.corpus, Pairing::Auto)
            .unwrap();
        let r = Report::build(&ev, Some(&terms));

        assert_eq!(r.worst.metric, "chrF");
        // Both pairs in the first bucket (< 10 words), scored from their summed statistics.
        let bleu = &r.lengths[0];
        assert_eq!(bleu.rows[0].cells[0].pairs, 2);
        assert_eq!(bleu.rows[0].cells[0].score, Some(ev.system_score(0, 0)));
        assert!(bleu.rows[1..]
            .iter()
            .all(|row| row.cells[0].score.is_none()));
        assert_eq!(r.histograms[0].metrics[0].scored, 2);
        // "fire" for "ceasefire": a substitution, marked as forbidden on the MT side.
        let view = &r.views.documents[0].systems[0];
        let row = &view.rows[0];
        assert_eq!(row.hyp.words[1].edits, E_SUB);
        assert_eq!(row.hyp.marks.len(), 1);
        assert_eq!(row.hyp.marks[0].range, 2..6);
        let records = view.records.unwrap();
        assert_eq!(records[row.hyp.marks[0].record].error.as_str(), "forbidden");
        assert_eq!(view.findings, [0]);
        let json = serde_json::to_string(&r).unwrap();
        assert!(json.contains("\"kind\":\"single\""), "{json}");
    }
}
