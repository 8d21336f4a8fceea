//! Unit and property tests of the distance kernels: fast = naive = strsim, editops valid and
//! identical to the full-matrix traceback with rapidfuzz's preference order.

use super::*;
use proptest::prelude::*;

/// Applies `ops` (from [`editops`]) to `a`; must give `b`.
fn apply<T: Copy>(a: &[T], b: &[T], ops: &[EditOp]) -> Vec<T> {
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    for op in ops {
        while i < op.src_pos {
            out.push(a[i]);
            i += 1;
        }
        match op.kind {
            EditKind::Replace => {
                out.push(b[op.dest_pos]);
                i += 1;
            }
            EditKind::Insert => out.push(b[op.dest_pos]),
            EditKind::Delete => i += 1,
        }
    }
    out.extend_from_slice(&a[i..]);
    out
}

#[test]
fn known_distances() {
    assert_eq!(char_levenshtein("kitten", "sitting"), 3);
    assert_eq!(char_levenshtein("", "abc"), 3);
    assert_eq!(char_levenshtein("abc", ""), 3);
    assert_eq!(char_levenshtein("", ""), 0);
    assert_eq!(char_levenshtein("same", "same"), 0);
    // Code points, not bytes: one substitution.
    assert_eq!(char_levenshtein("café", "cafe"), 1);
    assert_eq!(char_levenshtein("日本語", "日本"), 1);
    assert_eq!(levenshtein(&[1u32, 2, 3], &[3u32, 2, 1]), 2);
}

#[test]
fn rapidfuzz_doc_example() {
    // rapidfuzz docs: Levenshtein.editops("qabxcd", "abycdf")
    let a: Vec<char> = "qabxcd".chars().collect();
    let b: Vec<char> = "abycdf".chars().collect();
    let ops = editops(&a, &b);
    let want = vec![
        EditOp {
            kind: EditKind::Delete,
            src_pos: 0,
            dest_pos: 0,
        },
        EditOp {
            kind: EditKind::Replace,
            src_pos: 3,
            dest_pos: 2,
        },
        EditOp {
            kind: EditKind::Insert,
            src_pos: 6,
            dest_pos: 5,
        },
    ];
    assert_eq!(ops, want);
}

/// Golden outputs of rapidfuzz 3.14.6 `Levenshtein.editops(a, b)` on inputs long enough for the
/// multi-word kernel (pattern > 64), as (kinds, src positions, dest positions).
#[test]
fn rapidfuzz_golden_block_kernel() {
    type Golden = (
        &'static str,
        &'static str,
        &'static str,
        &'static [usize],
        &'static [usize],
    );
    let cases: [Golden; 2] = [
        (
            "accabcbccacabbcaacbccbbcaacacbcacaacababbccbcbbccbabaaababcbcbbcbcbccbcabcabcccacbcccaccac",
            "accabcbcacbbcaaacbcacbbcacacbcacaccaacabbcbcbdbcbabaabbbcbdbbcabcccbababcccacbcccaccac",
            "ddiidrirdidrdriddd",
            &[8, 11, 17, 20, 25, 34, 37, 37, 42, 46, 48, 54, 56, 60, 64, 66, 70, 73],
            &[8, 10, 15, 19, 25, 33, 36, 37, 42, 45, 48, 53, 55, 58, 62, 65, 68, 70],
        ),
        (
            "cbabcbabcccaaccbbbcbccbcbacacabbcbbccbababbcbbbaacccabcacbabacbccaacbbcabaabccacbbaaacabcabbcacbcabbcbbbcbbbcbabaaabccbccaacbcccbcbaacbaaaac",
            "cbabcbabaccaddcbbbbccbcbacaccabdabcbbccbababbcbbbaacccabcaacbaabccaacbbcabaabcccacbbaaaaccabcabbcadbcabcbcbbbcbbbcbabaaabccbccaacbcdcbcbddbacaaaac",
            "rrrdiiiiddiiiririird",
            &[8, 12, 13, 18, 29, 31, 31, 56, 59, 61, 78, 85, 86, 94, 99, 126, 131, 131, 131, 134],
            &[8, 12, 13, 18, 28, 31, 32, 58, 62, 63, 79, 87, 89, 98, 103, 131, 136, 137, 138, 141],
        ),
    ];
    for (a, b, kinds, src, dest) in cases {
        let ops = editops(a.as_bytes(), b.as_bytes());
        let got_kinds: String = ops
            .iter()
            .map(|o| match o.kind {
                EditKind::Replace => 'r',
                EditKind::Insert => 'i',
                EditKind::Delete => 'd',
            })
            .collect();
        assert_eq!(got_kinds, kinds);
        assert_eq!(ops.iter().map(|o| o.src_pos).collect::<Vec<_>>(), src);
        assert_eq!(ops.iter().map(|o| o.dest_pos).collect::<Vec<_>>(), dest);
    }
}

#[test]
fn counts_prefer_substitution_over_delete_insert() {
    // "a b c" vs "a x c": one substitution, never a deletion plus an insertion.
    let c = edit_counts(&[1u32, 2, 3], &[1u32, 9, 3]);
    assert_eq!(
        c,
        EditCounts {
            hits: 2,
            substitutions: 1,
            deletions: 0,
            insertions: 0
        }
    );
}

#[test]
fn long_inputs_multi_word_and_sparse_masks() {
    // 5000 distinct symbols x 80 words exceeds the dense mask limit: the sparse path runs.
    let a: Vec<u32> = (0..5000).collect();
    let mut b = a.clone();
    b.remove(10);
    b.insert(2500, 99_999);
    b[4000] = 77_777;
    assert_eq!(levenshtein(&a, &b), 3);
    let ops = editops(&a, &b);
    assert_eq!(ops.len(), 3);
    assert_eq!(apply(&a, &b, &ops), b);
}

#[test]
fn hirschberg_split_is_valid() {
    // 3000 x 3000 with many edits: 2 * 3000 * 3000 / 8 bytes > 1 MiB, so the split runs.
    let a: Vec<u8> = (0..3000u32).map(|i| (i * 7 % 13) as u8).collect();
    let b: Vec<u8> = (0..3000u32).map(|i| (i * 5 % 11) as u8).collect();
    let d = levenshtein(&a, &b);
    assert_eq!(d, naive::distance(&a, &b));
    let ops = editops(&a, &b);
    assert_eq!(ops.len(), d);
    assert_eq!(apply(&a, &b, &ops), b);
}

/// Vectors over a small alphabet (so matches are frequent), long enough for the block kernel.
fn seq(max_len: usize) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(0u8..4, 0..max_len)
}

/// A second sequence derived from the first by a few random edits (similar inputs exercise
/// the affix stripping and the band edges).
fn edited(max_len: usize) -> impl Strategy<Value = (Vec<u8>, Vec<u8>)> {
    (
        seq(max_len),
        prop::collection::vec((0usize..1000, 0u8..3, 0u8..5), 0..20),
    )
        .prop_map(|(a, edits)| {
            let mut b = a.clone();
            for (pos, kind, sym) in edits {
                let p = if b.is_empty() { 0 } else { pos % (b.len() + 1) };
                match kind {
                    0 => b.insert(p, sym),
                    1 if p < b.len() => {
                        b.remove(p);
                    }
                    _ if p < b.len() => b[p] = sym,
                    _ => {}
                }
            }
            (a, b)
        })
}

/// Integer ids below `alphabet`, at most `max_len` of them.
fn ids(alphabet: u32, max_len: usize) -> impl Strategy<Value = Vec<u32>> {
    prop::collection::vec(0..alphabet, 0..max_len)
}

/// `levenshtein(a, b)` equals the naive reference and strsim, and is symmetric.
fn distance_agrees<T: Eq + Hash + Copy>(a: &[T], b: &[T]) -> Result<(), TestCaseError> {
    let d = levenshtein(a, b);
    prop_assert_eq!(d, naive::distance(a, b));
    prop_assert_eq!(d, strsim::generic_levenshtein(&a.to_vec(), &b.to_vec()));
    prop_assert_eq!(d, levenshtein(b, a));
    Ok(())
}

/// `editops(a, b)` is the full-matrix traceback, costs the distance, replays `a` into `b` and
/// counts every element of both sides once.
fn editops_agree<T: Eq + Hash + Copy + std::fmt::Debug>(
    a: &[T],
    b: &[T],
) -> Result<(), TestCaseError> {
    let ops = editops(a, b);
    prop_assert_eq!(&ops, &naive::editops(a, b));
    prop_assert_eq!(ops.len(), levenshtein(a, b));
    prop_assert_eq!(apply(a, b, &ops), b.to_vec());
    let c = EditCounts::from_ops(&ops, a.len());
    prop_assert_eq!(c.hits + c.substitutions + c.deletions, a.len());
    prop_assert_eq!(c.hits + c.substitutions + c.insertions, b.len());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn fast_equals_naive(a in seq(300), b in seq(300)) {
        distance_agrees(&a, &b)?;
    }

    #[test]
    fn fast_equals_naive_similar((a, b) in edited(400)) {
        distance_agrees(&a, &b)?;
        editops_agree(&a, &b)?;
    }

    #[test]
    fn fast_equals_naive_ids(a in ids(6, 200), b in ids(6, 200)) {
        distance_agrees(&a, &b)?;
    }

    #[test]
    fn fast_equals_naive_many_symbols(a in ids(40, 100), b in ids(40, 100)) {
        // More than LINEAR_SCAN_SYMBOLS distinct symbols: the hashed single-word path.
        distance_agrees(&a, &b)?;
    }

    #[test]
    fn equals_strsim(a in "[a-dé日 ]{0,150}", b in "[a-dé日 ]{0,150}") {
        prop_assert_eq!(char_levenshtein(&a, &b), strsim::levenshtein(&a, &b));
    }

    #[test]
    fn editops_equal_full_matrix_traceback_random(a in seq(250), b in seq(250)) {
        editops_agree(&a, &b)?;
    }
}

/// Strings over ASCII letters, digits, punctuation, whitespace oddities (tab, U+001C..U+001F,
/// NBSP) and a few multi-byte code points.
fn text(max_len: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            'a', 'b', 'c', ' ', '\t', '\u{1c}', '\u{1f}', '\u{a0}', ',', '.', '1', '7', 'é', 'ж',
            '日', '😀',
        ]),
        0..max_len,
    )
    .prop_map(|v| v.into_iter().collect())
}

/// ASCII-only strings (the byte fast path).
fn ascii_text(max_len: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec!['a', 'b', 'c', 'd', ' ', '\t', '\u{1c}', ',', '1']),
        0..max_len,
    )
    .prop_map(|v| v.into_iter().collect())
}

/// Two texts sharing most of their content (similar inputs: affix stripping, many hits).
fn similar_texts(max_len: usize) -> impl Strategy<Value = (String, String)> {
    (text(max_len), text(12), text(12), 0usize..1000).prop_map(|(base, x, y, cut)| {
        let chars: Vec<char> = base.chars().collect();
        let k = if chars.is_empty() {
            0
        } else {
            cut % chars.len()
        };
        let head: String = chars[..k].iter().collect();
        let tail: String = chars[k..].iter().collect();
        (format!("{head}{x}{tail}"), format!("{y}{head}{tail}{x}"))
    })
}

fn naive_chars(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    naive::distance(&a, &b)
}

#[test]
fn char_kernel_known_lengths() {
    // Every block count of the fixed kernel and the dynamic one, around the block edges.
    for n in [63usize, 64, 65, 127, 128, 129, 200, 511, 512, 513, 700] {
        let a: String = (0..n).map(|i| ['a', 'b', 'c', 'é'][i * 7 % 4]).collect();
        let b: String = (0..n + 3)
            .map(|i| ['a', 'b', 'ж', 'c'][i * 5 % 4])
            .collect();
        assert_eq!(char_levenshtein(&a, &b), naive_chars(&a, &b), "n={n}");
        let (aa, bb) = (a.replace('é', "e"), b.replace('ж', "z"));
        assert_eq!(
            char_levenshtein(&aa, &bb),
            naive_chars(&aa, &bb),
            "ascii n={n}"
        );
    }
    assert_eq!(char_levenshtein_lengths("naïve", "naive"), (1, 5, 5));
    assert_eq!(char_levenshtein_lengths("", "日本"), (2, 0, 2));
}

#[test]
fn dense_counts_fall_back_beyond_one_word() {
    // 100 reference ids after stripping: the general editops path answers.
    let a: Vec<u32> = (0..100).map(|i| i % 7).collect();
    let b: Vec<u32> = (0..90).map(|i| (i * 3) % 8).collect();
    assert_eq!(
        dense_edit_counts(&a, &b),
        EditCounts::from_ops(&naive::editops(&a, &b), a.len())
    );
    // Huge ids: the kernel table would not fit, the general kernel runs.
    let big = [u32::MAX - 1, 5, u32::MAX - 1];
    assert_eq!(dense_levenshtein(&big, &[5]), 2);
    assert_eq!(dense_edit_counts(&big, &[5]).deletions, 2);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn char_kernel_equals_naive(a in text(300), b in text(300)) {
        let d = char_levenshtein(&a, &b);
        prop_assert_eq!(d, naive_chars(&a, &b));
        prop_assert_eq!(d, strsim::levenshtein(&a, &b));
        let (d2, la, lb) = char_levenshtein_lengths(&a, &b);
        prop_assert_eq!((d2, la, lb), (d, a.chars().count(), b.chars().count()));
    }

    #[test]
    fn char_kernel_equals_naive_similar((a, b) in similar_texts(400)) {
        prop_assert_eq!(char_levenshtein(&a, &b), naive_chars(&a, &b));
    }

    #[test]
    fn byte_kernel_equals_naive(a in ascii_text(700), b in ascii_text(700)) {
        prop_assert_eq!(char_levenshtein(&a, &b), naive::distance(a.as_bytes(), b.as_bytes()));
    }

    #[test]
    fn dense_kernel_equals_naive(a in ids(30, 300), b in ids(30, 300)) {
        prop_assert_eq!(dense_levenshtein(&a, &b), naive::distance(&a, &b));
        prop_assert_eq!(dense_levenshtein(&a, &b), levenshtein(&a, &b));
    }

    #[test]
    fn dense_counts_equal_editops((a, b) in edited(120)) {
        let (a, b): (Vec<u32>, Vec<u32>) =
            (a.iter().map(|&x| u32::from(x)).collect(), b.iter().map(|&x| u32::from(x)).collect());
        let want = EditCounts::from_ops(&naive::editops(&a, &b), a.len());
        prop_assert_eq!(dense_edit_counts(&a, &b), want);
        prop_assert_eq!(edit_counts(&a, &b), want);
    }

    #[test]
    fn dense_counts_equal_editops_random(a in ids(12, 80), b in ids(12, 80)) {
        let want = EditCounts::from_ops(&naive::editops(&a, &b), a.len());
        prop_assert_eq!(dense_edit_counts(&a, &b), want);
    }
}
