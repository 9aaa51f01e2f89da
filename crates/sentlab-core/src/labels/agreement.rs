//! Inter-annotator agreement: percent agreement, Cohen's, Fleiss' kappa and
//! Krippendorff's alpha, per label and overall.
//!
//! Items and categories:
//! * **Per label** every sentence seen by an annotator is an item with categories
//!   yes/no (an annotator who saw the sentence and did not give the label says "no";
//!   one who did not see it gives no value).
//! * **Overall** pools every (sentence, label) item of the labels that at least one
//!   voting annotator used (schema labels nobody used would only add trivial all-"no"
//!   items). Pooled figures are dominated by the many "no" items: read them together
//!   with the per-label figures.
//!
//! Formulas (`n_ij` = raters putting item `i` in category `j`, `n_i` = raters of `i`):
//! * percent agreement (pairwise, pooled): agreeing rater pairs / all rater pairs over
//!   items with `n_i >= 2`, i.e. `Σ_i Σ_j n_ij(n_ij-1) / Σ_i n_i(n_i-1)`.
//! * Fleiss' kappa, generalised to unequal rater counts: `P_i = Σ_j n_ij(n_ij-1) /
//!   (n_i(n_i-1))`, `P̄` = mean of `P_i` over items with `n_i >= 2`, `p_j = Σ_i n_ij /
//!   Σ_i n_i`, `P_e = Σ_j p_j²` (sums over those items), `κ = (P̄-P_e)/(1-P_e)`. With equal `n_i` this is exactly
//!   Fleiss (1971); with unequal counts every item with >= 2 raters is kept (no
//!   restriction to the modal count).
//! * Krippendorff's alpha (nominal) via the coincidence matrix over pairable items
//!   (`m_u >= 2` values): `α = 1 - (n-1) Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k`.
//! * Cohen's kappa per annotator pair on the items both saw:
//!   `κ = (p_o - p_e)/(1 - p_e)`.
//!
//! Every figure is `Option<f64>`: `None` when undefined (no items, a single category
//! so the chance agreement is 1, fewer than two annotators) — never NaN.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::merge::{Merged, VoteTable};

/// A figure and the number of items it rests on.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Stat {
    /// The value; `None` when undefined.
    pub value: Option<f64>,
    /// Items the figure rests on.
    pub items: u64,
    /// 95% bootstrap interval (`labels merge --bootstrap`); absent without a bootstrap or
    /// when no replicate defined the figure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ci: Option<Ci>,
}

/// A 95% bootstrap confidence interval: the 2.5th and 97.5th percentiles of the
/// replicates in which the figure is defined.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Ci {
    /// Lower bound.
    pub lo: f64,
    /// Upper bound.
    pub hi: f64,
}

impl Stat {
    /// A figure without interval.
    pub fn new(value: Option<f64>, items: u64) -> Stat {
        Stat {
            value,
            items,
            ci: None,
        }
    }
}

/// Cohen's kappa of one annotator pair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairKappa {
    /// First annotator (alphabetically).
    pub a: String,
    /// Second annotator.
    pub b: String,
    /// Items both saw.
    pub items: u64,
    /// Observed agreement `p_o`.
    pub observed_agreement: Option<f64>,
    /// Cohen's kappa.
    pub kappa: Option<f64>,
    /// Gwet's AC1 of the pair: `(p_o - p_e)/(1 - p_e)` with `p_e = 2π(1-π)`, `π` the
    /// share of "yes" among the pair's 2 x items ratings.
    pub ac1: Option<f64>,
    /// Prevalence- and bias-adjusted kappa (Byrt, Bishop & Carlin 1993): `2 p_o - 1`.
    pub pabak: Option<f64>,
    /// Bootstrap intervals of `observed_agreement`, `kappa`, `ac1` and `pabak`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ci: Option<PairCis>,
}

/// Bootstrap intervals of the figures of one annotator pair (`None`: undefined in every
/// replicate).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PairCis {
    /// Of the observed agreement.
    pub observed_agreement: Option<Ci>,
    /// Of Cohen's kappa.
    pub kappa: Option<Ci>,
    /// Of Gwet's AC1.
    pub ac1: Option<Ci>,
    /// Of PABAK.
    pub pabak: Option<Ci>,
}

/// The agreement figures of one label, or of all labels pooled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agreement {
    /// Items seen by at least one annotator.
    pub items: u64,
    /// Pairwise percent agreement (as a fraction in [0, 1]).
    pub percent_agreement: Stat,
    /// Fleiss' kappa (generalised to unequal rater counts).
    pub fleiss_kappa: Stat,
    /// Krippendorff's alpha, nominal.
    pub krippendorff_alpha: Stat,
    /// Gwet's AC1, multi-rater (Gwet 2008), two categories (yes, no).
    pub gwet_ac1: Stat,
    /// Cohen's kappa for every annotator pair.
    pub cohen: Vec<PairKappa>,
}

/// The agreement figures of one label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelAgreement {
    /// The label.
    pub label: String,
    /// Its figures.
    #[serde(flatten)]
    pub agreement: Agreement,
}

/// The full agreement report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgreementReport {
    /// The voting annotators, sorted.
    pub annotators: Vec<String>,
    /// All (used) labels pooled.
    pub overall: Agreement,
    /// Per label, sorted by label.
    pub labels: Vec<LabelAgreement>,
    /// Set when Cohen's kappa per pair was left out (every `cohen` list is then empty):
    /// more than [`MAX_PAIR_ROWS`] rows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pairwise_omitted: Option<PairwiseOmitted>,
    /// Span F1 between every annotator pair, when every annotator file holds PTC spans
    /// (see [`span_agreement`](super::span_agreement::span_agreement)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span_f1: Option<Vec<super::span_agreement::PairSpanF1>>,
    /// Set when the report carries bootstrap intervals (`ci`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bootstrap: Option<BootstrapInfo>,
}

/// How the bootstrap intervals of a report were made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BootstrapInfo {
    /// Replicates.
    pub replicates: u64,
    /// Seed.
    pub seed: u64,
    /// What was resampled with replacement: `sentence` or `article`.
    pub unit: String,
    /// Number of units resampled (those with at least one sentence seen by an annotator).
    pub units: u64,
    /// True when the pairwise figures got no intervals (too many pair rows, see
    /// [`MAX_BOOTSTRAP_PAIR_ROWS`](super::agreement_ci::MAX_BOOTSTRAP_PAIR_ROWS)).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pairwise_omitted: bool,
}

/// Most rows of Cohen's kappa per annotator pair (pairs x (labels + 1), the `overall` row
/// included) that a report holds. Each row costs memory (about 0.7 KB from counting to the
/// printed table), and their number grows with the square of the number of annotators:
/// 4,000 annotators and 14 labels would be 120 million rows. Above the limit the pairwise
/// rows are left out and the report says so; the other figures do not need pairs.
pub const MAX_PAIR_ROWS: u64 = 100_000;

/// Why the pairwise rows were left out of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairwiseOmitted {
    /// Voting annotators.
    pub annotators: u64,
    /// Annotator pairs.
    pub pairs: u64,
    /// Rows they would take: pairs x (labels + 1).
    pub rows: u64,
    /// The limit, [`MAX_PAIR_ROWS`].
    pub limit: u64,
}

/// Items as `(category counts, multiplicity)`: `counts[j]` raters put the item in
/// category `j`; the item occurs `multiplicity` times.
pub type Items = [(Vec<u64>, u64)];

fn ratio(num: f64, den: f64) -> Option<f64> {
    (den != 0.0).then(|| num / den).filter(|v| v.is_finite())
}

/// Pooled pairwise percent agreement over items with at least two raters.
pub fn percent_agreement(items: &Items) -> Stat {
    let (mut agree, mut pairs, mut n_items) = (0f64, 0f64, 0u64);
    for (counts, w) in items {
        let n: u64 = counts.iter().sum();
        if n < 2 || *w == 0 {
            continue;
        }
        let wf = *w as f64;
        agree += wf
            * counts
                .iter()
                .map(|&c| (c * c.saturating_sub(1)) as f64)
                .sum::<f64>();
        pairs += wf * (n * (n - 1)) as f64;
        n_items += *w;
    }
    Stat::new(ratio(agree, pairs), n_items)
}

/// Fleiss' kappa, generalised to unequal numbers of raters per item (see module doc).
pub fn fleiss_kappa(items: &Items) -> Stat {
    let k = items.iter().map(|(c, _)| c.len()).max().unwrap_or(0);
    let mut totals = vec![0f64; k];
    let (mut p_sum, mut n_items, mut ratings) = (0f64, 0u64, 0f64);
    for (counts, w) in items {
        let n: u64 = counts.iter().sum();
        if n < 2 || *w == 0 {
            continue;
        }
        let wf = *w as f64;
        let agree: u64 = counts.iter().map(|&c| c * c.saturating_sub(1)).sum();
        p_sum += wf * agree as f64 / (n * (n - 1)) as f64;
        n_items += *w;
        ratings += wf * n as f64;
        for (t, &c) in totals.iter_mut().zip(counts) {
            *t += wf * c as f64;
        }
    }
    let used = totals.iter().filter(|&&t| t > 0.0).count();
    let value = if n_items == 0 || used < 2 {
        None
    } else {
        let p_bar = p_sum / n_items as f64;
        let p_e: f64 = totals.iter().map(|t| (t / ratings).powi(2)).sum();
        ratio(p_bar - p_e, 1.0 - p_e)
    };
    Stat::new(value, n_items)
}

/// Krippendorff's alpha for nominal data, from the coincidence matrix; items with fewer
/// than two values are not pairable and are left out (that is how it handles missing
/// values).
pub fn krippendorff_alpha_nominal(items: &Items) -> Stat {
    let k = items.iter().map(|(c, _)| c.len()).max().unwrap_or(0);
    let mut n_c = vec![0f64; k];
    let (mut disagree, mut n_items) = (0f64, 0u64);
    for (counts, w) in items {
        let m: u64 = counts.iter().sum();
        if m < 2 || *w == 0 {
            continue;
        }
        let wf = *w as f64;
        let same: u64 = counts.iter().map(|&c| c * c).sum();
        // Σ_{c≠k} o_ck contributed by this unit: (m² - Σ_c n_uc²) / (m - 1).
        disagree += wf * (m * m - same) as f64 / (m - 1) as f64;
        n_items += *w;
        for (t, &c) in n_c.iter_mut().zip(counts) {
            *t += wf * c as f64;
        }
    }
    let n: f64 = n_c.iter().sum();
    let expected = n * n - n_c.iter().map(|c| c * c).sum::<f64>();
    let value = if n_items == 0 || expected <= 0.0 {
        None
    } else {
        ratio((n - 1.0) * disagree, expected).map(|r| 1.0 - r)
    };
    Stat::new(value, n_items)
}

/// Gwet's AC1 for nominal data with `q >= 2` categories and any number of raters per
/// item (Gwet 2008; as `irrCAC`'s `CAC.gwet()` computes it with identity weights):
/// `p_a` = mean over items with `n_i >= 2` of `Σ_k n_ik(n_ik-1) / (n_i(n_i-1))`,
/// `π_k` = mean over items with `n_i >= 1` of `n_ik / n_i`,
/// `p_e = Σ_k π_k(1-π_k) / (q-1)`, `AC1 = (p_a - p_e)/(1 - p_e)`. `q` is the number of
/// categories of the design (2 for yes/no), not only those used: with every rating in
/// one category AC1 is 1, where kappa and alpha are undefined. Undefined with no item
/// rated twice, or `q < 2`.
pub fn gwet_ac1(items: &Items, q: usize) -> Stat {
    let k = items.iter().map(|(c, _)| c.len()).max().unwrap_or(0);
    let mut pi = vec![0f64; k];
    let (mut p_sum, mut n2, mut n1) = (0f64, 0u64, 0u64);
    for (counts, w) in items {
        let n: u64 = counts.iter().sum();
        if n == 0 || *w == 0 {
            continue;
        }
        let wf = *w as f64;
        n1 += *w;
        for (p, &c) in pi.iter_mut().zip(counts) {
            *p += wf * c as f64 / n as f64;
        }
        if n >= 2 {
            let agree: u64 = counts.iter().map(|&c| c * c.saturating_sub(1)).sum();
            p_sum += wf * agree as f64 / (n * (n - 1)) as f64;
            n2 += *w;
        }
    }
    let value = if n2 == 0 || q < 2 {
        None
    } else {
        let p_a = p_sum / n2 as f64;
        let p_e = pi
            .iter()
            .map(|p| {
                let p = p / n1 as f64;
                p * (1.0 - p)
            })
            .sum::<f64>()
            / (q - 1) as f64;
        ratio(p_a - p_e, 1.0 - p_e)
    };
    Stat::new(value, n2)
}

/// The figures of one annotator pair on a yes/no 2x2 table (`yy` both yes, `yn` first
/// yes and second no, `ny` the reverse, `nn` both no): observed agreement, Cohen's
/// kappa, Gwet's AC1 and PABAK, each `None` when undefined (no items; kappa also when
/// both raters used one and the same category).
///
/// `p_o = (yy + nn)/n`; kappa's `p_e = (y_a y_b + n_a n_b)/n²` from the margins;
/// AC1's `p_e = 2π(1-π)` with `π = (y_a + y_b)/(2n)` (Gwet 2008, q = 2); PABAK
/// `= 2 p_o - 1` (Byrt, Bishop & Carlin 1993).
pub fn pair_figures(yy: u64, yn: u64, ny: u64, nn: u64) -> PairFigures {
    let n = yy + yn + ny + nn;
    if n == 0 {
        return PairFigures {
            observed_agreement: None,
            kappa: None,
            ac1: None,
            pabak: None,
        };
    }
    // Cohen's kappa as `cohen_kappa` computes it on [[nn, ny], [yn, yy]], without
    // allocating (the bootstrap calls this for every pair of every replicate).
    let nf = n as f64;
    let p_o = (yy + nn) as f64 / nf;
    let (a_yes, b_yes) = (yy + yn, yy + ny);
    let chance =
        u128::from(n - a_yes) * u128::from(n - b_yes) + u128::from(a_yes) * u128::from(b_yes);
    let kappa = if chance == u128::from(n) * u128::from(n) {
        None
    } else {
        let p_e = chance as f64 / (nf * nf);
        ratio(p_o - p_e, 1.0 - p_e)
    };
    let pi = (a_yes + b_yes) as f64 / (2 * n) as f64;
    let p_e = 2.0 * pi * (1.0 - pi);
    PairFigures {
        observed_agreement: Some(p_o),
        kappa,
        ac1: ratio(p_o - p_e, 1.0 - p_e),
        pabak: Some(2.0 * p_o - 1.0),
    }
}

/// The result of [`pair_figures`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairFigures {
    /// Observed agreement `p_o`.
    pub observed_agreement: Option<f64>,
    /// Cohen's kappa.
    pub kappa: Option<f64>,
    /// Gwet's AC1.
    pub ac1: Option<f64>,
    /// PABAK.
    pub pabak: Option<f64>,
}

/// Cohen's kappa from a square confusion table (`table[i][j]`: rater A said `i`,
/// rater B said `j`). Returns `(p_o, kappa)` with the number of items; kappa is
/// undefined when the chance agreement is 1 (both raters used one and the same
/// category) or the table is empty.
pub fn cohen_kappa(table: &[Vec<u64>]) -> (Option<f64>, Stat) {
    let k = table.len();
    let n: u64 = table.iter().flatten().sum();
    if n == 0 {
        return (None, Stat::new(None, 0));
    }
    let nf = n as f64;
    let diag: u64 = (0..k).map(|i| table[i].get(i).copied().unwrap_or(0)).sum();
    let rows: Vec<u64> = table.iter().map(|r| r.iter().sum()).collect();
    let cols: Vec<u64> = (0..k)
        .map(|j| table.iter().map(|r| r.get(j).copied().unwrap_or(0)).sum())
        .collect();
    let chance: u128 = rows
        .iter()
        .zip(&cols)
        .map(|(&r, &c)| u128::from(r) * u128::from(c))
        .sum();
    let p_o = diag as f64 / nf;
    let kappa = if chance == u128::from(n) * u128::from(n) {
        None
    } else {
        let p_e = chance as f64 / (nf * nf);
        ratio(p_o - p_e, 1.0 - p_e)
    };
    (Some(p_o), Stat::new(kappa, n))
}

/// The 2x2 table of one annotator pair (a < b) on one label: both yes, a yes / b no,
/// a no / b yes; both-no is the rest of the items both saw.
#[derive(Debug, Clone, Copy, Default)]
struct Pair2x2 {
    yy: u64,
    yn: u64,
    ny: u64,
}

fn pair_kappa(a: &str, b: &str, both: u64, t: Pair2x2) -> PairKappa {
    let f = pair_figures(t.yy, t.yn, t.ny, both - t.yy - t.yn - t.ny);
    PairKappa {
        a: a.to_string(),
        b: b.to_string(),
        items: both,
        observed_agreement: f.observed_agreement,
        kappa: f.kappa,
        ac1: f.ac1,
        pabak: f.pabak,
        ci: None,
    }
}

fn figures(hist: &BTreeMap<(u32, u32), u64>, cohen: Vec<PairKappa>) -> Agreement {
    let items: Vec<(Vec<u64>, u64)> = hist
        .iter()
        .filter(|(_, w)| **w > 0)
        .map(|(&(n, y), &w)| (vec![u64::from(n - y), u64::from(y)], w))
        .collect();
    Agreement {
        items: items.iter().map(|(_, w)| w).sum(),
        percent_agreement: percent_agreement(&items),
        fleiss_kappa: fleiss_kappa(&items),
        krippendorff_alpha: krippendorff_alpha_nominal(&items),
        gwet_ac1: gwet_ac1(&items, 2),
        cohen,
    }
}

/// Computes the agreement report of the voting annotators of a merge (the adjudicator
/// takes no part). Cost: O(sentences × annotators²) plus O(yes votes × annotators) for the
/// pairwise rows, which are left out when there would be more than [`MAX_PAIR_ROWS`] of
/// them (see [`AgreementReport::pairwise_omitted`]); O(sentences × labels) for the rest.
///
/// Items and categories:
/// * **Per label** every sentence seen by an annotator is an item with categories
///   yes/no (an annotator who saw the sentence and did not give the label says "no";
///   one who did not see it gives no value).
/// * **Overall** pools every (sentence, label) item of the labels that at least one
///   voting annotator used (schema labels nobody used would only add trivial all-"no"
///   items). Pooled figures are dominated by the many "no" items: read them together
///   with the per-label figures.
///
/// Formulas (`n_ij` = raters putting item `i` in category `j`, `n_i` = raters of `i`):
/// * percent agreement (pairwise, pooled): agreeing rater pairs / all rater pairs over
///   items with `n_i >= 2`, i.e. `Σ_i Σ_j n_ij(n_ij-1) / Σ_i n_i(n_i-1)`.
/// * Fleiss' kappa, generalised to unequal rater counts: `P_i = Σ_j n_ij(n_ij-1) /
///   (n_i(n_i-1))`, `P̄` = mean of `P_i` over items with `n_i >= 2`, `p_j = Σ_i n_ij /
///   Σ_i n_i`, `P_e = Σ_j p_j²` (sums over those items), `κ = (P̄-P_e)/(1-P_e)`. With equal `n_i` this is exactly
///   Fleiss (1971); with unequal counts every item with >= 2 raters is kept (no
///   restriction to the modal count).
/// * Krippendorff's alpha (nominal) via the coincidence matrix over pairable items
///   (`m_u >= 2` values): `α = 1 - (n-1) Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k`.
/// * Cohen's kappa per annotator pair on the items both saw:
///   `κ = (p_o - p_e)/(1 - p_e)`.
///
/// Every figure is `Option<f64>`: `None` when undefined (no items, a single category
/// so the chance agreement is 1, fewer than two annotators) — never NaN.
pub fn agreement(merged: &Merged) -> AgreementReport {
    agreement_of(&merged.votes)
}

/// [`agreement`] of a vote table.
pub(super) fn agreement_of(t: &VoteTable) -> AgreementReport {
    let na = t.annotators.len();
    let nl = t.labels.len();
    // Items of a label with no yes vote: every seen sentence, all "no".
    let mut base: BTreeMap<(u32, u32), u64> = BTreeMap::new();
    for &n in &t.seen {
        if n > 0 {
            *base.entry((n, 0)).or_insert(0) += 1;
        }
    }
    let n_pairs = (na as u64) * (na as u64).saturating_sub(1) / 2;
    let pair_rows = n_pairs * (nl as u64 + 1);
    let with_pairs = pair_rows <= MAX_PAIR_ROWS;
    let pairwise_omitted = (!with_pairs).then_some(PairwiseOmitted {
        annotators: na as u64,
        pairs: n_pairs,
        rows: pair_rows,
        limit: MAX_PAIR_ROWS,
    });
    let pairs: Vec<(usize, usize)> = if with_pairs {
        (0..na)
            .flat_map(|a| (a + 1..na).map(move |b| (a, b)))
            .collect()
    } else {
        Vec::new()
    };
    let pair_index = |a: usize, b: usize| -> usize {
        // Index of (a, b), a < b, in `pairs`.
        a * na - a * (a + 1) / 2 + (b - a - 1)
    };
    let both: Vec<u64> = pairs
        .iter()
        .map(|&(a, b)| {
            t.coverage[a]
                .iter()
                .zip(&t.coverage[b])
                .map(|(x, y)| u64::from((x & y).count_ones()))
                .sum()
        })
        .collect();
    let mut hists: Vec<BTreeMap<(u32, u32), u64>> = vec![base.clone(); nl];
    let mut tables = vec![vec![Pair2x2::default(); pairs.len()]; nl];
    for g in &t.groups {
        let n = t.seen[g.sentence as usize];
        let hist = &mut hists[g.label as usize];
        *hist.entry((n, g.len)).or_insert(0) += 1;
        if let Some(c) = hist.get_mut(&(n, 0)) {
            *c -= 1;
        }
        if !with_pairs {
            continue;
        }
        let yes = &t.voters[g.start as usize..(g.start + g.len) as usize];
        let table = &mut tables[g.label as usize];
        for &a in yes {
            let a = a as usize;
            for b in 0..na {
                if b == a || !t.saw(b, g.sentence) {
                    continue;
                }
                let b_yes = yes.contains(&(b as u32));
                match (a < b, b_yes) {
                    (true, true) => table[pair_index(a, b)].yy += 1,
                    (false, true) => {}
                    (true, false) => table[pair_index(a, b)].yn += 1,
                    (false, false) => table[pair_index(b, a)].ny += 1,
                }
            }
        }
    }
    let mut pooled_hist: BTreeMap<(u32, u32), u64> = BTreeMap::new();
    let mut pooled_tables = vec![Pair2x2::default(); pairs.len()];
    let mut pooled_both = vec![0u64; pairs.len()];
    let mut labels = Vec::with_capacity(nl);
    for (l, name) in t.labels.iter().enumerate() {
        if t.label_used[l] {
            for (k, v) in &hists[l] {
                *pooled_hist.entry(*k).or_insert(0) += v;
            }
            for (p, x) in tables[l].iter().enumerate() {
                pooled_tables[p].yy += x.yy;
                pooled_tables[p].yn += x.yn;
                pooled_tables[p].ny += x.ny;
                pooled_both[p] += both[p];
            }
        }
        let cohen = pairs
            .iter()
            .enumerate()
            .map(|(p, &(a, b))| {
                pair_kappa(&t.annotators[a], &t.annotators[b], both[p], tables[l][p])
            })
            .collect();
        labels.push(LabelAgreement {
            label: name.clone(),
            agreement: figures(&hists[l], cohen),
        });
    }
    let cohen = pairs
        .iter()
        .enumerate()
        .map(|(p, &(a, b))| {
            pair_kappa(
                &t.annotators[a],
                &t.annotators[b],
                pooled_both[p],
                pooled_tables[p],
            )
        })
        .collect();
    AgreementReport {
        annotators: t.annotators.clone(),
        overall: figures(&pooled_hist, cohen),
        labels,
        pairwise_omitted,
        span_f1: None,
        bootstrap: None,
    }
}

fn fmt_value(v: Option<f64>) -> String {
    v.map_or_else(|| "undefined".to_string(), |v| format!("{v:.3}"))
}

/// A figure, with its interval when the report has a bootstrap (`0.618 [0.552, 0.676]`,
/// `[undefined]` when no replicate defined it).
fn fmt_with_ci(v: Option<f64>, ci: Option<Ci>, bootstrap: bool) -> String {
    let value = fmt_value(v);
    if !bootstrap {
        return value;
    }
    match ci {
        Some(c) => format!("{value} [{:.3}, {:.3}]", c.lo, c.hi),
        None => format!("{value} [undefined]"),
    }
}

fn push_table(out: &mut String, rows: &[Vec<String>], right_from: usize) {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .map(|r| r.get(c).map_or(0, |s| s.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            if c > 0 {
                line.push_str("  ");
            }
            let pad = widths[c] - cell.chars().count();
            if c >= right_from {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

/// The report as the JSON document `labels merge --report FILE.json` writes (pretty,
/// ending with a newline).
pub fn render_json(report: &AgreementReport) -> String {
    serde_json::to_string_pretty(report).expect("an agreement report serialises") + "\n"
}

/// Renders the report as aligned text tables: one row per label (and `overall`) with
/// the items seen, the items with >= 2 raters the figures rest on, percent agreement,
/// Fleiss' kappa, Krippendorff's alpha and Gwet's AC1; then per annotator pair and label
/// the observed agreement, Cohen's kappa, AC1 and PABAK. Undefined figures print as
/// `undefined`. With bootstrap intervals each figure is followed by `[lo, hi]`, after a
/// line saying how they were made.
pub fn render_table(report: &AgreementReport) -> String {
    let mut out = String::new();
    let mut rows = vec![vec![
        "label".to_string(),
        "items".to_string(),
        "items>=2".to_string(),
        "percent".to_string(),
        "fleiss_kappa".to_string(),
        "kripp_alpha".to_string(),
        "gwet_ac1".to_string(),
    ]];
    let boot = report.bootstrap.is_some();
    let stat = |s: &Stat| fmt_with_ci(s.value, s.ci, boot);
    let row = |label: &str, a: &Agreement| {
        vec![
            label.to_string(),
            a.items.to_string(),
            a.fleiss_kappa.items.to_string(),
            stat(&a.percent_agreement),
            stat(&a.fleiss_kappa),
            stat(&a.krippendorff_alpha),
            stat(&a.gwet_ac1),
        ]
    };
    rows.push(row("overall", &report.overall));
    for l in &report.labels {
        rows.push(row(&l.label, &l.agreement));
    }
    if let Some(b) = &report.bootstrap {
        let _ = writeln!(
            out,
            "95% bootstrap intervals [2.5th, 97.5th percentile]: {} resamples of the {} {}s with replacement, seed {}",
            b.replicates, b.units, b.unit, b.seed
        );
    }
    push_table(&mut out, &rows, 1);
    if report
        .bootstrap
        .as_ref()
        .is_some_and(|b| b.pairwise_omitted)
    {
        let _ = writeln!(
            out,
            "\nNo bootstrap intervals for the annotator pairs: more than {} pair rows (pairs x (labels + 1)); merge a subset of the annotators to get theirs",
            super::agreement_ci::MAX_BOOTSTRAP_PAIR_ROWS
        );
    }
    if let Some(o) = &report.pairwise_omitted {
        let _ = writeln!(
            out,
            "\nCohen's kappa per annotator pair left out: {} annotators, {} pairs, {} rows \
             (pairs x (labels + 1)), more than the limit of {} rows; merge a subset of the \
             annotators to get theirs",
            o.annotators, o.pairs, o.rows, o.limit
        );
    }
    if !report.overall.cohen.is_empty() {
        out.push('\n');
        let mut rows = vec![vec![
            "label".to_string(),
            "annotator_a".to_string(),
            "annotator_b".to_string(),
            "items".to_string(),
            "observed".to_string(),
            "cohen_kappa".to_string(),
            "ac1".to_string(),
            "pabak".to_string(),
        ]];
        let all = std::iter::once(("overall", &report.overall)).chain(
            report
                .labels
                .iter()
                .map(|l| (l.label.as_str(), &l.agreement)),
        );
        for (label, a) in all {
            for p in &a.cohen {
                rows.push(vec![
                    label.to_string(),
                    p.a.clone(),
                    p.b.clone(),
                    p.items.to_string(),
                    fmt_with_ci(
                        p.observed_agreement,
                        p.ci.and_then(|c| c.observed_agreement),
                        boot,
                    ),
                    fmt_with_ci(p.kappa, p.ci.and_then(|c| c.kappa), boot),
                    fmt_with_ci(p.ac1, p.ci.and_then(|c| c.ac1), boot),
                    fmt_with_ci(p.pabak, p.ci.and_then(|c| c.pabak), boot),
                ]);
            }
        }
        push_table(&mut out, &rows, 3);
    }
    if let Some(pairs) = report.span_f1.as_ref().filter(|p| !p.is_empty()) {
        let _ = writeln!(
            out,
            "\nSpan F1 between annotators, on the articles both covered (exact: same start, end and label; overlap: same label, one shared character, one-to-one):"
        );
        let mut rows = vec![
            [
                "label",
                "annotator_a",
                "annotator_b",
                "articles",
                "spans_a",
                "spans_b",
                "exact_f1",
                "overlap_f1",
            ]
            .map(String::from)
            .to_vec(),
        ];
        for p in pairs {
            for l in &p.labels {
                rows.push(vec![
                    l.label.clone(),
                    p.a.clone(),
                    p.b.clone(),
                    p.articles.to_string(),
                    l.spans_a.to_string(),
                    l.spans_b.to_string(),
                    fmt_value(l.exact_f1),
                    fmt_value(l.overlap_f1),
                ]);
            }
        }
        push_table(&mut out, &rows, 3);
    }
    out
}
