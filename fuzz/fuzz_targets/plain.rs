//! Line-aligned text files (`-r REF -i HYP [--docids] [--source]`) through `corpus::load`.
//!
//! Input: a flag byte, then file contents separated by 0xFF: reference, system output, and as
//! the flags say a document-id file, a source file, a second reference, a second system.
//! Flags: bit 0 docids, bit 1 source, bit 2 second reference, bit 3 second system, bit 4 tiny
//! limits, bit 5 select the systems in reverse order.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mtharness::corpus::{load, LoadSpec};
use mtharness_fuzz::{check_corpus, flags, limits, parts, score_if_small, Scratch};

fuzz_target!(|data: &[u8]| {
    let (f, rest) = flags(data);
    let mut files = parts(rest).into_iter();
    let dir = Scratch::new("plain");
    let mut next = |name: &str| dir.write(name, files.next().unwrap_or_default());
    let mut spec = LoadSpec {
        refs: vec![next("ref.A.en")],
        hyps: vec![next("hyp.S1.en")],
        limits: limits(f & 16 != 0),
        ..LoadSpec::default()
    };
    if f & 1 != 0 {
        spec.docids = Some(next("docids"));
    }
    if f & 2 != 0 {
        spec.source = Some(next("src.de"));
    }
    if f & 4 != 0 {
        spec.refs.push(next("ref.B.en"));
    }
    if f & 8 != 0 {
        spec.hyps.push(next("out.txt"));
    }
    if f & 32 != 0 {
        let mut names = vec!["S1".to_string()];
        if f & 8 != 0 {
            names.insert(0, "out".to_string());
        }
        spec.systems = Some(names);
    }
    if let Ok(corpus) = load(&spec) {
        check_corpus(&corpus, true);
        score_if_small(&corpus, data.len());
    }
});
