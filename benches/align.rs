//! Sentence aligner on synthetic documents of 100, 1,000 and 10,000 sentences, made from the
//! WMT22 ru-en reference and MT sentences with merges, comma splits, drops and insertions.
//! Each size is checked once against its gold beads (bead F1 >= 0.95) before it is timed, so a
//! fast wrong kernel cannot win. Needs `../shared` (or `$MTHARNESS_SHARED`); skips without it.

mod common;

use std::ops::Range;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use mtharness::align::{Aligner, Bead};
use mtharness::bench::SplitMix64;

type Gold = Vec<(Range<usize>, Range<usize>)>;

/// Reference and MT lines of ru-en: (refs, systems).
fn load() -> Option<(Vec<String>, Vec<Vec<String>>)> {
    let read = common::ru_en_lines;
    let refs = read("ref.A.en")?;
    let systems = [
        "ALMAnaCH-Inria",
        "HuaweiTSC",
        "JDExploreAcademy",
        "Lan-Bridge",
        "Online-B",
    ]
    .iter()
    .map(|s| read(&format!("hyp.{s}.en")))
    .collect::<Option<Vec<_>>>()?;
    Some((refs, systems))
}

/// A document of `n` reference sentences (cycling through the corpus, the MT side cycling
/// through the systems) with 5% drops, 8% merges, 8% comma splits and 5% insertions.
fn synthetic(
    refs: &[String],
    systems: &[Vec<String>],
    n: usize,
    seed: u64,
) -> (Vec<String>, Vec<String>, Gold) {
    let mut rng = SplitMix64(seed);
    let len = refs.len();
    let r: Vec<String> = (0..n).map(|i| refs[i % len].clone()).collect();
    let h_orig: Vec<&str> = (0..n)
        .map(|i| systems[(i / len) % systems.len()][i % len].as_str())
        .collect();
    let (mut h, mut gold) = (Vec::new(), Gold::new());
    let mut i = 0;
    while i < n {
        if rng.unit() < 0.05 {
            let j = h.len();
            h.push(refs[(i + len / 2) % len].clone()); // far away in the corpus
            gold.push((i..i, j..j + 1));
        }
        let j = h.len();
        let x = rng.unit();
        let comma = h_orig[i]
            .find(", ")
            .filter(|&p| p > 10 && p + 12 < h_orig[i].len());
        if x < 0.05 {
            gold.push((i..i + 1, j..j));
            i += 1;
        } else if x < 0.13 && i + 1 < n {
            h.push(format!("{} {}", h_orig[i], h_orig[i + 1]));
            gold.push((i..i + 2, j..j + 1));
            i += 2;
        } else if let (true, Some(p)) = (x < 0.21, comma) {
            h.push(h_orig[i][..=p].to_string());
            h.push(h_orig[i][p + 2..].to_string());
            gold.push((i..i + 1, j..j + 2));
            i += 1;
        } else {
            h.push(h_orig[i].to_string());
            gold.push((i..i + 1, j..j + 1));
            i += 1;
        }
    }
    (r, h, gold)
}

/// Bead F1 against gold (skips compare by their non-empty side).
fn f1(pred: &[Bead], gold: &Gold) -> f64 {
    let key = |r: &Range<usize>, h: &Range<usize>| match (r.is_empty(), h.is_empty()) {
        (true, _) => (None, Some(h.clone())),
        (_, true) => (Some(r.clone()), None),
        _ => (Some(r.clone()), Some(h.clone())),
    };
    let gold_keys: std::collections::HashSet<_> = gold.iter().map(|(r, h)| key(r, h)).collect();
    let correct = pred
        .iter()
        .filter(|b| gold_keys.contains(&key(&b.refs, &b.hyps)))
        .count();
    2.0 * correct as f64 / (pred.len() + gold.len()) as f64
}

fn bench_align(c: &mut Criterion) {
    let Some((refs, systems)) = load() else {
        eprintln!("skipping align bench: ../shared/corpora/wmt22-ru-en not found");
        return;
    };
    let aligner = Aligner::new();
    let mut group = c.benchmark_group("align");
    group.sample_size(10);
    for n in [100usize, 1_000, 10_000] {
        let (r, h, gold) = synthetic(&refs, &systems, n, 42 + n as u64);
        let r: Vec<&str> = r.iter().map(String::as_str).collect();
        let h: Vec<&str> = h.iter().map(String::as_str).collect();
        let beads = aligner.align(&r, &h);
        let score = f1(&beads, &gold);
        eprintln!(
            "align {n} sentences: {} beads, bead F1 {score:.4}",
            beads.len()
        );
        assert!(score >= 0.95, "bead F1 {score} < 0.95 at {n} sentences");
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| aligner.align(std::hint::black_box(&r), std::hint::black_box(&h)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_align);
criterion_main!(benches);
