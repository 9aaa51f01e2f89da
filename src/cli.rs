//! Command-line types (clap derive): one struct per subcommand.

use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};

use crate::corpus::InputFormat;
use crate::tables::Format;

/// sentlab: sentence-level annotated corpora from news articles, and rule-based extractors
/// benchmarked against gold labels.
#[derive(Debug, Parser)]
#[command(name = "sentlab", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// No progress bars, warnings or summaries: errors only.
    #[arg(short, long, global = true, display_order = 1000)]
    pub quiet: bool,
    /// Worker threads (default: one per core). Output is identical for any value.
    #[arg(long, global = true, value_name = "N", display_order = 1001)]
    pub threads: Option<usize>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Split raw articles into the sentence table.
    Split(SplitArgs),
    /// Annotators' label files: merge them into gold labels.
    #[command(subcommand)]
    Labels(LabelsCommand),
    /// Run a rule file over the sentence table: the prediction table.
    Extract(ExtractArgs),
    /// Validate rule files, or explain which rules fire on a sentence.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Precision, recall and F1 of predictions against gold labels.
    Eval(EvalArgs),
    /// Two prediction tables against one gold: F1 difference, its interval and p-value.
    Compare(CompareArgs),
    /// The whole loop on the sample built into the binary (works from any directory).
    Demo(DemoArgs),
    /// The whole loop on your corpus, described in a pipeline config (TOML).
    Run(RunArgs),
    /// Convert any table to CSV, Parquet, JSON Lines or Arrow; --to: pre-annotations.
    Export(ExportArgs),
    /// Counts of a sentence table and label tables: articles, sentences, tokens, labels.
    Stats(StatsArgs),
    /// One self-contained HTML page of an evaluation: scores, charts, errors.
    Report(ReportArgs),
    /// Shards' partial results (`eval`/`labels merge`/`stats --partial`) into one report.
    Combine(CombineArgs),
}

/// `sentlab combine`.
#[derive(Debug, Args)]
pub struct CombineArgs {
    /// Partial results written by `eval --partial`, or all by `labels merge --partial` (the
    /// agreement report of one merge), or all by `stats --partial` (the stats of one run),
    /// one per shard (each article in one).
    #[arg(required = true, value_name = "PARTIAL")]
    pub inputs: Vec<PathBuf>,
    /// Report format (default: from the output extension: .txt, .md, .json, .csv, .jsonl,
    /// .parquet, .arrow; else table).
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Report file (default stdout); written atomically.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Order of the label rows (default: support, descending).
    #[arg(long, value_enum)]
    pub sort: Option<SortArg>,
    /// 95% confidence intervals from N bootstrap resamples of all the articles (100 to
    /// 100000): the intervals one `eval --bootstrap N` over every article gives (of all the
    /// sentences seen and `labels merge --bootstrap N`, for agreement partials).
    #[arg(long, value_name = "N")]
    pub bootstrap: Option<u32>,
    /// Seed of the bootstrap (default 42; same seed, same intervals).
    #[arg(long, value_name = "S", requires = "bootstrap")]
    pub seed: Option<u64>,
}

/// `sentlab demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Directory for every intermediate table (default sentlab-demo/).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write into DIR even if it holds other files.
    #[arg(long)]
    pub force: bool,
    /// The CSV tables for spreadsheets: text cells starting with =, +, -, @, TAB or CR get a
    /// quote (') in front so they are not run as formulas (numeric columns are unchanged;
    /// the same as `excel_safe = true` in the pipeline config). sentlab does not read such
    /// tables back.
    #[arg(long)]
    pub excel_safe: bool,
}

/// `sentlab run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The pipeline config (TOML): articles, annotators, schema, strategy, rules, out.
    #[arg(value_name = "PIPELINE")]
    pub pipeline: PathBuf,
    /// Directory for every intermediate table (default: the config's `out`, else
    /// sentlab-demo/).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write into DIR even if it holds other files.
    #[arg(long)]
    pub force: bool,
    /// The CSV tables for spreadsheets: text cells starting with =, +, -, @, TAB or CR get a
    /// quote (') in front so they are not run as formulas (numeric columns are unchanged;
    /// the same as `excel_safe = true` in the pipeline config). sentlab does not read such
    /// tables back.
    #[arg(long)]
    pub excel_safe: bool,
}

/// `sentlab export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// A sentlab table (.csv, .jsonl, .parquet or .arrow; also .ndjson, .pq, .ipc, .feather).
    #[arg(
        value_name = "TABLE",
        required_unless_present = "to",
        conflicts_with = "to"
    )]
    pub table: Option<PathBuf>,
    /// Output file; its extension picks the format (the same extensions as TABLE). With
    /// --to: the tasks file (label-studio: a JSON array; doccano: JSON Lines) or, for ptc, a
    /// new or empty directory of span files.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// CSV output for spreadsheets: text cells starting with =, +, -, @, TAB or CR get a
    /// quote (') in front so they are not run as formulas (numeric columns and JSON Lines,
    /// Parquet and Arrow outputs are unchanged). sentlab does not read such a file back.
    #[arg(long, conflicts_with = "to")]
    pub excel_safe: bool,
    /// Pre-annotations for an annotation tool instead of a table: the predictions of --pred
    /// on the articles of --articles, one task (or span file) per article.
    #[arg(long, value_enum, value_name = "TOOL")]
    pub to: Option<ExportTool>,
    /// With --to: the prediction table (from `extract`).
    #[arg(long, value_name = "FILE", requires = "to")]
    pub pred: Option<PathBuf>,
    /// With --to: the articles the predictions were made on, read as `split` reads them
    /// (files, directories searched for *.txt, JSON Lines or CSV with id, title, text).
    #[arg(long, value_name = "INPUT", num_args = 1.., requires = "to")]
    pub articles: Vec<PathBuf>,
    /// With --to: the unit offsets count in (default: label-studio and ptc codepoint,
    /// doccano utf16, the units of the versions named in docs/export-and-stats.md; ptc is
    /// always codepoint).
    #[arg(long, value_enum, value_name = "UNIT", requires = "to")]
    pub offsets: Option<OffsetsUnit>,
    /// label-studio: the `model_version` of the predictions (default: the file stem of
    /// --rules, else `sentlab`).
    #[arg(long, value_name = "NAME", requires = "to", conflicts_with = "rules")]
    pub model_version: Option<String>,
    /// label-studio: the rule pack the predictions came from (a file or directory; only
    /// its name is used, as the `model_version`).
    #[arg(long, value_name = "PATH", requires = "to")]
    pub rules: Option<PathBuf>,
    /// label-studio: the name of the <Labels> control, each result's `from_name` (default
    /// `label`).
    #[arg(long, value_name = "NAME", requires = "to")]
    pub from_name: Option<String>,
    /// label-studio: the name of the <Text> object, each result's `to_name` (default
    /// `text`).
    #[arg(long, value_name = "NAME", requires = "to")]
    pub to_name: Option<String>,
    /// label-studio: where the labeling config (XML) goes (default: the output path with
    /// the extension .xml).
    #[arg(long, value_name = "FILE", requires = "to")]
    pub config_out: Option<PathBuf>,
    /// With --to: a prediction row left out (unknown article, past the article end, empty,
    /// or its `match` not the article text there) is an error instead of a count.
    #[arg(long, requires = "to")]
    pub strict: bool,
    /// With --to: the layout of the article inputs (as `split --input-format`).
    #[arg(long, value_enum, default_value = "auto", requires = "to")]
    pub input_format: InputFormat,
    /// With --to: replace invalid UTF-8 in articles with U+FFFD (and warn) instead of
    /// failing.
    #[arg(long, requires = "to")]
    pub lossy: bool,
    /// With --to: id field of JSONL/CSV articles.
    #[arg(long, default_value = "id", value_name = "NAME", requires = "to")]
    pub id_field: String,
    /// With --to: title field of JSONL/CSV articles (optional in the data).
    #[arg(long, default_value = "title", value_name = "NAME", requires = "to")]
    pub title_field: String,
    /// With --to: text field of JSONL/CSV articles.
    #[arg(long, default_value = "text", value_name = "NAME", requires = "to")]
    pub text_field: String,
}

/// The annotation tool `export --to` writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportTool {
    /// Label Studio tasks (a JSON array) with predictions, and the labeling config XML.
    LabelStudio,
    /// doccano sequence-labeling JSON Lines (`text`, `label`, `article_id`).
    Doccano,
    /// PTC span files, one per article, in a directory.
    Ptc,
}

/// The unit of exported offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OffsetsUnit {
    /// Unicode code points (Python string indices).
    Codepoint,
    /// UTF-16 code units (JavaScript string indices; an emoji counts two).
    Utf16,
}

/// `sentlab stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// The sentence table, then label files (any format `labels merge` reads) to count
    /// labels in, per annotator. With --sentences, every argument is a label file.
    #[arg(value_name = "FILES", required_unless_present = "sentences")]
    pub files: Vec<PathBuf>,
    /// The sentence table (then every FILES argument is a label file).
    #[arg(long, value_name = "FILE")]
    pub sentences: Option<PathBuf>,
    /// Count only these labels (comma-separated; label names that contain commas, like
    /// `Name_Calling,Labeling`, are recognised when they occur in the data).
    #[arg(long, value_name = "A,B")]
    pub labels: Option<String>,
    /// Output format (default: from the output extension, `.json` or `.txt`, else table).
    #[arg(long, value_enum)]
    pub format: Option<StatsFormat>,
    /// Output file (default stdout).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also write the partial result (JSON: per-article histograms and label counts) that
    /// `sentlab combine` adds up with those of other shards into these stats, medians exact.
    #[arg(long, value_name = "FILE")]
    pub partial: Option<PathBuf>,
}

/// Output format of `stats`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StatsFormat {
    /// Aligned text for people.
    Table,
    /// JSON.
    Json,
}

/// `sentlab labels ...`.
#[derive(Debug, Subcommand)]
pub enum LabelsCommand {
    /// Merge several annotators' labels into one gold table, with agreement statistics.
    Merge(MergeArgs),
}

/// How several annotators' votes become one gold label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StrategyArg {
    /// More than half of the annotators who saw the sentence (ties: --tie).
    Majority,
    /// Every annotator who saw the sentence.
    Unanimous,
    /// At least one annotator (union).
    Any,
    /// At least K annotators (--min-votes K).
    MinVotes,
}

/// `sentlab labels merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The sentence table the labels refer to (output of `split`).
    #[arg(long, value_name = "FILE")]
    pub sentences: PathBuf,
    /// Annotator files: long CSV, wide CSV, sentence table + `labels` column, PTC span
    /// files (a file or a directory of *.labels), doccano JSONL, Label Studio JSON,
    /// Prodigy JSONL.
    #[arg(required = true, value_name = "ANNOTATOR_FILE")]
    pub files: Vec<PathBuf>,
    /// Gold label table (default stdout); written atomically.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Output format (default: from the output extension, else csv).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Merge strategy (default majority).
    #[arg(long, value_enum)]
    pub strategy: Option<StrategyArg>,
    /// K for `--strategy min-votes` (implies it when --strategy is not given).
    #[arg(long, value_name = "K")]
    pub min_votes: Option<u32>,
    /// Whether a majority tie (exactly half say yes) is a yes or a no (default no).
    #[arg(long, value_parser = ["yes", "no"])]
    pub tie: Option<String>,
    /// A file whose labels replace the vote on every sentence it covers.
    #[arg(long, value_name = "FILE")]
    pub adjudicator: Option<PathBuf>,
    /// CSV `annotator,sentence_id` listing the sentences each annotator saw (default: all
    /// sentences of the articles in the annotator's file).
    #[arg(long, value_name = "FILE")]
    pub coverage: Option<PathBuf>,
    /// Label schema (TOML): names, descriptions, aliases; unknown labels are then skipped
    /// (an error with --strict).
    #[arg(long, value_name = "FILE")]
    pub schema: Option<PathBuf>,
    /// Force the format of the annotator files (default: detected from content).
    #[arg(long, value_parser = ["long-csv", "wide-csv", "sentence-table", "ptc-spans", "doccano", "label-studio", "prodigy"])]
    pub input_format: Option<String>,
    /// Article-level span exports (Label Studio, doccano, Prodigy): the unit their offsets
    /// count in; `auto` takes, per file, the first of code points, UTF-16 units and
    /// graphemes under which every span fits (an error when none does); a forced unit
    /// counts the spans that do not fit as skipped.
    #[arg(long, default_value = "auto", value_parser = ["auto", "codepoint", "utf16", "grapheme"])]
    pub offsets: String,
    /// Article-level span exports: the task field holding the article id (top level, in
    /// Label Studio's `data`, or in `meta`).
    #[arg(long, default_value = "article_id", value_name = "NAME")]
    pub id_field: String,
    /// Span gold (`article_id,label,start,end`, code points): the spans voted per code
    /// point by --strategy over the annotators who saw the article; written atomically.
    #[arg(long, value_name = "FILE")]
    pub spans_out: Option<PathBuf>,
    /// Span gold as PTC span files in DIR, one `<article_id>.labels` per article seen.
    #[arg(long, value_name = "DIR")]
    pub ptc_out: Option<PathBuf>,
    /// Span files: minimum overlap, in characters, for a span to label a sentence.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub min_overlap: u64,
    /// Agreement report: JSON to FILE, or `-` for the table on stdout (it is always printed
    /// on stderr unless --quiet).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Every (sentence, label) annotators disagree on, with the sentence text (CSV).
    #[arg(long, value_name = "FILE")]
    pub conflicts: Option<PathBuf>,
    /// CSV output for spreadsheets: text cells starting with =, +, -, @, TAB or CR get a
    /// quote (') in front so they are not run as formulas (numeric columns and JSON Lines,
    /// Parquet and Arrow outputs are unchanged). sentlab does not read such a file back.
    #[arg(long)]
    pub excel_safe: bool,
    /// Any skipped row (unknown sentence id or label, duplicate, span outside the
    /// article) is an error.
    #[arg(long)]
    pub strict: bool,
    /// Accept 3+ span files that each cover one different article as one annotator per file.
    #[arg(long)]
    pub one_annotator_per_file: bool,
    /// 95% confidence intervals on every agreement figure from N bootstrap resamples (100
    /// to 100000) of the sentences seen (of the articles, for span files).
    #[arg(long, value_name = "N")]
    pub bootstrap: Option<u32>,
    /// Seed of the bootstrap (default 42; same seed, same intervals).
    #[arg(long, value_name = "S", requires = "bootstrap")]
    pub seed: Option<u64>,
    /// Also write the partial agreement result (JSON: per sentence seen, who saw it and who
    /// said yes) that `sentlab combine` adds up with those of the other shards of a corpus
    /// into the agreement report of one merge (span inputs: span F1 too, units of articles).
    #[arg(long, value_name = "FILE")]
    pub partial: Option<PathBuf>,
}

/// `sentlab extract`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Rule file (TOML), a directory of *.toml files, or a built-in pack by name
    /// (`propaganda`; a file or directory of that name here wins).
    #[arg(long, value_name = "RULES")]
    pub rules: PathBuf,
    /// The sentence table (output of `split`); or give it with --sentences.
    #[arg(
        value_name = "SENTENCES",
        required_unless_present = "sentences_flag",
        conflicts_with = "sentences_flag"
    )]
    pub sentences_arg: Option<PathBuf>,
    /// The sentence table (the same as the SENTENCES argument).
    #[arg(long = "sentences", id = "sentences_flag", value_name = "FILE")]
    pub sentences_flag: Option<PathBuf>,
    /// Label schema (TOML): every rule's label must be one of its labels (a typo is an
    /// error naming the closest label).
    #[arg(long, value_name = "FILE")]
    pub schema: Option<PathBuf>,
    /// Prediction table (default stdout); written atomically.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Output format (default: from the output extension, else csv).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// CSV output for spreadsheets: text cells starting with =, +, -, @, TAB or CR get a
    /// quote (') in front so they are not run as formulas (numeric columns and JSON Lines,
    /// Parquet and Arrow outputs are unchanged). sentlab does not read such a file back.
    #[arg(long)]
    pub excel_safe: bool,
    /// Only the sentences of articles in shard K of N (article id in shard 1 + FNV-1a-64(id)
    /// mod N), so N jobs cover the table once.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<sentlab_core::shard::Shard>,
}

impl ExtractArgs {
    /// The sentence table, from the argument or the flag (clap requires exactly one).
    pub fn sentences(&self) -> &Path {
        self.sentences_arg
            .as_deref()
            .or(self.sentences_flag.as_deref())
            .expect("clap requires SENTENCES or --sentences")
    }
}

impl RulesCheckArgs {
    /// The rules, from the argument or the flag (clap requires exactly one).
    pub fn rules(&self) -> &Path {
        self.rules_arg
            .as_deref()
            .or(self.rules_flag.as_deref())
            .expect("clap requires RULES or --rules")
    }
}

impl StatsArgs {
    /// The sentence table and the label files.
    pub fn tables(&self) -> (&Path, &[PathBuf]) {
        match &self.sentences {
            Some(s) => (s, &self.files),
            None => (&self.files[0], &self.files[1..]),
        }
    }
}

/// `sentlab rules ...`.
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Validate a rule set and report every problem at once, with file and line.
    Check(RulesCheckArgs),
    /// Show which rules fire on a sentence, where, and which conditions vetoed matches;
    /// or do so for the false positives or false negatives of labels.
    Explain(RulesExplainArgs),
    /// Suggest lexicon phrases that are precise for a label among the gold sentences the
    /// predictions miss (precision cross-validated over articles).
    Suggest(RulesSuggestArgs),
    /// List the rules of a rule set: id, label, kind and description.
    List(RulesListArgs),
}

/// Output format of `rules list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RulesListFormat {
    /// Aligned text table for people.
    Table,
    /// CSV with a header `id,label,kind,description,file,line`.
    Csv,
    /// One JSON array of objects with the same fields.
    Json,
}

/// `sentlab rules list`.
#[derive(Debug, Args)]
pub struct RulesListArgs {
    /// Rule file (TOML), a directory of *.toml files, or a built-in pack by name; without
    /// it, the built-in packs are listed.
    #[arg(value_name = "RULES")]
    pub rules: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: RulesListFormat,
}

/// `sentlab rules check`.
#[derive(Debug, Args)]
pub struct RulesCheckArgs {
    /// Rule file (TOML), a directory of *.toml files, or a built-in pack by name
    /// (`propaganda`); or give it with --rules.
    #[arg(
        value_name = "RULES",
        required_unless_present = "rules_flag",
        conflicts_with = "rules_flag"
    )]
    pub rules_arg: Option<PathBuf>,
    /// The rules (the same as the RULES argument).
    #[arg(long = "rules", id = "rules_flag", value_name = "RULES")]
    pub rules_flag: Option<PathBuf>,
    /// Label schema (TOML): every rule's label must be one of its labels or aliases.
    #[arg(long, value_name = "FILE")]
    pub schema: Option<PathBuf>,
}

/// `sentlab rules explain`.
#[derive(Debug, Args)]
pub struct RulesExplainArgs {
    /// Rule file (TOML), a directory of *.toml files, or a built-in pack by name
    /// (`propaganda`); or give it with --rules (then the one argument is the SENTENCE).
    #[arg(value_name = "RULES", required_unless_present = "rules_flag")]
    pub rules_arg: Option<PathBuf>,
    /// The sentence to explain (or use --sentence-id with --sentences).
    #[arg(
        value_name = "SENTENCE",
        required_unless_present_any = ["sentence_id", "rules_flag", "from_errors", "labels"],
        conflicts_with = "sentence_id"
    )]
    pub sentence: Option<String>,
    /// The rules (the same as the RULES argument).
    #[arg(long = "rules", id = "rules_flag", value_name = "RULES")]
    pub rules_flag: Option<PathBuf>,
    /// Explain this sentence of the table given with --sentences (document-level rules
    /// then see its whole article).
    #[arg(long, value_name = "ID", requires = "sentences")]
    pub sentence_id: Option<String>,
    /// The sentence table holding --sentence-id, or the sentences of --from-errors and
    /// --labels.
    #[arg(long, value_name = "FILE")]
    pub sentences: Option<PathBuf>,
    /// Explain every sentence of an error list written by `eval --errors` (sentence level:
    /// kind FP or FN; span level: the sentence each missed or spurious span starts in),
    /// for the rules of its label.
    #[arg(
        long,
        value_name = "ERRORS",
        requires = "sentences",
        conflicts_with_all = ["sentence_id", "labels"]
    )]
    pub from_errors: Option<PathBuf>,
    /// Explain the errors of this label (repeat for several), found from --gold and --pred
    /// with --fp and/or --fn.
    #[arg(
        long,
        value_name = "LABEL",
        requires_all = ["sentences", "gold", "pred"],
        conflicts_with = "sentence_id"
    )]
    pub labels: Vec<String>,
    /// With --labels: the false positives (predicted, not gold).
    #[arg(long, requires = "labels")]
    pub fp: bool,
    /// With --labels: the false negatives (gold, not predicted).
    #[arg(long = "fn", id = "fn_", requires = "labels")]
    pub fn_: bool,
    /// With --labels: gold labels, a long label table (sentence_id,label).
    #[arg(long, value_name = "GOLD", requires = "labels")]
    pub gold: Option<PathBuf>,
    /// With --labels: the prediction table (output of `extract`).
    #[arg(long, value_name = "PREDICTIONS", requires = "labels")]
    pub pred: Option<PathBuf>,
    /// With --from-errors or --labels: write one CSV row per error to FILE instead of the
    /// listing on stdout (written atomically).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `sentlab rules suggest`.
#[derive(Debug, Args)]
pub struct RulesSuggestArgs {
    /// The sentence table.
    #[arg(long, value_name = "FILE")]
    pub sentences: PathBuf,
    /// Gold labels: a long label table (sentence_id,label), or PTC span files (a .labels
    /// file or a directory of them), projected onto sentences by overlap.
    #[arg(long, value_name = "PATH")]
    pub gold: PathBuf,
    /// The current prediction table: phrases are drawn from the gold sentences it misses
    /// (default: from every gold sentence).
    #[arg(long, value_name = "FILE")]
    pub pred: Option<PathBuf>,
    /// Suggest for these labels only (comma-separated; default: every gold label).
    #[arg(long, value_name = "A,B")]
    pub labels: Option<String>,
    /// The current rules: lexicon entries of a label are not suggested for it again, and
    /// the overlap column counts sentences where a rule of the label already fires.
    #[arg(long, value_name = "RULES")]
    pub rules: Option<PathBuf>,
    /// A phrase's new true positives must lie in at least this many distinct articles.
    #[arg(long, value_name = "M", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    pub min_articles: u32,
    /// A phrase's precision over all its sentences must be at least this (0 to 1).
    #[arg(long, value_name = "P", default_value_t = 0.5)]
    pub min_precision: f64,
    /// Cross-validation folds over articles (2 to 100).
    #[arg(long, value_name = "K", default_value_t = 5, value_parser = clap::value_parser!(u32).range(2..=100))]
    pub folds: u32,
    /// Phrases listed per label.
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
    pub top: u32,
    /// Longest phrase, in words (1 to 4).
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=4))]
    pub max_words: u32,
    /// Count the inflections of a phrase's last word as the phrase, as `inflect = true`
    /// does in a lexicon rule (the suggested rules then carry `inflect = true`).
    #[arg(long)]
    pub inflect: bool,
    /// Write ready-to-paste lexicon rules (TOML, the evidence as comments) instead of the
    /// table.
    #[arg(long)]
    pub toml: bool,
}

/// Output format of reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// Aligned text table for people.
    Table,
    /// GitHub markdown table.
    Markdown,
    /// CSV with a header: one row per label (a `row` column names averages), full
    /// precision.
    Csv,
    /// One JSON document.
    Json,
    /// The CSV rows as JSON Lines.
    Jsonl,
    /// The CSV rows as Apache Parquet.
    Parquet,
    /// The CSV rows as an Apache Arrow IPC file.
    Arrow,
}

impl From<ReportFormat> for crate::tables::ReportOutput {
    fn from(f: ReportFormat) -> Self {
        use crate::tables::{Format, ReportOutput};
        match f {
            ReportFormat::Table => ReportOutput::Table,
            ReportFormat::Markdown => ReportOutput::Markdown,
            ReportFormat::Json => ReportOutput::Json,
            ReportFormat::Csv => ReportOutput::Rows(Format::Csv),
            ReportFormat::Jsonl => ReportOutput::Rows(Format::Jsonl),
            ReportFormat::Parquet => ReportOutput::Rows(Format::Parquet),
            ReportFormat::Arrow => ReportOutput::Rows(Format::Arrow),
        }
    }
}

/// Evaluation unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LevelArg {
    /// A sentence is a positive for a label when it carries it (multi-label).
    Sentence,
    /// SemEval-2020 Task 11 fragment scoring: partial credit by span overlap.
    Span,
}

/// How spans are scored at span level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MatchArg {
    /// SemEval-2020 Task 11 partial credit by overlap (overlapping spans of a label merged).
    Ptc,
    /// nervaluate's strict: a match is correct with the same boundaries and label.
    Strict,
    /// nervaluate's exact: correct with the same boundaries, any label.
    Exact,
    /// nervaluate's partial: same boundaries correct, other overlaps half credit.
    Partial,
    /// nervaluate's ent_type: correct with the same label and any overlap.
    Type,
}

/// Grouping of the evaluation rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ByArg {
    /// One row per label type, then averages.
    Label,
    /// One row per rule: sentences fired on, precision, unique TPs, overlaps, conflicts.
    Rule,
    /// One row per article: sentences, tp, fp, fn, support, precision, recall, F1
    /// (sentence level).
    Article,
    /// The label confusion matrix: sentences with gold X and predicted Y, plus `none`
    /// (sentence level).
    Confusion,
}

/// Order of the label rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SortArg {
    /// Label name.
    Label,
    /// Gold support, descending.
    Support,
    /// F1, descending.
    F1,
}

/// `sentlab report`.
#[derive(Debug, Args)]
#[command(
    after_help = "The page loads nothing (no network, every byte inline) and opens from a file. Same inputs and flags, same bytes."
)]
pub struct ReportArgs {
    /// The sentence table (also the text of the error browser).
    #[arg(long, value_name = "FILE")]
    pub sentences: PathBuf,
    /// Gold labels: a long label table (sentence_id,label), or PTC span files (a .labels
    /// file or a directory of them: projected onto sentences as `eval` does, and the gold
    /// spans underlined in the error browser).
    #[arg(long, value_name = "GOLD")]
    pub gold: PathBuf,
    /// The prediction table (output of `extract`): every row must name a sentence of the
    /// table and lie inside it. Give it twice to compare two systems (A first, then B) as
    /// `compare` does; the other views are of A.
    #[arg(long, value_name = "PREDICTIONS", required = true)]
    pub pred: Vec<PathBuf>,
    /// The rule pack the predictions came from (only its content hash is shown).
    #[arg(long, value_name = "RULES")]
    pub rules: Option<PathBuf>,
    /// The agreement report of the annotators (the JSON `labels merge --report` writes):
    /// adds heat maps of the agreement per label and of Cohen's kappa per annotator pair.
    #[arg(long, value_name = "FILE")]
    pub agreement: Option<PathBuf>,
    /// The HTML file to write (atomically).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Bootstrap resamples of articles for the intervals (100 to 100000).
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub bootstrap: u32,
    /// Bootstrap seed.
    #[arg(long, value_name = "SEED", default_value_t = 42)]
    pub seed: u64,
    /// At most this many articles (those with the most errors) in the error browser; the
    /// tables always have every article.
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub max_articles: usize,
    /// With two --pred: permutations of the paired randomisation test (100 to 1000000;
    /// default 10000).
    #[arg(long, value_name = "N")]
    pub permutations: Option<u32>,
}

/// `sentlab eval`.
#[derive(Debug, Args)]
#[command(
    after_help = "Undefined values (0/0) print as `-` in tables and `null` in JSON. Averages follow scikit-learn's zero_division=0: an undefined per-label precision, recall or F1 counts as 0 in the macro and weighted averages. F1 = 2tp/(2tp+fp+fn)."
)]
pub struct EvalArgs {
    /// Gold labels: a long label table (sentence_id,label), or PTC span files (a
    /// .labels file or a directory of them), projected onto sentences by overlap.
    #[arg(long, value_name = "GOLD")]
    pub gold: PathBuf,
    /// The prediction table (output of `extract`).
    #[arg(long, value_name = "PREDICTIONS")]
    pub pred: PathBuf,
    /// The sentence table: the universe of sentences.
    #[arg(long, value_name = "FILE")]
    pub sentences: PathBuf,
    /// Report format (default: from the output extension: .txt, .md, .json, .csv, .jsonl,
    /// .parquet, .arrow; else table).
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Report file (default stdout); written atomically.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Evaluation unit.
    #[arg(long, value_enum, default_value = "sentence")]
    pub level: LevelArg,
    /// Span level: how spans are scored (`ptc`, the default; or one-to-one matching with
    /// nervaluate's categories: correct, incorrect, partial, missed, spurious).
    #[arg(long = "match", value_enum, value_name = "MODE")]
    pub match_mode: Option<MatchArg>,
    /// Span level, with --match strict|exact|partial|type: a gold and a predicted span may be
    /// matched when they share at least this fraction of the gold span (0 < F <= 1; default:
    /// any shared code point).
    #[arg(long, value_name = "F")]
    pub min_overlap_fraction: Option<f64>,
    /// One row per label, or per rule.
    #[arg(long, value_enum, default_value = "label")]
    pub by: ByArg,
    /// Restrict and order the label set (comma-separated; label names that contain commas,
    /// like `Name_Calling,Labeling`, are recognised when they occur in the data).
    #[arg(long, value_name = "A,B")]
    pub labels: Option<String>,
    /// Order of the label rows (default: support, descending).
    #[arg(long, value_enum)]
    pub sort: Option<SortArg>,
    /// Every false positive and false negative, with rule, match and sentence text (CSV); at
    /// span level every span with its overlap fraction or category.
    #[arg(long, value_name = "FILE")]
    pub errors: Option<PathBuf>,
    /// Also write the partial result (JSON: per article and label tp, fp, fn; at span level
    /// the ptc sums or the --match counts) that `sentlab combine` adds up with those of other
    /// shards into this report (per-label report, not --by). Shards must agree in --level,
    /// --match, --min-overlap-fraction, --labels and --schema.
    #[arg(long, value_name = "FILE")]
    pub partial: Option<PathBuf>,
    /// CSV output for spreadsheets: text cells starting with =, +, -, @, TAB or CR get a
    /// quote (') in front so they are not run as formulas (numeric columns and JSON Lines,
    /// Parquet and Arrow outputs are unchanged). sentlab does not read such a file back.
    #[arg(long)]
    pub excel_safe: bool,
    /// 95% confidence intervals from N bootstrap resamples of articles (100 to 100000).
    #[arg(long, value_name = "N")]
    pub bootstrap: Option<u32>,
    /// Seed of the bootstrap (default 42; same seed, same intervals).
    #[arg(long, value_name = "S", requires = "bootstrap")]
    pub seed: Option<u64>,
    /// Label schema (TOML): a gold or predicted label that is not one of its labels or
    /// aliases is an error naming the closest (the labels scored stay those seen, or
    /// --labels).
    #[arg(long, value_name = "FILE")]
    pub schema: Option<PathBuf>,
    /// Rows whose sentence id is not in the sentence table are an error (default: counted
    /// and reported); at span level so are skipped gold spans and predicted spans outside
    /// their article or sentence.
    #[arg(long)]
    pub strict: bool,
}

/// `sentlab compare`.
#[derive(Debug, Args)]
#[command(
    after_help = "The difference is B minus A (the second --pred minus the first), on F1; an undefined F1 (0/0) counts as 0 in it. micro: F1 of the counts pooled over labels (at span level with --match strict|exact|partial|type, the overall matching); macro: the mean of the label F1s. The interval resamples articles, the same draws for A and B; the p-value swaps A's and B's predictions of each article with probability 1/2 (two-sided, p = (r + 1) / (N + 1))."
)]
pub struct CompareArgs {
    /// The sentence table: the universe of sentences.
    #[arg(long, value_name = "FILE")]
    pub sentences: PathBuf,
    /// Gold labels: a long label table (sentence_id,label), or PTC span files (a .labels
    /// file or a directory of them).
    #[arg(long, value_name = "GOLD")]
    pub gold: PathBuf,
    /// A prediction table; give exactly two: A first, then B.
    #[arg(long, value_name = "PREDICTIONS", required = true)]
    pub pred: Vec<PathBuf>,
    /// Evaluation unit.
    #[arg(long, value_enum, default_value = "sentence")]
    pub level: LevelArg,
    /// Span level: how spans are scored (`ptc`, the default, or a matching mode).
    #[arg(long = "match", value_enum, value_name = "MODE")]
    pub match_mode: Option<MatchArg>,
    /// Span level, with --match strict|exact|partial|type: the least shared fraction of the
    /// gold span for a match (0 < F <= 1; default: any shared code point).
    #[arg(long, value_name = "F")]
    pub min_overlap_fraction: Option<f64>,
    /// Bootstrap resamples of articles for the 95% interval of the difference (100 to
    /// 100000).
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub bootstrap: u32,
    /// Permutations of the randomisation test (100 to 1000000).
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub permutations: u32,
    /// Seed of the bootstrap and the permutations (same seed, same output).
    #[arg(long, value_name = "S", default_value_t = 42)]
    pub seed: u64,
    /// Sentence level: write the (sentence, label) pairs that one system gets right and the
    /// other wrong (CSV: sentence_id,label,gold,a,b,change,text; change is fixed or broken).
    #[arg(long, value_name = "FILE")]
    pub flips: Option<PathBuf>,
    /// Report format (default: from the output extension: .txt, .md, .json, .csv, .jsonl,
    /// .parquet, .arrow; else table).
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Report file (default stdout); written atomically.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// CSV output for spreadsheets: text cells starting with =, +, -, @, TAB or CR get a
    /// quote (') in front so they are not run as formulas (numeric columns and JSON Lines,
    /// Parquet and Arrow outputs are unchanged). sentlab does not read such a file back.
    #[arg(long)]
    pub excel_safe: bool,
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
    #[arg(long, conflicts_with = "one_per_line")]
    pub join_lines: bool,
    /// Each line of the body with visible text is one sentence, whatever its punctuation
    /// (a corpus already split one sentence per line, as the PTC's articles are); blank
    /// lines still separate paragraphs, the title line is handled as usual.
    #[arg(long)]
    pub one_per_line: bool,
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
    /// CSV output for spreadsheets: text cells starting with =, +, -, @, TAB or CR get a
    /// quote (') in front so they are not run as formulas (numeric columns and JSON Lines,
    /// Parquet and Arrow outputs are unchanged). sentlab does not read such a file back.
    #[arg(long)]
    pub excel_safe: bool,
    /// Only the articles in shard K of N (article id in shard 1 + FNV-1a-64(id) mod N), so
    /// N jobs split the corpus once between them; a text article file of another shard is
    /// not read.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<sentlab_core::shard::Shard>,
}
