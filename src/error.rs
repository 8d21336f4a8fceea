//! One error type for the whole library. The position of a problem lives inside the error
//! (file, line, column, document, segment), so every message can say *where* it happened.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in the input an error was found. Every field is optional: a reader fills in what it knows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    pub file: Option<PathBuf>,
    /// 1-based line number.
    pub line: Option<usize>,
    /// 1-based column (or TSV field) number.
    pub column: Option<usize>,
    pub document: Option<String>,
}

impl Location {
    pub fn file(path: impl AsRef<Path>) -> Location {
        Location {
            file: Some(path.as_ref().to_path_buf()),
            ..Location::default()
        }
    }

    pub fn line(path: impl AsRef<Path>, line: usize) -> Location {
        Location {
            file: Some(path.as_ref().to_path_buf()),
            line: Some(line),
            ..Location::default()
        }
    }

    pub fn with_column(mut self, column: usize) -> Location {
        self.column = Some(column);
        self
    }

    pub fn with_document(mut self, doc: impl Into<String>) -> Location {
        self.document = Some(doc.into());
        self
    }
}

impl fmt::Display for Location {
    /// `path:line:column` (as compilers print it), then `(document ID)` when known.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut wrote = false;
        if let Some(file) = &self.file {
            write!(f, "{}", file.display())?;
            wrote = true;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
                if let Some(col) = self.column {
                    write!(f, ":{col}")?;
                }
            }
        } else if let Some(line) = self.line {
            write!(f, "line {line}")?;
            wrote = true;
        }
        if let Some(doc) = &self.document {
            if wrote {
                write!(f, " ")?;
            }
            write!(f, "(document {doc})")?;
        }
        Ok(())
    }
}

/// What went wrong.
#[derive(Debug)]
pub enum ErrorKind {
    /// An I/O error reading or writing a file.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Input that does not have the expected form: the location says where, the message what
    /// was expected.
    Input { loc: Location, msg: String },
    /// Inputs that do not fit together (line counts, missing documents, ...).
    Mismatch { msg: String },
    /// A bad option or option combination.
    Config { msg: String },
}

/// The library's error: boxed, so `Result<T>` stays one word wide on the happy path.
#[derive(Debug)]
pub struct Error(Box<ErrorKind>);

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    pub fn io(path: impl AsRef<Path>, source: std::io::Error) -> Error {
        Error(Box::new(ErrorKind::Io {
            path: path.as_ref().to_path_buf(),
            source,
        }))
    }

    pub fn input(loc: Location, msg: impl Into<String>) -> Error {
        Error(Box::new(ErrorKind::Input {
            loc,
            msg: msg.into(),
        }))
    }

    pub fn mismatch(msg: impl Into<String>) -> Error {
        Error(Box::new(ErrorKind::Mismatch { msg: msg.into() }))
    }

    pub fn config(msg: impl Into<String>) -> Error {
        Error(Box::new(ErrorKind::Config { msg: msg.into() }))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            ErrorKind::Io { path, source } => write!(f, "{}: {source}", path.display()),
            ErrorKind::Input { loc, msg } => {
                let l = loc.to_string();
                if l.is_empty() {
                    write!(f, "{msg}")
                } else {
                    write!(f, "{l}: {msg}")
                }
            }
            ErrorKind::Mismatch { msg } => write!(f, "{msg}"),
            ErrorKind::Config { msg } => write!(f, "{msg}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &*self.0 {
            ErrorKind::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
