//! `sentlab eval`: precision, recall and F1 at sentence and span level, by label and by rule.

use std::fs;
use std::path::Path;

use predicates::prelude::*;

use crate::common::*;

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

/// The eval text tables on the bundled sample, as the README and `sentlab demo` print them:
/// by label sorted by support (the default) and by name, and by rule.
#[test]
fn eval_tables_on_the_sample() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sample_tables(d);
    let eval = |extra: &[&str]| {
        stdout_of(
            sentlab()
                .current_dir(d)
                .args([
                    "eval",
                    "-q",
                    "--gold",
                    "gold.csv",
                    "--pred",
                    "predictions.csv",
                ])
                .args(["--sentences", "sentences.csv"])
                .args(extra),
        )
    };
    insta::assert_snapshot!("eval_sample_by_support", eval(&[]));
    insta::assert_snapshot!("eval_sample_by_label_name", eval(&["--sort", "label"]));
    insta::assert_snapshot!("eval_sample_by_rule", eval(&["--by", "rule"]));
}

/// The eval text tables at sentence and span level on PTC span files (the sample has no
/// spans). By hand: gold Name_Calling,Labeling a [22,28) (a:1), Doubt b [23,40) (all of
/// b:2); predictions Name a:1 [22,28), Name b:2 [27,33), Doubt a:2 [30,41).
/// Sentence level: Name tp 1 fp 1 fn 0 (P .500 R 1 F1 .667), Doubt tp 0 fp 1 fn 1; micro tp
/// 1 fp 2 fn 1: P .333 R .500 F1 2/5 = .400; macro P .250 R .500 F1 .333; any: gold
/// sentences {a:1, b:2}, predicted {a:1, a:2, b:2}: tp 2 fp 1 fn 0, P .667 R 1 F1 .800.
/// Span level: Name P (6/6 + 0/6) / 2 = .500, R 6/6 = 1; Doubt P 0 R 0; micro P (1 + 0 + 0)
/// / 3 = .333, R (1 + 0) / 2 = .500, F1 .400; macro and weighted (support 1 each) P .250,
/// R .500, F1 .333.
#[test]
fn eval_tables_at_sentence_and_span_level() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    corpus(d);
    write(d, "ptc/a.labels", "a\tName_Calling,Labeling\t22\t28\n");
    write(d, "ptc/b.labels", "b\tDoubt\t23\t40\n");
    write(d, "r.toml", RULES);
    sentlab()
        .current_dir(d)
        .args(["extract", "-q", "--rules", "r.toml", "s.csv", "-o", "p.csv"])
        .assert()
        .success();
    let eval = |level: &str| {
        stdout_of(sentlab().current_dir(d).args([
            "eval",
            "-q",
            "--level",
            level,
            "--gold",
            "ptc",
            "--pred",
            "p.csv",
            "--sentences",
            "s.csv",
        ]))
    };
    insta::assert_snapshot!("eval_ptc_sentence_level", eval("sentence"));
    insta::assert_snapshot!("eval_ptc_span_level", eval("span"));
}

// --excel-safe: formula-like text cells get a quote in CSV only.

#[test]
fn eval_excel_safe_quotes_formula_like_text_cells_of_report_and_errors_in_csv_only() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    formula_sentences(d);
    write(d, "gold.csv", "sentence_id,label\na:0,=L\n");
    // Every sentence predicted `=L`, the match being the whole sentence.
    write(
        d,
        "pred.csv",
        "sentence_id,label,rule_id,start,end,match\n\
         a:0,=L,all,0,3,=x1\n\
         a:1,=L,all,4,7,+x2\n\
         a:2,=L,all,8,11,-x3\n\
         a:3,=L,all,12,15,@x4\n\
         a:4,=L,all,16,19,\"\tx5\"\n\
         a:5,=L,all,20,23,\"\rx6\"\n",
    );
    let args = [
        "eval",
        "--gold",
        "gold.csv",
        "--pred",
        "pred.csv",
        "--sentences",
        "formulas.csv",
    ];
    sentlab()
        .current_dir(d)
        .arg("-q")
        .args(args)
        .args(["--excel-safe", "-o", "r.csv", "--errors", "e.csv"])
        .assert()
        .success();
    // tp 1 (a:0), fp 5: precision 1/6, recall 1, F1 2tp/(2tp+fp+fn) = 2/7. The numbers
    // are written as they are; only the label cell gets a quote.
    let report = fs::read_to_string(d.join("r.csv")).unwrap();
    assert!(
        report.starts_with(
            "row,label,tp,fp,fn,support,precision,recall,f1\n\
             label,'=L,1,5,0,1,0.16666666666666666,1,0.2857142857142857\n\
             micro,,1,5,0,1,0.16666666666666666,1,0.2857142857142857\n"
        ),
        "{report}"
    );
    assert_eq!(
        fs::read_to_string(d.join("e.csv")).unwrap(),
        "sentence_id,label,kind,rules,matches,text\n\
         a:1,'=L,FP,all,'+x2,'+x2\n\
         a:2,'=L,FP,all,'-x3,'-x3\n\
         a:3,'=L,FP,all,'@x4,'@x4\n\
         a:4,'=L,FP,all,'\tx5,'\tx5\n\
         a:5,'=L,FP,all,\"'\rx6\",\"'\rx6\"\n"
    );
    excel_safe_is_for_csv_only(d, &args, "-o", &["=L"], false);
}

// Span level: --match modes, --min-overlap-fraction, and --errors / --by rule / --bootstrap.

/// Sentence a:1 is "They are crooks!" [13,29): They [13,17), are [18,21), crooks [22,28).
/// Gold: X "They", X "are", Y "crooks". Predictions: X [13,21) (r1, over both X gold
/// spans), Y [22,28) (r2, exact), X [22,28) (r3, Y's bounds, wrong label), X b:2 [27,33)
/// (r3, "crooks" in b, no gold there). `reversed` gives the same spans in the other order.
fn span_modes_fixture(d: &Path, reversed: bool) {
    corpus(d);
    let mut gold = ["a\tX\t13\t17", "a\tX\t18\t21", "a\tY\t22\t28"];
    let mut pred = [
        "a:1,X,r1,13,21,They are",
        "a:1,Y,r2,22,28,crooks",
        "a:1,X,r3,22,28,crooks",
        "b:2,X,r3,27,33,crooks",
    ];
    if reversed {
        gold.reverse();
        pred.reverse();
    }
    write(d, "ptc/a.labels", &(gold.join("\n") + "\n"));
    write(
        d,
        "p.csv",
        format!(
            "sentence_id,label,rule_id,start,end,match\n{}\n",
            pred.join("\n")
        ),
    );
}

fn span_eval(d: &Path, extra: &[&str]) -> String {
    stdout_of(
        sentlab()
            .current_dir(d)
            .args([
                "eval",
                "-q",
                "--level",
                "span",
                "--gold",
                "ptc",
                "--pred",
                "p.csv",
                "--sentences",
                "s.csv",
            ])
            .args(extra),
    )
}

fn counts_of(row: &serde_json::Value) -> [u64; 7] {
    [
        "correct",
        "incorrect",
        "partial",
        "missed",
        "spurious",
        "possible",
        "actual",
    ]
    .map(|k| row[k].as_u64().unwrap_or_else(|| panic!("{k} in {row}")))
}

/// Worked by hand (overall: all spans of an article matched together). Candidate pairs:
/// gX[13,17)-p1 shares 4, gX[18,21)-p1 shares 3, gY-p2 same bounds and label, gY-p3 same
/// bounds, other label; p4 overlaps nothing.
/// strict: gY-p2 correct; then same-label pairs before others, more overlap first:
///   gX[13,17)-p1 incorrect; gX[18,21) missed; p3, p4 spurious: (1,1,0,1,2), possible 3,
///   actual 4, P 1/4, R 1/3.
/// exact: gY-p2 and gY-p3 both correct pairs, the same label first: gY-p2; the rest as
///   strict: (1,1,0,1,2).
/// partial: (1,0,1,1,2): P (1 + 0.5)/4 = 0.375, R 1.5/3 = 0.5.
/// type: gY-p2 and gX[13,17)-p1 correct: (2,0,0,1,2): P 2/4, R 2/3.
/// Per label X (strict): gX[13,17)-p1 incorrect, gX[18,21) missed, p3 and p4 spurious:
/// (0,1,0,1,2); type (1,0,0,1,2). Label Y: (1,0,0,0,0) in every mode.
#[test]
fn eval_span_match_modes_on_a_hand_worked_case_in_two_orders() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    span_modes_fixture(d, false);
    // (mode, overall counts, label X counts, overall P, overall R)
    type Case = (&'static str, [u64; 7], [u64; 7], f64, f64);
    let cases: [Case; 4] = [
        (
            "strict",
            [1, 1, 0, 1, 2, 3, 4],
            [0, 1, 0, 1, 2, 2, 3],
            0.25,
            1.0 / 3.0,
        ),
        (
            "exact",
            [1, 1, 0, 1, 2, 3, 4],
            [0, 1, 0, 1, 2, 2, 3],
            0.25,
            1.0 / 3.0,
        ),
        (
            "partial",
            [1, 0, 1, 1, 2, 3, 4],
            [0, 0, 1, 1, 2, 2, 3],
            0.375,
            0.5,
        ),
        (
            "type",
            [2, 0, 0, 1, 2, 3, 4],
            [1, 0, 0, 1, 2, 2, 3],
            0.5,
            2.0 / 3.0,
        ),
    ];
    let reversed = tempfile::tempdir().unwrap();
    span_modes_fixture(reversed.path(), true);
    for (mode, overall, x, p, r) in cases {
        let json = span_eval(d, &["--match", mode, "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["match"], mode, "{json}");
        assert_eq!(counts_of(&v["overall"]), overall, "{mode}: {json}");
        let label = |name: &str| {
            v["labels"]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["label"] == name)
                .cloned()
                .unwrap()
        };
        assert_eq!(counts_of(&label("X")), x, "{mode}: {json}");
        assert_eq!(
            counts_of(&label("Y")),
            [1, 0, 0, 0, 0, 1, 1],
            "{mode}: {json}"
        );
        let (gp, gr) = (
            v["overall"]["precision"].as_f64().unwrap(),
            v["overall"]["recall"].as_f64().unwrap(),
        );
        assert!(
            (gp - p).abs() < 1e-12 && (gr - r).abs() < 1e-12,
            "{mode}: {json}"
        );
        // The same spans in the other order: the same report, and the same span list.
        for format in ["json", "csv", "table"] {
            let args = ["--match", mode, "--format", format, "--errors", "e.csv"];
            assert_eq!(
                span_eval(d, &args),
                span_eval(reversed.path(), &args),
                "{mode} {format}"
            );
            assert_eq!(
                fs::read_to_string(d.join("e.csv")).unwrap(),
                fs::read_to_string(reversed.path().join("e.csv")).unwrap()
            );
        }
    }
    // JSON keys of a row, exactly, in order.
    let json = span_eval(d, &["--match", "strict", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["min_overlap_fraction"], serde_json::Value::Null);
    let keys: Vec<&str> = json
        .split("\"overall\": {")
        .nth(1)
        .unwrap()
        .lines()
        .filter_map(|l| l.trim().strip_prefix('"')?.split('"').next())
        .collect();
    assert_eq!(
        keys,
        [
            "correct",
            "incorrect",
            "partial",
            "missed",
            "spurious",
            "possible",
            "actual",
            "precision",
            "recall",
            "f1"
        ]
    );
    let csv = span_eval(d, &["--match", "strict", "--format", "csv"]);
    // F1 is the harmonic mean of P = 1/4 and R = 1/3 (2/7, as f64 arithmetic gives it).
    assert_eq!(
        csv.lines().last().unwrap(),
        format!(
            "overall,,1,1,0,1,2,3,4,0.25,{},{}",
            1.0 / 3.0,
            2.0 * 0.25 * (1.0 / 3.0) / (0.25 + 1.0 / 3.0)
        )
    );
}

#[test]
fn eval_span_match_flags_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    span_modes_fixture(d, false);
    let base = [
        "eval",
        "--level",
        "span",
        "--gold",
        "ptc",
        "--pred",
        "p.csv",
        "--sentences",
        "s.csv",
    ];
    let cases: &[(&[&str], &str)] = &[
        (
            &["--match", "type", "--min-overlap-fraction", "0"],
            "--min-overlap-fraction 0: expected a fraction of the gold span above 0 and at most 1",
        ),
        (
            &["--match", "type", "--min-overlap-fraction", "1.5"],
            "--min-overlap-fraction 1.5: expected",
        ),
        (
            &["--match", "type", "--min-overlap-fraction", "NaN"],
            "--min-overlap-fraction NaN: expected",
        ),
        // ptc has no matching: the fraction would change nothing.
        (
            &["--min-overlap-fraction", "0.5"],
            "--min-overlap-fraction applies to --level span with --match strict",
        ),
        (
            &["--match", "strict", "--by", "rule", "--bootstrap", "100"],
            "--by rule has none",
        ),
    ];
    for (extra, expected) in cases {
        let args: Vec<&str> = base.iter().chain(extra.iter()).copied().collect();
        refused_in(d, &args, expected);
    }
    // --match other than ptc at sentence level.
    refused_in(
        d,
        &[
            "eval",
            "--gold",
            "ptc",
            "--pred",
            "p.csv",
            "--sentences",
            "s.csv",
            "--match",
            "strict",
        ],
        "--match chooses how spans are scored: it needs --level span",
    );
    // A fraction of 1: the gold span must be covered whole. gX[13,17) is (by p1), gX[18,21)
    // too, so type still matches gX[13,17)-p1: the same counts; the option is reported.
    let json = span_eval(
        d,
        &[
            "--match",
            "type",
            "--min-overlap-fraction",
            "1",
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["min_overlap_fraction"], 1.0);
    assert_eq!(counts_of(&v["overall"]), [2, 0, 0, 1, 2, 3, 4], "{json}");
}

/// ptc --errors, worked by hand before merging: pred X [13,21) is covered by gold X
/// [13,17) and [18,21) for 4 + 3 = 7 of 8 code points (0.875); pred X [22,28) and X b
/// [27,33) by no gold X (FP); pred Y [22,28) fully. Gold X [13,17) and [18,21) are fully
/// inside pred X [13,21); gold Y fully covered.
/// --by rule (ptc): r1 alone: P 0.875 (one span), R (4/4 + 3/3)/2 = 1, F1 1.75/1.875;
/// r2: 1, 1, 1; r3: two spans, no overlap with gold X: P 0, R 0.
/// --by rule (strict): r1 X: gX[13,17)-p1 incorrect, gX[18,21) missed: (0,1,0,1,0); r3:
/// both gold X missed, both spans spurious.
#[test]
fn eval_span_errors_by_rule_and_bootstrap() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    span_modes_fixture(d, false);
    span_eval(d, &["-o", "r.txt", "--errors", "e.csv"]);
    assert_eq!(
        fs::read_to_string(d.join("e.csv")).unwrap(),
        "article_id,side,label,start,end,rule_id,outcome,fraction,matched,sentence_id,text,sentence\n\
         a,gold,X,13,17,,full,1,,a:1,They,They are crooks!\n\
         a,pred,X,13,21,r1,partial,0.875,,a:1,They are,They are crooks!\n\
         a,gold,X,18,21,,full,1,,a:1,are,They are crooks!\n\
         a,gold,Y,22,28,,full,1,,a:1,crooks,They are crooks!\n\
         a,pred,X,22,28,r3,FP,0,,a:1,crooks,They are crooks!\n\
         a,pred,Y,22,28,r2,full,1,,a:1,crooks,They are crooks!\n\
         b,pred,X,27,33,r3,FP,0,,b:2,crooks,The crooks again.\n"
    );
    // strict: each span's category in the overall matching and its match.
    span_eval(
        d,
        &["--match", "strict", "-o", "r.txt", "--errors", "e.csv"],
    );
    assert_eq!(
        fs::read_to_string(d.join("e.csv")).unwrap(),
        "article_id,side,label,start,end,rule_id,outcome,fraction,matched,sentence_id,text,sentence\n\
         a,gold,X,13,17,,incorrect,1,X 13-21,a:1,They,They are crooks!\n\
         a,pred,X,13,21,r1,incorrect,0.5,X 13-17,a:1,They are,They are crooks!\n\
         a,gold,X,18,21,,missed,0,,a:1,are,They are crooks!\n\
         a,gold,Y,22,28,,correct,1,Y 22-28,a:1,crooks,They are crooks!\n\
         a,pred,X,22,28,r3,spurious,0,,a:1,crooks,They are crooks!\n\
         a,pred,Y,22,28,r2,correct,1,Y 22-28,a:1,crooks,They are crooks!\n\
         b,pred,X,27,33,r3,spurious,0,,b:2,crooks,The crooks again.\n"
    );
    assert_eq!(
        span_eval(d, &["--by", "rule", "--format", "csv"]),
        format!(
            "rule_id,label,predicted,support,precision,recall,f1\n\
             r1,X,1,2,0.875,1,{}\n\
             r2,Y,1,1,1,1,1\n\
             r3,X,2,2,0,0,0\n",
            2.0 * 0.875 / 1.875
        )
    );
    assert_eq!(
        span_eval(d, &["--by", "rule", "--match", "strict", "--format", "csv"]),
        "rule_id,label,correct,incorrect,partial,missed,spurious,possible,actual,precision,recall,f1\n\
         r1,X,0,1,0,1,0,2,1,0,0,0\n\
         r2,Y,1,0,0,0,0,1,1,1,1,1\n\
         r3,X,0,0,0,2,2,2,2,0,0,0\n"
    );
    // Bootstrap over articles: same seed, same output, whatever the thread count.
    for mode in ["ptc", "type"] {
        let run = |threads: &str| {
            span_eval(
                d,
                &[
                    "--match",
                    mode,
                    "--format",
                    "json",
                    "--bootstrap",
                    "200",
                    "--seed",
                    "3",
                    "--threads",
                    threads,
                ],
            )
        };
        let one = run("1");
        let v: serde_json::Value = serde_json::from_str(&one).unwrap();
        assert_eq!(v["bootstrap"]["n"], 200, "{one}");
        // Label Y is right in article a and absent from b: every replicate that defines
        // it gives precision 1.
        let y = v["labels"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["label"] == "Y")
            .unwrap();
        assert_eq!(y["precision_ci"], serde_json::json!([1.0, 1.0]), "{one}");
        assert_eq!(one, run("2"), "{mode}");
    }
}

/// Six sentences (a:0-a:2, b:0-b:2), labels X and Y: gold a:1 X, a:1 Y, a:2 X, b:1 Y;
/// predictions a:1 X, a:2 Y, b:2 X, b:2 Y. Returns (sentences, gold, predictions).
fn article_fixture(d: &Path) -> (std::path::PathBuf, std::path::PathBuf, std::path::PathBuf) {
    let s = corpus(d);
    let gold = write(
        d,
        "g.csv",
        "sentence_id,label\na:1,X\na:1,Y\na:2,X\nb:1,Y\n",
    );
    let pred = write(
        d,
        "p.csv",
        "sentence_id,label\na:1,X\na:2,Y\nb:2,X\nb:2,Y\n",
    );
    (s, gold, pred)
}

fn by_eval(d: &Path, by: &str, extra: &[&str]) -> String {
    let (s, g, p) = article_fixture(d);
    stdout_of(
        sentlab()
            .args(["eval", "-q", "--by", by, "--gold"])
            .arg(&g)
            .arg("--pred")
            .arg(&p)
            .arg("--sentences")
            .arg(&s)
            .args(extra),
    )
}

#[test]
fn eval_by_article_scores_each_article_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Article a: gold {a1 X, a1 Y, a2 X}, predicted {a1 X, a2 Y}: tp 1 (a1 X), fp 1 (a2 Y),
    // fn 2 (a1 Y, a2 X); P 1/2, R 1/3, F1 2/(2+1+2) = 0.4. Article b: gold {b1 Y},
    // predicted {b2 X, b2 Y}: tp 0, fp 2, fn 1; P 0, R 0, F1 0. The rows add up to the
    // micro row (tp 1, fp 3, fn 3).
    assert_eq!(
        by_eval(d, "article", &["--format", "csv"]),
        "article_id,sentences,tp,fp,fn,support,precision,recall,f1\n\
         a,3,1,1,2,3,0.5,0.3333333333333333,0.4\n\
         b,3,0,2,1,1,0,0,0\n"
    );
    assert_eq!(
        by_eval(d, "article", &[]),
        "article_id  sentences  tp  fp  fn  support  precision  recall     f1\n\
         --------------------------------------------------------------------\n\
         a                   3   1   1   2        3      0.500   0.333  0.400\n\
         b                   3   0   2   1        1      0.000   0.000  0.000\n"
    );
    let json: serde_json::Value =
        serde_json::from_str(&by_eval(d, "article", &["--format", "json"])).unwrap();
    assert_eq!(json[0]["article_id"], "a");
    assert_eq!(json[0]["fn"], 2);
    assert_eq!(json[1]["fp"], 2);
}

#[test]
fn eval_by_confusion_counts_sentences_per_gold_and_predicted_label_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // a:0, b:0: nothing (none, none) -> 2. a:1 gold {X, Y} predicted {X}: (X, X), (Y, X).
    // a:2 gold {X} predicted {Y}: (X, Y). b:1 gold {Y}, nothing predicted: (Y, none).
    // b:2 no gold, predicted {X, Y}: (none, X), (none, Y).
    assert_eq!(
        by_eval(d, "confusion", &[]),
        "gold \\ predicted  X  Y  none\n\
         ----------------------------\n\
         X                 1  1     0\n\
         Y                 1  0     1\n\
         none              1  1     2\n"
    );
    assert_eq!(
        by_eval(d, "confusion", &["--format", "csv"]),
        "gold_label,predicted_label,sentences\nX,X,1\nX,Y,1\nX,,0\nY,X,1\nY,Y,0\nY,,1\n,X,1\n,Y,1\n,,2\n"
    );
    assert_eq!(
        by_eval(d, "confusion", &["--format", "markdown"]),
        "| gold \\ predicted | X | Y | none |\n| :--- | ---: | ---: | ---: |\n\
         | X | 1 | 1 | 0 |\n| Y | 1 | 0 | 1 |\n| none | 1 | 1 | 2 |\n"
    );
    let json: serde_json::Value =
        serde_json::from_str(&by_eval(d, "confusion", &["--format", "json"])).unwrap();
    assert_eq!(json["labels"], serde_json::json!(["X", "Y"]));
    assert_eq!(
        json["cells"][6],
        serde_json::json!({"gold_label": null, "predicted_label": "X", "sentences": 1})
    );
    // A rows format: the same cells, read back.
    let out = d.join("c.jsonl");
    by_eval(d, "confusion", &["-o", out.to_str().unwrap()]);
    let text = fs::read_to_string(&out).unwrap();
    assert_eq!(text.lines().count(), 9, "{text}");
    assert!(
        text.lines().nth(8).unwrap().contains("\"sentences\":2"),
        "{text}"
    );
    // Flags that would change nothing, or a level the views do not have: usage errors.
    let (s, g, p) = article_fixture(d);
    for (args, expected) in [
        (
            &["--by", "article", "--bootstrap", "100"][..],
            "--by article has none",
        ),
        (&["--by", "confusion", "--sort", "f1"][..], "drop --sort"),
        (
            &["--by", "article", "--level", "span"][..],
            "needs --level sentence",
        ),
    ] {
        sentlab()
            .args(["eval", "--gold"])
            .arg(&g)
            .arg("--pred")
            .arg(&p)
            .arg("--sentences")
            .arg(&s)
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(expected));
    }
}

/// The counts of a span-matching report (`--match strict`) are numbers in JSON Lines (and
/// so in Parquet and Arrow, written from the same frame), as in the JSON report: they were
/// written as text.
#[test]
fn span_match_report_counts_are_numbers_in_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ptc_corpus(d);
    write(d, "ptc/gold.labels", "111\tX\t22\t28\n222\tX\t27\t33\n");
    write(
        d,
        "p.csv",
        "sentence_id,label,rule_id,start,end,match\n111:1,X,r1,22,28,crooks\n",
    );
    let eval = |format: &str| {
        stdout_of(
            sentlab()
                .current_dir(d)
                .args(["eval", "-q", "--level", "span", "--match", "strict"])
                .args(["--gold", "ptc", "--pred", "p.csv", "--sentences", "s.csv"])
                .args(["--format", format]),
        )
    };
    let json: serde_json::Value = serde_json::from_str(&eval("json")).unwrap();
    let x = &json["labels"][0];
    assert_eq!(x["label"], "X");
    let lines = eval("jsonl");
    let row: serde_json::Value = serde_json::from_str(
        lines
            .lines()
            .find(|l| l.contains("\"label\":\"X\""))
            .unwrap(),
    )
    .unwrap();
    for count in [
        "correct",
        "incorrect",
        "partial",
        "missed",
        "spurious",
        "possible",
        "actual",
    ] {
        assert!(row[count].is_u64() || row[count].is_i64(), "{count}: {row}");
        assert_eq!(row[count].as_u64(), x[count].as_u64(), "{count}");
    }
    // The prediction is gold 111 [22,28) exactly; gold 222 is missed.
    assert_eq!(
        (x["correct"].as_u64(), x["missed"].as_u64()),
        (Some(1), Some(1))
    );
}
