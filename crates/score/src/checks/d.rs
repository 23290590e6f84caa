//! 可行性 (feasible, measurable): D1 time concrete, D2 satisfaction quantified, D3 satisfaction
//! threshold, D4 quality measurable.
//!
//! Each check scores the record's BEST indicator of its category (a table with one concrete
//! deadline among vaguer rows has a concrete deadline) and quotes the row it scored.

use jixiao_core::{Comparator, Indicator, Level2, Record};

use super::{CheckCx, CheckDef, Outcome};
use crate::text::{ev_field, ev_value, has_number, is_blank, is_percent, is_satisfaction};

/// Picks the best-scoring indicator; `None` when the category is absent.
fn best<'r>(
    inds: impl Iterator<Item = &'r Indicator>,
    score: impl Fn(&Indicator) -> (f64, &'static str),
) -> Option<(&'r Indicator, f64, &'static str)> {
    let mut top: Option<(&Indicator, f64, &str)> = None;
    for i in inds {
        let (p, why) = score(i);
        if top.is_none_or(|(_, tp, _)| p > tp) {
            top = Some((i, p, why));
        }
    }
    top
}

fn outcome(
    rec: &Record,
    max: f64,
    found: Option<(&Indicator, f64, &'static str)>,
    missing: &str,
    category: &str,
) -> Outcome {
    match found {
        Some((_, p, _)) if p >= max => Outcome {
            points: max,
            evidence: vec![],
        },
        Some((i, p, why)) => Outcome {
            points: p,
            evidence: vec![ev_value(i, why, max - p)],
        },
        None => Outcome {
            points: 0.0,
            evidence: vec![ev_field(rec, category, "indicators", "", missing, max)],
        },
    }
}

pub(crate) const D1: CheckDef = CheckDef {
    id: "D1",
    title: "时效指标具体",
    max_points: 6.0,
    rule: "时效指标写明预算年度内的日期、期限或时长6分；写的是其他年度3分；及时率类百分比3分；只写及时/按时/按计划1分",
    for_department: true,
    run: d1,
};

fn d1(rec: &Record, cx: &CheckCx) -> Outcome {
    let inds = rec
        .indicators
        .iter()
        .filter(|i| i.level2 == Some(Level2::Timeliness) && !is_blank(&i.value));
    let found = best(inds, |i| match &i.parsed.time {
        Some(t) if t.years.is_empty() || t.years.contains(&cx.year) => (6.0, ""),
        Some(_) => (3.0, "时效指标写的不是预算年度，请改为本年度的完成时间"),
        None if has_number(i) => (3.0, "时效指标是及时率等比率，请写明具体完成时限"),
        None => (
            1.0,
            "时效指标只有“及时/按时/按计划”等描述，请写明具体完成时间",
        ),
    });
    outcome(
        rec,
        6.0,
        found,
        "没有时效指标，请写明完成时间",
        Level2::Timeliness.as_str(),
    )
}

pub(crate) const D2: CheckDef = CheckDef {
    id: "D2",
    title: "满意度指标量化",
    max_points: 6.0,
    rule: "满意度指标值为带比较符（≥、>、=）的百分比6分；只有百分比或数值5分；只有文字或写成上限（≤、<）1分",
    for_department: true,
    run: d2,
};

fn satisfaction_rows(rec: &Record) -> impl Iterator<Item = &Indicator> {
    rec.indicators
        .iter()
        .filter(|i| is_satisfaction(i) && !is_blank(&i.value))
}

fn d2(rec: &Record, _cx: &CheckCx) -> Outcome {
    let found = best(satisfaction_rows(rec), |i| {
        let upper_bound = matches!(i.parsed.comparator, Some(Comparator::Le | Comparator::Lt));
        if upper_bound {
            // 004 l.1976 `群众满意度 ≤95%`: a ceiling on satisfaction is no target.
            (
                1.0,
                "满意度目标写成上限（≤），满意度应设下限，请写成“≥90%”的形式",
            )
        } else if is_percent(i) && i.parsed.comparator.is_some() {
            (6.0, "")
        } else if has_number(i) {
            (5.0, "满意度只有数值没有比较符，请写成“≥90%”的形式")
        } else {
            (1.0, "满意度只有文字描述，请写成“≥90%”的形式")
        }
    });
    outcome(
        rec,
        6.0,
        found,
        "没有满意度指标，请补充服务对象满意度",
        "满意度指标",
    )
}

pub(crate) const D3: CheckDef = CheckDef {
    id: "D3",
    title: "满意度目标合理",
    max_points: 3.0,
    rule: "满意度目标值在[80,100]为3分；[60,80)为1分；其他或无数值0分（区间可配置）",
    for_department: true,
    run: d3,
};

fn d3(rec: &Record, cx: &CheckCx) -> Outcome {
    let (full, partial) = (cx.rubric.satisfaction_full, cx.rubric.satisfaction_partial);
    let found = best(satisfaction_rows(rec), |i| match i.parsed.numbers.first() {
        Some(&x) if (full..=100.0).contains(&x) => (3.0, ""),
        Some(&x) if (partial..full).contains(&x) => (1.0, "满意度目标值偏低，请设定在80%及以上"),
        Some(_) => (0.0, "满意度目标值不在合理区间，请设定在80%—100%"),
        None => (0.0, "满意度没有目标数值，请设定在80%—100%"),
    });
    outcome(
        rec,
        3.0,
        found,
        "没有满意度指标，无法判断目标值",
        "满意度指标",
    )
}

pub(crate) const D4: CheckDef = CheckDef {
    id: "D4",
    title: "质量指标可衡量",
    max_points: 5.0,
    rule: "质量指标有数值，或写明“符合…标准”“验收合格”5分；只有定性描述1分",
    for_department: true,
    run: d4,
};

/// `符合…标准` (in that order) or `验收合格`: a quality target a reviewer can verify.
pub(crate) fn names_standard(v: &str) -> bool {
    v.contains("验收合格")
        || v.find("符合")
            .is_some_and(|k| v.get(k..).is_some_and(|t| t.contains("标准")))
}

fn d4(rec: &Record, _cx: &CheckCx) -> Outcome {
    let inds = rec
        .indicators
        .iter()
        .filter(|i| i.level2 == Some(Level2::Quality) && !is_blank(&i.value));
    let found = best(inds, |i| {
        if has_number(i) || names_standard(&i.value) {
            (5.0, "")
        } else {
            (
                1.0,
                "质量指标只有定性描述，请写明合格率等数值或“符合××标准”",
            )
        }
    });
    outcome(
        rec,
        5.0,
        found,
        "没有质量指标，请补充",
        Level2::Quality.as_str(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testkit::*;
    use jixiao_core::{Comparator, ParsedValue, TimeKind, TimeSpec};

    fn time(years: &[i32]) -> ParsedValue {
        ParsedValue {
            time: Some(TimeSpec {
                kind: TimeKind::Deadline,
                years: years.to_vec(),
            }),
            ..num(&[12.0], None)
        }
    }

    fn pct(x: f64, cmp: Option<Comparator>) -> ParsedValue {
        ParsedValue {
            comparator: cmp,
            ..num(&[x], Some("%"))
        }
    }

    #[test]
    fn d1_branches() {
        let t = |p: ParsedValue| {
            run_with(
                d1,
                &record(vec![ind(Level2::Timeliness, "完成时间", "x", p)]),
            )
            .points
        };
        assert_eq!(t(time(&[2024])), 6.0);
        assert_eq!(t(time(&[])), 6.0);
        assert_eq!(t(time(&[2023])), 3.0);
        assert_eq!(t(pct(100.0, None)), 3.0);
        assert_eq!(t(words()), 1.0);
        assert_eq!(run_with(d1, &record(vec![])).points, 0.0);
        // Best row wins.
        let two = record(vec![
            ind(Level2::Timeliness, "a", "及时", words()),
            ind(Level2::Timeliness, "b", "2024年12月底前", time(&[2024])),
        ]);
        assert_eq!(run_with(d1, &two).points, 6.0);
    }

    #[test]
    fn d2_d3_branches() {
        let s = |p: ParsedValue| record(vec![ind(Level2::Satisfaction, "满意度", "x", p)]);
        assert_eq!(
            run_with(d2, &s(pct(90.0, Some(Comparator::Ge)))).points,
            6.0
        );
        assert_eq!(run_with(d2, &s(pct(90.0, None))).points, 5.0);
        assert_eq!(run_with(d2, &s(words())).points, 1.0);
        assert_eq!(run_with(d2, &record(vec![])).points, 0.0);
        assert_eq!(run_with(d3, &s(pct(95.0, None))).points, 3.0);
        assert_eq!(run_with(d3, &s(pct(70.0, None))).points, 1.0);
        assert_eq!(run_with(d3, &s(pct(50.0, None))).points, 0.0);
        assert_eq!(run_with(d3, &s(words())).points, 0.0);
    }

    #[test]
    fn d4_branches() {
        let q = |v: &str, p: ParsedValue| {
            run_with(d4, &record(vec![ind(Level2::Quality, "质量", v, p)])).points
        };
        assert_eq!(q("合格率100%", pct(100.0, None)), 5.0);
        assert_eq!(q("符合国家环卫作业标准", words()), 5.0);
        assert_eq!(q("验收合格", words()), 5.0);
        assert_eq!(q("安全处理达标排放", words()), 1.0);
        assert_eq!(run_with(d4, &record(vec![])).points, 0.0);
    }
}
