//! Listing the files of an input directory: the one walk behind `split`'s and `run`'s
//! article directories, PTC span directories and rules directories.
//!
//! Below the directory given (which is always read, whatever it is), the walk
//! - skips hidden entries (a name starting with `.`), files and directories alike, silently;
//! - keeps regular files whose name the caller wants, and links to such files when the file
//!   they lead to is inside the directory (compared by canonical path);
//! - skips, with a warning, the entries it would have read but cannot or must not: a link
//!   leaving the directory, a dangling link, a FIFO (opening it would block), a socket or a
//!   device; and, when it descends into subdirectories, a link to a directory (not followed,
//!   so a walk never leaves its tree nor loops);
//! - knows nothing of `.gitignore`;
//! - lists the files sorted by path (component by component, each compared by its bytes).
//!
//! Paths named on the command line are not walked: a file given explicitly is read whatever
//! its name or kind.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, Result};

/// Why an entry was skipped with a warning (in the order the summary counts them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Skip {
    /// A symbolic link whose target does not exist (or cannot be resolved).
    Dangling,
    /// A symbolic link to a file outside the directory walked.
    Outside,
    /// A symbolic link to a directory (not followed).
    LinkToDirectory,
    /// A named pipe.
    Fifo,
    /// A Unix socket.
    Socket,
    /// A character or block device.
    Device,
}

impl Skip {
    /// What the entry is, for `n` of them (`1 dangling link`, `2 dangling links`).
    fn noun(self, n: usize) -> &'static str {
        let one = n == 1;
        match self {
            Skip::Dangling if one => "dangling link",
            Skip::Dangling => "dangling links",
            Skip::Outside if one => "link outside the tree",
            Skip::Outside => "links outside the tree",
            Skip::LinkToDirectory if one => "link to a directory",
            Skip::LinkToDirectory => "links to a directory",
            Skip::Fifo if one => "FIFO",
            Skip::Fifo => "FIFOs",
            Skip::Socket if one => "socket",
            Skip::Socket => "sockets",
            Skip::Device if one => "device",
            Skip::Device => "devices",
        }
    }
}

/// The files a walk found, and the entries it skipped with a warning (both sorted by path).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Listing {
    /// Files to read, as paths below the root (a link keeps its own path).
    pub files: Vec<PathBuf>,
    /// Entries skipped, with why.
    pub skipped: Vec<(PathBuf, Skip)>,
}

/// How many skipped entries are named one by one after the summary line.
const NAMED: usize = 5;

impl Listing {
    /// The warning lines for the skipped entries: `ROOT: skipped N entries: 1 dangling link,
    /// 2 FIFOs` then the first few entries (`skipped PATH: FIFO`); none when nothing was
    /// skipped.
    pub fn warnings(&self, root: &Path) -> Vec<String> {
        if self.skipped.is_empty() {
            return Vec::new();
        }
        let mut counts: std::collections::BTreeMap<Skip, usize> = Default::default();
        for (_, why) in &self.skipped {
            *counts.entry(*why).or_default() += 1;
        }
        let n = self.skipped.len();
        let counts: Vec<String> = counts
            .iter()
            .map(|(why, k)| format!("{k} {}", why.noun(*k)))
            .collect();
        let mut lines = vec![format!(
            "{}: skipped {n} {}: {}",
            root.display(),
            if n == 1 { "entry" } else { "entries" },
            counts.join(", ")
        )];
        for (path, why) in self.skipped.iter().take(NAMED) {
            lines.push(format!("skipped {}: {}", path.display(), why.noun(1)));
        }
        if n > NAMED {
            lines.push(format!("... and {} more skipped entries", n - NAMED));
        }
        lines
    }
}

/// Lists the files of `root` (of its subdirectories too when `recursive`) whose path `keep`
/// accepts. An entry `keep` rejects is passed over silently, whatever it is (a dangling
/// `notes.md` in an articles directory says nothing); a subdirectory is entered whatever its
/// name. Errors name the directory that cannot be read.
pub fn list(root: &Path, recursive: bool, keep: &dyn Fn(&Path) -> bool) -> Result<Listing> {
    let tree = fs::canonicalize(root)
        .with_context(|| format!("{}: cannot read directory", root.display()))?;
    let mut listing = Listing::default();
    walk_dir(root, &tree, recursive, keep, &mut listing)?;
    listing.files.sort();
    listing.skipped.sort();
    Ok(listing)
}

fn walk_dir(
    dir: &Path,
    tree: &Path,
    recursive: bool,
    keep: &dyn Fn(&Path) -> bool,
    out: &mut Listing,
) -> Result<()> {
    let entries =
        fs::read_dir(dir).with_context(|| format!("{}: cannot read directory", dir.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("{}: cannot read directory", dir.display()))?;
        if entry.file_name().as_encoded_bytes().starts_with(b".") {
            continue;
        }
        let path = entry.path();
        // The entry itself, links not followed.
        let kind = entry
            .file_type()
            .with_context(|| format!("{}: cannot stat", path.display()))?;
        if kind.is_dir() {
            if recursive {
                walk_dir(&path, tree, recursive, keep, out)?;
            }
            continue;
        }
        if kind.is_symlink() {
            let target = fs::canonicalize(&path).and_then(|t| fs::metadata(&t).map(|m| (t, m)));
            match target {
                Err(_) if keep(&path) => out.skipped.push((path, Skip::Dangling)),
                Err(_) => {}
                Ok((_, meta)) if meta.is_dir() => {
                    if recursive {
                        out.skipped.push((path, Skip::LinkToDirectory));
                    }
                }
                Ok(_) if !keep(&path) => {}
                Ok((_, meta)) if !meta.is_file() => {
                    out.skipped.push((path, special(&meta.file_type())));
                }
                Ok((target, _)) if !target.starts_with(tree) => {
                    out.skipped.push((path, Skip::Outside));
                }
                Ok(_) => out.files.push(path),
            }
            continue;
        }
        if !keep(&path) {
            continue;
        }
        if kind.is_file() {
            out.files.push(path);
        } else {
            out.skipped.push((path, special(&kind)));
        }
    }
    Ok(())
}

/// What a file that is neither regular nor a directory nor a link is.
fn special(kind: &fs::FileType) -> Skip {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Skip::Fifo;
        }
        if kind.is_socket() {
            return Skip::Socket;
        }
    }
    let _ = kind;
    Skip::Device
}

/// Whether warnings are silenced (`--quiet`); set once by the command line.
static QUIET: AtomicBool = AtomicBool::new(false);

/// Silences the walk's warnings (`--quiet`: errors only, as every other warning).
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// Whether warnings and notes are silenced (`--quiet`).
pub fn is_quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// Lists like [`list`] and prints the warnings for skipped entries on stderr (unless quiet).
pub fn files(root: &Path, recursive: bool, keep: &dyn Fn(&Path) -> bool) -> Result<Vec<PathBuf>> {
    let listing = list(root, recursive, keep)?;
    if !QUIET.load(Ordering::Relaxed) {
        for line in listing.warnings(root) {
            eprintln!("warning: {line}");
        }
    }
    Ok(listing.files)
}

/// For a checker (`rules check`): when `root` is a directory whose search would skip an
/// entry with a warning, an error listing them (the warning lines); otherwise nothing.
pub fn refuse_skipped(root: &Path, recursive: bool, keep: &dyn Fn(&Path) -> bool) -> Result<()> {
    if !root.is_dir() {
        return Ok(());
    }
    let lines = list(root, recursive, keep)?.warnings(root);
    if !lines.is_empty() {
        anyhow::bail!(
            "{}
(expected only readable files inside the directory; other commands skip these entries with a warning)",
            lines.join("\n")
        );
    }
    Ok(())
}

/// Whether the path's extension is `ext`, in any case (`a.TXT` is a `.txt` file).
pub fn has_extension_ignore_case(path: &Path, ext: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn txt(p: &Path) -> bool {
        has_extension_ignore_case(p, "txt")
    }

    fn names(root: &Path, paths: &[PathBuf]) -> Vec<String> {
        paths
            .iter()
            .map(|p| p.strip_prefix(root).unwrap().display().to_string())
            .collect()
    }

    #[test]
    fn hidden_entries_links_and_special_files_are_sorted_out() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("t");
        fs::create_dir_all(root.join("sub/.deep")).unwrap();
        fs::create_dir_all(root.join(".git")).unwrap();
        fs::create_dir_all(dir.path().join("away")).unwrap();
        for f in [
            "b.txt",
            "A.TXT",
            "sub/c.txt",
            "sub/.deep/d.txt",
            ".git/e.txt",
            ".f.txt",
        ] {
            fs::write(root.join(f), "x").unwrap();
        }
        fs::write(root.join("notes.md"), "x").unwrap();
        fs::write(dir.path().join("far.txt"), "x").unwrap();
        symlink(root.join("sub/c.txt"), root.join("near.txt")).unwrap();
        symlink(dir.path().join("far.txt"), root.join("far.txt")).unwrap();
        symlink(dir.path().join("away"), root.join("away")).unwrap();
        symlink(root.join("missing"), root.join("gone.txt")).unwrap();
        symlink(root.join("missing"), root.join("gone.md")).unwrap();
        let fifo = std::process::Command::new("mkfifo")
            .arg(root.join("sub/p.txt"))
            .status()
            .unwrap();
        assert!(fifo.success());
        let all = list(&root, true, &txt).unwrap();
        // By hand: A.TXT < b.txt (bytes: 'A' < 'b'), near.txt, sub/c.txt.
        assert_eq!(
            names(&root, &all.files),
            ["A.TXT", "b.txt", "near.txt", "sub/c.txt"]
        );
        let skipped: Vec<(String, Skip)> = all
            .skipped
            .iter()
            .map(|(p, s)| (names(&root, std::slice::from_ref(p))[0].clone(), *s))
            .collect();
        assert_eq!(
            skipped,
            [
                ("away".to_string(), Skip::LinkToDirectory),
                ("far.txt".to_string(), Skip::Outside),
                ("gone.txt".to_string(), Skip::Dangling),
                ("sub/p.txt".to_string(), Skip::Fifo),
            ]
        );
        let r = root.display();
        assert_eq!(
            all.warnings(&root),
            [
                format!(
                    "{r}: skipped 4 entries: 1 dangling link, 1 link outside the tree, 1 link to a directory, 1 FIFO"
                ),
                format!("skipped {r}/away: link to a directory"),
                format!("skipped {r}/far.txt: link outside the tree"),
                format!("skipped {r}/gone.txt: dangling link"),
                format!("skipped {r}/sub/p.txt: FIFO"),
            ]
        );
        // Not recursive: subdirectories and links to them are passed over silently.
        let top = list(&root, false, &txt).unwrap();
        assert_eq!(names(&root, &top.files), ["A.TXT", "b.txt", "near.txt"]);
        assert_eq!(top.skipped.len(), 2, "{:?}", top.skipped);
    }

    #[test]
    fn a_root_reached_through_a_link_is_the_tree() {
        // The root given is read whatever it is; links inside it are judged against where it
        // leads.
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        fs::create_dir_all(&real).unwrap();
        fs::write(real.join("a.txt"), "x").unwrap();
        symlink(real.join("a.txt"), real.join("b.txt")).unwrap();
        let alias = dir.path().join(".alias");
        symlink(&real, &alias).unwrap();
        let l = list(&alias, true, &txt).unwrap();
        assert_eq!(names(&alias, &l.files), ["a.txt", "b.txt"]);
        assert!(l.skipped.is_empty());
    }

    #[test]
    fn summary_counts_plurals_and_names_the_first_five() {
        let skipped: Vec<(PathBuf, Skip)> = (0..7)
            .map(|i| (PathBuf::from(format!("d/{i}.txt")), Skip::Fifo))
            .chain([(PathBuf::from("d/z.txt"), Skip::Dangling)])
            .collect();
        let l = Listing {
            files: vec![],
            skipped,
        };
        let w = l.warnings(Path::new("d"));
        // 8 entries: the dangling link counts first (summary order), FIFOs plural.
        assert_eq!(w[0], "d: skipped 8 entries: 1 dangling link, 7 FIFOs");
        assert_eq!(w[1], "skipped d/0.txt: FIFO");
        assert_eq!(w.len(), 1 + 5 + 1);
        assert_eq!(w[6], "... and 3 more skipped entries");
        assert!(Listing::default().warnings(Path::new("d")).is_empty());
    }
}
