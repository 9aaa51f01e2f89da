//! Byte classes of ASCII text eight bytes at a time (one `u64` holds eight bytes: "SIMD within
//! a register"), for the checks that run over every byte of every sentence: the repetition
//! tokenizer's word bytes and the whitespace check of lexicon phrases.
//!
//! Every function here expects bytes below 0x80 (ASCII); callers check that first.

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// Up to eight bytes as a little-endian `u64` (byte `i` in bits `8i..8i+8`), zero padded.
#[inline]
pub(crate) fn load(bytes: &[u8]) -> u64 {
    match <[u8; 8]>::try_from(bytes) {
        Ok(w) => u64::from_le_bytes(w),
        Err(_) => {
            let mut w = [0u8; 8];
            for (d, &b) in w.iter_mut().zip(bytes) {
                *d = b;
            }
            u64::from_le_bytes(w)
        }
    }
}

/// The high bit of each byte of `x` (all ASCII) set where the byte is in `lo..=hi`, others 0.
#[inline]
pub(crate) fn in_range(x: u64, lo: u8, hi: u8) -> u64 {
    debug_assert!(lo <= hi && hi < 0x80);
    // byte + (0x80 - lo) reaches 0x80 exactly when byte >= lo; byte + (0x7f - hi) when byte > hi.
    // Neither sum exceeds 0xff for a byte below 0x80, so no carry crosses into the next byte.
    let ge = x.wrapping_add(LO * u64::from(0x80 - lo));
    let gt = x.wrapping_add(LO * u64::from(0x7f - hi));
    ge & !gt & HI
}

/// The high bits of a byte mask (as [`in_range`] returns) packed into bit `i` for byte `i`.
#[inline]
pub(crate) fn pack(mask: u64) -> u8 {
    // Byte i's bit, moved to bit 8i, lands on bit 56+i of the product (bit 8i + 7j for
    // j = 8 - i); no two (i, j) pairs share a bit, so nothing carries.
    ((mask >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u8
}

/// Whether `text` has whitespace other than single ASCII spaces: a tab, line feed, vertical
/// tab, form feed, carriage return, two spaces in a row, or a non-ASCII whitespace character
/// (U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000).
pub(crate) fn needs_ws_normalization(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut space_before = false;
    for (c, chunk) in bytes.chunks(8).enumerate() {
        let mut x = load(chunk);
        let high = x & HI;
        if high != 0 {
            // Non-ASCII whitespace starts with C2, E1, E2 or E3; decode the characters that
            // start with one (curly quotes and dashes do too, so most are checked and pass).
            let mut lead = pack(high);
            while lead != 0 {
                let i = c * 8 + lead.trailing_zeros() as usize;
                lead &= lead - 1;
                if matches!(bytes[i], 0xc2 | 0xe1..=0xe3)
                    && text[i..].chars().next().is_some_and(char::is_whitespace)
                {
                    return true;
                }
            }
            // The ASCII checks below see the non-ASCII bytes as zero bytes.
            x &= !((high >> 7) * 0xff);
        }
        if in_range(x, 0x09, 0x0d) != 0 {
            return true;
        }
        let space = in_range(x, b' ', b' ');
        // A space whose next byte (8 bits up) is a space, or a first byte that is a space
        // after a chunk that ended with one.
        if space & (space >> 8) != 0 || (space_before && space & 0x80 != 0) {
            return true;
        }
        space_before = space >> 63 != 0;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_range_and_pack_agree_with_the_scalar_test_for_every_ascii_byte_at_every_position() {
        let ranges = [
            (b'0', b'9'),
            (b'a', b'z'),
            (0, 0),
            (0x7f, 0x7f),
            (0x09, 0x0d),
            (0, 0x7f),
        ];
        for (lo, hi) in ranges {
            for b in 0u8..0x80 {
                for pos in 0..8 {
                    // The byte at `pos` among neighbours that are in and out of range.
                    for fill in [lo, hi, b'x', 0, 0x7f] {
                        let mut bytes = [fill; 8];
                        bytes[pos] = b;
                        let x = u64::from_le_bytes(bytes);
                        let want: u8 = (0..8)
                            .filter(|&i| (lo..=hi).contains(&bytes[i]))
                            .map(|i| 1u8 << i)
                            .sum();
                        assert_eq!(pack(in_range(x, lo, hi)), want, "{bytes:?} in {lo}..={hi}");
                    }
                }
            }
        }
    }

    /// The check a character at a time.
    fn scalar(text: &str) -> bool {
        text.contains("  ") || text.chars().any(|c| c.is_whitespace() && c != ' ')
    }

    #[test]
    fn whitespace_check_finds_runs_across_chunk_edges() {
        let base = "one two three four five six seven eight nine";
        assert!(!needs_ws_normalization(base));
        let inserts = [
            "  ",
            "\t",
            "\n",
            "\r",
            "\x0b",
            "\x0c",
            " x",
            "\x08",
            "\u{85}",
            "\u{a0}",
            "\u{1680}",
            "\u{2009}",
            "\u{200a}",
            "\u{2028}",
            "\u{202f}",
            "\u{205f}",
            "\u{3000}",
            "\u{2019}",
            "\u{201c} ",
            " \u{e9} ",
            "\u{200b}",
            "\u{feff}",
            "\u{2060}",
            "\u{1f600}",
        ];
        for i in 0..=base.len() {
            for put in inserts {
                for prefix in ["", "\u{e9}", " \u{2014}"] {
                    let t = format!("{prefix}{}{put}{}", &base[..i], &base[i..]);
                    assert_eq!(needs_ws_normalization(&t), scalar(&t), "{t:?}");
                }
            }
        }
        assert!(needs_ws_normalization("1234567  "));
        assert!(!needs_ws_normalization("1234567 8 "));
        assert!(!needs_ws_normalization(""));
        // A space, a non-ASCII character, a space: no run.
        assert!(!needs_ws_normalization("a \u{e9} b \u{2019}s"));
    }
}
