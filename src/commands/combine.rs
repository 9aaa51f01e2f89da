//! `sentlab combine`: the partial results of one command over the shards of a corpus into
//! the report one run over all of them gives:
//! - of `eval --partial`: the per-label report, intervals included (the arithmetic is in
//!   the pure [`crate::eval::partial`] module);
//! - of `labels merge --partial`: the agreement report of one merge, intervals included
//!   ([`crate::labels::combine_agreement`]);
//! - of `stats --partial`: the stats of one `stats` run, medians exact
//!   ([`crate::stats::combine_stats`]).

use anyhow::{Result, anyhow};

use super::{render_format, sort_key};
use crate::cli::{CombineArgs, SortArg};
use crate::eval::{BOOTSTRAP_RANGE, BootstrapOptions, DEFAULT_SEED, Partial, combine};
use crate::labels;
use crate::partial_format::PartialKind;
use crate::path_guard::PathGuard;
use crate::progress::Console;
use crate::stats::{StatsPartial, combine_stats};
use crate::tables::gold::write_report;
use crate::tables::{self, Format, ReportOutput, input::display_name};

/// Runs `combine`.
pub fn run(args: &CombineArgs, console: Console) -> Result<()> {
    let mut guard = PathGuard::new();
    for input in &args.inputs {
        guard = guard.input("PARTIAL", input);
    }
    guard.output_or_stdout("-o", args.output.as_ref()).check()?;
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
    match inputs[0].kind {
        PartialKind::Eval => combine_eval(args, &inputs, console),
        PartialKind::Agreement => combine_agreement(args, &inputs, console),
        PartialKind::Stats => combine_stats_partials(args, &inputs, console),
    }
}

/// One partial result file, read and told apart.
struct Input {
    name: String,
    text: String,
    kind: PartialKind,
}

/// Reads the partial result files; they must all be of one command.
fn read_inputs(paths: &[std::path::PathBuf]) -> Result<Vec<Input>> {
    let mut inputs: Vec<Input> = Vec::with_capacity(paths.len());
    for path in paths {
        let name = display_name(path);
        let input = tables::input::read(path)?;
        let (text, _) = crate::corpus::decode(&name, input.bytes, false)?;
        let kind = PartialKind::of_text(&text)
            .ok_or_else(|| anyhow!(crate::partial_format::unknown(&name, &text)))?;
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
        inputs.push(Input { name, text, kind });
    }
    Ok(inputs)
}

/// `combine` of `eval --partial` results: the per-label report of one `eval`.
fn combine_eval(args: &CombineArgs, inputs: &[Input], console: Console) -> Result<()> {
    let output = ReportOutput::for_output(args.format.map(Into::into), args.output.as_deref())?;
    let csv = tables::CsvOptions::for_outputs(false, output == ReportOutput::Rows(Format::Csv))?;
    let parts = inputs
        .iter()
        .map(|i| Partial::from_json(&i.name, &i.text).map(|p| (i.name.clone(), p)))
        .collect::<Result<Vec<_>, String>>()
        .map_err(|e| anyhow!(e))?;
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
    if combined.report.label_count() == 0 {
        // One run refuses a sentence table none of the rows names; shards may each have
        // none, but all of them having none is most likely the wrong tables.
        console.warn(format!(
            "no partial holds a gold or predicted row: were the shards evaluated with the sentence tables their labels and predictions were made from? ({} articles)",
            combined.articles
        ));
    }
    let text = combined.report.render(render_format(output));
    write_report(args.output.as_deref(), output, csv, &text)
}

/// Table or JSON: the formats of the agreement report and of the stats.
fn table_or_json(args: &CombineArgs, what: &str) -> Result<bool> {
    Ok(
        match ReportOutput::for_output(args.format.map(Into::into), args.output.as_deref())? {
            ReportOutput::Table => false,
            ReportOutput::Json => true,
            _ => crate::usage_bail!(
                "combine: {what} is written as a table (default) or JSON (--format json, or an -o FILE.json)"
            ),
        },
    )
}

/// `combine` of `labels merge --partial` results: the agreement report one `labels merge`
/// over all their sentences prints (`--report -`, or the JSON of `--report FILE.json`).
fn combine_agreement(args: &CombineArgs, inputs: &[Input], console: Console) -> Result<()> {
    let json = table_or_json(args, "an agreement report")?;
    if args.sort.is_some() {
        crate::usage_bail!(
            "--sort orders the label rows of an evaluation report; an agreement report lists its labels by name"
        );
    }
    let texts: Vec<(String, String)> = inputs
        .iter()
        .map(|i| (i.name.clone(), i.text.clone()))
        .collect();
    let parts = labels::AgreementPartial::read_all(&texts).map_err(|e| anyhow!(e))?;
    let bootstrap = args.bootstrap.map(|n| labels::AgreementBootstrap {
        n: n as usize,
        seed: args.seed.unwrap_or(DEFAULT_SEED),
        threads: rayon::current_num_threads(),
    });
    let combined = labels::combine_agreement(&parts, bootstrap.as_ref()).map_err(|e| anyhow!(e))?;
    console.info(format!(
        "combine: {} partial agreement results, {} sentences seen in {} articles, {} labels",
        parts.len(),
        combined.units,
        combined.articles,
        combined.report.labels.len()
    ));
    let text = if json {
        labels::render_json(&combined.report)
    } else {
        labels::render_table(&combined.report)
    };
    tables::write_text(args.output.as_deref(), &text)
}

/// `combine` of `stats --partial` results: the stats one `stats` over all the shards gives.
fn combine_stats_partials(args: &CombineArgs, inputs: &[Input], console: Console) -> Result<()> {
    if args.sort.is_some() || args.bootstrap.is_some() {
        crate::usage_bail!(
            "--sort and --bootstrap apply to partials of `eval --partial`; these are of `stats --partial`"
        );
    }
    let json = table_or_json(args, "the stats")?;
    let parts = inputs
        .iter()
        .map(|i| StatsPartial::from_json(&i.name, &i.text).map(|p| (i.name.clone(), p)))
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
        crate::stats::render(&stats)
    };
    tables::write_text(args.output.as_deref(), &text)
}
