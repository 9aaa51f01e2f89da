//! The page of an evaluation from its inputs in memory: the sentence rows, gold pairs and
//! prediction rows are checked, scored (as `eval` scores them) and laid out by
//! [`super::page`]. Shared by `sentlab report` and `sentlab run`/`demo`; no file access.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Result, anyhow, bail};

use super::{Compared, GoldPart, PageData, Provenance, UnseenLabels, page};
use crate::eval::compare::{CompareMeta, CompareOptions, Paired, compare};
use crate::eval::{self, BootstrapOptions, Report, SentenceOptions, Universe};
use crate::labels::AgreementReport;
use crate::rows::{PredictionRow, SentenceRow, SpanLabel};

/// A prediction table: its name (for messages) and rows.
pub struct Predictions<'a> {
    /// The name of the table in messages (its path).
    pub name: &'a str,
    /// Its rows.
    pub rows: &'a [PredictionRow],
}

/// Everything a page is made from.
pub struct Inputs<'a> {
    /// The sentence rows.
    pub sentences: &'a [SentenceRow],
    /// The name of the sentence table in messages.
    pub sentences_name: &'a str,
    /// Gold (sentence id, label) pairs.
    pub gold: &'a [(String, String)],
    /// The name of the gold table in messages.
    pub gold_name: &'a str,
    /// The predictions.
    pub pred: Predictions<'a>,
    /// A second prediction set (B), for the compare view.
    pub pred_b: Option<Predictions<'a>>,
    /// Permutations of the paired randomisation test of the compare view.
    pub permutations: usize,
    /// The agreement report of the annotators, for the agreement view.
    pub agreement: Option<&'a AgreementReport>,
    /// Bootstrap resamples of articles.
    pub bootstrap: usize,
    /// Bootstrap seed.
    pub seed: u64,
    /// At most this many articles in the error browser.
    pub max_articles: usize,
    /// Where the page comes from.
    pub provenance: &'a Provenance,
}

/// A page and what was found on the way.
pub struct Built {
    /// The HTML text.
    pub html: String,
    /// The per-label report of the page (with intervals).
    pub report: Report,
    /// Warnings for stderr (nothing was refused).
    pub warnings: Vec<String>,
}

/// The rows of `pred` whose label is not among `gold_labels`, if any.
pub fn unseen_labels(pred: &Predictions<'_>, gold_labels: &BTreeSet<&str>) -> Option<UnseenLabels> {
    let mut labels = BTreeSet::new();
    let mut rows = 0;
    for r in pred.rows {
        if !gold_labels.contains(r.label.as_str()) {
            rows += 1;
            labels.insert(r.label.clone());
        }
    }
    (rows > 0).then(|| UnseenLabels {
        table: pred.name.to_owned(),
        rows,
        labels: labels.into_iter().collect(),
    })
}

/// Checks every prediction row names a sentence of the table and lies inside it, and
/// returns each with its sentence index. (No rows is fine here: a run whose rules fire
/// nowhere has a page; `sentlab report` refuses an empty table itself.)
fn place<'a>(
    pred: &Predictions<'a>,
    sentences: &[SentenceRow],
    sentences_name: &str,
    universe: &Universe,
) -> Result<Vec<(usize, &'a PredictionRow)>> {
    let pred_name = pred.name;
    let mut placed = Vec::with_capacity(pred.rows.len());
    for (i, p) in pred.rows.iter().enumerate() {
        let Some(s) = universe.get(&p.sentence_id) else {
            bail!(
                "{pred_name}: data row {}: sentence `{}` is not in the sentence table {sentences_name}: expected the sentence table the predictions were made from",
                i + 1,
                p.sentence_id
            );
        };
        let row = &sentences[s as usize];
        if p.start > p.end || p.start < row.start || p.end > row.end {
            bail!(
                "{pred_name}: data row {}: span {}-{} is not inside sentence `{}` ({}-{}): expected start <= end within the sentence",
                i + 1,
                p.start,
                p.end,
                p.sentence_id,
                row.start,
                row.end
            );
        }
        placed.push((s as usize, p));
    }
    Ok(placed)
}

/// Checks the inputs, scores them and lays out the page. Errors name the table and data
/// row; nothing is written here.
pub fn build(inp: &Inputs<'_>) -> Result<Built> {
    build_with_gold_spans(inp, &[])
}

/// The parts of the gold spans in each sentence they overlap (by at least one code point,
/// as spans are projected onto sentences), in code points of the sentence text. The spans
/// are those the importer kept, so each names an article of the table.
fn gold_parts(sentences: &[SentenceRow], spans: &[SpanLabel]) -> Vec<GoldPart> {
    let mut by_article: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, s) in sentences.iter().enumerate() {
        by_article.entry(s.article_id.as_str()).or_default().push(i);
    }
    let mut parts = Vec::new();
    for span in spans {
        // A span line may name the article with an `article` prefix the sentence table's
        // id has not (PTC's `article111` for `111`): the importer accepts both.
        let id = span.article_id.as_str();
        let sentences_of = by_article.get(id).or_else(|| {
            id.strip_prefix("article")
                .and_then(|rest| by_article.get(rest))
        });
        for &i in sentences_of.into_iter().flatten() {
            let s = &sentences[i];
            let (a, b) = (span.start.max(s.start), span.end.min(s.end));
            if a < b {
                parts.push(GoldPart {
                    sentence: i,
                    start: a - s.start,
                    end: b - s.start,
                    label: span.label.clone(),
                });
            }
        }
    }
    parts
}

/// [`build`], with the gold spans `gold` was projected from (PTC span files): the error
/// browser highlights them in the text.
pub fn build_with_gold_spans(inp: &Inputs<'_>, gold_spans: &[SpanLabel]) -> Result<Built> {
    let sentences = inp.sentences;
    let universe =
        Universe::from_sentences(sentences).map_err(|e| anyhow!("{}: {e}", inp.sentences_name))?;
    let placed = place(&inp.pred, sentences, inp.sentences_name, &universe)?;
    let mut warnings = Vec::new();
    // A predicted label no gold row has is scored (a false positive wherever predicted),
    // as `eval` scores it without a schema: a warning, not an error.
    let gold_labels: BTreeSet<&str> = inp.gold.iter().map(|(_, l)| l.as_str()).collect();
    let mut unseen: Vec<UnseenLabels> =
        unseen_labels(&inp.pred, &gold_labels).into_iter().collect();
    let mut comparison = None;
    if let Some(b) = &inp.pred_b {
        place(b, sentences, inp.sentences_name, &universe)?;
        unseen.extend(unseen_labels(b, &gold_labels));
        comparison = Some(compare_sets(inp, &universe, b)?);
    }
    warnings.extend(unseen.iter().map(UnseenLabels::warning));
    let preds = inp.pred.rows;
    let ev = eval::evaluate_pairs(
        &universe,
        inp.gold.iter().map(|(s, l)| (s.as_str(), l.as_str())),
        preds
            .iter()
            .map(|r| (r.sentence_id.as_str(), r.label.as_str())),
        &SentenceOptions::default(),
    )
    .map_err(|e| anyhow!("{e}"))?;
    let d = &ev.diagnostics;
    if d.gold_outside > 0 {
        warnings.push(format!(
            "{}: {} gold rows outside the sentence table (skipped), e.g. {}",
            inp.gold_name,
            d.gold_outside,
            d.outside_examples.join(", ")
        ));
    }
    let mut report = Report::from_sentence(&ev);
    report.attach_bootstrap(&eval::bootstrap(
        &ev,
        &universe,
        &BootstrapOptions {
            n: inp.bootstrap,
            seed: inp.seed,
            threads: rayon::current_num_threads(),
        },
    ));
    report.sort(eval::SortKey::Support);
    let rules = eval::by_rule(&ev, &universe, preds);
    let articles = eval::by_article(&ev, &universe);
    let confusion = eval::confusion(&ev, universe.len());
    let mut json = figures_json(&report, &rules, &articles, &confusion, inp.agreement)?;
    if let Some((_, cmp_json)) = &comparison {
        let mut v: serde_json::Value = serde_json::from_str(&json)?;
        v["compare"] = serde_json::from_str(cmp_json)?;
        json = v.to_string();
    }
    let gold_set: BTreeSet<(usize, String)> = ev
        .counts
        .gold
        .iter()
        .map(|&k| {
            let (s, l) = eval::sentence::unkey(k);
            (s as usize, ev.labels.names()[l as usize].clone())
        })
        .collect();
    let html = page(&PageData {
        unseen: &unseen,
        agreement: inp.agreement,
        compare: comparison.as_ref().map(|(c, _)| c),
        report: &report,
        rules: &rules,
        articles: &articles,
        confusion: &confusion,
        sentences,
        gold: &gold_set,
        gold_parts: &gold_parts(sentences, gold_spans),
        predictions: &placed,
        json: &json,
        max_articles: inp.max_articles,
        provenance: inp.provenance,
    });
    Ok(Built {
        html,
        report,
        warnings,
    })
}

/// The compare view: A and B scored over one label set (every label of gold, A or B, as
/// `compare` does), the paired bootstrap interval and randomisation p-value of each F1
/// difference; with its JSON as `compare --format json` writes it.
fn compare_sets(
    inp: &Inputs<'_>,
    universe: &Universe,
    b: &Predictions<'_>,
) -> Result<(Compared, String)> {
    let eval_with = |rows: &[PredictionRow], labels: Option<Vec<String>>| {
        eval::evaluate_pairs(
            universe,
            inp.gold.iter().map(|(s, l)| (s.as_str(), l.as_str())),
            rows.iter()
                .map(|r| (r.sentence_id.as_str(), r.label.as_str())),
            &SentenceOptions {
                labels,
                strict: false,
            },
        )
        .map_err(|e| anyhow!("{e}"))
    };
    let first = [eval_with(inp.pred.rows, None)?, eval_with(b.rows, None)?];
    let union: BTreeSet<&String> = first.iter().flat_map(|e| e.labels.names()).collect();
    let union: Vec<String> = union.into_iter().cloned().collect();
    let ea = eval_with(inp.pred.rows, Some(union.clone()))?;
    let eb = eval_with(b.rows, Some(union))?;
    let paired = Paired::sentences(&ea, &eb, universe);
    let cmp = compare(
        &paired,
        &|c: &eval::Counts| c.prf(),
        &CompareOptions {
            replicates: inp.bootstrap,
            permutations: inp.permutations,
            seed: inp.seed,
            threads: rayon::current_num_threads(),
        },
    );
    let meta = CompareMeta {
        level: "sentence",
        matching: None,
        a: inp.pred.name.to_owned(),
        b: b.name.to_owned(),
    };
    let json = cmp.render(&meta, eval::Format::Json);
    Ok((
        Compared {
            comparison: cmp,
            a: meta.a,
            b: meta.b,
        },
        json,
    ))
}

/// The figures of the page as JSON: each view as `eval --format json` writes it
/// (`labels`: `--by label` with the intervals, `rules`, `articles`, `confusion`), and the
/// agreement report as `labels merge --report` writes it (`agreement`, when given).
fn figures_json(
    report: &Report,
    rules: &[eval::RuleRow],
    articles: &[eval::ArticleRow],
    confusion: &eval::Confusion,
    agreement: Option<&AgreementReport>,
) -> Result<String> {
    let parse = |s: String| serde_json::from_str::<serde_json::Value>(&s);
    let mut v = serde_json::json!({
        "labels": parse(report.render(eval::Format::Json))?,
        "rules": parse(eval::render_rules(rules, eval::Format::Json))?,
        "articles": parse(eval::render_articles(articles, eval::Format::Json))?,
        "confusion": parse(eval::render_confusion(confusion, eval::Format::Json))?,
    });
    if let Some(a) = agreement {
        v["agreement"] = serde_json::to_value(a)?;
    }
    Ok(v.to_string())
}

/// The command line as typed, arguments with spaces or quotes single-quoted (for the
/// page's provenance).
pub fn command_line() -> String {
    let mut args: Vec<String> = std::env::args().collect();
    if let Some(first) = args.first_mut() {
        *first = "sentlab".to_owned();
    }
    args.iter()
        .map(|a| {
            if a.is_empty() || a.contains(|c: char| c.is_whitespace() || "'\"\\$`".contains(c)) {
                format!("'{}'", a.replace('\'', "'\\''"))
            } else {
                a.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}
