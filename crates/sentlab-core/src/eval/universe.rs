//! Interning of sentence ids (the sentence table is the universe) and label names.

use std::collections::HashMap;

use super::EvalError;
use crate::rows::SentenceRow;

/// Article id of a sentence id: everything before the last `:` (the whole id if it has none).
pub fn article_of(sentence_id: &str) -> &str {
    sentence_id
        .rsplit_once(':')
        .map_or(sentence_id, |(article, _)| article)
}

/// Parses a canonical sentence index (`0` or digits without a leading zero or sign).
fn canonical_index(s: &str) -> Option<u32> {
    let b = s.as_bytes();
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) || (b.len() > 1 && b[0] == b'0') {
        return None;
    }
    s.parse().ok()
}

/// How sentence ids are looked up.
#[derive(Debug, Clone)]
enum Lookup {
    /// The table is in canonical layout: each article's sentences are contiguous and
    /// numbered `0, 1, 2, ...` in order, so an id is found from its article alone
    /// (`base[article] + index`), without a map over all sentence ids.
    Layout {
        /// Article id to article index.
        articles: HashMap<String, u32>,
        /// First sentence index of each article.
        base: Vec<u32>,
        /// Sentences of each article.
        count: Vec<u32>,
    },
    /// Any other table: a map over all ids.
    Map {
        /// Sentence id to sentence index.
        index: HashMap<String, u32>,
        /// Sentence ids by index.
        ids: Vec<String>,
    },
}

impl Default for Lookup {
    fn default() -> Self {
        Lookup::Layout {
            articles: HashMap::new(),
            base: Vec::new(),
            count: Vec::new(),
        }
    }
}

/// The sentence table as a universe: sentence ids interned to `u32` in table order, plus the
/// article index of every sentence (articles interned in order of first appearance; article
/// id = sentence id up to the last `:`).
///
/// When the table has the layout `split` writes (each article's sentences contiguous, ids
/// `{article}:0`, `{article}:1`, ... in order), lookups only hash the article id and no map
/// over all sentence ids is kept; otherwise a full id map is used. Both give the same
/// indices.
#[derive(Debug, Clone, Default)]
pub struct Universe {
    lookup: Lookup,
    article_of: Vec<u32>,
    articles: Vec<String>,
}

impl Universe {
    /// Builds the universe from sentence ids in table order; a repeated id is an error.
    pub fn from_ids<I, S>(ids: I) -> Result<Self, EvalError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut u = Universe::default();
        // Article index by id, for the map layout (the canonical layout keeps its own).
        let mut article_index: HashMap<String, u32> = HashMap::new();
        for id in ids {
            let id = id.as_ref();
            let n = u.article_of.len() as u32;
            if let Lookup::Layout {
                articles,
                base,
                count,
            } = &mut u.lookup
            {
                let parsed = id
                    .rsplit_once(':')
                    .and_then(|(a, i)| Some((a, canonical_index(i)?)));
                match parsed {
                    Some((art, 0)) if !articles.contains_key(art) => {
                        let a = u.articles.len() as u32;
                        articles.insert(art.to_owned(), a);
                        u.articles.push(art.to_owned());
                        base.push(n);
                        count.push(1);
                        u.article_of.push(a);
                        continue;
                    }
                    Some((art, i))
                        if u.articles.last().is_some_and(|l| l == art)
                            && count.last() == Some(&i) =>
                    {
                        *count.last_mut().expect("an article") += 1;
                        u.article_of.push(u.articles.len() as u32 - 1);
                        continue;
                    }
                    _ => {
                        // Not the canonical layout: switch to a full map.
                        let ids: Vec<String> = (0..n)
                            .map(|s| {
                                let a = u.article_of[s as usize] as usize;
                                format!("{}:{}", u.articles[a], s - base[a])
                            })
                            .collect();
                        let index = ids
                            .iter()
                            .enumerate()
                            .map(|(s, id)| (id.clone(), s as u32))
                            .collect();
                        article_index = std::mem::take(articles);
                        u.lookup = Lookup::Map { index, ids };
                    }
                }
            }
            let Lookup::Map { index, ids } = &mut u.lookup else {
                unreachable!("switched to the map layout above")
            };
            if index.insert(id.to_owned(), n).is_some() {
                return Err(EvalError::DuplicateSentence(id.to_owned()));
            }
            ids.push(id.to_owned());
            let art = article_of(id);
            let a = match article_index.get(art) {
                Some(&a) => a,
                None => {
                    let a = u.articles.len() as u32;
                    article_index.insert(art.to_owned(), a);
                    u.articles.push(art.to_owned());
                    a
                }
            };
            u.article_of.push(a);
        }
        Ok(u)
    }

    /// Builds the universe from sentence rows (their `sentence_id`, in order).
    pub fn from_sentences(rows: &[SentenceRow]) -> Result<Self, EvalError> {
        Self::from_ids(rows.iter().map(|r| r.sentence_id.as_str()))
    }

    /// Number of sentences.
    pub fn len(&self) -> usize {
        self.article_of.len()
    }

    /// Whether there are no sentences.
    pub fn is_empty(&self) -> bool {
        self.article_of.is_empty()
    }

    /// Whether lookups use the canonical layout (no map over all sentence ids).
    pub fn is_canonical_layout(&self) -> bool {
        matches!(self.lookup, Lookup::Layout { .. })
    }

    /// Index of a sentence id, `None` outside the universe.
    pub fn get(&self, sentence_id: &str) -> Option<u32> {
        match &self.lookup {
            Lookup::Map { index, .. } => index.get(sentence_id).copied(),
            Lookup::Layout {
                articles,
                base,
                count,
            } => {
                let (art, i) = sentence_id.rsplit_once(':')?;
                let i = canonical_index(i)?;
                let a = *articles.get(art)? as usize;
                (i < count[a]).then(|| base[a] + i)
            }
        }
    }

    /// Sentence id of an index (panics when out of range).
    pub fn id(&self, sentence: u32) -> String {
        match &self.lookup {
            Lookup::Map { ids, .. } => ids[sentence as usize].clone(),
            Lookup::Layout { base, .. } => {
                let a = self.article_of[sentence as usize] as usize;
                format!("{}:{}", self.articles[a], sentence - base[a])
            }
        }
    }

    /// Article index of every sentence, by sentence index.
    pub fn article_indices(&self) -> &[u32] {
        &self.article_of
    }

    /// Article ids by article index.
    pub fn articles(&self) -> &[String] {
        &self.articles
    }

    /// The place of each article (by article index) when the articles are ordered by the
    /// bytes of their UTF-8 ids: the order the bootstrap draws articles in, so a draw does
    /// not depend on the order of the tables (and the per-article sums of several partial
    /// runs resample as one run does).
    pub fn id_ranks(&self) -> Vec<usize> {
        id_ranks(&self.articles)
    }
}

/// The place of each id when `ids` are ordered by their bytes (ids are distinct).
pub fn id_ranks<S: AsRef<str>>(ids: &[S]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_unstable_by(|&a, &b| ids[a].as_ref().as_bytes().cmp(ids[b].as_ref().as_bytes()));
    let mut rank = vec![0; ids.len()];
    for (place, &i) in order.iter().enumerate() {
        rank[i] = place;
    }
    rank
}

/// Interned label names. Index order is the evaluation's label order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelSet {
    names: Vec<String>,
    index: HashMap<String, u32>,
}

impl LabelSet {
    /// Builds a label set in the given order, dropping repeats.
    pub fn new<I, S>(names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut set = LabelSet::default();
        for n in names {
            set.intern(n.as_ref());
        }
        set
    }

    /// Index of `name`, adding it at the end when new.
    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = self.names.len() as u32;
        self.index.insert(name.to_owned(), i);
        self.names.push(name.to_owned());
        i
    }

    /// Index of `name`, `None` when unknown.
    pub fn get(&self, name: &str) -> Option<u32> {
        self.index.get(name).copied()
    }

    /// Label names by index.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Number of labels.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether there are no labels.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// Splits a `--labels A,B` argument into labels, aware that label names may themselves
/// contain commas: consecutive comma-separated pieces are joined (longest first) when the
/// joined text is a `known` label. Pieces that match nothing are kept as they are; empty
/// pieces are dropped and surrounding whitespace is trimmed.
pub fn parse_label_list(arg: &str, known: &[String]) -> Vec<String> {
    let pieces: Vec<&str> = arg.split(',').collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < pieces.len() {
        let mut taken = 1;
        for j in (i + 2..=pieces.len()).rev() {
            let joined = pieces[i..j].join(",");
            if known.iter().any(|k| k == joined.trim()) {
                taken = j - i;
                break;
            }
        }
        let label = pieces[i..i + taken].join(",").trim().to_owned();
        if !label.is_empty() {
            out.push(label);
        }
        i += taken;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_is_prefix_before_last_colon() {
        assert_eq!(article_of("a:b:3"), "a:b");
        assert_eq!(article_of("123:0"), "123");
        assert_eq!(article_of("plain"), "plain");
    }

    #[test]
    fn both_lookups_agree() {
        let canonical = ["a:0", "a:1", "b:0", "c:x:0", "c:x:1", "c:x:2"];
        let u = Universe::from_ids(canonical).unwrap();
        assert!(u.is_canonical_layout());
        for (i, id) in canonical.iter().enumerate() {
            assert_eq!(u.get(id), Some(i as u32));
            assert_eq!(u.id(i as u32), *id);
        }
        for missing in ["a:2", "a:01", "a:+1", "b", "d:0", "c:x:3", "a:"] {
            assert_eq!(u.get(missing), None, "{missing}");
        }
        assert_eq!(u.article_indices(), &[0, 0, 1, 2, 2, 2]);
        // Out of order (a:1 after b:0): switches to the map, same indices and articles.
        let other = ["a:0", "b:0", "a:1", "x", "a:07"];
        let m = Universe::from_ids(other).unwrap();
        assert!(!m.is_canonical_layout());
        for (i, id) in other.iter().enumerate() {
            assert_eq!(m.get(id), Some(i as u32));
            assert_eq!(m.id(i as u32), *id);
        }
        assert_eq!(m.get("a:7"), None);
        assert_eq!(m.article_indices(), &[0, 1, 0, 2, 0]);
        assert_eq!(m.articles(), &["a", "b", "x"]);
        assert_eq!(
            Universe::from_ids(["a:0", "a:1", "a:0"]).unwrap_err(),
            EvalError::DuplicateSentence("a:0".into())
        );
    }

    #[test]
    fn universe_interns_in_order_and_rejects_duplicates() {
        let u = Universe::from_ids(["a:0", "a:1", "b:0"]).unwrap();
        assert_eq!(u.get("a:1"), Some(1));
        assert_eq!(u.get("c:0"), None);
        assert_eq!(u.article_indices(), &[0, 0, 1]);
        assert_eq!(u.articles(), &["a".to_string(), "b".to_string()]);
        assert_eq!(
            Universe::from_ids(["a:0", "a:0"]).unwrap_err(),
            EvalError::DuplicateSentence("a:0".into())
        );
    }

    #[test]
    fn label_list_keeps_commas_inside_known_labels() {
        let known = vec!["Name_Calling,Labeling".to_string(), "Doubt".to_string()];
        assert_eq!(
            parse_label_list("Doubt,Name_Calling,Labeling, Other", &known),
            vec!["Doubt", "Name_Calling,Labeling", "Other"]
        );
        assert_eq!(
            parse_label_list("Name_Calling", &known),
            vec!["Name_Calling"]
        );
    }
}
