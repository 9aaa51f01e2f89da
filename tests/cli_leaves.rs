//! The flag vocabulary of `rules explain` (its rules as an argument or with `--rules`), on
//! fixtures made in temp dirs.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn sentlab() -> Command {
    Command::cargo_bin("sentlab").unwrap()
}

fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(&p, content).unwrap();
    p
}

fn stdout_of(cmd: &mut Command) -> String {
    let out = cmd.assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

/// One rule: a question (the sentence ends with `?`) is `Doubt`.
const RULES: &str = "[[rule]]\nid = \"question\"\nlabel = \"Doubt\"\nshape = \"question\"\n";

#[test]
fn rules_explain_takes_the_rules_with_the_rules_flag() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "r.toml", RULES);
    let run = |args: &[&str]| stdout_of(sentlab().current_dir(d).args(args));
    let flag = run(&["rules", "explain", "--rules", "r.toml", "Is it true?"]);
    // "Is it true?" ends with a question mark: the one rule, `question`, fires.
    assert!(
        flag.contains("question") && flag.contains("1 fired"),
        "{flag}"
    );
    assert_eq!(flag, run(&["rules", "explain", "r.toml", "Is it true?"]));
    // With --sentence-id: a table whose sentence a:1 is the question "Is it true?".
    write(d, "in/a.txt", "Alpha title\n\nIs it true?\n");
    sentlab()
        .current_dir(d)
        .args(["split", "-q", "in", "-o", "s.csv"])
        .assert()
        .success();
    let by_id = run(&[
        "rules",
        "explain",
        "--rules",
        "r.toml",
        "--sentence-id",
        "a:1",
        "--sentences",
        "s.csv",
    ]);
    assert!(by_id.contains("1 fired"), "{by_id}");
    assert_eq!(
        by_id,
        run(&[
            "rules",
            "explain",
            "r.toml",
            "--sentence-id",
            "a:1",
            "--sentences",
            "s.csv"
        ])
    );
}

#[test]
fn rules_explain_refuses_the_rules_twice() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "r.toml", RULES);
    sentlab()
        .current_dir(d)
        .args([
            "rules",
            "explain",
            "--rules",
            "r.toml",
            "r.toml",
            "Is it true?",
        ])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("--rules").and(predicate::str::contains("not both")));
    // The sentence given twice (as text and by id) is refused as before.
    sentlab()
        .current_dir(d)
        .args([
            "rules",
            "explain",
            "--rules",
            "r.toml",
            "Is it true?",
            "--sentence-id",
            "a:1",
            "--sentences",
            "r.toml",
        ])
        .assert()
        .code(2)
        .stdout("");
}
