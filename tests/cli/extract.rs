//! `sentlab extract`: rules over the sentence table to traceable predictions.

use predicates::prelude::*;

use crate::common::*;

#[test]
fn extract_writes_traceable_predictions() {
    let dir = tempfile::tempdir().unwrap();
    let s = corpus(dir.path());
    let rules = write(dir.path(), "r.toml", RULES);
    let out = stdout_of(
        sentlab()
            .args(["extract", "-q", "--rules"])
            .arg(&rules)
            .arg(&s),
    );
    // a.txt: "Alpha title\n\n" is 13 chars, "They are crooks!" starts at 13, "crooks" at 22..28;
    // "Is it true?" is 30..41. b.txt: "Beta title\n\n" 12, "Calm news.\n" 11 -> 23;
    // "The crooks again." starts at 23, "crooks" at 27..33.
    assert_eq!(
        out,
        "sentence_id,label,rule_id,start,end,match\n\
         a:1,\"Name_Calling,Labeling\",crooks,22,28,crooks\n\
         a:2,Doubt,question,30,41,Is it true?\n\
         b:2,\"Name_Calling,Labeling\",crooks,27,33,crooks\n"
    );
}

#[test]
fn extract_and_eval_reject_a_table_whose_offsets_disagree_with_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let rules = write(dir.path(), "r.toml", RULES);
    // The title's quote is never closed: its text runs to the end of the file, 43 code
    // points ("Title\n" 6, the next line 37 with its line break).
    let bad = write(
        dir.path(),
        "open.csv",
        "article_id,sentence_id,index,paragraph,kind,start,end,text\n\
         a,a:0,0,0,title,0,5,\"Title\n\
         a,a:1,1,1,body,7,23,They are crooks!\n",
    );
    let out = dir.path().join("p.csv");
    sentlab()
        .args(["extract", "-q", "--rules"])
        .arg(&rules)
        .arg(&bad)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "open.csv:2: sentence `a:0`: its text has 43 code points but end - start is 5",
        ));
    assert!(!out.exists());
    // eval reads the offsets when it projects spans (a long label table needs only the ids).
    let gold = write(dir.path(), "a.labels", "a\tX\t0\t3\n");
    let pred = write(dir.path(), "pred.csv", "sentence_id,label\na:0,X\n");
    sentlab()
        .args(["eval", "--gold"])
        .arg(&gold)
        .arg("--pred")
        .arg(&pred)
        .arg("--sentences")
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("open.csv:2: sentence `a:0`"));
}

// --excel-safe: formula-like text cells get a quote in CSV only.

/// A rule of label `=L` matching the first three characters of every sentence of
/// [`formula_sentences`].
const FORMULA_RULE: &str = "[[rule]]\nid = \"all\"\nlabel = \"=L\"\nregex = '^.x\\d'\n";

#[test]
fn extract_excel_safe_quotes_formula_like_text_cells_in_csv_only() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    formula_sentences(d);
    write(d, "r.toml", FORMULA_RULE);
    let args = ["extract", "--rules", "r.toml", "formulas.csv"];
    let csv = stdout_of(
        sentlab()
            .current_dir(d)
            .arg("-q")
            .args(args)
            .arg("--excel-safe"),
    );
    // Each match is its whole sentence (see `formula_sentences`), the label `=L`; the
    // offsets are numbers and stay as they are; a CR cell is quoted by CSV, a TAB one is not.
    assert_eq!(
        csv,
        "sentence_id,label,rule_id,start,end,match\n\
         a:0,'=L,all,0,3,'=x1\n\
         a:1,'=L,all,4,7,'+x2\n\
         a:2,'=L,all,8,11,'-x3\n\
         a:3,'=L,all,12,15,'@x4\n\
         a:4,'=L,all,16,19,'\tx5\n\
         a:5,'=L,all,20,23,\"'\rx6\"\n"
    );
    excel_safe_is_for_csv_only(
        d,
        &args,
        "-o",
        &["=L", "=x1", "+x2", "-x3", "@x4", "\\tx5", "\\rx6"],
        false,
    );
}

// `--rules NAME`: a built-in pack by name, unless a file or directory of that name is here.

/// Run from a directory holding nothing but the sentence table: `propaganda` is the
/// built-in pack. "They are crooks!" (a:1, characters 13..29): `crooks` at 22..28 is in the
/// pack's name-calling lexicon, and `!` at 28..29 is its exclamation cue.
#[test]
fn rules_by_builtin_name() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let sentences = corpus(d);
    let out = stdout_of(
        sentlab()
            .current_dir(d)
            .args(["extract", "-q", "--rules", "propaganda"])
            .arg(&sentences),
    );
    assert!(
        out.contains("a:1,\"Name_Calling,Labeling\",name-calling-labels,22,28,crooks\n"),
        "{out}"
    );
    assert!(
        out.contains("a:1,Loaded_Language,loaded-exclamation,28,29,!\n"),
        "{out}"
    );
    sentlab()
        .current_dir(d)
        .args(["rules", "check", "propaganda"])
        .assert()
        .success()
        .stderr(predicate::str::contains("ok: 49 rules, 14 labels"));
    // An unknown name is a missing path, as before.
    sentlab()
        .current_dir(d)
        .args(["extract", "--rules", "propagandaa"])
        .arg(&sentences)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("propagandaa"));
}

/// A file named like a built-in pack wins, and a note says so (not with `--quiet`).
#[test]
fn rules_local_file_wins_over_builtin_name() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let sentences = corpus(d);
    write(
        d,
        "propaganda",
        "[[rule]]\nid = \"mine\"\nlabel = \"Mine\"\nlexicon = { words = [\"crooks\"] }\n",
    );
    let out = sentlab()
        .current_dir(d)
        .args(["extract", "--rules", "propaganda"])
        .arg(&sentences)
        .assert()
        .success();
    let output = out.get_output();
    let stdout = String::from_utf8_lossy(&output.stdout);
    // "They are crooks!": `crooks` at 22..28 (a:1 starts at 13); b:2 "The crooks again."
    // starts at 23, `crooks` at 27..33.
    assert_eq!(
        stdout,
        "sentence_id,label,rule_id,start,end,match\na:1,Mine,mine,22,28,crooks\nb:2,Mine,mine,27,33,crooks\n"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("note: rules `propaganda`: the file or directory `propaganda` here is used, not the built-in pack `propaganda`"),
        "{stderr}"
    );
    sentlab()
        .current_dir(d)
        .args(["extract", "-q", "--rules", "propaganda"])
        .arg(&sentences)
        .assert()
        .success()
        .stderr("");
}

// --shard K/N: the sentences of part of the articles.

#[test]
fn extract_shards_cover_the_predictions_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = write(
        d,
        "s.csv",
        "article_id,sentence_id,index,paragraph,kind,start,end,text\n\
         a,a:0,0,0,title,0,9,Crooks a.\n\
         b,b:0,0,0,title,0,9,Crooks b.\n\
         c,c:0,0,0,title,0,9,Crooks c.\n\
         d,d:0,0,0,title,0,9,Crooks d.\n",
    );
    let r = write(
        d,
        "r.toml",
        "[[rule]]\nid = \"r\"\nlabel = \"X\"\nlexicon = { words = [\"crooks\"] }\n",
    );
    let run = |shard: Option<&str>| {
        let mut cmd = sentlab();
        cmd.args(["extract", "-q", "--rules"]).arg(&r).arg(&s);
        if let Some(k) = shard {
            cmd.args(["--shard", k]);
        }
        stdout_of(&mut cmd)
    };
    let whole = run(None);
    let (one, two) = (run(Some("1/2")), run(Some("2/2")));
    // By hand (FNV-1a-64 in Python, mod 2, plus 1): a and c in shard 1, b and d in shard 2.
    let ids = |t: &str| -> Vec<String> {
        t.lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids(&one), ["a:0", "c:0"]);
    assert_eq!(ids(&two), ["b:0", "d:0"]);
    let mut joined: Vec<&str> = one.lines().skip(1).chain(two.lines().skip(1)).collect();
    let mut all: Vec<&str> = whole.lines().skip(1).collect();
    joined.sort();
    all.sort();
    assert_eq!(joined, all);
    sentlab()
        .args(["extract", "--shard", "2/2", "--rules"])
        .arg(&r)
        .arg(&s)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "2 sentences of shard 2/2 (2 sentences of other shards left out)",
        ));
}

/// The built-in pack's cues for rare labels and its proximity vetoes, on sentences made
/// up for the test. Offsets counted by hand (code points of the sentence):
/// "Enough said." – `Enough said` is [0, 11); "Join us today #StopTheSteal" – `#` is at
/// 14 (J-o-i-n 0..4, `us` 5..7, `today` 8..13, a space at 13), the hashtag runs to the
/// end, 27, and the space before it is no part of it; "It is not the biggest problem, it
/// is the biggest joke." – the first `biggest` [14, 21) has one word (`the`) between it
/// and `not`, so `within = 1` vetoes it; the second [41, 48) fires.
#[test]
fn builtin_pack_rare_label_cues_and_vetoes() {
    let explain = |sentence: &str| {
        stdout_of(
            sentlab()
                .args(["rules", "explain", "propaganda"])
                .arg(sentence),
        )
    };
    let out = explain("Enough said.");
    assert!(
        out.contains(
            "  rule `ttc-closers` (Thought-terminating_Cliches): 1 candidate(s), 1 fired\n    [0, 11) \"Enough said\": fired\n"
        ),
        "{out}"
    );
    let out = explain("Join us today #StopTheSteal");
    assert!(
        out.contains(
            "  rule `slogans-hashtag` (Slogans): 1 candidate(s), 1 fired\n    [14, 27) \"#StopTheSteal\": fired\n"
        ),
        "{out}"
    );
    // A `#` glued to a word is no hashtag (C#, a#b).
    let out = explain("Written in C#lang today");
    assert!(
        out.contains("  rule `slogans-hashtag` (Slogans): no candidate\n"),
        "{out}"
    );
    let out = explain("It is not the biggest problem, it is the biggest joke.");
    assert!(
        out.contains(
            "  rule `exaggeration-hyperbole-words` (Exaggeration,Minimisation): 2 candidate(s), 1 fired\n    [14, 21) \"biggest\": vetoed by unless \"not\" 1 word before\n    [41, 48) \"biggest\": fired\n"
        ),
        "{out}"
    );
}
