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
    /// Tighter padding and leading (a review sheet's tables, so a sheet fits on one page).
    pub dense: bool,
    /// Column widths from the content (see `content_widths`) instead of the columns' weights.
    pub fit_content: bool,
}

const PAD: f32 = 3.0;
const DENSE_PAD: f32 = 2.0;

impl Table {
    /// Space between a cell's border and its text.
    fn pad(&self) -> f32 {
        if self.dense { DENSE_PAD } else { PAD }
    }
    /// Line height at font size `size`.
    fn leading(&self, size: f32) -> f32 {
        size * if self.dense { 1.25 } else { 1.35 }
    }
}

impl Doc<'_> {
    pub(crate) fn table<'t>(&mut self, t: &'t Table) {
        let size = if t.size > 0.0 { t.size } else { 9.0 };
        let lh = t.leading(size);
        let pad = t.pad();
        self.ensure(lh * 3.0);
        // Each body cell's width on one line, when the columns were fitted to them.
        let (widths, measured) = if t.fit_content {
            let (widths, measured) = self.content_widths(t, size, pad);
            (widths, Some(measured))
        } else {
            let total: f32 = t.columns.iter().map(|c| c.weight).sum::<f32>().max(0.001);
            let widths = t
                .columns
                .iter()
                .map(|c| self.width() * c.weight / total)
                .collect();
            (widths, None)
        };
        // Each cell's lines, pieces of its text.
        let wrap = |doc: &Doc<'_>, cells: Vec<&'t str>, role: Role| -> Vec<Vec<&'t str>> {
            cells
                .into_iter()
                .zip(&widths)
                .map(|(c, w)| doc.fonts.wrap(role, c, size, (w - 2.0 * pad).max(size)))
                .collect()
        };
        // A body row: its cells' widths measured already are not measured again.
        let wrap_row = |doc: &Doc<'_>, r: usize, cells: &'t [String]| -> Vec<Vec<&'t str>> {
            let Some(row) = measured.as_ref().and_then(|m| m.get(r)) else {
                return wrap(doc, cells.iter().map(String::as_str).collect(), Role::Body);
            };
            cells
                .iter()
                .zip(&widths)
                .zip(row)
                .map(|((c, w), cw)| {
                    let max = (w - 2.0 * pad).max(size);
                    doc.fonts.wrap_measured(Role::Body, c, size, max, *cw)
                })
                .collect()
        };
        let header = if t.no_header {
            Vec::new()
        } else {
            let titles = t.columns.iter().map(|c| c.title.as_str()).collect();
            wrap(self, titles, Role::Heading)
        };
        let header_h = height(&header, lh, pad);

        // The first row's lines, laid out once: for the room it needs here and to draw it.
        let mut first_lines = t.rows.first().map(|r| wrap_row(self, 0, r));
        let first_h = first_lines
            .as_ref()
            .map_or(0.0, |lines| height(lines, lh, pad));
        // The header and the first row go together (or at least a few lines of it).
        self.ensure(header_h + first_h.min(lh * 4.0 + 2.0 * pad));
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
            let mut lines = match first_lines.take() {
                Some(lines) => lines,
                None => wrap_row(self, r, cells),
            };
            let last = r + 1 == t.rows.len();
            loop {
                let h = height(&lines, lh, pad);
                let with_next = if last { h + t.keep_with_next } else { h };
                if with_next <= self.room() {
                    self.row(&lines, &widths, t, Some(r), lh, size, Role::Body, None);
                    break;
                }
                let page_room = self.full_height() - header_h;
                if with_next <= page_room || self.room() < lh * 3.0 + 2.0 * pad {
                    // Fits on a fresh page (or too little room here to start a tall row).
                    self.break_table(&header, &widths, t, lh, size);
                    continue;
                }
                // Taller than a page: as many lines as fit here, the rest continues below.
                let fit = (((self.room() - 2.0 * pad) / lh).floor() as usize).max(1);
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

    /// Column widths from the content: each column's widest cell on one line (its title at
    /// least, when it has titles), and when they do not all fit, the widest columns share what the
    /// narrower ones leave (so a short code or line number never wraps while long text does).
    /// Columns with weight 0 are not used here: every column takes part.
    /// Also returns each body cell's width on one line (without its padding).
    fn content_widths(&self, t: &Table, size: f32, pad: f32) -> (Vec<f32>, Vec<Vec<f32>>) {
        let titles: Vec<f32> = t
            .columns
            .iter()
            .map(|c| {
                if t.no_header {
                    0.0
                } else {
                    self.fonts
                        .width(Role::Heading, &c.title, size)
                        .min(size * 6.0)
                }
            })
            .collect();
        // Each cell's width on one line, and with its padding.
        let measured: Vec<Vec<f32>> = t
            .rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|cell| self.fonts.width(Role::Body, cell, size))
                    .collect()
            })
            .collect();
        let cells: Vec<Vec<f32>> = measured
            .iter()
            .map(|r| r.iter().map(|w| w + 2.0 * pad + 1.0).collect())
            .collect();
        let natural: Vec<f32> = (0..t.columns.len())
            .map(|c| {
                cells
                    .iter()
                    .filter_map(|r| r.get(c).copied())
                    .fold(titles[c] + 2.0 * pad + 1.0, f32::max)
            })
            .collect();
        let first = share_widths(&natural, self.width());
        // A column is never narrower than its title or three characters.
        let least: Vec<f32> = titles
            .iter()
            .map(|w| w.max(size * 3.0) + 2.0 * pad + 1.0)
            .collect();
        let widths = balance_widths(first, &cells, &least, 2.0 * pad + 1.0);
        (widths, measured)
    }

    fn break_table(&mut self, header: &[Vec<&str>], widths: &[f32], t: &Table, lh: f32, size: f32) {
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
        lines: &[Vec<&str>],
        widths: &[f32],
        t: &Table,
        index: Option<usize>,
        lh: f32,
        size: f32,
        role: Role,
        fill: Option<Rgb>,
    ) {
        let pad = t.pad();
        let h = height(lines, lh, pad);
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
                // A line's width matters only when it is not set from the left.
                let lx = match align {
                    Align::Left => x + pad,
                    Align::Right => x + w - pad - self.fonts.width(role, line, size),
                    Align::Center => x + (w - self.fonts.width(role, line, size)) / 2.0,
                };
                self.text_at(
                    lx,
                    top + pad + i as f32 * lh + (lh - size) / 2.0,
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

/// Widths for columns that would like `natural` pt within `total`: all of it when they fit (the
/// slack spread in proportion); else the columns that need no more than an equal share of what is
/// left get what they need (a code or a line number never wraps), and the others split the rest in
/// proportion to their need, so long texts wrap into about as many lines each.
fn share_widths(natural: &[f32], total: f32) -> Vec<f32> {
    let sum: f32 = natural.iter().sum();
    if sum <= 0.0 {
        return vec![total / natural.len().max(1) as f32; natural.len()];
    }
    if sum <= total {
        return natural.iter().map(|n| n * total / sum).collect();
    }
    let mut widths = vec![0.0; natural.len()];
    let mut open: Vec<usize> = (0..natural.len()).collect();
    let mut left = total;
    loop {
        let need: f32 = open.iter().map(|c| natural[*c]).sum();
        let equal = left / open.len() as f32;
        let (fits, wide): (Vec<usize>, Vec<usize>) =
            open.iter().partition(|c| natural[**c] <= equal);
        if fits.is_empty() || wide.is_empty() {
            for c in &open {
                widths[*c] = natural[*c] * left / need;
            }
            return widths;
        }
        for c in fits {
            widths[c] = natural[c];
            left -= natural[c];
        }
        open = wide;
    }
}

/// Moves width between the columns that wrap while that makes the table shorter: the number of
/// lines of every row (its tallest cell, each cell's one-line width over its column's) summed.
/// Water-filling alone gives a long text column most of the width even when a second text column
/// (a department's name) then wraps onto three lines in every row.
fn balance_widths(mut widths: Vec<f32>, cells: &[Vec<f32>], least: &[f32], pad: f32) -> Vec<f32> {
    let lines = |widths: &[f32]| -> f32 {
        cells
            .iter()
            .map(|row| {
                row.iter()
                    .zip(widths)
                    .map(|(cell, w)| ((cell - pad) / (w - pad).max(1.0)).ceil().max(1.0))
                    .fold(1.0, f32::max)
            })
            .sum()
    };
    let total: f32 = widths.iter().sum();
    let step = total * 0.02;
    let mut best = lines(&widths);
    for _ in 0..200 {
        let mut better: Option<(f32, usize, usize)> = None;
        for from in 0..widths.len() {
            if widths[from] - step < least.get(from).copied().unwrap_or(0.0) {
                continue;
            }
            for to in 0..widths.len() {
                let wraps = cells
                    .iter()
                    .any(|r| r.get(to).is_some_and(|c| *c > widths[to]));
                if to == from || !wraps {
                    continue;
                }
                widths[from] -= step;
                widths[to] += step;
                let h = lines(&widths);
                widths[from] += step;
                widths[to] -= step;
                if h < best - 0.5 && better.is_none_or(|(b, ..)| h < b) {
                    better = Some((h, from, to));
                }
            }
        }
        let Some((h, from, to)) = better else { break };
        widths[from] -= step;
        widths[to] += step;
        best = h;
    }
    widths
}

/// Height of a row whose cells wrapped into `lines`.
fn height(lines: &[Vec<&str>], lh: f32, pad: f32) -> f32 {
    if lines.is_empty() {
        return 0.0;
    }
    let n = lines.iter().map(Vec::len).max().unwrap_or(1).max(1);
    n as f32 * lh + 2.0 * pad
}

#[cfg(test)]
mod tests {
    use super::{balance_widths, share_widths};

    #[test]
    fn width_goes_where_it_saves_lines() {
        // Two text columns: names of 150 pt, problems of 300 pt, in 300 pt. Water-filling gives
        // them 100 and 200 (two lines each); any split that keeps names on one line needs the
        // problems on two, so the balance stays at two lines a row, never three.
        let cells = vec![vec![150.0, 300.0]; 10];
        let w = balance_widths(
            share_widths(&[150.0, 300.0], 300.0),
            &cells,
            &[20.0, 20.0],
            0.0,
        );
        let lines: f32 = cells
            .iter()
            .map(|r| {
                r.iter()
                    .zip(&w)
                    .map(|(c, w)| (c / w).ceil())
                    .fold(1.0, f32::max)
            })
            .sum();
        assert_eq!(lines, 20.0, "{w:?}");
        // A short column is left alone.
        let cells = vec![vec![30.0, 150.0, 600.0]; 5];
        let w = balance_widths(
            share_widths(&[30.0, 150.0, 600.0], 400.0),
            &cells,
            &[20.0; 3],
            0.0,
        );
        assert!((w[0] - 30.0).abs() < 1e-3 && w[1] >= 150.0 - 1e-3, "{w:?}");
    }

    #[test]
    fn columns_that_fit_share_the_slack() {
        assert_eq!(share_widths(&[10.0, 30.0], 80.0), vec![20.0, 60.0]);
    }

    #[test]
    fn narrow_columns_keep_their_width_and_wide_ones_share_the_rest() {
        let w = share_widths(&[20.0, 300.0, 30.0, 500.0], 400.0);
        assert_eq!(w[0], 20.0);
        assert_eq!(w[2], 30.0);
        // 350 left for 300 and 500: in proportion.
        assert!((w[1] - 131.25).abs() < 1e-3, "{w:?}");
        assert!((w[3] - 218.75).abs() < 1e-3, "{w:?}");
        assert!((w.iter().sum::<f32>() - 400.0).abs() < 1e-3);
    }
}
