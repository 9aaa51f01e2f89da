//! The label confusion matrix at sentence level (`eval --by confusion`).
//!
//! Cell (X, Y) counts the sentences with gold label X and predicted label Y; a sentence
//! with several gold or predicted labels counts in every such cell. The extra column
//! `none` counts, per gold label, the sentences with that label and no prediction at all;
//! the extra row `none` counts, per predicted label, the sentences with that prediction and
//! no gold label at all; cell (`none`, `none`) the sentences with neither.

use serde::Serialize;

use super::render::{Format, csv_line, render_markdown, render_table};
use super::sentence::{SentenceEval, unkey};

/// The confusion matrix: `cells[g][p]` with index `labels.len()` for `none`.
#[derive(Debug, Clone, PartialEq)]
pub struct Confusion {
    /// Label names, in the evaluation's label order.
    pub labels: Vec<String>,
    /// `(labels.len() + 1)²` sentence counts, row (gold) major; the last row and column
    /// are `none`.
    pub cells: Vec<Vec<u64>>,
}

impl Confusion {
    /// The count of cell (gold, predicted); `None` is the `none` row or column.
    pub fn get(&self, gold: Option<usize>, pred: Option<usize>) -> u64 {
        let n = self.labels.len();
        self.cells[gold.unwrap_or(n)][pred.unwrap_or(n)]
    }
}

/// The confusion matrix of a sentence-level evaluation (its deduplicated pairs).
pub fn confusion(eval: &SentenceEval, n_sentences: usize) -> Confusion {
    let labels = eval.labels.names().to_vec();
    let n = labels.len();
    let mut cells = vec![vec![0u64; n + 1]; n + 1];
    let (gold, pred) = (&eval.counts.gold, &eval.counts.pred);
    let (mut i, mut j) = (0, 0);
    let mut seen = 0u64;
    let sentence = |k: u64| unkey(k).0;
    while i < gold.len() || j < pred.len() {
        let s = match (gold.get(i), pred.get(j)) {
            (Some(&g), Some(&p)) => sentence(g).min(sentence(p)),
            (Some(&g), None) => sentence(g),
            (None, Some(&p)) => sentence(p),
            (None, None) => unreachable!(),
        };
        let gi = i;
        while i < gold.len() && sentence(gold[i]) == s {
            i += 1;
        }
        let pj = j;
        while j < pred.len() && sentence(pred[j]) == s {
            j += 1;
        }
        let g: Vec<usize> = gold[gi..i].iter().map(|&k| unkey(k).1 as usize).collect();
        let p: Vec<usize> = pred[pj..j].iter().map(|&k| unkey(k).1 as usize).collect();
        let g = if g.is_empty() { vec![n] } else { g };
        let p = if p.is_empty() { vec![n] } else { p };
        for &x in &g {
            for &y in &p {
                cells[x][y] += 1;
            }
        }
        seen += 1;
    }
    cells[n][n] = (n_sentences as u64).saturating_sub(seen);
    Confusion { labels, cells }
}

/// Renders the matrix. Table and markdown: one row per gold label then `none`, one column
/// per predicted label then `none` (header cell `gold \ predicted`). CSV: one row per cell,
/// `gold_label,predicted_label,sentences`, with an empty label for `none` (so a label
/// named `none` stays distinct). JSON: `{"labels": [...], "cells": [{"gold_label",
/// "predicted_label", "sentences"}]}` with `null` for `none`. Every cell is listed, zeros included.
pub fn render_confusion(c: &Confusion, format: Format) -> String {
    let n = c.labels.len();
    let name = |i: usize| (i < n).then(|| c.labels[i].as_str());
    match format {
        Format::Csv => {
            let mut s = csv_line(&["gold_label", "predicted_label", "sentences"]);
            for (x, row) in c.cells.iter().enumerate() {
                for (y, v) in row.iter().enumerate() {
                    s.push_str(&csv_line(&[
                        name(x).unwrap_or(""),
                        name(y).unwrap_or(""),
                        &v.to_string(),
                    ]));
                }
            }
            s
        }
        Format::Json => {
            #[derive(Serialize)]
            struct Cell<'a> {
                gold_label: Option<&'a str>,
                predicted_label: Option<&'a str>,
                sentences: u64,
            }
            #[derive(Serialize)]
            struct Top<'a> {
                labels: &'a [String],
                cells: Vec<Cell<'a>>,
            }
            let mut cells = Vec::new();
            for (x, row) in c.cells.iter().enumerate() {
                for (y, &v) in row.iter().enumerate() {
                    cells.push(Cell {
                        gold_label: name(x),
                        predicted_label: name(y),
                        sentences: v,
                    });
                }
            }
            serde_json::to_string_pretty(&Top {
                labels: &c.labels,
                cells,
            })
            .expect("cells serialize")
                + "\n"
        }
        Format::Table | Format::Markdown => {
            let mut header = vec!["gold \\ predicted".to_owned()];
            header.extend(c.labels.iter().cloned());
            header.push("none".to_owned());
            let rows: Vec<Vec<String>> = c
                .cells
                .iter()
                .enumerate()
                .map(|(x, row)| {
                    let mut r = vec![name(x).unwrap_or("none").to_owned()];
                    r.extend(row.iter().map(u64::to_string));
                    r
                })
                .collect();
            if format == Format::Table {
                render_table(&header, 1, &rows, &[])
            } else {
                render_markdown(&header, 1, &rows)
            }
        }
    }
}
