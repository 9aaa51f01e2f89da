//! The table file formats and the one rule that picks a format for a path.
//!
//! Extensions (any case): `.csv`; `.jsonl`, `.ndjson`; `.parquet`, `.pq`; `.arrow`, `.ipc`,
//! `.feather` (Arrow IPC file). An output takes `--format` when given, else its extension;
//! stdout and a path without an extension (such as `/dev/null`) are CSV; any other
//! extension is a usage error that lists the known ones, so a table is never written in a
//! format its name does not say.

use std::path::Path;

use anyhow::Result;

/// A table file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Comma-separated values with a header (RFC 4180 quoting).
    Csv,
    /// One JSON object per line.
    Jsonl,
    /// Apache Parquet (zstd-compressed).
    Parquet,
    /// Apache Arrow IPC file (Feather v2).
    Arrow,
}

/// Every known extension and the format it names.
pub const EXTENSIONS: &[(&str, Format)] = &[
    ("csv", Format::Csv),
    ("jsonl", Format::Jsonl),
    ("ndjson", Format::Jsonl),
    ("parquet", Format::Parquet),
    ("pq", Format::Parquet),
    ("arrow", Format::Arrow),
    ("ipc", Format::Arrow),
    ("feather", Format::Arrow),
];

/// The known extensions as a user reads them: `.csv, .jsonl, ...`.
pub fn known_extensions() -> String {
    EXTENSIONS
        .iter()
        .map(|(e, _)| format!(".{e}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Format {
    /// The format a path's extension names, if it is a known one.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        EXTENSIONS
            .iter()
            .find(|(e, _)| *e == ext)
            .map(|&(_, format)| format)
    }

    /// The format of a table output: `explicit`, else the extension of `output`; stdout
    /// (`None`, `-`) and a path without an extension are CSV. An unknown extension is a
    /// usage error naming the known ones.
    pub fn for_output(explicit: Option<Format>, output: Option<&Path>) -> Result<Format> {
        if let Some(f) = explicit {
            return Ok(f);
        }
        let Some(path) = output.filter(|p| p.as_os_str() != "-") else {
            return Ok(Format::Csv);
        };
        match (Format::from_path(path), path.extension()) {
            (Some(f), _) => Ok(f),
            (None, None) => Ok(Format::Csv),
            (None, Some(ext)) => crate::usage_bail!(
                "{}: unknown table extension `.{}` (known: {}); or choose one with --format",
                path.display(),
                ext.to_string_lossy(),
                known_extensions()
            ),
        }
    }

    /// The name used in messages and by `--format`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Jsonl => "jsonl",
            Format::Parquet => "parquet",
            Format::Arrow => "arrow",
        }
    }
}

/// How a report (`eval`, `stats`) is written: for people (an aligned table, markdown), as
/// one JSON document, or as rows in a table format (numbers stay numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportOutput {
    /// Aligned text for people (`.txt`, and stdout by default).
    Table,
    /// GitHub markdown (`.md`).
    Markdown,
    /// One JSON document (`.json`).
    Json,
    /// One row per label or rule, in a table format.
    Rows(Format),
}

impl ReportOutput {
    /// The report format of an output: `explicit`, else the extension of `output` (`.txt`,
    /// `.md`, `.json`, or a table extension); stdout (`None`, `-`) and a path without an
    /// extension get the table for people. Any other extension is a usage error naming the
    /// known ones.
    pub fn for_output(
        explicit: Option<ReportOutput>,
        output: Option<&Path>,
    ) -> Result<ReportOutput> {
        if let Some(f) = explicit {
            return Ok(f);
        }
        let Some(path) = output.filter(|p| p.as_os_str() != "-") else {
            return Ok(ReportOutput::Table);
        };
        if let Some(f) = Format::from_path(path) {
            return Ok(ReportOutput::Rows(f));
        }
        let Some(ext) = path.extension() else {
            return Ok(ReportOutput::Table);
        };
        match ext.to_string_lossy().to_ascii_lowercase().as_str() {
            "txt" => Ok(ReportOutput::Table),
            "md" | "markdown" => Ok(ReportOutput::Markdown),
            "json" => Ok(ReportOutput::Json),
            other => crate::usage_bail!(
                "{}: unknown report extension `.{other}` (known: .txt, .md, .json, {}); or choose one with --format",
                path.display(),
                known_extensions()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_extension_in_any_case_names_its_format() {
        let cases = [
            ("a.csv", Format::Csv),
            ("a.CSV", Format::Csv),
            ("a.jsonl", Format::Jsonl),
            ("a.ndjson", Format::Jsonl),
            ("a.parquet", Format::Parquet),
            ("a.pq", Format::Parquet),
            ("a.arrow", Format::Arrow),
            ("a.ipc", Format::Arrow),
            ("dir.v2/a.Feather", Format::Arrow),
        ];
        for (path, format) in cases {
            assert_eq!(Format::from_path(Path::new(path)), Some(format), "{path}");
            assert_eq!(
                Format::for_output(None, Some(Path::new(path))).unwrap(),
                format
            );
        }
        assert_eq!(Format::from_path(Path::new("a.txt")), None);
        assert_eq!(Format::from_path(Path::new("csv")), None);
    }

    #[test]
    fn outputs_explicit_first_then_extension_then_csv_and_unknown_is_a_usage_error() {
        let p = |s: &str| Some(Path::new(s).to_path_buf());
        let out = |explicit, path: Option<std::path::PathBuf>| {
            Format::for_output(explicit, path.as_deref())
        };
        assert_eq!(out(Some(Format::Jsonl), p("x.csv")).unwrap(), Format::Jsonl);
        assert_eq!(out(Some(Format::Arrow), p("x.txt")).unwrap(), Format::Arrow);
        assert_eq!(out(None, None).unwrap(), Format::Csv);
        assert_eq!(out(None, p("-")).unwrap(), Format::Csv);
        assert_eq!(out(None, p("/dev/null")).unwrap(), Format::Csv);
        let err = out(None, p("s.txt")).unwrap_err();
        assert!(
            err.downcast_ref::<crate::error::UsageError>().is_some(),
            "{err}"
        );
        assert_eq!(
            err.to_string(),
            "s.txt: unknown table extension `.txt` (known: .csv, .jsonl, .ndjson, .parquet, .pq, .arrow, .ipc, .feather); or choose one with --format"
        );
    }

    #[test]
    fn reports_by_extension_and_unknown_is_a_usage_error() {
        let r = |path: &str| ReportOutput::for_output(None, Some(Path::new(path)));
        assert_eq!(r("r.txt").unwrap(), ReportOutput::Table);
        assert_eq!(r("r.MD").unwrap(), ReportOutput::Markdown);
        assert_eq!(r("r.json").unwrap(), ReportOutput::Json);
        assert_eq!(r("r.csv").unwrap(), ReportOutput::Rows(Format::Csv));
        assert_eq!(r("r.parquet").unwrap(), ReportOutput::Rows(Format::Parquet));
        assert_eq!(r("r.arrow").unwrap(), ReportOutput::Rows(Format::Arrow));
        assert_eq!(r("r.jsonl").unwrap(), ReportOutput::Rows(Format::Jsonl));
        assert_eq!(r("-").unwrap(), ReportOutput::Table);
        assert_eq!(r("/dev/null").unwrap(), ReportOutput::Table);
        assert_eq!(
            ReportOutput::for_output(Some(ReportOutput::Json), Some(Path::new("r.csv"))).unwrap(),
            ReportOutput::Json
        );
        let err = r("r.html").unwrap_err();
        assert!(err.downcast_ref::<crate::error::UsageError>().is_some());
        assert!(
            err.to_string()
                .contains("unknown report extension `.html` (known: .txt, .md, .json, .csv,"),
            "{err}"
        );
    }
}
