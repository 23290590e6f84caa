//! The report part of the PDF: cover, sections one to seven (portrait), annexes (landscape).

use crate::format::{num, score, wan};
use crate::packet::PacketContext;

use super::chart::{Bars, Mark};
use super::doc::{BLACK, Doc, MARGIN_TOP, Rgb};
use super::fonts::Role;
use super::table::{Align, Column, Table};

/// Grade colours shared with the charts and the review sheets (优 良 中 差): the one palette.
pub(super) const GRADE_COLORS: [Rgb; 4] = [
    rgb(crate::palette::GRADES[0].3),
    rgb(crate::palette::GRADES[1].3),
    rgb(crate::palette::GRADES[2].3),
    rgb(crate::palette::GRADES[3].3),
];

/// Light grade backgrounds for table cells.
pub(super) const GRADE_FILLS: [Rgb; 4] = [
    rgb(crate::palette::GRADES[0].2),
    rgb(crate::palette::GRADES[1].2),
    rgb(crate::palette::GRADES[2].2),
    rgb(crate::palette::GRADES[3].2),
];

/// Room a section heading needs on its page when a table follows it (heading, note, header, rows).
const KEEP_WITH_TABLE: f32 = 150.0;
/// Room a section heading needs when a chart follows it (heading, the chart and its labels).
const KEEP_WITH_CHART: f32 = 290.0;

const fn rgb(hex: u32) -> Rgb {
    let (r, g, b) = crate::palette::unit_rgb(hex);
    Rgb(r, g, b)
}

pub(super) fn grade_index(grade: &str) -> Option<usize> {
    ["优", "良", "中", "差"].iter().position(|g| *g == grade)
}

pub(super) fn s<'p>(packet: &'p PacketContext, key: &'p str) -> &'p str {
    crate::wording::lookup(&packet.strings, key).unwrap_or(key)
}

/// How many lines the table of contents will have (to reserve its pages before layout).
pub(super) fn outline_size(packet: &PacketContext, sheets: bool) -> usize {
    // Seven sections, the review-sheet annex (with one line per department when it holds the
    // sheets), three more annexes.
    let departments = if sheets { packet.departments.len() } else { 0 };
    7 + 1 + departments + 3
}

pub(super) fn cover(doc: &mut Doc<'_>, packet: &PacketContext) {
    doc.new_page(false);
    let lines = &packet.text.cover;
    let width = doc.page().width();
    let mut y = 250.0;
    for (i, line) in lines.iter().enumerate() {
        let (size, role) = match i {
            0 => (24.0, Role::Heading),
            1 => (15.0, Role::Heading),
            _ => (14.0, Role::Body),
        };
        if i == 2 {
            y = 560.0;
        }
        for part in doc.fonts.wrap(role, line, size, width - 140.0) {
            let w = doc.fonts.width(role, part, size);
            doc.text_at((width - w) / 2.0, y, size, role, part, BLACK);
            y += size * 1.6;
        }
        y += 14.0;
    }
}

pub(super) fn report(doc: &mut Doc<'_>, p: &PacketContext) {
    doc.y = MARGIN_TOP;
    let title = p.text.cover.first().cloned().unwrap_or_default();
    let w = doc.fonts.width(Role::Heading, &title, 18.0);
    let x = (doc.page().width() - w) / 2.0;
    doc.text_at(x.max(56.0), MARGIN_TOP, 18.0, Role::Heading, &title, BLACK);
    doc.y += 40.0;

    section(doc, s(p, "heading.basis"), &p.text.basis);
    section(doc, s(p, "heading.scope"), &p.text.scope);
    section(doc, s(p, "heading.method"), &p.text.method);
    doc.table(&weights(p));

    section(doc, s(p, "heading.results"), &p.text.results);
    doc.table(&grade_table(p));
    result_charts(doc, p);

    // The heading with the unit note, the table's header and its first rows.
    doc.ensure(KEEP_WITH_TABLE);
    doc.heading(1, s(p, "heading.departments"), true);
    doc.paragraph_styled(s(p, "packet.unit_note"), 9.0, BLACK);
    let (shown, note) = p.report_departments();
    if let Some(note) = note {
        doc.paragraph(&note);
    }
    doc.table(&department_table(p, &shown));
    means_chart(doc, p);

    // The heading with the chart under it.
    doc.ensure(KEEP_WITH_CHART);
    section(doc, s(p, "heading.problems"), &[]);
    pareto_chart(doc, p);
    for para in &p.text.problems {
        doc.paragraph(para);
    }
    if !p.findings.is_empty() {
        doc.heading(2, s(p, "heading.findings"), false);
        doc.table(&findings_table(p));
        if let Some(note) = p.findings_note() {
            doc.paragraph_styled(&note, 9.0, BLACK);
        }
    }

    section(doc, s(p, "heading.opinion"), &p.text.opinion);
    doc.space(30.0);
    for line in [
        p.meta.issuer.as_str(),
        &crate::format::date_zh(&p.meta.as_of),
    ] {
        doc.ensure(20.0);
        let w = doc.fonts.width(Role::Body, line, 10.5);
        let x = doc.page().width() - 56.0 - w;
        let top = doc.y;
        doc.text_at(x, top, 10.5, Role::Body, line, BLACK);
        doc.y += 20.0;
    }
}

/// Section 四's charts: projects per grade (with their share) and per score bin.
fn result_charts(doc: &mut Doc<'_>, p: &PacketContext) {
    let grades = &p.summary.grades;
    doc.bar_chart(
        &Bars {
            title: s(p, "heading.chart_grades").to_string(),
            unit: s(p, "packet.chart_projects").to_string(),
            labels: grades.iter().map(|g| g.grade.clone()).collect(),
            names: Vec::new(),
            values: grades.iter().map(|g| g.count as f64).collect(),
            notes: grades
                .iter()
                .map(|g| format!("{}%", score(g.count_share)))
                .collect(),
            colors: GRADE_COLORS.to_vec(),
        },
        110.0,
    );
    let bins = &p.summary.histogram;
    doc.bar_chart(
        &Bars {
            title: s(p, "heading.chart_histogram").to_string(),
            unit: s(p, "packet.chart_projects").to_string(),
            labels: bins.iter().map(|b| b.label.clone()).collect(),
            names: Vec::new(),
            values: bins.iter().map(|b| b.count as f64).collect(),
            notes: Vec::new(),
            colors: Vec::new(),
        },
        90.0,
    );
}

/// Section 五's chart: department means, highest first, with the grade bands marked.
fn means_chart(doc: &mut Doc<'_>, p: &PacketContext) {
    let shown = p.chart_departments();
    if shown.len() < 2 {
        // A department's own packet: its mean is in the table above.
        return;
    }
    let marks: Vec<Mark> = p
        .bands
        .iter()
        .zip(crate::palette::GRADES)
        .zip(GRADE_COLORS)
        .filter(|((b, _), _)| (0.0..=100.0).contains(*b))
        .map(|((b, (grade, ..)), color)| Mark {
            value: *b,
            label: grade.to_string(),
            color,
        })
        .collect();
    doc.hbar_chart(
        &Bars {
            title: p.means_caption(),
            unit: String::new(),
            labels: shown
                .iter()
                .map(|i| p.departments[*i].name.clone())
                .collect(),
            names: Vec::new(),
            values: shown.iter().map(|i| p.departments[*i].mean).collect(),
            notes: Vec::new(),
            colors: Vec::new(),
        },
        &marks,
    );
}

/// Section 六's chart: the rules that cost points, most often first, each bar named.
fn pareto_chart(doc: &mut Doc<'_>, p: &PacketContext) {
    if p.pareto.is_empty() {
        return;
    }
    let rows: Vec<_> = p.pareto.iter().filter_map(|i| p.checks.get(*i)).collect();
    doc.pareto_chart(
        &Bars {
            title: s(p, "heading.chart_pareto").to_string(),
            unit: s(p, "packet.chart_failures").to_string(),
            labels: rows.iter().map(|c| c.id.clone()).collect(),
            names: rows.iter().map(|c| c.title.clone()).collect(),
            values: rows.iter().map(|c| c.failures as f64).collect(),
            notes: Vec::new(),
            colors: Vec::new(),
        },
        &rows.iter().map(|c| c.cumulative_share).collect::<Vec<_>>(),
        110.0,
    );
}

fn section(doc: &mut Doc<'_>, heading: &str, paragraphs: &[String]) {
    doc.heading(1, heading, true);
    for para in paragraphs {
        doc.paragraph(para);
    }
}

fn weights(p: &PacketContext) -> Table {
    Table {
        columns: vec![
            Column::new(s(p, "column.check"), 1.0, Align::Center),
            Column::new(s(p, "column.check_title"), 3.0, Align::Left),
            Column::new(s(p, "column.max_points"), 1.2, Align::Right),
            Column::new(s(p, "column.source"), 1.5, Align::Left),
        ],
        rows: p
            .checks
            .iter()
            .map(|c| {
                vec![
                    c.id.clone(),
                    c.title.clone(),
                    num(c.max_points),
                    c.source.clone(),
                ]
            })
            .collect(),
        ..Table::default()
    }
}

fn grade_table(p: &PacketContext) -> Table {
    let mut t = Table {
        columns: vec![
            Column::new(s(p, "column.grade"), 1.0, Align::Center),
            Column::new(s(p, "column.count"), 1.0, Align::Right),
            Column::new(s(p, "column.count_share"), 1.3, Align::Right),
            Column::new(s(p, "column.funds"), 1.6, Align::Right),
            Column::new(s(p, "column.funds_share"), 1.3, Align::Right),
            Column::new(s(p, "column.consequence"), 2.6, Align::Left),
        ],
        ..Table::default()
    };
    for (i, g) in p.summary.grades.iter().enumerate() {
        let key = format!("grade.{}", g.grade);
        t.rows.push(vec![
            g.grade.clone(),
            g.count.to_string(),
            score(g.count_share),
            wan(g.funds),
            score(g.funds_share),
            s(p, &key).to_string(),
        ]);
        if let Some(gi) = grade_index(&g.grade) {
            t.fills.insert((i, 0), GRADE_FILLS[gi]);
        }
    }
    t
}

fn department_table(p: &PacketContext, shown: &[usize]) -> Table {
    Table {
        columns: vec![
            Column::new(s(p, "column.index"), 0.6, Align::Center),
            Column::new(s(p, "column.department"), 3.2, Align::Left),
            Column::new(s(p, "column.projects"), 0.9, Align::Right),
            Column::new(s(p, "column.funds"), 1.5, Align::Right),
            Column::new(s(p, "column.mean"), 1.0, Align::Right),
            Column::new(s(p, "column.weighted_mean"), 1.0, Align::Right),
            Column::new(s(p, "column.min"), 1.0, Align::Right),
            Column::new("优/良/中/差", 1.5, Align::Center),
            Column::new(s(p, "column.top_problems"), 3.0, Align::Left),
        ],
        rows: shown
            .iter()
            .map(|i| (*i, &p.departments[*i]))
            .map(|(i, d)| {
                vec![
                    (i + 1).to_string(),
                    d.name.clone(),
                    d.projects.to_string(),
                    wan(d.funds),
                    score(d.mean),
                    score(d.weighted_mean),
                    score(d.min),
                    d.grades.map(|g| g.to_string()).join("/"),
                    d.top_problems.join("；"),
                ]
            })
            .collect(),
        size: 8.5,
        // The numbers keep one line, the names and problems share the rest.
        fit_content: true,
        ..Table::default()
    }
}

fn findings_table(p: &PacketContext) -> Table {
    Table {
        columns: vec![
            Column::new(s(p, "column.index"), 0.6, Align::Center),
            Column::new(s(p, "column.severity"), 0.8, Align::Center),
            Column::new(s(p, "column.finding"), 5.0, Align::Left),
            Column::new(s(p, "column.line"), 2.2, Align::Left),
        ],
        rows: p
            .findings
            .iter()
            .enumerate()
            .map(|(i, f)| {
                vec![
                    (i + 1).to_string(),
                    f.severity.clone(),
                    f.message.clone(),
                    source_ref(&f.file, f.line),
                ]
            })
            .collect(),
        size: 8.5,
        ..Table::default()
    }
}

/// `file:line` with the folder dropped (the sources annex lists full paths).
pub(super) fn source_ref(file: &str, line: Option<u32>) -> String {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    match line {
        Some(l) => format!("{name}:{l}"),
        None => name.to_string(),
    }
}

pub(super) fn annexes(doc: &mut Doc<'_>, p: &PacketContext) {
    doc.new_page(true);
    doc.heading(1, s(p, "heading.annex_rules"), true);
    doc.table(&Table {
        columns: vec![
            Column::new(s(p, "column.check"), 0.7, Align::Center),
            Column::new(s(p, "column.check_title"), 2.0, Align::Left),
            Column::new(s(p, "column.max_points"), 0.8, Align::Right),
            Column::new(s(p, "column.rule"), 8.0, Align::Left),
            Column::new(s(p, "column.failures"), 1.0, Align::Right),
            Column::new(s(p, "column.points_lost"), 1.0, Align::Right),
        ],
        rows: p
            .checks
            .iter()
            .map(|c| {
                vec![
                    c.id.clone(),
                    c.title.clone(),
                    num(c.max_points),
                    c.rule.clone(),
                    c.failures.to_string(),
                    score(c.points_lost),
                ]
            })
            .collect(),
        ..Table::default()
    });
    doc.heading(1, s(p, "heading.annex_sources"), true);
    doc.table(&Table {
        columns: vec![
            Column::new(s(p, "column.file"), 6.0, Align::Left),
            Column::new(s(p, "column.layout"), 1.4, Align::Left),
            Column::new(s(p, "column.encoding"), 1.2, Align::Left),
            Column::new(s(p, "column.records"), 1.0, Align::Right),
            Column::new(s(p, "column.stated"), 1.4, Align::Right),
            Column::new(s(p, "column.errors"), 0.8, Align::Right),
            Column::new(s(p, "column.warnings"), 0.8, Align::Right),
        ],
        rows: p
            .sources
            .iter()
            .map(|d| {
                vec![
                    d.file.clone(),
                    d.layout.clone(),
                    d.encoding.clone(),
                    d.records.to_string(),
                    d.stated.map(|n| n.to_string()).unwrap_or_default(),
                    d.errors.to_string(),
                    d.warnings.to_string(),
                ]
            })
            .collect(),
        ..Table::default()
    });
    if let Some(note) = p.sources_note() {
        doc.paragraph_styled(&note, 9.0, BLACK);
    }
    doc.heading(1, s(p, "heading.annex_unparsed"), true);
    if p.unparsed.is_empty() {
        doc.paragraph(s(p, "packet.none"));
    } else {
        doc.table(&Table {
            columns: vec![
                Column::new(s(p, "column.file"), 3.0, Align::Left),
                Column::new(s(p, "column.severity"), 0.8, Align::Center),
                // The explanation names the kind of content (the diagnostic's wording) itself.
                Column::new(s(p, "column.message"), 9.2, Align::Left),
            ],
            rows: p
                .unparsed
                .iter()
                .map(|u| {
                    vec![
                        source_ref(&u.file, u.line),
                        u.severity.clone(),
                        u.message.clone(),
                    ]
                })
                .collect(),
            size: 8.5,
            ..Table::default()
        });
        if let Some(note) = p.unparsed_note() {
            doc.paragraph_styled(&note, 9.0, BLACK);
        }
    }
}
