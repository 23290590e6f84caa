//! 适当性 (funds match the targets): C1 cost in money, C2 cost vs funds, C3 quantity measurable.

use jixiao_core::{Indicator, Level2, Record};

use super::{CheckCx, CheckDef, Outcome};
use crate::text::{amount, ev_field, ev_value, has_number, is_blank, is_cost};

/// The cost indicators of a record split the way C2 counts them.
pub(crate) struct CostAmounts<'r> {
    /// Total amounts in 万元 (a `≤X` counts X; so does a `≥X`, which is also a finding).
    pub totals: Vec<(&'r Indicator, f64)>,
    /// Unit rates (`100元/吨`, `每人200元`): not totals, excluded from the sum.
    pub unit_rates: Vec<&'r Indicator>,
}

impl CostAmounts<'_> {
    pub(crate) fn sum(&self) -> f64 {
        self.totals.iter().map(|(_, x)| x).sum()
    }
}

pub(crate) fn cost_amounts(rec: &Record) -> CostAmounts<'_> {
    let mut out = CostAmounts {
        totals: Vec::new(),
        unit_rates: Vec::new(),
    };
    for i in rec.indicators.iter().filter(|i| is_cost(i)) {
        if i.parsed.unit_rate {
            out.unit_rates.push(i);
        } else if let Some(x) = i.parsed.money_wan {
            out.totals.push((i, x));
        }
    }
    out
}

pub(crate) const C1: CheckDef = CheckDef {
    id: "C1",
    title: "成本指标货币化",
    max_points: 6.0,
    rule: "成本指标值有元/万元金额6分；只有非货币成本2分；没有成本指标0分",
    for_department: true,
    run: c1,
};

fn c1(rec: &Record, _cx: &CheckCx) -> Outcome {
    let costs: Vec<&Indicator> = rec
        .indicators
        .iter()
        .filter(|i| is_cost(i) && !is_blank(&i.value))
        .collect();
    if costs
        .iter()
        .any(|i| i.parsed.money_wan.is_some() || i.parsed.unit_rate)
    {
        return Outcome {
            points: 6.0,
            evidence: vec![],
        };
    }
    match costs.first() {
        Some(first) => Outcome {
            points: 2.0,
            evidence: vec![ev_value(
                first,
                "成本指标没有以元或万元表示的金额，请写明成本金额",
                4.0,
            )],
        },
        None => Outcome {
            points: 0.0,
            evidence: vec![ev_field(
                rec,
                "成本指标",
                "indicators",
                "",
                "没有填写成本指标，请按预算测算写明成本金额",
                6.0,
            )],
        },
    }
}

pub(crate) const C2: CheckDef = CheckDef {
    id: "C2",
    title: "成本与资金匹配",
    max_points: 10.0,
    rule: "成本总额(≤X按X计，单价类除外)/资金总额：误差1%内10分；0.9–0.99为7分；0.5–0.9为4分；超出预算、低于0.5或无金额0分；只有单价5分并人工复核",
    for_department: false,
    run: c2,
};

fn c2(rec: &Record, cx: &CheckCx) -> Outcome {
    let costs = cost_amounts(rec);
    let Some(funds) = rec.funds.total.filter(|t| *t > 0.0) else {
        return Outcome {
            points: 0.0,
            evidence: vec![ev_field(
                rec,
                "资金总额",
                "funds.total",
                "",
                "资金总额缺失，无法核对成本与资金是否匹配",
                10.0,
            )],
        };
    };
    if costs.totals.is_empty() {
        if let Some(first) = costs.unit_rates.first() {
            return Outcome {
                points: 5.0,
                evidence: vec![ev_value(
                    first,
                    "成本指标只有单价，无法与资金总额核对，需人工复核",
                    5.0,
                )],
            };
        }
        return Outcome {
            points: 0.0,
            evidence: vec![ev_field(
                rec,
                "成本指标",
                "indicators",
                "",
                "没有以金额表示的成本总额，无法与资金总额核对",
                10.0,
            )],
        };
    }
    let sum = costs.sum();
    let ratio = sum / funds;
    let tol = cx.rubric.cost_tolerance;
    let points = if (ratio - 1.0).abs() <= tol + 1e-9 {
        return Outcome {
            points: 10.0,
            evidence: vec![],
        };
    } else if ratio > 1.0 {
        0.0
    } else if ratio >= 0.9 {
        7.0
    } else if ratio >= 0.5 {
        4.0
    } else {
        0.0
    };
    let why = if ratio > 1.0 {
        format!(
            "成本指标合计{}万元超过资金总额{}万元（{:.0}%），请按预算核实成本",
            amount(sum),
            amount(funds),
            ratio * 100.0
        )
    } else {
        format!(
            "成本指标合计{}万元只占资金总额{}万元的{:.0}%，请补全成本构成",
            amount(sum),
            amount(funds),
            ratio * 100.0
        )
    };
    let mut evidence = vec![ev_field(
        rec,
        "成本指标",
        "funds.total",
        format!("{}/{}", amount(sum), amount(funds)),
        why,
        10.0 - points,
    )];
    evidence.extend(
        costs
            .totals
            .iter()
            .map(|(i, _)| ev_value(i, "计入成本合计", 0.0)),
    );
    Outcome { points, evidence }
}

pub(crate) const C3: CheckDef = CheckDef {
    id: "C3",
    title: "数量指标可衡量",
    max_points: 4.0,
    rule: "数量指标值有数字和单位4分；只有数字2分；否则0分",
    for_department: true,
    run: c3,
};

fn c3(rec: &Record, _cx: &CheckCx) -> Outcome {
    let qty: Vec<&Indicator> = rec
        .indicators
        .iter()
        .filter(|i| i.level2 == Some(Level2::Quantity))
        .collect();
    if qty.iter().any(|i| has_number(i) && i.parsed.unit.is_some()) {
        return Outcome {
            points: 4.0,
            evidence: vec![],
        };
    }
    if let Some(bare) = qty.iter().find(|i| has_number(i)) {
        return Outcome {
            points: 2.0,
            evidence: vec![ev_value(
                bare,
                "数量指标只有数字没有计量单位，请补充单位",
                2.0,
            )],
        };
    }
    let evidence = match qty.first() {
        Some(i) => ev_value(i, "数量指标没有数值，请写明数量和单位", 4.0),
        None => ev_field(
            rec,
            "数量指标",
            "indicators",
            "",
            "没有数量指标，请补充",
            4.0,
        ),
    };
    Outcome {
        points: 0.0,
        evidence: vec![evidence],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testkit::*;
    use jixiao_core::ParsedValue;

    fn money(x: f64) -> ParsedValue {
        ParsedValue {
            money_wan: Some(x),
            ..num(&[x], Some("万元"))
        }
    }

    fn rate() -> ParsedValue {
        ParsedValue {
            unit_rate: true,
            ..num(&[100.0], Some("元/吨"))
        }
    }

    #[test]
    fn c1_branches() {
        assert_eq!(
            run_with(
                c1,
                &record(vec![ind(Level2::Cost, "成本", "10万元", money(10.0))])
            )
            .points,
            6.0
        );
        assert_eq!(
            run_with(
                c1,
                &record(vec![ind(Level2::Cost, "成本", "控制在预算内", words())])
            )
            .points,
            2.0
        );
        assert_eq!(run_with(c1, &record(vec![])).points, 0.0);
    }

    #[test]
    fn c2_branches() {
        let c =
            |x: f64| run_with(c2, &record(vec![ind(Level2::Cost, "成本", "x", money(x))])).points;
        // Funds are 10 万元 in the test record.
        assert_eq!(c(10.0), 10.0);
        assert_eq!(c(10.05), 10.0);
        assert_eq!(c(9.5), 7.0);
        assert_eq!(c(6.0), 4.0);
        assert_eq!(c(2.0), 0.0);
        assert_eq!(c(109.5), 0.0, "the 000 landfill case");
        assert_eq!(
            run_with(
                c2,
                &record(vec![ind(Level2::Cost, "单价", "100元/吨", rate())])
            )
            .points,
            5.0
        );
        assert_eq!(run_with(c2, &record(vec![])).points, 0.0);
        let two = record(vec![
            ind(Level2::Cost, "a", "≤6万元", money(6.0)),
            ind(Level2::Cost, "b", "4万元", money(4.0)),
            ind(Level2::Cost, "c", "100元/吨", rate()),
        ]);
        assert_eq!(
            run_with(c2, &two).points,
            10.0,
            "6 + 4 = 10, unit rate excluded"
        );
    }

    #[test]
    fn c3_branches() {
        assert_eq!(
            run_with(
                c3,
                &record(vec![ind(
                    Level2::Quantity,
                    "人数",
                    "230人",
                    num(&[230.0], Some("人"))
                )])
            )
            .points,
            4.0
        );
        assert_eq!(
            run_with(
                c3,
                &record(vec![ind(
                    Level2::Quantity,
                    "人数",
                    "230",
                    num(&[230.0], None)
                )])
            )
            .points,
            2.0
        );
        assert_eq!(
            run_with(
                c3,
                &record(vec![ind(Level2::Quantity, "人数", "若干", words())])
            )
            .points,
            0.0
        );
    }
}
