//! Bootstrap confidence intervals by resampling articles with replacement.
//!
//! Per-article, per-label tp/fp/fn (and the per-article "any" counts) are computed once;
//! each replicate draws `n_articles` articles with replacement and sums their rows, so one
//! replicate costs O(articles × labels). Replicate `b` uses its own SplitMix64 stream seeded
//! from `(seed, b)`, so results depend only on `seed` and `n`, never on the thread count.
//! Intervals are the 2.5th and 97.5th percentiles (linear interpolation between order
//! statistics, numpy's default) of the replicates in which the value is defined; a value
//! undefined in every replicate has no interval.

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
    /// no labels at all are sampled too).
    pub fn new(eval: &SentenceEval, universe: &Universe) -> ArticleCounts {
        let n_labels = eval.labels.len();
        let w = n_labels + 1;
        let art = universe.article_indices();
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
            bump(art[(k >> 32) as usize] as usize, (k as u32) as usize, o)
        });
        let gs = sentences_of(&eval.counts.gold);
        let ps = sentences_of(&eval.counts.pred);
        for_each_outcome(&gs, &ps, |s, o| bump(art[s as usize] as usize, n_labels, o));
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

/// Runs the bootstrap on a count matrix; returns intervals per label, then micro, macro,
/// weighted and any.
pub fn bootstrap_counts(counts: &ArticleCounts, opts: &BootstrapOptions) -> Vec<Cis> {
    let n_stats = (counts.n_labels + 4) * 3;
    let w = counts.n_labels + 1;
    let mut values = vec![f64::NAN; opts.n * n_stats];
    if counts.n_articles > 0 && opts.n > 0 {
        let threads = opts.threads.max(1);
        let per_thread = opts.n.div_ceil(threads);
        std::thread::scope(|scope| {
            for (t, chunk) in values.chunks_mut(per_thread * n_stats).enumerate() {
                scope.spawn(move || {
                    let mut draws = vec![0u32; counts.n_articles];
                    let mut sum = vec![Counts::default(); w];
                    for (i, out) in chunk.chunks_mut(n_stats).enumerate() {
                        let b = (t * per_thread + i) as u64;
                        let mut rng = SplitMix64::for_replicate(opts.seed, b);
                        draws.iter_mut().for_each(|d| *d = 0);
                        for _ in 0..counts.n_articles {
                            draws[rng.below(counts.n_articles)] += 1;
                        }
                        sum.iter_mut().for_each(|c| *c = Counts::default());
                        for (a, &k) in draws.iter().enumerate() {
                            if k == 0 {
                                continue;
                            }
                            let k = k as u64;
                            for (s, c) in sum.iter_mut().zip(&counts.rows[a * w..(a + 1) * w]) {
                                s.tp += k * c.tp;
                                s.fp += k * c.fp;
                                s.fn_ += k * c.fn_;
                            }
                        }
                        replicate_stats(&sum, counts.n_labels, out);
                    }
                });
            }
        });
    }
    let interval = |stat: usize| {
        let mut v: Vec<f64> = (0..opts.n)
            .map(|b| values[b * n_stats + stat])
            .filter(|x| !x.is_nan())
            .collect();
        if v.is_empty() {
            return None;
        }
        v.sort_by(f64::total_cmp);
        Some(Interval {
            lo: percentile(&v, 0.025),
            hi: percentile(&v, 0.975),
        })
    };
    (0..counts.n_labels + 4)
        .map(|i| Cis {
            precision: interval(i * 3),
            recall: interval(i * 3 + 1),
            f1: interval(i * 3 + 2),
        })
        .collect()
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
