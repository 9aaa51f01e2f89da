//! `sentlab rules check` and `sentlab rules explain`, and bad rule files wherever they are read.

use std::fs;

use predicates::prelude::*;

use crate::common::*;

#[test]
fn bad_rules_report_every_problem_with_file_and_line_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let s = corpus(dir.path());
    let rules = write(
        dir.path(),
        "bad.toml",
        "[[rule]]\nid = \"r1\"\nlabel = \"X\"\nregex = \"(unclosed\"\n\n[[rule]]\nid = \"r2\"\nlabel = \"X\"\nregex = \"a\"\nshape = \"question\"\n\n[[rule]]\nid = \"r3\"\nlabel = \"X\"\nlexicon = { file = \"missing.txt\" }\n",
    );
    let out = dir.path().join("p.csv");
    sentlab()
        .args(["extract", "--rules"])
        .arg(&rules)
        .arg(&s)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("bad.toml:")
                .and(predicate::str::contains("rule `r1`"))
                .and(predicate::str::contains("rule `r2`"))
                .and(predicate::str::contains("missing.txt"))
                .and(predicate::str::contains("3 problem(s)")),
        );
    assert!(
        !out.exists(),
        "extract never starts writing before the rules compiled"
    );
    sentlab()
        .args(["rules", "check"])
        .arg(&rules)
        .assert()
        .code(1);
    let toml_err = write(dir.path(), "syntax.toml", "[[rule]]\nid = \"x\nlabel = 1\n");
    sentlab()
        .args(["rules", "check"])
        .arg(&toml_err)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("syntax.toml:2:"));
}

#[test]
fn rules_check_with_schema_and_explain() {
    let dir = tempfile::tempdir().unwrap();
    let rules = write(dir.path(), "r.toml", RULES);
    let schema = write(
        dir.path(),
        "labels.toml",
        "[[label]]\nname = \"Name_Calling,Labeling\"\n\n[[label]]\nname = \"Doubts\"\n",
    );
    sentlab()
        .args(["rules", "check", "--schema"])
        .arg(&schema)
        .arg(&rules)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("Doubt").and(predicate::str::contains("Doubts")));
    let out = stdout_of(
        sentlab()
            .args(["rules", "explain"])
            .arg(&rules)
            .arg("Are they crooks?"),
    );
    assert!(out.contains("crooks") && out.contains("question"), "{out}");
}

#[test]
fn rules_files_with_a_bom_bad_utf8_no_rules_or_broken_entries() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // BOMs on the rules file and on the lexicon file: "apple" (the first entry) matches.
    fs::write(d.join("fruit.txt"), b"\xEF\xBB\xBFapple\r\nbanana\r\n").unwrap();
    let rules = write(
        d,
        "r.toml",
        "\u{feff}[[rule]]\nid = \"fruit\"\nlabel = \"X\"\nlexicon = { file = \"fruit.txt\" }\n",
    );
    let out = stdout_of(
        sentlab()
            .args(["rules", "explain"])
            .arg(&rules)
            .arg("An apple and a banana."),
    );
    assert!(
        out.contains("2 fired") && out.contains("[3, 8) \"apple\": fired"),
        "{out}"
    );
    // "good\n" is bytes 0..5, "bad" 5..8: the invalid byte is byte 8, on line 2.
    fs::write(d.join("fruit.txt"), b"good\nbad\xFF\n").unwrap();
    sentlab()
        .args(["rules", "check"])
        .arg(&rules)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("r.toml:4: rule `fruit`: cannot read lexicon file").and(
                predicate::str::contains(
                    "fruit.txt`: invalid UTF-8 at byte 8, line 2 (expected UTF-8 text)",
                ),
            ),
        );
    // In a directory, the bad file is named; "[[rule]]\n" is 9 bytes: byte 9, line 2.
    let rules_dir = d.join("rules");
    write(
        &rules_dir,
        "a.toml",
        "[[rule]]\nid = \"a\"\nlabel = \"X\"\nregex = \"a\"\n",
    );
    fs::write(rules_dir.join("b.toml"), b"[[rule]]\n\xFF\n").unwrap();
    sentlab()
        .args(["rules", "check"])
        .arg(&rules_dir)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "{}: invalid UTF-8 at byte 9, line 2 (expected UTF-8 text)",
            rules_dir.join("b.toml").display()
        )));
    // A file without rules is an error, alone or in a directory.
    write(&rules_dir, "b.toml", "# to do\n");
    for path in [rules_dir.join("b.toml"), rules_dir.clone()] {
        sentlab()
            .args(["rules", "check"])
            .arg(&path)
            .assert()
            .code(1)
            .stderr(predicate::str::contains(format!(
                "{}:1: no rules (expected at least one `[[rule]]` table)",
                rules_dir.join("b.toml").display()
            )));
    }
    fs::remove_file(rules_dir.join("b.toml")).unwrap();
    #[cfg(unix)]
    {
        let broken = rules_dir.join("broken.toml");
        std::os::unix::fs::symlink(d.join("nowhere.toml"), &broken).unwrap();
        sentlab()
            .args(["rules", "check"])
            .arg(&rules_dir)
            .assert()
            .code(1)
            .stderr(predicate::str::contains(format!("{}: ", broken.display())));
    }
}

/// One rule: a question (the sentence ends with `?`) is `Doubt`.
const QUESTION_RULES: &str =
    "[[rule]]\nid = \"question\"\nlabel = \"Doubt\"\nshape = \"question\"\n";

#[test]
fn rules_explain_takes_the_rules_with_the_rules_flag() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "r.toml", QUESTION_RULES);
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
    write(d, "r.toml", QUESTION_RULES);
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
