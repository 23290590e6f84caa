//! Department-overall targets written as narrative (`五、部门整体绩效目标` in a budget disclosure):
//! the overall goal text and its numbered sub-targets become one `department_overall` record.

use jixiao_core::{Diagnostic, Record, RecordKind};

use crate::prepare::{PRow, PageHeader};
use crate::segment::section_heading;

/// Reads the section that starts at `rows[0]` (the heading) up to the next top-level heading.
/// Returns the record and how many rows it used.
pub fn read_section(rows: &[PRow], page_header: Option<&PageHeader>) -> (Option<Record>, usize) {
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
    record.diagnostics.push(Diagnostic::info(
        "normalize.narrative-department",
        "department-overall targets read from narrative text: no indicator table, sub-targets kept as goal items",
        Some(first.line),
    ));
    (Some(record), end)
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
