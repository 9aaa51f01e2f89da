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

use pyo3::exceptions::{PyTypeError, PyUserWarning, PyValueError};
use pyo3::prelude::*;
use sentlab_core::builtin;
use sentlab_core::eval::{
    self, BootstrapOptions, EvalData, EvalOptions, Gold, Level, Partial, Predictions, SortKey,
    Universe,
};
use sentlab_core::labels;
use sentlab_core::rows::{PredictionRow, SentenceKind, SentenceRow, SpanLabel};
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

/// The evaluation keywords of `evaluate` and `evaluate_partial` (the command line's
/// `--level`, `--match`, `--min-overlap-fraction` and `--labels`), checked with its
/// messages for contradictory choices.
fn eval_options(
    level: &str,
    matching: Option<&str>,
    min_overlap_fraction: Option<f64>,
    labels: Option<&Bound<'_, PyAny>>,
) -> PyResult<EvalOptions> {
    let level = match level {
        "sentence" => Level::Sentence,
        "span" => Level::Span,
        other => {
            return Err(PyValueError::new_err(format!(
                "level={other:?}: expected \"sentence\" or \"span\""
            )));
        }
    };
    let mode = match matching {
        None | Some("ptc") => None,
        Some("strict") => Some(eval::MatchMode::Strict),
        Some("exact") => Some(eval::MatchMode::Exact),
        Some("partial") => Some(eval::MatchMode::Partial),
        Some("type") => Some(eval::MatchMode::Type),
        Some(other) => {
            return Err(PyValueError::new_err(format!(
                "match={other:?}: expected \"ptc\", \"strict\", \"exact\", \"partial\" or \"type\""
            )));
        }
    };
    if level == Level::Sentence && mode.is_some() {
        return Err(PyValueError::new_err(
            "match chooses how spans are scored: it needs level=\"span\"",
        ));
    }
    if let Some(f) = min_overlap_fraction {
        if !(f > 0.0 && f <= 1.0) {
            return Err(PyValueError::new_err(format!(
                "min_overlap_fraction={f}: expected a fraction of the gold span above 0 and at most 1"
            )));
        }
        if level == Level::Sentence || mode.is_none() {
            return Err(PyValueError::new_err(
                "min_overlap_fraction applies to level=\"span\" with match=\"strict\", \"exact\", \"partial\" or \"type\"",
            ));
        }
    }
    Ok(EvalOptions {
        level,
        labels: labels.map(label_list).transpose()?,
        format: eval::Format::Csv,
        matching: mode.map(|mode| eval::MatchOptions {
            mode,
            min_overlap: min_overlap_fraction,
        }),
        ..EvalOptions::default()
    })
}

/// `labels=`: the command line's `--labels` text (`"A,B"`), or a list of label names
/// (joined with commas: a name that holds a comma is recognised as the command line
/// recognises it, when gold carries that name).
fn label_list(labels: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(text) = labels.extract::<String>() {
        return Ok(text);
    }
    match labels.extract::<Vec<String>>() {
        Ok(names) => Ok(names.join(",")),
        Err(_) => Err(PyTypeError::new_err(format!(
            "labels: expected a string \"A,B\" or a list of label names, found {}",
            labels.get_type().name()?
        ))),
    }
}

/// The rows of a span-level sentence table: `article_id`, `sentence_id`, `start` and
/// `end` needed; `index`, `paragraph`, `kind` and `text` read when present.
fn sentence_rows(s: &Table) -> PyResult<Vec<SentenceRow>> {
    s.require(&["article_id", "sentence_id", "start", "end"])?;
    let article_ids = s.strings("article_id")?;
    let article_ids = article_ids.required()?;
    let sentence_ids = s.strings("sentence_id")?;
    let sentence_ids = sentence_ids.required()?;
    let starts = s.integers("start")?.non_negative(u64::MAX)?;
    let ends = s.integers("end")?.non_negative(u64::MAX)?;
    let numbers = |name: &str| -> PyResult<Vec<u32>> {
        if s.has(name) {
            let v = s.integers(name)?.non_negative(u64::from(u32::MAX))?;
            Ok(v.into_iter().map(|n| n as u32).collect())
        } else {
            Ok(vec![0; s.rows()])
        }
    };
    let index = numbers("index")?;
    let paragraph = numbers("paragraph")?;
    let kinds = if s.has("kind") {
        Some(s.strings("kind")?)
    } else {
        None
    };
    let texts = if s.has("text") {
        Some(s.strings("text")?)
    } else {
        None
    };
    let kinds: Vec<SentenceKind> = match &kinds {
        Some(k) => k
            .values()
            .map(|k| match k {
                Some("title") => SentenceKind::Title,
                _ => SentenceKind::Body,
            })
            .collect(),
        None => vec![SentenceKind::Body; s.rows()],
    };
    let texts: Vec<&str> = match &texts {
        Some(t) => t.values().map(|t| t.unwrap_or("")).collect(),
        None => vec![""; s.rows()],
    };
    Ok((0..s.rows())
        .map(|i| SentenceRow {
            article_id: article_ids[i].to_string(),
            sentence_id: sentence_ids[i].to_string(),
            index: index[i],
            paragraph: paragraph[i],
            kind: kinds[i],
            start: starts[i],
            end: ends[i],
            text: texts[i].to_string(),
        })
        .collect())
}

/// Gold spans as `eval` takes them: the spans kept, their (sentence id, label) projection,
/// and the number of span rows read (skipped ones included).
type GoldSpans = (Vec<SpanLabel>, Vec<(String, String)>, usize);

/// Gold spans of a span table (the columns of a PTC span file: `article_id`, `label`,
/// `start`, `end`), projected onto `sentences` as the command line projects span files;
/// skipped spans are a `UserWarning`.
fn gold_spans(py: Python<'_>, t: &Table, sentences: &[SentenceRow]) -> PyResult<GoldSpans> {
    t.require(&["article_id", "label", "start", "end"])?;
    let article_ids = t.strings("article_id")?;
    let article_ids = article_ids.required()?;
    let label_col = t.strings("label")?;
    let label_col = label_col.required()?;
    let starts = t.integers("start")?.non_negative(u64::MAX)?;
    let ends = t.integers("end")?.non_negative(u64::MAX)?;
    let index = labels::SentenceIndex::new(sentences)
        .map_err(|e| PyValueError::new_err(format!("sentences: {e}")))?;
    let options = labels::ImportOptions {
        format: Some(labels::Format::PtcSpans),
        ..labels::ImportOptions::default()
    };
    let rows = (0..t.rows()).map(|i| (i as u64, article_ids[i], label_col[i], starts[i], ends[i]));
    let file = labels::ptc_rows(&t.name, rows, &index, &options)
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    for w in file.warnings() {
        warn(py, w)?;
    }
    let skipped = file.skipped();
    if let Some(first) = skipped.first() {
        warn(
            py,
            &format!(
                "{}: {} gold span(s) skipped, the first: {first}",
                t.name,
                skipped.len()
            ),
        )?;
    }
    let pairs = file.label_pairs(&index).collect();
    let spans = file.spans().to_vec();
    let lines = spans.len() + skipped.len();
    Ok((spans, pairs, lines))
}

/// The rows of a prediction table (`extract`'s columns; `rule_id` and `match` optional).
fn prediction_rows(t: &Table) -> PyResult<Vec<PredictionRow>> {
    t.require(&["sentence_id", "label", "start", "end"])?;
    let ids = t.strings("sentence_id")?;
    let ids = ids.required()?;
    let label_col = t.strings("label")?;
    let label_col = label_col.required()?;
    let starts = t.integers("start")?.non_negative(u64::MAX)?;
    let ends = t.integers("end")?.non_negative(u64::MAX)?;
    let optional = |name: &str| -> PyResult<Vec<String>> {
        if t.has(name) {
            let c = t.strings(name)?;
            Ok(c.values().map(|v| v.unwrap_or("").to_string()).collect())
        } else {
            Ok(vec![String::new(); t.rows()])
        }
    };
    let rule_ids = optional("rule_id")?;
    let matched = optional("match")?;
    Ok((0..t.rows())
        .map(|i| PredictionRow {
            sentence_id: ids[i].to_string(),
            label: label_col[i].to_string(),
            rule_id: rule_ids[i].clone(),
            start: starts[i],
            end: ends[i],
            matched: matched[i].clone(),
        })
        .collect())
}

/// The tables of an evaluation, read as far as its level needs them: the sentence
/// universe, and gold and predictions as label pairs (sentence level) or as spans and
/// prediction rows (span level).
struct EvalTables {
    universe: Universe,
    sentences: Option<Vec<SentenceRow>>,
    gold: Vec<(String, String)>,
    gold_spans: Option<(Vec<SpanLabel>, usize)>,
    pred: Vec<(String, String)>,
    pred_rows: Option<Vec<PredictionRow>>,
}

impl EvalTables {
    fn read(
        py: Python<'_>,
        sentences: &Bound<'_, PyAny>,
        gold: &Bound<'_, PyAny>,
        pred: &Bound<'_, PyAny>,
        level: Level,
    ) -> PyResult<EvalTables> {
        let s = table("sentences", sentences)?;
        if level == Level::Span {
            let rows = sentence_rows(&s)?;
            let universe = Universe::from_sentences(&rows)
                .map_err(|e| PyValueError::new_err(format!("sentences: {e}")))?;
            let (spans, pairs, lines) = gold_spans(py, &table("gold", gold)?, &rows)?;
            let pred_rows = prediction_rows(&table("pred", pred)?)?;
            return Ok(EvalTables {
                universe,
                sentences: Some(rows),
                gold: pairs,
                gold_spans: Some((spans, lines)),
                pred: Vec::new(),
                pred_rows: Some(pred_rows),
            });
        }
        s.require(&["sentence_id"])?;
        let ids = s.strings("sentence_id")?;
        let universe = Universe::from_ids(ids.required()?)
            .map_err(|e| PyValueError::new_err(format!("sentences: {e}")))?;
        Ok(EvalTables {
            universe,
            sentences: None,
            gold: label_pairs(&table("gold", gold)?)?,
            gold_spans: None,
            pred: label_pairs(&table("pred", pred)?)?,
            pred_rows: None,
        })
    }

    /// The report of `options` (warnings given as `UserWarning`s).
    fn report(&self, py: Python<'_>, options: &EvalOptions) -> PyResult<eval::EvalReport> {
        let place = |row: usize| format!("pred row {row}");
        let gold = match &self.gold_spans {
            Some((spans, lines)) => Gold::Spans {
                spans,
                pairs: &self.gold,
                lines: *lines,
            },
            None => Gold::Pairs(&self.gold),
        };
        let predictions = match &self.pred_rows {
            Some(rows) => Predictions::Rows(rows),
            None => Predictions::Pairs(&self.pred),
        };
        let data = EvalData {
            universe: &self.universe,
            sentences: self.sentences.as_deref(),
            gold,
            predictions,
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

/// Precision, recall and F1 of predictions against gold (the command line's `eval`), at
/// the sentence level or (`level="span"`, gold a span table) the span level.
#[pyfunction]
#[pyo3(signature = (sentences, gold, pred, *, level = "sentence", r#match = None, min_overlap_fraction = None, labels = None))]
#[allow(clippy::too_many_arguments)]
fn evaluate(
    py: Python<'_>,
    sentences: &Bound<'_, PyAny>,
    gold: &Bound<'_, PyAny>,
    pred: &Bound<'_, PyAny>,
    level: &str,
    r#match: Option<&str>,
    min_overlap_fraction: Option<f64>,
    labels: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let options = eval_options(level, r#match, min_overlap_fraction, labels)?;
    let tables = EvalTables::read(py, sentences, gold, pred, options.level)?;
    let report = tables.report(py, &options)?;
    stream::to_pyarrow(py, tables::report(&report.text)?)
}

/// The partial result of an evaluation (the command line's `eval --partial FILE`): the
/// same JSON text, for `combine`.
#[pyfunction]
#[pyo3(signature = (sentences, gold, pred, *, level = "sentence", r#match = None, min_overlap_fraction = None, labels = None))]
#[allow(clippy::too_many_arguments)]
fn evaluate_partial(
    py: Python<'_>,
    sentences: &Bound<'_, PyAny>,
    gold: &Bound<'_, PyAny>,
    pred: &Bound<'_, PyAny>,
    level: &str,
    r#match: Option<&str>,
    min_overlap_fraction: Option<f64>,
    labels: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let options = EvalOptions {
        partial: true,
        ..eval_options(level, r#match, min_overlap_fraction, labels)?
    };
    let tables = EvalTables::read(py, sentences, gold, pred, options.level)?;
    let report = tables.report(py, &options)?;
    let partial = report
        .partial
        .ok_or_else(|| PyValueError::new_err("no partial result"))?;
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
    check_bootstrap(bootstrap, seed)?;
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

/// The command line's checks of `--bootstrap N` and `--seed S`, with keyword names.
fn check_bootstrap(bootstrap: Option<u32>, seed: Option<u64>) -> PyResult<()> {
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
    Ok(())
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
#[pyo3(signature = (sentences, annotators, *, schema = None, strategy = "majority", min_votes = None, tie = None, strict = false, bootstrap = None, seed = None))]
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
    bootstrap: Option<u32>,
    seed: Option<u64>,
) -> PyResult<(Py<PyAny>, Py<PyAny>)> {
    let options = merge_options(strategy, min_votes, tie, strict)?;
    check_bootstrap(bootstrap, seed)?;
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
    let mut report = labels::agreement(&merged);
    if let Some(n) = bootstrap {
        let opts = labels::AgreementBootstrap {
            n: n as usize,
            seed: seed.unwrap_or(eval::DEFAULT_SEED),
            threads: rayon::current_num_threads(),
        };
        // Label tables are sentence inputs: the bootstrap resamples sentences.
        py.detach(|| labels::bootstrap_agreement(&mut report, &merged, &index, false, &opts));
    }
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
