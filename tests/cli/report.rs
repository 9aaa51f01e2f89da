//! `sentlab report`: the HTML page of an evaluation.

use std::fs;
use std::path::Path;

use predicates::prelude::*;

use crate::common::*;

fn report_in(dir: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    sentlab()
        .current_dir(dir)
        .args([
            "report",
            "-q",
            "--sentences",
            "sentences.csv",
            "--gold",
            "gold.csv",
            "--pred",
            "predictions.csv",
            "--bootstrap",
            "200",
            "-o",
            "report.html",
        ])
        .args(extra)
        .assert()
}

/// The figures block embedded in the page.
fn figures(html: &str) -> serde_json::Value {
    let start = html
        .find("<script type=\"application/json\" id=figures>")
        .unwrap();
    let rest = &html[start..];
    let body = &rest[rest.find('>').unwrap() + 1..rest.find("</script>").unwrap()];
    serde_json::from_str(body).unwrap()
}

fn eval_json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let out = stdout_of(
        sentlab()
            .current_dir(dir)
            .args([
                "eval",
                "-q",
                "--gold",
                "gold.csv",
                "--pred",
                "predictions.csv",
                "--sentences",
                "sentences.csv",
                "--format",
                "json",
            ])
            .args(args),
    );
    serde_json::from_str(&out).unwrap()
}

#[test]
fn report_numbers_equal_eval_json_on_the_sample_and_the_page_is_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sample_tables(d);
    report_in(d, &["--rules", "datasets/rules/propaganda.toml"]).success();
    let html = fs::read_to_string(d.join("report.html")).unwrap();
    let fig = figures(&html);
    // Every view's figures are eval's JSON of the same view.
    assert_eq!(fig["labels"], eval_json(d, &["--bootstrap", "200"]));
    assert_eq!(fig["rules"], eval_json(d, &["--by", "rule"]));
    assert_eq!(fig["articles"], eval_json(d, &["--by", "article"]));
    assert_eq!(fig["confusion"], eval_json(d, &["--by", "confusion"]));
    // And the visible numbers: each label row of the table carries eval's values.
    let labels = eval_json(d, &["--bootstrap", "200"]);
    let table = &html[html.find("id=t-labels").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    for row in labels["labels"].as_array().unwrap() {
        let cell = |k: &str| match row[k].as_f64() {
            Some(v) => format!("<td data-v=\"{v}\">{v:.3}</td>"),
            None => "<td data-v=\"\">-</td>".to_owned(),
        };
        let int = |k: &str| {
            let v = row[k].as_u64().unwrap();
            format!("<td data-v=\"{v}\">{v}</td>")
        };
        let expected = format!(
            "{}{}{}{}{}{}{}",
            int("tp"),
            int("fp"),
            int("fn"),
            int("support"),
            cell("precision"),
            cell("recall"),
            cell("f1")
        );
        assert!(table.contains(&expected), "{} {expected}", row["label"]);
    }
    // The headline cards: micro, macro and any F1 as eval rounds them.
    for key in ["micro", "macro", "any"] {
        let f1 = labels[key]["f1"].as_f64().unwrap();
        assert!(
            html.contains(&format!("data-row=\"{key}\">{key} F1<b>{f1:.3}</b>")),
            "{key}"
        );
    }
    // Provenance: version, command line, content hashes.
    assert!(html.contains("sentlab 0.1.0"));
    assert!(html.contains("command: <code>sentlab report -q --sentences sentences.csv"));
    assert_eq!(html.matches("SHA-256 <code>").count(), 3);
    assert!(html.contains(
        "content=\"default-src &#39;none&#39;; script-src &#39;unsafe-inline&#39;; style-src &#39;unsafe-inline&#39;; img-src data:\""
    ));
    // Nothing is loaded from anywhere: no URL to fetch.
    for needle in ["src=\"http", "href=\"http", "url(", "@import", "<link"] {
        assert!(!html.contains(needle), "{needle}");
    }
    // Same inputs, same bytes.
    let first = fs::read(d.join("report.html")).unwrap();
    report_in(d, &["--rules", "datasets/rules/propaganda.toml"]).success();
    assert_eq!(first, fs::read(d.join("report.html")).unwrap());
}

#[test]
fn report_shows_a_script_in_an_article_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let evil = "</script><script>alert(1)</script>";
    write(d, "in/x.txt", format!("Title\n\nThey said {evil} here.\n"));
    sentlab()
        .current_dir(d)
        .args(["split", "-q", "in", "-o", "sentences.csv"])
        .assert()
        .success();
    // Gold and a prediction with the string as label and rule id too.
    write(
        d,
        "gold.csv",
        format!("sentence_id,label\nx:1,\"{evil}\"\n"),
    );
    let sentences = fs::read_to_string(d.join("sentences.csv")).unwrap();
    let line = sentences.lines().find(|l| l.contains("x:1")).unwrap();
    assert!(line.contains(",body,"), "{line}");
    write(
        d,
        "predictions.csv",
        format!(
            "sentence_id,label,rule_id,start,end,match\nx:1,\"{evil}\",\"{evil}\",7,11,said\nx:1,Other,r2,7,11,said\n"
        ),
    );
    report_in(d, &[]).success();
    let html = fs::read_to_string(d.join("report.html")).unwrap();
    // Two script elements: the figures block and the page's own script; the article's
    // text, the label and the rule id appear only escaped.
    assert_eq!(html.matches("<script").count(), 2, "{html}");
    assert_eq!(html.matches("</script>").count(), 2);
    assert!(html.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
    let fig = figures(&html);
    assert_eq!(fig["labels"]["labels"][0]["label"], evil);
}

#[test]
fn report_refuses_bad_predictions_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "in/a.txt", "Alpha title\n\nThey are crooks!\n");
    sentlab()
        .current_dir(d)
        .args(["split", "-q", "in", "-o", "sentences.csv"])
        .assert()
        .success();
    write(d, "gold.csv", "sentence_id,label\na:1,X\n");
    let header = "sentence_id,label,rule_id,start,end,match\n";
    // a:1 is "They are crooks!" at 13..29 (title 0..11, a blank line).
    for (rows, expected) in [
        ("", "predictions.csv: no prediction rows"),
        (
            "zz:1,X,r,0,1,x\n",
            "predictions.csv: data row 1: sentence `zz:1` is not in the sentence table sentences.csv",
        ),
        (
            "a:1,X,r,13,17,They\na:1,X,r,20,40,x\n",
            "predictions.csv: data row 2: span 20-40 is not inside sentence `a:1` (13-29)",
        ),
    ] {
        write(d, "predictions.csv", format!("{header}{rows}"));
        report_in(d, &[])
            .code(1)
            .stderr(predicate::str::contains(expected));
        assert!(!d.join("report.html").exists(), "{expected}");
    }
}

#[test]
fn report_charts_draw_every_label_rule_and_cell_of_eval() {
    // The charts (drawn by plotters) against eval's JSON of the same views: every defined
    // per-label value is a bar, every rule that fired is a point, every confusion cell is
    // drawn with its count; each named in its hover title as the page formats it.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sample_tables(d);
    report_in(d, &[]).success();
    let html = fs::read_to_string(d.join("report.html")).unwrap();
    assert_eq!(
        html.matches("<svg xmlns=\"http://www.w3.org/2000/svg\" role=img")
            .count(),
        3
    );
    let labels = eval_json(d, &[]);
    let mut bars = 0;
    for row in labels["labels"].as_array().unwrap() {
        for (key, name) in [
            ("precision", "precision"),
            ("recall", "recall"),
            ("f1", "F1"),
        ] {
            if let Some(v) = row[key].as_f64() {
                let title = format!(
                    "<title>{} {name}: {v:.3}</title>",
                    row["label"].as_str().unwrap()
                );
                assert!(html.contains(&title), "{title}");
                bars += 1;
            }
        }
    }
    let rules = eval_json(d, &["--by", "rule"]);
    let mut points = 0;
    for r in rules.as_array().unwrap() {
        let (Some(p), fired) = (r["precision"].as_f64(), r["fired"].as_u64().unwrap()) else {
            continue;
        };
        let title = format!(
            "<title>{} ({}): precision {p:.3}, fired {fired}</title>",
            r["rule_id"].as_str().unwrap(),
            r["label"].as_str().unwrap()
        );
        assert!(html.contains(&title), "{title}");
        points += 1;
    }
    let confusion = eval_json(d, &["--by", "confusion"]);
    let cells = confusion["cells"].as_array().unwrap();
    for c in cells {
        let name = |k: &str| c[k].as_str().unwrap_or("none").to_owned();
        let title = format!(
            "<title>gold {} / predicted {}: {} sentences</title>",
            name("gold_label"),
            name("predicted_label"),
            c["sentences"]
        );
        assert!(html.contains(&title), "{title}");
    }
    // Hover titles: one per bar, point and cell, and none besides (the page's other
    // <title> is the document's, in <head>).
    assert_eq!(
        html.matches("<title>").count(),
        1 + bars + points + cells.len()
    );
}

// Labels the gold never has, the agreement heat maps, the second prediction set.

/// One article `a`: title "Alpha title" (a:0, 0..11), a blank line, then "They are
/// crooks!" (a:1, 13..29) and "Be afraid." (a:2, 30..40). Gold: a:1 X.
fn small_tables(d: &Path) {
    write(
        d,
        "in/a.txt",
        "Alpha title\n\nThey are crooks!\nBe afraid.\n",
    );
    sentlab()
        .current_dir(d)
        .args(["split", "-q", "in", "-o", "sentences.csv"])
        .assert()
        .success();
    write(d, "gold.csv", "sentence_id,label\na:1,X\n");
}

#[test]
fn report_warns_of_predicted_labels_the_gold_never_has_on_stderr_and_on_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    small_tables(d);
    // Four rows: X (in gold), `Zed` twice and `<Q>` once (in no gold row): 3 rows, 2 labels.
    write(
        d,
        "predictions.csv",
        "sentence_id,label,rule_id,start,end,match\na:1,X,r1,13,17,They\na:1,Zed,r2,13,17,They\na:2,Zed,r3,30,32,Be\na:1,<Q>,r4,13,17,They\n",
    );
    // `eval` without a schema scores such labels (false positives, no refusal): so does
    // `report`, with a warning (exit 0).
    sentlab()
        .current_dir(d)
        .args([
            "report",
            "--sentences",
            "sentences.csv",
            "--gold",
            "gold.csv",
            "--pred",
            "predictions.csv",
            "--bootstrap",
            "100",
            "-o",
            "report.html",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: predictions.csv: 3 prediction rows have a label the gold never has: `<Q>`, `Zed` (scored as false positives: each such label has F1 0 and lowers the macro average)",
        ));
    let html = fs::read_to_string(d.join("report.html")).unwrap();
    assert!(
        html.contains(
            "<p class=note id=unseen-labels>predictions.csv: 3 prediction rows have a label the gold never has: <code>&lt;Q&gt;</code>, <code>Zed</code>. They are scored as false positives: each such label has F1 0 and lowers the macro average.</p>"
        ),
        "{html}"
    );
    // By hand: labels X, Zed, <Q>: X tp 1; Zed fp 2 (a:1, a:2); <Q> fp 1. F1: X 1, Zed 0,
    // <Q> 0; macro (1 + 0 + 0) / 3 = 0.333.
    assert!(
        html.contains("data-row=\"macro\">macro F1<b>0.333</b>"),
        "{html}"
    );
    // No such label: no note, no warning.
    write(
        d,
        "predictions.csv",
        "sentence_id,label,rule_id,start,end,match\na:1,X,r1,13,17,They\n",
    );
    report_in(d, &[]).success();
    let html = fs::read_to_string(d.join("report.html")).unwrap();
    assert!(!html.contains("unseen-labels"));
}

/// The cells (`data-v` of each `<td>`, and its text) of the table with id `id`, row by row,
/// keyed by the row's header cell text.
fn heat_rows(html: &str, id: &str) -> Vec<(String, Vec<(String, String)>)> {
    let t = &html[html.find(&format!("id={id}>")).unwrap()..];
    let t = &t[..t.find("</table>").unwrap()];
    let body = &t[t.find("<tbody>").unwrap()..];
    body.split("<tr>")
        .skip(1)
        .map(|row| {
            let head = &row[row.find("<th scope=row").unwrap()..];
            let head = &head[head.find('>').unwrap() + 1..head.find("</th>").unwrap()];
            let cells = row
                .split("<td")
                .skip(1)
                .map(|c| {
                    let v = c
                        .find("data-v=\"")
                        .map(|i| {
                            let r = &c[i + 8..];
                            r[..r.find('"').unwrap()].to_owned()
                        })
                        .unwrap_or_default();
                    let text = &c[c.find('>').unwrap() + 1..c.find("</td>").unwrap()];
                    (v, text.to_owned())
                })
                .collect();
            (head.to_owned(), cells)
        })
        .collect()
}

/// A JSON number as the page shows it: `data-v` exact, text at 3 decimals (`-` for null).
fn shown(v: &serde_json::Value) -> (String, String) {
    match v.as_f64() {
        Some(x) => (x.to_string(), format!("{x:.3}")),
        None => (String::new(), "-".to_owned()),
    }
}

/// Cells equal to the expected ones: texts identical, `data-v` the same number (serde_json
/// reads a decimal to within one unit in the last place, so the last digit may differ).
fn assert_cells(cells: &[(String, String)], want: &[(String, String)], what: &str) {
    assert_eq!(cells.len(), want.len(), "{what}");
    for (c, w) in cells.iter().zip(want) {
        assert_eq!(c.1, w.1, "{what}");
        match (c.0.parse::<f64>(), w.0.parse::<f64>()) {
            (Ok(x), Ok(y)) => assert!((x - y).abs() <= 1e-15 * y.abs().max(1.0), "{what}: {x} {y}"),
            _ => assert_eq!(c.0, w.0, "{what}"),
        }
    }
}

#[test]
fn report_agreement_heat_maps_show_the_numbers_of_the_agreement_json() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sample_tables(d);
    let mut merge = vec!["labels", "merge", "-q", "--sentences", "sentences.csv"];
    merge.extend(SAMPLE_ANNOTATORS);
    merge.extend(["--schema", "datasets/labels.toml", "-o", "gold2.csv"]);
    merge.extend(["--report", "agreement.json"]);
    sentlab().current_dir(d).args(&merge).assert().success();
    report_in(d, &["--agreement", "agreement.json"]).success();
    let html = fs::read_to_string(d.join("report.html")).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(d.join("agreement.json")).unwrap()).unwrap();
    // Per label: overall, then every label, each figure the JSON's.
    let rows = heat_rows(&html, "t-agreement");
    let mut expected = vec![("overall".to_owned(), &json["overall"])];
    for l in json["labels"].as_array().unwrap() {
        expected.push((l["label"].as_str().unwrap().to_owned(), l));
    }
    assert_eq!(rows.len(), expected.len());
    for ((head, cells), (label, a)) in rows.iter().zip(&expected) {
        assert_eq!(head, label);
        let items = a["items"].as_u64().unwrap().to_string();
        let mut want = vec![(items.clone(), items)];
        for k in [
            "percent_agreement",
            "fleiss_kappa",
            "krippendorff_alpha",
            "gwet_ac1",
        ] {
            want.push(shown(&a[k]["value"]));
        }
        assert_cells(cells, &want, label);
    }
    // Kappa per pair: a 3 x 3 matrix of ana, ben, chloe; each pair's kappa (pooled) in both
    // of its cells, the diagonal empty.
    let names = ["ana", "ben", "chloe"];
    let rows = heat_rows(&html, "t-kappa");
    assert_eq!(rows.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(), names);
    let pairs = json["overall"]["cohen"].as_array().unwrap();
    assert_eq!(pairs.len(), 3);
    for (i, (_, cells)) in rows.iter().enumerate() {
        for (j, cell) in cells.iter().enumerate() {
            if i == j {
                assert_eq!(cell, &(String::new(), String::new()));
                continue;
            }
            let p = pairs
                .iter()
                .find(|p| {
                    (p["a"] == names[i] && p["b"] == names[j])
                        || (p["a"] == names[j] && p["b"] == names[i])
                })
                .unwrap();
            assert_cells(
                std::slice::from_ref(cell),
                &[shown(&p["kappa"])],
                &format!("{} {}", names[i], names[j]),
            );
        }
    }
    // The agreement report's hash is stated; the figures block holds it as read.
    assert!(html.contains("agreement SHA-256 <code>"));
    assert_eq!(figures(&html)["agreement"], json);
}

#[test]
fn report_agreement_strings_are_escaped_and_a_bad_report_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    small_tables(d);
    write(
        d,
        "predictions.csv",
        "sentence_id,label,rule_id,start,end,match\na:1,X,r1,13,17,They\n",
    );
    // By hand, two annotators `<a>` and `b&c`, one label `</script>`; kappa -0.5 of the
    // pair (shown -0.500, colour 50% of the way to #b2182b: (217, 140, 149)).
    let stat = |v: &str| format!("{{\"value\": {v}, \"items\": 3}}");
    let agreement = |label: &str| {
        format!(
            "{{\"items\": 3, \"percent_agreement\": {}, \"fleiss_kappa\": {}, \"krippendorff_alpha\": {}, \"gwet_ac1\": {}, \"cohen\": [{{\"a\": \"<a>\", \"b\": \"b&c\", \"items\": 3, \"observed_agreement\": 0.5, \"kappa\": -0.5, \"ac1\": null, \"pabak\": 0.0}}]{label}}}",
            stat("0.5"),
            stat("-0.5"),
            stat("null"),
            stat("1")
        )
    };
    write(
        d,
        "agreement.json",
        format!(
            "{{\"annotators\": [\"<a>\", \"b&c\"], \"overall\": {}, \"labels\": [{}]}}",
            agreement(""),
            agreement(", \"label\": \"</script>\"")
        ),
    );
    report_in(d, &["--agreement", "agreement.json"]).success();
    let html = fs::read_to_string(d.join("report.html")).unwrap();
    assert_eq!(html.matches("</script>").count(), 2);
    assert!(html.contains("<th scope=row data-v=\"&lt;/script&gt;\">&lt;/script&gt;</th>"));
    assert!(html.contains("<th scope=col>&lt;a&gt;</th><th scope=col>b&amp;c</th>"));
    assert!(html.contains(
        "<td data-v=\"-0.5\" style=\"background:#d98c95;color:#222\" title=\"&lt;a&gt; and b&amp;c: 3 items\">-0.500</td>"
    ));
    // An undefined figure: grey, `-`.
    assert!(html.contains("style=\"background:#eeeeee;color:#222\" title=\"overall, Krippendorff&#39;s alpha: 3 items\">-</td>"));
    // Not an agreement report: refused, naming the file and line, no page written.
    fs::remove_file(d.join("report.html")).unwrap();
    write(
        d,
        "agreement.json",
        "{\"annotators\": [\"a\"],\n \"overall\": 3}\n",
    );
    report_in(d, &["--agreement", "agreement.json"])
        .code(1)
        .stderr(
            predicate::str::contains("agreement.json: ")
                .and(predicate::str::contains("line 2"))
                .and(predicate::str::contains(
                    "expected the agreement report (JSON) that `labels merge --report` writes",
                )),
        );
    assert!(!d.join("report.html").exists());
}

/// The cells of the compare table: row name -> (data-v, text) of each `<td>`.
fn compare_rows(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    heat_rows(html, "t-compare")
}

#[test]
fn report_compare_view_shows_the_numbers_of_compare_json() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sample_tables(d);
    // B: the sample's predictions without the Loaded_Language rows.
    let a = fs::read_to_string(d.join("predictions.csv")).unwrap();
    let b: String = a
        .lines()
        .filter(|l| !l.contains(",Loaded_Language,"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(b.lines().count() < a.lines().count());
    write(d, "b.csv", &b);
    let flags = ["--bootstrap", "200", "--permutations", "300", "--seed", "9"];
    sentlab()
        .current_dir(d)
        .args([
            "report",
            "-q",
            "--sentences",
            "sentences.csv",
            "--gold",
            "gold.csv",
        ])
        .args([
            "--pred",
            "predictions.csv",
            "--pred",
            "b.csv",
            "-o",
            "report.html",
        ])
        .args(flags)
        .assert()
        .success();
    let cmp = stdout_of(
        sentlab()
            .current_dir(d)
            .args([
                "compare",
                "-q",
                "--sentences",
                "sentences.csv",
                "--gold",
                "gold.csv",
            ])
            .args([
                "--pred",
                "predictions.csv",
                "--pred",
                "b.csv",
                "--format",
                "json",
            ])
            .args(flags),
    );
    let cmp: serde_json::Value = serde_json::from_str(&cmp).unwrap();
    let html = fs::read_to_string(d.join("report.html")).unwrap();
    assert_eq!(figures(&html)["compare"], cmp);
    // Every row shown: F1 of A, of B, the difference, its interval, the p-value.
    let rows = compare_rows(&html);
    let mut expected: Vec<(String, &serde_json::Value)> = cmp["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["label"].as_str().unwrap().to_owned(), r))
        .collect();
    expected.push(("micro".to_owned(), &cmp["micro"]));
    expected.push(("macro".to_owned(), &cmp["macro"]));
    assert_eq!(rows.len(), expected.len());
    // micro and macro are in the table's foot, which sorting by a header leaves in place.
    let table = &html[html.find("id=t-compare>").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    assert!(
        table.contains("</tbody><tfoot>\n<tr><th scope=row data-v=\"micro\">micro</th>"),
        "{table}"
    );
    for ((name, cells), (label, r)) in rows.iter().zip(&expected) {
        assert_eq!(name, label);
        let ci = r["f1_diff_ci"].as_array().unwrap();
        let (lo, hi) = (ci[0].as_f64().unwrap(), ci[1].as_f64().unwrap());
        let p = r["p_value"].as_f64().unwrap();
        let want = vec![
            shown(&r["a"]["f1"]),
            shown(&r["b"]["f1"]),
            shown(&r["f1_diff"]),
            (lo.to_string(), format!("[{lo:.3}, {hi:.3}]")),
            (p.to_string(), format!("{p:.4}")),
        ];
        assert_cells(cells, &want, label);
    }
    // By hand: B drops only Loaded_Language predictions, so its Loaded_Language F1 is 0
    // (no prediction, 10 gold sentences) and every other label's F1 is A's.
    let ll = rows.iter().find(|r| r.0 == "Loaded_Language").unwrap();
    assert_eq!(ll.1[1].1, "0.000");
    // Both prediction sets are hashed on the page.
    assert!(html.contains("predictions A SHA-256 <code>"));
    assert!(html.contains("predictions B SHA-256 <code>"));
    // Three --pred, or --permutations without a second --pred: usage errors.
    report_in(d, &["--pred", "b.csv", "--pred", "b.csv"])
        .code(2)
        .stderr(predicate::str::contains("--pred was given 3 times"));
    report_in(d, &["--permutations", "300"])
        .code(2)
        .stderr(predicate::str::contains("--permutations"));
}

#[test]
fn report_warns_of_labels_the_gold_never_has_in_the_second_prediction_set() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    small_tables(d);
    let header = "sentence_id,label,rule_id,start,end,match\n";
    write(
        d,
        "predictions.csv",
        format!("{header}a:1,X,r1,13,17,They\n"),
    );
    // B: X on a:1 and `Zed` (no gold row has it) on a:2: 1 row, 1 label.
    write(
        d,
        "b.csv",
        format!("{header}a:1,X,r1,13,17,They\na:2,Zed,r2,30,32,Be\n"),
    );
    sentlab()
        .current_dir(d)
        .args(["report", "--sentences", "sentences.csv", "--gold", "gold.csv"])
        .args(["--pred", "predictions.csv", "--pred", "b.csv"])
        .args(["--bootstrap", "100", "--permutations", "100", "-o", "report.html"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: b.csv: 1 prediction row has a label the gold never has: `Zed` (scored as false positives",
        ))
        .stderr(predicate::str::contains("predictions.csv:").not());
    let html = fs::read_to_string(d.join("report.html")).unwrap();
    assert!(
        html.contains("b.csv: 1 prediction row has a label the gold never has: <code>Zed</code>.")
    );
    // By hand: labels X, Zed. A: X F1 1, Zed F1 undefined (0/0: `-`); B: X 1, Zed 0.
    let rows = compare_rows(&html);
    assert_eq!(rows[1].0, "Zed");
    assert_eq!(rows[1].1[0].1, "-");
    assert_eq!(rows[1].1[1].1, "0.000");
}

// Gold as PTC span files: the same numbers as `eval`, gold spans highlighted in the error
// browser.

/// Two articles in PTC layout, split, with gold span files in `gold/` and predictions.
///
/// `article1.txt` "Big title\n\nThey are crooks and liars.\nFear them now.\n": 1:0 "Big
/// title" 0..9, 1:1 "They are crooks and liars." 11..37 ("crooks" 20..26, "and" 27..30,
/// "liars." 31..37), 1:2 "Fear them now." 38..52 ("Fear" 38..42).
/// `article2.txt` "Second\n\nAll is calm.\nWe <b>win</b>!\n": 2:0 "Second" 0..6, 2:1 "All
/// is calm." 8..20, 2:2 "We <b>win</b>!" 21..35 ("We" 21..23, "<b>win</b>" 24..34).
///
/// Gold spans: 1 Name_Calling 20..26 ("crooks", in 1:1), 1 Loaded 20..30 ("crooks and",
/// 1:1), 1 Fear 31..43 ("liars.\nFear ", in 1:1 and 1:2); 2 Doubt 24..34 (in 2:2), and two
/// skipped: 2 Doubt 7..8 (the blank line between 2:0 and 2:1: no sentence) and 2 X 30..99
/// (past the end of the 36 code points of article 2).
/// Predictions: 1:1 Name_Calling r_name "crooks"; 1:2 Name_Calling r_name "Fear"; 2:1 Doubt
/// r_doubt "All"; 2:2 Doubt r_doubt "We".
fn span_gold_tables(d: &Path) {
    write(
        d,
        "in/article1.txt",
        "Big title\n\nThey are crooks and liars.\nFear them now.\n",
    );
    write(
        d,
        "in/article2.txt",
        "Second\n\nAll is calm.\nWe <b>win</b>!\n",
    );
    sentlab()
        .current_dir(d)
        .args(["split", "-q", "in", "-o", "sentences.csv"])
        .assert()
        .success();
    write(
        d,
        "gold/article1.labels",
        "1\tName_Calling\t20\t26\n1\tLoaded\t20\t30\n1\tFear\t31\t43\n",
    );
    write(
        d,
        "gold/article2.labels",
        "2\tDoubt\t24\t34\n2\tDoubt\t7\t8\n2\tX\t30\t99\n",
    );
    write(
        d,
        "predictions.csv",
        "sentence_id,label,rule_id,start,end,match\n1:1,Name_Calling,r_name,20,26,crooks\n1:2,Name_Calling,r_name,38,42,Fear\n2:1,Doubt,r_doubt,8,11,All\n2:2,Doubt,r_doubt,21,23,We\n",
    );
}

/// `eval --format json` with gold `gold` and the extra flags; its stderr too.
fn eval_json_with_gold(d: &Path, gold: &str, args: &[&str]) -> (serde_json::Value, String) {
    let out = sentlab()
        .current_dir(d)
        .args(["eval", "--gold", gold, "--pred", "predictions.csv"])
        .args(["--sentences", "sentences.csv", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    (
        serde_json::from_slice(&out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn report_with_gold(d: &Path, gold: &str) -> String {
    let out = sentlab()
        .current_dir(d)
        .args(["report", "--sentences", "sentences.csv", "--gold", gold])
        .args(["--pred", "predictions.csv", "--bootstrap", "200"])
        .args(["-o", "report.html"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn report_on_span_gold_equals_eval_json_and_highlights_the_gold_spans() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    span_gold_tables(d);
    for gold in ["gold", "gold/article1.labels"] {
        let stderr = report_with_gold(d, gold);
        let html = fs::read_to_string(d.join("report.html")).unwrap();
        let fig = figures(&html);
        let (labels, eval_stderr) = eval_json_with_gold(d, gold, &["--bootstrap", "200"]);
        assert_eq!(fig["labels"], labels, "{gold}");
        for by in ["rule", "article", "confusion"] {
            let (v, _) = eval_json_with_gold(d, gold, &["--by", by]);
            let key = match by {
                "confusion" => "confusion".to_owned(),
                _ => format!("{by}s"),
            };
            assert_eq!(fig[&key], v, "{gold} --by {by}");
        }
        // The same warnings as eval (skipped gold spans counted, the first named).
        let warnings: Vec<&str> = eval_stderr
            .lines()
            .filter(|l| l.starts_with("warning:"))
            .collect();
        if gold == "gold" {
            assert_eq!(warnings.len(), 1, "{eval_stderr}");
            assert!(
                warnings[0].contains("2 gold span(s) skipped"),
                "{eval_stderr}"
            );
        }
        for w in warnings {
            assert!(stderr.contains(w), "{w}\n{stderr}");
        }
    }
    let html = fs::read_to_string(d.join("report.html")).unwrap();
    // Last run: only article1.labels. By hand, the projected gold pairs are 1:1
    // {Name_Calling, Loaded, Fear}, 1:2 {Fear}: Name_Calling tp 1 (1:1) fp 1 (1:2), Loaded fn
    // 1, Fear fn 2, Doubt fp 2 (2:1, 2:2): micro tp 1, fp 3, fn 3: P 1/4, R 1/4, F1 0.250.
    assert!(
        html.contains("data-row=\"micro\">micro F1<b>0.250</b>"),
        "{html}"
    );

    report_with_gold(d, "gold");
    let html = fs::read_to_string(d.join("report.html")).unwrap();
    // By hand, with both files: 2:2 gets Doubt too: tp 2 (Name_Calling 1:1, Doubt 2:2), fp 2
    // (1:2, 2:1), fn 3 (Loaded, Fear twice): P 1/2, R 2/5, F1 4/9 = 0.444.
    assert!(
        html.contains("data-row=\"micro\">micro F1<b>0.444</b>"),
        "{html}"
    );
    // 1:1: "crooks" lies in the gold spans Loaded (missed: dashed) and Name_Calling
    // (predicted there), nested, with the predicted mark inside: all three stay visible;
    // Loaded goes on over " and"; "liars." starts the Fear span (missed).
    let both = "r_name → Name_Calling · gold: Loaded, Name_Calling";
    assert!(
        html.contains(&format!(
            "They are <span class=\"g gfn gs\" data-g=fn data-label=\"Loaded\" data-rule=\"\" title=\"{both}\"><span class=\"g gtp gs ge\" data-g=tp data-label=\"Name_Calling\" data-rule=\"\" title=\"{both}\"><mark class=tp data-e=tp data-label=\"Name_Calling\" data-rule=\"r_name\" title=\"{both}\">crooks</mark></span></span><span class=\"g gfn ge\" data-g=fn data-label=\"Loaded\" data-rule=\"\" title=\"gold: Loaded\"> and</span> <span class=\"g gfn gs ge\" data-g=fn data-label=\"Fear\" data-rule=\"\" title=\"gold: Fear\">liars.</span>"
        )),
        "{html}"
    );
    // 1:2: the rest of the Fear span ("Fear "), over the false positive "Fear".
    let fp = "r_name → Name_Calling · gold: Fear";
    assert!(
        html.contains(&format!(
            "<span class=\"g gfn gs\" data-g=fn data-label=\"Fear\" data-rule=\"\" title=\"{fp}\"><mark class=fp data-e=fp data-label=\"Name_Calling\" data-rule=\"r_name\" title=\"{fp}\">Fear</mark></span><span class=\"g gfn ge\" data-g=fn data-label=\"Fear\" data-rule=\"\" title=\"gold: Fear\"> </span>them now."
        )),
        "{html}"
    );
    // 2:2: the article's markup is text inside the gold span.
    assert!(
        html.contains(
            "<mark class=tp data-e=tp data-label=\"Doubt\" data-rule=\"r_doubt\" title=\"r_doubt → Doubt\">We</mark> <span class=\"g gtp gs ge\" data-g=tp data-label=\"Doubt\" data-rule=\"\" title=\"gold: Doubt\">&lt;b&gt;win&lt;/b&gt;</span>!"
        ),
        "{html}"
    );
    assert!(!html.contains("<b>win"));
    // Same inputs, same bytes; the gold directory is hashed (a changed span file changes
    // the hash on the page).
    let first = fs::read(d.join("report.html")).unwrap();
    report_with_gold(d, "gold");
    assert_eq!(first, fs::read(d.join("report.html")).unwrap());
    let gold_hash = |html: &str| {
        let at = html.find("gold SHA-256 <code>").unwrap() + "gold SHA-256 <code>".len();
        html[at..at + 64].to_owned()
    };
    let before = gold_hash(&html);
    write(d, "gold/article2.labels", "2\tDoubt\t24\t34\n");
    report_with_gold(d, "gold");
    let html = fs::read_to_string(d.join("report.html")).unwrap();
    assert_ne!(before, gold_hash(&html));
}

#[test]
fn report_highlights_gold_spans_whose_article_is_written_with_its_article_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    span_gold_tables(d);
    // PTC files may name article 2 `article2`: the span is scored on 2:2 (eval takes the
    // id without the prefix), and so it is highlighted there: "<b>win</b>" is 24..34, 2:2
    // starts at 21, the part is 3..13 of "We <b>win</b>!".
    fs::remove_file(d.join("gold/article1.labels")).unwrap();
    write(d, "gold/article2.labels", "article2\tDoubt\t24\t34\n");
    report_with_gold(d, "gold");
    let html = fs::read_to_string(d.join("report.html")).unwrap();
    assert!(
        html.contains(
            "We</mark> <span class=\"g gtp gs ge\" data-g=tp data-label=\"Doubt\" data-rule=\"\" title=\"gold: Doubt\">&lt;b&gt;win&lt;/b&gt;</span>!"
        ),
        "{html}"
    );
}
