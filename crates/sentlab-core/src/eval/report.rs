//! The `eval` report from tables already in memory: score, check, render.
//!
//! [`report`] is pure: the sentence universe, gold and predictions in, the report text (and
//! the error list, when asked for) out, with the notes to print on stderr. Reading the
//! tables is the caller's job (`sentlab eval` reads files, `sentlab run` passes the tables
//! its earlier steps made).

use anyhow::{Result, anyhow, bail};

use super::{
    BootstrapOptions, ErrorRow, EvalError, Format, Level, MatchOptions, Report, SentenceEval,
    SentenceOptions, SortKey, SpanErrorRow, SpanEval, Universe, evaluate_pairs, evaluate_spans,
    parse_label_list, predicted_spans,
};
use crate::labels::{self, Schema};
use crate::rows::{GoldRow, PredictionRow, SentenceRow, SpanLabel};

/// One row per label type, per rule or per article, or the confusion matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    /// One row per label type, then averages.
    Label,
    /// One row per rule.
    Rule,
    /// One row per article (sentence level).
    Article,
    /// The label confusion matrix (sentence level).
    Confusion,
}

/// The accepted numbers of bootstrap resamples: fewer give intervals that mean little (with
/// 0 or 1 the interval is a point), more only cost time.
pub const BOOTSTRAP_RANGE: std::ops::RangeInclusive<u32> = 100..=100_000;

/// The bootstrap seed when none is given.
pub const DEFAULT_SEED: u64 = 42;

/// Bootstrap resampling of articles, for confidence intervals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resampling {
    /// Number of resamples.
    pub n: u32,
    /// Seed (same seed, same intervals).
    pub seed: u64,
}

/// What to evaluate and how to report it (the flags of `sentlab eval`, checked).
#[derive(Debug, Clone, PartialEq)]
pub struct EvalOptions {
    /// Sentence or span level.
    pub level: Level,
    /// Rows per label or per rule.
    pub by: GroupBy,
    /// Restrict and order the label set: the comma-separated list as given (names with
    /// commas are recognised when gold carries them).
    pub labels: Option<String>,
    /// Order of the label rows.
    pub sort: SortKey,
    /// Rows outside the sentence table (and, at span level, skipped predicted spans) are
    /// errors.
    pub strict: bool,
    /// Confidence intervals (per label; articles resampled).
    pub bootstrap: Option<Resampling>,
    /// List every false positive and false negative (sentence level), or every scored span
    /// with its outcome (span level).
    pub list_errors: bool,
    /// The text the report is rendered to.
    pub format: Format,
    /// Span level: a nervaluate-style matching mode (`None`: the SemEval partial-credit
    /// score, `ptc`).
    pub matching: Option<MatchOptions>,
    /// Also make the partial result ([`super::Partial`]; per-label report only).
    pub partial: bool,
}

impl Default for EvalOptions {
    /// Sentence level, one row per label sorted by support, as a table.
    fn default() -> Self {
        EvalOptions {
            level: Level::Sentence,
            by: GroupBy::Label,
            labels: None,
            sort: SortKey::Support,
            strict: false,
            bootstrap: None,
            list_errors: false,
            format: Format::Table,
            matching: None,
            partial: false,
        }
    }
}

/// (sentence id, label) pairs, read as many times as the evaluation needs.
pub trait LabelPairs {
    /// The pairs, in table order.
    fn pairs(&self) -> Box<dyn Iterator<Item = (&str, &str)> + '_>;
}

impl LabelPairs for [(String, String)] {
    fn pairs(&self) -> Box<dyn Iterator<Item = (&str, &str)> + '_> {
        Box::new(self.iter().map(|(s, l)| (s.as_str(), l.as_str())))
    }
}

impl LabelPairs for [GoldRow] {
    fn pairs(&self) -> Box<dyn Iterator<Item = (&str, &str)> + '_> {
        Box::new(
            self.iter()
                .map(|r| (r.sentence_id.as_str(), r.label.as_str())),
        )
    }
}

impl LabelPairs for [PredictionRow] {
    fn pairs(&self) -> Box<dyn Iterator<Item = (&str, &str)> + '_> {
        Box::new(
            self.iter()
                .map(|r| (r.sentence_id.as_str(), r.label.as_str())),
        )
    }
}

impl<T> LabelPairs for Vec<T>
where
    [T]: LabelPairs,
{
    fn pairs(&self) -> Box<dyn Iterator<Item = (&str, &str)> + '_> {
        self.as_slice().pairs()
    }
}

/// The gold labels.
pub enum Gold<'a> {
    /// A label table: (sentence id, label) pairs.
    Pairs(&'a dyn LabelPairs),
    /// PTC span files: the spans read and the (sentence id, label) pairs they project onto.
    Spans {
        /// The spans kept.
        spans: &'a [SpanLabel],
        /// Their projection onto sentences.
        pairs: &'a [(String, String)],
        /// Span lines read, skipped ones included.
        lines: usize,
    },
}

impl Gold<'_> {
    fn pairs(&self) -> Box<dyn Iterator<Item = (&str, &str)> + '_> {
        match self {
            Gold::Pairs(p) => p.pairs(),
            Gold::Spans { pairs, .. } => pairs.pairs(),
        }
    }
}

/// The predictions: full rows (needed for errors, per-rule rows and span level), or only
/// their (sentence id, label) pairs.
pub enum Predictions<'a> {
    /// Full prediction rows.
    Rows(&'a [PredictionRow]),
    /// (sentence id, label) pairs only.
    Pairs(&'a dyn LabelPairs),
}

impl Predictions<'_> {
    fn pairs(&self) -> Box<dyn Iterator<Item = (&str, &str)> + '_> {
        match self {
            Predictions::Rows(rows) => rows.pairs(),
            Predictions::Pairs(p) => p.pairs(),
        }
    }

    fn rows(&self) -> &[PredictionRow] {
        match self {
            Predictions::Rows(rows) => rows,
            Predictions::Pairs(_) => &[],
        }
    }
}

/// Everything [`report`] reads.
pub struct EvalData<'a> {
    /// The sentence ids of the sentence table.
    pub universe: &'a Universe,
    /// The sentence rows (needed to list errors with their text, and at span level).
    pub sentences: Option<&'a [SentenceRow]>,
    /// Gold labels.
    pub gold: Gold<'a>,
    /// Predictions.
    pub predictions: Predictions<'a>,
    /// A label schema and the name of its file: a label outside it is an error.
    pub schema: Option<(&'a str, &'a Schema)>,
    /// The name of the sentence table, for messages.
    pub sentences_name: &'a str,
    /// The name of the prediction table, for messages.
    pub predictions_name: &'a str,
    /// Where prediction row `i` (0-based) is, for messages (`file:line`).
    pub prediction_place: &'a dyn Fn(usize) -> String,
}

/// A message for stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// A summary line.
    Info(String),
    /// A warning.
    Warn(String),
}

/// The rendered report, and the errors listed when asked for.
#[derive(Debug, Clone)]
pub struct EvalReport {
    /// The report in the format asked for.
    pub text: String,
    /// Every false positive and false negative (with [`EvalOptions::list_errors`], sentence
    /// level).
    pub errors: Option<Vec<ErrorRow>>,
    /// Every scored span with its outcome (with [`EvalOptions::list_errors`], span level).
    pub span_errors: Option<Vec<SpanErrorRow>>,
    /// The partial result (with [`EvalOptions::partial`]).
    pub partial: Option<super::Partial>,
}

/// What [`report`] gives: the notes to print first (in order), then the report or the
/// error that stopped it.
pub struct Reported {
    /// Notes for stderr, printed before the error when there is one.
    pub notes: Vec<Note>,
    /// The report, or why there is none.
    pub report: Result<EvalReport>,
}

/// Scores the predictions against gold and renders the report (pure).
pub fn report(data: &EvalData<'_>, opts: &EvalOptions) -> Reported {
    let mut notes = Vec::new();
    let report = match opts.level {
        Level::Sentence => sentence_report(data, opts, &mut notes),
        Level::Span => span_report(data, opts, &mut notes),
    };
    Reported { notes, report }
}

/// The labels gold carries (sorted, once each), so `--labels` keeps commas inside known
/// names; empty without `--labels`.
fn known_labels(gold: &Gold<'_>, opts: &EvalOptions) -> Vec<String> {
    if opts.labels.is_none() {
        return Vec::new();
    }
    let seen: std::collections::BTreeSet<&str> = gold.pairs().map(|(_, l)| l).collect();
    seen.into_iter().map(str::to_string).collect()
}

/// Sentence level: score, check, then list errors and render.
fn sentence_report(
    data: &EvalData<'_>,
    opts: &EvalOptions,
    notes: &mut Vec<Note>,
) -> Result<EvalReport> {
    let known = known_labels(&data.gold, opts);
    let sentence_opts = SentenceOptions {
        labels: opts.labels.as_deref().map(|l| parse_label_list(l, &known)),
        strict: opts.strict,
    };
    let ev = evaluate_pairs(
        data.universe,
        data.gold.pairs(),
        data.predictions.pairs(),
        &sentence_opts,
    )
    .map_err(|e| anyhow!("{e}"))?;
    notes.extend(diagnostic_notes(&ev.diagnostics));
    check_sentence_eval(
        data,
        &ev,
        sentence_opts.labels.as_deref(),
        &known,
        opts.partial,
    )?;
    let errors = opts.list_errors.then(|| {
        let rows = data.sentences.unwrap_or_default();
        super::error_list(&ev, data.universe, data.predictions.rows(), |i| {
            rows.get(i as usize).map(|r| r.text.as_str())
        })
    });
    let text = match opts.by {
        GroupBy::Rule => {
            let rules = super::by_rule(&ev, data.universe, data.predictions.rows());
            super::render_rules(&rules, opts.format)
        }
        GroupBy::Article => {
            super::render_articles(&super::by_article(&ev, data.universe), opts.format)
        }
        GroupBy::Confusion => {
            super::render_confusion(&super::confusion(&ev, data.universe.len()), opts.format)
        }
        GroupBy::Label => {
            let mut report = Report::from_sentence(&ev);
            if let Some(b) = opts.bootstrap {
                report.attach_bootstrap(&super::bootstrap(
                    &ev,
                    data.universe,
                    &BootstrapOptions {
                        n: b.n as usize,
                        seed: b.seed,
                        threads: rayon::current_num_threads(),
                    },
                ));
            }
            report.sort(opts.sort);
            report.render(opts.format)
        }
    };
    let partial = opts.partial.then(|| {
        super::Partial::of_sentence_eval(&ev, data.universe, opts.labels.as_deref())
            .with_schema(data.schema.map(|(_, s)| s))
    });
    Ok(EvalReport {
        text,
        errors,
        span_errors: None,
        partial,
    })
}

/// The checks of a sentence-level evaluation: labels in the schema, some row inside the
/// sentence table, every `--labels` name carried by some row. The last two are not made
/// for a partial (`partial`): a shard may have no labels, or none of a listed label, and
/// its rows outside the table are counted in the notes.
fn check_sentence_eval(
    data: &EvalData<'_>,
    ev: &SentenceEval,
    listed: Option<&[String]>,
    known: &[String],
    partial: bool,
) -> Result<()> {
    check_schema(data.schema, ev.labels.names())?;
    if partial {
        return Ok(());
    }
    let d = &ev.diagnostics;
    if d.gold_rows + d.pred_rows > 0
        && d.gold_outside == d.gold_rows
        && d.pred_outside == d.pred_rows
    {
        bail!(
            "{}: none of the {} gold and {} prediction rows names a sentence of this table (e.g. `{}`): is it the sentence table they were made from?",
            data.sentences_name,
            d.gold_rows,
            d.pred_rows,
            d.outside_examples.first().map_or("", String::as_str)
        );
    }
    if let Some(listed) = listed {
        let c = &ev.counts.per_label;
        let present = |i: usize| c[i].tp + c[i].fp + c[i].fn_ > 0;
        check_listed_labels(listed, ev.labels.names(), present, known)?;
    }
    Ok(())
}

/// Span level: the predicted spans checked, scored, checked, rendered.
fn span_report(
    data: &EvalData<'_>,
    opts: &EvalOptions,
    notes: &mut Vec<Note>,
) -> Result<EvalReport> {
    if matches!(opts.by, GroupBy::Article | GroupBy::Confusion) {
        crate::usage_bail!(
            "--by article and --by confusion count (sentence, label) pairs: they need --level sentence"
        );
    }
    let Gold::Spans {
        spans: gold_spans,
        lines,
        ..
    } = &data.gold
    else {
        crate::usage_bail!("--level span needs gold spans (PTC span files), not a label table");
    };
    let known = known_labels(&data.gold, opts);
    let labels = opts.labels.as_deref().map(|l| parse_label_list(l, &known));
    let pred_rows = data.predictions.rows();
    let (preds, kept) = checked_predicted_spans(data, pred_rows, opts.strict, notes)?;
    // A shard of a partial evaluation may hold none of the spans (those outside it are
    // counted in the warnings of skipped spans).
    if !opts.partial && gold_spans.is_empty() && preds.is_empty() && lines + pred_rows.len() > 0 {
        bail!(
            "{}: none of the {lines} gold spans and {} prediction rows names an article or sentence of this table: is it the sentence table they were made from?",
            data.sentences_name,
            pred_rows.len()
        );
    }
    let rules: Vec<&str> = kept
        .iter()
        .map(|&r| pred_rows[r].rule_id.as_str())
        .collect();
    let sentences = super::SentenceLookup::new(data.sentences.unwrap_or_default());
    let boot = |b: Resampling| BootstrapOptions {
        n: b.n as usize,
        seed: b.seed,
        threads: rayon::current_num_threads(),
    };
    let labels = labels.as_deref();
    let Some(matching) = opts.matching else {
        let ev: SpanEval = evaluate_spans(gold_spans, &preds, labels)?;
        check_schema(data.schema, &ev.labels)?;
        if let Some(listed) = labels.filter(|_| !opts.partial) {
            let c = &ev.per_label;
            let present = |i: usize| c[i].gold + c[i].predicted > 0;
            check_listed_labels(listed, &ev.labels, present, &known)?;
        }
        let span_errors = opts
            .list_errors
            .then(|| super::span_errors_ptc(gold_spans, &preds, &rules, labels, &sentences));
        let text = match opts.by {
            GroupBy::Rule => super::render_span_rules(
                &super::by_rule_spans(gold_spans, &preds, &rules, labels)?,
                opts.format,
            ),
            // Article and confusion were refused above.
            GroupBy::Label | GroupBy::Article | GroupBy::Confusion => {
                let mut report = Report::from_span(&ev);
                if let Some(b) = opts.bootstrap {
                    report.attach_bootstrap(&super::bootstrap_spans(&ev, data.universe, &boot(b)));
                }
                report.sort(opts.sort);
                report.render(opts.format)
            }
        };
        let partial = opts.partial.then(|| {
            super::Partial::of_span_eval(&ev, data.universe, opts.labels.as_deref())
                .with_schema(data.schema.map(|(_, s)| s))
        });
        return Ok(EvalReport {
            text,
            errors: None,
            span_errors,
            partial,
        });
    };
    let ev = super::evaluate_matches(gold_spans, &preds, &rules, labels, matching)?;
    check_schema(data.schema, &ev.labels)?;
    if let Some(listed) = labels.filter(|_| !opts.partial) {
        let c = &ev.per_label;
        let present = |i: usize| c[i].possible() + c[i].actual() > 0;
        check_listed_labels(listed, &ev.labels, present, &known)?;
    }
    let span_errors = opts
        .list_errors
        .then(|| super::span_errors_matched(&ev, gold_spans, &preds, &rules, &sentences));
    let text = match opts.by {
        GroupBy::Rule => super::render_match_rules(
            &super::by_rule_matches(gold_spans, &preds, &rules, labels, matching)?,
            opts.format,
        ),
        GroupBy::Label | GroupBy::Article | GroupBy::Confusion => {
            let mut report = super::MatchReport::from_eval(&ev);
            if let Some(b) = opts.bootstrap {
                let (per_label, overall) = super::bootstrap_matches(&ev, data.universe, &boot(b));
                report.attach_bootstrap(&per_label, overall, b.n as usize, b.seed);
            }
            report.sort(opts.sort);
            report.render(opts.format)
        }
    };
    let partial = opts.partial.then(|| {
        super::Partial::of_match_eval(&ev, data.universe, opts.labels.as_deref())
            .with_schema(data.schema.map(|(_, s)| s))
    });
    Ok(EvalReport {
        text,
        errors: None,
        span_errors,
        partial,
    })
}

/// The prediction rows as spans to score at span level: rows that name no sentence of the
/// table or leave their sentence are skipped and noted (counts by reason, the first row by
/// place); with `strict` the first one is an error. A row with `end < start` is always an
/// error.
fn checked_predicted_spans(
    data: &EvalData<'_>,
    rows: &[PredictionRow],
    strict: bool,
    notes: &mut Vec<Note>,
) -> Result<(Vec<SpanLabel>, Vec<usize>)> {
    let name = data.predictions_name;
    let place = data.prediction_place;
    let sentences = data.sentences.unwrap_or_default();
    let checked = predicted_spans(sentences, data.universe, rows).map_err(|e| match e {
        EvalError::ReversedPrediction {
            row,
            sentence_id,
            start,
            end,
        } => anyhow!(
            "{}: sentence `{sentence_id}`: end {end} is before start {start} (expected start <= end)",
            place(row)
        ),
        e => anyhow!("{name}: {e}"),
    })?;
    if let Some(first) = checked.skipped.first() {
        let r = &rows[first.row];
        let first_text = format!(
            "{}: {} (sentence `{}`, label `{}`, span {}-{})",
            place(first.row),
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
        notes.push(Note::Warn(format!(
            "{name}: {} predicted span(s) skipped: {}",
            checked.skipped.len(),
            crate::text::count_skipped(
                checked.skipped.iter().map(|s| s.reason.key()),
                Some(&first_text)
            ),
        )));
    }
    let mut skipped = checked.skipped.iter().map(|s| s.row).peekable();
    let kept: Vec<usize> = (0..rows.len())
        .filter(|&r| {
            if skipped.peek() == Some(&r) {
                skipped.next();
                false
            } else {
                true
            }
        })
        .collect();
    Ok((checked.spans, kept))
}

/// Every label scored must be a label (or alias) of the schema.
fn check_schema(schema: Option<(&str, &Schema)>, names: &[String]) -> Result<()> {
    let Some((path, schema)) = schema else {
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
            "{path}: gold or predicted labels not in the schema: {}",
            unknown.join(", ")
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

/// The accounting of a sentence-level evaluation: one summary line, then a warning per
/// kind of skipped or repeated row (sorted), then examples of ids outside the table.
fn diagnostic_notes(d: &super::Diagnostics) -> Vec<Note> {
    let counts = [
        (
            "gold rows outside the sentence table (skipped)",
            d.gold_outside,
        ),
        (
            "prediction rows outside the sentence table (skipped)",
            d.pred_outside,
        ),
        (
            "gold rows with a label not in --labels (skipped)",
            d.gold_unlisted_label,
        ),
        (
            "prediction rows with a label not in --labels (skipped)",
            d.pred_unlisted_label,
        ),
        (
            "duplicate gold (sentence, label) rows (counted once)",
            d.gold_duplicates,
        ),
    ];
    let mut lines: Vec<String> = counts
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(what, n)| format!("{n} {what}"))
        .collect();
    lines.sort();
    let mut notes = vec![Note::Info(format!(
        "eval: {} gold rows, {} prediction rows ({} repeat a (sentence, label) pair: several matches count once)",
        d.gold_rows, d.pred_rows, d.pred_duplicates
    ))];
    notes.extend(lines.into_iter().map(Note::Warn));
    if !d.outside_examples.is_empty() {
        notes.push(Note::Warn(format!(
            "e.g. sentence ids not in the table: {}",
            d.outside_examples.join(", ")
        )));
    }
    notes
}
