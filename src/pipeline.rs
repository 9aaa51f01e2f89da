//! The pipeline config of `sentlab run` (and `sentlab demo`): which articles, annotator
//! files, strategy and rules, and where the tables go. Paths are relative to the config.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use serde::Deserialize;

/// A pipeline config as written in TOML; unknown keys are errors.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PipelineConfig {
    /// Article files or directories.
    pub articles: Vec<PathBuf>,
    /// Annotator label files (at least one).
    pub annotators: Vec<PathBuf>,
    /// Optional label schema.
    #[serde(default)]
    pub schema: Option<PathBuf>,
    /// `majority` (default), `unanimous`, `any` or `min-votes`.
    #[serde(default = "default_strategy")]
    pub strategy: String,
    /// K of `min-votes`.
    #[serde(default)]
    pub min_votes: Option<u32>,
    /// Majority tie rule: `yes` or `no` (default).
    #[serde(default)]
    pub tie: Option<String>,
    /// Optional adjudicator file.
    #[serde(default)]
    pub adjudicator: Option<PathBuf>,
    /// Rule file or directory, or a built-in pack by name (`propaganda`).
    pub rules: PathBuf,
    /// Output directory (default `sentlab-demo`, relative to the working directory).
    #[serde(default)]
    pub out: Option<PathBuf>,
    /// Text files have no title line.
    #[serde(default)]
    pub no_title: bool,
    /// Single line breaks are spaces (hard-wrapped text).
    #[serde(default)]
    pub join_lines: bool,
    /// The CSV tables are written for spreadsheets (as with `--excel-safe`).
    #[serde(default)]
    pub excel_safe: bool,
    /// Options of the evaluation step (the `[eval]` table).
    #[serde(default)]
    pub eval: EvalConfig,
}

/// The `[eval]` table of a pipeline config: what `eval`'s flags of the same names do, for
/// the per-label reports of a run (`eval.txt`, `eval.csv`, `eval.json`).
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct EvalConfig {
    /// Restrict and order the label set.
    #[serde(default)]
    pub labels: Option<Vec<String>>,
    /// Order of the label rows: `support` (default), `label` or `f1`.
    #[serde(default)]
    pub sort: Option<String>,
    /// 95% confidence intervals from this many bootstrap resamples of articles.
    #[serde(default)]
    pub bootstrap: Option<u32>,
    /// Seed of the bootstrap (needs `bootstrap`).
    #[serde(default)]
    pub seed: Option<u64>,
}

fn default_strategy() -> String {
    "majority".into()
}

impl PipelineConfig {
    /// Parses a config (`name` for messages; TOML errors carry line and column) and
    /// resolves its paths against `base`, checking that every named input exists.
    pub fn parse(name: &str, text: &str, base: &Path) -> Result<PipelineConfig> {
        let mut c: PipelineConfig = toml::from_str(text)
            .map_err(|e| anyhow::anyhow!("{name}: {}", e.to_string().trim()))?;
        if c.articles.is_empty() {
            bail!("{name}: `articles` is empty (expected files or directories of articles)");
        }
        if let Some(t) = &c.tie
            && t != "yes"
            && t != "no"
        {
            bail!("{name}: `tie`: unknown value `{t}` (expected \"yes\" or \"no\")");
        }
        if let Some(s) = &c.eval.sort
            && !["support", "label", "f1"].contains(&s.as_str())
        {
            bail!(
                "{name}: `eval.sort`: unknown value `{s}` (expected \"support\", \"label\" or \"f1\")"
            );
        }
        if let Some(n) = c.eval.bootstrap
            && !crate::eval::BOOTSTRAP_RANGE.contains(&n)
        {
            bail!(
                "{name}: `eval.bootstrap`: {n}: expected {} to {} resamples",
                crate::eval::BOOTSTRAP_RANGE.start(),
                crate::eval::BOOTSTRAP_RANGE.end()
            );
        }
        if c.eval.seed.is_some() && c.eval.bootstrap.is_none() {
            bail!(
                "{name}: `eval.seed` without `eval.bootstrap` would change nothing: add `bootstrap = N` or drop the seed"
            );
        }
        if c.eval.labels.as_ref().is_some_and(|l| l.is_empty()) {
            bail!(
                "{name}: `eval.labels` is empty (expected label names, or no `labels` key for every label)"
            );
        }
        if c.annotators.is_empty() {
            bail!("{name}: `annotators` is empty (expected at least one label file)");
        }
        let resolve = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        c.articles.iter_mut().for_each(resolve);
        c.annotators.iter_mut().for_each(resolve);
        c.schema.iter_mut().for_each(resolve);
        c.adjudicator.iter_mut().for_each(resolve);
        // A built-in pack by name, when no file or directory of that name is beside the
        // config (one there wins, as on the command line).
        match crate::builtin::pack(&c.rules.to_string_lossy()) {
            Some(pack) if c.rules.is_relative() && !base.join(&c.rules).exists() => {
                c.rules = pack.path();
            }
            _ => resolve(&mut c.rules),
        }
        let mut inputs: Vec<(&str, &PathBuf)> = Vec::new();
        inputs.extend(c.articles.iter().map(|p| ("articles", p)));
        inputs.extend(c.annotators.iter().map(|p| ("annotators", p)));
        inputs.extend(c.schema.iter().map(|p| ("schema", p)));
        inputs.extend(c.adjudicator.iter().map(|p| ("adjudicator", p)));
        if !crate::builtin::is_builtin_path(&c.rules) {
            inputs.push(("rules", &c.rules));
        }
        for (key, path) in inputs {
            if !path.exists() {
                bail!("{name}: `{key}`: {} does not exist", path.display());
            }
        }
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_named() {
        let err = PipelineConfig::parse(
            "p.toml",
            "articles = [\"a\"]\nannotators = [\"b\"]\nrules = \"r\"\nrulez = 1\n",
            Path::new("."),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("p.toml") && err.contains("unknown field `rulez`"),
            "{err}"
        );
    }

    #[test]
    fn missing_file_is_named_with_its_key() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "T\n\nB.").unwrap();
        let text = "articles = [\"a.txt\"]\nannotators = [\"nope.csv\"]\nrules = \"a.txt\"\n";
        let err = PipelineConfig::parse("p.toml", text, dir.path())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("`annotators`")
                && err.contains("nope.csv")
                && err.contains("does not exist"),
            "{err}"
        );
    }

    #[test]
    fn paths_resolve_against_the_config_directory() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "x").unwrap();
        let text = "articles = [\"a.txt\"]\nannotators = [\"a.txt\"]\nrules = \"a.txt\"\nstrategy = \"any\"\n";
        let c = PipelineConfig::parse("p.toml", text, dir.path()).unwrap();
        assert_eq!(c.rules, dir.path().join("a.txt"));
        assert_eq!(c.strategy, "any");
        assert_eq!(c.out, None);
    }

    /// `rules = "propaganda"` is the built-in pack unless a file or directory of that name
    /// is beside the config.
    #[test]
    fn rules_may_name_a_builtin_pack() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "x").unwrap();
        let text = "articles = [\"a.txt\"]\nannotators = [\"a.txt\"]\nrules = \"propaganda\"\n";
        let c = PipelineConfig::parse("p.toml", text, dir.path()).unwrap();
        assert_eq!(c.rules, Path::new("<built-in>/rules/propaganda.toml"));
        std::fs::write(dir.path().join("propaganda"), "x").unwrap();
        let c = PipelineConfig::parse("p.toml", text, dir.path()).unwrap();
        assert_eq!(c.rules, dir.path().join("propaganda"));
    }
}
