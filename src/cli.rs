//! Command-line types (clap derive): one struct per subcommand.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::corpus::InputFormat;
use crate::table::Format;

/// sentlab: sentence-level annotated corpora from news articles, and rule-based extractors
/// benchmarked against gold labels.
#[derive(Debug, Parser)]
#[command(name = "sentlab", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// No progress bars, warnings or summaries: errors only.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Worker threads (default: one per core). Output is identical for any value.
    #[arg(long, global = true, value_name = "N")]
    pub threads: Option<usize>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Split raw articles into the sentence table.
    Split(SplitArgs),
}

/// `sentlab split`.
#[derive(Debug, Args)]
pub struct SplitArgs {
    /// Article files, directories (searched recursively for *.txt) or `-` for stdin.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Output file (default stdout); written atomically.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Output format (default: from the output extension, else csv).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Input layout (default: by extension: .jsonl/.ndjson, .csv, else text).
    #[arg(long, value_enum, default_value = "auto")]
    pub input_format: InputFormat,
    /// Text files have no title line (by default the first line is the title).
    #[arg(long)]
    pub no_title: bool,
    /// Treat a single line break inside a paragraph as a space (hard-wrapped text). By
    /// default a line break ends a sentence, as in scraped news (one sentence or paragraph
    /// per line); a blank line always does.
    #[arg(long)]
    pub join_lines: bool,
    /// Replace invalid UTF-8 with U+FFFD (and warn) instead of failing.
    #[arg(long)]
    pub lossy: bool,
    /// Id field of JSONL/CSV input.
    #[arg(long, default_value = "id", value_name = "NAME")]
    pub id_field: String,
    /// Title field of JSONL/CSV input (optional in the data).
    #[arg(long, default_value = "title", value_name = "NAME")]
    pub title_field: String,
    /// Text field of JSONL/CSV input.
    #[arg(long, default_value = "text", value_name = "NAME")]
    pub text_field: String,
}
