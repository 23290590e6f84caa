//! 汇总: the cover lines, the corpus figures, the grade distribution and the score histogram, each
//! as computed values (no formulas), with a pie chart of the grades and a column chart of the
//! histogram.

use rust_xlsxwriter::{Chart, ChartDataLabel, Format, Workbook, Worksheet, XlsxError};

use super::Cx;
use super::style::{GRADE_COLOURS, WIDTH_CAP, column_width, display_width, print_setup};
use super::table::{Cell, clip, write_cell};

/// Where the charts start: column H, right of the tables.
const CHART_COL: u16 = 7;
/// Columns A–F hold the tables.
const COLUMNS: usize = 6;

/// The summary sheet, writing rows top to bottom and measuring the table columns as it goes.
pub(super) fn write(book: &mut Workbook, cx: &mut Cx) -> Result<(), XlsxError> {
    let p = cx.packet;
    let name = cx.sheet_name(cx.s("sheet.summary"), 1);
    let sheet = book.add_worksheet();
    sheet.set_name(&name)?;
    let mut w = Writer {
        sheet,
        cx,
        row: 0,
        widths: [0; COLUMNS],
    };

    for (i, line) in cover(cx).iter().enumerate() {
        let format = if i == 0 {
            &cx.formats.title
        } else {
            &cx.formats.heading
        };
        w.sheet
            .write_string_with_format(w.row, 0, clip(line), format)?;
        w.row += 1;
    }
    let cover_rows = w.row.max(1);
    w.sheet.set_freeze_panes(cover_rows, 0)?;
    print_setup(w.sheet, cx, Some((0, cover_rows - 1)), None)?;
    w.row = cover_rows + 1;

    let s = &p.summary;
    w.header(&["column.item", "column.value_column"])?;
    let figures: [(&str, Cell, &Format); 11] = [
        ("summary.documents", s.documents.into(), &cx.formats.int),
        ("summary.projects", s.projects.into(), &cx.formats.int),
        (
            "summary.department_overall",
            s.department_overall.into(),
            &cx.formats.int,
        ),
        ("summary.departments", s.departments.into(), &cx.formats.int),
        ("summary.funds", s.funds.into(), &cx.formats.amount),
        ("summary.mean", s.mean.into(), &cx.formats.score),
        (
            "summary.weighted_mean",
            s.weighted_mean.into(),
            &cx.formats.score,
        ),
        ("summary.min", s.min.into(), &cx.formats.score),
        ("summary.max", s.max.into(), &cx.formats.score),
        ("summary.findings", s.findings.into(), &cx.formats.int),
        ("summary.deductions", s.deductions.into(), &cx.formats.int),
    ];
    for (key, value, format) in figures {
        w.row(vec![(cx.s(key).into(), &cx.formats.text), (value, format)])?;
    }
    w.sheet
        .write_string(w.row, 0, clip(cx.s("packet.unit_note")))?;
    w.row += 2;

    let grades_title = cx.s("heading.chart_grades");
    w.sheet
        .write_string_with_format(w.row, 0, clip(grades_title), &cx.formats.heading)?;
    w.row += 1;
    w.header(&[
        "column.grade",
        "column.count",
        "column.count_share",
        "column.funds",
        "column.funds_share",
        "column.consequence",
    ])?;
    let grades_first = w.row;
    for g in &s.grades {
        let f = &cx.formats;
        w.row(vec![
            (g.grade.as_str().into(), &f.text),
            (g.count.into(), &f.int),
            (g.count_share.into(), &f.score),
            (g.funds.into(), &f.amount),
            (g.funds_share.into(), &f.score),
            (super::consequence(cx.packet, &g.grade).into(), &f.text),
        ])?;
    }
    let grades_last = w.row - 1;
    w.row += 1;

    let histogram_title = cx.s("heading.chart_histogram");
    w.sheet
        .write_string_with_format(w.row, 0, clip(histogram_title), &cx.formats.heading)?;
    w.row += 1;
    w.header(&["column.score", "column.count"])?;
    let bins_first = w.row;
    for b in &s.histogram {
        w.row(vec![
            (b.label.as_str().into(), &cx.formats.text),
            (b.count.into(), &cx.formats.int),
        ])?;
    }
    let bins_last = w.row - 1;

    for (col, width) in (0u16..).zip(w.widths) {
        w.sheet
            .set_column_width(col, column_width(width, WIDTH_CAP))?;
    }
    let count = cx.s("column.count");
    if grades_first <= grades_last {
        let mut pie = Chart::new_pie();
        pie.title().set_name(grades_title);
        let colours: Vec<u32> = s
            .grades
            .iter()
            .map(|g| {
                GRADE_COLOURS
                    .iter()
                    .find(|(grade, ..)| *grade == g.grade)
                    .map_or(0xA5A5A5, |(.., chart)| *chart)
            })
            .collect();
        pie.add_series()
            .set_name(count)
            .set_categories((name.as_str(), grades_first, 0, grades_last, 0))
            .set_values((name.as_str(), grades_first, 1, grades_last, 1))
            .set_point_colors(&colours)
            .set_data_label(ChartDataLabel::new().show_value().show_category_name());
        w.sheet.insert_chart(cover_rows + 1, CHART_COL, &pie)?;
    }
    if bins_first <= bins_last {
        let mut bars = Chart::new_column();
        bars.title().set_name(histogram_title);
        bars.legend().set_hidden();
        bars.add_series()
            .set_name(count)
            .set_categories((name.as_str(), bins_first, 0, bins_last, 0))
            .set_values((name.as_str(), bins_first, 1, bins_last, 1))
            .set_data_label(ChartDataLabel::new().show_value());
        w.sheet.insert_chart(cover_rows + 17, CHART_COL, &bars)?;
    }
    Ok(())
}

/// The cover lines (title, subtitle, issuer, date) from the prose; from the meta when the packet
/// has no prose.
fn cover(cx: &Cx) -> Vec<String> {
    let p = cx.packet;
    if !p.text.cover.is_empty() {
        return p.text.cover.clone();
    }
    let m = &p.meta;
    [
        format!("{} {}", m.year, m.title),
        m.department.clone().unwrap_or_default(),
        m.issuer.clone(),
        crate::format::date_zh(&m.as_of),
    ]
    .into_iter()
    .map(|l| l.trim().to_string())
    .filter(|l| !l.is_empty())
    .collect()
}

/// Writes rows downwards, widening columns A–F to what they hold.
struct Writer<'w, 'c, 'p> {
    sheet: &'w mut Worksheet,
    cx: &'c Cx<'p>,
    row: u32,
    widths: [usize; COLUMNS],
}

impl Writer<'_, '_, '_> {
    fn header(&mut self, keys: &[&str]) -> Result<(), XlsxError> {
        let header = &self.cx.formats.header;
        let cells = keys
            .iter()
            .map(|k| (Cell::Owned(self.cx.text(k)), header))
            .collect();
        self.row(cells)
    }

    fn row(&mut self, cells: Vec<(Cell, &Format)>) -> Result<(), XlsxError> {
        for ((col, (cell, format)), width) in (0u16..).zip(cells).zip(&mut self.widths) {
            let w = match &cell {
                Cell::Text(s) => display_width(s),
                Cell::Owned(s) => display_width(s),
                Cell::Num(x) => crate::format::wan(*x).len(),
                Cell::Empty => 0,
            };
            *width = (*width).max(w);
            write_cell(self.sheet, self.row, col, cell, format)?;
        }
        self.row += 1;
        Ok(())
    }
}
