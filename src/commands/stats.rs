//! `sentlab stats`: counts of a sentence table and, optionally, label tables.

use anyhow::Result;

use crate::cli::{StatsArgs, StatsFormat};
use crate::label_files::{annotators_text, print_skipped_rows, read_label_file, skipped_text};
use crate::labels::{self, ImportOptions, LabelFile, MergeOptions, SentenceIndex, Strategy};
use crate::path_guard::PathGuard;
use crate::progress::Console;
use crate::stats::{StatsPartial, TableCounts, add_label_counts, render};
use crate::tables::ReportOutput;
use crate::tables::write_text;

/// Runs `stats`.
pub fn run(args: &StatsArgs, console: Console) -> Result<()> {
    let (sentences, label_files) = args.tables();
    PathGuard::new()
        .input("SENTENCES", sentences)
        .searched_inputs("FILES", label_files, "labels", false)
        .output_or_stdout("-o", args.output.as_ref())
        .output("--partial", args.partial.as_ref())
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
    let table = TableCounts::of_rows(&rows);
    let mut stats = table.stats();
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
    write_text(args.output.as_deref(), &text)?;
    if let Some(path) = &args.partial {
        let files = if label_files.is_empty() {
            None
        } else {
            Some(crate::label_files::fingerprint(label_files)?)
        };
        let partial = StatsPartial::new(&table, &stats, args.labels.as_deref(), files);
        write_text(Some(path), &partial.to_json())?;
        console.info(format!(
            "stats: partial result of {} articles -> {}",
            partial.articles.len(),
            path.display()
        ));
    }
    Ok(())
}
