//! `rules apply`: cleaned copies of inputs, in their own format, plus `hits.csv`.

use std::path::{Path, PathBuf};

use super::{Firing, Hit, Outcome, RuleSet};
use crate::corpus::{check_symlink, read_lines};
use crate::error::{Error, Location, Result};
use crate::report::{csv_text, write_atomic, CsvOptions};

/// Checks that `name` (a document id or system name, `what` says which) can be used as one file
/// name inside an output folder: a single normal path component, so that joining it to the
/// folder cannot leave it. Refused: empty, `.`, `..`, anything holding `/` or `\\` (a path
/// separator on some platform) or NUL. Returns `name`. O(len).
pub fn file_component<'a>(name: &'a str, what: &str) -> Result<&'a str> {
    use std::path::Component;
    let mut parts = Path::new(name).components();
    let single = matches!(
        (parts.next(), parts.next()),
        (Some(Component::Normal(c)), None) if c == std::ffi::OsStr::new(name)
    );
    if !single || name.contains(['/', '\\', '\0']) {
        return Err(Error::config(format!(
            "{what} {name:?} cannot be used as a file name: expected a single path component \
             (no `/`, `\\`, `.` or `..`)"
        )));
    }
    Ok(name)
}

/// Applies `rules` to each input and writes the result under `out` (created if missing):
///
/// - a corpus folder (with `ref/` and `mt/`): `out` becomes a corpus folder with the same
///   layout: `mt/SYSTEM/DOC.txt` cleaned (a deleted segment's line disappears; blank lines are
///   kept as they are), every file of `ref/` and `src/` copied unchanged. Only one corpus folder
///   can be given.
/// - any other path is a line-aligned MT file: every line is a segment, written to
///   `out/FILE_NAME` (a deleted segment becomes an empty line, so line alignment holds).
///   Two inputs with the same file name are an error.
///
/// `out` must be kept apart from the inputs: a folder that is, or is inside, an input folder is
/// refused, and so is the folder of an input file (its output would replace it); paths are
/// compared after resolving symbolic links and `..`. Every input is read and cleaned before
/// anything is written, so an input that fails leaves `out` untouched; each file is then written
/// atomically (a write error midway, such as a full disk, can leave some of the run's files
/// beside older ones, each whole). Returns the hits (document = file stem for folders, file
/// name for line files; segment = the 1-based line). O(total bytes) time and memory.
///
/// Input files that are symbolic links are refused unless
/// [`crate::corpus::set_follow_symlinks`] is on; links to folders always are.
pub fn apply_paths(rules: &RuleSet, inputs: &[PathBuf], out: &Path) -> Result<Vec<Hit>> {
    if inputs.is_empty() {
        return Err(Error::config("rules apply: no input given"));
    }
    let folders: Vec<&PathBuf> = inputs.iter().filter(|p| p.is_dir()).collect();
    if !folders.is_empty() && inputs.len() > 1 {
        return Err(Error::config(
            "rules apply: give one corpus folder, or line-aligned MT files, not both",
        ));
    }
    check_out_apart(inputs, out)?;
    let mut hits = Vec::new();
    // (target, contents): everything is read and cleaned before the first write.
    let mut planned: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    if let Some(dir) = folders.first() {
        if !dir.join("ref").is_dir() || !dir.join("mt").is_dir() {
            return Err(Error::config(format!(
                "{}: a corpus folder must hold ref/ and mt/ subfolders",
                dir.display()
            )));
        }
        for side in ["ref", "src"] {
            let from = dir.join(side);
            if from.is_dir() {
                plan_copy_tree(&from, &out.join(side), &mut planned)?;
            }
        }
        for (system, sys_dir) in subdirs(&dir.join("mt"))? {
            let target = out.join("mt").join(file_component(&system, "system name")?);
            for file in txt_files(&sys_dir)? {
                let doc = file
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                file_component(&doc, "document id")?;
                let name = file.file_name().unwrap_or_default();
                let lines = clean_file(rules, &file, &system, &doc, true, &mut hits)?;
                planned.push((target.join(name), joined_lines(&lines)));
            }
        }
    } else {
        let mut names = std::collections::HashSet::new();
        for file in inputs {
            let name = file
                .file_name()
                .ok_or_else(|| Error::config(format!("{}: not a file", file.display())))?;
            if !names.insert(name.to_os_string()) {
                return Err(Error::config(format!(
                    "{}: two inputs share the file name {}",
                    file.display(),
                    name.to_string_lossy()
                )));
            }
            let doc = name.to_string_lossy().into_owned();
            file_component(&doc, "file name")?;
            let lines = clean_file(rules, file, &doc, &doc, false, &mut hits)?;
            planned.push((out.join(name), joined_lines(&lines)));
        }
    }
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    for (path, bytes) in &planned {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        write_atomic(path, |w| w.write_all(bytes))?;
    }
    Ok(hits)
}

/// `path` made absolute with symbolic links and `..` resolved, also when its last components do
/// not exist yet (the deepest existing ancestor is resolved, the rest appended lexically).
fn resolved(path: &Path) -> Result<PathBuf> {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| Error::io(".", e))?
            .join(path)
    };
    let mut missing = Vec::new();
    let mut base = abs.as_path();
    let mut real = loop {
        match std::fs::canonicalize(base) {
            Ok(r) => break r,
            Err(_) => match (base.parent(), base.file_name()) {
                (Some(parent), Some(name)) => {
                    missing.push(name.to_os_string());
                    base = parent;
                }
                // `..` or `.` at the end, or the root: resolve lexically from here on.
                _ => match base.parent() {
                    Some(parent) => {
                        missing.push(base.components().next_back().unwrap().as_os_str().into());
                        base = parent;
                    }
                    None => break base.to_path_buf(),
                },
            },
        }
    };
    for c in missing.iter().rev() {
        if c == ".." {
            real.pop();
        } else if c != "." {
            real.push(c);
        }
    }
    Ok(real)
}

/// Refuses an `out` that is, or is inside, an input folder, or that is the folder of an input
/// file (the output would replace the input).
fn check_out_apart(inputs: &[PathBuf], out: &Path) -> Result<()> {
    let out_real = resolved(out)?;
    for input in inputs {
        let Ok(in_real) = std::fs::canonicalize(input) else {
            continue; // a missing input is reported when it is read
        };
        if in_real.is_dir() {
            if out_real.starts_with(&in_real) {
                return Err(Error::config(format!(
                    "--out {}: is or is inside the input folder {}; expected a folder outside \
                     every input",
                    out.display(),
                    input.display()
                )));
            }
        } else if let Some(name) = input.file_name() {
            if std::fs::canonicalize(out_real.join(name)).ok().as_ref() == Some(&in_real)
                || in_real.parent() == Some(out_real.as_path())
            {
                return Err(Error::config(format!(
                    "--out {}: would replace the input {}; expected a folder other than the \
                     inputs' own",
                    out.display(),
                    input.display()
                )));
            }
        }
    }
    Ok(())
}

/// Cleans one file line by line. `folder`: blank lines are not segments and deleted lines
/// disappear; else every line is a segment and deleted lines become empty.
fn clean_file(
    rules: &RuleSet,
    path: &Path,
    system: &str,
    doc: &str,
    folder: bool,
    hits: &mut Vec<Hit>,
) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut fired: Vec<Firing> = Vec::new();
    for line in read_lines(path)? {
        if folder && line.text.trim().is_empty() {
            out.push(line.text);
            continue;
        }
        fired.clear();
        let outcome = rules
            .apply(&line.text, &mut fired)
            .map_err(|e| Error::input(Location::line(path, line.number), e.to_string()))?;
        for f in &fired {
            hits.push(Hit {
                rule: rules.rules[f.rule].id.clone(),
                system: system.to_string(),
                document: doc.to_string(),
                segment: line.number,
                count: f.count,
            });
        }
        match outcome {
            Outcome::Kept(t) => out.push(t.into_owned()),
            Outcome::Deleted if folder => {}
            Outcome::Deleted => out.push(String::new()),
        }
    }
    Ok(out)
}

/// `lines`, each ended by `\n`.
fn joined_lines(lines: &[String]) -> Vec<u8> {
    let mut out = Vec::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    for l in lines {
        out.extend_from_slice(l.as_bytes());
        out.push(b'\n');
    }
    out
}

/// Sorted `(name, path)` of the sub-folders of `dir` (names starting with `.` skipped).
fn subdirs(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let e = e.map_err(|e| Error::io(dir, e))?;
        let name = e.file_name().to_string_lossy().into_owned();
        if !name.starts_with('.') && e.path().is_dir() {
            out.push((name, e.path()));
        }
    }
    out.sort();
    Ok(out)
}

/// Sorted `*.txt` files of `dir`; any other non-hidden entry is an error (as the folder reader).
fn txt_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let e = e.map_err(|e| Error::io(dir, e))?;
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let p = e.path();
        if p.is_file() && name.ends_with(".txt") {
            out.push(p);
        } else {
            return Err(Error::input(
                Location::file(&p),
                "not a document; expected mt/SYSTEM/DOC.txt",
            ));
        }
    }
    out.sort();
    Ok(out)
}

/// Reads the files of `from` (recursively, hidden entries skipped) into `planned`, bound for
/// the same places under `to`. A symbolic link to a folder is refused (it could loop, or copy
/// the whole disk), and so is one to a file unless followed ([`check_symlink`]).
fn plan_copy_tree(from: &Path, to: &Path, planned: &mut Vec<(PathBuf, Vec<u8>)>) -> Result<()> {
    let mut entries = Vec::new();
    for e in std::fs::read_dir(from).map_err(|e| Error::io(from, e))? {
        entries.push(e.map_err(|e| Error::io(from, e))?);
    }
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let p = e.path();
        let link = e.file_type().is_ok_and(|t| t.is_symlink());
        if link && p.is_dir() {
            return Err(Error::input(
                Location::file(&p),
                "a symbolic link to a folder; expected files and plain folders",
            ));
        }
        if p.is_dir() {
            plan_copy_tree(&p, &to.join(&name), planned)?;
        } else {
            check_symlink(&p)?;
            let bytes = std::fs::read(&p).map_err(|e| Error::io(&p, e))?;
            planned.push((to.join(&name), bytes));
        }
    }
    Ok(())
}

/// Writes `hits.csv`: `rule,system,document,segment,count`, one row per rule and segment.
/// Text cells are guarded as [`CsvOptions::escape`] says.
pub fn write_hits_csv(path: &Path, hits: &[Hit], opts: &CsvOptions) -> Result<()> {
    write_atomic(path, |w| {
        let mut c = csv::Writer::from_writer(w);
        c.write_record(["rule", "system", "document", "segment", "count"])?;
        for h in hits {
            c.write_record([
                csv_text(&h.rule, opts.escape).as_ref(),
                csv_text(&h.system, opts.escape).as_ref(),
                csv_text(&h.document, opts.escape).as_ref(),
                &h.segment.to_string(),
                &h.count.to_string(),
            ])?;
        }
        c.flush()
    })
}
