//! Text processing: normalisation, tokenisation (sacreBLEU's tokenisers), sentence splitting.

pub mod normalize;
pub mod tokenize;
