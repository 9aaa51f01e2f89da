//! Data safety end to end: which entries of an input directory are read (hidden entries,
//! symbolic links, FIFOs), on fixtures made in temp dirs (expectations listed by hand in the
//! comments).

#![cfg(unix)]

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;

fn sentlab() -> Command {
    let mut cmd = Command::cargo_bin("sentlab").unwrap();
    // A FIFO opened for reading blocks forever: a run that opens one must not hang the tests.
    cmd.timeout(Duration::from_secs(20));
    cmd
}

fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(&p, content).unwrap();
    p
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

/// Runs the command, expecting exit 0; returns (stdout, stderr).
fn run_ok(cmd: &mut Command) -> (String, String) {
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    (stdout, stderr)
}

/// The article ids of a sentence table (first column), each once, in order.
fn article_ids(csv: &str) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for line in csv.lines().skip(1) {
        let id = line.split(',').next().unwrap().to_string();
        if ids.last() != Some(&id) {
            ids.push(id);
        }
    }
    ids
}

/// Fills `root/DIR` with one entry of each awkward kind, named `NAME.EXT` when a walk of the
/// directory looking for `*.EXT` would consider it, and returns `root/DIR`:
/// - `.hidden/h.EXT` and `.h.EXT`: hidden, skipped without a word;
/// - `linkdir` -> `root/elsewhere` (holding `o.EXT`): a link to a directory, not followed;
/// - `out.EXT` -> `root/outside.EXT`: a link leaving the tree, skipped with a warning;
/// - `notes.md` -> nowhere: dangling, but not a file the walk looks for: no word;
/// - `x.EXT` -> nowhere: dangling, skipped with a warning;
/// - `y.EXT`: a FIFO, skipped with a warning (opening it would block).
///
/// The caller adds the files that must be read.
fn awkward_tree(root: &Path, dir: &str, ext: &str, hidden: &str, outside: &str) -> PathBuf {
    let d = root.join(dir);
    fs::create_dir_all(&d).unwrap();
    write(&d, &format!(".hidden/h.{ext}"), hidden);
    write(&d, &format!(".h.{ext}"), hidden);
    write(root, &format!("elsewhere/o.{ext}"), outside);
    symlink(root.join("elsewhere"), d.join("linkdir")).unwrap();
    let out = write(root, &format!("outside.{ext}"), outside);
    symlink(&out, d.join(format!("out.{ext}"))).unwrap();
    symlink(root.join("nowhere.md"), d.join("notes.md")).unwrap();
    symlink(
        root.join(format!("nowhere.{ext}")),
        d.join(format!("x.{ext}")),
    )
    .unwrap();
    mkfifo(&d.join(format!("y.{ext}")));
    d
}

const ARTICLE_A: &str = "Alpha title\n\nThey are crooks!\nIs it true?\n";
const ARTICLE_B: &str = "Beta title\n\nCalm news.\nThe crooks again.\n";

#[test]
fn split_reads_only_the_regular_and_in_tree_files_of_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let d = awkward_tree(root, "in", "txt", "Hidden\n\nSecret.\n", "Out\n\nAway.\n");
    write(&d, "a.txt", ARTICLE_A);
    write(&d, "sub/b.txt", ARTICLE_B);
    // A link to a file inside the tree is read, under its own name.
    symlink(d.join("sub/b.txt"), d.join("inlink.txt")).unwrap();
    let (out, err) = run_ok(sentlab().arg("split").arg(&d));
    // Read, sorted by path: in/a.txt, in/inlink.txt, in/sub/b.txt. Not read: the hidden
    // two, elsewhere/o.txt (through linkdir), outside.txt (through out.txt), x.txt, y.txt.
    assert_eq!(article_ids(&out), ["a", "inlink", "b"], "{out}");
    // Four entries skipped, one of each kind; notes.md is no .txt file, so not among them.
    assert!(
        err.contains(&format!(
            "warning: {}: skipped 4 entries: 1 dangling link, 1 link outside the tree, 1 link to a directory, 1 FIFO",
            d.display()
        )),
        "{err}"
    );
    for (name, why) in [
        ("linkdir", "link to a directory"),
        ("out.txt", "link outside the tree"),
        ("x.txt", "dangling link"),
        ("y.txt", "FIFO"),
    ] {
        let line = format!("warning: skipped {}: {why}", d.join(name).display());
        assert!(err.contains(&line), "{line} in:\n{err}");
    }
    assert!(!err.contains("notes.md") && !err.contains(".h"), "{err}");
    // --quiet: errors only, as for every other warning.
    let (quiet_out, quiet_err) = run_ok(sentlab().args(["split", "-q"]).arg(&d));
    assert_eq!(quiet_out, out);
    assert_eq!(quiet_err, "");
}

#[test]
fn split_reads_paths_given_explicitly_whatever_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let d = awkward_tree(root, "in", "txt", "Hidden\n\nSecret.\n", "Out\n\nAway.\n");
    // A hidden file and a link leaving the tree, named on the command line: both read
    // (ids `.h` and `out`, in the order given).
    let (out, _) = run_ok(
        sentlab()
            .args(["split", "-q"])
            .arg(d.join(".h.txt"))
            .arg(d.join("out.txt")),
    );
    assert_eq!(article_ids(&out), [".h", "out"], "{out}");
    // A FIFO named on the command line is read as a stream.
    let fifo = d.join("y.txt");
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::write(&fifo, ARTICLE_A).unwrap())
    };
    let (out, _) = run_ok(sentlab().args(["split", "-q"]).arg(&fifo));
    writer.join().unwrap();
    // ARTICLE_A: title, "They are crooks!", "Is it true?".
    assert_eq!(
        out,
        "article_id,sentence_id,index,paragraph,kind,start,end,text\n\
         y,y:0,0,0,title,0,11,Alpha title\n\
         y,y:1,1,1,body,13,29,They are crooks!\n\
         y,y:2,2,1,body,30,41,Is it true?\n"
    );
}

/// `in/a.txt` and `in/b.txt` split into `s.csv`: a:0 title, a:1 "They are crooks!" (13..29),
/// a:2 "Is it true?" (30..41); b:0 title, b:1 "Calm news." (12..22), b:2 "The crooks
/// again." (23..40).
fn sentences(root: &Path) -> PathBuf {
    write(root, "in/a.txt", ARTICLE_A);
    write(root, "in/b.txt", ARTICLE_B);
    let s = root.join("s.csv");
    run_ok(
        sentlab()
            .args(["split", "-q"])
            .arg(root.join("in"))
            .arg("-o")
            .arg(&s),
    );
    s
}

#[test]
fn span_directories_read_only_their_regular_and_in_tree_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let s = sentences(root);
    // Were they read: the hidden files would add a:1 Loaded, the outside ones b:2 Loaded.
    let d = awkward_tree(
        root,
        "ptc",
        "labels",
        "a\tLoaded\t13\t20\n",
        "b\tLoaded\t23\t40\n",
    );
    write(&d, "a.labels", "a\tName\t22\t28\na\tDoubt\t30\t41\n");
    // b.labels is a link to a file inside the tree (in a subdirectory, which a span
    // directory's search does not enter): read.
    write(&d, "keep/b.spans", "b\tName\t27\t33\n");
    symlink(d.join("keep/b.spans"), d.join("b.labels")).unwrap();
    let (out, err) = run_ok(
        sentlab()
            .args(["labels", "merge", "--sentences"])
            .arg(&s)
            .arg(&d),
    );
    // a.labels: 22..28 in a:1 (13..29), 30..41 is a:2; b.labels: 27..33 in b:2 (23..40).
    assert_eq!(
        out,
        "sentence_id,label,votes,annotators\na:1,Name,1,ptc\na:2,Doubt,1,ptc\nb:2,Name,1,ptc\n"
    );
    // Not recursive: linkdir is ignored like any subdirectory; three entries skipped.
    let summary = format!(
        "warning: {}: skipped 3 entries: 1 dangling link, 1 link outside the tree, 1 FIFO",
        d.display()
    );
    assert!(err.contains(&summary), "{err}");

    // eval reads the same files: the same report as with a directory holding only a.labels
    // and b.labels.
    let pred = write(
        root,
        "p.csv",
        "sentence_id,label,rule_id,start,end,match\na:1,Name,r,22,28,crooks\n",
    );
    let clean = root.join("clean");
    fs::create_dir(&clean).unwrap();
    fs::copy(d.join("a.labels"), clean.join("a.labels")).unwrap();
    fs::copy(d.join("keep/b.spans"), clean.join("b.labels")).unwrap();
    let eval = |gold: &Path| {
        run_ok(
            sentlab()
                .args(["eval", "--format", "csv", "--gold"])
                .arg(gold)
                .arg("--pred")
                .arg(&pred)
                .arg("--sentences")
                .arg(&s),
        )
    };
    let (report, err) = eval(&d);
    let (expected, _) = eval(&clean);
    assert_eq!(report, expected);
    // Name: gold a:1, b:2, predicted a:1: one hit, one miss.
    assert!(report.contains("Name,1,0,1,"), "{report}");
    assert!(err.contains(&summary), "{err}");
}

#[test]
fn rules_directories_read_only_their_regular_and_in_tree_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let s = sentences(root);
    let question = "[[rule]]\nid = \"question\"\nlabel = \"Doubt\"\nshape = \"question\"\n";
    let d = awkward_tree(root, "rules", "toml", question, question);
    write(
        &d,
        "a.toml",
        "[[rule]]\nid = \"crooks\"\nlabel = \"Name\"\nlexicon = { words = [\"crook\"], inflect = true }\n",
    );
    let (out, err) = run_ok(sentlab().args(["extract", "--rules"]).arg(&d).arg(&s));
    // Only a.toml's rule: "crooks" at 22..28 in a:1 and 27..33 in b:2; no question rule
    // (it would match a:2 "Is it true?").
    assert_eq!(
        out,
        "sentence_id,label,rule_id,start,end,match\na:1,Name,crooks,22,28,crooks\nb:2,Name,crooks,27,33,crooks\n"
    );
    let summary = format!(
        "{}: skipped 3 entries: 1 dangling link, 1 link outside the tree, 1 FIFO",
        d.display()
    );
    assert!(err.contains(&format!("warning: {summary}")), "{err}");
    // `rules check` is the checker: what a search of the directory would skip is an error.
    let out = sentlab().args(["rules", "check"]).arg(&d).output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(&format!("error: {summary}")), "{err}");
    let line = format!("skipped {}: FIFO", d.join("y.toml").display());
    assert!(err.contains(&line), "{err}");
}

/// About 29 MB of text, one article: `split` of it takes over a second (tens of MB of
/// sentences written), long enough to be stopped while its output is being written.
fn big_article(path: &Path) {
    let line = "The minister said the plan is a disaster. Critics call it a so-called reform! Is it true? "
        .repeat(8);
    let mut text = String::from("Big title\n\n");
    for _ in 0..40_000 {
        text.push_str(&line);
        text.push('\n');
    }
    write(
        path.parent().unwrap(),
        path.file_name().unwrap().to_str().unwrap(),
        &text,
    );
}

/// The names in `dir` starting with `prefix` (and ending with `suffix`).
fn entries(dir: &Path, prefix: &str, suffix: &str) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(prefix) && n.ends_with(suffix))
        .collect()
}

/// Starts `cmd`, waits until `ready` holds (at most 10 s), sends `signal` with `kill` and
/// returns the exit status (waiting at most 10 s more).
fn stop_when(
    cmd: &mut std::process::Command,
    ready: impl Fn() -> bool,
    signal: &str,
) -> std::process::ExitStatus {
    let mut child = cmd
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = |child: &mut std::process::Child| {
        let mut text = String::new();
        std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut text).unwrap();
        text
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !ready() {
        if std::time::Instant::now() > deadline || child.try_wait().unwrap().is_some() {
            let _ = child.kill();
            panic!(
                "the command ended or never began writing: {}",
                stderr(&mut child)
            );
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let sent = std::process::Command::new("kill")
        .args(["-s", signal])
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(sent.success());
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!(
                "the command did not stop on SIG{signal}: {}",
                stderr(&mut child)
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The signals, and the status a shell reports for each: 128 + its number (INT 2, TERM 15,
/// HUP 1).
const SIGNALS: [(&str, i32); 3] = [("INT", 130), ("TERM", 143), ("HUP", 129)];

#[test]
fn a_signal_during_a_write_removes_the_temporary_file_and_keeps_the_old_output() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let input = root.join("big.txt");
    big_article(&input);
    let outdir = root.join("out");
    let out = write(&outdir, "s.csv", "previous content\n");
    for (signal, status) in SIGNALS {
        let stopped = stop_when(
            std::process::Command::new(assert_cmd::cargo::cargo_bin("sentlab"))
                .args(["split", "-q"])
                .arg(&input)
                .arg("-o")
                .arg(&out),
            || !entries(&outdir, ".sentlab-", ".tmp").is_empty(),
            signal,
        );
        assert_eq!(stopped.code(), Some(status), "SIG{signal}: {stopped:?}");
        assert_eq!(
            entries(&outdir, ".sentlab-", ""),
            Vec::<String>::new(),
            "SIG{signal}"
        );
        assert_eq!(fs::read_to_string(&out).unwrap(), "previous content\n");
    }
}

#[test]
fn a_signal_during_run_removes_its_staging_directory_and_keeps_the_old_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    big_article(&root.join("in/big.txt"));
    write(root, "ana.csv", "sentence_id,label\nbig:1,Doubt\n");
    write(
        root,
        "r.toml",
        "[[rule]]\nid = \"question\"\nlabel = \"Doubt\"\nshape = \"question\"\n",
    );
    let config = write(
        root,
        "pipeline.toml",
        "articles = [\"in\"]\nannotators = [\"ana.csv\"]\nrules = \"r.toml\"\n",
    );
    let old = write(root, "out/sentences.csv", "previous content\n");
    for (signal, status) in SIGNALS {
        // Ready once the staging directory beside `out` holds a temporary output.
        let writing = || {
            entries(root, ".sentlab-run-", "")
                .iter()
                .any(|d| !entries(&root.join(d), ".sentlab-", ".tmp").is_empty())
        };
        let stopped = stop_when(
            std::process::Command::new(assert_cmd::cargo::cargo_bin("sentlab"))
                .args(["run", "-q"])
                .arg(&config)
                .arg("--out")
                .arg(root.join("out")),
            writing,
            signal,
        );
        assert_eq!(stopped.code(), Some(status), "SIG{signal}: {stopped:?}");
        assert_eq!(
            entries(root, ".sentlab-", ""),
            Vec::<String>::new(),
            "SIG{signal}"
        );
        assert_eq!(entries(&root.join("out"), "", ""), ["sentences.csv"]);
        // The lock file on `out` goes too.
        assert_eq!(
            entries(root, "out.", ""),
            Vec::<String>::new(),
            "SIG{signal}"
        );
        assert_eq!(fs::read_to_string(&old).unwrap(), "previous content\n");
    }
}
