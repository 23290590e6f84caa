//! Development aid: prints a compact view of the records of one file (`cargo run -p jixiao-normalize
//! --example dump -- FILE [--json]`).
use jixiao_core::{Cell, Layout, Row, SourceDocument};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = &args[0];
    let text = std::fs::read_to_string(path).expect("utf-8 file");
    let rows = text
        .lines()
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
        .collect();
    let doc = SourceDocument {
        file: path.clone(),
        layout: Layout::Tabbed,
        encoding: "UTF-8".into(),
        rows,
        diagnostics: vec![],
    };
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
