//! The sentence table held compactly for `extract`, the step that reads the largest tables:
//! the table keeps the file's text and its rows are byte ranges of it (a field with doubled
//! quotes is undone into a buffer appended to the text), so reading allocates a few buffers
//! for the whole table instead of three strings per row, and UTF-8 is checked once.
//!
//! Records are cut with `memchr` when they are plain (the usual case, see
//! [`plain_records`]; a large text is cut into parts read in parallel); anything else goes
//! through the `csv` crate. Either way the table accepts and rejects exactly what
//! [`crate::tables::parse_csv_table`] does for [`SentenceRow`], with the same error
//! messages (tests compare both).

use std::borrow::Cow;
use std::ops::Range;
use std::path::Path;

use anyhow::{Result, bail};
use rayon::prelude::*;

use crate::corpus::csv_error;
use crate::rows::{SentenceKind, SentenceRow};
use crate::rules::ArticleSentence;
use crate::tables::{self, Format, TableRow};
use sentlab_core::hash::FxHashMap;

/// One row: ranges into [`SentenceTable::buf`] and the fields `extract` reads.
#[derive(Debug, Clone)]
struct Entry {
    article_id: Range<usize>,
    sentence_id: Range<usize>,
    text: Range<usize>,
    kind: SentenceKind,
    start: u64,
    end: u64,
}

/// A sentence table: article id, sentence id, kind, start offset and text of every row.
#[derive(Debug, Default, Clone)]
pub struct SentenceTable {
    buf: String,
    rows: Vec<Entry>,
}

impl SentenceTable {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Article id of row `i`.
    pub fn article_id(&self, i: usize) -> &str {
        &self.buf[self.rows[i].article_id.clone()]
    }

    /// Sentence id of row `i`.
    pub fn sentence_id(&self, i: usize) -> &str {
        &self.buf[self.rows[i].sentence_id.clone()]
    }

    /// Start and end offsets of row `i`.
    pub fn span(&self, i: usize) -> (u64, u64) {
        (self.rows[i].start, self.rows[i].end)
    }

    /// Text of row `i`.
    pub fn text(&self, i: usize) -> &str {
        &self.buf[self.rows[i].text.clone()]
    }

    /// Row `i` as the matcher reads it.
    pub fn sentence(&self, i: usize) -> ArticleSentence<'_> {
        let e = &self.rows[i];
        ArticleSentence {
            sentence_id: &self.buf[e.sentence_id.clone()],
            kind: e.kind,
            text: &self.buf[e.text.clone()],
            start: e.start,
        }
    }

    /// Bytes of sentence text in the table.
    pub fn text_bytes(&self) -> u64 {
        self.rows.iter().map(|e| e.text.len() as u64).sum()
    }

    /// The row indices of each article, articles in order of first appearance.
    pub fn articles(&self) -> Vec<Vec<usize>> {
        let mut index: FxHashMap<&str, usize> = FxHashMap::default();
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for i in 0..self.rows.len() {
            let g = *index.entry(self.article_id(i)).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[g].push(i);
        }
        groups
    }

    /// The rows of the articles `keep` says yes to, in order; (table, rows left out).
    pub fn retain_articles(self, keep: impl Fn(&str) -> bool) -> (SentenceTable, usize) {
        let mut b = Builder::default();
        let mut left_out = 0;
        for e in &self.rows {
            if keep(&self.buf[e.article_id.clone()]) {
                b.push(
                    self.buf[e.article_id.clone()].as_bytes(),
                    self.buf[e.sentence_id.clone()].as_bytes(),
                    self.buf[e.text.clone()].as_bytes(),
                    e.kind,
                    e.start,
                    e.end,
                );
            } else {
                left_out += 1;
            }
        }
        (b.finish(), left_out)
    }

    /// The table of already parsed rows.
    pub fn from_rows(rows: &[SentenceRow]) -> SentenceTable {
        let mut b = Builder::default();
        for r in rows {
            b.push(
                r.article_id.as_bytes(),
                r.sentence_id.as_bytes(),
                r.text.as_bytes(),
                r.kind,
                r.start,
                r.end,
            );
        }
        b.finish()
    }

    /// Reads a sentence table: a CSV, JSON Lines, Parquet or Arrow file (by extension), or
    /// `-`, standard input (by content); see [`tables::read_table`].
    pub fn read(path: &Path) -> Result<SentenceTable> {
        let input = tables::input::read(path)?;
        if input.format != Format::Csv {
            return Ok(SentenceTable::from_rows(&rows_of(path, input)?));
        }
        let name = input.name.clone();
        let (text, _) = crate::corpus::decode(&name, input.bytes, false)?;
        // The text goes into the table; an error reads the file again to name lines, and
        // keeps a copy of standard input, which cannot be read again.
        let copy = tables::input::is_stdin(path).then(|| text.clone());
        let table = SentenceTable::parse_csv_text(&name, text)?;
        match copy {
            Some(text) => table.check().map_err(|p| p.error_in(&name, Some(&text)))?,
            None => table.check().map_err(|p| p.error(path))?,
        }
        Ok(table)
    }

    /// Parses a CSV sentence table (`name` is used in error messages).
    pub fn parse_csv(name: &str, text: &str) -> Result<SentenceTable> {
        let table = SentenceTable::parse_csv_text(name, text.to_owned())?;
        table.check().map_err(|p| p.error_in(name, Some(text)))?;
        Ok(table)
    }

    /// See [`check_rows`].
    fn check(&self) -> std::result::Result<(), RowProblem> {
        check_rows(self.rows.iter().map(|e| {
            let s = &self.buf;
            (
                &s[e.sentence_id.clone()],
                e.start,
                e.end,
                &s[e.text.clone()],
            )
        }))
    }

    /// [`Self::parse_csv`] of an owned text, which the table keeps: plain fields (most) are
    /// ranges of it.
    fn parse_csv_text(name: &str, text: String) -> Result<SentenceTable> {
        let (headers, body_from) = header(name, &text)?;
        tables::check_columns(
            name,
            &headers.iter().collect::<Vec<_>>(),
            SentenceRow::COLUMNS,
        )?;
        let columns = columns(&headers);
        match plain_records(name, text, body_from, headers.len(), &columns)? {
            Ok(table) => Ok(table),
            Err(text) => csv_records(name, &text, &columns),
        }
    }
}

/// Reads a sentence table (any format, or `-`; see [`tables::read_table`]) into rows,
/// checked as [`check_rows`] does.
pub fn read_rows(path: &Path) -> Result<Vec<SentenceRow>> {
    rows_of(path, tables::input::read(path)?)
}

/// The rows of the sentence table input read from `path`, checked as [`check_rows`] does
/// (a CSV table's rows named by line: a file is read again for that, standard input is
/// kept).
fn rows_of(path: &Path, input: tables::input::Input) -> Result<Vec<SentenceRow>> {
    let name = input.name.clone();
    let stdin_csv = (input.format == Format::Csv && tables::input::is_stdin(path))
        .then(|| String::from_utf8_lossy(&input.bytes).into_owned());
    let rows: Vec<SentenceRow> = match input.format {
        Format::Jsonl => tables::parse_jsonl_table(&name, &tables::input_text(input)?)?,
        _ => tables::parse_csv_table(&name, &tables::input_text(input)?)?,
    };
    check_rows(
        rows.iter()
            .map(|r| (r.sentence_id.as_str(), r.start, r.end, r.text.as_str())),
    )
    .map_err(|p| match stdin_csv {
        Some(text) => p.error_in(&name, Some(&text)),
        None => p.error(path),
    })?;
    Ok(rows)
}

/// A row that [`check_rows`] rejects: its index among the data rows, and the earlier row of
/// the same sentence id.
#[derive(Debug)]
struct RowProblem {
    row: usize,
    earlier: Option<usize>,
    message: String,
}

impl RowProblem {
    /// The error for the table file at `path`, read again to name lines.
    fn error(self, path: &Path) -> anyhow::Error {
        let name = path.display().to_string();
        let text = match Format::from_path(path) {
            Some(Format::Csv) | None => std::fs::read(path)
                .ok()
                .map(|b| String::from_utf8_lossy(&b).into_owned()),
            _ => None,
        };
        self.error_in(&name, text.as_deref())
    }

    /// The error for the table `name`: with its CSV `text`, rows are named by line, else as
    /// records (JSON Lines).
    fn error_in(self, name: &str, text: Option<&str>) -> anyhow::Error {
        let lines = text.map(|t| record_lines(t, self.row)).unwrap_or_default();
        let at = |row: usize| match lines.get(row) {
            Some(line) => format!("line {line}"),
            None => format!("record {}", row + 1),
        };
        let place = match lines.get(self.row) {
            Some(line) => format!("{name}:{line}"),
            None => format!("{name}: record {}", self.row + 1),
        };
        match self.earlier {
            Some(e) => anyhow::anyhow!(
                "{place}: {} (first on {}; expected unique sentence ids)",
                self.message,
                at(e)
            ),
            None => anyhow::anyhow!("{place}: {}", self.message),
        }
    }
}

/// The lines the data records `0..=last` of a CSV text start on.
pub(crate) fn record_lines(text: &str, last: usize) -> Vec<u64> {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let mut lines = crate::corpus::RecordLines::new(text.as_bytes());
    let mut record = csv::ByteRecord::new();
    let mut out = Vec::new();
    while out.len() <= last && matches!(reader.read_byte_record(&mut record), Ok(true)) {
        out.push(record.position().map_or(0, |p| lines.line(p)));
    }
    out
}

/// What the parser cannot check, on rows `(sentence id, start, end, text)`: the text is the
/// article from `start` to `end`, so `end - start` is its length in code points (a quoted
/// field left open, which swallows the rows after it, shows here), and no sentence id
/// repeats (the first repeat in row order is reported, after any offset problem).
fn check_rows<'a>(
    rows: impl ExactSizeIterator<Item = (&'a str, u64, u64, &'a str)>,
) -> std::result::Result<(), RowProblem> {
    use std::hash::BuildHasher;
    let hasher = std::hash::BuildHasherDefault::<sentlab_core::hash::FxHasher>::default();
    // Repeats are found by sorting id hashes (a hash map of every id costs cache misses).
    let mut hashes: Vec<(u64, usize)> = Vec::with_capacity(rows.len());
    let mut ids: Vec<&str> = Vec::with_capacity(rows.len());
    for (row, (id, start, end, text)) in rows.enumerate() {
        let problem = |message: String| RowProblem {
            row,
            earlier: None,
            message,
        };
        if end < start {
            return Err(problem(format!(
                "sentence `{id}`: end {end} is before start {start} (expected start <= end)"
            )));
        }
        let chars = text.chars().count() as u64;
        if chars != end - start {
            let open_quote = chars > end - start && text.contains('\n');
            return Err(problem(format!(
                "sentence `{id}`: its text has {chars} code points but end - start is {} \
                 (start {start}, end {end}); expected the text to be the article from start \
                 to end{}",
                end - start,
                if open_quote {
                    " (is a quoted field left open?)"
                } else {
                    ""
                }
            )));
        }
        hashes.push((hasher.hash_one(id), row));
        ids.push(id);
    }
    hashes.par_sort_unstable();
    // Within a run of equal hashes (rows ascending), a row repeats the first earlier row
    // with the same id; keep the repeat with the smallest row.
    let mut first: Option<(usize, usize)> = None;
    for run in hashes.chunk_by(|a, b| a.0 == b.0).filter(|r| r.len() > 1) {
        for (k, &(_, row)) in run.iter().enumerate() {
            let earlier = run[..k]
                .iter()
                .map(|&(_, e)| e)
                .find(|&e| ids[e] == ids[row]);
            if let Some(e) = earlier
                && first.is_none_or(|(r, _)| row < r)
            {
                first = Some((row, e));
            }
        }
    }
    match first {
        Some((row, earlier)) => Err(RowProblem {
            row,
            earlier: Some(earlier),
            message: format!("sentence id `{}` repeats", ids[row]),
        }),
        None => Ok(()),
    }
}

/// The columns of the table's fields (by header) in column order, as serde reads them (so
/// the first problem reported is the same); a struct field is read from the first column of
/// its name.
fn columns(headers: &csv::StringRecord) -> Vec<(usize, Field)> {
    let mut columns: Vec<(usize, Field)> = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let f = match h {
            "article_id" => Field::Article,
            "sentence_id" => Field::Sentence,
            "index" => Field::U32("index"),
            "paragraph" => Field::U32("paragraph"),
            "kind" => Field::Kind,
            "start" => Field::Start,
            "end" => Field::End,
            "text" => Field::Text,
            _ => continue,
        };
        if headers.iter().position(|o| o == h) == Some(i) {
            columns.push((i, f));
        } else {
            // Serde rejects a row that repeats a field, when it reaches that column.
            let name = SentenceRow::COLUMNS.iter().find(|c| **c == h);
            columns.push((i, Field::Repeated(name.expect("a known column"))));
        }
    }
    columns
}

/// The header record of a CSV text and the byte offset of the first record after it.
fn header(name: &str, text: &str) -> Result<(csv::StringRecord, usize)> {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| csv_error(name, text.as_bytes(), e))?
        .clone();
    let mut from = reader.position().byte() as usize;
    // After a `\r\n` header the reader stops between the two bytes.
    if from > 0 && text.as_bytes()[from - 1] == b'\r' && text.as_bytes().get(from) == Some(&b'\n') {
        from += 1;
    }
    Ok((headers, from))
}

/// The rows of a CSV text through the `csv` crate (for any text [`plain_records`] leaves).
fn csv_records(name: &str, text: &str, columns: &[(usize, Field)]) -> Result<SentenceTable> {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    reader
        .headers()
        .map_err(|e| csv_error(name, text.as_bytes(), e))?;
    let mut lines = crate::corpus::RecordLines::new(text.as_bytes());
    let mut table = Builder {
        // Every field is a part of the file: the buffer never grows.
        buf: Vec::with_capacity(text.len()),
        rows: Vec::new(),
    };
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_error(name, text.as_bytes(), e)),
        }
        let line_no = record.position().map_or(0, |p| lines.line(p));
        let line = || line_no;
        let field = |i: usize| record.get(i).unwrap_or_default();
        let (kind, start, end) = check_fields(name, line, columns, |i| Cow::Borrowed(field(i)))?;
        let (mut article, mut sentence, mut body): (&[u8], &[u8], &[u8]) = (b"", b"", b"");
        for &(i, f) in columns {
            match f {
                Field::Article => article = field(i),
                Field::Sentence => sentence = field(i),
                Field::Text => body = field(i),
                _ => {}
            }
        }
        table.push(article, sentence, body, kind, start, end);
    }
    Ok(table.finish())
}

/// Checks the kind and integer fields of a record in column order (the other fields cannot
/// be wrong), with serde's messages; returns the kind, start and end.
fn check_fields<'a>(
    name: &str,
    line: impl Fn() -> u64,
    columns: &[(usize, Field)],
    field: impl Fn(usize) -> Cow<'a, [u8]>,
) -> Result<(SentenceKind, u64, u64)> {
    let (mut kind, mut start, mut end) = (SentenceKind::Body, 0, 0);
    for &(i, f) in columns {
        if matches!(f, Field::Article | Field::Sentence | Field::Text) {
            continue;
        }
        let value = field(i);
        let short = || std::str::from_utf8(&value).unwrap_or_default();
        let line = &line;
        let bad_int = |column: &'static str| {
            move |e| {
                anyhow::anyhow!(
                    "{name}:{}: column `{column}`: {e} (expected a non-negative integer)",
                    line()
                )
            }
        };
        match f {
            Field::U32(column) => {
                parse_int::<u32>(short()).map_err(bad_int(column))?;
            }
            Field::Start => start = parse_int::<u64>(short()).map_err(bad_int("start"))?,
            Field::End => end = parse_int::<u64>(short()).map_err(bad_int("end"))?,
            Field::Kind => {
                kind = match &*value {
                    b"title" => SentenceKind::Title,
                    b"body" => SentenceKind::Body,
                    _ => bail!(
                        "{name}:{}: unknown variant `{}`, expected `title` or `body`",
                        line(),
                        String::from_utf8_lossy(&value)
                    ),
                }
            }
            Field::Repeated(h) => bail!("{name}:{}: duplicate field `{h}`", line()),
            Field::Article | Field::Sentence | Field::Text => {}
        }
    }
    Ok((kind, start, end))
}

/// A field of a record: byte range in the text (inside the quotes of a quoted field), and
/// whether it holds doubled quotes to undo.
#[derive(Debug, Clone, Copy, Default)]
struct Span {
    start: usize,
    end: usize,
    escaped: bool,
}

/// The rows of a CSV text whose records from `from` on are all plain: `width` fields each,
/// a field either unquoted without `"` or `\r`, or quoted with its quotes doubled inside
/// and the closing quote right before a comma or the end of the record; records end with
/// `\n`, `\r\n` or the end of the text, and none is empty. Such text reads the same with the
/// `csv` crate. The table keeps the text: fields are ranges of it, except fields with
/// doubled quotes, appended to it undone. `Ok(Err(text))` gives back a text that is not
/// plain.
fn plain_records(
    name: &str,
    text: String,
    from: usize,
    width: usize,
    columns: &[(usize, Field)],
) -> Result<Result<SentenceTable, String>> {
    // Large texts are cut into one part per thread at record ends and read in parallel.
    let parts = if text.len() - from >= 1 << 20 {
        rayon::current_num_threads()
    } else {
        1
    };
    plain_records_in_parts(name, text, from, width, columns, parts)
}

/// [`plain_records`] reading the text in `parts` parts in parallel.
fn plain_records_in_parts(
    name: &str,
    text: String,
    from: usize,
    width: usize,
    columns: &[(usize, Field)],
    parts: usize,
) -> Result<Result<SentenceTable, String>> {
    let bytes = text.as_bytes();
    let cuts = record_cuts(bytes, from, parts);
    let read: Vec<Result<Option<Part>>> = cuts
        .par_windows(2)
        .map(|w| plain_part(name, bytes, w[0], w[1], width, columns))
        .collect();
    let mut done = Vec::with_capacity(read.len());
    for part in read {
        // In text order: a part that is not plain sends the whole text to the csv crate
        // (which reports any earlier problem first), else the first error is the text's.
        match part? {
            Some(p) => done.push(p),
            None => return Ok(Err(text)),
        }
    }
    let mut buf = text;
    let mut rows = Vec::with_capacity(done.iter().map(|p| p.rows.len()).sum());
    for part in done {
        let base = buf.len();
        buf.push_str(std::str::from_utf8(&part.extra).expect("undone fields of UTF-8 text"));
        let fix = |r: Range<usize>| {
            if r.start & EXTRA != 0 {
                base + (r.start & !EXTRA)..base + (r.end & !EXTRA)
            } else {
                r
            }
        };
        rows.extend(part.rows.into_iter().map(|e| Entry {
            article_id: fix(e.article_id),
            sentence_id: fix(e.sentence_id),
            text: fix(e.text),
            ..e
        }));
    }
    Ok(Ok(SentenceTable { buf, rows }))
}

/// Marks a range of [`Part::extra`] (instead of the text).
const EXTRA: usize = 1 << (usize::BITS - 1);

/// The rows of a part of the text; fields with doubled quotes are undone into `extra`.
struct Part {
    rows: Vec<Entry>,
    extra: Vec<u8>,
}

/// `parts + 1` offsets from `from` to the end of `bytes`, the inner ones just after a line
/// feed outside quotes: where a record starts if the text before is plain (in plain text a
/// quoted field holds an even number of quotes, so an odd count means inside one). Fewer
/// when parts would be empty.
fn record_cuts(bytes: &[u8], from: usize, parts: usize) -> Vec<usize> {
    let mut cuts = vec![from];
    // Quotes in `bytes[from..counted]`.
    let (mut quotes, mut counted) = (0usize, from);
    for i in 1..parts {
        let target = from + (bytes.len() - from) * i / parts;
        if target <= counted {
            continue;
        }
        quotes += bytes[counted..target]
            .iter()
            .filter(|&&b| b == b'"')
            .count();
        let mut at = target;
        while at < bytes.len() {
            match bytes[at] {
                b'"' => quotes += 1,
                b'\n' if quotes % 2 == 0 => break,
                _ => {}
            }
            at += 1;
        }
        if at + 1 >= bytes.len() {
            break;
        }
        counted = at + 1;
        cuts.push(counted);
    }
    cuts.push(bytes.len());
    cuts
}

/// The records from `from` to exactly `to` when they are plain (see [`plain_records`]);
/// `None` when they are not, or a record runs past `to`.
fn plain_part(
    name: &str,
    bytes: &[u8],
    from: usize,
    to: usize,
    width: usize,
    columns: &[(usize, Field)],
) -> Result<Option<Part>> {
    let mut rows = Vec::new();
    let mut extra: Vec<u8> = Vec::new();
    let mut spans = vec![Span::default(); width];
    let mut at = from;
    while at < to {
        let record_start = at;
        for (k, span) in spans.iter_mut().enumerate() {
            let last = k + 1 == width;
            let Some((s, next)) = plain_field(bytes, at, last) else {
                return Ok(None);
            };
            *span = s;
            at = next;
        }
        // 1-based line of the record's start, for errors (counted only then).
        let line = || 1 + memchr::memchr_iter(b'\n', &bytes[..record_start]).count() as u64;
        let undo = |s: Span| -> Cow<'_, [u8]> {
            let raw = &bytes[s.start..s.end];
            if s.escaped {
                Cow::Owned(undo_quotes(raw))
            } else {
                Cow::Borrowed(raw)
            }
        };
        let (kind, start, end) = check_fields(name, line, columns, |i| undo(spans[i]))?;
        let mut keep = |s: Span| -> Range<usize> {
            if s.escaped {
                let from = extra.len();
                extra.extend_from_slice(&undo_quotes(&bytes[s.start..s.end]));
                (from | EXTRA)..(extra.len() | EXTRA)
            } else {
                s.start..s.end
            }
        };
        let (mut article_id, mut sentence_id, mut body) = (0..0, 0..0, 0..0);
        for &(i, f) in columns {
            match f {
                Field::Article => article_id = keep(spans[i]),
                Field::Sentence => sentence_id = keep(spans[i]),
                Field::Text => body = keep(spans[i]),
                _ => {}
            }
        }
        rows.push(Entry {
            article_id,
            sentence_id,
            text: body,
            kind,
            start,
            end,
        });
    }
    Ok((at == to).then_some(Part { rows, extra }))
}

/// The plain field at `at` (see [`plain_records`]) and where the next one starts, or `None`.
/// The record's last field must end the record, the others must end with a comma.
#[inline]
fn plain_field(bytes: &[u8], at: usize, last: bool) -> Option<(Span, usize)> {
    let (span, end) = if bytes.get(at) == Some(&b'"') {
        let mut escaped = false;
        let mut i = at + 1;
        loop {
            i += memchr::memchr(b'"', &bytes[i..])?;
            if bytes.get(i + 1) == Some(&b'"') {
                escaped = true;
                i += 2;
            } else {
                break;
            }
        }
        (
            Span {
                start: at + 1,
                end: i,
                escaped,
            },
            i + 1,
        )
    } else {
        let end = at + memchr::memchr3(b',', b'\n', b'"', &bytes[at..]).unwrap_or(bytes.len() - at);
        if bytes.get(end) == Some(&b'"') {
            return None;
        }
        // A `\r` is only allowed (and left out) right before the record's `\n`.
        let cr = memchr::memchr(b'\r', &bytes[at..end]).map(|i| at + i);
        let end_of_field = match cr {
            None => end,
            Some(i) if i + 1 == end && bytes.get(end) == Some(&b'\n') => i,
            Some(_) => return None,
        };
        (
            Span {
                start: at,
                end: end_of_field,
                escaped: false,
            },
            end,
        )
    };
    if last {
        // The record ends: `\n`, `\r\n` or the end of the text; no empty record follows
        // (the csv crate skips those).
        let next = match bytes.get(end) {
            None => end,
            Some(b'\n') => end + 1,
            Some(b'\r') if bytes.get(end + 1) == Some(&b'\n') => end + 2,
            _ => return None,
        };
        if matches!(bytes.get(next), Some(b'\n' | b'\r')) {
            return None;
        }
        // An empty record is a single empty field: not plain unless that is the whole record.
        Some((span, next))
    } else if bytes.get(end) == Some(&b',') {
        Some((span, end + 1))
    } else {
        None
    }
}

/// A quoted field's content with its doubled quotes undone.
fn undo_quotes(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        out.push(raw[i]);
        i += if raw[i] == b'"' { 2 } else { 1 };
    }
    out
}

/// A table being built: fields as bytes, checked as UTF-8 once at the end.
#[derive(Default)]
struct Builder {
    buf: Vec<u8>,
    rows: Vec<Entry>,
}

impl Builder {
    fn push(
        &mut self,
        article_id: &[u8],
        sentence_id: &[u8],
        text: &[u8],
        kind: SentenceKind,
        start: u64,
        end: u64,
    ) {
        let mut put = |s: &[u8]| {
            let from = self.buf.len();
            self.buf.extend_from_slice(s);
            from..self.buf.len()
        };
        let article_id = put(article_id);
        let sentence_id = put(sentence_id);
        let text = put(text);
        self.rows.push(Entry {
            article_id,
            sentence_id,
            text,
            kind,
            start,
            end,
        });
    }

    /// The table; every field is a field of UTF-8 text cut at ASCII bytes (CSV delimiters and
    /// quotes), so valid UTF-8 on its own, and ranges fall on character boundaries.
    fn finish(self) -> SentenceTable {
        SentenceTable {
            buf: String::from_utf8(self.buf).expect("fields of UTF-8 text cut at ASCII bytes"),
            rows: self.rows,
        }
    }
}

/// What a column of the sentence table holds, for [`SentenceTable::parse_csv`].
#[derive(Debug, Clone, Copy)]
enum Field {
    Article,
    Sentence,
    Text,
    Kind,
    Start,
    End,
    /// An integer column that is checked but not kept (its name).
    U32(&'static str),
    /// A second column of the same name (an error on every row, as with serde).
    Repeated(&'static str),
}

/// An unsigned integer type, read like the `csv` crate's deserializer does.
trait UInt: Sized {
    fn from_radix(s: &str, radix: u32) -> Result<Self, std::num::ParseIntError>;
}

impl UInt for u32 {
    fn from_radix(s: &str, radix: u32) -> Result<Self, std::num::ParseIntError> {
        u32::from_str_radix(s, radix)
    }
}

impl UInt for u64 {
    fn from_radix(s: &str, radix: u32) -> Result<Self, std::num::ParseIntError> {
        u64::from_str_radix(s, radix)
    }
}

/// An unsigned integer as the `csv` crate's deserializer reads it (decimal, or hex after `0x`).
fn parse_int<T: UInt>(s: &str) -> Result<T, std::num::ParseIntError> {
    match s.strip_prefix("0x") {
        Some(digits) => T::from_radix(digits, 16),
        None => T::from_radix(s, 10),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::parse_csv_table;

    const HEADER: &str = "article_id,sentence_id,index,paragraph,kind,start,end,text";

    /// Parses `csv` both ways and checks the compact table holds the rows serde reads.
    fn same_as_serde(csv: &str) -> SentenceTable {
        let rows: Vec<SentenceRow> = parse_csv_table("t.csv", csv).expect("serde parses it");
        // Parsing only: the offsets of these rows are arbitrary (`check_rows` is tested apart).
        let table = SentenceTable::parse_csv_text("t.csv", csv.to_owned()).expect("compact parse");
        assert_eq!(table.len(), rows.len());
        for (i, r) in rows.iter().enumerate() {
            let s = table.sentence(i);
            assert_eq!(table.article_id(i), r.article_id, "row {i}");
            assert_eq!(s.sentence_id, r.sentence_id, "row {i}");
            assert_eq!(s.text, r.text, "row {i}");
            assert_eq!(table.text(i), r.text, "row {i}");
            assert_eq!(s.kind, r.kind, "row {i}");
            assert_eq!(s.start, r.start, "row {i}");
        }
        let from_rows = SentenceTable::from_rows(&rows);
        for i in 0..rows.len() {
            assert_eq!(from_rows.sentence(i), table.sentence(i), "row {i}");
            assert_eq!(from_rows.article_id(i), table.article_id(i), "row {i}");
        }
        // Read in parts (as large texts are), plain tables give the same rows.
        let (headers, from) = header("t.csv", csv).expect("header");
        let columns = columns(&headers);
        let plain = |parts| {
            let text = csv.to_owned();
            match plain_records_in_parts("t.csv", text, from, headers.len(), &columns, parts) {
                Ok(Ok(t)) => Some(t),
                _ => None,
            }
        };
        let whole = plain(1).is_some();
        for parts in 2..6 {
            let split = plain(parts);
            assert_eq!(split.is_some(), whole, "{parts} parts");
            let Some(split) = split else { continue };
            assert_eq!(split.len(), rows.len(), "{parts} parts");
            for i in 0..rows.len() {
                assert_eq!(
                    split.sentence(i),
                    table.sentence(i),
                    "row {i}, {parts} parts"
                );
                assert_eq!(
                    split.article_id(i),
                    table.article_id(i),
                    "row {i}, {parts} parts"
                );
            }
        }
        table
    }

    /// Both parsers' error messages for `csv`.
    fn errors(csv: &str) -> (String, String) {
        let serde = parse_csv_table::<SentenceRow>("t.csv", csv)
            .expect_err("serde rejects it")
            .to_string();
        let compact = SentenceTable::parse_csv("t.csv", csv)
            .expect_err("compact parse rejects it")
            .to_string();
        (serde, compact)
    }

    #[test]
    fn reads_quoted_fields_like_serde() {
        let csv = format!(
            "{HEADER}\n\
             a,a:0,0,0,title,0,5,Title\n\
             a,a:1,1,1,body,7,30,\"He said \"\"no\"\", twice, then left.\"\n\
             \"b,2\",\"b,2:0\",0,0,body,0,12,\"Line one\nline two\"\n\
             c,c:0,0,0,body,0,9,Ça va ‘bien’ 😀\n\
             a,a:2,2,1,body,0x1f,0x2a,\n"
        );
        let t = same_as_serde(&csv);
        assert_eq!(t.text(1), "He said \"no\", twice, then left.");
        assert_eq!(t.article_id(2), "b,2");
        assert_eq!(t.text(2), "Line one\nline two");
        assert_eq!(t.text(3), "Ça va ‘bien’ 😀");
        // `0x1f` is read as hex, as the csv crate's deserializer does.
        assert_eq!(t.sentence(4).start, 31);
        assert_eq!(t.text(4), "");
        assert_eq!(
            t.text_bytes(),
            (5 + 31 + 17 + "Ça va ‘bien’ 😀".len()) as u64
        );
        // Articles by first appearance; `a` comes back after `c`.
        assert_eq!(t.articles(), vec![vec![0, 1, 4], vec![2], vec![3]]);
    }

    #[test]
    fn reads_crlf_reordered_and_extra_columns_like_serde() {
        let csv = "text,extra,kind,end,start,paragraph,index,sentence_id,article_id\r\n\
                   Hello there.,x,body,12,0,0,0,a:0,a\r\n\
                   \"Bye, now.\",,title,22,13,1,1,a:1,a\r\n";
        let t = same_as_serde(csv);
        assert_eq!(t.text(1), "Bye, now.");
        assert_eq!(t.sentence(1).kind, SentenceKind::Title);
        assert_eq!(t.sentence(1).start, 13);
        let empty = same_as_serde(&format!("{HEADER}\n"));
        assert!(empty.is_empty());
    }

    #[test]
    fn rejects_bad_rows_with_serdes_messages() {
        let cases = [
            // kind not title/body
            format!("{HEADER}\na,a:0,0,0,middle,0,5,x\n"),
            // a number that is not one, in each integer column
            format!("{HEADER}\na,a:0,x,0,body,0,5,x\n"),
            format!("{HEADER}\na,a:0,0,-1,body,0,5,x\n"),
            format!("{HEADER}\na,a:0,0,0,body,,5,x\n"),
            format!("{HEADER}\na,a:0,0,0,body,0,99999999999999999999999,x\n"),
            // index does not fit in u32
            format!("{HEADER}\na,a:0,4294967296,0,body,0,5,x\n"),
            // two bad fields: the first in column order is reported
            format!("{HEADER}\na,a:0,0,0,nope,x,5,x\n"),
            // a short record on line 3
            format!("{HEADER}\na,a:0,0,0,body,0,5,x\nb,b:0,0\n"),
            // missing columns
            "article_id,sentence_id,kind,text\na,a:0,body,x\n".to_string(),
        ];
        for csv in &cases {
            let (serde, compact) = errors(csv);
            assert_eq!(compact, serde, "for {csv:?}");
        }
        let (_, kind) = errors(&cases[0]);
        assert_eq!(
            kind,
            "t.csv:2: unknown variant `middle`, expected `title` or `body`"
        );
        let (_, int) = errors(&cases[1]);
        assert_eq!(
            int,
            "t.csv:2: column `index`: invalid digit found in string (expected a non-negative integer)"
        );
        let (_, short) = errors(&cases[7]);
        assert_eq!(short, "t.csv:3: expected 8 fields, found 3");
    }

    /// Whether `csv` is read by the plain-record path (not handed to the csv crate).
    fn is_plain(csv: &str) -> bool {
        let (headers, from) = header("t.csv", csv).expect("header");
        let width = headers.len();
        let columns = [(0, Field::Article)];
        matches!(
            plain_records("t.csv", csv.to_owned(), from, width, &columns),
            Ok(Ok(_))
        )
    }

    #[test]
    fn plain_records_are_read_without_the_csv_crate_and_others_with_it() {
        let plain = [
            format!("{HEADER}\na,a:0,0,0,title,0,5,Title\n"),
            format!("{HEADER}\na,a:0,0,0,title,0,5,Title"),
            format!(
                "{HEADER}\r\na,a:0,0,0,body,0,5,\"x, \"\"y\"\"\r\nz\"\r\nb,b:0,0,0,body,0,5,\"\"\r\n"
            ),
            format!("{HEADER}\na,a:0,0,0,body,0,5,\n"),
        ];
        for csv in &plain {
            assert!(is_plain(csv), "{csv:?}");
            same_as_serde(csv);
        }
        let irregular = [
            // blank line between records (the csv crate skips it)
            format!("{HEADER}\na,a:0,0,0,body,0,5,x\n\nb,b:0,0,0,body,0,5,y\n"),
            // a lone carriage return ends a record for the csv crate
            format!("{HEADER}\na,a:0,0,0,body,0,5,x\rb,b:0,0,0,body,0,5,y\n"),
            // a quote inside an unquoted field; text after a closing quote
            format!("{HEADER}\na,a:0,0,0,body,0,5,say \"x\"\n"),
            format!("{HEADER}\na,a:0,0,0,body,0,5,\"x\"y\n"),
            // an unclosed quote
            format!("{HEADER}\na,a:0,0,0,body,0,5,\"x\n"),
        ];
        for csv in &irregular {
            assert!(!is_plain(csv), "{csv:?}");
            same_as_serde(csv);
        }
        // Too many or too few fields: the csv crate's error.
        for csv in [
            format!("{HEADER}\na,a:0,0,0,body,0,5,x,extra\n"),
            format!("{HEADER}\na,a:0,0,0,body,0,5\n"),
        ] {
            assert!(!is_plain(&csv), "{csv:?}");
            let (serde, compact) = errors(&csv);
            assert_eq!(compact, serde);
        }
        // A bad value on a plain record names the line the record starts on (after a
        // quoted field with a line break).
        let csv = format!("{HEADER}\na,a:0,0,0,body,0,5,\"two\nlines\"\nb,b:0,0,0,bodi,0,5,x\n");
        assert!(is_plain(&csv));
        let (serde, compact) = errors(&csv);
        assert_eq!(compact, serde);
        assert!(
            compact.starts_with("t.csv:4: unknown variant `bodi`"),
            "{compact}"
        );
    }

    #[test]
    fn cuts_fall_at_record_starts_outside_quoted_line_breaks() {
        let csv = format!(
            "{HEADER}\na,a:0,0,0,body,0,5,\"one\ntwo \"\"q\"\"\nthree\"\na,a:1,1,0,body,0,5,x\nb,b:0,0,0,body,0,5,\"\"\"\n\"\"\"\n"
        );
        let (_, from) = header("t.csv", &csv).expect("header");
        let bytes = csv.as_bytes();
        let record_starts = [
            from,
            csv.find("a,a:1").expect("record 2"),
            csv.find("b,b:0").expect("record 3"),
        ];
        for parts in 1..12 {
            let cuts = record_cuts(bytes, from, parts);
            assert_eq!(cuts.first(), Some(&from));
            assert_eq!(cuts.last(), Some(&bytes.len()));
            for c in &cuts[1..cuts.len() - 1] {
                assert!(record_starts.contains(c), "cut at {c} with {parts} parts");
            }
            assert!(cuts.windows(2).all(|w| w[0] < w[1]), "{cuts:?}");
        }
        assert_eq!(record_cuts(bytes, from, 3).len(), 4);
    }

    proptest::proptest! {
        #[test]
        fn written_tables_read_like_serde(
            rows in proptest::collection::vec(
                ("[a-c,\"]{0,3}", "[a-z ,\"\n\r\u{e9}\u{2019}]{0,12}", proptest::bool::ANY),
                0..6,
            ),
            crlf in proptest::bool::ANY,
            always in proptest::bool::ANY,
        ) {
            let mut w = csv::WriterBuilder::new()
                .terminator(if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') })
                .quote_style(if always { csv::QuoteStyle::Always } else { csv::QuoteStyle::Necessary })
                .from_writer(Vec::new());
            w.write_record(HEADER.split(',')).expect("write");
            for (i, (article, text, title)) in rows.iter().enumerate() {
                let kind = if *title { "title" } else { "body" };
                let (index, id) = (i.to_string(), format!("{article}:{i}"));
                w.write_record([article.as_str(), &id, &index, "0", kind, "3", "9", text])
                    .expect("write");
            }
            let csv = String::from_utf8(w.into_inner().expect("flush")).expect("utf-8");
            // The writer quotes fields with `\r`, `\n`, `"` or `,`: every written table is plain.
            proptest::prop_assert!(is_plain(&csv));
            same_as_serde(&csv);
        }
    }

    /// Rows (article, sentence id, text, kind, start) or the error message.
    type Outcome = Result<Vec<(String, String, String, String, u64)>, String>;

    /// What the serde reader makes of `csv`.
    fn serde_outcome(csv: &str) -> Outcome {
        parse_csv_table::<SentenceRow>("t.csv", csv)
            .map(|rows| {
                rows.into_iter()
                    .map(|r| {
                        (
                            r.article_id,
                            r.sentence_id,
                            r.text,
                            r.kind.as_str().into(),
                            r.start,
                        )
                    })
                    .collect()
            })
            .map_err(|e| e.to_string())
    }

    /// What the compact reader makes of `csv`, reading plain records in `parts` parts.
    fn compact_outcome(csv: &str, parts: usize) -> Outcome {
        let read = || -> Result<SentenceTable> {
            let (headers, from) = header("t.csv", csv)?;
            tables::check_columns(
                "t.csv",
                &headers.iter().collect::<Vec<_>>(),
                SentenceRow::COLUMNS,
            )?;
            let columns = columns(&headers);
            match plain_records_in_parts(
                "t.csv",
                csv.to_owned(),
                from,
                headers.len(),
                &columns,
                parts,
            )? {
                Ok(t) => Ok(t),
                Err(text) => csv_records("t.csv", &text, &columns),
            }
        };
        read()
            .map(|t| {
                (0..t.len())
                    .map(|i| {
                        let s = t.sentence(i);
                        let id = s.sentence_id.to_owned();
                        (
                            t.article_id(i).to_owned(),
                            id,
                            s.text.to_owned(),
                            s.kind.as_str().into(),
                            s.start,
                        )
                    })
                    .collect()
            })
            .map_err(|e| e.to_string())
    }

    fn same_outcome(csv: &str) -> std::result::Result<(), String> {
        let want = serde_outcome(csv);
        for parts in [1, 2, 3, 5] {
            let got = compact_outcome(csv, parts);
            if got != want {
                return Err(format!(
                    "{csv:?} in {parts} parts:\n serde   {want:?}\n compact {got:?}"
                ));
            }
        }
        Ok(())
    }

    #[test]
    fn rows_whose_offsets_disagree_with_their_text_or_whose_ids_repeat_are_rejected() {
        let h = HEADER;
        let err = |csv: &str| {
            SentenceTable::parse_csv("t.csv", csv)
                .unwrap_err()
                .to_string()
        };
        // Offsets that agree: "Title" is 5 code points, "Ça va ?" 7 (one is two bytes).
        let ok = format!("{h}\na,a:0,0,0,title,0,5,Title\na,a:1,1,1,body,7,14,Ça va ?\n");
        assert_eq!(SentenceTable::parse_csv("t.csv", &ok).unwrap().len(), 2);
        // A quoted field left open swallows the rest of the file (90 code points, counted
        // by hand: "Title\n" 6, the second line 46 with its line break, the third 38).
        let open = format!(
            "{h}\na,a:0,0,0,title,0,5,\"Title\na,a:1,1,1,body,7,32,This is a total disaster!\n\
             a,a:2,2,1,body,33,50,What a disaster!\n"
        );
        assert_eq!(
            err(&open),
            "t.csv:2: sentence `a:0`: its text has 90 code points but end - start is 5 \
             (start 0, end 5); expected the text to be the article from start to end \
             (is a quoted field left open?)"
        );
        // end before start; a start near the top of u64 cannot wrap around either
        let back = format!("{h}\r\na,a:0,0,0,title,0,5,Title\r\n\r\na,a:1,1,1,body,70,30,x\r\n");
        assert_eq!(
            err(&back),
            "t.csv:4: sentence `a:1`: end 30 is before start 70 (expected start <= end)"
        );
        let top = format!("{h}\na,a:0,0,0,body,18446744073709551610,5,Title\n");
        assert!(err(&top).starts_with("t.csv:2: sentence `a:0`: end 5 is before start"));
        let short = format!("{h}\na,a:0,0,0,body,0,6,Title\n");
        assert!(err(&short).starts_with(
            "t.csv:2: sentence `a:0`: its text has 5 code points but end - start is 6"
        ));
        // A repeated sentence id names both lines.
        let twice =
            format!("{h}\na,a:0,0,0,title,0,1,T\na,a:1,1,1,body,2,3,x\na,a:0,2,1,body,4,5,y\n");
        assert_eq!(
            err(&twice),
            "t.csv:4: sentence id `a:0` repeats (first on line 2; expected unique sentence ids)"
        );
        // Several repeats: the first in row order (y:0 on line 4) is reported.
        let many = format!(
            "{h}\nx,x:0,0,0,body,0,1,T\ny,y:0,0,0,body,0,1,T\ny,y:0,0,0,body,0,1,T\n\
             x,x:0,0,0,body,0,1,T\ny,y:0,0,0,body,0,1,T\n"
        );
        assert_eq!(
            err(&many),
            "t.csv:4: sentence id `y:0` repeats (first on line 3; expected unique sentence ids)"
        );
    }

    #[test]
    fn edge_cases_read_like_serde() {
        let h = HEADER;
        let cases = [
            // a repeated known column: every row is an error (in column order)
            format!("{h},text\na,a:0,0,0,body,0,5,x,y\n"),
            format!("{h},kind\na,a:0,0,0,body,0,5,x,bogus\n"),
            format!("{h},index\na,a:0,0,0,bodi,0,5,x,1\n"),
            format!("{h},text\n"),
            // line numbers after `\r\n` records, and after quoted line breaks
            format!("{h}\r\na,a:0,0,0,body,0,5,x\r\nb,b:0,0,0,bodi,0,5,y\r\n"),
            format!("{h}\na,a:0,0,0,body,0,5,\"x\ry\"\nb,b:0,0,0,bodi,0,5,z\n"),
            format!("{h}\na,a:0,0,0,body,0,5,\"x\r\ny\"\nb,b:0,0,0,bodi,0,5,z\n"),
            format!("{h}\r\n"),
            format!("{h}\r"),
            format!("{h}\n\r\na,a:0,0,0,body,0,5,x\n"),
            format!("{h}\na,a:0,0,0,body,0,5,x\r"),
            format!("{h}\na,a:0,0,0,body,0,5,\"x\"\r"),
            format!("{h}\na,a:0,0,0,body,0,5,\"\"\"\"\n"),
            format!("{h}\na,a:0,0,0,body,0,5,\"a\"\"\"\n"),
            format!("{h}\n\"a\",a:0,0,0,body,0,5,x\nb,b:0,0,0,body,0,5,\"y\n"),
            format!("{h}\na,a:0,0,0,body,+3,5,x\n"),
            format!("{h}\na,a:0,0,0,body,0x,5,x\n"),
            format!("{h}\na,a:0,0,0,Body,0,5,x\n"),
            format!("{h}\na,a:0,0,0,\"bo\"\"dy\",0,5,x\n"),
            format!("\n\n{h}\n\na,a:0,0,0,bodx,0,5,x\n"),
            format!("{h}\na,a:0,0,0,body,0,5,x\n\r\nb,b:0,0,0,bodx,0,5,x\n"),
            format!("{h},,\na,a:0,0,0,body,0,5,x,,\n"),
            format!("{h}\n,,,,,,,\n"),
            "text,text\nx,y\n".to_string(),
            String::new(),
        ];
        let bad: Vec<String> = cases.iter().filter_map(|c| same_outcome(c).err()).collect();
        assert!(bad.is_empty(), "{}", bad.join("\n"));
        assert_eq!(
            serde_outcome(&cases[0]),
            Err("t.csv:2: duplicate field `text`".to_string())
        );
        // Lines counted by hand: after `\r\n` ends, blank lines and a blank `\r\n` line.
        assert_eq!(
            compact_outcome(&cases[4], 1),
            Err("t.csv:3: unknown variant `bodi`, expected `title` or `body`".to_string())
        );
        assert_eq!(
            serde_outcome(&cases[19]),
            Err("t.csv:5: unknown variant `bodx`, expected `title` or `body`".to_string())
        );
        assert_eq!(
            compact_outcome(&cases[20], 2),
            Err("t.csv:4: unknown variant `bodx`, expected `title` or `body`".to_string())
        );
    }

    proptest::proptest! {
        #[test]
        fn rows_of_odd_fields_read_like_serde(rows in proptest::collection::vec((
            proptest::sample::select(vec!["a", "\"a\"", "\"a,b\"", "", "\"\"", "\"x\"\"y\"", "a\"b", "\"a\nb\""]),
            proptest::sample::select(vec!["body", "title", "\"body\"", "bodi", ""]),
            proptest::sample::select(vec!["0", "\"1\"", "0x1f", "-1", "", "99999999999"]),
            proptest::sample::select(vec!["x", "\"x\ny\"", "\"\"\"\"", "\"x\"y", "x\ry", "\"x\r\"", "", "\u{e9}\"", "x,y"]),
            proptest::sample::select(vec!["\n", "\r\n", "\r", "\n\n", ""]),
        ), 0..12)) {
            let mut csv = format!("{HEADER}\n");
            for (a, k, n, t, end) in &rows {
                csv.push_str(&format!("{a},{a}:0,{n},0,{k},{n},5,{t}{end}"));
            }
            if let Err(e) = same_outcome(&csv) {
                proptest::prop_assert!(false, "{}", e);
            }
        }

        #[test]
        fn random_bodies_read_like_serde(
            body in proptest::collection::vec(proptest::sample::select(vec![
                "a", ",", "\"", "\n", "\r", "\r\n", "body", "title", "0", "x", "\"\"", ",,,,,,,",
                "a,a:0,0,0,body,0,5,", "\u{e9}", " ",
            ]), 0..60),
            crlf in proptest::bool::ANY,
        ) {
            let csv = format!("{HEADER}{}{}", if crlf { "\r\n" } else { "\n" }, body.concat());
            if let Err(e) = same_outcome(&csv) {
                proptest::prop_assert!(false, "{}", e);
            }
        }
    }
}
