//! Vector charts drawn with rectangles, lines and text: vertical bars (grade distribution,
//! histogram), horizontal bars (department means), and a Pareto chart (bars plus the cumulative
//! share line).

use super::doc::{BLACK, Doc, GREY, Item, MARGIN_X, RULE, Rgb};
use super::fonts::Role;
use crate::format::num;

pub(crate) const BAR: Rgb = Rgb(0.24, 0.42, 0.66);
pub(crate) const LINE: Rgb = Rgb(0.80, 0.33, 0.10);

/// One series of labelled values.
pub(crate) struct Bars {
    pub title: String,
    pub labels: Vec<String>,
    pub values: Vec<f64>,
    /// One colour per bar; `BAR` when empty.
    pub colors: Vec<Rgb>,
    /// The axis maximum; the largest value when `None`.
    pub max: Option<f64>,
}

const SIZE: f32 = 8.0;

impl Doc<'_> {
    fn chart_title(&mut self, title: &str) {
        let top = self.y;
        self.text_at(MARGIN_X, top, 10.5, Role::Heading, title, BLACK);
        self.y += 18.0;
    }

    fn axis_max(b: &Bars) -> f64 {
        b.max
            .unwrap_or_else(|| b.values.iter().copied().fold(0.0, f64::max))
            .max(1e-9)
    }

    /// Vertical bars with the value above each bar and the label below.
    pub(crate) fn bar_chart(&mut self, b: &Bars, plot_h: f32) {
        self.ensure(plot_h + 60.0);
        self.chart_title(&b.title);
        let width = self.width().min(420.0);
        let n = b.values.len().max(1) as f32;
        let slot = width / n;
        let bar_w = (slot * 0.6).min(48.0);
        let base = self.y + plot_h + 12.0;
        let max = Self::axis_max(b);
        let base_y = self.y_at(base);
        self.push(Item::Line {
            x1: MARGIN_X,
            y1: base_y,
            x2: MARGIN_X + width,
            y2: base_y,
            width: 0.6,
            color: RULE,
        });
        for (i, (label, value)) in b.labels.iter().zip(&b.values).enumerate() {
            let h = (plot_h as f64 * value / max) as f32;
            let x = MARGIN_X + slot * i as f32 + (slot - bar_w) / 2.0;
            let color = b.colors.get(i).copied().unwrap_or(BAR);
            self.push(Item::Rect {
                x,
                y: base_y,
                w: bar_w,
                h,
                fill: Some(color),
                stroke: None,
            });
            let v = num(*value);
            let vw = self.fonts.width(Role::Body, &v, SIZE);
            self.text_at(
                x + (bar_w - vw) / 2.0,
                base - h - SIZE - 3.0,
                SIZE,
                Role::Body,
                &v,
                BLACK,
            );
            let lw = self.fonts.width(Role::Body, label, SIZE);
            self.text_at(
                x + (bar_w - lw) / 2.0,
                base + 3.0,
                SIZE,
                Role::Body,
                label,
                BLACK,
            );
        }
        self.y = base + SIZE + 16.0;
    }

    /// Horizontal bars, one line per label (department means); labels are cut to fit.
    pub(crate) fn hbar_chart(&mut self, b: &Bars) {
        let row = 14.0;
        self.ensure(row * 4.0 + 30.0);
        self.chart_title(&b.title);
        let label_w = self.width() * 0.42;
        let plot_w = self.width() - label_w - 40.0;
        let max = Self::axis_max(b);
        for (i, (label, value)) in b.labels.iter().zip(&b.values).enumerate() {
            self.ensure(row);
            let top = self.y;
            let label = fit(self, label, label_w - 6.0);
            self.text_at(MARGIN_X, top + 2.0, SIZE, Role::Body, &label, BLACK);
            let w = (plot_w as f64 * value / max) as f32;
            let color = b.colors.get(i).copied().unwrap_or(BAR);
            let y = self.y_at(top + row - 2.0);
            self.push(Item::Rect {
                x: MARGIN_X + label_w,
                y,
                w: w.max(0.5),
                h: row - 4.0,
                fill: Some(color),
                stroke: None,
            });
            let v = num(*value);
            self.text_at(
                MARGIN_X + label_w + w + 3.0,
                top + 2.0,
                SIZE,
                Role::Body,
                &v,
                GREY,
            );
            self.y += row;
        }
        self.y += 10.0;
    }

    /// Pareto chart: bars of counts in descending order and the cumulative share (0–100 %) as a line.
    pub(crate) fn pareto_chart(&mut self, b: &Bars, cumulative: &[f64], plot_h: f32) {
        self.ensure(plot_h + 60.0);
        self.chart_title(&b.title);
        let width = self.width();
        let n = b.values.len().max(1) as f32;
        let slot = width / n;
        let bar_w = (slot * 0.6).min(36.0);
        let base = self.y + plot_h + 12.0;
        let base_y = self.y_at(base);
        let max = Self::axis_max(b);
        self.push(Item::Line {
            x1: MARGIN_X,
            y1: base_y,
            x2: MARGIN_X + width,
            y2: base_y,
            width: 0.6,
            color: RULE,
        });
        let mut previous: Option<(f32, f32)> = None;
        for (i, (label, value)) in b.labels.iter().zip(&b.values).enumerate() {
            let h = (plot_h as f64 * value / max) as f32;
            let cx = MARGIN_X + slot * (i as f32 + 0.5);
            self.push(Item::Rect {
                x: cx - bar_w / 2.0,
                y: base_y,
                w: bar_w,
                h,
                fill: Some(BAR),
                stroke: None,
            });
            let v = num(*value);
            let vw = self.fonts.width(Role::Body, &v, SIZE);
            self.text_at(
                cx - vw / 2.0,
                base - h - SIZE - 3.0,
                SIZE,
                Role::Body,
                &v,
                BLACK,
            );
            let lw = self.fonts.width(Role::Body, label, SIZE);
            self.text_at(cx - lw / 2.0, base + 3.0, SIZE, Role::Body, label, BLACK);
            let share = cumulative.get(i).copied().unwrap_or(0.0);
            let py = base_y + (plot_h as f64 * share / 100.0) as f32;
            if let Some((px, pyy)) = previous {
                self.push(Item::Line {
                    x1: px,
                    y1: pyy,
                    x2: cx,
                    y2: py,
                    width: 1.2,
                    color: LINE,
                });
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
        self.y = base + SIZE + 16.0;
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
