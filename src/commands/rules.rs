//! `sentlab rules check`, `sentlab rules explain` and `sentlab rules list`: a rule set
//! validated, explained on one sentence or on the errors of labels, or listed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
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
        return errors_of_file(path, sentences, &by_id, console);
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

/// The errors listed in an error file of `eval --errors`, in file order: at sentence level
/// a row per error (`kind` FP or FN); at span level a row per scored span (`side`,
/// `outcome`), of which a predicted span with no gold (`FP`, `spurious`, `incorrect`) is
/// a false positive of its sentence and label and a gold span not found (`FN`, `missed`,
/// `incorrect`) a false negative. Span rows that are not errors, and repeats of a
/// (sentence, label, error) already listed, are counted on stderr.
fn errors_of_file(
    path: &std::path::Path,
    sentences: &std::path::Path,
    by_id: &std::collections::HashMap<&str, usize>,
    console: Console,
) -> Result<Vec<ErrorCase>> {
    let sentence_level = read_columns(path, &["sentence_id", "label", "kind"], true);
    let (df, span_level) = match sentence_level {
        Ok(df) => (df, false),
        Err(first) => {
            match read_columns(path, &["sentence_id", "label", "side", "outcome"], true) {
                Ok(df) => (df, true),
                Err(_) => bail!(
                    "{first}: expected the error list of `eval --errors`: sentence level (sentence_id, label, kind) or span level (sentence_id, label, side, outcome)"
                ),
            }
        }
    };
    let text = |name: &str| -> Result<Vec<String>> {
        Ok(df
            .column(name)?
            .str()?
            .iter()
            .map(|v| v.unwrap_or("").to_owned())
            .collect())
    };
    let ids = text("sentence_id")?;
    let labels = text("label")?;
    let (kinds, sides) = if span_level {
        (text("outcome")?, text("side")?)
    } else {
        (text("kind")?, Vec::new())
    };
    let mut cases = Vec::new();
    let mut seen = BTreeSet::new();
    let (mut not_errors, mut repeats) = (0usize, 0usize);
    let mut non_error_outcomes = BTreeSet::new();
    for (i, (id, label)) in ids.iter().zip(&labels).enumerate() {
        // Row 1 of the table is line 2 of a CSV file (after the header).
        let line = i + 2;
        let kind = if span_level {
            match (sides[i].as_str(), kinds[i].as_str()) {
                ("pred", "FP" | "spurious" | "incorrect") => "FP",
                ("gold", "FN" | "missed" | "incorrect") => "FN",
                ("pred" | "gold", outcome) => {
                    not_errors += 1;
                    non_error_outcomes.insert(outcome.to_owned());
                    continue;
                }
                (other, _) => bail!(
                    "{}: line {line}: side `{other}`: expected gold or pred (a span-level error list of `eval --errors`)",
                    path.display()
                ),
            }
        } else {
            match kinds[i].as_str() {
                "FP" => "FP",
                "FN" => "FN",
                other => bail!(
                    "{}: line {line}: kind `{other}`: expected FP or FN (a sentence-level error list of `eval --errors`)",
                    path.display()
                ),
            }
        };
        let Some(&row) = by_id.get(id.as_str()) else {
            bail!(
                "{}: line {line}: sentence `{id}` is not in {}",
                path.display(),
                sentences.display()
            );
        };
        if !seen.insert((row, label.clone(), kind)) {
            repeats += 1;
            continue;
        }
        cases.push(ErrorCase {
            row,
            label: label.clone(),
            kind,
        });
    }
    if not_errors + repeats > 0 {
        let mut parts = Vec::new();
        if not_errors > 0 {
            parts.push(format!(
                "{not_errors} not an error (outcome {})",
                non_error_outcomes
                    .into_iter()
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if repeats > 0 {
            parts.push(format!(
                "{repeats} with the sentence, label and error of an earlier row"
            ));
        }
        console.warn(format!(
            "rules explain: {}: {} row(s) not explained: {}",
            path.display(),
            not_errors + repeats,
            parts.join(", ")
        ));
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
    let Some(rules) = &args.rules else {
        return list_builtin_packs(args.format);
    };
    let set = load_rules(rules, None)?;
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

/// Runs `rules suggest`: reads the sentence table, gold, predictions and rules, and writes
/// the suggested phrases as a table or as lexicon rules (stdout).
pub fn suggest(args: &crate::cli::RulesSuggestArgs, console: Console) -> Result<()> {
    use crate::rules::suggest::{LabelFacts, SuggestOptions, SuggestSentence};
    if !(0.0..=1.0).contains(&args.min_precision) {
        crate::usage_bail!(
            "--min-precision {}: expected a number from 0 to 1",
            args.min_precision
        );
    }
    let inputs = suggest_inputs::read(args, console)?;
    let table = &inputs.table;
    let gold_labels: Vec<String> = inputs.gold.keys().cloned().collect();
    let labels = match &args.labels {
        None => gold_labels.clone(),
        Some(list) => {
            let labels = crate::eval::universe::parse_label_list(list, &gold_labels);
            for l in &labels {
                if !inputs.gold.contains_key(l) {
                    crate::usage_bail!(
                        "--labels: no gold sentence has the label `{l}` (gold labels: {})",
                        gold_labels.join(", ")
                    );
                }
            }
            labels
        }
    };
    let n = table.len();
    let mark = |ids: Option<&Vec<u32>>| {
        let mut v = vec![false; n];
        for &i in ids.into_iter().flatten() {
            v[i as usize] = true;
        }
        v
    };
    let facts: Vec<LabelFacts> = labels
        .iter()
        .map(|l| LabelFacts {
            label: l.clone(),
            gold: mark(inputs.gold.get(l)),
            predicted: mark(inputs.pred.get(l)),
            fired: inputs.rules.as_ref().map(|r| mark(r.fired.get(l))),
            existing: inputs
                .rules
                .as_ref()
                .and_then(|r| r.entries.get(l).cloned())
                .unwrap_or_default(),
        })
        .collect();
    let sentences: Vec<SuggestSentence<'_>> = (0..n)
        .map(|i| SuggestSentence {
            article_id: table.article_id(i),
            text: table.text(i),
        })
        .collect();
    let opts = SuggestOptions {
        max_words: args.max_words as usize,
        min_articles: args.min_articles as usize,
        min_precision: args.min_precision,
        folds: args.folds as usize,
        top: args.top as usize,
        inflect: args.inflect,
    };
    let started = Instant::now();
    let found = crate::rules::suggest::suggest(&sentences, &facts, &opts);
    console.info(format!(
        "{} phrase(s) for {} label(s) from {} sentences, {} articles, in {} ms",
        found.len(),
        labels.len(),
        n,
        table.articles().len(),
        started.elapsed().as_millis()
    ));
    if found.is_empty() {
        console.warn(format!(
            "no phrase has new true positives in at least {} article(s) and precision of at least {}: nothing suggested",
            opts.min_articles, opts.min_precision
        ));
    }
    let text = if args.toml {
        suggest_inputs::toml(&found, &opts)
    } else {
        suggest_inputs::table(&found, inputs.rules.is_some())
    };
    crate::tables::write_text(None, &text)
}

/// The inputs and outputs of `rules suggest`, read with the readers `eval` and `extract`
/// use.
mod suggest_inputs {
    use std::collections::{BTreeMap, BTreeSet, HashMap};
    use std::fmt::Write as _;
    use std::path::Path;

    use anyhow::{Result, anyhow};

    use crate::cli::RulesSuggestArgs;
    use crate::labels::{self, ImportOptions, SentenceIndex};
    use crate::progress::Console;
    use crate::rules::RuleKind;
    use crate::rules::suggest::{SuggestOptions, Suggestion};
    use crate::sentence_table::SentenceTable;
    use crate::tables::columns::read_columns;

    /// Sentences (positions in the table) per label.
    pub type ByLabel = BTreeMap<String, Vec<u32>>;

    /// What the current rules say.
    pub struct RulesFacts {
        /// Sentences where a rule of the label fires.
        pub fired: ByLabel,
        /// Lowercased lexicon entries per label.
        pub entries: HashMap<String, BTreeSet<String>>,
    }

    pub struct Inputs {
        pub table: SentenceTable,
        pub gold: ByLabel,
        pub pred: ByLabel,
        pub rules: Option<RulesFacts>,
    }

    /// Reads every input; rows naming sentences not in the table are counted on stderr.
    pub fn read(args: &RulesSuggestArgs, console: Console) -> Result<Inputs> {
        let rows = crate::sentence_table::read_rows(&args.sentences)?;
        let table = SentenceTable::from_rows(&rows);
        let position: HashMap<&str, u32> = (0..table.len())
            .map(|i| (table.sentence_id(i), i as u32))
            .collect();
        let spans = args.gold.is_dir() || args.gold.extension().is_some_and(|e| e == "labels");
        let gold_pairs = if spans {
            span_pairs(&args.gold, &rows, console)?
        } else {
            table_pairs(&args.gold)?
        };
        let gold = by_label(&args.gold, gold_pairs, &position, console);
        let pred = match &args.pred {
            Some(p) => by_label(p, table_pairs(p)?, &position, console),
            None => ByLabel::new(),
        };
        let rules = match &args.rules {
            None => None,
            Some(path) => {
                let (set, matcher, _) = super::compile_rules(path, None)?;
                let preds = crate::extraction::predictions(&matcher, &table, console)?;
                let pairs = preds
                    .into_iter()
                    .map(|p| (p.sentence_id, p.label))
                    .collect();
                let fired = by_label(path, pairs, &position, console);
                let mut entries: HashMap<String, BTreeSet<String>> = HashMap::new();
                for rule in set.rules() {
                    if let RuleKind::Lexicon(lex) = &rule.kind {
                        entries
                            .entry(rule.label.clone())
                            .or_default()
                            .extend(lex.entries.iter().map(|e| e.to_lowercase()));
                    }
                }
                Some(RulesFacts { fired, entries })
            }
        };
        Ok(Inputs {
            table,
            gold,
            pred,
            rules,
        })
    }

    /// The (sentence_id, label) rows of a label table.
    fn table_pairs(path: &Path) -> Result<Vec<(String, String)>> {
        let df = read_columns(path, &["sentence_id", "label"], true)?;
        let ids = df.column("sentence_id")?.str()?;
        let labels = df.column("label")?.str()?;
        Ok(ids
            .iter()
            .zip(labels.iter())
            .map(|(s, l)| (s.unwrap_or("").to_owned(), l.unwrap_or("").to_owned()))
            .collect())
    }

    /// PTC span files projected onto the sentences (skipped spans counted on stderr).
    fn span_pairs(
        path: &Path,
        rows: &[crate::rows::SentenceRow],
        console: Console,
    ) -> Result<Vec<(String, String)>> {
        let index = SentenceIndex::new(rows).map_err(|e| anyhow!("{e}"))?;
        let opts = ImportOptions {
            format: Some(labels::Format::PtcSpans),
            ..ImportOptions::default()
        };
        let mut pairs = Vec::new();
        let mut skipped = 0;
        for f in crate::label_files::span_files(path)? {
            let name = crate::tables::input::display_name(&f);
            let text = crate::tables::read_csv_text(&f)?;
            let file = labels::parse_label_file(&name, &text, &index, &opts)?;
            for w in file.warnings() {
                console.warn(w);
            }
            if let Some(first) = file.skipped().first() {
                skipped += file.skipped().len();
                console.warn(format!(
                    "{}:{}: gold span skipped: {}",
                    first.file, first.line, first.reason
                ));
            }
            pairs.extend(
                file.entries(&index)
                    .filter_map(|e| e.label.map(|l| (e.sentence_id.to_string(), l.to_string()))),
            );
        }
        if skipped > 0 {
            console.warn(format!(
                "{}: {skipped} gold span(s) skipped in all",
                path.display()
            ));
        }
        Ok(pairs)
    }

    /// Sentence positions per label; rows of sentences not in the table are counted.
    fn by_label(
        path: &Path,
        pairs: Vec<(String, String)>,
        position: &HashMap<&str, u32>,
        console: Console,
    ) -> ByLabel {
        let mut out = ByLabel::new();
        let mut unknown = 0usize;
        let mut first = None;
        for (id, label) in pairs {
            if label.is_empty() {
                continue;
            }
            match position.get(id.as_str()) {
                Some(&i) => out.entry(label).or_default().push(i),
                None => {
                    unknown += 1;
                    first.get_or_insert(id);
                }
            }
        }
        if let Some(id) = first {
            console.warn(format!(
                "{}: {unknown} row(s) skipped: sentence id not in the sentence table (first: `{id}`)",
                path.display()
            ));
        }
        for v in out.values_mut() {
            v.sort_unstable();
            v.dedup();
        }
        out
    }

    fn ratio(x: Option<f64>) -> String {
        x.map_or_else(|| "-".to_owned(), |v| format!("{v:.3}"))
    }

    /// The ranked table (one row per phrase, label by label).
    pub fn table(found: &[Suggestion], with_rules: bool) -> String {
        let header = [
            "label",
            "phrase",
            "support",
            "new_tp",
            "articles",
            "precision",
            "cv_precision",
            "cv_n",
            "wilson_lb",
            "overlap",
        ];
        let rows: Vec<[String; 10]> = found
            .iter()
            .map(|s| {
                [
                    s.label.clone(),
                    s.phrase.clone(),
                    s.support.to_string(),
                    s.new_tp.to_string(),
                    s.articles.to_string(),
                    ratio(Some(s.precision())),
                    ratio(s.heldout_precision()),
                    s.heldout_n.to_string(),
                    format!("{:.3}", s.wilson_lower()),
                    match (with_rules, s.overlap) {
                        (true, Some(o)) => o.to_string(),
                        _ => "-".to_owned(),
                    },
                ]
            })
            .collect();
        let width = |c: usize| {
            rows.iter()
                .map(|r| r[c].chars().count())
                .chain([header[c].len()])
                .max()
                .unwrap_or(0)
        };
        let widths: Vec<usize> = (0..header.len()).map(width).collect();
        let line = |cells: &[&str]| {
            let mut l = String::new();
            for (c, cell) in cells.iter().enumerate() {
                if c > 0 {
                    l.push_str("  ");
                }
                let pad = widths[c] - cell.chars().count();
                if c < 2 {
                    l.push_str(cell);
                    l.push_str(&" ".repeat(pad));
                } else {
                    l.push_str(&" ".repeat(pad));
                    l.push_str(cell);
                }
            }
            l.trim_end().to_owned() + "\n"
        };
        let mut out = line(&header);
        out.push_str(&"-".repeat(out.len() - 1));
        out.push('\n');
        for r in &rows {
            let cells: Vec<&str> = r.iter().map(String::as_str).collect();
            out.push_str(&line(&cells));
        }
        out
    }

    /// A TOML basic string.
    fn quoted(s: &str) -> String {
        let mut out = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if c.is_control() => {
                    let _ = write!(out, "\\u{:04X}", c as u32);
                }
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    /// The label as an id part: lowercase letters and digits, other runs as one `-`.
    fn slug(label: &str) -> String {
        let mut out = String::new();
        for c in label.chars().flat_map(char::to_lowercase) {
            if c.is_ascii_alphanumeric() {
                out.push(c);
            } else if !out.ends_with('-') {
                out.push('-');
            }
        }
        out.trim_matches('-').to_owned()
    }

    /// Lexicon rules, one per phrase, the evidence as comments.
    pub fn toml(found: &[Suggestion], opts: &SuggestOptions) -> String {
        let mut out = format!(
            "# Suggested by `sentlab rules suggest`: {} lexicon rule(s). Precision held out by\n\
             # {}-fold cross-validation over articles; each phrase's new true positives lie in at\n\
             # least {} articles. Read the sentences before keeping a rule.\n",
            found.len(),
            opts.folds,
            opts.min_articles
        );
        let mut used = BTreeSet::new();
        let mut n_in_label: HashMap<&str, usize> = HashMap::new();
        for s in found {
            let n = n_in_label.entry(s.label.as_str()).or_default();
            *n += 1;
            let base = format!("suggest-{}-{}", slug(&s.label), n);
            let mut id = base.clone();
            let mut k = 1;
            while !used.insert(id.clone()) {
                k += 1;
                id = format!("{base}-{k}");
            }
            let _ = write!(
                out,
                "\n# {:?}: support {} sentence(s), {} gold (precision {}), {} new true positive(s) in {} article(s)\n",
                s.phrase,
                s.support,
                s.tp,
                ratio(Some(s.precision())),
                s.new_tp,
                s.articles
            );
            let _ = writeln!(
                out,
                "# held-out precision {} ({}/{} sentences), Wilson 95% lower bound {:.3}",
                ratio(s.heldout_precision()),
                s.heldout_tp,
                s.heldout_n,
                s.wilson_lower()
            );
            if let Some(o) = s.overlap {
                let _ = writeln!(
                    out,
                    "# overlap with existing rules of the label: {o} sentence(s)"
                );
            }
            let _ = writeln!(out, "[[rule]]");
            let _ = writeln!(out, "id = {}", quoted(&id));
            let _ = writeln!(out, "label = {}", quoted(&s.label));
            let inflect = if opts.inflect { ", inflect = true" } else { "" };
            let _ = writeln!(
                out,
                "lexicon = {{ words = [{}]{inflect} }}",
                quoted(&s.phrase)
            );
        }
        out
    }
}

/// `rules list` without a rule set: the packs built into the binary (`name,rules,summary`).
fn list_builtin_packs(format: RulesListFormat) -> Result<()> {
    let mut rows: Vec<[String; 3]> = Vec::new();
    for pack in crate::builtin::builtin_packs() {
        let set = load_rules(Path::new(pack.name), None)?;
        rows.push([
            pack.name.to_owned(),
            set.rules().len().to_string(),
            pack.summary.to_owned(),
        ]);
    }
    const HEADER: [&str; 3] = ["name", "rules", "summary"];
    let text = match format {
        RulesListFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(HEADER)?;
            for r in &rows {
                w.write_record(r)?;
            }
            String::from_utf8(w.into_inner().map_err(|e| anyhow!("{e}"))?)?
        }
        RulesListFormat::Json => {
            let packs: Vec<serde_json::Value> = rows
                .iter()
                .map(|[name, rules, summary]| {
                    serde_json::json!({"name": name, "rules": rules.parse::<u64>().unwrap_or(0), "summary": summary})
                })
                .collect();
            serde_json::to_string_pretty(&packs)? + "\n"
        }
        RulesListFormat::Table => {
            let width = rows.iter().map(|r| r[0].len()).max().unwrap_or(0).max(4);
            let mut out = format!("{:<width$}  rules  summary\n", "name");
            for [name, rules, summary] in &rows {
                out.push_str(&format!("{name:<width$}  {rules:>5}  {summary}\n"));
            }
            out
        }
    };
    crate::tables::write_text(None, &text)
}
