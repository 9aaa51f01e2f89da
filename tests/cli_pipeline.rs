//! `labels merge`, `extract`, `rules`, `eval`, `run`/`demo`, `export`, `stats` end to end,
//! on fixtures made in temp dirs (values checked by hand in the comments).

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

/// Two articles, split: a:0 title, a:1 "They are crooks!", a:2 "Is it true?"; b:0 title,
/// b:1 "Calm news.", b:2 "The crooks again."
fn corpus(dir: &Path) -> PathBuf {
    write(
        dir,
        "in/a.txt",
        "Alpha title\n\nThey are crooks!\nIs it true?\n",
    );
    write(
        dir,
        "in/b.txt",
        "Beta title\n\nCalm news.\nThe crooks again.\n",
    );
    let s = dir.join("s.csv");
    sentlab()
        .args(["split", "-q"])
        .arg(dir.join("in"))
        .arg("-o")
        .arg(&s)
        .assert()
        .success();
    s
}

const RULES: &str = r#"
[[rule]]
id = "crooks"
label = "Name_Calling,Labeling"
lexicon = { words = ["crook"], inflect = true }

[[rule]]
id = "question"
label = "Doubt"
shape = "question"
"#;

#[test]
fn extract_writes_traceable_predictions() {
    let dir = tempfile::tempdir().unwrap();
    let s = corpus(dir.path());
    let rules = write(dir.path(), "r.toml", RULES);
    let out = stdout_of(
        sentlab()
            .args(["extract", "-q", "--rules"])
            .arg(&rules)
            .arg(&s),
    );
    // a.txt: "Alpha title\n\n" is 13 chars, "They are crooks!" starts at 13, "crooks" at 22..28;
    // "Is it true?" is 30..41. b.txt: "Beta title\n\n" 12, "Calm news.\n" 11 -> 23;
    // "The crooks again." starts at 23, "crooks" at 27..33.
    assert_eq!(
        out,
        "sentence_id,label,rule_id,start,end,match\n\
         a:1,\"Name_Calling,Labeling\",crooks,22,28,crooks\n\
         a:2,Doubt,question,30,41,Is it true?\n\
         b:2,\"Name_Calling,Labeling\",crooks,27,33,crooks\n"
    );
}

#[test]
fn extract_and_eval_reject_a_table_whose_offsets_disagree_with_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let rules = write(dir.path(), "r.toml", RULES);
    // The title's quote is never closed: its text runs to the end of the file, 43 code
    // points ("Title\n" 6, the next line 37 with its line break).
    let bad = write(
        dir.path(),
        "open.csv",
        "article_id,sentence_id,index,paragraph,kind,start,end,text\n\
         a,a:0,0,0,title,0,5,\"Title\n\
         a,a:1,1,1,body,7,23,They are crooks!\n",
    );
    let out = dir.path().join("p.csv");
    sentlab()
        .args(["extract", "-q", "--rules"])
        .arg(&rules)
        .arg(&bad)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "open.csv:2: sentence `a:0`: its text has 43 code points but end - start is 5",
        ));
    assert!(!out.exists());
    // eval reads the offsets when it projects spans (a long label table needs only the ids).
    let gold = write(dir.path(), "a.labels", "a\tX\t0\t3\n");
    let pred = write(dir.path(), "pred.csv", "sentence_id,label\na:0,X\n");
    sentlab()
        .args(["eval", "--gold"])
        .arg(&gold)
        .arg("--pred")
        .arg(&pred)
        .arg("--sentences")
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("open.csv:2: sentence `a:0`"));
}

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

fn merge_fixture(dir: &Path) -> (PathBuf, Vec<PathBuf>) {
    let s = corpus(dir);
    // Three annotators over both articles (each names both articles, so each saw all 6).
    let ana = write(
        dir,
        "ana.csv",
        "sentence_id,label\na:1,Loaded\na:1,Name\nb:2,Name\nb:0,\n",
    );
    let ben = write(
        dir,
        "ben.csv",
        "sentence_id,label\na:1,Name\na:2,Doubt\nb:0,\n",
    );
    let cy = write(
        dir,
        "cy.csv",
        "sentence_id,label\na:1,Name\na:2,Doubt\nb:2,Loaded\n",
    );
    (s, vec![ana, ben, cy])
}

#[test]
fn merge_majority_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let (s, files) = merge_fixture(dir.path());
    let conflicts = dir.path().join("conflicts.csv");
    let report = dir.path().join("agreement.json");
    let out = stdout_of(
        sentlab()
            .args(["labels", "merge", "-q", "--sentences"])
            .arg(&s)
            .args(&files)
            .arg("--conflicts")
            .arg(&conflicts)
            .arg("--report")
            .arg(&report),
    );
    // a:1 Name: 3 votes (yes); a:1 Loaded: 1 (no); a:2 Doubt: 2 of 3 (yes);
    // b:2 Name: 1 (no); b:2 Loaded: 1 (no).
    assert_eq!(
        out,
        "sentence_id,label,votes,annotators\na:1,Name,3,ana;ben;cy\na:2,Doubt,2,ben;cy\n"
    );
    let c = fs::read_to_string(&conflicts).unwrap();
    assert!(
        c.starts_with("sentence_id,label,yes,no,in_gold,text\n"),
        "{c}"
    );
    assert!(
        c.contains("a:1,Loaded,ana,ben;cy,false,They are crooks!"),
        "{c}"
    );
    assert_eq!(
        c.lines().count(),
        1 + 4,
        "a:1 Loaded, a:2 Doubt, b:2 Loaded, b:2 Name: {c}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(json["annotators"], serde_json::json!(["ana", "ben", "cy"]));
    // any: union of every yes vote: a:1 Loaded+Name, a:2 Doubt, b:2 Loaded+Name.
    let any = stdout_of(
        sentlab()
            .args(["labels", "merge", "-q", "--strategy", "any", "--sentences"])
            .arg(&s)
            .args(&files),
    );
    assert_eq!(any.lines().count(), 1 + 5, "{any}");
    let k2 = stdout_of(
        sentlab()
            .args(["labels", "merge", "-q", "--min-votes", "2", "--sentences"])
            .arg(&s)
            .args(&files),
    );
    assert_eq!(k2, out, "min-votes 2 equals majority of 3 here");
    let unanimous = stdout_of(
        sentlab()
            .args([
                "labels",
                "merge",
                "-q",
                "--strategy",
                "unanimous",
                "--sentences",
            ])
            .arg(&s)
            .args(&files),
    );
    assert_eq!(
        unanimous,
        "sentence_id,label,votes,annotators\na:1,Name,3,ana;ben;cy\n"
    );
}

#[test]
fn merge_counts_every_skipped_row_by_reason() {
    let dir = tempfile::tempdir().unwrap();
    let (s, _) = merge_fixture(dir.path());
    let schema = write(
        dir.path(),
        "labels.toml",
        "[[label]]\nname = \"Name\"\naliases = [\"Naming\"]\n",
    );
    // One good row, one alias, one unknown sentence, one unknown label, one duplicate.
    let f = write(
        dir.path(),
        "x.csv",
        "sentence_id,label\na:1,Name\nb:2,Naming\nzz:9,Name\na:2,Nmae\na:1,Name\n",
    );
    sentlab()
        .args(["labels", "merge", "--sentences"])
        .arg(&s)
        .arg(&f)
        .arg("--schema")
        .arg(&schema)
        .assert()
        .success()
        .stdout("sentence_id,label,votes,annotators\na:1,Name,1,x\nb:2,Name,1,x\n")
        .stderr(
            predicate::str::contains("5 label rows read, 2 merged")
                .and(predicate::str::contains("1 duplicate"))
                .and(predicate::str::contains("1 unknown-label"))
                .and(predicate::str::contains("1 unknown-sentence")),
        );
    sentlab()
        .args(["labels", "merge", "--strict", "--sentences"])
        .arg(&s)
        .arg(&f)
        .arg("--schema")
        .arg(&schema)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("x.csv:"));
}

#[test]
fn merge_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let (s, files) = merge_fixture(dir.path());
    // Contradictory strategy options are usage errors.
    sentlab()
        .args([
            "labels",
            "merge",
            "--strategy",
            "any",
            "--min-votes",
            "2",
            "--sentences",
        ])
        .arg(&s)
        .args(&files)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--min-votes conflicts with --strategy any;",
        ));
    sentlab()
        .args([
            "labels",
            "merge",
            "--strategy",
            "any",
            "--tie",
            "yes",
            "--sentences",
        ])
        .arg(&s)
        .args(&files)
        .assert()
        .code(2);
    sentlab()
        .args(["labels", "merge", "--strategy", "min-votes", "--sentences"])
        .arg(&s)
        .args(&files)
        .assert()
        .code(2);
    // Ids that match no sentence: an error, and no gold file.
    let none = write(
        dir.path(),
        "none.csv",
        "sentence_id,label\nq:1,Name\nq:2,Name\n",
    );
    let gold = dir.path().join("gold.csv");
    sentlab()
        .args(["labels", "merge", "--sentences"])
        .arg(&s)
        .arg(&none)
        .arg("-o")
        .arg(&gold)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("none.csv"));
    assert!(!gold.exists());
    // Missing columns name the file and what was found.
    let cols = write(dir.path(), "cols.csv", "id,tag\na:1,Name\n");
    sentlab()
        .args(["labels", "merge", "--sentences"])
        .arg(&s)
        .arg(&cols)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cols.csv").and(predicate::str::contains("id, tag")));
    // An empty annotator file is a warning.
    let empty = write(dir.path(), "empty.csv", "");
    sentlab()
        .args(["labels", "merge", "--sentences"])
        .arg(&s)
        .arg(&files[0])
        .arg(&empty)
        .assert()
        .success()
        .stderr(predicate::str::contains("warning").and(predicate::str::contains("empty.csv")));
    // Span offsets that are not integers, or start > end: file:line.
    let spans = write(dir.path(), "x.labels", "a\tName\t0\t5\na\tName\t9\tx\n");
    sentlab()
        .args(["labels", "merge", "--sentences"])
        .arg(&s)
        .arg(&spans)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("x.labels:2"));
}

#[test]
fn merge_projects_ptc_span_directories() {
    let dir = tempfile::tempdir().unwrap();
    let s = corpus(dir.path());
    // "crooks" in a.txt is 22..28 (a:1); 30..41 is a:2; a span over the blank line 11..14
    // touches the title (0..11? no: title is 0..11, span starts at 11) and a:1 (13..).
    write(
        dir.path(),
        "ptc/a.labels",
        "a\tName\t22\t28\na\tDoubt\t30\t41\n",
    );
    write(dir.path(), "ptc/b.labels", "b\tName\t27\t33\n");
    let out = stdout_of(
        sentlab()
            .args(["labels", "merge", "-q", "--sentences"])
            .arg(&s)
            .arg(dir.path().join("ptc")),
    );
    assert_eq!(
        out,
        "sentence_id,label,votes,annotators\na:1,Name,1,ptc\na:2,Doubt,1,ptc\nb:2,Name,1,ptc\n"
    );
}

#[test]
fn eval_table_json_and_edge_cases_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let s = corpus(dir.path());
    let gold = write(
        dir.path(),
        "gold.csv",
        "sentence_id,label\na:1,\"Name_Calling,Labeling\"\na:2,Doubt\nb:1,Doubt\n",
    );
    let rules = write(dir.path(), "r.toml", RULES);
    let pred = dir.path().join("p.csv");
    sentlab()
        .args(["extract", "-q", "--rules"])
        .arg(&rules)
        .arg(&s)
        .arg("-o")
        .arg(&pred)
        .assert()
        .success();
    // Predictions: a:1 Name (tp), a:2 Doubt (tp), b:2 Name (fp); gold b:1 Doubt missed (fn).
    // Name: tp1 fp1 fn0 -> P .5 R 1 F1 .667; Doubt: tp1 fp0 fn1 -> P 1 R .5 F1 .667.
    // micro: tp2 fp1 fn1 -> P .667 R .667 F1 .667; macro P .75 R .75 F1 .667.
    // any: gold {a:1,a:2,b:1}, pred {a:1,a:2,b:2}: tp2 fp1 fn1.
    let json = stdout_of(
        sentlab()
            .args(["eval", "-q", "--format", "json", "--gold"])
            .arg(&gold)
            .arg("--pred")
            .arg(&pred)
            .arg("--sentences")
            .arg(&s),
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let name = v["labels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["label"] == "Name_Calling,Labeling")
        .unwrap();
    assert_eq!(
        (
            name["tp"].as_u64(),
            name["fp"].as_u64(),
            name["fn"].as_u64()
        ),
        (Some(1), Some(1), Some(0))
    );
    assert!((name["precision"].as_f64().unwrap() - 0.5).abs() < 1e-12);
    assert!((v["micro"]["f1"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-12);
    assert!((v["macro"]["precision"].as_f64().unwrap() - 0.75).abs() < 1e-12);
    assert_eq!(v["any"]["tp"].as_u64(), Some(2));
    let table = stdout_of(
        sentlab()
            .args(["eval", "-q", "--gold"])
            .arg(&gold)
            .arg("--pred")
            .arg(&pred)
            .arg("--sentences")
            .arg(&s),
    );
    assert!(
        table.contains("micro") && table.contains("0.667"),
        "{table}"
    );
    // An empty prediction file: recall 0, precision undefined, no crash.
    let empty = write(dir.path(), "empty.csv", "");
    let json = stdout_of(
        sentlab()
            .args(["eval", "-q", "--format", "json", "--gold"])
            .arg(&gold)
            .arg("--pred")
            .arg(&empty)
            .arg("--sentences")
            .arg(&s),
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["micro"]["recall"].as_f64(), Some(0.0));
    assert!(v["micro"]["precision"].is_null());
    // Rows outside the sentence table are counted, and an error with --strict.
    let outside = write(
        dir.path(),
        "g2.csv",
        "sentence_id,label\na:1,Name\nzz:1,Name\n",
    );
    sentlab()
        .args(["eval", "--gold"])
        .arg(&outside)
        .arg("--pred")
        .arg(&pred)
        .arg("--sentences")
        .arg(&s)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "1 gold rows outside the sentence table",
        ));
    sentlab()
        .args(["eval", "--strict", "--gold"])
        .arg(&outside)
        .arg("--pred")
        .arg(&pred)
        .arg("--sentences")
        .arg(&s)
        .assert()
        .code(1);
    // Missing columns.
    let bad = write(dir.path(), "bad.csv", "sid,label\na:1,Name\n");
    sentlab()
        .args(["eval", "--gold"])
        .arg(&bad)
        .arg("--pred")
        .arg(&pred)
        .arg("--sentences")
        .arg(&s)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "bad.csv: missing column(s) sentence_id",
        ));
}

#[test]
fn eval_on_ptc_spans_by_rule_errors_and_span_level() {
    let dir = tempfile::tempdir().unwrap();
    let s = corpus(dir.path());
    write(
        dir.path(),
        "ptc/a.labels",
        "a\tName_Calling,Labeling\t22\t28\n",
    );
    write(dir.path(), "ptc/b.labels", "b\tDoubt\t23\t40\n");
    let rules = write(dir.path(), "r.toml", RULES);
    let pred = dir.path().join("p.csv");
    sentlab()
        .args(["extract", "-q", "--rules"])
        .arg(&rules)
        .arg(&s)
        .arg("-o")
        .arg(&pred)
        .assert()
        .success();
    let errors = dir.path().join("errors.csv");
    let csv = stdout_of(
        sentlab()
            .args(["eval", "-q", "--format", "csv", "--by", "rule", "--gold"])
            .arg(dir.path().join("ptc"))
            .arg("--pred")
            .arg(&pred)
            .arg("--sentences")
            .arg(&s)
            .arg("--errors")
            .arg(&errors),
    );
    assert!(csv.lines().next().unwrap().contains("rule"), "{csv}");
    let e = fs::read_to_string(&errors).unwrap();
    // FPs: a:2 Doubt (question), b:2 Name; FN: b:2 Doubt.
    assert_eq!(e.lines().count(), 1 + 3, "{e}");
    // Span level: Name gold [22,28) in a and predictions [22,28) a, [27,33) b: P = (1+0)/2.
    let json = stdout_of(
        sentlab()
            .args([
                "eval", "-q", "--level", "span", "--format", "json", "--gold",
            ])
            .arg(dir.path().join("ptc"))
            .arg("--pred")
            .arg(&pred)
            .arg("--sentences")
            .arg(&s),
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let name = v["labels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["label"] == "Name_Calling,Labeling")
        .unwrap();
    assert!(
        (name["precision"].as_f64().unwrap() - 0.5).abs() < 1e-12,
        "{json}"
    );
    assert!(
        (name["recall"].as_f64().unwrap() - 1.0).abs() < 1e-12,
        "{json}"
    );

    // Skipped gold spans are counted by reason and the first one is named; --strict fails.
    write(
        dir.path(),
        "ptc/c.labels",
        "zz\tDoubt\t0\t3\nb\tSlogans\t0\t3\nb\tSlogans\t0\t3\n",
    );
    let run = || {
        let mut cmd = sentlab();
        cmd.args(["eval", "--gold"])
            .arg(dir.path().join("ptc"))
            .arg("--pred")
            .arg(&pred)
            .arg("--sentences")
            .arg(&s);
        cmd
    };
    let out = run().assert().success().get_output().stderr.clone();
    let err = String::from_utf8(out).unwrap();
    assert!(
        err.contains("2 gold span(s) skipped: 1 duplicate")
            && err.contains("1 unknown article id")
            && err.contains("c.labels:1)"),
        "{err}"
    );
    run().arg("--strict").assert().failure();
}

#[test]
fn bootstrap_is_deterministic_for_a_seed() {
    let dir = tempfile::tempdir().unwrap();
    let s = corpus(dir.path());
    let gold = write(
        dir.path(),
        "gold.csv",
        "sentence_id,label\na:1,Name\na:2,Doubt\nb:1,Doubt\n",
    );
    let rules = write(dir.path(), "r.toml", RULES);
    let pred = dir.path().join("p.csv");
    sentlab()
        .args(["extract", "-q", "--rules"])
        .arg(&rules)
        .arg(&s)
        .arg("-o")
        .arg(&pred)
        .assert()
        .success();
    let run = |threads: &str| {
        stdout_of(
            sentlab()
                .args([
                    "eval",
                    "-q",
                    "--format",
                    "json",
                    "--bootstrap",
                    "200",
                    "--seed",
                    "7",
                    "--threads",
                    threads,
                    "--gold",
                ])
                .arg(&gold)
                .arg("--pred")
                .arg(&pred)
                .arg("--sentences")
                .arg(&s),
        )
    };
    let one = run("1");
    assert!(one.contains("precision_ci"), "{one}");
    assert_eq!(one, run("2"));
}

fn read_pairs(path: &Path) -> std::collections::BTreeSet<(String, String)> {
    let mut r = csv::Reader::from_path(path).unwrap();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            (rec[0].to_string(), rec[1].to_string())
        })
        .collect()
}

#[test]
fn demo_runs_end_to_end_and_its_numbers_match_the_tables() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    let root = env!("CARGO_MANIFEST_DIR");
    let printed = stdout_of(
        sentlab()
            .current_dir(root)
            .args(["demo", "-q", "--out"])
            .arg(&out),
    );
    for f in [
        "sentences.csv",
        "gold.csv",
        "agreement.json",
        "conflicts.csv",
        "predictions.csv",
        "eval.csv",
        "eval.json",
        "errors.csv",
    ] {
        assert!(out.join(f).exists(), "{f}");
    }
    assert!(
        printed.contains("Agreement between annotators (ana, ben, chloe)"),
        "{printed}"
    );
    // Recompute micro and "any" from the written gold and prediction tables, independently.
    let gold = read_pairs(&out.join("gold.csv"));
    let pred = read_pairs(&out.join("predictions.csv"));
    let tp = gold.intersection(&pred).count();
    let (fp, fn_) = (pred.len() - tp, gold.len() - tp);
    let micro = printed.lines().find(|l| l.starts_with("micro")).unwrap();
    let cols: Vec<&str> = micro.split_whitespace().collect();
    assert_eq!(
        cols[1..4],
        [tp.to_string(), fp.to_string(), fn_.to_string()],
        "{micro}"
    );
    let sents = |s: &std::collections::BTreeSet<(String, String)>| {
        s.iter()
            .map(|p| p.0.clone())
            .collect::<std::collections::BTreeSet<_>>()
    };
    let (gs, ps) = (sents(&gold), sents(&pred));
    let any_tp = gs.intersection(&ps).count();
    let any = printed.lines().find(|l| l.starts_with("any")).unwrap();
    let cols: Vec<&str> = any.split_whitespace().collect();
    assert_eq!(
        cols[1..4],
        [
            any_tp.to_string(),
            (ps.len() - any_tp).to_string(),
            (gs.len() - any_tp).to_string()
        ],
        "{any}"
    );
    // Hand-checked sample: 7 articles, 115 sentences, 45 gold (sentence, label) rows by majority.
    assert_eq!(
        fs::read_to_string(out.join("sentences.csv"))
            .unwrap()
            .lines()
            .count(),
        1 + 115
    );
    assert_eq!(gold.len(), 45);
    // Running again into the same directory is fine; a directory with other files is not.
    sentlab()
        .current_dir(root)
        .args(["demo", "-q", "--out"])
        .arg(&out)
        .assert()
        .success();
    write(&out, "mine.txt", "keep");
    sentlab()
        .current_dir(root)
        .args(["demo", "-q", "--out"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("mine.txt").and(predicate::str::contains("--force")));
    sentlab()
        .current_dir(root)
        .args(["demo", "-q", "--force", "--out"])
        .arg(&out)
        .assert()
        .success();
}

#[test]
fn run_rejects_unknown_keys_and_missing_files_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "p.toml",
        "articles = [\"in\"]\nannotators = [\"a.csv\"]\nrules = \"r.toml\"\nstrategi = \"any\"\n",
    );
    sentlab()
        .current_dir(dir.path())
        .args(["run"])
        .arg(&p)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("strategi"));
    let p = write(
        dir.path(),
        "q.toml",
        "articles = [\"in\"]\nannotators = [\"a.csv\"]\nrules = \"r.toml\"\n",
    );
    sentlab()
        .current_dir(dir.path())
        .args(["run"])
        .arg(&p)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("`articles`"));
    assert!(!dir.path().join("sentlab-demo").exists());
}

#[test]
fn export_formats_excel_safe_and_unknown_extension() {
    let dir = tempfile::tempdir().unwrap();
    let t = write(
        dir.path(),
        "t.csv",
        "sentence_id,label,votes,annotators\na:1,=SUM(A1),2,x\nb:1,\"Name_Calling,Labeling\",1,-y\n",
    );
    for ext in ["parquet", "jsonl", "arrow"] {
        let o = dir.path().join(format!("t.{ext}"));
        sentlab()
            .args(["export", "-q"])
            .arg(&t)
            .arg("-o")
            .arg(&o)
            .assert()
            .success();
        let back = dir.path().join(format!("back-{ext}.csv"));
        sentlab()
            .args(["export", "-q"])
            .arg(&o)
            .arg("-o")
            .arg(&back)
            .assert()
            .success();
        assert_eq!(
            fs::read_to_string(&back).unwrap(),
            fs::read_to_string(&t).unwrap(),
            "{ext} round trip"
        );
    }
    let safe = dir.path().join("safe.csv");
    sentlab()
        .args(["export", "-q", "--excel-safe"])
        .arg(&t)
        .arg("-o")
        .arg(&safe)
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(&safe).unwrap(),
        "sentence_id,label,votes,annotators\na:1,'=SUM(A1),2,x\nb:1,\"Name_Calling,Labeling\",1,'-y\n"
    );
    sentlab()
        .args(["export"])
        .arg(&t)
        .arg("-o")
        .arg(dir.path().join("t.xlsx"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown table extension `.xlsx` (known: .csv, .jsonl, .ndjson, .parquet, .pq, .arrow, .ipc, .feather)",
        ));
}

#[test]
fn stats_counts_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let (s, files) = merge_fixture(dir.path());
    let out = stdout_of(
        sentlab()
            .args(["stats", "--format", "json"])
            .arg(&s)
            .args(&files[..2]),
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    // 2 articles, 6 sentences; tokens: 2+3+3 + 2+2+3 = 15.
    assert_eq!(
        (
            v["articles"].as_u64(),
            v["sentences"].as_u64(),
            v["tokens"].as_u64()
        ),
        (Some(2), Some(6), Some(15))
    );
    assert_eq!(v["labels"]["Name"]["ana"].as_u64(), Some(2));
    assert_eq!(v["annotators"]["ben"]["labels"].as_u64(), Some(2));
}

#[test]
fn merge_rejects_two_files_that_name_the_same_annotator() {
    let dir = tempfile::tempdir().unwrap();
    let s = corpus(dir.path());
    let a = write(dir.path(), "r1/labels.csv", "sentence_id,label\na:1,X\n");
    let b = write(dir.path(), "r2/labels.csv", "sentence_id,label\na:2,X\n");
    sentlab()
        .args(["labels", "merge", "--sentences"])
        .arg(&s)
        .arg(&a)
        .arg(&b)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("annotator `labels`")
                .and(predicate::str::contains("r2/labels.csv")),
        );
}

#[test]
fn merge_writes_no_output_when_one_output_path_is_bad() {
    let dir = tempfile::tempdir().unwrap();
    let (s, files) = merge_fixture(dir.path());
    let gold = dir.path().join("gold.csv");
    let report = dir.path().join("rep.json");
    sentlab()
        .args(["labels", "merge", "-q", "--sentences"])
        .arg(&s)
        .args(&files)
        .arg("-o")
        .arg(&gold)
        .arg("--report")
        .arg(&report)
        .arg("--conflicts")
        .arg(dir.path().join("no/such/dir/c.csv"))
        .assert()
        .code(1);
    assert!(!gold.exists() && !report.exists());
}

#[test]
fn eval_skips_spans_of_unknown_articles_at_span_level_and_rejects_empty_cells() {
    let dir = tempfile::tempdir().unwrap();
    let s = corpus(dir.path());
    // BOM, one good span ("crooks" in a:1) and one span of an unknown article.
    let g = write(
        dir.path(),
        "g.labels",
        "\u{FEFF}a\tX\t22\t28\nzzz\tX\t0\t5\n",
    );
    let p = write(
        dir.path(),
        "p.csv",
        "sentence_id,label,rule_id,start,end,match\na:1,X,r,22,28,crooks\n",
    );
    let json = stdout_of(
        sentlab()
            .args([
                "eval", "-q", "--level", "span", "--format", "json", "--gold",
            ])
            .arg(&g)
            .arg("--pred")
            .arg(&p)
            .arg("--sentences")
            .arg(&s),
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["micro"]["recall"].as_f64(), Some(1.0), "{json}");
    assert_eq!(v["micro"]["precision"].as_f64(), Some(1.0), "{json}");
    let gold = write(dir.path(), "gold.csv", "sentence_id,label\na:1\na:2,X\n");
    sentlab()
        .args(["eval", "--gold"])
        .arg(&gold)
        .arg("--pred")
        .arg(&p)
        .arg("--sentences")
        .arg(&s)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("gold.csv"));
}

#[test]
fn eval_reads_jsonl_tables() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "in/a.txt", "T\n\nThey are crooks!\n");
    let s = dir.path().join("s.jsonl");
    sentlab()
        .args(["split", "-q"])
        .arg(dir.path().join("in"))
        .arg("-o")
        .arg(&s)
        .assert()
        .success();
    let gold = write(
        dir.path(),
        "g.jsonl",
        "{\"sentence_id\": \"a:1\", \"label\": \"X\"}\n",
    );
    let p = write(
        dir.path(),
        "p.csv",
        "sentence_id,label,rule_id,start,end,match\na:1,X,r,11,17,crooks\n",
    );
    let json = stdout_of(
        sentlab()
            .args(["eval", "-q", "--format", "json", "--gold"])
            .arg(&gold)
            .arg("--pred")
            .arg(&p)
            .arg("--sentences")
            .arg(&s),
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["micro"]["tp"].as_u64(), Some(1), "{json}");
}

#[test]
fn a_failed_run_leaves_the_output_directory_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = dir.path().join("out");
    sentlab()
        .args(["demo", "-q", "--out"])
        .arg(&out)
        .current_dir(root)
        .assert()
        .success();
    let before = fs::read_to_string(out.join("sentences.csv")).unwrap();
    write(dir.path(), "in/x.txt", "T\n\nOne.");
    fs::write(dir.path().join("bad.csv"), b"sentence_id,label\nx:1,\xFF\n").unwrap();
    let rules = root.join("datasets/rules/propaganda.toml");
    let p = write(
        dir.path(),
        "p.toml",
        &format!(
            "articles = [\"in\"]\nannotators = [\"bad.csv\"]\nrules = \"{}\"\n",
            rules.display()
        ),
    );
    sentlab()
        .arg("run")
        .arg(&p)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("bad.csv"));
    assert_eq!(
        fs::read_to_string(out.join("sentences.csv")).unwrap(),
        before
    );
    let t = write(
        dir.path(),
        "t.toml",
        &format!(
            "articles = [\"in\"]\nannotators = [\"bad.csv\"]\nrules = \"{}\"\ntie = \"Yes\"\n",
            rules.display()
        ),
    );
    sentlab()
        .arg("run")
        .arg(&t)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("`tie`"));
}

// ---- Outputs never destroy inputs -------------------------------------------------------

/// Every file under `dir` with its bytes (hidden temporary files included), to show that a
/// refused command changed nothing.
fn snapshot(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let meta = fs::symlink_metadata(&p).unwrap();
            if meta.is_dir() {
                stack.push(p);
            } else if meta.is_file() {
                out.insert(p.clone(), fs::read(&p).unwrap());
            } else {
                out.insert(p.clone(), Vec::new());
            }
        }
    }
    out
}

/// Runs `args` in `dir`, expects exit 2 with `expected` on stderr, and no file changed.
fn refused_in(dir: &Path, args: &[&str], expected: &str) {
    let before = snapshot(dir);
    sentlab()
        .current_dir(dir)
        .args(args)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(expected));
    assert_eq!(
        snapshot(dir),
        before,
        "`sentlab {}` changed files",
        args.join(" ")
    );
}

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
        &format!(
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
        &format!(
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
fn ptc_spans_of_an_article_with_a_bom_project_onto_the_right_sentences() {
    let dir = tempfile::tempdir().unwrap();
    // PTC offsets count the BOM as character 0 (Python's `open(path, encoding="utf-8",
    // newline="").read()` keeps it). By hand: BOM 0, "Alpha title" 1..12, "\n\n" 12..14,
    // "They are crooks!" 14..30 with "crooks" at 14 + 9 = 23..29, "\n" 30, "Is it true?"
    // 31..42.
    write(
        dir.path(),
        "in/a.txt",
        "\u{FEFF}Alpha title\n\nThey are crooks!\nIs it true?\n",
    );
    let s = dir.path().join("s.csv");
    sentlab()
        .args(["split", "-q"])
        .arg(dir.path().join("in"))
        .arg("-o")
        .arg(&s)
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(&s).unwrap(),
        "article_id,sentence_id,index,paragraph,kind,start,end,text\n\
         a,a:0,0,0,title,1,12,Alpha title\n\
         a,a:1,1,1,body,14,30,They are crooks!\n\
         a,a:2,2,1,body,31,42,Is it true?\n"
    );
    // extract checks the table (text is end - start code points) and its offsets are
    // sentence start + match offset: 14 + 9 = 23 for "crooks".
    let rules = write(dir.path(), "r.toml", RULES);
    let pred = dir.path().join("p.csv");
    sentlab()
        .args(["extract", "-q", "--rules"])
        .arg(&rules)
        .arg(&s)
        .arg("-o")
        .arg(&pred)
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(&pred).unwrap(),
        "sentence_id,label,rule_id,start,end,match\n\
         a:1,\"Name_Calling,Labeling\",crooks,23,29,crooks\n\
         a:2,Doubt,question,31,42,Is it true?\n"
    );
    // The gold spans count the BOM as PTC does: "crooks" 23..29 in a:1, and "Is it true?"
    // 31..42, all of a:2 (the article's last sentence; its "\n" is 42).
    write(
        dir.path(),
        "ptc/a.labels",
        "a\tName_Calling,Labeling\t23\t29\na\tDoubt\t31\t42\n",
    );
    let merged = stdout_of(
        sentlab()
            .args(["labels", "merge", "-q", "--strict", "--sentences"])
            .arg(&s)
            .arg(dir.path().join("ptc")),
    );
    assert_eq!(
        merged,
        "sentence_id,label,votes,annotators\n\
         a:1,\"Name_Calling,Labeling\",1,ptc\n\
         a:2,Doubt,1,ptc\n"
    );
    // Both gold sentences are predicted: micro tp 2, fp 0, fn 0; at span level each
    // prediction equals its gold span, so precision and recall are 1.
    for level in ["sentence", "span"] {
        let json = stdout_of(
            sentlab()
                .args([
                    "eval", "-q", "--strict", "--format", "json", "--level", level,
                ])
                .arg("--gold")
                .arg(dir.path().join("ptc"))
                .arg("--pred")
                .arg(&pred)
                .arg("--sentences")
                .arg(&s),
        );
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            v["micro"]["precision"].as_f64(),
            Some(1.0),
            "{level}: {json}"
        );
        assert_eq!(v["micro"]["recall"].as_f64(), Some(1.0), "{level}: {json}");
        if level == "sentence" {
            let counts = ["tp", "fp", "fn"].map(|k| v["micro"][k].as_u64());
            assert_eq!(counts, [Some(2), Some(0), Some(0)], "{json}");
        }
    }
}

// --- span predictions checked against the sentence table; stats skip like labels merge ---

#[test]
fn eval_span_level_skips_predictions_outside_their_sentence_or_article() {
    let dir = tempfile::tempdir().unwrap();
    // a:0 [0,11), a:1 "They are crooks!" [13,29), a:2 [30,41): article `a` ends at 41;
    // b:2 "The crooks again." [23,40).
    let s = corpus(dir.path());
    // Gold: "crooks" in a [22,28) and in b [27,33).
    let gold = write(dir.path(), "g.labels", "a\tX\t22\t28\nb\tX\t27\t33\n");
    // Line 2-3: a:1 [22,26) (its match holds a line break): good. Line 4: a:2 [35,45), past
    // a:2's end 41 (the end of `a` too). Line 5: a:1 [27,33), inside `a` but past a:1's end
    // 29. Line 6: zz:1, no such sentence.
    let pred = write(
        dir.path(),
        "p.csv",
        "sentence_id,label,rule_id,start,end,match\n\
         a:1,X,r,22,26,\"cr\noo\"\n\
         a:2,X,r,35,45,x\n\
         a:1,X,r,27,33,x\n\
         zz:1,X,r,0,5,x\n",
    );
    let run = |pred: &Path| {
        let mut cmd = sentlab();
        cmd.args(["eval", "--level", "span", "--format", "json", "--gold"])
            .arg(&gold)
            .arg("--pred")
            .arg(pred)
            .arg("--sentences")
            .arg(&s);
        cmd
    };
    let out = run(&pred).assert().success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    // Only a:1 [22,26) is scored: P = |[22,26) ∩ [22,28)| / 4 = 1 over 1 predicted span;
    // R = (4/6 + 0) / 2 gold spans = 1/3; F1 = 2·1·(1/3) / (1 + 1/3) = 0.5.
    let micro = &v["micro"];
    let near = |x: &serde_json::Value, want: f64| (x.as_f64().unwrap() - want).abs() < 1e-12;
    assert!(
        near(&micro["precision"], 1.0)
            && near(&micro["recall"], 1.0 / 3.0)
            && near(&micro["f1"], 0.5),
        "{v}"
    );
    let p = pred.display();
    assert!(
        err.contains(&format!(
            "{p}: 3 predicted span(s) skipped: 2 outside its sentence, \
             1 unknown sentence id (first: {p}:4: span is outside its sentence [30, 41) \
             (sentence `a:2`, label `X`, span 35-45))"
        )),
        "{err}"
    );
    run(&pred)
        .arg("--strict")
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(
            "p.csv:4: span is outside its sentence [30, 41) (sentence `a:2`",
        ));
    // end < start is an error naming the file and line, with or without --strict.
    let reversed = write(
        dir.path(),
        "r.csv",
        "sentence_id,label,rule_id,start,end,match\na:1,X,r,22,26,x\na:1,X,r,26,22,x\n",
    );
    run(&reversed)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "r.csv:3: sentence `a:1`: end 22 is before start 26 (expected start <= end)",
        ));
}

#[test]
fn stats_does_not_count_unknown_sentences_or_duplicate_rows() {
    let dir = tempfile::tempdir().unwrap();
    let s = corpus(dir.path());
    // ana: line 2 a:1 Doubt, 3 a:2 Doubt, 4 a:2 Doubt again (duplicate), 5 zz:1 (unknown
    // sentence), 6 b:2 Name_Calling,Labeling. ben: a:2 Doubt.
    let ana = write(
        dir.path(),
        "ana.csv",
        "sentence_id,label\na:1,Doubt\na:2,Doubt\na:2,Doubt\nzz:1,Doubt\nb:2,\"Name_Calling,Labeling\"\n",
    );
    let ben = write(dir.path(), "ben.csv", "sentence_id,label\na:2,Doubt\n");
    let out = sentlab()
        .arg("stats")
        .arg(&s)
        .arg(&ana)
        .arg(&ben)
        .assert()
        .success();
    // 2 articles of 3 sentences; tokens 2+3+3 + 2+2+3 = 15, per sentence sorted
    // 2,2,2,3,3,3: mean 2.5, lower median 2. Counted: ana Doubt a:1, a:2 (2),
    // Name_Calling,Labeling b:2 (1) on 3 sentences; ben Doubt a:2 (1) on 1. The label
    // column is 21 wide (the longest label), each count right-aligned in 8 after 2 spaces.
    assert_eq!(
        String::from_utf8(out.get_output().stdout.clone()).unwrap(),
        "articles              2\n\
         sentences             6\n\
         tokens                15\n\
         sentences per article min 3, mean 3.0, median 3, max 3\n\
         tokens per sentence   min 2, mean 2.5, median 2, max 3\n\
         \n\
         label                       ana       ben\n\
         Doubt                         2         1\n\
         Name_Calling,Labeling         1         0\n\
         (sentences labelled)          3         1\n"
    );
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    // 5 + 1 rows read, 4 counted.
    assert!(
        err.contains(
            "stats: 2 annotators (ana, ben), 6 label rows read, 4 counted, \
             skipped: 1 duplicate, 1 unknown-sentence\n"
        ) && err.contains(
            "ana.csv:4: duplicate row (same annotator, sentence, label) \
             (annotator `ana`, sentence `a:2`, label `Doubt`)"
        ) && err.contains(
            "ana.csv:5: unknown sentence id (annotator `ana`, sentence `zz:1`, label `Doubt`)"
        ),
        "{err}"
    );
    let json = stdout_of(
        sentlab()
            .args(["stats", "-q", "--format", "json"])
            .arg(&s)
            .arg(&ana)
            .arg(&ben),
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v["label_rows"],
        serde_json::json!({
            "read": 6,
            "counted": 4,
            "skipped": {"duplicate": 1, "unknown-sentence": 1}
        })
    );
    assert_eq!(v["labels"]["Doubt"]["ana"], 2);
    // ana: 3 labels counted on 3 sentences (a:1, a:2, b:2).
    assert_eq!(v["annotators"]["ana"]["labels"], 3);
    assert_eq!(v["annotators"]["ana"]["sentences"], 3);
}

// --- labels merge: empty span files and per-article files passed as annotators ---

/// Three articles named like PTC's, split: 111:0 "Alpha title" 0..11, 111:1 "They are
/// crooks!" 13..29 ("crooks" 22..28), 111:2 "Is it true?" 30..41; 222:0 "Beta title"
/// 0..10, 222:1 "Calm news." 12..22, 222:2 "The crooks again." 23..40 ("crooks" 27..33);
/// 333:0 "Gamma title" 0..11, 333:1 "Nothing here." 13..26.
fn ptc_corpus(dir: &Path) -> PathBuf {
    write(
        dir,
        "arts/article111.txt",
        "Alpha title\n\nThey are crooks!\nIs it true?\n",
    );
    write(
        dir,
        "arts/article222.txt",
        "Beta title\n\nCalm news.\nThe crooks again.\n",
    );
    write(dir, "arts/article333.txt", "Gamma title\n\nNothing here.\n");
    let s = dir.join("s.csv");
    sentlab()
        .args(["split", "-q"])
        .arg(dir.join("arts"))
        .arg("-o")
        .arg(&s)
        .assert()
        .success();
    s
}

#[test]
fn merge_counts_an_empty_span_file_as_its_article_seen_without_spans() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = ptc_corpus(d);
    let name = "Name_Calling";
    write(
        d,
        "ana/article111.task2-TC.labels",
        &format!("111\t{name}\t22\t28\n"),
    );
    write(
        d,
        "ana/article222.task2-TC.labels",
        &format!("222\t{name}\t27\t33\n"),
    );
    write(d, "ben/article111.task2-TC.labels", "");
    write(
        d,
        "ben/article222.task2-TC.labels",
        &format!("222\t{name}\t27\t33\n"),
    );
    write(d, "chloe/article111.task2-TC.labels", "");
    write(d, "chloe/article222.task2-TC.labels", "\n");
    let gold = d.join("gold.csv");
    let report = d.join("agreement.json");
    sentlab()
        .args(["labels", "merge", "--sentences"])
        .arg(&s)
        .args([d.join("ana"), d.join("ben"), d.join("chloe")])
        .arg("-o")
        .arg(&gold)
        .arg("--report")
        .arg(&report)
        .assert()
        .success()
        .stderr(predicate::str::contains("warning").not());
    // All three saw articles 111 and 222 (nobody 333). 111:1 Name_Calling: ana yes, ben
    // and chloe no → 1 of 3, no gold row. 222:2: ana and ben yes, chloe no → 2 of 3.
    assert_eq!(
        fs::read_to_string(&gold).unwrap(),
        "sentence_id,label,votes,annotators\n222:2,Name_Calling,2,ana;ben\n"
    );
    let v: serde_json::Value = serde_json::from_str(&fs::read_to_string(&report).unwrap()).unwrap();
    let overall = &v["overall"];
    // One label used; items = the 6 sentences of 111 and 222, each with 3 raters.
    // Pairwise agreement: 4 all-"no" items give 3·2 = 6 agreeing ordered pairs each, the
    // two 1-vs-2 items 2·1 = 2 each: (24 + 4) / (6 · 3·2) = 28/36 = 7/9.
    assert_eq!(overall["items"].as_u64(), Some(6), "{v}");
    assert_eq!(
        overall["percent_agreement"]["items"].as_u64(),
        Some(6),
        "{v}"
    );
    let p = overall["percent_agreement"]["value"].as_f64().unwrap();
    assert!((p - 7.0 / 9.0).abs() < 1e-12, "{p}");
    // Every pair of the three annotators shares the 6 sentences.
    let pairs: Vec<(String, String, u64)> = overall["cohen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["a"].as_str().unwrap().to_string(),
                c["b"].as_str().unwrap().to_string(),
                c["items"].as_u64().unwrap(),
            )
        })
        .collect();
    let want = [("ana", "ben", 6), ("ana", "chloe", 6), ("ben", "chloe", 6)];
    let want: Vec<_> = want
        .iter()
        .map(|&(a, b, n)| (a.to_string(), b.to_string(), n))
        .collect();
    assert_eq!(pairs, want);

    // stats pools the labels: an empty file adds none (ana 2, ben 1, chloe nothing).
    let out = stdout_of(sentlab().args(["stats", "--format", "json"]).arg(&s).args([
        d.join("ana"),
        d.join("ben"),
        d.join("chloe"),
    ]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["labels"][name]["ana"].as_u64(), Some(2), "{out}");
    assert_eq!(v["labels"][name]["ben"].as_u64(), Some(1), "{out}");
    assert!(v["labels"][name]["chloe"].is_null(), "{out}");
    // eval against ben's directory (one empty file): gold is 222:2 only, so a prediction
    // there is P = R = 1.
    let pred = write(d, "pred.csv", &format!("sentence_id,label\n222:2,{name}\n"));
    let json = stdout_of(
        sentlab()
            .args(["eval", "-q", "--format", "json", "--gold"])
            .arg(d.join("ben"))
            .arg("--pred")
            .arg(&pred)
            .arg("--sentences")
            .arg(&s),
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["micro"]["precision"].as_f64(), Some(1.0), "{json}");
    assert_eq!(v["micro"]["recall"].as_f64(), Some(1.0), "{json}");
}

#[test]
fn merge_warns_of_an_empty_span_file_whose_name_names_no_article() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = ptc_corpus(d);
    write(
        d,
        "dan/article111.task2-TC.labels",
        "111\tName_Calling\t22\t28\n",
    );
    write(d, "dan/notes.labels", "");
    let empty = write(d, "eve.labels", "");
    let expect = |file: &Path, article: &str| {
        format!(
            "{}: no spans, and its name is not an article of the sentence table (`{article}`): it covers no article",
            file.display()
        )
    };
    sentlab()
        .args(["labels", "merge", "--sentences"])
        .arg(&s)
        .arg(d.join("dan"))
        .arg(&empty)
        .assert()
        .success()
        .stdout("sentence_id,label,votes,annotators\n111:1,Name_Calling,1,dan\n")
        .stderr(
            predicate::str::contains(expect(&d.join("dan/notes.labels"), "notes"))
                .and(predicate::str::contains(expect(&empty, "eve"))),
        );
}

#[test]
fn merge_rejects_per_article_files_given_as_annotators() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = ptc_corpus(d);
    // One annotator's per-article files, as a shell glob `one/*.labels` passes them.
    let files = [
        write(
            d,
            "one/article111.task2-TC.labels",
            "111\tName_Calling\t22\t28\n",
        ),
        write(
            d,
            "one/article222.task2-TC.labels",
            "222\tName_Calling\t27\t33\n",
        ),
        write(d, "one/article333.task2-TC.labels", ""),
    ];
    let gold = d.join("gold.csv");
    let report = d.join("agreement.json");
    sentlab()
        .args(["labels", "merge", "--sentences"])
        .arg(&s)
        .args(&files)
        .arg("-o")
        .arg(&gold)
        .arg("--report")
        .arg(&report)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("3 annotator files each cover exactly one article")
                .and(predicate::str::contains(files[0].display().to_string()))
                .and(predicate::str::contains("ONE annotator"))
                .and(predicate::str::contains(format!(
                    "labels merge ... {}",
                    d.join("one").display()
                )))
                .and(predicate::str::contains("--one-annotator-per-file")),
        );
    assert!(!gold.exists() && !report.exists());
    // Their directory is one annotator: both spans, 1 vote each.
    let out = stdout_of(
        sentlab()
            .args(["labels", "merge", "-q", "--sentences"])
            .arg(&s)
            .arg(d.join("one")),
    );
    assert_eq!(
        out,
        "sentence_id,label,votes,annotators\n111:1,Name_Calling,1,one\n222:2,Name_Calling,1,one\n"
    );
    // Overridden: three annotators (the file stems), each the only one to see its article.
    sentlab()
        .args([
            "labels",
            "merge",
            "-q",
            "--one-annotator-per-file",
            "--sentences",
        ])
        .arg(&s)
        .args(&files)
        .arg("-o")
        .arg(&gold)
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(&gold).unwrap(),
        "sentence_id,label,votes,annotators\n\
         111:1,Name_Calling,1,article111.task2-TC\n\
         222:2,Name_Calling,1,article222.task2-TC\n"
    );
    // Three annotators' files on the same article are no such case.
    let same: Vec<PathBuf> = ["ana", "ben", "cy"]
        .iter()
        .map(|a| write(d, &format!("{a}.labels"), "111\tName_Calling\t22\t28\n"))
        .collect();
    sentlab()
        .args(["labels", "merge", "-q", "--sentences"])
        .arg(&s)
        .args(&same)
        .assert()
        .success()
        .stdout("sentence_id,label,votes,annotators\n111:1,Name_Calling,3,ana;ben;cy\n");
}

// ---- eval: every flag combination is meaningful or a usage error ------------------------

#[test]
fn eval_refuses_flags_that_would_do_nothing_and_a_table_that_matches_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    corpus(d);
    write(d, "g.csv", "sentence_id,label\na:1,Loaded\nb:2,Doubt\n");
    write(
        d,
        "p.csv",
        "sentence_id,label,rule_id,start,end,match\na:1,Loaded,w,22,28,crooks\n",
    );
    let base = [
        "eval",
        "--sentences",
        "s.csv",
        "--gold",
        "g.csv",
        "--pred",
        "p.csv",
    ];
    let cases: &[(&[&str], &str)] = &[
        (
            &["--by", "rule", "--bootstrap", "200"],
            "--by rule has none",
        ),
        (&["--by", "rule", "--sort", "f1"], "drop --sort"),
        (
            &["--bootstrap", "0"],
            "--bootstrap 0: expected 100 to 100000",
        ),
        (
            &["--bootstrap", "1"],
            "--bootstrap 1: expected 100 to 100000",
        ),
        (&["--bootstrap", "100001"], "expected 100 to 100000"),
        // Without --bootstrap a seed changes nothing (clap: required argument missing).
        (&["--seed", "7"], "--bootstrap <N>"),
        (&["--errors", "-"], "would both go to stdout"),
        (&["--errors", "-", "-o", "-"], "would both go to stdout"),
        // A typo would be a zero row that lowers the macro average.
        (
            &["--labels", "Loaded,Doubtt"],
            "no gold or predicted row carries `Doubtt` (did you mean `Doubt`?)",
        ),
    ];
    for (extra, expected) in cases {
        let args: Vec<&str> = base.iter().chain(extra.iter()).copied().collect();
        refused_in(d, &args, expected);
    }
    // The same flags where they mean something.
    for extra in [
        &["--bootstrap", "100", "--seed", "7"][..],
        &["--errors", "-", "-o", "r.txt"],
        &["--labels", "Loaded,Doubt"],
        &["--by", "rule"],
    ] {
        let args: Vec<&str> = base.iter().chain(extra.iter()).copied().collect();
        sentlab().current_dir(d).args(&args).assert().success();
    }
    // A sentence table none of the rows belong to (another corpus): an error, not an empty
    // report with exit 0.
    write(d, "other/x.txt", "Other title\n\nNothing in common.\n");
    sentlab()
        .current_dir(d)
        .args(["split", "-q", "other", "-o", "o.csv"])
        .assert()
        .success();
    sentlab()
        .current_dir(d)
        .args(["eval", "--sentences", "o.csv", "--gold", "g.csv", "--pred", "p.csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "o.csv: none of the 2 gold and 1 prediction rows names a sentence of this table (e.g. `a:1`)",
        ));
}

// ---- one list of formats for every table and report output -------------------------------

#[test]
fn every_output_is_written_in_the_format_its_extension_names() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = corpus(d);
    let csv = fs::read_to_string(&s).unwrap();
    // Arrow and Parquet sentence tables (by their magic bytes), read back by export.
    for (name, magic) in [
        ("s.arrow", &b"ARROW1"[..]),
        ("s.pq", b"PAR1"),
        ("s.feather", b"ARROW1"),
    ] {
        sentlab()
            .current_dir(d)
            .args(["split", "-q", "in", "-o", name])
            .assert()
            .success();
        assert!(fs::read(d.join(name)).unwrap().starts_with(magic), "{name}");
        let back = format!("{name}.csv");
        sentlab()
            .current_dir(d)
            .args(["export", "-q", name, "-o", &back])
            .assert()
            .success();
        assert_eq!(fs::read_to_string(d.join(&back)).unwrap(), csv, "{name}");
    }
    // An extension that names no format is a usage error, not a CSV file under that name.
    refused_in(
        d,
        &["split", "in", "-o", "s.txt"],
        "unknown table extension `.txt`",
    );
    refused_in(
        d,
        &["extract", "--rules", "x.toml", "s.csv", "-o", "p.tsv"],
        "`.tsv`",
    );
    // Reports: the extension picks the report format. Gold a:1 Loaded, b:2 Doubt; one
    // prediction a:1 Loaded: Loaded tp 1, Doubt fn 1; micro P 1/1, R 1/2, F1 2/3.
    write(d, "g.csv", "sentence_id,label\na:1,Loaded\nb:2,Doubt\n");
    write(
        d,
        "p.csv",
        "sentence_id,label,rule_id,start,end,match\na:1,Loaded,w,22,28,crooks\n",
    );
    let eval = |out: &str| {
        sentlab()
            .current_dir(d)
            .args(["eval", "-q", "--sentences", "s.csv", "--gold", "g.csv"])
            .args(["--pred", "p.csv", "--sort", "label", "-o", out])
            .assert()
            .success();
    };
    eval("r.csv");
    assert_eq!(
        fs::read_to_string(d.join("r.csv")).unwrap(),
        "row,label,tp,fp,fn,support,precision,recall,f1\n\
         label,Doubt,0,0,1,1,,0,0\n\
         label,Loaded,1,0,0,1,1,1,1\n\
         micro,,1,0,1,2,1,0.5,0.6666666666666666\n\
         macro,,,,,2,0.5,0.5,0.5\n\
         weighted,,,,,2,0.5,0.5,0.5\n\
         any,,1,0,1,2,1,0.5,0.6666666666666666\n"
    );
    eval("r.json");
    let v: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(d.join("r.json")).unwrap()).unwrap();
    assert_eq!(v["micro"]["recall"], 0.5);
    eval("r.md");
    assert!(
        fs::read_to_string(d.join("r.md"))
            .unwrap()
            .starts_with("| label |"),
    );
    eval("r.parquet");
    assert!(fs::read(d.join("r.parquet")).unwrap().starts_with(b"PAR1"));
    // Numbers stay numbers: the report as JSON Lines, through Parquet and from CSV.
    for from in ["r.parquet", "r.csv"] {
        sentlab()
            .current_dir(d)
            .args(["export", "-q", from, "-o", "r.jsonl"])
            .assert()
            .success();
        let first = fs::read_to_string(d.join("r.jsonl")).unwrap();
        let micro: serde_json::Value = serde_json::from_str(first.lines().nth(2).unwrap()).unwrap();
        assert_eq!(micro["row"], "micro", "{from}: {first}");
        assert_eq!(micro["recall"], 0.5, "{from}: {first}");
        assert_eq!(micro["tp"], 1, "{from}: {first}");
    }
    refused_in(
        d,
        &[
            "eval",
            "--sentences",
            "s.csv",
            "--gold",
            "g.csv",
            "--pred",
            "p.csv",
            "-o",
            "r.html",
        ],
        "unknown report extension `.html`",
    );
    // stats: .json is JSON, .txt the table; a table extension is refused.
    sentlab()
        .current_dir(d)
        .args(["stats", "-q", "s.csv", "-o", "st.json"])
        .assert()
        .success();
    let st: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(d.join("st.json")).unwrap()).unwrap();
    assert_eq!(
        (st["articles"].as_u64(), st["sentences"].as_u64()),
        (Some(2), Some(6))
    );
    refused_in(
        d,
        &["stats", "s.csv", "-o", "st.parquet"],
        "stats are written as",
    );
}

/// Writes `csv` (a table file in `dir`) in every other format with `export`; returns the
/// four file names, CSV first.
fn in_every_format(dir: &Path, csv: &str) -> Vec<String> {
    let stem = csv.strip_suffix(".csv").unwrap();
    let mut names = vec![csv.to_string()];
    for ext in ["jsonl", "parquet", "arrow"] {
        let name = format!("{stem}.{ext}");
        sentlab()
            .current_dir(dir)
            .args(["export", "-q", csv, "-o", &name])
            .assert()
            .success();
        names.push(name);
    }
    names
}

#[test]
fn every_table_input_takes_every_format_with_the_same_result() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    corpus(d);
    write(d, "r.toml", RULES);
    write(
        d,
        "g.csv",
        "sentence_id,label\na:1,\"Name_Calling,Labeling\"\nb:2,Doubt\n",
    );
    write(d, "ana.csv", "sentence_id,label\na:1,Doubt\nb:0,\n");
    write(d, "ben.csv", "sentence_id,label\na:1,Doubt\na:2,Doubt\n");
    write(d, "ptc/a.labels", "a\tDoubt\t30\t41\n");
    sentlab()
        .current_dir(d)
        .args(["extract", "-q", "--rules", "r.toml", "s.csv", "-o", "p.csv"])
        .assert()
        .success();
    let run = |args: &[&str]| -> String {
        let out = sentlab().current_dir(d).args(args).assert().success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    };
    let sentences = in_every_format(d, "s.csv");
    let golds = in_every_format(d, "g.csv");
    let preds = in_every_format(d, "p.csv");
    let anas = in_every_format(d, "ana.csv");
    // Reference results from the CSV tables.
    let extract = run(&["extract", "-q", "--rules", "r.toml", "s.csv"]);
    let stats = run(&["stats", "-q", "s.csv", "ana.csv", "ben.csv"]);
    let merge = run(&[
        "labels",
        "merge",
        "-q",
        "--sentences",
        "s.csv",
        "ana.csv",
        "ben.csv",
    ]);
    let explain = run(&[
        "rules",
        "explain",
        "r.toml",
        "--sentence-id",
        "a:1",
        "--sentences",
        "s.csv",
    ]);
    let eval = |s: &str, g: &str, p: &str, extra: &[&str]| {
        let mut args = vec!["eval", "-q", "--sentences", s, "--gold", g, "--pred", p];
        args.extend_from_slice(extra);
        run(&args)
    };
    let modes: [&[&str]; 3] = [&[], &["--by", "rule"], &["--errors", "e.csv", "-o", "-"]];
    let eval_ref: Vec<String> = modes
        .iter()
        .map(|m| eval("s.csv", "g.csv", "p.csv", m))
        .collect();
    let span_ref = eval("s.csv", "ptc", "p.csv", &["--level", "span"]);
    assert!(eval_ref[0].contains("micro"), "{}", eval_ref[0]);
    for s in &sentences {
        assert_eq!(
            run(&["extract", "-q", "--rules", "r.toml", s]),
            extract,
            "{s}"
        );
        assert_eq!(run(&["stats", "-q", s, "ana.csv", "ben.csv"]), stats, "{s}");
        assert_eq!(
            run(&[
                "labels",
                "merge",
                "-q",
                "--sentences",
                s,
                "ana.csv",
                "ben.csv"
            ]),
            merge,
            "{s}"
        );
        assert_eq!(
            run(&[
                "rules",
                "explain",
                "r.toml",
                "--sentence-id",
                "a:1",
                "--sentences",
                s
            ]),
            explain,
            "{s}"
        );
        assert_eq!(
            eval(s, "ptc", "p.csv", &["--level", "span"]),
            span_ref,
            "{s}"
        );
        for (mode, expected) in modes.iter().zip(&eval_ref) {
            assert_eq!(&eval(s, "g.csv", "p.csv", mode), expected, "{s} {mode:?}");
        }
    }
    for (g, p) in golds.iter().zip(&preds) {
        for (mode, expected) in modes.iter().zip(&eval_ref) {
            assert_eq!(&eval("s.csv", g, p, mode), expected, "{g} {p} {mode:?}");
        }
        assert_eq!(
            eval("s.csv", "ptc", p, &["--level", "span"]),
            span_ref,
            "{p}"
        );
    }
    for a in &anas[1..] {
        if a.ends_with(".jsonl") {
            continue; // JSON Lines annotator files are doccano exports.
        }
        assert_eq!(
            run(&[
                "labels",
                "merge",
                "-q",
                "--sentences",
                "s.csv",
                a,
                "ben.csv"
            ]),
            merge,
            "{a}"
        );
    }
    // Articles from a Parquet or Arrow table split like the same CSV.
    write(
        d,
        "arts.csv",
        "id,title,text\nx,Head,\"One sentence. Two sentences.\"\n",
    );
    let articles = in_every_format(d, "arts.csv");
    let split = run(&["split", "-q", "arts.csv"]);
    assert!(split.contains("x:2"), "{split}");
    for a in &articles {
        assert_eq!(run(&["split", "-q", a]), split, "{a}");
    }
}

// ---- one flag vocabulary -----------------------------------------------------------------

#[test]
fn sentences_rules_schema_and_labels_flags_mean_the_same_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    corpus(d);
    write(d, "r.toml", RULES);
    let run = |args: &[&str]| -> String {
        let out = sentlab().current_dir(d).args(args).assert().success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    };
    // extract: the table as an argument or with --sentences; not both.
    assert_eq!(
        run(&["extract", "-q", "--rules", "r.toml", "--sentences", "s.csv"]),
        run(&["extract", "-q", "--rules", "r.toml", "s.csv"])
    );
    refused_in(
        d,
        &[
            "extract",
            "--rules",
            "r.toml",
            "s.csv",
            "--sentences",
            "s.csv",
        ],
        "cannot be used with",
    );
    // rules check: the rules as an argument or with --rules.
    sentlab()
        .current_dir(d)
        .args(["rules", "check", "--rules", "r.toml"])
        .assert()
        .success()
        .stderr(predicate::str::contains("ok: 2 rules, 2 labels"));
    // --schema on extract: a label outside the schema is an error naming the closest one.
    write(
        d,
        "schema.toml",
        "[[label]]\nname = \"Doubt\"\n\n[[label]]\nname = \"Name_Calling,Labeling\"\n",
    );
    run(&[
        "extract",
        "-q",
        "--rules",
        "r.toml",
        "s.csv",
        "--schema",
        "schema.toml",
    ]);
    write(
        d,
        "typo.toml",
        "[[rule]]\nid = \"q\"\nlabel = \"Doubtt\"\nshape = \"question\"\n",
    );
    sentlab()
        .current_dir(d)
        .args([
            "extract",
            "--rules",
            "typo.toml",
            "s.csv",
            "--schema",
            "schema.toml",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("Doubtt").and(predicate::str::contains("`Doubt`")))
        .stdout("");
    // stats: label files are arguments after the sentence table (or all of them with
    // --sentences); --labels is a label filter, as in eval.
    write(
        d,
        "ana.csv",
        "sentence_id,label\na:1,Doubt\na:2,Loaded\nb:1,Doubt\n",
    );
    let all = run(&["stats", "-q", "s.csv", "ana.csv"]);
    assert_eq!(
        all,
        run(&["stats", "-q", "--sentences", "s.csv", "ana.csv"])
    );
    assert!(all.contains("Loaded"), "{all}");
    // Only Doubt: 2 rows on 2 sentences (a:1, b:1); Loaded is not counted anywhere.
    let doubt = run(&[
        "stats", "-q", "--format", "json", "s.csv", "ana.csv", "--labels", "Doubt",
    ]);
    let v: serde_json::Value = serde_json::from_str(&doubt).unwrap();
    assert_eq!(v["labels"], serde_json::json!({"Doubt": {"ana": 2}}));
    assert_eq!(
        v["annotators"]["ana"],
        serde_json::json!({"labels": 2, "sentences": 2})
    );
    refused_in(
        d,
        &["stats", "s.csv", "ana.csv", "--labels", "Doubtt"],
        "no label row carries `Doubtt` (did you mean `Doubt`?)",
    );
    refused_in(
        d,
        &["stats", "s.csv", "--labels", "ana.csv"],
        "--labels takes label names to count (a filter)",
    );
}

// --- span file names, prediction checks, warnings ---

#[test]
fn an_empty_span_file_covers_the_article_its_whole_stem_names() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Article ids are file stems: `news.2019` and `news`. news.2019: "Old title" 0..9,
    // "\n\n" 9..11, "They are crooks!" 11..27 ("crooks" 20..26).
    write(d, "arts/news.2019.txt", "Old title\n\nThey are crooks!\n");
    write(d, "arts/news.txt", "New title\n\nCalm.\n");
    let s = d.join("s.csv");
    sentlab()
        .args(["split", "-q"])
        .arg(d.join("arts"))
        .arg("-o")
        .arg(&s)
        .assert()
        .success();
    write(d, "zoe/news.2019.labels", "news.2019\tX\t20\t26\n");
    write(d, "yan/news.2019.labels", "");
    // yan saw news.2019 and found nothing: news.2019:1 X is 1 yes of 2, no majority, no
    // gold row (were yan's file read as article `news`, it would be 1 of 1).
    sentlab()
        .args(["labels", "merge", "--sentences"])
        .arg(&s)
        .arg(d.join("zoe"))
        .arg(d.join("yan"))
        .assert()
        .success()
        .stdout("sentence_id,label,votes,annotators\n")
        .stderr(predicate::str::contains("warning").not());
}

#[test]
fn run_advises_a_config_key_for_per_article_files_given_as_annotators() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "arts/article111.txt",
        "Alpha title\n\nThey are crooks!\nIs it true?\n",
    );
    write(
        d,
        "arts/article222.txt",
        "Beta title\n\nCalm news.\nThe crooks again.\n",
    );
    write(d, "arts/article333.txt", "Gamma title\n\nNothing here.\n");
    // One annotator's per-article files, listed one by one in the config.
    write(
        d,
        "one/article111.task2-TC.labels",
        "111\tName_Calling\t22\t28\n",
    );
    write(
        d,
        "one/article222.task2-TC.labels",
        "222\tName_Calling\t27\t33\n",
    );
    write(d, "one/article333.task2-TC.labels", "");
    let rules = write(d, "r.toml", RULES);
    let p = write(
        d,
        "p.toml",
        &format!(
            "articles = [\"arts\"]\nannotators = [\"one/article111.task2-TC.labels\", \
             \"one/article222.task2-TC.labels\", \"one/article333.task2-TC.labels\"]\n\
             rules = {:?}\nout = \"o\"\n",
            rules.file_name().unwrap()
        ),
    );
    // The advice fits a config (its `annotators` key), and the flag is said to be
    // `labels merge`'s: `run` has none.
    let one = d.join("one").display().to_string();
    sentlab()
        .current_dir(d)
        .args(["run", "-q"])
        .arg(&p)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("ONE annotator")
                .and(predicate::str::contains(format!(
                    "annotators = [\"{one}\"]"
                )))
                .and(predicate::str::contains(format!("labels merge ... {one}")))
                .and(predicate::str::contains(
                    "labels merge --one-annotator-per-file",
                )),
        );
}

#[test]
fn eval_warns_of_an_empty_gold_span_file_that_covers_no_article() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = ptc_corpus(d);
    write(
        d,
        "gold/article111.task2-TC.labels",
        "111\tName_Calling\t22\t28\n",
    );
    let notes = write(d, "gold/notes.txt.labels", "");
    let pred = write(d, "pred.csv", "sentence_id,label\n111:1,Name_Calling\n");
    // `notes.txt.labels` may name article `notes.txt` or `notes`; neither is in the table.
    sentlab()
        .args(["eval", "--gold"])
        .arg(d.join("gold"))
        .arg("--pred")
        .arg(&pred)
        .arg("--sentences")
        .arg(&s)
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "warning: {}: no spans, and its name is not an article of the sentence table \
             (`notes.txt` or `notes`): it covers no article",
            notes.display()
        )));
}

#[test]
fn stats_and_merge_name_no_annotator_list_when_there_is_none() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = corpus(d);
    // A label table with a header and no rows: no annotator at all.
    let empty = write(d, "empty.csv", "annotator,sentence_id,label\n");
    let one = write(d, "ana.csv", "sentence_id,label\na:1,Doubt\n");
    for (cmd, summary) in [
        ("stats", "stats: 0 annotators, 0 label rows read, 0 counted"),
        (
            "merge",
            "labels merge: 0 annotators, 0 label rows read, 0 merged",
        ),
    ] {
        let mut c = sentlab();
        if cmd == "stats" {
            c.arg("stats").arg(&s).arg(&empty);
        } else {
            c.args(["labels", "merge", "--sentences"])
                .arg(&s)
                .arg(&empty);
        }
        c.assert()
            .success()
            .stderr(predicate::str::contains(summary).and(predicate::str::contains("()").not()));
    }
    // One annotator is one, named.
    sentlab()
        .arg("stats")
        .arg(&s)
        .arg(&one)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "stats: 1 annotator (ana), 1 label rows read, 1 counted",
        ));
}

#[test]
fn eval_schema_names_labels_outside_it_with_the_closest() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    corpus(d);
    write(
        d,
        "schema.toml",
        "[[label]]\nname = \"Doubt\"\n\n[[label]]\nname = \"Loaded_Language\"\n",
    );
    write(
        d,
        "g.csv",
        "sentence_id,label\na:1,Loaded_Language\nb:2,Doubt\n",
    );
    write(
        d,
        "typo.csv",
        "sentence_id,label\na:1,Loaded_Languag\nb:2,Doubt\n",
    );
    write(
        d,
        "p.csv",
        "sentence_id,label,rule_id,start,end,match\na:1,Loaded_Language,w,22,28,crooks\n",
    );
    let eval = |gold: &str| {
        let mut c = sentlab();
        c.current_dir(d).args([
            "eval",
            "-q",
            "--sentences",
            "s.csv",
            "--pred",
            "p.csv",
            "--schema",
            "schema.toml",
            "--gold",
            gold,
        ]);
        c
    };
    eval("g.csv").assert().success();
    // Without the schema the typo would be scored as a label of its own.
    eval("typo.csv")
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(
            "schema.toml: gold or predicted labels not in the schema: `Loaded_Languag` (closest: `Loaded_Language`)",
        ));
}

#[test]
fn export_names_a_json_lines_integer_too_large_instead_of_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // 2^63: one more than the largest signed 64-bit integer (it made polars panic, exit 101).
    write(
        d,
        "p.jsonl",
        "{\"sentence_id\":\"a:1\",\"start\":1}\n{\"sentence_id\":\"a:2\",\"start\":9223372036854775808}\n",
    );
    sentlab()
        .current_dir(d)
        .args(["export", "p.jsonl", "-o", "p.parquet"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "p.jsonl: data row 2: column `start`: `9223372036854775808` (expected an integer that fits in 64 bits)",
        ));
    assert!(!d.join("p.parquet").exists());
}
