use serde::{Deserialize, Serialize};

use crate::Diagnostic;

/// How a text's cells and rows were laid out before extraction lost the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// One row per line, cells split by TAB (PDF → text). Empty cells may mean "same as above".
    Tabbed,
    /// Each cell on its own line starting with a TAB, a blank line ends a row (Word → text).
    CellPerLine,
    /// Cells separated by blank lines, no row boundaries (web pages): rows come from labels.
    Paragraph,
    /// One row per line, cells split by runs of spaces (web pages).
    SpaceSeparated,
    /// `| a | b |` rows (Markdown / web tables).
    Pipe,
    /// Comma-separated values.
    Csv,
    /// xlsx / xls / ods read through calamine.
    Spreadsheet,
    /// A real table grid read from the file's structure (Word tables, HTML `<table>`, PDF words and
    /// ruling lines): rows and columns are the table's own, a merged cell sits in its first grid
    /// column and the grid positions it covers hold empty cells marked [`Cell::merged`].
    Grid,
}

impl Layout {
    /// The layouts a pipeline or `--layout` may force (`grid` is found by the structured readers,
    /// never forced).
    pub const ALL: [Layout; 7] = [
        Layout::Tabbed,
        Layout::CellPerLine,
        Layout::Paragraph,
        Layout::SpaceSeparated,
        Layout::Pipe,
        Layout::Csv,
        Layout::Spreadsheet,
    ];

    /// The name in `--layout`, `[[inputs]] layout` and the JSON files (`cell-per-line` ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Layout::Tabbed => "tabbed",
            Layout::CellPerLine => "cell-per-line",
            Layout::Paragraph => "paragraph",
            Layout::SpaceSeparated => "space-separated",
            Layout::Pipe => "pipe",
            Layout::Csv => "csv",
            Layout::Spreadsheet => "spreadsheet",
            Layout::Grid => "grid",
        }
    }

    /// The layout named `name`, among those that may be forced ([`Layout::ALL`]; `grid` is not).
    pub fn parse(name: &str) -> Option<Layout> {
        Layout::ALL.into_iter().find(|l| l.as_str() == name)
    }

    /// Whether a row boundary in this layout is real. In `Paragraph` text every cell is its own row and
    /// the normaliser must rebuild rows from the labels.
    pub fn rows_are_reliable(self) -> bool {
        !matches!(self, Layout::Paragraph)
    }
}

/// The kind of file a document was read from (the reader that produced its cells).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "kebab-case")]
pub enum SourceFormat {
    /// Plain text in any of the text layouts (TAB, cell per line, paragraph, space, pipe).
    #[default]
    Text,
    /// Comma-separated values.
    Csv,
    /// xlsx / xlsm / xls / ods / et workbooks.
    Spreadsheet,
    /// Word 2007+ documents (.docx).
    Docx,
    /// PDF with a text layer.
    Pdf,
    /// Web pages (.html / .htm).
    Html,
}

impl SourceFormat {
    /// The name as serialized (`text`, `spreadsheet` ...).
    pub fn as_str(self) -> &'static str {
        match self {
            SourceFormat::Text => "text",
            SourceFormat::Csv => "csv",
            SourceFormat::Spreadsheet => "spreadsheet",
            SourceFormat::Docx => "docx",
            SourceFormat::Pdf => "pdf",
            SourceFormat::Html => "html",
        }
    }
}

/// One cell of text with where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    /// The cell's text: decoded, trimmed, with lines of a wrapped cell joined.
    pub text: String,
    /// 1-based line of the file (or row of the sheet) where the cell starts.
    pub line: u32,
    /// 1-based column: the cell's index in its row (TAB/pipe/CSV field number, spreadsheet column,
    /// grid column of a Word/HTML/PDF table).
    pub column: u32,
    /// Grid columns the cell covers (`gridSpan`, `colspan`, a merged range); 1 for text layouts.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub col_span: u32,
    /// Grid rows the cell covers (`vMerge`, `rowspan`, a merged range); 1 for text layouts.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub row_span: u32,
    /// The cell is a grid position covered by a merged cell above or to the left: its text is
    /// empty and means "the same as the merged cell" (as empty 一级/二级 cells do in TAB text).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub merged: bool,
}

fn one() -> u32 {
    1
}

fn is_one(n: &u32) -> bool {
    *n == 1
}

impl Cell {
    /// A plain cell covering one grid position.
    pub fn new(text: impl Into<String>, line: u32, column: u32) -> Cell {
        Cell {
            text: text.into(),
            line,
            column,
            col_span: 1,
            row_span: 1,
            merged: false,
        }
    }

    /// An empty grid position covered by a merged cell.
    pub fn covered(line: u32, column: u32) -> Cell {
        Cell {
            merged: true,
            ..Cell::new(String::new(), line, column)
        }
    }
}

/// One row of cells. Empty cells are kept: their position carries meaning ("same as above").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    /// 1-based line where the row starts.
    pub line: u32,
    /// Sheet name for spreadsheets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// 1-based page for PDF (where the row's first cell stands).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// 1-based number of the table in the file the row belongs to (Word, HTML, PDF grids; a
    /// spreadsheet form's block); `None` for text outside tables and for text layouts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<u32>,
    /// Leading indentation of the line in characters (tree layouts encode levels this way).
    pub indent: u32,
    /// The row's cells in column order, empty ones included.
    pub cells: Vec<Cell>,
}

impl Row {
    /// A row of a text layout: no sheet, page or table.
    pub fn new(line: u32, indent: u32, cells: Vec<Cell>) -> Row {
        Row {
            line,
            sheet: None,
            page: None,
            table: None,
            indent,
            cells,
        }
    }

    /// Whether the row has no text at all.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.text.is_empty())
    }
    /// The non-empty cells, in order.
    pub fn filled(&self) -> impl Iterator<Item = &Cell> {
        self.cells.iter().filter(|c| !c.text.is_empty())
    }
}

/// A file as ingest understood it: rows of cells with provenance. The ingest stage's output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceDocument {
    /// The path as given to the run (relative paths stay relative, so outputs do not depend on the cwd).
    pub file: String,
    /// The reader that produced the cells.
    #[serde(default)]
    pub format: SourceFormat,
    /// How the text was laid out (detected, or forced by `[[inputs]] layout` / `--layout`).
    pub layout: Layout,
    /// Encoding name as encoding_rs spells it (`UTF-8`, `gb18030`, `UTF-16LE`), or `binary` for spreadsheets.
    pub encoding: String,
    /// The file's rows, in reading order.
    pub rows: Vec<Row>,
    /// Problems found while reading (guessed encoding, undecodable bytes, unreadable file).
    pub diagnostics: Vec<Diagnostic>,
}
