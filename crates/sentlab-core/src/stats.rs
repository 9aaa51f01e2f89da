//! The counts of `sentlab stats` (pure): sentences, tokens and their spreads over a sentence
//! table, label counts per annotator, and the mergeable partial result of `stats
//! --partial` that `sentlab combine` adds up over the shards of a corpus.
//!
//! Spreads are computed from histograms (value -> how many), so the median of several
//! shards is exact: the histograms of the shards add up to the histogram of the whole.
//!
//! A partial is one JSON object:
//!
//! ```text
//! {"sentlab_stats_partial": 1, "labels_option": null, "label_files": "9f86d0...",
//!  "articles": ["a1", "a2"],
//!  "sentences_per_article": [[3, 1], [5, 1]],
//!  "tokens_per_sentence": [[4, 2], [7, 6]],
//!  "labels": {"Doubt": {"ann1": 2}}, "annotators": {"ann1": {"labels": 2, "sentences": 2}},
//!  "label_rows": {"read": 9, "counted": 2, "skipped": {"unknown-sentence": 7}}}
//! ```
//!
//! Histograms are `[value, count]` pairs in value order. `articles` are the article ids of
//! the shard's sentence table, in the order of their bytes (two partials that share one are
//! refused). `label_files` identifies the bytes of the label files the shard counted (a
//! SHA-256), `null` without label files.
//!
//! Label rows: when every shard read the same label files (the usual way: each shard's
//! sentence table with the whole label files), a row of another shard's article is skipped
//! as `unknown-sentence` or `unknown-article` in that shard. The combination then counts the
//! files' rows once (`read`), adds up the counted rows and the rows skipped for a reason of
//! their own sentence or article, counts once the rows skipped before any sentence lookup
//! (`not-a-span`, `not-accepted`: the same in every shard), and the rows of no shard's
//! article are the rest, as one run over all the articles counts them. When each shard read
//! its own label files, every count adds up.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::labels::{self, Merged};
use crate::partial_format::PartialKind;
use crate::rows::SentenceRow;

/// The largest count a partial may hold (2^40): far above any corpus, and low enough that
/// no sum of the counts of any number of partials a machine can read overflows.
const MAX_COUNT: u64 = 1 << 40;

/// The version of the stats partial format this build writes and reads.
pub const STATS_PARTIAL_VERSION: u32 = 1;

/// The counts `stats` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// Distinct articles.
    pub articles: u64,
    /// Sentences (rows).
    pub sentences: u64,
    /// Whitespace-separated tokens over all sentences.
    pub tokens: u64,
    /// Sentences per article: min, mean, median, max.
    pub sentences_per_article: Spread,
    /// Tokens per sentence: min, mean, median, max.
    pub tokens_per_sentence: Spread,
    /// Label counts: label → annotator → rows (label files only).
    pub labels: BTreeMap<String, BTreeMap<String, u64>>,
    /// Per annotator: label rows and distinct labelled sentences.
    pub annotators: BTreeMap<String, AnnotatorStats>,
    /// Rows of the label files: read, counted and skipped by reason.
    pub label_rows: LabelRows,
}

/// Accounting of the label files' rows, as `labels merge` counts them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelRows {
    /// Rows read over all label files.
    pub read: u64,
    /// Rows counted (`read` minus the skipped ones).
    pub counted: u64,
    /// Rows not counted, by reason (`unknown-sentence`, `duplicate`, ...).
    pub skipped: BTreeMap<String, u64>,
}

/// Label rows of one annotator.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnotatorStats {
    /// Label rows.
    pub labels: u64,
    /// Distinct sentences with at least one label.
    pub sentences: u64,
}

/// Min, mean, median and max of a count.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Spread {
    /// Smallest.
    pub min: u64,
    /// Mean.
    pub mean: f64,
    /// Median (lower middle for an even count).
    pub median: u64,
    /// Largest.
    pub max: u64,
}

/// How many times each value occurs.
pub type Histogram = BTreeMap<u64, u64>;

impl Spread {
    /// The spread of the values a histogram counts (all zero when it is empty).
    pub fn of_histogram(h: &Histogram) -> Spread {
        let n: u64 = h.values().sum();
        if n == 0 {
            return Spread::default();
        }
        let sum: u64 = h.iter().map(|(v, c)| v * c).sum();
        // The lower middle value: the one at 0-based rank (n - 1) / 2 in sorted order.
        let rank = (n - 1) / 2;
        let mut seen = 0;
        let mut median = 0;
        for (v, c) in h {
            seen += c;
            if seen > rank {
                median = *v;
                break;
            }
        }
        Spread {
            min: *h.keys().next().expect("n > 0"),
            mean: sum as f64 / n as f64,
            median,
            max: *h.keys().next_back().expect("n > 0"),
        }
    }
}

/// The sentence-table part of the counts: the article ids and the two histograms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableCounts {
    /// Article ids, in the order of their bytes.
    pub articles: BTreeSet<String>,
    /// Sentences per article.
    pub sentences_per_article: Histogram,
    /// Tokens per sentence.
    pub tokens_per_sentence: Histogram,
}

impl TableCounts {
    /// The counts of a sentence table.
    pub fn of_rows(rows: &[SentenceRow]) -> TableCounts {
        let mut per_article: BTreeMap<&str, u64> = BTreeMap::new();
        let mut tokens = Histogram::new();
        for r in rows {
            *per_article.entry(&r.article_id).or_default() += 1;
            *tokens
                .entry(r.text.split_whitespace().count() as u64)
                .or_default() += 1;
        }
        let mut sentences = Histogram::new();
        for n in per_article.values() {
            *sentences.entry(*n).or_default() += 1;
        }
        TableCounts {
            articles: per_article.keys().map(|a| (*a).to_owned()).collect(),
            sentences_per_article: sentences,
            tokens_per_sentence: tokens,
        }
    }

    /// The stats of these counts (no label counts yet).
    pub fn stats(&self) -> Stats {
        Stats {
            articles: self.articles.len() as u64,
            sentences: self.tokens_per_sentence.values().sum(),
            tokens: self.tokens_per_sentence.iter().map(|(v, c)| v * c).sum(),
            sentences_per_article: Spread::of_histogram(&self.sentences_per_article),
            tokens_per_sentence: Spread::of_histogram(&self.tokens_per_sentence),
            labels: BTreeMap::new(),
            annotators: BTreeMap::new(),
            label_rows: LabelRows::default(),
        }
    }
}

/// Counts over a sentence table.
pub fn sentence_stats(rows: &[SentenceRow]) -> Stats {
    TableCounts::of_rows(rows).stats()
}

/// Adds the label counts of a merge of the label files (strategy any) to `stats`: per label
/// and annotator the sentences given the label, per annotator the labels and sentences,
/// and the row accounting (skipped rows are not counted).
pub fn add_label_counts(stats: &mut Stats, merged: &Merged, only: Option<&[String]>) {
    let counts = labels::label_counts_of(merged, |l| only.is_none_or(|o| o.iter().any(|x| x == l)));
    for (label, by) in &counts.by_label {
        for (annotator, n) in by {
            stats
                .annotators
                .entry(annotator.clone())
                .or_default()
                .labels += n;
        }
        stats.labels.insert(label.clone(), by.clone());
    }
    for (annotator, n) in counts.sentences {
        stats.annotators.entry(annotator).or_default().sentences = n;
    }
    let s = &merged.summary;
    stats.label_rows = LabelRows {
        read: s.rows_read,
        counted: s.rows_merged,
        skipped: s
            .skipped_by_reason()
            .into_iter()
            .map(|(k, n)| (k.to_string(), n))
            .collect(),
    };
}

/// Renders the stats for people.
pub fn render(s: &Stats) -> String {
    let mut out = String::new();
    let sp = |x: &Spread| {
        format!(
            "min {}, mean {:.1}, median {}, max {}",
            x.min, x.mean, x.median, x.max
        )
    };
    out += &format!("articles              {}\n", s.articles);
    out += &format!("sentences             {}\n", s.sentences);
    out += &format!("tokens                {}\n", s.tokens);
    out += &format!("sentences per article {}\n", sp(&s.sentences_per_article));
    out += &format!("tokens per sentence   {}\n", sp(&s.tokens_per_sentence));
    if !s.annotators.is_empty() {
        let names: Vec<&String> = s.annotators.keys().collect();
        let width = s.labels.keys().map(|l| l.len()).max().unwrap_or(5).max(5);
        out += &format!("\n{:width$}", "label");
        for n in &names {
            out += &format!("  {n:>8}");
        }
        out += "\n";
        for (label, by) in &s.labels {
            out += &format!("{label:width$}");
            for n in &names {
                out += &format!("  {:>8}", by.get(*n).copied().unwrap_or(0));
            }
            out += "\n";
        }
        out += &format!("{:width$}", "(sentences labelled)");
        for n in &names {
            out += &format!("  {:>8}", s.annotators[*n].sentences);
        }
        out += "\n";
    }
    out
}

/// The sufficient statistics of one `stats` run, for `sentlab combine`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsPartial {
    /// The format version ([`STATS_PARTIAL_VERSION`]).
    pub sentlab_stats_partial: u32,
    /// The `--labels` list as given, if any.
    pub labels_option: Option<String>,
    /// SHA-256 of the label files' bytes (`null` without label files).
    pub label_files: Option<String>,
    /// Article ids of the sentence table, in the order of their bytes.
    pub articles: Vec<String>,
    /// `[sentences, articles with that many]`, by sentences.
    pub sentences_per_article: Vec<[u64; 2]>,
    /// `[tokens, sentences with that many]`, by tokens.
    pub tokens_per_sentence: Vec<[u64; 2]>,
    /// Label → annotator → rows.
    pub labels: BTreeMap<String, BTreeMap<String, u64>>,
    /// Per annotator: label rows and distinct labelled sentences.
    pub annotators: BTreeMap<String, AnnotatorStats>,
    /// Rows of the label files.
    pub label_rows: LabelRows,
}

/// Skip reasons decided before a row's sentence or article is looked up: the same in every
/// shard that reads the same files.
const SHARD_INDEPENDENT: [&str; 2] = ["not-a-span", "not-accepted"];
/// Skip reasons of a row whose sentence or article is not in the shard's table.
const OUTSIDE: [&str; 2] = ["unknown-sentence", "unknown-article"];

fn pairs(h: &Histogram) -> Vec<[u64; 2]> {
    h.iter().map(|(v, c)| [*v, *c]).collect()
}

impl StatsPartial {
    /// The partial of a run: the sentence table's counts, the stats with their label counts
    /// (from [`add_label_counts`]), the `--labels` list and the label files' hash.
    pub fn new(
        table: &TableCounts,
        stats: &Stats,
        labels_option: Option<&str>,
        label_files: Option<String>,
    ) -> StatsPartial {
        StatsPartial {
            sentlab_stats_partial: STATS_PARTIAL_VERSION,
            labels_option: labels_option.map(str::to_owned),
            label_files,
            articles: table.articles.iter().cloned().collect(),
            sentences_per_article: pairs(&table.sentences_per_article),
            tokens_per_sentence: pairs(&table.tokens_per_sentence),
            labels: stats.labels.clone(),
            annotators: stats.annotators.clone(),
            label_rows: stats.label_rows.clone(),
        }
    }

    /// The partial as JSON (one line).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a partial serialises") + "\n"
    }

    /// Reads a partial written by [`StatsPartial::to_json`]; `name` names it in errors.
    pub fn from_json(name: &str, text: &str) -> Result<StatsPartial, String> {
        PartialKind::Stats.check_version(name, text, STATS_PARTIAL_VERSION)?;
        let p: StatsPartial = serde_json::from_str(text)
            .map_err(|e| format!("{name}: {}: {e}", PartialKind::Stats.not_one()))?;
        let histograms = [
            ("sentences_per_article", &p.sentences_per_article),
            ("tokens_per_sentence", &p.tokens_per_sentence),
        ];
        for (field, h) in histograms {
            if h.windows(2).any(|w| w[0][0] >= w[1][0]) {
                return Err(format!(
                    "{name}: `{field}`: expected [value, count] pairs in increasing value order"
                ));
            }
            if let Some([v, c]) = h
                .iter()
                .find(|[v, c]| *c == 0 || *v > MAX_COUNT || *c > MAX_COUNT)
            {
                return Err(format!(
                    "{name}: `{field}`: pair [{v}, {c}]: expected a count from 1 to {MAX_COUNT}"
                ));
            }
        }
        if p.articles
            .windows(2)
            .any(|w| w[0].as_bytes() >= w[1].as_bytes())
        {
            return Err(format!(
                "{name}: `articles`: expected article ids in increasing byte order, each once"
            ));
        }
        let counts = p
            .labels
            .values()
            .flat_map(|by| by.values())
            .chain(
                p.annotators
                    .values()
                    .flat_map(|a| [&a.labels, &a.sentences]),
            )
            .chain([&p.label_rows.read, &p.label_rows.counted])
            .chain(p.label_rows.skipped.values());
        if let Some(n) = counts.copied().find(|&n| n > MAX_COUNT) {
            return Err(format!(
                "{name}: count {n}: expected at most {MAX_COUNT} (no corpus has more)"
            ));
        }
        Ok(p)
    }
}

fn histogram(pairs: &[[u64; 2]], into: &mut Histogram) {
    for [v, c] in pairs {
        *into.entry(*v).or_default() += c;
    }
}

/// Combines stats partials (`(name, partial)`, the names for messages) into the stats one
/// run over all their articles gives. Refused: partials that differ in `--labels`, that
/// share an article, or of which some read label files and some not.
pub fn combine_stats(parts: &[(String, StatsPartial)]) -> Result<Stats, String> {
    let Some((first_name, first)) = parts.first() else {
        return Err("no partial to combine".to_owned());
    };
    for (name, p) in &parts[1..] {
        if p.labels_option != first.labels_option {
            let show = |o: &Option<String>| o.clone().unwrap_or_else(|| "every label".into());
            return Err(format!(
                "{first_name} and {name} differ in `labels_option` ({} and {}): give both runs the same --labels",
                show(&first.labels_option),
                show(&p.labels_option)
            ));
        }
        if p.label_files.is_some() != first.label_files.is_some() {
            return Err(format!(
                "{first_name} and {name} differ in `label_files` (one counted label files, the other none): give every shard the label files"
            ));
        }
    }
    // Every shard read the same label files (the same bytes), or each its own: then every
    // count adds up (files of shards without labels may well have the same bytes).
    let hashes: BTreeSet<Option<&str>> = parts
        .iter()
        .map(|(_, p)| p.label_files.as_deref())
        .collect();
    let shared_files = hashes.len() == 1 && first.label_files.is_some() && parts.len() > 1;
    let mut table = TableCounts::default();
    let mut owner: BTreeMap<&str, &str> = BTreeMap::new();
    let mut stats_labels: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    let mut annotators: BTreeMap<String, AnnotatorStats> = BTreeMap::new();
    let mut rows = LabelRows::default();
    for (name, p) in parts {
        for a in &p.articles {
            if let Some(other) = owner.insert(a, name) {
                return Err(format!(
                    "{other} and {name} both hold article `{a}`: each article must be in one partial only (shards of one corpus)"
                ));
            }
            table.articles.insert(a.clone());
        }
        histogram(&p.sentences_per_article, &mut table.sentences_per_article);
        histogram(&p.tokens_per_sentence, &mut table.tokens_per_sentence);
        for (label, by) in &p.labels {
            let into = stats_labels.entry(label.clone()).or_default();
            for (annotator, n) in by {
                *into.entry(annotator.clone()).or_default() += n;
            }
        }
        for (annotator, a) in &p.annotators {
            let into = annotators.entry(annotator.clone()).or_default();
            into.labels += a.labels;
            into.sentences += a.sentences;
        }
        rows.counted += p.label_rows.counted;
        for (reason, n) in &p.label_rows.skipped {
            let once = shared_files && SHARD_INDEPENDENT.contains(&reason.as_str());
            let outside = shared_files && OUTSIDE.contains(&reason.as_str());
            if !once && !outside {
                *rows.skipped.entry(reason.clone()).or_default() += n;
            }
        }
        if !shared_files {
            rows.read += p.label_rows.read;
        }
    }
    if shared_files {
        for (name, p) in &parts[1..] {
            if p.label_rows.read != first.label_rows.read {
                return Err(format!(
                    "{first_name} and {name} read the same label files but count {} and {} rows in them: they were written by different versions",
                    first.label_rows.read, p.label_rows.read
                ));
            }
        }
        rows.read = first.label_rows.read;
        for reason in SHARD_INDEPENDENT {
            if let Some(n) = first.label_rows.skipped.get(reason) {
                rows.skipped.insert(reason.to_owned(), *n);
            }
        }
        // Rows of no shard's article: every row read minus those some shard accounted for.
        let accounted: u64 = rows.counted + rows.skipped.values().sum::<u64>();
        let outside = rows.read.checked_sub(accounted).ok_or_else(|| {
            format!(
                "{first_name}: the shards account for {accounted} label rows, more than the {} the files hold: were the shards' sentence tables overlapping?",
                rows.read
            )
        })?;
        if outside > 0 {
            // One run names the reason its files give: a span file's unknown article, a
            // label table's unknown sentence.
            let reason = OUTSIDE
                .iter()
                .find(|r| {
                    parts
                        .iter()
                        .any(|(_, p)| p.label_rows.skipped.contains_key(**r))
                })
                .copied()
                .unwrap_or(OUTSIDE[0]);
            rows.skipped.insert(reason.to_owned(), outside);
        }
    }
    let mut stats = table.stats();
    stats.labels = stats_labels;
    stats.annotators = annotators;
    stats.label_rows = rows;
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rows::SentenceKind;

    fn row(article: &str, i: u32, text: &str) -> SentenceRow {
        SentenceRow {
            article_id: article.into(),
            sentence_id: format!("{article}:{i}"),
            index: i,
            paragraph: 0,
            kind: SentenceKind::Body,
            start: 0,
            end: 0,
            text: text.into(),
        }
    }

    #[test]
    fn counts_checked_by_hand() {
        let rows = vec![
            row("a", 0, "One two three."),
            row("a", 1, "Four"),
            row("b", 0, "x y"),
        ];
        let s = sentence_stats(&rows);
        assert_eq!((s.articles, s.sentences, s.tokens), (2, 3, 6));
        assert_eq!(
            s.sentences_per_article,
            Spread {
                min: 1,
                mean: 1.5,
                median: 1,
                max: 2
            }
        );
        assert_eq!(
            s.tokens_per_sentence,
            Spread {
                min: 1,
                mean: 2.0,
                median: 2,
                max: 3
            }
        );
    }

    #[test]
    fn the_median_of_a_histogram_is_the_lower_middle_value() {
        // Values 1, 1, 4, 9 (sorted): lower middle is the 2nd, 1. Then 1, 4, 4, 9, 9: 4.
        let h: Histogram = [(9, 1), (1, 2), (4, 1)].into_iter().collect();
        let s = Spread::of_histogram(&h);
        assert_eq!((s.min, s.median, s.max), (1, 1, 9));
        assert_eq!(s.mean, 15.0 / 4.0);
        let h: Histogram = [(1, 1), (4, 2), (9, 2)].into_iter().collect();
        assert_eq!(Spread::of_histogram(&h).median, 4);
        assert_eq!(Spread::of_histogram(&Histogram::new()), Spread::default());
    }

    #[test]
    fn shards_combine_to_the_stats_of_one_run() {
        // Articles a (3 sentences: 1, 2, 5 tokens), b (1 sentence: 2 tokens),
        // c (2 sentences: 4, 4 tokens). One run: sentences per article 1, 2, 3: median 2;
        // tokens 1, 2, 2, 4, 4, 5: median (lower middle, 3rd) 2, mean 18 / 6 = 3.
        // Shard medians: {a, b}: sentences 1, 3 -> 1; {c}: 2. Averaging them is wrong (1.5).
        let a = [
            row("a", 0, "x"),
            row("a", 1, "x y"),
            row("a", 2, "x y z w v"),
        ];
        let b = [row("b", 0, "x y")];
        let c = [row("c", 0, "x y z w"), row("c", 1, "x y z w")];
        let whole: Vec<SentenceRow> = a.iter().chain(&b).chain(&c).cloned().collect();
        let one = sentence_stats(&whole);
        assert_eq!(one.sentences_per_article.median, 2);
        assert_eq!(one.tokens_per_sentence.median, 2);
        assert_eq!(one.tokens_per_sentence.mean, 3.0);
        let part = |rows: Vec<SentenceRow>| {
            let t = TableCounts::of_rows(&rows);
            let p = StatsPartial::new(&t, &t.stats(), None, None);
            StatsPartial::from_json("x", &p.to_json()).unwrap()
        };
        let ab: Vec<SentenceRow> = a.iter().chain(&b).cloned().collect();
        let parts = vec![
            ("c.json".to_owned(), part(c.to_vec())),
            ("ab.json".to_owned(), part(ab)),
        ];
        assert_eq!(combine_stats(&parts).unwrap(), one);
        let twice = vec![parts[1].clone(), parts[1].clone()];
        assert_eq!(
            combine_stats(&twice).unwrap_err(),
            "ab.json and ab.json both hold article `a`: each article must be in one partial only (shards of one corpus)"
        );
    }

    #[test]
    fn label_rows_of_shards_reading_the_same_files_count_each_row_once() {
        // A label file of 10 rows over articles a (shard 1) and b (shard 2) and a missing
        // article z: shard 1 counts 4, 1 duplicate, 1 not-accepted (decided before the
        // lookup), and skips 4 as unknown (b's 3 and z's 1); shard 2 counts 3, 1
        // not-accepted, 6 unknown (a's 5 and z's 1). One run: 7 counted, 1 duplicate,
        // 1 not-accepted, 1 unknown (z's).
        let t = TableCounts::default();
        let mk = |counted, skipped: &[(&str, u64)], article: &str| {
            let mut s = t.stats();
            s.label_rows = LabelRows {
                read: 10,
                counted,
                skipped: skipped.iter().map(|(k, n)| ((*k).to_owned(), *n)).collect(),
            };
            let mut p = StatsPartial::new(&t, &s, None, Some("h".into()));
            p.articles = vec![article.to_owned()];
            p
        };
        let parts = vec![
            (
                "1.json".to_owned(),
                mk(
                    4,
                    &[
                        ("duplicate", 1),
                        ("not-accepted", 1),
                        ("unknown-article", 4),
                    ],
                    "a",
                ),
            ),
            (
                "2.json".to_owned(),
                mk(3, &[("not-accepted", 1), ("unknown-article", 6)], "b"),
            ),
        ];
        let s = combine_stats(&parts).unwrap();
        let want: BTreeMap<String, u64> = [
            ("duplicate".to_owned(), 1),
            ("not-accepted".to_owned(), 1),
            ("unknown-article".to_owned(), 1),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            s.label_rows,
            LabelRows {
                read: 10,
                counted: 7,
                skipped: want
            }
        );
        // Each shard its own files: everything adds up.
        let mut own = parts.clone();
        own[1].1.label_files = Some("other".into());
        let s = combine_stats(&own).unwrap();
        assert_eq!((s.label_rows.read, s.label_rows.counted), (20, 7));
        assert_eq!(s.label_rows.skipped["unknown-article"], 10);
        // Files of their own that happen to have the same bytes (say, two shards' header-only
        // files) next to another: each its own, everything adds up (this was refused).
        let mut third = parts[0].1.clone();
        third.articles = vec!["c".into()];
        third.label_files = Some("other".into());
        let mut three = own.clone();
        three.push(("3.json".to_owned(), third));
        let s = combine_stats(&three).unwrap();
        assert_eq!((s.label_rows.read, s.label_rows.counted), (30, 11));
    }

    #[test]
    fn partials_no_run_writes_are_refused() {
        let t = TableCounts::of_rows(&[row("a", 0, "x y"), row("b", 0, "x")]);
        let good = StatsPartial::new(&t, &t.stats(), None, None).to_json();
        assert!(
            good.contains(r#""tokens_per_sentence":[[1,1],[2,1]]"#),
            "{good}"
        );
        let err = |text: &str| StatsPartial::from_json("s.json", text).unwrap_err();
        assert_eq!(
            err(&good.replace("[[1,1],[2,1]]", "[[1,1],[2,0]]")),
            "s.json: `tokens_per_sentence`: pair [2, 0]: expected a count from 1 to 1099511627776"
        );
        assert_eq!(
            err(&good.replace("[[1,1],[2,1]]", "[[1,1],[2,18446744073709551615]]")),
            "s.json: `tokens_per_sentence`: pair [2, 18446744073709551615]: expected a count from 1 to 1099511627776"
        );
        assert_eq!(
            err(&good.replace(r#""articles":["a","b"]"#, r#""articles":["b","a"]"#)),
            "s.json: `articles`: expected article ids in increasing byte order, each once"
        );
        assert_eq!(
            err(&good.replace(r#""read":0"#, r#""read":1099511627777"#)),
            "s.json: count 1099511627777: expected at most 1099511627776 (no corpus has more)"
        );
    }
}
