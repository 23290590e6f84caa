//! Chart geometry for the HTML packet: numbers only (positions, sizes, tick values). The templates
//! draw the SVG elements from them, so every label taken from a document goes through the
//! template's autoescape like any other text.

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::axis::axis;
use crate::format::num;
use crate::packet::PacketContext;

/// The four charts of the page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Charts {
    /// Projects per grade (优 良 中 差).
    pub grades: Columns,
    /// Projects per score bin.
    pub histogram: Columns,
    /// Failures per rule in Pareto order, with the cumulative share as a line.
    pub pareto: Columns,
    /// Mean score per department, highest first.
    pub means: Rows,
}

/// A vertical bar chart. Coordinates are in the SVG's user units (`viewBox="0 0 width height"`).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Columns {
    pub width: f64,
    pub height: f64,
    /// The plot area: left and right edges, top, and the baseline.
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    /// Value axis (left): gridline `at` (a y) and its label.
    pub ticks: Vec<Tick>,
    pub bars: Vec<Column>,
    /// The cumulative line of the Pareto chart.
    pub line: Option<Line>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Column {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    /// Horizontal centre (for the labels).
    pub cx: f64,
    pub value: f64,
    /// Under the bar (a grade, a bin, a rule id).
    pub label: String,
    /// The tooltip (`<title>`): the rule's title for Pareto bars, else the label.
    pub title: String,
    /// `优` … `差` for grade bars (the colour), else empty.
    pub grade: String,
    /// A second, smaller value label (the share of projects for grade bars), may be empty.
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Tick {
    pub at: f64,
    pub label: String,
}

/// The Pareto chart's cumulative share: a polyline over the bar centres and a right-hand axis.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Line {
    /// `x,y x,y …` for `<polyline points>`.
    pub points: String,
    pub dots: Vec<Dot>,
    pub ticks: Vec<Tick>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Dot {
    pub x: f64,
    pub y: f64,
    pub value: f64,
}

/// A horizontal bar chart on a 0–100 scale, one row per department.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Rows {
    pub width: f64,
    pub height: f64,
    /// Where bars start (labels end a little before it) and where 100 is.
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    pub rows: Vec<Row>,
    /// Scale (0, 20 … 100): `at` is an x.
    pub ticks: Vec<Tick>,
    /// The grade bands as vertical reference lines.
    pub marks: Vec<Mark>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Row {
    pub y: f64,
    pub h: f64,
    pub w: f64,
    /// Vertical centre (for the labels).
    pub cy: f64,
    pub value: f64,
    /// The name, shortened with `…` when it would not fit the label column.
    pub label: String,
    /// The full name.
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Mark {
    pub x: f64,
    pub value: f64,
    /// The grade a score at or above the mark gets.
    pub grade: String,
}

const GRADES: [&str; 4] = ["优", "良", "中", "差"];

/// Coordinates to one decimal: enough on screen, and the page stays small and stable.
fn r1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

struct Bar {
    value: f64,
    label: String,
    title: String,
    grade: String,
    note: String,
}

fn columns(bars: Vec<Bar>, line: Option<&[f64]>) -> Columns {
    let n = bars.len().max(1) as f64;
    // A plot about 440 units wide (two charts side by side at their natural size), wider when
    // there are many bars.
    let slot = (440.0 / n).max(40.0);
    let (left, top) = (44.0, 22.0);
    let right = left + slot * n;
    let bottom = top + 180.0;
    let width = right + if line.is_some() { 48.0 } else { 16.0 };
    let height = bottom + 30.0;
    let max = bars.iter().map(|b| b.value).fold(0.0, f64::max);
    let (top_value, step) = axis(max);
    let scale = (bottom - top) / top_value;
    let mut ticks = Vec::new();
    let mut v = 0.0;
    while v <= top_value + 1e-9 {
        ticks.push(Tick {
            at: r1(bottom - v * scale),
            label: num(v),
        });
        v += step;
    }
    let w = (slot * 0.62).min(64.0);
    let columns: Vec<Column> = bars
        .into_iter()
        .enumerate()
        .map(|(i, b)| {
            let cx = left + slot * (i as f64 + 0.5);
            let h = b.value * scale;
            Column {
                x: r1(cx - w / 2.0),
                y: r1(bottom - h),
                w: r1(w),
                h: r1(h),
                cx: r1(cx),
                value: b.value,
                label: b.label,
                title: b.title,
                grade: b.grade,
                note: b.note,
            }
        })
        .collect();
    let line = line.map(|shares| {
        let dots: Vec<Dot> = shares
            .iter()
            .zip(&columns)
            .map(|(s, c)| Dot {
                x: c.cx,
                y: r1(bottom - s.clamp(0.0, 100.0) / 100.0 * (bottom - top)),
                value: *s,
            })
            .collect();
        Line {
            points: dots
                .iter()
                .map(|d| format!("{},{}", d.x, d.y))
                .collect::<Vec<_>>()
                .join(" "),
            dots,
            ticks: (0..=4)
                .map(|k| Tick {
                    at: r1(bottom - k as f64 * 0.25 * (bottom - top)),
                    label: format!("{}%", k * 25),
                })
                .collect(),
        }
    });
    Columns {
        width: r1(width),
        height: r1(height),
        left,
        right: r1(right),
        top,
        bottom: r1(bottom),
        ticks,
        bars: columns,
        line,
    }
}

/// Pixels a label takes at 13px (a CJK character is two columns, about one em).
fn label_px(s: &str) -> f64 {
    s.width() as f64 * 6.5
}

/// `s`, shortened with `…` to at most `px`.
fn fit(s: &str, px: f64) -> String {
    if label_px(s) <= px {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        let next = format!("{out}{c}");
        if label_px(&next) + 13.0 > px {
            break;
        }
        out = next;
    }
    out.push('…');
    out
}

fn means(packet: &PacketContext) -> Rows {
    const MAX_LABEL: f64 = 260.0;
    // Highest mean first (`chart_departments`' order).
    let departments: Vec<(usize, &crate::packet::DepartmentRow)> = packet
        .chart_departments()
        .into_iter()
        .map(|i| (i, &packet.departments[i]))
        .collect();
    let label_width = departments
        .iter()
        .map(|(_, d)| label_px(&d.name))
        .fold(40.0, f64::max)
        .min(MAX_LABEL);
    let left = r1(label_width + 16.0);
    let width = 760.0;
    let right = width - 48.0;
    let top = 26.0;
    let pitch = 24.0;
    let bottom = top + pitch * departments.len() as f64;
    let scale = (right - left) / 100.0;
    let rows = departments
        .iter()
        .enumerate()
        .map(|(i, (_, d))| {
            let y = top + pitch * i as f64 + 5.0;
            Row {
                y: r1(y),
                h: 14.0,
                w: r1(d.mean.clamp(0.0, 100.0) * scale),
                cy: r1(y + 7.0),
                value: d.mean,
                label: fit(&d.name, label_width),
                title: d.name.clone(),
            }
        })
        .collect();
    let ticks = (0..=5)
        .map(|k| Tick {
            at: r1(left + k as f64 * 20.0 * scale),
            label: (k * 20).to_string(),
        })
        .collect();
    let marks = packet
        .bands
        .iter()
        .zip(GRADES)
        .filter(|(b, _)| (0.0..=100.0).contains(*b))
        .map(|(b, g)| Mark {
            x: r1(left + b * scale),
            value: *b,
            grade: g.to_string(),
        })
        .collect();
    Rows {
        width,
        height: r1(bottom + 26.0),
        left,
        right,
        top,
        bottom: r1(bottom),
        rows,
        ticks,
        marks,
    }
}

impl Charts {
    pub(crate) fn build(packet: &PacketContext) -> Charts {
        let grades = packet
            .summary
            .grades
            .iter()
            .map(|g| Bar {
                value: g.count as f64,
                label: g.grade.clone(),
                title: g.grade.clone(),
                grade: g.grade.clone(),
                note: format!("{}%", crate::format::score(g.count_share)),
            })
            .collect();
        let histogram = packet
            .summary
            .histogram
            .iter()
            .map(|b| Bar {
                value: b.count as f64,
                label: b.label.clone(),
                title: b.label.clone(),
                grade: String::new(),
                note: String::new(),
            })
            .collect();
        let rules: Vec<_> = packet
            .pareto
            .iter()
            .filter_map(|i| packet.checks.get(*i))
            .collect();
        let pareto = rules
            .iter()
            .map(|c| Bar {
                value: c.failures as f64,
                label: c.id.clone(),
                title: format!("{} {}", c.id, c.title),
                grade: String::new(),
                note: String::new(),
            })
            .collect();
        let shares: Vec<f64> = rules.iter().map(|c| c.cumulative_share).collect();
        Charts {
            grades: columns(grades, None),
            histogram: columns(histogram, None),
            pareto: columns(pareto, Some(&shares)),
            means: means(packet),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_labels_are_shortened() {
        assert_eq!(fit("民政局", 100.0), "民政局");
        let short = fit("一个名字非常非常非常长的部门单位名称", 100.0);
        assert!(short.ends_with('…') && label_px(&short) <= 100.0, "{short}");
    }

    #[test]
    fn sample_charts_fit_their_boxes() {
        let packet = crate::packet::tests::sample_packet();
        let c = Charts::build(&packet);
        for chart in [&c.grades, &c.histogram, &c.pareto] {
            for b in &chart.bars {
                assert!(b.y >= chart.top - 0.1 && b.y + b.h <= chart.bottom + 0.1);
                assert!(b.x >= chart.left && b.x + b.w <= chart.right);
            }
        }
        let total: f64 = c.grades.bars.iter().map(|b| b.value).sum();
        assert_eq!(total, 25.0);
        assert_eq!(c.pareto.bars.len(), packet.pareto.len());
        let line = c.pareto.line.as_ref().expect("pareto line");
        assert_eq!(line.dots.len(), packet.pareto.len());
        assert!(
            line.dots
                .last()
                .is_some_and(|d| (d.value - 100.0).abs() < 0.01)
        );
        assert!(c.means.rows.windows(2).all(|w| w[0].value >= w[1].value));
        for r in &c.means.rows {
            assert!(c.means.left + r.w <= c.means.right + 0.1);
        }
    }
}
