//! Segment statistics of BLEU, chrF, chrF++ and TER (sacreBLEU-faithful), one hypothesis and
//! one reference at a time, on the WMT22 ru-en reference and Online-B lines when `../shared`
//! (or `$MTHARNESS_SHARED`) exists, else on a synthetic corpus. Throughput is in bytes of
//! hypothesis plus reference. Before timing, the corpus score from the summed statistics is
//! checked against the system score of a full `evaluate` run, so a wrong fast path fails here.

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use mtharness::bench::synthetic_corpus;
use mtharness::eval::{evaluate, EvalOptions};
use mtharness::metrics::{add_stats, build_metrics, MetricOptions};
use mtharness::Corpus;

/// Segments timed per iteration (the first ones of the corpus).
const SEGMENTS: usize = 500;

fn load() -> Corpus {
    let dir = common::ru_en_dir();
    let spec = mtharness::corpus::LoadSpec {
        refs: vec![dir.join("ref.A.en")],
        hyps: vec![dir.join("hyp.Online-B.en")],
        ..Default::default()
    };
    match mtharness::corpus::load(&spec) {
        Ok(c) => c,
        Err(_) => {
            eprintln!("../shared not found: synthetic corpus");
            synthetic_corpus(SEGMENTS, 1, 1)
        }
    }
}

fn metrics(c: &mut Criterion) {
    let corpus = load();
    let pairs: Vec<(String, String)> = corpus
        .documents
        .iter()
        .flat_map(|d| d.hyps[0].iter().cloned().zip(d.refs[0].iter().cloned()))
        .take(SEGMENTS)
        .collect();
    let bytes: usize = pairs.iter().map(|(h, r)| h.len() + r.len()).sum();
    let small = Corpus {
        documents: vec![mtharness::Document {
            id: "bench".into(),
            source: None,
            refs: vec![pairs.iter().map(|p| p.1.clone()).collect()],
            hyps: vec![pairs.iter().map(|p| p.0.clone()).collect()],
            lines: (1..=pairs.len()).collect(),
        }],
        ..corpus.clone()
    };
    let mut g = c.benchmark_group("segment_stats");
    g.throughput(Throughput::Bytes(bytes as u64));
    for name in ["bleu", "chrf", "chrf++", "ter"] {
        let names = vec![name.to_string()];
        let spec = build_metrics(&names, &MetricOptions::default())
            .unwrap()
            .remove(0);
        let m = &spec.metric;
        let run = || {
            let mut sum = vec![0.0; m.stat_names().len()];
            for (h, r) in &pairs {
                add_stats(&mut sum, &m.segment_stats(h, &[r.as_str()]));
            }
            sum
        };
        let ev = evaluate(
            &small,
            build_metrics(&names, &MetricOptions::default()).unwrap(),
            &EvalOptions::default(),
        )
        .unwrap();
        assert_eq!(m.corpus_score(&run()), ev.system_score(0, 0), "{name}");
        g.bench_function(BenchmarkId::new(spec.id.clone(), pairs.len()), |b| {
            b.iter(run)
        });
    }
    g.finish();
}

criterion_group!(benches, metrics);
criterion_main!(benches);
