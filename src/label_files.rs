//! Annotator label files to gold: read (a file, or a directory of PTC span files as one
//! annotator), merged with the pure [`crate::labels`] module, with agreement statistics and
//! conflicts; and the writing of those outputs. Shared by `labels merge`, `stats`, `eval`
//! and `run`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use serde::Serialize;

use crate::labels::{
    self, GoldRowRef, ImportOptions, LabelFile, MergeOptions, MergeSummary, Merged, SentenceIndex,
};
use crate::progress::Console;
use crate::rows::{GoldRow, SentenceRow};
use crate::sentence_table::SentenceTable;
use crate::tables::write_text;
use crate::tables::{Format, Output, TableRow, TableWriter};

/// Reads a label schema file (TOML).
pub fn read_schema(path: &std::path::Path) -> Result<crate::labels::Schema> {
    use anyhow::Context;
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read schema", path.display()))?;
    Ok(crate::labels::Schema::from_toml(
        &path.display().to_string(),
        &text,
    )?)
}

/// `N annotators (a, b)` for a summary line: `1 annotator (a)`, and `0 annotators` without
/// an empty list.
pub fn annotators_text(names: &[String]) -> String {
    match names {
        [] => "0 annotators".to_string(),
        [one] => format!("1 annotator ({one})"),
        _ => format!("{} annotators ({})", names.len(), names.join(", ")),
    }
}

/// The span files of a gold path (a file, or the `*.labels` files of a directory, sorted).
pub fn span_files(path: &Path) -> Result<Vec<PathBuf>> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let files = crate::walk::files(path, false, &|p| {
        p.extension().is_some_and(|e| e == "labels")
    })?;
    if files.is_empty() {
        bail!(
            "{}: directory holds no .labels files (expected PTC span files)",
            path.display()
        );
    }
    Ok(files)
}

/// SHA-256 of the bytes of label files (a directory: its span files, sorted), in the order
/// given: the same files give the same hash (`stats --partial` records it, so `combine`
/// knows whether the shards read the same label files).
pub fn fingerprint(paths: &[PathBuf]) -> Result<String> {
    let mut hashes = String::new();
    for path in paths {
        for f in span_files(path)? {
            let bytes =
                std::fs::read(&f).with_context(|| format!("{}: cannot read file", f.display()))?;
            hashes += &crate::report::sha256_hex(&bytes);
            hashes.push('\n');
        }
    }
    Ok(crate::report::sha256_hex(hashes.as_bytes()))
}

/// Reads an annotator file, or a directory of PTC `*.labels` files as one annotator named
/// after the directory (errors and skipped rows name the file they come from).
pub fn read_label_file(
    path: &Path,
    index: &SentenceIndex,
    opts: &ImportOptions,
) -> Result<LabelFile> {
    let name = crate::tables::input::display_name(path);
    if path.is_dir() {
        let span_opts = ImportOptions {
            format: Some(labels::Format::PtcSpans),
            ..opts.clone()
        };
        let mut texts = Vec::new();
        for f in span_files(path)? {
            let text = std::fs::read_to_string(&f)
                .with_context(|| format!("{}: cannot read file", f.display()))?;
            texts.push((f.display().to_string(), text));
        }
        let parts: Vec<(&str, &str)> = texts
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        return Ok(labels::parse_span_files(&name, &parts, index, &span_opts)?);
    }
    let text = crate::tables::read_csv_text(path)?;
    Ok(labels::parse_label_file(&name, &text, index, opts)?)
}

/// The skipped rows counted by reason (`1 duplicate, 2 unknown-sentence`, or `none skipped`).
pub fn skipped_text(s: &MergeSummary) -> String {
    crate::progress::count_skipped(s.skipped.iter().map(|r| r.reason.key()), None)
}

/// Prints the first ten skipped rows (file:line, reason) on stderr.
pub fn print_skipped_rows(s: &MergeSummary, console: Console) {
    for row in s.skipped.iter().take(10) {
        console.warn(format!("skipped {row}"));
    }
    if s.skipped.len() > 10 {
        console.warn(format!(
            "... and {} more skipped rows",
            s.skipped.len() - 10
        ));
    }
}

/// Reads a coverage file: CSV `annotator,sentence_id`.
pub fn read_coverage(path: &Path) -> Result<HashMap<String, Vec<String>>> {
    #[derive(serde::Deserialize)]
    struct Row {
        annotator: String,
        sentence_id: String,
    }
    let name = path.display().to_string();
    let text = crate::tables::read_csv_text(path)?;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| crate::corpus::csv_error(&name, text.as_bytes(), e))?
        .clone();
    if !(headers.iter().any(|h| h == "annotator") && headers.iter().any(|h| h == "sentence_id")) {
        anyhow::bail!(
            "{name}: expected columns annotator,sentence_id; found {}",
            headers.iter().collect::<Vec<_>>().join(",")
        );
    }
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for row in reader.deserialize::<Row>() {
        let row = row.map_err(|e| crate::corpus::csv_error(&name, text.as_bytes(), e))?;
        out.entry(row.annotator).or_default().push(row.sentence_id);
    }
    Ok(out)
}

/// One row of the conflicts file.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct ConflictRow {
    /// The sentence.
    pub sentence_id: String,
    /// The label disagreed on.
    pub label: String,
    /// Annotators who gave the label, `;`-separated.
    pub yes: String,
    /// Annotators who saw the sentence and did not, `;`-separated.
    pub no: String,
    /// Whether the label is in the gold table.
    pub in_gold: bool,
    /// The sentence text.
    pub text: String,
}

impl TableRow for ConflictRow {
    const COLUMNS: &'static [&'static str] =
        &["sentence_id", "label", "yes", "no", "in_gold", "text"];
    fn to_frame(rows: &[Self]) -> polars::prelude::PolarsResult<polars::prelude::DataFrame> {
        use polars::prelude::{Column, DataFrame};
        let s = |f: fn(&ConflictRow) -> &str| {
            Column::new("".into(), rows.iter().map(f).collect::<Vec<_>>())
        };
        let named = |c: Column, n: &str| c.with_name(n.into());
        DataFrame::new(
            rows.len(),
            vec![
                named(s(|r| &r.sentence_id), "sentence_id"),
                named(s(|r| &r.label), "label"),
                named(s(|r| &r.yes), "yes"),
                named(s(|r| &r.no), "no"),
                Column::new(
                    "in_gold".into(),
                    rows.iter().map(|r| r.in_gold).collect::<Vec<_>>(),
                ),
                named(s(|r| &r.text), "text"),
            ],
        )
    }
}

/// Everything a merge produces, before any of it is written. The conflicts are listed
/// only when written (see [`write_outputs`]).
pub struct MergeOutcome<'s> {
    /// The merged gold rows and accounting.
    pub merged: Merged,
    /// Agreement statistics.
    pub report: labels::AgreementReport,
    /// Span gold: the spans voted per code point (empty without span inputs).
    pub spans: labels::SpanGold,
    /// Whether an annotator file holds spans, PTC span files or article tasks of a tool (the
    /// agreement bootstrap then resamples articles).
    pub span_inputs: bool,
    /// Whether every annotator file holds spans (the report then has span F1 between
    /// annotators, with two or more).
    pub spans_only: bool,
    /// The sentence table, indexed.
    index: SentenceIndex,
    /// The sentence texts, in table order (for the conflicts).
    texts: Texts<'s>,
}

/// Where the sentence texts of a merge are: parsed rows, or a [`SentenceTable`] (kept
/// only when the conflicts are written).
enum Texts<'s> {
    Rows(&'s [SentenceRow]),
    Table(Option<SentenceTable>),
}

impl Texts<'_> {
    /// The text of the sentence at a table position.
    fn text(&self, position: u32) -> &str {
        match self {
            Texts::Rows(rows) => &rows[position as usize].text,
            Texts::Table(table) => table.as_ref().map_or("", |t| t.text(position as usize)),
        }
    }
}

impl MergeOutcome<'_> {
    /// The sentence table, indexed.
    pub fn index(&self) -> &SentenceIndex {
        &self.index
    }

    /// The conflicts (see [`labels::conflicts`]) with their sentence text, in order.
    pub fn conflicts(&self) -> impl Iterator<Item = ConflictRow> + '_ {
        labels::conflicts(&self.merged, &self.index).map(|c| ConflictRow {
            sentence_id: c.sentence_id.to_string(),
            label: c.label.to_string(),
            yes: c.yes.join(";"),
            no: c.no.join(";"),
            in_gold: c.in_gold,
            text: self
                .index
                .position(c.sentence_id)
                .map_or("", |p| self.texts.text(p))
                .to_string(),
        })
    }
}

/// Refuses span files that look like the per-article files of ONE annotator given one by
/// one (as a shell glob `dir/*.labels` gives them): three or more PTC span files (not
/// directories) that each cover exactly one article, a different one each. A usage error
/// (exit 2) suggesting their directory (the message fits `labels merge` and a pipeline
/// config alike), unless `one_annotator_per_file`.
pub fn check_per_article_files(
    files: &[PathBuf],
    parsed: &[LabelFile],
    one_annotator_per_file: bool,
) -> Result<()> {
    if one_annotator_per_file {
        return Ok(());
    }
    let spans: Vec<(&PathBuf, &LabelFile)> = files
        .iter()
        .zip(parsed)
        .filter(|(p, f)| !p.is_dir() && f.format == Some(labels::Format::PtcSpans))
        .collect();
    if spans.len() < 3 {
        return Ok(());
    }
    let mut articles: HashSet<&str> = HashSet::new();
    for (_, file) in &spans {
        match file.articles() {
            [one] if articles.insert(one.as_str()) => {}
            _ => return Ok(()),
        }
    }
    let parent = |p: &Path| p.parent().map(Path::to_path_buf).unwrap_or_default();
    let example = spans[0].0;
    let dir = parent(example);
    let dir = if !dir.as_os_str().is_empty() && spans.iter().all(|(p, _)| parent(p) == dir) {
        dir.display().to_string()
    } else {
        "DIR".to_string()
    };
    crate::usage_bail!(
        "{} annotator files each cover exactly one article, a different one each (e.g. {}): they look like the per-article span files of ONE annotator; give their directory instead (`labels merge ... {dir}`, or `annotators = [\"{dir}\"]` in a pipeline config), or, if each file really is a different annotator, use `labels merge --one-annotator-per-file`",
        spans.len(),
        example.display()
    )
}

/// Reads the inputs and merges them (no output written). With `one_annotator_per_file`
/// false, per-article span files given one by one are refused (see
/// [`check_per_article_files`]).
pub fn merge_files<'s>(
    sentences: &'s [SentenceRow],
    files: &[PathBuf],
    adjudicator: Option<&Path>,
    schema: Option<&Path>,
    import: &ImportOptions,
    options: &MergeOptions,
    one_annotator_per_file: bool,
) -> Result<MergeOutcome<'s>> {
    let index = SentenceIndex::new(sentences).map_err(|e| anyhow!("{e}"))?;
    merge_indexed(
        index,
        Texts::Rows(sentences),
        false,
        files,
        adjudicator,
        schema,
        import,
        options,
        one_annotator_per_file,
    )
}

/// [`merge_files`] with the sentences of a [`SentenceTable`] (read compactly: no strings
/// per row), which is kept for the conflicts' texts only with `keep_texts` (else freed
/// once indexed); the gold rows are kept compactly too ([`Merged::gold`] is empty: see
/// [`Merged::gold_rows`]).
#[allow(clippy::too_many_arguments)]
pub fn merge_table_files(
    table: SentenceTable,
    keep_texts: bool,
    files: &[PathBuf],
    adjudicator: Option<&Path>,
    schema: Option<&Path>,
    import: &ImportOptions,
    options: &MergeOptions,
    one_annotator_per_file: bool,
) -> Result<MergeOutcome<'static>> {
    let index = SentenceIndex::from_parts(
        table.len(),
        (0..table.len()).map(|i| {
            let (start, end) = table.span(i);
            (table.article_id(i), table.sentence_id(i), start, end)
        }),
    )
    .map_err(|e| anyhow!("{e}"))?;
    merge_indexed(
        index,
        Texts::Table(keep_texts.then_some(table)),
        true,
        files,
        adjudicator,
        schema,
        import,
        options,
        one_annotator_per_file,
    )
}

#[allow(clippy::too_many_arguments)]
fn merge_indexed<'s>(
    index: SentenceIndex,
    texts: Texts<'s>,
    compact: bool,
    files: &[PathBuf],
    adjudicator: Option<&Path>,
    schema: Option<&Path>,
    import: &ImportOptions,
    options: &MergeOptions,
    one_annotator_per_file: bool,
) -> Result<MergeOutcome<'s>> {
    use rayon::prelude::*;
    let schema = schema.map(read_schema).transpose()?;
    // Files are read and parsed in parallel; the first error in the order given wins.
    let parsed: Vec<Result<LabelFile>> = files
        .par_iter()
        .map(|f| read_label_file(f, &index, import))
        .collect();
    let parsed: Vec<LabelFile> = parsed.into_iter().collect::<Result<_>>()?;
    check_per_article_files(files, &parsed, one_annotator_per_file)?;
    if import.min_overlap != 1
        && !parsed
            .iter()
            .any(|f| f.format == Some(labels::Format::PtcSpans))
    {
        crate::usage_bail!(
            "--min-overlap is the overlap a PTC span needs to label a sentence, and no annotator file holds PTC spans"
        );
    }
    let mut seen: HashMap<&str, &Path> = HashMap::new();
    for (file, path) in parsed.iter().zip(files) {
        for a in file.annotators() {
            if let Some(first) = seen.insert(a, path)
                && first != path.as_path()
            {
                anyhow::bail!(
                    "annotator `{a}` comes from both {} and {} (the annotator is the file stem unless the file has an `annotator` column): rename one file or add an `annotator` column",
                    first.display(),
                    path.display()
                );
            }
        }
    }
    let adjudicator = adjudicator
        .map(|p| read_label_file(p, &index, import))
        .transpose()?;
    // The span vote and the span agreement read the files' spans before a compact merge
    // frees their entries.
    let spans = labels::merge_spans(&index, &parsed, schema.as_ref(), options);
    let span_inputs = parsed
        .iter()
        .any(|f| f.format == Some(labels::Format::PtcSpans) || f.has_article_tasks());
    let spans_only = labels::spans_only(&parsed);
    let span_f1 = labels::span_agreement(&parsed, &index);
    let merged = if compact {
        labels::merge_compact(&index, parsed, adjudicator, schema.as_ref(), options)?
    } else {
        labels::merge(
            &index,
            &parsed,
            adjudicator.as_ref(),
            schema.as_ref(),
            options,
        )?
    };
    let mut report = labels::agreement(&merged);
    report.span_f1 = span_f1;
    Ok(MergeOutcome {
        merged,
        report,
        spans,
        span_inputs,
        spans_only,
        index,
        texts,
    })
}

/// Prints the merge accounting (rows merged, skipped by reason, warnings) on stderr.
pub fn print_summary(merged: &Merged, console: Console) {
    let s = &merged.summary;
    for w in &s.warnings {
        console.warn(w);
    }
    console.info(format!(
        "labels merge: {}, {} label rows read, {} merged, skipped: {}; {} gold rows, {} labels",
        annotators_text(&s.annotators),
        s.rows_read,
        s.rows_merged,
        skipped_text(s),
        merged.gold_len(),
        s.labels.len()
    ));
    print_skipped_rows(s, console);
}

/// Writes the gold table, the agreement report and the conflicts file.
pub fn write_outputs(
    outcome: &MergeOutcome<'_>,
    output: Option<&Path>,
    format: Format,
    report: Option<&Path>,
    conflicts: Option<&Path>,
    csv: crate::tables::CsvOptions,
    console: Console,
) -> Result<()> {
    use std::io::Write;
    let table_text = labels::render_table(&outcome.report);
    let report_file = report.filter(|p| p.as_os_str() != "-");
    // Every output is opened (as a temporary file) before any is written, and all are
    // committed at the end, so a bad path leaves none of them behind.
    let mut gold = TableWriter::<GoldRow>::create_with(output, format, csv)?;
    let mut report_out = report_file.map(|p| Output::create(Some(p))).transpose()?;
    let mut conflicts_out = conflicts
        .map(|p| {
            TableWriter::<ConflictRow>::create_with(
                Some(p),
                Format::for_output(None, Some(p))?,
                csv,
            )
        })
        .transpose()?;
    let mut rows = outcome.merged.gold_rows(&outcome.index).peekable();
    while rows.peek().is_some() {
        let batch: Vec<GoldRowRef> = rows.by_ref().take(8 * 1024).collect();
        gold.write_refs(&batch, GoldRowRef::to_row)?;
    }
    if let Some(out) = &mut report_out {
        let json = labels::render_json(&outcome.report);
        out.write_all(json.as_bytes())
            .context("cannot write the agreement report")?;
    }
    if let Some(w) = &mut conflicts_out {
        w.write_all(outcome.conflicts())?;
    }
    gold.finish()?;
    if let Some(out) = report_out {
        out.commit()?;
    }
    if let (Some(w), Some(p)) = (conflicts_out, conflicts) {
        let n = w.finish()?;
        console.info(format!("labels merge: {n} conflicts -> {}", p.display()));
    }
    match report {
        Some(p) if p.as_os_str() == "-" => write_text(None, &table_text)?,
        _ if !console.quiet => eprint!("{table_text}"),
        _ => {}
    }
    Ok(())
}
