//! Whole tables as polars frames: any format in, any format out, with sentlab's column
//! types (used by `export` and for reports written as Parquet, Arrow or JSON Lines).

use std::io::Cursor;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Result, anyhow, bail};
use polars::prelude::*;

use super::input::{self, Input};
use super::{CsvOptions, Format, Output, excel_safe_cell, known_extensions};

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
    "sentences",
];

/// Columns of sentlab reports that hold fractions (precision, recall, F1 and their
/// interval bounds).
fn is_fraction_column(name: &str) -> bool {
    ["precision", "recall", "f1"]
        .iter()
        .any(|m| name == *m || name == format!("{m}_lo") || name == format!("{m}_hi"))
        || COMPARE_COLUMNS.contains(&name)
}

/// The number columns of `compare`'s report.
const COMPARE_COLUMNS: &[&str] = &[
    "precision_a",
    "recall_a",
    "f1_a",
    "precision_b",
    "recall_b",
    "f1_b",
    "f1_diff",
    "f1_diff_lo",
    "f1_diff_hi",
    "p_value",
];

/// Whether sentlab reads a column of this name as numbers (counts, offsets and fractions:
/// the integer and fraction columns of its tables and reports); every other column of a
/// CSV or JSON Lines table is text.
pub fn is_number_column(name: &str) -> bool {
    INTEGER_COLUMNS.contains(&name) || is_fraction_column(name)
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

/// Reads a table file (or `-`, standard input) into a frame (CSV columns as text, then
/// the integer and fraction columns cast). A file must have a known extension.
pub fn read_frame(path: &Path) -> Result<DataFrame> {
    if !input::is_stdin(path) {
        input_format(path)?;
    }
    let input = input::read(path)?;
    let (name, format) = (input.name.clone(), input.format);
    let mut df = frame_of(input)?;
    if matches!(format, Format::Parquet | Format::Arrow) {
        // A damaged file can read into a frame whose columns disagree with their own
        // lengths; polars panics on it only when it is written. Find out now.
        guarded(format, || CsvWriter::new(std::io::sink()).finish(&mut df))
            .map_err(|e| anyhow!("{name}: cannot read table: {e}"))?;
    }
    Ok(df)
}

/// A table input as a frame (see [`read_frame`]).
pub fn frame_of(input: Input) -> Result<DataFrame> {
    let Input {
        name,
        format,
        bytes,
    } = input;
    let df = match format {
        Format::Csv => return frame_from_csv(&name, bytes),
        Format::Jsonl => {
            let text = crate::corpus::decode(&name, bytes, false)?.0;
            return frame_from_csv(&name, jsonl_to_csv(&name, &text)?.into_bytes());
        }
        Format::Parquet => {
            super::parquet_probe::check(&bytes)
                .map_err(|why| anyhow!("{name}: cannot read table: {why}"))?;
            guarded(format, || ParquetReader::new(Cursor::new(bytes)).finish())
        }
        Format::Arrow => guarded(format, || IpcReader::new(Cursor::new(bytes)).finish()),
    };
    df.map_err(|e| anyhow!("{name}: cannot read table: {e}"))
}

/// Decodes Parquet bytes as [`frame_of`] does, then writes the frame to nowhere as
/// [`read_frame`] does (a damaged file may fail only then): what the decoding child of
/// [`super::parquet_probe`] runs.
pub(crate) fn decode_parquet(bytes: Vec<u8>) -> PolarsResult<()> {
    let mut df = guarded(Format::Parquet, || {
        ParquetReader::new(Cursor::new(bytes)).finish()
    })?;
    guarded(Format::Parquet, || {
        CsvWriter::new(std::io::sink()).finish(&mut df)
    })
}

/// Panics of the columnar readers being caught now (their messages are not printed).
static CAUGHT_PANICS: AtomicUsize = AtomicUsize::new(0);

/// Makes the panic hook quiet for the panics [`guarded`] turns into errors (polars panics
/// on some damaged Parquet and Arrow files, also on its worker threads); any other panic
/// is printed as usual. Called once by the binary.
pub fn install_panic_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if CAUGHT_PANICS.load(Ordering::SeqCst) == 0 {
            default(info);
        }
    }));
}

/// Runs a polars reader on bytes that may be damaged: a panic (polars trusts a file's
/// metadata, and some damage makes it panic instead of returning an error) becomes an
/// error (the caller names the file).
fn guarded<T>(format: Format, read: impl FnOnce() -> PolarsResult<T>) -> PolarsResult<T> {
    CAUGHT_PANICS.fetch_add(1, Ordering::SeqCst);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read));
    CAUGHT_PANICS.fetch_sub(1, Ordering::SeqCst);
    result.unwrap_or_else(|panic| {
        let why = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(PolarsError::ComputeError(
            format!("the {} data is damaged or truncated ({why})", format.name()).into(),
        ))
    })
}

/// A Parquet or Arrow table as CSV text with a header (what the CSV readers of every table
/// kind take; their line numbers are then the data row numbers plus one). An error names
/// the file.
pub fn csv_text(path: &Path) -> Result<String> {
    columnar_csv_text(input::read(path)?)
}

/// A Parquet or Arrow input as CSV text (see [`csv_text`]).
pub fn columnar_csv_text(input: Input) -> Result<String> {
    let name = input.name.clone();
    let format = input.format;
    let mut df = frame_of(input)?;
    let mut bytes = Vec::new();
    // A damaged file can read into an inconsistent frame that polars panics on only here.
    guarded(format, || {
        CsvWriter::new(&mut bytes)
            .include_header(true)
            .finish(&mut df)
    })
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

/// JSON Lines (one object per non-blank line) as CSV text with a header of every key in
/// first-seen order: strings as they are, numbers as written (of any size), booleans as
/// `true`/`false`, null or a missing key as an empty cell. Types then come from the column
/// names, as for CSV ([`frame_from_csv`]), so a number too large for its column is an error
/// naming the column, never a crash.
pub fn jsonl_to_csv(name: &str, text: &str) -> Result<String> {
    let mut columns: Vec<String> = Vec::new();
    let mut rows: Vec<Vec<(usize, String)>> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let OrderedObject(object) = serde_json::from_str(line)
            .map_err(|e| anyhow!("{name}:{}: {e} (expected one JSON object per line)", i + 1))?;
        let mut row = Vec::with_capacity(object.len());
        for (key, v) in object {
            let cell = match v {
                serde_json::Value::String(s) => s,
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Bool(b) => b.to_string(),
                serde_json::Value::Null => String::new(),
                _ => bail!(
                    "{name}:{}: key `{key}`: expected a string, number, boolean or null",
                    i + 1
                ),
            };
            let at = match columns.iter().position(|c| *c == key) {
                Some(at) => at,
                None => {
                    columns.push(key);
                    columns.len() - 1
                }
            };
            if row.iter().any(|&(a, _)| a == at) {
                bail!("{name}:{}: key `{}` repeated", i + 1, columns[at]);
            }
            row.push((at, cell));
        }
        rows.push(row);
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&columns)?;
    let mut record = vec![String::new(); columns.len()];
    for row in rows {
        record.iter_mut().for_each(String::clear);
        for (at, cell) in row {
            record[at] = cell;
        }
        w.write_record(&record)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| anyhow!("{name}: {}", e.error()))?;
    Ok(String::from_utf8(bytes).expect("written from strings"))
}

/// A JSON object with its keys in the order written.
struct OrderedObject(Vec<(String, serde_json::Value)>);

impl<'de> serde::Deserialize<'de> for OrderedObject {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = OrderedObject;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                mut map: M,
            ) -> Result<Self::Value, M::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(OrderedObject(entries))
            }
        }
        d.deserialize_map(Visit)
    }
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
            (DataType::Int64, "an integer that fits in 64 bits")
        } else if is_fraction_column(col) {
            (DataType::Float64, "a number")
        } else {
            continue;
        };
        let cast = df
            .column(col)?
            .cast(&dtype)
            .map_err(|e| anyhow!("{name}: column `{col}`: {e}"))?;
        if cast.null_count() > df.column(col)?.null_count() {
            let text = df.column(col)?.str()?.clone();
            let ints = cast.as_materialized_series().clone();
            let row = (0..df.height())
                .find(|&i| text.get(i).is_some() && ints.get(i).is_ok_and(|v| v.is_null()))
                .unwrap_or(0);
            bail!(
                "{name}: data row {}: column `{col}`: `{}` (expected {what})",
                row + 1,
                text.get(row).unwrap_or_default()
            );
        }
        df.replace(col, cast)?;
    }
    Ok(df)
}

/// A report's CSV text as a frame for JSON Lines, Parquet or Arrow output: the columns of
/// [`frame_from_csv`], and the matching reports' counts, as numbers.
pub fn report_frame_from_csv(name: &str, bytes: Vec<u8>) -> Result<DataFrame> {
    let mut df = frame_from_csv(name, bytes)?;
    for col in crate::eval::MATCH_COUNT_COLUMNS {
        if let Ok(c) = df.column(col) {
            let cast = c
                .cast(&DataType::Int64)
                .map_err(|e| anyhow!("{name}: column `{col}`: {e}"))?;
            df.replace(col, cast)?;
        }
    }
    Ok(df)
}

/// Writes a frame to `path` (stdout when `None` or `-`) in `format`, atomically.
pub fn write_frame(path: Option<&Path>, format: Format, df: &mut DataFrame) -> Result<()> {
    write_frame_with(path, format, df, CsvOptions::default())
}

/// Writes a frame as [`write_frame`] does, its cells written as `csv` says when `format`
/// is CSV (for the other formats `csv` is ignored and every value written as it is).
pub fn write_frame_with(
    path: Option<&Path>,
    format: Format,
    df: &mut DataFrame,
    csv: CsvOptions,
) -> Result<()> {
    let name = path.map_or("<stdout>".into(), |p| p.display().to_string());
    let mut safe;
    let df = if format == Format::Csv && csv.excel_safe {
        safe = df.clone();
        excel_safe(&mut safe)?;
        &mut safe
    } else {
        df
    };
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

/// Applies [`excel_safe_cell`] to the cells of the text (string) columns of a frame; the
/// columns of other types (numbers, booleans) are left as they are.
fn excel_safe(df: &mut DataFrame) -> Result<()> {
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
            .map(|v| v.map(|s| excel_safe_cell(s).into_owned()))
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const VALID: &str = "{\"sentence_id\":\"a:1\",\"label\":\"X\",\"start\":3,\"end\":9}\n\
                         {\"sentence_id\":\"a:2\",\"label\":\"Y, Z\",\"start\":10,\"end\":12}\n";

    #[test]
    fn jsonl_keeps_key_order_and_any_number_and_a_too_large_integer_is_an_error() {
        assert_eq!(
            jsonl_to_csv("p.jsonl", VALID).unwrap(),
            "sentence_id,label,start,end\na:1,X,3,9\na:2,\"Y, Z\",10,12\n"
        );
        // 2^63 is one more than the largest signed 64-bit integer: an error, not a panic.
        let big = "{\"start\":9223372036854775808}\n";
        let csv = jsonl_to_csv("b.jsonl", big).unwrap();
        let err = frame_from_csv("b.jsonl", csv.into_bytes()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "b.jsonl: data row 1: column `start`: `9223372036854775808` (expected an integer that fits in 64 bits)"
        );
        let err = jsonl_to_csv("d.jsonl", "{\"a\":1,\"a\":2}\n").unwrap_err();
        assert_eq!(err.to_string(), "d.jsonl:1: key `a` repeated");
        let err = jsonl_to_csv("n.jsonl", "{\"a\":[1]}\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "n.jsonl:1: key `a`: expected a string, number, boolean or null"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Random edits of a valid JSON Lines or CSV table are read or rejected with an
        /// error naming the file; never a panic.
        #[test]
        fn mutated_tables_are_read_or_named_never_a_panic(
            edits in proptest::collection::vec((0usize..200, any::<char>(), 0u8..3), 1..6),
            csv in any::<bool>(),
        ) {
            let mut text: Vec<char> = if csv {
                "sentence_id,label,start,end\na:1,X,3,9\na:2,\"Y, Z\",10,12\n".chars().collect()
            } else {
                VALID.chars().collect()
            };
            for (at, c, op) in edits {
                let at = at % (text.len() + 1);
                match op {
                    0 => text.insert(at, c),
                    1 if at < text.len() => { text.remove(at); }
                    _ if at < text.len() => text[at] = c,
                    _ => {}
                }
            }
            let text: String = text.into_iter().collect();
            let result = if csv {
                frame_from_csv("t.csv", text.into_bytes())
            } else {
                jsonl_to_csv("t.jsonl", &text).and_then(|c| frame_from_csv("t.jsonl", c.into_bytes()))
            };
            if let Err(e) = result {
                let name = if csv { "t.csv" } else { "t.jsonl" };
                prop_assert!(e.to_string().starts_with(name), "{e}");
            }
        }
    }
}
