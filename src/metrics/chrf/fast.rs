//! The packed-key chrF kernel (the one [`Chrf::segment_stats_into`] runs).
//!
//! # Dense ids and packed keys
//!
//! Per segment, every character the hypothesis counts gets a dense id `1..=K` in order of
//! first appearance (ASCII through a 128-entry table, other characters through a small hash
//! map); a reference character that the hypothesis lacks gets [`ABSENT`] (0). With `b` the bit
//! width of `K`, the n-gram of ids `c_1 .. c_n` packs exactly into the `u64`
//! `c_1 << (n-1)b | ... | c_n` whenever `n * b <= 64` (at order 6: up to 1023 distinct
//! characters in one hypothesis). Keys are unique across orders as well, since `c_1 >= 1` puts
//! the top set bit of an n-gram's key in its n-th group of `b` bits. chrF++ words get dense ids
//! the same way, from a table of byte ranges of the hypothesis (compared on every hash hit, so
//! exact). When a key would not fit, [`reference`] computes the segment instead.
//!
//! # Counting
//!
//! Hypothesis n-grams of every order are counted in an open-addressing table of packed keys
//! (linear probing, load <= 1/2). Each reference n-gram is then looked up once, and matched
//! while the hypothesis count lasts (the clipped intersection). An n-gram whose (n-1)-gram
//! prefix is absent from the hypothesis cannot be present, so the walk from a reference
//! position stops at the first miss (or at the first [`ABSENT`] symbol). Tables stamp their
//! slots with a generation, so nothing is cleared between segments or references.
//!
//! # Cost
//!
//! O(N * (h + sum r_i)) table probes for maximum order N, and no allocation once the
//! thread-local buffers have grown to the longest segment seen on the thread (memory
//! O(N * h) slots).

use std::cell::RefCell;

use crate::distance::FxHashMap;

use super::{is_py_whitespace, reference, split_punctuation_spans, Chrf};

/// Id of a reference symbol that the hypothesis lacks (hypothesis symbols are `1..`).
const ABSENT: u32 = 0;
/// Entry of the ASCII table for a character that is skipped (whitespace, unless kept).
const SKIP: u32 = u32::MAX;
/// Multiplier of the Fibonacci hash of packed keys (2^64 divided by the golden ratio, odd).
const FIB: u64 = 0x9e37_79b9_7f4a_7c15;
/// Multiplier of rustc's FxHasher, for hashing the bytes of a word.
const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
/// Smallest table, in slots (a power of two).
const MIN_SLOTS: usize = 16;
/// Longest n-gram a packed key holds: ids have at least one bit.
const MAX_PACKED_ORDER: usize = 64;

/// The ASCII table with Python's ASCII whitespace (`str.isspace`: `\t \n \v \f \r`,
/// U+001C..U+001F and space) marked [`SKIP`] and everything else unseen.
const ASCII_SKIPPING_WHITESPACE: [u32; 128] = {
    let mut t = [ABSENT; 128];
    let mut c = 0;
    while c < 128 {
        if matches!(c, 0x09..=0x0d | 0x1c..=0x20) {
            t[c] = SKIP;
        }
        c += 1;
    }
    t
};

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// [`Chrf::segment_stats_into`] with this thread's buffers.
pub(super) fn segment_stats_into(m: &Chrf, hyp: &str, refs: &[&str], out: &mut [f64]) {
    let done = SCRATCH
        .try_with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => {
                scratch.segment(m, hyp, refs, out);
                true
            }
            Err(_) => false,
        })
        .unwrap_or(false);
    if !done {
        // Re-entered, or the thread is shutting down: fresh buffers.
        Scratch::default().segment(m, hyp, refs, out);
    }
}

/// Buffers reused across segments (all grow to the longest segment and stay).
#[derive(Default)]
struct Scratch {
    hyp_lower: String,
    ref_lower: String,
    hyp_chars: Vec<u32>,
    ref_chars: Vec<u32>,
    hyp_spans: Vec<(usize, usize)>,
    hyp_words: Vec<u32>,
    ref_words: Vec<u32>,
    chars: CharIds,
    words: WordIds,
    char_grams: NgramTable,
    word_grams: NgramTable,
    stats: Vec<f64>,
}

impl Scratch {
    fn segment(&mut self, m: &Chrf, hyp_text: &str, refs: &[&str], out: &mut [f64]) {
        let len = m.stats_len();
        let out = &mut out[..len];
        out.fill(0.0);
        if refs.is_empty() {
            return;
        }
        let Scratch {
            hyp_lower,
            ref_lower,
            hyp_chars,
            ref_chars,
            hyp_spans,
            hyp_words,
            ref_words,
            chars,
            words,
            char_grams,
            word_grams,
            stats,
        } = self;

        let hyp = lowercased(m.lowercase, hyp_text, hyp_lower);
        chars.start(m.whitespace);
        chars.encode_hyp(hyp, hyp_chars);
        let char_bits = bits_for(chars.max_id());
        let mut word_bits = 1;
        if m.word_order > 0 {
            hyp_spans.clear();
            split_punctuation_spans(hyp, |start, end| hyp_spans.push((start, end)));
            words.start(hyp_spans.len());
            hyp_words.clear();
            hyp_words.extend(
                hyp_spans
                    .iter()
                    .map(|&(start, end)| words.intern(hyp, start, end)),
            );
            word_bits = bits_for(words.max_id());
        }
        if !fits(m.char_order, char_bits) || !fits(m.word_order, word_bits) {
            reference::segment_stats_into(m, hyp_text, refs, out);
            return;
        }

        char_grams.fill(hyp_chars, m.char_order, char_bits, refs.len());
        if m.word_order > 0 {
            word_grams.fill(hyp_words, m.word_order, word_bits, refs.len());
        }
        stats.clear();
        stats.resize(len, 0.0);
        let mut best_f = -1.0;
        for r in refs {
            let r = lowercased(m.lowercase, r, ref_lower);
            let (char_stats, word_stats) = stats.split_at_mut(3 * m.char_order);
            chars.encode_ref(r, ref_chars);
            char_grams.match_into(ref_chars, hyp_chars.len(), char_bits, char_stats);
            if m.word_order > 0 {
                ref_words.clear();
                split_punctuation_spans(r, |start, end| {
                    ref_words.push(words.lookup(hyp, &r.as_bytes()[start..end]));
                });
                word_grams.match_into(ref_words, hyp_words.len(), word_bits, word_stats);
            }
            // As the reference kernel: keep the first reference with the highest F.
            let f = m.f_score(stats);
            if f > best_f {
                best_f = f;
                out.copy_from_slice(stats);
            }
        }
    }
}

/// `text`, lowercased into `buf` when `lower` (Python `str.lower`; ASCII text in place).
fn lowercased<'a>(lower: bool, text: &'a str, buf: &'a mut String) -> &'a str {
    if !lower {
        return text;
    }
    if text.is_ascii() {
        buf.clear();
        buf.push_str(text);
        buf.make_ascii_lowercase();
    } else {
        *buf = text.to_lowercase();
    }
    buf.as_str()
}

/// Bits needed for ids up to `max_id` (at least 1).
fn bits_for(max_id: u32) -> u32 {
    (u32::BITS - max_id.leading_zeros()).max(1)
}

/// True when an n-gram of `order` ids of `bits` bits packs into a `u64`.
fn fits(order: usize, bits: u32) -> bool {
    order <= MAX_PACKED_ORDER && order * bits as usize <= u64::BITS as usize
}

/// Dense ids of the characters of one segment's hypothesis.
struct CharIds {
    /// Id of each ASCII character, [`ABSENT`] if unseen, [`SKIP`] if removed.
    ascii: [u32; 128],
    /// Ids of the other characters.
    other: FxHashMap<char, u32>,
    /// The next id to give.
    next: u32,
    /// Keep whitespace characters (`Chrf::whitespace`).
    keep_whitespace: bool,
}

impl Default for CharIds {
    fn default() -> CharIds {
        CharIds {
            ascii: [ABSENT; 128],
            other: FxHashMap::default(),
            next: 1,
            keep_whitespace: false,
        }
    }
}

impl CharIds {
    /// Forgets the previous segment.
    fn start(&mut self, keep_whitespace: bool) {
        self.ascii = if keep_whitespace {
            [ABSENT; 128]
        } else {
            ASCII_SKIPPING_WHITESPACE
        };
        self.other.clear();
        self.next = 1;
        self.keep_whitespace = keep_whitespace;
    }

    /// The largest id given (0 when none).
    fn max_id(&self) -> u32 {
        self.next - 1
    }

    /// Ids of the counted characters of the hypothesis `text` into `out`, giving new ones.
    fn encode_hyp(&mut self, text: &str, out: &mut Vec<u32>) {
        out.clear();
        out.reserve(text.len());
        for c in text.chars() {
            let id = if c.is_ascii() {
                let slot = &mut self.ascii[c as usize];
                if *slot == SKIP {
                    continue;
                }
                if *slot == ABSENT {
                    *slot = self.next;
                    self.next += 1;
                }
                *slot
            } else {
                if !self.keep_whitespace && is_py_whitespace(c) {
                    continue;
                }
                let next = self.next;
                let id = *self.other.entry(c).or_insert(next);
                if id == next {
                    self.next += 1;
                }
                id
            };
            out.push(id);
        }
    }

    /// Ids of the counted characters of a reference `text` into `out` ([`ABSENT`] for a
    /// character the hypothesis lacks).
    fn encode_ref(&self, text: &str, out: &mut Vec<u32>) {
        out.clear();
        out.reserve(text.len());
        for c in text.chars() {
            let id = if c.is_ascii() {
                let id = self.ascii[c as usize];
                if id == SKIP {
                    continue;
                }
                id
            } else {
                if !self.keep_whitespace && is_py_whitespace(c) {
                    continue;
                }
                self.other.get(&c).copied().unwrap_or(ABSENT)
            };
            out.push(id);
        }
    }
}

/// A word of the hypothesis: its bytes are `hyp[start..end]`.
#[derive(Clone, Copy, Default)]
struct WordSlot {
    hash: u64,
    start: usize,
    end: usize,
    id: u32,
    /// Segment generation that wrote the slot; other values mean empty.
    stamp: u32,
}

/// Dense ids of the words of one segment's hypothesis (open addressing, load <= 1/2).
#[derive(Default)]
struct WordIds {
    slots: Vec<WordSlot>,
    mask: usize,
    shift: u32,
    stamp: u32,
    next: u32,
}

impl WordIds {
    /// Forgets the previous segment; room for `words` distinct words.
    fn start(&mut self, words: usize) {
        let size = words
            .saturating_mul(2)
            .max(MIN_SLOTS)
            .checked_next_power_of_two()
            .unwrap_or(MIN_SLOTS);
        if self.slots.len() < size {
            self.slots.resize(size, WordSlot::default());
        }
        self.mask = size - 1;
        self.shift = u64::BITS - size.trailing_zeros();
        if self.stamp == u32::MAX {
            self.slots.fill(WordSlot::default());
            self.stamp = 0;
        }
        self.stamp += 1;
        self.next = 1;
    }

    /// The largest id given (0 when none).
    fn max_id(&self) -> u32 {
        self.next - 1
    }

    /// Id of the hypothesis word `hyp[start..end]`, new if unseen this segment.
    fn intern(&mut self, hyp: &str, start: usize, end: usize) -> u32 {
        let word = &hyp.as_bytes()[start..end];
        let hash = hash_bytes(word);
        let mut i = (hash >> self.shift) as usize;
        loop {
            let slot = &mut self.slots[i];
            if slot.stamp != self.stamp {
                *slot = WordSlot {
                    hash,
                    start,
                    end,
                    id: self.next,
                    stamp: self.stamp,
                };
                self.next += 1;
                return slot.id;
            }
            if slot.hash == hash && &hyp.as_bytes()[slot.start..slot.end] == word {
                return slot.id;
            }
            i = (i + 1) & self.mask;
        }
    }

    /// Id of the reference word `word` ([`ABSENT`] if the hypothesis `hyp` lacks it).
    fn lookup(&self, hyp: &str, word: &[u8]) -> u32 {
        let hash = hash_bytes(word);
        let mut i = (hash >> self.shift) as usize;
        loop {
            let slot = &self.slots[i];
            if slot.stamp != self.stamp {
                return ABSENT;
            }
            if slot.hash == hash && &hyp.as_bytes()[slot.start..slot.end] == word {
                return slot.id;
            }
            i = (i + 1) & self.mask;
        }
    }
}

/// FxHash of `bytes`, eight at a time, seeded with the length.
fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut hash = (bytes.len() as u64).wrapping_mul(FX_SEED);
    for chunk in bytes.chunks(8) {
        let mut buf = [0u8; 8];
        buf[..chunk.len()].copy_from_slice(chunk);
        hash = (hash.rotate_left(5) ^ u64::from_le_bytes(buf)).wrapping_mul(FX_SEED);
    }
    hash
}

/// One hypothesis n-gram: its packed key and count, and how many of them the current
/// reference has matched.
#[derive(Clone, Copy, Default)]
struct Slot {
    key: u64,
    count: u32,
    used: u32,
    /// Segment generation that wrote the slot; other values mean empty.
    stamp: u32,
    /// Reference generation `used` belongs to; other values mean 0.
    used_stamp: u32,
}

/// The n-grams of one hypothesis by packed key (open addressing, linear probing,
/// load <= 1/2). Generations come from one clock: a segment takes one, each reference one.
#[derive(Default)]
struct NgramTable {
    slots: Vec<Slot>,
    mask: usize,
    shift: u32,
    /// Generation of the current segment.
    stamp: u32,
    /// The last generation given.
    clock: u32,
    /// Maximum order of the current segment.
    order: usize,
}

impl NgramTable {
    /// Counts every n-gram of `syms` of order `1..=order` (ids of `bits` bits, with
    /// `fits(order, bits)`), forgetting the previous segment; `refs` generations are kept
    /// free for the references. O(order * len) probes.
    fn fill(&mut self, syms: &[u32], order: usize, bits: u32, refs: usize) {
        let grams = syms.len().saturating_mul(order);
        let size = grams
            .saturating_mul(2)
            .max(MIN_SLOTS)
            .checked_next_power_of_two()
            .unwrap_or(MIN_SLOTS);
        if self.slots.len() < size {
            self.slots.resize(size, Slot::default());
        }
        self.mask = size - 1;
        self.shift = u64::BITS - size.trailing_zeros();
        let needed = u32::try_from(refs).unwrap_or(u32::MAX).saturating_add(1);
        if self.clock.checked_add(needed).is_none() {
            // The clock would wrap: forget every generation.
            self.slots.fill(Slot::default());
            self.clock = 0;
        }
        self.clock = self.clock.wrapping_add(1);
        self.stamp = self.clock;
        self.order = order;
        for i in 0..syms.len() {
            let mut key = 0u64;
            for &c in &syms[i..(i + order).min(syms.len())] {
                key = (key << bits) | u64::from(c);
                self.insert(key);
            }
        }
    }

    #[inline]
    fn insert(&mut self, key: u64) {
        let mut i = (key.wrapping_mul(FIB) >> self.shift) as usize;
        loop {
            let slot = &mut self.slots[i];
            if slot.stamp != self.stamp {
                *slot = Slot {
                    key,
                    count: 1,
                    used: 0,
                    stamp: self.stamp,
                    used_stamp: 0,
                };
                return;
            }
            if slot.key == key {
                slot.count += 1;
                return;
            }
            i = (i + 1) & self.mask;
        }
    }

    /// Writes `[hyp count, ref count, matches]` of every order of the reference `syms`
    /// (ids as the hypothesis' `hyp_len` symbols, [`ABSENT`] for others) into `out`
    /// (`3 * order` entries). O(order * len) probes at most.
    fn match_into(&mut self, syms: &[u32], hyp_len: usize, bits: u32, out: &mut [f64]) {
        self.clock = self.clock.wrapping_add(1);
        let used_stamp = self.clock;
        let order = self.order;
        let mut matches = [0u32; MAX_PACKED_ORDER];
        for i in 0..syms.len() {
            let mut key = 0u64;
            for (n, &c) in syms[i..(i + order).min(syms.len())].iter().enumerate() {
                if c == ABSENT {
                    break;
                }
                key = (key << bits) | u64::from(c);
                let Some(slot) = self.find(key) else {
                    break;
                };
                if slot.used_stamp != used_stamp {
                    slot.used_stamp = used_stamp;
                    slot.used = 0;
                }
                if slot.used < slot.count {
                    slot.used += 1;
                    matches[n] += 1;
                }
            }
        }
        for (n, (triple, &matched)) in out.chunks_exact_mut(3).zip(&matches).enumerate() {
            let ref_count = (syms.len() + 1).saturating_sub(n + 1);
            let hyp_count = (hyp_len + 1).saturating_sub(n + 1);
            // sacreBLEU: hypothesis n-grams do not count when the reference has none.
            triple[0] = if ref_count > 0 { hyp_count as f64 } else { 0.0 };
            triple[1] = ref_count as f64;
            triple[2] = f64::from(matched);
        }
    }

    #[inline]
    fn find(&mut self, key: u64) -> Option<&mut Slot> {
        let mut i = (key.wrapping_mul(FIB) >> self.shift) as usize;
        loop {
            let slot = &self.slots[i];
            if slot.stamp != self.stamp {
                return None;
            }
            if slot.key == key {
                return Some(&mut self.slots[i]);
            }
            i = (i + 1) & self.mask;
        }
    }
}
