//! The built-in checks A1–D4 of the default rubric (docs/scoring.md). Each check is a plain function
//! `(record, context) → Outcome` computed on the domain rubric's own scale; [`run`] rescales the
//! points and deductions when a configuration changes a check's maximum, so every rule is written
//! once, with the numbers a reviewer knows.
//!
//! Families: [`a`] 完整性 (A1–A6), [`b`] 相关性/量化 (B1–B3), [`c`] 适当性 (C1–C3),
//! [`d`] 可行性 (D1–D4).

pub(crate) mod a;
pub(crate) mod b;
pub(crate) mod c;
pub(crate) mod d;

use jixiao_core::{CheckResult, CheckStatus, Evidence, Record, RecordKind};

use crate::rubric::{ActiveCheck, Rubric};
use crate::text::round2;

/// What a check function returns: points on the check's default scale, and the evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub points: f64,
    pub evidence: Vec<Evidence>,
}

/// What a check may consult besides the record.
pub struct CheckCx<'a> {
    pub rubric: &'a Rubric,
    /// The record's budget year, else the run's.
    pub year: i32,
    /// What the record's document says about the form its tables were written on.
    pub form: FormFacts,
}

/// What a document's tables show about the form (表式) they were written on, so that a department is not
/// held to a field its form does not have.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FormFacts {
    /// At least [`FORM_EVIDENCE`] project tables and not one with goal text: the form has no 年度目标
    /// field (000's form). A single table without a goal proves nothing and is scored as it is.
    pub lacks_goal_field: bool,
}

/// How many project tables of a document must agree before their shared gap is the form's.
pub(crate) const FORM_EVIDENCE: usize = 3;

impl FormFacts {
    /// Reads the facts off a document's records.
    pub fn of(records: &[Record]) -> FormFacts {
        let projects: Vec<&Record> = records
            .iter()
            .filter(|r| r.kind == RecordKind::Project)
            .collect();
        FormFacts {
            lacks_goal_field: projects.len() >= FORM_EVIDENCE
                && projects
                    .iter()
                    .all(|r| r.goal.is_none() && r.goal_items.is_empty()),
        }
    }
}

/// Why a check cannot be held against this record, when it cannot.
fn not_applicable(id: &str, cx: &CheckCx) -> Option<&'static str> {
    match id {
        "A2" if cx.form.lacks_goal_field => Some(
            "本文件所用表式没有年度目标栏（同一文件各表均无年度目标）：本项不适用，按其余各项折算为百分制",
        ),
        _ => None,
    }
}

/// A built-in check's definition.
#[derive(Debug)]
pub struct CheckDef {
    pub id: &'static str,
    pub title: &'static str,
    /// Default maximum (the domain rubric's points).
    pub max_points: f64,
    pub rule: &'static str,
    /// Whether department-overall records get this check (see docs/scoring.md).
    pub for_department: bool,
    pub run: fn(&Record, &CheckCx) -> Outcome,
}

/// The sixteen checks in rubric order.
pub(crate) static BUILTIN: [CheckDef; 16] = [
    a::A1,
    a::A2,
    a::A3,
    a::A4,
    a::A5,
    a::A6,
    b::B1,
    b::B2,
    b::B3,
    c::C1,
    c::C2,
    c::C3,
    d::D1,
    d::D2,
    d::D3,
    d::D4,
];

/// Whether an active check applies to a record of this kind.
pub(crate) fn applies(check: &ActiveCheck, kind: RecordKind) -> bool {
    kind == RecordKind::Project || check.def.for_department
}

/// Runs one active check and scales its outcome to the configured maximum.
pub(crate) fn run(check: &ActiveCheck, rec: &Record, cx: &CheckCx) -> CheckResult {
    if let Some(reason) = not_applicable(check.def.id, cx) {
        return CheckResult {
            id: check.def.id.to_string(),
            status: CheckStatus::NotApplicable,
            points: 0.0,
            max_points: check.max_points,
            evidence: vec![Evidence {
                subject: check.def.title.to_string(),
                text: String::new(),
                line: None,
                reason: reason.to_string(),
                deduction: 0.0,
            }],
        };
    }
    let out = (check.def.run)(rec, cx);
    let scale = if check.def.max_points > 0.0 {
        check.max_points / check.def.max_points
    } else {
        0.0
    };
    let points = round2((out.points * scale).clamp(0.0, check.max_points));
    let evidence = out
        .evidence
        .into_iter()
        .map(|mut e| {
            e.deduction = round2(e.deduction * scale);
            e
        })
        .collect();
    CheckResult {
        id: check.def.id.to_string(),
        status: CheckStatus::Scored,
        points,
        max_points: check.max_points,
        evidence,
    }
}

/// 0 points when the record has no indicators at all, the reason quoted on its indicator block.
pub(crate) fn no_indicators(rec: &Record, max: f64, reason: &str) -> Option<Outcome> {
    rec.indicators.is_empty().then(|| Outcome {
        points: 0.0,
        evidence: vec![crate::text::ev_field(
            rec,
            "绩效指标",
            "indicators",
            "",
            reason,
            max,
        )],
    })
}

/// `max − Σ deductions`, floored at 0, with the last deduction trimmed so deductions add up to the
/// points lost (a reviewer adds them up).
pub(crate) fn deduct(max: f64, mut evidence: Vec<Evidence>) -> Outcome {
    let mut left = max;
    for e in &mut evidence {
        let d = e.deduction.min(left);
        e.deduction = d;
        left -= d;
    }
    Outcome {
        points: left.max(0.0),
        evidence,
    }
}

#[cfg(test)]
pub(crate) mod testkit {
    //! Hand-made records for the check tests.
    use jixiao_core::{Indicator, Level2, ParsedValue, Record, RecordKind};

    use super::{CheckCx, Outcome};
    use crate::rubric::Rubric;

    pub(crate) fn ind(l2: Level2, name: &str, value: &str, parsed: ParsedValue) -> Indicator {
        Indicator {
            level1: Some(l2.parent()),
            level2: Some(l2),
            level1_raw: Some(l2.parent().as_str().to_string()),
            level2_raw: Some(l2.as_str().to_string()),
            name: name.into(),
            value: value.into(),
            description: None,
            basis: None,
            line: 10,
            parsed,
        }
    }

    /// A value with numbers, a unit and a comparator.
    pub(crate) fn num(numbers: &[f64], unit: Option<&str>) -> ParsedValue {
        ParsedValue {
            numbers: numbers.to_vec(),
            unit: unit.map(str::to_string),
            ..ParsedValue::default()
        }
    }

    pub(crate) fn words() -> ParsedValue {
        ParsedValue {
            qualitative: true,
            ..ParsedValue::default()
        }
    }

    pub(crate) fn record(indicators: Vec<Indicator>) -> Record {
        let mut r = Record::new(RecordKind::Project, 1);
        r.year = Some(2024);
        r.name = Some("西区道路保洁项目".into());
        r.unit = Some("市容环境卫生服务中心".into());
        r.funds.total = Some(10.0);
        r.funds.fiscal = Some(10.0);
        r.funds.other = Some(0.0);
        r.goal = Some("完成辖区道路清扫保洁面积120万平方米，保持道路整洁".into());
        r.indicators = indicators;
        r
    }

    pub(crate) fn run_with(
        f: fn(&jixiao_core::Record, &CheckCx) -> Outcome,
        rec: &Record,
    ) -> Outcome {
        let rubric = Rubric::default();
        f(
            rec,
            &CheckCx {
                rubric: &rubric,
                year: 2024,
                form: super::FormFacts::default(),
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deductions_add_up_to_points_lost() {
        let ev = |d| Evidence {
            subject: "s".into(),
            text: String::new(),
            line: None,
            reason: String::new(),
            deduction: d,
        };
        let o = deduct(10.0, vec![ev(3.0), ev(3.0), ev(3.0), ev(3.0)]);
        assert_eq!(o.points, 0.0);
        let total: f64 = o.evidence.iter().map(|e| e.deduction).sum();
        assert_eq!(total, 10.0);
        assert_eq!(o.evidence[3].deduction, 1.0);
    }

    #[test]
    fn overridden_maximum_rescales_points_and_deductions() {
        let mut rubric = Rubric::default();
        let a6 = rubric.checks.iter_mut().find(|c| c.def.id == "A6").unwrap();
        a6.max_points = 8.0;
        let a6 = a6.clone();
        let mut rec = testkit::record(vec![]);
        rec.indicators.push(testkit::ind(
            jixiao_core::Level2::Quantity,
            "x",
            "",
            testkit::words(),
        ));
        let r = run(
            &a6,
            &rec,
            &CheckCx {
                rubric: &rubric,
                year: 2024,
                form: FormFacts::default(),
            },
        );
        // Default scale: 4 − 1 = 3 → doubled.
        assert_eq!((r.points, r.max_points), (6.0, 8.0));
        assert_eq!(r.evidence[0].deduction, 2.0);
    }
}
