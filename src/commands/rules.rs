//! `sentlab rules check` and `sentlab rules explain`: a rule set validated, or explained on
//! one sentence.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Result, anyhow, bail};

use super::{compile_rules, load_rules, schema_labels};
use crate::cli::{RulesCheckArgs, RulesExplainArgs};
use crate::extraction::article_sentences;
use crate::progress::Console;
use crate::rules::ArticleSentence;
use crate::sentence_table::SentenceTable;

/// Runs `rules check`.
pub fn check(args: &RulesCheckArgs, console: Console) -> Result<()> {
    let known = args.schema.as_deref().map(schema_labels).transpose()?;
    // A checker: an entry the rules search would skip (a dangling `x.toml`) is a problem.
    crate::walk::refuse_skipped(args.rules(), false, &crate::rule_files::is_rule_file)?;
    let set = load_rules(args.rules(), known.as_ref())?;
    let started = Instant::now();
    set.compile()
        .map_err(|e| anyhow!("{}: {e}", args.rules().display()))?;
    let labels = set.labels();
    console.info(format!(
        "ok: {} rules, {} labels, compiled in {} ms",
        set.rules().len(),
        labels.len(),
        started.elapsed().as_millis()
    ));
    Ok(())
}

/// What `rules explain` explains: a sentence given as text, or one of a sentence table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExplainTarget {
    /// A sentence given as text (document-level rules see it alone).
    Text(String),
    /// The sentence with this id in this sentence table (rules see its whole article).
    Id {
        /// The sentence id.
        id: String,
        /// The sentence table.
        sentences: PathBuf,
    },
}

/// `rules explain` as the flags describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExplainOptions {
    /// The rule file or directory.
    pub rules: PathBuf,
    /// The sentence to explain.
    pub target: ExplainTarget,
}

impl ExplainOptions {
    /// The options of the flags. The rules come from the RULES argument or from `--rules`
    /// (then the one argument is the SENTENCE); both is a usage error (exit 2).
    pub fn from_args(args: &RulesExplainArgs) -> Result<ExplainOptions> {
        let (rules, sentence) = match (&args.rules_flag, &args.rules_arg, &args.sentence) {
            (Some(_), Some(_), Some(_)) => crate::usage_bail!(
                "the rules are given twice, as RULES and with --rules: give one of them, not both"
            ),
            (Some(flag), Some(arg), None) => (flag.clone(), Some(sentence_text(arg)?)),
            (Some(flag), None, sentence) => (flag.clone(), sentence.clone()),
            (None, Some(arg), sentence) => (arg.clone(), sentence.clone()),
            (None, None, _) => crate::usage_bail!("give the rules as RULES or with --rules"),
        };
        let target = match (sentence, &args.sentence_id, &args.sentences) {
            (Some(_), Some(_), _) => crate::usage_bail!(
                "the argument '[SENTENCE]' cannot be used with '--sentence-id <ID>': give a SENTENCE, or --sentence-id with --sentences"
            ),
            (Some(_), None, Some(_)) => crate::usage_bail!(
                "--sentences is only read with --sentence-id: a SENTENCE given as text is explained on its own"
            ),
            (Some(text), None, None) => ExplainTarget::Text(text),
            (None, Some(id), Some(sentences)) => ExplainTarget::Id {
                id: id.clone(),
                sentences: sentences.clone(),
            },
            _ => crate::usage_bail!("give a SENTENCE, or --sentence-id with --sentences"),
        };
        Ok(ExplainOptions { rules, target })
    }
}

/// The one argument after `--rules RULES`, which is the sentence (a usage error when it is
/// not UTF-8, as for any SENTENCE).
fn sentence_text(arg: &std::path::Path) -> Result<String> {
    match arg.to_str() {
        Some(s) => Ok(s.to_string()),
        None => crate::usage_bail!("SENTENCE: invalid UTF-8"),
    }
}

/// Runs `rules explain` (output on stdout: it is the data asked for).
pub fn explain(args: &RulesExplainArgs, _console: Console) -> Result<()> {
    let opts = ExplainOptions::from_args(args)?;
    let (_, matcher, _) = compile_rules(&opts.rules, None)?;
    let text = match &opts.target {
        ExplainTarget::Text(sentence) => {
            let one = [ArticleSentence {
                sentence_id: "sentence",
                kind: crate::rows::SentenceKind::Body,
                text: sentence,
                start: 0,
            }];
            matcher.explain(&one, 0).to_string()
        }
        ExplainTarget::Id { id, sentences } => {
            let table = SentenceTable::read(sentences)?;
            let Some(pos) = (0..table.len()).find(|&i| table.sentence(i).sentence_id == id) else {
                bail!("{}: no sentence with id `{id}`", sentences.display());
            };
            let group: Vec<usize> = (0..table.len())
                .filter(|&i| table.article_id(i) == table.article_id(pos))
                .collect();
            let target = group
                .iter()
                .position(|&i| i == pos)
                .expect("in its article");
            matcher
                .explain(&article_sentences(&table, &group), target)
                .to_string()
        }
    };
    let text = if text.ends_with('\n') {
        text
    } else {
        text + "\n"
    };
    crate::tables::write_text(None, &text)
}
