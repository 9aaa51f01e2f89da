//! The lexicon automaton built in time and memory linear in the total length of the
//! patterns: an ASCII-case-insensitive Aho-Corasick trie with failure links, reporting the
//! same overlapping (`MatchKind::Standard`) matches as the `aho-corasick` crate.
//!
//! * Patterns are sorted (ASCII-lowercased), so each one shares with the trie exactly its
//!   longest common prefix with the previous one: the trie is built without any lookup.
//! * States are renumbered in breadth-first order, so the children of a state are
//!   consecutive states (`first_child[s]..first_child[s + 1]`, sorted by byte class) and a
//!   state needs no child list of its own.
//! * Failure links are computed breadth first, scanning the (contiguous, at most one per
//!   byte class) children of the states on the failure chain; the walk along the chains is
//!   bounded by the pattern lengths, as in the textbook construction.
//!
//! The crate's builder keeps transitions as linked lists spread over one large array (and,
//! for case-insensitive sets, a tree of visited states), so its failure pass slows down as
//! the lexicon grows (a million entries took minutes and a gigabyte). This trie is searched
//! directly for very large lexicons, and [`DenseDfa`](super::dense_dfa::DenseDfa) is
//! filled from it (one row per state, a copy of the failure state's row) for the others.

/// A match of the lexicon automaton: text number, pattern id and byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LexMatch {
    pub(crate) text: u32,
    pub(crate) pattern: u32,
    pub(crate) start: u32,
    pub(crate) end: u32,
}

/// "No state" in `out`.
const NONE: u32 = u32::MAX;

/// Aho-Corasick trie with failure links over byte classes (see the module docs).
#[derive(Clone, Debug)]
pub(crate) struct Trie {
    /// Byte -> class (ASCII letters of both cases share one; class 0: bytes in no pattern).
    pub(crate) classes: [u8; 256],
    /// Number of classes.
    pub(crate) stride: usize,
    /// Children of state `s` (breadth-first numbering, root 0) are the states
    /// `first_child[s]..first_child[s + 1]`; `len() == states + 1`.
    first_child: Vec<u32>,
    /// Class of the edge into each state (unused for the root).
    edge: Vec<u8>,
    /// Failure link of each state (the longest proper suffix that is a state).
    pub(crate) fail: Vec<u32>,
    /// Nearest state on the failure chain (not the state itself) with own matches, or NONE.
    out: Vec<u32>,
    /// Own matches of state `s`: `matches[match_start[s]..match_start[s + 1]]`.
    match_start: Vec<u32>,
    /// (pattern id, pattern length in bytes).
    matches: Vec<(u32, u32)>,
    /// Next state from the root for each class.
    root_next: Vec<u32>,
}

impl Trie {
    /// Builds the trie, or `None` when a pattern is empty (it would match at every position)
    /// or the automaton would need more than `u32` state ids.
    pub(crate) fn new(patterns: &[Vec<u8>]) -> Option<Trie> {
        if patterns.iter().any(|p| p.is_empty()) || patterns.len() >= NONE as usize {
            return None;
        }
        let total: usize = patterns.iter().map(Vec::len).sum();
        if total >= NONE as usize {
            return None;
        }
        let (classes, reps) = byte_classes(patterns);
        let stride = reps.len();
        let lower = |b: &u8| b.to_ascii_lowercase();

        // Trie in depth-first order from the sorted patterns: `parent`/`edge` of each state.
        // Sorted by the first eight bytes first (one contiguous array, no pointer chasing),
        // then runs with equal first bytes by the whole pattern.
        let prefix = |p: &[u8]| {
            let mut word = [0u8; 8];
            for (w, b) in word.iter_mut().zip(p) {
                *w = b.to_ascii_lowercase();
            }
            u64::from_be_bytes(word)
        };
        let mut keyed: Vec<(u64, u32)> = (0..patterns.len() as u32)
            .map(|i| (prefix(&patterns[i as usize]), i))
            .collect();
        keyed.sort_unstable();
        let full = |a: &u32, b: &u32| {
            let (a, b) = (&patterns[*a as usize], &patterns[*b as usize]);
            a.iter().map(lower).cmp(b.iter().map(lower))
        };
        let mut order: Vec<u32> = keyed.iter().map(|&(_, i)| i).collect();
        let mut run = 0;
        for i in 1..=keyed.len() {
            if i == keyed.len() || keyed[i].0 != keyed[run].0 {
                if i - run > 1 {
                    order[run..i].sort_unstable_by(full);
                }
                run = i;
            }
        }
        drop(keyed);
        let mut parent: Vec<u32> = vec![0];
        let mut edge: Vec<u8> = vec![0];
        let mut ends: Vec<(u32, u32)> = Vec::with_capacity(patterns.len()); // (state, pattern)
        let mut path: Vec<u32> = vec![0]; // states of the previous pattern, by depth
        let mut prev: &[u8] = &[];
        for &pid in &order {
            let p = &patterns[pid as usize];
            let lcp = p
                .iter()
                .zip(prev)
                .take_while(|(a, b)| a.eq_ignore_ascii_case(b))
                .count();
            path.truncate(lcp + 1);
            for &b in &p[lcp..] {
                let id = parent.len() as u32;
                parent.push(*path.last().expect("root"));
                edge.push(classes[b as usize]);
                path.push(id);
            }
            ends.push((*path.last().expect("root"), pid));
            prev = p;
        }
        drop(path);
        let n = parent.len();

        // Children of each depth-first state, in creation (= byte) order.
        let mut child_start = vec![0u32; n + 1];
        for &p in &parent[1..] {
            child_start[p as usize + 1] += 1;
        }
        for s in 0..n {
            child_start[s + 1] += child_start[s];
        }
        let mut children = vec![0u32; n.saturating_sub(1)];
        let mut fill = child_start.clone();
        for (s, &p) in parent.iter().enumerate().skip(1) {
            children[fill[p as usize] as usize] = s as u32;
            fill[p as usize] += 1;
        }
        drop((fill, parent));

        // Breadth-first renumbering: `bfs[i]` is the depth-first id of state i.
        let mut bfs: Vec<u32> = Vec::with_capacity(n);
        bfs.push(0);
        let mut first_child = Vec::with_capacity(n + 1);
        let mut i = 0;
        while i < bfs.len() {
            let s = bfs[i] as usize;
            first_child.push(bfs.len() as u32);
            bfs.extend_from_slice(&children[child_start[s] as usize..child_start[s + 1] as usize]);
            i += 1;
        }
        first_child.push(n as u32);
        drop((children, child_start));
        let edge: Vec<u8> = bfs.iter().map(|&s| edge[s as usize]).collect();
        let mut new_id = vec![0u32; n];
        for (i, &s) in bfs.iter().enumerate() {
            new_id[s as usize] = i as u32;
        }
        drop(bfs);

        // Own matches by state.
        let mut match_start = vec![0u32; n + 1];
        for &(s, _) in &ends {
            match_start[new_id[s as usize] as usize + 1] += 1;
        }
        for s in 0..n {
            match_start[s + 1] += match_start[s];
        }
        let mut matches = vec![(0u32, 0u32); ends.len()];
        let mut fill = match_start.clone();
        for &(s, pid) in &ends {
            let s = new_id[s as usize] as usize;
            matches[fill[s] as usize] = (pid, patterns[pid as usize].len() as u32);
            fill[s] += 1;
        }
        drop((fill, ends, new_id));

        let mut trie = Trie {
            classes,
            stride,
            first_child,
            edge,
            fail: vec![0; n],
            out: vec![NONE; n],
            match_start,
            matches,
            root_next: vec![0; stride],
        };
        for c in trie.children(0) {
            trie.root_next[trie.edge[c as usize] as usize] = c;
        }
        // Failure links, breadth first (a state's failure state is shallower, so done).
        for s in 1..n as u32 {
            for c in trie.children(s) {
                let k = trie.edge[c as usize];
                let mut f = trie.fail[s as usize];
                let target = loop {
                    if let Some(x) = trie.child(f, k) {
                        break x;
                    }
                    if f == 0 {
                        break 0;
                    }
                    f = trie.fail[f as usize];
                };
                trie.fail[c as usize] = target;
                trie.out[c as usize] = if trie.has_own(target) {
                    target
                } else {
                    trie.out[target as usize]
                };
            }
        }
        Some(trie)
    }

    /// Number of states.
    pub(crate) fn len(&self) -> usize {
        self.fail.len()
    }

    fn children(&self, s: u32) -> std::ops::Range<u32> {
        self.first_child[s as usize]..self.first_child[s as usize + 1]
    }

    /// The child of `s` on class `k`.
    #[inline]
    pub(crate) fn child(&self, s: u32, k: u8) -> Option<u32> {
        if s == 0 {
            let c = self.root_next[k as usize];
            return (c != 0).then_some(c);
        }
        let r = self.children(s);
        let edges = &self.edge[r.start as usize..r.end as usize];
        edges
            .iter()
            .position(|&e| e == k)
            .map(|i| r.start + i as u32)
    }

    /// The automaton's transition from `s` on class `k` (following failure links).
    #[inline]
    pub(crate) fn next(&self, mut s: u32, k: u8) -> u32 {
        loop {
            if let Some(x) = self.child(s, k) {
                return x;
            }
            if s == 0 {
                return 0;
            }
            s = self.fail[s as usize];
        }
    }

    fn has_own(&self, s: u32) -> bool {
        self.match_start[s as usize] != self.match_start[s as usize + 1]
    }

    /// Whether some pattern ends at state `s` (its own, or one of a suffix state).
    pub(crate) fn is_match(&self, s: u32) -> bool {
        self.has_own(s) || self.out[s as usize] != NONE
    }

    /// Every (pattern id, length) that ends at state `s`.
    pub(crate) fn matches_at(&self, s: u32) -> impl Iterator<Item = (u32, u32)> + '_ {
        let first = if self.has_own(s) {
            s
        } else {
            self.out[s as usize]
        };
        std::iter::successors((first != NONE).then_some(first), |&t| {
            let o = self.out[t as usize];
            (o != NONE).then_some(o)
        })
        .flat_map(|t| {
            let r =
                self.match_start[t as usize] as usize..self.match_start[t as usize + 1] as usize;
            self.matches[r].iter().copied()
        })
    }

    /// Appends every overlapping match in `texts` to `out`, by (text, end).
    pub(crate) fn find(&self, texts: &[&[u8]], out: &mut Vec<LexMatch>) {
        for (t, text) in texts.iter().enumerate() {
            let mut s = 0;
            for (i, &b) in text.iter().enumerate() {
                s = self.next(s, self.classes[b as usize]);
                if self.is_match(s) {
                    let end = (i + 1) as u32;
                    out.extend(self.matches_at(s).map(|(pattern, len)| LexMatch {
                        text: t as u32,
                        pattern,
                        start: end - len,
                        end,
                    }));
                }
            }
        }
    }
}
/// Byte classes of `patterns` under ASCII case folding. Class 0 holds the bytes that occur in
/// no pattern (in either case); each other class is one byte, or an ASCII letter and its
/// other case. Returns the byte -> class map and one representative byte per class.
pub(crate) fn byte_classes(patterns: &[Vec<u8>]) -> ([u8; 256], Vec<u8>) {
    let mut used = [false; 256];
    for &b in patterns.iter().flatten() {
        used[b.to_ascii_lowercase() as usize] = true;
    }
    let mut classes = [0u8; 256];
    // If every byte occurs in some pattern, class 0 is empty and its column is never read.
    let mut reps = vec![
        (0..=255u8)
            .find(|&b| !used[b.to_ascii_lowercase() as usize])
            .unwrap_or(0),
    ];
    for b in (0..=255u8).filter(|&b| used[b as usize] && !b.is_ascii_uppercase()) {
        classes[b as usize] = reps.len() as u8;
        reps.push(b);
    }
    // Upper-case letters share the class of their lower-case form.
    for b in b'A'..=b'Z' {
        classes[b as usize] = classes[b.to_ascii_lowercase() as usize];
    }
    (classes, reps)
}
