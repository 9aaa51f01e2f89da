//! `sentlab combine`: the partial results of `eval --partial` (one per shard of a corpus)
//! into the per-label report one `eval` over all their articles gives, intervals included;
//! or those of `stats --partial` into the stats of one `stats` run.
//! The arithmetic is in the pure [`crate::eval::partial`] module.

use anyhow::{Result, anyhow};

use super::{render_format, sort_key};
use crate::cli::{CombineArgs, SortArg};
use crate::eval::{BOOTSTRAP_RANGE, BootstrapOptions, DEFAULT_SEED, Partial, combine};
use crate::path_guard::PathGuard;
use crate::progress::Console;
use crate::stats::{StatsPartial, combine_stats, render};
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
    let inputs = read_inputs(&args.inputs)?;
    if inputs[0].kind == Kind::Stats {
        return run_stats(args, &inputs, console);
    }
    let csv = tables::CsvOptions::for_outputs(false, output == ReportOutput::Rows(Format::Csv))?;
    let mut parts = Vec::with_capacity(inputs.len());
    for input in &inputs {
        parts.push((
            input.name.clone(),
            Partial::from_json(&input.name, &input.text).map_err(|e| anyhow!(e))?,
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

/// What a partial result file holds, by its version key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `eval --partial` (`sentlab_partial`).
    Eval,
    /// `stats --partial` (`sentlab_stats_partial`).
    Stats,
}

impl Kind {
    fn command(self) -> &'static str {
        match self {
            Kind::Eval => "eval --partial",
            Kind::Stats => "stats --partial",
        }
    }
}

/// One partial result file, read and told apart.
struct Input {
    name: String,
    text: String,
    value: serde_json::Value,
    kind: Kind,
}

/// Reads the partial result files; they must all be of one kind.
fn read_inputs(paths: &[std::path::PathBuf]) -> Result<Vec<Input>> {
    let mut inputs: Vec<Input> = Vec::with_capacity(paths.len());
    for path in paths {
        let name = display_name(path);
        let input = tables::input::read(path)?;
        let (text, _) = crate::corpus::decode(&name, input.bytes, false)?;
        // Not JSON: the eval reader says so, naming the place.
        let value: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        let kind = if value.get("sentlab_stats_partial").is_some() {
            Kind::Stats
        } else {
            // Eval partials, or anything else: the eval reader names what is missing.
            Kind::Eval
        };
        if let Some(first) = inputs.first()
            && first.kind != kind
        {
            return Err(anyhow!(
                "{} and {name} are partial results of different commands (`{}` and `{}`): combine the partials of one command at a time",
                first.name,
                first.kind.command(),
                kind.command()
            ));
        }
        inputs.push(Input {
            name,
            text,
            value,
            kind,
        });
    }
    Ok(inputs)
}

/// `combine` of `stats --partial` results: the stats one `stats` over all the shards gives.
fn run_stats(args: &CombineArgs, inputs: &[Input], console: Console) -> Result<()> {
    if args.sort.is_some() || args.bootstrap.is_some() {
        crate::usage_bail!(
            "--sort and --bootstrap apply to partials of `eval --partial`; these are of `stats --partial`"
        );
    }
    let json = match ReportOutput::for_output(args.format.map(Into::into), args.output.as_deref())?
    {
        ReportOutput::Table => false,
        ReportOutput::Json => true,
        _ => crate::usage_bail!(
            "stats are written as a table for people (--format table, .txt) or JSON (--format json, .json)"
        ),
    };
    let parts = inputs
        .iter()
        .map(|i| StatsPartial::from_value(&i.name, i.value.clone()).map(|p| (i.name.clone(), p)))
        .collect::<Result<Vec<_>, String>>()
        .map_err(|e| anyhow!(e))?;
    let stats = combine_stats(&parts).map_err(|e| anyhow!(e))?;
    console.info(format!(
        "combine: {} stats partial results, {} articles, {} sentences",
        parts.len(),
        stats.articles,
        stats.sentences
    ));
    let text = if json {
        serde_json::to_string_pretty(&stats)? + "\n"
    } else {
        render(&stats)
    };
    tables::write_text(args.output.as_deref(), &text)
}
