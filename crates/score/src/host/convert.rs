//! jixiao's canonical record → the record a plugin is given (`jixiao_plugin_api::Record`, the
//! SDK's own versioned types). Written out field by field so a change to jixiao's internal record
//! never silently changes what plugins receive; a field the SDK gains is added here.

use jixiao_core::{Comparator, RecordKind, TimeKind};
use jixiao_plugin_api as sdk;

/// The plugin's view of `r`.
pub(crate) fn plugin_record(r: &jixiao_core::Record) -> sdk::Record {
    sdk::Record {
        kind: match r.kind {
            RecordKind::Project => "project",
            RecordKind::DepartmentOverall => "department_overall",
        }
        .into(),
        lines: r.lines,
        year: r.year,
        name: r.name.clone(),
        code: r.code.clone(),
        unit: r.unit.clone(),
        supervisor: r.supervisor.clone(),
        attributes: r.attributes.clone(),
        funds: sdk::Funds {
            total: r.funds.total,
            fiscal: r.funds.fiscal,
            other: r.funds.other,
            items: r
                .funds
                .items
                .iter()
                .map(|i| sdk::FundsItem {
                    label: i.label.clone(),
                    amount: i.amount,
                    line: i.line,
                })
                .collect(),
        },
        spending_plan: r
            .spending_plan
            .iter()
            .map(|p| sdk::PlanPoint {
                label: p.label.clone(),
                percent: p.percent,
            })
            .collect(),
        funds_use: r.funds_use.clone(),
        goal: r.goal.clone(),
        goal_items: r.goal_items.clone(),
        indicators: r.indicators.iter().map(indicator).collect(),
        field_lines: r.field_lines.clone(),
    }
}

fn indicator(i: &jixiao_core::Indicator) -> sdk::Indicator {
    let p = &i.parsed;
    sdk::Indicator {
        level1: i.level1.map(|l| l.as_str().to_string()),
        level2: i.level2.map(|l| l.as_str().to_string()),
        name: i.name.clone(),
        value: i.value.clone(),
        description: i.description.clone(),
        basis: i.basis.clone(),
        line: i.line,
        parsed: sdk::Value {
            comparator: p.comparator.map(|c| {
                match c {
                    Comparator::Ge => ">=",
                    Comparator::Le => "<=",
                    Comparator::Eq => "=",
                    Comparator::Gt => ">",
                    Comparator::Lt => "<",
                    Comparator::Range => "range",
                }
                .to_string()
            }),
            numbers: p.numbers.clone(),
            unit: p.unit.clone(),
            money_wan: p.money_wan,
            unit_rate: p.unit_rate,
            time: p.time.as_ref().map(|t| sdk::Time {
                kind: match t.kind {
                    TimeKind::Date => "date",
                    TimeKind::Period => "period",
                    TimeKind::Duration => "duration",
                    TimeKind::Deadline => "deadline",
                }
                .into(),
                years: t.years.clone(),
            }),
            qualitative: p.qualitative,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_core::{Indicator, Level2, ParsedValue, Record, TimeSpec};

    /// The conversion writes the same JSON as jixiao's own record for every field the SDK has, so
    /// a plugin reading records.json and one reading a request see the same names and values.
    #[test]
    fn the_plugin_view_matches_the_record_json_field_for_field() {
        let mut r = Record::new(RecordKind::DepartmentOverall, 7);
        r.name = Some("机关运行".into());
        r.funds.total = Some(12.5);
        r.attributes.insert("项目属性".into(), "延续项目".into());
        r.indicators.push(Indicator {
            level1: Some(Level2::EconomicCost.parent()),
            level2: Some(Level2::EconomicCost),
            level1_raw: None,
            level2_raw: None,
            name: "成本".into(),
            value: "≤12.5万元".into(),
            description: None,
            basis: Some("预算".into()),
            line: 9,
            parsed: ParsedValue {
                comparator: Some(Comparator::Le),
                numbers: vec![12.5],
                unit: Some("万元".into()),
                money_wan: Some(12.5),
                time: Some(TimeSpec {
                    kind: TimeKind::Deadline,
                    years: vec![2024],
                }),
                ..ParsedValue::default()
            },
        });
        let ours = serde_json::to_value(&r).expect("json");
        let theirs = serde_json::to_value(plugin_record(&r)).expect("json");
        let serde_json::Value::Object(fields) = &theirs else {
            panic!("not an object")
        };
        for (key, value) in fields {
            if key == "indicators" {
                let ind = &value[0];
                let core_ind = &ours["indicators"][0];
                for (k, v) in ind.as_object().into_iter().flatten() {
                    assert_eq!(v, &core_ind[k], "indicator field {k}");
                }
            } else if ours.get(key).is_none() {
                // jixiao leaves empty lists out of records.json; the SDK writes them empty.
                assert!(
                    value.as_array().is_some_and(Vec::is_empty) || value.is_null(),
                    "field {key}: {value}"
                );
            } else {
                assert_eq!(value, &ours[key], "field {key}");
            }
        }
        assert_eq!(theirs["indicators"][0]["level2"], "经济成本指标");
        assert_eq!(theirs["kind"], "department_overall");
    }
}
