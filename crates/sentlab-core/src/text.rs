//! Small pure helpers on text: UTF-8 decoding with the place of the first invalid byte,
//! article ids from file names, the lines csv records start on, the count of skipped rows
//! that warnings print, and the edit distance of "did you mean" suggestions.

use std::path::Path;

/// Article id from a file path: the stem, with a leading `article` before digits dropped
/// (PTC's `article111111111.txt` is `111111111`).
pub fn article_id_from_path(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    match stem.strip_prefix("article") {
        Some(rest) if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) => rest.into(),
        _ => stem,
    }
}

/// The UTF-8 byte-order mark (U+FEFF).
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// File bytes as UTF-8 text, a leading byte-order mark dropped; or what is wrong: "invalid
/// UTF-8 at byte N, line L (expected UTF-8 text)" (N counts from 0 and includes the mark).
pub fn strict_utf8(bytes: Vec<u8>) -> std::result::Result<String, String> {
    utf8(bytes, true)
}

/// [`strict_utf8`], or with `drop_bom` false a leading byte-order mark kept as U+FEFF.
pub fn utf8(mut bytes: Vec<u8>, drop_bom: bool) -> std::result::Result<String, String> {
    let skip = if drop_bom && bytes.starts_with(BOM) {
        BOM.len()
    } else {
        0
    };
    if let Err(e) = std::str::from_utf8(&bytes[skip..]) {
        let at = skip + e.valid_up_to();
        let line = 1 + memchr::memchr_iter(b'\n', &bytes[..at]).count();
        return Err(format!(
            "invalid UTF-8 at byte {at}, line {line} (expected UTF-8 text)"
        ));
    }
    bytes.drain(..skip);
    Ok(String::from_utf8(bytes).expect("validated above"))
}

/// The 1-based lines csv records start on, from their byte positions. The `csv` crate's own
/// line count is off after blank lines and `\r\n` ends: a record's position is taken before
/// the line breaks the reader skips, so it is moved past them here (a record never starts
/// with one). Records are looked up in order, so counting costs one pass over the text.
pub struct RecordLines<'a> {
    text: &'a [u8],
    at: usize,
    line: u64,
}

impl<'a> RecordLines<'a> {
    pub fn new(text: &'a [u8]) -> Self {
        RecordLines {
            text,
            at: 0,
            line: 1,
        }
    }

    /// The line of the record at `pos`.
    pub fn line(&mut self, pos: &csv::Position) -> u64 {
        let mut to =
            usize::try_from(pos.byte()).map_or(self.text.len(), |b| b.min(self.text.len()));
        while to < self.text.len() && matches!(self.text[to], b'\n' | b'\r') {
            to += 1;
        }
        if to < self.at {
            (self.at, self.line) = (0, 1);
        }
        self.line += memchr::memchr_iter(b'\n', &self.text[self.at..to]).count() as u64;
        self.at = to;
        self.line
    }
}

/// Skipped rows counted by reason, `N reason, M reason` (reasons in sorted order), then
/// ` (first: FIRST)` when `first` is given; `none skipped` when there are no reasons.
pub fn count_skipped<'a>(
    reasons: impl IntoIterator<Item = &'a str>,
    first: Option<&str>,
) -> String {
    let mut counts: std::collections::BTreeMap<&str, u64> = Default::default();
    for r in reasons {
        *counts.entry(r).or_default() += 1;
    }
    if counts.is_empty() {
        return "none skipped".to_string();
    }
    let counts: Vec<String> = counts.iter().map(|(r, n)| format!("{n} {r}")).collect();
    match first {
        Some(first) => format!("{} (first: {first})", counts.join(", ")),
        None => counts.join(", "),
    }
}

/// Levenshtein distance in Unicode scalar values (insert, delete, substitute cost 1).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ptc_style_file_names_drop_the_article_prefix() {
        assert_eq!(
            article_id_from_path(Path::new("x/article111111111.txt")),
            "111111111"
        );
        assert_eq!(
            article_id_from_path(Path::new("000_73738d.txt")),
            "000_73738d"
        );
        assert_eq!(article_id_from_path(Path::new("articles.txt")), "articles");
        assert_eq!(article_id_from_path(Path::new("article.txt")), "article");
        assert_eq!(
            article_id_from_path(Path::new("article12b.txt")),
            "article12b"
        );
    }

    #[test]
    fn skipped_rows_are_counted_by_reason_in_sorted_order() {
        // b twice, a once: "1 a, 2 b".
        assert_eq!(count_skipped(["b", "a", "b"], None), "1 a, 2 b");
        assert_eq!(
            count_skipped(["b", "a", "b"], Some("f.csv:3")),
            "1 a, 2 b (first: f.csv:3)"
        );
        assert_eq!(count_skipped([], Some("f.csv:3")), "none skipped");
    }

    #[test]
    fn strict_utf8_drops_a_bom_and_locates_the_first_invalid_byte() {
        // BOM 0..3, "ok\n" 3..6, "b" 6, then C3 28 (a lead byte without its continuation):
        // byte 7, on line 2.
        assert_eq!(
            strict_utf8(b"\xEF\xBB\xBFok\nb\xC3(d\n".to_vec()).unwrap_err(),
            "invalid UTF-8 at byte 7, line 2 (expected UTF-8 text)"
        );
        assert_eq!(strict_utf8(b"\xEF\xBB\xBFhi".to_vec()).unwrap(), "hi");
        // Without dropping it, the mark stays as character 0.
        assert_eq!(
            utf8(b"\xEF\xBB\xBFhi".to_vec(), false).unwrap(),
            "\u{FEFF}hi"
        );
    }

    #[test]
    fn edit_distance_known_values() {
        // kitten → sitting: the textbook example, 3 edits.
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("abc", "abc"), 0);
        assert_eq!(edit_distance("é", "e"), 1);
    }
}
