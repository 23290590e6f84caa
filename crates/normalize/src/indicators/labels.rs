//! The leading label cells of an indicator row: 一级 and 二级 from the dictionary (merged cells leave
//! them empty), or a department's own group label standing in the group columns (`基本经费`).

use jixiao_core::{Level1, Level2};

use crate::dictionary::{Column, LabelDictionary};
use crate::rows::PCell;

use super::ColumnMap;

/// What the leading cells of a row say, and how many cells they are.
pub(super) struct RowLabels<'a> {
    pub level1: Option<(Level1, &'a PCell)>,
    pub level2: Option<(Level2, &'a PCell)>,
    pub group: Option<&'a PCell>,
    pub consumed: usize,
}

impl RowLabels<'_> {
    /// No labels: every cell is data.
    pub(super) fn none() -> Self {
        RowLabels {
            level1: None,
            level2: None,
            group: None,
            consumed: 0,
        }
    }
}

/// Reads the label cells at the start of `filled`. A cell is a label only where it can be one: in the
/// group columns, or with enough cells after it for the data roles.
pub(super) fn read_labels<'a>(
    filled: &[&'a PCell],
    map: &ColumnMap,
    dict: &LabelDictionary,
) -> RowLabels<'a> {
    let roles = map.data_roles();
    let k = roles.len().max(1);
    let first_data_col = roles.first().map(|(c, _)| *c);
    let level2_col = map.col_of(Column::Level2);
    let level1_col = map.col_of(Column::Level1);
    let mut out = RowLabels::none();
    let mut j = 0;
    while j < filled.len() {
        let cell = filled[j];
        let remaining = filled.len() - j - 1;
        // A 二级 right after a 一级 label belongs to it even when the row is shifted right.
        let follows_level1 = out.level1.is_some() && out.level2.is_none() && remaining >= 1;
        let eligible = !map.positional
            || level2_col.is_some_and(|c| cell.col <= c)
            || first_data_col.is_some_and(|c| cell.col < c)
            || remaining >= k
            || follows_level1;
        if !eligible {
            break;
        }
        if out.level2.is_some() {
            // The same 二级 written in the 一级 and the 二级 column (`社会效益指标 | 社会效益指标`):
            // the second one is the 二级, the first stood for the missing 一级.
            let repeated = dict
                .level2(&cell.text)
                .filter(|_| out.level1.is_none() && remaining >= k);
            match repeated {
                Some(b) if map.positional && level2_col.is_none_or(|c| cell.col <= c) => {
                    out.level2 = Some((b, cell));
                    j += 1;
                }
                _ => {}
            }
            break;
        }
        let as1 = dict.level1(&cell.text);
        let as2 = dict.level2(&cell.text);
        let next2 = filled.get(j + 1).and_then(|n| dict.level2(&n.text));
        match (as1, as2) {
            (Some(a), Some(b)) if out.level1.is_none() => {
                // 成本指标 and 满意度指标 name both levels: it is the 一级 when a 二级 follows it
                // (or for 满意度, when it stands in the 一级 column).
                let is_level1 = match a {
                    Level1::Cost => next2.is_some_and(|n| n.parent() == Level1::Cost),
                    _ => next2.is_some() || level1_col.is_none_or(|c| cell.col <= c),
                };
                if is_level1 {
                    out.level1 = Some((a, cell));
                } else {
                    out.level2 = Some((b, cell));
                }
            }
            (Some(a), None) if out.level1.is_none() => out.level1 = Some((a, cell)),
            (_, Some(b)) => out.level2 = Some((b, cell)),
            _ => {
                // Unknown text where the group columns are, with more cells after it than there
                // are data roles: a group label of the department's own (`基本经费`).
                let in_group_cols = map.positional
                    && first_data_col.is_some_and(|c| cell.col < c)
                    && remaining >= k;
                if in_group_cols && out.group.is_none() && out.level1.is_none() {
                    out.group = Some(cell);
                } else {
                    break;
                }
            }
        }
        j += 1;
    }
    out.consumed = j;
    out
}
