//! A small page-layout engine: a cursor that flows headings, paragraphs, tables and charts down A4
//! pages (portrait or landscape) and starts a new page when the next block does not fit. Pages hold
//! drawing items in page coordinates; they become printpdf operations only at the end, once every
//! page exists (so "共 N 页" and the table of contents can be filled in).

use super::fonts::{FontSet, Role};
use super::text::Missing;

/// A4 in pt.
pub(crate) const A4_SHORT: f32 = 595.28;
pub(crate) const A4_LONG: f32 = 841.89;
/// Page margins in pt (≈ 20 mm sides, 22 mm top and bottom: room for the footer).
pub(crate) const MARGIN_X: f32 = 56.0;
pub(crate) const MARGIN_TOP: f32 = 62.0;
pub(crate) const MARGIN_BOTTOM: f32 = 62.0;
/// Landscape pages (review sheets, annexes) keep ≈ 17 mm top and bottom: a review sheet fits on one
/// page more often, and the running head and the footer still have their own room.
const LANDSCAPE_MARGIN_TOP: f32 = 48.0;
const LANDSCAPE_MARGIN_BOTTOM: f32 = 48.0;

pub(crate) const BODY_SIZE: f32 = 10.5;
pub(crate) const LEADING: f32 = 1.55;

/// An RGB colour, 0–1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rgb(pub f32, pub f32, pub f32);

pub(crate) const BLACK: Rgb = Rgb(0.0, 0.0, 0.0);
pub(crate) const GREY: Rgb = Rgb(0.45, 0.45, 0.45);
pub(crate) const RULE: Rgb = Rgb(0.55, 0.55, 0.55);
pub(crate) const HEADER_FILL: Rgb = Rgb(0.90, 0.92, 0.95);

/// One thing drawn on a page. `y` is measured from the bottom edge (PDF convention); text `y` is the
/// baseline.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Item {
    Text {
        x: f32,
        y: f32,
        size: f32,
        role: Role,
        text: String,
        color: Rgb,
        /// Extra space after each character, in pt (`Tc`): a justified line's slack spread over it.
        spacing: f32,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<Rgb>,
        stroke: Option<Rgb>,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        color: Rgb,
        /// Drawn dashed (a reference line).
        dashed: bool,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Page {
    pub landscape: bool,
    pub items: Vec<Item>,
}

impl Page {
    pub(crate) fn width(&self) -> f32 {
        if self.landscape { A4_LONG } else { A4_SHORT }
    }
    pub(crate) fn height(&self) -> f32 {
        if self.landscape { A4_SHORT } else { A4_LONG }
    }
    /// Where the body starts, from the top edge.
    pub(crate) fn margin_top(&self) -> f32 {
        if self.landscape {
            LANDSCAPE_MARGIN_TOP
        } else {
            MARGIN_TOP
        }
    }
    /// Where the body ends, from the bottom edge.
    pub(crate) fn margin_bottom(&self) -> f32 {
        if self.landscape {
            LANDSCAPE_MARGIN_BOTTOM
        } else {
            MARGIN_BOTTOM
        }
    }
}

/// A heading as the table of contents lists it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OutlineEntry {
    pub level: u8,
    pub title: String,
    pub page: usize,
    /// Listed in the contents pages too (sections, departments); `false`: a bookmark only (each
    /// project's review sheet).
    pub contents: bool,
}

/// A clickable area (a contents line) on page `page`, in PDF coordinates `[x1, y1, x2, y2]`,
/// leading to page `target`.
#[derive(Debug, Clone)]
pub(crate) struct LinkArea {
    pub page: usize,
    pub rect: [f32; 4],
    pub target: usize,
}

/// Most extra space between two characters of a justified line, as a share of the font size.
const MAX_SPREAD: f32 = 0.06;

/// `line` cut into stretches of Chinese (ideographs, full-width punctuation, curly quotes) and of
/// everything else, in order.
fn cjk_chunks(line: &str) -> Vec<(&str, bool)> {
    let is_cjk = |c: char| {
        matches!(c,
            '\u{3000}'..='\u{303f}' | '\u{3400}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}'
                | '\u{2018}'..='\u{201d}' | '\u{2014}' | '\u{2026}')
    };
    let mut out: Vec<(&str, bool)> = Vec::new();
    let mut start = 0;
    let mut kind = None;
    for (at, c) in line.char_indices() {
        let cjk = is_cjk(c);
        if kind.is_some_and(|k| k != cjk) {
            out.extend(kind.map(|k| (&line[start..at], k)));
            start = at;
        }
        kind = Some(cjk);
    }
    out.extend(kind.map(|k| (&line[start..], k)));
    out
}

/// The flowing document.
pub(crate) struct Doc<'f> {
    pub fonts: &'f FontSet,
    pub pages: Vec<Page>,
    /// Distance of the cursor from the top edge of the current page.
    pub y: f32,
    pub missing: Missing,
    pub outline: Vec<OutlineEntry>,
    /// The contents lines' links (filled last, with the contents).
    pub links: Vec<LinkArea>,
    /// Printed at the top of pages a block continues onto (`网络专项经费（续）`), so a loose
    /// review-sheet page still names its project.
    pub running_head: Option<String>,
}

impl<'f> Doc<'f> {
    pub(crate) fn new(fonts: &'f FontSet) -> Self {
        Doc {
            fonts,
            pages: Vec::new(),
            y: MARGIN_TOP,
            missing: Missing::default(),
            outline: Vec::new(),
            links: Vec::new(),
            running_head: None,
        }
    }

    pub(crate) fn page(&self) -> &Page {
        &self.pages[self.pages.len() - 1]
    }

    /// Starts a page in the given orientation.
    pub(crate) fn new_page(&mut self, landscape: bool) {
        self.pages.push(Page {
            landscape,
            items: Vec::new(),
        });
        self.y = self.page().margin_top();
    }

    /// Usable width of the current page.
    pub(crate) fn width(&self) -> f32 {
        self.page().width() - 2.0 * MARGIN_X
    }

    /// Room left on the current page.
    pub(crate) fn room(&self) -> f32 {
        self.page().height() - self.page().margin_bottom() - self.y
    }

    /// Usable height of an empty page of the current orientation.
    pub(crate) fn full_height(&self) -> f32 {
        self.page().height() - self.page().margin_top() - self.page().margin_bottom()
    }

    /// Moves to a new page of the same orientation unless `h` pt still fit.
    pub(crate) fn ensure(&mut self, h: f32) {
        if self.pages.is_empty() {
            self.new_page(false);
        }
        if h > self.room() && self.y > self.page().margin_top() + 0.5 {
            self.continue_page();
        }
    }

    /// A new page of the same orientation for a block that goes on, under the running head.
    pub(crate) fn continue_page(&mut self) {
        let landscape = self.page().landscape;
        self.new_page(landscape);
        if let Some(head) = self.running_head.clone() {
            let top = self.page().margin_top() - 22.0;
            self.text_at(MARGIN_X, top, 8.5, Role::Body, &head, GREY);
        }
    }

    /// Converts a distance from the top into PDF's from-the-bottom coordinate.
    pub(crate) fn y_at(&self, y: f32) -> f32 {
        self.page().height() - y
    }

    pub(crate) fn push(&mut self, item: Item) {
        if let Some(page) = self.pages.last_mut() {
            page.items.push(item);
        }
    }

    /// Text with its top at `top` (from the page top), left edge at `x`.
    pub(crate) fn text_at(
        &mut self,
        x: f32,
        top: f32,
        size: f32,
        role: Role,
        text: &str,
        color: Rgb,
    ) {
        // Note missing characters now; drawing resolves the runs.
        self.fonts.note_missing(role, text, &mut self.missing);
        let baseline = self.y_at(top + size * 0.88);
        self.push(Item::Text {
            x,
            y: baseline,
            size,
            role,
            text: text.to_string(),
            color,
            spacing: 0.0,
        });
    }

    /// A heading; levels 1–3. Kept with at least three lines of what follows.
    pub(crate) fn heading(&mut self, level: u8, text: &str, outline: bool) {
        let size = match level {
            1 => 16.0,
            2 => 13.5,
            _ => 12.0,
        };
        let lines = self.fonts.wrap(Role::Heading, text, size, self.width());
        let h = lines.len() as f32 * size * 1.4 + size * 0.8;
        self.ensure(h + 3.0 * BODY_SIZE * LEADING);
        self.y += size * 0.4;
        if outline {
            self.outline.push(OutlineEntry {
                level,
                title: text.to_string(),
                page: self.pages.len() - 1,
                contents: true,
            });
        }
        for line in lines {
            let top = self.y;
            self.text_at(MARGIN_X, top, size, Role::Heading, line, BLACK);
            self.y += size * 1.4;
        }
        self.y += size * 0.4;
    }

    /// A bookmark (not a contents line) to the current page.
    pub(crate) fn bookmark(&mut self, level: u8, title: &str) {
        self.outline.push(OutlineEntry {
            level,
            title: title.to_string(),
            page: self.pages.len() - 1,
            contents: false,
        });
    }

    /// A body paragraph with a two-character first-line indent, as Chinese official documents have.
    pub(crate) fn paragraph(&mut self, text: &str) {
        self.paragraph_styled(&format!("\u{3000}\u{3000}{text}"), BODY_SIZE, BLACK);
    }

    /// A paragraph at `size` (indent it with U+3000, one character each).
    pub(crate) fn paragraph_styled(&mut self, text: &str, size: f32, color: Rgb) {
        let lines = self.fonts.wrap(Role::Body, text, size, self.width());
        let lh = size * LEADING;
        for (i, line) in lines.iter().enumerate() {
            // Never leave a single line of a paragraph at a page's foot.
            let need = if i == 0 && lines.len() > 1 {
                2.0 * lh
            } else {
                lh
            };
            self.ensure(need);
            let top = self.y;
            if i + 1 < lines.len() {
                // Justified, as Chinese documents are: every line but the last fills the measure.
                self.justified_line(line, top, size, color);
            } else {
                self.text_at(MARGIN_X, top, size, Role::Body, line, color);
            }
            self.y += lh;
        }
        self.y += size * 0.5;
    }

    /// Draws `line` spread to the measure. The slack goes between Chinese characters only (digits,
    /// Latin words and numbers keep their natural spacing), as extra character spacing (`Tc`) on
    /// the Chinese stretches. A line that would need more than [`MAX_SPREAD`] of the font size per
    /// gap (one ending before a long number that could not break), or has no Chinese, is left as it
    /// is: wider gaps read as spaces, on paper and to text extraction.
    fn justified_line(&mut self, line: &str, top: f32, size: f32, color: Rgb) {
        let chunks = cjk_chunks(line);
        let cjk: usize = chunks
            .iter()
            .filter(|(_, c)| *c)
            .map(|(t, _)| t.chars().count())
            .sum();
        let slack = self.width() - self.fonts.width(Role::Body, line, size);
        let gaps = cjk.saturating_sub(1);
        if gaps == 0 || slack <= 0.0 || slack / gaps as f32 > size * MAX_SPREAD {
            self.text_at(MARGIN_X, top, size, Role::Body, line, color);
            return;
        }
        let spacing = slack / gaps as f32;
        let mut x = MARGIN_X;
        for (text, is_cjk) in chunks {
            self.text_at(x, top, size, Role::Body, text, color);
            x += self.fonts.width(Role::Body, text, size);
            if is_cjk {
                if let Some(Item::Text { spacing: s, .. }) =
                    self.pages.last_mut().and_then(|p| p.items.last_mut())
                {
                    *s = spacing;
                }
                x += spacing * text.chars().count() as f32;
            }
        }
    }

    /// Vertical space.
    pub(crate) fn space(&mut self, h: f32) {
        self.y += h;
    }
}

#[cfg(test)]
mod tests {
    use super::cjk_chunks;

    /// Stretches of Chinese and of everything else, in order, pieces of the line that together
    /// are the whole line.
    #[test]
    fn a_line_is_cut_into_chinese_and_other_stretches() {
        assert_eq!(
            cjk_chunks("甲乙abc丙，d “引”…1"),
            vec![
                ("甲乙", true),
                ("abc", false),
                ("丙，", true),
                ("d ", false),
                ("“引”…", true),
                ("1", false)
            ]
        );
        assert_eq!(cjk_chunks("a"), vec![("a", false)]);
        assert!(cjk_chunks("").is_empty());
    }
}
