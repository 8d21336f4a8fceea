//! Optional text normalisation, applied to hypotheses and references alike before any metric.
//!
//! Every step is off by default (so scores match sacreBLEU and jiwer on the same text) and every
//! step that is on is recorded in the `textnorm:` field of signatures
//! (`...|textnorm:nfc+quotes+ws`; `norm:` is taken: sacreBLEU's TER uses it for tercom
//! normalisation). Steps run in a fixed order:
//! Unicode form -> quotes -> dashes -> punctuation removal -> case -> whitespace.
//! Each step is idempotent and so is the whole chain (`n(n(x)) == n(x)`, a property test checks it).

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use regex::Regex;
use unicode_normalization::{is_nfc_quick, is_nfkc_quick, IsNormalized, UnicodeNormalization};

use crate::error::{Error, Result};

/// Unicode normalisation form.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum UnicodeForm {
    #[default]
    None,
    /// Canonical composition (precomposed "é" and "e" + combining acute compare equal).
    Nfc,
    /// Compatibility composition: NFC plus folding of ligatures, full-width forms, "²" -> "2", ...
    Nfkc,
}

/// The normalisation steps, each optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Normalizer {
    pub unicode: UnicodeForm,
    /// Curly and other typographic quotes and apostrophes to ASCII `'` and `"` (see [`fold_quote`]).
    pub quotes: bool,
    /// Hyphen and dash variants (U+2010..U+2015, minus sign, small em dash, small and full-width
    /// hyphen-minus) to `-` (see [`fold_dash`]).
    pub dashes: bool,
    /// Remove every character of a Unicode punctuation category (`\p{P}`).
    pub strip_punct: bool,
    /// Unicode lower-casing (`str::to_lowercase`).
    pub lowercase: bool,
    /// Runs of Unicode white space to one ASCII space; leading and trailing white space removed.
    pub whitespace: bool,
}

/// The names accepted by [`Normalizer::from_str`], in the order the steps run.
pub const STEP_NAMES: [&str; 7] = ["nfc", "nfkc", "quotes", "dashes", "punct", "lc", "ws"];

impl Normalizer {
    /// No step enabled: text passes through unchanged.
    pub fn is_identity(&self) -> bool {
        *self == Normalizer::default()
    }

    /// Normalises one segment. Borrowed when nothing changed (the common, ASCII-clean case).
    pub fn normalize<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut s = Cow::Borrowed(text);
        match self.unicode {
            UnicodeForm::None => {}
            UnicodeForm::Nfc => {
                if is_nfc_quick(s.chars()) != IsNormalized::Yes {
                    s = Cow::Owned(s.nfc().collect());
                }
            }
            UnicodeForm::Nfkc => {
                if is_nfkc_quick(s.chars()) != IsNormalized::Yes {
                    s = Cow::Owned(s.nfkc().collect());
                }
            }
        }
        if self.quotes && s.chars().any(|c| fold_quote(c).is_some()) {
            s = Cow::Owned(s.chars().map(|c| fold_quote(c).unwrap_or(c)).collect());
        }
        if self.dashes && s.chars().any(|c| fold_dash(c).is_some()) {
            s = Cow::Owned(s.chars().map(|c| fold_dash(c).unwrap_or(c)).collect());
        }
        if self.strip_punct {
            let re = punct_regex();
            if re.is_match(&s) {
                s = Cow::Owned(re.replace_all(&s, "").into_owned());
            }
        }
        if self.lowercase && s.chars().any(|c| c.is_uppercase() || !c.is_ascii()) {
            let lower = s.to_lowercase();
            if lower != *s {
                s = Cow::Owned(lower);
                // Lower-casing can produce text that is not in the requested form again.
                if self.unicode == UnicodeForm::Nfc {
                    s = Cow::Owned(s.nfc().collect());
                } else if self.unicode == UnicodeForm::Nfkc {
                    s = Cow::Owned(s.nfkc().collect());
                }
            }
        }
        if self.whitespace {
            let needs = s.starts_with(char::is_whitespace)
                || s.ends_with(char::is_whitespace)
                || has_irregular_space(&s);
            if needs {
                let mut out = String::with_capacity(s.len());
                for w in s.split_whitespace() {
                    if !out.is_empty() {
                        out.push(' ');
                    }
                    out.push_str(w);
                }
                s = Cow::Owned(out);
            }
        }
        s
    }

    /// The enabled steps joined by `+` (`nfc+quotes+ws`), or `none`: the value of the
    /// `textnorm:` field that [`crate::eval::Evaluation::signature`] appends to signatures when
    /// a step is on, and of the JSON report's `normalization`.
    pub fn signature(&self) -> String {
        let steps = self.steps();
        if steps.is_empty() {
            "none".to_string()
        } else {
            steps.join("+")
        }
    }

    fn steps(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        match self.unicode {
            UnicodeForm::None => {}
            UnicodeForm::Nfc => v.push("nfc"),
            UnicodeForm::Nfkc => v.push("nfkc"),
        }
        for (on, name) in [
            (self.quotes, "quotes"),
            (self.dashes, "dashes"),
            (self.strip_punct, "punct"),
            (self.lowercase, "lc"),
            (self.whitespace, "ws"),
        ] {
            if on {
                v.push(name);
            }
        }
        v
    }
}

impl fmt::Display for Normalizer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.signature())
    }
}

impl FromStr for Normalizer {
    type Err = Error;

    /// Parses a comma- or plus-separated list of steps (`nfc,quotes,ws`); `none` or an empty
    /// string is no normalisation; `all` is `nfkc,quotes,dashes,ws` (everything that does not
    /// change words: no punctuation removal, no case folding).
    fn from_str(s: &str) -> Result<Normalizer> {
        let mut n = Normalizer::default();
        for step in s.split([',', '+']).map(str::trim).filter(|s| !s.is_empty()) {
            match step.to_ascii_lowercase().as_str() {
                "none" => {}
                "all" => {
                    n.unicode = UnicodeForm::Nfkc;
                    n.quotes = true;
                    n.dashes = true;
                    n.whitespace = true;
                }
                "nfc" => n.unicode = UnicodeForm::Nfc,
                "nfkc" => n.unicode = UnicodeForm::Nfkc,
                "quotes" => n.quotes = true,
                "dashes" => n.dashes = true,
                "punct" => n.strip_punct = true,
                "lc" | "lowercase" | "case" => n.lowercase = true,
                "ws" | "whitespace" => n.whitespace = true,
                other => {
                    return Err(Error::config(format!(
                        "unknown normalisation step '{other}'; expected one of {}, none, all",
                        STEP_NAMES.join(", ")
                    )))
                }
            }
        }
        Ok(n)
    }
}

/// Typographic quote or apostrophe -> its ASCII form; `None` for any other character.
/// Single: ‘ ’ ‚ ‛ ′ ʼ ‹ › -> `'`; double: “ ” „ ‟ ″ « » -> `"`.
pub fn fold_quote(c: char) -> Option<char> {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}'
        | '\u{2039}' | '\u{203A}' => Some('\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => Some('"'),
        _ => None,
    }
}

/// Hyphen or dash variant -> `-`; `None` for any other character.
/// U+2010..U+2015 (hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar),
/// U+2212 minus sign, U+FE58 small em dash, U+FE63 small hyphen-minus, U+FF0D full-width hyphen-minus.
pub fn fold_dash(c: char) -> Option<char> {
    match c {
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => Some('-'),
        _ => None,
    }
}

fn punct_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\p{P}").expect("static regex"))
}

/// True when the text has white space other than single ASCII spaces between words.
fn has_irregular_space(s: &str) -> bool {
    let mut prev_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if c != ' ' || prev_space {
                return true;
            }
            prev_space = true;
        } else {
            prev_space = false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_borrows() {
        let n = Normalizer::default();
        assert!(matches!(n.normalize("a “b”"), Cow::Borrowed(_)));
        assert_eq!(n.signature(), "none");
    }

    #[test]
    fn quotes_and_dashes_fold() {
        let n: Normalizer = "quotes,dashes".parse().unwrap();
        assert_eq!(n.normalize("“No,” I didn’t — ok"), "\"No,\" I didn't - ok");
        assert_eq!(n.signature(), "quotes+dashes");
    }

    #[test]
    fn nfc_composes_and_nfkc_folds_compatibility() {
        let nfc: Normalizer = "nfc".parse().unwrap();
        assert_eq!(nfc.normalize("e\u{301}"), "\u{e9}");
        let nfkc: Normalizer = "nfkc".parse().unwrap();
        assert_eq!(nfkc.normalize("ﬁ²"), "fi2");
    }

    #[test]
    fn whitespace_collapses_and_trims() {
        let n: Normalizer = "ws".parse().unwrap();
        assert_eq!(n.normalize("  a \t b\u{a0} c  "), "a b c");
        assert!(matches!(n.normalize("a b c"), Cow::Borrowed(_)));
    }

    #[test]
    fn punct_and_case() {
        let n: Normalizer = "punct,lc,ws".parse().unwrap();
        assert_eq!(n.normalize("Hello, World! “Quote”"), "hello world quote");
    }

    #[test]
    fn unknown_step_is_a_clear_error() {
        let e = "nfc,bogus".parse::<Normalizer>().unwrap_err();
        assert!(e.to_string().contains("unknown normalisation step 'bogus'"));
    }

    #[test]
    fn chain_is_idempotent_on_tricky_text() {
        let n: Normalizer = "nfkc,quotes,dashes,punct,lc,ws".parse().unwrap();
        for s in [
            "İstanbul ﬁ “x” — ‘y’",
            "ΣΑΣ  e\u{301}",
            " \u{2003}A\u{0307}b ",
        ] {
            let once = n.normalize(s).into_owned();
            assert_eq!(n.normalize(&once), once, "not idempotent on {s:?}");
        }
    }
}
