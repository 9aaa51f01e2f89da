//! Tests of the labels module. Expected values are worked out by hand in the comments.

use std::collections::HashMap;

use super::*;
use crate::rows::{GoldRow, SentenceKind, SentenceRow};

/// Sentence rows from `(article, [(start, end)])`; ids `{article}:{i}`.
fn sentences(spec: &[(&str, &[(u64, u64)])]) -> Vec<SentenceRow> {
    let mut out = Vec::new();
    for (article, spans) in spec {
        for (i, &(start, end)) in spans.iter().enumerate() {
            out.push(SentenceRow {
                article_id: article.to_string(),
                sentence_id: format!("{article}:{i}"),
                index: i as u32,
                paragraph: 0,
                kind: if i == 0 {
                    SentenceKind::Title
                } else {
                    SentenceKind::Body
                },
                start,
                end,
                text: "x".repeat((end - start) as usize),
            });
        }
    }
    out
}

/// Articles `a` (3 sentences) and `b` (2 sentences).
fn corpus() -> SentenceIndex {
    SentenceIndex::new(&sentences(&[
        ("a", &[(0, 10), (11, 20), (21, 30)]),
        ("b", &[(0, 5), (6, 12)]),
    ]))
    .unwrap()
}

fn parse(name: &str, text: &str, index: &SentenceIndex) -> LabelFile {
    parse_label_file(name, text, index, &ImportOptions::default()).unwrap()
}

fn parse_err(name: &str, text: &str, index: &SentenceIndex) -> String {
    parse_label_file(name, text, index, &ImportOptions::default())
        .unwrap_err()
        .to_string()
}

fn gold(rows: &[(&str, &str, u32, &str)]) -> Vec<GoldRow> {
    rows.iter()
        .map(|&(s, l, v, a)| GoldRow {
            sentence_id: s.into(),
            label: l.into(),
            votes: v,
            annotators: a.into(),
        })
        .collect()
}

/// The three-annotator example used by the merge, conflict and agreement tests.
///
/// ann1 (articles a, b → saw all 5): a:0 X, a:1 X, b:0 Y
/// ann2 (article a → saw a:0..a:2):  a:0 X, a:2 Y
/// ann3 (articles a, b → saw all 5): a:0 X, a:1 Y, b:1 X
fn three_annotators(index: &SentenceIndex) -> Vec<LabelFile> {
    vec![
        parse(
            "in/ann1.csv",
            "sentence_id,label\na:0,X\na:1,X\nb:0,Y\n",
            index,
        ),
        parse("in/ann2.csv", "sentence_id,label\na:0,X\na:2,Y\n", index),
        parse(
            "in/ann3.csv",
            "sentence_id,label\na:0,X\na:1,Y\nb:1,X\n",
            index,
        ),
    ]
}

fn run(index: &SentenceIndex, files: &[LabelFile], strategy: Strategy, tie: TieRule) -> Merged {
    let options = MergeOptions {
        strategy,
        tie,
        ..MergeOptions::default()
    };
    merge(index, files, None, None, &options).unwrap()
}

fn close(actual: Option<f64>, expected: f64) {
    let a = actual.expect("defined");
    assert!((a - expected).abs() < 1e-9, "{a} != {expected}");
}

mod import_tests {
    use super::*;

    #[test]
    fn detects_formats() {
        assert_eq!(detect_format("sentence_id,label\n"), Some(Format::LongCsv));
        assert_eq!(
            detect_format("\u{feff}annotator,sentence_id,label\n"),
            Some(Format::LongCsv)
        );
        assert_eq!(detect_format("sentence_id,A,B\n"), Some(Format::WideCsv));
        assert_eq!(
            detect_format("article_id,sentence_id,index,paragraph,kind,start,end,text,labels\n"),
            Some(Format::SentenceTable)
        );
        assert_eq!(
            detect_format("111\tLoaded_Language\t3\t9\n"),
            Some(Format::PtcSpans)
        );
        assert_eq!(detect_format("id,label\n"), None);
        assert_eq!(detect_format("sentence_id\n"), None);
        assert_eq!(detect_format(""), None);
    }

    #[test]
    fn long_csv_with_and_without_annotator_column() {
        let idx = corpus();
        let f = parse(
            "dir/alice.csv",
            "sentence_id,label\na:0,X\n\"a:1\",\"Name_Calling,Labeling\"\na:2,\n",
            &idx,
        );
        let got: Vec<_> = f.entries(&idx).collect();
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].annotator, "alice");
        assert_eq!(got[1].label, Some("Name_Calling,Labeling"));
        assert_eq!(got[1].line, 3);
        assert_eq!(got[2].label, None, "empty label = seen, no label");
        assert_eq!(f.rows_read(), 3);
        let f = parse(
            "x.csv",
            "label,annotator,sentence_id\nX,bob,a:0\nY,carol,b:1\n",
            &idx,
        );
        assert_eq!(f.annotators(), ["bob".to_string(), "carol".to_string()]);
        let e: Vec<_> = f
            .entries(&idx)
            .map(|e| (e.annotator, e.sentence_id, e.line))
            .collect();
        assert_eq!(e, [("bob", "a:0", 2), ("carol", "b:1", 3)]);
    }

    #[test]
    fn wide_csv_cells_and_errors() {
        let idx = corpus();
        let f = parse(
            "w.csv",
            "sentence_id,X,\"Name_Calling,Labeling\"\na:0,1,0\na:1,,1\na:2,0,\n",
            &idx,
        );
        let got: Vec<_> = f
            .entries(&idx)
            .map(|e| (e.sentence_id, e.label, e.line))
            .collect();
        assert_eq!(
            got,
            [
                ("a:0", Some("X"), 2),
                ("a:1", Some("Name_Calling,Labeling"), 3),
                ("a:2", None, 4)
            ]
        );
        assert_eq!(
            parse_err("w.csv", "sentence_id,X,Y\na:0,1,0\na:1,yes,0\n", &idx),
            "w.csv:3: column `X`: expected 0, 1 or empty, found `yes`"
        );
    }

    #[test]
    fn sentence_table_with_labels_column() {
        let idx = corpus();
        let text = "article_id,sentence_id,index,paragraph,kind,start,end,text,labels\n\
                    a,a:0,0,0,title,0,10,\"Hello, \"\"world\"\"\nsecond line\",\"X; Name_Calling,Labeling\"\n\
                    a,a:1,1,0,body,11,20,text,\n";
        let f = parse("st.csv", text, &idx);
        let got: Vec<_> = f
            .entries(&idx)
            .map(|e| (e.sentence_id, e.label, e.line))
            .collect();
        assert_eq!(
            got,
            [
                ("a:0", Some("X"), 2),
                ("a:0", Some("Name_Calling,Labeling"), 2),
                ("a:1", None, 4)
            ]
        );
    }

    #[test]
    fn missing_columns_and_malformed_csv() {
        let idx = corpus();
        assert_eq!(
            parse_err("f.csv", "id,label\n1,X\n", &idx),
            "f.csv: missing column(s) sentence_id; columns found: id, label"
        );
        assert_eq!(
            parse_err("f.csv", "sentence_id\na:0\n", &idx),
            "f.csv: missing column(s) label, labels, or label columns; columns found: sentence_id"
        );
        let forced = ImportOptions {
            format: Some(Format::LongCsv),
            ..ImportOptions::default()
        };
        let e = parse_label_file("f.csv", "sentence_id,labels\na:0,X\n", &idx, &forced);
        assert_eq!(
            e.unwrap_err().to_string(),
            "f.csv: missing column(s) label; columns found: sentence_id, labels"
        );
        assert_eq!(
            parse_err("f.csv", "sentence_id,label\na:0,X\na:1,X,extra\n", &idx),
            "f.csv:3: expected 2 fields, found 3"
        );
        assert!(parse_err("f.txt", "hello\n", &idx).starts_with("f.txt: unrecognised"));
    }

    #[test]
    fn empty_file_is_empty_not_an_error() {
        let idx = corpus();
        assert!(parse("e.csv", "", &idx).is_empty());
        assert!(parse("e.csv", "\n  \n", &idx).is_empty());
        let header_only = parse("e.csv", "sentence_id,label\n", &idx);
        assert!(header_only.is_empty());
        assert_eq!(header_only.format, Some(Format::LongCsv));
    }

    /// Article `p`: sentences [0,10) [10,20) [25,40); article length 40 by default.
    fn ptc_index() -> SentenceIndex {
        SentenceIndex::new(&sentences(&[("p", &[(0, 10), (10, 20), (25, 40)])])).unwrap()
    }

    #[test]
    fn span_files_read_as_one_annotator_keep_their_own_names_and_lines() {
        let idx = ptc_index();
        let a = "p\tLoaded\t8\t12\n";
        // Line 1 repeats a span of the first file; line 2 is an unknown article; line 3 kept.
        let b = "p\tLoaded\t8\t12\nq\tDoubt\t1\t2\np\tFlag\t26\t27\n";
        let opts = ImportOptions::default();
        let f = parse_span_files(
            "spans",
            &[("spans/a.labels", a), ("spans/b.labels", b)],
            &idx,
            &opts,
        )
        .unwrap();
        assert_eq!(f.annotators(), ["spans".to_string()]);
        assert_eq!(f.rows_read(), 4);
        let skipped: Vec<_> = f
            .skipped()
            .iter()
            .map(|s| (s.file.as_str(), s.line, s.reason.key()))
            .collect();
        assert_eq!(
            skipped,
            [
                ("spans/b.labels", 1, "duplicate-span"),
                ("spans/b.labels", 2, "unknown-article")
            ]
        );
        // The kept spans, as written, in file order.
        let spans: Vec<_> = f
            .spans()
            .iter()
            .map(|s| (s.article_id.as_str(), s.label.as_str(), s.start, s.end))
            .collect();
        assert_eq!(spans, [("p", "Loaded", 8, 12), ("p", "Flag", 26, 27)]);
        // Each entry knows its file: the first file's two projections, then the Flag span.
        let sources: Vec<_> = (0..f.entries.len()).map(|i| f.entry_source(i)).collect();
        assert_eq!(
            sources,
            [
                "spans/a.labels",
                "spans/a.labels",
                "spans/a.labels",
                "spans/b.labels"
            ]
        );
        // A bad line names its own file.
        let err = parse_span_files(
            "spans",
            &[("spans/a.labels", a), ("spans/c.labels", "p\tX\t5\t1\n")],
            &idx,
            &opts,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("spans/c.labels:1"), "{err}");
    }

    #[test]
    fn ptc_spans_project_onto_overlapping_sentences() {
        let idx = ptc_index();
        let text = "p\tLoaded\t8\t12\n\
                    p\tLoaded\t11\t13\n\
                    p\tDoubt\t20\t25\n\
                    p\tDoubt\t30\t41\n\
                    q\tDoubt\t1\t2\n\
                    p\tLoaded\t8\t12\n\
                    articlep\tFlag\t26\t27\n";
        let f = parse("spans/ann.labels", text, &idx);
        // Line 1 overlaps p:0 by 2 and p:1 by 2; line 2 hits p:1 again (not re-emitted);
        // line 3 falls in the gap; line 4 ends past 40; line 5: unknown article;
        // line 6 repeats line 1; line 7 uses the `article` prefix.
        let got: Vec<_> = f
            .entries(&idx)
            .filter(|e| e.label.is_some())
            .map(|e| (e.sentence_id, e.label.unwrap(), e.line))
            .collect();
        assert_eq!(
            got,
            [
                ("p:0", "Loaded", 1),
                ("p:1", "Loaded", 1),
                ("p:2", "Flag", 7)
            ]
        );
        let reasons: Vec<_> = f
            .skipped()
            .iter()
            .map(|s| (s.line, s.reason.key()))
            .collect();
        assert_eq!(
            reasons,
            [
                (3, "no-overlap"),
                (4, "outside-article"),
                (5, "unknown-article"),
                (6, "duplicate-span")
            ]
        );
        assert_eq!(f.rows_read(), 7);
        assert_eq!(f.annotators(), ["ann".to_string()]);

        // min_overlap 3: the 2-code-point overlaps no longer count.
        let opts = ImportOptions {
            min_overlap: 3,
            ..ImportOptions::default()
        };
        let f = parse_label_file("a.tsv", "p\tLoaded\t8\t12\np\tX\t8\t14\n", &idx, &opts).unwrap();
        let got: Vec<_> = f
            .entries(&idx)
            .filter_map(|e| e.label.map(|l| (e.sentence_id, l)))
            .collect();
        assert_eq!(got, [("p:1", "X")]);
        assert_eq!(
            f.skipped()[0].reason,
            SkipReason::NoOverlap { min_overlap: 3 }
        );

        // Article length given: a span up to 50 is inside.
        let opts = ImportOptions {
            article_lengths: HashMap::from([("p".to_string(), 50)]),
            ..ImportOptions::default()
        };
        let f = parse_label_file("a.tsv", "p\tX\t35\t50\n", &idx, &opts).unwrap();
        assert_eq!(f.entries(&idx).filter(|e| e.label.is_some()).count(), 1);
    }

    #[test]
    fn ptc_bad_offsets_are_errors() {
        let idx = ptc_index();
        assert_eq!(
            parse_err("a.tsv", "p\tX\t1\t2\np\tX\tfive\t9\n", &idx),
            "a.tsv:2: bad span offsets: start `five` is not an integer"
        );
        assert_eq!(
            parse_err("a.tsv", "p\tX\t9\t2\n", &idx),
            "a.tsv:1: bad span offsets: start 9 > end 2"
        );
        assert_eq!(
            parse_err("a.tsv", "p\tX\t9\n", &idx),
            "a.tsv:1: expected 4 tab-separated fields (article_id, label, start, end), found 3"
        );
    }

    #[test]
    fn doccano_jsonl() {
        let idx = corpus();
        let text = "{\"id\": 1, \"text\": \"t\", \"sentence_id\": \"a:0\", \"label\": [\"X\", \"Name_Calling,Labeling\"]}\n\
                    \n\
                    {\"id\": 2, \"meta\": {\"sentence_id\": \"a:1\"}, \"label\": []}\n\
                    {\"sentence_id\": \"b:0\", \"label\": [[0, 3, \"Y\"]], \"annotator\": \"zoe\"}\n";
        assert_eq!(detect_format(text), Some(Format::DoccanoJsonl));
        let f = parse("exports/admin.jsonl", text, &idx);
        let got: Vec<_> = f
            .entries(&idx)
            .map(|e| (e.annotator, e.sentence_id, e.label, e.line))
            .collect();
        assert_eq!(
            got,
            [
                ("admin", "a:0", Some("X"), 1),
                ("admin", "a:0", Some("Name_Calling,Labeling"), 1),
                ("admin", "a:1", None, 3),
                ("zoe", "b:0", Some("Y"), 4),
            ]
        );
        assert_eq!(
            parse_err(
                "d.jsonl",
                "{\"sentence_id\": \"a:0\"}\n{\"label\": [\"X\"]}\n",
                &idx
            ),
            "d.jsonl:2: no `sentence_id` and no `article_id` field (name the article id field with --id-field)"
        );
        assert!(
            parse_err("d.jsonl", "{\"sentence_id\": \n", &idx)
                .starts_with("d.jsonl:1: invalid JSON")
        );
    }

    #[test]
    fn label_studio_json() {
        let idx = corpus();
        let text = r#"[
  {"id": 1, "data": {"text": "t", "sentence_id": "a:0"},
   "annotations": [
     {"completed_by": {"email": "ann@x.org"}, "result": [
        {"type": "choices", "value": {"choices": ["X", "Y"]}}]},
     {"completed_by": 7, "result": []},
     {"completed_by": 8, "was_cancelled": true, "result": [
        {"type": "choices", "value": {"choices": ["Z"]}}]}
   ]},
  {"id": 2, "data": {"text": "a \"quoted\" [text]", "sentence_id": "b:1"},
   "annotations": [{"completed_by": 7, "result": [
        {"type": "labels", "value": {"start": 0, "end": 3, "labels": ["Y"]}}]}]}
]"#;
        assert_eq!(detect_format(text), Some(Format::LabelStudioJson));
        let f = parse("ls.json", text, &idx);
        let got: Vec<_> = f
            .entries(&idx)
            .map(|e| (e.annotator, e.sentence_id, e.label, e.line))
            .collect();
        assert_eq!(
            got,
            [
                ("ann@x.org", "a:0", Some("X"), 2),
                ("ann@x.org", "a:0", Some("Y"), 2),
                ("7", "a:0", None, 2),
                ("7", "b:1", Some("Y"), 10),
            ]
        );
        let e = parse_err("ls.json", "[{\"data\": {}}]", &idx);
        assert_eq!(
            e,
            "ls.json:1: task #1 has no `data.sentence_id` and no `data.article_id` (name the article id field with --id-field)"
        );
    }

    #[test]
    fn sentence_index_rejects_duplicates() {
        let mut rows = sentences(&[("a", &[(0, 1)])]);
        rows.push(rows[0].clone());
        assert!(
            SentenceIndex::new(&rows)
                .unwrap_err()
                .to_string()
                .contains("duplicate sentence id `a:0`")
        );
    }

    proptest::proptest! {
        /// Labels with commas, quotes, semicolons and spaces inside survive a CSV round trip.
        #[test]
        fn long_csv_round_trips_labels(labels in proptest::collection::vec("[A-Za-z_,;\" ]{0,12}[A-Za-z]", 1..8)) {
            let idx = corpus();
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(["sentence_id", "label"]).unwrap();
            for l in &labels {
                w.write_record(["a:1", l.as_str()]).unwrap();
            }
            let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
            let f = parse("r.csv", &text, &idx);
            let got: Vec<String> = f.entries(&idx).map(|e| e.label.unwrap().to_string()).collect();
            let want: Vec<String> = labels.iter().map(|l| l.trim().to_string()).collect();
            proptest::prop_assert_eq!(got, want);
        }
    }
}

mod merge_tests {
    use super::*;

    #[test]
    fn strategies_on_the_three_annotator_example() {
        let idx = corpus();
        let files = three_annotators(&idx);
        // Seen counts: a:* = 3 (all three), b:* = 2 (ann1, ann3).
        // X: a:0 3/3, a:1 1/3, b:1 1/2 (tie). Y: a:1 1/3, a:2 1/3, b:0 1/2 (tie).
        let m = run(&idx, &files, Strategy::Majority, TieRule::No);
        assert_eq!(m.gold, gold(&[("a:0", "X", 3, "ann1;ann2;ann3")]));
        let m = run(&idx, &files, Strategy::Majority, TieRule::Yes);
        assert_eq!(
            m.gold,
            gold(&[
                ("a:0", "X", 3, "ann1;ann2;ann3"),
                ("b:0", "Y", 1, "ann1"),
                ("b:1", "X", 1, "ann3"),
            ])
        );
        let m = run(&idx, &files, Strategy::Any, TieRule::No);
        assert_eq!(
            m.gold,
            gold(&[
                ("a:0", "X", 3, "ann1;ann2;ann3"),
                ("a:1", "X", 1, "ann1"),
                ("a:1", "Y", 1, "ann3"),
                ("a:2", "Y", 1, "ann2"),
                ("b:0", "Y", 1, "ann1"),
                ("b:1", "X", 1, "ann3"),
            ])
        );
        let m = run(&idx, &files, Strategy::Unanimous, TieRule::No);
        assert_eq!(m.gold, gold(&[("a:0", "X", 3, "ann1;ann2;ann3")]));
        let m = run(&idx, &files, Strategy::MinVotes(1), TieRule::No);
        assert_eq!(m.gold.len(), 6);
        let m = run(&idx, &files, Strategy::MinVotes(4), TieRule::No);
        assert!(m.gold.is_empty());
        assert_eq!(m.summary.annotators, ["ann1", "ann2", "ann3"]);
        assert_eq!(m.summary.labels, ["X", "Y"]);
        assert_eq!((m.summary.rows_read, m.summary.rows_merged), (8, 8));
    }

    #[test]
    fn unseen_is_missing_not_no() {
        let idx = corpus();
        // ann2 never saw article b: on b:1 only ann3 (yes) and ann1 (no) vote → tie.
        // Had ann2's silence counted as "no", unanimous would still fail, but with
        // explicit coverage ann1 saw only a:0 → b:1 is then 1/1 for ann3.
        let files = three_annotators(&idx);
        let options = MergeOptions {
            strategy: Strategy::Unanimous,
            coverage: HashMap::from([("ann1".to_string(), vec!["a:0".to_string()])]),
            ..MergeOptions::default()
        };
        let m = merge(&idx, &files, None, None, &options).unwrap();
        // ann1 still saw a:1 and b:0 (labelled there). b:1: seen by ann3 only → yes.
        assert_eq!(
            m.gold,
            gold(&[("a:0", "X", 3, "ann1;ann2;ann3"), ("b:1", "X", 1, "ann3")])
        );
    }

    #[test]
    fn adjudicator_replaces_the_vote_on_its_sentences() {
        let idx = corpus();
        let files = three_annotators(&idx);
        // The adjudicator covers article b and says b:0 X only.
        let adj = parse("adj.csv", "sentence_id,label\nb:0,X\nb:1,\n", &idx);
        let options = MergeOptions {
            strategy: Strategy::Any,
            ..MergeOptions::default()
        };
        let m = merge(&idx, &files, Some(&adj), None, &options).unwrap();
        assert_eq!(
            m.gold,
            gold(&[
                ("a:0", "X", 3, "ann1;ann2;ann3"),
                ("a:1", "X", 1, "ann1"),
                ("a:1", "Y", 1, "ann3"),
                ("a:2", "Y", 1, "ann2"),
                ("b:0", "X", 1, "adj"),
            ])
        );
        assert_eq!(m.summary.adjudicated_sentences, 2);
        assert_eq!(m.summary.rows_read, 10);
        // The adjudicator is not a voter.
        assert_eq!(agreement(&m).annotators, ["ann1", "ann2", "ann3"]);
    }

    #[test]
    fn every_row_is_merged_or_skipped() {
        let idx = corpus();
        let schema = Schema::from_toml(
            "schema.toml",
            "[[label]]\nname = \"Loaded_Language\"\naliases = [\"LL\"]\n[[label]]\nname = \"Doubt\"\n",
        )
        .unwrap();
        let f = parse(
            "ann.csv",
            "sentence_id,label\na:0,LL\na:0,Loaded_Language\nzz:9,Doubt\na:1,Dobut\na:1,Doubt\na:1,Doubt\n",
            &idx,
        );
        let m = merge(
            &idx,
            std::slice::from_ref(&f),
            None,
            Some(&schema),
            &MergeOptions::default(),
        )
        .unwrap();
        // Line 3 duplicates line 2 after alias resolution; line 4 unknown sentence;
        // line 5 unknown label (closest Doubt); line 7 duplicates line 6.
        let skipped: Vec<_> = m
            .summary
            .skipped
            .iter()
            .map(|s| (s.line, s.reason.clone()))
            .collect();
        assert_eq!(
            skipped,
            [
                (3, SkipReason::Duplicate),
                (4, SkipReason::UnknownSentence),
                (
                    5,
                    SkipReason::UnknownLabel {
                        closest: Some("Doubt".into())
                    }
                ),
                (7, SkipReason::Duplicate),
            ]
        );
        assert_eq!((m.summary.rows_read, m.summary.rows_merged), (6, 2));
        assert_eq!(m.summary.skipped_by_reason()["duplicate"], 2);
        assert_eq!(
            m.gold,
            gold(&[
                ("a:0", "Loaded_Language", 1, "ann"),
                ("a:1", "Doubt", 1, "ann")
            ])
        );
        assert_eq!(
            m.summary.skipped[2].to_string(),
            "ann.csv:5: unknown label (closest known: `Doubt`) (annotator `ann`, sentence `a:1`, label `Dobut`)"
        );
        let strict = MergeOptions {
            strict: true,
            ..MergeOptions::default()
        };
        let e = merge(&idx, &[f], None, Some(&schema), &strict).unwrap_err();
        assert_eq!(
            e.to_string(),
            "ann.csv:3: duplicate row (same annotator, sentence, label) (annotator `ann`, sentence `a:0`, label `Loaded_Language`) (strict mode)"
        );
    }

    #[test]
    fn strict_reports_unknown_label_with_closest_name() {
        let idx = corpus();
        let schema = Schema::from_toml("s.toml", "[[label]]\nname = \"Doubt\"\n").unwrap();
        let f = parse("ann.csv", "sentence_id,label\na:1,Dobut\n", &idx);
        let strict = MergeOptions {
            strict: true,
            ..MergeOptions::default()
        };
        let e = merge(&idx, &[f], None, Some(&schema), &strict).unwrap_err();
        assert_eq!(
            e.to_string(),
            "ann.csv:2: unknown label (closest known: `Doubt`) (annotator `ann`, sentence `a:1`, label `Dobut`) (strict mode)"
        );
    }

    #[test]
    fn ptc_skips_flow_into_the_summary() {
        let idx = corpus();
        // Article a ends at 30; span to 31 is outside; article zz unknown.
        let f = parse("s.tsv", "a\tX\t2\t12\na\tX\t25\t31\nzz\tX\t0\t1\n", &idx);
        let m = merge(&idx, &[f], None, None, &MergeOptions::default()).unwrap();
        assert_eq!(m.gold, gold(&[("a:0", "X", 1, "s"), ("a:1", "X", 1, "s")]));
        assert_eq!((m.summary.rows_read, m.summary.rows_merged), (3, 1));
        let keys: Vec<_> = m.summary.skipped.iter().map(|s| s.reason.key()).collect();
        assert_eq!(keys, ["outside-article", "unknown-article"]);
        let f = parse("s.tsv", "a\tX\t2\t12\na\tX\t25\t31\n", &idx);
        let strict = MergeOptions {
            strict: true,
            ..MergeOptions::default()
        };
        assert_eq!(
            merge(&idx, &[f], None, None, &strict)
                .unwrap_err()
                .to_string(),
            "s.tsv:2: span end 31 is past the article's length 30 (annotator `s`, sentence `a`, label `X`) (strict mode)"
        );
    }

    #[test]
    fn unmatched_file_is_an_error_and_empty_file_a_warning() {
        let idx = corpus();
        let bad = parse("other.csv", "sentence_id,label\nq:1,X\nq:2,X\n", &idx);
        assert_eq!(
            merge(&idx, &[bad], None, None, &MergeOptions::default())
                .unwrap_err()
                .to_string(),
            "other.csv: no row refers to a sentence of the sentence table (e.g. `q:1`)"
        );
        let spans = parse("s.tsv", "zz\tX\t0\t1\n", &idx);
        assert!(merge(&idx, &[spans], None, None, &MergeOptions::default()).is_err());
        let mut files = three_annotators(&idx);
        files.push(parse("empty.csv", "", &idx));
        let m = merge(&idx, &files, None, None, &MergeOptions::default()).unwrap();
        assert_eq!(
            m.summary.warnings,
            ["empty.csv: empty label file (no rows)"]
        );
        assert!(
            merge(
                &idx,
                &files,
                None,
                None,
                &MergeOptions {
                    strategy: Strategy::MinVotes(0),
                    ..MergeOptions::default()
                }
            )
            .is_err()
        );
    }

    #[test]
    fn only_empty_files_give_empty_results() {
        let idx = corpus();
        let m = merge(
            &idx,
            &[parse("e.csv", "", &idx)],
            None,
            None,
            &MergeOptions::default(),
        )
        .unwrap();
        assert!(m.gold.is_empty());
        assert_eq!(m.summary.warnings.len(), 1);
        assert_eq!(conflicts(&m, &idx).count(), 0);
        let r = agreement(&m);
        assert_eq!(r.overall.items, 0);
        assert_eq!(r.overall.percent_agreement, Stat::new(None, 0));
        assert!(r.labels.is_empty());
    }

    #[test]
    fn file_parsed_against_another_table_is_rejected() {
        let idx = corpus();
        let other = SentenceIndex::new(&sentences(&[("a", &[(0, 10)])])).unwrap();
        let f = parse("x.csv", "sentence_id,label\na:0,X\n", &other);
        let e = merge(&idx, &[f], None, None, &MergeOptions::default()).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("x.csv: parsed against a different sentence table")
        );
    }

    #[test]
    fn conflicts_list_yes_and_no_voters() {
        let idx = corpus();
        let m = run(
            &idx,
            &three_annotators(&idx),
            Strategy::Majority,
            TieRule::Yes,
        );
        let got: Vec<_> = conflicts(&m, &idx)
            .map(|c| {
                (
                    c.sentence_id.to_string(),
                    c.label.to_string(),
                    c.yes.join(";"),
                    c.no.join(";"),
                    c.in_gold,
                )
            })
            .collect();
        let want = [
            ("a:1", "X", "ann1", "ann2;ann3", false),
            ("a:1", "Y", "ann3", "ann1;ann2", false),
            ("a:2", "Y", "ann2", "ann1;ann3", false),
            ("b:0", "Y", "ann1", "ann3", true),
            ("b:1", "X", "ann3", "ann1", true),
        ];
        let want: Vec<_> = want
            .iter()
            .map(|&(s, l, y, n, g)| {
                (
                    s.to_string(),
                    l.to_string(),
                    y.to_string(),
                    n.to_string(),
                    g,
                )
            })
            .collect();
        assert_eq!(got, want);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Whatever the rows, read = merged + skipped, and gold votes never exceed the
        /// number of annotators.
        #[test]
        fn accounting_holds(rows in proptest::collection::vec((0usize..3, 0usize..7, 0usize..3), 1..40)) {
            let idx = corpus();
            let ids = ["a:0", "a:1", "a:2", "b:0", "b:1", "zz:1", "a:0"];
            let mut texts = vec![String::from("sentence_id,label\na:0,X\n"); 3];
            for &(ann, s, l) in &rows {
                texts[ann].push_str(&format!("{},{}\n", ids[s], ["X", "Y", "Z"][l]));
            }
            let files: Vec<_> = texts
                .iter()
                .enumerate()
                .map(|(i, t)| parse(&format!("f{i}.csv"), t, &idx))
                .collect();
            let m = merge(&idx, &files, None, None, &MergeOptions { strategy: Strategy::Any, ..MergeOptions::default() }).unwrap();
            proptest::prop_assert_eq!(m.summary.rows_read, rows.len() as u64 + 3);
            proptest::prop_assert_eq!(m.summary.rows_merged + m.summary.skipped.len() as u64, m.summary.rows_read);
            for g in &m.gold {
                proptest::prop_assert!(g.votes >= 1 && g.votes <= 3);
                proptest::prop_assert_eq!(g.annotators.split(';').count() as u32, g.votes);
            }
        }
    }

    #[test]
    fn label_counts_leave_out_skipped_rows_and_join_an_annotator_over_files() {
        let index = corpus();
        // ann1.csv: a:0 X, a:0 X (duplicate), zz:0 X (unknown sentence), a:1 Y, a:1 X.
        // ann2.csv: a:0 X, b:1 X. more.csv (annotator column): ann1 b:0 Y, ann1 a:0 X
        // (the same annotator, sentence and label as in ann1.csv: a duplicate across files).
        // ann3.csv: a:0 X, a:0 Z, a:1 Y: ordered by label, a:1 (Y) would come between a:0's
        // X and Z and a:0 would be counted twice.
        let files = vec![
            parse(
                "ann1.csv",
                "sentence_id,label\na:0,X\na:0,X\nzz:0,X\na:1,Y\na:1,X\n",
                &index,
            ),
            parse("ann2.csv", "sentence_id,label\na:0,X\nb:1,X\n", &index),
            parse(
                "more.csv",
                "sentence_id,label,annotator\nb:0,Y,ann1\na:0,X,ann1\n",
                &index,
            ),
            parse(
                "ann3.csv",
                "sentence_id,label\na:0,X\na:0,Z\na:1,Y\n",
                &index,
            ),
        ];
        let m = run(&index, &files, Strategy::Any, TieRule::No);
        // Kept for ann1: a:0 X, a:1 X, a:1 Y, b:0 Y -> X 2, Y 2 on 3 sentences (a:0, a:1, b:0);
        // ann2: a:0 X, b:1 X -> X 2 on 2 sentences; ann3: X, Y, Z 1 each on 2 sentences.
        let c = label_counts(&m);
        let by = |pairs: &[(&str, u64)]| {
            pairs
                .iter()
                .map(|&(a, n)| (a.to_string(), n))
                .collect::<std::collections::BTreeMap<_, _>>()
        };
        assert_eq!(
            c.by_label,
            [
                (
                    "X".to_string(),
                    by(&[("ann1", 2), ("ann2", 2), ("ann3", 1)])
                ),
                ("Y".to_string(), by(&[("ann1", 2), ("ann3", 1)])),
                ("Z".to_string(), by(&[("ann3", 1)])),
            ]
            .into_iter()
            .collect()
        );
        assert_eq!(c.sentences, by(&[("ann1", 3), ("ann2", 2), ("ann3", 2)]));
        // 12 rows read: 9 counted, 2 duplicates, 1 unknown sentence.
        assert_eq!((m.summary.rows_read, m.summary.rows_merged), (12, 9));
        assert_eq!(
            m.summary.skipped_by_reason(),
            [("duplicate", 2), ("unknown-sentence", 1)]
                .into_iter()
                .collect()
        );
    }
}

mod agreement_tests {
    use super::*;

    /// Fleiss' kappa: Wikipedia "Fleiss' kappa" worked example — 10 subjects, 14 raters,
    /// 5 categories: P̄ = 0.378, P_e = 0.213, κ = 0.210 (exactly 0.20993...).
    #[test]
    fn fleiss_wikipedia_example() {
        let m = [
            [0, 0, 0, 0, 14],
            [0, 2, 6, 4, 2],
            [0, 0, 3, 5, 6],
            [0, 3, 9, 2, 0],
            [2, 2, 8, 1, 1],
            [7, 7, 0, 0, 0],
            [3, 2, 6, 3, 0],
            [2, 5, 3, 2, 2],
            [6, 5, 2, 1, 0],
            [0, 2, 2, 3, 7],
        ];
        let items: Vec<(Vec<u64>, u64)> = m.iter().map(|r| (r.to_vec(), 1)).collect();
        let k = fleiss_kappa(&items);
        assert_eq!(k.items, 10);
        assert!((k.value.unwrap() - 0.210).abs() < 5e-4);
        close(k.value, 0.209_930_704_421_955_2);
        // P̄ is the percent agreement here (equal rater counts): 0.378.
        close(percent_agreement(&items).value, 0.378_021_978_021_978);
    }

    /// Krippendorff (2011) "Computing Krippendorff's Alpha-Reliability", example C:
    /// nominal data, 4 observers, 12 units, missing values; α = 0.743 (n = 40 pairable
    /// values; unit 12 has a single value and is left out).
    #[test]
    fn krippendorff_2011_nominal_example() {
        let a = [
            Some(1),
            Some(2),
            Some(3),
            Some(3),
            Some(2),
            Some(1),
            Some(4),
            Some(1),
            Some(2),
            None,
            None,
            None,
        ];
        let b = [
            Some(1),
            Some(2),
            Some(3),
            Some(3),
            Some(2),
            Some(2),
            Some(4),
            Some(1),
            Some(2),
            Some(5),
            None,
            Some(3),
        ];
        let c = [
            None,
            Some(3),
            Some(3),
            Some(3),
            Some(2),
            Some(3),
            Some(4),
            Some(2),
            Some(2),
            Some(5),
            Some(1),
            None,
        ];
        let d = [
            Some(1),
            Some(2),
            Some(3),
            Some(3),
            Some(2),
            Some(4),
            Some(4),
            Some(1),
            Some(2),
            Some(5),
            Some(1),
            None,
        ];
        let items: Vec<(Vec<u64>, u64)> = (0..12)
            .map(|u| {
                let mut counts = vec![0u64; 5];
                for v in [a[u], b[u], c[u], d[u]].into_iter().flatten() {
                    counts[v - 1] += 1;
                }
                (counts, 1)
            })
            .collect();
        let alpha = krippendorff_alpha_nominal(&items);
        assert_eq!(alpha.items, 11);
        assert!((alpha.value.unwrap() - 0.743).abs() < 5e-4);
        close(alpha.value, 0.743_421_052_631_579);
    }

    /// Cohen's kappa: Wikipedia "Cohen's kappa" 50-item example — both yes 20, A yes/B no
    /// 5, A no/B yes 10, both no 15: p_o = 0.7, p_e = 0.5, κ = 0.4.
    #[test]
    fn cohen_wikipedia_example() {
        let (p_o, k) = cohen_kappa(&[vec![20, 5], vec![10, 15]]);
        close(p_o, 0.7);
        close(k.value, 0.4);
        assert_eq!(k.items, 50);
    }

    #[test]
    fn degenerate_cases_are_undefined() {
        // No items.
        assert_eq!(fleiss_kappa(&[]).value, None);
        assert_eq!(krippendorff_alpha_nominal(&[]).value, None);
        assert_eq!(percent_agreement(&[]).value, None);
        assert_eq!(cohen_kappa(&[]).1.value, None);
        // One rater per item: nothing pairable.
        let single = [(vec![1, 0], 5), (vec![0, 1], 2)];
        assert_eq!(fleiss_kappa(&single), Stat::new(None, 0));
        assert_eq!(krippendorff_alpha_nominal(&single).value, None);
        // Everybody says "no": one category; agreement is perfect but kappa/alpha undefined.
        let all_no = [(vec![3, 0], 4)];
        assert_eq!(percent_agreement(&all_no), Stat::new(Some(1.0), 4));
        assert_eq!(fleiss_kappa(&all_no).value, None);
        assert_eq!(krippendorff_alpha_nominal(&all_no).value, None);
        // Cohen with both raters always "yes": p_e = 1.
        let (p_o, k) = cohen_kappa(&[vec![0, 0], vec![0, 7]]);
        assert_eq!((p_o, k.value), (Some(1.0), None));
        // Complete disagreement is defined: κ = (0 - 0.5)/(1 - 0.5) = -1.
        close(cohen_kappa(&[vec![0, 5], vec![5, 0]]).1.value, -1.0);
    }

    /// Per-label and pooled figures of the three-annotator example, by hand.
    ///
    /// Items as [no, yes] counts. X: a:0 [0,3], a:1 [2,1], a:2 [3,0], b:0 [2,0], b:1 [1,1].
    /// Y: a:0 [3,0], a:1 [2,1], a:2 [2,1], b:0 [1,1], b:1 [2,0].
    #[test]
    fn three_annotator_example_by_hand() {
        let idx = corpus();
        let m = run(
            &idx,
            &three_annotators(&idx),
            Strategy::Majority,
            TieRule::No,
        );
        let r = agreement(&m);
        let x = &r.labels[0].agreement;
        let y = &r.labels[1].agreement;
        assert_eq!(r.labels[0].label, "X");
        assert_eq!((x.items, x.fleiss_kappa.items), (5, 5));
        // X: agreeing pairs 6+2+6+2+0 = 16 of 6+6+6+2+2 = 22.
        close(x.percent_agreement.value, 16.0 / 22.0);
        // X: P̄ = (1 + 1/3 + 1 + 1 + 0)/5 = 2/3; p = (8/13, 5/13); P_e = 89/169;
        // κ = (2/3 - 89/169) / (80/169) = 71/240.
        close(x.fleiss_kappa.value, 71.0 / 240.0);
        // X: Σ_{c≠k} o_ck = 0 + 2 + 0 + 0 + 2 = 4; n = 13; n_no n_yes terms 169 - 89 = 80;
        // α = 1 - 12 * 4 / 80 = 0.4.
        close(x.krippendorff_alpha.value, 0.4);
        // Y: pairs 6+2+2+0+2 = 12 of 22; α = 1 - 12 * 6 / (169 - 109) = -0.2;
        // Fleiss P̄ = 8/15, P_e = 109/169 → κ = -283/900.
        close(y.percent_agreement.value, 12.0 / 22.0);
        close(y.krippendorff_alpha.value, -0.2);
        close(y.fleiss_kappa.value, -283.0 / 900.0);
        // Pooled: 10 items; pairs 28 of 44; α = 1 - 25 * 10 / (676 - 388) = 1 - 250/288;
        // Fleiss κ = 11/180.
        assert_eq!(r.overall.items, 10);
        close(r.overall.percent_agreement.value, 28.0 / 44.0);
        close(r.overall.krippendorff_alpha.value, 1.0 - 250.0 / 288.0);
        close(r.overall.fleiss_kappa.value, 11.0 / 180.0);
        // Cohen on X. ann1/ann2 share a:0..a:2: (y,y) (y,n) (n,n): p_o = 2/3,
        // p_e = 2/3·1/3 + 1/3·2/3 = 4/9, κ = (2/9)/(5/9) = 0.4.
        let c = &x.cohen;
        assert_eq!(
            (c[0].a.as_str(), c[0].b.as_str(), c[0].items),
            ("ann1", "ann2", 3)
        );
        close(c[0].observed_agreement, 2.0 / 3.0);
        close(c[0].kappa, 0.4);
        // ann1/ann3 share all 5: yy 1, yn 1, ny 1, nn 2: p_o 0.6, p_e 0.52, κ = 1/6.
        assert_eq!(c[1].items, 5);
        close(c[1].kappa, 0.08 / 0.48);
        // ann2/ann3 on a:*: identical (y,n,n): κ = 1.
        close(c[2].kappa, 1.0);
        // Pooled ann1/ann2 over X and Y on a:*: yy 1, yn 1, ny 1, nn 3: p_o = 4/6,
        // p_e = 5/9, κ = (1/9)/(4/9) = 0.25.
        assert_eq!(r.overall.cohen[0].items, 6);
        close(r.overall.cohen[0].kappa, 0.25);
    }

    #[test]
    fn single_annotator_and_json_and_table() {
        let idx = corpus();
        let f = parse("solo.csv", "sentence_id,label\na:0,X\n", &idx);
        let m = merge(&idx, &[f], None, None, &MergeOptions::default()).unwrap();
        let r = agreement(&m);
        assert_eq!(r.overall.items, 3);
        assert_eq!(r.overall.fleiss_kappa, Stat::new(None, 0));
        assert_eq!(r.overall.krippendorff_alpha.value, None);
        assert!(r.overall.cohen.is_empty());
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(
            json["overall"]["fleiss_kappa"]["value"],
            serde_json::Value::Null
        );
        assert_eq!(json["labels"][0]["label"], "X");
        assert_eq!(json["labels"][0]["items"], 3);
        let table = render_table(&r);
        assert_eq!(
            table,
            "label    items  items>=2    percent  fleiss_kappa  kripp_alpha   gwet_ac1\n\
             overall      3         0  undefined     undefined    undefined  undefined\n\
             X            3         0  undefined     undefined    undefined  undefined\n"
        );
    }

    #[test]
    fn table_has_pairs_section() {
        let idx = corpus();
        let m = run(
            &idx,
            &three_annotators(&idx),
            Strategy::Majority,
            TieRule::No,
        );
        let table = render_table(&agreement(&m));
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(
            lines[0],
            "label    items  items>=2  percent  fleiss_kappa  kripp_alpha  gwet_ac1"
        );
        // AC1 by hand (see `report_has_ac1_and_pabak`): X 91/241 = 0.378; pooled p_a =
        // (10/3 + 8/3)/10 = 0.6, π = (11/6 + 7/6)/10 = 0.3, p_e = 0.42, AC1 = 0.18/0.58.
        assert_eq!(
            lines[1],
            "overall     10        10    0.636         0.061        0.132     0.310"
        );
        assert_eq!(
            lines[2],
            "X            5         5    0.727         0.296        0.400     0.378"
        );
        assert_eq!(
            lines[5],
            "label    annotator_a  annotator_b  items  observed  cohen_kappa     ac1   pabak"
        );
        // (ac1 and pabak are 6 wide: some pair has a negative one.)
        // Pooled ann1/ann2: yy 1, yn 1, ny 1, nn 3: π = 4/12, p_e = 4/9,
        // AC1 = (2/9)/(5/9) = 0.4; PABAK = 2·4/6 - 1 = 1/3.
        assert_eq!(
            lines[6],
            "overall  ann1         ann2             6     0.667        0.250   0.400   0.333"
        );
        assert_eq!(lines.len(), 6 + 9);
    }
}

/// Coverage of empty span files (the article in a span file's name) and of JSON items
/// without labels.
mod empty_span_file_tests {
    use super::*;

    /// Articles `111` (sentences [0,10) [11,20)) and `222` (one sentence [0,8)).
    fn numbered() -> SentenceIndex {
        SentenceIndex::new(&sentences(&[
            ("111", &[(0, 10), (11, 20)]),
            ("222", &[(0, 8)]),
        ]))
        .unwrap()
    }

    fn dir(name: &str, parts: &[(&str, &str)], idx: &SentenceIndex) -> LabelFile {
        parse_span_files(name, parts, idx, &ImportOptions::default()).unwrap()
    }

    #[test]
    fn an_empty_span_file_means_its_article_was_seen_without_spans() {
        let idx = numbered();
        // ana marks 2..5 in 111 (sentence 111:0); ben's file for 111 is empty, chloe's
        // holds blank lines only. All three saw article 111, so 111:0 X has 1 yes out of
        // 3 seen: 2·1 > 3 is false → no gold row (majority). Article 222 nobody saw.
        let files = vec![
            dir(
                "ana",
                &[("ana/article111.task2-TC.labels", "111\tX\t2\t5\n")],
                &idx,
            ),
            dir("ben", &[("ben/article111.task2-TC.labels", "")], &idx),
            dir(
                "chloe",
                &[("chloe/article111.task-flc-tc.labels", "\n  \n")],
                &idx,
            ),
        ];
        let m = run(&idx, &files, Strategy::Majority, TieRule::No);
        assert_eq!(m.gold, gold(&[]));
        // Seen by 3 on both sentences of 111, by nobody on 222:0.
        assert_eq!(m.votes.seen, [3, 3, 0]);
        // Reading the files adds no rows (only ana's span is one) and warns of nothing.
        assert_eq!((m.summary.rows_read, m.summary.rows_merged), (1, 1));
        assert_eq!(m.summary.warnings, Vec::<String>::new());
        let c: Vec<_> = conflicts(&m, &idx)
            .map(|c| (c.sentence_id, c.label, c.yes.join(";"), c.no.join(";")))
            .collect();
        assert_eq!(
            c,
            [("111:0", "X", "ana".to_string(), "ben;chloe".to_string())]
        );
        // `any` still takes ana's single yes.
        let m = run(&idx, &files, Strategy::Any, TieRule::No);
        assert_eq!(m.gold, gold(&[("111:0", "X", 1, "ana")]));
    }

    #[test]
    fn a_single_empty_span_file_given_directly_covers_its_article() {
        let idx = numbered();
        // `111.labels` (no `article` prefix) is empty: its annotator `111` saw 111:0 and
        // 111:1. With ana's yes on 111:0 that is 1 of 2 seen, a tie → no under the default.
        let ana = parse("ana.labels", "111\tX\t2\t5\n", &idx);
        let empty = parse("ben/111.labels", "", &idx);
        assert_eq!(empty.format, Some(Format::PtcSpans));
        let m = run(
            &idx,
            &[ana.clone(), empty.clone()],
            Strategy::Majority,
            TieRule::No,
        );
        assert_eq!(m.gold, gold(&[]));
        assert_eq!(m.votes.seen, [2, 2, 0]);
        assert_eq!(m.summary.annotators, ["111", "ana"]);
        assert_eq!(m.summary.warnings, Vec::<String>::new());
        // The same with the format forced on a file of another extension.
        let opts = ImportOptions {
            format: Some(Format::PtcSpans),
            ..ImportOptions::default()
        };
        let forced = parse_label_file("ben/article111.txt", "", &idx, &opts).unwrap();
        let m = run(&idx, &[ana, forced], Strategy::Majority, TieRule::No);
        assert_eq!(m.votes.seen, [2, 2, 0]);
    }

    #[test]
    fn a_span_file_covers_the_article_of_its_name_and_of_its_spans() {
        let idx = numbered();
        // `article111.labels` holds a span of article 222 only: its annotator saw both
        // articles, so every sentence is seen once.
        let f = dir("ana", &[("ana/article111.labels", "222\tX\t0\t3\n")], &idx);
        assert_eq!(f.articles(), ["111", "222"]);
        // A span of an unknown article counts as written; `article111` is article 111.
        let g = parse("x.labels", "zz\tX\t0\t1\narticle111\tX\t0\t1\n", &idx);
        assert_eq!(g.articles(), ["111", "zz"]);
        let m = run(&idx, &[f], Strategy::Majority, TieRule::No);
        assert_eq!(m.votes.seen, [1, 1, 1]);
        assert_eq!(m.gold, gold(&[("222:0", "X", 1, "ana")]));
    }

    #[test]
    fn an_empty_span_file_naming_no_known_article_is_a_warning() {
        let idx = numbered();
        // `notes.labels` may name article `notes`, `article999.task2-TC.labels` article
        // `article999.task2-TC` or `999`: none is in the table, so these empty files cover
        // nothing, and say so.
        let f = dir(
            "ana",
            &[
                ("ana/article111.labels", "111\tX\t2\t5\n"),
                ("ana/notes.labels", ""),
                ("ana/article999.task2-TC.labels", "\n"),
            ],
            &idx,
        );
        let m = run(&idx, &[f], Strategy::Majority, TieRule::No);
        assert_eq!(m.votes.seen, [1, 1, 0]);
        assert_eq!(
            m.summary.warnings,
            [
                "ana/notes.labels: no spans, and its name is not an article of the sentence table (`notes`): it covers no article",
                "ana/article999.task2-TC.labels: no spans, and its name is not an article of the sentence table (`article999.task2-TC` or `999`): it covers no article",
            ]
        );
        // A non-empty file of an unknown name is no warning (its spans say what it covers).
        let f = dir("ben", &[("ben/notes.labels", "111\tX\t2\t5\n")], &idx);
        let m = run(&idx, &[f], Strategy::Majority, TieRule::No);
        assert_eq!(m.summary.warnings, Vec::<String>::new());
        // Given directly, an empty span file of an unknown name gets the same warning
        // (not the generic "empty label file" one).
        let f = parse("x/ben.labels", "", &idx);
        let ana = parse("ana.labels", "111\tX\t2\t5\n", &idx);
        let m = run(&idx, &[ana, f], Strategy::Majority, TieRule::No);
        assert_eq!(
            m.summary.warnings,
            [
                "x/ben.labels: no spans, and its name is not an article of the sentence table (`ben`): it covers no article"
            ]
        );
        // `ben` saw nothing: 111:0 X is 1 yes of 1 seen.
        assert_eq!(m.gold, gold(&[("111:0", "X", 1, "ana")]));
    }

    #[test]
    fn json_items_without_labels_are_seen_without_a_label() {
        let idx = corpus();
        // doccano: ana gives a:0 X; ben and chloe have a:0 with an empty label list. All
        // three saw article a (3 sentences): a:0 X is 1 yes of 3 → no gold (majority).
        let doccano = |who: &str, labels: &str| {
            parse(
                &format!("{who}.jsonl"),
                &format!("{{\"sentence_id\": \"a:0\", \"label\": [{labels}]}}\n"),
                &idx,
            )
        };
        let files = vec![
            doccano("ana", "\"X\""),
            doccano("ben", ""),
            doccano("chloe", ""),
        ];
        let m = run(&idx, &files, Strategy::Majority, TieRule::No);
        assert_eq!(m.gold, gold(&[]));
        assert_eq!(m.votes.seen, [3, 3, 3, 0, 0]);
        // Label Studio: one task, three annotations, two without results: the same.
        let text = r#"[{"data": {"sentence_id": "a:0"}, "annotations": [
            {"completed_by": "ana", "result": [{"type": "choices", "value": {"choices": ["X"]}}]},
            {"completed_by": "ben", "result": []},
            {"completed_by": "chloe"}]}]"#;
        let f = parse("ls.json", text, &idx);
        let m = run(&idx, &[f], Strategy::Majority, TieRule::No);
        assert_eq!(m.gold, gold(&[]));
        assert_eq!(m.votes.seen, [3, 3, 3, 0, 0]);
    }

    #[test]
    fn the_articles_a_span_file_name_may_name() {
        use super::super::project::article_names_of_file_name as a;
        // Cut at each dot from the last, each read as an article file's stem is.
        assert_eq!(
            a("dir/article111.task2-TC.labels"),
            ["article111.task2-TC", "111"]
        );
        assert_eq!(
            a("article111.task-flc-tc.labels"),
            ["article111.task-flc-tc", "111"]
        );
        assert_eq!(a("news.2019.labels"), ["news.2019", "news"]);
        assert_eq!(a("111.labels"), ["111"]);
        assert_eq!(
            a("x.y/article12b.task2-TC.labels"),
            ["article12b.task2-TC", "article12b"]
        );
        assert_eq!(a("article.labels"), ["article"]);
        assert_eq!(a("ana.labels"), ["ana"]);
        assert_eq!(a("ana"), ["ana"]);
    }

    #[test]
    fn an_empty_span_file_covers_the_longest_article_its_name_names() {
        // Articles `news.2019` and `news`: an empty `news.2019.labels` saw `news.2019`.
        let idx = SentenceIndex::new(&sentences(&[("news", &[(0, 5)]), ("news.2019", &[(0, 4)])]))
            .unwrap();
        let f = parse("yan/news.2019.labels", "", &idx);
        assert_eq!(f.articles, ["news.2019"]);
        assert!(f.warnings().is_empty());
        // With no `news.2019` in the table, the shorter name is the article.
        let idx = SentenceIndex::new(&sentences(&[("news", &[(0, 5)])])).unwrap();
        let f = parse("yan/news.2019.labels", "", &idx);
        assert_eq!(f.articles, ["news"]);
    }
}

/// Gwet's AC1 (multi-rater and per pair) and PABAK, against a published example and
/// tables worked by hand.
mod ac1_pabak_tests {
    use super::*;

    /// The 12 units x 4 raters, 5 categories, with missing ratings, of Gwet's "Handbook
    /// of Inter-Rater Reliability" that the `irrCAC` package (0.4.4) documents in its
    /// module `irrCAC/raw.py` (dataset `raw_4raters`): AC1 = 0.77544, p_a = 0.81818,
    /// p_e = 0.19032. (The same counts per unit as Krippendorff's 2011 example C.)
    ///
    /// By hand, counts per unit over categories 1..5:
    /// [3,0,0,0,0] [0,3,1,0,0] [0,0,4,0,0] [0,0,4,0,0] [0,4,0,0,0] [1,1,1,1,0]
    /// [0,0,0,4,0] [3,1,0,0,0] [0,4,0,0,0] [0,0,0,0,3] [2,0,0,0,0] [0,0,1,0,0].
    /// p_a over the 11 units rated twice or more: P_i = 1, 1/2, 1, 1, 1, 0, 1, 1/2, 1, 1,
    /// 1 -> 9/11. π_k = mean over all 12 units of n_ik/n_i: in 48ths 12, 13, 14, 5, 4.
    /// Σ π(1-π) = (12·36 + 13·35 + 14·34 + 5·43 + 4·44)/48² = 1754/2304; p_e = that / 4 =
    /// 877/4608 = 0.19032. AC1 = (9/11 - 877/4608)/(3731/4608) = 31825/41041 = 0.775444.
    #[test]
    fn gwet_ac1_handbook_example_as_irrcac_documents_it() {
        let units: [[u64; 5]; 12] = [
            [3, 0, 0, 0, 0],
            [0, 3, 1, 0, 0],
            [0, 0, 4, 0, 0],
            [0, 0, 4, 0, 0],
            [0, 4, 0, 0, 0],
            [1, 1, 1, 1, 0],
            [0, 0, 0, 4, 0],
            [3, 1, 0, 0, 0],
            [0, 4, 0, 0, 0],
            [0, 0, 0, 0, 3],
            [2, 0, 0, 0, 0],
            [0, 0, 1, 0, 0],
        ];
        let items: Vec<(Vec<u64>, u64)> = units.iter().map(|u| (u.to_vec(), 1)).collect();
        let ac1 = gwet_ac1(&items, 5);
        assert_eq!(ac1.items, 11);
        assert!((ac1.value.unwrap() - 0.77544).abs() < 5e-6);
        close(ac1.value, 31825.0 / 41041.0);
        // Multiplicities count as repeated units: every unit twice gives the same AC1.
        let twice: Vec<(Vec<u64>, u64)> = units.iter().map(|u| (u.to_vec(), 2)).collect();
        close(gwet_ac1(&twice, 5).value, 31825.0 / 41041.0);
    }

    /// A 2x2 table of 100 items: both yes 40, A yes/B no 9, A no/B yes 6, both no 45.
    /// p_o = 85/100 = 0.85. Margins: A yes 49, B yes 46.
    /// kappa: p_e = 0.49·0.46 + 0.51·0.54 = 0.5008, κ = 0.3492/0.4992 = 0.699519...
    /// AC1: π = (49 + 46)/200 = 0.475, p_e = 2·0.475·0.525 = 0.49875,
    /// AC1 = 0.35125/0.50125 = 0.700748...; PABAK = 2·0.85 - 1 = 0.7.
    #[test]
    fn pair_ac1_and_pabak_on_a_2x2_table_by_hand() {
        let f = pair_figures(40, 9, 6, 45);
        close(f.observed_agreement, 0.85);
        close(f.kappa, 0.3492 / 0.4992);
        close(f.ac1, 0.35125 / 0.50125);
        close(f.pabak, 0.7);
        // The same table as multi-rater items (2 raters each): AC1 is the pair's AC1
        // (p_a = p_o with two raters, π the same pooled share).
        let items = [
            (vec![0, 2], 40),
            (vec![1, 1], 9),
            (vec![1, 1], 6),
            (vec![2, 0], 45),
        ];
        close(gwet_ac1(&items, 2).value, 0.35125 / 0.50125);
    }

    /// The prevalence paradox: 100 items, both no 98, one yes each on different items.
    /// p_o = 0.98; kappa p_e = 0.99² + 0.01² = 0.9802, κ = -0.0002/0.0198 = -1/99;
    /// AC1 π = 2/200 = 0.01, p_e = 2·0.01·0.99 = 0.0198, AC1 = 0.9602/0.9802;
    /// PABAK = 0.96. All "no": kappa undefined, AC1 1 (p_e = 0), PABAK 1. No items:
    /// everything undefined.
    #[test]
    fn pair_ac1_and_pabak_under_the_prevalence_paradox() {
        let f = pair_figures(0, 1, 1, 98);
        close(f.observed_agreement, 0.98);
        close(f.kappa, -1.0 / 99.0);
        close(f.ac1, 0.9602 / 0.9802);
        close(f.pabak, 0.96);
        let all_no = pair_figures(0, 0, 0, 7);
        assert_eq!(all_no.kappa, None);
        close(all_no.ac1, 1.0);
        close(all_no.pabak, 1.0);
        let none = pair_figures(0, 0, 0, 0);
        assert_eq!((none.ac1, none.pabak), (None, None));
        // Multi-rater: nobody rated twice -> undefined; everyone says no -> 1.
        assert_eq!(gwet_ac1(&[(vec![1, 0], 3)], 2).value, None);
        close(gwet_ac1(&[(vec![3, 0], 4)], 2).value, 1.0);
    }

    /// AC1 and PABAK in the report of the three-annotator example.
    /// X items [no, yes]: [0,3] [2,1] [3,0] [2,0] [1,1]. p_a = P̄ = (1 + 1/3 + 1 + 1 + 0)/5
    /// = 2/3; π_yes = (1 + 1/3 + 0 + 0 + 1/2)/5 = 11/30; p_e = 2·(11/30)·(19/30) = 209/450;
    /// AC1 = (300/450 - 209/450)/(241/450) = 91/241.
    /// Pair ann1/ann2 on X (a:0 yy, a:1 yn, a:2 nn): p_o = 2/3, π = 3/6, p_e = 1/2,
    /// AC1 = (2/3 - 1/2)/(1/2) = 1/3; PABAK = 2·2/3 - 1 = 1/3.
    #[test]
    fn report_has_ac1_and_pabak() {
        let idx = corpus();
        let m = run(
            &idx,
            &three_annotators(&idx),
            Strategy::Majority,
            TieRule::No,
        );
        let r = agreement(&m);
        let x = &r.labels[0].agreement;
        assert_eq!(x.gwet_ac1.items, 5);
        close(x.gwet_ac1.value, 91.0 / 241.0);
        close(x.cohen[0].ac1, 1.0 / 3.0);
        close(x.cohen[0].pabak, 1.0 / 3.0);
        let json = serde_json::to_value(&r).unwrap();
        assert!(
            (json["labels"][0]["gwet_ac1"]["value"].as_f64().unwrap() - 91.0 / 241.0).abs() < 1e-12
        );
        assert!(json["labels"][0]["cohen"][0]["pabak"].is_number());
        // No bootstrap: no intervals, no `ci` keys.
        assert!(json["overall"]["gwet_ac1"].get("ci").is_none());
        assert!(json.get("bootstrap").is_none());
    }
}

/// Bootstrap intervals of the agreement report.
mod agreement_bootstrap_tests {
    use super::super::agreement_ci::replicate_for_test;
    use super::*;

    fn three() -> Merged {
        let idx = corpus();
        run(
            &idx,
            &three_annotators(&idx),
            Strategy::Majority,
            TieRule::No,
        )
    }

    /// The sentence index of [`three`].
    fn three_index() -> SentenceIndex {
        corpus()
    }

    /// Every unit drawn once is the data itself: each replicate figure equals the report's.
    #[test]
    fn a_replicate_drawing_every_unit_once_gives_the_report() {
        let m = three();
        let r = agreement(&m);
        let (units, out) = replicate_for_test(&m, &three_index(), false, &[1; 5]);
        assert_eq!(units, 5);
        let rows = std::iter::once(&r.overall).chain(r.labels.iter().map(|l| &l.agreement));
        let width = 4 + 4 * 3;
        for (i, a) in rows.enumerate() {
            let row = &out[i * width..(i + 1) * width];
            let mut want = vec![
                a.percent_agreement.value,
                a.fleiss_kappa.value,
                a.krippendorff_alpha.value,
                a.gwet_ac1.value,
            ];
            for p in &a.cohen {
                want.extend([p.observed_agreement, p.kappa, p.ac1, p.pabak]);
            }
            for (got, want) in row.iter().zip(want) {
                match want {
                    Some(w) => assert!((got - w).abs() < 1e-12, "row {i}: {got} != {w}"),
                    None => assert!(got.is_nan(), "row {i}: {got} should be undefined"),
                }
            }
        }
        // Articles as units: a (a:0..a:2) and b (b:0, b:1), each once: the same figures.
        let (units, by_article) = replicate_for_test(&m, &three_index(), true, &[1, 1]);
        assert_eq!(units, 2);
        for (x, y) in out.iter().zip(&by_article) {
            assert!(
                x.to_bits() == y.to_bits() || (x - y).abs() < 1e-12,
                "{x} != {y}"
            );
        }
    }

    /// A replicate drawing a:0 twice, a:1 once, b:1 twice, a:2 and b:0 never.
    /// X items [no, yes]: [0,3] [0,3] [2,1] [1,1] [1,1].
    /// percent: agreeing pairs 6+6+2+0+0 = 14 of 6+6+6+2+2 = 22.
    /// Fleiss: P_i 1, 1, 1/3, 0, 0 → P̄ = 7/15; ratings 13, yes 9: P_e = 97/169,
    /// κ = (7/15 - 97/169)/(72/169) = -272/1080.
    /// alpha: disagreeing 0+0+2+2+2 = 6, expected 169 - 81 - 16 = 72, α = 1 - 12·6/72 = 0.
    /// AC1: p_a = 7/15; π = (1+1+1/3+1/2+1/2)/5 = 2/3, p_e = 4/9, AC1 = (1/45)/(25/45).
    /// Pair ann1/ann3 (both saw all): a:0 yy ×2, a:1 yn, b:1 ny ×2: p_o = 2/5;
    /// kappa p_e = (2·1 + 3·4)/25 = 0.56, κ = -0.16/0.44; AC1 π = 7/10, p_e = 0.42,
    /// AC1 = -0.02/0.58; PABAK = -0.2.
    #[test]
    fn a_replicate_counts_each_drawn_unit_as_often_as_it_was_drawn() {
        let m = three();
        let (_, out) = replicate_for_test(&m, &three_index(), false, &[2, 1, 0, 0, 2]);
        let x = &out[16..32];
        let want = [14.0 / 22.0, -272.0 / 1080.0, 0.0, 1.0 / 25.0];
        for (got, w) in x[..4].iter().zip(want) {
            assert!((got - w).abs() < 1e-12, "{got} != {w}");
        }
        let pair = &x[8..12];
        for (got, w) in pair.iter().zip([0.4, -0.16 / 0.44, -0.02 / 0.58, -0.2]) {
            assert!((got - w).abs() < 1e-12, "{got} != {w}");
        }
    }

    /// Intervals on every figure, the same for any thread count, and the report says how
    /// they were made; the point values are unchanged.
    #[test]
    fn intervals_do_not_depend_on_threads() {
        let m = three();
        let plain = agreement(&m);
        let with = |threads| {
            let mut r = agreement(&m);
            bootstrap_agreement(
                &mut r,
                &m,
                &three_index(),
                false,
                &AgreementBootstrap {
                    n: 500,
                    seed: 7,
                    threads,
                },
            );
            r
        };
        let one = with(1);
        assert_eq!(one, with(3));
        assert_eq!(one.overall.gwet_ac1.value, plain.overall.gwet_ac1.value);
        let info = one.bootstrap.as_ref().unwrap();
        assert_eq!(
            (info.replicates, info.seed, info.unit.as_str(), info.units),
            (500, 7, "sentence", 5)
        );
        for a in std::iter::once(&one.overall).chain(one.labels.iter().map(|l| &l.agreement)) {
            for s in [&a.percent_agreement, &a.gwet_ac1] {
                let ci = s.ci.expect("an interval");
                assert!(ci.lo <= ci.hi && ci.lo >= -1.0 && ci.hi <= 1.0, "{ci:?}");
            }
            for p in &a.cohen {
                let c = p.ci.expect("pair intervals");
                let pabak = c.pabak.unwrap();
                assert!(pabak.lo <= pabak.hi);
            }
        }
        // Another seed, other intervals.
        let mut other = agreement(&m);
        bootstrap_agreement(
            &mut other,
            &m,
            &three_index(),
            false,
            &AgreementBootstrap {
                n: 500,
                seed: 8,
                threads: 1,
            },
        );
        assert_ne!(other, one);
    }

    /// The bootstrap draws the units in the byte order of their ids, not in the order of the
    /// sentence table: the same table with its rows in another order gives the same
    /// intervals (the draws of unit `u` go to the same sentence either way).
    #[test]
    fn intervals_do_not_depend_on_the_order_of_the_sentence_table() {
        let rows = sentences(&[
            ("a", &[(0, 10), (11, 20), (21, 30)]),
            ("b", &[(0, 5), (6, 12)]),
        ]);
        let reversed: Vec<SentenceRow> = rows.iter().rev().cloned().collect();
        let report = |rows: &[SentenceRow]| {
            let idx = SentenceIndex::new(rows).unwrap();
            let m = run(
                &idx,
                &three_annotators(&idx),
                Strategy::Majority,
                TieRule::No,
            );
            let mut r = agreement(&m);
            bootstrap_agreement(
                &mut r,
                &m,
                &idx,
                false,
                &AgreementBootstrap {
                    n: 400,
                    seed: 3,
                    threads: 1,
                },
            );
            r
        };
        let (forward, backward) = (report(&rows), report(&reversed));
        assert!(forward.overall.gwet_ac1.ci.is_some());
        assert_eq!(forward, backward);
    }
}

mod plain_long_csv {
    use super::*;
    use crate::labels::import::{parse_csv_general, parse_long_plain};
    use proptest::prelude::{ProptestConfig, any, prop_assert_eq, prop_oneof};
    use proptest::strategy::Strategy as _;

    /// Both readers of a long CSV: the `csv` crate's, and the plain-record one when it takes
    /// the text (as their `Debug` forms, which show every field of the file).
    fn both(text: &str) -> (String, Option<String>) {
        let idx = corpus();
        let general = match parse_csv_general("r.csv", text, Format::LongCsv, &idx) {
            Ok(f) => format!("{f:?}"),
            Err(e) => format!("error: {e}"),
        };
        let plain = parse_long_plain("r.csv", text, &idx).map(|f| format!("{f:?}"));
        (general, plain)
    }

    #[test]
    fn plain_records_are_read_without_the_csv_crate_as_the_csv_crate_reads_them() {
        // Quoted labels with commas, CRLF, an annotator column, an empty label, an unknown
        // sentence, a whitespace-only record (skipped by both), no final line feed.
        let plain = [
            "sentence_id,label\na:0,X\na:0,\"Y,Z\"\nb:1,\n",
            "sentence_id,label,annotator\r\na:0, X ,ana\r\nzz,\"Y,Z\",\r\n , ,\r\nb:0,X,ben",
            "label,sentence_id\n\"\",a:2\n",
        ];
        for text in plain {
            let (general, fast) = both(text);
            assert_eq!(fast.as_deref(), Some(general.as_str()), "{text:?}");
        }
        // Not plain: the csv crate reads these (or reports their errors).
        let other = [
            "sentence_id,label\na:0,X\n\na:1,X\n", // empty line
            "sentence_id,label\na:0,X\ra:1,X\n",   // lone carriage return
            "sentence_id,label\na:0,\"Y\"\"Z\"\n", // doubled quote
            "sentence_id,label\na:0,\"Y\nZ\"\n",   // line feed inside quotes
            "sentence_id,label\na:0,X,extra\n",    // too many fields
            "sentence_id,label\na:0\n",            // too few fields
            "sentence_id,label\na:0,say \"x\"\n",  // quote inside a field
            "\"sentence_id\",label\na:0,X\n",      // quoted header
            "sentence_id\na:0\n",                  // no label column
        ];
        for text in other {
            assert_eq!(both(text).1, None, "{text:?}");
        }
    }

    /// Pieces a long CSV is made of, more often than random characters would give them.
    fn piece() -> impl proptest::strategy::Strategy<Value = String> {
        prop_oneof![
            6 => proptest::sample::select(vec![
                "a:0", "a:1", "b:1", "zz", "X", "Y", "\"Y,Z\"", "\"\"", " X ", "ana", "",
                ",", ",", ",", "\n", "\n", "\r\n", "\r", "\"", "\"\"", "\u{feff}", " ", "\t",
                "\u{e9}", "\u{fffd}",
            ]).prop_map(str::to_string),
            1 => any::<char>().prop_map(String::from),
        ]
    }

    proptest::proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// Whenever the plain-record reader takes a text, it gives what the csv crate gives:
        /// the same entries, labels, annotators, unknown ids and lines. Texts: one of a few
        /// headers, then random pieces (ids, labels, quotes, CRLF, lone CR, empty lines, a
        /// BOM, non-ASCII letters), some with bytes replaced and decoded as the CLI's
        /// lossy readers would (bad UTF-8 becomes U+FFFD).
        #[test]
        fn plain_reader_agrees_with_the_csv_crate(
            header in proptest::sample::select(vec![
                "sentence_id,label\n", "sentence_id,label\r\n", "sentence_id,label,annotator\n",
                "label, sentence_id\n", "annotator,label,sentence_id,note\n", "sentence_id,label",
            ]),
            body in proptest::collection::vec(piece(), 0..40),
            bad in proptest::collection::vec((0usize..400, 0x80u8..0xff), 0..3),
        ) {
            let mut bytes = format!("{header}{}", body.concat()).into_bytes();
            for (at, b) in bad {
                if !bytes.is_empty() {
                    let at = at % bytes.len();
                    bytes[at] = b;
                }
            }
            let text = String::from_utf8_lossy(&bytes);
            let (general, fast) = both(&text);
            if let Some(fast) = fast {
                prop_assert_eq!(fast, general, "{:?}", text);
            }
        }

        /// Well-formed files (written by the csv crate, random labels) are all plain, and
        /// read the same.
        #[test]
        fn written_files_are_plain(rows in proptest::collection::vec(
            (proptest::sample::select(vec!["a:0", "a:1", "b:0", "zz"]), "[A-Za-z_, ]{0,8}"), 0..30),
            crlf in any::<bool>(),
        ) {
            let mut w = csv::WriterBuilder::new()
                .terminator(if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') })
                .from_writer(Vec::new());
            w.write_record(["sentence_id", "label"]).unwrap();
            for (s, l) in &rows {
                w.write_record([*s, l.as_str()]).unwrap();
            }
            let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
            let (general, fast) = both(&text);
            // A row whose label is empty is written as `a:0,` (plain); all rows are plain.
            prop_assert_eq!(fast, Some(general));
        }
    }
}

mod vote_masks {
    use super::*;
    use crate::labels::merge::merge_with;
    use proptest::prelude::{ProptestConfig, prop_assert, prop_assert_eq};

    /// A long CSV with an annotator column from `(sentence, label, annotator)` choices:
    /// sentences of [`corpus`] and an unknown one, labels with one outside the schema
    /// (`W`) and an empty one ("seen, no label"), so rows repeat, are skipped and vote.
    fn file(rows: &[(usize, usize, usize)]) -> String {
        let sids = ["a:0", "a:1", "a:2", "b:0", "b:1", "zz"];
        let labels = ["X", "Y", "\"Z,z\"", "W", ""];
        let names = ["ana", "ben", "cy"];
        let mut text = String::from("sentence_id,label,annotator\n");
        for &(s, l, a) in rows {
            text.push_str(&format!("{},{},{}\n", sids[s], labels[l], names[a]));
        }
        text
    }

    fn rows() -> impl proptest::strategy::Strategy<Value = Vec<(usize, usize, usize)>> {
        proptest::collection::vec((0usize..6, 0usize..5, 0usize..3), 1..25)
    }

    proptest::proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        /// Votes counted in per-(sentence, label) bit masks give what sorted votes give:
        /// the same gold rows (kept compactly or not), skipped rows (duplicates in the same
        /// order), vote table and so agreement, with and without a schema and an adjudicator.
        #[test]
        fn masks_merge_as_sorted_votes(
            first in rows(),
            second in rows(),
            adjudicator in proptest::option::of(rows()),
            with_schema in proptest::bool::ANY,
            strategy in proptest::sample::select(vec![
                Strategy::Majority, Strategy::Unanimous, Strategy::Any, Strategy::MinVotes(2),
            ]),
        ) {
            let idx = corpus();
            // The second file's annotators are other people (`ana` -> `ana2`, ...).
            let files = [
                parse("one.csv", &file(&first), &idx),
                parse("two.csv", &file(&second).replace(",ana\n", ",ana2\n")
                    .replace(",ben\n", ",ben2\n").replace(",cy\n", ",cy2\n"), &idx),
            ];
            let adj = adjudicator.map(|r| parse("adj.csv", &file(&r), &idx));
            let schema = with_schema.then(|| Schema::from_toml("s.toml",
                "[[label]]\nname = \"X\"\n[[label]]\nname = \"Y\"\n[[label]]\nname = \"Z,z\"\n").unwrap());
            let options = MergeOptions { strategy, ..MergeOptions::default() };
            let sorted = merge_with(&idx, &files, adj.as_ref(), schema.as_ref(), &options, false, false, Vec::new());
            let masked = merge_compact(&idx, files.to_vec(), adj.clone(), schema.as_ref(), &options);
            match (sorted, masked) {
                (Ok(sorted), Ok(masked)) => {
                    prop_assert_eq!(&masked.summary, &sorted.summary);
                    prop_assert_eq!(format!("{:?}", masked.votes), format!("{:?}", sorted.votes));
                    prop_assert!(masked.gold.is_empty());
                    prop_assert_eq!(masked.gold_len(), sorted.gold.len());
                    let rows: Vec<GoldRow> = masked.gold_rows(&idx).map(|r| r.to_row()).collect();
                    prop_assert_eq!(rows, sorted.gold.clone());
                    prop_assert_eq!(agreement(&masked), agreement(&sorted));
                }
                (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
                (a, b) => prop_assert!(false, "one failed: {:?} / {:?}", a.err(), b.err()),
            }
        }
    }
}

mod index_lookup {
    use super::*;

    #[test]
    fn ids_with_the_same_hash_are_told_apart() {
        // FxHash reads ids 8 bytes at a time, the last part zero-padded with its length in
        // the top byte: "abcdefg" (7 bytes) gives the word "abcdefg\x07", exactly the one
        // word of the 8-byte id "abcdefg\x07". Same hash (also once mixed down), different
        // ids.
        let mut rows = sentences(&[("a", &[(0, 1), (2, 3)])]);
        rows[0].sentence_id = "abcdefg".into();
        rows[1].sentence_id = "abcdefg\u{7}".into();
        let idx = SentenceIndex::new(&rows).unwrap();
        assert_eq!(idx.position("abcdefg"), Some(0));
        assert_eq!(idx.position("abcdefg\u{7}"), Some(1));
        assert_eq!(idx.sentence_id(1), "abcdefg\u{7}");
        assert_eq!(idx.position("abcdefg\u{8}"), None);
        // A repeat of the second is still a duplicate.
        rows.push(rows[1].clone());
        assert!(
            SentenceIndex::new(&rows)
                .unwrap_err()
                .to_string()
                .contains("duplicate sentence id `abcdefg\u{7}`")
        );
    }
}

/// `long_rows` reads rows held in memory as a long CSV's records: cells trimmed, an empty
/// label a "seen" entry, an empty annotator the stem of the name, blank rows skipped,
/// unknown sentence ids kept for the merge to skip; the lines are the caller's.
#[test]
fn long_rows_read_like_the_long_csv_of_the_same_rows() {
    let idx = corpus();
    let rows = [
        (0, " a:0 ", "X ", "ann1"),
        (1, "a:1", "", "ann2"),
        (2, "", "", " "),
        (3, "b:1", "Y", ""),
        (4, "zz:9", "X", "ann1"),
    ];
    let file = long_rows("tables/t.arrow", rows, &idx);
    let entries: Vec<(&str, &str, Option<&str>, u64)> = file
        .entries(&idx)
        .map(|e| (e.annotator, e.sentence_id, e.label, e.line))
        .collect();
    // By hand: row 2 is blank (skipped); row 3 has no annotator, so the stem `t`.
    assert_eq!(
        entries,
        vec![
            ("ann1", "a:0", Some("X"), 0),
            ("ann2", "a:1", None, 1),
            ("t", "b:1", Some("Y"), 3),
            ("ann1", "zz:9", Some("X"), 4),
        ]
    );
    assert_eq!(file.rows_read(), 4);
    // The CSV text of the same rows (a header, then one line per row: lines 2..=6).
    let csv = parse(
        "tables/t.arrow",
        "sentence_id,label,annotator\n a:0 ,X ,ann1\na:1,,ann2\n,, \nb:1,Y,\nzz:9,X,ann1\n",
        &idx,
    );
    let csv_entries: Vec<(&str, &str, Option<&str>, u64)> = csv
        .entries(&idx)
        .map(|e| (e.annotator, e.sentence_id, e.label, e.line - 2))
        .collect();
    assert_eq!(entries, csv_entries);
    let options = MergeOptions::default();
    let a = merge(&idx, &[file], None, None, &options).unwrap();
    let b = merge(&idx, &[csv], None, None, &options).unwrap();
    assert_eq!(a.gold, b.gold);
    assert_eq!(a.summary.skipped.len(), 1);
}
