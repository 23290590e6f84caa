//! The reviewed golden view of a sample's records: one block per record with the fields a reviewer
//! checks against the source (name, unit, funds, goal, every indicator's category, name and value).
//! Kept plain and line-oriented so a diff shows exactly which field of which table changed.

use std::fmt::Write as _;

use jixiao_core::DocumentRecords;

fn amount(a: Option<f64>) -> String {
    a.map_or_else(|| "—".to_string(), |v| format!("{v}"))
}

pub(crate) fn render(doc: &DocumentRecords) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} ({}, {}): {} records",
        doc.file,
        doc.layout.as_str(),
        doc.encoding,
        doc.records.len()
    );
    if let Some(n) = &doc.facts.stated_project_count {
        let _ = writeln!(out, "stated project count: {} (line {})", n.value, n.line);
    }
    if let Some(t) = &doc.facts.project_expenditure_total {
        let _ = writeln!(
            out,
            "项目支出 in budget tables: {} (line {})",
            t.value, t.line
        );
    }
    for (i, r) in doc.records.iter().enumerate() {
        let kind = match r.kind {
            jixiao_core::RecordKind::Project => "project",
            jixiao_core::RecordKind::DepartmentOverall => "department_overall",
        };
        let _ = writeln!(
            out,
            "\n## [{}] {kind} L{}-{} year {:?}",
            i + 1,
            r.lines[0],
            r.lines[1],
            r.year
        );
        let field = |out: &mut String, label: &str, v: &Option<String>| {
            if let Some(v) = v {
                let _ = writeln!(out, "{label}: {}", v.replace('\n', " / "));
            }
        };
        field(&mut out, "名称", &r.name);
        field(&mut out, "编码", &r.code);
        field(&mut out, "单位", &r.unit);
        field(&mut out, "主管部门", &r.supervisor);
        for (k, v) in &r.attributes {
            let _ = writeln!(out, "{k}: {v}");
        }
        let items: Vec<String> = r
            .funds
            .items
            .iter()
            .map(|i| format!("{}={}", i.label, amount(i.amount)))
            .collect();
        let _ = writeln!(
            out,
            "资金: 合计={} 财政={} 其他={} | {}",
            amount(r.funds.total),
            amount(r.funds.fiscal),
            amount(r.funds.other),
            items.join("; ")
        );
        if !r.spending_plan.is_empty() {
            let plan: Vec<String> = r
                .spending_plan
                .iter()
                .map(|p| format!("{}={}", p.label, amount(p.percent)))
                .collect();
            let _ = writeln!(out, "支出计划: {}", plan.join("; "));
        }
        field(&mut out, "资金用途", &r.funds_use);
        field(&mut out, "目标", &r.goal);
        for item in &r.goal_items {
            let _ = writeln!(out, "目标项: {item}");
        }
        for ind in &r.indicators {
            let canon = format!(
                "{}/{}",
                ind.level1.map_or("?", |l| l.as_str()),
                ind.level2.map_or("?", |l| l.as_str())
            );
            let raw = format!(
                "{}/{}",
                ind.level1_raw.as_deref().unwrap_or("-"),
                ind.level2_raw.as_deref().unwrap_or("-")
            );
            let _ = writeln!(
                out,
                "- L{} {canon} ({raw}) | {} | {}",
                ind.line, ind.name, ind.value
            );
            if ind.description.is_some() || ind.basis.is_some() {
                let _ = writeln!(
                    out,
                    "    描述: {} | 依据: {}",
                    ind.description.as_deref().unwrap_or("—"),
                    ind.basis.as_deref().unwrap_or("—")
                );
            }
        }
    }
    out
}

/// Each bundled sample, read and normalised in-process, against its reviewed golden file
/// `tests/golden/<sample>.txt`. To see a change, run with `JIXIAO_BLESS=1`, then review the diff of the
/// golden file against the source text before committing it: a golden file regenerated without review
/// is a defect.
fn check(sample: &str) {
    let path = crate::root().join("samples").join(sample);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc = jixiao_ingest::read_bytes(sample, &bytes, None, None, &Default::default());
    let ctx = jixiao_normalize::NormalizeContext::new(&Default::default(), Some(2024))
        .expect("dictionary");
    let records = jixiao_normalize::normalize_document(doc, &ctx);
    let actual = render(&records);
    let golden = crate::root()
        .join("tests/golden")
        .join(sample.replace('/', "__").replace(".txt", ".golden"));
    if std::env::var_os("JIXIAO_BLESS").is_some() {
        std::fs::write(&golden, &actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&golden).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with JIXIAO_BLESS=1 and review)",
            golden.display()
        )
    });
    if expected != actual {
        let diff: Vec<String> = expected
            .lines()
            .zip(actual.lines())
            .enumerate()
            .filter(|(_, (e, a))| e != a)
            .take(10)
            .map(|(i, (e, a))| format!("line {}:\n  golden: {e}\n  actual: {a}", i + 1))
            .collect();
        panic!(
            "{sample}: records differ from {} ({} vs {} lines)\n{}",
            golden.display(),
            expected.lines().count(),
            actual.lines().count(),
            diff.join("\n")
        );
    }
}

#[test]
fn golden_000_panzhihua() {
    check("000-panzhihua-xiqu-2024-project-targets.txt");
}

#[test]
fn golden_001_yanbian() {
    check("001-yanbian-2021-project-targets.txt");
}

#[test]
fn golden_002_renhe() {
    check("002-renhe-renda-2024-targets.txt");
}

#[test]
fn golden_003_yongning() {
    check("003-yongning-tuanjiexilu-2024-project-targets.txt");
}

#[test]
fn golden_004_fengfeng() {
    check("004-fengfeng-jiguanshiwu-2024-budget-disclosure.txt");
}

#[test]
fn golden_extra_guangyuan() {
    check("extra/guangyuan-zhaohua-2021-leprosy-project.txt");
}

#[test]
fn golden_extra_yueyang() {
    check("extra/yueyang-county-2022-farmland-project.txt");
}
