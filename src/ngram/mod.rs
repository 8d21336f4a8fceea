//! N-gram counting kernels shared by the n-gram metrics. Each computes, per order n, the
//! clipped matches `sum over n-grams g of min(count in the hypothesis, count in a reference)`
//! that BLEU's `correct_n` and chrF's `matched` statistics hold.
//!
//! - [`bitgrams`]: bit matrices of token equality for two texts of at most 64 tokens each,
//!   with AVX2 and AVX-512 variants. BLEU runs it for one reference on CPUs with AVX2.
//!   O(h * r / lanes + h * N) word operations for h and r tokens and N orders.
//! - [`trie`]: the n-grams of one text (the hypothesis) as a trie, dense or hashed, walked by
//!   each reference. chrF and chrF++ run it for every segment, BLEU for one reference when
//!   the bit matrices do not apply. O(N * (h + r)).
//! - `reference` (compiled for tests only): the packed-key sorted merge, the trie's slow twin.
//!
//! The kernels over symbol ids implement [`NgramCounter`]: ids are dense per segment, `1..=K`
//! for the indexed text, and [`ABSENT`] for a symbol of a counted text that the indexed one
//! lacks.
//!
//! Not here:
//! - the metric front ends, which turn text into symbol ids or token keys and counts into
//!   statistics: chrF's `metrics/chrf/segment.rs`, BLEU's `metrics/bleu/count.rs`;
//! - token interning: [`SpanInterner`](crate::distance::SpanInterner) and `word_key` stay in
//!   `distance/intern.rs`. WER and TER intern their words with the same table (it is the
//!   crate's general token interner, not an n-gram one), and `word_key` is that table's hash
//!   with an exact form for short words, so it stays beside the hash it shares;
//! - the slow twins tied to one metric: chrF's hash-map kernel (`metrics/chrf/reference.rs`,
//!   also its fallback) and BLEU's string count (in its tests).

pub(crate) mod bitgrams;
#[cfg(test)]
pub(crate) mod reference;
pub(crate) mod trie;

pub(crate) use trie::Trie;

/// Id of a symbol of a counted text that the indexed text lacks (indexed symbols are `1..`).
pub(crate) const ABSENT: u32 = 0;

/// An n-gram counting kernel over symbol ids: indexes one text (the hypothesis) once, then
/// counts the clipped matches of each other text (a reference) against it.
pub(crate) trait NgramCounter: Default {
    /// Indexes the n-grams of orders `1..=order` of `syms` (ids in `1..=max_id`). False,
    /// with nothing usable indexed, when this kernel cannot hold them (the caller then counts
    /// another way).
    fn index(&mut self, syms: &[u32], max_id: u32, order: usize) -> bool;

    /// Writes `[hyp count, ref count, matches]` of orders `1..=order` into `out` (`3 * order`
    /// entries) for the reference `syms` (hypothesis ids, [`ABSENT`] for a symbol the
    /// hypothesis lacks).
    fn clipped(&mut self, syms: &[u32], out: &mut [f64]);
}

/// Writes `[hyp count, ref count, matches]` per order into `out` from the lengths (`ref_len`
/// and `hyp_len` symbols) and the clipped `matches` of each order (as many orders as both
/// have). O(orders).
#[inline]
pub(crate) fn write_triples(ref_len: usize, hyp_len: usize, matches: &[u32], out: &mut [f64]) {
    for (n, (triple, &matched)) in out.chunks_exact_mut(3).zip(matches).enumerate() {
        let ref_count = (ref_len + 1).saturating_sub(n + 1);
        let hyp_count = (hyp_len + 1).saturating_sub(n + 1);
        // sacreBLEU: hypothesis n-grams do not count when the reference has none.
        triple[0] = if ref_count > 0 { hyp_count as f64 } else { 0.0 };
        triple[1] = ref_count as f64;
        triple[2] = f64::from(matched);
    }
}
