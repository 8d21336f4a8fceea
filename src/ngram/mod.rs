//! N-gram counting kernels shared by the n-gram metrics (BLEU, chrF): clipped matches of a
//! hypothesis's n-grams against a reference's.
//!
//! - [`bitgrams`]: bit matrices of token equality for lines of at most 64 tokens a side
//!   (BLEU, one reference), with AVX2 and AVX-512 variants.

pub(crate) mod bitgrams;
