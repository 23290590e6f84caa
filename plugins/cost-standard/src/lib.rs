//! `cost-standard`: meeting and training cost targets against per-person-day standards.
//!
//! - Takes: one record + params `standards` (keyword → 元 per person per day, e.g.
//!   `{ 会议 = 550, 培训 = 650 }`, the bureau's 会议费/培训费 standards).
//! - Returns: `CS1` 会议培训费标准 — 5 points when the cost target ÷ (people × days) is within the
//!   standard, 0 with the arithmetic as evidence when it is over. Left out ("not applicable") unless
//!   the project names a keyword AND the table states people (人/人次), days (天) or person-days
//!   (人天), and a cost amount.

use jixiao_plugin_api::{
    Indicator, Manifest, ManifestCheck, ParamSpec, ParamType, PluginCheckResult, PluginEvidence,
    Record, ScoreRequest, Scorer, levels,
};

/// The `cost-standard` scorer: check `CS1` (会议/培训 cost per person-day against the configured
/// standards). Exported by [`jixiao_plugin_api::export_scorer!`].
#[derive(Default)]
pub struct CostStandard;

fn first_with_unit<'r>(rec: &'r Record, units: &[&str]) -> Option<(&'r Indicator, f64)> {
    rec.indicators.iter().find_map(|i| {
        let u = i.parsed.unit.as_deref()?;
        let x = *i.parsed.numbers.first()?;
        (units.contains(&u) && x > 0.0).then_some((i, x))
    })
}

fn is_cost(i: &Indicator) -> bool {
    matches!(
        i.level2.as_deref(),
        Some(levels::COST | levels::ECONOMIC_COST)
    ) || i.level1.as_deref() == Some(levels::COST)
}

/// The check on one record, or `None` when it does not apply.
pub fn check(
    rec: &Record,
    standards: &serde_json::Map<String, serde_json::Value>,
) -> Option<PluginCheckResult> {
    let name = rec.name.as_deref().unwrap_or("");
    let (keyword, standard) = standards.iter().find_map(|(k, v)| {
        let hit = name.contains(k.as_str())
            || rec
                .indicators
                .iter()
                .any(|i| is_cost(i) && i.name.contains(k.as_str()));
        hit.then_some(k.as_str()).zip(v.as_f64())
    })?;
    let costs: Vec<(&Indicator, f64)> = rec
        .indicators
        .iter()
        .filter(|i| is_cost(i) && !i.parsed.unit_rate)
        .filter_map(|i| i.parsed.money_wan.map(|m| (i, m)))
        .collect();
    let cost_wan: f64 = costs.iter().map(|(_, m)| m).sum();
    let cost_ind = costs.first()?.0;
    let (person_days, how) = match first_with_unit(rec, &["人天", "人·天", "人日"]) {
        Some((_, pd)) => (pd, format!("{pd}人天")),
        None => {
            let (_, people) = first_with_unit(rec, &["人", "人次"])?;
            let (_, days) = first_with_unit(rec, &["天", "日"])?;
            (people * days, format!("{people}人×{days}天"))
        }
    };
    let per = cost_wan * 10_000.0 / person_days;
    if per <= standard + 1e-6 {
        return Some(PluginCheckResult {
            id: "CS1".into(),
            points: 5.0,
            evidence: vec![],
        });
    }
    Some(PluginCheckResult {
        id: "CS1".into(),
        points: 0.0,
        evidence: vec![PluginEvidence {
            subject: cost_ind.name.clone(),
            text: cost_ind.value.clone(),
            line: Some(cost_ind.line),
            reason: format!(
                "{keyword}费{cost_wan}万元÷{how}={per:.0}元/人天，超过标准{standard}元/人天，请按标准压减或说明依据"
            ),
            deduction: 5.0,
        }],
    })
}

impl Scorer for CostStandard {
    fn manifest(&self) -> Manifest {
        Manifest {
            name: "cost-standard".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "会议费、培训费成本指标与人天标准比对".into(),
            checks: vec![ManifestCheck {
                id: "CS1".into(),
                title: "会议培训费符合标准".into(),
                max_points: 5.0,
                rule: "成本指标÷(人数×天数)不超过params.standards中对应的元/人天标准：5分，超标0分"
                    .into(),
            }],
            params: [(
                "standards".to_string(),
                ParamSpec {
                    kind: ParamType::Object,
                    required: true,
                    description: "关键词 → 元/人天".into(),
                },
            )]
            .into_iter()
            .collect(),
            thread_safe: true,
        }
    }

    fn score(&self, req: &ScoreRequest) -> Result<Vec<PluginCheckResult>, String> {
        let standards = req
            .params
            .get("standards")
            .and_then(|v| v.as_object())
            .ok_or("params.standards is missing or not a table")?;
        if let Some((k, _)) = standards.iter().find(|(_, v)| v.as_f64().is_none()) {
            return Err(format!("params.standards.{k} must be a number (元/人天)"));
        }
        Ok(check(&req.record, standards).into_iter().collect())
    }
}

jixiao_plugin_api::export_scorer!(CostStandard);

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_plugin_api::Value;

    fn ind(l1: &str, l2: &str, name: &str, n: f64, unit: &str, money: Option<f64>) -> Indicator {
        Indicator {
            level1: Some(l1.into()),
            level2: Some(l2.into()),
            name: name.into(),
            value: format!("{n}{unit}"),
            line: 3,
            parsed: Value {
                numbers: vec![n],
                unit: Some(unit.into()),
                money_wan: money,
                ..Value::default()
            },
            ..Indicator::default()
        }
    }

    fn training(cost_wan: f64) -> Record {
        let output = levels::OUTPUT;
        Record {
            kind: "project".into(),
            lines: [1, 1],
            name: Some("2024年村干部培训".into()),
            indicators: vec![
                ind(output, levels::QUANTITY, "培训人数", 100.0, "人", None),
                ind(output, levels::TIMELINESS, "培训天数", 3.0, "天", None),
                ind(
                    levels::COST,
                    levels::COST,
                    "培训费",
                    cost_wan,
                    "万元",
                    Some(cost_wan),
                ),
            ],
            ..Record::default()
        }
    }

    fn standards() -> serde_json::Map<String, serde_json::Value> {
        serde_json::json!({"培训": 650, "会议": 550})
            .as_object()
            .cloned()
            .unwrap_or_default()
    }

    #[test]
    fn within_and_over_standard() {
        // 100 人 × 3 天 = 300 人天; 650 元 × 300 = 19.5 万元.
        assert_eq!(
            check(&training(19.5), &standards()).map(|r| r.points),
            Some(5.0)
        );
        let over = check(&training(30.0), &standards()).unwrap();
        assert_eq!(over.points, 0.0);
        assert!(
            over.evidence[0].reason.contains("1000元/人天"),
            "{}",
            over.evidence[0].reason
        );
    }

    #[test]
    fn not_applicable_without_people_and_days() {
        let mut r = training(30.0);
        r.indicators.remove(1);
        assert!(check(&r, &standards()).is_none());
        let mut r = training(30.0);
        r.name = Some("道路维修".into());
        r.indicators[2].name = "维修费".into();
        assert!(check(&r, &standards()).is_none());
    }

    #[test]
    fn bad_params_are_a_reported_error() {
        let req = ScoreRequest {
            record: training(1.0),
            params: serde_json::json!({"standards": {"培训": "多"}})
                .as_object()
                .cloned()
                .unwrap_or_default(),
            year: 2024,
        };
        assert!(CostStandard.score(&req).unwrap_err().contains("培训"));
    }
}
