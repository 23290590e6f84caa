//! One table → one [`Record`]: the header block (fields, funds, goal, spending plan) read as a stream of
//! label/value cells, then the indicator block (see [`crate::indicators`]).
//!
//! The header is read as a stream because layouts disagree about rows: a label's value may sit in the
//! next cell, several cells later, or on the next line (`总体目标 / 年度目标` then the goal text below).
//! A label waits for the next cell that is not itself a label; a funds label only accepts an amount.

use jixiao_core::{Diagnostic, FundsItem, PlanPoint, Record, RecordKind};

use crate::dictionary::{Column, Field, FundsRole, LabelDictionary};

mod grid;

use crate::indicators::{ColumnMap, IndicatorState};
use crate::prepare::is_unit_note;
use crate::rows::{PCell, PRow};
use crate::segment::{name_from_title, year_row};
use crate::text::clip;
use crate::value::{parse_money, parse_percent};
use grid::FundsGrid;

#[derive(Debug, Clone, PartialEq)]
enum Pending {
    Field(Field),
    Funds(FundsRole, String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    None,
    Funds {
        with_use: bool,
    },
    /// A 部门整体 task grid (`年度主要任务 | 任务名称 | 主要内容 | 预算金额`).
    Tasks,
    Goal,
    FundsUse,
    Plan,
}

/// Builds one record from the rows of one table.
pub(crate) struct TableBuilder<'d> {
    dict: &'d LabelDictionary,
    pub record: Record,
    pub title: Option<String>,
    pub not_target: bool,
    /// The title only named an attachment in a notice's list; the table itself comes later.
    pub reference_only: bool,
    pending: Option<(Pending, u32)>,
    block: Block,
    grid: Option<FundsGrid>,
    plan_labels: Vec<(u32, String, bool)>,
    money_in_yuan: bool,
    /// Goal columns side by side (`长期目标 | 年度目标`): (column, annual) of each; the texts below them
    /// go by column.
    goal_columns: Vec<(u32, bool)>,
    /// Text that no label claimed, with its line; see [`TableBuilder::settle_unlabelled`].
    unlabelled: Vec<(String, u32)>,
    previous_row_line: u32,
    pub indicators: Option<IndicatorState>,
    /// Whether a stream layout (no reliable rows/columns) is being read.
    stream: bool,
}

impl<'d> TableBuilder<'d> {
    pub(crate) fn new(
        dict: &'d LabelDictionary,
        kind: RecordKind,
        line: u32,
        stream: bool,
        in_yuan: bool,
    ) -> Self {
        TableBuilder {
            dict,
            record: Record::new(kind, line),
            title: None,
            not_target: false,
            reference_only: false,
            pending: None,
            block: Block::None,
            grid: None,
            plan_labels: Vec::new(),
            money_in_yuan: in_yuan,
            goal_columns: Vec::new(),
            unlabelled: Vec::new(),
            previous_row_line: line,
            indicators: None,
            stream,
        }
    }

    /// Whether the table has read anything beyond its title.
    pub(crate) fn has_content(&self) -> bool {
        self.record.name.is_some()
            || self.record.code.is_some()
            || !self.record.funds.items.is_empty()
            || self.indicators.as_ref().is_some_and(|s| s.started())
    }

    pub(crate) fn in_indicators(&self) -> bool {
        self.indicators.is_some()
    }

    pub(crate) fn set_title(&mut self, text: &str, line: u32) {
        let name = name_from_title(text, self.dict);
        // A year inside the project name (`邯财教[2023]26号 2022年度…资金`) dates the money, not the
        // budget: the budget year then comes from the document.
        let title_outside_name = match &name {
            Some(n) => text.replacen(n.as_str(), "", 1),
            None => text.to_string(),
        };
        if self.record.name.is_none()
            && let Some(name) = name
        {
            self.record.name = Some(name);
            self.record.field_lines.insert("title".into(), line);
        }
        if let Some(y) = crate::segment::first_year(&title_outside_name) {
            self.record.year.get_or_insert(y);
        }
        self.title.get_or_insert_with(|| text.to_string());
    }

    /// Feeds one row of the table.
    pub(crate) fn feed(&mut self, row: &PRow) {
        // A row of a cell-per-line layout spans several lines: the table ends at its last cell.
        let last_line = row.cells.iter().map(|c| c.line).max().unwrap_or(row.line);
        self.record.lines[1] = self.record.lines[1].max(row.line).max(last_line);
        if let Some(state) = self.indicators.as_mut() {
            state.feed(row, self.dict, &mut self.record);
            return;
        }
        if let Some(map) = ColumnMap::from_header(row, self.dict) {
            self.close_pending(row.line);
            self.settle_unlabelled(true);
            self.not_target |= map.has_actual();
            self.indicators = Some(IndicatorState::new(map, self.stream));
            return;
        }
        if self.row_opens_indicators(row) {
            self.close_pending(row.line);
            self.settle_unlabelled(true);
            // Column roles come from this first row itself: its labels and its two data cells.
            let map = ColumnMap::infer_from_row(row, self.dict);
            if !map.is_positional() {
                self.record.diagnostics.push(Diagnostic::info(
                    "normalize.no-column-titles",
                    "indicator rows without a column-title row: read as 一级/二级/三级/指标值 in order",
                    Some(row.line),
                ));
            }
            let mut state = IndicatorState::new(map, self.stream);
            let rest = PRow {
                cells: row
                    .cells
                    .iter()
                    .filter(|c| !self.is_bare_field(c))
                    .cloned()
                    .collect(),
                ..row.clone()
            };
            state.feed(&rest, self.dict, &mut self.record);
            self.indicators = Some(state);
            return;
        }
        if self.tasks_row(row) || self.grid_row(row) || self.goal_columns_row(row) {
            return;
        }
        let cells: Vec<&PCell> = row.filled().collect();
        for cell in cells {
            self.header_cell(cell, row);
            if self.indicators.is_some() {
                break;
            }
        }
        self.previous_row_line = row.line;
    }

    /// The source is cut off (or leaves rows out) at `line`: the row it cut is not read as an indicator
    /// and the record says it is incomplete.
    pub(crate) fn cut_off(&mut self, line: u32) {
        let dropped = self
            .indicators
            .as_mut()
            .and_then(|s| s.drop_cut_row(&mut self.record));
        self.record
            .diagnostics
            .push(cut_off_diagnostic(line, dropped.as_deref()));
        self.record.lines[1] = self.record.lines[1].max(line);
    }

    /// `长期目标 | 年度目标` (or `实施期目标 | 年度目标`) as column titles, and the row of texts under them:
    /// the annual text is the goal, the long-term one is kept as the attribute `实施期目标`.
    fn goal_columns_row(&mut self, row: &PRow) -> bool {
        let goals: Vec<(u32, bool, bool)> = row
            .filled()
            .filter(|c| {
                self.dict
                    .field(&c.text)
                    .is_some_and(|m| m.label == Field::Goal && m.rest.is_empty())
            })
            .map(|c| {
                let f = crate::text::fold_label(&c.text);
                let long = f.contains("长期") || f.contains("实施期") || f.contains("中期");
                (c.col, f.contains("年度") && !long, long)
            })
            .collect();
        if goals.iter().any(|g| g.1) && goals.iter().any(|g| g.2) {
            self.close_pending(row.line);
            self.goal_columns = goals
                .into_iter()
                .map(|(col, annual, _)| (col, annual))
                .collect();
            self.block = Block::None;
            return true;
        }
        if self.goal_columns.is_empty() {
            return false;
        }
        let columns = std::mem::take(&mut self.goal_columns);
        let texts: Vec<&PCell> = row.filled().collect();
        if texts.iter().any(|c| self.dict.field(&c.text).is_some()) {
            return false;
        }
        for cell in texts {
            let annual = columns
                .iter()
                .min_by_key(|(col, _)| col.abs_diff(cell.col))
                .is_some_and(|(_, annual)| *annual);
            if annual {
                self.append_text("goal", &cell.text, cell.line);
            } else {
                self.assign_field(
                    &Field::Attribute("实施期目标".into()),
                    &cell.text,
                    cell.line,
                );
            }
        }
        true
    }

    /// Unlabelled text right above the indicator block, in a table without goal text, is the goal whose
    /// label cell was lost (a page break or an export that dropped it); other unlabelled text is reported.
    pub(crate) fn settle_unlabelled(&mut self, at_indicators: bool) {
        let mut texts = std::mem::take(&mut self.unlabelled);
        if at_indicators
            && self.record.goal.is_none()
            && let Some((text, line)) = texts.pop_if(|(_, l)| *l == self.previous_row_line)
        {
            self.record.diagnostics.push(Diagnostic::warning(
                    "normalize.goal-label-missing",
                    "text above the indicator block without a label taken as the goal (绩效目标 label missing)",
                    Some(line),
                ));
            self.record.goal = Some(text);
            self.record.field_lines.insert("goal".into(), line);
        }
        for (text, line) in texts {
            self.record.diagnostics.push(Diagnostic::info(
                "normalize.unlabelled-text",
                format!(
                    "text without a label in the table header ignored: `{}`",
                    clip(&text)
                ),
                Some(line),
            ));
        }
    }

    /// A row that carries a 一级/二级 label before any other label starts the indicators even without a
    /// column-title row.
    ///
    /// Bare field labels in front (`总体绩效目标 | 项目完成 | 数量指标 | …` when the column-title row is
    /// missing) do not prevent it: they are labels without a value.
    fn row_opens_indicators(&self, row: &PRow) -> bool {
        let mut cells = row.filled().skip_while(|c| {
            self.dict.field(&c.text).is_some_and(|m| m.rest.is_empty()) && !self.is_level(c)
        });
        let first_two: Vec<&PCell> = cells.by_ref().take(2).collect();
        first_two.iter().any(|c| self.is_level(c))
            && first_two.iter().all(|c| {
                self.dict
                    .field(&c.text)
                    .is_none_or(|m| m.label == Field::IndicatorsBlock)
            })
    }

    fn is_bare_field(&self, cell: &PCell) -> bool {
        !cell.text.is_empty()
            && !self.is_level(cell)
            && self
                .dict
                .field(&cell.text)
                .is_some_and(|m| m.rest.is_empty() && m.label != Field::IndicatorsBlock)
    }

    fn is_level(&self, cell: &PCell) -> bool {
        self.dict.level1(&cell.text).is_some() || self.dict.level2(&cell.text).is_some()
    }

    fn header_cell(&mut self, cell: &PCell, row: &PRow) {
        let text = cell.text.as_str();
        if let Some(m) = self.dict.field(text) {
            match m.label {
                Field::Column(Column::Funds) => {
                    self.close_pending(cell.line);
                    self.note_units(text, cell.line);
                }
                Field::Column(_) => {
                    // A lone column title in a stream layout starts the indicator block.
                    if self.stream {
                        self.close_pending(cell.line);
                        let mut map = ColumnMap::default_for(row);
                        map.stream_titles(text, self.dict);
                        self.indicators = Some(IndicatorState::new(map, true));
                    }
                }
                Field::FundsBlock => {
                    self.close_pending(cell.line);
                    let with_use = text.contains("用途");
                    self.block = Block::Funds { with_use };
                    self.note_units(text, cell.line);
                }
                Field::IndicatorsBlock if m.rest.is_empty() => {
                    self.close_pending(cell.line);
                    let mut map = ColumnMap::default_for(row);
                    if self.stream {
                        map.stream_titles("", self.dict);
                    }
                    self.indicators = Some(IndicatorState::new(map, self.stream));
                }
                field => {
                    self.close_pending(cell.line);
                    self.block = match field {
                        Field::Goal => Block::Goal,
                        Field::FundsUse => Block::FundsUse,
                        Field::SpendingPlan => Block::Plan,
                        _ => Block::None,
                    };
                    if m.rest.is_empty() {
                        self.pending = Some((Pending::Field(field), cell.line));
                    } else {
                        self.assign_field(&field, &m.rest, cell.line);
                    }
                }
            }
            return;
        }
        if let Some(m) = self.dict.funds(text) {
            self.close_pending(cell.line);
            if matches!(
                self.block,
                Block::None | Block::Goal | Block::FundsUse | Block::Plan
            ) {
                self.block = Block::Funds { with_use: false };
            }
            let label = funds_label_text(text, &m.rest);
            if m.rest.is_empty() {
                self.pending = Some((Pending::Funds(m.label, label), cell.line));
            } else {
                let amount = parse_money(&m.rest).map(|a| self.scale(a));
                self.set_funds(m.label, label, amount, cell.line);
            }
            return;
        }
        self.plain_cell(cell);
    }

    fn plain_cell(&mut self, cell: &PCell) {
        let text = cell.text.as_str();
        if matches!(self.pending, Some((Pending::Field(Field::Goal), _)))
            && is_goal_column_title(text)
        {
            // `总体目标 | 年度目标 | 年度总体目标完成情况`: the form's column titles, the goal is below.
            return;
        }
        match self.pending.take() {
            Some((Pending::Field(field), _)) => {
                self.assign_field(&field, text, cell.line);
                return;
            }
            Some((Pending::Funds(role, label), line)) if is_blank_mark(text) => {
                // `-`, `—`, `/`, `无` in an amount cell: the amount is blank.
                self.set_funds(role, label, None, line);
                return;
            }
            Some((Pending::Funds(role, label), line)) => {
                // A sentence is never an amount (`…（邯密传[2022]43号）…` under a blank 其他资金).
                if let Some(amount) = parse_money(text).filter(|_| is_amount_cell(text)) {
                    let amount = self.scale(amount);
                    self.set_funds(role, label, Some(amount), cell.line);
                    return;
                }
                self.set_funds(role, label, None, line);
            }
            None => {}
        }
        if let Some(y) = year_row(text) {
            self.record.year.get_or_insert(y);
            return;
        }
        if is_unit_note(text) {
            self.note_units(text, cell.line);
            return;
        }
        let block = self.block;
        match block {
            Block::Goal => self.append_text("goal", text, cell.line),
            Block::FundsUse | Block::Funds { with_use: true } => {
                self.append_text("funds_use", text, cell.line)
            }
            Block::Plan if self.plan_cell(cell) => {}
            _ => self.unlabelled.push((text.to_string(), cell.line)),
        }
    }

    fn assign_field(&mut self, field: &Field, text: &str, line: u32) {
        let value = strip_goal_prefix(field, text);
        let key = match field {
            Field::Name => "name",
            Field::Code => "code",
            Field::Unit => "unit",
            Field::Supervisor => "supervisor",
            Field::Goal => "goal",
            Field::FundsUse => "funds_use",
            Field::SpendingPlan => {
                self.plan_cell(&PCell {
                    text: text.to_string(),
                    col: 0,
                    line,
                });
                return;
            }
            Field::Attribute(name) => {
                self.record
                    .attributes
                    .entry(name.clone())
                    .or_insert_with(|| value.to_string());
                self.record
                    .field_lines
                    .entry(format!("attributes.{name}"))
                    .or_insert(line);
                return;
            }
            _ => return,
        };
        if key == "goal" || key == "funds_use" {
            // A second labelled goal (`年度绩效目标(含本级)` beside `年度总体绩效目标(含本级和市县)`)
            // repeats the first for another funding scope: the first one is the table's goal.
            let existing = if key == "goal" {
                &self.record.goal
            } else {
                &self.record.funds_use
            };
            if existing.is_some() {
                if existing.as_deref() != Some(value) {
                    self.record.diagnostics.push(Diagnostic::info(
                        "normalize.second-goal",
                        format!("a second {key} text was not used: `{}`", clip(value)),
                        Some(line),
                    ));
                }
                return;
            }
            self.append_text(key, value, line);
            return;
        }
        let slot = match key {
            "name" => &mut self.record.name,
            "code" => &mut self.record.code,
            "unit" => &mut self.record.unit,
            _ => &mut self.record.supervisor,
        };
        let from_title = key == "name" && !self.record.field_lines.contains_key("name");
        if (slot.is_none() || from_title) && !value.is_empty() {
            *slot = Some(value.to_string());
            self.record.field_lines.insert(key.into(), line);
        }
    }

    fn append_text(&mut self, key: &str, text: &str, line: u32) {
        let slot = if key == "goal" {
            &mut self.record.goal
        } else {
            &mut self.record.funds_use
        };
        if text.is_empty() {
            return;
        }
        match slot {
            Some(existing) => {
                existing.push('\n');
                existing.push_str(text);
            }
            None => {
                *slot = Some(text.to_string());
                self.record.field_lines.insert(key.into(), line);
            }
        }
    }

    /// A label left without a value: blank fields stay `None` (never 0 for funds).
    fn close_pending(&mut self, line: u32) {
        if let Some((p, at)) = self.pending.take()
            && let Pending::Funds(role, label) = p
        {
            self.set_funds(role, label, None, at.min(line));
        }
    }

    fn set_funds(&mut self, role: FundsRole, label: String, amount: Option<f64>, line: u32) {
        put_funds(&mut self.record, role, label, amount, line);
    }

    fn scale(&self, amount: f64) -> f64 {
        if self.money_in_yuan {
            amount / 10_000.0
        } else {
            amount
        }
    }

    fn note_units(&mut self, text: &str, _line: u32) {
        if let Some(y) = crate::segment::first_year(text) {
            self.record.year.get_or_insert(y);
        }
        let folded = crate::text::fold_label(text);
        if folded.contains("(元)") || folded.ends_with(":元") || folded.ends_with("单位:元") {
            self.money_in_yuan = true;
        } else if folded.contains("万元") {
            self.money_in_yuan = false;
        }
    }

    /// 资金支出计划: period labels (`3月底`) and percentages, matched by column where the layout has
    /// columns, else in order.
    fn plan_cell(&mut self, cell: &PCell) -> bool {
        let text = cell.text.trim();
        if let Some(percent) = parse_percent(text).filter(|_| !is_plan_label(text)) {
            let idx = self
                .plan_labels
                .iter()
                .position(|(col, _, done)| !done && *col == cell.col)
                .or_else(|| self.plan_labels.iter().position(|(_, _, done)| !done));
            if let Some(i) = idx {
                self.plan_labels[i].2 = true;
                let label = self.plan_labels[i].1.clone();
                if let Some(point) = self
                    .record
                    .spending_plan
                    .iter_mut()
                    .find(|p| p.label == label)
                {
                    point.percent = Some(percent);
                }
            }
            return true;
        }
        if is_plan_label(text) {
            self.plan_labels.push((cell.col, text.to_string(), false));
            self.record.spending_plan.push(PlanPoint {
                label: text.to_string(),
                percent: None,
            });
            self.record
                .field_lines
                .entry("spending_plan".into())
                .or_insert(cell.line);
            return true;
        }
        false
    }
}

/// Records one funds row: every row is kept as an item; the first total / fiscal / other amount also
/// fills its slot (a later blank never overwrites it).
pub(crate) fn put_funds(
    record: &mut Record,
    role: FundsRole,
    label: String,
    amount: Option<f64>,
    line: u32,
) {
    let funds = &mut record.funds;
    let (slot, key) = match role {
        FundsRole::Total => (Some(&mut funds.total), "funds.total"),
        FundsRole::Fiscal => (Some(&mut funds.fiscal), "funds.fiscal"),
        FundsRole::Other => (Some(&mut funds.other), "funds.other"),
        FundsRole::Item => (None, ""),
    };
    if let Some(slot) = slot
        && slot.is_none()
        && amount.is_some()
    {
        *slot = amount;
        record.field_lines.insert(key.into(), line);
    }
    funds.items.push(FundsItem {
        label,
        amount,
        line,
    });
}

fn is_plan_label(text: &str) -> bool {
    let n = text.chars().count();
    n <= 8
        && !text.contains('%')
        && (text.ends_with("月底")
            || text.ends_with("季度")
            || text.ends_with("年底")
            || text.ends_with('月'))
}

/// The funds label as a reader wants to see it: the cell without its inline amount.
fn funds_label_text(text: &str, rest: &str) -> String {
    let label = if rest.is_empty() {
        text
    } else {
        text.strip_suffix(rest).unwrap_or(text)
    };
    label
        .trim()
        .trim_end_matches([':', '：'])
        .trim()
        .to_string()
}

/// A mark that a cell is blank on purpose: `-`, `—`, `/`, `无`.
fn is_blank_mark(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty() && (t == "无" || t.chars().all(|c| "-—–/／".contains(c)))
}

/// A cell that can hold an amount: it starts with the number (`854万(高标准农田建设400万元,…)`), or it
/// is short and no sentence (`用于泉头办公区 5 号楼维修。` is not 5 万元).
fn is_amount_cell(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with(|c: char| c.is_ascii_digit())
        || (t.chars().count() <= 24 && !t.contains(['，', '。', '《', '》', '；']))
}

/// A column title beside a goal label (`年度总体目标完成情况`, `实施期目标内容`): short, about a 目标,
/// ending in a word that names a column, never a sentence.
fn is_goal_column_title(text: &str) -> bool {
    let f = crate::text::fold_label(text);
    f.chars().count() <= 12
        && f.contains("目标")
        && !f
            .chars()
            .any(|c| c.is_ascii_digit() || "。,，;；".contains(c))
        && ["完成情况", "情况", "内容", "说明"]
            .iter()
            .any(|e| f.ends_with(e))
}

/// `目标:逐步改善…` → `逐步改善…`: the sub-label some templates put before the goal text.
fn strip_goal_prefix<'a>(field: &Field, text: &'a str) -> &'a str {
    if *field != Field::Goal {
        return text.trim();
    }
    let t = text.trim();
    for p in ["目标:", "目标：", "年度目标:", "年度目标："] {
        if let Some(r) = t.strip_prefix(p) {
            return r.trim();
        }
    }
    t
}

/// The warning on a record whose source is cut off at `line`, naming the row the cut went through.
pub(crate) fn cut_off_diagnostic(line: u32, cut_row: Option<&str>) -> Diagnostic {
    let detail = cut_row.map_or_else(String::new, |name| {
        format!("; the row it cut (`{}`) is not read", clip(name))
    });
    Diagnostic::warning(
        "normalize.cut-off",
        format!(
            "the source is cut off or leaves rows out at line {line}: this table is incomplete{detail}"
        ),
        Some(line),
    )
}
