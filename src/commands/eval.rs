//! `sentlab eval`: gold labels and predictions in, precision/recall/F1 out.
//!
//! The large inputs (sentence ids, gold and prediction pairs) are read column-wise
//! ([`tables::columns`]), so ten million rows cost two string columns, not ten million
//! structs; the counting itself is in the pure [`crate::eval`] module.

use std::path::Path;

use anyhow::{Result, anyhow, bail};
use polars::prelude::DataFrame;

use crate::cli::{ByArg, EvalArgs, LevelArg, MatchArg, SortArg};
use crate::eval::{
    self, EvalData, EvalOptions, Gold, GroupBy, Level, Note, Predictions, Resampling, Universe,
};
use crate::label_files::span_files;
use crate::labels::{Schema, SentenceIndex};
use crate::path_guard::PathGuard;
use crate::progress::Console;
use crate::rows::{PredictionRow, SentenceRow, SpanLabel};
use crate::tables::columns::read_columns;
use crate::tables::gold::{
    PairColumns, is_span_gold, read_predictions, read_spans, row_place, write_report,
};
use crate::tables::{self, Format, ReportOutput};

fn str_column<'a>(df: &'a DataFrame, name: &str) -> Result<impl Iterator<Item = &'a str> + 'a> {
    let ca = df.column(name)?.str()?;

    Ok(ca.iter().map(|v| v.unwrap_or("")))
}

/// How the report is written: its file (stdout when none) and format.
#[derive(Debug, Clone, Copy)]
struct ReportTarget<'a> {
    path: Option<&'a Path>,
    output: ReportOutput,
    /// How the report's cells are written when it is CSV.
    csv: tables::CsvOptions,
}

use super::{render_format, sort_key};
use crate::eval::{BOOTSTRAP_RANGE, DEFAULT_SEED};

/// Refuses flag combinations that would be ignored or contradict each other (usage errors,
/// exit 2), before any file is read.
fn check_flags(args: &EvalArgs) -> Result<()> {
    let mode = args.match_mode.unwrap_or(MatchArg::Ptc);
    if args.level == LevelArg::Sentence && mode != MatchArg::Ptc {
        crate::usage_bail!("--match chooses how spans are scored: it needs --level span");
    }
    if let Some(f) = args.min_overlap_fraction {
        if !(f > 0.0 && f <= 1.0) {
            crate::usage_bail!(
                "--min-overlap-fraction {f}: expected a fraction of the gold span above 0 and at most 1"
            );
        }
        if args.level == LevelArg::Sentence || mode == MatchArg::Ptc {
            crate::usage_bail!(
                "--min-overlap-fraction applies to --level span with --match strict, exact, partial or type"
            );
        }
    }
    let by = match args.by {
        ByArg::Label => "",
        ByArg::Rule => "rule",
        ByArg::Article => "article",
        ByArg::Confusion => "confusion",
    };
    if !by.is_empty() && args.bootstrap.is_some() {
        crate::usage_bail!(
            "--bootstrap gives intervals for the per-label report; --by {by} has none: drop one of them"
        );
    }
    if !by.is_empty() && args.sort.is_some() {
        crate::usage_bail!(
            "--sort orders the label rows; --by {by} has its own order: drop --sort"
        );
    }
    if args.partial.is_some() && !by.is_empty() {
        crate::usage_bail!(
            "--partial writes the per-article counts of the per-label report: --by {by} has none: drop one of them"
        );
    }
    if matches!(args.by, ByArg::Article | ByArg::Confusion) && args.level == LevelArg::Span {
        crate::usage_bail!("--by {by} counts (sentence, label) pairs: it needs --level sentence");
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
    Ok(())
}

/// The matching mode of `--match` (`None`: `ptc`).
fn match_options(args: &EvalArgs) -> Option<eval::MatchOptions> {
    let mode = match args.match_mode? {
        MatchArg::Ptc => return None,
        MatchArg::Strict => eval::MatchMode::Strict,
        MatchArg::Exact => eval::MatchMode::Exact,
        MatchArg::Partial => eval::MatchMode::Partial,
        MatchArg::Type => eval::MatchMode::Type,
    };
    Some(eval::MatchOptions {
        mode,
        min_overlap: args.min_overlap_fraction,
    })
}

/// The evaluation options of the flags, checked (usage errors, exit 2: an unknown `-o`
/// extension, then flags that contradict each other), and how the report is written.
fn eval_options(args: &EvalArgs) -> Result<(EvalOptions, ReportTarget<'_>)> {
    let output = ReportOutput::for_output(args.format.map(Into::into), args.output.as_deref())?;
    check_flags(args)?;
    let options = EvalOptions {
        level: match args.level {
            LevelArg::Sentence => Level::Sentence,
            LevelArg::Span => Level::Span,
        },
        by: match args.by {
            ByArg::Label => GroupBy::Label,
            ByArg::Rule => GroupBy::Rule,
            ByArg::Article => GroupBy::Article,
            ByArg::Confusion => GroupBy::Confusion,
        },
        labels: args.labels.clone(),
        sort: sort_key(args.sort.unwrap_or(SortArg::Support)),
        strict: args.strict,
        bootstrap: args.bootstrap.map(|n| Resampling {
            n,
            seed: args.seed.unwrap_or(DEFAULT_SEED),
        }),
        list_errors: args.errors.is_some(),
        format: render_format(output),
        matching: match_options(args),
        partial: args.partial.is_some(),
    };
    let target = ReportTarget {
        path: args.output.as_deref(),
        output,
        csv: tables::CsvOptions::for_outputs(
            args.excel_safe,
            output == ReportOutput::Rows(Format::Csv) || args.errors.is_some(),
        )?,
    };
    Ok((options, target))
}

/// Runs `eval`: the inputs read, the report made from them, the outputs written.
pub fn run(args: &EvalArgs, console: Console) -> Result<()> {
    PathGuard::new()
        .searched_inputs("--gold", [&args.gold], "labels", false)
        .input("--pred", &args.pred)
        .input("--sentences", &args.sentences)
        .maybe_input("--schema", args.schema.as_ref())
        .output_or_stdout("-o", args.output.as_ref())
        .output("--errors", args.errors.as_ref())
        .output("--partial", args.partial.as_ref())
        .check()?;
    let (options, target) = eval_options(args)?;
    let inputs = load(args, &options, console)?;
    let schema_name = args.schema.as_ref().map(|p| p.display().to_string());
    let sentences_name = args.sentences.display().to_string();
    let predictions_name = args.pred.display().to_string();
    let place = |row: usize| row_place(&args.pred, row);
    let data = EvalData {
        universe: &inputs.universe,
        sentences: inputs.sentences.as_deref(),
        gold: inputs.gold.as_gold(),
        predictions: inputs.predictions.as_predictions(),
        schema: schema_name.as_deref().zip(inputs.schema.as_ref()),
        sentences_name: &sentences_name,
        predictions_name: &predictions_name,
        prediction_place: &place,
    };
    let reported = eval::report(&data, &options);
    print_notes(&reported.notes, console);
    let report = reported.report?;
    if let (Some(path), Some(errors)) = (&args.errors, &report.errors) {
        tables::write_csv_text(Some(path), &eval::render_errors_csv(errors), target.csv)?;
        console.info(format!(
            "eval: {} errors -> {}",
            errors.len(),
            path.display()
        ));
    }
    if let (Some(path), Some(partial)) = (&args.partial, &report.partial) {
        tables::write_text(Some(path), &partial.to_json())?;
        console.info(format!(
            "eval: partial result of {} articles -> {}",
            partial.articles.len(),
            path.display()
        ));
    }
    if let (Some(path), Some(spans)) = (&args.errors, &report.span_errors) {
        tables::write_csv_text(Some(path), &eval::render_span_errors_csv(spans), target.csv)?;
        console.info(format!("eval: {} spans -> {}", spans.len(), path.display()));
    }
    write_report(target.path, target.output, target.csv, &report.text)
}

/// Prints the notes of a report on stderr, in order.
pub fn print_notes(notes: &[Note], console: Console) {
    for note in notes {
        match note {
            Note::Info(text) => console.info(text),
            Note::Warn(text) => console.warn(text),
        }
    }
}

/// The tables of an evaluation, as read.
struct Inputs {
    schema: Option<Schema>,
    universe: Universe,
    /// Read whole when errors are listed, rules reported or gold spans projected.
    sentences: Option<Vec<SentenceRow>>,
    gold: GoldInput,
    predictions: PredictionInput,
}

/// Gold as read: a label table, or PTC span files.
enum GoldInput {
    Table(PairColumns),
    Spans {
        spans: Vec<SpanLabel>,
        pairs: Vec<(String, String)>,
        lines: usize,
    },
}

impl GoldInput {
    fn as_gold(&self) -> Gold<'_> {
        match self {
            GoldInput::Table(columns) => Gold::Pairs(columns),
            GoldInput::Spans {
                spans,
                pairs,
                lines,
            } => Gold::Spans {
                spans,
                pairs,
                lines: *lines,
            },
        }
    }
}

/// Predictions as read: full rows, or the two columns the sentence-level counts need.
enum PredictionInput {
    Rows(Vec<PredictionRow>),
    Table(PairColumns),
}

impl PredictionInput {
    fn as_predictions(&self) -> Predictions<'_> {
        match self {
            PredictionInput::Rows(rows) => Predictions::Rows(rows),
            PredictionInput::Table(columns) => Predictions::Pairs(columns),
        }
    }
}

/// Reads every input of `eval` (all its I/O but the outputs): the schema, the sentence
/// table, predictions and gold, each only as far as `options` needs it. Gold span files
/// print their warnings; skipped gold spans are a warning (an error with `--strict`).
fn load(args: &EvalArgs, options: &EvalOptions, console: Console) -> Result<Inputs> {
    let schema = args
        .schema
        .as_deref()
        .map(crate::label_files::read_schema)
        .transpose()?;
    let need_rows = options.list_errors || options.by == GroupBy::Rule;
    let span_gold = is_span_gold(&args.gold)?;
    let (universe, sentences) = read_universe(&args.sentences, need_rows || span_gold)?;
    let pred_rows = if need_rows || options.level == Level::Span {
        Some(read_predictions(&args.pred)?)
    } else {
        None
    };
    let gold = if span_gold {
        let rows = sentences.as_deref().expect("read above for span gold");
        read_gold_spans(&args.gold, rows, args.strict, console)?
    } else {
        if options.level == Level::Span {
            crate::usage_bail!("--level span needs gold spans (PTC span files), not a label table");
        }
        GoldInput::Table(PairColumns::read(&args.gold)?)
    };
    let predictions = match pred_rows {
        Some(rows) => PredictionInput::Rows(rows),
        None => PredictionInput::Table(PairColumns::read(&args.pred)?),
    };
    Ok(Inputs {
        schema,
        universe,
        sentences,
        gold,
        predictions,
    })
}

/// The universe of sentence ids, and the whole rows when `whole` (else only the id column
/// is read).
fn read_universe(path: &Path, whole: bool) -> Result<(Universe, Option<Vec<SentenceRow>>)> {
    let name = path.display();
    if whole {
        let rows = crate::sentence_table::read_rows(path)?;
        let universe = Universe::from_sentences(&rows).map_err(|e| anyhow!("{name}: {e}"))?;
        return Ok((universe, Some(rows)));
    }
    let df = read_columns(path, &["sentence_id"], false)?;
    let universe =
        Universe::from_ids(str_column(&df, "sentence_id")?).map_err(|e| anyhow!("{name}: {e}"))?;
    Ok((universe, None))
}

/// Gold from PTC span files (a file or a directory of them), projected onto `sentences`;
/// skipped spans are counted by reason in a warning (an error when `strict`).
fn read_gold_spans(
    path: &Path,
    sentences: &[SentenceRow],
    strict: bool,
    console: Console,
) -> Result<GoldInput> {
    let index = SentenceIndex::new(sentences).map_err(|e| anyhow!("{e}"))?;
    let (spans, pairs, skipped) = read_spans(&span_files(path)?, &index, console)?;
    let lines = spans.len() + skipped.len();
    if let Some(first) = skipped.first() {
        let reasons: Vec<String> = skipped.iter().map(|s| s.reason.to_string()).collect();
        let msg = format!(
            "{} gold span(s) skipped: {}",
            skipped.len(),
            crate::progress::count_skipped(
                reasons.iter().map(String::as_str),
                Some(&format!("{}:{}", first.file, first.line))
            )
        );
        if strict {
            bail!("{}: {msg}", path.display());
        }
        console.warn(format!("{}: {msg}", path.display()));
    }
    Ok(GoldInput::Spans {
        spans,
        pairs,
        lines,
    })
}
