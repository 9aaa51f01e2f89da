//! What every test file shares: the command builder, fixtures written to temp dirs, and
//! checks that a refused command changed nothing.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

pub fn sentlab() -> Command {
    Command::cargo_bin("sentlab").unwrap()
}

pub fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(&p, content).unwrap();
    p
}

pub fn stdout_of(cmd: &mut Command) -> String {
    let out = cmd.assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

/// Two articles, split: a:0 title, a:1 "They are crooks!", a:2 "Is it true?"; b:0 title,
/// b:1 "Calm news.", b:2 "The crooks again."
pub fn corpus(dir: &Path) -> PathBuf {
    write(
        dir,
        "in/a.txt",
        "Alpha title\n\nThey are crooks!\nIs it true?\n",
    );
    write(
        dir,
        "in/b.txt",
        "Beta title\n\nCalm news.\nThe crooks again.\n",
    );
    let s = dir.join("s.csv");
    sentlab()
        .args(["split", "-q"])
        .arg(dir.join("in"))
        .arg("-o")
        .arg(&s)
        .assert()
        .success();
    s
}

pub const RULES: &str = r#"
[[rule]]
id = "crooks"
label = "Name_Calling,Labeling"
lexicon = { words = ["crook"], inflect = true }

[[rule]]
id = "question"
label = "Doubt"
shape = "question"
"#;

pub fn merge_fixture(dir: &Path) -> (PathBuf, Vec<PathBuf>) {
    let s = corpus(dir);
    // Three annotators over both articles (each names both articles, so each saw all 6).
    let ana = write(
        dir,
        "ana.csv",
        "sentence_id,label\na:1,Loaded\na:1,Name\nb:2,Name\nb:0,\n",
    );
    let ben = write(
        dir,
        "ben.csv",
        "sentence_id,label\na:1,Name\na:2,Doubt\nb:0,\n",
    );
    let cy = write(
        dir,
        "cy.csv",
        "sentence_id,label\na:1,Name\na:2,Doubt\nb:2,Loaded\n",
    );
    (s, vec![ana, ben, cy])
}

/// Three articles named like PTC's, split: 111:0 "Alpha title" 0..11, 111:1 "They are
/// crooks!" 13..29 ("crooks" 22..28), 111:2 "Is it true?" 30..41; 222:0 "Beta title"
/// 0..10, 222:1 "Calm news." 12..22, 222:2 "The crooks again." 23..40 ("crooks" 27..33);
/// 333:0 "Gamma title" 0..11, 333:1 "Nothing here." 13..26.
pub fn ptc_corpus(dir: &Path) -> PathBuf {
    write(
        dir,
        "arts/article111.txt",
        "Alpha title\n\nThey are crooks!\nIs it true?\n",
    );
    write(
        dir,
        "arts/article222.txt",
        "Beta title\n\nCalm news.\nThe crooks again.\n",
    );
    write(dir, "arts/article333.txt", "Gamma title\n\nNothing here.\n");
    let s = dir.join("s.csv");
    sentlab()
        .args(["split", "-q"])
        .arg(dir.join("arts"))
        .arg("-o")
        .arg(&s)
        .assert()
        .success();
    s
}

/// Every file under `dir` with its bytes (hidden temporary files included), to show that a
/// refused command changed nothing.
pub fn files_in(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let meta = fs::symlink_metadata(&p).unwrap();
            if meta.is_dir() {
                stack.push(p);
            } else if meta.is_file() {
                out.insert(p.clone(), fs::read(&p).unwrap());
            } else {
                out.insert(p.clone(), Vec::new());
            }
        }
    }
    out
}

/// Runs `args` in `dir`, expects exit 2 with `expected` on stderr, and no file changed.
pub fn refused_in(dir: &Path, args: &[&str], expected: &str) {
    let before = files_in(dir);
    sentlab()
        .current_dir(dir)
        .args(args)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(expected));
    assert_eq!(
        files_in(dir),
        before,
        "`sentlab {}` changed files",
        args.join(" ")
    );
}

/// What `sentlab ARGS` (a `--help`) prints, as a terminal 100 columns wide shows it whatever
/// terminal the tests run in. clap (with `wrap_help`) wraps help at the width of the first
/// of stdout, stderr and stdin that is a terminal (none is here: assert_cmd pipes all
/// three), else at `$COLUMNS`, else at 100: so `COLUMNS` is pinned, and colour is off.
pub fn help_of(args: &[&str]) -> String {
    stdout_of(
        sentlab()
            .args(args)
            .env("COLUMNS", "100")
            .env_remove("CLICOLOR_FORCE"),
    )
}

/// The repository's `datasets/` (the bundled sample, its label schema and the rule pack)
/// copied into `dir`, so commands run in `dir` name files as the README does
/// (`datasets/sample/labels/ana.csv`) and print no path of the machine.
pub fn copy_datasets(dir: &Path) {
    fn copy(from: &Path, to: &Path) {
        fs::create_dir_all(to).unwrap();
        for e in fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                copy(&e.path(), &to.join(e.file_name()));
            } else {
                fs::copy(e.path(), to.join(e.file_name())).unwrap();
            }
        }
    }
    copy(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets"),
        &dir.join("datasets"),
    );
}

/// The sample's annotator files, as the README's `datasets/sample/labels/*.csv` lists them.
pub const SAMPLE_ANNOTATORS: [&str; 3] = [
    "datasets/sample/labels/ana.csv",
    "datasets/sample/labels/ben.csv",
    "datasets/sample/labels/chloe.csv",
];

/// The README's steps on the bundled sample, run in `dir` (after [`copy_datasets`]):
/// `split` to sentences.csv, `labels merge` (majority, with the label schema) to gold.csv,
/// `extract` with the rule pack to predictions.csv.
pub fn sample_tables(dir: &Path) {
    copy_datasets(dir);
    let run = |args: &[&str]| {
        sentlab()
            .current_dir(dir)
            .arg("-q")
            .args(args)
            .assert()
            .success();
    };
    run(&["split", "datasets/sample/articles", "-o", "sentences.csv"]);
    let mut merge = vec!["labels", "merge", "--sentences", "sentences.csv"];
    merge.extend(SAMPLE_ANNOTATORS);
    merge.extend(["--schema", "datasets/labels.toml", "-o", "gold.csv"]);
    run(&merge);
    run(&[
        "extract",
        "--rules",
        "datasets/rules/propaganda.toml",
        "sentences.csv",
        "-o",
        "predictions.csv",
    ]);
}

/// A sentence table (article `a`) whose texts start with each character that makes a
/// spreadsheet cell a formula, 3 characters each, one apart: a:0 "=x1" 0..3, a:1 "+x2"
/// 4..7, a:2 "-x3" 8..11, a:3 "@x4" 12..15, a:4 "\tx5" 16..19, a:5 "\rx6" 20..23.
pub fn formula_sentences(dir: &Path) -> PathBuf {
    write(
        dir,
        "formulas.csv",
        "article_id,sentence_id,index,paragraph,kind,start,end,text\n\
         a,a:0,0,0,body,0,3,=x1\n\
         a,a:1,1,0,body,4,7,+x2\n\
         a,a:2,2,0,body,8,11,-x3\n\
         a,a:3,3,0,body,12,15,@x4\n\
         a,a:4,4,0,body,16,19,\"\tx5\"\n\
         a,a:5,5,0,body,20,23,\"\rx6\"\n",
    )
}

/// `args` with `out_flag` naming a JSON Lines, then a Parquet file, run with and without
/// `--excel-safe`. The flag is for CSV only: when that file is the command's only output
/// (`other_csv` false) it would change nothing, so it is a usage error (exit 2); when the
/// command also writes a CSV (`other_csv`), the JSON Lines and Parquet files are the same as
/// without the flag. The Parquet file read back with `sentlab export` as JSON Lines holds
/// every value of `raw` (JSON-escaped) as it is, and no value starting with a quote.
pub fn excel_safe_is_for_csv_only(
    dir: &Path,
    args: &[&str],
    out_flag: &str,
    raw: &[&str],
    other_csv: bool,
) {
    for ext in ["jsonl", "parquet"] {
        let plain = dir.join(format!("plain.{ext}"));
        let safe = dir.join(format!("safe.{ext}"));
        sentlab()
            .current_dir(dir)
            .arg("-q")
            .args(args)
            .arg(out_flag)
            .arg(&plain)
            .assert()
            .success();
        let mut with_flag = sentlab();
        with_flag
            .current_dir(dir)
            .arg("-q")
            .args(args)
            .arg("--excel-safe")
            .arg(out_flag)
            .arg(&safe);
        if other_csv {
            with_flag.assert().success();
            assert_eq!(fs::read(&plain).unwrap(), fs::read(&safe).unwrap(), "{ext}");
        } else {
            with_flag.assert().code(2).stderr(predicates::str::contains(
                "--excel-safe only changes CSV output, and no output here is CSV",
            ));
            assert!(!safe.exists(), "{ext}");
        }
    }
    let back = dir.join("back.jsonl");
    sentlab()
        .args(["export", "-q"])
        .arg(dir.join("plain.parquet"))
        .arg("-o")
        .arg(&back)
        .assert()
        .success();
    let text = fs::read_to_string(&back).unwrap();
    for v in raw {
        assert!(text.contains(&format!("\"{v}\"")), "{v} in {text}");
    }
    assert!(!text.contains("\"'"), "{text}");
}

/// Splits the sentence table `table` (CSV, in `dir`) by article into `n` shards written as
/// `s0.csv`, `s1.csv`, ... (article k of the table, in table order, goes to shard k mod n;
/// `split --shard` gives the same kind of tables), and returns their names.
pub fn shard_sentence_table(dir: &Path, table: &str, n: usize) -> Vec<String> {
    let text = std::fs::read_to_string(dir.join(table)).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.collect();
    let article = |r: &str| r.split(',').next().unwrap().to_owned();
    let mut articles: Vec<String> = rows.iter().map(|r| article(r)).collect();
    articles.dedup();
    assert!(articles.len() >= n, "{table}: fewer articles than shards");
    (0..n)
        .map(|k| {
            let mine: Vec<&String> = articles.iter().skip(k).step_by(n).collect();
            let shard: String = rows
                .iter()
                .filter(|r| mine.contains(&&article(r)))
                .map(|r| format!("{r}\n"))
                .collect();
            let name = format!("s{k}.csv");
            write(dir, &name, format!("{header}\n{shard}"));
            name
        })
        .collect()
}
