//! One module per subcommand. Each returns the [`ExitStatus`] it finished with, or a [`Failure`]: an
//! error to print plus the status it maps to.

mod init;
mod inspect;
mod plugin_test;
mod plugins;
mod run;
mod validate;

use jixiao_driver::ExitStatus;

use crate::cli::{Cli, Command};

/// An error that ends a command, with the exit status it maps to.
#[derive(Debug)]
pub(crate) struct Failure {
    pub status: ExitStatus,
    pub error: anyhow::Error,
}

impl Failure {
    pub(crate) fn new(status: ExitStatus, error: impl Into<anyhow::Error>) -> Failure {
        Failure {
            status,
            error: error.into(),
        }
    }
}

impl From<jixiao_driver::DriverError> for Failure {
    fn from(e: jixiao_driver::DriverError) -> Failure {
        Failure::new(e.exit_status(), e)
    }
}

pub(crate) type Outcome = Result<ExitStatus, Failure>;

/// Writes a command's report to stdout (a closed pipe is an I/O failure, exit 74).
fn print_stdout(text: &str) -> Result<(), Failure> {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| Failure::new(ExitStatus::Io, e))
}

pub(crate) fn dispatch(cli: Cli) -> Outcome {
    match cli.command {
        Command::Inspect(args) => inspect::execute(&args),
        Command::Run(args) => run::execute(&args, &cli.log),
        Command::Validate(args) => validate::execute(&args),
        Command::Init(args) => init::execute(&args),
        Command::Plugins(command) => plugins::execute(&command),
        // Served by `main` before logging starts; never dispatched.
        Command::PluginWorker(_) => Ok(ExitStatus::Ok),
    }
}
