//! The optional label schema (TOML): canonical label names, descriptions and aliases.
//!
//! ```toml
//! [[label]]
//! name = "Loaded_Language"
//! description = "Words with strong emotional implications"
//! aliases = ["loaded language", "LL"]
//! ```

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::error::LabelsError;
/// Levenshtein distance in Unicode scalar values (see [`crate::text::edit_distance`]).
pub use crate::text::edit_distance;

/// One label of the schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelDef {
    /// The canonical name written to the gold table.
    pub name: String,
    /// Free text for people.
    #[serde(default)]
    pub description: String,
    /// Other spellings that map to `name`.
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SchemaFile {
    #[serde(default)]
    label: Vec<LabelDef>,
}

/// A validated label schema: canonical names plus an alias → name map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schema {
    /// The labels in file order.
    pub labels: Vec<LabelDef>,
    lookup: HashMap<String, usize>,
}

impl Schema {
    /// Parses and validates a schema. `name` is used in errors. Names and aliases must be
    /// non-empty and unique across the whole schema (an alias may not repeat a name).
    pub fn from_toml(name: &str, text: &str) -> Result<Self, LabelsError> {
        let file: SchemaFile = toml::from_str(text).map_err(|e| LabelsError::Schema {
            file: name.to_string(),
            message: e.to_string().trim().to_string(),
        })?;
        Self::from_labels(name, file.label)
    }

    /// Builds a schema from label definitions (same validation as [`Schema::from_toml`]).
    pub fn from_labels(name: &str, labels: Vec<LabelDef>) -> Result<Self, LabelsError> {
        let err = |message: String| LabelsError::Schema {
            file: name.to_string(),
            message,
        };
        if labels.is_empty() {
            return Err(err("no [[label]] entries".to_string()));
        }
        let mut lookup: HashMap<String, usize> = HashMap::new();
        for (i, def) in labels.iter().enumerate() {
            for key in std::iter::once(&def.name).chain(&def.aliases) {
                if key.trim().is_empty() {
                    return Err(err(format!("label #{} has an empty name or alias", i + 1)));
                }
                if let Some(&j) = lookup.get(key.as_str()) {
                    if j != i {
                        return Err(err(format!(
                            "`{key}` is used by both `{}` and `{}`",
                            labels[j].name, def.name
                        )));
                    }
                    if key == &def.name {
                        return Err(err(format!("label `{key}` is defined twice")));
                    }
                }
                lookup.insert(key.clone(), i);
            }
        }
        Ok(Schema { labels, lookup })
    }

    /// The canonical name for a name or alias (exact match), `None` when unknown.
    pub fn resolve(&self, label: &str) -> Option<&str> {
        self.lookup
            .get(label)
            .map(|&i| self.labels[i].name.as_str())
    }

    /// The known name or alias closest to `label` by edit distance (case-insensitive),
    /// reported as its canonical name; ties go to the earlier label in the file.
    pub fn closest(&self, label: &str) -> Option<&str> {
        let wanted = label.to_lowercase();
        let mut best: Option<(usize, usize)> = None;
        for (i, def) in self.labels.iter().enumerate() {
            for key in std::iter::once(&def.name).chain(&def.aliases) {
                let d = edit_distance(&wanted, &key.to_lowercase());
                if best.is_none_or(|(bd, _)| d < bd) {
                    best = Some((d, i));
                }
            }
        }
        best.map(|(_, i)| self.labels[i].name.as_str())
    }
}

/// The candidate closest to `name` (case-insensitive edit distance), when it is close
/// enough to be a likely typo: at most a third of the name's length, plus one.
pub fn closest_name<'a>(name: &str, candidates: &'a [String]) -> Option<&'a str> {
    let wanted = name.to_lowercase();
    let limit = wanted.chars().count().max(3) / 3 + 1;
    candidates
        .iter()
        .map(|c| (edit_distance(&wanted, &c.to_lowercase()), c))
        .filter(|&(d, _)| d <= limit)
        .min()
        .map(|(_, c)| c.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA: &str = r#"
[[label]]
name = "Loaded_Language"
description = "emotional words"
aliases = ["loaded language", "LL"]

[[label]]
name = "Name_Calling,Labeling"
aliases = ["name calling"]
"#;

    #[test]
    fn resolves_names_and_aliases() {
        let s = Schema::from_toml("s.toml", SCHEMA).unwrap();
        assert_eq!(s.resolve("LL"), Some("Loaded_Language"));
        assert_eq!(s.resolve("Loaded_Language"), Some("Loaded_Language"));
        assert_eq!(s.resolve("name calling"), Some("Name_Calling,Labeling"));
        assert_eq!(s.resolve("ll"), None);
        assert_eq!(s.closest("Loaded_Languag"), Some("Loaded_Language"));
        assert_eq!(s.closest("Name_Caling"), Some("Name_Calling,Labeling"));
        assert_eq!(s.labels[0].description, "emotional words");
    }

    #[test]
    fn rejects_bad_schemas() {
        let dup = "[[label]]\nname = \"A\"\naliases = [\"x\"]\n[[label]]\nname = \"B\"\naliases = [\"x\"]\n";
        let e = Schema::from_toml("s.toml", dup).unwrap_err();
        assert!(
            e.to_string().contains("`x` is used by both `A` and `B`"),
            "{e}"
        );
        let twice = "[[label]]\nname = \"A\"\n[[label]]\nname = \"A\"\n";
        assert!(Schema::from_toml("s.toml", twice).is_err());
        let e = Schema::from_toml("s.toml", "[[label]]\nnam = \"A\"\n").unwrap_err();
        assert!(
            e.to_string().starts_with("s.toml: invalid label schema"),
            "{e}"
        );
        assert!(Schema::from_toml("s.toml", "").is_err());
    }
}
