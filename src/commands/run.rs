//! `sentlab run PIPELINE.toml` and `sentlab demo`: the whole loop (split, labels merge,
//! extract, eval) with every intermediate table written to one directory.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::ValueEnum;

use crate::cli::{ByArg, EvalArgs, LevelArg, MergeArgs, ReportFormat, RunArgs, StrategyArg};
use crate::commands::{eval, extract, merge, split};
use crate::corpus::{self, FieldNames, InputFormat, ReadOptions};
use crate::labels::ImportOptions;
use crate::path_guard::PathGuard;
use crate::pipeline::PipelineConfig;
use crate::progress::Console;
use crate::segment::{LineBreaks, SplitOptions};
use crate::sentence_table::SentenceTable;
use crate::tables::{Format, write_text};

/// The files a run writes into its output directory.
pub const OUTPUTS: &[&str] = &[
    "sentences.csv",
    "gold.csv",
    "agreement.json",
    "agreement.txt",
    "conflicts.csv",
    "predictions.csv",
    "eval.txt",
    "eval.csv",
    "eval.json",
    "eval-by-rule.csv",
    "errors.csv",
];

/// The bundled demo config: `datasets/sample/pipeline.toml` in the working directory, else
/// in the source tree the binary was built from.
pub fn demo_config() -> PathBuf {
    let local = PathBuf::from("datasets/sample/pipeline.toml");
    if local.exists() {
        local
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/sample/pipeline.toml")
    }
}

/// Refuses an output directory that holds files other than a run's own outputs, unless
/// `force`.
pub fn check_out_dir(dir: &Path, force: bool) -> Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    if !dir.is_dir() {
        bail!("{}: exists and is not a directory", dir.display());
    }
    let mut others: Vec<String> = std::fs::read_dir(dir)
        .with_context(|| format!("{}: cannot read directory", dir.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !OUTPUTS.contains(&n.as_str()))
        .collect();
    others.sort();
    if !others.is_empty() && !force {
        bail!(
            "{}: output directory holds other files ({}); choose another --out or pass --force",
            dir.display(),
            others.join(", ")
        );
    }
    Ok(())
}

/// Runs a pipeline config.
pub fn run(args: &RunArgs, console: Console) -> Result<()> {
    run_config(&args.pipeline, args.out.as_deref(), args.force, console)
}

/// Runs the bundled demo.
pub fn demo(out: Option<&Path>, force: bool, console: Console) -> Result<()> {
    run_config(&demo_config(), out, force, console)
}

fn run_config(config_path: &Path, out: Option<&Path>, force: bool, console: Console) -> Result<()> {
    let name = config_path.display().to_string();
    let text = std::fs::read_to_string(config_path)
        .with_context(|| format!("{name}: cannot read pipeline config"))?;
    let base = config_path.parent().unwrap_or(Path::new("."));
    let config = PipelineConfig::parse(&name, &text, base)?;
    let strategy = StrategyArg::from_str(&config.strategy, true).map_err(|_| {
        anyhow::anyhow!("{name}: `strategy`: unknown value `{}` (expected majority, unanimous, any or min-votes)", config.strategy)
    })?;
    let merge_args = MergeArgs {
        sentences: PathBuf::new(),
        files: config.annotators.clone(),
        output: None,
        format: None,
        strategy: Some(strategy),
        min_votes: config.min_votes,
        tie: config.tie.clone(),
        adjudicator: config.adjudicator.clone(),
        coverage: None,
        schema: config.schema.clone(),
        input_format: None,
        min_overlap: 1,
        report: None,
        conflicts: None,
        strict: false,
        one_annotator_per_file: false,
    };
    let merge_options =
        merge::merge_options(&merge_args).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    let out_dir = out
        .map(Path::to_path_buf)
        .or(config.out.clone())
        .unwrap_or_else(|| PathBuf::from("sentlab-demo"));
    let outputs: Vec<PathBuf> = OUTPUTS.iter().map(|f| out_dir.join(f)).collect();
    let out_flag = match (out, &config.out) {
        (Some(_), _) => "--out",
        (None, Some(_)) => "the pipeline's out",
        (None, None) => "the default output directory",
    };
    let guard = outputs.iter().fold(
        PathGuard::new()
            .input("PIPELINE", config_path)
            .searched_inputs("the pipeline's articles", &config.articles, "txt", true)
            .searched_inputs(
                "the pipeline's annotators",
                &config.annotators,
                "labels",
                false,
            )
            .searched_inputs(
                "the pipeline's adjudicator",
                &config.adjudicator,
                "labels",
                false,
            )
            .maybe_input("the pipeline's schema", config.schema.as_ref())
            .searched_inputs("the pipeline's rules", [&config.rules], "toml", false),
        |g, p| g.output(out_flag, Some(p)),
    );
    guard.check()?;
    // Rules compile before any output is written.
    let (_, matcher, lexicons) = extract::compile_rules(&config.rules, None)?;
    guard.inputs("lexicon file", &lexicons).check()?;
    check_out_dir(&out_dir, force)?;
    std::fs::create_dir_all(&out_dir)
        .with_context(|| format!("{}: cannot create directory", out_dir.display()))?;
    // Everything is written into a temporary directory beside DIR and moved into DIR only
    // when every step succeeded, so a failed run leaves DIR as it was.
    let beside = out_dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let new_dir = || {
        tempfile::Builder::new()
            .prefix(".sentlab-run-")
            .tempdir_in(beside)
    };
    // Registered so that a signal removes it (see `crate::signals`).
    let staging =
        crate::signals::Tracked::create(true, new_dir, |d| d.path()).with_context(|| {
            format!(
                "{}: cannot create a temporary directory beside it",
                out_dir.display()
            )
        })?;
    let path = |f: &str| staging.path().join(f);

    // 1. split
    let sources = corpus::discover(&config.articles)?;
    let read = ReadOptions {
        format: InputFormat::Auto,
        has_title: !config.no_title,
        lossy: false,
        fields: FieldNames::default(),
    };
    let opts = SplitOptions {
        line_breaks: if config.join_lines {
            LineBreaks::Space
        } else {
            LineBreaks::Sentence
        },
    };
    let s = split::split_to(
        &sources,
        &read,
        &opts,
        Some(&path("sentences.csv")),
        Format::Csv,
        console,
    )?;
    console.info(format!(
        "split: {} articles, {} sentences -> {}",
        s.articles,
        s.sentences,
        out_dir.join("sentences.csv").display()
    ));
    let sentences = crate::sentence_table::read_rows(&path("sentences.csv"))?;

    // 2. labels merge
    let outcome = merge::merge_files(
        &sentences,
        &config.annotators,
        config.adjudicator.as_deref(),
        config.schema.as_deref(),
        &ImportOptions::default(),
        &merge_options,
        merge_args.one_annotator_per_file,
    )?;
    merge::print_summary(&outcome.merged, console);
    let quiet = Console { quiet: true };
    merge::write_outputs(
        &outcome,
        Some(&path("gold.csv")),
        Format::Csv,
        Some(&path("agreement.json")),
        Some(&path("conflicts.csv")),
        quiet,
    )?;
    let agreement = crate::labels::render_table(&outcome.report);
    write_text(Some(&path("agreement.txt")), &agreement)?;

    // 3. extract
    let e = extract::extract_to(
        &matcher,
        &SentenceTable::from_rows(&sentences),
        Some(&path("predictions.csv")),
        Format::Csv,
        console,
    )?;
    console.info(format!(
        "extract: {} predictions on {} sentences -> {}",
        e.predictions,
        e.sentences_hit,
        out_dir.join("predictions.csv").display()
    ));

    // 4. eval
    let eval_args = |format: ReportFormat, by: ByArg, errors: Option<PathBuf>| EvalArgs {
        gold: path("gold.csv"),
        pred: path("predictions.csv"),
        sentences: path("sentences.csv"),
        format: Some(format),
        output: None,
        level: LevelArg::Sentence,
        by,
        labels: None,
        sort: None,
        errors,
        bootstrap: None,
        seed: None,
        schema: None,
        strict: false,
    };
    let table_text = eval::evaluate(
        &eval_args(ReportFormat::Table, ByArg::Label, Some(path("errors.csv"))),
        quiet,
    )?;
    write_text(Some(&path("eval.txt")), &table_text)?;
    write_text(
        Some(&path("eval.csv")),
        &eval::evaluate(&eval_args(ReportFormat::Csv, ByArg::Label, None), quiet)?,
    )?;
    write_text(
        Some(&path("eval.json")),
        &eval::evaluate(&eval_args(ReportFormat::Json, ByArg::Label, None), quiet)?,
    )?;
    write_text(
        Some(&path("eval-by-rule.csv")),
        &eval::evaluate(&eval_args(ReportFormat::Csv, ByArg::Rule, None), quiet)?,
    )?;
    for f in OUTPUTS {
        let from = path(f);
        if from.exists() {
            std::fs::rename(&from, out_dir.join(f))
                .with_context(|| format!("{}: cannot move {f} into place", out_dir.display()))?;
        }
    }
    crate::signals::sync_dir(&out_dir)
        .with_context(|| format!("{}: cannot sync directory", out_dir.display()))?;
    console.info(format!("eval: tables in {}", out_dir.display()));

    let mut printed = format!(
        "Agreement between annotators ({}):\n\n{agreement}",
        outcome.report.annotators.join(", ")
    );
    printed += &format!(
        "\nPrecision, recall and F1 by label type (rules {} vs gold by {:?} vote):\n\n{table_text}",
        config.rules.display(),
        merge_options.strategy
    );
    if !printed.ends_with('\n') {
        printed.push('\n');
    }
    write_text(None, &printed)?;
    Ok(())
}
