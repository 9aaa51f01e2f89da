//! Compiling a validated [`RuleSet`] into a [`Matcher`].

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::dense_dfa::{DenseDfa, MAX_TABLE_ENTRIES};
use super::trie::Trie;
use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};

/// Lazy-DFA cache per regex: patterns with Unicode classes under counted repetition
/// (`[^.]{0,60}`) need many states, and a cache that overflows is rebuilt on every
/// sentence, which made the default pack 50 times slower.
const DFA_CACHE: usize = 64 << 20;

fn build_regex(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern).dfa_size_limit(DFA_CACHE).build()
}

use crate::rows::SentenceKind;

use super::model::{Near, QuotePosition, RuleKind, RuleSet, Shape, Side, effective_pattern};
use super::prefilter::{LiteralPrefilter, ascii_word_boundary_pattern, required_sets};
use super::text::{ACRONYMS, FxMap, FxSet, STOP_WORDS, inflections, word_hash};

/// Why a rule set could not be compiled (validation in [`super::parse`] makes these rare:
/// they come from size limits of the regex engine or the automaton).
#[derive(Debug, thiserror::Error)]
pub enum CompileError {
    /// A regex (rule pattern or condition) exceeded a limit of the regex engine.
    #[error("rule `{rule_id}`: regex `{pattern}`: {source}")]
    Regex {
        /// The rule the pattern belongs to.
        rule_id: String,
        /// The pattern as written.
        pattern: String,
        /// The regex crate's error.
        source: regex::Error,
    },
    /// The lexicon automaton could not be built.
    #[error("cannot build the lexicon automaton: {0}")]
    Lexicon(#[from] aho_corasick::BuildError),
}

/// A rule set compiled for matching. `Send + Sync`: share one across threads.
#[derive(Debug)]
pub struct Matcher {
    pub(crate) rules: Vec<CompiledRule>,
    /// Rank of each rule when sorted by id (for output order).
    pub(crate) rank: Vec<u32>,
    pub(crate) lexicon: Option<LexiconIndex>,
    /// Literal prefilter of the regex rules that have required literals.
    pub(crate) regex_prefilter: Option<LiteralPrefilter>,
    /// `RegexSet` pre-pass of the other regex rules (`None` when there are none, or when
    /// the set exceeds the regex crate's size limit: then they all run on every sentence).
    pub(crate) regex_set: Option<RegexSet>,
    /// Rule index of each regex rule without a literal prefilter (pattern of `regex_set`).
    pub(crate) regex_rules: Vec<usize>,
    pub(crate) repetition_rules: Vec<usize>,
    pub(crate) shape_rules: Vec<usize>,
}

#[derive(Debug)]
pub(crate) struct CompiledRule {
    pub(crate) id: String,
    pub(crate) label: String,
    pub(crate) kind: CompiledKind,
    pub(crate) conditions: CompiledConditions,
}

#[derive(Debug)]
pub(crate) enum CompiledKind {
    Lexicon,
    /// The regex, and the same with ASCII word boundaries when it has Unicode ones (used
    /// on sentences without non-ASCII word characters, where both match the same).
    Regex(Regex, Option<Regex>),
    Repetition {
        words: usize,
        min_count: usize,
        min_length: usize,
        /// Hashes of the stop words (see `word_hash`).
        stop_words: FxSet<u64>,
    },
    Question,
    Exclamation,
    AllCaps {
        min_caps_words: usize,
        acronyms: FxSet<String>,
    },
}

#[derive(Debug)]
pub(crate) struct CompiledConditions {
    pub(crate) unless: Vec<(String, Regex)>,
    pub(crate) requires: Vec<(String, Regex)>,
    pub(crate) quotes: Option<QuotePosition>,
    pub(crate) sentence_kind: Option<SentenceKind>,
    pub(crate) min_words: Option<usize>,
    pub(crate) max_words: Option<usize>,
    pub(crate) unless_near: Vec<CompiledNear>,
    pub(crate) requires_near: Vec<CompiledNear>,
}

impl CompiledConditions {
    pub(crate) fn needs_word_count(&self) -> bool {
        self.min_words.is_some() || self.max_words.is_some()
    }

    /// Whether the rule has proximity conditions (checked per candidate).
    pub(crate) fn has_near(&self) -> bool {
        !self.unless_near.is_empty() || !self.requires_near.is_empty()
    }
}

/// A proximity condition: its words in one automaton (case variants like lexicon
/// entries), searched only in sentences where the rule has a candidate.
#[derive(Debug)]
pub(crate) struct CompiledNear {
    /// The words as written (whitespace collapsed), for explanations.
    pub(crate) words: Vec<String>,
    pub(crate) within: usize,
    pub(crate) side: Side,
    pub(crate) ac: AhoCorasick,
    /// Per pattern: the index in `words`, and for case-sensitive rules the exact text.
    pub(crate) patterns: Vec<(u32, Option<Box<str>>)>,
    /// Whether some word is a phrase (then text with unusual whitespace is normalised).
    pub(crate) has_phrases: bool,
}

impl CompiledNear {
    fn new(near: &Near, case_sensitive: bool) -> Result<CompiledNear, CompileError> {
        let mut texts = Vec::new();
        let mut patterns = Vec::new();
        for (i, w) in near.words.iter().enumerate() {
            if case_sensitive {
                texts.push(w.clone());
                patterns.push((i as u32, Some(w.clone().into_boxed_str())));
            } else {
                for v in case_variants(w) {
                    texts.push(v);
                    patterns.push((i as u32, None));
                }
            }
        }
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(!case_sensitive)
            .build(&texts)?;
        Ok(CompiledNear {
            words: near.words.clone(),
            within: near.within,
            side: near.side,
            ac,
            patterns,
            has_phrases: near.words.iter().any(|w| w.contains(' ')),
        })
    }
}

/// Who owns an automaton pattern.
#[derive(Debug, Clone)]
pub(crate) struct Owner {
    pub(crate) rule: u32,
    pub(crate) whole_word: bool,
    /// For case-sensitive rules: the exact text the match must equal.
    pub(crate) exact: Option<Box<str>>,
}

/// All lexicon entries of all rules in one ASCII-case-insensitive automaton, which also
/// holds the literals of the regex prefilter (so one scan serves both).
#[derive(Debug)]
pub(crate) struct LexiconIndex {
    pub(crate) ac: LexiconAutomaton,
    /// Owners of each pattern id (empty for patterns that are only regex literals).
    pub(crate) owners: Vec<Vec<Owner>>,
    /// Regex prefilter slots of each pattern id (see `LiteralPrefilter`).
    pub(crate) regex_slots: Vec<Vec<u32>>,
    /// Whether some entry has a space (then text with unusual whitespace is normalised).
    pub(crate) has_phrases: bool,
}

/// The lexicon automaton: a compact DFA walked by the matcher itself (several sentences at
/// once), or, for very large lexicons, the trie it is filled from (linear in size to
/// build); the crate's automaton only for a set with an empty pattern.
#[derive(Debug)]
pub(crate) enum LexiconAutomaton {
    Dense(Box<DenseDfa>),
    Trie(Box<Trie>),
    Other(AhoCorasick),
}

/// Case variants of a case-insensitive entry with non-ASCII letters (the automaton folds
/// ASCII case only): as written, lowercase, uppercase and capitalised.
fn case_variants(entry: &str) -> Vec<String> {
    if entry.is_ascii() {
        return vec![entry.to_owned()];
    }
    let lower = entry.to_lowercase();
    let mut chars = lower.chars();
    let capital: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    vec![entry.to_owned(), entry.to_uppercase(), lower, capital]
}

impl Matcher {
    /// The number of compiled rules.
    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }

    /// The number of patterns of the lexicon automaton (case variants of every lexicon
    /// entry, and the required literals of regex rules); 0 without one.
    pub fn lexicon_patterns(&self) -> usize {
        self.lexicon.as_ref().map_or(0, |l| l.owners.len())
    }
}

impl RuleSet {
    /// Compiles the rules: one aho-corasick automaton for all lexicon entries, one
    /// `RegexSet` pre-pass for all regex rules, and the per-rule regexes and word lists.
    pub fn compile(&self) -> Result<Matcher, CompileError> {
        self.compile_with_table_limit(MAX_TABLE_ENTRIES)
    }

    /// As [`RuleSet::compile`], with the largest dense lexicon table allowed (in entries;
    /// above it the trie is searched directly).
    pub(crate) fn compile_with_table_limit(
        &self,
        max_table_entries: usize,
    ) -> Result<Matcher, CompileError> {
        let mut rules = Vec::with_capacity(self.rules.len());
        let mut patterns: Vec<String> = Vec::new();
        let mut key_to_pattern: FxMap<String, usize> = FxMap::default();
        let mut owners: Vec<Vec<Owner>> = Vec::new();
        let mut regex_sources = Vec::new();
        let mut regex_rules = Vec::new();
        let mut literal_sets = Vec::new();
        let mut repetition_rules = Vec::new();
        let mut shape_rules = Vec::new();
        let regex_err = |rule_id: &str, pattern: &str, source| CompileError::Regex {
            rule_id: rule_id.to_owned(),
            pattern: pattern.to_owned(),
            source,
        };

        for (index, rule) in self.rules.iter().enumerate() {
            let cs = rule.case_sensitive;
            let kind = match &rule.kind {
                RuleKind::Lexicon(lex) => {
                    let mut add = |text: String, exact: Option<Box<str>>| {
                        let key = text.to_ascii_lowercase();
                        let id = *key_to_pattern.entry(key).or_insert_with(|| {
                            patterns.push(text);
                            owners.push(Vec::new());
                            patterns.len() - 1
                        });
                        let owner = Owner {
                            rule: index as u32,
                            whole_word: lex.whole_word,
                            exact,
                        };
                        let list = &mut owners[id];
                        if !list
                            .iter()
                            .any(|o| o.rule == owner.rule && o.exact == owner.exact)
                        {
                            list.push(owner);
                        }
                    };
                    for entry in &lex.entries {
                        let forms = if lex.inflect {
                            inflections(entry)
                        } else {
                            vec![entry.clone()]
                        };
                        for form in forms {
                            if cs {
                                add(form.clone(), Some(form.into_boxed_str()));
                            } else {
                                for v in case_variants(&form) {
                                    add(v, None);
                                }
                            }
                        }
                    }
                    CompiledKind::Lexicon
                }
                RuleKind::Regex(p) => {
                    let source = effective_pattern(p, cs);
                    let re = build_regex(&source).map_err(|e| regex_err(&rule.id, p, e))?;
                    let ascii_wb =
                        ascii_word_boundary_pattern(&source).and_then(|a| build_regex(&a).ok());
                    let sets = required_sets(&source);
                    if sets.is_empty() {
                        regex_sources.push(source);
                        regex_rules.push(index);
                    } else {
                        literal_sets.push((index, sets));
                    }
                    CompiledKind::Regex(re, ascii_wb)
                }
                RuleKind::Repetition(r) => {
                    repetition_rules.push(index);
                    CompiledKind::Repetition {
                        words: r.words,
                        min_count: r.min_count,
                        min_length: r.min_length,
                        stop_words: STOP_WORDS
                            .iter()
                            .copied()
                            .chain(r.stop_words.iter().map(String::as_str))
                            .map(word_hash)
                            .collect(),
                    }
                }
                RuleKind::Shape(shape) => {
                    shape_rules.push(index);
                    match shape {
                        Shape::Question => CompiledKind::Question,
                        Shape::Exclamation => CompiledKind::Exclamation,
                        Shape::AllCaps {
                            min_caps_words,
                            acronyms,
                        } => CompiledKind::AllCaps {
                            min_caps_words: *min_caps_words,
                            acronyms: ACRONYMS
                                .iter()
                                .map(|s| (*s).to_owned())
                                .chain(acronyms.iter().cloned())
                                .collect(),
                        },
                    }
                }
            };
            let compile_all = |list: &[String]| -> Result<Vec<(String, Regex)>, CompileError> {
                list.iter()
                    .map(|p| {
                        build_regex(&effective_pattern(p, cs))
                            .map(|re| (p.clone(), re))
                            .map_err(|e| regex_err(&rule.id, p, e))
                    })
                    .collect()
            };
            let c = &rule.conditions;
            let conditions = CompiledConditions {
                unless: compile_all(&c.unless)?,
                requires: compile_all(&c.requires)?,
                quotes: c.quotes,
                sentence_kind: c.sentence_kind,
                min_words: c.min_words,
                max_words: c.max_words,
                unless_near: c
                    .unless_near
                    .iter()
                    .map(|n| CompiledNear::new(n, cs))
                    .collect::<Result<_, _>>()?,
                requires_near: c
                    .requires_near
                    .iter()
                    .map(|n| CompiledNear::new(n, cs))
                    .collect::<Result<_, _>>()?,
            };
            rules.push(CompiledRule {
                id: rule.id.clone(),
                label: rule.label.clone(),
                kind,
                conditions,
            });
        }

        let regex_prefilter = LiteralPrefilter::new(literal_sets)?;
        let lexicon = if patterns.is_empty() {
            None
        } else {
            let has_phrases = patterns.iter().any(|p| p.contains(' '));
            let mut all: Vec<Vec<u8>> = patterns.into_iter().map(String::into_bytes).collect();
            let mut regex_slots = vec![Vec::new(); all.len()];
            if let Some(pf) = &regex_prefilter {
                for (lit, slots) in pf.patterns.iter().zip(&pf.owners) {
                    let existing = std::str::from_utf8(lit)
                        .ok()
                        .and_then(|k| key_to_pattern.get(k).copied());
                    let id = existing.unwrap_or_else(|| {
                        all.push(lit.clone());
                        owners.push(Vec::new());
                        regex_slots.push(Vec::new());
                        all.len() - 1
                    });
                    regex_slots[id].extend_from_slice(slots);
                }
            }
            // A compact dense DFA is fastest; past a 64 MiB table (hundreds of thousands of
            // patterns) the trie it would be filled from is searched directly.
            let ac = match Trie::new(&all) {
                Some(trie) => match DenseDfa::from_trie(&trie, max_table_entries) {
                    Some(dfa) => LexiconAutomaton::Dense(Box::new(dfa)),
                    None => LexiconAutomaton::Trie(Box::new(trie)),
                },
                None => LexiconAutomaton::Other(
                    AhoCorasickBuilder::new()
                        .match_kind(MatchKind::Standard)
                        .ascii_case_insensitive(true)
                        .prefilter(false)
                        .build(&all)?,
                ),
            };
            Some(LexiconIndex {
                ac,
                owners,
                regex_slots,
                has_phrases,
            })
        };
        let regex_set = if regex_sources.is_empty() {
            None
        } else {
            // The pre-pass may over-approximate (the individual regexes decide), so word
            // boundaries are dropped: Unicode `\b` forces the slow engines on non-ASCII text.
            let relaxed: Vec<String> = regex_sources
                .iter()
                .map(|p| {
                    let r = relax_word_boundaries(p);
                    if r != *p && Regex::new(&r).is_ok() {
                        r
                    } else {
                        p.clone()
                    }
                })
                .collect();
            // Only a speed-up: rules that each compile can exceed the size limit together.
            RegexSetBuilder::new(&relaxed)
                .dfa_size_limit(DFA_CACHE)
                .build()
                .ok()
        };

        let mut by_id: Vec<usize> = (0..rules.len()).collect();
        by_id.sort_by(|&a, &b| rules[a].id.cmp(&rules[b].id));
        let mut rank = vec![0u32; rules.len()];
        for (r, &i) in by_id.iter().enumerate() {
            rank[i] = r as u32;
        }
        Ok(Matcher {
            rules,
            rank,
            lexicon,
            regex_prefilter,
            regex_set,
            regex_rules,
            repetition_rules,
            shape_rules,
        })
    }
}

/// Removes word-boundary assertions (`\b`, `\B`, `\b{...}`, `\<`, `\>`) from a pattern,
/// giving a pattern that matches at least wherever the original does.
pub(crate) fn relax_word_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b' | 'B') => {
                if chars.peek() == Some(&'{') {
                    for d in chars.by_ref() {
                        if d == '}' {
                            break;
                        }
                    }
                }
            }
            Some('<' | '>') => {}
            Some(d) => {
                out.push('\\');
                out.push(d);
            }
            None => out.push('\\'),
        }
    }
    out
}
