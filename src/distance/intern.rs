//! Dense word ids for the words of a few texts, with a table that is reused across segments.
//!
//! The word metrics compare words only within one segment (a hypothesis and its references),
//! so ids `0..k` in order of first appearance are enough, and the kernels index tables by them.
//! A word is stored as its position (text number and byte range), never as a borrowed `&str`,
//! so the table holds no borrow and can live in a per-thread buffer: after warm-up, interning
//! a segment allocates nothing.
//!
//! It is the crate's one token interner, not an n-gram piece: WER and TER intern their words
//! with it, BLEU the tokens of a hypothesis and its one reference, chrF++ its words. Its hash
//! also gives [`word_key`], the token keys of the bit-matrix n-gram kernel
//! (`ngram::bitgrams`), which is why that stays here too.

/// Open-addressing table from words to dense ids (see the module docs).
///
/// Invariant: `slots.len()` is a power of two at least twice the number of words interned
/// since the last [`SpanInterner::reset`] (so probing always finds an empty slot), and
/// `shift == 64 - log2(slots.len())` (a hash's top bits pick its first slot).
#[derive(Debug, Default, Clone)]
pub struct SpanInterner {
    /// `id + 1` of the word in each slot, 0 when empty.
    slots: Vec<u32>,
    shift: u32,
    /// Per id: where the word is and its hash and first bytes.
    words: Vec<Word>,
}

/// An interned word: `hash` and `prefix` from [`hash_word`], its length, and its place
/// (text number and first byte) in the texts.
#[derive(Debug, Clone, Copy)]
struct Word {
    hash: u64,
    prefix: u64,
    len: usize,
    text: u32,
    start: usize,
}

/// Multiplier of the word hash (rustc's FxHash constant, from the golden ratio).
const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// The first `min(8, b.len())` bytes of `b`, little-endian, zero-padded. Fixed-size loads
/// only (a variable-length copy would call `memcpy`): 4 to 7 bytes are two overlapping 4-byte
/// loads, 1 to 3 bytes three single bytes (overlaps OR the same byte into the same place).
#[inline(always)]
fn load8(b: &[u8]) -> u64 {
    let n = b.len();
    if let Some(head) = b.first_chunk::<8>() {
        u64::from_le_bytes(*head)
    } else if n >= 4 {
        let lo = u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
        let hi = u64::from(u32::from_le_bytes([b[n - 4], b[n - 3], b[n - 2], b[n - 1]]));
        lo | (hi << (8 * (n - 4)))
    } else if n > 0 {
        u64::from(b[0])
            | (u64::from(b[n / 2]) << (8 * (n / 2)))
            | (u64::from(b[n - 1]) << (8 * (n - 1)))
    } else {
        0
    }
}

/// `(hash, prefix)` of a word: `prefix` is its first 8 bytes ([`load8`]), so two words of at
/// most 8 bytes are equal exactly when their lengths and prefixes are; the hash mixes every
/// 8-byte chunk and the length (FxHash-style), and its top bits are the well-mixed ones.
#[inline(always)]
fn hash_word(w: &[u8]) -> (u64, u64) {
    hash_with_prefix(w, load8(w))
}

/// [`hash_word`] of `text[start..end]`, its prefix read by [`span_prefix`].
#[inline(always)]
fn hash_span(text: &[u8], start: usize, end: usize) -> (u64, u64) {
    hash_with_prefix(&text[start..end], span_prefix(text, start, end))
}

/// [`load8`] of `text[start..end]` as one 8-byte load masked to the word's length, which
/// saves [`load8`]'s branches on the length: the 8 bytes from `start` (words inside a line),
/// or, near the end of a text of at least 8 bytes (a line's last words), its last 8 bytes
/// shifted down to `start`.
#[inline(always)]
fn span_prefix(text: &[u8], start: usize, end: usize) -> u64 {
    let n = end - start;
    let bytes = match text.get(start..).and_then(|t| t.first_chunk::<8>()) {
        Some(chunk) => u64::from_le_bytes(*chunk),
        None => match text.last_chunk::<8>() {
            // `start > text.len() - 8`: drop the bytes before `start` (a shift of 64, for
            // an empty word at the very end, leaves nothing).
            Some(tail) => u64::from_le_bytes(*tail)
                .checked_shr(8 * (start + 8 - text.len()) as u32)
                .unwrap_or(0),
            None => return load8(&text[start..end]),
        },
    };
    let mask = if n >= 8 { u64::MAX } else { (1 << (8 * n)) - 1 };
    bytes & mask
}

/// Bit 63 of a [`word_key`]: set for words of [`KEY_EXACT_LEN`] bytes or more.
pub const KEY_HASHED: u64 = 1 << 63;

/// Longest word whose [`word_key`] is the word itself (plus one: words shorter than this).
pub const KEY_EXACT_LEN: usize = 8;

/// A 64-bit key of the word `text[start..end]`. A word shorter than [`KEY_EXACT_LEN`] (7
/// bytes or fewer) is its own key: its bytes, zero-padded, with its length in the top byte
/// (0 to 7, so [`KEY_HASHED`] is clear), and two such words have equal keys exactly when they
/// are equal. A longer word's key is its hash (the one [`SpanInterner`] uses) with
/// [`KEY_HASHED`] set: equal words have equal keys, but two different long words may share
/// one, so callers compare the bytes of long words whose keys are equal. O(word length);
/// fixed-size loads only. `start..end` must be a range of `text`, as for slicing (the
/// tokenisers' ranges always are; anything else panics like a slice index).
#[inline(always)]
pub fn word_key(text: &[u8], start: usize, end: usize) -> u64 {
    let n = end - start;
    let prefix = span_prefix(text, start, end);
    if n < KEY_EXACT_LEN {
        prefix | (n as u64) << 56
    } else {
        hash_with_prefix(&text[start..end], prefix).0 | KEY_HASHED
    }
}

/// [`hash_word`] given the word's `prefix` (its [`load8`]). A word over 8 bytes mixes in
/// its whole 8-byte chunks after the prefix, then its last 8 bytes (overlapping the chunk
/// before when the length is not a multiple of 8): fixed-size loads only.
#[inline(always)]
fn hash_with_prefix(w: &[u8], prefix: u64) -> (u64, u64) {
    let mix = |h: u64, chunk: &[u8; 8]| {
        (h.rotate_left(5) ^ u64::from_le_bytes(*chunk)).wrapping_mul(SEED)
    };
    let mut h = (prefix ^ (w.len() as u64).rotate_right(8)).wrapping_mul(SEED);
    if w.len() > 8 {
        let mut rest = &w[8..];
        while let Some((chunk, tail)) = rest.split_first_chunk::<8>().filter(|(_, t)| !t.is_empty())
        {
            h = mix(h, chunk);
            rest = tail;
        }
        if let Some(last) = w.last_chunk::<8>() {
            h = mix(h, last);
        }
    }
    (h, prefix)
}

impl SpanInterner {
    /// Forgets all words; room for at most `max_words` interned words (distinct or not)
    /// before the next reset, at a load factor of at most 1/4 (short probes: measured 1-2%
    /// faster for BLEU and 4% for WER than 1/2). O(max_words).
    pub fn reset(&mut self, max_words: usize) {
        let cap = max_words.saturating_mul(4).next_power_of_two().max(16);
        self.slots.clear();
        self.slots.resize(cap, 0);
        self.shift = 64 - cap.trailing_zeros();
        self.words.clear();
    }

    /// Number of distinct words so far (ids are `0..len()`).
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether no word was interned since the last reset.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Slot where the probe for `(hash, prefix)` of `word` ends: the word's slot, or the empty
    /// slot where it would go. Needs a non-empty table.
    #[inline(always)]
    fn probe<'t>(
        &self,
        word: &[u8],
        hash: u64,
        prefix: u64,
        texts: impl Fn(u32) -> &'t str,
    ) -> usize {
        let mask = self.slots.len() - 1;
        let mut k = (hash >> self.shift) as usize & mask;
        loop {
            let slot = self.slots[k];
            if slot == 0 {
                return k;
            }
            let w = &self.words[slot as usize - 1];
            if w.hash == hash
                && w.prefix == prefix
                && w.len == word.len()
                && (word.len() <= 8
                    || texts(w.text).as_bytes().get(w.start + 8..w.start + w.len) == word.get(8..))
            {
                return k;
            }
            k = (k + 1) & mask;
        }
    }

    /// The id of the word `texts(text)[start..end]`; equal words (byte-equal) get equal ids.
    /// `texts` maps a text number to its text and must give the same texts between resets.
    /// More words than announced to [`Self::reset`] grow the table (no panic).
    /// Expected O(word length).
    #[inline(always)]
    pub fn intern<'t>(
        &mut self,
        text: u32,
        start: usize,
        end: usize,
        texts: impl Fn(u32) -> &'t str,
    ) -> u32 {
        if (self.words.len() + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let bytes = texts(text).as_bytes();
        let word = &bytes[start..end];
        let (hash, prefix) = hash_span(bytes, start, end);
        let k = self.probe(word, hash, prefix, &texts);
        match self.slots[k] {
            0 => {
                let id = self.words.len() as u32;
                self.words.push(Word {
                    hash,
                    prefix,
                    len: word.len(),
                    text,
                    start,
                });
                self.slots[k] = id + 1;
                id
            }
            slot => slot - 1,
        }
    }

    /// The id of the word `texts(text)[start..end]` if it was interned since the last reset,
    /// without interning it. Expected O(word length).
    #[inline(always)]
    pub fn get<'t>(
        &self,
        text: u32,
        start: usize,
        end: usize,
        texts: impl Fn(u32) -> &'t str,
    ) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let bytes = texts(text).as_bytes();
        let (hash, prefix) = hash_span(bytes, start, end);
        let k = self.probe(&bytes[start..end], hash, prefix, &texts);
        self.slots[k].checked_sub(1)
    }

    /// The id of `word` (any bytes, e.g. from a text not given to `texts`) if it was interned
    /// since the last reset. Expected O(word length).
    #[inline]
    pub fn get_word<'t>(&self, word: &[u8], texts: impl Fn(u32) -> &'t str) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let (hash, prefix) = hash_word(word);
        let k = self.probe(word, hash, prefix, &texts);
        self.slots[k].checked_sub(1)
    }

    /// Doubles the table and re-inserts the words (their hashes are stored).
    fn grow(&mut self) {
        let cap = (self.slots.len() * 2).max(16);
        self.slots.clear();
        self.slots.resize(cap, 0);
        self.shift = 64 - cap.trailing_zeros();
        let mask = cap - 1;
        for (id, w) in self.words.iter().enumerate() {
            let mut k = (w.hash >> self.shift) as usize & mask;
            while self.slots[k] != 0 {
                k = (k + 1) & mask;
            }
            self.slots[k] = id as u32 + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_lengths_and_long_words_are_told_apart() {
        // Equal first 8 bytes, different tails; a word and the same word with a NUL byte
        // (equal zero-padded prefix, different length); a long word seen twice.
        let text = "internationalisation internationally a a\u{0} internationalisation";
        let get = |_| text;
        let mut it = SpanInterner::default();
        it.reset(8);
        let mut ids = Vec::new();
        let mut pos = 0;
        for w in text.split(' ') {
            ids.push(it.intern(0, pos, pos + w.len(), get));
            pos += w.len() + 1;
        }
        assert_eq!(ids, [0, 1, 2, 3, 0]);
        assert_eq!(it.get(0, 0, 13, get), None); // "international"
    }

    use proptest::prelude::*;
    use std::collections::HashMap;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// `SpanInterner` numbers words like a `HashMap` in order of first appearance, across texts,
        /// for words around the packed length (8 bytes), with NUL bytes and non-ASCII.
        #[test]
        fn word_ids_equal_hash_map(
            texts in prop::collection::vec(
                prop::collection::vec(
                    prop::collection::vec(prop::sample::select(vec!["a", "b", "\0", "é", "xyz"]), 1..6)
                        .prop_map(|parts| parts.concat()),
                    0..30,
                ),
                1..4,
            )
        ) {
            let joined: Vec<String> = texts.iter().map(|t| t.join(" ")).collect();
            let get = |t: u32| joined[t as usize].as_str();
            let mut ids = SpanInterner::default();
            ids.reset(4); // small on purpose: exercises grow()
            let mut oracle: HashMap<&str, u32> = HashMap::new();
            for (t, text) in joined.iter().enumerate() {
                let mut pos = 0;
                for w in text.split(' ').filter(|w| !w.is_empty()) {
                    let start = text[pos..].find(w).unwrap() + pos;
                    pos = start + w.len();
                    let next = oracle.len() as u32;
                    let want = *oracle.entry(w).or_insert(next);
                    prop_assert_eq!(ids.intern(t as u32, start, pos, get), want);
                }
            }
        }

    }

    proptest! {
        /// The masked 8-byte load gives the same `(hash, prefix)` as [`hash_word`] on every
        /// span of a text, near its end (fewer than 8 bytes left) and inside it.
        #[test]
        fn hash_span_equals_hash_word(text in prop::collection::vec(any::<u8>(), 0..24)) {
            for start in 0..=text.len() {
                for end in start..=text.len() {
                    prop_assert_eq!(
                        hash_span(&text, start, end),
                        hash_word(&text[start..end]),
                        "{}..{}", start, end
                    );
                }
            }
        }
    }

    proptest! {
        /// Two spans of short words (under 8 bytes) have equal keys exactly when their bytes
        /// are equal; equal long words have equal keys; [`KEY_HASHED`] marks the long ones.
        #[test]
        fn word_keys_are_exact_for_short_words(
            text in prop::collection::vec(prop::sample::select(vec![0u8, 1, 7, b'a', b'b', 0xC3]), 0..20)
        ) {
            let spans: Vec<(usize, usize)> = (0..=text.len())
                .flat_map(|a| (a..=text.len()).map(move |b| (a, b)))
                .collect();
            for &(a, b) in &spans {
                let key = word_key(&text, a, b);
                prop_assert_eq!(key & KEY_HASHED != 0, b - a >= KEY_EXACT_LEN);
                for &(c, d) in &spans {
                    let other = word_key(&text, c, d);
                    let same = text[a..b] == text[c..d];
                    if b - a < KEY_EXACT_LEN && d - c < KEY_EXACT_LEN {
                        prop_assert_eq!(key == other, same, "{:?} {:?}", &text[a..b], &text[c..d]);
                    } else if same {
                        prop_assert_eq!(key, other);
                    } else if (b - a < KEY_EXACT_LEN) != (d - c < KEY_EXACT_LEN) {
                        prop_assert_ne!(key, other);
                    }
                }
            }
        }
    }

    #[test]
    fn load8_is_the_zero_padded_prefix() {
        let bytes: Vec<u8> = (1..=12).collect();
        for n in 0..=12 {
            let mut buf = [0u8; 8];
            let k = n.min(8);
            buf[..k].copy_from_slice(&bytes[..k]);
            assert_eq!(load8(&bytes[..n]), u64::from_le_bytes(buf), "{n}");
        }
    }

    #[test]
    fn dense_ids_in_first_appearance_order() {
        let texts = ["the cat the", "cat dog"];
        let get = |t: u32| texts[t as usize];
        let mut it = SpanInterner::default();
        it.reset(2); // fewer than interned below: the table grows
        let mut ids = Vec::new();
        for (t, text) in texts.iter().enumerate() {
            let mut pos = 0;
            for w in text.split(' ') {
                ids.push(it.intern(t as u32, pos, pos + w.len(), get));
                pos += w.len() + 1;
            }
        }
        assert_eq!(ids, [0, 1, 0, 1, 2]);
        assert_eq!(it.len(), 3);
        assert_eq!(it.get(1, 4, 7, get), Some(2)); // "dog"
        assert_eq!(it.get(0, 0, 2, get), None); // "th": never interned
        assert_eq!(it.get_word(b"dog", get), Some(2));
        assert_eq!(it.get_word(b"do", get), None);
        assert_eq!(it.len(), 3);
        it.reset(4);
        assert!(it.is_empty());
        assert_eq!(it.get(1, 4, 7, get), None);
        assert_eq!(SpanInterner::default().get(0, 0, 3, get), None);
        assert_eq!(it.intern(1, 4, 7, get), 0);
    }
}
