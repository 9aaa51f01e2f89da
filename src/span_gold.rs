//! `labels merge --spans-out FILE --ptc-out DIR`: the span gold of article-level span
//! inputs (annotation tool exports, PTC span files), voted per code point by the core's
//! [`crate::labels::merge_spans`], written as a span table and as PTC span files.

use std::path::Path;

use anyhow::Result;

use crate::cli::MergeArgs;
use crate::labels::SpanGold;
use crate::progress::Console;
use crate::rows::SpanLabel;
use crate::tables::spans::PtcDir;
use crate::tables::{CsvOptions, Format, TableWriter};

/// Usage errors (exit 2) of the span flags, before anything is read: the span gold is
/// the vote alone (an adjudicator or a coverage file decides sentences, not code
/// points), and --ptc-out may not be an annotator input or lie inside one.
pub fn check_flags(args: &MergeArgs) -> Result<()> {
    if args.spans_out.is_none() && args.ptc_out.is_none() {
        return Ok(());
    }
    let flag = if args.spans_out.is_some() {
        "--spans-out"
    } else {
        "--ptc-out"
    };
    if args.adjudicator.is_some() {
        crate::usage_bail!(
            "--adjudicator decides sentence labels, and {flag} writes span gold voted per code point, which it would not change: merge the span gold without --adjudicator"
        );
    }
    if args.coverage.is_some() {
        crate::usage_bail!(
            "--coverage lists sentences, and {flag} writes span gold voted over the annotators who saw each whole article, which it would not change: merge the span gold without --coverage"
        );
    }
    if let Some(dir) = &args.ptc_out
        && let Ok(out) = dir.canonicalize()
    {
        for f in args.files.iter().chain(&args.adjudicator) {
            if let Ok(input) = f.canonicalize()
                && (input.starts_with(&out) || out.starts_with(&input))
            {
                crate::usage_bail!(
                    "--ptc-out {} and the annotator input {} overlap: the span files written would replace or mix with an input; give --ptc-out a directory of its own",
                    dir.display(),
                    f.display()
                );
            }
        }
    }
    Ok(())
}

/// The span outputs, written but not yet in place.
pub struct SpanOutputs {
    table: Option<TableWriter<SpanLabel>>,
    ptc: Option<PtcDir>,
}

/// Writes the span outputs the flags ask for to temporary files. A usage error (exit 2)
/// when no annotator file holds article-level spans or PTC spans.
pub fn create(args: &MergeArgs, gold: &SpanGold, csv: CsvOptions) -> Result<SpanOutputs> {
    if gold.article_tasks == 0 {
        if args.offsets != "auto" {
            crate::usage_bail!(
                "--offsets {} is the unit of article-level span exports, and no annotator file holds an article task (a Label Studio task or doccano line without a sentence id, or a Prodigy task)",
                args.offsets
            );
        }
        if args.id_field != "article_id" {
            crate::usage_bail!(
                "--id-field {} names the article id of article-level span exports, and no annotator file holds an article task (a Label Studio task or doccano line without a sentence id, or a Prodigy task)",
                args.id_field
            );
        }
    }
    if (args.spans_out.is_some() || args.ptc_out.is_some()) && gold.articles.is_empty() {
        crate::usage_bail!(
            "--spans-out and --ptc-out write span gold, and no annotator file holds article-level spans (Label Studio tasks or doccano lines without a sentence id, Prodigy tasks) or PTC spans of an article of the sentence table"
        );
    }
    let table = args
        .spans_out
        .as_deref()
        .map(|p| -> Result<_> {
            let mut w = TableWriter::<SpanLabel>::create_with(
                Some(p),
                Format::for_output(None, Some(p))?,
                csv,
            )?;
            w.write_all(gold.spans.iter().cloned())?;
            Ok(w)
        })
        .transpose()?;
    let ptc = args
        .ptc_out
        .as_deref()
        .map(|d: &Path| PtcDir::create(d, &gold.articles, &gold.spans))
        .transpose()?;
    Ok(SpanOutputs { table, ptc })
}

/// Puts the span outputs in place and says what was written on stderr.
pub fn commit(outputs: SpanOutputs, gold: &SpanGold, console: Console) -> Result<()> {
    if outputs.table.is_none() && outputs.ptc.is_none() {
        return Ok(());
    }
    if let Some(t) = outputs.table {
        t.finish()?;
    }
    if let Some(p) = outputs.ptc {
        p.commit()?;
    }
    console.info(format!(
        "labels merge: span gold: {} spans in {} articles",
        gold.spans.len(),
        gold.articles.len()
    ));
    Ok(())
}
