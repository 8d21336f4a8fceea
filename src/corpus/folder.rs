//! A corpus folder: one text file per document and side.
//!
//! ```text
//! NAME/ref/DOC.txt                      one reference set (named A), or
//! NAME/ref/A/DOC.txt, NAME/ref/B/DOC.txt    several reference sets (named after the folders)
//! NAME/mt/SYSTEM/DOC.txt                one folder per system
//! NAME/src/DOC.txt                      optional source documents
//! ```
//!
//! Documents are matched by file stem and sorted by id (byte order). Each non-blank line of a
//! `DOC.txt` is a segment, kept as is (line end removed, nothing stripped, as in
//! [`read_line_aligned`](super::read_line_aligned)); blank lines (empty or only whitespace)
//! separate paragraphs and are not segments. A system's segment count may differ from the
//! references' (the aligner pairs them later), but the reference sets of one document must have
//! the same number of segments (multi-reference metrics score a hypothesis segment against the
//! same segment of every reference). `Document::lines` holds the 1-based line numbers of the
//! segments in the first reference set's file.
//!
//! Files whose name starts with `.` are ignored (`.DS_Store`, editor files); any other file
//! that is not `*.txt`, or a folder where documents are expected, is an error, so that a
//! misnamed document is never silently dropped. A reference document without any segment is an
//! error; an empty system document is allowed (a system may have produced nothing).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{read_lines, Corpus, Document};
use crate::error::{Error, Location, Result};

/// One side of the corpus (a reference set, a system or the source): its label for messages,
/// its folder and its documents by id.
struct Side {
    label: String,
    dir: PathBuf,
    docs: BTreeMap<String, PathBuf>,
}

/// Reads a corpus folder (layout above). O(total bytes).
///
/// Errors name the file or folder: missing `ref/` or `mt/`, a `ref/` that mixes documents
/// and reference folders, a document present on some sides only (the document and the side
/// missing it), unreadable or non-UTF-8 files (line and column), reference sets of one document
/// with different segment counts.
pub fn read_folder(dir: &Path) -> Result<Corpus> {
    let name = std::fs::canonicalize(dir)
        .ok()
        .and_then(|p| p.file_name().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "corpus".to_string());

    let ref_dir = dir.join("ref");
    let (files, subdirs) = list(&ref_dir)?;
    let refs: Vec<Side> =
        match (files.is_empty(), subdirs.is_empty()) {
            (false, true) => vec![side("ref".to_string(), &ref_dir)?],
            (true, false) => subdirs
                .iter()
                .map(|(n, p)| side(format!("ref/{n}"), p))
                .collect::<Result<_>>()?,
            (true, true) => {
                return Err(Error::input(
                    Location::file(&ref_dir),
                    "no reference documents; expected ref/DOC.txt or ref/NAME/DOC.txt",
                ))
            }
            (false, false) => return Err(Error::input(
                Location::file(&ref_dir),
                "holds both documents and folders; expected either ref/DOC.txt (one reference) \
                 or ref/NAME/DOC.txt (several references)",
            )),
        };
    let ref_names: Vec<String> = if subdirs.is_empty() {
        vec!["A".to_string()]
    } else {
        subdirs.iter().map(|(n, _)| n.clone()).collect()
    };

    let mt_dir = dir.join("mt");
    let (files, subdirs) = list(&mt_dir)?;
    if let Some(f) = files.first() {
        return Err(Error::input(
            Location::file(f),
            "a file directly in mt/; expected mt/SYSTEM/DOC.txt",
        ));
    }
    if subdirs.is_empty() {
        return Err(Error::input(
            Location::file(&mt_dir),
            "no system folders; expected mt/SYSTEM/DOC.txt",
        ));
    }
    let systems: Vec<Side> = subdirs
        .iter()
        .map(|(n, p)| side(format!("mt/{n}"), p))
        .collect::<Result<_>>()?;
    let system_names: Vec<String> = subdirs.iter().map(|(n, _)| n.clone()).collect();

    let src_dir = dir.join("src");
    let source = if src_dir.is_dir() {
        Some(side("src".to_string(), &src_dir)?)
    } else {
        None
    };

    // Every side must hold every document.
    let all_sides: Vec<&Side> = refs.iter().chain(&systems).chain(&source).collect();
    let mut ids: BTreeMap<&str, &Side> = BTreeMap::new();
    for s in &all_sides {
        for id in s.docs.keys() {
            ids.entry(id).or_insert(s);
        }
    }
    for (id, holder) in &ids {
        for s in &all_sides {
            if !s.docs.contains_key(*id) {
                return Err(Error::mismatch(format!(
                    "document {id} is in {} ({}) but not in {}: expected {}",
                    holder.label,
                    holder.docs[*id].display(),
                    s.label,
                    s.dir.join(format!("{id}.txt")).display()
                )));
            }
        }
    }

    let mut documents = Vec::with_capacity(ids.len());
    for id in ids.keys() {
        let mut lines = Vec::new();
        let mut doc_refs = Vec::with_capacity(refs.len());
        for (r, s) in refs.iter().enumerate() {
            let path = &s.docs[*id];
            let (segs, nums) = segments(path)?;
            if segs.is_empty() {
                return Err(Error::input(
                    Location::file(path).with_document(*id),
                    "reference document has no segments; expected one segment a line",
                ));
            }
            if r == 0 {
                lines = nums;
            } else if segs.len() != lines.len() {
                return Err(Error::mismatch(format!(
                    "document {id}: {} has {} segments but {} has {}; expected the references \
                     of a document to have the same number of segments",
                    path.display(),
                    segs.len(),
                    refs[0].docs[*id].display(),
                    lines.len()
                )));
            }
            doc_refs.push(segs);
        }
        let hyps = systems
            .iter()
            .map(|s| segments(&s.docs[*id]).map(|(segs, _)| segs))
            .collect::<Result<Vec<_>>>()?;
        let source = match &source {
            Some(s) => Some(segments(&s.docs[*id])?.0),
            None => None,
        };
        documents.push(Document {
            id: id.to_string(),
            source,
            refs: doc_refs,
            hyps,
            lines,
        });
    }
    Ok(Corpus {
        name,
        ref_names,
        system_names,
        documents,
    })
}

/// The non-blank lines of a document file and their 1-based line numbers.
fn segments(path: &Path) -> Result<(Vec<String>, Vec<usize>)> {
    let mut segs = Vec::new();
    let mut nums = Vec::new();
    for line in read_lines(path)? {
        if !line.text.trim().is_empty() {
            segs.push(line.text);
            nums.push(line.number);
        }
    }
    Ok((segs, nums))
}

/// Non-hidden entries of a folder, sorted by name: (files, (name, subfolder)).
type Listing = (Vec<PathBuf>, Vec<(String, PathBuf)>);

fn list(dir: &Path) -> Result<Listing> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let path = entry.path();
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            return Err(Error::input(
                Location::file(&path),
                "file name is not UTF-8; expected a UTF-8 document or system name",
            ));
        };
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            dirs.push((name, path));
        } else {
            files.push(path);
        }
    }
    files.sort();
    dirs.sort();
    Ok((files, dirs))
}

/// The documents of one side: every `DOC.txt` in `dir`, by stem.
fn side(label: String, dir: &Path) -> Result<Side> {
    let (files, subdirs) = list(dir)?;
    if let Some((_, p)) = subdirs.first() {
        return Err(Error::input(
            Location::file(p),
            format!("a folder inside {label}/; expected only DOC.txt files there"),
        ));
    }
    let mut docs = BTreeMap::new();
    for f in files {
        let stem = match (f.extension().and_then(|e| e.to_str()), f.file_stem()) {
            (Some("txt"), Some(stem)) => stem.to_string_lossy().into_owned(),
            _ => {
                return Err(Error::input(
                    Location::file(&f),
                    format!("not a .txt file; expected only DOC.txt files in {label}/"),
                ))
            }
        };
        docs.insert(stem, f);
    }
    Ok(Side {
        label,
        dir: dir.to_path_buf(),
        docs,
    })
}
