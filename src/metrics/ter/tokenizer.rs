//! The TER tokenizer: sacreBLEU 2.6.0 `TercomTokenizer` (sacrebleu/tokenizers/tokenizer_ter.py),
//! itself a port of Tercom's `Normalizer.java`.
//!
//! sacreBLEU writes each step as a `re.sub`; every pattern there is either a literal string, a
//! single-character class, or a fixed two-character pattern, so each step is written here as a
//! one-pass scanner over characters with the same leftmost, non-overlapping semantics. Whitespace
//! is Python's `str.split()` whitespace (Unicode `White_Space` plus U+001C..U+001F), see
//! [`is_python_whitespace`].
//!
//! Every step is O(length of the sentence); the default configuration (lowercase only) does one
//! lowercase pass and one split.

#[cfg(doc)]
use crate::text::tokenize::is_python_whitespace;
use crate::text::tokenize::split_whitespace_py;

/// sacreBLEU `TercomTokenizer` options (all false by default, as in sacreBLEU).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TercomTokenizer {
    /// Tercom normalisation: joins lines, unescapes XML entities, splits punctuation.
    pub normalized: bool,
    /// Removes `.,?:;!"()` (and CJK punctuation with `asian_support`).
    pub no_punct: bool,
    /// CJK handling; only has an effect with `normalized` and/or `no_punct`.
    pub asian_support: bool,
    /// Keep case (otherwise Python's `str.lower()`; Rust's `to_lowercase` uses the same full
    /// Unicode mappings including final sigma, up to the Unicode version of each runtime).
    pub case_sensitive: bool,
}

impl TercomTokenizer {
    /// The tokenized sentence, words joined by single spaces (sacreBLEU's return value).
    pub fn tokenize(&self, sent: &str) -> String {
        let mut buf = String::new();
        self.tokenize_into(sent, &mut buf);
        let words: Vec<&str> = split_whitespace_py(&buf).collect();
        words.join(" ")
    }

    /// Writes the tokenizer output *before* the final whitespace collapse into `buf` (cleared
    /// first); split it with [`split_whitespace_py`] to get the words. Avoids the join/split round trip.
    pub fn tokenize_into(&self, sent: &str, buf: &mut String) {
        buf.clear();
        if sent.is_empty() {
            return;
        }
        if self.case_sensitive {
            buf.push_str(sent);
        } else if sent.is_ascii() {
            buf.push_str(sent);
            buf.make_ascii_lowercase();
        } else {
            buf.push_str(&sent.to_lowercase());
        }
        if self.normalized {
            let mut s = normalize_general_and_western(buf);
            if self.asian_support {
                s = normalize_asian(&s);
            }
            *buf = s;
        }
        if self.no_punct {
            buf.retain(|c| !is_western_removable_punct(c));
            if self.asian_support {
                buf.retain(|c| !is_asian_punct(c) && !is_full_width_punct(c));
            }
        }
    }
}

/// `_normalize_general_and_western`.
fn normalize_general_and_western(sent: &str) -> String {
    // strip end-of-line hyphenation and join lines: re.sub(r"\n-", ""), re.sub(r"\n", " ")
    let s = sent.replace("\n-", "").replace('\n', " ");
    // XML entities, in sacreBLEU's order (sequential, so "&amp;quot;" becomes "&quot;")
    let s = s
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
    // sent = f" {sent} "; then re.sub(r"([{-~[-` -&(-+:-@/])", r" \1 ")
    let mut t = String::with_capacity(s.len() * 2 + 8);
    t.push(' ');
    push_padded(&mut t, &s, is_tercom_punct);
    // the space appended by the f-string is itself in the class (U+0020 in ` -&`)
    t.push_str("   ");
    // possessives: re.sub(r"'s ", r" 's "), then re.sub(r"'s$", r" 's")
    let mut t = t.replace("'s ", " 's ");
    replace_possessive_at_end(&mut t);
    // period and comma unless preceded by a digit: ([^0-9])([\.,]) -> "\1 \2 "
    let t = replace_pairs(
        &t,
        |a| !a.is_ascii_digit(),
        is_period_or_comma,
        |out, a, b| {
            out.push(a);
            out.push(' ');
            out.push(b);
            out.push(' ');
        },
    );
    // period and comma unless followed by a digit: ([\.,])([^0-9]) -> " \1 \2"
    let t = replace_pairs(
        &t,
        is_period_or_comma,
        |b| !b.is_ascii_digit(),
        |out, a, b| {
            out.push(' ');
            out.push(a);
            out.push(' ');
            out.push(b);
        },
    );
    // dash preceded by a digit: ([0-9])(-) -> "\1 \2 "
    replace_pairs(
        &t,
        |a| a.is_ascii_digit(),
        |b| b == '-',
        |out, a, b| {
            out.push(a);
            out.push(' ');
            out.push(b);
            out.push(' ');
        },
    )
}

/// `re.sub(r"'s$", r" 's", s)`: Python's `$` matches at the very end and before a final `\n`.
/// (Unreachable from the tokenizer, whose string always ends in a space here; kept literal.)
fn replace_possessive_at_end(s: &mut String) {
    let cut = if s.ends_with("'s") {
        Some(s.len() - 2)
    } else if s.ends_with("'s\n") {
        Some(s.len() - 3)
    } else {
        None
    };
    if let Some(at) = cut {
        s.insert(at, ' ');
    }
}

/// Leftmost, non-overlapping replacement of a two-character pattern `(X)(Y)`, as `re.sub` does.
fn replace_pairs(
    s: &str,
    first: impl Fn(char) -> bool,
    second: impl Fn(char) -> bool,
    emit: impl Fn(&mut String, char, char),
) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    let mut it = s.chars().peekable();
    while let Some(a) = it.next() {
        match it.peek() {
            Some(&b) if first(a) && second(b) => {
                it.next();
                emit(&mut out, a, b);
            }
            _ => out.push(a),
        }
    }
    out
}

/// The class `[{-~[-` -&(-+:-@/]` of sacreBLEU's punctuation split: `{|}~`, ``[\]^_` ``,
/// space to `&`, `(` to `+`, `:` to `@`, and `/`. (Not `'`, `,`, `-`, `.`: handled separately.)
fn is_tercom_punct(c: char) -> bool {
    matches!(c, '{'..='~' | '['..='`' | ' '..='&' | '('..='+' | ':'..='@' | '/')
}

fn is_period_or_comma(c: char) -> bool {
    c == '.' || c == ','
}

/// `_remove_punct`: `[\.,\?:;!\"\(\)]`.
fn is_western_removable_punct(c: char) -> bool {
    matches!(c, '.' | ',' | '?' | ':' | ';' | '!' | '"' | '(' | ')')
}

/// `TercomTokenizer.ASIAN_PUNCT`.
fn is_asian_punct(c: char) -> bool {
    matches!(c, '\u{3001}' | '\u{3002}' | '\u{3008}'..='\u{3011}' | '\u{3014}'..='\u{301f}'
        | '\u{ff61}'..='\u{ff65}' | '\u{30fb}')
}

/// `TercomTokenizer.FULL_WIDTH_PUNCT`.
fn is_full_width_punct(c: char) -> bool {
    matches!(
        c,
        '\u{ff0e}'
            | '\u{ff0c}'
            | '\u{ff1f}'
            | '\u{ff1a}'
            | '\u{ff1b}'
            | '\u{ff01}'
            | '\u{ff02}'
            | '\u{ff08}'
            | '\u{ff09}'
    )
}

/// The four CJK character-splitting classes of `_normalize_asian` (sacreBLEU's ranges, including
/// its `\u3200-\u3f22` for "Enclosed CJK Letters and Months", which overlaps the others).
fn is_cjk_split(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}'
        | '\u{31c0}'..='\u{31ef}' | '\u{2e80}'..='\u{2eff}'
        | '\u{3300}'..='\u{33ff}' | '\u{f900}'..='\u{faff}' | '\u{fe30}'..='\u{fe4f}'
        | '\u{3200}'..='\u{3f22}')
}

/// `_normalize_asian`. Padding a character with spaces twice (sacreBLEU's classes overlap) only
/// adds whitespace, which nothing after this step looks at, so the single-character classes are
/// applied in two passes (before and after the kana step, as in sacreBLEU).
fn normalize_asian(sent: &str) -> String {
    let mut s = pad_chars(sent, is_cjk_split);
    // Hiragana, Katakana, Katakana Phonetic Extensions
    for (lo, hi) in [
        ('\u{3040}', '\u{309f}'),
        ('\u{30a0}', '\u{30ff}'),
        ('\u{31f0}', '\u{31ff}'),
    ] {
        pad_whole_kana_run(&mut s, lo, hi);
    }
    pad_chars(&s, |c| is_asian_punct(c) || is_full_width_punct(c))
}

/// `re.sub(r"(^|^[K])([K]+)(?=$|^[K])", r"\1 \2 ", s)` for a kana block K. Without MULTILINE,
/// `^` only matches at 0 and the look-ahead's `^[K]` can never match after a non-empty run, so
/// the pattern matches only when the whole string (up to an optional final `\n`) is kana; the
/// replacement then appends a space after the run. (From the tokenizer this never fires: the
/// western step has put a space first. Kept literal.)
fn pad_whole_kana_run(s: &mut String, lo: char, hi: char) {
    let body = s.strip_suffix('\n').unwrap_or(s);
    if !body.is_empty() && body.chars().all(|c| (lo..=hi).contains(&c)) {
        let at = body.len();
        s.insert(at, ' ');
    }
}

/// Replaces every character `c` with `pred(c)` by `" c "`.
fn pad_chars(s: &str, pred: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    push_padded(&mut out, s, pred);
    out
}

/// Appends `s` to `out`, every character `c` with `pred(c)` as `" c "`.
fn push_padded(out: &mut String, s: &str, pred: impl Fn(char) -> bool) {
    for c in s.chars() {
        if pred(c) {
            out.push(' ');
            out.push(c);
            out.push(' ');
        } else {
            out.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(opts: (bool, bool, bool, bool), s: &str) -> String {
        let (normalized, no_punct, asian_support, case_sensitive) = opts;
        TercomTokenizer {
            normalized,
            no_punct,
            asian_support,
            case_sensitive,
        }
        .tokenize(s)
    }

    const DEFAULT: (bool, bool, bool, bool) = (false, false, false, false);
    const NORM: (bool, bool, bool, bool) = (true, false, false, false);

    #[test]
    fn default_lowercases_and_collapses_whitespace() {
        assert_eq!(tok(DEFAULT, "  The  Cat,\tsat. "), "the cat, sat.");
        assert_eq!(tok(DEFAULT, ""), "");
        assert_eq!(tok(DEFAULT, "ΣΑΣ"), "σας");
        // Python counts U+001F as whitespace, Rust's is_whitespace does not
        assert_eq!(tok(DEFAULT, "a\u{1f}b"), "a b");
    }

    #[test]
    fn case_sensitive_keeps_case() {
        assert_eq!(tok((false, false, false, true), "The Cat"), "The Cat");
    }

    #[test]
    fn normalized_splits_punctuation_like_tercom() {
        // Expected outputs worked out by hand from sacreBLEU's regexes, step by step.
        let cases = [
            ("Hello, world!", "hello , world !"),
            (
                "It costs $3.50, or 3,000-4,000.",
                "it costs $ 3.50 , or 3,000 - 4,000 .",
            ),
            ("John's car", "john 's car"),
            // "&amp;quot;" unescapes once to "&quot;", whose "&" and ";" are then split off
            ("a &amp;quot; b &lt;c&gt;", "a & quot ; b < c >"),
            ("line\n-break\nnext", "linebreak next"),
            ("U.S. e-mail", "u . s . e-mail"),
            ("x/y (z) [w] {v} a_b", "x / y ( z ) [ w ] { v } a _ b"),
            ("end.", "end ."),
            (".5 and 5.", ". 5 and 5 ."),
        ];
        for (input, want) in cases {
            assert_eq!(tok(NORM, input), want, "{input:?}");
        }
    }

    #[test]
    fn no_punct_removes_punctuation() {
        assert_eq!(
            tok((false, true, false, false), "Hello, (big) world!?"),
            "hello big world"
        );
        // without normalisation the other symbols stay attached
        assert_eq!(tok((false, true, false, false), "a-b $5"), "a-b $5");
        // asian punctuation only with asian_support
        assert_eq!(tok((false, true, false, false), "好。"), "好。");
        assert_eq!(tok((false, true, true, false), "好。！"), "好");
    }

    #[test]
    fn asian_support_splits_cjk_characters() {
        assert_eq!(tok((true, false, true, false), "我爱你。"), "我 爱 你 。");
        // without normalized, asian_support alone does nothing
        assert_eq!(tok((false, false, true, false), "我爱你"), "我爱你");
        // kana runs stay together
        assert_eq!(tok((true, false, true, false), "ひらがな"), "ひらがな");
    }

    #[test]
    fn kana_pattern_is_literal() {
        let mut s = String::from("ひらがな");
        pad_whole_kana_run(&mut s, '\u{3040}', '\u{309f}');
        assert_eq!(s, "ひらがな ");
        let mut s = String::from(" ひら");
        pad_whole_kana_run(&mut s, '\u{3040}', '\u{309f}');
        assert_eq!(s, " ひら");
    }
}
