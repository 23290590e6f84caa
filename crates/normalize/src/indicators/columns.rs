//! Column roles of an indicator block: read off its column-title row (or its first row), and the
//! role each data cell of a row takes.

use crate::dictionary::{Column, Field, LabelDictionary};
use crate::rows::{PCell, PRow};
use crate::text::fold_label;

/// Column roles of an indicator block.
#[derive(Debug, Clone, Default)]
pub(crate) struct ColumnMap {
    /// (column, role) in column order; columns are meaningless when `positional` is false.
    pub(super) cols: Vec<(u32, Column)>,
    pub(super) positional: bool,
    /// Titles of the value columns, when the table has one per place instead of one 指标值.
    value_titles: Vec<String>,
}

const DATA_ROLES_DEFAULT: [Column; 2] = [Column::Name, Column::Value];

impl ColumnMap {
    /// The column-title row of an indicator block (`一级指标 二级指标 三级指标 指标值`), if `row` is one.
    ///
    /// `单位` counts as the unit column only in such a row (elsewhere it labels the unit field). A row
    /// without a 指标值 column whose titles after the known ones are unknown (`西坪镇尧山村 | 桃舟乡吾培村`)
    /// has one value column per title: targets set per town, village or sub-project.
    pub(crate) fn from_header(row: &PRow, dict: &LabelDictionary) -> Option<ColumnMap> {
        let mut cols: Vec<(u32, Column)> = row
            .filled()
            .filter_map(|c| match dict.field(&c.text) {
                Some(m) if m.rest.is_empty() => match m.label {
                    Field::Column(Column::Funds) => None,
                    Field::Column(col) => Some((c.col, col)),
                    _ => None,
                },
                None if is_unit_title(&c.text) => Some((c.col, Column::Unit)),
                _ => None,
            })
            .collect();
        let has_levels = cols
            .iter()
            .any(|(_, c)| matches!(c, Column::Level1 | Column::Level2 | Column::Name));
        if cols.len() < 2 || !has_levels {
            return None;
        }
        let mut value_titles = Vec::new();
        let has_value = cols.iter().any(|(_, c)| *c == Column::Value);
        let last_known = cols.iter().map(|(col, _)| *col).max().unwrap_or(0);
        if !has_value && cols.iter().any(|(_, c)| *c == Column::Name) {
            for cell in row.filled().filter(|c| c.col > last_known) {
                if dict.field(&cell.text).is_none() && dict.level2(&cell.text).is_none() {
                    cols.push((cell.col, Column::Value));
                    value_titles.push(cell.text.clone());
                }
            }
        }
        Some(ColumnMap {
            cols,
            positional: true,
            value_titles,
        })
    }

    /// The titles of the value columns when targets are set per place or sub-project (two or more).
    pub(super) fn value_titles(&self) -> &[String] {
        if self.value_titles.len() >= 2 {
            &self.value_titles
        } else {
            &[]
        }
    }

    /// No column-title row: 三级 then 指标值, in order.
    pub(crate) fn default_for(_row: &PRow) -> ColumnMap {
        ColumnMap {
            cols: Vec::new(),
            positional: false,
            value_titles: Vec::new(),
        }
    }

    /// Column roles read off the first indicator row when the table has no column-title row: where its
    /// 一级 / 二级 labels stand, and its two data cells as 三级 and 指标值.
    pub(crate) fn infer_from_row(row: &PRow, dict: &LabelDictionary) -> ColumnMap {
        let mut cols = Vec::new();
        let mut data = Vec::new();
        for cell in row.filled() {
            if !data.is_empty() {
                data.push(cell.col);
                continue;
            }
            if dict.level1(&cell.text).is_some() && !cols.iter().any(|(_, c)| *c == Column::Level1)
            {
                cols.push((cell.col, Column::Level1));
            } else if dict.level2(&cell.text).is_some() {
                cols.retain(|(_, c)| *c != Column::Level2);
                cols.push((cell.col, Column::Level2));
            } else if dict.field(&cell.text).is_none() {
                data.push(cell.col);
            }
        }
        if data.len() == 2 {
            cols.push((data[0], Column::Name));
            cols.push((data[1], Column::Value));
            ColumnMap {
                cols,
                positional: true,
                value_titles: Vec::new(),
            }
        } else {
            ColumnMap {
                cols: Vec::new(),
                positional: false,
                value_titles: Vec::new(),
            }
        }
    }

    pub(crate) fn is_positional(&self) -> bool {
        self.positional
    }

    /// Stream layouts give the column titles one cell at a time.
    pub(crate) fn stream_titles(&mut self, text: &str, dict: &LabelDictionary) {
        self.positional = false;
        if let Some(Field::Column(col)) = dict
            .field(text)
            .filter(|m| m.rest.is_empty())
            .map(|m| m.label)
            && col != Column::Funds
            && !self.cols.iter().any(|(_, c)| *c == col)
        {
            let n = self.cols.len() as u32;
            self.cols.push((n, col));
        }
    }

    pub(crate) fn has_actual(&self) -> bool {
        self.cols.iter().any(|(_, c)| *c == Column::Actual)
    }

    pub(super) fn col_of(&self, role: Column) -> Option<u32> {
        if !self.positional {
            return None;
        }
        self.cols
            .iter()
            .find(|(_, c)| *c == role)
            .map(|(col, _)| *col)
    }

    /// The level (一级 or 二级) column `col` holds, in a block whose columns are known.
    pub(super) fn level_at(&self, col: u32) -> Option<Column> {
        if !self.positional {
            return None;
        }
        self.cols
            .iter()
            .find(|(c, r)| *c == col && matches!(r, Column::Level1 | Column::Level2))
            .map(|(_, r)| *r)
    }

    /// The roles data cells can take, in column order.
    pub(super) fn data_roles(&self) -> Vec<(u32, Column)> {
        let roles: Vec<(u32, Column)> = self
            .cols
            .iter()
            .filter(|(_, c)| !matches!(c, Column::Level1 | Column::Level2))
            .copied()
            .collect();
        if roles.is_empty() {
            DATA_ROLES_DEFAULT
                .iter()
                .enumerate()
                .map(|(i, c)| (i as u32 + 100, *c))
                .collect()
        } else {
            roles
        }
    }
}

/// Whether a column title is `单位` (the unit column), however spaced or bracketed: told by its
/// first character before the whole cell is folded.
fn is_unit_title(text: &str) -> bool {
    text.chars().find_map(crate::text::fold_char) == Some('单') && fold_label(text) == "单位"
}

/// Gives each data cell a role: in order when counts match, else by nearest column title.
pub(super) fn assign_roles(
    data: &[&PCell],
    roles: &[(u32, Column)],
    positional: bool,
) -> Vec<(Column, String)> {
    if data.len() == roles.len() || !positional {
        let mut out: Vec<(Column, String)> = data
            .iter()
            .zip(roles)
            .map(|(c, (_, r))| (*r, c.text.clone()))
            .collect();
        // More cells than roles without column positions: the value was split at spaces.
        if data.len() > roles.len() {
            let last_role = roles.last().map_or(Column::Value, |(_, r)| *r);
            for c in &data[roles.len()..] {
                out.push((last_role, c.text.clone()));
            }
        }
        return out;
    }
    let mut out = Vec::with_capacity(data.len());
    let mut min_index = 0;
    for (n, cell) in data.iter().enumerate() {
        let cells_left = data.len() - n - 1;
        let last_allowed = roles.len().saturating_sub(cells_left + 1).max(min_index);
        let candidates = &roles[min_index.min(roles.len() - 1)..=last_allowed.min(roles.len() - 1)];
        let best = candidates
            .iter()
            .enumerate()
            .min_by_key(|(_, (col, _))| col.abs_diff(cell.col))
            .map(|(i, _)| i + min_index.min(roles.len() - 1));
        let index = best.unwrap_or(min_index).min(roles.len() - 1);
        out.push((roles[index].1, cell.text.clone()));
        min_index = (index + 1).min(roles.len() - 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(text: &str, col: u32) -> PCell {
        PCell {
            text: text.into(),
            col,
            line: 1,
        }
    }

    #[test]
    fn roles_by_nearest_column_when_cells_are_missing() {
        let roles = [
            (3, Column::Name),
            (4, Column::Description),
            (5, Column::Value),
            (6, Column::Basis),
        ];
        let a = cell("办公区倡导节约用电", 3);
        let b = cell("反映节约用电", 4);
        let c = cell("宣传氛围浓厚", 5);
        let got = assign_roles(&[&a, &b, &c], &roles, true);
        let got: Vec<Column> = got.into_iter().map(|(r, _)| r).collect();
        assert_eq!(got, vec![Column::Name, Column::Description, Column::Value]);
        let v = cell("≥98%", 5);
        let got = assign_roles(&[&v], &[(4, Column::Name), (5, Column::Value)], true);
        assert_eq!(got[0].0, Column::Value);
    }
}
