//! Document-level facts a reviewer reconciles the records against: the number of projects the
//! document says it holds, the 项目支出 total of its budget tables, and its budget year.

use std::collections::BTreeMap;

use jixiao_core::{DocumentFacts, Sourced};

use crate::rows::PRow;
use crate::segment::first_year;
use crate::text::fold_label;
use crate::value::parse_money;

/// Reads the facts from the rows that are not part of any target table.
pub(crate) fn collect(rows: &[PRow]) -> DocumentFacts {
    let mut facts = DocumentFacts::default();
    for (i, row) in rows.iter().enumerate() {
        if facts.year.is_none()
            && i < 40
            && let Some(cell) = row.single()
        {
            let t = &cell.text;
            if t.contains("预算") || t.contains("绩效") || t.contains("年度") {
                facts.year = first_year(t).or_else(|| crate::segment::year_row(t));
            }
        }
        if facts.stated_project_count.is_none()
            && let Some(n) = stated_count(row)
        {
            facts.stated_project_count = Some(Sourced {
                value: n,
                line: row.line,
            });
        }
        if facts.project_expenditure_total.is_none()
            && let Some(total) = expenditure_total(rows, i)
        {
            facts.project_expenditure_total = Some(total);
        }
    }
    facts
}

/// `对区本级74家预算单位（含二级预算单位）309个项目编制了绩效目标` → 309.
fn stated_count(row: &PRow) -> Option<u32> {
    let cell = row.single()?;
    let text = &cell.text;
    if !text.contains("绩效目标") {
        return None;
    }
    let idx = text.find("个项目")?;
    let digits: String = text[..idx]
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits.parse().ok()
}

/// A budget table whose column titles hold `项目支出` next to `基本支出`: the amount under 项目支出 in
/// its `合计` row.
fn expenditure_total(rows: &[PRow], header: usize) -> Option<Sourced<f64>> {
    let row = rows.get(header)?;
    let folded: Vec<(u32, String)> = row
        .cells
        .iter()
        .map(|c| (c.col, fold_label(&c.text)))
        .collect();
    if !folded.iter().any(|(_, t)| t == "基本支出") {
        return None;
    }
    let col = folded.iter().find(|(_, t)| t == "项目支出")?.0;
    rows.iter().skip(header + 1).take(6).find_map(|r| {
        let is_total = r.cells.iter().any(|c| fold_label(&c.text) == "合计");
        let cell = r.cells.iter().find(|c| c.col == col)?;
        let amount = parse_money(&cell.text)?;
        is_total.then_some(Sourced {
            value: amount,
            line: r.line,
        })
    })
}

/// Unit codes from a table of contents whose entries read `101001攀枝花市西区人民代表大会常务委员会办公室…… 1`
/// (code, unit name, leader dots, page): unit name → code. An entry a narrow page wrapped
/// (`101001攀枝花市…办公` / `室.....1`) is read across its two lines.
pub(crate) fn unit_codes(rows: &[PRow]) -> BTreeMap<String, String> {
    let mut codes = BTreeMap::new();
    for (i, row) in rows.iter().enumerate() {
        let Some(text) = first_text(row) else {
            continue;
        };
        let code: String = text.chars().take_while(|c| c.is_ascii_digit()).collect();
        if code.len() < 3 || code.len() > 12 {
            continue;
        }
        let rest = &text[code.len()..];
        let name = match leader(rest) {
            Some(dots) => rest[..dots].trim().to_string(),
            None => {
                // The rest of the entry on the next line: no code of its own, then the dots.
                let Some(next) = rows.get(i + 1).and_then(first_text) else {
                    continue;
                };
                let Some(dots) =
                    leader(next).filter(|_| !next.starts_with(|c: char| c.is_ascii_digit()))
                else {
                    continue;
                };
                format!("{}{}", rest.trim(), next[..dots].trim())
            }
        };
        if !name.is_empty() && !name.chars().any(|c| c.is_ascii_digit()) {
            codes.insert(name, code);
        }
    }
    codes
}

/// The trimmed text of a row's first filled cell.
fn first_text(row: &PRow) -> Option<&str> {
    row.filled().next().map(|c| c.text.trim())
}

/// Where the leader dots of a table-of-contents entry start.
fn leader(text: &str) -> Option<usize> {
    text.find("..").or_else(|| text.find('…'))
}
