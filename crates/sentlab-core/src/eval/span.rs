//! Span-level scoring in the style of the Propaganda Techniques Corpus fragment-level
//! classification task (Da San Martino et al., EMNLP 2019) and SemEval-2020 Task 11.
//!
//! For a predicted span `s` and a gold span `t` of the same label in the same article,
//! `C(s, t, h) = |s ∩ t| / h` (intersection in code points). With `S` the predicted and `T`
//! the gold spans:
//!
//! * `P = (1/|S|) · Σ_s Σ_t C(s, t, |s|)`,
//! * `R = (1/|T|) · Σ_t Σ_s C(s, t, |t|)`,
//! * `F1` = harmonic mean of P and R.
//!
//! **Overlap choice.** Before scoring, overlapping spans (sharing at least one code point)
//! of the same label in the same article are merged into their union, separately for gold
//! and for predictions; spans that merely touch (`a.end == b.start`) stay apart, and exact
//! repeats collapse into one. This follows the official SemEval-2020 Task 11 scorer, which
//! merges overlapping annotations (its `merge_spans`) before computing the sums. It keeps
//! every code point counted at most once on each side, so `0 ≤ P, R ≤ 1`; without it two
//! overlapping gold spans covering one prediction would let its precision contribution
//! exceed 1. `|S|` and `|T|` are the counts *after* merging. Empty spans (`start == end`)
//! are dropped and counted; `end < start` is an error.
//!
//! Per label P/R/F1 use that label's spans; micro pools numerators and counts over labels
//! (the official "overall" score, where only same-label pairs contribute); macro and
//! weighted (by gold spans) follow the conventions of [`super::metrics`].

use std::collections::BTreeMap;

use super::EvalError;
use super::metrics::{Prf, ratio};
use super::universe::{Universe, article_of};
use crate::rows::{PredictionRow, SentenceRow, SpanLabel};

/// Span-scoring sums for one label (or pooled).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SpanCounts {
    /// `|S|`: predicted spans after merging.
    pub predicted: u64,
    /// `|T|`: gold spans after merging.
    pub gold: u64,
    /// `Σ_s Σ_t |s ∩ t| / |s|` (precision numerator).
    pub precision_sum: f64,
    /// `Σ_t Σ_s |s ∩ t| / |t|` (recall numerator).
    pub recall_sum: f64,
}

impl SpanCounts {
    /// P, R and F1 (undefined P when no predictions, undefined R when no gold spans).
    pub fn prf(&self) -> Prf {
        Prf::from_ratios(
            ratio(self.precision_sum, self.predicted as f64),
            ratio(self.recall_sum, self.gold as f64),
        )
    }
}

/// Result of span-level scoring.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpanEval {
    /// Label names, in row order.
    pub labels: Vec<String>,
    /// Sums per label.
    pub per_label: Vec<SpanCounts>,
    /// Zero-length spans dropped (gold, predicted).
    pub empty_spans: (u64, u64),
    /// Spans removed by merging overlaps (gold, predicted).
    pub merged_spans: (u64, u64),
    /// Spans whose label is not in the `labels` option (gold, predicted).
    pub unlisted_label: (u64, u64),
    /// Per article (sorted by id): its sums per label (for the bootstrap).
    pub per_article: Vec<(String, Vec<SpanCounts>)>,
}

impl super::bootstrap::Summable for SpanCounts {
    fn add_scaled(&mut self, c: &SpanCounts, k: u64) {
        self.predicted += k * c.predicted;
        self.gold += k * c.gold;
        self.precision_sum += k as f64 * c.precision_sum;
        self.recall_sum += k as f64 * c.recall_sum;
    }
}

impl SpanEval {
    /// Pooled sums over labels (the micro row).
    pub fn total(&self) -> SpanCounts {
        let mut t = SpanCounts::default();
        for c in &self.per_label {
            t.predicted += c.predicted;
            t.gold += c.gold;
            t.precision_sum += c.precision_sum;
            t.recall_sum += c.recall_sum;
        }
        t
    }
}

/// Why a prediction row is not scored at span level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PredictionSkip {
    /// Its sentence id is not in the sentence table.
    UnknownSentence,
    /// It is not inside its sentence's `[start, end)` (a span past the article's last
    /// sentence is outside its sentence too).
    OutsideSentence {
        /// Start of the sentence.
        sentence_start: u64,
        /// End of the sentence.
        sentence_end: u64,
    },
}

impl PredictionSkip {
    /// A short name for counting (`unknown sentence id`, ...).
    pub fn key(&self) -> &'static str {
        match self {
            PredictionSkip::UnknownSentence => "unknown sentence id",
            PredictionSkip::OutsideSentence { .. } => "outside its sentence",
        }
    }
}

impl std::fmt::Display for PredictionSkip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PredictionSkip::UnknownSentence => write!(f, "sentence id not in the sentence table"),
            PredictionSkip::OutsideSentence {
                sentence_start,
                sentence_end,
            } => write!(
                f,
                "span is outside its sentence [{sentence_start}, {sentence_end})"
            ),
        }
    }
}

/// A prediction row that is not scored: its index among the rows, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SkippedPrediction {
    /// 0-based index of the row in the prediction rows.
    pub row: usize,
    /// Why it is skipped.
    pub reason: PredictionSkip,
}

/// Prediction rows as spans, checked against the sentence table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PredictedSpans {
    /// The spans to score, in row order.
    pub spans: Vec<SpanLabel>,
    /// The rows not scored, in row order.
    pub skipped: Vec<SkippedPrediction>,
}

/// Prediction rows as spans: article = sentence id up to its last `:`, offsets as given
/// (they are article offsets). A row is skipped (and listed with its reason) when its
/// sentence id is not in the sentence table or when it is not inside its sentence's
/// `[start, end)`; `end < start` is an error naming the row.
///
/// `universe` is the universe of `sentences` ([`Universe::from_sentences`]), so a sentence
/// index is a row of `sentences`.
pub fn predicted_spans(
    sentences: &[SentenceRow],
    universe: &Universe,
    rows: &[PredictionRow],
) -> Result<PredictedSpans, EvalError> {
    debug_assert_eq!(sentences.len(), universe.len());
    let mut out = PredictedSpans::default();
    for (row, r) in rows.iter().enumerate() {
        if r.end < r.start {
            return Err(EvalError::ReversedPrediction {
                row,
                sentence_id: r.sentence_id.clone(),
                start: r.start,
                end: r.end,
            });
        }
        let reason = match universe.get(&r.sentence_id) {
            None => Some(PredictionSkip::UnknownSentence),
            Some(i) => {
                let s = &sentences[i as usize];
                if r.start < s.start || r.end > s.end {
                    Some(PredictionSkip::OutsideSentence {
                        sentence_start: s.start,
                        sentence_end: s.end,
                    })
                } else {
                    None
                }
            }
        };
        match reason {
            Some(reason) => out.skipped.push(SkippedPrediction { row, reason }),
            None => out.spans.push(SpanLabel {
                article_id: article_of(&r.sentence_id).to_owned(),
                label: r.label.clone(),
                start: r.start,
                end: r.end,
            }),
        }
    }
    Ok(out)
}

fn bump(t: &mut (u64, u64), gold: bool) {
    if gold {
        t.0 += 1;
    } else {
        t.1 += 1;
    }
}

/// Sorts and merges overlapping intervals in place; returns how many were merged away.
fn merge(spans: &mut Vec<(u64, u64)>) -> u64 {
    spans.sort_unstable();
    let before = spans.len();
    let mut out: Vec<(u64, u64)> = Vec::with_capacity(spans.len());
    for &(s, e) in spans.iter() {
        match out.last_mut() {
            Some(last) if s < last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    *spans = out;
    (before - spans.len()) as u64
}

/// Adds the overlap sums of two sorted, disjoint span lists.
fn score(pred: &[(u64, u64)], gold: &[(u64, u64)], c: &mut SpanCounts) {
    let (mut i, mut j) = (0, 0);
    while i < pred.len() && j < gold.len() {
        let (s, t) = (pred[i], gold[j]);
        let lo = s.0.max(t.0);
        let hi = s.1.min(t.1);
        if hi > lo {
            let inter = (hi - lo) as f64;
            c.precision_sum += inter / (s.1 - s.0) as f64;
            c.recall_sum += inter / (t.1 - t.0) as f64;
        }
        if s.1 <= t.1 {
            i += 1;
        } else {
            j += 1;
        }
    }
}

/// Scores predicted spans against gold spans (see the module docs).
///
/// `labels`: restrict to and order by these labels; `None` means every label seen, sorted.
pub fn evaluate_spans(
    gold: &[SpanLabel],
    pred: &[SpanLabel],
    labels: Option<&[String]>,
) -> Result<SpanEval, EvalError> {
    type Groups<'a> = BTreeMap<(&'a str, &'a str), (Vec<(u64, u64)>, Vec<(u64, u64)>)>;
    let mut ev = SpanEval::default();
    let mut groups: Groups = BTreeMap::new();
    for (is_gold, spans) in [(true, gold), (false, pred)] {
        for sp in spans {
            if sp.end < sp.start {
                return Err(EvalError::BadSpan {
                    article: sp.article_id.clone(),
                    start: sp.start,
                    end: sp.end,
                });
            }
            if labels.is_some_and(|ls| !ls.contains(&sp.label)) {
                bump(&mut ev.unlisted_label, is_gold);
                continue;
            }
            if sp.end == sp.start {
                bump(&mut ev.empty_spans, is_gold);
                continue;
            }
            let g = groups
                .entry((sp.label.as_str(), sp.article_id.as_str()))
                .or_default();
            if is_gold { &mut g.0 } else { &mut g.1 }.push((sp.start, sp.end));
        }
    }
    ev.labels = match labels {
        Some(ls) => {
            let mut v: Vec<String> = Vec::new();
            for l in ls {
                if !v.contains(l) {
                    v.push(l.clone());
                }
            }
            v
        }
        None => {
            let mut v: Vec<String> = groups.keys().map(|(l, _)| l.to_string()).collect();
            v.dedup();
            v
        }
    };
    ev.per_label = vec![SpanCounts::default(); ev.labels.len()];
    let mut per_article: BTreeMap<&str, Vec<SpanCounts>> = BTreeMap::new();
    for ((label, article), (mut g, mut p)) in groups {
        let idx = ev
            .labels
            .iter()
            .position(|l| l == label)
            .expect("label is in the set");
        ev.merged_spans.0 += merge(&mut g);
        ev.merged_spans.1 += merge(&mut p);
        let mut c = SpanCounts {
            gold: g.len() as u64,
            predicted: p.len() as u64,
            ..SpanCounts::default()
        };
        score(&p, &g, &mut c);
        let total = &mut ev.per_label[idx];
        total.gold += c.gold;
        total.predicted += c.predicted;
        total.precision_sum += c.precision_sum;
        total.recall_sum += c.recall_sum;
        per_article
            .entry(article)
            .or_insert_with(|| vec![SpanCounts::default(); ev.labels.len()])[idx] = c;
    }
    ev.per_article = per_article
        .into_iter()
        .map(|(a, row)| (a.to_owned(), row))
        .collect();
    Ok(ev)
}

/// For each span of `spans`: the fraction of its code points covered by the spans of
/// `other` with the same article and label (before any merging of `spans`; `other` counts
/// each code point once). `None` for an empty span or one whose label is not in `labels`.
pub fn coverage(
    spans: &[SpanLabel],
    other: &[SpanLabel],
    labels: Option<&[String]>,
) -> Vec<Option<f64>> {
    let mut groups: BTreeMap<(&str, &str), Vec<(u64, u64)>> = BTreeMap::new();
    for o in other {
        if o.end > o.start {
            groups
                .entry((o.article_id.as_str(), o.label.as_str()))
                .or_default()
                .push((o.start, o.end));
        }
    }
    for v in groups.values_mut() {
        merge(v);
    }
    spans
        .iter()
        .map(|s| {
            if s.end <= s.start || labels.is_some_and(|ls| !ls.contains(&s.label)) {
                return None;
            }
            let covered: u64 = groups
                .get(&(s.article_id.as_str(), s.label.as_str()))
                .map_or(0, |v| {
                    v.iter()
                        .map(|&(a, b)| b.min(s.end).saturating_sub(a.max(s.start)))
                        .sum()
                });
            Some(covered as f64 / (s.end - s.start) as f64)
        })
        .collect()
}
