//! Literal prefilter for regex rules: one aho-corasick scan per sentence tells which regex
//! rules can match at all.
//!
//! For each regex we look for up to two sets of literals such that every match of the regex
//! contains at least one literal of each set (a prefix set, a suffix set, or the set of a
//! required part, like `-loving`/`-hating` in `\w+-(?:loving|hating)`). The literals of all
//! regexes go into one ASCII-case-insensitive automaton (the lexicon automaton when there is
//! one, see `compile.rs`); a regex runs on a sentence only when each of its sets has a
//! literal in it. The scan may let a regex run for nothing (that only costs time), never
//! skip a match: case-insensitive patterns keep every Unicode case variant the regex engine
//! accepts, e.g. `(?i)k` also matches the Kelvin sign, which then becomes a literal of its
//! own; only classes holding both cases of an ASCII letter are turned into the lowercase
//! letter. Regexes without such sets go through the `RegexSet` pre-pass instead.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex_syntax::hir::literal::{ExtractKind, Extractor, Seq};
use regex_syntax::hir::{Capture, Class, Hir, HirKind, Look, Repetition};

/// At most this many literals per regex (more make the automaton slow to build and scan).
const MAX_LITERALS: usize = 300;

/// At most this many literal sets per regex (all must occur for the regex to run).
const MAX_SETS: usize = 2;

/// Sets of literals such that every match of `pattern` contains at least one literal of
/// EACH set (literals ASCII-lowercase where case does not matter: compare them
/// ASCII-case-insensitively). Empty when no useful set was found (e.g. `\w+`, or only very
/// short common literals like `e`).
pub(crate) fn required_sets(pattern: &str) -> Vec<Vec<Vec<u8>>> {
    let Ok(hir) = regex_syntax::ParserBuilder::new().build().parse(pattern) else {
        return Vec::new();
    };
    let mut extra = Vec::new();
    let hir = fold_ascii_case(&hir, &mut extra);
    let mut cands: Vec<Vec<Vec<u8>>> = Vec::new();
    let mut push = |c: Option<Vec<Vec<u8>>>| {
        if let Some(c) = c
            && !cands.contains(&c)
        {
            cands.push(c);
        }
    };
    push(best_set(&hir));
    push(extract(&hir, ExtractKind::Suffix));
    let mut top = &hir;
    while let HirKind::Capture(cap) = top.kind() {
        top = &cap.sub;
    }
    if let HirKind::Concat(subs) = top.kind() {
        for sub in subs {
            push(best_set(sub));
        }
    }
    cands.retain(|set| {
        !set.iter()
            .any(|l| l.len() == 1 && (l[0].is_ascii_alphanumeric() || l[0].is_ascii_whitespace()))
    });
    cands.sort_by(|a, b| score(a).total_cmp(&score(b)));
    // Keep the best sets, skipping any set that an earlier one implies (each literal of the
    // earlier set contains one of its literals).
    let mut chosen: Vec<Vec<Vec<u8>>> = Vec::new();
    for set in cands {
        let implied = chosen.iter().any(|c| {
            c.iter()
                .all(|a| set.iter().any(|b| memchr::memmem::find(a, b).is_some()))
        });
        if !implied && chosen.len() < MAX_SETS {
            chosen.push(set);
        }
    }
    let mut cands = chosen;
    // A match may hold one of the non-ASCII characters folded away where the literal has
    // the ASCII letter: any occurrence of such a character lets the regex run.
    for set in &mut cands {
        set.extend(extra.iter().cloned());
        set.sort();
        set.dedup();
    }
    cands
}

/// Rough chance that some literal of `set` occurs at a given position of English text
/// (lower is better), from the regex crate's byte frequency ranks.
fn score(set: &[Vec<u8>]) -> f64 {
    set.iter()
        .map(|l| {
            l.iter()
                .map(|&b| {
                    let rank = regex_syntax::hir::literal::rank(b.to_ascii_lowercase());
                    0.2 * (-(255.0 - f64::from(rank)) / 24.0).exp2()
                })
                .product::<f64>()
        })
        .sum()
}

/// Replaces classes that hold exactly the two cases of an ASCII letter (plus at most two
/// non-ASCII characters, like the Kelvin sign in `(?i)k` or `ſ` in `(?i)s`) by the lowercase
/// letter; the non-ASCII characters dropped that way are added to `extra`.
fn fold_ascii_case(hir: &Hir, extra: &mut Vec<Vec<u8>>) -> Hir {
    match hir.kind() {
        HirKind::Class(Class::Unicode(cls)) => {
            let chars: Vec<char> = cls
                .iter()
                .flat_map(|r| r.start()..=r.end())
                .take(5)
                .collect();
            let ascii: Vec<char> = chars.iter().copied().filter(char::is_ascii).collect();
            if chars.len() <= 4
                && ascii.len() == 2
                && ascii[0].is_ascii_uppercase()
                && ascii[1] == ascii[0].to_ascii_lowercase()
            {
                for c in chars.iter().filter(|c| !c.is_ascii()) {
                    extra.push(c.to_string().into_bytes());
                }
                Hir::literal([ascii[1] as u8])
            } else {
                hir.clone()
            }
        }
        HirKind::Class(Class::Bytes(cls)) => {
            let r = cls.ranges();
            if r.len() == 2
                && r[0].start() == r[0].end()
                && r[1].start() == r[1].end()
                && r[0].start().is_ascii_uppercase()
                && r[1].start() == r[0].start().to_ascii_lowercase()
            {
                Hir::literal([r[1].start()])
            } else {
                hir.clone()
            }
        }
        HirKind::Literal(lit) => Hir::literal(lit.0.clone()),
        HirKind::Repetition(rep) => Hir::repetition(Repetition {
            min: rep.min,
            max: rep.max,
            greedy: rep.greedy,
            sub: Box::new(fold_ascii_case(&rep.sub, extra)),
        }),
        HirKind::Capture(cap) => fold_ascii_case(&cap.sub, extra),
        HirKind::Concat(subs) => {
            Hir::concat(subs.iter().map(|h| fold_ascii_case(h, extra)).collect())
        }
        HirKind::Alternation(subs) => {
            Hir::alternation(subs.iter().map(|h| fold_ascii_case(h, extra)).collect())
        }
        HirKind::Empty | HirKind::Look(_) => hir.clone(),
    }
}

/// The literals of `seq` when it is a usable set: finite, non-empty, no empty literal.
fn usable(seq: &Seq) -> Option<Vec<Vec<u8>>> {
    let lits = seq.literals()?;
    if lits.is_empty() || lits.len() > MAX_LITERALS || lits.iter().any(|l| l.is_empty()) {
        return None;
    }
    let mut out: Vec<Vec<u8>> = lits.iter().map(|l| l.as_bytes().to_vec()).collect();
    out.sort();
    out.dedup();
    Some(out)
}

/// Whether set `a` is less likely to occur than set `b`.
fn better(a: &[Vec<u8>], b: &[Vec<u8>]) -> bool {
    score(a) < score(b)
}

fn extract(hir: &Hir, kind: ExtractKind) -> Option<Vec<Vec<u8>>> {
    usable(
        &Extractor::new()
            .kind(kind)
            .limit_total(MAX_LITERALS)
            .extract(hir),
    )
}

fn keep_better(best: &mut Option<Vec<Vec<u8>>>, cand: Option<Vec<Vec<u8>>>) {
    if let Some(c) = cand
        && best.as_ref().is_none_or(|b| better(&c, b))
    {
        *best = Some(c);
    }
}

/// The best set of literals one of which occurs in every match of `hir`.
fn best_set(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let mut best = extract(hir, ExtractKind::Prefix);
    keep_better(&mut best, extract(hir, ExtractKind::Suffix));
    match hir.kind() {
        HirKind::Capture(cap) => keep_better(&mut best, best_set(&cap.sub)),
        HirKind::Repetition(rep) if rep.min >= 1 => keep_better(&mut best, best_set(&rep.sub)),
        HirKind::Concat(subs) => {
            for i in 0..subs.len() {
                if i > 0 {
                    let rest = Hir::concat(subs[i..].to_vec());
                    keep_better(&mut best, extract(&rest, ExtractKind::Prefix));
                }
                keep_better(&mut best, best_set(&subs[i]));
            }
        }
        HirKind::Alternation(subs) => {
            // Every branch needs a set; the union covers the alternation.
            let mut union: Vec<Vec<u8>> = Vec::new();
            for sub in subs {
                union.extend(best_set(sub)?);
            }
            union.sort();
            union.dedup();
            if union.len() <= MAX_LITERALS {
                keep_better(&mut best, Some(union));
            }
        }
        _ => {}
    }
    best
}

/// The literal sets of all prefiltered regex rules in one automaton.
#[derive(Debug)]
pub(crate) struct LiteralPrefilter {
    ac: AhoCorasick,
    /// The automaton's patterns (ASCII lowercase).
    pub(crate) patterns: Vec<Vec<u8>>,
    /// Per automaton pattern: the literal sets (slots) it belongs to.
    pub(crate) owners: Vec<Vec<u32>>,
    /// Number of slots.
    pub(crate) slots: usize,
    /// Per prefiltered regex: its rule index and its slots (all must be hit).
    pub(crate) regexes: Vec<(usize, std::ops::Range<usize>)>,
}

impl LiteralPrefilter {
    /// Builds the automaton from `(rule index, literal sets)` pairs; `None` when empty.
    pub(crate) fn new(
        regexes: Vec<(usize, Vec<Vec<Vec<u8>>>)>,
    ) -> Result<Option<LiteralPrefilter>, aho_corasick::BuildError> {
        if regexes.is_empty() {
            return Ok(None);
        }
        let mut patterns: Vec<Vec<u8>> = Vec::new();
        let mut owners: Vec<Vec<u32>> = Vec::new();
        let mut index: std::collections::HashMap<Vec<u8>, usize> = Default::default();
        let mut groups = Vec::with_capacity(regexes.len());
        let mut slot = 0;
        for (rule, sets) in regexes {
            let first = slot;
            for set in sets {
                for lit in set {
                    let key = lit.to_ascii_lowercase();
                    let id = *index.entry(key.clone()).or_insert_with(|| {
                        patterns.push(key);
                        owners.push(Vec::new());
                        patterns.len() - 1
                    });
                    if !owners[id].contains(&(slot as u32)) {
                        owners[id].push(slot as u32);
                    }
                }
                slot += 1;
            }
            groups.push((rule, first..slot));
        }
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)?;
        Ok(Some(LiteralPrefilter {
            ac,
            patterns,
            owners,
            slots: slot,
            regexes: groups,
        }))
    }

    /// Clears `hit` and makes it hold one `false` per slot.
    pub(crate) fn clear(&self, hit: &mut Vec<bool>) {
        hit.clear();
        hit.resize(self.slots, false);
    }

    /// Marks (`hit[slot] = true`) the slots with a literal in `text` (`hit` is cleared and
    /// resized first); returns how many were marked.
    pub(crate) fn scan(&self, text: &str, hit: &mut Vec<bool>) -> usize {
        self.clear(hit);
        let mut n = 0;
        for m in self.ac.find_overlapping_iter(text) {
            for &slot in &self.owners[m.pattern().as_usize()] {
                let h = &mut hit[slot as usize];
                if !*h {
                    *h = true;
                    n += 1;
                }
            }
            if n == self.slots {
                break;
            }
        }
        n
    }
}

/// `pattern` with its Unicode word-boundary assertions (`\b`, `\B`, `\b{start}`, ...)
/// made ASCII, or `None` when it has none. On a text whose non-ASCII characters are all
/// non-word characters (see [`has_non_ascii_word_char`]) both patterns match the same spans,
/// and the ASCII one runs in the fast DFA engines (Unicode `\b` makes the regex crate fall
/// back to slow engines on any non-ASCII text).
pub(crate) fn ascii_word_boundary_pattern(pattern: &str) -> Option<String> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .ok()?;
    if !hir.properties().look_set().contains_word_unicode() {
        return None;
    }
    Some(ascii_looks(&hir).to_string())
}

fn ascii_looks(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Look(look) => Hir::look(match look {
            Look::WordUnicode => Look::WordAscii,
            Look::WordUnicodeNegate => Look::WordAsciiNegate,
            Look::WordStartUnicode => Look::WordStartAscii,
            Look::WordEndUnicode => Look::WordEndAscii,
            Look::WordStartHalfUnicode => Look::WordStartHalfAscii,
            Look::WordEndHalfUnicode => Look::WordEndHalfAscii,
            other => *other,
        }),
        HirKind::Repetition(rep) => Hir::repetition(Repetition {
            min: rep.min,
            max: rep.max,
            greedy: rep.greedy,
            sub: Box::new(ascii_looks(&rep.sub)),
        }),
        HirKind::Capture(cap) => Hir::capture(Capture {
            index: cap.index,
            name: cap.name.clone(),
            sub: Box::new(ascii_looks(&cap.sub)),
        }),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(ascii_looks).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(ascii_looks).collect()),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) => hir.clone(),
    }
}

/// Whether `text` has a non-ASCII character that Unicode `\w` matches.
pub(crate) fn has_non_ascii_word_char(text: &str) -> bool {
    !text.is_ascii()
        && text
            .chars()
            .any(|c| !c.is_ascii() && regex_syntax::is_word_character(c))
}
