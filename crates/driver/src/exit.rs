//! Exit codes are a contract with schedulers (cron, systemd, Task Scheduler): they are decided here, by
//! pure functions of what a run produced, and documented in `docs/exit-codes.md`. The values follow
//! BSD `sysexits.h` where one fits, so generic tooling reads them right (75 = retry later).

use jixiao_core::{DocumentRecords, Ledger, Severity};

/// The process exit status of a jixiao command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ExitStatus {
    /// Everything read; warnings may ride along.
    Ok,
    /// Finished and published, but some input or table had errors (an `error` diagnostic).
    InputErrors,
    /// Bad command line.
    Usage,
    /// No input yielded a single record (EX_DATAERR). Nothing is published.
    NoInput,
    /// Could not read the pipeline or write the output (EX_IOERR).
    Io,
    /// Another run holds the output directory's lock (EX_TEMPFAIL): retry later.
    Locked,
    /// The pipeline file is invalid (EX_CONFIG).
    Config,
}

impl ExitStatus {
    /// Every status, in the order of the documentation table.
    pub const ALL: [ExitStatus; 7] = [
        ExitStatus::Ok,
        ExitStatus::InputErrors,
        ExitStatus::Usage,
        ExitStatus::NoInput,
        ExitStatus::Io,
        ExitStatus::Locked,
        ExitStatus::Config,
    ];

    /// The numeric process exit code.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Ok => 0,
            ExitStatus::InputErrors => 1,
            ExitStatus::Usage => 2,
            ExitStatus::NoInput => 65,
            ExitStatus::Io => 74,
            ExitStatus::Locked => 75,
            ExitStatus::Config => 78,
        }
    }

    /// Whether a packet is published with this status (0 and 1 only).
    pub fn publishes(self) -> bool {
        matches!(self, ExitStatus::Ok | ExitStatus::InputErrors)
    }
}

/// Diagnostic counts over a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Records the inputs yielded.
    pub records: usize,
    /// Diagnostics of severity `info` (repairs, skipped content).
    pub info: usize,
    /// Diagnostics of severity `warning`.
    pub warnings: usize,
    /// Diagnostics of severity `error` (with any record read, any makes the exit code 1).
    pub errors: usize,
}

impl Counts {
    /// Counts one document: its records and every diagnostic on it and on its records.
    pub fn of_document(doc: &DocumentRecords) -> Counts {
        let mut c = Counts {
            records: doc.records.len(),
            ..Counts::default()
        };
        let diags = doc
            .diagnostics
            .iter()
            .chain(doc.records.iter().flat_map(|r| r.diagnostics.iter()));
        for d in diags {
            c.add(d.severity);
        }
        c
    }

    /// Counts a whole ledger.
    pub fn of_ledger(ledger: &Ledger) -> Counts {
        ledger
            .documents
            .iter()
            .map(Counts::of_document)
            .fold(Counts::default(), |a, b| a.plus(b))
    }

    /// Counts one diagnostic of this severity.
    pub fn add(&mut self, severity: Severity) {
        match severity {
            Severity::Info => self.info += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Error => self.errors += 1,
        }
    }

    /// Both counts added up, field by field.
    pub fn plus(self, o: Counts) -> Counts {
        Counts {
            records: self.records + o.records,
            info: self.info + o.info,
            warnings: self.warnings + o.warnings,
            errors: self.errors + o.errors,
        }
    }
}

/// The status of a run that got as far as records: 65 when nothing yielded a record (errors or not:
/// there is nothing to publish), else 1 when any error diagnostic exists, else 0.
pub fn classify(counts: &Counts) -> ExitStatus {
    if counts.records == 0 {
        ExitStatus::NoInput
    } else if counts.errors > 0 {
        ExitStatus::InputErrors
    } else {
        ExitStatus::Ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(records: usize, warnings: usize, errors: usize) -> Counts {
        Counts {
            records,
            info: 0,
            warnings,
            errors,
        }
    }

    #[test]
    fn nothing_read_is_no_input_even_with_errors() {
        assert_eq!(classify(&counts(0, 0, 0)), ExitStatus::NoInput);
        assert_eq!(classify(&counts(0, 0, 3)), ExitStatus::NoInput);
    }

    #[test]
    fn errors_beat_warnings() {
        assert_eq!(classify(&counts(5, 2, 1)), ExitStatus::InputErrors);
        assert_eq!(classify(&counts(5, 2, 0)), ExitStatus::Ok);
    }

    #[test]
    fn codes_are_the_documented_ones() {
        let codes: Vec<u8> = ExitStatus::ALL.iter().map(|s| s.code()).collect();
        assert_eq!(codes, [0, 1, 2, 65, 74, 75, 78]);
        assert!(ExitStatus::InputErrors.publishes());
        assert!(!ExitStatus::NoInput.publishes());
    }
}
