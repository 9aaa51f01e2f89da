//! `-` as a table input: standard input, its format read from the content.

use std::fs;

use predicates::prelude::*;

use crate::common::*;

/// Article `a`: a:0 the title "Alpha title" [0, 11), a:1 "They are crooks!" [13, 29),
/// a:2 "Is it true?" [30, 41).
const SENTENCES: &str = "article_id,sentence_id,index,paragraph,kind,start,end,text
a,a:0,0,0,title,0,11,Alpha title
a,a:1,1,1,body,13,29,They are crooks!
a,a:2,2,1,body,30,41,Is it true?
";

const RULES: &str = r#"
[[rule]]
id = "crooks"
label = "Name_Calling,Labeling"
lexicon = { words = ["crooks"] }
"#;

#[test]
fn a_sentence_table_on_stdin_in_any_format_is_read_by_its_content() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let csv = write(d, "s.csv", SENTENCES);
    let rules = write(d, "r.toml", RULES);
    // The one prediction, by hand: "crooks" is code points 22..28 of the article
    // (a:1 starts at 13; "They are " is 9 code points).
    let expected = "sentence_id,label,rule_id,start,end,match\n\
                    a:1,\"Name_Calling,Labeling\",crooks,22,28,crooks\n";
    for ext in ["csv", "jsonl", "parquet", "arrow"] {
        let table = d.join(format!("t.{ext}"));
        sentlab()
            .args(["export", "-q"])
            .arg(&csv)
            .arg("-o")
            .arg(&table)
            .assert()
            .success();
        let got = stdout_of(
            sentlab()
                .args(["extract", "-q", "--rules"])
                .arg(&rules)
                .arg("-")
                .pipe_stdin(&table)
                .unwrap(),
        );
        assert_eq!(got, expected, "{ext} on stdin");
    }
}

#[test]
fn stdin_errors_name_stdin_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let rules = write(dir.path(), "r.toml", RULES);
    // Line 3 (a:1) says end 20 for a 16-code-point text.
    let bad = SENTENCES.replace("a,a:1,1,1,body,13,29,", "a,a:1,1,1,body,13,20,");
    sentlab()
        .args(["extract", "--rules"])
        .arg(&rules)
        .arg("-")
        .write_stdin(bad)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("<stdin>:3: sentence `a:1`"));
}

#[test]
fn an_annotator_file_on_stdin_is_annotator_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = write(d, "s.csv", SENTENCES);
    let ben = write(d, "ben.csv", "sentence_id,label\na:1,Doubt\n");
    // Both annotators say a:1 is Doubt: 2 of 2 votes.
    let gold = stdout_of(
        sentlab()
            .args(["labels", "merge", "--sentences"])
            .arg(&s)
            .arg("-")
            .arg(&ben)
            .write_stdin("sentence_id,label\na:1,Doubt\n"),
    );
    assert_eq!(
        gold,
        "sentence_id,label,votes,annotators\na:1,Doubt,2,ben;stdin\n"
    );
}

#[test]
fn two_inputs_on_stdin_are_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let ben = write(dir.path(), "ben.csv", "sentence_id,label\na:1,Doubt\n");
    sentlab()
        .args(["labels", "merge", "--sentences", "-", "-"])
        .arg(&ben)
        .write_stdin(SENTENCES)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("would both read standard input"));
}

#[test]
fn export_and_stats_read_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let csv = write(d, "s.csv", SENTENCES);
    let arrow = d.join("s.arrow");
    sentlab()
        .args(["export", "-q"])
        .arg(&csv)
        .arg("-o")
        .arg(&arrow)
        .assert()
        .success();
    let back = d.join("back.csv");
    sentlab()
        .args(["export", "-q", "-", "-o"])
        .arg(&back)
        .pipe_stdin(&arrow)
        .unwrap()
        .assert()
        .success();
    assert_eq!(fs::read_to_string(&back).unwrap(), SENTENCES);
    // 1 article, 3 sentences (title included).
    let stats = stdout_of(sentlab().args(["stats", "-"]).write_stdin(SENTENCES));
    assert!(
        stats.starts_with("articles              1\nsentences             3\n"),
        "{stats}"
    );
}

#[test]
fn eval_reads_any_one_of_its_tables_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = write(d, "s.csv", SENTENCES);
    let gold = write(d, "g.csv", "sentence_id,label\na:1,Doubt\na:2,Doubt\n");
    let pred = write(
        d,
        "p.jsonl",
        "{\"sentence_id\":\"a:1\",\"label\":\"Doubt\",\"rule_id\":\"r\",\"start\":13,\"end\":17,\"match\":\"They\"}\n",
    );
    // By hand: gold a:1 and a:2, predicted a:1: tp 1, fn 1, precision 1, recall 0.5.
    let micro = "micro 1 0 1 2 1.000 0.500 0.667";
    let words = |t: &str| -> Vec<String> {
        t.lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    };
    let from_files = stdout_of(
        sentlab()
            .args(["eval", "-q", "--sentences"])
            .arg(&s)
            .arg("--gold")
            .arg(&gold)
            .arg("--pred")
            .arg(&pred),
    );
    assert!(
        words(&from_files).iter().any(|l| l == micro),
        "{from_files}"
    );
    for (flag, file) in [("--sentences", &s), ("--gold", &gold), ("--pred", &pred)] {
        let mut cmd = sentlab();
        cmd.args(["eval", "-q"]);
        for (f, p) in [("--sentences", &s), ("--gold", &gold), ("--pred", &pred)] {
            cmd.arg(f);
            if f == flag {
                cmd.arg("-");
            } else {
                cmd.arg(p);
            }
        }
        let got = stdout_of(cmd.pipe_stdin(file).unwrap());
        assert_eq!(got, from_files, "{flag} -");
    }
    // PTC span gold on stdin: "They" is code points 13..17 of article a, in a:1.
    let got = stdout_of(
        sentlab()
            .args(["eval", "-q", "--sentences"])
            .arg(&s)
            .args(["--gold", "-", "--pred"])
            .arg(&pred)
            .write_stdin("a\tDoubt\t13\t17\n"),
    );
    assert!(
        words(&got)
            .iter()
            .any(|l| l == "micro 1 0 0 1 1.000 1.000 1.000"),
        "{got}"
    );
}
