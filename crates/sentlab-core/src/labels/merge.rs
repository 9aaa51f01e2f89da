//! Merging annotator votes into gold labels, with row accounting and conflicts.
//!
//! Coverage: an annotator *saw* every sentence of every article that appears in their
//! rows (labelled or "seen, no label" rows; for span files also the article a file's
//! name names, so an empty span file means "seen, no spans"), unless
//! [`MergeOptions::coverage`] lists the sentences they saw; a sentence they labelled
//! always counts as seen. A label missing on a seen sentence is a "no"; on an unseen
//! sentence it is missing.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::error::LabelsError;
use super::import::{Entry, Format, LabelFile, NO_LABEL, SentenceIndex, UNKNOWN_SENTENCE};
use super::schema::Schema;
use super::skip::{SkipReason, SkippedRow};
use crate::rows::GoldRow;

/// How the votes of the annotators who saw a sentence become a gold label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strategy {
    /// Yes when more than half of the annotators who saw the sentence say yes; exactly
    /// half is a tie, decided by [`TieRule`].
    Majority,
    /// Yes when every annotator who saw the sentence says yes.
    Unanimous,
    /// Yes when at least one annotator says yes (union).
    Any,
    /// Yes when at least K annotators say yes (K >= 1).
    MinVotes(u32),
}

/// What a majority tie (exactly half say yes) gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TieRule {
    /// A tie is a yes.
    Yes,
    /// A tie is a no (the default).
    #[default]
    No,
}

/// Options of [`merge`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeOptions {
    /// The merge strategy.
    pub strategy: Strategy,
    /// The tie rule of [`Strategy::Majority`].
    pub tie: TieRule,
    /// Turn every skipped row into an error naming file:line.
    pub strict: bool,
    /// Explicit coverage: annotator name → the sentence ids they saw (replaces the
    /// "whole articles" rule for that annotator; labelled sentences are always seen).
    pub coverage: HashMap<String, Vec<String>>,
}

impl MergeOptions {
    /// Whether `yes` votes out of `saw` annotators make gold under the strategy and tie
    /// rule (used per sentence by [`merge`] and per code point by
    /// [`super::merge_spans`]).
    pub fn says_yes(&self, yes: u32, saw: u32) -> bool {
        match self.strategy {
            Strategy::Majority => {
                2 * yes > saw || (2 * yes == saw && saw > 0 && self.tie == TieRule::Yes)
            }
            Strategy::Unanimous => saw > 0 && yes == saw,
            Strategy::Any => yes >= 1,
            Strategy::MinVotes(k) => yes >= k,
        }
    }
}

impl Default for MergeOptions {
    fn default() -> Self {
        MergeOptions {
            strategy: Strategy::Majority,
            tie: TieRule::No,
            strict: false,
            coverage: HashMap::new(),
        }
    }
}

/// Accounting of a merge: every input row is merged or in `skipped`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MergeSummary {
    /// Input rows read over all files (see [`LabelFile::rows_read`]).
    pub rows_read: u64,
    /// Rows merged (`rows_read - skipped.len()`).
    pub rows_merged: u64,
    /// The rows not merged, by file then line.
    pub skipped: Vec<SkippedRow>,
    /// Warnings for the caller to print (empty files, unmatched coverage entries).
    pub warnings: Vec<String>,
    /// The voting annotators, sorted.
    pub annotators: Vec<String>,
    /// All labels (used or in the schema), sorted.
    pub labels: Vec<String>,
    /// Sentences whose labels the adjudicator decided.
    pub adjudicated_sentences: u64,
}

impl MergeSummary {
    /// Number of skipped rows per [`SkipReason::key`].
    pub fn skipped_by_reason(&self) -> BTreeMap<&'static str, u64> {
        let mut m = BTreeMap::new();
        for s in &self.skipped {
            *m.entry(s.reason.key()).or_insert(0) += 1;
        }
        m
    }
}

/// One (sentence, label) with at least one yes vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Group {
    pub(crate) sentence: u32,
    pub(crate) label: u32,
    /// Range into [`VoteTable::voters`].
    pub(crate) start: u32,
    pub(crate) len: u32,
    pub(crate) gold: bool,
}

/// The interned vote table of the voting annotators (the adjudicator excluded).
#[derive(Debug, Clone)]
pub(crate) struct VoteTable {
    pub(crate) annotators: Vec<String>,
    pub(crate) labels: Vec<String>,
    /// Per label: whether some voting annotator used it.
    pub(crate) label_used: Vec<bool>,
    /// Per annotator: bitset over sentences.
    pub(crate) coverage: Vec<Vec<u64>>,
    /// Per sentence: number of voting annotators who saw it.
    pub(crate) seen: Vec<u32>,
    /// Groups sorted by sentence position then label name.
    pub(crate) groups: Vec<Group>,
    /// Yes voters of the groups (annotator ids, ascending = sorted names).
    pub(crate) voters: Vec<u32>,
}

impl VoteTable {
    pub(crate) fn saw(&self, annotator: usize, sentence: u32) -> bool {
        bit(&self.coverage[annotator], sentence)
    }
}

/// The result of [`merge`].
#[derive(Debug, Clone)]
pub struct Merged {
    /// Gold rows, by sentence order then label (empty after [`merge_compact`], which keeps
    /// them compactly: see [`Merged::gold_rows`]).
    pub gold: Vec<GoldRow>,
    /// Row accounting and warnings.
    pub summary: MergeSummary,
    pub(crate) votes: VoteTable,
    /// [`merge_compact`]: the gold rows as ids.
    compact_gold: Vec<CompactGold>,
    /// [`merge_compact`]: the `annotators` cell of the adjudicated gold rows.
    adjudicated_names: Vec<String>,
}

/// A gold row as ids: `group` indexes [`VoteTable::groups`] (or is `NONE`), `names` indexes
/// [`Merged::adjudicated_names`] for a row the adjudicator decided (or is `NONE`).
#[derive(Debug, Clone, Copy)]
struct CompactGold {
    sentence: u32,
    label: u32,
    votes: u32,
    group: u32,
    names: u32,
}

/// A gold row borrowed from a [`Merged`]: the columns of [`GoldRow`], in its order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GoldRowRef<'a> {
    /// The sentence the label applies to.
    pub sentence_id: &'a str,
    /// The label name.
    pub label: &'a str,
    /// How many annotators said yes.
    pub votes: u32,
    /// The annotators who said yes, separated by `;`, sorted.
    pub annotators: std::borrow::Cow<'a, str>,
}

impl GoldRowRef<'_> {
    /// The owned row.
    pub fn to_row(&self) -> GoldRow {
        GoldRow {
            sentence_id: self.sentence_id.to_string(),
            label: self.label.to_string(),
            votes: self.votes,
            annotators: self.annotators.to_string(),
        }
    }
}

impl Merged {
    /// Number of gold rows.
    pub fn gold_len(&self) -> usize {
        self.gold.len() + self.compact_gold.len()
    }

    /// The gold rows in order, whichever way they are kept (`index`: the sentence index of
    /// the merge).
    pub fn gold_rows<'a>(
        &'a self,
        index: &'a SentenceIndex,
    ) -> impl Iterator<Item = GoldRowRef<'a>> + 'a {
        let t = &self.votes;
        let owned = self.gold.iter().map(|g| GoldRowRef {
            sentence_id: &g.sentence_id,
            label: &g.label,
            votes: g.votes,
            annotators: std::borrow::Cow::Borrowed(g.annotators.as_str()),
        });
        let compact = self.compact_gold.iter().map(move |g| {
            let annotators = if g.names != NONE {
                std::borrow::Cow::Borrowed(self.adjudicated_names[g.names as usize].as_str())
            } else if g.group == NONE {
                std::borrow::Cow::Borrowed("")
            } else {
                let group = &t.groups[g.group as usize];
                let mut names = String::new();
                for &a in &t.voters[group.start as usize..(group.start + group.len) as usize] {
                    if !names.is_empty() {
                        names.push(';');
                    }
                    names.push_str(&t.annotators[a as usize]);
                }
                std::borrow::Cow::Owned(names)
            };
            GoldRowRef {
                sentence_id: index.sentence_id(g.sentence),
                label: &t.labels[g.label as usize],
                votes: g.votes,
                annotators,
            }
        });
        owned.chain(compact)
    }
}

/// A (sentence, label) on which the annotators who saw the sentence disagree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict<'a> {
    /// The sentence.
    pub sentence_id: &'a str,
    /// The label.
    pub label: &'a str,
    /// Who said yes (sorted).
    pub yes: Vec<&'a str>,
    /// Who saw the sentence and did not give the label (sorted).
    pub no: Vec<&'a str>,
    /// Whether the label made it into the gold table.
    pub in_gold: bool,
}

fn bit(set: &[u64], i: u32) -> bool {
    set[(i / 64) as usize] >> (i % 64) & 1 == 1
}

fn set_bit(set: &mut [u64], i: u32) {
    set[(i / 64) as usize] |= 1 << (i % 64);
}

const NONE: u32 = u32::MAX;

/// Packs a vote for sorting: sentence, label, annotator, file, line (most significant
/// first), so that sorting groups votes and keeps the earliest row of a duplicate first.
fn pack(sentence: u32, label: u32, annotator: u32, file: u32, line: u32) -> u128 {
    (u128::from(sentence) << 96)
        | (u128::from(label) << 64)
        | (u128::from(annotator) << 48)
        | (u128::from(file) << 32)
        | u128::from(line)
}

fn unpack(v: u128) -> (u32, u32, u32, u32, u32) {
    (
        (v >> 96) as u32,
        (v >> 64) as u32,
        ((v >> 48) & 0xffff) as u32,
        ((v >> 32) & 0xffff) as u32,
        v as u32,
    )
}

/// Sorted, de-duplicated names with their ranks.
fn ranks(names: impl IntoIterator<Item = String>) -> (Vec<String>, HashMap<String, u32>) {
    let mut v: Vec<String> = names.into_iter().collect();
    v.sort();
    v.dedup();
    let map = v
        .iter()
        .enumerate()
        .map(|(i, n)| (n.clone(), i as u32))
        .collect();
    (v, map)
}

struct Collected {
    votes: Vec<u128>,
    /// Per annotator (local to this collection): articles seen, sentences seen.
    articles: Vec<Vec<u64>>,
    sentences: Vec<Vec<u64>>,
}

/// Resolves the files' entries to global ids, recording skipped rows.
#[allow(clippy::too_many_arguments)]
fn collect(
    index: &SentenceIndex,
    files: &[&LabelFile],
    entries: &[&[Entry]],
    file_offset: usize,
    annotator_ids: &HashMap<String, u32>,
    annotator_count: usize,
    label_maps: &[Vec<u32>],
    schema: Option<&Schema>,
    skipped: &mut Vec<(usize, SkippedRow)>,
    mut masks: Option<&mut Masks>,
) -> Result<Collected, LabelsError> {
    let words = index.len().div_ceil(64);
    let article_words = index.article_count().div_ceil(64);
    let mut out = Collected {
        votes: if masks.is_some() {
            Vec::new()
        } else {
            Vec::with_capacity(entries.iter().map(|e| e.len()).sum())
        },
        articles: vec![vec![0; article_words]; annotator_count],
        sentences: vec![vec![0; words]; annotator_count],
    };
    for (fi, (file, &file_entries)) in files.iter().zip(entries).enumerate() {
        let fidx = fi + file_offset;
        let ann_map: Vec<u32> = file.annotators.iter().map(|a| annotator_ids[a]).collect();
        let labels = &label_maps[fidx];
        let ptc = file.format == Some(Format::PtcSpans);
        let mut unknown_label_lines: HashSet<(u32, u32)> = HashSet::new();
        let mut matched = false;
        for (ei, e) in file_entries.iter().enumerate() {
            let sentence = e.sentence;
            let skip = |reason| SkippedRow {
                file: file.entry_source(ei).to_string(),
                line: u64::from(e.line),
                annotator: file.annotators[e.annotator as usize].clone(),
                sentence_id: file.sentence_str(index, e.sentence).to_string(),
                label: if e.label == NO_LABEL {
                    String::new()
                } else {
                    file.labels[e.label as usize].clone()
                },
                reason,
            };
            if sentence & UNKNOWN_SENTENCE != 0 {
                skipped.push((fidx, skip(SkipReason::UnknownSentence)));
                continue;
            }
            matched = true;
            let annotator = ann_map[e.annotator as usize];
            set_bit(
                &mut out.articles[annotator as usize],
                index.article_of(sentence),
            );
            set_bit(&mut out.sentences[annotator as usize], sentence);
            if e.label == NO_LABEL {
                continue;
            }
            let label = labels[e.label as usize];
            if label == NONE {
                // One span may project onto several sentences: report its line once.
                if !ptc || unknown_label_lines.insert((e.line, e.label)) {
                    let closest = schema
                        .and_then(|s| s.closest(&file.labels[e.label as usize]))
                        .map(str::to_string);
                    skipped.push((fidx, skip(SkipReason::UnknownLabel { closest })));
                }
                continue;
            }
            let vote = pack(sentence, label, annotator, fidx as u32, e.line);
            match masks.as_deref_mut() {
                Some(m) => {
                    let cell = &mut m.cells[sentence as usize * m.labels + label as usize];
                    if *cell >> annotator & 1 == 1 {
                        if !ptc {
                            m.repeated.push(vote);
                        }
                    } else {
                        *cell |= 1 << annotator;
                    }
                }
                None => out.votes.push(vote),
            }
        }
        if file.rows_read > 0 && !matched {
            let example = file_entries
                .first()
                .map(|e| file.sentence_str(index, e.sentence).to_string())
                .or_else(|| file.skipped.first().map(|s| s.sentence_id.clone()))
                .unwrap_or_default();
            return Err(LabelsError::NoMatchingSentences {
                file: file.name.clone(),
                example,
            });
        }
    }
    out.votes.sort_unstable();
    Ok(out)
}

/// The votes of at most [`MASK_ANNOTATORS`] annotators as one bit per annotator in a cell
/// per (sentence, label), instead of a sorted list of votes: the same groups, in the same
/// order (cells in sentence then label order, voters by bit), without the sort. A vote
/// whose bit is already set is a repeat; it is recorded for [`dedup`]'s report when the
/// files give their entries in line order (then the first vote of a (sentence, label,
/// annotator), the one kept, is also the first by file and line).
struct Masks {
    labels: usize,
    cells: Vec<u16>,
    /// Repeated votes (not of span files), packed as [`pack`] does.
    repeated: Vec<u128>,
}

/// Most annotators (bits of a [`Masks`] cell).
const MASK_ANNOTATORS: usize = 16;

/// Most cells (sentences x labels) of a [`Masks`]: 128 MiB.
const MASK_CELLS: usize = 1 << 26;

impl Masks {
    /// Masks for the votes of `files`, when they fit and the files' entries are in line
    /// order (span files excepted: their repeats are not reported).
    fn new(
        index: &SentenceIndex,
        labels: usize,
        annotators: usize,
        files: &[&LabelFile],
        entries: &[&[Entry]],
    ) -> Option<Masks> {
        let cells = index.len().checked_mul(labels)?;
        let in_order = files.iter().zip(entries).all(|(f, e)| {
            f.format == Some(Format::PtcSpans) || e.windows(2).all(|w| w[0].line <= w[1].line)
        });
        (annotators <= MASK_ANNOTATORS && cells <= MASK_CELLS && in_order).then(|| Masks {
            labels,
            cells: vec![0; cells],
            repeated: Vec::new(),
        })
    }

    /// The groups and their voters (as [`merge`] builds them from sorted votes).
    fn groups(&self) -> (Vec<Group>, Vec<u32>) {
        let (mut n_groups, mut n_voters) = (0usize, 0usize);
        for &bits in &self.cells {
            n_groups += usize::from(bits != 0);
            n_voters += bits.count_ones() as usize;
        }
        let mut groups = Vec::with_capacity(n_groups);
        let mut voters = Vec::with_capacity(n_voters);
        for (cell, &bits) in self.cells.iter().enumerate() {
            if bits == 0 {
                continue;
            }
            groups.push(Group {
                sentence: (cell / self.labels) as u32,
                label: (cell % self.labels) as u32,
                start: voters.len() as u32,
                len: bits.count_ones(),
                gold: false,
            });
            let mut b = bits;
            while b != 0 {
                voters.push(b.trailing_zeros());
                b &= b - 1;
            }
        }
        (groups, voters)
    }
}

/// Removes repeated (sentence, label, annotator) votes, recording them as duplicates
/// (span files excepted: overlapping spans of one label legitimately hit a sentence twice).
fn dedup(
    votes: &mut Vec<u128>,
    files: &[&LabelFile],
    file_offset: usize,
    skipped: &mut Vec<(usize, SkippedRow)>,
    annotator_names: &[String],
    index: &SentenceIndex,
    label_names: &[String],
) {
    let mut last: Option<u128> = None;
    votes.retain(|&v| {
        let key = v >> 48;
        if last == Some(key) {
            let (s, l, a, f, line) = unpack(v);
            let file = files[f as usize - file_offset];
            if file.format != Some(Format::PtcSpans) {
                skipped.push((
                    f as usize,
                    SkippedRow {
                        file: file.name.clone(),
                        line: u64::from(line),
                        annotator: annotator_names[a as usize].clone(),
                        sentence_id: index.sentence_id(s).to_string(),
                        label: label_names[l as usize].clone(),
                        reason: SkipReason::Duplicate,
                    },
                ));
            }
            false
        } else {
            last = Some(key);
            true
        }
    });
}

/// Expands article coverage to sentences, or applies explicit coverage lists.
fn coverage(
    index: &SentenceIndex,
    names: &[String],
    collected: &Collected,
    explicit: &HashMap<String, Vec<String>>,
    warnings: &mut Vec<String>,
) -> Vec<Vec<u64>> {
    let mut result = Vec::with_capacity(names.len());
    for (a, name) in names.iter().enumerate() {
        let mut bits = collected.sentences[a].clone();
        if let Some(list) = explicit.get(name) {
            let mut unknown = 0usize;
            for id in list {
                match index.position(id) {
                    Some(s) => set_bit(&mut bits, s),
                    None => unknown += 1,
                }
            }
            if unknown > 0 {
                warnings.push(format!(
                    "coverage of `{name}`: {unknown} sentence id(s) not in the sentence table"
                ));
            }
        } else {
            for art in 0..index.article_count() as u32 {
                if bit(&collected.articles[a], art) {
                    for &s in index.article_sentences(art) {
                        set_bit(&mut bits, s);
                    }
                }
            }
        }
        result.push(bits);
    }
    result
}

/// Merges annotator files into gold labels.
///
/// `files` are the voting annotators' files; `adjudicator`, when given, decides the
/// labels of every sentence it covers (its label set replaces the vote there; its name
/// is then listed among `annotators` and counted in `votes`, and it takes no part in
/// agreement or conflicts). With a `schema`, aliases map to canonical names and unknown
/// labels are skipped (an error under `strict`). Errors: a non-empty file none of whose
/// rows names a known sentence; any skipped row under `strict`; more than 65,535
/// files or annotators.
pub fn merge(
    index: &SentenceIndex,
    files: &[LabelFile],
    adjudicator: Option<&LabelFile>,
    schema: Option<&Schema>,
    options: &MergeOptions,
) -> Result<Merged, LabelsError> {
    merge_with(
        index,
        files,
        adjudicator,
        schema,
        options,
        false,
        true,
        Vec::new(),
    )
}

/// [`merge`] of files it owns, keeping the gold rows compactly (a few ids each, instead of
/// three strings): [`Merged::gold`] is empty; [`Merged::gold_rows`] gives the rows and
/// [`Merged::gold_len`] their number. The files' entries are freed once counted, before
/// the gold rows are made. Otherwise the same result.
pub fn merge_compact(
    index: &SentenceIndex,
    mut files: Vec<LabelFile>,
    mut adjudicator: Option<LabelFile>,
    schema: Option<&Schema>,
    options: &MergeOptions,
) -> Result<Merged, LabelsError> {
    let entries = files
        .iter_mut()
        .chain(adjudicator.as_mut())
        .map(|f| std::mem::take(&mut f.entries))
        .collect();
    merge_with(
        index,
        &files,
        adjudicator.as_ref(),
        schema,
        options,
        true,
        true,
        entries,
    )
}

/// [`merge`]; `compact`: see [`merge_compact`]; `masks`: count the votes in [`Masks`]
/// when they fit (false: always sort them; the tests compare both); `taken`: the entries
/// of the files and then the adjudicator, taken out of them (empty: they are in the files).
#[allow(clippy::too_many_arguments)]
pub(crate) fn merge_with(
    index: &SentenceIndex,
    files: &[LabelFile],
    adjudicator: Option<&LabelFile>,
    schema: Option<&Schema>,
    options: &MergeOptions,
    compact: bool,
    masks: bool,
    taken: Vec<Vec<Entry>>,
) -> Result<Merged, LabelsError> {
    if let Strategy::MinVotes(0) = options.strategy {
        return Err(LabelsError::Invalid {
            context: "--min-votes".to_string(),
            message: "K must be at least 1".to_string(),
        });
    }
    let all: Vec<&LabelFile> = files.iter().chain(adjudicator).collect();
    if all.len() > 0xffff {
        return Err(LabelsError::Invalid {
            context: "label files".to_string(),
            message: "more than 65535 files".to_string(),
        });
    }
    if let Some(f) = all.iter().find(|f| f.index_len != index.len()) {
        return Err(LabelsError::Invalid {
            context: f.name.clone(),
            message: "parsed against a different sentence table than the merge".to_string(),
        });
    }
    let entries: Vec<&[Entry]> = if taken.is_empty() {
        all.iter().map(|f| f.entries.as_slice()).collect()
    } else {
        taken.iter().map(Vec::as_slice).collect()
    };
    let mut warnings = Vec::new();
    for (f, e) in all.iter().zip(&entries) {
        warnings.extend(f.warnings.iter().cloned());
        // An empty span file that covers its article is "seen, no spans", not a mistake.
        if f.is_empty() && e.is_empty() && f.warnings.is_empty() {
            warnings.push(format!("{}: empty label file (no rows)", f.name));
        }
    }
    let (annotators, annotator_ids) =
        ranks(files.iter().flat_map(|f| f.annotators.iter().cloned()));
    let (adj_names, adj_ids) = ranks(
        adjudicator
            .into_iter()
            .flat_map(|f| f.annotators.iter().cloned()),
    );
    if annotators.len().max(adj_names.len()) > 0xffff {
        return Err(LabelsError::Invalid {
            context: "label files".to_string(),
            message: "more than 65535 annotators".to_string(),
        });
    }
    for name in options.coverage.keys() {
        if !annotator_ids.contains_key(name) && !adj_ids.contains_key(name) {
            warnings.push(format!("coverage given for unknown annotator `{name}`"));
        }
    }

    // Labels: resolve each file's distinct labels once.
    let resolve = |l: &String| -> Option<String> {
        match schema {
            Some(s) => s.resolve(l).map(str::to_string),
            None => Some(l.clone()),
        }
    };
    let mut used_by_voters: HashSet<String> = HashSet::new();
    let mut all_labels: Vec<String> = schema
        .map(|s| s.labels.iter().map(|d| d.name.clone()).collect())
        .unwrap_or_default();
    for (i, f) in all.iter().enumerate() {
        for l in f.labels.iter().filter_map(resolve) {
            if i < files.len() {
                used_by_voters.insert(l.clone());
            }
            all_labels.push(l);
        }
    }
    let (labels, label_ids) = ranks(all_labels);
    let label_maps: Vec<Vec<u32>> = all
        .iter()
        .map(|f| {
            f.labels
                .iter()
                .map(|l| resolve(l).map_or(NONE, |c| label_ids[&c]))
                .collect()
        })
        .collect();

    let mut skipped: Vec<(usize, SkippedRow)> = all
        .iter()
        .enumerate()
        .flat_map(|(i, f)| f.skipped.iter().cloned().map(move |s| (i, s)))
        .collect();
    let mut masks = masks
        .then(|| {
            Masks::new(
                index,
                labels.len(),
                annotators.len(),
                &all[..files.len()],
                &entries[..files.len()],
            )
        })
        .flatten();
    let mut voting = collect(
        index,
        &all[..files.len()],
        &entries[..files.len()],
        0,
        &annotator_ids,
        annotators.len(),
        &label_maps,
        schema,
        &mut skipped,
        masks.as_mut(),
    )?;
    if let Some(m) = &mut masks {
        // The repeats, reported as dedup reports them (in vote order).
        let mut repeated = std::mem::take(&mut m.repeated);
        repeated.sort_unstable();
        for v in repeated {
            let mut one = vec![v, v];
            dedup(
                &mut one,
                &all[..files.len()],
                0,
                &mut skipped,
                &annotators,
                index,
                &labels,
            );
        }
    } else {
        dedup(
            &mut voting.votes,
            &all[..files.len()],
            0,
            &mut skipped,
            &annotators,
            index,
            &labels,
        );
    }
    let mut adj = collect(
        index,
        &all[files.len()..],
        &entries[files.len()..],
        files.len(),
        &adj_ids,
        adj_names.len(),
        &label_maps,
        schema,
        &mut skipped,
        None,
    )?;
    dedup(
        &mut adj.votes,
        &all[files.len()..],
        files.len(),
        &mut skipped,
        &adj_names,
        index,
        &labels,
    );
    // The entries are counted: free them (when taken) before the gold rows are made.
    drop(entries);
    drop(taken);
    // By input, then source file (a directory of span files is one input), then line.
    skipped.sort_by(|(fa, a), (fb, b)| (fa, &a.file, a.line).cmp(&(fb, &b.file, b.line)));
    if options.strict
        && let Some((_, s)) = skipped.first()
    {
        return Err(LabelsError::Strict {
            file: s.file.clone(),
            line: s.line,
            reason: format!(
                "{} (annotator `{}`, sentence `{}`, label `{}`)",
                s.reason, s.annotator, s.sentence_id, s.label
            ),
        });
    }

    let cov = coverage(
        index,
        &annotators,
        &voting,
        &options.coverage,
        &mut warnings,
    );
    let mut seen = vec![0u32; index.len()];
    for bits in &cov {
        for (s, count) in seen.iter_mut().enumerate() {
            *count += u32::from(bit(bits, s as u32));
        }
    }
    let adj_cov = coverage(index, &adj_names, &adj, &options.coverage, &mut warnings);
    let mut adjudicated = vec![0u64; index.len().div_ceil(64)];
    for bits in &adj_cov {
        for (w, b) in adjudicated.iter_mut().zip(bits) {
            *w |= b;
        }
    }

    // Groups of the voting annotators.
    let (mut groups, mut voters) = match &masks {
        Some(m) => m.groups(),
        None => (Vec::new(), Vec::with_capacity(voting.votes.len())),
    };
    drop(masks);
    for &v in &voting.votes {
        let (s, l, a, _, _) = unpack(v);
        match groups.last_mut() {
            Some(g) if g.sentence == s && g.label == l => g.len += 1,
            _ => groups.push(Group {
                sentence: s,
                label: l,
                start: voters.len() as u32,
                len: 1,
                gold: false,
            }),
        }
        voters.push(a);
    }
    drop(voting.votes);
    // Adjudicator decisions: (sentence, label) → adjudicator ids.
    let mut adj_groups: Vec<(u32, u32, Vec<u32>)> = Vec::new();
    for &v in &adj.votes {
        let (s, l, a, _, _) = unpack(v);
        match adj_groups.last_mut() {
            Some((gs, gl, who)) if *gs == s && *gl == l => who.push(a),
            _ => adj_groups.push((s, l, vec![a])),
        }
    }

    let decide = |yes: u32, saw: u32| options.says_yes(yes, saw);
    let mut gold = Vec::new();
    let mut compact_gold = Vec::new();
    let mut adjudicated_names = Vec::new();
    let (mut gi, mut ai) = (0usize, 0usize);
    let mut adjudicated_sentences = 0u64;
    for (s, _) in seen.iter().enumerate() {
        if bit(&adjudicated, s as u32) {
            adjudicated_sentences += 1;
        }
    }
    while gi < groups.len() || ai < adj_groups.len() {
        let gkey = groups.get(gi).map(|g| (g.sentence, g.label));
        let akey = adj_groups.get(ai).map(|(s, l, _)| (*s, *l));
        let key = match (gkey, akey) {
            (Some(g), Some(a)) => g.min(a),
            (Some(g), None) => g,
            (None, Some(a)) => a,
            (None, None) => unreachable!(),
        };
        let mut names: Vec<&str> = Vec::new();
        let group = (gkey == Some(key)).then_some(gi);
        if let Some(g) = group {
            let g = &groups[g];
            names.extend(
                voters[g.start as usize..(g.start + g.len) as usize]
                    .iter()
                    .map(|&a| annotators[a as usize].as_str()),
            );
            gi += 1;
        }
        let in_gold = if bit(&adjudicated, key.0) {
            if akey == Some(key) {
                names.extend(
                    adj_groups[ai]
                        .2
                        .iter()
                        .map(|&a| adj_names[a as usize].as_str()),
                );
                names.sort_unstable();
                true
            } else {
                false
            }
        } else {
            let yes = group.map_or(0, |g| groups[g].len);
            decide(yes, seen[key.0 as usize])
        };
        if akey == Some(key) {
            ai += 1;
        }
        if let Some(g) = group {
            groups[g].gold = in_gold;
        }
        let names_len = names.len();
        if in_gold && compact {
            let names = if bit(&adjudicated, key.0) {
                adjudicated_names.push(names.join(";"));
                (adjudicated_names.len() - 1) as u32
            } else {
                NONE
            };
            compact_gold.push(CompactGold {
                sentence: key.0,
                label: key.1,
                votes: names_len as u32,
                group: group.map_or(NONE, |g| g as u32),
                names,
            });
        } else if in_gold {
            gold.push(GoldRow {
                sentence_id: index.sentence_id(key.0).to_string(),
                label: labels[key.1 as usize].clone(),
                votes: names.len() as u32,
                annotators: names.join(";"),
            });
        }
    }

    let rows_read: u64 = all.iter().map(|f| f.rows_read).sum();
    let skipped: Vec<SkippedRow> = skipped.into_iter().map(|(_, s)| s).collect();
    let label_used = labels.iter().map(|l| used_by_voters.contains(l)).collect();
    Ok(Merged {
        gold,
        summary: MergeSummary {
            rows_read,
            rows_merged: rows_read.saturating_sub(skipped.len() as u64),
            skipped,
            warnings,
            annotators: annotators.clone(),
            labels: labels.clone(),
            adjudicated_sentences,
        },
        votes: VoteTable {
            annotators,
            labels,
            label_used,
            coverage: cov,
            seen,
            groups,
            voters,
        },
        compact_gold,
        adjudicated_names,
    })
}

/// What each voting annotator labelled, as counted by a merge: rows skipped by the merge
/// (unknown sentence ids, duplicates, ...) are not in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelCounts {
    /// Label → annotator → sentences given the label (labels and annotators with at least
    /// one).
    pub by_label: BTreeMap<String, BTreeMap<String, u64>>,
    /// Annotator → sentences given at least one label.
    pub sentences: BTreeMap<String, u64>,
}

/// Per-annotator label counts of a merge (the voting annotators; the adjudicator is not
/// in the vote table). Whatever the strategy, every kept vote counts.
pub fn label_counts(merged: &Merged) -> LabelCounts {
    label_counts_of(merged, |_| true)
}

/// [`label_counts`] of the labels `keep` accepts (the others are not counted, also not in
/// the labelled sentences).
pub fn label_counts_of(merged: &Merged, keep: impl Fn(&str) -> bool) -> LabelCounts {
    let t = &merged.votes;
    let mut out = LabelCounts::default();
    // Groups are sorted by sentence, so an annotator's sentences come in order.
    let mut last_sentence: Vec<Option<u32>> = vec![None; t.annotators.len()];
    for g in t
        .groups
        .iter()
        .filter(|g| keep(&t.labels[g.label as usize]))
    {
        let by = out
            .by_label
            .entry(t.labels[g.label as usize].clone())
            .or_default();
        for &a in &t.voters[g.start as usize..(g.start + g.len) as usize] {
            let name = &t.annotators[a as usize];
            *by.entry(name.clone()).or_default() += 1;
            if last_sentence[a as usize] != Some(g.sentence) {
                last_sentence[a as usize] = Some(g.sentence);
                *out.sentences.entry(name.clone()).or_default() += 1;
            }
        }
    }
    out
}

/// Every (sentence, label) on which the voting annotators who saw the sentence
/// disagree (some yes, some no), by sentence order then label, as a lazy iterator
/// borrowing from the merge (the caller adds the sentence text and writes the rows).
pub fn conflicts<'a>(
    merged: &'a Merged,
    index: &'a SentenceIndex,
) -> impl Iterator<Item = Conflict<'a>> + 'a {
    let t = &merged.votes;
    t.groups
        .iter()
        .filter(|g| g.len < t.seen[g.sentence as usize])
        .map(move |g| {
            let yes_ids = &t.voters[g.start as usize..(g.start + g.len) as usize];
            let yes = yes_ids
                .iter()
                .map(|&a| t.annotators[a as usize].as_str())
                .collect();
            let no = (0..t.annotators.len())
                .filter(|&a| t.saw(a, g.sentence) && !yes_ids.contains(&(a as u32)))
                .map(|a| t.annotators[a].as_str())
                .collect();
            Conflict {
                sentence_id: index.sentence_id(g.sentence),
                label: &t.labels[g.label as usize],
                yes,
                no,
                in_gold: g.gold,
            }
        })
}
