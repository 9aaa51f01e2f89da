//! Bootstrap confidence intervals for the agreement report (`labels merge --bootstrap`).
//!
//! The resampled units are the sentences that at least one voting annotator saw, or their
//! articles (for span inputs, whose sentences are not independent), in the byte order of
//! their ids (sentence or article ids), not in the order of the sentence table: the same
//! units give the same draws however the table was ordered or split into shards (see
//! [`agreement_partial`](super::agreement_partial)). Each replicate draws as many units as
//! there are, with replacement, and recomputes every figure of the report on the drawn
//! items (a unit drawn twice counts twice).
//!
//! Every figure is a function of sums over items, so each unit is reduced once to its
//! contribution and a replicate only adds up the contributions of the drawn units:
//! * per label, 9 sums of the multi-rater figures ([`Sums`]); the items of a label
//!   without a "yes" depend only on the number of annotators who saw the sentence, so a
//!   unit stores them once for all labels, as counts of "who saw it" patterns
//!   ([`Pattern`]), and per label only the change its "yes" votes make;
//! * per annotator pair and label, the 2x2 table (items both saw; both yes; first only;
//!   second only).
//!
//! Replicate `b` draws from its own SplitMix64 stream seeded from `(seed, b)` (the
//! generator of `eval --bootstrap`, through the same replicate loop,
//! [`run_replicates`]), and each figure keeps only the tails of its replicate values that
//! its 2.5th and 97.5th percentiles need, so the intervals depend only on the seed and the
//! number of replicates, never on the thread count, and memory grows with a fortieth of the
//! replicates. Intervals are percentiles with linear interpolation (numpy's default) of
//! the replicates in which the figure is defined.

use std::collections::HashMap;

use super::agreement::{AgreementReport, BootstrapInfo, Ci, PairCis, Stat, pair_figures};
use super::import::SentenceIndex;
use super::merge::{Merged, VoteTable};
use crate::eval::bootstrap::{BootstrapOptions, run_replicates};

/// Most pairwise rows (annotator pairs x (labels + 1)) that get bootstrap intervals.
/// Each of their 4 figures keeps about N/20 values per thread (N = replicates): 300 rows
/// are 1,200 figures, 48 MB per thread at N = 100,000. Above the limit the pairwise rows
/// keep their values without intervals and the report says so.
pub const MAX_BOOTSTRAP_PAIR_ROWS: u64 = 300;

/// Options of [`bootstrap_agreement`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgreementBootstrap {
    /// Replicates.
    pub n: usize,
    /// Seed.
    pub seed: u64,
    /// Worker threads (at least 1); does not change the result.
    pub threads: usize,
}

/// Sums over items (additive, so the figures of any multiset of items follow from them).
type Sums = [f64; 9];
/// Items with at least one rater.
const ITEMS: usize = 0;
/// Items with at least two raters.
const ITEMS2: usize = 1;
/// Agreeing rater pairs (items with two raters or more).
const AGREE: usize = 2;
/// Rater pairs.
const PAIRS: usize = 3;
/// Σ of each item's share of agreeing pairs (Fleiss' and AC1's `P_i`).
const P_SUM: usize = 4;
/// Ratings of the items with two raters or more.
const RATINGS: usize = 5;
/// "Yes" ratings among them.
const YES: usize = 6;
/// Krippendorff's disagreeing coincidences `(n² - Σ_c n_c²)/(n - 1)`.
const DISAGREE: usize = 7;
/// Σ of each item's share of "yes" (AC1's `π`, items with one rater or more).
const PI_YES: usize = 8;

/// The sums of one item: `n` raters, `y` of them said yes.
fn item_sums(n: u32, y: u32) -> Sums {
    let mut s = [0.0; 9];
    if n == 0 {
        return s;
    }
    let (n, y) = (u64::from(n), u64::from(y));
    let no = n - y;
    s[ITEMS] = 1.0;
    s[PI_YES] = y as f64 / n as f64;
    if n >= 2 {
        let agree = y * y.saturating_sub(1) + no * no.saturating_sub(1);
        s[ITEMS2] = 1.0;
        s[AGREE] = agree as f64;
        s[PAIRS] = (n * (n - 1)) as f64;
        s[P_SUM] = agree as f64 / (n * (n - 1)) as f64;
        s[RATINGS] = n as f64;
        s[YES] = y as f64;
        s[DISAGREE] = (n * n - y * y - no * no) as f64 / (n - 1) as f64;
    }
    s
}

fn add_scaled(dst: &mut Sums, src: &Sums, k: f64) {
    for (d, s) in dst.iter_mut().zip(src) {
        *d += k * s;
    }
}

fn defined(num: f64, den: f64) -> f64 {
    if den == 0.0 { f64::NAN } else { num / den }
}

/// Percent agreement, Fleiss' kappa, Krippendorff's alpha and Gwet's AC1 (q = 2) from
/// the sums, as the functions of the agreement module compute them; NaN when undefined.
fn multi_figures(s: &Sums) -> [f64; 4] {
    let percent = defined(s[AGREE], s[PAIRS]);
    let (r, yes) = (s[RATINGS], s[YES]);
    let no = r - yes;
    let fleiss = if s[ITEMS2] == 0.0 || yes == 0.0 || no == 0.0 {
        f64::NAN
    } else {
        let p_bar = s[P_SUM] / s[ITEMS2];
        let p_e = (yes / r).powi(2) + (no / r).powi(2);
        defined(p_bar - p_e, 1.0 - p_e)
    };
    let expected = r * r - yes * yes - no * no;
    let alpha = if s[ITEMS2] == 0.0 || expected <= 0.0 {
        f64::NAN
    } else {
        1.0 - (r - 1.0) * s[DISAGREE] / expected
    };
    let ac1 = if s[ITEMS2] == 0.0 {
        f64::NAN
    } else {
        let p_a = s[P_SUM] / s[ITEMS2];
        let pi = s[PI_YES] / s[ITEMS];
        let p_e = 2.0 * pi * (1.0 - pi);
        defined(p_a - p_e, 1.0 - p_e)
    };
    [percent, fleiss, alpha, ac1].map(|v| if v.is_finite() { v } else { f64::NAN })
}

/// Who saw a sentence: the number of voting annotators and the pairs that both did.
struct Pattern {
    seen: u32,
    pairs: Vec<u32>,
}

/// One resampling unit reduced to its contributions.
#[derive(Default)]
struct Unit {
    /// `(pattern, sentences of the unit with it)`.
    patterns: Vec<(u32, u64)>,
    /// `(label, change of the label's sums made by its yes votes)`.
    deltas: Vec<(u32, Sums)>,
    /// `(label, pair, kind)`: kind 0 both yes, 1 first only, 2 second only.
    pair_votes: Vec<(u32, u32, u8)>,
}

/// Everything a replicate needs, built once from the vote table.
struct Reduced {
    units: Vec<Unit>,
    patterns: Vec<Pattern>,
    n_labels: usize,
    n_pairs: usize,
    label_used: Vec<bool>,
}

/// `unit_id(s)`: the id of the unit of the sentence at position `s` (its sentence id, or
/// its article id); units are numbered in the byte order of their ids, and a unit's
/// sentences taken in table order.
fn reduce<'a>(t: &VoteTable, unit_id: &dyn Fn(u32) -> &'a str, with_pairs: bool) -> Reduced {
    let na = t.annotators.len();
    let n_pairs = if with_pairs {
        na * na.saturating_sub(1) / 2
    } else {
        0
    };
    let pair_index = |a: usize, b: usize| a * na - a * (a + 1) / 2 + (b - a - 1);
    let mut unit_of_sentence = vec![u32::MAX; t.seen.len()];
    let mut units: Vec<Unit> = Vec::new();
    let mut pattern_ids: HashMap<Vec<u32>, u32> = HashMap::new();
    let mut patterns: Vec<Pattern> = Vec::new();
    let mut pattern_counts: Vec<HashMap<u32, u64>> = Vec::new();
    // The seen sentences by unit id (bytes), then table order within a unit.
    let mut order: Vec<(&str, u32)> = (0..t.seen.len() as u32)
        .filter(|&s| t.seen[s as usize] > 0)
        .map(|s| (unit_id(s), s))
        .collect();
    order.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()).then(a.1.cmp(&b.1)));
    let mut last: Option<&str> = None;
    for &(key, s) in &order {
        let n = t.seen[s as usize];
        if last != Some(key) {
            units.push(Unit::default());
            pattern_counts.push(HashMap::new());
            last = Some(key);
        }
        let u = (units.len() - 1) as u32;
        unit_of_sentence[s as usize] = u;
        let s = s as usize;
        let who: Vec<u32> = (0..na)
            .filter(|&a| t.saw(a, s as u32))
            .map(|a| a as u32)
            .collect();
        let next = patterns.len() as u32;
        let p = *pattern_ids.entry(who).or_insert_with_key(|who| {
            let mut pairs = Vec::new();
            if with_pairs {
                for (i, &a) in who.iter().enumerate() {
                    for &b in &who[i + 1..] {
                        pairs.push(pair_index(a as usize, b as usize) as u32);
                    }
                }
            }
            patterns.push(Pattern { seen: n, pairs });
            next
        });
        *pattern_counts[u as usize].entry(p).or_insert(0) += 1;
    }
    for (unit, counts) in units.iter_mut().zip(pattern_counts) {
        unit.patterns = counts.into_iter().collect();
        unit.patterns.sort_unstable();
    }
    for g in &t.groups {
        let s = g.sentence;
        let n = t.seen[s as usize];
        let unit = &mut units[unit_of_sentence[s as usize] as usize];
        let (with_yes, without) = (item_sums(n, g.len), item_sums(n, 0));
        let mut delta = with_yes;
        for (d, w) in delta.iter_mut().zip(&without) {
            *d -= w;
        }
        unit.deltas.push((g.label, delta));
        if !with_pairs {
            continue;
        }
        let yes = &t.voters[g.start as usize..(g.start + g.len) as usize];
        for &a in yes {
            let a = a as usize;
            for b in 0..na {
                if b == a || !t.saw(b, s) {
                    continue;
                }
                let b_yes = yes.contains(&(b as u32));
                let vote = match (a < b, b_yes) {
                    (true, true) => Some((pair_index(a, b), 0)),
                    (false, true) => None,
                    (true, false) => Some((pair_index(a, b), 1)),
                    (false, false) => Some((pair_index(b, a), 2)),
                };
                if let Some((p, kind)) = vote {
                    unit.pair_votes.push((g.label, p as u32, kind));
                }
            }
        }
    }
    Reduced {
        units,
        patterns,
        n_labels: t.labels.len(),
        n_pairs,
        label_used: t.label_used.clone(),
    }
}

/// Figures per replicate: for `overall` then each label, the 4 multi-rater figures, then
/// for each pair its observed agreement, kappa, AC1 and PABAK.
fn figures_per_row(n_pairs: usize) -> usize {
    4 + 4 * n_pairs
}

/// The figures of one replicate (`draws[u]`: times unit `u` was drawn) into `out`.
fn replicate(r: &Reduced, draws: &[u32], scratch: &mut Scratch, out: &mut [f64]) {
    let (nl, np) = (r.n_labels, r.n_pairs);
    scratch.pattern_weight.iter_mut().for_each(|w| *w = 0);
    scratch.sums.iter_mut().for_each(|s| *s = [0.0; 9]);
    scratch.tables.iter_mut().for_each(|t| *t = [0; 3]);
    for (unit, &k) in r.units.iter().zip(draws) {
        if k == 0 {
            continue;
        }
        let k = u64::from(k);
        for &(p, c) in &unit.patterns {
            scratch.pattern_weight[p as usize] += k * c;
        }
        for (l, d) in &unit.deltas {
            add_scaled(&mut scratch.sums[*l as usize], d, k as f64);
        }
        for &(l, p, kind) in &unit.pair_votes {
            scratch.tables[l as usize * np + p as usize][kind as usize] += k;
        }
    }
    let mut base = [0.0; 9];
    scratch.both.iter_mut().for_each(|b| *b = 0);
    for (pattern, &w) in r.patterns.iter().zip(&scratch.pattern_weight) {
        if w == 0 {
            continue;
        }
        add_scaled(&mut base, &item_sums(pattern.seen, 0), w as f64);
        for &p in &pattern.pairs {
            scratch.both[p as usize] += w;
        }
    }
    let width = figures_per_row(np);
    let mut pooled = [0.0; 9];
    let mut pooled_tables = vec![[0u64; 3]; np];
    let mut used = 0u64;
    for l in 0..nl {
        let sums = &mut scratch.sums[l];
        add_scaled(sums, &base, 1.0);
        if r.label_used[l] {
            add_scaled(&mut pooled, sums, 1.0);
            used += 1;
            for (pt, t) in pooled_tables
                .iter_mut()
                .zip(&scratch.tables[l * np..(l + 1) * np])
            {
                for (a, b) in pt.iter_mut().zip(t) {
                    *a += b;
                }
            }
        }
        let row = &mut out[(l + 1) * width..(l + 2) * width];
        row_figures(
            sums,
            &scratch.tables[l * np..(l + 1) * np],
            &scratch.both,
            1,
            row,
        );
    }
    row_figures(
        &pooled,
        &pooled_tables,
        &scratch.both,
        used,
        &mut out[..width],
    );
}

fn row_figures(sums: &Sums, tables: &[[u64; 3]], both: &[u64], times: u64, row: &mut [f64]) {
    row[..4].copy_from_slice(&multi_figures(sums));
    for (p, (t, &b)) in tables.iter().zip(both).enumerate() {
        let b = b * times;
        let f = pair_figures(t[0], t[1], t[2], b - t[0] - t[1] - t[2]);
        for (j, v) in [f.observed_agreement, f.kappa, f.ac1, f.pabak]
            .into_iter()
            .enumerate()
        {
            row[4 + 4 * p + j] = v.unwrap_or(f64::NAN);
        }
    }
}

/// Per-thread buffers of [`replicate`].
struct Scratch {
    pattern_weight: Vec<u64>,
    sums: Vec<Sums>,
    tables: Vec<[u64; 3]>,
    both: Vec<u64>,
}

/// The intervals of every figure of a report over `opts.n` replicates, in the order of
/// [`replicate`]; `with_pairs` false leaves the pairs out.
fn intervals(r: &Reduced, opts: &AgreementBootstrap) -> Vec<Option<Ci>> {
    let n_stats = (r.n_labels + 1) * figures_per_row(r.n_pairs);
    let options = BootstrapOptions {
        n: opts.n,
        seed: opts.seed,
        threads: opts.threads,
    };
    run_replicates(
        r.units.len(),
        n_stats,
        &options,
        || Scratch {
            pattern_weight: vec![0; r.patterns.len()],
            sums: vec![[0.0; 9]; r.n_labels],
            tables: vec![[0; 3]; r.n_labels * r.n_pairs],
            both: vec![0; r.n_pairs],
        },
        |draws: &[u32], scratch: &mut Scratch, out: &mut [f64]| replicate(r, draws, scratch, out),
    )
    .into_iter()
    .map(|i| i.map(|i| Ci { lo: i.lo, hi: i.hi }))
    .collect()
}

/// Adds 95% bootstrap intervals to every figure of `report` (made by
/// [`agreement`](super::agreement) from the same `merged`, whose sentence table `index`
/// is), resampling sentences, or their articles when `by_article`, drawn in the byte order
/// of their ids. The pairwise figures get intervals when there are at most
/// [`MAX_BOOTSTRAP_PAIR_ROWS`] pairwise rows (and the report has them); `report.bootstrap`
/// says what was done.
pub fn bootstrap_agreement(
    report: &mut AgreementReport,
    merged: &Merged,
    index: &SentenceIndex,
    by_article: bool,
    opts: &AgreementBootstrap,
) {
    if by_article {
        let id = |s: u32| index.article_id(index.article_of(s));
        bootstrap_votes(report, &merged.votes, &id, true, opts);
    } else {
        let id = |s: u32| index.sentence_id(s);
        bootstrap_votes(report, &merged.votes, &id, false, opts);
    }
}

/// [`bootstrap_agreement`] on a vote table, `unit_id` giving the unit of each sentence.
pub(super) fn bootstrap_votes<'a>(
    report: &mut AgreementReport,
    t: &VoteTable,
    unit_id: &dyn Fn(u32) -> &'a str,
    by_article: bool,
    opts: &AgreementBootstrap,
) {
    let na = t.annotators.len() as u64;
    let pair_rows = na * na.saturating_sub(1) / 2 * (t.labels.len() as u64 + 1);
    let has_pairs = report.pairwise_omitted.is_none() && pair_rows > 0;
    let with_pairs = has_pairs && pair_rows <= MAX_BOOTSTRAP_PAIR_ROWS;
    let reduced = reduce(t, unit_id, with_pairs);
    let cis = intervals(&reduced, opts);
    let width = figures_per_row(reduced.n_pairs);
    let rows = std::iter::once(&mut report.overall)
        .chain(report.labels.iter_mut().map(|l| &mut l.agreement));
    for (row, cis) in rows.zip(cis.chunks(width)) {
        let stats: [&mut Stat; 4] = [
            &mut row.percent_agreement,
            &mut row.fleiss_kappa,
            &mut row.krippendorff_alpha,
            &mut row.gwet_ac1,
        ];
        for (s, ci) in stats.into_iter().zip(cis) {
            s.ci = *ci;
        }
        if with_pairs {
            for (pair, c) in row.cohen.iter_mut().zip(cis[4..].chunks(4)) {
                pair.ci = Some(PairCis {
                    observed_agreement: c[0],
                    kappa: c[1],
                    ac1: c[2],
                    pabak: c[3],
                });
            }
        }
    }
    report.bootstrap = Some(BootstrapInfo {
        replicates: opts.n as u64,
        seed: opts.seed,
        unit: if by_article { "article" } else { "sentence" }.to_string(),
        units: reduced.units.len() as u64,
        pairwise_omitted: has_pairs && !with_pairs,
    });
}

#[cfg(test)]
pub(super) fn replicate_for_test(
    merged: &Merged,
    index: &SentenceIndex,
    by_article: bool,
    draws: &[u32],
) -> (usize, Vec<f64>) {
    let r = if by_article {
        reduce(
            &merged.votes,
            &|s| index.article_id(index.article_of(s)),
            true,
        )
    } else {
        reduce(&merged.votes, &|s| index.sentence_id(s), true)
    };
    let n_stats = (r.n_labels + 1) * figures_per_row(r.n_pairs);
    let mut scratch = Scratch {
        pattern_weight: vec![0; r.patterns.len()],
        sums: vec![[0.0; 9]; r.n_labels],
        tables: vec![[0; 3]; r.n_labels * r.n_pairs],
        both: vec![0; r.n_pairs],
    };
    let mut out = vec![f64::NAN; n_stats];
    replicate(&r, draws, &mut scratch, &mut out);
    (r.units.len(), out)
}
