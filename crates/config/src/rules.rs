//! `[[scoring.rules]]`: local rules that need no program — which indicators a rule looks at, what
//! their values must satisfy, what a violation costs and the reason the packet prints.
//!
//! ```toml
//! [[scoring.rules]]
//! id = "R1"
//! title = "满意度目标值"
//! level1 = "满意度指标"           # which indicators: level1, level2, name_contains (all given must match)
//! min = 90                        # what their values must satisfy: min, max, unit, direction
//! unit = "%"
//! points = 2                      # what the check is worth; each violation costs points_each (default all)
//! reason = "满意度目标值应不低于90%"
//! ```

use jixiao_core::{Comparator, Level1, Level2, RecordKind};
use serde::Deserialize;

use crate::checker::Checker;

/// One `[[scoring.rules]]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleConfig {
    /// The check's id (e.g. `R1`); unique, and not the shape of a built-in id (`A1` … `D9`).
    pub id: String,
    /// The check's Chinese title, as printed in the packet.
    pub title: String,
    /// What the check is worth.
    pub points: f64,
    /// What one violating indicator costs (default: all of `points`); the total is capped at
    /// `points`.
    pub points_each: Option<f64>,
    /// The reason printed with every deduction.
    pub reason: String,
    /// Only records of this kind (`project` or `department_overall`); default both.
    pub applies_to: Option<RecordKind>,
    /// Only records whose name contains one of these (e.g. `["培训"]`); default every record.
    #[serde(default)]
    pub project_contains: Vec<String>,
    /// Indicators under this level-1 name.
    pub level1: Option<Level1>,
    /// Indicators under this level-2 name.
    pub level2: Option<Level2>,
    /// Indicators whose name contains one of these.
    #[serde(default)]
    pub name_contains: Vec<String>,
    /// A record without any matching indicator loses all `points` (default: the rule does not
    /// apply to it).
    #[serde(default)]
    pub required: bool,
    /// The value's first number must be at least this.
    pub min: Option<f64>,
    /// The value's first number must be at most this.
    pub max: Option<f64>,
    /// The value's unit must be this (`%`, `人`, `万元` …).
    pub unit: Option<String>,
    /// The value must state this comparison: `>=`, `<=`, `=`, `>`, `<` or `range`.
    pub direction: Option<Comparator>,
}

impl RuleConfig {
    /// Whether the rule puts any condition on the value (as opposed to only requiring presence).
    pub fn has_value_condition(&self) -> bool {
        self.min.is_some() || self.max.is_some() || self.unit.is_some() || self.direction.is_some()
    }
}

/// The checks serde cannot express, each located at its key.
pub(crate) fn check(rules: &[RuleConfig], checker: &mut Checker<'_>) {
    for (i, rule) in rules.iter().enumerate() {
        let index = i.to_string();
        let mut error = |key: &str, message: String| {
            checker.error_at(&["scoring", "rules", &index, key], message);
        };
        let id = rule.id.trim();
        if id.is_empty() {
            error(
                "id",
                "`id` is empty: give the rule a short id such as \"R1\"".into(),
            );
        } else if looks_built_in(id) {
            error(
                "id",
                format!(
                    "`{id}` has the shape of a built-in check id (A1 … D9): choose another, such as \"R1\""
                ),
            );
        } else if rules[..i].iter().any(|r| r.id.trim() == id) {
            error("id", format!("rule id `{id}` is used twice"));
        }
        if rule.title.trim().is_empty() {
            error(
                "title",
                "`title` is empty: it is printed in the packet".into(),
            );
        }
        if rule.reason.trim().is_empty() {
            error(
                "reason",
                "`reason` is empty: every deduction must say why".into(),
            );
        }
        if !(rule.points.is_finite() && rule.points > 0.0 && rule.points <= 100.0) {
            error(
                "points",
                format!(
                    "`points` is {}: a number above 0 and at most 100",
                    rule.points
                ),
            );
        }
        if let Some(each) = rule.points_each
            && !(each.is_finite() && each > 0.0 && each <= rule.points)
        {
            error(
                "points_each",
                format!("`points_each` is {each}: above 0 and at most `points`"),
            );
        }
        let selects =
            rule.level1.is_some() || rule.level2.is_some() || !rule.name_contains.is_empty();
        if !selects {
            error(
                "id",
                "the rule selects no indicators: give `level1`, `level2` or `name_contains`".into(),
            );
        }
        if !rule.required && !rule.has_value_condition() {
            error(
                "id",
                "the rule checks nothing: give `min`, `max`, `unit`, `direction`, or `required = true`"
                    .into(),
            );
        }
        if let (Some(min), Some(max)) = (rule.min, rule.max)
            && min > max
        {
            error("max", format!("`max` {max} is below `min` {min}"));
        }
        if let (Some(l1), Some(l2)) = (rule.level1, rule.level2)
            && l2.parent() != l1
            && !(l1 == Level1::Cost || l2.parent() == Level1::Cost)
        {
            error(
                "level2",
                format!("`{}` is not under `{}`", l2.as_str(), l1.as_str()),
            );
        }
        for (key, list) in [
            ("name_contains", &rule.name_contains),
            ("project_contains", &rule.project_contains),
        ] {
            if list.iter().any(|s| s.trim().is_empty()) {
                error(
                    key,
                    format!("`{key}` has an empty entry: it would match everything"),
                );
            }
        }
    }
}

/// `A1`, `B12`, `D4`: the shape the built-in rubric uses, kept free for it.
fn looks_built_in(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some('A'..='D')) && {
        let rest = chars.as_str();
        !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_shapes_are_reserved() {
        assert!(looks_built_in("A1") && looks_built_in("D12"));
        assert!(!looks_built_in("R1") && !looks_built_in("A") && !looks_built_in("AX1"));
    }
}
