//! Row builders of [`super::PacketContext`]: one project's review sheet, the rubric's failure
//! counts, the findings.

use std::collections::BTreeMap;

use jixiao_core::summary::{percent, round2};
use jixiao_core::{CheckStatus, Comparator, Indicator, RecordKind, RecordScore, RubricInfo};

use super::builder::Titles;
use super::{CheckCell, CheckRow, DeductionExample, DeductionRow, IndicatorRow, ProjectRow, lost};

/// How many quoted examples each rule keeps for the problem analysis.
const EXAMPLES: usize = 3;

/// Whether a piece of evidence is a deduction row: it cost points, or it names the grade a check
/// that lost points gave. The packet prints no other evidence (the problem analysis quotes
/// deductions too).
pub(crate) fn is_deduction(c: &jixiao_core::CheckResult, e: &jixiao_core::Evidence) -> bool {
    e.deduction > 0.0 || (lost(c) && e.reason.contains("等级"))
}

/// How many deduction rows a record's review sheet has (as [`project_row`] lists them).
pub(super) fn deduction_count(s: &RecordScore) -> usize {
    s.checks
        .iter()
        .map(|c| c.evidence.iter().filter(|e| is_deduction(c, e)).count())
        .sum()
}

pub(crate) fn project_row(
    record: Option<&jixiao_core::Record>,
    s: &RecordScore,
    titles: &Titles,
) -> ProjectRow {
    let deductions = s
        .checks
        .iter()
        .flat_map(|c| {
            c.evidence
                .iter()
                .filter(|e| is_deduction(c, e))
                .map(|e| DeductionRow {
                    check: c.id.clone(),
                    title: titles.get(c.id.as_str()).cloned().unwrap_or_default(),
                    deduction: round2(e.deduction),
                    subject: e.subject.clone(),
                    text: e.text.clone(),
                    reason: e.reason.clone(),
                    file: s.record.file.clone(),
                    line: e.line,
                })
        })
        .collect();
    ProjectRow {
        name: s.name.clone(),
        code: record.and_then(|r| r.code.clone()),
        unit: record.and_then(|r| r.unit.clone()),
        department: s.department.clone(),
        kind: match s.kind {
            RecordKind::Project => "项目",
            RecordKind::DepartmentOverall => "部门整体",
        }
        .to_string(),
        file: s.record.file.clone(),
        lines: s.record.lines,
        year: record.and_then(|r| r.year),
        funds: s.funds_total,
        goal: record.and_then(|r| r.goal.clone()),
        total: round2(s.total),
        max_points: round2(s.max_points),
        percent: percent(s),
        grade: s.grade.as_str().to_string(),
        checks: s
            .checks
            .iter()
            .map(|c| CheckCell {
                id: c.id.clone(),
                points: (c.status == CheckStatus::Scored).then_some(round2(c.points)),
                max_points: c.max_points,
                not_applicable: c.status == CheckStatus::NotApplicable,
            })
            .collect(),
        deductions,
        indicators: record
            .map(|r| r.indicators.iter().map(indicator_row).collect())
            .unwrap_or_default(),
    }
}

fn indicator_row(i: &Indicator) -> IndicatorRow {
    IndicatorRow {
        level1: i.level1.map(|l| l.as_str().to_string()).unwrap_or_default(),
        level1_raw: i.level1_raw.clone().unwrap_or_default(),
        level2: i.level2.map(|l| l.as_str().to_string()).unwrap_or_default(),
        level2_raw: i.level2_raw.clone().unwrap_or_default(),
        name: i.name.clone(),
        value: i.value.clone(),
        parsed: parsed_words(i),
        line: i.line,
    }
}

/// The parsed value as a reviewer reads it: comparator, number, unit; `定性` when there is no number.
pub(crate) fn parsed_words(i: &Indicator) -> String {
    let p = &i.parsed;
    if p.qualitative || p.numbers.is_empty() {
        return "定性".into();
    }
    let number = |x: f64| {
        let s = crate::format::fixed(x, 4);
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    let mut out = match (p.comparator, p.numbers.as_slice()) {
        (Some(Comparator::Range), [a, b, ..]) => format!("{}–{}", number(*a), number(*b)),
        (Some(c), [a, ..]) => {
            let sign = match c {
                Comparator::Ge => "≥",
                Comparator::Le => "≤",
                Comparator::Gt => ">",
                Comparator::Lt => "<",
                Comparator::Eq | Comparator::Range => "=",
            };
            format!("{sign}{}", number(*a))
        }
        (None, [a, ..]) => number(*a),
        (_, []) => String::new(),
    };
    if let Some(unit) = &p.unit {
        out.push_str(unit);
    }
    if p.unit_rate {
        out.push_str("（单价）");
    } else if let Some(w) = p.money_wan.filter(|_| p.unit.as_deref() != Some("万元")) {
        out.push_str(&format!("（{}万元）", number(w)));
    }
    out
}

/// The rubric's checks with failure counts and examples, counted a card at a time in scorecard
/// order; then the Pareto order.
pub(super) struct CheckTally {
    rows: Vec<CheckRow>,
    index: BTreeMap<String, usize>,
}

impl CheckTally {
    pub(super) fn new(rubric: &RubricInfo, titles: &Titles) -> CheckTally {
        let rows = rubric
            .checks
            .iter()
            .map(|c| CheckRow {
                id: c.id.clone(),
                title: titles.get(c.id.as_str()).cloned().unwrap_or_default(),
                max_points: c.max_points,
                rule: c.rule.clone(),
                source: c.source.clone(),
                failures: 0,
                points_lost: 0.0,
                cumulative_share: 0.0,
                examples: Vec::new(),
            })
            .collect();
        let index = rubric
            .checks
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        CheckTally { rows, index }
    }

    pub(super) fn add(&mut self, s: &RecordScore) {
        for c in s.checks.iter().filter(|c| lost(c)) {
            let Some(row) = self
                .index
                .get(c.id.as_str())
                .and_then(|i| self.rows.get_mut(*i))
            else {
                continue;
            };
            row.failures += 1;
            row.points_lost += c.max_points - c.points;
            if row.examples.len() < EXAMPLES
                && let Some(e) = c.evidence.iter().find(|e| e.deduction > 0.0)
            {
                row.examples.push(DeductionExample {
                    project: s.name.clone(),
                    subject: e.subject.clone(),
                    text: e.text.clone(),
                    reason: e.reason.clone(),
                    file: s.record.file.clone(),
                    line: e.line,
                });
            }
        }
    }

    pub(super) fn finish(self) -> (Vec<CheckRow>, Vec<usize>) {
        let mut rows = self.rows;
        for r in &mut rows {
            r.points_lost = round2(r.points_lost);
        }
        let mut pareto: Vec<usize> = (0..rows.len()).filter(|i| rows[*i].failures > 0).collect();
        pareto.sort_by(|a, b| rows[*b].failures.cmp(&rows[*a].failures).then(a.cmp(b)));
        let all: usize = rows.iter().map(|r| r.failures).sum();
        let mut running = 0;
        for i in &pareto {
            running += rows[*i].failures;
            rows[*i].cumulative_share = if all > 0 {
                round2(100.0 * running as f64 / all as f64)
            } else {
                0.0
            };
        }
        (rows, pareto)
    }
}
