use std::process::ExitCode;

use clap::Parser;
use sentlab::cli::Cli;
use sentlab::error::UsageError;

fn main() -> ExitCode {
    sentlab::tables::frame::install_panic_hook();
    // The binary runs itself to decode Parquet inputs that could abort the process.
    if let Some(code) = sentlab::tables::parquet_probe::child_if_asked(std::env::args_os()) {
        return code;
    }
    sentlab::tables::parquet_probe::enable();
    let cli = Cli::parse();
    // Ctrl-C, SIGTERM and SIGHUP remove temporary outputs, then exit 128 + the signal.
    sentlab::signals::install();
    match sentlab::commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that stopped early (`sentlab ... | head`) is not an error, unless a file
        // output was left unwritten because of it.
        Err(err) if is_broken_pipe(&err) && !sentlab::tables::file_output_abandoned() => {
            ExitCode::SUCCESS
        }
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

/// Whether the error is a write to a pipe whose reader has gone.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    sentlab::tables::stdout_closed()
        || err.chain().any(|cause| {
            cause
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
        })
}
