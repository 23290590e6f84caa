//! The run lock on an output directory: one run per packet at a time.
//!
//! An OS file lock (`File::try_lock`, flock/LockFileEx) rather than a "lock file exists" convention:
//! the kernel releases it when the holder dies, even by SIGKILL, so a crashed run never blocks the next
//! night's run. The file itself stays (deleting it would let two runs lock two different inodes); its
//! content only says who holds it, for the message a second run prints.

use jixiao_core::civil_from_days;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::time::SystemTime;

use crate::error::{DriverError, LockHolder};

/// Name of the lock file inside the output directory.
pub(crate) const LOCK_FILE: &str = ".jixiao.lock";

/// A held run lock; released when dropped (the file handle closes).
#[derive(Debug)]
pub(crate) struct RunLock {
    _file: File,
}

impl RunLock {
    /// Takes the lock on `dir` (which must exist) without waiting. Fails with
    /// [`DriverError::Locked`] naming the holder when another run (in any process) has it.
    pub(crate) fn acquire(dir: &Path) -> Result<RunLock, DriverError> {
        let path = dir.join(LOCK_FILE);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| DriverError::io("cannot open lock file", &path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(DriverError::Locked {
                    dir: dir.to_path_buf(),
                    holder: read_holder(&mut file),
                });
            }
            Err(TryLockError::Error(e)) => {
                return Err(DriverError::io("cannot lock", &path, e));
            }
        }
        let stamp = format!(
            "pid {}\nstarted {}\n",
            std::process::id(),
            utc_timestamp(SystemTime::now())
        );
        file.set_len(0)
            .and_then(|_| file.seek(SeekFrom::Start(0)))
            .and_then(|_| file.write_all(stamp.as_bytes()))
            .and_then(|_| file.flush())
            .map_err(|e| DriverError::io("cannot write lock file", &path, e))?;
        Ok(RunLock { _file: file })
    }
}

/// Reads `pid N` / `started T` lines; anything missing stays `None`.
fn read_holder(file: &mut File) -> LockHolder {
    let mut text = String::new();
    // A failed read only loses detail in the message; the lock verdict stands.
    if file.read_to_string(&mut text).is_err() {
        return LockHolder::default();
    }
    parse_holder(&text)
}

fn parse_holder(text: &str) -> LockHolder {
    let mut holder = LockHolder::default();
    for line in text.lines() {
        if let Some(pid) = line.strip_prefix("pid ") {
            holder.pid = pid.trim().parse().ok();
        } else if let Some(t) = line.strip_prefix("started ") {
            holder.started = Some(t.trim().to_string());
        }
    }
    holder
}

/// `YYYY-MM-DDTHH:MM:SSZ` for a wall-clock instant. Used only in the lock file and logs, never in
/// artifacts (those must not depend on the clock).
pub(crate) fn utc_timestamp(t: SystemTime) -> String {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn second_lock_is_refused_with_holder() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let first = RunLock::acquire(dir.path())?;
        match RunLock::acquire(dir.path()) {
            Err(DriverError::Locked { holder, .. }) => {
                assert_eq!(holder.pid, Some(std::process::id()));
                assert!(holder.started.is_some());
            }
            other => panic!("expected Locked, got {other:?}"),
        }
        drop(first);
        // Released on drop: the next run gets it.
        RunLock::acquire(dir.path())?;
        Ok(())
    }

    #[test]
    fn timestamps_are_utc_iso() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_709_251_199); // 2024-02-29T23:59:59Z
        assert_eq!(utc_timestamp(t), "2024-02-29T23:59:59Z");
        assert_eq!(
            utc_timestamp(SystemTime::UNIX_EPOCH),
            "1970-01-01T00:00:00Z"
        );
    }

    #[test]
    fn holder_parsing_tolerates_garbage() {
        assert_eq!(parse_holder("junk"), LockHolder::default());
        let h = parse_holder("pid 7\nstarted 2026-01-01T00:00:00Z\n");
        assert_eq!(h.pid, Some(7));
    }
}
