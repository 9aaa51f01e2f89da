//! Metric reports and their renderings: aligned text table, markdown, CSV and JSON.

use serde::Serialize;

use super::bootstrap::{BootstrapResult, Cis, Interval};
use super::metrics::{Counts, Prf, macro_average, weighted_average};
use super::sentence::SentenceEval;
use super::span::SpanEval;
use super::span_match::{MatchCounts, MatchEval, MatchMode};

/// Which evaluation a report comes from; it decides the count columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Sentence level: columns tp, fp, fn, support.
    Sentence,
    /// Span level: columns predicted (spans), support (gold spans).
    Span,
}

/// Output format of [`Report::render`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned text table for people.
    Table,
    /// GitHub markdown table.
    Markdown,
    /// CSV with a header row (RFC 4180 quoting).
    Csv,
    /// Pretty-printed JSON.
    Json,
}

/// Order of the label rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// Support descending, ties by label (the default).
    #[default]
    Support,
    /// Label name ascending.
    Label,
    /// F1 descending (undefined last), ties by label.
    F1,
}

/// One row of a report: a label or an average.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Label name, or `micro` / `macro` / `weighted` / `any` for averages.
    pub label: String,
    /// True positives (sentence level; pooled for micro and any).
    pub tp: Option<u64>,
    /// False positives.
    pub fp: Option<u64>,
    /// False negatives.
    pub fn_: Option<u64>,
    /// Predicted spans after merging (span level).
    pub predicted: Option<u64>,
    /// Gold pairs (sentence level) or gold spans after merging (span level).
    pub support: Option<u64>,
    /// Precision, recall, F1.
    pub metrics: Prf,
    /// Bootstrap intervals, when attached.
    pub ci: Option<Cis>,
}

impl Row {
    fn from_counts(label: &str, c: &Counts) -> Row {
        Row {
            label: label.to_owned(),
            tp: Some(c.tp),
            fp: Some(c.fp),
            fn_: Some(c.fn_),
            predicted: None,
            support: Some(c.support()),
            metrics: c.prf(),
            ci: None,
        }
    }

    fn average(label: &str, metrics: Prf, support: u64) -> Row {
        Row {
            label: label.to_owned(),
            tp: None,
            fp: None,
            fn_: None,
            predicted: None,
            support: Some(support),
            metrics,
            ci: None,
        }
    }
}

/// A metrics report: label rows plus averages, ready to sort and render.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Sentence or span level.
    pub level: Level,
    /// One row per label.
    pub labels: Vec<Row>,
    /// Pooled counts over labels.
    pub micro: Row,
    /// Unweighted mean over labels (undefined counts as 0).
    pub macro_: Row,
    /// Support-weighted mean over labels (undefined counts as 0).
    pub weighted: Row,
    /// Binary "sentence has any label" row (sentence level only).
    pub any: Option<Row>,
    /// Replicates and seed when bootstrap intervals are attached.
    pub bootstrap: Option<(usize, u64)>,
}

impl Report {
    /// Report of a sentence-level evaluation, label rows in label-index order.
    pub fn from_sentence(eval: &SentenceEval) -> Report {
        Report::from_label_counts(
            eval.labels.names(),
            &eval.counts.per_label,
            &eval.counts.any,
        )
    }

    /// Report of sentence-level counts per label (in that order) and of the "any" row.
    pub fn from_label_counts(names: &[String], per: &[Counts], any: &Counts) -> Report {
        let labels: Vec<Row> = names
            .iter()
            .zip(per)
            .map(|(n, c)| Row::from_counts(n, c))
            .collect();
        let prfs: Vec<Prf> = per.iter().map(Counts::prf).collect();
        let weighted: Vec<(Prf, u64)> = per.iter().map(|c| (c.prf(), c.support())).collect();
        let mut total = Counts::default();
        for c in per {
            total.add(c);
        }
        Report {
            level: Level::Sentence,
            labels,
            micro: Row::from_counts("micro", &total),
            macro_: Row::average("macro", macro_average(&prfs), total.support()),
            weighted: Row::average("weighted", weighted_average(&weighted), total.support()),
            any: Some(Row::from_counts("any", any)),
            bootstrap: None,
        }
    }

    /// Report of a span-level evaluation, label rows in label-index order.
    pub fn from_span(eval: &SpanEval) -> Report {
        let row = |label: &str, predicted: u64, gold: u64, m: Prf| Row {
            label: label.to_owned(),
            tp: None,
            fp: None,
            fn_: None,
            predicted: Some(predicted),
            support: Some(gold),
            metrics: m,
            ci: None,
        };
        let labels: Vec<Row> = eval
            .labels
            .iter()
            .zip(&eval.per_label)
            .map(|(n, c)| row(n, c.predicted, c.gold, c.prf()))
            .collect();
        let prfs: Vec<Prf> = eval.per_label.iter().map(|c| c.prf()).collect();
        let weighted: Vec<(Prf, u64)> = eval.per_label.iter().map(|c| (c.prf(), c.gold)).collect();
        let total = eval.total();
        let mut macro_ = row("macro", total.predicted, total.gold, macro_average(&prfs));
        macro_.predicted = None;
        let mut weighted = row(
            "weighted",
            total.predicted,
            total.gold,
            weighted_average(&weighted),
        );
        weighted.predicted = None;
        Report {
            level: Level::Span,
            labels,
            micro: row("micro", total.predicted, total.gold, total.prf()),
            macro_,
            weighted,
            any: None,
            bootstrap: None,
        }
    }

    /// Sorts the label rows (averages stay below them).
    pub fn sort(&mut self, key: SortKey) {
        match key {
            SortKey::Label => self.labels.sort_by(|a, b| a.label.cmp(&b.label)),
            SortKey::Support => self.labels.sort_by(|a, b| {
                b.support
                    .cmp(&a.support)
                    .then_with(|| a.label.cmp(&b.label))
            }),
            SortKey::F1 => self.labels.sort_by(|a, b| {
                let fa = a.metrics.f1.unwrap_or(f64::NEG_INFINITY);
                let fb = b.metrics.f1.unwrap_or(f64::NEG_INFINITY);
                fb.total_cmp(&fa).then_with(|| a.label.cmp(&b.label))
            }),
        }
    }

    /// Attaches bootstrap intervals: label rows by name, and the averages.
    pub fn attach_bootstrap(&mut self, b: &BootstrapResult) {
        for row in &mut self.labels {
            row.ci = b
                .labels
                .iter()
                .find(|(n, _)| *n == row.label)
                .map(|(_, c)| *c);
        }
        self.micro.ci = Some(b.micro);
        self.macro_.ci = Some(b.macro_);
        self.weighted.ci = Some(b.weighted);
        if let Some(any) = &mut self.any {
            any.ci = Some(b.any);
        }
        self.bootstrap = Some((b.n, b.seed));
    }

    fn has_ci(&self) -> bool {
        self.bootstrap.is_some()
    }

    fn averages(&self) -> Vec<&Row> {
        let mut v = vec![&self.micro, &self.macro_, &self.weighted];
        if let Some(a) = &self.any {
            v.push(a);
        }
        v
    }

    fn columns(&self, csv: bool) -> Vec<String> {
        let mut c: Vec<String> = if csv { vec!["row".into()] } else { Vec::new() };
        c.extend(
            match self.level {
                Level::Sentence => ["label", "tp", "fp", "fn", "support"].as_slice(),
                Level::Span => ["label", "predicted", "support"].as_slice(),
            }
            .iter()
            .map(|s| s.to_string()),
        );
        for m in ["precision", "recall", "f1"] {
            c.push(m.to_owned());
        }
        if self.has_ci() {
            for m in ["precision", "recall", "f1"] {
                if csv {
                    c.push(format!("{m}_lo"));
                    c.push(format!("{m}_hi"));
                } else {
                    c.push(format!("{m} 95% CI"));
                }
            }
        }
        c
    }

    /// The cells of one row. CSV (for programs) starts with the `row` column (`label`, or
    /// the average's name, whose `label` cell is then empty) and keeps full precision;
    /// tables for people round to 3 decimals.
    fn cells(&self, row: &Row, csv: bool, average: bool) -> Vec<String> {
        let int = |v: Option<u64>| v.map_or(String::new(), |v| v.to_string());
        let mut c = match (csv, average) {
            (true, true) => vec![row.label.clone(), String::new()],
            (true, false) => vec!["label".to_owned(), row.label.clone()],
            (false, _) => vec![row.label.clone()],
        };
        match self.level {
            Level::Sentence => {
                c.extend([int(row.tp), int(row.fp), int(row.fn_), int(row.support)]);
            }
            Level::Span => c.extend([int(row.predicted), int(row.support)]),
        }
        metric_cells(&mut c, row.metrics, row.ci, self.has_ci(), csv);
        c
    }

    /// Renders the report in `format`.
    ///
    /// Table and markdown: label rows, a separator, then micro, macro, weighted (and any);
    /// undefined values show as `-`, counts that do not apply to a row are blank, fractions
    /// have 3 decimals. CSV: the same rows at full precision, with a first column `row`
    /// (`label`, `micro`, `macro`, `weighted`, `any`) so that a label named like an average
    /// cannot be mistaken for it (the `label` cell of averages is empty), undefined values
    /// empty and intervals as `*_lo`/`*_hi` columns. JSON: see [`Report::to_json`].
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Json => self.to_json(),
            Format::Csv => {
                let mut out = csv_line(&self.columns(true));
                for r in &self.labels {
                    out.push_str(&csv_line(&self.cells(r, true, false)));
                }
                for r in self.averages() {
                    out.push_str(&csv_line(&self.cells(r, true, true)));
                }
                out
            }
            Format::Table => render_table(
                &self.columns(false),
                1,
                &self
                    .labels
                    .iter()
                    .map(|r| self.cells(r, false, false))
                    .collect::<Vec<_>>(),
                &self
                    .averages()
                    .into_iter()
                    .map(|r| self.cells(r, false, false))
                    .collect::<Vec<_>>(),
            ),
            Format::Markdown => render_markdown(
                &self.columns(false),
                1,
                &self
                    .labels
                    .iter()
                    .chain(self.averages())
                    .map(|r| self.cells(r, false, false))
                    .collect::<Vec<_>>(),
            ),
        }
    }

    /// JSON: `{"labels": [{"label", "tp", "fp", "fn", "support", "precision", "recall", "f1"}, ...],
    /// "micro": {...}, "macro": {...}, "weighted": {...}, "any": {...}}`. Averages have no
    /// `label` key; macro and weighted carry only `support` among the counts. Undefined values
    /// are `null`. Span reports have `predicted` instead of tp/fp/fn and no `any`. With
    /// bootstrap intervals every row also has `precision_ci`, `recall_ci`, `f1_ci` as
    /// `[lo, hi]` (or `null`) and the top level has `"bootstrap": {"n", "seed", "level"}`.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct J<'a> {
            #[serde(skip_serializing_if = "Option::is_none")]
            label: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            tp: Option<u64>,
            #[serde(skip_serializing_if = "Option::is_none")]
            fp: Option<u64>,
            #[serde(rename = "fn", skip_serializing_if = "Option::is_none")]
            fn_: Option<u64>,
            #[serde(skip_serializing_if = "Option::is_none")]
            predicted: Option<u64>,
            #[serde(skip_serializing_if = "Option::is_none")]
            support: Option<u64>,
            #[serde(flatten)]
            scores: JsonScores,
        }
        #[derive(Serialize)]
        struct Top<'a> {
            labels: Vec<J<'a>>,
            micro: J<'a>,
            #[serde(rename = "macro")]
            macro_: J<'a>,
            weighted: J<'a>,
            #[serde(skip_serializing_if = "Option::is_none")]
            any: Option<J<'a>>,
            #[serde(skip_serializing_if = "Option::is_none")]
            bootstrap: Option<JsonBoot>,
        }
        let has_ci = self.has_ci();
        fn to_j(r: &Row, with_label: bool, has_ci: bool) -> J<'_> {
            J {
                label: with_label.then_some(r.label.as_str()),
                tp: r.tp,
                fp: r.fp,
                fn_: r.fn_,
                predicted: r.predicted,
                support: r.support,
                scores: JsonScores::of(r.metrics, r.ci, has_ci),
            }
        }
        let top = Top {
            labels: self.labels.iter().map(|r| to_j(r, true, has_ci)).collect(),
            micro: to_j(&self.micro, false, has_ci),
            macro_: to_j(&self.macro_, false, has_ci),
            weighted: to_j(&self.weighted, false, has_ci),
            any: self.any.as_ref().map(|r| to_j(r, false, has_ci)),
            bootstrap: self.bootstrap.map(JsonBoot::of),
        };
        serde_json::to_string_pretty(&top).expect("report serializes") + "\n"
    }
}

/// One row of a matching-mode report: a label or `overall`.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchRow {
    /// Label name, or `overall`.
    pub label: String,
    /// Category counts.
    pub counts: MatchCounts,
    /// Precision, recall, F1 under the mode.
    pub metrics: Prf,
    /// Bootstrap intervals, when attached.
    pub ci: Option<Cis>,
}

/// The report of a matching mode (`--match strict|exact|partial|type`): label rows, then
/// the overall row (all spans matched together, across labels).
#[derive(Debug, Clone, PartialEq)]
pub struct MatchReport {
    /// The mode.
    pub mode: MatchMode,
    /// The minimum overlap fraction, when given.
    pub min_overlap: Option<f64>,
    /// One row per label.
    pub labels: Vec<MatchRow>,
    /// The overall row.
    pub overall: MatchRow,
    /// Replicates and seed when bootstrap intervals are attached.
    pub bootstrap: Option<(usize, u64)>,
}

impl MatchReport {
    /// The report of an evaluation, label rows in label-index order.
    pub fn from_eval(ev: &MatchEval) -> MatchReport {
        let mode = ev.options.mode;
        let row = |label: &str, c: &MatchCounts| MatchRow {
            label: label.to_owned(),
            counts: *c,
            metrics: c.prf(mode),
            ci: None,
        };
        MatchReport {
            mode,
            min_overlap: ev.options.min_overlap,
            labels: ev
                .labels
                .iter()
                .zip(&ev.per_label)
                .map(|(l, c)| row(l, c))
                .collect(),
            overall: row("overall", &ev.overall),
            bootstrap: None,
        }
    }

    /// Sorts the label rows: support is `possible` (gold spans).
    pub fn sort(&mut self, key: SortKey) {
        match key {
            SortKey::Label => self.labels.sort_by(|a, b| a.label.cmp(&b.label)),
            SortKey::Support => self.labels.sort_by(|a, b| {
                b.counts
                    .possible()
                    .cmp(&a.counts.possible())
                    .then_with(|| a.label.cmp(&b.label))
            }),
            SortKey::F1 => self.labels.sort_by(|a, b| {
                let fa = a.metrics.f1.unwrap_or(f64::NEG_INFINITY);
                let fb = b.metrics.f1.unwrap_or(f64::NEG_INFINITY);
                fb.total_cmp(&fa).then_with(|| a.label.cmp(&b.label))
            }),
        }
    }

    /// Attaches bootstrap intervals: label rows by name, and the overall row.
    pub fn attach_bootstrap(
        &mut self,
        labels: &[(String, Cis)],
        overall: Cis,
        n: usize,
        seed: u64,
    ) {
        for row in &mut self.labels {
            row.ci = labels
                .iter()
                .find(|(l, _)| *l == row.label)
                .map(|(_, c)| *c);
        }
        self.overall.ci = Some(overall);
        self.bootstrap = Some((n, seed));
    }

    const COUNTS: [&'static str; 7] = [
        "correct",
        "incorrect",
        "partial",
        "missed",
        "spurious",
        "possible",
        "actual",
    ];

    fn columns(&self, csv: bool) -> Vec<String> {
        let mut c: Vec<String> = if csv { vec!["row".into()] } else { Vec::new() };
        c.push("label".into());
        c.extend(Self::COUNTS.iter().map(|s| s.to_string()));
        for m in ["precision", "recall", "f1"] {
            c.push(m.to_owned());
        }
        if self.bootstrap.is_some() {
            for m in ["precision", "recall", "f1"] {
                if csv {
                    c.push(format!("{m}_lo"));
                    c.push(format!("{m}_hi"));
                } else {
                    c.push(format!("{m} 95% CI"));
                }
            }
        }
        c
    }

    fn cells(&self, row: &MatchRow, csv: bool, overall: bool) -> Vec<String> {
        let mut c = match (csv, overall) {
            (true, true) => vec!["overall".to_owned(), String::new()],
            (true, false) => vec!["label".to_owned(), row.label.clone()],
            (false, _) => vec![row.label.clone()],
        };
        let k = &row.counts;
        c.extend(
            [
                k.correct,
                k.incorrect,
                k.partial,
                k.missed,
                k.spurious,
                k.possible(),
                k.actual(),
            ]
            .map(|v| v.to_string()),
        );
        metric_cells(&mut c, row.metrics, row.ci, self.bootstrap.is_some(), csv);
        c
    }

    /// Renders the report: table and markdown (label rows, then `overall`), CSV (first
    /// column `row`: `label` or `overall`) or JSON: `{"match", "min_overlap_fraction",
    /// "labels": [{"label", "correct", "incorrect", "partial", "missed", "spurious",
    /// "possible", "actual", "precision", "recall", "f1"}, ...], "overall": {...}}`, with
    /// `precision_ci`, `recall_ci`, `f1_ci` and a top-level `bootstrap` when intervals are
    /// attached. Undefined values are `-`, empty, or `null`.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Json => self.to_json(),
            Format::Csv => {
                let mut out = csv_line(&self.columns(true));
                for r in &self.labels {
                    out.push_str(&csv_line(&self.cells(r, true, false)));
                }
                out.push_str(&csv_line(&self.cells(&self.overall, true, true)));
                out
            }
            Format::Table => render_table(
                &self.columns(false),
                1,
                &self
                    .labels
                    .iter()
                    .map(|r| self.cells(r, false, false))
                    .collect::<Vec<_>>(),
                &[self.cells(&self.overall, false, true)],
            ),
            Format::Markdown => render_markdown(
                &self.columns(false),
                1,
                &self
                    .labels
                    .iter()
                    .chain([&self.overall])
                    .map(|r| self.cells(r, false, false))
                    .collect::<Vec<_>>(),
            ),
        }
    }

    fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct J<'a> {
            #[serde(skip_serializing_if = "Option::is_none")]
            label: Option<&'a str>,
            correct: u64,
            incorrect: u64,
            partial: u64,
            missed: u64,
            spurious: u64,
            possible: u64,
            actual: u64,
            #[serde(flatten)]
            scores: JsonScores,
        }
        #[derive(Serialize)]
        struct Top<'a> {
            #[serde(rename = "match")]
            mode: &'static str,
            min_overlap_fraction: Option<f64>,
            labels: Vec<J<'a>>,
            overall: J<'a>,
            #[serde(skip_serializing_if = "Option::is_none")]
            bootstrap: Option<JsonBoot>,
        }
        let has_ci = self.bootstrap.is_some();
        fn to_j(r: &MatchRow, with_label: bool, has_ci: bool) -> J<'_> {
            let k = r.counts;
            J {
                label: with_label.then_some(r.label.as_str()),
                correct: k.correct,
                incorrect: k.incorrect,
                partial: k.partial,
                missed: k.missed,
                spurious: k.spurious,
                possible: k.possible(),
                actual: k.actual(),
                scores: JsonScores::of(r.metrics, r.ci, has_ci),
            }
        }
        let top = Top {
            mode: self.mode.name(),
            min_overlap_fraction: self.min_overlap,
            labels: self.labels.iter().map(|r| to_j(r, true, has_ci)).collect(),
            overall: to_j(&self.overall, false, has_ci),
            bootstrap: self.bootstrap.map(JsonBoot::of),
        };
        serde_json::to_string_pretty(&top).expect("report serializes")
            + "
"
    }
}

/// Escapes one CSV field (RFC 4180): quoted when it contains a comma, a quote, CR or LF,
/// with inner quotes doubled.
pub fn csv_escape(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

/// One CSV record with a trailing newline.
pub fn csv_line<S: AsRef<str>>(fields: &[S]) -> String {
    let mut s = fields
        .iter()
        .map(|f| csv_escape(f.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    s.push('\n');
    s
}

fn width(s: &str) -> usize {
    s.chars().count()
}

/// Aligned text table: the first `text_columns` columns left-aligned, the others
/// right-aligned, two spaces between columns; a dashed line under the header, and `footer`
/// rows (may be empty) after another dashed line.
pub fn render_table<S: AsRef<str>>(
    header: &[S],
    text_columns: usize,
    body: &[Vec<String>],
    footer: &[Vec<String>],
) -> String {
    let n = header.len();
    let mut w: Vec<usize> = header.iter().map(|h| width(h.as_ref())).collect();
    for row in body.iter().chain(footer) {
        for (i, c) in row.iter().enumerate().take(n) {
            w[i] = w[i].max(width(c));
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut s = String::new();
        for (i, c) in cells.enumerate() {
            let pad = w[i] - width(c);
            if i > 0 {
                s.push_str("  ");
            }
            if i < text_columns {
                s.push_str(c);
                s.push_str(&" ".repeat(pad));
            } else {
                s.push_str(&" ".repeat(pad));
                s.push_str(c);
            }
        }
        s.truncate(s.trim_end().len());
        s.push('\n');
        s
    };
    let mut out = line(&mut header.iter().map(|h| h.as_ref()));
    let total: usize = w.iter().sum::<usize>() + 2 * (n.saturating_sub(1));
    out.push_str(&"-".repeat(total));
    out.push('\n');
    for r in body {
        out.push_str(&line(&mut r.iter().map(String::as_str)));
    }
    if !footer.is_empty() {
        out.push_str(&"-".repeat(total));
        out.push('\n');
        for r in footer {
            out.push_str(&line(&mut r.iter().map(String::as_str)));
        }
    }
    out
}

/// GitHub markdown table; the first `text_columns` columns are left-aligned, the others
/// right-aligned, and `|` in cells is escaped.
pub fn render_markdown<S: AsRef<str>>(
    header: &[S],
    text_columns: usize,
    rows: &[Vec<String>],
) -> String {
    let esc = |s: &str| s.replace('|', "\\|");
    let mut out = String::from("|");
    for h in header {
        out.push_str(&format!(" {} |", esc(h.as_ref())));
    }
    out.push_str("\n|");
    for i in 0..header.len() {
        out.push_str(if i < text_columns {
            " :--- |"
        } else {
            " ---: |"
        });
    }
    out.push('\n');
    for r in rows {
        out.push('|');
        for c in r {
            out.push_str(&format!(" {} |", esc(c)));
        }
        out.push('\n');
    }
    out
}

/// The count columns of the span-matching reports (and their per-rule rows): integers in
/// every table output of a report.
pub const MATCH_COUNT_COLUMNS: &[&str] = &[
    "correct",
    "incorrect",
    "partial",
    "missed",
    "spurious",
    "possible",
    "actual",
];

/// The scores of a row of a JSON report: precision, recall and F1, and with intervals
/// `precision_ci`, `recall_ci`, `f1_ci` as `[lo, hi]` (or `null` when undefined).
#[derive(Serialize)]
struct JsonScores {
    precision: Option<f64>,
    recall: Option<f64>,
    f1: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    precision_ci: Option<Option<[f64; 2]>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    recall_ci: Option<Option<[f64; 2]>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    f1_ci: Option<Option<[f64; 2]>>,
}

impl JsonScores {
    fn of(m: Prf, ci: Option<Cis>, has_ci: bool) -> JsonScores {
        let ci = ci.unwrap_or_default();
        let iv = |i: Option<Interval>| has_ci.then_some(i.map(|i| [i.lo, i.hi]));
        JsonScores {
            precision: m.precision,
            recall: m.recall,
            f1: m.f1,
            precision_ci: iv(ci.precision),
            recall_ci: iv(ci.recall),
            f1_ci: iv(ci.f1),
        }
    }
}

/// The `bootstrap` object of a JSON report: replicates, seed and the interval's level.
#[derive(Serialize)]
struct JsonBoot {
    n: usize,
    seed: u64,
    level: f64,
}

impl JsonBoot {
    fn of((n, seed): (usize, u64)) -> JsonBoot {
        JsonBoot {
            n,
            seed,
            level: 0.95,
        }
    }
}

/// Appends precision, recall and F1 (3 decimals, `-` when undefined; CSV: full precision,
/// empty) and, when `with_ci`, their intervals (`[lo, hi]`; CSV: a `lo` and a `hi` cell).
fn metric_cells(c: &mut Vec<String>, m: Prf, ci: Option<Cis>, with_ci: bool, csv: bool) {
    let num = |v: Option<f64>| match v {
        None if csv => String::new(),
        None => "-".to_owned(),
        Some(v) if csv => v.to_string(),
        Some(v) => format!("{v:.3}"),
    };
    c.extend([num(m.precision), num(m.recall), num(m.f1)]);
    if with_ci {
        let cis = ci.unwrap_or_default();
        for iv in [cis.precision, cis.recall, cis.f1] {
            if csv {
                c.push(num(iv.map(|i| i.lo)));
                c.push(num(iv.map(|i| i.hi)));
            } else {
                c.push(iv.map_or("-".to_owned(), |i| format!("[{:.3}, {:.3}]", i.lo, i.hi)));
            }
        }
    }
}

/// Renders rows of text columns and then numbers: table and markdown round to 3 decimals
/// with `-` for undefined values, CSV keeps full precision (undefined empty), JSON is the
/// rows serialised (undefined `null`). `cells` gives a row's cells, numbers formatted by
/// the function it is passed.
pub(super) fn render_numeric_rows<T: Serialize>(
    rows: &[T],
    header: &[&str],
    text_columns: usize,
    cells: impl Fn(&T, &dyn Fn(Option<f64>) -> String) -> Vec<String>,
    format: Format,
) -> String {
    let csv = format == Format::Csv;
    let num = |v: Option<f64>| match v {
        None if csv => String::new(),
        None => "-".to_owned(),
        Some(v) if csv => v.to_string(),
        Some(v) => format!("{v:.3}"),
    };
    let body: Vec<Vec<String>> = rows.iter().map(|r| cells(r, &num)).collect();
    match format {
        Format::Json => serde_json::to_string_pretty(rows).expect("rows serialize") + "\n",
        Format::Csv => {
            let mut s = csv_line(header);
            for c in &body {
                s.push_str(&csv_line(c));
            }
            s
        }
        Format::Markdown => render_markdown(header, text_columns, &body),
        Format::Table => render_table(header, text_columns, &body, &[]),
    }
}
