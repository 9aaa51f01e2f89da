//! # sentlab
//!
//! Sentence-level annotated corpora from news articles, and rule-based extractors
//! benchmarked against human gold labels. One subcommand per step; every step reads tables
//! and writes tables (see [`rows`] for the columns):
//!
//! ```text
//! raw articles ─► split ─► sentence table ─┬─► extract (rules) ─► prediction table ─┐
//! annotator files ─► labels merge ─► gold table + agreement ───────────────────────┴─► eval
//! ```
//!
//! The pure parts (splitting, the rule engine, labels, evaluation) are the library crate
//! `sentlab-core`, which reads no file and does not use polars; this crate re-exports its
//! modules ([`rows`], [`offsets`], [`segment`], [`sentences`], [`rules`], [`labels`],
//! [`eval`], [`error`]) and does the I/O around them.
//!
//! ## Map
//! - [`rows`]: the row types of every table (the public data contracts).
//! - [`offsets`]: byte <-> code point offsets (tables count code points, like the PTC).
//! - [`segment`]: the English sentence splitter, pure: `&str` in, byte spans out.
//! - [`sentences`]: an article's text to sentence rows (title line, body, code points).
//! - [`corpus`]: articles from text files, directories, JSON Lines, CSV, stdin.
//! - [`article_stream`]: JSON Lines and CSV article files read a chunk at a time.
//! - [`split_corpus`]: a corpus of articles to the sentence table, in parallel batches
//!   (`split`, `run`).
//! - [`tables`]: table formats and their detection, reading and writing tables (CSV, JSON
//!   Lines, Parquet, Arrow IPC), atomic file output.
//! - [`sentence_table`]: the sentence table as `extract` holds it (rows are ranges of the
//!   file's text; plain CSV records cut with `memchr`, in parallel parts).
//! - [`walk`]: the files of an input directory (hidden entries, links and FIFOs sorted out).
//! - [`path_guard`]: refuses an output that is an input (or another output) before any
//!   work.
//! - [`signals`]: on SIGINT, SIGTERM or SIGHUP, temporary outputs are removed before exiting.
//! - [`progress`]: progress bars and messages on stderr.
//! - [`cli`] and [`commands`]: the command line; each command turns its flags into options
//!   once, does its I/O at the edges and calls the library; no command uses another.
//! - [`pipeline`]: the config of `sentlab run` / `sentlab demo`.
//! - [`labels`]: annotator files, merge strategies, agreement statistics (pure).
//! - [`label_files`]: annotator files read, merged into gold, and the merge outputs written
//!   (`labels merge`, `stats`, `eval`, `run`).
//! - [`rules`]: the rule language, its compiler and matcher (pure; no file access).
//! - [`rule_files`]: rule files and directories, and lexicon files, read for [`rules`].
//! - [`builtin`]: the default rule pack and the demo sample, built into the binary.
//! - [`extraction`]: a compiled rule set run over the sentence table: predictions
//!   (`extract`, `run`).
//! - [`eval`]: sentence- and span-level metrics, per-rule analysis, bootstrap, and
//!   [`eval::report()`] from tables in memory to the report (pure).
//! - [`error`]: usage errors (exit 2) versus data and I/O errors (exit 1).

pub use sentlab_core::{
    error, eval, labels, offsets, partial_format, rows, rules, segment, sentences, stats,
    usage_bail,
};

pub mod article_stream;
pub mod builtin;
pub mod cli;
pub mod commands;
pub mod corpus;
pub mod extraction;
pub mod label_files;
#[cfg(test)]
mod labels_bench;
pub mod path_guard;
pub mod pipeline;
pub mod progress;
#[cfg(test)]
mod reader_fuzz;
pub mod report;
pub mod rule_files;
#[cfg(test)]
mod rules_bench;
pub mod sentence_table;
pub mod signals;
pub mod span_gold;
pub mod split_corpus;
pub mod tables;
pub mod walk;
