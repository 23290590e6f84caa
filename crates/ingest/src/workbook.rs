//! xlsx / xlsm / xls / ods via calamine: every sheet, every row, cached formula values.

use jixiao_core::civil_from_days;
use std::io::Cursor;

use calamine::{Data, Reader, open_workbook_auto_from_rs};
use jixiao_core::{Cell, Layout, ReadLimits, Row};

use crate::grid::{Grid, ReadError};

/// Reads every sheet; rows keep their sheet name and 1-based sheet row and column numbers.
pub(crate) fn read(bytes: &[u8], limits: &ReadLimits) -> Result<Grid, ReadError> {
    let rows = read_rows(bytes).map_err(ReadError::Corrupt)?;
    let mut grid = Grid::new("binary");
    grid.layout = Layout::Spreadsheet;
    grid.rows = rows;
    grid.enforce(limits)
}

fn read_rows(bytes: &[u8]) -> Result<Vec<Row>, String> {
    let mut book =
        open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())).map_err(|e| e.to_string())?;
    let mut rows = Vec::new();
    for name in book.sheet_names() {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| format!("sheet `{name}`: {e}"))?;
        let (first_row, first_col) = range.start().unwrap_or((0, 0));
        for (r, cells) in range.rows().enumerate() {
            let line = first_row + r as u32 + 1;
            let cells: Vec<Cell> = cells
                .iter()
                .enumerate()
                .map(|(c, data)| Cell::new(text_of(data), line, first_col + c as u32 + 1))
                .collect();
            if cells.iter().any(|c| !c.text.is_empty()) {
                rows.push(Row {
                    sheet: Some(name.clone()),
                    ..Row::new(line, 0, cells)
                });
            }
        }
    }
    Ok(rows)
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
    fn corrupt_workbooks_are_errors_not_panics() {
        let limits = ReadLimits::default();
        assert!(read(b"PK\x03\x04 not really a zip", &limits).is_err());
    }
}
