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
}

impl Layout {
    pub const ALL: [Layout; 7] = [
        Layout::Tabbed,
        Layout::CellPerLine,
        Layout::Paragraph,
        Layout::SpaceSeparated,
        Layout::Pipe,
        Layout::Csv,
        Layout::Spreadsheet,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Layout::Tabbed => "tabbed",
            Layout::CellPerLine => "cell-per-line",
            Layout::Paragraph => "paragraph",
            Layout::SpaceSeparated => "space-separated",
            Layout::Pipe => "pipe",
            Layout::Csv => "csv",
            Layout::Spreadsheet => "spreadsheet",
        }
    }

    pub fn parse(name: &str) -> Option<Layout> {
        Layout::ALL.into_iter().find(|l| l.as_str() == name)
    }

    /// Whether a row boundary in this layout is real. In `Paragraph` text every cell is its own row and
    /// the normaliser must rebuild rows from the labels.
    pub fn rows_are_reliable(self) -> bool {
        !matches!(self, Layout::Paragraph)
    }
}

/// One cell of text with where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    /// The cell's text: decoded, trimmed, with lines of a wrapped cell joined.
    pub text: String,
    /// 1-based line of the file (or row of the sheet) where the cell starts.
    pub line: u32,
    /// 1-based column: the cell's index in its row (TAB/pipe/CSV field number, spreadsheet column).
    pub column: u32,
}

/// One row of cells. Empty cells are kept: their position carries meaning ("same as above").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    /// 1-based line where the row starts.
    pub line: u32,
    /// Sheet name for spreadsheets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// Leading indentation of the line in characters (tree layouts encode levels this way).
    pub indent: u32,
    pub cells: Vec<Cell>,
}

impl Row {
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
    pub layout: Layout,
    /// Encoding name as encoding_rs spells it (`UTF-8`, `gb18030`, `UTF-16LE`), or `binary` for spreadsheets.
    pub encoding: String,
    pub rows: Vec<Row>,
    /// Problems found while reading (guessed encoding, undecodable bytes, unreadable file).
    pub diagnostics: Vec<Diagnostic>,
}
