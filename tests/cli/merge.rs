//! `sentlab labels merge`: annotator files to gold labels, skipped rows, PTC span files.

use std::fs;
use std::path::{Path, PathBuf};

use predicates::prelude::*;

use crate::common::*;

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

#[test]
fn merge_counts_an_empty_span_file_as_its_article_seen_without_spans() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = ptc_corpus(d);
    let name = "Name_Calling";
    write(
        d,
        "ana/article111.task2-TC.labels",
        format!("111\t{name}\t22\t28\n"),
    );
    write(
        d,
        "ana/article222.task2-TC.labels",
        format!("222\t{name}\t27\t33\n"),
    );
    write(d, "ben/article111.task2-TC.labels", "");
    write(
        d,
        "ben/article222.task2-TC.labels",
        format!("222\t{name}\t27\t33\n"),
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
    let pred = write(d, "pred.csv", format!("sentence_id,label\n222:2,{name}\n"));
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

/// The README's `labels merge` on the bundled sample: the summary and the agreement tables
/// on stderr (checked against the README's listing), and the same tables as the text report
/// on stdout with `--report -`.
#[test]
fn merge_summary_and_agreement_report_on_the_sample() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sample_tables(d);
    let mut args = vec!["labels", "merge", "--sentences", "sentences.csv"];
    args.extend(SAMPLE_ANNOTATORS);
    args.extend(["--schema", "datasets/labels.toml", "-o", "gold.csv"]);
    let out = sentlab()
        .current_dir(d)
        .args(&args)
        .args(["--report", "agreement.json", "--conflicts", "conflicts.csv"])
        .assert()
        .success();
    assert!(out.get_output().stdout.is_empty());
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    insta::assert_snapshot!("merge_sample_stderr", stderr);
    let report = stdout_of(
        sentlab()
            .current_dir(d)
            .arg("-q")
            .args(&args)
            .args(["--report", "-"]),
    );
    insta::assert_snapshot!("merge_sample_agreement_report", report);
}

// --excel-safe: formula-like text cells get a quote in CSV only.

#[test]
fn merge_excel_safe_quotes_formula_like_text_cells_of_gold_and_conflicts_in_csv_only() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    formula_sentences(d);
    write(d, "ann1.csv", "sentence_id,label\na:0,=L\na:1,+L\n");
    write(d, "ann2.csv", "sentence_id,label\na:0,=L\na:4,-L\na:5,@L\n");
    let args = [
        "labels",
        "merge",
        "--sentences",
        "formulas.csv",
        "ann1.csv",
        "ann2.csv",
    ];
    let gold = stdout_of(sentlab().current_dir(d).args(["-q"]).args(args).args([
        "--excel-safe",
        "--conflicts",
        "c.csv",
    ]));
    // Only a:0 has both votes (majority of 2 needs 2): `votes` is a number, unquoted.
    assert_eq!(
        gold,
        "sentence_id,label,votes,annotators\na:0,'=L,2,ann1;ann2\n"
    );
    // One annotator each: a:1 +L, a:4 -L (text "\tx5"), a:5 @L (text "\rx6").
    assert_eq!(
        fs::read_to_string(d.join("c.csv")).unwrap(),
        "sentence_id,label,yes,no,in_gold,text\n\
         a:1,'+L,ann1,ann2,false,'+x2\n\
         a:4,'-L,ann2,ann1,false,'\tx5\n\
         a:5,'@L,ann2,ann1,false,\"'\rx6\"\n"
    );
    excel_safe_is_for_csv_only(d, &args, "-o", &["=L"], false);
    excel_safe_is_for_csv_only(
        d,
        &args,
        "--conflicts",
        &["+L", "-L", "@L", "+x2", "\\tx5", "\\rx6"],
        true,
    );
}

// --bootstrap: intervals on every agreement figure.

fn sample_merge_args() -> Vec<&'static str> {
    let mut args = vec!["labels", "merge", "--sentences", "sentences.csv"];
    args.extend(SAMPLE_ANNOTATORS);
    args.extend(["-o", "gold.csv"]);
    args
}

/// Every figure gets an interval (lo <= hi, within the figure's range), the same for any
/// thread count; the table says how they were made; without `--bootstrap` the report has
/// no interval and no `bootstrap` key.
#[test]
fn merge_bootstrap_puts_an_interval_on_every_figure_whatever_the_threads() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sample_tables(d);
    let report = |threads: &str, name: &str, extra: &[&str]| -> serde_json::Value {
        sentlab()
            .current_dir(d)
            .args(["-q", "--threads", threads])
            .args(sample_merge_args())
            .args(["--report", name])
            .args(extra)
            .assert()
            .success();
        serde_json::from_str(&fs::read_to_string(d.join(name)).unwrap()).unwrap()
    };
    let boot = ["--bootstrap", "200", "--seed", "5"];
    let one = report("1", "one.json", &boot);
    assert_eq!(one, report("2", "two.json", &boot));
    // 115 sentences in the sample, all seen by the three annotators.
    assert_eq!(
        one["bootstrap"],
        serde_json::json!({"replicates": 200, "seed": 5, "unit": "sentence", "units": 115})
    );
    let in_range = |ci: &serde_json::Value, lowest: f64| {
        let (lo, hi) = (ci["lo"].as_f64().unwrap(), ci["hi"].as_f64().unwrap());
        assert!(lowest <= lo && lo <= hi && hi <= 1.0, "{ci}");
    };
    let rows = std::iter::once(&one["overall"]).chain(one["labels"].as_array().unwrap());
    for row in rows {
        in_range(&row["percent_agreement"]["ci"], 0.0);
        for k in ["fleiss_kappa", "krippendorff_alpha", "gwet_ac1"] {
            in_range(&row[k]["ci"], -1.0);
        }
        let pairs = row["cohen"].as_array().unwrap();
        assert_eq!(pairs.len(), 3);
        for p in pairs {
            in_range(&p["ci"]["observed_agreement"], 0.0);
            for k in ["ac1", "pabak"] {
                in_range(&p["ci"][k], -1.0);
            }
        }
    }
    let plain = report("1", "plain.json", &[]);
    assert!(plain.get("bootstrap").is_none());
    assert!(plain["overall"]["gwet_ac1"].get("ci").is_none());
    assert_eq!(
        plain["overall"]["gwet_ac1"]["value"],
        one["overall"]["gwet_ac1"]["value"]
    );
    let table = stdout_of(
        sentlab()
            .current_dir(d)
            .arg("-q")
            .args(sample_merge_args())
            .args(["--report", "-"])
            .args(boot),
    );
    assert!(
        table.starts_with(
            "95% bootstrap intervals [2.5th, 97.5th percentile]: 200 resamples of the 115 sentences with replacement, seed 5\n"
        ),
        "{table}"
    );
    let overall = table.lines().nth(2).unwrap();
    assert!(
        overall.starts_with("overall ") && overall.matches('[').count() == 4,
        "{overall}"
    );
}

/// Out-of-range replicate counts and a seed without a bootstrap are usage errors (exit 2)
/// before any file is read.
#[test]
fn merge_bootstrap_bounds_are_usage_errors() {
    for n in ["99", "100001"] {
        sentlab()
            .args([
                "labels",
                "merge",
                "--sentences",
                "missing.csv",
                "missing-ann.csv",
            ])
            .args(["--bootstrap", n])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "--bootstrap {n}: expected 100 to 100000 resamples"
            )));
    }
    sentlab()
        .args([
            "labels",
            "merge",
            "--sentences",
            "missing.csv",
            "missing-ann.csv",
        ])
        .args(["--seed", "3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--bootstrap"));
}

/// With span files the articles are resampled (their sentences are not independent).
#[test]
fn merge_bootstrap_resamples_articles_of_span_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let s = corpus(dir.path());
    write(dir.path(), "ann1/a.labels", "a\tName\t22\t28\n");
    write(dir.path(), "ann1/b.labels", "b\tName\t27\t33\n");
    write(
        dir.path(),
        "ann2/a.labels",
        "a\tName\t22\t28\na\tDoubt\t30\t41\n",
    );
    write(dir.path(), "ann2/b.labels", "");
    let report = dir.path().join("r.json");
    sentlab()
        .args(["labels", "merge", "-q", "--sentences"])
        .arg(&s)
        .arg(dir.path().join("ann1"))
        .arg(dir.path().join("ann2"))
        .args(["-o", "-", "--bootstrap", "100", "--report"])
        .arg(&report)
        .assert()
        .success();
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(json["bootstrap"]["unit"], "article");
    assert_eq!(json["bootstrap"]["units"], 2);
}

/// Span F1 between annotators whose inputs are span files, on the articles both covered.
/// ann1: a Name [22,28), a Doubt [30,41), b Name [27,33); ann2: a Name [22,28), a Doubt
/// [32,35), b seen without spans. Doubt: 1 span each, no exact match, one overlap: exact
/// F1 0, overlap F1 2·1/2 = 1. Name: 2 and 1 spans, one exact (= overlap) match: 2/3.
/// Pooled: 3 and 2 spans, exact 1 → 2/5, overlap 2 → 4/5.
#[test]
fn merge_reports_span_f1_between_span_annotators() {
    let dir = tempfile::tempdir().unwrap();
    let s = corpus(dir.path());
    write(
        dir.path(),
        "ann1/a.labels",
        "a\tName\t22\t28\na\tDoubt\t30\t41\n",
    );
    write(dir.path(), "ann1/b.labels", "b\tName\t27\t33\n");
    write(
        dir.path(),
        "ann2/a.labels",
        "a\tName\t22\t28\na\tDoubt\t32\t35\n",
    );
    write(dir.path(), "ann2/b.labels", "");
    let report = dir.path().join("r.json");
    let out = sentlab()
        .args(["labels", "merge", "--sentences"])
        .arg(&s)
        .arg(dir.path().join("ann1"))
        .arg(dir.path().join("ann2"))
        .args(["-o", "-", "--report"])
        .arg(&report)
        .assert()
        .success();
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&report).unwrap()).unwrap();
    let pairs = json["span_f1"].as_array().unwrap();
    assert_eq!(pairs.len(), 1);
    assert_eq!(
        (&pairs[0]["a"], &pairs[0]["b"], &pairs[0]["articles"]),
        (&"ann1".into(), &"ann2".into(), &2.into())
    );
    let rows: Vec<(String, u64, u64, f64, f64)> = pairs[0]["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["label"].as_str().unwrap().to_string(),
                r["spans_a"].as_u64().unwrap(),
                r["spans_b"].as_u64().unwrap(),
                r["exact_f1"].as_f64().unwrap(),
                r["overlap_f1"].as_f64().unwrap(),
            )
        })
        .collect();
    let want = [
        ("overall", 3, 2, 0.4, 0.8),
        ("Doubt", 1, 1, 0.0, 1.0),
        ("Name", 2, 1, 2.0 / 3.0, 2.0 / 3.0),
    ];
    assert_eq!(rows.len(), want.len());
    for (got, w) in rows.iter().zip(want) {
        assert_eq!((got.0.as_str(), got.1, got.2), (w.0, w.1, w.2));
        assert!(
            (got.3 - w.3).abs() < 1e-12 && (got.4 - w.4).abs() < 1e-12,
            "{got:?}"
        );
    }
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    let row = |line: &str| line.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        stderr
            .lines()
            .map(row)
            .any(|l| l == "overall ann1 ann2 2 3 2 0.400 0.800"),
        "{stderr}"
    );
    // Label files that are not spans: no span F1.
    let csv = write(dir.path(), "x.csv", "sentence_id,label\na:1,Name\n");
    let csv2 = write(dir.path(), "y.csv", "sentence_id,label\na:1,Name\n");
    sentlab()
        .args(["labels", "merge", "-q", "--sentences"])
        .arg(&s)
        .arg(&csv)
        .arg(&csv2)
        .args(["-o", "-", "--report"])
        .arg(&report)
        .assert()
        .success();
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&report).unwrap()).unwrap();
    assert!(json.get("span_f1").is_none());
}

// Article-level span exports (Label Studio, doccano) and span gold (--spans-out,
// --ptc-out). Article n1 is "Ha 😀 big lie. Ok 👍🏽 fine.": code points H0 a1 _2 😀3 _4 b5
// i6 g7 _8 l9 i10 e11 .12 _13 O14 k15 _16 👍17 🏽18 _19 f20 ... .24 (25); in UTF-16 😀, 👍
// and 🏽 take two units each, so code point c is unit c + 1 from 4 on, c + 2 from 18,
// c + 3 from 19. Article n2 is "Cafe\u{301} vs cafe." (combining acute: 14 code points).

const SPAN_N1: &str = "Ha 😀 big lie. Ok 👍🏽 fine.";
const SPAN_N2: &str = "Cafe\u{301} vs cafe.";

fn span_sentences(d: &Path) -> PathBuf {
    write(
        d,
        "s.csv",
        format!(
            "article_id,sentence_id,index,paragraph,kind,start,end,text\n\
             n1,n1:0,0,0,body,0,13,Ha 😀 big lie.\n\
             n1,n1:1,1,0,body,14,25,Ok 👍🏽 fine.\n\
             n2,n2:0,0,0,body,0,14,{SPAN_N2}\n"
        ),
    )
}

fn js(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// A Label Studio export as its browser front end writes it (UTF-16 offsets): user 1
/// marks "big lie" (units 6..13) in n1 and nothing in n2; user 2 marks 👍🏽 (18..22) in
/// n1 only. `lie_label` is user 1's label.
fn span_label_studio(d: &Path, lie_label: &str) -> PathBuf {
    let r = |s: u64, e: u64, t: &str, l: &str| {
        format!(
            r#"{{"from_name": "label", "to_name": "text", "type": "labels", "value": {{"start": {s}, "end": {e}, "text": {}, "labels": ["{l}"]}}}}"#,
            js(t)
        )
    };
    write(
        d,
        "ls.json",
        format!(
            "[\n{{\"id\": 1, \"data\": {{\"article_id\": \"n1\", \"text\": {}}}, \"annotations\": [\n\
             {{\"id\": 1, \"completed_by\": 1, \"result\": [{}]}},\n\
             {{\"id\": 2, \"completed_by\": 2, \"result\": [{}]}}]}},\n\
             {{\"id\": 2, \"data\": {{\"article_id\": \"n2\", \"text\": {}}}, \"annotations\": [\n\
             {{\"id\": 3, \"completed_by\": 1, \"result\": []}}]}}\n]\n",
            js(SPAN_N1),
            r(6, 13, "big lie", lie_label),
            r(18, 22, "👍🏽", "Emoji"),
            js(SPAN_N2),
        ),
    )
}

/// doccano 1.8.4's JSONL (one file per member, `text`, meta fields at top level, `label`
/// `[[start, end, label]]` in code points: Python string indices, as
/// `labels.models.Span.__str__` slices `example.text[start_offset:end_offset]`): ana marks
/// "lie" 9..12 and 👍🏽 17..19 in n1, "vs" 6..8 in n2.
fn span_doccano(d: &Path) -> PathBuf {
    write(
        d,
        "ana.jsonl",
        format!(
            "{{\"id\": 1, \"text\": {}, \"article_id\": \"n1\", \"label\": [[9, 12, \"Lie\"], [17, 19, \"Emoji\"]], \"Comments\": []}}\n\
             {{\"id\": 2, \"text\": {}, \"article_id\": \"n2\", \"label\": [[6, 8, \"Cmp\"]], \"Comments\": []}}\n",
            js(SPAN_N1),
            js(SPAN_N2)
        ),
    )
}

#[test]
fn merge_span_gold_from_label_studio_and_doccano_with_emoji() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    span_sentences(d);
    span_label_studio(d, "Lie");
    span_doccano(d);
    let base = [
        "labels",
        "merge",
        "--sentences",
        "s.csv",
        "ls.json",
        "ana.jsonl",
    ];
    let out = sentlab()
        .current_dir(d)
        .args(base)
        .args([
            "-o",
            "gold.csv",
            "--spans-out",
            "spans.csv",
            "--ptc-out",
            "ptc",
        ])
        .assert()
        .success();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("ls.json: span offsets read as UTF-16 code units"),
        "{stderr}"
    );
    assert!(
        stderr.contains("span gold: 2 spans in 2 articles"),
        "{stderr}"
    );
    // n1 was seen by 1, 2 and ana (majority: 2 of 3); n2 by 1 and ana (2 of 2, a tie is
    // no). Lie: 1 on 5..12 ("big lie" converted), ana on 9..12: gold 9..12. Emoji: 2 on
    // 17..19 (units 18..22), ana on 17..19: gold. Cmp: ana alone of 2: no.
    assert_eq!(
        fs::read_to_string(d.join("spans.csv")).unwrap(),
        "article_id,label,start,end\nn1,Emoji,17,19\nn1,Lie,9,12\n"
    );
    assert_eq!(
        fs::read_to_string(d.join("ptc/n1.labels")).unwrap(),
        "n1\tEmoji\t17\t19\nn1\tLie\t9\t12\n"
    );
    // n2 seen, no gold span: an empty span file.
    assert_eq!(fs::read_to_string(d.join("ptc/n2.labels")).unwrap(), "");
    // The sentence projection: Lie on n1:0 by 1 and ana, Emoji on n1:1 by 2 and ana.
    assert_eq!(
        fs::read_to_string(d.join("gold.csv")).unwrap(),
        "sentence_id,label,votes,annotators\nn1:0,Lie,2,1;ana\nn1:1,Emoji,2,2;ana\n"
    );
    // --tie yes makes Cmp 6..8 in n2 (1 of 2) gold too.
    let tie = stdout_of(sentlab().current_dir(d).args(base).args([
        "-q",
        "-o",
        "g2.csv",
        "--tie",
        "yes",
        "--spans-out",
        "-",
    ]));
    assert_eq!(
        tie,
        "article_id,label,start,end\nn1,Emoji,17,19\nn1,Lie,9,12\nn2,Cmp,6,8\n"
    );
    // The PTC directory reads back as one annotator with the same spans.
    let back = stdout_of(sentlab().current_dir(d).args([
        "-q",
        "labels",
        "merge",
        "--sentences",
        "s.csv",
        "ptc",
        "-o",
        "g3.csv",
        "--spans-out",
        "-",
    ]));
    assert_eq!(
        back,
        "article_id,label,start,end\nn1,Emoji,17,19\nn1,Lie,9,12\n"
    );
}

#[test]
fn merge_span_import_bad_input_is_counted_or_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    span_sentences(d);
    span_label_studio(d, "Lye");
    write(
        d,
        "schema.toml",
        "[[label]]\nname = \"Lie\"\n\n[[label]]\nname = \"Emoji\"\n",
    );
    let base = ["labels", "merge", "--sentences", "s.csv", "ls.json"];
    // Unknown label with --schema: counted with file and line (task 1 starts on line 2),
    // and left out of the span gold; with --strategy any, user 2's 👍🏽 is gold.
    let out = sentlab()
        .current_dir(d)
        .args(base)
        .args([
            "--schema",
            "schema.toml",
            "-o",
            "g.csv",
            "--spans-out",
            "sp.csv",
            "--strategy",
            "any",
        ])
        .assert()
        .success();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("skipped ls.json:2: unknown label (closest known: `Lie`)"),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(d.join("sp.csv")).unwrap(),
        "article_id,label,start,end\nn1,Emoji,17,19\n"
    );
    // Forced to code points, the UTF-16 offsets are counted, never shifted: "big lie" at
    // 6..13 reads "ig lie.", 👍🏽 at 18..22 reads "🏽 fi".
    let out = sentlab()
        .current_dir(d)
        .args(base)
        .args([
            "--offsets",
            "codepoint",
            "-o",
            "g.csv",
            "--spans-out",
            "sp2.csv",
        ])
        .assert()
        .success();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("2 offset-mismatch"), "{stderr}");
    assert!(
        stderr.contains(
            "skipped ls.json:2: span 6..13 does not fit --offsets codepoint: reads `ig lie.`, the export says `big lie`"
        ),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(d.join("sp2.csv")).unwrap(),
        "article_id,label,start,end\n"
    );
    // --strict: an error, and no output written.
    sentlab()
        .current_dir(d)
        .args(base)
        .args([
            "--offsets",
            "codepoint",
            "--strict",
            "-o",
            "g4.csv",
            "--spans-out",
            "sp4.csv",
            "--ptc-out",
            "p4",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("ls.json:2"));
    assert!(!d.join("g4.csv").exists() && !d.join("sp4.csv").exists() && !d.join("p4").exists());
    // No unit fits: "big lie" at 6..13 fits UTF-16 only (as code points or graphemes it
    // reads "ig lie."), "fine" at 20..24 code points only (UTF-16 unit 20 is inside 🏽):
    // an error naming the second span, which decides.
    write(
        d,
        "mixed.json",
        format!(
            "[{{\"data\": {{\"article_id\": \"n1\", \"text\": {}}}, \"annotations\": [{{\"completed_by\": 1, \"result\": [\n\
             {{\"type\": \"labels\", \"value\": {{\"start\": 6, \"end\": 13, \"text\": \"big lie\", \"labels\": [\"Lie\"]}}}},\n\
             {{\"type\": \"labels\", \"value\": {{\"start\": 20, \"end\": 24, \"text\": \"fine\", \"labels\": [\"Lie\"]}}}}]}}]}}]\n",
            js(SPAN_N1)
        ),
    );
    sentlab()
        .current_dir(d)
        .args(["labels", "merge", "--sentences", "s.csv", "mixed.json", "-o", "g5.csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "mixed.json:1: bad span offsets: the span offsets fit no unit; the deciding span is line 1's 20..24 `Lie`",
        ));
    assert!(!d.join("g5.csv").exists());
    // Span gold needs span inputs, and is the vote alone: usage errors (exit 2).
    write(d, "long.csv", "sentence_id,label\nn1:0,Lie\n");
    sentlab()
        .current_dir(d)
        .args([
            "labels",
            "merge",
            "--sentences",
            "s.csv",
            "long.csv",
            "--spans-out",
            "x.csv",
        ])
        .assert()
        .code(2);
    sentlab()
        .current_dir(d)
        .args(base)
        .args(["--adjudicator", "long.csv", "--spans-out", "x.csv"])
        .assert()
        .code(2);
    // --offsets and --id-field change nothing without article tasks.
    for flag in [["--offsets", "utf16"], ["--id-field", "doc"]] {
        sentlab()
            .current_dir(d)
            .args([
                "labels",
                "merge",
                "--sentences",
                "s.csv",
                "long.csv",
                "-o",
                "x.csv",
            ])
            .args(flag)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "no annotator file holds an article task",
            ));
    }
    assert!(!d.join("x.csv").exists());
}

// Span F1 between the annotators of an annotation tool's export.

/// Label Studio, two annotators (users 1 and 2) on article `a1` ("I 😀 you. Liar!": the
/// emoji is code point 2, "Liar" 9..13) and `b2` (both saw it, no spans). User 1: Emo
/// 2..3, Name 9..13; user 2: Name 9..12 only. By hand, pair (1, 2), 2 shared articles:
/// Emo: 1 and 0 spans, no match: exact F1 0, overlap F1 0; Name: 1 and 1 spans, not the
/// same bounds (exact 0), overlapping (overlap 1: F1 2/2 = 1); overall: 2 and 1 spans,
/// exact 0, overlap 1: F1 2 x 1 / 3.
#[test]
fn merge_reports_span_f1_between_the_annotators_of_a_tool_export() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "arts.jsonl",
        "{\"id\": \"a1\", \"text\": \"I \u{1F600} you. Liar!\"}\n{\"id\": \"b2\", \"text\": \"Calm.\"}\n",
    );
    sentlab()
        .current_dir(d)
        .args(["split", "-q", "arts.jsonl", "-o", "s.csv"])
        .assert()
        .success();
    let region = |start: u32, end: u32, text: &str, label: &str| {
        format!(
            r#"{{"from_name": "label", "to_name": "text", "type": "labels", "value": {{"start": {start}, "end": {end}, "text": "{text}", "labels": ["{label}"]}}}}"#
        )
    };
    let a1 = format!(
        r#"{{"data": {{"text": "I \ud83d\ude00 you. Liar!", "article_id": "a1"}}, "annotations": [{{"completed_by": 1, "result": [{}, {}]}}, {{"completed_by": 2, "result": [{}]}}]}}"#,
        region(2, 3, "\u{1F600}", "Emo"),
        region(9, 13, "Liar", "Name"),
        region(9, 12, "Lia", "Name")
    );
    let b2 = r#"{"data": {"text": "Calm.", "article_id": "b2"}, "annotations": [{"completed_by": 1, "result": []}, {"completed_by": 2, "result": []}]}"#;
    write(d, "ls.json", format!("[{a1},\n{b2}]\n"));
    let out = sentlab()
        .current_dir(d)
        .args(["labels", "merge", "-q", "--sentences", "s.csv", "ls.json"])
        .args(["-o", "gold.csv", "--report", "r.json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(d.join("r.json")).unwrap()).unwrap();
    let pairs = json["span_f1"].as_array().expect("span_f1 in the report");
    assert_eq!(pairs.len(), 1);
    assert_eq!(
        (pairs[0]["a"].as_str(), pairs[0]["b"].as_str()),
        (Some("1"), Some("2"))
    );
    assert_eq!(pairs[0]["articles"], 2);
    let rows: Vec<(String, u64, u64, u64, f64, u64, f64)> = pairs[0]["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["label"].as_str().unwrap().to_string(),
                r["spans_a"].as_u64().unwrap(),
                r["spans_b"].as_u64().unwrap(),
                r["exact_matches"].as_u64().unwrap(),
                r["exact_f1"].as_f64().unwrap(),
                r["overlap_matches"].as_u64().unwrap(),
                r["overlap_f1"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            ("overall".to_string(), 2, 1, 0, 0.0, 1, 2.0 / 3.0),
            ("Emo".to_string(), 1, 0, 0, 0.0, 0, 0.0),
            ("Name".to_string(), 1, 1, 0, 0.0, 1, 1.0),
        ]
    );
}
