//! One module per subcommand: each reads its inputs, calls the pure modules and writes its
//! outputs. Only these modules (and [`crate::table`], [`crate::corpus`]) touch files.

pub mod split;

use anyhow::Result;

use crate::cli::{Cli, Command};
use crate::progress::Console;

/// Runs the parsed command line on a thread pool of the requested size.
pub fn run(cli: Cli) -> Result<()> {
    let console = Console { quiet: cli.quiet };
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(n) = cli.threads {
        if n == 0 {
            crate::usage_bail!("--threads must be at least 1");
        }
        pool = pool.num_threads(n);
    }
    let pool = pool.build()?;
    pool.install(|| match &cli.command {
        Command::Split(args) => split::run(args, console),
    })
}
