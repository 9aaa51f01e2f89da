//! Two prediction tables against the same gold: the F1 of each, the difference, a paired
//! bootstrap interval of the difference and a paired approximate-randomisation p-value.
//!
//! Both systems are scored per article and label once ([`Paired`]: tp/fp/fn, SemEval span
//! sums or match categories, whatever the level); every resample only adds rows up.
//!
//! - The difference is `B − A`, per label on F1, and overall on the micro F1 (counts pooled
//!   over labels; in a matching mode, nervaluate's `overall` matching) and the macro F1 (the
//!   mean of the label F1s). An undefined F1 (0/0) counts as 0 in a difference, as in the
//!   macro average.
//! - The interval: `n` replicates draw the articles with replacement, the same draws for A
//!   and B; the 2.5th and 97.5th percentiles of the replicate differences (as `eval
//!   --bootstrap`, with the same random streams).
//! - The p-value: each of `n` permutations swaps A's and B's rows of an article with
//!   probability 1/2, independently per article, and recomputes the difference. A
//!   permutation counts when `|diff| >= |observed| − 1e-9` (two-sided; ties count, and the
//!   tolerance keeps ties that float rounding of sums would break); with `r` such
//!   permutations `p = (r + 1) / (n + 1)`. Identical systems give every difference 0, so
//!   `r = n` and `p = 1`.
//!
//! Permutation `i` has its own SplitMix64 stream from `(seed, i)`, as bootstrap replicate
//! `b` has, so the result depends on the seed and counts, never on the thread count; memory
//! does not grow with the number of permutations (only counts are kept).

use super::bootstrap::{BootstrapOptions, Interval, SplitMix64, Summable, resample};
use super::metrics::{Prf, macro_average};
use super::universe::Universe;

/// The accepted numbers of permutations.
pub const PERMUTATION_RANGE: std::ops::RangeInclusive<u32> = 100..=1_000_000;

/// Default number of permutations.
pub const DEFAULT_PERMUTATIONS: u32 = 10_000;

/// Default number of bootstrap replicates.
pub const DEFAULT_REPLICATES: u32 = 1_000;

/// Added to the seed for the permutation streams, so that permutation `i` and bootstrap
/// replicate `i` do not share their random numbers.
const PERMUTATION_STREAM: u64 = 0x5045_524D_5554_4531;

/// Tolerance of the tie rule (`|diff| >= |observed| − TIE`).
pub const TIE: f64 = 1e-9;

/// The two systems scored per article: `a[k * width + j]` and `b[k * width + j]` are the
/// rows of article `k` for label `j < labels.len()`; when `overall` is `Some(j)`, row `j`
/// holds the counts the micro F1 is computed from (else the label rows are pooled).
#[derive(Debug, Clone, PartialEq)]
pub struct Paired<T> {
    /// Label names, in report order.
    pub labels: Vec<String>,
    /// Number of articles.
    pub n_articles: usize,
    /// Rows per article.
    pub width: usize,
    /// The row with the counts for the micro F1, if not the pooled label rows.
    pub overall: Option<usize>,
    /// System A's rows.
    pub a: Vec<T>,
    /// System B's rows.
    pub b: Vec<T>,
}

impl<T: Summable> Paired<T> {
    /// Pairs per-article rows (article name, `width` rows) of A and B: the articles of
    /// `universe` and any other article named, in the order of their ids' bytes. An article
    /// a system has no row for is a row of zeros.
    pub fn from_articles(
        labels: Vec<String>,
        width: usize,
        overall: Option<usize>,
        universe: &Universe,
        a: &[(String, Vec<T>)],
        b: &[(String, Vec<T>)],
    ) -> Paired<T> {
        let mut index: std::collections::HashMap<String, usize> = universe
            .articles()
            .iter()
            .enumerate()
            .map(|(i, a)| (a.clone(), i))
            .collect();
        for (name, _) in a.iter().chain(b) {
            let n = index.len();
            index.entry(name.clone()).or_insert(n);
        }
        // Articles are drawn and swapped in the order of their ids' bytes.
        let mut names: Vec<&String> = index.keys().collect();
        names.sort_unstable_by(|x, y| x.as_bytes().cmp(y.as_bytes()));
        let index: std::collections::HashMap<String, usize> = names
            .into_iter()
            .enumerate()
            .map(|(i, name)| (name.clone(), i))
            .collect();
        let n_articles = index.len();
        let fill = |rows: &[(String, Vec<T>)]| {
            let mut m = vec![T::default(); n_articles * width];
            for (name, r) in rows {
                let k = index[name];
                m[k * width..(k + 1) * width].copy_from_slice(&r[..width]);
            }
            m
        };
        Paired {
            a: fill(a),
            b: fill(b),
            labels,
            n_articles,
            width,
            overall,
        }
    }
}

/// Options of [`compare`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompareOptions {
    /// Bootstrap replicates.
    pub replicates: usize,
    /// Permutations of the randomisation test.
    pub permutations: usize,
    /// Seed of both.
    pub seed: u64,
    /// Worker threads (at least 1); does not change the result.
    pub threads: usize,
}

/// Which row of the comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// A label.
    Label,
    /// Micro average (pooled counts).
    Micro,
    /// Macro average (mean of the label values).
    Macro,
}

/// One row of the comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareRow {
    /// Label, or `micro` / `macro`.
    pub name: String,
    /// Label or average.
    pub kind: RowKind,
    /// System A's precision, recall, F1.
    pub a: Prf,
    /// System B's.
    pub b: Prf,
    /// F1 of B minus F1 of A (undefined F1 as 0).
    pub diff: f64,
    /// 95% paired bootstrap interval of the difference.
    pub ci: Option<Interval>,
    /// Paired approximate-randomisation p-value (two-sided).
    pub p: f64,
}

/// The comparison: label rows, then micro and macro.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Label rows, then `micro`, then `macro`.
    pub rows: Vec<CompareRow>,
    /// The options used.
    pub options: CompareOptions,
}

/// Precision, recall and F1 of every label, then micro, then macro, of summed rows.
fn prfs<T: Summable>(
    sum: &[T],
    n_labels: usize,
    overall: Option<usize>,
    prf: &(dyn Fn(&T) -> Prf + Sync),
) -> Vec<Prf> {
    let mut v: Vec<Prf> = sum[..n_labels].iter().map(prf).collect();
    let micro = match overall {
        Some(j) => prf(&sum[j]),
        None => {
            let mut total = T::default();
            for c in &sum[..n_labels] {
                total.add_scaled(c, 1);
            }
            prf(&total)
        }
    };
    let mac = macro_average(&v);
    v.push(micro);
    v.push(mac);
    v
}

/// `F1(B) − F1(A)` of every row (undefined F1 as 0) into `out`.
fn diffs<T: Summable>(
    sa: &[T],
    sb: &[T],
    n_labels: usize,
    overall: Option<usize>,
    prf: &(dyn Fn(&T) -> Prf + Sync),
    out: &mut [f64],
) {
    let pa = prfs(sa, n_labels, overall, prf);
    let pb = prfs(sb, n_labels, overall, prf);
    for ((o, a), b) in out.iter_mut().zip(&pa).zip(&pb) {
        *o = b.f1.unwrap_or(0.0) - a.f1.unwrap_or(0.0);
    }
}

fn column_sums<T: Summable>(rows: &[T], width: usize) -> Vec<T> {
    let mut s = vec![T::default(); width];
    for r in rows.chunks(width) {
        for (x, c) in s.iter_mut().zip(r) {
            x.add_scaled(c, 1);
        }
    }
    s
}

/// Whether a permuted difference is at least as extreme as the observed one.
fn extreme(d: f64, observed: f64) -> bool {
    d.abs() >= observed.abs() - TIE
}

/// The sums of A and B after swapping the articles whose bit is set in `swap(k)`.
fn swapped_sums<T: Summable>(
    p: &Paired<T>,
    swap: impl Fn(usize) -> bool,
    sa: &mut [T],
    sb: &mut [T],
) {
    let w = p.width;
    sa.iter_mut().for_each(|c| *c = T::default());
    sb.iter_mut().for_each(|c| *c = T::default());
    for k in 0..p.n_articles {
        let (ra, rb) = (&p.a[k * w..(k + 1) * w], &p.b[k * w..(k + 1) * w]);
        let (ra, rb) = if swap(k) { (rb, ra) } else { (ra, rb) };
        for ((x, y), (ca, cb)) in sa.iter_mut().zip(sb.iter_mut()).zip(ra.iter().zip(rb)) {
            x.add_scaled(ca, 1);
            y.add_scaled(cb, 1);
        }
    }
}

/// Number of permutations (of `n`, streams from `seed`) at least as extreme as `observed`,
/// per row.
fn randomisation<T: Summable>(
    p: &Paired<T>,
    prf: &(dyn Fn(&T) -> Prf + Sync),
    observed: &[f64],
    n: usize,
    seed: u64,
    threads: usize,
) -> Vec<u64> {
    let n_stats = observed.len();
    let n_labels = p.labels.len();
    let threads = threads.max(1);
    let per_thread = n.div_ceil(threads);
    let parts: Vec<Vec<u64>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    let mut r = vec![0u64; n_stats];
                    let mut sa = vec![T::default(); p.width];
                    let mut sb = vec![T::default(); p.width];
                    let mut bits = vec![0u64; p.n_articles.div_ceil(64)];
                    let mut out = vec![0.0; n_stats];
                    for i in (t * per_thread).min(n)..((t + 1) * per_thread).min(n) {
                        let mut rng = SplitMix64::for_replicate(
                            seed.wrapping_add(PERMUTATION_STREAM),
                            i as u64,
                        );
                        bits.iter_mut().for_each(|b| *b = rng.next_u64());
                        swapped_sums(p, |k| bits[k / 64] >> (k % 64) & 1 == 1, &mut sa, &mut sb);
                        diffs(&sa, &sb, n_labels, p.overall, prf, &mut out);
                        for ((c, &d), &o) in r.iter_mut().zip(&out).zip(observed) {
                            *c += u64::from(extreme(d, o));
                        }
                    }
                    r
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a permutation thread does not panic"))
            .collect()
    });
    let mut r = vec![0u64; n_stats];
    for part in parts {
        for (c, x) in r.iter_mut().zip(part) {
            *c += x;
        }
    }
    r
}

/// The observed difference of every row (labels, micro, macro).
pub fn observed_diffs<T: Summable>(p: &Paired<T>, prf: &(dyn Fn(&T) -> Prf + Sync)) -> Vec<f64> {
    let mut out = vec![0.0; p.labels.len() + 2];
    diffs(
        &column_sums(&p.a, p.width),
        &column_sums(&p.b, p.width),
        p.labels.len(),
        p.overall,
        prf,
        &mut out,
    );
    out
}

/// The exact randomisation p-value of every row: the share of all `2^articles` swap
/// patterns (the identity included) at least as extreme as the observed difference. For
/// checks on few articles (at most 20).
pub fn exact_p_values<T: Summable>(p: &Paired<T>, prf: &(dyn Fn(&T) -> Prf + Sync)) -> Vec<f64> {
    assert!(p.n_articles <= 20, "2^{} swap patterns", p.n_articles);
    let observed = observed_diffs(p, prf);
    let mut r = vec![0u64; observed.len()];
    let (mut sa, mut sb) = (vec![T::default(); p.width], vec![T::default(); p.width]);
    let mut out = vec![0.0; observed.len()];
    let patterns = 1u64 << p.n_articles;
    for mask in 0..patterns {
        swapped_sums(p, |k| mask >> k & 1 == 1, &mut sa, &mut sb);
        diffs(&sa, &sb, p.labels.len(), p.overall, prf, &mut out);
        for ((c, &d), &o) in r.iter_mut().zip(&out).zip(&observed) {
            *c += u64::from(extreme(d, o));
        }
    }
    r.iter().map(|&c| c as f64 / patterns as f64).collect()
}

/// Compares B with A (see the module docs). `prf` turns a row into precision, recall, F1.
pub fn compare<T: Summable>(
    p: &Paired<T>,
    prf: &(dyn Fn(&T) -> Prf + Sync),
    opts: &CompareOptions,
) -> Comparison {
    let n_labels = p.labels.len();
    let (sa, sb) = (column_sums(&p.a, p.width), column_sums(&p.b, p.width));
    let (pa, pb) = (
        prfs(&sa, n_labels, p.overall, prf),
        prfs(&sb, n_labels, p.overall, prf),
    );
    let observed = observed_diffs(p, prf);
    // The bootstrap engine sums rows of article-major data: A's rows then B's per article.
    let w = p.width;
    let mut joint = Vec::with_capacity(p.a.len() * 2);
    for k in 0..p.n_articles {
        joint.extend_from_slice(&p.a[k * w..(k + 1) * w]);
        joint.extend_from_slice(&p.b[k * w..(k + 1) * w]);
    }
    let stats = |sum: &[T], out: &mut [f64]| {
        diffs(&sum[..w], &sum[w..], n_labels, p.overall, prf, out);
    };
    let cis = resample(
        p.n_articles,
        2 * w,
        &joint,
        n_labels + 2,
        &stats,
        &BootstrapOptions {
            n: opts.replicates,
            seed: opts.seed,
            threads: opts.threads,
        },
    );
    let r = randomisation(
        p,
        prf,
        &observed,
        opts.permutations,
        opts.seed,
        opts.threads,
    );
    let rows = (0..n_labels + 2)
        .map(|i| CompareRow {
            name: match i {
                i if i < n_labels => p.labels[i].clone(),
                i if i == n_labels => "micro".to_owned(),
                _ => "macro".to_owned(),
            },
            kind: match i {
                i if i < n_labels => RowKind::Label,
                i if i == n_labels => RowKind::Micro,
                _ => RowKind::Macro,
            },
            a: pa[i],
            b: pb[i],
            diff: observed[i],
            ci: cis[i],
            p: (r[i] + 1) as f64 / (opts.permutations + 1) as f64,
        })
        .collect();
    Comparison {
        rows,
        options: *opts,
    }
}

impl Paired<super::Counts> {
    /// Sentence level: the per-article counts of two evaluations over the same universe and
    /// the same label set (in the same order).
    pub fn sentences(
        a: &super::SentenceEval,
        b: &super::SentenceEval,
        universe: &Universe,
    ) -> Paired<super::Counts> {
        assert_eq!(
            a.labels.names(),
            b.labels.names(),
            "one label set for A and B"
        );
        let (ca, cb) = (
            super::bootstrap::ArticleCounts::new(a, universe),
            super::bootstrap::ArticleCounts::new(b, universe),
        );
        Paired {
            labels: a.labels.names().to_vec(),
            n_articles: ca.n_articles,
            // The last row of each article is the "any" row, not compared.
            width: ca.n_labels + 1,
            overall: None,
            a: ca.rows,
            b: cb.rows,
        }
    }
}

/// A (sentence, label) pair that one system gets right and the other wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flip {
    /// Sentence index in the universe.
    pub sentence: u32,
    /// Label index.
    pub label: u32,
    /// Whether gold has the label on the sentence.
    pub gold: bool,
    /// Whether A predicts it.
    pub a: bool,
    /// Whether B predicts it.
    pub b: bool,
}

impl Flip {
    /// `fixed` (A wrong, B right) or `broken` (A right, B wrong).
    pub fn change(&self) -> &'static str {
        if self.b == self.gold {
            "fixed"
        } else {
            "broken"
        }
    }
}

/// The pairs where A and B differ (so exactly one is right), sorted by sentence (table
/// order), then label (report order). Both evaluations must share the universe, gold and
/// label set.
pub fn flips(a: &super::SentenceEval, b: &super::SentenceEval) -> Vec<Flip> {
    assert_eq!(
        a.labels.names(),
        b.labels.names(),
        "one label set for A and B"
    );
    let (pa, pb, gold) = (&a.counts.pred, &b.counts.pred, &a.counts.gold);
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < pa.len() || j < pb.len() {
        let (ka, kb) = (pa.get(i).copied(), pb.get(j).copied());
        let (k, in_a, in_b) = match (ka, kb) {
            (Some(x), Some(y)) if x == y => {
                i += 1;
                j += 1;
                continue;
            }
            (Some(x), Some(y)) if x < y => (x, true, false),
            (Some(x), None) => (x, true, false),
            (_, Some(y)) => (y, false, true),
            (None, None) => unreachable!("the loop runs while one list has keys"),
        };
        if in_a {
            i += 1;
        } else {
            j += 1;
        }
        let (sentence, label) = super::sentence::unkey(k);
        out.push(Flip {
            sentence,
            label,
            gold: gold.binary_search(&k).is_ok(),
            a: in_a,
            b: in_b,
        });
    }
    out
}

/// The flips as CSV: `sentence_id,label,gold,a,b,change,text` (`gold`, `a`, `b`: 1 when
/// the gold table or system has the label on the sentence, else 0).
pub fn render_flips_csv(
    flips: &[Flip],
    universe: &Universe,
    labels: &[String],
    text: impl Fn(u32) -> Option<String>,
) -> String {
    let mut out =
        super::render::csv_line(&["sentence_id", "label", "gold", "a", "b", "change", "text"]);
    let bit = |x: bool| if x { "1" } else { "0" }.to_owned();
    for f in flips {
        out.push_str(&super::render::csv_line(&[
            universe.id(f.sentence),
            labels[f.label as usize].clone(),
            bit(f.gold),
            bit(f.a),
            bit(f.b),
            f.change().to_owned(),
            text(f.sentence).unwrap_or_default(),
        ]));
    }
    out
}

/// What the comparison's header says about where it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareMeta {
    /// `sentence` or `span`.
    pub level: &'static str,
    /// The span scoring mode (`ptc`, `strict`, ...); `None` at sentence level.
    pub matching: Option<&'static str>,
    /// Names of the two prediction tables.
    pub a: String,
    /// Name of B's table.
    pub b: String,
}

impl Comparison {
    /// Renders the comparison. Table and markdown: label rows, then micro and macro, with
    /// P, R, F1 of A and B, `f1 diff` (B − A), its 95% interval and the p-value, 3 decimals
    /// (p-values 4). CSV: a first column `row` (`label`, `micro`, `macro`; the `label` cell
    /// of averages empty), full precision. JSON: `{"level", "match", "a", "b", "bootstrap":
    /// {"n", "seed"}, "permutations", "labels": [...], "micro", "macro"}`.
    pub fn render(&self, meta: &CompareMeta, format: super::Format) -> String {
        use super::Format;
        let csv = format == Format::Csv;
        let num = |v: Option<f64>, digits: usize| match v {
            None if csv => String::new(),
            None => "-".to_owned(),
            Some(v) if csv => v.to_string(),
            Some(v) => format!("{v:.digits$}"),
        };
        let cells = |r: &CompareRow| {
            let mut c = if csv {
                match r.kind {
                    RowKind::Label => vec!["label".to_owned(), r.name.clone()],
                    RowKind::Micro => vec!["micro".to_owned(), String::new()],
                    RowKind::Macro => vec!["macro".to_owned(), String::new()],
                }
            } else {
                vec![r.name.clone()]
            };
            for p in [r.a, r.b] {
                c.extend([num(p.precision, 3), num(p.recall, 3), num(p.f1, 3)]);
            }
            c.push(num(Some(r.diff), 3));
            if csv {
                c.push(num(r.ci.map(|i| i.lo), 3));
                c.push(num(r.ci.map(|i| i.hi), 3));
            } else {
                c.push(r.ci.map_or("-".to_owned(), |i| format!("[{:.3}, {:.3}]", i.lo, i.hi)));
            }
            c.push(num(Some(r.p), 4));
            c
        };
        let mut header: Vec<&str> = if csv {
            vec!["row", "label"]
        } else {
            vec!["label"]
        };
        header.extend([
            "precision_a",
            "recall_a",
            "f1_a",
            "precision_b",
            "recall_b",
            "f1_b",
        ]);
        if csv {
            header.extend(["f1_diff", "f1_diff_lo", "f1_diff_hi", "p_value"]);
        } else {
            header.extend(["f1 diff", "95% CI", "p"]);
        }
        let split = self
            .rows
            .iter()
            .position(|r| r.kind != RowKind::Label)
            .unwrap_or(self.rows.len());
        let (labels, averages) = self.rows.split_at(split);
        match format {
            Format::Json => self.to_json(meta),
            Format::Csv => {
                let mut out = super::render::csv_line(&header);
                for r in &self.rows {
                    out.push_str(&super::render::csv_line(&cells(r)));
                }
                out
            }
            Format::Table => super::render::render_table(
                &header,
                1,
                &labels.iter().map(cells).collect::<Vec<_>>(),
                &averages.iter().map(cells).collect::<Vec<_>>(),
            ),
            Format::Markdown => super::render::render_markdown(
                &header,
                1,
                &self.rows.iter().map(cells).collect::<Vec<_>>(),
            ),
        }
    }

    fn to_json(&self, meta: &CompareMeta) -> String {
        #[derive(serde::Serialize)]
        struct Side {
            precision: Option<f64>,
            recall: Option<f64>,
            f1: Option<f64>,
        }
        #[derive(serde::Serialize)]
        struct J<'a> {
            #[serde(skip_serializing_if = "Option::is_none")]
            label: Option<&'a str>,
            a: Side,
            b: Side,
            f1_diff: f64,
            f1_diff_ci: Option<[f64; 2]>,
            p_value: f64,
        }
        #[derive(serde::Serialize)]
        struct Boot {
            n: usize,
            seed: u64,
        }
        #[derive(serde::Serialize)]
        struct Top<'a> {
            level: &'a str,
            #[serde(rename = "match")]
            matching: Option<&'a str>,
            a: &'a str,
            b: &'a str,
            bootstrap: Boot,
            permutations: usize,
            labels: Vec<J<'a>>,
            micro: J<'a>,
            #[serde(rename = "macro")]
            macro_: J<'a>,
        }
        fn j(r: &CompareRow) -> J<'_> {
            let side = |p: Prf| Side {
                precision: p.precision,
                recall: p.recall,
                f1: p.f1,
            };
            J {
                label: (r.kind == RowKind::Label).then_some(r.name.as_str()),
                a: side(r.a),
                b: side(r.b),
                f1_diff: r.diff,
                f1_diff_ci: r.ci.map(|i| [i.lo, i.hi]),
                p_value: r.p,
            }
        }
        let find = |k: RowKind| {
            j(self
                .rows
                .iter()
                .find(|r| r.kind == k)
                .expect("micro and macro rows"))
        };
        let top = Top {
            level: meta.level,
            matching: meta.matching,
            a: &meta.a,
            b: &meta.b,
            bootstrap: Boot {
                n: self.options.replicates,
                seed: self.options.seed,
            },
            permutations: self.options.permutations,
            labels: self
                .rows
                .iter()
                .filter(|r| r.kind == RowKind::Label)
                .map(j)
                .collect(),
            micro: find(RowKind::Micro),
            macro_: find(RowKind::Macro),
        };
        let mut s = serde_json::to_string_pretty(&top).expect("serialisable");
        s.push('\n');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{Counts, SentenceOptions, evaluate_pairs};

    fn c(tp: u64, fp: u64, fn_: u64) -> Counts {
        Counts { tp, fp, fn_ }
    }

    fn prf(c: &Counts) -> Prf {
        c.prf()
    }

    /// One label, two articles (gold: one pair in each).
    /// Article 1: A tp1 fp1, B tp1. Article 2: A fn1, B tp1.
    /// A: tp1 fp1 fn1, F1 = 2/4 = 0.5; B: tp2, F1 = 1; observed diff 0.5.
    fn two_articles() -> Paired<Counts> {
        Paired {
            labels: vec!["X".into()],
            n_articles: 2,
            width: 1,
            overall: None,
            a: vec![c(1, 1, 0), c(0, 0, 1)],
            b: vec![c(1, 0, 0), c(1, 0, 0)],
        }
    }

    fn opts(permutations: usize, threads: usize) -> CompareOptions {
        CompareOptions {
            replicates: 1000,
            permutations,
            seed: 7,
            threads,
        }
    }

    #[test]
    fn exact_p_value_of_two_articles_by_hand() {
        // The four swap patterns:
        //   none:      diff 1 - 0.5 = 0.5                                     extreme
        //   swap 1:    A' = B1 + A2 = tp1 fn1 (F1 2/3), B' = A1 + B2 = tp2 fp1 (F1 4/5):
        //              diff 4/5 - 2/3 = 0.133                                 not
        //   swap 2:    A' = tp2 fp1 (4/5), B' = tp1 fn1 (2/3): diff -0.133     not
        //   swap both: diff -0.5                                              extreme
        // p = 2/4 for the label, micro (one label: the same counts) and macro.
        let p = two_articles();
        assert_eq!(observed_diffs(&p, &prf), vec![0.5, 0.5, 0.5]);
        assert_eq!(exact_p_values(&p, &prf), vec![0.5, 0.5, 0.5]);
    }

    #[test]
    fn randomisation_converges_to_the_exact_p_value() {
        // 100,000 permutations: r ~ Binomial(1e5, 1/2), standard deviation of p 0.0016.
        let cmp = compare(&two_articles(), &prf, &opts(100_000, 2));
        for r in &cmp.rows {
            assert!((r.p - 0.5).abs() < 0.01, "{r:?}");
            assert_eq!(r.diff, 0.5);
        }
        assert_eq!((cmp.rows[0].a.f1, cmp.rows[0].b.f1), (Some(0.5), Some(1.0)));
    }

    #[test]
    fn paired_bootstrap_interval_by_hand() {
        // Draws of two articles: {1,1} (1/4): A tp2 fp2 (F1 4/6), B tp2 (1): diff 1/3;
        // {1,2} or {2,1} (1/2): diff 0.5; {2,2} (1/4): A fn2 (F1 0), B tp2: diff 1.
        // The 2.5th and 97.5th percentiles of 1000 replicates: 1/3 and 1.
        let cmp = compare(&two_articles(), &prf, &opts(100, 1));
        let ci = cmp.rows[0].ci.unwrap();
        assert!((ci.lo - 1.0 / 3.0).abs() < 1e-12 && ci.hi == 1.0, "{ci:?}");
    }

    #[test]
    fn a_system_compared_with_itself_gives_zero_and_p_one() {
        let mut p = two_articles();
        p.b = p.a.clone();
        let cmp = compare(&p, &prf, &opts(1000, 3));
        for r in &cmp.rows {
            // Every permutation gives diff 0 >= |0|: r = n, p = (n + 1) / (n + 1).
            assert_eq!((r.diff, r.p), (0.0, 1.0), "{r:?}");
            assert_eq!(r.ci, Some(Interval { lo: 0.0, hi: 0.0 }));
        }
    }

    /// Seven articles, two labels, counts that differ between A and B.
    fn seven_articles() -> Paired<Counts> {
        let a: Vec<Counts> = (0..14u64).map(|i| c(i % 3, i % 2, (i + 1) % 3)).collect();
        let b: Vec<Counts> = (0..14u64)
            .map(|i| c((i + 1) % 3, (i / 2) % 2, i % 3))
            .collect();
        Paired {
            labels: vec!["X".into(), "Y".into()],
            n_articles: 7,
            width: 2,
            overall: None,
            a,
            b,
        }
    }

    #[test]
    fn same_output_for_a_seed_at_any_thread_count() {
        let p = seven_articles();
        let one = compare(&p, &prf, &opts(5000, 1));
        for threads in [2, 3, 8] {
            assert_eq!(compare(&p, &prf, &opts(5000, threads)).rows, one.rows);
        }
        let mut other = opts(5000, 1);
        other.seed = 8;
        assert_ne!(compare(&p, &prf, &other).rows, one.rows);
    }

    #[test]
    fn micro_pools_counts_and_macro_averages_label_f1() {
        // X: A tp1 fn1 (F1 2/3), B tp2 (1). Y: A fp1 (0), B nothing (undefined, as 0 in the
        // difference and the macro average). Micro: A tp1 fp1 fn1 (0.5), B tp2 (1).
        let p = Paired {
            labels: vec!["X".into(), "Y".into()],
            n_articles: 1,
            width: 2,
            overall: None,
            a: vec![c(1, 0, 1), c(0, 1, 0)],
            b: vec![c(2, 0, 0), c(0, 0, 0)],
        };
        let d = observed_diffs(&p, &prf);
        let want = [1.0 - 2.0 / 3.0, 0.0, 0.5, 0.5 - 1.0 / 3.0];
        for (got, want) in d.iter().zip(want) {
            assert!((got - want).abs() < 1e-12, "{d:?}");
        }
    }

    #[test]
    fn flips_by_hand() {
        let u = Universe::from_ids(["a:1", "a:2", "b:1"]).unwrap();
        let gold = [("a:1", "X"), ("a:2", "Y")];
        // A: a:1 X (right), b:1 X (wrong). B: a:1 Y (wrong), a:2 Y (right), b:1 X (wrong).
        let a = [("a:1", "X"), ("b:1", "X")];
        let b = [("a:1", "Y"), ("a:2", "Y"), ("b:1", "X")];
        let o = SentenceOptions {
            labels: Some(vec!["X".into(), "Y".into()]),
            strict: false,
        };
        let ea = evaluate_pairs(&u, gold, a, &o).unwrap();
        let eb = evaluate_pairs(&u, gold, b, &o).unwrap();
        let f = flips(&ea, &eb);
        // a:1 X: gold 1, A 1, B 0: broken. a:1 Y: gold 0, A 0, B 1: broken.
        // a:2 Y: gold 1, A 0, B 1: fixed. b:1 X: both predict it: no flip.
        let csv = render_flips_csv(&f, &u, ea.labels.names(), |s| Some(format!("text {s}")));
        assert_eq!(
            csv,
            "sentence_id,label,gold,a,b,change,text\n\
             a:1,X,1,1,0,broken,text 0\n\
             a:1,Y,0,0,1,broken,text 0\n\
             a:2,Y,1,0,1,fixed,text 1\n"
        );
    }
}
