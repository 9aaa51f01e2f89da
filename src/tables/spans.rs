//! Span tables: the span table (`article_id,label,start,end`, code points) and a
//! directory of PTC span files (`<article_id>.labels`, one per article).

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use polars::prelude::{DataFrame, PolarsResult};

use super::{Output, TableRow, str_col, u64_col};
use crate::rows::SpanLabel;

impl TableRow for SpanLabel {
    const COLUMNS: &'static [&'static str] = &["article_id", "label", "start", "end"];
    fn to_frame(rows: &[Self]) -> PolarsResult<DataFrame> {
        DataFrame::new(
            rows.len(),
            vec![
                str_col("article_id", rows, |r| &r.article_id),
                str_col("label", rows, |r| &r.label),
                u64_col("start", rows, |r| r.start),
                u64_col("end", rows, |r| r.end),
            ],
        )
    }
}

/// PTC span files in a directory, one `<article_id>.labels` per article (an empty file
/// for an article seen without spans), each written to a temporary file and renamed into
/// place by [`PtcDir::commit`].
pub struct PtcDir {
    files: Vec<Output>,
}

impl PtcDir {
    /// Writes (not yet committed) the span files of `articles` into `dir` (created when
    /// missing). `spans` must be sorted by article. Refuses a directory that already holds
    /// `.labels` files of other articles (they would mix with this gold), and article ids
    /// that cannot be file names.
    pub fn create(dir: &Path, articles: &[String], spans: &[SpanLabel]) -> Result<PtcDir> {
        for a in articles {
            if a.is_empty() || a == "." || a == ".." || a.contains(['/', '\\']) {
                bail!("{}: article id `{a}` cannot be a file name", dir.display());
            }
        }
        if dir.exists() {
            if !dir.is_dir() {
                bail!(
                    "{}: not a directory (--ptc-out takes a directory)",
                    dir.display()
                );
            }
            let wanted: std::collections::HashSet<String> =
                articles.iter().map(|a| format!("{a}.labels")).collect();
            let entries = std::fs::read_dir(dir)
                .with_context(|| format!("{}: cannot read directory", dir.display()))?;
            for e in entries {
                let name = e?.file_name().to_string_lossy().into_owned();
                if name.ends_with(".labels") && !wanted.contains(&name) {
                    bail!(
                        "{}: already holds {name}, a span file of an article not in this gold: give an empty or new directory",
                        dir.display()
                    );
                }
            }
        } else {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("{}: cannot create directory", dir.display()))?;
        }
        let mut files = Vec::with_capacity(articles.len());
        let mut rest = spans;
        for a in articles {
            let n = rest.partition_point(|s| &s.article_id == a);
            let (mine, after) = rest.split_at(n);
            rest = after;
            let path = dir.join(format!("{a}.labels"));
            let mut out = Output::create(Some(&path))?;
            for s in mine {
                writeln!(out, "{}\t{}\t{}\t{}", s.article_id, s.label, s.start, s.end)
                    .with_context(|| format!("{}: cannot write", path.display()))?;
            }
            files.push(out);
        }
        Ok(PtcDir { files })
    }

    /// Renames every file into place.
    pub fn commit(self) -> Result<()> {
        for f in self.files {
            f.commit()?;
        }
        Ok(())
    }
}
