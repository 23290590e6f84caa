//! Tables from ruling lines: connected horizontal and vertical lines make a grid, the regions the
//! lines enclose are its cells (a merged cell is a region without the line between its parts), and
//! a row that a page break cut is closed on its open side and put back together with its rest on
//! the next page.

use super::layout::{Glyph, SNAP, Segment, cell_text};

/// A table found on a page: its grid lines and the cells (regions) they enclose.
#[derive(Debug)]
pub(super) struct Table {
    /// Horizontal grid lines, top first.
    pub(super) ys: Vec<f64>,
    /// Vertical grid lines, left first.
    pub(super) xs: Vec<f64>,
    /// For each atom (band, column), the region it belongs to.
    pub(super) region: Vec<Vec<usize>>,
    /// Each region's first band and column and its band and column count.
    pub(super) regions: Vec<(usize, usize, usize, usize)>,
    /// Each region's characters.
    pub(super) texts: Vec<Vec<Glyph>>,
    /// Per region, whether it opens the table without a border above it, and whether it ends
    /// the table without a border below it: a cell a page break cut (its rest, its first part).
    open_above: Vec<bool>,
    open_below: Vec<bool>,
    /// Per region, the text of its rest on the next page ([`join_cut_row`]).
    carried: Vec<String>,
    /// Per region, whether its text went to the previous page's table.
    given: Vec<bool>,
    /// The columns were guessed from where the rules end ([`cell_bounds_from_rule_ends`]).
    inferred_columns: bool,
}

impl Table {
    pub(super) fn top(&self) -> f64 {
        self.ys[0]
    }

    pub(super) fn contains(&self, (x, y): (f64, f64)) -> bool {
        let (Some(&left), Some(&right), Some(&bottom)) =
            (self.xs.first(), self.xs.last(), self.ys.last())
        else {
            return false;
        };
        left <= x && x <= right && bottom <= y && y <= self.top()
    }

    /// The region at a point inside the table.
    pub(super) fn region_at(&self, (x, y): (f64, f64)) -> Option<usize> {
        let band = self.ys.windows(2).position(|w| w[0] >= y && y >= w[1])?;
        let col = self.xs.windows(2).position(|w| w[0] <= x && x <= w[1])?;
        Some(self.region[band][col])
    }

    /// A region's text: its characters' (none when they went to the previous page's table),
    /// then what its rest on the next page holds.
    pub(super) fn text(&self, r: usize) -> String {
        let mut out = if self.given[r] {
            String::new()
        } else {
            cell_text(&self.texts[r])
        };
        push_part(&mut out, &self.carried[r]);
        out
    }

    /// A region's left and right edges.
    fn span(&self, r: usize) -> (f64, f64) {
        let (_, c0, _, nc) = self.regions[r];
        (self.xs[c0], self.xs[c0 + nc])
    }
}

/// Puts cells that a page break cut back together: `above` ends the page with their first
/// parts, `below` opens the next page with their rests (no border at the cut on either side).
/// The rest of a cell goes to the first part it stands under (most of its width), and its own
/// cell is left empty, so the cell is read once, whole, where it starts.
pub(super) fn join_cut_row(above: &mut Table, below: &mut Table) {
    let ends: Vec<usize> = (0..above.regions.len())
        .filter(|&a| above.open_below[a])
        .collect();
    if ends.is_empty() {
        return;
    }
    for r in 0..below.regions.len() {
        if !below.open_above[r] || below.texts[r].is_empty() {
            continue;
        }
        let (x0, x1) = below.span(r);
        let best = ends
            .iter()
            .map(|&a| {
                let (a0, a1) = above.span(a);
                (x1.min(a1) - x0.max(a0), a)
            })
            .max_by(|p, q| p.0.total_cmp(&q.0));
        if let Some((overlap, a)) = best
            && overlap > 0.5 * (x1 - x0).min(above.span(a).1 - above.span(a).0)
        {
            let text = cell_text(&below.texts[r]);
            push_part(&mut above.carried[a], &text);
            below.given[r] = true;
        }
    }
}

/// Appends one part of a cell's text to another: a space only between two Latin letters or digits.
pub(super) fn push_part(out: &mut String, part: &str) {
    if part.is_empty() {
        return;
    }
    let joins_words = out
        .chars()
        .last()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && part
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
    if joins_words {
        out.push(' ');
    }
    out.push_str(part);
}

/// Whether a page (turned upright, with the tables found on it) draws rows without columns: three horizontal rules or more across text and no
/// table of ruling lines with two columns or more, or a table whose columns were guessed from
/// where its rules end (a table drawn with horizontal lines only, as a browser prints a web table
/// whose cells have only a bottom border). Its cells cannot be told apart by lines for sure.
pub(super) fn rows_without_columns(page: &super::layout::PageContent, tables: &[Table]) -> bool {
    /// A rule shorter than this (points) is an underline, not a row's border.
    const RULE: f64 = 72.0;
    if page.glyphs.is_empty() {
        return false;
    }
    if tables.iter().any(|t| t.inferred_columns) {
        return true;
    }
    if tables.iter().any(|t| t.xs.len() > 2) {
        return false;
    }
    let rules: Vec<f64> = page
        .segments
        .iter()
        .filter(|s| s.horizontal && s.to - s.from >= RULE)
        .map(|s| s.pos)
        .collect();
    snap(rules).len() >= 3
}

/// Groups ruling lines into tables: connected lines, at least two of each direction (one of the
/// horizontal ones may be the border a page break left out, [`close_open_ends`]).
pub(super) fn find_tables(segments: &[Segment]) -> Vec<Table> {
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
    let (h, mut v): (Vec<&Segment>, Vec<&Segment>) = lines.iter().partition(|s| s.horizontal);
    let mut ys = snap(h.iter().map(|s| s.pos).collect());
    let mut xs = snap(v.iter().map(|s| s.pos).collect());
    if ys.is_empty() || xs.len() < 2 {
        return None;
    }
    // The rest of a cut cell alone at the top of a page has one horizontal line, its bottom.
    close_open_ends(&mut ys, &v);
    if ys.len() < 2 {
        return None;
    }
    let bounds = cell_bounds_from_rule_ends(&h, &ys, &xs);
    let inferred_columns = !bounds.is_empty();
    if inferred_columns {
        v.extend(bounds.iter());
        xs = snap(v.iter().map(|s| s.pos).collect());
    }
    ys.reverse();
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
    let n = regions.len();
    // A region's side at the table's edge is open where no line covers it at any of its columns.
    let open = |y: f64, c0: usize, nc: usize| {
        (c0..c0 + nc).all(|c| !h.iter().any(|s| s.covers(y, (xs[c] + xs[c + 1]) / 2.0)))
    };
    let open_above = regions
        .iter()
        .map(|&(b0, c0, _, nc)| b0 == 0 && open(ys[0], c0, nc))
        .collect();
    let open_below = regions
        .iter()
        .map(|&(b0, c0, nb, nc)| b0 + nb == bands && open(ys[bands], c0, nc))
        .collect();
    Some(Table {
        ys,
        xs,
        region,
        regions,
        texts: vec![Vec::new(); n],
        open_above,
        open_below,
        carried: vec![String::new(); n],
        given: vec![false; n],
        inferred_columns,
    })
}

/// The column borders of a framed table whose cells draw only their bottom border (a browser's
/// print of a web table styled so, inside the table's own frame): no vertical line inside the
/// frame, but horizontal rules that end inside it. Each end is a side of the cell the rule closes,
/// which runs up to the first rule above across that cell (the bottom of the cell above it; a cell
/// spanning rows has no rule in between). `ys` ascending, `xs` the frame's sides; none for any
/// other table.
fn cell_bounds_from_rule_ends(h: &[&Segment], ys: &[f64], xs: &[f64]) -> Vec<Segment> {
    let (Some(&left), Some(&right), Some(&top)) = (xs.first(), xs.last(), ys.last()) else {
        return Vec::new();
    };
    if xs.len() != 2 {
        return Vec::new();
    }
    let mut out = Vec::new();
    for s in h {
        // Each end, with a point just inside the cell the rule closes.
        for (end, inside) in [(s.from, s.from + 2.0 * SNAP), (s.to, s.to - 2.0 * SNAP)] {
            if end <= left + SNAP || end >= right - SNAP {
                continue;
            }
            let cell_top = ys
                .iter()
                .copied()
                .filter(|&y| y > s.pos + SNAP)
                .find(|&y| h.iter().any(|r| r.covers(y, inside)))
                .unwrap_or(top);
            if cell_top > s.pos + SNAP {
                out.push(Segment::new(false, end, s.pos, cell_top));
            }
        }
    }
    out
}

/// Closes a table whose columns run on past its last (or before its first) horizontal line: a row
/// that a page break cut has no border on the cut side (a browser's PDF of a web page draws each
/// cell's borders and leaves that one out), so its text would fall outside the table. Where two
/// vertical lines or more end together beyond the outermost horizontal line, that end is the row's
/// missing border. `ys` ascending.
fn close_open_ends(ys: &mut Vec<f64>, verticals: &[&Segment]) {
    let (Some(&bottom), Some(&top)) = (ys.first(), ys.last()) else {
        return;
    };
    let mut below: Vec<f64> = verticals
        .iter()
        .map(|s| s.from)
        .filter(|&y| y < bottom - SNAP)
        .collect();
    below.sort_by(|a, b| b.total_cmp(a));
    if let Some(end) = below.windows(2).find(|w| w[0] - w[1] <= SNAP) {
        ys.insert(0, end[0]);
    }
    let mut above: Vec<f64> = verticals
        .iter()
        .map(|s| s.to)
        .filter(|&y| y > top + SNAP)
        .collect();
    above.sort_by(f64::total_cmp);
    if let Some(end) = above.windows(2).find(|w| w[1] - w[0] <= SNAP) {
        ys.push(end[0]);
    }
}
