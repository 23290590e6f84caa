//! The one shape every reader produces: [`Grid`] (rows of cells with provenance plus what reading
//! found), [`GridBuilder`] that places merged cells on the grid the same way for every format, and
//! [`ReadError`], the ways a reader gives up.
//!
//! Line numbers of structured formats (Word, HTML, PDF): every block of the document in reading
//! order — a paragraph outside a table, or a table row — is one line, counted from 1, so evidence
//! points at "line N" as in a text file; after a table one line number is skipped, as a blank line
//! would be in text, so the normaliser sees where the table ends. PDF counts rows over all pages.

use jixiao_core::{Cell, Diagnostic, Layout, ReadLimits, Row, SourceDocument, SourceFormat};

/// Rows of cells read from one file, before they become a [`SourceDocument`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Grid {
    pub rows: Vec<Row>,
    pub diagnostics: Vec<Diagnostic>,
    /// `UTF-8`, `gb18030` … for decoded text, `binary` for zip/PDF formats.
    pub encoding: String,
    pub layout: Layout,
}

impl Grid {
    pub(crate) fn new(encoding: impl Into<String>) -> Grid {
        Grid {
            rows: Vec::new(),
            diagnostics: Vec::new(),
            encoding: encoding.into(),
            layout: Layout::Grid,
        }
    }

    /// Cuts cells longer than `max_cell_chars` (with one warning per cut cell) and refuses a
    /// document with more than `max_cells` cells.
    pub(crate) fn enforce(mut self, limits: &ReadLimits) -> Result<Grid, ReadError> {
        let cells: u64 = self.rows.iter().map(|r| r.cells.len() as u64).sum();
        if cells > limits.max_cells {
            return Err(ReadError::limit(format!(
                "the document has {cells} cells, more than max_cells = {}",
                limits.max_cells
            )));
        }
        let max = limits.max_cell_chars as usize;
        for row in &mut self.rows {
            for cell in &mut row.cells {
                if cell.text.len() > max
                    && let Some((cut, _)) = cell.text.char_indices().nth(max)
                {
                    let chars = cell.text.chars().count();
                    cell.text.truncate(cut);
                    self.diagnostics.push(Diagnostic::warning(
                        "ingest.cell-truncated",
                        format!("a cell of {chars} characters was cut to max_cell_chars = {max}"),
                        Some(cell.line),
                    ));
                }
            }
        }
        Ok(self)
    }

    pub(crate) fn into_document(self, display: &str, format: SourceFormat) -> SourceDocument {
        SourceDocument {
            file: display.to_string(),
            format,
            layout: self.layout,
            encoding: self.encoding,
            rows: self.rows,
            diagnostics: self.diagnostics,
        }
    }
}

/// Why a reader gave up on a file. Each becomes one error diagnostic on the document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ReadError {
    /// The file is broken or not what its name says (message says what was wrong).
    #[error("{0}")]
    Corrupt(String),
    /// A `[limits]` bound was hit.
    #[error("{0}; raise it under [limits] in pipeline.toml if the file is genuine")]
    Limit(String),
    /// A PDF whose pages carry no text (a scan).
    #[error(
        "the PDF has no text layer (a scan?); OCR is not supported: ask for the Word file or a PDF printed from it"
    )]
    NoTextLayer,
    /// Word 97, WPS or RTF (name of the kind).
    #[error("{0}: jixiao cannot read this old format; open it in Word or WPS and save it as .docx")]
    OldFormat(String),
}

impl ReadError {
    pub(crate) fn limit(message: impl Into<String>) -> ReadError {
        ReadError::Limit(message.into())
    }

    /// Markup (`what`: elements, tables) nested deeper than `max_nesting`.
    pub(crate) fn too_deep(what: &str, max_nesting: u32) -> ReadError {
        ReadError::limit(format!(
            "{what} nested deeper than max_nesting = {max_nesting}"
        ))
    }

    pub(crate) fn diagnostic(&self, format: SourceFormat) -> Diagnostic {
        let code = match self {
            ReadError::Limit(_) => "ingest.limit",
            ReadError::NoTextLayer => "ingest.no-text-layer",
            ReadError::OldFormat(_) => "ingest.old-format",
            ReadError::Corrupt(_) => match format {
                SourceFormat::Docx => "ingest.docx",
                SourceFormat::Pdf => "ingest.pdf",
                SourceFormat::Html => "ingest.html",
                SourceFormat::Spreadsheet => "ingest.spreadsheet",
                SourceFormat::Text | SourceFormat::Csv => "ingest.unreadable",
            },
        };
        let what = match format {
            SourceFormat::Docx => "cannot read the Word document: ",
            SourceFormat::Pdf => "cannot read the PDF: ",
            SourceFormat::Html => "cannot read the web page: ",
            SourceFormat::Spreadsheet => "cannot read the workbook: ",
            SourceFormat::Text | SourceFormat::Csv => "",
        };
        let what = if matches!(self, ReadError::Corrupt(_)) {
            what
        } else {
            ""
        };
        Diagnostic::error(code, format!("{what}{self}"), None)
    }
}

/// One cell as a reader found it, before placement: its text and how far it spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SourceCell {
    pub text: String,
    pub col_span: u32,
    pub row_span: u32,
}

impl SourceCell {
    #[cfg(test)]
    pub(crate) fn new(text: impl Into<String>) -> SourceCell {
        SourceCell {
            text: text.into(),
            col_span: 1,
            row_span: 1,
        }
    }
}

/// Places the rows of one table on a grid, HTML-style: a cell goes to the first grid column not
/// covered by a `row_span` from above, spans are clamped to `max_span`, covered positions become
/// [`Cell::covered`] cells. Word's `vMerge` is turned into a `row_span` by the reader first.
#[derive(Debug)]
pub(crate) struct GridBuilder<'l> {
    limits: &'l ReadLimits,
    /// For each grid column (0-based), how many more rows a cell from above still covers.
    covered: Vec<u32>,
    rows: Vec<Row>,
    cells: u64,
    table: Option<u32>,
}

impl<'l> GridBuilder<'l> {
    pub(crate) fn new(limits: &'l ReadLimits, table: Option<u32>) -> GridBuilder<'l> {
        GridBuilder {
            limits,
            covered: Vec::new(),
            rows: Vec::new(),
            cells: 0,
            table,
        }
    }

    /// Adds one table row at `line` (and `page` for PDF).
    pub(crate) fn push_row(
        &mut self,
        line: u32,
        page: Option<u32>,
        cells: Vec<SourceCell>,
    ) -> Result<(), ReadError> {
        let max_span = self.limits.max_span.max(1);
        let mut out: Vec<Cell> = Vec::new();
        let mut col = 0usize;
        let cover_here = |out: &mut Vec<Cell>, covered: &mut Vec<u32>, col: &mut usize| {
            while covered.get(*col).is_some_and(|&n| n > 0) {
                covered[*col] -= 1;
                out.push(Cell::covered(line, *col as u32 + 1));
                *col += 1;
            }
        };
        for c in cells {
            cover_here(&mut out, &mut self.covered, &mut col);
            let col_span = c.col_span.clamp(1, max_span);
            let row_span = c.row_span.clamp(1, max_span);
            if col + col_span as usize > max_span as usize * 4 + 64 {
                return Err(ReadError::limit(format!(
                    "a table row is wider than {} columns (max_span = {max_span})",
                    max_span as usize * 4 + 64
                )));
            }
            let start = col;
            out.push(Cell {
                col_span,
                row_span,
                ..Cell::new(c.text, line, start as u32 + 1)
            });
            for k in 1..col_span as usize {
                out.push(Cell::covered(line, (start + k) as u32 + 1));
            }
            if self.covered.len() < start + col_span as usize {
                self.covered.resize(start + col_span as usize, 0);
            }
            for k in 0..col_span as usize {
                self.covered[start + k] = row_span - 1;
            }
            col = start + col_span as usize;
        }
        cover_here(&mut out, &mut self.covered, &mut col);
        self.cells += out.len() as u64;
        if self.cells > self.limits.max_cells {
            return Err(ReadError::limit(format!(
                "the table has more than max_cells = {} cells",
                self.limits.max_cells
            )));
        }
        self.rows.push(Row {
            line,
            sheet: None,
            page,
            table: self.table,
            indent: 0,
            cells: out,
        });
        Ok(())
    }

    pub(crate) fn finish(self) -> Vec<Row> {
        self.rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(rows: &[Row]) -> Vec<Vec<(String, bool)>> {
        rows.iter()
            .map(|r| r.cells.iter().map(|c| (c.text.clone(), c.merged)).collect())
            .collect()
    }

    #[test]
    fn spans_cover_grid_positions_like_html() {
        let limits = ReadLimits::default();
        let mut b = GridBuilder::new(&limits, Some(1));
        let span = |t: &str, cs, rs| SourceCell {
            text: t.into(),
            col_span: cs,
            row_span: rs,
        };
        b.push_row(
            1,
            None,
            vec![
                span("产出指标", 1, 2),
                span("数量指标", 1, 1),
                span("10", 2, 1),
            ],
        )
        .unwrap();
        b.push_row(
            2,
            None,
            vec![SourceCell::new("质量指标"), SourceCell::new("95%")],
        )
        .unwrap();
        let rows = b.finish();
        assert_eq!(
            texts(&rows),
            vec![
                vec![
                    ("产出指标".into(), false),
                    ("数量指标".into(), false),
                    ("10".into(), false),
                    (String::new(), true)
                ],
                vec![
                    (String::new(), true),
                    ("质量指标".into(), false),
                    ("95%".into(), false)
                ],
            ]
        );
        assert_eq!(rows[0].cells[2].col_span, 2);
        assert_eq!(rows[0].cells[0].row_span, 2);
        assert_eq!(rows[1].cells[2].column, 3);
        assert_eq!(rows[1].table, Some(1));
    }

    #[test]
    fn absurd_spans_are_clamped_and_huge_tables_refused() {
        let limits = ReadLimits {
            max_span: 10,
            max_cells: 50,
            ..ReadLimits::default()
        };
        let mut b = GridBuilder::new(&limits, None);
        let huge = SourceCell {
            text: "x".into(),
            col_span: u32::MAX,
            row_span: u32::MAX,
        };
        b.push_row(1, None, vec![huge]).unwrap();
        assert_eq!(b.rows[0].cells.len(), 10);
        let mut err = None;
        for line in 2..20 {
            if let Err(e) = b.push_row(line, None, vec![SourceCell::new("y")]) {
                err = Some(e);
                break;
            }
        }
        assert!(matches!(err, Some(ReadError::Limit(_))), "{err:?}");
    }

    #[test]
    fn long_cells_are_cut_with_a_warning() {
        let limits = ReadLimits {
            max_cell_chars: 5,
            ..ReadLimits::default()
        };
        let mut g = Grid::new("UTF-8");
        g.rows
            .push(Row::new(3, 0, vec![Cell::new("项目名称很长很长", 3, 1)]));
        let g = g.enforce(&limits).unwrap();
        assert_eq!(g.rows[0].cells[0].text, "项目名称很");
        assert_eq!(g.diagnostics[0].code, "ingest.cell-truncated");
        assert_eq!(g.diagnostics[0].line, Some(3));
    }
}
