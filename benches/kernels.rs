//! Edit-distance kernels against strsim, by length 8..4096: code-point Levenshtein
//! (`char_levenshtein` vs `strsim::levenshtein`) and token Levenshtein on `u32` ids
//! (`levenshtein` vs `strsim::generic_levenshtein`). Inputs are a seeded random text and a
//! noisy copy of it (about 15% of positions edited), like MT against a reference. Each size is
//! checked once against strsim before it is timed, so a fast wrong kernel cannot win.
//! Throughput is in elements (characters or tokens) of the first input.
//!
//! `wmt22_pairs`: `char_levenshtein` over all 2,016 WMT22 ru-en (reference A, Online-B) line
//! pairs, when `../shared` (or `$MTHARNESS_SHARED`) has them (skipped otherwise); throughput in
//! pairs, comparable with rapidfuzz `Levenshtein.distance` timed over the same pairs from Python.
//! The summed distance is checked against strsim first.

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use mtharness::bench::SplitMix64;
use mtharness::distance::{char_levenshtein, levenshtein};

/// Lengths timed (elements of each input): one 64-bit word, several, and many blocks.
const LENGTHS: [usize; 5] = [8, 64, 256, 1024, 4096];
/// Fraction of positions of the copy that are edited (substitution, deletion or insertion).
const NOISE: f64 = 0.15;

fn noisy<T: Copy>(
    rng: &mut SplitMix64,
    a: &[T],
    fresh: &mut impl FnMut(&mut SplitMix64) -> T,
) -> Vec<T> {
    let mut out = Vec::with_capacity(a.len() + a.len() / 8);
    for &x in a {
        let u = rng.unit();
        if u < NOISE / 3.0 {
            continue;
        } else if u < 2.0 * NOISE / 3.0 {
            out.push(fresh(rng));
        } else if u < NOISE {
            out.push(x);
            out.push(fresh(rng));
        } else {
            out.push(x);
        }
    }
    out
}

fn chars(c: &mut Criterion) {
    let mut g = c.benchmark_group("char_levenshtein");
    let mut rng = SplitMix64(42);
    // letters, a few accented and Cyrillic ones, spaces: mixed ASCII and multi-byte text
    const ALPHABET: &[char] = &[
        'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'k', 'l', 'm', 'n', 'o', 'r', 's', 't', 'u',
        ' ', ' ', ' ', 'é', 'ж', 'я',
    ];
    let mut fresh = |r: &mut SplitMix64| ALPHABET[r.below(ALPHABET.len())];
    for &n in &LENGTHS {
        let a: Vec<char> = (0..n).map(|_| fresh(&mut rng)).collect();
        let b = noisy(&mut rng, &a, &mut fresh);
        let (a, b): (String, String) = (a.into_iter().collect(), b.into_iter().collect());
        assert_eq!(
            char_levenshtein(&a, &b),
            strsim::levenshtein(&a, &b),
            "n={n}"
        );
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(
            BenchmarkId::new("mtharness", n),
            &(&a, &b),
            |bch, (a, b)| bch.iter(|| char_levenshtein(a, b)),
        );
        g.bench_with_input(BenchmarkId::new("strsim", n), &(&a, &b), |bch, (a, b)| {
            bch.iter(|| strsim::levenshtein(a, b))
        });
    }
    g.finish();
}

fn tokens(c: &mut Criterion) {
    let mut g = c.benchmark_group("token_levenshtein");
    let mut rng = SplitMix64(7);
    // a vocabulary of 5,000 ids, as words interned for WER
    let mut fresh = |r: &mut SplitMix64| r.below(5_000) as u32;
    for &n in &LENGTHS {
        let a: Vec<u32> = (0..n).map(|_| fresh(&mut rng)).collect();
        let b = noisy(&mut rng, &a, &mut fresh);
        assert_eq!(
            levenshtein(&a, &b),
            strsim::generic_levenshtein(&a, &b),
            "n={n}"
        );
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(
            BenchmarkId::new("mtharness", n),
            &(&a, &b),
            |bch, (a, b)| bch.iter(|| levenshtein(a, b)),
        );
        g.bench_with_input(BenchmarkId::new("strsim", n), &(&a, &b), |bch, (a, b)| {
            bch.iter(|| strsim::generic_levenshtein(*a, *b))
        });
    }
    g.finish();
}

/// Reference A and Online-B lines of WMT22 ru-en, paired, or `None` when the data is absent.
fn wmt22_pairs() -> Option<Vec<(String, String)>> {
    let read = common::ru_en_lines;
    let (refs, hyps) = (read("ref.A.en")?, read("hyp.Online-B.en")?);
    Some(refs.into_iter().zip(hyps).collect())
}

fn pairs(c: &mut Criterion) {
    let Some(pairs) = wmt22_pairs() else {
        eprintln!("wmt22-ru-en not found: wmt22_pairs skipped");
        return;
    };
    let total: usize = pairs.iter().map(|(a, b)| char_levenshtein(a, b)).sum();
    let want: usize = pairs.iter().map(|(a, b)| strsim::levenshtein(a, b)).sum();
    assert_eq!(total, want, "summed distance differs from strsim");
    let mut g = c.benchmark_group("wmt22_pairs");
    g.throughput(Throughput::Elements(pairs.len() as u64));
    g.bench_function("mtharness", |bch| {
        bch.iter(|| {
            pairs
                .iter()
                .map(|(a, b)| char_levenshtein(a, b))
                .sum::<usize>()
        })
    });
    g.bench_function("strsim", |bch| {
        bch.iter(|| {
            pairs
                .iter()
                .map(|(a, b)| strsim::levenshtein(a, b))
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, pairs, chars, tokens);
criterion_main!(benches);
