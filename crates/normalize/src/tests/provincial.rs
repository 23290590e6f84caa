//! Layouts of other provinces' tables, each in the smallest form that shows it (the real files are in
//! `tests/fixtures/provinces/`, checked by `crates/ingest/tests/provinces.rs`).

use super::*;

fn codes(r: &Record) -> Vec<&str> {
    r.diagnostics.iter().map(|d| d.code.as_str()).collect()
}

#[test]
fn a_row_holding_several_indicator_rows_is_split_by_the_column_titles() {
    let text = "项目名称|生猪奖励资金\n年度金额|397\n一级指标|二级指标|三级指标|单位|指标值\n绩效指标|产出指标|数量指标|猪肉产量稳定率|%|≥95%|能繁母猪稳定率|%|90%\n";
    let (recs, _) = records(Layout::Pipe, text);
    assert_eq!(
        triples(&recs[0]),
        vec![
            (
                Some(Level1::Output),
                Some(Level2::Quantity),
                "猪肉产量稳定率",
                "≥95%"
            ),
            (
                Some(Level1::Output),
                Some(Level2::Quantity),
                "能繁母猪稳定率",
                "90%"
            ),
        ]
    );
    assert!(codes(&recs[0]).contains(&"normalize.row-split"));
    // Rows without labels (merged 一级/二级), names in book-title marks.
    let text = "项目名称|某项目\n一级指标|二级指标|三级指标|指标值\n产出指标|数量指标|创办电子读物|全年24期\n开展采风|全年2场|《金沙潮》作品集|3册|质量指标|《金沙潮》电子读物|打造文艺读物\n";
    let (recs, _) = records(Layout::Pipe, text);
    let names: Vec<&str> = recs[0].indicators.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "创办电子读物",
            "开展采风",
            "《金沙潮》作品集",
            "《金沙潮》电子读物"
        ]
    );
    assert_eq!(recs[0].indicators[3].level2, Some(Level2::Quality));
    // A label word as the 三级 name after a 一级 and a 二级 is the name, not a third label.
    let text = "项目名称|某项目\n一级指标|二级指标|三级指标|指标值\n项目效益|社会效益指标|提升知名度|宣传报道|满意度指标|满意度指标|服务对象满意度|≥95%\n";
    let (recs, _) = records(Layout::Pipe, text);
    assert_eq!(
        triples(&recs[0]),
        vec![
            (
                Some(Level1::Benefit),
                Some(Level2::Social),
                "提升知名度",
                "宣传报道"
            ),
            (
                Some(Level1::Satisfaction),
                Some(Level2::Satisfaction),
                "服务对象满意度",
                "≥95%"
            ),
        ]
    );
    // A value written with spaces is one row, not two.
    let text = "项目名称|某项目\n一级指标|二级指标|三级指标|指标值\n产出指标|数量指标|培训人数|≥ 95 % 以上\n";
    let (recs, _) = records(Layout::Pipe, text);
    assert_eq!(recs[0].indicators.len(), 1);
}

#[test]
fn per_village_value_columns_give_one_value() {
    let text = "项目名称|水利专项\n一级指标|二级指标|三级指标|指标解释|甲村|乙村\n产出指标|数量指标|工程建设(个)|反映工程开展情况|1|1\n产出指标|时效指标|完工时间|反映进度|6月|9月\n";
    let (recs, _) = records(Layout::Pipe, text);
    let r = &recs[0];
    assert_eq!(r.indicators[0].value, "1");
    assert_eq!(
        r.indicators[0].description.as_deref(),
        Some("反映工程开展情况")
    );
    assert_eq!(r.indicators[1].value, "甲村:6月；乙村:9月");
}

#[test]
fn template_units_are_not_values() {
    let text = "项目名称|饮水工程\n一级指标|二级指标|三级指标|指标值\n产出指标|数量指标|指标1:新建堤防长度|公里\n产出指标|质量指标|指标1:工程验收合格率|≧ %\n产出指标|质量指标|水质达标率|≥95%\n";
    let (recs, _) = records(Layout::Pipe, text);
    let values: Vec<&str> = recs[0]
        .indicators
        .iter()
        .map(|i| i.value.as_str())
        .collect();
    assert_eq!(values, vec!["", "", "≥95%"]);
    assert_eq!(
        codes(&recs[0])
            .iter()
            .filter(|c| **c == "normalize.template-value")
            .count(),
        2
    );
}

#[test]
fn a_cut_off_copy_drops_the_cut_row_and_says_so() {
    let text = "项目名称|水利专项\n一级指标|二级指标|三级指标|指标值\n产出指标|数量指标|工程建设|7个\n产出指标|时效指标|截\n[... TRUNCATED ...]\n";
    let (recs, _) = records(Layout::Tabbed, &text.replace('|', "\t"));
    let r = &recs[0];
    assert_eq!(r.indicators.len(), 1);
    let cut = r
        .diagnostics
        .iter()
        .find(|d| d.code == "normalize.cut-off")
        .expect("cut-off warning");
    assert_eq!(cut.severity, Severity::Warning);
    assert!(cut.message.contains("截"), "{}", cut.message);
}

#[test]
fn transfer_payment_tables_name_the_fund_and_every_tier() {
    let text = "资金名称|生猪奖励资金\n中央主管部门|财政部、农业农村部\n省级财政部门|重庆市财政局\n区县主管部门|忠县农业农村委员会\n年度金额(万元):|397\n其中:中央补助(万元)|397\n地方资金(万元)|\n一级指标|二级指标|三级指标|指标值\n产出指标|数量指标|猪肉产量稳定率|≥95%\n";
    let (recs, _) = records(Layout::Pipe, text);
    let r = &recs[0];
    assert_eq!(r.name.as_deref(), Some("生猪奖励资金"));
    assert_eq!(r.supervisor.as_deref(), Some("忠县农业农村委员会"));
    assert_eq!(
        r.attributes.get("中央主管部门").map(String::as_str),
        Some("财政部、农业农村部")
    );
    assert_eq!(
        (r.funds.total, r.funds.fiscal, r.funds.other),
        (Some(397.0), Some(397.0), None)
    );
}

#[test]
fn blank_totals_are_repaired_from_their_parts_or_flagged_as_shifted() {
    let head = "项目名称|某项目\n";
    let tail = "一级指标|二级指标|三级指标|指标值\n产出指标|数量指标|培训人数|10人\n";
    let (recs, _) = records(
        Layout::Pipe,
        &format!("{head}资金总额|\n其中:财政拨款|500\n其他资金|\n{tail}"),
    );
    assert_eq!(recs[0].funds.total, Some(500.0));
    assert!(codes(&recs[0]).contains(&"normalize.total-from-parts"));
    // 003's printed form: total blank, fiscal = other: the amounts slid down a row.
    let (recs, _) = records(
        Layout::Pipe,
        &format!("{head}资金总额|\n其中:财政拨款|2\n其他资金|2\n{tail}"),
    );
    let f = &recs[0].funds;
    assert_eq!((f.total, f.fiscal, f.other), (Some(2.0), Some(2.0), None));
    assert!(codes(&recs[0]).contains(&"normalize.funds-shifted"));
}

#[test]
fn a_title_in_a_notices_attachment_list_is_not_a_table() {
    let text = "附件:1.资金安排表\n2.2022年水利专项资金绩效目标表\n安溪县水利局\n附件1\n资金安排表\n序号|乡镇名称|项目名称|金额\n1|西坪镇|排洪工程|20\n附件2\n2022年水利专项资金绩效目标表\n项目名称|水利专项\n一级指标|二级指标|三级指标|指标值\n产出指标|数量指标|工程建设|7个\n";
    let (recs, diags) = records(Layout::Pipe, text);
    assert_eq!(recs.len(), 1);
    assert!(
        !diags.iter().any(|d| d.severity == Severity::Error),
        "{diags:?}"
    );
}

#[test]
fn goal_column_titles_are_not_goal_text() {
    let text = "项目名称 某项目\n总体目标 年度目标 年度总体目标完成情况\n为水濂村带来游客6万人。\n绩效指标 一级指标 二级指标 三级指标 指标值\n产出指标 数量指标 流转土地 >=60亩\n";
    let (recs, _) = records(Layout::SpaceSeparated, text);
    assert_eq!(recs[0].goal.as_deref(), Some("为水濂村带来游客6万人。"));
}

#[test]
fn exports_carry_the_money_unit_in_the_column_title() {
    let text = "项目名称,项目编码,预算单位,项目金额(元),一级指标,二级指标,三级指标,指标值\n\
某培训项目,P001,某局,500000,产出指标,数量指标,培训人数,≥300人\n\
某培训项目,P001,某局,500000,满意度指标,服务对象满意度指标,学员满意度,≥90%\n\
另一项目,P002,某局,12000,产出指标,数量指标,宣传次数,4次\n";
    let (recs, _) = records(Layout::Csv, text);
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0].funds.total, Some(50.0));
    assert_eq!(recs[0].indicators.len(), 2);
    assert_eq!(recs[1].funds.total, Some(1.2));
    let text = "项目名称,预算单位,金额（万元）,一级指标,二级指标,三级指标,指标值\n某项目,某局,35.5,产出指标,数量指标,培训人数,≥300人\n";
    let (recs, _) = records(Layout::Csv, text);
    assert_eq!(recs[0].funds.total, Some(35.5));
}

#[test]
fn long_term_and_annual_columns_give_the_annual_goal_and_value() {
    let text = "项目名称\t某项目\n长期目标\t年度目标\n三年内完成全县农田改造。\t完成改造1万亩。\n\
一级指标\t二级指标\t三级指标\t实施期指标值\t年度指标值\t分值\n\
产出指标\t数量指标\t改造面积\t3万亩\t1万亩\t20\n";
    let (recs, _) = records(Layout::Tabbed, text);
    let r = &recs[0];
    assert_eq!(r.goal.as_deref(), Some("完成改造1万亩。"));
    assert_eq!(
        r.attributes.get("实施期目标").map(String::as_str),
        Some("三年内完成全县农田改造。")
    );
    assert_eq!(
        triples(r),
        vec![(
            Some(Level1::Output),
            Some(Level2::Quantity),
            "改造面积",
            "1万亩"
        )]
    );
}

#[test]
fn rows_fused_without_separators_are_split_at_their_labels() {
    let text = "项目支出绩效目标表\n项目名称农村饮水工程主管部门某县水利局\n年度资金总额500万元\n\
一级指标 二级指标 三级指标 指标值\n产出指标数量指标新建管网长度≥20公里\n质量指标工程验收合格率100%\n";
    let (recs, diags) = records(Layout::Paragraph, text);
    let r = &recs[0];
    assert_eq!(r.name.as_deref(), Some("农村饮水工程"));
    assert_eq!(r.supervisor.as_deref(), Some("某县水利局"));
    assert_eq!(
        triples(r),
        vec![
            (
                Some(Level1::Output),
                Some(Level2::Quantity),
                "新建管网长度",
                "≥20公里"
            ),
            (
                Some(Level1::Output),
                Some(Level2::Quality),
                "工程验收合格率",
                "100%"
            ),
        ]
    );
    assert!(diags.iter().any(|d| d.code == "normalize.fused-cells"));
}

#[test]
fn department_narratives_give_indicators_from_their_performance_paragraphs() {
    // 004's 部门整体 section: numbered items, each with 绩效目标： and 绩效指标： paragraphs.
    let text = "五、部门整体绩效目标\n（一）总体绩效目标\n全力推动全年重点工作。\n（二）分项绩效目标\n\
1、保障机关综合服务工作\n绩效目标：负责通信管理。\n\
绩效指标：通信网络故障率小于2%，专线运转率不低于95%，使用人员满意度不低于95%。\n\
2、行政管理体制改革工作\n绩效指标：行政改革目标完成率 98%、事业改革目标完成率 98%；开展培训不少于 2 次。\n";
    let (recs, _) = records(Layout::Tabbed, text);
    let r = &recs[0];
    assert_eq!(r.kind, RecordKind::DepartmentOverall);
    assert_eq!(
        triples(r),
        vec![
            (
                Some(Level1::Output),
                Some(Level2::Quality),
                "通信网络故障率",
                "小于2%"
            ),
            (
                Some(Level1::Output),
                Some(Level2::Quality),
                "专线运转率",
                "不低于95%"
            ),
            (
                Some(Level1::Satisfaction),
                Some(Level2::Satisfaction),
                "使用人员满意度",
                "不低于95%"
            ),
            (
                Some(Level1::Output),
                Some(Level2::Quality),
                "行政改革目标完成率",
                "98%"
            ),
            (
                Some(Level1::Output),
                Some(Level2::Quality),
                "事业改革目标完成率",
                "98%"
            ),
            (
                Some(Level1::Output),
                Some(Level2::Quantity),
                "开展培训",
                "不少于 2 次"
            ),
        ]
    );
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.code == "normalize.narrative-indicators")
    );
}

#[test]
fn one_cell_per_paragraph_tells_a_label_word_name_from_the_labels() {
    for (labels, name) in [
        ("满意度指标\n\n满意度指标", "服务对象满意度"),
        ("满意度指标\n\n服务对象满意度指标", "服务对象满意度"),
        ("满意 度指 标\n\n服务对象 满意度指 标", "社区居民满意度"),
        ("效益指标\n\n社会效益 指标\n\n社会效益 指标", "改善小区环境"),
    ] {
        let text = format!(
            "项目名称\n\n某项目\n\n一级指标\n\n二级指标\n\n三级指标\n\n指标值\n\n{labels}\n\n{name}\n\n≥95%\n"
        );
        let (recs, _) = records(Layout::Paragraph, &text);
        let got: Vec<(&str, &str)> = recs[0]
            .indicators
            .iter()
            .map(|i| (i.name.as_str(), i.value.as_str()))
            .collect();
        assert_eq!(got, vec![(name, "≥95%")], "{labels}");
    }
}

#[test]
fn space_aligned_rows_join_labels_written_with_spaces() {
    let text = "项目名称 某项目\n绩效 指标 一级 指标 二级指标 三级指标 指标值\n\
产出 指标 数量指标 指标1: 改善小区数量 89个\n满意 度指 标 服务对象 满意度指 标 指标1:居民满意度 95%\n";
    let (recs, _) = records(Layout::SpaceSeparated, text);
    assert_eq!(
        triples(&recs[0]),
        vec![
            (
                Some(Level1::Output),
                Some(Level2::Quantity),
                "改善小区数量",
                "89个"
            ),
            (
                Some(Level1::Satisfaction),
                Some(Level2::Satisfaction),
                "居民满意度",
                "95%"
            ),
        ]
    );
}

#[test]
fn department_overall_task_grids_give_goal_items_and_funds() {
    // The 部门（单位）整体支出绩效目标申报表 template: 年度主要任务 with 任务名称 / 主要内容 / 预算金额.
    let text = "部门（单位）整体支出绩效目标申报表\n（2024年度）\n部门（单位）名称\tXX县农业农村局\n\
年度主要任务\t任务名称\t主要内容\t预算金额（万元）\t\t\n\t\t\t总额\t财政拨款\t其他资金\n\
\t高标准农田建设\t建设高标准农田2万亩\t300\t300\t0\n\t农业技术推广\t开展技术培训20期\t50\t40\t10\n\
金额合计\t\t\t350\t340\t10\n年度总体目标\t完成高标准农田建设2万亩。\n\
年度绩效指标\t一级指标\t二级指标\t三级指标\t指标值\n\t产出指标\t数量指标\t高标准农田建设面积\t≥2万亩\n";
    let (recs, _) = records(Layout::Tabbed, text);
    let r = &recs[0];
    assert_eq!(r.kind, RecordKind::DepartmentOverall);
    assert_eq!(r.unit.as_deref(), Some("XX县农业农村局"));
    assert_eq!(r.goal.as_deref(), Some("完成高标准农田建设2万亩。"));
    assert_eq!(
        r.goal_items,
        vec![
            "高标准农田建设：建设高标准农田2万亩",
            "农业技术推广：开展技术培训20期"
        ]
    );
    assert_eq!(
        (r.funds.total, r.funds.fiscal, r.funds.other),
        (Some(350.0), Some(340.0), Some(10.0))
    );
    assert_eq!(r.indicators.len(), 1);
}
