//! Cleanup-rule application cost by rule-set size, over the five WMT22 ru-en systems' output
//! (10,080 segments):
//! - `rules_literal/N`: N literal whole-word rules (the corpus's most frequent words, each
//!   replaced by its upper-case form), applied in one Aho-Corasick pass per segment;
//! - `rules_regex/N`: N regex rules applied one after the other.
//!
//! Before timing, each set's result is checked against an independent computation (a single
//! `\b(w1|w2|...)\b` regex for the literal words; `Regex::replace_all` in file order for the
//! regex rules), so a fast but wrong implementation cannot win.
//!
//! Needs `../shared` (or `$MTHARNESS_SHARED`); without it the bench prints a note and exits.

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use mtharness::rules::{parse_rules, Firing, Outcome, RuleSet};

const LITERAL_SIZES: [usize; 3] = [10, 100, 1_000];

/// Regex rules of the `rules_regex` group: (pattern, replacement); typical post-editing fixes.
const REGEX_RULES: [(&str, &str); 6] = [
    (r"(\d),(\d{3})\b", "${1} ${2}"),
    (r" +([,.;:!?])", "${1}"),
    (r"\b(\d+) %", "${1}%"),
    (r#""([^"]*)""#, "“${1}”"),
    (r"\s{2,}", " "),
    (r"\b[Ww]ar of (\p{Lu}\w+) with (\p{Lu}\w+)", "${1}-${2} war"),
];

fn hyps(dir: &Path) -> Vec<String> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .expect("corpus folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with("hyp.") && n.ends_with(".en"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 5, "{names:?}");
    names
        .iter()
        .flat_map(|n| {
            std::fs::read_to_string(dir.join(n))
                .expect("system file")
                .lines()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The `n` most frequent lower-case ASCII words of 3+ letters (ties by the word itself).
fn frequent_words(segments: &[String], n: usize) -> Vec<String> {
    let mut freq: HashMap<&str, usize> = HashMap::new();
    for s in segments {
        for w in s.split(|c: char| !c.is_ascii_alphabetic()) {
            if w.len() >= 3 && w.bytes().all(|b| b.is_ascii_lowercase()) {
                *freq.entry(w).or_default() += 1;
            }
        }
    }
    let mut words: Vec<(&str, usize)> = freq.into_iter().collect();
    words.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    words
        .into_iter()
        .take(n)
        .map(|(w, _)| w.to_string())
        .collect()
}

fn toml_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

fn literal_rules(words: &[String]) -> RuleSet {
    let mut text = String::new();
    for (i, w) in words.iter().enumerate() {
        text.push_str(&format!(
            "[[rule]]\nid = \"w{i}\"\npattern = {}\nreplace = {}\nword_boundary = true\n\n",
            toml_string(w),
            toml_string(&w.to_uppercase())
        ));
    }
    parse_rules(&text, Path::new("bench-literal.toml")).expect("generated rules parse")
}

fn regex_rules() -> RuleSet {
    let mut text = String::new();
    for (i, (p, r)) in REGEX_RULES.iter().enumerate() {
        text.push_str(&format!(
            "[[rule]]\nid = \"r{i}\"\npattern = {}\nreplace = {}\nregex = true\n\n",
            toml_string(p),
            toml_string(r)
        ));
    }
    parse_rules(&text, Path::new("bench-regex.toml")).expect("generated rules parse")
}

/// Applies `rules` to every segment; returns the output and the number of firings.
fn apply_all(rules: &RuleSet, segments: &[String]) -> (Vec<String>, usize) {
    let mut fired: Vec<Firing> = Vec::new();
    let mut out = Vec::with_capacity(segments.len());
    for s in segments {
        match rules
            .apply(s, &mut fired)
            .expect("no segment grows too much")
        {
            Outcome::Kept(t) => out.push(t.into_owned()),
            Outcome::Deleted => out.push(String::new()),
        }
    }
    let n = fired.iter().map(|f| f.count).sum();
    (out, n)
}

fn check_literal(words: &[String], segments: &[String], got: &[String], firings: usize) {
    let alt: Vec<String> = words.iter().map(|w| regex::escape(w)).collect();
    let re = regex::Regex::new(&format!(r"\b(?:{})\b", alt.join("|"))).expect("regex");
    let mut expect_firings = 0;
    for (s, g) in segments.iter().zip(got) {
        expect_firings += re.find_iter(s).count();
        let want = re.replace_all(s, |c: &regex::Captures| c[0].to_uppercase());
        assert_eq!(g, &want, "literal rules differ from the regex on {s:?}");
    }
    assert_eq!(firings, expect_firings);
    assert!(firings > 0);
}

fn check_regex(segments: &[String], got: &[String]) {
    let res: Vec<(regex::Regex, &str)> = REGEX_RULES
        .iter()
        .map(|(p, r)| (regex::Regex::new(p).expect("regex"), *r))
        .collect();
    for (s, g) in segments.iter().zip(got) {
        let mut want = s.clone();
        for (re, rep) in &res {
            want = re.replace_all(&want, *rep).into_owned();
        }
        assert_eq!(
            g, &want,
            "regex rules differ from Regex::replace_all on {s:?}"
        );
    }
}

fn benches(c: &mut Criterion) {
    let Some(dir) = common::shared_dir_with_ru_en() else {
        eprintln!("rules bench: ../shared not found (set MTHARNESS_SHARED); skipped");
        return;
    };
    let segments = hyps(&dir.join("corpora/wmt22-ru-en"));
    let bytes: u64 = segments.iter().map(|s| s.len() as u64).sum();

    let mut group = c.benchmark_group("rules_literal");
    group.throughput(Throughput::Bytes(bytes));
    for &n in &LITERAL_SIZES {
        let words = frequent_words(&segments, n);
        assert_eq!(words.len(), n, "not enough distinct words");
        let rules = literal_rules(&words);
        let (out, firings) = apply_all(&rules, &segments);
        check_literal(&words, &segments, &out, firings);
        group.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| apply_all(&rules, &segments).1)
        });
    }
    group.finish();

    let mut group = c.benchmark_group("rules_regex");
    group.throughput(Throughput::Bytes(bytes));
    let rules = regex_rules();
    let (out, firings) = apply_all(&rules, &segments);
    assert!(firings > 0);
    check_regex(&segments, &out);
    group.bench_function(BenchmarkId::from_parameter(REGEX_RULES.len()), |b| {
        b.iter(|| apply_all(&rules, &segments).1)
    });
    group.finish();
}

criterion_group! {
    name = rules;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(10);
    targets = benches
}
criterion_main!(rules);
