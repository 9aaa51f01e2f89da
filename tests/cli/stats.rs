//! `sentlab stats`: counts of a sentence table and label tables.

use predicates::prelude::*;

use crate::common::*;

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

/// The README's `stats` on the bundled sample: two annotators and the gold table.
#[test]
fn stats_table_on_the_sample() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sample_tables(d);
    let out = sentlab()
        .current_dir(d)
        .args([
            "stats",
            "sentences.csv",
            SAMPLE_ANNOTATORS[0],
            SAMPLE_ANNOTATORS[1],
        ])
        .arg("gold.csv")
        .assert()
        .success();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert_eq!(
        stderr,
        "stats: 3 annotators (ana, ben, gold), 223 label rows read, 223 counted, skipped: none skipped\n"
    );
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    insta::assert_snapshot!("stats_sample", stdout);
}

/// Shards of the sample's sentence table, each counted with every annotator file (rows of
/// other shards' sentences are unknown there): `stats --partial` of each, combined, gives
/// byte for byte the stats of one run, medians and label-row accounting included.
#[test]
fn stats_of_shards_combine_to_the_stats_of_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sample_tables(d);
    // One row of a sentence no shard has, so the single run skips one as unknown too.
    let mut extra = std::fs::read_to_string(d.join(SAMPLE_ANNOTATORS[0])).unwrap();
    let header = extra.lines().next().unwrap().to_owned();
    let first_row = extra.lines().nth(1).unwrap().to_owned();
    let columns = header.split(',').count();
    let mut fields: Vec<String> = first_row.split(',').map(str::to_owned).collect();
    let sid = header.split(',').position(|c| c == "sentence_id").unwrap();
    fields[sid] = "nowhere:0".into();
    assert_eq!(fields.len(), columns);
    extra += &(fields.join(",") + "\n");
    write(d, "first.csv", extra);
    let mut files: Vec<&str> = vec!["first.csv"];
    files.extend(&SAMPLE_ANNOTATORS[1..]);
    let stats = |sentences: &str, extra: &[&str]| {
        let out = sentlab()
            .current_dir(d)
            .args(["stats", "-q", sentences])
            .args(&files)
            .args(extra)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let whole_json = stats("sentences.csv", &["--format", "json"]);
    let whole_table = stats("sentences.csv", &[]);
    let v: serde_json::Value = serde_json::from_str(&whole_json).unwrap();
    assert_eq!(v["label_rows"]["skipped"]["unknown-sentence"], 1);
    let mut partials = Vec::new();
    for (k, shard) in shard_sentence_table(d, "sentences.csv", 3)
        .iter()
        .enumerate()
    {
        let partial = format!("p{k}.json");
        stats(shard, &["--partial", &partial, "-o", "x.txt"]);
        partials.push(partial);
    }
    let combine = |extra: &[&str]| {
        stdout_of(
            sentlab()
                .current_dir(d)
                .args(["combine", "-q", &partials[1], &partials[2], &partials[0]])
                .args(extra),
        )
    };
    assert_eq!(combine(&["--format", "json"]), whole_json);
    assert_eq!(combine(&[]), whole_table);
    sentlab()
        .current_dir(d)
        .args(["combine", &partials[0], &partials[1], &partials[2]])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "combine: 3 stats partial results, 7 articles, 115 sentences",
        ));
    // A stats partial and an eval partial do not combine.
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
        .args([
            "--sentences",
            "sentences.csv",
            "--partial",
            "e.json",
            "-o",
            "e.txt",
        ])
        .assert()
        .success();
    sentlab()
        .current_dir(d)
        .args(["combine", &partials[0], "e.json", "-o", "out.txt"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "p0.json and e.json are partial results of different commands (`stats --partial` and `eval --partial`)",
        ));
    assert!(!d.join("out.txt").exists());
    // The same shard twice shares its articles.
    sentlab()
        .current_dir(d)
        .args(["combine", &partials[0], &partials[0]])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "p0.json and p0.json both hold article `",
        ));
    // --bootstrap is for evaluation partials.
    refused_in(
        d,
        &["combine", &partials[0], "--bootstrap", "200"],
        "--sort and --bootstrap apply to partials of `eval --partial`",
    );
}
