//! An article's text to rows of the sentence table: the title line, then the body split by
//! [`crate::segment`], with byte offsets turned into code points.
//!
//! U+FEFF (a byte-order mark at the start of an article, a zero-width no-break space
//! elsewhere) counts in the offsets like any character. At the start or end of the text or
//! next to whitespace, sentences and the title are found as if it were a space: no sentence
//! starts or ends with it, a line holding only U+FEFF is blank, and a leading BOM changes
//! nothing but the offsets. Between two visible characters it joins them, as a no-break
//! space does (`5.\u{FEFF}5` ends no sentence).

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
    let mut rows = Vec::new();
    for_each_sentence(text, has_title, opts, |s| {
        rows.push(SentenceRow {
            article_id: article_id.to_string(),
            sentence_id: sentence_id(article_id, s.index),
            index: s.index,
            paragraph: s.paragraph,
            kind: s.kind,
            start: s.start,
            end: s.end,
            text: s.text.to_string(),
        });
    });
    rows
}

/// One sentence of an article as [`for_each_sentence`] gives it: the columns of its
/// [`SentenceRow`] but the article and sentence ids, its text borrowed from the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence<'a> {
    /// 0-based position in the article; the title, when present, is 0.
    pub index: u32,
    /// 0-based paragraph number.
    pub paragraph: u32,
    /// `title` or `body`.
    pub kind: SentenceKind,
    /// Code-point offset of the first character.
    pub start: u64,
    /// Code-point offset one past the last character.
    pub end: u64,
    /// The article text from `start` to `end`.
    pub text: &'a str,
}

/// Calls `f` on each sentence of an article, in order: the rows of [`sentence_rows`]
/// without allocating any of their strings (a writer can encode them as they come).
pub fn for_each_sentence<'a>(
    text: &'a str,
    has_title: bool,
    opts: &SplitOptions,
    mut f: impl FnMut(Sentence<'a>),
) {
    // Boundaries are found in `scan` (see `mask_u_feff`); sentence text is cut from `text`.
    let scan = mask_u_feff(text);
    let scan = scan.as_ref();
    let mut cursor = CodePointCursor::new(text);
    let mut index = 0u32;
    let mut emit = |start: usize, end: usize, paragraph: usize, kind: SentenceKind| {
        f(Sentence {
            index,
            paragraph: paragraph as u32,
            kind,
            start: cursor.to_chars(start) as u64,
            end: cursor.to_chars(end) as u64,
            text: &text[start..end],
        });
        index += 1;
    };
    let mut body_from = 0;
    let mut paragraph_base = 0;
    if has_title && let Some((start, end, next)) = first_line(scan) {
        emit(start, end, 0, SentenceKind::Title);
        body_from = next;
        paragraph_base = 1;
    }
    let body = &scan[body_from..];
    for s in segment::split(body, opts) {
        emit(
            body_from + s.start,
            body_from + s.end,
            paragraph_base + s.paragraph,
            SentenceKind::Body,
        );
    }
}

/// `text` with each U+FEFF that is not between two visible characters read as U+2002 EN SPACE
/// (whitespace, and three bytes too, so every byte offset stays the same): a run of U+FEFF
/// at the start or end of the text or next to whitespace. A run between two visible
/// characters stays, and joins them as a no-break space.
fn mask_u_feff(text: &str) -> std::borrow::Cow<'_, str> {
    const FEFF: &str = "\u{FEFF}";
    let Some(first) = memchr::memmem::find(text.as_bytes(), FEFF.as_bytes()) else {
        return std::borrow::Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..first]);
    let mut pos = first;
    while pos < text.len() {
        let rest = &text[pos..];
        let run = rest.len() - rest.trim_start_matches('\u{FEFF}').len();
        if run == 0 {
            let next = rest.find('\u{FEFF}').map_or(text.len(), |i| pos + i);
            out.push_str(&text[pos..next]);
            pos = next;
            continue;
        }
        let end = pos + run;
        let before = text[..pos].chars().next_back();
        let after = text[end..].chars().next();
        let spaced = |c: Option<char>| c.is_none_or(char::is_whitespace);
        if spaced(before) || spaced(after) {
            out.extend(std::iter::repeat_n('\u{2002}', run / FEFF.len()));
        } else {
            out.push_str(&text[pos..end]);
        }
        pos = end;
    }
    std::borrow::Cow::Owned(out)
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

    /// (kind, paragraph, start, end, text) of each row.
    fn spans(r: &[SentenceRow]) -> Vec<(SentenceKind, u32, u64, u64, &str)> {
        r.iter()
            .map(|s| (s.kind, s.paragraph, s.start, s.end, s.text.as_str()))
            .collect()
    }

    #[test]
    fn a_leading_bom_counts_in_offsets_but_is_in_no_sentence() {
        use SentenceKind::{Body, Title};
        // As Python's `open(path, encoding="utf-8", newline="").read()` gives it, the BOM is
        // character 0: "Title" is 1..6, "\n\n" 6..8, "One." 8..12, " " 12, "Two." 13..17.
        let r = rows("\u{FEFF}Title\n\nOne. Two.", true);
        assert_eq!(
            spans(&r),
            [
                (Title, 0, 1, 6, "Title"),
                (Body, 1, 8, 12, "One."),
                (Body, 1, 13, 17, "Two.")
            ]
        );
        // Without a title the first line is body, still from code point 1.
        let r = rows("\u{FEFF}Title\n\nOne.", false);
        assert_eq!(
            spans(&r),
            [(Body, 0, 1, 6, "Title"), (Body, 1, 8, 12, "One.")]
        );
    }

    #[test]
    fn a_line_holding_only_the_bom_is_not_the_title() {
        use SentenceKind::{Body, Title};
        // "\u{FEFF}\n" is code points 0 and 1; "Headline" 2..10, "\n\n" 10..12, "Body." 12..17.
        let r = rows("\u{FEFF}\nHeadline\n\nBody.", true);
        assert_eq!(
            spans(&r),
            [(Title, 0, 2, 10, "Headline"), (Body, 1, 12, 17, "Body.")]
        );
        // Without a title it is no sentence either, and leading blank lines open no
        // paragraph: BOM 0, "\n\n" 1..3, "Body." 3..8 in paragraph 0.
        let r = rows("\u{FEFF}\n\nBody.", false);
        assert_eq!(spans(&r), [(Body, 0, 3, 8, "Body.")]);
        // A BOM only is an empty article.
        assert!(rows("\u{FEFF}", true).is_empty());
        assert!(rows("\u{FEFF}\r\n", false).is_empty());
    }

    #[test]
    fn crlf_with_a_bom_counts_both_line_break_characters() {
        use SentenceKind::{Body, Title};
        // BOM 0, "Title" 1..6, "\r\n\r\n" 6..10, "One." 10..14, "\r\n" 14..16, "Two." 16..20.
        let r = rows("\u{FEFF}Title\r\n\r\nOne.\r\nTwo.\r\n", true);
        assert_eq!(
            spans(&r),
            [
                (Title, 0, 1, 6, "Title"),
                (Body, 1, 10, 14, "One."),
                (Body, 1, 16, 20, "Two.")
            ]
        );
        // The BOM on a line of its own: "\u{FEFF}\r\n" 0..3, "Title" 3..8, "\r\n\r\n" 8..12,
        // "One." 12..16.
        let r = rows("\u{FEFF}\r\nTitle\r\n\r\nOne.", true);
        assert_eq!(
            spans(&r),
            [(Title, 0, 3, 8, "Title"), (Body, 1, 12, 16, "One.")]
        );
    }

    #[test]
    fn u_feff_inside_the_text_starts_or_ends_no_sentence() {
        use SentenceKind::{Body, Title};
        // A JSON Lines body field starting with U+FEFF, after its title ("T" + "\n\n"):
        // "T" 0..1, "\n\n" 1..3, U+FEFF 3, "Body." 4..9.
        let r = rows("T\n\n\u{FEFF}Body.", true);
        assert_eq!(spans(&r), [(Title, 0, 0, 1, "T"), (Body, 1, 4, 9, "Body.")]);
        // A line holding only U+FEFF is a blank line: "A." 0..2, "\n" 2, U+FEFF 3, "\n" 4,
        // "B." 5..7 in the next paragraph.
        let r = rows("A.\n\u{FEFF}\nB.", false);
        assert_eq!(spans(&r), [(Body, 0, 0, 2, "A."), (Body, 1, 5, 7, "B.")]);
        // Between two visible characters it stays in the sentence text (the text is always
        // the slice): "Big\u{FEFF}word." is 0..9, " " 9, "Next." 10..15.
        let r = rows("Big\u{FEFF}word. Next.", false);
        assert_eq!(
            spans(&r),
            [
                (Body, 0, 0, 9, "Big\u{FEFF}word."),
                (Body, 0, 10, 15, "Next.")
            ]
        );
    }

    #[test]
    fn u_feff_between_visible_characters_is_a_no_break_space() {
        use SentenceKind::Body;
        // "It rose 5." 0..10, U+FEFF 10, "5 percent." 11..21: one sentence, as without it.
        let r = rows("It rose 5.\u{FEFF}5 percent.", false);
        assert_eq!(
            spans(&r),
            [(Body, 0, 0, 21, "It rose 5.\u{FEFF}5 percent.")]
        );
        // Next to a space it is read as one: "One." 0..4, " " 4, U+FEFF 5, "Two." 6..10.
        let r = rows("One. \u{FEFF}Two.", false);
        assert_eq!(
            spans(&r),
            [(Body, 0, 0, 4, "One."), (Body, 0, 6, 10, "Two.")]
        );
    }

    const BOM_CHAR: char = '\u{FEFF}';

    /// Texts made of pieces that matter to the splitter, U+FEFF among them.
    fn texts_with_u_feff() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let pieces = prop::sample::select(vec![
            "\u{FEFF}", "\n", "\r\n", " ", "\t", "\u{2029}", "Word", "é", "A.", "Mr.", "1.", "?",
            "!", "...", "\"", "“", "”", "U.S.", "- ",
        ]);
        prop::collection::vec(pieces, 0..40).prop_map(|p| p.concat())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]

        /// Sentence text is the slice its offsets name and never starts or ends with U+FEFF;
        /// a leading BOM changes nothing but the offsets (each one later by one).
        #[test]
        fn a_bom_only_shifts_the_offsets(text in texts_with_u_feff(), has_title: bool) {
            let plain = rows(&text, has_title);
            let with_bom = rows(&format!("\u{FEFF}{text}"), has_title);
            let chars: Vec<char> = format!("\u{FEFF}{text}").chars().collect();
            for s in &with_bom {
                let slice: String = chars[s.start as usize..s.end as usize].iter().collect();
                proptest::prop_assert_eq!(&slice, &s.text);
                let edges = [s.text.chars().next(), s.text.chars().last()];
                proptest::prop_assert!(!edges.contains(&Some(BOM_CHAR)), "{:?}", s.text);
            }
            let shifted: Vec<_> = plain
                .iter()
                .map(|s| (s.kind, s.paragraph, s.start + 1, s.end + 1, s.text.as_str()))
                .collect();
            proptest::prop_assert_eq!(spans(&with_bom), shifted);
        }
    }

    /// One sentence per line, with a BOM, CRLF, a whitespace-only line and an emoji; code
    /// points worked out by hand: BOM 0, "Title" 1..6, CR LF 6..8, CR LF 8..10, "First line.
    /// Still one" 10..31, CR LF 31..33, " " 33, CR LF 34..36, the emoji 36, " Emoji line!"
    /// 37..49, CR LF 49..51, "Last" 51..55. The title is line one as always; the blank line
    /// after it opens no paragraph, the whitespace-only line does.
    #[test]
    fn one_per_line_rows_count_code_points() {
        let text =
            "\u{FEFF}Title\r\n\r\nFirst line. Still one\r\n \r\n\u{1F600} Emoji line!\r\nLast";
        let opts = SplitOptions {
            line_breaks: crate::segment::LineBreaks::Line,
        };
        let got: Vec<_> = sentence_rows("a1", text, true, &opts)
            .into_iter()
            .map(|s| (s.index, s.paragraph, s.kind, s.start, s.end, s.text))
            .collect();
        let body = SentenceKind::Body;
        assert_eq!(
            got,
            vec![
                (0, 0, SentenceKind::Title, 1, 6, "Title".to_string()),
                (1, 1, body, 10, 31, "First line. Still one".to_string()),
                (2, 2, body, 36, 49, "\u{1F600} Emoji line!".to_string()),
                (3, 2, body, 51, 55, "Last".to_string()),
            ]
        );
    }
}
