//! `sentlab stats`: counts of a sentence table and, optionally, label tables.

use std::collections::BTreeMap;

use anyhow::Result;
use serde::Serialize;

use crate::cli::{StatsArgs, StatsFormat};
use crate::label_files::{annotators_text, print_skipped_rows, read_label_file, skipped_text};
use crate::labels::{
    self, ImportOptions, LabelFile, MergeOptions, Merged, SentenceIndex, Strategy,
};
use crate::path_guard::PathGuard;
use crate::progress::Console;
use crate::rows::SentenceRow;
use crate::tables::ReportOutput;
use crate::tables::write_text;

/// The counts `stats` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// Distinct articles.
    pub articles: u64,
    /// Sentences (rows).
    pub sentences: u64,
    /// Whitespace-separated tokens over all sentences.
    pub tokens: u64,
    /// Sentences per article: min, mean, median, max.
    pub sentences_per_article: Spread,
    /// Tokens per sentence: min, mean, median, max.
    pub tokens_per_sentence: Spread,
    /// Label counts: label → annotator → rows (label files only).
    pub labels: BTreeMap<String, BTreeMap<String, u64>>,
    /// Per annotator: label rows and distinct labelled sentences.
    pub annotators: BTreeMap<String, AnnotatorStats>,
    /// Rows of the label files: read, counted and skipped by reason.
    pub label_rows: LabelRows,
}

/// Accounting of the label files' rows, as `labels merge` counts them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LabelRows {
    /// Rows read over all label files.
    pub read: u64,
    /// Rows counted (`read` minus the skipped ones).
    pub counted: u64,
    /// Rows not counted, by reason (`unknown-sentence`, `duplicate`, ...).
    pub skipped: BTreeMap<String, u64>,
}

/// Label rows of one annotator.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AnnotatorStats {
    /// Label rows.
    pub labels: u64,
    /// Distinct sentences with at least one label.
    pub sentences: u64,
}

/// Min, mean, median and max of a count.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Spread {
    /// Smallest.
    pub min: u64,
    /// Mean.
    pub mean: f64,
    /// Median (lower middle for an even count).
    pub median: u64,
    /// Largest.
    pub max: u64,
}

fn spread(mut v: Vec<u64>) -> Spread {
    if v.is_empty() {
        return Spread::default();
    }
    v.sort_unstable();
    Spread {
        min: v[0],
        mean: v.iter().sum::<u64>() as f64 / v.len() as f64,
        median: v[(v.len() - 1) / 2],
        max: v[v.len() - 1],
    }
}

/// Counts over a sentence table (pure).
pub fn sentence_stats(rows: &[SentenceRow]) -> Stats {
    let mut per_article: BTreeMap<&str, u64> = BTreeMap::new();
    let mut tokens = Vec::with_capacity(rows.len());
    for r in rows {
        *per_article.entry(&r.article_id).or_default() += 1;
        tokens.push(r.text.split_whitespace().count() as u64);
    }
    Stats {
        articles: per_article.len() as u64,
        sentences: rows.len() as u64,
        tokens: tokens.iter().sum(),
        sentences_per_article: spread(per_article.values().copied().collect()),
        tokens_per_sentence: spread(tokens),
        labels: BTreeMap::new(),
        annotators: BTreeMap::new(),
        label_rows: LabelRows::default(),
    }
}

/// Adds the label counts of a merge of the label files (strategy any) to `stats`: per label
/// and annotator the sentences given the label, per annotator the labels and sentences,
/// and the row accounting (skipped rows are not counted).
pub fn add_label_counts(stats: &mut Stats, merged: &Merged, only: Option<&[String]>) {
    let counts = labels::label_counts_of(merged, |l| only.is_none_or(|o| o.iter().any(|x| x == l)));
    for (label, by) in &counts.by_label {
        for (annotator, n) in by {
            stats
                .annotators
                .entry(annotator.clone())
                .or_default()
                .labels += n;
        }
        stats.labels.insert(label.clone(), by.clone());
    }
    for (annotator, n) in counts.sentences {
        stats.annotators.entry(annotator).or_default().sentences = n;
    }
    let s = &merged.summary;
    stats.label_rows = LabelRows {
        read: s.rows_read,
        counted: s.rows_merged,
        skipped: s
            .skipped_by_reason()
            .into_iter()
            .map(|(k, n)| (k.to_string(), n))
            .collect(),
    };
}

/// Renders the stats for people.
pub fn render(s: &Stats) -> String {
    let mut out = String::new();
    let sp = |x: &Spread| {
        format!(
            "min {}, mean {:.1}, median {}, max {}",
            x.min, x.mean, x.median, x.max
        )
    };
    out += &format!("articles              {}\n", s.articles);
    out += &format!("sentences             {}\n", s.sentences);
    out += &format!("tokens                {}\n", s.tokens);
    out += &format!("sentences per article {}\n", sp(&s.sentences_per_article));
    out += &format!("tokens per sentence   {}\n", sp(&s.tokens_per_sentence));
    if !s.annotators.is_empty() {
        let names: Vec<&String> = s.annotators.keys().collect();
        let width = s.labels.keys().map(|l| l.len()).max().unwrap_or(5).max(5);
        out += &format!("\n{:width$}", "label");
        for n in &names {
            out += &format!("  {n:>8}");
        }
        out += "\n";
        for (label, by) in &s.labels {
            out += &format!("{label:width$}");
            for n in &names {
                out += &format!("  {:>8}", by.get(*n).copied().unwrap_or(0));
            }
            out += "\n";
        }
        out += &format!("{:width$}", "(sentences labelled)");
        for n in &names {
            out += &format!("  {:>8}", s.annotators[*n].sentences);
        }
        out += "\n";
    }
    out
}

/// Runs `stats`.
pub fn run(args: &StatsArgs, console: Console) -> Result<()> {
    let (sentences, label_files) = args.tables();
    PathGuard::new()
        .input("SENTENCES", sentences)
        .searched_inputs("FILES", label_files, "labels", false)
        .output_or_stdout("-o", args.output.as_ref())
        .check()?;
    if let Some(list) = &args.labels {
        if std::path::Path::new(list).is_file() {
            crate::usage_bail!(
                "--labels takes label names to count (a filter), and `{list}` is a file: give label files as arguments after the sentence table (sentlab stats SENTENCES FILE...)"
            );
        }
        if label_files.is_empty() {
            crate::usage_bail!(
                "--labels filters the labels of label files: give some after the sentence table"
            );
        }
    }
    let format = match args.format {
        Some(f) => f,
        None => match ReportOutput::for_output(None, args.output.as_deref())? {
            ReportOutput::Table => StatsFormat::Table,
            ReportOutput::Json => StatsFormat::Json,
            _ => crate::usage_bail!(
                "{}: stats are written as a table for people (.txt) or JSON (.json)",
                args.output
                    .as_deref()
                    .unwrap_or(std::path::Path::new("-"))
                    .display()
            ),
        },
    };
    let rows = crate::sentence_table::read_rows(sentences)?;
    let mut stats = sentence_stats(&rows);
    if !label_files.is_empty() {
        let index = SentenceIndex::new(&rows).map_err(|e| anyhow::anyhow!("{e}"))?;
        let files: Vec<LabelFile> = label_files
            .iter()
            .map(|p| read_label_file(p, &index, &ImportOptions::default()))
            .collect::<Result<_>>()?;
        // An annotator may be spread over several files: the merge counts them as one, and
        // drops rows of unknown sentences and repeated (annotator, sentence, label) rows.
        let options = MergeOptions {
            strategy: Strategy::Any,
            ..MergeOptions::default()
        };
        let merged = labels::merge(&index, &files, None, None, &options)?;
        let s = &merged.summary;
        for w in &s.warnings {
            console.warn(w);
        }
        console.info(format!(
            "stats: {}, {} label rows read, {} counted, skipped: {}",
            annotators_text(&s.annotators),
            s.rows_read,
            s.rows_merged,
            skipped_text(s)
        ));
        print_skipped_rows(s, console);
        let only = args
            .labels
            .as_deref()
            .map(|l| crate::eval::parse_label_list(l, &s.labels));
        if let Some(only) = &only {
            let unknown: Vec<String> = only
                .iter()
                .filter(|l| !s.labels.contains(l))
                .map(|l| match labels::closest_name(l, &s.labels) {
                    Some(c) => format!("`{l}` (did you mean `{c}`?)"),
                    None => format!("`{l}`"),
                })
                .collect();
            if !unknown.is_empty() {
                crate::usage_bail!("--labels: no label row carries {}", unknown.join(", "));
            }
        }
        add_label_counts(&mut stats, &merged, only.as_deref());
    }
    let text = match format {
        StatsFormat::Table => render(&stats),
        StatsFormat::Json => serde_json::to_string_pretty(&stats)? + "\n",
    };
    write_text(args.output.as_deref(), &text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rows::SentenceKind;

    fn row(article: &str, i: u32, text: &str) -> SentenceRow {
        SentenceRow {
            article_id: article.into(),
            sentence_id: format!("{article}:{i}"),
            index: i,
            paragraph: 0,
            kind: SentenceKind::Body,
            start: 0,
            end: 0,
            text: text.into(),
        }
    }

    #[test]
    fn counts_checked_by_hand() {
        let rows = vec![
            row("a", 0, "One two three."),
            row("a", 1, "Four"),
            row("b", 0, "x y"),
        ];
        let s = sentence_stats(&rows);
        assert_eq!((s.articles, s.sentences, s.tokens), (2, 3, 6));
        assert_eq!(
            s.sentences_per_article,
            Spread {
                min: 1,
                mean: 1.5,
                median: 1,
                max: 2
            }
        );
        assert_eq!(
            s.tokens_per_sentence,
            Spread {
                min: 1,
                mean: 2.0,
                median: 2,
                max: 3
            }
        );
    }
}
