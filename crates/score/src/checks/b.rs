//! 相关性 (refined and quantified): B1 quantified share, B2 vague wording, B3 value hygiene.

use jixiao_core::{Level1, Record};

use super::{CheckCx, CheckDef, Outcome, deduct};
use crate::text::{
    ev_field, ev_value, has_number, is_benefit, is_blank, is_yes_no_placeholder,
    mentions_satisfaction, vague_hits,
};

/// A value longer than this (in characters) is a narrative, not a target.
pub const NARRATIVE_CHARS: usize = 40;

pub const B1: CheckDef = CheckDef {
    id: "B1",
    title: "指标量化程度",
    max_points: 15.0,
    rule: "q = 含数字的指标值 / 全部指标；得分 15 × min(1, q/0.8)",
    for_department: true,
    run: b1,
};

fn b1(rec: &Record, _cx: &CheckCx) -> Outcome {
    let all = rec.indicators.len();
    if all == 0 {
        return Outcome {
            points: 0.0,
            evidence: vec![ev_field(
                rec,
                "绩效指标",
                "indicators",
                "",
                "没有绩效指标，无法量化",
                15.0,
            )],
        };
    }
    let quantified = rec.indicators.iter().filter(|i| has_number(i)).count();
    let q = quantified as f64 / all as f64;
    let points = 15.0 * (q / 0.8).min(1.0);
    if points >= 15.0 {
        return Outcome {
            points,
            evidence: vec![],
        };
    }
    let mut evidence = vec![ev_field(
        rec,
        "绩效指标",
        "indicators",
        format!("{quantified}/{all}"),
        format!(
            "量化指标占比{:.0}%（{quantified}/{all}），低于80%，请为下列指标设定可衡量的数值",
            q * 100.0
        ),
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

pub const B2: CheckDef = CheckDef {
    id: "B2",
    title: "表述不笼统",
    max_points: 10.0,
    rule: "每个没有数字且使用笼统词语（提高、明显、及时、满意……）的指标值扣3分",
    for_department: true,
    run: b2,
};

fn b2(rec: &Record, cx: &CheckCx) -> Outcome {
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

pub const B3: CheckDef = CheckDef {
    id: "B3",
    title: "指标值规范",
    max_points: 5.0,
    rule: "每项扣1分：指标值重复指标名称；指标值是叙述（超过40字）；满意度填在效益指标下；未填写的“是/否”占位",
    for_department: true,
    run: b3,
};

fn b3(rec: &Record, _cx: &CheckCx) -> Outcome {
    let mut ev = Vec::new();
    for i in &rec.indicators {
        let v = i.value.trim();
        if is_blank(v) {
            continue; // A6 counts empty values.
        }
        if v == i.name.trim() {
            ev.push(ev_value(i, "指标值重复了指标名称，请填写目标值", 1.0));
        }
        if v.chars().count() > NARRATIVE_CHARS {
            ev.push(ev_value(
                i,
                "指标值是一段叙述（超过40字），请提炼为简明的目标值",
                1.0,
            ));
        }
        if is_benefit(i) && (mentions_satisfaction(&i.name) || mentions_satisfaction(v)) {
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
