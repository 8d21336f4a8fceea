//! sacreBLEU's ways of naming the input: reference files as positional arguments
//! (`score REF [REF...] -i HYP`) and the system output on standard input (`-i -`, or no `-i`
//! when standard input is a pipe).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use mtharness::corpus::STDIN;
use mtharness::{Error, Result};

/// A corpus folder, WMT XML, TSV or JSONL input, which the positional argument names when it
/// is one (else it is a reference file).
fn is_corpus_input(p: &Path) -> bool {
    p.is_dir()
        || p.extension().is_some_and(|e| {
            ["xml", "tsv", "jsonl"]
                .iter()
                .any(|x| e.eq_ignore_ascii_case(x))
        })
}

/// `(input, refs, hyps)` of the `LoadSpec` from the positional arguments, `-r` and `-i`:
///
/// | positional | `-r` | `-i` | read as |
/// |---|---|---|---|
/// | one folder / .xml / .tsv / .jsonl | - | - | that input |
/// | files | - | given | the files are the references (sacreBLEU's `REF -i HYP`) |
/// | files | - | - | references, system output on standard input when it is a pipe |
/// | - | given | - | system output on standard input when it is a pipe |
///
/// `-` in `-i` or `-r` is standard input ([`STDIN`]), at most once.
pub fn resolve(
    inputs: &[PathBuf],
    refs: &[PathBuf],
    hyps: &[PathBuf],
) -> Result<(Option<PathBuf>, Vec<PathBuf>, Vec<PathBuf>)> {
    let piped = !std::io::stdin().is_terminal();
    let (input, mut refs, mut hyps) = match (inputs, refs.is_empty(), hyps.is_empty()) {
        ([], _, _) => (None, refs.to_vec(), hyps.to_vec()),
        ([one], true, true) if is_corpus_input(one) || !piped => {
            (Some(one.clone()), Vec::new(), Vec::new())
        }
        (files, true, _) => (None, files.to_vec(), hyps.to_vec()),
        (files, false, _) => {
            return Err(Error::config(format!(
                "{}: reference files given both as arguments and with -r; expected one of them \
                 (sacreBLEU's `REF -i HYP`, or `-r REF -i HYP`)",
                files[0].display()
            )))
        }
    };
    if !refs.is_empty() && hyps.is_empty() && piped {
        hyps.push(PathBuf::from("-"));
    }
    let dash = Path::new("-");
    let dashes = refs.iter().chain(&hyps).filter(|p| *p == dash).count();
    if dashes > 1 {
        return Err(Error::config(
            "`-` (standard input) given more than once; standard input can be read only once",
        ));
    }
    for p in refs.iter_mut().chain(hyps.iter_mut()) {
        if p == dash {
            *p = PathBuf::from(STDIN);
        }
    }
    Ok((input, refs, hyps))
}
