//! What every command promises about its outputs: never one of its inputs, a closed pipe
//! is not an error, a replaced file keeps its mode.

use std::fs;
use std::path::Path;

use crate::common::*;

#[test]
fn an_output_that_is_an_input_or_another_output_is_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = corpus(d);
    assert!(s.ends_with("s.csv"));
    write(d, "r.toml", RULES);
    write(
        d,
        "lex.toml",
        "[[rule]]\nid = \"w\"\nlabel = \"Loaded\"\nlexicon = { file = \"words.txt\" }\n",
    );
    write(d, "words.txt", "crook\n");
    write(d, "ana.csv", "sentence_id,label\na:1,Loaded\n");
    write(d, "ben.csv", "sentence_id,label\na:1,Loaded\nb:1,Doubt\n");
    write(d, "g.csv", "sentence_id,label\na:1,Loaded\n");
    write(
        d,
        "pred.csv",
        "sentence_id,label,rule_id,start,end,match\na:1,Loaded,w,22,28,crooks\n",
    );
    write(d, "a.txt", "Title\n\nOne sentence.\n");
    let destroy = "would destroy the input";
    let eval = [
        "eval",
        "--sentences",
        "s.csv",
        "--pred",
        "pred.csv",
        "--gold",
        "g.csv",
    ];
    let with = |extra: &[&'static str]| -> Vec<&'static str> {
        eval.iter().chain(extra).copied().collect()
    };
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["extract", "--rules", "r.toml", "s.csv", "-o", "r.toml"],
            destroy,
        ),
        (
            vec![
                "extract",
                "--rules",
                "r.toml",
                "s.csv",
                "-o",
                "./in/../s.csv",
            ],
            destroy,
        ),
        // A lexicon file a rule reads is an input too.
        (
            vec![
                "extract",
                "--rules",
                "lex.toml",
                "s.csv",
                "--format",
                "csv",
                "-o",
                "words.txt",
            ],
            destroy,
        ),
        (
            vec![
                "labels",
                "merge",
                "--sentences",
                "s.csv",
                "ana.csv",
                "ben.csv",
                "-o",
                "ana.csv",
            ],
            destroy,
        ),
        (
            vec![
                "labels",
                "merge",
                "--sentences",
                "s.csv",
                "ana.csv",
                "ben.csv",
                "--conflicts",
                "x.csv",
                "-o",
                "x.csv",
            ],
            "one output would replace the other",
        ),
        (
            vec![
                "labels",
                "merge",
                "--sentences",
                "s.csv",
                "ana.csv",
                "ben.csv",
                "--report",
                "x",
                "-o",
                "x",
            ],
            "one output would replace the other",
        ),
        (vec!["split", "a.txt", "-o", "a.txt"], destroy),
        // A file the search of `in` (*.txt, also below it) would read back next time.
        (
            vec!["split", "in", "--format", "csv", "-o", "in/deep/s2.TXT"],
            "inside the input directory",
        ),
        // A path through a directory not there yet: `new/..` is `in`, searched.
        (
            vec!["split", "in", "--format", "csv", "-o", "new/../in/s2.txt"],
            "inside the input directory",
        ),
        (
            vec![
                "extract",
                "--rules",
                "r.toml",
                "s.csv",
                "-o",
                "new/../s.csv",
            ],
            destroy,
        ),
        (
            vec![
                "labels",
                "merge",
                "--sentences",
                "s.csv",
                "ana.csv",
                "ben.csv",
                "--conflicts",
                "-",
            ],
            "-o and --conflicts would both go to stdout",
        ),
        (vec!["stats", "s.csv", "-o", "s.csv"], destroy),
        (vec!["stats", "s.csv", "ana.csv", "-o", "ana.csv"], destroy),
        (with(&["-o", "g.csv"]), destroy),
        (with(&["--errors", "pred.csv"]), destroy),
        (
            with(&["--errors", "x", "-o", "x"]),
            "one output would replace the other",
        ),
        (vec!["export", "g.csv", "-o", "./g.csv"], destroy),
    ];
    for (args, expected) in &cases {
        refused_in(d, args, expected);
    }
    // Links: a symbolic link and a hard link to an input are that input.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(d.join("g.csv"), d.join("soft.csv")).unwrap();
        fs::hard_link(d.join("g.csv"), d.join("hard.csv")).unwrap();
        refused_in(d, &with(&["-o", "soft.csv"]), destroy);
        refused_in(d, &with(&["-o", "hard.csv"]), destroy);
    }
    // The message names both sides as given.
    let out = sentlab()
        .current_dir(d)
        .args(["stats", "s.csv", "-o", "s.csv"])
        .assert()
        .code(2);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        err.contains("output -o `s.csv` is the input SENTENCES `s.csv`"),
        "{err}"
    );
    // A distinct output next to the inputs still works, and so does a file in an input
    // directory that its search does not read.
    sentlab()
        .current_dir(d)
        .args(["stats", "-q", "s.csv", "-o", "stats.txt"])
        .assert()
        .success();
    sentlab()
        .current_dir(d)
        .args(["split", "-q", "in", "-o", "in/s2.csv"])
        .assert()
        .success();
}

#[test]
fn run_refuses_an_output_directory_inside_its_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    write(d, "in/x.txt", "T\n\nOne.");
    write(d, "ana.csv", "sentence_id,label\nx:1,Loaded\n");
    let p = write(
        d,
        "p.toml",
        format!(
            "articles = [\"in\"]\nannotators = [\"ana.csv\"]\nrules = \"{}\"\nout = \"in/out\"\n",
            root.join("datasets/rules/propaganda.toml").display()
        ),
    );
    refused_in(
        d,
        &["run", p.to_str().unwrap()],
        "inside the input directory",
    );
    // An annotator file named like one of the run's outputs, in the output directory.
    write(d, "out/gold.csv", "sentence_id,label\nx:1,Loaded\n");
    let q = write(
        d,
        "q.toml",
        format!(
            "articles = [\"in\"]\nannotators = [\"out/gold.csv\"]\nrules = \"{}\"\nout = \"out\"\n",
            root.join("datasets/rules/propaganda.toml").display()
        ),
    );
    refused_in(d, &["run", q.to_str().unwrap()], "would destroy the input");
    // The same directory reached through one not there yet (`new/..`).
    refused_in(
        d,
        &["run", q.to_str().unwrap(), "--out", "new/../out"],
        "output --out `new/../out/gold.csv` is the input the pipeline's annotators",
    );
}

#[test]
fn a_reader_that_stops_early_ends_the_command_quietly_with_status_0() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    // About 5 MB of CSV: far more than a pipe holds, so the writer meets the closed pipe.
    let mut text = String::from("Title\n\n");
    for i in 0..150_000 {
        text += &format!("Sentence number {i}.\n");
    }
    let article = dir.path().join("big.txt");
    std::fs::write(&article, text).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sentlab"))
        .arg("split")
        .arg(&article)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("article_id,sentence_id"), "{first}");
    // The reader is gone (like `| head -1`).
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{:?}: {stderr}", out.status);
    assert!(!stderr.contains("error"), "{stderr}");
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
}

#[test]
fn a_closed_stdout_is_an_error_when_file_outputs_were_left_unwritten() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // 20,000 one-line sentences; both annotators label each: the gold table on stdout is
    // far more than a pipe holds.
    let mut text = String::from("Title\n\n");
    let mut labels = String::from("sentence_id,label\n");
    for i in 1..=20_000 {
        text += &format!("Sentence number {i}.\n");
        labels += &format!("big:{i},Loaded_Language\n");
    }
    std::fs::write(d.join("big.txt"), text).unwrap();
    std::fs::write(d.join("ana.csv"), &labels).unwrap();
    std::fs::write(d.join("ben.csv"), &labels).unwrap();
    sentlab()
        .current_dir(d)
        .args(["split", "-q", "big.txt", "-o", "s.csv"])
        .assert()
        .success();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sentlab"))
        .current_dir(d)
        .args([
            "labels",
            "merge",
            "-q",
            "--sentences",
            "s.csv",
            "ana.csv",
            "ben.csv",
        ])
        .args(["--report", "r.json", "--conflicts", "c.csv"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert_eq!(first, "sentence_id,label,votes,annotators\n");
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The report and conflicts files were asked for and are missing: not a quiet success.
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("Broken pipe"), "{stderr}");
    assert!(!d.join("r.json").exists() && !d.join("c.csv").exists());
}

#[cfg(unix)]
#[test]
fn an_output_keeps_the_mode_of_the_file_it_replaces_and_a_new_one_honours_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.txt"), "Title\n\nOne sentence.\n").unwrap();
    let mode = |name: &str| {
        std::fs::metadata(d.join(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    // A private file stays private (it was widened to 0644).
    std::fs::write(d.join("private.csv"), "old").unwrap();
    std::fs::set_permissions(
        d.join("private.csv"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    // A new file under umask 077 is 0600 (0666 less the umask), under 022 it is 0644.
    let bin = env!("CARGO_BIN_EXE_sentlab");
    for (umask, out) in [
        ("077", "private.csv"),
        ("077", "new77.csv"),
        ("022", "new22.csv"),
    ] {
        let status = std::process::Command::new("sh")
            .current_dir(d)
            .arg("-c")
            .arg(format!(
                "umask {umask} && exec \"$0\" split -q a.txt -o {out}"
            ))
            .arg(bin)
            .status()
            .unwrap();
        assert!(status.success());
    }
    assert!(
        std::fs::read_to_string(d.join("private.csv"))
            .unwrap()
            .starts_with("article_id")
    );
    assert_eq!(mode("private.csv"), 0o600);
    assert_eq!(mode("new77.csv"), 0o600);
    assert_eq!(mode("new22.csv"), 0o644);
}
