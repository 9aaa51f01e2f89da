//! Pre-annotations: prediction rows and article texts to the files annotation tools import
//! (Label Studio tasks with `predictions`, doccano JSON Lines, PTC span files).
//!
//! Pure conversion: the caller reads the articles and the prediction table and writes the
//! strings returned here. Offsets in the rows count code points of the article; each tool
//! gets them in the unit it counts ([`OffsetUnit`]).

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use crate::rows::{PredictionRow, split_sentence_id};

/// The unit the offsets of an exported span count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OffsetUnit {
    /// Unicode code points (Python `str` indices).
    CodePoint,
    /// UTF-16 code units (JavaScript string indices): a character outside the Basic
    /// Multilingual Plane, such as most emoji, counts two.
    Utf16,
}

/// One article: its id and its text (offsets count in it).
#[derive(Debug, Clone, Copy)]
pub struct ArticleText<'a> {
    /// The article id (as `split` gives it).
    pub id: &'a str,
    /// The article text.
    pub text: &'a str,
}

/// A labelled span of an article, in code points.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// Code-point offset of the first character.
    pub start: u64,
    /// Code-point offset one past the last character.
    pub end: u64,
    /// The label.
    pub label: String,
}

/// Why a prediction row was not exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SkipReason {
    /// Its sentence id names an article not among the articles.
    UnknownArticle,
    /// Its end lies past the end of the article text.
    PastEnd,
    /// `start` equals `end`.
    Empty,
    /// Its `match` is not the article text from `start` to `end` (the articles are not the
    /// ones the predictions were made on).
    TextMismatch,
}

impl SkipReason {
    /// The name used in messages.
    pub fn key(self) -> &'static str {
        match self {
            SkipReason::UnknownArticle => "unknown article",
            SkipReason::PastEnd => "span past the article end",
            SkipReason::Empty => "empty span",
            SkipReason::TextMismatch => "match text differs from the article",
        }
    }
}

/// The spans of every article, in article order, and what was left out.
#[derive(Debug, Clone, Default)]
pub struct Collected {
    /// Per article (in the order given): its spans sorted by start, end, label, each once.
    pub spans: Vec<Vec<Span>>,
    /// Skipped rows: (0-based row index, reason), in row order.
    pub skipped: Vec<(usize, SkipReason)>,
    /// Rows that repeat a span already kept (same article, label, start and end; several
    /// rules can find one span): written once.
    pub duplicates: usize,
}

impl Collected {
    /// Number of spans kept.
    pub fn span_count(&self) -> usize {
        self.spans.iter().map(Vec::len).sum()
    }
}

/// Groups prediction rows by article (the article id is the sentence id without its
/// `:index`), checking each against the article text. Errors on two articles with one id,
/// a sentence id without `:index`, or `start > end`, naming the 1-based data row.
pub fn collect(articles: &[ArticleText<'_>], rows: &[PredictionRow]) -> Result<Collected, String> {
    let mut position: HashMap<&str, usize> = HashMap::with_capacity(articles.len());
    for (i, a) in articles.iter().enumerate() {
        if position.insert(a.id, i).is_some() {
            return Err(format!(
                "two articles have the id `{}` (expected each article once)",
                a.id
            ));
        }
    }
    // Code-point lengths, computed when an article is first needed.
    let mut lengths: Vec<Option<u64>> = vec![None; articles.len()];
    let mut out = Collected {
        spans: vec![Vec::new(); articles.len()],
        ..Collected::default()
    };
    for (i, row) in rows.iter().enumerate() {
        let row_no = i + 1;
        let Some((article_id, _)) = split_sentence_id(&row.sentence_id) else {
            return Err(format!(
                "data row {row_no}: sentence id `{}` (expected `ARTICLE:INDEX`)",
                row.sentence_id
            ));
        };
        if row.start > row.end {
            return Err(format!(
                "data row {row_no}: start {} > end {} (expected start <= end)",
                row.start, row.end
            ));
        }
        let Some(&a) = position.get(article_id) else {
            out.skipped.push((i, SkipReason::UnknownArticle));
            continue;
        };
        let text = articles[a].text;
        let len = *lengths[a].get_or_insert_with(|| text.chars().count() as u64);
        let reason = if row.end > len {
            Some(SkipReason::PastEnd)
        } else if row.start == row.end {
            Some(SkipReason::Empty)
        } else if slice(text, row.start, row.end) != row.matched {
            Some(SkipReason::TextMismatch)
        } else {
            None
        };
        match reason {
            Some(r) => out.skipped.push((i, r)),
            None => out.spans[a].push(Span {
                start: row.start,
                end: row.end,
                label: row.label.clone(),
            }),
        }
    }
    for spans in &mut out.spans {
        spans.sort();
        let before = spans.len();
        spans.dedup();
        out.duplicates += before - spans.len();
    }
    Ok(out)
}

/// The text from code point `start` to `end` (both within the text).
fn slice(text: &str, start: u64, end: u64) -> &str {
    let byte = |cp: u64| {
        text.char_indices()
            .nth(cp as usize)
            .map_or(text.len(), |(b, _)| b)
    };
    let s = byte(start);
    let e = s + text[s..]
        .char_indices()
        .nth((end - start) as usize)
        .map_or(text.len() - s, |(b, _)| b);
    &text[s..e]
}

/// The spans' offsets in `unit`: `(start, end, text)` per span, in the spans' order.
fn in_unit<'t>(text: &'t str, spans: &[Span], unit: OffsetUnit) -> Vec<(u64, u64, &'t str)> {
    // Every boundary, sorted, mapped in one pass over the text: code point -> (unit, byte).
    let mut points: Vec<u64> = spans.iter().flat_map(|s| [s.start, s.end]).collect();
    points.sort_unstable();
    points.dedup();
    let mut mapped: HashMap<u64, (u64, usize)> = HashMap::with_capacity(points.len());
    let (mut cp, mut units) = (0u64, 0u64);
    let mut next = points.iter().peekable();
    for (byte, ch) in text.char_indices().chain([(text.len(), '\0')]) {
        while next.peek() == Some(&&cp) {
            mapped.insert(cp, (units, byte));
            next.next();
        }
        if next.peek().is_none() {
            break;
        }
        cp += 1;
        units += match unit {
            OffsetUnit::CodePoint => 1,
            OffsetUnit::Utf16 => ch.len_utf16() as u64,
        };
    }
    spans
        .iter()
        .map(|s| {
            let (start, a) = mapped[&s.start];
            let (end, b) = mapped[&s.end];
            (start, end, &text[a..b])
        })
        .collect()
}

/// The names that tie Label Studio predictions to the labeling config.
#[derive(Debug, Clone)]
pub struct LabelStudioNames<'a> {
    /// The `<Labels name=...>` control (`from_name` of each result).
    pub from_name: &'a str,
    /// The `<Text name=...>` object (`to_name` of each result).
    pub to_name: &'a str,
    /// The `model_version` of the prediction.
    pub model_version: &'a str,
}

#[derive(Serialize)]
struct LsTask<'a> {
    data: LsData<'a>,
    predictions: [LsPrediction<'a>; 1],
}

#[derive(Serialize)]
struct LsData<'a> {
    text: &'a str,
    article_id: &'a str,
}

#[derive(Serialize)]
struct LsPrediction<'a> {
    model_version: &'a str,
    result: Vec<LsResult<'a>>,
}

#[derive(Serialize)]
struct LsResult<'a> {
    id: String,
    from_name: &'a str,
    to_name: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    value: LsValue<'a>,
}

#[derive(Serialize)]
struct LsValue<'a> {
    start: u64,
    end: u64,
    text: &'a str,
    labels: [&'a str; 1],
}

/// One Label Studio task (JSON, one line): `data.text`, `data.article_id` and one
/// prediction whose `result` holds a `labels` region per span (ids `s1`, `s2`, ... in span
/// order), offsets in `unit`.
pub fn label_studio_task(
    article: ArticleText<'_>,
    spans: &[Span],
    unit: OffsetUnit,
    names: &LabelStudioNames<'_>,
) -> String {
    let result = in_unit(article.text, spans, unit)
        .into_iter()
        .zip(spans)
        .enumerate()
        .map(|(k, ((start, end, text), span))| LsResult {
            id: format!("s{}", k + 1),
            from_name: names.from_name,
            to_name: names.to_name,
            kind: "labels",
            value: LsValue {
                start,
                end,
                text,
                labels: [span.label.as_str()],
            },
        })
        .collect();
    let task = LsTask {
        data: LsData {
            text: article.text,
            article_id: article.id,
        },
        predictions: [LsPrediction {
            model_version: names.model_version,
            result,
        }],
    };
    serde_json::to_string(&task).expect("a task serialises")
}

/// The Label Studio labeling config for the tasks: a `<Labels>` control named
/// `from_name` with one `<Label>` per label (sorted, each once) on a `<Text>` object named
/// `to_name` showing `$text`. Errors on a name that XML cannot hold (a control character
/// other than tab, line feed and carriage return).
pub fn label_studio_config<'a>(
    labels: impl IntoIterator<Item = &'a str>,
    from_name: &str,
    to_name: &str,
) -> Result<String, String> {
    let mut labels: Vec<&str> = labels.into_iter().collect();
    labels.sort_unstable();
    labels.dedup();
    let mut xml = format!(
        "<View>\n  <Labels name=\"{}\" toName=\"{}\">\n",
        xml_attr(from_name)?,
        xml_attr(to_name)?
    );
    for label in labels {
        xml.push_str(&format!("    <Label value=\"{}\"/>\n", xml_attr(label)?));
    }
    xml.push_str(&format!(
        "  </Labels>\n  <Text name=\"{}\" value=\"$text\"/>\n</View>\n",
        xml_attr(to_name)?
    ));
    Ok(xml)
}

/// `s` escaped for a double-quoted XML attribute (`&`, `<`, `>`, `"`, `'`; tab, line feed
/// and carriage return as character references so attribute normalisation keeps them).
pub fn xml_attr(s: &str) -> Result<String, String> {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                return Err(format!(
                    "`{}` holds U+{:04X}, which XML cannot hold",
                    s.escape_debug(),
                    c as u32
                ));
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

#[derive(Serialize)]
struct DoccanoLine<'a> {
    text: &'a str,
    label: Vec<(u64, u64, &'a str)>,
    article_id: &'a str,
}

/// One doccano JSON Lines record (one line, no line break): `text`, `label` as
/// `[start, end, label]` triples in `unit`, and `article_id` (doccano keeps other fields as
/// the example's metadata).
pub fn doccano_line(article: ArticleText<'_>, spans: &[Span], unit: OffsetUnit) -> String {
    let label = in_unit(article.text, spans, unit)
        .into_iter()
        .zip(spans)
        .map(|((start, end, _), span)| (start, end, span.label.as_str()))
        .collect();
    serde_json::to_string(&DoccanoLine {
        text: article.text,
        label,
        article_id: article.id,
    })
    .expect("a line serialises")
}

/// The name of an article's PTC span file: `article<ID>.labels` for an id of digits (PTC's
/// own layout), else `<ID>.labels`. The name reads back as the id (see
/// [`crate::labels`]' span files); an id for which no such name does (a path separator, a
/// leading dot, `article` followed by digits, a control character) is an error.
pub fn ptc_file_name(article_id: &str) -> Result<String, String> {
    let digits = !article_id.is_empty() && article_id.bytes().all(|b| b.is_ascii_digit());
    let name = if digits {
        format!("article{article_id}.labels")
    } else {
        format!("{article_id}.labels")
    };
    let plain = !article_id.is_empty()
        && !article_id.starts_with('.')
        && !article_id
            .chars()
            .any(|c| c == '/' || c == '\\' || c.is_control());
    let reads_back = plain
        && crate::labels::article_names_of_file_name(&name)
            .first()
            .map(String::as_str)
            == Some(article_id)
        && Path::new(&name).file_name().and_then(|f| f.to_str()) == Some(name.as_str());
    if reads_back {
        Ok(name)
    } else {
        Err(format!(
            "article id `{}` has no PTC span file name that reads back as it (ids with `/`, `\\`, a leading `.`, a control character, or `article` followed only by digits cannot be file names of their own)",
            article_id.escape_debug()
        ))
    }
}

/// An article's PTC span file: `article_id TAB label TAB start TAB end` per span, code
/// points, in span order. Errors on an id or label that the span reader would read as
/// something else (a tab or line break inside, spaces around).
pub fn ptc_file(article_id: &str, spans: &[Span]) -> Result<String, String> {
    let field = |what: &str, s: &str| {
        if s.contains(['\t', '\n', '\r']) || s.trim() != s || s.is_empty() {
            Err(format!(
                "{what} `{}` cannot be a PTC span field (no tab, line break, or spaces around it)",
                s.escape_debug()
            ))
        } else {
            Ok(())
        }
    };
    field("article id", article_id)?;
    let mut out = String::new();
    for s in spans {
        field("label", &s.label)?;
        out.push_str(&format!(
            "{article_id}\t{}\t{}\t{}\n",
            s.label, s.start, s.end
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(sentence_id: &str, label: &str, start: u64, end: u64, matched: &str) -> PredictionRow {
        PredictionRow {
            sentence_id: sentence_id.into(),
            label: label.into(),
            rule_id: "r".into(),
            start,
            end,
            matched: matched.into(),
        }
    }

    // An emoji (U+1F600, outside the Basic Multilingual Plane) before the spans.
    const TEXT: &str = "I \u{1F600} you. Liar!";

    #[test]
    fn offsets_by_hand_in_both_units() {
        // Code points: I0 ' '1 😀2 ' '3 y4 o5 u6 .7 ' '8 L9 i10 a11 r12 !13, length 14.
        // "Liar" is 9..13. In UTF-16 the emoji takes 2..4, so everything after it is one
        // more: "Liar" is 10..14, the emoji itself 2..4 (code points 2..3).
        let a = ArticleText {
            id: "a",
            text: TEXT,
        };
        let rows = [
            row("a:0", "Name", 9, 13, "Liar"),
            row("a:0", "Emo", 2, 3, "\u{1F600}"),
        ];
        let c = collect(&[a], &rows).unwrap();
        assert_eq!(
            in_unit(TEXT, &c.spans[0], OffsetUnit::CodePoint),
            [(2, 3, "\u{1F600}"), (9, 13, "Liar")]
        );
        assert_eq!(
            in_unit(TEXT, &c.spans[0], OffsetUnit::Utf16),
            [(2, 4, "\u{1F600}"), (10, 14, "Liar")]
        );
    }

    #[test]
    fn rows_left_out_are_counted_by_reason() {
        let a = ArticleText {
            id: "a",
            text: TEXT,
        };
        let rows = [
            row("b:1", "X", 0, 1, "I"),      // unknown article
            row("a:0", "X", 9, 15, "Liar!"), // past the end (length 14)
            row("a:0", "X", 3, 3, ""),       // empty
            row("a:0", "X", 9, 13, "Lion"),  // not the article's text
            row("a:0", "X", 9, 13, "Liar"),
            row("a:1", "X", 9, 13, "Liar"), // the same span from another row
        ];
        let c = collect(&[a], &rows).unwrap();
        assert_eq!(
            c.skipped,
            [
                (0, SkipReason::UnknownArticle),
                (1, SkipReason::PastEnd),
                (2, SkipReason::Empty),
                (3, SkipReason::TextMismatch)
            ]
        );
        assert_eq!((c.span_count(), c.duplicates), (1, 1));
        let err = collect(&[a], &[row("a", "X", 0, 1, "I")]).unwrap_err();
        assert!(err.starts_with("data row 1: sentence id `a`"), "{err}");
        let err = collect(&[a], &[row("a:0", "X", 2, 1, "")]).unwrap_err();
        assert!(err.starts_with("data row 1: start 2 > end 1"), "{err}");
        assert!(collect(&[a, a], &[]).is_err());
    }

    #[test]
    fn xml_attributes_are_escaped() {
        assert_eq!(
            xml_attr("a&b<c>\"d'\te\n").unwrap(),
            "a&amp;b&lt;c&gt;&quot;d&apos;&#9;e&#10;"
        );
        assert!(xml_attr("bell\u{7}").is_err());
    }

    #[test]
    fn ptc_names_read_back_or_are_refused() {
        assert_eq!(ptc_file_name("111").unwrap(), "article111.labels");
        assert_eq!(ptc_file_name("news.2019").unwrap(), "news.2019.labels");
        assert_eq!(ptc_file_name("000_ab").unwrap(), "000_ab.labels");
        for bad in ["", "a/b", "..", ".hidden", "article12", "x\ny"] {
            assert!(ptc_file_name(bad).is_err(), "{bad:?}");
        }
        assert!(
            ptc_file(
                "a",
                &[Span {
                    start: 0,
                    end: 1,
                    label: "a\tb".into()
                }]
            )
            .is_err()
        );
        assert!(ptc_file(" a", &[]).is_err());
    }
}
