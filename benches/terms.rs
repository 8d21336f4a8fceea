//! Glossary matching cost by glossary size: the names derived from the WMT22 ru-en reference
//! plus synthetic terms (1k, 10k, 100k entries in all), matched over the five systems' output
//! (10,080 segments). Synthetic terms never occur in the text, so every size must find exactly
//! the matches of the derived glossary alone: the bench asserts it before timing, so a fast but
//! wrong matcher cannot win. Automaton construction is timed separately.
//!
//! Needs `../shared` (or `$MTHARNESS_SHARED`); without it the bench prints a note and exits.

mod common;

use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use mtharness::glossary::derive::{names_from_reference, DeriveOptions};
use mtharness::glossary::{Entry, Glossary, MatchBuffer, Matcher, MatcherOptions, TermKind};

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

struct Data {
    /// Segments of the five systems, concatenated.
    hyps: Vec<String>,
    derived: Glossary,
}

fn lines(path: &std::path::Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines().map(str::to_string).collect()
}

fn load() -> Option<Data> {
    let dir = common::shared_dir_with_ru_en()?.join("corpora/wmt22-ru-en");
    let reference = lines(&dir.join("ref.A.en"));
    let docids = lines(&dir.join("docids"));
    let mut docs: Vec<Vec<&str>> = Vec::new();
    for (i, seg) in reference.iter().enumerate() {
        if i == 0 || docids[i] != docids[i - 1] {
            docs.push(Vec::new());
        }
        if let Some(d) = docs.last_mut() {
            d.push(seg.as_str());
        }
    }
    let derived = names_from_reference(&docs, DeriveOptions::default());
    let mut hyps = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with("hyp.") && n.ends_with(".en"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 5, "{names:?}");
    for n in names {
        hyps.extend(lines(&dir.join(n)));
    }
    Some(Data { hyps, derived })
}

/// A synthetic term that cannot occur in English text: `Qz` + base-26 digits of `i` + `x`,
/// every third one with a second word (multi-word terms).
fn synthetic(i: usize) -> String {
    let mut s = String::from("Qz");
    let mut n = i;
    loop {
        s.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
        if n == 0 {
            break;
        }
    }
    s.push('x');
    if i.is_multiple_of(3) {
        s.push_str(" Vqj");
    }
    s
}

fn glossary(derived: &Glossary, size: usize) -> Glossary {
    let mut g = derived.clone();
    let mut i = 0;
    while g.len() < size {
        let mut e = Entry::new(format!("syn{i}"), synthetic(i), TermKind::Term);
        e.inflect = i % 2 == 0;
        e.forbidden = vec![format!("{} Wq", synthetic(i))];
        g.push(e).expect("synthetic ids and forms are unique");
        i += 1;
    }
    g
}

fn count(
    m: &Matcher,
    hyps: &[String],
    buf: &mut MatchBuffer,
    out: &mut Vec<mtharness::glossary::TermMatch>,
) -> usize {
    let mut n = 0;
    for h in hyps {
        m.find_into(h, buf, out);
        n += out.len();
    }
    n
}

fn bench(c: &mut Criterion, data: &Data) {
    let opts = MatcherOptions::default();
    let base = Matcher::new(&data.derived, opts).expect("derived glossary builds");
    let mut buf = MatchBuffer::default();
    let mut out = Vec::new();
    let expected = count(&base, &data.hyps, &mut buf, &mut out);
    assert!(
        expected > 5_000,
        "{expected} matches of {} derived names",
        data.derived.len()
    );
    let bytes: usize = data.hyps.iter().map(String::len).sum();
    eprintln!(
        "{} derived names, {} segments ({bytes} bytes), {expected} matches",
        data.derived.len(),
        data.hyps.len()
    );

    let mut build = c.benchmark_group("terms_build");
    build.sample_size(10);
    for size in SIZES {
        let g = glossary(&data.derived, size);
        build.bench_with_input(BenchmarkId::from_parameter(size), &g, |b, g| {
            b.iter(|| Matcher::new(g, opts).expect("builds").num_patterns())
        });
    }
    build.finish();

    let mut group = c.benchmark_group("terms_match_ru_en_5_systems");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    for size in SIZES {
        let g = glossary(&data.derived, size);
        let m = Matcher::new(&g, opts).expect("builds");
        let got = count(&m, &data.hyps, &mut buf, &mut out);
        assert_eq!(
            got, expected,
            "glossary of {size}: synthetic terms must not match"
        );
        group.bench_function(BenchmarkId::from_parameter(size), |b| {
            b.iter(|| count(&m, &data.hyps, &mut buf, &mut out))
        });
    }
    group.finish();
}

fn benches(c: &mut Criterion) {
    match load() {
        Some(data) => bench(c, &data),
        None => eprintln!("skipping terms bench: ../shared/corpora/wmt22-ru-en not found"),
    }
}

criterion_group! {
    name = terms;
    config = Criterion::default().warm_up_time(Duration::from_secs(1));
    targets = benches
}

criterion_main!(terms);
