//! The list of false positives and false negatives at sentence level.

use std::collections::HashMap;

use serde::Serialize;

use super::render::csv_line;
use super::sentence::{Outcome, SentenceEval, for_each_outcome, key, unkey};
use super::universe::Universe;
use crate::rows::PredictionRow;

/// Whether an error is a false positive or a false negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum ErrorKind {
    /// Predicted, not in gold.
    FP,
    /// In gold, not predicted.
    FN,
}

impl ErrorKind {
    /// `FP` or `FN`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::FP => "FP",
            ErrorKind::FN => "FN",
        }
    }
}

/// One error, ready for the `--errors` CSV (columns in field order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorRow {
    /// The sentence.
    pub sentence_id: String,
    /// The label.
    pub label: String,
    /// FP or FN.
    pub kind: ErrorKind,
    /// For FPs: the distinct rule ids that fired, sorted, joined with ` | ` (empty for FNs).
    pub rules: String,
    /// For FPs: the distinct matched texts in offset order, joined with ` | ` (empty for FNs).
    pub matches: String,
    /// The sentence text (empty when the lookup has none).
    pub text: String,
}

/// Rule ids and (offset, matched text) of one FP pair.
type FpDetail<'a> = (Vec<&'a str>, Vec<(u64, &'a str)>);

/// Every FP and FN pair of `eval`, sorted by label name, then sentence order (the order of
/// the sentence table).
///
/// `preds` supplies the rules and matched texts of FPs (rows outside the universe or the
/// label set are ignored); `text` looks up a sentence's text by its universe index.
pub fn error_list<'t>(
    eval: &SentenceEval,
    universe: &Universe,
    preds: &[PredictionRow],
    text: impl Fn(u32) -> Option<&'t str>,
) -> Vec<ErrorRow> {
    let mut errs: Vec<(u64, ErrorKind)> = Vec::new();
    for_each_outcome(&eval.counts.gold, &eval.counts.pred, |k, o| match o {
        Outcome::Fp => errs.push((k, ErrorKind::FP)),
        Outcome::Fn => errs.push((k, ErrorKind::FN)),
        Outcome::Tp => {}
    });
    let mut detail: HashMap<u64, FpDetail> = HashMap::new();
    let fp_keys: Vec<u64> = errs
        .iter()
        .filter(|e| e.1 == ErrorKind::FP)
        .map(|e| e.0)
        .collect();
    for p in preds {
        let (Some(s), Some(l)) = (universe.get(&p.sentence_id), eval.labels.get(&p.label)) else {
            continue;
        };
        let k = key(s, l);
        if fp_keys.binary_search(&k).is_ok() {
            let d = detail.entry(k).or_default();
            d.0.push(&p.rule_id);
            d.1.push((p.start, &p.matched));
        }
    }
    let names = eval.labels.names();
    let mut rows: Vec<(u32, u32, ErrorRow)> = errs
        .into_iter()
        .map(|(k, kind)| {
            let (s, l) = unkey(k);
            let (rules, matches) = match detail.remove(&k) {
                Some((mut r, mut m)) => {
                    r.sort_unstable();
                    r.dedup();
                    m.sort();
                    let mut texts: Vec<&str> = Vec::new();
                    for (_, t) in m {
                        if !texts.contains(&t) {
                            texts.push(t);
                        }
                    }
                    (r.join(" | "), texts.join(" | "))
                }
                None => (String::new(), String::new()),
            };
            (
                l,
                s,
                ErrorRow {
                    sentence_id: universe.id(s),
                    label: names[l as usize].clone(),
                    kind,
                    rules,
                    matches,
                    text: text(s).unwrap_or_default().to_owned(),
                },
            )
        })
        .collect();
    rows.sort_by(|a, b| {
        names[a.0 as usize]
            .cmp(&names[b.0 as usize])
            .then(a.1.cmp(&b.1))
    });
    rows.into_iter().map(|r| r.2).collect()
}

/// The error list as CSV with header `sentence_id,label,kind,rules,matches,text`.
pub fn render_errors_csv(rows: &[ErrorRow]) -> String {
    let mut s = csv_line(&["sentence_id", "label", "kind", "rules", "matches", "text"]);
    for r in rows {
        s.push_str(&csv_line(&[
            r.sentence_id.as_str(),
            r.label.as_str(),
            r.kind.as_str(),
            r.rules.as_str(),
            r.matches.as_str(),
            r.text.as_str(),
        ]));
    }
    s
}

/// One span of the span-level `--errors` list (columns in field order).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpanErrorRow {
    /// The article.
    pub article_id: String,
    /// `gold` or `pred`.
    pub side: &'static str,
    /// The label.
    pub label: String,
    /// Start offset in the article.
    pub start: u64,
    /// End offset (exclusive).
    pub end: u64,
    /// The rule that made a prediction (empty for gold spans).
    pub rule_id: String,
    /// `ptc`: `FP` / `FN` (fraction 0), `partial` or `full`; matching modes: the span's
    /// category (`correct`, `incorrect`, `partial`, `missed`, `spurious`).
    pub outcome: &'static str,
    /// `ptc`: the fraction of the span covered by spans of the other side with its label
    /// (before merging); matching modes: the fraction it shares with its match (0 without).
    pub fraction: f64,
    /// Matching modes: the matched span as `label start-end` (empty without a match).
    pub matched: String,
    /// The sentence the span starts in.
    pub sentence_id: String,
    /// The span's text (pieces in several sentences joined by a space).
    pub text: String,
    /// The text of the sentence the span starts in.
    pub sentence: String,
}

/// Looks up the sentences of a span: by article, the sentences sorted by start.
pub struct SentenceLookup<'a> {
    by_article: HashMap<&'a str, Vec<&'a crate::rows::SentenceRow>>,
}

impl<'a> SentenceLookup<'a> {
    /// Indexes the sentence rows by article.
    pub fn new(rows: &'a [crate::rows::SentenceRow]) -> Self {
        let mut by_article: HashMap<&str, Vec<&crate::rows::SentenceRow>> = HashMap::new();
        for r in rows {
            by_article
                .entry(super::article_of(&r.sentence_id))
                .or_default()
                .push(r);
        }
        for v in by_article.values_mut() {
            v.sort_by_key(|r| (r.start, r.end));
        }
        SentenceLookup { by_article }
    }

    /// The sentence the span starts in (else the first it overlaps): its id and text, and
    /// the span's text (its pieces in each sentence, joined by a space).
    pub fn describe(&self, article: &str, start: u64, end: u64) -> (String, String, String) {
        let Some(rows) = self.by_article.get(article) else {
            return Default::default();
        };
        let mut pieces: Vec<String> = Vec::new();
        let mut first: Option<&crate::rows::SentenceRow> = None;
        for r in rows {
            if r.start <= start && start < r.end {
                first = Some(r);
            }
            let (a, b) = (start.max(r.start), end.min(r.end));
            if b > a {
                first.get_or_insert(r);
                pieces.push(
                    r.text
                        .chars()
                        .skip((a - r.start) as usize)
                        .take((b - a) as usize)
                        .collect(),
                );
            }
        }
        match first {
            Some(r) => (r.sentence_id.clone(), pieces.join(" "), r.text.clone()),
            None => Default::default(),
        }
    }
}

/// The span-level error list under `ptc`: every predicted span with the fraction of it
/// covered by gold spans of its label (0: a false positive), every gold span with the
/// fraction covered by predictions (0: a false negative), before merging. Spans not scored
/// (empty, label not listed) are left out. Sorted by article, start, end, gold first, label,
/// rule.
pub fn span_errors_ptc(
    gold: &[crate::rows::SpanLabel],
    pred: &[crate::rows::SpanLabel],
    rules: &[&str],
    labels: Option<&[String]>,
    sentences: &SentenceLookup<'_>,
) -> Vec<SpanErrorRow> {
    let gold_cov = super::span::coverage(gold, pred, labels);
    let pred_cov = super::span::coverage(pred, gold, labels);
    let mut out = Vec::new();
    for (is_gold, spans, cov) in [(true, gold, gold_cov), (false, pred, pred_cov)] {
        for (i, (s, f)) in spans.iter().zip(cov).enumerate() {
            let Some(f) = f else { continue };
            let outcome = if f == 0.0 {
                if is_gold { "FN" } else { "FP" }
            } else if f >= 1.0 {
                "full"
            } else {
                "partial"
            };
            let rule = if is_gold {
                ""
            } else {
                rules.get(i).copied().unwrap_or("")
            };
            out.push(span_row(
                s,
                is_gold,
                rule,
                outcome,
                f,
                String::new(),
                sentences,
            ));
        }
    }
    sort_span_rows(&mut out);
    out
}

/// The span-level error list under a matching mode: every scored span with its category
/// in the overall matching, the span it is matched to and the fraction of it they share.
pub fn span_errors_matched(
    eval: &super::MatchEval,
    gold: &[crate::rows::SpanLabel],
    pred: &[crate::rows::SpanLabel],
    rules: &[&str],
    sentences: &SentenceLookup<'_>,
) -> Vec<SpanErrorRow> {
    let mut out = Vec::new();
    for (is_gold, spans, others, outcomes) in [
        (true, gold, pred, &eval.gold),
        (false, pred, gold, &eval.pred),
    ] {
        for (i, (s, o)) in spans.iter().zip(outcomes).enumerate() {
            let Some(o) = o else { continue };
            let (fraction, matched) = match o.matched {
                Some(j) => {
                    let m = &others[j];
                    let n = super::span_match::shared((s.start, s.end), (m.start, m.end));
                    (
                        n as f64 / (s.end - s.start) as f64,
                        format!("{} {}-{}", m.label, m.start, m.end),
                    )
                }
                None => (0.0, String::new()),
            };
            let rule = if is_gold {
                ""
            } else {
                rules.get(i).copied().unwrap_or("")
            };
            out.push(span_row(
                s,
                is_gold,
                rule,
                o.category.as_str(),
                fraction,
                matched,
                sentences,
            ));
        }
    }
    sort_span_rows(&mut out);
    out
}

fn span_row(
    s: &crate::rows::SpanLabel,
    is_gold: bool,
    rule: &str,
    outcome: &'static str,
    fraction: f64,
    matched: String,
    sentences: &SentenceLookup<'_>,
) -> SpanErrorRow {
    let (sentence_id, text, sentence) = sentences.describe(&s.article_id, s.start, s.end);
    SpanErrorRow {
        article_id: s.article_id.clone(),
        side: if is_gold { "gold" } else { "pred" },
        label: s.label.clone(),
        start: s.start,
        end: s.end,
        rule_id: rule.to_owned(),
        outcome,
        fraction,
        matched,
        sentence_id,
        text,
        sentence,
    }
}

fn sort_span_rows(rows: &mut [SpanErrorRow]) {
    rows.sort_by(|a, b| {
        (&a.article_id, a.start, a.end, a.side, &a.label, &a.rule_id).cmp(&(
            &b.article_id,
            b.start,
            b.end,
            b.side,
            &b.label,
            &b.rule_id,
        ))
    });
}

/// The span-level error list as CSV, header
/// `article_id,side,label,start,end,rule_id,outcome,fraction,matched,sentence_id,text,sentence`.
pub fn render_span_errors_csv(rows: &[SpanErrorRow]) -> String {
    let mut s = csv_line(&[
        "article_id",
        "side",
        "label",
        "start",
        "end",
        "rule_id",
        "outcome",
        "fraction",
        "matched",
        "sentence_id",
        "text",
        "sentence",
    ]);
    for r in rows {
        s.push_str(&csv_line(&[
            r.article_id.clone(),
            r.side.to_owned(),
            r.label.clone(),
            r.start.to_string(),
            r.end.to_string(),
            r.rule_id.clone(),
            r.outcome.to_owned(),
            r.fraction.to_string(),
            r.matched.clone(),
            r.sentence_id.clone(),
            r.text.clone(),
            r.sentence.clone(),
        ]));
    }
    s
}
