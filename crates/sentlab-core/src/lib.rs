//! # sentlab-core
//!
//! The pure core of sentlab: text in, values out. No file access (the caller reads rule
//! files, lexicons, annotator files and tables, and passes their text) and no table library;
//! the `sentlab` command line does the I/O around it.
//!
//! ## Map
//! - [`rows`]: the row types of every table (the public data contracts).
//! - [`offsets`]: byte <-> code point offsets (tables count code points, like the PTC).
//! - [`segment`]: the English sentence splitter: `&str` in, byte spans out.
//! - [`sentences`]: an article's text to sentence rows (title line, body, code points).
//! - [`rules`]: the rule language, its compiler and matcher (rule texts in, lexicon files
//!   read through a function the caller passes).
//! - [`labels`]: annotator files (as text), merge strategies, agreement statistics.
//! - [`preannotate`]: prediction rows and article texts to Label Studio tasks, doccano
//!   JSON Lines and PTC span files (offsets in code points or UTF-16 units).
//! - [`eval`]: sentence- and span-level metrics, per-rule analysis, bootstrap, and
//!   [`eval::report()`] from tables in memory to the report.
//! - [`builtin`]: the default rule pack and the demo sample, embedded (bytes, no file read).
//! - [`partial_format`]: the version keys of the partial results that `combine` adds up.
//! - [`shard`]: shards of a corpus by article id (FNV-1a-64 of the id, mod N).
//! - [`stats`]: the counts of `stats` from histograms, and their mergeable partials.
//! - [`text`]: UTF-8 decoding with the place of the first invalid byte, article ids from
//!   file names, csv record lines, skipped-row counts, edit distance.
//! - [`hash`]: the fast hash (FxHash) of the maps and sets keyed by ids and words.
//! - [`error`]: usage errors (exit 2 in the command line) versus data errors.

pub mod builtin;
pub mod error;
pub mod eval;
pub mod hash;
pub mod labels;
pub mod offsets;
pub mod partial_format;
pub mod preannotate;
pub mod rows;
pub mod rules;
pub mod segment;
pub mod sentences;
pub mod shard;
pub mod stats;
pub mod text;
