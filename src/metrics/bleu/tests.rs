//! BLEU against hand-computed values and sacreBLEU's formulas, and its kernels against one
//! another and a naive count of string n-grams.

use super::count::{count_bitgrams, count_trie, Scan13a};
use super::*;
use crate::ngram::bitgrams::MAX_TOKENS;
use crate::text::tokenize::for_each_13a_token;
use std::collections::HashMap;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9 * b.abs().max(1.0)
}

#[test]
fn stats_layout_and_clipping() {
    let bleu = Bleu::default();
    // hyp tokens: the the the cat . ; ref: the cat sat . the
    let s = bleu.segment_stats("the the the cat.", &["the cat sat. the"]);
    // unigrams: the x3 (ref max 2) -> 2, cat 1, . 1 => 4 of 5
    // bigrams: "the the" x2 (0), "the cat" 1, "cat ." 0 => 1 of 4
    assert_eq!(s, vec![5.0, 5.0, 4.0, 1.0, 0.0, 0.0, 5.0, 4.0, 3.0, 2.0]);
    assert_eq!(bleu.stat_names().len(), s.len());
}

#[test]
fn multi_reference_max_clip_and_closest_length() {
    let bleu = Bleu::default();
    // "a a a" vs refs "a b" (1 a) and "a a c d e" (2 a): clip by max = 2.
    let s = bleu.segment_stats("a a a", &["a b", "a a c d e"]);
    assert_eq!(s[2], 2.0);
    // hyp 3 tokens: |3-2| = 1, |3-5| = 2 -> 2.
    assert_eq!(s[1], 2.0);
    // Tie: hyp 3, refs of 2 and 4 -> the shorter.
    assert_eq!(closest_ref_len(3, &[4, 2]), 2);
    assert_eq!(closest_ref_len(3, &[2, 4]), 2);
    assert_eq!(closest_ref_len(3, &[]), 0);
    // A bigram seen once in each of two references is still clipped at 1.
    let s = bleu.segment_stats("x y x y", &["x y", "x y"]);
    assert_eq!(s[3], 1.0);
}

#[test]
fn ngram_ids_do_not_collide_across_orders() {
    // Many distinct tokens so that token ids and n-gram ids interleave.
    let bleu = Bleu::default();
    let r = "a b c d e f g h i j k l";
    let s = bleu.segment_stats("a b c d x b c d e", &[r, "b c d e f g"]);
    let naive = naive_stats("a b c d x b c d e", &[r, "b c d e f g"], 4);
    assert_eq!(s, naive);
}

/// A deterministic pseudo-random number below `m` (xorshift64 on `state`).
fn xorshift(state: &mut u64, m: u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state % m
}

/// Fewer than `max_len` pieces drawn from `pieces`, joined by a space (by two, one time in
/// `double_space`, when that is not 0).
fn random_line(state: &mut u64, pieces: &[&str], max_len: u64, double_space: u64) -> String {
    let len = xorshift(state, max_len);
    let words: Vec<&str> = (0..len)
        .map(|_| pieces[xorshift(state, pieces.len() as u64) as usize])
        .collect();
    let wide = double_space != 0 && xorshift(state, double_space) == 0;
    words.join(if wide { "  " } else { " " })
}

/// A slow, obviously correct twin of the counter (string n-grams, as sacreBLEU).
fn naive_stats(hyp: &str, refs: &[&str], max_order: usize) -> Vec<f64> {
    fn ngrams(line: &str, max_order: usize) -> (HashMap<Vec<&str>, usize>, usize) {
        let toks: Vec<&str> = line.split_whitespace().collect();
        let mut m: HashMap<Vec<&str>, usize> = HashMap::new();
        for n in 1..=max_order {
            for w in toks.windows(n) {
                *m.entry(w.to_vec()).or_default() += 1;
            }
        }
        (m, toks.len())
    }
    let mut ref_max: HashMap<Vec<&str>, usize> = HashMap::new();
    let mut lens = vec![];
    for r in refs {
        let (m, l) = ngrams(r, max_order);
        lens.push(l);
        for (k, v) in m {
            let e = ref_max.entry(k).or_default();
            *e = (*e).max(v);
        }
    }
    let (h, hl) = ngrams(hyp, max_order);
    let mut out = vec![0.0; 2 + 2 * max_order];
    out[0] = hl as f64;
    out[1] = closest_ref_len(hl, &lens) as f64;
    for (k, v) in h {
        let n = k.len();
        out[2 + max_order + n - 1] += v as f64;
        out[2 + n - 1] += v.min(ref_max.get(&k).copied().unwrap_or(0)) as f64;
    }
    out
}

#[test]
fn single_reference_path_equals_general_path() {
    // One reference takes the fast paths (bit matrices, or the trie over 64 tokens), the
    // same reference twice the general one: the statistics must be equal (max clipping
    // over identical references changes nothing).
    let bleu = Bleu::default();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    const PIECES: [&str; 12] = [
        "the", "The", "war", "1,000", "U.S.", "«mir»", "—", "x-y", "3-4", "&amp;", "é", "a.b,",
    ];
    for _ in 0..2000 {
        let mut line = || random_line(&mut state, &PIECES, 30, 5);
        let hyp = line();
        let r = line();
        assert_eq!(
            bleu.segment_stats(&hyp, &[&r]),
            bleu.segment_stats(&hyp, &[&r, &r]),
            "{hyp:?} {r:?}"
        );
    }
    // A reference with 70,000 distinct tokens (the previous packed kernel's 16-bit ids
    // fell back there): same result.
    let r: String = (0..70_000).map(|i| format!("w{i} ")).collect();
    let hyp = "w1 w2 w3 w4 w69999 w5 w6 nope w7";
    let one = bleu.segment_stats(hyp, &[&r]);
    assert_eq!(one, bleu.segment_stats(hyp, &[&r, &r]));
    assert_eq!(&one[2..6], &[8.0, 4.0, 2.0, 1.0]);
    // A hypothesis that long is too big for the dense trie (the hashed one counts it).
    let long = bleu.segment_stats(&r, &[hyp]);
    assert_eq!(long, bleu.segment_stats(&r, &[hyp, hyp]));
    assert_eq!(&long[2..6], &[8.0, 4.0, 2.0, 1.0]);
}

#[test]
fn bit_matrix_and_trie_counters_agree() {
    // The default path counts lines of up to 64 tokens a side by bit matrices and longer
    // ones with the trie: on short lines, the trie (called directly) must give the same.
    let mut state: u64 = 0x1234_5678_9abc_def1;
    const PIECES: [&str; 10] = [
        "the",
        "cat",
        "sat",
        "1,000",
        "U.S.",
        "«",
        "internationalisation",
        "é",
        "-",
        "x",
    ];
    let (mut trie_scratch, mut bits, mut correct) = Default::default();
    let mut lengths = [0usize; 2];
    for max_order in [1, 2, 4, 5] {
        for _ in 0..500 {
            let mut line = || random_line(&mut state, &PIECES, 72, 0);
            let (hyp, r) = (line(), line());
            let mut by_trie = vec![0.0; 2 + 2 * max_order];
            assert!(count_trie(
                &Scan13a(&r),
                &Scan13a(&hyp),
                max_order,
                &mut trie_scratch,
                &mut by_trie
            ));
            let tokens = |line: &str| {
                let mut n = 0;
                for_each_13a_token(line, |_, _| n += 1);
                n
            };
            let short = tokens(&hyp).max(tokens(&r)) <= MAX_TOKENS;
            lengths[usize::from(short)] += 1;
            let mut by_bits = vec![0.0; 2 + 2 * max_order];
            let counted = count_bitgrams(
                &Scan13a(&r),
                &Scan13a(&hyp),
                &mut bits,
                &mut correct,
                &mut by_bits,
            );
            assert_eq!(counted, short);
            if short {
                assert_eq!(by_bits, by_trie, "{hyp:?} {r:?}");
            }
        }
    }
    // Both cases drawn: lines over 64 tokens (refused) and within.
    assert!(lengths[0] > 100 && lengths[1] > 500, "{lengths:?}");
}

#[test]
fn tokenised_lines_split_on_python_whitespace() {
    // `none` keeps the line as it is; BLEU then splits it with `str.split()`: NBSP,
    // U+001C, tabs and runs of spaces separate tokens, U+200B does not.
    let bleu = Bleu {
        tokenizer: Tokenizer::None,
        ..Bleu::default()
    };
    let stats = bleu.segment_stats(" a\u{a0}b\u{1c}c  d\te\u{3000}", &["a b c d e"]);
    assert_eq!(stats, [5.0, 5.0, 5.0, 4.0, 3.0, 2.0, 5.0, 4.0, 3.0, 2.0]);
    let stats = bleu.segment_stats("a\u{200b}b c", &["a b c"]);
    assert_eq!(&stats[..3], [2.0, 3.0, 1.0]);
}

#[test]
fn counter_matches_naive_twin_on_random_segments() {
    // Deterministic pseudo-random segments over a small vocabulary (many repeats).
    fn line(state: &mut u64, len: u64) -> String {
        const WORDS: [&str; 6] = ["a", "b", "c", "d", "e", "f"];
        (0..len)
            .map(|_| WORDS[xorshift(state, WORDS.len() as u64) as usize])
            .collect::<Vec<_>>()
            .join(" ")
    }
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for max_order in [1, 2, 4, 6] {
        let bleu = Bleu {
            tokenizer: Tokenizer::None,
            max_order,
            ..Bleu::default()
        };
        for _ in 0..300 {
            let len = xorshift(&mut state, 12);
            let hyp = line(&mut state, len);
            let nrefs = xorshift(&mut state, 3) + 1;
            let refs: Vec<String> = (0..nrefs)
                .map(|_| {
                    let len = xorshift(&mut state, 12);
                    line(&mut state, len)
                })
                .collect();
            let refs: Vec<&str> = refs.iter().map(String::as_str).collect();
            assert_eq!(
                bleu.segment_stats(&hyp, &refs),
                naive_stats(&hyp, &refs, max_order),
                "{hyp:?} {refs:?}"
            );
        }
    }
}

#[test]
fn empty_hypothesis_and_reference() {
    let bleu = Bleu::default();
    let s = bleu.segment_stats("", &["a b c"]);
    assert_eq!(s, vec![0.0, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
    assert_eq!(bleu.corpus_score(&s), 0.0);
    assert_eq!(bleu.sentence_score(&s), 0.0);
    let s = bleu.segment_stats("a b c", &[""]);
    assert_eq!(s, vec![3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 3.0, 2.0, 1.0, 0.0]);
    assert_eq!(bleu.sentence_score(&s), 0.0);
    let s = bleu.segment_stats("", &[""]);
    assert_eq!(bleu.sentence_score(&s), 0.0);
    // No reference at all: sacreBLEU fails; we give ref_len 0 and no matches.
    let s = bleu.segment_stats("a b", &[]);
    assert_eq!(s, vec![2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0, 1.0, 0.0, 0.0]);
    // Trailing whitespace is stripped (rstrip), leading whitespace vanishes in tokenisation.
    assert_eq!(
        bleu.segment_stats("  a b \u{1f}\n", &["a b"]),
        bleu.segment_stats("a b", &["a b"])
    );
}

#[test]
fn identical_sentence_is_100() {
    let bleu = Bleu::default();
    let s = bleu.segment_stats("The cat sat on the mat.", &["The cat sat on the mat."]);
    assert!(close(bleu.corpus_score(&s), 100.0));
    assert!(close(bleu.sentence_score(&s), 100.0));
}

#[test]
fn lowercase_option() {
    let mut bleu = Bleu::default();
    let mixed = bleu.segment_stats("The CAT", &["the cat"]);
    assert_eq!(mixed[2], 0.0);
    bleu.lowercase = true;
    let lc = bleu.segment_stats("The CAT", &["the cat"]);
    assert_eq!(lc[2], 2.0);
    assert!(bleu.signature(1).contains("case:lc"));
}

// Hand-computed values from sacreBLEU's formulas. Stats: hyp_len 6, ref_len 7,
// correct [4, 2, 0, 0], total [6, 5, 4, 3].
const STATS: [f64; 10] = [6.0, 7.0, 4.0, 2.0, 0.0, 0.0, 6.0, 5.0, 4.0, 3.0];

fn bleu_with(smooth: Smooth, effective_order: bool) -> Bleu {
    Bleu {
        smooth,
        effective_order,
        ..Bleu::default()
    }
}

#[test]
fn smoothing_methods_by_hand() {
    let bp = (1.0f64 - 7.0 / 6.0).exp();
    let geo = |ps: &[f64]| {
        let logs: f64 = ps.iter().map(|&p| my_log(p)).sum();
        bp * (logs / ps.len() as f64).exp()
    };
    let p1 = 100.0 * 4.0 / 6.0;
    let p2 = 100.0 * 2.0 / 5.0;

    // exp: p3 = 100 / (2 * 4), p4 = 100 / (4 * 3).
    let exp = bleu_with(Smooth::Exp, false).corpus_score(&STATS);
    assert!(
        close(exp, geo(&[p1, p2, 100.0 / 8.0, 100.0 / 12.0])),
        "{exp}"
    );
    // floor 0.1: p3 = 100 * 0.1 / 4, p4 = 100 * 0.1 / 3.
    let floor = bleu_with(Smooth::Floor(0.1), false).corpus_score(&STATS);
    assert!(
        close(floor, geo(&[p1, p2, 10.0 / 4.0, 10.0 / 3.0])),
        "{floor}"
    );
    // add-k 1: orders >= 2 get +1: p2 = 3/6, p3 = 1/5, p4 = 1/4.
    let addk = bleu_with(Smooth::AddK(1.0), false).corpus_score(&STATS);
    assert!(close(addk, geo(&[p1, 50.0, 20.0, 25.0])), "{addk}");
    // none: log(0) = -9999999999 makes the score 0 ...
    let none = bleu_with(Smooth::None, false).corpus_score(&STATS);
    assert_eq!(none, 0.0);
    // ... also with effective order (the totals are non-zero, so all 4 orders count).
    assert_eq!(bleu_with(Smooth::None, true).corpus_score(&STATS), 0.0);
    // The numbers themselves (sacreBLEU 2.6.0 compute_bleu on these stats):
    assert!((exp - 19.433_094_436_376_08).abs() < 1e-9, "{exp}");
    assert!((floor - 10.335_094_640_592_34).abs() < 1e-9, "{floor}");
    assert!((addk - 30.414_436_445_480_18).abs() < 1e-9, "{addk}");
}

#[test]
fn effective_order_and_zero_totals() {
    // A 2-token hypothesis: totals [2, 1, 0, 0], all matched.
    let stats = [2.0, 2.0, 2.0, 1.0, 0.0, 0.0, 2.0, 1.0, 0.0, 0.0];
    // Effective order: geometric mean over 2 orders = 100.
    assert!(close(
        bleu_with(Smooth::Exp, true).corpus_score(&stats),
        100.0
    ));
    assert!(close(Bleu::default().sentence_score(&stats), 100.0));
    // Without it, orders 3 and 4 have precision 0 -> my_log floor -> 0.
    assert_eq!(Bleu::default().corpus_score(&stats), 0.0);
    // add-k turns zero totals into k, so nothing breaks the loop: p3 = p4 = 100.
    let addk = bleu_with(Smooth::AddK(1.0), false).corpus_score(&stats);
    assert!(close(addk, 100.0), "{addk}");
    // Brevity penalty with an empty side: sys_len 0 < ref_len -> bp 0.
    let d =
        Bleu::default().score_details(&[0.0, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], false);
    assert_eq!(d.bp, 0.0);
    // Short or empty stat vectors never panic.
    assert_eq!(Bleu::default().corpus_score(&[]), 0.0);
    assert_eq!(Bleu::default().corpus_score(&[1.0, 1.0, 1.0]), 0.0);
}

#[test]
fn zero_max_order() {
    let bleu = Bleu {
        max_order: 0,
        ..Bleu::default()
    };
    let s = bleu.segment_stats("a b", &["a b"]);
    assert_eq!(s, vec![2.0, 2.0]);
    assert_eq!(bleu.corpus_score(&s), 0.0);
}

#[test]
fn signature_and_smooth_names() {
    let b = Bleu::default();
    assert_eq!(
        b.signature(1),
        format!("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|compat:sacrebleu-2.6.0|version:mtharness-{VERSION}")
    );
    let b = Bleu {
        tokenizer: Tokenizer::Intl,
        lowercase: true,
        smooth: Smooth::Floor(Smooth::DEFAULT_FLOOR),
        effective_order: true,
        ..Bleu::default()
    };
    assert!(b
        .signature(2)
        .starts_with("nrefs:2|case:lc|eff:yes|tok:intl|smooth:floor[0.10]|"));
    assert_eq!(
        Smooth::from_name("add-k", None).unwrap().signature(),
        "add-k[1.00]"
    );
    assert_eq!(
        Smooth::from_name("floor", Some(0.25)).unwrap(),
        Smooth::Floor(0.25)
    );
    assert_eq!(Smooth::from_name("exp", None).unwrap(), Smooth::Exp);
    assert!(Smooth::from_name("exp", Some(1.0)).is_err());
    let e = Smooth::from_name("add_k", None).unwrap_err().to_string();
    assert!(e.contains("none, floor, add-k, exp"), "{e}");
    assert_eq!(b.name(), "BLEU");
    assert!(b.higher_is_better());
}
