//! Import of annotator label files: format detection, the CSV formats, and the common
//! [`LabelFile`] representation (interned per file; merged by [`super::merge`]).

use std::collections::HashMap;
use std::path::Path;

use csv::{ByteRecord, ReaderBuilder};

use super::error::LabelsError;
use super::intern::Interner;
use super::skip::{SkipReason, SkippedRow};
use super::tool_import::{OffsetUnit, SpanSet};
use crate::hash::FxHashMap;
use crate::rows::{SentenceRow, SpanLabel};

/// Sentinel label id of an entry that only says "this annotator saw this sentence".
pub(crate) const NO_LABEL: u32 = u32::MAX;

/// Set on [`Entry::sentence`] when the id is not in the sentence table; the rest of the
/// bits index [`LabelFile::unknown_sentence_ids`].
pub(crate) const UNKNOWN_SENTENCE: u32 = 1 << 31;

/// The supported annotator file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// CSV with header `sentence_id,label` (+ optional `annotator`), one row per label.
    /// An empty `label` records that the annotator saw the sentence and gave no label.
    LongCsv,
    /// CSV with `sentence_id` (+ optional `annotator`) and one 0/1 column per label.
    WideCsv,
    /// The sentence table (`article_id,sentence_id,index,...,text`) plus a `labels`
    /// column holding `;`-separated labels.
    SentenceTable,
    /// PTC span file: `article_id TAB label TAB start TAB end`, no header, code points.
    /// The file's name names an article too (`article111.task2-TC.labels` → `111`): an
    /// empty file means that article was seen without spans.
    PtcSpans,
    /// doccano JSONL export (one object per line with `sentence_id` and `label`).
    DoccanoJsonl,
    /// Label Studio JSON export (an array of tasks: with `data.sentence_id` a sentence,
    /// otherwise an article with its text and spans).
    LabelStudioJson,
    /// Prodigy (spaCy-style) JSONL: one article per line with `text` and `spans`.
    ProdigyJsonl,
}

impl Format {
    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::LongCsv => "long-csv",
            Format::WideCsv => "wide-csv",
            Format::SentenceTable => "sentence-table",
            Format::PtcSpans => "ptc-spans",
            Format::DoccanoJsonl => "doccano",
            Format::LabelStudioJson => "label-studio",
            Format::ProdigyJsonl => "prodigy",
        }
    }

    /// Parses a command-line name (`long-csv`, `wide-csv`, `sentence-table`, `ptc-spans`,
    /// `doccano`, `label-studio`, `prodigy`).
    pub fn from_name(name: &str) -> Option<Format> {
        [
            Format::LongCsv,
            Format::WideCsv,
            Format::SentenceTable,
            Format::PtcSpans,
            Format::DoccanoJsonl,
            Format::LabelStudioJson,
            Format::ProdigyJsonl,
        ]
        .into_iter()
        .find(|f| f.as_str() == name)
    }
}

/// Options for [`parse_label_file`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOptions {
    /// Force a format instead of detecting it from the content.
    pub format: Option<Format>,
    /// PTC spans: minimum overlap in code points for a span to label a sentence (>= 1).
    pub min_overlap: u64,
    /// PTC spans: article lengths in code points; without an entry the end of the
    /// article's last sentence is taken as its length.
    pub article_lengths: HashMap<String, u64>,
    /// Article-level span exports: the unit their offsets count in (`None`: detected per
    /// file, see [`OffsetUnit`]).
    pub offsets: Option<OffsetUnit>,
    /// Article-level span exports: the task field (top level, in `data` for Label Studio,
    /// or in `meta`) that holds the article id.
    pub id_field: String,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            format: None,
            min_overlap: 1,
            article_lengths: HashMap::new(),
            offsets: None,
            id_field: "article_id".to_string(),
        }
    }
}

/// The sentence table, indexed: sentence ids in table order (that order is the output
/// order of the merge), articles, and sentence offsets for span projection.
#[derive(Debug, Clone)]
pub struct SentenceIndex {
    /// The sentence ids one after the other; `id_ends[p]` is where id `p` ends.
    id_text: String,
    id_ends: Vec<usize>,
    /// Hash of an id (see [`id_hash`]) -> its position; ids whose hash an earlier id has
    /// are in `collisions` (no string per id: the ids are in `id_text`).
    lookup: FxHashMap<u64, u32>,
    collisions: FxHashMap<Box<str>, u32>,
    article_of: Vec<u32>,
    articles: Vec<String>,
    article_lookup: FxHashMap<Box<str>, u32>,
    /// Per article: its sentences sorted by start offset.
    article_sentences: Vec<Vec<u32>>,
    starts: Vec<u64>,
    ends: Vec<u64>,
}

impl SentenceIndex {
    /// Indexes the sentence table. Errors on duplicate sentence ids or start > end.
    pub fn new(rows: &[SentenceRow]) -> Result<Self, LabelsError> {
        SentenceIndex::from_parts(
            rows.len(),
            rows.iter().map(|r| {
                (
                    r.article_id.as_str(),
                    r.sentence_id.as_str(),
                    r.start,
                    r.end,
                )
            }),
        )
    }

    /// [`SentenceIndex::new`] of the sentences `(article_id, sentence_id, start, end)` in
    /// table order (`len` of them), for a caller that holds the table in another form.
    pub fn from_parts<'r>(
        len: usize,
        rows: impl IntoIterator<Item = (&'r str, &'r str, u64, u64)>,
    ) -> Result<Self, LabelsError> {
        let invalid = |message: String| LabelsError::Invalid {
            context: "sentence table".to_string(),
            message,
        };
        let mut index = SentenceIndex {
            id_text: String::new(),
            id_ends: Vec::with_capacity(len),
            lookup: FxHashMap::default(),
            collisions: FxHashMap::default(),
            article_of: Vec::with_capacity(len),
            articles: Vec::new(),
            article_lookup: FxHashMap::default(),
            article_sentences: Vec::new(),
            starts: Vec::with_capacity(len),
            ends: Vec::with_capacity(len),
        };
        if len >= UNKNOWN_SENTENCE as usize {
            return Err(invalid(format!("{len} sentences (at most 2^31 - 1)")));
        }
        index.lookup.reserve(len);
        for (pos, (article_id, sentence_id, start, end)) in rows.into_iter().enumerate() {
            let pos = u32::try_from(pos).map_err(|_| invalid("too many sentences".into()))?;
            if start > end {
                return Err(invalid(format!(
                    "sentence `{sentence_id}` has start {start} > end {end}"
                )));
            }
            let hash = id_hash(sentence_id);
            let repeated = match index.lookup.get(&hash) {
                None => {
                    index.lookup.insert(hash, pos);
                    false
                }
                Some(&p) => {
                    index.sentence_id(p) == sentence_id
                        || index.collisions.insert(sentence_id.into(), pos).is_some()
                }
            };
            if repeated {
                return Err(invalid(format!("duplicate sentence id `{sentence_id}`")));
            }
            let same_article = pos > 0
                && index.articles[index.article_of[pos as usize - 1] as usize] == article_id;
            let article = match index.article_lookup.get(article_id) {
                _ if same_article => index.article_of[pos as usize - 1],
                Some(&a) => a,
                None => {
                    let a = index.articles.len() as u32;
                    index.articles.push(article_id.to_string());
                    index.article_lookup.insert(article_id.into(), a);
                    index.article_sentences.push(Vec::new());
                    a
                }
            };
            index.id_text.push_str(sentence_id);
            index.id_ends.push(index.id_text.len());
            index.article_of.push(article);
            index.article_sentences[article as usize].push(pos);
            index.starts.push(start);
            index.ends.push(end);
        }
        let starts = &index.starts;
        for list in &mut index.article_sentences {
            list.sort_by_key(|&s| starts[s as usize]);
        }
        Ok(index)
    }

    /// Number of sentences.
    pub fn len(&self) -> usize {
        self.id_ends.len()
    }

    /// True when the table has no sentence.
    pub fn is_empty(&self) -> bool {
        self.id_ends.is_empty()
    }

    /// The position (table order) of a sentence id.
    #[inline]
    pub fn position(&self, sentence_id: &str) -> Option<u32> {
        match self.lookup.get(&id_hash(sentence_id)) {
            None => None,
            Some(&p) if self.sentence_id(p) == sentence_id => Some(p),
            Some(_) => self.collisions.get(sentence_id).copied(),
        }
    }

    /// The sentence id at a position.
    #[inline]
    pub fn sentence_id(&self, position: u32) -> &str {
        let p = position as usize;
        let start = if p == 0 { 0 } else { self.id_ends[p - 1] };
        &self.id_text[start..self.id_ends[p]]
    }

    /// The article of the sentence at a position, numbered in order of first appearance.
    pub fn article_of(&self, position: u32) -> u32 {
        self.article_of[position as usize]
    }

    pub(crate) fn article_count(&self) -> usize {
        self.articles.len()
    }

    pub(crate) fn article_position(&self, article_id: &str) -> Option<u32> {
        self.article_lookup.get(article_id).copied()
    }

    pub(crate) fn article_id(&self, article: u32) -> &str {
        &self.articles[article as usize]
    }

    /// Sentences of an article sorted by start offset.
    pub(crate) fn article_sentences(&self, article: u32) -> &[u32] {
        &self.article_sentences[article as usize]
    }

    pub(crate) fn span(&self, position: u32) -> (u64, u64) {
        (self.starts[position as usize], self.ends[position as usize])
    }
}

/// The 64-bit FxHash of a sentence id, its bits mixed down (MurmurHash3's finaliser) so
/// the low bits, which pick the map's bucket, depend on every byte (ids that differ only in
/// their high bytes, `a0000001:3` and `a0000002:3`, would otherwise crowd into a few
/// buckets): the key of [`SentenceIndex`]'s look-up (two ids with the same hash are told
/// apart by comparing them).
#[inline]
fn id_hash(id: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = crate::hash::FxHasher::default();
    h.write(id.as_bytes());
    let mut h = h.finish();
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// One imported entry: `annotator` says `label` for `sentence_id` (or, with `label` =
/// `None`, only that they saw the sentence), from source line `line`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LabelEntry<'a> {
    /// The annotator.
    pub annotator: &'a str,
    /// The sentence id as written in the file (for spans: the projected sentence).
    pub sentence_id: &'a str,
    /// The label as written (before schema resolution); `None` for "seen, no label".
    pub label: Option<&'a str>,
    /// 1-based source line (0 for the "seen" entry of the article a span file's name
    /// names, when no span of the file lies in it).
    pub line: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) annotator: u32,
    pub(crate) sentence: u32,
    pub(crate) label: u32,
    pub(crate) line: u32,
}

/// A parsed annotator file. Strings are interned per file; entries refer to them by id.
#[derive(Debug, Clone)]
pub struct LabelFile {
    /// The name given to [`parse_label_file`] (used in messages).
    pub name: String,
    /// The format the content was read as (`None` for an empty file).
    pub format: Option<Format>,
    pub(crate) annotators: Vec<String>,
    /// Sentence ids not found in the sentence table (entries refer to them with
    /// [`UNKNOWN_SENTENCE`] set); known ids are stored as table positions.
    pub(crate) unknown_sentence_ids: Vec<String>,
    /// Size of the sentence table the file was parsed against (checked by the merge).
    pub(crate) index_len: usize,
    pub(crate) labels: Vec<String>,
    pub(crate) entries: Vec<Entry>,
    pub(crate) skipped: Vec<SkippedRow>,
    pub(crate) rows_read: u64,
    /// PTC span files: the spans kept (not skipped), in file order.
    pub(crate) spans: Vec<SpanLabel>,
    /// When the content came from several files (a directory of span files): the index of
    /// each file's first entry and the file's name, in entry order.
    pub(crate) parts: Vec<(usize, String)>,
    /// PTC span files: the distinct articles covered, sorted (see [`LabelFile::articles`]).
    pub(crate) articles: Vec<String>,
    /// Warnings found while reading (passed on to the merge summary).
    pub(crate) warnings: Vec<String>,
    /// Article-level span exports: each annotator's spans per article seen (code points).
    pub(crate) span_sets: Vec<SpanSet>,
    /// Article-level tasks read (Label Studio, doccano, Prodigy), with or without spans.
    pub(crate) article_tasks: u64,
}

impl LabelFile {
    pub(super) fn new(name: &str, format: Option<Format>, index: &SentenceIndex) -> Self {
        LabelFile {
            name: name.to_string(),
            format,
            annotators: Vec::new(),
            unknown_sentence_ids: Vec::new(),
            index_len: index.len(),
            labels: Vec::new(),
            entries: Vec::new(),
            skipped: Vec::new(),
            rows_read: 0,
            spans: Vec::new(),
            parts: Vec::new(),
            articles: Vec::new(),
            warnings: Vec::new(),
            span_sets: Vec::new(),
            article_tasks: 0,
        }
    }

    /// The name of the file entry `i` came from (the file's own name unless it was read
    /// from several files).
    pub(crate) fn entry_source(&self, i: usize) -> &str {
        let k = self.parts.partition_point(|(first, _)| *first <= i);
        if k == 0 {
            &self.name
        } else {
            &self.parts[k - 1].1
        }
    }

    /// PTC span files: the spans kept (validated, not skipped), in file order.
    pub fn spans(&self) -> &[SpanLabel] {
        &self.spans
    }

    /// PTC span files: the distinct articles the file covers, sorted: the article its name
    /// names when that is in the sentence table, and those of its span lines (as in the
    /// table, or as written when unknown). Empty for other formats.
    pub fn articles(&self) -> &[String] {
        &self.articles
    }

    /// Whether the file held article-level tasks of an annotation tool (spans).
    pub fn has_article_tasks(&self) -> bool {
        self.article_tasks > 0
    }

    /// Warnings found while reading (an empty span file whose name names no known
    /// article); [`super::merge`] adds them to its summary.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The sentence id of an entry.
    pub(crate) fn sentence_str<'a>(&'a self, index: &'a SentenceIndex, sentence: u32) -> &'a str {
        if sentence & UNKNOWN_SENTENCE != 0 {
            &self.unknown_sentence_ids[(sentence & !UNKNOWN_SENTENCE) as usize]
        } else {
            index.sentence_id(sentence)
        }
    }

    /// The entries in file order; `index` must be the sentence index the file was
    /// parsed with (known sentence ids are stored as positions in it).
    pub fn entries<'a>(
        &'a self,
        index: &'a SentenceIndex,
    ) -> impl Iterator<Item = LabelEntry<'a>> + 'a {
        self.entries.iter().map(move |e| LabelEntry {
            annotator: &self.annotators[e.annotator as usize],
            sentence_id: self.sentence_str(index, e.sentence),
            label: (e.label != NO_LABEL).then(|| self.labels[e.label as usize].as_str()),
            line: u64::from(e.line),
        })
    }

    /// The `(sentence id, label)` pairs of the labelled entries, in file order: for PTC
    /// span files, the gold spans projected onto their sentences (what `eval` scores at the
    /// sentence level).
    pub fn label_pairs<'a>(
        &'a self,
        index: &'a SentenceIndex,
    ) -> impl Iterator<Item = (String, String)> + 'a {
        self.entries(index)
            .filter_map(|e| Some((e.sentence_id.to_string(), e.label?.to_string())))
    }

    /// The annotators named in the file (the file stem when it has no annotator column).
    pub fn annotators(&self) -> &[String] {
        &self.annotators
    }

    /// Rows dropped while importing (spans of unknown articles, outside the text, ...).
    pub fn skipped(&self) -> &[SkippedRow] {
        &self.skipped
    }

    /// Number of input entries read: label cells/names/spans, plus rows that carry no
    /// label (which still record that the sentence was seen).
    pub fn rows_read(&self) -> u64 {
        self.rows_read
    }

    /// True when the file has no data row at all.
    pub fn is_empty(&self) -> bool {
        self.rows_read == 0
    }
}

/// Per-file interning and entry collection shared by the importers.
pub(crate) struct Builder<'i> {
    pub(crate) file: LabelFile,
    index: &'i SentenceIndex,
    annotators: Interner,
    unknown_sentences: Interner,
    labels: Interner,
}

impl<'i> Builder<'i> {
    pub(crate) fn new(name: &str, format: Format, index: &'i SentenceIndex) -> Self {
        Builder {
            file: LabelFile::new(name, Some(format), index),
            index,
            annotators: Interner::default(),
            unknown_sentences: Interner::default(),
            labels: Interner::default(),
        }
    }

    pub(crate) fn annotator(&mut self, name: &str) -> u32 {
        self.annotators.intern(name)
    }

    /// The name of an interned annotator.
    pub(crate) fn annotator_name(&self, id: u32) -> String {
        self.annotators.name(id).to_string()
    }

    pub(crate) fn label(&mut self, name: &str) -> u32 {
        self.labels.intern(name)
    }

    /// The table position of a sentence id, or a local id with [`UNKNOWN_SENTENCE`] set.
    #[inline]
    pub(crate) fn sentence(&mut self, id: &str) -> u32 {
        match self.index.position(id) {
            Some(p) => p,
            None => UNKNOWN_SENTENCE | self.unknown_sentences.intern(id),
        }
    }

    pub(crate) fn push(&mut self, annotator: u32, sentence: u32, label: u32, line: u64) {
        self.file.entries.push(Entry {
            annotator,
            sentence,
            label,
            line: u32::try_from(line).unwrap_or(u32::MAX),
        });
    }

    pub(crate) fn finish(mut self) -> LabelFile {
        self.file.annotators = self.annotators.into_names();
        self.file.unknown_sentence_ids = self.unknown_sentences.into_names();
        self.file.labels = self.labels.into_names();
        self.file
    }

    pub(crate) fn label_count(&self) -> usize {
        self.labels.len()
    }
}

/// The annotator name used when a file has no annotator column: the file stem (`stdin`
/// for standard input, named `<stdin>`).
pub(crate) fn default_annotator(name: &str) -> String {
    if name == "<stdin>" {
        return "stdin".to_string();
    }
    Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| name.to_string())
}

pub(super) fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

pub(super) fn first_line(text: &str) -> Option<&str> {
    text.lines().find(|l| !l.trim().is_empty())
}

pub(super) fn header_columns(line: &str) -> Vec<String> {
    let mut rdr = ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(line.as_bytes());
    let mut rec = csv::StringRecord::new();
    match rdr.read_record(&mut rec) {
        Ok(true) => rec.iter().map(|c| c.trim().to_string()).collect(),
        _ => Vec::new(),
    }
}

/// Detects the format from the content: a first line starting with `{` is doccano
/// JSONL, with `[` Label Studio JSON; a first line with tabs and no `sentence_id` is
/// a PTC span file; otherwise the CSV header decides (`labels` → sentence table,
/// `label` → long, `sentence_id` + other columns → wide). `None` when nothing fits.
pub fn detect_format(text: &str) -> Option<Format> {
    let line = first_line(strip_bom(text))?;
    match line.trim_start().chars().next() {
        Some('{') => {
            // Prodigy tasks hold `spans`, doccano lines `label` (or `entities`).
            let obj: Option<serde_json::Value> = serde_json::from_str(line).ok();
            let has = |k: &str| obj.as_ref().is_some_and(|o| o.get(k).is_some());
            if has("spans") && !has("label") && !has("labels") && !has("entities") {
                return Some(Format::ProdigyJsonl);
            }
            return Some(Format::DoccanoJsonl);
        }
        Some('[') => return Some(Format::LabelStudioJson),
        _ => {}
    }
    if line.contains('\t') && !line.contains("sentence_id") {
        return Some(Format::PtcSpans);
    }
    let cols = header_columns(line);
    let has = |c: &str| cols.iter().any(|x| x == c);
    if !has("sentence_id") {
        return None;
    }
    if has("labels") {
        Some(Format::SentenceTable)
    } else if has("label") {
        Some(Format::LongCsv)
    } else if cols
        .iter()
        .any(|c| c != "sentence_id" && c != "annotator" && !c.is_empty())
    {
        Some(Format::WideCsv)
    } else {
        None
    }
}

fn column(header: &[String], wanted: &[&str]) -> Vec<Option<usize>> {
    wanted
        .iter()
        .map(|w| header.iter().position(|h| h == w))
        .collect()
}

fn missing(name: &str, header: &[String], cols: &[&str]) -> LabelsError {
    LabelsError::MissingColumns {
        file: name.to_string(),
        missing: cols.join(", "),
        found: header.join(", "),
    }
}

fn field<'r>(name: &str, rec: &'r ByteRecord, i: usize, line: u64) -> Result<&'r str, LabelsError> {
    let bytes = rec.get(i).unwrap_or(b"");
    std::str::from_utf8(bytes)
        .map(str::trim)
        .map_err(|_| LabelsError::Parse {
            file: name.to_string(),
            line,
            message: format!("column {} is not valid UTF-8", i + 1),
        })
}

fn csv_error(name: &str, text: &[u8], e: csv::Error) -> LabelsError {
    let line = e
        .position()
        .map_or(0, |p| crate::text::RecordLines::new(text).line(p));
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("expected {expected_len} fields, found {len}"),
        _ => e.to_string(),
    };
    LabelsError::Parse {
        file: name.to_string(),
        line,
        message,
    }
}

pub(super) fn parse_csv(
    name: &str,
    text: &str,
    format: Format,
    index: &SentenceIndex,
) -> Result<LabelFile, LabelsError> {
    if format == Format::LongCsv
        && let Some(file) = parse_long_plain(name, text, index)
    {
        return Ok(file);
    }
    parse_csv_general(name, text, format, index)
}

/// The fields of a plain record (see [`parse_long_plain`]) as byte ranges of `bytes`
/// (inside the quotes of a quoted field), into `out`; `None` when the record is not plain.
fn plain_fields(
    bytes: &[u8],
    start: usize,
    end: usize,
    out: &mut Vec<(usize, usize)>,
) -> Option<()> {
    out.clear();
    let mut at = start;
    loop {
        if bytes.get(at) == Some(&b'"') && at < end {
            // Quoted: up to the next quote, which must end the field.
            let close = at + 1 + memchr::memchr(b'"', &bytes[at + 1..end])?;
            out.push((at + 1, close));
            at = close + 1;
            if at == end {
                return Some(());
            }
            if bytes[at] != b',' {
                return None;
            }
            at += 1;
        } else {
            let stop = memchr::memchr(b',', &bytes[at..end]).map_or(end, |i| at + i);
            if memchr::memchr(b'"', &bytes[at..stop]).is_some() {
                return None;
            }
            out.push((at, stop));
            if stop == end {
                return Some(());
            }
            at = stop + 1;
        }
    }
}

/// A long CSV whose records are all plain, read without the `csv` crate: the header is
/// the first line and has no quote; every record is one non-empty line ending with `\n`,
/// `\r\n` or the end of the text, with no other `\r`, as many fields as the header, each
/// unquoted without `"`, or quoted without a quote inside and followed by a comma or the end
/// of the record. Such a text reads exactly as with the `csv` crate (same entries, same
/// lines; tests compare both); `None` for any other text (the `csv` crate then reads it
/// and reports its errors).
pub(crate) fn parse_long_plain(name: &str, text: &str, index: &SentenceIndex) -> Option<LabelFile> {
    let bytes = text.as_bytes();
    let header_end = memchr::memchr(b'\n', bytes)?;
    let header_line = &text[..header_end];
    let header_line = header_line.strip_suffix('\r').unwrap_or(header_line);
    if header_line.is_empty() || header_line.contains(['"', '\r']) {
        return None;
    }
    let header: Vec<&str> = header_line.split(',').map(str::trim).collect();
    let position = |c: &str| header.iter().position(|h| *h == c);
    let sid_col = position("sentence_id")?;
    let label_col = position("label")?;
    let ann_col = position("annotator");
    let width = header.len();
    let mut b = Builder::new(name, Format::LongCsv, index);
    let stem = default_annotator(name);
    let mut default_ann: Option<u32> = None;
    let mut fields: Vec<(usize, usize)> = Vec::with_capacity(width);
    // The last sentence id and label looked up (files are usually sorted by sentence).
    let mut last_sid: (&str, u32) = ("", 0);
    let mut has_last_sid = false;
    let mut last_label: (&str, u32) = ("", NO_LABEL);
    let mut at = header_end + 1;
    let mut line = 1u64;
    while at < bytes.len() {
        line += 1;
        let nl = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
        let end = if nl > at && bytes[nl - 1] == b'\r' {
            nl - 1
        } else {
            nl
        };
        if end == at || memchr::memchr(b'\r', &bytes[at..end]).is_some() {
            return None;
        }
        plain_fields(bytes, at, end, &mut fields)?;
        if fields.len() != width {
            return None;
        }
        at = nl + 1;
        if fields
            .iter()
            .all(|&(s, e)| bytes[s..e].iter().all(u8::is_ascii_whitespace))
        {
            continue;
        }
        let cell = |k: usize| {
            let (s, e) = fields[k];
            text[s..e].trim()
        };
        let sid = cell(sid_col);
        let sentence = if has_last_sid && last_sid.0 == sid {
            last_sid.1
        } else {
            // Files sorted as the table are looked up by the next few positions first.
            let next = (has_last_sid && last_sid.1 & UNKNOWN_SENTENCE == 0)
                .then(|| {
                    (last_sid.1 + 1..(last_sid.1 + 4).min(index.len() as u32))
                        .find(|&p| index.sentence_id(p) == sid)
                })
                .flatten();
            let s = match next {
                Some(p) => p,
                None => b.sentence(sid),
            };
            last_sid = (sid, s);
            has_last_sid = true;
            s
        };
        let given = ann_col.map_or("", cell);
        let annotator = if given.is_empty() {
            *default_ann.get_or_insert_with(|| b.annotator(&stem))
        } else {
            b.annotator(given)
        };
        let label = cell(label_col);
        let id = if label.is_empty() {
            NO_LABEL
        } else if last_label.1 != NO_LABEL && last_label.0 == label {
            last_label.1
        } else {
            let id = b.label(label);
            last_label = (label, id);
            id
        };
        b.push(annotator, sentence, id, line);
    }
    b.file.rows_read = b.file.entries.len() as u64;
    debug_assert!(b.label_count() < NO_LABEL as usize);
    Some(b.finish())
}

/// [`parse_csv`] with the `csv` crate, for any text.
pub(crate) fn parse_csv_general(
    name: &str,
    text: &str,
    format: Format,
    index: &SentenceIndex,
) -> Result<LabelFile, LabelsError> {
    let mut rdr = ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = rdr
        .byte_headers()
        .map_err(|e| csv_error(name, text.as_bytes(), e))?
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_string())
        .collect();
    let mut b = Builder::new(name, format, index);
    let stem = default_annotator(name);
    let cols = column(&header, &["sentence_id", "annotator", "label", "labels"]);
    let Some(sid_col) = cols[0] else {
        return Err(missing(name, &header, &["sentence_id"]));
    };
    let ann_col = cols[1];
    let mut default_ann: Option<u32> = None;
    // Wide format: every column but sentence_id/annotator is a label column.
    let label_cols: Vec<(usize, u32)> = if format == Format::WideCsv {
        let mut v = Vec::new();
        for (i, h) in header.iter().enumerate() {
            if Some(i) != Some(sid_col) && Some(i) != ann_col {
                if h.is_empty() {
                    return Err(LabelsError::Parse {
                        file: name.to_string(),
                        line: 1,
                        message: format!("column {} has an empty header (label name)", i + 1),
                    });
                }
                v.push((i, b.label(h)));
            }
        }
        if v.is_empty() {
            return Err(missing(name, &header, &["<label columns>"]));
        }
        v
    } else {
        Vec::new()
    };
    let text_col = match format {
        Format::LongCsv => cols[2].ok_or_else(|| missing(name, &header, &["label"]))?,
        Format::SentenceTable => cols[3].ok_or_else(|| missing(name, &header, &["labels"]))?,
        _ => 0,
    };
    let mut rec = ByteRecord::new();
    let mut lines = crate::text::RecordLines::new(text.as_bytes());
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(name, text.as_bytes(), e)),
        }
        let line = rec.position().map_or(0, |p| lines.line(p));
        if rec.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        let sid = field(name, &rec, sid_col, line)?;
        let sentence = b.sentence(sid);
        let given = match ann_col {
            Some(c) => field(name, &rec, c, line)?,
            None => "",
        };
        let annotator = if given.is_empty() {
            *default_ann.get_or_insert_with(|| b.annotator(&stem))
        } else {
            b.annotator(given)
        };
        let before = b.file.entries.len();
        match format {
            Format::LongCsv => {
                let label = field(name, &rec, text_col, line)?;
                let id = if label.is_empty() {
                    NO_LABEL
                } else {
                    b.label(label)
                };
                b.push(annotator, sentence, id, line);
            }
            Format::SentenceTable => {
                let labels = field(name, &rec, text_col, line)?;
                for label in labels.split(';').map(str::trim).filter(|l| !l.is_empty()) {
                    let id = b.label(label);
                    b.push(annotator, sentence, id, line);
                }
            }
            Format::WideCsv => {
                for &(c, id) in &label_cols {
                    match field(name, &rec, c, line)? {
                        "" | "0" => {}
                        "1" => b.push(annotator, sentence, id, line),
                        other => {
                            return Err(LabelsError::BadCell {
                                file: name.to_string(),
                                line,
                                column: header[c].clone(),
                                value: other.to_string(),
                            });
                        }
                    }
                }
            }
            Format::PtcSpans
            | Format::DoccanoJsonl
            | Format::LabelStudioJson
            | Format::ProdigyJsonl => {
                unreachable!("not a CSV format")
            }
        }
        if b.file.entries.len() == before {
            b.push(annotator, sentence, NO_LABEL, line);
        }
    }
    b.file.rows_read = b.file.entries.len() as u64;
    debug_assert!(b.label_count() < NO_LABEL as usize);
    Ok(b.finish())
}

/// A long-format annotator file from rows held in memory: `(line, sentence_id, label,
/// annotator)`, each cell read as a long CSV's (trimmed; an empty label is "saw the
/// sentence, no label"; an empty annotator is the stem of `name`; a row of blank cells is
/// skipped). `line` is what messages and skipped rows name after `name`. The same
/// [`LabelFile`] as [`super::parse_label_file`] gives for the CSV text of those rows.
pub fn long_rows<'r>(
    name: &str,
    rows: impl IntoIterator<Item = (u64, &'r str, &'r str, &'r str)>,
    index: &SentenceIndex,
) -> LabelFile {
    let mut b = Builder::new(name, Format::LongCsv, index);
    let stem = default_annotator(name);
    let mut default_ann: Option<u32> = None;
    for (line, sid, label, given) in rows {
        let (sid, label, given) = (sid.trim(), label.trim(), given.trim());
        if sid.is_empty() && label.is_empty() && given.is_empty() {
            continue;
        }
        let sentence = b.sentence(sid);
        let annotator = if given.is_empty() {
            *default_ann.get_or_insert_with(|| b.annotator(&stem))
        } else {
            b.annotator(given)
        };
        let id = if label.is_empty() {
            NO_LABEL
        } else {
            b.label(label)
        };
        b.push(annotator, sentence, id, line);
    }
    b.file.rows_read = b.file.entries.len() as u64;
    debug_assert!(b.label_count() < NO_LABEL as usize);
    b.finish()
}

/// Builds a skipped-row record for the importers.
pub(crate) fn skip(
    file: &str,
    line: u64,
    annotator: &str,
    item: &str,
    label: &str,
    reason: SkipReason,
) -> SkippedRow {
    SkippedRow {
        file: file.to_string(),
        line,
        annotator: annotator.to_string(),
        sentence_id: item.to_string(),
        label: label.to_string(),
        reason,
    }
}
