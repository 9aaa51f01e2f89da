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
    let bytes = good_parquet_bytes();
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

// --to label-studio|doccano|ptc: predictions as pre-annotations, one task per article.

/// Articles and predictions for `export --to`: article `a1` is "I 😀 you. Liar!" (JSON
/// Lines, no title), `b2` has no prediction. By hand, in code points: I 0, space 1, 😀 2,
/// space 3, "you." 4..8, space 8, "Liar" 9..13, "!" 13 (14 in all). In UTF-16 the emoji
/// (U+1F600, outside the Basic Multilingual Plane) is two units (2..4), so everything after
/// it is one more: "Liar" 10..14. The label needs escaping in JSON (`"`) and XML (`<"&'>`).
/// Rows: the "Liar" span twice (two rules: written once), the emoji, an unknown article, a
/// span past the end of `a1` (15 > 14).
fn preannotation_fixture(d: &std::path::Path) {
    write(
        d,
        "arts.jsonl",
        "{\"id\": \"a1\", \"text\": \"I \u{1F600} you. Liar!\"}\n{\"id\": \"b2\", \"text\": \"Calm.\"}\n",
    );
    write(
        d,
        "p.csv",
        "sentence_id,label,rule_id,start,end,match\n\
         a1:1,\"Name,<\"\"&'>\",r1,9,13,Liar\n\
         a1:1,\"Name,<\"\"&'>\",r2,9,13,Liar\n\
         a1:0,Emo,r3,2,3,\u{1F600}\n\
         zz:0,X,r4,0,1,x\n\
         a1:1,X,r5,9,15,Liar!\n",
    );
}

const LS_EXPECTED_CP: &str = "[\n\
{\"data\":{\"text\":\"I \u{1F600} you. Liar!\",\"article_id\":\"a1\"},\"predictions\":[{\"model_version\":\"propaganda\",\"result\":[\
{\"id\":\"s1\",\"from_name\":\"tech\",\"to_name\":\"body\",\"type\":\"labels\",\"value\":{\"start\":2,\"end\":3,\"text\":\"\u{1F600}\",\"labels\":[\"Emo\"]}},\
{\"id\":\"s2\",\"from_name\":\"tech\",\"to_name\":\"body\",\"type\":\"labels\",\"value\":{\"start\":9,\"end\":13,\"text\":\"Liar\",\"labels\":[\"Name,<\\\"&'>\"]}}]}]},\n\
{\"data\":{\"text\":\"Calm.\",\"article_id\":\"b2\"},\"predictions\":[{\"model_version\":\"propaganda\",\"result\":[]}]}\n\
]\n";

#[test]
fn export_to_label_studio_offsets_by_hand_in_both_units_and_config() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    preannotation_fixture(d);
    let base = [
        "export",
        "--to",
        "label-studio",
        "--pred",
        "p.csv",
        "--articles",
        "arts.jsonl",
    ];
    let out = sentlab()
        .current_dir(d)
        .args(base)
        .args(["-o", "cp.json", "--from-name", "tech", "--to-name", "body"])
        .args(["--model-version", "propaganda"])
        .assert()
        .success();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    // Row 4 (zz) and row 5 (past the end) are left out and counted; row 2 repeats row 1.
    assert!(
        stderr.contains(
            "p.csv: 2 prediction row(s) left out: 1 span past the article end, 1 unknown article (first: p.csv: data row 4)"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("export: 2 articles, 2 spans (code-point offsets; 1 row(s) repeating a span written once) -> cp.json, labeling config -> cp.xml"),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(d.join("cp.json")).unwrap(),
        LS_EXPECTED_CP
    );
    // The config: labels sorted, attribute values escaped.
    assert_eq!(
        fs::read_to_string(d.join("cp.xml")).unwrap(),
        "<View>\n  <Labels name=\"tech\" toName=\"body\">\n    <Label value=\"Emo\"/>\n    \
         <Label value=\"Name,&lt;&quot;&amp;&apos;&gt;\"/>\n  </Labels>\n  \
         <Text name=\"body\" value=\"$text\"/>\n</View>\n"
    );
    // UTF-16: the emoji 2..4, "Liar" 10..14; the pack name from --rules (its file stem),
    // the default names `label` and `text`, the config where --config-out says.
    // A config that cannot be created (no such directory): no tasks file either.
    sentlab()
        .current_dir(d)
        .args(base)
        .args(["-o", "u16.json", "--config-out", "conf/ls.xml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "conf/ls.xml: cannot create output file",
        ));
    assert!(!d.join("u16.json").exists());
    fs::create_dir(d.join("conf")).unwrap();
    sentlab()
        .current_dir(d)
        .args(base)
        .args(["-o", "u16.json", "--offsets", "utf16", "-q"])
        .args(["--rules", "propaganda.toml", "--config-out", "conf/ls.xml"])
        .assert()
        .success();
    let expected = LS_EXPECTED_CP
        .replace("\"start\":2,\"end\":3", "\"start\":2,\"end\":4")
        .replace("\"start\":9,\"end\":13", "\"start\":10,\"end\":14")
        .replace(
            "\"from_name\":\"tech\",\"to_name\":\"body\"",
            "\"from_name\":\"label\",\"to_name\":\"text\"",
        );
    assert_eq!(fs::read_to_string(d.join("u16.json")).unwrap(), expected);
    assert!(
        fs::read_to_string(d.join("conf/ls.xml"))
            .unwrap()
            .contains("<Labels name=\"label\" toName=\"text\">")
    );
    assert!(!d.join("u16.xml").exists());
}

#[test]
fn export_to_doccano_offsets_by_hand_in_both_units() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    preannotation_fixture(d);
    let base = [
        "export",
        "--to",
        "doccano",
        "--pred",
        "p.csv",
        "--articles",
        "arts.jsonl",
        "-q",
    ];
    // Default: UTF-16 units (the emoji 2..4, "Liar" 10..14).
    sentlab()
        .current_dir(d)
        .args(base)
        .args(["-o", "d.jsonl"])
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(d.join("d.jsonl")).unwrap(),
        "{\"text\":\"I \u{1F600} you. Liar!\",\"label\":[[2,4,\"Emo\"],[10,14,\"Name,<\\\"&'>\"]],\"article_id\":\"a1\"}\n\
         {\"text\":\"Calm.\",\"label\":[],\"article_id\":\"b2\"}\n"
    );
    sentlab()
        .current_dir(d)
        .args(base)
        .args(["-o", "cp.jsonl", "--offsets", "codepoint"])
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(d.join("cp.jsonl")).unwrap(),
        "{\"text\":\"I \u{1F600} you. Liar!\",\"label\":[[2,3,\"Emo\"],[9,13,\"Name,<\\\"&'>\"]],\"article_id\":\"a1\"}\n\
         {\"text\":\"Calm.\",\"label\":[],\"article_id\":\"b2\"}\n"
    );
}

#[test]
fn export_to_ptc_span_files_read_back_by_labels_merge() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    preannotation_fixture(d);
    // A text article too: `article111.txt` is article 111 (title "T", body from 3), its
    // span file PTC's `article111.labels`. "Liar" is 3..7.
    write(d, "txt/article111.txt", "T\n\nLiar.\n");
    write(
        d,
        "p2.csv",
        "sentence_id,label,rule_id,start,end,match\n111:1,Doubt,r,3,7,Liar\n",
    );
    sentlab()
        .current_dir(d)
        .args([
            "export",
            "-q",
            "--to",
            "ptc",
            "--pred",
            "p.csv",
            "--articles",
            "arts.jsonl",
        ])
        .args(["-o", "spans"])
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(d.join("spans/a1.labels")).unwrap(),
        "a1\tEmo\t2\t3\na1\tName,<\"&'>\t9\t13\n"
    );
    assert_eq!(fs::read_to_string(d.join("spans/b2.labels")).unwrap(), "");
    sentlab()
        .current_dir(d)
        .args([
            "export",
            "-q",
            "--to",
            "ptc",
            "--pred",
            "p2.csv",
            "--articles",
            "txt",
        ])
        .args(["-o", "spans111"])
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(d.join("spans111/article111.labels")).unwrap(),
        "111\tDoubt\t3\t7\n"
    );
    // Read back by the span reader: a1's sentences are "I 😀 you." (0..8) and "Liar!"
    // (9..14), so the emoji labels a1:0 and the name a1:1; b2's empty file says b2 was seen.
    sentlab()
        .current_dir(d)
        .args(["split", "-q", "arts.jsonl", "-o", "s.csv"])
        .assert()
        .success();
    sentlab()
        .current_dir(d)
        .args([
            "labels",
            "merge",
            "-q",
            "--sentences",
            "s.csv",
            "spans",
            "-o",
            "g.csv",
        ])
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(d.join("g.csv")).unwrap(),
        "sentence_id,label,votes,annotators\na1:0,Emo,1,spans\na1:1,\"Name,<\"\"&'>\",1,spans\n"
    );
    // The directory must be new or empty; PTC counts code points only.
    sentlab()
        .current_dir(d)
        .args([
            "export",
            "--to",
            "ptc",
            "--pred",
            "p.csv",
            "--articles",
            "arts.jsonl",
        ])
        .args(["-o", "spans"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "spans: output directory holds files",
        ));
    refused_in(
        d,
        &[
            "export",
            "--to",
            "ptc",
            "--pred",
            "p.csv",
            "--articles",
            "arts.jsonl",
            "-o",
            "new",
            "--offsets",
            "utf16",
        ],
        "PTC span files count code points",
    );
}

#[test]
fn export_to_strict_refusals_and_inputs_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    preannotation_fixture(d);
    // --strict: the two rows left out are an error, and nothing is written.
    sentlab()
        .current_dir(d)
        .args(["export", "--to", "doccano", "--pred", "p.csv", "--articles", "arts.jsonl"])
        .args(["-o", "d.jsonl", "--strict"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "p.csv: 2 prediction row(s) left out (1 span past the article end, 1 unknown article (first: p.csv: data row 4)); --strict makes this an error",
        ));
    assert!(!d.join("d.jsonl").exists());
    let to = [
        "export",
        "--to",
        "label-studio",
        "--pred",
        "p.csv",
        "--articles",
        "arts.jsonl",
    ];
    let with =
        |extra: &[&'static str]| -> Vec<&'static str> { to.iter().chain(extra).copied().collect() };
    refused_in(
        d,
        &with(&["-o", "p.csv"]),
        "writing it would destroy the input",
    );
    refused_in(
        d,
        &with(&["-o", "arts.jsonl"]),
        "writing it would destroy the input",
    );
    // The config beside the output would be an input.
    write(d, "p.xml", "");
    refused_in(
        d,
        &with(&["-o", "p.json", "--config-out", "p.csv"]),
        "would destroy the input",
    );
    refused_in(
        d,
        &[
            "export",
            "--to",
            "doccano",
            "--pred",
            "p.csv",
            "--articles",
            "arts.jsonl",
            "-o",
            "x.jsonl",
            "--from-name",
            "x",
        ],
        "--from-name is for --to label-studio",
    );
    refused_in(
        d,
        &with(&["-o", "x.json", "--from-name", "t", "--to-name", "t"]),
        "need different names",
    );
    refused_in(
        d,
        &["export", "--to", "doccano", "-o", "x.jsonl"],
        "--to needs --pred FILE",
    );
    refused_in(
        d,
        &["export", "p.csv", "-o", "x.json", "--to", "doccano"],
        "cannot be used with",
    );
}

// Pre-annotations out, annotations back in: `export --to` then `labels merge`.

/// The fixture's predictions, exported for each tool in each unit, accepted by an
/// annotator as they are, and imported again by `labels merge` (offset unit detected)
/// give back the same spans, in code points: the emoji 2..3 and "Liar" 9..13 of `a1`
/// (see `preannotation_fixture`; the unknown article and the span past the end are left
/// out by the export), and `b2` seen without spans.
#[test]
fn pre_annotations_exported_and_accepted_come_back_as_the_same_spans() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    preannotation_fixture(d);
    sentlab()
        .current_dir(d)
        .args(["split", "-q", "arts.jsonl", "-o", "s.csv"])
        .assert()
        .success();
    let expected = "article_id,label,start,end\na1,Emo,2,3\na1,\"Name,<\"\"&'>\",9,13\n";
    for (tool, unit, file) in [
        ("label-studio", "codepoint", "ls-cp.json"),
        ("label-studio", "utf16", "ls-u16.json"),
        ("doccano", "codepoint", "dc-cp.jsonl"),
        ("doccano", "utf16", "dc-u16.jsonl"),
    ] {
        let exported = format!("out-{file}");
        sentlab()
            .current_dir(d)
            .args(["export", "-q", "--to", tool, "--pred", "p.csv"])
            .args([
                "--articles",
                "arts.jsonl",
                "--offsets",
                unit,
                "-o",
                &exported,
            ])
            .assert()
            .success();
        let text = fs::read_to_string(d.join(&exported)).unwrap();
        // What the annotator returns: Label Studio exports the accepted prediction as the
        // annotation of user 1; doccano exports the member's file as it was imported.
        let accepted = if tool == "label-studio" {
            let mut tasks: serde_json::Value = serde_json::from_str(&text).unwrap();
            for task in tasks.as_array_mut().unwrap() {
                let result = task["predictions"][0]["result"].clone();
                task["annotations"] = serde_json::json!([{"completed_by": 1, "result": result}]);
                task.as_object_mut().unwrap().remove("predictions");
            }
            serde_json::to_string_pretty(&tasks).unwrap()
        } else {
            text
        };
        write(d, file, &accepted);
        let spans = format!("spans-{file}.csv");
        let out = sentlab()
            .current_dir(d)
            .args(["labels", "merge", "--sentences", "s.csv", file])
            .args(["-o", "gold.csv", "--spans-out", &spans])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{tool} {unit}: {stderr}");
        assert_eq!(
            fs::read_to_string(d.join(&spans)).unwrap(),
            expected,
            "{tool} {unit}: {stderr}"
        );
        // A unit other than code points is said on stderr.
        assert_eq!(
            stderr.contains("read as UTF-16 code units"),
            unit == "utf16",
            "{tool} {unit}: {stderr}"
        );
    }
}

// Damaged Parquet bytes read in-process, with the check in a child process of the binary.

/// The Parquet file of `a_damaged_parquet_or_arrow_file_is_an_error_never_a_panic`, with
/// the abort check of the library pointed at the built binary.
fn parquet_bytes_with_the_check_on() -> Vec<u8> {
    sentlab::tables::parquet_probe::enable_with(env!("CARGO_BIN_EXE_sentlab").into());
    static BYTES: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BYTES.get_or_init(good_parquet_bytes).clone()
}

fn good_parquet_bytes() -> Vec<u8> {
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
    let good = d.join("s.parquet");
    sentlab()
        .args(["export", "-q"])
        .arg(&s)
        .arg("-o")
        .arg(&good)
        .assert()
        .success();
    fs::read(&good).unwrap()
}

fn read_in_process(bytes: Vec<u8>) -> Result<String, String> {
    let input = sentlab::tables::input::Input {
        name: "t.parquet".to_string(),
        format: sentlab::tables::Format::Parquet,
        bytes,
    };
    sentlab::tables::frame::columnar_csv_text(input).map_err(|e| e.to_string())
}

#[test]
fn a_parquet_page_claiming_an_impossible_size_is_an_error_in_process_too() {
    let bytes = parquet_bytes_with_the_check_on();
    assert!(
        read_in_process(bytes.clone())
            .unwrap()
            .contains("They are crooks!")
    );
    // Byte 468 set to 9 made the reader abort this test process (see
    // `a_parquet_page_claiming_an_impossible_size_is_an_error_not_an_abort`).
    let mut b = bytes;
    b[468] = 9;
    assert_eq!(
        read_in_process(b).unwrap_err(),
        "t.parquet: cannot read table: the Parquet data is damaged: a data page claims more \
         values than any file can hold"
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]

    /// Random byte edits (insert, remove, replace) of a valid Parquet table give a table or
    /// an error naming the input, never a panic or an abort.
    #[test]
    fn edited_parquet_bytes_are_a_table_or_an_error(
        edits in proptest::collection::vec(
            (0usize..4000, proptest::prelude::any::<u8>(), 0u8..3),
            1..4,
        ),
    ) {
        let mut bytes = parquet_bytes_with_the_check_on();
        for (at, b, op) in edits {
            let at = at % (bytes.len() + 1);
            match op {
                0 => bytes.insert(at, b),
                1 if at < bytes.len() => {
                    bytes.remove(at);
                }
                _ if at < bytes.len() => bytes[at] = b,
                _ => {}
            }
        }
        if let Err(e) = read_in_process(bytes) {
            proptest::prop_assert!(e.starts_with("t.parquet: "), "{e}");
        }
    }
}
