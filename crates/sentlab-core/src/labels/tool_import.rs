//! Article-level span exports of annotation tools: Label Studio tasks without a
//! `data.sentence_id`, doccano JSONL lines without a `sentence_id`, and Prodigy JSONL.
//!
//! Each article task carries the article's text and spans whose offsets the tool counted
//! in its own unit. The unit is found per file ([`OffsetUnit`]): the first of code points,
//! UTF-16 code units and grapheme clusters under which every span fits (its offsets fall
//! on boundaries of that unit inside the text, and, when the export gives the span's text
//! (Label Studio `value.text`), the slice is that text). Offsets are then converted to code
//! points, sentlab's unit, and projected onto the sentences of the article as PTC spans
//! are; the converted spans are also kept per annotator and article for the span vote of
//! [`super::span_merge`].

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde_json::Value;
use unicode_segmentation::UnicodeSegmentation;

use super::error::LabelsError;
use super::import::{Builder, Format, ImportOptions, LabelFile, NO_LABEL, SentenceIndex};
use super::import::{default_annotator, skip};
use super::project::project_span;
use super::skip::SkipReason;

/// The unit an annotation tool counted span offsets in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OffsetUnit {
    /// Unicode code points (Python string indices; sentlab's own unit).
    CodePoint,
    /// UTF-16 code units (JavaScript string indices): a character outside the Basic
    /// Multilingual Plane, such as most emoji, counts 2.
    Utf16,
    /// Extended grapheme clusters (user-perceived characters, Unicode UAX #29).
    Grapheme,
}

impl OffsetUnit {
    /// The units in the order automatic detection tries them.
    pub const ALL: [OffsetUnit; 3] = [
        OffsetUnit::CodePoint,
        OffsetUnit::Utf16,
        OffsetUnit::Grapheme,
    ];

    /// The name used on the command line (`codepoint`, `utf16`, `grapheme`).
    pub fn as_str(self) -> &'static str {
        match self {
            OffsetUnit::CodePoint => "codepoint",
            OffsetUnit::Utf16 => "utf16",
            OffsetUnit::Grapheme => "grapheme",
        }
    }

    /// Parses a command-line name.
    pub fn from_name(name: &str) -> Option<OffsetUnit> {
        OffsetUnit::ALL.into_iter().find(|u| u.as_str() == name)
    }

    fn plural(self) -> &'static str {
        match self {
            OffsetUnit::CodePoint => "code points",
            OffsetUnit::Utf16 => "UTF-16 code units",
            OffsetUnit::Grapheme => "grapheme clusters",
        }
    }
}

impl fmt::Display for OffsetUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.plural())
    }
}

/// The offsets of one text in each unit, as code points.
struct Units {
    /// Byte offset of each code point, and the text length in bytes last.
    bytes: Vec<usize>,
    /// Per UTF-16 offset: the code point there, `u64::MAX` inside a surrogate pair.
    utf16: Vec<u64>,
    /// Per grapheme offset: the code point where that cluster starts (length last).
    graphemes: Vec<u64>,
}

impl Units {
    fn new(text: &str) -> Units {
        let mut bytes = Vec::with_capacity(text.len() + 1);
        let mut utf16 = Vec::with_capacity(text.len() + 1);
        for (cp, (b, c)) in text.char_indices().enumerate() {
            bytes.push(b);
            utf16.push(cp as u64);
            if c.len_utf16() == 2 {
                utf16.push(u64::MAX);
            }
        }
        let cps = bytes.len() as u64;
        bytes.push(text.len());
        utf16.push(cps);
        let mut graphemes = Vec::new();
        let mut cp = 0u64;
        for g in text.graphemes(true) {
            graphemes.push(cp);
            cp += g.chars().count() as u64;
        }
        graphemes.push(cp);
        Units {
            bytes,
            utf16,
            graphemes,
        }
    }

    fn len(&self, unit: OffsetUnit) -> u64 {
        (match unit {
            OffsetUnit::CodePoint => self.bytes.len(),
            OffsetUnit::Utf16 => self.utf16.len(),
            OffsetUnit::Grapheme => self.graphemes.len(),
        } - 1) as u64
    }

    /// The code point at `offset` of `unit`; `None` past the end or inside a character.
    fn code_point(&self, unit: OffsetUnit, offset: u64) -> Option<u64> {
        let i = usize::try_from(offset).ok()?;
        match unit {
            OffsetUnit::CodePoint => (i < self.bytes.len()).then_some(offset),
            OffsetUnit::Utf16 => self.utf16.get(i).copied().filter(|&c| c != u64::MAX),
            OffsetUnit::Grapheme => self.graphemes.get(i).copied(),
        }
    }

    fn slice<'t>(&self, text: &'t str, start: u64, end: u64) -> &'t str {
        &text[self.bytes[start as usize]..self.bytes[end as usize]]
    }
}

/// One span of an article task, as the export gives it.
#[derive(Debug, Clone)]
pub(crate) struct RawSpan {
    pub(crate) line: u64,
    pub(crate) annotator: u32,
    pub(crate) start: u64,
    pub(crate) end: u64,
    /// The span's text when the export gives it (Label Studio `value.text`).
    pub(crate) text: Option<String>,
    pub(crate) label: String,
}

/// One article task: the article id, its text, who saw it, and their spans.
#[derive(Debug, Clone, Default)]
pub(crate) struct ArticleDoc {
    pub(crate) line: u64,
    pub(crate) id: String,
    pub(crate) text: String,
    /// The annotators who saw the article (each once), with or without spans.
    pub(crate) seen_by: Vec<u32>,
    pub(crate) spans: Vec<RawSpan>,
}

/// One annotator's spans in one article (code points, labels interned in the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SpanSet {
    pub(crate) annotator: u32,
    pub(crate) article: u32,
    pub(crate) spans: Vec<(u32, u64, u64)>,
}

/// How a span reads under one unit.
enum Fit {
    Ok(u64, u64),
    PastEnd(u64),
    Misfit(String),
}

fn fit(doc: &ArticleDoc, units: &Units, span: &RawSpan, unit: OffsetUnit) -> Fit {
    let length = units.len(unit);
    if span.end > length {
        return Fit::PastEnd(length);
    }
    let (Some(s), Some(e)) = (
        units.code_point(unit, span.start),
        units.code_point(unit, span.end),
    ) else {
        return Fit::Misfit(format!(
            "offset {} or {} falls inside a character",
            span.start, span.end
        ));
    };
    if let Some(expected) = &span.text {
        let found = units.slice(&doc.text, s, e);
        if found != expected {
            return Fit::Misfit(format!("reads `{found}`, the export says `{expected}`"));
        }
    }
    Fit::Ok(s, e)
}

/// Whether a span can tell units apart: not empty, and not past the end in every unit.
fn telling(units: &Units, span: &RawSpan) -> bool {
    span.start < span.end && span.end <= units.len(OffsetUnit::Utf16)
}

/// The order automatic detection tries the units in for a file of this format: the unit
/// the tool itself counts in first. doccano gives no span text to check a unit by, and its
/// annotator (1.8.4, without the project's grapheme option) takes offsets from the
/// browser's selection, in JavaScript string indices: UTF-16 code units. Label Studio's
/// `value.text` decides by itself; Prodigy counts Python string indices, code points.
fn detection_order(format: Option<Format>) -> [OffsetUnit; 3] {
    match format {
        Some(Format::DoccanoJsonl) => [
            OffsetUnit::Utf16,
            OffsetUnit::CodePoint,
            OffsetUnit::Grapheme,
        ],
        _ => OffsetUnit::ALL,
    }
}

/// The unit under which every telling span of the file fits (the first in `order`); an
/// error naming the deciding span when none does.
fn detect_unit(
    name: &str,
    docs: &[ArticleDoc],
    units: &[Option<Units>],
    order: [OffsetUnit; 3],
) -> Result<OffsetUnit, LabelsError> {
    // Per unit: the first span (file order) that does not fit under it.
    let mut first_misfit: Vec<Option<(u64, String)>> = vec![None; order.len()];
    for (doc, u) in docs.iter().zip(units) {
        let Some(u) = u else { continue };
        for span in doc.spans.iter().filter(|s| telling(u, s)) {
            for (k, unit) in order.into_iter().enumerate() {
                if first_misfit[k].is_some() {
                    continue;
                }
                let why = match fit(doc, u, span, unit) {
                    Fit::Ok(..) => continue,
                    Fit::PastEnd(length) => {
                        format!("ends past the text's {length} {unit}")
                    }
                    Fit::Misfit(why) => why,
                };
                first_misfit[k] = Some((
                    span.line,
                    format!(
                        "line {}: span {}..{} `{}` {why}",
                        span.line, span.start, span.end, span.label
                    ),
                ));
            }
            if first_misfit.iter().all(Option::is_some) {
                let reasons: Vec<String> = order
                    .iter()
                    .zip(&first_misfit)
                    .map(|(unit, m)| format!("as {unit}, {}", m.as_ref().map_or("", |m| &m.1)))
                    .collect();
                return Err(LabelsError::BadOffsets {
                    file: name.to_string(),
                    line: span.line,
                    message: format!(
                        "the span offsets fit no unit; the deciding span is line {}'s {}..{} `{}` ({}); force a unit with --offsets to count the mismatches instead",
                        span.line,
                        span.start,
                        span.end,
                        span.label,
                        reasons.join("; ")
                    ),
                });
            }
        }
    }
    Ok(order
        .into_iter()
        .zip(&first_misfit)
        .find(|(_, m)| m.is_none())
        .map_or(order[0], |(u, _)| u))
}

/// Converts the article tasks of a file to code points (unit detected unless
/// `options.offsets` forces it), projects their spans onto the sentences and records the
/// span sets. Every span is merged or skipped with its reason; an annotator who saw an
/// article without spans counts one "seen, no spans" row.
pub(crate) fn add_articles(
    b: &mut Builder<'_>,
    docs: &[ArticleDoc],
    index: &SentenceIndex,
    options: &ImportOptions,
) -> Result<(), LabelsError> {
    if docs.is_empty() {
        return Ok(());
    }
    b.file.article_tasks += docs.len() as u64;
    let name = b.file.name.clone();
    let units: Vec<Option<Units>> = docs
        .iter()
        .map(|d| (!d.spans.is_empty()).then(|| Units::new(&d.text)))
        .collect();
    let unit = match options.offsets {
        Some(u) => u,
        None => detect_unit(&name, docs, &units, detection_order(b.file.format))?,
    };
    let unchecked = b.file.format == Some(Format::DoccanoJsonl)
        && docs.iter().flat_map(|d| &d.spans).all(|s| s.text.is_none());
    if unit != OffsetUnit::CodePoint && docs.iter().any(|d| !d.spans.is_empty()) {
        let how = if options.offsets.is_some() {
            "as --offsets says"
        } else if unchecked {
            "the unit of doccano's annotator; the export gives no span text to check it by: --offsets codepoint if a Python script wrote the file"
        } else {
            "the unit under which every span fits"
        };
        b.file
            .warnings
            .push(format!("{name}: span offsets read as {unit} ({how})"));
    }
    let mut emitted: HashSet<(u32, u32, u32)> = HashSet::new();
    let mut seen: HashSet<(u32, u32)> = HashSet::new();
    let mut sets: HashMap<(u32, u32), usize> = HashMap::new();
    for (doc, u) in docs.iter().zip(&units) {
        let article = index.article_position(&doc.id).or_else(|| {
            doc.id
                .strip_prefix("article")
                .and_then(|a| index.article_position(a))
        });
        let with_spans: HashSet<u32> = doc.spans.iter().map(|s| s.annotator).collect();
        for &a in &doc.seen_by {
            if let Some(article) = article
                && seen.insert((a, article))
            {
                let first = index.article_sentences(article)[0];
                b.push(a, first, NO_LABEL, doc.line);
            }
            if !with_spans.contains(&a) {
                b.file.rows_read += 1;
                if article.is_none() {
                    let who = b.annotator_name(a);
                    b.file.skipped.push(skip(
                        &name,
                        doc.line,
                        &who,
                        &doc.id,
                        "",
                        SkipReason::UnknownArticle,
                    ));
                }
            }
        }
        for span in &doc.spans {
            b.file.rows_read += 1;
            let who = b.annotator_name(span.annotator);
            let skip_row = |reason| skip(&name, span.line, &who, &doc.id, &span.label, reason);
            let Some(article) = article else {
                b.file.skipped.push(skip_row(SkipReason::UnknownArticle));
                continue;
            };
            if span.start >= span.end {
                b.file.skipped.push(skip_row(SkipReason::EmptySpan {
                    start: span.start,
                    end: span.end,
                }));
                continue;
            }
            let u = u
                .as_ref()
                .expect("units are computed for every task with spans");
            let (s, e) = match fit(doc, u, span, unit) {
                Fit::Ok(s, e) => (s, e),
                Fit::PastEnd(length) => {
                    b.file.skipped.push(skip_row(SkipReason::OutsideArticle {
                        end: span.end,
                        length,
                    }));
                    continue;
                }
                Fit::Misfit(detail) => {
                    b.file.skipped.push(skip_row(SkipReason::OffsetMismatch {
                        unit: unit.as_str().to_string(),
                        start: span.start,
                        end: span.end,
                        detail,
                    }));
                    continue;
                }
            };
            let hits = project_span(index, article, s, e, options.min_overlap);
            if hits.is_empty() {
                b.file.skipped.push(skip_row(SkipReason::NoOverlap {
                    min_overlap: options.min_overlap,
                }));
                continue;
            }
            let label = b.label(&span.label);
            for h in hits {
                if emitted.insert((span.annotator, h, label)) {
                    b.push(span.annotator, h, label, span.line);
                }
            }
            let k = *sets.entry((span.annotator, article)).or_insert_with(|| {
                b.file.span_sets.push(SpanSet {
                    annotator: span.annotator,
                    article,
                    spans: Vec::new(),
                });
                b.file.span_sets.len() - 1
            });
            b.file.span_sets[k].spans.push((label, s, e));
        }
        // Annotators who saw the article but kept no span in it still voted "no span".
        for &a in &doc.seen_by {
            if let Some(article) = article {
                sets.entry((a, article)).or_insert_with(|| {
                    b.file.span_sets.push(SpanSet {
                        annotator: a,
                        article,
                        spans: Vec::new(),
                    });
                    b.file.span_sets.len() - 1
                });
            }
        }
    }
    Ok(())
}

/// An integer offset of a span, or `None` (not a span).
fn offset(v: Option<&Value>) -> Option<u64> {
    v.and_then(Value::as_u64)
}

/// The article id of a task object: `field` at top level or in `meta`.
pub(crate) fn article_id_of(obj: &Value, field: &str) -> Option<String> {
    let as_id = |v: &Value| match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    obj.get(field)
        .and_then(as_id)
        .or_else(|| obj.get("meta").and_then(|m| m.get(field)).and_then(as_id))
}

/// The text of a task object (`text`), or an error naming the line.
pub(crate) fn text_of(
    name: &str,
    line: u64,
    obj: &Value,
    what: &str,
) -> Result<String, LabelsError> {
    obj.get("text")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| LabelsError::Parse {
            file: name.to_string(),
            line,
            message: format!("{what} has no `text` (the article's text the offsets count in)"),
        })
}

/// Label Studio: the spans of one annotation's results on an article task. A result
/// without integer `value.start`/`value.end` or without labels is not a span: counted
/// and skipped.
pub(crate) fn label_studio_spans(
    b: &mut Builder<'_>,
    doc: &mut ArticleDoc,
    annotator: u32,
    results: &[Value],
) {
    for r in results {
        let v = r.get("value");
        let start = offset(v.and_then(|v| v.get("start")));
        let end = offset(v.and_then(|v| v.get("end")));
        let labels: Vec<&str> = v
            .and_then(|v| v.get("labels"))
            .and_then(Value::as_array)
            .map(|l| l.iter().filter_map(Value::as_str).map(str::trim).collect())
            .unwrap_or_default();
        let text = v
            .and_then(|v| v.get("text"))
            .and_then(Value::as_str)
            .map(str::to_string);
        match (start, end) {
            (Some(start), Some(end)) if labels.iter().any(|l| !l.is_empty()) => {
                for label in labels.into_iter().filter(|l| !l.is_empty()) {
                    doc.spans.push(RawSpan {
                        line: doc.line,
                        annotator,
                        start,
                        end,
                        text: text.clone(),
                        label: label.to_string(),
                    });
                }
            }
            _ => {
                b.file.rows_read += 1;
                let who = b.annotator_name(annotator);
                let kind = r.get("type").and_then(Value::as_str).unwrap_or("?");
                b.file.skipped.push(skip(
                    &b.file.name.clone(),
                    doc.line,
                    &who,
                    &doc.id,
                    "",
                    SkipReason::NotASpan {
                        kind: kind.to_string(),
                    },
                ));
            }
        }
    }
}

/// doccano: the spans of an article line, `label: [[start, end, label], ...]` (sequence
/// labelling export) or `entities: [{start_offset, end_offset, label}]` (relation
/// extraction export).
pub(crate) fn doccano_spans(
    name: &str,
    line: u64,
    obj: &Value,
    doc: &mut ArticleDoc,
    annotator: u32,
) -> Result<(), LabelsError> {
    let err = |message: String| LabelsError::BadOffsets {
        file: name.to_string(),
        line,
        message,
    };
    let bad_int = |v: &Value| err(format!("offset `{v}` is not a non-negative integer"));
    if let Some(items) = obj.get("label").or_else(|| obj.get("labels")) {
        let Value::Array(items) = items else {
            return Err(err("`label` is not an array".to_string()));
        };
        for item in items {
            let Some([s, e, l]) = item
                .as_array()
                .map(Vec::as_slice)
                .and_then(|a| <&[Value; 3]>::try_from(a).ok())
            else {
                return Err(err(format!(
                    "expected a `[start, end, label]` span on an article line, found `{item}`"
                )));
            };
            let start = s.as_u64().ok_or_else(|| bad_int(s))?;
            let end = e.as_u64().ok_or_else(|| bad_int(e))?;
            let label = l
                .as_str()
                .ok_or_else(|| err("span label is not a string".to_string()))?;
            doc.spans.push(RawSpan {
                line,
                annotator,
                start,
                end,
                text: None,
                label: label.trim().to_string(),
            });
        }
    }
    if let Some(Value::Array(items)) = obj.get("entities") {
        for item in items {
            let get = |k: &str| {
                item.get(k)
                    .ok_or_else(|| err(format!("entity without `{k}`: `{item}`")))
            };
            let (s, e, l) = (get("start_offset")?, get("end_offset")?, get("label")?);
            doc.spans.push(RawSpan {
                line,
                annotator,
                start: s.as_u64().ok_or_else(|| bad_int(s))?,
                end: e.as_u64().ok_or_else(|| bad_int(e))?,
                text: None,
                label: l
                    .as_str()
                    .ok_or_else(|| err("entity label is not a string".to_string()))?
                    .trim()
                    .to_string(),
            });
        }
    }
    Ok(())
}

/// Parses a Prodigy (spaCy-style) JSONL file: one task per line with `text`, `spans`
/// (`{start, end, label}`, optional `text`), the article id in `options.id_field` (top
/// level or in `meta`) and the annotator in `_annotator_id` (else `annotator`, else the
/// file stem). A task whose `answer` is not `accept` is counted and skipped.
pub(crate) fn parse_prodigy(
    name: &str,
    text: &str,
    index: &SentenceIndex,
    options: &ImportOptions,
) -> Result<LabelFile, LabelsError> {
    let mut b = Builder::new(name, Format::ProdigyJsonl, index);
    let stem = default_annotator(name);
    let mut docs = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i as u64 + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let err = |message: String| LabelsError::Parse {
            file: name.to_string(),
            line,
            message,
        };
        let obj: Value =
            serde_json::from_str(raw).map_err(|e| err(format!("invalid JSON: {e}")))?;
        let id = article_id_of(&obj, &options.id_field).ok_or_else(|| {
            err(format!(
                "no `{}` field (top level or in `meta`; name the field with --id-field)",
                options.id_field
            ))
        })?;
        let who = obj
            .get("_annotator_id")
            .or_else(|| obj.get("annotator"))
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .map_or_else(|| stem.clone(), |s| s.trim().to_string());
        let annotator = b.annotator(&who);
        if let Some(answer) = obj.get("answer").and_then(Value::as_str)
            && answer != "accept"
        {
            b.file.rows_read += 1;
            b.file.article_tasks += 1;
            b.file.skipped.push(skip(
                name,
                line,
                &who,
                &id,
                "",
                SkipReason::NotAccepted {
                    answer: answer.to_string(),
                },
            ));
            continue;
        }
        let mut doc = ArticleDoc {
            line,
            text: text_of(name, line, &obj, "task")?,
            id,
            seen_by: vec![annotator],
            spans: Vec::new(),
        };
        let spans = match obj.get("spans") {
            None | Some(Value::Null) => &[][..],
            Some(Value::Array(s)) => s.as_slice(),
            Some(_) => return Err(err("`spans` is not an array".to_string())),
        };
        for s in spans {
            let bad = |k: &str| LabelsError::BadOffsets {
                file: name.to_string(),
                line,
                message: format!("span `{s}`: `{k}` is not a non-negative integer"),
            };
            let start = s
                .get("start")
                .and_then(Value::as_u64)
                .ok_or_else(|| bad("start"))?;
            let end = s
                .get("end")
                .and_then(Value::as_u64)
                .ok_or_else(|| bad("end"))?;
            let label = s
                .get("label")
                .and_then(Value::as_str)
                .ok_or_else(|| err(format!("span `{s}` has no string `label`")))?;
            doc.spans.push(RawSpan {
                line,
                annotator,
                start,
                end,
                text: s.get("text").and_then(Value::as_str).map(str::to_string),
                label: label.trim().to_string(),
            });
        }
        docs.push(doc);
    }
    add_articles(&mut b, &docs, index, options)?;
    Ok(b.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: u64, end: u64, text: Option<&str>) -> RawSpan {
        RawSpan {
            line: 1,
            annotator: 0,
            start,
            end,
            text: text.map(str::to_string),
            label: "L".to_string(),
        }
    }

    #[test]
    fn units_of_emoji_and_combining_text() {
        // "a😀e\u{301}b": code points a, 😀, e, U+0301, b (5); UTF-16 a, 2 for 😀, e,
        // U+0301, b (6); graphemes a, 😀, é, b (4).
        let u = Units::new("a😀e\u{301}b");
        assert_eq!(u.len(OffsetUnit::CodePoint), 5);
        assert_eq!(u.len(OffsetUnit::Utf16), 6);
        assert_eq!(u.len(OffsetUnit::Grapheme), 4);
        // UTF-16 offset 2 is the low surrogate of 😀: no boundary.
        assert_eq!(u.code_point(OffsetUnit::Utf16, 2), None);
        assert_eq!(u.code_point(OffsetUnit::Utf16, 3), Some(2));
        // Grapheme 3 (b) starts at code point 4 (after e + U+0301).
        assert_eq!(u.code_point(OffsetUnit::Grapheme, 3), Some(4));
        assert_eq!(u.code_point(OffsetUnit::Grapheme, 4), Some(5));
    }

    #[test]
    fn detection_takes_the_unit_every_span_text_matches() {
        let doc = |t: &str, spans| ArticleDoc {
            line: 1,
            id: "a".into(),
            text: t.into(),
            seen_by: vec![0],
            spans,
        };
        let text = "😀 hi 😀 yo";
        // Code points: 😀=0, ' '=1, h=2, i=3, ' '=4, 😀=5, ' '=6, y=7, o=8.
        // UTF-16: 😀=0-1, ' '=2, h=3, i=4, ' '=5, 😀=6-7, ' '=8, y=9, o=10.
        let cp = [doc(
            text,
            vec![span(2, 4, Some("hi")), span(7, 9, Some("yo"))],
        )];
        let units: Vec<Option<Units>> = cp.iter().map(|d| Some(Units::new(&d.text))).collect();
        assert_eq!(
            detect_unit("f", &cp, &units, OffsetUnit::ALL).unwrap(),
            OffsetUnit::CodePoint
        );
        let js = [doc(
            text,
            vec![span(3, 5, Some("hi")), span(9, 11, Some("yo"))],
        )];
        assert_eq!(
            detect_unit("f", &js, &units, OffsetUnit::ALL).unwrap(),
            OffsetUnit::Utf16
        );
        // Graphemes: "e\u{301}x": é=0, x=1; x is 1..2 as graphemes, 2..3 as code points.
        let g = [doc("e\u{301}x", vec![span(1, 2, Some("x"))])];
        let gu: Vec<Option<Units>> = g.iter().map(|d| Some(Units::new(&d.text))).collect();
        assert_eq!(
            detect_unit("f", &g, &gu, OffsetUnit::ALL).unwrap(),
            OffsetUnit::Grapheme
        );
        // "hi" at 2..4 and "yo" at 9..11: the first fits code points only, the second
        // UTF-16 only; the second span decides.
        let none = [doc(
            text,
            vec![span(2, 4, Some("hi")), span(9, 11, Some("yo"))],
        )];
        let e = detect_unit("f.json", &none, &units, OffsetUnit::ALL)
            .unwrap_err()
            .to_string();
        assert!(e.contains("deciding span is line 1's 9..11 `L`"), "{e}");
    }
}
