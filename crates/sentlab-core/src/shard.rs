//! Shards of a corpus by article id, so a scheduler (a Slurm array, a Dask or Ray job) can
//! run `split` and `extract` on part of a corpus: article `id` is in shard
//! `1 + FNV-1a-64(id) mod N` of `N`, a function of the id's UTF-8 bytes alone (stable across
//! machines, versions and runs; unlike Rust's `DefaultHasher`, whose output may change
//! between releases).

use std::fmt;
use std::str::FromStr;

/// The 64-bit FNV-1a hash of `bytes` (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Shard `k` of `n` (1 <= k <= n), as `K/N` on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    k: u64,
    n: u64,
}

impl Shard {
    /// Shard `k` of `n`; `None` unless 1 <= k <= n.
    pub fn new(k: u64, n: u64) -> Option<Shard> {
        (k >= 1 && k <= n).then_some(Shard { k, n })
    }

    /// The shard number, from 1.
    pub fn k(&self) -> u64 {
        self.k
    }

    /// The number of shards.
    pub fn n(&self) -> u64 {
        self.n
    }

    /// The shard (1 to `n`) of an article id among `n`.
    pub fn of(article_id: &str, n: u64) -> u64 {
        1 + fnv1a64(article_id.as_bytes()) % n
    }

    /// Whether the article is in this shard.
    pub fn contains(&self, article_id: &str) -> bool {
        Shard::of(article_id, self.n) == self.k
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

impl FromStr for Shard {
    type Err = String;

    /// `K/N` with 1 <= K <= N, both decimal integers.
    fn from_str(s: &str) -> Result<Shard, String> {
        let expected = "expected K/N with 1 <= K <= N (shard K of N), e.g. 1/4";
        let (k, n) = s
            .split_once('/')
            .ok_or_else(|| format!("`{s}`: {expected}"))?;
        let number = |t: &str| -> Result<u64, String> {
            if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("`{s}`: {expected}"));
            }
            t.parse().map_err(|_| format!("`{s}`: {expected}"))
        };
        let (k, n) = (number(k)?, number(n)?);
        Shard::new(k, n).ok_or_else(|| format!("`{s}`: {expected}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a64_matches_the_published_test_vectors() {
        // From the FNV reference test suite (Fowler, Noll, Vo): "", "a", "foobar".
        assert_eq!(fnv1a64(b""), 0xcbf29ce484222325);
        assert_eq!(fnv1a64(b"a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x85944171f73967e8);
    }

    #[test]
    fn shards_by_hash_mod_n_plus_one() {
        // 0xaf63dc4c8601ec8c is even: "a" is in shard 1 of 2; mod 3 it is 1 (Python:
        // `0xaf63dc4c8601ec8c % 3`): shard 2 of 3.
        assert_eq!(Shard::of("a", 2), 1);
        assert_eq!(Shard::of("a", 3), 1 + 0xaf63dc4c8601ec8c_u64 % 3);
        assert_eq!(Shard::of("a", 3), 2);
        assert_eq!(Shard::of("anything", 1), 1);
        let s: Shard = "2/3".parse().unwrap();
        assert!(s.contains("a"));
        assert!(!"1/3".parse::<Shard>().unwrap().contains("a"));
        assert_eq!(s.to_string(), "2/3");
    }

    #[test]
    fn bad_specs_are_named() {
        for bad in [
            "3/2", "0/0", "0/3", "1/0", "a/b", "1", "/3", "1/", "-1/3", "+1/3", "1/3/4",
        ] {
            let err = bad.parse::<Shard>().unwrap_err();
            assert_eq!(
                err,
                format!("`{bad}`: expected K/N with 1 <= K <= N (shard K of N), e.g. 1/4")
            );
        }
    }
}
