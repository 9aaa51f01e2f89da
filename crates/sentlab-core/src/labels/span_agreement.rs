//! Span F1 between annotators whose inputs are spans (PTC span files, or article-level
//! exports of annotation tools).
//!
//! For every annotator pair, on the articles both covered, per label and pooled:
//! * **exact**: spans with the same article, start, end and label match;
//! * **overlap**: spans of the same article and label that share at least one code point
//!   can match, each span at most once (a maximum one-to-one matching, so the count does
//!   not depend on the order of the spans).
//!
//! With `m` matches, `n_a` and `n_b` spans: `F1 = 2m / (n_a + n_b)` (precision `m/n_a`
//! of one annotator against the other, recall `m/n_b`; F1 is the same either way round),
//! undefined when neither annotator has a span.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde::{Deserialize, Serialize};

use super::import::{Format, LabelFile, SentenceIndex};

/// Span F1 of one annotator pair on one label (or pooled).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpanF1 {
    /// The label, or `overall`.
    pub label: String,
    /// Spans of the first annotator on the shared articles.
    pub spans_a: u64,
    /// Spans of the second.
    pub spans_b: u64,
    /// Exact matches.
    pub exact_matches: u64,
    /// `2 exact / (spans_a + spans_b)`.
    pub exact_f1: Option<f64>,
    /// One-to-one overlap matches.
    pub overlap_matches: u64,
    /// `2 overlap / (spans_a + spans_b)`.
    pub overlap_f1: Option<f64>,
}

/// Span F1 of one annotator pair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairSpanF1 {
    /// First annotator (alphabetically).
    pub a: String,
    /// Second annotator.
    pub b: String,
    /// Articles both covered.
    pub articles: u64,
    /// `overall` (all labels pooled) first, then per label, sorted.
    pub labels: Vec<SpanF1>,
}

/// One annotator's spans: (article, label) -> (start, end) list, and the articles covered.
struct Spans<'a> {
    name: &'a str,
    by_key: BTreeMap<(&'a str, &'a str), Vec<(u64, u64)>>,
    articles: BTreeSet<&'a str>,
}

/// Size of a maximum matching between `a` and `b` where two spans can match when they
/// share a code point (augmenting paths, Kuhn's algorithm; the size is that of every
/// maximum matching, whatever the order of the spans).
fn overlap_matches(a: &[(u64, u64)], b: &[(u64, u64)]) -> u64 {
    let overlaps = |x: (u64, u64), y: (u64, u64)| x.0.max(y.0) < x.1.min(y.1);
    let adj: Vec<Vec<usize>> = a
        .iter()
        .map(|&x| (0..b.len()).filter(|&j| overlaps(x, b[j])).collect())
        .collect();
    let mut owner: Vec<Option<usize>> = vec![None; b.len()];
    fn augment(
        i: usize,
        adj: &[Vec<usize>],
        seen: &mut [bool],
        owner: &mut [Option<usize>],
    ) -> bool {
        for &j in &adj[i] {
            if seen[j] {
                continue;
            }
            seen[j] = true;
            if owner[j].is_none_or(|k| augment(k, adj, seen, owner)) {
                owner[j] = Some(i);
                return true;
            }
        }
        false
    }
    let mut m = 0;
    for i in 0..a.len() {
        let mut seen = vec![false; b.len()];
        if augment(i, &adj, &mut seen, &mut owner) {
            m += 1;
        }
    }
    m
}

fn exact_matches(a: &[(u64, u64)], b: &[(u64, u64)]) -> u64 {
    let b: HashSet<&(u64, u64)> = b.iter().collect();
    let a: HashSet<&(u64, u64)> = a.iter().collect();
    a.intersection(&b).count() as u64
}

fn f1(m: u64, total: u64) -> Option<f64> {
    (total > 0).then(|| 2.0 * m as f64 / total as f64)
}

/// The span F1 row of a pair from its counts per label (`[spans_a, spans_b, exact matches,
/// overlap matches]`, labels in order): `overall` (the counts pooled) first, then the labels.
pub(super) fn pair_row<L: AsRef<str>>(
    a: &str,
    b: &str,
    articles: u64,
    per: &BTreeMap<L, [u64; 4]>,
) -> PairSpanF1 {
    let mut total = [0u64; 4];
    for c in per.values() {
        for (t, x) in total.iter_mut().zip(c) {
            *t += x;
        }
    }
    let row = |label: &str, c: [u64; 4]| SpanF1 {
        label: label.to_string(),
        spans_a: c[0],
        spans_b: c[1],
        exact_matches: c[2],
        exact_f1: f1(c[2], c[0] + c[1]),
        overlap_matches: c[3],
        overlap_f1: f1(c[3], c[0] + c[1]),
    };
    let mut labels = vec![row("overall", total)];
    labels.extend(per.iter().map(|(l, c)| row(l.as_ref(), *c)));
    PairSpanF1 {
        a: a.to_string(),
        b: b.to_string(),
        articles,
        labels,
    }
}

/// Whether every annotator file holds spans (PTC span files, or article-level exports of
/// annotation tools): the report then has span F1 between annotators (with two or more).
pub fn spans_only(files: &[LabelFile]) -> bool {
    files
        .iter()
        .all(|f| f.format == Some(Format::PtcSpans) || f.article_tasks > 0)
}

/// Span F1 for every pair of annotators when every annotator file holds spans (PTC span
/// files, one annotator each, or article-level exports of annotation tools, one
/// annotator per completion) and there are at least two annotators; `None` otherwise.
/// Empty spans (start = end) and repeated spans of one annotator count once or not at
/// all: they are dropped or merged.
pub fn span_agreement(files: &[LabelFile], index: &SentenceIndex) -> Option<Vec<PairSpanF1>> {
    if !spans_only(files) {
        return None;
    }
    let mut by_name: BTreeMap<&str, Spans> = BTreeMap::new();
    fn add<'a, 'm>(
        by_name: &'m mut BTreeMap<&'a str, Spans<'a>>,
        name: &'a str,
    ) -> &'m mut Spans<'a> {
        by_name.entry(name).or_insert_with(|| Spans {
            name,
            by_key: BTreeMap::new(),
            articles: BTreeSet::new(),
        })
    }
    for f in files {
        if f.format == Some(Format::PtcSpans) {
            let name = f.annotators.first().map_or(f.name.as_str(), String::as_str);
            let who = add(&mut by_name, name);
            who.articles.extend(f.articles.iter().map(String::as_str));
            for s in &f.spans {
                who.by_key
                    .entry((s.article_id.as_str(), s.label.as_str()))
                    .or_default()
                    .push((s.start, s.end));
            }
            continue;
        }
        for set in &f.span_sets {
            let who = add(&mut by_name, f.annotators[set.annotator as usize].as_str());
            let article = index.article_id(set.article);
            who.articles.insert(article);
            for &(label, start, end) in &set.spans {
                who.by_key
                    .entry((article, f.labels[label as usize].as_str()))
                    .or_default()
                    .push((start, end));
            }
        }
    }
    if by_name.len() < 2 {
        return None;
    }
    let mut annotators: Vec<Spans> = by_name.into_values().collect();
    for who in &mut annotators {
        for v in who.by_key.values_mut() {
            v.retain(|&(start, end)| end > start);
            v.sort_unstable();
            v.dedup();
        }
    }
    annotators.sort_by(|x, y| x.name.cmp(y.name));
    let mut out = Vec::new();
    for (i, a) in annotators.iter().enumerate() {
        for b in &annotators[i + 1..] {
            let shared: BTreeSet<&str> = a.articles.intersection(&b.articles).copied().collect();
            let mut per: BTreeMap<&str, [u64; 4]> = BTreeMap::new();
            let keys: BTreeSet<(&str, &str)> = a
                .by_key
                .keys()
                .chain(b.by_key.keys())
                .filter(|(art, _)| shared.contains(art))
                .copied()
                .collect();
            for key in keys {
                let none = Vec::new();
                let sa = a.by_key.get(&key).unwrap_or(&none);
                let sb = b.by_key.get(&key).unwrap_or(&none);
                let c = per.entry(key.1).or_default();
                c[0] += sa.len() as u64;
                c[1] += sb.len() as u64;
                c[2] += exact_matches(sa, sb);
                c[3] += overlap_matches(sa, sb);
            }
            out.push(pair_row(a.name, b.name, shared.len() as u64, &per));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Greedy matching in span order would pair a1 = [0,10) with b1 = [9,11) (its first
    /// overlap) and leave a2 = [8,12) and b2 = [0,5) unmatched (1 match); the maximum
    /// matching is a1-b2, a2-b1: 2 matches, in either order of the spans.
    #[test]
    fn overlap_matching_is_maximum_and_order_independent() {
        let a = [(0, 10), (8, 12)];
        let b = [(9, 11), (0, 5)];
        assert_eq!(overlap_matches(&a, &b), 2);
        assert_eq!(overlap_matches(&[(8, 12), (0, 10)], &[(0, 5), (9, 11)]), 2);
        assert_eq!(overlap_matches(&b, &a), 2);
        // Touching is not overlapping; one span cannot match two.
        assert_eq!(overlap_matches(&[(0, 5)], &[(5, 9)]), 0);
        assert_eq!(overlap_matches(&[(0, 20)], &[(1, 2), (3, 4)]), 1);
        assert_eq!(exact_matches(&[(0, 5), (6, 9)], &[(6, 9), (0, 4)]), 1);
    }
}
