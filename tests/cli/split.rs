//! `sentlab split` end to end: articles to the sentence table.

use std::fs;

use predicates::prelude::*;

use crate::common::*;

#[test]
fn splits_a_directory_into_the_sentence_table() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "in/article42.txt",
        "A “quoted” title\n\nFirst line.\nSecond line.\n\nNew paragraph.\n",
    );
    write(dir.path(), "in/sub/b.txt", "Title B\n\nOnly one.");
    write(dir.path(), "in/notes.md", "ignored");
    let out = sentlab()
        .args(["split", "--quiet"])
        .arg(dir.path().join("in"))
        .assert()
        .success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    // Offsets checked by hand: “ and ” are one code point each; "A “quoted” title" is 16
    // chars, then "\n\n" (16, 17), "First line." is 18..29, "\n", "Second line." 30..42,
    // "\n\n", "New paragraph." 44..58.
    assert_eq!(
        stdout,
        "article_id,sentence_id,index,paragraph,kind,start,end,text\n\
         42,42:0,0,0,title,0,16,A “quoted” title\n\
         42,42:1,1,1,body,18,29,First line.\n\
         42,42:2,2,1,body,30,42,Second line.\n\
         42,42:3,3,2,body,44,58,New paragraph.\n\
         b,b:0,0,0,title,0,7,Title B\n\
         b,b:1,1,1,body,9,18,Only one.\n"
    );
    assert!(out.get_output().stderr.is_empty(), "--quiet prints nothing");
}

#[test]
fn summary_goes_to_stderr_and_data_to_the_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.txt", "T\n\nOne. Two.");
    let out = dir.path().join("s.csv");
    sentlab()
        .arg("split")
        .arg(&a)
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains(
            "split: 1 articles (0 empty), 3 sentences",
        ));
    assert_eq!(fs::read_to_string(&out).unwrap().lines().count(), 4);
}

#[test]
fn no_title_and_join_lines() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(
        dir.path(),
        "a.txt",
        "This line is\nhard wrapped. Next one.\n",
    );
    let out = sentlab()
        .args(["split", "-q", "--no-title", "--join-lines"])
        .arg(&a)
        .assert()
        .success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert_eq!(
        stdout,
        "article_id,sentence_id,index,paragraph,kind,start,end,text\n\
         a,a:0,0,0,body,0,26,\"This line is\nhard wrapped.\"\n\
         a,a:1,1,0,body,27,36,Next one.\n"
    );
}

#[test]
fn jsonl_and_csv_inputs_with_field_overrides() {
    let dir = tempfile::tempdir().unwrap();
    let j = write(
        dir.path(),
        "a.jsonl",
        "{\"doc\": 1, \"headline\": \"Head\", \"body\": \"Body one.\"}\n",
    );
    let c = write(dir.path(), "b.csv", "doc,body\nx,\"Just, body.\"\n");
    let out = sentlab()
        .args([
            "split",
            "-q",
            "--id-field",
            "doc",
            "--title-field",
            "headline",
            "--text-field",
            "body",
        ])
        .arg(&j)
        .arg(&c)
        .assert()
        .success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    // The JSONL article's text is "Head\n\nBody one." (title, blank line, body).
    assert_eq!(
        stdout,
        "article_id,sentence_id,index,paragraph,kind,start,end,text\n\
         1,1:0,0,0,title,0,4,Head\n\
         1,1:1,1,1,body,6,15,Body one.\n\
         x,x:0,0,0,body,0,11,\"Just, body.\"\n"
    );
}

#[test]
fn stdin_is_read_with_dash() {
    sentlab()
        .args(["split", "-q", "-"])
        .write_stdin("Title\n\nBody.")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "stdin,stdin:1,1,1,body,7,12,Body.",
        ));
}

#[test]
fn output_formats_jsonl_and_parquet() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.txt", "T\n\nOne.");
    let out = sentlab()
        .args(["split", "-q", "--format", "jsonl"])
        .arg(&a)
        .assert()
        .success();
    assert_eq!(
        String::from_utf8(out.get_output().stdout.clone()).unwrap(),
        "{\"article_id\":\"a\",\"sentence_id\":\"a:0\",\"index\":0,\"paragraph\":0,\"kind\":\"title\",\"start\":0,\"end\":1,\"text\":\"T\"}\n\
         {\"article_id\":\"a\",\"sentence_id\":\"a:1\",\"index\":1,\"paragraph\":1,\"kind\":\"body\",\"start\":3,\"end\":7,\"text\":\"One.\"}\n"
    );
    let pq = dir.path().join("s.parquet");
    sentlab()
        .args(["split", "-q"])
        .arg(&a)
        .arg("-o")
        .arg(&pq)
        .assert()
        .success();
    let bytes = fs::read(&pq).unwrap();
    assert_eq!(&bytes[..4], b"PAR1", "extension selects Parquet");
}

#[test]
fn same_bytes_for_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..40 {
        let body: String = (0..50)
            .map(|j| format!("Sentence {j} of article {i} is here. Dr. Who said \"yes?\" "))
            .collect();
        write(
            dir.path(),
            &format!("in/{i:03}.txt"),
            format!("Title {i}\n\n{body}\n\nEnd.\n"),
        );
    }
    let run = |threads: &str| {
        sentlab()
            .args(["split", "-q", "--threads", threads])
            .arg(dir.path().join("in"))
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let one = run("1");
    assert!(one.len() > 100_000);
    assert_eq!(one, run("2"));
    assert_eq!(one, run("4"));
}

#[test]
fn nonexistent_path_is_an_error_naming_it() {
    sentlab()
        .args(["split", "does/not/exist.txt"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(
            "does/not/exist.txt: cannot read input",
        ));
}

#[test]
fn unreadable_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    // A dangling symlink cannot be read by anyone (root included).
    let link = dir.path().join("gone.txt");
    std::os::unix::fs::symlink(dir.path().join("missing-target"), &link).unwrap();
    sentlab()
        .arg("split")
        .arg(&link)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("gone.txt: cannot read input"));
}

#[test]
fn directory_without_txt_files_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "x/readme.md", "no");
    sentlab()
        .arg("split")
        .arg(dir.path().join("x"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("directory holds no .txt files"));
}

#[test]
fn invalid_utf8_names_file_and_byte_and_lossy_replaces() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "bad.txt", b"Title\n\nCaf\xE9 open.".as_slice());
    let out = dir.path().join("s.csv");
    sentlab()
        .arg("split")
        .arg(&a)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "bad.txt: invalid UTF-8 at byte 10",
        ));
    assert!(!out.exists(), "no partial output");
    sentlab()
        .args(["split", "--lossy"])
        .arg(&a)
        .assert()
        .success()
        .stdout(predicate::str::contains("Caf\u{FFFD} open."))
        .stderr(predicate::str::contains(
            "replaced 1 invalid UTF-8 sequence(s)",
        ));
}

#[test]
fn empty_article_warns_and_has_no_rows() {
    let dir = tempfile::tempdir().unwrap();
    let e = write(dir.path(), "empty.txt", "  \n\n");
    sentlab()
        .arg("split")
        .arg(&e)
        .assert()
        .success()
        .stdout("article_id,sentence_id,index,paragraph,kind,start,end,text\n")
        .stderr(predicate::str::contains("empty.txt: empty article"));
}

#[test]
fn bom_counts_and_crlf_offsets_match() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(
        dir.path(),
        "a.txt",
        b"\xEF\xBB\xBFTitle\r\n\r\nOne.\r\nTwo.\r\n".as_slice(),
    );
    let out = sentlab().args(["split", "-q"]).arg(&a).assert().success();
    // The BOM is character 0 and "\r\n" counts as two: Title is 1..6, "\r\n\r\n" 6..10,
    // One. 10..14, "\r\n" 14..16, Two. 16..20.
    assert_eq!(
        String::from_utf8(out.get_output().stdout.clone()).unwrap(),
        "article_id,sentence_id,index,paragraph,kind,start,end,text\n\
         a,a:0,0,0,title,1,6,Title\n\
         a,a:1,1,1,body,10,14,One.\n\
         a,a:2,2,1,body,16,20,Two.\n"
    );
}

#[test]
fn duplicate_article_ids_name_both_paths() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "x/article7.txt", "T\n\nA.");
    let b = write(dir.path(), "y/article7.txt", "T\n\nB.");
    let out = dir.path().join("s.csv");
    sentlab()
        .arg("split")
        .arg(&a)
        .arg(&b)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("duplicate article id `7`")
                .and(predicate::str::contains("x/article7.txt"))
                .and(predicate::str::contains("y/article7.txt")),
        );
    assert!(!out.exists());
}

#[test]
fn malformed_jsonl_and_csv_name_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let j = write(
        dir.path(),
        "a.jsonl",
        "{\"id\": 1, \"text\": \"ok\"}\n{\"id\": 2, \"text\": \n",
    );
    sentlab()
        .arg("split")
        .arg(&j)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "a.jsonl:2: expected a JSON object",
        ));
    let c = write(dir.path(), "b.csv", "id,text\n1,ok\n2,\"x\",extra\n");
    sentlab()
        .arg("split")
        .arg(&c)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "b.csv:3: expected 2 fields, found 3",
        ));
    let m = write(dir.path(), "c.csv", "id,body\n1,ok\n");
    sentlab().arg("split").arg(&m).assert().code(1).stderr(
        predicate::str::contains("expected columns `id` and `text`")
            .and(predicate::str::contains("found: id, body")),
    );
}

#[test]
fn usage_errors_exit_2() {
    sentlab().arg("split").assert().code(2);
    sentlab()
        .args(["split", "--format", "xlsx", "a.txt"])
        .assert()
        .code(2);
    sentlab()
        .args(["split", "--threads", "0", "a.txt"])
        .assert()
        .code(2);
    // A huge pool could not start; it is a usage error, not a crash.
    sentlab()
        .args(["split", "--threads", "100000", "a.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--threads 100000: expected 1 to 1024",
        ));
}

#[test]
fn a_bom_is_character_zero_of_a_text_article() {
    let dir = tempfile::tempdir().unwrap();
    // Offsets as Python's `open(path, encoding="utf-8", newline="").read()` counts them (PTC
    // does; `newline=""` keeps "\r\n" two characters), by hand. a.txt: BOM 0, "Title" 1..6,
    // "\r\n\r\n" 6..10, "One." 10..14, " " 14, "Two." 15..19. b.txt (BOM on a line of its
    // own): BOM 0, "\n" 1, "Head" 2..6, "\n\n" 6..8, "Body." 8..13.
    let a = write(
        dir.path(),
        "a.txt",
        b"\xEF\xBB\xBFTitle\r\n\r\nOne. Two.\r\n",
    );
    let b = write(dir.path(), "b.txt", b"\xEF\xBB\xBF\nHead\n\nBody.\n");
    let out = sentlab()
        .args(["split", "-q"])
        .arg(&a)
        .arg(&b)
        .assert()
        .success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert_eq!(
        stdout,
        "article_id,sentence_id,index,paragraph,kind,start,end,text\n\
         a,a:0,0,0,title,1,6,Title\n\
         a,a:1,1,1,body,10,14,One.\n\
         a,a:2,2,1,body,15,19,Two.\n\
         b,b:0,0,0,title,2,6,Head\n\
         b,b:1,1,1,body,8,13,Body.\n"
    );
    // --lossy counts the BOM the same way: BOM 0, "Title" 1..6, "\n\n" 6..8, then
    // "B\u{FFFD}d." 8..12 (the invalid byte is one code point).
    let c = write(dir.path(), "c.txt", b"\xEF\xBB\xBFTitle\n\nB\xFFd.");
    sentlab()
        .args(["split", "--lossy"])
        .arg(&c)
        .assert()
        .success()
        .stdout(
            "article_id,sentence_id,index,paragraph,kind,start,end,text\n\
             c,c:0,0,0,title,1,6,Title\n\
             c,c:1,1,1,body,8,12,B\u{FFFD}d.\n",
        )
        .stderr(predicate::str::contains(
            "replaced 1 invalid UTF-8 sequence(s)",
        ));
    // Standard input is a text article too: BOM 0, "Title" 1..6, "\n\n", "Body." 8..13.
    sentlab()
        .args(["split", "-q", "-"])
        .write_stdin(&b"\xEF\xBB\xBFTitle\n\nBody."[..])
        .assert()
        .success()
        .stdout(
            "article_id,sentence_id,index,paragraph,kind,start,end,text\n\
             stdin,stdin:0,0,0,title,1,6,Title\n\
             stdin,stdin:1,1,1,body,8,13,Body.\n",
        );
}

#[test]
fn u_feff_between_two_characters_joins_them() {
    // A zero-width no-break space between "5." and "5" ends no sentence. By hand: "T" 0..1,
    // "\n\n" 1..3, "It rose 5." 3..13, U+FEFF 13, "5 percent today." 14..30.
    sentlab()
        .args(["split", "-q", "-"])
        .write_stdin(&b"T\n\nIt rose 5.\xEF\xBB\xBF5 percent today.\n"[..])
        .assert()
        .success()
        .stdout(
            "article_id,sentence_id,index,paragraph,kind,start,end,text\n\
             stdin,stdin:0,0,0,title,0,1,T\n\
             stdin,stdin:1,1,1,body,3,30,It rose 5.\u{FEFF}5 percent today.\n",
        );
}

// --excel-safe: formula-like text cells get a quote in CSV only.

#[test]
fn split_excel_safe_quotes_formula_like_text_cells_in_csv_only() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Ids starting with `=`, TAB and CR; a title and sentences starting with `+`, `-`, `@`
    // (the splitter trims a sentence's leading spaces, so its ids carry TAB and CR).
    write(
        d,
        "a.jsonl",
        "{\"id\":\"=a\",\"title\":\"+T\",\"text\":\"-x. @y.\"}\n\
         {\"id\":\"\\tb\",\"title\":\"T\",\"text\":\"z\"}\n\
         {\"id\":\"\\rc\",\"title\":\"T\",\"text\":\"w\"}\n",
    );
    let csv = stdout_of(
        sentlab()
            .current_dir(d)
            .args(["-q", "split", "--excel-safe", "a.jsonl"]),
    );
    // Offsets by hand: title then "\n\n", so the text starts at 4 ("+T") or 3 ("T");
    // "-x." 4..7 and "@y." 8..11. Numbers are not quoted; CR cells are quoted by CSV.
    assert_eq!(
        csv,
        "article_id,sentence_id,index,paragraph,kind,start,end,text\n\
         '=a,'=a:0,0,0,title,0,2,'+T\n\
         '=a,'=a:1,1,1,body,4,7,'-x.\n\
         '=a,'=a:2,2,1,body,8,11,'@y.\n\
         '\tb,'\tb:0,0,0,title,0,1,T\n\
         '\tb,'\tb:1,1,1,body,3,4,z\n\
         \"'\rc\",\"'\rc:0\",0,0,title,0,1,T\n\
         \"'\rc\",\"'\rc:1\",1,1,body,3,4,w\n"
    );
    excel_safe_is_for_csv_only(
        d,
        &["split", "a.jsonl"],
        "-o",
        &["=a", "=a:1", "+T", "-x.", "@y.", "\\tb:1", "\\rc:1"],
        false,
    );
}

// JSON Lines and CSV article files are read a chunk at a time. SENTLAB_TEST_CHUNK_BYTES
// (for tests only) makes chunks and batches tiny, so small inputs take many of each.

/// 40 articles `0`..`39` as JSON Lines and as CSV (the CSV text fields hold a line break,
/// so records span two lines).
fn chunk_fixture(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let mut jsonl = String::new();
    let mut csv = String::from("id,title,text\n");
    for i in 0..40 {
        jsonl.push_str(&format!(
            "{{\"id\": {i}, \"title\": \"Title {i}\", \"text\": \"First sentence {i}. Second one.\\nNew line {i}.\"}}\n"
        ));
        csv.push_str(&format!(
            "{i},Title {i},\"First sentence {i}. Second one.\nNew line {i}.\"\n"
        ));
    }
    (write(dir, "a.jsonl", jsonl), write(dir, "a.csv", csv))
}

#[test]
fn jsonl_and_csv_in_many_chunks_give_the_output_of_one() {
    let dir = tempfile::tempdir().unwrap();
    let (jsonl, csv) = chunk_fixture(dir.path());
    let split = |input: &std::path::Path, chunk: Option<&str>, threads: &str| {
        let mut cmd = sentlab();
        cmd.args(["split", "-q", "--threads", threads]).arg(input);
        if let Some(c) = chunk {
            cmd.env("SENTLAB_TEST_CHUNK_BYTES", c);
        }
        stdout_of(&mut cmd)
    };
    // One chunk (the default size, far above these files) is reading the file whole.
    let whole = split(&jsonl, None, "1");
    for threads in ["1", "2"] {
        for chunk in ["1", "64", "200"] {
            assert_eq!(
                split(&jsonl, Some(chunk), threads),
                whole,
                "jsonl {chunk} {threads}"
            );
            assert_eq!(
                split(&csv, Some(chunk), threads),
                whole,
                "csv {chunk} {threads}"
            );
        }
    }
    // Offsets by hand. Article 0: "Title 0" 0..7, "\n\n", "First sentence 0." 9..26, " ",
    // "Second one." 27..38, "\n", "New line 0." 39..50. Article 39 (two digits): "Title 39"
    // 0..8, "First sentence 39." 10..28, "Second one." 29..40, "New line 39." 41..53.
    let lines: Vec<&str> = whole.lines().collect();
    assert_eq!(lines.len(), 1 + 40 * 4);
    assert_eq!(
        lines[1..5],
        [
            "0,0:0,0,0,title,0,7,Title 0",
            "0,0:1,1,1,body,9,26,First sentence 0.",
            "0,0:2,2,1,body,27,38,Second one.",
            "0,0:3,3,1,body,39,50,New line 0.",
        ]
    );
    assert_eq!(
        lines[157..],
        [
            "39,39:0,0,0,title,0,8,Title 39",
            "39,39:1,1,1,body,10,28,First sentence 39.",
            "39,39:2,2,1,body,29,40,Second one.",
            "39,39:3,3,1,body,41,53,New line 39.",
        ]
    );
    // Standard input streams too.
    for (path, format) in [(&jsonl, "jsonl"), (&csv, "csv")] {
        let got = stdout_of(
            sentlab()
                .args(["split", "-q", "--input-format", format, "-"])
                .env("SENTLAB_TEST_CHUNK_BYTES", "64")
                .write_stdin(fs::read(path).unwrap()),
        );
        assert_eq!(got, whole, "stdin {format}");
    }
}

#[test]
fn an_error_in_a_later_chunk_names_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let (jsonl, csv) = chunk_fixture(dir.path());
    let out = dir.path().join("s.csv");
    let fails = |input: &std::path::Path, expected: &[&str]| {
        let stderr = sentlab()
            .args(["split", "-q", "--threads", "2"])
            .arg(input)
            .arg("-o")
            .arg(&out)
            .env("SENTLAB_TEST_CHUNK_BYTES", "64")
            .assert()
            .code(1)
            .get_output()
            .stderr
            .clone();
        let stderr = String::from_utf8(stderr).unwrap();
        for e in expected {
            assert!(stderr.contains(e), "{e} in {stderr}");
        }
        assert!(!out.exists(), "no output is left for {expected:?}");
    };
    // Line 36 of the JSON Lines file (article 35) is cut short.
    let text = fs::read_to_string(&jsonl).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[35] = "{\"id\": 35,";
    let bad = write(dir.path(), "bad.jsonl", lines.join("\n"));
    fails(&bad, &["bad.jsonl:36: expected a JSON object"]);
    // Article 30 of the CSV file (header line 1, two lines per record: line 2 + 2 * 30 =
    // 62) has an extra field.
    let text = fs::read_to_string(&csv).unwrap();
    let bad = write(
        dir.path(),
        "bad.csv",
        text.replace("30,Title 30,", "30,x,Title 30,"),
    );
    fails(&bad, &["bad.csv:62: expected 3 fields, found 4"]);
    // An id repeated far from its first use: line 3 and line 39 of the JSON Lines file.
    let text = fs::read_to_string(&jsonl).unwrap();
    let dup = write(
        dir.path(),
        "dup.jsonl",
        text.replace("\"id\": 38,", "\"id\": 2,"),
    );
    fails(
        &dup,
        &[
            "duplicate article id `2`: in ",
            "dup.jsonl:3 and in ",
            "dup.jsonl:39 (",
        ],
    );
    // Invalid UTF-8 on line 20. A line is `{"id": ` (7 bytes), the id, `, "title": ` (11),
    // `"Title 0"` (9), `, "text": ` (10), the text in quotes (44), `}` and "\n": 84 bytes
    // for articles 0..9, 88 for 10..18 (four two-digit numbers). Line 20 starts at byte
    // 10 * 84 + 9 * 88 = 1632; `{"id": 19, "title": "Title 19", "text": "F` is 42 bytes.
    let mut bytes = fs::read(&jsonl).unwrap();
    let line_20: usize = (0..19)
        .map(|i| text.lines().nth(i).unwrap().len() + 1)
        .sum();
    assert_eq!(line_20, 10 * 84 + 9 * 88);
    bytes.insert(line_20 + 42, 0xFF);
    let bad = write(dir.path(), "bad8.jsonl", bytes);
    fails(&bad, &["bad8.jsonl: invalid UTF-8 at byte 1674, line 20"]);
}

// --one-per-line: each line of the body with visible text is one sentence.

/// Offsets by hand: "Title" 0..5, "\n\n" 5..7, "One. Two." 7..16, "\n" 16, "Three" 17..22,
/// "\n\n" 22..24, "Four! Five" 24..34. The JSON Lines article is `title + "\n\n" + text`,
/// the same text, so the same rows under its own id.
#[test]
fn split_one_per_line_keeps_each_line_whole() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "p.txt", "Title\n\nOne. Two.\nThree\n\nFour! Five\n");
    write(
        d,
        "j.jsonl",
        "{\"id\": \"j\", \"title\": \"Title\", \"text\": \"One. Two.\\nThree\\n\\nFour! Five\\n\"}\n",
    );
    let rows = |id: &str| {
        format!(
            "{id},{id}:0,0,0,title,0,5,Title\n\
             {id},{id}:1,1,1,body,7,16,One. Two.\n\
             {id},{id}:2,2,1,body,17,22,Three\n\
             {id},{id}:3,3,2,body,24,34,Four! Five\n"
        )
    };
    let header = "article_id,sentence_id,index,paragraph,kind,start,end,text\n";
    let got = stdout_of(
        sentlab()
            .args(["split", "-q", "--one-per-line"])
            .arg(d.join("p.txt"))
            .arg(d.join("j.jsonl")),
    );
    assert_eq!(got, format!("{header}{}{}", rows("p"), rows("j")));
    // A line break inside a line's punctuation changes nothing of the default splitter.
    let default = stdout_of(sentlab().args(["split", "-q"]).arg(d.join("p.txt")));
    assert!(default.contains(",7,11,One.\n"), "{default}");
    // With --join-lines it means nothing: a usage error.
    sentlab()
        .args(["split", "--one-per-line", "--join-lines"])
        .arg(d.join("p.txt"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--one-per-line"));
}

/// The same table for any thread count (articles are batched across threads).
#[test]
fn split_one_per_line_is_the_same_for_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for i in 0..40 {
        let body =
            "Line one. Still one.\r\nLine two\r\n\r\n \u{1F600} three \r\n".repeat(i % 5 + 1);
        write(
            d,
            &format!("arts/a{i:02}.txt"),
            format!("T{i}\r\n\r\n{body}"),
        );
    }
    let run = |threads: &str| {
        stdout_of(
            sentlab()
                .args(["split", "-q", "--one-per-line", "--threads", threads])
                .arg(d.join("arts")),
        )
    };
    let one = run("1");
    // 40 titles and 3 lines per repetition: 40 + 3 * (8 * 15) = 400 rows, plus the header.
    assert_eq!(one.lines().count(), 1 + 40 + 3 * (8 * 15));
    assert_eq!(one, run("4"));
}

// --shard K/N: part of the corpus by article id.

#[test]
fn split_shards_cover_the_corpus_once_and_follow_fnv1a() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let arts = d.join("arts");
    fs::create_dir(&arts).unwrap();
    for id in ["a", "b", "c", "d", "e", "f"] {
        write(
            &arts,
            &format!("{id}.txt"),
            format!("Title {id}\n\nOne {id}. Two {id}.\n"),
        );
    }
    // Text, and the same articles as JSON Lines (read as a stream).
    let jsonl: String = ["a", "b", "c", "d", "e", "f"]
        .iter()
        .map(|id| {
            format!(
                "{{\"id\":\"{id}\",\"title\":\"Title {id}\",\"text\":\"One {id}. Two {id}.\"}}\n"
            )
        })
        .collect();
    let jsonl = write(d, "arts.jsonl", jsonl);
    for input in [arts.clone(), jsonl] {
        let whole = stdout_of(sentlab().args(["split", "-q"]).arg(&input));
        let mut shards = Vec::new();
        for k in 1..=3 {
            let out = stdout_of(
                sentlab()
                    .args(["split", "-q", "--shard", &format!("{k}/3")])
                    .arg(&input),
            );
            shards.push(out);
        }
        // The data rows of the shards, together, are those of the whole run.
        let rows = |t: &str| -> Vec<String> { t.lines().skip(1).map(str::to_owned).collect() };
        let mut joined: Vec<String> = shards.iter().flat_map(|s| rows(s)).collect();
        let mut all = rows(&whole);
        joined.sort();
        all.sort();
        assert_eq!(joined, all, "{}", input.display());
        // By hand (FNV-1a-64 of the id in Python, mod 3, plus 1): c, e and f are in shard
        // 1; a, b and d in shard 2; none in shard 3.
        let articles = |t: &str| -> Vec<String> {
            let mut ids: Vec<String> = rows(t)
                .iter()
                .map(|r| r.split(',').next().unwrap().to_owned())
                .collect();
            ids.dedup();
            ids
        };
        assert_eq!(articles(&shards[0]), ["c", "e", "f"]);
        assert_eq!(articles(&shards[1]), ["a", "b", "d"]);
        assert_eq!(
            shards[2],
            "article_id,sentence_id,index,paragraph,kind,start,end,text\n"
        );
    }
    // The summary says how many articles were left out.
    sentlab()
        .args(["split", "--shard", "1/2"])
        .arg(&arts)
        .args(["-o"])
        .arg(d.join("s.csv"))
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "split: 3 articles of shard 1/2 (3 articles of other shards left out)",
        ));
    // A bad spec is a usage error.
    for bad in ["3/2", "0/0", "1/0", "x/2"] {
        sentlab()
            .args(["split", "--shard", bad])
            .arg(&arts)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "`{bad}`: expected K/N with 1 <= K <= N (shard K of N), e.g. 1/4"
            )));
    }
}
