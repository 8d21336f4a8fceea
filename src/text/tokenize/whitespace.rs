//! Python's whitespace, as sacreBLEU meets it through `str.split()` and `str.strip()`:
//! [`is_python_whitespace`] and the splitting, joining and stripping built on it, plus the byte
//! tables and eight-bytes-at-a-time skips ([`PY_SPACE_CLASS`], [`skip_py_word_bytes`],
//! [`py_space_width`]) that let scanners (the 13a tokeniser, the word metrics) find whitespace
//! without decoding every character.

/// Python's `str.isspace()`: the characters `str.split()` and `str.strip()` treat as whitespace
/// (bidirectional class WS, B or S, or general category Zs). Equal to Rust's
/// [`char::is_whitespace`] (the `White_Space` property) plus U+001C..U+001F, which Python counts
/// (bidi class B/S) and `White_Space` does not.
#[inline]
pub fn is_python_whitespace(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python's `line.split()` (no argument): the non-empty runs between [`is_python_whitespace`]
/// characters.
pub fn split_whitespace_py(line: &str) -> impl Iterator<Item = &str> {
    line.split(is_python_whitespace).filter(|t| !t.is_empty())
}

/// The byte ranges of [`split_whitespace_py`]`(line)`, in order, passed to `emit(start, end)`:
/// words are skipped eight printable-ASCII bytes at a time ([`skip_py_word_bytes`]) and only
/// the bytes that may start whitespace are decoded ([`py_space_width`]). O(|line|).
pub(crate) fn for_each_py_word(line: &str, mut emit: impl FnMut(usize, usize)) {
    let bytes = line.as_bytes();
    let n = bytes.len();
    let mut i = 0;
    loop {
        // Whitespace up to the next word (or the end).
        let start = loop {
            if i >= n {
                return;
            }
            match py_space_width(line, i) {
                0 => break i,
                w => i += w,
            }
        };
        // The word runs to the next whitespace character (or the end).
        i = start + 1;
        loop {
            i = skip_py_word_bytes(bytes, i);
            if i >= n || py_space_width(line, i) > 0 {
                break;
            }
            i += 1;
        }
        emit(start, i);
    }
}

/// Python's `line.rstrip()` (no argument). O(1) when the line ends in printable ASCII (most
/// lines), else it decodes characters backwards.
#[inline]
pub fn rstrip_py(line: &str) -> &str {
    match line.as_bytes().last() {
        // `!`..=`~` is never whitespace and is a whole character.
        Some(0x21..=0x7e) => line,
        _ => line.trim_end_matches(is_python_whitespace),
    }
}

/// Python's `line.strip()` (no argument).
pub fn strip_py(line: &str) -> &str {
    line.trim_matches(is_python_whitespace)
}

/// Appends `' '.join(text.split())` to `out`: tokens separated by single spaces, no space at
/// either end.
pub(super) fn push_joined(text: &str, out: &mut String) {
    if !text.is_ascii() {
        for (i, tok) in split_whitespace_py(text).enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(tok);
        }
        return;
    }
    // ASCII: the Python whitespace bytes are tab..carriage return, U+001C..U+001F and space.
    let bytes = text.as_bytes();
    let mut first = true;
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && ASCII_PY_SPACE[usize::from(bytes[i])] {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && !ASCII_PY_SPACE[usize::from(bytes[i])] {
            i += 1;
        }
        if start < i {
            if !first {
                out.push(' ');
            }
            first = false;
            out.push_str(&text[start..i]);
        }
    }
}

/// Python's `str.isspace()` on the ASCII bytes (false for every byte >= 0x80): `\t` `\n`
/// `\x0b` `\x0c` `\r`, U+001C..U+001F and the space.
static ASCII_PY_SPACE: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 128 {
        t[i] = matches!(i as u8, b'\t'..=b'\r' | 0x1c..=0x1f | b' ');
        i += 1;
    }
    t
};

/// Class of a byte for [`py_space_width`]: it does not start a Python whitespace character.
pub(crate) const BYTE_WORD: u8 = 0;
/// Class of a byte: an ASCII Python whitespace character (`\t \n \v \f \r`, U+001C..U+001F,
/// space).
pub(crate) const BYTE_SPACE: u8 = 1;
/// Class of a byte: the lead byte of a multi-byte character that may be Python whitespace
/// (0xC2: U+0085, U+00A0; 0xE1: U+1680; 0xE2: U+2000..U+205F; 0xE3: U+3000). No other
/// non-ASCII character is whitespace for Python, and continuation bytes never start one.
pub(crate) const BYTE_MAYBE: u8 = 2;

/// [`BYTE_WORD`], [`BYTE_SPACE`] or [`BYTE_MAYBE`] of every byte value: lets scanners skip
/// word bytes with one table lookup and decode only the four lead bytes that may start
/// non-ASCII whitespace.
pub(crate) static PY_SPACE_CLASS: [u8; 256] = {
    let mut t = [BYTE_WORD; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = match b as u8 {
            b'\t'..=b'\r' | 0x1c..=0x1f | b' ' => BYTE_SPACE,
            0xc2 | 0xe1 | 0xe2 | 0xe3 => BYTE_MAYBE,
            _ => BYTE_WORD,
        };
        b += 1;
    }
    t
};

/// The first index at or after `i` whose byte is not [`BYTE_WORD`] in [`PY_SPACE_CLASS`] (may
/// start a Python whitespace character), or `b.len()`. Eight bytes at a time while they are
/// all printable ASCII (`0x21..=0x7f`, never whitespace): a SWAR test flags every byte
/// outside that range exactly (`v - 0x21` per byte borrows, setting the high bit, only from a
/// byte below `0x21`, and the lowest flagged byte is always right), and the table goes on
/// from there.
#[inline]
pub(crate) fn skip_py_word_bytes(b: &[u8], i: usize) -> usize {
    skip_run(
        b,
        i,
        |v| (v.wrapping_sub(SWAR_ONES * 0x21) | v) & SWAR_HIGH,
        |c| PY_SPACE_CLASS[usize::from(c)] == BYTE_WORD,
    )
}

/// A byte 0x01 in every byte of a `u64` (SWAR arithmetic on 8 bytes at once).
pub(super) const SWAR_ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of every byte of a `u64`.
pub(super) const SWAR_HIGH: u64 = 0x8080_8080_8080_8080;

/// The first index at or after `i` whose byte is not in a run class (or `b.len()`), for the
/// skips ([`skip_py_word_bytes`], the 13a scanner's `skip_word_bytes`): eight bytes at a time
/// while `outside` (high bit set for each byte of the little-endian word `v` outside a fast
/// subset of the class, exactly: the lowest flagged byte must be the first such byte) flags
/// none, then byte by byte while `in_run`.
#[inline(always)]
pub(super) fn skip_run(
    b: &[u8],
    mut i: usize,
    outside: impl Fn(u64) -> u64,
    in_run: impl Fn(u8) -> bool,
) -> usize {
    while let Some(chunk) = b.get(i..).and_then(|t| t.first_chunk::<8>()) {
        let flags = outside(u64::from_le_bytes(*chunk));
        if flags == 0 {
            i += 8;
            continue;
        }
        i += (flags.trailing_zeros() / 8) as usize;
        break;
    }
    while i < b.len() && in_run(b[i]) {
        i += 1;
    }
    i
}

/// Width in bytes of the Python whitespace character ([`is_python_whitespace`]) starting at
/// byte `i` of `text`, or 0 when byte `i` starts none (a non-whitespace character, a
/// continuation byte inside one, or `i` past the end). O(1).
#[inline]
pub(crate) fn py_space_width(text: &str, i: usize) -> usize {
    let Some(&b) = text.as_bytes().get(i) else {
        return 0;
    };
    match PY_SPACE_CLASS[usize::from(b)] {
        BYTE_WORD => 0,
        BYTE_SPACE => 1,
        _ => match text.get(i..).and_then(|t| t.chars().next()) {
            Some(c) if is_python_whitespace(c) => c.len_utf8(),
            _ => 0,
        },
    }
}
