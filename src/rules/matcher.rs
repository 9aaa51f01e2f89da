//! Matching articles: candidate generation per kind, then conditions.

use aho_corasick::Input;

use crate::rows::{PredictionRow, SentenceKind};

use super::compile::{CompiledKind, CompiledRule, Matcher};
use super::model::QuotePosition;
use super::text::{
    FxMap, at_word_boundaries, needs_ws_normalization, normalize_ws, quoted_ranges, word_count,
};

/// One sentence of an article, as the matcher sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArticleSentence<'a> {
    /// The sentence id (copied into the output rows).
    pub sentence_id: &'a str,
    /// Title or body.
    pub kind: SentenceKind,
    /// The sentence text.
    pub text: &'a str,
    /// Code-point offset of the sentence in the article.
    pub start: u64,
}

/// A candidate match: rule index and byte range in the sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cand {
    pub(crate) rule: u32,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// Buffers reused across the sentences of one article.
#[derive(Default)]
pub(crate) struct Scratch {
    norm: String,
    map: Vec<usize>,
    lex: Vec<Cand>,
    quotes: Vec<(usize, usize)>,
    /// Per rule: 0 = not evaluated for this sentence, 1 = sentence-level conditions pass, 2 = fail.
    sentence_ok: Vec<u8>,
    touched: Vec<u32>,
}

/// Lazily computed facts about one sentence.
pub(crate) struct SentenceFacts {
    words: Option<usize>,
    quotes_done: bool,
}

impl SentenceFacts {
    pub(crate) fn new() -> Self {
        SentenceFacts {
            words: None,
            quotes_done: false,
        }
    }

    pub(crate) fn words(&mut self, text: &str) -> usize {
        *self.words.get_or_insert_with(|| word_count(text))
    }
}

/// A sentence-level condition that vetoes a match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Veto {
    Kind(SentenceKind),
    MinWords(usize, usize),
    MaxWords(usize, usize),
    Requires(String),
    Unless(String),
    InsideQuotes,
    OutsideQuotes,
}

impl std::fmt::Display for Veto {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Veto::Kind(k) => write!(f, "kind {}", k.as_str()),
            Veto::MinWords(n, w) => write!(f, "min_words {n} (sentence has {w})"),
            Veto::MaxWords(n, w) => write!(f, "max_words {n} (sentence has {w})"),
            Veto::Requires(p) => write!(f, "requires {p:?} (absent)"),
            Veto::Unless(p) => write!(f, "unless {p:?}"),
            Veto::InsideQuotes => write!(f, "inside_quotes"),
            Veto::OutsideQuotes => write!(f, "outside_quotes"),
        }
    }
}

impl Matcher {
    /// Matches every rule against the sentences of ONE article (repetition rules count
    /// across these sentences). Rows come in sentence order, then by start, end and rule id;
    /// identical (rule, span) pairs appear once. Offsets are code points into the article.
    pub fn match_article(&self, sentences: &[ArticleSentence<'_>]) -> Vec<PredictionRow> {
        let mut rows = Vec::new();
        let mut scratch = Scratch {
            sentence_ok: vec![0; self.rules.len()],
            ..Scratch::default()
        };
        let repeated = self.repetition_candidates(sentences);
        let mut cands: Vec<Cand> = Vec::new();
        for (si, s) in sentences.iter().enumerate() {
            cands.clear();
            self.sentence_candidates(s.text, &mut scratch, &mut cands);
            if let Some(rep) = &repeated {
                cands.extend_from_slice(&rep[si]);
            }
            if cands.is_empty() {
                continue;
            }
            let mut facts = SentenceFacts::new();
            for &t in &scratch.touched {
                scratch.sentence_ok[t as usize] = 0;
            }
            scratch.touched.clear();
            let mut kept = 0;
            for i in 0..cands.len() {
                let c = cands[i];
                if self.passes(s, c, &mut facts, &mut scratch) {
                    cands[kept] = c;
                    kept += 1;
                }
            }
            cands.truncate(kept);
            cands.sort_unstable_by_key(|c| (c.start, c.end, self.rank[c.rule as usize]));
            cands.dedup();
            let ascii = s.text.is_ascii();
            // Code points are counted incrementally over the sorted starts.
            let (mut at_byte, mut at_char) = (0usize, 0u64);
            for c in &cands {
                let to_char = |b: usize, from_b: usize, from_c: u64| -> u64 {
                    if ascii {
                        b as u64
                    } else {
                        from_c + s.text[from_b..b].chars().count() as u64
                    }
                };
                let start = to_char(c.start, at_byte, at_char);
                at_byte = c.start;
                at_char = start;
                let end = to_char(c.end, c.start, start);
                let rule = &self.rules[c.rule as usize];
                rows.push(PredictionRow {
                    sentence_id: s.sentence_id.to_owned(),
                    label: rule.label.clone(),
                    rule_id: rule.id.clone(),
                    start: s.start + start,
                    end: s.start + end,
                    matched: s.text[c.start..c.end].to_owned(),
                });
            }
        }
        rows
    }

    /// Whether candidate `c` meets all its rule's conditions (short-circuits).
    fn passes(
        &self,
        s: &ArticleSentence<'_>,
        c: Cand,
        facts: &mut SentenceFacts,
        scratch: &mut Scratch,
    ) -> bool {
        let rule = &self.rules[c.rule as usize];
        let state = scratch.sentence_ok[c.rule as usize];
        let ok = if state == 0 {
            let ok = sentence_vetoes(rule, s, facts, true).is_empty();
            scratch.sentence_ok[c.rule as usize] = if ok { 1 } else { 2 };
            scratch.touched.push(c.rule);
            ok
        } else {
            state == 1
        };
        ok && quote_veto(rule, s.text, c.start, facts, &mut scratch.quotes).is_none()
    }

    /// Candidates of lexicon, regex and shape rules in one sentence (conditions not applied).
    pub(crate) fn sentence_candidates(
        &self,
        text: &str,
        scratch: &mut Scratch,
        out: &mut Vec<Cand>,
    ) {
        if let Some(lex) = &self.lexicon {
            // Whitespace before the first / after the last word never matters.
            let normalize = lex.has_phrases && needs_ws_normalization(text.trim());
            let hay: &str = if normalize {
                normalize_ws(text, &mut scratch.norm, &mut scratch.map);
                &scratch.norm
            } else {
                text
            };
            scratch.lex.clear();
            // Fast probe first (optimised non-overlapping search with prefilters); most
            // sentences have no candidate at all. A match starting before the first-ending
            // match ends at or after it, so it starts at most `max_len` bytes before its end.
            let from = match lex.ac.find(hay) {
                Some(first) => first.end().saturating_sub(lex.max_len),
                None => hay.len() + 1,
            };
            let overlapping = if from <= hay.len() {
                Some(lex.ac.find_overlapping_iter(Input::new(hay).range(from..)))
            } else {
                None
            };
            for m in overlapping.into_iter().flatten() {
                let (hs, he) = (m.start(), m.end());
                for owner in &lex.owners[m.pattern().as_usize()] {
                    if let Some(exact) = &owner.exact
                        && hay[hs..he] != **exact
                    {
                        continue;
                    }
                    if owner.whole_word && !at_word_boundaries(hay, hs, he) {
                        continue;
                    }
                    let (start, end) = if normalize {
                        (scratch.map[hs], scratch.map[he - 1] + 1)
                    } else {
                        (hs, he)
                    };
                    // Extend the end to the end of the last character (mapped per byte).
                    let end = if normalize { ceil_char(text, end) } else { end };
                    scratch.lex.push(Cand {
                        rule: owner.rule,
                        start,
                        end,
                    });
                }
            }
            if !scratch.lex.is_empty() {
                // Within one rule, drop matches contained in a longer match of that rule.
                scratch.lex.sort_unstable_by(|a, b| {
                    (a.rule, a.start, b.end).cmp(&(b.rule, b.start, a.end))
                });
                let mut last: Option<(u32, usize)> = None;
                for c in &scratch.lex {
                    match last {
                        Some((r, max_end)) if r == c.rule && c.end <= max_end => {}
                        _ => {
                            out.push(*c);
                            last = Some((c.rule, c.end));
                        }
                    }
                }
            }
        }
        if let Some(set) = &self.regex_set
            && set.is_match(text)
        {
            for i in set.matches(text).iter() {
                let rule = self.regex_rules[i];
                if let CompiledKind::Regex(re) = &self.rules[rule].kind {
                    for m in re.find_iter(text) {
                        if m.start() < m.end() {
                            out.push(Cand {
                                rule: rule as u32,
                                start: m.start(),
                                end: m.end(),
                            });
                        }
                    }
                }
            }
        }
        for &rule in &self.shape_rules {
            shape_candidates(rule as u32, &self.rules[rule], text, out);
        }
    }

    /// Repetition candidates per sentence, or `None` when the set has no repetition rule.
    pub(crate) fn repetition_candidates(
        &self,
        sentences: &[ArticleSentence<'_>],
    ) -> Option<Vec<Vec<Cand>>> {
        if self.repetition_rules.is_empty() {
            return None;
        }
        let mut out = vec![Vec::new(); sentences.len()];
        let tokens = Tokens::new(sentences);
        for &rule in &self.repetition_rules {
            let CompiledKind::Repetition {
                words,
                min_count,
                min_length,
                stop_words,
            } = &self.rules[rule].kind
            else {
                continue;
            };
            let content: Vec<bool> = tokens
                .vocab
                .iter()
                .map(|&(hash, chars, letter)| {
                    letter && chars as usize >= *min_length && !stop_words.contains(&hash)
                })
                .collect();
            let n = *words;
            let key = |i: usize| -> Option<[u32; 5]> {
                let window = tokens.toks.get(i..i + n)?;
                let sent = window[0].sent;
                let mut k = [u32::MAX; 5];
                for (j, t) in window.iter().enumerate() {
                    if t.sent != sent || !content[t.id as usize] {
                        return None;
                    }
                    k[j] = t.id;
                }
                Some(k)
            };
            // Unigrams count in a vector indexed by token id; longer units in a hash map.
            let mut unigram = vec![0usize; if n == 1 { tokens.vocab.len() } else { 0 }];
            let mut counts: FxMap<[u32; 5], usize> = FxMap::default();
            for i in 0..tokens.toks.len() {
                if let Some(k) = key(i) {
                    if n == 1 {
                        unigram[k[0] as usize] += 1;
                    } else {
                        *counts.entry(k).or_insert(0) += 1;
                    }
                }
            }
            for i in 0..tokens.toks.len() {
                if let Some(k) = key(i)
                    && (if n == 1 {
                        unigram[k[0] as usize]
                    } else {
                        counts[&k]
                    }) >= *min_count
                {
                    let first = &tokens.toks[i];
                    let last = &tokens.toks[i + n - 1];
                    out[first.sent as usize].push(Cand {
                        rule: rule as u32,
                        start: first.start as usize,
                        end: last.end as usize,
                    });
                }
            }
        }
        Some(out)
    }
}

/// Rounds a byte offset up to the next char boundary of `text`.
fn ceil_char(text: &str, mut b: usize) -> usize {
    while b < text.len() && !text.is_char_boundary(b) {
        b += 1;
    }
    b
}

/// Sentence-level vetoes of a rule (kind, word counts, requires, unless), in that order.
/// With `first_only`, stops at the first.
pub(crate) fn sentence_vetoes(
    rule: &CompiledRule,
    s: &ArticleSentence<'_>,
    facts: &mut SentenceFacts,
    first_only: bool,
) -> Vec<Veto> {
    let mut out = Vec::new();
    let c = &rule.conditions;
    if let Some(k) = c.sentence_kind
        && k != s.kind
    {
        out.push(Veto::Kind(k));
        if first_only {
            return out;
        }
    }
    if c.needs_word_count() {
        let w = facts.words(s.text);
        if let Some(n) = c.min_words
            && w < n
        {
            out.push(Veto::MinWords(n, w));
            if first_only {
                return out;
            }
        }
        if let Some(n) = c.max_words
            && w > n
        {
            out.push(Veto::MaxWords(n, w));
            if first_only {
                return out;
            }
        }
    }
    for (p, re) in &c.requires {
        if !re.is_match(s.text) {
            out.push(Veto::Requires(p.clone()));
            if first_only {
                return out;
            }
        }
    }
    for (p, re) in &c.unless {
        if re.is_match(s.text) {
            out.push(Veto::Unless(p.clone()));
            if first_only {
                return out;
            }
        }
    }
    out
}

/// The quote condition's veto for a match starting at byte `start`, if any.
pub(crate) fn quote_veto(
    rule: &CompiledRule,
    text: &str,
    start: usize,
    facts: &mut SentenceFacts,
    quotes: &mut Vec<(usize, usize)>,
) -> Option<Veto> {
    let want = rule.conditions.quotes?;
    if !facts.quotes_done {
        quoted_ranges(text, quotes);
        facts.quotes_done = true;
    }
    let inside = quotes.iter().any(|&(a, b)| a <= start && start < b);
    match (want, inside) {
        (QuotePosition::Inside, false) => Some(Veto::InsideQuotes),
        (QuotePosition::Outside, true) => Some(Veto::OutsideQuotes),
        _ => None,
    }
}

/// Candidates of a shape rule.
fn shape_candidates(rule_index: u32, rule: &CompiledRule, text: &str, out: &mut Vec<Cand>) {
    match &rule.kind {
        CompiledKind::Question | CompiledKind::Exclamation => {
            let trimmed = text.trim_end();
            let core =
                trimmed.trim_end_matches(|c: char| c.is_whitespace() || "\"'”’»)]}".contains(c));
            let tail_start = core.trim_end_matches(|c: char| "?!.…".contains(c)).len();
            let tail = &core[tail_start..];
            let want = if matches!(rule.kind, CompiledKind::Question) {
                '?'
            } else {
                '!'
            };
            if tail.contains(want) {
                let start = text.len() - text.trim_start().len();
                out.push(Cand {
                    rule: rule_index,
                    start,
                    end: trimmed.len().max(start),
                });
            }
        }
        CompiledKind::AllCaps {
            min_caps_words,
            acronyms,
        } => {
            let mut run: Option<(usize, usize, usize)> = None; // (start, end, count)
            let mut flush = |run: &mut Option<(usize, usize, usize)>| {
                if let Some((s, e, n)) = run.take()
                    && n >= *min_caps_words
                {
                    out.push(Cand {
                        rule: rule_index,
                        start: s,
                        end: e,
                    });
                }
            };
            if !has_adjacent_uppercase(text) {
                return;
            }
            let base = text.as_ptr() as usize;
            for token in text.split_whitespace() {
                let core = token.trim_matches(|c: char| !c.is_alphanumeric());
                if core.is_empty() {
                    continue;
                }
                let start = core.as_ptr() as usize - base;
                let end = start + core.len();
                let letters = core.chars().filter(|c| c.is_alphabetic()).count();
                if core.chars().any(char::is_lowercase) {
                    flush(&mut run);
                    continue;
                }
                let bare = core
                    .strip_suffix("'S")
                    .or_else(|| core.strip_suffix("’S"))
                    .unwrap_or(core);
                if letters < 2 || !has_adjacent_uppercase(core) || acronyms.contains(bare) {
                    continue; // neutral
                }
                run = Some(match run {
                    Some((s, _, n)) => (s, end, n + 1),
                    None => (start, end, 1),
                });
            }
            flush(&mut run);
        }
        _ => {}
    }
}

/// Whether two uppercase letters follow each other somewhere in `text`.
fn has_adjacent_uppercase(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut prev_upper = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (upper, len) = if b < 0x80 {
            (b.is_ascii_uppercase(), 1)
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            (c.is_uppercase(), c.len_utf8())
        };
        if upper && prev_upper {
            return true;
        }
        prev_upper = upper;
        i += len;
    }
    false
}

/// Word tokens of an article for repetition rules.
struct Tokens {
    toks: Vec<Tok>,
    /// Per distinct token (indexed by `Tok::id`): hash of the lowercased text, number of
    /// characters, whether it has a letter.
    vocab: Vec<(u64, u32, bool)>,
}

struct Tok {
    sent: u32,
    start: u32,
    end: u32,
    id: u32,
}

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

#[inline]
fn mix(h: u64, x: u64) -> u64 {
    (h.rotate_left(5) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
}

/// Hash of a token's bytes, 8 at a time; with `ascii_lower`, ASCII letters are lowercased
/// on the fly (OR 0x20, exact for tokens made of ASCII letters, digits, `'` and `-`).
#[inline]
fn hash_bytes(bytes: &[u8], ascii_lower: bool) -> u64 {
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

impl Tokens {
    /// Tokens are runs of letters/digits, joined by `'`, `’` or `-` between two of them;
    /// they are compared lowercased, with `’` read as `'`.
    fn new(sentences: &[ArticleSentence<'_>]) -> Tokens {
        let total: usize = sentences.iter().map(|s| s.text.len()).sum();
        let mut toks = Vec::with_capacity(total / 5);
        let mut vocab = Vec::new();
        let mut ids: FxMap<u64, u32> =
            FxMap::with_capacity_and_hasher(total / 16, Default::default());
        for (si, s) in sentences.iter().enumerate() {
            let text = s.text;
            let n = text.len();
            let mut i = 0;
            let bytes = text.as_bytes();
            while i < n {
                let b = bytes[i];
                if b < 0x80 {
                    if !b.is_ascii_alphanumeric() {
                        i += 1;
                        continue;
                    }
                } else {
                    let (c, len) = decode(text, i);
                    if !c.is_alphanumeric() {
                        i += len;
                        continue;
                    }
                }
                let start = i;
                let mut ascii = true;
                loop {
                    while i < n {
                        let b = bytes[i];
                        if b < 0x80 {
                            if !b.is_ascii_alphanumeric() {
                                break;
                            }
                            i += 1;
                            continue;
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
                        if is_joiner(c) && i + len < n && decode(text, i + len).0.is_alphanumeric()
                        {
                            ascii &= len == 1;
                            i += len;
                            continue;
                        }
                    }
                    break;
                }
                let token = &text[start..i];
                let hash = if ascii {
                    hash_bytes(token.as_bytes(), true)
                } else {
                    word_hash(token)
                };
                let next = vocab.len() as u32;
                let id = *ids.entry(hash).or_insert_with(|| {
                    let (chars, letter) = if ascii {
                        (token.len(), token.bytes().any(|b| b.is_ascii_alphabetic()))
                    } else {
                        (
                            token.chars().count(),
                            token.chars().any(char::is_alphabetic),
                        )
                    };
                    vocab.push((hash, chars as u32, letter));
                    next
                });
                toks.push(Tok {
                    sent: si as u32,
                    start: start as u32,
                    end: i as u32,
                    id,
                });
            }
        }
        Tokens { toks, vocab }
    }
}
