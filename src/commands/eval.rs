//! `sentlab eval`: gold labels and predictions in, precision/recall/F1 out.
//!
//! The large inputs (sentence ids, gold and prediction pairs) are read column-wise with
//! polars' CSV reader, so ten million rows cost two string columns, not ten million
//! structs; the counting itself is in the pure [`crate::eval`] module.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, anyhow, bail};
use polars::prelude::{CsvReadOptions, DataFrame, PlSmallStr, SerReader};

use crate::cli::{ByArg, EvalArgs, LevelArg, SortArg};
use crate::commands::span_files;
use crate::eval::{
    self, BootstrapOptions, Report, SentenceOptions, SortKey, Universe, evaluate_pairs,
    evaluate_spans, parse_label_list, predicted_spans,
};
use crate::labels::{self, ImportOptions, SentenceIndex};
use crate::path_guard::PathGuard;
use crate::progress::Console;
use crate::rows::{PredictionRow, SpanLabel};
use crate::tables::{self, Format, ReportOutput, frame, write_text};

/// Reads the named string columns of a table with polars (CSV column-wise; JSON Lines and
/// Parquet by extension), after checking the header holds them (naming the file and the
/// columns found when not). A CSV error is located by file and line; an empty value in a
/// required column is an error. An empty file has no rows but is not an error when
/// `allow_empty`.
pub fn read_columns(path: &Path, columns: &[&str], allow_empty: bool) -> Result<DataFrame> {
    let name = path.display();
    let df = match crate::tables::Format::from_path(path) {
        Some(crate::tables::Format::Jsonl) => read_jsonl_columns(path, columns)?,
        Some(crate::tables::Format::Parquet | crate::tables::Format::Arrow) => {
            let df = frame::read_frame(path)?;
            let found: Vec<String> = df
                .get_column_names()
                .iter()
                .map(|c| c.to_string())
                .collect();
            crate::tables::check_columns(&name.to_string(), &found, columns)?;
            let mut cols = Vec::new();
            for c in columns {
                cols.push(df.column(c)?.cast(&polars::prelude::DataType::String)?);
            }
            DataFrame::new(df.height(), cols)?
        }
        _ => {
            let mut first = String::new();
            {
                use std::io::BufRead;
                let f = std::fs::File::open(path)
                    .with_context(|| format!("{name}: cannot read file"))?;
                std::io::BufReader::new(f)
                    .read_line(&mut first)
                    .with_context(|| format!("{name}: cannot read file (expected UTF-8 CSV)"))?;
            }
            let first = first.trim_start_matches('\u{FEFF}').trim_end();
            if first.is_empty() && allow_empty {
                let cols = columns
                    .iter()
                    .map(|c| polars::prelude::Column::new((*c).into(), Vec::<String>::new()))
                    .collect();
                return Ok(DataFrame::new(0, cols)?);
            }
            let mut reader = csv::ReaderBuilder::new().from_reader(first.as_bytes());
            let found: Vec<String> = reader
                .headers()
                .map(|h| h.iter().map(str::to_string).collect())
                .unwrap_or_default();
            crate::tables::check_columns(&name.to_string(), &found, columns)?;
            let cols: Arc<[PlSmallStr]> = columns.iter().map(|c| PlSmallStr::from(*c)).collect();
            CsvReadOptions::default()
                .with_has_header(true)
                .with_infer_schema_length(Some(0))
                .with_columns(Some(cols))
                .try_into_reader_with_file_path(Some(PathBuf::from(path)))
                .and_then(|r| r.finish())
                .map_err(|e| locate_csv_error(path).unwrap_or_else(|| anyhow!("{name}: {e}")))?
        }
    };
    for c in columns {
        let ca = df.column(c)?.str()?;
        if ca.null_count() > 0 {
            let row = ca.iter().position(|v| v.is_none()).unwrap_or(0);
            bail!(
                "{name}: data row {}: no value in column `{c}` (expected a value in every row)",
                row + 1
            );
        }
    }
    Ok(df)
}

/// Finds the first malformed record of a CSV file with the csv crate (only run after
/// polars failed), for an error that names the line.
fn locate_csv_error(path: &Path) -> Option<anyhow::Error> {
    let name = path.display().to_string();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return Some(anyhow!("{name}: cannot read file: {e}")),
    };
    if let Err(e) = crate::corpus::decode(&name, bytes.clone(), false) {
        return Some(e);
    }
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes.as_slice());
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => return None,
            Err(e) => return Some(crate::corpus::csv_error(&name, &bytes, e)),
        }
    }
}

fn read_jsonl_columns(path: &Path, columns: &[&str]) -> Result<DataFrame> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{name}: cannot read file (expected UTF-8 JSON Lines)"))?;
    let mut values: Vec<Vec<String>> = vec![Vec::new(); columns.len()];
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let v: serde_json::Value = serde_json::from_str(line).with_context(|| {
            format!(
                "{name}:{}: expected a JSON object with {}",
                i + 1,
                columns.join(", ")
            )
        })?;
        for (c, out) in columns.iter().zip(values.iter_mut()) {
            let cell = match v.get(*c) {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Number(n)) => n.to_string(),
                _ => bail!("{name}:{}: expected a string field `{c}`", i + 1),
            };
            out.push(cell);
        }
    }
    let n = values.first().map_or(0, Vec::len);
    let cols = columns
        .iter()
        .zip(values)
        .map(|(c, v)| polars::prelude::Column::new((*c).into(), v))
        .collect();
    Ok(DataFrame::new(n, cols)?)
}

fn str_column<'a>(df: &'a DataFrame, name: &str) -> Result<impl Iterator<Item = &'a str> + 'a> {
    let ca = df.column(name)?.str()?;

    Ok(ca.iter().map(|v| v.unwrap_or("")))
}

/// Whether a gold path holds PTC span files (a directory, or a `.labels` / tab-separated file).
pub fn is_span_gold(path: &Path) -> Result<bool> {
    if path.is_dir() {
        return Ok(true);
    }
    if path.extension().is_some_and(|e| e == "labels") {
        return Ok(true);
    }
    // The first lines are enough to tell (a gold table may be gigabytes).
    use std::io::Read;
    let mut head = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(64 * 1024).read_to_end(&mut head))
        .with_context(|| format!("{}: cannot read file", path.display()))?;
    let cut = head
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(head.len(), |i| i + 1);
    let text = String::from_utf8_lossy(&head[..cut]);
    Ok(labels::detect_format(&text) == Some(labels::Format::PtcSpans))
}

/// Gold read from PTC span files: the raw spans, the (sentence id, label) pairs they
/// project onto, and the spans that were skipped.
pub type SpanGold = (
    Vec<SpanLabel>,
    Vec<(String, String)>,
    Vec<labels::SkippedRow>,
);

/// Raw spans of PTC span files and their projection (the label importer validates every
/// line and names file:line); the importer's warnings are printed as `labels merge` prints
/// them.
pub fn read_spans(files: &[PathBuf], index: &SentenceIndex, console: Console) -> Result<SpanGold> {
    let mut spans = Vec::new();
    let mut pairs = Vec::new();
    let mut skipped = Vec::new();
    let opts = ImportOptions {
        format: Some(labels::Format::PtcSpans),
        ..ImportOptions::default()
    };
    for f in files {
        let name = f.display().to_string();
        let text =
            std::fs::read_to_string(f).with_context(|| format!("{name}: cannot read file"))?;
        let file = labels::parse_label_file(&name, &text, index, &opts)?;
        for w in file.warnings() {
            console.warn(w);
        }
        skipped.extend_from_slice(file.skipped());
        for e in file.entries(index) {
            if let Some(label) = e.label {
                pairs.push((e.sentence_id.to_string(), label.to_string()));
            }
        }
        spans.extend_from_slice(file.spans());
    }
    Ok((spans, pairs, skipped))
}

/// How the report of `args` is written (a usage error for an unknown `-o` extension).
fn report_output(args: &EvalArgs) -> Result<ReportOutput> {
    ReportOutput::for_output(args.format.map(Into::into), args.output.as_deref())
}

/// The text a report is rendered to: rows in a table format other than CSV are rendered
/// as CSV and converted when written (see [`write_report`]).
fn render_format(output: ReportOutput) -> eval::Format {
    match output {
        ReportOutput::Table => eval::Format::Table,
        ReportOutput::Markdown => eval::Format::Markdown,
        ReportOutput::Json => eval::Format::Json,
        ReportOutput::Rows(_) => eval::Format::Csv,
    }
}

/// Writes a rendered report: text as it is, CSV rows converted to the table format asked
/// for (numbers as numbers).
fn write_report(path: Option<&Path>, output: ReportOutput, text: &str) -> Result<()> {
    match output {
        ReportOutput::Rows(format) if format != Format::Csv => {
            let mut df = frame::frame_from_csv("report", text.as_bytes().to_vec())?;
            frame::write_frame(path, format, &mut df)
        }
        _ => write_text(path, text),
    }
}

fn sort_key(s: SortArg) -> SortKey {
    match s {
        SortArg::Label => SortKey::Label,
        SortArg::Support => SortKey::Support,
        SortArg::F1 => SortKey::F1,
    }
}

/// Runs `eval`.
pub fn run(args: &EvalArgs, console: Console) -> Result<()> {
    PathGuard::new()
        .searched_inputs("--gold", [&args.gold], "labels", false)
        .input("--pred", &args.pred)
        .input("--sentences", &args.sentences)
        .maybe_input("--schema", args.schema.as_ref())
        .output_or_stdout("-o", args.output.as_ref())
        .output("--errors", args.errors.as_ref())
        .check()?;
    let output = report_output(args)?;
    let text = evaluate(args, console)?;
    write_report(args.output.as_deref(), output, &text)
}

/// The range of `--bootstrap N`: fewer resamples give intervals that mean little (with 0
/// or 1 the interval is a point), more only cost time.
pub const BOOTSTRAP_RANGE: std::ops::RangeInclusive<u32> = 100..=100_000;

/// The bootstrap seed when `--seed` is not given.
pub const DEFAULT_SEED: u64 = 42;

/// Refuses flag combinations that would be ignored or contradict each other (usage errors,
/// exit 2), before any file is read.
fn check_flags(args: &EvalArgs) -> Result<()> {
    if args.level == LevelArg::Span && args.by == ByArg::Rule {
        crate::usage_bail!("--by rule is a sentence-level analysis; drop --level span");
    }
    if args.level == LevelArg::Span && (args.bootstrap.is_some() || args.errors.is_some()) {
        crate::usage_bail!("--bootstrap and --errors work at sentence level only");
    }
    if args.by == ByArg::Rule && args.bootstrap.is_some() {
        crate::usage_bail!(
            "--bootstrap gives intervals for the per-label report; --by rule has none: drop one of them"
        );
    }
    if args.by == ByArg::Rule && args.sort.is_some() {
        crate::usage_bail!(
            "--sort orders the label rows; --by rule lists rules in file order: drop --sort"
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
    Ok(())
}

/// Refuses a `--labels` name that no gold or predicted row of the table carries: it would
/// only add a zero row (and lower the macro average). `names` are the evaluated labels and
/// `present(i)` says whether label `i` has rows; `known` are the gold labels, for a
/// suggestion.
fn check_listed_labels(
    listed: &[String],
    names: &[String],
    present: impl Fn(usize) -> bool,
    known: &[String],
) -> Result<()> {
    let missing: Vec<String> = listed
        .iter()
        .filter(|name| !names.iter().position(|n| n == *name).is_some_and(&present))
        .map(|name| {
            let others: Vec<String> = known
                .iter()
                .filter(|k| !listed.contains(k))
                .cloned()
                .collect();
            match labels::closest_name(name, &others) {
                Some(k) => format!("`{name}` (did you mean `{k}`?)"),
                None => format!("`{name}`"),
            }
        })
        .collect();
    if !missing.is_empty() {
        crate::usage_bail!(
            "--labels: no gold or predicted row carries {}: a label without rows would only add a zero row to the report",
            missing.join(", ")
        );
    }
    Ok(())
}

/// Evaluates and renders the report (pure of output; reads the input files).
pub fn evaluate(args: &EvalArgs, console: Console) -> Result<String> {
    check_flags(args)?;
    let schema = args.schema.as_deref().map(super::read_schema).transpose()?;
    // Every label scored must be a label (or alias) of the schema.
    let check_schema = |names: &[String]| -> Result<()> {
        let (Some(schema), Some(path)) = (&schema, &args.schema) else {
            return Ok(());
        };
        let unknown: Vec<String> = names
            .iter()
            .filter(|n| schema.resolve(n).is_none())
            .map(|n| match schema.closest(n) {
                Some(c) => format!("`{n}` (closest: `{c}`)"),
                None => format!("`{n}`"),
            })
            .collect();
        if !unknown.is_empty() {
            bail!(
                "{}: gold or predicted labels not in the schema: {}",
                path.display(),
                unknown.join(", ")
            );
        }
        Ok(())
    };
    let need_rows = args.errors.is_some() || args.by == ByArg::Rule;
    let span_gold = is_span_gold(&args.gold)?;

    // The universe: sentence ids (and texts when errors are listed or spans projected).
    let (universe, sentence_rows) = if need_rows || span_gold {
        let rows = crate::sentence_table::read_rows(&args.sentences)?;
        (
            Universe::from_sentences(&rows)
                .map_err(|e| anyhow!("{}: {e}", args.sentences.display()))?,
            Some(rows),
        )
    } else {
        let df = read_columns(&args.sentences, &["sentence_id"], false)?;
        (
            Universe::from_ids(str_column(&df, "sentence_id")?)
                .map_err(|e| anyhow!("{}: {e}", args.sentences.display()))?,
            None,
        )
    };

    // Predictions: full rows when needed, else just the two columns.
    let pred_rows: Option<Vec<PredictionRow>> = if need_rows || args.level == LevelArg::Span {
        Some(read_predictions(&args.pred)?)
    } else {
        None
    };

    // Gold.
    let mut gold_spans = Vec::new();
    let mut gold_span_rows = 0;
    let mut gold_pairs_owned: Vec<(String, String)> = Vec::new();
    let mut gold_df = None;
    if span_gold {
        let rows = sentence_rows.as_ref().expect("read above for span gold");
        let index = SentenceIndex::new(rows).map_err(|e| anyhow!("{e}"))?;
        let (spans, pairs, skipped) = read_spans(&span_files(&args.gold)?, &index, console)?;
        gold_span_rows = spans.len() + skipped.len();
        if let Some(first) = skipped.first() {
            let reasons: Vec<String> = skipped.iter().map(|s| s.reason.to_string()).collect();
            let msg = format!(
                "{} gold span(s) skipped: {}",
                skipped.len(),
                super::count_skipped(
                    reasons.iter().map(String::as_str),
                    Some(&format!("{}:{}", first.file, first.line))
                )
            );
            if args.strict {
                bail!("{}: {msg}", args.gold.display());
            }
            console.warn(format!("{}: {msg}", args.gold.display()));
        }
        gold_spans = spans;
        gold_pairs_owned = pairs;
    } else {
        if args.level == LevelArg::Span {
            crate::usage_bail!("--level span needs gold spans (PTC span files), not a label table");
        }
        gold_df = Some(read_columns(&args.gold, &["sentence_id", "label"], true)?);
    }

    // Label names seen in gold, so `--labels` keeps commas inside known names.
    let mut known_labels: Vec<String> = Vec::new();
    if args.labels.is_some() {
        known_labels.extend(gold_pairs_owned.iter().map(|(_, l)| l.clone()));
        if let Some(df) = &gold_df
            && let Ok(col) = str_column(df, "label")
        {
            let mut seen: std::collections::BTreeSet<&str> = Default::default();
            seen.extend(col);
            known_labels.extend(seen.into_iter().map(str::to_string));
        }
        known_labels.sort();
        known_labels.dedup();
    }
    let labels = args
        .labels
        .as_deref()
        .map(|l| parse_label_list(l, &known_labels));

    if args.level == LevelArg::Span {
        let rows = sentence_rows.as_ref().expect("read above for span gold");
        let preds = check_predicted_spans(
            &args.pred,
            rows,
            &universe,
            pred_rows.as_deref().unwrap_or_default(),
            args.strict,
            console,
        )?;
        let pred_count = pred_rows.as_ref().map_or(0, Vec::len);
        if gold_spans.is_empty() && preds.is_empty() && gold_span_rows + pred_count > 0 {
            bail!(
                "{}: none of the {gold_span_rows} gold spans and {pred_count} prediction rows names an article or sentence of this table: is it the sentence table they were made from?",
                args.sentences.display()
            );
        }
        let ev = evaluate_spans(&gold_spans, &preds, labels.as_deref())?;
        check_schema(&ev.labels)?;
        if let Some(listed) = &labels {
            let c = &ev.per_label;
            let present = |i: usize| c[i].gold + c[i].predicted > 0;
            check_listed_labels(listed, &ev.labels, present, &known_labels)?;
        }
        let mut report = Report::from_span(&ev);
        report.sort(sort_key(args.sort.unwrap_or(SortArg::Support)));
        return Ok(report.render(render_format(report_output(args)?)));
    }

    let opts = SentenceOptions {
        labels,
        strict: args.strict,
    };
    let pred_df;
    let ev = {
        let gold_iter: Box<dyn Iterator<Item = (&str, &str)>> = match &gold_df {
            Some(df) => Box::new(str_column(df, "sentence_id")?.zip(str_column(df, "label")?)),
            None => Box::new(
                gold_pairs_owned
                    .iter()
                    .map(|(s, l)| (s.as_str(), l.as_str())),
            ),
        };
        let pred_iter: Box<dyn Iterator<Item = (&str, &str)>> = match &pred_rows {
            Some(rows) => Box::new(
                rows.iter()
                    .map(|r| (r.sentence_id.as_str(), r.label.as_str())),
            ),
            None => {
                pred_df = read_columns(&args.pred, &["sentence_id", "label"], true)?;
                Box::new(str_column(&pred_df, "sentence_id")?.zip(str_column(&pred_df, "label")?))
            }
        };
        evaluate_pairs(&universe, gold_iter, pred_iter, &opts).map_err(|e| anyhow!("{e}"))?
    };
    report_diagnostics(&ev.diagnostics, console);
    check_schema(ev.labels.names())?;
    let d = &ev.diagnostics;
    if d.gold_rows + d.pred_rows > 0
        && d.gold_outside == d.gold_rows
        && d.pred_outside == d.pred_rows
    {
        bail!(
            "{}: none of the {} gold and {} prediction rows names a sentence of this table (e.g. `{}`): is it the sentence table they were made from?",
            args.sentences.display(),
            d.gold_rows,
            d.pred_rows,
            d.outside_examples.first().map_or("", String::as_str)
        );
    }
    if let Some(listed) = &opts.labels {
        let c = &ev.counts.per_label;
        let present = |i: usize| c[i].tp + c[i].fp + c[i].fn_ > 0;
        check_listed_labels(listed, ev.labels.names(), present, &known_labels)?;
    }

    if let Some(errors_path) = &args.errors {
        let rows = sentence_rows.as_ref().expect("read when --errors");
        let errs = eval::error_list(
            &ev,
            &universe,
            pred_rows.as_deref().unwrap_or_default(),
            |i| rows.get(i as usize).map(|r| r.text.as_str()),
        );
        write_text(Some(errors_path), &eval::render_errors_csv(&errs))?;
        console.info(format!(
            "eval: {} errors -> {}",
            errs.len(),
            errors_path.display()
        ));
    }

    if args.by == ByArg::Rule {
        let rules = eval::by_rule(&ev, &universe, pred_rows.as_deref().unwrap_or_default());
        return Ok(eval::render_rules(
            &rules,
            render_format(report_output(args)?),
        ));
    }
    let mut report = Report::from_sentence(&ev);
    if let Some(n) = args.bootstrap {
        let threads = rayon::current_num_threads();
        let b = eval::bootstrap(
            &ev,
            &universe,
            &BootstrapOptions {
                n: n as usize,
                seed: args.seed.unwrap_or(DEFAULT_SEED),
                threads,
            },
        );
        report.attach_bootstrap(&b);
    }
    report.sort(sort_key(args.sort.unwrap_or(SortArg::Support)));
    Ok(report.render(render_format(report_output(args)?)))
}

/// The prediction rows as spans to score at span level: rows that name no sentence of the
/// table or leave their sentence are skipped and reported on
/// stderr (counts by reason, the first row by file and line); with `strict` the first one
/// is an error. A row with `end < start` is always an error.
fn check_predicted_spans(
    path: &Path,
    sentences: &[crate::rows::SentenceRow],
    universe: &Universe,
    rows: &[PredictionRow],
    strict: bool,
    console: Console,
) -> Result<Vec<SpanLabel>> {
    let name = path.display();
    let checked = predicted_spans(sentences, universe, rows).map_err(|e| match e {
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
        if strict {
            bail!(
                "{first_text}; expected a sentence of the sentence table and a span inside it (--strict)"
            );
        }
        console.warn(format!(
            "{name}: {} predicted span(s) skipped: {}",
            checked.skipped.len(),
            super::count_skipped(
                checked.skipped.iter().map(|s| s.reason.key()),
                Some(&first_text)
            ),
        ));
    }
    Ok(checked.spans)
}

/// `file:line` of the data row `row` (0-based) of a prediction table: the line the CSV
/// record starts on, or the row's line in JSON Lines (blank lines are not rows).
fn row_place(path: &Path, row: usize) -> String {
    let name = path.display();
    let Ok(text) = std::fs::read_to_string(path) else {
        return format!("{name}: data row {}", row + 1);
    };
    let line = if crate::tables::Format::from_path(path) == Some(crate::tables::Format::Jsonl) {
        text.lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .nth(row)
            .map(|(i, _)| i as u64 + 1)
    } else {
        crate::sentence_table::record_lines(&text, row)
            .get(row)
            .copied()
    };
    match line {
        Some(l) => format!("{name}:{l}"),
        None => format!("{name}: data row {}", row + 1),
    }
}

fn read_predictions(path: &Path) -> Result<Vec<PredictionRow>> {
    // An empty (or blank) text file is a table without rows.
    if !frame::is_columnar(path) {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read file", path.display()))?;
        if text.trim().is_empty() {
            return Ok(Vec::new());
        }
    }
    tables::read_table(path)
}

fn report_diagnostics(d: &eval::Diagnostics, console: Console) {
    let mut notes: HashMap<&str, u64> = HashMap::new();
    notes.insert(
        "gold rows outside the sentence table (skipped)",
        d.gold_outside,
    );
    notes.insert(
        "prediction rows outside the sentence table (skipped)",
        d.pred_outside,
    );
    notes.insert(
        "gold rows with a label not in --labels (skipped)",
        d.gold_unlisted_label,
    );
    notes.insert(
        "prediction rows with a label not in --labels (skipped)",
        d.pred_unlisted_label,
    );
    notes.insert(
        "duplicate gold (sentence, label) rows (counted once)",
        d.gold_duplicates,
    );
    let mut lines: Vec<String> = notes
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(what, n)| format!("{n} {what}"))
        .collect();
    lines.sort();
    console.info(format!(
        "eval: {} gold rows, {} prediction rows ({} repeat a (sentence, label) pair: several matches count once)",
        d.gold_rows, d.pred_rows, d.pred_duplicates
    ));
    for l in lines {
        console.warn(l);
    }
    if !d.outside_examples.is_empty() {
        console.warn(format!(
            "e.g. sentence ids not in the table: {}",
            d.outside_examples.join(", ")
        ));
    }
}
