//! chrF's front end over the n-gram kernels: per segment, the characters and chrF++ words of
//! the hypothesis and of each reference become dense symbol ids, an [`NgramCounter`] (the
//! [`Trie`], outside tests) counts their clipped matches, and the first reference with the
//! highest F is kept ([`Segmenter`]).
//!
//! # One scan per text
//!
//! [`CharIds::encode`] reads each text once and gives both its character ids and its chrF++
//! words: the characters chrF removes (Python whitespace, unless `whitespace` keeps them)
//! are exactly those `str.split()` splits words on, so a whitespace character at byte `i`
//! ends the word that began after the previous one. Eight ASCII bytes at a time index a
//! 128-entry table without a branch per byte; only a non-ASCII lead byte decodes its
//! character. Each word is then cut by sacreBLEU's punctuation rule and gets its id from
//! [`WordIds`] (the shared [`SpanInterner`]). Cost O(len) per text, plus O(word length / 8)
//! per word.
//!
//! # Ids
//!
//! Per segment, every character the hypothesis counts gets a dense id `1..=K` in order of
//! first appearance (ASCII through a 128-entry table, other characters through a small hash
//! map); a reference character that the hypothesis lacks gets [`ABSENT`] (0). chrF++ words
//! get dense ids the same way, from [`WordIds`] (words compared byte for byte on every hash
//! hit, so exact).
//!
//! # Cost
//!
//! O(len) per text for the ids, then the kernel's O(N * (h + r)) per reference for maximum
//! order `N`; no allocation once the thread-local buffers have grown to the longest segment
//! seen on the thread. A hypothesis the kernel cannot hold (trie node ids beyond 31 bits)
//! goes to the hash-map kernel, [`super::reference`].

use std::cell::RefCell;

use crate::distance::{FxHashMap, SpanInterner};
use crate::ngram::{NgramCounter, Trie, ABSENT};
use crate::text::tokenize::{BYTE_MAYBE, BYTE_SPACE, PY_SPACE_CLASS};

use super::{is_py_whitespace, punctuation_split, reference, Chrf};

/// Entry of the ASCII table for a character that is skipped (whitespace, unless kept).
const SKIP: u32 = u32::MAX;

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
    static SCRATCH: RefCell<Segmenter<Trie>> = RefCell::new(Segmenter::default());
}

/// [`Chrf::segment_stats_into`] with this thread's buffers and the [`Trie`].
pub(super) fn segment_stats_into(m: &Chrf, hyp: &str, refs: &[&str], out: &mut [f64]) {
    with_thread_segmenter(&SCRATCH, m, hyp, refs, out);
}

/// Runs `segmenter` from the thread-local `key` on one segment; fresh buffers when it is
/// already borrowed (re-entered) or the thread is shutting down.
pub(super) fn with_thread_segmenter<C: NgramCounter>(
    key: &'static std::thread::LocalKey<RefCell<Segmenter<C>>>,
    m: &Chrf,
    hyp: &str,
    refs: &[&str],
    out: &mut [f64],
) {
    let done = key
        .try_with(|cell| match cell.try_borrow_mut() {
            Ok(mut segmenter) => {
                segmenter.segment(m, hyp, refs, out);
                true
            }
            Err(_) => false,
        })
        .unwrap_or(false);
    if !done {
        Segmenter::<C>::default().segment(m, hyp, refs, out);
    }
}

/// What every kernel shares per segment: lower-casing, character and word ids, the chrF++
/// word split, and keeping the first reference with the highest F; `C` counts the character
/// and the word n-grams. Buffers grow to the longest segment and stay.
#[derive(Default)]
pub(super) struct Segmenter<C> {
    hyp_lower: String,
    ref_lower: String,
    hyp_chars: Vec<u32>,
    ref_chars: Vec<u32>,
    spans: Vec<(usize, usize)>,
    hyp_words: Vec<u32>,
    ref_words: Vec<u32>,
    chars: CharIds,
    words: WordIds,
    pub(super) char_counter: C,
    pub(super) word_counter: C,
    stats: Vec<f64>,
}

impl<C: NgramCounter> Segmenter<C> {
    /// [`Chrf::segment_stats_into`] of one segment.
    pub(super) fn segment(&mut self, m: &Chrf, hyp_text: &str, refs: &[&str], out: &mut [f64]) {
        let len = m.stats_len();
        let out = &mut out[..len];
        out.fill(0.0);
        if refs.is_empty() {
            return;
        }
        let Segmenter {
            hyp_lower,
            ref_lower,
            hyp_chars,
            ref_chars,
            spans,
            hyp_words,
            ref_words,
            chars,
            words,
            char_counter,
            word_counter,
            stats,
        } = self;

        let hyp = lowercased(m.lowercase, hyp_text, hyp_lower);
        chars.start(m.whitespace);
        hyp_words.clear();
        if m.word_order > 0 {
            words.start(hyp.len());
            chars.encode::<true, true>(hyp, hyp_chars, spans);
            hyp_words.extend(
                spans
                    .iter()
                    .map(|&(start, end)| words.intern(hyp, start, end)),
            );
        } else {
            chars.encode::<true, false>(hyp, hyp_chars, spans);
        }
        if !char_counter.index(hyp_chars, chars.max_id(), m.char_order)
            || !word_counter.index(hyp_words, words.max_id(), m.word_order)
        {
            reference::segment_stats_into(m, hyp_text, refs, out);
            return;
        }

        stats.clear();
        stats.resize(len, 0.0);
        let mut best_f = -1.0;
        for r in refs {
            let r = lowercased(m.lowercase, r, ref_lower);
            let (char_stats, word_stats) = stats.split_at_mut(3 * m.char_order);
            if m.word_order > 0 {
                chars.encode::<false, true>(r, ref_chars, spans);
                ref_words.clear();
                ref_words.extend(
                    spans
                        .iter()
                        .map(|&(start, end)| words.lookup(hyp, r, start, end)),
                );
                char_counter.clipped(ref_chars, char_stats);
                word_counter.clipped(ref_words, word_stats);
            } else {
                chars.encode::<false, false>(r, ref_chars, spans);
                char_counter.clipped(ref_chars, char_stats);
            }
            // As the reference kernel: keep the first reference with the highest F.
            let f = m.f_score::<f64>(stats);
            if f > best_f {
                best_f = f;
                out.copy_from_slice(stats);
            }
        }
    }
}

/// `text`, lowercased into `buf` when `lower` (Python `str.lower`; ASCII text in place).
pub(super) fn lowercased<'a>(lower: bool, text: &'a str, buf: &'a mut String) -> &'a str {
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

/// Dense ids of the characters of one segment's hypothesis.
pub(super) struct CharIds {
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
    pub(super) fn start(&mut self, keep_whitespace: bool) {
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
    pub(super) fn max_id(&self) -> u32 {
        self.next.saturating_sub(1)
    }

    /// Id of the non-ASCII character `c`: new if unseen and `HYP`, else [`ABSENT`] if unseen.
    #[inline]
    fn other_id<const HYP: bool>(&mut self, c: char) -> u32 {
        if HYP {
            let next = self.next;
            let id = *self.other.entry(c).or_insert(next);
            self.next += u32::from(id == next);
            id
        } else {
            self.other.get(&c).copied().unwrap_or(ABSENT)
        }
    }

    /// Ids of the counted characters of `text` into `out`, and when `WORDS` the byte ranges
    /// of its whitespace-delimited words (Python `str.split()`, before the punctuation split
    /// of [`punctuation_split`]) into `spans`, in order (both cleared first). `HYP`: `text` is the
    /// hypothesis, and its characters get new ids; else a character the hypothesis lacks is
    /// [`ABSENT`].
    ///
    /// One pass over the bytes: an ASCII byte indexes the table directly, only a non-ASCII
    /// lead byte decodes its character. Exact because the characters chrF removes
    /// (Python whitespace, unless kept) are exactly those `str.split()` splits words on;
    /// with whitespace kept, the same characters still end words. O(len).
    #[inline]
    pub(super) fn encode<const HYP: bool, const WORDS: bool>(
        &mut self,
        text: &str,
        out: &mut Vec<u32>,
        spans: &mut Vec<(usize, usize)>,
    ) {
        if self.keep_whitespace {
            self.scan::<HYP, WORDS, true>(text, out, spans);
        } else {
            self.scan::<HYP, WORDS, false>(text, out, spans);
        }
    }

    /// [`Self::encode`], with `KEEP_WS` = `self.keep_whitespace`.
    ///
    /// Eight bytes at a time while they are all ASCII: each indexes the table, and its id
    /// is written at the next free place of an 8-id window of `out`, which advances only
    /// past counted characters (no branch, no bounds check per byte). Otherwise one byte: a
    /// continuation byte is passed over, and only a lead byte decodes its character
    /// ([`Self::other`]). Words need no work per byte: a whitespace character at `i` ends
    /// the word that started after the previous one, if any byte lies between.
    #[inline(never)]
    fn scan<const HYP: bool, const WORDS: bool, const KEEP_WS: bool>(
        &mut self,
        text: &str,
        out: &mut Vec<u32>,
        spans: &mut Vec<(usize, usize)>,
    ) {
        /// The high bit of each byte of a `u64`: all clear for eight ASCII bytes.
        const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
        let bytes = text.as_bytes();
        let len = bytes.len();
        spans.clear();
        if WORDS {
            // At most one word per byte: no growth inside the loop.
            spans.reserve(len);
        }
        out.clear();
        out.resize(len, ABSENT);
        let ids = out.as_mut_slice();
        // Ids written so far (at most the bytes seen).
        let mut k = 0;
        // Where the current word starts: just after the last whitespace character.
        let mut word_start = 0;
        let mut i = 0;
        while i < len {
            let chunk = bytes.get(i..).and_then(|t| t.first_chunk::<8>());
            // `k <= i`, so the window fits when the chunk does.
            let window = ids.get_mut(k..).and_then(|t| t.first_chunk_mut::<8>());
            if let (Some(chunk), Some(window)) = (chunk, window) {
                if u64::from_le_bytes(*chunk) & HIGH_BITS == 0 {
                    let mut w = 0;
                    for (j, &b) in chunk.iter().enumerate() {
                        let (id, space) = self.ascii_id::<HYP, KEEP_WS>(b);
                        if WORDS && space {
                            if i + j > word_start {
                                push_words(bytes, word_start, i + j, spans);
                            }
                            word_start = i + j + 1;
                        }
                        window[w & 7] = id;
                        w += usize::from(KEEP_WS || !space);
                    }
                    k += w;
                    i += 8;
                    continue;
                }
            }
            let b = bytes[i];
            let (id, space, width) = if b.is_ascii() {
                let (id, space) = self.ascii_id::<HYP, KEEP_WS>(b);
                (id, space, 1)
            } else if b < UTF8_LEAD_MIN {
                // A continuation byte: its character was handled at its lead byte.
                i += 1;
                continue;
            } else {
                self.other::<HYP>(text, i, b)
            };
            if WORDS && space {
                if i > word_start {
                    push_words(bytes, word_start, i, spans);
                }
                word_start = i + width;
            }
            if KEEP_WS || !space {
                if let Some(slot) = ids.get_mut(k) {
                    *slot = id;
                }
                k += 1;
            }
            i += width;
        }
        if WORDS && len > word_start {
            push_words(bytes, word_start, len, spans);
        }
        out.truncate(k);
    }

    /// `(id, whitespace?)` of the ASCII byte `b`: its table entry, given a new id first if
    /// `HYP` and unseen. Whitespace is [`SKIP`] unless `KEEP_WS`.
    #[inline(always)]
    fn ascii_id<const HYP: bool, const KEEP_WS: bool>(&mut self, b: u8) -> (u32, bool) {
        let b = usize::from(b & 0x7f);
        let slot = self.ascii[b];
        let space = if KEEP_WS {
            PY_SPACE_CLASS[b] == BYTE_SPACE
        } else {
            slot == SKIP
        };
        if HYP && slot == ABSENT {
            let id = self.next;
            self.ascii[b] = id;
            self.next += 1;
            (id, space)
        } else {
            (slot, space)
        }
    }

    /// `(id, whitespace?, width in bytes)` of the non-ASCII character that starts at byte
    /// `i` (lead byte `b`) of `text`; the id as [`Self::other_id`] gives it (not looked up
    /// for whitespace, unless kept).
    #[inline(never)]
    fn other<const HYP: bool>(&mut self, text: &str, i: usize, b: u8) -> (u32, bool, usize) {
        // `i` is a lead byte, so a character boundary.
        let Some(c) = text.get(i..).and_then(|t| t.chars().next()) else {
            return (ABSENT, false, 1);
        };
        let space = PY_SPACE_CLASS[usize::from(b)] == BYTE_MAYBE && is_py_whitespace(c);
        let id = if space && !self.keep_whitespace {
            SKIP
        } else {
            self.other_id::<HYP>(c)
        };
        (id, space, c.len_utf8())
    }
}

/// Smallest lead byte of a multi-byte UTF-8 character (bytes `0x80..0xC0` continue one).
const UTF8_LEAD_MIN: u8 = 0xc0;

/// Pushes the chrF++ words of the whitespace-delimited word `bytes[start..end]` (non-empty,
/// on character boundaries) onto `spans`, cut by sacreBLEU's punctuation rule
/// ([`punctuation_split`]).
#[inline(always)]
fn push_words(bytes: &[u8], start: usize, end: usize, spans: &mut Vec<(usize, usize)>) {
    punctuation_split(bytes, start, end, |a, b| spans.push((a, b)));
}

/// Dense ids `1..` of the words of one segment's hypothesis ([`ABSENT`] for a reference word
/// it lacks): the shared [`SpanInterner`] over the hypothesis (text 0) and one reference
/// (text 1).
#[derive(Default)]
pub(super) struct WordIds {
    ids: SpanInterner,
}

impl WordIds {
    /// Forgets the previous segment; sized for a hypothesis of `len` bytes (a longer list of
    /// words grows the table).
    pub(super) fn start(&mut self, len: usize) {
        self.ids.reset(len / 2 + 8);
    }

    /// The largest id given (0 when none).
    pub(super) fn max_id(&self) -> u32 {
        u32::try_from(self.ids.len()).unwrap_or(u32::MAX)
    }

    /// Id of the hypothesis word `hyp[start..end]`, new if unseen this segment.
    #[inline(always)]
    pub(super) fn intern(&mut self, hyp: &str, start: usize, end: usize) -> u32 {
        self.ids.intern(0, start, end, |_| hyp) + 1
    }

    /// Id of the reference word `text[start..end]` ([`ABSENT`] if the hypothesis `hyp`
    /// lacks it).
    #[inline(always)]
    pub(super) fn lookup(&self, hyp: &str, text: &str, start: usize, end: usize) -> u32 {
        let texts = |t: u32| if t == 0 { hyp } else { text };
        self.ids
            .get(1, start, end, texts)
            .map_or(ABSENT, |id| id + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::chrf::tests::{repeated_odd_text, short_odd_text};
    use proptest::prelude::*;
    use std::collections::HashMap;

    /// Texts of odd characters, with words of every length around the 8- and 16-byte
    /// loads (a short piece repeated), so that words repeat and end near the text's end.
    fn scan_text() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => short_odd_text(),
            1 => repeated_odd_text(1..20, 1..6),
            1 => (proptest::collection::vec(proptest::char::range('a', 'c'), 1..24), 1usize..4)
                .prop_map(|(v, k)| {
                    let w: String = v.into_iter().collect();
                    vec![w; k].join(" ")
                }),
        ]
    }

    /// Dense ids in order of first appearance, the way a hash map gives them.
    fn dense_ids<T: std::hash::Hash + Eq + Clone>(items: &[T]) -> (Vec<u32>, HashMap<T, u32>) {
        let mut map = HashMap::new();
        let ids = items
            .iter()
            .map(|x| {
                let next = map.len() as u32 + 1;
                *map.entry(x.clone()).or_insert(next)
            })
            .collect();
        (ids, map)
    }

    /// The scan's characters and words, by the slow definitions: the characters chrF keeps
    /// (`str.split()` whitespace removed unless kept) and sacreBLEU's words.
    fn slow_chars_and_words(text: &str, keep_whitespace: bool) -> (Vec<char>, Vec<&str>) {
        let chars = text
            .chars()
            .filter(|&c| keep_whitespace || !is_py_whitespace(c))
            .collect();
        let mut words = Vec::new();
        reference::split_punctuation(text, |w| words.push(w));
        (chars, words)
    }

    /// Character ids and word ids of one text.
    type TextIds = (Vec<u32>, Vec<u32>);

    /// Runs the scan and the word table on `hyp` and `refs` as the segmenter does.
    fn scan_segment(hyp: &str, refs: &[&str], keep_whitespace: bool) -> (TextIds, Vec<TextIds>) {
        let mut chars = CharIds::default();
        let mut words = WordIds::default();
        let mut spans = Vec::new();
        let (mut hyp_chars, mut hyp_words) = (Vec::new(), Vec::new());
        chars.start(keep_whitespace);
        words.start(hyp.len());
        chars.encode::<true, true>(hyp, &mut hyp_chars, &mut spans);
        hyp_words.extend(spans.iter().map(|&(s, e)| words.intern(hyp, s, e)));
        let refs = refs
            .iter()
            .map(|r| {
                let (mut ids, mut no_spans) = (Vec::new(), Vec::new());
                // Without words: the same character ids and no spans.
                chars.encode::<false, false>(r, &mut ids, &mut no_spans);
                assert!(no_spans.is_empty());
                let mut with_words = Vec::new();
                chars.encode::<false, true>(r, &mut with_words, &mut spans);
                assert_eq!(ids, with_words);
                let word_ids = spans
                    .iter()
                    .map(|&(s, e)| words.lookup(hyp, r, s, e))
                    .collect();
                (ids, word_ids)
            })
            .collect();
        ((hyp_chars, hyp_words), refs)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(600))]
        /// The one-pass scan and the word table against the slow definitions: hypothesis
        /// characters and words get dense ids in order of first appearance (as hash maps
        /// give them), reference ones the hypothesis id or ABSENT, and the scan without
        /// words gives the same character ids.
        #[test]
        fn scan_matches_slow_split(
            hyp in scan_text(),
            refs in proptest::collection::vec(scan_text(), 0..3),
            keep_whitespace: bool,
        ) {
            let refs: Vec<&str> = refs.iter().map(String::as_str).collect();
            let ((hyp_chars, hyp_words), ref_ids) = scan_segment(&hyp, &refs, keep_whitespace);
            let (chars, words) = slow_chars_and_words(&hyp, keep_whitespace);
            let (want_chars, char_map) = dense_ids(&chars);
            let (want_words, word_map) = dense_ids(&words);
            prop_assert_eq!(&hyp_chars, &want_chars);
            prop_assert_eq!(&hyp_words, &want_words);
            let mut alone = Vec::new();
            let mut chars_only = CharIds::default();
            chars_only.start(keep_whitespace);
            chars_only.encode::<true, false>(&hyp, &mut alone, &mut Vec::new());
            prop_assert_eq!(&alone, &want_chars);
            for (r, (ids, word_ids)) in refs.iter().zip(&ref_ids) {
                let (chars, words) = slow_chars_and_words(r, keep_whitespace);
                let want: Vec<u32> =
                    chars.iter().map(|c| char_map.get(c).copied().unwrap_or(ABSENT)).collect();
                prop_assert_eq!(ids, &want);
                let want: Vec<u32> =
                    words.iter().map(|w| word_map.get(w).copied().unwrap_or(ABSENT)).collect();
                prop_assert_eq!(word_ids, &want);
            }
        }
    }

    #[test]
    fn word_ids_tell_long_words_apart_across_segments() {
        // Equal first 8 (and 16) bytes, different tails; the same words again in the next
        // segment after another one.
        let hyp = "internationalisation internationally internationalisations a";
        let mut words = WordIds::default();
        for round in 0..3 {
            words.start(hyp.len());
            let mut ids = Vec::new();
            let mut start = 0;
            for w in hyp.split(' ') {
                ids.push(words.intern(hyp, start, start + w.len()));
                start += w.len() + 1;
            }
            assert_eq!(ids, [1, 2, 3, 4], "round {round}");
            // An 18-byte word that is the start of a longer hypothesis word.
            let r = "internationalisation internationalisati a";
            assert_eq!(words.lookup(hyp, r, 0, 20), 1);
            assert_eq!(words.lookup(hyp, r, 21, 39), ABSENT);
            assert_eq!(words.lookup(hyp, r, 40, 41), 4);
            assert_eq!(&r[40..41], "a");
            // A different segment in between must not leave words behind.
            words.start(3);
            assert_eq!(words.intern("zzz", 0, 3), 1);
            assert_eq!(words.lookup("zzz", hyp, 0, 20), ABSENT);
        }
    }
}
