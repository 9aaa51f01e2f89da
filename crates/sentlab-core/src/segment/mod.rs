//! English sentence splitter for news text: `&str` in, byte spans out.
//!
//! Rule-based, in the spirit of pySBD (its English "golden rules"), written as one forward
//! scan. Only a few bytes can matter (`.`, `?`, `!`, line breaks, and the lead bytes of `…`,
//! NEL, U+2028 and U+2029); the scan skips the rest eight bytes at a time, and the analysis
//! (the word before a period, the word after it, quotes) runs only around those candidates,
//! on a few dozen bytes, without allocating. The output `Vec` is the only allocation.
//!
//! Structure of the text:
//! - A *line break* is `\n`, `\r\n`, `\r`, VT, FF, NEL (U+0085) or LINE SEPARATOR (U+2028).
//! - A *blank line* is a line of only whitespace (`char::is_whitespace`); one or more blank
//!   lines, or a PARAGRAPH SEPARATOR (U+2029), separate *paragraphs* (blocks). A blank line
//!   always ends a sentence, in both modes.
//! - [`LineBreaks::Sentence`] (default): every line break ends a sentence, so headings,
//!   bylines and titles without final punctuation are sentences of their own.
//! - [`LineBreaks::Space`]: a single line break is whitespace (hard-wrapped text), except
//!   before a line that starts a list item (`1.`, `2)`, `a.`, `•`, `-`, `*`).
//! - [`LineBreaks::Line`]: each line with visible text is one sentence, and nothing else
//!   ends one (a corpus already split one sentence per line).
//!
//! Within a line (or a hard-wrapped block), at `.`, `?`, `!`, `...` or `…` (closing quotes,
//! brackets and footnote marks like `[1]` stay with the sentence):
//! - attached to the next character (`3.14`, `example.com`, `U.S.-led`, `e.g.,`, `Jr.'s`):
//!   no boundary, except a missing space between plain words (`world.Today`);
//! - before a lowercase word: never a boundary (`"Are we?" he asked`, `etc. and`);
//! - `?` and `!`: a boundary otherwise; an ellipsis only before a capital; a free-standing
//!   spaced `. . .` and `[...]` never;
//! - `.` after a title (`Mr.`, `Gen.`, `St.`, `Mt.`) or `vs.`, `e.g.`, `approx.`: never; after
//!   `No.`, `p.`, `Jan.` or an initial before a number: never; after `Inc.`, `Jr.`, `etc.`,
//!   `Jan.`, `Ill.`, dotted acronyms (`U.S.`) and initials (`W.`): only before a typical
//!   sentence opener (`The`, `He`, `How`, ...); after `a.m.`/`p.m.` before a capital, unless
//!   a day or time zone follows (`5 p.m. Monday`) or the time opens the sentence (`At 5 a.m.
//!   Mr. Smith went`); after any other word, number, URL or address: a boundary;
//! - inside a quotation that closes on a fragment of at most two words (`"Are we insisting
//!   on it? No".`): no boundary; longer multi-sentence quotations are split normally;
//! - list items (`1.`, `2)`, `1.)`, `a.`, `•`, `⁃`) start sentences, also inline when the next
//!   item follows on the same line (`1) a 2) b`) or after a colon (`Steps: 1. Cut 2. Fry`).

mod abbreviations;
#[cfg(test)]
mod tests;

use abbreviations::Class;
use memchr::memmem;

/// How a single line break inside a paragraph is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LineBreaks {
    /// News puts one sentence or paragraph per line, so a line break always ends a sentence.
    #[default]
    Sentence,
    /// Hard-wrapped text: a single line break is just whitespace; only a blank line (or a
    /// line starting a list item) ends a sentence.
    Space,
    /// One sentence per line: each line with visible text is one sentence (trimmed as
    /// every sentence is), whatever its punctuation; nothing else ends a sentence.
    Line,
}

/// Options for [`split`]; `SplitOptions::default()` treats every line break as a sentence end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SplitOptions {
    /// How a single line break inside a paragraph is treated.
    pub line_breaks: LineBreaks,
}

/// One sentence: `text[start..end]`, in byte offsets, trimmed of whitespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentenceSpan {
    /// Byte offset of the first character (never whitespace).
    pub start: usize,
    /// Byte offset just past the last character (never whitespace).
    pub end: usize,
    /// 0-based number of the block the sentence is in; blocks are separated by blank lines
    /// (or U+2029), and leading blank lines do not count.
    pub paragraph: usize,
}

/// Splits `text` into sentences.
///
/// The spans are ordered, disjoint, non-empty, trimmed, on char boundaries, never cross a
/// blank line, and together cover every non-whitespace character of `text` exactly once.
pub fn split(text: &str, opts: &SplitOptions) -> Vec<SentenceSpan> {
    if opts.line_breaks == LineBreaks::Line {
        return split_lines(text);
    }
    let mut splitter = Splitter {
        text,
        bytes: text.as_bytes(),
        space: opts.line_breaks == LineBreaks::Space,
        // News sentences average well over 64 bytes; one reservation avoids most regrowth.
        out: Vec::with_capacity(text.len() / 64 + 1),
        cut: 0,
        line_start: 0,
        paragraph: 0,
        seen_content: false,
        pending_paragraph: false,
        sentence_start: None,
        protect_until: 0,
        forced: None,
    };
    splitter.run();
    splitter.out
}

/// [`LineBreaks::Line`]: each line with visible text is a sentence, trimmed of whitespace
/// (`char::is_whitespace`) at both ends; line breaks, blank lines and paragraphs are those
/// of [`split`] (a line break is `\n`, `\r\n`, `\r`, VT, FF, NEL, U+2028 or U+2029; blank
/// lines or U+2029 after some text start a new paragraph).
fn split_lines(text: &str) -> Vec<SentenceSpan> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut paragraph = 0;
    let mut pending_paragraph = false;
    let mut line_start = 0;
    let mut i = 0;
    let mut line = |a: usize, b: usize, separator: bool, out: &mut Vec<SentenceSpan>| {
        let slice = &text[a..b];
        let trimmed = slice.trim();
        if trimmed.is_empty() {
            pending_paragraph |= !out.is_empty();
        } else {
            if pending_paragraph {
                paragraph += 1;
                pending_paragraph = false;
            }
            let start = a + (slice.len() - slice.trim_start().len());
            out.push(SentenceSpan {
                start,
                end: start + trimmed.len(),
                paragraph,
            });
        }
        if separator {
            pending_paragraph |= !out.is_empty();
        }
    };
    while let Some(p) = next_interesting(bytes, i) {
        match line_break_at(bytes, p) {
            Some((len, separator)) => {
                line(line_start, p, separator, &mut out);
                line_start = p + len;
                i = p + len;
            }
            None => i = p + 1,
        }
    }
    line(line_start, text.len(), false, &mut out);
    out
}

/// Bytes the main scan stops at: terminators, line breaks, and the lead bytes of `…`, NEL,
/// U+2028 and U+2029 (0xC2 and 0xE2 also lead many other characters; those are skipped).
static INTERESTING: [bool; 256] = {
    let mut table = [false; 256];
    let bytes = [b'.', b'?', b'!', b'\n', b'\r', 0x0B, 0x0C, 0xC2, 0xE2];
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
};

/// The first offset `>= i` holding an [`INTERESTING`] byte.
///
/// Candidates are about one byte in 40 of news text, so most of the text is skipped eight
/// bytes at a time: a SWAR test flags a word that may hold a non-ASCII byte, `.`, `?`, `!` or
/// a byte below 0x0E (line breaks); only flagged words are looked at byte by byte. The test
/// can flag too much (borrows, other control or non-ASCII bytes) but never too little.
fn next_interesting(bytes: &[u8], mut i: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_byte = |x: u64, c: u8| {
        let v = x ^ (ONES * u64::from(c));
        v.wrapping_sub(ONES) & !v & HIGH
    };
    while let Some(chunk) = bytes.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().expect("an 8-byte chunk"));
        let flagged = (x & HIGH)
            | has_byte(x, b'.')
            | has_byte(x, b'?')
            | has_byte(x, b'!')
            | (x.wrapping_sub(ONES * 0x0E) & !x & HIGH);
        if flagged != 0
            && let Some(off) = chunk.iter().position(|&b| INTERESTING[b as usize])
        {
            return Some(i + off);
        }
        i += 8;
    }
    bytes[i..]
        .iter()
        .position(|&b| INTERESTING[b as usize])
        .map(|off| i + off)
}

/// How far a candidate looks forward for a closing quote (see `inside_quote`), in bytes
/// and in words.
const QUOTE_LOOKAHEAD: usize = 80;
const QUOTE_FRAGMENT_WORDS: usize = 2;
/// How far back a candidate looks for the opening quote of the sentence, in bytes.
const QUOTE_LOOKBEHIND: usize = 1024;
/// How far a list item looks forward for the next item on the same line.
const LIST_LOOKAHEAD: usize = 512;
/// Longest token (in chars) examined before a period; longer ones are ordinary words.
const MAX_WORD_CHARS: usize = 64;

fn is_line_break_char(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Closing quotes and brackets that stay with the sentence they follow (`no."`, `this.)`).
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | ')' | ']' | '}' | '\u{201D}' | '\u{2019}' | '\u{BB}' | '\u{203A}'
    )
}

/// Opening quotes and brackets skipped to find the first letter of the next sentence.
fn is_opener(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '('
            | '['
            | '{'
            | '\u{201C}'
            | '\u{2018}'
            | '\u{AB}'
            | '\u{2039}'
            | '\u{BF}'
            | '\u{A1}'
    )
}

/// Characters that mark a bulleted list item at the start of a sentence.
fn is_bullet(c: char) -> bool {
    matches!(
        c,
        '-' | '*'
            | '\u{2022}'
            | '\u{2043}'
            | '\u{2023}'
            | '\u{B7}'
            | '\u{25AA}'
            | '\u{25E6}'
            | '\u{25CF}'
            | '\u{25A0}'
    )
}

/// Returns the length of the line break at `i` and whether it is a paragraph separator.
fn line_break_at(bytes: &[u8], i: usize) -> Option<(usize, bool)> {
    match bytes[i] {
        b'\n' | 0x0B | 0x0C => Some((1, false)),
        b'\r' => Some((
            if bytes.get(i + 1) == Some(&b'\n') {
                2
            } else {
                1
            },
            false,
        )),
        0xC2 if bytes.get(i + 1) == Some(&0x85) => Some((2, false)),
        0xE2 if bytes.get(i + 1) == Some(&0x80) => match bytes.get(i + 2) {
            Some(0xA8) => Some((3, false)),
            Some(0xA9) => Some((3, true)),
            _ => None,
        },
        _ => None,
    }
}

fn is_ellipsis_at(bytes: &[u8], i: usize) -> bool {
    bytes[i..].starts_with("\u{2026}".as_bytes())
}

/// The suffix after a list enumerator: `1.`, `1)` or `1.)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Suffix {
    Dot,
    Paren,
    DotParen,
}

impl Suffix {
    fn bytes(self) -> &'static [u8] {
        match self {
            Suffix::Dot => b".",
            Suffix::Paren => b")",
            Suffix::DotParen => b".)",
        }
    }
}

/// What the next item of a list started by a marker looks like on the same line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NextItem {
    /// `-` and `*` are also dashes and emphasis mid-line, so only line starts count.
    None,
    Bullet(char),
    Number(u32, Suffix),
    Letter(u8, Suffix),
}

/// A list marker at the start of a sentence: `end` is just past it, so its own period
/// ("1.", "a.") is never a boundary.
#[derive(Debug, Clone, Copy)]
struct Marker {
    end: usize,
    next: NextItem,
}

/// Which punctuation cluster a candidate is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Period,
    Question,
    Ellipsis,
}

struct Splitter<'a> {
    text: &'a str,
    bytes: &'a [u8],
    space: bool,
    out: Vec<SentenceSpan>,
    /// Start of the current (not yet emitted) sentence, before trimming.
    cut: usize,
    line_start: usize,
    paragraph: usize,
    seen_content: bool,
    /// A blank line was seen after some content: the next sentence opens a new paragraph.
    pending_paragraph: bool,
    /// First non-whitespace byte of the current sentence, when known.
    sentence_start: Option<usize>,
    /// Candidates before this offset belong to a list marker and never end a sentence.
    protect_until: usize,
    /// Start of the next item of an inline list ("1) a 2) b"), where a sentence must end;
    /// the letter is the expected one for alphabetical lists.
    forced: Option<(usize, Option<u8>)>,
}

impl Splitter<'_> {
    fn run(&mut self) {
        self.start_sentence(0, None);
        let n = self.bytes.len();
        let mut i = 0;
        while i < n {
            let Some(p) = next_interesting(self.bytes, i) else {
                break;
            };
            self.apply_forced(p);
            i = match self.bytes[p] {
                b'.' | b'?' | b'!' => self.candidate(p),
                _ => {
                    if let Some((len, paragraph_separator)) = line_break_at(self.bytes, p) {
                        self.line_break(p, len, paragraph_separator);
                        p + len
                    } else if is_ellipsis_at(self.bytes, p) {
                        self.candidate(p)
                    } else {
                        p + 1
                    }
                }
            };
        }
        self.apply_forced(n);
        self.emit(self.cut, n);
    }

    /// Emits `text[a..b]` trimmed, if anything is left.
    fn emit(&mut self, a: usize, b: usize) {
        if a >= b {
            return;
        }
        let slice = &self.text[a..b];
        let trimmed_start = slice.trim_start();
        if trimmed_start.is_empty() {
            return;
        }
        let start = a + (slice.len() - trimmed_start.len());
        let end = start + trimmed_start.trim_end().len();
        if self.pending_paragraph {
            self.paragraph += 1;
            self.pending_paragraph = false;
        }
        self.seen_content = true;
        self.out.push(SentenceSpan {
            start,
            end,
            paragraph: self.paragraph,
        });
    }

    /// Ends the current sentence at `at` and starts the next one there.
    fn cut_at(&mut self, at: usize, expected_letter: Option<u8>) {
        if at <= self.cut {
            return;
        }
        self.emit(self.cut, at);
        self.cut = at;
        self.start_sentence(at, expected_letter);
    }

    fn apply_forced(&mut self, p: usize) {
        while let Some((at, letter)) = self.forced
            && at <= p
        {
            self.forced = None;
            self.cut_at(at, letter);
        }
    }

    /// Records where the sentence starting at `c` really starts (skipping spaces but not
    /// line breaks; a later line break calls this again) and whether it is a list item.
    fn start_sentence(&mut self, c: usize, expected_letter: Option<u8>) {
        self.sentence_start = None;
        self.protect_until = 0;
        let mut k = c;
        for ch in self.text[c..].chars() {
            if !ch.is_whitespace() {
                break;
            }
            if is_line_break_char(ch) {
                return;
            }
            k += ch.len_utf8();
        }
        if k >= self.bytes.len() {
            return;
        }
        self.sentence_start = Some(k);
        if let Some(marker) = self.parse_marker(k, expected_letter, false) {
            self.protect_until = marker.end;
            self.forced = self.find_next_item(marker);
        }
    }

    fn line_break(&mut self, p: usize, len: usize, paragraph_separator: bool) {
        let next = p + len;
        let blank = self.text[self.line_start..p].trim_start().is_empty();
        if blank || paragraph_separator {
            self.emit(self.cut, p);
            if self.seen_content {
                self.pending_paragraph = true;
            }
            self.cut = next;
            self.start_sentence(next, None);
        } else if !self.space || self.next_line_is_list_item(next) {
            self.emit(self.cut, p);
            self.cut = next;
            self.start_sentence(next, None);
        } else if self.sentence_start.is_none() {
            self.start_sentence(next, None);
        }
        self.line_start = next;
    }

    fn next_line_is_list_item(&self, next: usize) -> bool {
        let mut k = next;
        for ch in self.text[next..].chars() {
            if !ch.is_whitespace() {
                return self.parse_marker(k, None, true).is_some();
            }
            if is_line_break_char(ch) {
                return false;
            }
            k += ch.len_utf8();
        }
        false
    }

    /// Parses a list marker at `k`: an optional bullet, then an optional enumerator (up to
    /// three digits, or one letter) with `.`, `)` or `.)`, then whitespace.
    ///
    /// A single letter with a period is usually an initial ("J. K. Rowling"), so letters
    /// count only when they start a list ("a.", "A."), continue the expected sequence, or
    /// (at a hard-wrapped line start) use a parenthesis or a lowercase letter.
    fn parse_marker(
        &self,
        k: usize,
        expected_letter: Option<u8>,
        line_start: bool,
    ) -> Option<Marker> {
        let b = self.bytes;
        let n = b.len();
        // Fast exit for the usual sentence start, a word: a letter not followed by `.`/`)`.
        if b[k].is_ascii_alphabetic() && !matches!(b.get(k + 1), Some(b'.' | b')')) {
            return None;
        }
        let first = self.text[k..].chars().next()?;
        let mut j = k;
        let mut bullet = None;
        if is_bullet(first) {
            bullet = Some(first);
            j += first.len_utf8();
            while j < n && (b[j] == b' ' || b[j] == b'\t') {
                j += 1;
            }
        }
        let followed_by_space = |at: usize| {
            at >= n
                || self.text[at..]
                    .chars()
                    .next()
                    .is_some_and(char::is_whitespace)
        };
        let bullet_only = |bullet: Option<char>| {
            let c = bullet?;
            let after = k + c.len_utf8();
            // "-5" and "*emphasis*" are not bullets; "•Item" is.
            if c.is_ascii() && !followed_by_space(after) {
                return None;
            }
            let next = if c.is_ascii() {
                NextItem::None
            } else {
                NextItem::Bullet(c)
            };
            Some(Marker { end: after, next })
        };
        let suffix_at = |at: usize| {
            if b[at..].starts_with(b".)") {
                Some(Suffix::DotParen)
            } else if b[at..].starts_with(b".") {
                Some(Suffix::Dot)
            } else if b[at..].starts_with(b")") {
                Some(Suffix::Paren)
            } else {
                None
            }
        };
        let digits_start = j;
        while j < n && b[j].is_ascii_digit() && j - digits_start < 4 {
            j += 1;
        }
        let digits = j - digits_start;
        let with_bullet = |next: NextItem| match bullet {
            Some(c) if !c.is_ascii() => NextItem::Bullet(c),
            _ => next,
        };
        if digits > 0 {
            if digits > 3 {
                return bullet_only(bullet);
            }
            let Some(suffix) = suffix_at(j) else {
                return bullet_only(bullet);
            };
            let end = j + suffix.bytes().len();
            if !followed_by_space(end) {
                return bullet_only(bullet);
            }
            let value = b[digits_start..j]
                .iter()
                .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'));
            return Some(Marker {
                end,
                next: with_bullet(NextItem::Number(value, suffix)),
            });
        }
        if j < n && b[j].is_ascii_alphabetic() {
            let letter = b[j];
            if let Some(suffix) = suffix_at(j + 1) {
                let end = j + 1 + suffix.bytes().len();
                let accepted = expected_letter == Some(letter)
                    || matches!(letter, b'a' | b'A')
                    || (line_start && (letter.is_ascii_lowercase() || suffix != Suffix::Dot));
                if accepted && followed_by_space(end) {
                    return Some(Marker {
                        end,
                        next: with_bullet(NextItem::Letter(letter, suffix)),
                    });
                }
            }
        }
        bullet_only(bullet)
    }

    /// Finds the start of the next item of the list whose marker is `marker`, on the same
    /// line and within `LIST_LOOKAHEAD` bytes.
    fn find_next_item(&self, marker: Marker) -> Option<(usize, Option<u8>)> {
        let mut buf = [0u8; 8];
        let (needle, letter): (&[u8], Option<u8>) = match marker.next {
            NextItem::None => return None,
            NextItem::Bullet(c) => (c.encode_utf8(&mut buf).as_bytes(), None),
            NextItem::Number(v, suffix) => {
                let mut digits = [0u8; 4];
                let mut len = 0;
                let mut v = v + 1;
                while v > 0 {
                    digits[len] = b'0' + (v % 10) as u8;
                    len += 1;
                    v /= 10;
                }
                for (i, d) in digits[..len].iter().rev().enumerate() {
                    buf[i] = *d;
                }
                let s = suffix.bytes();
                buf[len..len + s.len()].copy_from_slice(s);
                (&buf[..len + s.len()], None)
            }
            // "A. Smith and B. Jones" are initials, not an inline list.
            NextItem::Letter(l, Suffix::Dot) if l.is_ascii_uppercase() => return None,
            NextItem::Letter(l, suffix) => {
                if l.eq_ignore_ascii_case(&b'z') {
                    return None;
                }
                buf[0] = l + 1;
                let s = suffix.bytes();
                buf[1..1 + s.len()].copy_from_slice(s);
                (&buf[..1 + s.len()], Some(l + 1))
            }
        };
        let from = marker.end;
        let to = (from + LIST_LOOKAHEAD).min(self.bytes.len());
        let window = &self.bytes[from..to];
        for off in memmem::find_iter(window, needle) {
            let at = from + off;
            if memchr::memchr2(b'\n', b'\r', &self.bytes[from..at]).is_some() {
                return None;
            }
            let preceded_by_space = self.text[..at]
                .chars()
                .next_back()
                .is_some_and(char::is_whitespace);
            if preceded_by_space && self.parse_marker(at, letter, false).is_some() {
                return Some((at, letter));
            }
        }
        None
    }

    /// Decides whether the punctuation at `p` ends a sentence, cuts if so, and returns where
    /// the scan continues.
    fn candidate(&mut self, p: usize) -> usize {
        let b = self.bytes;
        let n = b.len();
        // The cluster: "?!", "...", "…", and spaced ". . ." (only ASCII spaces between dots).
        let mut q = p;
        let mut dots = 0;
        let mut question = false;
        let mut ellipsis_char = false;
        let mut spaced = false;
        while q < n {
            match b[q] {
                b'.' => {
                    dots += 1;
                    q += 1;
                }
                b'?' | b'!' => {
                    question = true;
                    q += 1;
                }
                b' ' if b[q - 1] == b'.'
                    && b.get(q + 1) == Some(&b'.')
                    && !b.get(q + 2).is_some_and(u8::is_ascii_alphanumeric) =>
                {
                    spaced = true;
                    q += 1;
                }
                0xE2 if is_ellipsis_at(b, q) => {
                    ellipsis_char = true;
                    q += 3;
                }
                _ => break,
            }
        }
        if p < self.protect_until {
            return q;
        }
        let kind = if ellipsis_char || dots >= 2 {
            Kind::Ellipsis
        } else if question {
            Kind::Question
        } else {
            Kind::Period
        };
        let after_space = p > 0 && b[p - 1].is_ascii_whitespace();
        // A free-standing spaced ". . ." marks an omission (pySBD's three-space rule); a
        // fourth dot is a real period after it ("a period . . . . Next").
        if spaced && dots == 3 && !question && !ellipsis_char && after_space {
            return q;
        }
        // "[...]" marks an omission inside a quotation.
        if kind == Kind::Ellipsis && p > 0 && b[p - 1] == b'[' && b.get(q) == Some(&b']') {
            return q;
        }
        // Closing quotes and brackets stay with the sentence ('no."', '(like this.)'), and
        // so does a footnote mark ("martyr.[1] The").
        let mut r = q;
        let mut closed_quote = false;
        loop {
            if let Some(len) = footnote_at(b, r) {
                r += len;
                continue;
            }
            match self.text[r..].chars().next() {
                Some(ch) if is_closer(ch) => {
                    closed_quote |= matches!(ch, '"' | '\u{201D}');
                    r += ch.len_utf8();
                }
                _ => break,
            }
        }
        if r >= n {
            return r;
        }
        if !self.text[r..].starts_with(char::is_whitespace) {
            // Attached to what follows: "3.14", "example.com", "U.S.-led", "e.g.,", "Jr.'s";
            // but "world.Today" is a missing space.
            if kind == Kind::Period && r == q && self.missing_space(p, q) {
                self.cut_at(q, None);
            }
            return r;
        }
        let Some(m) = self.next_token(r) else {
            // A line break (in sentence mode), a blank line or the end of the text follows:
            // the sentence ends there anyway.
            return r;
        };
        let (first, word_at) = self.first_after_openers(m);
        if kind == Kind::Period
            && !first.is_some_and(char::is_lowercase)
            && let Some(item) = self.inline_numbered_item(p, r)
        {
            // "Reasons: 1. Cost 2. Time": the sentence ends before the item, not after "1.".
            self.cut_at(item, None);
            return r;
        }
        let boundary = match kind {
            Kind::Question => !first.is_some_and(char::is_lowercase),
            Kind::Ellipsis => first.is_some_and(char::is_uppercase),
            Kind::Period => self.period_ends_sentence(p, first, word_at),
        };
        if boundary && (closed_quote || !self.inside_quote(p, m)) {
            self.cut_at(r, None);
        }
        r
    }

    /// "Hello world.Today is Tuesday.Mr. Smith bought 1,000.That is a lot." (pySBD): a period
    /// between a plain word or number and a capitalised lowercase word is a missing space,
    /// unless the word is an abbreviation ("Mr.Smith", "St.Louis") or an initial ("J.Smith").
    fn missing_space(&self, p: usize, q: usize) -> bool {
        let b = self.bytes;
        if !(b.get(q).is_some_and(u8::is_ascii_uppercase)
            && b.get(q + 1).is_some_and(u8::is_ascii_lowercase))
        {
            return false;
        }
        // The next token must be a plain word ("Today", "Mr."), not the rest of an address
        // ("Jane.Doe@example.com") or a domain ("Amazon.Com").
        let next_len = b[q..]
            .iter()
            .take_while(|c| c.is_ascii_alphabetic())
            .count();
        let after = b.get(q + next_len).copied().unwrap_or(b' ');
        if !(after.is_ascii_whitespace()
            || matches!(after, b'.' | b',' | b';' | b':' | b'!' | b'?'))
            || after == b'.'
                && b.get(q + next_len + 1)
                    .is_some_and(u8::is_ascii_alphanumeric)
            || is_top_level_domain(&b[q..q + next_len])
        {
            return false;
        }
        let (ws, we) = self.word_before(p);
        let word = &b[ws..we];
        word.len() >= 2
            && we == p
            && word
                .iter()
                .all(|&c| c.is_ascii_alphanumeric() || c == b',' || c == b'\'')
            && b[p - 1].is_ascii_alphanumeric()
            && abbreviations::classify(&self.text[ws..we]).is_none()
    }

    /// If the period at `p` ends a 1-3 digit number that starts an item of a numbered list
    /// inside the sentence (the next number follows on the same line), the item's start.
    fn inline_numbered_item(&self, p: usize, r: usize) -> Option<usize> {
        let b = self.bytes;
        let mut ws = p;
        while ws > 0 && b[ws - 1].is_ascii_digit() && p - ws < 4 {
            ws -= 1;
        }
        if ws == p || p - ws > 3 || ws == 0 || !b[ws - 1].is_ascii_whitespace() {
            return None;
        }
        // Only after a colon ("Top reasons: 1. Cost 2. Time"): elsewhere "Version No. 1.
        // ... Version No. 2." is a sentence end before a number that merely recurs.
        let before = self.text[..ws].trim_end();
        if !before.ends_with(':') {
            return None;
        }
        if self.sentence_start.is_some_and(|s| s >= ws) {
            return None;
        }
        let suffix = if r > p + 1 && b[p + 1] == b')' {
            Suffix::DotParen
        } else {
            Suffix::Dot
        };
        let value = b[ws..p]
            .iter()
            .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'));
        let marker = Marker {
            end: p + suffix.bytes().len(),
            next: NextItem::Number(value, suffix),
        };
        self.find_next_item(marker).map(|_| ws)
    }

    /// The start of the next token after the whitespace at `r`, or `None` when a sentence
    /// end comes first anyway (line break in sentence mode, blank line, end of text).
    fn next_token(&self, r: usize) -> Option<usize> {
        let mut breaks = 0;
        let mut k = r;
        let mut previous = '\0';
        for ch in self.text[r..].chars() {
            if !ch.is_whitespace() {
                return Some(k);
            }
            if ch == '\u{2029}' {
                return None;
            }
            if is_line_break_char(ch) {
                if !self.space {
                    return None;
                }
                if !(ch == '\n' && previous == '\r') {
                    breaks += 1;
                    if breaks >= 2 {
                        return None;
                    }
                }
            }
            previous = ch;
            k += ch.len_utf8();
        }
        None
    }

    /// The first character after any opening quotes or brackets at `m`, and its offset.
    fn first_after_openers(&self, m: usize) -> (Option<char>, usize) {
        let mut k = m;
        for ch in self.text[m..].chars() {
            if !is_opener(ch) {
                return (Some(ch), k);
            }
            k += ch.len_utf8();
        }
        (None, k)
    }

    /// The ASCII-letter word at `k` ("It" in "It's").
    fn ascii_word_at(&self, k: usize) -> &str {
        let len = self.bytes[k..]
            .iter()
            .take_while(|b| b.is_ascii_alphabetic())
            .count();
        &self.text[k..k + len]
    }

    /// The token before offset `p`, without opening quotes/brackets before it and closing
    /// ones after it ('"No"' -> 'No'), as a byte range.
    fn word_before(&self, p: usize) -> (usize, usize) {
        let b = self.bytes;
        let mut start = p;
        // ASCII fast path; the first non-ASCII byte hands over to decoding chars.
        // Never reach back into the previous sentence ("Tuesday.Mr. Smith" after a cut).
        let limit = p.saturating_sub(MAX_WORD_CHARS).max(self.cut);
        while start > limit && b[start - 1].is_ascii() && !b[start - 1].is_ascii_whitespace() {
            start -= 1;
        }
        if start > limit && !b[start - 1].is_ascii() {
            for (i, ch) in self.text[..start].char_indices().rev().take(MAX_WORD_CHARS) {
                if ch.is_whitespace() || i < self.cut {
                    break;
                }
                start = i;
            }
        }
        let mut end = p;
        for (i, ch) in self.text[start..p].char_indices().rev() {
            if !is_closer(ch) {
                break;
            }
            end = start + i;
        }
        for ch in self.text[start..end].chars() {
            if !is_opener(ch) {
                break;
            }
            start += ch.len_utf8();
        }
        (start, end)
    }

    /// Whether the token before `ws` starts with a lowercase letter ("you and I." but not
    /// "Albert I.").
    fn previous_word_is_lowercase(&self, ws: usize) -> bool {
        let before = self.text[..ws].trim_end();
        let (start, _) = self.word_before(before.len());
        start < before.len()
            && before[start..]
                .chars()
                .next()
                .is_some_and(char::is_lowercase)
    }

    /// Number of whitespace-separated tokens between the sentence start and `ws`, capped.
    fn tokens_before(&self, ws: usize) -> usize {
        let Some(s) = self.sentence_start.filter(|&s| s <= ws) else {
            return usize::MAX;
        };
        if ws - s > 64 {
            return usize::MAX;
        }
        self.text[s..ws].split_whitespace().count()
    }

    /// The rules for a single period, given the first character after it (past openers).
    fn period_ends_sentence(&self, p: usize, first: Option<char>, word_at: usize) -> bool {
        let Some(first) = first else {
            return true;
        };
        // "etc. and", "Co. at noon", "p. 55" continue; pySBD never splits before lowercase.
        if first.is_lowercase() {
            return false;
        }
        let (ws, we) = self.word_before(p);
        if ws >= we {
            return true;
        }
        let word = &self.text[ws..we];
        let digit_next = first.is_ascii_digit();
        let next_word = if first.is_ascii_alphabetic() {
            self.ascii_word_at(word_at)
        } else {
            ""
        };
        if memchr::memchr(b'.', word.as_bytes()).is_some() {
            if !is_dotted_abbreviation(word) {
                // URLs, e-mail addresses, domains and decimals: an ordinary final token.
                return true;
            }
            if word.eq_ignore_ascii_case("e.g") || word.eq_ignore_ascii_case("i.e") {
                return false;
            }
            if word.eq_ignore_ascii_case("a.m") || word.eq_ignore_ascii_case("p.m") {
                return self.clock_time_ends_sentence(ws, first, next_word);
            }
            // "U.S. He" ends, "U.S. Government" and "J.R.R. Tolkien" do not.
            return !digit_next && abbreviations::is_sentence_starter(next_word);
        }
        if word.len() == 1 && word.as_bytes()[0].is_ascii_alphabetic() {
            let letter = word.as_bytes()[0];
            if digit_next || letter.is_ascii_lowercase() || self.is_initial_at(word_at) {
                return false;
            }
            if letter == b'I' && self.previous_word_is_lowercase(ws) {
                // The pronoun: "you and I. Did you".
                return true;
            }
            // An initial ("Jonas E. Smith", "N. Korea") unless a sentence opener follows
            // ("Plan B. The"); "A" and "I" open too many names to count.
            return !matches!(next_word, "A" | "I")
                && abbreviations::is_sentence_starter(next_word);
        }
        // "then-Sen. Obama", "Wels-St. Franziskus": the abbreviation is the last part.
        let last_part = word.rsplit('-').next().unwrap_or(word);
        match abbreviations::classify(last_part) {
            Some(Class::Title | Class::NeverFinal) => false,
            Some(Class::NumberPrefix) => !digit_next,
            Some(Class::CanEnd) => !digit_next && abbreviations::is_sentence_starter(next_word),
            None => true,
        }
    }

    /// "a.m."/"p.m.": a boundary before a capitalised word, unless it continues the time
    /// ("5 p.m. Monday", "10 a.m. ET") or the time opens the sentence ("At 5 a.m. Mr.
    /// Smith went", pySBD golden rule 18): a sentence of at most "At 5 a.m." has no verb.
    fn clock_time_ends_sentence(&self, ws: usize, first: char, next_word: &str) -> bool {
        first.is_uppercase()
            && !abbreviations::is_time_context(next_word)
            && self.tokens_before(ws) > 2
    }

    fn is_initial_at(&self, k: usize) -> bool {
        self.bytes[k..].len() >= 2
            && self.bytes[k].is_ascii_uppercase()
            && self.bytes[k + 1] == b'.'
    }

    /// Whether the terminator before `m` sits inside a quotation that closes within a few
    /// words, with no terminator of its own ('"Are we insisting on it? No".', '"Are we? Yes,"
    /// he said.'): the short fragment cannot stand alone, so the quotation stays one
    /// sentence. Longer multi-sentence quotations are split like any text, as NLTK (the
    /// project's PTC gold) and human annotators do ('"We will go. They won't," he said.').
    fn inside_quote(&self, p: usize, m: usize) -> bool {
        let b = self.bytes;
        // Only a quotation opened in this sentence counts (a cheap SIMD pre-check: most
        // sentences have no quote before their end). One opened in an earlier sentence was
        // already split, so the rule did not apply to it.
        // Bounded, so that a run of protected fragments cannot make this quadratic.
        let start = self
            .sentence_start
            .unwrap_or(self.cut)
            .max(p.saturating_sub(QUOTE_LOOKBEHIND))
            .min(p);
        let has_quote = memchr::memchr2_iter(b'"', 0xE2, &b[start..p]).any(|i| {
            b[start + i] == b'"'
                || matches!(
                    b.get(start + i + 1..start + i + 3),
                    Some([0x80, 0x9C | 0x9D])
                )
        });
        if !has_quote {
            return false;
        }
        let end = (m + QUOTE_LOOKAHEAD).min(b.len());
        let mut k = m;
        let mut words = 1;
        while k < end {
            match b[k] {
                b' ' if k > m && b[k - 1] != b' ' => {
                    words += 1;
                    if words > QUOTE_FRAGMENT_WORDS {
                        return false;
                    }
                }
                b'.' | b'?' | b'!' | b'\n' | b'\r' => return false,
                // A straight quote attached to the word before it closes; one after a space
                // opens a new quotation.
                b'"' => return k > m && !b[k - 1].is_ascii_whitespace(),
                0xE2 if b.get(k + 1) == Some(&0x80) => match b.get(k + 2) {
                    Some(0x9D) => return true,
                    Some(0x9C | 0xA6 | 0xA8 | 0xA9) => return false,
                    _ => {}
                },
                _ => {}
            }
            k += 1;
        }
        false
    }
}

/// Common top-level domains written capitalised ("Amazon.Com", "Booking.Net").
fn is_top_level_domain(word: &[u8]) -> bool {
    const DOMAINS: &[&[u8]] = &[
        b"biz", b"co", b"com", b"edu", b"gov", b"info", b"io", b"net", b"org",
    ];
    word.len() <= 4 && {
        let mut buf = [0u8; 4];
        buf[..word.len()].copy_from_slice(word);
        buf[..word.len()].make_ascii_lowercase();
        DOMAINS.contains(&&buf[..word.len()])
    }
}

/// The length of a footnote mark such as `[1]` or `[12]` at `i`, if there is one.
fn footnote_at(b: &[u8], i: usize) -> Option<usize> {
    if b.get(i) != Some(&b'[') {
        return None;
    }
    let digits = b[i + 1..]
        .iter()
        .take(4)
        .take_while(|c| c.is_ascii_digit())
        .count();
    ((1..=3).contains(&digits) && b.get(i + 1 + digits) == Some(&b']')).then_some(digits + 2)
}

/// "U.S", "U.S.A", "e.g", "a.m", "Ph.D", "J.R.R": segments of one or two letters.
fn is_dotted_abbreviation(word: &str) -> bool {
    word.split('.')
        .all(|s| (1..=2).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphabetic()))
}
