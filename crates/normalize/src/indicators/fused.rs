//! Rows that hold several indicator rows: a web table copied one cell per line keeps only some of its
//! row ends, so `绩效指标 | 产出指标 | 数量指标 | 猪肉产量稳定率 | % | ≥95% | 能繁母猪稳定率 | % | 90%`
//! arrives as one row. The column-title row says how many data cells a row has; labels (一级/二级) and
//! every full set of data cells start the next row.

use crate::dictionary::{Column, LabelDictionary};
use crate::rows::PCell;

use super::ColumnMap;

/// The rows fused into `cells` (labels first, then the data cells, each at its column-title's column),
/// or `None` when the row is one row. Only split when every part starts with a name, so a value written
/// with spaces (`≥ 95 %`) never becomes rows of its own.
pub(super) fn split_fused(
    cells: &[&PCell],
    map: &ColumnMap,
    dict: &LabelDictionary,
) -> Option<Vec<Vec<PCell>>> {
    if !map.positional {
        return None;
    }
    let roles = map.data_roles();
    let k = roles.len();
    let is_label = |c: &PCell| dict.level1(&c.text).is_some() || dict.level2(&c.text).is_some();
    let data_cells = cells.iter().filter(|c| !is_label(c)).count();
    if k < 2 || data_cells < 2 * k {
        return None;
    }
    let mut parts: Vec<(Vec<PCell>, Vec<PCell>)> = vec![(Vec::new(), Vec::new())];
    for cell in cells {
        let (labels, data) = parts.last_mut()?;
        if is_label(cell) {
            if !data.is_empty() {
                parts.push((vec![(*cell).clone()], Vec::new()));
            } else {
                labels.push((*cell).clone());
            }
            continue;
        }
        if data.len() == k {
            parts.push((Vec::new(), Vec::new()));
        }
        if let Some((_, data)) = parts.last_mut() {
            data.push((*cell).clone());
        }
    }
    let starts_with_name = parts.iter().all(|(_, data)| {
        data.first()
            .is_some_and(|c| c.text.chars().next().is_some_and(|ch| ch as u32 >= 0x4E00))
    });
    if parts.len() < 2 || !starts_with_name {
        return None;
    }
    let level_col = |c: &PCell| {
        let role = if dict.level1(&c.text).is_some() && dict.level2(&c.text).is_none() {
            Column::Level1
        } else {
            Column::Level2
        };
        map.col_of(role).unwrap_or(c.col)
    };
    Some(
        parts
            .into_iter()
            .map(|(labels, data)| {
                let labels = labels.into_iter().map(|c| PCell {
                    col: level_col(&c),
                    ..c
                });
                let data = data
                    .into_iter()
                    .zip(&roles)
                    .map(|(c, (col, _))| PCell { col: *col, ..c });
                labels.chain(data).collect()
            })
            .collect(),
    )
}
