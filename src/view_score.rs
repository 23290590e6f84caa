//! The `inspect --score --format table` view: one score card per record, every deduction with the
//! cell it quotes and its source line, so a reviewer can defend it to the department.

use std::fmt::Write;

use jixiao_core::{CheckStatus, Scorecard};

/// Every record's score card as text.
pub(crate) fn scorecard(card: &Scorecard) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "rubric: {} {}", card.rubric.name, card.rubric.version);
    for rs in &card.records {
        let _ = writeln!(
            out,
            "\n== {}:{}-{} {}  ({})",
            rs.record.file, rs.record.lines[0], rs.record.lines[1], rs.name, rs.department
        );
        let _ = writeln!(
            out,
            "   total {:.2} / {:.0}  grade {}: {}",
            rs.total,
            rs.max_points,
            rs.grade.as_str(),
            jixiao_score::consequence(rs.grade)
        );
        for check in &rs.checks {
            let title = card
                .rubric
                .checks
                .iter()
                .find(|c| c.id == check.id)
                .map_or("", |c| c.title.as_str());
            match check.status {
                CheckStatus::Scored => {
                    let _ = writeln!(
                        out,
                        "   {} {title}: {:.2} / {:.0}",
                        check.id, check.points, check.max_points
                    );
                }
                CheckStatus::NotScored => {
                    let _ = writeln!(out, "   {} {title}: not scored", check.id);
                }
                CheckStatus::NotApplicable => {
                    let reason = check.evidence.first().map_or("", |e| e.reason.as_str());
                    let _ = writeln!(out, "   {} {title}: not applicable — {reason}", check.id);
                }
            }
            for e in check.evidence.iter().filter(|e| e.deduction > 0.0) {
                let line = e.line.map_or_else(String::new, |l| format!(" (line {l})"));
                let _ = writeln!(
                    out,
                    "      −{:.2} {}: 「{}」{line} — {}",
                    e.deduction, e.subject, e.text, e.reason
                );
            }
        }
    }
    let findings = card.findings.len();
    if findings > 0 {
        let _ = writeln!(out, "\n-- findings ({findings})");
        for f in &card.findings {
            let line = f.line.map_or_else(String::new, |l| format!(":{l}"));
            let file = f.records.first().map_or("", |r| r.file.as_str());
            let _ = writeln!(out, "   {} {file}{line} {}", f.code, f.message);
        }
    }
    out
}
