//! Evaluation core of `sentlab eval`: pure functions from rows (or interned ids) to metrics,
//! error lists, per-rule statistics, bootstrap intervals and rendered reports.
//!
//! No file system access happens here; the CLI reads the tables and writes the outputs.
//! [`report()`] goes from the tables read to the rendered report, as `sentlab eval` and
//! `sentlab run` make it.
//!
//! Typical use (sentence level):
//!
//! ```text
//! let universe = Universe::from_sentences(&sentences)?;
//! let eval = evaluate_rows(&universe, &gold, &preds, &SentenceOptions::default())?;
//! let mut report = Report::from_sentence(&eval);
//! report.sort(SortKey::Support);
//! print!("{}", report.render(Format::Table));
//! ```
//!
//! Metric conventions are documented in [`metrics`].

pub mod bootstrap;
pub mod by_article;
pub mod by_rule;
pub mod compare;
pub mod confusion;
pub mod errors;
pub mod metrics;
pub mod partial;
pub mod render;
pub mod report;
pub mod sentence;
pub mod span;
pub mod span_match;
pub mod universe;

pub use bootstrap::{
    BootstrapOptions, BootstrapResult, Cis, Interval, bootstrap, bootstrap_matches, bootstrap_spans,
};
pub use by_article::{ArticleRow, by_article, render_articles};
pub use by_rule::{
    MatchRuleRow, RuleRow, SpanRuleRow, by_rule, by_rule_matches, by_rule_spans,
    render_match_rules, render_rules, render_span_rules,
};
pub use confusion::{Confusion, confusion, render_confusion};
pub use errors::{
    ErrorKind, ErrorRow, SentenceLookup, SpanErrorRow, error_list, render_errors_csv,
    render_span_errors_csv, span_errors_matched, span_errors_ptc,
};
pub use metrics::{Counts, Prf};
pub use partial::{
    Combined, CombinedReport, PARTIAL_VERSION, Partial, PartialArticle, SchemaId, SpanRow, combine,
};
pub use render::{
    Format, Level, MATCH_COUNT_COLUMNS, MatchReport, MatchRow, Report, Row, SortKey, csv_escape,
};
pub use report::{
    BOOTSTRAP_RANGE, DEFAULT_SEED, EvalData, EvalOptions, EvalReport, Gold, GroupBy, LabelPairs,
    Note, Predictions, Reported, Resampling, report,
};
pub use sentence::{
    Diagnostics, SentenceCounts, SentenceEval, SentenceOptions, evaluate_interned, evaluate_pairs,
    evaluate_rows,
};
pub use span::{
    PredictedSpans, PredictionSkip, SkippedPrediction, SpanCounts, SpanEval, evaluate_spans,
    predicted_spans,
};
pub use span_match::{
    Category, MatchCounts, MatchEval, MatchMode, MatchOptions, MatchSpan, Matching, SpanOutcome,
    evaluate_matches, match_spans,
};
pub use universe::{LabelSet, Universe, article_of, parse_label_list};

/// Errors of the evaluation core.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EvalError {
    /// A sentence id occurs twice in the sentence table.
    #[error("duplicate sentence id {0:?} in the sentence table")]
    DuplicateSentence(String),
    /// Strict mode: gold or predicted rows name sentences that are not in the sentence table.
    #[error(
        "{gold} gold and {pred} predicted rows name sentences outside the sentence table (e.g. {examples:?})"
    )]
    OutsideUniverse {
        /// Gold rows outside the universe.
        gold: u64,
        /// Predicted rows outside the universe.
        pred: u64,
        /// Up to five offending sentence ids.
        examples: Vec<String>,
    },
    /// An interned pair refers to a sentence or label index out of range.
    #[error(
        "interned pair ({sentence}, {label}) out of range ({n_sentences} sentences, {n_labels} labels)"
    )]
    IndexOutOfRange {
        /// Sentence index of the pair.
        sentence: u32,
        /// Label index of the pair.
        label: u32,
        /// Number of sentences.
        n_sentences: usize,
        /// Number of labels.
        n_labels: usize,
    },
    /// A span with `end < start`.
    #[error("span {article}:{start}-{end} ends before it starts")]
    BadSpan {
        /// Article of the span.
        article: String,
        /// Start offset.
        start: u64,
        /// End offset.
        end: u64,
    },
    /// A prediction row whose span has `end < start`.
    #[error(
        "data row {}: sentence `{sentence_id}`: end {end} is before start {start} (expected start <= end)",
        row + 1
    )]
    ReversedPrediction {
        /// 0-based index of the row in the prediction rows.
        row: usize,
        /// Its sentence id.
        sentence_id: String,
        /// Start offset.
        start: u64,
        /// End offset.
        end: u64,
    },
}

#[cfg(test)]
mod tests;
