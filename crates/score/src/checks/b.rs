//! 相关性 (refined and quantified): B1 quantified share, B2 vague wording, B3 value hygiene.

use jixiao_core::{Level1, Record};

use super::{CheckCx, CheckDef, Outcome, deduct, no_indicators};
use crate::text::{
    copy_key, ev_field, ev_value, has_number, is_benefit, is_blank, is_percent,
    is_yes_no_placeholder, mentions_satisfaction, vague_hits,
};

const WORDING_WITHOUT_INDICATORS: &str = "没有绩效指标，无从评价指标表述";

/// A value longer than this (in characters) is a narrative, not a target.
pub(crate) const NARRATIVE_CHARS: usize = 40;

pub(crate) const B1: CheckDef = CheckDef {
    id: "B1",
    title: "指标量化程度",
    max_points: 15.0,
    rule: "q = 含数字的指标值 / 全部指标；得分 15 × min(1, q/0.8)",
    for_department: true,
    run: b1,
};

/// Indicators a B1 reason names before it says `等N项`.
const NAMED: usize = 5;

fn b1(rec: &Record, _cx: &CheckCx) -> Outcome {
    if let Some(none) = no_indicators(rec, 15.0, "没有绩效指标，无法量化") {
        return none;
    }
    let all = rec.indicators.len();
    let quantified = rec.indicators.iter().filter(|i| has_number(i)).count();
    let q = quantified as f64 / all as f64;
    let points = 15.0 * (q / 0.8).min(1.0);
    if points >= 15.0 {
        return Outcome {
            points,
            evidence: vec![],
        };
    }
    // The reason names the indicators to fix (the zero-point evidence below lists each with its
    // line), so a packet that prints only the deduction still says which ones.
    let unquantified: Vec<&str> = rec
        .indicators
        .iter()
        .filter(|i| !has_number(i))
        .map(|i| i.name.trim())
        .filter(|n| !n.is_empty())
        .collect();
    let mut named: String = unquantified
        .iter()
        .take(NAMED)
        .map(|n| format!("“{n}”"))
        .collect::<Vec<_>>()
        .join("、");
    if unquantified.len() > NAMED {
        named.push_str(&format!("等{}项", unquantified.len()));
    }
    let mut evidence = vec![ev_field(
        rec,
        "绩效指标",
        "indicators",
        format!("{quantified}/{all}"),
        if named.is_empty() {
            format!(
                "量化指标占比{:.0}%（{quantified}/{all}），低于80%，请为未量化的指标设定可衡量的数值",
                q * 100.0
            )
        } else {
            format!(
                "量化指标占比{:.0}%（{quantified}/{all}），低于80%，请为下列指标设定可衡量的数值：{}",
                q * 100.0,
                named
            )
        },
        15.0 - points,
    )];
    evidence.extend(
        rec.indicators
            .iter()
            .filter(|i| !has_number(i))
            .map(|i| ev_value(i, "指标值没有数字，未量化", 0.0)),
    );
    Outcome { points, evidence }
}

pub(crate) const B2: CheckDef = CheckDef {
    id: "B2",
    title: "表述不笼统",
    max_points: 10.0,
    rule: "每个没有数字且使用笼统词语（提高、明显、及时、满意……）的指标值扣3分；没有任何指标0分",
    for_department: true,
    run: b2,
};

fn b2(rec: &Record, cx: &CheckCx) -> Outcome {
    // A record without indicators has nothing worded well: 0, as B1 and A6 give.
    if let Some(none) = no_indicators(rec, 10.0, WORDING_WITHOUT_INDICATORS) {
        return none;
    }
    let ev = rec
        .indicators
        .iter()
        .filter(|i| !has_number(i))
        .filter_map(|i| {
            let hits = vague_hits(&i.value, &cx.rubric.vague_words);
            (!hits.is_empty()).then(|| {
                ev_value(
                    i,
                    format!(
                        "指标值使用笼统词语“{}”且没有数值，请改为可衡量的目标值",
                        hits.join("、")
                    ),
                    3.0,
                )
            })
        })
        .collect();
    deduct(10.0, ev)
}

pub(crate) const B3: CheckDef = CheckDef {
    id: "B3",
    title: "指标值规范",
    max_points: 5.0,
    rule: "每项扣1分：指标值重复指标名称（相同，或是名称中不少于3个字的一段）；指标值是叙述（超过40字）；满意度或认可度（评价、认可、好评的百分比）填在效益指标下；未填写的“是/否”占位；没有任何指标0分",
    for_department: true,
    run: b3,
};

fn b3(rec: &Record, _cx: &CheckCx) -> Outcome {
    if let Some(none) = no_indicators(rec, 5.0, WORDING_WITHOUT_INDICATORS) {
        return none;
    }
    let mut ev = Vec::new();
    for i in &rec.indicators {
        let v = i.value.trim();
        if is_blank(v) {
            continue; // A6 counts empty values.
        }
        if copies_name(&i.name, v) {
            ev.push(ev_value(i, "指标值重复了指标名称，请填写目标值", 1.0));
        }
        if v.chars().count() > NARRATIVE_CHARS {
            ev.push(ev_value(
                i,
                "指标值是一段叙述（超过40字），请提炼为简明的目标值",
                1.0,
            ));
        }
        if is_benefit(i) && measures_approval(i) {
            ev.push(ev_value(
                i,
                format!("满意度填在{}下，请移到满意度指标", Level1::Benefit.as_str()),
                1.0,
            ));
        }
        if is_yes_no_placeholder(v) {
            ev.push(ev_value(i, "“是/否”占位未选择，请填写实际目标", 1.0));
        }
    }
    deduct(5.0, ev)
}

/// The value repeats the name: equal but for spacing and a trailing `。`, or a part of it of three
/// characters or more (`会议室持续使用 | 持续使用`). A zero target (`不发生…`, `无…`, `零…`) is a target even
/// when the name says the same.
pub(crate) fn copies_name(name: &str, value: &str) -> bool {
    let (n, v) = (copy_key(name), copy_key(value));
    if v.is_empty() || n.is_empty() {
        return false;
    }
    let zero_target = ["不发生", "无", "零", "杜绝", "未发生"]
        .iter()
        .any(|z| v.starts_with(z));
    v == n || (!zero_target && v.chars().count() >= 3 && n.contains(v.as_str()))
}

/// A 效益 row that measures satisfaction or approval rather than an effect: 满意 anywhere, or an
/// approval word (评价, 认可, 好评, 口碑) with a percentage (`社会评价 | ≥95%`).
fn measures_approval(i: &jixiao_core::Indicator) -> bool {
    let approval = ["评价", "认可", "好评", "口碑"];
    mentions_satisfaction(&i.name)
        || mentions_satisfaction(&i.value)
        || (is_percent(i) && approval.iter().any(|w| i.name.contains(w)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testkit::*;
    use jixiao_core::Level2;

    #[test]
    fn b1_branches() {
        let q = |n: usize, total: usize| {
            let inds = (0..total)
                .map(|k| {
                    if k < n {
                        ind(Level2::Quantity, "x", "5个", num(&[5.0], Some("个")))
                    } else {
                        ind(Level2::Quantity, "x", "好", words())
                    }
                })
                .collect();
            run_with(b1, &record(inds)).points
        };
        assert_eq!(q(4, 5), 15.0);
        assert_eq!(q(2, 5), 7.5);
        assert_eq!(q(0, 5), 0.0);
        assert_eq!(run_with(b1, &record(vec![])).points, 0.0);
    }

    #[test]
    fn no_indicators_earn_nothing_on_wording() {
        // 004's 部门整体 narrative before it gave indicators: B2 and B3 gave 15 free points.
        assert_eq!(run_with(b2, &record(vec![])).points, 0.0);
        assert_eq!(run_with(b3, &record(vec![])).points, 0.0);
    }

    #[test]
    fn copies_and_approval_rows() {
        // 000 l.237 会议室持续使用 | 持续使用; 004 l.1974 value = name + 。; 000 l.6873 a zero target.
        assert!(copies_name("会议室持续使用", "持续使用"));
        assert!(copies_name("按时供应", "按时供应。"));
        assert!(!copies_name(
            "不发生农产品质量安全事故",
            "不发生农产品质量安全事"
        ));
        assert!(!copies_name("培训人数", "人数"));
        // 001 l.28 社会效益指标 | 社会评价 | ≥95%.
        let approval = ind(Level2::Social, "社会评价", "≥95%", num(&[95.0], Some("%")));
        let o = run_with(b3, &record(vec![approval]));
        assert_eq!(o.points, 4.0);
        assert!(o.evidence[0].reason.contains("满意度"));
        let effect = ind(Level2::Social, "社会评价体系建设", "完成", words());
        assert_eq!(run_with(b3, &record(vec![effect])).points, 5.0);
    }

    #[test]
    fn b2_branches() {
        let vague = ind(Level2::Social, "效率", "明显提高", words());
        let fine = ind(Level2::Social, "效率", "提高10%", num(&[10.0], Some("%")));
        assert_eq!(run_with(b2, &record(vec![fine.clone()])).points, 10.0);
        let o = run_with(b2, &record(vec![vague.clone(), fine]));
        assert_eq!(o.points, 7.0);
        assert!(o.evidence[0].reason.contains("提高"));
        let four = record(vec![vague.clone(), vague.clone(), vague.clone(), vague]);
        assert_eq!(run_with(b2, &four).points, 0.0);
    }

    #[test]
    fn b3_branches() {
        let ok = ind(Level2::Quantity, "人数", "230人", num(&[230.0], Some("人")));
        assert_eq!(run_with(b3, &record(vec![ok])).points, 5.0);
        let repeat = ind(Level2::Quantity, "安全管理", "安全管理", words());
        let sat = ind(
            Level2::Social,
            "群众满意度",
            "≥90%",
            num(&[90.0], Some("%")),
        );
        let yn = ind(Level2::Quality, "是否达标", "是/否", words());
        let long = ind(Level2::Social, "效益", &"加".repeat(41), words());
        let o = run_with(b3, &record(vec![repeat, sat, yn.clone()]));
        assert_eq!(o.points, 2.0);
        assert_eq!(
            run_with(
                b3,
                &record(vec![long, yn.clone(), yn.clone(), yn.clone(), yn])
            )
            .points,
            0.0
        );
    }
}
