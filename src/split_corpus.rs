//! A corpus of article sources to the sentence table: read, split and written in parallel
//! batches, in input order, so memory stays flat however large the corpus.

use std::path::Path;

use anyhow::Result;
use rayon::prelude::*;

use crate::article_stream::{self, ArticleStream};
use crate::corpus::{self, Article, IdRegistry, InputFormat, ReadOptions, Source};
use crate::progress::Console;
use crate::rows::SentenceRow;
use crate::segment::SplitOptions;
use crate::sentences::{for_each_sentence, sentence_rows};
use crate::tables::sentence_csv::ArticleCsv;
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

/// The split articles of one piece of work, with its warnings and its bytes of input (for
/// progress).
type Done = (Vec<SplitArticle>, Vec<String>, u64);

/// The pieces of one batch, done, in input order.
type Batch = Vec<Done>;

/// One piece of work of a batch, in input order.
enum Work {
    /// A text article file, or a Parquet/Arrow table of articles: read in the batch.
    Source(usize),
    /// An article of a JSON Lines or CSV input, read as a stream (`bytes` of input).
    Article(Article, u64),
    /// The end of a streamed input: its warnings (`bytes` of input not yet counted).
    End(Vec<String>, u64),
    /// Reading a streamed input failed here (reported after the work before it).
    Failed(anyhow::Error),
}

/// Whether `source` is read as a stream of articles (JSON Lines or CSV, not a table).
fn streamed(source: &Source, read: &ReadOptions) -> Option<InputFormat> {
    if let Source::File(p) = source
        && tables::frame::is_columnar(p)
        && matches!(read.format, InputFormat::Auto | InputFormat::Csv)
    {
        return None;
    }
    match corpus::layout_of(source, read.format) {
        layout @ (InputFormat::Jsonl | InputFormat::Csv) => Some(layout),
        InputFormat::Text | InputFormat::Auto => None,
    }
}

fn split_source(
    source: &Source,
    read: &ReadOptions,
    split: &SplitOptions,
    format: Format,
) -> Result<(Vec<SplitArticle>, Vec<String>)> {
    let mut warnings = Vec::new();
    let articles = match source {
        // A Parquet or Arrow table of articles: read as the CSV it holds, whole.
        Source::File(p)
            if tables::frame::is_columnar(p)
                && matches!(read.format, InputFormat::Auto | InputFormat::Csv) =>
        {
            let text = tables::frame::csv_text(p)?;
            corpus::parse_csv(&source.display(), &text, &read.fields)?
        }
        _ => corpus::read_source(source, read, &mut warnings)?,
    };
    let out = articles
        .into_iter()
        .map(|a| split_article(a, split, format))
        .collect::<Result<_>>()?;
    Ok((out, warnings))
}

fn split_article(
    mut article: Article,
    split: &SplitOptions,
    format: Format,
) -> Result<SplitArticle> {
    let (rows, csv, sentences) = if format == Format::Csv {
        // Encoded here, on the worker: the writer only copies the bytes.
        let encoder = ArticleCsv::new(&article.id);
        // News sentences run well under 160 bytes of record per 100 bytes of text.
        let mut csv = Vec::with_capacity(article.text.len() * 3 / 2 + 256);
        let mut sentences = 0;
        for_each_sentence(&article.text, article.has_title, split, |s| {
            encoder.push(&mut csv, &s);
            sentences += 1;
        });
        (Vec::new(), csv, sentences)
    } else {
        let rows = sentence_rows(&article.id, &article.text, article.has_title, split);
        let sentences = rows.len() as u64;
        (rows, Vec::new(), sentences)
    };
    let text_bytes = article.text.len() as u64;
    // Only the id and origin are needed from here on.
    article.text = String::new();
    Ok(SplitArticle {
        article,
        text_bytes,
        sentences,
        rows,
        csv,
    })
}

/// Where reading the inputs is: the next source, and the streamed input being read.
struct Reading<'a> {
    sources: &'a [Source],
    sizes: &'a [u64],
    read: &'a ReadOptions,
    next: usize,
    stream: Option<(ArticleStream, u64)>,
    batch_bytes: usize,
    chunk_bytes: usize,
    failed: bool,
}

impl Reading<'_> {
    /// The next batch of work: up to `batch_bytes` of input or BATCH_SOURCES pieces (at
    /// least one); empty at the end. Streamed articles are read here, in order.
    fn batch(&mut self) -> Vec<Work> {
        let mut work = Vec::new();
        let mut bytes = 0;
        while !self.failed
            && (work.is_empty() || (bytes < self.batch_bytes && work.len() < BATCH_SOURCES))
        {
            if let Some((stream, counted)) = &mut self.stream {
                match stream.next_article() {
                    Ok(Some(article)) => {
                        let read = stream.bytes_read();
                        bytes += article.text.len();
                        work.push(Work::Article(article, read - *counted));
                        *counted = read;
                    }
                    Ok(None) => {
                        let end = Work::End(stream.warnings(), stream.bytes_read() - *counted);
                        work.push(end);
                        self.stream = None;
                    }
                    Err(e) => {
                        work.push(Work::Failed(e));
                        self.failed = true;
                    }
                }
                continue;
            }
            let Some(source) = self.sources.get(self.next) else {
                break;
            };
            let i = self.next;
            self.next += 1;
            match streamed(source, self.read) {
                Some(layout) => {
                    match ArticleStream::open(source, layout, self.read, self.chunk_bytes) {
                        Ok(stream) => self.stream = Some((stream, 0)),
                        Err(e) => {
                            work.push(Work::Failed(e));
                            self.failed = true;
                        }
                    }
                }
                None => {
                    bytes += self.sizes[i] as usize;
                    work.push(Work::Source(i));
                }
            }
        }
        work
    }
}

/// Splits every article of `sources` into `output`, in input order, in parallel batches.
/// JSON Lines and CSV inputs are read a chunk at a time, their articles batched like files.
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
    let test_chunk = article_stream::chunk_bytes();
    let mut reading = Reading {
        sources,
        sizes: &sizes,
        read,
        next: 0,
        stream: None,
        batch_bytes: test_chunk.unwrap_or(BATCH_BYTES),
        chunk_bytes: test_chunk.unwrap_or(article_stream::CHUNK_BYTES),
        failed: false,
    };
    let process = |work: Vec<Work>| -> Result<Batch> {
        let results: Vec<Result<Done>> =
            work.into_par_iter()
                .map(|w| match w {
                    Work::Source(i) => split_source(&sources[i], read, split, format)
                        .map(|(a, w)| (a, w, sizes[i])),
                    Work::Article(article, bytes) => Ok((
                        vec![split_article(article, split, format)?],
                        Vec::new(),
                        bytes,
                    )),
                    Work::End(warnings, bytes) => Ok((Vec::new(), warnings, bytes)),
                    Work::Failed(e) => Err(e),
                })
                .collect();
        results.into_iter().collect()
    };
    // Writes one processed batch. The whole batch is checked before any of it is written,
    // so an error in a batch leaves none of its rows on stdout (a file output is removed
    // anyway).
    let mut write = |results: Batch| -> Result<()> {
        for (articles, _, _) in &results {
            for a in articles {
                ids.check(&a.article)?;
            }
        }
        for (articles, warnings, bytes) in results {
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
            bar.inc(bytes);
        }
        bar.set_message(summary.articles.to_string());
        Ok(())
    };
    // Batch k+1 is read and split while batch k is written.
    let mut pending: Option<Batch> = None;
    loop {
        let (written, processed) = rayon::join(
            || pending.take().map_or(Ok(()), &mut write),
            || {
                let work = reading.batch();
                if work.is_empty() {
                    None
                } else {
                    Some(process(work))
                }
            },
        );
        written?;
        match processed {
            Some(batch) => pending = Some(batch?),
            None => break,
        }
    }
    bar.finish_and_clear();
    writer.finish()?;
    Ok(summary)
}
