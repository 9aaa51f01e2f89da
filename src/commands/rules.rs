//! `sentlab rules check`, `sentlab rules explain` and `sentlab rules list`: a rule set
//! validated, explained on one sentence or on the errors of labels, or listed.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Result, anyhow, bail};

use super::{compile_rules, load_rules, schema_labels};
use crate::cli::{RulesCheckArgs, RulesExplainArgs, RulesListArgs, RulesListFormat};
use crate::extraction::article_sentences;
use crate::progress::Console;
use crate::rules::ArticleSentence;
use crate::sentence_table::SentenceTable;
use crate::tables::columns::read_columns;

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
pub fn explain(args: &RulesExplainArgs, console: Console) -> Result<()> {
    if args.from_errors.is_some() || !args.labels.is_empty() {
        return explain_errors(args, console);
    }
    if args.output.is_some() {
        crate::usage_bail!(
            "-o/--output is only written with --from-errors or --labels: one sentence is explained on stdout"
        );
    }
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

/// One error to explain: a sentence (row of the sentence table), a label, `FP` or `FN`.
struct ErrorCase {
    row: usize,
    label: String,
    kind: &'static str,
}

/// The errors of `--from-errors` or of `--labels` with `--fp`/`--fn`, in that order.
fn error_cases(
    args: &RulesExplainArgs,
    table: &SentenceTable,
    console: Console,
) -> Result<Vec<ErrorCase>> {
    let sentences = args
        .sentences
        .as_deref()
        .expect("clap requires --sentences");
    let mut by_id: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for i in 0..table.len() {
        by_id.entry(table.sentence(i).sentence_id).or_insert(i);
    }
    let mut cases = Vec::new();
    if let Some(path) = &args.from_errors {
        let df = read_columns(path, &["sentence_id", "label", "kind"], true)?;
        let ids = df.column("sentence_id")?.str()?;
        let labels = df.column("label")?.str()?;
        let kinds = df.column("kind")?.str()?;
        for (i, ((id, label), kind)) in ids.iter().zip(labels.iter()).zip(kinds.iter()).enumerate()
        {
            let (id, label, kind) = (id.unwrap_or(""), label.unwrap_or(""), kind.unwrap_or(""));
            // Row 1 of the table is line 2 of a CSV file (after the header).
            let line = i + 2;
            let kind = match kind {
                "FP" => "FP",
                "FN" => "FN",
                other => bail!(
                    "{}: line {line}: kind `{other}`: expected FP or FN (a sentence-level error list of `eval --errors`)",
                    path.display()
                ),
            };
            let Some(&row) = by_id.get(id) else {
                bail!(
                    "{}: line {line}: sentence `{id}` is not in {}",
                    path.display(),
                    sentences.display()
                );
            };
            cases.push(ErrorCase {
                row,
                label: label.to_owned(),
                kind,
            });
        }
        return Ok(cases);
    }
    if !args.fp && !args.fn_ {
        crate::usage_bail!("--labels lists errors: give --fp, --fn or both");
    }
    let gold = args.gold.as_deref().expect("clap requires --gold");
    let pred = args.pred.as_deref().expect("clap requires --pred");
    let wanted: BTreeSet<&str> = args.labels.iter().map(String::as_str).collect();
    // (row, label) pairs of a table, for the wanted labels; rows naming sentences that are
    // not in the sentence table are counted and reported.
    let pairs = |path: &std::path::Path| -> Result<BTreeSet<(usize, String)>> {
        let df = read_columns(path, &["sentence_id", "label"], true)?;
        let mut out = BTreeSet::new();
        let mut unknown = 0usize;
        for (id, label) in df
            .column("sentence_id")?
            .str()?
            .iter()
            .zip(df.column("label")?.str()?.iter())
        {
            let (id, label) = (id.unwrap_or(""), label.unwrap_or(""));
            if !wanted.contains(label) {
                continue;
            }
            match by_id.get(id) {
                Some(&row) => {
                    out.insert((row, label.to_owned()));
                }
                None => unknown += 1,
            }
        }
        if unknown > 0 {
            console.warn(format!(
                "rules explain: {unknown} row(s) of {} with the labels asked for name sentences not in {}: skipped",
                path.display(),
                sentences.display()
            ));
        }
        Ok(out)
    };
    let gold = pairs(gold)?;
    let pred = pairs(pred)?;
    for label in &args.labels {
        for row in 0..table.len() {
            let key = (row, label.clone());
            let (g, p) = (gold.contains(&key), pred.contains(&key));
            let kind = match (g, p) {
                (false, true) if args.fp => "FP",
                (true, false) if args.fn_ => "FN",
                _ => continue,
            };
            cases.push(ErrorCase {
                row,
                label: label.clone(),
                kind,
            });
        }
    }
    Ok(cases)
}

/// `rules explain --from-errors` / `--labels`: every error explained for the rules of its
/// label, as a listing (stdout) or one CSV row per error (`-o`).
fn explain_errors(args: &RulesExplainArgs, console: Console) -> Result<()> {
    if args.sentence.is_some() || (args.rules_flag.is_some() && args.rules_arg.is_some()) {
        crate::usage_bail!(
            "--from-errors and --labels explain sentences of --sentences: give no SENTENCE"
        );
    }
    let rules = args
        .rules_flag
        .as_ref()
        .or(args.rules_arg.as_ref())
        .expect("clap requires RULES or --rules");
    let (set, matcher, _) = compile_rules(rules, None)?;
    let sentences = args
        .sentences
        .as_deref()
        .expect("clap requires --sentences");
    let table = SentenceTable::read(sentences)?;
    let cases = error_cases(args, &table, console)?;
    let known = set.labels();
    for label in cases.iter().map(|c| &c.label).collect::<BTreeSet<_>>() {
        if !known.contains(label.as_str()) {
            console.warn(format!("rules explain: no rule predicts label `{label}`"));
        }
    }
    // The rows of each article, in table order.
    let mut articles: std::collections::HashMap<&str, Vec<usize>> =
        std::collections::HashMap::new();
    for i in 0..table.len() {
        articles.entry(table.article_id(i)).or_default().push(i);
    }
    let mut listing = String::new();
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record(["sentence_id", "label", "error", "fired", "vetoed", "text"])?;
    for case in &cases {
        let group = &articles[table.article_id(case.row)];
        let target = group
            .iter()
            .position(|&i| i == case.row)
            .expect("in its article");
        let mut e = matcher.explain(&article_sentences(&table, group), target);
        e.rules.retain(|r| r.label == case.label);
        let (mut fired, mut vetoed) = (Vec::new(), Vec::new());
        for r in &e.rules {
            for c in &r.candidates {
                let at = format!("{} [{}, {}) {:?}", r.rule_id, c.start, c.end, c.matched);
                if c.fired() {
                    fired.push(at);
                } else {
                    vetoed.push(format!("{at}: {}", c.vetoes.join(", ")));
                }
            }
        }
        csv.write_record([
            e.sentence_id.as_str(),
            case.label.as_str(),
            case.kind,
            &fired.join("; "),
            &vetoed.join("; "),
            e.text.as_str(),
        ])?;
        listing.push_str(&format!("{} {}: {e}", case.kind, case.label));
    }
    console.info(format!("rules explain: {} error(s) explained", cases.len()));
    match &args.output {
        Some(path) => {
            let bytes = csv.into_inner().map_err(|e| anyhow!("{e}"))?;
            crate::tables::write_text(Some(path), &String::from_utf8(bytes)?)
        }
        None => crate::tables::write_text(None, &listing),
    }
}

/// Runs `rules list`: the rules of a set, one per row.
pub fn list(args: &RulesListArgs, _console: Console) -> Result<()> {
    let set = load_rules(&args.rules, None)?;
    let rows: Vec<[String; 6]> = set
        .rules()
        .iter()
        .map(|r| {
            [
                r.id.clone(),
                r.label.clone(),
                r.kind.name().to_owned(),
                r.description.clone().unwrap_or_default(),
                r.path.display().to_string(),
                r.line.to_string(),
            ]
        })
        .collect();
    const HEADER: [&str; 6] = ["id", "label", "kind", "description", "file", "line"];
    let text = match args.format {
        RulesListFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(HEADER)?;
            for r in &rows {
                w.write_record(r)?;
            }
            String::from_utf8(w.into_inner().map_err(|e| anyhow!("{e}"))?)?
        }
        RulesListFormat::Json => {
            let objects: Vec<serde_json::Value> = set
                .rules()
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id,
                        "label": r.label,
                        "kind": r.kind.name(),
                        "description": r.description,
                        "file": r.path.display().to_string(),
                        "line": r.line,
                    })
                })
                .collect();
            serde_json::to_string_pretty(&objects)? + "\n"
        }
        RulesListFormat::Table => {
            // The description is last and not padded; file and line are left to csv/json.
            let cells: Vec<[&str; 4]> = std::iter::once(["id", "label", "kind", "description"])
                .chain(rows.iter().map(|r| [&*r[0], &*r[1], &*r[2], &*r[3]]))
                .collect();
            let mut widths = [0usize; 3];
            for row in &cells {
                for (w, c) in widths.iter_mut().zip(row) {
                    *w = (*w).max(c.chars().count());
                }
            }
            let mut out = String::new();
            for row in &cells {
                let mut line = String::new();
                for (w, c) in widths.iter().zip(row) {
                    line.push_str(c);
                    line.push_str(&" ".repeat(w - c.chars().count() + 2));
                }
                line.push_str(row[3]);
                out.push_str(line.trim_end());
                out.push('\n');
            }
            out
        }
    };
    crate::tables::write_text(None, &text)
}
