//! Errors of the engine.
//!
//! Every error carries the exact text RedisTimeSeries replies with (`ERR TSDB: ...`), so
//! `db.command()` can surface it unchanged, and a [`ErrorKind`] that says what the caller
//! does next. Conversion to a JS `Error` happens only in `src/api`.

use std::borrow::Cow;
use std::fmt;

/// What the caller should do about an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The request is malformed (bad option, bad number, wrong arity): fix it and retry.
    InvalidArgument,
    /// The key does not exist: create it first.
    NotFound,
    /// The key already exists: pick another key or use the existing series.
    AlreadyExists,
    /// The write is refused by the series' own policy (duplicate BLOCK, retention window,
    /// compaction-rule constraints): nothing was changed; decide whether to change the policy.
    Rejected,
    /// Stored bytes (a snapshot or a chunk) are damaged or of an unknown format: discard them.
    Corrupt,
}

/// An engine error: a kind and the RedisTimeSeries error text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: Cow<'static, str>,
}

/// Result alias used across the engine.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error of `kind` with the full reply text (e.g. `ERR TSDB: invalid value`).
    pub fn new(kind: ErrorKind, message: impl Into<Cow<'static, str>>) -> Self {
        Error { kind, message: message.into() }
    }
    /// `InvalidArgument` with the given full text.
    pub fn invalid(message: impl Into<Cow<'static, str>>) -> Self {
        Error::new(ErrorKind::InvalidArgument, message)
    }
    /// `Rejected` with the given full text.
    pub fn rejected(message: impl Into<Cow<'static, str>>) -> Self {
        Error::new(ErrorKind::Rejected, message)
    }
    /// `Corrupt` with a description of what is wrong (prefixed for the reader).
    pub fn corrupt(what: impl fmt::Display) -> Self {
        Error::new(ErrorKind::Corrupt, format!("ERR TSDB: corrupt data: {what}"))
    }
    /// `ERR TSDB: the key does not exist`
    pub fn key_not_found() -> Self {
        Error::new(ErrorKind::NotFound, "ERR TSDB: the key does not exist")
    }
    /// `ERR TSDB: key already exists`
    pub fn key_exists() -> Self {
        Error::new(ErrorKind::AlreadyExists, "ERR TSDB: key already exists")
    }
    /// `ERR wrong number of arguments for 'ts.xxx' command` (the name lower-cased, as Redis does).
    pub fn arity(command: &str) -> Self {
        Error::invalid(format!(
            "ERR wrong number of arguments for '{}' command",
            command.to_ascii_lowercase()
        ))
    }
    /// `ERR TSDB: invalid timestamp`
    pub fn invalid_timestamp() -> Self {
        Error::invalid("ERR TSDB: invalid timestamp")
    }
    /// `ERR TSDB: invalid value`
    pub fn invalid_value() -> Self {
        Error::invalid("ERR TSDB: invalid value")
    }
    /// What the caller does next.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
    /// The full reply text, e.g. `ERR TSDB: the key does not exist`.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}
