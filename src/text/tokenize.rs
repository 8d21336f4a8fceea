//! sacreBLEU's tokenisers, reproduced exactly (sacreBLEU 2.6.0, `sacrebleu/tokenizers/`).
//!
//! | [`Tokenizer`] | sacreBLEU class | what it does |
//! |---|---|---|
//! | `None` (`none`) | `NoneTokenizer` | nothing |
//! | `Tok13a` (`13a`, default) | `Tokenizer13a` | mteval-v13a: unescape a few entities, split punctuation |
//! | `Intl` (`intl`) | `TokenizerV14International` | mteval-v14 `--international-tokenization`: Unicode punctuation and symbols |
//! | `Zh` (`zh`) | `TokenizerZh` | every CJK character its own token, then the 13a rules |
//! | `Char` (`char`) | `TokenizerChar` | every character its own token |
//!
//! Each tokeniser returns the *string* sacreBLEU's returns (byte for byte); BLEU then splits it on
//! whitespace with [`split_whitespace_py`]. Lower-casing is BLEU's option, not the tokeniser's.
//! Checked against sacreBLEU 2.6.0 (Python 3.11, regex 2026.5.9) on 20,000 random lines over a
//! tricky alphabet plus every line of the shared WMT22 corpora, with all four tokenisers: identical
//! (`intl` differs only on characters new in Unicode 17.0, see [`Tokenizer::Intl`]'s rules).
//!
//! "Whitespace" means Python's `str.isspace()` throughout ([`is_python_whitespace`]), because
//! sacreBLEU collapses spaces with `str.split()`: that set is Rust's `char::is_whitespace` plus
//! the four information separators U+001C..U+001F.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use regex::Regex;

use crate::error::Error;

mod blocks;
mod whitespace;

pub(crate) use whitespace::{
    for_each_py_word, py_space_width, skip_py_word_bytes, BYTE_MAYBE, BYTE_SPACE, BYTE_WORD,
    PY_SPACE_CLASS,
};
pub use whitespace::{is_python_whitespace, rstrip_py, split_whitespace_py, strip_py};
use whitespace::{push_joined, skip_run, SWAR_HIGH, SWAR_ONES};

/// One of sacreBLEU's language-independent tokenisers (the MeCab and SentencePiece ones are not
/// reproduced).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(into = "&'static str", try_from = "String")]
pub enum Tokenizer {
    /// `none`: the line unchanged.
    None,
    /// `13a`: mteval-v13a, sacreBLEU's default.
    #[default]
    Tok13a,
    /// `intl`: mteval-v14 international tokenisation (Unicode general categories).
    Intl,
    /// `zh`: CJK characters split apart, the rest tokenised by the 13a regular expressions.
    Zh,
    /// `char`: every character (spaces included) separated by one space.
    Char,
}

/// The names [`Tokenizer::from_str`] accepts, in sacreBLEU's spelling.
pub const TOKENIZER_NAMES: [&str; 5] = ["none", "13a", "intl", "zh", "char"];

impl Tokenizer {
    /// The name sacreBLEU puts in its signature (`tok:13a`).
    pub fn name(&self) -> &'static str {
        match self {
            Tokenizer::None => "none",
            Tokenizer::Tok13a => "13a",
            Tokenizer::Intl => "intl",
            Tokenizer::Zh => "zh",
            Tokenizer::Char => "char",
        }
    }

    /// Tokenises `line` and returns the result as a new string. See [`Tokenizer::tokenize_into`].
    pub fn tokenize(&self, line: &str) -> String {
        let mut out = String::with_capacity(line.len() + line.len() / 4 + 2);
        self.tokenize_into(line, &mut out);
        out
    }

    /// Tokenises `line` into `out` (cleared first): exactly the string sacreBLEU 2.6.0's
    /// tokeniser returns for the same line. The result has no leading or trailing whitespace and
    /// single spaces between tokens (except for `none`, which copies the line, and `char`, which
    /// joins *every* character with a space as sacreBLEU does).
    ///
    /// O(n) time for `none`, `13a`, `zh` and `char`, O(n) for `intl` with the regex crate's
    /// automata; `13a` and `zh` reuse thread-local scratch buffers, so only `out` grows.
    pub fn tokenize_into(&self, line: &str, out: &mut String) {
        out.clear();
        match self {
            Tokenizer::None => out.push_str(line),
            Tokenizer::Tok13a => tokenize_13a(line, out),
            Tokenizer::Intl => tokenize_intl(line, out),
            Tokenizer::Zh => tokenize_zh(line, out),
            Tokenizer::Char => tokenize_char(line, out),
        }
    }
}

impl From<Tokenizer> for &'static str {
    fn from(t: Tokenizer) -> &'static str {
        t.name()
    }
}

impl TryFrom<String> for Tokenizer {
    type Error = Error;
    fn try_from(s: String) -> Result<Tokenizer, Error> {
        s.parse()
    }
}

impl fmt::Display for Tokenizer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Tokenizer {
    type Err = Error;

    /// Parses sacreBLEU's tokeniser names (`none`, `13a`, `intl`, `zh`, `char`), case-sensitive
    /// as sacreBLEU's `--tokenize` choices are.
    fn from_str(s: &str) -> Result<Tokenizer, Error> {
        match s {
            "none" => Ok(Tokenizer::None),
            "13a" => Ok(Tokenizer::Tok13a),
            "intl" => Ok(Tokenizer::Intl),
            "zh" => Ok(Tokenizer::Zh),
            "char" => Ok(Tokenizer::Char),
            _ => Err(Error::config(format!(
                "unknown tokenizer {s:?}: expected one of {}",
                TOKENIZER_NAMES.join(", ")
            ))),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 13a and the shared regular-expression post-tokeniser (tokenizer_13a.py, tokenizer_re.py)
// ---------------------------------------------------------------------------------------------

thread_local! {
    /// Two byte buffers the regexp passes ping-pong between (reused across calls on a thread).
    static SCRATCH: RefCell<(Vec<u8>, Vec<u8>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

/// The 13a tokeniser: the language-independent clean-up of `Tokenizer13a.__call__`
/// ([`clean_13a`]), then the regexp rules on `" " + line + " "`, computed by the fused scanner
/// [`for_each_13a_token`] and joined with single spaces.
fn tokenize_13a(line: &str, out: &mut String) {
    let clean = clean_13a(line);
    for_each_13a_token(&clean, |a, b| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&clean[a..b]);
    });
}

/// The clean-up `Tokenizer13a.__call__` applies before its regular expressions: drop
/// `<skipped>`, join `-\n` hyphenations, newlines to spaces, unescape `&quot;` `&amp;` `&lt;`
/// `&gt;` (in that order, so `&amp;lt;` becomes `<`). Borrows `line` when nothing applies (one
/// `memchr3` scan: every replacement needs `<`, `\n` or `&`).
pub fn clean_13a(line: &str) -> Cow<'_, str> {
    if memchr::memchr3(b'<', b'\n', b'&', line.as_bytes()).is_none() {
        return Cow::Borrowed(line);
    }
    let mut s: Cow<str> = Cow::Borrowed(line);
    if s.contains("<skipped>") {
        s = Cow::Owned(s.replace("<skipped>", ""));
    }
    if s.contains("-\n") {
        s = Cow::Owned(s.replace("-\n", ""));
    }
    if s.contains('\n') {
        s = Cow::Owned(s.replace('\n', " "));
    }
    if s.contains('&') {
        s = Cow::Owned(
            s.replace("&quot;", "\"")
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">"),
        );
    }
    s
}

/// Byte classes of [`for_each_13a_token`].
mod class13 {
    /// Part of a word: letters, digits, `'`, the other ASCII bytes no rule names, and every
    /// byte of a multi-byte character except the lead bytes below.
    pub const WORD: u8 = 0;
    /// ASCII Python whitespace (`\t`..`\r`, U+001C..U+001F, space).
    pub const SPACE: u8 = 1;
    /// Rule 1's punctuation other than the space: always a token of its own.
    pub const PUNCT: u8 = 2;
    /// `.` `,` `-`: the bytes rules 2 to 4 look for.
    pub const SPECIAL: u8 = 3;
    /// Lead bytes of the multi-byte characters that may be Python whitespace (U+0085, U+00A0:
    /// `C2`; U+1680: `E1`; U+2000..U+205F: `E2`; U+3000: `E3`).
    pub const LEAD: u8 = 4;
}

/// [`class13`] of every byte.
static CLASS13: [u8; 256] = {
    let mut t = [class13::WORD; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = if matches!(b, b'\t'..=b'\r' | 0x1c..=0x1f | b' ') {
            class13::SPACE
        } else if is_re_rule1(b) {
            class13::PUNCT
        } else if matches!(b, b'.' | b',' | b'-') {
            class13::SPECIAL
        } else if matches!(b, 0xc2 | 0xe1 | 0xe2 | 0xe3) {
            class13::LEAD
        } else {
            class13::WORD
        };
        i += 1;
    }
    t
};

/// Calls `emit(start, end)` with the byte range in `text` of every token the 13a regular
/// expressions give for `text` (already [`clean_13a`]-ed), in order: the tokens of
/// `' '.join(TokenizerRegexp()(" " + text + " ").split())` without building that string.
///
/// Why one pass is exact: the rules only ever *insert* spaces, so tokens are substrings of
/// `text`. Rule 1 puts spaces around its punctuation, so each such byte is a token and, like
/// whitespace, separates the rest into *chunks* (runs of word bytes and `.` `,` `-`). Rules 2
/// to 4 are 2-byte patterns scanned left to right without overlap; the bytes around a chunk
/// (whitespace, rule-1 punctuation, padding) are all "non-digit, not `.` `,` `-`" for them, a
/// class that is never the second byte of a rule-2 or rule-4 match nor the first of a rule-3
/// or rule-4 match, so no match crosses into a neighbouring chunk and each chunk's tokens are
/// those of the rules on `" " + chunk + " "` (`split_special_chunk`). A chunk without `.`
/// `,` `-` is one token, and one whose only such bytes are `-` is split around each `-` that
/// follows a digit (rule 4 alone applies). The byte-by-byte passes in this module's tests are the oracle
/// (property test over adversarial strings).
///
/// O(n) for n bytes; chunks holding `.` `,` or `-` cost O(chunk) more with thread-local scratch.
///
/// Lines up to 1 KiB on CPUs with AVX2 go through a bit-mask tokeniser (module `blocks`: same
/// tokens, under half the instructions); a byte scanner (`for_each_13a_token_scalar`, the
/// mask path's oracle in tests) takes every other line.
pub fn for_each_13a_token(text: &str, mut emit: impl FnMut(usize, usize)) {
    let mut masks = [blocks::Block::default(); blocks::MAX_BLOCKS];
    if let Some(n) = blocks::classify(text.as_bytes(), &mut masks) {
        let masks = &mut masks[..n];
        if blocks::resolve(text, masks) {
            blocks::emit_tokens(masks, &mut emit);
            return;
        }
    }
    for_each_13a_token_scalar(text, emit);
}

/// [`for_each_13a_token`] by a byte scanner (see there): the path for long lines, lines where
/// a `.` or `,` touches another, and CPUs without AVX2; the oracle of the mask path.
pub(crate) fn for_each_13a_token_scalar(text: &str, mut emit: impl FnMut(usize, usize)) {
    let b = text.as_bytes();
    let n = b.len();
    let mut i = 0;
    while i < n {
        match CLASS13[usize::from(b[i])] {
            class13::SPACE => i += 1,
            class13::PUNCT => {
                emit(i, i + 1);
                i += 1;
            }
            class13::LEAD if py_space_width(text, i) > 0 => i += py_space_width(text, i),
            _ => {
                let start = i;
                let mut specials = 0usize;
                let mut last_special = 0;
                let mut dots = false;
                loop {
                    i = skip_word_bytes(b, i);
                    if i >= n {
                        break;
                    }
                    match CLASS13[usize::from(b[i])] {
                        class13::SPECIAL => {
                            specials += 1;
                            last_special = i;
                            dots |= b[i] != b'-';
                            i += 1;
                        }
                        class13::LEAD if py_space_width(text, i) == 0 => i += 1,
                        _ => break,
                    }
                }
                if specials == 0 {
                    emit(start, i);
                } else if specials == 1 && last_special + 1 == i && b[last_special] != b'-' {
                    // The common "word." / "word," / "2022.": one period or comma closing the
                    // chunk, after a non-special byte. Rule 3 always splits it from the padding
                    // after it, and rule 2 or (after a digit) rule 3 from the byte before it.
                    if start < last_special {
                        emit(start, last_special);
                    }
                    emit(last_special, i);
                } else if !dots {
                    // Only `-`: rules 2 and 3 never match, and rule 4 splits off every `-`
                    // that follows a digit (its 2-byte matches cannot overlap: a `-` never
                    // starts one).
                    let mut from = start;
                    for j in start + 1..i {
                        if b[j] == b'-' && b[j - 1].is_ascii_digit() {
                            emit(from, j);
                            emit(j, j + 1);
                            from = j + 1;
                        }
                    }
                    if from < i {
                        emit(from, i);
                    }
                } else {
                    split_special_chunk(b, start, i, &mut emit);
                }
            }
        }
    }
}

/// The first index at or after `i` whose byte is not [`class13::WORD`] (or `b.len()`). Eight
/// bytes at a time while they are all ASCII letters or digits (most of the bytes of words in
/// Latin-script text): a SWAR test flags every byte outside them exactly (the lowest flagged
/// byte is always right), and the table classifies from there.
///
/// The test: `v | 0x20` maps `A..=Z` onto `a..=z` and nothing else into it, and maps
/// `0x30..=0x39` (digits) and `0x10..=0x19` (control characters, word bytes for 13a) onto the
/// digits; per byte, `x + (0x80 - lo)` has its high bit set exactly when `x >= lo` and
/// `x + (0x7f - hi)` when `x > hi` (for `x < 0x80` neither addition carries into the next
/// byte; bytes `>= 0x80` are flagged by `v` itself).
#[inline]
fn skip_word_bytes(b: &[u8], i: usize) -> usize {
    /// High bit per byte of `x` (all bytes `< 0x80`) that lies in `lo..=hi`.
    #[inline(always)]
    fn in_range(x: u64, lo: u8, hi: u8) -> u64 {
        let at_least_lo = x + SWAR_ONES * u64::from(0x80 - lo);
        let above_hi = x + SWAR_ONES * u64::from(0x7f - hi);
        at_least_lo & !above_hi
    }
    skip_run(
        b,
        i,
        |v| {
            let x = (v | (SWAR_ONES * 0x20)) & !SWAR_HIGH;
            let word = (in_range(x, b'a', b'z') | in_range(x, b'0', b'9')) & !v & SWAR_HIGH;
            !word & SWAR_HIGH
        },
        |c| CLASS13[usize::from(c)] == class13::WORD,
    )
}

thread_local! {
    /// Two byte buffers [`split_special_chunk`] ping-pongs between.
    static CHUNK_SCRATCH: RefCell<(Vec<u8>, Vec<u8>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

/// Tokens of the chunk `b[start..end]` (no whitespace, no rule-1 punctuation) under rules 2 to
/// 4 applied to `" " + chunk + " "`, as ranges of `b`: each rule is one byte-by-byte
/// left-to-right scan (see [`regexp_post`]); the rules only insert spaces, so the k-th
/// non-space output byte is `b[start + k]`.
fn split_special_chunk(b: &[u8], start: usize, end: usize, emit: &mut impl FnMut(usize, usize)) {
    CHUNK_SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut bufs) => {
            let (x, y) = &mut *bufs;
            split_special_chunk_with(b, start, end, x, y, emit);
        }
        Err(_) => split_special_chunk_with(b, start, end, &mut Vec::new(), &mut Vec::new(), emit),
    });
}

fn split_special_chunk_with(
    b: &[u8],
    start: usize,
    end: usize,
    x: &mut Vec<u8>,
    y: &mut Vec<u8>,
    emit: &mut impl FnMut(usize, usize),
) {
    x.clear();
    x.push(b' ');
    x.extend_from_slice(&b[start..end]);
    x.push(b' ');
    // Rule 2: `([^0-9])([\.,])` -> `\1 \2 `.
    scan_rule(x, y, |c, d| {
        (!c.is_ascii_digit() && matches!(d, b'.' | b',')).then_some([c, b' ', d, b' '])
    });
    // Rule 3: `([\.,])([^0-9])` -> ` \1 \2`.
    scan_rule(y, x, |c, d| {
        (matches!(c, b'.' | b',') && !d.is_ascii_digit()).then_some([b' ', c, b' ', d])
    });
    // Rule 4: `([0-9])(-)` -> `\1 \2 `.
    scan_rule(x, y, |c, d| {
        (c.is_ascii_digit() && d == b'-').then_some([c, b' ', d, b' '])
    });
    let mut k = start;
    let mut token_start = None;
    for &c in y.iter() {
        if c == b' ' {
            if let Some(s) = token_start.take() {
                emit(s, k);
            }
        } else {
            token_start.get_or_insert(k);
            k += 1;
        }
    }
    if let Some(s) = token_start {
        emit(s, k);
    }
}

/// One `re.sub` of a two-byte pattern: at each position, if `rule(src[i], src[i + 1])` gives a
/// replacement, write it and skip both bytes, else copy `src[i]`. Writes into `dst` (cleared).
#[inline]
fn scan_rule(src: &[u8], dst: &mut Vec<u8>, rule: impl Fn(u8, u8) -> Option<[u8; 4]>) {
    dst.clear();
    let mut i = 0;
    while i < src.len() {
        match src.get(i + 1).and_then(|&d| rule(src[i], d)) {
            Some(rep) => {
                dst.extend_from_slice(&rep);
                i += 2;
            }
            None => {
                dst.push(src[i]);
                i += 1;
            }
        }
    }
}

/// Characters of tokenizer_re.py's first rule `([\{-\~\[-\` -\&\(-\+\:-\@\/])`: the ASCII
/// punctuation that is always split off, i.e. `{|}~`, ``[\]^_` ``, space to `&`, `(` to `+`,
/// `:` to `@` and `/`. Not in it: `'`, `,`, `-`, `.` (handled by the other rules or kept).
#[inline]
const fn is_re_rule1(b: u8) -> bool {
    matches!(b, b'{'..=b'~' | b'['..=b'`' | b' '..=b'&' | b'('..=b'+' | b':'..=b'@' | b'/')
}

#[cfg(test)]
fn is_period_or_comma(b: u8) -> bool {
    b == b'.' || b == b','
}

/// `TokenizerRegexp.__call__` on the concatenation of `parts`, appended to `out`.
///
/// The four rules are `re.sub` calls whose patterns are one or two single-character classes, so
/// each is an exact left-to-right scan: at position `i`, if `s[i]` and `s[i+1]` are in the two
/// classes, emit the replacement and continue at `i + 2` (a match is never re-scanned), else
/// emit `s[i]` and continue at `i + 1` — the semantics of `re.sub` for non-empty fixed-width
/// patterns. The scans work on UTF-8 bytes: every class that must match a specific character is
/// ASCII, and `[^0-9]` matches a multi-byte character's bytes exactly when it matches the
/// character, so the byte scan inserts the same spaces at the same (character-boundary)
/// positions as Python's character scan. `[0-9]` is ASCII-only in Python's `re` too.
///
/// O(n) time; at most 3 bytes out per byte in per pass.
fn regexp_post(parts: &[&str], out: &mut String) {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut bufs) => {
            let (a, b) = &mut *bufs;
            regexp_post_with(parts, a, b, out);
        }
        // Re-entrancy cannot happen (no callbacks), but never panic: use fresh buffers.
        Err(_) => regexp_post_with(parts, &mut Vec::new(), &mut Vec::new(), out),
    });
}

fn regexp_post_with(parts: &[&str], a: &mut Vec<u8>, b: &mut Vec<u8>, out: &mut String) {
    // Each pass copies the runs that no rule touches in bulk and only looks at the bytes where
    // a rule can match (the pattern's fixed character), which keeps the same left-to-right,
    // non-overlapping semantics as a byte-by-byte scan: a pair whose second (or first) byte is
    // not the rule's character cannot match, so it is copied unchanged.
    let total: usize = parts.iter().map(|p| p.len()).sum();

    // Rule 1: `([\{-\~\[-\` -\&\(-\+\:-\@\/])` -> ` \1 `.
    a.clear();
    a.reserve(total * 3);
    for part in parts {
        let bytes = part.as_bytes();
        let mut run = 0;
        for (i, &c) in bytes.iter().enumerate() {
            if RE_RULE1[usize::from(c)] {
                a.extend_from_slice(&bytes[run..i]);
                a.extend_from_slice(&[b' ', c, b' ']);
                run = i + 1;
            }
        }
        a.extend_from_slice(&bytes[run..]);
    }

    // Rule 2: `([^0-9])([\.,])` -> `\1 \2 ` (period and comma unless preceded by a digit).
    // A match is anchored at the byte before a `.` or `,`.
    b.clear();
    b.reserve(a.len() * 2);
    let mut i = 0;
    while i < a.len() {
        let Some(off) = a.get(i + 1..).and_then(|t| memchr::memchr2(b'.', b',', t)) else {
            b.extend_from_slice(&a[i..]);
            break;
        };
        let x = i + off; // the pair (a[x], a[x + 1]) is the first candidate at or after i
        b.extend_from_slice(&a[i..x]);
        let (c, d) = (a[x], a[x + 1]);
        if !c.is_ascii_digit() {
            b.extend_from_slice(&[c, b' ', d, b' ']);
            i = x + 2;
        } else {
            b.push(c);
            i = x + 1;
        }
    }

    // Rule 3: `([\.,])([^0-9])` -> ` \1 \2` (period and comma unless followed by a digit).
    // A match is anchored at a `.` or `,`.
    a.clear();
    a.reserve(b.len() * 2);
    let mut i = 0;
    while i < b.len() {
        let Some(off) = memchr::memchr2(b'.', b',', &b[i..]) else {
            a.extend_from_slice(&b[i..]);
            break;
        };
        let x = i + off;
        a.extend_from_slice(&b[i..x]);
        match b.get(x + 1) {
            Some(&d) if !d.is_ascii_digit() => {
                a.extend_from_slice(&[b' ', b[x], b' ', d]);
                i = x + 2;
            }
            _ => {
                a.push(b[x]);
                i = x + 1;
            }
        }
    }

    // Rule 4: `([0-9])(-)` -> `\1 \2 ` (dash after a digit). Anchored at the byte before `-`.
    b.clear();
    b.reserve(a.len() * 2);
    let mut i = 0;
    while i < a.len() {
        let Some(off) = a.get(i + 1..).and_then(|t| memchr::memchr(b'-', t)) else {
            b.extend_from_slice(&a[i..]);
            break;
        };
        let x = i + off;
        b.extend_from_slice(&a[i..x]);
        let c = a[x];
        if c.is_ascii_digit() {
            b.extend_from_slice(&[c, b' ', b'-', b' ']);
            i = x + 2;
        } else {
            b.push(c);
            i = x + 1;
        }
    }

    // Spaces are only inserted next to ASCII bytes at character boundaries, so this is UTF-8.
    match std::str::from_utf8(b) {
        Ok(s) => push_joined(s, out),
        Err(_) => push_joined(&String::from_utf8_lossy(b), out),
    }
}

/// [`is_re_rule1`] as a table over bytes.
static RE_RULE1: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = is_re_rule1(i as u8);
        i += 1;
    }
    t
};

// ---------------------------------------------------------------------------------------------
// zh (tokenizer_zh.py)
// ---------------------------------------------------------------------------------------------

/// The code points `TokenizerZh._is_chinese_char` accepts, as merged inclusive ranges.
///
/// Computed by running sacreBLEU 2.6.0's function on every code point. Its `_UCODE_RANGES` writes
/// two supplementary-plane ranges as `u'\u20000'` and `u'\u2f800'`, which Python reads as *two*
/// characters (`'\u2000' + '0'`), so the comparison `start <= ch <= end` really accepts
/// U+2001..=U+2A6D (general punctuation such as `—` `“` `”` `…`, currency, arrows, maths and
/// the dingbat ranges) and U+2F81..=U+2FA1, and no supplementary-plane ideograph at all. We
/// reproduce that behaviour, since it decides which characters become tokens.
const ZH_CHAR_RANGES: [(u32, u32); 13] = [
    (0x2001, 0x2A6D),
    (0x2E80, 0x2FDF),
    (0x2FF0, 0x303F),
    (0x3100, 0x312F),
    (0x31A0, 0x31EF),
    (0x3200, 0x4DB5),
    (0x4E00, 0x9FBB),
    (0xF900, 0xFA2D),
    (0xFA30, 0xFA6A),
    (0xFA70, 0xFAD9),
    (0xFE10, 0xFE1F),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),
];

/// `TokenizerZh._is_chinese_char`, see `ZH_CHAR_RANGES`.
#[inline]
pub fn is_zh_split_char(c: char) -> bool {
    let c = c as u32;
    // Everything accepted is at least U+2001: ASCII and Latin text takes one comparison.
    c >= 0x2001 && ZH_CHAR_RANGES.iter().any(|&(lo, hi)| lo <= c && c <= hi)
}

/// `TokenizerZh.__call__`: strip, surround each [`is_zh_split_char`] character with spaces, then
/// the regexp rules (without 13a's entity unescaping and without its padding spaces, so a
/// final `.` after a letter is split by rule 2 but a final `.` after a digit stays attached).
fn tokenize_zh(line: &str, out: &mut String) {
    let line = strip_py(line);
    let mut spaced = String::with_capacity(line.len() + line.len() / 2);
    for c in line.chars() {
        if is_zh_split_char(c) {
            spaced.push(' ');
            spaced.push(c);
            spaced.push(' ');
        } else {
            spaced.push(c);
        }
    }
    regexp_post(&[&spaced], out);
}

// ---------------------------------------------------------------------------------------------
// intl (tokenizer_intl.py)
// ---------------------------------------------------------------------------------------------

/// The three rules of `TokenizerV14International`. sacreBLEU uses the `regex` module, whose
/// `\p{P}`, `\p{S}` and `\P{N}` are the Unicode general categories P* (Pc Pd Ps Pe Pi Pf Po),
/// S* (Sm Sc Sk So) and not-N* (N = Nd Nl No, all numbers, not only digits); the regex crate's
/// classes are the same categories and its `replace_all` has the same leftmost, non-overlapping
/// semantics as `regex.sub`.
///
/// Unicode versions differ: regex-syntax 0.8.12 has Unicode 16.0 tables, the Python `regex`
/// module follows the newest Unicode (regex 2026.5.9 has 17.0). Checked on every code point in
/// the contexts `x?x1?1?`: the two agree except on the 104 symbols and punctuation marks new in
/// Unicode 17.0 (e.g. U+20C1 SAUDI RIYAL SIGN), which sacreBLEU with a current `regex` splits off
/// and we keep. The 13a and zh tokenisers depend on no Unicode tables (only on Python's
/// whitespace set, which has been stable since Unicode 6.3).
static INTL_RULES: LazyLock<[(Option<Regex>, &'static str); 3]> = LazyLock::new(|| {
    [
        // Separate out punctuation preceded by a non-number.
        (Regex::new(r"(\P{N})(\p{P})").ok(), "${1} ${2} "),
        // Separate out punctuation followed by a non-number.
        (Regex::new(r"(\p{P})(\P{N})").ok(), " ${1} ${2}"),
        // Separate out symbols.
        (Regex::new(r"(\p{S})").ok(), " ${1} "),
    ]
});

fn tokenize_intl(line: &str, out: &mut String) {
    let mut s: Cow<str> = Cow::Borrowed(line);
    for (re, rep) in INTL_RULES.iter() {
        // The patterns are constants that compile (tested); `None` cannot happen.
        if let Some(re) = re {
            if let Cow::Owned(t) = re.replace_all(&s, *rep) {
                s = Cow::Owned(t);
            }
        }
    }
    push_joined(&s, out);
}

// ---------------------------------------------------------------------------------------------
// char (tokenizer_char.py)
// ---------------------------------------------------------------------------------------------

/// `" ".join(line)`: every character, spaces included, separated by one space.
fn tokenize_char(line: &str, out: &mut String) {
    for (i, c) in line.chars().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests;
