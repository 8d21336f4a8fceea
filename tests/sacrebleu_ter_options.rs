//! TER under sacreBLEU's tokeniser options (`--ter-normalized`, `--ter-no-punct`,
//! `--ter-asian-support`, `--ter-case-sensitive`, in the combinations sacreBLEU's own tests use)
//! through the binary, against live sacreBLEU 2.6.0 on the shared WMT22 corpora, with every
//! reference. With normalisation sacreBLEU tokenises references twice and hypotheses once; the
//! scores below depend on reproducing that (see `src/metrics/ter/mod.rs`).
//!
//! Expected values: `tests/fixtures/sacrebleu/ter_options.csv`, written by
//! `tests/fixtures/sacrebleu/make_ter_options.py` (sacreBLEU's
//! `TER(normalized=.., no_punct=.., asian_support=.., case_sensitive=..).corpus_score(hyps,
//! refs).score`, printed with `repr`; the command line `sacrebleu ref.A.en ref.B.en -i HYP -m ter
//! --ter-normalized -w 10` gives the same numbers).

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// `(corpus, flags)` -> `[(system, expected TER)]`.
type Cases = BTreeMap<(String, Vec<bool>), Vec<(String, f64)>>;

fn fixture() -> Cases {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sacrebleu/ter_options.csv");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut cases = Cases::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        assert_eq!(f.len(), 7, "{line}");
        let flags = f[2..6].iter().map(|x| *x == "1").collect();
        cases
            .entry((f[0].to_string(), flags))
            .or_default()
            .push((f[1].to_string(), f[6].parse().unwrap()));
    }
    cases
}

#[test]
fn ter_options_match_sacrebleu() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let cases = fixture();
    assert_eq!(cases.len(), 14);
    let names = [
        "--ter-normalized",
        "--ter-no-punct",
        "--ter-asian-support",
        "--ter-case-sensitive",
    ];
    let mut checked = 0;
    for ((corpus, flags), expected) in &cases {
        let dir = shared.join("corpora").join(corpus);
        let mut refs: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                let n = p.file_name().unwrap().to_string_lossy();
                n.starts_with("ref.") && n.ends_with(".en")
            })
            .collect();
        refs.sort();
        let hyps: Vec<_> = expected
            .iter()
            .map(|(s, _)| dir.join(format!("hyp.{s}.en")))
            .collect();
        let options: Vec<&str> = names
            .iter()
            .zip(flags)
            .filter(|(_, on)| **on)
            .map(|(n, _)| *n)
            .collect();
        let out = Command::new(env!("CARGO_BIN_EXE_mtharness"))
            .arg("score")
            .arg("-r")
            .args(&refs)
            .arg("-i")
            .args(&hyps)
            .args(["-m", "ter", "-f", "json"])
            .args(&options)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{corpus} {options:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let signature = json["metrics"][0]["signature"].as_str().unwrap();
        assert!(
            signature.contains(if flags[0] { "norm:yes" } else { "norm:no" }),
            "{signature}"
        );
        for (system, want) in expected {
            let sys = json["systems"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["name"] == system.as_str())
                .unwrap_or_else(|| panic!("{corpus}: no system {system}"));
            assert_eq!(sys["scores"][0][0], "TER");
            let ours = sys["scores"][0][1].as_f64().unwrap();
            assert_eq!(ours, *want, "{corpus} {system} {options:?}");
            checked += 1;
        }
    }
    assert_eq!(checked, 21);
}
