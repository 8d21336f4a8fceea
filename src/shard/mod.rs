//! Sharded scoring: `mtharness score --shard I/N --stats FILE` scores one part of a corpus and
//! stores its sufficient statistics; `mtharness merge` combines the parts into the reports a
//! single run writes, byte for byte.
//!
//! # Which part a shard scores
//! Shard `I` of `N` takes the documents whose index (in corpus order, from 0) is `I` modulo
//! `N`. Round-robin rather than contiguous slices: corpora are often ordered by domain or by
//! document length, and round-robin spreads both evenly over the shards. When the corpus is a
//! single document (line-aligned files without `--docids`) the *segments* are dealt out the
//! same way (segment `k` to shard `k % N`) — unless that document must be sentence-aligned
//! (segment counts differ), which needs the whole document: shard 0 then scores all of it and
//! the others nothing.
//!
//! Exactness: segment statistics do not depend on other segments, and [`merge`] re-forms every
//! document and system sum from the segment rows in corpus order with
//! [`crate::eval::summarize`], the code a single run uses, so the merged sums have the same
//! bits. Statistics are stored in Rust's shortest round-trip form and read back exactly.
//!
//! # The stats file (`stats.csv`)
//! Header lines starting with `#`, one `key: value` each, then a CSV table:
//!
//! ```text
//! # mtharness-stats 1
//! # version: 0.1.0                      mtharness version that wrote it
//! # corpus: wmt22-ru-en
//! # refs: ["A"]                         reference set names (JSON)
//! # systems: ["sys1","sys2"]            system names, in order (JSON)
//! # metrics: ["bleu","chrf"]            metric names as given to `-m` (JSON)
//! # metric_options: {...}               the metric options (JSON)
//! # normalize: none                     the normaliser's signature (`nfc+quotes`, ...)
//! # align: auto                         auto | always | never
//! # documents: 2016                     documents in the whole corpus
//! # split: documents                    documents | segments (one-document corpus)
//! # shard: 0/3
//! ```
//!
//! The header is one type, [`StatsHeader`]: each line is a field, its value the field's JSON
//! (strings bare). All header lines but `shard` form the shard's signature: [`merge`] refuses
//! files whose signatures differ (other options, corpus or version), a missing or repeated shard index, or
//! files of different `N`.
//!
//! Columns: `kind,system,doc,document,pair,ref_from,ref_to,hyp_from,hyp_to,similarity,pairs,
//! omissions,additions,lines`, then one `ID:stat` column per statistic of every metric (as in
//! `segments.csv`). Three kinds of rows:
//! - `doc`: one per document of the shard: `doc` (index in the corpus), `document` (id), `lines`
//!   (space-separated 1-based line of each reference segment, after sentence splitting for
//!   aligned documents). Other cells empty.
//! - `sum`: one per system and document of the shard: `pairs`, `omissions`, `additions` and the
//!   summed statistics of the shard's pairs of that document (a check: [`merge`] verifies them
//!   against the segment rows).
//! - `seg`: one per scored pair: `pair` (its position among the document's pairs, or the
//!   segment index for a split one-document corpus), the 0-based half-open reference and
//!   hypothesis segment ranges, the aligner `similarity` (empty for pairs by position) and the
//!   pair's statistics.
//!
//! The stats file is not a report: its text cells (document ids, system names) are written as
//! they are, without the formula guard of [`crate::report::csv_text`], because [`merge`] must
//! read back exactly the ids and names a single run would have. Open it in a spreadsheet only
//! with formulas disabled.
//!
//! # Example
//!
//! ```
//! use mtharness::corpus::{load, LoadSpec};
//! use mtharness::eval::{evaluate, AlignMode, EvalOptions};
//! use mtharness::metrics::{build_metrics, MetricOptions};
//! use mtharness::shard::{evaluate_shard, merge_files, write_stats, ShardConfig};
//!
//! let corpus = load(&LoadSpec { input: Some("corpora/sample".into()), ..LoadSpec::default() })?;
//! let cfg = ShardConfig {
//!     metrics: vec!["bleu".into(), "ter".into()],
//!     metric_options: MetricOptions::default(),
//!     normalizer: Default::default(),
//!     align: AlignMode::Auto,
//! };
//! let dir = std::env::temp_dir().join(format!("mtharness-doc-shard-{}", std::process::id()));
//! let mut files = Vec::new();
//! for i in 0..2 {
//!     let (_, stats) = evaluate_shard(&corpus, &cfg, format!("{i}/2").parse()?)?;
//!     let path = dir.join(format!("shard{i}.csv"));
//!     write_stats(&path, &stats)?;
//!     files.push(path);
//! }
//! // The merged shards are the single run, to the last bit.
//! let merged = merge_files(&files)?;
//! let whole = evaluate(&corpus, build_metrics(&cfg.metrics, &cfg.metric_options)?,
//!                      &EvalOptions::default())?;
//! assert_eq!(merged.system_score(0, 0), whole.system_score(0, 0));
//! assert_eq!(merged.system_score(0, 1), whole.system_score(0, 1));
//! # std::fs::remove_dir_all(&dir).unwrap();
//! # Ok::<(), mtharness::Error>(())
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use crate::corpus::{Corpus, Document};
use crate::error::{Error, Result};
use crate::eval::{
    evaluate, needs_alignment, AlignMode, DocumentInfo, EvalOptions, Evaluation, Pair, SegmentEval,
};
use crate::metrics::{MetricOptions, VERSION};
use crate::text::normalize::Normalizer;

mod file;
mod header;
mod merge;

pub use file::{read_stats, write_stats};
pub use header::{Split, StatsHeader};
pub use merge::{merge, merge_files};

/// Shard `index` of `count` (`index < count`), written `I/N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardSpec {
    pub index: usize,
    pub count: usize,
}

/// Most shards of one run (`N` of `--shard I/N`): `merge` reads all `N` stats files in one
/// call, so more would not fit on a command line anyway.
pub const MAX_SHARDS: usize = 100_000;

impl ShardSpec {
    /// The whole corpus as one shard.
    pub const WHOLE: ShardSpec = ShardSpec { index: 0, count: 1 };

    fn takes(&self, k: usize) -> bool {
        k % self.count == self.index
    }
}

impl FromStr for ShardSpec {
    type Err = Error;
    fn from_str(s: &str) -> Result<ShardSpec> {
        let shown: String = s.chars().take(40).collect();
        let bad = || {
            Error::config(format!(
                "--shard '{shown}': expected I/N with 0 <= I < N <= {MAX_SHARDS}"
            ))
        };
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let index: usize = i.trim().parse().map_err(|_| bad())?;
        let count: usize = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count || count > MAX_SHARDS {
            return Err(bad());
        }
        Ok(ShardSpec { index, count })
    }
}

impl fmt::Display for ShardSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// Everything that determines the statistics, recorded in the stats header
/// ([`StatsHeader`]) so that a merge can rebuild the metrics and refuse shards scored
/// differently. The metrics are named rather than built: the shard and its merge build them
/// from the same record with the same call ([`StatsHeader::build_metrics`]).
#[derive(Debug, Clone)]
pub struct ShardConfig {
    /// Metric names as `score -m` takes them.
    pub metrics: Vec<String>,
    pub metric_options: MetricOptions,
    pub normalizer: Normalizer,
    pub align: AlignMode,
}

/// The statistics of one shard, as stored in a stats file.
#[derive(Debug, Clone)]
pub struct ShardStats {
    /// The header (the shard's options, corpus facts and index).
    header: StatsHeader,
    /// `doc` rows: corpus index -> facts.
    docs: BTreeMap<usize, DocumentInfo>,
    /// `sum` rows: (system, doc) -> (pairs, omissions, additions, stats).
    sums: BTreeMap<(usize, usize), DocSum>,
    /// `seg` rows: (system, doc, pair order, segment, its statistics: every metric's back to
    /// back).
    segs: Vec<SegRow>,
}

/// A `seg` row: (system, doc, pair order, segment, its statistics).
type SegRow = (usize, usize, usize, SegmentEval, Vec<f64>);

#[derive(Debug, Clone, PartialEq)]
struct DocSum {
    pairs: usize,
    omissions: usize,
    additions: usize,
    stats: Vec<Vec<f64>>,
}

/// Scores shard `shard` of `corpus` (see the module docs for which part) and returns the
/// shard's own evaluation (its documents and pairs only, for the usual reports) and its stats.
pub fn evaluate_shard(
    corpus: &Corpus,
    cfg: &ShardConfig,
    shard: ShardSpec,
) -> Result<(Evaluation, ShardStats)> {
    let split = if corpus.documents.len() == 1 {
        Split::Segments
    } else {
        Split::Documents
    };
    // the part of the corpus this shard scores, and where its documents and segments came from
    let mut sub = Corpus {
        documents: Vec::new(),
        ..corpus.clone_header()
    };
    let mut doc_map = Vec::new();
    let mut seg_map: Option<Vec<usize>> = None;
    // A one-document corpus that must be aligned is scored whole by shard 0; the others hold
    // an empty stand-in of it, which is not theirs to describe.
    let mut stand_in = false;
    match split {
        Split::Documents => {
            for (k, d) in corpus.documents.iter().enumerate() {
                if shard.takes(k) {
                    sub.documents.push(d.clone());
                    doc_map.push(k);
                }
            }
        }
        Split::Segments => {
            let d = &corpus.documents[0];
            if needs_alignment(d, cfg.align)? {
                if shard.index == 0 {
                    sub.documents.push(d.clone());
                } else {
                    stand_in = true;
                    sub.documents.push(Document {
                        id: d.id.clone(),
                        source: None,
                        refs: vec![Vec::new(); d.refs.len()],
                        hyps: vec![Vec::new(); d.hyps.len()],
                        lines: Vec::new(),
                    });
                }
            } else {
                let keep: Vec<usize> = (0..d.num_segments()).filter(|&k| shard.takes(k)).collect();
                let pick = |v: &Vec<String>| keep.iter().map(|&k| v[k].clone()).collect();
                sub.documents.push(Document {
                    id: d.id.clone(),
                    source: d.source.as_ref().map(pick),
                    refs: d.refs.iter().map(pick).collect(),
                    hyps: d.hyps.iter().map(pick).collect(),
                    lines: keep
                        .iter()
                        .map(|&k| d.lines.get(k).copied().unwrap_or(k + 1))
                        .collect(),
                });
                seg_map = Some(keep);
            }
            doc_map.push(0);
        }
    }
    let header = StatsHeader {
        version: VERSION.to_string(),
        corpus: corpus.name.clone(),
        refs: corpus.ref_names.clone(),
        systems: corpus.system_names.clone(),
        metrics: cfg.metrics.clone(),
        metric_options: cfg.metric_options,
        normalize: cfg.normalizer.clone(),
        align: cfg.align,
        documents: corpus.documents.len(),
        split,
        shard,
    };
    let opts = EvalOptions {
        normalizer: cfg.normalizer.clone(),
        align: cfg.align,
        ..EvalOptions::default()
    };
    let ev = evaluate(&sub, header.build_metrics()?, &opts)?;
    let mut docs = BTreeMap::new();
    for (k, info) in ev.documents.iter().enumerate() {
        if stand_in {
            continue;
        }
        let lines = if seg_map.is_some() {
            // a split one-document corpus is line-aligned: the lines of the whole document
            corpus.documents[0].lines.clone()
        } else {
            info.lines.clone()
        };
        docs.insert(
            doc_map[k],
            DocumentInfo {
                id: info.id.clone(),
                lines,
                aligned: info.aligned,
            },
        );
    }
    let remap = |r: &std::ops::Range<usize>| match &seg_map {
        Some(m) if !r.is_empty() => m[r.start]..m[r.end - 1] + 1,
        _ => r.clone(),
    };
    let mut sums = BTreeMap::new();
    let mut segs = Vec::new();
    for (s, sys) in ev.systems.iter().enumerate() {
        for d in &sys.documents {
            sums.insert(
                (s, doc_map[d.doc]),
                DocSum {
                    pairs: d.pairs,
                    omissions: d.omissions,
                    additions: d.additions,
                    stats: d.stats.clone(),
                },
            );
        }
        let mut last = usize::MAX;
        let mut order = 0;
        for (i, seg) in sys.segments.iter().enumerate() {
            if seg.doc != last {
                last = seg.doc;
                order = 0;
            }
            let pair_index = match &seg_map {
                Some(m) => m[seg.pair.refs.start.min(m.len().saturating_sub(1))],
                None => order,
            };
            order += 1;
            let doc = doc_map[seg.doc];
            segs.push((
                s,
                doc,
                pair_index,
                SegmentEval {
                    doc,
                    pair: Pair {
                        refs: remap(&seg.pair.refs),
                        hyps: remap(&seg.pair.hyps),
                        similarity: seg.pair.similarity,
                    },
                },
                sys.segment(i).row().to_vec(),
            ));
        }
    }
    Ok((
        ev,
        ShardStats {
            header,
            docs,
            sums,
            segs,
        },
    ))
}

impl Corpus {
    /// The corpus without its documents.
    fn clone_header(&self) -> Corpus {
        Corpus {
            name: self.name.clone(),
            ref_names: self.ref_names.clone(),
            system_names: self.system_names.clone(),
            documents: Vec::new(),
        }
    }
}
