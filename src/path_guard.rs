//! Refusing outputs that would destroy an input, or each other, before anything is read.
//!
//! Each command lists its inputs and outputs in a [`PathGuard`] and calls
//! [`PathGuard::check`] first. Two paths are the same file when their canonical paths are
//! equal (`./a.csv`, `dir/../a.csv` and symbolic links resolve alike) or when both exist and
//! share device and inode (hard links). Refused, as usage errors (exit 2):
//! - an output that is an input (it would be replaced by the output);
//! - two outputs on one file (one would replace the other), and two outputs on stdout (their
//!   contents would mix);
//! - an output that the search of an input directory would find (`*.txt` below an articles
//!   directory, `*.labels` in a span directory, `*.toml` in a rules directory): a later run
//!   would read it back as an input. Other files beside the inputs are fine.
//!
//! Standard input is not a file and is never refused; neither is an output that exists and
//! is not a regular file (a device such as `/dev/null`, or a pipe), which is written in place
//! and replaces nothing.

use std::path::{Path, PathBuf};

use anyhow::Result;

/// How a path is known: where it leads, and which file it is when it exists.
#[derive(Debug, Clone)]
struct Identity {
    /// The absolute path with symbolic links resolved (for a file still to be created: its
    /// resolved directory joined with its name).
    canonical: PathBuf,
    /// Device and inode of an existing file.
    file_id: Option<(u64, u64)>,
    is_dir: bool,
}

impl Identity {
    fn same_file(&self, other: &Identity) -> bool {
        self.canonical == other.canonical
            || (self.file_id.is_some() && self.file_id == other.file_id)
    }
}

#[cfg(unix)]
fn file_id(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn file_id(_meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}

fn is_std_stream(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// The identity of an existing input; `None` for `-` or a path that does not exist (the
/// command reports a missing input itself).
fn input_identity(path: &Path) -> Option<Identity> {
    if is_std_stream(path) {
        return None;
    }
    let meta = std::fs::metadata(path).ok()?;
    Some(Identity {
        canonical: std::fs::canonicalize(path).ok()?,
        file_id: file_id(&meta),
        is_dir: meta.is_dir(),
    })
}

/// The identity of an output path: the file it will replace or create (symbolic links
/// followed, as the writer follows them). `None` for `-` and for an existing output that is
/// not a regular file (written in place; a directory is refused by the writer).
fn output_identity(path: &Path) -> Option<Identity> {
    if is_std_stream(path) {
        return None;
    }
    if let Ok(meta) = std::fs::metadata(path) {
        if !meta.is_file() {
            return None;
        }
        return Some(Identity {
            canonical: std::fs::canonicalize(path).ok()?,
            file_id: file_id(&meta),
            is_dir: false,
        });
    }
    // Not there yet (or a link to a file not there yet): where it will be created.
    let mut target = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::read_link(&target) {
            Ok(next) => {
                target = match target.parent() {
                    Some(dir) => dir.join(next),
                    None => next,
                }
            }
            Err(_) => break,
        }
    }
    let resolved = resolve_missing(&target)?;
    // `missing/../x` leads to `x`, which may exist.
    if let Ok(meta) = std::fs::metadata(&resolved) {
        if !meta.is_file() {
            return None;
        }
        return Some(Identity {
            canonical: std::fs::canonicalize(&resolved).ok()?,
            file_id: file_id(&meta),
            is_dir: false,
        });
    }
    Some(Identity {
        canonical: resolved,
        file_id: None,
        is_dir: false,
    })
}

/// A path that may not exist yet, made absolute: its longest existing prefix resolved (links
/// followed), then the remaining components applied as written, `..` removing the one before
/// it (a directory still to be created is no link, so this is where the path will lead).
fn resolve_missing(path: &Path) -> Option<PathBuf> {
    use std::path::Component;
    let absolute = std::path::absolute(path).ok()?;
    let parts: Vec<Component> = absolute.components().collect();
    for k in (1..=parts.len()).rev() {
        let prefix: PathBuf = parts[..k].iter().collect();
        if let Ok(mut found) = std::fs::canonicalize(&prefix) {
            for part in &parts[k..] {
                match part {
                    Component::ParentDir => {
                        found.pop();
                    }
                    Component::Normal(name) => found.push(name),
                    _ => {}
                }
            }
            return Some(found);
        }
    }
    None
}

/// What the search of an input directory reads: files with this extension (any case), in
/// the directory itself or, when `recursive`, below it.
#[derive(Debug, Clone, Copy)]
struct Search {
    extension: &'static str,
    recursive: bool,
}

impl Search {
    /// Whether the search of `dir` would find `file` (both canonical).
    fn finds(self, dir: &Path, file: &Path) -> bool {
        let placed = if self.recursive {
            file.starts_with(dir)
        } else {
            file.parent() == Some(dir)
        };
        placed
            && file
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case(self.extension))
    }
}

/// One named path: how the user gave it (`-o`, `--gold`, `INPUT`) and where it is.
#[derive(Debug, Clone)]
struct Named {
    flag: String,
    path: PathBuf,
    /// For an input that is a directory: what its search reads (`None`: anything in it).
    search: Option<Search>,
}

impl Named {
    fn describe(&self) -> String {
        format!("{} `{}`", self.flag, self.path.display())
    }
}

/// The inputs and outputs of one command, checked together (see the module docs).
#[derive(Debug, Default, Clone)]
pub struct PathGuard {
    inputs: Vec<Named>,
    outputs: Vec<Named>,
    /// Outputs that go to stdout, by flag.
    stdout: Vec<String>,
}

impl PathGuard {
    /// An empty guard.
    pub fn new() -> Self {
        Self::default()
    }

    /// An input file, or a directory read as a whole (no output may be inside it).
    pub fn input(mut self, flag: &str, path: impl AsRef<Path>) -> Self {
        self.inputs.push(Named {
            flag: flag.to_string(),
            path: path.as_ref().to_path_buf(),
            search: None,
        });
        self
    }

    /// Inputs that may be files or directories searched for `*.extension` files (below the
    /// directory when `recursive`, else in it).
    pub fn searched_inputs<P: AsRef<Path>>(
        mut self,
        flag: &str,
        paths: impl IntoIterator<Item = P>,
        extension: &'static str,
        recursive: bool,
    ) -> Self {
        for p in paths {
            self.inputs.push(Named {
                flag: flag.to_string(),
                path: p.as_ref().to_path_buf(),
                search: Some(Search {
                    extension,
                    recursive,
                }),
            });
        }
        self
    }

    /// Several inputs given with one flag (or positionally).
    pub fn inputs<P: AsRef<Path>>(self, flag: &str, paths: impl IntoIterator<Item = P>) -> Self {
        paths.into_iter().fold(self, |g, p| g.input(flag, p))
    }

    /// An optional input.
    pub fn maybe_input(self, flag: &str, path: Option<impl AsRef<Path>>) -> Self {
        match path {
            Some(p) => self.input(flag, p),
            None => self,
        }
    }

    /// An optional output (`None`: not written; `-`: standard output).
    pub fn output(mut self, flag: &str, path: Option<impl AsRef<Path>>) -> Self {
        match path {
            Some(p) if p.as_ref().as_os_str() == "-" => self.stdout.push(flag.to_string()),
            Some(p) => self.outputs.push(Named {
                flag: flag.to_string(),
                path: p.as_ref().to_path_buf(),
                search: None,
            }),
            None => {}
        }
        self
    }

    /// An output that goes to standard output when no file is given (`None` or `-`).
    pub fn output_or_stdout(self, flag: &str, path: Option<impl AsRef<Path>>) -> Self {
        match path {
            Some(p) => self.output(flag, Some(p.as_ref())),
            None => self.output(flag, Some("-")),
        }
    }

    /// Refuses (as a usage error, exit 2) an output that is an input, two outputs on one
    /// file, and an output inside an input directory; reads no file's content.
    pub fn check(&self) -> Result<()> {
        if let [first, second, ..] = self.stdout.as_slice() {
            crate::usage_bail!(
                "{first} and {second} would both go to stdout, mixing their contents: give one of them a file"
            );
        }
        let stdin: Vec<&Named> = self
            .inputs
            .iter()
            .filter(|n| is_std_stream(&n.path))
            .collect();
        if let [first, second, ..] = stdin.as_slice() {
            crate::usage_bail!(
                "{} and {} would both read standard input (`-`), which can be read once: give one of them a file",
                first.flag,
                second.flag
            );
        }
        let inputs: Vec<(&Named, Identity)> = self
            .inputs
            .iter()
            .filter_map(|n| input_identity(&n.path).map(|id| (n, id)))
            .collect();
        let outputs: Vec<(&Named, Identity)> = self
            .outputs
            .iter()
            .filter_map(|n| output_identity(&n.path).map(|id| (n, id)))
            .collect();
        for (i, (out, out_id)) in outputs.iter().enumerate() {
            for (other, other_id) in &outputs[..i] {
                if out_id.same_file(other_id) {
                    crate::usage_bail!(
                        "{} and {} are the same file: one output would replace the other; give each output its own path",
                        other.describe(),
                        out.describe()
                    );
                }
            }
            for (input, in_id) in &inputs {
                if in_id.is_dir {
                    let found = match input.search {
                        Some(search) => search.finds(&in_id.canonical, &out_id.canonical),
                        None => out_id.canonical.starts_with(&in_id.canonical),
                    };
                    if found {
                        let what = match input.search {
                            Some(Search {
                                extension,
                                recursive: true,
                            }) => format!("searched for *.{extension} files, also below it"),
                            Some(Search { extension, .. }) => {
                                format!("searched for *.{extension} files")
                            }
                            None => "read as a whole".to_string(),
                        };
                        crate::usage_bail!(
                            "output {} is inside the input directory {}, which is {what}: a later run would read it as an input; write it elsewhere or under another name",
                            out.describe(),
                            input.describe()
                        );
                    }
                } else if out_id.same_file(in_id) {
                    crate::usage_bail!(
                        "output {} is the input {}: writing it would destroy the input; choose another output path",
                        out.describe(),
                        input.describe()
                    );
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::UsageError;

    fn refused(guard: &PathGuard) -> String {
        let err = guard.check().expect_err("refused");
        assert!(err.downcast_ref::<UsageError>().is_some(), "a usage error");
        err.to_string()
    }

    #[test]
    fn an_output_equal_to_an_input_is_refused_however_spelled() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("in.csv"), "x").unwrap();
        std::fs::create_dir(d.join("sub")).unwrap();
        let same = [
            d.join("in.csv"),
            d.join("sub/../in.csv"),
            d.join(".").join("in.csv"),
        ];
        for out in &same {
            let g = PathGuard::new()
                .input("--gold", d.join("in.csv"))
                .output("-o", Some(out));
            let msg = refused(&g);
            assert!(msg.contains("would destroy the input"), "{msg}");
            assert!(msg.contains("--gold"), "{msg}");
        }
        // Another file in the same directory is fine, and so is stdout.
        PathGuard::new()
            .input("--gold", d.join("in.csv"))
            .output("-o", Some(d.join("out.csv")))
            .output("--errors", Some("-"))
            .check()
            .unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn links_to_an_input_are_the_input() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("in.csv"), "x").unwrap();
        std::fs::hard_link(d.join("in.csv"), d.join("hard.csv")).unwrap();
        std::os::unix::fs::symlink(d.join("in.csv"), d.join("soft.csv")).unwrap();
        for out in ["hard.csv", "soft.csv"] {
            let g = PathGuard::new()
                .input("SENTENCES", d.join("in.csv"))
                .output("-o", Some(d.join(out)));
            refused(&g);
        }
        // A link to a file not there yet is where that file will be.
        std::os::unix::fs::symlink(d.join("new.csv"), d.join("dangling.csv")).unwrap();
        let g = PathGuard::new()
            .output("-o", Some(d.join("new.csv")))
            .output("--errors", Some(d.join("dangling.csv")));
        assert!(refused(&g).contains("one output would replace the other"));
    }

    #[test]
    fn two_outputs_on_one_path_and_outputs_inside_searched_directories() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let g = PathGuard::new()
            .output("--conflicts", Some(d.join("x.csv")))
            .output("-o", Some(d.join("x.csv")));
        let msg = refused(&g);
        assert!(msg.contains("--conflicts") && msg.contains("-o"), "{msg}");
        std::fs::create_dir_all(d.join("articles/deep")).unwrap();
        let g = PathGuard::new()
            .input("INPUT", d.join("articles"))
            .output("-o", Some(d.join("articles/deep/s.csv")));
        assert!(refused(&g).contains("inside the input directory"));
        // Beside the directory is fine; so is a missing input (reported by the command).
        PathGuard::new()
            .input("INPUT", d.join("articles"))
            .input("--gold", d.join("missing.csv"))
            .output("-o", Some(d.join("articles.csv")))
            .check()
            .unwrap();
    }

    #[test]
    fn a_searched_directory_refuses_only_what_its_search_would_read() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("arts/deep")).unwrap();
        let check = |out: &str, recursive: bool| {
            PathGuard::new()
                .searched_inputs("INPUT", [d.join("arts")], "txt", recursive)
                .output("-o", Some(d.join(out)))
                .check()
        };
        assert!(check("arts/s.csv", true).is_ok());
        assert!(check("arts/s.TXT", true).is_err());
        assert!(check("arts/deep/s.txt", true).is_err());
        // Not recursive: only the directory itself is read.
        assert!(check("arts/deep/s.txt", false).is_ok());
        assert!(check("arts/s.txt", false).is_err());
        // Through a directory not there yet.
        assert!(check("new/../arts/s.txt", true).is_err());
        assert!(check("new/../arts.txt", true).is_ok());
    }

    #[test]
    fn at_most_one_output_goes_to_stdout() {
        let g = PathGuard::new()
            .output_or_stdout("-o", None::<&Path>)
            .output("--report", Some("-"));
        assert_eq!(
            refused(&g),
            "-o and --report would both go to stdout, mixing their contents: give one of them a file"
        );
        PathGuard::new()
            .output_or_stdout("-o", Some("out.csv"))
            .output("--report", Some("-"))
            .output("--conflicts", None::<&Path>)
            .check()
            .unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_written_in_place_and_never_refused() {
        let g = PathGuard::new()
            .input("--pred", "/dev/null")
            .output("-o", Some("/dev/null"))
            .output("--errors", Some("/dev/null"));
        g.check().unwrap();
    }
}
