//! Articles: where they come from (text files, directories, JSON Lines, CSV, stdin) and how
//! their bytes become text.
//!
//! Discovery and reading are the only file-system parts; decoding and parsing are pure
//! functions over bytes and text, tested without files.

use std::collections::HashMap;
use std::fs;
use std::io::{self, Read};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use sentlab_core::text::BOM;
pub use sentlab_core::text::{RecordLines, article_id_from_path, strict_utf8};
use serde_json::Value;

/// One article to split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// The article id (file stem or the id field of JSONL/CSV input).
    pub id: String,
    /// Where it came from, for messages (`path` or `path:line`).
    pub origin: String,
    /// The article text, offsets count in it: a text file's leading BOM kept as U+FEFF (a
    /// JSONL/CSV file's is dropped); line endings kept as they are.
    pub text: String,
    /// Whether the first line is the title.
    pub has_title: bool,
}

/// The layout of an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    /// Decide by extension: `.jsonl`/`.ndjson` JSON Lines, `.csv` CSV, anything else text.
    Auto,
    /// One article per file (title on the first line unless `--no-title`).
    Text,
    /// One JSON object per line with id, title and text fields.
    Jsonl,
    /// CSV with a header holding id, title and text columns.
    Csv,
}

/// Names of the id, title and text fields in JSONL/CSV input.
#[derive(Debug, Clone)]
pub struct FieldNames {
    /// The id field (default `id`).
    pub id: String,
    /// The title field (default `title`); optional in the data.
    pub title: String,
    /// The text field (default `text`).
    pub text: String,
}

impl Default for FieldNames {
    fn default() -> Self {
        Self {
            id: "id".into(),
            title: "title".into(),
            text: "text".into(),
        }
    }
}

/// How inputs are read.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Forced layout, or `Auto`.
    pub format: InputFormat,
    /// Text files have a title line.
    pub has_title: bool,
    /// Replace invalid UTF-8 with U+FFFD instead of failing.
    pub lossy: bool,
    /// Field names of JSONL/CSV input.
    pub fields: FieldNames,
}

/// One input as the user named it, resolved to a concrete source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Standard input.
    Stdin,
    /// A file.
    File(PathBuf),
}

impl Source {
    /// The name used in messages.
    pub fn display(&self) -> String {
        match self {
            Source::Stdin => "<stdin>".into(),
            Source::File(p) => p.display().to_string(),
        }
    }
}

/// Decodes the bytes of a table, span or JSONL/CSV article file as UTF-8 text: drops a BOM
/// (a file marker, not data), and either fails naming the byte offset of the first invalid
/// sequence or, with `lossy`, replaces invalid bytes (returning how many replacements were
/// made).
pub fn decode(origin: &str, bytes: Vec<u8>, lossy: bool) -> Result<(String, usize)> {
    decode_utf8(origin, bytes, lossy, true)
}

/// Decodes a text article like [`decode`], but a leading BOM stays in the text as U+FEFF,
/// character 0 of the article, as Python's `open(path, encoding="utf-8", newline="").read()`
/// keeps it (the offsets of PTC span files count it; `newline=""` keeps `\r\n` two
/// characters, as here).
pub fn decode_article(origin: &str, bytes: Vec<u8>, lossy: bool) -> Result<(String, usize)> {
    decode_utf8(origin, bytes, lossy, false)
}

fn decode_utf8(
    origin: &str,
    bytes: Vec<u8>,
    lossy: bool,
    drop_bom: bool,
) -> Result<(String, usize)> {
    let skip = if drop_bom && bytes.starts_with(BOM) {
        BOM.len()
    } else {
        0
    };
    if lossy && std::str::from_utf8(&bytes[skip..]).is_err() {
        let text = String::from_utf8_lossy(&bytes[skip..]).into_owned();
        // U+FFFD already present in the file (EF BF BD) is not a replacement.
        let genuine = memchr::memmem::find_iter(&bytes[skip..], "\u{FFFD}".as_bytes()).count();
        let replaced = text.matches('\u{FFFD}').count() - genuine;
        return Ok((text, replaced));
    }
    sentlab_core::text::utf8(bytes, drop_bom)
        .map(|text| (text, 0))
        .map_err(|message| anyhow::anyhow!("{origin}: {message}"))
}

/// Expands the inputs: files as given, directories recursively (`*.txt`, sorted by path,
/// as [`crate::walk`] lists them), `-` for stdin. Errors on a missing path or a directory with no `.txt` file.
pub fn discover(inputs: &[PathBuf]) -> Result<Vec<Source>> {
    let mut sources = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            sources.push(Source::Stdin);
            continue;
        }
        let meta = fs::metadata(input)
            .with_context(|| format!("{}: cannot read input", input.display()))?;
        if meta.is_dir() {
            let found = crate::walk::files(input, true, &|p| {
                crate::walk::has_extension_ignore_case(p, "txt")
            })?;
            if found.is_empty() {
                bail!(
                    "{}: directory holds no .txt files (expected articles as *.txt)",
                    input.display()
                );
            }
            sources.extend(found.into_iter().map(Source::File));
        } else {
            sources.push(Source::File(input.clone()));
        }
    }
    Ok(sources)
}

/// The layout of a source under `format` (`Auto` decided by extension; stdin is text).
pub fn layout_of(source: &Source, format: InputFormat) -> InputFormat {
    match (format, source) {
        (InputFormat::Auto, Source::File(p)) => {
            match p
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase)
            {
                Some(e) if e == "jsonl" || e == "ndjson" => InputFormat::Jsonl,
                Some(e) if e == "csv" => InputFormat::Csv,
                _ => InputFormat::Text,
            }
        }
        (InputFormat::Auto, Source::Stdin) => InputFormat::Text,
        (f, _) => f,
    }
}

/// Size in bytes of a source when known (for progress), else 0.
pub fn size_hint(source: &Source) -> u64 {
    match source {
        Source::Stdin => 0,
        Source::File(p) => fs::metadata(p).map(|m| m.len()).unwrap_or(0),
    }
}

/// Something noteworthy that is not an error (printed unless `--quiet`).
pub type Warning = String;

/// Reads one source completely into articles (a text file is one article, a JSONL or CSV
/// file many, read as a stream: see [`crate::article_stream`]), appending warnings.
pub fn read_source(
    source: &Source,
    opts: &ReadOptions,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<Article>> {
    let origin = source.display();
    let layout = layout_of(source, opts.format);
    if matches!(layout, InputFormat::Jsonl | InputFormat::Csv) {
        let mut stream = crate::article_stream::ArticleStream::open(
            source,
            layout,
            opts,
            crate::article_stream::CHUNK_BYTES,
        )?;
        let articles = stream.collect_all()?;
        warnings.extend(stream.warnings());
        return Ok(articles);
    }
    let mut bytes = Vec::new();
    match source {
        Source::Stdin => {
            io::stdin()
                .read_to_end(&mut bytes)
                .context("<stdin>: cannot read")?;
        }
        Source::File(p) => {
            bytes = fs::read(p).with_context(|| format!("{}: cannot read file", p.display()))?;
        }
    }
    // A BOM starting a text article is the article's character 0 (a JSONL or CSV file's
    // marks the file and is dropped).
    let (text, replaced) = decode_article(&origin, bytes, opts.lossy)
        .map_err(|e| anyhow::anyhow!("{e}; --lossy replaces invalid bytes with U+FFFD"))?;
    if replaced > 0 {
        warnings.push(format!(
            "{origin}: replaced {replaced} invalid UTF-8 sequence(s) with U+FFFD"
        ));
    }
    let id = match source {
        Source::Stdin => "stdin".to_string(),
        Source::File(p) => article_id_from_path(p),
    };
    Ok(vec![Article {
        id,
        origin,
        text,
        has_title: opts.has_title,
    }])
}

/// Reads the file at `path` into `buf` (cleared first), sized by `size_hint` (its length
/// when known, as [`size_hint`] gives it) so that a file of that size takes one read call
/// and no allocation once `buf` is large enough. Errors are those of [`read_source`].
pub fn read_file_into(path: &std::path::Path, size_hint: u64, buf: &mut Vec<u8>) -> Result<()> {
    let context = || format!("{}: cannot read file", path.display());
    let mut file = fs::File::open(path).with_context(context)?;
    // One byte more than the hint: a read that fills it all did not reach the end.
    buf.clear();
    buf.resize(usize::try_from(size_hint).unwrap_or(0) + 1, 0);
    let mut len = 0;
    loop {
        if len == buf.len() {
            buf.resize(2 * len.max(4096), 0);
        }
        match file.read(&mut buf[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e).with_context(context),
        }
    }
    buf.truncate(len);
    Ok(())
}

/// Joins a title and a body in the corpus layout (`title`, blank line, body), the text that
/// offsets of JSONL/CSV articles refer to. Without a title the body is the text.
pub fn compose(title: Option<&str>, body: &str) -> (String, bool) {
    match title {
        Some(t) if !t.trim().is_empty() => (format!("{t}\n\n{body}"), true),
        _ => (body.to_string(), false),
    }
}

fn json_field_string(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Parses JSON Lines articles: one object per non-blank line with the id and text fields
/// (strings; the id may be a number) and optionally the title field.
pub fn parse_jsonl(origin: &str, text: &str, fields: &FieldNames) -> Result<Vec<Article>> {
    parse_jsonl_at(origin, text, fields, 1)
}

/// [`parse_jsonl`] of a part of a file made of whole lines, the first on line `first_line`.
pub fn parse_jsonl_at(
    origin: &str,
    text: &str,
    fields: &FieldNames,
    first_line: u64,
) -> Result<Vec<Article>> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = first_line + i as u64;
        if line.trim().is_empty() {
            continue;
        }
        let value: Value = serde_json::from_str(line).with_context(|| {
            format!(
                "{origin}:{line_no}: expected a JSON object with `{}` and `{}` fields",
                fields.id, fields.text
            )
        })?;
        let Value::Object(map) = value else {
            bail!(
                "{origin}:{line_no}: expected a JSON object, found {}",
                kind_of(&value)
            );
        };
        let id = map
            .get(&fields.id)
            .and_then(json_field_string)
            .with_context(|| {
                format!(
                    "{origin}:{line_no}: expected a string or number field `{}` (the article id)",
                    fields.id
                )
            })?;
        let body = match map.get(&fields.text) {
            Some(Value::String(s)) => s.as_str(),
            _ => bail!(
                "{origin}:{line_no}: expected a string field `{}` (the article text)",
                fields.text
            ),
        };
        let title = match map.get(&fields.title) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.as_str()),
            Some(other) => bail!(
                "{origin}:{line_no}: expected field `{}` to be a string, found {}",
                fields.title,
                kind_of(other)
            ),
        };
        if id.trim().is_empty() {
            bail!(
                "{origin}:{line_no}: empty `{}` (expected a non-empty article id)",
                fields.id
            );
        }
        let (text, has_title) = compose(title, body);
        out.push(Article {
            id,
            origin: format!("{origin}:{line_no}"),
            text,
            has_title,
        });
    }
    Ok(out)
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Parses CSV articles: a header with the id and text columns and optionally the title.
pub fn parse_csv(origin: &str, text: &str, fields: &FieldNames) -> Result<Vec<Article>> {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .with_context(|| format!("{origin}:1: expected a CSV header"))?
        .clone();
    let columns = csv_columns(origin, &headers, fields)?;
    let mut out = Vec::new();
    let mut lines = RecordLines::new(text.as_bytes());
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(origin, text.as_bytes(), e))?;
        let line_no = record.position().map_or(0, |p| lines.line(p));
        out.push(csv_article(origin, line_no, &record, &columns, fields)?);
    }
    Ok(out)
}

/// Where the id, title and text columns of a CSV article file are.
pub struct CsvColumns {
    id: usize,
    text: usize,
    title: Option<usize>,
}

/// The article columns named by `fields` in a CSV header, or what is missing.
pub fn csv_columns(
    origin: &str,
    headers: &csv::StringRecord,
    fields: &FieldNames,
) -> Result<CsvColumns> {
    let col = |name: &str| headers.iter().position(|h| h == name);
    let found = || headers.iter().collect::<Vec<_>>().join(", ");
    let (Some(id), Some(text)) = (col(&fields.id), col(&fields.text)) else {
        bail!(
            "{origin}: expected columns `{}` and `{}` (title optional `{}`), found: {}",
            fields.id,
            fields.text,
            fields.title,
            found()
        );
    };
    Ok(CsvColumns {
        id,
        text,
        title: col(&fields.title),
    })
}

/// The article of a CSV record starting on line `line_no`.
pub fn csv_article(
    origin: &str,
    line_no: u64,
    record: &csv::StringRecord,
    columns: &CsvColumns,
    fields: &FieldNames,
) -> Result<Article> {
    let get = |c: usize| record.get(c).unwrap_or("");
    if get(columns.id).trim().is_empty() {
        bail!(
            "{origin}:{line_no}: empty `{}` (expected a non-empty article id)",
            fields.id
        );
    }
    let (text, has_title) = compose(columns.title.map(get), get(columns.text));
    Ok(Article {
        id: get(columns.id).to_string(),
        origin: format!("{origin}:{line_no}"),
        text,
        has_title,
    })
}

/// Turns a csv error on `text` into a message naming the file and line.
pub fn csv_error(origin: &str, text: &[u8], e: csv::Error) -> anyhow::Error {
    let line = e.position().map(|p| RecordLines::new(text).line(p));
    let what = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("expected {expected_len} fields, found {len}")
        }
        csv::ErrorKind::Utf8 { err, .. } => format!("invalid UTF-8 ({err})"),
        csv::ErrorKind::Deserialize { err, .. } => {
            use csv::DeserializeErrorKind as Kind;
            let what = match err.kind() {
                Kind::ParseInt(e) => format!("{e} (expected a non-negative integer)"),
                Kind::ParseFloat(e) => format!("{e} (expected a number)"),
                Kind::ParseBool(e) => format!("{e} (expected true or false)"),
                other => other.to_string(),
            };
            // The column by its header name (the text's first record), else by position.
            let column = err.field().map(|i| {
                let mut reader = csv::ReaderBuilder::new().from_reader(text);
                match reader.headers().ok().and_then(|h| h.get(i as usize)) {
                    Some(h) => format!("column `{h}`"),
                    None => format!("field {}", i + 1),
                }
            });
            match column {
                Some(c) => format!("{c}: {what}"),
                None => what,
            }
        }
        _ => e.to_string(),
    };
    match line {
        Some(l) => anyhow::anyhow!("{origin}:{l}: {what}"),
        None => anyhow::anyhow!("{origin}: {what}"),
    }
}

/// Remembers which input each article id came from, to reject duplicates naming both.
#[derive(Debug, Default)]
pub struct IdRegistry {
    seen: HashMap<String, String>,
}

impl IdRegistry {
    /// Records `article`; errors when its id was already seen elsewhere.
    pub fn check(&mut self, article: &Article) -> Result<()> {
        if let Some(first) = self.seen.get(&article.id) {
            bail!(
                "duplicate article id `{}`: in {} and in {} (article ids must be unique)",
                article.id,
                first,
                article.origin
            );
        }
        self.seen.insert(article.id.clone(), article.origin.clone());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn decode_drops_bom_and_reports_invalid_byte_offset() {
        let (text, n) = decode("f", b"\xEF\xBB\xBFhi".to_vec(), false).unwrap();
        assert_eq!((text.as_str(), n), ("hi", 0));
        let err = decode("f.txt", b"ab\xFFcd".to_vec(), false)
            .unwrap_err()
            .to_string();
        assert!(err.contains("f.txt: invalid UTF-8 at byte 2"), "{err}");
        // With a BOM the offset still counts file bytes.
        let err = decode("f.txt", b"\xEF\xBB\xBFab\xFF".to_vec(), false)
            .unwrap_err()
            .to_string();
        assert!(err.contains("at byte 5"), "{err}");
        let (text, n) = decode("f", b"ab\xFFcd\xFE".to_vec(), true).unwrap();
        assert_eq!((text.as_str(), n), ("ab\u{FFFD}cd\u{FFFD}", 2));
    }

    #[test]
    fn jsonl_articles_compose_title_and_body() {
        let fields = FieldNames::default();
        let text = "{\"id\": 7, \"title\": \"T\", \"text\": \"Body.\"}\n\n{\"id\": \"b\", \"text\": \"Only.\"}\n";
        let arts = parse_jsonl("a.jsonl", text, &fields).unwrap();
        assert_eq!(arts.len(), 2);
        assert_eq!(arts[0].id, "7");
        assert_eq!(arts[0].text, "T\n\nBody.");
        assert!(arts[0].has_title);
        assert_eq!(arts[1].origin, "a.jsonl:3");
        assert!(!arts[1].has_title);
    }

    #[test]
    fn malformed_jsonl_names_file_and_line() {
        let fields = FieldNames::default();
        let err = parse_jsonl("a.jsonl", "{\"id\":1,\"text\":\"x\"}\n{oops\n", &fields)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("a.jsonl:2: expected a JSON object"),
            "{err}"
        );
        let err = parse_jsonl("a.jsonl", "{\"id\":1}\n", &fields)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("a.jsonl:1: expected a string field `text`"),
            "{err}"
        );
        let err = parse_jsonl("a.jsonl", "[1]\n", &fields)
            .unwrap_err()
            .to_string();
        assert!(err.contains("found an array"), "{err}");
    }

    #[test]
    fn csv_articles_and_missing_columns() {
        let fields = FieldNames {
            id: "doc".into(),
            ..FieldNames::default()
        };
        let arts = parse_csv("a.csv", "doc,text\n1,\"Hello, world.\"\n", &fields).unwrap();
        assert_eq!(arts[0].text, "Hello, world.");
        assert_eq!(arts[0].origin, "a.csv:2");
        let err = parse_csv("a.csv", "id,body\n1,x\n", &fields)
            .unwrap_err()
            .to_string();
        assert!(err.contains("expected columns `doc` and `text`"), "{err}");
        assert!(err.contains("found: id, body"), "{err}");
        let err = parse_csv("a.csv", "doc,text\n1,x\n2,y,z\n", &fields)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("a.csv:3: expected 2 fields, found 3"),
            "{err}"
        );
    }

    #[test]
    fn duplicate_ids_name_both_origins() {
        let mut reg = IdRegistry::default();
        let a = Article {
            id: "1".into(),
            origin: "x/article1.txt".into(),
            text: String::new(),
            has_title: true,
        };
        let b = Article {
            origin: "y/article1.txt".into(),
            ..a.clone()
        };
        reg.check(&a).unwrap();
        let err = reg.check(&b).unwrap_err().to_string();
        assert!(
            err.contains("x/article1.txt") && err.contains("y/article1.txt"),
            "{err}"
        );
    }

    fn read_file(dir: &Path, name: &str, bytes: &[u8], lossy: bool) -> Vec<Article> {
        let path = dir.join(name);
        fs::write(&path, bytes).unwrap();
        let opts = ReadOptions {
            format: InputFormat::Auto,
            has_title: true,
            lossy,
            fields: FieldNames::default(),
        };
        let mut warnings = Vec::new();
        read_source(&Source::File(path), &opts, &mut warnings).unwrap()
    }

    #[test]
    fn read_file_into_reads_whole_files_whatever_the_size_hint() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        // 10,000 bytes: hints below, at and above the real size all read every byte.
        let bytes: Vec<u8> = (0..10_000u32).map(|i| b'a' + (i % 26) as u8).collect();
        fs::write(&path, &bytes).unwrap();
        let mut buf = vec![b'x'; 50];
        for hint in [0, 1, 9_999, 10_000, 10_001, 100_000] {
            read_file_into(&path, hint, &mut buf).unwrap();
            assert_eq!(buf, bytes, "hint {hint}");
        }
        fs::write(&path, b"").unwrap();
        read_file_into(&path, 10, &mut buf).unwrap();
        assert!(buf.is_empty());
        let err = read_file_into(&dir.path().join("gone.txt"), 0, &mut buf).unwrap_err();
        assert!(
            format!("{err:#}").contains("gone.txt: cannot read file"),
            "{err:#}"
        );
    }

    #[test]
    fn a_text_article_keeps_its_bom_as_character_zero() {
        let dir = tempfile::tempdir().unwrap();
        let arts = read_file(dir.path(), "a.txt", b"\xEF\xBB\xBFTitle\n\nBody.", false);
        assert_eq!(arts[0].text, "\u{FEFF}Title\n\nBody.");
        // --lossy keeps it too (the invalid byte becomes U+FFFD).
        let arts = read_file(dir.path(), "b.txt", b"\xEF\xBB\xBFTitle\n\nB\xFFdy.", true);
        assert_eq!(arts[0].text, "\u{FEFF}Title\n\nB\u{FFFD}dy.");
    }

    #[test]
    fn a_jsonl_or_csv_file_drops_its_bom_but_a_field_keeps_one() {
        use crate::rows::SentenceKind;
        use crate::sentences::sentence_rows;
        let dir = tempfile::tempdir().unwrap();
        // The file's BOM is dropped before parsing; the text field starts with U+FEFF.
        let arts = read_file(
            dir.path(),
            "a.jsonl",
            b"\xEF\xBB\xBF{\"id\": \"j\", \"title\": \"T\", \"text\": \"\\ufeffBody.\"}\n",
            false,
        );
        assert_eq!(
            (arts[0].id.as_str(), arts[0].origin.ends_with("a.jsonl:1")),
            ("j", true)
        );
        assert_eq!(arts[0].text, "T\n\n\u{FEFF}Body.");
        // The field's U+FEFF counts like a leading BOM: "T" 0..1, "\n\n" 1..3, U+FEFF 3,
        // "Body." 4..9.
        let rows = sentence_rows("j", &arts[0].text, true, &Default::default());
        let got: Vec<_> = rows
            .iter()
            .map(|r| (r.kind, r.start, r.end, r.text.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (SentenceKind::Title, 0, 1, "T"),
                (SentenceKind::Body, 4, 9, "Body.")
            ]
        );
        // A CSV file's BOM is not part of its first column name.
        let arts = read_file(dir.path(), "b.csv", b"\xEF\xBB\xBFid,text\nc,One.\n", false);
        assert_eq!((arts[0].id.as_str(), arts[0].text.as_str()), ("c", "One."));
    }
}
