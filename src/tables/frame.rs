//! Whole tables as polars frames: any format in, any format out, with sentlab's column
//! types (used by `export` and for reports written as Parquet, Arrow or JSON Lines).

use std::io::Cursor;
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use polars::prelude::*;

use super::{Format, Output, known_extensions};

/// Columns of sentlab tables and reports that hold integers (the rest stay text, so ids
/// like `007` keep their zeros).
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
    "predicted",
    "fired",
    "unique_tp",
    "overlap",
    "conflict",
];

/// Columns of sentlab reports that hold fractions (precision, recall, F1 and their
/// interval bounds).
fn is_fraction_column(name: &str) -> bool {
    ["precision", "recall", "f1"]
        .iter()
        .any(|m| name == *m || name == format!("{m}_lo") || name == format!("{m}_hi"))
}

/// The format of an input table, by its extension.
fn input_format(path: &Path) -> Result<Format> {
    Format::from_path(path).ok_or_else(|| {
        anyhow!(
            "{}: unknown table extension (known: {})",
            path.display(),
            known_extensions()
        )
    })
}

/// Reads a table file into a frame (CSV columns as text, then the integer and fraction
/// columns cast).
pub fn read_frame(path: &Path) -> Result<DataFrame> {
    let name = path.display().to_string();
    let format = input_format(path)?;
    let file = || std::fs::File::open(path).with_context(|| format!("{name}: cannot read file"));
    let df = match format {
        Format::Csv => {
            let bytes = std::fs::read(path).with_context(|| format!("{name}: cannot read file"))?;
            return frame_from_csv(&name, bytes);
        }
        Format::Parquet => ParquetReader::new(file()?).finish(),
        Format::Jsonl => JsonReader::new(file()?)
            .with_json_format(JsonFormat::JsonLines)
            .finish(),
        Format::Arrow => IpcReader::new(file()?).finish(),
    };
    df.map_err(|e| anyhow!("{name}: cannot read table: {e}"))
}

/// A Parquet or Arrow table as CSV text with a header (what the CSV readers of every table
/// kind take; their line numbers are then the data row numbers plus one). An error names
/// the file.
pub fn csv_text(path: &Path) -> Result<String> {
    let name = path.display().to_string();
    let mut df = read_frame(path)?;
    let mut bytes = Vec::new();
    CsvWriter::new(&mut bytes)
        .include_header(true)
        .finish(&mut df)
        .map_err(|e| anyhow!("{name}: cannot read table: {e}"))?;
    String::from_utf8(bytes).map_err(|_| anyhow!("{name}: text columns are not UTF-8"))
}

/// Whether a path names a Parquet or Arrow file (read through polars).
pub fn is_columnar(path: &Path) -> bool {
    matches!(
        Format::from_path(path),
        Some(Format::Parquet | Format::Arrow)
    )
}

/// A CSV table (bytes) as a frame: every column text, then the integer and fraction columns
/// of sentlab's tables cast to numbers (an empty cell is null).
pub fn frame_from_csv(name: &str, bytes: Vec<u8>) -> Result<DataFrame> {
    let mut df = CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .into_reader_with_file_handle(Cursor::new(bytes))
        .finish()
        .map_err(|e| anyhow!("{name}: cannot read table: {e}"))?;
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|c| c.to_string())
        .collect();
    for col in &names {
        let (dtype, what) = if INTEGER_COLUMNS.contains(&col.as_str()) {
            (DataType::Int64, "integers")
        } else if is_fraction_column(col) {
            (DataType::Float64, "numbers")
        } else {
            continue;
        };
        let cast = df
            .column(col)?
            .cast(&dtype)
            .map_err(|e| anyhow!("{name}: column `{col}`: {e}"))?;
        if cast.null_count() > df.column(col)?.null_count() {
            bail!("{name}: column `{col}` holds values that are not {what}");
        }
        df.replace(col, cast)?;
    }
    Ok(df)
}

/// Writes a frame to `path` (stdout when `None` or `-`) in `format`, atomically.
pub fn write_frame(path: Option<&Path>, format: Format, df: &mut DataFrame) -> Result<()> {
    let name = path.map_or("<stdout>".into(), |p| p.display().to_string());
    let mut out = Output::create(path)?;
    match format {
        Format::Csv => CsvWriter::new(&mut out).include_header(true).finish(df),
        Format::Parquet => ParquetWriter::new(&mut out).finish(df).map(|_| ()),
        Format::Jsonl => JsonWriter::new(&mut out)
            .with_json_format(JsonFormat::JsonLines)
            .finish(df),
        Format::Arrow => IpcWriter::new(&mut out)
            .with_compat_level(CompatLevel::oldest())
            .finish(df),
    }
    .map_err(|e| anyhow!("{name}: cannot write: {e}"))?;
    out.commit()
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
