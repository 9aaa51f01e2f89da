//! `sentlab export`: any table to any format.

use std::fs;

use predicates::prelude::*;

use crate::common::*;

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
