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
