//! `sentlab compare`: two prediction tables scored against one gold, the F1 difference per
//! label, micro and macro, with a paired bootstrap interval and a paired randomisation
//! p-value. The statistics are in the pure [`crate::eval::compare`] module.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::{Result, anyhow, bail};

use crate::cli::{CompareArgs, LevelArg, MatchArg};
use crate::eval::compare::{
    CompareMeta, CompareOptions, PERMUTATION_RANGE, Paired, compare, flips, render_flips_csv,
};
use crate::eval::{
    self, BOOTSTRAP_RANGE, LabelPairs, MatchOptions, Prf, SentenceEval, SentenceOptions, Universe,
};
use crate::label_files::span_files;
use crate::labels::SentenceIndex;
use crate::path_guard::PathGuard;
use crate::progress::Console;
use crate::rows::{PredictionRow, SentenceRow, SpanLabel};
use crate::tables::gold::{
    PairColumns, is_span_gold, read_predictions, read_spans, row_place, write_report,
};
use crate::tables::{self, Format, ReportOutput};

/// Refuses flag combinations that would be ignored (usage errors, exit 2).
fn check_flags(args: &CompareArgs) -> Result<()> {
    if args.pred.len() != 2 {
        crate::usage_bail!(
            "--pred was given {} time(s): give exactly two prediction tables, A then B",
            args.pred.len()
        );
    }
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
    if !BOOTSTRAP_RANGE.contains(&args.bootstrap) {
        crate::usage_bail!(
            "--bootstrap {}: expected {} to {} resamples",
            args.bootstrap,
            BOOTSTRAP_RANGE.start(),
            BOOTSTRAP_RANGE.end()
        );
    }
    if !PERMUTATION_RANGE.contains(&args.permutations) {
        crate::usage_bail!(
            "--permutations {}: expected {} to {} permutations",
            args.permutations,
            PERMUTATION_RANGE.start(),
            PERMUTATION_RANGE.end()
        );
    }
    if args.flips.is_some() && args.level == LevelArg::Span {
        crate::usage_bail!(
            "--flips lists (sentence, label) pairs at sentence level; it is not available with --level span"
        );
    }
    Ok(())
}

/// The text a report is rendered to (rows in a table format other than CSV are rendered as
/// CSV and converted when written).
fn render_format(output: ReportOutput) -> eval::Format {
    match output {
        ReportOutput::Table => eval::Format::Table,
        ReportOutput::Markdown => eval::Format::Markdown,
        ReportOutput::Json => eval::Format::Json,
        ReportOutput::Rows(_) => eval::Format::Csv,
    }
}

/// Runs `compare`: the inputs read and checked, both systems scored, the report written.
pub fn run(args: &CompareArgs, console: Console) -> Result<()> {
    PathGuard::new()
        .searched_inputs("--gold", [&args.gold], "labels", false)
        .inputs("--pred", &args.pred)
        .input("--sentences", &args.sentences)
        .output_or_stdout("-o", args.output.as_ref())
        .output("--flips", args.flips.as_ref())
        .check()?;
    let output = ReportOutput::for_output(args.format.map(Into::into), args.output.as_deref())?;
    check_flags(args)?;
    let csv = tables::CsvOptions::for_outputs(
        args.excel_safe,
        output == ReportOutput::Rows(Format::Csv) || args.flips.is_some(),
    )?;
    let sentences = crate::sentence_table::read_rows(&args.sentences)?;
    let universe = Universe::from_sentences(&sentences)
        .map_err(|e| anyhow!("{}: {e}", args.sentences.display()))?;
    let gold = read_gold(&args.gold, &sentences, console)?;
    let names = [
        tables::input::display_name(&args.pred[0]),
        tables::input::display_name(&args.pred[1]),
    ];
    let opts = CompareOptions {
        replicates: args.bootstrap as usize,
        permutations: args.permutations as usize,
        seed: args.seed,
        threads: rayon::current_num_threads(),
    };
    let (comparison, matching, flipped) = match args.level {
        LevelArg::Sentence => {
            // The sentence level needs only two columns of each table, as `eval`.
            let preds = [
                PairColumns::read(&args.pred[0])?,
                PairColumns::read(&args.pred[1])?,
            ];
            let (ea, eb) =
                sentence_evals(&args.sentences, &universe, &gold, &preds, &names, console)?;
            let paired = Paired::sentences(&ea, &eb, &universe);
            let cmp = compare(&paired, &|c: &eval::Counts| c.prf(), &opts);
            let flipped = args.flips.as_ref().map(|_| {
                render_flips_csv(&flips(&ea, &eb), &universe, ea.labels.names(), |s| {
                    sentences.get(s as usize).map(|r| r.text.clone())
                })
            });
            (cmp, None, flipped)
        }
        LevelArg::Span => {
            let Gold::Spans(gold_spans) = &gold else {
                crate::usage_bail!(
                    "--level span needs gold spans (PTC span files), not a label table"
                );
            };
            let mode = match args.match_mode.unwrap_or(MatchArg::Ptc) {
                MatchArg::Ptc => None,
                MatchArg::Strict => Some(eval::MatchMode::Strict),
                MatchArg::Exact => Some(eval::MatchMode::Exact),
                MatchArg::Partial => Some(eval::MatchMode::Partial),
                MatchArg::Type => Some(eval::MatchMode::Type),
            };
            let preds = [
                read_predictions(&args.pred[0])?,
                read_predictions(&args.pred[1])?,
            ];
            let checked = [
                checked_spans(&args.pred[0], &preds[0], &sentences, &universe, console)?,
                checked_spans(&args.pred[1], &preds[1], &sentences, &universe, console)?,
            ];
            let cmp = match mode {
                None => span_compare(gold_spans, &checked, &universe, &opts)?,
                Some(mode) => match_compare(
                    gold_spans,
                    &checked,
                    &universe,
                    MatchOptions {
                        mode,
                        min_overlap: args.min_overlap_fraction,
                    },
                    &opts,
                )?,
            };
            (cmp, Some(mode.map_or("ptc", eval::MatchMode::name)), None)
        }
    };
    let meta = CompareMeta {
        level: match args.level {
            LevelArg::Sentence => "sentence",
            LevelArg::Span => "span",
        },
        matching,
        a: names[0].clone(),
        b: names[1].clone(),
    };
    let text = comparison.render(&meta, render_format(output));
    if let (Some(path), Some(flipped)) = (&args.flips, &flipped) {
        tables::write_csv_text(Some(path), flipped, csv)?;
        let rows = flipped.lines().count() - 1;
        console.info(format!(
            "compare: {rows} (sentence, label) pairs change -> {}",
            path.display()
        ));
    }
    write_report(args.output.as_deref(), output, csv, &text)
}

/// Gold as read: (sentence id, label) pairs of a label table, or PTC spans (with their
/// projection onto sentences).
enum Gold {
    Pairs(Vec<(String, String)>),
    Spans(SpanGold),
}

struct SpanGold {
    spans: Vec<SpanLabel>,
    pairs: Vec<(String, String)>,
}

impl Gold {
    fn pairs(&self) -> &[(String, String)] {
        match self {
            Gold::Pairs(p) => p,
            Gold::Spans(s) => &s.pairs,
        }
    }
}

/// Reads gold: PTC span files (skipped spans are a warning naming the first) or a label
/// table.
fn read_gold(path: &Path, sentences: &[SentenceRow], console: Console) -> Result<Gold> {
    if !is_span_gold(path)? {
        let columns = PairColumns::read(path)?;
        let pairs = columns
            .pairs()
            .map(|(s, l)| (s.to_owned(), l.to_owned()))
            .collect();
        return Ok(Gold::Pairs(pairs));
    }
    let index = SentenceIndex::new(sentences).map_err(|e| anyhow!("{e}"))?;
    let (spans, pairs, skipped) = read_spans(&span_files(path)?, &index, console)?;
    if let Some(first) = skipped.first() {
        let reasons: Vec<String> = skipped.iter().map(|s| s.reason.to_string()).collect();
        console.warn(format!(
            "{}: {} gold span(s) skipped: {}",
            path.display(),
            skipped.len(),
            crate::progress::count_skipped(
                reasons.iter().map(String::as_str),
                Some(&format!("{}:{}", first.file, first.line))
            )
        ));
    }
    Ok(Gold::Spans(SpanGold { spans, pairs }))
}

/// Sentence level: both systems scored over one label set (every label of gold, A or B on
/// a sentence of the table, sorted); rows outside the table are counted on stderr.
fn sentence_evals(
    sentences_path: &Path,
    universe: &Universe,
    gold: &Gold,
    preds: &[PairColumns; 2],
    names: &[String; 2],
    console: Console,
) -> Result<(SentenceEval, SentenceEval)> {
    let gold_pairs = || gold.pairs().iter().map(|(s, l)| (s.as_str(), l.as_str()));
    let pred_pairs = |i: usize| preds[i].pairs();
    let eval_with = |i: usize, labels: Option<Vec<String>>| {
        eval::evaluate_pairs(
            universe,
            gold_pairs(),
            pred_pairs(i),
            &SentenceOptions {
                labels,
                strict: false,
            },
        )
        .map_err(|e| anyhow!("{e}"))
    };
    let first = [eval_with(0, None)?, eval_with(1, None)?];
    let union: BTreeSet<&String> = first.iter().flat_map(|e| e.labels.names()).collect();
    let union: Vec<String> = union.into_iter().cloned().collect();
    let d = [&first[0].diagnostics, &first[1].diagnostics];
    if d[0].gold_rows + d[0].pred_rows + d[1].pred_rows > 0
        && d[0].gold_outside == d[0].gold_rows
        && d[0].pred_outside == d[0].pred_rows
        && d[1].pred_outside == d[1].pred_rows
    {
        bail!(
            "{}: none of the {} gold and {} + {} prediction rows names a sentence of this table: is it the sentence table they were made from?",
            sentences_path.display(),
            d[0].gold_rows,
            d[0].pred_rows,
            d[1].pred_rows
        );
    }
    if d[0].gold_outside > 0 {
        console.warn(format!(
            "compare: {} gold rows outside the sentence table (skipped)",
            d[0].gold_outside
        ));
    }
    for (i, d) in d.iter().enumerate() {
        console.info(format!(
            "compare: {}: {} prediction rows ({} repeat a (sentence, label) pair: several matches count once)",
            names[i], d.pred_rows, d.pred_duplicates
        ));
        if d.pred_outside > 0 {
            console.warn(format!(
                "compare: {}: {} prediction rows outside the sentence table (skipped)",
                names[i], d.pred_outside
            ));
        }
    }
    if !d[0].outside_examples.is_empty() || !d[1].outside_examples.is_empty() {
        let mut ex: Vec<&String> = d[0]
            .outside_examples
            .iter()
            .chain(&d[1].outside_examples)
            .collect();
        ex.dedup();
        console.warn(format!(
            "e.g. sentence ids not in the table: {}",
            ex.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
        ));
    }
    Ok((
        eval_with(0, Some(union.clone()))?,
        eval_with(1, Some(union))?,
    ))
}

/// A prediction table's spans checked against the sentence table (rows outside their
/// sentence are skipped and counted, `end < start` is an error), with their rules.
struct CheckedSpans {
    spans: Vec<SpanLabel>,
    rules: Vec<String>,
}

fn checked_spans(
    path: &Path,
    rows: &[PredictionRow],
    sentences: &[SentenceRow],
    universe: &Universe,
    console: Console,
) -> Result<CheckedSpans> {
    let name = tables::input::display_name(path);
    let checked = eval::predicted_spans(sentences, universe, rows).map_err(|e| match e {
        eval::EvalError::ReversedPrediction {
            row,
            sentence_id,
            start,
            end,
        } => anyhow!(
            "{}: sentence `{sentence_id}`: end {end} is before start {start} (expected start <= end)",
            row_place(path, row)
        ),
        e => anyhow!("{name}: {e}"),
    })?;
    if let Some(first) = checked.skipped.first() {
        let r = &rows[first.row];
        let first_text = format!(
            "{}: {} (sentence `{}`, label `{}`, span {}-{})",
            row_place(path, first.row),
            first.reason,
            r.sentence_id,
            r.label,
            r.start,
            r.end
        );
        console.warn(format!(
            "{name}: {} predicted span(s) skipped: {}",
            checked.skipped.len(),
            crate::progress::count_skipped(
                checked.skipped.iter().map(|s| s.reason.key()),
                Some(&first_text)
            ),
        ));
    }
    let skipped: BTreeSet<usize> = checked.skipped.iter().map(|s| s.row).collect();
    let rules = (0..rows.len())
        .filter(|r| !skipped.contains(r))
        .map(|r| rows[r].rule_id.clone())
        .collect();
    Ok(CheckedSpans {
        spans: checked.spans,
        rules,
    })
}

/// The labels of two evaluations, sorted, once each.
fn union_of(a: &[String], b: &[String]) -> Vec<String> {
    let set: BTreeSet<&String> = a.iter().chain(b).collect();
    set.into_iter().cloned().collect()
}

/// Span level, SemEval partial credit (`ptc`).
fn span_compare(
    gold: &SpanGold,
    preds: &[CheckedSpans; 2],
    universe: &Universe,
    opts: &CompareOptions,
) -> Result<eval::compare::Comparison> {
    let first = [
        eval::evaluate_spans(&gold.spans, &preds[0].spans, None)?,
        eval::evaluate_spans(&gold.spans, &preds[1].spans, None)?,
    ];
    let labels = union_of(&first[0].labels, &first[1].labels);
    let a = eval::evaluate_spans(&gold.spans, &preds[0].spans, Some(&labels))?;
    let b = eval::evaluate_spans(&gold.spans, &preds[1].spans, Some(&labels))?;
    let l = labels.len();
    let paired = Paired::from_articles(labels, l, None, universe, &a.per_article, &b.per_article);
    Ok(compare(&paired, &|c: &eval::SpanCounts| c.prf(), opts))
}

/// Span level, a matching mode: micro is the overall matching.
fn match_compare(
    gold: &SpanGold,
    preds: &[CheckedSpans; 2],
    universe: &Universe,
    matching: MatchOptions,
    opts: &CompareOptions,
) -> Result<eval::compare::Comparison> {
    let run = |i: usize, labels: Option<&[String]>| {
        let rules: Vec<&str> = preds[i].rules.iter().map(String::as_str).collect();
        eval::evaluate_matches(&gold.spans, &preds[i].spans, &rules, labels, matching)
    };
    let first = [run(0, None)?, run(1, None)?];
    let labels = union_of(&first[0].labels, &first[1].labels);
    let (a, b) = (run(0, Some(&labels))?, run(1, Some(&labels))?);
    let l = labels.len();
    let paired = Paired::from_articles(
        labels,
        l + 1,
        Some(l),
        universe,
        &a.per_article,
        &b.per_article,
    );
    let mode = matching.mode;
    Ok(compare(
        &paired,
        &move |c: &eval::MatchCounts| -> Prf { c.prf(mode) },
        opts,
    ))
}
