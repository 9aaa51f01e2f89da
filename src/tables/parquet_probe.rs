//! Reading a Parquet file that may make the Parquet reader abort the process.
//!
//! Some damaged Parquet data pages claim an impossible number of values; the Parquet reader
//! then asks for an allocation of exabytes, and a failed allocation ends the process at once
//! (exit 134): no error can be caught in-process. So before the bytes of a Parquet input
//! are decoded, the binary decodes them once in a child process of itself (the bytes go
//! through its standard input). If the child is ended by a signal, the input is damaged and
//! the command stops with an error naming the file instead of aborting. A child that
//! finishes, with a table or with an error, tells nothing more: the caller then reads the
//! bytes itself and reports any error as usual. The check costs one more decoding of each
//! Parquet input (see docs/performance.md).
//!
//! Only the binary turns the check on ([`enable`]); the library used from unit tests decodes
//! in process, and tests that decode damaged Parquet point the check at the built binary
//! ([`enable_with`]).

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::sync::OnceLock;

/// The first argument that makes the binary a decoding child instead of the command line.
const CHILD_ARG: &str = "__sentlab-parquet-check";

/// The binary to run as the decoding child, once [`enable`]d.
static CHILD_EXE: OnceLock<PathBuf> = OnceLock::new();

/// Turns the check on for this process (called once by the binary). Without a path to the
/// running binary the check stays off.
pub fn enable() {
    if let Ok(exe) = std::env::current_exe() {
        enable_with(exe);
    }
}

/// Turns the check on with `exe` as the decoding child: a sentlab binary, which answers
/// the child's argument. The first call wins.
pub fn enable_with(exe: PathBuf) {
    let _ = CHILD_EXE.set(exe);
}

/// If the arguments ask for the decoding child, runs it: reads Parquet bytes from standard
/// input, decodes them like every Parquet reader of sentlab, and exits 0 whatever the
/// result (only an abort matters to the parent). `None` for any other arguments.
pub fn child_if_asked(mut args: impl Iterator<Item = OsString>) -> Option<ExitCode> {
    if args.nth(1).as_deref() != Some(CHILD_ARG.as_ref()) {
        return None;
    }
    let mut bytes = Vec::new();
    if std::io::stdin().read_to_end(&mut bytes).is_ok() {
        let _ = super::frame::decode_parquet(bytes);
    }
    Some(ExitCode::SUCCESS)
}

/// Whether decoding these Parquet bytes ends the process: `Err` with the reason if the
/// decoding child was ended by a signal; `Ok` if it finished (or the check is off, or the
/// child could not be started: then the bytes are decoded in-process as before).
pub fn check(bytes: &[u8]) -> Result<(), String> {
    let Some(exe) = CHILD_EXE.get() else {
        return Ok(());
    };
    let child = Command::new(exe)
        .arg(CHILD_ARG)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let Ok(mut child) = child else {
        return Ok(());
    };
    let mut stdin = child.stdin.take().expect("stdin is piped");
    // The child may stop reading early (when it aborts): a failed write is expected then.
    let status = std::thread::scope(|scope| {
        scope.spawn(move || {
            let _ = stdin.write_all(bytes);
        });
        child.wait()
    });
    match status {
        Ok(status) if status.code().is_none() || status.code() == Some(134) => Err(
            "the Parquet data is damaged: a data page claims more values than any file can hold"
                .to_string(),
        ),
        _ => Ok(()),
    }
}
