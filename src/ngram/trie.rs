//! The n-grams of one text (the hypothesis) as a trie, walked by every other text (each
//! reference): the kernel chrF runs for every segment, over character and word ids, and BLEU
//! for one reference over token ids when the bit matrices ([`super::bitgrams`]) do not apply.
//!
//! # Nodes
//!
//! Per segment, every symbol of the hypothesis has a dense id `1..=K` (a reference symbol the
//! hypothesis lacks has [`ABSENT`]). An n-gram of the hypothesis is a node of a trie:
//! a unigram is its symbol id itself (`1..=K`), and the n-gram `g + s` (`n >= 2`) is the child
//! of the node of `g` along `s`. Children live in one of two tables:
//!
//! * [`DenseTrie`] (the usual one): a transition table indexed by `node << bits | s`, whose
//!   entries carry a per-hypothesis stamp so that it is never cleared. It needs
//!   `(K + 1 + (N - 1) h) << bits` entries, so it serves hypotheses up to
//!   [`DENSE_MAX_ENTRIES`] (a sentence of a few hundred characters over any alphabet) and
//!   orders up to [`DENSE_MAX_ORDER`]. Its tables are sized to need: they start at
//!   [`DENSE_MIN_ENTRIES`] entries and grow (zeroed, by powers of two, never shrinking) to
//!   the largest hypothesis the thread has indexed; the hot loops are compiled once per
//!   length, so indexes under `length - 1` need no bounds checks.
//! * [`HashedTrie`] (everything else): one open-addressing table keyed by the `u64`
//!   `(node of g) << 32 | s`; the node id of a child is `K + 1 +` its slot.
//!
//! # Counting
//!
//! The hypothesis is indexed once per segment (it is shared by all references): the node of
//! the n-gram at every position is inserted as the child of the (n-1)-gram's node there, and
//! counted (the dense trie does this order by order, one flat pass over the positions per
//! order, so the nodes of each order are one range of ids; the hashed one position by
//! position). A reference walks the same way but only looks up: once the hypothesis lacks its
//! n-gram at a position, no longer n-gram from there can match (the hashed trie stops there;
//! the dense one walks order by order too, carrying the empty node 0 on, so that its steps
//! are independent and branch-free). Every node found takes one from the node's remaining
//! hypothesis count when some is left, which adds up to `min(hyp count, ref count)` per
//! n-gram, the clipped intersection. The remaining counts are a copy of the hypothesis
//! counts per reference; the dense trie's walk only decrements them, and the matches of
//! each order are its hypothesis n-grams minus what remains over its node range. Per-order
//! totals come from the lengths.
//!
//! # Cost
//!
//! O(N * h) table inserts per segment and O(N * r) lookups per reference (the hashed trie
//! fewer when the reference diverges early), for texts of `h` and `r` symbols and maximum
//! order `N`, plus copying the O(N * h) counts per reference. No allocation once the thread-local buffers
//! have grown to the longest segment seen on the thread. Node keys fit any alphabet and any
//! order: the only text refused is one whose node ids would not fit in 31 bits.

use super::{write_triples, NgramCounter, ABSENT};

/// Multiplier of Fibonacci hashing (2^64 divided by the golden ratio, made odd).
const FIB: u64 = 0x9e37_79b9_7f4a_7c15;
/// Smallest table, in slots (a power of two).
const MIN_SLOTS: usize = 16;
/// Largest node count the kernel handles (ids, slots and their sum stay below `u32::MAX`);
/// [`Trie`] refuses longer hypotheses.
const MAX_NODES: usize = 1 << 30;

/// The n-grams of orders `1..=order` of one hypothesis, as trie nodes with their counts.
#[derive(Default)]
struct HashedTrie {
    /// Slot -> `parent << 32 | symbol` of the node there, 0 when empty. Only the first
    /// `mask + 1` slots are in use.
    keys: Vec<u64>,
    /// Node -> occurrences in the hypothesis. Nodes `1..=symbols` are the unigrams, node
    /// `base + slot` the n-gram in `keys[slot]`; `base + mask + 1` entries in use.
    counts: Vec<u32>,
    /// `symbols + 1`: the id of the node in slot 0.
    base: u32,
    /// Slots in use minus one (a power of two minus one).
    mask: usize,
    /// `64 - log2(slots)`: Fibonacci hashing keeps the top bits of the product.
    shift: u32,
    /// Maximum order.
    order: usize,
    /// Hypothesis length in symbols.
    len: usize,
}

impl HashedTrie {
    /// Indexes the n-grams of orders `1..=order` of `syms` (ids in `1..=symbols`). Returns
    /// false, indexing nothing, when the node ids would not fit in `u32`.
    /// O(order * len) time, plus O(slots) to clear the table.
    fn build(&mut self, syms: &[u32], symbols: u32, order: usize) -> bool {
        self.order = order;
        self.len = syms.len();
        if order == 0 {
            return true;
        }
        // Every position starts at most `order - 1` n-grams of order 2 and more.
        let nodes = syms.len().saturating_mul(order - 1);
        if nodes > MAX_NODES || symbols as usize > MAX_NODES {
            return false;
        }
        let slots = (2 * nodes).max(MIN_SLOTS).next_power_of_two();
        self.mask = slots - 1;
        self.shift = u64::BITS - slots.trailing_zeros();
        self.base = symbols + 1;
        if self.keys.len() < slots {
            self.keys.resize(slots, 0);
        }
        self.keys[..slots].fill(0);
        let counted = self.base as usize + slots;
        self.counts.clear();
        self.counts.resize(counted, 0);

        let keys = &mut self.keys[..slots];
        let counts = &mut self.counts[..counted];
        let (mask, shift, base) = (self.mask, self.shift, self.base);
        for (i, &first) in syms.iter().enumerate() {
            let mut node = first;
            counts[node as usize] += 1;
            let end = syms.len().min(i + order);
            for &sym in &syms[i + 1..end] {
                let key = (u64::from(node) << 32) | u64::from(sym);
                let slot = probe(keys, key, mask, shift);
                if keys[slot] == 0 {
                    keys[slot] = key;
                }
                node = base + slot as u32;
                counts[node as usize] += 1;
            }
        }
        true
    }

    /// Writes `[hyp count, ref count, matches]` of orders `1..=order` into `out`
    /// (`3 * order` entries) for the reference `syms` (hypothesis ids, [`ABSENT`] for a
    /// symbol the hypothesis lacks). O(order * len) time.
    fn clipped_matches(
        &self,
        syms: &[u32],
        remaining: &mut Vec<u32>,
        matches: &mut Vec<u32>,
        out: &mut [f64],
    ) {
        let order = self.order;
        if order == 0 {
            return;
        }
        matches.clear();
        matches.resize(order, 0);
        let slots = self.mask + 1;
        let counted = self.base as usize + slots;
        remaining.clear();
        remaining.extend_from_slice(&self.counts[..counted]);
        let keys = &self.keys[..slots];
        let remaining = &mut remaining[..counted];
        let (mask, shift, base) = (self.mask, self.shift, self.base);
        // One match of order `n` at `node` when the hypothesis has an occurrence left.
        let mut take = |node: u32, n: usize| {
            let left = remaining[node as usize];
            let hit = u32::from(left > 0);
            remaining[node as usize] = left - hit;
            matches[n] += hit;
        };
        for (i, &first) in syms.iter().enumerate() {
            if first == ABSENT {
                continue;
            }
            let mut node = first;
            take(node, 0);
            let end = syms.len().min(i + order);
            for (n, &sym) in syms[i + 1..end].iter().enumerate() {
                if sym == ABSENT {
                    break;
                }
                let key = (u64::from(node) << 32) | u64::from(sym);
                let slot = probe(keys, key, mask, shift);
                if keys[slot] == 0 {
                    break;
                }
                node = base + slot as u32;
                take(node, n + 1);
            }
        }
        write_triples(syms.len(), self.len, matches, out);
    }
}

/// Slot of `key` in a [`HashedTrie`]'s `keys` (`mask + 1` slots, `shift` = 64 - log2 of
/// that): where it is, or the empty slot (0) where it would go. Fibonacci hashing, then
/// linear probing; the table is at most half full, so the probe ends.
#[inline]
fn probe(keys: &[u64], key: u64, mask: usize, shift: u32) -> usize {
    let mut slot = (key.wrapping_mul(FIB) >> shift) as usize & mask;
    loop {
        let here = keys[slot];
        if here == key || here == 0 {
            return slot;
        }
        slot = (slot + 1) & mask;
    }
}

/// Largest [`DenseTrie`] table, in entries (4 MiB of `u32`); a hypothesis needing more is
/// indexed by a [`HashedTrie`] instead.
const DENSE_MAX_ENTRIES: usize = 1 << 20;
/// Smallest [`DenseTrie`] table, in entries (16 KiB of `u32`). On WMT22 ru-en a sentence's
/// characters at order 6 need 2^15 to 2^17 entries (its words at order 2 a few thousand),
/// so a thread's character table grows a few times, at its first sentences, and its word
/// table rarely: the start size only bounds what a thread of short sentences holds.
const DENSE_MIN_ENTRIES: usize = 1 << 12;

/// The n-grams of one hypothesis as a trie, dense ([`DenseTrie`]) when its table is small
/// enough, else hashed ([`HashedTrie`]). Both count the same. O(N * h) to index a
/// hypothesis of h symbols at order N, O(N * r) per reference of r symbols.
#[derive(Default)]
pub(crate) struct Trie {
    /// Tables allocated at the first hypothesis that fits it, grown to the largest since.
    dense: DenseTrie,
    hashed: HashedTrie,
    use_dense: bool,
    /// Never use the [`DenseTrie`] (tests of the [`HashedTrie`]).
    hashed_only: bool,
    /// Per reference, for the [`HashedTrie`]: the hypothesis counts still unmatched, and
    /// matches per order.
    remaining: Vec<u32>,
    matches: Vec<u32>,
}

impl Trie {
    /// A trie that indexes every hypothesis with the [`HashedTrie`] (the dense table is never
    /// used), for tests of the hashed one.
    #[cfg(test)]
    pub(crate) fn hashed_only() -> Trie {
        Trie {
            hashed_only: true,
            ..Trie::default()
        }
    }
}

impl NgramCounter for Trie {
    /// Densely when allowed and the table is small enough, else hashed. False when neither
    /// trie can hold the n-grams (node ids beyond 31 bits).
    fn index(&mut self, syms: &[u32], symbols: u32, order: usize) -> bool {
        self.use_dense = false;
        if !self.hashed_only {
            self.use_dense = self.dense.build(syms, symbols, order);
        }
        self.use_dense || self.hashed.build(syms, symbols, order)
    }

    /// See [`HashedTrie::clipped_matches`].
    fn clipped(&mut self, syms: &[u32], out: &mut [f64]) {
        if self.use_dense {
            self.dense.clipped_matches(syms, out);
        } else {
            self.hashed
                .clipped_matches(syms, &mut self.remaining, &mut self.matches, out);
        }
    }
}

/// Most orders a [`DenseTrie`] counts (its per-order node ranges and match counts are
/// small fixed arrays); more go to the [`HashedTrie`].
const DENSE_MAX_ORDER: usize = 32;

/// Bits of a node id in a [`DenseTrie`] entry: ids are below the largest table size,
/// [`DENSE_MAX_ENTRIES`].
const NODE_BITS: u32 = DENSE_MAX_ENTRIES.trailing_zeros();
/// Mask of the node id in a [`DenseTrie`] entry; the bits above hold the stamp.
const NODE_MASK: u32 = (1 << NODE_BITS) - 1;
/// Stamps run `1..=MAX_STAMP` (the bits above [`NODE_BITS`]); after that the table is
/// zeroed and they start again.
const MAX_STAMP: u32 = u32::MAX >> NODE_BITS;

/// The n-grams of orders `1..=order` of one hypothesis as a trie with a dense transition
/// table: node `p`'s child along symbol `s` is in `child[p << bits | s]`, with `bits` the
/// width of the largest symbol id. Nodes `1..=symbols` are the unigrams, and later nodes are
/// numbered in order of creation, order by order: the nodes of order `n` are the range
/// `starts[n - 1]..starts[n]`.
///
/// An entry holds `stamp << NODE_BITS | child`; an entry without the current hypothesis's
/// stamp (0, or written for an earlier one) means "no child", so the table is never cleared
/// between hypotheses (only its used part when the stamps wrap, once every [`MAX_STAMP`]
/// builds). Node 0 is nobody's parent, so a walk from [`ABSENT`] or along [`ABSENT`] ends
/// at once.
///
/// # Table sizes
///
/// The three tables have one length, sized to need: empty until the first build, then a
/// power of two from [`DENSE_MIN_ENTRIES`] up to [`DENSE_MAX_ENTRIES`], at least the
/// `entries` (so also the `nodes`, see [`Self::fits`]) of every hypothesis built since.
/// They grow to fresh zeroed tables and never shrink, so a thread holds `3 * 4` bytes per
/// entry of its largest hypothesis rounded up (about 2 MiB per thread for the two tries on
/// WMT22 ru-en; at most 12 MiB per trie). A fresh `child` holds no stamp, so it starts clean
/// (`dirty` 0) under the running stamp, wherever that is in its cycle.
///
/// The hot loops run in functions generic over that length (`N`, one instance per power
/// of two, chosen per call by `dispatch_len!`): each slices its tables to `..N` and
/// indexes them under `N - 1`, so the compiler drops every bounds check and keeps the
/// masks as immediates (a mask held in a register would take one more register in the walk,
/// whose select must stay branch-free).
#[derive(Default)]
struct DenseTrie {
    /// `node << bits | symbol` -> `stamp << NODE_BITS | child node`.
    child: Vec<u32>,
    /// Node -> occurrences in the hypothesis (entry 0 stays 0); `next` entries in use.
    /// Length that of `child`.
    counts: Vec<u32>,
    /// Per reference: node -> hypothesis occurrences not matched yet. Length that of
    /// `child`.
    remaining: Vec<u32>,
    /// Entries of `child` written since it was last zeroed (a prefix, at most its length).
    dirty: usize,
    /// Node of the current order at each position of the text being indexed or walked.
    cur: Vec<u32>,
    /// `starts[n - 1]..starts[n]` are the nodes of order `n` (`starts[0]` = 1); `order + 1`
    /// entries, orders past the hypothesis length have empty ranges.
    starts: Vec<u32>,
    /// Stamp of the current hypothesis, shifted into place (`stamp << NODE_BITS`).
    stamp: u32,
    /// The next node id to give (the number of nodes in use).
    next: u32,
    /// `1 << bits`, with `bits` the width of the largest symbol id: `node << bits` is
    /// computed as `node * scale`: a product by a stored value is one multiply, where a
    /// shift by a variable needs its count moved into `cl` at every step.
    scale: u32,
    /// Maximum order.
    order: usize,
    /// Hypothesis length in symbols.
    len: usize,
}

/// Calls `$f::<N>($args)` with `N` the length `$len` of the [`DenseTrie`] tables (a power
/// of two from [`DENSE_MIN_ENTRIES`] to [`DENSE_MAX_ENTRIES`]).
macro_rules! dispatch_len {
    ($len:expr, $f:ident($($arg:expr),*)) => {
        match $len {
            0x1000 => $f::<0x1000>($($arg),*),
            0x2000 => $f::<0x2000>($($arg),*),
            0x4000 => $f::<0x4000>($($arg),*),
            0x8000 => $f::<0x8000>($($arg),*),
            0x1_0000 => $f::<0x1_0000>($($arg),*),
            0x2_0000 => $f::<0x2_0000>($($arg),*),
            0x4_0000 => $f::<0x4_0000>($($arg),*),
            0x8_0000 => $f::<0x8_0000>($($arg),*),
            _ => $f::<DENSE_MAX_ENTRIES>($($arg),*),
        }
    };
}
// The arms of `dispatch_len` cover every table length.
const _: () = assert!(DENSE_MIN_ENTRIES == 0x1000 && DENSE_MAX_ENTRIES == 0x10_0000);

impl DenseTrie {
    /// Makes the tables at least `entries` long (at most [`DENSE_MAX_ENTRIES`], from
    /// [`Self::fits`]): fresh zeroed tables of the next power of two, at least
    /// [`DENSE_MIN_ENTRIES`], when they are shorter. O(new length) when they grow, else O(1).
    fn reserve(&mut self, entries: usize) {
        if entries <= self.child.len() {
            return;
        }
        let len = entries.max(DENSE_MIN_ENTRIES).next_power_of_two();
        // The old tables are dropped first, not copied.
        for table in [&mut self.child, &mut self.counts, &mut self.remaining] {
            *table = Vec::new();
            *table = vec![0; len];
        }
        // Zeroed entries hold no stamp: none can pass for the current or a later one.
        self.dirty = 0;
    }

    /// `(nodes, entries)` of the trie of `len` symbols (ids in `1..=symbols`) at `order`
    /// (at least 1): node ids stay below `nodes = symbols + 1 + (order - 1) * len`, and
    /// table indexes below `entries = nodes << bits`. `None` when the table would exceed
    /// [`DENSE_MAX_ENTRIES`] or the order [`DENSE_MAX_ORDER`].
    fn fits(len: usize, symbols: u32, order: usize) -> Option<(usize, usize)> {
        let bits = u32::BITS - symbols.leading_zeros();
        let nodes = len
            .checked_mul(order.saturating_sub(1))?
            .checked_add(symbols as usize + 1)?;
        let entries = nodes.checked_shl(bits)?;
        (entries <= DENSE_MAX_ENTRIES && order <= DENSE_MAX_ORDER).then_some((nodes, entries))
    }

    /// Indexes the n-grams of orders `1..=order` of `syms` (ids in `1..=symbols`). Returns
    /// false, indexing nothing, unless it [`fits`](Self::fits). O(order * len) time (plus
    /// zeroing the used table once every [`MAX_STAMP`] builds, and fresh tables when this
    /// hypothesis needs more entries than any before: see [`Self::reserve`]).
    fn build(&mut self, syms: &[u32], symbols: u32, order: usize) -> bool {
        self.next = 0;
        self.order = order;
        self.len = syms.len();
        if order == 0 {
            return true;
        }
        let Some((nodes, entries)) = Self::fits(syms.len(), symbols, order) else {
            return false;
        };
        // At most 20 bits, as the table fits.
        self.scale = 1 << (u32::BITS - symbols.leading_zeros());
        self.reserve(entries);
        let mut stamp = (self.stamp >> NODE_BITS) + 1;
        if stamp > MAX_STAMP {
            self.child[..self.dirty].fill(0);
            self.dirty = 0;
            stamp = 1;
        }
        self.dirty = self.dirty.max(entries);
        self.stamp = stamp << NODE_BITS;
        self.next = dispatch_len!(self.child.len(), index_orders(self, syms, symbols, nodes));
        true
    }

    /// See [`HashedTrie::clipped_matches`]. Each node found takes one from its remaining
    /// count (a copy of the hypothesis counts) when some is left; the matches of order `n`
    /// are then the hypothesis n-grams minus what remains over the nodes of order `n`
    /// (summed once per order, after the walk).
    ///
    /// The reference is walked order by order, like [`Self::build`]: `cur[i]` is the node of
    /// its n-gram at `i`, or 0 once the hypothesis lacks it (node 0 is nobody's parent and
    /// has no count, so it stays 0 and takes nothing). Every step of a pass is then
    /// independent of the others and branch-free, so the table loads overlap (a walk position
    /// by position would chain them, and mispredict where each walk ends). It counts the same
    /// (position, order) pairs as that walk, and the order of the decrements does not change
    /// what remains.
    fn clipped_matches(&mut self, syms: &[u32], out: &mut [f64]) {
        let order = self.order;
        if order == 0 {
            return;
        }
        let used = self.next as usize;
        self.remaining[..used].copy_from_slice(&self.counts[..used]);
        dispatch_len!(self.child.len(), walk_orders(self, syms));
        let mut matches = [0u32; DENSE_MAX_ORDER];
        for (n, (range, matched)) in self.starts.windows(2).zip(&mut matches).enumerate() {
            let left: u32 = self
                .remaining
                .get(range[0] as usize..range[1] as usize)
                .unwrap_or(&[])
                .iter()
                .sum();
            // Every hypothesis position with room starts one n-gram of order `n + 1`.
            let hyp_ngrams = (self.len + 1).saturating_sub(n + 1) as u32;
            *matched = hyp_ngrams - left;
        }
        write_triples(syms.len(), self.len, &matches[..order], out);
    }
}

/// The table work of [`DenseTrie::build`] (stamp set, tables of length `N` at least its
/// `entries`): counts the unigrams, then creates and counts the nodes order by order, and
/// fills `starts`. Returns the next node id. O(order * len).
fn index_orders<const N: usize>(
    trie: &mut DenseTrie,
    syms: &[u32],
    symbols: u32,
    nodes: usize,
) -> u32 {
    let mask = N - 1;
    let (scale, stamp, order) = (trie.scale, trie.stamp, trie.order);
    let counts = &mut trie.counts[..N];
    counts[..nodes].fill(0);
    for &sym in syms {
        counts[sym as usize & mask] += 1;
    }
    let first_inner = symbols + 1;
    trie.starts.clear();
    trie.starts.extend([1, first_inner]);
    // Order by order: `cur[i]` is the node of the n-gram at `i`, extended by one symbol
    // per pass (positions without room drop off the end).
    let cur = &mut trie.cur;
    cur.clear();
    cur.extend_from_slice(syms);
    let child = &mut trie.child[..N];
    let mut next = first_inner;
    for n in 2..=order {
        for (node, &sym) in cur.iter_mut().zip(syms.get(n - 1..).unwrap_or(&[])) {
            let entry = &mut child[((*node).wrapping_mul(scale) | sym) as usize & mask];
            let found = *entry ^ stamp;
            // Branch-free: a new node takes id `next` (its count is still 0).
            let new = found > NODE_MASK;
            let id = if new { next } else { found };
            *entry = id | stamp;
            counts[id as usize & mask] += 1;
            next += u32::from(new);
            *node = id;
        }
        trie.starts.push(next);
    }
    next
}

/// The walk of [`DenseTrie::clipped_matches`] (tables of length `N`, `remaining` holding
/// the hypothesis counts): takes every node of the reference `syms` from `remaining`.
/// O(order * len).
fn walk_orders<const N: usize>(trie: &mut DenseTrie, syms: &[u32]) {
    let mask = N - 1;
    let (scale, stamp, order) = (trie.scale, trie.stamp, trie.order);
    let remaining = &mut trie.remaining[..N];
    let child = &trie.child[..N];
    let cur = &mut trie.cur;
    cur.clear();
    cur.extend_from_slice(syms);
    for &node in cur.iter() {
        let left = &mut remaining[node as usize & mask];
        *left = left.saturating_sub(1);
    }
    for n in 2..=order {
        for (node, &sym) in cur.iter_mut().zip(syms.get(n - 1..).unwrap_or(&[])) {
            let found = child[((*node).wrapping_mul(scale) | sym) as usize & mask] ^ stamp;
            // A child of this hypothesis is below `next`, so at most `mask`; any other
            // entry gives more than NODE_MASK, so more. The clamp bounds the index too.
            let id = if found > mask as u32 { 0 } else { found };
            *node = id;
            let left = &mut remaining[id as usize];
            *left = left.saturating_sub(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Clipped matches of `refs` against `hyp` (symbol ids `1..=4`, or ABSENT in `refs`)
    /// with `trie`, order by order.
    fn matches(trie: &mut DenseTrie, hyp: &[u32], refs: &[u32], order: usize) -> Vec<f64> {
        assert!(trie.build(hyp, 4, order));
        let mut out = vec![f64::NAN; 3 * order];
        trie.clipped_matches(refs, &mut out);
        out.chunks(3).map(|t| t[2]).collect()
    }

    #[test]
    fn dense_trie_survives_stamp_wraparound() {
        // `a` once (its entries carry the first stamp), then `b` (which lacks the bigram
        // 1 2 that the reference has) past the point where the stamps wrap: were the table
        // not zeroed then, `b` would see `a`'s entries as its own.
        let mut trie = DenseTrie::default();
        let (a, b) = ([1, 2, 3, 1, 2, 3, 4], [3, 2, 1, 3, 2]);
        let reference = [1, 2, 3, 4, 3, 2, 1, 0, 1, 2];
        assert_eq!(matches(&mut trie, &a, &reference, 4), [7.0, 4.0, 2.0, 1.0]);
        for round in 0..2 * MAX_STAMP as usize + 3 {
            assert_eq!(
                matches(&mut trie, &b, &reference, 4),
                [5.0, 2.0, 1.0, 0.0],
                "round {round}"
            );
        }
        assert_eq!(matches(&mut trie, &a, &reference, 4), [7.0, 4.0, 2.0, 1.0]);
        // The walk from ABSENT ends at once.
        assert_eq!(matches(&mut trie, &a, &[0, 0, 1], 3), [1.0, 0.0, 0.0]);
    }

    /// A small xorshift generator: reproducible texts without a dependency.
    struct Rng(u64);

    impl Rng {
        /// Uniform-enough in `0..n` (`n >= 1`).
        fn below(&mut self, n: u32) -> u32 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % u64::from(n)) as u32
        }
    }

    /// A reference made of pieces of `hyp` (so that n-grams of every order match and get
    /// clipped) and random ids in `0..=symbols` (0 being ABSENT).
    fn related_reference(rng: &mut Rng, hyp: &[u32], symbols: u32) -> Vec<u32> {
        let mut out = Vec::new();
        for _ in 0..1 + rng.below(6) {
            let start = rng.below(hyp.len().max(1) as u32) as usize;
            let take = rng.below(hyp.len().min(40) as u32 + 1) as usize;
            out.extend(hyp.get(start..(start + take).min(hyp.len())).unwrap_or(&[]));
            for _ in 0..rng.below(3) {
                out.push(rng.below(symbols + 1));
            }
        }
        out
    }

    /// Builds `hyp` in `dense` and in a fresh hashed trie and checks that a few related
    /// references get the same counts from both.
    fn check_against_hashed(
        dense: &mut DenseTrie,
        rng: &mut Rng,
        hyp: &[u32],
        symbols: u32,
        order: usize,
        what: &str,
    ) {
        let mut hashed = HashedTrie::default();
        assert!(dense.build(hyp, symbols, order), "{what}: fits");
        assert!(hashed.build(hyp, symbols, order), "{what}");
        let (mut remaining, mut matches) = (Vec::new(), Vec::new());
        let mut refs = vec![hyp.to_vec()];
        refs.extend((0..3).map(|_| related_reference(rng, hyp, symbols)));
        for (r, reference) in refs.iter().enumerate() {
            let mut want = vec![f64::NAN; 3 * order];
            hashed.clipped_matches(reference, &mut remaining, &mut matches, &mut want);
            let mut got = vec![f64::NAN; 3 * order];
            dense.clipped_matches(reference, &mut got);
            assert_eq!(got, want, "{what}, reference {r}");
        }
    }

    #[test]
    fn dense_trie_grows_and_shrinks_like_the_hashed_trie() {
        // Hypotheses whose tables need from under the smallest size up to the largest
        // (every power of two on the way) and back down, over 63 symbols (6 bits) at order
        // 6, then over 3 symbols at order 32; each checked against the hashed trie. The
        // run starts at several stamps so that the stamps wrap before, during and after
        // the growth, and ends with enough small hypotheses to wrap again after the
        // largest one: stale entries of a larger hypothesis must never pass for current
        // ones, in a grown table or after a wrap.
        let lens = [0, 9, 20, 45, 95, 200, 400, 800, 1600, 3200, 3260];
        let schedule: Vec<usize> = lens.iter().chain(lens.iter().rev()).copied().collect();
        for start in [0, MAX_STAMP - 5, MAX_STAMP - 12, MAX_STAMP] {
            let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ u64::from(start));
            let mut dense = DenseTrie {
                stamp: start << NODE_BITS,
                ..DenseTrie::default()
            };
            let mut sizes = Vec::new();
            for (round, &len) in schedule.iter().enumerate() {
                let hyp: Vec<u32> = (0..len).map(|_| 1 + rng.below(63)).collect();
                let what = format!("start {start}, round {round}, length {len}");
                check_against_hashed(&mut dense, &mut rng, &hyp, 63, 6, &what);
                sizes.push(dense.child.len());
            }
            // The table grew through every size, never past the largest, never shrank.
            assert_eq!(sizes[0], DENSE_MIN_ENTRIES);
            assert_eq!(*sizes.last().unwrap_or(&0), DENSE_MAX_ENTRIES);
            assert!(sizes.windows(2).all(|w| w[0] <= w[1]));
            let grown: std::collections::BTreeSet<usize> = sizes.iter().copied().collect();
            assert_eq!(grown.len(), 9, "{sizes:?}");
            // High orders over a small alphabet, up to the largest table.
            for len in [5, 300, 1000, 8000, 32_000, 300, 3] {
                let hyp: Vec<u32> = (0..len).map(|_| 1 + rng.below(3)).collect();
                let order = if len > 10_000 { 9 } else { 32 };
                let what = format!("start {start}, 3 symbols, length {len}");
                check_against_hashed(&mut dense, &mut rng, &hyp, 3, order, &what);
            }
            // A large hypothesis, then small ones (which reuse the largest table) past the
            // next wrap, until the stamps come back to the large one's: another large
            // hypothesis then gets its stamp, and must not see the first one's entries
            // (the wrap zeroes all that was written since the last one, not only what the
            // last hypothesis used).
            for round in 0..3 {
                let hyp: Vec<u32> = (0..3200).map(|_| 1 + rng.below(63)).collect();
                let what = format!("start {start}, large {round}");
                check_against_hashed(&mut dense, &mut rng, &hyp, 63, 6, &what);
                for small in 0..MAX_STAMP - 1 {
                    let len = 1 + rng.below(30) as usize;
                    let hyp: Vec<u32> = (0..len).map(|_| 1 + rng.below(63)).collect();
                    let what = format!("start {start}, large {round}, small {small}");
                    check_against_hashed(&mut dense, &mut rng, &hyp, 63, 6, &what);
                }
            }
        }
    }
}
