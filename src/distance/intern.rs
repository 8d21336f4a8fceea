//! Dense word ids for the words of a few texts, with a table that is reused across segments.
//!
//! The word metrics compare words only within one segment (a hypothesis and its references),
//! so ids `0..k` in order of first appearance are enough, and the kernels index tables by them.
//! A word is stored as its position (text number and byte range), never as a borrowed `&str`,
//! so the table holds no borrow and can live in a per-thread buffer: after warm-up, interning
//! a segment allocates nothing.

use std::hash::Hasher;

use super::FxHasher;

/// Open-addressing table from words to dense ids (see the module docs).
///
/// Invariant: `slots.len()` is a power of two at least twice the number of words interned
/// since the last [`SpanInterner::reset`] (so probing always finds an empty slot).
#[derive(Debug, Default, Clone)]
pub struct SpanInterner {
    /// `id + 1` of the word in each slot, 0 when empty.
    slots: Vec<u32>,
    /// Per id: hash, text number, byte range in that text.
    words: Vec<(u64, u32, usize, usize)>,
}

impl SpanInterner {
    /// Forgets all words; room for at most `max_words` interned words (distinct or not)
    /// before the next reset. O(max_words).
    pub fn reset(&mut self, max_words: usize) {
        let cap = max_words.saturating_mul(2).next_power_of_two().max(16);
        self.slots.clear();
        self.slots.resize(cap, 0);
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

    /// The id of the word `texts(text)[start..end]`; equal words (byte-equal) get equal ids.
    /// `texts` maps a text number to its text and must give the same texts between resets.
    /// More words than announced to [`Self::reset`] grow the table (no panic).
    /// Expected O(word length).
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
        let word = &texts(text).as_bytes()[start..end];
        let mut hasher = FxHasher::default();
        hasher.write(word);
        let hash = hasher.finish();
        let mask = self.slots.len() - 1;
        let mut k = hash as usize & mask;
        loop {
            let slot = self.slots[k];
            if slot == 0 {
                let id = self.words.len() as u32;
                self.words.push((hash, text, start, end));
                self.slots[k] = id + 1;
                return id;
            }
            let (h, t, s, e) = self.words[slot as usize - 1];
            if h == hash && &texts(t).as_bytes()[s..e] == word {
                return slot - 1;
            }
            k = (k + 1) & mask;
        }
    }

    /// Doubles the table and re-inserts the words (their hashes are stored).
    fn grow(&mut self) {
        let cap = (self.slots.len() * 2).max(16);
        self.slots.clear();
        self.slots.resize(cap, 0);
        let mask = cap - 1;
        for (id, &(hash, ..)) in self.words.iter().enumerate() {
            let mut k = hash as usize & mask;
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
        it.reset(4);
        assert!(it.is_empty());
        assert_eq!(it.intern(1, 4, 7, get), 0);
    }
}
