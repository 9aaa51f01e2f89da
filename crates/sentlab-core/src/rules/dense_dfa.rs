//! A compact dense DFA for ASCII-case-insensitive, overlapping (`MatchKind::Standard`)
//! Aho-Corasick matching of many patterns over many short texts.
//!
//! It reports exactly the matches of
//! `AhoCorasick::builder().match_kind(MatchKind::Standard).ascii_case_insensitive(true)`
//! with `find_overlapping_iter`, for every text, but scans ~3x faster than walking the
//! `aho_corasick::dfa::DFA` for a lexicon of a few thousand patterns:
//!
//! * **Byte classes computed from the patterns**: two bytes are equivalent when they are
//!   ASCII case variants of each other, or when neither occurs in any pattern. A lexicon of
//!   words gives ~40 classes instead of the crate's stride of 64.
//! * **Premultiplied `u32` state ids**: a table entry is the row offset of the next state, so
//!   a step is `table[state + class[byte]]` (one add, one load on the dependency chain).
//! * **Match states numbered last**: "is this a match state" is `state >= first_match`.
//! * **States in BFS order** (shallow, hot states first, sharing cache lines).
//! * **Four independent walks** (lanes) over four contiguous ranges of texts, so the table
//!   loads of different lanes overlap; each lane's output is already in (text, end) order,
//!   so concatenating the lanes gives the sorted result with no sort.
//!
//! The table is filled from the lexicon [`Trie`] (built in linear time), one row per trie
//! state.

use super::trie::{LexMatch, Trie};

/// Largest transition table (in entries) that [`DenseDfa::new`] accepts: 16 Mi entries, 64 MiB.
pub(crate) const MAX_TABLE_ENTRIES: usize = 1 << 24;

/// Number of texts walked at once.
const LANES: usize = 4;

/// Dense, class-compressed Aho-Corasick DFA (see the module docs).
#[derive(Clone, Debug)]
pub(crate) struct DenseDfa {
    /// Byte -> class.
    classes: [u8; 256],
    /// Row-major transitions: `table[state + class]` is the next state; states are
    /// premultiplied by `stride` (= number of classes).
    table: Vec<u32>,
    /// Number of classes (row length).
    stride: usize,
    /// Premultiplied id of the first match state; every state at or above it matches.
    first_match: u32,
    /// For match state `first_match + i * stride`: `match_spans[i]..match_spans[i + 1]`
    /// indexes `match_list`.
    match_spans: Vec<u32>,
    /// (pattern id, pattern length in bytes), in the automaton's order.
    match_list: Vec<(u32, u32)>,
}

impl DenseDfa {
    /// Builds the dfa, or returns `None` when this set is not supported: an empty pattern
    /// (it matches at every position, including before the first byte, which this dfa never
    /// reports), or a table larger than 64 MiB.
    #[cfg(test)]
    pub(crate) fn new(patterns: &[Vec<u8>]) -> Option<DenseDfa> {
        DenseDfa::from_trie(&Trie::new(patterns)?, MAX_TABLE_ENTRIES)
    }

    /// Fills the dfa from the trie (`None` when the table would exceed `max_entries`
    /// entries): each state's row is its failure state's row (breadth first, so already
    /// filled) with its own children written over it; time and memory are linear in states
    /// x classes.
    pub(crate) fn from_trie(trie: &Trie, max_entries: usize) -> Option<DenseDfa> {
        let stride = trie.stride;
        let n = trie.len();
        if n.checked_mul(stride)? > max_entries {
            return None;
        }
        // `trans[s * stride + k]`: successor of trie state s (breadth-first id) on class k.
        let mut trans: Vec<u32> = Vec::with_capacity(n * stride);
        for s in 0..n as u32 {
            if s == 0 {
                trans.extend((0..stride).map(|k| trie.next(0, k as u8)));
            } else {
                let f = trie.fail[s as usize] as usize;
                trans.extend_from_within(f * stride..(f + 1) * stride);
                let row = s as usize * stride;
                for k in 0..stride {
                    if let Some(c) = trie.child(s, k as u8) {
                        trans[row + k] = c;
                    }
                }
            }
        }

        // Renumber: non-matching states first, then matching ones, each group in BFS order.
        let is_match: Vec<bool> = (0..n as u32).map(|s| trie.is_match(s)).collect();
        let mut new_of_bfs = vec![0u32; n];
        let mut bfs_of_new = Vec::with_capacity(n);
        for want_match in [false, true] {
            for s in (0..n).filter(|&s| is_match[s] == want_match) {
                new_of_bfs[s] = bfs_of_new.len() as u32;
                bfs_of_new.push(s);
            }
        }
        let first_match_index = is_match.iter().filter(|&&m| !m).count();

        let mut table = Vec::with_capacity(n * stride);
        let mut match_spans = vec![0u32];
        let mut match_list = Vec::new();
        for (new, &s) in bfs_of_new.iter().enumerate() {
            let row = &trans[s * stride..(s + 1) * stride];
            table.extend(row.iter().map(|&t| new_of_bfs[t as usize] * stride as u32));
            if new >= first_match_index {
                match_list.extend(trie.matches_at(s as u32));
                match_spans.push(u32::try_from(match_list.len()).ok()?);
            }
        }
        Some(DenseDfa {
            classes: trie.classes,
            table,
            stride,
            first_match: (first_match_index * stride) as u32,
            match_spans,
            match_list,
        })
    }

    /// Appends to `out` every overlapping match in `texts`, sorted by (text, end); matches
    /// with the same end come in the automaton's order (any order is fine for callers).
    pub(crate) fn matches(&self, texts: &[&[u8]], out: &mut Vec<LexMatch>) {
        let ranges = split_ranges(texts);
        // Lane 0 appends to `out` directly; lanes 1..3 use buffers appended at the end (their
        // texts come later). Fewer fresh pages to fault in than one buffer per lane.
        let mut later: [Vec<LexMatch>; LANES - 1] = Default::default();
        let [o1, o2, o3] = &mut later;
        let o0 = &mut *out;
        let mut lanes = ranges.map(|r| Lane {
            text: r.start,
            end: r.end,
            pos: 0,
            state: 0,
        });
        for lane in &mut lanes {
            lane.skip_empty(texts);
        }
        let fm = self.first_match;
        while lanes.iter().all(|l| l.text < l.end) {
            // Walk all four lanes for as many bytes as the shortest remaining text has.
            let [l0, l1, l2, l3] = &mut lanes;
            let (x0, x1, x2, x3) = (
                l0.rest(texts),
                l1.rest(texts),
                l2.rest(texts),
                l3.rest(texts),
            );
            let n = x0.len().min(x1.len()).min(x2.len()).min(x3.len());
            let (mut s0, mut s1, mut s2, mut s3) = (l0.state, l1.state, l2.state, l3.state);
            let bytes = x0[..n].iter().zip(&x1[..n]).zip(&x2[..n]).zip(&x3[..n]);
            for (k, (((&b0, &b1), &b2), &b3)) in bytes.enumerate() {
                s0 = self.step(s0, b0);
                s1 = self.step(s1, b1);
                s2 = self.step(s2, b2);
                s3 = self.step(s3, b3);
                if s0 >= fm {
                    self.emit(o0, l0.text, l0.pos + k + 1, s0);
                }
                if s1 >= fm {
                    self.emit(o1, l1.text, l1.pos + k + 1, s1);
                }
                if s2 >= fm {
                    self.emit(o2, l2.text, l2.pos + k + 1, s2);
                }
                if s3 >= fm {
                    self.emit(o3, l3.text, l3.pos + k + 1, s3);
                }
            }
            (l0.state, l1.state, l2.state, l3.state) = (s0, s1, s2, s3);
            for lane in &mut lanes {
                lane.advance(texts, n);
            }
        }
        // Some lane ran out of texts: finish the others one at a time.
        let [l0, rest @ ..] = &lanes;
        self.finish(texts, l0, out);
        for (lane, o) in rest.iter().zip(later.iter_mut()) {
            self.finish(texts, lane, o);
        }
        out.reserve(later.iter().map(Vec::len).sum());
        for o in &later {
            out.extend_from_slice(o);
        }
    }

    #[inline(always)]
    fn step(&self, state: u32, byte: u8) -> u32 {
        self.table[state as usize + self.classes[byte as usize] as usize]
    }

    /// Walks the rest of `lane` with a single-lane loop.
    fn finish(&self, texts: &[&[u8]], lane: &Lane, out: &mut Vec<LexMatch>) {
        let (mut pos, mut state) = (lane.pos, lane.state);
        for (t, text) in texts.iter().enumerate().take(lane.end).skip(lane.text) {
            for (i, &b) in text.iter().enumerate().skip(pos) {
                state = self.step(state, b);
                if state >= self.first_match {
                    self.emit(out, t, i + 1, state);
                }
            }
            (pos, state) = (0, 0);
        }
    }

    /// Pushes the matches of match state `state` ending at `end` in text `text`.
    #[cold]
    #[inline(never)]
    fn emit(&self, out: &mut Vec<LexMatch>, text: usize, end: usize, state: u32) {
        let i = ((state - self.first_match) as usize) / self.stride;
        let span = self.match_spans[i] as usize..self.match_spans[i + 1] as usize;
        let (text, end) = (text as u32, end as u32);
        for &(pattern, len) in &self.match_list[span] {
            out.push(LexMatch {
                text,
                pattern,
                start: end - len,
                end,
            });
        }
    }
}

/// One walk over a contiguous range of texts.
#[derive(Clone, Copy)]
struct Lane {
    /// Current text index (`== end` when done).
    text: usize,
    /// End of this lane's range of texts.
    end: usize,
    /// Position in the current text.
    pos: usize,
    /// Current (premultiplied) state; 0 is the start state.
    state: u32,
}

impl Lane {
    fn rest<'t>(&self, texts: &[&'t [u8]]) -> &'t [u8] {
        &texts[self.text][self.pos..]
    }

    fn skip_empty(&mut self, texts: &[&[u8]]) {
        while self.text < self.end && texts[self.text].is_empty() {
            self.text += 1;
        }
    }

    /// Moves `n` bytes forward, to the next non-empty text when this one is done.
    fn advance(&mut self, texts: &[&[u8]], n: usize) {
        self.pos += n;
        if self.pos == texts[self.text].len() {
            (self.text, self.pos, self.state) = (self.text + 1, 0, 0);
            self.skip_empty(texts);
        }
    }
}

/// Splits `texts` into `LANES` contiguous ranges of about equal byte counts.
fn split_ranges(texts: &[&[u8]]) -> [std::ops::Range<usize>; LANES] {
    let total: usize = texts.iter().map(|t| t.len()).sum();
    let mut cuts = [texts.len(); LANES + 1];
    cuts[0] = 0;
    let mut lane = 1;
    let mut acc = 0usize;
    for (i, t) in texts.iter().enumerate() {
        while lane < LANES && acc >= total * lane / LANES {
            cuts[lane] = i;
            lane += 1;
        }
        acc += t.len();
    }
    std::array::from_fn(|l| cuts[l]..cuts[l + 1])
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasick, MatchKind};
    use proptest::prelude::*;

    fn key(m: &LexMatch) -> (u32, u32, u32, u32) {
        (m.text, m.end, m.start, m.pattern)
    }

    fn reference(patterns: &[Vec<u8>], texts: &[&[u8]]) -> Vec<LexMatch> {
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .build(patterns)
            .unwrap();
        let mut out = Vec::new();
        for (t, text) in texts.iter().enumerate() {
            for m in ac.find_overlapping_iter(*text) {
                out.push(LexMatch {
                    text: t as u32,
                    pattern: m.pattern().as_u32(),
                    start: m.start() as u32,
                    end: m.end() as u32,
                });
            }
        }
        out.sort_by_key(key);
        out
    }

    /// Checks the dfa against the reference, returns the number of matches.
    fn check(patterns: &[&[u8]], texts: &[&[u8]]) -> usize {
        let patterns: Vec<Vec<u8>> = patterns.iter().map(|p| p.to_vec()).collect();
        let dfa = DenseDfa::new(&patterns).expect("supported pattern set");
        let mut got = vec![];
        dfa.matches(texts, &mut got);
        assert!(
            got.windows(2)
                .all(|w| (w[0].text, w[0].end) <= (w[1].text, w[1].end)),
            "not sorted by (text, end)"
        );
        got.sort_by_key(key);
        let want = reference(&patterns, texts);
        assert_eq!(got, want, "patterns {patterns:?} texts {texts:?}");
        // The trie the table is filled from, searched directly, agrees too.
        let mut walked = vec![];
        Trie::new(&patterns).unwrap().find(texts, &mut walked);
        assert!(
            walked
                .windows(2)
                .all(|w| (w[0].text, w[0].end) <= (w[1].text, w[1].end))
        );
        walked.sort_by_key(key);
        assert_eq!(walked, want, "trie: patterns {patterns:?} texts {texts:?}");
        want.len()
    }

    #[test]
    fn overlapping_he_she_hers() {
        let pats: &[&[u8]] = &[b"he", b"she", b"hers", b"his", b"h"];
        let texts: &[&[u8]] = &[
            b"ushers",
            b"USHERS",
            b"his hershe",
            b"",
            b"sHe",
            b"hhhh",
            b"x",
        ];
        assert!(check(pats, texts) > 10);
    }

    #[test]
    fn case_variants_are_distinct_patterns() {
        let pats: &[&[u8]] = &[b"US", b"us", b"Us", b"u"];
        assert_eq!(check(pats, &[b"us US uS"]), 3 * 3 + 3);
    }

    #[test]
    fn non_ascii_patterns() {
        let pats: &[&[u8]] = &[
            "’".as_bytes(),
            "don’t".as_bytes(),
            "“".as_bytes(),
            "”".as_bytes(),
            "ſ".as_bytes(),
            "\u{212A}".as_bytes(), // Kelvin sign: no ASCII folding to k
            "é".as_bytes(),
            b"don't",
            b"!\"",
        ];
        let texts: &[&[u8]] = &[
            "I DON’T know, “he” said: don't!\"".as_bytes(),
            "ſtop \u{212A}elvin k K É é".as_bytes(),
            b"\xe2\x80\xe2\x80\x99\xff\x00",
        ];
        assert!(check(pats, texts) >= 8);
    }

    #[test]
    fn empty_texts_and_few_texts() {
        let pats: &[&[u8]] = &[b"a", b"ab"];
        check(pats, &[]);
        check(pats, &[b""]);
        check(pats, &[b"", b"", b"ab"]);
        check(pats, &[b"ab", b"", b"", b"", b"", b"b", b"abab"]);
    }

    #[test]
    fn pattern_equal_to_whole_text() {
        let pats: &[&[u8]] = &[b"the whole text", b"whole"];
        let texts: &[&[u8]] = &[
            b"the whole text",
            b"THE WHOLE TEXT",
            b"the whole tex",
            b"he whole text",
        ];
        assert_eq!(check(pats, texts), 2 + 2 + 1 + 1);
    }

    #[test]
    fn many_texts_of_uneven_length() {
        let pats: &[&[u8]] = &[b"ab", b"ba", b"abc", b"c", b"cab"];
        let owned: Vec<Vec<u8>> = (0..200)
            .map(|i| {
                b"abcab"
                    .repeat(i % 17)
                    .into_iter()
                    .chain(b"c".repeat(i % 3))
                    .collect()
            })
            .collect();
        let texts: Vec<&[u8]> = owned.iter().map(|t| t.as_slice()).collect();
        check(pats, &texts);
        check(pats, &texts[..1]);
        check(pats, &texts[..5]);
    }

    #[test]
    fn duplicate_patterns_and_every_byte() {
        let pats: &[&[u8]] = &[b"a", b"a", b"\x00", b"\xff\xfe", b"A"];
        let all: Vec<u8> = (0..=255u8).chain((0..=255u8).rev()).collect();
        check(pats, &[&all, b"aAa"]);
    }

    #[test]
    fn all_bytes_used_in_patterns() {
        let owned: Vec<Vec<u8>> = (0..=255u8).map(|b| vec![b]).collect();
        let pats: Vec<&[u8]> = owned.iter().map(|p| p.as_slice()).collect();
        let all: Vec<u8> = (0..=255u8).collect();
        assert_eq!(check(&pats, &[&all]), 256 + 52);
    }

    #[test]
    fn unsupported_sets() {
        assert!(DenseDfa::new(&[b"a".to_vec(), vec![]]).is_none());
        let w = DenseDfa::new(&[]).unwrap();
        let mut out = vec![];
        w.matches(&[b"abc"], &mut out);
        assert!(out.is_empty());
    }

    /// Small alphabet with ASCII letters of both cases and multi-byte UTF-8.
    fn token() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "a", "b", "A", "B", " ", "-", "é", "’", "ſ", "\u{212A}", "k", "K",
        ])
    }

    fn string(max: usize) -> impl Strategy<Value = Vec<u8>> {
        prop::collection::vec(token(), 0..max).prop_map(|v| v.concat().into_bytes())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn matches_reference(
            patterns in prop::collection::vec(string(5).prop_filter("non-empty", |p| !p.is_empty()), 0..12),
            texts in prop::collection::vec(string(24), 0..14),
        ) {
            let pats: Vec<&[u8]> = patterns.iter().map(|p| p.as_slice()).collect();
            let texts: Vec<&[u8]> = texts.iter().map(|t| t.as_slice()).collect();
            check(&pats, &texts);
        }

        #[test]
        fn matches_reference_on_arbitrary_bytes(
            patterns in prop::collection::vec(string(4).prop_filter("non-empty", |p| !p.is_empty()), 1..8),
            texts in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..40), 0..10),
        ) {
            let pats: Vec<&[u8]> = patterns.iter().map(|p| p.as_slice()).collect();
            let texts: Vec<&[u8]> = texts.iter().map(|t| t.as_slice()).collect();
            check(&pats, &texts);
        }
    }
}
