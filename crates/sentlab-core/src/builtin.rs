//! Data built into every sentlab program: the default rule pack (with its lexicons) and the
//! demo sample (articles, annotator files, pipeline config, label schema), so that `--rules
//! propaganda` (and `Rules.load("propaganda")` in Python) works from any directory, with no
//! source tree around.
//!
//! The files are the `datasets/` directory of the source tree, embedded at compile time
//! with `include_bytes!` (the list below; the command line's tests check it against the
//! directory). No file is read: these are bytes in the program.

use std::path::{Path, PathBuf};

/// The root of the built-in files' paths, as messages show them (`<built-in>/rules/...`).
/// No file on disk is read under it: [`read`] answers for these paths.
pub const ROOT: &str = "<built-in>";

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!("../../../datasets/", $path)) as &[u8])),*]
    };
}

/// Every built-in file: its path relative to `datasets/`, and its bytes.
pub static FILES: &[(&str, &[u8])] = embed![
    "labels.toml",
    "rules/propaganda.toml",
    "rules/lexicons/doubt.txt",
    "rules/lexicons/exaggeration.txt",
    "rules/lexicons/fear.txt",
    "rules/lexicons/flag.txt",
    "rules/lexicons/loaded.txt",
    "rules/lexicons/loaded_idioms.txt",
    "rules/lexicons/loaded_verbs.txt",
    "rules/lexicons/name_calling.txt",
    "rules/lexicons/vader_negative.txt",
    "sample/pipeline.toml",
    "sample/articles/000_73738d2be41c8490.txt",
    "sample/articles/001_city-council-budget.txt",
    "sample/articles/002_measles-weekend-clinics.txt",
    "sample/articles/003_inflation-eases.txt",
    "sample/articles/004_wind-farm-vote.txt",
    "sample/articles/005_opinion-digital-id.txt",
    "sample/articles/006_port-grain-exports.txt",
    "sample/labels/ana.csv",
    "sample/labels/ben.csv",
    "sample/labels/chloe.csv",
];

/// A rule pack built into the binary, named on the command line by `name`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pack {
    /// What `--rules NAME` takes.
    pub name: &'static str,
    /// Its rules file, relative to `datasets/` (lexicons are relative to it, as on disk).
    pub file: &'static str,
    /// One line on what it is.
    pub summary: &'static str,
}

impl Pack {
    /// The path its rules file has in messages: under [`ROOT`].
    pub fn path(&self) -> PathBuf {
        Path::new(ROOT).join(self.file)
    }
}

/// The built-in rule packs, in name order.
pub fn builtin_packs() -> &'static [Pack] {
    &[Pack {
        name: "propaganda",
        file: "rules/propaganda.toml",
        summary: "the default pack: propaganda techniques, the 14 labels of the PTC",
    }]
}

/// The built-in pack named `name`, if any.
pub fn pack(name: &str) -> Option<&'static Pack> {
    builtin_packs().iter().find(|p| p.name == name)
}

/// The bytes of a built-in file given by its path under [`ROOT`] (as [`Pack::path`] and
/// the paths joined to it give them); `None` for any other path.
pub fn read(path: &Path) -> Option<&'static [u8]> {
    let rel = path.strip_prefix(ROOT).ok()?;
    // Lexicon paths are joined to the pack's directory: `rules/./x.txt` or `rules/a/../x`
    // name the same file.
    let mut parts: Vec<&str> = Vec::new();
    for c in rel.components() {
        match c {
            std::path::Component::Normal(s) => parts.push(s.to_str()?),
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                parts.pop()?;
            }
            _ => return None,
        }
    }
    let key = parts.join("/");
    FILES.iter().find(|(p, _)| *p == key).map(|(_, b)| *b)
}

/// Whether `path` is under [`ROOT`] (a built-in file, existing or not).
pub fn is_builtin_path(path: &Path) -> bool {
    path.starts_with(ROOT)
}
