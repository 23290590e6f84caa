//! Development aid: scores a `DocumentRecords` JSON file (as `jixiao inspect --format json` or the
//! normaliser's `dump --json` prints it) with the default rubric and prints a compact view:
//! `cargo run -p jixiao-score --example score_json -- records.json [YEAR] [--record NAME]`.

use std::path::Path;

use jixiao_core::{DocumentRecords, Ledger};
use jixiao_score::{ScoreContext, percent, score, summarize};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args
        .first()
        .ok_or("usage: score_json FILE [YEAR] [--record NAME]")?;
    let year: i32 = args.get(1).and_then(|y| y.parse().ok()).unwrap_or(2024);
    let want = args
        .iter()
        .position(|a| a == "--record")
        .and_then(|k| args.get(k + 1));
    let doc: DocumentRecords = serde_json::from_str(&std::fs::read_to_string(path)?)?;
    let ledger = Ledger {
        documents: vec![doc],
    };
    let ctx = ScoreContext::new(
        &Default::default(),
        Path::new("."),
        year,
        &Default::default(),
    )
    .map_err(|e| format!("{e:?}"))?;
    let card = score(&ledger, &ctx);
    for r in &card.records {
        if want.is_some_and(|w| !r.name.contains(w.as_str())) {
            continue;
        }
        println!(
            "{:>6.2} {} {} [{}] L{}",
            percent(r),
            r.grade.as_str(),
            r.name,
            r.department,
            r.record.lines[0]
        );
        if want.is_some() {
            for c in &r.checks {
                println!("   {} {}/{}", c.id, c.points, c.max_points);
                for e in &c.evidence {
                    println!(
                        "      -{} {}「{}」L{:?} {}",
                        e.deduction, e.subject, e.text, e.line, e.reason
                    );
                }
            }
        }
    }
    let s = summarize(&card.records);
    println!(
        "records {} mean {} weighted {} min {} grades {:?}",
        s.records, s.mean, s.weighted_mean, s.min, s.grades
    );
    let mut codes = std::collections::BTreeMap::<&str, usize>::new();
    for f in &card.findings {
        *codes.entry(f.code.as_str()).or_default() += 1;
    }
    println!("findings {codes:?}");
    for f in card
        .findings
        .iter()
        .filter(|f| want.is_some_and(|w| f.message.contains(w.as_str())))
    {
        println!("  {} {}", f.code, f.message);
    }
    Ok(())
}
