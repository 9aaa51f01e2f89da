//! Bootstrap confidence intervals by resampling articles with replacement.
//!
//! Per-article, per-label tp/fp/fn (and the per-article "any" counts) are computed once;
//! each replicate draws `n_articles` articles with replacement and sums their rows, so one
//! replicate costs O(articles × labels). Replicate `b` uses its own SplitMix64 stream seeded
//! from `(seed, b)`, so results depend only on `seed` and `n`, never on the thread count.
//! Intervals are the 2.5th and 97.5th percentiles (linear interpolation between order
//! statistics, numpy's default) of the replicates in which the value is defined; a value
//! undefined in every replicate has no interval.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::metrics::{Counts, Prf, macro_average, weighted_average};
use super::sentence::{Outcome, SentenceEval, for_each_outcome, sentences_of};
use super::universe::Universe;

/// Options of [`bootstrap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BootstrapOptions {
    /// Number of replicates.
    pub n: usize,
    /// Seed of the resampling.
    pub seed: u64,
    /// Worker threads (at least 1); does not change the result.
    pub threads: usize,
}

/// A closed interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Lower bound (2.5th percentile).
    pub lo: f64,
    /// Upper bound (97.5th percentile).
    pub hi: f64,
}

/// 95% intervals for precision, recall and F1 (`None` when undefined in every replicate).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Cis {
    /// Precision interval.
    pub precision: Option<Interval>,
    /// Recall interval.
    pub recall: Option<Interval>,
    /// F1 interval.
    pub f1: Option<Interval>,
}

/// Bootstrap intervals for every label and average.
#[derive(Debug, Clone, PartialEq)]
pub struct BootstrapResult {
    /// Replicates.
    pub n: usize,
    /// Seed.
    pub seed: u64,
    /// Intervals per label, in the evaluation's label order.
    pub labels: Vec<(String, Cis)>,
    /// Micro average.
    pub micro: Cis,
    /// Macro average.
    pub macro_: Cis,
    /// Weighted average.
    pub weighted: Cis,
    /// The binary "any label" row.
    pub any: Cis,
}

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny generator whose output is fixed forever.
#[derive(Debug, Clone)]
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    /// Next 64-bit output.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform integer in `0..n` (multiply-shift; bias below 2^-40 for n < 2^24).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    /// The stream of replicate `b` under `seed`.
    pub fn for_replicate(seed: u64, b: u64) -> SplitMix64 {
        let mut s = SplitMix64(seed);
        let base = s.next_u64();
        let mut t = SplitMix64(base ^ b.wrapping_mul(0xD1B5_4A32_D192_ED03));
        SplitMix64(t.next_u64())
    }
}

/// Per-article count matrix: `rows[a * width + l]` for labels `l < n_labels`, and the
/// article's "any" counts at `l = n_labels` (`width = n_labels + 1`).
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleCounts {
    /// Number of articles.
    pub n_articles: usize,
    /// Number of labels.
    pub n_labels: usize,
    /// The matrix, row-major by article.
    pub rows: Vec<Counts>,
}

impl ArticleCounts {
    /// Builds the matrix from an evaluation; articles are those of `universe` (articles with
    /// no labels at all are sampled too), in the order of their ids' bytes.
    pub fn new(eval: &SentenceEval, universe: &Universe) -> ArticleCounts {
        let n_labels = eval.labels.len();
        let w = n_labels + 1;
        let rank = universe.id_ranks();
        let art: Vec<usize> = universe
            .article_indices()
            .iter()
            .map(|&a| rank[a as usize])
            .collect();
        let n_articles = universe.articles().len();
        let mut rows = vec![Counts::default(); n_articles * w];
        let mut bump = |a: usize, l: usize, o: Outcome| {
            let c = &mut rows[a * w + l];
            match o {
                Outcome::Tp => c.tp += 1,
                Outcome::Fp => c.fp += 1,
                Outcome::Fn => c.fn_ += 1,
            }
        };
        for_each_outcome(&eval.counts.gold, &eval.counts.pred, |k, o| {
            bump(art[(k >> 32) as usize], (k as u32) as usize, o)
        });
        let gs = sentences_of(&eval.counts.gold);
        let ps = sentences_of(&eval.counts.pred);
        for_each_outcome(&gs, &ps, |s, o| bump(art[s as usize], n_labels, o));
        ArticleCounts {
            n_articles,
            n_labels,
            rows,
        }
    }
}

/// Statistics of one replicate: per label P, R, F1, then micro, macro, weighted, any.
fn replicate_stats(sum: &[Counts], n_labels: usize, out: &mut [f64]) {
    let per: Vec<Prf> = sum[..n_labels].iter().map(Counts::prf).collect();
    let mut total = Counts::default();
    for c in &sum[..n_labels] {
        total.add(c);
    }
    let weighted: Vec<(Prf, u64)> = sum[..n_labels]
        .iter()
        .zip(&per)
        .map(|(c, p)| (*p, c.support()))
        .collect();
    let all = per.iter().copied().chain([
        total.prf(),
        macro_average(&per),
        weighted_average(&weighted),
        sum[n_labels].prf(),
    ]);
    for (i, p) in all.enumerate() {
        for (j, v) in [p.precision, p.recall, p.f1].into_iter().enumerate() {
            out[i * 3 + j] = v.unwrap_or(f64::NAN);
        }
    }
}

/// Percentile with linear interpolation (numpy's default) of sorted values.
pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// A replicate value ordered by [`f64::total_cmp`] (for the heaps of [`Tails`]).
#[derive(Debug, Clone, Copy)]
struct Value(f64);

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        self.0.total_cmp(&other.0).is_eq()
    }
}
impl Eq for Value {}
impl PartialOrd for Value {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Value {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// The values of one statistic over the replicates, streamed: only the `keep` smallest and
/// `keep` largest are kept (all the 2.5th and 97.5th percentiles can need), with the number
/// of replicates in which the value is defined. Memory grows with `keep`, a fortieth of the
/// replicates, not with the replicates themselves; the percentiles are exactly those of
/// all values (the same multiset is kept whatever the order the values come in). Public
/// because the agreement bootstrap of `labels merge` streams its replicates through it too.
#[derive(Debug, Clone)]
pub struct Tails {
    keep: usize,
    /// Max-heap of the smallest values.
    low: BinaryHeap<Value>,
    /// Min-heap of the largest values.
    high: BinaryHeap<Reverse<Value>>,
    defined: usize,
}

impl Tails {
    /// Tails deep enough for the 2.5th and 97.5th percentiles of up to `n` values.
    pub fn for_replicates(n: usize) -> Tails {
        // The 2.5th percentile of m <= n values needs order statistics up to
        // ceil(0.025 (m - 1)); the 97.5th as many from the top. Two more for rounding.
        let keep = (n as f64 * 0.025).ceil() as usize + 2;
        Tails {
            keep,
            low: BinaryHeap::with_capacity(keep + 1),
            high: BinaryHeap::with_capacity(keep + 1),
            defined: 0,
        }
    }

    /// Adds one replicate's value (NaN, undefined, is not a value).
    pub fn push(&mut self, x: f64) {
        if x.is_nan() {
            return;
        }
        self.defined += 1;
        self.push_value(Value(x));
    }

    fn push_value(&mut self, v: Value) {
        self.push_low(v);
        self.push_high(v);
    }

    // Most values are in neither tail: compare with the tail's edge before touching the
    // heap (an equal value leaves the same multiset either way).
    fn push_low(&mut self, v: Value) {
        if self.low.len() < self.keep {
            self.low.push(v);
        } else if let Some(mut largest_low) = self.low.peek_mut()
            && v < *largest_low
        {
            *largest_low = v;
        }
    }

    fn push_high(&mut self, v: Value) {
        if self.high.len() < self.keep {
            self.high.push(Reverse(v));
        } else if let Some(mut smallest_high) = self.high.peek_mut()
            && v > smallest_high.0
        {
            *smallest_high = Reverse(v);
        }
    }

    /// Adds the values of another part of the replicates.
    pub fn merge(&mut self, other: Tails) {
        self.defined += other.defined;
        for v in other.low {
            self.push_low(v);
        }
        for Reverse(v) in other.high {
            self.push_high(v);
        }
    }

    /// The 2.5th-97.5th percentile interval, as [`percentile`] gives it on all the values
    /// sorted; `None` when no replicate defined the value.
    pub fn interval(self) -> Option<Interval> {
        let m = self.defined;
        if m == 0 {
            return None;
        }
        let low: Vec<f64> = self
            .low
            .into_sorted_vec()
            .into_iter()
            .map(|v| v.0)
            .collect();
        let high: Vec<f64> = self
            .high
            .into_sorted_vec()
            .into_iter()
            .rev()
            .map(|v| v.0.0)
            .collect();
        // The i-th smallest of all m values (0-based).
        let at = |i: usize| -> f64 {
            if i < low.len() {
                low[i]
            } else {
                let first_high = m - high.len();
                assert!(
                    i >= first_high,
                    "the tails hold every order statistic a percentile needs"
                );
                high[i - first_high]
            }
        };
        let pct = |q: f64| {
            let pos = q * (m - 1) as f64;
            let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
            at(lo) + (at(hi) - at(lo)) * (pos - lo as f64)
        };
        Some(Interval {
            lo: pct(0.025),
            hi: pct(0.975),
        })
    }
}

/// A per-article row the bootstrap sums: an article drawn `k` times adds `k` times its row.
pub trait Summable: Copy + Default + Send + Sync {
    /// Adds `k` times `other`.
    fn add_scaled(&mut self, other: &Self, k: u64);
}

impl Summable for Counts {
    fn add_scaled(&mut self, c: &Counts, k: u64) {
        self.tp += k * c.tp;
        self.fp += k * c.fp;
        self.fn_ += k * c.fn_;
    }
}

/// The bootstrap engine: `rows` holds `width` rows per article (article-major); each
/// replicate draws `n_articles` articles with replacement, sums their rows, and `stats`
/// turns the sums into `n_stats` values (NaN: undefined). Returns the 95% interval of every
/// value. Replicates are streamed: each thread keeps only the tails of every statistic
/// ([`Tails`]), so memory does not grow with the number of replicates but with a fortieth
/// of it. Replicate `b` has its own random stream, so the result does not depend on the
/// thread count.
pub fn resample<T: Summable>(
    n_articles: usize,
    width: usize,
    rows: &[T],
    n_stats: usize,
    stats: &(dyn Fn(&[T], &mut [f64]) + Sync),
    opts: &BootstrapOptions,
) -> Vec<Option<Interval>> {
    debug_assert_eq!(rows.len(), n_articles * width);
    run_replicates(
        n_articles,
        n_stats,
        opts,
        || vec![T::default(); width],
        |draws: &[u32], sum: &mut Vec<T>, out: &mut [f64]| {
            sum.iter_mut().for_each(|c| *c = T::default());
            for (a, &k) in draws.iter().enumerate() {
                if k == 0 {
                    continue;
                }
                for (s, c) in sum.iter_mut().zip(&rows[a * width..(a + 1) * width]) {
                    s.add_scaled(c, k as u64);
                }
            }
            stats(sum, out);
        },
    )
}

/// The replicate loop every bootstrap of sentlab shares (`eval`, `compare`, the agreement
/// of `labels merge`): `opts.n` replicates, each drawing `n_units` units with replacement
/// (`draws[u]`: how many times unit `u` was drawn) from its own random stream, then
/// `replicate` turns the draws into `n_stats` values (NaN: undefined; `out` is all NaN when
/// it is called) with a per-thread scratch made by `scratch`. Returns the 95% interval of
/// every value. Each thread keeps only the tails of every value ([`Tails`]), and replicate
/// `b` has its own stream, so the result does not depend on the thread count.
pub fn run_replicates<S>(
    n_units: usize,
    n_stats: usize,
    opts: &BootstrapOptions,
    scratch: impl Fn() -> S + Sync,
    replicate: impl Fn(&[u32], &mut S, &mut [f64]) + Sync,
) -> Vec<Option<Interval>> {
    let empty = vec![Tails::for_replicates(opts.n); n_stats];
    let mut tails = empty.clone();
    if n_units > 0 && opts.n > 0 {
        let threads = opts.threads.max(1);
        let per_thread = opts.n.div_ceil(threads);
        let (scratch, replicate) = (&scratch, &replicate);
        let parts: Vec<Vec<Tails>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let mut part = empty.clone();
                    scope.spawn(move || {
                        let mut draws = vec![0u32; n_units];
                        let mut state = scratch();
                        let mut out = vec![f64::NAN; n_stats];
                        let replicates =
                            (t * per_thread).min(opts.n)..((t + 1) * per_thread).min(opts.n);
                        for b in replicates {
                            let mut rng = SplitMix64::for_replicate(opts.seed, b as u64);
                            draws.iter_mut().for_each(|d| *d = 0);
                            for _ in 0..n_units {
                                draws[rng.below(n_units)] += 1;
                            }
                            out.iter_mut().for_each(|x| *x = f64::NAN);
                            replicate(&draws, &mut state, &mut out);
                            for (tail, &x) in part.iter_mut().zip(&out) {
                                tail.push(x);
                            }
                        }
                        part
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a bootstrap thread does not panic"))
                .collect()
        });
        for part in parts {
            for (tail, p) in tails.iter_mut().zip(part) {
                tail.merge(p);
            }
        }
    }
    tails.into_iter().map(Tails::interval).collect()
}

/// Groups intervals three by three (precision, recall, F1).
pub fn cis_of(intervals: Vec<Option<Interval>>) -> Vec<Cis> {
    intervals
        .chunks(3)
        .map(|c| Cis {
            precision: c[0],
            recall: c[1],
            f1: c[2],
        })
        .collect()
}

/// P, R and F1 of each row into `out` (three values per row; NaN where undefined).
pub fn put_prfs(prfs: impl IntoIterator<Item = Prf>, out: &mut [f64]) {
    for (i, p) in prfs.into_iter().enumerate() {
        for (j, v) in [p.precision, p.recall, p.f1].into_iter().enumerate() {
            out[i * 3 + j] = v.unwrap_or(f64::NAN);
        }
    }
}

/// Runs the bootstrap on a count matrix; returns intervals per label, then micro, macro,
/// weighted and any (see [`resample`]).
pub fn bootstrap_counts(counts: &ArticleCounts, opts: &BootstrapOptions) -> Vec<Cis> {
    let n_labels = counts.n_labels;
    cis_of(resample(
        counts.n_articles,
        n_labels + 1,
        &counts.rows,
        (n_labels + 4) * 3,
        &|sum: &[Counts], out: &mut [f64]| replicate_stats(sum, n_labels, out),
        opts,
    ))
}

/// Bootstrap intervals for a sentence-level evaluation, resampling the articles of
/// `universe` (article id = sentence id up to the last `:`).
pub fn bootstrap(
    eval: &SentenceEval,
    universe: &Universe,
    opts: &BootstrapOptions,
) -> BootstrapResult {
    let counts = ArticleCounts::new(eval, universe);
    let cis = bootstrap_counts(&counts, opts);
    let l = eval.labels.len();
    BootstrapResult {
        n: opts.n,
        seed: opts.seed,
        labels: eval
            .labels
            .names()
            .iter()
            .cloned()
            .zip(cis[..l].iter().copied())
            .collect(),
        micro: cis[l],
        macro_: cis[l + 1],
        weighted: cis[l + 2],
        any: cis[l + 3],
    }
}

/// Per-article rows (`width` per article) of the universe's articles and of any other
/// article given, in the order of their ids' bytes: an article without spans is a row of
/// zeros, and is drawn like any other. Returns the article ids in that order and the rows
/// (what the bootstrap resamples, and what a span-level partial result holds).
pub fn article_matrix<'a, T: Summable>(
    universe: &'a Universe,
    per_article: &'a [(String, Vec<T>)],
    width: usize,
) -> (Vec<&'a str>, Vec<T>) {
    let mut ids: Vec<&str> = universe.articles().iter().map(String::as_str).collect();
    let mut index: std::collections::HashMap<&str, usize> =
        ids.iter().enumerate().map(|(i, a)| (*a, i)).collect();
    for (article, _) in per_article {
        if !index.contains_key(article.as_str()) {
            index.insert(article, ids.len());
            ids.push(article);
        }
    }
    let rank = super::universe::id_ranks(&ids);
    let n = ids.len();
    let mut rows = vec![T::default(); n * width];
    for (article, row) in per_article {
        let a = rank[index[article.as_str()]];
        rows[a * width..(a + 1) * width].copy_from_slice(row);
    }
    let mut ordered = vec![""; n];
    for (i, id) in ids.into_iter().enumerate() {
        ordered[rank[i]] = id;
    }
    (ordered, rows)
}

/// Bootstrap intervals for the span-level (SemEval) scores, resampling the articles of
/// `universe`: per label, micro, macro and weighted (no `any` row).
pub fn bootstrap_spans(
    eval: &super::SpanEval,
    universe: &Universe,
    opts: &BootstrapOptions,
) -> BootstrapResult {
    let (ids, rows) = article_matrix(universe, &eval.per_article, eval.labels.len());
    bootstrap_span_rows(&eval.labels, ids.len(), &rows, opts)
}

/// [`bootstrap_spans`] of a per-article matrix already made: `labels.len()` rows per
/// article, articles in the order of their ids' bytes.
pub fn bootstrap_span_rows(
    labels: &[String],
    n_articles: usize,
    rows: &[super::SpanCounts],
    opts: &BootstrapOptions,
) -> BootstrapResult {
    use super::SpanCounts;
    let l = labels.len();
    let stats = |sum: &[SpanCounts], out: &mut [f64]| {
        let per: Vec<Prf> = sum.iter().map(SpanCounts::prf).collect();
        let mut total = SpanCounts::default();
        for c in sum {
            total.add_scaled(c, 1);
        }
        let weighted: Vec<(Prf, u64)> = sum.iter().zip(&per).map(|(c, p)| (*p, c.gold)).collect();
        put_prfs(
            per.iter().copied().chain([
                total.prf(),
                macro_average(&per),
                weighted_average(&weighted),
            ]),
            out,
        );
    };
    let cis = cis_of(resample(n_articles, l, rows, (l + 3) * 3, &stats, opts));
    BootstrapResult {
        n: opts.n,
        seed: opts.seed,
        labels: labels
            .iter()
            .cloned()
            .zip(cis[..l].iter().copied())
            .collect(),
        micro: cis[l],
        macro_: cis[l + 1],
        weighted: cis[l + 2],
        any: Cis::default(),
    }
}

/// Bootstrap intervals for a matching mode, resampling the articles of `universe`: per
/// label (in the evaluation's label order), then overall.
pub fn bootstrap_matches(
    eval: &super::MatchEval,
    universe: &Universe,
    opts: &BootstrapOptions,
) -> (Vec<(String, Cis)>, Cis) {
    let (ids, rows) = article_matrix(universe, &eval.per_article, eval.labels.len() + 1);
    bootstrap_match_rows(&eval.labels, eval.options.mode, ids.len(), &rows, opts)
}

/// [`bootstrap_matches`] of a per-article matrix already made: `labels.len() + 1` rows per
/// article (the labels, then overall), articles in the order of their ids' bytes.
pub fn bootstrap_match_rows(
    labels: &[String],
    mode: super::MatchMode,
    n_articles: usize,
    rows: &[super::MatchCounts],
    opts: &BootstrapOptions,
) -> (Vec<(String, Cis)>, Cis) {
    use super::MatchCounts;
    let l = labels.len();
    let stats = |sum: &[MatchCounts], out: &mut [f64]| {
        put_prfs(sum.iter().map(|c| c.prf(mode)), out);
    };
    let cis = cis_of(resample(n_articles, l + 1, rows, (l + 1) * 3, &stats, opts));
    (
        labels
            .iter()
            .cloned()
            .zip(cis[..l].iter().copied())
            .collect(),
        cis[l],
    )
}

impl Summable for super::MatchCounts {
    fn add_scaled(&mut self, other: &Self, k: u64) {
        super::MatchCounts::add_scaled(self, other, k);
    }
}

#[cfg(test)]
mod tail_tests {
    use super::*;
    use proptest::prelude::*;

    /// The interval of all values sorted, as the bootstrap computed it before streaming.
    fn full(values: &[f64]) -> Option<Interval> {
        let mut v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
        if v.is_empty() {
            return None;
        }
        v.sort_by(f64::total_cmp);
        Some(Interval {
            lo: percentile(&v, 0.025),
            hi: percentile(&v, 0.975),
        })
    }

    proptest! {
        /// Streamed tails, split over any number of parts, give exactly the percentiles of
        /// all the values (NaN for undefined replicates, repeated values, any order).
        #[test]
        fn tails_give_the_percentiles_of_all_values(
            values in proptest::collection::vec(
                prop_oneof![4 => (0u8..40).prop_map(|x| x as f64 / 8.0), 1 => Just(f64::NAN)],
                0..600,
            ),
            parts in 1usize..5,
        ) {
            let per = values.len().div_ceil(parts).max(1);
            let mut total = Tails::for_replicates(values.len());
            for chunk in values.chunks(per) {
                let mut part = Tails::for_replicates(values.len());
                for &x in chunk {
                    part.push(x);
                }
                total.merge(part);
            }
            let got = total.interval();
            let want = full(&values);
            prop_assert_eq!(got.map(|i| (i.lo.to_bits(), i.hi.to_bits())), want.map(|i| (i.lo.to_bits(), i.hi.to_bits())));
        }
    }

    #[test]
    fn tails_keep_a_fortieth_of_the_replicates() {
        // 100,000 replicates: 2,500 + 2 values per tail, not 100,000.
        let mut t = Tails::for_replicates(100_000);
        for i in 0..100_000 {
            t.push(i as f64);
        }
        assert_eq!(
            (t.low.len(), t.high.len(), t.defined),
            (2_502, 2_502, 100_000)
        );
        // numpy.percentile(range(100000), [2.5, 97.5]) = 2499.975, 97499.025
        let i = t.interval().unwrap();
        assert!(
            (i.lo - 2499.975).abs() < 1e-9 && (i.hi - 97499.025).abs() < 1e-9,
            "{i:?}"
        );
    }
}
