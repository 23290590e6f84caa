//! The tabular sheets: 分部门, 项目得分, 扣分明细, 指标明细, 问题清单, 规则.

use rust_xlsxwriter::{Chart, ChartAxisCrossing, Workbook, Worksheet, XlsxError};

use super::Cx;
use super::replay::Replay;
use super::style::{GRADE_COLOURS, grade_colours};
use super::table::{self, Cell, Column, Kind, Measure, Options, Part};
use crate::packet::{PacketContext, ProjectRow};

/// One row per department, and a bar chart of the department means beside the first sheet.
pub(super) fn departments(book: &mut Workbook, cx: &mut Cx) -> Result<(), XlsxError> {
    let p = cx.packet;
    let mut columns = vec![
        Column::new(cx.s("column.index"), Kind::Int),
        Column::new(cx.s("column.department"), Kind::Text),
        Column::new(cx.s("column.department_code"), Kind::Text),
        Column::new(cx.s("column.projects"), Kind::Int),
        Column::new(cx.s("column.funds"), Kind::Amount),
        Column::new(cx.s("column.mean"), Kind::Score),
        Column::new(cx.s("column.weighted_mean"), Kind::Score),
        Column::new(cx.s("column.min"), Kind::Score),
    ];
    columns.extend(GRADE_COLOURS.map(|(grade, ..)| Column::new(grade, Kind::Int)));
    columns.push(Column::new(cx.s("column.top_problems"), Kind::Long));
    // A split run's workbook says where each department's packet is (the report lists only the
    // folders that are not the department's name, and at most `ANNEX_ROWS_IN_SUMMARY` of them).
    let folders = !p.department_links.is_empty();
    if folders {
        columns.push(Column::new(cx.s("column.folder"), Kind::Text));
    }
    let rows = || {
        p.departments.iter().enumerate().map(|(i, d)| {
            let mut row: Vec<Cell> = vec![
                (i + 1).into(),
                d.name.as_str().into(),
                d.code.as_deref().into(),
                d.projects.into(),
                d.funds.into(),
                d.mean.into(),
                d.weighted_mean.into(),
                d.min.into(),
            ];
            row.extend(d.grades.map(Cell::from));
            row.push(Cell::Owned(d.top_problems.join("；")));
            if folders {
                row.push(p.department_links.get(i).map(String::as_str).into());
            }
            row
        })
    };
    let chart_col = u16::try_from(columns.len() + 1).unwrap_or(u16::MAX);
    let title = cx.s("heading.chart_means");
    let series = cx.s("column.mean");
    let chart = |sheet: &mut Worksheet, part: &Part| -> Result<(), XlsxError> {
        if part.index != 1 || part.rows == 0 {
            return Ok(());
        }
        let mut chart = Chart::new_bar();
        chart.title().set_name(title);
        chart.legend().set_hidden();
        // In a bar chart the categories are the vertical axis (rust_xlsxwriter's y axis) and the
        // values the horizontal one (its x axis). Categories reversed, the first department is at
        // the top as in the table; crossing at the last category keeps the value axis at the foot,
        // so bars grow left to right from 0 to 100.
        chart
            .y_axis()
            .set_reverse()
            .set_crossing(ChartAxisCrossing::Max);
        chart.x_axis().set_min(0).set_max(100);
        chart
            .add_series()
            .set_name(series)
            .set_categories((part.name.as_str(), 1, 1, part.rows, 1))
            .set_values((part.name.as_str(), 1, 5, part.rows, 5));
        let height = (part.rows.min(60) * 22 + 120).max(300);
        chart.set_width(640).set_height(height);
        sheet.insert_chart(1, chart_col, &chart)?;
        Ok(())
    };
    let options = Options {
        large: false,
        decorate: Some(&chart),
    };
    let name = cx.s("sheet.departments");
    table::write(book, cx, name, &columns, rows, options)?;
    Ok(())
}

/// The tables of [`records`], as [`Replay`] tags their rows.
const PROJECTS: u8 = 0;
const DEDUCTIONS: u8 = 1;
const INDICATORS: u8 = 2;

/// The three tables with rows per record — 项目得分 (one row per record: its funds, the points of
/// every check, total, percent, grade coloured, the grade's consequence), 扣分明细 (every piece of
/// evidence that cost points) and 指标明细 (every indicator with its parsed reading) — measured in
/// one walk of the records and written in a second: a province's records are read back from disk
/// on every walk, and each table on its own would walk them twice. A streamed (constant-memory)
/// workbook keeps the first walk's cells on disk and writes those ([`Replay`]) instead of walking
/// the records again.
pub(super) fn records(book: &mut Workbook, cx: &mut Cx) -> Result<(), XlsxError> {
    let p = cx.packet;
    let (projects, grade_col) = project_columns(cx);
    let (deductions, indicators) = (deduction_columns(cx), indicator_columns(cx));
    let mut measures = [
        Measure::new(&projects),
        Measure::new(&deductions),
        Measure::new(&indicators),
    ];
    let mut replay = if cx.options.constant_memory {
        Some(Replay::new().map_err(XlsxError::IoError)?)
    } else {
        None
    };
    let mut kept = Ok(());
    let mut keep = |table: u8, cells: &[Cell<'_>]| {
        if let (Some(replay), Ok(())) = (replay.as_mut(), &kept) {
            kept = replay.push(table, cells);
        }
    };
    let mut i = 0usize;
    cx.rows.each(&mut |r| {
        i += 1;
        let [projects, deductions, indicators] = &mut measures;
        let cells = project_cells(p, i, r);
        projects.add(&cells);
        keep(PROJECTS, &cells);
        deduction_cells(i, r, &mut |cells| {
            deductions.add(&cells);
            keep(DEDUCTIONS, &cells);
        });
        indicator_cells(i, r, &mut |cells| {
            indicators.add(&cells);
            keep(INDICATORS, &cells);
        });
    });
    kept.map_err(XlsxError::IoError)?;
    let [measured_projects, measured_deductions, measured_indicators] =
        measures.map(Measure::finish);

    let colour = |sheet: &mut Worksheet, part: &Part| grade_colours(sheet, 1, part.rows, grade_col);
    let large = |decorate| Options {
        large: true,
        decorate,
    };
    let names = [
        cx.s("sheet.projects"),
        cx.s("sheet.deductions"),
        cx.s("sheet.indicators"),
    ];
    let colour_grades: Option<table::Decorate> = Some(&colour);
    let (_, mut project_sheets) = table::add_sheets(
        book,
        cx,
        names[0],
        &projects,
        large(colour_grades),
        measured_projects,
    )?;
    let (_, mut deduction_sheets) = table::add_sheets(
        book,
        cx,
        names[1],
        &deductions,
        large(None),
        measured_deductions,
    )?;
    let (_, mut indicator_sheets) = table::add_sheets(
        book,
        cx,
        names[2],
        &indicators,
        large(None),
        measured_indicators,
    )?;
    match replay {
        Some(replay) => replay
            .replay(|table, cells| match table {
                PROJECTS => project_sheets.write_row(book, cells),
                DEDUCTIONS => deduction_sheets.write_row(book, cells),
                _ => indicator_sheets.write_row(book, cells),
            })
            .map_err(XlsxError::IoError)?,
        None => {
            let mut i = 0usize;
            cx.rows.each(&mut |r| {
                i += 1;
                project_sheets.write_row(book, project_cells(p, i, r));
                deduction_cells(i, r, &mut |cells| deduction_sheets.write_row(book, cells));
                indicator_cells(i, r, &mut |cells| indicator_sheets.write_row(book, cells));
            });
        }
    }
    project_sheets.finish(book)?;
    deduction_sheets.finish(book)?;
    indicator_sheets.finish(book)
}

/// The columns of 项目得分, and the grade's column (0-based).
fn project_columns(cx: &Cx) -> (Vec<Column>, u16) {
    let p = cx.packet;
    let mut columns = vec![
        Column::new(cx.s("column.index"), Kind::Int),
        Column::new(cx.s("column.department"), Kind::Text),
        Column::new(cx.s("column.project"), Kind::Text),
        Column::new(cx.s("column.project_code"), Kind::Text),
        Column::new(cx.s("column.kind"), Kind::Text),
        Column::new(cx.s("column.funds"), Kind::Amount),
    ];
    columns.extend(
        p.checks
            .iter()
            .map(|c| Column::new(format!("{} {}", c.id, c.title).trim(), Kind::Score)),
    );
    let grade_col = u16::try_from(columns.len() + 2).unwrap_or(u16::MAX);
    columns.extend([
        Column::new(cx.s("column.score"), Kind::Score),
        Column::new(cx.s("column.percent"), Kind::Score),
        Column::new(cx.s("column.grade"), Kind::Text),
        Column::new(cx.s("column.consequence"), Kind::Text),
    ]);
    (columns, grade_col)
}

/// The cells naming record `i` that begin each of its rows: 序号, 部门, 项目, 项目编码.
fn record_cells(i: usize, r: &ProjectRow) -> [Cell<'_>; 4] {
    [
        i.into(),
        r.department.as_str().into(),
        r.name.as_str().into(),
        r.code.as_deref().into(),
    ]
}

/// Record `i`'s row of 项目得分.
fn project_cells<'r>(p: &'r PacketContext, i: usize, r: &'r ProjectRow) -> Vec<Cell<'r>> {
    let mut row: Vec<Cell> = Vec::from(record_cells(i, r));
    row.extend([r.kind.as_str().into(), r.funds.into()]);
    row.extend(p.checks.iter().enumerate().map(|(k, check)| {
        r.checks
            .get(k)
            .filter(|c| c.id == check.id)
            .or_else(|| r.checks.iter().find(|c| c.id == check.id))
            .and_then(|c| c.points)
            .into()
    }));
    row.extend([
        r.total.into(),
        r.percent.into(),
        r.grade.as_str().into(),
        super::consequence(p, &r.grade).into(),
    ]);
    row
}

fn deduction_columns(cx: &Cx) -> Vec<Column> {
    columns(
        cx,
        &[
            ("index", Kind::Int),
            ("department", Kind::Text),
            ("project", Kind::Text),
            ("project_code", Kind::Text),
            ("check", Kind::Text),
            ("check_title", Kind::Text),
            ("deduction", Kind::Score),
            ("subject", Kind::Text),
            ("text", Kind::Long),
            ("reason", Kind::Long),
            ("file", Kind::Text),
            ("line", Kind::Int),
        ],
    )
}

/// Record `i`'s rows of 扣分明细.
fn deduction_cells<'r>(i: usize, r: &'r ProjectRow, f: &mut dyn FnMut(Vec<Cell<'r>>)) {
    for d in &r.deductions {
        let mut row = Vec::from(record_cells(i, r));
        row.extend([
            d.check.as_str().into(),
            d.title.as_str().into(),
            d.deduction.into(),
            d.subject.as_str().into(),
            d.text.as_str().into(),
            d.reason.as_str().into(),
            d.file.as_str().into(),
            d.line.into(),
        ]);
        f(row);
    }
}

fn indicator_columns(cx: &Cx) -> Vec<Column> {
    columns(
        cx,
        &[
            ("index", Kind::Int),
            ("department", Kind::Text),
            ("project", Kind::Text),
            ("project_code", Kind::Text),
            ("level1", Kind::Text),
            ("level1_raw", Kind::Text),
            ("level2", Kind::Text),
            ("level2_raw", Kind::Text),
            ("indicator", Kind::Text),
            ("value", Kind::Text),
            ("parsed", Kind::Text),
            ("file", Kind::Text),
            ("line", Kind::Int),
        ],
    )
}

/// Record `k`'s rows of 指标明细.
fn indicator_cells<'r>(k: usize, r: &'r ProjectRow, f: &mut dyn FnMut(Vec<Cell<'r>>)) {
    for i in &r.indicators {
        let mut row = Vec::from(record_cells(k, r));
        row.extend([
            i.level1.as_str().into(),
            i.level1_raw.as_str().into(),
            i.level2.as_str().into(),
            i.level2_raw.as_str().into(),
            i.name.as_str().into(),
            i.value.as_str().into(),
            i.parsed.as_str().into(),
            r.file.as_str().into(),
            i.line.into(),
        ]);
        f(row);
    }
}

/// The findings (需关注的问题).
pub(super) fn findings(book: &mut Workbook, cx: &mut Cx) -> Result<(), XlsxError> {
    let p = cx.packet;
    let columns = columns(
        cx,
        &[
            ("index", Kind::Int),
            ("department", Kind::Text),
            ("project", Kind::Text),
            ("project_code", Kind::Text),
            ("severity", Kind::Text),
            ("code", Kind::Text),
            ("message", Kind::Long),
            ("text", Kind::Long),
            ("file", Kind::Text),
            ("line", Kind::Int),
        ],
    );
    let source = cx.rows;
    let rows = |each: &mut dyn FnMut(Vec<Cell<'_>>)| {
        source.each_finding(p, &mut |f| {
            each(vec![
                f.index.into(),
                f.department.as_str().into(),
                f.project.as_str().into(),
                f.project_code.as_deref().into(),
                f.severity.as_str().into(),
                f.code.as_str().into(),
                f.message.as_str().into(),
                f.text.as_deref().into(),
                f.file.as_str().into(),
                f.line.into(),
            ])
        });
    };
    let options = Options {
        large: true,
        decorate: None,
    };
    let name = cx.s("sheet.findings");
    table::write_visited(book, cx, name, &columns, &rows, options)?;
    Ok(())
}

/// The rubric's checks and how often each cost points.
pub(super) fn rules(book: &mut Workbook, cx: &mut Cx) -> Result<(), XlsxError> {
    let p = cx.packet;
    let columns = columns(
        cx,
        &[
            ("check", Kind::Text),
            ("check_title", Kind::Text),
            ("max_points", Kind::Score),
            ("rule", Kind::Long),
            ("source", Kind::Text),
            ("failures", Kind::Int),
            ("points_lost", Kind::Score),
        ],
    );
    let rows = || {
        p.checks.iter().map(|c| -> Vec<Cell> {
            vec![
                c.id.as_str().into(),
                c.title.as_str().into(),
                c.max_points.into(),
                c.rule.as_str().into(),
                c.source.as_str().into(),
                c.failures.into(),
                c.points_lost.into(),
            ]
        })
    };
    let name = cx.s("sheet.rules");
    table::write(book, cx, name, &columns, rows, Options::default())?;
    Ok(())
}

/// Every document read, as 附件3 lists them (a report lists at most
/// [`crate::packet::ANNEX_ROWS_IN_SUMMARY`]), with the year and place its tables state.
pub(super) fn sources(book: &mut Workbook, cx: &mut Cx) -> Result<(), XlsxError> {
    let p = cx.packet;
    let columns = columns(
        cx,
        &[
            ("index", Kind::Int),
            ("file", Kind::Text),
            ("layout", Kind::Text),
            ("encoding", Kind::Text),
            ("records", Kind::Int),
            ("stated", Kind::Int),
            ("year", Kind::Int),
            ("place", Kind::Text),
            ("errors", Kind::Int),
            ("warnings", Kind::Int),
        ],
    );
    let rows = || {
        p.sources.iter().enumerate().map(|(i, d)| -> Vec<Cell> {
            vec![
                (i + 1).into(),
                d.file.as_str().into(),
                d.layout.as_str().into(),
                d.encoding.as_str().into(),
                d.records.into(),
                d.stated.into(),
                d.year.map(f64::from).into(),
                d.place.as_deref().into(),
                d.errors.into(),
                d.warnings.into(),
            ]
        })
    };
    let name = cx.s("sheet.sources");
    table::write(book, cx, name, &columns, rows, Options::default())?;
    Ok(())
}

/// Every row of 附件4: content that did not become a record and records read with low
/// confidence, in the reader's words.
pub(super) fn unparsed(book: &mut Workbook, cx: &mut Cx) -> Result<(), XlsxError> {
    let p = cx.packet;
    let columns = columns(
        cx,
        &[
            ("index", Kind::Int),
            ("file", Kind::Text),
            ("line", Kind::Int),
            ("severity", Kind::Text),
            ("code", Kind::Text),
            ("message", Kind::Long),
        ],
    );
    let rows = || {
        p.unparsed.iter().enumerate().map(|(i, u)| -> Vec<Cell> {
            vec![
                (i + 1).into(),
                u.file.as_str().into(),
                u.line.into(),
                u.severity.as_str().into(),
                u.code.as_str().into(),
                u.message.as_str().into(),
            ]
        })
    };
    let name = cx.s("sheet.unparsed");
    table::write(book, cx, name, &columns, rows, Options::default())?;
    Ok(())
}

/// Columns titled by `column.<key>`.
fn columns(cx: &Cx, keys: &[(&str, Kind)]) -> Vec<Column> {
    keys.iter()
        .map(|(key, kind)| Column::new(cx.text(&format!("column.{key}")), *kind))
        .collect()
}
