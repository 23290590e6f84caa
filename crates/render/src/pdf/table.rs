//! Tables: wrapped cells, the header row repeated on every page the table reaches, no header left
//! alone at a page foot, and no row split across pages unless it is taller than a whole page.

use std::collections::BTreeMap;

use super::doc::{BLACK, Doc, HEADER_FILL, Item, MARGIN_X, RULE, Rgb};
use super::fonts::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Right,
    Center,
}

#[derive(Debug, Clone)]
pub(crate) struct Column {
    pub title: String,
    /// Relative width.
    pub weight: f32,
    pub align: Align,
}

impl Column {
    pub(crate) fn new(title: &str, weight: f32, align: Align) -> Self {
        Column {
            title: title.to_string(),
            weight,
            align,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
    /// Background of single cells, by (row, column).
    pub fills: BTreeMap<(usize, usize), Rgb>,
    /// Font size; 9 pt when 0.
    pub size: f32,
    /// Draw the column titles (key–value blocks do not).
    pub no_header: bool,
    /// Room (pt) what follows the table needs on the same page as its last row — a review sheet's
    /// signature line, which must never stand alone on a page.
    pub keep_with_next: f32,
}

const PAD: f32 = 3.0;

impl Doc<'_> {
    pub(crate) fn table(&mut self, t: &Table) {
        let size = if t.size > 0.0 { t.size } else { 9.0 };
        let lh = size * 1.35;
        self.ensure(lh * 3.0);
        let total: f32 = t.columns.iter().map(|c| c.weight).sum::<f32>().max(0.001);
        let widths: Vec<f32> = t
            .columns
            .iter()
            .map(|c| self.width() * c.weight / total)
            .collect();
        let wrap = |doc: &Doc<'_>, cells: &[String], role: Role| -> Vec<Vec<String>> {
            cells
                .iter()
                .zip(&widths)
                .map(|(c, w)| doc.fonts.wrap(role, c, size, (w - 2.0 * PAD).max(size)))
                .collect()
        };
        let titles: Vec<String> = t.columns.iter().map(|c| c.title.clone()).collect();
        let header = if t.no_header {
            Vec::new()
        } else {
            wrap(self, &titles, Role::Heading)
        };
        let header_h = height(&header, lh);

        let first_h = t
            .rows
            .first()
            .map(|r| height(&wrap(self, r, Role::Body), lh))
            .unwrap_or(0.0);
        // The header and the first row go together (or at least a few lines of it).
        self.ensure(header_h + first_h.min(lh * 4.0 + 2.0 * PAD));
        if !t.no_header {
            self.row(
                &header,
                &widths,
                t,
                None,
                lh,
                size,
                Role::Heading,
                Some(HEADER_FILL),
            );
        }
        for (r, cells) in t.rows.iter().enumerate() {
            let mut lines = wrap(self, cells, Role::Body);
            let last = r + 1 == t.rows.len();
            loop {
                let h = height(&lines, lh);
                let with_next = if last { h + t.keep_with_next } else { h };
                if with_next <= self.room() {
                    self.row(&lines, &widths, t, Some(r), lh, size, Role::Body, None);
                    break;
                }
                let page_room = self.full_height() - header_h;
                if with_next <= page_room || self.room() < lh * 3.0 + 2.0 * PAD {
                    // Fits on a fresh page (or too little room here to start a tall row).
                    self.break_table(&header, &widths, t, lh, size);
                    continue;
                }
                // Taller than a page: as many lines as fit here, the rest continues below.
                let fit = (((self.room() - 2.0 * PAD) / lh).floor() as usize).max(1);
                let (now, later): (Vec<_>, Vec<_>) = lines
                    .iter()
                    .map(|c| {
                        let k = fit.min(c.len());
                        (c[..k].to_vec(), c[k..].to_vec())
                    })
                    .unzip();
                self.row(&now, &widths, t, Some(r), lh, size, Role::Body, None);
                self.break_table(&header, &widths, t, lh, size);
                lines = later;
            }
        }
        self.y += size * 0.8;
    }

    fn break_table(
        &mut self,
        header: &[Vec<String>],
        widths: &[f32],
        t: &Table,
        lh: f32,
        size: f32,
    ) {
        self.continue_page();
        if !t.no_header {
            self.row(
                header,
                widths,
                t,
                None,
                lh,
                size,
                Role::Heading,
                Some(HEADER_FILL),
            );
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn row(
        &mut self,
        lines: &[Vec<String>],
        widths: &[f32],
        t: &Table,
        index: Option<usize>,
        lh: f32,
        size: f32,
        role: Role,
        fill: Option<Rgb>,
    ) {
        let h = height(lines, lh);
        let top = self.y;
        let mut x = MARGIN_X;
        for (c, (cell, w)) in lines.iter().zip(widths).enumerate() {
            let fill = index.and_then(|r| t.fills.get(&(r, c)).copied()).or(fill);
            let y = self.y_at(top + h);
            self.push(Item::Rect {
                x,
                y,
                w: *w,
                h,
                fill,
                stroke: Some(RULE),
            });
            let align = t.columns.get(c).map(|c| c.align).unwrap_or(Align::Left);
            for (i, line) in cell.iter().enumerate() {
                let lw = self.fonts.width(role, line, size);
                let lx = match align {
                    Align::Left => x + PAD,
                    Align::Right => x + w - PAD - lw,
                    Align::Center => x + (w - lw) / 2.0,
                };
                self.text_at(
                    lx,
                    top + PAD + i as f32 * lh + (lh - size) / 2.0,
                    size,
                    role,
                    line,
                    BLACK,
                );
            }
            x += w;
        }
        self.y += h;
    }
}

/// Height of a row whose cells wrapped into `lines`.
fn height(lines: &[Vec<String>], lh: f32) -> f32 {
    if lines.is_empty() {
        return 0.0;
    }
    let n = lines.iter().map(Vec::len).max().unwrap_or(1).max(1);
    n as f32 * lh + 2.0 * PAD
}
