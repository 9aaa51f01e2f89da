//! `sentlab run PIPELINE.toml` and `sentlab demo`: the whole loop (split, labels merge,
//! extract, eval) with every intermediate table written to one directory.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::ValueEnum;

use super::{compile_rules, vote_options};
use crate::cli::{RunArgs, StrategyArg};
use crate::corpus::{self, FieldNames, InputFormat, ReadOptions};
use crate::eval::{self, EvalData, EvalOptions, Gold, GroupBy, Predictions, Universe};
use crate::extraction::ExtractSummary;
use crate::label_files::{merge_files, print_summary, write_outputs};
use crate::labels::ImportOptions;
use crate::path_guard::PathGuard;
use crate::pipeline::PipelineConfig;
use crate::progress::Console;
use crate::report::build::{self as page, Inputs};
use crate::report::{Provenance, sha256_hex};
use crate::segment::{LineBreaks, SplitOptions};
use crate::sentence_table::SentenceTable;
use crate::split_corpus::split_to;
use crate::tables::{CsvOptions, Format, TableWriter, write_csv_text, write_text};

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
    "report.html",
];

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

/// The lock file of an output directory: `DIR.sentlab-lock` beside it.
fn lock_path(out_dir: &Path) -> Result<PathBuf> {
    let named = match out_dir.file_name() {
        Some(_) => out_dir.to_path_buf(),
        // `.`, `..` or a path ending in `..`: the directory by its own name.
        None => std::fs::canonicalize(out_dir)
            .with_context(|| format!("{}: cannot resolve directory", out_dir.display()))?,
    };
    let Some(name) = named.file_name() else {
        bail!(
            "{}: cannot be a run's output directory (choose a directory with a name)",
            out_dir.display()
        );
    };
    let mut lock = name.to_os_string();
    lock.push(".sentlab-lock");
    Ok(named.with_file_name(lock))
}

/// The exclusive lock of a run on its output directory: an advisory lock (`flock`) on
/// `DIR.sentlab-lock`, which holds the run's pid. Dropping it removes the file, then
/// releases the lock. A run that is killed leaves the file, but the system releases the
/// lock with the process, so the next run takes it.
struct OutLock {
    file: std::fs::File,
    path: PathBuf,
}

impl Drop for OutLock {
    fn drop(&mut self) {
        // Removed while still locked: a run waiting on this file then finds it gone (see
        // `lock_out_dir`). The lock goes when `file` is closed, right after.
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Takes the lock of `out_dir` for this process, or fails at once (exit 1) naming the pid
/// of the run that holds it. The lock file is registered for removal on a signal.
fn lock_out_dir(out_dir: &Path) -> Result<crate::signals::Tracked<OutLock>> {
    use std::io::{Read, Seek, Write};
    let path = lock_path(out_dir)?;
    // A lock file removed by the run that held it between our open and our lock is
    // another file than the one now at `path` (if any): open it again.
    const STALE: std::io::ErrorKind = std::io::ErrorKind::Interrupted;
    for _ in 0..100 {
        let taken = crate::signals::Tracked::create(
            false,
            || {
                let file = std::fs::OpenOptions::new()
                    .read(true)
                    .write(true)
                    .create(true)
                    .truncate(false)
                    .open(&path)?;
                match file.try_lock() {
                    Ok(()) => {}
                    Err(std::fs::TryLockError::WouldBlock) => {
                        return Err(std::io::ErrorKind::WouldBlock.into());
                    }
                    Err(std::fs::TryLockError::Error(e)) => return Err(e),
                }
                #[cfg(unix)]
                {
                    use std::os::unix::fs::MetadataExt;
                    let held = file.metadata()?;
                    match std::fs::metadata(&path) {
                        Ok(now) if now.dev() == held.dev() && now.ino() == held.ino() => {}
                        _ => return Err(STALE.into()),
                    }
                }
                let lock = OutLock {
                    file,
                    path: path.clone(),
                };
                let mut file = &lock.file;
                file.set_len(0)?;
                file.rewind()?;
                writeln!(file, "{}", std::process::id())?;
                file.flush()?;
                Ok(lock)
            },
            |l| &l.path,
        );
        match taken {
            Ok(lock) => return Ok(lock),
            Err(e) if e.kind() == STALE => continue,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                // The holder writes its pid right after it took the lock: wait a moment
                // for it.
                let mut pid = String::new();
                for _ in 0..50 {
                    pid.clear();
                    if let Ok(mut f) = std::fs::File::open(&path) {
                        let _ = f.read_to_string(&mut pid);
                    }
                    if !pid.trim().is_empty() {
                        break;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                let holder = match pid.trim() {
                    "" => String::new(),
                    pid => format!(" (pid {pid})"),
                };
                bail!(
                    "{}: another sentlab run{holder} is writing to this directory (lock file {}); wait for it to end or choose another output directory",
                    out_dir.display(),
                    path.display()
                );
            }
            Err(e) => {
                return Err(e).with_context(|| format!("{}: cannot lock", path.display()));
            }
        }
    }
    bail!(
        "{}: cannot lock (its lock file keeps being replaced)",
        path.display()
    )
}

/// The directories a run created for its output directory's missing parents: removed
/// again (if still empty) when the run fails.
struct CreatedDirs(Vec<PathBuf>);

impl CreatedDirs {
    /// Creates the missing parents of `dir`.
    fn parents_of(dir: &Path) -> Result<CreatedDirs> {
        let mut missing = Vec::new();
        let mut p = dir.parent();
        while let Some(d) = p.filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
            missing.push(d.to_path_buf());
            p = d.parent();
        }
        let mut created = CreatedDirs(Vec::new());
        for d in missing.into_iter().rev() {
            match std::fs::create_dir(&d) {
                Ok(()) => created.0.push(d),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => {
                    return Err(e)
                        .with_context(|| format!("{}: cannot create directory", d.display()));
                }
            }
        }
        Ok(created)
    }

    /// The run succeeded: the directories stay.
    fn keep(mut self) {
        self.0.clear();
    }
}

impl Drop for CreatedDirs {
    fn drop(&mut self) {
        for d in self.0.iter().rev() {
            let _ = std::fs::remove_dir(d);
        }
    }
}

/// Runs a pipeline config.
pub fn run(args: &RunArgs, console: Console) -> Result<()> {
    run_config(
        &args.pipeline,
        args.out.as_deref(),
        args.force,
        args.excel_safe,
        None,
        console,
    )
}

/// Runs the demo on the sample built into the binary: the sample, its label schema and the
/// default rule pack are written to a private temporary directory (removed when the run
/// ends, also on a signal) and run as its `sample/pipeline.toml`. Nothing is read from the
/// source tree, so the demo works from any directory, wherever the binary is.
pub fn demo(out: Option<&Path>, force: bool, excel_safe: bool, console: Console) -> Result<()> {
    let data = crate::signals::Tracked::create(
        true,
        || {
            tempfile::Builder::new()
                .prefix("sentlab-demo-data-")
                .tempdir()
        },
        |d| d.path(),
    )
    .context("cannot create a temporary directory for the built-in sample")?;
    crate::builtin::write_all(data.path()).with_context(|| {
        format!(
            "{}: cannot write the built-in sample",
            data.path().display()
        )
    })?;
    run_config(
        &data.path().join("sample/pipeline.toml"),
        out,
        force,
        excel_safe,
        Some("propaganda (built-in)"),
        console,
    )
}

/// Runs the pipeline config at `config_path`; `rules_name` names its rules in the printed
/// report (by default their path).
fn run_config(
    config_path: &Path,
    out: Option<&Path>,
    force: bool,
    excel_safe: bool,
    rules_name: Option<&str>,
    console: Console,
) -> Result<()> {
    let name = config_path.display().to_string();
    let text = std::fs::read_to_string(config_path)
        .with_context(|| format!("{name}: cannot read pipeline config"))?;
    let base = config_path.parent().unwrap_or(Path::new("."));
    let config = PipelineConfig::parse(&name, &text, base)?;
    let strategy = StrategyArg::from_str(&config.strategy, true).map_err(|_| {
        anyhow::anyhow!("{name}: `strategy`: unknown value `{}` (expected majority, unanimous, any or min-votes)", config.strategy)
    })?;
    let merge_options = vote_options(
        Some(strategy),
        config.min_votes,
        config.tie.as_deref(),
        false,
    )
    .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    let csv = CsvOptions::excel_safe(excel_safe || config.excel_safe);
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
    // One run at a time in DIR, for the whole run; DIR's missing parents are made for the
    // lock file and the staging directory (removed again if the run fails).
    let parents = CreatedDirs::parents_of(&out_dir)?;
    let _lock = lock_out_dir(&out_dir)?;
    // Rules compile before any output is written.
    let (_, matcher, lexicons) = compile_rules(&config.rules, None)?;
    guard.inputs("lexicon file", &lexicons).check()?;
    check_out_dir(&out_dir, force)?;
    // Everything is written into a temporary directory beside DIR and moved into DIR only
    // when every step succeeded, so a failed run leaves DIR as it was (or absent).
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
    let s = split_to(
        &sources,
        &read,
        &opts,
        Some(&path("sentences.csv")),
        Format::Csv,
        CsvOptions::default(),
        console,
    )?;
    console.info(format!(
        "split: {} articles, {} sentences -> {}",
        s.articles,
        s.sentences,
        out_dir.join("sentences.csv").display()
    ));
    let sentences = crate::sentence_table::read_rows(&path("sentences.csv"))?;
    if csv.excel_safe {
        // The steps below work on the table as split; the file becomes the one for
        // spreadsheets.
        let mut w = TableWriter::create_with(Some(&path("sentences.csv")), Format::Csv, csv)?;
        w.write_all(sentences.iter().cloned())?;
        w.finish()?;
    }

    // 2. labels merge
    let outcome = merge_files(
        &sentences,
        &config.annotators,
        config.adjudicator.as_deref(),
        config.schema.as_deref(),
        &ImportOptions::default(),
        &merge_options,
        false,
    )?;
    print_summary(&outcome.merged, console);
    let quiet = Console { quiet: true };
    write_outputs(
        &outcome,
        Some(&path("gold.csv")),
        Format::Csv,
        Some(&path("agreement.json")),
        Some(&path("conflicts.csv")),
        csv,
        quiet,
    )?;
    let agreement = crate::labels::render_table(&outcome.report);
    write_text(Some(&path("agreement.txt")), &agreement)?;

    // 3. extract
    let predictions =
        crate::extraction::predictions(&matcher, &SentenceTable::from_rows(&sentences), console)?;
    let mut w = TableWriter::create_with(Some(&path("predictions.csv")), Format::Csv, csv)?;
    w.write_all(predictions.iter().cloned())?;
    w.finish()?;
    let e = ExtractSummary::of(&predictions);
    console.info(format!(
        "extract: {} predictions on {} sentences -> {}",
        e.predictions,
        e.sentences_hit,
        out_dir.join("predictions.csv").display()
    ));

    // 4. eval, on the tables of the steps above
    let universe = Universe::from_sentences(&sentences)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path("sentences.csv").display()))?;
    let sentences_name = path("sentences.csv").display().to_string();
    let predictions_name = path("predictions.csv").display().to_string();
    let place = |row: usize| format!("{predictions_name}: data row {}", row + 1);
    let data = EvalData {
        universe: &universe,
        sentences: Some(&sentences),
        gold: Gold::Pairs(&outcome.merged.gold),
        predictions: Predictions::Rows(&predictions),
        schema: None,
        sentences_name: &sentences_name,
        predictions_name: &predictions_name,
        prediction_place: &place,
    };
    // The per-label reports take the config's `[eval]` options; the per-rule one has no
    // sort or intervals (as `eval --by rule`).
    let per_label = EvalOptions {
        labels: config.eval.labels.as_ref().map(|l| l.join(",")),
        sort: match config.eval.sort.as_deref() {
            Some("label") => eval::SortKey::Label,
            Some("f1") => eval::SortKey::F1,
            _ => eval::SortKey::Support,
        },
        bootstrap: config.eval.bootstrap.map(|n| eval::Resampling {
            n,
            seed: config.eval.seed.unwrap_or(eval::DEFAULT_SEED),
        }),
        ..EvalOptions::default()
    };
    let report = |format: eval::Format, by: GroupBy, list_errors: bool| {
        let options = match by {
            GroupBy::Label => EvalOptions {
                by,
                list_errors,
                format,
                ..per_label.clone()
            },
            GroupBy::Rule | GroupBy::Article | GroupBy::Confusion => EvalOptions {
                by,
                list_errors,
                format,
                labels: per_label.labels.clone(),
                ..EvalOptions::default()
            },
        };
        eval::report(&data, &options).report
    };
    let table = report(eval::Format::Table, GroupBy::Label, true)?;
    let errors = table.errors.as_deref().unwrap_or_default();
    write_csv_text(
        Some(&path("errors.csv")),
        &eval::render_errors_csv(errors),
        csv,
    )?;
    let table_text = table.text;
    write_text(Some(&path("eval.txt")), &table_text)?;
    let rows = report(eval::Format::Csv, GroupBy::Label, false)?;
    write_csv_text(Some(&path("eval.csv")), &rows.text, csv)?;
    let json = report(eval::Format::Json, GroupBy::Label, false)?;
    write_text(Some(&path("eval.json")), &json.text)?;
    let by_rule = report(eval::Format::Csv, GroupBy::Rule, false)?;
    write_csv_text(Some(&path("eval-by-rule.csv")), &by_rule.text, csv)?;

    // 5. the page of the evaluation (all labels, as `sentlab report` on these tables; the
    // intervals of `[eval]`'s bootstrap and seed, else report's defaults).
    let gold_pairs: Vec<(String, String)> = outcome
        .merged
        .gold
        .iter()
        .map(|g| (g.sentence_id.clone(), g.label.clone()))
        .collect();
    let hash = |f: &str| -> Result<String> {
        let bytes = std::fs::read(path(f)).with_context(|| format!("{f}: cannot read it back"))?;
        Ok(sha256_hex(&bytes))
    };
    let mut hashes = Vec::new();
    if config.rules.is_file() {
        let bytes = std::fs::read(&config.rules)
            .with_context(|| format!("{}: cannot read file", config.rules.display()))?;
        hashes.push(("rules".to_owned(), sha256_hex(&bytes)));
    }
    hashes.push(("gold".to_owned(), hash("gold.csv")?));
    hashes.push(("predictions".to_owned(), hash("predictions.csv")?));
    let provenance = Provenance {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        command: page::command_line(),
        hashes,
    };
    let (n, seed) = config
        .eval
        .bootstrap
        .map_or((1000, eval::DEFAULT_SEED), |n| {
            (n, config.eval.seed.unwrap_or(eval::DEFAULT_SEED))
        });
    let gold_name = out_dir.join("gold.csv").display().to_string();
    let pred_name = out_dir.join("predictions.csv").display().to_string();
    let built = page::build(&Inputs {
        sentences: &sentences,
        sentences_name: &sentences_name,
        gold: &gold_pairs,
        gold_name: &gold_name,
        pred: page::Predictions {
            name: &pred_name,
            rows: &predictions,
        },
        pred_b: None,
        permutations: 0,
        agreement: Some(&outcome.report),
        bootstrap: n as usize,
        seed,
        max_articles: 50,
        provenance: &provenance,
    })?;
    for w in &built.warnings {
        console.warn(w);
    }
    write_text(Some(&path("report.html")), &built.html)?;
    // DIR is created only now, when the tables move in.
    let created = !out_dir.exists();
    if created {
        std::fs::create_dir(&out_dir)
            .with_context(|| format!("{}: cannot create directory", out_dir.display()))?;
    }
    let moved = OUTPUTS.iter().try_for_each(|f| {
        let from = path(f);
        if from.exists() {
            std::fs::rename(&from, out_dir.join(f))
                .with_context(|| format!("{}: cannot move {f} into place", out_dir.display()))?;
        }
        Ok::<_, anyhow::Error>(())
    });
    if let Err(e) = moved {
        if created {
            let _ = std::fs::remove_dir_all(&out_dir);
        }
        return Err(e);
    }
    crate::signals::sync_dir(&out_dir)
        .with_context(|| format!("{}: cannot sync directory", out_dir.display()))?;
    if created {
        crate::signals::sync_dir(beside)
            .with_context(|| format!("{}: cannot sync directory", beside.display()))?;
    }
    parents.keep();
    console.info(format!("eval: tables in {}", out_dir.display()));

    let rules_name = rules_name.map_or_else(|| config.rules.display().to_string(), str::to_string);
    let printed = summary(
        &built.report,
        &format!(
            "rules {rules_name} vs gold by {:?} vote",
            merge_options.strategy
        ),
        &out_dir,
    );
    write_text(None, &printed)?;
    Ok(())
}

/// What `run` and `demo` print: the headline scores with their intervals, the three worst
/// labels by F1 and where the tables and the page are (the full tables are in the files).
fn summary(report: &eval::Report, what: &str, out_dir: &Path) -> String {
    let f = |v: Option<f64>| v.map_or("-".to_owned(), |v| format!("{v:.3}"));
    let ci = |row: &eval::Row| {
        row.ci
            .and_then(|c| c.f1)
            .map_or("-".to_owned(), |i| format!("[{:.3}, {:.3}]", i.lo, i.hi))
    };
    let mut o = format!("Precision, recall and F1 ({what}):\n\n");
    if let Some((n, seed)) = report.bootstrap {
        o += &format!(
            "Headline scores (95% intervals: {n} bootstrap resamples of articles, seed {seed}):\n"
        );
    } else {
        o += "Headline scores:\n";
    }
    let mut heads = vec![&report.micro, &report.macro_];
    heads.extend(report.any.as_ref());
    for row in heads {
        let m = row.metrics;
        o += &format!(
            "  {:<6} F1 {}  {}  P {}  R {}\n",
            row.label,
            f(m.f1),
            ci(row),
            f(m.precision),
            f(m.recall)
        );
    }
    // Worst first: lowest F1 (undefined counts as 0, as in the macro average), then the
    // most gold sentences, then by name.
    let mut worst: Vec<&eval::Row> = report.labels.iter().collect();
    worst.sort_by(|a, b| {
        a.metrics
            .f1
            .unwrap_or(0.0)
            .total_cmp(&b.metrics.f1.unwrap_or(0.0))
            .then_with(|| b.support.cmp(&a.support))
            .then_with(|| a.label.cmp(&b.label))
    });
    worst.truncate(3);
    if !worst.is_empty() {
        let width = worst
            .iter()
            .map(|r| r.label.chars().count())
            .max()
            .unwrap_or(0);
        o += "\nWorst labels by F1:\n";
        for r in worst {
            let n = |v: Option<u64>| v.unwrap_or(0);
            o += &format!(
                "  {:<width$}  F1 {}  (tp {}, fp {}, fn {})\n",
                r.label,
                f(r.metrics.f1),
                n(r.tp),
                n(r.fp),
                n(r.fn_)
            );
        }
    }
    o += &format!(
        "\nTables (agreement, evaluation, errors): {}\nReport: {}\n",
        out_dir.display(),
        out_dir.join("report.html").display()
    );
    o
}
