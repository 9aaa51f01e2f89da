//! `sentlab extract`: a rule file and the sentence table in, predictions out.

use std::time::Instant;

use anyhow::Result;

use super::{compile_rules, schema_labels};
use crate::cli::ExtractArgs;
use crate::extraction::extract_to;
use crate::path_guard::PathGuard;
use crate::progress::{Console, human_bytes};
use crate::sentence_table::SentenceTable;
use crate::tables::{CsvOptions, Format};

/// Runs `extract`.
pub fn run(args: &ExtractArgs, console: Console) -> Result<()> {
    let guard = PathGuard::new()
        .searched_inputs("--rules", [&args.rules], "toml", false)
        .input("SENTENCES", args.sentences())
        .maybe_input("--schema", args.schema.as_ref())
        .output_or_stdout("-o", args.output.as_ref());
    guard.check()?;
    let format = Format::for_output(args.format, args.output.as_deref())?;
    let csv = CsvOptions::for_outputs(args.excel_safe, format == Format::Csv)?;
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
    let (rows, other_shards) = match args.shard {
        Some(shard) => rows?.retain_articles(|id| shard.contains(id)),
        None => (rows?, 0),
    };
    let summary = extract_to(
        &matcher,
        &rows,
        args.output.as_deref(),
        format,
        csv,
        console,
    )?;
    let secs = started.elapsed().as_secs_f64();
    let shard = args.shard.map_or(String::new(), |s| {
        format!(" of shard {s} ({other_shards} sentences of other shards left out)")
    });
    console.info(format!(
        "extract: {} rules (compiled in {} ms), {} sentences{shard}, {} predictions on {} sentences, {} of text in {:.2} s{}",
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
