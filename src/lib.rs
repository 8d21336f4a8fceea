//! # mtharness
//!
//! A translation-quality evaluation harness. Data flows one way:
//! [`corpus`] readers build a [`Corpus`] (documents of reference and MT segments) ->
//! [`text`] normalises and tokenises -> [`metrics`] turn each segment pair into additive
//! sufficient statistics, summed into document and system scores -> `report` writes CSV,
//! JSON and tables.

pub mod align;
pub mod bench;
pub mod compare;
pub mod corpus;
pub mod distance;
pub mod error;
pub mod eval;
pub mod glossary;
pub mod metrics;
pub mod pipeline;
pub mod progress;
pub mod report;
pub mod rules;
pub mod shard;
pub mod significance;
pub mod stream;
pub mod text;

pub use corpus::{Corpus, Document};
pub use error::{Error, ErrorKind, Location, Result};
pub use metrics::{
    bleu::Bleu, bleu::Smooth, chrf::Chrf, ter::Ter, Metric, MetricOptions, SegmentMetric,
};
pub use pipeline::{score, Scorer, Stats};
