//! Tests on a hand-computed fixture, edge cases, span scoring, by-rule, errors, bootstrap
//! and rendering.

use super::*;
use crate::rows::{LabelRow, PredictionRow, SpanLabel};

const LL: &str = "Loaded_Language";
const NC: &str = "Name_Calling,Labeling";
const D: &str = "Doubt";
const FW: &str = "Flag_Waving";

fn sentence_ids() -> Vec<String> {
    let mut v = Vec::new();
    for (a, n) in [("a1", 5), ("a2", 4), ("a3", 3)] {
        for i in 0..n {
            v.push(format!("{a}:{i}"));
        }
    }
    v
}

fn gold_rows() -> Vec<LabelRow> {
    [
        ("a1:0", LL),
        ("a1:1", LL),
        ("a1:1", NC),
        ("a1:2", D),
        ("a2:0", LL),
        ("a2:0", LL), // duplicate
        ("a2:1", NC),
        ("a2:3", D),
        ("a3:0", LL),
        ("a3:2", NC),
        ("zz:9", LL), // outside the universe
    ]
    .into_iter()
    .map(|(s, l)| LabelRow {
        sentence_id: s.into(),
        label: l.into(),
    })
    .collect()
}

fn pred_rows() -> Vec<PredictionRow> {
    [
        ("a1:0", LL, "r_ll1", 0, "stupid"),
        ("a1:0", LL, "r_ll2", 10, "idiotic"), // same pair again (another rule)
        ("a1:1", NC, "r_nc1", 40, "clown"),
        ("a1:3", LL, "r_ll2", 90, "awful"),
        ("a1:3", LL, "r_ll1", 80, "disgrace"), // same pair again
        ("a1:4", LL, "r_ll2", 120, "vile"),
        ("a2:0", LL, "r_ll1", 0, "stupid"),
        ("a2:1", FW, "r_fw", 30, "our nation"),
        ("a2:1", NC, "r_nc1", 35, "traitor"),
        ("a2:2", NC, "r_nc1", 60, "crook, \"boss\""),
        ("a3:1", FW, "r_fw", 20, "patriots"),
        ("a3:0", LL, "r_ll2", 5, "idiotic"),
        ("yy:1", LL, "r_ll1", 0, "stupid"), // outside the universe
    ]
    .into_iter()
    .map(
        |(s, l, r, start, m): (&str, &str, &str, u64, &str)| PredictionRow {
            sentence_id: s.into(),
            label: l.into(),
            rule_id: r.into(),
            start,
            end: start + m.chars().count() as u64,
            matched: m.into(),
        },
    )
    .collect()
}

fn universe() -> Universe {
    Universe::from_ids(sentence_ids()).unwrap()
}

fn fixture() -> SentenceEval {
    evaluate_rows(
        &universe(),
        &gold_rows(),
        &pred_rows(),
        &SentenceOptions::default(),
    )
    .unwrap()
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() < 1e-12,
        (None, None) => true,
        _ => false,
    }
}

fn assert_prf(m: Prf, p: Option<f64>, r: Option<f64>, f: Option<f64>) {
    assert!(
        close(m.precision, p) && close(m.recall, r) && close(m.f1, f),
        "{m:?} != ({p:?}, {r:?}, {f:?})"
    );
}

// Hand computation of the fixture (12 sentences a1:0-4, a2:0-3, a3:0-2; articles a1, a2, a3).
//
// Gold pairs after dropping zz:9 (outside) and the repeated (a2:0, LL):
//   Loaded_Language       {a1:0, a1:1, a2:0, a3:0}   support 4
//   Name_Calling,Labeling {a1:1, a2:1, a3:2}         support 3
//   Doubt                 {a1:2, a2:3}               support 2  (never predicted)
//   Flag_Waving           {}                         support 0  (only predicted)
// Predicted pairs after dropping yy:1 and the repeats (a1:0, LL), (a1:3, LL):
//   Loaded_Language       {a1:0, a1:3, a1:4, a2:0, a3:0}
//   Name_Calling,Labeling {a1:1, a2:1, a2:2}
//   Flag_Waving           {a2:1, a3:1}
// Per label (F1 = 2tp / (2tp + fp + fn)):
//   Doubt            tp 0 fp 0 fn 2: P = 0/0 -> None, R = 0/2 = 0,   F1 = 0/2 = 0
//   Flag_Waving      tp 0 fp 2 fn 0: P = 0/2 = 0,     R = 0/0 -> None, F1 = 0/2 = 0
//   Loaded_Language  tp 3 fp 2 fn 1: P = 3/5 = 0.6,   R = 3/4 = 0.75, F1 = 6/9 = 0.666667
//   Name_Calling,... tp 2 fp 1 fn 1: P = 2/3,         R = 2/3,        F1 = 4/6 = 0.666667
// Micro: TP 5, FP 5, FN 4: P = 5/10 = 0.5, R = 5/9 = 0.555556, F1 = 10/19 = 0.526316
// Macro (None counts 0): P = (0 + 0 + 0.6 + 2/3)/4 = 0.316667,
//   R = (0 + 0 + 0.75 + 2/3)/4 = 0.354167, F1 = (0 + 0 + 2/3 + 2/3)/4 = 0.333333
// Weighted (supports 2, 0, 4, 3; total 9): P = (0.6·4 + 2/3·3)/9 = 4.4/9 = 0.488889,
//   R = (0.75·4 + 2/3·3)/9 = 5/9 = 0.555556, F1 = (2/3·4 + 2/3·3)/9 = 14/27 = 0.518519
// Any: gold sentences {a1:0, a1:1, a1:2, a2:0, a2:1, a2:3, a3:0, a3:2} (8),
//   predicted {a1:0, a1:1, a1:3, a1:4, a2:0, a2:1, a2:2, a3:0, a3:1} (9), both 5:
//   tp 5 fp 4 fn 3: P = 5/9 = 0.555556, R = 5/8 = 0.625, F1 = 10/17 = 0.588235
// scikit-learn 1.9.1 (precision_recall_fscore_support on the 12x4 indicator matrices,
// average=None/micro/macro/weighted, and binary on the row-wise any) gives the same values.
#[test]
fn fixture_counts_and_metrics_match_hand_computation() {
    let e = fixture();
    assert_eq!(e.labels.names(), &[D, FW, LL, NC]);
    let c = |tp, fp, fn_| Counts { tp, fp, fn_ };
    assert_eq!(
        e.counts.per_label,
        vec![c(0, 0, 2), c(0, 2, 0), c(3, 2, 1), c(2, 1, 1)]
    );
    assert_eq!(e.counts.any, c(5, 4, 3));
    assert_eq!(
        e.diagnostics,
        Diagnostics {
            gold_rows: 11,
            pred_rows: 13,
            gold_outside: 1,
            pred_outside: 1,
            outside_examples: vec!["zz:9".into(), "yy:1".into()],
            gold_unlisted_label: 0,
            pred_unlisted_label: 0,
            gold_duplicates: 1,
            pred_duplicates: 2,
        }
    );
    let r = Report::from_sentence(&e);
    let row = |l: &str| r.labels.iter().find(|x| x.label == l).unwrap().metrics;
    assert_prf(row(D), None, Some(0.0), Some(0.0));
    assert_prf(row(FW), Some(0.0), None, Some(0.0));
    assert_prf(row(LL), Some(0.6), Some(0.75), Some(2.0 / 3.0));
    assert_prf(row(NC), Some(2.0 / 3.0), Some(2.0 / 3.0), Some(2.0 / 3.0));
    assert_prf(
        r.micro.metrics,
        Some(0.5),
        Some(5.0 / 9.0),
        Some(10.0 / 19.0),
    );
    assert_prf(
        r.macro_.metrics,
        Some(0.31666666666666665),
        Some(0.35416666666666663),
        Some(1.0 / 3.0),
    );
    assert_prf(
        r.weighted.metrics,
        Some(4.4 / 9.0),
        Some(5.0 / 9.0),
        Some(14.0 / 27.0),
    );
    assert_prf(
        r.any.as_ref().unwrap().metrics,
        Some(5.0 / 9.0),
        Some(0.625),
        Some(10.0 / 17.0),
    );
    assert_eq!(r.micro.support, Some(9));
    assert_eq!(r.micro.tp, Some(5));
}

#[test]
fn strict_mode_rejects_rows_outside_the_sentence_table() {
    let opts = SentenceOptions {
        strict: true,
        ..Default::default()
    };
    let err = evaluate_rows(&universe(), &gold_rows(), &pred_rows(), &opts).unwrap_err();
    assert_eq!(
        err,
        EvalError::OutsideUniverse {
            gold: 1,
            pred: 1,
            examples: vec!["zz:9".into(), "yy:1".into()]
        }
    );
}

#[test]
fn labels_option_restricts_and_orders() {
    let opts = SentenceOptions {
        labels: Some(vec![NC.into(), "Unseen".into(), D.into()]),
        strict: false,
    };
    let e = evaluate_rows(&universe(), &gold_rows(), &pred_rows(), &opts).unwrap();
    assert_eq!(e.labels.names(), &[NC, "Unseen", D]);
    let c = |tp, fp, fn_| Counts { tp, fp, fn_ };
    assert_eq!(e.counts.per_label, vec![c(2, 1, 1), c(0, 0, 0), c(0, 0, 2)]);
    // Gold LL rows: a1:0, a1:1, a2:0 twice, a3:0 (zz:9 is outside, counted there).
    assert_eq!(e.diagnostics.gold_unlisted_label, 5);
    // Pred LL rows in the universe: 7; FW rows: 2.
    assert_eq!(e.diagnostics.pred_unlisted_label, 9);
    // Any over the listed labels only: gold {a1:1, a1:2, a2:1, a2:3, a3:2},
    // pred {a1:1, a2:1, a2:2}: tp 2, fp 1, fn 3.
    assert_eq!(e.counts.any, c(2, 1, 3));
    let r = Report::from_sentence(&e);
    assert_prf(r.labels[1].metrics, None, None, None);
    // Macro over 3 labels: P = (2/3 + 0 + 0)/3, R = (2/3 + 0 + 0)/3.
    assert_prf(
        r.macro_.metrics,
        Some(2.0 / 9.0),
        Some(2.0 / 9.0),
        Some(2.0 / 9.0),
    );
}

#[test]
fn empty_predictions_give_zero_recall_and_undefined_precision() {
    let e = evaluate_rows(&universe(), &gold_rows(), &[], &SentenceOptions::default()).unwrap();
    let r = Report::from_sentence(&e);
    assert_eq!(r.labels.len(), 3);
    for row in &r.labels {
        assert_prf(row.metrics, None, Some(0.0), Some(0.0));
    }
    assert_prf(r.micro.metrics, None, Some(0.0), Some(0.0));
    assert_prf(r.macro_.metrics, Some(0.0), Some(0.0), Some(0.0));
    assert_prf(r.any.unwrap().metrics, None, Some(0.0), Some(0.0));
}

#[test]
fn empty_gold_gives_zero_precision_and_undefined_recall() {
    let e = evaluate_rows(&universe(), &[], &pred_rows(), &SentenceOptions::default()).unwrap();
    let r = Report::from_sentence(&e);
    for row in &r.labels {
        assert_prf(row.metrics, Some(0.0), None, Some(0.0));
    }
    assert_prf(r.micro.metrics, Some(0.0), None, Some(0.0));
    // Total support 0: weighted is undefined (scikit-learn would say 0).
    assert_prf(r.weighted.metrics, None, None, None);
}

#[test]
fn everything_empty_does_not_crash() {
    let e = evaluate_rows(&Universe::default(), &[], &[], &SentenceOptions::default()).unwrap();
    let r = Report::from_sentence(&e);
    assert!(r.labels.is_empty());
    assert_prf(r.macro_.metrics, None, None, None);
    let out = r.render(Format::Table);
    assert!(out.contains("micro"));
    let json: serde_json::Value = serde_json::from_str(&r.render(Format::Json)).unwrap();
    assert_eq!(json["micro"]["precision"], serde_json::Value::Null);
    let b = bootstrap(
        &e,
        &Universe::default(),
        &BootstrapOptions {
            n: 10,
            seed: 1,
            threads: 2,
        },
    );
    assert_eq!(b.micro, Cis::default());
}

#[test]
fn interned_core_rejects_out_of_range_pairs() {
    assert!(matches!(
        evaluate_interned(2, 1, vec![(2, 0)], vec![]),
        Err(EvalError::IndexOutOfRange { sentence: 2, .. })
    ));
    assert!(evaluate_interned(2, 1, vec![], vec![(0, 1)]).is_err());
}

#[test]
fn by_rule_matches_hand_counts() {
    // Sentence groups (label, rule):
    //   a1:0 (LL r_ll1) (LL r_ll2) gold LL -> both TP, overlap, not unique
    //   a1:1 (NC r_nc1) gold NC -> TP unique
    //   a1:3 (LL r_ll1) (LL r_ll2) -> both FP, overlap
    //   a1:4 (LL r_ll2) -> FP
    //   a2:0 (LL r_ll1) -> TP unique
    //   a2:1 (FW r_fw) (NC r_nc1) gold NC -> FW FP conflict; NC TP unique conflict
    //   a2:2 (NC r_nc1) -> FP
    //   a3:0 (LL r_ll2) -> TP unique
    //   a3:1 (FW r_fw) -> FP
    let rows = by_rule(&fixture(), &universe(), &pred_rows());
    let got: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.rule_id.as_str(),
                r.label.as_str(),
                r.fired,
                r.tp,
                r.fp,
                r.unique_tp,
                r.overlap,
                r.conflict,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("r_fw", FW, 2, 0, 2, 0, 0, 1),
            ("r_ll1", LL, 3, 2, 1, 1, 2, 0),
            ("r_ll2", LL, 4, 2, 2, 1, 2, 0),
            ("r_nc1", NC, 3, 2, 1, 2, 0, 1),
        ]
    );
    assert!(close(rows[1].precision, Some(2.0 / 3.0)));
    assert!(close(rows[2].precision, Some(0.5)));
    insta::assert_snapshot!(render_rules(&rows, Format::Table));
}

#[test]
fn error_list_is_sorted_and_joins_rules_and_matches() {
    let ids = sentence_ids();
    let texts: Vec<String> = ids.iter().map(|s| format!("text of {s}")).collect();
    let errs = error_list(&fixture(), &universe(), &pred_rows(), |i| {
        texts.get(i as usize).map(String::as_str)
    });
    let got: Vec<_> = errs
        .iter()
        .map(|e| (e.label.as_str(), e.sentence_id.as_str(), e.kind))
        .collect();
    use ErrorKind::{FN, FP};
    assert_eq!(
        got,
        vec![
            (D, "a1:2", FN),
            (D, "a2:3", FN),
            (FW, "a2:1", FP),
            (FW, "a3:1", FP),
            (LL, "a1:1", FN),
            (LL, "a1:3", FP),
            (LL, "a1:4", FP),
            (NC, "a2:2", FP),
            (NC, "a3:2", FN),
        ]
    );
    let a13 = &errs[5];
    assert_eq!(a13.rules, "r_ll1 | r_ll2");
    assert_eq!(a13.matches, "disgrace | awful");
    assert_eq!(a13.text, "text of a1:3");
    assert_eq!(errs[0].rules, "");
    let csv = errors::render_errors_csv(&errs);
    assert!(csv.contains(
        "a2:2,\"Name_Calling,Labeling\",FP,r_nc1,\"crook, \"\"boss\"\"\",text of a2:2\n"
    ));
}

#[test]
fn report_json_has_the_agreed_shape() {
    let mut r = Report::from_sentence(&fixture());
    r.sort(SortKey::Support);
    let v: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys.len(), 5);
    for k in ["labels", "micro", "macro", "weighted", "any"] {
        assert!(keys.contains(&k), "{k}");
    }
    let first = &v["labels"][0];
    assert_eq!(first["label"], LL);
    assert_eq!(first["tp"], 3);
    assert_eq!(first["fp"], 2);
    assert_eq!(first["fn"], 1);
    assert_eq!(first["support"], 4);
    assert_eq!(first["precision"], 0.6);
    assert_eq!(first["recall"], 0.75);
    let doubt = &v["labels"][2];
    assert_eq!(doubt["label"], D);
    assert!(doubt["precision"].is_null());
    assert!(v["micro"].get("label").is_none());
    assert_eq!(v["micro"]["tp"], 5);
    assert!(v["macro"].get("tp").is_none());
    assert_eq!(v["macro"]["support"], 9);
    assert_eq!(v["any"]["fn"], 3);
}

#[test]
fn sort_orders() {
    let mut r = Report::from_sentence(&fixture());
    let names = |r: &Report| r.labels.iter().map(|x| x.label.clone()).collect::<Vec<_>>();
    r.sort(SortKey::Support);
    assert_eq!(names(&r), vec![LL, NC, D, FW]);
    r.sort(SortKey::Label);
    assert_eq!(names(&r), vec![D, FW, LL, NC]);
    r.sort(SortKey::F1);
    // LL and NC both 2/3 (exactly equal? 6/9 vs 4/6), then D and FW with 0.
    assert_eq!(names(&r), vec![LL, NC, D, FW]);
}

#[test]
fn rendered_table_markdown_and_csv() {
    let mut r = Report::from_sentence(&fixture());
    r.sort(SortKey::Support);
    insta::assert_snapshot!("table", r.render(Format::Table));
    insta::assert_snapshot!("markdown", r.render(Format::Markdown));
    insta::assert_snapshot!("csv", r.render(Format::Csv));
}

#[test]
fn csv_escaping() {
    assert_eq!(csv_escape("plain"), "plain");
    assert_eq!(csv_escape("a,b"), "\"a,b\"");
    assert_eq!(csv_escape("say \"hi\""), "\"say \"\"hi\"\"\"");
    assert_eq!(csv_escape("two\nlines"), "\"two\nlines\"");
}

// --- span level ---------------------------------------------------------------------

fn span(a: &str, l: &str, s: u64, e: u64) -> SpanLabel {
    SpanLabel {
        article_id: a.into(),
        label: l.into(),
        start: s,
        end: e,
    }
}

#[test]
fn span_single_partial_overlap() {
    // t = [0,10), s = [5,15): |s∩t| = 5, P = 5/10, R = 5/10.
    let e = evaluate_spans(&[span("1", "A", 0, 10)], &[span("1", "A", 5, 15)], None).unwrap();
    assert_prf(e.per_label[0].prf(), Some(0.5), Some(0.5), Some(0.5));
}

#[test]
fn span_touching_gold_spans_are_not_merged() {
    // Gold [0,5) and [5,10) stay two spans; s = [0,10):
    // P = (5/10 + 5/10)/1 = 1, R = (5/5 + 5/5)/2 = 1.
    let e = evaluate_spans(
        &[span("1", "A", 0, 5), span("1", "A", 5, 10)],
        &[span("1", "A", 0, 10)],
        None,
    )
    .unwrap();
    assert_eq!(e.per_label[0].gold, 2);
    assert_prf(e.per_label[0].prf(), Some(1.0), Some(1.0), Some(1.0));
}

// Hand computation:
// Gold: art1 A [0,10), art1 A [5,20) (overlap -> merged [0,20)), art2 A [0,4), art1 C [30,40)
// Pred: art1 A [0,10), art1 B [0,10), art2 A [2,6), art2 A [3,5) (inside -> merged [2,6)),
//       art3 A [0,5), art1 A [7,7) (empty, dropped)
// A: T = {art1 [0,20), art2 [0,4)} (2), S = {art1 [0,10), art2 [2,6), art3 [0,5)} (3)
//    art1: |∩| = 10 -> P += 10/10 = 1, R += 10/20 = 0.5
//    art2: [2,6)∩[0,4) = 2 -> P += 2/4, R += 2/4
//    P = 1.5/3 = 0.5, R = 1.0/2 = 0.5, F1 = 0.5
//    (without merging, s = art1 [0,10) would score 10/10 + 5/10 = 1.5 > 1 on its own)
// B: S = 1, T = 0: P = 0/1 = 0, R undefined, F1 0
// C: S = 0, T = 1: P undefined, R = 0/1 = 0, F1 0
// Micro: P = 1.5/4 = 0.375, R = 1.0/3, F1 = 2·0.375·(1/3)/(0.375 + 1/3) = 0.25/0.708333 = 6/17
// Macro: P = (0.5 + 0 + 0)/3 = 1/6, R = 0.5/3 = 1/6, F1 = 0.5/3 = 1/6
#[test]
fn span_fixture_with_overlapping_gold() {
    let gold = [
        span("1", "A", 0, 10),
        span("1", "A", 5, 20),
        span("2", "A", 0, 4),
        span("1", "C", 30, 40),
    ];
    let pred = [
        span("1", "A", 0, 10),
        span("1", "B", 0, 10),
        span("2", "A", 2, 6),
        span("2", "A", 3, 5),
        span("3", "A", 0, 5),
        span("1", "A", 7, 7),
    ];
    let e = evaluate_spans(&gold, &pred, None).unwrap();
    assert_eq!(e.labels, vec!["A", "B", "C"]);
    assert_eq!(e.merged_spans, (1, 1));
    assert_eq!(e.empty_spans, (0, 1));
    assert_eq!(
        e.per_label[0],
        SpanCounts {
            predicted: 3,
            gold: 2,
            precision_sum: 1.5,
            recall_sum: 1.0
        }
    );
    assert_prf(e.per_label[0].prf(), Some(0.5), Some(0.5), Some(0.5));
    assert_prf(e.per_label[1].prf(), Some(0.0), None, Some(0.0));
    assert_prf(e.per_label[2].prf(), None, Some(0.0), Some(0.0));
    let r = Report::from_span(&e);
    assert_prf(
        r.micro.metrics,
        Some(0.375),
        Some(1.0 / 3.0),
        Some(6.0 / 17.0),
    );
    assert_prf(
        r.macro_.metrics,
        Some(1.0 / 6.0),
        Some(1.0 / 6.0),
        Some(1.0 / 6.0),
    );
    assert!(r.any.is_none());
    let v: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
    assert_eq!(v["labels"][0]["predicted"], 3);
    assert!(v["labels"][0].get("tp").is_none());
    insta::assert_snapshot!("span_table", r.render(Format::Table));
}

#[test]
fn span_rejects_reversed_spans() {
    assert!(evaluate_spans(&[span("1", "A", 5, 2)], &[], None).is_err());
}

/// Article `a`: a:0 = [0,5), a:1 = [6,16) (so `a` is 16 long); article `b`: b:0 = [0,4).
fn span_sentences() -> Vec<crate::rows::SentenceRow> {
    [("a", 0, 0, 5), ("a", 1, 6, 16), ("b", 0, 0, 4)]
        .into_iter()
        .map(|(a, i, start, end)| crate::rows::SentenceRow {
            article_id: a.into(),
            sentence_id: format!("{a}:{i}"),
            index: i,
            paragraph: 0,
            kind: crate::rows::SentenceKind::Body,
            start,
            end,
            text: "x".repeat((end - start) as usize),
        })
        .collect()
}

fn pred_span(sentence: &str, label: &str, start: u64, end: u64) -> PredictionRow {
    PredictionRow {
        sentence_id: sentence.into(),
        label: label.into(),
        rule_id: "r".into(),
        start,
        end,
        matched: String::new(),
    }
}

#[test]
fn predicted_spans_are_checked_against_the_sentence_table() {
    let sentences = span_sentences();
    let universe = Universe::from_sentences(&sentences).unwrap();
    let rows = [
        pred_span("a:1", "X", 8, 12),  // inside a:1 [6,16): kept
        pred_span("a:1", "X", 10, 20), // ends past a:1's end 16 (and the end of `a`)
        pred_span("a:0", "X", 3, 8),   // ends past a:0's end 5 (inside the article)
        pred_span("zz:0", "X", 0, 2),  // no such sentence
        pred_span("a:7", "X", 0, 2),   // known article, no such sentence
        pred_span("a:0", "X", 6, 10),  // inside a:1, not a:0
        pred_span("b:0", "Y", 0, 4),   // the whole of b:0: kept
        pred_span("a:1", "X", 16, 16), // empty at the sentence end: kept (scoring drops it)
    ];
    let got = predicted_spans(&sentences, &universe, &rows).unwrap();
    assert_eq!(
        got.spans,
        vec![
            span("a", "X", 8, 12),
            span("b", "Y", 0, 4),
            span("a", "X", 16, 16)
        ]
    );
    let outside_a0 = PredictionSkip::OutsideSentence {
        sentence_start: 0,
        sentence_end: 5,
    };
    assert_eq!(
        got.skipped,
        vec![
            SkippedPrediction {
                row: 1,
                reason: PredictionSkip::OutsideSentence {
                    sentence_start: 6,
                    sentence_end: 16
                }
            },
            SkippedPrediction {
                row: 2,
                reason: outside_a0
            },
            SkippedPrediction {
                row: 3,
                reason: PredictionSkip::UnknownSentence
            },
            SkippedPrediction {
                row: 4,
                reason: PredictionSkip::UnknownSentence
            },
            SkippedPrediction {
                row: 5,
                reason: outside_a0
            },
        ]
    );
    assert_eq!(
        outside_a0.to_string(),
        "span is outside its sentence [0, 5)"
    );
    // end < start is an error naming the (1-based) data row, before any other check.
    let reversed = [pred_span("a:1", "X", 8, 12), pred_span("zz:0", "X", 4, 2)];
    let err = predicted_spans(&sentences, &universe, &reversed).unwrap_err();
    assert_eq!(
        err.to_string(),
        "data row 2: sentence `zz:0`: end 2 is before start 4 (expected start <= end)"
    );
}

#[test]
fn skipped_predictions_do_not_count_in_span_scores() {
    // Gold: a [8,14) X. Predictions: a:1 [8,12) X (kept) and a:1 [10,20) X (past the end of
    // `a`, skipped). Kept only: P = |[8,12)∩[8,14)|/4 = 4/4 = 1, R = 4/6 = 2/3,
    // F1 = 2·1·(2/3)/(1 + 2/3) = 0.8. Were the skipped span scored (merged with [8,12) into
    // [8,20)): P = 6/12 = 0.5.
    let sentences = span_sentences();
    let universe = Universe::from_sentences(&sentences).unwrap();
    let rows = [pred_span("a:1", "X", 8, 12), pred_span("a:1", "X", 10, 20)];
    let pred = predicted_spans(&sentences, &universe, &rows).unwrap();
    let e = evaluate_spans(&[span("a", "X", 8, 14)], &pred.spans, None).unwrap();
    assert_prf(e.per_label[0].prf(), Some(1.0), Some(2.0 / 3.0), Some(0.8));
}

// --- bootstrap ---------------------------------------------------------------------

#[test]
fn splitmix64_reference_values() {
    // Reference outputs of SplitMix64 seeded with 1234567.
    let mut r = bootstrap::SplitMix64(1234567);
    let got: Vec<u64> = (0..3).map(|_| r.next_u64()).collect();
    assert_eq!(
        got,
        vec![
            6457827717110365317,
            3203168211198807973,
            9817491932198370423
        ]
    );
}

#[test]
fn bootstrap_is_deterministic_whatever_the_thread_count() {
    let e = fixture();
    let u = universe();
    let run = |threads, seed| {
        bootstrap(
            &e,
            &u,
            &BootstrapOptions {
                n: 200,
                seed,
                threads,
            },
        )
    };
    let a = run(1, 7);
    assert_eq!(a, run(2, 7));
    assert_eq!(a, run(3, 7));
    assert_ne!(a, run(1, 8));
    for (_, c) in &a.labels {
        for iv in [c.precision, c.recall, c.f1].into_iter().flatten() {
            assert!(0.0 <= iv.lo && iv.lo <= iv.hi && iv.hi <= 1.0);
        }
    }
    // Flag_Waving has no gold in any article: recall undefined in every replicate.
    assert_eq!(a.labels[1].1.recall, None);
}

#[test]
fn bootstrap_draws_articles_in_id_order_whatever_the_table_order() {
    // Forty articles k00..k39 of 1 to 7 sentences with gold and predicted LL in varied
    // places (so a replicate's F1 takes many values). The same table with its articles in
    // another order is the same evaluation, so it gets the same intervals: articles are
    // drawn in the order of their ids. (With a few articles of few kinds, the percentiles
    // of any order coincide, so this needs many.)
    let mut ids = Vec::new();
    let (mut gold, mut pred) = (Vec::new(), Vec::new());
    for k in 0..40 {
        for i in 0..(k % 7) + 1 {
            let id = format!("k{k:02}:{i}");
            if (k * 3 + i) % 4 == 0 {
                gold.push(LabelRow {
                    sentence_id: id.clone(),
                    label: LL.into(),
                });
            }
            if (k + i) % 3 == 0 {
                pred.push(PredictionRow {
                    sentence_id: id.clone(),
                    label: LL.into(),
                    rule_id: "r".into(),
                    start: 0,
                    end: 1,
                    matched: "x".into(),
                });
            }
            ids.push(id);
        }
    }
    let opts = BootstrapOptions {
        n: 400,
        seed: 11,
        threads: 1,
    };
    let run = |ids: &[String]| {
        let u = Universe::from_ids(ids.iter()).unwrap();
        let e = evaluate_rows(&u, &gold, &pred, &SentenceOptions::default()).unwrap();
        bootstrap(&e, &u, &opts)
    };
    // Articles in reverse order (sentences of an article stay together, in order).
    let mut by_article: Vec<Vec<String>> = Vec::new();
    for id in &ids {
        match by_article.last_mut() {
            Some(a) if a[0].split(':').next() == id.split(':').next() => a.push(id.clone()),
            _ => by_article.push(vec![id.clone()]),
        }
    }
    by_article.reverse();
    let reversed: Vec<String> = by_article.into_iter().flatten().collect();
    assert_eq!(reversed[0], "k39:0");
    assert_eq!(run(&ids), run(&reversed));
}

#[test]
fn bootstrap_with_one_article_is_degenerate_at_the_point_estimate() {
    // One article: every replicate is the original sample.
    let u = Universe::from_ids(["x:0", "x:1", "x:2"]).unwrap();
    let gold: Vec<LabelRow> = [("x:0", "A"), ("x:1", "A")]
        .map(|(s, l)| LabelRow {
            sentence_id: s.into(),
            label: l.into(),
        })
        .to_vec();
    let e = evaluate_pairs(
        &u,
        gold.iter()
            .map(|r| (r.sentence_id.as_str(), r.label.as_str())),
        [("x:0", "A"), ("x:2", "A")],
        &SentenceOptions::default(),
    )
    .unwrap();
    let b = bootstrap(
        &e,
        &u,
        &BootstrapOptions {
            n: 50,
            seed: 3,
            threads: 2,
        },
    );
    let p = b.labels[0].1.precision.unwrap();
    assert_eq!((p.lo, p.hi), (0.5, 0.5));
    let mut r = Report::from_sentence(&e);
    r.attach_bootstrap(&b);
    let v: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
    assert_eq!(
        v["labels"][0]["precision_ci"],
        serde_json::json!([0.5, 0.5])
    );
    assert_eq!(v["bootstrap"]["n"], 50);
    assert!(r.render(Format::Table).contains("[0.500, 0.500]"));
    assert!(
        r.render(Format::Csv).starts_with(
            "row,label,tp,fp,fn,support,precision,recall,f1,precision_lo,precision_hi,"
        )
    );
}

#[test]
fn percentile_interpolates_like_numpy() {
    // numpy.percentile([1, 2, 3, 4], 2.5) = 1.075; 97.5 -> 3.925
    let v = [1.0, 2.0, 3.0, 4.0];
    assert!((bootstrap::percentile(&v, 0.025) - 1.075).abs() < 1e-12);
    assert!((bootstrap::percentile(&v, 0.975) - 3.925).abs() < 1e-12);
}

// --- property: the core agrees with a naive set-based count --------------------------

mod props {
    use super::super::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    proptest! {
        #[test]
        fn core_agrees_with_naive_sets(
            gold in proptest::collection::vec((0u32..20, 0u32..4), 0..60),
            pred in proptest::collection::vec((0u32..20, 0u32..4), 0..60),
        ) {
            let e = evaluate_interned(20, 4, gold.clone(), pred.clone()).unwrap();
            let g: BTreeSet<_> = gold.iter().copied().collect();
            let p: BTreeSet<_> = pred.iter().copied().collect();
            for l in 0..4u32 {
                let tp = g.iter().filter(|x| x.1 == l && p.contains(x)).count() as u64;
                let fp = p.iter().filter(|x| x.1 == l && !g.contains(x)).count() as u64;
                let fn_ = g.iter().filter(|x| x.1 == l && !p.contains(x)).count() as u64;
                prop_assert_eq!(e.per_label[l as usize], Counts { tp, fp, fn_ });
            }
            let gs: BTreeSet<u32> = g.iter().map(|x| x.0).collect();
            let ps: BTreeSet<u32> = p.iter().map(|x| x.0).collect();
            let any = Counts {
                tp: gs.intersection(&ps).count() as u64,
                fp: ps.difference(&gs).count() as u64,
                fn_: gs.difference(&ps).count() as u64,
            };
            prop_assert_eq!(e.any, any);
            prop_assert_eq!(e.gold_duplicates, (gold.len() - g.len()) as u64);
        }
    }
}

/// Timing of the sentence-level core at the target scale (10M gold + 10M predicted pairs
/// over 20M sentences, 20 labels). Run in release:
/// `cargo test --release -- --ignored --nocapture perf_core`.
#[test]
#[ignore]
fn perf_core_10m_pairs() {
    let n_sentences = 20_000_000usize;
    let n_labels = 20u32;
    let mut rng = bootstrap::SplitMix64(42);
    let mut gen_pairs = |n: usize| -> Vec<(u32, u32)> {
        (0..n)
            .map(|_| {
                let x = rng.next_u64();
                (
                    ((x >> 32) % n_sentences as u64) as u32,
                    (x as u32) % n_labels,
                )
            })
            .collect()
    };
    let gold = gen_pairs(10_000_000);
    let mut pred = gen_pairs(5_000_000);
    // Half of the predictions copy gold pairs so that there are many true positives.
    pred.extend_from_slice(&gold[..5_000_000]);
    let t = std::time::Instant::now();
    let e = evaluate_interned(n_sentences, n_labels as usize, gold, pred).unwrap();
    let core = t.elapsed();
    let t = std::time::Instant::now();
    let total = e.total();
    let prfs: Vec<Prf> = e.per_label.iter().map(Counts::prf).collect();
    let _ = metrics::macro_average(&prfs);
    let reduce = t.elapsed();
    eprintln!(
        "evaluate_interned: {core:?} (+ metrics {reduce:?}); tp {} fp {} fn {}; any {:?}",
        total.tp, total.fp, total.fn_, e.any
    );
    assert!(total.tp >= 5_000_000 - e.pred_duplicates);
}

#[test]
fn bootstrap_columns_render() {
    let e = fixture();
    let b = bootstrap(
        &e,
        &universe(),
        &BootstrapOptions {
            n: 100,
            seed: 1,
            threads: 2,
        },
    );
    // Every article has micro precision 1/2 (a1: 2 of 4 predicted pairs are TP, a2: 2 of 4,
    // a3: 1 of 2), so every resample has micro precision 1/2 too.
    let p = b.micro.precision.unwrap();
    assert_eq!((p.lo, p.hi), (0.5, 0.5));
    let mut r = Report::from_sentence(&e);
    r.attach_bootstrap(&b);
    r.sort(SortKey::Label);
    let table = r.render(Format::Table);
    assert!(table.lines().next().unwrap().ends_with("f1 95% CI"));
    let md = r.render(Format::Markdown);
    assert!(md.contains("| precision 95% CI |"));
}

/// Timing of the string convenience layer (interning against a `Universe`), at a tenth of
/// the target scale: `cargo test --release -- --ignored --nocapture perf_string_layer`.
#[test]
#[ignore]
fn perf_string_layer_1m_pairs() {
    let n_sent = 2_000_000u64;
    let ids: Vec<String> = (0..n_sent)
        .map(|i| format!("{}:{}", 100_000 + i / 40, i % 40))
        .collect();
    let t = std::time::Instant::now();
    let u = Universe::from_ids(&ids).unwrap();
    let t_universe = t.elapsed();
    let labels: Vec<String> = (0..20).map(|i| format!("Label_{i}")).collect();
    let mut rng = bootstrap::SplitMix64(5);
    let mut gen_pairs = |n| -> Vec<(usize, usize)> {
        (0..n)
            .map(|_| {
                let x = rng.next_u64();
                (((x >> 32) % n_sent) as usize, (x % 20) as usize)
            })
            .collect()
    };
    let gold = gen_pairs(1_000_000);
    let pred = gen_pairs(1_000_000);
    let t = std::time::Instant::now();
    let e = evaluate_pairs(
        &u,
        gold.iter()
            .map(|&(s, l)| (ids[s].as_str(), labels[l].as_str())),
        pred.iter()
            .map(|&(s, l)| (ids[s].as_str(), labels[l].as_str())),
        &SentenceOptions::default(),
    )
    .unwrap();
    eprintln!(
        "Universe::from_ids (2M): {t_universe:?}; evaluate_pairs (1M + 1M): {:?}; micro {:?}",
        t.elapsed(),
        e.counts.total()
    );
}
