//! One annotator file (or a directory's span files) to a [`LabelFile`]: the format given
//! or detected, then the reader of that format (CSV in [`import`](super::import),
//! PTC spans in [`project`](super::project), Doccano and Label Studio in
//! [`json`](super::json)).

use std::path::Path;

use super::error::LabelsError;
use super::import::{
    Format, ImportOptions, LabelFile, SentenceIndex, detect_format, first_line, header_columns,
    parse_csv, strip_bom,
};
use super::{json, project, tool_import};

/// Parses one annotator file. `name` is used for messages and, when the file has no
/// `annotator` column, its stem is the annotator name. An empty (or header-only) file
/// gives an empty [`LabelFile`]; [`super::merge`] turns that into a warning. An empty
/// span file (a `.labels` name, or the format forced to PTC spans) is read as one: the
/// annotator saw the article its name names, and found no spans.
///
/// # Errors
/// Unrecognised content, missing columns (naming those found), malformed records,
/// wide-CSV cells other than 0/1/empty, bad span offsets — each naming file and line.
pub fn parse_label_file(
    name: &str,
    text: &str,
    sentences: &SentenceIndex,
    options: &ImportOptions,
) -> Result<LabelFile, LabelsError> {
    let text = strip_bom(text);
    let Some(line) = first_line(text) else {
        let spans = match options.format {
            Some(f) => f == Format::PtcSpans,
            None => Path::new(name).extension().is_some_and(|e| e == "labels"),
        };
        if spans {
            return project::parse_ptc(name, text, sentences, options);
        }
        return Ok(LabelFile::new(name, options.format, sentences));
    };
    let format = match options.format.or_else(|| detect_format(text)) {
        Some(f) => f,
        None => {
            let cols = header_columns(line);
            return Err(if cols.iter().any(|c| c == "sentence_id") {
                LabelsError::MissingColumns {
                    file: name.to_string(),
                    missing: "label, labels, or label columns".to_string(),
                    found: cols.join(", "),
                }
            } else if cols.len() > 1 {
                LabelsError::MissingColumns {
                    file: name.to_string(),
                    missing: "sentence_id".to_string(),
                    found: cols.join(", "),
                }
            } else {
                LabelsError::UnknownFormat {
                    file: name.to_string(),
                    detail: format!(
                        "first line: `{}`",
                        line.chars().take(80).collect::<String>()
                    ),
                }
            });
        }
    };
    match format {
        Format::PtcSpans => project::parse_ptc(name, text, sentences, options),
        Format::DoccanoJsonl => json::parse_doccano(name, text, sentences, options),
        Format::LabelStudioJson => json::parse_label_studio(name, text, sentences, options),
        Format::ProdigyJsonl => tool_import::parse_prodigy(name, text, sentences, options),
        csv_format => parse_csv(name, text, csv_format, sentences),
    }
}

/// Parses several PTC span files (`(file name, text)`) as one annotator named after
/// `name` (a directory of span files): duplicates are found across the files, errors
/// and skipped rows name the file and line they come from.
///
/// # Errors
/// As [`parse_label_file`] for a span file.
pub fn parse_span_files(
    name: &str,
    parts: &[(&str, &str)],
    sentences: &SentenceIndex,
    options: &ImportOptions,
) -> Result<LabelFile, LabelsError> {
    let parts: Vec<(&str, &str)> = parts.iter().map(|&(n, t)| (n, strip_bom(t))).collect();
    project::parse_ptc_parts(name, &parts, sentences, options)
}
