//! Per-article scores at sentence level (`eval --by article`).

use serde::Serialize;

use super::metrics::Counts;
use super::render::{Format, render_numeric_rows};
use super::sentence::{Outcome, SentenceEval, for_each_outcome, unkey};
use super::universe::Universe;

/// The scores of one article: its (sentence, label) pairs pooled over labels.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleRow {
    /// Article id.
    pub article_id: String,
    /// Sentences of the article in the sentence table.
    pub sentences: u64,
    /// (sentence, label) pairs in gold and predictions.
    pub tp: u64,
    /// Predicted pairs not in gold.
    pub fp: u64,
    /// Gold pairs not predicted.
    #[serde(rename = "fn")]
    pub fn_: u64,
    /// Gold pairs (`tp + fn`).
    pub support: u64,
    /// `tp / (tp + fp)`; `None` when nothing is predicted in the article.
    pub precision: Option<f64>,
    /// `tp / (tp + fn)`; `None` when the article has no gold pair.
    pub recall: Option<f64>,
    /// `2tp / (2tp + fp + fn)`; `None` when the article has neither.
    pub f1: Option<f64>,
}

/// One row per article of the sentence table, in table order: the pairs of its sentences
/// counted as in the micro row (so the rows add up to the micro row's tp, fp and fn).
pub fn by_article(eval: &SentenceEval, universe: &Universe) -> Vec<ArticleRow> {
    let of = universe.article_indices();
    let mut counts = vec![Counts::default(); universe.articles().len()];
    let mut sentences = vec![0u64; counts.len()];
    for &a in of {
        sentences[a as usize] += 1;
    }
    for_each_outcome(&eval.counts.gold, &eval.counts.pred, |k, o| {
        let c = &mut counts[of[unkey(k).0 as usize] as usize];
        match o {
            Outcome::Tp => c.tp += 1,
            Outcome::Fp => c.fp += 1,
            Outcome::Fn => c.fn_ += 1,
        }
    });
    universe
        .articles()
        .iter()
        .zip(counts)
        .zip(sentences)
        .map(|((id, c), n)| {
            let m = c.prf();
            ArticleRow {
                article_id: id.clone(),
                sentences: n,
                tp: c.tp,
                fp: c.fp,
                fn_: c.fn_,
                support: c.support(),
                precision: m.precision,
                recall: m.recall,
                f1: m.f1,
            }
        })
        .collect()
}

/// Renders the article rows: table and markdown round to 3 decimals with `-` for
/// undefined values, CSV keeps full precision (undefined empty), JSON is an array of
/// objects (undefined `null`).
pub fn render_articles(rows: &[ArticleRow], format: Format) -> String {
    let header = [
        "article_id",
        "sentences",
        "tp",
        "fp",
        "fn",
        "support",
        "precision",
        "recall",
        "f1",
    ];
    let cells = |r: &ArticleRow, num: &dyn Fn(Option<f64>) -> String| {
        vec![
            r.article_id.clone(),
            r.sentences.to_string(),
            r.tp.to_string(),
            r.fp.to_string(),
            r.fn_.to_string(),
            r.support.to_string(),
            num(r.precision),
            num(r.recall),
            num(r.f1),
        ]
    };
    render_numeric_rows(rows, &header, 1, cells, format)
}
