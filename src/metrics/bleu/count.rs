//! BLEU's counting: [`Bleu::count`] turns one segment into its statistics vector
//! (`[hyp_len, ref_len, correct_1..correct_N, total_1..total_N]`) by one of three kernels,
//! chosen by the number of references and the lines' lengths:
//!
//! - [`count_bitgrams`]: one reference, a CPU with AVX2, at most 64 tokens a side (99.9% of
//!   WMT22 ru-en lines). O(h * r / lanes + h * N) word operations for h hypothesis and r
//!   reference tokens and N orders.
//! - [`count_trie`]: one reference otherwise. O(T * N) for T tokens.
//! - [`count_general`]: several references or none, or a hypothesis the trie cannot hold.
//!   Expected O(T * N).
//!
//! All three give the same numbers (tested against one another and a naive count of string
//! n-grams). Tokens are byte ranges of the pre-processed lines, never strings: with 13a (the
//! default) and one reference they come straight from the scanner over the cleaned lines
//! ([`Scan13a`]); otherwise each line is tokenised once into a per-thread buffer ([`Lines`]).
//! No allocation once the per-thread buffers ([`Scratch`]) have grown, except the general
//! kernel's reference lengths.

use std::cell::RefCell;

use crate::distance::{FxHashMap, SpanInterner};
use crate::ngram::bitgrams::{self, BitScratch};
use crate::ngram::{NgramCounter, Trie};
use crate::text::tokenize::{clean_13a, for_each_13a_token, for_each_py_word, Tokenizer};

use super::{closest_ref_len, Bleu};

impl Bleu {
    /// Statistics of one segment into `out` ([`Bleu::num_stats`] entries, every one
    /// written): the dispatcher over the kernels of this module (see its docs).
    pub(super) fn count(&self, hyp: &str, refs: &[&str], s: &mut Scratch, out: &mut [f64]) {
        let Scratch {
            lines,
            bits,
            correct,
            trie,
            general,
        } = s;
        if let ([reference], 1..) = (refs, self.max_order) {
            let counted = if self.tokenizer == Tokenizer::Tok13a {
                let reference = clean_13a(self.prepare(reference, &mut lines.lower));
                let hypothesis = clean_13a(self.prepare(hyp, &mut lines.tok));
                count_one_ref(
                    Scan13a(&reference),
                    Scan13a(&hypothesis),
                    self.max_order,
                    (bits, correct, trie),
                    out,
                )
            } else {
                self.tokenize([*reference, hyp], lines);
                count_one_ref(
                    lines.line(0),
                    lines.line(1),
                    self.max_order,
                    (bits, correct, trie),
                    out,
                )
            };
            if counted {
                return;
            }
        }
        self.tokenize(refs.iter().copied().chain([hyp]), lines);
        count_general(lines, self.max_order, general, out);
    }

    /// Pre-processes `lines` as `BLEU._preprocess_segment` (lower-case, rstrip, tokenise) into
    /// `buf`: line k's tokens are `buf.line(k)`. 13a (the default) goes through the fused
    /// scanner [`for_each_13a_token`]: the cleaned line is copied once and tokens are ranges of
    /// it, without building the tokenised string; the other tokenisers build that string and
    /// split it as sacreBLEU does. O(total length).
    fn tokenize<'a>(&self, lines: impl IntoIterator<Item = &'a str>, buf: &mut Lines) {
        let Lines {
            text,
            tok,
            lower,
            tokens,
            lines: ranges,
        } = buf;
        text.clear();
        tokens.clear();
        ranges.clear();
        for line in lines {
            let start = tokens.len();
            let line = self.prepare(line, lower);
            let base = text.len();
            // Token ranges are u32: a segment's tokenised text is far below 4 GiB (inputs are
            // limited by the corpus readers); saturate rather than wrap if it ever is not.
            let at = |i: usize| u32::try_from(base + i).unwrap_or(u32::MAX);
            if self.tokenizer == Tokenizer::Tok13a {
                let clean = clean_13a(line);
                text.push_str(&clean);
                for_each_13a_token(&clean, |a, b| tokens.push((at(a), at(b))));
            } else {
                self.tokenizer.tokenize_into(line, tok);
                text.push_str(tok);
                // BLEU splits the tokenised line with Python's `str.split()`.
                for_each_py_word(tok, |a, b| tokens.push((at(a), at(b))));
            }
            text.push(' ');
            ranges.push((start, tokens.len()));
        }
    }
}

/// One reference: [`count_bitgrams`] when the CPU has a vector variant of it, else (or when a
/// side is too long for it) [`count_trie`]. False, having written nothing usable, when the
/// trie cannot hold the hypothesis either.
#[inline(always)]
fn count_one_ref(
    reference: impl TokenRanges,
    hypothesis: impl TokenRanges,
    max_order: usize,
    (bits, correct, trie): (&mut BitScratch, &mut Vec<u64>, &mut TrieScratch),
    out: &mut [f64],
) -> bool {
    (bitgrams::simd_available() && count_bitgrams(&reference, &hypothesis, bits, correct, out))
        || count_trie(&reference, &hypothesis, max_order, trie, out)
}

/// One reference, at most [`bitgrams::MAX_TOKENS`] tokens a side: clipped matches by bit
/// matrices of token equality ([`bitgrams::clipped_matches`]), written into `out` (every
/// entry; `max_order = out.len() / 2 - 1`). Chosen first on CPUs with AVX2. Returns false,
/// having written nothing, when a side has more tokens (or a text 4 GiB or more).
/// O(h * r / lanes + h * max_order) word operations.
#[inline(always)]
pub(super) fn count_bitgrams(
    reference: &impl TokenRanges,
    hypothesis: &impl TokenRanges,
    bits: &mut BitScratch,
    correct: &mut Vec<u64>,
    out: &mut [f64],
) -> bool {
    let (ref_bytes, hyp_bytes) = (reference.text().as_bytes(), hypothesis.text().as_bytes());
    if u32::try_from(ref_bytes.len().max(hyp_bytes.len())).is_err() {
        return false;
    }
    bits.hyp.clear();
    bits.reference.clear();
    hypothesis.for_each(
        #[inline(always)]
        |a, b| bits.hyp.push(hyp_bytes, a, b),
    );
    reference.for_each(
        #[inline(always)]
        |a, b| bits.reference.push(ref_bytes, a, b),
    );
    let max_order = (out.len() / 2).saturating_sub(1);
    // Up to 8 orders on the stack (no `memset` call); more in the per-thread buffer.
    let mut few = [0u64; 8];
    let correct = match few.get_mut(..max_order) {
        Some(c) => c,
        None => {
            correct.clear();
            correct.resize(max_order, 0);
            correct.as_mut_slice()
        }
    };
    if !bitgrams::clipped_matches(hyp_bytes, ref_bytes, bits, correct) {
        return false;
    }
    let matches = correct.iter().map(|&c| c as f64);
    write_one_ref(bits.hyp.len(), bits.reference.len(), matches, out);
    true
}

/// Per-thread buffers of [`count_trie`].
#[derive(Default)]
pub(super) struct TrieScratch {
    /// The hypothesis's tokens (ids `0..`, used here plus one).
    vocab: SpanInterner,
    /// Token ids of the hypothesis (`1..`), then of the reference (0: absent from the
    /// hypothesis).
    hyp_ids: Vec<u32>,
    ref_ids: Vec<u32>,
    /// The hypothesis's n-grams as a trie, walked by the reference.
    trie: Trie,
    /// `[hyp count, ref count, clipped matches]` per order, from the trie.
    triples: Vec<f64>,
}

/// One reference, when [`count_bitgrams`] does not apply: the n-grams of the hypothesis in the
/// trie chrF counts with ([`Trie`]), walked by the reference; written into `out` (every
/// entry). The hypothesis's tokens get ids `1..=K` in order of first appearance (a
/// [`SpanInterner`]); a reference token gets its hypothesis id, or 0 when the hypothesis
/// lacks it. Returns false, having written nothing, when the trie cannot hold the hypothesis
/// (over 2^30 n-grams). O(T * max_order) for T tokens.
pub(super) fn count_trie(
    reference: &impl TokenRanges,
    hypothesis: &impl TokenRanges,
    max_order: usize,
    s: &mut TrieScratch,
    out: &mut [f64],
) -> bool {
    let (ref_text, hyp_text) = (reference.text(), hypothesis.text());
    // Text 0 is the reference, text 1 the hypothesis.
    let texts = |t: u32| if t == 0 { ref_text } else { hyp_text };
    let TrieScratch {
        vocab,
        hyp_ids,
        ref_ids,
        trie,
        triples,
    } = s;
    hyp_ids.clear();
    ref_ids.clear();
    vocab.reset(hypothesis.tokens_hint());
    hypothesis.for_each(
        #[inline(always)]
        |a, b| hyp_ids.push(vocab.intern(1, a, b, texts) + 1),
    );
    reference.for_each(
        #[inline(always)]
        |a, b| ref_ids.push(vocab.get(0, a, b, texts).map_or(0, |id| id + 1)),
    );
    let Ok(symbols) = u32::try_from(vocab.len()) else {
        return false;
    };
    if !trie.index(hyp_ids, symbols, max_order) {
        return false;
    }
    triples.clear();
    triples.resize(3 * max_order, 0.0);
    trie.clipped(ref_ids, triples);
    let matches = triples.chunks_exact(3).map(|triple| triple[2]);
    write_one_ref(hyp_ids.len(), ref_ids.len(), matches, out);
    true
}

/// Writes the statistics of a hypothesis of `hyp_len` tokens against one reference of
/// `ref_len` with the clipped `matches` of orders `1..` into `out` (every entry;
/// `max_order = out.len() / 2 - 1`, at least as many matches).
#[inline(always)]
fn write_one_ref(
    hyp_len: usize,
    ref_len: usize,
    matches: impl Iterator<Item = f64>,
    out: &mut [f64],
) {
    let max_order = (out.len() / 2).saturating_sub(1);
    out[0] = hyp_len as f64;
    out[1] = ref_len as f64;
    for (n, matched) in (1..=max_order).zip(matches) {
        out[2 + n - 1] = matched;
        out[2 + max_order + n - 1] = (hyp_len + 1).saturating_sub(n) as f64;
    }
}

/// Per-thread buffers of [`count_general`].
#[derive(Default)]
pub(super) struct GeneralScratch {
    /// Token ids, then n-gram ids of the line being counted.
    ids: Vec<u32>,
    /// Reference tokens of the segment: (hash, id, start, end) with `start..end` in the text.
    vocab: hashbrown::HashTable<VocabEntry>,
    /// (prefix id, last token id) -> n-gram id.
    pairs: FxHashMap<u64, u32>,
    /// Per id: maximum count in any reference.
    ref_max: Vec<u32>,
    /// Per id: count in the current reference, then matches used by the hypothesis.
    counts: Vec<u32>,
    /// Ids counted in the current reference.
    touched: Vec<u32>,
}

/// Any number of references (the tokenised `lines`: the references, then the hypothesis),
/// written into `out` (every entry): `correct_n` clips each n-gram by its maximum count over
/// the references, `ref_len` is the closest reference length (ties: shorter); with no
/// reference (sacreBLEU would fail) `ref_len` and all matches are 0. Chosen for several
/// references, or none, and when the trie cannot hold a single reference's hypothesis.
///
/// Tokens become `u32` ids once per segment; an n-gram is identified by the id of its
/// (n-1)-gram prefix and its last token (ids from one counter, so they never collide across
/// orders), so no n-gram allocates a key. Only reference n-grams get ids; a hypothesis n-gram
/// whose prefix or last token is unknown cannot match. Expected O(T * max_order) for T
/// tokens over hypothesis and references. Ids are `u32`: exact while the references of one
/// segment have fewer than 2^32 - 1 distinct tokens and n-grams together.
fn count_general(lines: &Lines, max_order: usize, s: &mut GeneralScratch, out: &mut [f64]) {
    let GeneralScratch {
        ids,
        vocab,
        pairs,
        ref_max,
        counts,
        touched,
    } = s;
    let text = lines.text.as_str();
    let tokens = lines.tokens.as_slice();
    let line_tokens = |(a, b): (usize, usize)| {
        tokens
            .get(a..b)
            .unwrap_or(&[])
            .iter()
            .map(|&(x, y)| text.get(x as usize..y as usize).unwrap_or(""))
    };

    // Only the orders the hypothesis has are written below.
    out.fill(0.0);
    vocab.clear();
    pairs.clear();
    ref_max.clear();
    counts.clear();
    let mut next_id: u32 = 0;
    fn new_id(next_id: &mut u32, ref_max: &mut Vec<u32>, counts: &mut Vec<u32>) -> u32 {
        let id = *next_id;
        *next_id = next_id.saturating_add(1);
        ref_max.push(0);
        counts.push(0);
        id
    }

    let (ref_lines, hyp_line) = lines.lines.split_at(lines.lines.len().saturating_sub(1));
    let mut ref_lens: Vec<usize> = Vec::with_capacity(ref_lines.len());
    for &line in ref_lines {
        ids.clear();
        for t in line_tokens(line) {
            if t.is_empty() {
                continue;
            }
            let h = hash_token(t);
            let found = vocab.find(h, |e| e.0 == h && token_at(text, e) == t);
            let id = match found {
                Some(e) => e.1,
                None => {
                    let id = new_id(&mut next_id, ref_max, counts);
                    let start = t.as_ptr() as usize - text.as_ptr() as usize;
                    vocab.insert_unique(h, (h, id, start, start + t.len()), |e| e.0);
                    id
                }
            };
            ids.push(id);
        }
        let len = ids.len();
        ref_lens.push(len);
        touched.clear();
        // Order 1: the token ids. Orders 2..: `ids` is overwritten in place with the
        // n-gram ids (position i holds the id of tokens i..i+n).
        let tokens_start = ids.len();
        ids.extend_from_within(..tokens_start);
        for n in 1..=max_order.min(len) {
            for i in 0..=(len - n) {
                let id = if n == 1 {
                    ids[i]
                } else {
                    let key = pair_key(ids[i], ids[tokens_start + i + n - 1]);
                    match pairs.get(&key) {
                        Some(&id) => id,
                        None => {
                            let id = new_id(&mut next_id, ref_max, counts);
                            pairs.insert(key, id);
                            id
                        }
                    }
                };
                ids[i] = id;
                let c = &mut counts[id as usize];
                if *c == 0 {
                    touched.push(id);
                }
                *c += 1;
            }
        }
        for &id in touched.iter() {
            let k = id as usize;
            ref_max[k] = ref_max[k].max(counts[k]);
            counts[k] = 0;
        }
    }

    // The hypothesis: look n-grams up, never insert. `counts` is all zeros again and now
    // counts the matches used per n-gram.
    let hyp_line = hyp_line.first().copied().unwrap_or((0, 0));
    ids.clear();
    ids.extend(line_tokens(hyp_line).filter(|t| !t.is_empty()).map(|t| {
        let h = hash_token(t);
        vocab
            .find(h, |e| e.0 == h && token_at(text, e) == t)
            .map_or(NONE, |e| e.1)
    }));
    let hyp_len = ids.len();
    let tokens_start = hyp_len;
    ids.extend_from_within(..tokens_start);
    for n in 1..=max_order.min(hyp_len) {
        let mut correct = 0u64;
        for i in 0..=(hyp_len - n) {
            let id = if n == 1 {
                ids[i]
            } else {
                let (prefix, last) = (ids[i], ids[tokens_start + i + n - 1]);
                if prefix == NONE || last == NONE {
                    NONE
                } else {
                    pairs.get(&pair_key(prefix, last)).copied().unwrap_or(NONE)
                }
            };
            ids[i] = id;
            if id != NONE {
                let k = id as usize;
                if counts[k] < ref_max[k] {
                    counts[k] += 1;
                    correct += 1;
                }
            }
        }
        out[2 + n - 1] = correct as f64;
        out[2 + max_order + n - 1] = (hyp_len - n + 1) as f64;
    }

    out[0] = hyp_len as f64;
    out[1] = closest_ref_len(hyp_len, &ref_lens) as f64;
}

/// Id of an n-gram (or token) absent from every reference.
const NONE: u32 = u32::MAX;

/// Key of the n-gram made of the n-gram (or token) `prefix` extended by the token `last`.
#[inline]
fn pair_key(prefix: u32, last: u32) -> u64 {
    (u64::from(prefix) << 32) | u64::from(last)
}

/// A reference token: its hash, id and byte range in the segment's tokenised text.
type VocabEntry = (u64, u32, usize, usize);

#[inline]
fn token_at<'t>(text: &'t str, e: &VocabEntry) -> &'t str {
    text.get(e.2..e.3).unwrap_or("")
}

#[inline]
fn hash_token(t: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<crate::distance::FxHasher>::default().hash_one(t)
}

/// The tokens of one line for the one-reference kernels: byte ranges of
/// [`TokenRanges::text`], produced in order.
pub(super) trait TokenRanges {
    /// The text the ranges index.
    fn text(&self) -> &str;
    /// A guess at the number of tokens (sizes the interner; more only grow it).
    fn tokens_hint(&self) -> usize;
    /// Calls `emit(start, end)` for every token, in order.
    fn for_each(&self, emit: impl FnMut(usize, usize));
}

/// A line already [`clean_13a`]-ed, tokenised by [`for_each_13a_token`] as it is read.
pub(super) struct Scan13a<'a>(pub(super) &'a str);

impl TokenRanges for Scan13a<'_> {
    fn text(&self) -> &str {
        self.0
    }

    fn tokens_hint(&self) -> usize {
        // Natural text has a token every 4 to 6 bytes.
        self.0.len() / 4 + 8
    }

    #[inline]
    fn for_each(&self, emit: impl FnMut(usize, usize)) {
        for_each_13a_token(self.0, emit);
    }
}

/// Tokens already cut: `(start, end)` byte ranges of `text`.
struct Ranges<'a> {
    text: &'a str,
    ranges: &'a [(u32, u32)],
}

impl TokenRanges for Ranges<'_> {
    fn text(&self) -> &str {
        self.text
    }

    fn tokens_hint(&self) -> usize {
        self.ranges.len()
    }

    #[inline]
    fn for_each(&self, mut emit: impl FnMut(usize, usize)) {
        for &(a, b) in self.ranges {
            emit(a as usize, b as usize);
        }
    }
}

/// The lines of one segment, pre-processed and tokenised by [`Bleu::tokenize`], with the
/// buffers that takes.
#[derive(Default)]
pub(super) struct Lines {
    /// All tokenised lines of a segment, each followed by a space.
    text: String,
    /// One tokenised line.
    tok: String,
    /// One lower-cased line.
    lower: String,
    /// Byte ranges in `text` of the tokens of all lines.
    tokens: Vec<(u32, u32)>,
    /// Per line: its range in `tokens`.
    lines: Vec<(usize, usize)>,
}

impl Lines {
    /// The tokens of line `k` (none past the last line).
    fn line(&self, k: usize) -> Ranges<'_> {
        let (a, b) = self.lines.get(k).copied().unwrap_or((0, 0));
        Ranges {
            text: &self.text,
            ranges: self.tokens.get(a..b).unwrap_or(&[]),
        }
    }
}

/// Per-thread buffers of [`Bleu::count`], reused across segments.
#[derive(Default)]
pub(super) struct Scratch {
    /// The segment's lines, for the kernels other than 13a's one-reference path.
    lines: Lines,
    /// Token keys and ranges of a hypothesis and its one reference, for [`count_bitgrams`].
    bits: BitScratch,
    /// Clipped matches per order from [`count_bitgrams`], past 8 orders.
    correct: Vec<u64>,
    trie: TrieScratch,
    general: GeneralScratch,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Runs `f` with this thread's [`Scratch`], or fresh buffers when it is already borrowed
/// (not re-entrant in practice; never panics).
pub(super) fn with_scratch<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => f(&mut scratch),
        Err(_) => f(&mut Scratch::default()),
    })
}
