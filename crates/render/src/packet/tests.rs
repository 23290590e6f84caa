use super::*;

#[test]
fn department_file_names_are_safe_and_distinct() {
    let names: Vec<String> = [
        "攀枝花市西区民政局",
        "../etc/passwd",
        "a/b\\c:d",
        "..",
        "CON",
        "攀枝花市西区民政局",
        "  ",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let stems = file_stems(&names);
    assert_eq!(stems[0], "攀枝花市西区民政局");
    assert_eq!(stems[1], "etc_passwd");
    assert_eq!(stems[2], "a_b_c_d");
    assert_eq!(stems[3], "部门");
    assert_eq!(stems[4], "_CON");
    assert_eq!(stems[5], "攀枝花市西区民政局-2");
    assert_eq!(stems[6], "部门-2");
    for s in &stems {
        assert!(
            !s.contains('/') && !s.contains('\\') && !s.starts_with('.'),
            "{s}"
        );
    }
}

/// The packet of two real samples (001 盐边 and the 岳阳 extra), from `jixiao run` output kept in
/// `crates/render/testdata/` (regenerate with the command in its README).
pub(crate) fn sample_packet() -> PacketContext {
    let (ledger, card) = crate::tests::inputs();
    let meta = PacketMeta {
        title: "测试：2021年度部门预算项目绩效目标审核".into(),
        year: 2021,
        as_of: "2021-03-01".into(),
        issuer: "示例市财政局".into(),
        rubric_name: card.rubric.name.clone(),
        rubric_version: card.rubric.version.clone(),
        department: None,
        resubmit_by: "2024-03-16".into(),
        jurisdiction: None,
    };
    let mut packet = PacketContext::build(&ledger, &card, meta, None);
    let wording = crate::Wording::load(None).expect("bundled wording loads");
    packet.text = wording.prose(&packet).expect("bundled prose renders");
    packet.strings = wording.strings.clone();
    packet
}

#[test]
fn sample_packet_counts_and_orders() {
    let p = sample_packet();
    assert_eq!(p.summary.projects, 25);
    assert_eq!(p.projects.len(), 25);
    // 19 盐边 units and the 岳阳 supervisor; no 单位编码, so in name order.
    let names: Vec<&str> = p.departments.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names.len(), 20);
    assert_eq!(names[0], "中共盐边县委政法委员会");
    assert!(names.windows(2).all(|w| w[0] < w[1]));
    assert!(
        names.contains(&"岳阳县农业农村局"),
        "the supervisor, not the unit"
    );
    let records: usize = p.departments.iter().map(|d| d.records.len()).sum();
    assert_eq!(records, 25);
    let counted: usize = p.summary.grades.iter().map(|g| g.count).sum();
    assert_eq!(counted, 25);
    let guangxian = p
        .projects
        .iter()
        .find(|r| r.name.contains("光纤租赁"))
        .expect("光纤租赁费");
    assert_eq!(guangxian.percent, 100.0);
    assert!(!p.text.cover.is_empty() && !p.text.problems.is_empty());
}

#[test]
fn low_confidence_records_are_listed_in_the_unparsed_annex() {
    let mut ledger: Ledger = serde_json::from_str(include_str!("../../testdata/records.json"))
        .expect("testdata/records.json is a ledger");
    let card: Scorecard = serde_json::from_str(include_str!("../../testdata/scores.json"))
        .expect("testdata/scores.json is a scorecard");
    let before = PacketContext::build(&ledger, &card, sample_packet().meta, None)
        .unparsed
        .len();
    let record = &mut ledger.documents[0].records[0];
    record.confidence.level = jixiao_core::ConfidenceLevel::Low;
    record.confidence.guessed = vec!["normalize.cut-off".into()];
    record.diagnostics.push(jixiao_core::Diagnostic::warning(
        "normalize.cut-off",
        "the source is cut off at line 40",
        Some(40),
    ));
    let name = record.name.clone().unwrap_or_default();
    let p = PacketContext::build(&ledger, &card, sample_packet().meta, None);
    assert_eq!(p.unparsed.len(), before + 1);
    let row = p
        .unparsed
        .iter()
        .find(|u| u.code == "normalize.low-confidence")
        .expect("a low-confidence row");
    assert!(row.message.contains(&name), "{}", row.message);
    assert!(
        row.message.contains("cut off at line 40"),
        "{}",
        row.message
    );
}

#[test]
fn a_check_that_does_not_apply_is_marked_not_applicable_not_unscored() {
    let ledger: Ledger = serde_json::from_str(include_str!("../../testdata/records.json"))
        .expect("testdata/records.json is a ledger");
    let mut card: Scorecard = serde_json::from_str(include_str!("../../testdata/scores.json"))
        .expect("testdata/scores.json is a scorecard");
    let a2 = card.records[0]
        .checks
        .iter_mut()
        .find(|c| c.id == "A2")
        .expect("A2");
    a2.status = jixiao_core::CheckStatus::NotApplicable;
    let p = PacketContext::build(&ledger, &card, sample_packet().meta, None);
    let name = &card.records[0].name;
    let row = p
        .projects
        .iter()
        .find(|r| &r.name == name)
        .expect("project");
    let cell = row.checks.iter().find(|c| c.id == "A2").expect("A2 cell");
    assert!(cell.not_applicable && cell.points.is_none());
    let strings = crate::Wording::load(None).expect("wording").strings;
    assert_eq!(
        crate::wording::lookup(&strings, "packet.not_applicable"),
        Some("不适用")
    );
}

#[test]
fn department_scopes_from_one_pass_match_filtering_the_scorecard() {
    let (ledger, card) = crate::tests::inputs();
    let meta = sample_packet().meta;
    let scopes = Scope::departments(&card);
    assert_eq!(scopes.len(), 20);
    let total: usize = scopes.values().map(|s| s.scores.len()).sum();
    assert_eq!(total, card.records.len());
    for (name, scope) in scopes {
        let filtered: Vec<&RecordScore> = card
            .records
            .iter()
            .filter(|r| r.department == name)
            .collect();
        assert_eq!(scope.scores, filtered, "{name}");
        let from_scope = PacketContext::of_scope(&ledger, &card, meta.clone(), scope);
        assert_eq!(from_scope.meta.department.as_deref(), Some(name));
        assert_eq!(from_scope.projects.len(), filtered.len());
        assert!(from_scope.projects.iter().all(|p| p.department == name));
        // Only the documents its records come from.
        let files: std::collections::BTreeSet<&str> =
            filtered.iter().map(|r| r.record.file.as_str()).collect();
        assert_eq!(from_scope.sources.len(), files.len(), "{name}");
        assert!(
            from_scope
                .findings
                .iter()
                .all(|f| f.project.is_empty() || filtered.iter().any(|r| r.name == f.project)),
            "{name}: a finding of another department"
        );
    }
}

#[test]
fn the_summary_view_keeps_the_totals_and_drops_the_review_sheets() {
    let p = sample_packet();
    let view = p.summary_view();
    assert!(view.projects.is_empty());
    assert!(view.departments.iter().all(|d| d.records.is_empty()));
    assert_eq!(view.departments.len(), p.departments.len());
    assert_eq!(view.summary.projects, p.summary.projects);
    assert_eq!(view.summary.funds, p.summary.funds);
    assert_eq!(view.findings.len(), p.findings.len());
    assert_eq!(view.text.results, p.text.results);
}

#[test]
fn the_means_chart_keeps_the_lowest_departments_past_its_limit() {
    let mut p = sample_packet();
    assert_eq!(
        p.chart_departments().len(),
        20,
        "every department with projects"
    );
    assert_eq!(p.means_caption(), "各部门平均得分");
    let template = p.departments[0].clone();
    p.departments = (0..MEANS_CHART_MAX + 5)
        .map(|i| DepartmentRow {
            name: format!("部门{i}"),
            projects: 1,
            mean: 100.0 - i as f64,
            ..template.clone()
        })
        .collect();
    let shown = p.chart_departments();
    assert_eq!(shown.len(), MEANS_CHART_MAX);
    // The five highest means are the ones left out; the rest are drawn highest first.
    assert_eq!(shown.first(), Some(&5));
    assert!(
        shown
            .windows(2)
            .all(|w| p.departments[w[0]].mean >= p.departments[w[1]].mean)
    );
    assert_eq!(
        p.means_caption(),
        format!("平均得分最低的 {MEANS_CHART_MAX} 个部门")
    );
}

#[test]
fn a_split_report_lists_only_the_departments_whose_folder_is_not_their_name() {
    let mut p = sample_packet().summary_view();
    p.department_links = p
        .departments
        .iter()
        .map(|d| format!("departments/{}/", d.name))
        .collect();
    p.department_links[1] = "departments/改名-2/".into();
    let fonts = crate::pdf::tests::fonts();
    let options = crate::pdf::PdfOptions {
        fonts,
        sheets: false,
    };
    let pdf = crate::pdf::write(&p, &options, &mut Vec::new()).expect("pdf");
    let text = pdf_text(&pdf);
    assert!(
        text.contains("departments/改名-2/"),
        "the renamed folder is listed"
    );
    let other = format!("departments/{}/", p.departments[0].name);
    assert!(
        !text.contains(&other),
        "a folder named as its department is not"
    );
    assert!(
        text.contains("departments/<部门名称>/"),
        "where the folders are"
    );
}

#[test]
fn a_report_of_many_renamed_folders_lists_the_first_and_says_where_the_rest_are() {
    let mut p = sample_packet().summary_view();
    let template = p.departments[0].clone();
    let count = ANNEX_ROWS_IN_SUMMARY + 10;
    p.departments = (0..count)
        .map(|_| DepartmentRow {
            name: "教育局".into(),
            ..template.clone()
        })
        .collect();
    let names: Vec<String> = p.departments.iter().map(|d| d.name.clone()).collect();
    p.department_links = file_stems(&names)
        .iter()
        .map(|s| format!("departments/{s}/"))
        .collect();
    let options = crate::pdf::PdfOptions {
        fonts: crate::pdf::tests::fonts(),
        sheets: false,
    };
    let pdf = crate::pdf::write(&p, &options, &mut Vec::new()).expect("pdf");
    let text = pdf_text(&pdf);
    let listed = |n: usize| text.contains(&format!("departments/教育局-{n}/"));
    assert!(listed(2) && listed(ANNEX_ROWS_IN_SUMMARY + 1));
    assert!(!listed(ANNEX_ROWS_IN_SUMMARY + 2), "past the limit");
    assert!(
        text.contains(&format!("共{}个", count - 1)) && text.contains("审核材料所在文件夹"),
        "the note"
    );
}

#[test]
fn a_report_of_many_departments_lists_the_lowest_and_says_so() {
    let mut p = sample_packet();
    let (all, note) = p.report_departments();
    assert_eq!(all.len(), 20);
    assert!(note.is_none());
    let template = p.departments[0].clone();
    p.departments = (0..DEPARTMENTS_IN_REPORT + 10)
        .map(|i| DepartmentRow {
            name: format!("测试部门{i:03}"),
            projects: 1,
            mean: 50.0 + (i % 50) as f64,
            ..template.clone()
        })
        .collect();
    let (shown, note) = p.report_departments();
    assert_eq!(shown.len(), DEPARTMENTS_IN_REPORT);
    let note = note.expect("a note");
    assert!(
        note.contains(&format!("{}", DEPARTMENTS_IN_REPORT + 10)),
        "{note}"
    );
    // The highest means are the ones left out.
    let left_out: Vec<usize> = (0..p.departments.len())
        .filter(|i| !shown.contains(i))
        .collect();
    let lowest_left_out = left_out
        .iter()
        .map(|i| p.departments[*i].mean)
        .fold(f64::INFINITY, f64::min);
    assert!(
        shown
            .iter()
            .all(|i| p.departments[*i].mean <= lowest_left_out)
    );
    // And the PDF prints the note and only those rows.
    let options = crate::pdf::PdfOptions {
        fonts: crate::pdf::tests::fonts(),
        sheets: false,
    };
    let pdf = crate::pdf::write(&p.summary_view(), &options, &mut Vec::new()).expect("pdf");
    let text = pdf_text(&pdf);
    assert!(text.contains("下表列出平均得分最低的"), "the note");
    let missing = &p.departments[left_out[0]].name;
    assert!(!text.contains(missing.as_str()), "{missing} is printed");
    assert!(text.contains(p.departments[shown[0]].name.as_str()));
}

/// The text of a PDF through poppler's `pdftotext` (installed by .ci/deps), without whitespace.
/// A packet whose annexes hold `plain` unremarkable rows each, then, at the end, one source with
/// an error, one of another year and one unparsed error and warning: what a report of a province
/// has to choose from.
fn packet_of_many_files(plain: usize) -> PacketContext {
    let mut p = sample_packet();
    let source = p.sources[0].clone();
    let row = p.unparsed[0].clone();
    let year = p.meta.year;
    let plain_source = |n: usize| SourceRow {
        file: format!("inputs/plain-{n:04}.txt"),
        records: 3,
        stated: None,
        errors: 0,
        warnings: 0,
        year: Some(year),
        ..source.clone()
    };
    p.sources = (0..plain).map(plain_source).collect();
    p.sources.push(SourceRow {
        file: "inputs/broken.txt".into(),
        errors: 1,
        ..plain_source(plain)
    });
    p.sources.push(SourceRow {
        file: "inputs/last-year.txt".into(),
        year: Some(year - 1),
        ..plain_source(plain + 1)
    });
    p.summary.documents = p.sources.len();
    let unparsed = |n: usize, severity: &str, message: &str| UnparsedRow {
        line: Some(n as u32 + 1),
        severity: severity.into(),
        message: message.into(),
        ..row.clone()
    };
    p.unparsed = (0..plain)
        .map(|n| unparsed(n, "提示", &format!("跳过的说明文字{n:04}")))
        .collect();
    p.unparsed.push(unparsed(plain, "错误", "读不出的表格"));
    p.unparsed
        .push(unparsed(plain + 1, "警告", "置信度低的表格"));
    p.summary.unparsed = p.unparsed.len();
    p
}

#[test]
fn a_small_report_lists_every_source_and_unparsed_row() {
    let p = packet_of_many_files(10);
    let view = p.summary_view();
    assert_eq!(view.sources.len(), 12);
    assert_eq!(view.unparsed.len(), 12);
    assert!(view.sources_note().is_none());
    assert!(view.unparsed_note().is_none());
}

#[test]
fn a_report_of_many_files_lists_those_that_need_a_look_and_says_so() {
    let p = packet_of_many_files(ANNEX_ROWS_IN_SUMMARY + 40);
    let view = p.summary_view();
    assert_eq!(view.sources.len(), ANNEX_ROWS_IN_SUMMARY);
    assert_eq!(view.unparsed.len(), ANNEX_ROWS_IN_SUMMARY);
    // The file with an error and the file of another year are kept, in the packet's order, and
    // so are the first plain files; the last plain ones are left out.
    let files: Vec<&str> = view.sources.iter().map(|d| d.file.as_str()).collect();
    assert_eq!(files[0], "inputs/plain-0000.txt");
    assert_eq!(
        files[ANNEX_ROWS_IN_SUMMARY - 2..],
        ["inputs/broken.txt", "inputs/last-year.txt"]
    );
    let severities: Vec<&str> = view.unparsed.iter().map(|u| u.severity.as_str()).collect();
    assert_eq!(severities[ANNEX_ROWS_IN_SUMMARY - 2..], ["错误", "警告"]);
    assert!(
        view.unparsed.windows(2).all(|w| w[0].line < w[1].line),
        "in the packet's order"
    );
    let total = ANNEX_ROWS_IN_SUMMARY + 42;
    let sources_note = view.sources_note().expect("a note under 附件3");
    assert!(
        sources_note.contains(&format!("共读取 {total} 份")) && sources_note.contains("资料来源"),
        "{sources_note}"
    );
    let unparsed_note = view.unparsed_note().expect("a note under 附件4");
    assert!(
        unparsed_note.contains(&format!("共 {total} 条"))
            && unparsed_note.contains("未能解析的内容"),
        "{unparsed_note}"
    );

    // The report prints the notes and only the rows kept.
    let options = crate::pdf::PdfOptions {
        fonts: crate::pdf::tests::fonts(),
        sheets: false,
    };
    let pdf = crate::pdf::write(&view, &options, &mut Vec::new()).expect("pdf");
    let text = pdf_text(&pdf);
    for kept in [
        "inputs/broken.txt",
        "读不出的表格",
        "置信度低的表格",
        "跳过的说明文字0000",
    ] {
        assert!(text.contains(kept), "{kept} is not printed");
    }
    let last_plain = ANNEX_ROWS_IN_SUMMARY + 39;
    assert!(!text.contains(&format!("plain-{last_plain:04}")));
    assert!(!text.contains(&format!("跳过的说明文字{last_plain:04}")));
    // (`pdf_text` drops white space.)
    assert!(
        text.contains(&format!("共读取{total}份文件")),
        "the sources note"
    );
    assert!(text.contains(&format!("共{total}条")), "the unparsed note");

    // And so does the page.
    let wording = crate::Wording::load(None).expect("bundled wording loads");
    let page = crate::html::write(&view, &crate::html::HtmlOptions { wording: &wording })
        .expect("the page renders");
    let page = String::from_utf8(page).expect("UTF-8");
    assert!(page.contains(&sources_note) && page.contains(&unparsed_note));
    assert!(!page.contains(&format!("plain-{last_plain:04}")));
}

#[test]
fn the_scope_names_ten_files_of_another_year_or_place_and_says_where_the_rest_are() {
    let wording = crate::Wording::load(None).expect("bundled wording loads");
    let mut p = sample_packet();
    let scope = |p: &PacketContext| wording.prose(p).expect("prose").scope.concat();
    p.summary.other_years = (0..3)
        .map(|n| format!("old-{n:02}.txt（2020年度）"))
        .collect();
    let few = scope(&p);
    assert!(
        few.contains("其中3份文件的表格不是2021年度") && few.contains("old-02.txt"),
        "{few}"
    );
    assert!(!few.contains("全部见"), "{few}");

    p.summary.other_years = (0..12)
        .map(|n| format!("old-{n:02}.txt（2020年度）"))
        .collect();
    p.summary.places = vec!["盐边县（3张）".into()];
    p.summary.place_count = 1;
    p.summary.jurisdiction = "攀枝花市西区".into();
    p.summary.other_places = (0..11)
        .map(|n| format!("far-{n:02}.txt（盐边县）"))
        .collect();
    let many = scope(&p);
    assert!(many.contains("其中12份文件的表格不是2021年度"), "{many}");
    assert!(
        many.contains("old-09.txt（2020年度）等（全部见 packet.xlsx 的“资料来源”工作表）"),
        "{many}"
    );
    assert!(!many.contains("old-10.txt"), "{many}");
    assert!(
        many.contains("其中11份文件的填报单位不属于本次审核的攀枝花市西区"),
        "{many}"
    );
    assert!(many.contains("far-09.txt（盐边县）等（全部见"), "{many}");
    assert!(!many.contains("far-10.txt"), "{many}");
}

fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).expect("write");
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils, see .ci/deps)");
    String::from_utf8_lossy(&out.stdout)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[test]
fn a_context_without_rows_keeps_every_total_and_the_findings_codes() {
    let (ledger, card) = crate::tests::inputs();
    let p = sample_packet();
    let meta = p.meta.clone();
    let bare = PacketContext::of_scope_rows(&ledger, &card, meta, Scope::whole(&card), false);
    assert!(bare.projects.is_empty());
    assert_eq!(bare.summary.projects, p.summary.projects);
    assert_eq!(bare.summary.deductions, p.summary.deductions);
    assert_eq!(
        bare.summary.deductions,
        p.projects.iter().map(|r| r.deductions.len()).sum::<usize>()
    );
    let codes = |c: &PacketContext| -> Vec<Option<String>> {
        c.findings.iter().map(|f| f.project_code.clone()).collect()
    };
    assert_eq!(codes(&bare), codes(&p));
}

#[test]
fn findings_streamed_out_leave_the_report_what_it_shows() {
    let (ledger, mut card) = crate::tests::inputs();
    // 75 warnings and 3 errors: more than the report lists of warnings.
    let mut findings = Vec::new();
    for _ in 0..5 {
        findings.extend(card.findings.iter().cloned());
    }
    for f in card.findings.iter().take(3) {
        findings.push(Finding {
            severity: Severity::Error,
            ..f.clone()
        });
    }
    card.findings = findings;
    let meta = sample_packet().meta;
    let whole =
        PacketContext::of_scope_rows(&ledger, &card, meta.clone(), Scope::whole(&card), false);
    let mut builder = ScopeBuilder::new(&card.rubric, meta, None, false);
    for d in &ledger.documents {
        builder.add_document(d);
    }
    for s in &card.records {
        builder.add_card(s, record_of(&ledger, s));
    }
    let rows: Vec<FindingRow> = card
        .findings
        .iter()
        .filter_map(|f| builder.finding_row(f))
        .collect();
    let streamed = builder.finish();
    let json = |v: &[FindingRow]| serde_json::to_string(v).unwrap_or_default();
    assert_eq!(rows.len(), 78);
    assert!(
        json(&rows) == json(&whole.findings),
        "every row handed back, in order"
    );
    assert_eq!(streamed.findings.len(), views::FINDINGS_IN_SUMMARY + 3);
    assert_eq!(streamed.summary.findings, 78);
    assert!(
        json(&streamed.summary_view().findings) == json(&whole.summary_view().findings),
        "the report lists the same findings"
    );
    assert_eq!(
        serde_json::to_string(&streamed.summary).ok(),
        serde_json::to_string(&whole.summary).ok()
    );
}
