//! A JSON encode or decode failure kept as a typed cause without serde_json's message.
//!
//! Owns [`JsonFault`], the one form in which core keeps a `serde_json::Error` as the source of
//! its own errors (store bodies, server answers, checklist templates). Invariant: it holds
//! serde's category and position only. serde_json's message (and its `Debug`) quotes the value
//! it failed on, which for a decrypted record body or a pulled envelope is record text; so the
//! error is reduced when it is caught, and nothing that prints a [`JsonFault`] (its message,
//! its debug form, an error chain, a log line) can print what the JSON held. A leaf: it depends
//! on serde_json only, so every layer can use it.

/// A JSON encode or decode failure, reduced when caught to serde_json's category and position.
/// Its message is "`Category` error at line L column C" (e.g. "Data error at line 1 column 7").
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{category:?} error at line {line} column {column}")]
pub struct JsonFault {
    /// Syntax, data (wrong shape or type), end of input, or I/O.
    pub category: serde_json::error::Category,
    /// Line of the input where it failed (1-based; 0 when encoding).
    pub line: usize,
    /// Column of that line (1-based; 0 when encoding).
    pub column: usize,
}

impl From<serde_json::Error> for JsonFault {
    fn from(err: serde_json::Error) -> Self {
        JsonFault {
            category: err.classify(),
            line: err.line(),
            column: err.column(),
        }
    }
}
