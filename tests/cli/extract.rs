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
