//! `sentlab export`: any sentlab table to CSV, Parquet, JSON Lines or Arrow IPC, through
//! polars, for pandas, R, DuckDB and spreadsheets; with `--to`, predictions as
//! pre-annotations for Label Studio, doccano or PTC span files.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use sentlab_core::preannotate::{self, ArticleText, Collected, LabelStudioNames, OffsetUnit};

use crate::cli::{ExportArgs, ExportTool, OffsetsUnit};
use crate::corpus::{self, Article, FieldNames, InputFormat, ReadOptions, Source};
use crate::path_guard::PathGuard;
use crate::progress::Console;
use crate::rows::PredictionRow;
use crate::tables::{self, CsvOptions, Format, Output, frame};

/// Runs `export`.
pub fn run(args: &ExportArgs, console: Console) -> Result<()> {
    if let Some(tool) = args.to {
        return run_to(args, tool, console);
    }
    let table = args
        .table
        .as_ref()
        .expect("clap requires TABLE without --to");
    PathGuard::new()
        .input("TABLE", table)
        .output("-o", Some(&args.output))
        .check()?;
    let out_format = Format::for_output(None, Some(&args.output))?;
    let csv = CsvOptions::for_outputs(args.excel_safe, out_format == Format::Csv)?;
    let mut df = frame::read_frame(table)?;
    frame::write_frame_with(Some(&args.output), out_format, &mut df, csv)?;
    console.info(format!(
        "export: {} rows x {} columns -> {}",
        df.height(),
        df.width(),
        args.output.display()
    ));
    Ok(())
}

/// The labeling config's path: `--config-out`, else the output with the extension `.xml`.
fn config_path(args: &ExportArgs) -> PathBuf {
    args.config_out
        .clone()
        .unwrap_or_else(|| args.output.with_extension("xml"))
}

/// Refuses (exit 2) what `--to TOOL` cannot use or would ignore.
fn check_flags(args: &ExportArgs, tool: ExportTool) -> Result<()> {
    if args.pred.is_none() || args.articles.is_empty() {
        crate::usage_bail!(
            "--to needs --pred FILE (the predictions) and --articles INPUT... (the articles they were made on)"
        );
    }
    if args.output.as_os_str() == "-" {
        crate::usage_bail!("--to writes files: give -o a path, not `-`");
    }
    if tool != ExportTool::LabelStudio {
        let given: Vec<&str> = [
            (args.model_version.is_some(), "--model-version"),
            (args.rules.is_some(), "--rules"),
            (args.from_name.is_some(), "--from-name"),
            (args.to_name.is_some(), "--to-name"),
            (args.config_out.is_some(), "--config-out"),
        ]
        .into_iter()
        .filter_map(|(g, f)| g.then_some(f))
        .collect();
        if let Some(first) = given.first() {
            crate::usage_bail!(
                "{first} is for --to label-studio (its predictions and labeling config); {} files have no such field",
                tool_name(tool)
            );
        }
    }
    if tool == ExportTool::Ptc && args.offsets == Some(OffsetsUnit::Utf16) {
        crate::usage_bail!(
            "PTC span files count code points (sentlab reads them so): --offsets utf16 is for label-studio and doccano"
        );
    }
    if matches!(tool, ExportTool::LabelStudio) {
        for (flag, name) in [
            ("--from-name", args.from_name.as_deref()),
            ("--to-name", args.to_name.as_deref()),
            ("--model-version", args.model_version.as_deref()),
        ] {
            if name.is_some_and(|n| n.trim().is_empty()) {
                crate::usage_bail!("{flag} is empty (expected a name)");
            }
        }
        if args.from_name.is_some() && args.from_name == args.to_name {
            crate::usage_bail!(
                "--from-name and --to-name are both `{}`: the <Labels> control and the <Text> object need different names",
                args.from_name.as_deref().unwrap_or_default()
            );
        }
    }
    Ok(())
}

fn tool_name(tool: ExportTool) -> &'static str {
    match tool {
        ExportTool::LabelStudio => "label-studio",
        ExportTool::Doccano => "doccano",
        ExportTool::Ptc => "ptc",
    }
}

/// The default offset unit of each tool (the unit of the version the docs name).
fn unit_of(tool: ExportTool, given: Option<OffsetsUnit>) -> OffsetUnit {
    let unit = given.unwrap_or(match tool {
        ExportTool::Doccano => OffsetsUnit::Utf16,
        ExportTool::LabelStudio | ExportTool::Ptc => OffsetsUnit::Codepoint,
    });
    match unit {
        OffsetsUnit::Codepoint => OffsetUnit::CodePoint,
        OffsetsUnit::Utf16 => OffsetUnit::Utf16,
    }
}

/// Every article of the inputs, read as `split` reads them.
fn read_articles(args: &ExportArgs, console: Console) -> Result<Vec<Article>> {
    let read = ReadOptions {
        format: args.input_format,
        has_title: true,
        lossy: args.lossy,
        fields: FieldNames {
            id: args.id_field.clone(),
            title: args.title_field.clone(),
            text: args.text_field.clone(),
        },
    };
    let mut articles = Vec::new();
    let mut warnings = Vec::new();
    for source in corpus::discover(&args.articles)? {
        match &source {
            // A Parquet or Arrow table of articles: read as the CSV it holds.
            Source::File(p)
                if frame::is_columnar(p)
                    && matches!(read.format, InputFormat::Auto | InputFormat::Csv) =>
            {
                let text = frame::csv_text(p)?;
                articles.extend(corpus::parse_csv(&source.display(), &text, &read.fields)?);
            }
            _ => articles.extend(corpus::read_source(&source, &read, &mut warnings)?),
        }
    }
    for w in warnings {
        console.warn(w);
    }
    let mut seen = std::collections::HashMap::new();
    for a in &articles {
        if let Some(first) = seen.insert(a.id.as_str(), a.origin.as_str()) {
            bail!(
                "{}: article id `{}` again (first at {first}); expected each article once",
                a.origin,
                a.id
            );
        }
    }
    Ok(articles)
}

/// `export --to TOOL`.
fn run_to(args: &ExportArgs, tool: ExportTool, console: Console) -> Result<()> {
    check_flags(args, tool)?;
    let pred = args.pred.as_ref().expect("checked");
    let config = (tool == ExportTool::LabelStudio).then(|| config_path(args));
    let mut guard = PathGuard::new()
        .input("--pred", pred)
        .searched_inputs("--articles", &args.articles, "txt", true)
        .output("-o", Some(&args.output))
        .output("--config-out", config.as_ref());
    if let Some(rules) = &args.rules {
        guard = guard.input("--rules", rules);
    }
    guard.check()?;
    if tool == ExportTool::Ptc {
        check_out_dir(&args.output)?;
    }
    let unit = unit_of(tool, args.offsets);
    let rows: Vec<PredictionRow> = tables::read_table(pred)?;
    let articles = read_articles(args, console)?;
    let texts: Vec<ArticleText<'_>> = articles
        .iter()
        .map(|a| ArticleText {
            id: &a.id,
            text: &a.text,
        })
        .collect();
    let pred_name = tables::input::display_name(pred);
    let collected = preannotate::collect(&texts, &rows).map_err(|e| anyhow!("{pred_name}: {e}"))?;
    let skipped = skipped_summary(&collected, &pred_name);
    if args.strict && !collected.skipped.is_empty() {
        bail!(
            "{pred_name}: {} prediction row(s) left out ({skipped}); --strict makes this an error",
            collected.skipped.len()
        );
    }
    if !collected.skipped.is_empty() {
        console.warn(format!(
            "{pred_name}: {} prediction row(s) left out: {skipped}",
            collected.skipped.len()
        ));
    }
    match tool {
        ExportTool::LabelStudio => {
            let model_version = model_version(args);
            let names = LabelStudioNames {
                from_name: args.from_name.as_deref().unwrap_or("label"),
                to_name: args.to_name.as_deref().unwrap_or("text"),
                model_version: &model_version,
            };
            let labels = collected.spans.iter().flatten().map(|s| s.label.as_str());
            let xml = preannotate::label_studio_config(labels, names.from_name, names.to_name)
                .map_err(|e| anyhow!("labeling config: {e}"))?;
            // Both files are opened (as temporary files) before either is written, so a
            // config that cannot be created leaves no tasks file either.
            let mut config_out = Output::create(config.as_deref())?;
            let mut out = Output::create(Some(&args.output))?;
            let name = args.output.display().to_string();
            let mut put = |s: &str| {
                out.write_all(s.as_bytes())
                    .with_context(|| format!("{name}: cannot write"))
            };
            put("[")?;
            for (i, (a, spans)) in texts.iter().zip(&collected.spans).enumerate() {
                put(if i == 0 { "\n" } else { ",\n" })?;
                put(&preannotate::label_studio_task(*a, spans, unit, &names))?;
            }
            put("\n]\n")?;
            let config_name = config.as_ref().expect("label-studio").display().to_string();
            config_out
                .write_all(xml.as_bytes())
                .with_context(|| format!("{config_name}: cannot write"))?;
            out.commit()?;
            config_out.commit()?;
        }
        ExportTool::Doccano => {
            let mut out = Output::create(Some(&args.output))?;
            let name = args.output.display().to_string();
            for (a, spans) in texts.iter().zip(&collected.spans) {
                let line = preannotate::doccano_line(*a, spans, unit);
                out.write_all(line.as_bytes())
                    .and_then(|_| out.write_all(b"\n"))
                    .with_context(|| format!("{name}: cannot write"))?;
            }
            out.commit()?;
        }
        ExportTool::Ptc => write_ptc_dir(&args.output, &texts, &collected)?,
    }
    let mut summary = format!(
        "export: {} articles, {} spans ({} offsets{}) -> {}",
        texts.len(),
        collected.span_count(),
        match unit {
            OffsetUnit::CodePoint => "code-point",
            OffsetUnit::Utf16 => "UTF-16",
        },
        if collected.duplicates > 0 {
            format!(
                "; {} row(s) repeating a span written once",
                collected.duplicates
            )
        } else {
            String::new()
        },
        args.output.display()
    );
    if let Some(config) = &config {
        summary.push_str(&format!(", labeling config -> {}", config.display()));
    }
    console.info(summary);
    Ok(())
}

/// `model_version`: `--model-version`, else the file stem of `--rules`, else `sentlab`.
fn model_version(args: &ExportArgs) -> String {
    if let Some(m) = &args.model_version {
        return m.clone();
    }
    args.rules
        .as_ref()
        .and_then(|r| {
            let r = std::fs::canonicalize(r).unwrap_or_else(|_| r.clone());
            r.file_stem().map(|s| s.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "sentlab".to_string())
}

/// Skipped rows by reason, naming the first (`FILE: data row N`).
fn skipped_summary(collected: &Collected, pred_name: &str) -> String {
    let first = collected
        .skipped
        .first()
        .map(|(row, _)| format!("{pred_name}: data row {}", row + 1));
    crate::progress::count_skipped(
        collected.skipped.iter().map(|(_, r)| r.key()),
        first.as_deref(),
    )
}

/// The PTC output directory must be new or empty (its files are all written, or none).
fn check_out_dir(dir: &Path) -> Result<()> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                bail!(
                    "{}: output directory holds files; give a new or empty directory for the span files",
                    dir.display()
                );
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| format!("{}: cannot read directory", dir.display())),
    }
}

/// Writes one span file per article into a temporary directory beside `dir`, then moves it
/// into place (an empty `dir` is replaced).
fn write_ptc_dir(dir: &Path, texts: &[ArticleText<'_>], collected: &Collected) -> Result<()> {
    // Names first: every problem before anything is written.
    let mut files = Vec::with_capacity(texts.len());
    let mut lower = std::collections::HashMap::new();
    for (a, spans) in texts.iter().zip(&collected.spans) {
        let name = preannotate::ptc_file_name(a.id).map_err(|e| anyhow!("{e}"))?;
        // Two names differing only in case are one file on some file systems.
        if let Some(other) = lower.insert(name.to_lowercase(), a.id) {
            bail!(
                "article ids `{other}` and `{}` differ only in case: their span files would be one file on a case-insensitive file system",
                a.id
            );
        }
        let body = preannotate::ptc_file(a.id, spans).map_err(|e| anyhow!("{e}"))?;
        files.push((name, body));
    }
    let beside = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let staging = crate::signals::Tracked::create(
        true,
        || {
            tempfile::Builder::new()
                .prefix(".sentlab-export-")
                .tempdir_in(beside)
        },
        |d| d.path(),
    )
    .with_context(|| {
        format!(
            "{}: cannot create a temporary directory beside it",
            dir.display()
        )
    })?;
    for (name, body) in &files {
        tables::write_text(Some(&staging.path().join(name)), body)?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(staging.path(), std::fs::Permissions::from_mode(0o755))
            .with_context(|| format!("{}: cannot set permissions", dir.display()))?;
    }
    staging
        .settle(|d| {
            if dir.exists() {
                // Checked empty before; remove_dir fails if something appeared since.
                std::fs::remove_dir(dir)?;
            }
            std::fs::rename(d.path(), dir)?;
            // The directory is in place: nothing to remove any more.
            let _ = d.keep();
            Ok::<_, std::io::Error>(())
        })
        .with_context(|| format!("{}: cannot move the span files into place", dir.display()))?;
    crate::signals::sync_dir(beside)
        .with_context(|| format!("{}: cannot sync directory", beside.display()))?;
    Ok(())
}
