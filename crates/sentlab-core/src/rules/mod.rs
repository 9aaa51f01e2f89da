//! The rule engine: rule-based extractors over the sentences of news articles.
//!
//! The caller reads the rule files ([`RuleSource`]s) and lexicon files; [`parse`] reports
//! every problem of the whole set at once; [`RuleSet::compile`] builds a [`Matcher`]; [`Matcher::match_article`]
//! gives [`PredictionRow`](crate::rows::PredictionRow)s and [`Matcher::explain`] tells why a
//! rule did or did not fire on a sentence. The language, as users read it (the same file):
//!
#![doc = include_str!("../../../../docs/rules.md")]

mod compile;
mod dense_dfa;
mod explain;
mod matcher;
mod model;
mod prefilter;
mod shape;
pub mod suggest;
mod swar;
mod text;
mod tokens;
mod trie;

#[cfg(test)]
mod tests;

use std::collections::BTreeSet;
use std::path::Path;

pub use compile::{CompileError, Matcher};
pub use explain::{CandidateExplanation, Explanation, RuleExplanation};
pub use matcher::{ArticleSentence, Hit};
pub use model::{
    Conditions, Diagnostic, Lexicon, MAX_WITHIN, Near, QuotePosition, Repetition, Rule, RuleKind,
    RuleSet, RuleSource, Shape, Side,
};

/// Parses and validates rules files, reporting EVERY problem at once (sorted by file order,
/// then line): invalid TOML (with line and column; other checks of that file are skipped),
/// missing/duplicate ids, missing label, no kind or several kinds, empty patterns and
/// lexicons, regexes that fail to compile, unreadable lexicon files (`read_file`, which reads a
/// file as UTF-8 text, is called with the path joined to the rules file's directory), files
/// without rules, unknown keys, bad values, and
/// labels not in `known_labels` (with the closest known label suggested).
pub fn parse(
    sources: &[RuleSource],
    read_file: &dyn Fn(&Path) -> std::io::Result<String>,
    known_labels: Option<&BTreeSet<String>>,
) -> Result<RuleSet, Vec<Diagnostic>> {
    let (rules, mut diags) = model::parse_sources(sources, read_file, known_labels);
    if diags.is_empty() {
        Ok(RuleSet::new(rules))
    } else {
        let order = |p: &Path| {
            sources
                .iter()
                .position(|s| s.path == p)
                .unwrap_or(usize::MAX)
        };
        diags.sort_by_key(|d| (order(&d.path), d.line, d.column));
        Err(diags)
    }
}
