//! Mergeable partial results of a sentence-level evaluation: the sufficient statistics of
//! `eval --partial` (per article and label: tp, fp, fn; and the article's "any" counts),
//! which [`combine`] turns into the report one run over all the articles gives, bootstrap
//! intervals included (the bootstrap draws articles in the order of their ids' bytes, so
//! the same articles give the same draws however they were split between runs).
//!
//! A partial is one JSON object:
//!
//! ```text
//! {"sentlab_partial": 1, "level": "sentence", "labels_option": null,
//!  "labels": ["Doubt", "Loaded_Language"],
//!  "articles": [{"id": "a1", "counts": [[1, 0, 2], [0, 1, 0], [1, 1, 1]]}, ...]}
//! ```
//!
//! `counts` holds one `[tp, fp, fn]` per label of `labels` (in that order), then the
//! article's "any label" counts. Every article of the sentence table has a row (articles
//! without labels are drawn by the bootstrap too), articles in the order of their ids'
//! bytes. `labels_option` is the `--labels` list as given (`null`: every label seen).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::bootstrap::{ArticleCounts, BootstrapOptions, BootstrapResult, bootstrap_counts};
use super::metrics::Counts;
use super::render::Report;
use super::sentence::SentenceEval;
use super::universe::Universe;

/// The version of the partial format this build writes and reads.
pub const PARTIAL_VERSION: u32 = 1;

/// One article's counts: `[tp, fp, fn]` per label, then the "any" counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartialArticle {
    /// The article id.
    pub id: String,
    /// `[tp, fp, fn]` per label, then "any".
    pub counts: Vec<[u64; 3]>,
}

/// The sufficient statistics of one sentence-level evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partial {
    /// The format version ([`PARTIAL_VERSION`]).
    pub sentlab_partial: u32,
    /// `sentence`.
    pub level: String,
    /// The `--labels` list as given, if any.
    pub labels_option: Option<String>,
    /// The labels, in the order of the counts.
    pub labels: Vec<String>,
    /// Every article of the sentence table, in the order of their ids' bytes.
    pub articles: Vec<PartialArticle>,
}

impl Partial {
    /// The partial of an evaluation over `universe`.
    pub fn of_sentence_eval(
        eval: &SentenceEval,
        universe: &Universe,
        labels_option: Option<&str>,
    ) -> Partial {
        let counts = ArticleCounts::new(eval, universe);
        let w = counts.n_labels + 1;
        let mut ids: Vec<&String> = universe.articles().iter().collect();
        ids.sort_unstable_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        let articles = ids
            .into_iter()
            .enumerate()
            .map(|(a, id)| PartialArticle {
                id: id.clone(),
                counts: counts.rows[a * w..(a + 1) * w]
                    .iter()
                    .map(|c| [c.tp, c.fp, c.fn_])
                    .collect(),
            })
            .collect();
        Partial {
            sentlab_partial: PARTIAL_VERSION,
            level: "sentence".to_owned(),
            labels_option: labels_option.map(str::to_owned),
            labels: eval.labels.names().to_vec(),
            articles,
        }
    }

    /// The partial as JSON (one line).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a partial serialises") + "\n"
    }

    /// Reads a partial written by [`Partial::to_json`]; `name` names it in errors.
    pub fn from_json(name: &str, text: &str) -> Result<Partial, String> {
        let version: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| format!("{name}: not a partial result of `eval --partial`: {e}"))?;
        match version.get("sentlab_partial").and_then(|v| v.as_u64()) {
            Some(v) if v == u64::from(PARTIAL_VERSION) => {}
            Some(v) => {
                return Err(format!(
                    "{name}: partial format version {v}: this sentlab reads version {PARTIAL_VERSION} (write the partials again with this version)"
                ));
            }
            None => {
                return Err(format!(
                    "{name}: not a partial result of `eval --partial` (no `sentlab_partial` version)"
                ));
            }
        }
        let p: Partial = serde_json::from_value(version)
            .map_err(|e| format!("{name}: not a partial result of `eval --partial`: {e}"))?;
        if p.level != "sentence" {
            return Err(format!(
                "{name}: level `{}`: expected sentence (partials are written at sentence level)",
                p.level
            ));
        }
        for a in &p.articles {
            if a.counts.len() != p.labels.len() + 1 {
                return Err(format!(
                    "{name}: article `{}`: {} counts: expected {} ({} labels, then any)",
                    a.id,
                    a.counts.len(),
                    p.labels.len() + 1,
                    p.labels.len()
                ));
            }
        }
        Ok(p)
    }
}

/// Several partials combined: the report and, with `bootstrap`, its intervals.
#[derive(Debug, Clone)]
pub struct Combined {
    /// The report, label rows in label order (sort it before rendering).
    pub report: Report,
    /// Articles in all the partials.
    pub articles: usize,
}

/// Combines partials (`(name, partial)`, the names for messages) into the report of one run
/// over all their articles. Refused: partials that differ in level, `--labels` or version,
/// or that share an article (both files and the article named). Labels are the union
/// (sorted by name, as one run orders every label seen) or the `--labels` list.
pub fn combine(
    parts: &[(String, Partial)],
    bootstrap: Option<&BootstrapOptions>,
) -> Result<Combined, String> {
    let Some((first_name, first)) = parts.first() else {
        return Err("no partial to combine".to_owned());
    };
    for (name, p) in &parts[1..] {
        if p.level != first.level {
            return Err(format!(
                "{first_name} and {name} differ in `level` ({} and {}): partials of one evaluation have the same level",
                first.level, p.level
            ));
        }
        if p.labels_option != first.labels_option {
            let show = |o: &Option<String>| o.clone().unwrap_or_else(|| "every label".into());
            return Err(format!(
                "{first_name} and {name} differ in `labels_option` ({} and {}): give both runs the same --labels",
                show(&first.labels_option),
                show(&p.labels_option)
            ));
        }
    }
    // The labels: the `--labels` list (the same in every partial), or the union by name.
    let labels: Vec<String> = if first.labels_option.is_some() {
        for (name, p) in &parts[1..] {
            if p.labels != first.labels {
                return Err(format!(
                    "{first_name} and {name} differ in `labels` with the same --labels: they were written by different versions"
                ));
            }
        }
        first.labels.clone()
    } else {
        let all: BTreeSet<&String> = parts.iter().flat_map(|(_, p)| &p.labels).collect();
        all.into_iter().cloned().collect()
    };
    let index: BTreeMap<&str, usize> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i))
        .collect();
    let n = labels.len();
    let w = n + 1;
    // Articles of all partials, in the order of their ids' bytes (a BTreeMap of strings
    // orders by bytes); an article in two partials is refused.
    let mut rows: BTreeMap<&str, (usize, Vec<Counts>)> = BTreeMap::new();
    for (k, (name, p)) in parts.iter().enumerate() {
        let map: Vec<usize> = p.labels.iter().map(|l| index[l.as_str()]).collect();
        for a in &p.articles {
            let mut row = vec![Counts::default(); w];
            for (i, c) in a.counts.iter().enumerate() {
                let at = if i < map.len() { map[i] } else { n };
                row[at] = Counts {
                    tp: c[0],
                    fp: c[1],
                    fn_: c[2],
                };
            }
            if let Some((other, _)) = rows.insert(&a.id, (k, row)) {
                return Err(format!(
                    "{} and {name} both hold article `{}`: each article must be in one partial only (shards of one corpus)",
                    parts[other].0, a.id
                ));
            }
        }
    }
    let matrix: Vec<Counts> = rows.values().flat_map(|(_, r)| r.iter().copied()).collect();
    let counts = ArticleCounts {
        n_articles: rows.len(),
        n_labels: n,
        rows: matrix,
    };
    let mut per_label = vec![Counts::default(); n];
    let mut any = Counts::default();
    for a in 0..counts.n_articles {
        for (l, c) in per_label.iter_mut().enumerate() {
            c.add(&counts.rows[a * w + l]);
        }
        any.add(&counts.rows[a * w + n]);
    }
    let mut report = Report::from_label_counts(&labels, &per_label, &any);
    if let Some(opts) = bootstrap {
        let cis = bootstrap_counts(&counts, opts);
        report.attach_bootstrap(&BootstrapResult {
            n: opts.n,
            seed: opts.seed,
            labels: labels
                .iter()
                .cloned()
                .zip(cis[..n].iter().copied())
                .collect(),
            micro: cis[n],
            macro_: cis[n + 1],
            weighted: cis[n + 2],
            any: cis[n + 3],
        });
    }
    Ok(Combined {
        report,
        articles: counts.n_articles,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{Format, SentenceOptions, SortKey, bootstrap, evaluate_rows};
    use crate::rows::{LabelRow, PredictionRow};

    /// Forty articles k00..k39 of 1 to 7 sentences; gold A where (3k + i) % 4 == 0, B where
    /// i == 2; predicted A where (k + i) % 3 == 0, B where (k + i) % 5 == 1.
    fn data() -> (Vec<String>, Vec<LabelRow>, Vec<PredictionRow>) {
        let (mut ids, mut gold, mut pred) = (Vec::new(), Vec::new(), Vec::new());
        let label = |id: &str, l: &str| LabelRow {
            sentence_id: id.to_owned(),
            label: l.to_owned(),
        };
        let p = |id: &str, l: &str| PredictionRow {
            sentence_id: id.to_owned(),
            label: l.to_owned(),
            rule_id: "r".into(),
            start: 0,
            end: 1,
            matched: "x".into(),
        };
        for k in 0..40 {
            for i in 0..(k % 7) + 1 {
                let id = format!("k{k:02}:{i}");
                if (k * 3 + i) % 4 == 0 {
                    gold.push(label(&id, "A"));
                }
                if i == 2 {
                    gold.push(label(&id, "B"));
                }
                if (k + i) % 3 == 0 {
                    pred.push(p(&id, "A"));
                }
                if (k + i) % 5 == 1 {
                    pred.push(p(&id, "B"));
                }
                ids.push(id);
            }
        }
        (ids, gold, pred)
    }

    fn partial_of(ids: &[String], gold: &[LabelRow], pred: &[PredictionRow]) -> Partial {
        let u = Universe::from_ids(ids.iter()).unwrap();
        let e = evaluate_rows(&u, gold, pred, &SentenceOptions::default()).unwrap();
        Partial::of_sentence_eval(&e, &u, None)
    }

    #[test]
    fn shards_combine_to_the_report_of_one_run_intervals_included() {
        let (ids, gold, pred) = data();
        let opts = BootstrapOptions {
            n: 500,
            seed: 5,
            threads: 2,
        };
        // One run over everything.
        let u = Universe::from_ids(ids.iter()).unwrap();
        let e = evaluate_rows(&u, &gold, &pred, &SentenceOptions::default()).unwrap();
        let mut one = Report::from_sentence(&e);
        one.attach_bootstrap(&bootstrap(&e, &u, &opts));
        one.sort(SortKey::Support);
        // Three shards by article (k mod 3), in a scrambled order; shard 3 has gold rows but
        // no prediction of label B (its label set differs), each sees every gold row (those
        // of other shards are outside its table and skipped).
        let shard = |r: usize| -> Vec<String> {
            ids.iter()
                .filter(|id| id[1..3].parse::<usize>().unwrap() % 3 == r)
                .cloned()
                .collect()
        };
        let pred_no_b: Vec<PredictionRow> =
            pred.iter().filter(|p| p.label != "B").cloned().collect();
        let parts = vec![
            ("s2.json".to_owned(), partial_of(&shard(2), &gold, &pred)),
            ("s0.json".to_owned(), partial_of(&shard(0), &gold, &pred)),
            ("s1.json".to_owned(), partial_of(&shard(1), &gold, &pred)),
        ];
        // Shard 1 without B predictions: fine, B is still in its gold, so the same label
        // set; a shard whose rows never carry B leaves B out of its labels.
        let only_a_gold: Vec<LabelRow> = gold.iter().filter(|g| g.label == "A").cloned().collect();
        let s1_no_b = partial_of(&shard(1), &only_a_gold, &pred_no_b);
        assert_eq!(s1_no_b.labels, ["A"]);
        // Through JSON and back, as `eval --partial` and `combine` do.
        let parts: Vec<(String, Partial)> = parts
            .into_iter()
            .map(|(n, p)| {
                let back = Partial::from_json(&n, &p.to_json()).unwrap();
                assert_eq!(back, p);
                (n, back)
            })
            .collect();
        let mut combined = combine(&parts, Some(&opts)).unwrap();
        assert_eq!(combined.articles, 40);
        combined.report.sort(SortKey::Support);
        assert_eq!(
            combined.report.render(Format::Json),
            one.render(Format::Json)
        );
        assert_eq!(
            combined.report.render(Format::Table),
            one.render(Format::Table)
        );
        // Without B in one shard's labels, its B counts are zeros: union of labels.
        let mut with_gap = parts.clone();
        with_gap[2].1 = s1_no_b;
        let c = combine(&with_gap, None).unwrap();
        let names: Vec<&str> = c.report.labels.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(names, ["A", "B"]);
    }

    #[test]
    fn partials_that_do_not_belong_together_are_refused() {
        let (ids, gold, pred) = data();
        let p = partial_of(&ids, &gold, &pred);
        let err = combine(
            &[("a.json".into(), p.clone()), ("b.json".into(), p.clone())],
            None,
        )
        .unwrap_err();
        assert_eq!(
            err,
            "a.json and b.json both hold article `k00`: each article must be in one partial only (shards of one corpus)"
        );
        let mut listed = p.clone();
        listed.labels_option = Some("A".into());
        let err = combine(
            &[("a.json".into(), p.clone()), ("b.json".into(), listed)],
            None,
        )
        .unwrap_err();
        assert_eq!(
            err,
            "a.json and b.json differ in `labels_option` (every label and A): give both runs the same --labels"
        );
        let text = p
            .to_json()
            .replace("\"sentlab_partial\":1", "\"sentlab_partial\":2");
        assert_eq!(
            Partial::from_json("c.json", &text).unwrap_err(),
            "c.json: partial format version 2: this sentlab reads version 1 (write the partials again with this version)"
        );
        let err = Partial::from_json("d.json", "{\"a\": 1}").unwrap_err();
        assert_eq!(
            err,
            "d.json: not a partial result of `eval --partial` (no `sentlab_partial` version)"
        );
        let mut short = p;
        short.articles[0].counts.pop();
        assert_eq!(
            Partial::from_json("e.json", &short.to_json()).unwrap_err(),
            "e.json: article `k00`: 2 counts: expected 3 (2 labels, then any)"
        );
    }
}
