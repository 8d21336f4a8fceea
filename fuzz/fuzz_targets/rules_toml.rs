//! Rule files through `rules::load_rules` (the RULES.toml of `rules apply` and `rules test`),
//! then the rules are applied to text from the input: segment by segment (`RuleSet::apply`),
//! to a corpus (`apply_corpus`, both delete modes), their examples checked, and, for small
//! inputs, `rules test` run on a one-document corpus.
//!
//! Input: parts separated by 0xFF: the TOML file, MT text, reference text (segments are lines).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mtharness::corpus::{Corpus, Document};
use mtharness::rules::{load_rules, max_growth, test_rules, DeleteMode, Outcome, TestOptions};
use mtharness_fuzz::{parts, text, Scratch, SCORE_MAX_BYTES};

/// Paired bootstrap resamples in `rules test` here (the CLI's 1000 would only cost time).
const BOOTSTRAP_SAMPLES: usize = 20;

fuzz_target!(|data: &[u8]| {
    let p = parts(data);
    let get = |i: usize| text(p.get(i).copied().unwrap_or_default());
    let dir = Scratch::new("rules_toml");
    let path = dir.write("rules.toml", p[0]);
    let Ok(rules) = load_rules(&path) else {
        return;
    };
    let (mt, reference) = (get(1), get(2));
    let mut fired = Vec::new();
    for seg in mt.lines() {
        fired.clear();
        if let Ok(Outcome::Kept(out)) = rules.apply(seg, &mut fired) {
            assert!(
                out.len() <= max_growth(seg.len()),
                "{} bytes grew to {}",
                seg.len(),
                out.len()
            );
        }
        assert!(fired
            .iter()
            .all(|f| f.rule < rules.rules.len() && f.count > 0));
    }
    let _ = rules.check_examples();
    let h: Vec<String> = mt.lines().map(str::to_string).collect();
    let r: Vec<String> = reference.lines().map(str::to_string).collect();
    let corpus = Corpus {
        name: "fuzz".into(),
        ref_names: vec!["A".into()],
        system_names: vec!["S".into()],
        documents: vec![Document {
            id: "d".into(),
            source: None,
            lines: (1..=r.len()).collect(),
            refs: vec![r],
            hyps: vec![h],
        }],
    };
    for mode in [DeleteMode::Blank, DeleteMode::Remove] {
        if let Ok((after, hits)) = rules.apply_corpus(&corpus, mode) {
            assert_eq!(after.documents.len(), 1);
            let (before_n, after_n) = (
                corpus.documents[0].hyps[0].len(),
                after.documents[0].hyps[0].len(),
            );
            match mode {
                DeleteMode::Blank => assert_eq!(before_n, after_n),
                DeleteMode::Remove => assert!(after_n <= before_n),
            }
            assert!(hits.iter().all(|h| h.count > 0));
        }
    }
    if data.len() <= SCORE_MAX_BYTES {
        let opts = TestOptions {
            bootstrap_samples: BOOTSTRAP_SAMPLES,
            ..TestOptions::default()
        };
        let _ = test_rules(&rules, &corpus, &opts);
    }
});
