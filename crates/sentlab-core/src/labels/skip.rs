//! Input rows that are not merged, and why (reported by import and by the merge).

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why an input row was not merged.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum SkipReason {
    /// The sentence id is not in the sentence table.
    UnknownSentence,
    /// A span's article is not in the sentence table.
    UnknownArticle,
    /// The label is not in the schema (with the closest known name).
    UnknownLabel {
        /// The closest schema name by edit distance.
        closest: Option<String>,
    },
    /// The same annotator gave the same label to the same sentence before.
    Duplicate,
    /// A span file line repeats an earlier span (same article, label, start and end).
    DuplicateSpan,
    /// A span ends past the article's text.
    OutsideArticle {
        /// The span end.
        end: u64,
        /// The article length.
        length: u64,
    },
    /// A span overlaps no sentence by at least `min_overlap` code points.
    NoOverlap {
        /// The threshold in force.
        min_overlap: u64,
    },
    /// A span of an annotation tool's export whose start is not before its end.
    EmptySpan {
        /// The span start as exported.
        start: u64,
        /// The span end as exported.
        end: u64,
    },
    /// A span that does not fit the offset unit forced with `--offsets` (its text differs
    /// from the slice, or an offset falls inside a character); never shifted.
    OffsetMismatch {
        /// The unit in force (`codepoint`, `utf16`, `grapheme`).
        unit: String,
        /// The span start as exported.
        start: u64,
        /// The span end as exported.
        end: u64,
        /// What does not fit.
        detail: String,
    },
    /// A Label Studio result on an article task that is no span (no integer
    /// `value.start`/`value.end`, or no labels).
    NotASpan {
        /// The result's `type`.
        kind: String,
    },
    /// A Prodigy task whose `answer` is not `accept`.
    NotAccepted {
        /// The answer given.
        answer: String,
    },
}

impl SkipReason {
    /// A short key for counting (`unknown-sentence`, `duplicate`, ...).
    pub fn key(&self) -> &'static str {
        match self {
            SkipReason::UnknownSentence => "unknown-sentence",
            SkipReason::UnknownArticle => "unknown-article",
            SkipReason::UnknownLabel { .. } => "unknown-label",
            SkipReason::Duplicate => "duplicate",
            SkipReason::DuplicateSpan => "duplicate-span",
            SkipReason::OutsideArticle { .. } => "outside-article",
            SkipReason::NoOverlap { .. } => "no-overlap",
            SkipReason::EmptySpan { .. } => "empty-span",
            SkipReason::OffsetMismatch { .. } => "offset-mismatch",
            SkipReason::NotASpan { .. } => "not-a-span",
            SkipReason::NotAccepted { .. } => "not-accepted",
        }
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::UnknownSentence => write!(f, "unknown sentence id"),
            SkipReason::UnknownArticle => write!(f, "unknown article id"),
            SkipReason::UnknownLabel { closest: Some(c) } => {
                write!(f, "unknown label (closest known: `{c}`)")
            }
            SkipReason::UnknownLabel { closest: None } => write!(f, "unknown label"),
            SkipReason::Duplicate => write!(f, "duplicate row (same annotator, sentence, label)"),
            SkipReason::DuplicateSpan => {
                write!(f, "duplicate span (same article, label, start and end)")
            }
            SkipReason::OutsideArticle { end, length } => {
                write!(f, "span end {end} is past the article's length {length}")
            }
            SkipReason::NoOverlap { min_overlap } => {
                write!(
                    f,
                    "span overlaps no sentence by {min_overlap} code point(s)"
                )
            }
            SkipReason::EmptySpan { start, end } => {
                write!(f, "span start {start} is not before its end {end}")
            }
            SkipReason::OffsetMismatch {
                unit,
                start,
                end,
                detail,
            } => write!(
                f,
                "span {start}..{end} does not fit --offsets {unit}: {detail}"
            ),
            SkipReason::NotASpan { kind } => write!(
                f,
                "result of type `{kind}` on an article task is no span (no integer value.start/value.end, or no labels)"
            ),
            SkipReason::NotAccepted { answer } => {
                write!(f, "task answered `{answer}`, not `accept`")
            }
        }
    }
}

/// An input row that was not merged, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedRow {
    /// The file name.
    pub file: String,
    /// 1-based line.
    pub line: u64,
    /// The annotator.
    pub annotator: String,
    /// The sentence id (for span files: the article id).
    pub sentence_id: String,
    /// The label as written (empty for a "seen, no label" row).
    pub label: String,
    /// Why it was skipped.
    #[serde(flatten)]
    pub reason: SkipReason,
}

impl fmt::Display for SkippedRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {} (annotator `{}`, sentence `{}`, label `{}`)",
            self.file, self.line, self.reason, self.annotator, self.sentence_id, self.label
        )
    }
}
