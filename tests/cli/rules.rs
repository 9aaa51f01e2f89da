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

// ---------- batch explain and rules list ----------

/// Two articles, two rules (`regime` of label L with a proximity veto, `experts` of E),
/// gold and predictions: with label L, a:1 is a false positive, a:0 (vetoed) and b:0 (no
/// candidate) are false negatives.
fn error_fixture(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let rules = write(
        dir,
        "rules.toml",
        "[[rule]]\nid = \"regime\"\nlabel = \"L\"\ndescription = \"Loaded word\"\nlexicon = { words = [\"regime\"] }\nunless = { words = [\"not\"], within = 2, side = \"before\" }\n\n\
         [[rule]]\nid = \"experts\"\nlabel = \"Appeal\"\nlexicon = { words = [\"experts\"] }\n",
    );
    // Offsets: "not the old regime" is 18 code points, the next sentence starts at 19.
    let sentences = write(
        dir,
        "sentences.csv",
        "article_id,sentence_id,index,paragraph,kind,start,end,text\n\
         a,a:0,0,0,body,0,18,not the old regime\n\
         a,a:1,1,0,body,19,35,The regime lied.\n\
         b,b:0,0,0,body,0,21,Experts said nothing.\n",
    );
    write(dir, "gold.csv", "sentence_id,label\na:0,L\nb:0,L\n");
    write(
        dir,
        "pred.csv",
        "sentence_id,label,rule_id,start,end,match\na:1,L,regime,23,29,regime\nb:0,Appeal,experts,0,7,Experts\n",
    );
    (rules, sentences)
}

#[test]
fn explain_labels_fp_and_fn_one_csv_row_per_error() {
    let dir = tempfile::tempdir().unwrap();
    let (rules, sentences) = error_fixture(dir.path());
    let out = dir.path().join("x.csv");
    sentlab()
        .current_dir(dir.path())
        .args(["rules", "explain"])
        .arg(&rules)
        .arg("--sentences")
        .arg(&sentences)
        .args([
            "--labels", "L", "--fp", "--fn", "--gold", "gold.csv", "--pred", "pred.csv", "-o",
        ])
        .arg(&out)
        .assert()
        .success();
    // By hand: a:0 "regime" at [12, 18), "not" 2 words before it ("the old"); a:1
    // "regime" at 19 + 4 = 23; b:0 has no candidate of a rule of L. Rows in table order.
    assert_eq!(
        fs::read_to_string(&out).unwrap(),
        "sentence_id,label,error,fired,vetoed,text\n\
         a:0,L,FN,,\"regime [12, 18) \"\"regime\"\": unless \"\"not\"\" 2 words before\",not the old regime\n\
         a:1,L,FP,\"regime [23, 29) \"\"regime\"\"\",,The regime lied.\n\
         b:0,L,FN,,,Experts said nothing.\n"
    );
}

#[test]
fn explain_labels_fp_listing_on_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let (rules, sentences) = error_fixture(dir.path());
    let out = stdout_of(
        sentlab()
            .current_dir(dir.path())
            .args(["rules", "explain", "--rules"])
            .arg(&rules)
            .arg("--sentences")
            .arg(&sentences)
            .args([
                "--labels", "L", "--fp", "--gold", "gold.csv", "--pred", "pred.csv",
            ]),
    );
    // Only the rules of label L are shown.
    assert_eq!(
        out,
        "FP L: sentence a:1 (body, 3 words): \"The regime lied.\"\n\
         \x20 rule `regime` (L): 1 candidate(s), 1 fired\n\
         \x20   [23, 29) \"regime\": fired\n"
    );
}

#[test]
fn explain_from_errors_reads_the_eval_error_list() {
    let dir = tempfile::tempdir().unwrap();
    let (rules, sentences) = error_fixture(dir.path());
    // The columns of `eval --errors` (sentence level).
    let errors = write(
        dir.path(),
        "errors.csv",
        "sentence_id,label,kind,rules,matches,text\n\
         a:0,L,FN,,,not the old regime\n\
         b:0,Appeal,FP,experts,Experts,Experts said nothing.\n",
    );
    let out = dir.path().join("x.csv");
    sentlab()
        .args(["rules", "explain"])
        .arg(&rules)
        .arg("--sentences")
        .arg(&sentences)
        .arg("--from-errors")
        .arg(&errors)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(&out).unwrap(),
        "sentence_id,label,error,fired,vetoed,text\n\
         a:0,L,FN,,\"regime [12, 18) \"\"regime\"\": unless \"\"not\"\" 2 words before\",not the old regime\n\
         b:0,Appeal,FP,\"experts [0, 7) \"\"Experts\"\"\",,Experts said nothing.\n"
    );
    // A kind that is not FP/FN, and a sentence not in the table: errors with the line; no
    // output written.
    for (body, expected) in [
        (
            "a:0,L,TP,,,x\n",
            "errors.csv: line 2: kind `TP`: expected FP or FN",
        ),
        (
            "a:0,L,FN,,,x\nz:9,L,FP,,,x\n",
            "errors.csv: line 3: sentence `z:9` is not in",
        ),
    ] {
        write(
            dir.path(),
            "errors.csv",
            format!("sentence_id,label,kind,rules,matches,text\n{body}"),
        );
        let out = dir.path().join("y.csv");
        sentlab()
            .args(["rules", "explain"])
            .arg(&rules)
            .arg("--sentences")
            .arg(&sentences)
            .arg("--from-errors")
            .arg(&errors)
            .arg("-o")
            .arg(&out)
            .assert()
            .code(1)
            .stderr(predicate::str::contains(expected));
        assert!(!out.exists());
    }
}

#[test]
fn explain_labels_needs_fp_or_fn_and_single_form_refuses_output() {
    let dir = tempfile::tempdir().unwrap();
    let (rules, sentences) = error_fixture(dir.path());
    sentlab()
        .current_dir(dir.path())
        .args(["rules", "explain"])
        .arg(&rules)
        .arg("--sentences")
        .arg(&sentences)
        .args(["--labels", "L", "--gold", "gold.csv", "--pred", "pred.csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("give --fp, --fn or both"));
    sentlab()
        .args(["rules", "explain"])
        .arg(&rules)
        .args(["the regime", "-o", "x.csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("-o/--output is only written with"));
}

#[test]
fn rules_list_as_table_csv_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let (rules, _) = error_fixture(dir.path());
    let run = |format: &str| {
        stdout_of(
            sentlab()
                .args(["rules", "list"])
                .arg(&rules)
                .args(["--format", format]),
        )
    };
    // Columns padded to the longest cell plus two spaces (id 7, label 6, kind 7).
    assert_eq!(
        run("table"),
        "id       label   kind     description\n\
         regime   L       lexicon  Loaded word\n\
         experts  Appeal  lexicon\n"
    );
    let file = rules.display().to_string();
    // `[[rule]]` tables at lines 1 and 8 of the file.
    assert_eq!(
        run("csv"),
        format!(
            "id,label,kind,description,file,line\nregime,L,lexicon,Loaded word,{file},1\nexperts,Appeal,lexicon,,{file},8\n"
        )
    );
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(json[1]["id"], "experts");
    assert_eq!(json[1]["description"], serde_json::Value::Null);
    assert_eq!(json[0]["line"], 1);
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

// `rules list` without a rule set: the built-in packs.

#[test]
fn rules_list_without_a_rule_set_lists_the_built_in_packs() {
    // The pack's rules, counted in its source file: one `[[rule]]` table per rule.
    let source = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/rules/propaganda.toml"),
    )
    .unwrap();
    let rules = source.lines().filter(|l| l.trim() == "[[rule]]").count();
    let dir = tempfile::tempdir().unwrap();
    let out = sentlab()
        .current_dir(dir.path())
        .args(["rules", "list", "--format", "csv"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!(
            "name,rules,summary\npropaganda,{rules},\"the default pack: propaganda techniques, the 14 labels of the PTC\"\n"
        )
    );
}

// rules explain --from-errors with the span-level error list of eval.

#[test]
fn explain_from_errors_reads_the_span_level_error_list() {
    let dir = tempfile::tempdir().unwrap();
    let (rules, sentences) = error_fixture(dir.path());
    // The columns of `eval --level span --errors`: a gold span missed (FN, `ptc`), a
    // predicted span with no gold (FP) listed twice by two rules, a gold span fully found
    // (not an error), and a gold span `missed` under a matching mode.
    let errors = write(
        dir.path(),
        "errors.csv",
        "article_id,side,label,start,end,rule_id,outcome,fraction,matched,sentence_id,text,sentence\n\
         a,gold,L,12,18,,FN,0,,a:0,regime,not the old regime\n\
         a,pred,L,23,29,regime,FP,0,,a:1,regime,The regime lied.\n\
         a,pred,L,23,28,other,spurious,0,,a:1,regim,The regime lied.\n\
         a,gold,L,30,35,,full,1,,a:1,x,The regime lied.\n\
         b,gold,L,0,7,,missed,0,,b:0,Experts,Experts said nothing.\n",
    );
    let out = dir.path().join("x.csv");
    sentlab()
        .args(["rules", "explain"])
        .arg(&rules)
        .arg("--sentences")
        .arg(&sentences)
        .arg("--from-errors")
        .arg(&errors)
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "errors.csv: 2 row(s) not explained: 1 not an error (outcome full), 1 with the sentence, label and error of an earlier row",
        ));
    // The rows of `explain_labels_fp_and_fn_one_csv_row_per_error` for the same three errors, in file order.
    assert_eq!(
        fs::read_to_string(&out).unwrap(),
        "sentence_id,label,error,fired,vetoed,text\n\
         a:0,L,FN,,\"regime [12, 18) \"\"regime\"\": unless \"\"not\"\" 2 words before\",not the old regime\n\
         a:1,L,FP,\"regime [23, 29) \"\"regime\"\"\",,The regime lied.\n\
         b:0,L,FN,,,Experts said nothing.\n"
    );
    // A file with neither `kind` nor `side`/`outcome`: named, with what was expected.
    write(dir.path(), "errors.csv", "sentence_id,label\na:0,L\n");
    sentlab()
        .args(["rules", "explain"])
        .arg(&rules)
        .arg("--sentences")
        .arg(&sentences)
        .arg("--from-errors")
        .arg(&errors)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "expected the error list of `eval --errors`: sentence level (sentence_id, label, kind) or span level (sentence_id, label, side, outcome)",
        ));
}
