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
            "--partial writes the per-article counts of the per-label report: --by rule has none",
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

// Span level: `eval --level span --partial` for ptc and the matching modes.

/// The articles of `ptc_corpus` with gold spans (ptc/gold.labels) and predictions
/// (p.csv): 111 gold X [13, 22) and Y [30, 41), predicted X [16, 28) and Y [30, 37); 222
/// gold X [27, 33) and Y [12, 22), predicted X [23, 30); 333 predicted X [13, 20). And the
/// sentence table cut into two shards by article: sa.csv (111, 333) and sb.csv (222).
fn span_shards(d: &std::path::Path) {
    ptc_corpus(d);
    write(
        d,
        "ptc/gold.labels",
        "111\tX\t13\t22\n111\tY\t30\t41\n222\tX\t27\t33\n222\tY\t12\t22\n",
    );
    write(
        d,
        "p.csv",
        "sentence_id,label,rule_id,start,end,match\n\
         111:1,X,r1,16,28,x\n111:2,Y,r2,30,37,y\n222:2,X,r1,23,30,x\n333:1,X,r1,13,20,x\n",
    );
    let table = fs::read_to_string(d.join("s.csv")).unwrap();
    let mut lines = table.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.collect();
    for (name, articles) in [("sa.csv", ["111", "333"]), ("sb.csv", ["222", "222"])] {
        let shard: String = rows
            .iter()
            .filter(|r| articles.contains(&r.split(',').next().unwrap()))
            .map(|r| format!("{r}\n"))
            .collect();
        write(d, name, format!("{header}\n{shard}"));
    }
}

/// `eval -q --level span` over `sentences` with the gold and predictions of
/// [`span_shards`] and `extra` flags; its stdout.
fn span_eval(d: &std::path::Path, sentences: &str, extra: &[&str]) -> String {
    stdout_of(
        sentlab()
            .current_dir(d)
            .args([
                "eval", "-q", "--level", "span", "--gold", "ptc", "--pred", "p.csv",
            ])
            .args(["--sentences", sentences])
            .args(extra),
    )
}

fn combined(d: &std::path::Path, args: &[&str]) -> String {
    stdout_of(sentlab().current_dir(d).args(["combine", "-q"]).args(args))
}

#[test]
fn span_shards_evaluated_apart_combine_to_the_report_of_one_eval() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    span_shards(d);
    let boot = ["--bootstrap", "200", "--seed", "4"];
    // ptc: JSON with intervals, and the table.
    let whole_json = span_eval(d, "s.csv", &[&["--format", "json"], &boot[..]].concat());
    let whole_table = span_eval(d, "s.csv", &[]);
    span_eval(d, "sa.csv", &["--partial", "pa.json"]);
    span_eval(d, "sb.csv", &["--partial", "pb.json"]);
    let json = combined(
        d,
        &[&["pb.json", "pa.json", "--format", "json"], &boot[..]].concat(),
    );
    assert_eq!(json, whole_json);
    assert_eq!(combined(d, &["pa.json", "pb.json"]), whole_table);
    // By hand: X predicted in 111, 222, 333, gold in 111 and 222. 111 shares [16, 22): 6
    // code points, P adds 6/12, R adds 6/9; 222 shares [27, 30): P adds 3/7, R adds 3/6.
    // P = (1/2 + 3/7) / 3 = 13/42, R = (2/3 + 1/2) / 2 = 7/12. Y: P = 7/7, R = (7/11) / 2.
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let row = |l: &str| {
        v["labels"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["label"] == l)
            .unwrap()
            .clone()
    };
    let close = |x: &serde_json::Value, want: f64| (x.as_f64().unwrap() - want).abs() < 1e-12;
    assert!(close(&row("X")["precision"], 13.0 / 42.0), "{json}");
    assert!(close(&row("X")["recall"], 7.0 / 12.0), "{json}");
    assert!(close(&row("Y")["precision"], 1.0), "{json}");
    assert!(close(&row("Y")["recall"], 7.0 / 22.0), "{json}");
    // The partial records the settings shards must agree in.
    let pa: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(d.join("pa.json")).unwrap()).unwrap();
    assert_eq!(
        (&pa["level"], &pa["match"], &pa["schema"]),
        (&"span".into(), &"ptc".into(), &serde_json::Value::Null)
    );
    // A matching mode, with intervals and the label order of --sort label, as a table.
    let mode = ["--match", "partial", "--sort", "label"];
    let whole = span_eval(d, "s.csv", &[&mode[..], &boot[..]].concat());
    span_eval(
        d,
        "sa.csv",
        &[&mode[..], &["--partial", "ma.json"]].concat(),
    );
    span_eval(
        d,
        "sb.csv",
        &[&mode[..], &["--partial", "mb.json"]].concat(),
    );
    let table = combined(
        d,
        &[&["mb.json", "ma.json", "--sort", "label"], &boot[..]].concat(),
    );
    assert_eq!(table, whole);
    // partial mode, by hand: X has 2 pairs of other boundaries (partial) and 1 spurious,
    // so P = (0.5 * 2) / 3 = 0.333, R = (0.5 * 2) / 2 = 0.500.
    let x = table.lines().find(|l| l.starts_with("X ")).unwrap();
    let cells: Vec<&str> = x.split_whitespace().collect();
    assert_eq!(
        cells[1..10],
        ["0", "0", "2", "0", "1", "2", "3", "0.333", "0.500"],
        "{table}"
    );
}

#[test]
fn span_partials_of_other_settings_are_refused_naming_both_files_and_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    span_shards(d);
    write(
        d,
        "schema.toml",
        "[[label]]\nname = \"X\"\n\n[[label]]\nname = \"Y\"\naliases = [\"y\"]\n",
    );
    span_eval(d, "sa.csv", &["--partial", "ptc.json"]);
    span_eval(
        d,
        "sa.csv",
        &["--partial", "schema.json", "--schema", "schema.toml"],
    );
    span_eval(
        d,
        "sb.csv",
        &["--match", "strict", "--partial", "strict.json"],
    );
    span_eval(
        d,
        "sa.csv",
        &[
            "--match",
            "strict",
            "--min-overlap-fraction",
            "0.5",
            "--partial",
            "half.json",
        ],
    );
    for (a, b, message) in [
        (
            "ptc.json",
            "strict.json",
            "ptc.json and strict.json differ in `match` (ptc and strict): give both runs the same --match",
        ),
        (
            "strict.json",
            "half.json",
            "strict.json and half.json differ in `min_overlap_fraction` (none and 0.5): give both runs the same --min-overlap-fraction",
        ),
        (
            "schema.json",
            "ptc.json",
            "schema.json and ptc.json differ in `schema` (a schema of 2 labels and none): give both runs the same --schema",
        ),
    ] {
        sentlab()
            .current_dir(d)
            .args(["combine", a, b, "-o", "out.json"])
            .assert()
            .code(1)
            .stdout("")
            .stderr(predicate::str::contains(message));
        assert!(!d.join("out.json").exists(), "{a} {b}");
    }
    // The partial of the schema run records its labels and aliases.
    let p: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(d.join("schema.json")).unwrap()).unwrap();
    assert_eq!(
        p["schema"],
        serde_json::json!({"labels": ["X", "Y"], "aliases": [["y", "Y"]]})
    );
    // --by has no per-label report to write a partial of.
    refused_in(
        d,
        &[
            "eval",
            "--level",
            "span",
            "--gold",
            "ptc",
            "--pred",
            "p.csv",
            "--sentences",
            "s.csv",
            "--by",
            "rule",
            "--partial",
            "x.json",
        ],
        "--partial writes the per-article counts of the per-label report: --by rule has none",
    );
}
