//! The Excel packet: one workbook, nine sheets, every figure a number the reviewer can sort and sum.
//!
//! Sheets, in order (names from `strings.toml` `[sheet]`): 汇总 (corpus figures, grade distribution
//! and score histogram with charts), 分部门 (one row per department, chart of means), 项目得分 (one
//! row per record, one column per check, grades coloured), 扣分明细, 指标明细, 问题清单, 规则,
//! 资料来源 (every document read), 未能解析的内容 (every row of 附件4).
//!
//! Every tabular sheet has a frozen, filtered header row, column widths measured for CJK text, A4
//! landscape print setup with the header repeated on every page. A table longer than
//! [`XlsxOptions::max_rows_per_sheet`] continues on `<name> (2)`, `<name> (3)` … with the same header.
//!
//! The output depends only on the packet: the document's creation date is `meta.as_of`, never the
//! clock, so a rerun writes the same bytes.

mod replay;
mod sheets;
mod style;
mod summary;
mod table;
#[cfg(test)]
mod tests;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, XlsxError};

use crate::RenderError;
use crate::packet::{PacketContext, ProjectRows};

use style::Formats;

/// The most data rows one sheet can hold below its header row (Excel's 1,048,576 rows less one).
pub(crate) const MAX_DATA_ROWS: u32 = 1_048_575;

/// Workbook settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XlsxOptions {
    /// Write the long tables (项目得分, 扣分明细, 指标明细, 问题清单) in rust_xlsxwriter's
    /// constant-memory mode: each row goes to a temporary file as it is written, so memory stays
    /// flat however large the corpus. Off by default (the output is the same workbook either way,
    /// with strings stored inline instead of shared).
    pub constant_memory: bool,
    /// Data rows per sheet before a table continues on `<name> (2)`; clamped to
    /// `1..=``MAX_DATA_ROWS`.
    pub max_rows_per_sheet: u32,
}

impl Default for XlsxOptions {
    fn default() -> Self {
        XlsxOptions {
            constant_memory: false,
            max_rows_per_sheet: MAX_DATA_ROWS,
        }
    }
}

/// Writes the packet's workbook.
pub fn write(packet: &PacketContext, options: &XlsxOptions) -> Result<Vec<u8>, RenderError> {
    write_rows(packet, &packet.projects, options)
}

/// Writes the packet's workbook with its detail rows (项目得分, 扣分明细, 指标明细) from `rows`
/// instead of `packet.projects`: a split run's workbook of the whole corpus, whose rows are made
/// one at a time.
pub(crate) fn write_rows(
    packet: &PacketContext,
    rows: &dyn ProjectRows,
    options: &XlsxOptions,
) -> Result<Vec<u8>, RenderError> {
    if options.constant_memory {
        use std::io::Read;
        let mut file = write_spooled(packet, rows, options)?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(io_error)?;
        return Ok(bytes);
    }
    build(packet, rows, options)?
        .save_to_buffer()
        .map_err(|e| failed("saving the workbook", e))
}

/// [`write_rows`] zipped into an anonymous temporary file (gone when closed), rewound: a
/// province's workbook (tens of MB) is handed over as it is, never read into memory (a buffer
/// grown while zipping doubled and copied it, ≈ 200 MB at 100× the samples, at the run's peak).
pub(crate) fn write_spooled(
    packet: &PacketContext,
    rows: &dyn ProjectRows,
    options: &XlsxOptions,
) -> Result<std::fs::File, RenderError> {
    use std::io::Seek;
    let mut book = build(packet, rows, options)?;
    let mut file = tempfile::tempfile().map_err(io_error)?;
    book.save_to_writer(&mut file)
        .map_err(|e| failed("saving the workbook", e))?;
    file.rewind().map_err(io_error)?;
    Ok(file)
}

/// Every sheet of the workbook, not yet saved.
fn build(
    packet: &PacketContext,
    rows: &dyn ProjectRows,
    options: &XlsxOptions,
) -> Result<Workbook, RenderError> {
    let mut book = Workbook::new();
    // The fastest deflate: level 6 (the default) took ≈ 20 % more of a 10× workbook-only run
    // for files ≈ 10 % smaller (docs/performance-history.md).
    book.set_zip_compression_level(1);
    book.set_properties(&properties(packet));
    let mut cx = Cx {
        packet,
        rows,
        options,
        formats: Formats::new(),
        names: Vec::new(),
    };
    // 项目得分, 扣分明细 and 指标明细 are written together (`sheets::records`); a failure in any
    // of them is reported under the first's name.
    let sheets: [(&str, SheetWriter); 7] = [
        ("sheet.summary", summary::write),
        ("sheet.departments", sheets::departments),
        ("sheet.projects", sheets::records),
        ("sheet.findings", sheets::findings),
        ("sheet.rules", sheets::rules),
        ("sheet.sources", sheets::sources),
        ("sheet.unparsed", sheets::unparsed),
    ];
    for (key, sheet) in sheets {
        sheet(&mut book, &mut cx).map_err(|e| failed(cx.s(key), e))?;
    }
    Ok(book)
}

fn io_error(e: std::io::Error) -> RenderError {
    RenderError::Format {
        format: "xlsx".into(),
        message: format!("saving the workbook: {e}"),
    }
}

/// A grade's consequence (`grade.优`); empty for a grade the strings do not know.
fn consequence<'p>(packet: &'p PacketContext, grade: &str) -> &'p str {
    packet
        .strings
        .get("grade")
        .and_then(|g| g.get(grade))
        .map_or("", String::as_str)
}

/// Writes one sheet (or one table's sheets).
type SheetWriter = fn(&mut Workbook, &mut Cx) -> Result<(), XlsxError>;

fn failed(what: &str, e: XlsxError) -> RenderError {
    RenderError::Format {
        format: "xlsx".into(),
        message: format!("{what}: {e}"),
    }
}

/// What every sheet writer reads, and the sheet names given so far.
struct Cx<'p> {
    packet: &'p PacketContext,
    /// The detail sheets' projects: `packet.projects`, or made one at a time.
    rows: &'p dyn ProjectRows,
    options: &'p XlsxOptions,
    formats: Formats,
    /// Names already used, lower-cased (Excel compares sheet names without case).
    names: Vec<String>,
}

impl<'p> Cx<'p> {
    /// `strings.toml` text by `section.key`; the key itself when missing.
    fn s(&self, key: &'p str) -> &'p str {
        crate::wording::lookup(&self.packet.strings, key).unwrap_or(key)
    }

    /// Owned [`Cx::s`], for keys built at run time.
    fn text(&self, key: &str) -> String {
        crate::wording::lookup(&self.packet.strings, key)
            .unwrap_or(key)
            .to_string()
    }

    /// A valid, unused sheet name for part `part` (1-based) of the sheet named `base`.
    fn sheet_name(&mut self, base: &str, part: usize) -> String {
        let name = sheet_name(base, part, &self.names);
        self.names.push(name.to_lowercase());
        name
    }
}

/// Excel's rules: 1–31 UTF-16 units, none of `[]:*?/\`, no apostrophe first or last, unique
/// ignoring case. Part 2 on gets ` (n)`; a name a bureau's strings repeat gets `_2`, `_3` ….
fn sheet_name(base: &str, part: usize, used: &[String]) -> String {
    let clean: String = base
        .chars()
        .map(|c| {
            if "[]:*?/\\".contains(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let clean = clean.trim().trim_matches('\'').trim();
    let clean = if clean.is_empty() { "Sheet" } else { clean };
    let suffix = if part > 1 {
        format!(" ({part})")
    } else {
        String::new()
    };
    let mut n = 1usize;
    loop {
        let tail = if n > 1 {
            format!("{suffix}_{n}")
        } else {
            suffix.clone()
        };
        let room = 31usize.saturating_sub(utf16(&tail));
        let mut head = String::new();
        for c in clean.chars() {
            if utf16(&head) + c.len_utf16() > room {
                break;
            }
            head.push(c);
        }
        let head = head.trim_end_matches('\'');
        let name = format!("{head}{tail}");
        if !used.contains(&name.to_lowercase()) {
            return name;
        }
        n += 1;
    }
}

fn utf16(s: &str) -> usize {
    s.encode_utf16().count()
}

/// Title, author and company from the meta; the creation date is `as_of` (else 1 January of
/// `year`, else 2000-01-01) so the file never depends on when it was written.
fn properties(packet: &PacketContext) -> DocProperties {
    let meta = &packet.meta;
    let mut parts = meta.as_of.trim().splitn(3, '-');
    let ymd = match (parts.next(), parts.next(), parts.next()) {
        (Some(y), Some(m), Some(d)) => y
            .parse::<u16>()
            .ok()
            .zip(m.parse::<u8>().ok())
            .zip(d.get(..2).unwrap_or(d).parse::<u8>().ok())
            .and_then(|((y, m), d)| ExcelDateTime::from_ymd(y, m, d).ok()),
        _ => None,
    };
    let date = ymd
        .or_else(|| {
            u16::try_from(meta.year)
                .ok()
                .and_then(|y| ExcelDateTime::from_ymd(y, 1, 1).ok())
        })
        .or_else(|| ExcelDateTime::from_ymd(2000, 1, 1).ok());
    let mut props = DocProperties::new()
        .set_title(&meta.title)
        .set_author(&meta.issuer)
        .set_company(&meta.issuer)
        .set_subject(format!("{} {}", meta.rubric_name, meta.rubric_version).trim());
    if let Some(date) = date {
        props = props.set_creation_datetime(&date);
    }
    props
}
