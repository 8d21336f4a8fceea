//! sacreBLEU 2.6.0's own `test/test_significance.py`, ported: its 16 WMT17 en-de systems (the
//! first, LIUM-NMT, is the baseline), BLEU with `tokenize='none'`, `SACREBLEU_SEED=12345`, a
//! paired bootstrap of 2,000 resamples and an approximate randomisation of 10,000 trials, run
//! through `mtharness compare`.
//!
//! sacreBLEU's test checks its p-values against Moses' and multeval's within 0.01
//! ([`MOSES_P_VALS`], [`MULTEVAL_BLEU_P_VALS`], copied from it); this port checks the same and,
//! more strictly, that every p-value, bootstrap mean and half-width is the one sacreBLEU 2.6.0
//! computes in that test ([`SACREBLEU`], printed with `repr` by
//! `tests/fixtures/sacrebleu/extract_wmt17.py --expected`, which runs the test's `PairedTest`
//! calls).
//!
//! The systems live in sacreBLEU's repository (`test/wmt17_en_de_systems.pkl.bz2`), not here:
//! `extract_wmt17.py PKL DIR` writes them as text, and the test reads `$MTHARNESS_SACREBLEU_WMT17`
//! (= DIR). Without it the test says so and passes.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Systems in the pickle's order (`newstest2017.NAME.en-de`).
const SYSTEMS: [&str; 16] = [
    "LIUM-NMT.4900",
    "C-3MA.4959",
    "FBK.4870",
    "KIT.4950",
    "LMU-nmt-reranked.4934",
    "LMU-nmt-single.4893",
    "online-A.0",
    "online-B.0",
    "online-F.0",
    "online-G.0",
    "PROMT-Rule-based.4735",
    "RWTH-nmt-ensemble.4921",
    "SYSTRAN.4847",
    "TALP-UPC.4834",
    "uedin-nmt.4722",
    "xmu.4910",
];

/// sacreBLEU's `MOSES_P_VALS` (Moses' `bootstrap-hypothesis-difference-significance.pl`, 2,000
/// resamples, mean of 3 runs), by system (`SYSTEMS[1..]`).
const MOSES_P_VALS: [f64; 15] = [
    0.00000, 0.01267, 0.02233, 0.04383, 0.20783, 0.00000, 0.38100, 0.00000, 0.00000, 0.00000,
    0.01167, 0.20983, 0.00000, 0.00000, 0.25483,
];

/// sacreBLEU's `MULTEVAL_P_VALS`, BLEU column (multeval, 10,000 AR trials).
const MULTEVAL_BLEU_P_VALS: [f64; 15] = [
    0.0001, 0.0218, 0.0410, 0.09029, 0.58494, 0.0001, 0.94111, 0.0001, 0.0001, 0.0001, 0.0207,
    0.59914, 0.0001, 0.0001, 0.71073,
];

/// `(BLEU, bootstrap p-value, bootstrap mean, bootstrap half-width, AR p-value)`.
type Expected = (f64, Option<f64>, f64, f64, Option<f64>);

/// `(score, p-value, interval mean, interval half-width)` of one system in `compare`'s JSON.
type Cell = (f64, Option<f64>, Option<f64>, Option<f64>);

/// What sacreBLEU 2.6.0 computes in that test, per system (`SYSTEMS`): BLEU, then for the
/// paired bootstrap the p-value (none for the baseline), bootstrap mean and half-width, then
/// the AR p-value.
#[rustfmt::skip]
const SACREBLEU: [Expected; 16] = [
    (21.60976793975032, None, 21.625595124374502, 0.6217002092830164, None),
    (17.72476584143154, Some(0.0004997501249375312), 17.726357473399474, 0.5837132699663847, Some(9.999000099990002e-05)),
    (21.13996130936115, Some(0.018490754622688656), 21.147376377751797, 0.635650381738019, Some(0.0226977302269773)),
    (21.14750112902377, Some(0.02448775612193903), 21.159132911509136, 0.6390758557940401, Some(0.043195680431956804)),
    (21.958820361131792, Some(0.050974512743628186), 21.976447657433926, 0.6282014045869477, Some(0.08649135086491351)),
    (21.491669690309003, Some(0.2098950524737631), 21.503381514796384, 0.6338975815764396, Some(0.5792420757924207)),
    (16.015340455745246, Some(0.0004997501249375312), 16.01778777788801, 0.5550862282777329, Some(9.999000099990002e-05)),
    (21.591138671903344, Some(0.38780609695152424), 21.594914712561856, 0.6474091021411397, Some(0.9358064193580642)),
    (11.70939270532939, Some(0.0004997501249375312), 11.710698411342289, 0.4540480790157986, Some(9.999000099990002e-05)),
    (13.26940169612261, Some(0.0004997501249375312), 13.275167447301552, 0.4984437282387244, Some(9.999000099990002e-05)),
    (13.135518977221226, Some(0.0004997501249375312), 13.142374455397883, 0.48972399167166003, Some(9.999000099990002e-05)),
    (21.114597885544338, Some(0.009995002498750625), 21.116715408270412, 0.6107508122510321, Some(0.021597840215978402)),
    (21.493334587053745, Some(0.21239380309845077), 21.51114511816854, 0.6381820710855131, Some(0.5941405859414058)),
    (16.366164065797157, Some(0.0004997501249375312), 16.37174973811901, 0.5494726850418532, Some(9.999000099990002e-05)),
    (23.386847102841106, Some(0.0004997501249375312), 23.40607233435494, 0.6761633618161902, Some(9.999000099990002e-05)),
    (21.69456233142045, Some(0.25987006496751625), 21.71080068339035, 0.6323499394557413, Some(0.7097290270972902)),
];

fn data_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("MTHARNESS_SACREBLEU_WMT17")?);
    assert!(
        dir.join("ref.txt").is_file(),
        "MTHARNESS_SACREBLEU_WMT17={}: no ref.txt (see extract_wmt17.py)",
        dir.display()
    );
    Some(dir)
}

/// `mtharness compare` of all systems, BLEU only, `--tokenize none`, seed 12345, as JSON:
/// `(score, p_value, interval mean, interval half-width)` per system.
fn compare(dir: &Path, test: &[&str]) -> Vec<Cell> {
    let hyps: Vec<PathBuf> = SYSTEMS
        .iter()
        .map(|s| dir.join(format!("hyp.newstest2017.{s}.en-de.txt")))
        .collect();
    let out = Command::new(env!("CARGO_BIN_EXE_mtharness"))
        .arg("compare")
        .arg("-r")
        .arg(dir.join("ref.txt"))
        .arg("-i")
        .args(&hyps)
        .args([
            "-m",
            "bleu",
            "--tokenize",
            "none",
            "--seed",
            "12345",
            "-f",
            "json",
        ])
        .args(test)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let systems = json["systems"].as_array().unwrap();
    assert_eq!(systems.len(), SYSTEMS.len());
    systems
        .iter()
        .zip(SYSTEMS)
        .map(|(s, name)| {
            assert_eq!(s["name"], format!("newstest2017.{name}.en-de"));
            let m = &s["metrics"][0];
            let iv = &m["interval"];
            (
                m["score"].as_f64().unwrap(),
                m["p_value"].as_f64(),
                iv["mean"].as_f64(),
                iv["half_width"].as_f64(),
            )
        })
        .collect()
}

#[test]
fn sacrebleus_significance_test_on_wmt17() {
    let Some(dir) = data_dir() else {
        eprintln!(
            "skipping: set MTHARNESS_SACREBLEU_WMT17 (tests/fixtures/sacrebleu/extract_wmt17.py)"
        );
        return;
    };
    let bs = compare(&dir, &["--paired-bs", "--paired-bs-n", "2000"]);
    let ar = compare(&dir, &["--paired-ar", "--no-confidence"]);
    // serde_json's default float parser can be one unit in the last place off the printed
    // value (the binary prints shortest round-trip digits), hence 1e-13 rather than equality.
    let same = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= 1e-13 * b.abs().max(1e-3),
        (a, b) => a.is_none() && b.is_none(),
    };
    for (i, name) in SYSTEMS.iter().enumerate() {
        let (score, bs_p, mean, half, ar_p) = SACREBLEU[i];
        let (s, p, m, h) = bs[i];
        assert!(
            same(Some(s), Some(score))
                && same(p, bs_p)
                && same(m, Some(mean))
                && same(h, Some(half)),
            "{name} bs: {:?} vs sacreBLEU {:?}",
            bs[i],
            SACREBLEU[i]
        );
        let (s, p, m, h) = ar[i];
        assert!(
            same(Some(s), Some(score)) && same(p, ar_p) && m.is_none() && h.is_none(),
            "{name} ar: {:?} vs sacreBLEU {:?}",
            ar[i],
            SACREBLEU[i]
        );
        if i > 0 {
            // sacreBLEU's own assertions
            let (p_bs, p_ar) = (bs_p.unwrap(), ar_p.unwrap());
            assert!(
                (p_bs - MOSES_P_VALS[i - 1]).abs() < 1e-2,
                "{name}: {p_bs} vs Moses"
            );
            assert!(
                (p_ar - MULTEVAL_BLEU_P_VALS[i - 1]).abs() < 1e-2,
                "{name}: {p_ar} vs multeval"
            );
        }
    }
}
