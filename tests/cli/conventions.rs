//! What every command shares: one list of formats for every table and report, one flag
//! vocabulary.

use std::fs;
use std::path::Path;

use predicates::prelude::*;

use crate::common::*;

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

#[test]
fn flags_that_would_change_nothing_for_these_inputs_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = corpus(d);
    let rules = write(d, "r.toml", RULES);
    let ana = write(d, "ana.csv", "sentence_id,label\na:1,Doubt\n");
    let jsonl = write(
        d,
        "a.jsonl",
        "{\"id\":\"j\",\"title\":\"T\",\"text\":\"Body.\"}\n",
    );
    let cases: Vec<(Vec<std::ffi::OsString>, &str)> = vec![
        // Field names, and only text articles.
        (
            vec![
                "split".into(),
                d.join("in").into(),
                "--id-field".into(),
                "key".into(),
            ],
            "--id-field, --title-field and --text-field name the fields",
        ),
        // --no-title, and only JSON Lines articles.
        (
            vec!["split".into(), jsonl.clone().into(), "--no-title".into()],
            "--no-title is for text articles",
        ),
        // --min-overlap, and no span file.
        (
            vec![
                "labels".into(),
                "merge".into(),
                "--sentences".into(),
                s.clone().into(),
                ana.clone().into(),
                "--min-overlap".into(),
                "3".into(),
            ],
            "--min-overlap is the overlap a PTC span needs",
        ),
        // A sentence given as text, and a sentence table that would not be read.
        (
            vec![
                "rules".into(),
                "explain".into(),
                rules.clone().into(),
                "Is it true?".into(),
                "--sentences".into(),
                s.clone().into(),
            ],
            "--sentences is only read with --sentence-id",
        ),
    ];
    for (args, message) in cases {
        sentlab()
            .args(&args)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(message));
    }
    // Each flag where it does something: a mix of a text article and JSON Lines takes both.
    sentlab()
        .args(["split", "-q"])
        .arg(d.join("in/a.txt"))
        .arg(&jsonl)
        .args(["--no-title", "--id-field", "id"])
        .assert()
        .success();
}
