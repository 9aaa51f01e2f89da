//! The rule engine: rule-based extractors over the sentences of news articles.
//!
//! A rule set is one TOML file, or a directory of `*.toml` files read in name order
//! ([`load_sources`]). Each file (UTF-8; a leading byte-order mark is ignored, as in lexicon
//! files) holds at least one `[[rule]]` table. Every rule has an `id` (unique
//! across the set), a `label` (the prediction), an optional `description`, exactly ONE kind
//! key (`lexicon`, `regex`, `repetition` or `shape`) and optional conditions. Unknown keys
//! anywhere are errors. [`parse`] reports every problem of the whole set at once;
//! [`RuleSet::compile`] builds a [`Matcher`]; [`Matcher::match_article`] gives
//! [`PredictionRow`](crate::rows::PredictionRow)s and [`Matcher::explain`] tells why a rule
//! did or did not fire on a sentence.
//!
//! # Kinds
//!
//! ## `lexicon`: words and phrases
//!
//! ```toml
//! [[rule]]
//! id = "loaded-words"
//! label = "Loaded_Language"
//! description = "Words that carry a judgement"
//! lexicon = { words = ["so-called", "regime", "puppet"], file = "lexicons/loaded.txt" }
//! ```
//!
//! - `words` (inline) and/or `file` (path relative to the rules file; one entry per line,
//!   blank lines and lines starting with `#` ignored); at least one entry overall.
//! - Case-insensitive unless the rule says `case_sensitive = true`. ASCII letters fold
//!   exactly; for entries with non-ASCII letters, the forms as written, lowercase, UPPERCASE
//!   and Capitalised are matched (`élite` matches `élite`, `Élite`, `ÉLITE`).
//! - Whole words by default: the characters just outside the match must not be letters,
//!   digits or `_`. `whole_word = false` in the table allows substrings:
//!   `lexicon = { words = ["fake"], whole_word = false }` matches `fakery`.
//! - Phrases match across any run of whitespace (`"deep state"` matches `deep\n  state`).
//! - `inflect = true` also matches simple English inflections of each entry (of the last
//!   word of a phrase): `+s`, `+es`, `+ed`, `+ing`; ending in `e`: `+d` and `e`→`ing`
//!   (`smear`: smears, smeared, smearing; `move`: moved, moving); consonant+`y`: `ies`, `ied`
//!   (`bully`: bullies, bullied); consonant-vowel-consonant ending (not w/x/y): doubled
//!   consonant too (`stop`: stopped, stopping). Over-generated forms are harmless.
//!
//!   ```toml
//!   [[rule]]
//!   id = "smear"
//!   label = "Name_Calling,Labeling"
//!   lexicon = { words = ["smear", "witch hunt"], inflect = true }
//!   ```
//!
//! All entries of all lexicon rules compile into ONE aho-corasick automaton searched with
//! overlapping semantics, so different rules can match the same text. Within one rule, a
//! match contained in a longer match of the same rule is dropped (`so-called regime` wins
//! over `regime` when both are entries of the rule).
//!
//! ## `regex`: a Rust regex
//!
//! ```toml
//! [[rule]]
//! id = "all-of-them"
//! label = "Exaggeration,Minimisation"
//! regex = '\b(every|all) (single )?one of them\b'
//! ```
//!
//! Linear-time Rust `regex` syntax. Case-insensitive unless `case_sensitive = true`. A
//! regex runs on a sentence only when a pre-pass says it may match: for most regexes, sets
//! of literals that every match must contain (e.g. `why`/`how` and `?` for
//! `\b(?:why|how)\b[^?]*\?`), found by one literal scan; regexes without useful literals go
//! through one `RegexSet` pre-pass (or, when together they exceed the regex size limit, run
//! on every sentence). Empty matches are ignored.
//!
//! ## `repetition`: a word or phrase repeated in the article
//!
//! ```toml
//! [[rule]]
//! id = "repeated-word"
//! label = "Repetition"
//! repetition = { words = 1, min_count = 3, min_length = 4, stop_words = ["trump"] }
//! ```
//!
//! Tokens are runs of letters/digits (joined by `'`, `’` or `-` between two of them, as in
//! `don't`, `so-called`), compared lowercased. A content token has a letter, at least
//! `min_length` characters (default 1) and is not a stop word (builtin English list plus
//! `stop_words`). A unit is `words` (1..=5, default 1) consecutive content tokens in one
//! sentence; a unit occurring at least `min_count` times (default 3, at least 2) in the
//! article matches at every occurrence.
//!
//! ## `shape`: the shape of the sentence
//!
//! ```toml
//! [[rule]]
//! id = "rhetorical-question"
//! label = "Doubt"
//! shape = "question"
//!
//! [[rule]]
//! id = "shouting"
//! label = "Loaded_Language"
//! shape = "all_caps"
//! min_caps_words = 3
//! acronyms = ["MSM"]
//! ```
//!
//! - `question` / `exclamation`: after trailing whitespace and closing quotes/brackets
//!   (`" ' ” ’ » ) ] }`), the final run of `? ! . …` contains `?` / `!` (so `Really?!` is
//!   both). The match is the whole sentence, trimmed.
//! - `all_caps`: words are whitespace-separated tokens with surrounding punctuation removed.
//!   A word with a lowercase letter breaks a run; an all-caps word (no lowercase letter, two
//!   uppercase letters in a row somewhere, so `U.S.` does not count) counts;
//!   acronyms (builtin US, USA, UK, UN, EU, FBI, CIA, NATO, CNN, BBC, GOP, COVID, ... plus
//!   the rule's `acronyms`, also with a possessive `'S`), one-letter words and words without
//!   letters are neutral: they neither count nor break a run. A run with at least
//!   `min_caps_words` (default 2) counted words matches from its first to its last counted
//!   word. `min_caps_words` and `acronyms` are only allowed with `shape = "all_caps"`.
//!
//! # Conditions (any rule; all must hold)
//!
//! ```toml
//! [[rule]]
//! id = "scare-quotes"
//! label = "Doubt"
//! lexicon = { words = ["experts", "journalists"] }
//! inside_quotes = true          # match start inside "…", “…” or ‘…’ (or outside_quotes = true)
//! unless = ['\bnot\b']          # vetoed when any of these appears in the sentence
//! requires = ['\bsaid\b']       # all of these must appear in the sentence
//! kind = "body"                 # or "title"
//! min_words = 5                 # sentence length in words (tokens with a letter or digit)
//! max_words = 40
//! ```
//!
//! `unless` / `requires` patterns follow the rule's `case_sensitive` setting. Quoted passages:
//! `"` toggles; `“` opens and `”` closes (a `”` before any opener closes a quote that began
//! in an earlier sentence, so the sentence start counts as quoted); `‘` opens only at the
//! start or after whitespace/opening punctuation and `’` closes only when no letter or digit
//! follows (so apostrophes never quote). Unclosed quotes run to the sentence end.
//!
//! # Performance
//!
//! Per sentence: one overlapping scan of one automaton (a compact DFA of byte classes taken
//! from the patterns, walked over four sentences of the article at once) holding the lexicon
//! entries and the required literals of the regex rules; the regexes whose literal
//! sets all occur (with Unicode `\b` made ASCII when the sentence has no non-ASCII word
//! character, where both agree, since Unicode `\b` forces the regex crate's slow engines on
//! non-ASCII text); the `RegexSet` pre-pass (with word boundaries dropped, the individual
//! regexes then decide) for regexes without literals; and cheap shape checks.
//! Repetition rules tokenise each article once (word bytes found eight at a time).
//! Conditions are evaluated only for candidates. Unicode-aware regex features are the usual
//! slow spot: prefer `[0-9]` to `\d` when that is what you mean.
//!
//! # Output
//!
//! One [`PredictionRow`](crate::rows::PredictionRow) per (rule, span), offsets in code points
//! of the article, ordered by sentence, start, end, rule id.

mod compile;
mod dense_dfa;
mod explain;
mod matcher;
mod model;
mod prefilter;
mod swar;
mod text;
mod trie;

#[cfg(test)]
mod bench;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub use compile::{CompileError, Matcher};
pub use explain::{CandidateExplanation, Explanation, RuleExplanation};
pub use matcher::{ArticleSentence, Hit};
pub use model::{
    Conditions, Diagnostic, Lexicon, QuotePosition, Repetition, Rule, RuleKind, Shape,
};

/// A rules file, already read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSource {
    /// Where the text came from (diagnostics and lexicon `file` paths are relative to it).
    pub path: PathBuf,
    /// The TOML text.
    pub text: String,
}

/// A validated rule set (see [`parse`]).
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSet {
    rules: Vec<Rule>,
}

impl RuleSet {
    /// The rules, in file order then order within each file.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The labels the rules predict.
    pub fn labels(&self) -> BTreeSet<String> {
        self.rules.iter().map(|r| r.label.clone()).collect()
    }
}

/// Reads a rule set: a single file, or every `*.toml` file of a directory (not recursive)
/// sorted by file name, each with [`read_text`]. Errors about a directory's entry name it
/// (an entry that cannot be read, such as a broken symlink, is an error, not skipped).
pub fn load_sources(path: &Path) -> std::io::Result<Vec<RuleSource>> {
    let mut paths = Vec::new();
    let is_dir = path.is_dir();
    if is_dir {
        for entry in std::fs::read_dir(path)? {
            let p = entry?.path();
            if !p.is_dir() && p.extension().is_some_and(|e| e == "toml") {
                paths.push(p);
            }
        }
        paths.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    } else {
        paths.push(path.to_path_buf());
    }
    paths
        .into_iter()
        .map(|p| match read_text(&p) {
            Ok(text) => Ok(RuleSource { path: p, text }),
            Err(e) if is_dir => Err(std::io::Error::new(
                e.kind(),
                format!("{}: {e}", p.display()),
            )),
            Err(e) => Err(e),
        })
        .collect()
}

/// Reads a rules or lexicon file: UTF-8 text (an error names the byte offset and line of
/// the first invalid byte), a leading byte-order mark dropped.
pub fn read_text(path: &Path) -> std::io::Result<String> {
    crate::corpus::strict_utf8(std::fs::read(path)?)
        .map_err(|message| std::io::Error::new(std::io::ErrorKind::InvalidData, message))
}

/// Parses and validates rules files, reporting EVERY problem at once (sorted by file order,
/// then line): invalid TOML (with line and column; other checks of that file are skipped),
/// missing/duplicate ids, missing label, no kind or several kinds, empty patterns and
/// lexicons, regexes that fail to compile, unreadable lexicon files (`read_file`, normally
/// [`read_text`], is called with the path joined to the rules file's directory), files
/// without rules, unknown keys, bad values, and
/// labels not in `known_labels` (with the closest known label suggested).
pub fn parse(
    sources: &[RuleSource],
    read_file: &dyn Fn(&Path) -> std::io::Result<String>,
    known_labels: Option<&BTreeSet<String>>,
) -> Result<RuleSet, Vec<Diagnostic>> {
    let (rules, mut diags) = model::parse_sources(sources, read_file, known_labels);
    if diags.is_empty() {
        Ok(RuleSet { rules })
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
