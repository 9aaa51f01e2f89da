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
            "bad.json: not a partial result of `eval`, `labels merge` or `stats --partial` (no `sentlab_partial`, `sentlab_agreement_partial` or `sentlab_stats_partial` version)",
        ));
    // Cut short, or not an object: no kind can be told, and the reader says why.
    let stats_partial = "{\"sentlab_stats_partial\":1,\"articles\":[\"a\"";
    write(d, "cut.json", stats_partial);
    write(d, "array.json", "[1, 2]");
    for (file, why) in [
        ("cut.json", "EOF while parsing a list at line 1 column 42"),
        ("array.json", "expected a JSON object"),
    ] {
        sentlab()
            .current_dir(d)
            .args(["combine", file, "-o", "out.txt"])
            .assert()
            .code(1)
            .stderr(predicate::str::contains(format!(
                "{file}: not a partial result of `eval`, `labels merge` or `stats --partial`: {why}"
            )));
        assert!(!d.join("out.txt").exists());
    }
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

// Agreement partials: `labels merge --partial` per shard, `combine` into the agreement
// report of one merge.

/// Rows of a CSV (header kept) whose first field, up to its `:`, is one of `articles` (a
/// sentence table's article id, or a label file's sentence id `article:index`).
fn rows_of(text: &str, articles: &[&str]) -> String {
    let mut lines = text.lines();
    let mut out = format!("{}\n", lines.next().unwrap());
    for line in lines {
        let first = line.split(',').next().unwrap();
        if articles.contains(&first.split(':').next().unwrap()) {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The sample split into three shards by article (articles 0, 3, 6; 1, 4; 2, 5 of the
/// table), each merged from its rows of the label files with `--partial`: their combination
/// is the agreement report of one merge, table and JSON, bootstrap intervals included.
/// Chloe's rows of the first shard's articles are left out (of the whole merge too), so the
/// first shard has no file of hers: the annotators differ between shards.
#[test]
fn agreement_partials_of_shards_combine_to_the_report_of_one_merge() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sample_tables(d);
    let table = fs::read_to_string(d.join("sentences.csv")).unwrap();
    let mut articles: Vec<&str> = table
        .lines()
        .skip(1)
        .map(|r| r.split(',').next().unwrap())
        .collect();
    articles.dedup();
    assert_eq!(articles.len(), 7);
    let shards: Vec<Vec<&str>> = (0..3)
        .map(|k| articles.iter().skip(k).step_by(3).copied().collect())
        .collect();
    let label_file =
        |name: &str| fs::read_to_string(d.join(SAMPLE_ANNOTATORS[0]).with_file_name(name)).unwrap();
    let others: Vec<&str> = shards[1].iter().chain(&shards[2]).copied().collect();
    write(d, "chloe.csv", rows_of(&label_file("chloe.csv"), &others));
    write(d, "ana.csv", label_file("ana.csv"));
    write(d, "ben.csv", label_file("ben.csv"));
    let merge = |sentences: &str, files: &[String], extra: &[&str]| {
        let out = sentlab()
            .current_dir(d)
            .args(["-q", "labels", "merge", "--sentences", sentences])
            .args(files)
            .args(["--schema", "datasets/labels.toml"])
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
    let all: Vec<String> = ["ana.csv", "ben.csv", "chloe.csv"]
        .map(String::from)
        .to_vec();
    let boot = ["--bootstrap", "300", "--seed", "9"];
    let mut whole_args = vec!["-o", "gold.csv", "--report", "-"];
    whole_args.extend(boot);
    let whole_table = merge("sentences.csv", &all, &whole_args);
    assert!(
        whole_table.starts_with("95% bootstrap intervals"),
        "{whole_table}"
    );
    let mut json_args = vec!["-o", "gold.csv", "--report", "whole.json"];
    json_args.extend(boot);
    merge("sentences.csv", &all, &json_args);
    for (k, mine) in shards.iter().enumerate() {
        write(d, &format!("s{k}.csv"), rows_of(&table, mine));
        let mut files = Vec::new();
        for name in ["ana", "ben", "chloe"] {
            let rows = rows_of(
                &fs::read_to_string(d.join(format!("{name}.csv"))).unwrap(),
                mine,
            );
            if rows.lines().count() > 1 {
                let file = format!("k{k}/{name}.csv");
                write(d, &file, rows);
                files.push(file);
            }
        }
        // Chloe has no row in the first shard, rows in the others.
        assert_eq!(files.len(), if k == 0 { 2 } else { 3 }, "shard {k}");
        let partial = format!("p{k}.json");
        merge(
            &format!("s{k}.csv"),
            &files,
            &["-o", &format!("g{k}.csv"), "--partial", &partial],
        );
        let text = fs::read_to_string(d.join(&partial)).unwrap();
        assert!(text.starts_with("{\"sentlab_agreement_partial\":1,\"unit\":\"sentence\""));
    }
    // In another order, with the same bootstrap: the table of the whole merge.
    let combined = sentlab()
        .current_dir(d)
        .args(["combine", "p2.json", "p0.json", "p1.json"])
        .args(boot)
        .output()
        .unwrap();
    assert!(
        combined.status.success(),
        "{}",
        String::from_utf8_lossy(&combined.stderr)
    );
    assert_eq!(String::from_utf8(combined.stdout).unwrap(), whole_table);
    // 115 sentences seen in 7 articles; the schema's 14 labels.
    assert!(String::from_utf8(combined.stderr).unwrap().contains(
        "combine: 3 partial agreement results, 115 sentences seen in 7 articles, 14 labels"
    ));
    // And the JSON of --report FILE.json, byte for byte.
    sentlab()
        .current_dir(d)
        .args([
            "combine", "-q", "p0.json", "p1.json", "p2.json", "-o", "c.json",
        ])
        .args(boot)
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(d.join("c.json")).unwrap(),
        fs::read_to_string(d.join("whole.json")).unwrap()
    );
}

/// Agreement partials that do not make one report are refused (exit 1, the files and what
/// differs named, no output); so are a mix with evaluation partials, and `--partial` with
/// span inputs (a usage error, exit 2, nothing written).
#[test]
fn agreement_partials_that_do_not_belong_together_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (s, files) = merge_fixture(d);
    // Articles a (a:0..a:2) and b (b:0..b:2) apart: a.csv and b.csv, each file's rows.
    let table = fs::read_to_string(&s).unwrap();
    let merge = |article: &str, extra: &[&str]| {
        write(d, &format!("{article}.csv"), rows_of(&table, &[article]));
        let mut cmd = sentlab();
        cmd.current_dir(d).args([
            "-q",
            "labels",
            "merge",
            "--sentences",
            &format!("{article}.csv"),
        ]);
        for f in &files {
            let name = format!("{article}-{}", f.file_name().unwrap().to_string_lossy());
            write(
                d,
                &name,
                rows_of(&fs::read_to_string(f).unwrap(), &[article]),
            );
            cmd.arg(name);
        }
        cmd.args(["-o", &format!("g-{article}.csv")])
            .args(extra)
            .assert()
            .success();
    };
    write(
        d,
        "schema.toml",
        "[[label]]\nname = \"Loaded\"\n[[label]]\nname = \"Name\"\n[[label]]\nname = \"Doubt\"\n",
    );
    merge("a", &["--partial", "a.json"]);
    merge("b", &["--partial", "b.json"]);
    merge(
        "b",
        &["--partial", "b-schema.json", "--schema", "schema.toml"],
    );
    let refused = |args: &[&str], expected: &str| {
        sentlab()
            .current_dir(d)
            .arg("combine")
            .args(args)
            .args(["-o", "out.txt"])
            .assert()
            .code(1)
            .stderr(predicate::str::contains(expected));
        assert!(!d.join("out.txt").exists(), "{args:?}");
    };
    refused(
        &["a.json", "a.json"],
        "a.json and a.json both hold article `a`: each article must be in one partial only (shards of one corpus)",
    );
    refused(
        &["a.json", "b-schema.json"],
        "a.json and b-schema.json differ in `schema` (no schema and a schema of 3 labels): give every shard the same --schema",
    );
    let b = fs::read_to_string(d.join("b.json")).unwrap();
    write(
        d,
        "b-v2.json",
        b.replace(
            "\"sentlab_agreement_partial\":1",
            "\"sentlab_agreement_partial\":2",
        ),
    );
    refused(
        &["a.json", "b-v2.json"],
        "a.json and b-v2.json differ in `sentlab_agreement_partial` (format versions 1 and 2): this sentlab reads version 1 (write the partials again with this version)",
    );
    write(
        d,
        "b-article.json",
        b.replace("\"unit\":\"sentence\"", "\"unit\":\"article\""),
    );
    // A sentence partial relabelled `article`: its units name no article.
    refused(
        &["a.json", "b-article.json"],
        "b-article.json: unit `b:0`: with unit `article`, expected `article`, an index below 1",
    );
    write(
        d,
        "b-word.json",
        b.replace("\"unit\":\"sentence\"", "\"unit\":\"word\""),
    );
    refused(
        &["b-word.json"],
        "b-word.json: unit `word`: expected sentence or article (the units the bootstrap draws)",
    );
    // An evaluation partial among agreement partials.
    write(d, "gold.csv", "sentence_id,label\nb:2,Name\n");
    write(
        d,
        "pred.csv",
        "sentence_id,label,rule_id,start,end,matched\nb:2,Name,r,0,1,x\n",
    );
    sentlab()
        .current_dir(d)
        .args([
            "eval",
            "-q",
            "--gold",
            "gold.csv",
            "--pred",
            "pred.csv",
            "--sentences",
            "b.csv",
        ])
        .args(["--partial", "e.json", "-o", "e.txt"])
        .assert()
        .success();
    refused(
        &["e.json", "a.json"],
        "e.json and a.json are partial results of different commands (`eval --partial` and `labels merge --partial`): combine the partials of one command at a time",
    );
    // A good pair, but a format an agreement report does not have: a usage error.
    sentlab()
        .current_dir(d)
        .args(["combine", "a.json", "b.json", "--format", "csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "combine: an agreement report is written as a table (default) or JSON (--format json, or an -o FILE.json)",
        ));
}

/// PTC span files of three annotators over three articles, merged in two shards of
/// articles with `--partial`: the combination is the agreement report of one merge
/// (resampled by article), span F1 between annotators included. ann3 has no span file in
/// the second shard, so the annotators differ between shards.
#[test]
fn agreement_partials_of_span_inputs_combine_to_the_report_of_one_merge() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = ptc_corpus(d);
    assert_eq!(s, d.join("s.csv"));
    // article111: "They are crooks!" 13..29, "crooks" 22..28; article222: "Calm news."
    // 12..22, "The crooks again." 23..40, "crooks" 27..33; article333: "Nothing here." 13..26.
    let spans = [
        ("ann1", "111", "111\tName\t22\t28\n"),
        ("ann1", "222", "222\tName\t27\t33\n222\tDoubt\t12\t22\n"),
        ("ann2", "111", "111\tName\t22\t28\n"),
        ("ann2", "222", "222\tName\t26\t33\n"),
        ("ann2", "333", "333\tDoubt\t13\t26\n"),
        ("ann3", "111", "111\tName\t20\t28\n"),
        ("ann3", "333", ""),
    ];
    let shards = shard_sentence_table(d, "s.csv", 2);
    // Table order 111, 222, 333: shard 0 holds 111 and 333, shard 1 holds 222.
    let shard_of = |article: &str| usize::from(article == "222");
    for (who, article, text) in spans {
        write(d, &format!("all/{who}/article{article}.labels"), text);
        let k = shard_of(article);
        write(d, &format!("sh{k}/{who}/article{article}.labels"), text);
    }
    let merge = |sentences: &str, dirs: &[String], extra: &[&str]| {
        let out = sentlab()
            .current_dir(d)
            .args(["-q", "labels", "merge", "--sentences", sentences])
            .args(dirs)
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
    let dirs = |root: &str, who: &[&str]| -> Vec<String> {
        who.iter().map(|w| format!("{root}/{w}")).collect()
    };
    let all = dirs("all", &["ann1", "ann2", "ann3"]);
    let boot = ["--bootstrap", "300", "--seed", "9"];
    let mut args = vec!["-o", "gold.csv", "--report", "-"];
    args.extend(boot);
    let whole_table = merge("s.csv", &all, &args);
    let mut args = vec!["-o", "gold.csv", "--report", "whole.json"];
    args.extend(boot);
    merge("s.csv", &all, &args);
    let whole_json = fs::read_to_string(d.join("whole.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&whole_json).unwrap();
    assert_eq!(v["bootstrap"]["unit"], "article");
    // ann1 and ann2 both covered 111 and 222. Name: ann1 [22,28) and [27,33), ann2 [22,28)
    // and [26,33): 1 exact match, 2 overlap matches; Doubt: ann1's [12,22) in 222, ann2's
    // only in 333 (not shared). Overall 3 and 2 spans: exact F1 2/5, overlap F1 4/5.
    let pair = v["span_f1"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["a"] == "ann1" && p["b"] == "ann2")
        .unwrap()
        .clone();
    assert_eq!(pair["articles"], 2);
    assert_eq!(pair["labels"][0]["label"], "overall");
    assert_eq!(pair["labels"][0]["exact_f1"], 0.4);
    assert_eq!(pair["labels"][0]["overlap_f1"], 0.8);
    let who = [vec!["ann1", "ann2", "ann3"], vec!["ann1", "ann2"]];
    for (k, shard) in shards.iter().enumerate() {
        let partial = format!("p{k}.json");
        merge(
            shard,
            &dirs(&format!("sh{k}"), &who[k]),
            &["-o", &format!("g{k}.csv"), "--partial", &partial],
        );
    }
    let combine = |extra: &[&str]| {
        stdout_of(
            sentlab()
                .current_dir(d)
                .args(["combine", "-q", "p1.json", "p0.json"])
                .args(boot)
                .args(extra),
        )
    };
    assert_eq!(combine(&[]), whole_table);
    assert_eq!(combine(&["--format", "json"]), whole_json);
}

// Shards without rows, `--labels` absent from a shard, and partials no run writes.

/// `sentences.csv` of [`sample_tables`] with one more article, `zz`, that no gold or
/// prediction row names (all.csv), cut into four shards by article: s0..s2 take every
/// third sample article, s3 holds `zz` alone.
fn shards_with_an_empty_one(d: &std::path::Path) {
    sample_tables(d);
    let table = fs::read_to_string(d.join("sentences.csv")).unwrap();
    let zz = "zz,zz:0,0,0,title,0,5,Hello\n";
    write(d, "all.csv", format!("{table}{zz}"));
    let mut lines = table.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.collect();
    let mut articles: Vec<&str> = rows.iter().map(|r| r.split(',').next().unwrap()).collect();
    articles.dedup();
    for k in 0..3 {
        let mine: Vec<&str> = articles.iter().skip(k).step_by(3).copied().collect();
        let shard: String = rows
            .iter()
            .filter(|r| mine.contains(&r.split(',').next().unwrap()))
            .map(|r| format!("{r}\n"))
            .collect();
        write(d, &format!("s{k}.csv"), format!("{header}\n{shard}"));
    }
    write(d, "s3.csv", format!("{header}\n{zz}"));
}

#[test]
fn a_shard_without_rows_writes_a_partial_and_combines_to_one_eval() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    shards_with_an_empty_one(d);
    let eval = |sentences: &str| {
        let mut c = sentlab();
        c.current_dir(d)
            .args(["eval", "--gold", "gold.csv", "--pred", "predictions.csv"])
            .args(["--sentences", sentences]);
        c
    };
    let boot = ["--format", "json", "--bootstrap", "300", "--seed", "9"];
    // The shard of `zz` alone: every row is outside its table, which --partial accepts (the
    // 45 gold and 50 prediction rows of the sample, counted as skipped on stderr).
    eval("s3.csv")
        .args(["--partial", "p3.json", "-o", "r3.txt"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "45 gold rows outside the sentence table (skipped)",
        ))
        .stderr(predicate::str::contains(
            "50 prediction rows outside the sentence table (skipped)",
        ));
    // Without --partial the guard against a wrong sentence table stays.
    eval("s3.csv")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "s3.csv: none of the 45 gold and 50 prediction rows names a sentence of this table",
        ));
    // Its partial alone holds no row at all: combine warns, as the guard would have refused.
    sentlab()
        .current_dir(d)
        .args(["combine", "p3.json"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: no partial holds a gold or predicted row: were the shards evaluated with the sentence tables their labels and predictions were made from? (1 articles)",
        ));
    for k in 0..3 {
        eval(&format!("s{k}.csv"))
            .args(["-q", "--partial", &format!("p{k}.json"), "-o", "r.txt"])
            .assert()
            .success();
    }
    let whole = stdout_of(eval("all.csv").arg("-q").args(boot));
    let parts = ["p3.json", "p1.json", "p0.json", "p2.json"];
    assert_eq!(combined(d, &[&parts[..], &boot[..]].concat()), whole);
    // --labels: Slogans and Repetition are gold labels of the sample, so one run accepts
    // them; shard s3 has no row of either (nor some of s0..s2): zero counts there.
    let listed = ["--labels", "Slogans,Repetition"];
    let whole = stdout_of(eval("all.csv").arg("-q").args(listed).args(boot));
    for k in 0..4 {
        eval(&format!("s{k}.csv"))
            .args(["-q", "--partial", &format!("l{k}.json"), "-o", "r.txt"])
            .args(listed)
            .assert()
            .success();
    }
    let parts = ["l2.json", "l3.json", "l0.json", "l1.json"];
    assert_eq!(combined(d, &[&parts[..], &boot[..]].concat()), whole);
    // One run still refuses a listed label no row carries.
    eval("all.csv")
        .args(["--labels", "Slogans,Nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--labels: no gold or predicted row carries `Nope`",
        ));
}

#[test]
fn a_span_shard_without_spans_writes_a_partial_and_combines_to_one_eval() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    span_shards(d);
    // sc.csv: the sentences of article 333 only, renamed to article 444, which neither the
    // gold spans nor the predictions name; all.csv adds them to s.csv.
    let table = fs::read_to_string(d.join("s.csv")).unwrap();
    let header = table.lines().next().unwrap();
    let extra: String = table
        .lines()
        .filter(|r| r.starts_with("333,"))
        .map(|r| format!("{}\n", r.replace("333", "444")))
        .collect();
    write(d, "sc.csv", format!("{header}\n{extra}"));
    write(d, "all.csv", format!("{table}{extra}"));
    for mode in ["ptc", "strict"] {
        let m = ["--match", mode];
        let whole = span_eval(d, "all.csv", &m);
        for s in ["a", "b", "c"] {
            span_eval(
                d,
                &format!("s{s}.csv"),
                &[&m[..], &["--partial", &format!("p{s}.json")]].concat(),
            );
        }
        assert_eq!(combined(d, &["pc.json", "pa.json", "pb.json"]), whole);
    }
}

#[test]
fn a_partial_with_a_count_no_run_writes_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let partial = |article: &str, tp: &str| {
        format!(
            "{{\"sentlab_partial\": 1, \"level\": \"sentence\", \"match\": null, \
             \"min_overlap_fraction\": null, \"labels_option\": null, \"schema\": null, \
             \"labels\": [\"A\"], \"articles\": [{{\"id\": \"{article}\", \
             \"counts\": [[{tp}, 0, 0], [{tp}, 0, 0]]}}]}}\n"
        )
    };
    // u64::MAX true positives in one article and 5 in another would wrap to 5 in the sums.
    write(d, "a.json", partial("a", "18446744073709551615"));
    write(d, "b.json", partial("b", "5"));
    sentlab()
        .current_dir(d)
        .args(["combine", "b.json", "a.json", "-o", "c.txt"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "a.json: article `a`: count 18446744073709551615 in `counts`: expected at most 1099511627776 (2^40)",
        ));
    assert!(!d.join("c.txt").exists());
    // Both well-formed: 5 true positives, nothing else.
    sentlab()
        .current_dir(d)
        .args(["combine", "-q", "b.json"])
        .assert()
        .success();
}
