use serde::{Deserialize, Serialize};

/// How bad a diagnostic is. `Error` on a document or record makes the run finish with exit code 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A repair or an observation (a merged cell filled from above, a skipped narrative section).
    Info,
    /// Something a reviewer should look at (a guessed encoding, a label in the wrong column).
    Warning,
    /// Something that could not be understood; data may be missing.
    Error,
}

impl Severity {
    /// `info`, `warning`, `error`: as in the JSON files and the docs.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One entry of a stage's catalogue of diagnostic codes (`CODES` in each stage crate; a test
/// checks docs/diagnostics.md against all of them and every code the sources emit against the
/// catalogues).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiagnosticCode {
    /// The stable code, `stage.kind` (`normalize.no-goal`), as it appears in [`Diagnostic::code`].
    pub code: &'static str,
    /// The severity it is emitted with (where configuration decides, the meaning says how).
    pub severity: Severity,
    /// What it means, in a line.
    pub meaning: &'static str,
}

impl DiagnosticCode {
    /// A catalogue entry (usable in `const` catalogues).
    pub const fn new(code: &'static str, severity: Severity, meaning: &'static str) -> Self {
        DiagnosticCode {
            code,
            severity,
            meaning,
        }
    }
}

/// One message about an input, always tied to a line when there is one.
///
/// `code` is stable and machine-readable (`ingest.encoding-guessed`, `normalize.level2-in-level1-column`);
/// `message` is for people and names the fix where there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// How bad it is.
    pub severity: Severity,
    /// Stable, machine-readable code `stage.kind` (`ingest.binary`, `normalize.count`), listed in
    /// its stage's `CODES`.
    pub code: String,
    /// For people; names the fix where there is one.
    pub message: String,
    /// 1-based source line the diagnostic is about; `None` when it concerns no single line (a whole
    /// file, a plugin fault).
    pub line: Option<u32>,
}

impl Diagnostic {
    /// A diagnostic of any severity.
    pub fn new(
        severity: Severity,
        code: &str,
        message: impl Into<String>,
        line: Option<u32>,
    ) -> Self {
        Self {
            severity,
            code: code.to_string(),
            message: message.into(),
            line,
        }
    }
    /// An [`Severity::Info`] diagnostic: a repair or an observation.
    pub fn info(code: &str, message: impl Into<String>, line: Option<u32>) -> Self {
        Self::new(Severity::Info, code, message, line)
    }
    /// A [`Severity::Warning`] diagnostic: something a reviewer should look at.
    pub fn warning(code: &str, message: impl Into<String>, line: Option<u32>) -> Self {
        Self::new(Severity::Warning, code, message, line)
    }
    /// A [`Severity::Error`] diagnostic: something that could not be understood (the run exits 1).
    pub fn error(code: &str, message: impl Into<String>, line: Option<u32>) -> Self {
        Self::new(Severity::Error, code, message, line)
    }
}
