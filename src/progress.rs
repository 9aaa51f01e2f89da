//! Progress bars and messages on stderr: bars only when stderr is a terminal, nothing but
//! errors with `--quiet`. Data never goes here.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Where warnings, summaries and progress bars go (stderr), and whether they are shown.
#[derive(Debug, Clone, Copy)]
pub struct Console {
    /// Print only errors.
    pub quiet: bool,
}

impl Console {
    /// Prints a warning unless quiet.
    pub fn warn(&self, msg: impl std::fmt::Display) {
        if !self.quiet {
            eprintln!("warning: {msg}");
        }
    }

    /// Prints a summary line unless quiet.
    pub fn info(&self, msg: impl std::fmt::Display) {
        if !self.quiet {
            eprintln!("{msg}");
        }
    }

    /// A bar over `total_bytes` of input (articles counted in the message), hidden when quiet
    /// or when stderr is not a terminal.
    pub fn bytes_bar(&self, total_bytes: u64, unit: &str) -> ProgressBar {
        if self.quiet || !std::io::stderr().is_terminal() {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::with_draw_target(Some(total_bytes), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(&format!(
                "{{spinner}} {{elapsed_precise}} [{{bar:30}}] {{bytes}}/{{total_bytes}} {{binary_bytes_per_sec}} eta {{eta}} {{msg}} {unit}"
            ))
            .expect("valid template")
            .progress_chars("=> "),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    }

    /// A bar over `total` items, hidden when quiet or when stderr is not a terminal.
    pub fn items_bar(&self, total: u64, unit: &str) -> ProgressBar {
        if self.quiet || !std::io::stderr().is_terminal() {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(&format!(
                "{{spinner}} {{elapsed_precise}} [{{bar:30}}] {{human_pos}}/{{human_len}} {unit} {{per_sec}} eta {{eta}}"
            ))
            .expect("valid template")
            .progress_chars("=> "),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    }
}

/// Formats a byte count for summaries (`1.5 MB`).
pub fn human_bytes(bytes: u64) -> String {
    let b = bytes as f64;
    if b >= 1e9 {
        format!("{:.2} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.1} MB", b / 1e6)
    } else if b >= 1e3 {
        format!("{:.1} kB", b / 1e3)
    } else {
        format!("{bytes} B")
    }
}

/// Skipped rows counted by reason, `N reason, M reason` (reasons in sorted order), then
/// ` (first: FIRST)` when `first` is given; `none skipped` when there are no reasons.
pub fn count_skipped<'a>(
    reasons: impl IntoIterator<Item = &'a str>,
    first: Option<&str>,
) -> String {
    let mut counts: std::collections::BTreeMap<&str, u64> = Default::default();
    for r in reasons {
        *counts.entry(r).or_default() += 1;
    }
    if counts.is_empty() {
        return "none skipped".to_string();
    }
    let counts: Vec<String> = counts.iter().map(|(r, n)| format!("{n} {r}")).collect();
    match first {
        Some(first) => format!("{} (first: {first})", counts.join(", ")),
        None => counts.join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::count_skipped;

    #[test]
    fn skipped_rows_are_counted_by_reason_in_sorted_order() {
        // b twice, a once: "1 a, 2 b".
        assert_eq!(count_skipped(["b", "a", "b"], None), "1 a, 2 b");
        assert_eq!(
            count_skipped(["b", "a", "b"], Some("f.csv:3")),
            "1 a, 2 b (first: f.csv:3)"
        );
        assert_eq!(count_skipped([], Some("f.csv:3")), "none skipped");
    }
}
