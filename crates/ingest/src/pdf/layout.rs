//! Cells from positioned glyphs and ruling lines (the geometry half of the PDF reader, free of any
//! PDF parsing so it can be tested on hand-made pages).
//!
//! Coordinates are PDF user space: points, origin bottom-left, y growing upwards.

use jixiao_core::{Cell, Row};

use super::ruled::{Table, find_tables, join_cut_row, push_part, rows_without_columns};

/// How close two ruling-line positions must be to count as one grid line (double borders, lines
/// drawn twice, rounding), in points.
pub(super) const SNAP: f64 = 3.0;

/// One character as drawn: baseline start, advance width and font size, in points.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Glyph {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub size: f64,
    pub text: String,
    /// Quarter turns (counter-clockwise) of the glyph's baseline: 0 for text left to right.
    pub turn: u8,
}

impl Glyph {
    pub(super) fn centre(&self) -> (f64, f64) {
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

    pub(super) fn new(horizontal: bool, pos: f64, a: f64, b: f64) -> Segment {
        Segment {
            horizontal,
            pos,
            from: a.min(b),
            to: a.max(b),
        }
    }

    pub(super) fn covers(&self, pos: f64, at: f64) -> bool {
        (self.pos - pos).abs() <= SNAP && self.from - SNAP <= at && at <= self.to + SNAP
    }

    pub(super) fn crosses(&self, other: &Segment) -> bool {
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

/// What the pages hold, as the grid gets it.
pub(crate) struct PdfLayout {
    /// All pages as rows, numbered in reading order.
    pub rows: Vec<Row>,
    /// Pages (1-based) that draw a table's rows without column lines
    /// ([`super::ruled::rows_without_columns`]).
    pub unruled_pages: Vec<u32>,
}

/// All pages as rows, numbered in reading order, and the pages whose columns are a guess.
pub(crate) fn lay_out(pages: &[PageContent]) -> PdfLayout {
    let (mut laid, unruled): (Vec<Vec<Item>>, Vec<bool>) = pages.iter().map(lay_out_page).unzip();
    let unruled_pages = (1..)
        .zip(unruled)
        .filter(|(_, u)| *u)
        .map(|(n, _)| n)
        .collect();
    // Cells a page break cut: their rests, in the next page's first table, join their first
    // parts in the page's last table (lines around them, below an open table or above one, are
    // the pages' running footers and heads).
    for p in 1..laid.len() {
        let (before, after) = laid.split_at_mut(p);
        let above = before[p - 1].iter_mut().rev().find_map(|i| match i {
            Item::Table(t) => Some(t),
            Item::Line(..) => None,
        });
        let below = after[0].iter_mut().find_map(|i| match i {
            Item::Table(t) => Some(t),
            Item::Line(..) => None,
        });
        if let (Some(above), Some(below)) = (above, below) {
            join_cut_row(above, below);
        }
    }
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
    PdfLayout {
        rows: out,
        unruled_pages,
    }
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
                        ..Cell::new(t.text(r), *line, column)
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

/// Tables (from ruling lines) and text lines of one page, top to bottom, and whether its columns
/// are a guess.
fn lay_out_page(page: &PageContent) -> (Vec<Item>, bool) {
    let page = super::upright::upright(page);
    let page: &PageContent = &page;
    let mut tables = find_tables(&page.segments);
    let unruled = rows_without_columns(page, &tables);
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
    (items, unruled)
}

/// Page furniture: `3`, `- 3 -`, `第 3 页`, `3/12`, `第3页 共12页`.
fn is_page_number(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    !t.is_empty()
        && t.chars().any(|c| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_digit() || "-—/第页共".contains(c))
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
pub(super) fn cell_text(glyphs: &[Glyph]) -> String {
    let mut out = String::new();
    for l in text_lines(glyphs) {
        push_part(&mut out, &line_text(&l.glyphs, 1.0));
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
                turn: 0,
            })
            .collect()
    }

    fn hline(y: f64, x0: f64, x1: f64) -> Segment {
        Segment::new(true, y, x0, x1)
    }

    fn vline(x: f64, y0: f64, y1: f64) -> Segment {
        Segment::new(false, x, y0, y1)
    }

    fn rows(pages: &[PageContent]) -> Vec<Row> {
        lay_out(pages).rows
    }

    /// Whether the page's columns are a guess.
    fn unruled(page: &PageContent) -> bool {
        lay_out(std::slice::from_ref(page)).unruled_pages == [1]
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

    /// A page of `words` (x, y, text) and ruling lines: horizontal (y, x0, x1), vertical (x, y0, y1).
    fn ruled(
        words: &[(f64, f64, &str)],
        h: &[(f64, f64, f64)],
        v: &[(f64, f64, f64)],
    ) -> PageContent {
        PageContent {
            glyphs: words.iter().flat_map(|&(x, y, t)| word(x, y, t)).collect(),
            segments: h
                .iter()
                .map(|&(y, a, b)| hline(y, a, b))
                .chain(v.iter().map(|&(x, a, b)| vline(x, a, b)))
                .collect(),
        }
    }

    #[test]
    fn rows_a_page_break_cut_stay_in_their_tables() {
        // Page 1: a row whose bottom border the break left out (its columns run on to y = 60),
        // then a running footer; page 2: the row's rest, whose top border is missing (the
        // columns start at y = 200).
        let words = [
            (5.0, 145.0, "项目名称"),
            (105.0, 145.0, "某项目"),
            (5.0, 115.0, "社会效益"),
        ];
        let page1 = ruled(
            &[
                &words[..],
                &[(105.0, 115.0, "视察调研"), (5.0, 40.0, "页脚之上")],
            ]
            .concat(),
            &[(160.0, 0.0, 200.0), (130.0, 0.0, 200.0)],
            &[
                (0.0, 100.0, 160.0),
                (0.0, 60.0, 100.0),
                (100.0, 60.0, 160.0),
                (200.0, 60.0, 160.0),
            ],
        );
        let page2 = ruled(
            &[(5.0, 185.0, "指标"), (5.0, 155.0, "满意度")],
            &[(170.0, 0.0, 200.0), (140.0, 0.0, 200.0)],
            &[
                (0.0, 140.0, 200.0),
                (100.0, 140.0, 200.0),
                (200.0, 140.0, 201.0),
            ],
        );
        let rows = rows(&[page1, page2]);
        // The rest joins the row where it starts; the footer line between stays a line.
        assert_eq!(
            texts(&rows),
            vec![
                vec!["项目名称".to_string(), "某项目".into()],
                vec!["社会效益指标".into(), "视察调研".into()],
                vec!["页脚之上".into()],
                vec!["满意度".into(), "".into()],
            ]
        );
        assert_eq!(rows[1].table, Some(1), "the cut row is the table's");
        assert_eq!(rows[3].table, Some(2));
    }

    #[test]
    fn the_rest_of_a_cut_cell_alone_on_a_page_joins_it() {
        // Page 2 holds only the rest of one cell: two sides and its bottom border.
        let page1 = ruled(
            &[(5.0, 145.0, "项目名称"), (5.0, 115.0, "满意度")],
            &[(160.0, 0.0, 200.0), (130.0, 0.0, 200.0)],
            &[
                (0.0, 60.0, 160.0),
                (100.0, 60.0, 160.0),
                (200.0, 60.0, 160.0),
            ],
        );
        let page2 = ruled(
            &[(5.0, 185.0, "指标")],
            &[(180.0, 0.0, 100.0)],
            &[(0.0, 180.0, 200.0), (100.0, 180.0, 200.0)],
        );
        assert_eq!(
            texts(&rows(&[page1, page2])),
            vec![
                vec!["项目名称".to_string(), "".into()],
                vec!["满意度指标".into(), "".into()],
            ]
        );
    }

    #[test]
    fn one_long_rule_does_not_extend_a_table() {
        // A single vertical running down the page from the table's corner is no row's border.
        let p = ruled(
            &[(5.0, 145.0, "项目名称"), (5.0, 80.0, "表外文字")],
            &[(160.0, 0.0, 200.0), (130.0, 0.0, 200.0)],
            &[(0.0, 20.0, 160.0), (200.0, 130.0, 160.0)],
        );
        let rows = rows(&[p]);
        assert_eq!(rows[1].table, None, "{:?}", texts(&rows));
    }

    #[test]
    fn a_page_drawn_turned_reads_as_drawn_upright() {
        // The same page turned a quarter counter-clockwise (its text runs upwards), as a viewer's
        // `/Rotate` would show it upright: each glyph keeps its offsets along its own baseline.
        let turned = super::super::upright::turned(&page(), |(x, y)| (-y, x), 1);
        assert_eq!(texts(&rows(&[turned])), texts(&rows(&[page()])));
    }

    #[test]
    fn cells_with_only_a_bottom_border_inside_a_frame_make_a_grid() {
        // A frame (top rule, two sides); row 1 `项目名称 | 某项目`, then `产出指标` spanning two rows
        // beside `数量指标` and `质量指标`: each cell draws its bottom border only.
        let words = [
            (5.0, 145.0, "项目名称"),
            (105.0, 145.0, "某项目"),
            (5.0, 105.0, "产出指标"),
            (105.0, 115.0, "数量指标"),
            (105.0, 85.0, "质量指标"),
        ];
        let rules = [
            (160.0, 0.0, 300.0),
            (130.0, 0.0, 100.0),
            (130.0, 100.0, 300.0),
            (100.0, 100.0, 300.0),
            (70.0, 0.0, 100.0),
            (70.0, 100.0, 300.0),
        ];
        let page = ruled(&words, &rules, &[(0.0, 70.0, 160.0), (300.0, 70.0, 160.0)]);
        let rows = rows(std::slice::from_ref(&page));
        assert_eq!(
            texts(&rows),
            vec![
                vec!["项目名称".to_string(), "某项目".into()],
                vec!["产出指标".into(), "数量指标".into()],
                vec!["".into(), "质量指标".into()],
            ]
        );
        assert_eq!(rows[1].cells[0].row_span, 2);
        // The columns are a guess: the page says so, drawn upright or turned.
        assert!(unruled(&page));
        assert!(unruled(&super::super::upright::turned(
            &page,
            |(x, y)| (-y, x),
            1
        )));
    }

    #[test]
    fn rows_ruled_without_columns_are_told() {
        let words = [
            (5.0, 145.0, "项目名称 某项目"),
            (5.0, 115.0, "产出指标 数量指标"),
        ];
        let rules = [
            (160.0, 0.0, 300.0),
            (130.0, 0.0, 300.0),
            (100.0, 0.0, 300.0),
        ];
        assert!(unruled(&ruled(&words, &rules, &[])));
        // Inside the table's own frame (one column) they still are.
        let frame = [(0.0, 100.0, 160.0), (300.0, 100.0, 160.0)];
        assert!(unruled(&ruled(&words, &rules, &frame)));
        // A ruled table, or two rules (a title's underline and a signature line), are no such rows.
        assert!(!unruled(&page()));
        assert!(!unruled(&ruled(&words, &rules[..2], &[])));
    }

    /// Pages of random rules and glyphs (any direction, overlapping, cut, turned) never make the
    /// layout panic: tables closed at a cut, joined across pages, rebuilt from rule ends.
    #[test]
    fn random_pages_never_panic() {
        let mut seed: u64 = 0x5eed;
        let mut next = move |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        for _ in 0..2000 {
            let mut pages = Vec::new();
            for _ in 0..1 + next(3) {
                let mut page = PageContent::default();
                for _ in 0..next(40) {
                    let (a, b, c) = (next(400) as f64, next(400) as f64, next(400) as f64);
                    page.segments.push(Segment::new(next(2) == 0, a, b, c));
                }
                for i in 0..next(30) {
                    page.glyphs.push(Glyph {
                        x: next(400) as f64,
                        y: next(400) as f64,
                        width: next(12) as f64,
                        size: 1.0 + next(12) as f64,
                        text: ["指", "标", "1", " ", "值"][i as usize % 5].to_string(),
                        turn: next(4) as u8,
                    });
                }
                pages.push(page);
            }
            let _ = lay_out(&pages);
        }
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
