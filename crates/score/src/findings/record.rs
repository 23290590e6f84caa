//! Findings about one record on its own: cost over funds or written as a lower bound, funds parts,
//! other years, percentages over 100 %, satisfaction rows that do not measure satisfaction,
//! indicators under the wrong category, unfilled 是/否 placeholders.

use jixiao_core::{
    Comparator, Finding, Indicator, Level2, Record, RecordKind, RecordRef, Severity,
};

use crate::checks::a::parts_mismatch;
use crate::checks::c::cost_amounts;
use crate::rubric::Rubric;
use crate::text::{
    amount, is_percent, is_satisfaction, is_yes_no_placeholder, level1_of, mentions_satisfaction,
    subject_of,
};

fn at(code: &str, severity: Severity, r: &RecordRef, i: &Indicator, message: String) -> Finding {
    Finding {
        code: code.to_string(),
        severity,
        message,
        records: vec![r.clone()],
        line: Some(i.line),
        text: Some(format!("{}：{}", subject_of(i), i.value)),
    }
}

fn name_of(rec: &Record) -> &str {
    rec.name.as_deref().unwrap_or("（未命名）")
}

/// Every per-record finding, in indicator order.
pub(crate) fn record_findings(
    rec: &Record,
    r: &RecordRef,
    year: i32,
    rubric: &Rubric,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let name = name_of(rec);
    let tol = rubric.cost_tolerance;
    if let Some(funds) = rec.funds.total.filter(|t| *t > 0.0)
        && rec.kind == RecordKind::Project
    {
        let costs = cost_amounts(rec);
        let mut single = false;
        for (i, x) in &costs.totals {
            if *x > funds * (1.0 + tol) {
                single = true;
                out.push(at(
                    "cost-over-funds",
                    Severity::Warning,
                    r,
                    i,
                    format!(
                        "项目“{name}”的成本指标{}万元超过项目资金总额{}万元，请核实成本测算或资金",
                        amount(*x),
                        amount(funds)
                    ),
                ));
            }
        }
        let sum = costs.sum();
        if !single && costs.totals.len() > 1 && sum > funds * (1.0 + tol) {
            out.push(Finding {
                code: "cost-over-funds".into(),
                severity: Severity::Warning,
                message: format!(
                    "项目“{name}”的成本指标合计{}万元超过资金总额{}万元",
                    amount(sum),
                    amount(funds)
                ),
                records: vec![r.clone()],
                line: rec.field_lines.get("funds.total").copied(),
                text: None,
            });
        }
    }
    for i in rec.indicators.iter() {
        indicator_findings(i, r, year, name, &mut out);
    }
    if let Some(e) = parts_mismatch(rec) {
        let code = if rec.kind == RecordKind::DepartmentOverall {
            "department-funds-components-mismatch"
        } else {
            "funds-parts-mismatch"
        };
        out.push(Finding {
            code: code.into(),
            severity: Severity::Warning,
            message: format!("“{name}”：{}", e.reason),
            records: vec![r.clone()],
            line: e.line,
            text: Some(e.text),
        });
    }
    if rec.kind == RecordKind::DepartmentOverall && rec.indicators.is_empty() {
        out.push(Finding {
            code: "department-without-indicators".into(),
            severity: Severity::Warning,
            message: format!("部门整体“{name}”没有绩效指标"),
            records: vec![r.clone()],
            line: Some(rec.lines[0]),
            text: None,
        });
    }
    out
}

fn indicator_findings(i: &Indicator, r: &RecordRef, year: i32, name: &str, out: &mut Vec<Finding>) {
    // Only money has to be a ceiling; a minimum standard (`补助标准 ≥1万元/人`) may be a floor.
    if crate::text::is_cost(i)
        && matches!(i.parsed.comparator, Some(Comparator::Ge | Comparator::Gt))
        && (i.parsed.money_wan.is_some()
            || i.parsed.unit.as_deref().is_some_and(|u| u.ends_with('元')))
        && !i.parsed.unit_rate
        && !i.name.contains("标准")
    {
        out.push(at(
            "cost-lower-bound",
            Severity::Warning,
            r,
            i,
            format!("项目“{name}”的成本指标写成下限（≥），成本应是上限，请改为“≤”"),
        ));
    }
    if i.level2 == Some(Level2::Timeliness)
        && let Some(t) = &i.parsed.time
        && !t.years.is_empty()
        && !t.years.contains(&year)
    {
        let ys: Vec<String> = t.years.iter().map(i32::to_string).collect();
        out.push(at(
            "time-other-year",
            Severity::Warning,
            r,
            i,
            format!(
                "项目“{name}”的时效指标写的是{}年，不是预算年度{year}年",
                ys.join("、")
            ),
        ));
    }
    // Only a number written with % counts (`2022年1-12月完成率100%` is not over 100 %).
    if percentages(&i.value).iter().any(|x| *x > 100.0) {
        out.push(at(
            "percent-over-100",
            Severity::Warning,
            r,
            i,
            format!("项目“{name}”的指标值百分比超过100%，请核实"),
        ));
    }
    // Under a written 二级 of satisfaction a percentage measures it when the 三级 names who is asked
    // (`服务对象满意度指标 | 在押人员 | ≥90%`); `投诉处理 | 100%` still measures something else.
    let people = [
        "人员",
        "群众",
        "公众",
        "对象",
        "居民",
        "市民",
        "村民",
        "农户",
        "学生",
        "家长",
        "企业",
        "单位",
        "职工",
        "干部",
        "代表",
        "患者",
        "游客",
        "用户",
        "老人",
        "儿童",
        "群体",
        "服务对象",
    ];
    let surveyed = i.level2_raw.as_deref().is_some_and(mentions_satisfaction)
        && is_percent(i)
        && people.iter().any(|p| i.name.contains(p));
    let approval = |t: &str| {
        mentions_satisfaction(t) || ["好评", "认可", "评价"].iter().any(|w| t.contains(w))
    };
    if is_satisfaction(i)
        && !i.value.trim().is_empty()
        && !approval(&i.name)
        && !approval(&i.value)
        && !surveyed
    {
        out.push(at(
            "satisfaction-not-measure",
            Severity::Warning,
            r,
            i,
            format!("项目“{name}”的满意度指标不是满意度的衡量，请改为服务对象满意度"),
        ));
    }
    if mentions_satisfaction(&i.name) && !is_satisfaction(i) && level1_of(i).is_some() {
        let cat = i
            .level2
            .map(Level2::as_str)
            .or(i.level2_raw.as_deref())
            .unwrap_or("其他类别");
        out.push(at(
            "wrong-category",
            Severity::Warning,
            r,
            i,
            format!("项目“{name}”的满意度指标填在{cat}下，请移到满意度指标"),
        ));
    } else if let (Some(l1), Some(l2)) = (i.level1, i.level2)
        && l2.parent() != l1
        && !(l1 == jixiao_core::Level1::Cost || l2 == Level2::Cost)
    {
        out.push(at(
            "wrong-category",
            Severity::Warning,
            r,
            i,
            format!(
                "项目“{name}”的二级指标{}不属于一级指标{}",
                l2.as_str(),
                l1.as_str()
            ),
        ));
    }
    if is_yes_no_placeholder(&i.value) {
        out.push(at(
            "placeholder-yes-no",
            Severity::Warning,
            r,
            i,
            format!("项目“{name}”的指标值是未选择的“是/否”占位"),
        ));
    }
}

/// The numbers written with a percent sign (`≥400%`, `完成率 95 %`), in order.
fn percentages(value: &str) -> Vec<f64> {
    let chars: Vec<char> = value.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
            i += 1;
        }
        let number: String = chars[start..i].iter().collect();
        let mut j = i;
        while j < chars.len() && chars[j] == ' ' {
            j += 1;
        }
        if matches!(chars.get(j), Some('%' | '％'))
            && let Ok(x) = number.parse::<f64>()
        {
            out.push(x);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testkit::*;
    use jixiao_core::{ParsedValue, TimeKind, TimeSpec};

    fn rref() -> RecordRef {
        RecordRef {
            document: 0,
            record: 0,
            file: "f".into(),
            lines: [1, 2],
        }
    }

    fn codes(rec: &Record) -> Vec<String> {
        record_findings(rec, &rref(), 2024, &Rubric::default())
            .into_iter()
            .map(|f| f.code)
            .collect()
    }

    #[test]
    fn landfill_cost_over_funds() {
        // samples/000 西区生活垃圾填埋场封场管理委托运营费: 109.5万元 cost target, 10万元 funds.
        let money = ParsedValue {
            money_wan: Some(109.5),
            ..num(&[109.5], Some("万元"))
        };
        let rec = record(vec![ind(
            Level2::Cost,
            "100元/吨，按照渗滤液处理量进行结算",
            "109.5万元",
            money,
        )]);
        let f = record_findings(&rec, &rref(), 2024, &Rubric::default());
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].code, "cost-over-funds");
        assert!(f[0].message.contains("109.5万元") && f[0].message.contains("10万元"));
    }

    #[test]
    fn lower_bound_year_percent_placeholder() {
        let ge = ParsedValue {
            comparator: Some(Comparator::Ge),
            money_wan: Some(5.0),
            ..num(&[5.0], Some("万元"))
        };
        let other_year = ParsedValue {
            time: Some(TimeSpec {
                kind: TimeKind::Deadline,
                years: vec![2023],
            }),
            ..num(&[2023.0], None)
        };
        let rec = record(vec![
            ind(Level2::Cost, "成本", "≥5万元", ge),
            ind(Level2::Timeliness, "完成时间", "2023年底前", other_year),
            ind(Level2::Quality, "达标率", "120%", num(&[120.0], Some("%"))),
            ind(Level2::Quality, "是否达标", "是/否", words()),
        ]);
        assert_eq!(
            codes(&rec),
            [
                "cost-lower-bound",
                "time-other-year",
                "percent-over-100",
                "placeholder-yes-no"
            ]
        );
    }

    #[test]
    fn satisfaction_rows_and_categories() {
        let mut wrong = ind(
            Level2::Sustainable,
            "群众满意度",
            "≥90%",
            num(&[90.0], Some("%")),
        );
        wrong.line = 20;
        let not_measure = ind(
            Level2::Satisfaction,
            "投诉处理",
            "100%",
            num(&[100.0], Some("%")),
        );
        assert_eq!(
            codes(&record(vec![wrong, not_measure])),
            ["wrong-category", "satisfaction-not-measure"]
        );
        let fine = ind(
            Level2::Satisfaction,
            "群众满意度",
            "≥90%",
            num(&[90.0], Some("%")),
        );
        assert!(codes(&record(vec![fine])).is_empty());
    }

    #[test]
    fn findings_that_did_not_hold_up_are_gone() {
        // percent-over-100 only on the number in %: 357天 and a year are not percentages.
        let days = ind(
            Level2::Timeliness,
            "完成时限",
            "357天，完成率100%",
            num(&[357.0, 100.0], Some("天")),
        );
        let year = ind(
            Level2::Quality,
            "完成率",
            "2022年1-12月已完成，完成率100%",
            num(&[2022.0, 100.0], Some("%")),
        );
        let rise = ind(
            Level2::Quality,
            "健康素养",
            "较2023年上升1%",
            num(&[2023.0, 1.0], Some("%")),
        );
        // 000 l.5370: 好评 measures approval.
        let praise = ind(
            Level2::Satisfaction,
            "非公经济人士评价",
            "好评达到95%以上",
            num(&[95.0], Some("%")),
        );
        // satisfaction-not-measure: under a written 服务对象满意度指标 the 三级 may name who is asked.
        let mut surveyed = ind(
            Level2::Satisfaction,
            "在押人员",
            "≥90%",
            num(&[90.0], Some("%")),
        );
        surveyed.level2_raw = Some("服务对象满意度指标".into());
        // cost-lower-bound: not a count, not a minimum standard.
        let ge = |value: &str, parsed: ParsedValue, name: &str| {
            ind(
                Level2::Cost,
                name,
                value,
                ParsedValue {
                    comparator: Some(Comparator::Ge),
                    ..parsed
                },
            )
        };
        let count = ge("≥100人", num(&[100.0], Some("人")), "培训人次");
        let standard = ge(
            "≥1万元",
            ParsedValue {
                money_wan: Some(1.0),
                ..num(&[1.0], Some("万元"))
            },
            "人均补助标准",
        );
        assert!(
            codes(&record(vec![
                days, year, rise, praise, surveyed, count, standard
            ]))
            .is_empty()
        );
        assert_eq!(percentages("≥400%，完成率 95 %"), vec![400.0, 95.0]);
    }

    #[test]
    fn funds_parts() {
        let mut rec = record(vec![]);
        rec.funds.other = Some(2.0);
        assert_eq!(codes(&rec), ["funds-parts-mismatch"]);
    }
}
