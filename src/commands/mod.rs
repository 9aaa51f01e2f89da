//! One module per subcommand: each turns its flags into options once, reads its inputs,
//! calls the library and writes its outputs. No command module uses another (`run` composes
//! library calls); the helpers here are shared by several commands.

pub mod combine;
pub mod compare;
pub mod eval;
pub mod export;
pub mod extract;
pub mod merge;
pub mod report;
pub mod rules;
pub mod run;
pub mod split;
pub mod stats;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};

use crate::cli::{Cli, Command, LabelsCommand, RulesCommand, StrategyArg};
use crate::label_files::read_schema;
use crate::labels::{MergeOptions, Strategy, TieRule};
use crate::progress::Console;
use crate::rules::{Matcher, RuleSet};

/// The merge options of a strategy, `--min-votes` K, `--tie` and `--strict` (from the
/// flags of `labels merge` or a pipeline config); contradictory values are usage errors
/// (exit 2) named by their flags.
pub fn vote_options(
    strategy: Option<StrategyArg>,
    min_votes: Option<u32>,
    tie: Option<&str>,
    strict: bool,
) -> Result<MergeOptions> {
    let strategy = match (strategy, min_votes) {
        (None | Some(StrategyArg::Majority), None) => Strategy::Majority,
        (Some(StrategyArg::Unanimous), None) => Strategy::Unanimous,
        (Some(StrategyArg::Any), None) => Strategy::Any,
        (None | Some(StrategyArg::MinVotes), Some(k)) => {
            if k == 0 {
                crate::usage_bail!("--min-votes must be at least 1");
            }
            Strategy::MinVotes(k)
        }
        (Some(StrategyArg::MinVotes), None) => {
            crate::usage_bail!("--strategy min-votes needs --min-votes K")
        }
        (Some(s), Some(_)) => crate::usage_bail!(
            "--min-votes conflicts with --strategy {}; use --strategy min-votes --min-votes K",
            clap::ValueEnum::to_possible_value(&s)
                .map_or_else(String::new, |v| v.get_name().to_owned())
        ),
    };
    let tie = match tie {
        None => TieRule::No,
        Some(_) if strategy != Strategy::Majority => {
            crate::usage_bail!("--tie only applies to --strategy majority")
        }
        Some("yes") => TieRule::Yes,
        Some(_) => TieRule::No,
    };
    Ok(MergeOptions {
        strategy,
        tie,
        strict,
        coverage: Default::default(),
    })
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
    let sources = crate::rule_files::load_sources(path)
        .with_context(|| format!("{}: cannot read rules", path.display()))?;
    if sources.is_empty() {
        bail!(
            "{}: no rule files (expected a .toml file or a directory of them)",
            path.display()
        );
    }
    let lexicons = std::sync::Mutex::new(Vec::new());
    let read = |p: &Path| {
        // A built-in pack's lexicons are no file on disk (nothing an output could replace).
        if !crate::builtin::is_builtin_path(p) {
            lexicons.lock().expect("not poisoned").push(p.to_path_buf());
        }
        crate::rule_files::read_text(p)
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
/// The text format a report is rendered in before it is written as `output` says.
pub fn render_format(output: crate::tables::ReportOutput) -> crate::eval::Format {
    use crate::tables::ReportOutput;
    match output {
        ReportOutput::Table => crate::eval::Format::Table,
        ReportOutput::Markdown => crate::eval::Format::Markdown,
        ReportOutput::Json => crate::eval::Format::Json,
        ReportOutput::Rows(_) => crate::eval::Format::Csv,
    }
}

/// The order of label rows of `--sort`.
pub fn sort_key(s: crate::cli::SortArg) -> crate::eval::SortKey {
    use crate::cli::SortArg;
    use crate::eval::SortKey;
    match s {
        SortArg::Label => SortKey::Label,
        SortArg::Support => SortKey::Support,
        SortArg::F1 => SortKey::F1,
    }
}

pub fn run(cli: Cli) -> Result<()> {
    let console = Console { quiet: cli.quiet };
    crate::walk::set_quiet(cli.quiet);
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
        Command::Rules(RulesCommand::Suggest(args)) => rules::suggest(args, console),
        Command::Rules(RulesCommand::List(args)) => rules::list(args, console),
        Command::Eval(args) => eval::run(args, console),
        Command::Compare(args) => compare::run(args, console),
        Command::Report(args) => report::run(args, console),
        Command::Demo(args) => run::demo(args.out.as_deref(), args.force, args.excel_safe, console),
        Command::Run(args) => run::run(args, console),
        Command::Export(args) => export::run(args, console),
        Command::Stats(args) => stats::run(args, console),
        Command::Combine(args) => combine::run(args, console),
    })
}
