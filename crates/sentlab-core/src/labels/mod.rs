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
//! and Label Studio JSON, Prodigy JSONL. Article-level span exports (Label Studio tasks
//! without `data.sentence_id`, doccano lines without `sentence_id`, Prodigy tasks) are
//! read in the unit their offsets fit ([`OffsetUnit`]) and, besides the projection onto
//! sentences, give span gold by a per-code-point vote ([`merge_spans`]). CSV fields are trimmed; labels may contain commas (quoted).
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
mod agreement_ci;
mod agreement_partial;
mod error;
mod import;
pub(crate) mod intern;
mod json;
mod merge;
mod parse;
mod project;
mod schema;
mod skip;
mod span_agreement;
mod span_merge;
#[cfg(test)]
mod span_tests;
#[cfg(test)]
mod tests;
mod tool_import;

pub use agreement::{
    Agreement, AgreementReport, BootstrapInfo, Ci, Items, LabelAgreement, MAX_PAIR_ROWS, PairCis,
    PairFigures, PairKappa, PairwiseOmitted, Stat, agreement, cohen_kappa, fleiss_kappa, gwet_ac1,
    krippendorff_alpha_nominal, pair_figures, percent_agreement, render_json, render_table,
};
pub use agreement_ci::{AgreementBootstrap, MAX_BOOTSTRAP_PAIR_ROWS, bootstrap_agreement};
pub use agreement_partial::{
    AGREEMENT_PARTIAL_VERSION, AgreementPartial, CombinedAgreement, PartialUnit, combine_agreement,
};
pub use error::LabelsError;
pub use import::{
    Format, ImportOptions, LabelEntry, LabelFile, SentenceIndex, detect_format, long_rows,
};
pub use merge::{
    Conflict, GoldRowRef, LabelCounts, MergeOptions, MergeSummary, Merged, Strategy, TieRule,
    conflicts, label_counts, label_counts_of, merge, merge_compact,
};
pub use parse::{parse_label_file, parse_span_files};
pub(crate) use project::article_names_of_file_name;
pub use project::ptc_rows;
pub use schema::{LabelDef, Schema, closest_name, edit_distance};
pub use skip::{SkipReason, SkippedRow};
pub use span_agreement::{PairSpanF1, SpanF1, span_agreement, spans_only};
pub use span_merge::{SpanGold, merge_spans};
pub use tool_import::OffsetUnit;

/// Result alias of this module.
pub type Result<T, E = LabelsError> = std::result::Result<T, E>;
