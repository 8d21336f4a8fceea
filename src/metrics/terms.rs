//! Terminology as [`SegmentMetric`]s: term accuracy over segments ([`TermAccuracy`]) and the
//! glossary-free proper-noun error rate ([`NameErrorRate`]), so that the scoring loop and the reports
//! carry them beside BLEU (`score --glossary` adds `TermAcc`). The evaluation itself (occurrences, typed errors, consistency, the
//! corpus-level records) is [`crate::terms`].

use crate::error::Result;
use crate::glossary::{name_tokens, Glossary};
use crate::metrics::{SegmentMetric, VERSION};
use crate::terms::{name_check, NameStats, TermEvaluator, TermOptions, TermStats};

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
