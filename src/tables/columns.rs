//! Column-wise reading of large tables: only the named string columns, with polars' CSV
//! reader for CSV files (ten million rows cost two string columns, not ten million
//! structs). Used by `eval` for sentence ids, gold and prediction pairs.

use std::io::BufRead;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result, anyhow, bail};
use polars::prelude::{CsvReadOptions, DataFrame, DataType, PlSmallStr, SerReader};

use super::input::{self, is_stdin};
use super::{Format, check_columns, frame, input_text};

/// Reads the named string columns of a table (a file or `-`, in any format), after
/// checking the header holds them (naming the file and the columns found when not). A CSV
/// error is located by file and line; an empty value in a required column is an error. An
/// empty file has no rows but is not an error when `allow_empty`.
pub fn read_columns(path: &Path, columns: &[&str], allow_empty: bool) -> Result<DataFrame> {
    let name = input::display_name(path);
    let df = match input::format_of(path)? {
        Format::Jsonl => jsonl_columns(&name, &input_text(input::read(path)?)?, columns)?,
        Format::Parquet | Format::Arrow => {
            let df = frame::read_frame(path)?;
            let found: Vec<String> = df
                .get_column_names()
                .iter()
                .map(|c| c.to_string())
                .collect();
            check_columns(&name, &found, columns)?;
            let mut cols = Vec::new();
            for c in columns {
                cols.push(df.column(c)?.cast(&DataType::String)?);
            }
            DataFrame::new(df.height(), cols)?
        }
        Format::Csv => match csv_columns(path, &name, columns)? {
            Some(df) => df,
            None if allow_empty => {
                let cols = columns
                    .iter()
                    .map(|c| polars::prelude::Column::new((*c).into(), Vec::<String>::new()))
                    .collect();
                return Ok(DataFrame::new(0, cols)?);
            }
            None => {
                check_columns::<&str>(&name, &[], columns)?;
                unreachable!("no columns found, some expected")
            }
        },
    };
    for c in columns {
        let ca = df.column(c)?.str()?;
        if ca.null_count() > 0 {
            let row = ca.iter().position(|v| v.is_none()).unwrap_or(0);
            bail!(
                "{name}: data row {}: no value in column `{c}` (expected a value in every row)",
                row + 1
            );
        }
    }
    Ok(df)
}

/// The columns of a CSV table read by polars (a file is read from its path, not loaded
/// first); `None` for an empty file.
fn csv_columns(path: &Path, name: &str, columns: &[&str]) -> Result<Option<DataFrame>> {
    let mut first = String::new();
    if is_stdin(path) {
        let bytes = input::stdin_bytes()?;
        let end = memchr::memchr(b'\n', bytes).map_or(bytes.len(), |i| i + 1);
        first = String::from_utf8_lossy(&bytes[..end]).into_owned();
    } else {
        let f = std::fs::File::open(path).with_context(|| format!("{name}: cannot read file"))?;
        std::io::BufReader::new(f)
            .read_line(&mut first)
            .with_context(|| format!("{name}: cannot read file (expected UTF-8 CSV)"))?;
    }
    let first = first.trim_start_matches('\u{FEFF}').trim_end();
    if first.is_empty() {
        return Ok(None);
    }
    let mut reader = csv::ReaderBuilder::new().from_reader(first.as_bytes());
    let found: Vec<String> = reader
        .headers()
        .map(|h| h.iter().map(str::to_string).collect())
        .unwrap_or_default();
    check_columns(name, &found, columns)?;
    let cols: Arc<[PlSmallStr]> = columns.iter().map(|c| PlSmallStr::from(*c)).collect();
    let options = CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .with_columns(Some(cols));
    let df = if is_stdin(path) {
        let bytes = input::stdin_bytes()?;
        options
            .into_reader_with_file_handle(std::io::Cursor::new(bytes))
            .finish()
    } else {
        options
            .try_into_reader_with_file_path(Some(path.to_path_buf()))
            .and_then(|r| r.finish())
    };
    df.map(Some)
        .map_err(|e| locate_csv_error(path, name).unwrap_or_else(|| anyhow!("{name}: {e}")))
}

/// Finds the first malformed record of a CSV table with the csv crate (only run after
/// polars failed), for an error that names the line.
fn locate_csv_error(path: &Path, name: &str) -> Option<anyhow::Error> {
    let bytes = match input::read(path) {
        Ok(input) => input.bytes,
        Err(e) => return Some(e),
    };
    if let Err(e) = crate::corpus::decode(name, bytes.clone(), false) {
        return Some(e);
    }
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes.as_slice());
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => return None,
            Err(e) => return Some(crate::corpus::csv_error(name, &bytes, e)),
        }
    }
}

/// The named columns of a JSON Lines table (strings, or numbers as written).
fn jsonl_columns(name: &str, text: &str, columns: &[&str]) -> Result<DataFrame> {
    let mut values: Vec<Vec<String>> = vec![Vec::new(); columns.len()];
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let v: serde_json::Value = serde_json::from_str(line).with_context(|| {
            format!(
                "{name}:{}: expected a JSON object with {}",
                i + 1,
                columns.join(", ")
            )
        })?;
        for (c, out) in columns.iter().zip(values.iter_mut()) {
            let cell = match v.get(*c) {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Number(n)) => n.to_string(),
                _ => bail!("{name}:{}: expected a string field `{c}`", i + 1),
            };
            out.push(cell);
        }
    }
    let n = values.first().map_or(0, Vec::len);
    let cols = columns
        .iter()
        .zip(values)
        .map(|(c, v)| polars::prelude::Column::new((*c).into(), v))
        .collect();
    Ok(DataFrame::new(n, cols)?)
}
