//! Why a run could not finish. Problems *inside* inputs are not errors here: they are diagnostics in the
//! [`crate::RunReport`] and turn into exit code 1 or 65 there.

use std::io;
use std::path::PathBuf;

use thiserror::Error;

use crate::exit::ExitStatus;

/// A failure that stopped the run before a packet could be published.
#[derive(Debug, Error)]
pub enum DriverError {
    /// Another process holds the output directory's run lock.
    #[error(
        "another jixiao run holds the lock on {dir} (pid {pid}, started {started}); retry when it has finished",
        dir = .dir.display(),
        pid = .holder.pid.map_or_else(|| "unknown".to_string(), |p| p.to_string()),
        started = .holder.started.as_deref().unwrap_or("unknown")
    )]
    Locked {
        /// The output directory whose lock is held.
        dir: PathBuf,
        /// The holding run, as far as its lock file says.
        holder: LockHolder,
    },

    /// Reading or writing a file failed (output directory not writable, disk full, pipeline unreadable).
    #[error("{action} {path}: {source}", path = .path.display())]
    Io {
        /// What was being done (`cannot write`, `cannot rename into` …); starts the message.
        action: &'static str,
        /// The file or folder it was done to.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },

    /// The pipeline (or an override) is not usable: a malformed glob, an unknown layout, a broken
    /// label dictionary. The config crate catches most of these first; these are the ones only the
    /// driver can see.
    #[error("invalid configuration: {0}")]
    Config(String),

    /// A stage produced an artifact whose path would escape the output directory. A bug in a stage,
    /// reported instead of writing outside the packet.
    #[error("artifact path {0:?} is not a plain relative path inside the output directory")]
    ArtifactPath(String),
}

/// What the lock file says about the run that holds it. Both fields are best effort: the holder may be
/// between taking the lock and writing them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LockHolder {
    /// Process id of the holding run.
    pub pid: Option<u32>,
    /// UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub started: Option<String>,
}

impl DriverError {
    /// Shorthand for the common I/O case.
    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>, source: io::Error) -> Self {
        DriverError::Io {
            action,
            path: path.into(),
            source,
        }
    }

    /// The documented exit status of this failure.
    pub fn exit_status(&self) -> ExitStatus {
        match self {
            DriverError::Locked { .. } => ExitStatus::Locked,
            DriverError::Io { .. } | DriverError::ArtifactPath(_) => ExitStatus::Io,
            DriverError::Config(_) => ExitStatus::Config,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_message_names_holder() {
        let e = DriverError::Locked {
            dir: PathBuf::from("out"),
            holder: LockHolder {
                pid: Some(42),
                started: Some("2026-01-02T03:04:05Z".into()),
            },
        };
        let msg = e.to_string();
        assert!(msg.contains("pid 42"), "{msg}");
        assert!(msg.contains("started 2026-01-02T03:04:05Z"), "{msg}");
        assert_eq!(e.exit_status(), ExitStatus::Locked);
    }

    #[test]
    fn unknown_holder_is_said_so() {
        let e = DriverError::Locked {
            dir: PathBuf::from("out"),
            holder: LockHolder::default(),
        };
        assert!(e.to_string().contains("pid unknown"));
    }
}
