//! Text processing: normalisation, tokenisation (sacreBLEU's tokenisers), sentence splitting.
//!
//! # Example
//!
//! ```
//! use mtharness::text::{Normalizer, Splitter, Tokenizer};
//!
//! let norm: Normalizer = "nfkc,quotes,ws".parse()?;
//! assert_eq!(norm.normalize("\u{201c}ﬁne\u{201d}   day"), "\"fine\" day");
//! assert_eq!(Tokenizer::Tok13a.tokenize("Hello, world!"), "Hello , world !");
//! let splitter = Splitter::new("en");
//! assert_eq!(splitter.split("Dr. Smith arrived. He sat down."), ["Dr. Smith arrived.", "He sat down."]);
//! # Ok::<(), mtharness::Error>(())
//! ```

pub(crate) mod normalize;
pub(crate) mod split;
pub(crate) mod tokenize;

pub use normalize::{fold_dash, fold_quote, Normalizer, UnicodeForm, STEP_NAMES};
pub use split::{split_sentences, Splitter};
pub use tokenize::{
    clean_13a, for_each_13a_token, is_python_whitespace, is_zh_split_char, rstrip_py,
    split_whitespace_py, strip_py, Tokenizer, TOKENIZER_NAMES,
};
