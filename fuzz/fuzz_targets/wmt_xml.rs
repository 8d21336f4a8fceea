//! WMT XML test sets through `corpus::load` (the `.xml` input of every command), then scored
//! when small.
//!
//! Input: a flag byte, then the XML file. Flags: bit 0 tiny limits, bit 1 collection
//! `general` asked for explicitly, bit 2 on success read again selecting the systems in
//! reverse order.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mtharness::corpus::{load, LoadSpec};
use mtharness_fuzz::{check_corpus, flags, limits, score_if_small, Scratch};

fuzz_target!(|data: &[u8]| {
    let (f, xml) = flags(data);
    let dir = Scratch::new("wmt_xml");
    let mut spec = LoadSpec {
        input: Some(dir.write("test.xml", xml)),
        limits: limits(f & 1 != 0),
        collection: (f & 2 != 0).then(|| "general".to_string()),
        ..LoadSpec::default()
    };
    if let Ok(corpus) = load(&spec) {
        check_corpus(&corpus, false);
        score_if_small(&corpus, data.len());
        if f & 4 != 0 {
            let mut names = corpus.system_names.clone();
            names.reverse();
            spec.systems = Some(names.clone());
            let again = load(&spec).expect("selecting the systems it has");
            assert_eq!(again.system_names, names);
        }
    }
});
