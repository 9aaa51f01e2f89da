//! Resource bounds end to end: the pairwise agreement rows of `labels merge` (hand-checked on
//! a tiny case, and the limit above which they are left out). Fixtures are made in temp dirs.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn sentlab() -> Command {
    Command::cargo_bin("sentlab").unwrap()
}

fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(&p, content).unwrap();
    p
}

/// A sentence table of one article `a` with `n` sentences `a:0`.. whose text is `s`.
fn sentences(dir: &Path, n: usize) -> PathBuf {
    let mut t = String::from("article_id,sentence_id,index,paragraph,kind,start,end,text\n");
    for i in 0..n {
        let kind = if i == 0 { "title" } else { "body" };
        t.push_str(&format!(
            "a,a:{i},{i},{i},{kind},{},{},s\n",
            2 * i,
            2 * i + 1
        ));
    }
    write(dir, "s.csv", &t)
}

/// Runs `labels merge` with a JSON report; returns the report and stderr (the table).
fn merge(dir: &Path, sentences: &Path, labels: &Path) -> (serde_json::Value, String) {
    let report = dir.join("report.json");
    let out = sentlab()
        .args(["labels", "merge", "--sentences"])
        .arg(sentences)
        .arg(labels)
        .arg("-o")
        .arg(dir.join("gold.csv"))
        .arg("--report")
        .arg(&report)
        .assert()
        .success();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    let json = serde_json::from_str(&fs::read_to_string(report).unwrap()).unwrap();
    (json, stderr)
}

/// (a, b, items, observed, kappa) of each pairwise row.
fn pair_rows(cohen: &serde_json::Value) -> Vec<(String, String, u64, f64, f64)> {
    cohen
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["a"].as_str().unwrap().to_owned(),
                p["b"].as_str().unwrap().to_owned(),
                p["items"].as_u64().unwrap(),
                p["observed_agreement"].as_f64().unwrap(),
                p["kappa"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn pairwise_rows_of_three_annotators_are_hand_checked() {
    let dir = tempfile::tempdir().unwrap();
    let s = sentences(dir.path(), 4);
    // x says L on a:0, a:1; y on a:0, a:2; z on a:0; all three saw a:0..a:3.
    let labels = write(
        dir.path(),
        "labels.csv",
        "annotator,sentence_id,label\n\
         x,a:0,L\nx,a:1,L\nx,a:2,\nx,a:3,\n\
         y,a:0,L\ny,a:1,\ny,a:2,L\ny,a:3,\n\
         z,a:0,L\nz,a:1,\nz,a:2,\nz,a:3,\n",
    );
    let (report, stderr) = merge(dir.path(), &s, &labels);
    // x-y: both yes on a:0, x only a:1, y only a:2, both no a:3: p_o = 2/4 = 0.5; each says
    // yes half the time, p_e = 0.5 * 0.5 + 0.5 * 0.5 = 0.5, kappa = 0.
    // x-z (and y-z): agree on a:0 (yes), a:2 and a:3 (no): p_o = 3/4; p_e = 0.5 * 0.25 +
    // 0.5 * 0.75 = 0.5, kappa = (0.75 - 0.5) / 0.5 = 0.5.
    let want = vec![
        ("x".to_owned(), "y".to_owned(), 4, 0.5, 0.0),
        ("x".to_owned(), "z".to_owned(), 4, 0.75, 0.5),
        ("y".to_owned(), "z".to_owned(), 4, 0.75, 0.5),
    ];
    // One label used: the pooled rows are the label's rows.
    assert_eq!(pair_rows(&report["overall"]["cohen"]), want);
    assert_eq!(report["labels"][0]["label"], "L");
    assert_eq!(pair_rows(&report["labels"][0]["cohen"]), want);
    assert!(report.get("pairwise_omitted").is_none());
    let row = |line: &str| line.split_whitespace().collect::<Vec<_>>().join(" ");
    let table: Vec<String> = stderr.lines().map(row).collect();
    // Gwet's AC1: x-y π = 4/8, p_e = 2 * 0.5 * 0.5 = 0.5, AC1 = 0; x-z π = 3/8, p_e =
    // 2 * 3/8 * 5/8 = 0.46875, AC1 = 0.28125 / 0.53125 = 0.529. PABAK = 2 p_o - 1: 0, 0.5.
    for line in [
        "overall x y 4 0.500 0.000 0.000 0.000",
        "overall x z 4 0.750 0.500 0.529 0.500",
        "L y z 4 0.750 0.500 0.529 0.500",
    ] {
        assert!(table.iter().any(|l| l == line), "{line} in\n{stderr}");
    }
}

/// `n` annotators `ann000`.. who all say L on a:0 and saw a:1 without a label.
fn unanimous(dir: &Path, n: usize) -> PathBuf {
    let mut t = String::from("annotator,sentence_id,label\n");
    for a in 0..n {
        t.push_str(&format!("ann{a:03},a:0,L\nann{a:03},a:1,\n"));
    }
    write(dir, "labels.csv", &t)
}

#[test]
fn pairwise_rows_up_to_the_limit_are_all_written() {
    let dir = tempfile::tempdir().unwrap();
    let s = sentences(dir.path(), 2);
    // 316 annotators: 316 * 315 / 2 = 49,770 pairs, one row each for `overall` and for L:
    // 99,540 rows, within the limit of 100,000.
    let (report, _) = merge(dir.path(), &s, &unanimous(dir.path(), 316));
    assert!(report.get("pairwise_omitted").is_none());
    for cohen in [&report["overall"]["cohen"], &report["labels"][0]["cohen"]] {
        let rows = pair_rows(cohen);
        assert_eq!(rows.len(), 49_770);
        // Everyone agrees on both items, and each says yes once and no once: p_o = 1,
        // p_e = 0.5, kappa = 1.
        assert!(rows.iter().all(|r| (r.2, r.3, r.4) == (2, 1.0, 1.0)));
    }
}

#[test]
fn pairwise_rows_above_the_limit_are_left_out_and_said_so() {
    let dir = tempfile::tempdir().unwrap();
    let s = sentences(dir.path(), 2);
    // 317 annotators: 317 * 316 / 2 = 50,086 pairs x 2 rows = 100,172 rows > 100,000.
    let (report, stderr) = merge(dir.path(), &s, &unanimous(dir.path(), 317));
    assert_eq!(
        report["pairwise_omitted"],
        serde_json::json!({"annotators": 317, "pairs": 50_086, "rows": 100_172, "limit": 100_000})
    );
    assert_eq!(report["overall"]["cohen"], serde_json::json!([]));
    assert_eq!(report["labels"][0]["cohen"], serde_json::json!([]));
    // The other figures do not need pairs: every item is unanimous, one all yes and one all
    // no, so percent agreement, Fleiss' kappa and Krippendorff's alpha are all 1.
    for key in ["percent_agreement", "fleiss_kappa", "krippendorff_alpha"] {
        assert_eq!(report["overall"][key]["value"], 1.0, "{key}");
        assert_eq!(report["overall"][key]["items"], 2, "{key}");
    }
    assert!(
        stderr.contains(
            "Cohen's kappa per annotator pair left out: 317 annotators, 50086 pairs, \
             100172 rows (pairs x (labels + 1)), more than the limit of 100000 rows"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("annotator_a"), "{stderr}");
}
