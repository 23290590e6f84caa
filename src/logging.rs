//! tracing to stderr: human lines by default, JSON lines for log collectors.
//!
//! Colour only when stderr is a terminal, or escape codes end up in cron mails and journal files.
//! `JIXIAO_LOG` (same syntax as `RUST_LOG`) overrides the level; `--quiet` means errors only.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

use crate::cli::{LogArgs, LogFormat};

pub(crate) fn init(args: &LogArgs) {
    let default = if args.quiet { "error" } else { "info" };
    let filter = EnvFilter::try_from_env("JIXIAO_LOG").unwrap_or_else(|_| EnvFilter::new(default));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false);
    // `try_init`: a second initialisation (tests) is harmless, not a panic.
    let _ = match args.log_format {
        LogFormat::Human => builder
            .with_ansi(std::io::stderr().is_terminal())
            .without_time()
            .try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .try_init(),
    };
}
