//! Tests of article-level span imports (Label Studio, doccano, Prodigy) and the span vote.
//! Offsets are worked out by hand in the comments.

use super::*;
use crate::rows::{SentenceKind, SentenceRow, SpanLabel};

/// Article `n1`: "Ha 😀 big lie. Ok 👍🏽 fine."
///
/// Code points: H0 a1 _2 😀3 _4 b5 i6 g7 _8 l9 i10 e11 .12 _13 O14 k15 _16 👍17 🏽18 _19
/// f20 i21 n22 e23 .24 (25). UTF-16: 😀, 👍 and 🏽 take two units each, so a code point
/// offset c is c + 1 from 4 on, c + 2 from 18, c + 3 from 19 (28 units). Graphemes: 👍🏽 is
/// one cluster, so from 19 on a code point offset c is grapheme c - 1 (24 clusters).
const N1: &str = "Ha 😀 big lie. Ok 👍🏽 fine.";
/// Article `n2`: "Cafe\u{301} vs cafe." — C0 a1 f2 e3 U+0301 4 _5 v6 s7 _8 c9 a10 f11 e12
/// .13 (14 code points, 14 UTF-16 units); graphemes: é is one cluster (13).
const N2: &str = "Cafe\u{301} vs cafe.";

fn index() -> SentenceIndex {
    let row = |a: &str, i: u32, start: u64, end: u64, text: &str| SentenceRow {
        article_id: a.into(),
        sentence_id: format!("{a}:{i}"),
        index: i,
        paragraph: 0,
        kind: SentenceKind::Body,
        start,
        end,
        text: text.into(),
    };
    SentenceIndex::new(&[
        row("n1", 0, 0, 13, "Ha 😀 big lie."),
        row("n1", 1, 14, 25, "Ok 👍🏽 fine."),
        row("n2", 0, 0, 14, N2),
    ])
    .unwrap()
}

fn opts(offsets: Option<OffsetUnit>) -> ImportOptions {
    ImportOptions {
        offsets,
        ..ImportOptions::default()
    }
}

fn span(a: &str, l: &str, start: u64, end: u64) -> SpanLabel {
    SpanLabel {
        article_id: a.into(),
        label: l.into(),
        start,
        end,
    }
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// A Label Studio result of type `labels`.
fn ls_result(start: u64, end: u64, text: &str, label: &str) -> String {
    format!(
        r#"{{"from_name": "label", "to_name": "text", "type": "labels", "value": {{"start": {start}, "end": {end}, "text": {}, "labels": ["{label}"]}}}}"#,
        json_str(text)
    )
}

/// Label Studio export of article n1 by users 1, 2 and 3 (3 without results), plus a
/// cancelled annotation of user 4 that must not count. `spans` gives (start, end) per
/// span in the unit under test: [big lie, 😀] for user 1, [lie, 👍🏽] for user 2.
fn ls_export(spans: [(u64, u64); 4]) -> String {
    let [lie1, emo1, lie2, emo2] = spans;
    format!(
        r#"[
  {{"id": 1, "data": {{"article_id": "n1", "text": {}}},
   "annotations": [
    {{"id": 11, "completed_by": 1, "result": [{}, {}]}},
    {{"id": 12, "completed_by": 2, "result": [{}, {}]}},
    {{"id": 13, "completed_by": 3, "result": []}},
    {{"id": 14, "completed_by": 4, "was_cancelled": true, "result": [{}]}}
   ]}}
]"#,
        json_str(N1),
        ls_result(lie1.0, lie1.1, "big lie", "Lie"),
        ls_result(emo1.0, emo1.1, "😀", "Emoji"),
        ls_result(lie2.0, lie2.1, "lie", "Lie"),
        ls_result(emo2.0, emo2.1, "👍🏽", "Emoji"),
        ls_result(0, 2, "Ha", "Lie"),
    )
}

/// Code-point offsets of the Label Studio fixture: big lie 5..12, 😀 3..4, lie 9..12,
/// 👍🏽 17..19.
const LS_CP: [(u64, u64); 4] = [(5, 12), (3, 4), (9, 12), (17, 19)];

fn merged_spans(files: &[LabelFile], strategy: Strategy) -> SpanGold {
    let options = MergeOptions {
        strategy,
        ..MergeOptions::default()
    };
    merge_spans(&index(), files, None, &options)
}

/// Label Studio SDK 2.1.2 reads `value.start`/`value.end` as Python string indices, i.e.
/// code points (`label_studio_sdk.converter.utils.create_tokens_and_tags` compares them
/// with `TreebankWordTokenizer().span_tokenize(text)` offsets into the same `str`), and
/// `Converter.annotation_result_from_task` drops annotations with `was_cancelled` or
/// `skipped`; each kept annotation is one annotator, identified by `completed_by`.
#[test]
fn label_studio_sdk_fixture_code_points_with_emoji() {
    let idx = index();
    let f = parse_label_file("ls.json", &ls_export(LS_CP), &idx, &opts(None)).unwrap();
    assert!(f.warnings().is_empty(), "{:?}", f.warnings());
    assert!(f.skipped().is_empty(), "{:?}", f.skipped());
    assert_eq!(f.annotators(), ["1", "2", "3"]);
    // Majority of 3 annotators needs 2 votes per code point: Lie is voted by 1 on 5..12
    // and by 2 on 9..12, so 9..12 ("lie"); each Emoji code point has one vote: none.
    assert_eq!(
        merged_spans(std::slice::from_ref(&f), Strategy::Majority).spans,
        vec![span("n1", "Lie", 9, 12)]
    );
    // Union: 😀 3..4 and 👍🏽 17..19 (two code points, one grapheme), big lie 5..12.
    let any = merged_spans(std::slice::from_ref(&f), Strategy::Any);
    assert_eq!(
        any.spans,
        vec![
            span("n1", "Emoji", 3, 4),
            span("n1", "Emoji", 17, 19),
            span("n1", "Lie", 5, 12),
        ]
    );
    assert_eq!(any.articles, ["n1"]);
    // The sentence projection as for PTC spans: Lie on n1:0 by 1 and 2 (2 of 3 saw it).
    let m = merge(&idx, &[f], None, None, &MergeOptions::default()).unwrap();
    let gold: Vec<(&str, &str, u32)> = m
        .gold
        .iter()
        .map(|g| (g.sentence_id.as_str(), g.label.as_str(), g.votes))
        .collect();
    assert_eq!(gold, [("n1:0", "Lie", 2)]);
    // Rows: 4 spans + user 3's "seen, no spans" = 5, all merged.
    assert_eq!((m.summary.rows_read, m.summary.rows_merged), (5, 5));
}

/// Label Studio's browser front end counts JavaScript string indices (UTF-16 units): the
/// same spans at big lie 6..13, 😀 3..5, lie 10..13, 👍🏽 18..22 are detected as UTF-16
/// (under code points "big lie" would read " big li") and give the same gold.
#[test]
fn label_studio_utf16_offsets_are_detected_and_converted() {
    let idx = index();
    let utf16 = [(6, 13), (3, 5), (10, 13), (18, 22)];
    let f = parse_label_file("ls.json", &ls_export(utf16), &idx, &opts(None)).unwrap();
    assert!(f.skipped().is_empty(), "{:?}", f.skipped());
    assert_eq!(
        f.warnings(),
        ["ls.json: span offsets read as UTF-16 code units (the unit under which every span fits)"]
    );
    assert_eq!(
        merged_spans(std::slice::from_ref(&f), Strategy::Any).spans,
        vec![
            span("n1", "Emoji", 3, 4),
            span("n1", "Emoji", 17, 19),
            span("n1", "Lie", 5, 12),
        ]
    );
}

/// Forced to UTF-16, the code-point export's spans that do not read their text are
/// counted as mismatches (never shifted): big lie 5..12 reads " big li", 😀 3..4 ends
/// inside 😀 (units 3-4), lie 9..12 reads " li", 👍🏽 17..19 ends inside 👍 (units 18-19);
/// nothing is merged from them.
#[test]
fn forced_unit_counts_mismatches() {
    let idx = index();
    let f = parse_label_file(
        "ls.json",
        &ls_export(LS_CP),
        &idx,
        &opts(Some(OffsetUnit::Utf16)),
    )
    .unwrap();
    let keys: Vec<&str> = f.skipped().iter().map(|s| s.reason.key()).collect();
    assert_eq!(keys, ["offset-mismatch"; 4]);
    assert_eq!(
        f.skipped()[0].to_string(),
        "ls.json:2: span 5..12 does not fit --offsets utf16: reads ` big li`, the export says `big lie` (annotator `1`, sentence `n1`, label `Lie`)"
    );
    let strict = MergeOptions {
        strict: true,
        ..MergeOptions::default()
    };
    assert!(merge(&idx, &[f], None, None, &strict).is_err());
}

/// doccano 1.8.4 exports one JSONL file per member (`{username}.jsonl`,
/// `data_export.celery_tasks`), each line `{"id", "text", **meta, "label": [[start,
/// end, label]]}` (`data_export.pipeline.factories`: `TupledSpanFormatter`, then
/// `RenameFormatter` data→text, spans→label), offsets as the annotator
/// stored them. Here they are code points (as `labels.models.Span.__str__`, which slices
/// `self.example.text[start:end]`, reads them): 17..19 cannot be UTF-16 units in n1 (19
/// falls inside 👍), so detection, which tries UTF-16 first for doccano, takes code points.
#[test]
fn doccano_fixture_code_points_with_emoji_and_combining_mark() {
    let idx = index();
    let line = |id: &str, text: &str, spans: &str| {
        format!(
            r#"{{"id": 1, "text": {}, "article_id": "{id}", "label": {spans}, "Comments": []}}"#,
            json_str(text)
        )
    };
    // ana: 👍🏽 17..19 and "vs" 6..8 in n2; ben: 👍🏽 17..19, nothing in n2.
    let ana = format!(
        "{}\n{}\n",
        line("n1", N1, r#"[[17, 19, "Emoji"]]"#),
        line("n2", N2, r#"[[6, 8, "Cmp"]]"#)
    );
    let ben = format!(
        "{}\n{}\n",
        line("n1", N1, r#"[[17, 19, "Emoji"]]"#),
        line("n2", N2, "[]")
    );
    let a = parse_label_file("ana.jsonl", &ana, &idx, &opts(None)).unwrap();
    let b = parse_label_file("ben.jsonl", &ben, &idx, &opts(None)).unwrap();
    assert!(a.warnings().is_empty() && b.warnings().is_empty());
    // Majority of 2 with ties no: 👍🏽 has 2 votes of 2; "vs" 1 of 2 (ben saw n2).
    let gold = merged_spans(&[a.clone(), b.clone()], Strategy::Majority);
    assert_eq!(gold.spans, vec![span("n1", "Emoji", 17, 19)]);
    assert_eq!(gold.articles, ["n1", "n2"]);
    let tie_yes = MergeOptions {
        tie: TieRule::Yes,
        ..MergeOptions::default()
    };
    let gold = merge_spans(&idx, &[a, b], None, &tie_yes);
    assert_eq!(
        gold.spans,
        vec![span("n1", "Emoji", 17, 19), span("n2", "Cmp", 6, 8)]
    );
}

/// Grapheme offsets: "vs" in n2 is grapheme 5..7 (é is one cluster) = code points 6..8;
/// "fine" in n1 is grapheme 19..23 = code points 20..24, when forced. doccano gives no
/// span text, so detection cannot tell these offsets from code points (both in bounds,
/// on boundaries) and keeps code points, the tool's own unit: that is what --offsets is
/// for.
#[test]
fn grapheme_offsets() {
    let idx = index();
    let text = format!(
        "{}\n{}\n",
        format_args!(
            r#"{{"text": {}, "article_id": "n2", "label": [[5, 7, "Cmp"]]}}"#,
            json_str(N2)
        ),
        format_args!(
            r#"{{"text": {}, "article_id": "n1", "label": [[19, 23, "Lie"]]}}"#,
            json_str(N1)
        ),
    );
    for o in [Some(OffsetUnit::Grapheme), None] {
        let f = parse_label_file("g.jsonl", &text, &idx, &opts(o)).unwrap();
        assert!(f.skipped().is_empty(), "{:?}", f.skipped());
        if o.is_none() {
            // doccano gives no span text, so every in-bounds offset fits code points:
            // detection keeps code points (the tool's own unit).
            assert_eq!(
                merged_spans(&[f], Strategy::Any).spans,
                vec![span("n1", "Lie", 19, 23), span("n2", "Cmp", 5, 7)]
            );
        } else {
            assert_eq!(
                merged_spans(&[f], Strategy::Any).spans,
                vec![span("n1", "Lie", 20, 24), span("n2", "Cmp", 6, 8)]
            );
        }
    }
}

/// Prodigy tasks: `text`, `spans` of `{start, end, label}` in code points (Python string
/// indices), the article in `meta`, the annotator in `_annotator_id`; a rejected task is
/// counted and skipped.
#[test]
fn prodigy_jsonl() {
    let idx = index();
    let text = format!(
        "{}\n{}\n",
        format_args!(
            r#"{{"text": {}, "meta": {{"article_id": "n1"}}, "spans": [{{"start": 3, "end": 4, "label": "Emoji"}}], "answer": "accept", "_annotator_id": "p-ana"}}"#,
            json_str(N1)
        ),
        format_args!(
            r#"{{"text": {}, "meta": {{"article_id": "n2"}}, "spans": [], "answer": "reject", "_annotator_id": "p-ana"}}"#,
            json_str(N2)
        ),
    );
    assert_eq!(detect_format(&text), Some(Format::ProdigyJsonl));
    let f = parse_label_file("p.jsonl", &text, &idx, &opts(None)).unwrap();
    assert_eq!(f.annotators(), ["p-ana"]);
    let keys: Vec<&str> = f.skipped().iter().map(|s| s.reason.key()).collect();
    assert_eq!(keys, ["not-accepted"]);
    assert_eq!(f.rows_read(), 2);
    let gold = merged_spans(&[f], Strategy::Majority);
    assert_eq!(gold.spans, vec![span("n1", "Emoji", 3, 4)]);
    assert_eq!(gold.articles, ["n1"]);
}

/// Bad spans are counted with file and line: start >= end, past the end of the text
/// (25 code points; 28 UTF-16 units, so 20..30 is past the end in every unit), an
/// unknown article; a result that is no span; the rest merges.
#[test]
fn bad_spans_are_counted() {
    let idx = index();
    let text = format!(
        r#"[
{{"data": {{"article_id": "n1", "text": {t}}}, "annotations": [{{"completed_by": 1, "result": [
  {{"type": "labels", "value": {{"start": 7, "end": 7, "text": "", "labels": ["Lie"]}}}},
  {{"type": "labels", "value": {{"start": 20, "end": 30, "text": "fine.", "labels": ["Lie"]}}}},
  {{"type": "choices", "value": {{"choices": ["Lie"]}}}},
  {r}
]}}]}},
{{"data": {{"article_id": "zz", "text": "abc"}}, "annotations": [{{"completed_by": 1, "result": []}}]}}
]"#,
        t = json_str(N1),
        r = ls_result(5, 12, "big lie", "Lie"),
    );
    let f = parse_label_file("bad.json", &text, &idx, &opts(None)).unwrap();
    let got: Vec<(u64, &str)> = f
        .skipped()
        .iter()
        .map(|s| (s.line, s.reason.key()))
        .collect();
    assert_eq!(
        got,
        [
            (2, "not-a-span"),
            (2, "empty-span"),
            (2, "outside-article"),
            (8, "unknown-article"),
        ]
    );
    assert_eq!(
        f.skipped()[2].reason,
        SkipReason::OutsideArticle {
            end: 30,
            length: 25
        }
    );
    // 3 spans + 1 choice + the unknown article's "seen" row = 5 rows; 4 skipped.
    let m = merge(
        &idx,
        std::slice::from_ref(&f),
        None,
        None,
        &MergeOptions::default(),
    )
    .unwrap();
    assert_eq!((m.summary.rows_read, m.summary.rows_merged), (5, 1));
    assert_eq!(
        merged_spans(&[f], Strategy::Majority).spans,
        vec![span("n1", "Lie", 5, 12)]
    );
}

/// Label Studio with no unit under which every span's text matches: an error naming the
/// deciding span. "big lie" at 5..12 fits code points only; "lie" at 10..13 fits UTF-16
/// only (as code points it reads "ie."); the second decides.
#[test]
fn no_unit_fits_is_an_error_naming_the_deciding_span() {
    let idx = index();
    let text = ls_export([(5, 12), (3, 4), (10, 13), (17, 19)]);
    let e = parse_label_file("ls.json", &text, &idx, &opts(None))
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("ls.json:2: bad span offsets: the span offsets fit no unit; the deciding span is line 2's 10..13 `Lie`"),
        "{e}"
    );
    assert!(
        e.contains("as code points, line 2: span 10..13 `Lie` reads `ie.`, the export says `lie`"),
        "{e}"
    );
}

/// A PTC span file votes with the tool exports: its annotator saw the articles it covers.
#[test]
fn ptc_files_vote_with_tool_exports() {
    let idx = index();
    let ls = parse_label_file("ls.json", &ls_export(LS_CP), &idx, &opts(None)).unwrap();
    let ptc = parse_label_file("zed.labels", "n1\tEmoji\t3\t4\n", &idx, &opts(None)).unwrap();
    // Emoji 3..4 now has 2 votes (user 1, zed) of 4 annotators: a tie, no by default.
    // Lie 9..12 has 2 of 4 too. With --tie yes both are gold.
    let tie_yes = MergeOptions {
        tie: TieRule::Yes,
        ..MergeOptions::default()
    };
    assert_eq!(
        merge_spans(&idx, &[ls.clone(), ptc.clone()], None, &tie_yes).spans,
        vec![span("n1", "Emoji", 3, 4), span("n1", "Lie", 9, 12)]
    );
    assert!(
        merge_spans(&idx, &[ls, ptc], None, &MergeOptions::default())
            .spans
            .is_empty()
    );
}

/// doccano 1.8.4's annotator takes offsets from the browser's selection, JavaScript string
/// indices (its `graphemeMode` project option off, the default): UTF-16 code units. In n1
/// by hand, UTF-16: H0 a1 _2 😀3-4 _5 b6 i7 g8 _9 l10 i11 e12 .13 _14 O15 k16 _17 👍18-19
/// 🏽20-21 _22: "big" is 6..9 and 👍🏽 18..22, i.e. code points 5..8 and 17..19. 6..9 would
/// also fit code points ("ig "), so only the order decides: doccano files try UTF-16
/// first, and say so on stderr.
#[test]
fn doccano_offsets_are_read_as_utf16_units_first() {
    let idx = index();
    let text = format!(
        r#"{{"id": 1, "text": {}, "article_id": "n1", "label": [[6, 9, "Big"], [18, 22, "Emoji"]]}}"#,
        json_str(N1)
    ) + "\n";
    let f = parse_label_file("ana.jsonl", &text, &idx, &opts(None)).unwrap();
    assert_eq!(f.warnings().len(), 1, "{:?}", f.warnings());
    assert!(
        f.warnings()[0].contains("read as UTF-16 code units"),
        "{:?}",
        f.warnings()
    );
    let gold = merged_spans(&[f], Strategy::Majority);
    assert_eq!(
        gold.spans,
        vec![span("n1", "Big", 5, 8), span("n1", "Emoji", 17, 19)]
    );
}

// ---- PTC span rows held in memory (`ptc_rows`): the same result as the span file.

#[test]
fn ptc_rows_project_and_skip_as_the_span_file_does() {
    // n1's sentences are [0, 13) and [14, 25). `big` (5..8) lies in n1:0; `lie. Ok` (9..16)
    // overlaps both sentences; the repeated `big` span is a duplicate; 20..30 ends past
    // n1's length (25); article `zz` is unknown. So 2 spans kept, pairs n1:0 X (once,
    // from the first span), n1:0 Y, n1:1 Y; 3 skipped.
    let rows = [
        (0, "n1", "X", 5, 8),
        (1, " n1 ", "Y ", 9, 16),
        (2, "n1", "X", 5, 8),
        (3, "n1", "X", 20, 30),
        (4, "zz", "X", 0, 1),
    ];
    let opts = ImportOptions {
        format: Some(Format::PtcSpans),
        ..ImportOptions::default()
    };
    let index = index();
    let got = ptc_rows("gold", rows, &index, &opts).unwrap();
    let text = "n1\tX\t5\t8\n n1 \tY \t9\t16\nn1\tX\t5\t8\nn1\tX\t20\t30\nzz\tX\t0\t1\n";
    let file = parse_label_file("gold.labels", text, &index, &opts).unwrap();
    assert_eq!(got.spans(), [span("n1", "X", 5, 8), span("n1", "Y", 9, 16)]);
    assert_eq!(got.spans(), file.spans());
    let pairs: Vec<(String, String)> = got.label_pairs(&index).collect();
    let expected = [("n1:0", "X"), ("n1:0", "Y"), ("n1:1", "Y")];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(s, l)| (s.to_string(), l.to_string()))
        .collect();
    assert_eq!(pairs, expected);
    assert_eq!(file.label_pairs(&index).collect::<Vec<_>>(), expected);
    // Rows are numbered as given (0-based here), lines from 1 in the file.
    let lines = |f: &LabelFile| f.skipped().iter().map(|s| s.line).collect::<Vec<_>>();
    assert_eq!(lines(&got), [2, 3, 4]);
    assert_eq!(lines(&file), [3, 4, 5]);
    let reasons = |f: &LabelFile| {
        f.skipped()
            .iter()
            .map(|s| s.reason.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(reasons(&got), reasons(&file));
}

#[test]
fn ptc_rows_refuse_an_empty_label_and_start_after_end_naming_the_row() {
    let index = index();
    let opts = ImportOptions::default();
    let err = ptc_rows("gold", [(3, "n1", " ", 0, 1)], &index, &opts).unwrap_err();
    assert_eq!(err.to_string(), "gold:3: empty label");
    let err = ptc_rows("gold", [(7, "n1", "X", 5, 2)], &index, &opts).unwrap_err();
    assert_eq!(err.to_string(), "gold:7: bad span offsets: start 5 > end 2");
}
