//! Text helpers: word boundaries, whitespace normalisation, quotes, inflection, word lists.

use crate::hash::mix;

/// A character that is part of a word for whole-word matching and word counts.
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether the byte range `[start, end)` of `text` starts and ends at word boundaries.
pub(crate) fn at_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let first = text[start..end].chars().next();
    let last = text[start..end].chars().next_back();
    let left_ok = !(before.is_some_and(is_word_char) && first.is_some_and(is_word_char));
    let right_ok = !(after.is_some_and(is_word_char) && last.is_some_and(is_word_char));
    left_ok && right_ok
}

/// Number of words in a sentence: whitespace-separated tokens with at least one letter or digit.
pub(crate) fn word_count(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut count = 0;
    let mut counted = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (space, alnum, len) = if b < 0x80 {
            (
                b.is_ascii_whitespace() || b == 0x0b,
                b.is_ascii_alphanumeric(),
                1,
            )
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            (c.is_whitespace(), c.is_alphanumeric(), c.len_utf8())
        };
        if space {
            counted = false;
        } else if alnum && !counted {
            count += 1;
            counted = true;
        }
        i += len;
    }
    count
}

/// Whether the text has whitespace other than single ASCII spaces (so phrases need normalising).
pub(crate) fn needs_ws_normalization(text: &str) -> bool {
    super::swar::needs_ws_normalization(text)
}

/// Writes `text` with every whitespace run collapsed to one ASCII space into `out`, and
/// for every byte of `out` (plus one past the end) the byte offset in `text` into `map`.
pub(crate) fn normalize_ws(text: &str, out: &mut String, map: &mut Vec<usize>) {
    out.clear();
    map.clear();
    let mut in_ws = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if !in_ws {
                out.push(' ');
                map.push(i);
            }
            in_ws = true;
        } else {
            in_ws = false;
            out.push(c);
            map.extend(i..i + c.len_utf8());
        }
    }
    map.push(text.len());
}

/// Quoted passages of a sentence as byte ranges (quote marks included).
///
/// - `"` toggles (an unclosed one runs to the end of the sentence);
/// - `“` opens and `”` closes; a `”` with no opener closes a passage that began before
///   the sentence (the passage runs from the sentence start);
/// - `‘` opens only at the start or after whitespace/opening punctuation, and `’` closes only
///   when not followed by a letter or digit (so apostrophes as in `don’t` are ignored).
pub(crate) fn quoted_ranges(text: &str, out: &mut Vec<(usize, usize)>) {
    out.clear();
    let mut straight: Option<usize> = None;
    let mut curly: Option<usize> = None;
    let mut single: Option<usize> = None;
    let mut prev: Option<char> = None;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let next = iter.peek().map(|&(_, n)| n);
        let end = i + c.len_utf8();
        match c {
            '"' => match straight.take() {
                Some(s) => out.push((s, end)),
                None => straight = Some(i),
            },
            '“' if curly.is_none() => curly = Some(i),
            '”' => match curly.take() {
                Some(s) => out.push((s, end)),
                None => {
                    if out.is_empty() && straight.is_none() {
                        out.push((0, end));
                    }
                }
            },
            '‘' => {
                let opening_ctx = prev.is_none_or(|p| p.is_whitespace() || "([{\"“—–-".contains(p));
                if single.is_none() && opening_ctx {
                    single = Some(i);
                }
            }
            '’' => {
                if let Some(s) = single
                    && !next.is_some_and(char::is_alphanumeric)
                {
                    out.push((s, end));
                    single = None;
                }
            }
            _ => {}
        }
        prev = Some(c);
    }
    for s in [straight, curly, single].into_iter().flatten() {
        out.push((s, text.len()));
    }
}

/// Simple English inflections of an entry (the last word of a phrase is inflected).
///
/// Always: the entry, `+s`, `+es`, `+ed`, `+ing`. Ending in `e`: `+d` and `e`→`ing`
/// (`move`: `moved`, `moving`). Ending in consonant+`y`: `y`→`ies`, `y`→`ied`
/// (`bully`: `bullies`, `bullied`). Ending consonant-vowel-consonant (not w/x/y): also the
/// doubled consonant `+ed`/`+ing` (`stop`: `stopped`, `stopping`).
pub(crate) fn inflections(entry: &str) -> Vec<String> {
    let mut out = vec![entry.to_owned()];
    let last = entry.chars().next_back();
    if !last.is_some_and(char::is_alphabetic) {
        return out;
    }
    for suffix in ["s", "es", "ed", "ing"] {
        out.push(format!("{entry}{suffix}"));
    }
    let chars: Vec<char> = entry.chars().collect();
    let n = chars.len();
    let is_vowel = |c: char| "aeiouAEIOU".contains(c);
    if n >= 2 && matches!(chars[n - 1], 'e' | 'E') {
        let stem: String = chars[..n - 1].iter().collect();
        out.push(format!("{entry}d"));
        out.push(format!("{stem}ing"));
    }
    if n >= 2 && matches!(chars[n - 1], 'y' | 'Y') && !is_vowel(chars[n - 2]) {
        let stem: String = chars[..n - 1].iter().collect();
        out.push(format!("{stem}ies"));
        out.push(format!("{stem}ied"));
    }
    if n >= 3 {
        let (a, b, c) = (chars[n - 3], chars[n - 2], chars[n - 1]);
        if a.is_alphabetic()
            && !is_vowel(a)
            && is_vowel(b)
            && c.is_alphabetic()
            && !is_vowel(c)
            && !"wxyWXY".contains(c)
        {
            out.push(format!("{entry}{c}ed"));
            out.push(format!("{entry}{c}ing"));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Builtin English stop words for repetition rules (lowercase).
pub(crate) const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "aren't",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "can't",
    "cannot",
    "could",
    "couldn't",
    "did",
    "didn't",
    "do",
    "does",
    "doesn't",
    "doing",
    "don't",
    "down",
    "during",
    "each",
    "even",
    "ever",
    "every",
    "few",
    "for",
    "from",
    "further",
    "get",
    "got",
    "had",
    "hadn't",
    "has",
    "hasn't",
    "have",
    "haven't",
    "having",
    "he",
    "he'd",
    "he'll",
    "he's",
    "her",
    "here",
    "here's",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "how's",
    "however",
    "i",
    "i'd",
    "i'll",
    "i'm",
    "i've",
    "if",
    "in",
    "into",
    "is",
    "isn't",
    "it",
    "it's",
    "its",
    "itself",
    "just",
    "let's",
    "like",
    "made",
    "make",
    "many",
    "may",
    "me",
    "might",
    "more",
    "most",
    "much",
    "must",
    "mustn't",
    "my",
    "myself",
    "never",
    "new",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "ought",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "per",
    "said",
    "same",
    "say",
    "says",
    "shall",
    "shan't",
    "she",
    "she'd",
    "she'll",
    "she's",
    "should",
    "shouldn't",
    "since",
    "so",
    "some",
    "such",
    "than",
    "that",
    "that's",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "there's",
    "these",
    "they",
    "they'd",
    "they'll",
    "they're",
    "they've",
    "this",
    "those",
    "though",
    "through",
    "to",
    "too",
    "two",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "very",
    "was",
    "wasn't",
    "we",
    "we'd",
    "we'll",
    "we're",
    "we've",
    "well",
    "were",
    "weren't",
    "what",
    "what's",
    "when",
    "when's",
    "where",
    "where's",
    "whether",
    "which",
    "while",
    "who",
    "who's",
    "whom",
    "whose",
    "why",
    "why's",
    "will",
    "with",
    "within",
    "without",
    "won't",
    "would",
    "wouldn't",
    "yet",
    "you",
    "you'd",
    "you'll",
    "you're",
    "you've",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// Builtin acronyms for `all_caps` (uppercase); they neither count nor break a caps run.
pub(crate) const ACRONYMS: &[&str] = &[
    "US", "USA", "UK", "UN", "EU", "FBI", "CIA", "NSA", "NATO", "DOJ", "DHS", "ICE", "IRS", "CNN",
    "BBC", "NBC", "CBS", "ABC", "MSNBC", "NPR", "NYT", "CDC", "NASA", "GOP", "DNC", "RNC", "TV",
    "AI", "CEO", "MP", "MPS", "PM", "NHS", "ISIS", "ISIL", "KGB", "FSB", "GDP", "OK", "DC", "LA",
    "NYC", "USSR", "IMF", "WTO", "OPEC", "UFO", "DNA", "COVID", "SARS", "HIV", "AIDS", "LGBT",
    "LGBTQ", "ID", "PC", "PR", "VP", "II", "III", "IV", "EST", "GMT", "BLM", "MAGA", "ACLU", "NRA",
    "SEC", "FDA", "EPA", "DOD",
];

/// The hash map and set of the rule engine (see [`crate::hash`]).
pub(crate) use crate::hash::{FxHashMap as FxMap, FxHashSet as FxSet};

/// Hash of a token's bytes, 8 at a time; with `ascii_lower`, ASCII letters are lowercased
/// on the fly (OR 0x20, exact for tokens made of ASCII letters, digits, `'` and `-`).
#[inline]
pub(crate) fn hash_bytes(bytes: &[u8], ascii_lower: bool) -> u64 {
    let mask = if ascii_lower {
        0x2020_2020_2020_2020u64
    } else {
        0
    };
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = mix(h, u64::from_le_bytes(w) | mask);
    }
    let rem = chunks.remainder();
    if !rem.is_empty() {
        let mut w = [0u8; 8];
        for (d, &b) in w.iter_mut().zip(rem) {
            *d = if ascii_lower { b | 0x20 } else { b };
        }
        h = mix(h, u64::from_le_bytes(w));
    }
    mix(h, bytes.len() as u64)
}

/// 64-bit hash of a word's lowercase form (`’` read as `'`); repetition rules compare words
/// by it (collisions between real words are practically impossible: for words of up to 8
/// bytes the hash is injective per length).
pub(crate) fn word_hash(word: &str) -> u64 {
    let ascii_token = word
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'\'' || b == b'-');
    if ascii_token {
        return hash_bytes(word.as_bytes(), true);
    }
    let mut lower = String::with_capacity(word.len());
    for c in word.chars() {
        match c {
            '’' => lower.push('\''),
            c => lower.extend(c.to_lowercase()),
        }
    }
    hash_bytes(lower.as_bytes(), false)
}
