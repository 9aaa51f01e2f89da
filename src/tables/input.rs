//! Table inputs: a file (its format from its extension, CSV when it has none of the known
//! ones) or `-`, standard input, whose format is read from its content (Parquet and Arrow
//! files start with their magic bytes, JSON Lines with `{`, anything else is CSV).
//! Standard input is read once and kept, so a command may look at it again (to detect a
//! format, then to read it); the path guard refuses two `-` inputs before any reading.

use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

use anyhow::{Context, Result};

use super::Format;

/// The name of standard input in messages.
pub const STDIN_NAME: &str = "<stdin>";

/// Whether a table input path means standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// The name of an input in messages: its path, or `<stdin>`.
pub fn display_name(path: &Path) -> String {
    if is_stdin(path) {
        STDIN_NAME.to_string()
    } else {
        path.display().to_string()
    }
}

/// A table input read into memory.
pub struct Input {
    /// The name for messages.
    pub name: String,
    /// The format: from the extension of a file, from the content of standard input.
    pub format: Format,
    /// The bytes, as read (a byte-order mark included).
    pub bytes: Vec<u8>,
}

/// Standard input, once read.
static STDIN: OnceLock<Vec<u8>> = OnceLock::new();

/// All of standard input (read on the first call, kept for the next ones).
pub fn stdin_bytes() -> Result<&'static [u8]> {
    if let Some(bytes) = STDIN.get() {
        return Ok(bytes);
    }
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .read_to_end(&mut bytes)
        .with_context(|| format!("{STDIN_NAME}: cannot read standard input"))?;
    Ok(STDIN.get_or_init(|| bytes))
}

/// Reads a table input: a file, or all of standard input for `-`.
pub fn read(path: &Path) -> Result<Input> {
    if is_stdin(path) {
        let bytes = stdin_bytes()?.to_vec();
        return Ok(Input {
            name: STDIN_NAME.to_string(),
            format: sniff(&bytes),
            bytes,
        });
    }
    let name = path.display().to_string();
    let bytes = std::fs::read(path).with_context(|| format!("{name}: cannot read file"))?;
    Ok(Input {
        name,
        format: Format::from_path(path).unwrap_or(Format::Csv),
        bytes,
    })
}

/// The format of a table from its first bytes: Parquet (`PAR1`), Arrow IPC file
/// (`ARROW1`), JSON Lines (the first character after a byte-order mark and blank space is
/// `{`), else CSV.
pub fn sniff(bytes: &[u8]) -> Format {
    if bytes.starts_with(b"PAR1") {
        return Format::Parquet;
    }
    if bytes.starts_with(b"ARROW1") {
        return Format::Arrow;
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => Format::Jsonl,
        _ => Format::Csv,
    }
}

/// The format of an input: a file's by its extension (CSV when it has none of the known
/// ones), standard input's by its content.
pub fn format_of(path: &Path) -> Result<Format> {
    if is_stdin(path) {
        Ok(sniff(stdin_bytes()?))
    } else {
        Ok(Format::from_path(path).unwrap_or(Format::Csv))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing_reads_the_magic_bytes_and_the_first_character() {
        assert_eq!(sniff(b"PAR1\x15\x04"), Format::Parquet);
        assert_eq!(sniff(b"ARROW1\0\0"), Format::Arrow);
        assert_eq!(sniff(b"{\"a\": 1}\n"), Format::Jsonl);
        assert_eq!(sniff(b"\xEF\xBB\xBF \n {\"a\": 1}"), Format::Jsonl);
        assert_eq!(sniff(b"sentence_id,label\n"), Format::Csv);
        assert_eq!(sniff(b""), Format::Csv);
        // A CSV whose first cell starts with a brace is rare but would need a header
        // named `{...`; a header never does in sentlab's tables.
        assert_eq!(sniff(b"a,{b}\n"), Format::Csv);
    }
}
