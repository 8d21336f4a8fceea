//! Text processing: normalisation, tokenisation (sacreBLEU's tokenisers), sentence splitting.

pub(crate) mod normalize;
pub(crate) mod split;
pub(crate) mod tokenize;

pub use normalize::{fold_dash, fold_quote, Normalizer, UnicodeForm, STEP_NAMES};
pub use split::{split_sentences, Splitter};
pub use tokenize::{
    clean_13a, for_each_13a_token, is_python_whitespace, is_zh_split_char, rstrip_py,
    split_whitespace_py, strip_py, Tokenizer, TOKENIZER_NAMES,
};
