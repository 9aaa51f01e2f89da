//! `sentlab split`: articles in, sentence table out.

use anyhow::Result;

use crate::cli::SplitArgs;
use crate::corpus::{self, FieldNames, ReadOptions};
use crate::path_guard::PathGuard;
use crate::progress::{Console, human_bytes};
use crate::segment::{LineBreaks, SplitOptions};
use crate::split_corpus::split_shard_to;
use crate::tables::{CsvOptions, Format};

/// Read options from the command line.
pub fn read_options(args: &SplitArgs) -> ReadOptions {
    ReadOptions {
        format: args.input_format,
        has_title: !args.no_title,
        lossy: args.lossy,
        fields: FieldNames {
            id: args.id_field.clone(),
            title: args.title_field.clone(),
            text: args.text_field.clone(),
        },
    }
}

/// Splitter options from the command line.
pub fn split_options(args: &SplitArgs) -> SplitOptions {
    SplitOptions {
        line_breaks: if args.join_lines {
            LineBreaks::Space
        } else if args.one_per_line {
            LineBreaks::Line
        } else {
            LineBreaks::Sentence
        },
    }
}

/// Refuses (exit 2) flags that would change nothing for these inputs: field names when no
/// input is a table of articles (JSON Lines, CSV, Parquet, Arrow), `--no-title` when no
/// input is a text article.
fn check_layout_flags(args: &SplitArgs, sources: &[corpus::Source]) -> Result<()> {
    let is_table = |s: &corpus::Source| {
        matches!(s, corpus::Source::File(p) if crate::tables::frame::is_columnar(p))
            || matches!(
                corpus::layout_of(s, args.input_format),
                corpus::InputFormat::Jsonl | corpus::InputFormat::Csv
            )
    };
    let tables = sources.iter().filter(|s| is_table(s)).count();
    let defaults = FieldNames::default();
    let fields_given = args.id_field != defaults.id
        || args.title_field != defaults.title
        || args.text_field != defaults.text;
    if fields_given && tables == 0 {
        crate::usage_bail!(
            "--id-field, --title-field and --text-field name the fields of JSON Lines, CSV, Parquet or Arrow articles, and every input here is a text article (the file is the article; --input-format says how to read a file)"
        );
    }
    if args.no_title && tables == sources.len() {
        crate::usage_bail!(
            "--no-title is for text articles, whose first line is otherwise the title; JSON Lines and CSV articles take their title from a field (--title-field; a missing field is no title)"
        );
    }
    Ok(())
}

/// Runs `split`.
pub fn run(args: &SplitArgs, console: Console) -> Result<()> {
    PathGuard::new()
        .searched_inputs("INPUT", &args.inputs, "txt", true)
        .output_or_stdout("-o", args.output.as_ref())
        .check()?;
    let format = Format::for_output(args.format, args.output.as_deref())?;
    let csv = CsvOptions::for_outputs(args.excel_safe, format == Format::Csv)?;
    let sources = corpus::discover(&args.inputs)?;
    check_layout_flags(args, &sources)?;
    let started = std::time::Instant::now();
    let summary = split_shard_to(
        &sources,
        &read_options(args),
        &split_options(args),
        args.shard,
        args.output.as_deref(),
        format,
        csv,
        console,
    )?;
    let secs = started.elapsed().as_secs_f64();
    let shard = args.shard.map_or(String::new(), |s| {
        format!(
            " of shard {s} ({} articles of other shards left out)",
            summary.other_shards
        )
    });
    console.info(format!(
        "split: {} articles{shard} ({} empty), {} sentences, {} in {:.2} s ({:.1} MB/s){}",
        summary.articles,
        summary.empty,
        summary.sentences,
        human_bytes(summary.bytes),
        secs,
        summary.bytes as f64 / 1e6 / secs.max(1e-9),
        args.output
            .as_ref()
            .map_or(String::new(), |p| format!(" -> {}", p.display()))
    ));
    Ok(())
}
