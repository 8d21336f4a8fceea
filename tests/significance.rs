//! Significance tests (bootstrap CI, paired bootstrap, paired approximate randomisation):
//! properties on synthetic statistics, determinism across thread counts, and agreement with
//! sacreBLEU 2.6.0's `--paired-bs` / `--paired-ar` output on WMT22 ru-en
//! (`../shared/oracle/wmt22-ru-en/significance.json`).
//!
//! The oracle comparison uses the library's BLEU and chrF (whose own fidelity tests pin them to
//! sacreBLEU's scores).

mod common;

use common::{oracle_test_lines, parse_oracle_table, OracleCell};

use std::sync::atomic::{AtomicUsize, Ordering};

use mtharness::significance::{
    bootstrap_ci, bootstrap_signature, paired_approximate_randomization, paired_bootstrap,
    seed_from_env, Interval, PairedResult, PairedTest, StatsMatrix, DEFAULT_AR_TRIALS,
    DEFAULT_BOOTSTRAP_SAMPLES, DEFAULT_SEED,
};
use mtharness::SegmentMetric;

// ---------------------------------------------------------------------------------------------
// A toy metric for the properties: stats [correct, total], score 100 * correct / total.
// It counts its calls, so tests can check that resampling only scores summed statistics.
// ---------------------------------------------------------------------------------------------

#[derive(Default)]
struct Accuracy {
    segment_calls: AtomicUsize,
    score_calls: AtomicUsize,
}

impl SegmentMetric for Accuracy {
    fn name(&self) -> String {
        "ACC".into()
    }
    fn stat_names(&self) -> Vec<String> {
        vec!["correct".into(), "total".into()]
    }
    fn segment_stats(&self, hyp: &str, refs: &[&str]) -> Vec<f64> {
        self.segment_calls.fetch_add(1, Ordering::Relaxed);
        let ok = refs.contains(&hyp);
        vec![f64::from(u8::from(ok)), 1.0]
    }
    fn corpus_score(&self, stats: &[f64]) -> f64 {
        self.score_calls.fetch_add(1, Ordering::Relaxed);
        if stats[1] > 0.0 {
            100.0 * stats[0] / stats[1]
        } else {
            0.0
        }
    }
    fn signature(&self, nrefs: usize) -> String {
        format!("nrefs:{nrefs}|version:test")
    }
    fn higher_is_better(&self) -> bool {
        true
    }
}

/// A deterministic pseudo-random stream for synthetic data (64-bit LCG, Knuth MMIX constants).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    /// 1 with probability `percent`%.
    fn hit(&mut self, percent: u64) -> f64 {
        if self.next() % 100 < percent {
            1.0
        } else {
            0.0
        }
    }
}

/// `n` segments of [correct, 1] with `percent`% correct.
fn accuracy_stats(n: usize, percent: u64, seed: u64) -> StatsMatrix {
    let mut rng = Lcg(seed);
    let rows: Vec<[f64; 2]> = (0..n).map(|_| [rng.hit(percent), 1.0]).collect();
    StatsMatrix::from_rows(2, &rows).unwrap()
}

fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(f)
}

#[test]
fn defaults_are_sacrebleus() {
    assert_eq!(DEFAULT_BOOTSTRAP_SAMPLES, 1000);
    assert_eq!(DEFAULT_AR_TRIALS, 10_000);
    assert_eq!(DEFAULT_SEED, 12345);
    if std::env::var_os("SACREBLEU_SEED").is_none() {
        assert_eq!(seed_from_env().unwrap(), Some(12345));
    }
}

#[test]
fn system_against_itself_gets_the_smallest_p_value() {
    // sacreBLEU (and multeval) count statistics strictly greater than the observed delta; with
    // identical systems every statistic and the delta are exactly 0, so p = 1 / (N + 1).
    // Faithful, though it reads as "significant": see multeval issue #5.
    let m = Accuracy::default();
    let a = accuracy_stats(500, 60, 1);
    let ar = paired_approximate_randomization(&m, &a, &a, 200, None, Some(7)).unwrap();
    assert_eq!(ar.delta, 0.0);
    assert_eq!(ar.count_greater, 0);
    assert_eq!(ar.p_value, 1.0 / 201.0);
    assert!(ar.baseline.is_none() && ar.system.is_none());
    let bs = paired_bootstrap(&m, &a, &a, 100, Some(7)).unwrap();
    assert_eq!(bs.count_greater, 0);
    assert_eq!(bs.p_value, 1.0 / 101.0);
    assert_eq!(bs.baseline, bs.system);
}

#[test]
fn a_permuted_system_is_not_significant() {
    // Same rows in another order: equal corpus scores (delta 0 up to summation order), but the
    // per-segment statistics differ, so the resampled statistics spread around it.
    let m = Accuracy::default();
    let a = accuracy_stats(400, 50, 2);
    let rows: Vec<Vec<f64>> = (0..a.len())
        .rev()
        .map(|i| a.row(i).unwrap().to_vec())
        .collect();
    let b = StatsMatrix::from_rows(2, &rows).unwrap();
    let ar = paired_approximate_randomization(&m, &a, &b, 500, None, Some(3)).unwrap();
    assert_eq!(ar.delta, 0.0);
    assert!(ar.p_value > 0.5, "{ar:?}");
    assert!(!ar.significant);
    let bs = paired_bootstrap(&m, &a, &b, 500, Some(3)).unwrap();
    assert!(bs.p_value > 0.2, "{bs:?}");
    assert!(!bs.significant);
}

#[test]
fn a_clearly_better_system_is_significant() {
    let m = Accuracy::default();
    let a = accuracy_stats(1000, 40, 4);
    let b = accuracy_stats(1000, 60, 5);
    let bs = paired_bootstrap(&m, &a, &b, 300, Some(1)).unwrap();
    assert_eq!(bs.test, PairedTest::Bootstrap);
    assert_eq!(bs.p_value, 1.0 / 301.0);
    assert!(bs.significant);
    assert_eq!(bs.p_value_cell(), "(p = 0.0033)*");
    let ar = paired_approximate_randomization(&m, &a, &b, 300, Some(100), Some(1)).unwrap();
    assert_eq!(ar.p_value, 1.0 / 301.0);
    assert!(ar.significant);
    // The actual scores, and intervals that contain them.
    let sa = m.corpus_score(&a.totals());
    let sb = m.corpus_score(&b.totals());
    for r in [&bs, &ar] {
        assert_eq!((r.baseline_score, r.system_score), (sa, sb));
        assert_eq!(r.delta, (sb - sa).abs());
        let (bi, si) = (r.baseline.unwrap(), r.system.unwrap());
        assert!(bi.lower <= sa && sa <= bi.upper, "{bi:?}");
        assert!(si.lower <= sb && sb <= si.upper, "{si:?}");
        // Binomial: sd of a 1000-segment accuracy near 50% is about 1.55 points.
        assert!(si.half_width > 2.0 && si.half_width < 4.5, "{si:?}");
    }
}

#[test]
fn identical_segments_give_zero_width_intervals() {
    let m = Accuracy::default();
    let rows = vec![[1.0, 2.0]; 300];
    let a = StatsMatrix::from_rows(2, &rows).unwrap();
    let iv = bootstrap_ci(&m, &a, 200, Some(9)).unwrap();
    assert_eq!(iv.score, 50.0);
    assert_eq!((iv.lower, iv.upper, iv.half_width), (50.0, 50.0, 0.0));
    assert!((iv.mean - 50.0).abs() < 1e-9);
    assert_eq!(iv.n_samples, 200);
    assert_eq!(iv.confidence_string(4), "μ = 50.0000 ± 0.0000");
    assert_eq!(iv.table_cell(2), "50.00 (50.00 ± 0.00)");
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let m = Accuracy::default();
    let a = accuracy_stats(3000, 45, 11);
    let b = accuracy_stats(3000, 47, 12);
    let run = || {
        let bs = paired_bootstrap(&m, &a, &b, 257, Some(42)).unwrap();
        let ar = paired_approximate_randomization(&m, &a, &b, 513, Some(129), Some(42)).unwrap();
        let ci = bootstrap_ci(&m, &b, 257, Some(42)).unwrap();
        (bs, ar, ci)
    };
    let one = in_pool(1, run);
    let two = in_pool(2, run);
    let three = in_pool(3, run);
    // Bit-identical: compare the f64 bit patterns through the serialised form too.
    assert_eq!(one, two);
    assert_eq!(one, three);
    assert_eq!(
        serde_json::to_string(&one.0).unwrap(),
        serde_json::to_string(&two.0).unwrap()
    );
    assert_eq!(
        serde_json::to_string(&one.1).unwrap(),
        serde_json::to_string(&two.1).unwrap()
    );
    // The single-system interval is the paired test's system interval (same resamples).
    assert_eq!(Some(one.2), one.0.system);
}

#[test]
fn the_seed_selects_the_resamples() {
    let m = Accuracy::default();
    let a = accuracy_stats(800, 50, 21);
    let x = bootstrap_ci(&m, &a, 100, Some(1)).unwrap();
    let y = bootstrap_ci(&m, &a, 100, Some(1)).unwrap();
    let z = bootstrap_ci(&m, &a, 100, Some(2)).unwrap();
    assert_eq!(x, y);
    assert_ne!(x, z);
    // `None` draws a seed from the OS: still a valid interval.
    let w = bootstrap_ci(&m, &a, 100, None).unwrap();
    assert!(w.lower <= w.upper && w.half_width >= 0.0);
}

#[test]
fn resampling_scores_summed_statistics_only() {
    // Timing-free performance check: no segment statistics are recomputed, and the metric is
    // scored exactly once per resample and system (plus the two actual scores).
    let m = Accuracy::default();
    let a = accuracy_stats(200, 50, 31);
    let b = accuracy_stats(200, 55, 32);
    paired_bootstrap(&m, &a, &b, 100, Some(5)).unwrap();
    assert_eq!(m.segment_calls.load(Ordering::Relaxed), 0);
    assert_eq!(m.score_calls.load(Ordering::Relaxed), 2 + 2 * 100);
    m.score_calls.store(0, Ordering::Relaxed);
    paired_approximate_randomization(&m, &a, &b, 150, None, Some(5)).unwrap();
    assert_eq!(m.score_calls.load(Ordering::Relaxed), 2 + 2 * 150);
}

#[test]
fn bad_inputs_are_errors_not_panics() {
    let m = Accuracy::default();
    let a = accuracy_stats(10, 50, 1);
    let short = accuracy_stats(9, 50, 1);
    let wide = StatsMatrix::from_rows(3, &[[1.0, 1.0, 1.0]]).unwrap();
    let empty = StatsMatrix::new(2).unwrap();
    assert!(paired_bootstrap(&m, &a, &short, 10, Some(1)).is_err());
    assert!(paired_approximate_randomization(&m, &a, &short, 10, None, Some(1)).is_err());
    assert!(bootstrap_ci(&m, &wide, 10, Some(1)).is_err());
    assert!(bootstrap_ci(&m, &empty, 10, Some(1)).is_err());
    assert!(bootstrap_ci(&m, &a, 0, Some(1)).is_err());
    assert!(paired_approximate_randomization(&m, &a, &a, 10, Some(0), Some(1)).is_err());
    assert!(StatsMatrix::new(0).is_err());
    assert!(StatsMatrix::from_flat(vec![1.0; 5], 2).is_err());
    assert!(StatsMatrix::from_rows(2, &[vec![1.0]]).is_err());
    let e = paired_bootstrap(&m, &a, &short, 10, Some(1)).unwrap_err();
    assert!(e.to_string().contains("10 segments"), "{e}");
}

#[test]
fn signatures_carry_the_test_fields() {
    let m = Accuracy::default();
    let a = accuracy_stats(50, 50, 1);
    let b = accuracy_stats(50, 50, 2);
    let sig = "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0";
    let bs = paired_bootstrap(&m, &a, &b, 1000, Some(12345)).unwrap();
    assert_eq!(
        bs.signature(sig),
        "nrefs:1|bs:1000|seed:12345|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0"
    );
    let ar = paired_approximate_randomization(&m, &a, &b, 100, None, Some(12345)).unwrap();
    assert_eq!(
        ar.signature(sig),
        "nrefs:1|ar:100|seed:12345|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0"
    );
    let ar = paired_approximate_randomization(&m, &a, &b, 100, Some(10), None).unwrap();
    assert!(ar
        .signature(sig)
        .starts_with("nrefs:1|bs:10|ar:100|seed:none|case"));
    assert_eq!(
        bootstrap_signature(sig, 1000, Some(12345)),
        bs.signature(sig)
    );
    let json = serde_json::to_value(&bs).unwrap();
    assert_eq!(json["test"], "bs");
    assert_eq!(json["seed"], 12345);
    assert!(json["baseline"]["half_width"].is_number());
}

// ---------------------------------------------------------------------------------------------
// Release-mode timing (run: cargo test --release --test significance -- --ignored --nocapture)
// ---------------------------------------------------------------------------------------------

/// A BLEU-shaped metric (10 stats) whose score needs all of them: cheap, like BLEU's.
struct TenStats;
impl SegmentMetric for TenStats {
    fn name(&self) -> String {
        "TEN".into()
    }
    fn stat_names(&self) -> Vec<String> {
        (0..10).map(|i| format!("s{i}")).collect()
    }
    fn segment_stats(&self, _: &str, _: &[&str]) -> Vec<f64> {
        vec![0.0; 10]
    }
    fn corpus_score(&self, s: &[f64]) -> f64 {
        let logs: f64 = (0..4)
            .map(|n| (s[2 + n] / s[6 + n].max(1.0)).max(1e-9).ln())
            .sum();
        100.0 * (logs / 4.0).exp() * (1.0 - s[1] / s[0].max(1.0)).min(0.0).exp()
    }
    fn signature(&self, _: usize) -> String {
        String::new()
    }
    fn higher_is_better(&self) -> bool {
        true
    }
}

fn ten_stats(n: usize, quality: u64, seed: u64) -> StatsMatrix {
    let mut rng = Lcg(seed);
    let mut data = Vec::with_capacity(n * 10);
    for _ in 0..n {
        let len = 10 + rng.next() % 30;
        data.push(len as f64);
        data.push((len + rng.next() % 5) as f64);
        let totals: Vec<u64> = (0..4).map(|k| len.saturating_sub(k)).collect();
        for t in &totals {
            data.push((t * (quality + rng.next() % 20) / 100) as f64);
        }
        for t in totals {
            data.push(t as f64);
        }
    }
    StatsMatrix::from_flat(data, 10).unwrap()
}

/// CPU seconds used by this process so far (all threads), from `/proc/self/stat` (Linux; 0
/// elsewhere). The machine may be shared, so wall time alone overstates the cost.
fn cpu_seconds() -> f64 {
    const CLOCK_TICKS: f64 = 100.0; // USER_HZ on Linux
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<f64> = rest
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    (f.get(11).copied().unwrap_or(0.0) + f.get(12).copied().unwrap_or(0.0)) / CLOCK_TICKS
}

#[test]
#[ignore = "timing: run in release with --ignored --nocapture"]
fn timing_paired_bootstrap_200k_segments() {
    let n = 200_000;
    let a = ten_stats(n, 40, 1);
    let b = ten_stats(n, 42, 2);
    let (t, c) = (std::time::Instant::now(), cpu_seconds());
    let r = paired_bootstrap(
        &TenStats,
        &a,
        &b,
        DEFAULT_BOOTSTRAP_SAMPLES,
        Some(DEFAULT_SEED),
    )
    .unwrap();
    let (bs_time, bs_cpu) = (t.elapsed(), cpu_seconds() - c);
    let (t, c) = (std::time::Instant::now(), cpu_seconds());
    let ar = paired_approximate_randomization(&TenStats, &a, &b, 1000, None, Some(DEFAULT_SEED))
        .unwrap();
    let (ar_time, ar_cpu) = (t.elapsed(), cpu_seconds() - c);
    println!(
        "paired bootstrap, {} resamples x {n} segments x 10 stats: {bs_time:.2?} wall, \
         {bs_cpu:.2} s CPU, {} threads",
        DEFAULT_BOOTSTRAP_SAMPLES,
        rayon::current_num_threads()
    );
    println!(
        "approximate randomisation, 1000 trials x {n} segments: {ar_time:.2?} wall, {ar_cpu:.2} s CPU"
    );
    println!("{r:?}");
    assert!(r.significant && ar.significant);
    let (bi, si) = (r.baseline.unwrap(), r.system.unwrap());
    assert!(bi.lower <= r.baseline_score && r.baseline_score <= bi.upper);
    assert!(si.lower <= r.system_score && r.system_score <= si.upper);
}

// ---------------------------------------------------------------------------------------------
// sacreBLEU oracle: wmt22-ru-en --paired-bs and --paired-ar for BLEU and chrF
// ---------------------------------------------------------------------------------------------

#[test]
fn oracle_table_parses() {
    let lines: Vec<String> = [
        "╒══╕",
        "│ System │ BLEU (μ ± 95% CI) │ chrF2 (μ ± 95% CI) │",
        "│ Baseline: hyp.A.en │ 30.3298 (30.3134 ± 0.9126) │ 57.8920 (57.8891 ± 0.6905) │",
        "│ hyp.B.en │ 45.0805 (45.0646 ± 1.0216) │ 68.4911 (68.4898 ± 0.6780) │",
        "│ │ (p = 0.0010)* │ (p = 0.0832) │",
        "╘══╛",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let (header, rows) = parse_oracle_table(&lines);
    assert_eq!(header, ["BLEU", "chrF2"]);
    assert_eq!(rows[0].system, "A");
    assert_eq!(rows[0].cells[0].ci, Some((30.3134, 0.9126)));
    assert_eq!(rows[1].cells[1].p_value, Some(0.0832));
    assert!(rows[1].cells[0].starred && !rows[1].cells[1].starred);
}

/// The metrics the oracle comparison runs, in the oracle's column order.
fn oracle_metrics() -> Vec<Box<dyn SegmentMetric>> {
    vec![
        Box::new(mtharness::metrics::Bleu::default()),
        Box::new(mtharness::metrics::Chrf::default()),
    ]
}

/// Segment statistics of every system of wmt22-ru-en, by metric: `[metric][system]`.
fn oracle_stats(set: &common::WmtSet, metrics: &[Box<dyn SegmentMetric>]) -> Vec<Vec<StatsMatrix>> {
    let refs = &set.refs[0].1;
    metrics
        .iter()
        .map(|m| {
            set.systems
                .iter()
                .map(|(_, hyps)| {
                    let mut s = StatsMatrix::new(m.stat_names().len()).unwrap();
                    for (h, r) in hyps.iter().zip(refs) {
                        s.push(&m.segment_stats(h, &[r.as_str()])).unwrap();
                    }
                    s
                })
                .collect()
        })
        .collect()
}

/// sacreBLEU prints 4 decimals; the same resamples (numpy's generator, reimplemented) give the
/// same means, half-widths and p-values, so they agree to half a unit of the last digit.
const CI_TOLERANCE: f64 = 5e-5;

fn check_interval(what: &str, ours: Interval, oracle: &OracleCell, worst: &mut f64) {
    let (mean, half) = oracle
        .ci
        .unwrap_or_else(|| panic!("{what}: oracle has no CI"));
    assert!(
        (ours.score - oracle.score).abs() < 5e-5,
        "{what}: score {ours:?} vs {oracle:?}"
    );
    let d = (ours.mean - mean).abs().max((ours.half_width - half).abs());
    *worst = worst.max(d);
    assert!(d <= CI_TOLERANCE, "{what}: {ours:?} vs oracle {oracle:?}");
}

fn check_p(what: &str, ours: &PairedResult, oracle: &OracleCell) {
    let p = oracle
        .p_value
        .unwrap_or_else(|| panic!("{what}: oracle has no p-value"));
    assert_eq!(
        ours.significant, oracle.starred,
        "{what}: {ours:?} vs {oracle:?}"
    );
    assert!(
        (ours.p_value - p).abs() <= CI_TOLERANCE,
        "{what}: {ours:?} vs {oracle:?}"
    );
    assert!(
        (ours.system_score - oracle.score).abs() < 5e-5,
        "{what}: {ours:?} vs {oracle:?}"
    );
}

#[test]
fn paired_tests_agree_with_sacrebleu_on_wmt22_ru_en() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let set = common::load_set(&shared, "wmt22-ru-en");
    let metrics = oracle_metrics();
    let stats = oracle_stats(&set, &metrics);
    let (bs_header, bs_rows) = parse_oracle_table(&oracle_test_lines(&shared, "paired-bs"));
    let (ar_header, ar_rows) = parse_oracle_table(&oracle_test_lines(&shared, "paired-ar"));
    assert_eq!(bs_header, ["BLEU", "chrF2"]);
    assert_eq!(ar_header, bs_header);
    let names: Vec<&str> = set.systems.iter().map(|(n, _)| n.as_str()).collect();
    let oracle_names: Vec<&str> = bs_rows.iter().map(|r| r.system.as_str()).collect();
    assert_eq!(
        names, oracle_names,
        "baseline = first system alphabetically"
    );

    let mut worst = 0.0f64;
    for (mi, metric) in metrics.iter().enumerate() {
        let base = &stats[mi][0];
        for (si, sys) in stats[mi].iter().enumerate().skip(1) {
            let what = format!("{} {}", metric.name(), names[si]);
            let bs = paired_bootstrap(
                metric.as_ref(),
                base,
                sys,
                DEFAULT_BOOTSTRAP_SAMPLES,
                Some(DEFAULT_SEED),
            )
            .unwrap();
            check_interval(
                &format!("{what} baseline"),
                bs.baseline.unwrap(),
                &bs_rows[0].cells[mi],
                &mut worst,
            );
            check_interval(
                &what,
                bs.system.unwrap(),
                &bs_rows[si].cells[mi],
                &mut worst,
            );
            check_p(&format!("{what} bs"), &bs, &bs_rows[si].cells[mi]);
            let ar = paired_approximate_randomization(
                metric.as_ref(),
                base,
                sys,
                DEFAULT_AR_TRIALS,
                None,
                Some(DEFAULT_SEED),
            )
            .unwrap();
            check_p(&format!("{what} ar"), &ar, &ar_rows[si].cells[mi]);
            assert!((ar.baseline_score - ar_rows[0].cells[mi].score).abs() < 5e-5);
        }
    }
    eprintln!("max |mean or half-width - sacreBLEU| = {worst:.4}");
}
