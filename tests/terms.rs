//! Terminology metrics on the seed article (corpora/sample) and on WMT22 ru-en.

mod common;

use std::path::{Path, PathBuf};

use mtharness::corpus::read_text;
use mtharness::glossary::derive::{names_from_reference, DeriveOptions};
use mtharness::glossary::Glossary;
use mtharness::metrics::TermAccuracy;
use mtharness::metrics::{add_stats, SegmentMetric};
use mtharness::terms::{DocumentTerms, ErrorType, Pairing, TermEvaluator, TermOptions, TermStats};
use mtharness::{Corpus, Document};

const SEED: &str = "000_ce49ac1db8a694aa";

fn sample_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpora/sample")
}

/// Non-blank lines: the segments (paragraphs) of an article file.
fn paragraphs(path: &Path) -> Vec<String> {
    read_text(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

fn seed_document(hyp_is_ref: bool) -> Document {
    let dir = sample_dir();
    let reference = paragraphs(&dir.join(format!("ref/{SEED}.txt")));
    let hyp = if hyp_is_ref {
        reference.clone()
    } else {
        paragraphs(&dir.join(format!("mt/seed-mt/{SEED}.txt")))
    };
    Document {
        id: SEED.to_string(),
        source: None,
        refs: vec![reference],
        hyps: vec![hyp],
        lines: Vec::new(),
    }
}

fn seed_evaluator() -> TermEvaluator {
    let g = Glossary::from_csv_path(sample_dir().join("glossary.csv")).unwrap();
    TermEvaluator::new(g, TermOptions::default()).unwrap()
}

fn seed_result() -> DocumentTerms {
    // The MT has three boilerplate lines more than the reference: document pairing.
    seed_evaluator()
        .document(&seed_document(false), 0, "seed-mt", Pairing::Document)
        .unwrap()
}

/// The records of one term with one error type: their `found` texts.
fn found(d: &DocumentTerms, term: &str, error: ErrorType) -> Vec<String> {
    d.records
        .iter()
        .filter(|r| r.term_id == term && r.error == error)
        .map(|r| r.found.clone())
        .collect()
}

#[test]
fn seed_ceasefire_mistranslations_are_forbidden_variants() {
    let d = seed_result();
    assert_eq!(found(&d, "ceasefire", ErrorType::Forbidden), ["fire"]);
    assert_eq!(found(&d, "ceasefire", ErrorType::Correct), ["ceasefire"]); // the title
    assert_eq!(
        found(&d, "immediate-ceasefire", ErrorType::Forbidden),
        ["high immediate fire"]
    );
    assert_eq!(
        found(&d, "permanent-ceasefire", ErrorType::Forbidden),
        ["high permanent fire"]
    );
}

#[test]
fn seed_hegseth_is_misspelt_with_distance_2() {
    let d = seed_result();
    let r: Vec<_> = d
        .records
        .iter()
        .filter(|r| r.term_id == "pete-hegseth")
        .collect();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].error, ErrorType::Misspelt);
    assert_eq!(r[0].found, "Pete Hegesh");
    assert_eq!(r[0].edit_distance, Some(2));
    assert_eq!(strsim::levenshtein("Hegseth", "Hegesh"), 2);
    // Without the glossary, the proper-noun check finds it too.
    let n: Vec<_> = d
        .records
        .iter()
        .filter(|r| r.term_id == "name:Hegseth")
        .collect();
    assert_eq!(n.len(), 1);
    assert_eq!(
        (n[0].error, n[0].edit_distance),
        (ErrorType::Misspelt, Some(2))
    );
    assert_eq!(n[0].found, "Hegesh");
}

#[test]
fn seed_russia_ukraine_war_is_inconsistent() {
    let d = seed_result();
    let forb = found(&d, "russia-ukraine-war", ErrorType::Forbidden);
    assert_eq!(
        forb,
        [
            "Russian-Ukraine war",
            "War of Russia with Ukraine",
            "Ukraine-Russian war"
        ]
    );
    assert_eq!(
        found(&d, "russia-ukraine-war", ErrorType::Inconsistent),
        ["Russian-Ukraine war | War of Russia with Ukraine | Ukraine-Russian war"]
    );
    assert!(d.stats.inconsistent_groups >= 1);
    assert!(d.stats.consistency() < 1.0);
}

#[test]
fn seed_calques_are_forbidden_variants() {
    let d = seed_result();
    assert_eq!(
        found(&d, "readout", ErrorType::Forbidden),
        ["reading of the call"]
    );
    assert_eq!(
        found(&d, "social-media-post", ErrorType::Forbidden),
        ["social position"]
    );
    assert_eq!(
        found(&d, "us-military-stockpiles", ErrorType::Forbidden),
        ["US Army reserves"]
    );
}

#[test]
fn seed_scores_and_no_false_alarms_on_names() {
    let d = seed_result();
    let s = &d.stats;
    // 9 forbidden (3 ceasefire mistranslations, 3 war variants, 3 calques), 1 misspelt.
    assert_eq!(
        (s.forbidden, s.misspelt, s.missing, s.extra),
        (9, 1, 0, 0),
        "{s:?}"
    );
    assert_eq!(s.expected, s.correct + s.forbidden + s.misspelt + s.missing);
    assert!(s.accuracy() > 0.5 && s.accuracy() < 0.8, "{}", s.accuracy());
    // every name the MT got right is found: no glossary name is missing or extra
    for id in [
        "donald-trump",
        "vladimir-putin",
        "yury-ushakov",
        "nbc-news",
        "istanbul",
    ] {
        assert!(
            d.records
                .iter()
                .filter(|r| r.term_id == id)
                .all(|r| r.error == ErrorType::Correct),
            "{id}"
        );
    }
}

#[test]
fn seed_reference_against_itself_flags_nothing() {
    let ev = seed_evaluator();
    for pairing in [Pairing::Document, Pairing::Segments] {
        let d = ev
            .document(&seed_document(true), 0, "ref", pairing)
            .unwrap();
        let errors: Vec<_> = d.records.iter().filter(|r| r.error.is_error()).collect();
        assert!(errors.is_empty(), "{pairing:?}: {errors:?}");
        let s = &d.stats;
        assert!(s.expected >= 30);
        assert_eq!(s.accuracy(), 1.0);
        assert_eq!(s.consistency(), 1.0);
        assert_eq!(s.one_minus_terw(), 1.0);
        assert_eq!(s.window_overlap(0), 1.0);
        assert_eq!(d.names.error_rate(), 0.0);
        assert!(d.names.names > 20);
    }
}

#[test]
fn seed_segments_need_aligned_documents() {
    let ev = seed_evaluator();
    let e = ev
        .document(&seed_document(false), 0, "seed-mt", Pairing::Segments)
        .unwrap_err()
        .to_string();
    assert!(e.contains(SEED) && e.contains("segments"), "{e}");
}

#[test]
fn malformed_glossary_names_file_and_line() {
    let text = "id,expected,forbidden\nceasefire,ceasefire,fire||high fire\n";
    let e = Glossary::from_csv_str(text, Path::new("corpora/sample/glossary.csv"))
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("corpora/sample/glossary.csv:2:3: "), "{e}");
}

// ---- WMT22 ru-en: a glossary derived from the reference ----

/// The ru-en set as a corpus: documents from `docids` (consecutive lines with one id).
fn ru_en_corpus(shared: &Path) -> Corpus {
    let set = common::load_set(shared, "wmt22-ru-en");
    let docids = common::read_lines(&shared.join("corpora/wmt22-ru-en/docids"));
    let mut corpus = Corpus {
        name: set.name.clone(),
        ref_names: set.refs.iter().map(|(n, _)| n.clone()).collect(),
        system_names: set.systems.iter().map(|(n, _)| n.clone()).collect(),
        documents: Vec::new(),
    };
    let mut start = 0;
    while start < docids.len() {
        let mut end = start;
        while end < docids.len() && docids[end] == docids[start] {
            end += 1;
        }
        corpus.documents.push(Document {
            id: docids[start].clone(),
            source: None,
            refs: set
                .refs
                .iter()
                .map(|(_, l)| l[start..end].to_vec())
                .collect(),
            hyps: set
                .systems
                .iter()
                .map(|(_, l)| l[start..end].to_vec())
                .collect(),
            lines: (start + 1..=end).collect(),
        });
        start = end;
    }
    corpus
}

fn derived_glossary(corpus: &Corpus) -> Glossary {
    let docs: Vec<Vec<&str>> = corpus
        .documents
        .iter()
        .map(|d| d.refs[0].iter().map(String::as_str).collect())
        .collect();
    names_from_reference(&docs, DeriveOptions::default())
}

#[test]
fn ru_en_derived_glossary_ranking() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let corpus = ru_en_corpus(&shared);
    assert_eq!(corpus.num_segments(), 2016);
    assert!(corpus.is_line_aligned());
    let glossary = derived_glossary(&corpus);
    assert!(glossary.len() > 50, "{}", glossary.len());
    let ev = TermEvaluator::new(glossary.clone(), TermOptions::default()).unwrap();

    let systems = ev.corpus(&corpus, Pairing::Segments).unwrap();
    let mut rows: Vec<_> = systems.iter().collect();
    rows.sort_by(|a, b| b.stats.accuracy().total_cmp(&a.stats.accuracy()));
    println!(
        "glossary: {} derived names; {} documents, {} segments",
        glossary.len(),
        corpus.documents.len(),
        corpus.num_segments()
    );
    println!(
        "{:<18} {:>8} {:>6} {:>6} {:>8} {:>8} {:>6} {:>6} {:>6} {:>7} {:>6} {:>7}",
        "system",
        "termacc",
        "win2",
        "win3",
        "1-TERm",
        "forbid",
        "missp",
        "miss",
        "extra",
        "consist",
        "incons",
        "nameerr"
    );
    for s in &rows {
        let t = &s.stats;
        println!(
            "{:<18} {:>8.4} {:>6.4} {:>6.4} {:>8.4} {:>8} {:>6} {:>6} {:>6} {:>7.4} {:>6} {:>7.4}",
            s.system,
            t.accuracy(),
            t.window_overlap(0),
            t.window_overlap(1),
            t.one_minus_terw(),
            t.forbidden,
            t.misspelt,
            t.missing,
            t.extra,
            t.consistency(),
            t.inconsistent_groups,
            s.names.error_rate()
        );
    }
    println!("expected term occurrences: {}", rows[0].stats.expected);

    let metric = TermAccuracy::new(glossary, TermOptions::default()).unwrap();
    for s in &systems {
        let t = &s.stats;
        for v in [
            t.accuracy(),
            t.window_overlap(0),
            t.window_overlap(1),
            t.consistency(),
            s.names.error_rate(),
        ] {
            assert!((0.0..=1.0).contains(&v), "{}: {t:?}", s.system);
        }
        assert!(t.one_minus_terw() <= 1.0);
        assert!(t.expected > 500, "{t:?}");
        assert_eq!(t.expected, t.correct + t.forbidden + t.misspelt + t.missing);
        assert_eq!(t.units, 2016);
        // no forbidden variants in a derived glossary
        assert_eq!(t.forbidden, 0);
        // a real system is not perfect
        assert!(t.accuracy() < 1.0 && t.accuracy() > 0.5, "{t:?}");
        // system stats are the exact sum of document stats
        let mut sum = TermStats::default();
        for d in &s.documents {
            sum += &d.stats;
        }
        assert_eq!(sum, *t);
    }

    // The Metric trait over segments sums to the same statistics (consistency aside).
    let si = corpus
        .system_names
        .iter()
        .position(|n| n == "Online-B")
        .unwrap();
    let mut stats = vec![0.0; metric.stat_names().len()];
    for d in &corpus.documents {
        for (h, r) in d.hyps[si].iter().zip(&d.refs[0]) {
            add_stats(&mut stats, &metric.segment_stats(h, &[r]));
        }
    }
    let sys = &systems[si].stats;
    assert_eq!(metric.corpus_score(&stats), 100.0 * sys.accuracy());
    assert_eq!(&stats[..6], &sys.to_vec()[..6]);
    assert!(metric.signature(1).starts_with("nrefs:1|glossary:"));

    // The reference against itself: accuracy 1, nothing flagged.
    let mut self_corpus = corpus.clone();
    self_corpus.system_names = vec!["ref".into()];
    for d in &mut self_corpus.documents {
        d.hyps = vec![d.refs[0].clone()];
    }
    let own = ev.corpus(&self_corpus, Pairing::Segments).unwrap();
    let t = &own[0].stats;
    assert_eq!(t.accuracy(), 1.0);
    assert_eq!(t.errors(), 0, "{t:?}");
    assert_eq!(t.one_minus_terw(), 1.0);
    assert_eq!(own[0].names.error_rate(), 0.0);
    assert!(own[0]
        .documents
        .iter()
        .all(|d| d.records.iter().all(|r| !r.error.is_error())));
}
