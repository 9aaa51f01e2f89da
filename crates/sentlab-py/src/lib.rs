//! The Python package `sentlab`: the sentlab core over Arrow tables.
//!
//! Tables come in as anything that speaks the Arrow PyCapsule interface (a pyarrow
//! `Table`, `RecordBatch` or `RecordBatchReader`, among others; see `stream`) and go out
//! as pyarrow `Table`s with the columns and types of the command line's Arrow outputs. Bad
//! data raises `ValueError`, a file that cannot be read `OSError`, input that is not a table
//! `TypeError`, with the command line's messages (a table's name where it names a file,
//! `row N`, 0-based, where it names a line).

mod columns;
mod stream;
mod tables;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use pyo3::exceptions::{PyUserWarning, PyValueError};
use pyo3::prelude::*;
use sentlab_core::builtin;
use sentlab_core::eval::{
    self, BootstrapOptions, EvalData, EvalOptions, Gold, Level, Partial, Predictions, SortKey,
    Universe,
};
use sentlab_core::labels;
use sentlab_core::rows::{SentenceKind, SentenceRow};
use sentlab_core::rules::{ArticleSentence, Matcher, RuleSource};
use sentlab_core::segment::SplitOptions;

use columns::{DataError, Ids, Table};

impl From<DataError> for PyErr {
    fn from(e: DataError) -> PyErr {
        PyValueError::new_err(e.0)
    }
}

/// The batches and column names of an Arrow table given from Python.
fn table(name: &str, data: &Bound<'_, PyAny>) -> PyResult<Table> {
    let (schema, batches) = stream::read(name, data)?;
    Ok(Table {
        name: name.to_string(),
        batches,
        columns: schema.fields().iter().map(|f| f.name().clone()).collect(),
    })
}

fn warn(py: Python<'_>, message: &str) -> PyResult<()> {
    let category = py.get_type::<PyUserWarning>();
    let message = std::ffi::CString::new(message.replace('\0', " ")).expect("no NUL byte");
    PyErr::warn(py, &category, &message, 1)
}

/// Joins a title and a body in the corpus layout (`title`, blank line, body), as the
/// command line does for JSON Lines and CSV articles; without a title the body is the
/// text.
fn compose(title: Option<&str>, body: &str) -> (String, bool) {
    match title {
        Some(t) if !t.trim().is_empty() => (format!("{t}\n\n{body}"), true),
        _ => (body.to_string(), false),
    }
}

/// Splits articles into the sentence table (the command line's `split` on JSON Lines
/// articles with the same fields).
#[pyfunction]
fn split(py: Python<'_>, articles: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let t = table("articles", articles)?;
    if !(t.has("id") && t.has("text")) {
        return Err(DataError(format!(
            "articles: expected columns `id` and `text` (title optional `title`), found: {}",
            t.columns.join(", ")
        ))
        .into());
    }
    let ids = Ids::read(&t, "id")?.values();
    let texts = t.strings("text")?;
    let titles = if t.has("title") {
        Some(t.strings("title")?)
    } else {
        None
    };
    let titles: Vec<Option<&str>> = match &titles {
        Some(c) => c.values().collect(),
        None => vec![None; t.rows()],
    };
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut articles = Vec::with_capacity(ids.len());
    for (i, (id, text)) in ids.iter().zip(texts.values()).enumerate() {
        let Some(id) = id else {
            return Err(DataError(format!(
                "articles row {i}: expected a string or number field `id` (the article id)"
            ))
            .into());
        };
        let Some(text) = text else {
            return Err(DataError(format!(
                "articles row {i}: expected a string field `text` (the article text)"
            ))
            .into());
        };
        if id.trim().is_empty() {
            return Err(DataError(format!(
                "articles row {i}: empty `id` (expected a non-empty article id)"
            ))
            .into());
        }
        if let Some(first) = seen.insert(id.as_str(), i) {
            return Err(DataError(format!(
                "duplicate article id `{id}`: in articles row {first} and in articles row {i} (article ids must be unique)"
            ))
            .into());
        }
        articles.push((id.as_str(), titles[i], text));
    }
    let split = SplitOptions::default();
    let rows: Vec<Vec<SentenceRow>> = py.detach(|| {
        use rayon::prelude::*;
        articles
            .par_iter()
            .map(|(id, title, body)| {
                let (text, has_title) = compose(*title, body);
                sentlab_core::sentences::sentence_rows(id, &text, has_title, &split)
            })
            .collect()
    });
    for (i, r) in rows.iter().enumerate() {
        if r.is_empty() {
            warn(
                py,
                &format!("articles row {i}: empty article (no sentences)"),
            )?;
        }
    }
    let rows: Vec<SentenceRow> = rows.into_iter().flatten().collect();
    stream::to_pyarrow(py, tables::sentences(&rows))
}

/// A compiled rule pack (the command line's `--rules`).
#[pyclass(frozen, module = "sentlab")]
struct Rules {
    matcher: Matcher,
    path: String,
    count: usize,
}

/// Reads a rules or lexicon file: UTF-8 text, a leading byte-order mark dropped (as the
/// command line reads them). A path under `<built-in>` is a file of a built-in pack (its
/// lexicons), never one on disk.
fn read_text(path: &Path) -> std::io::Result<String> {
    let bytes = if builtin::is_builtin_path(path) {
        builtin::read(path)
            .ok_or_else(|| {
                std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no such built-in file (expected a file of the built-in pack)",
                )
            })?
            .to_vec()
    } else {
        std::fs::read(path)?
    };
    sentlab_core::text::strict_utf8(bytes)
        .map_err(|message| std::io::Error::new(std::io::ErrorKind::InvalidData, message))
}

/// A built-in pack by name (its rules file under `<built-in>`), a rules file, or every
/// `*.toml` file of a directory (not recursive, hidden files skipped) sorted by file name.
fn load_sources(path: &Path) -> std::io::Result<Vec<RuleSource>> {
    if builtin::is_builtin_path(path) {
        let text = read_text(path)?;
        return Ok(vec![RuleSource {
            path: path.to_path_buf(),
            text,
        }]);
    }
    let mut paths = Vec::new();
    let is_dir = path.is_dir();
    if is_dir {
        for entry in std::fs::read_dir(path)? {
            let p = entry?.path();
            let hidden = p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if !hidden && p.extension().is_some_and(|e| e == "toml") && p.is_file() {
                paths.push(p);
            }
        }
        paths.sort();
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

/// An `OSError` (its subclass for the error's kind, e.g. `FileNotFoundError`) with
/// `message`.
fn os_error(e: &std::io::Error, message: String) -> PyErr {
    let err = PyErr::from(std::io::Error::new(e.kind(), message.clone()));
    // `From<io::Error>` picks the subclass; keep the message as the command line words it.
    Python::attach(|py| {
        let ty = err.get_type(py);
        PyErr::from_type(ty, message)
    })
}

#[pymethods]
impl Rules {
    /// Reads and compiles a rule pack: a `.toml` file, a directory of them, or a built-in
    /// pack by name (`propaganda`) when no file or directory of that name exists (as the
    /// command line's `--rules`; when one exists it is used, with a `UserWarning`).
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Rules> {
        let path = match path.to_str().and_then(builtin::pack) {
            Some(pack) if path.symlink_metadata().is_err() => pack.path(),
            Some(_) => {
                let name = path.display();
                warn(
                    py,
                    &format!(
                        "rules `{name}`: the file or directory `{name}` here is used, not the built-in pack `{name}` (write ./{name} to silence this warning, or move it to use the built-in pack)"
                    ),
                )?;
                path
            }
            None => path,
        };
        let name = path.display().to_string();
        py.detach(|| {
            let sources = load_sources(&path)
                .map_err(|e| os_error(&e, format!("{name}: cannot read rules: {e}")))?;
            if sources.is_empty() {
                return Err(DataError(format!(
                    "{name}: no rule files (expected a .toml file or a directory of them)"
                ))
                .into());
            }
            let lexicon_error = std::sync::Mutex::new(None);
            let read = |p: &Path| {
                read_text(p).inspect_err(|e| {
                    let mut first = lexicon_error.lock().expect("not poisoned");
                    if first.is_none() {
                        *first = Some(std::io::Error::new(e.kind(), e.to_string()));
                    }
                })
            };
            let set = sentlab_core::rules::parse(&sources, &read, None).map_err(|diags| {
                let list: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
                let message = format!(
                    "{}\n{} problem(s) in the rules",
                    list.join("\n"),
                    diags.len()
                );
                match lexicon_error.lock().expect("not poisoned").take() {
                    // A lexicon file that cannot be read is a file error.
                    Some(e) => os_error(&e, message),
                    None => PyValueError::new_err(message),
                }
            })?;
            let matcher = set
                .compile()
                .map_err(|e| PyValueError::new_err(format!("{name}: {e}")))?;
            Ok(Rules {
                matcher,
                path: name.clone(),
                count: set.rules().len(),
            })
        })
    }

    /// The rules' predictions on a sentence table (the command line's `extract`).
    fn extract(&self, py: Python<'_>, sentences: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let t = table("sentences", sentences)?;
        t.require(tables::SENTENCE_COLUMNS)?;
        let article_ids = t.strings("article_id")?;
        let article_ids = article_ids.required()?;
        let sentence_ids = t.strings("sentence_id")?;
        let sentence_ids = sentence_ids.required()?;
        let kinds = t.strings("kind")?;
        let texts = t.strings("text")?;
        let texts = texts.required()?;
        let starts = t.integers("start")?.non_negative(u64::MAX)?;
        let kinds = kinds
            .values()
            .enumerate()
            .map(|(i, k)| match k {
                Some("title") => Ok(SentenceKind::Title),
                Some("body") => Ok(SentenceKind::Body),
                other => Err(DataError(format!(
                    "sentences row {i}: unknown variant `{}`, expected `title` or `body`",
                    other.unwrap_or("null")
                ))),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, id) in sentence_ids.iter().enumerate() {
            if let Some(first) = seen.insert(id, i) {
                return Err(DataError(format!(
                    "sentences row {i}: duplicate sentence id `{id}` (first on row {first}; expected unique sentence ids)"
                ))
                .into());
            }
        }
        // The rows of each article, articles in order of first appearance.
        let mut group_of: HashMap<&str, usize> = HashMap::new();
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for (i, a) in article_ids.iter().enumerate() {
            let g = *group_of.entry(a).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[g].push(i);
        }
        let sentence = |i: usize| ArticleSentence {
            sentence_id: sentence_ids[i],
            kind: kinds[i],
            text: texts[i],
            start: starts[i],
        };
        let rows = py.detach(|| {
            use rayon::prelude::*;
            let hits: Vec<_> = groups
                .par_iter()
                .map(|g| {
                    let sentences: Vec<ArticleSentence<'_>> =
                        g.iter().map(|&i| sentence(i)).collect();
                    let hits = self.matcher.article_hits(&sentences);
                    hits.iter()
                        .map(|h| self.matcher.prediction(&sentences, h).to_row())
                        .collect::<Vec<_>>()
                })
                .collect();
            hits.into_iter().flatten().collect::<Vec<_>>()
        });
        stream::to_pyarrow(py, tables::predictions(&rows))
    }

    /// The number of rules.
    fn __len__(&self) -> usize {
        self.count
    }

    fn __repr__(&self) -> String {
        format!("Rules.load({:?}) ({} rules)", self.path, self.count)
    }
}

/// (sentence id, label) pairs of a label table (gold or predictions).
fn label_pairs(t: &Table) -> PyResult<Vec<(String, String)>> {
    t.require(&["sentence_id", "label"])?;
    let ids = t.strings("sentence_id")?;
    let labels = t.strings("label")?;
    Ok(ids
        .required()?
        .into_iter()
        .zip(labels.required()?)
        .map(|(s, l)| (s.to_string(), l.to_string()))
        .collect())
}

/// The label tables of an evaluation, read: the sentence universe, gold and prediction
/// pairs.
struct EvalTables {
    universe: Universe,
    gold: Vec<(String, String)>,
    pred: Vec<(String, String)>,
}

impl EvalTables {
    fn read(
        sentences: &Bound<'_, PyAny>,
        gold: &Bound<'_, PyAny>,
        pred: &Bound<'_, PyAny>,
    ) -> PyResult<EvalTables> {
        let s = table("sentences", sentences)?;
        s.require(&["sentence_id"])?;
        let ids = s.strings("sentence_id")?;
        let universe = Universe::from_ids(ids.required()?)
            .map_err(|e| PyValueError::new_err(format!("sentences: {e}")))?;
        Ok(EvalTables {
            universe,
            gold: label_pairs(&table("gold", gold)?)?,
            pred: label_pairs(&table("pred", pred)?)?,
        })
    }

    /// The sentence-level report of `options` (warnings given as `UserWarning`s).
    fn report(&self, py: Python<'_>, options: &EvalOptions) -> PyResult<eval::EvalReport> {
        let place = |row: usize| format!("pred row {row}");
        let data = EvalData {
            universe: &self.universe,
            sentences: None,
            gold: Gold::Pairs(&self.gold),
            predictions: Predictions::Pairs(&self.pred),
            schema: None,
            sentences_name: "sentences",
            predictions_name: "pred",
            prediction_place: &place,
        };
        // Under the GIL: the report borrows the tables through trait objects that are not
        // `Sync`.
        let reported = eval::report(&data, options);
        for note in &reported.notes {
            if let eval::Note::Warn(text) = note {
                warn(py, text)?;
            }
        }
        reported
            .report
            .map_err(|e| PyValueError::new_err(format!("{e:#}")))
    }
}

/// Precision, recall and F1 of predictions against gold (the command line's `eval`).
#[pyfunction]
#[pyo3(signature = (sentences, gold, pred, *, level = "sentence"))]
fn evaluate(
    py: Python<'_>,
    sentences: &Bound<'_, PyAny>,
    gold: &Bound<'_, PyAny>,
    pred: &Bound<'_, PyAny>,
    level: &str,
) -> PyResult<Py<PyAny>> {
    let level = match level {
        "sentence" => Level::Sentence,
        "span" => {
            return Err(PyValueError::new_err(
                "level=\"span\" needs gold spans (PTC span files): use the command line (`sentlab eval --level span`)",
            ));
        }
        other => {
            return Err(PyValueError::new_err(format!(
                "level={other:?}: expected \"sentence\" or \"span\""
            )));
        }
    };
    let tables = EvalTables::read(sentences, gold, pred)?;
    let options = EvalOptions {
        level,
        format: eval::Format::Csv,
        ..EvalOptions::default()
    };
    let report = tables.report(py, &options)?;
    stream::to_pyarrow(py, tables::report(&report.text)?)
}

/// The partial result of a sentence-level evaluation (the command line's `eval --partial
/// FILE`): the same JSON text, for `combine`.
#[pyfunction]
fn evaluate_partial(
    py: Python<'_>,
    sentences: &Bound<'_, PyAny>,
    gold: &Bound<'_, PyAny>,
    pred: &Bound<'_, PyAny>,
) -> PyResult<String> {
    let tables = EvalTables::read(sentences, gold, pred)?;
    let options = EvalOptions {
        level: Level::Sentence,
        format: eval::Format::Csv,
        partial: true,
        ..EvalOptions::default()
    };
    let report = tables.report(py, &options)?;
    let partial = report
        .partial
        .ok_or_else(|| PyValueError::new_err("no partial result (sentence level only)"))?;
    Ok(partial.to_json())
}

/// The report of one evaluation over all the articles of `partials` (the command line's
/// `combine`), as the text `sentlab combine --format FORMAT` writes.
#[pyfunction]
#[pyo3(signature = (partials, *, format = "json", sort = "support", bootstrap = None, seed = None))]
fn combine(
    py: Python<'_>,
    partials: Vec<String>,
    format: &str,
    sort: &str,
    bootstrap: Option<u32>,
    seed: Option<u64>,
) -> PyResult<String> {
    let format = match format {
        "table" => eval::Format::Table,
        "markdown" => eval::Format::Markdown,
        "json" => eval::Format::Json,
        "csv" => eval::Format::Csv,
        other => {
            return Err(PyValueError::new_err(format!(
                "format={other:?}: expected \"json\", \"csv\", \"table\" or \"markdown\""
            )));
        }
    };
    let sort = match sort {
        "support" => SortKey::Support,
        "label" => SortKey::Label,
        "f1" => SortKey::F1,
        other => {
            return Err(PyValueError::new_err(format!(
                "sort={other:?}: expected \"support\", \"label\" or \"f1\""
            )));
        }
    };
    if seed.is_some() && bootstrap.is_none() {
        return Err(PyValueError::new_err(
            "seed chooses the bootstrap's draws: it needs bootstrap=N",
        ));
    }
    if let Some(n) = bootstrap
        && !eval::BOOTSTRAP_RANGE.contains(&n)
    {
        return Err(PyValueError::new_err(format!(
            "bootstrap={n}: expected {} to {} resamples",
            eval::BOOTSTRAP_RANGE.start(),
            eval::BOOTSTRAP_RANGE.end()
        )));
    }
    if partials.is_empty() {
        return Err(PyValueError::new_err(
            "partials: expected at least one partial result (of evaluate_partial or `sentlab eval --partial`)",
        ));
    }
    py.detach(|| {
        let mut parts = Vec::with_capacity(partials.len());
        for (k, text) in partials.iter().enumerate() {
            let name = format!("partials[{k}]");
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            let partial = Partial::from_json(&name, text).map_err(PyValueError::new_err)?;
            parts.push((name, partial));
        }
        let bootstrap = bootstrap.map(|n| BootstrapOptions {
            n: n as usize,
            seed: seed.unwrap_or(eval::DEFAULT_SEED),
            threads: rayon::current_num_threads(),
        });
        let mut combined =
            eval::combine(&parts, bootstrap.as_ref()).map_err(PyValueError::new_err)?;
        combined.report.sort(sort);
        Ok(combined.report.render(format))
    })
}

/// The merge options of the command line's `--strategy`, `--min-votes` and `--tie`, with
/// its messages for contradictory choices.
fn merge_options(
    strategy: &str,
    min_votes: Option<u32>,
    tie: Option<&str>,
    strict: bool,
) -> PyResult<labels::MergeOptions> {
    use labels::{Strategy, TieRule};
    let strategy = match (strategy, min_votes) {
        ("majority", None) => Strategy::Majority,
        ("unanimous", None) => Strategy::Unanimous,
        ("any", None) => Strategy::Any,
        ("min-votes" | "majority", Some(0)) => {
            return Err(PyValueError::new_err("min_votes must be at least 1"));
        }
        ("min-votes", Some(k)) => Strategy::MinVotes(k),
        ("min-votes", None) => {
            return Err(PyValueError::new_err(
                "strategy=\"min-votes\" needs min_votes=K",
            ));
        }
        ("unanimous" | "any" | "majority", Some(_)) => {
            return Err(PyValueError::new_err(format!(
                "min_votes conflicts with strategy={strategy:?}; use strategy=\"min-votes\", min_votes=K"
            )));
        }
        (other, _) => {
            return Err(PyValueError::new_err(format!(
                "strategy={other:?}: expected \"majority\", \"unanimous\", \"any\" or \"min-votes\""
            )));
        }
    };
    let tie = match tie {
        None => TieRule::No,
        Some(_) if strategy != Strategy::Majority => {
            return Err(PyValueError::new_err(
                "tie only applies to strategy=\"majority\"",
            ));
        }
        Some("yes") => TieRule::Yes,
        Some("no") => TieRule::No,
        Some(other) => {
            return Err(PyValueError::new_err(format!(
                "tie={other:?}: expected \"yes\" or \"no\""
            )));
        }
    };
    Ok(labels::MergeOptions {
        strategy,
        tie,
        strict,
        coverage: HashMap::new(),
    })
}

/// Merges annotators' long label tables into gold labels and agreement statistics (the
/// command line's `labels merge`): the gold table and the agreement report as the dict of
/// `--report agreement.json`.
#[pyfunction]
#[pyo3(signature = (sentences, annotators, *, schema = None, strategy = "majority", min_votes = None, tie = None, strict = false))]
#[allow(clippy::too_many_arguments)]
fn merge(
    py: Python<'_>,
    sentences: &Bound<'_, PyAny>,
    annotators: Vec<Bound<'_, PyAny>>,
    schema: Option<PathBuf>,
    strategy: &str,
    min_votes: Option<u32>,
    tie: Option<&str>,
    strict: bool,
) -> PyResult<(Py<PyAny>, Py<PyAny>)> {
    let options = merge_options(strategy, min_votes, tie, strict)?;
    let schema = schema
        .map(|path| {
            let name = path.display().to_string();
            let text = read_text(&path)
                .map_err(|e| os_error(&e, format!("{name}: cannot read schema: {e}")))?;
            labels::Schema::from_toml(&name, &text)
                .map_err(|e| PyValueError::new_err(e.to_string()))
        })
        .transpose()?;
    let s = table("sentences", sentences)?;
    s.require(&["article_id", "sentence_id", "start", "end"])?;
    let article_ids = s.strings("article_id")?;
    let article_ids = article_ids.required()?;
    let sentence_ids = s.strings("sentence_id")?;
    let sentence_ids = sentence_ids.required()?;
    let starts = s.integers("start")?.non_negative(u64::MAX)?;
    let ends = s.integers("end")?.non_negative(u64::MAX)?;
    let index = labels::SentenceIndex::from_parts(
        sentence_ids.len(),
        (0..sentence_ids.len()).map(|i| (article_ids[i], sentence_ids[i], starts[i], ends[i])),
    )
    .map_err(|e| PyValueError::new_err(format!("sentences: {e}")))?;
    let mut files = Vec::with_capacity(annotators.len());
    for (k, data) in annotators.iter().enumerate() {
        let name = format!("annotators[{k}]");
        let t = table(&name, data)?;
        t.require(&["sentence_id", "label", "annotator"])?;
        let ids = t.strings("sentence_id")?;
        let ids = ids.required()?;
        let labels_col = t.strings("label")?;
        let annotator = t.strings("annotator")?;
        let annotator = annotator.required()?;
        let rows = ids
            .iter()
            .zip(labels_col.values())
            .zip(&annotator)
            .enumerate()
            .map(|(i, ((s, l), a))| (i as u64, *s, l.unwrap_or(""), *a));
        files.push(labels::long_rows(&name, rows, &index));
    }
    let merged = labels::merge(&index, &files, None, schema.as_ref(), &options)
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    for w in &merged.summary.warnings {
        warn(py, w)?;
    }
    if let Some(first) = merged.summary.skipped.first() {
        warn(
            py,
            &format!(
                "merge: {} label row(s) skipped, the first: {first}",
                merged.summary.skipped.len()
            ),
        )?;
    }
    let report = labels::agreement(&merged);
    let json = serde_json::to_string(&report)
        .map_err(|e| PyValueError::new_err(format!("agreement report: {e}")))?;
    let agreement = py.import("json")?.call_method1("loads", (json,))?;
    let gold: Vec<_> = merged.gold_rows(&index).map(|r| r.to_row()).collect();
    Ok((
        stream::to_pyarrow(py, tables::gold(&gold))?,
        agreement.unbind(),
    ))
}

/// The sentlab core over Arrow tables.
#[pymodule]
fn _sentlab(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(split, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate_partial, m)?)?;
    m.add_function(wrap_pyfunction!(combine, m)?)?;
    m.add_function(wrap_pyfunction!(merge, m)?)?;
    m.add_class::<Rules>()?;
    Ok(())
}
