//! Annex 1: one landscape review sheet per record — who and what, the normalised indicator table,
//! the check table, every deduction with its evidence and source line, the grade and what it means,
//! and a blank line for the reviewer's signature and date.

use crate::format::{num, score, wan};
use crate::packet::{ANNEX_ROWS_IN_SUMMARY, PacketContext, ProjectRow};

use super::doc::{BLACK, Doc, GREY};
use super::fonts::Role;
use super::sections::{GRADE_FILLS, grade_index, s};
use super::table::{Align, Column, Table};

pub(super) fn review_sheets(doc: &mut Doc<'_>, p: &PacketContext) {
    doc.new_page(true);
    doc.heading(1, s(p, "heading.sheets"), true);
    for (d, dept) in p.departments.iter().enumerate() {
        if d > 0 {
            doc.new_page(true);
        }
        let title = format!("{}. {}", d + 1, dept.name);
        if p.meta.department.is_some() {
            // A department's own packet: the heading would only repeat the cover, and its room
            // lets the first sheet fit on the page more often. The bookmark stays.
            doc.bookmark(2, &title);
        } else {
            doc.heading(2, &title, true);
        }
        for (k, i) in dept.records.iter().enumerate() {
            if k > 0 {
                doc.new_page(true);
            }
            if let Some(project) = p.projects.get(*i) {
                doc.running_head = Some(format!("{}（续）", project.name));
                sheet(doc, p, project);
            }
        }
    }
    doc.running_head = None;
}

/// The review-sheet annex of a split run's report: where each department's packet is. The folder
/// is the department's name, so only the departments whose folder name had to differ (characters a
/// file name cannot hold, a name too long, two names alike) are listed — a province's report must
/// not list its thousands of departments twice.
pub(super) fn department_packets(doc: &mut Doc<'_>, p: &PacketContext) {
    doc.new_page(true);
    doc.heading(1, s(p, "heading.sheets"), true);
    doc.paragraph(s(p, "packet.sheets_elsewhere"));
    let mut renamed: Vec<Vec<String>> = p
        .departments
        .iter()
        .zip(&p.department_links)
        .filter(|(d, link)| link.as_str() != format!("departments/{}/", d.name))
        .map(|(d, link)| vec![d.name.clone(), link.clone()])
        .collect();
    if renamed.is_empty() {
        return;
    }
    // A province's many departments of the same name (`教育局` of each county) stay a page or
    // two: the workbook's 分部门 lists every department's folder.
    let total = renamed.len();
    renamed.truncate(ANNEX_ROWS_IN_SUMMARY);
    doc.paragraph(s(p, "packet.sheets_renamed"));
    doc.table(&Table {
        columns: vec![
            Column::new(s(p, "column.department"), 5.0, Align::Left),
            Column::new(s(p, "column.folder"), 5.0, Align::Left),
        ],
        rows: renamed,
        ..Table::default()
    });
    if let Some(note) = p.renamed_note(total) {
        doc.paragraph_styled(&note, 9.0, BLACK);
    }
}

/// Room the signature line (with the source at its end) needs: it stays with the sheet's last rows.
const SIGNATURE: f32 = 8.0 + 22.0;

/// What a sheet's last table keeps free below its last row: the signature and the space a table
/// leaves after itself (0.8 of its font size).
const KEEP_FOR_SIGNATURE: f32 = SIGNATURE + 8.0;

fn sheet(doc: &mut Doc<'_>, p: &PacketContext, r: &ProjectRow) {
    let title = if r.kind == "项目" || r.name.contains("整体") {
        r.name.clone()
    } else {
        format!("{}（{}）", r.name, r.kind)
    };
    doc.heading(3, &title, false);
    doc.bookmark(3, &r.name);
    let grade_key = format!("grade.{}", r.grade);
    // Two rows of three pairs; the source file and lines are on the signature line.
    let mut head = Table {
        columns: vec![
            Column::new("", 0.9, Align::Left),
            Column::new("", 3.0, Align::Left),
            Column::new("", 0.9, Align::Left),
            Column::new("", 3.0, Align::Left),
            Column::new("", 1.1, Align::Left),
            Column::new("", 1.9, Align::Left),
        ],
        rows: vec![
            vec![
                s(p, "column.department").into(),
                r.department.clone(),
                s(p, "column.unit").into(),
                r.unit.clone().unwrap_or_default(),
                s(p, "column.funds").into(),
                r.funds.map(wan).unwrap_or_default(),
            ],
            vec![
                s(p, "column.project_code").into(),
                r.code.clone().unwrap_or_default(),
                s(p, "column.score").into(),
                format!(
                    "{} / {}（{}%）",
                    score(r.total),
                    num(r.max_points),
                    score(r.percent)
                ),
                s(p, "column.grade").into(),
                format!("{}（{}）", r.grade, s(p, &grade_key)),
            ],
        ],
        no_header: true,
        dense: true,
        fit_content: true,
        ..Table::default()
    };
    if let Some(g) = grade_index(&r.grade) {
        head.fills.insert((1, 5), GRADE_FILLS[g]);
    }
    doc.table(&head);
    if let Some(goal) = r.goal.as_deref().filter(|g| !g.is_empty()) {
        doc.paragraph_styled(&format!("{}：{goal}", s(p, "column.goal")), 9.0, BLACK);
    }

    doc.table(&Table {
        columns: vec![
            // The levels as written (`产出指标（项目完成）`) fit on one line, so most rows take one.
            Column::new(s(p, "column.level1"), 1.9, Align::Left),
            Column::new(s(p, "column.level2"), 2.0, Align::Left),
            Column::new(s(p, "column.indicator"), 3.0, Align::Left),
            Column::new(s(p, "column.value"), 2.3, Align::Left),
            Column::new(s(p, "column.parsed"), 1.4, Align::Left),
            Column::new(s(p, "column.line"), 0.7, Align::Right),
        ],
        rows: r
            .indicators
            .iter()
            .map(|i| {
                vec![
                    or_raw(&i.level1, &i.level1_raw),
                    or_raw(&i.level2, &i.level2_raw),
                    i.name.clone(),
                    i.value.clone(),
                    i.parsed.clone(),
                    i.line.to_string(),
                ]
            })
            .collect(),
        size: 8.5,
        dense: true,
        fit_content: true,
        ..Table::default()
    });

    // The check table runs across: one column per check, points over maximum.
    let ids: Vec<String> = r.checks.iter().map(|c| c.id.clone()).collect();
    let points: Vec<String> = r
        .checks
        .iter()
        .map(|c| match c.points {
            Some(x) => format!("{}/{}", score(x), num(c.max_points)),
            None if c.not_applicable => s(p, "packet.not_applicable").to_string(),
            None => s(p, "packet.not_scored").to_string(),
        })
        .collect();
    let mut checks = Table {
        columns: ids
            .iter()
            .map(|id| Column::new(id, 1.0, Align::Center))
            .collect(),
        rows: vec![points],
        size: 8.0,
        dense: true,
        fit_content: true,
        ..Table::default()
    };
    for (c, cell) in r.checks.iter().enumerate() {
        if cell.points.is_some_and(|x| x + 1e-9 < cell.max_points) {
            checks.fills.insert((0, c), GRADE_FILLS[2]);
        }
    }
    if r.deductions.is_empty() {
        checks.keep_with_next = KEEP_FOR_SIGNATURE;
    }
    doc.table(&checks);

    if !r.deductions.is_empty() {
        doc.table(&Table {
            keep_with_next: KEEP_FOR_SIGNATURE,
            columns: vec![
                Column::new(s(p, "column.check"), 0.6, Align::Center),
                Column::new(s(p, "column.deduction"), 0.6, Align::Right),
                Column::new(s(p, "column.subject"), 1.8, Align::Left),
                Column::new(s(p, "column.text"), 2.6, Align::Left),
                Column::new(s(p, "column.reason"), 4.2, Align::Left),
                Column::new(s(p, "column.line"), 0.7, Align::Right),
            ],
            rows: r
                .deductions
                .iter()
                .map(|d| {
                    vec![
                        d.check.clone(),
                        score(d.deduction),
                        d.subject.clone(),
                        d.text.clone(),
                        d.reason.clone(),
                        d.line.map(|l| l.to_string()).unwrap_or_default(),
                    ]
                })
                .collect(),
            size: 8.5,
            dense: true,
            fit_content: true,
            ..Table::default()
        });
    }
    doc.ensure(SIGNATURE);
    doc.space(8.0);
    // The signature line, and the source at the right end of the same line.
    let top = doc.y;
    let x = super::doc::MARGIN_X;
    doc.text_at(
        x,
        top,
        10.0,
        Role::Body,
        s(p, "packet.reviewer_line"),
        BLACK,
    );
    // The table's source at the right end of the same line, or under it when it would not fit.
    let note = format!(
        "{}{}:{}–{}",
        s(p, "packet.source_note"),
        r.file,
        r.lines[0],
        r.lines[1]
    );
    let w = doc.fonts.width(Role::Body, &note, 7.5);
    let signed = doc
        .fonts
        .width(Role::Body, s(p, "packet.reviewer_line"), 10.0);
    let right = doc.page().width() - super::doc::MARGIN_X;
    if x + signed + 12.0 + w <= right {
        doc.text_at(right - w, top + 2.5, 7.5, Role::Body, &note, GREY);
    } else {
        doc.text_at(
            right - w.min(right - x),
            top + 14.0,
            7.5,
            Role::Body,
            &note,
            GREY,
        );
    }
    doc.y += 22.0;
}

/// The canonical category, with the table's own wording when it differs.
fn or_raw(canonical: &str, raw: &str) -> String {
    match (canonical.is_empty(), raw.is_empty() || raw == canonical) {
        (true, _) => raw.to_string(),
        (false, true) => canonical.to_string(),
        (false, false) => format!("{canonical}（{raw}）"),
    }
}
