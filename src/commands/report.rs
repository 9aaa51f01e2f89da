//! `sentlab report`: the sentence table, gold and predictions in, one self-contained HTML
//! page out. Every input is read and checked before the page is written (atomically), so a
//! bad input leaves no half-written file. The page is made by [`crate::report::build`].

use std::path::Path;

use anyhow::{Result, anyhow, bail};

use crate::cli::ReportArgs;
use crate::eval::BOOTSTRAP_RANGE;
use crate::eval::compare::PERMUTATION_RANGE;
use crate::label_files::span_files;
use crate::labels::AgreementReport;
use crate::labels::SentenceIndex;
use crate::path_guard::PathGuard;
use crate::progress::Console;
use crate::report::build::{Inputs, Predictions, build_with_gold_spans, command_line};
use crate::report::{Provenance, sha256_hex};
use crate::rows::{PredictionRow, SentenceRow, SpanLabel};
use crate::tables::columns::read_columns;
use crate::tables::gold::{is_span_gold, read_spans};
use crate::tables::{self, Format, input::display_name};

/// Runs `report`.
pub fn run(args: &ReportArgs, console: Console) -> Result<()> {
    PathGuard::new()
        .input("--sentences", &args.sentences)
        .searched_inputs("--gold", [&args.gold], "labels", false)
        .inputs("--pred", &args.pred)
        .maybe_input("--rules", args.rules.as_ref())
        .maybe_input("--agreement", args.agreement.as_ref())
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
    if args.pred.len() > 2 {
        crate::usage_bail!(
            "--pred was given {} times: give one prediction table, or two to compare (A, then B)",
            args.pred.len()
        );
    }
    if args.pred.len() < 2 && args.permutations.is_some() {
        crate::usage_bail!(
            "--permutations sets the test of the compare view: it needs a second --pred"
        );
    }
    let permutations = args.permutations.unwrap_or(10_000);
    if !PERMUTATION_RANGE.contains(&permutations) {
        crate::usage_bail!(
            "--permutations {permutations}: expected {} to {} permutations",
            PERMUTATION_RANGE.start(),
            PERMUTATION_RANGE.end()
        );
    }
    let sentences_name = display_name(&args.sentences);
    let pred_name = display_name(&args.pred[0]);
    let pred_b_name = args.pred.get(1).map(|p| display_name(p));
    let gold_name = display_name(&args.gold);
    let sentences = crate::sentence_table::read_rows(&args.sentences)?;
    let (gold, gold_spans) = if is_span_gold(&args.gold)? {
        read_gold_spans(&args.gold, &sentences, console)?
    } else {
        (read_gold(&args.gold)?, Vec::new())
    };
    let preds = read_predictions(&args.pred[0])?;
    let preds_b = args.pred.get(1).map(|p| read_predictions(p)).transpose()?;
    for (rows, name) in [
        (Some(&preds), Some(&pred_name)),
        (preds_b.as_ref(), pred_b_name.as_ref()),
    ] {
        if let (Some(rows), Some(name)) = (rows, name)
            && rows.is_empty()
        {
            bail!(
                "{name}: no prediction rows: expected the prediction table `extract` writes (sentence_id, label, rule_id, start, end, ...), with at least one row"
            );
        }
    }
    let agreement = args.agreement.as_deref().map(read_agreement).transpose()?;
    let mut hashes = Vec::new();
    if let Some(rules) = &args.rules {
        hashes.push(("rules".to_owned(), hash_file(rules)?));
    }
    hashes.push(("gold".to_owned(), hash_gold(&args.gold)?));
    match &args.pred[..] {
        [a, b] => {
            hashes.push(("predictions A".to_owned(), hash_file(a)?));
            hashes.push(("predictions B".to_owned(), hash_file(b)?));
        }
        _ => hashes.push(("predictions".to_owned(), hash_file(&args.pred[0])?)),
    }
    if let Some(a) = &args.agreement {
        hashes.push(("agreement".to_owned(), hash_file(a)?));
    }
    let provenance = Provenance {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        command: command_line(),
        hashes,
    };
    let built = build_with_gold_spans(
        &Inputs {
            sentences: &sentences,
            sentences_name: &sentences_name,
            gold: &gold,
            gold_name: &gold_name,
            pred: Predictions {
                name: &pred_name,
                rows: &preds,
            },
            pred_b: preds_b
                .as_deref()
                .zip(pred_b_name.as_deref())
                .map(|(rows, name)| Predictions { name, rows }),
            permutations: permutations as usize,
            agreement: agreement.as_ref(),
            bootstrap: args.bootstrap as usize,
            seed: args.seed,
            max_articles: args.max_articles,
            provenance: &provenance,
        },
        &gold_spans,
    )?;
    for w in &built.warnings {
        console.warn(w);
    }
    tables::write_text(Some(&args.output), &built.html)?;
    console.info(format!("report: {}", args.output.display()));
    Ok(())
}

/// Gold (sentence id, label) pairs of a label table.
fn read_gold(path: &Path) -> Result<GoldPairs> {
    let gold_df = read_columns(path, &["sentence_id", "label"], true)?;
    let column = |name: &str| -> Result<Vec<String>> {
        Ok(gold_df
            .column(name)?
            .str()?
            .iter()
            .map(|v| v.unwrap_or("").to_owned())
            .collect())
    };
    Ok(column("sentence_id")?
        .into_iter()
        .zip(column("label")?)
        .collect())
}

/// Gold (sentence id, label) pairs.
type GoldPairs = Vec<(String, String)>;

/// Gold from PTC span files (a file or a directory of them), read as `eval` reads them: the
/// importer's warnings printed, skipped spans counted by reason in one warning naming the
/// first; the (sentence id, label) pairs the spans project onto, and the spans kept.
fn read_gold_spans(
    path: &Path,
    sentences: &[SentenceRow],
    console: Console,
) -> Result<(GoldPairs, Vec<SpanLabel>)> {
    let index = SentenceIndex::new(sentences).map_err(|e| anyhow!("{e}"))?;
    let (spans, pairs, skipped) = read_spans(&span_files(path)?, &index, console)?;
    if let Some(first) = skipped.first() {
        let reasons: Vec<String> = skipped.iter().map(|s| s.reason.to_string()).collect();
        console.warn(format!(
            "{}: {} gold span(s) skipped: {}",
            path.display(),
            skipped.len(),
            crate::progress::count_skipped(
                reasons.iter().map(String::as_str),
                Some(&format!("{}:{}", first.file, first.line))
            )
        ));
    }
    Ok((pairs, spans))
}

/// The SHA-256 of the gold: of the file, or for a directory of span files, of the listing
/// `sha256sum` prints for its `.labels` files (`HASH  NAME` lines, names relative to the
/// directory, in byte order), so `sha256sum *.labels | sha256sum` in it gives the same.
fn hash_gold(path: &Path) -> Result<String> {
    if !path.is_dir() {
        return hash_file(path);
    }
    let mut lines = Vec::new();
    for f in span_files(path)? {
        let name = f
            .strip_prefix(path)
            .unwrap_or(&f)
            .to_string_lossy()
            .into_owned();
        lines.push(format!("{}  {name}\n", hash_file(&f)?));
    }
    lines.sort_by(|a, b| a[66..].cmp(&b[66..]));
    Ok(sha256_hex(lines.concat().as_bytes()))
}

/// The agreement report `labels merge --report` writes (JSON).
fn read_agreement(path: &Path) -> Result<AgreementReport> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow!("{}: cannot read file: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| {
        anyhow!(
            "{}: {e}: expected the agreement report (JSON) that `labels merge --report` writes",
            path.display()
        )
    })
}

fn hash_file(path: &Path) -> Result<String> {
    let bytes =
        std::fs::read(path).map_err(|e| anyhow!("{}: cannot read file: {e}", path.display()))?;
    Ok(sha256_hex(&bytes))
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
