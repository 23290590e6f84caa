//! Aggregates a reviewer reads: per department and for the corpus, the plain mean and the
//! funds-weighted mean of the record scores (percent of points available), grade counts by number
//! and by funds. Computed here, once, so the CLI and the xlsx, pdf and html packets print the same numbers.
//!
//! Department-overall records are summarised apart from projects (`kind`), because their funds
//! include the projects' and would count twice.

use std::collections::BTreeMap;

use crate::{Grade, RecordKind, RecordScore, Scorecard};
use serde::Serialize;

/// One group's aggregate.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Number of records in the group.
    pub records: usize,
    /// Sum of `funds_total` (万元) over records that state it.
    pub funds: f64,
    /// Plain mean of the scores (percent of points available).
    pub mean: f64,
    /// Funds-weighted mean; equals `mean` when no record states funds.
    pub weighted_mean: f64,
    /// Lowest score (percent of points available); 0 when the group is empty.
    pub min: f64,
    /// Records per grade, in 优 良 中 差 order.
    pub grades: BTreeMap<Grade, usize>,
    /// Funds per grade (万元).
    pub grade_funds: BTreeMap<Grade, f64>,
}

/// Round to 2 decimals so totals print and compare the same on every run.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// A score's four numbers, as a summary reads them: of a [`RecordScore`], or kept apart when a run
/// does not keep the whole card.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoreTotals {
    /// Points earned.
    pub total: f64,
    /// Points available.
    pub max_points: f64,
    /// The record's funds (万元), when stated.
    pub funds_total: Option<f64>,
    /// The grade given.
    pub grade: Grade,
}

/// Anything with a score's four numbers.
pub trait Scored {
    /// Its numbers.
    fn totals(&self) -> ScoreTotals;
}

impl Scored for ScoreTotals {
    fn totals(&self) -> ScoreTotals {
        *self
    }
}

impl Scored for RecordScore {
    fn totals(&self) -> ScoreTotals {
        ScoreTotals {
            total: self.total,
            max_points: self.max_points,
            funds_total: self.funds_total,
            grade: self.grade,
        }
    }
}

impl<T: Scored + ?Sized> Scored for &T {
    fn totals(&self) -> ScoreTotals {
        (**self).totals()
    }
}

/// A record's score as a percentage of the points available to it.
pub fn percent(s: &(impl Scored + ?Sized)) -> f64 {
    let s = s.totals();
    if s.max_points > 0.0 {
        round2(100.0 * s.total / s.max_points)
    } else {
        0.0
    }
}

/// Summarises any set of record scores.
pub fn summarize<S: Scored>(scores: impl IntoIterator<Item = S>) -> Summary {
    let mut s = Summary {
        min: f64::INFINITY,
        ..Summary::default()
    };
    let (mut sum, mut wsum, mut wfunds) = (0.0, 0.0, 0.0);
    for r in scores {
        let r = r.totals();
        let p = percent(&r);
        s.records += 1;
        sum += p;
        s.min = s.min.min(p);
        *s.grades.entry(r.grade).or_default() += 1;
        if let Some(f) = r.funds_total.filter(|f| *f > 0.0) {
            s.funds += f;
            wsum += p * f;
            wfunds += f;
            *s.grade_funds.entry(r.grade).or_default() += f;
        }
    }
    if s.records == 0 {
        s.min = 0.0;
        return s;
    }
    s.mean = round2(sum / s.records as f64);
    s.weighted_mean = if wfunds > 0.0 {
        round2(wsum / wfunds)
    } else {
        s.mean
    };
    s.funds = round2(s.funds);
    s
}

/// Project records per department (sorted by department name), and all projects.
pub fn by_department(card: &Scorecard) -> (BTreeMap<String, Summary>, Summary) {
    let projects: Vec<&RecordScore> = card
        .records
        .iter()
        .filter(|r| r.kind == RecordKind::Project)
        .collect();
    let mut groups: BTreeMap<String, Vec<&RecordScore>> = BTreeMap::new();
    for r in &projects {
        groups.entry(r.department.clone()).or_default().push(r);
    }
    let per = groups.into_iter().map(|(d, v)| (d, summarize(v))).collect();
    (per, summarize(projects))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RecordRef;

    fn rs(total: f64, funds: Option<f64>, grade: Grade) -> RecordScore {
        RecordScore {
            record: RecordRef {
                document: 0,
                record: 0,
                file: "f".into(),
                lines: [1, 1],
            },
            kind: RecordKind::Project,
            name: "p".into(),
            department: "d".into(),
            funds_total: funds,
            total,
            max_points: 100.0,
            grade,
            checks: vec![],
        }
    }

    #[test]
    fn plain_and_weighted_means() {
        let v = [
            rs(90.0, Some(30.0), Grade::Excellent),
            rs(60.0, Some(10.0), Grade::Fair),
            rs(30.0, None, Grade::Poor),
        ];
        let s = summarize(&v);
        assert_eq!(s.records, 3);
        assert_eq!(s.mean, 60.0);
        assert_eq!(s.weighted_mean, 82.5); // (90·30 + 60·10) / 40
        assert_eq!(s.min, 30.0);
        assert_eq!(s.funds, 40.0);
        assert_eq!(s.grades[&Grade::Poor], 1);
        assert_eq!(summarize::<&RecordScore>([]).records, 0);
    }
}
