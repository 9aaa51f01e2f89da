//! Reading and writing sentlab's tables (CSV, JSON Lines, Parquet, Arrow IPC) with atomic
//! file output: a table goes to a temporary file next to its destination and is renamed into
//! place only when complete, so a failed run leaves no partial file. [`format`] holds the
//! formats and the rule that picks one for a path.

pub mod columns;
mod format;
pub mod frame;
pub mod gold;
pub mod input;
pub mod parquet_probe;
pub mod sentence_csv;
pub mod spans;

pub use format::{EXTENSIONS, Format, ReportOutput, known_extensions};

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use polars::prelude::{
    Column, CompatLevel, DataFrame, IpcWriter, ParquetCompression, ParquetWriter, PolarsResult,
    SchemaExt, SerWriter,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::corpus::csv_error;
use crate::rows::{GoldRow, LabelRow, PredictionRow, SentenceRow};

/// A destination that is either stdout or a file written atomically (or, for a device or
/// pipe such as `/dev/null`, written in place: it cannot be replaced by a renamed file).
pub struct Output {
    /// The temporary file, its destination and the mode of the file it replaces.
    temp: Option<(
        crate::signals::Tracked<tempfile::NamedTempFile>,
        PathBuf,
        Option<std::fs::Permissions>,
    )>,
    name: String,
    writer: Box<dyn Write + Send>,
}

impl Output {
    /// Opens stdout (`None` or `-`) or a temporary file beside `path`.
    pub fn create(path: Option<&Path>) -> Result<Output> {
        match path {
            None => Ok(Output::stdout()),
            Some(p) if p.as_os_str() == "-" => Ok(Output::stdout()),
            Some(p) => {
                let name = p.display().to_string();
                let p = &destination(p)?;
                if let Ok(meta) = std::fs::metadata(p)
                    && !meta.is_file()
                {
                    // A device, pipe or socket (directories were rejected).
                    let file = std::fs::OpenOptions::new()
                        .write(true)
                        .open(p)
                        .with_context(|| format!("{name}: cannot open output file"))?;
                    return Ok(Output {
                        temp: None,
                        name,
                        writer: Box::new(BufWriter::with_capacity(1 << 20, file)),
                    });
                }
                let dir = match p.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                    _ => PathBuf::from("."),
                };
                // A file replaced keeps its mode; a new one gets the usual mode of new files
                // (0666 less the umask), as any program's output would.
                let existing = std::fs::metadata(p).ok().map(|m| m.permissions());
                let mut builder = tempfile::Builder::new();
                builder.prefix(".sentlab-").suffix(".tmp");
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    builder.permissions(
                        existing
                            .clone()
                            .unwrap_or_else(|| std::fs::Permissions::from_mode(0o666)),
                    );
                }
                // Registered so that a signal removes it (see `crate::signals`).
                let temp = crate::signals::Tracked::create(
                    false,
                    || builder.tempfile_in(&dir),
                    |t| t.path(),
                )
                .with_context(|| format!("{}: cannot create output file", p.display()))?;
                let file = temp
                    .as_file()
                    .try_clone()
                    .with_context(|| format!("{}: cannot open output file", p.display()))?;
                Ok(Output {
                    writer: Box::new(BufWriter::with_capacity(1 << 20, file)),
                    temp: Some((temp, p.to_path_buf(), existing)),
                    name,
                })
            }
        }
    }

    fn stdout() -> Output {
        Output {
            temp: None,
            name: "<stdout>".into(),
            writer: Box::new(BufWriter::with_capacity(1 << 16, Stdout)),
        }
    }

    /// Flushes and, for a file, renames the complete temporary file into place.
    pub fn commit(mut self) -> Result<()> {
        let name = &self.name;
        self.writer
            .flush()
            .with_context(|| format!("{name}: cannot write"))?;
        if let Some((temp, path, existing)) = self.temp.take() {
            // The replaced file's mode exactly (creation left out the umask's bits).
            if let Some(mode) = existing {
                temp.as_file()
                    .set_permissions(mode)
                    .with_context(|| format!("{}: cannot set permissions", path.display()))?;
            }
            // On disk before it replaces anything, and the rename itself on disk after.
            temp.as_file()
                .sync_all()
                .with_context(|| format!("{name}: cannot write"))?;
            temp.settle(|t| t.persist(&path))
                .with_context(|| format!("{}: cannot move output into place", path.display()))?;
            let dir = path.parent().unwrap_or(Path::new("."));
            crate::signals::sync_dir(dir)
                .with_context(|| format!("{}: cannot sync directory", dir.display()))?;
        }
        Ok(())
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if self.temp.is_some() {
            // Dropped before `commit`: the file is not written (its temporary file goes).
            FILE_ABANDONED.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }
}

/// Set when a file output was dropped before it was committed.
static FILE_ABANDONED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether some file output was given up before it was complete (an error ended the
/// command): a closed stdout is then an error, since files the user asked for are missing.
pub fn file_output_abandoned() -> bool {
    FILE_ABANDONED.load(std::sync::atomic::Ordering::Relaxed)
}

/// Set once a write to stdout found its reader gone (`sentlab ... | head`).
static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether a write to stdout failed because the reading end of the pipe was closed: the
/// command then ends quietly with status 0, whatever error the writer reported.
pub fn stdout_closed() -> bool {
    STDOUT_CLOSED.load(std::sync::atomic::Ordering::Relaxed)
}

/// Standard output, noting a broken pipe (serialisers wrap the I/O error in their own).
struct Stdout;

impl Stdout {
    fn note<T>(result: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &result
            && e.kind() == io::ErrorKind::BrokenPipe
        {
            STDOUT_CLOSED.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        result
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        Self::note(io::stdout().write(buf))
    }
    fn flush(&mut self) -> io::Result<()> {
        Self::note(io::stdout().flush())
    }
}

/// Where output for `path` goes: a symbolic link is followed (the file it points to is
/// replaced, the link stays), and a directory is an error.
fn destination(path: &Path) -> Result<PathBuf> {
    let mut p = path.to_path_buf();
    // Links to links are followed too, a bounded number of times.
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = std::fs::read_link(&p)
                    .with_context(|| format!("{}: cannot read link", path.display()))?;
                p = match p.parent() {
                    Some(dir) => dir.join(target),
                    None => target,
                };
            }
            Ok(m) if m.is_dir() => bail!(
                "{}: is a directory (expected the path of the output file)",
                path.display()
            ),
            _ => return Ok(p),
        }
    }
    bail!("{}: too many levels of symbolic links", path.display())
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

/// How the cells of a CSV output are written. JSON Lines, Parquet and Arrow outputs never
/// change a value: these options apply to CSV only.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CsvOptions {
    /// For spreadsheets (`--excel-safe`): a text cell starting with `=`, `+`, `-`, `@`, TAB
    /// or CR gets a `'` in front, so that a spreadsheet shows it instead of running it as a
    /// formula. Numeric columns are left as they are. sentlab does not read such a file back
    /// as the table it was (a sentence's `text` no longer equals its article's slice).
    pub excel_safe: bool,
}

impl CsvOptions {
    /// The options with `--excel-safe` set as given.
    pub fn excel_safe(excel_safe: bool) -> CsvOptions {
        CsvOptions { excel_safe }
    }

    /// `--excel-safe` for a command whose outputs include a CSV file or not: the flag would
    /// change nothing without one, so it is then a usage error (exit 2).
    pub fn for_outputs(excel_safe: bool, writes_csv: bool) -> Result<CsvOptions> {
        if excel_safe && !writes_csv {
            crate::usage_bail!(
                "--excel-safe only changes CSV output, and no output here is CSV (JSON Lines, Parquet and Arrow keep every value as it is)"
            );
        }
        Ok(CsvOptions { excel_safe })
    }
}

/// Whether a spreadsheet may take a text cell for a formula: it starts with `=`, `+`, `-`,
/// `@`, TAB or CR.
pub fn formula_like(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A text cell as `--excel-safe` writes it: `'` in front when [`formula_like`].
pub fn excel_safe_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    if formula_like(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// CSV records (no header) rewritten with [`excel_safe_cell`] applied to the cells of the
/// columns `text` says are text (by position; other cells are copied as they are).
fn excel_safe_records(name: &str, bytes: &[u8], text: &[bool]) -> Result<Vec<u8>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::with_capacity(bytes.len() + bytes.len() / 16));
    let mut record = csv::ByteRecord::new();
    let mut safe = csv::ByteRecord::new();
    while reader
        .read_byte_record(&mut record)
        .with_context(|| format!("{name}: cannot re-read CSV for --excel-safe"))?
    {
        safe.clear();
        for (i, cell) in record.iter().enumerate() {
            if text.get(i).copied().unwrap_or(true) && formula_like_bytes(cell) {
                let mut quoted = Vec::with_capacity(cell.len() + 1);
                quoted.push(b'\'');
                quoted.extend_from_slice(cell);
                safe.push_field(&quoted);
            } else {
                safe.push_field(cell);
            }
        }
        writer
            .write_byte_record(&safe)
            .with_context(|| format!("{name}: cannot write"))?;
    }
    writer
        .into_inner()
        .map_err(|e| anyhow::anyhow!("{name}: cannot write: {}", e.error()))
}

/// [`formula_like`] on the bytes of a cell.
fn formula_like_bytes(cell: &[u8]) -> bool {
    matches!(
        cell.first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

/// A row type that can also be written as a column batch (for Parquet and Arrow).
pub trait TableRow: Serialize + DeserializeOwned + Send {
    /// The column names, in CSV order.
    const COLUMNS: &'static [&'static str];
    /// The rows as a polars frame with the same columns.
    fn to_frame(rows: &[Self]) -> PolarsResult<DataFrame>;
}

fn str_col<R>(name: &str, rows: &[R], f: impl Fn(&R) -> &str) -> Column {
    Column::new(name.into(), rows.iter().map(f).collect::<Vec<_>>())
}

fn u64_col<R>(name: &str, rows: &[R], f: impl Fn(&R) -> u64) -> Column {
    Column::new(name.into(), rows.iter().map(f).collect::<Vec<_>>())
}

fn u32_col<R>(name: &str, rows: &[R], f: impl Fn(&R) -> u32) -> Column {
    Column::new(name.into(), rows.iter().map(f).collect::<Vec<_>>())
}

impl TableRow for SentenceRow {
    const COLUMNS: &'static [&'static str] = &[
        "article_id",
        "sentence_id",
        "index",
        "paragraph",
        "kind",
        "start",
        "end",
        "text",
    ];
    fn to_frame(rows: &[Self]) -> PolarsResult<DataFrame> {
        DataFrame::new(
            rows.len(),
            vec![
                str_col("article_id", rows, |r| &r.article_id),
                str_col("sentence_id", rows, |r| &r.sentence_id),
                u32_col("index", rows, |r| r.index),
                u32_col("paragraph", rows, |r| r.paragraph),
                str_col("kind", rows, |r| r.kind.as_str()),
                u64_col("start", rows, |r| r.start),
                u64_col("end", rows, |r| r.end),
                str_col("text", rows, |r| &r.text),
            ],
        )
    }
}

impl TableRow for PredictionRow {
    const COLUMNS: &'static [&'static str] =
        &["sentence_id", "label", "rule_id", "start", "end", "match"];
    fn to_frame(rows: &[Self]) -> PolarsResult<DataFrame> {
        DataFrame::new(
            rows.len(),
            vec![
                str_col("sentence_id", rows, |r| &r.sentence_id),
                str_col("label", rows, |r| &r.label),
                str_col("rule_id", rows, |r| &r.rule_id),
                u64_col("start", rows, |r| r.start),
                u64_col("end", rows, |r| r.end),
                str_col("match", rows, |r| &r.matched),
            ],
        )
    }
}

impl TableRow for GoldRow {
    const COLUMNS: &'static [&'static str] = &["sentence_id", "label", "votes", "annotators"];
    fn to_frame(rows: &[Self]) -> PolarsResult<DataFrame> {
        DataFrame::new(
            rows.len(),
            vec![
                str_col("sentence_id", rows, |r| &r.sentence_id),
                str_col("label", rows, |r| &r.label),
                u32_col("votes", rows, |r| r.votes),
                str_col("annotators", rows, |r| &r.annotators),
            ],
        )
    }
}

impl TableRow for LabelRow {
    const COLUMNS: &'static [&'static str] = &["sentence_id", "label"];
    fn to_frame(rows: &[Self]) -> PolarsResult<DataFrame> {
        DataFrame::new(
            rows.len(),
            vec![
                str_col("sentence_id", rows, |r| &r.sentence_id),
                str_col("label", rows, |r| &r.label),
            ],
        )
    }
}

enum Sink<R: TableRow> {
    Csv {
        out: Output,
        pending: Vec<R>,
        /// With `--excel-safe`: which columns hold text (the others are numbers or
        /// booleans, never changed).
        excel_safe: Option<Vec<bool>>,
    },
    Jsonl(Output),
    /// Parquet or Arrow: rows are buffered and written as column batches.
    Columnar {
        format: Format,
        writer: Option<ColumnarWriter>,
        out: SharedOutput,
        buffer: Vec<R>,
    },
}

/// The batched writer of a columnar format, started with the first batch's schema.
enum ColumnarWriter {
    Parquet(Box<polars::io::parquet::write::BatchedWriter<SharedOutput>>),
    Arrow(Box<polars::io::ipc::BatchedWriter<SharedOutput>>),
}

impl ColumnarWriter {
    fn start(format: Format, out: SharedOutput, frame: &DataFrame) -> PolarsResult<Self> {
        Ok(match format {
            Format::Arrow => {
                let arrow_schema = frame.schema().to_arrow(CompatLevel::oldest());
                let fields =
                    polars_arrow::io::ipc::write::default_ipc_fields(arrow_schema.iter_values());
                ColumnarWriter::Arrow(Box::new(
                    IpcWriter::new(out)
                        .with_compat_level(CompatLevel::oldest())
                        .batched(frame.schema(), fields)?,
                ))
            }
            _ => ColumnarWriter::Parquet(Box::new(
                ParquetWriter::new(out)
                    .with_compression(ParquetCompression::Zstd(None))
                    .batched(frame.schema())?,
            )),
        })
    }

    fn write_batch(&mut self, frame: &DataFrame) -> PolarsResult<()> {
        match self {
            ColumnarWriter::Parquet(w) => w.write_batch(frame),
            ColumnarWriter::Arrow(w) => w.write_batch(frame),
        }
    }

    fn finish(self) -> PolarsResult<()> {
        match self {
            ColumnarWriter::Parquet(w) => w.finish().map(|_| ()),
            ColumnarWriter::Arrow(mut w) => w.finish(),
        }
    }
}

/// An [`Output`] the Parquet writer can own a handle to while we keep one to commit it
/// (polars' batched writer does not give its writer back).
#[derive(Clone)]
struct SharedOutput(std::sync::Arc<std::sync::Mutex<Output>>);

impl Write for SharedOutput {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().expect("not poisoned").write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.lock().expect("not poisoned").flush()
    }
}

/// Writes rows of one table type in one format, in batches, to an [`Output`].
pub struct TableWriter<R: TableRow> {
    sink: Sink<R>,
    name: String,
    rows: u64,
}

const COLUMNAR_BATCH: usize = 64 * 1024;
const CSV_BATCH: usize = 8 * 1024;

impl<R: TableRow> TableWriter<R> {
    /// Opens `path` (stdout when `None` or `-`) for a table in `format`.
    pub fn create(path: Option<&Path>, format: Format) -> Result<Self> {
        Self::create_with(path, format, CsvOptions::default())
    }

    /// Opens `path` (stdout when `None` or `-`) for a table in `format`, its cells written
    /// as `csv` says when the format is CSV (ignored otherwise).
    pub fn create_with(path: Option<&Path>, format: Format, csv: CsvOptions) -> Result<Self> {
        let name = path.map_or("<stdout>".into(), |p| p.display().to_string());
        let excel_safe = if csv.excel_safe && format == Format::Csv {
            // Text columns are those the table's column types say are text.
            let frame = R::to_frame(&[]).with_context(|| format!("{name}: column types"))?;
            let text = R::COLUMNS
                .iter()
                .map(|c| {
                    frame
                        .column(c)
                        .is_ok_and(|col| col.dtype() == &polars::prelude::DataType::String)
                })
                .collect();
            Some(text)
        } else {
            None
        };
        let out = Output::create(path)?;
        let sink = match format {
            Format::Csv => Sink::Csv {
                out,
                pending: Vec::new(),
                excel_safe,
            },
            Format::Jsonl => Sink::Jsonl(out),
            Format::Parquet | Format::Arrow => Sink::Columnar {
                format,
                writer: None,
                out: SharedOutput(std::sync::Arc::new(std::sync::Mutex::new(out))),
                buffer: Vec::new(),
            },
        };
        let mut w = TableWriter {
            sink,
            name,
            rows: 0,
        };
        if let Sink::Csv { out, .. } = &mut w.sink {
            // The header is written even for an empty table.
            let mut header = csv::Writer::from_writer(Vec::new());
            header.write_record(R::COLUMNS)?;
            let header = header
                .into_inner()
                .map_err(|e| anyhow::anyhow!("{}", e.error()))?;
            out.write_all(&header)
                .with_context(|| format!("{}: cannot write", w.name))?;
        }
        Ok(w)
    }

    /// Number of rows written so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Appends rows.
    pub fn write_all(&mut self, rows: impl IntoIterator<Item = R>) -> Result<()> {
        for row in rows {
            self.write(row)?;
        }
        Ok(())
    }

    /// Appends rows given in a borrowed form `S` of `R` that serialises to the same columns
    /// (no copies of their strings): CSV and JSON Lines write `S` itself, Parquet converts
    /// each row with `to_row`.
    pub fn write_refs<S: Serialize>(&mut self, rows: &[S], to_row: impl Fn(&S) -> R) -> Result<()> {
        match &mut self.sink {
            Sink::Csv { .. } => {
                let bytes = encode_csv(rows).with_context(|| self.name.clone())?;
                self.write_csv_bytes(&bytes, rows.len() as u64)
            }
            Sink::Jsonl(w) => {
                for row in rows {
                    write_json_line(w, &self.name, row)?;
                }
                self.rows += rows.len() as u64;
                Ok(())
            }
            Sink::Columnar { .. } => rows.iter().try_for_each(|r| self.write(to_row(r))),
        }
    }

    /// Appends rows already encoded as CSV by [`encode_csv`] (lets workers encode in
    /// parallel). Only valid for a CSV table.
    pub fn write_csv_bytes(&mut self, bytes: &[u8], rows: u64) -> Result<()> {
        self.flush_csv()?;
        let Sink::Csv {
            out, excel_safe, ..
        } = &mut self.sink
        else {
            bail!("{}: pre-encoded CSV written to a non-CSV table", self.name);
        };
        put_csv(out, &self.name, excel_safe.as_deref(), bytes)?;
        self.rows += rows;
        Ok(())
    }

    fn flush_csv(&mut self) -> Result<()> {
        if let Sink::Csv {
            out,
            pending,
            excel_safe,
        } = &mut self.sink
            && !pending.is_empty()
        {
            let bytes = encode_csv(pending)?;
            pending.clear();
            put_csv(out, &self.name, excel_safe.as_deref(), &bytes)?;
        }
        Ok(())
    }

    /// Appends one row.
    pub fn write(&mut self, row: R) -> Result<()> {
        self.rows += 1;
        let name = &self.name;
        match &mut self.sink {
            Sink::Csv { pending, .. } => {
                pending.push(row);
                if pending.len() >= CSV_BATCH {
                    self.flush_csv()?;
                }
            }
            Sink::Jsonl(w) => write_json_line(w, name, &row)?,
            Sink::Columnar { buffer, .. } => {
                buffer.push(row);
                if buffer.len() >= COLUMNAR_BATCH {
                    self.flush_columnar()?;
                }
            }
        }
        Ok(())
    }

    fn flush_columnar(&mut self) -> Result<()> {
        let name = self.name.clone();
        if let Sink::Columnar {
            format,
            writer,
            out,
            buffer,
        } = &mut self.sink
        {
            let what = if *format == Format::Arrow {
                "Arrow"
            } else {
                "Parquet"
            };
            let mut frame = R::to_frame(buffer)
                .with_context(|| format!("{name}: cannot build {what} batch"))?;
            buffer.clear();
            frame.rechunk_mut();
            if writer.is_none() {
                *writer = Some(
                    ColumnarWriter::start(*format, out.clone(), &frame)
                        .with_context(|| format!("{name}: cannot start {what} file"))?,
                );
            }
            writer
                .as_mut()
                .expect("set above")
                .write_batch(&frame)
                .with_context(|| format!("{name}: cannot write {what} batch"))?;
        }
        Ok(())
    }

    /// Finishes the table and moves the file into place.
    pub fn finish(mut self) -> Result<u64> {
        let rows = self.rows;
        let name = self.name.clone();
        self.flush_csv()?;
        if let Sink::Columnar { writer, buffer, .. } = &self.sink
            && (writer.is_none() || !buffer.is_empty())
        {
            // Always write at least one batch so the schema is present.
            self.flush_columnar()?;
        }
        match self.sink {
            Sink::Csv { out, .. } => out.commit()?,
            Sink::Jsonl(o) => o.commit()?,
            Sink::Columnar { writer, out, .. } => {
                writer
                    .expect("written above")
                    .finish()
                    .with_context(|| format!("{name}: cannot finish the file"))?;
                let out = std::sync::Arc::try_unwrap(out.0)
                    .map_err(|_| anyhow::anyhow!("{name}: table writer still in use"))?
                    .into_inner()
                    .expect("not poisoned");
                out.commit()?;
            }
        }
        Ok(rows)
    }
}

/// Writes CSV records (no header) to `out`: every CSV row of a [`TableWriter`] goes through
/// here, with `--excel-safe` applied to the text columns `excel_safe` names.
fn put_csv(out: &mut Output, name: &str, excel_safe: Option<&[bool]>, bytes: &[u8]) -> Result<()> {
    let safe;
    let bytes = match excel_safe {
        Some(text) => {
            safe = excel_safe_records(name, bytes, text)?;
            &safe[..]
        }
        None => bytes,
    };
    out.write_all(bytes)
        .with_context(|| format!("{name}: cannot write"))
}

/// Writes `row` as one line of JSON.
fn write_json_line<S: Serialize>(w: &mut Output, name: &str, row: &S) -> Result<()> {
    serde_json::to_writer(&mut *w, row).with_context(|| format!("{name}: cannot write"))?;
    w.write_all(b"\n")
        .with_context(|| format!("{name}: cannot write"))
}

/// Encodes rows as CSV records (no header), as [`TableWriter`] would write them.
pub fn encode_csv<R: Serialize>(rows: &[R]) -> Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::with_capacity(rows.len() * 160));
    for r in rows {
        w.serialize(r).context("cannot encode CSV")?;
    }
    w.into_inner()
        .map_err(|e| anyhow::anyhow!("cannot encode CSV: {}", e.error()))
}

/// Writes a whole table in one call.
pub fn write_table<R: TableRow>(path: Option<&Path>, format: Format, rows: Vec<R>) -> Result<u64> {
    let mut w = TableWriter::create(path, format)?;
    w.write_all(rows)?;
    w.finish()
}

/// Writes CSV text (with its header) to a file atomically, or to stdout. With
/// `--excel-safe`, the cells of its text columns are written with [`excel_safe_cell`];
/// columns that sentlab reads as numbers (see [`frame::is_number_column`]) are not.
pub fn write_csv_text(path: Option<&Path>, text: &str, csv: CsvOptions) -> Result<()> {
    if !csv.excel_safe {
        return write_text(path, text);
    }
    let name = path.map_or("<stdout>".into(), |p| p.display().to_string());
    let (header, body) = match text.find('\n') {
        Some(at) => text.split_at(at + 1),
        None => (text, ""),
    };
    let columns: Vec<bool> = header
        .trim_end_matches(['\r', '\n'])
        .split(',')
        .map(|c| !frame::is_number_column(c.trim_matches('"')))
        .collect();
    let mut out = Output::create(path)?;
    out.write_all(header.as_bytes())
        .with_context(|| format!("{name}: cannot write"))?;
    put_csv(&mut out, &name, Some(&columns), body.as_bytes())?;
    out.commit()
}

/// Writes text to a file atomically, or to stdout.
pub fn write_text(path: Option<&Path>, text: &str) -> Result<()> {
    let mut out = Output::create(path)?;
    out.write_all(text.as_bytes())
        .context("cannot write output")?;
    out.commit()
}

/// The text of a table file (or `-`, standard input) for a CSV-reading parser: the file
/// as UTF-8 text (a byte-order mark dropped; invalid UTF-8 is an error naming byte and
/// line), or a Parquet or Arrow table as CSV (see [`frame::csv_text`]).
pub fn read_csv_text(path: &Path) -> Result<String> {
    input_text(input::read(path)?)
}

/// The text of a table input for a CSV-reading parser (see [`read_csv_text`]).
pub fn input_text(input: input::Input) -> Result<String> {
    match input.format {
        Format::Parquet | Format::Arrow => frame::columnar_csv_text(input),
        Format::Csv | Format::Jsonl => {
            Ok(crate::corpus::decode(&input.name, input.bytes, false)?.0)
        }
    }
}

/// Reads a table of `R` from a CSV, JSON Lines, Parquet or Arrow file (by extension; CSV
/// otherwise) or from `-`, standard input (by content), checking that the header holds
/// every column in `R::COLUMNS` (naming the file and the columns found when not) and
/// reporting bad rows by file and line.
pub fn read_table<R: TableRow>(path: &Path) -> Result<Vec<R>> {
    let input = input::read(path)?;
    let name = input.name.clone();
    match input.format {
        Format::Jsonl => parse_jsonl_table(&name, &input_text(input)?),
        _ => parse_csv_table(&name, &input_text(input)?),
    }
}

/// Parses a CSV table of `R` from text (see [`read_table`]).
pub fn parse_csv_table<R: TableRow>(name: &str, text: &str) -> Result<Vec<R>> {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| csv_error(name, text.as_bytes(), e))?
        .clone();
    check_columns(name, &headers.iter().collect::<Vec<_>>(), R::COLUMNS)?;
    reader
        .deserialize()
        .map(|r| r.map_err(|e| csv_error(name, text.as_bytes(), e)))
        .collect()
}

/// Errors naming the `columns` missing from the columns `found` (and the columns expected
/// and found).
pub fn check_columns<S: AsRef<str>>(name: &str, found: &[S], columns: &[&str]) -> Result<()> {
    let missing: Vec<&str> = columns
        .iter()
        .copied()
        .filter(|c| !found.iter().any(|h| h.as_ref() == *c))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        let found: Vec<&str> = found.iter().map(AsRef::as_ref).collect();
        bail!(
            "{name}: missing column(s) {} (expected {}; found {})",
            missing.join(", "),
            columns.join(","),
            found.join(",")
        )
    }
}

/// Parses a JSON Lines table of `R` from text (see [`read_table`]).
pub fn parse_jsonl_table<R: TableRow>(name: &str, text: &str) -> Result<Vec<R>> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).with_context(|| {
                format!(
                    "{name}:{}: expected a JSON object with {}",
                    i + 1,
                    R::COLUMNS.join(", ")
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rows::SentenceKind;

    fn sample() -> Vec<SentenceRow> {
        vec![SentenceRow {
            article_id: "a".into(),
            sentence_id: "a:0".into(),
            index: 0,
            paragraph: 0,
            kind: SentenceKind::Title,
            start: 0,
            end: 12,
            text: "Hi, \"there\"\n".into(),
        }]
    }

    #[test]
    fn every_format_reads_back_the_rows_it_wrote() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["s.csv", "s.jsonl", "s.parquet", "s.arrow"] {
            let p = dir.path().join(name);
            write_table(Some(&p), Format::from_path(&p).unwrap(), sample()).unwrap();
            assert_eq!(read_table::<SentenceRow>(&p).unwrap(), sample(), "{name}");
        }
    }

    #[test]
    fn csv_round_trip_with_quotes_and_commas() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s.csv");
        write_table(Some(&p), Format::Csv, sample()).unwrap();
        let text = std::fs::read_to_string(&p).unwrap();
        assert_eq!(
            text,
            "article_id,sentence_id,index,paragraph,kind,start,end,text\na,a:0,0,0,title,0,12,\"Hi, \"\"there\"\"\n\"\n"
        );
        let back: Vec<SentenceRow> = read_table(&p).unwrap();
        assert_eq!(back, sample());
    }

    #[cfg(unix)]
    #[test]
    fn output_follows_links_writes_devices_in_place_and_rejects_directories() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.csv");
        std::fs::write(&target, "old").unwrap();
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink("target.csv", &link).unwrap();
        write_table(Some(&link), Format::Csv, sample()).unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(
            std::fs::read_to_string(&target)
                .unwrap()
                .starts_with("article_id,")
        );
        // A dangling link: the file it names is created.
        let dangling = dir.path().join("dangling.csv");
        std::os::unix::fs::symlink("new.csv", &dangling).unwrap();
        write_table(Some(&dangling), Format::Csv, sample()).unwrap();
        assert!(dir.path().join("new.csv").is_file());
        // A device is written, not replaced (a temp file renamed over /dev/null would be).
        write_table(Some(Path::new("/dev/null")), Format::Csv, sample()).unwrap();
        let null = std::fs::metadata("/dev/null").unwrap();
        assert!(!null.is_file());
        let err = write_table(Some(dir.path()), Format::Csv, sample()).unwrap_err();
        assert!(
            err.to_string()
                .ends_with(": is a directory (expected the path of the output file)"),
            "{err}"
        );
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 4, "no temporary file left: {names:?}");
    }

    #[test]
    fn parquet_and_non_utf8_inputs_are_named_for_what_they_are() {
        let dir = tempfile::tempdir().unwrap();
        let pq = dir.path().join("s.parquet");
        std::fs::write(&pq, b"PAR1\xff\x00").unwrap();
        let err = read_table::<SentenceRow>(&pq).unwrap_err().to_string();
        assert!(
            err.contains("s.parquet: cannot read table: parquet: File out of specification"),
            "{err}"
        );
        // "a,b\nc,d\n" is 8 bytes: the 0xff is byte 8, on line 3
        let csv = dir.path().join("s.csv");
        std::fs::write(&csv, b"a,b\nc,d\n\xff\n").unwrap();
        let err = read_table::<SentenceRow>(&csv).unwrap_err().to_string();
        assert!(
            err.ends_with("s.csv: invalid UTF-8 at byte 8, line 3 (expected UTF-8 text)"),
            "{err}"
        );
    }

    #[test]
    fn label_with_comma_is_quoted() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("l.csv");
        let rows = vec![LabelRow {
            sentence_id: "a:1".into(),
            label: "Name_Calling,Labeling".into(),
        }];
        write_table(Some(&p), Format::Csv, rows).unwrap();
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            "sentence_id,label\na:1,\"Name_Calling,Labeling\"\n"
        );
    }

    #[test]
    fn missing_columns_are_named() {
        let err = parse_csv_table::<SentenceRow>("s.csv", "article_id,sentence_id,text\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("s.csv: missing column(s) index, paragraph, kind, start, end"),
            "{err}"
        );
        assert!(err.contains("found article_id,sentence_id,text"), "{err}");
    }

    #[test]
    fn bad_row_names_file_and_line() {
        let text = "sentence_id,label,rule_id,start,end,match\na:1,L,r,5,x,m\n";
        let err = parse_csv_table::<PredictionRow>("p.csv", text)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("p.csv:2:"), "{err}");
    }

    #[test]
    fn failed_write_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.csv");
        let mut w = TableWriter::<SentenceRow>::create(Some(&p), Format::Csv).unwrap();
        w.write_all(sample()).unwrap();
        drop(w); // an error path drops the writer without finishing
        assert!(!p.exists());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "temp file removed"
        );
    }

    #[test]
    fn jsonl_and_parquet_write() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s.jsonl");
        write_table(Some(&p), Format::Jsonl, sample()).unwrap();
        let back: Vec<SentenceRow> = read_table(&p).unwrap();
        assert_eq!(back, sample());
        let q = dir.path().join("s.parquet");
        write_table(Some(&q), Format::Parquet, sample()).unwrap();
        use polars::prelude::{ParquetReader, SerReader};
        let df = ParquetReader::new(std::fs::File::open(&q).unwrap())
            .finish()
            .unwrap();
        assert_eq!(df.shape(), (1, 8));
        let names: Vec<String> = df
            .get_column_names()
            .iter()
            .map(|n| n.to_string())
            .collect();
        assert_eq!(names, SentenceRow::COLUMNS.to_vec());
    }

    #[test]
    fn borrowed_predictions_write_the_bytes_of_owned_ones() {
        use crate::rows::PredictionRef;
        let refs = [
            PredictionRef {
                sentence_id: "a:0",
                label: "Loaded_Language",
                rule_id: "loaded",
                start: 3,
                end: 9,
                matched: "vile, \"awful\"",
            },
            PredictionRef {
                sentence_id: "a:1",
                label: "Doubt",
                rule_id: "doubt",
                start: 20,
                end: 21,
                matched: "?\nnext",
            },
        ];
        let dir = tempfile::tempdir().unwrap();
        for format in [Format::Csv, Format::Jsonl, Format::Parquet] {
            let owned = dir.path().join("owned");
            let borrowed = dir.path().join("borrowed");
            write_table(
                Some(&owned),
                format,
                refs.iter().map(PredictionRef::to_row).collect(),
            )
            .unwrap();
            let mut w = TableWriter::<PredictionRow>::create(Some(&borrowed), format).unwrap();
            // One row written the owned way first: pending rows are flushed in order.
            w.write(refs[0].to_row()).unwrap();
            w.write_refs(&refs[1..], PredictionRef::to_row).unwrap();
            assert_eq!(w.finish().unwrap(), 2);
            assert_eq!(
                std::fs::read(&owned).unwrap(),
                std::fs::read(&borrowed).unwrap(),
                "{format:?}"
            );
        }
    }
}
