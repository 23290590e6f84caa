//! 完整性: A1 basic info, A2 annual goal, A3 一级 complete, A4 产出 二级 complete, A5 效益 filled,
//! A6 no empty cells.

use jixiao_core::{Evidence, Level1, Level2, Record, RecordKind};

use super::{CheckCx, CheckDef, Outcome, deduct};
use crate::text::{
    amount, ev_field, is_blank, is_cost, is_filled, level1_of, meaningful, subject_of,
};

/// Funds are compared to 0.01 万元 (the tables' own rounding).
pub(crate) const FUNDS_EPS: f64 = 0.01 + 1e-9;

pub(crate) const A1: CheckDef = CheckDef {
    id: "A1",
    title: "基础信息完整",
    max_points: 4.0,
    rule: "项目名称、预算单位、资金总额(>0)齐全，财政拨款+其他资金=资金总额(±0.01万元)；部门整体：人员类+运转类+特定目标类=总额；各1分",
    for_department: true,
    run: a1,
};

fn a1(rec: &Record, _cx: &CheckCx) -> Outcome {
    let mut ev = Vec::new();
    if rec.name.as_deref().is_none_or(is_blank) {
        ev.push(ev_field(
            rec,
            "项目名称",
            "name",
            "",
            "项目名称未填写，请补充",
            1.0,
        ));
    }
    if rec.unit.as_deref().is_none_or(is_blank) && rec.supervisor.as_deref().is_none_or(is_blank) {
        ev.push(ev_field(
            rec,
            "预算单位",
            "unit",
            "",
            "预算单位未填写，请补充",
            1.0,
        ));
    }
    let total = rec.funds.total;
    match total {
        Some(t) if t > 0.0 => {}
        other => ev.push(ev_field(
            rec,
            "资金总额",
            "funds.total",
            other.map(|t| t.to_string()).unwrap_or_default(),
            "资金总额缺失或不大于0，请填写年度资金总额",
            1.0,
        )),
    }
    if let Some(e) = parts_mismatch(rec) {
        ev.push(e);
    }
    deduct(4.0, ev)
}

/// The department components (人员类 + 运转类 + 特定目标类) of a department-overall record, when the
/// table lists them.
pub(crate) fn department_components(rec: &Record) -> Option<f64> {
    let parts: Vec<f64> = rec
        .funds
        .items
        .iter()
        .filter(|i| {
            ["人员类", "运转类", "特定目标类"]
                .iter()
                .any(|k| i.label.contains(k))
        })
        .filter_map(|i| i.amount)
        .collect();
    (!parts.is_empty()).then(|| parts.iter().sum())
}

/// Evidence when the funds parts do not add up to the total (fiscal + other, or for a
/// department-overall record its three components). `None` when they add up or cannot be checked.
pub(crate) fn parts_mismatch(rec: &Record) -> Option<Evidence> {
    let total = rec.funds.total?;
    if rec.kind == RecordKind::DepartmentOverall
        && let Some(sum) = department_components(rec)
    {
        return ((sum - total).abs() > FUNDS_EPS).then(|| {
            ev_field(
                rec,
                "资金总额",
                "funds.total",
                amount(total),
                format!(
                    "人员类+运转类+特定目标类={}万元，与总额{}万元不符，请核对",
                    amount(sum),
                    amount(total)
                ),
                1.0,
            )
        });
    }
    // Only a total and no parts: nothing to reconcile (some layouts print only 合计).
    if rec.funds.fiscal.is_none() && rec.funds.other.is_none() {
        return None;
    }
    let sum = rec.funds.fiscal.unwrap_or(0.0) + rec.funds.other.unwrap_or(0.0);
    ((sum - total).abs() > FUNDS_EPS).then(|| {
        ev_field(
            rec,
            "资金总额",
            "funds.total",
            amount(total),
            format!(
                "财政拨款+其他资金={}万元，与资金总额{}万元不符，请核对资金来源",
                amount(sum),
                amount(total)
            ),
            1.0,
        )
    })
}

pub(crate) const A2: CheckDef = CheckDef {
    id: "A2",
    title: "年度目标明确",
    max_points: 4.0,
    rule: "年度目标已填写，不少于15个有效字符且不只是项目名称：满足4分；不足15字2分；仅重复项目名称1分；缺失0分",
    for_department: true,
    run: a2,
};

fn a2(rec: &Record, _cx: &CheckCx) -> Outcome {
    let goal = match &rec.goal {
        None if rec.goal_items.is_empty() => {
            return Outcome {
                points: 0.0,
                evidence: vec![ev_field(
                    rec,
                    "年度目标",
                    "goal",
                    "",
                    "表式中没有年度目标栏，请按标准表式补充年度绩效目标",
                    4.0,
                )],
            };
        }
        other => {
            let mut g = other.clone().unwrap_or_default();
            for item in &rec.goal_items {
                g.push_str(item);
            }
            g
        }
    };
    let m = meaningful(&goal);
    let name = meaningful(rec.name.as_deref().unwrap_or(""));
    let (points, reason) = if m.is_empty() {
        (0.0, "年度目标未填写，请写明年度内要完成的产出和效果")
    } else if !name.is_empty() && (m == name || name.contains(&m)) {
        (
            1.0,
            "年度目标只重复了项目名称，请写明要完成的任务、数量和效果",
        )
    } else if m.chars().count() < 15 {
        (
            2.0,
            "年度目标过于简略（不足15个有效字符），请写明产出、数量和效果",
        )
    } else {
        return Outcome {
            points: 4.0,
            evidence: vec![],
        };
    };
    Outcome {
        points,
        evidence: vec![ev_field(
            rec,
            "年度目标",
            "goal",
            goal,
            reason,
            4.0 - points,
        )],
    }
}

pub(crate) const A3: CheckDef = CheckDef {
    id: "A3",
    title: "一级指标完整",
    max_points: 6.0,
    rule: "产出指标、效益指标、满意度指标齐全，各2分",
    for_department: true,
    run: a3,
};

fn a3(rec: &Record, _cx: &CheckCx) -> Outcome {
    let present = |l: Level1| {
        rec.indicators
            .iter()
            .any(|i| level1_of(i) == Some(l) && (!is_blank(&i.name) || !is_blank(&i.value)))
    };
    let mut ev = Vec::new();
    for l in [Level1::Output, Level1::Benefit, Level1::Satisfaction] {
        // The newer template's 一级 成本指标 is an output in the classic sense.
        let ok = present(l) || (l == Level1::Output && rec.indicators.iter().any(is_cost));
        if !ok {
            ev.push(ev_field(
                rec,
                l.as_str(),
                "indicators",
                "",
                format!("缺少{}，请补充", l.as_str()),
                2.0,
            ));
        }
    }
    deduct(6.0, ev)
}

pub(crate) const A4: CheckDef = CheckDef {
    id: "A4",
    title: "产出指标二级完整",
    max_points: 8.0,
    rule: "数量、质量、时效、成本指标齐全，各2分",
    for_department: true,
    run: a4,
};

fn a4(rec: &Record, _cx: &CheckCx) -> Outcome {
    let mut ev = Vec::new();
    for l2 in [
        Level2::Quantity,
        Level2::Quality,
        Level2::Timeliness,
        Level2::Cost,
    ] {
        let ok = rec.indicators.iter().any(|i| {
            (!is_blank(&i.name) || !is_blank(&i.value))
                && if l2 == Level2::Cost {
                    is_cost(i)
                } else {
                    i.level2 == Some(l2)
                }
        });
        if !ok {
            ev.push(ev_field(
                rec,
                l2.as_str(),
                "indicators",
                "",
                format!("产出指标缺少{}，请补充", l2.as_str()),
                2.0,
            ));
        }
    }
    deduct(8.0, ev)
}

pub(crate) const A5: CheckDef = CheckDef {
    id: "A5",
    title: "效益指标已填写",
    max_points: 4.0,
    rule: "至少一条名称和指标值都已填写的效益指标（表式没有三级指标栏时有指标值即可）：4分，否则0分",
    for_department: true,
    run: a5,
};

fn a5(rec: &Record, _cx: &CheckCx) -> Outcome {
    // A form without a 三级 column (002's 部门整体 table: 一级 / 二级 / 指标值) fills a row with its value.
    let filled = |i: &jixiao_core::Indicator| {
        if without_name_column(rec) {
            !is_blank(&i.value)
        } else {
            is_filled(i)
        }
    };
    if rec
        .indicators
        .iter()
        .any(|i| crate::text::is_benefit(i) && filled(i))
    {
        return Outcome {
            points: 4.0,
            evidence: vec![],
        };
    }
    Outcome {
        points: 0.0,
        evidence: vec![ev_field(
            rec,
            "效益指标",
            "indicators",
            "",
            "没有填写完整的效益指标，请补充经济、社会、生态或可持续影响指标",
            4.0,
        )],
    }
}

/// The record's table has no 三级 column: not one indicator has a name, and some have values (002's
/// 部门整体 table). A blank name is then the form's, not a gap the department left.
pub(crate) fn without_name_column(rec: &Record) -> bool {
    !rec.indicators.is_empty()
        && rec.indicators.iter().all(|i| is_blank(&i.name))
        && rec.indicators.iter().any(|i| !is_blank(&i.value))
}

pub(crate) const A6: CheckDef = CheckDef {
    id: "A6",
    title: "指标无空项",
    max_points: 4.0,
    rule: "每个空白的三级指标名称或指标值扣1分（表式没有三级指标栏时只看指标值）；没有任何指标0分",
    for_department: true,
    run: a6,
};

fn a6(rec: &Record, _cx: &CheckCx) -> Outcome {
    if let Some(none) = super::no_indicators(rec, 4.0, "表中没有任何绩效指标，请填写指标表")
    {
        return none;
    }
    let mut ev = Vec::new();
    let names_expected = !without_name_column(rec);
    for i in &rec.indicators {
        if names_expected && is_blank(&i.name) {
            ev.push(Evidence {
                subject: subject_of(i),
                text: i.value.clone(),
                line: Some(i.line),
                reason: "三级指标名称空白，请填写指标名称".into(),
                deduction: 1.0,
            });
        }
        if is_blank(&i.value) {
            ev.push(crate::text::ev_value(i, "指标值空白，请填写目标值", 1.0));
        }
    }
    deduct(4.0, ev)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testkit::*;

    fn full() -> Record {
        record(vec![
            ind(
                Level2::Quantity,
                "保洁面积",
                "120万平方米",
                num(&[120.0], Some("平方米")),
            ),
            ind(
                Level2::Quality,
                "验收合格率",
                "100%",
                num(&[100.0], Some("%")),
            ),
            ind(
                Level2::Timeliness,
                "完成时间",
                "2024年12月底前",
                num(&[2024.0, 12.0], None),
            ),
            ind(
                Level2::Cost,
                "保洁成本",
                "≤10万元",
                num(&[10.0], Some("万元")),
            ),
            ind(
                Level2::Social,
                "道路整洁度",
                "≥95%",
                num(&[95.0], Some("%")),
            ),
            ind(
                Level2::Satisfaction,
                "群众满意度",
                "≥90%",
                num(&[90.0], Some("%")),
            ),
        ])
    }

    #[test]
    fn a1_branches() {
        assert_eq!(run_with(a1, &full()).points, 4.0);
        let mut r = full();
        r.funds.other = Some(1.0);
        let o = run_with(a1, &r);
        assert_eq!(o.points, 3.0);
        assert!(o.evidence[0].reason.contains("不符"));
        // No name, no unit, total 0 and fiscal 1 ≠ 0: all four points lost.
        let mut r = Record::new(RecordKind::Project, 1);
        r.funds.total = Some(0.0);
        r.funds.fiscal = Some(1.0);
        let o = run_with(a1, &r);
        assert_eq!((o.points, o.evidence.len()), (0.0, 4));
    }

    #[test]
    fn a1_department_components() {
        let mut r = full();
        r.kind = RecordKind::DepartmentOverall;
        r.funds.fiscal = None;
        r.funds.other = None;
        r.funds.items = ["人员类项目支出", "运转类项目支出", "特定目标类项目支出"]
            .iter()
            .zip([5.0, 3.0, 1.0])
            .map(|(l, a)| jixiao_core::FundsItem {
                label: l.to_string(),
                amount: Some(a),
                line: 3,
            })
            .collect();
        assert_eq!(run_with(a1, &r).points, 3.0, "5+3+1 ≠ 10");
        r.funds.total = Some(9.0);
        assert_eq!(run_with(a1, &r).points, 4.0);
    }

    #[test]
    fn a2_branches() {
        assert_eq!(run_with(a2, &full()).points, 4.0);
        let mut r = full();
        r.goal = Some("保洁道路120万平方米".into());
        assert_eq!(run_with(a2, &r).points, 2.0);
        r.goal = Some("西区道路保洁项目。".into());
        assert_eq!(run_with(a2, &r).points, 1.0);
        r.goal = Some(" ".into());
        assert_eq!(run_with(a2, &r).points, 0.0);
        r.goal = None;
        let o = run_with(a2, &r);
        assert_eq!(o.points, 0.0);
        assert!(o.evidence[0].reason.contains("没有年度目标栏"));
    }

    #[test]
    fn a3_a4_a5_branches() {
        let r = full();
        assert_eq!(run_with(a3, &r).points, 6.0);
        assert_eq!(run_with(a4, &r).points, 8.0);
        assert_eq!(run_with(a5, &r).points, 4.0);
        let mut r = full();
        r.indicators.retain(|i| i.level2 == Some(Level2::Quantity));
        assert_eq!(run_with(a3, &r).points, 2.0);
        assert_eq!(run_with(a4, &r).points, 2.0);
        assert_eq!(run_with(a5, &r).points, 0.0);
        assert_eq!(run_with(a3, &record(vec![])).points, 0.0);
    }

    #[test]
    fn a6_branches() {
        assert_eq!(run_with(a6, &full()).points, 4.0);
        let mut r = full();
        if let Some(i) = r.indicators.get_mut(0) {
            i.value.clear();
            i.name.clear();
        }
        let o = run_with(a6, &r);
        assert_eq!(o.points, 2.0);
        assert_eq!(o.evidence.len(), 2);
        assert_eq!(run_with(a6, &record(vec![])).points, 0.0);
    }
}
