//! Workbooks (xlsx / xlsm / xls / ods / et) via calamine: every sheet, every row with text, cached
//! formula values; merged ranges kept as spans with covered cells, as every grid reader does. An
//! xlsx number is read as its cell's number format shows it (`0%` → `95%`, [`crate::numfmt`]);
//! calamine gives no formats for xls and ods, whose numbers stay plain. Hidden sheets are not read
//! (`ingest.hidden-sheet`).
//!
//! xlsx is read cell by cell (calamine's cell reader), so a sheet that declares or touches a huge
//! range (`XFD1048576`) costs only the cells it really has; rows carry their own cells up to their
//! last filled or merged column. The archive's parts are checked against `max_unpacked_bytes`
//! before anything is unpacked, and the cells against `max_cells` as they are read.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{Data, Dimensions, Reader, SheetVisible, Sheets, Style, open_workbook_auto_from_rs};
use jixiao_core::{Cell, Diagnostic, Layout, ReadLimits, Row, civil_from_days};

use crate::grid::{Grid, ReadError};
use crate::numfmt::NumberFormats;

/// Reads every sheet; rows keep their sheet name and 1-based sheet row and column numbers.
pub(crate) fn read(bytes: &[u8], limits: &ReadLimits) -> Result<Grid, ReadError> {
    check_unpacked(bytes, limits)?;
    let book = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| ReadError::Corrupt(e.to_string()))?;
    // A hidden sheet (last year's copy, a lookup list, the blank template) is not what the
    // department shows: not read, and named in a warning.
    let hidden: Vec<String> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.visible != SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect();
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    match book {
        Sheets::Xlsx(mut x) => {
            for name in x.sheet_names().into_iter().filter(|n| !hidden.contains(n)) {
                let mut sheet = xlsx_sheet(&mut x, &name, limits)?;
                if let Some(d) =
                    uncomputed_diagnostic(&name, &std::mem::take(&mut sheet.uncomputed))
                {
                    notes.push(d);
                }
                rows.extend(sheet.into_rows(&name));
            }
        }
        mut other => {
            for name in other
                .sheet_names()
                .into_iter()
                .filter(|n| !hidden.contains(n))
            {
                let range = other
                    .worksheet_range(&name)
                    .map_err(|e| ReadError::Corrupt(format!("sheet `{name}`: {e}")))?;
                let mut sheet = SparseSheet::default();
                for (r, c, data) in range.used_cells() {
                    let (r0, c0) = range.start().unwrap_or((0, 0));
                    sheet.put(r0 + r as u32, c0 + c as u32, text_of(data), limits)?;
                }
                if let Sheets::Xls(x) = &other {
                    sheet.merges = x.merge_cells_by_sheet_name(&name).unwrap_or_default();
                }
                rows.extend(sheet.into_rows(&name));
            }
        }
    }
    let mut grid = Grid::new("binary");
    grid.layout = Layout::Spreadsheet;
    grid.rows = rows;
    grid.diagnostics.extend(notes);
    for name in hidden {
        grid.diagnostics.push(Diagnostic::warning(
            "ingest.hidden-sheet",
            format!(
                "sheet `{name}` is hidden in the workbook and was not read; if it holds a table to \
                 review, unhide it in Excel or WPS"
            ),
            None,
        ));
    }
    grid.enforce(limits)
}

/// Refuses an archive whose parts unpack to more than `max_unpacked_bytes` (a zip bomb) before
/// calamine unpacks anything. Files that are not zip archives (xls) pass.
fn check_unpacked(bytes: &[u8], limits: &ReadLimits) -> Result<(), ReadError> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        if let Ok(f) = zip.by_index_raw(i) {
            total = total.saturating_add(f.size());
        }
    }
    if total > limits.max_unpacked_bytes {
        return Err(ReadError::limit(format!(
            "the workbook unpacks to {total} bytes, more than max_unpacked_bytes = {}",
            limits.max_unpacked_bytes
        )));
    }
    Ok(())
}

fn xlsx_sheet<RS: std::io::Read + std::io::Seek>(
    book: &mut calamine::Xlsx<RS>,
    name: &str,
    limits: &ReadLimits,
) -> Result<SparseSheet, ReadError> {
    let corrupt = |e: calamine::XlsxError| ReadError::Corrupt(format!("sheet `{name}`: {e}"));
    let mut sheet = SparseSheet::default();
    // Number formats: a sheet whose styles cannot be read keeps its plain numbers.
    let styles = book.worksheet_style(name).unwrap_or_default();
    let mut formats = NumberFormats::default();
    {
        let mut cells = book.worksheet_cells_reader(name).map_err(corrupt)?;
        while let Some(cell) = cells.next_cell_with_formula().map_err(corrupt)? {
            let (r, c) = cell.pos;
            let value = Data::from(cell.value);
            // A formula a program wrote without computing it (Excel and WPS store each
            // formula's value; an empty text a formula gave is a value).
            if value == Data::Empty
                && let Some(formula) = cell.formula.filter(|f| !f.trim().is_empty())
            {
                sheet.uncomputed.push(((r, c), formula));
            }
            let shown = match value {
                Data::Float(f) => number_as_shown(f, styles.get((r, c)), &mut formats),
                Data::Int(i) => number_as_shown(i as f64, styles.get((r, c)), &mut formats),
                _ => None,
            };
            sheet.put(r, c, shown.unwrap_or_else(|| text_of(&value)), limits)?;
        }
    }
    sheet.merges = book.merge_cells_by_sheet_name(name).map_err(corrupt)?;
    Ok(sheet)
}

/// A warning naming a sheet's formula cells that hold no computed value (the first few, A1-style).
fn uncomputed_diagnostic(sheet: &str, cells: &[((u32, u32), String)]) -> Option<Diagnostic> {
    const SHOWN: usize = 3;
    let (first, _) = cells.first()?;
    let examples: Vec<String> = cells
        .iter()
        .take(SHOWN)
        .map(|(at, formula)| format!("{} `={}`", a1(*at), formula.trim_start_matches('=')))
        .collect();
    let more = if cells.len() > SHOWN { " …" } else { "" };
    Some(Diagnostic::warning(
        "ingest.formula-not-computed",
        format!(
            "sheet `{sheet}`: {} cell(s) hold a formula without a computed value ({}{more}), read as \
             empty: the workbook was written by a program, not saved by Excel or WPS; open it there, \
             save it and run again",
            cells.len(),
            examples.join(", ")
        ),
        Some(first.0 + 1),
    ))
}

/// A 0-based (row, column) as Excel names it: (7, 3) → `D8`.
fn a1((row, col): (u32, u32)) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(row + 1).to_string()
}

/// The cells a sheet really has, by (row, column), 0-based, and its merged ranges.
#[derive(Debug, Default)]
struct SparseSheet {
    cells: BTreeMap<(u32, u32), String>,
    merges: Vec<Dimensions>,
    /// Formula cells without a computed value, with their formulas.
    uncomputed: Vec<((u32, u32), String)>,
}

impl SparseSheet {
    fn put(&mut self, r: u32, c: u32, text: String, limits: &ReadLimits) -> Result<(), ReadError> {
        if text.is_empty() {
            return Ok(());
        }
        self.cells.insert((r, c), text);
        if self.cells.len() as u64 > limits.max_cells {
            return Err(ReadError::limit(format!(
                "the workbook has more than max_cells = {} cells",
                limits.max_cells
            )));
        }
        Ok(())
    }

    /// Rows with text, each from the sheet's first used column to its own last cell; merged
    /// ranges give their first cell a span and mark the positions they cover.
    fn into_rows(self, name: &str) -> Vec<Row> {
        let Some(first_col) = self.cells.keys().map(|&(_, c)| c).min() else {
            return Vec::new();
        };
        let mut spans: BTreeMap<(u32, u32), (u32, u32)> = BTreeMap::new();
        let mut covered: BTreeMap<u32, Vec<(u32, u32)>> = BTreeMap::new();
        for m in &self.merges {
            let (r0, c0) = m.start;
            let (r1, c1) = m.end;
            if r1 < r0 || c1 < c0 {
                continue;
            }
            spans.insert((r0, c0), (r1 - r0 + 1, c1 - c0 + 1));
            // Only rows that have text are emitted; a covered range is kept per row (not per cell)
            // so a merge of a million rows costs nothing.
            for (&(r, _), _) in self.cells.range((r0, 0)..=(r1, u32::MAX)) {
                covered.entry(r).or_default().push((c0, c1));
            }
        }
        let mut rows: Vec<Row> = Vec::new();
        let mut by_row: BTreeMap<u32, Vec<(u32, String)>> = BTreeMap::new();
        for ((r, c), text) in self.cells {
            by_row.entry(r).or_default().push((c, text));
        }
        for (r, cells) in by_row {
            let line = r + 1;
            let spans_here = covered.get(&r);
            let last = cells
                .iter()
                .map(|(c, _)| *c)
                .chain(spans_here.into_iter().flatten().map(|&(_, c1)| c1))
                .max()
                .unwrap_or(first_col)
                .min(first_col + 16_384);
            let mut texts: BTreeMap<u32, String> = cells.into_iter().collect();
            let mut out = Vec::with_capacity((last - first_col + 1) as usize);
            for c in first_col..=last {
                let text = texts.remove(&c).unwrap_or_default();
                let mut cell = Cell::new(text, line, c + 1);
                if let Some(&(rs, cs)) = spans.get(&(r, c)) {
                    cell.row_span = rs;
                    cell.col_span = cs;
                } else if cell.text.is_empty()
                    && spans_here.is_some_and(|v| v.iter().any(|&(c0, c1)| c0 <= c && c <= c1))
                {
                    cell.merged = true;
                }
                out.push(cell);
            }
            rows.push(Row {
                sheet: Some(name.to_string()),
                ..Row::new(line, 0, out)
            });
        }
        rows
    }
}

/// A number under its cell's number format, as the sheet shows it (`0%` → `95%`); `None` for a
/// General cell.
fn number_as_shown(
    value: f64,
    style: Option<&Style>,
    formats: &mut NumberFormats,
) -> Option<String> {
    let code = &style?.number_format.as_ref()?.format_code;
    formats.display(value, code)
}

fn text_of(data: &Data) -> String {
    match data {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => serial_date(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// `14.76` not `14.759999999999998`, `40` not `40.0`.
fn number(f: f64) -> String {
    let s = format!("{f:.10}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// Excel's 1900 date serial → `YYYY-MM-DD` (serials after the fictitious 1900-02-29).
fn serial_date(serial: f64) -> String {
    let days = serial.floor() as i64 - 25569; // days since 1970-01-01
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_dates_read_as_written() {
        assert_eq!(number(14.759999999999998), "14.76");
        assert_eq!(number(40.0), "40");
        assert_eq!(number(0.5), "0.5");
        assert_eq!(serial_date(45292.0), "2024-01-01");
    }

    #[test]
    fn xlsx_numbers_read_as_their_number_formats_show_them() {
        use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        let cells: [(f64, &str); 5] = [
            (0.95, "0%"),
            (0.9, "0.0%"),
            (200.0, "0\"公里\""),
            (0.6025, "0.00\"万元\""),
            (12.5, "General"),
        ];
        for (row, (value, code)) in (0u32..).zip(cells) {
            let format = Format::new().set_num_format(code);
            sheet
                .write_number_with_format(row, 0, value, &format)
                .unwrap();
        }
        sheet.write_number(5, 0, 1048.5).unwrap();
        let date = ExcelDateTime::from_ymd(2024, 12, 31).unwrap();
        let format = Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
        sheet
            .write_datetime_with_format(6, 0, &date, &format)
            .unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let grid = read(&bytes, &ReadLimits::default()).unwrap();
        let texts: Vec<&str> = grid.rows.iter().map(|r| r.cells[0].text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "95%",
                "90.0%",
                "200公里",
                "0.60万元",
                "12.5",
                "1048.5",
                "2024-12-31"
            ]
        );
    }

    #[test]
    fn hidden_sheets_are_named_not_read() {
        let mut book = rust_xlsxwriter::Workbook::new();
        book.add_worksheet()
            .set_name("2024年")
            .and_then(|s| s.write_string(0, 0, "养护里程 200公里"))
            .unwrap();
        let old = book.add_worksheet();
        old.set_name("2023年").unwrap().set_hidden(true);
        old.write_string(0, 0, "养护里程 150公里").unwrap();
        let grid = read(&book.save_to_buffer().unwrap(), &ReadLimits::default()).unwrap();
        let texts: Vec<&str> = grid.rows.iter().map(|r| r.cells[0].text.as_str()).collect();
        assert_eq!(texts, ["养护里程 200公里"]);
        let warned: Vec<&str> = grid.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(warned, ["ingest.hidden-sheet"]);
        assert!(grid.diagnostics[0].message.contains("2023年"));
    }

    #[test]
    fn formulas_with_their_values_are_read_by_them() {
        assert_eq!(a1((7, 3)), "D8");
        assert_eq!(a1((0, 26)), "AA1");
        // As Excel saves them: a value, an empty text a formula gave. (A formula a program left
        // uncomputed: tests/fixtures/formats/formula-not-computed.xlsx.)
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "养护里程").unwrap();
        let with = |f: &str, v: &str| rust_xlsxwriter::Formula::new(f).set_result(v);
        sheet.write_formula(0, 1, with("=100*2", "200")).unwrap();
        sheet.write_formula(1, 1, with("=\"\"", "")).unwrap();
        let grid = read(&book.save_to_buffer().unwrap(), &ReadLimits::default()).unwrap();
        assert!(grid.diagnostics.is_empty(), "{:?}", grid.diagnostics);
        assert_eq!(grid.rows[0].cells[1].text, "200");
    }

    #[test]
    fn corrupt_workbooks_are_errors_not_panics() {
        let limits = ReadLimits::default();
        assert!(read(b"PK\x03\x04 not really a zip", &limits).is_err());
    }

    #[test]
    fn merged_ranges_become_spans_and_covered_cells() {
        let mut sheet = SparseSheet::default();
        let limits = ReadLimits::default();
        sheet.put(0, 0, "产出指标".into(), &limits).unwrap();
        sheet.put(0, 1, "数量指标".into(), &limits).unwrap();
        sheet.put(1, 1, "质量指标".into(), &limits).unwrap();
        sheet.merges.push(Dimensions {
            start: (0, 0),
            end: (1, 0),
        });
        let rows = sheet.into_rows("项目1");
        assert_eq!(rows[0].cells[0].row_span, 2);
        assert!(rows[1].cells[0].merged);
        assert_eq!(rows[1].cells[1].text, "质量指标");
        assert_eq!(rows[1].line, 2);
    }
}
