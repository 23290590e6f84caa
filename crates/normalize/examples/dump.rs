//! Development aid: prints a compact view of the records of one file (`cargo run -p jixiao-normalize
//! --example dump -- FILE [--json]`).
use jixiao_core::{Cell, Layout, Row, SourceDocument};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = &args[0];
    let text = std::fs::read_to_string(path).expect("utf-8 file");
    let layout = match args.get(1).map(String::as_str) {
        Some("cell") => Layout::CellPerLine,
        Some("para") => Layout::Paragraph,
        Some("space") => Layout::SpaceSeparated,
        _ => Layout::Tabbed,
    };
    let rows = if layout == Layout::Tabbed {
        tabbed(&text)
    } else {
        other(&text, layout)
    };
    let doc = SourceDocument {
        file: path.clone(),
        layout,
        encoding: "UTF-8".into(),
        rows,
        diagnostics: vec![],
    };
    report(doc, &args);
}

/// Crude stand-ins for ingest's readers, for trying the normaliser before ingest is built.
fn other(text: &str, layout: Layout) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    let mut cur: Vec<Cell> = Vec::new();
    let mut start = 0;
    fn flush(cur: &mut Vec<Cell>, rows: &mut Vec<Row>, start: u32) {
        if !cur.is_empty() {
            rows.push(Row {
                line: start,
                sheet: None,
                indent: 0,
                cells: std::mem::take(cur),
            });
        }
    }
    for (i, l) in text.lines().enumerate() {
        let n = i as u32 + 1;
        match layout {
            Layout::SpaceSeparated => {
                let cells: Vec<Cell> = l
                    .split_whitespace()
                    .enumerate()
                    .map(|(j, c)| Cell {
                        text: c.into(),
                        line: n,
                        column: j as u32 + 1,
                    })
                    .collect();
                if !cells.is_empty() {
                    rows.push(Row {
                        line: n,
                        sheet: None,
                        indent: 0,
                        cells,
                    });
                }
            }
            _ if l.trim().is_empty() => flush(&mut cur, &mut rows, start),
            Layout::CellPerLine if l.starts_with('\t') => {
                if cur.is_empty() {
                    start = n;
                }
                let col = cur.len() as u32 + 1;
                cur.push(Cell {
                    text: l.trim().into(),
                    line: n,
                    column: col,
                });
            }
            _ => {
                if cur.is_empty() {
                    start = n;
                    cur.push(Cell {
                        text: String::new(),
                        line: n,
                        column: 1,
                    });
                }
                if let Some(c) = cur.last_mut() {
                    c.text.push_str(l.trim());
                }
            }
        }
    }
    flush(&mut cur, &mut rows, start);
    rows
}

fn tabbed(text: &str) -> Vec<Row> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| Row {
            line: i as u32 + 1,
            sheet: None,
            indent: 0,
            cells: l
                .split('\t')
                .enumerate()
                .map(|(j, c)| Cell {
                    text: c.trim().to_string(),
                    line: i as u32 + 1,
                    column: j as u32 + 1,
                })
                .collect(),
        })
        .collect()
}

fn report(doc: SourceDocument, args: &[String]) {
    let ctx =
        jixiao_normalize::NormalizeContext::new(&Default::default(), Some(2024)).expect("dict");
    let out = jixiao_normalize::normalize_document(doc, &ctx);
    if args.iter().any(|a| a == "--json") {
        println!("{}", serde_json::to_string_pretty(&out).expect("json"));
        return;
    }
    for r in &out.records {
        println!(
            "== {:?} {:?} L{}-{} y{:?} name={:?} unit={:?} sup={:?} code={:?}",
            r.kind,
            r.attributes,
            r.lines[0],
            r.lines[1],
            r.year,
            r.name,
            r.unit,
            r.supervisor,
            r.code
        );
        println!(
            "   funds total={:?} fiscal={:?} other={:?} items={}",
            r.funds.total,
            r.funds.fiscal,
            r.funds.other,
            r.funds
                .items
                .iter()
                .map(|i| format!("{}={:?}", i.label, i.amount))
                .collect::<Vec<_>>()
                .join(" | ")
        );
        if !r.spending_plan.is_empty() {
            println!(
                "   plan {:?}",
                r.spending_plan
                    .iter()
                    .map(|p| format!("{}={:?}", p.label, p.percent))
                    .collect::<Vec<_>>()
            );
        }
        println!(
            "   goal={:?} use={:?}",
            r.goal
                .as_deref()
                .map(|g| g.chars().take(30).collect::<String>()),
            r.funds_use
        );
        for i in &r.indicators {
            println!(
                "   L{} [{}|{}] ({:?}/{:?}) {} => {} {}",
                i.line,
                i.level1.map_or("-", |l| l.as_str()),
                i.level2.map_or("-", |l| l.as_str()),
                i.level1_raw,
                i.level2_raw,
                i.name,
                i.value,
                i.description
                    .as_deref()
                    .map(|d| format!("desc={d} basis={:?}", i.basis))
                    .unwrap_or_default()
            );
        }
        for d in &r.diagnostics {
            println!(
                "   ! {:?} {} {} L{:?}",
                d.severity, d.code, d.message, d.line
            );
        }
    }
    for d in &out.diagnostics {
        println!(
            "DOC ! {:?} {} {} L{:?}",
            d.severity, d.code, d.message, d.line
        );
    }
    println!("facts {:?}", out.facts);
    println!("records: {}", out.records.len());
}
