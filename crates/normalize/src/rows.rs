//! Rows as the normaliser reads them: cleaned cell text with the source's columns and lines. A leaf
//! module: every reading step uses these types, none of them depends on another step for them.

/// One cleaned cell; `col` is the 1-based column of the source (its position carries meaning).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PCell {
    pub text: String,
    pub col: u32,
    pub line: u32,
}

/// One cleaned row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PRow {
    pub line: u32,
    /// A blank line (or more) stood before this row in the source: a table may end here.
    pub gap_before: bool,
    /// The row is the first of a new page of a PDF (a row cut by the page break may go on here).
    pub page_break_before: bool,
    pub cells: Vec<PCell>,
}

impl PRow {
    pub(crate) fn filled(&self) -> impl Iterator<Item = &PCell> {
        self.cells.iter().filter(|c| !c.text.is_empty())
    }
    pub(crate) fn filled_count(&self) -> usize {
        self.filled().count()
    }
    /// The only non-empty cell of the row, when it has exactly one.
    pub(crate) fn single(&self) -> Option<&PCell> {
        let mut it = self.filled();
        let first = it.next()?;
        if it.next().is_some() {
            None
        } else {
            Some(first)
        }
    }
}
