//! Precision, recall and F1 from counts, and their averages.
//!
//! Conventions (they match scikit-learn's `precision_recall_fscore_support` with its default
//! `zero_division="warn"`, which behaves as `zero_division=0`, except where stated):
//!
//! * A ratio whose denominator is 0 is *undefined* and is `None` (rendered `-` / `null`).
//! * F1 is `2·tp / (2·tp + fp + fn)`, as scikit-learn ≥ 1.3 computes it. It is therefore
//!   `0` (not undefined) when precision and recall are both 0, and also `0` when only one of
//!   them is undefined (e.g. a label that was never predicted but has gold support: recall 0,
//!   precision undefined, F1 0). It is undefined only when `tp + fp + fn = 0`.
//! * Macro and weighted averages count an undefined per-label value as `0`, like
//!   scikit-learn's `zero_division=0`. Macro is undefined only when there are no labels;
//!   weighted is undefined when the total support is 0 (scikit-learn returns 0 there).
//! * Micro averages are ratios of pooled counts and are undefined when their own
//!   denominator is 0 (scikit-learn would return 0 there).

/// Sentence-level outcome counts for one label (or pooled over labels).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// True positives: pairs in both gold and predictions.
    pub tp: u64,
    /// False positives: predicted pairs not in gold.
    pub fp: u64,
    /// False negatives: gold pairs not predicted.
    pub fn_: u64,
}

impl Counts {
    /// Gold pairs (`tp + fn`).
    pub fn support(&self) -> u64 {
        self.tp + self.fn_
    }

    /// Predicted pairs (`tp + fp`).
    pub fn predicted(&self) -> u64 {
        self.tp + self.fp
    }

    /// Adds another count, field by field.
    pub fn add(&mut self, other: &Counts) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }

    /// Precision, recall and F1 of these counts (see the module docs for undefined values).
    pub fn prf(&self) -> Prf {
        let (tp, fp, fn_) = (self.tp as f64, self.fp as f64, self.fn_ as f64);
        Prf {
            precision: ratio(tp, tp + fp),
            recall: ratio(tp, tp + fn_),
            f1: ratio(2.0 * tp, 2.0 * tp + fp + fn_),
        }
    }
}

/// Precision, recall and F1; `None` where undefined (0/0).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Prf {
    /// Precision.
    pub precision: Option<f64>,
    /// Recall.
    pub recall: Option<f64>,
    /// F1 score.
    pub f1: Option<f64>,
}

impl Prf {
    /// Builds P/R/F1 from precision and recall ratios whose numerators are real-valued
    /// (as in span scoring). F1 is the harmonic mean; it is 0 when `P + R = 0` and when one of
    /// them is undefined and the other is 0, undefined when both are undefined.
    pub fn from_ratios(precision: Option<f64>, recall: Option<f64>) -> Prf {
        let f1 = match (precision, recall) {
            (Some(p), Some(r)) => Some(if p + r == 0.0 {
                0.0
            } else {
                2.0 * p * r / (p + r)
            }),
            (None, None) => None,
            (Some(x), None) | (None, Some(x)) => Some(if x == 0.0 { 0.0 } else { x }),
        };
        Prf {
            precision,
            recall,
            f1,
        }
    }
}

/// `num / den`, or `None` when `den` is 0.
pub fn ratio(num: f64, den: f64) -> Option<f64> {
    if den == 0.0 { None } else { Some(num / den) }
}

/// Unweighted mean of per-label values, an undefined value counting as 0
/// (scikit-learn's `average="macro"` with `zero_division=0`). `None` when `rows` is empty.
pub fn macro_average(rows: &[Prf]) -> Prf {
    weighted_mean(rows.iter().map(|p| (*p, 1.0)))
}

/// Support-weighted mean of per-label values, an undefined value counting as 0
/// (scikit-learn's `average="weighted"` with `zero_division=0`). `None` when the total
/// weight is 0 (scikit-learn returns 0 there).
pub fn weighted_average(rows: &[(Prf, u64)]) -> Prf {
    weighted_mean(rows.iter().map(|(p, w)| (*p, *w as f64)))
}

fn weighted_mean(rows: impl Iterator<Item = (Prf, f64)>) -> Prf {
    let (mut p, mut r, mut f, mut w) = (0.0, 0.0, 0.0, 0.0);
    for (m, weight) in rows {
        p += m.precision.unwrap_or(0.0) * weight;
        r += m.recall.unwrap_or(0.0) * weight;
        f += m.f1.unwrap_or(0.0) * weight;
        w += weight;
    }
    Prf {
        precision: ratio(p, w),
        recall: ratio(r, w),
        f1: ratio(f, w),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f1_is_zero_when_precision_and_recall_are_zero() {
        let c = Counts {
            tp: 0,
            fp: 2,
            fn_: 3,
        };
        assert_eq!(
            c.prf(),
            Prf {
                precision: Some(0.0),
                recall: Some(0.0),
                f1: Some(0.0)
            }
        );
    }

    #[test]
    fn never_predicted_label_has_undefined_precision_and_zero_f1() {
        let c = Counts {
            tp: 0,
            fp: 0,
            fn_: 4,
        };
        let m = c.prf();
        assert_eq!(m.precision, None);
        assert_eq!(m.recall, Some(0.0));
        assert_eq!(m.f1, Some(0.0));
        assert_eq!(Counts::default().prf(), Prf::default());
    }

    #[test]
    fn averages_count_undefined_as_zero() {
        let a = Prf {
            precision: Some(1.0),
            recall: Some(0.5),
            f1: Some(2.0 / 3.0),
        };
        let b = Prf {
            precision: None,
            recall: Some(0.0),
            f1: Some(0.0),
        };
        let m = macro_average(&[a, b]);
        assert_eq!(m.precision, Some(0.5));
        assert_eq!(m.recall, Some(0.25));
        let w = weighted_average(&[(a, 2), (b, 6)]);
        assert_eq!(w.precision, Some(0.25));
        assert_eq!(w.recall, Some(0.125));
        assert_eq!(macro_average(&[]), Prf::default());
        assert_eq!(weighted_average(&[(a, 0)]), Prf::default());
    }

    #[test]
    fn harmonic_mean_from_ratios() {
        let m = Prf::from_ratios(Some(0.5), Some(1.0));
        assert!((m.f1.unwrap() - 2.0 / 3.0).abs() < 1e-15);
        assert_eq!(Prf::from_ratios(None, Some(0.0)).f1, Some(0.0));
        assert_eq!(Prf::from_ratios(None, None).f1, None);
    }
}
