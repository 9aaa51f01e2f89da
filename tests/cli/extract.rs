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
