//! `sentlab run` and `sentlab demo`: the whole loop.

use std::fs;
use std::path::Path;

use predicates::prelude::*;

use crate::common::*;

fn read_pairs(path: &Path) -> std::collections::BTreeSet<(String, String)> {
    let mut r = csv::Reader::from_path(path).unwrap();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            (rec[0].to_string(), rec[1].to_string())
        })
        .collect()
}

#[test]
fn demo_runs_end_to_end_and_its_numbers_match_the_tables() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    let root = env!("CARGO_MANIFEST_DIR");
    let printed = stdout_of(
        sentlab()
            .current_dir(root)
            .args(["demo", "-q", "--out"])
            .arg(&out),
    );
    for f in [
        "sentences.csv",
        "gold.csv",
        "agreement.json",
        "conflicts.csv",
        "predictions.csv",
        "eval.csv",
        "eval.json",
        "errors.csv",
    ] {
        assert!(out.join(f).exists(), "{f}");
    }
    let agreement = fs::read_to_string(out.join("agreement.txt")).unwrap();
    assert!(agreement.contains("Loaded_Language"), "{agreement}");
    assert!(printed.contains("Report: "), "{printed}");
    let printed = fs::read_to_string(out.join("eval.txt")).unwrap();
    // Recompute micro and "any" from the written gold and prediction tables, independently.
    let gold = read_pairs(&out.join("gold.csv"));
    let pred = read_pairs(&out.join("predictions.csv"));
    let tp = gold.intersection(&pred).count();
    let (fp, fn_) = (pred.len() - tp, gold.len() - tp);
    let micro = printed.lines().find(|l| l.starts_with("micro")).unwrap();
    let cols: Vec<&str> = micro.split_whitespace().collect();
    assert_eq!(
        cols[1..4],
        [tp.to_string(), fp.to_string(), fn_.to_string()],
        "{micro}"
    );
    let sents = |s: &std::collections::BTreeSet<(String, String)>| {
        s.iter()
            .map(|p| p.0.clone())
            .collect::<std::collections::BTreeSet<_>>()
    };
    let (gs, ps) = (sents(&gold), sents(&pred));
    let any_tp = gs.intersection(&ps).count();
    let any = printed.lines().find(|l| l.starts_with("any")).unwrap();
    let cols: Vec<&str> = any.split_whitespace().collect();
    assert_eq!(
        cols[1..4],
        [
            any_tp.to_string(),
            (ps.len() - any_tp).to_string(),
            (gs.len() - any_tp).to_string()
        ],
        "{any}"
    );
    // Hand-checked sample: 7 articles, 115 sentences, 45 gold (sentence, label) rows by majority.
    assert_eq!(
        fs::read_to_string(out.join("sentences.csv"))
            .unwrap()
            .lines()
            .count(),
        1 + 115
    );
    assert_eq!(gold.len(), 45);
    // Running again into the same directory is fine; a directory with other files is not.
    sentlab()
        .current_dir(root)
        .args(["demo", "-q", "--out"])
        .arg(&out)
        .assert()
        .success();
    write(&out, "mine.txt", "keep");
    sentlab()
        .current_dir(root)
        .args(["demo", "-q", "--out"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("mine.txt").and(predicate::str::contains("--force")));
    sentlab()
        .current_dir(root)
        .args(["demo", "-q", "--force", "--out"])
        .arg(&out)
        .assert()
        .success();
}

#[test]
fn run_rejects_unknown_keys_and_missing_files_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "p.toml",
        "articles = [\"in\"]\nannotators = [\"a.csv\"]\nrules = \"r.toml\"\nstrategi = \"any\"\n",
    );
    sentlab()
        .current_dir(dir.path())
        .args(["run"])
        .arg(&p)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("strategi"));
    let p = write(
        dir.path(),
        "q.toml",
        "articles = [\"in\"]\nannotators = [\"a.csv\"]\nrules = \"r.toml\"\n",
    );
    sentlab()
        .current_dir(dir.path())
        .args(["run"])
        .arg(&p)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("`articles`"));
    assert!(!dir.path().join("sentlab-demo").exists());
}

#[test]
fn a_failed_run_leaves_the_output_directory_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = dir.path().join("out");
    sentlab()
        .args(["demo", "-q", "--out"])
        .arg(&out)
        .current_dir(root)
        .assert()
        .success();
    let before = fs::read_to_string(out.join("sentences.csv")).unwrap();
    write(dir.path(), "in/x.txt", "T\n\nOne.");
    fs::write(dir.path().join("bad.csv"), b"sentence_id,label\nx:1,\xFF\n").unwrap();
    let rules = root.join("datasets/rules/propaganda.toml");
    let p = write(
        dir.path(),
        "p.toml",
        format!(
            "articles = [\"in\"]\nannotators = [\"bad.csv\"]\nrules = \"{}\"\n",
            rules.display()
        ),
    );
    sentlab()
        .arg("run")
        .arg(&p)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("bad.csv"));
    assert_eq!(
        fs::read_to_string(out.join("sentences.csv")).unwrap(),
        before
    );
    let t = write(
        dir.path(),
        "t.toml",
        format!(
            "articles = [\"in\"]\nannotators = [\"bad.csv\"]\nrules = \"{}\"\ntie = \"Yes\"\n",
            rules.display()
        ),
    );
    sentlab()
        .arg("run")
        .arg(&t)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("`tie`"));
}

#[test]
fn run_advises_a_config_key_for_per_article_files_given_as_annotators() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "arts/article111.txt",
        "Alpha title\n\nThey are crooks!\nIs it true?\n",
    );
    write(
        d,
        "arts/article222.txt",
        "Beta title\n\nCalm news.\nThe crooks again.\n",
    );
    write(d, "arts/article333.txt", "Gamma title\n\nNothing here.\n");
    // One annotator's per-article files, listed one by one in the config.
    write(
        d,
        "one/article111.task2-TC.labels",
        "111\tName_Calling\t22\t28\n",
    );
    write(
        d,
        "one/article222.task2-TC.labels",
        "222\tName_Calling\t27\t33\n",
    );
    write(d, "one/article333.task2-TC.labels", "");
    let rules = write(d, "r.toml", RULES);
    let p = write(
        d,
        "p.toml",
        format!(
            "articles = [\"arts\"]\nannotators = [\"one/article111.task2-TC.labels\", \
             \"one/article222.task2-TC.labels\", \"one/article333.task2-TC.labels\"]\n\
             rules = {:?}\nout = \"o\"\n",
            rules.file_name().unwrap()
        ),
    );
    // The advice fits a config (its `annotators` key), and the flag is said to be
    // `labels merge`'s: `run` has none.
    let one = d.join("one").display().to_string();
    sentlab()
        .current_dir(d)
        .args(["run", "-q"])
        .arg(&p)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("ONE annotator")
                .and(predicate::str::contains(format!(
                    "annotators = [\"{one}\"]"
                )))
                .and(predicate::str::contains(format!("labels merge ... {one}")))
                .and(predicate::str::contains(
                    "labels merge --one-annotator-per-file",
                )),
        );
}

/// What `sentlab demo` prints (the README's quick start): the headline scores, the worst
/// labels and where the tables and the page are.
#[test]
fn demo_prints_the_headline_scores_and_where_the_tables_are() {
    let dir = tempfile::tempdir().unwrap();
    let printed = stdout_of(
        sentlab()
            .current_dir(dir.path())
            .args(["demo", "-q", "--out", "demo"]),
    );
    insta::assert_snapshot!("demo_stdout", printed);
}

// --excel-safe: formula-like text cells get a quote in the CSV tables only.

/// A pipeline on one article whose sentences start with `=`, `+`, `-`, `@`: a:0 "=T" 0..2,
/// a:1 "+x1." 4..8, a:2 "-x2." 9..13, a:3 "@x3." 14..18. Both annotators label a:1 `=L`,
/// the second also a:2; the rule (label `=L`) matches the first two characters of a:1, a:2
/// and a:3.
fn formula_pipeline(dir: &Path, extra: &str) -> std::path::PathBuf {
    write(dir, "arts/a.txt", "=T\n\n+x1.\n-x2.\n@x3.\n");
    write(dir, "ann1.csv", "sentence_id,label\na:1,=L\n");
    write(dir, "ann2.csv", "sentence_id,label\na:1,=L\na:2,=L\n");
    write(
        dir,
        "r.toml",
        "[[rule]]\nid = \"r\"\nlabel = \"=L\"\nregex = '^.x'\n",
    );
    write(
        dir,
        "p.toml",
        format!(
            "articles = [\"arts\"]\nannotators = [\"ann1.csv\", \"ann2.csv\"]\nrules = \"r.toml\"\n{extra}"
        ),
    )
}

#[test]
fn run_excel_safe_quotes_formula_like_text_cells_of_its_csv_tables() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let p = formula_pipeline(d, "");
    for (out, flag) in [("plain", None), ("safe", Some("--excel-safe"))] {
        sentlab()
            .current_dir(d)
            .args(["run", "-q", "--out", out])
            .arg(&p)
            .args(flag)
            .assert()
            .success();
    }
    let read = |f: &str| fs::read_to_string(d.join("safe").join(f)).unwrap();
    assert_eq!(
        read("sentences.csv"),
        "article_id,sentence_id,index,paragraph,kind,start,end,text\n\
         a,a:0,0,0,title,0,2,'=T\n\
         a,a:1,1,1,body,4,8,'+x1.\n\
         a,a:2,2,1,body,9,13,'-x2.\n\
         a,a:3,3,1,body,14,18,'@x3.\n"
    );
    assert_eq!(
        read("gold.csv"),
        "sentence_id,label,votes,annotators\na:1,'=L,2,ann1;ann2\n"
    );
    assert_eq!(
        read("conflicts.csv"),
        "sentence_id,label,yes,no,in_gold,text\na:2,'=L,ann2,ann1,false,'-x2.\n"
    );
    assert_eq!(
        read("predictions.csv"),
        "sentence_id,label,rule_id,start,end,match\n\
         a:1,'=L,r,4,6,'+x\n\
         a:2,'=L,r,9,11,'-x\n\
         a:3,'=L,r,14,16,'@x\n"
    );
    assert_eq!(
        read("errors.csv"),
        "sentence_id,label,kind,rules,matches,text\n\
         a:2,'=L,FP,r,'-x,'-x2.\n\
         a:3,'=L,FP,r,'@x,'@x3.\n"
    );
    // tp 1, fp 2: precision 1/3, recall 1, F1 2/(2+2).
    assert!(
        read("eval.csv").contains("\nlabel,'=L,1,2,0,1,0.3333333333333333,1,0.5\n"),
        "{}",
        read("eval.csv")
    );
    // The steps worked on the table as split: the reports for people and JSON are those of
    // a run without the flag.
    for f in ["eval.txt", "eval.json", "agreement.json", "agreement.txt"] {
        assert_eq!(
            read(f),
            fs::read_to_string(d.join("plain").join(f)).unwrap(),
            "{f}"
        );
    }
    // The config key does what the flag does.
    let keyed = formula_pipeline(d, "excel_safe = true\n");
    sentlab()
        .current_dir(d)
        .args(["run", "-q", "--out", "keyed"])
        .arg(&keyed)
        .assert()
        .success();
    assert_eq!(
        files_in(&d.join("keyed")).len(),
        files_in(&d.join("safe")).len()
    );
    for f in ["sentences.csv", "predictions.csv", "errors.csv", "eval.csv"] {
        assert_eq!(
            fs::read_to_string(d.join("keyed").join(f)).unwrap(),
            read(f),
            "{f}"
        );
    }
}

// The output directory: one run at a time, created only when the tables move in.

/// The names of the entries of `dir`, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A pipeline in `dir` whose run takes a second or more: 20 articles of 16,000 sentences
/// (about 5 MB), two annotators and one rule.
fn slow_pipeline(dir: &Path) {
    let body = "They are crooks! Is it true? Calm news today. The crooks again.\n".repeat(4000);
    for i in 0..20 {
        write(
            dir,
            &format!("arts/a{i}.txt"),
            format!("Title {i}\n\n{body}"),
        );
    }
    write(dir, "ann1.csv", "sentence_id,label\na0:1,Doubt\n");
    write(
        dir,
        "ann2.csv",
        "sentence_id,label\na0:1,Doubt\na0:2,Doubt\n",
    );
    write(
        dir,
        "r.toml",
        "[[rule]]\nid = \"q\"\nlabel = \"Doubt\"\nshape = \"question\"\n",
    );
    write(
        dir,
        "p.toml",
        "articles = [\"arts\"]\nannotators = [\"ann1.csv\", \"ann2.csv\"]\nrules = \"r.toml\"\n",
    );
}

#[test]
fn a_second_run_into_the_same_directory_fails_at_once_naming_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    slow_pipeline(d);
    let inputs = names_in(d);
    let mut first = std::process::Command::new(assert_cmd::cargo::cargo_bin("sentlab"))
        .current_dir(d)
        .args(["run", "-q", "p.toml", "--out", "out"])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // The first run is under way once its staging directory exists.
    let started = std::time::Instant::now();
    while !names_in(d).iter().any(|n| n.starts_with(".sentlab-run-")) {
        assert!(
            first.try_wait().unwrap().is_none(),
            "the first run ended too soon"
        );
        assert!(started.elapsed().as_secs() < 60, "no staging directory");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    sentlab()
        .current_dir(d)
        .args(["run", "-q", "p.toml", "--out", "out"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "out: another sentlab run (pid {}) is writing to this directory",
            first.id()
        )));
    // The second run failed while the first was still running, and it failed at once.
    assert!(first.try_wait().unwrap().is_none(), "not concurrent");
    assert!(first.wait().unwrap().success());
    // Complete and consistent: the tables of a run alone, and nothing else left behind.
    sentlab()
        .current_dir(d)
        .args(["run", "-q", "p.toml", "--out", "alone"])
        .assert()
        .success();
    let mut expected = inputs.clone();
    expected.extend(["alone".to_owned(), "out".to_owned()]);
    expected.sort();
    assert_eq!(names_in(d), expected);
    assert_eq!(names_in(&d.join("out")), names_in(&d.join("alone")));
    assert_eq!(names_in(&d.join("out")).len(), 12);
    for f in names_in(&d.join("alone")) {
        let mut alone = fs::read(d.join("alone").join(&f)).unwrap();
        if f == "report.html" {
            // The page states its command line, the one difference.
            alone = String::from_utf8(alone)
                .unwrap()
                .replace("--out alone", "--out out")
                .into_bytes();
        }
        assert!(fs::read(d.join("out").join(&f)).unwrap() == alone, "{f}");
    }
}

#[test]
fn a_failed_run_leaves_no_output_directory_that_was_not_there() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "arts/a.txt", "T\n\nIs it true?\n");
    write(d, "ann1.csv", "sentence_id,label\na:1,Doubt\n");
    // Found when the labels are merged, after the articles were split.
    fs::write(d.join("bad.csv"), b"sentence_id,label\na:1,\xFF\n").unwrap();
    write(
        d,
        "r.toml",
        "[[rule]]\nid = \"q\"\nlabel = \"Doubt\"\nshape = \"question\"\n",
    );
    write(
        d,
        "p.toml",
        "articles = [\"arts\"]\nannotators = [\"ann1.csv\", \"bad.csv\"]\nrules = \"r.toml\"\n",
    );
    let inputs = names_in(d);
    for out in ["out", "new/deeper/out"] {
        sentlab()
            .current_dir(d)
            .args(["run", "-q", "p.toml", "--out", out])
            .assert()
            .code(1)
            .stderr(predicate::str::contains("bad.csv"));
        // No directory, no lock file, no staging directory.
        assert_eq!(names_in(d), inputs, "{out}");
    }
    // The lock file a killed run leaves (no process holds its lock any more) does not
    // stop the next run, which removes it when done.
    write(d, "out.sentlab-lock", "4194304\n");
    write(d, "bad.csv", "sentence_id,label\na:1,Doubt\n");
    sentlab()
        .current_dir(d)
        .args(["run", "-q", "p.toml", "--out", "out"])
        .assert()
        .success();
    assert!(!d.join("out.sentlab-lock").exists());
    assert_eq!(names_in(&d.join("out")).len(), 12);
}

#[test]
fn a_config_eval_table_sets_the_labels_sort_and_intervals_of_the_reports() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Articles in/a.txt and in/b.txt (see `corpus`).
    corpus(d);
    let rules = write(d, "r.toml", RULES);
    // Two annotators agree: a:1 is Name_Calling,Labeling, a:2 Doubt, b:2 Doubt.
    let labels = "sentence_id,label\na:1,\"Name_Calling,Labeling\"\na:2,Doubt\nb:2,Doubt\n";
    write(d, "ana.csv", labels);
    write(d, "ben.csv", labels);
    let config = |eval: &str| {
        write(
            d,
            "p.toml",
            format!(
                "articles = [\"in\"]\nannotators = [\"ana.csv\", \"ben.csv\"]\nrules = \"{}\"\n{eval}",
                rules.display()
            ),
        )
    };
    let p = config(
        "[eval]\nlabels = [\"Doubt\", \"Name_Calling,Labeling\"]\nsort = \"label\"\nbootstrap = 200\nseed = 7\n",
    );
    sentlab()
        .current_dir(d)
        .args(["run", "-q"])
        .arg(&p)
        .args(["--out", "o"])
        .assert()
        .success();
    let o = d.join("o");
    let table = fs::read_to_string(o.join("eval.txt")).unwrap();
    // By hand: Doubt (a:2 and b:2 gold; the question rule fires on a:2 "Is it true?" only)
    // then Name_Calling,Labeling (a:1 gold; "crooks" fires on a:1 and b:2): label order, and
    // the interval columns of the bootstrap.
    let words: Vec<String> = table
        .lines()
        .map(|l| l.split_whitespace().take(4).collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(
        words[2..4],
        ["Doubt 1 0 1", "Name_Calling,Labeling 1 1 0"],
        "{table}"
    );
    assert!(
        table.lines().next().unwrap().contains("f1 95% CI"),
        "{table}"
    );
    // The same report as `eval` with the same flags on the run's tables.
    let cli = stdout_of(
        sentlab()
            .current_dir(&o)
            .args([
                "eval",
                "-q",
                "--sentences",
                "sentences.csv",
                "--gold",
                "gold.csv",
            ])
            .args([
                "--pred",
                "predictions.csv",
                "--labels",
                "Doubt,Name_Calling,Labeling",
            ])
            .args(["--sort", "label", "--bootstrap", "200", "--seed", "7"]),
    );
    assert_eq!(table, cli);
    // The per-rule report has no intervals.
    let by_rule = fs::read_to_string(o.join("eval-by-rule.csv")).unwrap();
    assert!(
        by_rule.starts_with("rule_id,label,fired,tp,fp,precision,"),
        "{by_rule}"
    );
    // Values that would be usage errors on the command line are config errors here.
    for (eval, message) in [
        ("[eval]\nseed = 7\n", "`eval.seed` without `eval.bootstrap`"),
        (
            "[eval]\nbootstrap = 5\n",
            "`eval.bootstrap`: 5: expected 100 to 100000",
        ),
        (
            "[eval]\nsort = \"size\"\n",
            "`eval.sort`: unknown value `size`",
        ),
        ("[eval]\nlevel = \"span\"\n", "unknown field `level`"),
    ] {
        let p = config(eval);
        sentlab()
            .current_dir(d)
            .args(["run", "-q"])
            .arg(&p)
            .args(["--out", "bad"])
            .assert()
            .code(1)
            .stderr(predicate::str::contains(message));
        assert!(!d.join("bad").exists());
    }
}

// The demo's data is built into the binary.

/// A copy of the binary, run from an unrelated directory with no source tree in reach,
/// runs the demo: the sample and the pack come from the binary. Its outputs go to
/// `sentlab-demo/` of the working directory, as before; the micro row is the README's
/// (11 tp, 30 fp, 34 fn on the sample: the pack's `ttc-closers` adds one false positive, "Make no mistake").
#[test]
fn demo_runs_from_a_copied_binary_in_an_unrelated_directory() {
    let bin_dir = tempfile::tempdir().unwrap();
    let cwd = tempfile::tempdir().unwrap();
    let bin = bin_dir.path().join("sentlab");
    fs::copy(assert_cmd::cargo::cargo_bin("sentlab"), &bin).unwrap();
    let out = std::process::Command::new(&bin)
        .current_dir(cwd.path())
        .env("CARGO_MANIFEST_DIR", cwd.path().join("nowhere"))
        .args(["demo", "-q"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8(out.stdout).unwrap();
    assert!(
        printed.contains("(rules propaganda (built-in) vs gold by Majority vote)"),
        "{printed}"
    );
    let demo = cwd.path().join("sentlab-demo");
    let table = fs::read_to_string(demo.join("eval.txt")).unwrap();
    let micro = table.lines().find(|l| l.starts_with("micro")).unwrap();
    assert_eq!(
        micro.split_whitespace().collect::<Vec<_>>()[1..4],
        ["11", "30", "34"]
    );
    let mut written: Vec<String> = fs::read_dir(&demo)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    let mut expected = sentlab::commands::run::OUTPUTS.to_vec();
    expected.sort();
    assert_eq!(written, expected);
    // Nothing else is left in the working directory (no lock file, no staging directory).
    assert_eq!(fs::read_dir(cwd.path()).unwrap().count(), 1);
}

/// The binary names no path of the source tree it was built from: nothing it reads at run
/// time can depend on where it was built.
#[test]
fn binary_holds_no_path_of_its_source_tree() {
    let bin = fs::read(assert_cmd::cargo::cargo_bin("sentlab")).unwrap();
    let root = env!("CARGO_MANIFEST_DIR").as_bytes();
    assert!(
        !bin.windows(root.len()).any(|w| w == root),
        "the binary holds {}",
        env!("CARGO_MANIFEST_DIR")
    );
}

// The page of the run, and the short summary.

/// `demo` prints a summary of a dozen lines (not the full tables) and writes report.html,
/// whose figures are those of `eval` on the run's own tables.
#[test]
fn demo_prints_a_short_summary_and_writes_the_report_page() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let printed = stdout_of(
        sentlab()
            .current_dir(d)
            .args(["demo", "-q", "--out", "demo"]),
    );
    // By hand, from the sample's eval table (11 tp, 30 fp, 34 fn): micro P 11/41 = 0.268,
    // R 11/45 = 0.244, F1 22/86 = 0.256.
    assert!(printed.contains("  micro  F1 0.256  ["), "{printed}");
    assert!(printed.contains("P 0.268  R 0.244\n"), "{printed}");
    // Worst labels: eight labels have F1 0; by support: Doubt (6 gold sentences), then
    // three with 4, by name: Bandwagon,Reductio_ad_hitlerum, Exaggeration,Minimisation
    // (Slogans is left out).
    let worst: Vec<&str> = printed
        .lines()
        .skip_while(|l| !l.starts_with("Worst labels by F1"))
        .skip(1)
        .take(3)
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        worst,
        [
            "Doubt",
            "Bandwagon,Reductio_ad_hitlerum",
            "Exaggeration,Minimisation"
        ]
    );
    assert!(
        printed
            .ends_with("Tables (agreement, evaluation, errors): demo\nReport: demo/report.html\n"),
        "{printed}"
    );
    assert!(printed.lines().count() <= 16, "{printed}");
    assert!(!printed.contains("kappa"), "{printed}");
    // The page: its labels figures are `eval --bootstrap 1000` on the run's tables.
    let html = fs::read_to_string(d.join("demo/report.html")).unwrap();
    let start = html
        .find("<script type=\"application/json\" id=figures>")
        .unwrap();
    let rest = &html[start..];
    let body = &rest[rest.find('>').unwrap() + 1..rest.find("</script>").unwrap()];
    let fig: serde_json::Value = serde_json::from_str(body).unwrap();
    let eval = stdout_of(sentlab().current_dir(d.join("demo")).args([
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
        "--bootstrap",
        "1000",
    ]));
    let eval: serde_json::Value = serde_json::from_str(&eval).unwrap();
    assert_eq!(fig["labels"], eval);
    // With the run's agreement report, and its heat maps.
    let agreement: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(d.join("demo/agreement.json")).unwrap()).unwrap();
    assert_eq!(fig["agreement"], agreement);
    assert!(html.contains("id=t-agreement>") && html.contains("id=t-kappa>"));
    // Its headline interval is the printed one.
    let lo = eval["micro"]["f1_ci"][0].as_f64();
    let hi = eval["micro"]["f1_ci"][1].as_f64();
    if let (Some(lo), Some(hi)) = (lo, hi) {
        assert!(
            printed.contains(&format!("F1 0.256  [{lo:.3}, {hi:.3}]")),
            "{printed} {eval}"
        );
    } else {
        panic!("no micro F1 interval in {eval}");
    }
}

/// Rules that fire on no sentence: the run succeeds (as before the page existed) and the
/// page shows no prediction; by hand, gold a:2 Doubt only, so micro F1 is 0 (tp 0, fn 1).
#[test]
fn a_run_whose_rules_fire_nowhere_still_writes_its_page() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    corpus(d);
    write(
        d,
        "r.toml",
        "[[rule]]\nid = \"never\"\nlabel = \"Doubt\"\nlexicon = { words = [\"zebra\"] }\n",
    );
    write(d, "ana.csv", "sentence_id,label\na:2,Doubt\n");
    write(d, "ben.csv", "sentence_id,label\na:2,Doubt\n");
    write(
        d,
        "p.toml",
        "articles = [\"in\"]\nannotators = [\"ana.csv\", \"ben.csv\"]\nrules = \"r.toml\"\n",
    );
    let printed = stdout_of(
        sentlab()
            .current_dir(d)
            .args(["run", "-q", "p.toml", "--out", "o"]),
    );
    assert!(printed.contains("  micro  F1 0.000"), "{printed}");
    assert!(
        printed.contains("Doubt  F1 0.000  (tp 0, fp 0, fn 1)"),
        "{printed}"
    );
    let html = fs::read_to_string(d.join("o/report.html")).unwrap();
    assert!(
        html.contains("data-row=\"micro\">micro F1<b>0.000</b>"),
        "{html}"
    );
}
