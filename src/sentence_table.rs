//! The sentence table held compactly for `extract`, the step that reads the largest tables:
//! the string fields of every row live in one buffer and rows are offsets into it (two
//! allocations for a whole table instead of three per row, and no per-field UTF-8 check: the
//! file is validated once).
//!
//! Parsing accepts and rejects exactly what [`crate::table::parse_csv_table`] does for
//! [`SentenceRow`], with the same error messages (checked by tests against it).

use std::ops::Range;
use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::corpus::csv_error;
use crate::labels::intern::FxHashMap;
use crate::rows::{SentenceKind, SentenceRow};
use crate::rules::ArticleSentence;
use crate::table::{self, Format, TableRow};

/// One row: ranges into [`SentenceTable::buf`] and the fields `extract` reads.
#[derive(Debug, Clone)]
struct Entry {
    article_id: Range<usize>,
    sentence_id: Range<usize>,
    text: Range<usize>,
    kind: SentenceKind,
    start: u64,
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
            );
        }
        b.finish()
    }

    /// Reads a sentence table file: CSV, or JSON Lines by its extension (see
    /// [`table::read_table`]).
    pub fn read(path: &Path) -> Result<SentenceTable> {
        let name = path.display().to_string();
        if Format::from_path(path) != Some(Format::Csv) && Format::from_path(path).is_some() {
            return Ok(SentenceTable::from_rows(&table::read_table::<SentenceRow>(
                path,
            )?));
        }
        let bytes = std::fs::read(path).with_context(|| format!("{name}: cannot read file"))?;
        let (text, _) = crate::corpus::decode(&name, bytes, false)?;
        SentenceTable::parse_csv(&name, &text)
    }

    /// Parses a CSV sentence table (`name` is used in error messages).
    pub fn parse_csv(name: &str, text: &str) -> Result<SentenceTable> {
        let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let headers = reader.headers().map_err(|e| csv_error(name, e))?.clone();
        table::check_columns(name, &headers, SentenceRow::COLUMNS)?;
        // The fields are checked in column order, as serde reads them (so the first problem
        // reported is the same); a struct field is read from the first column of its name.
        let mut columns: Vec<(usize, Field)> = Vec::new();
        for (i, h) in headers.iter().enumerate() {
            let f = match h {
                "article_id" => Field::Article,
                "sentence_id" => Field::Sentence,
                "index" | "paragraph" => Field::U32,
                "kind" => Field::Kind,
                "start" => Field::Start,
                "end" => Field::U64,
                "text" => Field::Text,
                _ => continue,
            };
            if headers.iter().position(|o| o == h) == Some(i) {
                columns.push((i, f));
            }
        }
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
                Err(e) => return Err(csv_error(name, e)),
            }
            let line = record.position().map_or(0, |p| p.line());
            let (mut article, mut sentence, mut body): (&[u8], &[u8], &[u8]) = (b"", b"", b"");
            let (mut kind, mut start) = (SentenceKind::Body, 0);
            for &(i, f) in &columns {
                let value = record.get(i).unwrap_or_default();
                // Only short fields are checked here; the kept ones are checked once, together.
                let short = || std::str::from_utf8(value).unwrap_or_default();
                let bad_int = |e| anyhow::anyhow!("{name}:{line}: field {i}: {e}");
                match f {
                    Field::Article => article = value,
                    Field::Sentence => sentence = value,
                    Field::Text => body = value,
                    Field::U32 => {
                        parse_int::<u32>(short()).map_err(bad_int)?;
                    }
                    Field::U64 => {
                        parse_int::<u64>(short()).map_err(bad_int)?;
                    }
                    Field::Start => start = parse_int::<u64>(short()).map_err(bad_int)?,
                    Field::Kind => {
                        kind = match value {
                            b"title" => SentenceKind::Title,
                            b"body" => SentenceKind::Body,
                            _ => bail!(
                                "{name}:{line}: unknown variant `{}`, expected `title` or `body`",
                                String::from_utf8_lossy(value)
                            ),
                        }
                    }
                }
            }
            table.push(article, sentence, body, kind, start);
        }
        Ok(table.finish())
    }
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
    /// An integer column that is checked but not kept.
    U32,
    U64,
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
    use crate::table::parse_csv_table;

    const HEADER: &str = "article_id,sentence_id,index,paragraph,kind,start,end,text";

    /// Parses `csv` both ways and checks the compact table holds the rows serde reads.
    fn same_as_serde(csv: &str) -> SentenceTable {
        let rows: Vec<SentenceRow> = parse_csv_table("t.csv", csv).expect("serde parses it");
        let table = SentenceTable::parse_csv("t.csv", csv).expect("compact parse");
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
        assert_eq!(from_rows.buf, table.buf);
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
        assert_eq!(int, "t.csv:2: field 2: invalid digit found in string");
        let (_, short) = errors(&cases[7]);
        assert_eq!(short, "t.csv:3: expected 8 fields, found 3");
    }
}
