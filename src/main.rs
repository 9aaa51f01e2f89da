use std::process::ExitCode;

use clap::Parser;
use sentlab::cli::Cli;
use sentlab::error::UsageError;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match sentlab::commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            if err.downcast_ref::<UsageError>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}
