//! Funds grids of 部门整体 tables: a row of funds labels (合计 / 财政资金 / 其他资金) makes columns, the
//! rows below put their amounts under them.

use jixiao_core::FundsItem;

use crate::dictionary::{Field, FundsRole};
use crate::rows::{PCell, PRow};
use crate::value::parse_money;

use super::{Block, TableBuilder, funds_label_text};

/// A funds grid: amounts of one row spread over columns 合计 / 财政资金 / 其他资金.
#[derive(Debug, Clone)]
pub(super) struct FundsGrid {
    pub(super) row_label: String,
    pub(super) columns: Vec<(u32, FundsRole)>,
}

impl TableBuilder<'_> {
    /// 部门整体 funds grids: a row of funds labels (合计 / 财政资金 / 其他资金) makes columns; the rows
    /// below put their amounts under them.
    pub(super) fn grid_row(&mut self, row: &PRow) -> bool {
        let filled: Vec<&PCell> = row.filled().collect();
        let labels: Vec<(&PCell, FundsRole)> = filled
            .iter()
            .filter_map(|c| {
                self.dict
                    .funds(&c.text)
                    .filter(|m| m.rest.is_empty())
                    .map(|m| (*c, m.label))
            })
            .collect();
        let has_amount = filled.iter().any(|c| parse_money(&c.text).is_some());
        if labels.len() >= 3 && !has_amount && !self.stream {
            self.close_pending(row.line);
            // `年度资金总额: | 合计 | 财政资金 | 其他资金`: the first label names the row; a bare
            // `总额 | 财政拨款 | 其他资金` under a task grid's 预算金额 is three columns.
            let roles: Vec<FundsRole> = labels.iter().map(|(_, r)| *r).collect();
            let all_columns = roles == [FundsRole::Total, FundsRole::Fiscal, FundsRole::Other];
            let (row_label, columns) = if all_columns {
                ("合计".to_string(), &labels[..])
            } else {
                (funds_label_text(&labels[0].0.text, ""), &labels[1..])
            };
            self.grid = Some(FundsGrid {
                row_label,
                columns: columns.iter().map(|(c, r)| (c.col, *r)).collect(),
            });
            if self.block != Block::Tasks {
                self.block = Block::Funds { with_use: false };
            }
            return true;
        }
        let Some(grid) = self.grid.clone() else {
            return false;
        };
        let amounts: Vec<(u32, Option<f64>)> = grid
            .columns
            .iter()
            .map(|(col, _)| {
                let cell = row.cells.iter().find(|c| c.col == *col);
                (
                    *col,
                    cell.and_then(|c| parse_money(&c.text))
                        .map(|a| self.scale(a)),
                )
            })
            .collect();
        let label_cell = filled.iter().find(|c| {
            !grid.columns.iter().any(|(col, _)| *col == c.col) && parse_money(&c.text).is_none()
        });
        let other_text = label_cell.is_some_and(|c| self.dict.funds(&c.text).is_none());
        if other_text || (label_cell.is_none() && amounts.iter().all(|(_, a)| a.is_none())) {
            self.grid = None;
            return false;
        }
        let label = label_cell.map_or(grid.row_label.clone(), |c| funds_label_text(&c.text, ""));
        let role = label_cell
            .and_then(|c| self.dict.funds(&c.text))
            .map_or(FundsRole::Total, |m| m.label);
        let mut first = None;
        for ((_, column_role), (_, amount)) in grid.columns.iter().zip(&amounts) {
            if role == FundsRole::Total {
                let (slot, key) = match column_role {
                    FundsRole::Total => (&mut self.record.funds.total, "funds.total"),
                    FundsRole::Fiscal => (&mut self.record.funds.fiscal, "funds.fiscal"),
                    FundsRole::Other => (&mut self.record.funds.other, "funds.other"),
                    FundsRole::Item => continue,
                };
                if slot.is_none() && amount.is_some() {
                    *slot = *amount;
                    self.record.field_lines.insert(key.into(), row.line);
                }
            }
            if first.is_none() && *column_role == FundsRole::Total {
                first = Some(*amount);
            }
        }
        let amount = first
            .flatten()
            .or_else(|| amounts.iter().find_map(|(_, a)| *a));
        self.record.funds.items.push(FundsItem {
            label,
            amount,
            line: row.line,
        });
        true
    }

    /// A 部门整体 task grid: the row that opens it (`年度主要任务 | 任务名称 | 主要内容 | 预算金额（万元）`)
    /// is column titles; each task row (`高标准农田建设 | 建设农田2万亩 | 300 | 300 | 0`) becomes a goal
    /// item `任务：内容` and a funds item; the 合计 row and any labelled row leave it to the other readers.
    pub(super) fn tasks_row(&mut self, row: &PRow) -> bool {
        let filled: Vec<&PCell> = row.filled().collect();
        let opens = filled.first().is_some_and(|c| {
            self.dict
                .field(&c.text)
                .is_some_and(|m| m.label == Field::TasksBlock && m.rest.is_empty())
        });
        if opens {
            self.close_pending(row.line);
            self.block = Block::Tasks;
            return true;
        }
        if self.block != Block::Tasks {
            return false;
        }
        let labelled = filled
            .iter()
            .any(|c| self.dict.field(&c.text).is_some() || self.dict.funds(&c.text).is_some());
        if labelled {
            // The 合计 row fills the funds through the grid; a field label ends the task grid.
            if filled.iter().any(|c| self.dict.field(&c.text).is_some()) {
                self.block = Block::None;
                self.grid = None;
            }
            return false;
        }
        let in_grid = |c: &PCell| {
            self.grid
                .as_ref()
                .is_some_and(|g| g.columns.iter().any(|(col, _)| *col == c.col))
        };
        let texts: Vec<&str> = filled
            .iter()
            .filter(|c| !in_grid(c) && parse_money(&c.text).is_none())
            .map(|c| c.text.as_str())
            .collect();
        let Some(task) = texts.first() else {
            return false;
        };
        let item = match texts.get(1) {
            Some(content) => format!("{task}：{content}"),
            None => task.to_string(),
        };
        self.record.goal_items.push(item);
        let amount = filled
            .iter()
            .filter(|c| in_grid(c))
            .find_map(|c| parse_money(&c.text))
            .map(|a| self.scale(a));
        self.record.funds.items.push(FundsItem {
            label: task.to_string(),
            amount,
            line: row.line,
        });
        true
    }
}
