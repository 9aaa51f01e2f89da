//! Throughput measurement (ignored by default). Run in release mode:
//!
//! ```sh
//! cargo test --release --lib rules_bench -- --ignored --nocapture --test-threads=1
//! ```
//!
//! Reads the `*.txt` articles of the directory `SENTLAB_BENCH_DIR` when it is set,
//! otherwise generates text; replicates it to ~`SENTLAB_BENCH_MB` (default 20) MB, splits it
//! into sentences naively, and reports compile time and MB/s of sentence text per CPU-second of the
//! matching thread (so a busy machine does not skew the figures).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::rows::SentenceKind;
use crate::rules::{ArticleSentence, Matcher, RuleSource, parse};

const LOADED: &[&str] = &[
    "so-called",
    "regime",
    "puppet",
    "thug",
    "traitor",
    "treason",
    "disgrace",
    "disgraceful",
    "corrupt",
    "evil",
    "radical",
    "extremist",
    "terrorist",
    "tyrant",
    "dictator",
    "hoax",
    "fake",
    "lies",
    "liar",
    "crooked",
    "witch hunt",
    "deep state",
    "mainstream media",
    "fake news",
    "propaganda",
    "brainwashed",
    "elite",
    "globalist",
    "invasion",
    "horde",
    "flood",
    "catastrophe",
    "disaster",
    "outrageous",
    "shameful",
    "pathetic",
    "ridiculous",
    "absurd",
    "insane",
    "crazy",
    "destroy",
    "slaughter",
    "massacre",
    "genocide",
    "holocaust",
    "nazi",
    "fascist",
    "communist",
    "socialist",
    "cover-up",
    "conspiracy",
    "scandal",
    "bombshell",
    "shocking",
    "explosive",
];

fn corpus() -> String {
    let dir = std::env::var_os("SENTLAB_BENCH_DIR").map_or_else(PathBuf::new, PathBuf::from);
    let mut text = String::new();
    if let Ok(entries) = std::fs::read_dir(&dir) {
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        {
            if let Ok(t) = std::fs::read_to_string(p) {
                text.push_str(&t);
                text.push_str("\n\n");
            }
        }
    }
    if text.is_empty() {
        // Generated fallback: pseudo-news sentences.
        let words = [
            "the",
            "government",
            "said",
            "on",
            "Tuesday",
            "that",
            "so-called",
            "experts",
            "regime",
            "was",
            "“corrupt”",
            "and",
            "officials",
            "denied",
            "it",
            "café",
            "deep",
            "state",
            "news",
        ];
        let mut x: u64 = 42;
        for i in 0..200_000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            text.push_str(words[(x >> 33) as usize % words.len()]);
            text.push(if i % 17 == 16 { '.' } else { ' ' });
            if i % 17 == 16 {
                text.push(' ');
            }
        }
    }
    text
}

/// Naive sentence split: lines, then after `. ` / `? ` / `! `.
fn split(text: &str) -> Vec<(SentenceKind, &str, u64)> {
    let mut out = Vec::new();
    let mut offset = 0u64;
    for line in text.split_inclusive('\n') {
        let mut rest = line;
        while !rest.is_empty() {
            let cut = rest
                .match_indices(['.', '?', '!'])
                .map(|(i, _)| i + 1)
                .find(|&i| rest[i..].starts_with(' '))
                .unwrap_or(rest.len());
            let (s, r) = rest.split_at(cut);
            let lead = s.len() - s.trim_start().len();
            if !s.trim().is_empty() {
                let lead_chars = s[..lead].chars().count() as u64;
                out.push((SentenceKind::Body, s.trim(), offset + lead_chars));
            }
            offset += s.chars().count() as u64;
            rest = r;
        }
    }
    out
}

fn vocabulary(text: &str) -> Vec<String> {
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for w in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| w.len() >= 4)
    {
        *counts.entry(w.to_lowercase()).or_insert(0) += 1;
    }
    let mut v: Vec<(String, usize)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v.into_iter().map(|(w, _)| w).collect()
}

fn pseudo_words(n: usize) -> Vec<String> {
    let mut x: u64 = 7;
    (0..n)
        .map(|_| {
            let mut w = String::new();
            for _ in 0..7 {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                w.push((b'a' + ((x >> 33) % 26) as u8) as char);
            }
            w
        })
        .collect()
}

fn toml_list(words: &[String]) -> String {
    let mut s = String::from("[");
    for w in words {
        let _ = write!(s, "{w:?}, ");
    }
    s.push(']');
    s
}

fn realistic_pack(vocab: &[String]) -> String {
    let loaded: Vec<String> = LOADED.iter().map(|s| (*s).to_owned()).collect();
    let mid: Vec<String> = vocab.iter().skip(300).take(150).cloned().collect();
    let rare: Vec<String> = vocab.iter().skip(2000).take(150).cloned().collect();
    let mut t = String::new();
    let _ = write!(
        t,
        r#"
[[rule]]
id = "loaded"
label = "Loaded_Language"
lexicon = {{ words = {}, inflect = true }}
outside_quotes = true

[[rule]]
id = "mid-vocab"
label = "Mid"
lexicon = {{ words = {} }}
max_words = 40

[[rule]]
id = "rare-vocab"
label = "Rare"
lexicon = {{ words = {}, whole_word = false }}
unless = ['\bnot\b']

[[rule]]
id = "scare"
label = "Doubt"
lexicon = {{ words = ["experts", "journalists", "scientists", "news", "facts"] }}
inside_quotes = true
"#,
        toml_list(&loaded),
        toml_list(&mid),
        toml_list(&rare)
    );
    let regexes = [
        r"\b(every|all) (single )?one of (them|us)\b",
        r"\bnever (ever|again)\b",
        r"\b(always|never|nobody|everybody|everyone)\b",
        r"\b\d+(\.\d+)? (million|billion|trillion)\b",
        r"\bwake up\b",
        r"\b(must|should) be (stopped|punished|jailed)\b",
        r"\bit is (clear|obvious) that\b",
        r"\b(so|very|extremely|incredibly) (bad|good|dangerous)\b",
        r"(?-i)[A-Z]{3,} [A-Z]{3,}",
        r"\bmake \w+ great\b",
    ];
    for (i, r) in regexes.iter().enumerate() {
        let _ = write!(
            t,
            "\n[[rule]]\nid = \"re{i}\"\nlabel = \"Regex\"\nregex = '{r}'\n{}",
            if i % 3 == 0 {
                "requires = ['\\w']\n"
            } else {
                ""
            }
        );
    }
    t.push_str(
        r#"
[[rule]]
id = "rep"
label = "Repetition"
repetition = { words = 1, min_count = 4, min_length = 5 }

[[rule]]
id = "question"
label = "Doubt"
shape = "question"

[[rule]]
id = "caps"
label = "Loud"
shape = "all_caps"
"#,
    );
    t
}

struct Corpus {
    sentences: Vec<(SentenceKind, String, u64)>,
    /// Article boundaries (sentence index ranges), ~40 sentences per article.
    articles: Vec<(usize, usize)>,
    bytes: usize,
}

fn load(target_mb: usize) -> (Corpus, Vec<String>) {
    let base = corpus();
    let vocab = vocabulary(&base);
    let mut sentences = Vec::new();
    let mut bytes = 0;
    while bytes < target_mb * 1_000_000 {
        for (k, s, o) in split(&base) {
            bytes += s.len();
            sentences.push((k, s.to_owned(), o));
        }
    }
    let articles = (0..sentences.len())
        .step_by(40)
        .map(|a| (a, (a + 40).min(sentences.len())))
        .collect();
    (
        Corpus {
            sentences,
            articles,
            bytes,
        },
        vocab,
    )
}

/// CPU time of this thread in seconds (Linux schedstat), to be robust to a busy machine.
fn thread_cpu() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = s.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

/// Best of 3 passes: MB/s of sentence text per CPU-second, and the number of rows.
fn run(m: &Matcher, c: &Corpus) -> (f64, usize) {
    let mut best = (0.0f64, 0);
    for _ in 0..3 {
        let r = run_once(m, c);
        if r.0 > best.0 {
            best = r;
        }
    }
    best
}

/// MB/s of sentence text per CPU-second (wall time when schedstat is missing).
fn run_once(m: &Matcher, c: &Corpus) -> (f64, usize) {
    let ids: Vec<String> = (0..c.sentences.len()).map(|i| format!("a:{i}")).collect();
    let t = Instant::now();
    let cpu = thread_cpu();
    let mut rows = 0;
    for &(a, b) in &c.articles {
        let sents: Vec<ArticleSentence<'_>> = (a..b)
            .map(|i| ArticleSentence {
                sentence_id: &ids[i],
                kind: c.sentences[i].0,
                text: &c.sentences[i].1,
                start: c.sentences[i].2,
            })
            .collect();
        rows += m.match_article(&sents).len();
    }
    let secs = match (cpu, thread_cpu()) {
        (Some(a), Some(b)) => b - a,
        _ => t.elapsed().as_secs_f64(),
    };
    (c.bytes as f64 / 1e6 / secs, rows)
}

/// Parses and compiles; returns the matcher and the best wall time of 3 runs in ms.
fn compile(toml: &str) -> (Matcher, f64) {
    let sources = vec![RuleSource {
        path: Path::new("bench.toml").to_path_buf(),
        text: toml.to_owned(),
    }];
    let mut best = f64::MAX;
    let mut best_parse = f64::MAX;
    let mut matcher = None;
    for _ in 0..3 {
        let t = Instant::now();
        let set = parse(&sources, &|_: &Path| Ok(String::new()), None).expect("bench rules parse");
        best_parse = best_parse.min(t.elapsed().as_secs_f64() * 1000.0);
        let m = set.compile().expect("bench rules compile");
        best = best.min(t.elapsed().as_secs_f64() * 1000.0);
        matcher = Some(m);
    }
    println!("  (parse+validate {best_parse:.1} ms of {best:.1} ms)");
    (matcher.expect("compiled"), best)
}

#[test]
#[ignore = "measures speed; run in release with --ignored --nocapture"]
fn bench_throughput() {
    let mb = std::env::var("SENTLAB_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let (c, vocab) = load(mb);
    println!(
        "corpus: {:.1} MB of sentence text, {} sentences, {} articles",
        c.bytes as f64 / 1e6,
        c.sentences.len(),
        c.articles.len()
    );
    let pack = realistic_pack(&vocab);
    let (m, ms) = compile(&pack);
    let entries = m.lexicon_patterns();
    let (speed, rows) = run(&m, &c);
    println!(
        "realistic pack: {} rules, {} automaton patterns, compile {ms:.1} ms, {speed:.1} MB/s, {rows} rows",
        m.rule_count(),
        entries
    );
    let set = parse(
        &[RuleSource {
            path: "b.toml".into(),
            text: pack.clone(),
        }],
        &|_: &Path| Ok(String::new()),
        None,
    )
    .unwrap();
    {
        // The same pack without the rule on 150 frequent corpus words (most of the rows).
        let lean = set.subset(|r| r.id != "mid-vocab");
        let m = lean.compile().unwrap();
        let (speed, rows) = run(&m, &c);
        println!(
            "pack without `mid-vocab`: {} rules, {speed:.1} MB/s, {rows} rows",
            m.rule_count()
        );
    }
    if std::env::var_os("SENTLAB_BENCH_PER_RULE").is_some() {
        for r in set.rules() {
            let one = set.subset(|x| x.id == r.id).compile().unwrap();
            let (speed, rows) = run(&one, &c);
            println!("  rule {:<12} {speed:>8.1} MB/s, {rows} rows", r.id);
        }
    }
    if std::env::var_os("SENTLAB_BENCH_PACK_ONLY").is_some() {
        return;
    }
    for n in [10usize, 1_000, 10_000] {
        // 10 loaded words that do occur, plus pseudo-words that mostly do not.
        let mut words: Vec<String> = LOADED.iter().take(10).map(|s| (*s).to_owned()).collect();
        words.extend(pseudo_words(n.saturating_sub(10)));
        let toml = format!(
            "[[rule]]\nid = \"lex\"\nlabel = \"L\"\nlexicon = {{ words = {} }}\n",
            toml_list(&words)
        );
        let (m, ms) = compile(&toml);
        let (speed, rows) = run(&m, &c);
        println!(
            "lexicon {n:>6} entries (pseudo-words): compile {ms:.1} ms, {speed:.1} MB/s, {rows} rows"
        );
        // Real vocabulary entries (many matches).
        let real: Vec<String> = vocab.iter().skip(100).take(n).cloned().collect();
        let toml = format!(
            "[[rule]]\nid = \"lex\"\nlabel = \"L\"\nlexicon = {{ words = {} }}\n",
            toml_list(&real)
        );
        let (m, ms) = compile(&toml);
        let (speed, rows) = run(&m, &c);
        println!(
            "lexicon {:>6} entries (corpus vocab): compile {ms:.1} ms, {speed:.1} MB/s, {rows} rows",
            real.len()
        );
    }
}
