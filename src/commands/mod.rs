//! One module per subcommand: each reads its inputs, calls the pure modules and writes its
//! outputs. Only these modules (and [`crate::tables`], [`crate::corpus`]) touch files. The
//! helpers here are shared by several commands.

pub mod eval;
pub mod export;
pub mod extract;
pub mod merge;
pub mod run;
pub mod split;
pub mod stats;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::cli::{Cli, Command, LabelsCommand, RulesCommand};
use crate::labels::{self, ImportOptions, LabelFile, MergeSummary, SentenceIndex};
use crate::progress::Console;

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

/// Skipped rows counted by reason, `N reason, M reason` (reasons in sorted order), then
/// ` (first: FIRST)` when `first` is given; `none skipped` when there are no reasons.
pub fn count_skipped<'a>(
    reasons: impl IntoIterator<Item = &'a str>,
    first: Option<&str>,
) -> String {
    let mut counts: std::collections::BTreeMap<&str, u64> = Default::default();
    for r in reasons {
        *counts.entry(r).or_default() += 1;
    }
    if counts.is_empty() {
        return "none skipped".to_string();
    }
    let counts: Vec<String> = counts.iter().map(|(r, n)| format!("{n} {r}")).collect();
    match first {
        Some(first) => format!("{} (first: {first})", counts.join(", ")),
        None => counts.join(", "),
    }
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
    let files = crate::walk::files(path, false, &|p| {
        p.extension().is_some_and(|e| e == "labels")
    })?;
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
    count_skipped(s.skipped.iter().map(|r| r.reason.key()), None)
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

/// Runs the parsed command line on a thread pool of the requested size.
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
        Command::Rules(RulesCommand::Check(args)) => extract::check(args, console),
        Command::Rules(RulesCommand::Explain(args)) => extract::explain(args, console),
        Command::Eval(args) => eval::run(args, console),
        Command::Demo(args) => run::demo(args.out.as_deref(), args.force, console),
        Command::Run(args) => run::run(args, console),
        Command::Export(args) => export::run(args, console),
        Command::Stats(args) => stats::run(args, console),
    })
}

#[cfg(test)]
mod tests {
    use super::count_skipped;

    #[test]
    fn skipped_rows_are_counted_by_reason_in_sorted_order() {
        // b twice, a once: "1 a, 2 b".
        assert_eq!(count_skipped(["b", "a", "b"], None), "1 a, 2 b");
        assert_eq!(
            count_skipped(["b", "a", "b"], Some("f.csv:3")),
            "1 a, 2 b (first: f.csv:3)"
        );
        assert_eq!(count_skipped([], Some("f.csv:3")), "none skipped");
    }
}
