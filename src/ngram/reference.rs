//! The packed-key sorted-merge kernel: the slow twin of [`super::trie`] (chrF's property tests
//! compare the two), compiled for tests only.
//!
//! # Packed keys
//!
//! With `b` the bit width of the largest symbol id `K`, the n-gram of ids `c_1 .. c_n` packs
//! exactly into the `u64` `c_1 << (n-1)b | ... | c_n` whenever `n * b` fits beside a small
//! depth field (at order 6: up to 1023 distinct symbols). Keys are unique across orders as
//! well, since `c_1 >= 1` puts the top set bit of an n-gram's key in its n-th group of `b`
//! bits. When a key would not fit, [`SortedCounter`] refuses the text.
//!
//! # Counting
//!
//! Each text becomes one key per position: its next `order` ids packed as above (0 past the
//! end or at an [`ABSENT`] symbol), over a small field saying how many leading ids are real.
//! Sorting the keys sorts the positions lexicographically, so for every order `n` the
//! positions starting the same n-gram are adjacent. The hypothesis keys are sorted once per
//! segment, those of each reference once, and one merge pass over both counts, for every
//! order at once, `min(hyp positions, ref positions)` per n-gram (the clipped intersection).
//! The per-order work of a key runs as branch-free lanes.
//!
//! # Cost
//!
//! O((h + r) log(h + r) + N * (h + r)) per reference for texts of `h` and `r` symbols and
//! maximum order `N`.

use super::{write_triples, NgramCounter, ABSENT};

/// Longest n-gram a sorted key holds (its depth must fit in [`DEPTH_BITS`] bits).
const MAX_ORDER: usize = 15;

/// The packed-key kernel as an [`NgramCounter`]: the hypothesis's sorted keys, and buffers for
/// a reference's. It cannot hold an n-gram wider than a key ([`fits`]).
#[derive(Default)]
pub(crate) struct SortedCounter {
    order: usize,
    bits: u32,
    max_id: u32,
    hyp_len: usize,
    hyp_keys: Vec<u64>,
    ref_keys: Vec<u64>,
    sorter: KeySorter,
}

impl NgramCounter for SortedCounter {
    /// False when an n-gram of `order` ids does not pack into a key ([`fits`]).
    fn index(&mut self, syms: &[u32], max_id: u32, order: usize) -> bool {
        let bits = bits_for(max_id);
        if !fits(order, bits) {
            return false;
        }
        (self.order, self.bits, self.max_id, self.hyp_len) = (order, bits, max_id, syms.len());
        self.sorter
            .sorted_keys(syms, order, bits, max_id, &mut self.hyp_keys);
        true
    }

    fn clipped(&mut self, syms: &[u32], out: &mut [f64]) {
        let SortedCounter {
            order,
            bits,
            max_id,
            hyp_len,
            hyp_keys,
            ref_keys,
            sorter,
        } = self;
        sorter.sorted_keys(syms, *order, *bits, *max_id, ref_keys);
        clipped_matches(hyp_keys, ref_keys, *hyp_len, syms.len(), *order, *bits, out);
    }
}

/// Bits needed for ids up to `max_id` (at least 1).
fn bits_for(max_id: u32) -> u32 {
    (u32::BITS - max_id.leading_zeros()).max(1)
}

/// True when an n-gram of `order` ids of `bits` bits packs into a `u64`.
fn fits(order: usize, bits: u32) -> bool {
    order <= MAX_ORDER && order * bits as usize <= (u64::BITS - DEPTH_BITS) as usize
}

/// Width of the field that holds, in the low bits of a sorted key, how many leading groups
/// of the key are real symbols (the orders the position starts an n-gram of).
const DEPTH_BITS: u32 = 4;
/// Mask of that field.
const DEPTH_MASK: u64 = (1 << DEPTH_BITS) - 1;

/// Longest bucket that [`KeySorter::sorted_keys`] sorts by insertion (longer ones use `sort_unstable`).
const INSERTION_MAX: usize = 24;

/// Buffer of [`KeySorter::sorted_keys`]: the per-first-symbol counters.
#[derive(Default)]
struct KeySorter {
    counts: Vec<u32>,
}

impl KeySorter {
    /// Sorted packed n-gram keys of one text, for orders `1..=order`: one key per position
    /// that starts at least a unigram, `(c_i, c_i+1, .., c_i+order-1)` packed with `bits` bits
    /// per symbol (0 past the end), the first symbol highest, shifted left by [`DEPTH_BITS`]
    /// over the number of leading non-[`ABSENT`] symbols (capped at `order`). Sorting the keys
    /// sorts the positions lexicographically by their next `order` symbols, so for every `n`
    /// the positions that start the same n-gram are adjacent. Needs `fits(order, bits)` and
    /// every symbol `<= max_id`.
    ///
    /// The keys are first distributed by their first symbol (a counting sort over
    /// `1..=max_id`), then each bucket is sorted on its own (insertion sort when short): for
    /// natural text the buckets are a few keys long. O(len + max_id) plus the bucket sorts
    /// (O(b log b) each, O(b^2) with `b <= INSERTION_MAX`).
    fn sorted_keys(
        &mut self,
        syms: &[u32],
        order: usize,
        bits: u32,
        max_id: u32,
        out: &mut Vec<u64>,
    ) {
        out.clear();
        if order == 0 {
            return;
        }
        let top = (order - 1) as u32 * bits;
        let buckets = max_id as usize + 1;
        let counts = &mut self.counts;
        counts.clear();
        counts.resize(buckets, 0);
        // First pass: how many keys start with each symbol.
        for &c in syms {
            if let Some(n) = counts.get_mut(c as usize) {
                *n += 1;
            }
        }
        // Exclusive prefix sums: the start of each bucket (ABSENT starts no key).
        let mut sum = 0u32;
        for (c, n) in counts.iter_mut().enumerate() {
            let here = if c == ABSENT as usize { 0 } else { *n };
            *n = sum;
            sum += here;
        }
        out.resize(sum as usize, 0);
        // Second pass: each key straight into its bucket.
        let mut packed = 0u64;
        let mut run = 0u64;
        for &c in syms.iter().rev() {
            packed = (packed >> bits) | (u64::from(c) << top);
            if c == ABSENT {
                run = 0;
                continue;
            }
            run = (run + 1).min(order as u64);
            if let Some(slot) = counts.get_mut(c as usize) {
                if let Some(dst) = out.get_mut(*slot as usize) {
                    *dst = (packed << DEPTH_BITS) | run;
                }
                *slot += 1;
            }
        }
        // Now `counts[c]` is the end of bucket `c` (and the start of bucket `c + 1`).
        let mut start = 0usize;
        for &end in counts.iter() {
            let end = end as usize;
            if let Some(bucket) = out.get_mut(start..end) {
                sort_bucket(bucket);
            }
            start = end;
        }
    }
}

/// Sorts one bucket of keys: insertion sort when short, `sort_unstable` otherwise.
fn sort_bucket(keys: &mut [u64]) {
    if keys.len() > INSERTION_MAX {
        keys.sort_unstable();
        return;
    }
    for i in 1..keys.len() {
        let key = keys[i];
        let mut j = i;
        while j > 0 && keys[j - 1] > key {
            keys[j] = keys[j - 1];
            j -= 1;
        }
        keys[j] = key;
    }
}

/// Writes `[hyp count, ref count, matches]` of orders `1..=order` into `out` (`3 * order`
/// entries), from the [`KeySorter::sorted_keys`] of the hypothesis and of a reference (`hyp_len` and
/// `ref_len` symbols long). See [`merge_matches`]. O((h + r) * order).
fn clipped_matches(
    hyp: &[u64],
    refs: &[u64],
    hyp_len: usize,
    ref_len: usize,
    order: usize,
    bits: u32,
    out: &mut [f64],
) {
    let mut matches = [0u32; MAX_ORDER + 1];
    if order <= 4 {
        let m = merge_matches::<4>(hyp, refs, order, bits);
        matches[..4].copy_from_slice(&m);
    } else if order <= 8 {
        let m = merge_matches::<8>(hyp, refs, order, bits);
        matches[..8].copy_from_slice(&m);
    } else {
        matches = merge_matches::<{ MAX_ORDER + 1 }>(hyp, refs, order, bits);
    }
    write_triples(ref_len, hyp_len, &matches[..order], out);
}

/// Clipped matches of every order (lane `n - 1` for order `n`, `order <= L`) from sorted
/// keys, in one merge pass: for each order, a run of keys sharing their first `n` symbols is
/// the group of one n-gram, and it adds `min(hyp positions, ref positions)`. Each lane keeps
/// `hyp - ref` of its open group, so a key that meets a surplus of the other side is a
/// match; a key sharing only `k` leading symbols with the previous one opens new groups in
/// lanes `k..`. The lanes run without branches (the compiler vectorizes them).
fn merge_matches<const L: usize>(hyp: &[u64], refs: &[u64], order: usize, bits: u32) -> [u32; L] {
    let lanes: [i32; L] = std::array::from_fn(|n| n as i32);
    let mut surplus = [0i32; L];
    let mut matches = [0u32; L];
    // Bits above the packed groups.
    let unused = u64::BITS - DEPTH_BITS - order as u32 * bits;
    let (mut i, mut j) = (0, 0);
    let mut prev: Option<u64> = None;
    while i < hyp.len() || j < refs.len() {
        let from_hyp = match (hyp.get(i), refs.get(j)) {
            (Some(h), Some(r)) => h <= r,
            (h, _) => h.is_some(),
        };
        let key = if from_hyp { hyp[i] } else { refs[j] };
        i += usize::from(from_hyp);
        j += usize::from(!from_hyp);
        // Leading groups shared with the previous key.
        let common = match prev {
            None => 0,
            Some(p) => match p ^ key {
                0 => order as i32,
                x => ((x.leading_zeros() - unused) / bits) as i32,
            },
        };
        prev = Some(key);
        let depth = (key & DEPTH_MASK) as i32;
        // `flip` turns the surplus into "surplus of the other side" (negated for a hypothesis
        // key); `step` is +1 for a hypothesis key, -1 for a reference key.
        let flip = -i32::from(from_hyp);
        let step = -(flip | 1);
        for n in 0..L {
            let keep = -i32::from(lanes[n] < common);
            let active = -i32::from(lanes[n] < depth);
            let d = surplus[n] & keep;
            let other = (d ^ flip) - flip;
            matches[n] += (-i32::from(other > 0) & active & 1) as u32;
            surplus[n] = d + (step & active);
        }
    }
    matches
}
