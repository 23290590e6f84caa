//! Cells from positioned glyphs and ruling lines (the geometry half of the PDF reader, free of any
//! PDF parsing so it can be tested on hand-made pages).
//!
//! Coordinates are PDF user space: points, origin bottom-left, y growing upwards.

use jixiao_core::{Cell, Row};

/// How close two ruling-line positions must be to count as one grid line (double borders, lines
/// drawn twice, rounding), in points.
const SNAP: f64 = 3.0;

/// One character as drawn: baseline start, advance width and font size, in points.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Glyph {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub size: f64,
    pub text: String,
}

impl Glyph {
    fn centre(&self) -> (f64, f64) {
        (self.x + self.width / 2.0, self.y + self.size * 0.3)
    }
}

/// A ruling line: horizontal at `pos` (y) from `from` to `to` (x), or vertical at `pos` (x).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Segment {
    pub horizontal: bool,
    pub pos: f64,
    pub from: f64,
    pub to: f64,
}

impl Segment {
    /// A drawn line, if it is horizontal or vertical.
    pub(super) fn from_line(a: (f64, f64), b: (f64, f64)) -> Option<Segment> {
        let (dx, dy) = ((b.0 - a.0).abs(), (b.1 - a.1).abs());
        if dy < 1.0 && dx >= 1.0 {
            Some(Segment::new(true, (a.1 + b.1) / 2.0, a.0, b.0))
        } else if dx < 1.0 && dy >= 1.0 {
            Some(Segment::new(false, (a.0 + b.0) / 2.0, a.1, b.1))
        } else {
            None
        }
    }

    /// A rectangle: its four edges when stroked; when filled, a thin one is a line (Word and WPS
    /// draw borders this way) and a large one (shading, a background) is no line at all.
    pub(super) fn from_rect(a: (f64, f64), b: (f64, f64), filled: bool) -> Vec<Segment> {
        let (w, h) = ((b.0 - a.0).abs(), (b.1 - a.1).abs());
        if filled {
            if h <= 2.5 && w > h {
                return vec![Segment::new(true, (a.1 + b.1) / 2.0, a.0, b.0)];
            }
            if w <= 2.5 && h > w {
                return vec![Segment::new(false, (a.0 + b.0) / 2.0, a.1, b.1)];
            }
            return Vec::new();
        }
        [
            ((a.0, a.1), (b.0, a.1)),
            ((a.0, b.1), (b.0, b.1)),
            ((a.0, a.1), (a.0, b.1)),
            ((b.0, a.1), (b.0, b.1)),
        ]
        .into_iter()
        .filter_map(|(p, q)| Segment::from_line(p, q))
        .collect()
    }

    fn new(horizontal: bool, pos: f64, a: f64, b: f64) -> Segment {
        Segment {
            horizontal,
            pos,
            from: a.min(b),
            to: a.max(b),
        }
    }

    fn covers(&self, pos: f64, at: f64) -> bool {
        (self.pos - pos).abs() <= SNAP && self.from - SNAP <= at && at <= self.to + SNAP
    }

    fn crosses(&self, other: &Segment) -> bool {
        if self.horizontal == other.horizontal {
            return (self.pos - other.pos).abs() <= 1.0
                && self.from <= other.to + SNAP
                && other.from <= self.to + SNAP;
        }
        let (h, v) = if self.horizontal {
            (self, other)
        } else {
            (other, self)
        };
        h.from - SNAP <= v.pos
            && v.pos <= h.to + SNAP
            && v.from - SNAP <= h.pos
            && h.pos <= v.to + SNAP
    }
}

/// What one page holds.
#[derive(Debug, Clone, Default)]
pub(crate) struct PageContent {
    pub glyphs: Vec<Glyph>,
    pub segments: Vec<Segment>,
}

/// A table found on a page: its grid lines and the cells (regions) they enclose.
#[derive(Debug)]
struct Table {
    /// Horizontal grid lines, top first.
    ys: Vec<f64>,
    /// Vertical grid lines, left first.
    xs: Vec<f64>,
    /// For each atom (band, column), the region it belongs to.
    region: Vec<Vec<usize>>,
    /// Each region's first band and column and its band and column count.
    regions: Vec<(usize, usize, usize, usize)>,
    texts: Vec<Vec<Glyph>>,
}

impl Table {
    fn top(&self) -> f64 {
        self.ys[0]
    }

    fn contains(&self, (x, y): (f64, f64)) -> bool {
        let (Some(&left), Some(&right), Some(&bottom)) =
            (self.xs.first(), self.xs.last(), self.ys.last())
        else {
            return false;
        };
        left <= x && x <= right && bottom <= y && y <= self.top()
    }

    /// The region at a point inside the table.
    fn region_at(&self, (x, y): (f64, f64)) -> Option<usize> {
        let band = self.ys.windows(2).position(|w| w[0] >= y && y >= w[1])?;
        let col = self.xs.windows(2).position(|w| w[0] <= x && x <= w[1])?;
        Some(self.region[band][col])
    }
}

/// One thing on a page in reading order: a text line (cells split by wide gaps) or a table.
enum Item {
    Line(f64, Vec<String>),
    Table(Table),
}

impl Item {
    fn top(&self) -> f64 {
        match self {
            Item::Line(y, _) => *y,
            Item::Table(t) => t.top(),
        }
    }
}

/// All pages as rows, numbered in reading order.
pub(crate) fn rows(pages: &[PageContent]) -> Vec<Row> {
    let laid: Vec<Vec<Item>> = pages.iter().map(lay_out_page).collect();
    let starts_with_table: Vec<bool> = laid
        .iter()
        .map(|items| matches!(items.first(), Some(Item::Table(_))))
        .collect();
    let mut out = Vec::new();
    let mut line = 0u32;
    let mut tables = 0u32;
    for (p, items) in laid.into_iter().enumerate() {
        let page = p as u32 + 1;
        let count = items.len();
        for (k, item) in items.into_iter().enumerate() {
            match item {
                Item::Line(_, cells) => {
                    line += 1;
                    let cells = cells
                        .into_iter()
                        .enumerate()
                        .map(|(c, t)| Cell::new(t, line, c as u32 + 1))
                        .collect();
                    out.push(Row {
                        page: Some(page),
                        ..Row::new(line, 0, cells)
                    });
                }
                Item::Table(t) => {
                    tables += 1;
                    out.extend(table_rows(t, page, tables, &mut line));
                    // What follows a table stands apart from it, unless the table goes on at the
                    // top of the next page.
                    let last_on_page = k + 1 == count;
                    let goes_on = starts_with_table.get(p + 1).copied().unwrap_or(false);
                    if !(last_on_page && goes_on) {
                        line += 1;
                    }
                }
            }
        }
    }
    out
}

/// One row per band of the table: the regions the band crosses, left to right — a region that
/// starts in the band gives its text (with its spans), one that comes down from above gives a
/// covered cell, as "same as above" empty cells in TAB text. Columns are counted per row, not on
/// a grid shared by the whole table: rows whose lines stand a few points apart (Word tables whose
/// cells were resized row by row) still give their cells in order. Rows without text are dropped.
fn table_rows(t: Table, page: u32, number: u32, line: &mut u32) -> Vec<Row> {
    let bands = t.ys.len() - 1;
    let mut out = Vec::new();
    for band in 0..bands {
        *line += 1;
        let mut crossing: Vec<(usize, usize)> = t
            .regions
            .iter()
            .enumerate()
            .filter(|(_, (b0, _, nb, _))| *b0 <= band && band < b0 + nb)
            .map(|(r, &(_, c0, _, _))| (c0, r))
            .collect();
        crossing.sort_unstable();
        let cells: Vec<Cell> = crossing
            .into_iter()
            .enumerate()
            .map(|(k, (_, r))| {
                let (b0, _, nb, nc) = t.regions[r];
                let column = k as u32 + 1;
                if b0 == band {
                    Cell {
                        col_span: nc as u32,
                        row_span: nb as u32,
                        ..Cell::new(cell_text(&t.texts[r]), *line, column)
                    }
                } else {
                    Cell::covered(*line, column)
                }
            })
            .collect();
        let row = Row {
            page: Some(page),
            table: Some(number),
            ..Row::new(*line, 0, cells)
        };
        if !row.is_blank() {
            out.push(row);
        }
    }
    out
}

/// Tables (from ruling lines) and text lines of one page, top to bottom.
fn lay_out_page(page: &PageContent) -> Vec<Item> {
    let mut tables = find_tables(&page.segments);
    let mut loose: Vec<&Glyph> = Vec::new();
    for g in &page.glyphs {
        let at = g.centre();
        match tables.iter_mut().find(|t| t.contains(at)) {
            Some(t) => {
                if let Some(r) = t.region_at(at) {
                    t.texts[r].push(g.clone());
                }
            }
            None => loose.push(g),
        }
    }
    let mut items: Vec<Item> = tables.into_iter().map(Item::Table).collect();
    for l in text_lines(loose) {
        let cells = split_wide_gaps(&l);
        let text: String = cells.concat();
        if !is_page_number(&text) {
            items.push(Item::Line(l.y, cells));
        }
    }
    items.sort_by(|a, b| b.top().total_cmp(&a.top()));
    items
}

/// Page furniture: `3`, `- 3 -`, `第 3 页`, `3/12`, `第3页 共12页`.
fn is_page_number(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    !t.is_empty()
        && t.chars().any(|c| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_digit() || "-—/第页共".contains(c))
}

/// Groups ruling lines into tables: connected lines with at least two of each direction.
fn find_tables(segments: &[Segment]) -> Vec<Table> {
    let n = segments.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for i in 0..n {
        for j in i + 1..n {
            if segments[i].crosses(&segments[j]) {
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                parent[a] = b;
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<Segment>> = Default::default();
    for (i, s) in segments.iter().enumerate() {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(*s);
    }
    groups
        .into_values()
        .filter_map(|g| table_from(&g))
        .collect()
}

/// Positions within [`SNAP`] of each other made one (their mean), sorted ascending.
fn snap(mut values: Vec<f64>) -> Vec<f64> {
    values.sort_by(f64::total_cmp);
    let mut out: Vec<(f64, usize)> = Vec::new();
    for v in values {
        match out.last_mut() {
            Some((sum, k)) if v - *sum / *k as f64 <= SNAP => {
                *sum += v;
                *k += 1;
            }
            _ => out.push((v, 1)),
        }
    }
    out.into_iter().map(|(s, k)| s / k as f64).collect()
}

fn table_from(lines: &[Segment]) -> Option<Table> {
    let (h, v): (Vec<&Segment>, Vec<&Segment>) = lines.iter().partition(|s| s.horizontal);
    let mut ys = snap(h.iter().map(|s| s.pos).collect());
    ys.reverse();
    let xs = snap(v.iter().map(|s| s.pos).collect());
    if ys.len() < 2 || xs.len() < 2 {
        return None;
    }
    let (bands, cols) = (ys.len() - 1, xs.len() - 1);
    let mut parent: Vec<usize> = (0..bands * cols).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for b in 0..bands {
        let mid_y = (ys[b] + ys[b + 1]) / 2.0;
        for c in 0..cols {
            let mid_x = (xs[c] + xs[c + 1]) / 2.0;
            let here = b * cols + c;
            if c + 1 < cols && !v.iter().any(|s| s.covers(xs[c + 1], mid_y)) {
                let (a, r) = (root(&mut parent, here), root(&mut parent, here + 1));
                parent[a] = r;
            }
            if b + 1 < bands && !h.iter().any(|s| s.covers(ys[b + 1], mid_x)) {
                let (a, r) = (root(&mut parent, here), root(&mut parent, here + cols));
                parent[a] = r;
            }
        }
    }
    // Regions in reading order (by first atom), each with its bounding band/column range.
    let mut index = std::collections::HashMap::new();
    let mut regions: Vec<(usize, usize, usize, usize)> = Vec::new();
    let mut region = vec![vec![0usize; cols]; bands];
    for (b, band) in region.iter_mut().enumerate() {
        for (c, slot) in band.iter_mut().enumerate() {
            let r = root(&mut parent, b * cols + c);
            let k = *index.entry(r).or_insert_with(|| {
                regions.push((b, c, b, c));
                regions.len() - 1
            });
            let e = &mut regions[k];
            e.1 = e.1.min(c);
            e.2 = e.2.max(b);
            e.3 = e.3.max(c);
            *slot = k;
        }
    }
    let regions: Vec<_> = regions
        .into_iter()
        .map(|(b0, c0, b1, c1)| (b0, c0, b1 - b0 + 1, c1 - c0 + 1))
        .collect();
    let texts = vec![Vec::new(); regions.len()];
    Some(Table {
        ys,
        xs,
        region,
        regions,
        texts,
    })
}

/// A line of glyphs sharing a baseline, left to right.
struct TextLine {
    y: f64,
    glyphs: Vec<Glyph>,
}

/// Groups glyphs into lines (top to bottom) and orders each line left to right; a glyph drawn twice
/// at the same place (fake bold) counts once.
fn text_lines<'g>(glyphs: impl IntoIterator<Item = &'g Glyph>) -> Vec<TextLine> {
    let mut glyphs: Vec<&Glyph> = glyphs.into_iter().collect();
    glyphs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    let mut lines: Vec<TextLine> = Vec::new();
    for g in glyphs {
        match lines.last_mut() {
            Some(l) if (l.y - g.y).abs() <= g.size * 0.5 => l.glyphs.push(g.clone()),
            _ => lines.push(TextLine {
                y: g.y,
                glyphs: vec![g.clone()],
            }),
        }
    }
    for l in &mut lines {
        l.glyphs.sort_by(|a, b| a.x.total_cmp(&b.x));
        l.glyphs
            .dedup_by(|b, a| a.text == b.text && (a.x - b.x).abs() < a.width.max(0.5) * 0.3);
    }
    lines
}

/// The text of one line; a gap wider than `space_at` × the font size becomes a space (PDFs from
/// Word and LibreOffice draw their spaces, so only a real gap adds one).
fn line_text(glyphs: &[Glyph], space_at: f64) -> String {
    let mut out = String::new();
    let mut end: Option<f64> = None;
    for g in glyphs {
        if let Some(e) = end
            && g.x - e > g.size * space_at
            && !out.ends_with(' ')
            && g.text != " "
        {
            out.push(' ');
        }
        out.push_str(&g.text);
        end = Some(g.x + g.width);
    }
    out.trim().to_string()
}

/// A text line outside tables split into cells where the gap is wider than two characters.
fn split_wide_gaps(line: &TextLine) -> Vec<String> {
    let mut cells: Vec<Vec<Glyph>> = vec![Vec::new()];
    let mut end: Option<f64> = None;
    for g in &line.glyphs {
        if g.text.trim().is_empty() {
            continue;
        }
        if let Some(e) = end
            && g.x - e > g.size * 2.0
        {
            cells.push(Vec::new());
        }
        end = Some(g.x + g.width);
        if let Some(c) = cells.last_mut() {
            c.push(g.clone());
        }
    }
    cells.iter().map(|c| line_text(c, 0.8)).collect()
}

/// The text of a table cell: its lines joined; a space only between two Latin letters or digits
/// that a line break separated.
fn cell_text(glyphs: &[Glyph]) -> String {
    let mut out = String::new();
    for l in text_lines(glyphs) {
        let t = line_text(&l.glyphs, 1.0);
        if t.is_empty() {
            continue;
        }
        let joins_words = out
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric())
            && t.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
        if joins_words {
            out.push(' ');
        }
        out.push_str(&t);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(x: f64, y: f64, text: &str) -> Vec<Glyph> {
        text.chars()
            .enumerate()
            .map(|(i, c)| Glyph {
                x: x + i as f64 * 10.0,
                y,
                width: 10.0,
                size: 10.0,
                text: c.to_string(),
            })
            .collect()
    }

    fn hline(y: f64, x0: f64, x1: f64) -> Segment {
        Segment::new(true, y, x0, x1)
    }

    fn vline(x: f64, y0: f64, y1: f64) -> Segment {
        Segment::new(false, x, y0, y1)
    }

    fn texts(rows: &[Row]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.cells.iter().map(|c| c.text.clone()).collect())
            .collect()
    }

    /// A 3×3 table whose first column is merged over the last two rows (no line between them),
    /// a title above it and a wrapped cell.
    fn page() -> PageContent {
        let mut glyphs = word(0.0, 200.0, "项目支出绩效目标表");
        glyphs.extend(word(5.0, 165.0, "项目名称"));
        glyphs.extend(word(105.0, 165.0, "某项目"));
        glyphs.extend(word(5.0, 125.0, "产出指标"));
        glyphs.extend(word(105.0, 145.0, "数量指标"));
        glyphs.extend(word(205.0, 145.0, "10"));
        glyphs.extend(word(105.0, 115.0, "质量指标"));
        glyphs.extend(word(205.0, 117.0, "合格率达"));
        glyphs.extend(word(205.0, 105.0, "95%"));
        let segments = vec![
            hline(180.0, 0.0, 300.0),
            hline(160.0, 0.0, 300.0),
            hline(130.0, 100.0, 300.0),
            hline(100.0, 0.0, 300.0),
            vline(0.0, 100.0, 180.0),
            vline(100.0, 100.0, 180.0),
            vline(200.0, 100.0, 160.0),
            vline(300.0, 100.0, 180.0),
        ];
        PageContent { glyphs, segments }
    }

    #[test]
    fn ruled_table_becomes_a_grid_with_merged_cells() {
        let rows = rows(&[page()]);
        assert_eq!(
            texts(&rows),
            vec![
                vec!["项目支出绩效目标表".to_string()],
                vec!["项目名称".into(), "某项目".into()],
                vec!["产出指标".into(), "数量指标".into(), "10".into()],
                vec!["".into(), "质量指标".into(), "合格率达95%".into()],
            ]
        );
        assert_eq!(rows[1].cells[1].col_span, 2, "某项目 spans two columns");
        assert_eq!(rows[2].cells[0].row_span, 2);
        assert!(rows[3].cells[0].merged);
        assert_eq!(rows[2].page, Some(1));
        assert_eq!(rows[2].table, Some(1));
    }

    #[test]
    fn text_without_rulings_splits_on_wide_gaps() {
        let mut glyphs = word(0.0, 100.0, "项目名称");
        glyphs.extend(word(100.0, 100.0, "某项目"));
        glyphs.extend(word(0.0, 50.0, "- 3 -"));
        let p = PageContent {
            glyphs,
            segments: Vec::new(),
        };
        let rows = rows(&[p]);
        assert_eq!(
            texts(&rows),
            vec![vec!["项目名称".to_string(), "某项目".into()]]
        );
    }

    #[test]
    fn thin_filled_rectangles_are_lines_and_shading_is_not() {
        assert_eq!(
            Segment::from_rect((0.0, 10.0), (100.0, 10.5), true),
            vec![hline(10.25, 0.0, 100.0)]
        );
        assert!(Segment::from_rect((0.0, 0.0), (100.0, 50.0), true).is_empty());
        assert_eq!(
            Segment::from_rect((0.0, 0.0), (100.0, 50.0), false).len(),
            4
        );
    }
}
