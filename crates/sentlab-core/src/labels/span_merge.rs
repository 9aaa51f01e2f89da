//! Span gold: the annotators' spans voted per code point.
//!
//! For every article and label, each annotator who saw the article votes yes on the code
//! points their spans of that label cover (overlapping spans of one annotator count
//! once) and no on every other code point of the article; an annotator who saw the
//! article without a span voted no everywhere. A code point is gold when the strategy
//! says yes for its votes out of the annotators who saw the article (the rule
//! [`super::merge`] applies per sentence); maximal runs of gold code points are the gold
//! spans.

use std::collections::{BTreeMap, BTreeSet};

use super::import::{Format, LabelFile, SentenceIndex};
use super::merge::MergeOptions;
use super::schema::Schema;
use crate::rows::SpanLabel;

/// The result of [`merge_spans`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpanGold {
    /// Gold spans, by article (sentence table order), label, then start.
    pub spans: Vec<SpanLabel>,
    /// The articles some annotator saw, in sentence table order (an article without gold
    /// spans is "seen, no spans").
    pub articles: Vec<String>,
    /// Article-level tasks read from annotation tool exports (0: none of the files had
    /// any, so the offset unit and the id field changed nothing).
    pub article_tasks: u64,
}

/// Votes the spans of the files per code point (see the module doc). Spans come from the
/// article-level exports of annotation tools and from PTC span files (whose annotator saw
/// the articles the file covers); spans skipped at import are not voted. With a schema,
/// labels are resolved to their names and spans of unknown labels are left out (the
/// sentence merge counts them as skipped).
pub fn merge_spans(
    index: &SentenceIndex,
    files: &[LabelFile],
    schema: Option<&Schema>,
    options: &MergeOptions,
) -> SpanGold {
    // article → annotators who saw it; (article, label) → annotator → intervals.
    let mut seen: BTreeMap<u32, BTreeSet<&str>> = BTreeMap::new();
    type Intervals<'a> = BTreeMap<&'a str, Vec<(u64, u64)>>;
    let mut votes: BTreeMap<(u32, String), Intervals<'_>> = BTreeMap::new();
    let resolve = |label: &str| -> Option<String> {
        match schema {
            Some(s) => s.resolve(label).map(str::to_string),
            None => Some(label.to_string()),
        }
    };
    let article_tasks = files.iter().map(|f| f.article_tasks).sum();
    for file in files {
        if file.format == Some(Format::PtcSpans) {
            let Some(who) = file.annotators.first() else {
                continue;
            };
            for a in file.articles() {
                if let Some(article) = index.article_position(a) {
                    seen.entry(article).or_default().insert(who);
                }
            }
            for s in file.spans() {
                let article = index.article_position(&s.article_id).or_else(|| {
                    s.article_id
                        .strip_prefix("article")
                        .and_then(|a| index.article_position(a))
                });
                if let (Some(article), Some(label)) = (article, resolve(&s.label)) {
                    seen.entry(article).or_default().insert(who);
                    votes
                        .entry((article, label))
                        .or_default()
                        .entry(who)
                        .or_default()
                        .push((s.start, s.end));
                }
            }
            continue;
        }
        for set in &file.span_sets {
            let who = file.annotators[set.annotator as usize].as_str();
            seen.entry(set.article).or_default().insert(who);
            for &(label, start, end) in &set.spans {
                if let Some(label) = resolve(&file.labels[label as usize]) {
                    votes
                        .entry((set.article, label))
                        .or_default()
                        .entry(who)
                        .or_default()
                        .push((start, end));
                }
            }
        }
    }
    let mut spans = Vec::new();
    for ((article, label), by_annotator) in votes {
        let saw = seen.get(&article).map_or(0, |s| s.len()) as u32;
        // +1 where an annotator's (merged) interval starts, -1 where it ends.
        let mut events: Vec<(u64, i32)> = Vec::new();
        for (_, mut intervals) in by_annotator {
            intervals.sort_unstable();
            let mut merged: Vec<(u64, u64)> = Vec::new();
            for (s, e) in intervals {
                match merged.last_mut() {
                    Some((_, le)) if s <= *le => *le = (*le).max(e),
                    _ => merged.push((s, e)),
                }
            }
            for (s, e) in merged {
                events.push((s, 1));
                events.push((e, -1));
            }
        }
        events.sort_unstable();
        let mut count = 0i32;
        let mut run: Option<u64> = None;
        let mut i = 0;
        while i < events.len() {
            let at = events[i].0;
            while i < events.len() && events[i].0 == at {
                count += events[i].1;
                i += 1;
            }
            let yes = count > 0 && options.says_yes(count as u32, saw);
            match (run, yes) {
                (None, true) => run = Some(at),
                (Some(start), false) => {
                    spans.push((article, label.clone(), start, at));
                    run = None;
                }
                _ => {}
            }
        }
    }
    spans.sort_by(|a, b| (a.0, &a.1, a.2).cmp(&(b.0, &b.1, b.2)));
    SpanGold {
        spans: spans
            .into_iter()
            .map(|(article, label, start, end)| SpanLabel {
                article_id: index.article_id(article).to_string(),
                label,
                start,
                end,
            })
            .collect(),
        articles: seen
            .keys()
            .map(|&a| index.article_id(a).to_string())
            .collect(),
        article_tasks,
    }
}
