//! The evaluation pipeline: normalise -> pair segments (line-aligned, or aligned) -> per-segment
//! sufficient statistics for every metric -> document and system sums.
//!
//! Statistics are computed once per segment pair and only summed afterwards, so document and
//! system scores are exact functions of the segment rows (and of shard sums). Work is spread over
//! segments with rayon; each segment's statistics are written into its own row of one flat
//! buffer per system ([`SystemEval::segment`], rows in input order, no allocation per segment
//! for metrics that override [`crate::metrics::SegmentMetric::write_segment_stats`]), so the output
//! does not depend on the number of threads.
//!
//! # Example
//!
//! ```
//! use mtharness::eval::{evaluate, EvalOptions};
//! use mtharness::metrics::{build_metrics, MetricOptions};
//! use mtharness::{Corpus, Document};
//!
//! // One document whose MT merged the reference's two sentences: the segment counts differ, so
//! // the document is aligned (a 2-1 bead) before it is scored.
//! let corpus = Corpus {
//!     name: "demo".into(),
//!     ref_names: vec!["A".into()],
//!     system_names: vec!["mt".into()],
//!     documents: vec![Document {
//!         id: "doc1".into(),
//!         source: None,
//!         refs: vec![vec!["The talks began on Monday.".into(), "They ended at noon.".into()]],
//!         hyps: vec![vec!["The talks began on Monday and ended at noon.".into()]],
//!         lines: vec![1, 2],
//!     }],
//! };
//! let metrics = build_metrics(&["bleu".into(), "chrf".into()], &MetricOptions::default())?;
//! let ev = evaluate(&corpus, metrics, &EvalOptions::default())?;
//! let system = &ev.systems[0];
//! assert_eq!(system.segments.len(), 1);
//! assert_eq!(system.segments[0].pair.bead(), "2-1");
//! assert!(ev.system_score(0, 1) > 50.0); // chrF of the system
//! # Ok::<(), mtharness::Error>(())
//! ```

use std::borrow::Cow;
use std::ops::Range;

use rayon::prelude::*;

use crate::align::Aligner;
use crate::corpus::{Corpus, Document};
use crate::error::{Error, Result};
use crate::metrics::MetricSpec;
use crate::pipeline::{accumulate, score_rows, zero_sums};
use crate::progress::ProgressHandle;
use crate::text::normalize::Normalizer;
use crate::text::split::Splitter;

/// How MT segments are paired with reference segments.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AlignMode {
    /// Pair by position when a document's segment counts agree, align otherwise.
    #[default]
    Auto,
    /// Always align sentence by sentence.
    Always,
    /// Never align: differing segment counts are an error.
    Never,
}

/// Options of one evaluation run.
#[derive(Debug, Clone)]
pub struct EvalOptions {
    pub normalizer: Normalizer,
    pub align: AlignMode,
    /// Splits the segments of documents that are aligned into sentences.
    pub splitter: Splitter,
    pub aligner: Aligner,
    /// In documents that are aligned, a system whose MT is one unsegmented stream (and whose
    /// reference has several segments) is cut into the reference's sentences with
    /// [`crate::align::resegment`] instead of being split and aligned.
    pub resegment: bool,
    /// Progress callback (stages `aligning` and `scoring <system>`); reports nothing by
    /// default and never changes results.
    pub progress: ProgressHandle,
}

impl Default for EvalOptions {
    fn default() -> EvalOptions {
        EvalOptions {
            normalizer: Normalizer::default(),
            align: AlignMode::default(),
            splitter: Splitter::new("en"),
            aligner: Aligner::default(),
            resegment: false,
            progress: ProgressHandle::default(),
        }
    }
}

/// One scored unit: reference segments `refs` paired with MT segments `hyps` of one document
/// (1-1 for line-aligned input; any bead from the aligner; an empty side for omissions and
/// additions).
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub refs: Range<usize>,
    pub hyps: Range<usize>,
    /// Aligner similarity of the bead, when aligned.
    pub similarity: Option<f64>,
}

impl Pair {
    /// Bead type as `refs-hyps` counts, e.g. `1-1`, `1-2`, `1-0` (omission), `0-1` (addition).
    pub fn bead(&self) -> String {
        format!("{}-{}", self.refs.len(), self.hyps.len())
    }

    pub fn is_omission(&self) -> bool {
        self.hyps.is_empty() && !self.refs.is_empty()
    }

    pub fn is_addition(&self) -> bool {
        self.refs.is_empty() && !self.hyps.is_empty()
    }
}

/// One scored pair of a system. Its statistics live in the system's flat buffer:
/// [`SystemEval::segment_stats`] (segment `i` is `SystemEval::segments[i]`).
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentEval {
    /// Index of the document in [`Evaluation::documents`].
    pub doc: usize,
    pub pair: Pair,
}

/// Where each metric's statistics sit in a segment's row of statistics: metric `m` at
/// `range(m)`, rows `width()` long (the metrics' statistics in metric order, back to back).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatsLayout {
    /// `offsets[m]..offsets[m + 1]` is metric `m`; one more entry than metrics (starts at 0).
    offsets: Vec<usize>,
}

impl StatsLayout {
    /// The layout of `metrics` (one `stat_names` call per metric).
    pub fn new(metrics: &[MetricSpec]) -> StatsLayout {
        StatsLayout::from_widths(metrics.iter().map(|m| m.metric.stat_names().len()))
    }

    /// The layout of metrics with `widths[m]` statistics each.
    pub fn from_widths(widths: impl IntoIterator<Item = usize>) -> StatsLayout {
        let mut offsets = vec![0];
        let mut end = 0;
        for w in widths {
            end += w;
            offsets.push(end);
        }
        StatsLayout { offsets }
    }

    /// Statistics per segment, all metrics together.
    pub fn width(&self) -> usize {
        self.offsets.last().copied().unwrap_or(0)
    }

    /// Number of metrics.
    pub fn metrics(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Positions of metric `m`'s statistics in a row (empty when `m` is out of range).
    pub fn range(&self, m: usize) -> Range<usize> {
        match (self.offsets.get(m), self.offsets.get(m + 1)) {
            (Some(&a), Some(&b)) => a..b,
            _ => 0..0,
        }
    }

    /// A segment's `row` of statistics seen per metric.
    pub fn view<'a>(&'a self, row: &'a [f64]) -> SegmentStats<'a> {
        SegmentStats { row, layout: self }
    }

    /// Row `i` of `flat` (rows of [`StatsLayout::width`] back to back) seen per metric; empty
    /// when `flat` has no such row. O(1).
    pub fn row<'a>(&'a self, flat: &'a [f64], i: usize) -> SegmentStats<'a> {
        let w = self.width();
        let row = i
            .checked_mul(w)
            .and_then(|a| flat.get(a..a.checked_add(w)?))
            .unwrap_or(&[]);
        self.view(row)
    }
}

/// The statistics of one segment for every metric, borrowed from a flat row:
/// `stats[m]` (or [`SegmentStats::metric`]) is metric `m`'s.
#[derive(Debug, Clone, Copy)]
pub struct SegmentStats<'a> {
    row: &'a [f64],
    layout: &'a StatsLayout,
}

impl<'a> SegmentStats<'a> {
    /// Metric `m`'s statistics (empty when `m` is out of range).
    pub fn metric(&self, m: usize) -> &'a [f64] {
        self.row.get(self.layout.range(m)).unwrap_or(&[])
    }

    /// All metrics' statistics, back to back.
    pub fn row(&self) -> &'a [f64] {
        self.row
    }

    /// Number of metrics.
    pub fn len(&self) -> usize {
        self.layout.metrics()
    }

    /// True without metrics.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Each metric's statistics, in metric order.
    pub fn iter(&self) -> impl Iterator<Item = &'a [f64]> + 'a {
        let (row, layout) = (self.row, self.layout);
        (0..layout.metrics()).map(move |m| row.get(layout.range(m)).unwrap_or(&[]))
    }

    /// Copies into one vector per metric (the shape of [`SystemEval::stats`]).
    pub fn to_vecs(&self) -> Vec<Vec<f64>> {
        self.iter().map(<[f64]>::to_vec).collect()
    }
}

impl std::ops::Index<usize> for SegmentStats<'_> {
    type Output = [f64];

    /// Metric `m`'s statistics (empty when `m` is out of range).
    fn index(&self, m: usize) -> &[f64] {
        self.metric(m)
    }
}

/// Summed statistics of one document for one system.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentEval {
    pub doc: usize,
    pub pairs: usize,
    /// Reference segments left without MT (pairs k-0).
    pub omissions: usize,
    /// MT segments left without reference (pairs 0-k).
    pub additions: usize,
    pub stats: Vec<Vec<f64>>,
}

/// Everything computed for one system. Built by [`summarize`].
#[derive(Debug, Clone, PartialEq)]
pub struct SystemEval {
    pub name: String,
    pub segments: Vec<SegmentEval>,
    /// Statistics of every segment, row-major: segment `i`'s row is
    /// `seg_stats[i * width..(i + 1) * width]` with the width and metric offsets of `layout`.
    seg_stats: Vec<f64>,
    layout: StatsLayout,
    pub documents: Vec<DocumentEval>,
    /// System sums, `stats[m]` for metric `m`.
    pub stats: Vec<Vec<f64>>,
}

impl SystemEval {
    /// Metric `m`'s statistics of segment `i` (empty when either is out of range). O(1).
    pub fn segment_stats(&self, i: usize, m: usize) -> &[f64] {
        self.segment(i).metric(m)
    }

    /// Every metric's statistics of segment `i` (empty when `i` is out of range). O(1).
    pub fn segment(&self, i: usize) -> SegmentStats<'_> {
        self.layout.row(&self.seg_stats, i)
    }

    /// Where each metric sits in a segment's row.
    pub fn layout(&self) -> &StatsLayout {
        &self.layout
    }

    /// The statistics of all segments, row-major (see [`SystemEval::layout`]).
    pub fn flat_segment_stats(&self) -> &[f64] {
        &self.seg_stats
    }

    pub fn omissions(&self) -> usize {
        self.documents.iter().map(|d| d.omissions).sum()
    }

    pub fn additions(&self) -> usize {
        self.documents.iter().map(|d| d.additions).sum()
    }
}

/// Document facts reports need (the texts stay in the normalised corpus).
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentInfo {
    pub id: String,
    /// 1-based line (or segment id) of each reference segment.
    pub lines: Vec<usize>,
    /// Whether the document was split into sentences and aligned (or resegmented).
    pub aligned: bool,
}

/// The result of [`evaluate`].
pub struct Evaluation {
    pub corpus_name: String,
    pub ref_names: Vec<String>,
    pub metrics: Vec<MetricSpec>,
    pub normalizer: Normalizer,
    pub documents: Vec<DocumentInfo>,
    pub systems: Vec<SystemEval>,
    /// The corpus after normalisation: the texts the metrics saw.
    pub corpus: Corpus,
}

impl Evaluation {
    /// Signature of metric `m`, with our normalisation appended as `textnorm:` when any step is
    /// on (`norm:` is taken: sacreBLEU's TER uses it for tercom normalisation).
    pub fn signature(&self, m: usize) -> String {
        let mut s = self.metrics[m].metric.signature(self.ref_names.len());
        if !self.normalizer.is_identity() {
            s.push_str("|textnorm:");
            s.push_str(&self.normalizer.signature());
        }
        s
    }

    /// True when `corpus` holds the texts of the documents (an evaluation merged from shard
    /// statistics has the statistics and pairs, but no texts).
    pub fn has_texts(&self) -> bool {
        self.corpus.documents.len() == self.documents.len()
    }

    /// System-level score of system `s` on metric `m`.
    pub fn system_score(&self, s: usize, m: usize) -> f64 {
        self.metrics[m]
            .metric
            .corpus_score(&self.systems[s].stats[m])
    }
}

/// The reference texts and hypothesis text of a pair: segments joined with one space. A pair of
/// single segments (the usual 1-1 case) borrows the corpus text; only merged beads allocate.
pub fn pair_texts<'a>(
    doc: &'a Document,
    system: usize,
    pair: &Pair,
) -> (Vec<Cow<'a, str>>, Cow<'a, str>) {
    let refs = doc
        .refs
        .iter()
        .map(|r| join(&r[pair.refs.clone()]))
        .collect();
    (refs, join(&doc.hyps[system][pair.hyps.clone()]))
}

fn join(segs: &[String]) -> Cow<'_, str> {
    match segs {
        [] => Cow::Borrowed(""),
        [one] => Cow::Borrowed(one.as_str()),
        many => Cow::Owned(many.join(" ")),
    }
}

/// Normalises every segment of a corpus (sources, references, hypotheses). Takes the corpus
/// by reference or by value (`&corpus` or `corpus`): by value and with the identity
/// normaliser (the default) it is returned as it is, without copying a segment.
pub fn normalize_corpus<'a>(corpus: impl Into<Cow<'a, Corpus>>, n: &Normalizer) -> Corpus {
    let corpus = corpus.into();
    if n.is_identity() {
        return corpus.into_owned();
    }
    normalize_documents(&corpus, n)
}

fn normalize_documents(corpus: &Corpus, n: &Normalizer) -> Corpus {
    let norm = |v: &Vec<String>| -> Vec<String> {
        v.iter().map(|s| n.normalize(s).into_owned()).collect()
    };
    let documents = corpus
        .documents
        .par_iter()
        .map(|d| Document {
            id: d.id.clone(),
            source: d.source.as_ref().map(norm),
            refs: d.refs.iter().map(norm).collect(),
            hyps: d.hyps.iter().map(norm).collect(),
            lines: d.lines.clone(),
        })
        .collect();
    Corpus {
        documents,
        ..corpus.clone()
    }
}

/// True when document `doc` must be aligned: some system's segment count differs from the
/// references' (or alignment is forced). With [`AlignMode::Never`] a difference is an error.
pub fn needs_alignment(doc: &Document, mode: AlignMode) -> Result<bool> {
    let n_ref = doc.num_segments();
    if let Some((r, refs)) = doc.refs.iter().enumerate().find(|(_, r)| r.len() != n_ref) {
        return Err(Error::mismatch(format!(
            "document {}: reference set {} has {} segments, reference set 1 has {n_ref}",
            doc.id,
            r + 1,
            refs.len()
        )));
    }
    let differing = doc.hyps.iter().position(|h| h.len() != n_ref);
    match (mode, differing) {
        (AlignMode::Always, _) => Ok(true),
        (AlignMode::Auto, d) => Ok(d.is_some()),
        (AlignMode::Never, None) => Ok(false),
        (AlignMode::Never, Some(s)) => Err(Error::mismatch(format!(
            "document {}: system {} has {} segments and the reference {n_ref}; \
             align them (drop --no-align) or fix the input",
            doc.id,
            s + 1,
            doc.hyps[s].len()
        ))),
    }
}

/// Splits every side of a document into sentences (the segments of documents that are aligned).
/// `lines` maps each reference sentence to the line of the segment it came from. Several
/// reference sets must split into the same number of sentences (they are aligned as one).
pub fn split_document(doc: &Document, splitter: &Splitter) -> Result<Document> {
    let split = |segs: &[String]| -> (Vec<String>, Vec<usize>) {
        let mut out = Vec::new();
        let mut from = Vec::new();
        for (i, seg) in segs.iter().enumerate() {
            for sent in splitter.split(seg) {
                out.push(sent.to_string());
                from.push(i);
            }
        }
        (out, from)
    };
    let mut refs = Vec::with_capacity(doc.refs.len());
    let mut lines = Vec::new();
    for (r, set) in doc.refs.iter().enumerate() {
        let (sents, from) = split(set);
        if r == 0 {
            lines = from
                .iter()
                .map(|&i| doc.lines.get(i).copied().unwrap_or(i + 1))
                .collect();
        } else if sents.len() != refs.first().map_or(0, Vec::len) {
            return Err(Error::mismatch(format!(
                "document {}: to align, every reference set must split into the same number of \
                 sentences; set 1 has {}, set {} has {}",
                doc.id,
                lines.len(),
                r + 1,
                sents.len()
            )));
        }
        refs.push(sents);
    }
    Ok(Document {
        id: doc.id.clone(),
        source: None,
        refs,
        hyps: doc.hyps.iter().map(|h| split(h).0).collect(),
        lines,
    })
}

/// Pairs of one document for one system: by position, or from the sentence aligner.
pub fn pairs_for(doc: &Document, system: usize, aligned: bool, aligner: &Aligner) -> Vec<Pair> {
    if !aligned {
        return (0..doc.num_segments())
            .map(|i| Pair {
                refs: i..i + 1,
                hyps: i..i + 1,
                similarity: None,
            })
            .collect();
    }
    let refs: Vec<&str> = doc.refs[0].iter().map(String::as_str).collect();
    let hyps: Vec<&str> = doc.hyps[system].iter().map(String::as_str).collect();
    aligner
        .align(&refs, &hyps)
        .into_iter()
        .map(|b| Pair {
            refs: b.refs,
            hyps: b.hyps,
            similarity: Some(b.similarity),
        })
        .collect()
}

/// A corpus ready for scoring: normalised, the documents that need it split into sentences
/// and aligned, and the pairs of every document for every system.
#[derive(Debug, Clone)]
pub struct CorpusAlignment {
    /// The corpus after normalisation and splitting: the texts the pairs index.
    pub corpus: Corpus,
    /// Per document: split and aligned (or resegmented), or paired by position.
    pub aligned: Vec<bool>,
    /// Per document and system: the MT stream was cut with [`crate::align::resegment`].
    pub resegmented: Vec<Vec<bool>>,
    /// `pairs[system][document]`: the scored units, in document order.
    pub pairs: Vec<Vec<Vec<Pair>>>,
}

/// Normalises a corpus, decides per document whether to align ([`needs_alignment`]), splits
/// those documents into sentences ([`split_document`]), resegments one-stream MT when asked,
/// and pairs every document for every system ([`pairs_for`]). Used by [`evaluate`] and by
/// `mtharness align`. Documents are processed in parallel; the result does not depend on the
/// number of threads. Takes the corpus by reference or by value, as [`normalize_corpus`].
pub fn align_corpus<'a>(
    corpus: impl Into<Cow<'a, Corpus>>,
    opts: &EvalOptions,
) -> Result<CorpusAlignment> {
    let mut normalized = normalize_corpus(corpus, &opts.normalizer);
    let aligned: Vec<bool> = normalized
        .documents
        .iter()
        .map(|d| needs_alignment(d, opts.align))
        .collect::<Result<_>>()?;
    let prepared: Vec<(Document, Vec<bool>)> = normalized
        .documents
        .into_par_iter()
        .zip(aligned.par_iter())
        .map(|(d, &a)| {
            let streams: Vec<bool> = d
                .hyps
                .iter()
                .map(|h| a && opts.resegment && h.len() == 1 && d.num_segments() > 1)
                .collect();
            if !a {
                return Ok((d, streams));
            }
            let mut split = split_document(&d, &opts.splitter)?;
            for (s, &stream) in streams.iter().enumerate() {
                if stream {
                    let refs: Vec<&str> = split.refs[0].iter().map(String::as_str).collect();
                    split.hyps[s] = crate::align::resegment(&refs, &d.hyps[s][0]);
                }
            }
            Ok((split, streams))
        })
        .collect::<Result<_>>()?;
    let (documents, resegmented): (Vec<Document>, Vec<Vec<bool>>) = prepared.into_iter().unzip();
    normalized.documents = documents;
    let n_docs = normalized.documents.len();
    opts.progress
        .start("aligning", (n_docs * normalized.system_names.len()) as u64);
    let pairs = (0..normalized.system_names.len())
        .map(|s| {
            normalized
                .documents
                .par_iter()
                .enumerate()
                .map_init(
                    || opts.progress.counter(),
                    |count, (d, doc)| {
                        let align = aligned[d] && !resegmented[d][s];
                        let p = pairs_for(doc, s, align, &opts.aligner);
                        count.tick();
                        p
                    },
                )
                .collect()
        })
        .collect();
    opts.progress.finish();
    Ok(CorpusAlignment {
        corpus: normalized,
        aligned,
        resegmented,
        pairs,
    })
}

/// Runs the whole pipeline over a corpus. The evaluation keeps its own (normalised) copy of
/// the corpus. Takes the corpus by reference (`&corpus`: copied) or by value (`corpus`: with
/// the default identity normaliser no segment is copied, so a loaded corpus is scored in
/// place and held once in memory).
pub fn evaluate<'a>(
    corpus: impl Into<Cow<'a, Corpus>>,
    metrics: Vec<MetricSpec>,
    opts: &EvalOptions,
) -> Result<Evaluation> {
    let corpus = corpus.into();
    check_sides(&corpus)?;
    let names = (corpus.name.clone(), corpus.ref_names.clone());
    let alignment = align_corpus(corpus, opts)?;
    evaluate_aligned(names, alignment, metrics, opts)
}

fn check_sides(corpus: &Corpus) -> Result<()> {
    if corpus.ref_names.is_empty() {
        return Err(Error::config("no reference given"));
    }
    if corpus.system_names.is_empty() {
        return Err(Error::config("no system (hypothesis) given"));
    }
    Ok(())
}

/// Scores an aligned corpus; `names` are the corpus name and the reference set names.
fn evaluate_aligned(
    (corpus_name, ref_names): (String, Vec<String>),
    alignment: CorpusAlignment,
    metrics: Vec<MetricSpec>,
    opts: &EvalOptions,
) -> Result<Evaluation> {
    let CorpusAlignment {
        corpus: normalized,
        aligned,
        pairs,
        ..
    } = alignment;
    let systems = normalized
        .system_names
        .iter()
        .zip(pairs)
        .enumerate()
        .map(|(s, (name, pairs))| {
            evaluate_system(&normalized, s, name, &metrics, pairs, &opts.progress)
        })
        .collect();
    Ok(Evaluation {
        corpus_name,
        ref_names,
        metrics,
        normalizer: opts.normalizer.clone(),
        documents: normalized
            .documents
            .iter()
            .zip(&aligned)
            .map(|(d, &aligned)| DocumentInfo {
                id: d.id.clone(),
                lines: d.lines.clone(),
                aligned,
            })
            .collect(),
        systems,
        corpus: normalized,
    })
}

fn evaluate_system(
    corpus: &Corpus,
    s: usize,
    name: &str,
    metrics: &[MetricSpec],
    pairs: Vec<Vec<Pair>>,
    progress: &ProgressHandle,
) -> SystemEval {
    let segments: Vec<SegmentEval> = pairs
        .into_iter()
        .enumerate()
        .flat_map(|(doc, ps)| ps.into_iter().map(move |pair| SegmentEval { doc, pair }))
        .collect();
    progress.start(&format!("scoring {name}"), segments.len() as u64);
    let layout = StatsLayout::new(metrics);
    let flat = score_rows(
        metrics,
        &layout,
        segments.len(),
        progress,
        |i, buf, score| {
            let pair = &segments[i].pair;
            let doc = &corpus.documents[segments[i].doc];
            match (pair.refs.len(), single_segment(&doc.hyps[s], &pair.hyps)) {
                // 1-1 pairs (the usual case) borrow the corpus text through the job's buffer:
                // nothing is allocated (metrics that override `write_segment_stats` write straight
                // into the row).
                (1, Some(hyp)) => {
                    buf.clear();
                    buf.extend(
                        doc.refs
                            .iter()
                            .map(|r| r.get(pair.refs.start).map_or("", String::as_str)),
                    );
                    score(hyp, buf);
                }
                _ => {
                    let (refs, hyp) = pair_texts(doc, s, pair);
                    let refs: Vec<&str> = refs.iter().map(|r| r.as_ref()).collect();
                    score(&hyp, &refs);
                }
            }
        },
    );
    progress.finish();
    summarize(name, segments, flat, corpus.documents.len(), metrics)
}

/// The one segment `segs[range]` holds, if it holds exactly one.
fn single_segment<'a>(segs: &'a [String], range: &std::ops::Range<usize>) -> Option<&'a str> {
    match segs.get(range.clone()) {
        Some([one]) => Some(one.as_str()),
        _ => None,
    }
}

/// Sums segment statistics into document and system statistics, in segment order (documents
/// `0..n_docs`, each listed even without pairs). The one place sums are formed, so that a
/// merge of shards ([`crate::shard`]) adds in the same order as a single run and gets the same
/// bits. `seg_stats` holds the segments' statistics row-major in the layout of `metrics`
/// ([`StatsLayout::new`]); a buffer of another length is padded with zeros or cut to
/// `segments.len()` rows. O(segments * statistics).
pub fn summarize(
    name: &str,
    segments: Vec<SegmentEval>,
    mut seg_stats: Vec<f64>,
    n_docs: usize,
    metrics: &[MetricSpec],
) -> SystemEval {
    let layout = StatsLayout::new(metrics);
    seg_stats.resize(segments.len() * layout.width(), 0.0);
    let zero = || zero_sums(metrics);
    let mut documents: Vec<DocumentEval> = (0..n_docs)
        .map(|doc| DocumentEval {
            doc,
            pairs: 0,
            omissions: 0,
            additions: 0,
            stats: zero(),
        })
        .collect();
    let mut total = zero();
    for (i, seg) in segments.iter().enumerate() {
        let de = &mut documents[seg.doc];
        de.pairs += 1;
        de.omissions += usize::from(seg.pair.is_omission()) * seg.pair.refs.len();
        de.additions += usize::from(seg.pair.is_addition()) * seg.pair.hyps.len();
        let row = layout.row(&seg_stats, i);
        accumulate(&mut de.stats, row);
        accumulate(&mut total, row);
    }
    SystemEval {
        name: name.to_string(),
        segments,
        seg_stats,
        layout,
        documents,
        stats: total,
    }
}
