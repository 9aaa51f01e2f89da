//! Annotator label files → merged gold labels, agreement statistics and conflicts.
//!
//! This module is pure: it takes file contents as text and returns values; the caller
//! reads and writes files. The flow the `labels merge` command follows:
//!
//! 1. [`SentenceIndex::new`] over the sentence table (sentence order = table order).
//! 2. [`parse_label_file`] for each annotator file (format detected by [`detect_format`]
//!    or forced), optionally with a [`Schema`] from [`Schema::from_toml`].
//! 3. [`merge`] with a [`MergeOptions`] (strategy, tie rule, strictness, coverage,
//!    adjudicator) → [`Merged`]: gold rows, a [`MergeSummary`] (skipped rows, warnings)
//!    and the vote table.
//! 4. [`agreement`] on the merged vote table → [`AgreementReport`] (JSON via serde,
//!    text via [`render_table`]).
//! 5. [`conflicts`] → [`Conflict`] rows (who said yes, who said no).
//!
//! Internally sentence ids, labels and annotators are interned to `u32`, so the merge
//! does no per-row string work beyond the one hash look-up when a file is parsed
//! (known sentence ids are resolved against the [`SentenceIndex`] right away).
//!
//! # Formats ([`Format`])
//! long CSV (`sentence_id,label[,annotator]`), wide CSV (`sentence_id` + one 0/1 column
//! per label), the sentence table plus a `;`-separated `labels` column, PTC span files
//! (projected onto sentences they overlap by `min_overlap` code points), doccano JSONL
//! and Label Studio JSON. CSV fields are trimmed; labels may contain commas (quoted).
//! Without an `annotator` column/field the annotator is the file stem of the name given.
//!
//! # Choices
//! * **Coverage**: an annotator saw every sentence of each article appearing in their
//!   rows (and, for a span file, the article its file name names: an empty span file is
//!   "seen, no spans"), unless [`MergeOptions::coverage`] lists their sentences; a
//!   labelled sentence is always seen. A label missing on a seen sentence is a "no";
//!   unseen = missing.
//! * **Majority**: yes when `2·yes > seen`; `2·yes == seen` is a tie decided by
//!   [`TieRule`] (default no).
//! * **Adjudicator**: on the sentences it covers (same coverage rule) its label set is the
//!   gold; the row's `annotators` then lists the agreeing voters plus the adjudicator
//!   and `votes` counts them. It takes no part in agreement and conflicts.
//! * **Accounting**: every input entry (long row, wide 1-cell, label in a `labels` cell,
//!   span, JSON label; a row without labels counts once as "seen") is merged or in
//!   [`MergeSummary::skipped`] with a [`SkipReason`]; `strict` makes the first skip an
//!   error. Exact duplicate span lines are duplicates; distinct spans of one label that
//!   hit the same sentence are simply merged.
//! * **Agreement**: see [`agreement`](fn@agreement), whose doc lists the formulas
//!   (per label yes/no per seen sentence; overall pools (sentence, label) items of the
//!   used labels; Fleiss generalised to unequal rater counts).

mod agreement;
mod error;
mod import;
pub(crate) mod intern;
mod json;
mod merge;
mod parse;
mod project;
mod schema;
mod skip;
#[cfg(test)]
mod tests;

pub use agreement::{
    Agreement, AgreementReport, Items, LabelAgreement, MAX_PAIR_ROWS, PairKappa, PairwiseOmitted,
    Stat, agreement, cohen_kappa, fleiss_kappa, krippendorff_alpha_nominal, percent_agreement,
    render_table,
};
pub use error::LabelsError;
pub use import::{Format, ImportOptions, LabelEntry, LabelFile, SentenceIndex, detect_format};
pub use merge::{
    Conflict, GoldRowRef, LabelCounts, MergeOptions, MergeSummary, Merged, Strategy, TieRule,
    conflicts, label_counts, label_counts_of, merge, merge_compact,
};
pub use parse::{parse_label_file, parse_span_files};
pub use schema::{LabelDef, Schema, closest_name, edit_distance};
pub use skip::{SkipReason, SkippedRow};

/// Result alias of this module.
pub type Result<T, E = LabelsError> = std::result::Result<T, E>;
