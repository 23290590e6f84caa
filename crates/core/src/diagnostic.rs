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
