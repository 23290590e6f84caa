//! The record a plugin is given, version 1: the SDK's own types, not jixiao's internal ones. The host
//! converts its canonical record into these (crates/score `host::convert`), so jixiao can change its
//! internals without breaking a plugin. Every field has a default and unknown fields are ignored:
//! a field added in a later version reaches a v1 plugin as nothing, never as an error.
//!
//! The JSON of these types is also what a `command` plugin reads in `request.record`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The level-1 and level-2 indicator names as they appear in [`Indicator::level1`] and
/// [`Indicator::level2`] (the national form's names).
pub mod levels {
    /// 产出指标 (level 1).
    pub const OUTPUT: &str = "产出指标";
    /// 效益指标 (level 1).
    pub const BENEFIT: &str = "效益指标";
    /// 满意度指标 (level 1).
    pub const SATISFACTION: &str = "满意度指标";
    /// 成本指标 (level 1 on the 2021+ form; level 2 under 产出指标 on older forms).
    pub const COST: &str = "成本指标";
    /// 数量指标 (level 2).
    pub const QUANTITY: &str = "数量指标";
    /// 质量指标 (level 2).
    pub const QUALITY: &str = "质量指标";
    /// 时效指标 (level 2).
    pub const TIMELINESS: &str = "时效指标";
    /// 经济效益指标 (level 2).
    pub const ECONOMIC: &str = "经济效益指标";
    /// 社会效益指标 (level 2).
    pub const SOCIAL: &str = "社会效益指标";
    /// 生态效益指标 (level 2).
    pub const ECOLOGICAL: &str = "生态效益指标";
    /// 可持续影响指标 (level 2).
    pub const SUSTAINABLE: &str = "可持续影响指标";
    /// 服务对象满意度指标 (level 2).
    pub const SERVED_SATISFACTION: &str = "服务对象满意度指标";
    /// 经济成本指标 (level 2).
    pub const ECONOMIC_COST: &str = "经济成本指标";
    /// 社会成本指标 (level 2).
    pub const SOCIAL_COST: &str = "社会成本指标";
    /// 生态环境成本指标 (level 2).
    pub const ECOLOGICAL_COST: &str = "生态环境成本指标";
}

/// One target table as a plugin sees it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Record {
    /// `project` (项目支出绩效目标表) or `department_overall` (部门整体支出绩效目标表).
    pub kind: String,
    /// First and last line of the table in its source file.
    pub lines: [u32; 2],
    /// The budget year the table states, if any.
    pub year: Option<i32>,
    /// 项目名称 (or the department's name for a department table).
    pub name: Option<String>,
    /// 项目编码.
    pub code: Option<String>,
    /// 实施单位 / 填报单位.
    pub unit: Option<String>,
    /// 主管部门.
    pub supervisor: Option<String>,
    /// Other labelled fields (项目属性, 项目期限 …) by their label.
    pub attributes: BTreeMap<String, String>,
    /// 资金 (万元).
    pub funds: Funds,
    /// 支出计划 points, in order.
    pub spending_plan: Vec<PlanPoint>,
    /// 资金用途 text.
    pub funds_use: Option<String>,
    /// 年度目标 / 总体目标 text.
    pub goal: Option<String>,
    /// The goal split into its numbered items.
    pub goal_items: Vec<String>,
    /// The indicator rows, in table order.
    pub indicators: Vec<Indicator>,
    /// Source line of each field, by field name (`name`, `goal`, `funds.total` …).
    pub field_lines: BTreeMap<String, u32>,
}

/// 资金, in 万元.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Funds {
    /// 资金总额.
    pub total: Option<f64>,
    /// 财政拨款.
    pub fiscal: Option<f64>,
    /// 其他资金.
    pub other: Option<f64>,
    /// Every funds row as written.
    pub items: Vec<FundsItem>,
}

/// One funds row.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FundsItem {
    /// The row's label as written.
    pub label: String,
    /// The amount in 万元, when it could be read.
    pub amount: Option<f64>,
    /// Its source line.
    pub line: u32,
}

/// One point of the spending plan (e.g. `一季度` 30 %).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlanPoint {
    /// The period as written.
    pub label: String,
    /// The share in percent, when stated.
    pub percent: Option<f64>,
}

/// One indicator row.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Indicator {
    /// The level-1 name ([`levels`]), when known.
    pub level1: Option<String>,
    /// The level-2 name ([`levels`]), when known.
    pub level2: Option<String>,
    /// 三级指标 (the indicator's name).
    pub name: String,
    /// 指标值 as written.
    pub value: String,
    /// 指标解释 / 指标内容, when the table has it.
    pub description: Option<String>,
    /// 评（扣）分标准 / 指标值设定依据, when the table has it.
    pub basis: Option<String>,
    /// Its source line.
    pub line: u32,
    /// The value read by jixiao.
    pub parsed: Value,
}

impl Indicator {
    /// Whether the indicator is a cost indicator at either level (成本指标 and its sub-kinds).
    pub fn is_cost(&self) -> bool {
        let l2 = self.level2.as_deref();
        self.level1.as_deref() == Some(levels::COST)
            || matches!(
                l2,
                Some(
                    levels::COST
                        | levels::ECONOMIC_COST
                        | levels::SOCIAL_COST
                        | levels::ECOLOGICAL_COST
                )
            )
    }
}

/// The structured reading of a 指标值.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Value {
    /// `>=`, `<=`, `=`, `>`, `<` or `range`; `None` when the value states no comparison.
    pub comparator: Option<String>,
    /// Every number in the value, in order.
    pub numbers: Vec<f64>,
    /// The unit after the first number (`人`, `%`, `万元` …).
    pub unit: Option<String>,
    /// The amount in 万元 when the value is money.
    pub money_wan: Option<f64>,
    /// The unit is a rate (`元/人`, `万元/公里`).
    pub unit_rate: bool,
    /// A date, period or duration the value names.
    pub time: Option<Time>,
    /// A qualitative value (`显著提升`, `良好`) with no number to check.
    pub qualitative: bool,
}

/// A time the value names.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Time {
    /// `date`, `period`, `duration` or `deadline`.
    pub kind: String,
    /// Every four-digit year named, in order.
    pub years: Vec<i32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_and_missing_fields_are_tolerated() {
        let r: Record = serde_json::from_str(
            r#"{"name":"x","indicators":[{"name":"n","level2":"成本指标","future":1}],"future":{}}"#,
        )
        .expect("parse");
        assert_eq!(r.name.as_deref(), Some("x"));
        assert!(r.indicators[0].is_cost());
        assert_eq!(r.funds, Funds::default());
    }
}
