//! Line-aligned text files (`-r REF -i HYP [--docids] [--source]`) through `corpus::load`,
//! and through the streaming reader of `score --stream` (`stream::score_stream`, chunks of 1, 3
//! or 8,192 lines by bits 6-7 of the flags): both must accept or refuse the same input, and on a
//! small accepted input give bit-identical system statistics.
//!
//! Input: a flag byte, then file contents separated by 0xFF: reference, system output, and as
//! the flags say a document-id file, a source file, a second reference, a second system.
//! Flags: bit 0 docids, bit 1 source, bit 2 second reference, bit 3 second system, bit 4 tiny
//! limits, bit 5 select the systems in reverse order.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mtharness::corpus::{load, LoadSpec};
use mtharness::eval::{evaluate, EvalOptions};
use mtharness::metrics::{build_metrics, MetricOptions, DEFAULT_METRICS};
use mtharness::stream::{score_stream, NullSink, StreamOptions};
use mtharness_fuzz::{
    check_corpus, flags, limits, parts, score_if_small, Scratch, SCORE_MAX_BYTES,
};

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
    let loaded = load(&spec);
    let chunk_lines = [8192, 1, 3, 8192][usize::from(f >> 6)];
    let small = data.len() <= SCORE_MAX_BYTES;
    let names: Vec<String> = DEFAULT_METRICS.iter().map(|s| s.to_string()).collect();
    let metrics = |names: &[String]| {
        let all = build_metrics(names, &MetricOptions::default()).expect("default metrics");
        if small {
            all
        } else {
            all.into_iter().take(1).collect() // BLEU only: keeps large inputs fast
        }
    };
    let streamed = score_stream(
        &spec,
        metrics(&names),
        &StreamOptions {
            chunk_lines,
            ..StreamOptions::default()
        },
        &mut NullSink,
    );
    assert_eq!(
        loaded.is_ok(),
        streamed.is_ok(),
        "load and score --stream disagree: {:?} vs {:?}",
        loaded.as_ref().err().map(|e| e.to_string()),
        streamed.as_ref().err().map(|e| e.to_string())
    );
    if let Ok(corpus) = loaded {
        check_corpus(&corpus, true);
        score_if_small(&corpus, data.len());
        if let (true, Ok(out)) = (small, streamed) {
            let ev = evaluate(&corpus, metrics(&names), &EvalOptions::default())
                .expect("a line-aligned corpus scores");
            assert_eq!(ev.systems.len(), out.evaluation.systems.len());
            for (a, b) in ev.systems.iter().zip(&out.evaluation.systems) {
                assert_eq!(a.name, b.name);
                let bits = |st: &Vec<Vec<f64>>| -> Vec<Vec<u64>> {
                    st.iter().map(|v| v.iter().map(|x| x.to_bits()).collect()).collect()
                };
                assert_eq!(bits(&a.stats), bits(&b.stats), "system {}", a.name);
            }
        }
    }
});
