//! Vector charts drawn with rectangles, lines and text, each with its axes as a printed report needs
//! them: vertical bars (grade distribution, histogram) over a value axis with gridlines, horizontal
//! bars on a 0–100 scale with the grade bands as dashed reference lines (department means, continued
//! under a `（续）` title when they go on to the next page), and a Pareto chart (counts on the left
//! axis, the cumulative share on a right-hand % axis, each bar named). Axes are scaled by
//! [`crate::axis::axis`], as the HTML charts are.

use super::doc::{BLACK, Doc, GREY, Item, MARGIN_X, RULE, Rgb};
use super::fonts::Role;
use crate::axis::axis;
use crate::format::{num, score};

pub(crate) const BAR: Rgb = Rgb(0.24, 0.42, 0.66);
pub(crate) const LINE: Rgb = Rgb(0.80, 0.33, 0.10);
const GRID: Rgb = Rgb(0.85, 0.85, 0.85);

/// One series of labelled values.
pub(crate) struct Bars {
    pub title: String,
    /// What the value axis counts (`项目数`), printed above it.
    pub unit: String,
    pub labels: Vec<String>,
    /// A second label under each bar (a rule's name); may be empty.
    pub names: Vec<String>,
    pub values: Vec<f64>,
    /// Printed after each bar's value in brackets (`40.00%`); may be empty.
    pub notes: Vec<String>,
    /// One colour per bar; `BAR` when empty.
    pub colors: Vec<Rgb>,
}

/// A reference line of the 0–100 chart: a grade band's lower bound.
pub(crate) struct Mark {
    pub value: f64,
    pub label: String,
    pub color: Rgb,
}

const SIZE: f32 = 8.0;
const SMALL: f32 = 7.0;
/// Room left of the plot for the value axis' labels.
const AXIS_W: f32 = 30.0;

/// A vertical plot's frame: left edge, width, top and baseline (distances from the page top).
struct Frame {
    x0: f32,
    width: f32,
    top: f32,
    base: f32,
}

impl Frame {
    fn height(&self) -> f32 {
        self.base - self.top
    }
}

impl Doc<'_> {
    fn chart_title(&mut self, title: &str) {
        let top = self.y;
        self.text_at(MARGIN_X, top, 10.5, Role::Heading, title, BLACK);
        self.y += 18.0;
    }

    fn line(&mut self, (x1, y1): (f32, f32), (x2, y2): (f32, f32), width: f32, color: Rgb) {
        self.push(Item::Line {
            x1,
            y1,
            x2,
            y2,
            width,
            color,
            dashed: false,
        });
    }

    /// Text centred on `cx`.
    fn centred(&mut self, cx: f32, top: f32, size: f32, text: &str, color: Rgb) {
        let w = self.fonts.width(Role::Body, text, size);
        self.text_at(cx - w / 2.0, top, size, Role::Body, text, color);
    }

    /// Gridlines and labels of the left value axis (0 … `top_value` by `step`), the axis' caption
    /// above it, the axis line and the baseline.
    fn value_axis(&mut self, f: &Frame, top_value: f64, step: f64, unit: &str) {
        let mut v = 0.0;
        while v <= top_value + 1e-9 {
            let top = f.base - (v / top_value) as f32 * f.height();
            let y = self.y_at(top);
            if v > 0.0 {
                self.line((f.x0, y), (f.x0 + f.width, y), 0.4, GRID);
            }
            let label = num(v);
            let w = self.fonts.width(Role::Body, &label, SMALL);
            self.text_at(
                f.x0 - 4.0 - w,
                top - SMALL / 2.0,
                SMALL,
                Role::Body,
                &label,
                GREY,
            );
            v += step;
        }
        if !unit.is_empty() {
            self.text_at(MARGIN_X, f.top - 14.0, SMALL, Role::Body, unit, GREY);
        }
        let (top_y, base_y) = (self.y_at(f.top), self.y_at(f.base));
        self.line((f.x0, top_y), (f.x0, base_y), 0.6, RULE);
        self.line((f.x0, base_y), (f.x0 + f.width, base_y), 0.6, RULE);
    }

    /// Bars over `frame`, each with its value (and note) above it and its label and name under it.
    /// Returns the height the labels under the baseline take.
    fn columns(&mut self, f: &Frame, b: &Bars, top_value: f64, bar_max: f32) -> f32 {
        let n = b.values.len().max(1) as f32;
        let slot = f.width / n;
        let bar_w = (slot * 0.6).min(bar_max);
        let base_y = self.y_at(f.base);
        let mut under = SIZE + 4.0;
        for (i, value) in b.values.iter().enumerate() {
            let h = (value / top_value) as f32 * f.height();
            let cx = f.x0 + slot * (i as f32 + 0.5);
            let color = b.colors.get(i).copied().unwrap_or(BAR);
            self.push(Item::Rect {
                x: cx - bar_w / 2.0,
                y: base_y,
                w: bar_w,
                h,
                fill: Some(color),
                stroke: None,
            });
            let v = match b.notes.get(i).filter(|n| !n.is_empty()) {
                Some(note) => format!("{}（{note}）", num(*value)),
                None => num(*value),
            };
            self.centred(cx, f.base - h - SIZE - 3.0, SIZE, &v, BLACK);
            if let Some(label) = b.labels.get(i) {
                self.centred(cx, f.base + 3.0, SIZE, label, BLACK);
            }
            if let Some(name) = b.names.get(i).filter(|n| !n.is_empty()) {
                let lines = self.fonts.wrap(Role::Body, name, SMALL, slot - 2.0);
                let mut top = f.base + 4.0 + SIZE + 1.0;
                for line in lines.iter().take(3) {
                    self.centred(cx, top, SMALL, line, GREY);
                    top += SMALL + 1.5;
                }
                under = under.max(top - f.base);
            }
        }
        under
    }

    /// Vertical bars over a value axis with gridlines, the value above each bar, the label under it.
    pub(crate) fn bar_chart(&mut self, b: &Bars, plot_h: f32) {
        self.ensure(plot_h + 70.0);
        self.chart_title(&b.title);
        let top = self.y + 14.0;
        let frame = Frame {
            x0: MARGIN_X + AXIS_W,
            width: (self.width() - AXIS_W).min(420.0),
            top,
            base: top + plot_h,
        };
        let (top_value, step) = axis(b.values.iter().copied().fold(0.0, f64::max));
        self.value_axis(&frame, top_value, step, &b.unit);
        let under = self.columns(&frame, b, top_value, 48.0);
        self.y = frame.base + under + 12.0;
    }

    /// Pareto chart: bars of counts in descending order on the left axis, each named under it, and
    /// the cumulative share (0–100 %) as a line on a right-hand axis.
    pub(crate) fn pareto_chart(&mut self, b: &Bars, cumulative: &[f64], plot_h: f32) {
        self.ensure(plot_h + 90.0);
        self.chart_title(&b.title);
        let top = self.y + 14.0;
        let frame = Frame {
            x0: MARGIN_X + AXIS_W,
            width: self.width() - 2.0 * AXIS_W,
            top,
            base: top + plot_h,
        };
        let (top_value, step) = axis(b.values.iter().copied().fold(0.0, f64::max));
        self.value_axis(&frame, top_value, step, &b.unit);
        let right = frame.x0 + frame.width;
        let (top_y, base_y) = (self.y_at(frame.top), self.y_at(frame.base));
        self.line((right, top_y), (right, base_y), 0.6, RULE);
        for k in 0..=4 {
            let top = frame.base - k as f32 * 0.25 * frame.height();
            let label = format!("{}%", k * 25);
            self.text_at(
                right + 4.0,
                top - SMALL / 2.0,
                SMALL,
                Role::Body,
                &label,
                LINE,
            );
        }
        let under = self.columns(&frame, b, top_value, 36.0);
        let slot = frame.width / b.values.len().max(1) as f32;
        let mut previous: Option<(f32, f32)> = None;
        for (i, share) in cumulative.iter().enumerate().take(b.values.len()) {
            let cx = frame.x0 + slot * (i as f32 + 0.5);
            let py = base_y + (share.clamp(0.0, 100.0) / 100.0) as f32 * frame.height();
            if let Some(p) = previous {
                self.line(p, (cx, py), 1.2, LINE);
            }
            self.push(Item::Rect {
                x: cx - 1.5,
                y: py - 1.5,
                w: 3.0,
                h: 3.0,
                fill: Some(LINE),
                stroke: None,
            });
            previous = Some((cx, py));
        }
        self.y = frame.base + under + 12.0;
    }

    /// Horizontal bars on a 0–100 scale, one row per label (department means), with gridlines every
    /// 20, the scale under the rows and `marks` as dashed reference lines. Rows that do not fit go on
    /// to the next page under the title with `（续）`, with the scale and marks again.
    pub(crate) fn hbar_chart(&mut self, b: &Bars, marks: &[Mark]) {
        const ROW: f32 = 14.0;
        const SCALE_H: f32 = 14.0;
        let n = b.values.len();
        let mut i = 0;
        while i < n {
            // At least eight rows (or all) under the title, else the chart starts on the next page.
            self.ensure(ROW * (n - i).min(8) as f32 + 30.0 + 12.0 + SCALE_H + 10.0);
            let title = if i == 0 {
                b.title.clone()
            } else {
                format!("{}（续）", b.title)
            };
            self.chart_title(&title);
            let marks_top = self.y;
            self.y += 12.0;
            let fit = ((self.room() - SCALE_H - 10.0) / ROW).floor().max(1.0) as usize;
            let take = fit.min(n - i);
            self.hbar_segment(b, marks, i..i + take, marks_top, ROW);
            self.y += SCALE_H;
            i += take;
            if i < n {
                self.continue_page();
            }
        }
        self.y += 10.0;
    }

    /// One page's part of [`Doc::hbar_chart`]: rows `rows` from the cursor down.
    fn hbar_segment(
        &mut self,
        b: &Bars,
        marks: &[Mark],
        rows: std::ops::Range<usize>,
        marks_top: f32,
        row: f32,
    ) {
        let label_w = self.width() * 0.42;
        let x0 = MARGIN_X + label_w;
        let plot_w = self.width() - label_w - 40.0;
        let at = |v: f64| x0 + (v.clamp(0.0, 100.0) / 100.0) as f32 * plot_w;
        let (top, bottom) = (self.y, self.y + row * rows.len() as f32);
        let (top_y, bottom_y) = (self.y_at(top), self.y_at(bottom));
        for k in 0..=5 {
            let v = k as f64 * 20.0;
            let (x, color) = (at(v), if k == 0 { RULE } else { GRID });
            self.line(
                (x, top_y),
                (x, bottom_y),
                if k == 0 { 0.6 } else { 0.4 },
                color,
            );
            self.centred(x, bottom + 3.0, SMALL, &num(v), GREY);
        }
        self.line((x0, bottom_y), (at(100.0), bottom_y), 0.6, RULE);
        for i in rows {
            let (Some(label), Some(value)) = (b.labels.get(i), b.values.get(i)) else {
                continue;
            };
            let top = self.y;
            let label = fit(self, label, label_w - 6.0);
            self.text_at(MARGIN_X, top + 2.0, SIZE, Role::Body, &label, BLACK);
            let w = at(*value) - x0;
            let color = b.colors.get(i).copied().unwrap_or(BAR);
            let y = self.y_at(top + row - 2.0);
            self.push(Item::Rect {
                x: x0,
                y,
                w: w.max(0.5),
                h: row - 4.0,
                fill: Some(color),
                stroke: None,
            });
            let v = score(*value);
            self.text_at(x0 + w + 3.0, top + 2.0, SIZE, Role::Body, &v, GREY);
            self.y += row;
        }
        // Over the bars, as in the HTML chart.
        for m in marks {
            let x = at(m.value);
            self.push(Item::Line {
                x1: x,
                y1: self.y_at(marks_top + 10.0),
                x2: x,
                y2: bottom_y,
                width: 0.8,
                color: m.color,
                dashed: true,
            });
            let label = format!("{} {}", m.label, num(m.value));
            self.centred(x, marks_top, SMALL, &label, m.color);
        }
    }
}

/// `text` cut with `…` to fit `max` pt at the chart size.
fn fit(doc: &Doc<'_>, text: &str, max: f32) -> String {
    if doc.fonts.width(Role::Body, text, SIZE) <= max {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        out.push(c);
        if doc.fonts.width(Role::Body, &format!("{out}…"), SIZE) > max {
            out.pop();
            break;
        }
    }
    format!("{out}…")
}
