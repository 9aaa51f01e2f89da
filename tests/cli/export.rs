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

#[test]
fn a_damaged_parquet_or_arrow_file_is_an_error_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = write(
        d,
        "s.csv",
        "article_id,sentence_id,index,paragraph,kind,start,end,text\n\
         a,a:0,0,0,title,0,11,Alpha title\n\
         a,a:1,1,1,body,13,29,They are crooks!\n\
         a,a:2,2,1,body,30,41,\"Is it \"\"true\"\"?\"\n",
    );
    // Bytes set to 9 one at a time, and the file cut in half: each read is a table or an
    // error naming the file. Polars itself panicked (exit 101) on some of these: in the
    // Parquet file of this table, bytes 516 and 667 (inside data pages) set to 9 gave
    // "too many items requested from CSV serializer". The last 120 bytes (the footer and
    // schema) are damaged byte by byte. (Some other Parquet data-page bytes, such as
    // 468, made polars abort on an impossible allocation: see
    // `a_parquet_page_claiming_an_impossible_size_is_an_error_not_an_abort`.)
    for (ext, positions) in [("parquet", vec![516, 667]), ("arrow", vec![])] {
        let good = d.join(format!("s.{ext}"));
        sentlab()
            .args(["export", "-q"])
            .arg(&s)
            .arg("-o")
            .arg(&good)
            .assert()
            .success();
        let bytes = fs::read(&good).unwrap();
        let tail = bytes.len().saturating_sub(120)..bytes.len();
        let mut damaged: Vec<Vec<u8>> = positions
            .into_iter()
            .chain(tail)
            .filter(|&i| i < bytes.len())
            .map(|i| {
                let mut b = bytes.clone();
                b[i] = 9;
                b
            })
            .collect();
        damaged.push(bytes[..bytes.len() / 2].to_vec());
        for (i, b) in damaged.iter().enumerate() {
            let bad = write(d, &format!("bad.{ext}"), b);
            let out = sentlab()
                .args(["export"])
                .arg(&bad)
                .arg("-o")
                .arg(d.join("out.csv"))
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.code() == Some(0)
                    || (out.status.code() == Some(1) && stderr.contains(&format!("bad.{ext}"))),
                "{ext} damaged at {i}: exit {:?}: {stderr}",
                out.status.code()
            );
            assert!(
                !stderr.contains("panicked"),
                "{ext} damaged at {i}: {stderr}"
            );
        }
    }
}

// --excel-safe: formula-like text cells get a quote in CSV only.

#[test]
fn export_excel_safe_quotes_tab_and_cr_too_leaves_numbers_and_is_for_csv_only() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // `start` is an integer column and `precision` a fraction column of sentlab's tables:
    // their negative values are numbers, not formulas.
    write(
        d,
        "t.csv",
        "sentence_id,label,start,precision,text\n\
         a:0,=L,-3,-0.015,+x2\n\
         a:1,@L,4,0.5,\"\tx5\"\n\
         a:2,-L,8,1,\"\rx6\"\n",
    );
    sentlab()
        .current_dir(d)
        .args(["export", "-q", "--excel-safe", "t.csv", "-o", "safe.csv"])
        .assert()
        .success();
    let safe = fs::read_to_string(d.join("safe.csv")).unwrap();
    let lines: Vec<&str> = safe.split('\n').collect();
    assert_eq!(lines[0], "sentence_id,label,start,precision,text");
    assert_eq!(lines[1], "a:0,'=L,-3,-0.015,'+x2");
    assert_eq!(lines[2], "a:1,'@L,4,0.5,'\tx5");
    // The CR cell is quoted for CSV (a CR inside it), then the quote for spreadsheets; the
    // fraction 1 is written as polars writes floats, `1.0`.
    assert!(safe.contains("a:2,'-L,8,1.0,\"'\rx6\"\n"), "{safe:?}");
    excel_safe_is_for_csv_only(
        d,
        &["export", "t.csv"],
        "-o",
        &["=L", "@L", "-L", "+x2", "\\tx5", "\\rx6"],
        false,
    );
}

// A Parquet data page that claims an impossible number of values.

#[test]
fn a_parquet_page_claiming_an_impossible_size_is_an_error_not_an_abort() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // The table of `a_damaged_parquet_or_arrow_file_is_an_error_never_a_panic`.
    let s = write(
        d,
        "s.csv",
        "article_id,sentence_id,index,paragraph,kind,start,end,text\n\
         a,a:0,0,0,title,0,11,Alpha title\n\
         a,a:1,1,1,body,13,29,They are crooks!\n\
         a,a:2,2,1,body,30,41,\"Is it \"\"true\"\"?\"\n",
    );
    let good = d.join("s.parquet");
    sentlab()
        .args(["export", "-q"])
        .arg(&s)
        .arg("-o")
        .arg(&good)
        .assert()
        .success();
    let bytes = fs::read(&good).unwrap();
    // In this file (2,977 bytes), setting any of these bytes to 9 made the Parquet reader
    // ask for an allocation of about 2^61 bytes and the process abort (exit 134, found by
    // setting each byte to 9 in turn): the first byte of a data page's level data.
    let mut caught = 0;
    for i in [39, 170, 314, 468, 626, 768, 926, 1114] {
        let mut b = bytes.clone();
        b[i] = 9;
        let bad = write(d, "bad.parquet", &b);
        for args in [vec!["export"], vec!["stats"], vec!["extract", "--rules"]] {
            let mut cmd = sentlab();
            cmd.args(&args);
            if args[0] == "extract" {
                cmd.arg(write(
                    d,
                    "r.toml",
                    "[[rule]]\nid = \"r\"\nlabel = \"X\"\nlexicon = { words = [\"crooks\"] }\n",
                ));
            }
            let out_name = if args[0] == "stats" {
                "out.txt"
            } else {
                "out.csv"
            };
            let out = cmd
                .arg(&bad)
                .arg("-o")
                .arg(d.join(out_name))
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "byte {i}, {args:?}: {stderr}");
            assert!(stderr.contains("bad.parquet"), "byte {i}: {stderr}");
            assert!(!d.join(out_name).exists(), "byte {i}: half-written output");
            if stderr.contains("a data page claims more values than any file can hold") {
                caught += 1;
            }
        }
    }
    // If a new Parquet writer lays the file out differently, these bytes may no longer
    // reach the page sizes: the test must then be updated, not pass without checking.
    assert!(
        caught >= 3 * 6,
        "only {caught} of 24 runs hit the damaged page size"
    );
}
