//! Scores of real records worked out by hand. The fixture is the normaliser's output for one table of
//! samples/000 (lines 6015–6035), frozen so this test pins the scoring rules, not the normaliser.

use std::path::Path;

use jixiao_core::{DocumentRecords, Grade, Ledger};
use jixiao_score::{ScoreContext, score};

#[test]
fn landfill_operation_fee_000_scores_49_17() {
    let doc: DocumentRecords =
        serde_json::from_str(include_str!("fixtures/000-landfill.json")).expect("fixture");
    let ctx = ScoreContext::new(
        &Default::default(),
        Path::new("."),
        2024,
        &Default::default(),
    )
    .expect("default rubric");
    let card = score(
        &Ledger {
            documents: vec![doc],
        },
        &ctx,
    );
    let r = &card.records[0];
    let pts = |id: &str| r.checks.iter().find(|c| c.id == id).map(|c| c.points);
    // A1 4: name, unit, 10 万元 = 10 + 0.
    // A2 0: the table has no goal text (总体绩效目标 only heads the indicator block).
    // A3 6, A4 8, A5 4, A6 4: every category present, no blank cell.
    // B1 15 × (2/9)/0.8 = 4.17: only 日处理37.5m³… and 109.5万元 carry numbers.
    // B2 10 − 3 × 3 = 1: 确保生活 (确保), …实现可持续发展… (持续), 满意 (满意).
    // B3 5. C1 6: 109.5万元 is money. C2 0: 109.5 / 10 = 10.95, over the funds. C3 4: 13687.5m³.
    // D1 1: 确保生活 is words only. D2 1: 满意 in words. D3 0: no number. D4 1: 安全处理…达标排放 is
    // qualitative (no 符合…标准 / 验收合格).
    let want = [
        ("A1", 4.0),
        ("A2", 0.0),
        ("A3", 6.0),
        ("A4", 8.0),
        ("A5", 4.0),
        ("A6", 4.0),
        ("B1", 4.17),
        ("B2", 1.0),
        ("B3", 5.0),
        ("C1", 6.0),
        ("C2", 0.0),
        ("C3", 4.0),
        ("D1", 1.0),
        ("D2", 1.0),
        ("D3", 0.0),
        ("D4", 1.0),
    ];
    for (id, p) in want {
        assert_eq!(pts(id), Some(p), "{id}");
    }
    assert_eq!(
        (r.total, r.max_points, r.grade),
        (49.17, 100.0, Grade::Poor)
    );
    let over: Vec<_> = card
        .findings
        .iter()
        .filter(|f| f.code == "cost-over-funds")
        .collect();
    assert_eq!(over.len(), 1);
    assert!(over[0].message.contains("109.5万元") && over[0].message.contains("10万元"));
    assert!(
        card.findings
            .iter()
            .any(|f| f.code == "copied-across-benefit-categories")
    );
}
