//! The inputs and outputs `eval` and `compare` share: gold as a label table or PTC span
//! files, prediction tables (with the place of a row for messages) and rendered reports
//! written in the format asked for.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use polars::prelude::StringChunked;

use crate::eval::LabelPairs;
use crate::labels::{self, ImportOptions, SentenceIndex};
use crate::progress::Console;
use crate::rows::{PredictionRow, SpanLabel};
use crate::tables::columns::read_columns;
use crate::tables::{self, Format, ReportOutput, frame, write_text};

/// The `sentence_id` and `label` columns of a table, read column-wise (ten million rows
/// cost two string columns, not ten million structs).
pub struct PairColumns {
    sentence_ids: StringChunked,
    labels: StringChunked,
}

impl PairColumns {
    /// Reads the two columns of `path` (an empty file is a table without rows).
    pub fn read(path: &Path) -> Result<PairColumns> {
        let df = read_columns(path, &["sentence_id", "label"], true)?;
        Ok(PairColumns {
            sentence_ids: df.column("sentence_id")?.str()?.clone(),
            labels: df.column("label")?.str()?.clone(),
        })
    }
}

impl LabelPairs for PairColumns {
    fn pairs(&self) -> Box<dyn Iterator<Item = (&str, &str)> + '_> {
        Box::new(
            self.sentence_ids
                .iter()
                .zip(self.labels.iter())
                .map(|(s, l)| (s.unwrap_or(""), l.unwrap_or(""))),
        )
    }
}

/// Whether a gold path holds PTC span files (a directory, or a `.labels` / tab-separated file).
pub fn is_span_gold(path: &Path) -> Result<bool> {
    if path.is_dir() {
        return Ok(true);
    }
    if path.extension().is_some_and(|e| e == "labels") {
        return Ok(true);
    }
    // The first lines are enough to tell (a gold table may be gigabytes).
    let mut head = Vec::new();
    if tables::input::is_stdin(path) {
        let bytes = tables::input::stdin_bytes()?;
        head.extend_from_slice(&bytes[..bytes.len().min(64 * 1024)]);
    } else {
        use std::io::Read;
        std::fs::File::open(path)
            .and_then(|f| f.take(64 * 1024).read_to_end(&mut head))
            .with_context(|| format!("{}: cannot read file", path.display()))?;
    }
    let cut = head
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(head.len(), |i| i + 1);
    let text = String::from_utf8_lossy(&head[..cut]);
    Ok(labels::detect_format(&text) == Some(labels::Format::PtcSpans))
}

/// Gold read from PTC span files: the raw spans, the (sentence id, label) pairs they
/// project onto, and the spans that were skipped.
pub type SpanGold = (
    Vec<SpanLabel>,
    Vec<(String, String)>,
    Vec<labels::SkippedRow>,
);

/// Raw spans of PTC span files and their projection (the label importer validates every
/// line and names file:line); the importer's warnings are printed as `labels merge` prints
/// them.
pub fn read_spans(files: &[PathBuf], index: &SentenceIndex, console: Console) -> Result<SpanGold> {
    let mut spans = Vec::new();
    let mut pairs = Vec::new();
    let mut skipped = Vec::new();
    let opts = ImportOptions {
        format: Some(labels::Format::PtcSpans),
        ..ImportOptions::default()
    };
    for f in files {
        let name = tables::input::display_name(f);
        let text = tables::read_csv_text(f)?;
        let file = labels::parse_label_file(&name, &text, index, &opts)?;
        for w in file.warnings() {
            console.warn(w);
        }
        skipped.extend_from_slice(file.skipped());
        pairs.extend(file.label_pairs(index));
        spans.extend_from_slice(file.spans());
    }
    Ok((spans, pairs, skipped))
}

/// Writes a rendered report: text as it is, CSV rows converted to the table format asked
/// for (numbers as numbers).
pub fn write_report(
    path: Option<&Path>,
    output: ReportOutput,
    csv: tables::CsvOptions,
    text: &str,
) -> Result<()> {
    match output {
        ReportOutput::Rows(format) if format != Format::Csv => {
            let mut df = frame::report_frame_from_csv("report", text.as_bytes().to_vec())?;
            frame::write_frame(path, format, &mut df)
        }
        ReportOutput::Rows(_) => tables::write_csv_text(path, text, csv),
        _ => write_text(path, text),
    }
}

/// `file:line` of the data row `row` (0-based) of a prediction table: the line the CSV
/// record starts on, or the row's line in JSON Lines (blank lines are not rows).
pub fn row_place(path: &Path, row: usize) -> String {
    let name = tables::input::display_name(path);
    let Ok(input) = tables::input::read(path) else {
        return format!("{name}: data row {}", row + 1);
    };
    let format = input.format;
    let Ok(text) = tables::input_text(input) else {
        return format!("{name}: data row {}", row + 1);
    };
    let line = if format == Format::Jsonl {
        text.lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .nth(row)
            .map(|(i, _)| i as u64 + 1)
    } else {
        crate::sentence_table::record_lines(&text, row)
            .get(row)
            .copied()
    };
    match line {
        Some(l) => format!("{name}:{l}"),
        None => format!("{name}: data row {}", row + 1),
    }
}

/// The rows of a prediction table (CSV or JSON Lines); an empty file has none.
pub fn read_predictions(path: &Path) -> Result<Vec<PredictionRow>> {
    let input = tables::input::read(path)?;
    let (name, format) = (input.name.clone(), input.format);
    let text = tables::input_text(input)?;
    // An empty (or blank) text file is a table without rows.
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    match format {
        Format::Jsonl => tables::parse_jsonl_table(&name, &text),
        _ => tables::parse_csv_table(&name, &text),
    }
}
