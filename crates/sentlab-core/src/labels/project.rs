//! PTC span files (`article_id TAB label TAB start TAB end`, code-point offsets) and their
//! projection onto the sentences of the sentence table.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use super::error::LabelsError;
use super::import::{Builder, Format, ImportOptions, LabelFile, NO_LABEL, SentenceIndex};
use super::import::{default_annotator, skip};
use super::skip::SkipReason;
use crate::rows::SpanLabel;

/// The code points a span `[start, end)` shares with a sentence `[s, e)`.
pub(crate) fn overlap(start: u64, end: u64, s: u64, e: u64) -> u64 {
    end.min(e).saturating_sub(start.max(s))
}

/// The sentences of `article` that share at least `min_overlap` code points with
/// `[start, end)`, in start order.
pub(crate) fn project_span(
    index: &SentenceIndex,
    article: u32,
    start: u64,
    end: u64,
    min_overlap: u64,
) -> Vec<u32> {
    let sentences = index.article_sentences(article);
    // Sentences are sorted by start; skip those that end before the span starts
    // (sentences do not overlap, so their ends are sorted too).
    let first = sentences.partition_point(|&s| index.span(s).1 <= start);
    sentences[first..]
        .iter()
        .copied()
        .take_while(|&s| index.span(s).0 < end)
        .filter(|&s| {
            let (a, b) = index.span(s);
            overlap(start, end, a, b) >= min_overlap
        })
        .collect()
}

/// The article ids a span file's name may stand for, longest first: the file name cut at
/// each of its dots from the last, each read as an article file's name is
/// ([`crate::text::article_id_from_path`]: the stem, without a leading `article` when only
/// digits follow). `news.2019.labels` → `news.2019`, `news`; PTC's
/// `article111.task2-TC.labels` → `article111.task2-TC`, `111`.
pub(crate) fn article_names_of_file_name(name: &str) -> Vec<String> {
    let mut file = Path::new(name)
        .file_name()
        .and_then(|f| f.to_str())
        .unwrap_or(name);
    let mut names = Vec::new();
    loop {
        let id = crate::text::article_id_from_path(Path::new(file));
        if !names.contains(&id) {
            names.push(id);
        }
        match Path::new(file).file_stem().and_then(|s| s.to_str()) {
            Some(stem) if stem != file && stem.contains('.') => file = stem,
            _ => return names,
        }
    }
}

/// The article of the sentence table a span file's name names: the first of
/// [`article_names_of_file_name`] that is one.
fn article_of_file_name(name: &str, index: &SentenceIndex) -> Option<u32> {
    article_names_of_file_name(name)
        .iter()
        .find_map(|id| index.article_position(id))
}

/// Parses a PTC span file and projects every span onto the sentences it overlaps.
///
/// The annotator saw every article the file covers: the article its name names (see
/// [`article_of_file_name`]) when there is one in the sentence table — so an empty file
/// means "seen, no spans" — and the articles of its spans. An empty file whose name is no
/// article of the table covers no article and gets a warning.
///
/// Spans of unknown articles, spans ending past the article's length, empty spans and
/// spans overlapping no sentence by `min_overlap` are recorded as skipped; an exact
/// duplicate span (same article, label, start and end) is skipped as a duplicate.
/// Non-integer offsets, start > end or a wrong field count are errors naming file:line.
pub(crate) fn parse_ptc(
    name: &str,
    text: &str,
    index: &SentenceIndex,
    options: &ImportOptions,
) -> Result<LabelFile, LabelsError> {
    parse_ptc_parts(name, &[(name, text)], index, options)
}

/// Parses several PTC span files as ONE annotator named after `name` (as if they were one
/// file: duplicates are found across files), while errors and skipped rows name the file
/// and line they come from.
pub(crate) fn parse_ptc_parts(
    name: &str,
    parts: &[(&str, &str)],
    index: &SentenceIndex,
    options: &ImportOptions,
) -> Result<LabelFile, LabelsError> {
    if options.min_overlap == 0 {
        return Err(LabelsError::Invalid {
            context: name.to_string(),
            message: "min_overlap must be at least 1".to_string(),
        });
    }
    let mut b = Builder::new(name, Format::PtcSpans, index);
    let annotator_name = default_annotator(name);
    let annotator = b.annotator(&annotator_name);
    let mut seen_spans: HashSet<(&str, &str, u64, u64)> = HashSet::new();
    let mut emitted: HashSet<(u32, u32)> = HashSet::new();
    let mut covered_articles: HashSet<u32> = HashSet::new();
    let mut articles: BTreeSet<String> = BTreeSet::new();
    for &(part, text) in parts {
        if parts.len() > 1 {
            b.file.parts.push((b.file.entries.len(), part.to_string()));
        }
        let rows_before = b.file.rows_read;
        parse_ptc_lines(
            part,
            text,
            &annotator_name,
            annotator,
            index,
            options,
            &mut b,
            &mut seen_spans,
            &mut emitted,
            &mut covered_articles,
            &mut articles,
        )?;
        // The article of the file's name was seen, whether or not the file has spans.
        match article_of_file_name(part, index) {
            Some(article) => {
                articles.insert(index.article_id(article).to_string());
                if covered_articles.insert(article) {
                    let first = index.article_sentences(article)[0];
                    b.push(annotator, first, NO_LABEL, 0);
                }
            }
            // Every line that is not blank is read as a span (or is an error).
            None if b.file.rows_read == rows_before => {
                let names: Vec<String> = article_names_of_file_name(part)
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect();
                b.file.warnings.push(format!(
                    "{part}: no spans, and its name is not an article of the sentence table ({}): it covers no article",
                    names.join(" or ")
                ));
            }
            None => {}
        }
    }
    b.file.articles = articles.into_iter().collect();
    Ok(b.finish())
}

/// The lines of one span file (see [`parse_ptc_parts`]).
#[allow(clippy::too_many_arguments)]
fn parse_ptc_lines<'t>(
    name: &str,
    text: &'t str,
    annotator_name: &str,
    annotator: u32,
    index: &SentenceIndex,
    options: &ImportOptions,
    b: &mut Builder<'_>,
    seen_spans: &mut HashSet<(&'t str, &'t str, u64, u64)>,
    emitted: &mut HashSet<(u32, u32)>,
    covered_articles: &mut HashSet<u32>,
    articles: &mut BTreeSet<String>,
) -> Result<(), LabelsError> {
    let bad = |line: u64, message: String| LabelsError::BadOffsets {
        file: name.to_string(),
        line,
        message,
    };
    for (i, raw) in text.lines().enumerate() {
        let line = i as u64 + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = raw.split('\t').collect();
        if fields.len() != 4 {
            return Err(LabelsError::Parse {
                file: name.to_string(),
                line,
                message: format!(
                    "expected 4 tab-separated fields (article_id, label, start, end), found {}",
                    fields.len()
                ),
            });
        }
        let (article_id, label) = (fields[0].trim(), fields[1].trim());
        let start: u64 = fields[2]
            .trim()
            .parse()
            .map_err(|_| bad(line, format!("start `{}` is not an integer", fields[2])))?;
        let end: u64 = fields[3]
            .trim()
            .parse()
            .map_err(|_| bad(line, format!("end `{}` is not an integer", fields[3])))?;
        let span = (line, article_id, label, start, end);
        project_ptc_span(
            name,
            span,
            annotator_name,
            annotator,
            index,
            options,
            b,
            seen_spans,
            emitted,
            covered_articles,
            articles,
        )?;
    }
    Ok(())
}

/// A PTC span table held in memory: `(line, article_id, label, start, end)` rows, each
/// read and projected as a line of a PTC span file is (trimmed ids and labels; the same
/// errors, skipped spans and duplicate rule). `line` is what errors and skipped rows name
/// after `name`. The same [`LabelFile`] as [`super::parse_label_file`] gives for the span
/// file of those rows, except that `name` covers no article (only the spans' articles are
/// covered).
pub fn ptc_rows<'r>(
    name: &str,
    rows: impl IntoIterator<Item = (u64, &'r str, &'r str, u64, u64)>,
    index: &SentenceIndex,
    options: &ImportOptions,
) -> Result<LabelFile, LabelsError> {
    if options.min_overlap == 0 {
        return Err(LabelsError::Invalid {
            context: name.to_string(),
            message: "min_overlap must be at least 1".to_string(),
        });
    }
    let mut b = Builder::new(name, Format::PtcSpans, index);
    let annotator_name = default_annotator(name);
    let annotator = b.annotator(&annotator_name);
    let mut seen_spans: HashSet<(&str, &str, u64, u64)> = HashSet::new();
    let mut emitted: HashSet<(u32, u32)> = HashSet::new();
    let mut covered_articles: HashSet<u32> = HashSet::new();
    let mut articles: BTreeSet<String> = BTreeSet::new();
    for (line, article_id, label, start, end) in rows {
        let span = (line, article_id.trim(), label.trim(), start, end);
        project_ptc_span(
            name,
            span,
            &annotator_name,
            annotator,
            index,
            options,
            &mut b,
            &mut seen_spans,
            &mut emitted,
            &mut covered_articles,
            &mut articles,
        )?;
    }
    b.file.articles = articles.into_iter().collect();
    Ok(b.finish())
}

/// One span `(line, article_id, label, start, end)` of a PTC span file, checked and
/// projected onto the sentences it overlaps (or recorded as skipped).
#[allow(clippy::too_many_arguments)]
fn project_ptc_span<'t>(
    name: &str,
    (line, article_id, label, start, end): (u64, &'t str, &'t str, u64, u64),
    annotator_name: &str,
    annotator: u32,
    index: &SentenceIndex,
    options: &ImportOptions,
    b: &mut Builder<'_>,
    seen_spans: &mut HashSet<(&'t str, &'t str, u64, u64)>,
    emitted: &mut HashSet<(u32, u32)>,
    covered_articles: &mut HashSet<u32>,
    articles: &mut BTreeSet<String>,
) -> Result<(), LabelsError> {
    let bad = |line: u64, message: String| LabelsError::BadOffsets {
        file: name.to_string(),
        line,
        message,
    };
    if label.is_empty() {
        return Err(LabelsError::Parse {
            file: name.to_string(),
            line,
            message: "empty label".to_string(),
        });
    }
    if start > end {
        return Err(bad(line, format!("start {start} > end {end}")));
    }
    b.file.rows_read += 1;
    let skip_row = |reason| skip(name, line, annotator_name, article_id, label, reason);
    let article = index.article_position(article_id).or_else(|| {
        article_id
            .strip_prefix("article")
            .and_then(|a| index.article_position(a))
    });
    let Some(article) = article else {
        articles.insert(article_id.to_string());
        b.file.skipped.push(skip_row(SkipReason::UnknownArticle));
        return Ok(());
    };
    if covered_articles.insert(article) {
        articles.insert(index.article_id(article).to_string());
        // Record that the annotator saw this article, even if all its spans are skipped.
        let first = index.article_sentences(article)[0];
        b.push(annotator, first, NO_LABEL, line);
    }
    let length = options
        .article_lengths
        .get(index.article_id(article))
        .copied()
        .unwrap_or_else(|| {
            index
                .article_sentences(article)
                .iter()
                .map(|&s| index.span(s).1)
                .max()
                .unwrap_or(0)
        });
    if end > length {
        b.file
            .skipped
            .push(skip_row(SkipReason::OutsideArticle { end, length }));
        return Ok(());
    }
    if !seen_spans.insert((article_id, label, start, end)) {
        b.file.skipped.push(skip_row(SkipReason::DuplicateSpan));
        return Ok(());
    }
    let hits = project_span(index, article, start, end, options.min_overlap);
    if hits.is_empty() {
        b.file.skipped.push(skip_row(SkipReason::NoOverlap {
            min_overlap: options.min_overlap,
        }));
        return Ok(());
    }
    let label_id = b.label(label);
    for s in hits {
        if emitted.insert((s, label_id)) {
            b.push(annotator, s, label_id, line);
        }
    }
    b.file.spans.push(SpanLabel {
        article_id: article_id.to_string(),
        label: label.to_string(),
        start,
        end,
    });
    Ok(())
}
