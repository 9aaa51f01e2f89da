//! One module per subcommand: each reads its inputs, calls the pure modules and writes its
//! outputs. Only these modules (and [`crate::table`], [`crate::corpus`]) touch files.

pub mod eval;
pub mod export;
pub mod extract;
pub mod merge;
pub mod run;
pub mod split;
pub mod stats;

use anyhow::Result;

use crate::cli::{Cli, Command, LabelsCommand, RulesCommand};
use crate::progress::Console;

/// Runs the parsed command line on a thread pool of the requested size.
pub fn run(cli: Cli) -> Result<()> {
    let console = Console { quiet: cli.quiet };
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(n) = cli.threads {
        // More threads than this only costs memory (each has its own stack); a huge value
        // would fail to start threads.
        const MAX_THREADS: usize = 1024;
        if !(1..=MAX_THREADS).contains(&n) {
            crate::usage_bail!("--threads {n}: expected 1 to {MAX_THREADS}");
        }
        pool = pool.num_threads(n);
    }
    let pool = pool.build()?;
    pool.install(|| match &cli.command {
        Command::Split(args) => split::run(args, console),
        Command::Labels(LabelsCommand::Merge(args)) => merge::run(args, console),
        Command::Extract(args) => extract::run(args, console),
        Command::Rules(RulesCommand::Check(args)) => extract::check(args, console),
        Command::Rules(RulesCommand::Explain(args)) => extract::explain(args, console),
        Command::Eval(args) => eval::run(args, console),
        Command::Demo(args) => run::demo(args.out.as_deref(), args.force, console),
        Command::Run(args) => run::run(args, console),
        Command::Export(args) => export::run(args, console),
        Command::Stats(args) => stats::run(args, console),
    })
}
