//! `sentlab export`: any sentlab table to CSV, Parquet, JSON Lines or Arrow IPC, through
//! polars, for pandas, R, DuckDB and spreadsheets.

use anyhow::Result;

use crate::cli::ExportArgs;
use crate::path_guard::PathGuard;
use crate::progress::Console;
use crate::tables::{CsvOptions, Format, frame};

/// Runs `export`.
pub fn run(args: &ExportArgs, console: Console) -> Result<()> {
    PathGuard::new()
        .input("TABLE", &args.table)
        .output("-o", Some(&args.output))
        .check()?;
    let out_format = Format::for_output(None, Some(&args.output))?;
    let csv = CsvOptions::for_outputs(args.excel_safe, out_format == Format::Csv)?;
    let mut df = frame::read_frame(&args.table)?;
    frame::write_frame_with(Some(&args.output), out_format, &mut df, csv)?;
    console.info(format!(
        "export: {} rows x {} columns -> {}",
        df.height(),
        df.width(),
        args.output.display()
    ));
    Ok(())
}
