//! The error type of the `labels` module: every variant names the file it comes from.

use thiserror::Error;

/// Everything that can go wrong while importing, validating or merging label files.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum LabelsError {
    /// A required column is missing from a CSV header.
    #[error("{file}: missing column(s) {missing}; columns found: {found}")]
    MissingColumns {
        /// File name as given by the caller.
        file: String,
        /// The missing column names, comma separated.
        missing: String,
        /// The header columns that were found, comma separated.
        found: String,
    },
    /// The content matches none of the supported formats.
    #[error("{file}: unrecognised label file format ({detail})")]
    UnknownFormat {
        /// File name.
        file: String,
        /// What was seen (e.g. the first line).
        detail: String,
    },
    /// A malformed record (CSV syntax, invalid UTF-8, wrong field count, bad JSON).
    #[error("{file}:{line}: {message}")]
    Parse {
        /// File name.
        file: String,
        /// 1-based line.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// A cell of a wide CSV that is not 0, 1 or empty.
    #[error("{file}:{line}: column `{column}`: expected 0, 1 or empty, found `{value}`")]
    BadCell {
        /// File name.
        file: String,
        /// 1-based line.
        line: u64,
        /// The column (label) name.
        column: String,
        /// The offending value.
        value: String,
    },
    /// A PTC span with non-integer offsets or start > end.
    #[error("{file}:{line}: bad span offsets: {message}")]
    BadOffsets {
        /// File name.
        file: String,
        /// 1-based line.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// An invalid label schema.
    #[error("{file}: invalid label schema: {message}")]
    Schema {
        /// Schema file name.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// A row was skipped while `strict` is on.
    #[error("{file}:{line}: {reason} (strict mode)")]
    Strict {
        /// File name.
        file: String,
        /// 1-based line.
        line: u64,
        /// Why the row could not be merged.
        reason: String,
    },
    /// A non-empty label file none of whose rows refers to a known sentence.
    #[error("{file}: no row refers to a sentence of the sentence table (e.g. `{example}`)")]
    NoMatchingSentences {
        /// File name.
        file: String,
        /// One of the unmatched sentence ids (or article ids for span files).
        example: String,
    },
    /// Invalid input to the sentence index or invalid merge options.
    #[error("{context}: {message}")]
    Invalid {
        /// What was being checked (file name or option).
        context: String,
        /// What is wrong.
        message: String,
    },
}
