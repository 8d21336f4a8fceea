//! Helpers shared by the criterion benches: each bench includes this file with `mod common;`
//! and uses a subset of it.
#![allow(dead_code)]

use std::path::PathBuf;

/// The shared data: `$MTHARNESS_SHARED`, else `../shared` beside the checkout.
pub fn shared_dir() -> PathBuf {
    std::env::var_os("MTHARNESS_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

/// The WMT22 ru-en folder of the shared data (it may be absent).
pub fn ru_en_dir() -> PathBuf {
    shared_dir().join("corpora/wmt22-ru-en")
}

/// [`shared_dir`] when it holds the WMT22 ru-en corpus, else `None`.
pub fn shared_dir_with_ru_en() -> Option<PathBuf> {
    let dir = shared_dir();
    dir.join("corpora/wmt22-ru-en").is_dir().then_some(dir)
}

/// The lines of file `name` of the ru-en folder, or `None` when it cannot be read.
pub fn ru_en_lines(name: &str) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(ru_en_dir().join(name)).ok()?;
    Some(text.lines().map(str::to_string).collect())
}
