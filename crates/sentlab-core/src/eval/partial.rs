//! Mergeable partial results of an evaluation: the sufficient statistics of
//! `eval --partial` (per article and label), which [`combine`] turns into the report one
//! run over all the articles gives, bootstrap intervals included (the bootstrap draws
//! articles in the order of their ids' bytes, so the same articles give the same draws
//! however they were split between runs).
//!
//! A partial is one JSON object:
//!
//! ```text
//! {"sentlab_partial": 1, "level": "sentence", "match": null, "min_overlap_fraction": null,
//!  "labels_option": null, "schema": null,
//!  "labels": ["Doubt", "Loaded_Language"],
//!  "articles": [{"id": "a1", "counts": [[1, 0, 2], [0, 1, 0], [1, 1, 1]]}, ...]}
//! ```
//!
//! Every article of the sentence table has a row (articles without labels or spans are
//! drawn by the bootstrap too), articles in the order of their ids' bytes. Per article, by
//! level and `match`:
//!
//! * sentence level: `counts`, one `[tp, fp, fn]` per label of `labels` (in that order), then
//!   the article's "any label" counts;
//! * span level, `match` `ptc`: `spans`, one `[predicted, gold, precision_sum, recall_sum]`
//!   per label (the SemEval sums of the article's spans of that label);
//! * span level, `match` `strict`, `exact`, `partial` or `type`: `matches`, one `[correct,
//!   incorrect, partial, missed, spurious]` per label, then the article's overall counts.
//!
//! The sums of `ptc` are written as strings, the shortest decimal that reads back to the
//! same double (`"0.6666666666666666"`), and so is `min_overlap_fraction`: a JSON number is
//! read back only to about the nearest double by many readers (serde_json among them),
//! and the combined sums must be bit for bit those of one run.
//!
//! What must agree between the partials of one evaluation is recorded, and [`combine`]
//! refuses partials that differ in it: the format version (`sentlab_partial`), `level`,
//! `match` (`null` at sentence level), `min_overlap_fraction` (`null`: not given),
//! `labels_option` (the `--labels` list as given, `null`: every label seen) and `schema`.
//! The schema is recorded as its label names and its aliases, each with its label, sorted
//! (`{"labels": [...], "aliases": [["LL", "Loaded_Language"], ...]}`, `null`: no
//! `--schema`): that is all of a schema an evaluation uses (labels outside it are refused),
//! so two schema files that differ only in descriptions or order agree, and a difference
//! can be named in the message, which a hash could not do.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::partial_format::PartialKind;

use super::bootstrap::{
    ArticleCounts, BootstrapOptions, BootstrapResult, Summable, article_matrix, bootstrap_counts,
    bootstrap_match_rows, bootstrap_span_rows,
};
use super::metrics::Counts;
use super::render::{Format, MatchReport, Report, SortKey};
use super::sentence::SentenceEval;
use super::span::{SpanCounts, SpanEval};
use super::span_match::{MatchCounts, MatchEval, MatchMode, MatchOptions};
use super::universe::Universe;
use crate::labels::Schema;

/// The version of the partial format this build writes and reads.
pub const PARTIAL_VERSION: u32 = 1;

/// Doubles written as the shortest decimal string that reads back to the same double.
mod exact_f64 {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&x.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(|_| {
            serde::de::Error::custom(format!("`{text}`: expected a number written as a string"))
        })
    }

    pub mod option {
        use serde::{Deserialize, Deserializer, Serializer};

        pub fn serialize<S: Serializer>(x: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
            match x {
                Some(x) => super::serialize(x, s),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
            match Option::<String>::deserialize(d)? {
                None => Ok(None),
                Some(text) => text.parse().map(Some).map_err(|_| {
                    serde::de::Error::custom(format!(
                        "`{text}`: expected a number written as a string"
                    ))
                }),
            }
        }
    }
}

/// One label's `ptc` sums in an article: `[predicted, gold, precision_sum, recall_sum]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SpanRow(
    pub u64,
    pub u64,
    #[serde(with = "exact_f64")] pub f64,
    #[serde(with = "exact_f64")] pub f64,
);

impl From<&SpanCounts> for SpanRow {
    fn from(c: &SpanCounts) -> SpanRow {
        SpanRow(c.predicted, c.gold, c.precision_sum, c.recall_sum)
    }
}

impl From<&SpanRow> for SpanCounts {
    fn from(r: &SpanRow) -> SpanCounts {
        SpanCounts {
            predicted: r.0,
            gold: r.1,
            precision_sum: r.2,
            recall_sum: r.3,
        }
    }
}

fn match_row(c: &MatchCounts) -> [u64; 5] {
    [c.correct, c.incorrect, c.partial, c.missed, c.spurious]
}

fn match_counts(r: &[u64; 5]) -> MatchCounts {
    MatchCounts {
        correct: r[0],
        incorrect: r[1],
        partial: r[2],
        missed: r[3],
        spurious: r[4],
    }
}

/// One article's statistics; only the field of the partial's level (and match) is filled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartialArticle {
    /// The article id.
    pub id: String,
    /// Sentence level: `[tp, fp, fn]` per label, then "any".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub counts: Vec<[u64; 3]>,
    /// Span level, `ptc`: the sums per label.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spans: Vec<SpanRow>,
    /// Span level, a matching mode: `[correct, incorrect, partial, missed, spurious]` per
    /// label, then overall.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matches: Vec<[u64; 5]>,
}

/// What identifies a label schema in a partial: its label names and its (alias, label)
/// pairs, sorted (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemaId {
    /// The label names, sorted.
    pub labels: Vec<String>,
    /// The aliases with their labels, sorted.
    pub aliases: Vec<(String, String)>,
}

impl SchemaId {
    /// The identity of `schema`.
    pub fn of(schema: &Schema) -> SchemaId {
        let mut labels: Vec<String> = schema.labels.iter().map(|l| l.name.clone()).collect();
        labels.sort();
        let mut aliases: Vec<(String, String)> = schema
            .labels
            .iter()
            .flat_map(|l| l.aliases.iter().map(|a| (a.clone(), l.name.clone())))
            .collect();
        aliases.sort();
        SchemaId { labels, aliases }
    }
}

/// The sufficient statistics of one evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Partial {
    /// The format version ([`PARTIAL_VERSION`]).
    pub sentlab_partial: u32,
    /// `sentence` or `span`.
    pub level: String,
    /// Span level: `ptc`, `strict`, `exact`, `partial` or `type` (`None` at sentence level).
    #[serde(rename = "match")]
    pub match_mode: Option<String>,
    /// `--min-overlap-fraction`, if given.
    #[serde(default, with = "exact_f64::option")]
    pub min_overlap_fraction: Option<f64>,
    /// The `--labels` list as given, if any.
    pub labels_option: Option<String>,
    /// The `--schema`, if any.
    pub schema: Option<SchemaId>,
    /// The labels, in the order of the rows.
    pub labels: Vec<String>,
    /// Every article of the sentence table, in the order of their ids' bytes.
    pub articles: Vec<PartialArticle>,
}

const MODES: [MatchMode; 4] = [
    MatchMode::Strict,
    MatchMode::Exact,
    MatchMode::Partial,
    MatchMode::Type,
];

impl Partial {
    fn new(level: &str, labels_option: Option<&str>, labels: Vec<String>) -> Partial {
        Partial {
            sentlab_partial: PARTIAL_VERSION,
            level: level.to_owned(),
            match_mode: None,
            min_overlap_fraction: None,
            labels_option: labels_option.map(str::to_owned),
            schema: None,
            labels,
            articles: Vec::new(),
        }
    }

    /// The partial of a sentence-level evaluation over `universe` (no schema recorded: see
    /// [`Partial::with_schema`]).
    pub fn of_sentence_eval(
        eval: &SentenceEval,
        universe: &Universe,
        labels_option: Option<&str>,
    ) -> Partial {
        let counts = ArticleCounts::new(eval, universe);
        let w = counts.n_labels + 1;
        let mut ids: Vec<&String> = universe.articles().iter().collect();
        ids.sort_unstable_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        let mut p = Partial::new("sentence", labels_option, eval.labels.names().to_vec());
        p.articles = ids
            .into_iter()
            .enumerate()
            .map(|(a, id)| PartialArticle {
                id: id.clone(),
                counts: counts.rows[a * w..(a + 1) * w]
                    .iter()
                    .map(|c| [c.tp, c.fp, c.fn_])
                    .collect(),
                spans: Vec::new(),
                matches: Vec::new(),
            })
            .collect();
        p
    }

    /// The partial of a span-level evaluation (`--match ptc`) over `universe`: the
    /// per-article rows the bootstrap resamples.
    pub fn of_span_eval(
        eval: &SpanEval,
        universe: &Universe,
        labels_option: Option<&str>,
    ) -> Partial {
        let w = eval.labels.len();
        let (ids, rows) = article_matrix(universe, &eval.per_article, w);
        let mut p = Partial::new("span", labels_option, eval.labels.clone());
        p.match_mode = Some("ptc".to_owned());
        p.articles = ids
            .into_iter()
            .enumerate()
            .map(|(a, id)| PartialArticle {
                id: id.to_owned(),
                counts: Vec::new(),
                spans: rows[a * w..(a + 1) * w].iter().map(SpanRow::from).collect(),
                matches: Vec::new(),
            })
            .collect();
        p
    }

    /// The partial of a span-level evaluation in a matching mode over `universe`: the
    /// per-article rows the bootstrap resamples.
    pub fn of_match_eval(
        eval: &MatchEval,
        universe: &Universe,
        labels_option: Option<&str>,
    ) -> Partial {
        let w = eval.labels.len() + 1;
        let (ids, rows) = article_matrix(universe, &eval.per_article, w);
        let mut p = Partial::new("span", labels_option, eval.labels.clone());
        p.match_mode = Some(eval.options.mode.name().to_owned());
        p.min_overlap_fraction = eval.options.min_overlap;
        p.articles = ids
            .into_iter()
            .enumerate()
            .map(|(a, id)| PartialArticle {
                id: id.to_owned(),
                counts: Vec::new(),
                spans: Vec::new(),
                matches: rows[a * w..(a + 1) * w].iter().map(match_row).collect(),
            })
            .collect();
        p
    }

    /// The partial with the identity of the `--schema` it was evaluated with recorded.
    pub fn with_schema(mut self, schema: Option<&Schema>) -> Partial {
        self.schema = schema.map(SchemaId::of);
        self
    }

    /// The partial as JSON (one line).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a partial serialises") + "\n"
    }

    /// The matching mode of a span-level partial in a matching mode.
    fn mode(&self) -> Option<MatchMode> {
        MODES
            .into_iter()
            .find(|m| self.match_mode.as_deref() == Some(m.name()))
    }

    /// Reads a partial written by [`Partial::to_json`]; `name` names it in errors.
    pub fn from_json(name: &str, text: &str) -> Result<Partial, String> {
        PartialKind::Eval.check_version(name, text, PARTIAL_VERSION)?;
        let p: Partial = serde_json::from_str(text)
            .map_err(|e| format!("{name}: not a partial result of `eval --partial`: {e}"))?;
        // The field each article fills, and how many rows it holds.
        let l = p.labels.len();
        let (field, width, what) = match (p.level.as_str(), p.match_mode.as_deref()) {
            ("sentence", None) => ("counts", l + 1, "labels, then any"),
            ("span", Some("ptc")) => ("spans", l, "labels"),
            ("span", Some(_)) if p.mode().is_some() => ("matches", l + 1, "labels, then overall"),
            ("sentence" | "span", m) => {
                return Err(format!(
                    "{name}: level `{}` with match `{}`: expected sentence level without a match, or span level with ptc, strict, exact, partial or type",
                    p.level,
                    m.unwrap_or("null")
                ));
            }
            (level, _) => {
                return Err(format!(
                    "{name}: level `{level}`: expected sentence or span"
                ));
            }
        };
        for a in &p.articles {
            let lens = [
                ("counts", a.counts.len()),
                ("spans", a.spans.len()),
                ("matches", a.matches.len()),
            ];
            for (f, n) in lens {
                let expected = if f == field { width } else { 0 };
                if n != expected {
                    return Err(format!(
                        "{name}: article `{}`: {n} {f}: expected {expected} ({l} {what})",
                        a.id
                    ));
                }
            }
        }
        p.check_values(name)?;
        Ok(p)
    }

    /// Refuses what no run writes: a label twice, articles not in strictly increasing order
    /// of their ids' bytes (an article twice among them), a count above [`MAX_COUNT`] (the
    /// sums would wrap), a `ptc` sum that is negative, not a number, or above its count
    /// (each span adds at most 1).
    fn check_values(&self, name: &str) -> Result<(), String> {
        let mut seen = BTreeSet::new();
        if let Some(l) = self.labels.iter().find(|l| !seen.insert(l.as_str())) {
            return Err(format!(
                "{name}: label `{l}` is repeated in `labels`: expected each label once"
            ));
        }
        for pair in self.articles.windows(2) {
            let (a, b) = (&pair[0].id, &pair[1].id);
            if a.as_bytes() >= b.as_bytes() {
                return Err(format!(
                    "{name}: article `{b}` after `{a}`: expected each article once, in increasing order of their ids' bytes"
                ));
            }
        }
        for a in &self.articles {
            let counts = (a.counts.iter().flatten().map(|&c| ("counts", c)))
                .chain(a.matches.iter().flatten().map(|&c| ("matches", c)))
                .chain(
                    a.spans
                        .iter()
                        .flat_map(|r| [("spans", r.0), ("spans", r.1)]),
                );
            for (field, c) in counts {
                if c > MAX_COUNT {
                    return Err(format!(
                        "{name}: article `{}`: count {c} in `{field}`: expected at most {MAX_COUNT} (2^40)",
                        a.id
                    ));
                }
            }
            for (r, label) in a.spans.iter().zip(&self.labels) {
                for (what, sum, of, n) in [
                    ("precision_sum", r.2, "predicted", r.0),
                    ("recall_sum", r.3, "gold", r.1),
                ] {
                    // Each span adds at most 1; the slack allows for rounding in the sum.
                    let max = n as f64 * (1.0 + 1e-9);
                    if !(sum >= 0.0 && sum <= max) {
                        return Err(format!(
                            "{name}: article `{}`: label `{label}`: {what} {sum}: expected a number from 0 to {of} ({n})",
                            a.id
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

/// The largest count a partial may hold: far above any corpus, far enough below `u64::MAX`
/// that the sums over a million articles cannot wrap.
pub const MAX_COUNT: u64 = 1 << 40;

/// A combined report: per label (sentence level, span level `ptc`), or of a matching mode.
#[derive(Debug, Clone)]
pub enum CombinedReport {
    /// Sentence level, or span level with `ptc`.
    Labels(Box<Report>),
    /// Span level with a matching mode.
    Matches(Box<MatchReport>),
}

impl CombinedReport {
    /// Sorts the label rows, as `eval --sort` does.
    pub fn sort(&mut self, key: SortKey) {
        match self {
            CombinedReport::Labels(r) => r.sort(key),
            CombinedReport::Matches(r) => r.sort(key),
        }
    }

    /// The report rendered, as `eval` renders it.
    pub fn render(&self, format: Format) -> String {
        match self {
            CombinedReport::Labels(r) => r.render(format),
            CombinedReport::Matches(r) => r.render(format),
        }
    }

    /// The number of label rows.
    pub fn label_count(&self) -> usize {
        self.label_names().len()
    }

    /// The labels of the rows, in row order.
    pub fn label_names(&self) -> Vec<&str> {
        match self {
            CombinedReport::Labels(r) => r.labels.iter().map(|r| r.label.as_str()).collect(),
            CombinedReport::Matches(r) => r.labels.iter().map(|r| r.label.as_str()).collect(),
        }
    }
}

/// Several partials combined: the report and, with `bootstrap`, its intervals.
#[derive(Debug, Clone)]
pub struct Combined {
    /// The report, label rows in label order (sort it before rendering).
    pub report: CombinedReport,
    /// Articles in all the partials.
    pub articles: usize,
}

/// `None` as `none`, a fraction as written.
fn show_fraction(f: Option<f64>) -> String {
    f.map_or_else(|| "none".to_owned(), |f| f.to_string())
}

/// The first difference between two recorded schemas, for a message.
fn schema_difference(
    (a_name, a): (&str, &Option<SchemaId>),
    (b_name, b): (&str, &Option<SchemaId>),
) -> String {
    let (a, b) = match (a, b) {
        (None, Some(s)) => return format!("none and a schema of {} labels", s.labels.len()),
        (Some(s), None) => return format!("a schema of {} labels and none", s.labels.len()),
        (Some(a), Some(b)) => (a, b),
        (None, None) => return "none and none".to_owned(),
    };
    for (x, x_name, y) in [(a, a_name, b), (b, b_name, a)] {
        if let Some(l) = x.labels.iter().find(|l| !y.labels.contains(l)) {
            return format!("label `{l}` in {x_name}'s only");
        }
    }
    for (x, x_name, y) in [(a, a_name, b), (b, b_name, a)] {
        if let Some((alias, l)) = x.aliases.iter().find(|p| !y.aliases.contains(p)) {
            return format!("alias `{alias}` of `{l}` in {x_name}'s only");
        }
    }
    "the same labels and aliases".to_owned()
}

/// Refuses partials that do not belong to one evaluation: they differ in level, match,
/// minimum overlap, `--labels` or schema (both files and the field named).
fn check_agreement(parts: &[(String, Partial)]) -> Result<(), String> {
    let (first_name, first) = &parts[0];
    for (name, p) in &parts[1..] {
        let differ = |field: &str, values: String, hint: &str| {
            Err(format!(
                "{first_name} and {name} differ in `{field}` ({values}): {hint}"
            ))
        };
        if p.level != first.level {
            return differ(
                "level",
                format!("{} and {}", first.level, p.level),
                "partials of one evaluation have the same level",
            );
        }
        if p.match_mode != first.match_mode {
            let show = |m: &Option<String>| m.clone().unwrap_or_else(|| "none".into());
            return differ(
                "match",
                format!("{} and {}", show(&first.match_mode), show(&p.match_mode)),
                "give both runs the same --match",
            );
        }
        if p.min_overlap_fraction.map(f64::to_bits) != first.min_overlap_fraction.map(f64::to_bits)
        {
            return differ(
                "min_overlap_fraction",
                format!(
                    "{} and {}",
                    show_fraction(first.min_overlap_fraction),
                    show_fraction(p.min_overlap_fraction)
                ),
                "give both runs the same --min-overlap-fraction",
            );
        }
        if p.labels_option != first.labels_option {
            let show = |o: &Option<String>| o.clone().unwrap_or_else(|| "every label".into());
            return differ(
                "labels_option",
                format!(
                    "{} and {}",
                    show(&first.labels_option),
                    show(&p.labels_option)
                ),
                "give both runs the same --labels",
            );
        }
        if p.schema != first.schema {
            return differ(
                "schema",
                schema_difference((first_name, &first.schema), (name, &p.schema)),
                "give both runs the same --schema",
            );
        }
    }
    Ok(())
}

/// The rows of every article of every partial, with the partials' labels mapped onto
/// `labels` and `tail` rows after them (the "any" or overall counts), so `labels.len() +
/// tail` rows per article, articles in the order of their ids' bytes (a BTreeMap of
/// strings orders by bytes). An article in two partials is refused.
fn gather<T: Summable>(
    parts: &[(String, Partial)],
    labels: &[String],
    tail: usize,
    rows_of: impl Fn(&PartialArticle) -> Vec<T>,
) -> Result<(usize, Vec<T>), String> {
    let index: BTreeMap<&str, usize> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i))
        .collect();
    let n = labels.len();
    let mut all: BTreeMap<&str, (usize, Vec<T>)> = BTreeMap::new();
    for (k, (name, p)) in parts.iter().enumerate() {
        let map: Vec<usize> = p.labels.iter().map(|l| index[l.as_str()]).collect();
        for a in &p.articles {
            let mut row = vec![T::default(); n + tail];
            for (i, c) in rows_of(a).into_iter().enumerate() {
                let at = if i < map.len() {
                    map[i]
                } else {
                    n + i - map.len()
                };
                row[at] = c;
            }
            if let Some((other, _)) = all.insert(&a.id, (k, row)) {
                return Err(format!(
                    "{} and {name} both hold article `{}`: each article must be in one partial only (shards of one corpus)",
                    parts[other].0, a.id
                ));
            }
        }
    }
    let n_articles = all.len();
    Ok((n_articles, all.into_values().flat_map(|(_, r)| r).collect()))
}

/// The sums over articles of each of the `width` rows, adding the articles in order (the
/// order of their ids' bytes, as one run adds them).
fn column_sums<T: Summable>(rows: &[T], width: usize) -> Vec<T> {
    let mut sums = vec![T::default(); width];
    if width > 0 {
        for article in rows.chunks(width) {
            for (s, c) in sums.iter_mut().zip(article) {
                s.add_scaled(c, 1);
            }
        }
    }
    sums
}

/// Combines partials (`(name, partial)`, the names for messages) into the report of one run
/// over all their articles. Refused: partials that differ in version, level, match, minimum
/// overlap, `--labels` or schema, or that share an article (both files and the field or
/// article named). Labels are the union (sorted by name, as one run orders every label
/// seen) or the `--labels` list.
pub fn combine(
    parts: &[(String, Partial)],
    bootstrap: Option<&BootstrapOptions>,
) -> Result<Combined, String> {
    let Some((first_name, first)) = parts.first() else {
        return Err("no partial to combine".to_owned());
    };
    check_agreement(parts)?;
    // The labels: the `--labels` list (the same in every partial), or the union by name.
    let labels: Vec<String> = if first.labels_option.is_some() {
        for (name, p) in &parts[1..] {
            if p.labels != first.labels {
                return Err(format!(
                    "{first_name} and {name} differ in `labels` with the same --labels: they were written by different versions"
                ));
            }
        }
        first.labels.clone()
    } else {
        let all: BTreeSet<&String> = parts.iter().flat_map(|(_, p)| &p.labels).collect();
        all.into_iter().cloned().collect()
    };
    let n = labels.len();
    let (report, articles) = match (first.level.as_str(), first.mode()) {
        ("sentence", _) => {
            let (n_articles, rows) = gather(parts, &labels, 1, |a| {
                a.counts
                    .iter()
                    .map(|c| Counts {
                        tp: c[0],
                        fp: c[1],
                        fn_: c[2],
                    })
                    .collect()
            })?;
            let sums = column_sums(&rows, n + 1);
            let mut report = Report::from_label_counts(&labels, &sums[..n], &sums[n]);
            if let Some(opts) = bootstrap {
                let counts = ArticleCounts {
                    n_articles,
                    n_labels: n,
                    rows,
                };
                let cis = bootstrap_counts(&counts, opts);
                report.attach_bootstrap(&BootstrapResult {
                    n: opts.n,
                    seed: opts.seed,
                    labels: labels
                        .iter()
                        .cloned()
                        .zip(cis[..n].iter().copied())
                        .collect(),
                    micro: cis[n],
                    macro_: cis[n + 1],
                    weighted: cis[n + 2],
                    any: cis[n + 3],
                });
            }
            (CombinedReport::Labels(Box::new(report)), n_articles)
        }
        (_, None) => {
            let (n_articles, rows) = gather(parts, &labels, 0, |a| {
                a.spans.iter().map(SpanCounts::from).collect()
            })?;
            let eval = SpanEval {
                labels: labels.clone(),
                per_label: column_sums(&rows, n),
                ..SpanEval::default()
            };
            let mut report = Report::from_span(&eval);
            if let Some(opts) = bootstrap {
                report.attach_bootstrap(&bootstrap_span_rows(&labels, n_articles, &rows, opts));
            }
            (CombinedReport::Labels(Box::new(report)), n_articles)
        }
        (_, Some(mode)) => {
            let (n_articles, rows) = gather(parts, &labels, 1, |a| {
                a.matches.iter().map(match_counts).collect()
            })?;
            let sums = column_sums(&rows, n + 1);
            let eval = MatchEval {
                options: MatchOptions {
                    mode,
                    min_overlap: first.min_overlap_fraction,
                },
                labels: labels.clone(),
                per_label: sums[..n].to_vec(),
                overall: sums[n],
                per_article: Vec::new(),
                gold: Vec::new(),
                pred: Vec::new(),
                empty_spans: (0, 0),
                unlisted_label: (0, 0),
            };
            let mut report = MatchReport::from_eval(&eval);
            if let Some(opts) = bootstrap {
                let (per_label, overall) =
                    bootstrap_match_rows(&labels, mode, n_articles, &rows, opts);
                report.attach_bootstrap(&per_label, overall, opts.n, opts.seed);
            }
            (CombinedReport::Matches(Box::new(report)), n_articles)
        }
    };
    Ok(Combined { report, articles })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{Format, SentenceOptions, SortKey, bootstrap, evaluate_rows};
    use crate::rows::{LabelRow, PredictionRow};

    /// Forty articles k00..k39 of 1 to 7 sentences; gold A where (3k + i) % 4 == 0, B where
    /// i == 2; predicted A where (k + i) % 3 == 0, B where (k + i) % 5 == 1.
    fn data() -> (Vec<String>, Vec<LabelRow>, Vec<PredictionRow>) {
        let (mut ids, mut gold, mut pred) = (Vec::new(), Vec::new(), Vec::new());
        let label = |id: &str, l: &str| LabelRow {
            sentence_id: id.to_owned(),
            label: l.to_owned(),
        };
        let p = |id: &str, l: &str| PredictionRow {
            sentence_id: id.to_owned(),
            label: l.to_owned(),
            rule_id: "r".into(),
            start: 0,
            end: 1,
            matched: "x".into(),
        };
        for k in 0..40 {
            for i in 0..(k % 7) + 1 {
                let id = format!("k{k:02}:{i}");
                if (k * 3 + i) % 4 == 0 {
                    gold.push(label(&id, "A"));
                }
                if i == 2 {
                    gold.push(label(&id, "B"));
                }
                if (k + i) % 3 == 0 {
                    pred.push(p(&id, "A"));
                }
                if (k + i) % 5 == 1 {
                    pred.push(p(&id, "B"));
                }
                ids.push(id);
            }
        }
        (ids, gold, pred)
    }

    fn partial_of(ids: &[String], gold: &[LabelRow], pred: &[PredictionRow]) -> Partial {
        let u = Universe::from_ids(ids.iter()).unwrap();
        let e = evaluate_rows(&u, gold, pred, &SentenceOptions::default()).unwrap();
        Partial::of_sentence_eval(&e, &u, None)
    }

    #[test]
    fn shards_combine_to_the_report_of_one_run_intervals_included() {
        let (ids, gold, pred) = data();
        let opts = BootstrapOptions {
            n: 500,
            seed: 5,
            threads: 2,
        };
        // One run over everything.
        let u = Universe::from_ids(ids.iter()).unwrap();
        let e = evaluate_rows(&u, &gold, &pred, &SentenceOptions::default()).unwrap();
        let mut one = Report::from_sentence(&e);
        one.attach_bootstrap(&bootstrap(&e, &u, &opts));
        one.sort(SortKey::Support);
        // Three shards by article (k mod 3), in a scrambled order; shard 3 has gold rows but
        // no prediction of label B (its label set differs), each sees every gold row (those
        // of other shards are outside its table and skipped).
        let shard = |r: usize| -> Vec<String> {
            ids.iter()
                .filter(|id| id[1..3].parse::<usize>().unwrap() % 3 == r)
                .cloned()
                .collect()
        };
        let pred_no_b: Vec<PredictionRow> =
            pred.iter().filter(|p| p.label != "B").cloned().collect();
        let parts = vec![
            ("s2.json".to_owned(), partial_of(&shard(2), &gold, &pred)),
            ("s0.json".to_owned(), partial_of(&shard(0), &gold, &pred)),
            ("s1.json".to_owned(), partial_of(&shard(1), &gold, &pred)),
        ];
        // Shard 1 without B predictions: fine, B is still in its gold, so the same label
        // set; a shard whose rows never carry B leaves B out of its labels.
        let only_a_gold: Vec<LabelRow> = gold.iter().filter(|g| g.label == "A").cloned().collect();
        let s1_no_b = partial_of(&shard(1), &only_a_gold, &pred_no_b);
        assert_eq!(s1_no_b.labels, ["A"]);
        // Through JSON and back, as `eval --partial` and `combine` do.
        let parts: Vec<(String, Partial)> = parts
            .into_iter()
            .map(|(n, p)| {
                let back = Partial::from_json(&n, &p.to_json()).unwrap();
                assert_eq!(back, p);
                (n, back)
            })
            .collect();
        let mut combined = combine(&parts, Some(&opts)).unwrap();
        assert_eq!(combined.articles, 40);
        combined.report.sort(SortKey::Support);
        assert_eq!(
            combined.report.render(Format::Json),
            one.render(Format::Json)
        );
        assert_eq!(
            combined.report.render(Format::Table),
            one.render(Format::Table)
        );
        // Without B in one shard's labels, its B counts are zeros: union of labels.
        let mut with_gap = parts.clone();
        with_gap[2].1 = s1_no_b;
        let c = combine(&with_gap, None).unwrap();
        let names = c.report.label_names();
        assert_eq!(names, ["A", "B"]);
    }

    #[test]
    fn partials_that_do_not_belong_together_are_refused() {
        let (ids, gold, pred) = data();
        let p = partial_of(&ids, &gold, &pred);
        let err = combine(
            &[("a.json".into(), p.clone()), ("b.json".into(), p.clone())],
            None,
        )
        .unwrap_err();
        assert_eq!(
            err,
            "a.json and b.json both hold article `k00`: each article must be in one partial only (shards of one corpus)"
        );
        let mut listed = p.clone();
        listed.labels_option = Some("A".into());
        let err = combine(
            &[("a.json".into(), p.clone()), ("b.json".into(), listed)],
            None,
        )
        .unwrap_err();
        assert_eq!(
            err,
            "a.json and b.json differ in `labels_option` (every label and A): give both runs the same --labels"
        );
        let text = p
            .to_json()
            .replace("\"sentlab_partial\":1", "\"sentlab_partial\":2");
        assert_eq!(
            Partial::from_json("c.json", &text).unwrap_err(),
            "c.json: partial format version 2: this sentlab reads version 1 (write the partials again with this version)"
        );
        let err = Partial::from_json("d.json", "{\"a\": 1}").unwrap_err();
        assert_eq!(
            err,
            "d.json: not a partial result of `eval --partial` (no `sentlab_partial` version)"
        );
        let mut short = p;
        short.articles[0].counts.pop();
        assert_eq!(
            Partial::from_json("e.json", &short.to_json()).unwrap_err(),
            "e.json: article `k00`: 2 counts: expected 3 (2 labels, then any)"
        );
    }

    // Span level.

    use crate::eval::{evaluate_matches, evaluate_spans};
    use crate::labels::LabelDef;
    use crate::rows::SpanLabel;

    fn sp(article: &str, label: &str, start: u64, end: u64) -> SpanLabel {
        SpanLabel {
            article_id: article.to_owned(),
            label: label.to_owned(),
            start,
            end,
        }
    }

    /// Thirty articles s00..s29 of three sentences; every fifth article has no span. Gold:
    /// A at [k, k + 7 + k % 4), B at [20 + k % 3, 31). Predicted: A at [k + k % 3, k + 5 +
    /// k % 6), B at [22, 25 + k % 5) in even articles, C at [40, 45) where k % 7 == 0 (only
    /// predicted, so only some shards see C). The overlaps give precision and recall sums
    /// like 5/7 + 3/11 + ..., whose double sum depends on the order of the terms.
    fn span_data() -> (Vec<String>, Vec<SpanLabel>, Vec<SpanLabel>) {
        let (mut ids, mut gold, mut pred) = (Vec::new(), Vec::new(), Vec::new());
        for k in 0..30u64 {
            let a = format!("s{k:02}");
            for i in 0..3 {
                ids.push(format!("{a}:{i}"));
            }
            if k % 5 == 4 {
                continue;
            }
            gold.push(sp(&a, "A", k, k + 7 + k % 4));
            gold.push(sp(&a, "B", 20 + k % 3, 31));
            pred.push(sp(&a, "A", k + k % 3, k + 5 + k % 6));
            if k % 2 == 0 {
                pred.push(sp(&a, "B", 22, 25 + k % 5));
            }
            if k % 7 == 0 {
                pred.push(sp(&a, "C", 40, 45));
            }
        }
        (ids, gold, pred)
    }

    /// The ids, gold and predicted spans of the articles whose number is `r` mod 3.
    fn span_shard(
        r: u64,
        (ids, gold, pred): &(Vec<String>, Vec<SpanLabel>, Vec<SpanLabel>),
    ) -> (Vec<String>, Vec<SpanLabel>, Vec<SpanLabel>) {
        let mine = |a: &str| a[1..3].parse::<u64>().unwrap() % 3 == r;
        (
            ids.iter().filter(|i| mine(i)).cloned().collect(),
            gold.iter()
                .filter(|s| mine(&s.article_id))
                .cloned()
                .collect(),
            pred.iter()
                .filter(|s| mine(&s.article_id))
                .cloned()
                .collect(),
        )
    }

    fn through_json(parts: Vec<(String, Partial)>) -> Vec<(String, Partial)> {
        parts
            .into_iter()
            .map(|(n, p)| {
                let back = Partial::from_json(&n, &p.to_json()).unwrap();
                assert_eq!(back, p);
                (n, back)
            })
            .collect()
    }

    #[test]
    fn span_ptc_shards_combine_to_one_run_bit_for_bit_intervals_included() {
        let data = span_data();
        let opts = BootstrapOptions {
            n: 400,
            seed: 11,
            threads: 2,
        };
        let (ids, gold, pred) = &data;
        let u = Universe::from_ids(ids.iter()).unwrap();
        let ev = evaluate_spans(gold, pred, None).unwrap();
        let mut one = Report::from_span(&ev);
        one.attach_bootstrap(&crate::eval::bootstrap_spans(&ev, &u, &opts));
        one.sort(SortKey::Support);
        let parts: Vec<(String, Partial)> = [2, 0, 1]
            .into_iter()
            .map(|r| {
                let (ids, gold, pred) = span_shard(r, &data);
                let u = Universe::from_ids(ids.iter()).unwrap();
                let e = evaluate_spans(&gold, &pred, None).unwrap();
                (format!("s{r}.json"), Partial::of_span_eval(&e, &u, None))
            })
            .collect();
        // C is predicted in s00, s07, s21 and s28 (s14 has no spans): in shards 0 and 1, not
        // in shard 2 (s02, s05, ..., s29), whose labels lack C.
        assert_eq!(parts[0].1.labels, ["A", "B"]);
        assert_eq!(parts[1].1.labels, ["A", "B", "C"]);
        assert_eq!(parts[0].1.match_mode.as_deref(), Some("ptc"));
        // Every article of the sentence table has a row, those without spans too.
        assert_eq!(parts[1].1.articles.len(), 10);
        assert_eq!(parts[1].1.articles[3].id, "s09");
        let parts = through_json(parts);
        // The per-label sums, added in the order of the article ids as one run adds them,
        // are the same doubles as one run's.
        let labels: Vec<String> = ["A", "B", "C"].map(String::from).to_vec();
        let (n_articles, rows) = gather(&parts, &labels, 0, |a| {
            a.spans.iter().map(SpanCounts::from).collect()
        })
        .unwrap();
        assert_eq!(n_articles, 30);
        let sums = column_sums(&rows, 3);
        for (got, want) in sums.iter().zip(&ev.per_label) {
            assert_eq!(got.precision_sum.to_bits(), want.precision_sum.to_bits());
            assert_eq!(got.recall_sum.to_bits(), want.recall_sum.to_bits());
            assert_eq!((got.predicted, got.gold), (want.predicted, want.gold));
        }
        let mut combined = combine(&parts, Some(&opts)).unwrap();
        assert_eq!(combined.articles, 30);
        combined.report.sort(SortKey::Support);
        for format in [Format::Json, Format::Table, Format::Csv, Format::Markdown] {
            assert_eq!(combined.report.render(format), one.render(format));
        }
        assert!(
            combined
                .report
                .render(Format::Json)
                .contains("\"bootstrap\"")
        );
    }

    /// Two articles, one per shard. x: gold A [0, 9), predicted A [3, 15): 6 shared code
    /// points, so P adds 6/12 = 1/2 and R adds 6/9 = 2/3. y: gold A [0, 6), predicted A
    /// [3, 10): 3 shared, P adds 3/7, R adds 3/6 = 1/2. So A: P = (1/2 + 3/7) / 2 = 13/28,
    /// R = (2/3 + 1/2) / 2 = 7/12. In `strict` both pairs overlap with other boundaries:
    /// 2 incorrect, P = R = 0; z adds gold and predicted A [5, 8): 1 correct, so P = R = 1/3.
    #[test]
    fn span_partials_give_hand_computed_scores() {
        let gold = [sp("x", "A", 0, 9), sp("y", "A", 0, 6), sp("z", "A", 5, 8)];
        let pred = [sp("x", "A", 3, 15), sp("y", "A", 3, 10), sp("z", "A", 5, 8)];
        let shard = |a: &str| -> (Universe, Vec<SpanLabel>, Vec<SpanLabel>) {
            let u = Universe::from_ids([format!("{a}:0")].iter()).unwrap();
            let keep = |s: &[SpanLabel]| s.iter().filter(|s| s.article_id == a).cloned().collect();
            (u, keep(&gold), keep(&pred))
        };
        let ptc: Vec<(String, Partial)> = ["x", "y"]
            .into_iter()
            .map(|a| {
                let (u, g, p) = shard(a);
                let e = evaluate_spans(&g, &p, None).unwrap();
                (format!("{a}.json"), Partial::of_span_eval(&e, &u, None))
            })
            .collect();
        let c = combine(&through_json(ptc), None).unwrap();
        let CombinedReport::Labels(r) = c.report else {
            panic!("ptc gives a per-label report")
        };
        let m = r.labels[0].metrics;
        assert!((m.precision.unwrap() - 13.0 / 28.0).abs() < 1e-15);
        assert!((m.recall.unwrap() - 7.0 / 12.0).abs() < 1e-15);
        assert_eq!(
            (r.labels[0].predicted, r.labels[0].support),
            (Some(2), Some(2))
        );
        let strict = MatchOptions {
            mode: MatchMode::Strict,
            min_overlap: None,
        };
        let matched: Vec<(String, Partial)> = ["x", "y", "z"]
            .into_iter()
            .map(|a| {
                let (u, g, p) = shard(a);
                let e = evaluate_matches(&g, &p, &[], None, strict).unwrap();
                (format!("{a}.json"), Partial::of_match_eval(&e, &u, None))
            })
            .collect();
        let c = combine(&through_json(matched), None).unwrap();
        let CombinedReport::Matches(r) = c.report else {
            panic!("strict gives a match report")
        };
        let want = MatchCounts {
            correct: 1,
            incorrect: 2,
            ..MatchCounts::default()
        };
        assert_eq!((r.labels[0].counts, r.overall.counts), (want, want));
        assert!((r.overall.metrics.precision.unwrap() - 1.0 / 3.0).abs() < 1e-15);
    }

    #[test]
    fn span_match_shards_combine_to_one_run_intervals_included() {
        let data = span_data();
        let opts = BootstrapOptions {
            n: 300,
            seed: 3,
            threads: 2,
        };
        for (mode, min_overlap) in [
            (MatchMode::Strict, None),
            (MatchMode::Partial, Some(0.5)),
            (MatchMode::Type, None),
        ] {
            let m = MatchOptions { mode, min_overlap };
            let (ids, gold, pred) = &data;
            let u = Universe::from_ids(ids.iter()).unwrap();
            let ev = evaluate_matches(gold, pred, &[], None, m).unwrap();
            let mut one = MatchReport::from_eval(&ev);
            let (per_label, overall) = crate::eval::bootstrap_matches(&ev, &u, &opts);
            one.attach_bootstrap(&per_label, overall, opts.n, opts.seed);
            one.sort(SortKey::F1);
            let parts: Vec<(String, Partial)> = [1, 2, 0]
                .into_iter()
                .map(|r| {
                    let (ids, gold, pred) = span_shard(r, &data);
                    let u = Universe::from_ids(ids.iter()).unwrap();
                    let e = evaluate_matches(&gold, &pred, &[], None, m).unwrap();
                    (format!("s{r}.json"), Partial::of_match_eval(&e, &u, None))
                })
                .collect();
            let parts = through_json(parts);
            assert_eq!(parts[0].1.match_mode.as_deref(), Some(mode.name()));
            assert_eq!(parts[0].1.min_overlap_fraction, min_overlap);
            let mut combined = combine(&parts, Some(&opts)).unwrap();
            combined.report.sort(SortKey::F1);
            for format in [Format::Json, Format::Table, Format::Csv] {
                assert_eq!(
                    combined.report.render(format),
                    one.render(format),
                    "{}",
                    mode.name()
                );
            }
        }
    }

    #[test]
    fn span_partials_of_other_settings_are_refused_naming_the_field() {
        let (ids, gold, pred) = span_data();
        let u = Universe::from_ids(ids.iter()).unwrap();
        let ptc = Partial::of_span_eval(&evaluate_spans(&gold, &pred, None).unwrap(), &u, None);
        let of = |mode, min_overlap| {
            let m = MatchOptions { mode, min_overlap };
            Partial::of_match_eval(
                &evaluate_matches(&gold, &pred, &[], None, m).unwrap(),
                &u,
                None,
            )
        };
        let refused = |a: &Partial, b: &Partial| {
            combine(
                &[("a.json".into(), a.clone()), ("b.json".into(), b.clone())],
                None,
            )
            .unwrap_err()
        };
        let strict = of(MatchMode::Strict, None);
        assert_eq!(
            refused(&ptc, &strict),
            "a.json and b.json differ in `match` (ptc and strict): give both runs the same --match"
        );
        assert_eq!(
            refused(&strict, &of(MatchMode::Strict, Some(0.5))),
            "a.json and b.json differ in `min_overlap_fraction` (none and 0.5): give both runs the same --min-overlap-fraction"
        );
        let (sids, sgold, spred) = data();
        let su = Universe::from_ids(sids.iter()).unwrap();
        let e = evaluate_rows(&su, &sgold, &spred, &SentenceOptions::default()).unwrap();
        let sentence = Partial::of_sentence_eval(&e, &su, None);
        assert_eq!(
            refused(&sentence, &ptc),
            "a.json and b.json differ in `level` (sentence and span): partials of one evaluation have the same level"
        );
        // The schema: its labels and aliases; descriptions and order do not matter.
        let def = |name: &str, aliases: &[&str], description: &str| LabelDef {
            name: name.into(),
            description: description.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        };
        let schema = |defs: Vec<LabelDef>| Schema::from_labels("s.toml", defs).unwrap();
        let abc = schema(vec![
            def("A", &["a"], ""),
            def("B", &[], ""),
            def("C", &[], ""),
        ]);
        let cba = schema(vec![
            def("C", &[], "x"),
            def("B", &[], "y"),
            def("A", &["a"], "z"),
        ]);
        let alias_b = schema(vec![
            def("A", &[], ""),
            def("B", &["a"], ""),
            def("C", &[], ""),
        ]);
        let with = |s: Option<&Schema>| ptc.clone().with_schema(s);
        assert!(
            combine(
                &[
                    ("a.json".into(), with(Some(&abc))),
                    ("b.json".into(), {
                        let mut other = with(Some(&cba));
                        other.articles.clear();
                        other
                    })
                ],
                None
            )
            .is_ok()
        );
        assert_eq!(
            refused(&with(None), &with(Some(&abc))),
            "a.json and b.json differ in `schema` (none and a schema of 3 labels): give both runs the same --schema"
        );
        assert_eq!(
            refused(&with(Some(&abc)), &with(Some(&alias_b))),
            "a.json and b.json differ in `schema` (alias `a` of `A` in a.json's only): give both runs the same --schema"
        );
        let ab = schema(vec![def("A", &["a"], ""), def("B", &[], "")]);
        assert_eq!(
            refused(&with(Some(&ab)), &with(Some(&abc))),
            "a.json and b.json differ in `schema` (label `C` in b.json's only): give both runs the same --schema"
        );
        // A partial without `min_overlap_fraction` (none given) reads as none.
        let text = strict
            .to_json()
            .replace("\"min_overlap_fraction\":null,", "");
        assert!(!text.contains("min_overlap"), "{text}");
        assert_eq!(Partial::from_json("o.json", &text).unwrap(), strict);
        // A row of another level's kind is refused when read.
        let mut wrong = ptc.clone();
        wrong.articles[0].matches = vec![[0; 5]; 4];
        assert_eq!(
            Partial::from_json("w.json", &wrong.to_json()).unwrap_err(),
            "w.json: article `s00`: 4 matches: expected 0 (3 labels)"
        );
        // A sum that is not a number.
        let text = ptc
            .to_json()
            .replacen("\"spans\":[[1,1,\"", "\"spans\":[[1,1,\"x", 1);
        assert!(
            Partial::from_json("n.json", &text)
                .unwrap_err()
                .starts_with("n.json: not a partial result of `eval --partial`: `x"),
            "{text}"
        );
    }

    /// A partial of level sentence (`labels` A and B) or span `ptc` (label A) with the
    /// articles, as JSON; `rows` is each article's field.
    fn hand_made(level_match: &str, labels: &str, articles: &[(&str, &str)]) -> String {
        let field = if level_match.contains("ptc") {
            "spans"
        } else {
            "counts"
        };
        let articles: Vec<String> = articles
            .iter()
            .map(|(id, rows)| format!(r#"{{"id": "{id}", "{field}": {rows}}}"#))
            .collect();
        format!(
            r#"{{"sentlab_partial": 1, {level_match}, "min_overlap_fraction": null, "labels_option": null, "schema": null, "labels": {labels}, "articles": [{}]}}"#,
            articles.join(", ")
        )
    }

    #[test]
    fn partials_no_run_writes_are_refused() {
        let sentence = r#""level": "sentence", "match": null"#;
        let ptc = r#""level": "span", "match": "ptc""#;
        let ok = "[[1, 0, 2], [0, 1, 0], [1, 1, 1]]";
        let err = |text: String| Partial::from_json("x.json", &text).unwrap_err();
        // Well-formed: read.
        assert!(
            Partial::from_json(
                "x.json",
                &hand_made(sentence, r#"["A", "B"]"#, &[("a", ok), ("b", ok)])
            )
            .is_ok()
        );
        assert_eq!(
            err(hand_made(sentence, r#"["A", "A"]"#, &[("a", ok)])),
            "x.json: label `A` is repeated in `labels`: expected each label once"
        );
        // "B" (0x42) sorts before "a" (0x61) in bytes.
        assert_eq!(
            err(hand_made(
                sentence,
                r#"["A", "B"]"#,
                &[("a", ok), ("B", ok)]
            )),
            "x.json: article `B` after `a`: expected each article once, in increasing order of their ids' bytes"
        );
        assert_eq!(
            err(hand_made(
                sentence,
                r#"["A", "B"]"#,
                &[("a", ok), ("a", ok)]
            )),
            "x.json: article `a` after `a`: expected each article once, in increasing order of their ids' bytes"
        );
        // 2^40 = 1099511627776 is the largest count read; one more is refused.
        assert!(
            Partial::from_json(
                "x.json",
                &hand_made(
                    sentence,
                    r#"["A", "B"]"#,
                    &[("a", "[[1099511627776, 0, 0], [0, 0, 0], [0, 0, 0]]")]
                )
            )
            .is_ok()
        );
        assert_eq!(
            err(hand_made(
                sentence,
                r#"["A", "B"]"#,
                &[("a", "[[1, 0, 0], [0, 1099511627777, 0], [0, 0, 0]]")]
            )),
            "x.json: article `a`: count 1099511627777 in `counts`: expected at most 1099511627776 (2^40)"
        );
        assert_eq!(
            err(hand_made(
                ptc,
                r#"["A"]"#,
                &[("a", r#"[[18446744073709551615, 1, "0", "0"]]"#)]
            )),
            "x.json: article `a`: count 18446744073709551615 in `spans`: expected at most 1099511627776 (2^40)"
        );
        // ptc sums: each of 2 predicted spans adds at most 1 to precision_sum, each of 1 gold
        // span at most 1 to recall_sum.
        assert!(
            Partial::from_json(
                "x.json",
                &hand_made(ptc, r#"["A"]"#, &[("a", r#"[[2, 1, "2", "1"]]"#)])
            )
            .is_ok()
        );
        for (row, msg) in [
            (
                r#"[[2, 1, "2.5", "1"]]"#,
                "precision_sum 2.5: expected a number from 0 to predicted (2)",
            ),
            (
                r#"[[2, 1, "-0.5", "1"]]"#,
                "precision_sum -0.5: expected a number from 0 to predicted (2)",
            ),
            (
                r#"[[2, 1, "NaN", "1"]]"#,
                "precision_sum NaN: expected a number from 0 to predicted (2)",
            ),
            (
                r#"[[2, 1, "1", "1.5"]]"#,
                "recall_sum 1.5: expected a number from 0 to gold (1)",
            ),
            (
                r#"[[2, 1, "1", "inf"]]"#,
                "recall_sum inf: expected a number from 0 to gold (1)",
            ),
        ] {
            assert_eq!(
                err(hand_made(ptc, r#"["A"]"#, &[("a", row)])),
                format!("x.json: article `a`: label `A`: {msg}")
            );
        }
    }
}
