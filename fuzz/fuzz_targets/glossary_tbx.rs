//! TBX glossaries through `Glossary::from_tbx_path` (the `--glossary FILE.tbx` of `terms`),
//! then the glossary is used on text from the input.
//!
//! Input: a flag byte, then parts separated by 0xFF: the TBX file, a hypothesis, a reference,
//! a source. Flags: bit 0 ask for source terms (`--glossary-src-lang de`), bit 1 target
//! language `en-GB` instead of `en`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mtharness::glossary::Glossary;
use mtharness_fuzz::{exercise_glossary, flags, parts, text, Scratch};

fuzz_target!(|data: &[u8]| {
    let (f, rest) = flags(data);
    let p = parts(rest);
    let get = |i: usize| text(p.get(i).copied().unwrap_or_default());
    let dir = Scratch::new("glossary_tbx");
    let path = dir.write("glossary.tbx", p[0]);
    let target = if f & 2 != 0 { "en-GB" } else { "en" };
    let source = (f & 1 != 0).then_some("de");
    if let Ok(g) = Glossary::from_tbx_path(&path, target, source) {
        exercise_glossary(g, &get(1), &get(2), &get(3));
    }
});
