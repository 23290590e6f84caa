//! Loading `pipeline.toml` for the commands, with the two failure kinds schedulers must tell apart:
//! the file cannot be read (74, I/O) or it is not a valid pipeline (78, configuration).

use std::io::IsTerminal;
use std::path::Path;

use jixiao_config::{LoadError, Pipeline};
use jixiao_driver::ExitStatus;

use crate::commands::Failure;

/// Reads and compiles a pipeline file. Every configuration problem is printed to stderr as
/// `file:line:col: error: message` (with the source line and a caret on a terminal) before the
/// failure is returned.
pub fn load(path: &Path) -> Result<Pipeline, Failure> {
    jixiao_config::load(path).map_err(|e| match e {
        LoadError::Io { .. } => Failure::new(ExitStatus::Io, e),
        LoadError::Invalid(errors) => {
            // Plain lines when stderr is a file or a pipe: schedulers and editors parse them.
            if std::io::stderr().is_terminal() {
                eprint!("{}", errors.report());
            } else {
                eprintln!("{errors}");
            }
            let n = errors.errors.len();
            Failure::new(
                ExitStatus::Config,
                anyhow::anyhow!(
                    "{} is not a valid pipeline ({n} error{})",
                    path.display(),
                    if n == 1 { "" } else { "s" }
                ),
            )
        }
    })
}

/// The commented starter pipeline `jixiao init` writes: the bundled /pipeline.toml.
pub fn starter() -> &'static str {
    jixiao_config::starter_pipeline()
}
