//! Whole-document tests on small hand-made inputs, one per layout family and irregularity. The real
//! samples are covered by the golden files in `tests/golden/`.

use jixiao_core::{
    Cell, Layout, Level1, Level2, Record, RecordKind, Row, Severity, SourceDocument,
};

use crate::{NormalizeContext, normalize_document};

mod provincial;

/// Rows of cells as `ingest` would give them: `\t` separates cells, `\n` rows; blank lines keep their
/// line numbers.
fn doc(layout: Layout, text: &str) -> SourceDocument {
    let sep = match layout {
        Layout::Pipe => '|',
        Layout::Csv => ',',
        _ => '\t',
    };
    let rows = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let line = i as u32 + 1;
            let cells = match layout {
                Layout::SpaceSeparated => {
                    l.split_whitespace().map(str::to_string).collect::<Vec<_>>()
                }
                _ => l.split(sep).map(|c| c.trim().to_string()).collect(),
            };
            Row::new(
                line,
                0,
                cells
                    .into_iter()
                    .enumerate()
                    .map(|(j, text)| Cell::new(text, line, j as u32 + 1))
                    .collect(),
            )
        })
        .collect();
    SourceDocument {
        file: "t.txt".into(),
        format: Default::default(),
        layout,
        encoding: "UTF-8".into(),
        rows,
        diagnostics: vec![],
    }
}

fn records(layout: Layout, text: &str) -> (Vec<Record>, Vec<jixiao_core::Diagnostic>) {
    let ctx = NormalizeContext::new(&Default::default(), Some(2024)).expect("dictionary");
    let out = normalize_document(doc(layout, text), &ctx);
    (out.records, out.diagnostics)
}

fn triples(r: &Record) -> Vec<(Option<Level1>, Option<Level2>, &str, &str)> {
    r.indicators
        .iter()
        .map(|i| (i.level1, i.level2, i.name.as_str(), i.value.as_str()))
        .collect()
}

const TABBED: &str = "部门（单位）预算项目支出绩效目标表\n\
项目名称\t培训经费\t\t\n\
部门（单位）\t某某局\t\t\n\
项目资金来源\t资金来源\t\t2024年预算申请数（万元）\n\
\t合计\t\t10\n\
\t财政拨款\t\t10\n\
\t非财政拨款\t\t\n\
总体绩效目标\t一级指标\t二级指标\t三级指标\t指标值\n\
\t项目完成\t数量指标\t培训人次\t≥200人次\n\
\t\t\t培训天数\t3天\n\
\t\t质量指标\t合格率\t≥95%\n\
\t成本指标\t培训费\t≤10万元\t\n\
\t可持续影响指标\t\t长效机制\t持续\n\
\t满意度指标\t满意度指标\t学员满意度\t≥90%\n";

#[test]
fn tabbed_table_with_merged_cells_and_drifting_columns() {
    let (recs, _) = records(Layout::Tabbed, TABBED);
    assert_eq!(recs.len(), 1);
    let r = &recs[0];
    assert_eq!(r.name.as_deref(), Some("培训经费"));
    assert_eq!(r.unit.as_deref(), Some("某某局"));
    assert_eq!(
        (r.funds.total, r.funds.fiscal, r.funds.other),
        (Some(10.0), Some(10.0), None)
    );
    assert_eq!(r.year, Some(2024));
    use Level1::{Benefit, Output};
    use Level2::{Quality, Quantity, Sustainable};
    assert_eq!(
        triples(r),
        vec![
            (Some(Output), Some(Quantity), "培训人次", "≥200人次"),
            (Some(Output), Some(Quantity), "培训天数", "3天"),
            (Some(Output), Some(Quality), "合格率", "≥95%"),
            (Some(Output), Some(Level2::Cost), "培训费", "≤10万元"),
            (Some(Benefit), Some(Sustainable), "长效机制", "持续"),
            (
                Some(Level1::Satisfaction),
                Some(Level2::Satisfaction),
                "学员满意度",
                "≥90%"
            ),
        ]
    );
    // The 二级 in the 一级 column is repaired and said so.
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.code == "normalize.level1-inferred" && d.line == Some(13))
    );
    assert_eq!(r.indicators[3].parsed.money_wan, Some(10.0));
}

#[test]
fn pipe_table_reads_like_tabbed() {
    let text = TABBED.replace('\t', "|");
    let (recs, _) = records(Layout::Pipe, &text);
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0].indicators.len(), 6);
}

#[test]
fn one_row_per_indicator_export_groups_rows_by_project() {
    let text = "项目名称,预算单位,年度资金总额,一级指标,二级指标,三级指标,指标性质,指标值,度量单位,权重\n\
A项目,甲局,20,产出指标,数量指标,采购台数,≥,5,台,10\n\
A项目,甲局,20,效益指标,社会效益指标,服务人数,≥,100,人,10\n\
B项目,乙局,8.5,产出指标,时效指标,完成时间,≤,12,月,10\n";
    let (recs, _) = records(Layout::Csv, text);
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0].name.as_deref(), Some("A项目"));
    assert_eq!(recs[0].funds.total, Some(20.0));
    assert_eq!(recs[0].indicators.len(), 2);
    assert_eq!(recs[0].indicators[0].value, "≥5台");
    assert_eq!(recs[0].indicators[1].level1, Some(Level1::Benefit));
    assert_eq!(recs[1].unit.as_deref(), Some("乙局"));
    assert_eq!(recs[1].indicators[0].value, "≤12月");
}

#[test]
fn paragraph_stream_pairs_names_and_values() {
    let text = "绩效目标申报表\n\n(2022年度)\n\n项目名称\n\n农田建设\n\n主管部门\n\n农业局\n\n资金情况 (万元)\n\n\
年度资金总额:\n\n854万\n\n其他资金\n\n总体目标\n\n年度目标\n\n完成主体工程70%\n\n绩效指标\n\n一级指标\n\n二级指标\n\n\
三级指标\n\n指标值\n\n产出指标\n\n数量指标\n\n道路硬化里程\n\n≥100公里\n\n供水设施\n\n≥20座\n\n效益指标\n\n经济效益\n\n\
指标\n\n年增粮食\n\n3500公斤\n\n注:各地请根据实际情况填报\n";
    let (recs, _) = records(Layout::Paragraph, text);
    assert_eq!(recs.len(), 1);
    let r = &recs[0];
    assert_eq!(r.name.as_deref(), Some("农田建设"));
    assert_eq!(r.supervisor.as_deref(), Some("农业局"));
    assert_eq!(r.funds.total, Some(854.0));
    assert_eq!(r.funds.other, None);
    assert_eq!(r.goal.as_deref(), Some("完成主体工程70%"));
    assert_eq!(r.year, Some(2022));
    use Level1::{Benefit, Output};
    use Level2::{Economic, Quantity};
    assert_eq!(
        triples(r),
        vec![
            (Some(Output), Some(Quantity), "道路硬化里程", "≥100公里"),
            (Some(Output), Some(Quantity), "供水设施", "≥20座"),
            (Some(Benefit), Some(Economic), "年增粮食", "3500公斤"),
        ]
    );
}

#[test]
fn space_separated_rows_with_wrapped_labels() {
    let text = "项目支出绩效目标申报表\n项目名称 麻风病防治\n预算单位 疾控中心\n项目资金(万元) 年度资金总额 金额(万元)\n\
(一)财政拨款小计 4.00\n(二)自有资金小计 0.00\n总体\n目标\n年度目标\n开展宣传活动。\n\
绩效指标 一级指标 二级指标 三级指标 指标值\n绩效指标 项目完成\n指标\n数量指标 慰问人数 32人\n宣传教育 覆盖全区\n\
满意度指标 满意度指标 群众幸福感 明显提升\n";
    let (recs, _) = records(Layout::SpaceSeparated, text);
    assert_eq!(recs.len(), 1);
    let r = &recs[0];
    assert_eq!(r.name.as_deref(), Some("麻风病防治"));
    // A blank total is never 0: it is the sum of its parts, and the record says so.
    assert_eq!(r.funds.total, Some(4.0));
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.code == "normalize.total-from-parts")
    );
    assert_eq!(r.funds.fiscal, Some(4.0));
    assert_eq!(r.funds.other, Some(0.0));
    assert_eq!(r.goal.as_deref(), Some("开展宣传活动。"));
    assert_eq!(
        triples(r),
        vec![
            (
                Some(Level1::Output),
                Some(Level2::Quantity),
                "慰问人数",
                "32人"
            ),
            (
                Some(Level1::Output),
                Some(Level2::Quantity),
                "宣传教育",
                "覆盖全区"
            ),
            (
                Some(Level1::Satisfaction),
                Some(Level2::Satisfaction),
                "群众幸福感",
                "明显提升"
            ),
        ]
    );
}

#[test]
fn department_overall_funds_grid_and_group_labels() {
    let text = "部门整体支出绩效目标申报表\n\
预算单位\t某区人大办\n\
预算资金（万元)\t年度资金总额:\t合计\t财政资金\t其他资金\n\
\t\t1,048.54\t1,048.54\t\n\
\t其中：人员类项目支出:\t732.97\t732.97\t\n\
年度主要任务及拟达到的目标\t召开会议，监督工作。\n\
绩效指标\t一级指标\t二级指标\t指标值\n\
\t基本经费\t数量指标\t财政供养人员29人\n\
\t\t质量指标\t保障率100%\n\
\t效益指标\t社会效益指标\t贯彻落实人民代表大会制度\n";
    let (recs, _) = records(Layout::Tabbed, text);
    assert_eq!(recs.len(), 1);
    let r = &recs[0];
    assert_eq!(r.kind, RecordKind::DepartmentOverall);
    assert_eq!(r.name.as_deref(), Some("某区人大办"));
    assert_eq!(
        (r.funds.total, r.funds.fiscal, r.funds.other),
        (Some(1048.54), Some(1048.54), None)
    );
    assert_eq!(r.funds.items[1].label, "其中：人员类项目支出");
    assert_eq!(r.funds.items[1].amount, Some(732.97));
    assert_eq!(r.indicators[0].level1_raw.as_deref(), Some("基本经费"));
    assert_eq!(r.indicators[0].level1, Some(Level1::Output));
    assert_eq!(r.indicators[0].value, "财政供养人员29人");
    assert_eq!(r.indicators[1].level1_raw.as_deref(), Some("基本经费"));
    assert_eq!(r.indicators[2].level1, Some(Level1::Benefit));
}

#[test]
fn self_evaluation_forms_and_lists_make_no_records() {
    let text = "项目支出绩效自评表\n项目名称\t某项目\n一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t得分\n\
产出指标\t数量指标\t台数\t5台\t5台\t10\n\n\
政府采购预算表\n项目名称\t预算资金\t采购品目\n办公设备\t3.2\t打印机\n";
    let (recs, diags) = records(Layout::Tabbed, text);
    assert!(recs.is_empty(), "{recs:?}");
    assert!(diags.iter().any(|d| d.code == "normalize.not-target-table"));
    assert!(diags.iter().all(|d| d.severity != Severity::Error));
}

#[test]
fn a_titled_table_without_indicators_is_an_error() {
    let text = "项目支出绩效目标表\n项目名称\t某项目\n预算单位\t某局\n年度资金总额\t5\n";
    let (recs, diags) = records(Layout::Tabbed, text);
    assert!(recs.is_empty());
    let d = diags
        .iter()
        .find(|d| d.code == "normalize.table-not-understood")
        .expect("error diagnostic");
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(d.line, Some(1));
}

#[test]
fn tree_layout_with_colon_values() {
    let text = "项目名称：社区养老\n预算单位：民政局\n年度资金总额：12万元\n年度目标：服务老人300人。\n\
产出指标\n数量指标\n服务人数：≥300人\n时效指标\n完成时间：2024年12月底前\n满意度指标\n老人满意度：≥90%\n";
    let (recs, _) = records(Layout::Tabbed, text);
    assert_eq!(recs.len(), 1);
    let r = &recs[0];
    assert_eq!(r.name.as_deref(), Some("社区养老"));
    assert_eq!(r.funds.total, Some(12.0));
    assert_eq!(r.goal.as_deref(), Some("服务老人300人。"));
    assert_eq!(
        triples(r),
        vec![
            (
                Some(Level1::Output),
                Some(Level2::Quantity),
                "服务人数",
                "≥300人"
            ),
            (
                Some(Level1::Output),
                Some(Level2::Timeliness),
                "完成时间",
                "2024年12月底前"
            ),
            (
                Some(Level1::Satisfaction),
                Some(Level2::Satisfaction),
                "老人满意度",
                "≥90%"
            ),
        ]
    );
}

#[test]
fn department_grid_in_cell_per_line_layout() {
    let text = "部门整体支出绩效目标申报表\n\n（2024年度）\n\n预算单位\t某区人大办\n\n\
预算资金（万元)\t年度资金总额:\t合计\t财政资金\t其他资金\n\n\t\t1,048.54\t1,048.54\t\n\n\
\t其中：人员类项目支出:\t732.97\t732.97\t\n\n绩效指标\t一级指标\t二级指标\t指标值\n\n\t基本经费\t数量指标\t29人\n";
    let (recs, _) = records(Layout::CellPerLine, text);
    assert_eq!(recs.len(), 1);
    assert_eq!(
        (recs[0].funds.total, recs[0].funds.fiscal),
        (Some(1048.54), Some(1048.54))
    );
}

#[test]
fn bare_amounts_can_be_declared_in_yuan() {
    let config = jixiao_config::NormalizeConfig {
        money_unit: jixiao_config::MoneyUnit::Yuan,
        ..Default::default()
    };
    let ctx = NormalizeContext::new(&config, Some(2024)).expect("dictionary");
    // The table's own `（万元）` wins over the default…
    let out = normalize_document(doc(Layout::Tabbed, TABBED), &ctx);
    assert_eq!(out.records[0].funds.total, Some(10.0));
    // …and without it, bare amounts are 元.
    let unitless = TABBED.replace("2024年预算申请数（万元）", "2024年预算申请数");
    let out = normalize_document(doc(Layout::Tabbed, &unitless), &ctx);
    assert_eq!(out.records[0].funds.total, Some(0.001));
    // An amount that states its unit is not rescaled.
    assert_eq!(out.records[0].indicators[3].parsed.money_wan, Some(10.0));
}

#[test]
fn a_value_cut_by_a_pdf_page_break_is_joined_and_a_new_row_is_not() {
    let text = "部门（单位）预算项目支出绩效目标表\n\
项目名称\t培训经费\t\t\n\
总体绩效目标\t一级指标\t二级指标\t三级指标\t指标值\n\
\t项目完成\t数量指标\t培训人次\t开展业务培训\n\
\t\t\t\t200人次\n\
\t\t\t培训天数\t3天\n";
    let mut d = doc(Layout::Grid, text);
    // Page 2 starts at the value fragment (line 5).
    for row in &mut d.rows {
        row.page = Some(if row.line >= 5 { 2 } else { 1 });
    }
    let ctx = NormalizeContext::new(&Default::default(), Some(2024)).expect("dictionary");
    let recs = normalize_document(d, &ctx).records;
    let got: Vec<(&str, &str)> = recs[0]
        .indicators
        .iter()
        .map(|i| (i.name.as_str(), i.value.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![("培训人次", "开展业务培训200人次"), ("培训天数", "3天")]
    );
    // Without the page break the same value-only row is not glued to a value that is complete.
    let recs = records(Layout::Grid, text).0;
    assert_eq!(recs[0].indicators.len(), 3);
}

#[test]
fn a_level_cut_by_a_pdf_page_break_is_joined_to_its_level_not_to_the_name() {
    // A browser's PDF cuts `社会效益指标` after `社会效益`; `指标` opens page 2 in the 二级 column.
    let text = "部门（单位）预算项目支出绩效目标表\n\
项目名称\t培训经费\t\t\n\
总体绩效目标\t一级指标\t二级指标\t三级指标\t指标值\n\
\t产出指标\t数量指标\t培训人次\t200人次\n\
\t效益指标\t社会效益\t视察、调研\t解决群众困难\n\
\t\t指标\t\t\n\
\t\t可持续影响指标\t履职能力\t提高\n";
    let mut d = doc(Layout::Grid, text);
    for row in &mut d.rows {
        row.page = Some(if row.line >= 6 { 2 } else { 1 });
    }
    let ctx = NormalizeContext::new(&Default::default(), Some(2024)).expect("dictionary");
    let recs = normalize_document(d, &ctx).records;
    let cut = &recs[0].indicators[1];
    assert_eq!(cut.name, "视察、调研");
    assert_eq!(cut.level2_raw.as_deref(), Some("社会效益指标"));
    assert_eq!(cut.level2, Some(Level2::Social));
    assert_eq!(recs[0].indicators.len(), 3);
    assert!(
        recs[0]
            .diagnostics
            .iter()
            .any(|d| d.code == "normalize.row-continued" && d.message.contains("二级"))
    );
}

#[test]
fn a_browsers_pdf_of_a_web_page_reads_like_the_page() {
    // Radicals for ideographs (`⼈⼤`, `⻄区`), and the site's footer right under the table.
    let text = "部门（单位）预算项目支出绩效目标表\n\
项⽬名称\t⼈⼤业务经费\n\
部门（单位）\t攀枝花市⻄区⼈⺠代表⼤会常务委员会办公室\n\
⼀级指标\t⼆级指标\t三级指标\t指标值\n\
产出指标\t数量指标\t⼈⼤代表\t230⼈\n\
主办：某县⼈⺠政府办公室联系电话：0000-0000000\n";
    let (recs, _) = records(Layout::Grid, text);
    assert_eq!(recs[0].name.as_deref(), Some("人大业务经费"));
    // A title naming a project that 承办 something is no footer.
    let title = text.replace(
        "部门（单位）预算项目支出绩效目标表",
        "80、承办省市老领导调研绩效目标表",
    );
    let (titled, _) = records(Layout::Grid, &title);
    assert_eq!(titled[0].lines[0], 1);
    assert_eq!(
        recs[0].unit.as_deref(),
        Some("攀枝花市西区人民代表大会常务委员会办公室")
    );
    // The footer is no indicator.
    let [only] = recs[0].indicators.as_slice() else {
        panic!("one indicator: {:?}", triples(&recs[0]));
    };
    assert_eq!(
        (only.name.as_str(), only.value.as_str()),
        ("人大代表", "230人")
    );
}

#[test]
fn a_unit_code_is_read_from_a_contents_entry_a_narrow_page_wrapped() {
    let text = "目录\n101001攀枝花市西区人民代表大会常务委员会办公\n室.....1\n102001某局.....4\n\
部门（单位）预算项目支出绩效目标表\n项目名称\t人大业务经费\n\
部门（单位）\t攀枝花市西区人民代表大会常务委员会办公室\n\
一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t人大代表\t230人\n";
    let (recs, _) = records(Layout::Tabbed, text);
    assert_eq!(
        recs[0].attributes.get("单位编码").map(String::as_str),
        Some("101001")
    );
}

/// Known misreadings of the samples (issue 12), each in its smallest form.
mod sample_misreadings {
    use super::*;

    #[test]
    fn a_sentence_under_a_blank_funds_row_is_not_its_amount() {
        // 004 L3620–3623: `其他资金` blank, the next line is the 资金用途 text citing `邯密传[2022]43号`.
        let text = "项目名称\t人才项目\n预算规模及资金用途\t预算数\t5.00\t其中：财政资金\t5.00\t其他资金\t\n\
\t为贯彻落实《人才发展规划》（邯密传[2022]43号），推进人才工作。\n\
一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t支持项目数量\t≥1个\n";
        let (recs, _) = records(Layout::Tabbed, text);
        let f = &recs[0].funds;
        assert_eq!((f.total, f.fiscal, f.other), (Some(5.0), Some(5.0), None));
        assert!(
            recs[0]
                .funds_use
                .as_deref()
                .is_some_and(|u| u.contains("43号"))
        );
    }

    #[test]
    fn a_year_inside_the_project_name_is_not_the_budget_year() {
        // 004 L2271: `邯财教[2023]26号 2022年度市级文化产业发展引导资金` in a 2024 budget disclosure.
        let text = "2024年部门预算公开\n1、邯财教[2023]26号 2022年度市级文化产业发展引导资金绩效目标表\n\
项目名称\t邯财教[2023]26号 2022年度市级文化产业发展引导资金\n一级指标\t二级指标\t三级指标\t指标值\n\
产出指标\t数量指标\t扶持项目\t≥3个\n";
        let (recs, _) = records(Layout::Tabbed, text);
        assert_eq!(recs[0].year, Some(2024));
        // A year outside the name still dates the table.
        let text = "2023年部门项目支出绩效目标表\n项目名称\t某项目\n一级指标\t二级指标\t三级指标\t指标值\n\
产出指标\t数量指标\t扶持项目\t≥3个\n";
        let (recs, _) = records(Layout::Tabbed, text);
        assert_eq!(recs[0].year, Some(2023));
    }

    #[test]
    fn cell_per_line_rows_point_at_their_name_cell_and_the_table_ends_at_its_last_cell() {
        // 002: a row's cells are on lines 10–13; its first (blank) cell is on line 9.
        let cell = |text: &str, line: u32, column: u32| Cell::new(text, line, column);
        let rows = vec![
            Row::new(1, 0, vec![cell("项目名称", 1, 1), cell("某项目", 2, 2)]),
            Row::new(
                4,
                0,
                vec![
                    cell("一级指标", 4, 1),
                    cell("二级指标", 5, 2),
                    cell("三级指标", 6, 3),
                    cell("指标值", 7, 4),
                ],
            ),
            Row::new(
                9,
                0,
                vec![
                    cell("", 9, 1),
                    cell("产出指标", 10, 2),
                    cell("数量指标", 11, 3),
                    cell("会议次数", 12, 4),
                    cell("8次", 13, 5),
                ],
            ),
        ];
        let doc = SourceDocument {
            file: "t.txt".into(),
            format: Default::default(),
            layout: Layout::CellPerLine,
            encoding: "UTF-8".into(),
            rows,
            diagnostics: vec![],
        };
        let ctx = NormalizeContext::new(&Default::default(), Some(2024)).expect("dictionary");
        let out = normalize_document(doc, &ctx);
        let r = &out.records[0];
        assert_eq!(r.indicators[0].line, 12);
        assert_eq!(r.lines[1], 13);
    }
}

/// Every code the normaliser emits is in the diagnostics table of docs/normalize.md.
#[test]
fn every_diagnostic_code_is_documented() {
    fn sources(dir: &std::path::Path, out: &mut String) {
        for entry in std::fs::read_dir(dir).expect("src dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push_str(&std::fs::read_to_string(&path).expect("source"));
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut text = String::new();
    sources(&root.join("src"), &mut text);
    let docs = std::fs::read_to_string(root.join("../../docs/normalize.md")).expect("docs");
    let table: String = docs
        .lines()
        .filter(|l| l.starts_with("| `normalize."))
        .collect::<Vec<_>>()
        .join("\n");
    let mut missing = Vec::new();
    for piece in text.split("\"normalize.").skip(1) {
        let code: String = piece
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
            .collect();
        let documented = table.contains(&format!("`normalize.{code}`"))
            || table.contains(&format!("/ `{code}`"));
        if !code.is_empty() && !documented && !missing.contains(&code) {
            missing.push(code);
        }
    }
    assert!(missing.is_empty(), "not in docs/normalize.md: {missing:?}");
}
