//! Files → [`SourceDocument`]s: rows of cells with provenance (file, line, column), layout and encoding
//! detected (stub: being written).

use std::path::PathBuf;

use jixiao_core::{Layout, SourceDocument};

/// One file to read, with the per-input overrides of `[[inputs]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    pub path: PathBuf,
    /// How the file is named in outputs (relative to the pipeline's folder when possible).
    pub display: String,
    /// Encoding override (`gb18030`, `utf-8`, `utf-16le` ...), as encoding_rs labels.
    pub encoding: Option<String>,
    /// Layout override.
    pub layout: Option<Layout>,
}

/// Reads every file in parallel; the result keeps the input order. Never fails: a file that cannot be
/// read becomes a document without rows and with an error diagnostic.
pub fn ingest(files: &[InputFile]) -> Vec<SourceDocument> {
    files
        .iter()
        .map(|f| read_bytes(&f.display, &[], f.encoding.as_deref(), f.layout))
        .collect()
}

/// Reads one document from bytes already in memory.
pub fn read_bytes(
    display: &str,
    _bytes: &[u8],
    _encoding: Option<&str>,
    layout: Option<Layout>,
) -> SourceDocument {
    SourceDocument {
        file: display.to_string(),
        layout: layout.unwrap_or(Layout::Tabbed),
        encoding: "UTF-8".into(),
        rows: Vec::new(),
        diagnostics: Vec::new(),
    }
}
