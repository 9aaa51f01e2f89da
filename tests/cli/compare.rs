//! `sentlab compare`: two prediction tables against one gold, F1 differences with a paired
//! bootstrap interval and a paired randomisation p-value.

use std::fs;
use std::path::{Path, PathBuf};

use predicates::prelude::*;

use crate::common::*;

/// The `corpus` sentences with gold a:1 X, b:1 X, b:2 Y; A predicts a:1 X, a:2 X, b:2 Y and
/// B predicts a:1 X, b:1 X (tables of two columns, as `eval` reads at sentence level).
fn two_systems(dir: &Path) -> (PathBuf, PathBuf, PathBuf, PathBuf) {
    let s = corpus(dir);
    let gold = write(dir, "gold.csv", "sentence_id,label\na:1,X\nb:1,X\nb:2,Y\n");
    let a = write(dir, "a.csv", "sentence_id,label\na:1,X\na:2,X\nb:2,Y\n");
    let b = write(dir, "b.csv", "sentence_id,label\na:1,X\nb:1,X\n");
    (s, gold, a, b)
}

fn json_of(args: &[&str], paths: &[(&str, &Path)]) -> serde_json::Value {
    let mut cmd = sentlab();
    cmd.args(["compare", "-q", "--format", "json"]).args(args);
    for (flag, p) in paths {
        cmd.arg(flag).arg(p);
    }
    serde_json::from_str(&stdout_of(&mut cmd)).unwrap()
}

fn close(v: &serde_json::Value, want: f64) -> bool {
    (v.as_f64().unwrap() - want).abs() < 1e-12
}

#[test]
fn compare_sentence_level_by_hand_with_flips() {
    let dir = tempfile::tempdir().unwrap();
    let (s, gold, a, b) = two_systems(dir.path());
    let flips = dir.path().join("flips.csv");
    let v = json_of(
        &[],
        &[
            ("--sentences", &s),
            ("--gold", &gold),
            ("--pred", &a),
            ("--pred", &b),
            ("--flips", &flips),
        ],
    );
    // X: A tp1 (a:1) fp1 (a:2) fn1 (b:1): F1 0.5; B tp2: F1 1; diff 0.5.
    // Y: A tp1: F1 1; B fn1: F1 0; diff -1.
    // micro: A tp2 fp1 fn1 = 4/6; B tp2 fn1 = 4/5; diff 2/15. macro: A 0.75, B 0.5: -0.25.
    let x = &v["labels"][0];
    let y = &v["labels"][1];
    assert_eq!(
        (x["label"].as_str(), y["label"].as_str()),
        (Some("X"), Some("Y"))
    );
    assert!(
        close(&x["a"]["f1"], 0.5) && close(&x["b"]["f1"], 1.0),
        "{v}"
    );
    assert!(
        close(&x["f1_diff"], 0.5) && close(&y["f1_diff"], -1.0),
        "{v}"
    );
    assert!(y["b"]["precision"].is_null(), "B predicts no Y: 0/0");
    assert!(close(&v["micro"]["f1_diff"], 0.8 - 4.0 / 6.0), "{v}");
    assert!(close(&v["macro"]["f1_diff"], -0.25), "{v}");
    // The swap patterns of the two articles (a, b):
    // Y: only b has Y rows, and both swaps of b give |diff| = 1: every permutation counts,
    //   p = (N + 1) / (N + 1) = 1.
    // micro: none 2/15; swap a: A' tp2 fn1 (0.8), B' tp2 fp1 fn1 (4/6): -2/15; swap b: 2/15;
    //   both: -2/15: all count, p = 1.
    // macro: none -0.25; swap a: (2/3 + 1)/2 vs (0.8 + 0)/2: -0.433; swap b: +0.433; both:
    //   +0.25: all count, p = 1.
    // X: none 0.5; swap a: A' tp1 fn1 (2/3), B' tp2 fp1 (0.8): 0.133; swap b: -0.133;
    //   both -0.5: half the patterns count, p ~ 0.5 (10,000 permutations: sd 0.005).
    assert_eq!(y["p_value"].as_f64(), Some(1.0));
    assert_eq!(v["micro"]["p_value"].as_f64(), Some(1.0));
    assert_eq!(v["macro"]["p_value"].as_f64(), Some(1.0));
    assert!((x["p_value"].as_f64().unwrap() - 0.5).abs() < 0.03, "{v}");
    // X's bootstrap: draws {a,a}: A tp2 fp2 (2/3) vs B 1: 1/3; {a,b}: 0.5; {b,b}: A 0, B 1:
    // 1; the 2.5th and 97.5th percentiles are 1/3 and 1.
    let ci = x["f1_diff_ci"].as_array().unwrap();
    assert!(close(&ci[0], 1.0 / 3.0) && close(&ci[1], 1.0), "{v}");
    assert_eq!(
        (v["bootstrap"]["n"].as_u64(), v["permutations"].as_u64()),
        (Some(1000), Some(10_000))
    );
    // a:2 X: A predicts it, gold has not: A wrong, B right (fixed). b:1 X: gold, only B
    // (fixed). b:2 Y: gold, only A (broken). a:1 X: both right, not listed.
    assert_eq!(
        fs::read_to_string(&flips).unwrap(),
        "sentence_id,label,gold,a,b,change,text\n\
         a:2,X,0,1,0,fixed,Is it true?\n\
         b:1,X,1,0,1,fixed,Calm news.\n\
         b:2,Y,1,1,0,broken,The crooks again.\n"
    );
}

#[test]
fn compare_a_table_with_itself_gives_zero_and_p_one() {
    let dir = tempfile::tempdir().unwrap();
    let (s, gold, a, _) = two_systems(dir.path());
    let csv = stdout_of(
        sentlab()
            .args([
                "compare",
                "-q",
                "--format",
                "csv",
                "--permutations",
                "100",
                "--sentences",
            ])
            .arg(&s)
            .arg("--gold")
            .arg(&gold)
            .arg("--pred")
            .arg(&a)
            .arg("--pred")
            .arg(&a),
    );
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "row,label,precision_a,recall_a,f1_a,precision_b,recall_b,f1_b,f1_diff,f1_diff_lo,f1_diff_hi,p_value"
        )
    );
    // Every row: difference 0, interval [0, 0], p = 1.
    for line in lines {
        assert!(line.ends_with(",0,0,0,1"), "{csv}");
    }
    assert_eq!(csv.lines().count(), 1 + 2 + 2, "{csv}");
}

#[test]
fn compare_is_the_same_for_a_seed_at_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let (s, gold, a, b) = two_systems(dir.path());
    let run = |threads: &str, seed: &str| {
        stdout_of(
            sentlab()
                .args([
                    "compare",
                    "-q",
                    "--format",
                    "csv",
                    "--threads",
                    threads,
                    "--seed",
                    seed,
                ])
                .arg("--sentences")
                .arg(&s)
                .arg("--gold")
                .arg(&gold)
                .arg("--pred")
                .arg(&a)
                .arg("--pred")
                .arg(&b),
        )
    };
    let one = run("1", "5");
    assert_eq!(run("3", "5"), one);
    assert_ne!(run("1", "6"), one, "another seed, other permutations");
}

#[test]
fn compare_at_span_level_ptc_and_strict() {
    let dir = tempfile::tempdir().unwrap();
    let s = corpus(dir.path());
    // Gold: X over "crooks" in a:1 (22..28). A predicts exactly that; B the whole sentence
    // a:1 (13..29).
    write(dir.path(), "ptc/a.labels", "a\tX\t22\t28\n");
    let a = write(
        dir.path(),
        "a.csv",
        "sentence_id,label,rule_id,start,end,match\na:1,X,r,22,28,crooks\n",
    );
    let b = write(
        dir.path(),
        "b.csv",
        "sentence_id,label,rule_id,start,end,match\na:1,X,r,13,29,They are crooks!\n",
    );
    let gold = dir.path().join("ptc");
    let paths = [
        ("--sentences", s.as_path()),
        ("--gold", gold.as_path()),
        ("--pred", a.as_path()),
        ("--pred", b.as_path()),
    ];
    // ptc: B's precision 6/16 = 0.375, recall 1: F1 0.75/1.375 = 6/11; A's F1 1.
    // Only article a has spans; both of its swaps give |diff| 5/11: p = 1.
    let v = json_of(&["--level", "span"], &paths);
    assert_eq!(
        (v["level"].as_str(), v["match"].as_str()),
        (Some("span"), Some("ptc"))
    );
    assert!(close(&v["labels"][0]["f1_diff"], 6.0 / 11.0 - 1.0), "{v}");
    assert_eq!(v["labels"][0]["p_value"].as_f64(), Some(1.0));
    // strict: B's span has other boundaries: one incorrect pair, F1 0; diff -1.
    let v = json_of(&["--level", "span", "--match", "strict"], &paths);
    assert_eq!(v["match"].as_str(), Some("strict"));
    assert!(close(&v["labels"][0]["f1_diff"], -1.0), "{v}");
    assert!(close(&v["micro"]["f1_diff"], -1.0), "{v}");
    // Flips are listed at sentence level only: a usage error, not silence.
    refused_in(
        dir.path(),
        &[
            "compare",
            "--level",
            "span",
            "--sentences",
            "s.csv",
            "--gold",
            "ptc",
            "--pred",
            "a.csv",
            "--pred",
            "b.csv",
            "--flips",
            "f.csv",
        ],
        "--flips lists (sentence, label) pairs at sentence level",
    );
}

#[test]
fn compare_refuses_bad_flags_and_counts_unknown_sentences() {
    let dir = tempfile::tempdir().unwrap();
    let (_s, _gold, _a, _b) = two_systems(dir.path());
    let base = [
        "compare",
        "--sentences",
        "s.csv",
        "--gold",
        "gold.csv",
        "--pred",
        "a.csv",
    ];
    let with = |extra: &[&'static str]| -> Vec<&'static str> {
        base.iter().chain(extra).copied().collect()
    };
    refused_in(dir.path(), &with(&[]), "give exactly two prediction tables");
    refused_in(
        dir.path(),
        &with(&["--pred", "b.csv", "--permutations", "99"]),
        "--permutations 99: expected 100 to 1000000",
    );
    refused_in(
        dir.path(),
        &with(&["--pred", "b.csv", "--bootstrap", "99"]),
        "--bootstrap 99: expected 100 to 100000",
    );
    refused_in(
        dir.path(),
        &with(&["--pred", "b.csv", "--match", "strict"]),
        "it needs --level span",
    );
    // An output that is an input is refused by the path guard.
    refused_in(
        dir.path(),
        &with(&["--pred", "b.csv", "-o", "a.csv"]),
        "would destroy the input",
    );
    refused_in(
        dir.path(),
        &with(&["--pred", "b.csv", "--flips", "gold.csv"]),
        "would destroy the input",
    );
    // A missing table: an error naming it, no output written.
    sentlab()
        .current_dir(dir.path())
        .args(with(&["--pred", "missing.csv", "-o", "out.csv"]))
        .assert()
        .failure()
        .stderr(predicate::str::contains("missing.csv"));
    assert!(!dir.path().join("out.csv").exists());
    // Rows naming sentences outside the table are skipped and counted per table, as eval
    // counts them.
    write(
        dir.path(),
        "c.csv",
        "sentence_id,label\na:1,X\nzz:9,X\nzz:8,Y\n",
    );
    sentlab()
        .current_dir(dir.path())
        .args(with(&[
            "--pred",
            "c.csv",
            "--permutations",
            "100",
            "--bootstrap",
            "100",
        ]))
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "compare: c.csv: 2 prediction rows outside the sentence table (skipped)",
        ))
        .stderr(predicate::str::contains("zz:9"));
}

#[test]
fn compare_row_formats_keep_numbers_as_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let (s, gold, a, b) = two_systems(dir.path());
    let out = dir.path().join("r.jsonl");
    sentlab()
        .args(["compare", "-q", "--permutations", "100", "--sentences"])
        .arg(&s)
        .arg("--gold")
        .arg(&gold)
        .arg("--pred")
        .arg(&a)
        .arg("--pred")
        .arg(&b)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let text = fs::read_to_string(&out).unwrap();
    let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    // X: A's F1 0.5, B's 1, difference 0.5 (see compare_sentence_level_by_hand_with_flips).
    assert_eq!(first["label"].as_str(), Some("X"));
    for (column, want) in [("f1_a", 0.5), ("f1_b", 1.0), ("f1_diff", 0.5)] {
        assert_eq!(first[column].as_f64(), Some(want), "{column}: {text}");
    }
    assert!(
        first["p_value"].is_f64() && first["f1_diff_lo"].is_f64(),
        "{text}"
    );
}
