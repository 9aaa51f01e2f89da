//! Cue phrases to add to lexicon rules: n-grams of the gold sentences that the current
//! predictions miss, with their precision estimated by cross-validation over articles
//! (`sentlab rules suggest`; the definitions are in `docs/suggest.md`).

use std::collections::BTreeSet;

use super::text::{FxMap, STOP_WORDS, inflections};

/// One sentence of the corpus the suggestions are drawn from.
#[derive(Debug, Clone, Copy)]
pub struct SuggestSentence<'a> {
    /// Its article's id (folds are assigned by article).
    pub article_id: &'a str,
    /// Its text.
    pub text: &'a str,
}

/// What is known of one label, per sentence (every vector has one entry per sentence).
#[derive(Debug, Clone, Default)]
pub struct LabelFacts {
    /// The label.
    pub label: String,
    /// Whether the gold labels give the sentence this label.
    pub gold: Vec<bool>,
    /// Whether the current predictions give the sentence this label (all `false` when
    /// there are no predictions: every gold sentence is then "missed").
    pub predicted: Vec<bool>,
    /// Whether an existing rule of this label fires on the sentence (`None`: no rules given).
    pub fired: Option<Vec<bool>>,
    /// The entries of the existing lexicon rules of this label, lowercased: never suggested.
    pub existing: BTreeSet<String>,
}

/// The settings of a suggestion run.
#[derive(Debug, Clone, PartialEq)]
pub struct SuggestOptions {
    /// Longest phrase, in words (1..=4).
    pub max_words: usize,
    /// A phrase's new true positives must lie in at least this many articles.
    pub min_articles: usize,
    /// A phrase's training precision must be at least this.
    pub min_precision: f64,
    /// Number of cross-validation folds (at least 2).
    pub folds: usize,
    /// Phrases kept per label.
    pub top: usize,
    /// Count the inflections of a phrase's last word as the phrase (`inflect = true`).
    pub inflect: bool,
}

impl Default for SuggestOptions {
    fn default() -> Self {
        SuggestOptions {
            max_words: 4,
            min_articles: 3,
            min_precision: 0.5,
            folds: 5,
            top: 20,
            inflect: false,
        }
    }
}

/// One suggested phrase and its evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// The label it is suggested for.
    pub label: String,
    /// The phrase, lowercased, words separated by one space.
    pub phrase: String,
    /// Sentences containing the phrase.
    pub support: usize,
    /// Of these, sentences with the label in the gold.
    pub tp: usize,
    /// Of these, sentences the predictions miss (the new true positives).
    pub new_tp: usize,
    /// Distinct articles of the new true positives.
    pub articles: usize,
    /// Held-out true positives, pooled over the folds where the phrase was selected.
    pub heldout_tp: usize,
    /// Held-out sentences containing the phrase, pooled likewise.
    pub heldout_n: usize,
    /// Sentences containing the phrase where an existing rule of the label fires.
    pub overlap: Option<usize>,
}

impl Suggestion {
    /// Training precision: `tp / support`.
    pub fn precision(&self) -> f64 {
        self.tp as f64 / self.support as f64
    }

    /// Held-out precision `heldout_tp / heldout_n` (`None` when never measured).
    pub fn heldout_precision(&self) -> Option<f64> {
        (self.heldout_n > 0).then(|| self.heldout_tp as f64 / self.heldout_n as f64)
    }

    /// Wilson 95% lower bound of the held-out precision (0 when never measured).
    pub fn wilson_lower(&self) -> f64 {
        wilson_lower(self.heldout_tp, self.heldout_n)
    }
}

/// The fold of an article: 32-bit FNV-1a of the id's UTF-8 bytes, modulo `folds`.
pub fn fold_of(article_id: &str, folds: usize) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    for &b in article_id.as_bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h as usize % folds.max(1)
}

/// Lower bound of the Wilson score interval (z = 1.96) for `k` successes out of `n`
/// (0 when `n` is 0).
pub fn wilson_lower(k: usize, n: usize) -> f64 {
    if n == 0 {
        return 0.0;
    }
    let z = 1.96_f64;
    let n = n as f64;
    let p = k as f64 / n;
    let z2 = z * z;
    let centre = p + z2 / (2.0 * n);
    let margin = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    ((centre - margin) / (1.0 + z2 / n)).max(0.0)
}

/// The words of a sentence as the rules tokenise them: runs of letters and digits, joined
/// by `'`, `’` or `-` between two of them; each with its byte range.
fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if !c.is_alphanumeric() {
            continue;
        }
        let start = i;
        let mut end = i + c.len_utf8();
        loop {
            match it.peek() {
                Some(&(j, d)) if d.is_alphanumeric() => {
                    end = j + d.len_utf8();
                    it.next();
                }
                Some(&(j, d)) if matches!(d, '\'' | '’' | '-') => {
                    let after = text[j + d.len_utf8()..].chars().next();
                    if after.is_some_and(char::is_alphanumeric) {
                        it.next();
                        end = j + d.len_utf8();
                    } else {
                        break;
                    }
                }
                _ => break,
            }
        }
        out.push((start, end));
    }
    out
}

/// The phrases of up to `max_words` words of a sentence (words of a phrase separated by
/// whitespace only), as word ids padded with `NONE`; `vocab` interns lowercased words.
fn phrases(text: &str, max_words: usize, vocab: &mut Vocab, out: &mut Vec<Key>) {
    out.clear();
    let ws = words(text);
    let ids: Vec<u32> = ws.iter().map(|&(s, e)| vocab.intern(&text[s..e])).collect();
    for i in 0..ws.len() {
        let mut key = [NONE; 4];
        for n in 0..max_words.min(4) {
            let j = i + n;
            if j >= ws.len() {
                break;
            }
            if n > 0 {
                let gap = &text[ws[j - 1].1..ws[j].0];
                if gap.is_empty() || !gap.chars().all(char::is_whitespace) {
                    break;
                }
            }
            key[n] = ids[j];
            out.push(key);
        }
    }
    out.sort_unstable();
    out.dedup();
}

/// A phrase: word ids, unused places `NONE`.
type Key = [u32; 4];
const NONE: u32 = u32::MAX;

/// Interned lowercased words.
#[derive(Default)]
struct Vocab {
    ids: FxMap<String, u32>,
    words: Vec<String>,
    /// Per word: a stop word, or a word without a letter.
    weak: Vec<bool>,
}

impl Vocab {
    fn intern(&mut self, word: &str) -> u32 {
        let lower = word.to_lowercase();
        if let Some(&id) = self.ids.get(&lower) {
            return id;
        }
        let id = self.words.len() as u32;
        let weak = STOP_WORDS.contains(&lower.as_str()) || !lower.chars().any(char::is_alphabetic);
        self.weak.push(weak);
        self.words.push(lower.clone());
        self.ids.insert(lower, id);
        id
    }

    fn text(&self, key: &Key) -> String {
        let parts: Vec<&str> = key
            .iter()
            .take_while(|&&w| w != NONE)
            .map(|&w| self.words[w as usize].as_str())
            .collect();
        parts.join(" ")
    }
}

/// Length of a phrase in words.
fn len(key: &Key) -> usize {
    key.iter().take_while(|&&w| w != NONE).count()
}

/// Suggested phrases per label (in the order of `labels`), each label's best first: ranked
/// by the Wilson lower bound of the held-out precision, then new true positives, then
/// support, then the phrase. See `docs/suggest.md` for every definition.
pub fn suggest(
    sentences: &[SuggestSentence<'_>],
    labels: &[LabelFacts],
    opts: &SuggestOptions,
) -> Vec<Suggestion> {
    let folds = opts.folds.max(2);
    // Articles: index and fold.
    let mut article_ids: FxMap<&str, u32> = FxMap::default();
    let mut article_fold: Vec<usize> = Vec::new();
    let article: Vec<u32> = sentences
        .iter()
        .map(|s| {
            *article_ids.entry(s.article_id).or_insert_with(|| {
                article_fold.push(fold_of(s.article_id, folds));
                article_fold.len() as u32 - 1
            })
        })
        .collect();

    // Phrases of every sentence.
    let mut vocab = Vocab::default();
    let mut buf = Vec::new();
    let sentence_phrases: Vec<Vec<Key>> = sentences
        .iter()
        .map(|s| {
            phrases(s.text, opts.max_words, &mut vocab, &mut buf);
            buf.clone()
        })
        .collect();

    // Candidates: phrases of the missed sentences of each label.
    let mut cand: FxMap<Key, u32> = FxMap::default();
    let mut cand_keys: Vec<Key> = Vec::new();
    let mut cand_labels: Vec<Vec<u32>> = Vec::new();
    for (li, facts) in labels.iter().enumerate() {
        for (si, keys) in sentence_phrases.iter().enumerate() {
            if !facts.gold[si] || facts.predicted[si] {
                continue;
            }
            for key in keys {
                if key
                    .iter()
                    .take_while(|&&w| w != NONE)
                    .all(|&w| vocab.weak[w as usize])
                {
                    continue;
                }
                let c = *cand.entry(*key).or_insert_with(|| {
                    cand_keys.push(*key);
                    cand_labels.push(Vec::new());
                    cand_keys.len() as u32 - 1
                });
                let ls = &mut cand_labels[c as usize];
                if ls.last() != Some(&(li as u32)) {
                    ls.push(li as u32);
                }
            }
        }
    }

    // With inflection: the words each word is an inflection of (other than itself).
    let mut bases: Vec<Vec<u32>> = vec![Vec::new(); vocab.words.len()];
    if opts.inflect {
        for (b, word) in vocab.words.iter().enumerate() {
            for form in inflections(word) {
                if form != *word
                    && let Some(&f) = vocab.ids.get(&form)
                {
                    bases[f as usize].push(b as u32);
                }
            }
        }
    }

    // Occurrences: the sentences containing each candidate (its inflections too).
    let mut occ: Vec<Vec<u32>> = vec![Vec::new(); cand_keys.len()];
    for (si, keys) in sentence_phrases.iter().enumerate() {
        let si = si as u32;
        for key in keys {
            let mut add = |k: &Key| {
                if let Some(&c) = cand.get(k) {
                    let o = &mut occ[c as usize];
                    if o.last() != Some(&si) {
                        o.push(si);
                    }
                }
            };
            add(key);
            if opts.inflect {
                let last = len(key) - 1;
                for &b in &bases[key[last] as usize] {
                    let mut k = *key;
                    k[last] = b;
                    add(&k);
                }
            }
        }
    }

    let mut out = Vec::new();
    for (li, facts) in labels.iter().enumerate() {
        let mut found: Vec<(u32, Suggestion)> = Vec::new();
        for (c, ls) in cand_labels.iter().enumerate() {
            if !ls.contains(&(li as u32)) {
                continue;
            }
            let phrase = vocab.text(&cand_keys[c]);
            if facts.existing.contains(&phrase) {
                continue;
            }
            if let Some(s) = evaluate(&occ[c], facts, &article, &article_fold, folds, opts) {
                found.push((c as u32, Suggestion { phrase, ..s }));
            }
        }
        // A phrase with exactly the occurrences of a shorter phrase inside it adds nothing.
        let kept: FxMap<Key, usize> = found
            .iter()
            .enumerate()
            .map(|(i, (c, _))| (cand_keys[*c as usize], i))
            .collect();
        let redundant = |c: u32| {
            let key = cand_keys[c as usize];
            let n = len(&key);
            (1..n).any(|m| {
                (0..=n - m).any(|from| {
                    let mut sub = [NONE; 4];
                    sub[..m].copy_from_slice(&key[from..from + m]);
                    kept.get(&sub)
                        .is_some_and(|&i| occ[found[i].0 as usize] == occ[c as usize])
                })
            })
        };
        let mut label_out: Vec<Suggestion> = found
            .iter()
            .filter(|(c, _)| !redundant(*c))
            .map(|(_, s)| Suggestion {
                label: facts.label.clone(),
                ..s.clone()
            })
            .collect();
        label_out.sort_by(|a, b| {
            b.wilson_lower()
                .total_cmp(&a.wilson_lower())
                .then(b.new_tp.cmp(&a.new_tp))
                .then(b.support.cmp(&a.support))
                .then(a.phrase.cmp(&b.phrase))
        });
        label_out.truncate(opts.top);
        out.extend(label_out);
    }
    out
}

/// The evidence for one phrase of one label, `None` when it is not selected on the whole
/// corpus (fewer than `min_articles` articles of new true positives, or a training
/// precision below `min_precision`).
fn evaluate(
    occ: &[u32],
    facts: &LabelFacts,
    article: &[u32],
    article_fold: &[usize],
    folds: usize,
    opts: &SuggestOptions,
) -> Option<Suggestion> {
    let mut tp = 0;
    let mut new_tp = 0;
    let mut fold_n = vec![0usize; folds];
    let mut fold_tp = vec![0usize; folds];
    let mut new_articles: Vec<u32> = Vec::new();
    let mut overlap = facts.fired.as_ref().map(|_| 0);
    for &s in occ {
        let s = s as usize;
        let f = article_fold[article[s] as usize];
        fold_n[f] += 1;
        if facts.gold[s] {
            tp += 1;
            fold_tp[f] += 1;
            if !facts.predicted[s] {
                new_tp += 1;
                new_articles.push(article[s]);
            }
        }
        if let (Some(o), Some(fired)) = (overlap.as_mut(), facts.fired.as_ref())
            && fired[s]
        {
            *o += 1;
        }
    }
    new_articles.sort_unstable();
    new_articles.dedup();
    let support = occ.len();
    let selected = |articles: usize, tp: usize, n: usize| {
        articles >= opts.min_articles && n > 0 && tp as f64 >= opts.min_precision * n as f64
    };
    if !selected(new_articles.len(), tp, support) {
        return None;
    }
    let mut fold_articles = vec![0usize; folds];
    for &a in &new_articles {
        fold_articles[article_fold[a as usize]] += 1;
    }
    let (mut heldout_tp, mut heldout_n) = (0, 0);
    for f in 0..folds {
        let train_ok = selected(
            new_articles.len() - fold_articles[f],
            tp - fold_tp[f],
            support - fold_n[f],
        );
        if train_ok {
            heldout_tp += fold_tp[f];
            heldout_n += fold_n[f];
        }
    }
    Some(Suggestion {
        label: String::new(),
        phrase: String::new(),
        support,
        tp,
        new_tp,
        articles: new_articles.len(),
        heldout_tp,
        heldout_n,
        overlap,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(article, text, gold X, predicted X)`.
    type Row = (&'static str, &'static str, bool, bool);

    /// Folds with `--folds 2`: FNV-1a starts from 0x811c9dc5 (odd) and multiplies by an
    /// odd prime, so the hash of a one-byte id is odd exactly when the byte is even:
    /// `a` (0x61), `c`, `e` are in fold 0; `b` (0x62), `d` in fold 1.
    const CORPUS: &[Row] = &[
        ("a", "The deep state lies.", true, false),
        ("a", "The state of the weather is fine.", false, false),
        ("b", "The deep state again.", true, false),
        ("b", "Deep water.", false, false),
        ("c", "A deep state plot.", true, true),
        ("d", "The deep state is a myth.", false, false),
        ("e", "Deep state, they say.", true, false),
    ];

    fn run(
        rows: &[Row],
        facts: impl FnOnce(&mut LabelFacts),
        opts: &SuggestOptions,
    ) -> Vec<Suggestion> {
        let sentences: Vec<SuggestSentence<'_>> = rows
            .iter()
            .map(|&(article_id, text, _, _)| SuggestSentence { article_id, text })
            .collect();
        let mut f = LabelFacts {
            label: "X".into(),
            gold: rows.iter().map(|r| r.2).collect(),
            predicted: rows.iter().map(|r| r.3).collect(),
            ..LabelFacts::default()
        };
        facts(&mut f);
        suggest(&sentences, &[f], opts)
    }

    fn two_folds() -> SuggestOptions {
        SuggestOptions {
            min_articles: 2,
            folds: 2,
            ..SuggestOptions::default()
        }
    }

    #[test]
    fn folds_are_fnv1a_of_the_article_id() {
        // Parity argument above for two folds.
        assert_eq!(fold_of("a", 2), 0);
        assert_eq!(fold_of("b", 2), 1);
        assert_eq!(fold_of("e", 2), 0);
        // `a`: 0x811c9dc5 ^ 0x61 = 0x811c9da4; times 0x01000193 modulo 2^32 =
        // 0x811c9da4 * 0x193 + (0xa4 << 24) mod 2^32 = 1074538796 + 2751463424 = 3826002220;
        // digit sum 25, so 3826002220 mod 3 = 1.
        assert_eq!(fold_of("a", 3), 1);
    }

    #[test]
    fn wilson_lower_bound_by_hand() {
        // k = 1, n = 2, z = 1.96: p = 0.5, z^2 = 3.8416;
        // centre = 0.5 + 3.8416 / 4 = 1.4604;
        // margin = 1.96 * sqrt(0.25 / 2 + 3.8416 / 16) = 1.96 * sqrt(0.3651) = 1.184301;
        // (1.4604 - 1.184301) / (1 + 3.8416 / 2) = 0.276099 / 2.9208 = 0.094528.
        assert!((wilson_lower(1, 2) - 0.094528).abs() < 1e-5);
        // k = n = 2: centre = 1 + 0.9604 = 1.9604; margin = 1.96 * sqrt(3.8416 / 16) = 0.9604;
        // 1.0 / 2.9208 = 0.342372.
        assert!((wilson_lower(2, 2) - 0.342372).abs() < 1e-5);
        assert_eq!(wilson_lower(0, 0), 0.0);
    }

    #[test]
    fn phrases_are_whitespace_separated_rule_words() {
        let mut vocab = Vocab::default();
        let mut out = Vec::new();
        phrases("The so-called end. Then don’t", 4, &mut vocab, &mut out);
        let mut texts: Vec<String> = out.iter().map(|k| vocab.text(k)).collect();
        texts.sort();
        // Words: the, so-called, end | then, don’t (the full stop breaks phrases).
        assert_eq!(
            texts,
            [
                "don’t",
                "end",
                "so-called",
                "so-called end",
                "the",
                "the so-called",
                "the so-called end",
                "then",
                "then don’t"
            ]
        );
    }

    #[test]
    fn evidence_and_held_out_precision_by_hand() {
        let got = run(CORPUS, |_| {}, &two_folds());
        let phrases: Vec<&str> = got.iter().map(|s| s.phrase.as_str()).collect();
        // Missed X sentences: a1, b1, e1 (c1 is predicted). Their phrases in at least two
        // articles of new true positives with precision >= 0.5: `deep`, `state`, `deep state`
        // (a, b, e) and `the deep` (a, b; `the deep state` occurs in exactly the same
        // sentences, so only the shorter is listed). Stop-word-only phrases (`the`, `is`)
        // and one-article phrases (`lies`) are not candidates.
        //
        // `state`: a1 tp, a2 fp, b1 tp, c1 tp, d1 fp, e1 tp: support 6, tp 4, new tp 3.
        // Fold 0 (a, c, e): n 4, tp 3, new-tp articles 2; fold 1 (b, d): n 2, tp 1, 1 article.
        // Held out fold 0: trained on fold 1, 1 article < 2: not selected.
        // Held out fold 1: trained on fold 0, 2 articles, precision 3/4: selected, 1/2.
        // `deep state`: a1, b1, c1, d1, e1: support 5, tp 4; fold 0 n 3 tp 3 (2 articles),
        // fold 1 n 2 tp 1: held out 1/2 as well, fewer sentences, so after `state`.
        // `deep`: a1, b1, b2, c1, d1, e1; fold 1 n 3 tp 1: held out 1/3 (Wilson 0.0615).
        // `the deep`: a1, b1, d1, one new-tp article per fold: never selected on
        // a training part, no held-out estimate (Wilson 0).
        assert_eq!(phrases, ["state", "deep state", "deep", "the deep"]);
        let s = &got[1];
        assert_eq!(
            (
                s.support,
                s.tp,
                s.new_tp,
                s.articles,
                s.heldout_tp,
                s.heldout_n
            ),
            (5, 4, 3, 3, 1, 2)
        );
        assert!((s.precision() - 0.8).abs() < 1e-12);
        assert!((s.wilson_lower() - 0.094528).abs() < 1e-5);
        assert_eq!(s.overlap, None);
        let d = &got[2];
        assert_eq!((d.support, d.heldout_tp, d.heldout_n), (6, 1, 3));
        let t = &got[3];
        assert_eq!((t.support, t.tp, t.articles, t.heldout_n), (3, 2, 2, 0));
        assert_eq!(t.heldout_precision(), None);
    }

    #[test]
    fn existing_entries_are_skipped_and_overlap_counted() {
        // Rules fire on a1 and d1: `deep state` occurs in both, `deep` too.
        let got = run(
            CORPUS,
            |f| {
                f.existing.insert("state".into());
                f.fired = Some(vec![true, false, false, false, false, true, false]);
            },
            &two_folds(),
        );
        let phrases: Vec<(&str, Option<usize>)> =
            got.iter().map(|s| (s.phrase.as_str(), s.overlap)).collect();
        assert_eq!(
            phrases,
            [
                ("deep state", Some(2)),
                ("deep", Some(2)),
                ("the deep", Some(2))
            ]
        );
    }

    #[test]
    fn min_articles_and_min_precision_filter() {
        let opts = SuggestOptions {
            min_articles: 3,
            min_precision: 0.7,
            ..two_folds()
        };
        // Three new-tp articles: `state`, `deep state`, `deep`; precision 4/6 = 0.667 < 0.7
        // drops `state` and `deep`; `deep state` has 4/5 = 0.8. Held out: fold 1 trained on
        // fold 0 has 2 articles < 3: never selected.
        let got = run(CORPUS, |_| {}, &opts);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].phrase, "deep state");
        assert_eq!(got[0].heldout_n, 0);
    }

    #[test]
    fn inflect_counts_the_inflections_of_the_last_word() {
        let rows: &[Row] = &[
            ("p", "They smear him.", true, false),
            ("q", "They smeared her.", true, false),
            ("r", "Smears everywhere.", false, false),
        ];
        let opts = SuggestOptions {
            min_articles: 1,
            ..two_folds()
        };
        let plain = run(rows, |_| {}, &opts);
        let smear = plain.iter().find(|s| s.phrase == "smear").expect("smear");
        assert_eq!((smear.support, smear.tp), (1, 1));
        let inflected = run(
            rows,
            |_| {},
            &SuggestOptions {
                inflect: true,
                ..opts
            },
        );
        // smear, smeared, smears: 3 sentences, 2 of them gold.
        let smear = inflected
            .iter()
            .find(|s| s.phrase == "smear")
            .expect("smear");
        assert_eq!((smear.support, smear.tp, smear.new_tp), (3, 2, 2));
    }

    #[test]
    fn a_longer_phrase_with_the_same_sentences_is_dropped() {
        let rows: &[Row] = &[
            ("a", "Witch hunt now.", true, false),
            ("b", "A witch hunt.", true, false),
        ];
        let opts = SuggestOptions {
            min_articles: 2,
            ..two_folds()
        };
        let got = run(rows, |_| {}, &opts);
        let phrases: BTreeSet<&str> = got.iter().map(|s| s.phrase.as_str()).collect();
        // `witch hunt` occurs exactly where `witch` (and `hunt`) do.
        assert_eq!(phrases, BTreeSet::from(["hunt", "witch"]));
    }
}
