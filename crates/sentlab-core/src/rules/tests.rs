//! Unit tests of the rule engine. Expected values were worked out by hand.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::*;
use crate::rows::SentenceKind;

fn no_files(p: &Path) -> std::io::Result<String> {
    Err(std::io::Error::new(
        std::io::ErrorKind::NotFound,
        format!("no such file: {}", p.display()),
    ))
}

fn src(text: &str) -> Vec<RuleSource> {
    vec![RuleSource {
        path: PathBuf::from("rules/p.toml"),
        text: text.to_owned(),
    }]
}

fn set(text: &str) -> RuleSet {
    match parse(&src(text), &no_files, None) {
        Ok(s) => s,
        Err(d) => panic!("unexpected diagnostics: {d:#?}"),
    }
}

fn matcher(text: &str) -> Matcher {
    set(text).compile().expect("compiles")
}

fn diags(text: &str) -> Vec<String> {
    diags_with(text, &no_files, None)
}

fn diags_with(
    text: &str,
    read: &dyn Fn(&Path) -> std::io::Result<String>,
    labels: Option<&BTreeSet<String>>,
) -> Vec<String> {
    sources_diags(&src(text), read, labels)
}

fn sources_diags(
    sources: &[RuleSource],
    read: &dyn Fn(&Path) -> std::io::Result<String>,
    labels: Option<&BTreeSet<String>>,
) -> Vec<String> {
    match parse(sources, read, labels) {
        Ok(_) => panic!("expected diagnostics"),
        Err(d) => d.iter().map(ToString::to_string).collect(),
    }
}

/// Body sentences laid out in an article separated by one space each.
fn article(texts: &[&str]) -> Vec<ArticleSentence<'static>> {
    let mut start = 0u64;
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let t: &'static str = Box::leak(t.to_string().into_boxed_str());
            let id: &'static str = Box::leak(format!("a:{i}").into_boxed_str());
            let s = ArticleSentence {
                sentence_id: id,
                kind: SentenceKind::Body,
                text: t,
                start,
            };
            start += t.chars().count() as u64 + 1;
            s
        })
        .collect()
}

type Hit = (String, String, u64, u64, String);

fn hits(m: &Matcher, texts: &[&str]) -> Vec<Hit> {
    hits_of(m, &article(texts))
}

fn hits_of(m: &Matcher, sentences: &[ArticleSentence<'_>]) -> Vec<Hit> {
    m.match_article(sentences)
        .into_iter()
        .map(|r| (r.sentence_id, r.rule_id, r.start, r.end, r.matched))
        .collect()
}

fn hit(sid: &str, rule: &str, start: u64, end: u64, m: &str) -> Hit {
    (sid.into(), rule.into(), start, end, m.into())
}

// ---------- lexicon ----------

#[test]
fn lexicon_case_insensitive_whole_word_by_default() {
    let m = matcher(
        r#"
[[rule]]
id = "lex"
label = "Loaded"
lexicon = { words = ["regime"] }
"#,
    );
    assert_eq!(
        hits(&m, &["The Regime fell; regimes and the regimental REGIME."]),
        vec![
            hit("a:0", "lex", 4, 10, "Regime"),
            hit("a:0", "lex", 44, 50, "REGIME"),
        ]
    );
}

#[test]
fn lexicon_substring_when_whole_word_false() {
    let m = matcher(
        r#"
[[rule]]
id = "lex"
label = "Loaded"
lexicon = { words = ["regime"], whole_word = false }
"#,
    );
    assert_eq!(
        hits(&m, &["regimental regimes"]),
        vec![
            hit("a:0", "lex", 0, 6, "regime"),
            hit("a:0", "lex", 11, 17, "regime"),
        ]
    );
}

#[test]
fn lexicon_case_sensitive() {
    let m = matcher(
        r#"
[[rule]]
id = "eu"
label = "L"
case_sensitive = true
lexicon = { words = ["EU"] }
"#,
    );
    assert_eq!(
        hits(&m, &["The EU, the eu and the Eu."]),
        vec![hit("a:0", "eu", 4, 6, "EU")]
    );
}

#[test]
fn lexicon_non_ascii_case_variants() {
    let m = matcher(
        r#"
[[rule]]
id = "elite"
label = "L"
lexicon = { words = ["élite"] }
"#,
    );
    // "The " = 4, "ÉLITE" 5 chars, " and " = 5, "Élite" at 14, " and " , "élite" at 24.
    assert_eq!(
        hits(&m, &["The ÉLITE and Élite and élite"]),
        vec![
            hit("a:0", "elite", 4, 9, "ÉLITE"),
            hit("a:0", "elite", 14, 19, "Élite"),
            hit("a:0", "elite", 24, 29, "élite"),
        ]
    );
}

#[test]
fn lexicon_inflections() {
    let m = matcher(
        r#"
[[rule]]
id = "inf"
label = "L"
lexicon = { words = ["smear", "move", "bully", "stop", "witch hunt"], inflect = true }
"#,
    );
    let text = "Smeared, moving, bullies, stopped, witch hunts, stopping, moved, bullied, smearing";
    assert_eq!(
        hits(&m, &[text]),
        vec![
            hit("a:0", "inf", 0, 7, "Smeared"),
            hit("a:0", "inf", 9, 15, "moving"),
            hit("a:0", "inf", 17, 24, "bullies"),
            hit("a:0", "inf", 26, 33, "stopped"),
            hit("a:0", "inf", 35, 46, "witch hunts"),
            hit("a:0", "inf", 48, 56, "stopping"),
            hit("a:0", "inf", 58, 63, "moved"),
            hit("a:0", "inf", 65, 72, "bullied"),
            hit("a:0", "inf", 74, 82, "smearing"),
        ]
    );
    // Without inflect, only the base forms match.
    let plain = matcher(
        r#"
[[rule]]
id = "plain"
label = "L"
lexicon = { words = ["smear"] }
"#,
    );
    assert_eq!(
        hits(&plain, &["smeared smear"]),
        vec![hit("a:0", "plain", 8, 13, "smear")]
    );
}

#[test]
fn inflection_forms_are_as_documented() {
    assert_eq!(
        text::inflections("move"),
        vec![
            "move", "moved", "moveed", "movees", "moveing", "moves", "moving"
        ]
    );
    assert_eq!(
        text::inflections("stop"),
        vec![
            "stop", "stoped", "stopes", "stoping", "stopped", "stopping", "stops"
        ]
    );
    assert_eq!(
        text::inflections("bully"),
        vec![
            "bullied", "bullies", "bully", "bullyed", "bullyes", "bullying", "bullys"
        ]
    );
}

#[test]
fn lexicon_phrase_across_whitespace_runs() {
    let m = matcher(
        r#"
[[rule]]
id = "ds"
label = "L"
lexicon = { words = ["deep   state"] }
"#,
    );
    // "the " = 4; "deep \n\t state" = 4 + 4 whitespace + 5 = 13 chars -> [4, 17).
    assert_eq!(
        hits(&m, &["the deep \n\t state is here; deep state again"]),
        vec![
            hit("a:0", "ds", 4, 17, "deep \n\t state"),
            hit("a:0", "ds", 27, 37, "deep state"),
        ]
    );
    // A non-breaking space counts as whitespace too, and offsets stay in code points.
    assert_eq!(
        hits(&m, &["é deep\u{a0}state"]),
        vec![hit("a:0", "ds", 2, 12, "deep\u{a0}state")]
    );
}

#[test]
fn overlapping_matches_of_different_rules_and_longest_within_a_rule() {
    let m = matcher(
        r#"
[[rule]]
id = "b-regime"
label = "L1"
lexicon = { words = ["regime"] }

[[rule]]
id = "a-phrase"
label = "L2"
lexicon = { words = ["so-called", "so-called regime"] }

[[rule]]
id = "c-regex"
label = "L3"
regex = 'called\s+regime'
"#,
    );
    assert_eq!(
        hits(&m, &["the so-called regime"]),
        vec![
            hit("a:0", "a-phrase", 4, 20, "so-called regime"),
            hit("a:0", "c-regex", 7, 20, "called regime"),
            hit("a:0", "b-regime", 14, 20, "regime"),
        ]
    );
}

#[test]
fn identical_spans_of_one_rule_are_deduplicated() {
    let m = matcher(
        r#"
[[rule]]
id = "dup"
label = "L"
lexicon = { words = ["Regime", "regime", "REGIME"] }
"#,
    );
    assert_eq!(
        hits(&m, &["regime"]),
        vec![hit("a:0", "dup", 0, 6, "regime")]
    );
}

#[test]
fn code_point_offsets_with_non_ascii_before_the_match() {
    let m = matcher(
        r#"
[[rule]]
id = "r"
label = "L"
lexicon = { words = ["regime"] }
"#,
    );
    // Sentence 0 "Ça va." is 6 code points, sentence 1 starts at 7.
    // In sentence 1: “ Café ” space 😀 space = 1+4+1+1+1+1 = 9 code points before "regime".
    assert_eq!(
        hits(&m, &["Ça va.", "“Café” 😀 regime now"]),
        vec![hit("a:1", "r", 16, 22, "regime")]
    );
}

#[test]
fn lexicon_file_relative_to_rules_file() {
    let read = |p: &Path| -> std::io::Result<String> {
        assert_eq!(p, Path::new("rules/lexicons/loaded.txt"));
        Ok("# loaded words\n\nregime\n  puppet  \n# tyrant\n".to_owned())
    };
    let sources = src(r#"
[[rule]]
id = "file"
label = "L"
lexicon = { file = "lexicons/loaded.txt", words = ["thug"] }
"#);
    let set = parse(&sources, &read, None).expect("valid");
    let RuleKind::Lexicon(lex) = &set.rules()[0].kind else {
        panic!("lexicon expected")
    };
    assert_eq!(lex.entries, vec!["thug", "regime", "puppet"]);
    let m = set.compile().unwrap();
    assert_eq!(
        hits(&m, &["A puppet, a tyrant, a thug."]),
        vec![
            hit("a:0", "file", 2, 8, "puppet"),
            hit("a:0", "file", 22, 26, "thug")
        ]
    );
}

// ---------- regex ----------

#[test]
fn regex_case_insensitive_by_default_and_sensitive_on_request() {
    let m = matcher(
        r#"
[[rule]]
id = "ci"
label = "L"
regex = '\bfake news\b'

[[rule]]
id = "cs"
label = "L"
case_sensitive = true
regex = '\bfake news\b'

[[rule]]
id = "never"
label = "L"
regex = 'zzz+'
"#,
    );
    assert_eq!(
        hits(&m, &["FAKE NEWS, fake news!"]),
        vec![
            hit("a:0", "ci", 0, 9, "FAKE NEWS"),
            hit("a:0", "ci", 11, 20, "fake news"),
            hit("a:0", "cs", 11, 20, "fake news"),
        ]
    );
    assert_eq!(hits(&m, &["nothing here"]), vec![]);
}

#[test]
fn regex_case_insensitivity_reaches_verbose_comments_and_alternations() {
    // A `(?i:...)` group around the pattern ended inside the `(?x)` comment (an unclosed
    // group); the flag must also reach every branch of an alternation, in the literal
    // prefilter (`apple|banana`) and in the `RegexSet` pre-pass (`[0-9]{2} | q`).
    let m = matcher(
        r#"
[[rule]]
id = "alt"
label = "L"
regex = 'apple|banana'

[[rule]]
id = "kill"
label = "L"
regex = '(?x) k i l l  # comment'

[[rule]]
id = "set"
label = "L"
regex = '(?x) [0-9]{2} | q  # two digits, or q'
"#,
    );
    assert!(m.regex_prefilter.is_some() && m.regex_set.is_some());
    assert_eq!(
        hits(&m, &["KILL the Banana, APPLE: Q 42"]),
        vec![
            hit("a:0", "kill", 0, 4, "KILL"),
            hit("a:0", "alt", 9, 15, "Banana"),
            hit("a:0", "alt", 17, 22, "APPLE"),
            hit("a:0", "set", 24, 25, "Q"),
            hit("a:0", "set", 26, 28, "42"),
        ]
    );
}

#[test]
fn regex_unicode_word_boundaries_survive_the_relaxed_prepass() {
    let m = matcher(
        r#"
[[rule]]
id = "cafe"
label = "L"
regex = '\bcafé\b'
"#,
    );
    // "Un " = 3 code points; "cafés" and "écafé" are not whole words.
    assert_eq!(
        hits(&m, &["Un café, cafés, écafé."]),
        vec![hit("a:0", "cafe", 3, 7, "café")]
    );
    assert_eq!(
        compile::relax_word_boundaries(r"\bfoo\B\\b\b{start}x\<y\>"),
        r"foo\\bxy"
    );
}

#[test]
fn regex_empty_matches_are_ignored() {
    let m = matcher(
        r#"
[[rule]]
id = "opt"
label = "L"
regex = 'x*'
"#,
    );
    assert_eq!(hits(&m, &["abxxc"]), vec![hit("a:0", "opt", 2, 4, "xx")]);
}

// ---------- repetition ----------

#[test]
fn repetition_across_sentences() {
    let m = matcher(
        r#"
[[rule]]
id = "rep"
label = "Repetition"
repetition = { words = 1, min_count = 3 }
"#,
    );
    // "the" occurs 4 times but is a stop word; "fear" twice only.
    assert_eq!(
        hits(
            &m,
            &[
                "Immigration is the issue.",
                "They fear the immigration.",
                "IMMIGRATION, the fear, the end."
            ]
        ),
        vec![
            hit("a:0", "rep", 0, 11, "Immigration"),
            hit("a:1", "rep", 40, 51, "immigration"),
            hit("a:2", "rep", 53, 64, "IMMIGRATION"),
        ]
    );
}

#[test]
fn repetition_non_ascii_case_folding() {
    let m = matcher(
        r#"
[[rule]]
id = "rep"
label = "Repetition"
repetition = { min_count = 3 }
"#,
    );
    // "won’t" reads as the stop word "won't"; élite/ÉLITE/Élite are one word.
    assert_eq!(
        hits(
            &m,
            &[
                "The élite won’t stop.",
                "ÉLITE power, won't.",
                "Élite again won’t."
            ]
        ),
        vec![
            hit("a:0", "rep", 4, 9, "élite"),
            hit("a:1", "rep", 22, 27, "ÉLITE"),
            hit("a:2", "rep", 42, 47, "Élite"),
        ]
    );
}

#[test]
fn repetition_phrases_min_length_and_extra_stop_words() {
    let m = matcher(
        r#"
[[rule]]
id = "rep2"
label = "Repetition"
repetition = { words = 2, min_count = 2 }

[[rule]]
id = "rep-long"
label = "Repetition"
repetition = { min_count = 2, min_length = 5, stop_words = ["crisis"] }
"#,
    );
    // "border crisis" twice -> rep2 at both; "crisis" is an extra stop word of rep-long,
    // "border" has 6 letters and occurs twice -> rep-long; "so" is a stop word.
    assert_eq!(
        hits(&m, &["The border crisis.", "A border crisis, so so."]),
        vec![
            hit("a:0", "rep-long", 4, 10, "border"),
            hit("a:0", "rep2", 4, 17, "border crisis"),
            hit("a:1", "rep-long", 21, 27, "border"),
            hit("a:1", "rep2", 21, 34, "border crisis"),
        ]
    );
}

#[test]
fn repetition_phrase_does_not_cross_sentences_or_stop_words() {
    let m = matcher(
        r#"
[[rule]]
id = "rep2"
label = "Repetition"
repetition = { words = 2, min_count = 2 }
"#,
    );
    assert_eq!(
        hits(
            &m,
            &["Border.", "Crisis border.", "Crisis of border crisis"]
        ),
        vec![]
    );
}

// ---------- shape ----------

#[test]
fn shape_question_and_exclamation() {
    let m = matcher(
        r#"
[[rule]]
id = "q"
label = "Doubt"
shape = "question"

[[rule]]
id = "x"
label = "Loud"
shape = "exclamation"
"#,
    );
    assert_eq!(
        hits(
            &m,
            &["  Is this real?”  ", "Stop it!", "Really?!", "Why? No."]
        ),
        vec![
            hit("a:0", "q", 2, 16, "Is this real?”"),
            hit("a:1", "x", 19, 27, "Stop it!"),
            hit("a:2", "q", 28, 36, "Really?!"),
            hit("a:2", "x", 28, 36, "Really?!"),
        ]
    );
}

#[test]
fn a_bad_all_caps_option_is_one_problem() {
    let d = diags(
        r#"
[[rule]]
id = "z"
label = "Loud"
shape = "all_caps"
min_caps_words = 0
"#,
    );
    assert_eq!(
        d,
        vec!["rules/p.toml:6: rule `z`: `min_caps_words` must be an integer >= 1"]
    );
    // On another shape the option is out of place.
    let d =
        diags("[[rule]]\nid = \"q\"\nlabel = \"L\"\nshape = \"question\"\nmin_caps_words = 2\n");
    assert_eq!(
        d,
        vec!["rules/p.toml:5: rule `q`: `min_caps_words` only applies to `shape = \"all_caps\"`"]
    );
}

#[test]
fn every_bad_option_of_a_rule_is_reported() {
    let d = diags(
        r#"
[[rule]]
id = "a"
label = "L"
lexicon = { words = ["x"], whole_word = "no", inflect = 3 }

[[rule]]
id = "s"
label = "L"
shape = "all_caps"
min_caps_words = 0
acronyms = [1]
case_sensitive = "yes"

[[rule]]
id = "c"
label = "L"
repetition = { words = 6, min_count = 1, min_length = 0, stop_words = "the" }
inside_quotes = 1
outside_quotes = "no"
"#,
    );
    assert_eq!(
        d,
        vec![
            "rules/p.toml:5: rule `a`: `lexicon.whole_word` must be a boolean, not string",
            "rules/p.toml:5: rule `a`: `lexicon.inflect` must be a boolean, not integer",
            "rules/p.toml:11: rule `s`: `min_caps_words` must be an integer >= 1",
            "rules/p.toml:12: rule `s`: `acronyms` must contain only strings",
            "rules/p.toml:13: rule `s`: `case_sensitive` must be a boolean, not string",
            "rules/p.toml:18: rule `c`: `repetition.words` must be at most 5",
            "rules/p.toml:18: rule `c`: `repetition.min_count` must be an integer >= 2",
            "rules/p.toml:18: rule `c`: `repetition.min_length` must be an integer >= 1",
            "rules/p.toml:18: rule `c`: `repetition.stop_words` must be an array of strings",
            "rules/p.toml:19: rule `c`: `inside_quotes` must be a boolean, not integer",
            "rules/p.toml:20: rule `c`: `outside_quotes` must be a boolean, not string",
        ]
    );
}

#[test]
fn shape_all_caps_with_acronyms_neutral() {
    let m = matcher(
        r#"
[[rule]]
id = "caps"
label = "Loud"
shape = "all_caps"

[[rule]]
id = "caps3"
label = "Loud"
shape = "all_caps"
min_caps_words = 3
acronyms = ["MSM"]
"#,
    );
    // Run: THE (counts) FBI (neutral) LIED (counts) AGAIN (counts); "folks" breaks.
    assert_eq!(
        hits(&m, &["Read this: THE FBI LIED AGAIN, folks"]),
        vec![
            hit("a:0", "caps", 11, 29, "THE FBI LIED AGAIN"),
            hit("a:0", "caps3", 11, 29, "THE FBI LIED AGAIN"),
        ]
    );
    // Dotted initials have no two uppercase letters in a row: neutral, like acronyms.
    assert_eq!(
        hits(&m, &["U.S. NEWS TODAY"]),
        vec![hit("a:0", "caps", 5, 15, "NEWS TODAY")]
    );
    // Acronyms alone never match; MSM is an extra acronym of caps3 only.
    assert_eq!(
        hits(&m, &["The FBI and CIA met.", "MSM LIES today"]),
        vec![hit("a:1", "caps", 21, 29, "MSM LIES")]
    );
}

// ---------- conditions ----------

const LEX_REGIME: &str = r#"
[[rule]]
id = "r"
label = "L"
lexicon = { words = ["regime"] }
"#;

#[test]
fn condition_unless_and_requires() {
    let m = matcher(&format!(
        "{LEX_REGIME}unless = ['\\bnot\\b']\nrequires = ['said', 'they']\n"
    ));
    assert_eq!(
        hits(
            &m,
            &[
                "They said the regime.",
                "They said NOT the regime.",
                "The regime, they said."
            ]
        ),
        vec![
            hit("a:0", "r", 14, 20, "regime"),
            hit("a:2", "r", 52, 58, "regime")
        ]
    );
    let m = matcher(&format!("{LEX_REGIME}requires = ['said', 'they']\n"));
    assert_eq!(hits(&m, &["They know the regime."]), vec![]);
}

#[test]
fn condition_inside_and_outside_quotes() {
    let inside = matcher(&format!("{LEX_REGIME}inside_quotes = true\n"));
    let outside = matcher(&format!("{LEX_REGIME}outside_quotes = true\n"));
    let texts = [
        "He said “the regime lies” and the regime fell.",
        "A \"regime\" here, don’t regime.",
        "Called the ‘regime’ today.",
        "rest of the regime.” he said",
    ];
    assert_eq!(
        hits(&inside, &texts),
        vec![
            hit("a:0", "r", 13, 19, "regime"),
            hit("a:1", "r", 50, 56, "regime"),
            hit("a:2", "r", 90, 96, "regime"),
            hit("a:3", "r", 117, 123, "regime"),
        ]
    );
    assert_eq!(
        hits(&outside, &texts),
        vec![
            hit("a:0", "r", 34, 40, "regime"),
            hit("a:1", "r", 70, 76, "regime")
        ]
    );
}

#[test]
fn condition_kind_and_word_counts() {
    let m = matcher(&format!(
        "{LEX_REGIME}kind = \"title\"\nmin_words = 2\nmax_words = 3\n"
    ));
    let mut sentences = article(&[
        "The regime falls",
        "regime",
        "The regime",
        "The regime falls down now",
    ]);
    assert_eq!(hits_of(&m, &sentences), vec![]);
    for s in &mut sentences {
        s.kind = SentenceKind::Title;
    }
    assert_eq!(
        hits_of(&m, &sentences),
        vec![
            hit("a:0", "r", 4, 10, "regime"),
            hit("a:2", "r", 28, 34, "regime")
        ]
    );
}

#[test]
fn output_is_ordered_by_sentence_start_end_rule_id() {
    let m = matcher(
        r#"
[[rule]]
id = "z"
label = "L"
regex = 'a b'

[[rule]]
id = "y"
label = "L"
regex = 'a'

[[rule]]
id = "x"
label = "L"
regex = 'a b'
"#,
    );
    assert_eq!(
        hits(&m, &["a b", "a"]),
        vec![
            hit("a:0", "y", 0, 1, "a"),
            hit("a:0", "x", 0, 3, "a b"),
            hit("a:0", "z", 0, 3, "a b"),
            hit("a:1", "y", 4, 5, "a"),
        ]
    );
}

// ---------- explain ----------

#[test]
fn explain_lists_candidates_and_vetoes() {
    let m = matcher(
        r#"
[[rule]]
id = "r"
label = "L"
lexicon = { words = ["regime"] }
outside_quotes = true
unless = ['(?i)not']

[[rule]]
id = "long"
label = "L"
regex = 'the'
max_words = 3

[[rule]]
id = "none"
label = "L"
regex = 'zzz'
"#,
    );
    let sentences = article(&["First.", "the “regime” and the regime"]);
    let e = m.explain(&sentences, 1);
    assert_eq!(e.sentence_id, "a:1");
    assert_eq!(e.words, 5);
    let r = &e.rules[0];
    assert_eq!(r.candidates.len(), 2);
    assert_eq!(r.candidates[0].vetoes, vec!["outside_quotes".to_owned()]);
    assert!(r.candidates[1].fired());
    assert_eq!((r.candidates[1].start, r.candidates[1].end), (28, 34));
    assert_eq!(
        e.rules[1].candidates[0].vetoes,
        vec!["max_words 3 (sentence has 5)".to_owned()]
    );
    assert!(e.rules[2].candidates.is_empty());
    let shown = e.to_string();
    assert_eq!(
        shown,
        "sentence a:1 (body, 5 words): \"the “regime” and the regime\"\n\
         \x20 rule `r` (L): 2 candidate(s), 1 fired\n\
         \x20   [12, 18) \"regime\": vetoed by outside_quotes\n\
         \x20   [28, 34) \"regime\": fired\n\
         \x20 rule `long` (L): 2 candidate(s), 0 fired\n\
         \x20   [7, 10) \"the\": vetoed by max_words 3 (sentence has 5)\n\
         \x20   [24, 27) \"the\": vetoed by max_words 3 (sentence has 5)\n\
         \x20 rule `none` (L): no candidate\n"
    );
    let vetoed = m.explain(&article(&["not the regime"]), 0);
    assert_eq!(
        vetoed.rules[0].candidates[0].vetoes,
        vec!["unless \"(?i)not\"".to_owned()]
    );
    assert!(m.explain(&sentences, 9).rules.is_empty());
}

// ---------- diagnostics ----------

#[test]
fn diag_invalid_toml_has_line_and_column() {
    assert_eq!(
        diags("[[rule]]\nid = \"a\"\nlabel = \"L\"\nregex = 'x\n"),
        vec!["rules/p.toml:4:11: invalid TOML: invalid literal string, expected `'`"]
    );
}

#[test]
fn diag_no_kind() {
    assert_eq!(
        diags("\n[[rule]]\nid = \"a\"\nlabel = \"L\"\n"),
        vec![
            "rules/p.toml:2: rule `a`: rule has no kind (one of `lexicon`, `regex`, `repetition`, `shape`)"
        ]
    );
}

#[test]
fn diag_two_kinds() {
    assert_eq!(
        diags("[[rule]]\nid = \"a\"\nlabel = \"L\"\nregex = 'x'\nshape = \"question\"\n"),
        vec!["rules/p.toml:5: rule `a`: rule has more than one kind: `regex`, `shape`"]
    );
}

#[test]
fn diag_empty_pattern_and_lexicon() {
    assert_eq!(
        diags(
            "[[rule]]\nid = \"a\"\nlabel = \"L\"\nregex = ''\n\n\
             [[rule]]\nid = \"b\"\nlabel = \"L\"\nlexicon = { words = [] }\n\n\
             [[rule]]\nid = \"c\"\nlabel = \"L\"\nlexicon = { words = ['  '] }\n"
        ),
        vec![
            "rules/p.toml:4: rule `a`: empty pattern in `regex`",
            "rules/p.toml:9: rule `b`: empty lexicon: give `words` and/or a non-empty `file`",
            "rules/p.toml:14: rule `c`: empty lexicon entry",
        ]
    );
}

#[test]
fn diag_bad_regex_includes_position() {
    let d = diags("[[rule]]\nid = \"a\"\nlabel = \"L\"\nregex = 'ab(c'\n");
    assert_eq!(d.len(), 1);
    assert!(
        d[0].starts_with("rules/p.toml:4: rule `a`: invalid regex in `regex`: regex parse error:"),
        "{}",
        d[0]
    );
    assert!(
        d[0].contains("ab(c") && d[0].contains("unclosed group"),
        "{}",
        d[0]
    );
}

#[test]
fn diag_bad_condition_regex() {
    let d = diags("[[rule]]\nid = \"a\"\nlabel = \"L\"\nregex = 'x'\nunless = ['ok', '[z']\n");
    assert_eq!(d.len(), 1);
    assert!(
        d[0].starts_with("rules/p.toml:5: rule `a`: invalid regex in `unless`:"),
        "{}",
        d[0]
    );
}

#[test]
fn diag_missing_lexicon_file() {
    assert_eq!(
        diags("[[rule]]\nid = \"a\"\nlabel = \"L\"\nlexicon = { file = \"x.txt\" }\n"),
        vec![
            "rules/p.toml:4: rule `a`: cannot read lexicon file `rules/x.txt`: no such file: rules/x.txt"
        ]
    );
}

#[test]
fn diag_unknown_keys() {
    assert_eq!(
        diags(
            "[[rule]]\nid = \"a\"\nlabel = \"L\"\nlexicon = { words = ['x'], inflekt = true }\nunles = ['y']\n\n[other]\n"
        ),
        vec![
            "rules/p.toml:4: rule `a`: unknown key `inflekt` in `lexicon` (did you mean `inflect`?)",
            "rules/p.toml:5: rule `a`: unknown key `unles` (did you mean `unless`?)",
            "rules/p.toml:7: unknown top-level key `other` (expected `[[rule]]` tables)",
        ]
    );
}

#[test]
fn diag_duplicate_id_reports_both_locations() {
    let sources = vec![
        RuleSource {
            path: PathBuf::from("rules/a.toml"),
            text: "[[rule]]\nid = \"x\"\nlabel = \"L\"\nregex = 'a'\n".into(),
        },
        RuleSource {
            path: PathBuf::from("rules/b.toml"),
            text: "\n\n[[rule]]\nid = \"x\"\nlabel = \"L\"\nregex = 'b'\n".into(),
        },
    ];
    let d = sources_diags(&sources, &no_files, None);
    assert_eq!(
        d,
        vec![
            "rules/a.toml:1: rule `x`: duplicate rule id (defined at rules/a.toml:1, rules/b.toml:3)",
            "rules/b.toml:3: rule `x`: duplicate rule id (defined at rules/a.toml:1, rules/b.toml:3)",
        ]
    );
}

#[test]
fn diag_unknown_label_is_reported_with_the_rule_s_other_problems() {
    let known: BTreeSet<String> = ["Doubt"].iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(
        diags_with(
            "[[rule]]\nid = \"a\"\nlabel = \"Doubtt\"\nregex = 'x'\nunles = ['y']\n",
            &no_files,
            Some(&known)
        ),
        vec![
            "rules/p.toml:1: rule `a`: unknown label `Doubtt` (did you mean `Doubt`?)",
            "rules/p.toml:5: rule `a`: unknown key `unles` (did you mean `unless`?)",
        ]
    );
}

#[test]
fn diag_duplicate_id_is_reported_with_the_rules_other_problems() {
    assert_eq!(
        diags(
            "[[rule]]\nid = \"a\"\nlabel = \"L\"\nregex = '('\n\n[[rule]]\nid = \"a\"\nlabel = \"L\"\nregex = 'x'\n"
        ),
        vec![
            "rules/p.toml:1: rule `a`: duplicate rule id (defined at rules/p.toml:1, rules/p.toml:6)",
            "rules/p.toml:4: rule `a`: invalid regex in `regex`: regex parse error:\n    (\n    ^\nerror: unclosed group",
            "rules/p.toml:6: rule `a`: duplicate rule id (defined at rules/p.toml:1, rules/p.toml:6)",
        ]
    );
}

#[test]
fn diag_unknown_label_suggests_closest() {
    let known: BTreeSet<String> = ["Loaded_Language", "Doubt", "Repetition"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    assert_eq!(
        diags_with(
            "[[rule]]\nid = \"a\"\nlabel = \"Loaded_Languag\"\nregex = 'x'\n",
            &no_files,
            Some(&known)
        ),
        vec![
            "rules/p.toml:1: rule `a`: unknown label `Loaded_Languag` (did you mean `Loaded_Language`?)"
        ]
    );
    assert!(
        parse(
            &src("[[rule]]\nid = \"a\"\nlabel = \"Doubt\"\nregex = 'x'\n"),
            &no_files,
            Some(&known)
        )
        .is_ok()
    );
}

#[test]
fn diag_all_problems_at_once() {
    let sources = vec![
        RuleSource {
            path: PathBuf::from("r/1.toml"),
            text: "[[rule]]\nid = \"a\"\nlabel = \"L\"\n\n[[rule]]\nid = \"b\"\nlabel = \"L\"\nregex = '('\nkind = \"tittle\"\nmax_words = -1\n".into(),
        },
        RuleSource {
            path: PathBuf::from("r/2.toml"),
            text: "[[rule]\n".into(),
        },
        RuleSource {
            path: PathBuf::from("r/3.toml"),
            text: "[[rule]]\nlabel = \"L\"\nshape = \"square\"\ninside_quotes = true\noutside_quotes = true\n".into(),
        },
    ];
    let d = parse(&sources, &no_files, None).unwrap_err();
    assert_eq!(
        d[4].to_string(),
        "r/2.toml:1:8: invalid TOML: unclosed array table, expected `]`"
    );
    assert_eq!(
        d[6].to_string(),
        "r/3.toml:3: unknown shape `square` (expected `question`, `exclamation` or `all_caps`)"
    );
    let lines: Vec<(String, usize)> = d
        .iter()
        .map(|d| (d.path.display().to_string(), d.line))
        .collect();
    assert_eq!(
        lines,
        vec![
            ("r/1.toml".into(), 1),
            ("r/1.toml".into(), 8),
            ("r/1.toml".into(), 9),
            ("r/1.toml".into(), 10),
            ("r/2.toml".into(), 1),
            ("r/3.toml".into(), 1),
            ("r/3.toml".into(), 3),
            ("r/3.toml".into(), 5),
        ],
        "{d:#?}"
    );
}

// ---------- misc ----------

#[test]
fn matcher_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Matcher>();
}

#[test]
fn labels_and_rules_accessors() {
    let s = set(
        "[[rule]]\nid = \"a\"\nlabel = \"X\"\nregex = 'a'\ndescription = \"d\"\n\n[[rule]]\nid = \"b\"\nlabel = \"W\"\nshape = \"question\"\n",
    );
    assert_eq!(s.labels().into_iter().collect::<Vec<_>>(), vec!["W", "X"]);
    assert_eq!(s.rules()[0].description.as_deref(), Some("d"));
    assert_eq!(s.rules()[1].line, 7);
}

#[test]
fn a_file_without_rules_is_an_error() {
    for text in ["", "# only a comment\n", "rule = []\n"] {
        assert_eq!(
            diags(text),
            vec!["rules/p.toml:1: no rules (expected at least one `[[rule]]` table)"],
            "{text:?}"
        );
    }
    // Also next to a file with rules.
    let sources = vec![
        src("[[rule]]\nid = \"a\"\nlabel = \"L\"\nregex = 'x'\n").remove(0),
        RuleSource {
            path: PathBuf::from("rules/q.toml"),
            text: "\n# nothing yet\n".into(),
        },
    ];
    let d = sources_diags(&sources, &no_files, None);
    assert_eq!(
        d,
        vec!["rules/q.toml:1: no rules (expected at least one `[[rule]]` table)"]
    );
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Offsets always select exactly the matched text from the article.
        #[test]
        fn offsets_select_the_match(
            parts in proptest::collection::vec("[a-zé😀“” \n]{0,8}", 1..5),
        ) {
            let m = matcher(
                "[[rule]]\nid = \"r\"\nlabel = \"L\"\nlexicon = { words = [\"regime\", \"deep state\"] }\n",
            );
            let text = parts.join(" regime ") + " deep  state";
            let sentences = article(&[&text, &text]);
            let article_text: Vec<char> = format!("{text} {text}").chars().collect();
            let rows = m.match_article(&sentences);
            prop_assert!(rows.len() >= 2);
            for r in rows {
                let got: String = article_text[r.start as usize..r.end as usize].iter().collect();
                prop_assert_eq!(got, r.matched);
            }
        }

        /// Units of two or three words are the same whether tokens that no neighbour joins
        /// are kept (a one-word rule in the set needs them) or left out.
        #[test]
        fn multi_word_units_do_not_need_isolated_tokens(
            sentences in proptest::collection::vec(
                proptest::collection::vec(
                    "alpha|bravo|charlie|delta|ALPHA|Bravo|to|a|12345|x-ray|don’t|the",
                    0..9,
                ),
                1..5,
            ),
            min_length in 1usize..6,
        ) {
            let texts: Vec<String> = sentences.iter().map(|w| w.join(" ")).collect();
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            let rules = format!(
                "[[rule]]\nid = \"two\"\nlabel = \"R\"\nrepetition = {{ words = 2, min_count = 2, min_length = {min_length} }}\n\
                 [[rule]]\nid = \"three\"\nlabel = \"R\"\nrepetition = {{ words = 3, min_count = 2, min_length = {min_length} }}\n"
            );
            let without = hits(&matcher(&rules), &texts);
            // A one-word rule that never fires (no word occurs 1000 times) keeps every token.
            let with_one = format!(
                "{rules}[[rule]]\nid = \"one\"\nlabel = \"R\"\nrepetition = {{ words = 1, min_count = 1000, min_length = {min_length} }}\n"
            );
            let with = hits(&matcher(&with_one), &texts);
            prop_assert_eq!(without, with);
        }

        /// A regex rule finds exactly what the plain regex finds, whatever literals the
        /// pre-pass extracts from it (case folding, non-ASCII variants, word boundaries,
        /// counted repetitions, alternations), with or without a lexicon sharing the scan.
        #[test]
        fn regex_rules_match_like_plain_regexes(
            tokens in proptest::collection::vec(0usize..PATTERN_TOKENS.len(), 1..6),
            case_sensitive in any::<bool>(),
            with_lexicon in any::<bool>(),
            text in "[a-zA-Z\u{e9}\u{17f}\u{212a}\u{201c}\u{201d}\u{2019}'\"?!. -]{0,40}",
            words in proptest::collection::vec(0usize..PATTERN_TOKENS.len(), 0..4),
        ) {
            let pattern: String = tokens.iter().map(|&t| PATTERN_TOKENS[t]).collect();
            // The text also holds some of the pattern's own pieces, so matches are common.
            let text = words
                .iter()
                .map(|&t| PATTERN_TOKENS[t].trim_start_matches('\\'))
                .fold(text, |acc, w| format!("{acc} {w} {acc}"));
            let mut toml = format!(
                "[[rule]]\nid = \"r\"\nlabel = \"L\"\nregex = '{pattern}'\ncase_sensitive = {case_sensitive}\n"
            );
            if with_lexicon {
                toml += "[[rule]]\nid = \"z\"\nlabel = \"L\"\nlexicon = { words = [\"stop\", \"the\"] }\n";
            }
            let m = matcher(&toml);
            let re = regex::RegexBuilder::new(&pattern)
                .case_insensitive(!case_sensitive)
                .build()
                .expect("regex");
            let want: Vec<Hit> = re
                .find_iter(&text)
                .filter(|mm| mm.start() < mm.end())
                .map(|mm| {
                    let start = text[..mm.start()].chars().count() as u64;
                    let end = text[..mm.end()].chars().count() as u64;
                    hit("a:0", "r", start, end, mm.as_str())
                })
                .collect();
            let got: Vec<Hit> = hits(&m, &[&text]).into_iter().filter(|h| h.1 == "r").collect();
            prop_assert_eq!(got, want, "pattern {:?} on {:?}", pattern, text);
        }
    }

    /// Pieces of the generated patterns of `regex_rules_match_like_plain_regexes`.
    const PATTERN_TOKENS: &[&str] = &[
        "why",
        "Stop",
        "caf\u{e9}",
        "\u{17f}t",
        "ok",
        "the ",
        "\\b",
        "\\w+",
        "\\s+",
        "[^.]{0,5}",
        "(?:why|how)",
        "\\?",
        "!",
        "-",
        "x?",
        "(?:ab|cd)+",
        ".",
        "[\"\u{201c}]",
        "n[\u{2019}\\x27]?t",
        "\\bK",
    ];
}

#[test]
fn module_doc_examples_are_valid_rules() {
    let mut toml = String::new();
    let mut inside = false;
    let mut blocks = 0;
    // The rule language reference, which the module docs include.
    for line in include_str!("../../../../docs/rules.md").lines() {
        let doc = line.trim_start();
        if doc.starts_with("```toml") {
            inside = true;
            blocks += 1;
        } else if doc.starts_with("```") {
            inside = false;
        } else if inside {
            toml.push_str(doc);
            toml.push('\n');
        }
    }
    assert_eq!(blocks, 9);
    let read = |_: &Path| -> std::io::Result<String> { Ok("tyrant\n".to_owned()) };
    let set = parse(&src(&toml), &read, None).expect("doc examples parse");
    let ids: Vec<&str> = set.rules().iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "loaded-words",
            "smear",
            "all-of-them",
            "repeated-word",
            "rhetorical-question",
            "shouting",
            "scare-quotes",
            "regime",
            "conspiracy",
            "experts-say"
        ]
    );
    set.compile().expect("doc examples compile");
}

#[test]
fn word_hash_folds_case_and_apostrophes() {
    use super::text::word_hash;
    assert_eq!(word_hash("Won’t"), word_hash("won't"));
    assert_eq!(word_hash("ÉLITE"), word_hash("élite"));
    assert_eq!(word_hash("So-Called"), word_hash("so-called"));
    assert_eq!(word_hash("\u{212A}"), word_hash("k")); // Kelvin sign lowercases to ASCII k
    assert_ne!(word_hash("border"), word_hash("borders"));
    assert_ne!(word_hash("immigration"), word_hash("immigratioN2"));
}

// ---------- regex prefilter ----------

#[test]
fn prefilter_literal_sets() {
    use super::prefilter::required_sets;
    let lits = |p: &str| -> Vec<Vec<String>> {
        required_sets(p)
            .into_iter()
            .map(|s| {
                s.into_iter()
                    .map(|l| String::from_utf8(l).expect("utf8"))
                    .collect()
            })
            .collect()
    };
    // Prefix and suffix: both must occur.
    let sets = lits(r"\b(?:why|how)\b[^?]*\?");
    assert!(
        sets.contains(&vec!["how".to_owned(), "why".to_owned()]),
        "{sets:?}"
    );
    assert!(sets.contains(&vec!["?".to_owned()]), "{sets:?}");
    // Case-insensitive: ASCII letters are lowercased, and the non-ASCII characters that
    // fold to ASCII letters (long s, Kelvin sign) are kept as literals of their own.
    assert_eq!(
        lits("(?i:stop)"),
        vec![vec!["stop".to_owned(), "ſ".to_owned()]]
    );
    assert_eq!(
        lits("(?i:ok)"),
        vec![vec!["ok".to_owned(), "\u{212A}".to_owned()]]
    );
    // A required inner literal when the prefix is unbounded.
    assert_eq!(
        lits(r"\w+-(?:loving|hating)"),
        vec![vec!["-hating".to_owned(), "-loving".to_owned()]]
    );
    // Nothing useful: no literal, or only single letters.
    assert!(lits(r"\w+").is_empty());
    assert!(lits(r"[a-z]{3}").is_empty());
    assert!(lits("a|b").is_empty());
    assert!(lits(r"x*").is_empty());
}

#[test]
fn prefilter_ascii_word_boundaries() {
    use super::prefilter::{ascii_word_boundary_pattern, has_non_ascii_word_char};
    assert_eq!(
        ascii_word_boundary_pattern(r"\bfoo\B").as_deref(),
        Some(r"(?:(?-u:\b)(?:foo)(?-u:\B))")
    );
    assert_eq!(ascii_word_boundary_pattern("foo"), None);
    assert!(has_non_ascii_word_char("un café"));
    assert!(!has_non_ascii_word_char("“quoted” — it’s fine"));
    assert!(!has_non_ascii_word_char("plain"));
}

/// The matcher finds exactly the non-empty matches of each regex on its own, whether the
/// regex goes through the literal prefilter (with or without a lexicon sharing the scan,
/// with or without whitespace normalisation) or the `RegexSet` pre-pass, and also when the
/// `RegexSet` could not be built (then its regexes run on every sentence).
#[test]
fn prefiltered_regexes_match_like_plain_regexes() {
    let patterns: &[(&str, bool)] = &[
        (r"\b(?:why|how)\b[^?]*\?", false),
        (r"\bstop\b", false),
        (r"\bSTOP\b", true),
        (r"\bok\b", false),
        (r"\w+-(?:loving|hating)\b", false),
        (r"\bcafé\b", false),
        (r"\b\w+é\b", false),
        (r"a\tb", false),
        (r"no  way", false),
        (r#"["“]\w+["”]"#, false),
        (r"\w+", false),
        (r"[a-z]{3}\d", false),
        (r"x*", false),
        (r"^\W*(?:make|stop)\b", false),
        (r"\b(?:either\b.{1,20}\bor|the only way)\b", false),
    ];
    let texts: &[&str] = &[
        "Why not? How so?",
        "ſtop it, STOP, stop! Stopped.",
        "OK, \u{212A}O? ok.",
        "gun-loving, dog-hating people; fun-lovingly",
        "Un café, cafés, écafé, naïvé.",
        "x a\tb y and a b and no  way",
        "“experts” said \"fake\" things",
        "abc1 ABC2 xyz",
        "  Make America",
        "either you go or you stay; the only way",
        "deep  state ſtop café how?",
        "",
    ];
    for (with_lexicon, with_set) in [(false, true), (true, true), (false, false)] {
        let mut toml = String::new();
        for (i, (p, cs)) in patterns.iter().enumerate() {
            toml += &format!(
                "[[rule]]\nid = \"r{i:02}\"\nlabel = \"L\"\nregex = '{p}'\ncase_sensitive = {cs}\n"
            );
        }
        if with_lexicon {
            toml += "[[rule]]\nid = \"zlex\"\nlabel = \"L\"\nlexicon = { words = [\"deep state\", \"stop\"] }\n";
        }
        let mut m = matcher(&toml);
        assert!(m.regex_prefilter.is_some() && m.regex_set.is_some());
        if !with_set {
            m.regex_set = None;
        }
        for text in texts {
            let mut want: Vec<Hit> = Vec::new();
            for (i, (p, cs)) in patterns.iter().enumerate() {
                let re = regex::RegexBuilder::new(p)
                    .case_insensitive(!cs)
                    .build()
                    .expect("regex");
                for mm in re.find_iter(text) {
                    if mm.start() < mm.end() {
                        let start = text[..mm.start()].chars().count() as u64;
                        let end = text[..mm.end()].chars().count() as u64;
                        want.push(hit("a:0", &format!("r{i:02}"), start, end, mm.as_str()));
                    }
                }
            }
            let mut got: Vec<Hit> = hits(&m, &[text])
                .into_iter()
                .filter(|h| h.1 != "zlex")
                .collect();
            got.sort();
            want.sort();
            assert_eq!(
                got, want,
                "text {text:?}, lexicon {with_lexicon}, set {with_set}"
            );
        }
    }
}

#[test]
fn regexes_too_big_for_one_regex_set_still_compile_and_match() {
    // Each `\w{180}N` compiles alone; the eight together exceed the `RegexSet` size limit.
    let toml: String = (1..=8)
        .map(|i| format!("[[rule]]\nid = \"a{i}\"\nlabel = \"L\"\nregex = '\\w{{180}}{i}'\n"))
        .collect();
    let m = matcher(&toml);
    assert!(m.regex_set.is_none() && m.regex_rules.len() == 8);
    let text = format!("{}3", "é".repeat(180));
    assert_eq!(hits(&m, &[&text]), vec![hit("a:0", "a3", 0, 181, &text)]);
    assert_eq!(hits(&m, &[&"x".repeat(200)]), vec![]);
}

#[test]
fn repetition_units_skip_nothing_between_long_words() {
    let m = matcher(
        r#"
[[rule]]
id = "rep"
label = "Repetition"
repetition = { words = 2, min_count = 2, min_length = 5 }
"#,
    );
    // "alpha bravo" twice is a unit; "alpha to bravo" is not (the short word breaks it).
    assert_eq!(
        hits(&m, &["alpha bravo", "alpha to bravo", "Alpha Bravo"]),
        vec![
            hit("a:0", "rep", 0, 11, "alpha bravo"),
            hit("a:2", "rep", 27, 38, "Alpha Bravo"),
        ]
    );
    assert!(hits(&m, &["alpha to bravo", "alpha 12 bravo", "alpha bravo"]).is_empty());
}

/// The matcher's own dense DFA finds the same overlapping matches as the crate's search,
/// text by text, in (text, end) order.
#[test]
fn lexicon_dfa_walk_matches_crate_search() {
    use super::compile::LexiconAutomaton;
    use super::matcher::lexicon_matches;
    let patterns = ["he", "she", "hers", "his", "é", "deep state", "a", "aa"];
    let texts: Vec<&[u8]> = [
        "ushers",
        "",
        "She said HIS",
        "aaa",
        "café Deep State",
        "x",
        "",
        "hehehe",
        "",
        "his hers",
    ]
    .iter()
    .map(|t| t.as_bytes())
    .collect();
    let build = |dfa: bool| {
        if dfa {
            let patterns: Vec<Vec<u8>> = patterns.iter().map(|p| p.as_bytes().to_vec()).collect();
            LexiconAutomaton::Dense(Box::new(
                super::dense_dfa::DenseDfa::new(&patterns).expect("dense dfa"),
            ))
        } else {
            LexiconAutomaton::Other(
                aho_corasick::AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .build(patterns)
                    .expect("ac"),
            )
        }
    };
    let run = |ac: &LexiconAutomaton, texts: &[&[u8]]| {
        let mut out = Vec::new();
        lexicon_matches(ac, texts, &mut out);
        assert!(
            out.windows(2)
                .all(|w| (w[0].text, w[0].end) <= (w[1].text, w[1].end))
        );
        let mut v: Vec<(u32, u32, u32, u32)> = out
            .iter()
            .map(|m| (m.text, m.start, m.end, m.pattern))
            .collect();
        v.sort();
        v
    };
    let (dfa, other) = (build(true), build(false));
    let want = run(&other, &texts);
    assert_eq!(want.len(), 22);
    assert_eq!(run(&dfa, &texts), want);
    for n in 0..texts.len() {
        assert_eq!(run(&dfa, &texts[n..]), run(&other, &texts[n..]));
    }
}

/// The lexicon automaton is a dense table for ordinary lexicons and the trie it is filled
/// from for very large ones; both give the same matches. The expected hits are worked out by
/// hand (code points): sentence 0 is "The ÉLITE smeared the EU and the eu: Witch  Hunt
/// bullied elites." (`ÉLITE` 4..9, `smeared` 10..17 with `ear` 12..15, `EU` 22..24, `eu`
/// 33..35, `Witch  Hunt` 37..48 with `Hunt` 44..48, `bullied` 49..56, `elites` 57..63, 64
/// code points); sentence 1 starts at 65: `Smearing` 65..73, `bullies` 74..81.
#[test]
fn lexicon_matches_are_the_same_from_the_dense_table_and_the_trie() {
    use super::compile::LexiconAutomaton;
    let rules = set(r#"
[[rule]]
id = "inf"
label = "L"
lexicon = { words = ["smear", "witch hunt", "bully"], inflect = true }

[[rule]]
id = "hunt"
label = "L"
lexicon = { words = ["hunt", "élite"] }

[[rule]]
id = "eu"
label = "L"
case_sensitive = true
lexicon = { words = ["EU"] }

[[rule]]
id = "sub"
label = "L"
lexicon = { words = ["ear"], whole_word = false }
"#);
    let dense = rules.compile().unwrap();
    let trie = rules.compile_with_table_limit(0).unwrap();
    let kind = |m: &Matcher| match &m.lexicon.as_ref().unwrap().ac {
        LexiconAutomaton::Dense(_) => "dense",
        LexiconAutomaton::Trie(_) => "trie",
        LexiconAutomaton::Other(_) => "other",
    };
    assert_eq!((kind(&dense), kind(&trie)), ("dense", "trie"));
    let texts = [
        "The ÉLITE smeared the EU and the eu: Witch  Hunt bullied elites.",
        "Smearing bullies.",
    ];
    // `elites` is not `élite`; `eu` is not `EU` (case-sensitive); `ear` is a substring hit.
    let want = vec![
        hit("a:0", "hunt", 4, 9, "ÉLITE"),
        hit("a:0", "inf", 10, 17, "smeared"),
        hit("a:0", "sub", 12, 15, "ear"),
        hit("a:0", "eu", 22, 24, "EU"),
        hit("a:0", "inf", 37, 48, "Witch  Hunt"),
        hit("a:0", "hunt", 44, 48, "Hunt"),
        hit("a:0", "inf", 49, 56, "bullied"),
        hit("a:1", "inf", 65, 73, "Smearing"),
        hit("a:1", "sub", 67, 70, "ear"),
        hit("a:1", "inf", 74, 81, "bullies"),
    ];
    assert_eq!(hits(&dense, &texts), want);
    assert_eq!(hits(&trie, &texts), want);
}

/// Every hand-checked lexicon test above, compiled with the trie instead of the dense table.
#[test]
fn lexicon_trie_gives_the_hand_checked_matches_of_the_dense_table() {
    let cases: &[(&str, &[&str])] = &[
        (
            "lexicon = { words = [\"regime\"] }",
            &["The Regime fell; regimes and the regimental REGIME."],
        ),
        (
            "lexicon = { words = [\"regime\"], whole_word = false }",
            &["regimental regimes"],
        ),
        (
            "case_sensitive = true\nlexicon = { words = [\"EU\"] }",
            &["The EU, the eu and the Eu."],
        ),
        (
            "lexicon = { words = [\"élite\"] }",
            &["The ÉLITE and Élite and élite"],
        ),
        (
            "lexicon = { words = [\"smear\", \"move\", \"bully\", \"stop\", \"witch hunt\"], inflect = true }",
            &["Smeared, moving, bullies, stopped, witch hunts, stopping, moved, bullied, smearing"],
        ),
        (
            "lexicon = { words = [\"deep   state\"] }",
            &[
                "the deep \n\t state is here; deep state again",
                "é deep\u{a0}state",
            ],
        ),
        (
            "lexicon = { words = [\"so-called\", \"so-called regime\", \"regime\", \"called\"] }",
            &["the so-called regime", "So-Called REGIMES"],
        ),
    ];
    for (lexicon, texts) in cases {
        let rules = set(&format!("[[rule]]\nid = \"x\"\nlabel = \"L\"\n{lexicon}\n"));
        let dense = hits(&rules.compile().unwrap(), texts);
        assert!(!dense.is_empty(), "{lexicon}");
        assert_eq!(
            hits(&rules.compile_with_table_limit(0).unwrap(), texts),
            dense,
            "{lexicon}"
        );
    }
}

#[test]
fn a_subset_keeps_the_chosen_rules_in_order_and_compiles_alone() {
    let s = set(r#"
[[rule]]
id = "a"
label = "L"
lexicon = { words = ["regime", "thug"] }

[[rule]]
id = "b"
label = "M"
lexicon = { words = ["Thug", "crook"] }

[[rule]]
id = "c"
label = "L"
lexicon = { words = ["élite"] }
"#);
    let m = s.compile().unwrap();
    // Automaton patterns: an ASCII entry is one pattern (the automaton folds ASCII case),
    // shared by rules: regime, thug (= Thug), crook. `élite` is not ASCII: its variants
    // élite, ÉLITE, élite, Élite are two patterns up to ASCII case (élite, Élite = ÉLITE).
    assert_eq!((m.rule_count(), m.lexicon_patterns()), (3, 5));
    let sub = s.subset(|r| r.id != "b");
    let ids: Vec<&str> = sub.rules().iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["a", "c"]);
    let m = sub.subset(|r| r.id == "c").compile().unwrap();
    assert_eq!((m.rule_count(), m.lexicon_patterns()), (1, 2));
    // "The " is 4 characters: Élite at 4..9.
    assert_eq!(
        hits(&m, &["The Élite won."]),
        vec![hit("a:0", "c", 4, 9, "Élite")]
    );
}

// ---------- proximity conditions ----------

/// `LEX_REGIME` with one more condition line.
fn regime_with(condition: &str) -> Matcher {
    matcher(&format!("{LEX_REGIME}{condition}\n"))
}

#[test]
fn near_before_counts_the_words_strictly_between() {
    let m = regime_with(r#"unless = { words = ["not"], within = 2, side = "before" }"#);
    // "not" [0, 3), "regime" [12, 18): between them " the old " = 2 words: vetoed.
    assert_eq!(hits(&m, &["not the old regime"]), vec![]);
    // "not the very old " is 17 bytes: "regime" [17, 23), 3 words between: fires.
    assert_eq!(
        hits(&m, &["not the very old regime"]),
        vec![hit("a:0", "r", 17, 23, "regime")]
    );
    // "not" after the match does not count on side "before".
    assert_eq!(
        hits(&m, &["the regime, not so"]),
        vec![hit("a:0", "r", 4, 10, "regime")]
    );
}

#[test]
fn near_within_zero_either_side() {
    let m = regime_with(r#"unless = { words = ["not"], within = 0 }"#);
    // Adjacent before (" "), adjacent after (" (" and ", " hold no word): vetoed.
    assert_eq!(hits(&m, &["not regime"]), vec![]);
    assert_eq!(hits(&m, &["regime (not)"]), vec![]);
    assert_eq!(hits(&m, &["regime, not"]), vec![]);
    // One word between: "not a " is 6 bytes, "regime" [6, 12).
    assert_eq!(
        hits(&m, &["not a regime"]),
        vec![hit("a:0", "r", 6, 12, "regime")]
    );
}

#[test]
fn near_after_at_the_boundary() {
    let m = regime_with(r#"unless = { words = ["allegedly"], within = 1, side = "after" }"#);
    // "regime" [4, 10); "allegedly" right after (0 words) or after " has " (1 word): vetoed.
    assert_eq!(hits(&m, &["the regime allegedly lied"]), vec![]);
    assert_eq!(hits(&m, &["the regime has allegedly lied"]), vec![]);
    // ", it is " = 2 words: fires.
    assert_eq!(
        hits(&m, &["the regime, it is allegedly"]),
        vec![hit("a:0", "r", 4, 10, "regime")]
    );
    // Before the match does not count on side "after": "allegedly the " is 14 bytes.
    assert_eq!(
        hits(&m, &["allegedly the regime lied"]),
        vec![hit("a:0", "r", 14, 20, "regime")]
    );
}

#[test]
fn near_multi_word_phrase_across_whitespace_and_case() {
    let m =
        regime_with(r#"unless = { words = ["no evidence that"], within = 1, side = "before" }"#);
    // "No  evidence\tthat" ends at byte 26, " the " = 1 word, "regime" [31, 37): vetoed.
    assert_eq!(
        hits(&m, &["There is No  evidence\tthat the regime lied."]),
        vec![]
    );
    // The phrase is incomplete: "no evidence the " is 16 bytes, "regime" [16, 22) fires.
    assert_eq!(
        hits(&m, &["no evidence the regime"]),
        vec![hit("a:0", "r", 16, 22, "regime")]
    );
    // Whole words only: "nothing" is not "not".
    let m = regime_with(r#"unless = { words = ["not"], within = 3 }"#);
    assert_eq!(
        hits(&m, &["nothing but the regime"]),
        vec![hit("a:0", "r", 16, 22, "regime")]
    );
}

#[test]
fn near_phrase_overlapping_the_match_does_not_count() {
    let m = matcher(
        r#"
[[rule]]
id = "g"
label = "L"
lexicon = { words = ["not guilty"] }
unless = { words = ["not"], within = 3 }
"#,
    );
    // The only "not" [6, 9) is inside the match [6, 16): not near it, the match fires.
    assert_eq!(
        hits(&m, &["He is not guilty."]),
        vec![hit("a:0", "g", 6, 16, "not guilty")]
    );
    // "Not" [0, 3) and the match [14, 24): " so: he is " = 3 words: vetoed.
    assert_eq!(hits(&m, &["Not so: he is not guilty."]), vec![]);
}

#[test]
fn near_vetoes_one_candidate_of_two_in_a_sentence() {
    let m = regime_with(r#"unless = { words = ["not"], within = 1, side = "before" }"#);
    // First "regime" [4, 10) has "not" only after it; the second [28, 34) has " a " (1
    // word) between "not" [22, 25) and it.
    let text = "The regime said it is not a regime.";
    assert_eq!(hits(&m, &[text]), vec![hit("a:0", "r", 4, 10, "regime")]);
    let e = m.explain(&article(&[text]), 0);
    let vetoes: Vec<Vec<String>> = e.rules[0]
        .candidates
        .iter()
        .map(|c| c.vetoes.clone())
        .collect();
    assert_eq!(
        vetoes,
        vec![vec![], vec!["unless \"not\" 1 word before".to_owned()]]
    );
}

#[test]
fn near_requires_one_of_the_words_and_explains_its_absence() {
    let m = regime_with(r#"requires = { words = ["fell", "lied"], within = 2, side = "after" }"#);
    // "regime" [4, 10): "lied" right after: fires.
    assert_eq!(
        hits(&m, &["the regime lied"]),
        vec![hit("a:0", "r", 4, 10, "regime")]
    );
    // ", they say, " = 2 words before "fell": fires; 3 words: vetoed.
    assert_eq!(
        hits(&m, &["the regime, they say, fell"]),
        vec![hit("a:0", "r", 4, 10, "regime")]
    );
    let text = "the regime, they all say, fell";
    assert_eq!(hits(&m, &[text]), vec![]);
    assert_eq!(
        m.explain(&article(&[text]), 0).rules[0].candidates[0].vetoes,
        vec!["requires one of [\"fell\", \"lied\"] within 2 words after (absent)".to_owned()]
    );
}

#[test]
fn near_code_point_offsets_after_non_ascii_and_nearest_occurrence_reported() {
    let m = regime_with(r#"unless = [{ words = ["pas", "non"], within = 3 }, '\bjamais\b']"#);
    // In "Ça, non : pas le regime" the match is at code points [17, 23) (bytes [18, 24):
    // `Ç` is two bytes): "pas" has 1 word between ("le"), "non" 2 ("pas", "le"; ":" has no
    // letter): both veto, the nearest is reported.
    let text = "Ça, non : pas le regime";
    assert_eq!(hits(&m, &[text]), vec![]);
    let e = m.explain(&article(&[text]), 0);
    assert_eq!(e.rules[0].candidates[0].start, 17);
    assert_eq!(
        e.rules[0].candidates[0].vetoes,
        vec!["unless \"pas\" 1 word before".to_owned()]
    );
}

#[test]
fn near_conditions_are_validated() {
    let d = diags(
        r#"
[[rule]]
id = "a"
label = "L"
lexicon = { words = ["x"] }
unless = { words = [], within = 51, side = "near", whithin = 2 }

[[rule]]
id = "b"
label = "L"
lexicon = { words = ["x"] }
requires = ['ok', { words = ["  "] }, 3]
"#,
    );
    assert_eq!(
        d,
        vec![
            "rules/p.toml:6: rule `a`: unknown key `whithin` in `unless` (did you mean `within`?)",
            "rules/p.toml:6: rule `a`: `unless.words` is empty",
            "rules/p.toml:6: rule `a`: `unless.within` must be at most 50 (got 51)",
            "rules/p.toml:6: rule `a`: unknown side `near` in `unless.side` (expected `before`, `after` or `either`)",
            "rules/p.toml:12: rule `b`: empty entry in `requires.words`",
            "rules/p.toml:12: rule `b`: proximity condition in `requires` has no `within` (0 to 50 words)",
            "rules/p.toml:12: rule `b`: `requires` must contain only regexes (strings) and proximity tables, not integer",
        ]
    );
}
