//! Rows a copy fused into one cell without any separator, split at label anchors from the dictionary:
//! `项目名称农村饮水工程主管部门水利局` → `项目名称 | 农村饮水工程 | 主管部门 | 水利局`, and
//! `产出指标数量指标培训人数300人` → `产出指标 | 数量指标 | 培训人数 | 300人`.
//!
//! Only a row that is one cell is split, and only when the cell starts with a label glued to its text
//! (a label followed by `:` or a space is an ordinary label cell).

use jixiao_core::Diagnostic;

use crate::dictionary::{Column, Field, LabelDictionary};
use crate::rows::{PCell, PRow};
use crate::value::split_target;

/// Splits every fused single-cell row of `rows`; one diagnostic per document says how many.
pub(crate) fn split_fused_cells(rows: &mut [PRow], dict: &LabelDictionary) -> Option<Diagnostic> {
    let mut first = None;
    let mut count = 0;
    for row in rows.iter_mut() {
        let Some(cell) = row.single() else { continue };
        let parts = header_parts(&cell.text, dict).or_else(|| indicator_parts(&cell.text, dict));
        if let Some(parts) = parts {
            let line = cell.line;
            row.cells = parts
                .into_iter()
                .enumerate()
                .map(|(i, text)| PCell {
                    text,
                    col: i as u32 + 1,
                    line,
                })
                .collect();
            first.get_or_insert(row.line);
            count += 1;
        }
    }
    (count > 0).then(|| {
        Diagnostic::info(
            "normalize.fused-cells",
            format!(
                "{count} rows written without separators between their cells split at their labels"
            ),
            first,
        )
    })
}

/// A row whose cells run on into the indicator block's column titles (a web copy that lost the row
/// ends: `绩效目标 | 目标文字 | 绩效指标 | 一级指标 | 二级指标 | 三级指标 | 指标值 | 产出指标 | …`) becomes
/// three rows: what stood before the titles, the titles, what follows them.
pub(crate) fn split_at_column_titles(rows: Vec<PRow>, dict: &LabelDictionary) -> Vec<PRow> {
    let is_title = |c: &PCell| {
        matches!(
            dict.field(&c.text).filter(|m| m.rest.is_empty()).map(|m| m.label),
            Some(Field::Column(col)) if col != Column::Funds
        )
    };
    let is_block = |c: &PCell| {
        dict.field(&c.text)
            .is_some_and(|m| m.rest.is_empty() && m.label == Field::IndicatorsBlock)
    };
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let cells: Vec<&PCell> = row.filled().collect();
        let start = (0..cells.len()).find(|&i| {
            let first = if is_block(cells[i]) { i + 1 } else { i };
            cells.get(first).is_some_and(|c| is_title(c))
                && cells.get(first + 1).is_some_and(|c| is_title(c))
        });
        let Some(start) = start else {
            out.push(row);
            continue;
        };
        let mut end = start + usize::from(is_block(cells[start]));
        while cells.get(end).is_some_and(|c| is_title(c)) {
            end += 1;
        }
        // The titles end where an indicator row starts (a 一级/二级 label, or the block label before
        // one); other text after them is more titles (`单位`, one column per village).
        let is_level = |c: &PCell| dict.level1(&c.text).is_some() || dict.level2(&c.text).is_some();
        end = (end..cells.len())
            .find(|&i| {
                is_level(cells[i])
                    || (is_block(cells[i]) && cells.get(i + 1).is_some_and(|c| is_level(c)))
            })
            .unwrap_or(cells.len());
        if start == 0 && end == cells.len() {
            out.push(row);
            continue;
        }
        for part in [&cells[..start], &cells[start..end], &cells[end..]] {
            if let Some(first) = part.first() {
                out.push(PRow {
                    line: first.line,
                    cells: part
                        .iter()
                        .enumerate()
                        .map(|(i, c)| PCell {
                            col: i as u32 + 1,
                            ..(*c).clone()
                        })
                        .collect(),
                    ..row.clone()
                });
            }
        }
    }
    out
}

fn glued(text: &str, at: usize) -> bool {
    text[at..]
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || "(（《“★*".contains(c))
}

/// `项目名称XXX主管部门YYY`: two or more header labels, the first at the start, each glued to its value.
fn header_parts(text: &str, dict: &LabelDictionary) -> Option<Vec<String>> {
    let anchors = dict.anchors(text);
    if anchors.len() < 2 || anchors[0].0 != 0 || !anchors.iter().all(|(_, end)| glued(text, *end)) {
        return None;
    }
    let mut parts = Vec::new();
    for (i, (start, end)) in anchors.iter().enumerate() {
        let next = anchors.get(i + 1).map_or(text.len(), |(s, _)| *s);
        parts.push(text[*start..*end].to_string());
        let value = text[*end..next].trim();
        if value.is_empty() {
            return None;
        }
        parts.push(value.to_string());
    }
    Some(parts)
}

/// `产出指标数量指标培训人数300人`: 一级 and/or 二级 labels glued to a name and its value.
fn indicator_parts(text: &str, dict: &LabelDictionary) -> Option<Vec<String>> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some((_, len)) = dict.level_prefix(rest).filter(|(_, len)| glued(rest, *len)) {
        parts.push(rest[..len].to_string());
        rest = &rest[len..];
        if parts.len() == 2 {
            break;
        }
    }
    if parts.is_empty() {
        return None;
    }
    let (name, value) = split_target(rest)?;
    parts.push(name.to_string());
    parts.push(value.to_string());
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dict() -> LabelDictionary {
        LabelDictionary::new(&Default::default()).expect("dictionary")
    }

    #[test]
    fn fused_header_and_indicator_cells_split_at_labels() {
        let d = dict();
        assert_eq!(
            header_parts("项目名称农村饮水工程主管部门水利局", &d),
            Some(vec![
                "项目名称".into(),
                "农村饮水工程".into(),
                "主管部门".into(),
                "水利局".into()
            ])
        );
        assert_eq!(
            indicator_parts("产出指标数量指标培训人数300人", &d),
            Some(vec![
                "产出指标".into(),
                "数量指标".into(),
                "培训人数".into(),
                "300人".into()
            ])
        );
        assert_eq!(
            indicator_parts("质量指标验收合格率≥95%", &d),
            Some(vec!["质量指标".into(), "验收合格率".into(), "≥95%".into()])
        );
        // Labels with a separator, a goal sentence, a plain name: not fused.
        assert_eq!(header_parts("项目名称：农村饮水工程", &d), None);
        assert_eq!(
            indicator_parts("效益指标:经济效益指标:产值≥80万元", &d),
            None
        );
        assert_eq!(indicator_parts("服务对象满意度指标,满意度≥95%", &d), None);
        assert_eq!(header_parts("完成项目名称登记工作", &d), None);
        assert_eq!(indicator_parts("产出指标", &d), None);
    }
}
