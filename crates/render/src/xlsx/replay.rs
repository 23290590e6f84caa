//! A streamed workbook's detail rows kept for their second pass. Its tables are measured first
//! (column widths, row counts: a constant-memory sheet needs them before its first row) and then
//! written; the rows of a split run come from a source that reads each department back from the
//! run's spill, so the second pass read and parsed every department again (≈ 2 % of a 10× run).
//! The first pass now writes each row's cells to an anonymous temporary file as it measures them,
//! and the second reads them back in order.
//!
//! A row: its table (one byte), its cell count (`u32`), then each cell — `0` and a UTF-8 string
//! (`u32` length, bytes), `1` and an `f64`, or `2` for an empty cell; little-endian.

use std::io::{self, BufReader, BufWriter, Read, Seek, Write};

use super::table::Cell;

/// Rows written once, read back once in the same order.
pub(super) struct Replay {
    file: BufWriter<std::fs::File>,
}

const TEXT: u8 = 0;
const NUMBER: u8 = 1;
const EMPTY: u8 = 2;

impl Replay {
    pub(super) fn new() -> io::Result<Replay> {
        Ok(Replay {
            file: BufWriter::with_capacity(1 << 20, tempfile::tempfile()?),
        })
    }

    /// Appends a row of table `table`.
    pub(super) fn push(&mut self, table: u8, cells: &[Cell<'_>]) -> io::Result<()> {
        let w = &mut self.file;
        w.write_all(&[table])?;
        w.write_all(&length(cells.len())?.to_le_bytes())?;
        for cell in cells {
            match cell {
                Cell::Text(s) => write_text(w, s)?,
                Cell::Owned(s) => write_text(w, s)?,
                Cell::Num(x) => {
                    w.write_all(&[NUMBER])?;
                    w.write_all(&x.to_le_bytes())?;
                }
                Cell::Empty => w.write_all(&[EMPTY])?,
            }
        }
        Ok(())
    }

    /// Calls `each` with every row in the order pushed: its table and its cells.
    pub(super) fn replay(self, mut each: impl FnMut(u8, Vec<Cell<'static>>)) -> io::Result<()> {
        let mut file = self.file.into_inner().map_err(|e| e.into_error())?;
        file.rewind()?;
        let mut r = BufReader::with_capacity(1 << 20, file);
        let mut table = [0u8; 1];
        loop {
            match r.read_exact(&mut table) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(()),
                Err(e) => return Err(e),
            }
            let count = read_u32(&mut r)? as usize;
            let mut cells = Vec::with_capacity(count);
            for _ in 0..count {
                cells.push(read_cell(&mut r)?);
            }
            each(table[0], cells);
        }
    }
}

fn length(n: usize) -> io::Result<u32> {
    u32::try_from(n).map_err(|_| io::Error::other("a workbook row or cell past 4 GB"))
}

fn write_text(w: &mut impl Write, s: &str) -> io::Result<()> {
    w.write_all(&[TEXT])?;
    w.write_all(&length(s.len())?.to_le_bytes())?;
    w.write_all(s.as_bytes())
}

fn read_u32(r: &mut impl Read) -> io::Result<u32> {
    let mut bytes = [0u8; 4];
    r.read_exact(&mut bytes)?;
    Ok(u32::from_le_bytes(bytes))
}

fn read_cell(r: &mut impl Read) -> io::Result<Cell<'static>> {
    let mut tag = [0u8; 1];
    r.read_exact(&mut tag)?;
    match tag[0] {
        TEXT => {
            let mut bytes = vec![0u8; read_u32(r)? as usize];
            r.read_exact(&mut bytes)?;
            String::from_utf8(bytes)
                .map(Cell::Owned)
                .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "a kept cell is not UTF-8"))
        }
        NUMBER => {
            let mut bytes = [0u8; 8];
            r.read_exact(&mut bytes)?;
            Ok(Cell::Num(f64::from_le_bytes(bytes)))
        }
        EMPTY => Ok(Cell::Empty),
        other => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("a kept cell of unknown kind {other}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(cells: &[Cell<'_>]) -> Vec<String> {
        cells
            .iter()
            .map(|c| match c {
                Cell::Text(s) => format!("T{s}"),
                Cell::Owned(s) => format!("T{s}"),
                Cell::Num(x) => format!("N{}", x.to_bits()),
                Cell::Empty => "E".into(),
            })
            .collect()
    }

    #[test]
    fn rows_come_back_in_order_with_every_cell() -> io::Result<()> {
        let owned = "扣分理由：“指标值”未量化\n第二行".to_string();
        let rows: Vec<(u8, Vec<Cell<'_>>)> = vec![
            (0, vec![Cell::Num(1.0), Cell::Text("民政局"), Cell::Empty]),
            (2, vec![]),
            (
                1,
                vec![Cell::Owned(owned), Cell::Num(-0.0), Cell::Num(f64::NAN)],
            ),
            (
                0,
                vec![Cell::Text(""), Cell::Num(1e300), Cell::Empty, Cell::Empty],
            ),
        ];
        let mut replay = Replay::new()?;
        for (table, cells) in &rows {
            replay.push(*table, cells)?;
        }
        let mut back = Vec::new();
        replay.replay(|table, cells| back.push((table, text(&cells))))?;
        let expected: Vec<(u8, Vec<String>)> = rows.iter().map(|(t, c)| (*t, text(c))).collect();
        assert_eq!(back, expected);
        Ok(())
    }
}
