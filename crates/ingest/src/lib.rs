//! Files → [`SourceDocument`]s: rows of cells with provenance (file, line, column), the layout and
//! encoding detected (or given per input).
//!
//! Takes [`InputFile`]s, returns one document per file in input order, never fails: a file that cannot
//! be read becomes a document without rows and with an error diagnostic, so the run goes on for the
//! rest. Diagnostic codes: `ingest.unreadable`, `ingest.empty`, `ingest.binary`, `ingest.spreadsheet`
//! (errors); `ingest.suspicious-characters` (warning); `ingest.encoding-guessed` (info);
//! `ingest.unknown-encoding` (error, detection used instead).

mod csv;
mod decode;
mod layouts;
mod workbook;

use std::path::PathBuf;

use jixiao_core::{Diagnostic, Layout, SourceDocument};
use rayon::prelude::*;

pub use decode::decode;
pub use layouts::detect as detect_layout;

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

/// Reads every file in parallel; the result keeps the input order.
pub fn ingest(files: &[InputFile]) -> Vec<SourceDocument> {
    files
        .par_iter()
        .map(|f| match std::fs::read(&f.path) {
            Ok(bytes) => read_bytes(&f.display, &bytes, f.encoding.as_deref(), f.layout),
            Err(e) => failed(
                &f.display,
                f.layout.unwrap_or(Layout::Tabbed),
                Diagnostic::error(
                    "ingest.unreadable",
                    format!("cannot read the file: {e}"),
                    None,
                ),
            ),
        })
        .collect()
}

/// Reads one document from bytes already in memory.
pub fn read_bytes(
    display: &str,
    bytes: &[u8],
    encoding: Option<&str>,
    layout: Option<Layout>,
) -> SourceDocument {
    let lower = display.to_lowercase();
    let is_sheet_name = [".xlsx", ".xlsm", ".xls", ".ods", ".xlsb"]
        .iter()
        .any(|e| lower.ends_with(e));
    let is_sheet_magic =
        bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    if layout == Some(Layout::Spreadsheet)
        || (layout.is_none() && (is_sheet_name || is_sheet_magic))
    {
        return match workbook::read(bytes) {
            Ok(rows) => SourceDocument {
                file: display.to_string(),
                layout: Layout::Spreadsheet,
                encoding: "binary".into(),
                rows,
                diagnostics: Vec::new(),
            },
            Err(e) => failed(
                display,
                Layout::Spreadsheet,
                Diagnostic::error(
                    "ingest.spreadsheet",
                    format!("cannot read the workbook: {e}"),
                    None,
                ),
            ),
        };
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return failed(
            display,
            layout.unwrap_or(Layout::Tabbed),
            Diagnostic::error("ingest.empty", "the file is empty", None),
        );
    }
    if looks_binary(bytes) {
        return failed(
            display,
            layout.unwrap_or(Layout::Tabbed),
            Diagnostic::error(
                "ingest.binary",
                "the file is binary, not text or a spreadsheet; skipped",
                None,
            ),
        );
    }
    let decoded = decode::decode(bytes, encoding);
    let layout = layout.unwrap_or_else(|| {
        if lower.ends_with(".csv") {
            Layout::Csv
        } else {
            layouts::detect(&decoded.text)
        }
    });
    SourceDocument {
        file: display.to_string(),
        layout,
        encoding: decoded.encoding.to_string(),
        rows: layouts::read(&decoded.text, layout),
        diagnostics: decoded.diagnostics,
    }
}

/// NUL bytes outside UTF-16, or many control characters: not a text file.
fn looks_binary(bytes: &[u8]) -> bool {
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    if utf16 {
        return false;
    }
    let head = &bytes[..bytes.len().min(8192)];
    let control = head
        .iter()
        .filter(|&&b| b < 0x09 || (0x0E..0x20).contains(&b))
        .count();
    head.contains(&0) || control * 20 > head.len()
}

fn failed(display: &str, layout: Layout, diagnostic: Diagnostic) -> SourceDocument {
    SourceDocument {
        file: display.to_string(),
        layout,
        encoding: "unknown".into(),
        rows: Vec::new(),
        diagnostics: vec![diagnostic],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(doc: &SourceDocument) -> &str {
        doc.diagnostics.first().map_or("", |d| d.code.as_str())
    }

    #[test]
    fn faults_become_diagnostics() {
        assert_eq!(code(&read_bytes("a.txt", b"", None, None)), "ingest.empty");
        assert_eq!(
            code(&read_bytes("a.txt", b"  \n\n", None, None)),
            "ingest.empty"
        );
        assert_eq!(
            code(&read_bytes("a.bin", &[0, 1, 2, 3, 0, 200, 7], None, None)),
            "ingest.binary"
        );
        assert_eq!(
            code(&read_bytes("a.xlsx", b"PK\x03\x04garbage", None, None)),
            "ingest.spreadsheet"
        );
        let missing = ingest(&[InputFile {
            path: "/nonexistent/x.txt".into(),
            display: "x.txt".into(),
            encoding: None,
            layout: None,
        }]);
        assert_eq!(code(&missing[0]), "ingest.unreadable");
        assert!(missing[0].rows.is_empty());
    }

    #[test]
    fn layout_override_wins() {
        let doc = read_bytes(
            "a.txt",
            "项目名称 培训\n".as_bytes(),
            None,
            Some(Layout::Paragraph),
        );
        assert_eq!(doc.layout, Layout::Paragraph);
        assert_eq!(doc.rows[0].cells[0].text, "项目名称 培训");
    }
}
