//! The `inspect --format table` view: one block per record, for a reviewer checking extraction against
//! the source. Plain text (no box drawing: CJK widths differ between terminals), every line traceable
//! to its source line.

use std::fmt::Write;

pub(crate) use crate::view_score::scorecard;

use jixiao_core::{Diagnostic, DocumentRecords, Funds, Ledger, Record, RecordKind};

/// The whole ledger as text.
pub(crate) fn ledger(ledger: &Ledger) -> String {
    let mut out = String::new();
    for doc in &ledger.documents {
        document(&mut out, doc);
    }
    out
}

fn document(out: &mut String, doc: &DocumentRecords) {
    let _ = writeln!(
        out,
        "== {} ({}, {}): {} record{}",
        doc.file,
        doc.layout.as_str(),
        doc.encoding,
        doc.records.len(),
        if doc.records.len() == 1 { "" } else { "s" }
    );
    if let Some(stated) = &doc.facts.stated_project_count {
        let _ = writeln!(
            out,
            "   the document states {} projects (line {})",
            stated.value, stated.line
        );
    }
    for (i, rec) in doc.records.iter().enumerate() {
        record(out, i + 1, rec);
    }
    if !doc.diagnostics.is_empty() {
        let _ = writeln!(out, "-- document diagnostics");
        diagnostics(out, &doc.diagnostics, "   ");
    }
    out.push('\n');
}

fn record(out: &mut String, n: usize, rec: &Record) {
    let kind = match rec.kind {
        RecordKind::Project => "project",
        RecordKind::DepartmentOverall => "department-overall",
    };
    let _ = writeln!(
        out,
        "\n[{n}] {kind}, lines {}-{}",
        rec.lines[0], rec.lines[1]
    );
    field(out, "name", rec.name.as_deref());
    if rec.code.is_some() {
        field(out, "code", rec.code.as_deref());
    }
    field(out, "unit", rec.unit.as_deref());
    if rec.supervisor.is_some() {
        field(out, "supervisor", rec.supervisor.as_deref());
    }
    if let Some(y) = rec.year {
        let _ = writeln!(out, "    year: {y}");
    }
    let _ = writeln!(out, "    funds: {}", funds(&rec.funds));
    field(out, "goal", rec.goal.as_deref());
    for item in &rec.goal_items {
        let _ = writeln!(out, "      - {item}");
    }
    let _ = writeln!(out, "    indicators: {}", rec.indicators.len());
    for ind in &rec.indicators {
        let l1 = ind
            .level1
            .map(|l| l.as_str().to_string())
            .or_else(|| ind.level1_raw.clone().map(|r| format!("?{r}")))
            .unwrap_or_else(|| "?".into());
        let l2 = ind
            .level2
            .map(|l| l.as_str().to_string())
            .or_else(|| ind.level2_raw.clone().map(|r| format!("?{r}")))
            .unwrap_or_else(|| "?".into());
        let _ = writeln!(
            out,
            "      {l1} / {l2} / {} = {}  (line {})",
            ind.name, ind.value, ind.line
        );
    }
    if !rec.diagnostics.is_empty() {
        let _ = writeln!(out, "    diagnostics:");
        diagnostics(out, &rec.diagnostics, "      ");
    }
}

fn field(out: &mut String, label: &str, value: Option<&str>) {
    let _ = writeln!(out, "    {label}: {}", value.unwrap_or("—"));
}

/// `total 120 万元 (fiscal 100, other 20)`; blanks stay blank (—), never 0.
fn funds(f: &Funds) -> String {
    let amount = |v: Option<f64>| v.map_or_else(|| "—".to_string(), |v| format!("{v}"));
    format!(
        "total {} 万元 (fiscal {}, other {}; {} row{})",
        amount(f.total),
        amount(f.fiscal),
        amount(f.other),
        f.items.len(),
        if f.items.len() == 1 { "" } else { "s" }
    )
}

fn diagnostics(out: &mut String, diags: &[Diagnostic], indent: &str) {
    for d in diags {
        let sev = match d.severity {
            jixiao_core::Severity::Info => "info",
            jixiao_core::Severity::Warning => "warning",
            jixiao_core::Severity::Error => "error",
        };
        let at = d.line.map_or_else(String::new, |l| format!(" line {l}"));
        let _ = writeln!(out, "{indent}{sev} {}{at}: {}", d.code, d.message);
    }
}

/// The `inspect --format cells` view: every row the reader produced, `line: cell | cell`, with each
/// cell's column (and span when it has one), before any table understanding.
pub(crate) fn cells(docs: &[jixiao_core::SourceDocument]) -> String {
    let mut out = String::new();
    for doc in docs {
        let _ = writeln!(
            out,
            "== {} ({}, {}): {} rows",
            doc.file,
            doc.layout.as_str(),
            doc.encoding,
            doc.rows.len()
        );
        for row in &doc.rows {
            let cells: Vec<String> = row
                .cells
                .iter()
                .map(|c| {
                    let span = match (c.row_span, c.col_span) {
                        (1, 1) => String::new(),
                        (r, k) => format!("[{r}×{k}]"),
                    };
                    format!("{}{span}:{}", c.column, c.text)
                })
                .collect();
            let page = row.page.map(|p| format!(" p{p}")).unwrap_or_default();
            let _ = writeln!(out, "{:>5}{page}: {}", row.line, cells.join(" | "));
        }
        diagnostics(&mut out, &doc.diagnostics, "   ");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_core::{Indicator, Layout, Level1, Level2, ParsedValue};

    #[test]
    fn record_block_shows_fields_indicators_and_diagnostics() {
        let mut rec = Record::new(RecordKind::Project, 10);
        rec.lines = [10, 20];
        rec.name = Some("道路维修".into());
        rec.funds.total = Some(12.5);
        rec.indicators.push(Indicator {
            level1: Some(Level1::Output),
            level2: Some(Level2::Quantity),
            level1_raw: None,
            level2_raw: None,
            name: "维修道路".into(),
            value: "≥3公里".into(),
            description: None,
            basis: None,
            line: 15,
            parsed: ParsedValue::default(),
        });
        rec.diagnostics
            .push(Diagnostic::warning("normalize.x", "look here", Some(16)));
        let doc = DocumentRecords {
            file: "a.txt".into(),
            layout: Layout::Tabbed,
            encoding: "UTF-8".into(),
            facts: Default::default(),
            records: vec![rec],
            diagnostics: vec![],
        };
        let text = ledger(&Ledger {
            documents: vec![doc],
        });
        assert!(
            text.contains("== a.txt (tabbed, UTF-8): 1 record\n"),
            "{text}"
        );
        assert!(text.contains("[1] project, lines 10-20"), "{text}");
        assert!(text.contains("    name: 道路维修"), "{text}");
        assert!(text.contains("    unit: —"), "{text}");
        assert!(
            text.contains("total 12.5 万元 (fiscal —, other —; 0 rows)"),
            "{text}"
        );
        assert!(
            text.contains("产出指标 / 数量指标 / 维修道路 = ≥3公里  (line 15)"),
            "{text}"
        );
        assert!(
            text.contains("warning normalize.x line 16: look here"),
            "{text}"
        );
    }
}
