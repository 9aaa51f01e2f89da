//! `sentlab labels merge`: annotators' files in, gold labels, agreement and conflicts out.

use std::io::Write as _;
use std::path::Path;

use anyhow::{Context as _, Result, anyhow};

use super::vote_options;
use crate::cli::MergeArgs;
use crate::eval::{BOOTSTRAP_RANGE, DEFAULT_SEED};
use crate::label_files::MergeOutcome;
use crate::label_files::{
    merge_table_files, print_summary, read_coverage, read_schema, write_outputs,
};
use crate::labels::{self, ImportOptions, MergeOptions};
use crate::path_guard::PathGuard;
use crate::progress::Console;
use crate::sentence_table::SentenceTable;
use crate::tables::{CsvOptions, Format, Output};

/// The merge options the flags describe; contradictory flags are usage errors (exit 2).
fn merge_options(args: &MergeArgs) -> Result<MergeOptions> {
    vote_options(
        args.strategy,
        args.min_votes,
        args.tie.as_deref(),
        args.strict,
    )
}

/// Runs `labels merge`.
pub fn run(args: &MergeArgs, console: Console) -> Result<()> {
    if let Some(n) = args.bootstrap
        && !BOOTSTRAP_RANGE.contains(&n)
    {
        crate::usage_bail!(
            "--bootstrap {n}: expected {} to {} resamples",
            BOOTSTRAP_RANGE.start(),
            BOOTSTRAP_RANGE.end()
        );
    }
    PathGuard::new()
        .input("--sentences", &args.sentences)
        .searched_inputs("ANNOTATOR_FILE", &args.files, "labels", false)
        .searched_inputs("--adjudicator", &args.adjudicator, "labels", false)
        .maybe_input("--coverage", args.coverage.as_ref())
        .maybe_input("--schema", args.schema.as_ref())
        .output_or_stdout("-o", args.output.as_ref())
        .output("--report", args.report.as_ref())
        .output("--conflicts", args.conflicts.as_ref())
        .output("--spans-out", args.spans_out.as_ref())
        .output("--partial", args.partial.as_ref())
        .check()?;
    crate::span_gold::check_flags(args)?;
    let format = Format::for_output(args.format, args.output.as_deref())?;
    let conflicts_format = args
        .conflicts
        .as_deref()
        .map(|c| Format::for_output(None, Some(c)))
        .transpose()?;
    let csv = CsvOptions::for_outputs(
        args.excel_safe,
        format == Format::Csv || conflicts_format == Some(Format::Csv),
    )?;
    let mut options = merge_options(args)?;
    let input_format = args
        .input_format
        .as_deref()
        .map(|f| labels::Format::from_name(f).ok_or_else(|| anyhow!("unknown --input-format {f}")))
        .transpose()?;
    let import = ImportOptions {
        format: input_format,
        min_overlap: args.min_overlap,
        offsets: labels::OffsetUnit::from_name(&args.offsets),
        id_field: args.id_field.clone(),
        ..ImportOptions::default()
    };
    if let Some(c) = &args.coverage {
        options.coverage = read_coverage(c)?;
    }
    let sentences = SentenceTable::read(&args.sentences)?;
    let mut outcome = merge_table_files(
        sentences,
        args.conflicts.is_some(),
        &args.files,
        args.adjudicator.as_deref(),
        args.schema.as_deref(),
        &import,
        &options,
        args.one_annotator_per_file,
    )?;
    let partial = args
        .partial
        .as_deref()
        .map(|path| partial(args, &outcome, path))
        .transpose()?;
    if let Some(n) = args.bootstrap {
        bootstrap(&mut outcome, n, args.seed.unwrap_or(DEFAULT_SEED));
    }
    print_summary(&outcome.merged, console);
    let spans = crate::span_gold::create(args, &outcome.spans, csv)?;
    write_outputs(
        &outcome,
        args.output.as_deref(),
        format,
        args.report.as_deref(),
        args.conflicts.as_deref(),
        csv,
        console,
    )?;
    if let (Some((out, text)), Some(path)) = (partial, &args.partial) {
        out.commit()?;
        console.info(format!(
            "labels merge: partial agreement result, {text} -> {}",
            path.display()
        ));
    }
    crate::span_gold::commit(spans, &outcome.spans, console)
}

/// The partial agreement result of `--partial`, written to a temporary file committed with
/// the other outputs, and what it holds (for the message).
fn partial(args: &MergeArgs, outcome: &MergeOutcome, path: &Path) -> Result<(Output, String)> {
    let schema = args.schema.as_deref().map(read_schema).transpose()?;
    let p = labels::AgreementPartial::of_merge(
        &outcome.merged,
        outcome.index(),
        schema.as_ref(),
        outcome.span_inputs,
    )
    .with_span_f1(outcome.spans_only, outcome.report.span_f1.as_deref());
    let mut out = Output::create(Some(path))?;
    out.write_all(p.to_json().as_bytes())
        .with_context(|| format!("{}: cannot write the partial result", path.display()))?;
    let what = format!(
        "{} sentences seen in {} articles",
        p.units.len(),
        p.articles.len()
    );
    Ok((out, what))
}

/// Adds bootstrap intervals to the agreement report: resampling sentences, or articles
/// when an annotator file holds PTC spans.
fn bootstrap(outcome: &mut MergeOutcome, n: u32, seed: u64) {
    // The report apart while the bootstrap reads the outcome's sentence index.
    let mut report = outcome.report.clone();
    labels::bootstrap_agreement(
        &mut report,
        &outcome.merged,
        outcome.index(),
        outcome.span_inputs,
        &labels::AgreementBootstrap {
            n: n as usize,
            seed,
            threads: rayon::current_num_threads(),
        },
    );
    outcome.report = report;
}
