//! A corpus of article sources to the sentence table: read, split and written in parallel
//! batches, in input order, so memory stays flat however large the corpus.

use std::path::Path;

use anyhow::Result;
use rayon::prelude::*;

use crate::corpus::{self, Article, IdRegistry, InputFormat, ReadOptions, Source};
use crate::progress::Console;
use crate::rows::SentenceRow;
use crate::segment::SplitOptions;
use crate::sentences::sentence_rows;
use crate::tables::{self, Format, TableWriter};

/// Articles are read and split in batches of about this many bytes, so memory stays flat
/// however large the corpus.
const BATCH_BYTES: usize = 8 << 20;

/// What a split run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SplitSummary {
    /// Articles read.
    pub articles: u64,
    /// Articles with no visible text (no rows).
    pub empty: u64,
    /// Sentences written.
    pub sentences: u64,
    /// Bytes of article text.
    pub bytes: u64,
}

/// Sources are read, split and (for CSV) encoded in parallel batches of about this many
/// bytes or this many sources; the batch is then written in input order.
const BATCH_SOURCES: usize = 4096;

/// One article after splitting: its rows, or for CSV output the rows already encoded.
struct SplitArticle {
    article: Article,
    text_bytes: u64,
    sentences: u64,
    rows: Vec<SentenceRow>,
    csv: Vec<u8>,
}

/// The split articles of one batch of sources, with each source's warnings.
type Batch = Vec<(Vec<SplitArticle>, Vec<String>)>;

fn split_source(
    source: &Source,
    read: &ReadOptions,
    split: &SplitOptions,
    format: Format,
) -> Result<(Vec<SplitArticle>, Vec<String>)> {
    let mut warnings = Vec::new();
    let articles = match source {
        // A Parquet or Arrow table of articles: read as the CSV it holds.
        Source::File(p)
            if tables::frame::is_columnar(p)
                && matches!(read.format, InputFormat::Auto | InputFormat::Csv) =>
        {
            let text = tables::frame::csv_text(p)?;
            corpus::parse_csv(&source.display(), &text, &read.fields)?
        }
        _ => corpus::read_source(source, read, &mut warnings)?,
    };
    let mut out = Vec::with_capacity(articles.len());
    for mut article in articles {
        let rows = sentence_rows(&article.id, &article.text, article.has_title, split);
        let sentences = rows.len() as u64;
        let (rows, csv) = if format == Format::Csv {
            (Vec::new(), tables::encode_csv(&rows)?)
        } else {
            (rows, Vec::new())
        };
        let text_bytes = article.text.len() as u64;
        // Only the id and origin are needed from here on.
        article.text = String::new();
        out.push(SplitArticle {
            article,
            text_bytes,
            sentences,
            rows,
            csv,
        });
    }
    Ok((out, warnings))
}

/// Splits every article of `sources` into `output`, in input order, in parallel batches.
pub fn split_to(
    sources: &[Source],
    read: &ReadOptions,
    split: &SplitOptions,
    output: Option<&Path>,
    format: Format,
    csv: tables::CsvOptions,
    console: Console,
) -> Result<SplitSummary> {
    let sizes: Vec<u64> = sources.iter().map(corpus::size_hint).collect();
    let bar = console.bytes_bar(sizes.iter().sum(), "articles");
    let mut writer = TableWriter::<SentenceRow>::create_with(output, format, csv)?;
    let mut ids = IdRegistry::default();
    let mut summary = SplitSummary::default();
    // Batch boundaries: up to BATCH_BYTES of input or BATCH_SOURCES sources (at least one).
    let mut batches = Vec::new();
    let mut begin = 0;
    while begin < sources.len() {
        let mut end = begin;
        let mut bytes = 0;
        while end < sources.len()
            && (end == begin || (bytes < BATCH_BYTES as u64 && end - begin < BATCH_SOURCES))
        {
            bytes += sizes[end];
            end += 1;
        }
        batches.push(begin..end);
        begin = end;
    }
    let process = |range: &std::ops::Range<usize>| -> Result<Batch> {
        let results: Vec<Result<(Vec<SplitArticle>, Vec<String>)>> = sources[range.clone()]
            .par_iter()
            .map(|s| split_source(s, read, split, format))
            .collect();
        results.into_iter().collect()
    };
    // Writes one processed batch. The whole batch is checked before any of it is written,
    // so an error in a batch leaves none of its rows on stdout (a file output is removed
    // anyway).
    let mut write = |begin: usize, results: Batch| -> Result<()> {
        for (articles, _) in &results {
            for a in articles {
                ids.check(&a.article)?;
            }
        }
        for (i, (articles, warnings)) in results.into_iter().enumerate() {
            for w in warnings {
                console.warn(w);
            }
            for a in articles {
                if a.sentences == 0 {
                    summary.empty += 1;
                    console.warn(format!(
                        "{}: empty article (no sentences)",
                        a.article.origin
                    ));
                }
                summary.articles += 1;
                summary.sentences += a.sentences;
                summary.bytes += a.text_bytes;
                if format == Format::Csv {
                    writer.write_csv_bytes(&a.csv, a.sentences)?;
                } else {
                    writer.write_all(a.rows)?;
                }
            }
            bar.inc(sizes[begin + i]);
        }
        bar.set_message(summary.articles.to_string());
        Ok(())
    };
    // Batch k+1 is read and split while batch k is written.
    let mut pending: Option<(usize, Batch)> = None;
    for range in &batches {
        let (written, processed) = rayon::join(
            || pending.take().map_or(Ok(()), |(b, r)| write(b, r)),
            || process(range),
        );
        written?;
        pending = Some((range.start, processed?));
    }
    if let Some((b, r)) = pending {
        write(b, r)?;
    }
    bar.finish_and_clear();
    writer.finish()?;
    Ok(summary)
}
