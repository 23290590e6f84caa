//! The indicator block: rows of 一级 / 二级 / 三级 / 指标值 (and 绩效指标描述, 指标值确定依据 ...).
//!
//! Each row is read in two steps. First its leading label cells: a 一级 or 二级 name from the dictionary
//! (merged cells leave them empty, so the last ones carry forward), or unknown text standing where the
//! group columns are (`基本经费`). Then its data cells, given the roles of the column-title row: in
//! order when there are as many cells as roles, else by nearest column. Rows that drift a cell left or
//! right therefore read the same as straight ones, and every repair is a diagnostic on the record.

use jixiao_core::{Diagnostic, Indicator, Level1, Level2, Record};

use crate::dictionary::{Column, Field, LabelDictionary};
use crate::rows::{PCell, PRow};
use crate::text::{clip, fold_label};
use crate::value::{is_placeholder, parse_value};

mod columns;
mod fused;
mod labels;

pub(crate) use columns::ColumnMap;
use columns::assign_roles;

/// Reading state of an indicator block.
#[derive(Debug, Clone)]
pub(crate) struct IndicatorState {
    map: ColumnMap,
    stream: bool,
    level1: Option<Level1>,
    level1_raw: Option<String>,
    level2: Option<Level2>,
    level2_raw: Option<String>,
    /// A stream layout's 三级 cell waiting for its 指标值.
    pending_name: Option<(String, u32)>,
    emitted: usize,
    /// The previous row was a column-title row repeated at a page break.
    after_page_break: bool,
    /// The previous row held only 一级/二级 labels.
    labels_only_before: bool,
    /// The last indicator's row had no value cell (it may be a row a cut-off source ends in).
    last_without_value_cell: bool,
}

impl IndicatorState {
    pub(crate) fn new(map: ColumnMap, stream: bool) -> Self {
        IndicatorState {
            map,
            stream,
            level1: None,
            level1_raw: None,
            level2: None,
            level2_raw: None,
            pending_name: None,
            emitted: 0,
            after_page_break: false,
            last_without_value_cell: false,
            labels_only_before: false,
        }
    }

    pub(crate) fn started(&self) -> bool {
        self.emitted > 0 || self.pending_name.is_some()
    }

    /// Whether a row can belong to the block: used to decide where a table ends.
    pub(crate) fn accepts(&self, row: &PRow, dict: &LabelDictionary) -> bool {
        let Some(first) = row.filled().next() else {
            return true;
        };
        if is_note(&first.text) {
            return false;
        }
        if self.stream {
            return true;
        }
        row.filled()
            .take(3)
            .any(|c| dict.level1(&c.text).is_some() || dict.level2(&c.text).is_some())
            || row.filled_count() >= 2
            || first.col > 1
    }

    /// Reads one row of the block into `record`.
    pub(crate) fn feed(&mut self, row: &PRow, dict: &LabelDictionary, record: &mut Record) {
        if self.column_titles(row, dict, record) {
            return;
        }
        let after_page_break = std::mem::take(&mut self.after_page_break) || row.page_break_before;
        let filled: Vec<&PCell> = row
            .filled()
            .skip_while(|c| {
                dict.field(&c.text)
                    .is_some_and(|m| m.label == Field::IndicatorsBlock && m.rest.is_empty())
            })
            .collect();
        if filled.is_empty() {
            return;
        }
        if !self.stream
            && let Some(parts) = fused::split_fused(row, &filled, &self.map, dict)
        {
            self.feed_parts(row, parts, dict, record);
            return;
        }
        let labels = match self.stream_label_after_labels(&filled, dict) {
            Some(labels) => labels,
            None => labels::read_labels(&filled, &self.map, dict),
        };
        self.apply_levels(labels.level1, labels.level2, labels.group, row.line, record);
        let data = &filled[labels.consumed..];
        self.labels_only_before = data.is_empty();
        if data.is_empty() {
            return;
        }
        if self.stream {
            self.stream_data(data, record);
            return;
        }
        let had_labels = labels.level1.is_some() || labels.level2.is_some();
        if after_page_break
            && !had_labels
            && let [cell] = data
            && let Some(level) = self.map.level_at(cell.col)
            && self.join_level_fragment(level, &cell.text, row.line, dict, record)
        {
            return;
        }
        // Tree and list layouts write `服务人数：≥300人` in one cell.
        if !self.map.positional
            && data.len() == 1
            && let Some((name, value)) = split_name_value(&data[0].text)
        {
            let cells = vec![
                (Column::Name, name.to_string()),
                (Column::Value, value.to_string()),
            ];
            self.emit(cells, row.line, had_labels, record);
            return;
        }
        let shifted = self.unshift(data, &labels);
        let shifted: Vec<&PCell> = shifted.iter().collect();
        let assigned = assign_roles(&shifted, &self.map.data_roles(), self.map.positional);
        // The indicator's line is its 三级 cell's: in a cell-per-line layout the row starts lines above.
        let line = shifted
            .iter()
            .zip(&assigned)
            .find(|(_, (role, _))| *role == Column::Name)
            .map_or(row.line, |(c, _)| c.line);
        let assigned = self.per_column_values(assigned, line, record);
        if after_page_break && !had_labels && join_fragment(&assigned, row.line, record) {
            return;
        }
        self.emit(assigned, line, had_labels, record);
    }

    /// One cell per row, right after a row of labels only: `满意度指标`, `满意度指标`, `服务对象满意度`,
    /// `≥95%` is 一级, 二级, 三级 name, value. A word that names both levels, after its own 一级, is
    /// the 二级 written out; once a 二级 is written, a label word is the name.
    fn stream_label_after_labels<'a>(
        &self,
        filled: &[&'a PCell],
        dict: &LabelDictionary,
    ) -> Option<labels::RowLabels<'a>> {
        let [cell] = filled else { return None };
        if !self.stream || !self.labels_only_before {
            return None;
        }
        let as2 = dict.level2(&cell.text)?;
        if let Some(written) = &self.level2_raw {
            // The same 二级 written again (in the 一级 and the 二级 column) is still the label.
            if fold_label(written) == fold_label(&cell.text) {
                return Some(labels::RowLabels {
                    level2: Some((as2, *cell)),
                    consumed: 1,
                    ..labels::RowLabels::none()
                });
            }
            return Some(labels::RowLabels::none());
        }
        let as1 = dict.level1(&cell.text);
        (as1.is_some() && as1 == self.level1).then_some(labels::RowLabels {
            level2: Some((as2, *cell)),
            consumed: 1,
            ..labels::RowLabels::none()
        })
    }

    /// Column-title rows: one title per row in a stream layout, or the whole row repeated at a page
    /// break. Returns whether `row` was one.
    fn column_titles(&mut self, row: &PRow, dict: &LabelDictionary, record: &mut Record) -> bool {
        if self.stream
            && let Some(cell) = row.single()
            && matches!(
                dict.field(&cell.text)
                    .filter(|m| m.rest.is_empty())
                    .map(|m| m.label),
                Some(Field::Column(_))
            )
        {
            self.map.stream_titles(&cell.text, dict);
            return true;
        }
        if ColumnMap::from_header(row, dict).is_some() {
            record.diagnostics.push(Diagnostic::info(
                "normalize.repeated-header",
                "column-title row repeated inside the table (page break) skipped",
                Some(row.line),
            ));
            self.after_page_break = true;
            return true;
        }
        false
    }

    /// A row that held several indicator rows, fed part by part.
    fn feed_parts(
        &mut self,
        row: &PRow,
        parts: Vec<Vec<PCell>>,
        dict: &LabelDictionary,
        record: &mut Record,
    ) {
        record.diagnostics.push(Diagnostic::info(
            "normalize.row-split",
            format!(
                "one row held {} indicator rows (the copy lost their row ends); split by the column titles",
                parts.len()
            ),
            Some(row.line),
        ));
        for cells in parts {
            // The part's line is its 三级 cell's (the first cell after its labels).
            let line = cells
                .iter()
                .find(|c| dict.level1(&c.text).is_none() && dict.level2(&c.text).is_none())
                .map_or(row.line, |c| c.line);
            let part = PRow {
                cells,
                line,
                ..row.clone()
            };
            self.feed(&part, dict, record);
        }
    }

    /// A row shifted left or right: its last label shows by how much, its data cells move with it.
    fn unshift(&self, data: &[&PCell], labels: &labels::RowLabels<'_>) -> Vec<PCell> {
        let level2_col = self.map.col_of(Column::Level2);
        let level1_col = self.map.col_of(Column::Level1);
        let shift: i64 = match (labels.level2, level2_col, labels.level1, level1_col) {
            (Some((_, c)), Some(expected), _, _) => c.col as i64 - expected as i64,
            (None, _, Some((_, c)), Some(expected)) => c.col as i64 - expected as i64,
            _ => 0,
        };
        data.iter()
            .map(|c| PCell {
                col: (c.col as i64 - shift).max(0) as u32,
                ..(*c).clone()
            })
            .collect()
    }

    /// Targets set per place (one value column per town or village): one 指标值, the common value when
    /// all columns agree, else every column's value with its title.
    fn per_column_values(
        &self,
        assigned: Vec<(Column, String)>,
        line: u32,
        record: &mut Record,
    ) -> Vec<(Column, String)> {
        let titles = self.map.value_titles();
        let values: Vec<&str> = assigned
            .iter()
            .filter(|(c, _)| *c == Column::Value)
            .map(|(_, t)| t.as_str())
            .collect();
        if titles.is_empty() || values.len() < 2 {
            return assigned;
        }
        let value = if values.iter().all(|v| *v == values[0]) {
            values[0].to_string()
        } else {
            titles
                .iter()
                .zip(&values)
                .filter(|(_, v)| !v.is_empty())
                .map(|(t, v)| format!("{t}:{v}"))
                .collect::<Vec<_>>()
                .join("；")
        };
        record.diagnostics.push(Diagnostic::info(
            "normalize.per-column-values",
            format!(
                "{} value columns ({}…): read as one 指标值 `{}`",
                values.len(),
                titles[0],
                clip(&value)
            ),
            Some(line),
        ));
        let mut out: Vec<(Column, String)> = assigned
            .into_iter()
            .filter(|(c, _)| *c != Column::Value)
            .collect();
        out.push((Column::Value, value));
        out
    }

    fn apply_levels(
        &mut self,
        l1: Option<(Level1, &PCell)>,
        l2: Option<(Level2, &PCell)>,
        group: Option<&PCell>,
        line: u32,
        record: &mut Record,
    ) {
        if l1.is_some() || l2.is_some() || group.is_some() {
            self.flush_pending(record);
        }
        if let Some((level, cell)) = l1 {
            self.level1 = Some(level);
            self.level1_raw = Some(cell.text.clone());
            self.level2 = None;
            self.level2_raw = None;
        }
        if let Some(cell) = group {
            self.level1 = None;
            self.level1_raw = Some(cell.text.clone());
            self.level2 = None;
            self.level2_raw = None;
        }
        if let Some((level, cell)) = l2 {
            self.level2 = Some(level);
            self.level2_raw = Some(cell.text.clone());
            let parent = level.parent();
            let fits = |l: Level1| l == parent || (l == Level1::Cost && level == Level2::Cost);
            if l1.is_none() {
                match self.level1 {
                    Some(current) if fits(current) => {}
                    Some(current) => {
                        record.diagnostics.push(Diagnostic::info(
                            "normalize.level1-inferred",
                            format!(
                                "二级 `{}` does not belong to 一级 {}; 一级 taken as {} (its 一级 cell is missing or the 二级 stands in the 一级 column)",
                                cell.text,
                                current.as_str(),
                                parent.as_str()
                            ),
                            Some(line),
                        ));
                        self.level1_raw = None;
                        self.level1 = Some(parent);
                    }
                    // A department's own group label (`基本经费`) stays as the raw 一级.
                    None if self.level1_raw.is_some() => self.level1 = Some(parent),
                    None => {
                        record.diagnostics.push(Diagnostic::info(
                            "normalize.level1-inferred",
                            format!(
                                "no 一级 written; taken as {} from 二级 `{}`",
                                parent.as_str(),
                                cell.text
                            ),
                            Some(line),
                        ));
                        self.level1 = Some(parent);
                    }
                }
            }
        } else if let Some((Level1::Satisfaction, _)) = l1 {
            // 满意度 has one 二级 only.
            self.level2 = Some(Level2::Satisfaction);
        }
    }

    /// Stream layouts: 三级 and 指标值 alternate.
    fn stream_data(&mut self, data: &[&PCell], record: &mut Record) {
        for cell in data {
            if is_note(&cell.text) {
                return;
            }
            match self.pending_name.take() {
                None => self.pending_name = Some((cell.text.clone(), cell.line)),
                Some((name, line)) => {
                    let values = vec![(Column::Name, name), (Column::Value, cell.text.clone())];
                    self.emit(values, line, false, record);
                }
            }
        }
    }

    fn flush_pending(&mut self, record: &mut Record) {
        if let Some((name, line)) = self.pending_name.take() {
            self.emit(vec![(Column::Name, name)], line, true, record);
        }
    }

    /// The row a cut-off source ends in: a stream layout's name still waiting for its value, or the last
    /// indicator when its row had no value cell at all (`时效指标 | 截`). Returns its name.
    pub(crate) fn drop_cut_row(&mut self, record: &mut Record) -> Option<String> {
        if let Some((name, _)) = self.pending_name.take() {
            return Some(name);
        }
        if self.last_without_value_cell && !record.indicators.is_empty() {
            self.last_without_value_cell = false;
            return record.indicators.pop().map(|i| i.name);
        }
        None
    }

    /// Ends the block: a stream layout's last name without a value becomes an indicator.
    pub(crate) fn finish(&mut self, record: &mut Record) {
        self.flush_pending(record);
    }

    fn emit(
        &mut self,
        cells: Vec<(Column, String)>,
        line: u32,
        had_labels: bool,
        record: &mut Record,
    ) {
        let get = |role: Column| -> Option<String> {
            let parts: Vec<&str> = cells
                .iter()
                .filter(|(c, _)| *c == role)
                .map(|(_, t)| t.as_str())
                .collect();
            (!parts.is_empty()).then(|| parts.join(" "))
        };
        let name = get(Column::Name)
            .map(|n| strip_indicator_prefix(&n).to_string())
            .unwrap_or_default();
        let value_cell = get(Column::Value);
        let without_value_cell = value_cell.is_none();
        let mut value = value_cell.unwrap_or_default();
        if let Some(cmp) = get(Column::Comparator).filter(|c| !value.starts_with(c.as_str())) {
            value = format!("{cmp}{value}");
        }
        if let Some(unit) = get(Column::Unit).filter(|u| !value.ends_with(u.as_str())) {
            value.push_str(&unit);
        }
        if is_placeholder(&value) {
            record.diagnostics.push(Diagnostic::warning(
                "normalize.template-value",
                format!(
                    "指标值 `{}` of `{}` is only a unit or placeholder (an unfilled template row): read as no value",
                    clip(&value),
                    clip(&name)
                ),
                Some(line),
            ));
            value.clear();
        }
        let description = get(Column::Description);
        let basis = get(Column::Basis);
        if name.is_empty() && value.is_empty() {
            // The tail of the row above, carried over a page break (`⇥⇥⇥⇥⇥…7号)`).
            if let Some(prev) = record.indicators.last_mut().filter(|_| !had_labels) {
                for (slot, part) in [
                    (&mut prev.description, description),
                    (&mut prev.basis, basis),
                ] {
                    if let Some(part) = part {
                        slot.get_or_insert_with(String::new).push_str(&part);
                        record.diagnostics.push(Diagnostic::info(
                            "normalize.row-continued",
                            format!(
                                "text `{}` on its own row joined to the indicator above",
                                clip(&part)
                            ),
                            Some(line),
                        ));
                    }
                }
            }
            return;
        }
        // A row split in two: a value-only row under a row whose value is blank, or the same 三级 again
        // with its value right under it.
        let value_only = name.is_empty() && !had_labels;
        let repeated = !name.is_empty() && !value.is_empty();
        if (value_only || repeated)
            && let Some(prev) = record
                .indicators
                .last_mut()
                .filter(|p| p.value.is_empty() && (value_only || p.name == name))
        {
            let message = if value_only {
                format!(
                    "指标值 on its own row joined to the indicator `{}` above",
                    clip(&prev.name)
                )
            } else {
                format!(
                    "indicator `{}` continued on the next row; joined",
                    clip(&name)
                )
            };
            prev.parsed = parse_value(&value);
            prev.value = value;
            record.diagnostics.push(Diagnostic::info(
                "normalize.row-continued",
                message,
                Some(line),
            ));
            return;
        }
        if self.level2.is_none() && self.level1.is_none() && self.level1_raw.is_none() {
            record.diagnostics.push(Diagnostic::warning(
                "normalize.no-category",
                format!("indicator `{}` has no 一级/二级 category", clip(&name)),
                Some(line),
            ));
        }
        record.indicators.push(Indicator {
            level1: self.level1,
            level2: self.level2,
            level1_raw: self.level1_raw.clone(),
            level2_raw: self.level2_raw.clone(),
            name,
            parsed: parse_value(&value),
            value,
            description,
            basis,
            line,
        });
        self.last_without_value_cell = without_value_cell;
        self.emitted += 1;
    }
}

impl IndicatorState {
    /// The rest of a 一级 or 二级 cell that a page break cut (`社会效益` / `指标`), alone in its
    /// column on the first row after the break: joined to the indicator above (and to the level
    /// being read, for the rows the merged cell still covers). Returns whether it was one.
    fn join_level_fragment(
        &mut self,
        level: Column,
        text: &str,
        line: u32,
        dict: &LabelDictionary,
        record: &mut Record,
    ) -> bool {
        let Some(prev) = record.indicators.last_mut() else {
            return false;
        };
        let first = level == Column::Level1;
        let (raw, state_raw) = if first {
            (&mut prev.level1_raw, &mut self.level1_raw)
        } else {
            (&mut prev.level2_raw, &mut self.level2_raw)
        };
        let Some(before) = raw.clone() else {
            return false;
        };
        let joined = format!("{before}{text}");
        if state_raw.as_deref() == Some(before.as_str()) {
            *state_raw = Some(joined.clone());
        }
        *raw = Some(joined.clone());
        if first {
            if let Some(l) = dict.level1(&joined) {
                prev.level1 = Some(l);
                self.level1 = Some(l);
            }
        } else if let Some(l) = dict.level2(&joined) {
            prev.level2 = Some(l);
            self.level2 = Some(l);
        }
        record.diagnostics.push(Diagnostic::info(
            "normalize.row-continued",
            format!(
                "{} fragment `{}` after a page break joined to the indicator above",
                if first { "一级" } else { "二级" },
                clip(text)
            ),
            Some(line),
        ));
        true
    }
}

/// The rest of a cell that a page break cut, on a row without labels right after the break: a 三级
/// fragment (`…各单位财务记账规范有保障` / `位财务记账规范有保障`) or a 指标值 fragment at the top of the
/// page, joined to the indicator above. Returns whether it was one.
fn join_fragment(assigned: &[(Column, String)], line: u32, record: &mut Record) -> bool {
    let Some((_, text)) = assigned.first() else {
        return false;
    };
    let only = |role: Column| assigned.iter().all(|(r, _)| *r == role);
    let part = if only(Column::Name) {
        let Some(prev) = record.indicators.last_mut() else {
            return false;
        };
        if !prev.name.ends_with(text.as_str()) {
            prev.name.push_str(text);
        }
        "三级"
    } else if only(Column::Value) {
        let Some(prev) = record.indicators.last_mut().filter(|p| !p.value.is_empty()) else {
            return false;
        };
        prev.value.push_str(text);
        prev.parsed = parse_value(&prev.value);
        "指标值"
    } else {
        return false;
    };
    record.diagnostics.push(Diagnostic::info(
        "normalize.row-continued",
        format!(
            "{part} fragment `{}` after a page break joined to the indicator above",
            clip(text)
        ),
        Some(line),
    ));
    true
}

/// `服务人数：≥300人` → (`服务人数`, `≥300人`); `指标1:…` prefixes are not a split.
fn split_name_value(text: &str) -> Option<(&str, &str)> {
    let stripped = strip_indicator_prefix(text);
    let idx = stripped.find(['：', ':'])?;
    let name = stripped[..idx].trim();
    let sep_len = stripped[idx..].chars().next().map_or(1, char::len_utf8);
    let value = stripped[idx + sep_len..].trim();
    (!name.is_empty() && name.chars().count() <= 30 && !value.is_empty()).then_some((name, value))
}

/// `指标1:改善老旧小区环境卫生数量` → `改善老旧小区环境卫生数量`.
pub(crate) fn strip_indicator_prefix(name: &str) -> &str {
    let t = name.trim();
    let Some(rest) = t.strip_prefix("指标") else {
        return t;
    };
    let digits = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || ('０'..='９').contains(c))
        .count();
    if digits == 0 {
        return t;
    }
    let bytes: usize = rest.chars().take(digits).map(char::len_utf8).sum();
    let after = &rest[bytes..];
    after
        .strip_prefix(':')
        .or_else(|| after.strip_prefix('：'))
        .or_else(|| after.strip_prefix('、'))
        .or_else(|| after.strip_prefix('.'))
        .map_or(t, str::trim)
}

/// A note under a table (`注：各地请根据实际情况…`) ends it.
pub(crate) fn is_note(text: &str) -> bool {
    let t = text.trim_start();
    [
        "注:",
        "注：",
        "说明:",
        "说明：",
        "备注:",
        "备注：",
        "填报说明",
    ]
    .iter()
    .any(|p| t.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        assert_eq!(strip_indicator_prefix("指标1:改善数量"), "改善数量");
        assert_eq!(
            strip_indicator_prefix("指标2：消防专干人数"),
            "消防专干人数"
        );
        assert_eq!(strip_indicator_prefix("指标值"), "指标值");
        assert_eq!(strip_indicator_prefix("指标完成率"), "指标完成率");
    }
}
