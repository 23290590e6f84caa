//! `[[scoring.rules]]`: local rules that need no program. A rule selects indicators (level 1,
//! level 2, words in the name), states what their values must satisfy (a minimum, a maximum, a
//! unit, a direction) or that one must be present, and what a violation costs. Evaluated on the
//! parsed values normalize produced; every deduction names the indicator, quotes its value and
//! gives its line.

use jixiao_config::RuleConfig;
use jixiao_core::{CheckInfo, CheckResult, CheckStatus, Comparator, Evidence, Indicator, Record};

use crate::text::round2;

/// Where a rule's check comes from, as the rubric records it.
pub(crate) const SOURCE: &str = "本地规则";

/// The rule as the rubric lists it.
pub(crate) fn check_info(rule: &RuleConfig) -> CheckInfo {
    CheckInfo {
        id: rule.id.trim().to_string(),
        title: rule.title.clone(),
        max_points: round2(rule.points),
        rule: describe(rule),
        source: SOURCE.to_string(),
    }
}

/// The rule's result on one record; `None` when it does not apply (another kind of record, a
/// project name without the words, no matching indicator and not `required`).
pub(crate) fn evaluate(rule: &RuleConfig, rec: &Record) -> Option<CheckResult> {
    if rule.applies_to.is_some_and(|k| k != rec.kind) {
        return None;
    }
    let name = rec.name.as_deref().unwrap_or("");
    if !rule.project_contains.is_empty()
        && !rule
            .project_contains
            .iter()
            .any(|w| name.contains(w.as_str()))
    {
        return None;
    }
    let matching: Vec<&Indicator> = rec.indicators.iter().filter(|i| selects(rule, i)).collect();
    let scored = |points: f64, evidence: Vec<Evidence>| CheckResult {
        id: rule.id.trim().to_string(),
        status: CheckStatus::Scored,
        points: round2(points),
        max_points: round2(rule.points),
        evidence,
    };
    if matching.is_empty() {
        if !rule.required {
            return None;
        }
        let missing = Evidence {
            subject: if name.is_empty() {
                "（未命名）"
            } else {
                name
            }
            .to_string(),
            text: String::new(),
            line: Some(rec.lines[0]),
            reason: format!("{}（未找到{}）", rule.reason, selection(rule)),
            deduction: round2(rule.points),
        };
        return Some(scored(0.0, vec![missing]));
    }
    let each = rule.points_each.unwrap_or(rule.points);
    let mut left = rule.points;
    let mut evidence = Vec::new();
    for i in matching {
        let Some(why) = violation(rule, i) else {
            continue;
        };
        let deduction = each.min(left);
        left -= deduction;
        evidence.push(Evidence {
            subject: i.name.clone(),
            text: i.value.clone(),
            line: Some(i.line),
            reason: format!("{}（{why}）", rule.reason),
            deduction: round2(deduction),
        });
    }
    Some(scored(left.max(0.0), evidence))
}

fn selects(rule: &RuleConfig, i: &Indicator) -> bool {
    rule.level1.is_none_or(|l| i.level1 == Some(l))
        && rule.level2.is_none_or(|l| i.level2 == Some(l))
        && (rule.name_contains.is_empty()
            || rule
                .name_contains
                .iter()
                .any(|w| i.name.contains(w.as_str())))
}

/// What is wrong with the indicator's value, in words; `None` when it satisfies the rule.
fn violation(rule: &RuleConfig, i: &Indicator) -> Option<String> {
    let p = &i.parsed;
    let first = p.numbers.first().copied();
    if rule.min.is_some() || rule.max.is_some() {
        let Some(x) = first else {
            return Some("指标值未写数值".into());
        };
        if let Some(min) = rule.min.filter(|m| x < *m) {
            return Some(format!("{} 低于 {}", number(x), number(min)));
        }
        if let Some(max) = rule.max.filter(|m| x > *m) {
            return Some(format!("{} 高于 {}", number(x), number(max)));
        }
    }
    if let Some(unit) = &rule.unit
        && p.unit.as_deref() != Some(unit.as_str())
    {
        return Some(match &p.unit {
            Some(u) => format!("单位为“{u}”，应为“{unit}”"),
            None => format!("未写单位，应为“{unit}”"),
        });
    }
    if let Some(want) = rule.direction
        && p.comparator != Some(want)
    {
        return Some(format!("应写明“{}”", comparator_words(want)));
    }
    None
}

/// The rule in words, for the packet's rubric annex.
fn describe(rule: &RuleConfig) -> String {
    let mut conditions = Vec::new();
    if let Some(min) = rule.min {
        conditions.push(format!("数值不低于 {}", number(min)));
    }
    if let Some(max) = rule.max {
        conditions.push(format!("数值不高于 {}", number(max)));
    }
    if let Some(unit) = &rule.unit {
        conditions.push(format!("单位为“{unit}”"));
    }
    if let Some(d) = rule.direction {
        conditions.push(format!("写明“{}”", comparator_words(d)));
    }
    let mut text = format!("{}：", selection(rule));
    if rule.required {
        text.push_str("须至少有一项");
        if !conditions.is_empty() {
            text.push('，');
        }
    }
    text.push_str(&conditions.join("，"));
    if !rule.project_contains.is_empty() {
        text = format!(
            "名称含“{}”的项目，{text}",
            rule.project_contains.join("”或“")
        );
    }
    if !rule.has_value_condition() {
        return format!("{text}。缺少时扣 {} 分。", number(rule.points));
    }
    let each = rule.points_each.unwrap_or(rule.points);
    format!(
        "{text}。每处不符扣 {} 分，最多扣 {} 分。",
        number(each),
        number(rule.points)
    )
}

/// Which indicators the rule looks at, in words (`满意度指标中名称含“满意”的指标`).
fn selection(rule: &RuleConfig) -> String {
    let mut s = String::new();
    if let Some(l) = rule.level1 {
        s.push_str(l.as_str());
    }
    if let Some(l) = rule.level2 {
        if !s.is_empty() {
            s.push('/');
        }
        s.push_str(l.as_str());
    }
    if !rule.name_contains.is_empty() {
        if !s.is_empty() {
            s.push('中');
        }
        s.push_str(&format!(
            "名称含“{}”的指标",
            rule.name_contains.join("”或“")
        ));
    }
    s
}

fn comparator_words(c: Comparator) -> &'static str {
    match c {
        Comparator::Ge => "≥",
        Comparator::Le => "≤",
        Comparator::Eq => "=",
        Comparator::Gt => ">",
        Comparator::Lt => "<",
        Comparator::Range => "区间",
    }
}

/// `90`, `2.5`: no float artefacts, no trailing zeros.
fn number(x: f64) -> String {
    let r = round2(x);
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_core::{Level1, Level2, ParsedValue, RecordKind};

    fn rule(toml_text: &str) -> RuleConfig {
        toml::from_str(toml_text).unwrap_or_else(|e| panic!("{e}"))
    }

    fn ind(l2: Level2, name: &str, value: &str, n: Option<f64>, unit: &str) -> Indicator {
        let parsed = ParsedValue {
            numbers: n.into_iter().collect(),
            unit: (!unit.is_empty()).then(|| unit.to_string()),
            comparator: value.starts_with('≥').then_some(Comparator::Ge),
            ..ParsedValue::default()
        };
        let (name, value) = (name.to_string(), value.to_string());
        let level1 = Some(l2.parent());
        Indicator {
            level1,
            level2: Some(l2),
            name,
            value,
            line: 20,
            parsed,
            ..Indicator::default()
        }
    }

    fn record(indicators: Vec<Indicator>) -> Record {
        let mut r = Record::new(RecordKind::Project, 10);
        r.name = Some("干部培训经费".into());
        r.indicators = indicators;
        r
    }

    const SATISFACTION: &str = r#"
        id = "R1"
        title = "满意度目标值"
        level1 = "满意度指标"
        min = 90
        unit = "%"
        points = 2
        points_each = 1
        reason = "满意度目标值应不低于90%"
    "#;

    #[test]
    fn each_violation_costs_points_each_with_the_cell_and_line() {
        let r = rule(SATISFACTION);
        let rec = record(vec![
            ind(Level2::Satisfaction, "学员满意度", "≥95%", Some(95.0), "%"),
            ind(Level2::Satisfaction, "单位满意度", "≥85%", Some(85.0), "%"),
            ind(Level2::Satisfaction, "群众满意度", "较高", None, ""),
            ind(Level2::Quantity, "培训人数", "100人", Some(100.0), "人"),
        ]);
        let result = evaluate(&r, &rec).expect("applies");
        assert_eq!((result.points, result.max_points), (0.0, 2.0));
        let reasons: Vec<(&str, &str, f64)> = result
            .evidence
            .iter()
            .map(|e| (e.subject.as_str(), e.reason.as_str(), e.deduction))
            .collect();
        assert_eq!(
            reasons,
            [
                ("单位满意度", "满意度目标值应不低于90%（85 低于 90）", 1.0),
                (
                    "群众满意度",
                    "满意度目标值应不低于90%（指标值未写数值）",
                    1.0
                ),
            ]
        );
        assert_eq!(result.evidence[0].line, Some(20));
        assert_eq!(result.evidence[0].text, "≥85%");
        assert_eq!(
            check_info(&r).rule,
            "满意度指标：数值不低于 90，单位为“%”。每处不符扣 1 分，最多扣 2 分。"
        );
    }

    #[test]
    fn a_rule_without_matching_indicators_applies_only_when_required() {
        let r = rule(SATISFACTION);
        let rec = record(vec![ind(
            Level2::Quantity,
            "培训人数",
            "100人",
            Some(100.0),
            "人",
        )]);
        assert_eq!(evaluate(&r, &rec), None);
        let required = rule(
            r#"id = "R2"
               title = "培训人数"
               project_contains = ["培训"]
               level2 = "数量指标"
               name_contains = ["人数"]
               required = true
               points = 3
               reason = "培训类项目须设培训人数指标""#,
        );
        assert_eq!(
            evaluate(&required, &rec).map(|c| c.points),
            Some(3.0),
            "present"
        );
        assert_eq!(
            check_info(&required).rule,
            "名称含“培训”的项目，数量指标中名称含“人数”的指标：须至少有一项。缺少时扣 3 分。"
        );
        let missing = evaluate(&required, &record(vec![])).expect("required");
        assert_eq!(missing.points, 0.0);
        assert_eq!(
            missing.evidence[0].reason,
            "培训类项目须设培训人数指标（未找到数量指标中名称含“人数”的指标）"
        );
        let mut other = record(vec![]);
        other.name = Some("办公经费".into());
        assert_eq!(evaluate(&required, &other), None, "not a training project");
        assert_eq!(Level1::Output, Level2::Quantity.parent());
    }
}
