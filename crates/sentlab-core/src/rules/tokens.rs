//! Word tokens of an article for repetition rules: runs of letters and digits (joined by
//! an apostrophe or a hyphen between two of them), found eight bytes at a time.

use super::swar;
use super::text::{FxMap, hash_bytes, word_hash};

/// Word tokens of an article for repetition rules.
pub(super) struct Tokens {
    pub(super) toks: Vec<Tok>,
    /// Per distinct token (indexed by `Tok::id`): hash of the lowercased text, number of
    /// characters, whether it has a letter.
    pub(super) vocab: Vec<(u64, u32, bool)>,
}

/// A token that may be content for some rule (see [`Tokens::new`]).
pub(super) struct Tok {
    pub(super) sent: u32,
    pub(super) start: u32,
    pub(super) end: u32,
    pub(super) id: u32,
    /// Whether the previous token of the sentence is the previous `Tok` (no token that is
    /// content for no rule lies between them).
    pub(super) joined: bool,
}

/// Byte classes for the tokenizer: 0 ASCII non-alphanumeric, 1 ASCII digit, 2 non-ASCII,
/// 3 ASCII letter.
static BYTE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c >= 0x80 {
            2
        } else if c.is_ascii_digit() {
            1
        } else if c.is_ascii_alphabetic() {
            3
        } else {
            0
        };
        b += 1;
    }
    t
};

/// The char at byte `i` of `text` and its length (fast for ASCII).
#[inline]
fn decode(text: &str, i: usize) -> (char, usize) {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        (b as char, 1)
    } else {
        let c = text[i..].chars().next().unwrap_or(' ');
        (c, c.len_utf8())
    }
}

/// Whether `c` may join two alphanumeric runs inside a word (`don't`, `so-called`).
fn is_joiner(c: char) -> bool {
    matches!(c, '\'' | '’' | '-')
}

impl Tokens {
    /// Tokens are runs of letters/digits, joined by `'`, `’` or `-` between two of them;
    /// they are compared lowercased, with `’` read as `'`.
    /// ASCII tokens with fewer than `min_chars` characters or without a letter are content
    /// for no rule: they are left out (the next token is then not `joined`). Without
    /// `isolated`, tokens joined to no kept neighbour are left out too (no unit of two or
    /// more words holds them).
    pub(super) fn new(texts: &[&str], min_chars: usize, isolated: bool) -> Tokens {
        let total: usize = texts.iter().map(|t| t.len()).sum();
        let mut b = TokenBuilder {
            toks: Vec::with_capacity(total / if min_chars > 3 { 32 } else { 5 }),
            vocab: Vec::new(),
            ids: FxMap::with_capacity_and_hasher(total / 16, Default::default()),
            min_chars,
            isolated,
            pending: None,
        };
        let mut masks = WordMasks::default();
        for (si, text) in texts.iter().enumerate() {
            if min_chars <= WordMasks::MAX_MIN_CHARS {
                b.masked_sentence(si as u32, text, &mut masks);
            } else {
                b.sentence(si as u32, text);
            }
        }
        Tokens {
            toks: b.toks,
            vocab: b.vocab,
        }
    }
}

/// [`Tokens`] being built.
struct TokenBuilder {
    toks: Vec<Tok>,
    vocab: Vec<(u64, u32, bool)>,
    ids: FxMap<u64, u32>,
    min_chars: usize,
    /// Whether tokens joined to no kept neighbour are kept.
    isolated: bool,
    /// Without `isolated`: the last kept token (start, end, ASCII) while no token followed it,
    /// added only when the next one joins it.
    pending: Option<(usize, usize, bool)>,
}

impl TokenBuilder {
    /// Keeps a token: adds it, or without `isolated` adds it once a neighbour joins it.
    #[inline]
    fn push(&mut self, sent: u32, text: &str, start: usize, end: usize, ascii: bool, joined: bool) {
        if self.isolated {
            self.add(sent, text, start, end, ascii, joined);
        } else if joined {
            // The previous token lies in the same sentence (`joined` never crosses one).
            if let Some((s, e, a)) = self.pending.take() {
                self.add(sent, text, s, e, a, false);
            }
            self.add(sent, text, start, end, ascii, true);
        } else {
            // A pending token that nothing joined is dropped.
            self.pending = Some((start, end, ascii));
        }
    }

    /// Adds a token (its vocabulary entry too, on first sight).
    #[inline]
    fn add(&mut self, sent: u32, text: &str, start: usize, end: usize, ascii: bool, joined: bool) {
        let token = &text[start..end];
        let hash = if ascii {
            hash_bytes(token.as_bytes(), true)
        } else {
            word_hash(token)
        };
        let next = self.vocab.len() as u32;
        let vocab = &mut self.vocab;
        // An ASCII token shares its lowercase form (so its length and letters) with every
        // token of the same hash; others keep the facts of the first occurrence, as the
        // vocabulary records them.
        let id = *self.ids.entry(hash).or_insert_with(|| {
            let (chars, letter) = if ascii {
                (token.len(), true)
            } else {
                (
                    token.chars().count(),
                    token.chars().any(char::is_alphabetic),
                )
            };
            vocab.push((hash, chars as u32, letter));
            next
        });
        self.toks.push(Tok {
            sent,
            start: start as u32,
            end: end as u32,
            id,
            joined,
        });
    }

    /// The tokens of any sentence, a character at a time (for `min_chars` above
    /// [`WordMasks::MAX_MIN_CHARS`]; tests check [`Self::masked_sentence`] against it).
    fn sentence(&mut self, sent: u32, text: &str) {
        let n = text.len();
        let mut i = 0;
        let bytes = text.as_bytes();
        let mut joined = false;
        while i < n {
            match BYTE_CLASS[bytes[i] as usize] {
                0 => {
                    i += 1;
                    continue;
                }
                2 => {
                    let (c, len) = decode(text, i);
                    if !c.is_alphanumeric() {
                        i += len;
                        continue;
                    }
                }
                _ => {}
            }
            let start = i;
            let mut ascii = true;
            let mut ascii_letter = 0u8;
            loop {
                while i < n {
                    let class = BYTE_CLASS[bytes[i] as usize];
                    if class & 1 != 0 {
                        ascii_letter |= class >> 1;
                        i += 1;
                        continue;
                    }
                    if class == 0 {
                        break;
                    }
                    let (c, len) = decode(text, i);
                    if !c.is_alphanumeric() {
                        break;
                    }
                    ascii = false;
                    i += len;
                }
                if i < n {
                    let (c, len) = decode(text, i);
                    if is_joiner(c) && i + len < n && decode(text, i + len).0.is_alphanumeric() {
                        ascii &= len == 1;
                        i += len;
                        continue;
                    }
                }
                break;
            }
            if ascii && (i - start < self.min_chars || ascii_letter == 0) {
                joined = false;
                continue;
            }
            self.push(sent, text, start, i, ascii, joined);
            joined = true;
        }
    }

    /// The tokens of a sentence, the same as [`Self::sentence`] finds, from bit masks built
    /// eight bytes at a time: only tokens of at least `min_chars` bytes or with a non-ASCII
    /// byte are visited one by one.
    fn masked_sentence(&mut self, sent: u32, text: &str, masks: &mut WordMasks) {
        masks.build(text, self.min_chars);
        let mut at = 0;
        // End of the last kept token, while no other token followed it.
        let mut kept_end: Option<usize> = None;
        while let Some(p) = next_one(&masks.visit, at) {
            let start = run_start(&masks.word, p);
            let end = next_zero(&masks.word, p);
            let joined = kept_end.is_some_and(|e| !any_one(&masks.starts, e, start));
            let ascii = !any_one(&masks.non_ascii, start, end);
            let keep =
                !ascii || (end - start >= self.min_chars && any_one(&masks.letter, start, end));
            if keep {
                self.push(sent, text, start, end, ascii, joined);
                kept_end = Some(end);
            } else {
                kept_end = None;
            }
            at = end;
        }
    }
}

/// Bit masks of a sentence, bit `i % 64` of word `i / 64` for byte `i`.
#[derive(Default)]
struct WordMasks {
    /// Bytes of letters and digits (every byte of a non-ASCII one).
    alnum: Vec<u64>,
    /// ASCII letters.
    letter: Vec<u64>,
    /// `'` and `-`.
    joiner: Vec<u64>,
    /// Non-ASCII bytes.
    non_ascii: Vec<u64>,
    /// First byte and length of each non-ASCII joiner (`’`).
    wide_joiners: Vec<(usize, usize)>,
    /// Bytes of tokens: letters and digits, and joiners between two of them.
    word: Vec<u64>,
    /// First bytes of tokens.
    starts: Vec<u64>,
    /// Where a token may be kept: bytes that begin `min_chars` word bytes in a row (a
    /// token's first byte is one exactly when the token is that long), and the non-ASCII
    /// bytes of tokens.
    visit: Vec<u64>,
}

/// Sets the bits `from..from + len`.
#[inline]
fn set_bits(mask: &mut [u64], from: usize, len: usize) {
    for i in from..from + len {
        mask[i / 64] |= 1 << (i % 64);
    }
}

/// Whether bit `i` is set (bits past the end are not).
#[inline]
fn bit(mask: &[u64], i: usize) -> bool {
    mask.get(i / 64).is_some_and(|w| w >> (i % 64) & 1 != 0)
}

impl WordMasks {
    /// The longest `min_chars` the masks handle (a window within two 64-bit words).
    const MAX_MIN_CHARS: usize = 64;

    fn build(&mut self, text: &str, min_chars: usize) {
        assert!(
            min_chars <= Self::MAX_MIN_CHARS,
            "windows of at most two words"
        );
        let bytes = text.as_bytes();
        let blocks = bytes.len().div_ceil(64);
        for m in [
            &mut self.alnum,
            &mut self.letter,
            &mut self.joiner,
            &mut self.non_ascii,
        ] {
            m.clear();
            m.resize(blocks, 0);
        }
        self.wide_joiners.clear();
        for (c, chunk) in bytes.chunks(8).enumerate() {
            let mut x = swar::load(chunk);
            let (block, shift) = (c / 8, (c % 8) * 8);
            let high = x & 0x8080_8080_8080_8080;
            if high != 0 {
                let mut lead = swar::pack(high);
                self.non_ascii[block] |= u64::from(lead) << shift;
                // Characters are decoded at their first byte (which may set bits in the next
                // chunk); continuation bytes are skipped.
                while lead != 0 {
                    let i = c * 8 + lead.trailing_zeros() as usize;
                    lead &= lead - 1;
                    if bytes[i] >= 0xc0
                        && let Some(ch) = text[i..].chars().next()
                    {
                        if ch.is_alphanumeric() {
                            set_bits(&mut self.alnum, i, ch.len_utf8());
                        } else if is_joiner(ch) {
                            self.wide_joiners.push((i, ch.len_utf8()));
                        }
                    }
                }
                // The ASCII classes below see the non-ASCII bytes as zero bytes.
                x &= !((high >> 7) * 0xff);
            }
            let letter = swar::pack(swar::in_range(x | 0x2020_2020_2020_2020, b'a', b'z'));
            let digit = swar::pack(swar::in_range(x, b'0', b'9'));
            let join = swar::pack(swar::in_range(x, b'\'', b'\'') | swar::in_range(x, b'-', b'-'));
            self.alnum[block] |= u64::from(letter | digit) << shift;
            self.letter[block] |= u64::from(letter) << shift;
            self.joiner[block] |= u64::from(join) << shift;
        }
        // A joiner is a word byte between two letters or digits.
        let alnum = &self.alnum;
        self.word.clear();
        self.word.extend((0..blocks).map(|b| {
            let before = alnum[b] << 1 | if b > 0 { alnum[b - 1] >> 63 } else { 0 };
            let after = alnum[b] >> 1 | alnum.get(b + 1).map_or(0, |n| n << 63);
            alnum[b] | (self.joiner[b] & before & after)
        }));
        for &(i, len) in &self.wide_joiners {
            if i > 0 && bit(alnum, i - 1) && bit(alnum, i + len) {
                set_bits(&mut self.word, i, len);
            }
        }
        let word = &self.word;
        self.starts.clear();
        self.starts.extend((0..blocks).map(|b| {
            let before = word[b] << 1 | if b > 0 { word[b - 1] >> 63 } else { 0 };
            word[b] & !before
        }));
        self.visit.clear();
        self.visit.extend((0..blocks).map(|b| {
            let w = u128::from(word[b]) | u128::from(word.get(b + 1).copied().unwrap_or(0)) << 64;
            let mut run = w;
            for k in 1..min_chars.max(1) {
                run &= w >> k;
            }
            run as u64 | (word[b] & self.non_ascii[b])
        }));
    }
}

/// The first bit of the run of set bits that holds bit `i` (which is set).
#[inline]
fn run_start(mask: &[u64], i: usize) -> usize {
    let mut b = i / 64;
    // The unset bits at or below `i`, as set bits.
    let mut w = !mask[b] & (!0u64 >> (63 - i % 64));
    loop {
        if w != 0 {
            return b * 64 + 64 - w.leading_zeros() as usize;
        }
        if b == 0 {
            return 0;
        }
        b -= 1;
        w = !mask[b];
    }
}

/// The first set bit at or after `from`.
#[inline]
fn next_one(mask: &[u64], from: usize) -> Option<usize> {
    let mut b = from / 64;
    let mut w = mask.get(b)? & (!0u64 << (from % 64));
    loop {
        if w != 0 {
            return Some(b * 64 + w.trailing_zeros() as usize);
        }
        b += 1;
        w = *mask.get(b)?;
    }
}

/// The first unset bit at or after `from` (the mask's length in bits when none).
#[inline]
fn next_zero(mask: &[u64], from: usize) -> usize {
    let mut b = from / 64;
    let Some(&first) = mask.get(b) else {
        return from;
    };
    let mut w = !first & (!0u64 << (from % 64));
    loop {
        if w != 0 {
            return b * 64 + w.trailing_zeros() as usize;
        }
        b += 1;
        match mask.get(b) {
            Some(&m) => w = !m,
            None => return b * 64,
        }
    }
}

/// Whether a bit in `from..to` is set.
#[inline]
fn any_one(mask: &[u64], from: usize, to: usize) -> bool {
    from < to && next_one(mask, from).is_some_and(|i| i < to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Tokens (sentence, start, end, id * 2 + joined) and vocabulary.
    type Found = (Vec<[u32; 4]>, Vec<(u64, u32, bool)>);

    /// Tokens of `texts` (one sentence each) by both tokenizers.
    fn both(texts: &[String], min_chars: usize, isolated: bool) -> [Found; 2] {
        [false, true].map(|masked| {
            let mut b = TokenBuilder {
                toks: Vec::new(),
                vocab: Vec::new(),
                ids: FxMap::default(),
                min_chars,
                isolated,
                pending: None,
            };
            let mut masks = WordMasks::default();
            for (si, t) in texts.iter().enumerate() {
                if masked {
                    b.masked_sentence(si as u32, t, &mut masks);
                } else {
                    b.sentence(si as u32, t);
                }
            }
            let toks = b
                .toks
                .iter()
                .map(|t| [t.sent, t.start, t.end, t.id * 2 + u32::from(t.joined)])
                .collect();
            (toks, b.vocab)
        })
    }

    #[test]
    fn masked_tokenizer_finds_the_tokens_of_the_character_loop() {
        let texts: Vec<String> = [
            "Don't call it a so-called \"crisis\" -- it's a catastrophe, a CATASTROPHE!",
            "The government’s propaganda-machine isn’t working; 12345678 abcdefgh 1a2b3c4d.",
            "Ça coûte 3€ — l’été à Zürich: naïve résumé, straße’s end-to-end 'quoted' x-",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnop-qrstuvwxyzabcdefghijkl",
            "", "-", "’", "a’b", "a-’b", "ab - cd", "é", "😀abc😀defghijkl",
        ]
        .map(String::from)
        .to_vec();
        for min in [0, 1, 2, 3, 4, 8, 9, 12, 63, 64] {
            for isolated in [true, false] {
                let [chars, masked] = both(&texts, min, isolated);
                assert_eq!(masked, chars, "min_chars {min}");
            }
        }
        // Spot checks against hand-counted tokens, min_chars 8: `so-called` (9 bytes) is one
        // token; `government’s` (14 bytes) one non-ASCII token, kept as `isn’t` (7 bytes) is:
        // the length limit is for ASCII tokens; `12345678` has no letter.
        let [_, (toks, _)] = both(&texts[..2], 8, true);
        let words: Vec<&str> = toks
            .iter()
            .map(|t| &texts[t[0] as usize][t[1] as usize..t[2] as usize])
            .collect();
        assert_eq!(
            words,
            [
                "so-called",
                "catastrophe",
                "CATASTROPHE",
                "government’s",
                "propaganda-machine",
                "isn’t",
                "abcdefgh",
                "1a2b3c4d"
            ]
        );
        // `catastrophe` follows `a` (a dropped token): not joined; `CATASTROPHE` follows `a`
        // too. `propaganda-machine` follows `government’s` directly: joined, and so is
        // `isn’t`; `working` (7 bytes) and `12345678` are dropped between the others.
        let joined: Vec<bool> = toks.iter().map(|t| t[3] % 2 == 1).collect();
        assert_eq!(
            joined,
            [false, false, false, false, true, true, false, true]
        );
        // Without isolated tokens: only the joined pairs are left, the first of each not
        // joined (`government’s propaganda-machine isn’t`, `abcdefgh 1a2b3c4d`).
        let [_, (toks, _)] = both(&texts[..2], 8, false);
        let kept: Vec<(u32, bool)> = toks.iter().map(|t| (t[1], t[3] % 2 == 1)).collect();
        let starts = |w: &str| texts[1].find(w).expect("in text 1") as u32;
        assert_eq!(
            kept,
            [
                (starts("government"), false),
                (starts("propaganda"), true),
                (starts("isn"), true),
                (starts("abcdefgh"), false),
                (starts("1a2b"), true)
            ]
        );
    }

    proptest! {
        #[test]
        fn masked_tokenizer_matches_the_character_loop(
            parts in proptest::collection::vec(
                "[a-zA-Z0-9]{0,12}|[ '\\-’.,\"]{1,3}|[éÉß€—😀\u{a0}\u{301}]|[a-z]{1,5}[’'\\-][a-z]{1,5}",
                0..40,
            ),
            min in 0usize..12,
        ) {
            let text: String = parts.concat();
            for isolated in [true, false] {
                let [chars, masked] = both(std::slice::from_ref(&text), min, isolated);
                prop_assert_eq!(masked, chars);
            }
        }
    }
}
