//! `sentlab export`: any sentlab table to CSV, Parquet, JSON Lines or Arrow IPC, through
//! polars, for pandas, R, DuckDB and spreadsheets.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use polars::prelude::*;

use crate::cli::ExportArgs;
use crate::path_guard::PathGuard;
use crate::progress::Console;
use crate::table::Output;

/// Extensions `export` reads and writes.
pub const KNOWN: &[&str] = &["csv", "parquet", "jsonl", "arrow"];

/// Columns of sentlab tables that hold integers (the rest stay text, so ids like `007`
/// keep their zeros).
const INTEGER_COLUMNS: &[&str] = &[
    "index",
    "paragraph",
    "start",
    "end",
    "votes",
    "tp",
    "fp",
    "fn",
    "support",
];

fn extension(path: &Path) -> Result<String> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "csv" | "parquet" | "jsonl" | "arrow" => Ok(ext),
        "ndjson" => Ok("jsonl".into()),
        "ipc" | "feather" => Ok("arrow".into()),
        _ => bail!(
            "{}: unknown table extension `{}` (known: {})",
            path.display(),
            ext,
            KNOWN
                .iter()
                .map(|e| format!(".{e}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Reads a table file into a frame (CSV columns as text, then integer columns cast).
pub fn read_frame(path: &Path) -> Result<DataFrame> {
    let name = path.display().to_string();
    let ext = extension(path)?;
    let file = || std::fs::File::open(path).with_context(|| format!("{name}: cannot read file"));
    let df = match ext.as_str() {
        "csv" => CsvReadOptions::default()
            .with_has_header(true)
            .with_infer_schema_length(Some(0))
            .try_into_reader_with_file_path(Some(PathBuf::from(path)))
            .and_then(|r| r.finish()),
        "parquet" => ParquetReader::new(file()?).finish(),
        "jsonl" => JsonReader::new(file()?)
            .with_json_format(JsonFormat::JsonLines)
            .finish(),
        _ => IpcReader::new(file()?).finish(),
    }
    .map_err(|e| anyhow!("{name}: cannot read table: {e}"))?;
    let mut df = df;
    if ext == "csv" {
        for col in INTEGER_COLUMNS {
            if df.column(col).is_ok() {
                let cast = df
                    .column(col)?
                    .cast(&DataType::Int64)
                    .map_err(|e| anyhow!("{name}: column `{col}`: {e}"))?;
                if cast.null_count() > df.column(col)?.null_count() {
                    bail!("{name}: column `{col}` holds values that are not integers");
                }
                df.replace(col, cast)?;
            }
        }
    }
    Ok(df)
}

/// Prefixes text cells that start with `=`, `+`, `-` or `@` with `'`.
pub fn excel_safe(df: &mut DataFrame) -> Result<()> {
    let names: Vec<String> = df
        .columns()
        .iter()
        .filter(|c| c.dtype() == &DataType::String)
        .map(|c| c.name().to_string())
        .collect();
    for name in names {
        let ca = df.column(&name)?.str()?.clone();
        let safe: StringChunked = ca
            .iter()
            .map(|v| {
                v.map(|s| {
                    if s.starts_with(['=', '+', '-', '@']) {
                        format!("'{s}")
                    } else {
                        s.to_string()
                    }
                })
            })
            .collect();
        df.replace(
            &name,
            safe.with_name(name.as_str().into())
                .into_series()
                .into_column(),
        )?;
    }
    Ok(())
}

/// Runs `export`.
pub fn run(args: &ExportArgs, console: Console) -> Result<()> {
    PathGuard::new()
        .input("TABLE", &args.table)
        .output("-o", Some(&args.output))
        .check()?;
    let out_ext = extension(&args.output)?;
    let mut df = read_frame(&args.table)?;
    if args.excel_safe {
        excel_safe(&mut df)?;
    }
    let name = args.output.display().to_string();
    let mut out = Output::create(Some(&args.output))?;
    match out_ext.as_str() {
        "csv" => CsvWriter::new(&mut out)
            .include_header(true)
            .finish(&mut df),
        "parquet" => ParquetWriter::new(&mut out).finish(&mut df).map(|_| ()),
        "jsonl" => JsonWriter::new(&mut out)
            .with_json_format(JsonFormat::JsonLines)
            .finish(&mut df),
        _ => IpcWriter::new(&mut out).finish(&mut df),
    }
    .map_err(|e| anyhow!("{name}: cannot write: {e}"))?;
    out.commit()?;
    console.info(format!(
        "export: {} rows x {} columns -> {name}",
        df.height(),
        df.width()
    ));
    Ok(())
}
