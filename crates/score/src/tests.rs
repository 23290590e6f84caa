//! Stage-level tests: a hand-made ledger through `score`.

use std::path::Path;

use jixiao_config::ScoringConfig;
use jixiao_core::{
    Comparator, DocumentFacts, DocumentRecords, Grade, Layout, Ledger, Level2, ParsedValue, Record,
    RecordKind, TimeKind, TimeSpec,
};

use crate::checks::testkit::{ind, num, record, words};
use crate::{ScoreContext, score};

/// A record that meets every rule of the default rubric.
fn exemplary() -> Record {
    let money = ParsedValue {
        money_wan: Some(10.0),
        comparator: Some(Comparator::Le),
        ..num(&[10.0], Some("万元"))
    };
    let deadline = ParsedValue {
        time: Some(TimeSpec {
            kind: TimeKind::Deadline,
            years: vec![2024],
        }),
        ..num(&[2024.0, 12.0], None)
    };
    record(vec![
        ind(
            Level2::Quantity,
            "保洁面积",
            "120万平方米",
            num(&[120.0], Some("平方米")),
        ),
        ind(
            Level2::Quality,
            "验收合格率",
            "100%",
            num(&[100.0], Some("%")),
        ),
        ind(Level2::Timeliness, "完成时间", "2024年12月底前", deadline),
        ind(Level2::Cost, "保洁成本", "≤10万元", money),
        ind(
            Level2::Social,
            "道路整洁率",
            "≥95%",
            num(&[95.0], Some("%")),
        ),
        ind(
            Level2::Satisfaction,
            "群众满意度",
            "≥90%",
            ParsedValue {
                comparator: Some(Comparator::Ge),
                ..num(&[90.0], Some("%"))
            },
        ),
    ])
}

fn ledger(records: Vec<Record>) -> Ledger {
    Ledger {
        documents: vec![DocumentRecords {
            file: "t.txt".into(),
            layout: Layout::Tabbed,
            encoding: "utf-8".into(),
            facts: DocumentFacts::default(),
            records,
            diagnostics: vec![],
        }],
    }
}

fn ctx(toml_text: &str) -> ScoreContext {
    let cfg: ScoringConfig = toml::from_str(toml_text).unwrap();
    ScoreContext::new(&cfg, Path::new("."), 2024, &Default::default())
        .unwrap_or_else(|e| panic!("{e:?}"))
}

#[test]
fn exemplary_record_scores_100_and_excellent() {
    let card = score(&ledger(vec![exemplary()]), &ctx(""));
    let s = &card.records[0];
    assert_eq!(
        (s.total, s.max_points, s.grade),
        (100.0, 100.0, Grade::Excellent)
    );
    assert_eq!(s.checks.len(), 16);
    assert_eq!(card.rubric.checks.len(), 16);
    assert!(card.findings.is_empty(), "{:?}", card.findings);
    assert_eq!(s.department, "市容环境卫生服务中心");
}

#[test]
fn weak_record_is_graded_down_with_evidence() {
    let mut r = exemplary();
    // Satisfaction in words only: D2 6→1, D3 3→0, B2 −3 (满意), B1 still ≥ 80 % quantified (5/6).
    if let Some(i) = r.indicators.last_mut() {
        i.value = "满意".into();
        i.parsed = words();
    }
    let card = score(&ledger(vec![r]), &ctx(""));
    let s = &card.records[0];
    assert_eq!(s.total, 100.0 - 5.0 - 3.0 - 3.0);
    assert_eq!(s.grade, Grade::Good, "89 < 90");
    let d2 = s.checks.iter().find(|c| c.id == "D2").unwrap();
    assert_eq!((d2.points, d2.evidence[0].deduction), (1.0, 5.0));
    assert_eq!(d2.evidence[0].text, "满意");
}

#[test]
fn disabled_check_leaves_the_maximum() {
    let card = score(
        &ledger(vec![exemplary()]),
        &ctx("[checks.B2]\nenabled = false\n"),
    );
    assert_eq!(card.records[0].max_points, 90.0);
    assert_eq!(card.records[0].total, 90.0);
}

#[test]
fn department_overall_records_skip_c2() {
    let mut r = exemplary();
    r.kind = RecordKind::DepartmentOverall;
    let card = score(&ledger(vec![r]), &ctx(""));
    let s = &card.records[0];
    assert!(!s.checks.iter().any(|c| c.id == "C2"));
    assert_eq!(s.max_points, 90.0);
}

#[test]
fn order_is_preserved_under_rayon() {
    let recs: Vec<Record> = (0..50)
        .map(|k| {
            let mut r = exemplary();
            r.name = Some(format!("项目{k}"));
            r
        })
        .collect();
    let card = score(&ledger(recs), &ctx(""));
    let names: Vec<&str> = card.records.iter().map(|r| r.name.as_str()).collect();
    let want: Vec<String> = (0..50).map(|k| format!("项目{k}")).collect();
    assert_eq!(names, want);
}
