//! Report files written whole or not at all ([`AtomicFile`], [`write_atomic`]), and report
//! folders written as a set ([`ReportSet`]).
//!
//! A regular file (or a path that does not exist yet) is written into a temporary file
//! `.mth.PID.N.tmp` in the same folder and renamed over the target when complete. The name is
//! short and of fixed form, so a target name of any length that the file system accepts also
//! works for its temporary file. Devices, FIFOs and other files that are not regular (such as
//! `/dev/null` or a named pipe) are opened and written directly, never replaced.
//!
//! A temporary file is removed when its writer is dropped without a commit (an error midway).
//! Temporary files (and staging folders) of runs that were killed are removed by the next run
//! that writes into the same folder: only names of the form `.mth.PID.N.tmp` whose process
//! `PID` is no longer running (checked in `/proc`; where `/proc` is missing nothing is removed).

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use crate::error::{Error, Result};

/// Writes a file atomically: `fill` writes into a temporary file beside `path`, which is
/// flushed, synced and renamed to `path` only when `fill` succeeds. On error the temporary file
/// is removed and `path` is untouched. A device or FIFO is written directly (see the module
/// documentation).
pub fn write_atomic<F>(path: &Path, fill: F) -> Result<()>
where
    F: FnOnce(&mut dyn Write) -> std::io::Result<()>,
{
    let mut file = AtomicFile::create(path)?;
    fill(&mut file).map_err(|e| Error::io(path, e))?;
    file.commit()
}

/// A report file being written in several steps (the streaming path, [`crate::stream`]): a
/// temporary file `.mth.PID.N.tmp` beside `path`, renamed to `path` by [`AtomicFile::commit`].
/// Dropped without a commit (an error midway), the temporary file is removed and `path` is
/// untouched. When `path` exists and is not a regular file (a device or FIFO), it is written
/// directly and `tmp` is `None`. [`write_atomic`] is the one-step form.
pub(crate) struct AtomicFile {
    path: PathBuf,
    tmp: Option<PathBuf>,
    writer: BufWriter<File>,
}

/// Write buffer of report files.
const REPORT_BUFFER_BYTES: usize = 1 << 16;

/// Prefix and suffix of temporary file names: `.mth.PID.N.tmp`.
const TMP_PREFIX: &str = ".mth.";
const TMP_SUFFIX: &str = ".tmp";

/// Counter that makes the temporary names of one process distinct.
static NEXT_TMP: AtomicU64 = AtomicU64::new(0);

/// Folders already cleaned of stale temporary files by this process.
static CLEANED: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);

impl AtomicFile {
    /// Opens `path` for writing: a temporary file beside it, or `path` itself when it is a
    /// device or FIFO.
    pub(crate) fn create(path: &Path) -> Result<AtomicFile> {
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => Err(Error::config(format!(
                "{}: is a folder, expected a file name",
                path.display()
            ))),
            Ok(m) if !m.is_file() => {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .map_err(|e| Error::io(path, e))?;
                Ok(AtomicFile {
                    path: path.to_path_buf(),
                    tmp: None,
                    writer: BufWriter::with_capacity(REPORT_BUFFER_BYTES, file),
                })
            }
            _ => AtomicFile::create_temp(path),
        }
    }

    /// Always creates a temporary file beside `path` (a scratch part that is appended to
    /// another with [`AtomicFile::append_to`], never committed itself).
    pub(crate) fn create_temp(path: &Path) -> Result<AtomicFile> {
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if path.file_name().is_none() {
            return Err(Error::config(format!(
                "{}: not a file name",
                path.display()
            )));
        }
        clean_stale_once(&dir);
        let n = NEXT_TMP.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(
            "{TMP_PREFIX}{}.{n}{TMP_SUFFIX}",
            std::process::id()
        ));
        let file = File::create(&tmp).map_err(|e| Error::io(path, e))?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            tmp: Some(tmp),
            writer: BufWriter::with_capacity(REPORT_BUFFER_BYTES, file),
        })
    }

    /// Flushes, syncs and renames the temporary file to the final path (a device or FIFO is
    /// only flushed).
    pub(crate) fn commit(mut self) -> Result<()> {
        let result = (|| -> std::io::Result<()> {
            self.writer.flush()?;
            if let Some(tmp) = &self.tmp {
                self.writer.get_ref().sync_all()?;
                std::fs::rename(tmp, &self.path)?;
            }
            Ok(())
        })();
        if result.is_ok() {
            // Renamed: Drop has nothing to remove.
            self.tmp = None;
        }
        result.map_err(|e| Error::io(&self.path, e))
    }

    /// Copies everything written so far to `dst`; the temporary file is removed afterwards.
    pub(crate) fn append_to(mut self, dst: &mut dyn Write) -> Result<()> {
        let result = (|| -> std::io::Result<()> {
            self.writer.flush()?;
            let Some(tmp) = &self.tmp else {
                return Err(std::io::Error::other("not a temporary file"));
            };
            let mut src = File::open(tmp)?;
            std::io::copy(&mut src, dst)?;
            Ok(())
        })();
        result.map_err(|e| Error::io(&self.path, e))
    }
}

/// Writes go to the temporary file (buffered).
impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writer.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.writer.write_all(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.writer.flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if let Some(tmp) = &self.tmp {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// A set of report files written into one folder as a whole ([`crate::report::write_csv_reports`]):
/// every file goes into a staging folder `DIR/.mth.PID.N.tmp` first, and only when all are
/// written are they renamed into `DIR`, where a file of the set that this run did not write
/// (an `alignments.csv` of an older run) is removed. A failed run leaves the previous set as it
/// was; the renames take microseconds, so only a kill within them can mix two sets. Dropped
/// without a commit, the staging folder is removed. A target that exists and is not a regular
/// file (a device or FIFO) is written directly, not staged.
pub(crate) struct ReportSet {
    dir: PathBuf,
    stage: PathBuf,
    staged: Vec<String>,
}

impl ReportSet {
    /// Creates `dir` (if missing) and the staging folder in it.
    pub(crate) fn create(dir: &Path) -> Result<ReportSet> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        clean_stale_once(dir);
        let n = NEXT_TMP.fetch_add(1, Ordering::Relaxed);
        let stage = dir.join(format!(
            "{TMP_PREFIX}{}.{n}{TMP_SUFFIX}",
            std::process::id()
        ));
        std::fs::create_dir(&stage).map_err(|e| Error::io(&stage, e))?;
        Ok(ReportSet {
            dir: dir.to_path_buf(),
            stage,
            staged: Vec::new(),
        })
    }

    /// Where to write the set's file `name`: in the staging folder, or `DIR/name` itself when
    /// that is a device or FIFO. A folder in its place is an error (before anything is
    /// written).
    pub(crate) fn path(&mut self, name: &str) -> Result<PathBuf> {
        let target = self.dir.join(name);
        match std::fs::metadata(&target) {
            Ok(m) if m.is_dir() => Err(Error::config(format!(
                "{}: is a folder, expected a file name",
                target.display()
            ))),
            Ok(m) if !m.is_file() => Ok(target),
            _ => {
                self.staged.push(name.to_string());
                Ok(self.stage.join(name))
            }
        }
    }

    /// Renames the staged files that exist into `DIR`, then removes from `DIR` the regular
    /// files among `names` that this run did not write.
    pub(crate) fn commit(self, names: &[&str]) -> Result<()> {
        let mut written = Vec::new();
        for name in &self.staged {
            let from = self.stage.join(name);
            if from.exists() {
                let to = self.dir.join(name);
                std::fs::rename(&from, &to).map_err(|e| Error::io(&to, e))?;
                written.push(name.as_str());
            }
        }
        for name in names {
            let old = self.dir.join(name);
            let regular = std::fs::symlink_metadata(&old).is_ok_and(|m| m.is_file());
            if regular && !written.contains(name) && self.staged.iter().any(|s| s == name) {
                std::fs::remove_file(&old).map_err(|e| Error::io(&old, e))?;
            }
        }
        Ok(())
    }
}

impl Drop for ReportSet {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.stage);
    }
}

/// The process id in a temporary file name of ours (`.mth.PID.N.tmp`), or `None`.
fn tmp_owner(name: &str) -> Option<u32> {
    let mid = name.strip_prefix(TMP_PREFIX)?.strip_suffix(TMP_SUFFIX)?;
    let (pid, n) = mid.split_once('.')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(pid) || !digits(n) {
        return None;
    }
    pid.parse().ok()
}

/// Whether process `pid` is running; `None` where that cannot be told (no `/proc`).
fn process_alive(pid: u32) -> Option<bool> {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return None;
    }
    Some(proc.join(pid.to_string()).exists())
}

/// Removes stale temporary files of ours from `dir`, once per folder and process. Errors are
/// ignored: cleaning is a courtesy, the run's own files do not depend on it.
fn clean_stale_once(dir: &Path) {
    let key = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    {
        let mut cleaned = CLEANED.lock().unwrap_or_else(|e| e.into_inner());
        if !cleaned.get_or_insert_with(HashSet::new).insert(key) {
            return;
        }
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let me = std::process::id();
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name.to_str().and_then(tmp_owner) else {
            continue;
        };
        if pid == me || process_alive(pid) != Some(false) {
            continue;
        }
        match e.file_type() {
            Ok(t) if t.is_file() => {
                let _ = std::fs::remove_file(e.path());
            }
            // A staging folder of a report set ([`ReportSet`]).
            Ok(t) if t.is_dir() => {
                let _ = std::fs::remove_dir_all(e.path());
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_leaves_no_file_on_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.csv");
        std::fs::write(&p, "old").unwrap();
        let r = write_atomic(&p, |w| {
            w.write_all(b"partial")?;
            Err(std::io::Error::other("interrupted"))
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "old");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "temp file left behind"
        );
        write_atomic(&p, |w| w.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
    }

    #[test]
    fn temporary_names_are_recognised_only_in_our_form() {
        assert_eq!(tmp_owner(".mth.123.0.tmp"), Some(123));
        for other in [
            ".mth.123.tmp",
            ".mth.x.0.tmp",
            ".mth..0.tmp",
            "mth.123.0.tmp",
            ".mth.123.0.tmp.bak",
            ".segments.csv.123.tmp",
        ] {
            assert_eq!(tmp_owner(other), None, "{other}");
        }
    }
}
