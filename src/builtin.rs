//! Data built into the binary: the default rule pack (with its lexicons) and the demo
//! sample (articles, annotator files, pipeline config, label schema), so that `--rules
//! propaganda` and `sentlab demo` work from any directory, with no source tree around.
//!
//! The files are the `datasets/` directory of the source tree, embedded by the core
//! ([`sentlab_core::builtin`], shared with the Python package); this module writes them out
//! for `sentlab demo`. At run time nothing is read from `datasets/`.

use std::path::Path;

pub use sentlab_core::builtin::{FILES, Pack, ROOT, builtin_packs, is_builtin_path, pack, read};

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
