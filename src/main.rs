//! The `jixiao` binary: a thin layer over the stage crates and the driver.
//!
//! Map:
//! - `cli.rs`: the clap definitions (flags, help, examples);
//! - `commands/`: one file per subcommand (`inspect`, `run`, `validate`, `init`), each returning an
//!   an exit status or a `commands::Failure` that carries one;
//! - `logging.rs`: tracing to stderr (human or JSON lines, colour only on a terminal);
//! - `pipeline_file.rs`: loading `pipeline.toml` (I/O failures → 74, invalid config → 78);
//! - `view.rs`: the `inspect --format table` text view.
//!
//! Exit codes are decided by `jixiao_driver::exit` (documented in docs/exit-codes.md); clap's own
//! usage errors exit with 2.

#![forbid(unsafe_code)]

mod cli;
mod commands;
mod logging;
mod pipeline_file;
mod view;
mod view_score;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: rendering allocates and frees many small strings and vectors per page; glibc's
/// allocator spent ≈ 30 % of a 10× run's CPU in malloc/free (docs/performance-history.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    if let cli::Command::PluginWorker(args) = &cli.command {
        // A worker child of a run: no logging of its own (its stderr is the host's log).
        return ExitCode::from(jixiao_score::serve_library(
            &args.library,
            args.sha256.as_deref(),
            args.allow_writable,
        ));
    }
    logging::init(&cli.log);
    let status = match commands::dispatch(cli) {
        Ok(status) => status,
        Err(failure) => {
            // `{:#}` prints anyhow's context chain on one line: "cannot read x: No such file".
            tracing::error!("{:#}", failure.error);
            failure.status
        }
    };
    ExitCode::from(status.code())
}
