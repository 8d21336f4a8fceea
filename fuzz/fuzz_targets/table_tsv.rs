//! TSV tables (long form: doc, seg, system, hyp, ref...) through `corpus::load`, then scored
//! when small.
//!
//! Input: a flag byte, then the .tsv file. Flags: bit 0 tiny limits.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mtharness::corpus::{load, LoadSpec};
use mtharness_fuzz::{check_corpus, flags, limits, score_if_small, Scratch};

fuzz_target!(|data: &[u8]| {
    let (f, table) = flags(data);
    let dir = Scratch::new("table_tsv");
    let spec = LoadSpec {
        input: Some(dir.write("table.tsv", table)),
        limits: limits(f & 1 != 0),
        ..LoadSpec::default()
    };
    if let Ok(corpus) = load(&spec) {
        check_corpus(&corpus, true);
        score_if_small(&corpus, data.len());
    }
});
