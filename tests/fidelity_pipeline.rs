//! The whole pipeline (reader -> evaluate -> system sums) against the reference implementations'
//! system scores, for every metric in `../shared/oracle/*/systems.csv`, on both WMT22 sets
//! (ru-en: 5 systems, one reference, with document ids; de-en: 4 systems, two references).

mod common;

use std::path::PathBuf;

use mtharness::corpus::{load, LoadSpec};
use mtharness::eval::{evaluate, EvalOptions};
use mtharness::metrics::{build_metrics, MetricOptions};

#[test]
fn every_system_score_matches_the_oracle_through_the_pipeline() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let names: Vec<String> = ["bleu", "chrf", "chrf++", "ter", "wer", "cer"]
        .map(String::from)
        .to_vec();
    for corpus in common::CORPORA {
        let dir = shared.join("corpora").join(corpus);
        let set = common::load_set(&shared, corpus);
        let spec = LoadSpec {
            refs: set
                .refs
                .iter()
                .map(|(n, _)| dir.join(format!("ref.{n}.en")))
                .collect(),
            hyps: set
                .systems
                .iter()
                .map(|(n, _)| dir.join(format!("hyp.{n}.en")))
                .collect::<Vec<PathBuf>>(),
            docids: Some(dir.join("docids")).filter(|p| p.exists()),
            ..LoadSpec::default()
        };
        let c = load(&spec).unwrap();
        let metrics = build_metrics(&names, &MetricOptions::default()).unwrap();
        let ev = evaluate(&c, metrics, &EvalOptions::default()).unwrap();
        let mut worst = 0.0f64;
        for (s, sys) in ev.systems.iter().enumerate() {
            for (m, spec) in ev.metrics.iter().enumerate() {
                let ours = ev.system_score(s, m);
                let oracle = common::oracle_system_score(&shared, corpus, &sys.name, &spec.id);
                let d = (ours - oracle).abs();
                worst = worst.max(d);
                assert!(
                    d < 5e-5,
                    "{corpus} {} {}: ours {ours:.10}, oracle {oracle:.10}",
                    sys.name,
                    spec.id
                );
            }
        }
        eprintln!(
            "{corpus}: {} systems x {} metrics, max |diff| {worst:.2e}",
            ev.systems.len(),
            ev.metrics.len()
        );
    }
}
