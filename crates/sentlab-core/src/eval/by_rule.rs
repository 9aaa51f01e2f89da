//! Per-rule statistics at sentence level.

use std::collections::HashMap;

use serde::Serialize;

use super::metrics::ratio;
use super::render::{Format, render_numeric_rows};
use super::sentence::{SentenceEval, key};
use super::universe::{LabelSet, Universe};
use crate::rows::{PredictionRow, SpanLabel};

/// Statistics of one rule (for one label; a rule normally predicts a single label).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleRow {
    /// Rule id.
    pub rule_id: String,
    /// The label the rule predicted.
    pub label: String,
    /// Sentences the rule fired on (several matches in one sentence count once).
    pub fired: u64,
    /// Fired sentences that have the label in gold.
    pub tp: u64,
    /// Fired sentences that do not have the label in gold.
    pub fp: u64,
    /// `tp / fired`; `None` when the rule never fired in the universe.
    pub precision: Option<f64>,
    /// TP sentences on which no other rule of the same label fired.
    pub unique_tp: u64,
    /// Fired sentences on which another rule of the same label also fired.
    pub overlap: u64,
    /// Fired sentences on which a rule of a different label also fired.
    pub conflict: u64,
}

/// Per-rule statistics from prediction rows, judged against the gold pairs of `eval`.
///
/// Rows outside `universe` or with a label outside `eval`'s label set are ignored, like in
/// the evaluation itself. Sorted by rule id, then label.
pub fn by_rule(eval: &SentenceEval, universe: &Universe, preds: &[PredictionRow]) -> Vec<RuleRow> {
    let mut rules = LabelSet::default();
    let mut triples: Vec<(u32, u32, u32)> = Vec::with_capacity(preds.len());
    for p in preds {
        let (Some(s), Some(l)) = (universe.get(&p.sentence_id), eval.labels.get(&p.label)) else {
            continue;
        };
        triples.push((s, l, rules.intern(&p.rule_id)));
    }
    triples.sort_unstable();
    triples.dedup();
    let gold = &eval.counts.gold;
    let mut stats: HashMap<(u32, u32), RuleRow> = HashMap::new();
    for group in triples.chunk_by(|a, b| a.0 == b.0) {
        let s = group[0].0;
        for &(_, l, r) in group {
            let same_label = group.iter().filter(|t| t.1 == l).count();
            let other_label = group.iter().any(|t| t.1 != l);
            let is_tp = gold.binary_search(&key(s, l)).is_ok();
            let row = stats.entry((r, l)).or_insert_with(|| RuleRow {
                rule_id: rules.names()[r as usize].clone(),
                label: eval.labels.names()[l as usize].clone(),
                fired: 0,
                tp: 0,
                fp: 0,
                precision: None,
                unique_tp: 0,
                overlap: 0,
                conflict: 0,
            });
            row.fired += 1;
            if is_tp {
                row.tp += 1;
                if same_label == 1 {
                    row.unique_tp += 1;
                }
            } else {
                row.fp += 1;
            }
            if same_label > 1 {
                row.overlap += 1;
            }
            if other_label {
                row.conflict += 1;
            }
        }
    }
    let mut out: Vec<RuleRow> = stats
        .into_values()
        .map(|mut r| {
            r.precision = ratio(r.tp as f64, r.fired as f64);
            r
        })
        .collect();
    out.sort_by(|a, b| {
        a.rule_id
            .cmp(&b.rule_id)
            .then_with(|| a.label.cmp(&b.label))
    });
    out
}

/// Renders per-rule rows as a table, markdown, CSV or JSON (an array of objects).
pub fn render_rules(rows: &[RuleRow], format: Format) -> String {
    let header = [
        "rule_id",
        "label",
        "fired",
        "tp",
        "fp",
        "precision",
        "unique_tp",
        "overlap",
        "conflict",
    ];
    let cells = |r: &RuleRow, num: &dyn Fn(Option<f64>) -> String| {
        vec![
            r.rule_id.clone(),
            r.label.clone(),
            r.fired.to_string(),
            r.tp.to_string(),
            r.fp.to_string(),
            num(r.precision),
            r.unique_tp.to_string(),
            r.overlap.to_string(),
            r.conflict.to_string(),
        ]
    };
    render_numeric_rows(rows, &header, 2, cells, format)
}

/// The (rule, label) pairs of predicted spans and the spans of each, sorted by rule id
/// then label. `rules[j]` is the rule of `pred[j]`.
fn rule_groups<'a>(
    pred: &'a [SpanLabel],
    rules: &[&'a str],
) -> Vec<((&'a str, &'a str), Vec<usize>)> {
    let mut groups: std::collections::BTreeMap<(&str, &str), Vec<usize>> = Default::default();
    for (j, p) in pred.iter().enumerate() {
        groups
            .entry((rules.get(j).copied().unwrap_or(""), p.label.as_str()))
            .or_default()
            .push(j);
    }
    groups.into_iter().collect()
}

/// Span level under `ptc`: each rule's own spans scored alone against the gold spans of
/// its label. Rows sorted by rule id, then label.
pub fn by_rule_spans(
    gold: &[SpanLabel],
    pred: &[SpanLabel],
    rules: &[&str],
    labels: Option<&[String]>,
) -> Result<Vec<SpanRuleRow>, super::EvalError> {
    let mut out = Vec::new();
    for ((rule, label), js) in rule_groups(pred, rules) {
        if labels.is_some_and(|ls| !ls.iter().any(|l| l == label)) {
            continue;
        }
        let spans: Vec<SpanLabel> = js.iter().map(|&j| pred[j].clone()).collect();
        let ev = super::evaluate_spans(gold, &spans, Some(&[label.to_owned()]))?;
        let c = ev.per_label[0];
        let m = c.prf();
        out.push(SpanRuleRow {
            rule_id: rule.to_owned(),
            label: label.to_owned(),
            predicted: c.predicted,
            support: c.gold,
            precision: m.precision,
            recall: m.recall,
            f1: m.f1,
        });
    }
    Ok(out)
}

/// Span level under a matching mode: each rule's own spans matched alone against the gold
/// spans of its label. Rows sorted by rule id, then label.
pub fn by_rule_matches(
    gold: &[SpanLabel],
    pred: &[SpanLabel],
    rules: &[&str],
    labels: Option<&[String]>,
    options: super::MatchOptions,
) -> Result<Vec<MatchRuleRow>, super::EvalError> {
    let mut out = Vec::new();
    for ((rule, label), js) in rule_groups(pred, rules) {
        if labels.is_some_and(|ls| !ls.iter().any(|l| l == label)) {
            continue;
        }
        let spans: Vec<SpanLabel> = js.iter().map(|&j| pred[j].clone()).collect();
        let ev = super::evaluate_matches(gold, &spans, &[], Some(&[label.to_owned()]), options)?;
        let c = ev.per_label[0];
        let m = c.prf(options.mode);
        out.push(MatchRuleRow {
            rule_id: rule.to_owned(),
            label: label.to_owned(),
            correct: c.correct,
            incorrect: c.incorrect,
            partial: c.partial,
            missed: c.missed,
            spurious: c.spurious,
            possible: c.possible(),
            actual: c.actual(),
            precision: m.precision,
            recall: m.recall,
            f1: m.f1,
        });
    }
    Ok(out)
}

/// One rule at span level under `ptc`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpanRuleRow {
    /// Rule id.
    pub rule_id: String,
    /// The label it predicted.
    pub label: String,
    /// Its spans after merging.
    pub predicted: u64,
    /// Gold spans of the label after merging.
    pub support: u64,
    /// Precision.
    pub precision: Option<f64>,
    /// Recall.
    pub recall: Option<f64>,
    /// F1.
    pub f1: Option<f64>,
}

/// One rule at span level under a matching mode.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchRuleRow {
    /// Rule id.
    pub rule_id: String,
    /// The label it predicted.
    pub label: String,
    /// Matched pairs right for the mode.
    pub correct: u64,
    /// Matched pairs with wrong boundaries or label.
    pub incorrect: u64,
    /// Matched pairs with wrong boundaries (`partial`).
    pub partial: u64,
    /// Gold spans of the label without a match.
    pub missed: u64,
    /// The rule's spans without a match.
    pub spurious: u64,
    /// Gold spans of the label.
    pub possible: u64,
    /// The rule's spans.
    pub actual: u64,
    /// Precision.
    pub precision: Option<f64>,
    /// Recall.
    pub recall: Option<f64>,
    /// F1.
    pub f1: Option<f64>,
}

/// Renders span-level (`ptc`) per-rule rows.
pub fn render_span_rules(rows: &[SpanRuleRow], format: Format) -> String {
    render_numeric_rows(
        rows,
        &[
            "rule_id",
            "label",
            "predicted",
            "support",
            "precision",
            "recall",
            "f1",
        ],
        2,
        |r, num| {
            vec![
                r.rule_id.clone(),
                r.label.clone(),
                r.predicted.to_string(),
                r.support.to_string(),
                num(r.precision),
                num(r.recall),
                num(r.f1),
            ]
        },
        format,
    )
}

/// Renders per-rule rows of a matching mode.
pub fn render_match_rules(rows: &[MatchRuleRow], format: Format) -> String {
    render_numeric_rows(
        rows,
        &[
            "rule_id",
            "label",
            "correct",
            "incorrect",
            "partial",
            "missed",
            "spurious",
            "possible",
            "actual",
            "precision",
            "recall",
            "f1",
        ],
        2,
        |r, num| {
            let mut c = vec![r.rule_id.clone(), r.label.clone()];
            c.extend(
                [
                    r.correct,
                    r.incorrect,
                    r.partial,
                    r.missed,
                    r.spurious,
                    r.possible,
                    r.actual,
                ]
                .map(|v| v.to_string()),
            );
            c.extend([num(r.precision), num(r.recall), num(r.f1)]);
            c
        },
        format,
    )
}
