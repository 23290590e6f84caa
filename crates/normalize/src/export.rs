//! Budget-system exports with one row per indicator: a column-title row that names both header fields
//! (项目名称, 预算单位, 年度资金总额 …) and indicator columns (一级指标 … 指标值, 指标性质, 度量单位), then
//! rows that repeat the project's fields beside each indicator. Consecutive rows of one project (same
//! name and code) become one record.

use jixiao_core::{Record, RecordKind};

use crate::dictionary::{Column, Field, FundsRole, LabelDictionary};
use crate::indicators::{ColumnMap, IndicatorState};
use crate::rows::{PCell, PRow};
use crate::table::put_funds;
use crate::value::parse_money;

/// The column-title row of a one-row-per-indicator export.
#[derive(Debug, Clone)]
pub(crate) struct FlatHeader {
    fields: Vec<(u32, Field)>,
    /// (column, role, title, amounts in 元) of the money columns.
    funds: Vec<(u32, FundsRole, String, bool)>,
    map: ColumnMap,
    indicator_cols: Vec<u32>,
}

/// Recognises the column-title row of an export: header fields and indicator columns side by side.
pub(crate) fn flat_header(row: &PRow, dict: &LabelDictionary) -> Option<FlatHeader> {
    let map = ColumnMap::from_header(row, dict)?;
    let mut fields = Vec::new();
    let mut funds = Vec::new();
    let mut indicator_cols = Vec::new();
    for cell in row.filled() {
        // The money unit is in the column title: `项目金额(元)`, `金额（万元）`.
        let in_yuan = money_title_in_yuan(&cell.text);
        match dict.field(&cell.text).map(|m| m.label) {
            // In an export a money column (`金额（万元）`) is the project's amount.
            Some(Field::Column(Column::Funds)) | Some(Field::FundsBlock) => {
                funds.push((cell.col, FundsRole::Total, cell.text.clone(), in_yuan))
            }
            Some(Field::Column(_)) => indicator_cols.push(cell.col),
            Some(field) => fields.push((cell.col, field)),
            None => {
                if let Some(m) = dict.funds(&cell.text) {
                    funds.push((cell.col, m.label, cell.text.clone(), in_yuan));
                }
            }
        }
    }
    fields
        .iter()
        .any(|(_, f)| matches!(f, Field::Name | Field::Code))
        .then_some(FlatHeader {
            fields,
            funds,
            map,
            indicator_cols,
        })
}

/// Reads export rows after `header` until a row no longer fits; returns the records and the number of
/// rows used.
pub(crate) fn read_flat(
    rows: &[PRow],
    header: &FlatHeader,
    dict: &LabelDictionary,
) -> (Vec<Record>, usize) {
    let mut records: Vec<Record> = Vec::new();
    let mut state: Option<IndicatorState> = None;
    let mut used = 0;
    for row in rows {
        let cell_at = |col: u32| {
            row.cells
                .iter()
                .find(|c| c.col == col && !c.text.is_empty())
        };
        let key_of = |field: &Field| {
            header
                .fields
                .iter()
                .find(|(_, f)| f == field)
                .and_then(|(col, _)| cell_at(*col))
        };
        let name = key_of(&Field::Name).map(|c| c.text.clone());
        let code = key_of(&Field::Code).map(|c| c.text.clone());
        let has_indicator = header.indicator_cols.iter().any(|c| cell_at(*c).is_some());
        if (name.is_none() && code.is_none()) || !has_indicator {
            // A row without the project key or without an indicator ends the export block.
            if row.filled_count() > 0 {
                break;
            }
        }
        let same = records
            .last()
            .is_some_and(|r| r.name == name && r.code == code);
        if !same {
            if let (Some(s), Some(r)) = (state.as_mut(), records.last_mut()) {
                s.finish(r);
            }
            records.push(start_record(row, header));
            state = Some(IndicatorState::new(header.map.clone(), false));
        }
        if let (Some(s), Some(record)) = (state.as_mut(), records.last_mut()) {
            record.lines[1] = row.line;
            let cells: Vec<PCell> = row
                .cells
                .iter()
                .filter(|c| header.indicator_cols.contains(&c.col))
                .cloned()
                .collect();
            s.feed(
                &PRow {
                    cells,
                    ..row.clone()
                },
                dict,
                record,
            );
        }
        used += 1;
    }
    if let (Some(s), Some(r)) = (state.as_mut(), records.last_mut()) {
        s.finish(r);
    }
    (records, used)
}

fn start_record(row: &PRow, header: &FlatHeader) -> Record {
    let mut record = Record::new(RecordKind::Project, row.line);
    for (col, field) in &header.fields {
        let Some(cell) = row
            .cells
            .iter()
            .find(|c| c.col == *col && !c.text.is_empty())
        else {
            continue;
        };
        let value = Some(cell.text.clone());
        let key = match field {
            Field::Name => {
                record.name = value;
                "name"
            }
            Field::Code => {
                record.code = value;
                "code"
            }
            Field::Unit => {
                record.unit = value;
                "unit"
            }
            Field::Supervisor => {
                record.supervisor = value;
                "supervisor"
            }
            Field::Goal => {
                record.goal = value;
                "goal"
            }
            Field::FundsUse => {
                record.funds_use = value;
                "funds_use"
            }
            Field::Attribute(name) => {
                record.attributes.insert(name.clone(), cell.text.clone());
                continue;
            }
            _ => continue,
        };
        record.field_lines.insert(key.into(), row.line);
    }
    for (col, role, label, in_yuan) in &header.funds {
        let amount = row
            .cells
            .iter()
            .find(|c| c.col == *col)
            .and_then(|c| parse_money(&c.text))
            .map(|a| if *in_yuan { a / 10_000.0 } else { a });
        put_funds(&mut record, *role, label.clone(), amount, row.line);
    }
    record
}

/// Whether a money column's title says its amounts are in 元 (`项目金额(元)`, `金额（元）`, `单位：元`).
fn money_title_in_yuan(title: &str) -> bool {
    let f = crate::text::fold_label(title);
    (f.ends_with("(元)") || f.ends_with(":元")) && !f.ends_with("(万元)")
}
