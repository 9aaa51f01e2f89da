//! Span matching in the style of the `nervaluate` package (Segura-Bedmar et al.'s SemEval-2013
//! Task 9.1 categories): each gold span is matched to at most one predicted span and each
//! predicted span to at most one gold span, and every span gets one category:
//!
//! * `correct`, `incorrect`, `partial`: a matched (gold, predicted) pair, judged by the mode;
//! * `missed`: a gold span left unmatched; `spurious`: a predicted span left unmatched.
//!
//! | mode      | `correct` pair                   | any other matched pair |
//! |-----------|----------------------------------|------------------------|
//! | `strict`  | same boundaries and same label   | `incorrect`            |
//! | `exact`   | same boundaries (any label)      | `incorrect`            |
//! | `partial` | same boundaries (any label)      | `partial`              |
//! | `type`    | same label (any overlap)         | `incorrect`            |
//!
//! `possible = correct + incorrect + partial + missed` (gold spans), `actual = correct +
//! incorrect + partial + spurious` (predicted spans). `strict` and `exact`: `P =
//! correct / actual`, `R = correct / possible`; `partial` and `type`: `P = (correct + 0.5
//! partial) / actual`, `R = (correct + 0.5 partial) / possible`; F1 is their harmonic mean.
//!
//! **Matching rule** (order-independent, one-to-one, per article). A *candidate pair* is a
//! gold span `g` and a predicted span `p` of the same article that share at least one code
//! point, `|g ∩ p| ≥ 1`, and at least the fraction `F` of the gold span, `|g ∩ p| ≥ F·|g|`
//! (no second condition without `F`). Candidate pairs are ranked by, in order:
//!
//! 1. pairs that the mode calls `correct` first;
//! 2. same label first;
//! 3. same boundaries first;
//! 4. more shared code points first;
//! 5. smaller boundary distance `|g.start − p.start| + |g.end − p.end|` first;
//! 6. then the gold span's `(start, end, label)`, then the predicted span's `(start, end,
//!    label, rule)`, ascending.
//!
//! Pairs are taken in that order; a pair is kept when neither of its spans is matched yet.
//! The key depends only on the spans themselves, so the same spans in any order give the
//! same matching (spans equal in every key are interchangeable, and give the same counts).
//!
//! Per label, only that label's gold and predicted spans are matched (so `strict` and `exact`
//! agree per label); the overall row matches all the spans of an article together, across
//! labels (so it is not the sum of the label rows: a prediction of the wrong label over a
//! gold span is one `incorrect` overall, one `spurious` and one `missed` in the label rows).
//! This is how `nervaluate` reports `overall` and per-entity results.

use std::collections::BTreeMap;

use super::EvalError;
use super::metrics::{Prf, ratio};
use crate::rows::SpanLabel;

/// A nervaluate-style matching mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchMode {
    /// Same boundaries and same label.
    Strict,
    /// Same boundaries, any label.
    Exact,
    /// Same boundaries, any label; other overlaps get half credit.
    Partial,
    /// Same label, any overlap; other overlaps are incorrect.
    Type,
}

impl MatchMode {
    /// The mode's name on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            MatchMode::Strict => "strict",
            MatchMode::Exact => "exact",
            MatchMode::Partial => "partial",
            MatchMode::Type => "type",
        }
    }

    /// Whether partial matches earn half credit in P and R (`partial`, `type`).
    fn half_credit(self) -> bool {
        matches!(self, MatchMode::Partial | MatchMode::Type)
    }

    /// Whether a matched pair is `correct` in this mode.
    fn is_correct(self, same_label: bool, same_bounds: bool) -> bool {
        match self {
            MatchMode::Strict => same_label && same_bounds,
            MatchMode::Exact | MatchMode::Partial => same_bounds,
            MatchMode::Type => same_label,
        }
    }

    /// The category of a matched pair.
    fn judge(self, same_label: bool, same_bounds: bool) -> Category {
        if self.is_correct(same_label, same_bounds) {
            Category::Correct
        } else if self == MatchMode::Partial {
            Category::Partial
        } else {
            Category::Incorrect
        }
    }
}

/// The category of a span after matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    /// Matched, and right for the mode.
    Correct,
    /// Matched, wrong boundaries or label.
    Incorrect,
    /// Matched, wrong boundaries (`partial` mode).
    Partial,
    /// A gold span without a match.
    Missed,
    /// A predicted span without a match.
    Spurious,
}

impl Category {
    /// `correct`, `incorrect`, `partial`, `missed` or `spurious`.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Correct => "correct",
            Category::Incorrect => "incorrect",
            Category::Partial => "partial",
            Category::Missed => "missed",
            Category::Spurious => "spurious",
        }
    }
}

/// Category counts of one label (or overall).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MatchCounts {
    /// Matched pairs right for the mode.
    pub correct: u64,
    /// Matched pairs with wrong boundaries or label.
    pub incorrect: u64,
    /// Matched pairs with wrong boundaries (`partial` mode).
    pub partial: u64,
    /// Gold spans without a match.
    pub missed: u64,
    /// Predicted spans without a match.
    pub spurious: u64,
}

impl MatchCounts {
    /// Gold spans: `correct + incorrect + partial + missed`.
    pub fn possible(&self) -> u64 {
        self.correct + self.incorrect + self.partial + self.missed
    }

    /// Predicted spans: `correct + incorrect + partial + spurious`.
    pub fn actual(&self) -> u64 {
        self.correct + self.incorrect + self.partial + self.spurious
    }

    /// Adds `k` times another count.
    pub fn add_scaled(&mut self, o: &MatchCounts, k: u64) {
        self.correct += k * o.correct;
        self.incorrect += k * o.incorrect;
        self.partial += k * o.partial;
        self.missed += k * o.missed;
        self.spurious += k * o.spurious;
    }

    fn bump(&mut self, c: Category) {
        match c {
            Category::Correct => self.correct += 1,
            Category::Incorrect => self.incorrect += 1,
            Category::Partial => self.partial += 1,
            Category::Missed => self.missed += 1,
            Category::Spurious => self.spurious += 1,
        }
    }

    /// P, R and F1 under `mode` (undefined P without predicted spans, undefined R without
    /// gold spans; `nervaluate` reports 0 there).
    pub fn prf(&self, mode: MatchMode) -> Prf {
        let credit = if mode.half_credit() {
            self.correct as f64 + 0.5 * self.partial as f64
        } else {
            self.correct as f64
        };
        Prf::from_ratios(
            ratio(credit, self.actual() as f64),
            ratio(credit, self.possible() as f64),
        )
    }
}

/// A span to match: label, offsets, and a last tie-break (the rule of a prediction).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatchSpan<'a> {
    /// Label.
    pub label: &'a str,
    /// Start offset.
    pub start: u64,
    /// End offset (exclusive, `end > start`).
    pub end: u64,
    /// Rule id (predictions) or empty.
    pub rule: &'a str,
}

impl MatchSpan<'_> {
    fn key(&self) -> (u64, u64, &str, &str) {
        (self.start, self.end, self.label, self.rule)
    }
}

/// The match of every span of one article: `gold[i]` and `pred[j]` are the index of the
/// matched span on the other side, or `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Matching {
    /// For each gold span, the predicted span it is matched to.
    pub gold: Vec<Option<usize>>,
    /// For each predicted span, the gold span it is matched to.
    pub pred: Vec<Option<usize>>,
}

/// Shared code points of two half-open spans.
pub fn shared(a: (u64, u64), b: (u64, u64)) -> u64 {
    a.1.min(b.1).saturating_sub(a.0.max(b.0))
}

/// Matches the spans of one article one-to-one (see the module docs for the rule).
/// `min_overlap`: the fraction `F` of the gold span a pair must share (`None`: any shared code
/// point).
pub fn match_spans(
    gold: &[MatchSpan<'_>],
    pred: &[MatchSpan<'_>],
    mode: MatchMode,
    min_overlap: Option<f64>,
) -> Matching {
    // Canonical order of each side, so the last tie-break is the spans' own key.
    let mut gi: Vec<usize> = (0..gold.len()).collect();
    gi.sort_by(|&a, &b| gold[a].key().cmp(&gold[b].key()));
    let mut pi: Vec<usize> = (0..pred.len()).collect();
    pi.sort_by(|&a, &b| pred[a].key().cmp(&pred[b].key()));
    // Candidate pairs with their rank key; gold and predictions in canonical rank.
    type Key = (bool, bool, bool, std::cmp::Reverse<u64>, u64, usize, usize);
    let mut pairs: Vec<(Key, usize, usize)> = Vec::new();
    for (gr, &g) in gi.iter().enumerate() {
        let gs = &gold[g];
        let glen = gs.end - gs.start;
        for (pr, &p) in pi.iter().enumerate() {
            let ps = &pred[p];
            if ps.start >= gs.end {
                break;
            }
            let n = shared((gs.start, gs.end), (ps.start, ps.end));
            if n == 0 || min_overlap.is_some_and(|f| (n as f64) < f * glen as f64) {
                continue;
            }
            let same_label = gs.label == ps.label;
            let same_bounds = gs.start == ps.start && gs.end == ps.end;
            let distance = gs.start.abs_diff(ps.start) + gs.end.abs_diff(ps.end);
            let key = (
                !mode.is_correct(same_label, same_bounds),
                !same_label,
                !same_bounds,
                std::cmp::Reverse(n),
                distance,
                gr,
                pr,
            );
            pairs.push((key, g, p));
        }
    }
    pairs.sort_unstable_by_key(|p| p.0);
    let mut m = Matching {
        gold: vec![None; gold.len()],
        pred: vec![None; pred.len()],
    };
    for (_, g, p) in pairs {
        if m.gold[g].is_none() && m.pred[p].is_none() {
            m.gold[g] = Some(p);
            m.pred[p] = Some(g);
        }
    }
    m
}

/// Category counts of a matching (`gold`, `pred` as given to [`match_spans`]).
pub fn count_matching(
    gold: &[MatchSpan<'_>],
    pred: &[MatchSpan<'_>],
    m: &Matching,
    mode: MatchMode,
) -> MatchCounts {
    let mut c = MatchCounts::default();
    for (g, p) in m.gold.iter().enumerate() {
        c.bump(match p {
            Some(p) => pair_category(&gold[g], &pred[*p], mode),
            None => Category::Missed,
        });
    }
    c.spurious += m.pred.iter().filter(|g| g.is_none()).count() as u64;
    c
}

/// The category of a matched pair.
pub fn pair_category(g: &MatchSpan<'_>, p: &MatchSpan<'_>, mode: MatchMode) -> Category {
    mode.judge(g.label == p.label, g.start == p.start && g.end == p.end)
}

/// Options of [`evaluate_matches`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MatchOptions {
    /// The mode.
    pub mode: MatchMode,
    /// The fraction of the gold span a pair must share (`None`: any shared code point).
    pub min_overlap: Option<f64>,
}

/// The outcome of one span in the overall matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpanOutcome {
    /// Its category.
    pub category: Category,
    /// The index of the matched span on the other side (in the input slice).
    pub matched: Option<usize>,
}

/// Result of [`evaluate_matches`].
#[derive(Debug, Clone, PartialEq)]
pub struct MatchEval {
    /// The options.
    pub options: MatchOptions,
    /// Label names, in row order.
    pub labels: Vec<String>,
    /// Counts per label (each label's spans matched alone).
    pub per_label: Vec<MatchCounts>,
    /// Counts of all spans matched together, per article.
    pub overall: MatchCounts,
    /// Per article (sorted by id): counts per label, then the overall counts (`labels.len()
    /// + 1` entries).
    pub per_article: Vec<(String, Vec<MatchCounts>)>,
    /// For each gold span given: its outcome in the overall matching (`None`: not scored).
    pub gold: Vec<Option<SpanOutcome>>,
    /// For each predicted span given: its outcome in the overall matching.
    pub pred: Vec<Option<SpanOutcome>>,
    /// Zero-length spans dropped (gold, predicted).
    pub empty_spans: (u64, u64),
    /// Spans whose label is not in the `labels` option (gold, predicted).
    pub unlisted_label: (u64, u64),
}

/// Matches predicted spans against gold spans, per article (see the module docs).
/// `rules[j]` is the rule of `pred[j]` (a tie-break only; may be empty). `labels`: restrict
/// to and order by these labels; `None` means every label seen, sorted. Empty spans are
/// dropped and counted; `end < start` is an error.
pub fn evaluate_matches(
    gold: &[SpanLabel],
    pred: &[SpanLabel],
    rules: &[&str],
    labels: Option<&[String]>,
    options: MatchOptions,
) -> Result<MatchEval, EvalError> {
    let mut ev = MatchEval {
        options,
        labels: Vec::new(),
        per_label: Vec::new(),
        overall: MatchCounts::default(),
        per_article: Vec::new(),
        gold: vec![None; gold.len()],
        pred: vec![None; pred.len()],
        empty_spans: (0, 0),
        unlisted_label: (0, 0),
    };
    // Article -> (gold indices, predicted indices).
    let mut articles: BTreeMap<&str, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
    let mut seen = std::collections::BTreeSet::new();
    for (is_gold, spans) in [(true, gold), (false, pred)] {
        for (i, sp) in spans.iter().enumerate() {
            if sp.end < sp.start {
                return Err(EvalError::BadSpan {
                    article: sp.article_id.clone(),
                    start: sp.start,
                    end: sp.end,
                });
            }
            let t = if labels.is_some_and(|ls| !ls.contains(&sp.label)) {
                &mut ev.unlisted_label
            } else if sp.end == sp.start {
                &mut ev.empty_spans
            } else {
                seen.insert(sp.label.as_str());
                let a = articles.entry(sp.article_id.as_str()).or_default();
                if is_gold { &mut a.0 } else { &mut a.1 }.push(i);
                continue;
            };
            if is_gold { t.0 += 1 } else { t.1 += 1 }
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
        None => seen.iter().map(|l| l.to_string()).collect(),
    };
    let n = ev.labels.len();
    ev.per_label = vec![MatchCounts::default(); n];
    let rule = |j: usize| rules.get(j).copied().unwrap_or("");
    for (article, (gs, ps)) in articles {
        let g: Vec<MatchSpan> = gs.iter().map(|&i| span(&gold[i], "")).collect();
        let p: Vec<MatchSpan> = ps.iter().map(|&j| span(&pred[j], rule(j))).collect();
        let mut row = vec![MatchCounts::default(); n + 1];
        // Overall: every span of the article together.
        let m = match_spans(&g, &p, options.mode, options.min_overlap);
        row[n] = count_matching(&g, &p, &m, options.mode);
        for (k, mp) in m.gold.iter().enumerate() {
            ev.gold[gs[k]] = Some(SpanOutcome {
                category: mp.map_or(Category::Missed, |j| {
                    pair_category(&g[k], &p[j], options.mode)
                }),
                matched: mp.map(|j| ps[j]),
            });
        }
        for (k, mg) in m.pred.iter().enumerate() {
            ev.pred[ps[k]] = Some(SpanOutcome {
                category: mg.map_or(Category::Spurious, |i| {
                    pair_category(&g[i], &p[k], options.mode)
                }),
                matched: mg.map(|i| gs[i]),
            });
        }
        // Per label: that label's spans alone.
        for (l, name) in ev.labels.iter().enumerate() {
            let gl: Vec<MatchSpan> = g.iter().copied().filter(|s| s.label == name).collect();
            let pl: Vec<MatchSpan> = p.iter().copied().filter(|s| s.label == name).collect();
            if gl.is_empty() && pl.is_empty() {
                continue;
            }
            let m = match_spans(&gl, &pl, options.mode, options.min_overlap);
            row[l] = count_matching(&gl, &pl, &m, options.mode);
        }
        for (l, c) in row.iter().enumerate() {
            if l < n {
                ev.per_label[l].add_scaled(c, 1);
            } else {
                ev.overall.add_scaled(c, 1);
            }
        }
        ev.per_article.push((article.to_owned(), row));
    }
    Ok(ev)
}

fn span<'a>(s: &'a SpanLabel, rule: &'a str) -> MatchSpan<'a> {
    MatchSpan {
        label: &s.label,
        start: s.start,
        end: s.end,
        rule,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sp<'a>(label: &'a str, start: u64, end: u64) -> MatchSpan<'a> {
        MatchSpan {
            label,
            start,
            end,
            rule: "",
        }
    }

    fn counts(g: &[MatchSpan], p: &[MatchSpan], mode: MatchMode, f: Option<f64>) -> MatchCounts {
        count_matching(g, p, &match_spans(g, p, mode, f), mode)
    }

    fn c(correct: u64, incorrect: u64, partial: u64, missed: u64, spurious: u64) -> MatchCounts {
        MatchCounts {
            correct,
            incorrect,
            partial,
            missed,
            spurious,
        }
    }

    /// Gold A[0,10), B[20,30); predictions A[0,10) (exact), B[22,30) (same label, inside),
    /// A[40,45) (no overlap). Worked by hand per mode:
    /// strict: A exact = correct; B[22,30) overlaps B[20,30) with other bounds = incorrect;
    ///   A[40,45) spurious: (1, 1, 0, 0, 1), P = 1/3, R = 1/2.
    /// exact: the same (1, 1, 0, 0, 1).
    /// partial: (1, 0, 1, 0, 1): P = 1.5/3 = 0.5, R = 1.5/2 = 0.75.
    /// type: both matched pairs have the same label: (2, 0, 0, 0, 1), P = 2/3, R = 1.
    #[test]
    fn each_mode_on_a_hand_worked_case() {
        let g = [sp("A", 0, 10), sp("B", 20, 30)];
        let p = [sp("A", 0, 10), sp("B", 22, 30), sp("A", 40, 45)];
        use MatchMode::*;
        assert_eq!(counts(&g, &p, Strict, None), c(1, 1, 0, 0, 1));
        assert_eq!(counts(&g, &p, Exact, None), c(1, 1, 0, 0, 1));
        assert_eq!(counts(&g, &p, Partial, None), c(1, 0, 1, 0, 1));
        assert_eq!(counts(&g, &p, Type, None), c(2, 0, 0, 0, 1));
        let prf = c(1, 0, 1, 0, 1).prf(Partial);
        assert_eq!((prf.precision, prf.recall), (Some(0.5), Some(0.75)));
        let prf = c(1, 1, 0, 0, 1).prf(Strict);
        assert_eq!((prf.precision, prf.recall), (Some(1.0 / 3.0), Some(0.5)));
    }

    /// A wrong label on exact bounds: gold A[0,5), prediction B[0,5).
    /// strict: incorrect (0,1,0,0,0); exact and partial: correct (bounds only); type:
    /// incorrect (labels differ).
    #[test]
    fn a_wrong_label_on_exact_bounds() {
        let g = [sp("A", 0, 5)];
        let p = [sp("B", 0, 5)];
        use MatchMode::*;
        assert_eq!(counts(&g, &p, Strict, None), c(0, 1, 0, 0, 0));
        assert_eq!(counts(&g, &p, Exact, None), c(1, 0, 0, 0, 0));
        assert_eq!(counts(&g, &p, Partial, None), c(1, 0, 0, 0, 0));
        assert_eq!(counts(&g, &p, Type, None), c(0, 1, 0, 0, 0));
    }

    /// One prediction A[0,20) over two gold spans A[0,8) and A[10,20): it is matched to
    /// one of them only (one-to-one), the other is missed. Rank: neither pair is correct in
    /// strict; same label, other bounds; shared code points 8 vs 10, so [10,20) wins.
    /// strict (0,1,0,1,0); partial (0,0,1,1,0): P = 0.5/1, R = 0.5/2; type (1,0,0,1,0).
    #[test]
    fn a_prediction_overlapping_two_gold_spans_matches_one() {
        let g = [sp("A", 0, 8), sp("A", 10, 20)];
        let p = [sp("A", 0, 20)];
        use MatchMode::*;
        let m = match_spans(&g, &p, Strict, None);
        assert_eq!(m.pred, vec![Some(1)]);
        assert_eq!(m.gold, vec![None, Some(0)]);
        assert_eq!(counts(&g, &p, Strict, None), c(0, 1, 0, 1, 0));
        assert_eq!(counts(&g, &p, Partial, None), c(0, 0, 1, 1, 0));
        assert_eq!(counts(&g, &p, Type, None), c(1, 0, 0, 1, 0));
        let prf = c(0, 0, 1, 1, 0).prf(Partial);
        assert_eq!((prf.precision, prf.recall), (Some(0.5), Some(0.25)));
    }

    /// The minimum overlap is a fraction of the gold span: gold [0,10), prediction [6,12)
    /// shares 4 code points = 0.4 of the gold span: a pair for F = 0.4, not for F = 0.5.
    #[test]
    fn min_overlap_is_a_fraction_of_the_gold_span() {
        let g = [sp("A", 0, 10)];
        let p = [sp("A", 6, 12)];
        use MatchMode::*;
        assert_eq!(counts(&g, &p, Type, Some(0.4)), c(1, 0, 0, 0, 0));
        assert_eq!(counts(&g, &p, Type, Some(0.5)), c(0, 0, 0, 1, 1));
        assert_eq!(counts(&g, &p, Type, None), c(1, 0, 0, 0, 0));
        // Touching spans share nothing.
        assert_eq!(counts(&g, &[sp("A", 10, 12)], Type, None), c(0, 0, 0, 1, 1));
    }

    /// Where nervaluate's greedy order matters: gold A[0,10), A[10,20); predictions
    /// A[5,15) (overlaps both) and A[0,10) (exact). Taken in list order the first
    /// prediction could take gold [0,10) and leave the exact one a spurious; here the exact
    /// pair is ranked first: [0,10)-[0,10) correct, [5,15)-[10,20) incorrect (strict) in
    /// both orders of either side.
    #[test]
    fn the_same_spans_in_two_orders_give_the_same_matching() {
        let g = [sp("A", 0, 10), sp("A", 10, 20)];
        let p = [sp("A", 5, 15), sp("A", 0, 10)];
        let g2 = [g[1], g[0]];
        let p2 = [p[1], p[0]];
        for mode in [
            MatchMode::Strict,
            MatchMode::Exact,
            MatchMode::Partial,
            MatchMode::Type,
        ] {
            let want = match mode {
                MatchMode::Strict | MatchMode::Exact => c(1, 1, 0, 0, 0),
                MatchMode::Partial => c(1, 0, 1, 0, 0),
                MatchMode::Type => c(2, 0, 0, 0, 0),
            };
            for (gg, pp) in [(&g, &p), (&g2, &p), (&g, &p2), (&g2, &p2)] {
                assert_eq!(counts(gg, pp, mode, None), want, "{mode:?}");
            }
            let m = match_spans(&g, &p, mode, None);
            assert_eq!(m.pred, vec![Some(1), Some(0)], "{mode:?}");
            let m2 = match_spans(&g2, &p2, mode, None);
            assert_eq!(m2.pred, vec![Some(1), Some(0)], "{mode:?}");
        }
    }

    /// Overall matches across labels, per label only within: gold A[0,5), prediction
    /// B[0,5). strict: overall incorrect 1; label A missed 1, label B spurious 1.
    #[test]
    fn overall_matches_across_labels_and_label_rows_within() {
        let s = |label: &str, start, end| SpanLabel {
            article_id: "a".into(),
            label: label.into(),
            start,
            end,
        };
        let ev = evaluate_matches(
            &[s("A", 0, 5)],
            &[s("B", 0, 5)],
            &[],
            None,
            MatchOptions {
                mode: MatchMode::Strict,
                min_overlap: None,
            },
        )
        .unwrap();
        assert_eq!(ev.labels, vec!["A", "B"]);
        assert_eq!(ev.overall, c(0, 1, 0, 0, 0));
        assert_eq!(ev.per_label, vec![c(0, 0, 0, 1, 0), c(0, 0, 0, 0, 1)]);
        assert_eq!(
            ev.pred[0],
            Some(SpanOutcome {
                category: Category::Incorrect,
                matched: Some(0)
            })
        );
    }
}
