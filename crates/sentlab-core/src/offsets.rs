//! Byte offset <-> Unicode code point offset mapping.
//!
//! sentlab works in bytes internally and reports code points (what Python's `str` indexes)
//! at the edges, as the PTC span files do.

/// Number of code points in `bytes`, which must be valid UTF-8 (counts non-continuation bytes).
pub fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

/// Converts increasing byte offsets of one text to code point offsets in a single pass.
///
/// Each call continues from the previous offset, so converting every sentence boundary of an
/// article costs one scan of the article. Going backwards restarts from the beginning.
#[derive(Debug)]
pub struct CodePointCursor<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> CodePointCursor<'a> {
    /// A cursor at the start of `text`.
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            byte: 0,
            chars: 0,
        }
    }

    /// The code point offset of byte offset `byte` (which must lie on a char boundary).
    pub fn to_chars(&mut self, byte: usize) -> usize {
        assert!(
            self.text.is_char_boundary(byte),
            "byte offset {byte} is not a char boundary"
        );
        if byte < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        // `str::chars().count()` counts a word of bytes at a time.
        self.chars += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}

/// The byte offset of code point offset `chars` in `text`, or `None` when the text is shorter.
pub fn char_to_byte(text: &str, chars: usize) -> Option<usize> {
    if chars == 0 {
        return Some(0);
    }
    match text.char_indices().nth(chars) {
        Some((byte, _)) => Some(byte),
        None if text.chars().count() == chars => Some(text.len()),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_multibyte_characters_once() {
        // “ is 3 bytes, é is 2, the emoji 4: 7 code points in 14 bytes.
        let text = "“é” 😀 a";
        assert_eq!(text.len(), 15);
        assert_eq!(count_chars(text.as_bytes()), 7);
    }

    #[test]
    fn cursor_matches_python_indices() {
        // In Python: s = "“Hi,” said José. Bye"; s.index("said") == 6, s.index("Bye") == 17
        let text = "“Hi,” said José. Bye";
        let mut cursor = CodePointCursor::new(text);
        assert_eq!(cursor.to_chars(text.find("said").unwrap()), 6);
        assert_eq!(cursor.to_chars(text.find("Bye").unwrap()), 17);
        assert_eq!(cursor.to_chars(text.len()), 20);
        // Going back restarts correctly.
        assert_eq!(cursor.to_chars(text.find("said").unwrap()), 6);
    }

    #[test]
    fn crlf_counts_as_two_code_points() {
        let text = "a\r\nb";
        let mut cursor = CodePointCursor::new(text);
        assert_eq!(cursor.to_chars(3), 3);
    }

    #[test]
    fn char_to_byte_round_trips() {
        let text = "é“x”";
        assert_eq!(char_to_byte(text, 0), Some(0));
        assert_eq!(char_to_byte(text, 1), Some(2));
        assert_eq!(char_to_byte(text, 2), Some(5));
        assert_eq!(char_to_byte(text, 4), Some(text.len()));
        assert_eq!(char_to_byte(text, 5), None);
    }
}
