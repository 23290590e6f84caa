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
    pub code: &'static str,
    /// The severity it is emitted with (where configuration decides, the meaning says how).
    pub severity: Severity,
    /// What it means, in a line.
    pub meaning: &'static str,
}

impl DiagnosticCode {
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
    pub severity: Severity,
    pub code: String,
    pub message: String,
    pub line: Option<u32>,
}

impl Diagnostic {
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
    pub fn info(code: &str, message: impl Into<String>, line: Option<u32>) -> Self {
        Self::new(Severity::Info, code, message, line)
    }
    pub fn warning(code: &str, message: impl Into<String>, line: Option<u32>) -> Self {
        Self::new(Severity::Warning, code, message, line)
    }
    pub fn error(code: &str, message: impl Into<String>, line: Option<u32>) -> Self {
        Self::new(Severity::Error, code, message, line)
    }
}
