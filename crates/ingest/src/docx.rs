//! Word 2007+ (.docx) through `zip` + `quick-xml`: the body of `word/document.xml` in reading order.
//!
//! - A paragraph outside a table is one line with one cell (titles, `金额单位：万元`, notes).
//! - A table row (`w:tr`) is one line; its cells (`w:tc`) are placed on the table grid with their
//!   `w:gridSpan`, `w:gridBefore` and `w:vMerge` (a `restart` cell gets the `row_span` of the
//!   `continue` cells below it), so merged 一级/二级 cells leave covered cells below them, exactly as
//!   "same as above" empty cells in TAB text.
//! - The text of a cell is every run of every paragraph in it: runs are concatenated, paragraphs
//!   and `w:br` become line breaks; deleted text (`w:del`), field codes, hidden text (`w:vanish`)
//!   and the fallback copy of text boxes (`mc:Fallback`) are skipped. A table nested in a cell adds its text to that cell.
//! - A table used as a frame (it holds other tables and has at most [`FRAME_MAX_CELLS`] cells in
//!   any row: a one-cell box around a form) is not a grid: its text is lines, and the tables inside
//!   it are read as tables. A pre-pass over the XML finds such frames.
//!
//! Limits: the unpacked `document.xml` is bounded by `max_unpacked_bytes` (a zip bomb stops there),
//! element nesting by `max_nesting`, spans and cells through [`GridBuilder`].

use std::io::{Cursor, Read};

use jixiao_core::{Cell, ReadLimits, Row};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::grid::{Grid, GridBuilder, ReadError, SourceCell};
use crate::xml::{attr, local, text_of_ref};

pub(crate) fn read(bytes: &[u8], limits: &ReadLimits) -> Result<Grid, ReadError> {
    let xml = document_xml(bytes, limits)?;
    let mut body = Body::new(limits, frame_tables(&xml, limits)?);
    body.parse(&xml)?;
    let mut grid = Grid::new("binary");
    grid.rows = body.rows;
    grid.enforce(limits)
}

/// `word/document.xml`, unpacked no further than `max_unpacked_bytes`.
fn document_xml(bytes: &[u8], limits: &ReadLimits) -> Result<Vec<u8>, ReadError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ReadError::Corrupt(format!("not a valid .docx (zip) archive: {e}")))?;
    let entry = zip.by_name("word/document.xml").map_err(|_| {
        ReadError::Corrupt("the archive has no word/document.xml: not a Word document".into())
    })?;
    let max = limits.max_unpacked_bytes;
    if entry.size() > max {
        return Err(ReadError::limit(format!(
            "word/document.xml unpacks to {} bytes, more than max_unpacked_bytes = {max}",
            entry.size()
        )));
    }
    let mut out = Vec::new();
    entry
        .take(max + 1)
        .read_to_end(&mut out)
        .map_err(|e| ReadError::Corrupt(format!("word/document.xml is damaged: {e}")))?;
    if out.len() as u64 > max {
        return Err(ReadError::limit(format!(
            "word/document.xml unpacks to more than max_unpacked_bytes = {max}"
        )));
    }
    Ok(out)
}

/// A table holding other tables with at most this many cells in a row is a frame, not a grid.
pub(crate) const FRAME_MAX_CELLS: usize = 3;

/// For each table in document order (by start tag), whether it is a frame around other tables.
fn frame_tables(xml: &[u8], limits: &ReadLimits) -> Result<Vec<bool>, ReadError> {
    let mut reader = Reader::from_reader(xml);
    reader.config_mut().check_end_names = false;
    let mut buf = Vec::new();
    // Per table: holds a table, widest row; the stack holds (table index, cells in current row).
    let mut tables: Vec<(bool, usize)> = Vec::new();
    let mut open: Vec<(usize, usize)> = Vec::new();
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| ReadError::Corrupt(format!("word/document.xml: {e}")))?;
        match event {
            Event::Start(e) => match local(e.name().as_ref()) {
                "tbl" => {
                    if let Some(&(outer, _)) = open.last() {
                        tables[outer].0 = true;
                    }
                    if open.len() as u32 > limits.max_nesting {
                        return Err(ReadError::too_deep("tables", limits.max_nesting));
                    }
                    open.push((tables.len(), 0));
                    tables.push((false, 0));
                }
                "tr" => {
                    if let Some(top) = open.last_mut() {
                        top.1 = 0;
                    }
                }
                "tc" => {
                    if let Some(top) = open.last_mut() {
                        top.1 += 1;
                        tables[top.0].1 = tables[top.0].1.max(top.1);
                    }
                }
                _ => {}
            },
            Event::End(e) if local(e.name().as_ref()) == "tbl" => {
                open.pop();
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(tables
        .into_iter()
        .map(|(holds, widest)| holds && widest <= FRAME_MAX_CELLS)
        .collect())
}

/// How a cell takes part in a vertical merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VMerge {
    None,
    Restart,
    Continue,
}

#[derive(Debug)]
struct TcState {
    text: String,
    span: u32,
    row_span: u32,
    vmerge: VMerge,
}

impl TcState {
    fn new() -> TcState {
        TcState {
            text: String::new(),
            span: 1,
            row_span: 1,
            vmerge: VMerge::None,
        }
    }
}

#[derive(Debug, Default)]
struct TableState {
    rows: Vec<(u32, Vec<TcState>)>,
    /// Empty grid columns before the current row's first cell (`w:gridBefore`).
    before: u32,
}

/// Walks the body, collecting rows. A table inside a grid table is text of its cell; a frame
/// table is no grid at all.
struct Body<'l> {
    limits: &'l ReadLimits,
    /// [`frame_tables`]: which tables (in start-tag order) are frames.
    frames: Vec<bool>,
    /// Tables whose start tag was seen.
    seen: usize,
    /// Open frame tables (their cells are not a grid).
    open_frames: Vec<bool>,
    rows: Vec<Row>,
    line: u32,
    tables: u32,
    table: Option<TableState>,
    /// Depth of tables nested inside the current top-level table's cells.
    nested: u32,
    cell: Option<TcState>,
    para: String,
    /// Inside `w:del`, `w:instrText`, `mc:Fallback` …: text that is not the document's.
    skip_depth: u32,
    /// Inside `w:t`.
    in_t: bool,
    /// Inside a run (`w:r`), and whether the run is hidden text (`w:vanish`: not shown, not printed).
    in_run: bool,
    run_hidden: bool,
    depth: u32,
}

impl<'l> Body<'l> {
    fn new(limits: &'l ReadLimits, frames: Vec<bool>) -> Body<'l> {
        Body {
            limits,
            frames,
            seen: 0,
            open_frames: Vec::new(),
            rows: Vec::new(),
            line: 0,
            tables: 0,
            table: None,
            nested: 0,
            cell: None,
            para: String::new(),
            skip_depth: 0,
            in_t: false,
            in_run: false,
            run_hidden: false,
            depth: 0,
        }
    }

    fn parse(&mut self, xml: &[u8]) -> Result<(), ReadError> {
        let mut reader = Reader::from_reader(xml);
        reader.config_mut().check_end_names = false;
        let mut buf = Vec::new();
        loop {
            let event = reader
                .read_event_into(&mut buf)
                .map_err(|e| ReadError::Corrupt(format!("word/document.xml: {e}")))?;
            match event {
                Event::Start(e) => {
                    self.depth += 1;
                    if self.depth > self.limits.max_nesting {
                        return Err(ReadError::too_deep("markup", self.limits.max_nesting));
                    }
                    self.start(&e, false)?;
                }
                Event::Empty(e) => self.start(&e, true)?,
                Event::End(e) => {
                    self.depth = self.depth.saturating_sub(1);
                    self.end(local(e.name().as_ref()))?;
                }
                Event::Text(t) if self.in_text() => {
                    self.para.push_str(&t.xml10_content());
                }
                Event::GeneralRef(r) if self.in_text() => {
                    if let Some(s) = text_of_ref(&r) {
                        self.para.push_str(&s);
                    }
                }
                Event::Eof => break,
                _ => {}
            }
            buf.clear();
        }
        Ok(())
    }

    /// Whether text events now are document text (inside `w:t`, not skipped).
    fn in_text(&self) -> bool {
        self.skip_depth == 0 && self.in_t && !self.run_hidden
    }

    fn start(&mut self, e: &BytesStart<'_>, empty: bool) -> Result<(), ReadError> {
        let name = e.name();
        let name = local(name.as_ref());
        if self.skip_depth > 0 {
            if !empty {
                self.skip_depth += 1;
            }
            return Ok(());
        }
        match name {
            "del" | "instrText" | "delText" | "Fallback" | "footnoteReference" if !empty => {
                self.skip_depth = 1;
            }
            "t" => self.in_t = !empty,
            "r" if !empty => {
                self.in_run = true;
                self.run_hidden = false;
            }
            // Hidden text (Home → Font → Hidden): `w:vanish` in the run's properties, unless
            // switched off (`w:val="0"`).
            "vanish" if self.in_run => {
                self.run_hidden = !matches!(attr(e, "val").as_deref(), Some("0" | "false" | "off"));
            }
            // A tab character in a run (a `w:tab` with `w:val` is a tab stop definition).
            "tab" if attr(e, "val").is_none() => self.para.push(' '),
            "br" | "cr" => self.para.push('\n'),
            "noBreakHyphen" => self.para.push('-'),
            // A character from a symbol font (Insert → Symbol): the ones budget tables use.
            "sym" => {
                if let Some(c) = attr(e, "char").and_then(|code| symbol_char(&code)) {
                    self.para.push(c);
                }
            }
            "tbl" => {
                let frame = self.frames.get(self.seen).copied().unwrap_or(false);
                self.seen += 1;
                self.open_frames.push(frame);
                if self.table.is_some() {
                    self.nested += 1;
                } else if frame {
                    self.flush_paragraph();
                } else {
                    self.flush_paragraph();
                    self.tables += 1;
                    self.table = Some(TableState::default());
                }
            }
            "tr" if self.nested == 0 => {
                if let Some(t) = &mut self.table {
                    t.before = 0;
                    self.line += 1;
                    t.rows.push((self.line, Vec::new()));
                }
            }
            "gridBefore" if self.nested == 0 => {
                if let Some(t) = &mut self.table {
                    t.before = attr(e, "val").and_then(|v| v.parse().ok()).unwrap_or(0);
                }
            }
            "tc" if self.nested == 0 && self.table.is_some() => {
                self.cell = Some(TcState::new());
            }
            "gridSpan" if self.nested == 0 => {
                if let Some(c) = &mut self.cell {
                    c.span = attr(e, "val").and_then(|v| v.parse().ok()).unwrap_or(1);
                }
            }
            "vMerge" if self.nested == 0 => {
                if let Some(c) = &mut self.cell {
                    c.vmerge = match attr(e, "val").as_deref() {
                        Some("restart") => VMerge::Restart,
                        _ => VMerge::Continue,
                    };
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, name: &str) -> Result<(), ReadError> {
        if self.skip_depth > 0 {
            self.skip_depth -= 1;
            return Ok(());
        }
        match name {
            "t" => self.in_t = false,
            "r" => {
                self.in_run = false;
                self.run_hidden = false;
            }
            "p" => self.end_paragraph(),
            "tc" if self.nested == 0 => {
                if let (Some(c), Some(t)) = (self.cell.take(), &mut self.table)
                    && let Some((_, cells)) = t.rows.last_mut()
                {
                    for _ in 0..std::mem::take(&mut t.before) {
                        cells.push(TcState::new());
                    }
                    cells.push(c);
                }
            }
            "tbl" => {
                let frame = self.open_frames.pop().unwrap_or(false);
                if self.nested > 0 {
                    self.nested -= 1;
                } else if frame {
                    self.flush_paragraph();
                } else if let Some(t) = self.table.take() {
                    self.place_table(t)?;
                    // What follows a table stands apart from it, as after a blank line.
                    self.line += 1;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A paragraph ends: in a cell its text joins the cell's; outside tables it is a line.
    fn end_paragraph(&mut self) {
        let text = std::mem::take(&mut self.para);
        if let Some(c) = &mut self.cell {
            let text = text.trim();
            if !text.is_empty() {
                if !c.text.is_empty() {
                    c.text.push('\n');
                }
                c.text.push_str(text);
            }
        } else if self.table.is_none() {
            self.line += 1;
            let text = text.trim();
            if !text.is_empty() {
                self.rows
                    .push(Row::new(self.line, 0, vec![Cell::new(text, self.line, 1)]));
            }
        }
    }

    fn flush_paragraph(&mut self) {
        if !self.para.trim().is_empty() {
            self.end_paragraph();
        }
        self.para.clear();
    }

    /// Turns `vMerge` continuations into row spans and places the rows on the grid.
    fn place_table(&mut self, table: TableState) -> Result<(), ReadError> {
        let mut rows = table.rows;
        resolve_vmerge(&mut rows);
        let mut builder = GridBuilder::new(self.limits, Some(self.tables));
        for (line, cells) in rows {
            builder.push_row(line, None, cells.into_iter().map(to_source).collect())?;
        }
        self.rows.extend(builder.finish());
        Ok(())
    }
}

/// The Unicode character for a `w:sym` code of the Symbol font (`F0B3` → `≥`), for the few that
/// targets use; others are dropped.
fn symbol_char(code: &str) -> Option<char> {
    let code = u32::from_str_radix(code, 16).ok()?;
    Some(match code & 0xFF {
        0xB3 => '≥',
        0xA3 => '≤',
        0xB1 => '±',
        0xB4 => '×',
        0xB8 => '÷',
        0xB9 => '≠',
        0xBB => '≈',
        0x25 => '%',
        _ => return None,
    })
}

fn to_source(c: TcState) -> SourceCell {
    SourceCell {
        text: c.text,
        col_span: c.span.max(1),
        row_span: c.row_span.max(1),
    }
}

/// For every cell that starts a vertical merge, counts the `continue` cells below it at the same
/// grid column, gives it that row span and removes the continuations (their text, if any, is
/// appended to the first cell). A `continue` with nothing to continue stays a plain cell.
fn resolve_vmerge(rows: &mut [(u32, Vec<TcState>)]) {
    let starts: Vec<Vec<u32>> = rows
        .iter()
        .map(|(_, cells)| {
            let mut col = 0;
            cells
                .iter()
                .map(|c| {
                    let start = col;
                    col += c.span.max(1);
                    start
                })
                .collect()
        })
        .collect();
    let mut remove: Vec<Vec<bool>> = rows.iter().map(|(_, c)| vec![false; c.len()]).collect();
    for r in 0..rows.len() {
        for i in 0..rows[r].1.len() {
            if remove[r][i] {
                continue;
            }
            let col = starts[r][i];
            let mut below = r + 1;
            while let Some(j) = rows
                .get(below)
                .and_then(|_| starts[below].iter().position(|&s| s == col))
            {
                if rows[below].1[j].vmerge != VMerge::Continue {
                    break;
                }
                remove[below][j] = true;
                let extra = std::mem::take(&mut rows[below].1[j].text);
                if !extra.trim().is_empty() {
                    let first = &mut rows[r].1[i].text;
                    if !first.is_empty() {
                        first.push('\n');
                    }
                    first.push_str(extra.trim());
                }
                below += 1;
            }
            rows[r].1[i].row_span = (below - r) as u32;
        }
    }
    for ((_, cells), remove) in rows.iter_mut().zip(remove) {
        let mut flags = remove.into_iter();
        cells.retain(|_| !flags.next().unwrap_or(false));
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    /// A .docx holding `body` as the body of its `word/document.xml`.
    fn docx(body: &str) -> Vec<u8> {
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
        );
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file(
            "word/document.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .expect("zip entry");
        zip.write_all(xml.as_bytes()).expect("zip write");
        zip.finish().expect("zip").into_inner()
    }

    #[test]
    fn hidden_text_is_not_read() {
        let cell = |runs: &str| format!("<w:tc><w:p>{runs}</w:p></w:tc>");
        let row = [
            cell("<w:r><w:t>指标值</w:t></w:r>"),
            cell(
                "<w:r><w:t>200</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>999</w:t></w:r>\
                 <w:r><w:t>公里</w:t></w:r>",
            ),
            // Switched off, and a hidden paragraph mark: both shown.
            cell(
                "<w:pPr><w:rPr><w:vanish/></w:rPr></w:pPr>\
                 <w:r><w:rPr><w:vanish w:val=\"0\"/></w:rPr><w:t>≥95%</w:t></w:r>",
            ),
        ]
        .concat();
        let grid = read(
            &docx(&format!("<w:tbl><w:tr>{row}</w:tr></w:tbl>")),
            &ReadLimits::default(),
        )
        .expect("a readable docx");
        let texts: Vec<&str> = grid.rows[0].cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["指标值", "200公里", "≥95%"]);
    }
}
