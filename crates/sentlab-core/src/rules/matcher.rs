//! Matching articles: candidate generation per kind, then conditions.

use aho_corasick::Input;

use crate::rows::{PredictionRef, PredictionRow, SentenceKind};

use super::compile::{CompiledKind, CompiledNear, CompiledRule, LexiconAutomaton, Matcher};
use super::model::{QuotePosition, Side};
use super::prefilter::has_non_ascii_word_char;
use super::shape::shape_spans;
use super::text::{
    FxMap, at_word_boundaries, needs_ws_normalization, normalize_ws, quoted_ranges, word_count,
};
use super::tokens::Tokens;
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
    /// Buffers of proximity conditions.
    pub(crate) near: NearScratch,
}

/// Buffers of proximity conditions.
#[derive(Default)]
pub(crate) struct NearScratch {
    norm: String,
    map: Vec<usize>,
    /// Occurrences of a condition's words: byte range in the sentence, word index.
    found: Vec<(usize, usize, u32)>,
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
    /// `unless` proximity: the word found nearest the match, words between, and its side.
    UnlessNear(String, usize, Side),
    /// `requires` proximity: none of the words within `within` words on `side`.
    RequiresNear(Vec<String>, usize, Side),
}

/// `1 word` / `2 words`.
fn words_phrase(n: usize) -> String {
    if n == 1 {
        "1 word".to_owned()
    } else {
        format!("{n} words")
    }
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
            Veto::UnlessNear(w, gap, side) => {
                write!(f, "unless {w:?} {} {}", words_phrase(*gap), side.as_str())
            }
            Veto::RequiresNear(words, within, side) => {
                match words.as_slice() {
                    [one] => write!(f, "requires {one:?}")?,
                    many => write!(f, "requires one of {many:?}")?,
                }
                let side = match side {
                    Side::Either => "either side",
                    other => other.as_str(),
                };
                write!(f, " within {} {side} (absent)", words_phrase(*within))
            }
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
            && (!rule.conditions.has_near()
                || near_vetoes(rule, s.text, (c.start, c.end), &mut scratch.near, true).is_empty())
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
            shape_spans(&self.rules[rule].kind, text, |start, end| {
                out.push(Cand {
                    rule: rule as u32,
                    start,
                    end,
                })
            });
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
        let texts: Vec<&str> = sentences.iter().map(|s| s.text).collect();
        let tokens = Tokens::new(&texts, min_chars, isolated);
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

/// Occurrences of a proximity condition's words in `text` (whole words; phrases across
/// any whitespace run), as byte ranges of `text` with the word's index.
fn near_occurrences(near: &CompiledNear, text: &str, scratch: &mut NearScratch) {
    scratch.found.clear();
    let normalize = near.has_phrases && needs_ws_normalization(text);
    let hay: &str = if normalize {
        normalize_ws(text, &mut scratch.norm, &mut scratch.map);
        &scratch.norm
    } else {
        text
    };
    for m in near.ac.find_overlapping_iter(Input::new(hay)) {
        let (hs, he) = (m.start(), m.end());
        let (word, exact) = &near.patterns[m.pattern().as_usize()];
        if let Some(exact) = exact
            && hay[hs..he] != **exact
        {
            continue;
        }
        if !at_word_boundaries(hay, hs, he) {
            continue;
        }
        let (start, end) = if normalize {
            (scratch.map[hs], ceil_char(text, scratch.map[he - 1] + 1))
        } else {
            (hs, he)
        };
        scratch.found.push((start, end, *word));
    }
}

/// Words between an occurrence `[ps, pe)` and the match `[ms, me)` of `text`, and the
/// occurrence's side; `None` when they overlap (an occurrence sharing a byte with the
/// match is part of it, not near it).
fn gap(text: &str, (ps, pe): (usize, usize), (ms, me): (usize, usize)) -> Option<(usize, Side)> {
    if pe <= ms {
        Some((word_count(&text[pe..ms]), Side::Before))
    } else if ps >= me {
        Some((word_count(&text[me..ps]), Side::After))
    } else {
        None
    }
}

/// The nearest occurrence of `near`'s words on its side within its distance: (word index,
/// words between, side); ties go to the occurrence before the match.
fn nearest(
    near: &CompiledNear,
    text: &str,
    span: (usize, usize),
    scratch: &mut NearScratch,
) -> Option<(u32, usize, Side)> {
    near_occurrences(near, text, scratch);
    let mut best: Option<(u32, usize, Side)> = None;
    for &(ps, pe, word) in &scratch.found {
        let Some((n, side)) = gap(text, (ps, pe), span) else {
            continue;
        };
        if n > near.within || (near.side != Side::Either && near.side != side) {
            continue;
        }
        let better = match best {
            None => true,
            Some((_, bn, bside)) => (n, side == Side::After) < (bn, bside == Side::After),
        };
        if better {
            best = Some((word, n, side));
        }
    }
    best
}

/// Proximity vetoes of the match at byte range `span` of `text` (`requires` first, then
/// `unless`, in rule order). With `first_only`, stops at the first.
pub(crate) fn near_vetoes(
    rule: &CompiledRule,
    text: &str,
    span: (usize, usize),
    scratch: &mut NearScratch,
    first_only: bool,
) -> Vec<Veto> {
    let mut out = Vec::new();
    let c = &rule.conditions;
    for near in &c.requires_near {
        if nearest(near, text, span, scratch).is_none() {
            out.push(Veto::RequiresNear(
                near.words.clone(),
                near.within,
                near.side,
            ));
            if first_only {
                return out;
            }
        }
    }
    for near in &c.unless_near {
        if let Some((word, n, side)) = nearest(near, text, span, scratch) {
            out.push(Veto::UnlessNear(near.words[word as usize].clone(), n, side));
            if first_only {
                return out;
            }
        }
    }
    out
}
