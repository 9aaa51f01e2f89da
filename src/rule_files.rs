//! Rule files from the file system: a rules file or directory read into
//! [`RuleSource`]s, and lexicon files read for [`rules::parse`](crate::rules::parse). The
//! rule engine itself (in the core) reads no file.
//!
//! A rules argument that names no file or directory but a built-in pack (`propaganda`)
//! reads that pack from the binary (see [`crate::builtin`]); its lexicons too.

use std::path::Path;

use crate::rules::RuleSource;

/// Whether a rules directory's search takes this file: a `*.toml` file.
pub fn is_rule_file(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "toml")
}

/// The built-in pack a rules argument names: a bare name (`propaganda`) of a built-in
/// pack when no file or directory of that name exists. When one exists it wins, and a note
/// on stderr (unless `--quiet`) says that the built-in pack of that name is not used.
pub fn builtin_pack(path: &Path) -> Option<&'static crate::builtin::Pack> {
    let name = path.to_str()?;
    let pack = crate::builtin::pack(name)?;
    if path.symlink_metadata().is_ok() {
        if !crate::walk::is_quiet() {
            eprintln!(
                "note: rules `{name}`: the file or directory `{name}` here is used, not the built-in pack `{name}` (write ./{name} to silence this note, or move it to use the built-in pack)"
            );
        }
        return None;
    }
    Some(pack)
}

/// Reads a rule set: a built-in pack by name (see [`builtin_pack`]), a single file, or
/// every `*.toml` file of a directory (not recursive) sorted by file name (as
/// [`crate::walk`] lists them: hidden files, links leaving the directory, dangling links
/// and FIFOs skipped with a warning), each with [`read_text`]. Errors about a directory's
/// entry name it.
pub fn load_sources(path: &Path) -> std::io::Result<Vec<RuleSource>> {
    if let Some(pack) = builtin_pack(path) {
        let path = pack.path();
        let text = read_text(&path)?;
        return Ok(vec![RuleSource { path, text }]);
    }
    if crate::builtin::is_builtin_path(path) {
        let text = read_text(path)?;
        return Ok(vec![RuleSource {
            path: path.to_path_buf(),
            text,
        }]);
    }
    let mut paths = Vec::new();
    let is_dir = path.is_dir();
    if is_dir {
        paths = crate::walk::files(path, false, &is_rule_file)
            .map_err(|e| std::io::Error::other(format!("{e:#}")))?;
    } else {
        paths.push(path.to_path_buf());
    }
    paths
        .into_iter()
        .map(|p| match read_text(&p) {
            Ok(text) => Ok(RuleSource { path: p, text }),
            Err(e) if is_dir => Err(std::io::Error::new(
                e.kind(),
                format!("{}: {e}", p.display()),
            )),
            Err(e) => Err(e),
        })
        .collect()
}

/// Reads a rules or lexicon file: UTF-8 text (an error names the byte offset and line of
/// the first invalid byte), a leading byte-order mark dropped. The `read_file` that
/// [`rules::parse`](crate::rules::parse) calls for lexicon `file =` references. A path
/// under [`crate::builtin::ROOT`] is a built-in file (a built-in pack's lexicons), never
/// one on disk.
pub fn read_text(path: &Path) -> std::io::Result<String> {
    let bytes = if crate::builtin::is_builtin_path(path) {
        crate::builtin::read(path)
            .ok_or_else(|| {
                std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no such built-in file (expected a file of the built-in pack)",
                )
            })?
            .to_vec()
    } else {
        std::fs::read(path)?
    };
    crate::corpus::strict_utf8(bytes)
        .map_err(|message| std::io::Error::new(std::io::ErrorKind::InvalidData, message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rows::SentenceKind;
    use crate::rules::{ArticleSentence, RuleKind, parse};

    #[test]
    fn load_sources_reads_toml_files_sorted() {
        let dir = std::env::temp_dir().join(format!("sentlab-rules-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("b.toml"), "# b").unwrap();
        std::fs::write(dir.join("a.toml"), "# a").unwrap();
        std::fs::write(dir.join("c.txt"), "no").unwrap();
        let sources = load_sources(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let names: Vec<String> = sources
            .iter()
            .map(|s| s.path.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["a.toml", "b.toml"]);
        assert_eq!(sources[0].text, "# a");
    }

    #[test]
    fn load_sources_names_the_entry_it_cannot_read() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("a.toml"), "# a").unwrap();
        // A directory named like a rules file is not one.
        std::fs::create_dir(d.join("sub.toml")).unwrap();
        assert_eq!(load_sources(d).unwrap().len(), 1);
        #[cfg(unix)]
        {
            // A dangling link is skipped with a warning, not read.
            let broken = d.join("broken.toml");
            std::os::unix::fs::symlink(d.join("nowhere"), &broken).unwrap();
            assert_eq!(load_sources(d).unwrap().len(), 1);
            std::fs::remove_file(&broken).unwrap();
        }
        // "[[rule]]\n" and "id = \"b\"\n" are 9 bytes each, `regex = "` 9 more: byte 27.
        let b = d.join("b.toml");
        std::fs::write(&b, b"[[rule]]\nid = \"b\"\nregex = \"\xFF\"\n").unwrap();
        let e = load_sources(d).unwrap_err().to_string();
        assert_eq!(
            e,
            format!(
                "{}: invalid UTF-8 at byte 27, line 3 (expected UTF-8 text)",
                b.display()
            )
        );
        // A single file is named by the caller (`extract`: "FILE: cannot read rules: ...").
        let e = load_sources(&b).unwrap_err().to_string();
        assert_eq!(e, "invalid UTF-8 at byte 27, line 3 (expected UTF-8 text)");
    }

    #[test]
    fn read_text_drops_a_bom_and_locates_invalid_utf8() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.txt");
        // With a BOM the offset counts file bytes: BOM 0..3, "ok\n" 3..6, "b" 6, then C3 28.
        std::fs::write(&p, b"\xEF\xBB\xBFok\nb\xC3(d\n").unwrap();
        assert_eq!(
            read_text(&p).unwrap_err().to_string(),
            "invalid UTF-8 at byte 7, line 2 (expected UTF-8 text)"
        );
        // A lexicon file with a BOM (and CRLF lines) keeps its first line: here a comment.
        std::fs::write(
            dir.path().join("bom.txt"),
            b"\xEF\xBB\xBF# fruit\r\napple\r\nbanana\r\n",
        )
        .unwrap();
        let sources = vec![RuleSource {
            path: dir.path().join("r.toml"),
            text: "[[rule]]\nid = \"l\"\nlabel = \"L\"\nlexicon = { file = \"bom.txt\" }\n".into(),
        }];
        let set = parse(&sources, &read_text, None).unwrap();
        match &set.rules()[0].kind {
            RuleKind::Lexicon(l) => assert_eq!(l.entries, vec!["apple", "banana"]),
            other => panic!("{other:?}"),
        }
        // "An apple and a banana.": apple at characters 3..8, banana at 15..21.
        let sentence = ArticleSentence {
            sentence_id: "a:0",
            kind: SentenceKind::Body,
            text: "An apple and a banana.",
            start: 0,
        };
        let found: Vec<(u64, u64, String)> = set
            .compile()
            .unwrap()
            .match_article(&[sentence])
            .into_iter()
            .map(|r| (r.start, r.end, r.matched))
            .collect();
        assert_eq!(
            found,
            vec![(3, 8, "apple".to_string()), (15, 21, "banana".to_string())]
        );
    }
}
