//! CSV glossaries through `Glossary::from_csv_path` (the `--glossary FILE.csv` of `terms` and
//! `score -m termacc`), then the glossary is used on text from the input.
//!
//! Input: parts separated by 0xFF: the CSV file, a hypothesis, a reference, a source.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mtharness::glossary::Glossary;
use mtharness_fuzz::{exercise_glossary, parts, text, Scratch};

fuzz_target!(|data: &[u8]| {
    let p = parts(data);
    let get = |i: usize| text(p.get(i).copied().unwrap_or_default());
    let dir = Scratch::new("glossary_csv");
    let path = dir.write("glossary.csv", p[0]);
    if let Ok(g) = Glossary::from_csv_path(&path) {
        exercise_glossary(g, &get(1), &get(2), &get(3));
    }
});
