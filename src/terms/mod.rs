//! Terminology evaluation against a glossary: term accuracy, typed term errors, consistency, and
//! a glossary-free proper-noun error rate, per unit, document and system, with one record per
//! finding (`terms.csv`). [`crate::metrics::TermAccuracy`] and
//! [`crate::metrics::NameErrorRate`] plug the segment-level part into the
//! [`crate::SegmentMetric`] trait.
//!
//! Files, in the order a unit goes through them: `locate.rs` finds the expected occurrences and
//! gives each its outcome; `scores.rs` computes the window overlap and 1-TERm of the unit;
//! `names.rs` checks proper nouns; `document.rs` sums units into documents and systems, writes
//! the records and finds inconsistencies; `record.rs` is a record and its context; `stats.rs` the
//! additive statistics and the scores computed from them.
//!
//! # Units and occurrences
//!
//! Metrics are computed per *unit*: a segment when hypothesis and reference segments are paired
//! ([`Pairing::Segments`]), or a whole document's raw text (segments joined by `\n`,
//! [`Pairing::Document`]) when they are not (the seed article's MT has three extra boilerplate
//! lines). Matching runs on raw text with [`Matcher`] (whole words, leftmost-longest, optional
//! typography normalisation), never on BLEU tokens.
//!
//! The *expected occurrences* of a unit are the matches of accepted forms (expected or allowed)
//! in the reference; with several references, the reference with the most of them (the first
//! on ties) is used for everything in that unit. When source text is given and an entry has a
//! source term, an entry found `k` times in the source but fewer times in the reference gets
//! source-only occurrences up to `k`.
//!
//! Each expected occurrence gets exactly one outcome, assigned in this order, each hypothesis
//! match used at most once ("occurrences not reused", as WMT21's exact match):
//! 1. **correct**: an unused hypothesis match of an accepted form of the entry (in text order);
//! 2. **forbidden**: an unused hypothesis match of one of the entry's forbidden forms;
//! 3. **misspelt**: a hypothesis token n-gram (n = words of the form) not overlapping any
//!    glossary match, whose character Levenshtein distance `d` to an accepted form of at least
//!    [`MIN_NEAR_MISS_CHARS`] characters is `1 <= d <= clamp(chars / NEAR_MISS_CHARS_PER_EDIT, 1,
//!    MAX_NEAR_MISS_EDITS)` and whose Jaro-Winkler similarity is at least
//!    [`MIN_NEAR_MISS_JARO_WINKLER`] (`Pete Hegesh` for `Pete Hegseth`: d = 2); the smallest
//!    `d`, then the smallest `d / chars`, then the leftmost wins;
//! 4. **missing** otherwise.
//!
//! Unused hypothesis matches of accepted forms are **extra** (the term appears more often than
//! the reference has it). Unused forbidden matches are not errors (`fire` is a word).
//! **Inconsistent** is document-level: occurrences of one entry that the reference renders with
//! the same form (a *group*) are rendered by the hypothesis in more than one way (different
//! accepted or forbidden variants, plurals not distinguished, or different misspellings).
//!
//! # Scores (all in [0, 1] except 1-TERm, which can be negative, as 1-TER)
//!
//! * **term accuracy** = correct / expected (WMT21 exact-match accuracy, any allowed form, no
//!   lemmatised fallback); 1.0 when nothing is expected.
//! * **window overlap** w = 2, 3 (WMT21 `compare_exact_window_overlap`): for a reference term
//!   occurrence and a hypothesis match of the same entry, take the `w` nearest tokens left and
//!   `w` right of the term on each side (whitespace tokens, edge punctuation stripped,
//!   punctuation-only tokens skipped); the pair's score is the number of reference context
//!   tokens found in the hypothesis context (multiset, case-sensitive) over the number of
//!   reference context tokens. Pairs are chosen greedily by descending score (ties in reference
//!   then hypothesis order), each occurrence used once. A unit's score is the mean over chosen
//!   pairs (0 if none); the corpus score is the sum of unit scores over the number of units with
//!   at least one expected occurrence (WMT21 divides by the number of segments with terms).
//!   Difference: WMT21 scores a term without any reference context token 0; we score it 1.
//! * **1-TERm**: 1 - mean over units of `E / N`, where `N` is the number of reference tokens
//!   (whitespace split, case-sensitive, as WMT21's `TER_modified`) and `E` the minimum total cost
//!   of a word-level alignment where a hypothesis word equal to its reference word costs 0,
//!   a substitution or a deletion (reference word left uncovered) costs [`TERM_WORD_WEIGHT`] (2)
//!   if the reference word belongs to an expected term occurrence and 1 otherwise, and an
//!   insertion (extra hypothesis word) costs 1. `E / N` is 1 when `N = 0` and the hypothesis is
//!   not empty (sacreBLEU's TER convention), 0 when both are empty.
//!   **Approximation**: TER's block shifts are omitted, so `E`
//!   is at least the shifted cost and our 1-TERm is a lower bound of WMT21's; WMT21's script
//!   also weights insertions by an off-by-one reference index and (through its edit-distance
//!   cache) only partly applies the weights: we apply them as stated above.
//! * **consistency** = 1 - inconsistent groups / groups with at least two rendered occurrences
//!   (document-level; 1.0 when there is no such group).
//!
//! Every score comes from the additive [`TermStats`]: unit, document and system statistics sum
//! exactly (the window and 1-TERm sums are sums of unit scores, with their unit counts).
//!
//! # Proper nouns without a glossary
//!
//! [`name_check`] takes the reference's name tokens
//! ([`name_tokens`](crate::glossary::name_tokens): capitalised, not sentence-initial unless
//! capitalised elsewhere) and looks for each in the hypothesis tokens (same stripping,
//! case-sensitive, each used once); the rest go through the same near-miss rule (single tokens)
//! as *misspelt*, else *missing*. Name error rate = (misspelt + missing) / names.
//!
//! # Example
//!
//! ```
//! use std::path::Path;
//! use mtharness::glossary::Glossary;
//! use mtharness::terms::{TermEvaluator, TermOptions};
//!
//! let glossary = Glossary::from_csv_str(
//!     "id,expected,allowed,forbidden,kind\nceasefire,ceasefire,cease-fire,high fire,term\n",
//!     Path::new("glossary.csv"),
//! )?;
//! let terms = TermEvaluator::new(glossary, TermOptions::default())?;
//! let unit = terms.unit("They agreed to a high fire.", &["They agreed to a ceasefire."], None);
//! assert_eq!(unit.stats.expected, 1);
//! assert_eq!(unit.stats.correct, 0);
//! assert_eq!(unit.stats.forbidden, 1); // "high fire", a forbidden variant
//! # Ok::<(), mtharness::Error>(())
//! ```

mod document;
mod locate;
mod names;
mod record;
mod scores;
mod stats;

pub use self::document::{DocumentTerms, SystemTerms};
pub use self::locate::{Occurrence, UnitTerms};
pub use self::names::{name_check, NameFinding};
pub use self::record::{ErrorType, TermRecord};
pub use self::stats::{NameStats, TermStats};

use crate::error::Result;
use crate::glossary::{Glossary, Matcher, MatcherOptions};

/// Weight of reference term words in 1-TERm: WMT21's `evaluate_term_wmt.py` calls
/// `TER_modified.ter(hyp, ref, lc=2, term_ids)`.
pub const TERM_WORD_WEIGHT: u32 = 2;
/// Window sizes of the window-overlap metric (`windows = [2, 3]` in `evaluate_term_wmt.py`).
pub const WINDOWS: [usize; 2] = [2, 3];
/// Near misses: at most this many character edits (ours; a misspelt name rarely needs more).
pub const MAX_NEAR_MISS_EDITS: usize = 3;
/// Near misses: one edit allowed per this many characters of the form (ours: `Hegseth`, 7
/// characters, allows 2).
pub const NEAR_MISS_CHARS_PER_EDIT: usize = 3;
/// Near misses: forms shorter than this are never near-missed (ours: `war`/`was` is noise).
pub const MIN_NEAR_MISS_CHARS: usize = 4;
/// Near misses: minimum Jaro-Winkler similarity (ours; `strsim::jaro_winkler`).
pub const MIN_NEAR_MISS_JARO_WINKLER: f64 = 0.85;

/// Maximum edits for a form of `chars` characters (see the module docs).
fn max_edits(chars: usize) -> usize {
    (chars / NEAR_MISS_CHARS_PER_EDIT).clamp(1, MAX_NEAR_MISS_EDITS)
}

/// How hypothesis and reference are put side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pairing {
    /// Segments when the document is line-aligned, else the whole document.
    #[default]
    Auto,
    /// Segment `i` of the hypothesis against segment `i` of the references (error if counts
    /// differ).
    Segments,
    /// The document's segments joined by `\n`, on both sides.
    Document,
}

/// Options of the term metrics.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TermOptions {
    pub matcher: MatcherOptions,
    /// Look for misspelt terms among the missing ones (default true).
    pub near_miss: bool,
}

impl Default for TermOptions {
    fn default() -> Self {
        TermOptions {
            matcher: MatcherOptions::default(),
            near_miss: true,
        }
    }
}

/// Glossary term evaluation. Holds the glossary and its automata; `Send + Sync`.
#[derive(Debug, Clone)]
pub struct TermEvaluator {
    glossary: Glossary,
    target: Matcher,
    source: Option<Matcher>,
    opts: TermOptions,
}

impl TermEvaluator {
    /// Builds the automata (O(total length of the forms)).
    pub fn new(glossary: Glossary, opts: TermOptions) -> Result<TermEvaluator> {
        let target = Matcher::new(&glossary, opts.matcher)?;
        let source = if glossary.has_source_terms() {
            Some(Matcher::for_source(&glossary, opts.matcher)?)
        } else {
            None
        };
        Ok(TermEvaluator {
            glossary,
            target,
            source,
            opts,
        })
    }

    pub fn glossary(&self) -> &Glossary {
        &self.glossary
    }

    pub fn matcher(&self) -> &Matcher {
        &self.target
    }

    pub fn options(&self) -> &TermOptions {
        &self.opts
    }
}
