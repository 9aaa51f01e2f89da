//! Fuzz-style property tests of every reader: random edits of a valid input (characters
//! inserted, removed or replaced; for Arrow, bytes) must give a value or an
//! error that names the input, never a panic. Small budgets, so they run with the suite.

use std::path::Path;

use proptest::prelude::*;

use crate::corpus::{self, FieldNames};
use crate::labels::{self, ImportOptions, SentenceIndex};
use crate::rows::SentenceRow;
use crate::sentence_table::SentenceTable;
use crate::tables::{self, Format, frame, input::Input};

/// Article `a`: the title [0, 11), a:1 [13, 29), a:2 [30, 41).
const SENTENCES: &str = "article_id,sentence_id,index,paragraph,kind,start,end,text
a,a:0,0,0,title,0,11,Alpha title
a,a:1,1,1,body,13,29,They are crooks!
a,a:2,2,1,body,30,41,\"Is it \"\"true\"\"?\"
";

fn index() -> SentenceIndex {
    let rows: Vec<SentenceRow> = tables::parse_csv_table("s.csv", SENTENCES).unwrap();
    SentenceIndex::new(&rows).unwrap()
}

/// Applies edits `(position, character, operation)` to a text: 0 inserts, 1 removes,
/// 2 replaces.
fn edit_text(text: &str, edits: &[(usize, char, u8)]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for &(at, c, op) in edits {
        let at = at % (chars.len() + 1);
        match op {
            0 => chars.insert(at, c),
            1 if at < chars.len() => {
                chars.remove(at);
            }
            _ if at < chars.len() => chars[at] = c,
            _ => {}
        }
    }
    chars.into_iter().collect()
}

/// The same for bytes.
fn edit_bytes(bytes: &[u8], edits: &[(usize, u8, u8)]) -> Vec<u8> {
    let mut bytes = bytes.to_vec();
    for &(at, b, op) in edits {
        let at = at % (bytes.len() + 1);
        match op {
            0 => bytes.insert(at, b),
            1 if at < bytes.len() => {
                bytes.remove(at);
            }
            _ if at < bytes.len() => bytes[at] = b,
            _ => {}
        }
    }
    bytes
}

/// Characters that matter to the parsers (separators, quotes, digits, braces, line
/// breaks, a BOM, a non-ASCII letter) more often than a uniform choice would give.
fn interesting_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => proptest::sample::select(vec![
            ',', '"', '\n', '\r', '\t', '{', '}', '[', ']', ':', '0', '9', '-', ' ', 'a',
            '\u{feff}', '\u{e9}', ';', '\\',
        ]),
        1 => any::<char>(),
    ]
}

fn text_edits() -> impl Strategy<Value = Vec<(usize, char, u8)>> {
    proptest::collection::vec((0usize..400, interesting_char(), 0u8..3), 1..6)
}

/// Asserts that an error names the input.
fn names(err: impl std::fmt::Display, name: &str) -> Result<(), TestCaseError> {
    let message = err.to_string();
    prop_assert!(
        message.contains(name),
        "error does not name `{name}`: {message}"
    );
    Ok(())
}

/// A valid table of each kind in a columnar format, written by sentlab's own writer.
fn columnar(format: Format) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("s.{}", format.name()));
    let mut df = frame::frame_from_csv("s.csv", SENTENCES.as_bytes().to_vec()).unwrap();
    frame::write_frame(Some(&path), format, &mut df).unwrap();
    std::fs::read(&path).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Arrow: edited bytes are a table or an error naming the file. (Parquet is fuzzed in
    /// the integration tests, `export::edited_parquet_bytes_are_a_table_or_an_error`: some
    /// damaged Parquet pages make the reader abort the process, which only the check in a
    /// child process of the built binary turns into an error.)
    #[test]
    fn arrow_tables(
        edits in proptest::collection::vec((0usize..4000, any::<u8>(), 0u8..3), 1..4),
    ) {
        let bytes = edit_bytes(&columnar(Format::Arrow), &edits);
        let input = Input { name: "t.bin".to_string(), format: Format::Arrow, bytes };
        if let Err(e) = frame::columnar_csv_text(input) {
            names(e, "t.bin")?;
        }
    }

    /// The sentence table, through both of its readers (the fast one and serde's).
    #[test]
    fn sentence_tables(edits in text_edits()) {
        let text = edit_text(SENTENCES, &edits);
        if let Err(e) = SentenceTable::parse_csv("s.csv", &text) {
            names(e, "s.csv")?;
        }
        if let Err(e) = tables::parse_csv_table::<SentenceRow>("s.csv", &text) {
            names(e, "s.csv")?;
        }
    }

    /// Every annotator file format.
    #[test]
    fn label_files(edits in text_edits(), which in 0usize..6) {
        let (name, valid) = [
            ("l.csv", "sentence_id,label,annotator\na:1,Doubt,ana\na:2,,ben\na:1,\"Name_Calling,Labeling\",ana\n"),
            ("w.csv", "sentence_id,Doubt,Loaded\na:1,1,0\na:2,0,1\n"),
            ("t.csv", "article_id,sentence_id,index,paragraph,kind,start,end,text,labels\na,a:1,1,1,body,13,29,They are crooks!,Doubt;X\n"),
            ("a.labels", "a\tDoubt\t13\t20\na\tLoaded\t30\t35\n"),
            ("d.jsonl", "{\"id\": 1, \"sentence_id\": \"a:1\", \"label\": [\"X\"]}\n{\"sentence_id\": \"a:2\", \"label\": [[0, 3, \"Y\"]], \"annotator\": \"zoe\"}\n"),
            ("ls.json", "[{\"id\": 1, \"data\": {\"sentence_id\": \"a:1\"}, \"annotations\": [{\"completed_by\": 7, \"result\": [{\"type\": \"choices\", \"value\": {\"choices\": [\"X\"]}}]}]}]"),
        ][which];
        let text = edit_text(valid, &edits);
        if let Err(e) = labels::parse_label_file(name, &text, &index(), &ImportOptions::default()) {
            names(e, name)?;
        }
    }

    /// Articles as JSON Lines or CSV, and a text article split into sentences.
    #[test]
    fn articles(edits in text_edits(), which in 0usize..3) {
        let fields = FieldNames::default();
        match which {
            0 => {
                let text = edit_text("{\"id\": \"a\", \"title\": \"T\", \"text\": \"Body. More.\"}\n", &edits);
                if let Err(e) = corpus::parse_jsonl("a.jsonl", &text, &fields) {
                    names(e, "a.jsonl")?;
                }
            }
            1 => {
                let text = edit_text("id,title,text\na,T,\"Body. \"\"More\"\".\"\n", &edits);
                if let Err(e) = corpus::parse_csv("a.csv", &text, &fields) {
                    names(e, "a.csv")?;
                }
            }
            _ => {
                let text = edit_text("Alpha title\n\nThey are crooks! Is it \"true\"?\n", &edits);
                let rows = crate::sentences::sentence_rows("a", &text, true, &Default::default());
                // The splitter's contract, whatever the text: every row's text is its span.
                for r in rows {
                    let slice: String = text.chars().skip(r.start as usize).take((r.end - r.start) as usize).collect();
                    prop_assert_eq!(slice, r.text);
                }
            }
        }
    }

    /// Rule files, label schemas and pipeline configs (TOML).
    #[test]
    fn toml_files(edits in text_edits(), which in 0usize..3) {
        match which {
            0 => {
                let text = edit_text("[[rule]]\nid = \"a\"\nlabel = \"Doubt\"\nlexicon = { words = [\"x\", \"y z\"], inflect = true }\nunless = ['\\bnot\\b']\n", &edits);
                let source = crate::rules::RuleSource { path: "r.toml".into(), text };
                let read = |_: &Path| -> std::io::Result<String> { Ok("w\n".to_owned()) };
                if let Ok(set) = crate::rules::parse(&[source], &read, None) {
                    // What parses compiles or reports a problem; no panic either way.
                    let _ = set.compile();
                }
            }
            1 => {
                let text = edit_text("[[label]]\nname = \"Doubt\"\naliases = [\"doubt\"]\ndescription = \"d\"\n", &edits);
                if let Err(e) = labels::Schema::from_toml("l.toml", &text) {
                    names(e, "l.toml")?;
                }
            }
            _ => {
                let text = edit_text("articles = [\"a\"]\nannotators = [\"x.csv\", \"y.csv\"]\nrules = \"r.toml\"\nstrategy = \"majority\"\n", &edits);
                if let Err(e) = crate::pipeline::PipelineConfig::parse("p.toml", &text, Path::new(".")) {
                    names(e, "p.toml")?;
                }
            }
        }
    }
}
