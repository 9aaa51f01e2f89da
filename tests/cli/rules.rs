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

// `rules suggest`.

/// A sentence table of `(article, sentences)`, offsets counted in code points with one
/// space between sentences.
fn suggest_sentences(dir: &std::path::Path, articles: &[(&str, &[&str])]) -> std::path::PathBuf {
    let mut csv = String::from("article_id,sentence_id,index,paragraph,kind,start,end,text\n");
    for (article, sentences) in articles {
        let mut start = 0;
        for (i, text) in sentences.iter().enumerate() {
            let end = start + text.chars().count();
            csv.push_str(&format!(
                "{article},{article}:{i},{i},0,body,{start},{end},\"{text}\"\n"
            ));
            start = end + 1;
        }
    }
    write(dir, "sentences.csv", csv)
}

/// Articles a..e; with two folds `a`, `c`, `e` are in fold 0 and `b`, `d` in fold 1 (the
/// 32-bit FNV-1a hash of a one-byte id is odd exactly when the byte is even). Gold X: a:0,
/// b:0, c:0, e:0; the predictions find c:0 only.
fn suggest_fixture(dir: &std::path::Path) {
    suggest_sentences(
        dir,
        &[
            (
                "a",
                &["The deep state lies.", "The state of the weather is fine."],
            ),
            ("b", &["The deep state again.", "Deep water."]),
            ("c", &["A deep state plot."]),
            ("d", &["The deep state is a myth."]),
            ("e", &["Deep state, they say."]),
        ],
    );
    write(
        dir,
        "gold.csv",
        "sentence_id,label\na:0,X\nb:0,X\nc:0,X\ne:0,X\n",
    );
    write(dir, "pred.csv", "sentence_id,label\nc:0,X\n");
}

/// The rows of a suggestion table: (phrase, the eight figures after it).
fn suggest_rows(table: &str) -> Vec<(String, Vec<String>)> {
    table
        .lines()
        .skip(2)
        .map(|l| {
            let cells: Vec<&str> = l.split_whitespace().collect();
            let n = cells.len();
            (
                cells[1..n - 8].join(" "),
                cells[n - 8..].iter().map(|c| c.to_string()).collect(),
            )
        })
        .collect()
}

#[test]
fn rules_suggest_ranks_phrases_by_held_out_precision() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    suggest_fixture(d);
    let out = stdout_of(sentlab().current_dir(d).args([
        "rules",
        "suggest",
        "--sentences",
        "sentences.csv",
        "--gold",
        "gold.csv",
        "--pred",
        "pred.csv",
        "--folds",
        "2",
        "--min-articles",
        "2",
    ]));
    // By hand (missed: a:0, b:0, e:0). `state`: a:0 a:1 b:0 c:0 d:0 e:0, 4 gold, new tp in
    // a, b, e; held out only fold 1 (trained on fold 0: articles a, e >= 2, precision 3/4):
    // b:0 gold, d:0 not: 1/2, Wilson (1, 2) = 0.095. `deep state`: a:0 b:0 c:0 d:0 e:0, the
    // same held-out 1/2 with fewer sentences. `deep`: also b:1: held out 1/3 (Wilson 0.061).
    // `the deep` (= `the deep state`): a:0 b:0 d:0, one new-tp article per fold: no
    // held-out estimate.
    let num = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        suggest_rows(&out),
        [
            (
                "state".to_string(),
                num(&["6", "3", "3", "0.667", "0.500", "2", "0.095", "-"])
            ),
            (
                "deep state".to_string(),
                num(&["5", "3", "3", "0.800", "0.500", "2", "0.095", "-"])
            ),
            (
                "deep".to_string(),
                num(&["6", "3", "3", "0.667", "0.333", "3", "0.061", "-"])
            ),
            (
                "the deep".to_string(),
                num(&["3", "2", "2", "0.667", "-", "0", "0.000", "-"])
            ),
        ],
        "{out}"
    );
    assert!(out.starts_with("label  phrase"), "{out}");
}

#[test]
fn rules_suggest_toml_is_accepted_by_rules_check() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    suggest_fixture(d);
    // An existing rule of X: `state` is not suggested again; it fires on a:1 (`state`),
    // a:0 and the other sentences with `state`.
    write(
        d,
        "rules.toml",
        "[[rule]]\nid = \"st\"\nlabel = \"X\"\nlexicon = { words = [\"State\"] }\n",
    );
    let toml = stdout_of(sentlab().current_dir(d).args([
        "rules",
        "suggest",
        "--sentences",
        "sentences.csv",
        "--gold",
        "gold.csv",
        "--pred",
        "pred.csv",
        "--folds",
        "2",
        "--min-articles",
        "2",
        "--rules",
        "rules.toml",
        "--inflect",
        "--toml",
    ]));
    write(d, "suggested.toml", &toml);
    sentlab()
        .current_dir(d)
        .args(["rules", "check", "suggested.toml"])
        .assert()
        .success()
        .stderr(predicate::str::contains("ok: 3 rules"));
    // `deep state` first: support 5, 4 gold; every one of its sentences has `state`, so the
    // existing rule overlaps on all 5.
    assert!(
        toml.contains(
            "# \"deep state\": support 5 sentence(s), 4 gold (precision 0.800), 3 new true positive(s) in 3 article(s)\n\
             # held-out precision 0.500 (1/2 sentences), Wilson 95% lower bound 0.095\n\
             # overlap with existing rules of the label: 5 sentence(s)\n\
             [[rule]]\nid = \"suggest-x-1\"\nlabel = \"X\"\nlexicon = { words = [\"deep state\"], inflect = true }\n"
        ),
        "{toml}"
    );
    assert!(!toml.contains("words = [\"state\"]"), "{toml}");
}

#[test]
fn rules_suggest_reads_ptc_span_gold() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = ptc_corpus(d);
    // `crooks` in 111 (22..28) and 222 (27..33).
    write(
        d,
        "gold/article111.task2-TC.labels",
        "111\tName_Calling\t22\t28\n",
    );
    write(
        d,
        "gold/article222.task2-TC.labels",
        "222\tName_Calling\t27\t33\n",
    );
    let out = stdout_of(
        sentlab()
            .args([
                "rules",
                "suggest",
                "--folds",
                "2",
                "--min-articles",
                "2",
                "--sentences",
            ])
            .arg(&s)
            .arg("--gold")
            .arg(d.join("gold")),
    );
    // Sentences 111:1 and 222:2 both gold; `crooks` in both, in two articles.
    let rows = suggest_rows(&out);
    let crooks = rows.iter().find(|(p, _)| p == "crooks").expect(&out);
    assert_eq!(crooks.1[..4], ["2", "2", "2", "1.000"]);
}

#[test]
fn rules_suggest_refuses_bad_flags_and_counts_unknown_rows() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    suggest_fixture(d);
    let base = [
        "rules",
        "suggest",
        "--sentences",
        "sentences.csv",
        "--gold",
        "gold.csv",
    ];
    sentlab()
        .current_dir(d)
        .args(base)
        .args(["--labels", "Y"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("`Y`"));
    sentlab()
        .current_dir(d)
        .args(base)
        .args(["--min-precision", "1.5"])
        .assert()
        .code(2)
        .stdout("");
    sentlab()
        .current_dir(d)
        .args(base)
        .args(["--folds", "1"])
        .assert()
        .code(2)
        .stdout("");
    // No phrase lies in 6 articles (there are 5): said on stderr, no rule written.
    sentlab()
        .current_dir(d)
        .args(base)
        .args(["--min-articles", "6", "--toml"])
        .assert()
        .success()
        .stdout(predicate::str::contains("[[rule]]").not())
        .stderr(predicate::str::contains("nothing suggested"));
    write(d, "gold2.csv", "sentence_id,label\na:0,X\nzz:9,X\nzz:8,X\n");
    sentlab()
        .current_dir(d)
        .args([
            "rules",
            "suggest",
            "--sentences",
            "sentences.csv",
            "--gold",
            "gold2.csv",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("2 row(s) skipped").and(predicate::str::contains("zz:9")));
}
