//! `sentlab combine`: the partial results of `eval --partial` (one per shard of a corpus)
//! into the per-label report one `eval` over all their articles gives, intervals included.
//! The arithmetic is in the pure [`crate::eval::partial`] module. Given the partial results
//! of `labels merge --partial`, it prints the agreement report of one merge instead (see
//! [`crate::labels::combine_agreement`]).

use anyhow::{Result, anyhow};

use super::{render_format, sort_key};
use crate::cli::{CombineArgs, SortArg};
use crate::eval::{BOOTSTRAP_RANGE, BootstrapOptions, DEFAULT_SEED, Partial, combine};
use crate::labels;
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
    if let Some(parts) = agreement_partials(&args.inputs)? {
        return combine_agreement(args, &parts, console);
    }
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
        combined.report.labels.len()
    ));
    let text = combined.report.render(render_format(output));
    write_report(args.output.as_deref(), output, csv, &text)
}

/// The partial agreement results of `labels merge --partial` among `inputs` (`None` when
/// there is none: partial evaluation results). Mixing both kinds is an error naming a file
/// of each.
fn agreement_partials(
    inputs: &[std::path::PathBuf],
) -> Result<Option<Vec<(String, labels::AgreementPartial)>>> {
    let mut texts = Vec::with_capacity(inputs.len());
    for path in inputs {
        let name = display_name(path);
        let input = tables::input::read(path)?;
        let (text, _) = crate::corpus::decode(&name, input.bytes, false)?;
        let kind = serde_json::from_str::<TopKeys>(&text).map_or((false, false), |t| {
            (t.agreement.is_some(), t.eval.is_some())
        });
        texts.push((name, text, kind));
    }
    let Some(agreement) = texts.iter().find(|t| t.2.0) else {
        return Ok(None);
    };
    if let Some(eval) = texts.iter().find(|t| t.2.1) {
        anyhow::bail!(
            "{} is a partial agreement result of `labels merge --partial` and {} a partial result of `eval --partial`: combine partials of one kind",
            agreement.0,
            eval.0
        );
    }
    let texts: Vec<(String, String)> = texts.into_iter().map(|(n, t, _)| (n, t)).collect();
    let parts = labels::AgreementPartial::read_all(&texts).map_err(|e| anyhow!(e))?;
    Ok(Some(parts))
}

/// The top keys that tell the kinds of partials apart (the rest of the object skipped).
#[derive(serde::Deserialize)]
struct TopKeys {
    #[serde(rename = "sentlab_agreement_partial")]
    agreement: Option<serde::de::IgnoredAny>,
    #[serde(rename = "sentlab_partial")]
    eval: Option<serde::de::IgnoredAny>,
}

/// `combine` of partial agreement results: the agreement report one `labels merge` over
/// all their sentences prints (`--report -`, or the JSON of `--report FILE.json`).
fn combine_agreement(
    args: &CombineArgs,
    parts: &[(String, labels::AgreementPartial)],
    console: Console,
) -> Result<()> {
    let json = match ReportOutput::for_output(args.format.map(Into::into), args.output.as_deref())?
    {
        ReportOutput::Table => false,
        ReportOutput::Json => true,
        _ => crate::usage_bail!(
            "combine: an agreement report is written as a table (default) or JSON (--format json, or an -o FILE.json)"
        ),
    };
    if args.sort.is_some() {
        crate::usage_bail!(
            "--sort orders the label rows of an evaluation report; an agreement report lists its labels by name"
        );
    }
    if let Some(n) = args.bootstrap
        && !BOOTSTRAP_RANGE.contains(&n)
    {
        crate::usage_bail!(
            "--bootstrap {n}: expected {} to {} resamples",
            BOOTSTRAP_RANGE.start(),
            BOOTSTRAP_RANGE.end()
        );
    }
    let bootstrap = args.bootstrap.map(|n| labels::AgreementBootstrap {
        n: n as usize,
        seed: args.seed.unwrap_or(DEFAULT_SEED),
        threads: rayon::current_num_threads(),
    });
    let combined = labels::combine_agreement(parts, bootstrap.as_ref()).map_err(|e| anyhow!(e))?;
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
