//! `sentlab combine` and `eval --partial`: shards of a corpus evaluated apart, combined into
//! the report of one run.

use std::fs;

use predicates::prelude::*;

use crate::common::*;

#[test]
fn shards_evaluated_apart_combine_to_the_report_of_one_eval() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sample_tables(d);
    let eval = |sentences: &str, extra: &[&str]| {
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
            .args(["--sentences", sentences])
            .args(extra)
            .output()
            .unwrap()
    };
    let whole = eval(
        "sentences.csv",
        &["--format", "json", "--bootstrap", "300", "--seed", "9"],
    );
    assert!(whole.status.success());
    // Three shards of the sentence table by article (`split --shard` gives the same rows),
    // each evaluated on its own with every gold and prediction row (those of other shards
    // are outside its table).
    let table = fs::read_to_string(d.join("sentences.csv")).unwrap();
    let mut lines = table.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.collect();
    let mut articles: Vec<&str> = rows.iter().map(|r| r.split(',').next().unwrap()).collect();
    articles.dedup();
    assert_eq!(articles.len(), 7);
    let mut partials = Vec::new();
    for k in 0..3 {
        let mine: Vec<&str> = articles.iter().skip(k).step_by(3).copied().collect();
        let shard: String = rows
            .iter()
            .filter(|r| mine.contains(&r.split(',').next().unwrap()))
            .map(|r| format!("{r}\n"))
            .collect();
        let name = format!("s{k}.csv");
        write(d, &name, format!("{header}\n{shard}"));
        let partial = format!("p{k}.json");
        let out = eval(&name, &["--partial", &partial, "-o", &format!("r{k}.txt")]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        partials.push(partial);
    }
    // Combined in another order: the same JSON report, intervals included.
    let combined = sentlab()
        .current_dir(d)
        .args(["combine", "-q", &partials[2], &partials[0], &partials[1]])
        .args(["--format", "json", "--bootstrap", "300", "--seed", "9"])
        .output()
        .unwrap();
    assert!(
        combined.status.success(),
        "{}",
        String::from_utf8_lossy(&combined.stderr)
    );
    assert_eq!(
        String::from_utf8(combined.stdout).unwrap(),
        String::from_utf8(whole.stdout).unwrap()
    );
    // And the default table, to a file.
    let whole_table = stdout_of(
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
            .args(["--sentences", "sentences.csv"]),
    );
    sentlab()
        .current_dir(d)
        .args([
            "combine",
            &partials[0],
            &partials[1],
            &partials[2],
            "-o",
            "c.txt",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "combine: 3 partial results, 7 articles, 14 labels",
        ));
    assert_eq!(fs::read_to_string(d.join("c.txt")).unwrap(), whole_table);
    // A partial given twice shares its articles: refused, both named.
    sentlab()
        .current_dir(d)
        .args(["combine", &partials[0], &partials[0]])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "p0.json and p0.json both hold article `",
        ));
    // --partial is for the per-label report at sentence level.
    sentlab()
        .current_dir(d)
        .args(["eval", "--gold", "gold.csv", "--pred", "predictions.csv"])
        .args([
            "--sentences",
            "sentences.csv",
            "--by",
            "rule",
            "--partial",
            "x.json",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--partial writes the per-article counts",
        ));
    assert!(!d.join("x.json").exists());
    // Not a partial.
    write(d, "bad.json", "{\"labels\": []}");
    sentlab()
        .current_dir(d)
        .args(["combine", "bad.json"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "bad.json: not a partial result of `eval --partial` (no `sentlab_partial` version)",
        ));
}
