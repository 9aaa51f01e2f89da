//! Running a compiled rule set over the sentence table: the prediction rows, in table
//! order, matched article by article in parallel (document-level rules see the whole
//! article).

use std::path::Path;

use anyhow::Result;
use rayon::prelude::*;

use crate::progress::Console;
use crate::rows::{PredictionRef, PredictionRow};
use crate::rules::{ArticleSentence, Hit, Matcher};
use crate::sentence_table::SentenceTable;
use crate::tables::{Format, TableWriter};

/// The sentences of one article of the table (`group`: its row indices), for the matcher.
pub fn article_sentences<'a>(
    table: &'a SentenceTable,
    group: &[usize],
) -> Vec<ArticleSentence<'a>> {
    group.iter().map(|&i| table.sentence(i)).collect()
}

/// Runs the matcher over every article in parallel; predictions in table order. Articles go
/// in chunks; `on_batch` gets one chunk's predictions (borrowing the table and the rules) and
/// the bytes of text matched, on a thread of its own while the next chunk is matched.
pub fn extract_rows(
    matcher: &Matcher,
    table: &SentenceTable,
    mut on_batch: impl FnMut(&[PredictionRef<'_>], u64) -> Result<()> + Send,
) -> Result<()> {
    let groups = table.articles();
    let match_chunk = |chunk: &[Vec<usize>]| -> (Vec<Vec<Hit>>, u64) {
        let hits: Vec<Vec<Hit>> = chunk
            .par_iter()
            .map(|g| matcher.article_hits(&article_sentences(table, g)))
            .collect();
        let bytes: u64 = chunk
            .iter()
            .flatten()
            .map(|&i| table.text(i).len() as u64)
            .sum();
        (hits, bytes)
    };
    const CHUNK: usize = 512;
    // Chunks are written on their own thread (also with `--threads 1`) while the next one is
    // matched; at most one matched chunk waits.
    std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::sync_channel::<(usize, Vec<Vec<Hit>>, u64)>(1);
        let groups = &groups;
        let writer = scope.spawn(move || -> Result<()> {
            let mut preds = Vec::new();
            for (first, hits, bytes) in receive {
                preds.clear();
                for (group, hits) in groups[first..].iter().zip(&hits) {
                    if !hits.is_empty() {
                        let sentences = article_sentences(table, group);
                        preds.extend(hits.iter().map(|h| matcher.prediction(&sentences, h)));
                    }
                }
                on_batch(&preds, bytes)?;
            }
            Ok(())
        });
        for (k, chunk) in groups.chunks(CHUNK).enumerate() {
            let (hits, bytes) = match_chunk(chunk);
            if send.send((k * CHUNK, hits, bytes)).is_err() {
                // The writer stopped on an error, reported below.
                break;
            }
        }
        drop(send);
        writer.join().expect("the writer thread does not panic")
    })
}

/// What an extract run did.
#[derive(Debug, Default, Clone, Copy)]
pub struct ExtractSummary {
    /// Prediction rows written.
    pub predictions: u64,
    /// Distinct sentences with at least one prediction.
    pub sentences_hit: u64,
    /// Bytes of sentence text matched.
    pub bytes: u64,
}

/// Extracts predictions from `rows` into `output`.
pub fn extract_to(
    matcher: &Matcher,
    table: &SentenceTable,
    output: Option<&Path>,
    format: Format,
    csv: crate::tables::CsvOptions,
    console: Console,
) -> Result<ExtractSummary> {
    let total = table.text_bytes();
    let bar = console.bytes_bar(total, "");
    let mut writer = TableWriter::<PredictionRow>::create_with(output, format, csv)?;
    let mut summary = ExtractSummary::default();
    let mut last_sentence = String::new();
    extract_rows(matcher, table, |preds, bytes| {
        for p in preds {
            if p.sentence_id != last_sentence {
                summary.sentences_hit += 1;
                p.sentence_id.clone_into(&mut last_sentence);
            }
        }
        summary.predictions += preds.len() as u64;
        summary.bytes += bytes;
        bar.inc(bytes);
        writer.write_refs(preds, PredictionRef::to_row)
    })?;
    bar.finish_and_clear();
    writer.finish()?;
    Ok(summary)
}

/// The predictions of `matcher` on `table`, in memory (with a progress bar).
pub fn predictions(
    matcher: &Matcher,
    table: &SentenceTable,
    console: Console,
) -> Result<Vec<PredictionRow>> {
    let bar = console.bytes_bar(table.text_bytes(), "");
    let mut rows = Vec::new();
    extract_rows(matcher, table, |preds, bytes| {
        rows.extend(preds.iter().map(PredictionRef::to_row));
        bar.inc(bytes);
        Ok(())
    })?;
    bar.finish_and_clear();
    Ok(rows)
}

impl ExtractSummary {
    /// The counts of prediction rows in table order (bytes of text are not known here).
    pub fn of(rows: &[PredictionRow]) -> ExtractSummary {
        let mut sentences_hit = 0;
        let mut last: Option<&str> = None;
        for r in rows {
            if last != Some(r.sentence_id.as_str()) {
                sentences_hit += 1;
                last = Some(&r.sentence_id);
            }
        }
        ExtractSummary {
            predictions: rows.len() as u64,
            sentences_hit,
            bytes: 0,
        }
    }
}
