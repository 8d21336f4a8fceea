//! Helpers shared by the fuzz targets in `fuzz_targets/`: splitting one fuzz input into several
//! files, a per-process scratch folder, and cheap invariants of what the readers return.
//!
//! Every target calls the library entry points the CLI calls. An `Err` is a correct answer to
//! bad input; only a panic, an abort, a timeout or running out of memory is a finding.

use std::fs;
use std::path::{Path, PathBuf};

use mtharness::corpus::{Corpus, Limits};
use mtharness::eval::{evaluate, EvalOptions};
use mtharness::metrics::{build_metrics, MetricOptions, DEFAULT_METRICS};

/// Separates the parts of one fuzz input (files, texts). 0xFF never occurs in UTF-8, so every
/// part can still be any valid UTF-8 text (and any other invalid byte is still tried).
pub const SEP: u8 = 0xFF;

/// Inputs up to this many bytes are also scored the way `mtharness score` scores them (all
/// default metrics, aligning where segment counts differ). Larger ones are only parsed, so a
/// single execution stays well under the 10 s timeout of `run.sh`.
pub const SCORE_MAX_BYTES: usize = 4096;

/// The parts of `data` between [`SEP`] bytes (at least one, possibly empty).
pub fn parts(data: &[u8]) -> Vec<&[u8]> {
    data.split(|&b| b == SEP).collect()
}

/// The first byte of `data` as option flags, and the rest (`(0, data)` when empty).
pub fn flags(data: &[u8]) -> (u8, &[u8]) {
    match data.split_first() {
        Some((&f, rest)) => (f, rest),
        None => (0, data),
    }
}

/// Limits for [`mtharness::corpus::LoadSpec::limits`]: the defaults, or (when `small`) tiny
/// ones, so that the limit checks and their messages run too.
pub fn limits(small: bool) -> Limits {
    if small {
        Limits {
            max_line_bytes: 64,
            max_doc_segments: 4,
        }
    } else {
        Limits::default()
    }
}

/// A scratch folder of this process under the system temp folder, emptied when made and
/// removed on drop. libFuzzer runs one input at a time per process, so the process id makes
/// it private (the tests' `tempfile` crate is not a dependency here).
pub struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    pub fn new(target: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("mtharness-fuzz-{target}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("scratch folder");
        Scratch { dir }
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Writes `bytes` to `name` inside the scratch folder and returns its path.
    pub fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.dir.join(name);
        fs::write(&p, bytes).expect("scratch file");
        p
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Invariants of every corpus a reader returns: a document id, as many line numbers as
/// reference segments, reference sets of equal length, one segment list per named system, and
/// (for the line-aligned formats) every system as long as the references.
pub fn check_corpus(c: &Corpus, line_aligned: bool) {
    for d in &c.documents {
        assert_eq!(
            d.refs.len(),
            c.ref_names.len(),
            "reference sets of {:?}",
            d.id
        );
        assert_eq!(d.hyps.len(), c.system_names.len(), "systems of {:?}", d.id);
        let n = d.num_segments();
        assert!(
            d.refs.iter().all(|r| r.len() == n),
            "reference lengths of {:?}",
            d.id
        );
        assert_eq!(d.lines.len(), n, "line numbers of {:?}", d.id);
        if let Some(src) = &d.source {
            if line_aligned {
                assert_eq!(src.len(), n, "source length of {:?}", d.id);
            }
        }
        if line_aligned {
            assert!(
                d.is_line_aligned(),
                "document {:?} is not line-aligned",
                d.id
            );
        }
    }
}

/// Scores a small corpus as `mtharness score` does (default metrics and options, which align
/// documents whose segment counts differ); errors are fine, panics are findings.
pub fn score_if_small(c: &Corpus, input_len: usize) {
    if input_len > SCORE_MAX_BYTES {
        return;
    }
    let names: Vec<String> = DEFAULT_METRICS.iter().map(|s| s.to_string()).collect();
    let metrics = build_metrics(&names, &MetricOptions::default()).expect("default metrics");
    if let Ok(ev) = evaluate(c, metrics, &EvalOptions::default()) {
        for s in 0..ev.systems.len() {
            for m in 0..ev.metrics.len() {
                let _ = ev.system_score(s, m);
            }
        }
    }
}

/// Uses a glossary a reader returned the way `mtharness terms` and the `TermAcc` metric do:
/// builds the matchers, scores `hyp` against `reference` (and `source`) as one unit and as a
/// one-document corpus (segments are lines), and checks that the term accuracy is a percentage.
pub fn exercise_glossary(
    g: mtharness::glossary::Glossary,
    hyp: &str,
    reference: &str,
    source: &str,
) {
    use mtharness::metrics::TermAccuracy;
    use mtharness::terms::{Pairing, TermEvaluator, TermOptions};
    use mtharness::SegmentMetric;

    let Ok(ev) = TermEvaluator::new(g.clone(), TermOptions::default()) else {
        return;
    };
    let _ = ev.unit(hyp, &[reference], Some(source));
    let _ = ev.unit(hyp, &[], None);
    let lines = |s: &str| s.lines().map(str::to_string).collect::<Vec<_>>();
    let (h, r) = (lines(hyp), lines(reference));
    let corpus = Corpus {
        name: "fuzz".into(),
        ref_names: vec!["A".into()],
        system_names: vec!["S".into()],
        documents: vec![mtharness::Document {
            id: "d".into(),
            source: None,
            lines: (1..=r.len()).collect(),
            refs: vec![r],
            hyps: vec![h],
        }],
    };
    let _ = ev.corpus(&corpus, Pairing::Auto);
    if let Ok(acc) = TermAccuracy::new(g, TermOptions::default()) {
        let st = acc.segment_stats(hyp, &[reference]);
        assert_eq!(st.len(), acc.stat_names().len());
        let score = acc.corpus_score(&st);
        assert!(
            score.is_finite() && (0.0..=100.0 + 1e-9).contains(&score),
            "term accuracy {score}"
        );
    }
}

/// `bytes` as text: invalid UTF-8 replaced (the readers refuse it; the text-level entry points
/// take `&str`).
pub fn text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}
