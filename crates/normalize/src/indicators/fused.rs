//! Rows that hold several indicator rows: a web table copied one cell per line keeps only some of its
//! row ends, so `绩效指标 | 产出指标 | 数量指标 | 猪肉产量稳定率 | % | ≥95% | 能繁母猪稳定率 | % | 90%`
//! arrives as one row. The column-title row says how many data cells a row has; labels (一级/二级) and
//! every full set of data cells start the next row. Only rows without a single empty cell (the copy
//! dropped them all) are split: in a grid with merged cells a long row is one row.

use crate::dictionary::{Column, LabelDictionary};
use crate::rows::{PCell, PRow};

use super::ColumnMap;

/// The rows fused into `cells` (labels first, then the data cells, each at its column-title's column),
/// or `None` when the row is one row. Only split when every part starts with a name, so a value written
/// with spaces (`≥ 95 %`) never becomes rows of its own.
pub(super) fn split_fused(
    row: &PRow,
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
    // One row holds its leading labels (a 一级, a 二级, the 二级 written twice) and its data cells.
    let leading = cells.iter().take(2).take_while(|c| is_label(c)).count();
    // Only a copy that dropped every empty cell fuses rows.
    let packed = row.cells.iter().all(|c| !c.text.is_empty());
    if !packed || k < 2 || cells.len() < 2 * k || cells.len() <= leading + k {
        return None;
    }
    let mut parts: Vec<(Vec<PCell>, Vec<PCell>)> = vec![(Vec::new(), Vec::new())];
    let is_level2_only =
        |c: &PCell| dict.level1(&c.text).is_none() && dict.level2(&c.text).is_some();
    for cell in cells {
        let (labels, data) = parts.last_mut()?;
        // A row has at most a 一级 and a 二级: after them (or after a 二级) a label word is the name
        // (`满意度指标 | 满意度指标 | 服务对象满意度 | ≥95%`).
        let repeated = labels.last().is_some_and(|l| {
            dict.level2(&l.text).is_some() && dict.level2(&l.text) == dict.level2(&cell.text)
        });
        let room =
            data.is_empty() && labels.len() < 2 && (repeated || !labels.iter().any(is_level2_only));
        if is_label(cell) && (room || !data.is_empty()) {
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
    // A name has Chinese words and does not start like a value (`≥95%`, `30人`).
    let is_name = |t: &str| {
        t.chars().any(|ch| ch as u32 >= 0x4E00)
            && !t.starts_with(|ch: char| ch.is_ascii_digit() || "≥≤<>=＞＜≧≦".contains(ch))
    };
    let starts_with_name = parts
        .iter()
        .all(|(_, data)| data.first().is_some_and(|c| is_name(&c.text)));
    // Every part but the last is a full row; the last may be cut.
    let full = parts.iter().rev().skip(1).all(|(_, data)| data.len() == k);
    if parts.len() < 2 || !starts_with_name || !full {
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
