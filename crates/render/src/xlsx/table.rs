//! The tabular sheet: a header row and data rows, split over `<name> (2)` … sheets when long.
//!
//! Rows come from a closure that yields them afresh, so a table is walked twice (once to measure
//! the columns, once to write) without being held in memory: with constant memory on, a sheet of a
//! million rows costs one row at a time.

use std::borrow::Cow;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::style::{LONG_CAP, WIDTH_CAP, column_width, display_width, header_height, print_setup};
use super::{Cx, MAX_DATA_ROWS};

/// How a column's cells are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Text,
    /// Prose (原文, 理由, 评分标准): a narrower cap, always wrapped.
    Long,
    Int,
    Amount,
    Score,
}

pub(super) struct Column {
    pub title: String,
    pub kind: Kind,
}

impl Column {
    pub(super) fn new(title: impl Into<String>, kind: Kind) -> Column {
        Column {
            title: title.into(),
            kind,
        }
    }
}

/// One cell's value.
pub(super) enum Cell<'a> {
    Text(&'a str),
    Owned(String),
    Num(f64),
    Empty,
}

impl<'a> From<&'a str> for Cell<'a> {
    fn from(s: &'a str) -> Self {
        Cell::Text(s)
    }
}

impl From<f64> for Cell<'_> {
    fn from(x: f64) -> Self {
        Cell::Num(x)
    }
}

impl From<usize> for Cell<'_> {
    fn from(n: usize) -> Self {
        Cell::Num(n as f64)
    }
}

impl<'a, T: Into<Cell<'a>>> From<Option<T>> for Cell<'a> {
    fn from(x: Option<T>) -> Self {
        x.map_or(Cell::Empty, Into::into)
    }
}

impl From<u32> for Cell<'_> {
    fn from(n: u32) -> Self {
        Cell::Num(f64::from(n))
    }
}

/// One sheet of a written table: which (1-based), its name and how many data rows it holds (rows
/// `1..=rows`).
pub(super) struct Part {
    pub index: usize,
    pub name: String,
    pub rows: u32,
}

/// Called on each sheet of a table before its rows are written (conditional formats, charts).
pub(super) type Decorate<'f> = &'f dyn Fn(&mut Worksheet, &Part) -> Result<(), XlsxError>;

/// How a table's sheets are made.
#[derive(Default)]
pub(super) struct Options<'f> {
    /// May use constant-memory mode (sheets without charts, which need their data cached).
    pub large: bool,
    pub decorate: Option<Decorate<'f>>,
}

/// A table's rows given by a visitor: `rows(f)` calls `f` with each row in order, and walks them
/// all again on every call (twice: once to measure, once to write; the record tables are measured
/// together in one walk and written in another, `sheets::records`). Rows made on the fly (a province's
/// workbook) are never all in memory at once.
pub(super) type Visit<'v> = &'v dyn Fn(&mut dyn FnMut(Vec<Cell<'_>>));

/// Writes the table on as many sheets as the row limit needs (at least one).
pub(super) fn write<'a, I>(
    book: &mut Workbook,
    cx: &mut Cx,
    name: &str,
    columns: &[Column],
    rows: impl Fn() -> I,
    options: Options,
) -> Result<Vec<Part>, XlsxError>
where
    I: Iterator<Item = Vec<Cell<'a>>>,
{
    let visit = |f: &mut dyn FnMut(Vec<Cell<'_>>)| rows().for_each(&mut *f);
    write_visited(book, cx, name, columns, &visit, options)
}

/// [`write`] with the rows given by a visitor.
pub(super) fn write_visited(
    book: &mut Workbook,
    cx: &mut Cx,
    name: &str,
    columns: &[Column],
    rows: Visit<'_>,
    options: Options,
) -> Result<Vec<Part>, XlsxError> {
    let mut measure = Measure::new(columns);
    rows(&mut |cells| measure.add(&cells));
    let (parts, mut sheets) = add_sheets(book, cx, name, columns, options, measure.finish())?;
    rows(&mut |cells| sheets.write_row(book, cells));
    sheets.finish().map(|()| parts)
}

/// A table's sheets, added to the workbook with their headers, taking its rows in order.
pub(super) struct TableSheets {
    /// The workbook's index of the table's first sheet.
    first: usize,
    per_sheet: usize,
    count: usize,
    /// Rows written so far.
    next: usize,
    formats: Vec<Format>,
    failure: Option<XlsxError>,
}

impl TableSheets {
    /// Writes the next row; after a failure, or past the measured count, rows are dropped and
    /// [`TableSheets::finish`] reports the failure.
    pub(super) fn write_row(&mut self, book: &mut Workbook, cells: Vec<Cell<'_>>) {
        if self.failure.is_some() || self.next >= self.count {
            return;
        }
        let (part, row) = (self.next / self.per_sheet, self.next % self.per_sheet + 1);
        self.next += 1;
        let written = book
            .worksheet_from_index(self.first + part)
            .and_then(|sheet| {
                let row = u32::try_from(row).map_err(|_| XlsxError::RowColumnLimitError)?;
                for ((col, cell), format) in (0u16..).zip(cells).zip(&self.formats) {
                    write_cell(sheet, row, col, cell, format)?;
                }
                Ok(())
            });
        if let Err(e) = written {
            self.failure = Some(e);
        }
    }

    pub(super) fn finish(self) -> Result<(), XlsxError> {
        self.failure.map_or(Ok(()), Err)
    }
}

/// Adds a measured table's sheets (as many as the row limit needs, at least one), each set up
/// with its header; the rows follow through [`TableSheets::write_row`].
pub(super) fn add_sheets(
    book: &mut Workbook,
    cx: &mut Cx,
    name: &str,
    columns: &[Column],
    options: Options,
    measured: Measured,
) -> Result<(Vec<Part>, TableSheets), XlsxError> {
    let last_col = u16::try_from(columns.len().saturating_sub(1))
        .map_err(|_| XlsxError::RowColumnLimitError)?;
    let Measured { widths, count } = measured;
    let per_sheet = cx.options.max_rows_per_sheet.clamp(1, MAX_DATA_ROWS) as usize;
    let formats: Vec<Format> = columns
        .iter()
        .zip(&widths)
        .map(|(c, w)| match c.kind {
            Kind::Long => cx.formats.wrap.clone(),
            Kind::Text if *w >= WIDTH_CAP => cx.formats.wrap.clone(),
            Kind::Text => cx.formats.text.clone(),
            Kind::Int => cx.formats.int.clone(),
            Kind::Amount => cx.formats.amount.clone(),
            Kind::Score => cx.formats.score.clone(),
        })
        .collect();

    let first = book.worksheets().len();
    let mut parts = Vec::new();
    let mut written = 0usize;
    loop {
        let take = (count - written).min(per_sheet);
        let part = Part {
            index: parts.len() + 1,
            name: cx.sheet_name(name, parts.len() + 1),
            rows: u32::try_from(take).map_err(|_| XlsxError::RowColumnLimitError)?,
        };
        let sheet = if options.large && cx.options.constant_memory {
            book.add_worksheet_with_constant_memory()?
        } else {
            book.add_worksheet()
        };
        sheet.set_name(&part.name)?;
        for (col, width) in (0u16..).zip(&widths) {
            sheet.set_column_width(col, *width)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        sheet.autofilter(0, 0, part.rows, last_col)?;
        print_setup(sheet, cx, Some((0, 0)), Some(widths.iter().sum()))?;
        let titles = columns
            .iter()
            .zip(&widths)
            .map(|(c, w)| (display_width(&c.title), *w));
        sheet.set_row_height(0, header_height(titles))?;
        if let Some(decorate) = options.decorate {
            decorate(sheet, &part)?;
        }
        for (col, c) in (0u16..).zip(columns) {
            sheet.write_string_with_format(0, col, clip(&c.title), &cx.formats.header)?;
        }
        written += take;
        parts.push(part);
        if written >= count {
            break;
        }
    }
    let sheets = TableSheets {
        first,
        per_sheet,
        count,
        next: 0,
        formats,
        failure: None,
    };
    Ok((parts, sheets))
}

/// A table's column widths (in Excel units) and number of rows.
pub(super) struct Measured {
    widths: Vec<f64>,
    count: usize,
}

/// Measures a table's rows as they go by.
pub(super) struct Measure<'c> {
    columns: &'c [Column],
    /// Display widths so far, per column.
    widths: Vec<usize>,
    count: usize,
}

impl<'c> Measure<'c> {
    pub(super) fn new(columns: &'c [Column]) -> Measure<'c> {
        // Headers wrap, so a long title need not widen its column much past its data: a number
        // column's header gets about five CJK characters a line, a text column's eight.
        let widths = columns
            .iter()
            .map(|c| {
                let cap = match c.kind {
                    Kind::Int | Kind::Amount | Kind::Score => 10,
                    Kind::Text | Kind::Long => 16,
                };
                display_width(&c.title).min(cap)
            })
            .collect();
        Measure {
            columns,
            widths,
            count: 0,
        }
    }

    pub(super) fn add(&mut self, cells: &[Cell<'_>]) {
        self.count += 1;
        for ((w, cell), column) in self.widths.iter_mut().zip(cells).zip(self.columns) {
            let cell_width = match cell {
                Cell::Text(s) => display_width(s),
                Cell::Owned(s) => display_width(s),
                Cell::Num(x) => match column.kind {
                    Kind::Amount => crate::format::wan(*x).len(),
                    // As the cell's number format shows it (`0.00`).
                    Kind::Score => crate::format::score(*x).len(),
                    _ => crate::format::num(*x).len(),
                },
                Cell::Empty => 0,
            };
            *w = (*w).max(cell_width);
        }
    }

    pub(super) fn finish(self) -> Measured {
        let widths = self
            .widths
            .iter()
            .zip(self.columns)
            .map(|(w, c)| {
                let cap = if c.kind == Kind::Long {
                    LONG_CAP
                } else {
                    WIDTH_CAP
                };
                column_width(*w, cap)
            })
            .collect();
        Measured {
            widths,
            count: self.count,
        }
    }
}

pub(super) fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    cell: Cell,
    format: &Format,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(s) => sheet.write_string_with_format(row, col, clip(s), format)?,
        Cell::Owned(s) => sheet.write_string_with_format(row, col, clip(&s), format)?,
        Cell::Num(x) if x.is_finite() => sheet.write_number_with_format(row, col, x, format)?,
        Cell::Num(_) | Cell::Empty => sheet.write_blank(row, col, format)?,
    };
    Ok(())
}

/// Excel holds at most 32,767 UTF-16 units in a cell; longer text is cut (with `…`).
pub(super) fn clip(s: &str) -> Cow<'_, str> {
    const LIMIT: usize = 32_767;
    if s.len() <= LIMIT || s.encode_utf16().count() <= LIMIT {
        return Cow::Borrowed(s);
    }
    let mut out = String::new();
    let mut units = 0;
    for c in s.chars() {
        if units + c.len_utf16() > LIMIT - 1 {
            break;
        }
        units += c.len_utf16();
        out.push(c);
    }
    out.push('…');
    Cow::Owned(out)
}
