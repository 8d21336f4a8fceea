//! `rules apply`: cleaned copies of inputs, in their own format, plus `hits.csv`.

use std::path::{Path, PathBuf};

use super::{Firing, Hit, Outcome, RuleSet};
use crate::corpus::read_lines;
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
/// Returns the hits (document = file stem for folders, file name for line files; segment = the
/// 1-based line). Every file is written atomically. O(total bytes).
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
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    let mut hits = Vec::new();
    if let Some(dir) = folders.first() {
        if !dir.join("ref").is_dir() || !dir.join("mt").is_dir() {
            return Err(Error::config(format!(
                "{}: a corpus folder must hold ref/ and mt/ subfolders",
                dir.display()
            )));
        }
        if std::fs::canonicalize(dir).ok() == std::fs::canonicalize(out).ok() {
            return Err(Error::config(format!(
                "{}: --out must not be the input folder",
                out.display()
            )));
        }
        for side in ["ref", "src"] {
            let from = dir.join(side);
            if from.is_dir() {
                copy_tree(&from, &out.join(side))?;
            }
        }
        for (system, sys_dir) in subdirs(&dir.join("mt"))? {
            let target = out.join("mt").join(file_component(&system, "system name")?);
            std::fs::create_dir_all(&target).map_err(|e| Error::io(&target, e))?;
            for file in txt_files(&sys_dir)? {
                let doc = file
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                file_component(&doc, "document id")?;
                let name = file.file_name().unwrap_or_default();
                let lines = clean_file(rules, &file, &system, &doc, true, &mut hits)?;
                write_lines(&target.join(name), &lines)?;
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
            write_lines(&out.join(name), &lines)?;
        }
    }
    Ok(hits)
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

fn write_lines(path: &Path, lines: &[String]) -> Result<()> {
    write_atomic(path, |w| {
        for l in lines {
            w.write_all(l.as_bytes())?;
            w.write_all(b"\n")?;
        }
        Ok(())
    })
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

/// Copies the files of `from` (recursively, hidden entries skipped) into `to`.
fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).map_err(|e| Error::io(to, e))?;
    for e in std::fs::read_dir(from).map_err(|e| Error::io(from, e))? {
        let e = e.map_err(|e| Error::io(from, e))?;
        let name = e.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let p = e.path();
        // A symbolic link to a folder could loop (or copy the whole disk): refuse it.
        let linked_dir = e.file_type().is_ok_and(|t| t.is_symlink()) && p.is_dir();
        if linked_dir {
            return Err(Error::input(
                Location::file(&p),
                "a symbolic link to a folder; expected files and plain folders",
            ));
        }
        if p.is_dir() {
            copy_tree(&p, &to.join(&name))?;
        } else {
            let bytes = std::fs::read(&p).map_err(|e| Error::io(&p, e))?;
            write_atomic(&to.join(&name), |w| w.write_all(&bytes))?;
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
