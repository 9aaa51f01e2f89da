//! `sentlab labels merge`: annotators' files in, gold labels, agreement and conflicts out.

use anyhow::{Result, anyhow};

use super::vote_options;
use crate::cli::MergeArgs;
use crate::label_files::{merge_table_files, print_summary, read_coverage, write_outputs};
use crate::labels::{self, ImportOptions, MergeOptions};
use crate::path_guard::PathGuard;
use crate::progress::Console;
use crate::sentence_table::SentenceTable;
use crate::tables::{CsvOptions, Format};

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
    PathGuard::new()
        .input("--sentences", &args.sentences)
        .searched_inputs("ANNOTATOR_FILE", &args.files, "labels", false)
        .searched_inputs("--adjudicator", &args.adjudicator, "labels", false)
        .maybe_input("--coverage", args.coverage.as_ref())
        .maybe_input("--schema", args.schema.as_ref())
        .output_or_stdout("-o", args.output.as_ref())
        .output("--report", args.report.as_ref())
        .output("--conflicts", args.conflicts.as_ref())
        .check()?;
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
        ..ImportOptions::default()
    };
    if let Some(c) = &args.coverage {
        options.coverage = read_coverage(c)?;
    }
    let sentences = SentenceTable::read(&args.sentences)?;
    let outcome = merge_table_files(
        sentences,
        args.conflicts.is_some(),
        &args.files,
        args.adjudicator.as_deref(),
        args.schema.as_deref(),
        &import,
        &options,
        args.one_annotator_per_file,
    )?;
    print_summary(&outcome.merged, console);
    write_outputs(
        &outcome,
        args.output.as_deref(),
        format,
        args.report.as_deref(),
        args.conflicts.as_deref(),
        csv,
        console,
    )
}
