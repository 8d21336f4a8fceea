//! Terminology metrics: glossary term accuracy, typed term errors, consistency, and a
//! glossary-free proper-noun error rate.
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
//!   **Approximation**: TER's block shifts are omitted (no TER module on this branch), so `E`
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
//! [`name_check`] takes the reference's name tokens ([`name_tokens`]: capitalised, not
//! sentence-initial unless capitalised elsewhere) and looks for each in the hypothesis tokens
//! (same stripping, case-sensitive, each used once); the rest go through the same near-miss rule
//! (single tokens) as *misspelt*, else *missing*. Name error rate = (misspelt + missing) / names.

use std::collections::HashMap;
use std::ops::{AddAssign, Range};

use crate::corpus::{Corpus, Document};
use crate::error::{Error, Result};
use crate::glossary::{
    name_tokens, FormKind, Glossary, MatchBuffer, Matcher, MatcherOptions, TermMatch,
};
use crate::metrics::{SegmentMetric, VERSION};

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
/// Characters of context on each side in [`TermRecord::context`].
const CONTEXT_BYTES: usize = 40;

/// The outcome of one term occurrence (or document-level finding).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ErrorType {
    /// Not an error: the occurrence was translated with an accepted form.
    Correct,
    Missing,
    Forbidden,
    Misspelt,
    Inconsistent,
    Extra,
}

impl ErrorType {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorType::Correct => "correct",
            ErrorType::Missing => "missing",
            ErrorType::Forbidden => "forbidden",
            ErrorType::Misspelt => "misspelt",
            ErrorType::Inconsistent => "inconsistent",
            ErrorType::Extra => "extra",
        }
    }

    pub fn is_error(self) -> bool {
        self != ErrorType::Correct
    }
}

/// One row of `terms.csv`: a term occurrence, an extra, or an inconsistency.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TermRecord {
    pub document: String,
    /// 0-based segment index in the document; empty for document-level units and findings.
    pub segment: Option<usize>,
    pub system: String,
    /// Glossary id (`name:<token>` for proper-noun findings).
    pub term_id: String,
    /// The entry's expected form.
    pub expected: String,
    /// Hypothesis text (empty when missing; the distinct renderings joined by ` | ` for
    /// inconsistent).
    pub found: String,
    pub error: ErrorType,
    /// Character Levenshtein distance for misspelt occurrences.
    pub edit_distance: Option<usize>,
    /// Hypothesis text around `found` (`[found]` marked), or `ref: ...` around the reference
    /// occurrence when nothing was found.
    pub context: String,
}

/// Additive sufficient statistics of the term metrics (see the module docs).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TermStats {
    pub expected: u64,
    pub correct: u64,
    pub forbidden: u64,
    pub misspelt: u64,
    pub missing: u64,
    pub extra: u64,
    /// Sum of unit window-overlap scores, for `WINDOWS[0]` and `WINDOWS[1]`.
    pub window_sum: [f64; 2],
    /// Units with at least one expected occurrence.
    pub term_units: u64,
    /// Sum of unit `E / N` (TERm rates).
    pub terw_sum: f64,
    pub units: u64,
    /// Document-level: groups with at least two rendered occurrences.
    pub consistency_groups: u64,
    /// Document-level: groups rendered in more than one way.
    pub inconsistent_groups: u64,
}

impl TermStats {
    /// Statistic names, in [`TermStats::to_vec`] order.
    pub const NAMES: [&'static str; 14] = [
        "expected",
        "correct",
        "forbidden",
        "misspelt",
        "missing",
        "extra",
        "window2_sum",
        "window3_sum",
        "term_units",
        "terw_sum",
        "units",
        "consistency_groups",
        "inconsistent_groups",
        "errors",
    ];

    pub fn to_vec(&self) -> Vec<f64> {
        vec![
            self.expected as f64,
            self.correct as f64,
            self.forbidden as f64,
            self.misspelt as f64,
            self.missing as f64,
            self.extra as f64,
            self.window_sum[0],
            self.window_sum[1],
            self.term_units as f64,
            self.terw_sum,
            self.units as f64,
            self.consistency_groups as f64,
            self.inconsistent_groups as f64,
            self.errors() as f64,
        ]
    }

    /// Inverse of [`TermStats::to_vec`]; `None` when the slice is too short.
    pub fn from_slice(v: &[f64]) -> Option<TermStats> {
        if v.len() < 13 {
            return None;
        }
        let u = |x: f64| if x > 0.0 { x.round() as u64 } else { 0 };
        Some(TermStats {
            expected: u(v[0]),
            correct: u(v[1]),
            forbidden: u(v[2]),
            misspelt: u(v[3]),
            missing: u(v[4]),
            extra: u(v[5]),
            window_sum: [v[6], v[7]],
            term_units: u(v[8]),
            terw_sum: v[9],
            units: u(v[10]),
            consistency_groups: u(v[11]),
            inconsistent_groups: u(v[12]),
        })
    }

    /// Typed errors: forbidden + misspelt + missing + extra + inconsistent groups.
    pub fn errors(&self) -> u64 {
        self.forbidden + self.misspelt + self.missing + self.extra + self.inconsistent_groups
    }

    /// correct / expected; 1.0 when nothing is expected.
    pub fn accuracy(&self) -> f64 {
        if self.expected == 0 {
            1.0
        } else {
            self.correct as f64 / self.expected as f64
        }
    }

    /// Window overlap for `WINDOWS[i]`; 0.0 when no unit has terms.
    pub fn window_overlap(&self, i: usize) -> f64 {
        if self.term_units == 0 {
            0.0
        } else {
            self.window_sum[i.min(1)] / self.term_units as f64
        }
    }

    /// 1 - mean TERm rate; 1.0 for no units.
    pub fn one_minus_terw(&self) -> f64 {
        if self.units == 0 {
            1.0
        } else {
            1.0 - self.terw_sum / self.units as f64
        }
    }

    /// 1 - inconsistent / groups; 1.0 when no group has two rendered occurrences.
    pub fn consistency(&self) -> f64 {
        if self.consistency_groups == 0 {
            1.0
        } else {
            1.0 - self.inconsistent_groups as f64 / self.consistency_groups as f64
        }
    }
}

impl AddAssign<&TermStats> for TermStats {
    fn add_assign(&mut self, o: &TermStats) {
        self.expected += o.expected;
        self.correct += o.correct;
        self.forbidden += o.forbidden;
        self.misspelt += o.misspelt;
        self.missing += o.missing;
        self.extra += o.extra;
        self.window_sum[0] += o.window_sum[0];
        self.window_sum[1] += o.window_sum[1];
        self.term_units += o.term_units;
        self.terw_sum += o.terw_sum;
        self.units += o.units;
        self.consistency_groups += o.consistency_groups;
        self.inconsistent_groups += o.inconsistent_groups;
    }
}

/// Additive statistics of the proper-noun check.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NameStats {
    pub names: u64,
    pub found: u64,
    pub misspelt: u64,
    pub missing: u64,
}

impl NameStats {
    pub const NAMES: [&'static str; 4] = ["names", "found", "misspelt", "missing"];

    /// (misspelt + missing) / names; 0.0 when there are no names.
    pub fn error_rate(&self) -> f64 {
        if self.names == 0 {
            0.0
        } else {
            (self.misspelt + self.missing) as f64 / self.names as f64
        }
    }
}

impl AddAssign<&NameStats> for NameStats {
    fn add_assign(&mut self, o: &NameStats) {
        self.names += o.names;
        self.found += o.found;
        self.misspelt += o.misspelt;
        self.missing += o.missing;
    }
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

/// One expected occurrence and its outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// Index into the glossary's entries.
    pub entry: usize,
    /// Byte range in the reference used; `None` when expected from the source only.
    pub ref_span: Option<Range<usize>>,
    /// The reference form (`None` for source-only occurrences).
    pub ref_form: Option<(FormKind, usize)>,
    /// Byte range in the hypothesis (correct, forbidden, misspelt).
    pub hyp_span: Option<Range<usize>>,
    /// The hypothesis form (correct, forbidden).
    pub hyp_form: Option<(FormKind, usize)>,
    /// Correct, Forbidden, Misspelt or Missing.
    pub outcome: ErrorType,
    pub edit_distance: Option<usize>,
}

/// The result of one unit.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitTerms {
    pub stats: TermStats,
    pub occurrences: Vec<Occurrence>,
    /// Hypothesis matches of accepted forms not used by any occurrence.
    pub extras: Vec<TermMatch>,
    /// Index of the reference used.
    pub reference: usize,
}

/// Terms of one document for one system.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentTerms {
    pub document: String,
    pub system: String,
    pub stats: TermStats,
    pub names: NameStats,
    /// Term occurrences (correct ones included), extras and inconsistencies, then proper-noun
    /// findings (errors only), in text order within each kind.
    pub records: Vec<TermRecord>,
}

/// Terms of one system over a corpus.
#[derive(Debug, Clone, PartialEq)]
pub struct SystemTerms {
    pub system: String,
    pub stats: TermStats,
    pub names: NameStats,
    pub documents: Vec<DocumentTerms>,
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

    /// Scores one unit: `hyp` against `refs` (at least one; an empty slice is treated as one
    /// empty reference), with optional source text. Consistency fields stay 0 (document-level).
    pub fn unit(&self, hyp: &str, refs: &[&str], source: Option<&str>) -> UnitTerms {
        let mut buf = MatchBuffer::default();
        let mut tmp = Vec::new();
        // The reference with the most accepted matches.
        let mut reference = 0;
        let mut ref_matches: Vec<TermMatch> = Vec::new();
        for (r, text) in refs.iter().enumerate() {
            self.target.find_into(text, &mut buf, &mut tmp);
            tmp.retain(TermMatch::is_accepted);
            if r == 0 || tmp.len() > ref_matches.len() {
                reference = r;
                std::mem::swap(&mut ref_matches, &mut tmp);
            }
        }
        let ref_text = refs.get(reference).copied().unwrap_or("");
        let mut occ: Vec<Occurrence> = ref_matches
            .iter()
            .map(|m| Occurrence {
                entry: m.entry,
                ref_span: Some(m.start..m.end),
                ref_form: Some((m.kind, m.variant)),
                hyp_span: None,
                hyp_form: None,
                outcome: ErrorType::Missing,
                edit_distance: None,
            })
            .collect();
        if let (Some(src), Some(sm)) = (source, &self.source) {
            self.add_source_occurrences(src, sm, &mut buf, &mut occ);
        }

        let mut hyp_matches = Vec::new();
        self.target.find_into(hyp, &mut buf, &mut hyp_matches);
        let mut used = vec![false; hyp_matches.len()];
        // hypothesis matches of each entry, accepted and forbidden, in text order
        let mut by_entry: HashMap<usize, (Vec<usize>, Vec<usize>)> = HashMap::new();
        for (i, m) in hyp_matches.iter().enumerate() {
            let slot = by_entry.entry(m.entry).or_default();
            if m.is_accepted() {
                slot.0.push(i);
            } else {
                slot.1.push(i);
            }
        }
        // 1. correct, 2. forbidden
        for pass in [ErrorType::Correct, ErrorType::Forbidden] {
            for o in occ.iter_mut().filter(|o| o.outcome == ErrorType::Missing) {
                let Some(slot) = by_entry.get(&o.entry) else {
                    continue;
                };
                let list = if pass == ErrorType::Correct {
                    &slot.0
                } else {
                    &slot.1
                };
                if let Some(&i) = list.iter().find(|&&i| !used[i]) {
                    used[i] = true;
                    let m = &hyp_matches[i];
                    o.outcome = pass;
                    o.hyp_span = Some(m.start..m.end);
                    o.hyp_form = Some((m.kind, m.variant));
                }
            }
        }
        // 3. misspelt
        if self.opts.near_miss && occ.iter().any(|o| o.outcome == ErrorType::Missing) {
            let toks: Vec<(usize, usize)> = crate::glossary::word_spans(hyp).collect();
            let mut blocked: Vec<(usize, usize)> =
                hyp_matches.iter().map(|m| (m.start, m.end)).collect();
            for o in occ.iter_mut().filter(|o| o.outcome == ErrorType::Missing) {
                let entry = &self.glossary.entries()[o.entry];
                if let Some((s, e, d)) = near_miss(hyp, &toks, &blocked, entry.accepted()) {
                    blocked.push((s, e));
                    o.outcome = ErrorType::Misspelt;
                    o.hyp_span = Some(s..e);
                    o.edit_distance = Some(d);
                }
            }
        }
        let extras: Vec<TermMatch> = hyp_matches
            .iter()
            .zip(&used)
            .filter(|(m, u)| m.is_accepted() && !**u)
            .map(|(m, _)| *m)
            .collect();

        let mut stats = TermStats {
            expected: occ.len() as u64,
            extra: extras.len() as u64,
            units: 1,
            term_units: u64::from(!occ.is_empty()),
            ..TermStats::default()
        };
        for o in &occ {
            match o.outcome {
                ErrorType::Correct => stats.correct += 1,
                ErrorType::Forbidden => stats.forbidden += 1,
                ErrorType::Misspelt => stats.misspelt += 1,
                _ => stats.missing += 1,
            }
        }
        if !occ.is_empty() {
            let ref_toks: Vec<(usize, usize)> = crate::glossary::word_spans(ref_text).collect();
            let hyp_toks: Vec<(usize, usize)> = crate::glossary::word_spans(hyp).collect();
            for (k, &w) in WINDOWS.iter().enumerate() {
                stats.window_sum[k] =
                    window_overlap(ref_text, &ref_toks, hyp, &hyp_toks, &occ, &hyp_matches, w);
            }
        }
        let term_spans: Vec<(usize, usize)> = occ
            .iter()
            .filter_map(|o| o.ref_span.as_ref().map(|r| (r.start, r.end)))
            .collect();
        stats.terw_sum = terw_rate(hyp, ref_text, &term_spans);
        UnitTerms {
            stats,
            occurrences: occ,
            extras,
            reference,
        }
    }

    fn add_source_occurrences(
        &self,
        src: &str,
        sm: &Matcher,
        buf: &mut MatchBuffer,
        occ: &mut Vec<Occurrence>,
    ) {
        let mut m = Vec::new();
        sm.find_into(src, buf, &mut m);
        let mut src_count: HashMap<usize, usize> = HashMap::new();
        for x in &m {
            *src_count.entry(x.entry).or_default() += 1;
        }
        let mut ref_count: HashMap<usize, usize> = HashMap::new();
        for o in occ.iter() {
            *ref_count.entry(o.entry).or_default() += 1;
        }
        let mut entries: Vec<_> = src_count.into_iter().collect();
        entries.sort_unstable();
        for (e, n) in entries {
            let have = ref_count.get(&e).copied().unwrap_or(0);
            for _ in have..n {
                occ.push(Occurrence {
                    entry: e,
                    ref_span: None,
                    ref_form: None,
                    hyp_span: None,
                    hyp_form: None,
                    outcome: ErrorType::Missing,
                    edit_distance: None,
                });
            }
        }
    }

    /// Scores one document of one system (`doc.hyps[system]`): term statistics, name
    /// statistics, and records. Consistency is computed over the whole document.
    pub fn document(
        &self,
        doc: &Document,
        system: usize,
        system_name: &str,
        pairing: Pairing,
    ) -> Result<DocumentTerms> {
        let hyps = doc.hyps.get(system).ok_or_else(|| {
            Error::config(format!(
                "document {}: no system number {system} (it has {})",
                doc.id,
                doc.hyps.len()
            ))
        })?;
        let aligned = doc.is_line_aligned();
        let by_segment = match pairing {
            Pairing::Auto => aligned,
            Pairing::Segments if !aligned => {
                return Err(Error::mismatch(format!(
                    "document {}: system {system_name} has {} segments, the reference {}; \
                     use document pairing or align the segments first",
                    doc.id,
                    hyps.len(),
                    doc.num_segments()
                )));
            }
            Pairing::Segments => true,
            Pairing::Document => false,
        };
        let mut out = DocumentTerms {
            document: doc.id.clone(),
            system: system_name.to_string(),
            stats: TermStats::default(),
            names: NameStats::default(),
            records: Vec::new(),
        };
        let mut renders = Renderings::default();
        let ref0: Vec<&str> = doc
            .refs
            .first()
            .map(|r| r.iter().map(String::as_str).collect())
            .unwrap_or_default();
        let names = name_tokens(&ref0);
        let mut name_records = Vec::new();
        if by_segment {
            for i in 0..doc.num_segments() {
                let refs: Vec<&str> = doc.refs.iter().map(|r| r[i].as_str()).collect();
                let hyp = hyps[i].as_str();
                let src = doc
                    .source
                    .as_ref()
                    .and_then(|s| s.get(i))
                    .map(String::as_str);
                let u = self.unit(hyp, &refs, src);
                self.collect(&u, hyp, refs[u.reference], Some(i), &mut out, &mut renders);
                let seg_names: Vec<&str> = names
                    .iter()
                    .filter(|t| t.unit == i)
                    .map(|t| &ref0[i][t.start..t.end])
                    .collect();
                let (ns, recs) = name_check(&seg_names, hyp);
                out.names += &ns;
                name_records.extend(recs.into_iter().map(|r| (Some(i), r)));
            }
        } else {
            let refs: Vec<String> = doc.refs.iter().map(|r| r.join("\n")).collect();
            let refs: Vec<&str> = refs.iter().map(String::as_str).collect();
            let hyp = hyps.join("\n");
            let src = doc.source.as_ref().map(|s| s.join("\n"));
            let u = self.unit(&hyp, &refs, src.as_deref());
            let reference = refs.get(u.reference).copied().unwrap_or("");
            self.collect(&u, &hyp, reference, None, &mut out, &mut renders);
            let all_names: Vec<&str> = names
                .iter()
                .map(|t| &ref0[t.unit][t.start..t.end])
                .collect();
            let (ns, recs) = name_check(&all_names, &hyp);
            out.names += &ns;
            name_records.extend(recs.into_iter().map(|r| (None, r)));
        }
        // consistency
        for g in &renders.groups {
            if g.len() < 2 {
                continue;
            }
            out.stats.consistency_groups += 1;
            let mut distinct: Vec<(&Rendering, &str)> = Vec::new();
            for (r, found) in g.iter().map(|(_, r, f)| (r, f.as_str())) {
                if !distinct.iter().any(|(d, _)| *d == r) {
                    distinct.push((r, found));
                }
            }
            if distinct.len() > 1 {
                out.stats.inconsistent_groups += 1;
                let entry = &self.glossary.entries()[g[0].0 .0];
                out.records.push(TermRecord {
                    document: doc.id.clone(),
                    segment: None,
                    system: system_name.to_string(),
                    term_id: entry.id.clone(),
                    expected: entry.expected.clone(),
                    found: distinct
                        .iter()
                        .map(|(_, f)| *f)
                        .collect::<Vec<_>>()
                        .join(" | "),
                    error: ErrorType::Inconsistent,
                    edit_distance: None,
                    context: format!("{} renderings of {} occurrences", distinct.len(), g.len()),
                });
            }
        }
        for (seg, r) in name_records {
            out.records.push(TermRecord {
                document: doc.id.clone(),
                segment: seg,
                system: system_name.to_string(),
                term_id: format!("name:{}", r.name),
                expected: r.name,
                found: r.found,
                error: r.error,
                edit_distance: r.edit_distance,
                context: String::new(),
            });
        }
        Ok(out)
    }

    /// Adds a unit's stats, records and renderings to a document result.
    fn collect(
        &self,
        u: &UnitTerms,
        hyp: &str,
        reference: &str,
        segment: Option<usize>,
        out: &mut DocumentTerms,
        renders: &mut Renderings,
    ) {
        out.stats += &u.stats;
        let entries = self.glossary.entries();
        for o in &u.occurrences {
            let e = &entries[o.entry];
            let found = o.hyp_span.clone().map_or("", |r| &hyp[r]);
            let context = match (&o.hyp_span, &o.ref_span) {
                (Some(h), _) => snippet(hyp, h.start, h.end),
                (None, Some(r)) => format!("ref: {}", snippet(reference, r.start, r.end)),
                (None, None) => "source only".to_string(),
            };
            out.records.push(TermRecord {
                document: out.document.clone(),
                segment,
                system: out.system.clone(),
                term_id: e.id.clone(),
                expected: e.expected.clone(),
                found: found.to_string(),
                error: o.outcome,
                edit_distance: o.edit_distance,
                context,
            });
            let rendering = match (o.outcome, o.hyp_form) {
                (ErrorType::Correct | ErrorType::Forbidden, Some((k, v))) => {
                    Some(Rendering::Form(k, v))
                }
                (ErrorType::Misspelt, _) => Some(Rendering::Misspelt(found.to_lowercase())),
                _ => None,
            };
            if let Some(r) = rendering {
                renders.add(o.entry, o.ref_form, r, found.to_string());
            }
        }
        for m in &u.extras {
            let e = &entries[m.entry];
            out.records.push(TermRecord {
                document: out.document.clone(),
                segment,
                system: out.system.clone(),
                term_id: e.id.clone(),
                expected: e.expected.clone(),
                found: hyp[m.start..m.end].to_string(),
                error: ErrorType::Extra,
                edit_distance: None,
                context: snippet(hyp, m.start, m.end),
            });
        }
    }

    /// Scores every system of a corpus, document by document.
    pub fn corpus(&self, corpus: &Corpus, pairing: Pairing) -> Result<Vec<SystemTerms>> {
        let mut out = Vec::with_capacity(corpus.system_names.len());
        for (s, name) in corpus.system_names.iter().enumerate() {
            let mut st = SystemTerms {
                system: name.clone(),
                stats: TermStats::default(),
                names: NameStats::default(),
                documents: Vec::with_capacity(corpus.documents.len()),
            };
            for doc in &corpus.documents {
                let d = self.document(doc, s, name, pairing)?;
                st.stats += &d.stats;
                st.names += &d.names;
                st.documents.push(d);
            }
            out.push(st);
        }
        Ok(out)
    }
}

/// How the hypothesis rendered one occurrence, for consistency.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Rendering {
    Form(FormKind, usize),
    Misspelt(String),
}

type GroupKey = (usize, Option<(FormKind, usize)>);

/// Renderings grouped by (entry, reference form), groups in first-appearance order.
#[derive(Default)]
struct Renderings {
    index: HashMap<GroupKey, usize>,
    groups: Vec<Vec<(GroupKey, Rendering, String)>>,
}

impl Renderings {
    fn add(
        &mut self,
        entry: usize,
        ref_form: Option<(FormKind, usize)>,
        r: Rendering,
        found: String,
    ) {
        let key = (entry, ref_form);
        let n = self.groups.len();
        let gi = *self.index.entry(key).or_insert(n);
        if gi == n {
            self.groups.push(Vec::new());
        }
        self.groups[gi].push((key, r, found));
    }
}

/// `text` around `[s, e)`, the span in brackets, line breaks as spaces.
fn snippet(text: &str, s: usize, e: usize) -> String {
    let mut a = s.saturating_sub(CONTEXT_BYTES);
    while !text.is_char_boundary(a) {
        a -= 1;
    }
    let mut b = (e + CONTEXT_BYTES).min(text.len());
    while !text.is_char_boundary(b) {
        b += 1;
    }
    format!("{}[{}]{}", &text[a..s], &text[s..e], &text[e..b]).replace('\n', " ")
}

/// Maximum edits for a form of `chars` characters (see the module docs).
fn max_edits(chars: usize) -> usize {
    (chars / NEAR_MISS_CHARS_PER_EDIT).clamp(1, MAX_NEAR_MISS_EDITS)
}

/// The best near miss of any of `forms` among token n-grams of `hyp` not overlapping `blocked`:
/// `(start, end, distance)`. O(forms * tokens * len²) in the worst case; the length filter
/// skips most n-grams before the edit distance.
fn near_miss<'a>(
    hyp: &str,
    toks: &[(usize, usize)],
    blocked: &[(usize, usize)],
    forms: impl Iterator<Item = &'a str>,
) -> Option<(usize, usize, usize)> {
    let mut best: Option<(usize, f64, usize, usize)> = None;
    for form in forms {
        let n = form.split_whitespace().count().max(1);
        let flen = form.chars().count();
        if flen < MIN_NEAR_MISS_CHARS || toks.len() < n {
            continue;
        }
        let maxd = max_edits(flen);
        for i in 0..=toks.len() - n {
            let (s, e) = (toks[i].0, toks[i + n - 1].1);
            if blocked.iter().any(|&(bs, be)| bs < e && s < be) {
                continue;
            }
            let cand = &hyp[s..e];
            if cand.contains('\n') || cand.chars().count().abs_diff(flen) > maxd {
                continue;
            }
            let d = strsim::levenshtein(cand, form);
            if d == 0 || d > maxd || strsim::jaro_winkler(cand, form) < MIN_NEAR_MISS_JARO_WINKLER {
                continue;
            }
            let rel = d as f64 / flen as f64;
            let better = match best {
                None => true,
                Some((bd, brel, bs, _)) => (d, rel, s) < (bd, brel, bs),
            };
            if better {
                best = Some((d, rel, s, e));
            }
        }
    }
    best.map(|(d, _, s, e)| (s, e, d))
}

/// WMT21 window overlap of one unit (see the module docs).
fn window_overlap(
    reference: &str,
    ref_toks: &[(usize, usize)],
    hyp: &str,
    hyp_toks: &[(usize, usize)],
    occ: &[Occurrence],
    hyp_matches: &[TermMatch],
    w: usize,
) -> f64 {
    let mut total = 0.0;
    let mut matched = 0usize;
    let mut entries: Vec<usize> = occ.iter().map(|o| o.entry).collect();
    entries.sort_unstable();
    entries.dedup();
    for e in entries {
        let refs: Vec<Vec<&str>> = occ
            .iter()
            .filter(|o| o.entry == e)
            .filter_map(|o| o.ref_span.as_ref())
            .map(|r| context_words(reference, ref_toks, r.start, r.end, w))
            .collect();
        let hyps: Vec<Vec<&str>> = hyp_matches
            .iter()
            .filter(|m| m.entry == e && m.is_accepted())
            .map(|m| context_words(hyp, hyp_toks, m.start, m.end, w))
            .collect();
        let mut pairs: Vec<(f64, usize, usize)> = Vec::with_capacity(refs.len() * hyps.len());
        for (j, rw) in refs.iter().enumerate() {
            for (k, hw) in hyps.iter().enumerate() {
                pairs.push((overlap(rw, hw), j, k));
            }
        }
        // stable: ties keep (j, k) order, as Python's sorted(..., reverse=True)
        pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut ref_used = vec![false; refs.len()];
        let mut hyp_used = vec![false; hyps.len()];
        for (acc, j, k) in pairs {
            if !ref_used[j] && !hyp_used[k] {
                ref_used[j] = true;
                hyp_used[k] = true;
                matched += 1;
                total += acc;
            }
        }
    }
    if matched == 0 {
        0.0
    } else {
        total / matched as f64
    }
}

/// Fraction of `rw` found in `hw` (multiset); 1.0 when `rw` is empty (WMT21 says 0).
fn overlap(rw: &[&str], hw: &[&str]) -> f64 {
    if rw.is_empty() {
        return 1.0;
    }
    let mut avail: Vec<&str> = hw.to_vec();
    let mut cnt = 0;
    for r in rw {
        if let Some(p) = avail.iter().position(|h| h == r) {
            avail.swap_remove(p);
            cnt += 1;
        }
    }
    cnt as f64 / rw.len() as f64
}

/// Up to `w` tokens left (nearest first) then up to `w` right of the tokens overlapping
/// `[s, e)`.
fn context_words<'a>(
    text: &'a str,
    toks: &[(usize, usize)],
    s: usize,
    e: usize,
    w: usize,
) -> Vec<&'a str> {
    let first = toks.partition_point(|&(_, te)| te <= s);
    let last = toks.partition_point(|&(ts, _)| ts < e);
    let mut v: Vec<&str> = toks[..first]
        .iter()
        .rev()
        .take(w)
        .map(|&(a, b)| &text[a..b])
        .collect();
    v.extend(
        toks[last.max(first)..]
            .iter()
            .take(w)
            .map(|&(a, b)| &text[a..b]),
    );
    v
}

/// TERm rate `E / N` of one unit (see the module docs). O(|hyp| * |ref|) time, O(|ref|) memory.
fn terw_rate(hyp: &str, reference: &str, term_spans: &[(usize, usize)]) -> f64 {
    let mut ref_words: Vec<(&str, u32)> = Vec::new();
    let mut pos = 0;
    for w in reference.split_whitespace() {
        // `split_whitespace` yields subslices: recover the offset.
        let start = w.as_ptr() as usize - reference.as_ptr() as usize;
        debug_assert!(start >= pos);
        pos = start + w.len();
        let is_term = term_spans.iter().any(|&(s, e)| s < pos && start < e);
        ref_words.push((w, if is_term { TERM_WORD_WEIGHT } else { 1 }));
    }
    let hyp_words: Vec<&str> = hyp.split_whitespace().collect();
    let n = ref_words.len();
    if n == 0 {
        return if hyp_words.is_empty() { 0.0 } else { 1.0 };
    }
    // row over reference positions: prev[j] = cost of aligning hyp[..i] with ref[..j]
    let mut prev: Vec<u64> = Vec::with_capacity(n + 1);
    prev.push(0);
    for &(_, wt) in &ref_words {
        let last = *prev.last().unwrap_or(&0);
        prev.push(last + u64::from(wt));
    }
    let mut cur = vec![0u64; n + 1];
    for h in &hyp_words {
        cur[0] = prev[0] + 1;
        for j in 1..=n {
            let (rw, wt) = ref_words[j - 1];
            let wt = u64::from(wt);
            let sub = prev[j - 1] + if *h == rw { 0 } else { wt };
            let ins = prev[j] + 1;
            let del = cur[j - 1] + wt;
            cur[j] = sub.min(ins).min(del);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[n] as f64 / n as f64
}

/// One proper-noun finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameFinding {
    pub name: String,
    pub found: String,
    pub error: ErrorType,
    pub edit_distance: Option<usize>,
}

/// Checks reference names (strings, in order) against the hypothesis tokens; returns the
/// statistics and the errors (misspelt, missing). O(names + hyp tokens) plus the near-miss
/// search for names not found exactly.
pub fn name_check(names: &[&str], hyp: &str) -> (NameStats, Vec<NameFinding>) {
    let toks: Vec<(usize, usize)> = crate::glossary::word_spans(hyp).collect();
    let mut avail: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, &(s, e)) in toks.iter().enumerate().rev() {
        avail.entry(&hyp[s..e]).or_default().push(i);
    }
    let mut used = vec![false; toks.len()];
    let mut stats = NameStats {
        names: names.len() as u64,
        ..NameStats::default()
    };
    let mut unfound = Vec::new();
    for &name in names {
        match avail.get_mut(name).and_then(Vec::pop) {
            Some(i) => {
                used[i] = true;
                stats.found += 1;
            }
            None => unfound.push(name),
        }
    }
    let mut findings = Vec::new();
    for name in unfound {
        let flen = name.chars().count();
        let mut best: Option<(usize, usize)> = None;
        if flen >= MIN_NEAR_MISS_CHARS {
            let maxd = max_edits(flen);
            for (i, &(s, e)) in toks.iter().enumerate() {
                let cand = &hyp[s..e];
                if used[i] || cand.chars().count().abs_diff(flen) > maxd {
                    continue;
                }
                let d = strsim::levenshtein(cand, name);
                if d == 0
                    || d > maxd
                    || strsim::jaro_winkler(cand, name) < MIN_NEAR_MISS_JARO_WINKLER
                {
                    continue;
                }
                if best.is_none_or(|(bd, _)| d < bd) {
                    best = Some((d, i));
                }
            }
        }
        match best {
            Some((d, i)) => {
                used[i] = true;
                stats.misspelt += 1;
                findings.push(NameFinding {
                    name: name.to_string(),
                    found: hyp[toks[i].0..toks[i].1].to_string(),
                    error: ErrorType::Misspelt,
                    edit_distance: Some(d),
                });
            }
            None => {
                stats.missing += 1;
                findings.push(NameFinding {
                    name: name.to_string(),
                    found: String::new(),
                    error: ErrorType::Missing,
                    edit_distance: None,
                });
            }
        }
    }
    (stats, findings)
}

/// Term accuracy as a [`SegmentMetric`] over segments (no source, no consistency: those need
/// documents; use [`TermEvaluator::document`]). Statistics are the first 11 of
/// [`TermStats::NAMES`]; the score is the term accuracy in [0, 1].
#[derive(Debug, Clone)]
pub struct TermAccuracy {
    pub evaluator: TermEvaluator,
}

/// Number of segment-level statistics of [`TermAccuracy`] (`expected` .. `units`).
const SEGMENT_STATS: usize = 11;

impl TermAccuracy {
    pub fn new(glossary: Glossary, opts: TermOptions) -> Result<TermAccuracy> {
        Ok(TermAccuracy {
            evaluator: TermEvaluator::new(glossary, opts)?,
        })
    }
}

impl SegmentMetric for TermAccuracy {
    fn name(&self) -> String {
        "TermAcc".to_string()
    }

    fn stat_names(&self) -> Vec<String> {
        TermStats::NAMES[..SEGMENT_STATS]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    fn segment_stats(&self, hyp: &str, refs: &[&str]) -> Vec<f64> {
        let mut v = self.evaluator.unit(hyp, refs, None).stats.to_vec();
        v.truncate(SEGMENT_STATS);
        v
    }

    fn corpus_score(&self, stats: &[f64]) -> f64 {
        let mut v = stats.to_vec();
        v.resize(TermStats::NAMES.len(), 0.0);
        // Percent, like every other score in the reports.
        TermStats::from_slice(&v).map_or(0.0, |s| 100.0 * s.accuracy())
    }

    fn signature(&self, nrefs: usize) -> String {
        let g = self.evaluator.glossary();
        let o = self.evaluator.options();
        format!(
            "nrefs:{nrefs}|glossary:{}:{:016x}|match:word-ll|typo:{}|nearmiss:{}|version:mtharness-{VERSION}",
            g.len(),
            g.fingerprint(),
            if o.matcher.typography { "yes" } else { "no" },
            if o.near_miss { "yes" } else { "no" },
        )
    }

    fn higher_is_better(&self) -> bool {
        true
    }
}

/// The glossary-free proper-noun error rate as a [`SegmentMetric`]: names are taken from the first
/// reference segment alone (so a sentence-initial token counts only if capitalised elsewhere in
/// the same segment); [`TermEvaluator::document`] uses the whole document instead.
#[derive(Debug, Clone, Copy, Default)]
pub struct NameErrorRate;

impl SegmentMetric for NameErrorRate {
    fn name(&self) -> String {
        "NameErr".to_string()
    }

    fn stat_names(&self) -> Vec<String> {
        NameStats::NAMES.iter().map(|s| s.to_string()).collect()
    }

    fn segment_stats(&self, hyp: &str, refs: &[&str]) -> Vec<f64> {
        let reference = refs.first().copied().unwrap_or("");
        let names: Vec<&str> = name_tokens(&[reference])
            .iter()
            .map(|t| &reference[t.start..t.end])
            .collect();
        let (s, _) = name_check(&names, hyp);
        vec![
            s.names as f64,
            s.found as f64,
            s.misspelt as f64,
            s.missing as f64,
        ]
    }

    fn corpus_score(&self, stats: &[f64]) -> f64 {
        match stats {
            // Percent, like every other score in the reports.
            [names, _, misspelt, missing, ..] if *names > 0.0 => {
                100.0 * (misspelt + missing) / names
            }
            _ => 0.0,
        }
    }

    fn signature(&self, nrefs: usize) -> String {
        format!("nrefs:{nrefs}|case:mixed|nearmiss:yes|version:mtharness-{VERSION}")
    }

    fn higher_is_better(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::{Entry, TermKind};

    fn evaluator(entries: Vec<Entry>) -> TermEvaluator {
        TermEvaluator::new(
            Glossary::from_entries(entries).unwrap(),
            TermOptions::default(),
        )
        .unwrap()
    }

    #[test]
    fn terw_without_terms_is_word_levenshtein() {
        assert_eq!(terw_rate("a b c", "a b c", &[]), 0.0);
        assert_eq!(terw_rate("a x c", "a b c", &[]), 1.0 / 3.0);
        assert_eq!(terw_rate("", "a b", &[]), 1.0);
        assert_eq!(terw_rate("a", "", &[]), 1.0);
        assert_eq!(terw_rate("", "", &[]), 0.0);
        // "b" is a term word: its substitution costs 2
        assert_eq!(terw_rate("a x c", "a b c", &[(2, 3)]), 2.0 / 3.0);
        // deleting the term word costs 2; inserting a word costs 1
        assert_eq!(terw_rate("a c", "a b c", &[(2, 3)]), 2.0 / 3.0);
        assert_eq!(terw_rate("a b z c", "a b c", &[(2, 3)]), 1.0 / 3.0);
    }

    #[test]
    fn window_overlap_wmt21_style() {
        let rw = ["the", "possible", "in", "the"];
        let hw = ["a", "possible", "in", "the"];
        assert_eq!(overlap(&rw, &hw), 0.75);
        let text = "a b TERM c d e";
        let toks: Vec<_> = crate::glossary::word_spans(text).collect();
        assert_eq!(context_words(text, &toks, 4, 8, 2), ["b", "a", "c", "d"]);
    }

    #[test]
    fn outcomes_in_order() {
        let mut cf = Entry::new("cf", "ceasefire", TermKind::Term);
        cf.forbidden = vec!["fire".into()];
        let h = Entry::new("h", "Pete Hegseth", TermKind::Name);
        let ev = evaluator(vec![cf, h]);
        let u = ev.unit(
            "a fire and a ceasefire, said Pete Hegesh",
            &["a ceasefire and a ceasefire, said Pete Hegseth"],
            None,
        );
        let kinds: Vec<_> = u.occurrences.iter().map(|o| o.outcome).collect();
        assert_eq!(
            kinds,
            [
                ErrorType::Correct,
                ErrorType::Forbidden,
                ErrorType::Misspelt
            ]
        );
        assert_eq!(u.occurrences[2].edit_distance, Some(2));
        assert_eq!(u.stats.expected, 3);
        assert_eq!(u.stats.accuracy(), 1.0 / 3.0);
        let same = ev.unit("a ceasefire", &["a ceasefire"], None);
        assert_eq!(same.stats.accuracy(), 1.0);
        assert_eq!(same.stats.window_sum, [1.0, 1.0]);
        assert_eq!(same.stats.terw_sum, 0.0);
        let extra = ev.unit("a ceasefire", &["a truce"], None);
        assert_eq!((extra.stats.expected, extra.stats.extra), (0, 1));
    }

    #[test]
    fn source_terms_add_expected_occurrences() {
        let mut cf = Entry::new("cf", "ceasefire", TermKind::Term);
        cf.source = Some("alto el fuego".into());
        let ev = evaluator(vec![cf]);
        let u = ev.unit("a truce", &["a truce"], Some("un alto el fuego"));
        assert_eq!(u.stats.expected, 1);
        assert_eq!(u.stats.missing, 1);
        assert!(u.occurrences[0].ref_span.is_none());
    }

    #[test]
    fn stats_add_and_round_trip() {
        let mut a = TermStats {
            expected: 3,
            correct: 2,
            window_sum: [0.5, 0.25],
            terw_sum: 0.1,
            units: 1,
            ..TermStats::default()
        };
        let b = a;
        a += &b;
        assert_eq!(a.expected, 6);
        assert_eq!(TermStats::from_slice(&a.to_vec()), Some(a));
    }

    #[test]
    fn names_found_misspelt_missing() {
        let (s, f) = name_check(&["Hegseth", "Putin", "Ushakov"], "Hegesh met Putin.");
        assert_eq!((s.names, s.found, s.misspelt, s.missing), (3, 1, 1, 1));
        assert_eq!(f[0].edit_distance, Some(2));
        assert_eq!(f[1].error, ErrorType::Missing);
    }
}
