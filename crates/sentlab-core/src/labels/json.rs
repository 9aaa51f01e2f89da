//! JSON annotation exports: doccano JSONL and Label Studio JSON.

use serde_json::Value;

use super::error::LabelsError;
use super::import::{
    Builder, Format, ImportOptions, LabelFile, NO_LABEL, SentenceIndex, default_annotator,
};
use super::tool_import::{self, ArticleDoc, article_id_of, text_of};

fn sentence_id_of(obj: &Value) -> Option<String> {
    let as_id = |v: &Value| match v {
        Value::String(s) => Some(s.trim().to_string()),
        _ => None,
    };
    obj.get("sentence_id").and_then(as_id).or_else(|| {
        obj.get("meta")
            .and_then(|m| m.get("sentence_id"))
            .and_then(as_id)
    })
}

fn annotator_name(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(o) => o
            .get("email")
            .or_else(|| o.get("username"))
            .or_else(|| o.get("id"))
            .and_then(annotator_name),
        _ => None,
    }
}

/// Records `annotator`'s labels for `sentence` (trimmed, empty ones ignored), or that they
/// saw it without a label when there is none.
fn push_labels<'a>(
    b: &mut Builder<'_>,
    annotator: u32,
    sentence: u32,
    line: u64,
    labels: impl Iterator<Item = Result<&'a str, LabelsError>>,
) -> Result<(), LabelsError> {
    let mut any = false;
    for label in labels {
        let label = label?.trim();
        if !label.is_empty() {
            let id = b.label(label);
            b.push(annotator, sentence, id, line);
            any = true;
        }
    }
    if !any {
        b.push(annotator, sentence, NO_LABEL, line);
    }
    Ok(())
}

/// Parses a doccano JSONL export: one object per line with a `sentence_id` (top level
/// or in `meta`) and `label` (or `labels`) holding either label names (text
/// classification) or `[start, end, name]` triples (sequence labelling: the span lies in
/// that sentence, so the sentence gets the label). An optional `annotator` field names
/// the annotator, otherwise the file stem does. No labels = seen, no label.
///
/// A line without `sentence_id` is an article (doccano's own export: `text`, `label`
/// `[[start, end, label]]` or `entities`, meta fields at top level): its id is in
/// `options.id_field`, its spans are read by [`tool_import`].
pub(crate) fn parse_doccano(
    name: &str,
    text: &str,
    index: &SentenceIndex,
    options: &ImportOptions,
) -> Result<LabelFile, LabelsError> {
    let mut b = Builder::new(name, Format::DoccanoJsonl, index);
    let stem = default_annotator(name);
    let mut docs: Vec<ArticleDoc> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i as u64 + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let err = |message: String| LabelsError::Parse {
            file: name.to_string(),
            line,
            message,
        };
        let obj: Value =
            serde_json::from_str(raw).map_err(|e| err(format!("invalid JSON: {e}")))?;
        let annotator = obj
            .get("annotator")
            .and_then(annotator_name)
            .unwrap_or_else(|| stem.clone());
        let annotator = b.annotator(&annotator);
        let Some(sid) = sentence_id_of(&obj) else {
            let id = article_id_of(&obj, &options.id_field).ok_or_else(|| {
                err(format!(
                    "no `sentence_id` and no `{}` field (name the article id field with --id-field)",
                    options.id_field
                ))
            })?;
            let mut doc = ArticleDoc {
                line,
                id,
                text: text_of(name, line, &obj, "article line")?,
                seen_by: vec![annotator],
                spans: Vec::new(),
            };
            tool_import::doccano_spans(name, line, &obj, &mut doc, annotator)?;
            docs.push(doc);
            continue;
        };
        let sentence = b.sentence(&sid);
        let items = match obj.get("label").or_else(|| obj.get("labels")) {
            None => &[][..],
            Some(Value::Array(items)) => items.as_slice(),
            Some(_) => return Err(err("`label` is not an array".to_string())),
        };
        let labels = items.iter().map(|item| match item {
            Value::String(s) => Ok(s.as_str()),
            Value::Array(t) if t.len() == 3 => t[2]
                .as_str()
                .ok_or_else(|| err("span label is not a string".to_string())),
            other => Err(err(format!("unexpected label entry `{other}`"))),
        });
        push_labels(&mut b, annotator, sentence, line, labels)?;
    }
    b.file.rows_read = b.file.entries.len() as u64;
    tool_import::add_articles(&mut b, &docs, index, options)?;
    Ok(b.finish())
}

/// 1-based line of every top-level array element's start in a JSON array text.
fn element_lines(text: &str) -> Vec<u64> {
    let (mut depth, mut in_str, mut escaped, mut line) = (0i32, false, false, 1u64);
    let mut lines = Vec::new();
    let mut expecting = false;
    for c in text.chars() {
        if c == '\n' {
            line += 1;
        }
        if in_str {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_str = false,
                _ => {}
            }
            continue;
        }
        if depth == 1 && expecting && !c.is_whitespace() && c != ',' && c != ']' {
            lines.push(line);
            expecting = false;
        }
        match c {
            '"' => in_str = true,
            '[' | '{' => {
                depth += 1;
                if depth == 1 {
                    expecting = true;
                }
            }
            ']' | '}' => depth -= 1,
            ',' if depth == 1 => expecting = true,
            _ => {}
        }
    }
    lines
}

/// Parses a Label Studio JSON export (an array of tasks). Each task's `data` holds the
/// `sentence_id`; each non-cancelled annotation is one annotator (`completed_by`: an
/// email, username or user id), whose results of type `choices`
/// (`value.choices`) or `labels` (`value.labels`, spans inside the sentence) give the
/// labels. An annotation without results = seen, no label. Line numbers are those where
/// each task starts.
///
/// A task without `data.sentence_id` is an article: its id is `data.<id_field>`, its text
/// `data.text`, and each annotation's `labels` results (`value.start`, `value.end`,
/// `value.text`, `value.labels`) are its annotator's spans, read by [`tool_import`].
/// Annotations marked `was_cancelled` or `skipped` are left out, as the Label Studio SDK's
/// converter does.
pub(crate) fn parse_label_studio(
    name: &str,
    text: &str,
    index: &SentenceIndex,
    options: &ImportOptions,
) -> Result<LabelFile, LabelsError> {
    let mut b = Builder::new(name, Format::LabelStudioJson, index);
    let stem = default_annotator(name);
    let tasks: Vec<Value> = serde_json::from_str(text).map_err(|e| LabelsError::Parse {
        file: name.to_string(),
        line: e.line() as u64,
        message: format!("invalid Label Studio JSON: {e}"),
    })?;
    let lines = element_lines(text);
    let mut docs: Vec<ArticleDoc> = Vec::new();
    for (i, task) in tasks.iter().enumerate() {
        let line = lines.get(i).copied().unwrap_or(0);
        let err = |message: String| LabelsError::Parse {
            file: name.to_string(),
            line,
            message,
        };
        let annotations = task
            .get("annotations")
            .or_else(|| task.get("completions"))
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let data = task.get("data");
        let Some(sid) = data.and_then(sentence_id_of) else {
            let id = data
                .and_then(|d| article_id_of(d, &options.id_field))
                .ok_or_else(|| {
                    err(format!(
                        "task #{} has no `data.sentence_id` and no `data.{}` (name the article id field with --id-field)",
                        i + 1,
                        options.id_field
                    ))
                })?;
            let mut doc = ArticleDoc {
                line,
                id,
                text: text_of(name, line, data.unwrap_or(&Value::Null), "task's `data`")?,
                ..ArticleDoc::default()
            };
            for ann in annotations.iter().filter(|a| !cancelled(a)) {
                let who = ann
                    .get("completed_by")
                    .and_then(annotator_name)
                    .unwrap_or_else(|| stem.clone());
                let annotator = b.annotator(&who);
                if !doc.seen_by.contains(&annotator) {
                    doc.seen_by.push(annotator);
                }
                let results = ann
                    .get("result")
                    .and_then(Value::as_array)
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                tool_import::label_studio_spans(&mut b, &mut doc, annotator, results);
            }
            docs.push(doc);
            continue;
        };
        let sentence = b.sentence(&sid);
        for ann in annotations {
            if cancelled(ann) {
                continue;
            }
            let who = ann
                .get("completed_by")
                .and_then(annotator_name)
                .unwrap_or_else(|| stem.clone());
            let annotator = b.annotator(&who);
            let results = ann
                .get("result")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let labels = results
                .iter()
                .filter_map(|r| {
                    r.get("value")
                        .and_then(|v| v.get("choices").or_else(|| v.get("labels")))
                        .and_then(Value::as_array)
                })
                .flatten()
                .map(|label| {
                    label
                        .as_str()
                        .ok_or_else(|| err("label is not a string".to_string()))
                });
            push_labels(&mut b, annotator, sentence, line, labels)?;
        }
    }
    // Rows not merged as entries (results that are no span) were counted already.
    b.file.rows_read += b.file.entries.len() as u64;
    tool_import::add_articles(&mut b, &docs, index, options)?;
    Ok(b.finish())
}

/// An annotation the annotator cancelled or skipped (left out, as the Label Studio SDK's
/// `Converter.annotation_result_from_task` leaves it out).
fn cancelled(ann: &Value) -> bool {
    let flag = |k: &str| ann.get(k).and_then(Value::as_bool) == Some(true);
    flag("was_cancelled") || flag("skipped")
}
