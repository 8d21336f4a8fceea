//! Corpus folders (`NAME/ref/DOC.txt`, `NAME/mt/SYSTEM/DOC.txt`, `NAME/src/DOC.txt`, matched by
//! document id) through `corpus::load`, then scored (aligned where counts differ) when small.
//!
//! Input: a flag byte, then up to 16 files separated by 0xFF, each `PATH\nCONTENT`. PATH is a
//! relative path inside the corpus folder; its components are cut down to `[A-Za-z0-9._-]`
//! and `.` / `..` are dropped, so nothing is written outside the scratch folder.
//! Flags: bit 0 tiny limits.
#![no_main]

use std::fs;
use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;
use mtharness::corpus::{load, LoadSpec};
use mtharness_fuzz::{check_corpus, flags, limits, parts, score_if_small, Scratch};

/// Most files made from one input.
const MAX_FILES: usize = 16;
/// Deepest path made from one input (`mt/SYSTEM/DOC.txt` plus one level for mistakes).
const MAX_DEPTH: usize = 4;

fn safe_path(header: &[u8]) -> Option<PathBuf> {
    let text = String::from_utf8_lossy(header);
    let mut p = PathBuf::new();
    let mut depth = 0;
    for comp in text.split('/') {
        let c: String = comp
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
            .take(32)
            .collect();
        if c.is_empty() || c == "." || c == ".." {
            continue;
        }
        p.push(c);
        depth += 1;
        if depth == MAX_DEPTH {
            break;
        }
    }
    (depth > 0).then_some(p)
}

fuzz_target!(|data: &[u8]| {
    let (f, rest) = flags(data);
    let dir = Scratch::new("folder");
    let root = dir.path().join("corpus");
    let _ = fs::create_dir_all(root.join("ref"));
    let _ = fs::create_dir_all(root.join("mt"));
    for file in parts(rest).into_iter().take(MAX_FILES) {
        let (header, content) = match file.iter().position(|&b| b == b'\n') {
            Some(i) => (&file[..i], &file[i + 1..]),
            None => (file, &[][..]),
        };
        let Some(rel) = safe_path(header) else {
            continue;
        };
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            if fs::create_dir_all(parent).is_err() {
                continue;
            }
        }
        let _ = fs::write(&path, content);
    }
    let spec = LoadSpec {
        input: Some(root),
        limits: limits(f & 1 != 0),
        ..LoadSpec::default()
    };
    if let Ok(corpus) = load(&spec) {
        check_corpus(&corpus, false);
        score_if_small(&corpus, data.len());
    }
});
