//! An article's text to rows of the sentence table: the title line, then the body split by
//! [`crate::segment`], with byte offsets turned into code points.

use crate::offsets::CodePointCursor;
use crate::rows::{SentenceKind, SentenceRow, sentence_id};
use crate::segment::{self, SplitOptions};

/// Splits one article into sentence rows.
///
/// With `has_title`, the first non-blank line (trimmed) is sentence 0 of kind `title` in
/// paragraph 0, and the body's paragraphs are numbered from 1; without it, the whole text is
/// body and paragraphs are numbered from 0. An article with no visible text has no rows.
pub fn sentence_rows(
    article_id: &str,
    text: &str,
    has_title: bool,
    opts: &SplitOptions,
) -> Vec<SentenceRow> {
    let mut spans: Vec<(usize, usize, usize, SentenceKind)> = Vec::new();
    let mut body_from = 0;
    let mut paragraph_base = 0;
    if has_title && let Some((start, end, next)) = first_line(text) {
        spans.push((start, end, 0, SentenceKind::Title));
        body_from = next;
        paragraph_base = 1;
    }
    let body = &text[body_from..];
    for s in segment::split(body, opts) {
        spans.push((
            body_from + s.start,
            body_from + s.end,
            paragraph_base + s.paragraph,
            SentenceKind::Body,
        ));
    }
    let mut cursor = CodePointCursor::new(text);
    spans
        .into_iter()
        .enumerate()
        .map(|(index, (start, end, paragraph, kind))| {
            let index = index as u32;
            SentenceRow {
                article_id: article_id.to_string(),
                sentence_id: sentence_id(article_id, index),
                index,
                paragraph: paragraph as u32,
                kind,
                start: cursor.to_chars(start) as u64,
                end: cursor.to_chars(end) as u64,
                text: text[start..end].to_string(),
            }
        })
        .collect()
}

/// The first line with visible text: its trimmed byte span and where the rest begins.
fn first_line(text: &str) -> Option<(usize, usize, usize)> {
    let mut pos = 0;
    while pos < text.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = &text[pos..line_end];
        let trimmed = line.trim();
        if !trimmed.is_empty() {
            let start = pos + (line.len() - line.trim_start().len());
            let next = (line_end + 1).min(text.len());
            return Some((start, start + trimmed.len(), next));
        }
        pos = line_end + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str, has_title: bool) -> Vec<SentenceRow> {
        sentence_rows("a1", text, has_title, &SplitOptions::default())
    }

    #[test]
    fn title_is_sentence_zero_and_body_paragraphs_start_at_one() {
        let text = "The Title\n\nFirst one. Second one.\n\nThird.\n";
        let r = rows(text, true);
        let got: Vec<_> = r
            .iter()
            .map(|s| {
                (
                    s.sentence_id.as_str(),
                    s.paragraph,
                    s.kind,
                    s.start,
                    s.end,
                    s.text.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("a1:0", 0, SentenceKind::Title, 0, 9, "The Title"),
                ("a1:1", 1, SentenceKind::Body, 11, 21, "First one."),
                ("a1:2", 1, SentenceKind::Body, 22, 33, "Second one."),
                ("a1:3", 2, SentenceKind::Body, 35, 41, "Third."),
            ]
        );
    }

    #[test]
    fn offsets_are_code_points_and_text_is_the_slice() {
        // “ and ” are one code point each (three bytes); é two bytes.
        let text = "Café “news”\n\n“Yes,” said José. Then he left.";
        let r = rows(text, true);
        let chars: Vec<char> = text.chars().collect();
        for s in &r {
            let slice: String = chars[s.start as usize..s.end as usize].iter().collect();
            assert_eq!(slice, s.text);
        }
        assert_eq!((r[1].start, r[1].end), (13, 30));
        assert_eq!(r[2].text, "Then he left.");
    }

    #[test]
    fn without_title_everything_is_body() {
        let r = rows("Just text here.\n\nMore.", false);
        assert_eq!(r.len(), 2);
        assert!(r.iter().all(|s| s.kind == SentenceKind::Body));
        assert_eq!((r[0].paragraph, r[1].paragraph), (0, 1));
    }

    #[test]
    fn crlf_offsets_still_match_the_text() {
        let text = "Title\r\n\r\nOne.\r\nTwo.\r\n";
        let r = rows(text, true);
        let texts: Vec<_> = r.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, ["Title", "One.", "Two."]);
        assert_eq!((r[1].start, r[1].end), (9, 13));
        assert_eq!((r[2].start, r[2].end), (15, 19));
    }

    #[test]
    fn empty_or_blank_article_has_no_rows() {
        assert!(rows("", true).is_empty());
        assert!(rows(" \n\n\t\n", true).is_empty());
    }

    #[test]
    fn title_after_leading_blank_lines() {
        let r = rows("\n\n  Headline  \nBody line.", true);
        assert_eq!(r[0].text, "Headline");
        assert_eq!(r[0].start, 4);
        assert_eq!(r[1].text, "Body line.");
    }
}
