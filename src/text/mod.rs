//! Text processing: normalisation, tokenisation (sacreBLEU's tokenisers), sentence splitting.

pub mod normalize;
pub mod split;
pub mod tokenize;
