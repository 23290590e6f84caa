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
    sheets.finish(book).map(|()| parts)
}

/// How a table's cells get their formats. rust_xlsxwriter finds a format's index by hashing the
/// whole `Format` (SipHash over its font, borders, fill, number format …) and comparing it: done
/// per cell, that was ≈ 15 % of writing a workbook. The cells are written bare and their formats
/// set over ranges instead (`Worksheet::set_range_format`, one lookup per range); every way gives
/// the same cells and the same bytes (tested).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FormatBy {
    /// Each cell written with its format: rows the others cannot take, and the reference they
    /// are tested against.
    Cell,
    /// Each run of neighbouring columns sharing a format set once per row, as the row is written:
    /// a sheet in constant-memory mode writes a row out when the next begins.
    Row,
    /// Each column's format set once over its rows when the table is done.
    Column,
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
    /// Runs of neighbouring columns with equal formats: first and last column, index in `formats`.
    runs: Vec<(u16, u16, usize)>,
    format_by: FormatBy,
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
                self.write_cells(sheet, row, cells)
            });
        if let Err(e) = written {
            self.failure = Some(e);
        }
    }

    fn write_cells(
        &self,
        sheet: &mut Worksheet,
        row: u32,
        cells: Vec<Cell<'_>>,
    ) -> Result<(), XlsxError> {
        // A row of nothing but empty cells is written cell by cell: formatting a range of a row
        // that holds no cell yet would add the row without writing out the one before it. So is
        // a row shorter than the table (its runs would format cells it does not have).
        let format_by = match self.format_by {
            FormatBy::Row
                if cells.len() < self.formats.len() || !cells.iter().any(Cell::is_stored) =>
            {
                FormatBy::Cell
            }
            by => by,
        };
        for ((col, cell), format) in (0u16..).zip(cells).zip(&self.formats) {
            if format_by == FormatBy::Cell {
                write_cell(sheet, row, col, cell, format)?;
            } else {
                write_bare(sheet, row, col, cell)?;
            }
        }
        if format_by == FormatBy::Row {
            for &(first, last, format) in &self.runs {
                sheet.set_range_format(row, first, row, last, &self.formats[format])?;
            }
        }
        Ok(())
    }

    /// Reports the first failure; else, when the cells were written bare to be formatted by
    /// column, gives each column of each sheet its format (every cell of a data row has one: an
    /// empty cell is a blank with the column's format, for its borders).
    pub(super) fn finish(self, book: &mut Workbook) -> Result<(), XlsxError> {
        if let Some(e) = self.failure {
            return Err(e);
        }
        if self.format_by != FormatBy::Column {
            return Ok(());
        }
        let written = self.next.min(self.count);
        for part in 0..written.div_ceil(self.per_sheet) {
            let rows = (written - part * self.per_sheet).min(self.per_sheet);
            let last = u32::try_from(rows).map_err(|_| XlsxError::RowColumnLimitError)?;
            let sheet = book.worksheet_from_index(self.first + part)?;
            for (col, format) in (0u16..).zip(&self.formats) {
                sheet.set_range_format(1, col, last, col, format)?;
            }
        }
        Ok(())
    }
}

/// Runs of neighbouring equal formats: (first column, last column, index of the run's format).
fn format_runs(formats: &[Format]) -> Vec<(u16, u16, usize)> {
    let mut runs: Vec<(u16, u16, usize)> = Vec::new();
    for (col, format) in (0u16..).zip(formats) {
        match runs.last_mut() {
            Some((_, last, index)) if formats[*index] == *format => *last = col,
            _ => runs.push((col, col, usize::from(col))),
        }
    }
    runs
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
        runs: format_runs(&formats),
        formats,
        format_by: if options.large && cx.options.constant_memory {
            FormatBy::Row
        } else {
            FormatBy::Column
        },
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
            // A column already as wide as it may grow takes no more measuring, and a text of
            // `n` bytes is at most `n` wide (a character two columns wide takes three bytes or
            // more): the widths are the same, with a fraction of the measuring.
            if column_width(*w, cap(column.kind)) >= cap(column.kind) {
                continue;
            }
            let cell_width = match cell {
                Cell::Text(s) if s.len() <= *w => continue,
                Cell::Text(s) => display_width(s),
                Cell::Owned(s) if s.len() <= *w => continue,
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
            .map(|(w, c)| column_width(*w, cap(c.kind)))
            .collect();
        Measured {
            widths,
            count: self.count,
        }
    }
}

/// The widest a column of `kind` grows to.
fn cap(kind: Kind) -> f64 {
    if kind == Kind::Long {
        LONG_CAP
    } else {
        WIDTH_CAP
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

impl Cell<'_> {
    /// Whether writing the cell bare stores it (empty text and numbers that are not finite are
    /// left out; formatted, they are blanks).
    fn is_stored(&self) -> bool {
        match self {
            Cell::Text(s) => !s.is_empty(),
            Cell::Owned(s) => !s.is_empty(),
            Cell::Num(x) => x.is_finite(),
            Cell::Empty => false,
        }
    }
}

/// A cell without its format (set over a range later); an empty cell is left to that.
fn write_bare(sheet: &mut Worksheet, row: u32, col: u16, cell: Cell) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(s) => sheet.write_string(row, col, clip(s))?,
        Cell::Owned(s) => sheet.write_string(row, col, clip(&s))?,
        Cell::Num(x) if x.is_finite() => sheet.write_number(row, col, x)?,
        Cell::Num(_) | Cell::Empty => return Ok(()),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packet::tests::sample_packet;
    use crate::xlsx::XlsxOptions;

    /// A table of every kind of cell — text, long text, numbers, empty, not finite, empty text,
    /// a row with nothing stored, a short row — over two sheets, its cells written bare and formatted by row
    /// runs or by column, gives the workbook bytes of writing each cell with its format, in
    /// constant-memory mode and out of it.
    #[test]
    fn formats_set_by_row_or_column_give_the_cells_formatted_one_by_one() -> Result<(), XlsxError> {
        let packet = sample_packet();
        let columns = [
            Column::new("项目", Kind::Text),
            Column::new("单位", Kind::Text),
            Column::new("原文", Kind::Long),
            Column::new("序号", Kind::Int),
            Column::new("金额", Kind::Amount),
            Column::new("得分", Kind::Score),
        ];
        // In constant-memory mode row 9 is short: it is written cell by cell too.
        let row = |i: usize, short: bool| -> Vec<Cell<'static>> {
            if i == 9 && short {
                return vec![Cell::Text("短行"), Cell::Empty, Cell::Num(9.0)];
            }
            if i == 6 {
                return vec![
                    Cell::Text(""),
                    Cell::Empty,
                    Cell::Owned(String::new()),
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Num(f64::NAN),
                ];
            }
            vec![
                if i.is_multiple_of(4) {
                    Cell::Text("")
                } else {
                    Cell::Owned(format!("项目{i}"))
                },
                Cell::Text("单位"),
                Cell::Text("很长的原文，很长的原文，很长的原文，很长的原文，很长的原文。"),
                Cell::from(i),
                if i.is_multiple_of(3) {
                    Cell::Empty
                } else {
                    Cell::Num(i as f64 * 1.5)
                },
                if i.is_multiple_of(5) {
                    Cell::Num(f64::NAN)
                } else {
                    Cell::Num(80.0 + i as f64)
                },
            ]
        };
        let workbook = |constant_memory: bool, by: FormatBy| -> Result<Vec<u8>, XlsxError> {
            let options = XlsxOptions {
                constant_memory,
                max_rows_per_sheet: 7,
            };
            let mut book = Workbook::new();
            let mut cx = Cx {
                packet: &packet,
                rows: &packet.projects,
                options: &options,
                formats: super::super::style::Formats::new(),
                names: Vec::new(),
            };
            let mut measure = Measure::new(&columns);
            (1..=11).for_each(|i| measure.add(&row(i, constant_memory)));
            let large = Options {
                large: true,
                decorate: None,
            };
            let (_, mut sheets) =
                add_sheets(&mut book, &mut cx, "表", &columns, large, measure.finish())?;
            let default = if constant_memory {
                FormatBy::Row
            } else {
                FormatBy::Column
            };
            assert_eq!(sheets.format_by, default);
            sheets.format_by = by;
            (1..=11).for_each(|i| sheets.write_row(&mut book, row(i, constant_memory)));
            sheets.finish(&mut book)?;
            book.save_to_buffer()
        };
        for constant_memory in [false, true] {
            let reference = workbook(constant_memory, FormatBy::Cell)?;
            for by in [FormatBy::Row, FormatBy::Column] {
                if constant_memory && by == FormatBy::Column {
                    continue; // rows are written out as they go: not formattable at the end
                }
                assert_eq!(
                    workbook(constant_memory, by)?,
                    reference,
                    "{by:?}, constant memory {constant_memory}"
                );
            }
        }
        Ok(())
    }

    /// The measured widths are those of measuring every cell, for short and long, narrow and
    /// wide, one-line and many-line texts in every order.
    #[test]
    fn skipped_cells_never_change_a_width() {
        let columns = [
            Column::new("项目", Kind::Text),
            Column::new("原文", Kind::Long),
        ];
        let texts = [
            "a",
            "abc",
            "项目",
            "项目名称项目名称",
            "x\n很长的一行很长的一行很长的一行",
            "ab\ncd",
            &"很长".repeat(40),
            &"w".repeat(70),
            "𠀀𠀀",
            "é",
            "",
        ];
        for rotation in 0..texts.len() {
            let mut measure = Measure::new(&columns);
            let mut naive: Vec<usize> = columns
                .iter()
                .map(|c| display_width(&c.title).min(16))
                .collect();
            for i in 0..texts.len() {
                let text = texts[(i + rotation) % texts.len()];
                measure.add(&[Cell::Text(text), Cell::Owned(text.to_string())]);
                for w in &mut naive {
                    *w = (*w).max(display_width(text));
                }
            }
            let widths = measure.finish().widths;
            let expected: Vec<f64> = naive
                .iter()
                .zip(&columns)
                .map(|(w, c)| column_width(*w, cap(c.kind)))
                .collect();
            assert_eq!(widths, expected, "rotation {rotation}");
        }
    }
}
