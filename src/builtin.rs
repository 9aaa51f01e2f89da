//! Data built into the binary: the default rule pack (with its lexicons) and the demo
//! sample (articles, annotator files, pipeline config, label schema), so that `--rules
//! propaganda` and `sentlab demo` work from any directory, with no source tree around.
//!
//! The files are the `datasets/` directory of the source tree, embedded at compile time
//! with `include_bytes!` (the list below; a test checks it against the directory). At run
//! time nothing is read from `datasets/`.

use std::path::{Path, PathBuf};

/// The root of the built-in files' paths, as messages show them (`<built-in>/rules/...`).
/// No file on disk is read under it: [`read`] answers for these paths.
pub const ROOT: &str = "<built-in>";

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!("../datasets/", $path)) as &[u8])),*]
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

/// Writes the built-in files under `dir` (as `dir/labels.toml`, `dir/rules/...`,
/// `dir/sample/...`), for a run on the built-in sample.
pub fn write_all(dir: &Path) -> std::io::Result<()> {
    for (rel, bytes) in FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, bytes)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded list is the `datasets/` directory (its README aside): a file added
    /// there and not here would be missing from the demo or the pack.
    #[test]
    fn files_are_the_datasets_directory() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets");
        let mut on_disk = Vec::new();
        let mut stack = vec![root.clone()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    let rel = p
                        .strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned();
                    if rel != "README.md" {
                        on_disk.push(rel.replace('\\', "/"));
                    }
                }
            }
        }
        on_disk.sort();
        let mut embedded: Vec<String> = FILES.iter().map(|(p, _)| p.to_string()).collect();
        embedded.sort();
        assert_eq!(embedded, on_disk);
        for (rel, bytes) in FILES {
            assert_eq!(
                *bytes,
                std::fs::read(root.join(rel)).unwrap().as_slice(),
                "{rel}"
            );
        }
    }

    #[test]
    fn read_resolves_paths_joined_to_the_pack() {
        let pack = pack("propaganda").unwrap();
        let toml = read(&pack.path()).unwrap();
        assert!(std::str::from_utf8(toml).unwrap().contains("[[rule]]"));
        // As the rule parser joins a lexicon's `file` to the rules file's directory.
        let lexicon = pack.path().parent().unwrap().join("lexicons/doubt.txt");
        assert!(read(&lexicon).is_some());
        let dotted = Path::new(ROOT).join("rules/lexicons/../lexicons/./doubt.txt");
        assert_eq!(read(&dotted), read(&lexicon));
        assert_eq!(read(Path::new("rules/propaganda.toml")), None);
        assert_eq!(read(&Path::new(ROOT).join("rules/nope.txt")), None);
        assert_eq!(read(&Path::new(ROOT).join("../labels.toml")), None);
        assert!(super::pack("nope").is_none());
    }
}
