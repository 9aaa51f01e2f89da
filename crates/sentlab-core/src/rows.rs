//! Row types of the tables that sentlab's steps exchange (the public data contracts).
//!
//! Offsets are Unicode code points into the article text (start inclusive, end exclusive),
//! as in the Propaganda Techniques Corpus. Column order in CSV follows field order here.

use serde::{Deserialize, Serialize};

/// Whether a sentence is the article's title line or part of its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SentenceKind {
    /// The first line of an article in the corpus layout.
    Title,
    /// Everything after the title.
    Body,
}

impl SentenceKind {
    /// The name used in tables (`title` or `body`).
    pub fn as_str(self) -> &'static str {
        match self {
            SentenceKind::Title => "title",
            SentenceKind::Body => "body",
        }
    }
}

/// One row of the sentence table (output of `split`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentenceRow {
    /// Article id: file stem (leading `article` before digits dropped) or the input's id field.
    pub article_id: String,
    /// `{article_id}:{index}`, unique in the table.
    pub sentence_id: String,
    /// 0-based position of the sentence in its article; the title, when present, is 0.
    pub index: u32,
    /// 0-based paragraph number (blocks separated by blank lines; the title block is 0).
    pub paragraph: u32,
    /// `title` or `body`.
    pub kind: SentenceKind,
    /// Code-point offset of the first character in the article text.
    pub start: u64,
    /// Code-point offset one past the last character.
    pub end: u64,
    /// The article text from `start` to `end`, exactly.
    pub text: String,
}

/// Builds the sentence id `{article_id}:{index}`.
pub fn sentence_id(article_id: &str, index: u32) -> String {
    format!("{article_id}:{index}")
}

/// Splits a sentence id into its article id and index (`None` when it has no `:index` suffix).
pub fn split_sentence_id(sentence_id: &str) -> Option<(&str, u32)> {
    let (article, index) = sentence_id.rsplit_once(':')?;
    Some((article, index.parse().ok()?))
}

/// One row of a long label table: an annotator (or the gold merge) says `label` holds for
/// the sentence.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LabelRow {
    /// The sentence the label applies to.
    pub sentence_id: String,
    /// The label name (may contain commas, e.g. `Name_Calling,Labeling`).
    pub label: String,
}

/// One row of the merged gold label table (output of `labels merge`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldRow {
    /// The sentence the label applies to.
    pub sentence_id: String,
    /// The label name.
    pub label: String,
    /// How many annotators said yes.
    pub votes: u32,
    /// The annotators who said yes, separated by `;`, sorted.
    pub annotators: String,
}

/// One row of the prediction table (output of `extract`): one rule match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PredictionRow {
    /// The sentence the match lies in.
    pub sentence_id: String,
    /// The label the rule predicts.
    pub label: String,
    /// The id of the rule that matched.
    pub rule_id: String,
    /// Code-point offset of the match in the article text.
    pub start: u64,
    /// Code-point offset one past the match.
    pub end: u64,
    /// The matched text.
    #[serde(rename = "match")]
    pub matched: String,
}

/// A [`PredictionRow`] that borrows its strings (from the sentence table and the rules), so
/// `extract` writes predictions without allocating them; serialises to the same columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PredictionRef<'a> {
    /// The sentence the match lies in.
    pub sentence_id: &'a str,
    /// The label the rule predicts.
    pub label: &'a str,
    /// The id of the rule that matched.
    pub rule_id: &'a str,
    /// Code-point offset of the match in the article text.
    pub start: u64,
    /// Code-point offset one past the match.
    pub end: u64,
    /// The matched text.
    #[serde(rename = "match")]
    pub matched: &'a str,
}

impl PredictionRef<'_> {
    /// The owned row.
    pub fn to_row(&self) -> PredictionRow {
        PredictionRow {
            sentence_id: self.sentence_id.to_owned(),
            label: self.label.to_owned(),
            rule_id: self.rule_id.to_owned(),
            start: self.start,
            end: self.end,
            matched: self.matched.to_owned(),
        }
    }
}

/// A labelled span in the PTC layout (`article_id TAB label TAB start TAB end`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SpanLabel {
    /// The article the span is in.
    pub article_id: String,
    /// The label name.
    pub label: String,
    /// Code-point offset of the span start in the article text.
    pub start: u64,
    /// Code-point offset one past the span end.
    pub end: u64,
}
