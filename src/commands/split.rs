//! `sentlab split`: articles in, sentence table out.

use std::path::Path;

use anyhow::Result;
use rayon::prelude::*;

use crate::cli::SplitArgs;
use crate::corpus::{self, Article, FieldNames, IdRegistry, ReadOptions, Source};
use crate::progress::{Console, human_bytes};
use crate::rows::SentenceRow;
use crate::segment::{LineBreaks, SplitOptions};
use crate::sentences::sentence_rows;
use crate::table::{Format, TableWriter};

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

/// Read options from the command line.
pub fn read_options(args: &SplitArgs) -> ReadOptions {
    ReadOptions {
        format: args.input_format,
        has_title: !args.no_title,
        lossy: args.lossy,
        fields: FieldNames {
            id: args.id_field.clone(),
            title: args.title_field.clone(),
            text: args.text_field.clone(),
        },
    }
}

/// Splitter options from the command line.
pub fn split_options(args: &SplitArgs) -> SplitOptions {
    SplitOptions {
        line_breaks: if args.join_lines {
            LineBreaks::Space
        } else {
            LineBreaks::Sentence
        },
    }
}

/// Runs `split`.
pub fn run(args: &SplitArgs, console: Console) -> Result<()> {
    let format = Format::resolve(args.format, args.output.as_deref());
    let sources = corpus::discover(&args.inputs)?;
    let started = std::time::Instant::now();
    let summary = split_to(
        &sources,
        &read_options(args),
        &split_options(args),
        args.output.as_deref(),
        format,
        console,
    )?;
    let secs = started.elapsed().as_secs_f64();
    console.info(format!(
        "split: {} articles ({} empty), {} sentences, {} in {:.2} s ({:.1} MB/s){}",
        summary.articles,
        summary.empty,
        summary.sentences,
        human_bytes(summary.bytes),
        secs,
        summary.bytes as f64 / 1e6 / secs.max(1e-9),
        args.output
            .as_ref()
            .map_or(String::new(), |p| format!(" -> {}", p.display()))
    ));
    Ok(())
}

/// Splits every article of `sources` into `output`, in input order, in parallel batches.
pub fn split_to(
    sources: &[Source],
    read: &ReadOptions,
    split: &SplitOptions,
    output: Option<&Path>,
    format: Format,
    console: Console,
) -> Result<SplitSummary> {
    let total: u64 = sources.iter().map(corpus::size_hint).sum();
    let bar = console.bytes_bar(total, "articles");
    let mut writer = TableWriter::<SentenceRow>::create(output, format)?;
    let mut ids = IdRegistry::default();
    let mut summary = SplitSummary::default();
    let mut batch: Vec<Article> = Vec::new();
    let mut batch_bytes = 0;
    let mut warnings = Vec::new();

    let mut flush = |batch: &mut Vec<Article>, summary: &mut SplitSummary| -> Result<()> {
        let rows: Vec<Vec<SentenceRow>> = batch
            .par_iter()
            .map(|a| sentence_rows(&a.id, &a.text, a.has_title, split))
            .collect();
        for (article, rows) in batch.iter().zip(rows) {
            if rows.is_empty() {
                summary.empty += 1;
                console.warn(format!("{}: empty article (no sentences)", article.origin));
            }
            summary.sentences += rows.len() as u64;
            summary.bytes += article.text.len() as u64;
            bar.inc(article.text.len() as u64);
            writer.write_all(rows)?;
        }
        summary.articles += batch.len() as u64;
        bar.set_message(summary.articles.to_string());
        batch.clear();
        Ok(())
    };

    for source in sources {
        for article in corpus::read_source(source, read, &mut warnings)? {
            for w in warnings.drain(..) {
                console.warn(w);
            }
            ids.check(&article)?;
            batch_bytes += article.text.len();
            batch.push(article);
            if batch_bytes >= BATCH_BYTES {
                flush(&mut batch, &mut summary)?;
                batch_bytes = 0;
            }
        }
    }
    flush(&mut batch, &mut summary)?;
    bar.finish_and_clear();
    writer.finish()?;
    Ok(summary)
}
