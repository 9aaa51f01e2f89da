//! Shape rules: a question or an exclamation (the sentence's final punctuation), or a run
//! of all-caps words.

use super::compile::CompiledKind;

/// The byte ranges a shape rule of `kind` matches in a sentence's `text`, in order, given
/// to `emit` as (start, end).
pub(super) fn shape_spans(kind: &CompiledKind, text: &str, mut emit: impl FnMut(usize, usize)) {
    match kind {
        CompiledKind::Question | CompiledKind::Exclamation => {
            let trimmed = text.trim_end();
            let core =
                trimmed.trim_end_matches(|c: char| c.is_whitespace() || "\"'”’»)]}".contains(c));
            let tail_start = core.trim_end_matches(|c: char| "?!.…".contains(c)).len();
            let tail = &core[tail_start..];
            let want = if matches!(kind, CompiledKind::Question) {
                '?'
            } else {
                '!'
            };
            if tail.contains(want) {
                let start = text.len() - text.trim_start().len();
                emit(start, trimmed.len().max(start));
            }
        }
        CompiledKind::AllCaps {
            min_caps_words,
            acronyms,
        } => {
            let mut run: Option<(usize, usize, usize)> = None; // (start, end, count)
            let mut flush = |run: &mut Option<(usize, usize, usize)>| {
                if let Some((s, e, n)) = run.take()
                    && n >= *min_caps_words
                {
                    emit(s, e);
                }
            };
            if !has_adjacent_uppercase(text) {
                return;
            }
            let base = text.as_ptr() as usize;
            for token in text.split_whitespace() {
                let core = token.trim_matches(|c: char| !c.is_alphanumeric());
                if core.is_empty() {
                    continue;
                }
                let start = core.as_ptr() as usize - base;
                let end = start + core.len();
                let letters = core.chars().filter(|c| c.is_alphabetic()).count();
                if core.chars().any(char::is_lowercase) {
                    flush(&mut run);
                    continue;
                }
                let bare = core
                    .strip_suffix("'S")
                    .or_else(|| core.strip_suffix("’S"))
                    .unwrap_or(core);
                if letters < 2 || !has_adjacent_uppercase(core) || acronyms.contains(bare) {
                    continue; // neutral
                }
                run = Some(match run {
                    Some((s, _, n)) => (s, end, n + 1),
                    None => (start, end, 1),
                });
            }
            flush(&mut run);
        }
        _ => {}
    }
}

/// Whether two uppercase letters follow each other somewhere in `text`.
fn has_adjacent_uppercase(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut prev_upper = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (upper, len) = if b < 0x80 {
            (b.is_ascii_uppercase(), 1)
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            (c.is_uppercase(), c.len_utf8())
        };
        if upper && prev_upper {
            return true;
        }
        prev_upper = upper;
        i += len;
    }
    false
}
