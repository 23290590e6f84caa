//! PDF with a text layer, through `pdf-extract` (on `lopdf`): every character with its position
//! and size (CJK through the fonts' ToUnicode maps) and every ruling line the page draws, turned
//! into the common grid by [`layout`]:
//!
//! - where ruling lines form a table, cells are the regions the lines enclose (a merged cell is a
//!   region without the line between its parts), each character goes to the cell its centre lies
//!   in, and a cell's lines of text are joined; each row lists the regions it crosses left to
//!   right (a region from above is a covered cell), so columns are counted per row;
//! - elsewhere characters make text lines, and a wide gap between characters splits a line into
//!   cells, as TAB does in extracted text.
//!
//! Rows are numbered over all pages in reading order (top to bottom, page after page); a table
//! that runs onto the next page continues without a gap, so the normaliser reads it as one table
//! (a repeated header row is recognised there, as in text). A row a page break cut in two (no
//! border at the cut, as browsers print) is put back together where it starts ([`ruled`]).
//!
//! A page whose text runs sideways (drawn turned, shown upright by `/Rotate`) is turned back
//! first ([`upright`]). Before any page is read, CID fonts' widths are rewritten in the form pdf-extract reads right
//! ([`widths`]): Chromium's PDFs write the other one, and their digits came out spaced.
//!
//! A document with no character on any page is a scan: [`ReadError::NoTextLayer`]. The parser runs
//! under `catch_unwind`: a PDF that makes it panic is reported as damaged, never a crash; loops in
//! the structure that would overflow the stack are refused first ([`guard`]).

mod guard;
mod layout;
mod ruled;
mod upright;
mod widths;

use std::panic::{AssertUnwindSafe, catch_unwind};

use jixiao_core::{Diagnostic, ReadLimits};
use pdf_extract::{ColorSpace, MediaBox, OutputDev, OutputError, Path, PathOp, Transform};
use rayon::prelude::*;

use crate::grid::{Grid, ReadError};
use layout::{Glyph, PageContent, Segment};

pub(crate) fn read(bytes: &[u8], limits: &ReadLimits) -> Result<Grid, ReadError> {
    let (pages, failed) =
        catch_unwind(AssertUnwindSafe(|| extract(bytes, limits))).map_err(|_| {
            ReadError::Corrupt("the PDF's structure is damaged (the parser gave up)".into())
        })??;
    if pages
        .iter()
        .all(|p| p.glyphs.iter().all(|g| g.text.trim().is_empty()))
    {
        return Err(match failed.first() {
            Some((page, why)) => ReadError::Corrupt(format!("page {page}: {why}")),
            None => ReadError::NoTextLayer,
        });
    }
    let mut grid = Grid::new("binary");
    let laid = layout::lay_out(&pages);
    grid.rows = laid.rows;
    for (page, why) in failed {
        grid.diagnostics.push(Diagnostic::warning(
            "ingest.pdf-page",
            format!("page {page} cannot be read ({why}); its tables are missing"),
            None,
        ));
    }
    if let Some(d) = suspicious(&pages) {
        grid.diagnostics.push(d);
    }
    let unruled: Vec<String> = laid.unruled_pages.iter().map(u32::to_string).collect();
    if !unruled.is_empty() {
        grid.diagnostics.push(Diagnostic::warning(
            "ingest.pdf-no-columns",
            format!(
                "page {} draws a table's rows without column lines: its columns are guessed (from \
                 where its rules end, or from gaps between words) and may be misread; ask for the \
                 Word or Excel file",
                unruled.join(", ")
            ),
            None,
        ));
    }
    grid.enforce(limits)
}

/// The pages read (an unreadable one empty), and the unreadable ones by number with the reason.
type Extracted = (Vec<PageContent>, Vec<(u32, String)>);

/// Every page's glyphs and ruling lines, pages read in parallel (pdf-extract parses each page's
/// fonts anew, so pages are independent and the work is per page). A page that cannot be read
/// is empty and listed with the reason.
fn extract(bytes: &[u8], limits: &ReadLimits) -> Result<Extracted, ReadError> {
    let mut doc = pdf_extract::Document::load_mem(bytes)
        .map_err(|e| ReadError::Corrupt(format!("not a readable PDF: {e}")))?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(ReadError::Corrupt(
            "the PDF is protected by a password; ask for an unprotected copy".into(),
        ));
    }
    let page_ids = doc.get_pages();
    if page_ids.len() > limits.max_pages as usize {
        return Err(ReadError::limit(format!(
            "the PDF has {} pages, more than max_pages = {}",
            page_ids.len(),
            limits.max_pages
        )));
    }
    let ids: Vec<_> = page_ids.values().copied().collect();
    guard::check(&doc, &ids, limits.max_nesting)?;
    let numbers: Vec<u32> = page_ids.keys().copied().collect();
    // pdf-extract misreads one of the two forms of CID fonts' widths (Chromium's PDFs use it).
    widths::repair_cid_widths(&mut doc);
    let doc = &doc;
    let read: Vec<Result<PageContent, String>> = numbers
        .par_iter()
        .map(|&n| {
            let mut collector = Collector::default();
            match catch_unwind(AssertUnwindSafe(|| {
                pdf_extract::output_doc_page(doc, &mut collector, n)
            })) {
                Ok(Ok(())) => Ok(collector.pages.pop().unwrap_or_default()),
                Ok(Err(e)) => Err(e.to_string()),
                Err(_) => Err("the parser gave up on it".into()),
            }
        })
        .collect();
    let mut pages = Vec::with_capacity(read.len());
    let mut failed = Vec::new();
    for (n, page) in numbers.into_iter().zip(read) {
        match page {
            Ok(p) => pages.push(p),
            Err(why) => {
                failed.push((n, why));
                pages.push(PageContent::default());
            }
        }
    }
    Ok((pages, failed))
}

/// A warning when much of the text is private-use or replacement characters: fonts without a
/// usable ToUnicode map, whose text cannot be trusted.
fn suspicious(pages: &[PageContent]) -> Option<Diagnostic> {
    let (mut bad, mut all) = (0usize, 0usize);
    for g in pages.iter().flat_map(|p| &p.glyphs) {
        for c in g.text.chars() {
            all += 1;
            if c == '\u{FFFD}' || ('\u{E000}'..='\u{F8FF}').contains(&c) || c.is_control() {
                bad += 1;
            }
        }
    }
    (bad * 100 > all).then(|| {
        Diagnostic::warning(
            "ingest.suspicious-characters",
            format!(
                "{bad} of {all} characters have no Unicode meaning (a font without a ToUnicode map); \
                 the text may be wrong: ask for the Word file"
            ),
            None,
        )
    })
}

/// Receives characters and paths from pdf-extract, page by page.
#[derive(Default)]
struct Collector {
    pages: Vec<PageContent>,
}

impl Collector {
    fn page(&mut self) -> Option<&mut PageContent> {
        self.pages.last_mut()
    }

    fn path(&mut self, ctm: &Transform, path: &Path, filled: bool) {
        let Some(page) = self.page() else {
            return;
        };
        let at = |x: f64, y: f64| {
            (
                x * ctm.m11 + y * ctm.m21 + ctm.m31,
                x * ctm.m12 + y * ctm.m22 + ctm.m32,
            )
        };
        let mut current = None;
        for op in &path.ops {
            match *op {
                PathOp::MoveTo(x, y) => current = Some(at(x, y)),
                PathOp::LineTo(x, y) => {
                    let to = at(x, y);
                    if let Some(from) = current {
                        page.segments.extend(Segment::from_line(from, to));
                    }
                    current = Some(to);
                }
                PathOp::CurveTo(_, _, _, _, x, y) => current = Some(at(x, y)),
                PathOp::Rect(x, y, w, h) => {
                    let (a, b) = (at(x, y), at(x + w, y + h));
                    page.segments.extend(Segment::from_rect(a, b, filled));
                }
                PathOp::Close => {}
            }
        }
    }
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        _page_num: u32,
        _media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.pages.push(PageContent::default());
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        let (vx, vy) = (
            font_size * (trm.m11 + trm.m21),
            font_size * (trm.m12 + trm.m22),
        );
        let size = (vx * vy).abs().sqrt();
        if let Some(page) = self.page()
            && size.is_finite()
            && trm.m31.is_finite()
            && trm.m32.is_finite()
        {
            page.glyphs.push(Glyph {
                x: trm.m31,
                y: trm.m32,
                width: (width * size).max(0.0),
                size: size.max(0.1),
                text: char.to_string(),
                turn: upright::quarter_turn(trm.m11, trm.m12),
            });
        }
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn stroke(
        &mut self,
        ctm: &Transform,
        _colorspace: &ColorSpace,
        _color: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        self.path(ctm, path, false);
        Ok(())
    }

    fn fill(
        &mut self,
        ctm: &Transform,
        _colorspace: &ColorSpace,
        _color: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        self.path(ctm, path, true);
        Ok(())
    }
}
