//! `sentlab extract` and `sentlab rules check|explain`: rule files in, predictions out.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, anyhow, bail};
use rayon::prelude::*;

use crate::cli::{ExtractArgs, RulesCheckArgs, RulesExplainArgs};
use crate::path_guard::PathGuard;
use crate::progress::{Console, human_bytes};
use crate::rows::{PredictionRef, PredictionRow};
use crate::rules::{self, ArticleSentence, Hit, Matcher, RuleSet};
use crate::sentence_table::SentenceTable;
use crate::tables::{Format, TableWriter};

/// Reads and validates a rule file or directory, reporting every problem at once.
pub fn load_rules(path: &Path, known_labels: Option<&BTreeSet<String>>) -> Result<RuleSet> {
    load_rules_and_lexicons(path, known_labels).map(|(set, _)| set)
}

/// As [`load_rules`], also returning the lexicon files the rules read (`file = ...`).
pub fn load_rules_and_lexicons(
    path: &Path,
    known_labels: Option<&BTreeSet<String>>,
) -> Result<(RuleSet, Vec<PathBuf>)> {
    let sources = rules::load_sources(path)
        .with_context(|| format!("{}: cannot read rules", path.display()))?;
    if sources.is_empty() {
        bail!(
            "{}: no rule files (expected a .toml file or a directory of them)",
            path.display()
        );
    }
    let lexicons = std::sync::Mutex::new(Vec::new());
    let read = |p: &Path| {
        lexicons.lock().expect("not poisoned").push(p.to_path_buf());
        rules::read_text(p)
    };
    let set = rules::parse(&sources, &read, known_labels).map_err(|diags| {
        let list: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
        anyhow!(
            "{}\n{} problem(s) in the rules",
            list.join("\n"),
            diags.len()
        )
    })?;
    Ok((set, lexicons.into_inner().expect("not poisoned")))
}

/// Reads and compiles rules (never opens the output before this succeeded); also returns
/// the lexicon files read. With `known_labels`, a rule label outside them is a problem.
pub fn compile_rules(
    path: &Path,
    known_labels: Option<&BTreeSet<String>>,
) -> Result<(RuleSet, Matcher, Vec<PathBuf>)> {
    let (set, lexicons) = load_rules_and_lexicons(path, known_labels)?;
    let matcher = set
        .compile()
        .map_err(|e| anyhow!("{}: {e}", path.display()))?;
    Ok((set, matcher, lexicons))
}

fn article_sentences<'a>(table: &'a SentenceTable, group: &[usize]) -> Vec<ArticleSentence<'a>> {
    group.iter().map(|&i| table.sentence(i)).collect()
}

/// Runs the matcher over every article in parallel; predictions in table order. Articles go
/// in chunks; `on_batch` gets one chunk's predictions (borrowing the table and the rules) and
/// the bytes of text matched, on a thread of its own while the next chunk is matched.
pub fn extract_rows(
    matcher: &Matcher,
    table: &SentenceTable,
    mut on_batch: impl FnMut(&[PredictionRef<'_>], u64) -> Result<()> + Send,
) -> Result<()> {
    let groups = table.articles();
    let match_chunk = |chunk: &[Vec<usize>]| -> (Vec<Vec<Hit>>, u64) {
        let hits: Vec<Vec<Hit>> = chunk
            .par_iter()
            .map(|g| matcher.article_hits(&article_sentences(table, g)))
            .collect();
        let bytes: u64 = chunk
            .iter()
            .flatten()
            .map(|&i| table.text(i).len() as u64)
            .sum();
        (hits, bytes)
    };
    const CHUNK: usize = 512;
    // Chunks are written on their own thread (also with `--threads 1`) while the next one is
    // matched; at most one matched chunk waits.
    std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::sync_channel::<(usize, Vec<Vec<Hit>>, u64)>(1);
        let groups = &groups;
        let writer = scope.spawn(move || -> Result<()> {
            let mut preds = Vec::new();
            for (first, hits, bytes) in receive {
                preds.clear();
                for (group, hits) in groups[first..].iter().zip(&hits) {
                    if !hits.is_empty() {
                        let sentences = article_sentences(table, group);
                        preds.extend(hits.iter().map(|h| matcher.prediction(&sentences, h)));
                    }
                }
                on_batch(&preds, bytes)?;
            }
            Ok(())
        });
        for (k, chunk) in groups.chunks(CHUNK).enumerate() {
            let (hits, bytes) = match_chunk(chunk);
            if send.send((k * CHUNK, hits, bytes)).is_err() {
                // The writer stopped on an error, reported below.
                break;
            }
        }
        drop(send);
        writer.join().expect("the writer thread does not panic")
    })
}

/// Runs `extract`.
pub fn run(args: &ExtractArgs, console: Console) -> Result<()> {
    let guard = PathGuard::new()
        .searched_inputs("--rules", [&args.rules], "toml", false)
        .input("SENTENCES", args.sentences())
        .maybe_input("--schema", args.schema.as_ref())
        .output_or_stdout("-o", args.output.as_ref());
    guard.check()?;
    let format = Format::for_output(args.format, args.output.as_deref())?;
    let started = Instant::now();
    // Rules compile on their own thread while the table is read (also with `--threads 1`);
    // a rules error is reported first.
    let (rules, rows) = std::thread::scope(|scope| {
        let rules = scope.spawn(|| {
            let known = args.schema.as_deref().map(schema_labels).transpose()?;
            compile_rules(&args.rules, known.as_ref()).map(|r| (r, started.elapsed()))
        });
        let rows = SentenceTable::read(args.sentences());
        (rules.join().expect("the rules thread does not panic"), rows)
    });
    let ((set, matcher, lexicons), compiled) = rules?;
    // Lexicon files are known once the rules are read, still before any output is opened.
    guard.inputs("lexicon file", &lexicons).check()?;
    let rows = rows?;
    let summary = extract_to(&matcher, &rows, args.output.as_deref(), format, console)?;
    let secs = started.elapsed().as_secs_f64();
    console.info(format!(
        "extract: {} rules (compiled in {} ms), {} sentences, {} predictions on {} sentences, {} of text in {:.2} s{}",
        set.rules().len(),
        compiled.as_millis(),
        rows.len(),
        summary.predictions,
        summary.sentences_hit,
        human_bytes(summary.bytes),
        secs,
        args.output.as_ref().map_or(String::new(), |p| format!(" -> {}", p.display()))
    ));
    Ok(())
}

/// What an extract run did.
#[derive(Debug, Default, Clone, Copy)]
pub struct ExtractSummary {
    /// Prediction rows written.
    pub predictions: u64,
    /// Distinct sentences with at least one prediction.
    pub sentences_hit: u64,
    /// Bytes of sentence text matched.
    pub bytes: u64,
}

/// Extracts predictions from `rows` into `output`.
pub fn extract_to(
    matcher: &Matcher,
    table: &SentenceTable,
    output: Option<&Path>,
    format: Format,
    console: Console,
) -> Result<ExtractSummary> {
    let total = table.text_bytes();
    let bar = console.bytes_bar(total, "");
    let mut writer = TableWriter::<PredictionRow>::create(output, format)?;
    let mut summary = ExtractSummary::default();
    let mut last_sentence = String::new();
    extract_rows(matcher, table, |preds, bytes| {
        for p in preds {
            if p.sentence_id != last_sentence {
                summary.sentences_hit += 1;
                p.sentence_id.clone_into(&mut last_sentence);
            }
        }
        summary.predictions += preds.len() as u64;
        summary.bytes += bytes;
        bar.inc(bytes);
        writer.write_refs(preds, PredictionRef::to_row)
    })?;
    bar.finish_and_clear();
    writer.finish()?;
    Ok(summary)
}

/// Label names (and aliases) of a schema file, for `rules check --schema`.
pub fn schema_labels(path: &Path) -> Result<BTreeSet<String>> {
    let schema = super::read_schema(path)?;
    Ok(schema.labels.iter().map(|d| d.name.clone()).collect())
}

/// Runs `rules check`.
pub fn check(args: &RulesCheckArgs, console: Console) -> Result<()> {
    let known = args.schema.as_deref().map(schema_labels).transpose()?;
    // A checker: an entry the rules search would skip (a dangling `x.toml`) is a problem.
    crate::walk::refuse_skipped(args.rules(), false, &rules::is_rule_file)?;
    let set = load_rules(args.rules(), known.as_ref())?;
    let started = Instant::now();
    set.compile()
        .map_err(|e| anyhow!("{}: {e}", args.rules().display()))?;
    let labels = set.labels();
    console.info(format!(
        "ok: {} rules, {} labels, compiled in {} ms",
        set.rules().len(),
        labels.len(),
        started.elapsed().as_millis()
    ));
    Ok(())
}

/// Runs `rules explain` (output on stdout: it is the data asked for).
pub fn explain(args: &RulesExplainArgs, _console: Console) -> Result<()> {
    let (_, matcher, _) = compile_rules(&args.rules, None)?;
    let text = match (&args.sentence, &args.sentence_id, &args.sentences) {
        (Some(sentence), _, _) => {
            let one = [ArticleSentence {
                sentence_id: "sentence",
                kind: crate::rows::SentenceKind::Body,
                text: sentence,
                start: 0,
            }];
            matcher.explain(&one, 0).to_string()
        }
        (None, Some(id), Some(path)) => {
            let table = SentenceTable::read(path)?;
            let Some(pos) = (0..table.len()).find(|&i| table.sentence(i).sentence_id == id) else {
                bail!("{}: no sentence with id `{id}`", path.display());
            };
            let group: Vec<usize> = (0..table.len())
                .filter(|&i| table.article_id(i) == table.article_id(pos))
                .collect();
            let target = group
                .iter()
                .position(|&i| i == pos)
                .expect("in its article");
            matcher
                .explain(&article_sentences(&table, &group), target)
                .to_string()
        }
        _ => crate::usage_bail!("give a SENTENCE, or --sentence-id with --sentences"),
    };
    let text = if text.ends_with('\n') {
        text
    } else {
        text + "\n"
    };
    crate::tables::write_text(None, &text)
}
