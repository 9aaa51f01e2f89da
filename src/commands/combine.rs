//! `sentlab combine`: the partial results of `eval --partial` (one per shard of a corpus)
//! into the per-label report one `eval` over all their articles gives, intervals included.
//! The arithmetic is in the pure [`crate::eval::partial`] module.

use anyhow::{Result, anyhow};

use super::{render_format, sort_key};
use crate::cli::{CombineArgs, SortArg};
use crate::eval::{BOOTSTRAP_RANGE, BootstrapOptions, DEFAULT_SEED, Partial, combine};
use crate::path_guard::PathGuard;
use crate::progress::Console;
use crate::tables::gold::write_report;
use crate::tables::{self, Format, ReportOutput, input::display_name};

/// Runs `combine`.
pub fn run(args: &CombineArgs, console: Console) -> Result<()> {
    let mut guard = PathGuard::new();
    for input in &args.inputs {
        guard = guard.input("PARTIAL", input);
    }
    guard.output_or_stdout("-o", args.output.as_ref()).check()?;
    let output = ReportOutput::for_output(args.format.map(Into::into), args.output.as_deref())?;
    if let Some(n) = args.bootstrap
        && !BOOTSTRAP_RANGE.contains(&n)
    {
        crate::usage_bail!(
            "--bootstrap {n}: expected {} to {} resamples",
            BOOTSTRAP_RANGE.start(),
            BOOTSTRAP_RANGE.end()
        );
    }
    let csv = tables::CsvOptions::for_outputs(false, output == ReportOutput::Rows(Format::Csv))?;
    let mut parts = Vec::with_capacity(args.inputs.len());
    for path in &args.inputs {
        let name = display_name(path);
        let input = tables::input::read(path)?;
        let (text, _) = crate::corpus::decode(&name, input.bytes, false)?;
        parts.push((
            name.clone(),
            Partial::from_json(&name, &text).map_err(|e| anyhow!(e))?,
        ));
    }
    let bootstrap = args.bootstrap.map(|n| BootstrapOptions {
        n: n as usize,
        seed: args.seed.unwrap_or(DEFAULT_SEED),
        threads: rayon::current_num_threads(),
    });
    let mut combined = combine(&parts, bootstrap.as_ref()).map_err(|e| anyhow!(e))?;
    combined
        .report
        .sort(sort_key(args.sort.unwrap_or(SortArg::Support)));
    console.info(format!(
        "combine: {} partial results, {} articles, {} labels",
        parts.len(),
        combined.articles,
        combined.report.label_count()
    ));
    let text = combined.report.render(render_format(output));
    write_report(args.output.as_deref(), output, csv, &text)
}
