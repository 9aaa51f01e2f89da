//! The rule model (what a rules file says) and its validation from TOML.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::rows::SentenceKind;

/// A rules file, already read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSource {
    /// Where the text came from (diagnostics and lexicon `file` paths are relative to it).
    pub path: PathBuf,
    /// The TOML text.
    pub text: String,
}

/// A validated rule set (see [`parse`](super::parse)).
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSet {
    pub(super) rules: Vec<Rule>,
}

impl RuleSet {
    /// A set of validated rules.
    pub(super) fn new(rules: Vec<Rule>) -> RuleSet {
        RuleSet { rules }
    }

    /// The rules, in file order then order within each file.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The rules for which `keep` is true, still in order (a subset of a valid set is
    /// valid: ids stay unique).
    pub fn subset(&self, keep: impl FnMut(&&Rule) -> bool) -> RuleSet {
        RuleSet {
            rules: self.rules.iter().filter(keep).cloned().collect(),
        }
    }

    /// The labels the rules predict.
    pub fn labels(&self) -> BTreeSet<String> {
        self.rules.iter().map(|r| r.label.clone()).collect()
    }
}

/// One problem found in a rule set, located in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rules file the problem is in.
    pub path: PathBuf,
    /// 1-based line of the rule or of the offending key.
    pub line: usize,
    /// 1-based column (in characters), when the TOML parser gave one.
    pub column: Option<usize>,
    /// The id of the rule concerned, when known.
    pub rule_id: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.path.display(), self.line)?;
        if let Some(column) = self.column {
            write!(f, ":{column}")?;
        }
        write!(f, ": ")?;
        if let Some(id) = &self.rule_id {
            write!(f, "rule `{id}`: ")?;
        }
        write!(f, "{}", self.message)
    }
}

/// A validated rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Unique id across the rule set.
    pub id: String,
    /// The label the rule predicts.
    pub label: String,
    /// Free text for people.
    pub description: Option<String>,
    /// What the rule looks for.
    pub kind: RuleKind,
    /// Whether lexicon entries and regexes (including `unless`/`requires`) match case-sensitively.
    pub case_sensitive: bool,
    /// Extra conditions every match must meet.
    pub conditions: Conditions,
    /// The file the rule was defined in.
    pub path: PathBuf,
    /// 1-based line of the rule in its file.
    pub line: usize,
}

/// The kind of a rule: exactly one per rule.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleKind {
    /// Words and phrases, all rules' entries compiled into one automaton.
    Lexicon(Lexicon),
    /// A Rust regex (as written in the file; case flags are added at compile time).
    Regex(String),
    /// A content word or phrase repeated in the article.
    Repetition(Repetition),
    /// The shape of the sentence.
    Shape(Shape),
}

impl RuleKind {
    /// The key naming this kind in TOML (`lexicon`, `regex`, `repetition`, `shape`).
    pub fn name(&self) -> &'static str {
        match self {
            RuleKind::Lexicon(_) => "lexicon",
            RuleKind::Regex(_) => "regex",
            RuleKind::Repetition(_) => "repetition",
            RuleKind::Shape(_) => "shape",
        }
    }
}

/// A lexicon: entries from `words` and `file`, whitespace normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lexicon {
    /// The entries (words or phrases, inner whitespace collapsed to one space).
    pub entries: Vec<String>,
    /// Only match whole words (default `true`).
    pub whole_word: bool,
    /// Also match simple inflections (default `false`).
    pub inflect: bool,
}

/// A repetition rule's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repetition {
    /// Number of consecutive content tokens forming the repeated unit (1..=5, default 1).
    pub words: usize,
    /// Minimum occurrences in the article (>= 2, default 3).
    pub min_count: usize,
    /// Minimum length in characters of each word (default 1).
    pub min_length: usize,
    /// Extra stop words (lowercased), on top of the builtin English list.
    pub stop_words: Vec<String>,
}

/// A sentence shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// The sentence ends with `?` (closing quotes/brackets allowed after it).
    Question,
    /// The sentence ends with `!` (closing quotes/brackets allowed after it).
    Exclamation,
    /// A run of ALL-CAPS words.
    AllCaps {
        /// Minimum number of counted caps words in the run (default 2).
        min_caps_words: usize,
        /// Extra acronyms (uppercased) on top of the builtin list.
        acronyms: Vec<String>,
    },
}

/// Where a match must start relative to quoted passages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuotePosition {
    /// `inside_quotes = true`.
    Inside,
    /// `outside_quotes = true`.
    Outside,
}

/// Conditions on a match; all must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conditions {
    /// Regexes that veto the match if any appears in the sentence.
    pub unless: Vec<String>,
    /// Regexes that must all appear in the sentence.
    pub requires: Vec<String>,
    /// Inside or outside quotes.
    pub quotes: Option<QuotePosition>,
    /// Only titles or only body sentences.
    pub sentence_kind: Option<SentenceKind>,
    /// Minimum sentence length in words.
    pub min_words: Option<usize>,
    /// Maximum sentence length in words.
    pub max_words: Option<usize>,
    /// Proximity vetoes: the match is vetoed when one of the words is near it.
    pub unless_near: Vec<Near>,
    /// Proximity requirements: one of the words must be near the match (each entry).
    pub requires_near: Vec<Near>,
}

/// A proximity condition: `{ words = [...], within = N, side = "before" }` in `unless` or
/// `requires`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Near {
    /// Words or phrases (inner whitespace collapsed to one space), matched as whole words
    /// with the rule's case setting.
    pub words: Vec<String>,
    /// At most this many words between the phrase and the match.
    pub within: usize,
    /// Where the phrase must be.
    pub side: Side,
}

/// Where a proximity phrase is looked for, relative to the match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Ending before the match starts.
    Before,
    /// Starting after the match ends.
    After,
    /// Either of them.
    Either,
}

impl Side {
    /// The TOML value naming the side.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Before => "before",
            Side::After => "after",
            Side::Either => "either",
        }
    }
}

/// The largest `within` of a proximity condition.
pub const MAX_WITHIN: usize = 50;

const RULE_KEYS: &[&str] = &[
    "id",
    "label",
    "description",
    "lexicon",
    "regex",
    "repetition",
    "shape",
    "case_sensitive",
    "min_caps_words",
    "acronyms",
    "unless",
    "requires",
    "inside_quotes",
    "outside_quotes",
    "kind",
    "min_words",
    "max_words",
];
const KIND_KEYS: &[&str] = &["lexicon", "regex", "repetition", "shape"];
const LEXICON_KEYS: &[&str] = &["words", "file", "inflect", "whole_word"];
const REPETITION_KEYS: &[&str] = &["words", "min_count", "min_length", "stop_words"];
const NEAR_KEYS: &[&str] = &["words", "within", "side"];

/// Line/column lookup for one source text.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Lines { text, starts }
    }

    fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }

    fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line(offset);
        let start = self.starts[line - 1];
        let col = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count())
            + 1;
        (line, col)
    }
}

/// Collects diagnostics for one file.
struct FileCtx<'a> {
    path: &'a Path,
    lines: Lines<'a>,
    diags: &'a mut Vec<Diagnostic>,
    /// Labels a rule may predict (`rules check --schema`), when given.
    known_labels: Option<&'a BTreeSet<String>>,
    /// Every rule id seen, with the file and line of its rule (rules with other problems
    /// included, so duplicates are reported with them).
    ids: &'a mut Vec<(String, PathBuf, usize)>,
}

impl FileCtx<'_> {
    fn push(&mut self, offset: usize, rule_id: Option<&str>, message: impl Into<String>) {
        self.diags.push(Diagnostic {
            path: self.path.to_path_buf(),
            line: self.lines.line(offset),
            column: None,
            rule_id: rule_id.map(str::to_owned),
            message: message.into(),
        });
    }
}

type Val<'i> = Spanned<DeValue<'i>>;

/// Parses and validates rules files; see [`super::parse`].
pub(super) fn parse_sources(
    sources: &[RuleSource],
    read_file: &dyn Fn(&Path) -> std::io::Result<String>,
    known_labels: Option<&BTreeSet<String>>,
) -> (Vec<Rule>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut rules = Vec::new();
    let mut ids = Vec::new();
    for source in sources {
        let (table, errors) = DeTable::parse_recoverable(&source.text);
        let lines = Lines::new(&source.text);
        if !errors.is_empty() {
            for error in errors {
                let (line, column) = error
                    .span()
                    .map_or((1, 1), |span| lines.line_col(span.start));
                diags.push(Diagnostic {
                    path: source.path.clone(),
                    line,
                    column: Some(column),
                    rule_id: None,
                    message: format!("invalid TOML: {}", error.message().trim_end()),
                });
            }
            continue;
        }
        let mut ctx = FileCtx {
            path: &source.path,
            lines,
            diags: &mut diags,
            known_labels,
            ids: &mut ids,
        };
        let mut tables = 0;
        for (key, value) in table.get_ref().iter() {
            if key.get_ref() != "rule" {
                ctx.push(
                    key.span().start,
                    None,
                    format!(
                        "unknown top-level key `{}` (expected `[[rule]]` tables)",
                        key.get_ref()
                    ),
                );
                continue;
            }
            let Some(array) = value.get_ref().as_array() else {
                ctx.push(
                    key.span().start,
                    None,
                    "`rule` must be an array of tables (`[[rule]]`)",
                );
                continue;
            };
            for item in array.iter() {
                tables += 1;
                match item.get_ref().as_table() {
                    Some(t) => {
                        if let Some(rule) = parse_rule(&mut ctx, item.span().start, t, read_file) {
                            rules.push(rule);
                        }
                    }
                    None => ctx.push(item.span().start, None, "`rule` entries must be tables"),
                }
            }
        }
        if tables == 0 {
            ctx.push(0, None, "no rules (expected at least one `[[rule]]` table)");
        }
    }

    // Duplicate ids across the whole set.
    let mut by_id: BTreeMap<&str, Vec<(&Path, usize)>> = BTreeMap::new();
    for (id, path, line) in &ids {
        by_id.entry(id.as_str()).or_default().push((path, *line));
    }
    for (id, group) in &by_id {
        if group.len() > 1 {
            let places: Vec<String> = group
                .iter()
                .map(|(path, line)| format!("{}:{line}", path.display()))
                .collect();
            for (path, line) in group {
                diags.push(Diagnostic {
                    path: path.to_path_buf(),
                    line: *line,
                    column: None,
                    rule_id: Some((*id).to_owned()),
                    message: format!("duplicate rule id (defined at {})", places.join(", ")),
                });
            }
        }
    }

    (rules, diags)
}

fn parse_rule(
    ctx: &mut FileCtx<'_>,
    offset: usize,
    t: &DeTable<'_>,
    read_file: &dyn Fn(&Path) -> std::io::Result<String>,
) -> Option<Rule> {
    let before = ctx.diags.len();
    let get = |name: &str| t.get(name);
    let id = match get("id") {
        Some(v) => expect_str(ctx, None, "id", v).map(str::to_owned),
        None => {
            ctx.push(offset, None, "rule has no `id`");
            None
        }
    };
    if let Some(id) = &id
        && id.trim().is_empty()
    {
        ctx.push(offset, None, "rule `id` is empty");
    }
    let rid = id.as_deref();
    if let Some(id) = rid
        && !id.trim().is_empty()
    {
        let line = ctx.lines.line(offset);
        ctx.ids.push((id.to_owned(), ctx.path.to_path_buf(), line));
    }

    for (key, _) in t.iter() {
        let k = key.get_ref().as_ref();
        if !RULE_KEYS.contains(&k) {
            let mut message = format!("unknown key `{k}`");
            if let Some(s) = closest(k, RULE_KEYS.iter().copied()) {
                message.push_str(&format!(" (did you mean `{s}`?)"));
            }
            ctx.push(key.span().start, rid, message);
        }
    }

    let label = match get("label") {
        Some(v) => {
            let l = expect_str(ctx, rid, "label", v).map(str::to_owned);
            if l.as_deref().is_some_and(|l| l.trim().is_empty()) {
                ctx.push(v.span().start, rid, "`label` is empty");
            }
            l
        }
        None => {
            ctx.push(offset, rid, "rule has no `label`");
            None
        }
    };
    // Checked even when the rule has other problems, so one run reports them all.
    if let (Some(known), Some(l)) = (ctx.known_labels, label.as_deref())
        && !l.trim().is_empty()
        && !known.contains(l)
    {
        let mut message = format!("unknown label `{l}`");
        if let Some(s) = closest(l, known.iter().map(String::as_str)) {
            message.push_str(&format!(" (did you mean `{s}`?)"));
        }
        ctx.push(offset, rid, message);
    }
    let description =
        get("description").and_then(|v| expect_str(ctx, rid, "description", v).map(str::to_owned));
    let case_sensitive = key_or(ctx, rid, (t, "case_sensitive", ""), false, expect_bool);

    let kinds: Vec<(&str, &Val<'_>)> = KIND_KEYS
        .iter()
        .filter_map(|k| get(k).map(|v| (*k, v)))
        .collect();
    let kind = match kinds.as_slice() {
        [] => {
            ctx.push(
                offset,
                rid,
                "rule has no kind (one of `lexicon`, `regex`, `repetition`, `shape`)",
            );
            None
        }
        [(name, v)] => parse_kind(ctx, rid, name, v, t, case_sensitive, read_file),
        many => {
            let names: Vec<String> = many.iter().map(|(n, _)| format!("`{n}`")).collect();
            ctx.push(
                many[1].1.span().start,
                rid,
                format!("rule has more than one kind: {}", names.join(", ")),
            );
            None
        }
    };
    // A rule written as `shape = "all_caps"` whose options are wrong has those reported
    // already; the options are not also "only for all_caps".
    let is_all_caps = matches!(kind, Some(RuleKind::Shape(Shape::AllCaps { .. })))
        || get("shape").and_then(|v| v.get_ref().as_str()) == Some("all_caps");
    if !is_all_caps {
        for k in ["min_caps_words", "acronyms"] {
            if let Some(v) = get(k) {
                ctx.push(
                    v.span().start,
                    rid,
                    format!("`{k}` only applies to `shape = \"all_caps\"`"),
                );
            }
        }
    }

    let conditions = parse_conditions(ctx, rid, t, case_sensitive);
    if ctx.diags.len() > before {
        return None;
    }
    Some(Rule {
        id: id?,
        label: label?,
        description,
        kind: kind?,
        case_sensitive,
        conditions,
        path: ctx.path.to_path_buf(),
        line: ctx.lines.line(offset),
    })
}

fn parse_kind(
    ctx: &mut FileCtx<'_>,
    rid: Option<&str>,
    name: &str,
    v: &Val<'_>,
    rule: &DeTable<'_>,
    case_sensitive: bool,
    read_file: &dyn Fn(&Path) -> std::io::Result<String>,
) -> Option<RuleKind> {
    match name {
        "regex" => {
            let pattern = expect_str(ctx, rid, "regex", v)?;
            check_regex(ctx, rid, "regex", v.span().start, pattern, case_sensitive)
                .then(|| RuleKind::Regex(pattern.to_owned()))
        }
        "shape" => {
            let s = expect_str(ctx, rid, "shape", v)?;
            match s {
                "question" => Some(RuleKind::Shape(Shape::Question)),
                "exclamation" => Some(RuleKind::Shape(Shape::Exclamation)),
                "all_caps" => {
                    let min_caps_words =
                        key_or(ctx, rid, (rule, "min_caps_words", ""), 2, |c, r, k, v| {
                            expect_int(c, r, k, v, 1)
                        });
                    let acronyms = key_or(ctx, rid, (rule, "acronyms", ""), vec![], expect_words)
                        .iter()
                        .map(|s| s.to_uppercase())
                        .collect();
                    Some(RuleKind::Shape(Shape::AllCaps {
                        min_caps_words,
                        acronyms,
                    }))
                }
                other => {
                    ctx.push(
                        v.span().start,
                        rid,
                        format!("unknown shape `{other}` (expected `question`, `exclamation` or `all_caps`)"),
                    );
                    None
                }
            }
        }
        "lexicon" => {
            let Some(t) = v.get_ref().as_table() else {
                ctx.push(
                    v.span().start,
                    rid,
                    "`lexicon` must be a table, e.g. `lexicon = { words = [\"regime\"] }`",
                );
                return None;
            };
            unknown_keys(ctx, rid, "lexicon", t, LEXICON_KEYS);
            let mut entries = Vec::new();
            let mut ok = true;
            if let Some(w) = t.get("words") {
                match expect_str_array(ctx, rid, "lexicon.words", w) {
                    Some(words) => {
                        for (word, off) in words {
                            let e = normalize_entry(word);
                            if e.is_empty() {
                                ctx.push(off, rid, "empty lexicon entry");
                                ok = false;
                            } else {
                                entries.push(e);
                            }
                        }
                    }
                    None => ok = false,
                }
            }
            if let Some(f) = t.get("file") {
                match expect_str(ctx, rid, "lexicon.file", f) {
                    Some(file) => {
                        let full = ctx.path.parent().unwrap_or(Path::new("")).join(file);
                        match read_file(&full) {
                            Ok(text) => entries.extend(
                                text.lines()
                                    .map(str::trim)
                                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                                    .map(normalize_entry),
                            ),
                            Err(e) => {
                                ctx.push(
                                    f.span().start,
                                    rid,
                                    format!("cannot read lexicon file `{}`: {e}", full.display()),
                                );
                                ok = false;
                            }
                        }
                    }
                    None => ok = false,
                }
            }
            let whole_word = key_or(ctx, rid, (t, "whole_word", "lexicon."), true, expect_bool);
            let inflect = key_or(ctx, rid, (t, "inflect", "lexicon."), false, expect_bool);
            if ok && entries.is_empty() {
                ctx.push(
                    v.span().start,
                    rid,
                    "empty lexicon: give `words` and/or a non-empty `file`",
                );
                return None;
            }
            ok.then_some(RuleKind::Lexicon(Lexicon {
                entries,
                whole_word,
                inflect,
            }))
        }
        "repetition" => {
            let Some(t) = v.get_ref().as_table() else {
                ctx.push(
                    v.span().start,
                    rid,
                    "`repetition` must be a table, e.g. `repetition = { words = 1, min_count = 3 }`",
                );
                return None;
            };
            unknown_keys(ctx, rid, "repetition", t, REPETITION_KEYS);
            // `repetition.KEY`: an integer of at least `min`, `default` when absent.
            let int = |ctx: &mut FileCtx<'_>, key: &str, min: usize, default: usize| {
                key_or(ctx, rid, (t, key, "repetition."), default, |c, r, k, v| {
                    expect_int(c, r, k, v, min)
                })
            };
            let words = int(ctx, "words", 1, 1);
            if words > 5 {
                ctx.push(v.span().start, rid, "`repetition.words` must be at most 5");
            }
            let min_count = int(ctx, "min_count", 2, 3);
            let min_length = int(ctx, "min_length", 1, 1);
            let stop_words = key_or(
                ctx,
                rid,
                (t, "stop_words", "repetition."),
                vec![],
                expect_words,
            )
            .iter()
            .map(|s| s.to_lowercase())
            .collect();
            Some(RuleKind::Repetition(Repetition {
                words,
                min_count,
                min_length,
                stop_words,
            }))
        }
        _ => unreachable!("not a kind key"),
    }
}

fn parse_conditions(
    ctx: &mut FileCtx<'_>,
    rid: Option<&str>,
    t: &DeTable<'_>,
    case_sensitive: bool,
) -> Conditions {
    let mut c = Conditions::default();
    for name in ["unless", "requires"] {
        let Some(v) = t.get(name) else { continue };
        // A string (regex), a table (proximity), or an array of both.
        let items: Vec<&Val<'_>> = match v.get_ref() {
            DeValue::Array(a) => a.iter().collect(),
            DeValue::Table(_) => vec![v],
            _ => {
                ctx.push(
                    v.span().start,
                    rid,
                    format!(
                        "`{name}` must be an array of regexes and/or proximity tables \
                         (`{{ words = [...], within = N }}`), not {}",
                        v.get_ref().type_str()
                    ),
                );
                continue;
            }
        };
        let mut patterns = Vec::new();
        let mut near = Vec::new();
        for item in items {
            match item.get_ref() {
                DeValue::String(p) => {
                    let off = item.span().start;
                    if check_regex(ctx, rid, name, off, p, case_sensitive) {
                        patterns.push(p.to_string());
                    }
                }
                DeValue::Table(nt) => {
                    if let Some(n) = parse_near(ctx, rid, name, item.span().start, nt) {
                        near.push(n);
                    }
                }
                other => ctx.push(
                    item.span().start,
                    rid,
                    format!(
                        "`{name}` must contain only regexes (strings) and proximity tables, not {}",
                        other.type_str()
                    ),
                ),
            }
        }
        if name == "unless" {
            c.unless = patterns;
            c.unless_near = near;
        } else {
            c.requires = patterns;
            c.requires_near = near;
        }
    }
    let inside = key_or(ctx, rid, (t, "inside_quotes", ""), false, expect_bool);
    let outside = key_or(ctx, rid, (t, "outside_quotes", ""), false, expect_bool);
    match (inside, outside) {
        (true, true) => {
            let off = t.get("outside_quotes").map_or(0, |v| v.span().start);
            ctx.push(
                off,
                rid,
                "`inside_quotes` and `outside_quotes` cannot both be true",
            );
        }
        (true, false) => c.quotes = Some(QuotePosition::Inside),
        (false, true) => c.quotes = Some(QuotePosition::Outside),
        (false, false) => {}
    }
    if let Some(v) = t.get("kind")
        && let Some(s) = expect_str(ctx, rid, "kind", v)
    {
        match s {
            "title" => c.sentence_kind = Some(SentenceKind::Title),
            "body" => c.sentence_kind = Some(SentenceKind::Body),
            other => ctx.push(
                v.span().start,
                rid,
                format!("unknown sentence kind `{other}` (expected `title` or `body`)"),
            ),
        }
    }
    if let Some(v) = t.get("min_words") {
        c.min_words = expect_int(ctx, rid, "min_words", v, 0);
    }
    if let Some(v) = t.get("max_words") {
        c.max_words = expect_int(ctx, rid, "max_words", v, 0);
    }
    if let (Some(lo), Some(hi)) = (c.min_words, c.max_words)
        && lo > hi
    {
        let off = t.get("max_words").map_or(0, |v| v.span().start);
        ctx.push(
            off,
            rid,
            format!("`min_words` ({lo}) is greater than `max_words` ({hi})"),
        );
    }
    c
}

/// A proximity table of `unless`/`requires` (`name`): `words` (non-empty), `within`
/// (0..=MAX_WITHIN, required), `side` (default `either`).
fn parse_near(
    ctx: &mut FileCtx<'_>,
    rid: Option<&str>,
    name: &str,
    offset: usize,
    t: &DeTable<'_>,
) -> Option<Near> {
    let before = ctx.diags.len();
    unknown_keys(ctx, rid, name, t, NEAR_KEYS);
    let mut words = Vec::new();
    match t.get("words") {
        None => ctx.push(
            offset,
            rid,
            format!("proximity condition in `{name}` has no `words`"),
        ),
        Some(w) => {
            if let Some(list) = expect_str_array(ctx, rid, &format!("{name}.words"), w) {
                if list.is_empty() {
                    ctx.push(w.span().start, rid, format!("`{name}.words` is empty"));
                }
                for (word, off) in list {
                    let e = normalize_entry(word);
                    if e.is_empty() {
                        ctx.push(off, rid, format!("empty entry in `{name}.words`"));
                    } else {
                        words.push(e);
                    }
                }
            }
        }
    }
    let within = match t.get("within") {
        None => {
            ctx.push(
                offset,
                rid,
                format!(
                    "proximity condition in `{name}` has no `within` (0 to {MAX_WITHIN} words)"
                ),
            );
            None
        }
        Some(v) => match expect_int(ctx, rid, &format!("{name}.within"), v, 0) {
            Some(n) if n > MAX_WITHIN => {
                ctx.push(
                    v.span().start,
                    rid,
                    format!("`{name}.within` must be at most {MAX_WITHIN} (got {n})"),
                );
                None
            }
            n => n,
        },
    };
    let side = match t.get("side") {
        None => Some(Side::Either),
        Some(v) => match expect_str(ctx, rid, &format!("{name}.side"), v)? {
            "before" => Some(Side::Before),
            "after" => Some(Side::After),
            "either" => Some(Side::Either),
            other => {
                ctx.push(
                    v.span().start,
                    rid,
                    format!(
                        "unknown side `{other}` in `{name}.side` (expected `before`, `after` or `either`)"
                    ),
                );
                None
            }
        },
    };
    if ctx.diags.len() > before {
        return None;
    }
    Some(Near {
        words,
        within: within?,
        side: side?,
    })
}

/// Builds the regex source used at match time: case-insensitive unless the rule says
/// otherwise. A leading `(?i)` (not a group around the pattern, which a `(?x)` comment at
/// its end would swallow) is what `RegexBuilder::case_insensitive` does, alternations
/// included; it keeps the flag in the pattern for the `RegexSet` of mixed rules.
pub(crate) fn effective_pattern(pattern: &str, case_sensitive: bool) -> String {
    if case_sensitive {
        pattern.to_owned()
    } else {
        format!("(?i){pattern}")
    }
}

fn check_regex(
    ctx: &mut FileCtx<'_>,
    rid: Option<&str>,
    what: &str,
    offset: usize,
    pattern: &str,
    case_sensitive: bool,
) -> bool {
    if pattern.is_empty() {
        ctx.push(offset, rid, format!("empty pattern in `{what}`"));
        return false;
    }
    // The builder flag equals `effective_pattern`, and the message shows the pattern as written.
    let result = regex::RegexBuilder::new(pattern)
        .case_insensitive(!case_sensitive)
        .build();
    match result {
        Ok(_) => true,
        Err(e) => {
            ctx.push(offset, rid, format!("invalid regex in `{what}`: {e}"));
            false
        }
    }
}

fn unknown_keys(
    ctx: &mut FileCtx<'_>,
    rid: Option<&str>,
    table: &str,
    t: &DeTable<'_>,
    known: &[&str],
) {
    for (key, _) in t.iter() {
        let k = key.get_ref().as_ref();
        if !known.contains(&k) {
            let mut message = format!("unknown key `{k}` in `{table}`");
            if let Some(s) = closest(k, known.iter().copied()) {
                message.push_str(&format!(" (did you mean `{s}`?)"));
            }
            ctx.push(key.span().start, rid, message);
        }
    }
}

fn expect_str<'v>(
    ctx: &mut FileCtx<'_>,
    rid: Option<&str>,
    key: &str,
    v: &'v Val<'_>,
) -> Option<&'v str> {
    let s = v.get_ref().as_str();
    if s.is_none() {
        ctx.push(
            v.span().start,
            rid,
            format!("`{key}` must be a string, not {}", v.get_ref().type_str()),
        );
    }
    s
}

/// `t[key]` read by `parse` (`prefix` + `key` names it in errors), `default` when absent or
/// bad: `parse` reported the problem (so the rule is dropped) and checking goes on.
fn key_or<T>(
    ctx: &mut FileCtx<'_>,
    rid: Option<&str>,
    (t, key, prefix): (&DeTable<'_>, &str, &str),
    default: T,
    parse: impl FnOnce(&mut FileCtx<'_>, Option<&str>, &str, &Val<'_>) -> Option<T>,
) -> T {
    t.get(key)
        .and_then(|v| parse(ctx, rid, &format!("{prefix}{key}"), v))
        .unwrap_or(default)
}

fn expect_bool(ctx: &mut FileCtx<'_>, rid: Option<&str>, key: &str, v: &Val<'_>) -> Option<bool> {
    let b = v.get_ref().as_bool();
    if b.is_none() {
        ctx.push(
            v.span().start,
            rid,
            format!("`{key}` must be a boolean, not {}", v.get_ref().type_str()),
        );
    }
    b
}

fn expect_int(
    ctx: &mut FileCtx<'_>,
    rid: Option<&str>,
    key: &str,
    v: &Val<'_>,
    min: usize,
) -> Option<usize> {
    let n = v
        .get_ref()
        .as_integer()
        .and_then(|i| i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok())
        .and_then(|i| usize::try_from(i).ok())
        .filter(|&n| n >= min);
    if n.is_none() {
        ctx.push(
            v.span().start,
            rid,
            format!("`{key}` must be an integer >= {min}"),
        );
    }
    n
}

fn expect_str_array<'v>(
    ctx: &mut FileCtx<'_>,
    rid: Option<&str>,
    key: &str,
    v: &'v Val<'_>,
) -> Option<Vec<(&'v str, usize)>> {
    let Some(array) = v.get_ref().as_array() else {
        ctx.push(
            v.span().start,
            rid,
            format!("`{key}` must be an array of strings"),
        );
        return None;
    };
    let mut out = Vec::new();
    let mut ok = true;
    for item in array.iter() {
        match item.get_ref().as_str() {
            Some(s) => out.push((s, item.span().start)),
            None => {
                ctx.push(
                    item.span().start,
                    rid,
                    format!("`{key}` must contain only strings"),
                );
                ok = false;
            }
        }
    }
    ok.then_some(out)
}

/// An array of strings, each trimmed.
fn expect_words(
    ctx: &mut FileCtx<'_>,
    rid: Option<&str>,
    key: &str,
    v: &Val<'_>,
) -> Option<Vec<String>> {
    let list = expect_str_array(ctx, rid, key, v)?;
    Some(list.into_iter().map(|(s, _)| s.trim().to_owned()).collect())
}

/// Trims an entry and collapses inner whitespace runs to one space.
fn normalize_entry(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The candidate closest to `word` by edit distance, if it is reasonably close.
pub(crate) fn closest<'a>(
    word: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<&'a str> {
    let lw = word.to_lowercase();
    candidates
        .map(|c| (crate::text::edit_distance(&lw, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(word.chars().count()) / 2).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}
