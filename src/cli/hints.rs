//! Hints for sacreBLEU habits that land on the wrong spot: a flag of another subcommand
//! (`score --paired-bs`), and an input path read as a metric name (`-m bleu chrf corpora/sample`,
//! where `-m` takes every word up to the next flag).

use mtharness::metrics::{Metric, METRIC_NAMES};
use mtharness::{Error, Result};

/// Flags of `compare` that sacreBLEU users put on `score` (sacreBLEU has one command).
const COMPARE_ONLY: [&str; 6] = [
    "--paired-bs",
    "--paired-ar",
    "--paired-bs-n",
    "--paired-ar-n",
    "--paired-jobs",
    "--baseline",
];

/// `-m`'s value parser: a metric name of [`METRIC_NAMES`] (any case), else an error that says
/// what it may have been instead.
pub fn metric_name(s: &str) -> std::result::Result<String, String> {
    if Metric::from_name(s).is_ok() {
        return Ok(s.to_string());
    }
    let path = std::path::Path::new(s);
    let looks_like_path = path.exists() || s.contains('/') || s.contains('.');
    let mut msg = format!(
        "unknown metric '{s}'; expected one of: {}",
        METRIC_NAMES.join(", ")
    );
    if looks_like_path {
        msg.push_str(
            "; did you mean the input? put it before -m (`score INPUT -m bleu chrf`), \
             or give system output files with -i/--input",
        );
    }
    Err(msg)
}

/// Refuses a `compare` flag given to `score`, naming the command that has it. `args` are the
/// whole command line (program name first).
pub fn check_subcommand_flags(args: &[String]) -> Result<()> {
    let Some(sub) = args.iter().skip(1).find(|a| !a.starts_with('-')) else {
        return Ok(());
    };
    if sub != "score" {
        return Ok(());
    }
    for a in args {
        let flag = a.split_once('=').map_or(a.as_str(), |(f, _)| f);
        if COMPARE_ONLY.contains(&flag) {
            return Err(Error::config(format!(
                "{flag} belongs to `mtharness compare` (sacreBLEU's paired tests are a \
                 subcommand of their own here): run `mtharness compare` with the same \
                 references, system outputs and metrics; `score --confidence` gives one \
                 system's intervals"
            )));
        }
    }
    Ok(())
}
