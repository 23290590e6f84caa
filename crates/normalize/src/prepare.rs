//! Rows as the normaliser reads them: cleaned cell text, page furniture removed, labels that a layout
//! broke over several rows put back together.

use std::collections::BTreeMap;

use jixiao_core::{Diagnostic, Layout, SourceDocument};

use crate::dictionary::LabelDictionary;
use crate::rows::{PCell, PRow};
use crate::text::clean_cell;
use crate::text::fold_label;

/// Page furniture: the document's page header (`550 峰峰机关事务`), with the department it names.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct PageHeader {
    pub code: Option<String>,
    pub name: String,
}

/// The rows of a document ready for segmentation, and what preparing them found.
pub(crate) struct Prepared {
    pub rows: Vec<PRow>,
    pub page_header: Option<PageHeader>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Cleans cells, drops page furniture and repairs labels broken over rows.
pub(crate) fn prepare(doc: &SourceDocument, dict: &LabelDictionary) -> Prepared {
    let mut rows: Vec<PRow> = Vec::with_capacity(doc.rows.len());
    let mut last_line = 0u32;
    let mut last_page: Option<u32> = None;
    // A web table copied one cell per line ends each row with a line of pipes: that line is no gap.
    let slack = u32::from(doc.layout == Layout::Pipe && cells_on_own_lines(&doc.rows));
    for row in &doc.rows {
        let cells: Vec<PCell> = row
            .cells
            .iter()
            .map(|c| PCell {
                text: clean_cell(&c.text),
                col: c.column,
                line: c.line,
            })
            .collect();
        let gap_before = row.line > last_line + 1 + slack || !doc.layout.rows_are_reliable();
        last_line = row.cells.last().map_or(row.line, |c| c.line.max(row.line));
        let page_break_before = last_page.is_some() && row.page.is_some() && row.page != last_page;
        last_page = row.page.or(last_page);
        let row = PRow {
            line: row.line,
            gap_before,
            page_break_before,
            cells,
        };
        if row.filled_count() > 0 {
            rows.push(row);
        }
    }
    let mut diagnostics = Vec::new();
    drop_page_chrome(&mut rows, dict, &mut diagnostics);
    let page_header = if doc.layout.rows_are_reliable() {
        drop_furniture(&mut rows, dict, &mut diagnostics)
    } else {
        None
    };
    if doc.layout == Layout::SpaceSeparated {
        for row in &mut rows {
            join_split_labels(row, dict);
        }
    }
    if matches!(doc.layout, Layout::SpaceSeparated | Layout::Paragraph) {
        merge_broken_labels(&mut rows, dict);
    }
    diagnostics.extend(crate::anchors::split_fused_cells(&mut rows, dict));
    if doc.layout == Layout::Pipe {
        rows = crate::anchors::split_at_column_titles(rows, dict);
    }
    Prepared {
        rows,
        page_header,
        diagnostics,
    }
}

/// The frame of a web page a copy carried along (`- 扫一扫在手机打开当前页`, `【打印】`): a short line
/// holding one of the dictionary's `page_chrome` words is not content.
fn drop_page_chrome(
    rows: &mut Vec<PRow>,
    dict: &LabelDictionary,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let before = rows.len();
    rows.retain(|row| {
        !row.single().is_some_and(|c| {
            let f = fold_label(&c.text);
            f.chars().count() <= 30
                && dict
                    .titles
                    .page_chrome
                    .iter()
                    .any(|w| f.contains(w.as_str()))
        })
    });
    let dropped = before - rows.len();
    if dropped > 0 {
        diagnostics.push(Diagnostic::info(
            "normalize.page-furniture",
            format!("skipped {dropped} lines of a web page's frame (扫一扫, 打印本页, the site's 主办 or 版权所有 footer …)"),
            None,
        ));
    }
}

/// Whether most rows of several cells have each cell on a line of its own (a web table copied one
/// cell per line).
fn cells_on_own_lines(rows: &[jixiao_core::Row]) -> bool {
    let multi: Vec<&jixiao_core::Row> = rows.iter().filter(|r| r.cells.len() > 1).collect();
    let spread = multi
        .iter()
        .filter(|r| r.cells.windows(2).all(|w| w[1].line > w[0].line))
        .count();
    !multi.is_empty() && spread * 2 > multi.len()
}

/// Whether a cell is a page number (`- 12 -`, `第 3 页`, `3/45`).
fn is_page_number(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let inner = t.trim_matches(|c| c == '-' || c == '—' || c == '–');
    if !inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit()) && t != inner {
        return true;
    }
    if let Some(r) = t.strip_prefix('第')
        && let Some(n) = r.strip_suffix('页')
    {
        return n
            .chars()
            .all(|c| c.is_ascii_digit() || "共第页".contains(c));
    }
    false
}

/// A short single-cell line printed on every page (a running head) is not part of any table.
/// Titles and labels repeat too, and are kept.
fn drop_furniture(
    rows: &mut Vec<PRow>,
    dict: &LabelDictionary,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<PageHeader> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for row in rows.iter() {
        if let Some(cell) = row.single()
            && cell.col == 1
            && cell.text.chars().count() <= 30
        {
            *counts.entry(cell.text.as_str()).or_default() += 1;
        }
    }
    let furniture: Vec<String> = counts
        .into_iter()
        .filter(|(text, n)| {
            *n >= 3
                && !crate::segment::is_title(text, dict)
                && !is_unit_note(text)
                && dict.field(text).is_none()
                && dict.level1(text).is_none()
                && dict.level2(text).is_none()
                // A running head names something (`550 峰峰机关事务`); a repeated bare number is data.
                && text.chars().any(|c| c as u32 >= 0x4E00)
                && crate::segment::year_row(text).is_none()
        })
        .map(|(t, _)| t.to_string())
        .collect();
    // The running head that names the department: `550 峰峰机关事务`.
    let page_header = furniture.iter().find_map(|t| {
        let code: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
        let name = t[code.len()..].trim();
        (code.len() >= 2 && !name.is_empty() && name.chars().all(|c| !c.is_ascii_digit())).then(
            || PageHeader {
                code: Some(code),
                name: name.to_string(),
            },
        )
    });
    let before = rows.len();
    rows.retain(|row| match row.single() {
        Some(cell) if cell.col == 1 => {
            !(is_page_number(&cell.text) || furniture.contains(&cell.text))
        }
        _ => true,
    });
    let dropped = before - rows.len();
    if dropped > 0 {
        diagnostics.push(Diagnostic::info(
            "normalize.page-furniture",
            format!("skipped {dropped} page-header, footer or page-number lines"),
            None,
        ));
    }
    page_header
}

/// `单位：万元` / `单位：元`.
pub(crate) fn is_unit_note(text: &str) -> bool {
    let f = fold_label(text);
    let note = ["单位:", "金额单位:", "资金单位:", "货币单位:"]
        .iter()
        .any(|p| f.starts_with(p));
    note && (f.ends_with("元") || f.ends_with("万元"))
}

/// Space-separated text splits a label written with spaces inside (`产出 指标`, `满意 度指 标`,
/// `可持续影 响指标`) into cells: neighbouring short cells that together make a longer label are joined.
fn join_split_labels(row: &mut PRow, dict: &LabelDictionary) {
    let label_len = |t: &str| {
        let whole = dict.level1(t).is_some()
            || dict.level2(t).is_some()
            || dict.field(t).is_some_and(|m| m.rest.is_empty());
        whole.then(|| t.chars().count())
    };
    let mut i = 0;
    while i < row.cells.len() {
        let best = (2..=3).rev().find(|&n| {
            let Some(parts) = row.cells.get(i..i + n) else {
                return false;
            };
            let joined: String = parts.iter().map(|c| c.text.as_str()).collect();
            parts
                .iter()
                .all(|c| !c.text.is_empty() && c.text.chars().count() <= 4)
                && label_len(&joined)
                    .is_some_and(|len| label_len(&parts[0].text).is_none_or(|l| l < len))
        });
        // `指标1: 每年接待上访人员完成率`: the numbering prefix belongs to the name after it.
        let prefix_only = row.cells[i].text.starts_with("指标")
            && crate::indicators::strip_indicator_prefix(&row.cells[i].text).is_empty()
            && i + 1 < row.cells.len();
        let best = best.or(prefix_only.then_some(2));
        if let Some(n) = best {
            let joined: String = row.cells[i..i + n]
                .iter()
                .map(|c| c.text.as_str())
                .collect();
            row.cells[i].text = joined;
            row.cells.drain(i + 1..i + n);
            for (k, c) in row.cells.iter_mut().enumerate().skip(i + 1) {
                c.col = k as u32 + 1;
            }
        }
        i += 1;
    }
}

/// Web-page layouts break a label over lines (`总体` / `目标`, `项目完成` / `指标`, `经济效益` / `指标`):
/// join a cell with the first cell of the next row when together they make a label and the first part
/// alone does not, or makes a shorter one.
fn merge_broken_labels(rows: &mut Vec<PRow>, dict: &LabelDictionary) {
    let is_label = |t: &str| {
        dict.level1(t).is_some()
            || dict.level2(t).is_some()
            || dict.field(t).is_some_and(|m| m.rest.is_empty())
    };
    // One pass that builds a new list, so a long document stays linear.
    let mut merged: Vec<PRow> = Vec::with_capacity(rows.len());
    for mut row in std::mem::take(rows) {
        if let Some(prev) = merged.last_mut() {
            let last = prev.cells.iter().rposition(|c| !c.text.is_empty());
            let first = row.cells.iter().position(|c| !c.text.is_empty());
            if let (Some(li), Some(fi)) = (last, first) {
                let fragment = &row.cells[fi].text;
                let joined = format!("{}{}", prev.cells[li].text, fragment);
                if fragment.chars().count() <= 4 && is_label(&joined) {
                    prev.cells[li].text = joined;
                    row.cells.remove(fi);
                    // The rest of the row continues the label's row.
                    prev.cells
                        .extend(row.cells.into_iter().filter(|c| !c.text.is_empty()));
                    continue;
                }
            }
        }
        merged.push(row);
    }
    *rows = merged;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers() {
        assert!(is_page_number("- 12 -"));
        assert!(is_page_number("第 3 页"));
        assert!(!is_page_number("12"));
        assert!(!is_page_number("第一季度"));
    }

    #[test]
    fn unit_notes() {
        assert!(is_unit_note("单位：万元"));
        assert!(is_unit_note("单位:元"));
        assert!(is_unit_note("金额单位：万元"));
        assert!(!is_unit_note("单位名称"));
    }
}
