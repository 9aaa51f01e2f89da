//! Rows of the sentence table encoded as CSV records straight from an article's sentences,
//! without building a [`SentenceRow`](crate::rows::SentenceRow) (three strings each) or
//! going through serde: `split` workers encode whole articles in parallel, and the writer
//! only copies the bytes, in input order.
//!
//! The bytes are exactly those [`super::encode_csv`] writes for the same rows (the `csv`
//! crate's defaults): a field is quoted only when it holds `,`, `"`, `\r` or `\n`, a quote
//! inside it doubled; records end with `\n`; numbers in decimal.

use crate::rows::SentenceKind;
use crate::sentences::Sentence;

/// Encodes the sentences of one article, given its id once.
pub struct ArticleCsv {
    /// The id as a CSV field (quoted when it must be).
    id_field: Vec<u8>,
    /// Whether the id needs quotes: the sentence id `{id}:{index}` then does too.
    quoted: bool,
}

impl ArticleCsv {
    /// An encoder for the rows of article `article_id`.
    pub fn new(article_id: &str) -> Self {
        let mut id_field = Vec::with_capacity(article_id.len() + 2);
        let quoted = push_field(&mut id_field, article_id.as_bytes());
        ArticleCsv { id_field, quoted }
    }

    /// Appends the record of sentence `s` to `out`.
    pub fn push(&self, out: &mut Vec<u8>, s: &Sentence<'_>) {
        out.extend_from_slice(&self.id_field);
        out.push(b',');
        // `{id}:{index}`: `:` and digits never need quotes, so it is quoted when the id is.
        if self.quoted {
            out.extend_from_slice(&self.id_field[..self.id_field.len() - 1]);
        } else {
            out.extend_from_slice(&self.id_field);
        }
        out.push(b':');
        push_u64(out, u64::from(s.index));
        if self.quoted {
            out.push(b'"');
        }
        out.push(b',');
        push_u64(out, u64::from(s.index));
        out.push(b',');
        push_u64(out, u64::from(s.paragraph));
        out.push(b',');
        out.extend_from_slice(match s.kind {
            SentenceKind::Title => b"title",
            SentenceKind::Body => b"body",
        });
        out.push(b',');
        push_u64(out, s.start);
        out.push(b',');
        push_u64(out, s.end);
        out.push(b',');
        push_field(out, s.text.as_bytes());
        out.push(b'\n');
    }
}

/// Appends `field` as a CSV field; returns whether it was quoted.
fn push_field(out: &mut Vec<u8>, field: &[u8]) -> bool {
    // Most fields need no quotes: one vectorised search for the four bytes that ask for them.
    if memchr::memchr3(b',', b'"', b'\n', field).is_none() && memchr::memchr(b'\r', field).is_none()
    {
        out.extend_from_slice(field);
        return false;
    }
    out.reserve(field.len() + 4);
    out.push(b'"');
    let mut rest = field;
    while let Some(at) = memchr::memchr(b'"', rest) {
        out.extend_from_slice(&rest[..=at]);
        out.push(b'"');
        rest = &rest[at + 1..];
    }
    out.extend_from_slice(rest);
    out.push(b'"');
    true
}

/// Appends `n` in decimal.
fn push_u64(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str, s: Sentence<'_>) -> String {
        let mut out = Vec::new();
        ArticleCsv::new(id).push(&mut out, &s);
        String::from_utf8(out).unwrap()
    }

    fn sentence(index: u32, kind: SentenceKind, start: u64, text: &str) -> Sentence<'_> {
        Sentence {
            index,
            paragraph: 3,
            kind,
            start,
            end: start + text.chars().count() as u64,
            text,
        }
    }

    #[test]
    fn plain_fields_are_written_as_they_are() {
        // Eight columns, no quotes: "Hi there." is 9 code points, so 120..129.
        let s = sentence(12, SentenceKind::Body, 120, "Hi there.");
        assert_eq!(record("a7", s), "a7,a7:12,12,3,body,120,129,Hi there.\n");
        let s = sentence(0, SentenceKind::Title, 0, "Café");
        assert_eq!(record("x", s), "x,x:0,0,3,title,0,4,Café\n");
    }

    #[test]
    fn fields_with_commas_quotes_or_line_breaks_are_quoted() {
        // `,` `\r` `\n` ask for quotes; a quote inside is doubled (RFC 4180).
        let cases = [
            ("a, b", "\"a, b\""),
            ("say \"no\" now", "\"say \"\"no\"\" now\""),
            ("one\ntwo", "\"one\ntwo\""),
            ("one\rtwo", "\"one\rtwo\""),
            ("\"", "\"\"\"\""),
            ("semi; colon 'single'", "semi; colon 'single'"),
        ];
        for (text, field) in cases {
            let s = sentence(1, SentenceKind::Body, 5, text);
            let end = 5 + text.chars().count();
            assert_eq!(
                record("id", s),
                format!("id,id:1,1,3,body,5,{end},{field}\n"),
                "{text:?}"
            );
        }
    }

    #[test]
    fn an_id_that_needs_quotes_quotes_the_sentence_id_too() {
        // id `a,"b` is written `"a,""b"`, its sentence id `"a,""b:2"`.
        let s = sentence(2, SentenceKind::Body, 0, "X.");
        assert_eq!(
            record("a,\"b", s),
            "\"a,\"\"b\",\"a,\"\"b:2\",2,3,body,0,2,X.\n"
        );
    }

    #[test]
    fn numbers_at_their_limits() {
        let s = Sentence {
            index: u32::MAX,
            paragraph: 0,
            kind: SentenceKind::Body,
            start: 0,
            end: u64::MAX,
            text: "t",
        };
        assert_eq!(
            record("i", s),
            "i,i:4294967295,4294967295,0,body,0,18446744073709551615,t\n"
        );
    }

    #[test]
    fn same_bytes_as_the_serde_encoder() {
        // Every row of some awkward articles, both ways.
        use crate::sentences::{for_each_sentence, sentence_rows};
        let texts = [
            "Title, with comma\n\nHe said \"no.\" Then left.\r\nA line\rB.\n\n\u{FEFF}x, y.",
            "\u{FEFF}\"Quoted\" title\n\n“Curly,” she said. 3.5% rose; U.S. fell.",
            "",
        ];
        for id in ["plain", "with,comma", "with\"quote", "line\nbreak"] {
            for text in texts {
                for has_title in [true, false] {
                    let opts = Default::default();
                    let want = super::super::encode_csv(&sentence_rows(id, text, has_title, &opts))
                        .unwrap();
                    let enc = ArticleCsv::new(id);
                    let mut got = Vec::new();
                    for_each_sentence(text, has_title, &opts, |s| enc.push(&mut got, &s));
                    assert_eq!(
                        String::from_utf8(got).unwrap(),
                        String::from_utf8(want).unwrap()
                    );
                }
            }
        }
    }
}
