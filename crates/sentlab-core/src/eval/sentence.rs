//! Sentence-level multi-label evaluation over (sentence, label) pairs.
//!
//! The core ([`evaluate_interned`]) works on interned `(sentence index, label index)` pairs:
//! it packs each pair into a `u64` key (sentence in the high half), sorts and deduplicates,
//! and counts tp/fp/fn in one merge pass. The convenience layers ([`evaluate_pairs`],
//! [`evaluate_rows`]) intern string ids against a [`Universe`] and a label set.

use super::EvalError;
use super::metrics::Counts;
use super::universe::{LabelSet, Universe};
use crate::rows::{LabelRow, PredictionRow};

/// An interned pair: (sentence index in the universe, label index).
pub type Pair = (u32, u32);

/// Packs a pair into a key that sorts by sentence, then label.
pub fn key(sentence: u32, label: u32) -> u64 {
    ((sentence as u64) << 32) | label as u64
}

/// Unpacks a key made by [`key`].
pub fn unkey(k: u64) -> Pair {
    ((k >> 32) as u32, k as u32)
}

/// Result of the sentence-level core.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SentenceCounts {
    /// Counts per label index.
    pub per_label: Vec<Counts>,
    /// Binary "any label" counts over sentences: a sentence is gold-positive when it has at
    /// least one gold pair, predicted-positive when it has at least one predicted pair.
    pub any: Counts,
    /// Gold pair keys, sorted and deduplicated (see [`key`]).
    pub gold: Vec<u64>,
    /// Predicted pair keys, sorted and deduplicated.
    pub pred: Vec<u64>,
    /// Gold pairs dropped as repeats.
    pub gold_duplicates: u64,
    /// Predicted pairs dropped as repeats (several rule matches of one label in one sentence
    /// count once).
    pub pred_duplicates: u64,
}

impl SentenceCounts {
    /// Pooled counts over all labels (the micro row).
    pub fn total(&self) -> Counts {
        let mut t = Counts::default();
        for c in &self.per_label {
            t.add(c);
        }
        t
    }
}

fn to_sorted_keys(
    pairs: Vec<Pair>,
    n_sentences: usize,
    n_labels: usize,
) -> Result<(Vec<u64>, u64), EvalError> {
    let mut keys = Vec::with_capacity(pairs.len());
    for (s, l) in pairs {
        if s as usize >= n_sentences || l as usize >= n_labels {
            return Err(EvalError::IndexOutOfRange {
                sentence: s,
                label: l,
                n_sentences,
                n_labels,
            });
        }
        keys.push(key(s, l));
    }
    keys.sort_unstable();
    let before = keys.len();
    keys.dedup();
    let dups = (before - keys.len()) as u64;
    Ok((keys, dups))
}

/// Counts sentences that appear in both sorted key lists, in the first only, in the second only.
fn sentence_overlap(gold: &[u64], pred: &[u64]) -> Counts {
    let mut g = distinct_sentences(gold).peekable();
    let mut p = distinct_sentences(pred).peekable();
    let mut c = Counts::default();
    loop {
        match (g.peek().copied(), p.peek().copied()) {
            (Some(a), Some(b)) if a == b => {
                c.tp += 1;
                g.next();
                p.next();
            }
            (Some(a), Some(b)) if a < b => {
                c.fn_ += 1;
                g.next();
            }
            (Some(_), Some(_)) => {
                c.fp += 1;
                p.next();
            }
            (Some(_), None) => {
                c.fn_ += 1;
                g.next();
            }
            (None, Some(_)) => {
                c.fp += 1;
                p.next();
            }
            (None, None) => return c,
        }
    }
}

fn distinct_sentences(keys: &[u64]) -> impl Iterator<Item = u32> + '_ {
    let mut last = None;
    keys.iter().filter_map(move |&k| {
        let s = (k >> 32) as u32;
        if last == Some(s) {
            None
        } else {
            last = Some(s);
            Some(s)
        }
    })
}

/// Sentence-level core on interned pairs.
///
/// `gold` and `pred` are (sentence index, label index) pairs with indices below
/// `n_sentences` / `n_labels` (else [`EvalError::IndexOutOfRange`]). Repeated pairs count
/// once. Every label index gets a row, whether it occurs or not.
///
/// Cost: one sort of each list plus a linear merge; no hashing.
pub fn evaluate_interned(
    n_sentences: usize,
    n_labels: usize,
    gold: Vec<Pair>,
    pred: Vec<Pair>,
) -> Result<SentenceCounts, EvalError> {
    // The two lists are sorted on two threads (the result does not depend on it).
    let (gold, pred) = std::thread::scope(|scope| {
        let g = scope.spawn(move || to_sorted_keys(gold, n_sentences, n_labels));
        let p = to_sorted_keys(pred, n_sentences, n_labels);
        (g.join().expect("sorting thread panicked"), p)
    });
    let (gold, gold_duplicates) = gold?;
    let (pred, pred_duplicates) = pred?;
    let mut per_label = vec![Counts::default(); n_labels];
    let (mut i, mut j) = (0, 0);
    while i < gold.len() && j < pred.len() {
        let (g, p) = (gold[i], pred[j]);
        if g == p {
            per_label[(g as u32) as usize].tp += 1;
            i += 1;
            j += 1;
        } else if g < p {
            per_label[(g as u32) as usize].fn_ += 1;
            i += 1;
        } else {
            per_label[(p as u32) as usize].fp += 1;
            j += 1;
        }
    }
    for &g in &gold[i..] {
        per_label[(g as u32) as usize].fn_ += 1;
    }
    for &p in &pred[j..] {
        per_label[(p as u32) as usize].fp += 1;
    }
    let any = sentence_overlap(&gold, &pred);
    Ok(SentenceCounts {
        per_label,
        any,
        gold,
        pred,
        gold_duplicates,
        pred_duplicates,
    })
}

/// Options of the sentence-level convenience layer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SentenceOptions {
    /// Restrict to these labels, in this order (`--labels`). Rows with other labels are
    /// ignored (and counted in [`Diagnostics`]); listed labels that never occur still get a
    /// row. `None`: every label seen in gold or predictions, sorted by name. The "any" row
    /// then only considers the listed labels.
    pub labels: Option<Vec<String>>,
    /// Fail with [`EvalError::OutsideUniverse`] when a row names a sentence outside the
    /// sentence table, instead of counting and skipping it.
    pub strict: bool,
}

/// What the convenience layer dropped or merged, for reporting.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    /// Gold rows read.
    pub gold_rows: u64,
    /// Prediction rows read.
    pub pred_rows: u64,
    /// Gold rows whose sentence is not in the sentence table (skipped).
    pub gold_outside: u64,
    /// Prediction rows whose sentence is not in the sentence table (skipped).
    pub pred_outside: u64,
    /// Up to five sentence ids outside the table, for messages.
    pub outside_examples: Vec<String>,
    /// Gold rows whose label is not in the `labels` option (skipped).
    pub gold_unlisted_label: u64,
    /// Prediction rows whose label is not in the `labels` option (skipped).
    pub pred_unlisted_label: u64,
    /// Gold rows repeating an earlier (sentence, label) pair.
    pub gold_duplicates: u64,
    /// Prediction rows repeating an earlier (sentence, label) pair (e.g. several matches).
    pub pred_duplicates: u64,
}

/// A sentence-level evaluation with its label names and diagnostics.
#[derive(Debug, Clone, Default)]
pub struct SentenceEval {
    /// Interned labels; index order is the row order before sorting.
    pub labels: LabelSet,
    /// Counts and the deduplicated pair keys.
    pub counts: SentenceCounts,
    /// Dropped and repeated rows.
    pub diagnostics: Diagnostics,
}

/// Interns (sentence id, label) string pairs against `universe` and evaluates them.
///
/// See [`SentenceOptions`] for the label set and strict mode; skipped rows are counted in
/// [`SentenceEval::diagnostics`].
pub fn evaluate_pairs<'g, 'p, G, P>(
    universe: &Universe,
    gold: G,
    pred: P,
    opts: &SentenceOptions,
) -> Result<SentenceEval, EvalError>
where
    G: IntoIterator<Item = (&'g str, &'g str)>,
    P: IntoIterator<Item = (&'p str, &'p str)>,
{
    let restricted = opts.labels.is_some();
    let mut labels = LabelSet::new(opts.labels.iter().flatten());
    let mut d = Diagnostics::default();
    let mut intern = |rows: &mut dyn Iterator<Item = (&str, &str)>,
                      is_gold: bool,
                      d: &mut Diagnostics|
     -> Vec<Pair> {
        let mut out = Vec::new();
        for (sid, label) in rows {
            if is_gold {
                d.gold_rows += 1;
            } else {
                d.pred_rows += 1;
            }
            let Some(s) = universe.get(sid) else {
                if is_gold {
                    d.gold_outside += 1;
                } else {
                    d.pred_outside += 1;
                }
                if d.outside_examples.len() < 5 && !d.outside_examples.iter().any(|e| e == sid) {
                    d.outside_examples.push(sid.to_owned());
                }
                continue;
            };
            let l = if restricted {
                match labels.get(label) {
                    Some(l) => l,
                    None => {
                        if is_gold {
                            d.gold_unlisted_label += 1;
                        } else {
                            d.pred_unlisted_label += 1;
                        }
                        continue;
                    }
                }
            } else {
                labels.intern(label)
            };
            out.push((s, l));
        }
        out
    };
    let mut gold_pairs = intern(&mut gold.into_iter(), true, &mut d);
    let mut pred_pairs = intern(&mut pred.into_iter(), false, &mut d);
    if opts.strict && (d.gold_outside > 0 || d.pred_outside > 0) {
        return Err(EvalError::OutsideUniverse {
            gold: d.gold_outside,
            pred: d.pred_outside,
            examples: d.outside_examples,
        });
    }
    if !restricted {
        // Renumber labels in name order.
        let mut order: Vec<u32> = (0..labels.len() as u32).collect();
        order.sort_by(|&a, &b| labels.names()[a as usize].cmp(&labels.names()[b as usize]));
        let mut new_index = vec![0u32; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_index[old as usize] = new as u32;
        }
        for p in gold_pairs.iter_mut().chain(pred_pairs.iter_mut()) {
            p.1 = new_index[p.1 as usize];
        }
        labels = LabelSet::new(order.iter().map(|&o| labels.names()[o as usize].clone()));
    }
    let counts = evaluate_interned(universe.len(), labels.len(), gold_pairs, pred_pairs)?;
    d.gold_duplicates = counts.gold_duplicates;
    d.pred_duplicates = counts.pred_duplicates;
    Ok(SentenceEval {
        labels,
        counts,
        diagnostics: d,
    })
}

/// [`evaluate_pairs`] on gold label rows and prediction rows (rule matches).
pub fn evaluate_rows(
    universe: &Universe,
    gold: &[LabelRow],
    pred: &[PredictionRow],
    opts: &SentenceOptions,
) -> Result<SentenceEval, EvalError> {
    evaluate_pairs(
        universe,
        gold.iter()
            .map(|r| (r.sentence_id.as_str(), r.label.as_str())),
        pred.iter()
            .map(|r| (r.sentence_id.as_str(), r.label.as_str())),
        opts,
    )
}

/// Outcome of one key in a merge of sorted gold and predicted keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// In both.
    Tp,
    /// Predicted only.
    Fp,
    /// Gold only.
    Fn,
}

/// Calls `f` for every key of two sorted, deduplicated key lists with its outcome, in key
/// order.
pub fn for_each_outcome(gold: &[u64], pred: &[u64], mut f: impl FnMut(u64, Outcome)) {
    let (mut i, mut j) = (0, 0);
    while i < gold.len() || j < pred.len() {
        match (gold.get(i), pred.get(j)) {
            (Some(&g), Some(&p)) if g == p => {
                f(g, Outcome::Tp);
                i += 1;
                j += 1;
            }
            (Some(&g), Some(&p)) if g < p => {
                f(g, Outcome::Fn);
                i += 1;
            }
            (Some(&g), None) => {
                f(g, Outcome::Fn);
                i += 1;
            }
            (_, Some(&p)) => {
                f(p, Outcome::Fp);
                j += 1;
            }
            (None, None) => unreachable!(),
        }
    }
}

/// Distinct sentence indices of a sorted key list, in order.
pub fn sentences_of(keys: &[u64]) -> Vec<u64> {
    distinct_sentences(keys).map(u64::from).collect()
}
