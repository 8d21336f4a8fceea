//! The bit-matrix kernel against a textbook count in hash maps, every variant this CPU runs.

use super::*;
use std::collections::HashMap;

/// Clipped matches by counting n-grams in hash maps (the textbook way).
fn naive(hyp: &[&str], reference: &[&str], orders: usize) -> Vec<u64> {
    (1..=orders)
        .map(|n| {
            let grams = |t: &[&str]| {
                let mut c: HashMap<Vec<String>, u64> = HashMap::new();
                for w in t.windows(n) {
                    *c.entry(w.iter().map(|s| s.to_string()).collect())
                        .or_default() += 1;
                }
                c
            };
            let (hc, rc) = (grams(hyp), grams(reference));
            hc.iter()
                .map(|(g, &k)| k.min(*rc.get(g).unwrap_or(&0)))
                .sum()
        })
        .collect()
}

fn side(text: &str) -> Side {
    let mut s = Side::default();
    let mut pos = 0;
    for w in text.split(' ') {
        if !w.is_empty() {
            s.push(text.as_bytes(), pos, pos + w.len());
        }
        pos += w.len() + 1;
    }
    s
}

fn run_with(kernel: Kernel, hyp: &str, reference: &str, orders: usize) -> Option<Vec<u64>> {
    let mut s = BitScratch {
        hyp: side(hyp),
        reference: side(reference),
        ..Default::default()
    };
    let mut correct = vec![0; orders];
    clipped_matches_with(
        kernel,
        hyp.as_bytes(),
        reference.as_bytes(),
        &mut s,
        &mut correct,
    )
    .then_some(correct)
}

/// The counts of every variant this CPU runs, which must agree.
fn run(hyp: &str, reference: &str, orders: usize) -> Option<Vec<u64>> {
    let mut all = Kernel::ALL
        .into_iter()
        .filter(|k| k.supported())
        .map(|k| (k, run_with(k, hyp, reference, orders)));
    let (_, first) = all.next()?;
    for (k, other) in all {
        assert_eq!(other, first, "{k:?} on {hyp:?} / {reference:?}");
    }
    first
}

#[test]
fn counts_clip_and_long_words_are_confirmed() {
    // "the the the" against "the the": unigrams clip at 2, bigrams at 1.
    assert_eq!(run("the the the", "the the", 4), Some(vec![2, 1, 0, 0]));
    let long = "internationalisation internationally internationalisation";
    assert_eq!(
        run(long, "internationally internationalisation x", 3),
        Some(vec![2, 1, 0])
    );
    // 64 tokens fit; 65 do not.
    let w64 = vec!["a"; 64].join(" ");
    assert_eq!(run(&w64, &w64, 2), Some(vec![64, 63]));
    let w65 = vec!["a"; 65].join(" ");
    assert_eq!(run(&w65, "a", 1), None);
    assert_eq!(run("a", &w65, 1), None);
    // Runs of one word: every population count from 0 to 64 on both sides.
    for k in 0..=64 {
        for j in 0..=64 {
            let (hyp, reference) = (vec!["a"; k].join(" "), vec!["a"; j].join(" "));
            let want = vec![k.min(j) as u64, k.min(j).saturating_sub(1) as u64];
            assert_eq!(run(&hyp, &reference, 2), Some(want), "{k} {j}");
        }
    }
    assert_eq!(run("", "a b", 2), Some(vec![0, 0]));
    assert_eq!(run("a b", "", 2), Some(vec![0, 0]));
}

#[test]
fn same_bytes_is_slice_equality() {
    let base: Vec<u8> = (b'a'..=b'z').collect();
    for len in 0..=base.len() {
        let a = &base[..len];
        assert!(same_bytes(a, a));
        for other_len in 0..=base.len() {
            assert_eq!(same_bytes(a, &base[..other_len]), len == other_len);
        }
        // One byte changed anywhere: not equal.
        for i in 0..len {
            let mut b = a.to_vec();
            b[i] ^= 1;
            assert!(!same_bytes(a, &b), "{len} {i}");
        }
    }
}

#[test]
fn a_shared_hash_is_not_a_match() {
    // Two different long words given the same key by hand, on both sides: the byte check
    // tells them apart (keys of real words practically never collide, so this is forced).
    // Unchecked, every token would match every other: [2, 1] instead of [1, 0].
    let (hyp, reference) = ("abcdefghij abcdefghiX", "abcdefghiX abcdefghiX");
    for kernel in Kernel::ALL.into_iter().filter(|k| k.supported()) {
        let mut s = BitScratch {
            hyp: side(hyp),
            reference: side(reference),
            ..Default::default()
        };
        let key = s.hyp.keys[0];
        assert_ne!(s.hyp.keys[1], key);
        s.hyp.keys[1] = key;
        s.reference.keys[..2].fill(key);
        let mut correct = vec![0; 2];
        assert!(clipped_matches_with(
            kernel,
            hyp.as_bytes(),
            reference.as_bytes(),
            &mut s,
            &mut correct
        ));
        assert_eq!(correct, [1, 0], "{kernel:?}");
    }
}

use proptest::prelude::*;

/// Words around the exact-key length (7 and 8 bytes, and longer ones with equal first 16
/// bytes), with NUL bytes and non-ASCII.
const WORDS: [&str; 11] = [
    "a",
    "b",
    "a\0",
    "é",
    "abcdefg",
    "abcdefgh",
    "abcdefghi",
    "abcdefgh\0",
    "x.y",
    "abcdefghijklmnopq",
    "abcdefghijklmnopX",
];

/// Up to 69 [`WORDS`], joined by spaces.
fn words() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(&WORDS[..]), 0..70).prop_map(|w| w.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Both variants give the textbook counts, on up to 70 tokens a side (over 64: refused)
    /// of words around the exact-key length, with NUL bytes and non-ASCII.
    #[test]
    fn equals_naive_counts(hyp in words(), reference in words(), orders in 1usize..6) {
        let tokens = |t: &str| t.split(' ').filter(|w| !w.is_empty()).map(str::to_string).collect::<Vec<_>>();
        let (ht, rt) = (tokens(&hyp), tokens(&reference));
        let want = (ht.len() <= MAX_TOKENS && rt.len() <= MAX_TOKENS).then(|| {
            let h: Vec<&str> = ht.iter().map(String::as_str).collect();
            let r: Vec<&str> = rt.iter().map(String::as_str).collect();
            naive(&h, &r, orders)
        });
        prop_assert_eq!(run(&hyp, &reference, orders), want);
    }
}
