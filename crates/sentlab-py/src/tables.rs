//! The output tables, with the columns and types of the command line's Arrow outputs:
//! text as `large_string`, `index`, `paragraph` and `votes` as `uint32`, offsets as
//! `uint64`; an evaluation report's counts as `int64` and fractions as `float64` (an empty
//! cell null), as `sentlab eval -o report.arrow` writes them.

use std::sync::Arc;

use arrow_array::{
    ArrayRef, Float64Array, Int64Array, LargeStringArray, RecordBatch, UInt32Array, UInt64Array,
};
use arrow_schema::{Field, Schema};
use sentlab_core::rows::{GoldRow, PredictionRow, SentenceRow};

use crate::columns::DataError;

/// The columns of the sentence table, in order.
pub const SENTENCE_COLUMNS: &[&str] = &[
    "article_id",
    "sentence_id",
    "index",
    "paragraph",
    "kind",
    "start",
    "end",
    "text",
];

/// The integer columns of a report (as the command line reads its tables back).
const INTEGER_COLUMNS: &[&str] = &[
    "tp",
    "fp",
    "fn",
    "support",
    "predicted",
    "fired",
    "unique_tp",
    "votes",
];

fn is_fraction_column(name: &str) -> bool {
    ["precision", "recall", "f1"]
        .iter()
        .any(|m| name == *m || name == format!("{m}_lo") || name == format!("{m}_hi"))
}

fn strings<'a>(values: impl Iterator<Item = &'a str>) -> ArrayRef {
    Arc::new(values.map(Some).collect::<LargeStringArray>())
}

fn batch(columns: Vec<(&str, ArrayRef)>) -> RecordBatch {
    let fields: Vec<Field> = columns
        .iter()
        .map(|(n, a)| Field::new(*n, a.data_type().clone(), true))
        .collect();
    let arrays = columns.into_iter().map(|(_, a)| a).collect();
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays).expect("columns of one length")
}

/// The sentence table of `rows`.
pub fn sentences(rows: &[SentenceRow]) -> RecordBatch {
    batch(vec![
        (
            "article_id",
            strings(rows.iter().map(|r| r.article_id.as_str())),
        ),
        (
            "sentence_id",
            strings(rows.iter().map(|r| r.sentence_id.as_str())),
        ),
        (
            "index",
            Arc::new(rows.iter().map(|r| r.index).collect::<UInt32Array>()),
        ),
        (
            "paragraph",
            Arc::new(rows.iter().map(|r| r.paragraph).collect::<UInt32Array>()),
        ),
        ("kind", strings(rows.iter().map(|r| r.kind.as_str()))),
        (
            "start",
            Arc::new(rows.iter().map(|r| r.start).collect::<UInt64Array>()),
        ),
        (
            "end",
            Arc::new(rows.iter().map(|r| r.end).collect::<UInt64Array>()),
        ),
        ("text", strings(rows.iter().map(|r| r.text.as_str()))),
    ])
}

/// The prediction table of `rows`.
pub fn predictions(rows: &[PredictionRow]) -> RecordBatch {
    batch(vec![
        (
            "sentence_id",
            strings(rows.iter().map(|r| r.sentence_id.as_str())),
        ),
        ("label", strings(rows.iter().map(|r| r.label.as_str()))),
        ("rule_id", strings(rows.iter().map(|r| r.rule_id.as_str()))),
        (
            "start",
            Arc::new(rows.iter().map(|r| r.start).collect::<UInt64Array>()),
        ),
        (
            "end",
            Arc::new(rows.iter().map(|r| r.end).collect::<UInt64Array>()),
        ),
        ("match", strings(rows.iter().map(|r| r.matched.as_str()))),
    ])
}

/// The gold table of `rows` (the command line's `labels merge -o gold.arrow`).
pub fn gold(rows: &[GoldRow]) -> RecordBatch {
    batch(vec![
        (
            "sentence_id",
            strings(rows.iter().map(|r| r.sentence_id.as_str())),
        ),
        ("label", strings(rows.iter().map(|r| r.label.as_str()))),
        (
            "votes",
            Arc::new(rows.iter().map(|r| r.votes).collect::<UInt32Array>()),
        ),
        (
            "annotators",
            strings(rows.iter().map(|r| r.annotators.as_str())),
        ),
    ])
}

/// A report rendered as CSV, as a table: integer and fraction columns as numbers (an empty
/// cell null), the others text.
pub fn report(csv_text: &str) -> Result<RecordBatch, DataError> {
    let mut reader = csv::ReaderBuilder::new().from_reader(csv_text.as_bytes());
    let bad = |e: csv::Error| DataError(format!("report: {e}"));
    let header: Vec<String> = reader
        .headers()
        .map_err(bad)?
        .iter()
        .map(str::to_string)
        .collect();
    let records: Vec<csv::StringRecord> =
        reader.records().collect::<Result<_, _>>().map_err(bad)?;
    let mut columns = Vec::with_capacity(header.len());
    for (c, name) in header.iter().enumerate() {
        let cells = || records.iter().map(|r| r.get(c).unwrap_or(""));
        let integer = INTEGER_COLUMNS.contains(&name.as_str())
            || sentlab_core::eval::MATCH_COUNT_COLUMNS.contains(&name.as_str());
        let array: ArrayRef = if integer {
            Arc::new(
                cells()
                    .map(|v| v.parse::<i64>().ok())
                    .collect::<Int64Array>(),
            )
        } else if is_fraction_column(name) {
            Arc::new(
                cells()
                    .map(|v| v.parse::<f64>().ok())
                    .collect::<Float64Array>(),
            )
        } else {
            Arc::new(
                cells()
                    .map(|v| (!v.is_empty()).then_some(v))
                    .collect::<LargeStringArray>(),
            )
        };
        columns.push((name.as_str(), array));
    }
    Ok(batch(columns))
}
