//! JSON Lines and CSV article files read as a stream: a chunk of whole lines at a time is
//! read, decoded and parsed, so memory does not grow with the file. The articles, their
//! origins (`file:line`) and the error messages are those of reading the file whole; a
//! problem is reported at the first line it affects.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};

use anyhow::{Context, Result, anyhow};

use crate::corpus::{self, Article, FieldNames, InputFormat, ReadOptions, Source, Warning};

/// JSON Lines and CSV files are read in chunks of whole lines of about this many bytes (a
/// longer line is one chunk).
pub const CHUNK_BYTES: usize = 1 << 20;

/// For tests only: an environment variable that, set to a number of bytes, replaces
/// [`CHUNK_BYTES`] and the batch size of `split` (so that small inputs take many chunks and
/// batches). Not a user setting: it may change or go away.
pub const TEST_CHUNK_BYTES_VAR: &str = "SENTLAB_TEST_CHUNK_BYTES";

/// The chunk size: [`CHUNK_BYTES`] unless [`TEST_CHUNK_BYTES_VAR`] says otherwise.
pub fn chunk_bytes() -> Option<usize> {
    std::env::var(TEST_CHUNK_BYTES_VAR)
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|&n| n > 0)
}

/// The UTF-8 byte-order mark (U+FEFF).
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The decoded text of a file, a chunk of whole lines at a time.
struct Chunks<R> {
    origin: String,
    input: R,
    lossy: bool,
    /// Drop a BOM starting the file (a file marker, not data).
    drop_bom: bool,
    size: usize,
    /// File offset of the next chunk.
    byte: u64,
    /// Line the next chunk starts on (1-based).
    line: u64,
    /// Invalid sequences replaced so far (`lossy`).
    replaced: usize,
    /// An invalid UTF-8 error, returned after the valid lines before it.
    failed: Option<anyhow::Error>,
}

impl<R: BufRead> Chunks<R> {
    fn new(origin: String, input: R, lossy: bool, drop_bom: bool, size: usize) -> Self {
        Chunks {
            origin,
            input,
            lossy,
            drop_bom,
            size: size.max(1),
            byte: 0,
            line: 1,
            replaced: 0,
            failed: None,
        }
    }

    /// The next chunk of whole lines, decoded, and the line it starts on; `None` at the end.
    /// A chunk is never empty. Cutting after a line break keeps decoding as it is on the
    /// whole file: `\n` is never part of a UTF-8 sequence, and ends any invalid one.
    fn next(&mut self) -> Result<Option<(String, u64)>> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        let mut raw = Vec::with_capacity(self.size.min(CHUNK_BYTES) + 1);
        while raw.len() < self.size {
            let n = self
                .input
                .read_until(b'\n', &mut raw)
                .with_context(|| format!("{}: cannot read", self.origin))?;
            if n == 0 {
                break;
            }
        }
        if raw.is_empty() {
            return Ok(None);
        }
        let (start_byte, start_line) = (self.byte, self.line);
        self.byte += raw.len() as u64;
        self.line += memchr::memchr_iter(b'\n', &raw).count() as u64;
        let skip = if start_byte == 0 && self.drop_bom && raw.starts_with(BOM) {
            BOM.len()
        } else {
            0
        };
        raw.drain(..skip);
        if raw.is_empty() {
            // The file's BOM alone: read on.
            return self.next();
        }
        if self.lossy {
            let (text, replaced) = corpus::decode_article(&self.origin, raw, true)?;
            self.replaced += replaced;
            return Ok(Some((text, start_line)));
        }
        match String::from_utf8(raw) {
            Ok(text) => Ok(Some((text, start_line))),
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let mut bytes = e.into_bytes();
                // Same message as reading the file whole: the byte counts from the start of
                // the file (its BOM included).
                let at = start_byte + (skip + valid) as u64;
                let line = start_line + memchr::memchr_iter(b'\n', &bytes[..valid]).count() as u64;
                let error = anyhow!(
                    "{}: invalid UTF-8 at byte {at}, line {line} (expected UTF-8 text); \
                     --lossy replaces invalid bytes with U+FFFD",
                    self.origin
                );
                // The whole lines before the bad one are parsed first.
                let keep = memchr::memrchr(b'\n', &bytes[..valid]).map_or(0, |i| i + 1);
                if keep == 0 {
                    return Err(error);
                }
                bytes.truncate(keep);
                self.failed = Some(error);
                Ok(Some((
                    String::from_utf8(bytes).expect("valid up to here"),
                    start_line,
                )))
            }
        }
    }

    /// The warning for replaced bytes, if any.
    fn warnings(&self) -> Vec<Warning> {
        if self.replaced > 0 {
            vec![format!(
                "{}: replaced {} invalid UTF-8 sequence(s) with U+FFFD",
                self.origin, self.replaced
            )]
        } else {
            Vec::new()
        }
    }
}

/// The articles of a JSON Lines file, a chunk at a time.
struct JsonlArticles<R> {
    chunks: Chunks<R>,
    fields: FieldNames,
    pending: VecDeque<Article>,
}

impl<R: BufRead> JsonlArticles<R> {
    fn next(&mut self) -> Result<Option<Article>> {
        loop {
            if let Some(article) = self.pending.pop_front() {
                return Ok(Some(article));
            }
            match self.chunks.next()? {
                None => return Ok(None),
                Some((text, line)) => {
                    self.pending =
                        corpus::parse_jsonl_at(&self.chunks.origin, &text, &self.fields, line)?
                            .into();
                }
            }
        }
    }
}

/// The decoded text of a file as a reader, for the `csv` crate; keeps the text read since
/// the last record to count lines.
struct Feed<R> {
    chunks: Chunks<R>,
    text: Vec<u8>,
    pos: usize,
    error: Option<anyhow::Error>,
    lines: StreamLines,
}

impl<R: BufRead> Read for Feed<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.text.len() {
            match self.chunks.next() {
                Ok(Some((text, _))) => (self.text, self.pos) = (text.into_bytes(), 0),
                Ok(None) => return Ok(0),
                Err(e) => {
                    let message = format!("{e:#}");
                    self.error = Some(e);
                    return Err(io::Error::other(message));
                }
            }
        }
        let n = buf.len().min(self.text.len() - self.pos);
        buf[..n].copy_from_slice(&self.text[self.pos..self.pos + n]);
        self.lines.kept.extend_from_slice(&buf[..n]);
        self.pos += n;
        Ok(n)
    }
}

/// [`corpus::RecordLines`] over a stream: the lines records start on, from the text read
/// since the previous record.
#[derive(Default)]
struct StreamLines {
    kept: Vec<u8>,
    /// Stream offset of `kept[0]`.
    base: u64,
    /// Stream offset counted up to, and its line.
    at: u64,
    line: u64,
}

impl StreamLines {
    /// The line of the record at `pos` (records come in order).
    fn line(&mut self, pos: &csv::Position) -> u64 {
        let end = self.base + self.kept.len() as u64;
        let mut to = pos.byte().clamp(self.at, end);
        while to < end && matches!(self.kept[(to - self.base) as usize], b'\n' | b'\r') {
            to += 1;
        }
        let from = (self.at - self.base) as usize;
        self.line +=
            memchr::memchr_iter(b'\n', &self.kept[from..(to - self.base) as usize]).count() as u64;
        self.at = to;
        // Drop what is counted once it is most of what is kept (amortized linear).
        let counted = (self.at - self.base) as usize;
        if counted > self.kept.len() / 2 {
            self.kept.drain(..counted);
            self.base = self.at;
        }
        self.line
    }
}

/// The articles of a CSV file (a header with the id and text columns and optionally the
/// title), a record at a time.
struct CsvArticles<R> {
    reader: csv::Reader<Feed<R>>,
    origin: String,
    fields: FieldNames,
    columns: corpus::CsvColumns,
    record: csv::StringRecord,
}

impl<R: BufRead> CsvArticles<R> {
    fn new(chunks: Chunks<R>, fields: &FieldNames) -> Result<Self> {
        let origin = chunks.origin.clone();
        let feed = Feed {
            chunks,
            text: Vec::new(),
            pos: 0,
            error: None,
            lines: StreamLines {
                line: 1,
                ..StreamLines::default()
            },
        };
        let mut reader = csv::ReaderBuilder::new().from_reader(feed);
        let headers = match reader.headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                return Err(match reader.get_mut().error.take() {
                    Some(error) => error,
                    None => {
                        anyhow::Error::new(e).context(format!("{origin}:1: expected a CSV header"))
                    }
                });
            }
        };
        let columns = corpus::csv_columns(&origin, &headers, fields)?;
        Ok(CsvArticles {
            reader,
            origin,
            fields: fields.clone(),
            columns,
            record: csv::StringRecord::new(),
        })
    }

    fn next(&mut self) -> Result<Option<Article>> {
        let origin = &self.origin;
        match self.reader.read_record(&mut self.record) {
            Ok(false) => Ok(None),
            Ok(true) => {
                let feed = self.reader.get_mut();
                let line_no = self.record.position().map_or(0, |p| feed.lines.line(p));
                corpus::csv_article(origin, line_no, &self.record, &self.columns, &self.fields)
                    .map(Some)
            }
            Err(e) => {
                let feed = self.reader.get_mut();
                if let Some(error) = feed.error.take() {
                    return Err(error);
                }
                let line = e.position().map(|p| feed.lines.line(p));
                let what = match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => format!("expected {expected_len} fields, found {len}"),
                    _ => e.to_string(),
                };
                Err(match line {
                    Some(l) => anyhow!("{origin}:{l}: {what}"),
                    None => anyhow!("{origin}: {what}"),
                })
            }
        }
    }
}

/// The articles of a JSON Lines or CSV file or standard input, read a chunk at a time.
pub struct ArticleStream {
    inner: Inner,
}

type Input = Box<dyn BufRead + Send>;

enum Inner {
    Jsonl(JsonlArticles<Input>),
    Csv(Box<CsvArticles<Input>>),
}

impl ArticleStream {
    /// Opens `source` as `layout` (JSON Lines or CSV), reading chunks of about `chunk`
    /// bytes. A CSV header is read here.
    pub fn open(
        source: &Source,
        layout: InputFormat,
        opts: &ReadOptions,
        chunk: usize,
    ) -> Result<ArticleStream> {
        let input: Input = match source {
            Source::Stdin => Box::new(BufReader::with_capacity(1 << 16, io::stdin())),
            Source::File(p) => Box::new(BufReader::with_capacity(
                1 << 16,
                File::open(p).with_context(|| format!("{}: cannot read file", p.display()))?,
            )),
        };
        Self::from_reader(source.display(), input, layout, opts, true, chunk)
    }

    /// Articles from `input` named `origin`: a leading BOM dropped when `drop_bom`.
    fn from_reader(
        origin: String,
        input: Input,
        layout: InputFormat,
        opts: &ReadOptions,
        drop_bom: bool,
        chunk: usize,
    ) -> Result<ArticleStream> {
        let chunks = Chunks::new(origin, input, opts.lossy, drop_bom, chunk);
        let inner = match layout {
            InputFormat::Csv => Inner::Csv(Box::new(CsvArticles::new(chunks, &opts.fields)?)),
            _ => Inner::Jsonl(JsonlArticles {
                chunks,
                fields: opts.fields.clone(),
                pending: VecDeque::new(),
            }),
        };
        Ok(ArticleStream { inner })
    }

    /// The next article in file order; `None` at the end.
    pub fn next_article(&mut self) -> Result<Option<Article>> {
        match &mut self.inner {
            Inner::Jsonl(j) => j.next(),
            Inner::Csv(c) => c.next(),
        }
    }

    /// Bytes of the input read so far (for progress).
    pub fn bytes_read(&self) -> u64 {
        self.chunks().byte
    }

    /// Warnings about the whole input (replaced bytes), known once it is read.
    pub fn warnings(&self) -> Vec<Warning> {
        self.chunks().warnings()
    }

    fn chunks(&self) -> &Chunks<Input> {
        match &self.inner {
            Inner::Jsonl(j) => &j.chunks,
            Inner::Csv(c) => &c.reader.get_ref().chunks,
        }
    }

    /// Every remaining article.
    pub fn collect_all(&mut self) -> Result<Vec<Article>> {
        let mut out = Vec::new();
        while let Some(article) = self.next_article()? {
            out.push(article);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(lossy: bool) -> ReadOptions {
        ReadOptions {
            format: InputFormat::Auto,
            has_title: true,
            lossy,
            fields: FieldNames::default(),
        }
    }

    /// The articles and warnings of `bytes` read as a stream in chunks of `chunk` bytes.
    fn stream(
        bytes: &[u8],
        layout: InputFormat,
        chunk: usize,
        lossy: bool,
    ) -> Result<(Vec<Article>, Vec<Warning>)> {
        let input: Input = Box::new(io::Cursor::new(bytes.to_vec()));
        let mut s =
            ArticleStream::from_reader("f".into(), input, layout, &opts(lossy), true, chunk)?;
        let articles = s.collect_all()?;
        Ok((articles, s.warnings()))
    }

    /// Whole-file parsing, as reading used to be: the file's BOM dropped, then parsed.
    fn whole(bytes: &[u8], layout: InputFormat) -> Result<Vec<Article>> {
        let (text, _) = corpus::decode("f", bytes.to_vec(), false)?;
        match layout {
            InputFormat::Csv => corpus::parse_csv("f", &text, &FieldNames::default()),
            _ => corpus::parse_jsonl("f", &text, &FieldNames::default()),
        }
    }

    fn origins(articles: &[Article]) -> Vec<&str> {
        articles.iter().map(|a| a.origin.as_str()).collect()
    }

    /// Every chunk size from 1 byte (a chunk per line) to the whole input gives exactly the
    /// articles of parsing the file whole.
    fn same_for_every_chunk_size(bytes: &[u8], layout: InputFormat) -> Vec<Article> {
        let expected = whole(bytes, layout).unwrap();
        for chunk in 1..=bytes.len() + 1 {
            let (got, warnings) = stream(bytes, layout, chunk, false).unwrap();
            assert_eq!(got, expected, "chunks of {chunk} bytes");
            assert!(warnings.is_empty());
        }
        expected
    }

    #[test]
    fn chunked_csv_gives_the_articles_of_the_whole_file() {
        // BOM, a quoted field with line breaks (chunks end inside it), "\r\n" ends, a blank
        // line, a doubled quote, a U+FEFF starting a line inside a field (data, kept). Lines
        // by hand: header 1; record a 2 (its text spans lines 2 to 4); b 5; blank 6; c 7 (to
        // 8); d 9 (to 10).
        let csv = "\u{FEFF}id,title,text\r\na,T,\"One.\r\nTwo \"\"x\"\"\nThree.\"\r\nb,,Body b.\n\nc,U,\"Last,\nline.\"\nd,,\"x\n\u{FEFF}y\"\n";
        let got = same_for_every_chunk_size(csv.as_bytes(), InputFormat::Csv);
        assert_eq!(origins(&got), ["f:2", "f:5", "f:7", "f:9"]);
        assert_eq!(got[3].text, "x\n\u{FEFF}y");
        assert_eq!(got[0].id, "a");
        assert_eq!(got[0].text, "T\n\nOne.\r\nTwo \"x\"\nThree.");
        assert_eq!((got[1].text.as_str(), got[1].has_title), ("Body b.", false));
        assert_eq!(got[2].text, "U\n\nLast,\nline.");
    }

    #[test]
    fn chunked_jsonl_gives_the_articles_of_the_whole_file() {
        // BOM, a blank line, "\r\n" ends, a line far longer than small chunks, no final
        // line break. Lines by hand: 1, (2 blank), 3, 4.
        let long = "word ".repeat(200);
        let jsonl = format!(
            "\u{FEFF}{{\"id\": 1, \"text\": \"A.\"}}\r\n\r\n{{\"id\": \"b\", \"title\": \"T\", \"text\": \"{long}\"}}\n{{\"id\": \"c\", \"text\": \"C.\"}}"
        );
        let got = same_for_every_chunk_size(jsonl.as_bytes(), InputFormat::Jsonl);
        assert_eq!(origins(&got), ["f:1", "f:3", "f:4"]);
        assert_eq!(got[1].text, format!("T\n\n{long}"));
    }

    #[test]
    fn a_chunk_ending_right_after_the_bom() {
        // The BOM alone on the first line: chunks of 1 byte end right after it ("\u{FEFF}\n"
        // is the first chunk). The header is on line 2, the record on 3.
        let csv = "\u{FEFF}\nid,text\nx,One.\n";
        let got = same_for_every_chunk_size(csv.as_bytes(), InputFormat::Csv);
        assert_eq!((got[0].id.as_str(), origins(&got)), ("x", vec!["f:3"]));
        let jsonl = "\u{FEFF}\n{\"id\": \"x\", \"text\": \"One.\"}\n";
        let got = same_for_every_chunk_size(jsonl.as_bytes(), InputFormat::Jsonl);
        assert_eq!(origins(&got), ["f:2"]);
        // Only a BOM: no articles; a CSV file without a header lacks its columns.
        assert!(
            stream(b"\xEF\xBB\xBF", InputFormat::Jsonl, 1, false)
                .unwrap()
                .0
                .is_empty()
        );
        let err = stream(b"\xEF\xBB\xBF", InputFormat::Csv, 1, false).unwrap_err();
        assert!(
            err.to_string().contains("expected columns `id` and `text`"),
            "{err}"
        );
    }

    /// The error of reading `bytes` in chunks of every size, the same for all.
    fn error_for_every_chunk_size(bytes: &[u8], layout: InputFormat) -> String {
        let first = format!("{:#}", stream(bytes, layout, 1, false).unwrap_err());
        for chunk in 2..=bytes.len() + 1 {
            let err = format!("{:#}", stream(bytes, layout, chunk, false).unwrap_err());
            assert_eq!(err, first, "chunks of {chunk} bytes");
        }
        first
    }

    #[test]
    fn errors_in_a_later_chunk_name_the_line_of_the_file() {
        // Line 4 is not JSON (lines 1, 3 fine, 2 blank): the same message as whole parsing.
        let jsonl = b"{\"id\": 1, \"text\": \"A.\"}\n\n{\"id\": 2, \"text\": \"B.\"}\n{oops\n{\"id\": 3, \"text\": \"C.\"}\n";
        let err = error_for_every_chunk_size(jsonl, InputFormat::Jsonl);
        assert!(err.starts_with("f:4: expected a JSON object"), "{err}");
        assert_eq!(
            err,
            format!("{:#}", whole(jsonl, InputFormat::Jsonl).unwrap_err())
        );
        // Record 3 (its quoted text spans lines 3 and 4) is fine; the record on line 5 has
        // three fields.
        let csv = b"id,text\n1,ok\n2,\"two\nlines\"\n3,x,extra\n4,y\n";
        let err = error_for_every_chunk_size(csv, InputFormat::Csv);
        assert!(err.starts_with("f:5: expected 2 fields, found 3"), "{err}");
        assert_eq!(
            err,
            format!("{:#}", whole(csv, InputFormat::Csv).unwrap_err())
        );
        // An empty id on line 3.
        let csv = b"id,text\n1,ok\n ,x\n";
        let err = error_for_every_chunk_size(csv, InputFormat::Csv);
        assert!(err.starts_with("f:3: empty `id`"), "{err}");
    }

    #[test]
    fn invalid_utf8_in_a_later_chunk_names_its_byte_and_line() {
        // BOM (bytes 0..3), line 1 `{"id": 1, "text": "A."}` (23 bytes: 3..26, "\n" at 26),
        // line 2 `{"id": 2, "text": "B` (20 bytes from 27) then 0xFF at byte 27 + 20 = 47.
        let mut jsonl =
            b"\xEF\xBB\xBF{\"id\": 1, \"text\": \"A.\"}\n{\"id\": 2, \"text\": \"B".to_vec();
        assert_eq!(jsonl.len(), 47);
        jsonl.extend_from_slice(b"\xFF.\"}\n");
        let err = error_for_every_chunk_size(&jsonl, InputFormat::Jsonl);
        assert_eq!(
            err,
            "f: invalid UTF-8 at byte 47, line 2 (expected UTF-8 text); --lossy replaces \
             invalid bytes with U+FFFD"
        );
        // In CSV, inside a quoted field on its second line: "id,text\n" 0..8, `1,"a` 8..12,
        // "\n" 12, "b" 13, 0xFE at 14 on line 3.
        let csv = b"id,text\n1,\"a\nb\xFE\"\n";
        let err = error_for_every_chunk_size(csv, InputFormat::Csv);
        assert!(
            err.starts_with("f: invalid UTF-8 at byte 14, line 3"),
            "{err}"
        );
        // A bad line after a malformed one: the first problem in the file is reported.
        let jsonl = b"{oops\n\xFF\n";
        let err = error_for_every_chunk_size(jsonl, InputFormat::Jsonl);
        assert!(err.starts_with("f:1: expected a JSON object"), "{err}");
    }

    #[test]
    fn lossy_counts_replacements_over_the_whole_file() {
        // Two invalid bytes on line 1, one on line 3, and a genuine U+FFFD (not counted).
        let jsonl = "{\"id\": 1, \"text\": \"a\u{FFFD}\"}\n\n{\"id\": 2, \"text\": \"b\"}\n";
        let mut bytes = jsonl.as_bytes().to_vec();
        // `{"id": 1, "text": "` is 19 bytes: the two go before the `a`; 0xC3 (a lead byte
        // followed by `"`, one replacement) after the `b` (before the last `"}\n`).
        bytes.splice(19..19, *b"\xFF\xFE");
        let at = bytes.len() - 3;
        bytes.insert(at, 0xC3);
        for chunk in 1..=bytes.len() {
            let (got, warnings) = stream(&bytes, InputFormat::Jsonl, chunk, true).unwrap();
            assert_eq!(got[0].text, "\u{FFFD}\u{FFFD}a\u{FFFD}");
            assert_eq!(got[1].text, "b\u{FFFD}");
            assert_eq!(
                warnings,
                ["f: replaced 3 invalid UTF-8 sequence(s) with U+FFFD"],
                "chunks of {chunk} bytes"
            );
        }
    }

    use proptest::prelude::*;

    proptest! {
        /// On edited files (quotes, separators, line breaks, BOMs in random places), reading
        /// in chunks of any size gives what parsing the whole file gives: the same articles
        /// or the same error.
        #[test]
        fn chunked_reading_equals_whole_parsing_on_edited_files(
            edits in prop::collection::vec(
                (0usize..400, prop::sample::select(vec![
                    "\"", ",", "\n", "\r\n", "\r", "{", "}", ":", "x", " ", "\u{FEFF}", "é", "\"\"",
                ])),
                0..6,
            ),
            chunk in 1usize..64,
            csv in any::<bool>(),
        ) {
            let (base, layout) = if csv {
                ("id,title,text\na,T,\"One. \"\"Two\"\".\nThree.\"\n\nb,,Body.\r\nc,U,V\n", InputFormat::Csv)
            } else {
                ("{\"id\": \"a\", \"title\": \"T\", \"text\": \"One.\\nTwo.\"}\n\n{\"id\": 2, \"text\": \"B.\"}\r\n{\"id\": \"c\", \"text\": \"C.\"}\n", InputFormat::Jsonl)
            };
            let mut text = base.to_string();
            for (at, s) in edits {
                let mut at = at % (text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                text.insert_str(at, s);
            }
            let expected = whole(text.as_bytes(), layout).map_err(|e| format!("{e:#}"));
            let got = stream(text.as_bytes(), layout, chunk, false)
                .map(|(articles, _)| articles)
                .map_err(|e| format!("{e:#}"));
            prop_assert_eq!(got, expected);
        }
    }
}
