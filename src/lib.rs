//! # mtharness
//!
//! A translation-quality evaluation harness: sacreBLEU-faithful BLEU, chrF, chrF++ and TER,
//! jiwer-faithful WER, MER, WIL, WIP and CER, sentence alignment of whole articles,
//! terminology errors and cleanup-rule regression tests.
//!
//! ## Scoring in one call
//!
//! ```
//! use mtharness::{score, Metric};
//! let hyps = ["The cat sat on the mat."];
//! let refs = ["The cat sat on a mat."];
//! let scores = score(&hyps, &[&refs], &[Metric::bleu(), Metric::chrf(), Metric::Wer]).unwrap();
//! assert_eq!(scores.len(), 3);
//! ```
//!
//! [`score`] is [`Scorer::stats`] then [`Stats::scores`]. A [`Stats`] value holds summed
//! sufficient statistics and the [`Metric`]s that made them; values of parts of a corpus add
//! with `+` to exactly the value of the whole (what the Python package and a cluster job
//! reduce). Sentence scores: [`Scorer::segment`] then [`Stats::sentence_scores`].
//!
//! ## The pipeline, and the path of one segment
//!
//! Data flows one way: readers -> text -> alignment -> scorer -> accumulator -> sinks.
//! Reading these files in this order follows one segment from its input line to its row of
//! `segments.csv`:
//!
//! 1. `corpus/` reads it: [`corpus::load`] picks the reader ([`corpus::LoadSpec`]: plain
//!    line-aligned files in `corpus/plain.rs` and `corpus/lines.rs`, article folders in
//!    `corpus/folder.rs`, WMT XML in `corpus/wmt.rs`, TSV/JSONL in `corpus/table.rs`) and puts
//!    the line into a [`Document`] of a [`Corpus`], with its line number.
//! 2. `eval.rs` ([`eval::evaluate`]) normalises it (`text/normalize.rs`, the
//!    [`text::normalize::Normalizer`]), and when its document's MT has another number of
//!    segments than the reference, splits the document into sentences (`text/split.rs`) and
//!    aligns MT to reference (`align/`): the segment becomes part of an [`eval::Pair`] of
//!    reference and MT ranges (1-1, 1-2, 2-1, 1-0, 0-1, ...).
//! 3. `pipeline.rs` scores the pair: [`Scorer`]'s row writer asks every metric (`metrics/`:
//!    `bleu/`, `chrf.rs`, `ter/`, `wer.rs`, with their kernels in `ngram/` and `distance/`)
//!    for its sufficient statistics ([`SegmentMetric::write_segment_stats`]), written into
//!    the pair's row of one flat buffer. Rows are computed in parallel, each by one job, so
//!    results do not depend on the thread count.
//! 4. `eval.rs` ([`eval::summarize`]) adds the row, in segment order, into its document's and
//!    its system's sums with `pipeline::accumulate`, the one place statistics are summed.
//! 5. `report/csv.rs` writes the row of `segments.csv` (its statistics and the segment's
//!    scores), `documents.csv` and `systems.csv` (scores from sums); `report/json.rs`,
//!    `report/html/` and the stats file of `shard/file.rs` are the other sinks.
//!
//! The same scorer and accumulator serve every other path: `stream/` reads line-aligned
//! files in chunks (bounded memory), `shard/` scores one shard of a corpus into a stats file
//! and merges shards into the reports of a single run, byte for byte, and `rules/`,
//! `compare.rs` and the HTML report score through [`eval::evaluate`].
//!
//! ## Modules
//!
//! The root holds the one-call API ([`score`], [`Scorer`], [`Stats`], [`Metric`] and the
//! metric configurations, [`Error`]). Each public module is a namespace for one job, and a
//! facade: its implementation files are private, and it re-exports what callers use with
//! `pub use`. [`corpus`] (readers), [`text`] (normalise, tokenise, split), [`align`]
//! (sentence alignment), [`metrics`] (the metrics and their sacreBLEU/jiwer kernels),
//! [`distance`] (edit distances; [`distance::naive`] holds the slow reference kernels the
//! tests and fuzz targets check the fast ones against), [`eval`], [`stream`] and [`shard`]
//! (whole-corpus evaluation in memory, streamed, sharded), [`glossary`] and [`terms`]
//! (terminology), [`rules`] (cleanup rules and their regression test), [`significance`] and
//! [`compare`] (paired tests), [`report`] (CSV, JSON, HTML, tables), [`mod@bench`] (throughput
//! measurements) and [`progress`] (the progress callback). The scoring loop and accumulator
//! (`pipeline.rs`) and the n-gram kernels (`ngram/`) are private. The command line is the
//! binary's own code (`src/main.rs`, `src/cli/`), behind the default `cli` feature: a library
//! user built with `default-features = false` gets neither clap nor indicatif.

pub mod align;
pub mod bench;
pub mod compare;
pub mod corpus;
pub mod distance;
mod error;
pub mod eval;
pub mod glossary;
pub mod metrics;
mod ngram;
mod pipeline;
pub mod progress;
pub mod report;
pub mod rules;
pub mod shard;
pub mod significance;
pub mod stream;
pub mod terms;
pub mod text;

pub use corpus::{Corpus, Document};
pub use error::{Error, ErrorKind, Location, Result};
pub use metrics::{Bleu, Chrf, Metric, MetricOptions, NpFloat, SegmentMetric, Smooth, Ter};
pub use pipeline::{score, Scorer, Stats};
