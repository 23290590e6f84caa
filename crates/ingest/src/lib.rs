//! Files → [`SourceDocument`]s: rows of cells with provenance (file, line, column; page, table, sheet
//! where the format has them), the format, layout and encoding detected (or given per input).
//!
//! Takes [`InputFile`]s and the run's [`ReadLimits`], returns one document per file in input order,
//! never fails: a file that cannot be read becomes a document without rows and with an error
//! diagnostic, so the run goes on for the rest.
//!
//! Every reader yields the same thing — rows of [`jixiao_core::Cell`]s — so that table understanding
//! (the normalize stage) never depends on the format:
//! - text (`layouts`: TAB, cell per line, paragraph, space, pipe), CSV (`csv`);
//! - workbooks (`workbook`, calamine), Word (`docx`), PDF (`pdf`), web pages (`html`): real grids,
//!   built through `grid`, which places merged cells (`gridSpan`/`vMerge`, `colspan`/`rowspan`,
//!   merged ranges) the same way for all of them.
//!
//! To add a format: sniff it in `format.rs`, write a module returning a `grid::Grid` that enforces
//! the limits, add its error code to `docs/inputs.md`. Diagnostic codes are listed in [`CODES`].

#![forbid(unsafe_code)]

mod csv;
mod decode;
mod docx;
mod format;
mod grid;
mod html;
mod layouts;
mod numfmt;
mod pdf;
mod workbook;
mod xml;

use std::path::PathBuf;

use jixiao_core::{
    Diagnostic, DiagnosticCode, Layout, ReadLimits, Severity, SourceDocument, SourceFormat,
};
use rayon::prelude::*;

pub use decode::decode;
pub use format::{Sniffed, sniff};
pub use layouts::detect as detect_layout;

use crate::grid::{Grid, ReadError};

/// Every diagnostic code this stage emits, with its severity and meaning (docs/inputs.md explains
/// each with what to do).
pub const CODES: &[DiagnosticCode] = &[
    DiagnosticCode::new(
        "ingest.unreadable",
        Severity::Error,
        "the file cannot be read from disk",
    ),
    DiagnosticCode::new("ingest.empty", Severity::Error, "the file is empty"),
    DiagnosticCode::new(
        "ingest.binary",
        Severity::Error,
        "a binary file of no format jixiao reads",
    ),
    DiagnosticCode::new(
        "ingest.spreadsheet",
        Severity::Error,
        "a workbook that cannot be read",
    ),
    DiagnosticCode::new(
        "ingest.docx",
        Severity::Error,
        "a Word document that cannot be read",
    ),
    DiagnosticCode::new(
        "ingest.formula-not-computed",
        Severity::Warning,
        "formula cells of a workbook hold no computed value (read as empty)",
    ),
    DiagnosticCode::new(
        "ingest.hidden-sheet",
        Severity::Warning,
        "a hidden sheet of a workbook was not read",
    ),
    DiagnosticCode::new("ingest.pdf", Severity::Error, "a PDF that cannot be read"),
    DiagnosticCode::new(
        "ingest.pdf-page",
        Severity::Warning,
        "one page of a PDF cannot be read; its tables are missing",
    ),
    DiagnosticCode::new(
        "ingest.pdf-no-columns",
        Severity::Warning,
        "a PDF page draws a table's rows without column lines; its cells may be misread",
    ),
    DiagnosticCode::new(
        "ingest.html",
        Severity::Error,
        "a web page that cannot be read",
    ),
    DiagnosticCode::new(
        "ingest.old-format",
        Severity::Error,
        "Word 97 (.doc), WPS (.wps) or RTF: save it as .docx",
    ),
    DiagnosticCode::new(
        "ingest.no-text-layer",
        Severity::Error,
        "a scanned PDF without a text layer; OCR is not supported",
    ),
    DiagnosticCode::new(
        "ingest.limit",
        Severity::Error,
        "the file exceeds a `[limits]` bound; reading stopped",
    ),
    DiagnosticCode::new(
        "ingest.cell-truncated",
        Severity::Warning,
        "a cell longer than `max_cell_chars` was cut",
    ),
    DiagnosticCode::new(
        "ingest.suspicious-characters",
        Severity::Warning,
        "decoded text has replacement or private-use characters",
    ),
    DiagnosticCode::new(
        "ingest.encoding-guessed",
        Severity::Info,
        "no encoding was declared; it was detected",
    ),
    DiagnosticCode::new(
        "ingest.unknown-encoding",
        Severity::Error,
        "the configured encoding is unknown; detection was used",
    ),
];

/// One file to read, with the per-input overrides of `[[inputs]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// Where the file is read from (absolute, or relative to the working directory).
    pub path: PathBuf,
    /// How the file is named in outputs (relative to the pipeline's folder when possible).
    pub display: String,
    /// Encoding override (`gb18030`, `utf-8`, `utf-16le` ...), as encoding_rs labels.
    pub encoding: Option<String>,
    /// Layout override (text files only).
    pub layout: Option<Layout>,
}

/// Reads every file in parallel; the result keeps the input order.
pub fn ingest(files: &[InputFile], limits: &ReadLimits) -> Vec<SourceDocument> {
    files.par_iter().map(|f| read_file(f, limits)).collect()
}

/// Reads one file from disk (refusing one larger than `max_file_bytes` before reading it).
pub fn read_file(f: &InputFile, limits: &ReadLimits) -> SourceDocument {
    let unreadable = |e: std::io::Error| {
        failed(
            &f.display,
            SourceFormat::Text,
            Diagnostic::error(
                "ingest.unreadable",
                format!("cannot read the file: {e}"),
                None,
            ),
        )
    };
    match std::fs::metadata(&f.path) {
        Ok(m) if m.len() > limits.max_file_bytes => {
            return failed(
                &f.display,
                SourceFormat::Text,
                ReadError::limit(format!(
                    "the file has {} bytes, more than max_file_bytes = {}",
                    m.len(),
                    limits.max_file_bytes
                ))
                .diagnostic(SourceFormat::Text),
            );
        }
        Ok(_) => {}
        Err(e) => return unreadable(e),
    }
    match std::fs::read(&f.path) {
        Ok(bytes) => read_bytes(&f.display, &bytes, f.encoding.as_deref(), f.layout, limits),
        Err(e) => unreadable(e),
    }
}

/// Reads one document from bytes already in memory.
pub fn read_bytes(
    display: &str,
    bytes: &[u8],
    encoding: Option<&str>,
    layout: Option<Layout>,
    limits: &ReadLimits,
) -> SourceDocument {
    if bytes.len() as u64 > limits.max_file_bytes {
        let e = ReadError::limit(format!(
            "the file has {} bytes, more than max_file_bytes = {}",
            bytes.len(),
            limits.max_file_bytes
        ));
        return failed(
            display,
            SourceFormat::Text,
            e.diagnostic(SourceFormat::Text),
        );
    }
    // A layout override names how a *text* is laid out; it never turns a Word file or a PDF into
    // text (`spreadsheet` and `csv` force those readers).
    let sniffed = match (layout, format::sniff(display, bytes)) {
        (Some(Layout::Spreadsheet), _) => Sniffed::Spreadsheet,
        (Some(Layout::Csv), _) => Sniffed::Csv,
        (Some(Layout::Grid) | None, s) => s,
        (Some(_), Sniffed::Csv) => Sniffed::Text,
        (Some(_), s) => s,
    };
    let grid = match sniffed {
        Sniffed::Spreadsheet => (SourceFormat::Spreadsheet, workbook::read(bytes, limits)),
        Sniffed::Docx => (SourceFormat::Docx, docx::read(bytes, limits)),
        Sniffed::Pdf => (SourceFormat::Pdf, pdf::read(bytes, limits)),
        Sniffed::Html => (SourceFormat::Html, html::read(bytes, encoding, limits)),
        Sniffed::OldFormat(what) => {
            let e = ReadError::OldFormat(what.to_string());
            return failed(
                display,
                SourceFormat::Text,
                e.diagnostic(SourceFormat::Text),
            );
        }
        Sniffed::Archive(what) => {
            let message = format!(
                "{what}: not a Word (.docx) or Excel (.xlsx) file; jixiao reads .docx, .pdf, .html, \
                 .xlsx/.xls/.et/.ods, .csv and text"
            );
            return failed(
                display,
                SourceFormat::Text,
                Diagnostic::error("ingest.binary", message, None),
            );
        }
        Sniffed::Text | Sniffed::Csv => {
            return read_text(display, bytes, encoding, layout, sniffed, limits);
        }
    };
    match grid {
        (format, Ok(g)) => g.into_document(display, format),
        (format, Err(e)) => failed(display, format, e.diagnostic(format)),
    }
}

fn read_text(
    display: &str,
    bytes: &[u8],
    encoding: Option<&str>,
    layout: Option<Layout>,
    sniffed: Sniffed,
    limits: &ReadLimits,
) -> SourceDocument {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return failed(
            display,
            SourceFormat::Text,
            Diagnostic::error("ingest.empty", "the file is empty", None),
        );
    }
    if format::looks_binary(bytes) {
        return failed(
            display,
            SourceFormat::Text,
            Diagnostic::error(
                "ingest.binary",
                "the file is binary, not text or a format jixiao reads (.docx, .pdf, .html, \
                 .xlsx/.xls/.et/.ods, .csv); skipped",
                None,
            ),
        );
    }
    let decoded = decode::decode(bytes, encoding);
    let layout = layout.unwrap_or_else(|| {
        if sniffed == Sniffed::Csv {
            Layout::Csv
        } else {
            layouts::detect(&decoded.text)
        }
    });
    let format = if layout == Layout::Csv {
        SourceFormat::Csv
    } else {
        SourceFormat::Text
    };
    let mut grid = Grid::new(decoded.encoding);
    grid.diagnostics = decoded.diagnostics;
    grid.rows = layouts::read(&decoded.text, layout);
    grid.layout = layout;
    match grid.enforce(limits) {
        Ok(g) => g.into_document(display, format),
        Err(e) => failed(display, format, e.diagnostic(format)),
    }
}

fn failed(display: &str, format: SourceFormat, diagnostic: Diagnostic) -> SourceDocument {
    SourceDocument {
        file: display.to_string(),
        format,
        layout: match format {
            SourceFormat::Spreadsheet => Layout::Spreadsheet,
            SourceFormat::Csv => Layout::Csv,
            SourceFormat::Text => Layout::Tabbed,
            _ => Layout::Grid,
        },
        encoding: "unknown".into(),
        rows: Vec::new(),
        diagnostics: vec![diagnostic],
    }
}

#[cfg(test)]
mod tests;
