//! One module per subcommand: each reads its inputs, calls the pure modules and writes its
//! outputs. Only these modules (and [`crate::tables`], [`crate::corpus`]) touch files. The
//! helpers here are shared by several commands.

pub mod eval;
pub mod export;
pub mod extract;
pub mod merge;
pub mod rules;
pub mod run;
pub mod split;
pub mod stats;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};

use crate::cli::{Cli, Command, LabelsCommand, RulesCommand};
use crate::labels::{self, ImportOptions, LabelFile, MergeSummary, SentenceIndex};
use crate::progress::Console;
use crate::rules::{Matcher, RuleSet};

/// Reads a label schema file (TOML).
pub fn read_schema(path: &std::path::Path) -> Result<crate::labels::Schema> {
    use anyhow::Context;
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read schema", path.display()))?;
    Ok(crate::labels::Schema::from_toml(
        &path.display().to_string(),
        &text,
    )?)
}

/// `N annotators (a, b)` for a summary line: `1 annotator (a)`, and `0 annotators` without
/// an empty list.
pub fn annotators_text(names: &[String]) -> String {
    match names {
        [] => "0 annotators".to_string(),
        [one] => format!("1 annotator ({one})"),
        _ => format!("{} annotators ({})", names.len(), names.join(", ")),
    }
}

/// The span files of a gold path (a file, or the `*.labels` files of a directory, sorted).
pub fn span_files(path: &Path) -> Result<Vec<PathBuf>> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .with_context(|| format!("{}: cannot read directory", path.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "labels"))
        .collect();
    files.sort();
    if files.is_empty() {
        bail!(
            "{}: directory holds no .labels files (expected PTC span files)",
            path.display()
        );
    }
    Ok(files)
}

/// Reads an annotator file, or a directory of PTC `*.labels` files as one annotator named
/// after the directory (errors and skipped rows name the file they come from).
pub fn read_label_file(
    path: &Path,
    index: &SentenceIndex,
    opts: &ImportOptions,
) -> Result<LabelFile> {
    let name = path.display().to_string();
    if path.is_dir() {
        let span_opts = ImportOptions {
            format: Some(labels::Format::PtcSpans),
            ..opts.clone()
        };
        let mut texts = Vec::new();
        for f in span_files(path)? {
            let text = std::fs::read_to_string(&f)
                .with_context(|| format!("{}: cannot read file", f.display()))?;
            texts.push((f.display().to_string(), text));
        }
        let parts: Vec<(&str, &str)> = texts
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        return Ok(labels::parse_span_files(&name, &parts, index, &span_opts)?);
    }
    let text = crate::tables::read_csv_text(path)?;
    Ok(labels::parse_label_file(&name, &text, index, opts)?)
}

/// The skipped rows counted by reason (`1 duplicate, 2 unknown-sentence`, or `none skipped`).
pub fn skipped_text(s: &MergeSummary) -> String {
    crate::progress::count_skipped(s.skipped.iter().map(|r| r.reason.key()), None)
}

/// Prints the first ten skipped rows (file:line, reason) on stderr.
pub fn print_skipped_rows(s: &MergeSummary, console: Console) {
    for row in s.skipped.iter().take(10) {
        console.warn(format!("skipped {row}"));
    }
    if s.skipped.len() > 10 {
        console.warn(format!(
            "... and {} more skipped rows",
            s.skipped.len() - 10
        ));
    }
}

/// Reads and validates a rule file or directory, reporting every problem at once.
pub fn load_rules(path: &Path, known_labels: Option<&BTreeSet<String>>) -> Result<RuleSet> {
    load_rules_and_lexicons(path, known_labels).map(|(set, _)| set)
}

/// As [`load_rules`], also returning the lexicon files the rules read (`file = ...`).
pub fn load_rules_and_lexicons(
    path: &Path,
    known_labels: Option<&BTreeSet<String>>,
) -> Result<(RuleSet, Vec<PathBuf>)> {
    let sources = crate::rules::load_sources(path)
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
        crate::rules::read_text(p)
    };
    let set = crate::rules::parse(&sources, &read, known_labels).map_err(|diags| {
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

/// Label names (and aliases) of a schema file, for `extract --schema` and `rules check --schema`.
pub fn schema_labels(path: &Path) -> Result<BTreeSet<String>> {
    let schema = read_schema(path)?;
    Ok(schema.labels.iter().map(|d| d.name.clone()).collect())
}

/// Runs the parsed command line on a thread pool of the requested size.
pub fn run(cli: Cli) -> Result<()> {
    let console = Console { quiet: cli.quiet };
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(n) = cli.threads {
        // More threads than this only costs memory (each has its own stack); a huge value
        // would fail to start threads.
        const MAX_THREADS: usize = 1024;
        if !(1..=MAX_THREADS).contains(&n) {
            crate::usage_bail!("--threads {n}: expected 1 to {MAX_THREADS}");
        }
        pool = pool.num_threads(n);
    }
    let pool = pool.build()?;
    pool.install(|| match &cli.command {
        Command::Split(args) => split::run(args, console),
        Command::Labels(LabelsCommand::Merge(args)) => merge::run(args, console),
        Command::Extract(args) => extract::run(args, console),
        Command::Rules(RulesCommand::Check(args)) => rules::check(args, console),
        Command::Rules(RulesCommand::Explain(args)) => rules::explain(args, console),
        Command::Eval(args) => eval::run(args, console),
        Command::Demo(args) => run::demo(args.out.as_deref(), args.force, console),
        Command::Run(args) => run::run(args, console),
        Command::Export(args) => export::run(args, console),
        Command::Stats(args) => stats::run(args, console),
    })
}
