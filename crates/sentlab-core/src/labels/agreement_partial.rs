//! Mergeable partial results of an agreement report: what `labels merge --partial` writes
//! for one shard of a corpus, and [`combine_agreement`] turns into the report one merge over
//! all the shards' articles gives, bootstrap intervals included (same seed, same
//! intervals).
//!
//! Kappas and alphas cannot be averaged, so a partial holds, per resampling unit (a
//! sentence seen by at least one voting annotator), what the report and its bootstrap are
//! computed from: who saw the sentence, and per label who said yes. Every figure of the
//! report is a sum over these units (see [`agreement_ci`](super::agreement_ci)), and the
//! bootstrap draws the units in the byte order of their ids, so the combined units give
//! the very draws of one run.
//!
//! A partial is one JSON object (indexes are 0-based into the lists of the same partial):
//!
//! ```text
//! {"sentlab_agreement_partial": 1, "unit": "sentence",
//!  "schema": null,
//!  "annotators": ["ann1", "ann2"], "labels": ["Doubt", "Loaded_Language"],
//!  "labels_used": ["Doubt", "Loaded_Language"], "articles": ["a1", "a2"],
//!  "seen_by": [[0, 1], [1]],
//!  "units": [{"id": "a1:0", "seen_by": 0, "yes": [[1, [0, 1]]]},
//!            {"id": "a2:0", "seen_by": 1}]}
//! ```
//!
//! * `schema`: `null`, or the `--schema` labels with their aliases (`{"name": [aliases]}`),
//!   which decide the labels and how the files' labels read: partials must agree on it.
//! * `labels`: the labels of the report (the files' labels, or the schema's);
//!   `labels_used`: those a voting annotator used (the `overall` row pools them).
//! * `articles`: the articles of the units; two partials may not share one.
//! * `seen_by`: the sets of annotators who saw a unit; `units`, in the byte order of their
//!   ids: the unit's set, and per label with a "yes" the annotators who said it.
//!
//! Annotators may differ between partials: an annotator absent from a partial saw none of
//! its sentences, which is how one merge counts an annotator without rows in those
//! articles (their items and pairs are only the sentences they saw).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::agreement::{AgreementReport, agreement_of};
use super::agreement_ci::{AgreementBootstrap, bootstrap_votes};
use super::import::SentenceIndex;
use super::merge::{Group, Merged, VoteTable};
use super::schema::Schema;
use crate::partial_format::PartialKind;

/// The largest count a partial may hold (2^40): far above any corpus, and low enough that
/// no sum over any number of partials a machine can read overflows.
const MAX_COUNT: u64 = 1 << 40;

/// The version of the agreement partial format this build writes and reads.
pub const AGREEMENT_PARTIAL_VERSION: u32 = 1;

/// One resampling unit: a sentence, who saw it and who said yes to which label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartialUnit {
    /// The sentence id.
    pub id: String,
    /// Index into [`AgreementPartial::seen_by`].
    pub seen_by: u32,
    /// `(label, annotators who said yes)`, labels ascending; absent when nobody did.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub yes: Vec<(u32, Vec<u32>)>,
    /// With unit `article`: the sentence's article, an index into
    /// [`AgreementPartial::articles`] (absent with unit `sentence`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<u32>,
}

/// The sufficient statistics of the agreement report of one shard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgreementPartial {
    /// The format version ([`AGREEMENT_PARTIAL_VERSION`]).
    pub sentlab_agreement_partial: u32,
    /// What a unit is: `sentence`.
    pub unit: String,
    /// The schema's labels and their aliases, when the merge had one.
    pub schema: Option<BTreeMap<String, Vec<String>>>,
    /// The voting annotators, sorted.
    pub annotators: Vec<String>,
    /// The labels of the report, sorted.
    pub labels: Vec<String>,
    /// The labels a voting annotator used, sorted.
    pub labels_used: Vec<String>,
    /// The articles of the units, sorted by bytes.
    pub articles: Vec<String>,
    /// Sets of annotators (ascending indexes) who saw a unit.
    pub seen_by: Vec<Vec<u32>>,
    /// The units, in the byte order of their ids.
    pub units: Vec<PartialUnit>,
    /// When every annotator file held spans: the span F1 counts of every annotator pair
    /// on the articles both covered (`null` otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span_f1: Option<Vec<PartialSpanPair>>,
}

/// The span F1 counts of one annotator pair in one partial.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartialSpanPair {
    /// First annotator (by name).
    pub a: String,
    /// Second annotator.
    pub b: String,
    /// Articles both covered.
    pub articles: u64,
    /// Per label (by name): `[spans of a, spans of b, exact matches, overlap matches]`.
    pub labels: BTreeMap<String, [u64; 4]>,
}

/// What partials of one agreement report must agree on, as a partial holds it.
pub fn schema_key(schema: Option<&Schema>) -> Option<BTreeMap<String, Vec<String>>> {
    schema.map(|s| {
        s.labels
            .iter()
            .map(|d| {
                let mut aliases = d.aliases.clone();
                aliases.sort_unstable();
                (d.name.clone(), aliases)
            })
            .collect()
    })
}

impl AgreementPartial {
    /// The partial of a merge (`index`: its sentence table; `schema`: its schema, if any;
    /// `by_article`: span inputs, whose agreement is resampled by article: each unit then
    /// names its article).
    pub fn of_merge(
        merged: &Merged,
        index: &SentenceIndex,
        schema: Option<&Schema>,
        by_article: bool,
    ) -> AgreementPartial {
        let t = &merged.votes;
        let na = t.annotators.len();
        // The groups of each sentence (groups are sorted by sentence, then label).
        let mut groups_of: HashMap<u32, (usize, usize)> = HashMap::new();
        for (i, g) in t.groups.iter().enumerate() {
            groups_of
                .entry(g.sentence)
                .and_modify(|r| r.1 = i + 1)
                .or_insert((i, i + 1));
        }
        let mut order: Vec<u32> = (0..t.seen.len() as u32)
            .filter(|&s| t.seen[s as usize] > 0)
            .collect();
        order.sort_unstable_by(|&a, &b| {
            index
                .sentence_id(a)
                .as_bytes()
                .cmp(index.sentence_id(b).as_bytes())
        });
        let mut set_ids: HashMap<Vec<u32>, u32> = HashMap::new();
        let mut seen_by: Vec<Vec<u32>> = Vec::new();
        let mut articles: BTreeSet<&str> = BTreeSet::new();
        let units = order
            .into_iter()
            .map(|s| {
                let who: Vec<u32> = (0..na).filter(|&a| t.saw(a, s)).map(|a| a as u32).collect();
                let next = seen_by.len() as u32;
                let set = *set_ids.entry(who).or_insert_with_key(|who| {
                    seen_by.push(who.clone());
                    next
                });
                articles.insert(index.article_id(index.article_of(s)));
                let yes = groups_of.get(&s).map_or_else(Vec::new, |&(from, to)| {
                    t.groups[from..to]
                        .iter()
                        .map(|g| {
                            let voters = &t.voters[g.start as usize..(g.start + g.len) as usize];
                            (g.label, voters.to_vec())
                        })
                        .collect()
                });
                PartialUnit {
                    id: index.sentence_id(s).to_owned(),
                    seen_by: set,
                    yes,
                    // The article's id for now; its index once all are known (below).
                    article: by_article.then_some(index.article_of(s)),
                }
            })
            .collect();
        let articles: Vec<String> = articles.into_iter().map(str::to_owned).collect();
        let mut units: Vec<PartialUnit> = units;
        for u in &mut units {
            if let Some(a) = u.article {
                let id = index.article_id(a);
                u.article = Some(
                    articles
                        .binary_search_by(|x| x.as_str().cmp(id))
                        .expect("the article of a unit") as u32,
                );
            }
        }
        AgreementPartial {
            sentlab_agreement_partial: AGREEMENT_PARTIAL_VERSION,
            unit: if by_article { "article" } else { "sentence" }.to_owned(),
            schema: schema_key(schema),
            annotators: t.annotators.clone(),
            labels: t.labels.clone(),
            labels_used: t
                .labels
                .iter()
                .zip(&t.label_used)
                .filter(|(_, u)| **u)
                .map(|(l, _)| l.clone())
                .collect(),
            articles,
            seen_by,
            units,
            span_f1: None,
        }
    }

    /// With `spans_only` (every annotator file held spans), the span F1 counts of the
    /// merge's report (`span_f1`: `None` with fewer than two annotators).
    pub fn with_span_f1(
        mut self,
        spans_only: bool,
        span_f1: Option<&[super::PairSpanF1]>,
    ) -> AgreementPartial {
        self.span_f1 = spans_only.then(|| {
            span_f1
                .unwrap_or_default()
                .iter()
                .map(|p| PartialSpanPair {
                    a: p.a.clone(),
                    b: p.b.clone(),
                    articles: p.articles,
                    labels: p
                        .labels
                        .iter()
                        .filter(|l| l.label != "overall")
                        .map(|l| {
                            let c = [l.spans_a, l.spans_b, l.exact_matches, l.overlap_matches];
                            (l.label.clone(), c)
                        })
                        .collect(),
                })
                .collect()
        });
        self
    }

    /// The partial as JSON (one line).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a partial serialises") + "\n"
    }

    /// Reads the partials `(name, text)` to combine: partials whose format versions differ
    /// are refused naming both files and versions, then each is read by
    /// [`AgreementPartial::from_json`].
    pub fn read_all(texts: &[(String, String)]) -> Result<Vec<(String, AgreementPartial)>, String> {
        let mut first: Option<(&str, u64)> = None;
        for (name, text) in texts {
            let Ok(Some(v)) = PartialKind::Agreement.version_of(text) else {
                continue;
            };
            match first {
                None => first = Some((name, v)),
                Some((first_name, w)) if w != v => {
                    return Err(format!(
                        "{first_name} and {name} differ in `sentlab_agreement_partial` (format versions {w} and {v}): this sentlab reads version {AGREEMENT_PARTIAL_VERSION} (write the partials again with this version)"
                    ));
                }
                Some(_) => {}
            }
        }
        texts
            .iter()
            .map(|(name, text)| AgreementPartial::from_json(name, text).map(|p| (name.clone(), p)))
            .collect()
    }

    /// Reads a partial written by [`AgreementPartial::to_json`]; `name` names it in errors.
    pub fn from_json(name: &str, text: &str) -> Result<AgreementPartial, String> {
        let what = PartialKind::Agreement.not_one();
        PartialKind::Agreement.check_version(name, text, AGREEMENT_PARTIAL_VERSION)?;
        let p: AgreementPartial =
            serde_json::from_str(text).map_err(|e| format!("{name}: {what}: {e}"))?;
        p.check().map_err(|e| format!("{name}: {e}"))?;
        Ok(p)
    }

    /// The invariants [`AgreementPartial::of_merge`] gives, which [`combine_agreement`]
    /// relies on.
    fn check(&self) -> Result<(), String> {
        if self.unit != "sentence" && self.unit != "article" {
            return Err(format!(
                "unit `{}`: expected sentence or article (the units the bootstrap draws)",
                self.unit
            ));
        }
        let n_articles = self.articles.len() as u32;
        if let Some(u) = self
            .units
            .iter()
            .find(|u| match (self.unit.as_str(), u.article) {
                ("article", Some(a)) => a >= n_articles,
                ("article", None) => true,
                (_, article) => article.is_some(),
            })
        {
            return Err(format!(
                "unit `{}`: with unit `{}`, expected {}",
                u.id,
                self.unit,
                if self.unit == "article" {
                    format!("`article`, an index below {n_articles}")
                } else {
                    "no `article`".to_owned()
                }
            ));
        }
        if self.span_f1.is_some() && self.unit != "article" {
            return Err("`span_f1` with unit `sentence`: span F1 is of span inputs, whose unit is the article".to_owned());
        }
        let mut last_pair: Option<(&str, &str)> = None;
        for p in self.span_f1.iter().flatten() {
            let known = |n: &str| {
                self.annotators
                    .binary_search_by(|x| x.as_str().cmp(n))
                    .is_ok()
            };
            let pair = (p.a.as_str(), p.b.as_str());
            if !(known(pair.0) && known(pair.1) && pair.0 < pair.1)
                || last_pair.is_some_and(|l| l >= pair)
            {
                return Err(format!(
                    "`span_f1` pair `{}`/`{}`: expected two annotators of `annotators`, in name order, pairs in order and each once",
                    p.a, p.b
                ));
            }
            last_pair = Some(pair);
            for (label, c) in &p.labels {
                if c.iter().any(|&x| x > MAX_COUNT)
                    || c[2] > c[0].min(c[1])
                    || c[3] > c[0].min(c[1])
                {
                    return Err(format!(
                        "`span_f1` pair `{}`/`{}`, label `{label}`: {c:?}: expected [spans of a, spans of b, exact matches, overlap matches], matches at most the spans of each, counts at most {MAX_COUNT}",
                        p.a, p.b
                    ));
                }
            }
            if p.articles > MAX_COUNT {
                return Err(format!(
                    "`span_f1` pair `{}`/`{}`: {} articles: expected at most {MAX_COUNT}",
                    p.a, p.b, p.articles
                ));
            }
        }
        let increasing = |v: &[String]| v.windows(2).all(|w| w[0].as_bytes() < w[1].as_bytes());
        for (field, list) in [
            ("annotators", &self.annotators),
            ("labels", &self.labels),
            ("labels_used", &self.labels_used),
            ("articles", &self.articles),
        ] {
            if !increasing(list) {
                return Err(format!("`{field}` not sorted or with a repeated name"));
            }
        }
        if let Some(l) = self
            .labels_used
            .iter()
            .find(|l| self.labels.binary_search(l).is_err())
        {
            return Err(format!("`labels_used` names `{l}`, not in `labels`"));
        }
        let na = self.annotators.len() as u32;
        let ascending = |v: &[u32], below: u32| {
            v.windows(2).all(|w| w[0] < w[1]) && v.last().is_none_or(|&x| x < below)
        };
        for (i, set) in self.seen_by.iter().enumerate() {
            if set.is_empty() || !ascending(set, na) {
                return Err(format!(
                    "`seen_by` {i}: expected ascending annotator indexes below {na}"
                ));
            }
        }
        let mut last: Option<&str> = None;
        for u in &self.units {
            if last.is_some_and(|l| l.as_bytes() >= u.id.as_bytes()) {
                return Err(format!(
                    "unit `{}`: units not in the byte order of their ids, or repeated",
                    u.id
                ));
            }
            last = Some(&u.id);
            let Some(set) = self.seen_by.get(u.seen_by as usize) else {
                return Err(format!(
                    "unit `{}`: `seen_by` {} of {}",
                    u.id,
                    u.seen_by,
                    self.seen_by.len()
                ));
            };
            let labels: Vec<u32> = u.yes.iter().map(|(l, _)| *l).collect();
            if !ascending(&labels, self.labels.len() as u32) {
                return Err(format!(
                    "unit `{}`: expected ascending label indexes below {}",
                    u.id,
                    self.labels.len()
                ));
            }
            for (_, voters) in &u.yes {
                if voters.is_empty()
                    || !ascending(voters, na)
                    || voters.iter().any(|v| set.binary_search(v).is_err())
                {
                    return Err(format!(
                        "unit `{}`: a label's yes voters must be ascending annotators who saw the sentence",
                        u.id
                    ));
                }
            }
        }
        Ok(())
    }
}

/// How two different schemas of partials differ, in words.
fn schema_difference(
    a: Option<&BTreeMap<String, Vec<String>>>,
    b: Option<&BTreeMap<String, Vec<String>>>,
) -> String {
    match (a, b) {
        (None, Some(b)) => format!("no schema and a schema of {} labels", b.len()),
        (Some(a), None) => format!("a schema of {} labels and no schema", a.len()),
        (Some(a), Some(b)) => {
            let names: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            let name = names
                .into_iter()
                .find(|n| a.get(*n) != b.get(*n))
                .expect("different schemas differ in a label");
            if a.contains_key(name) && b.contains_key(name) {
                format!("the aliases of `{name}` differ")
            } else {
                format!("label `{name}` is in one schema only")
            }
        }
        (None, None) => unreachable!("equal schemas"),
    }
}

/// A pair's articles both covered, and per label its span counts.
type PairSums<'a> = (u64, BTreeMap<&'a str, [u64; 4]>);

/// The span F1 between annotators of one merge over all the partials: when every partial
/// has span F1 counts (every annotator file of every shard held spans) and there are two
/// annotators or more, every pair of `annotators` (sorted) with its counts added up over
/// the partials (a pair absent from a partial shared no article there).
fn combine_span_f1(
    parts: &[(String, AgreementPartial)],
    annotators: &[String],
) -> Option<Vec<super::PairSpanF1>> {
    if annotators.len() < 2 || parts.iter().any(|(_, p)| p.span_f1.is_none()) {
        return None;
    }
    let mut sums: BTreeMap<(&str, &str), PairSums> = BTreeMap::new();
    for pair in parts.iter().flat_map(|(_, p)| p.span_f1.iter().flatten()) {
        let (articles, per) = sums.entry((&pair.a, &pair.b)).or_default();
        *articles += pair.articles;
        for (label, c) in &pair.labels {
            let into = per.entry(label).or_default();
            for (t, x) in into.iter_mut().zip(c) {
                *t += x;
            }
        }
    }
    let mut out = Vec::new();
    for (i, a) in annotators.iter().enumerate() {
        for b in &annotators[i + 1..] {
            let (articles, per) = sums.remove(&(a.as_str(), b.as_str())).unwrap_or_default();
            out.push(super::span_agreement::pair_row(a, b, articles, &per));
        }
    }
    Some(out)
}

/// Several agreement partials combined.
#[derive(Debug, Clone)]
pub struct CombinedAgreement {
    /// The agreement report one merge over all the partials' sentences gives.
    pub report: AgreementReport,
    /// Units (sentences seen) in all the partials.
    pub units: usize,
    /// Articles in all the partials.
    pub articles: usize,
}

/// Combines agreement partials (`(name, partial)`, the names for messages) into the report
/// of one merge over all their units, with `bootstrap` intervals when given. Refused (both
/// files and what differs named): partials that differ in `unit` or `schema`, or that
/// share an article or a sentence. Annotators, labels and used labels are the unions.
pub fn combine_agreement(
    parts: &[(String, AgreementPartial)],
    bootstrap: Option<&AgreementBootstrap>,
) -> Result<CombinedAgreement, String> {
    let Some((first_name, first)) = parts.first() else {
        return Err("no partial to combine".to_owned());
    };
    for (name, p) in &parts[1..] {
        if p.unit != first.unit {
            return Err(format!(
                "{first_name} and {name} differ in `unit` ({} and {}): partials of one report have the same unit",
                first.unit, p.unit
            ));
        }
        if p.schema != first.schema {
            return Err(format!(
                "{first_name} and {name} differ in `schema` ({}): give every shard the same --schema",
                schema_difference(first.schema.as_ref(), p.schema.as_ref())
            ));
        }
    }
    let mut article_of: BTreeMap<&str, usize> = BTreeMap::new();
    for (k, (name, p)) in parts.iter().enumerate() {
        for a in &p.articles {
            if let Some(other) = article_of.insert(a, k) {
                return Err(format!(
                    "{} and {name} both hold article `{a}`: each article must be in one partial only (shards of one corpus)",
                    parts[other].0
                ));
            }
        }
    }
    let union = |f: fn(&AgreementPartial) -> &Vec<String>| -> Vec<String> {
        let all: BTreeSet<&String> = parts.iter().flat_map(|(_, p)| f(p)).collect();
        all.into_iter().cloned().collect()
    };
    let annotators = union(|p| &p.annotators);
    let labels = union(|p| &p.labels);
    let used = union(|p| &p.labels_used);
    let index_of = |list: &[String], names: &[String]| -> Vec<u32> {
        names
            .iter()
            .map(|n| list.binary_search(n).expect("a name of the union") as u32)
            .collect()
    };
    // Every unit, in the byte order of their ids (a BTreeMap of strings orders by bytes).
    let mut units: BTreeMap<&str, (usize, &PartialUnit)> = BTreeMap::new();
    for (k, (name, p)) in parts.iter().enumerate() {
        for u in &p.units {
            if let Some((other, _)) = units.insert(&u.id, (k, u)) {
                return Err(format!(
                    "{} and {name} both hold sentence `{}`: each sentence must be in one partial only (shards of one corpus)",
                    parts[other].0, u.id
                ));
            }
        }
    }
    let maps: Vec<(Vec<u32>, Vec<u32>)> = parts
        .iter()
        .map(|(_, p)| {
            (
                index_of(&annotators, &p.annotators),
                index_of(&labels, &p.labels),
            )
        })
        .collect();
    let n = units.len();
    let words = n.div_ceil(64);
    let mut coverage = vec![vec![0u64; words]; annotators.len()];
    let mut seen = Vec::with_capacity(n);
    let mut groups = Vec::new();
    let mut voters = Vec::new();
    let mut ids = Vec::with_capacity(n);
    let mut unit_articles: Vec<&str> = Vec::with_capacity(n);
    for (s, (&id, &(k, u))) in units.iter().enumerate() {
        let p = &parts[k].1;
        let (amap, lmap) = &maps[k];
        let who = &p.seen_by[u.seen_by as usize];
        for &a in who {
            coverage[amap[a as usize] as usize][s / 64] |= 1 << (s % 64);
        }
        seen.push(who.len() as u32);
        let mut yes: Vec<(u32, Vec<u32>)> = u
            .yes
            .iter()
            .map(|(l, v)| {
                let mut v: Vec<u32> = v.iter().map(|&a| amap[a as usize]).collect();
                v.sort_unstable();
                (lmap[*l as usize], v)
            })
            .collect();
        yes.sort_unstable();
        for (label, v) in yes {
            groups.push(Group {
                sentence: s as u32,
                label,
                start: voters.len() as u32,
                len: v.len() as u32,
                gold: false,
            });
            voters.extend(v);
        }
        ids.push(id);
        unit_articles.push(u.article.map_or("", |a| p.articles[a as usize].as_str()));
    }
    let label_used = labels
        .iter()
        .map(|l| used.binary_search(l).is_ok())
        .collect();
    let t = VoteTable {
        annotators,
        labels,
        label_used,
        coverage,
        seen,
        groups,
        voters,
    };
    let mut report = agreement_of(&t);
    report.span_f1 = combine_span_f1(parts, &t.annotators);
    if let Some(opts) = bootstrap {
        if first.unit == "article" {
            // Span inputs resample articles: each unit names its own.
            let article = |s: u32| unit_articles[s as usize];
            bootstrap_votes(&mut report, &t, &article, true, opts);
        } else {
            bootstrap_votes(&mut report, &t, &|s| ids[s as usize], false, opts);
        }
    }
    Ok(CombinedAgreement {
        report,
        units: n,
        articles: article_of.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labels::{
        ImportOptions, LabelDef, LabelFile, MergeOptions, agreement, bootstrap_agreement, merge,
        parse_label_file, render_json, render_table,
    };
    use crate::rows::{SentenceKind, SentenceRow};

    /// Sentences `{article}:{i}` of the articles, in the order given.
    fn table(articles: &[(&str, usize)]) -> Vec<SentenceRow> {
        let mut rows = Vec::new();
        for &(article, n) in articles {
            for i in 0..n {
                rows.push(SentenceRow {
                    article_id: article.to_owned(),
                    sentence_id: format!("{article}:{i}"),
                    index: i as u32,
                    paragraph: 0,
                    kind: SentenceKind::Body,
                    start: 10 * i as u64,
                    end: 10 * i as u64 + 5,
                    text: "x".repeat(5),
                });
            }
        }
        rows
    }

    /// Articles a (3 sentences), b (2), c (2), d (1), e (2).
    const ARTICLES: [(&str, usize); 5] = [("a", 3), ("b", 2), ("c", 2), ("d", 1), ("e", 2)];

    /// Four annotators: ann4 labels only article e, and is the only one to use Z.
    const FILES: [(&str, &str); 4] = [
        (
            "ann1.csv",
            "sentence_id,label\na:0,X\na:1,X\nb:0,Y\nc:0,X\nc:1,Y\ne:0,X\n",
        ),
        (
            "ann2.csv",
            "sentence_id,label\na:0,X\na:2,Y\nc:0,X\nd:0,Y\n",
        ),
        (
            "ann3.csv",
            "sentence_id,label\nb:1,X\nc:0,Y\nc:1,Y\nd:0,X\ne:0,X\ne:1,Y\n",
        ),
        ("ann4.csv", "sentence_id,label\ne:0,X\ne:1,Z\n"),
    ];

    /// The merge over `rows` of the files' rows of those sentences (a shard gets the rows of
    /// its articles; a file with none is left out, as a merge refuses it).
    fn merged(rows: &[SentenceRow]) -> (Merged, SentenceIndex) {
        let index = SentenceIndex::new(rows).unwrap();
        let files: Vec<LabelFile> = FILES
            .iter()
            .filter_map(|(name, text)| {
                let mut lines = text.lines();
                let header = lines.next().unwrap();
                let mine: Vec<&str> = lines
                    .filter(|l| index.position(l.split(',').next().unwrap()).is_some())
                    .collect();
                (!mine.is_empty()).then(|| {
                    let text = format!("{header}\n{}\n", mine.join("\n"));
                    parse_label_file(name, &text, &index, &ImportOptions::default()).unwrap()
                })
            })
            .collect();
        let m = merge(&index, &files, None, None, &MergeOptions::default()).unwrap();
        (m, index)
    }

    fn shard(articles: &[&str]) -> Vec<SentenceRow> {
        let mine: Vec<(&str, usize)> = ARTICLES
            .iter()
            .filter(|(a, _)| articles.contains(a))
            .copied()
            .collect();
        table(&mine)
    }

    fn opts() -> AgreementBootstrap {
        AgreementBootstrap {
            n: 700,
            seed: 11,
            threads: 2,
        }
    }

    /// One merge over every article, the sentence table in an order that is not the byte
    /// order of the ids (e, c, a, d, b), with bootstrap intervals.
    fn one_run() -> AgreementReport {
        let order = [("e", 2), ("c", 2), ("a", 3), ("d", 1), ("b", 2)];
        let (m, index) = merged(&table(&order));
        let mut report = agreement(&m);
        bootstrap_agreement(&mut report, &m, &index, false, &opts());
        report
    }

    /// The partials of three shards, {a, d}, {e, b} and {c}, each merged from the rows of
    /// its articles: ann2 has none in {e, b} and ann4 only there (so no Z elsewhere).
    fn shards() -> Vec<(String, AgreementPartial)> {
        [
            ("s1.json", vec!["a", "d"]),
            ("s2.json", vec!["e", "b"]),
            ("s3.json", vec!["c"]),
        ]
        .into_iter()
        .map(|(name, articles)| {
            let (m, index) = merged(&shard(&articles));
            let p = AgreementPartial::of_merge(&m, &index, None, false);
            // Through JSON and back, as `labels merge --partial` and `combine` do.
            let back = AgreementPartial::from_json(name, &p.to_json()).unwrap();
            assert_eq!(back, p);
            (name.to_owned(), back)
        })
        .collect()
    }

    #[test]
    fn shards_combine_to_the_report_of_one_merge_intervals_included() {
        let parts = shards();
        assert_eq!(parts[0].1.annotators, ["ann1", "ann2", "ann3"]);
        assert_eq!(parts[0].1.labels, ["X", "Y"]);
        assert_eq!(parts[1].1.annotators, ["ann1", "ann3", "ann4"]);
        assert_eq!(parts[1].1.labels, ["X", "Y", "Z"]);
        let one = one_run();
        // In any order of the partials.
        for order in [[0, 1, 2], [2, 0, 1]] {
            let ps: Vec<_> = order.iter().map(|&i| parts[i].clone()).collect();
            let c = combine_agreement(&ps, Some(&opts())).unwrap();
            // Units: every sentence is seen by someone (10); articles a..e.
            assert_eq!((c.units, c.articles), (10, 5));
            assert_eq!(render_table(&c.report), render_table(&one));
            assert_eq!(render_json(&c.report), render_json(&one));
            assert_eq!(c.report, one);
        }
        let c = combine_agreement(&parts, None).unwrap();
        let z = &c.report.labels[2];
        assert_eq!(z.label, "Z");
        // Raters per sentence: a:* ann1, ann2 (2 each, 3 sentences: 2 pairs each = 6);
        // b:* ann1, ann3 (2 sentences, 2 pairs each = 4); c:* ann1, ann2, ann3 (2
        // sentences, 6 pairs each = 12); d:0 ann2, ann3 (2); e:* ann1, ann3, ann4 (2
        // sentences, 6 pairs each = 12). All pairs 36; disagreeing pairs only on e:1
        // (1 yes, 2 no: 4 ordered disagreeing pairs): agreement 32/36.
        assert!((z.agreement.percent_agreement.value.unwrap() - 32.0 / 36.0).abs() < 1e-12);
        assert!(c.report.bootstrap.is_none());
    }

    #[test]
    fn partials_that_do_not_belong_together_are_refused() {
        let parts = shards();
        let twice = [
            parts[0].clone(),
            ("again.json".to_owned(), parts[0].1.clone()),
        ];
        assert_eq!(
            combine_agreement(&twice, None).unwrap_err(),
            "s1.json and again.json both hold article `a`: each article must be in one partial only (shards of one corpus)"
        );
        let schema = Schema::from_labels(
            "schema.toml",
            vec![
                LabelDef {
                    name: "X".into(),
                    description: String::new(),
                    aliases: vec!["x".into()],
                },
                LabelDef {
                    name: "Y".into(),
                    description: String::new(),
                    aliases: vec![],
                },
            ],
        )
        .unwrap();
        let mut with_schema = parts[1].clone();
        with_schema.1.schema = schema_key(Some(&schema));
        assert_eq!(
            combine_agreement(&[parts[0].clone(), with_schema.clone()], None).unwrap_err(),
            "s1.json and s2.json differ in `schema` (no schema and a schema of 2 labels): give every shard the same --schema"
        );
        let mut other_aliases = with_schema.clone();
        other_aliases.0 = "s3.json".into();
        other_aliases
            .1
            .schema
            .as_mut()
            .unwrap()
            .insert("X".into(), vec![]);
        assert_eq!(
            combine_agreement(&[with_schema.clone(), other_aliases], None).unwrap_err(),
            "s2.json and s3.json differ in `schema` (the aliases of `X` differ): give every shard the same --schema"
        );
        let mut more = with_schema.clone();
        more.0 = "s3.json".into();
        more.1.schema.as_mut().unwrap().insert("W".into(), vec![]);
        assert_eq!(
            combine_agreement(&[with_schema, more], None).unwrap_err(),
            "s2.json and s3.json differ in `schema` (label `W` is in one schema only): give every shard the same --schema"
        );
        let mut article_unit = parts[2].clone();
        article_unit.1.unit = "article".into();
        assert_eq!(
            combine_agreement(&[parts[0].clone(), article_unit], None).unwrap_err(),
            "s1.json and s3.json differ in `unit` (sentence and article): partials of one report have the same unit"
        );
        let text = parts[0].1.to_json().replace(
            "\"sentlab_agreement_partial\":1",
            "\"sentlab_agreement_partial\":2",
        );
        let both = [
            ("s1.json".to_owned(), parts[0].1.to_json()),
            ("v2.json".to_owned(), text.clone()),
        ];
        assert_eq!(
            AgreementPartial::read_all(&both).unwrap_err(),
            "s1.json and v2.json differ in `sentlab_agreement_partial` (format versions 1 and 2): this sentlab reads version 1 (write the partials again with this version)"
        );
        assert_eq!(
            AgreementPartial::from_json("v2.json", &text).unwrap_err(),
            "v2.json: agreement partial format version 2: this sentlab reads version 1 (write the partials again with this version)"
        );
        assert_eq!(
            AgreementPartial::from_json("e.json", "{\"sentlab_partial\": 1}").unwrap_err(),
            "e.json: not a partial agreement result of `labels merge --partial` (no `sentlab_agreement_partial` version)"
        );
        // A yes voter who did not see the sentence: refused, the unit named.
        let mut bad = parts[0].1.clone();
        bad.units[0].yes = vec![(0, vec![2])];
        let err = AgreementPartial::from_json("bad.json", &bad.to_json()).unwrap_err();
        assert_eq!(
            err,
            "bad.json: unit `a:0`: a label's yes voters must be ascending annotators who saw the sentence"
        );
        // Span F1 counts no merge writes: more matches than spans, an unknown annotator, a
        // count past 2^40; and an article unit without its article.
        let mut spans = parts[0].1.clone();
        spans.unit = "article".into();
        for u in &mut spans.units {
            u.article = Some(0);
        }
        let (a, b) = (spans.annotators[0].clone(), spans.annotators[1].clone());
        let pair = |c: [u64; 4], b: &str| PartialSpanPair {
            a: a.clone(),
            b: b.to_owned(),
            articles: 1,
            labels: [("X".to_owned(), c)].into_iter().collect(),
        };
        spans.span_f1 = Some(vec![pair([2, 1, 1, 1], &b)]);
        AgreementPartial::from_json("ok.json", &spans.to_json()).unwrap();
        let err =
            |p: &AgreementPartial| AgreementPartial::from_json("s.json", &p.to_json()).unwrap_err();
        let mut more = spans.clone();
        more.span_f1 = Some(vec![pair([2, 1, 0, 2], &b)]);
        assert_eq!(
            err(&more),
            format!(
                "s.json: `span_f1` pair `{a}`/`{b}`, label `X`: [2, 1, 0, 2]: expected [spans of a, spans of b, exact matches, overlap matches], matches at most the spans of each, counts at most 1099511627776"
            )
        );
        let mut huge = spans.clone();
        huge.span_f1 = Some(vec![pair([u64::MAX, u64::MAX, 0, 0], &b)]);
        assert!(err(&huge).contains("counts at most 1099511627776"));
        let mut stranger = spans.clone();
        stranger.span_f1 = Some(vec![pair([1, 1, 1, 1], "zz-nobody")]);
        assert_eq!(
            err(&stranger),
            format!(
                "s.json: `span_f1` pair `{a}`/`zz-nobody`: expected two annotators of `annotators`, in name order, pairs in order and each once"
            )
        );
        let mut no_article = spans.clone();
        no_article.units[0].article = None;
        assert_eq!(
            err(&no_article),
            "s.json: unit `a:0`: with unit `article`, expected `article`, an index below 2"
        );
    }
}
