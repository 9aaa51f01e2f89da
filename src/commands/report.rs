//! `sentlab report`: the sentence table, gold and predictions in, one self-contained HTML
//! page out. Every input is read and checked before the page is written (atomically), so a
//! bad input leaves no half-written file.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::{Result, anyhow, bail};

use crate::cli::ReportArgs;
use crate::eval::{self, BOOTSTRAP_RANGE, BootstrapOptions, Report, SentenceOptions, Universe};
use crate::path_guard::PathGuard;
use crate::progress::Console;
use crate::report::{PageData, Provenance, page, sha256_hex};
use crate::rows::PredictionRow;
use crate::tables::columns::read_columns;
use crate::tables::{self, Format, input::display_name};

/// Runs `report`.
pub fn run(args: &ReportArgs, console: Console) -> Result<()> {
    PathGuard::new()
        .input("--sentences", &args.sentences)
        .input("--gold", &args.gold)
        .input("--pred", &args.pred)
        .maybe_input("--rules", args.rules.as_ref())
        .output("-o", Some(&args.output))
        .check()?;
    if !BOOTSTRAP_RANGE.contains(&args.bootstrap) {
        crate::usage_bail!(
            "--bootstrap {}: expected {} to {} resamples",
            args.bootstrap,
            BOOTSTRAP_RANGE.start(),
            BOOTSTRAP_RANGE.end()
        );
    }
    let sentences_name = display_name(&args.sentences);
    let pred_name = display_name(&args.pred);
    let sentences = crate::sentence_table::read_rows(&args.sentences)?;
    let universe =
        Universe::from_sentences(&sentences).map_err(|e| anyhow!("{sentences_name}: {e}"))?;
    let gold_df = read_columns(&args.gold, &["sentence_id", "label"], true)?;
    let column = |name: &str| -> Result<Vec<String>> {
        Ok(gold_df
            .column(name)?
            .str()?
            .iter()
            .map(|v| v.unwrap_or("").to_owned())
            .collect())
    };
    let gold: Vec<(String, String)> = column("sentence_id")?
        .into_iter()
        .zip(column("label")?)
        .collect();
    let preds = read_predictions(&args.pred)?;
    if preds.is_empty() {
        bail!(
            "{pred_name}: no prediction rows: expected the prediction table `extract` writes (sentence_id, label, rule_id, start, end, ...), with at least one row"
        );
    }
    // Every prediction names a sentence of the table and lies inside it.
    let mut placed = Vec::with_capacity(preds.len());
    for (i, p) in preds.iter().enumerate() {
        let Some(s) = universe.get(&p.sentence_id) else {
            bail!(
                "{pred_name}: data row {}: sentence `{}` is not in the sentence table {sentences_name}: expected the sentence table the predictions were made from",
                i + 1,
                p.sentence_id
            );
        };
        let row = &sentences[s as usize];
        if p.start > p.end || p.start < row.start || p.end > row.end {
            bail!(
                "{pred_name}: data row {}: span {}-{} is not inside sentence `{}` ({}-{}): expected start <= end within the sentence",
                i + 1,
                p.start,
                p.end,
                p.sentence_id,
                row.start,
                row.end
            );
        }
        placed.push((s as usize, p));
    }
    let ev = eval::evaluate_pairs(
        &universe,
        gold.iter().map(|(s, l)| (s.as_str(), l.as_str())),
        preds
            .iter()
            .map(|r| (r.sentence_id.as_str(), r.label.as_str())),
        &SentenceOptions::default(),
    )
    .map_err(|e| anyhow!("{e}"))?;
    let d = &ev.diagnostics;
    if d.gold_outside > 0 {
        console.warn(format!(
            "{}: {} gold rows outside the sentence table (skipped), e.g. {}",
            display_name(&args.gold),
            d.gold_outside,
            d.outside_examples.join(", ")
        ));
    }
    let mut report = Report::from_sentence(&ev);
    report.attach_bootstrap(&eval::bootstrap(
        &ev,
        &universe,
        &BootstrapOptions {
            n: args.bootstrap as usize,
            seed: args.seed,
            threads: rayon::current_num_threads(),
        },
    ));
    report.sort(eval::SortKey::Support);
    let rules = eval::by_rule(&ev, &universe, &preds);
    let articles = eval::by_article(&ev, &universe);
    let confusion = eval::confusion(&ev, universe.len());
    let json = figures_json(&report, &rules, &articles, &confusion)?;
    let gold_set: BTreeSet<(usize, String)> = ev
        .counts
        .gold
        .iter()
        .map(|&k| {
            let (s, l) = eval::sentence::unkey(k);
            (s as usize, ev.labels.names()[l as usize].clone())
        })
        .collect();
    let mut hashes = Vec::new();
    if let Some(rules) = &args.rules {
        hashes.push(("rules".to_owned(), hash_file(rules)?));
    }
    hashes.push(("gold".to_owned(), hash_file(&args.gold)?));
    hashes.push(("predictions".to_owned(), hash_file(&args.pred)?));
    let provenance = Provenance {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        command: command_line(),
        hashes,
    };
    let html = page(&PageData {
        report: &report,
        rules: &rules,
        articles: &articles,
        confusion: &confusion,
        sentences: &sentences,
        gold: &gold_set,
        predictions: &placed,
        json: &json,
        max_articles: args.max_articles,
        provenance: &provenance,
    });
    tables::write_text(Some(&args.output), &html)?;
    console.info(format!("report: {}", args.output.display()));
    Ok(())
}

/// The figures of the page as JSON: each view as `eval --format json` writes it
/// (`labels`: `--by label` with the intervals, `rules`, `articles`, `confusion`).
fn figures_json(
    report: &Report,
    rules: &[eval::RuleRow],
    articles: &[eval::ArticleRow],
    confusion: &eval::Confusion,
) -> Result<String> {
    let parse = |s: String| serde_json::from_str::<serde_json::Value>(&s);
    let v = serde_json::json!({
        "labels": parse(report.render(eval::Format::Json))?,
        "rules": parse(eval::render_rules(rules, eval::Format::Json))?,
        "articles": parse(eval::render_articles(articles, eval::Format::Json))?,
        "confusion": parse(eval::render_confusion(confusion, eval::Format::Json))?,
    });
    Ok(v.to_string())
}

fn hash_file(path: &Path) -> Result<String> {
    let bytes =
        std::fs::read(path).map_err(|e| anyhow!("{}: cannot read file: {e}", path.display()))?;
    Ok(sha256_hex(&bytes))
}

/// The command line as typed, arguments with spaces or quotes single-quoted.
fn command_line() -> String {
    let mut args: Vec<String> = std::env::args().collect();
    if let Some(first) = args.first_mut() {
        *first = "sentlab".to_owned();
    }
    args.iter()
        .map(|a| {
            if a.is_empty() || a.contains(|c: char| c.is_whitespace() || "'\"\\$`".contains(c)) {
                format!("'{}'", a.replace('\'', "'\\''"))
            } else {
                a.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn read_predictions(path: &Path) -> Result<Vec<PredictionRow>> {
    let input = tables::input::read(path)?;
    let (name, format) = (input.name.clone(), input.format);
    let text = tables::input_text(input)?;
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    match format {
        Format::Jsonl => tables::parse_jsonl_table(&name, &text),
        _ => tables::parse_csv_table(&name, &text),
    }
}
