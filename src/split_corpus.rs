//! A corpus of article sources to the sentence table: read, split and written in parallel
//! batches, in input order, so memory stays flat however large the corpus.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

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
use sentlab_core::shard::Shard;

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
    /// Articles left out because they are in another shard (`--shard`).
    pub other_shards: u64,
}

/// Sources are read, split and (for CSV) encoded in parallel batches of about this many
/// bytes or this many sources; the batch is then written in input order.
const BATCH_SOURCES: usize = 4096;

/// One article after splitting: for CSV output its rows are already encoded, in the
/// buffer of its [`Group`].
struct SplitArticle {
    article: Article,
    text_bytes: u64,
    sentences: u64,
    rows: Vec<SentenceRow>,
}

/// The split articles of one piece of work, with its warnings and its bytes of input (for
/// progress).
type Done = (Vec<SplitArticle>, Vec<String>, u64);

/// Consecutive pieces of work done by one worker, in input order; for CSV output the
/// records of all their articles, in order, in one buffer.
struct Group {
    pieces: Vec<Done>,
    csv: Vec<u8>,
}

/// The groups of one batch, done, in input order.
type Batch = Vec<Group>;

/// Pieces of work a worker takes at a time: large enough that a group's buffers are
/// allocated once for many articles, small enough to share a batch between the threads.
const GROUP: usize = 32;

thread_local! {
    /// The bytes of the text file being split, reused from one file to the next.
    static FILE_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// One piece of work of a batch, in input order.
enum Work {
    /// A text article file, or a Parquet/Arrow table of articles: read in the batch.
    Source(usize),
    /// An article of a JSON Lines or CSV input, read as a stream (`bytes` of input).
    Article(Article, u64),
    /// The end of a streamed input: its warnings (`bytes` of input not yet counted).
    End(Vec<String>, u64),
    /// An article of another shard, left out (`bytes` of input, for progress).
    Skipped(u64),
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

/// The articles of a shard, those of other shards counted in `skipped`.
fn in_shard(articles: Vec<Article>, shard: Option<Shard>, skipped: &AtomicU64) -> Vec<Article> {
    let Some(shard) = shard else {
        return articles;
    };
    let before = articles.len();
    let kept: Vec<Article> = articles
        .into_iter()
        .filter(|a| shard.contains(&a.id))
        .collect();
    skipped.fetch_add((before - kept.len()) as u64, Ordering::Relaxed);
    kept
}

#[allow(clippy::too_many_arguments)]
fn split_source(
    source: &Source,
    size: u64,
    read: &ReadOptions,
    split: &SplitOptions,
    format: Format,
    csv: &mut Vec<u8>,
    shard: Option<Shard>,
    skipped: &AtomicU64,
) -> Result<(Vec<SplitArticle>, Vec<String>)> {
    let mut warnings = Vec::new();
    let articles = match source {
        // A Parquet or Arrow table of articles: read as the CSV it holds, whole.
        Source::File(p)
            if tables::frame::is_columnar(p)
                && matches!(read.format, InputFormat::Auto | InputFormat::Csv) =>
        {
            let text = tables::frame::csv_text(p)?;
            in_shard(
                corpus::parse_csv(&source.display(), &text, &read.fields)?,
                shard,
                skipped,
            )
        }
        // A text article: read into this thread's buffer and split from there. Text that
        // is not UTF-8 is read again below, for the message (or `--lossy`). (A file of
        // another shard is left out before it is read: see `Reading::batch`.)
        Source::File(p) if corpus::layout_of(source, read.format) == InputFormat::Text => {
            let done = FILE_BUFFER.with_borrow_mut(|buf| -> Result<Option<SplitArticle>> {
                corpus::read_file_into(p, size, buf)?;
                let Ok(text) = std::str::from_utf8(buf) else {
                    return Ok(None);
                };
                let article = Article {
                    id: corpus::article_id_from_path(p),
                    origin: source.display(),
                    text: String::new(),
                    has_title: read.has_title,
                };
                Ok(Some(split_text(article, text, split, format, csv)))
            })?;
            match done {
                Some(article) => return Ok((vec![article], warnings)),
                None => corpus::read_source(source, read, &mut warnings)?,
            }
        }
        _ => in_shard(
            corpus::read_source(source, read, &mut warnings)?,
            shard,
            skipped,
        ),
    };
    let out = articles
        .into_iter()
        .map(|a| split_article(a, split, format, csv))
        .collect();
    Ok((out, warnings))
}

fn split_article(
    mut article: Article,
    split: &SplitOptions,
    format: Format,
    csv: &mut Vec<u8>,
) -> SplitArticle {
    let text = std::mem::take(&mut article.text);
    split_text(article, &text, split, format, csv)
}

/// Splits `text`, the text of `article` (whose own `text` is not used): for CSV output
/// its records are appended to `csv`, otherwise its rows kept.
fn split_text(
    article: Article,
    text: &str,
    split: &SplitOptions,
    format: Format,
    csv: &mut Vec<u8>,
) -> SplitArticle {
    let (rows, sentences) = if format == Format::Csv {
        // Encoded here, on the worker: the writer only copies the bytes.
        let encoder = ArticleCsv::new(&article.id);
        let mut sentences = 0;
        for_each_sentence(text, article.has_title, split, |s| {
            encoder.push(csv, &s);
            sentences += 1;
        });
        (Vec::new(), sentences)
    } else {
        let rows = sentence_rows(&article.id, text, article.has_title, split);
        let sentences = rows.len() as u64;
        (rows, sentences)
    };
    SplitArticle {
        article,
        text_bytes: text.len() as u64,
        sentences,
        rows,
    }
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
    shard: Option<Shard>,
    skipped: &'a AtomicU64,
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
                        if self.shard.is_some_and(|s| !s.contains(&article.id)) {
                            self.skipped.fetch_add(1, Ordering::Relaxed);
                            work.push(Work::Skipped(read - *counted));
                        } else {
                            bytes += article.text.len();
                            work.push(Work::Article(article, read - *counted));
                        }
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
                    // A text article of another shard is not read (its id is its name).
                    if let (Some(shard), Source::File(p)) = (self.shard, source)
                        && !tables::frame::is_columnar(p)
                        && corpus::layout_of(source, self.read.format) == InputFormat::Text
                        && !shard.contains(&corpus::article_id_from_path(p))
                    {
                        self.skipped.fetch_add(1, Ordering::Relaxed);
                        work.push(Work::Skipped(self.sizes[i]));
                        continue;
                    }
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
    split_shard_to(sources, read, split, None, output, format, csv, console)
}

/// [`split_to`] for the articles of one shard only (all with `None`); the others are
/// counted in [`SplitSummary::other_shards`].
#[allow(clippy::too_many_arguments)]
pub fn split_shard_to(
    sources: &[Source],
    read: &ReadOptions,
    split: &SplitOptions,
    shard: Option<Shard>,
    output: Option<&Path>,
    format: Format,
    csv: tables::CsvOptions,
    console: Console,
) -> Result<SplitSummary> {
    let skipped = AtomicU64::new(0);
    // One `stat` per file, on every thread (a directory of articles is many small files).
    let sizes: Vec<u64> = sources.par_iter().map(corpus::size_hint).collect();
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
        shard,
        skipped: &skipped,
    };
    // Split (and for CSV encoded) on the workers, a group of consecutive pieces at a time;
    // the first error in input order is the one returned.
    let process = |work: Vec<Work>| -> Result<Batch> {
        let results: Vec<Result<Group>> = work
            .into_par_iter()
            .chunks(GROUP)
            .map(|pieces| {
                let mut csv = Vec::new();
                let mut done = Vec::with_capacity(pieces.len());
                for w in pieces {
                    // Records run about 1.5 times the text of news articles.
                    let reserve = |csv: &mut Vec<u8>, bytes: u64| {
                        if format == Format::Csv {
                            csv.reserve(bytes as usize * 3 / 2 + 256);
                        }
                    };
                    done.push(match w {
                        Work::Source(i) => {
                            reserve(&mut csv, sizes[i]);
                            split_source(
                                &sources[i],
                                sizes[i],
                                read,
                                split,
                                format,
                                &mut csv,
                                shard,
                                &skipped,
                            )
                            .map(|(a, w)| (a, w, sizes[i]))?
                        }
                        Work::Article(article, bytes) => {
                            reserve(&mut csv, article.text.len() as u64);
                            let a = split_article(article, split, format, &mut csv);
                            (vec![a], Vec::new(), bytes)
                        }
                        Work::End(warnings, bytes) => (Vec::new(), warnings, bytes),
                        Work::Skipped(bytes) => (Vec::new(), Vec::new(), bytes),
                        Work::Failed(e) => return Err(e),
                    });
                }
                Ok(Group { pieces: done, csv })
            })
            .collect();
        results.into_iter().collect()
    };
    // Writes one processed batch. The whole batch is checked before any of it is written,
    // so an error in a batch leaves none of its rows on stdout (a file output is removed
    // anyway).
    let mut write = |results: Batch| -> Result<()> {
        for group in &results {
            for (articles, _, _) in &group.pieces {
                for a in articles {
                    ids.check(&a.article)?;
                }
            }
        }
        for group in results {
            let mut sentences = 0;
            for (articles, warnings, bytes) in group.pieces {
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
                    sentences += a.sentences;
                    if format != Format::Csv {
                        writer.write_all(a.rows)?;
                    }
                }
                bar.inc(bytes);
            }
            if format == Format::Csv {
                writer.write_csv_bytes(&group.csv, sentences)?;
            }
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
    summary.other_shards = skipped.load(Ordering::Relaxed);
    Ok(summary)
}
