//! Grades: a share of the points scored → 优/良/中/差 by the bands, then the caps, then the
//! consequence a reviewer prints.

use jixiao_core::{CheckResult, Evidence, Grade, GradeBands};

use crate::rubric::Cap;

/// The grade of a score given as a percentage of the points available.
pub(crate) fn grade_for(percent: f64, bands: &GradeBands) -> Grade {
    // A hair of tolerance: 89.999999 from float sums is 90 on paper.
    let p = percent + 1e-9;
    if p >= bands.excellent {
        Grade::Excellent
    } else if p >= bands.good {
        Grade::Good
    } else if p >= bands.fair {
        Grade::Fair
    } else {
        Grade::Poor
    }
}

/// What the grade means for the budget (审核结果的应用).
pub fn consequence(grade: Grade) -> &'static str {
    match grade {
        Grade::Excellent => "直接进入预算安排",
        Grade::Good => "协商完善后进入预算安排",
        Grade::Fair => "修改后重新申报",
        Grade::Poor => "不得进入预算安排",
    }
}

/// Applies the caps: a check below its threshold limits the grade. The cap is noted as evidence on
/// the check that triggered it (deduction 0: it costs a grade, not points).
pub(crate) fn apply_caps(mut grade: Grade, caps: &[Cap], checks: &mut [CheckResult]) -> Grade {
    for cap in caps {
        let Some(check) = checks.iter_mut().find(|c| c.id == cap.check) else {
            continue;
        };
        // `Grade` orders 优 < 良 < 中 < 差, so "at most 中" is `max`.
        if check.points < cap.below && grade < cap.max_grade {
            grade = cap.max_grade;
            check.evidence.push(Evidence {
                subject: check.id.clone(),
                text: format!("{}", check.points),
                line: None,
                reason: format!(
                    "{}得分低于{}分，等级最高为“{}”",
                    cap.check,
                    cap.below,
                    cap.max_grade.as_str()
                ),
                deduction: 0.0,
            });
        }
    }
    grade
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_core::CheckStatus;

    fn bands() -> GradeBands {
        GradeBands {
            excellent: 90.0,
            good: 80.0,
            fair: 60.0,
        }
    }

    #[test]
    fn bands_cut_where_the_rules_say() {
        assert_eq!(grade_for(90.0, &bands()), Grade::Excellent);
        assert_eq!(grade_for(89.99, &bands()), Grade::Good);
        assert_eq!(grade_for(80.0, &bands()), Grade::Good);
        assert_eq!(grade_for(79.9, &bands()), Grade::Fair);
        assert_eq!(grade_for(59.9, &bands()), Grade::Poor);
        assert_eq!(consequence(Grade::Fair), "修改后重新申报");
    }

    #[test]
    fn cap_limits_grade_and_leaves_evidence() {
        let mut checks = vec![CheckResult {
            id: "A3".into(),
            status: CheckStatus::Scored,
            points: 2.0,
            max_points: 6.0,
            evidence: vec![],
        }];
        let cap = Cap {
            check: "A3".into(),
            below: 6.0,
            max_grade: Grade::Fair,
        };
        assert_eq!(
            apply_caps(Grade::Excellent, std::slice::from_ref(&cap), &mut checks),
            Grade::Fair
        );
        assert_eq!(checks[0].evidence.len(), 1);
        // Already worse than the cap: unchanged.
        assert_eq!(apply_caps(Grade::Poor, &[cap], &mut checks), Grade::Poor);
    }
}
