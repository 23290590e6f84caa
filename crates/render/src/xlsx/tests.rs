use std::io::{Cursor, Read};

use calamine::{Data, Range, Reader, Xlsx, open_workbook_from_rs};

use super::*;
use crate::packet::tests::sample_packet;

fn read(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("the workbook opens")
}

fn sheet(book: &mut Xlsx<Cursor<Vec<u8>>>, name: &str) -> Range<Data> {
    book.worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}"))
}

fn part_xml(bytes: &[u8], path: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("an xlsx is a zip");
    let mut file = zip.by_name(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut text = String::new();
    file.read_to_string(&mut text).expect("utf-8 xml");
    text
}

fn text(cell: Option<&Data>) -> String {
    match cell {
        Some(Data::String(s)) => s.clone(),
        other => panic!("expected text, found {other:?}"),
    }
}

fn number(cell: Option<&Data>) -> f64 {
    match cell {
        Some(Data::Float(x)) => *x,
        Some(Data::Int(n)) => *n as f64,
        other => panic!("expected a number, found {other:?}"),
    }
}

fn header(range: &Range<Data>) -> Vec<String> {
    range
        .rows()
        .next()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .unwrap_or_default()
}

fn column(range: &Range<Data>, title: &str) -> usize {
    header(range)
        .iter()
        .position(|h| h == title)
        .unwrap_or_else(|| panic!("no column {title} in {:?}", header(range)))
}

fn write_default(packet: &PacketContext) -> Vec<u8> {
    write(packet, &XlsxOptions::default()).expect("the workbook is written")
}

const SHEETS: [&str; 9] = [
    "汇总",
    "分部门",
    "项目得分",
    "扣分明细",
    "指标明细",
    "问题清单",
    "规则",
    "资料来源",
    "未能解析的内容",
];

#[test]
fn sheets_come_in_order_with_one_row_per_item() {
    let p = sample_packet();
    let mut book = read(&write_default(&p));
    assert_eq!(book.sheet_names(), SHEETS);

    let projects = sheet(&mut book, "项目得分");
    assert_eq!(projects.height(), 26, "25 projects and the header");
    assert_eq!(projects.width(), 6 + p.checks.len() + 4);
    let deductions: usize = p.projects.iter().map(|r| r.deductions.len()).sum();
    assert!(deductions > 0);
    assert_eq!(sheet(&mut book, "扣分明细").height(), deductions + 1);
    let indicators: usize = p.projects.iter().map(|r| r.indicators.len()).sum();
    assert_eq!(sheet(&mut book, "指标明细").height(), indicators + 1);
    assert_eq!(sheet(&mut book, "分部门").height(), 20 + 1);
    assert_eq!(sheet(&mut book, "规则").height(), p.checks.len() + 1);
    let findings = sheet(&mut book, "问题清单");
    assert_eq!(findings.height(), p.findings.len() + 1);
    // Every detail sheet starts with the keys that join it back to 项目得分.
    for name in ["扣分明细", "指标明细", "问题清单"] {
        let titles = header(&sheet(&mut book, name));
        assert_eq!(
            titles[..4],
            ["序号", "部门", "项目名称", "项目编码"],
            "{name}"
        );
    }
    assert_eq!(header(&findings)[4], "程度");
    assert_eq!(sheet(&mut book, "资料来源").height(), p.sources.len() + 1);
    assert_eq!(
        sheet(&mut book, "未能解析的内容").height(),
        p.unparsed.len() + 1
    );
}

#[test]
fn a_split_runs_workbook_says_where_each_departments_packet_is() {
    let mut p = sample_packet();
    let book_of = |p: &PacketContext| read(&write_default(p));
    let mut whole = book_of(&p);
    let plain = sheet(&mut whole, "分部门");
    assert!(!header(&plain).contains(&"审核材料所在文件夹".to_string()));
    p.department_links = (0..p.departments.len())
        .map(|i| format!("departments/部门{i}/"))
        .collect();
    let mut split = book_of(&p);
    let departments = sheet(&mut split, "分部门");
    assert_eq!(header(&departments).len(), header(&plain).len() + 1);
    let folder = column(&departments, "审核材料所在文件夹");
    let last = departments.height() - 1;
    assert_eq!(
        text(departments.get((last, folder))),
        format!("departments/部门{}/", last - 1)
    );
}

#[test]
fn every_source_and_unparsed_row_is_listed_with_its_year_place_and_line() {
    let mut p = sample_packet();
    // More than a report lists: the workbook keeps every one.
    let extra = crate::packet::ANNEX_ROWS_IN_SUMMARY + 7;
    let first_source = p.sources[0].clone();
    let first_unparsed = p.unparsed[0].clone();
    for n in 0..extra {
        p.sources.push(crate::packet::SourceRow {
            file: format!("inputs/extra-{n}.txt"),
            year: Some(2021),
            place: Some("盐边县".into()),
            ..first_source.clone()
        });
        p.unparsed.push(crate::packet::UnparsedRow {
            line: Some(1000 + n as u32),
            ..first_unparsed.clone()
        });
    }
    let mut book = read(&write_default(&p));
    let sources = sheet(&mut book, "资料来源");
    assert_eq!(sources.height(), p.sources.len() + 1);
    assert_eq!(
        header(&sources),
        [
            "序号",
            "来源文件",
            "版式",
            "编码",
            "记录数",
            "文件自述项目数",
            "表格年度",
            "所属地区",
            "错误",
            "警告"
        ]
    );
    let last = sources.height() - 1;
    let (file, year, place) = (
        column(&sources, "来源文件"),
        column(&sources, "表格年度"),
        column(&sources, "所属地区"),
    );
    assert_eq!(
        text(sources.get((last, file))),
        format!("inputs/extra-{}.txt", extra - 1)
    );
    assert_eq!(number(sources.get((last, year))), 2021.0);
    assert_eq!(text(sources.get((last, place))), "盐边县");
    assert_eq!(number(sources.get((last, 0))), p.sources.len() as f64);

    let unparsed = sheet(&mut book, "未能解析的内容");
    assert_eq!(unparsed.height(), p.unparsed.len() + 1);
    let line = column(&unparsed, "行号");
    assert_eq!(
        number(unparsed.get((unparsed.height() - 1, line))),
        (1000 + extra - 1) as f64
    );
    let message = column(&unparsed, "说明");
    assert_eq!(text(unparsed.get((1, message))), p.unparsed[0].message);
}

#[test]
fn project_cells_hold_numbers() {
    let p = sample_packet();
    let mut book = read(&write_default(&p));
    let range = sheet(&mut book, "项目得分");
    let titles = header(&range);
    let first = &p.checks[0];
    assert_eq!(titles[6], format!("{} {}", first.id, first.title));
    let name = column(&range, "项目名称");
    let percent = column(&range, "得分率（%）");
    let funds = column(&range, "资金（万元）");
    let grade = column(&range, "等级");
    let consequence = column(&range, "审核结论");
    let row = (1..range.height())
        .find(|r| text(range.get((*r, name))).contains("光纤租赁"))
        .expect("the 光纤租赁 project has a row");
    assert_eq!(number(range.get((row, percent))), 100.0);
    assert_eq!(text(range.get((row, grade))), "优");
    assert_eq!(text(range.get((row, consequence))), "直接进入预算安排");
    let project = &p.projects[row - 1];
    assert!(project.name.contains("光纤租赁"));
    match project.funds {
        Some(f) => assert!((number(range.get((row, funds))) - f).abs() < 1e-9),
        None => assert!(matches!(range.get((row, funds)), Some(Data::Empty) | None)),
    }
    // Every funds cell is a number or empty, never text.
    for r in 1..range.height() {
        assert!(
            matches!(range.get((r, funds)), Some(Data::Float(_) | Data::Empty)),
            "row {r}: {:?}",
            range.get((r, funds))
        );
        assert_eq!(number(range.get((r, 0))), r as f64, "index column");
    }
    // A check's points, or empty when the check was not scored.
    for (r, project) in p.projects.iter().enumerate() {
        for (k, check) in project.checks.iter().enumerate() {
            let cell = range.get((r + 1, 6 + k));
            match check.points {
                Some(x) => assert_eq!(number(cell), x),
                None => assert!(matches!(cell, Some(Data::Empty) | None)),
            }
        }
    }
}

#[test]
fn summary_grades_sum_to_the_projects() {
    let p = sample_packet();
    let mut book = read(&write_default(&p));
    let range = sheet(&mut book, "汇总");
    assert_eq!(text(range.get((0, 0))), p.text.cover[0]);
    let at = |label: &str| {
        (0..range.height())
            .find(|r| matches!(range.get((*r, 0)), Some(Data::String(s)) if s == label))
            .unwrap_or_else(|| panic!("no row {label}"))
    };
    let grades = at("等级");
    let counts: Vec<f64> = (1..=4)
        .map(|i| number(range.get((grades + i, 1))))
        .collect();
    assert_eq!(counts.iter().sum::<f64>(), 25.0);
    let names: Vec<String> = (1..=4).map(|i| text(range.get((grades + i, 0)))).collect();
    assert_eq!(names, ["优", "良", "中", "差"]);
    let funds = at("项目资金合计（万元）");
    assert!((number(range.get((funds, 1))) - p.summary.funds).abs() < 1e-9);
    assert_eq!(number(range.get((at("项目数"), 1))), 25.0);
    let bins = at("得分");
    let binned: f64 = (1..=5).map(|i| number(range.get((bins + i, 1)))).sum();
    assert_eq!(binned, 25.0);
}

#[test]
fn rewriting_gives_the_same_bytes() {
    let p = sample_packet();
    let a = write_default(&p);
    // Past the next whole second, so a clock-stamped file would differ.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert!(a == write_default(&p), "a rerun changed the bytes");
    let cm = XlsxOptions {
        constant_memory: true,
        ..XlsxOptions::default()
    };
    let c = write(&p, &cm).expect("constant memory");
    assert!(c == write(&p, &cm).expect("constant memory again"));
}

/// The current year by the clock, for checking it does not leak into the file.
fn this_year() -> u64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut days = secs / 86_400;
    let mut year = 1970;
    loop {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let len = if leap { 366 } else { 365 };
        if days < len {
            return year;
        }
        days -= len;
        year += 1;
    }
}

#[test]
fn xml_has_frozen_filtered_printable_sheets_and_fixed_dates() {
    let p = sample_packet();
    let bytes = write_default(&p);
    let projects = part_xml(&bytes, "xl/worksheets/sheet3.xml");
    assert!(projects.contains("<pane ") && projects.contains("state=\"frozen\""));
    assert!(projects.contains("<autoFilter ref=\"A1:"), "autofilter");
    // The grade column (Y: six columns, sixteen checks, total, percent) is coloured by grade.
    let grade = 6 + p.checks.len() + 2;
    let letter = char::from(b'A' + u8::try_from(grade).expect("a one-letter column"));
    let rules = format!("<conditionalFormatting sqref=\"{letter}2:{letter}26\">");
    assert!(projects.contains(&rules), "{rules}");
    for g in ["优", "良", "中", "差"] {
        assert!(
            projects.contains(&format!("<formula>\"{g}\"</formula>")),
            "{g}"
        );
    }
    assert!(projects.contains("paperSize=\"9\"") && projects.contains("landscape"));
    // 项目得分 is too wide for one page at a readable size: printed at 75 % across pages, its
    // first three columns repeated; a header row tall enough for its wrapped titles.
    assert!(
        projects.contains("scale=\"75\"") && !projects.contains("fitToPage"),
        "{projects}"
    );
    assert!(projects.contains("customHeight=\"1\""), "header row height");
    let workbook_xml = part_xml(&bytes, "xl/workbook.xml");
    assert!(
        workbook_xml.contains("Print_Titles"),
        "repeated rows and columns"
    );
    // A narrow sheet (规则) still fits one page wide.
    let rules_sheet = part_xml(&bytes, "xl/worksheets/sheet7.xml");
    assert!(
        rules_sheet.contains("fitToHeight=\"0\"")
            && rules_sheet.contains("<pageSetUpPr fitToPage=\"1\"/>")
    );
    assert!(projects.contains("<oddFooter>&amp;C第 &amp;P 页 共 &amp;N 页</oddFooter>"));
    assert!(
        projects.contains("wrapText") || part_xml(&bytes, "xl/styles.xml").contains("wrapText")
    );
    let summary = part_xml(&bytes, "xl/worksheets/sheet1.xml");
    assert!(summary.contains("<pane ") && summary.contains("<drawing "));
    assert!(!summary.contains("<f>"), "computed values, not formulas");
    let workbook = part_xml(&bytes, "xl/workbook.xml");
    assert!(workbook.contains("_xlnm.Print_Titles"));
    for chart in [
        "xl/charts/chart1.xml",
        "xl/charts/chart2.xml",
        "xl/charts/chart3.xml",
    ] {
        assert!(part_xml(&bytes, chart).contains("<c:chart>"), "{chart}");
    }
    assert!(part_xml(&bytes, "xl/charts/chart1.xml").contains("<c:pieChart>"));
    assert!(part_xml(&bytes, "xl/charts/chart3.xml").contains("<c:barDir val=\"bar\"/>"));

    let core = part_xml(&bytes, "docProps/core.xml");
    assert!(
        core.contains(">2021-03-01T00:00:00Z</dcterms:created>"),
        "{core}"
    );
    assert!(
        core.contains(">2021-03-01T00:00:00Z</dcterms:modified>"),
        "{core}"
    );
    assert!(!core.contains(&this_year().to_string()), "{core}");
    assert!(core.contains("<dc:title>测试：2021年度部门预算项目绩效目标审核</dc:title>"));
    assert!(core.contains("<dc:creator>示例市财政局</dc:creator>"));
    assert!(part_xml(&bytes, "docProps/app.xml").contains("<Company>示例市财政局</Company>"));
}

#[test]
fn long_tables_continue_on_numbered_sheets() {
    let p = sample_packet();
    for constant_memory in [false, true] {
        let options = XlsxOptions {
            constant_memory,
            max_rows_per_sheet: 10,
        };
        let bytes = write(&p, &options).expect("split workbook");
        let workbook = part_xml(&bytes, "xl/workbook.xml");
        assert!(
            workbook.contains("'项目得分 (3)'!$1:$1"),
            "print titles: {workbook}"
        );
        assert!(
            workbook.contains("'项目得分 (3)'!$A$1:$Z$6"),
            "filter: {workbook}"
        );
        let mut book = read(&bytes);
        let names = book.sheet_names();
        let deductions: usize = p.projects.iter().map(|r| r.deductions.len()).sum();
        let parts = deductions.div_ceil(10);
        let expected_start = [
            "汇总",
            "分部门",
            "分部门 (2)",
            "项目得分",
            "项目得分 (2)",
            "项目得分 (3)",
        ];
        assert_eq!(&names[..6], expected_start, "{names:?}");
        assert_eq!(names[6], "扣分明细");
        assert_eq!(names[6 + parts - 1], format!("扣分明细 ({parts})"));
        let rules = names.iter().position(|n| n == "规则 (2)");
        assert!(rules.is_some(), "16 rules: {names:?}");
        assert_eq!(
            names[rules.map_or(0, |i| i + 1)..],
            ["资料来源", "未能解析的内容"],
            "{} sources and {} unparsed rows",
            p.sources.len(),
            p.unparsed.len()
        );

        let heights: Vec<usize> = ["项目得分", "项目得分 (2)", "项目得分 (3)"]
            .iter()
            .map(|n| sheet(&mut book, n).height())
            .collect();
        assert_eq!(heights, [11, 11, 6]);
        let first = sheet(&mut book, "项目得分");
        let third = sheet(&mut book, "项目得分 (3)");
        assert_eq!(header(&first), header(&third));
        assert_eq!(number(third.get((1, 0))), 21.0, "numbering continues");
        assert_eq!(text(third.get((5, 2))), p.projects[24].name);
        let split: usize = (1..=parts)
            .map(|i| {
                let name = if i == 1 {
                    "扣分明细".to_string()
                } else {
                    format!("扣分明细 ({i})")
                };
                sheet(&mut book, &name).height() - 1
            })
            .sum();
        assert_eq!(split, deductions);
    }
}

#[test]
fn constant_memory_writes_the_same_cells() {
    let p = sample_packet();
    let mut plain = read(&write_default(&p));
    let options = XlsxOptions {
        constant_memory: true,
        ..XlsxOptions::default()
    };
    let mut streamed = read(&write(&p, &options).expect("constant memory"));
    assert_eq!(plain.sheet_names(), streamed.sheet_names());
    for name in SHEETS {
        assert_eq!(
            sheet(&mut plain, name),
            sheet(&mut streamed, name),
            "{name}"
        );
    }
}

#[test]
fn wording_comes_from_the_strings() {
    let mut p = sample_packet();
    let sheets = p.strings.get_mut("sheet").expect("[sheet]");
    sheets.insert("projects".into(), "项目/得分:[一览]".into());
    sheets.insert("rules".into(), "规".repeat(40));
    sheets.insert("indicators".into(), "分部门".into());
    p.strings
        .get_mut("column")
        .expect("[column]")
        .remove("index");
    let mut book = read(&write_default(&p));
    let names = book.sheet_names();
    assert_eq!(names[2], "项目_得分__一览_");
    assert_eq!(names[4], "分部门_2", "a repeated name is made unique");
    assert_eq!(names[6], "规".repeat(31));
    assert_eq!(header(&sheet(&mut book, &names[2]))[0], "column.index");
}

#[test]
fn sheet_names_fit_excel() {
    let used = vec!["汇总".to_string()];
    assert_eq!(sheet_name("汇总", 1, &used), "汇总_2");
    assert_eq!(sheet_name("汇总", 2, &used), "汇总 (2)");
    assert_eq!(sheet_name("'a*b'", 1, &[]), "a_b");
    assert_eq!(sheet_name("  ", 1, &[]), "Sheet");
    let long = "很".repeat(40);
    let named = sheet_name(&long, 12, &[]);
    assert_eq!(named.encode_utf16().count(), 31);
    assert!(named.ends_with(" (12)"));
    // Characters outside the BMP count two.
    assert_eq!(sheet_name(&"𠀀".repeat(20), 1, &[]), "𠀀".repeat(15));
}

#[test]
fn hostile_values_do_not_break_the_workbook() {
    let mut p = sample_packet();
    p.projects[0].name = "长".repeat(40_000);
    p.projects[0].funds = Some(f64::NAN);
    p.projects[1].total = f64::INFINITY;
    p.meta.as_of = "不是日期".into();
    p.meta.year = -5;
    p.text.cover.clear();
    p.departments.clear();
    let bytes = write_default(&p);
    let mut book = read(&bytes);
    let range = sheet(&mut book, "项目得分");
    let name = text(range.get((1, 2)));
    assert_eq!(name.encode_utf16().count(), 32_767);
    assert!(name.ends_with('…'));
    assert!(matches!(range.get((1, 5)), Some(Data::Empty) | None));
    assert_eq!(sheet(&mut book, "分部门").height(), 1, "header only");
    assert!(
        part_xml(&bytes, "docProps/core.xml").contains(">2000-01-01T00:00:00Z</dcterms:created>")
    );
    let summary = sheet(&mut book, "汇总");
    assert_eq!(text(summary.get((0, 0))), format!("-5 {}", p.meta.title));
}

/// Writes the sample workbook for opening by hand (`cargo test -p jixiao-render -- --ignored
/// write_sample`; `XLSX_CHECK_DIR` overrides `/tmp/xlsx-check`).
#[test]
#[ignore]
fn write_sample() {
    let dir = std::env::var("XLSX_CHECK_DIR").unwrap_or_else(|_| "/tmp/xlsx-check".into());
    std::fs::create_dir_all(&dir).expect("the folder is made");
    let path = std::path::Path::new(&dir).join("packet.xlsx");
    std::fs::write(&path, write_default(&sample_packet())).expect("the file is written");
    eprintln!("wrote {}", path.display());
}

#[test]
fn a_sheet_excel_cannot_hold_is_a_format_error() {
    let mut p = sample_packet();
    let check = p.checks[0].clone();
    p.checks = vec![check; 16_400];
    match write(&p, &XlsxOptions::default()) {
        Err(RenderError::Format { format, message }) => {
            assert_eq!(format, "xlsx");
            assert!(message.starts_with("项目得分: "), "{message}");
        }
        other => panic!("expected a format error, got {:?}", other.map(|b| b.len())),
    }
}
