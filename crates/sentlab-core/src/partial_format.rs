//! What the partial results of `eval`, `labels merge` and `stats --partial` have in common:
//! a JSON object whose version key says which command wrote it and in which format version.
//! [`PartialKind::of_text`] tells them apart and [`PartialKind::check_version`] checks the
//! version, both without building a tree of the rest of the object (a partial of a large
//! corpus holds millions of numbers).

use serde::Deserialize;

/// The command a partial result comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartialKind {
    /// `eval --partial` (`sentlab_partial`).
    Eval,
    /// `labels merge --partial` (`sentlab_agreement_partial`).
    Agreement,
    /// `stats --partial` (`sentlab_stats_partial`).
    Stats,
}

/// The version keys, the rest of the object skipped.
#[derive(Deserialize)]
struct Versions {
    sentlab_partial: Option<serde_json::Value>,
    sentlab_agreement_partial: Option<serde_json::Value>,
    sentlab_stats_partial: Option<serde_json::Value>,
}

/// The version keys of a text, which must be a JSON object.
fn versions(text: &str) -> Result<Versions, String> {
    // A UTF-8 byte order mark is not JSON; serde_json reports it at its place.
    if !text.trim_start().starts_with('{') && !text.trim_start().is_empty() {
        return Err("expected a JSON object".to_owned());
    }
    serde_json::from_str(text).map_err(|e| e.to_string())
}

/// The message for a text that is no partial result of any kind (`name` names it).
pub fn unknown(name: &str, text: &str) -> String {
    let what = "not a partial result of `eval`, `labels merge` or `stats --partial`";
    match versions(text) {
        Err(e) => format!("{name}: {what}: {e}"),
        Ok(_) => format!(
            "{name}: {what} (no `sentlab_partial`, `sentlab_agreement_partial` or `sentlab_stats_partial` version)"
        ),
    }
}

impl PartialKind {
    /// The version key of the kind's JSON object.
    pub fn key(self) -> &'static str {
        match self {
            PartialKind::Eval => "sentlab_partial",
            PartialKind::Agreement => "sentlab_agreement_partial",
            PartialKind::Stats => "sentlab_stats_partial",
        }
    }

    /// The command that writes it.
    pub fn command(self) -> &'static str {
        match self {
            PartialKind::Eval => "eval --partial",
            PartialKind::Agreement => "labels merge --partial",
            PartialKind::Stats => "stats --partial",
        }
    }

    /// What a text that is not of this kind is not, for messages.
    pub fn not_one(self) -> &'static str {
        match self {
            PartialKind::Eval => "not a partial result of `eval --partial`",
            PartialKind::Agreement => "not a partial agreement result of `labels merge --partial`",
            PartialKind::Stats => "not a partial result of `stats --partial`",
        }
    }

    /// The name of the format in messages.
    fn format(self) -> &'static str {
        match self {
            PartialKind::Eval => "partial",
            PartialKind::Agreement => "agreement partial",
            PartialKind::Stats => "stats partial",
        }
    }

    /// The kind whose version key a text holds (`None`: not JSON, or no key; the first
    /// key in the order eval, agreement, stats if there are several).
    pub fn of_text(text: &str) -> Option<PartialKind> {
        let v = versions(text).ok()?;
        if v.sentlab_partial.is_some() {
            Some(PartialKind::Eval)
        } else if v.sentlab_agreement_partial.is_some() {
            Some(PartialKind::Agreement)
        } else if v.sentlab_stats_partial.is_some() {
            Some(PartialKind::Stats)
        } else {
            None
        }
    }

    /// The format version a text holds under this kind's key (`Ok(None)`: no number there).
    pub fn version_of(self, text: &str) -> Result<Option<u64>, String> {
        let v = versions(text)?;
        let value = match self {
            PartialKind::Eval => v.sentlab_partial,
            PartialKind::Agreement => v.sentlab_agreement_partial,
            PartialKind::Stats => v.sentlab_stats_partial,
        };
        Ok(value.and_then(|v| v.as_u64()))
    }

    /// Checks that `text` (named `name` in errors) is a partial of this kind in format
    /// version `version`: not JSON, no version number, or another version is an error.
    pub fn check_version(self, name: &str, text: &str, version: u32) -> Result<(), String> {
        let what = self.not_one();
        match self
            .version_of(text)
            .map_err(|e| format!("{name}: {what}: {e}"))?
        {
            Some(v) if v == u64::from(version) => Ok(()),
            Some(v) => Err(format!(
                "{name}: {} format version {v}: this sentlab reads version {version} (write the partials again with this version)",
                self.format()
            )),
            None => Err(format!("{name}: {what} (no `{}` version)", self.key())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_versions_are_read_from_the_version_key() {
        assert_eq!(
            PartialKind::of_text(r#"{"a": [1, 2], "sentlab_stats_partial": 1}"#),
            Some(PartialKind::Stats)
        );
        assert_eq!(
            PartialKind::of_text(r#"{"sentlab_agreement_partial": 3}"#),
            Some(PartialKind::Agreement)
        );
        assert_eq!(PartialKind::of_text(r#"{"a": 1}"#), None);
        assert_eq!(PartialKind::of_text("not json"), None);
        assert_eq!(PartialKind::of_text("[1, 2]"), None);
        assert_eq!(
            unknown("a.json", "[1, 2]"),
            "a.json: not a partial result of `eval`, `labels merge` or `stats --partial`: expected a JSON object"
        );
        assert_eq!(
            unknown("a.json", r#"{"x": 1}"#),
            "a.json: not a partial result of `eval`, `labels merge` or `stats --partial` (no `sentlab_partial`, `sentlab_agreement_partial` or `sentlab_stats_partial` version)"
        );
        assert!(unknown("a.json", r#"{"x": "#).starts_with(
            "a.json: not a partial result of `eval`, `labels merge` or `stats --partial`: EOF"
        ),);
        let k = PartialKind::Eval;
        assert_eq!(
            k.check_version("p.json", r#"{"sentlab_partial": 1}"#, 1),
            Ok(())
        );
        assert_eq!(
            k.check_version("p.json", r#"{"sentlab_partial": 2}"#, 1)
                .unwrap_err(),
            "p.json: partial format version 2: this sentlab reads version 1 (write the partials again with this version)"
        );
        assert_eq!(
            k.check_version("p.json", r#"{"sentlab_partial": "x"}"#, 1)
                .unwrap_err(),
            "p.json: not a partial result of `eval --partial` (no `sentlab_partial` version)"
        );
        let err = PartialKind::Stats
            .check_version("s.json", "[1,", 1)
            .unwrap_err();
        assert!(
            err.starts_with("s.json: not a partial result of `stats --partial`: "),
            "{err}"
        );
    }
}
