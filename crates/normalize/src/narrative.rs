//! Department-overall targets written as narrative (`五、部门整体绩效目标` in a budget disclosure):
//! the overall goal text and its numbered sub-targets become one `department_overall` record.

use jixiao_core::{Diagnostic, Indicator, Level1, Level2, Record, RecordKind};

use crate::value::{clauses, parse_value, split_target};

use crate::prepare::PageHeader;
use crate::rows::PRow;
use crate::segment::section_heading;

/// Reads the section that starts at `rows[0]` (the heading) up to the next top-level heading.
/// Returns the record and how many rows it used.
pub(crate) fn read_section(
    rows: &[PRow],
    page_header: Option<&PageHeader>,
) -> (Option<Record>, usize) {
    let Some(first) = rows.first() else {
        return (None, 0);
    };
    let end = rows
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, r)| section_heading(r).is_some())
        .map_or(rows.len(), |(i, _)| i);
    let body = &rows[1..end];
    let mut record = Record::new(RecordKind::DepartmentOverall, first.line);
    record.lines[1] = body.last().map_or(first.line, |r| r.line);
    if let Some(header) = page_header {
        record.name = Some(header.name.clone());
        record.unit = Some(header.name.clone());
        if let Some(code) = &header.code {
            record.attributes.insert("单位编码".into(), code.clone());
        }
    }
    // Paragraphs under a sub-heading `（一）…` / `1、…`; the first plain paragraph is the overall goal.
    let mut items: Vec<String> = Vec::new();
    for row in body {
        let text: String = row
            .filled()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        if text.is_empty() {
            continue;
        }
        if let Some(body) = indicator_paragraph(&text) {
            read_indicators(body, row.line, &mut record);
        }
        let is_subheading = is_bracket_heading(&text);
        let is_item = !is_subheading && is_numbered_item(&text);
        if is_subheading {
            continue;
        }
        if is_item {
            items.push(text);
        } else if record.goal.is_none() && items.is_empty() {
            record.goal = Some(text);
            record.field_lines.insert("goal".into(), row.line);
        } else if let Some(last) = items.last_mut() {
            last.push('；');
            last.push_str(&text);
        } else if let Some(goal) = record.goal.as_mut() {
            goal.push('\n');
            goal.push_str(&text);
        }
    }
    record.goal_items = items;
    if record.goal.is_none() && record.goal_items.is_empty() {
        return (None, end);
    }
    if !record.indicators.is_empty() {
        record.diagnostics.push(Diagnostic::info(
            "normalize.narrative-indicators",
            format!(
                "{} indicators read from `绩效指标：` paragraphs; their 一级/二级 inferred from each name and value (满意度 → 满意度指标, money → 成本指标, a deadline → 时效指标, a rate → 质量指标, a count → 数量指标)",
                record.indicators.len()
            ),
            Some(first.line),
        ));
    }
    record.diagnostics.push(Diagnostic::info(
        "normalize.narrative-department",
        "department-overall targets read from narrative text: no indicator table, sub-targets kept as goal items",
        Some(first.line),
    ));
    (Some(record), end)
}

/// The text after `绩效指标：` at the start of a paragraph.
fn indicator_paragraph(text: &str) -> Option<&str> {
    let rest = text.trim_start().strip_prefix("绩效指标")?;
    rest.strip_prefix(':').or_else(|| rest.strip_prefix('：'))
}

/// Every clause of a `绩效指标：` paragraph with a name and a target becomes an indicator.
fn read_indicators(body: &str, line: u32, record: &mut Record) {
    for clause in clauses(body).iter().flat_map(|c| enumerated_targets(c)) {
        let Some((name, value)) = split_target(&clause) else {
            continue;
        };
        let parsed = parse_value(value);
        let (level1, level2) = infer_category(name, &parsed);
        record.indicators.push(Indicator {
            level1: Some(level1),
            level2: Some(level2),
            level1_raw: None,
            level2_raw: None,
            name: name.to_string(),
            value: value.to_string(),
            description: None,
            basis: None,
            line,
            parsed,
        });
    }
}

/// `行政改革目标完成率 98%、事业改革目标完成率 98%` → two targets; `信息统计、汇总、上报率 98%` stays one:
/// a `、` ends a target only when the text before it has a name and a number.
fn enumerated_targets(clause: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for piece in clause.split('、') {
        if !current.is_empty() {
            current.push('、');
        }
        current.push_str(piece);
        let complete = split_target(&current)
            .is_some_and(|(_, value)| value.chars().any(|c| c.is_ascii_digit()));
        if complete {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The category a narrative indicator belongs to, read from its name and value.
fn infer_category(name: &str, value: &jixiao_core::ParsedValue) -> (Level1, Level2) {
    let has = |words: &[&str]| words.iter().any(|w| name.contains(w));
    if has(&["满意", "认可度", "好评"]) {
        (Level1::Satisfaction, Level2::Satisfaction)
    } else if value.money_wan.is_some() || has(&["成本", "费用", "经费", "补助标准"]) {
        (Level1::Output, Level2::Cost)
    } else if value.time.is_some() || has(&["及时", "时间", "期限", "按时", "进度", "时效"])
    {
        (Level1::Output, Level2::Timeliness)
    } else if value.unit.as_deref() == Some("%") || has(&["率", "合格", "达标", "质量", "差错"])
    {
        (Level1::Output, Level2::Quality)
    } else {
        (Level1::Output, Level2::Quantity)
    }
}

/// `（一）总体绩效目标`, `(二) 分项绩效目标`.
fn is_bracket_heading(text: &str) -> bool {
    let t = text.trim_start();
    (t.starts_with('(') || t.starts_with('（')) && t.chars().count() <= 20
}

/// `1、事务局`, `2、保障机关综合服务工作`.
fn is_numbered_item(text: &str) -> bool {
    let digits = text.chars().take_while(|c| c.is_ascii_digit()).count();
    digits > 0
        && digits <= 3
        && text.chars().nth(digits) == Some('、')
        && text.chars().count() <= 40
}
