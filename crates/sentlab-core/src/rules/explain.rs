//! Explaining why rules did or did not fire on one sentence.

use std::fmt;

use crate::rows::SentenceKind;

use super::compile::Matcher;
use super::matcher::{
    ArticleSentence, Cand, Scratch, SentenceFacts, near_vetoes, quote_veto, sentence_vetoes,
};
use super::text::word_count;

/// What every rule made of one sentence (see [`Matcher::explain`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// The sentence explained (empty when the target index was out of range).
    pub sentence_id: String,
    /// Title or body.
    pub kind: SentenceKind,
    /// The sentence text.
    pub text: String,
    /// Sentence length in words, as the `min_words`/`max_words` conditions count it.
    pub words: usize,
    /// One entry per rule, in rule-set order.
    pub rules: Vec<RuleExplanation>,
}

/// One rule's candidates in the explained sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleExplanation {
    /// The rule id.
    pub rule_id: String,
    /// The rule's label.
    pub label: String,
    /// Every candidate match (before conditions), by start then end.
    pub candidates: Vec<CandidateExplanation>,
}

/// A candidate match and the conditions that vetoed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateExplanation {
    /// Code-point offset into the article.
    pub start: u64,
    /// Code-point offset one past the match.
    pub end: u64,
    /// The matched text.
    pub matched: String,
    /// Failed conditions, e.g. `unless "not"`, `outside_quotes`, `max_words 40 (sentence has 52)`.
    pub vetoes: Vec<String>,
}

impl CandidateExplanation {
    /// Whether the match fired (no condition vetoed it).
    pub fn fired(&self) -> bool {
        self.vetoes.is_empty()
    }
}

impl Matcher {
    /// Explains sentence `target` of an article: for every rule, each candidate match and
    /// every condition that vetoed it. An out-of-range `target` gives an explanation with an
    /// empty `sentence_id` and no rules.
    pub fn explain(&self, sentences: &[ArticleSentence<'_>], target: usize) -> Explanation {
        let Some(s) = sentences.get(target) else {
            return Explanation {
                sentence_id: String::new(),
                kind: SentenceKind::Body,
                text: String::new(),
                words: 0,
                rules: Vec::new(),
            };
        };
        let mut scratch = Scratch::default();
        let mut cands: Vec<Cand> = Vec::new();
        self.sentence_candidates(s.text, &mut scratch, &mut cands);
        if let Some(mut rep) = self.repetition_candidates(sentences) {
            cands.append(&mut rep[target]);
        }
        cands.sort_unstable_by_key(|c| (c.rule, c.start, c.end));
        cands.dedup();
        let code_points = |b: usize| s.start + s.text[..b].chars().count() as u64;
        let mut quotes = Vec::new();
        let rules = self
            .rules
            .iter()
            .enumerate()
            .map(|(i, rule)| {
                let mut facts = SentenceFacts::new();
                let sentence_level: Vec<String> = sentence_vetoes(rule, s, &mut facts, false)
                    .iter()
                    .map(ToString::to_string)
                    .collect();
                let candidates = cands
                    .iter()
                    .filter(|c| c.rule as usize == i)
                    .map(|c| {
                        let mut vetoes = sentence_level.clone();
                        if let Some(v) = quote_veto(rule, s.text, c.start, &mut facts, &mut quotes)
                        {
                            vetoes.push(v.to_string());
                        }
                        vetoes.extend(
                            near_vetoes(rule, s.text, (c.start, c.end), &mut scratch.near, false)
                                .iter()
                                .map(ToString::to_string),
                        );
                        CandidateExplanation {
                            start: code_points(c.start),
                            end: code_points(c.end),
                            matched: s.text[c.start..c.end].to_owned(),
                            vetoes,
                        }
                    })
                    .collect();
                RuleExplanation {
                    rule_id: rule.id.clone(),
                    label: rule.label.clone(),
                    candidates,
                }
            })
            .collect();
        Explanation {
            sentence_id: s.sentence_id.to_owned(),
            kind: s.kind,
            text: s.text.to_owned(),
            words: word_count(s.text),
            rules,
        }
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "sentence {} ({}, {} words): {:?}",
            self.sentence_id,
            self.kind.as_str(),
            self.words,
            self.text
        )?;
        for r in &self.rules {
            if r.candidates.is_empty() {
                writeln!(f, "  rule `{}` ({}): no candidate", r.rule_id, r.label)?;
                continue;
            }
            let fired = r.candidates.iter().filter(|c| c.fired()).count();
            writeln!(
                f,
                "  rule `{}` ({}): {} candidate(s), {} fired",
                r.rule_id,
                r.label,
                r.candidates.len(),
                fired
            )?;
            for c in &r.candidates {
                write!(f, "    [{}, {}) {:?}: ", c.start, c.end, c.matched)?;
                if c.fired() {
                    writeln!(f, "fired")?;
                } else {
                    writeln!(f, "vetoed by {}", c.vetoes.join(", "))?;
                }
            }
        }
        Ok(())
    }
}
