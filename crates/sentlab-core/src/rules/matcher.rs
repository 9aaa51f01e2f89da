//! Matching articles: candidate generation per kind, then conditions.

use aho_corasick::Input;

use crate::rows::{PredictionRef, PredictionRow, SentenceKind};

use super::compile::{CompiledKind, CompiledRule, LexiconAutomaton, Matcher};
use super::model::QuotePosition;
use super::prefilter::has_non_ascii_word_char;
use super::swar;
use super::text::{
    FxMap, at_word_boundaries, hash_bytes, needs_ws_normalization, normalize_ws, quoted_ranges,
    word_count, word_hash,
};
use super::trie::LexMatch;

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

/// A prediction of [`Matcher::article_hits`]: sentence (index in the article's sentences),
/// rule, code-point offsets in the article, byte range of the match in the sentence text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Index of the sentence in the slice given to the matcher.
    pub sentence: u32,
    /// Index of the rule.
    pub rule: u32,
    /// Code-point offset of the match in the article.
    pub start: u64,
    /// Code-point offset one past the match.
    pub end: u64,
    /// Byte range of the match in the sentence text.
    pub bytes: (u32, u32),
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
    /// Per prefiltered regex: whether one of its literals occurs in the sentence.
    regex_hit: Vec<bool>,
    /// Lexicon automaton matches of one sentence.
    lex_matches: Vec<LexMatch>,
}

/// Every (overlapping) match of the lexicon automaton in each of `texts` (`LexMatch::text`
/// is the index in `texts`), by text, then end.
pub(crate) fn lexicon_matches(ac: &LexiconAutomaton, texts: &[&[u8]], out: &mut Vec<LexMatch>) {
    match ac {
        LexiconAutomaton::Dense(dfa) => dfa.matches(texts, out),
        LexiconAutomaton::Trie(trie) => trie.find(texts, out),
        LexiconAutomaton::Other(ac) => {
            for (t, text) in texts.iter().enumerate() {
                for m in ac.find_overlapping_iter(Input::new(text)) {
                    out.push(LexMatch {
                        text: t as u32,
                        pattern: m.pattern().as_u32(),
                        start: m.start() as u32,
                        end: m.end() as u32,
                    });
                }
            }
        }
    }
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
        self.article_hits(sentences)
            .iter()
            .map(|h| self.prediction(sentences, h).to_row())
            .collect()
    }

    /// The prediction a hit of [`Self::article_hits`] stands for.
    pub fn prediction<'a>(
        &'a self,
        sentences: &[ArticleSentence<'a>],
        hit: &Hit,
    ) -> PredictionRef<'a> {
        let s = &sentences[hit.sentence as usize];
        let rule = &self.rules[hit.rule as usize];
        PredictionRef {
            sentence_id: s.sentence_id,
            label: &rule.label,
            rule_id: &rule.id,
            start: hit.start,
            end: hit.end,
            matched: &s.text[hit.bytes.0 as usize..hit.bytes.1 as usize],
        }
    }

    /// [`Self::match_article`] as hits, which refer to the sentences and rules instead of
    /// copying their strings.
    pub fn article_hits(&self, sentences: &[ArticleSentence<'_>]) -> Vec<Hit> {
        let mut rows = Vec::new();
        let mut scratch = Scratch {
            sentence_ok: vec![0; self.rules.len()],
            ..Scratch::default()
        };
        let repeated = self.repetition_candidates(sentences);
        // The lexicon automaton runs over all sentences at once, except those whose
        // whitespace needs normalising (they are scanned one by one).
        let mut scanned = vec![false; sentences.len()];
        let mut pre: Vec<LexMatch> = Vec::new();
        if let Some(lex) = &self.lexicon {
            let mut texts: Vec<&[u8]> = Vec::with_capacity(sentences.len());
            for (si, s) in sentences.iter().enumerate() {
                if !(lex.has_phrases && needs_ws_normalization(s.text.trim())) {
                    scanned[si] = true;
                    texts.push(s.text.as_bytes());
                }
            }
            lexicon_matches(&lex.ac, &texts, &mut pre);
        }
        let (mut text_no, mut at) = (0u32, 0usize);
        let mut cands: Vec<Cand> = Vec::new();
        for (si, s) in sentences.iter().enumerate() {
            cands.clear();
            let ms = if scanned[si] {
                let from = at;
                while at < pre.len() && pre[at].text == text_no {
                    at += 1;
                }
                text_no += 1;
                Some(&pre[from..at])
            } else {
                None
            };
            self.sentence_candidates_with(s.text, ms, &mut scratch, &mut cands);
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
                rows.push(Hit {
                    sentence: si as u32,
                    rule: c.rule,
                    start: s.start + start,
                    end: s.start + end,
                    bytes: (c.start as u32, c.end as u32),
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
        let lex_scanned = self.lexicon.as_ref().is_some_and(|lex| {
            // Whitespace before the first / after the last word never matters.
            !(lex.has_phrases && needs_ws_normalization(text.trim()))
        });
        let mut ms = std::mem::take(&mut scratch.lex_matches);
        ms.clear();
        if let Some(lex) = &self.lexicon
            && lex_scanned
        {
            lexicon_matches(&lex.ac, &[text.as_bytes()], &mut ms);
        }
        self.sentence_candidates_with(text, lex_scanned.then_some(&ms[..]), scratch, out);
        scratch.lex_matches = ms;
    }

    /// [`Self::sentence_candidates`], with the lexicon automaton's matches in `text` when
    /// they are known (`None`: the text needs whitespace normalisation, or there is no
    /// lexicon).
    fn sentence_candidates_with(
        &self,
        text: &str,
        scanned: Option<&[LexMatch]>,
        scratch: &mut Scratch,
        out: &mut Vec<Cand>,
    ) {
        let mut normalized = false;
        if let Some(lex) = &self.lexicon {
            let normalize = scanned.is_none();
            normalized = normalize;
            let hay: &str = if normalize {
                normalize_ws(text, &mut scratch.norm, &mut scratch.map);
                &scratch.norm
            } else {
                text
            };
            scratch.lex.clear();
            // One overlapping scan finds the lexicon entries and, unless the text was
            // normalised, the literals of the regex prefilter.
            let regex_hits = !normalize && self.regex_prefilter.is_some();
            if let Some(pf) = &self.regex_prefilter {
                pf.clear(&mut scratch.regex_hit);
            }
            let mut own = std::mem::take(&mut scratch.lex_matches);
            let ms = match scanned {
                Some(ms) => ms,
                None => {
                    own.clear();
                    lexicon_matches(&lex.ac, &[hay.as_bytes()], &mut own);
                    &own[..]
                }
            };
            for m in ms {
                let (hs, he) = (m.start as usize, m.end as usize);
                let pattern = m.pattern as usize;
                if regex_hits {
                    for &slot in &lex.regex_slots[pattern] {
                        scratch.regex_hit[slot as usize] = true;
                    }
                }
                for owner in &lex.owners[pattern] {
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
            scratch.lex_matches = own;
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
        // Whether the sentence has non-ASCII word characters (computed when needed).
        let mut wide_words = None;
        if let Some(pf) = &self.regex_prefilter {
            let scanned = self.lexicon.is_some() && !normalized;
            if scanned || pf.scan(text, &mut scratch.regex_hit) > 0 {
                for (rule, slots) in &pf.regexes {
                    if scratch.regex_hit[slots.clone()].iter().all(|&h| h) {
                        self.regex_candidates(*rule, text, &mut wide_words, out);
                    }
                }
            }
        }
        match &self.regex_set {
            Some(set) => {
                for i in set.matches(text).iter() {
                    self.regex_candidates(self.regex_rules[i], text, &mut wide_words, out);
                }
            }
            None => {
                for &rule in &self.regex_rules {
                    self.regex_candidates(rule, text, &mut wide_words, out);
                }
            }
        }
        for &rule in &self.shape_rules {
            shape_candidates(rule as u32, &self.rules[rule], text, out);
        }
    }

    /// Non-empty matches of regex rule `rule` in `text`.
    fn regex_candidates(
        &self,
        rule: usize,
        text: &str,
        wide_words: &mut Option<bool>,
        out: &mut Vec<Cand>,
    ) {
        if let CompiledKind::Regex(re, ascii_wb) = &self.rules[rule].kind {
            let re = match ascii_wb {
                Some(a) if !*wide_words.get_or_insert_with(|| has_non_ascii_word_char(text)) => a,
                _ => re,
            };
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

    /// Repetition candidates per sentence, or `None` when the set has no repetition rule.
    pub(crate) fn repetition_candidates(
        &self,
        sentences: &[ArticleSentence<'_>],
    ) -> Option<Vec<Vec<Cand>>> {
        if self.repetition_rules.is_empty() {
            return None;
        }
        let mut out = vec![Vec::new(); sentences.len()];
        // ASCII tokens shorter than every rule's `min_length` or without a letter are never
        // content: they only break units, so they need no vocabulary entry.
        let min_chars = self
            .repetition_rules
            .iter()
            .map(|&r| match &self.rules[r].kind {
                CompiledKind::Repetition { min_length, .. } => *min_length,
                _ => usize::MAX,
            })
            .min()
            .unwrap_or(0);
        // A unit of two or more words only holds tokens joined to a neighbour.
        let isolated = self.repetition_rules.iter().any(|&r| {
            matches!(&self.rules[r].kind, CompiledKind::Repetition { words, .. } if *words <= 1)
        });
        let tokens = Tokens::new(sentences, min_chars, isolated);
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
                    if t.sent != sent || (j > 0 && !t.joined) || !content[t.id as usize] {
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

/// A token that may be content for some rule (see [`Tokens::new`]).
struct Tok {
    sent: u32,
    start: u32,
    end: u32,
    id: u32,
    /// Whether the previous token of the sentence is the previous `Tok` (no token that is
    /// content for no rule lies between them).
    joined: bool,
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
    fn new(sentences: &[ArticleSentence<'_>], min_chars: usize, isolated: bool) -> Tokens {
        let total: usize = sentences.iter().map(|s| s.text.len()).sum();
        let mut b = TokenBuilder {
            toks: Vec::with_capacity(total / if min_chars > 3 { 32 } else { 5 }),
            vocab: Vec::new(),
            ids: FxMap::with_capacity_and_hasher(total / 16, Default::default()),
            min_chars,
            isolated,
            pending: None,
        };
        let mut masks = WordMasks::default();
        for (si, s) in sentences.iter().enumerate() {
            if min_chars <= WordMasks::MAX_MIN_CHARS {
                b.masked_sentence(si as u32, s.text, &mut masks);
            } else {
                b.sentence(si as u32, s.text);
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
